/*
 * events.h — history events, shaped as GetExecutionHistory's.
 *
 * An event is {"type": T, "details": D} where D holds the one details member
 * AWS gives that type (stateEnteredEventDetails, mapIterationStartedEventDetails,
 * ...), or is {} for types that carry none (ParallelStateStarted). The host
 * adds the id, timestamp and previous event id when it records one. Inputs and
 * outputs are JSON values, not JSON text: booking's SQL API returns jsonb.
 */
#ifndef ASL_EVENTS_H
#define ASL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include <stdint.h>

#include "definition.h"

/* {type, details}; takes details' reference (NULL: {}). NULL when out of memory. */
json_object *asl_event_new(const char *type, json_object *details);

/* Appends asl_event_new(type, details) to the array events; false when out of memory. */
bool		asl_events_push(json_object *events, const char *type, json_object *details);

/* <Type>StateEntered: {"stateEnteredEventDetails": {name, input, inputDetails}}. */
json_object *asl_event_entered_details(const char *state, json_object *input);

/*
 * <Type>StateExited: {"stateExitedEventDetails": {name, output, outputDetails}},
 * plus assignedVariables (and assignedVariablesDetails) when assigned is an
 * object of the variables the state set.
 */
json_object *asl_event_exited_details(const char *state, json_object *output,
									  json_object *assigned);

/*
 * Whether ev is exactly the event asl_event_new(type, asl_event_exited_details(
 * state, output, NULL)) builds, output being that very object (not a copy):
 * nothing assigned, nothing truncated, not yet stamped.
 */
bool		asl_event_is_plain_exit(json_object *ev, const char *type, const char *state,
									json_object *output);

/* MapStateStarted: {"mapStateStartedEventDetails": {"length": n}}. */
json_object *asl_event_map_started_details(size_t length);

/*
 * MapIterationStarted / Succeeded / Failed / Aborted: the details member
 * named after the type ({"mapIterationStartedEventDetails": {name, index}}).
 */
json_object *asl_event_map_iteration(const char *type, const char *map_state, size_t index);

/* {type, details: {<type>EventDetails: inner}} (first letter lowered); takes inner. */
json_object *asl_event_named(const char *type, json_object *inner);

/* {"truncated": false}. */
json_object *asl_not_truncated(void);

/*
 * a then b into dst (size bytes, truncated to fit, always terminated): an
 * event's type and member names, built for every event, where snprintf cost
 * more than the rest of the name's work.
 */
void		asl_concat(char *dst, size_t size, const char *a, const char *b);

/* ---- a Task's life (events_task.c) ---- */

typedef enum asl_task_event
{
	ASL_TASK_SCHEDULED,			/* payload: the effective input (Parameters) */
	ASL_TASK_STARTED,			/* payload: activities: the worker's name (a
								 * string), or NULL */
	ASL_TASK_SUBMITTED,			/* payload: the request's response
								 * (.waitForTaskToken) */
	ASL_TASK_SUCCEEDED,			/* payload: the output */
	ASL_TASK_FAILED,			/* error, cause */
	ASL_TASK_TIMED_OUT,			/* error, cause */
	ASL_TASK_SCHEDULE_FAILED	/* activities: error, cause */
} asl_task_event;

/*
 * The event AWS records for this step of a task, named after its resource:
 * LambdaFunction* for a function ARN, Activity* for an activity, Task* (with
 * resourceType and resource) for service integrations. payload is borrowed;
 * timeouts of 0 are left out. NULL when out of memory.
 */
json_object *asl_event_task(asl_task_event ev, const asl_resource *res, const char *region,
							json_object *payload, int64_t timeout_seconds,
							int64_t heartbeat_seconds, const char *error, const char *cause);

#endif

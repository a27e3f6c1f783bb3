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

/* MapStateStarted: {"mapStateStartedEventDetails": {"length": n}}. */
json_object *asl_event_map_started_details(size_t length);

/*
 * MapIterationStarted / Succeeded / Failed / Aborted: the details member
 * named after the type ({"mapIterationStartedEventDetails": {name, index}}).
 */
json_object *asl_event_map_iteration(const char *type, const char *map_state, size_t index);

#endif

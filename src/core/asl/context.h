/*
 * context.h — the context object ($$).
 *
 * The host knows the execution (its ARN, name, start time, input, role) and
 * builds the execution-level part once with asl_context_base; the core adds
 * what belongs to one state (State.Name, State.EnteredTime, State.RetryCount,
 * Task.Token) and, while it evaluates a Map's ItemSelector, Map.Item.
 * Field names and shapes are AWS's ("Accessing execution data from the
 * Context object", input-output-contextobject).
 */
#ifndef ASL_CONTEXT_H
#define ASL_CONTEXT_H

#include <stdint.h>
#include <json-c/json.h>

#include "timestamp.h"

typedef struct asl_execution_info
{
	const char *id;				/* Execution.Id: the execution ARN */
	const char *name;			/* Execution.Name */
	asl_time	start_time;		/* Execution.StartTime */
	json_object *input;			/* Execution.Input, borrowed */
	const char *role_arn;		/* Execution.RoleArn, may be NULL */
	int64_t		redrive_count;	/* Execution.RedriveCount */
	const char *state_machine_id;	/* StateMachine.Id: the state machine ARN */
	const char *state_machine_name; /* StateMachine.Name */
} asl_execution_info;

/* {"Execution": {...}, "StateMachine": {...}}; NULL strings are left out. */
json_object *asl_context_base(const asl_execution_info *info);

/*
 * A new $$ for one state: base's members (shared) plus
 * State {EnteredTime, Name, RetryCount} (RetryCount left out when
 * retry_count is negative) and, when token is given, Task {Token}. base may
 * be NULL. NULL when out of memory.
 */
json_object *asl_context_for_state(json_object *base, const char *state,
								   asl_time entered, int64_t retry_count,
								   const char *token);

/* A new $$: ctx's members plus Map {Item {Index, Value}}. */
json_object *asl_context_with_item(json_object *ctx, int64_t index, json_object *value);

#endif

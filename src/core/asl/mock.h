/*
 * mock.h — Step Functions Local's mock configuration (its MockConfigFile format):
 *
 *   {"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<state>": "<response>"}}}},
 *    "MockedResponses": {"<response>": {"0": {"Return": …}, "1-2": {"Throw": {"Error": …, "Cause": …}}}}}
 *
 * A mocked response answers a Task state's invocations by index (0 the first,
 * a retry the next): Return is the task's result, Throw its error.
 */
#ifndef ASL_MOCK_H
#define ASL_MOCK_H

#include <stdbool.h>

#include <json-c/json.h>
#include "error.h"

/*
 * Checks a whole configuration; false with *why (a static or malloc'd message
 * naming the JSON pointer, malloc'd: the caller frees it).
 */
bool		asl_mock_config_check(json_object *config, char **why);

/*
 * The response of one invocation: true with *result (borrowed) for Return, or
 * with err set for Throw; false when no entry covers the index.
 */
bool		asl_mock_pick(json_object *responses, int invocation, json_object **result, asl_error *err);

#endif

/*
 * mock_config.h — mocked service integrations (Step Functions Local's
 * MockConfigFile): configurations loaded with sfn_load_mock_config, test cases
 * named at start (sfn_start('<machine>#<TestCase>')), and the mocked replies of
 * the Task states they cover.
 */
#ifndef BOOKING_MOCK_CONFIG_H
#define BOOKING_MOCK_CONFIG_H

#include "postgres.h"

#include "jsonc.h"
#include "core/asl/step.h"
#include "store_executions.h"

/*
 * Splits "<state machine>#<TestCase>": *machine_ref (palloc'd) and the test
 * case, or NULL when ref names none.
 */
char	   *booking_mock_split(const char *ref, char **machine_ref);

/* The execution (machine, name) runs test_case; ERROR when the machine has no such test case. */
void		booking_mock_register(int64 machine_id, const char *machine_name,
								  const char *execution_name, const char *test_case);

/* A synchronous execution (sfn_start_sync) ran its test case: its invocation counts go. */
void		booking_mock_forget(int64 machine_id, const char *execution_name);

/*
 * When row's execution runs a test case that mocks state: true, with the
 * reply of this invocation (its output, or its error); false otherwise.
 */
bool		booking_mock_reply(const ExecRow *row, const char *state, asl_task_reply *reply);

#endif

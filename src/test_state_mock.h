/*
 * test_state_mock.h — TestState's mock, context and stateConfiguration
 * (sfn_test_state): read and checked against the state under test, and the
 * mocked answer handed to the core in place of running the task or branches.
 */
#ifndef BOOKING_TEST_STATE_MOCK_H
#define BOOKING_TEST_STATE_MOCK_H

#include "postgres.h"

#include "jsonc.h"
#include "core/asl/step.h"

typedef struct TestStateMock
{
	bool		given;			/* a mock was given */
	json_object *result;		/* mock.result (any JSON), when given */
	bool		has_result;
	const char *error;			/* mock.errorOutput.error, when given */
	const char *cause;			/* mock.errorOutput.cause, may be NULL */
	const char *validation;		/* fieldValidationMode: STRICT (default),
								 * PRESENT, NONE */
} TestStateMock;

typedef struct TestStateConfig
{
	int64		retrier_retry_count;	/* -1: not given */
	const char *error_caused_by_state;	/* NULL: not given */
	int64		map_iteration_failure_count;	/* -1: not given */
	bool		has_map_item_reader_data;
	json_object *map_item_reader_data;	/* borrowed: the source's text (a
										 * string) or its JSON */
} TestStateConfig;

/* Reads mock (may be NULL); ERROR ValidationException naming the member at fault. */
void		test_state_read_mock(json_object *mock, TestStateMock *out);

/* Reads stateConfiguration (may be NULL); ERROR ValidationException otherwise. */
void		test_state_read_config(json_object *config, TestStateConfig *out);

/*
 * Checks the mock and configuration against the state under test (mocks are
 * for Task, Map and Parallel states; each configuration member for the
 * states it concerns) and the mocked result against the integration's
 * response as fieldValidationMode asks. ERROR ValidationException otherwise.
 */
void		test_state_check(const asl_machine *machine, const asl_state *st, const TestStateMock *mock,
							 const TestStateConfig *config);

/*
 * How many items a Map's ItemReader reads from mapItemReaderData, as its
 * ReaderConfig says (JSON: an array; JSONL: a line each; CSV: a row each,
 * less the header row; listObjectsV2: an array of objects; at most
 * MaxItems). ERROR ValidationException when the data is not such.
 */
size_t		test_state_reader_items(const asl_state *st, json_object *data);

/* A mocked Task's reply: its result, or its error. */
void		test_state_task_reply(const TestStateMock *mock, asl_task_reply *reply);

/*
 * A mocked Map's or Parallel's results (palloc'd, outputs borrowed from the
 * mock): the result's elements, or one failure with the mocked error; a Map
 * with mapIterationFailureCount k has k failed iterations first (of
 * item_count when no result is given). *n is how many.
 */
asl_result *test_state_branch_results(const asl_state *st, const TestStateMock *mock,
									  const TestStateConfig *config, size_t item_count, size_t *n);

/* The context given (an object) laid over base, member by member: a new object. */
json_object *test_state_merge_context(json_object *base, json_object *given);

#endif

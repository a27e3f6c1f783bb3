/*
 * test_state_mock.c — TestState's mock, context and stateConfiguration; see
 * test_state_mock.h.
 *
 * fieldValidationMode checks a mocked Task result against the response of
 * the integration booking runs for it (DynamoDB's GetItem, PutItem,
 * UpdateItem, DeleteItem; Lambda's Invoke, not .waitForTaskToken): PRESENT, that every member is
 * one of the response's with its JSON type; STRICT, that and the members the
 * response always has (Lambda's StatusCode); NONE, nothing. A Lambda
 * function ARN or an activity answers with any JSON: nothing to check.
 */
#include "postgres.h"

#include "booking.h"
#include "test_state_mock.h"

#define INVALID(...) \
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("ValidationException: " __VA_ARGS__)))

typedef struct ResponseMember
{
	const char *name;
	json_type	type;			/* json_type_null: any */
	bool		always;			/* STRICT requires it */
} ResponseMember;

/* what Step Functions' integrations return besides the API's members */
#define SDK_MEMBERS \
	{"SdkHttpMetadata", json_type_object, false}, \
	{"SdkResponseMetadata", json_type_object, false}

static const ResponseMember dynamodb_get[] = {
	{"Item", json_type_object, false}, {"ConsumedCapacity", json_type_object, false}, SDK_MEMBERS, {NULL}
};
static const ResponseMember dynamodb_write[] = {
	{"Attributes", json_type_object, false}, {"ConsumedCapacity", json_type_object, false},
	{"ItemCollectionMetrics", json_type_object, false}, SDK_MEMBERS, {NULL}
};
static const ResponseMember lambda_invoke[] = {
	{"StatusCode", json_type_int, true}, {"FunctionError", json_type_string, false},
	{"LogResult", json_type_string, false}, {"Payload", json_type_null, false},
	{"ExecutedVersion", json_type_string, false}, SDK_MEMBERS, {NULL}
};

/* obj's member key as a string (where names obj in errors); NULL when absent and optional. */
static const char *
member_string(json_object *obj, const char *key, const char *where, bool required)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
	{
		if (required)
			INVALID("%s.%s is required", where, key);
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string))
		INVALID("%s.%s must be a string", where, key);
	return json_object_get_string(v);
}

void
test_state_read_mock(json_object *mock, TestStateMock *out)
{
	json_object *v;

	memset(out, 0, sizeof(*out));
	out->validation = "STRICT";
	if (mock == NULL)
		return;
	if (!json_object_is_type(mock, json_type_object))
		INVALID("mock must be an object {result | errorOutput, fieldValidationMode}");
	out->given = true;
	{
		json_object_object_foreach(mock, key, val)
		{
			(void) val;
			if (strcmp(key, "result") != 0 && strcmp(key, "errorOutput") != 0 &&
				strcmp(key, "fieldValidationMode") != 0)
				INVALID("mock has no member \"%s\" (result, errorOutput, fieldValidationMode)", key);
		}
	}
	out->has_result = json_object_object_get_ex(mock, "result", &out->result);
	if (json_object_object_get_ex(mock, "errorOutput", &v))
	{
		if (!json_object_is_type(v, json_type_object))
			INVALID("mock.errorOutput must be an object {error, cause}");
		{
			json_object_object_foreach(v, key, val)
			{
				(void) val;
				if (strcmp(key, "error") != 0 && strcmp(key, "cause") != 0)
					INVALID("mock.errorOutput has no member \"%s\" (error, cause)", key);
			}
		}
		out->error = member_string(v, "error", "mock.errorOutput", true);
		out->cause = member_string(v, "cause", "mock.errorOutput", false);
	}
	if (out->has_result == (out->error != NULL))
		INVALID("mock needs exactly one of result and errorOutput");
	out->validation = member_string(mock, "fieldValidationMode", "mock", false);
	if (out->validation == NULL)
		out->validation = "STRICT";
	else if (strcmp(out->validation, "STRICT") != 0 && strcmp(out->validation, "PRESENT") != 0 &&
			 strcmp(out->validation, "NONE") != 0)
		INVALID("mock.fieldValidationMode must be STRICT, PRESENT or NONE, not \"%s\"", out->validation);
}

/* A stateConfiguration count: -1 when absent, else an integer of 0 or more. */
static int64
member_count(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return -1;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		INVALID("stateConfiguration.%s must be an integer of 0 or more", key);
	return json_object_get_int64(v);
}

void
test_state_read_config(json_object *config, TestStateConfig *out)
{
	memset(out, 0, sizeof(*out));
	out->retrier_retry_count = -1;
	out->map_iteration_failure_count = -1;
	if (config == NULL)
		return;
	if (!json_object_is_type(config, json_type_object))
		INVALID("stateConfiguration must be an object");
	{
		json_object_object_foreach(config, key, val)
		{
			(void) val;
			if (strcmp(key, "retrierRetryCount") != 0 && strcmp(key, "errorCausedByState") != 0 &&
				strcmp(key, "mapIterationFailureCount") != 0 && strcmp(key, "mapItemReaderData") != 0)
				INVALID("stateConfiguration has no member \"%s\" (retrierRetryCount, errorCausedByState, "
						"mapIterationFailureCount, mapItemReaderData)", key);
		}
	}
	out->retrier_retry_count = member_count(config, "retrierRetryCount");
	out->map_iteration_failure_count = member_count(config, "mapIterationFailureCount");
	out->error_caused_by_state = member_string(config, "errorCausedByState", "stateConfiguration", false);
	out->has_map_item_reader_data = json_object_object_get_ex(config, "mapItemReaderData", &out->map_item_reader_data);
}

/* Whether inner is a state inside outer's branches (at any depth). */
static bool
state_inside(const asl_state *inner, const asl_state *outer)
{
	for (const asl_graph *g = inner->graph; g != NULL && g->owner != NULL; g = g->owner->graph)
		if (g->owner == outer)
			return true;
	return false;
}

/* The members of the integration's response that field validation checks; NULL: any. */
static const ResponseMember *
response_of(const asl_resource *res)
{
	/* a callback's answer is whatever SendTaskSuccess sends */
	if (res->pattern == ASL_PATTERN_WAIT_FOR_TOKEN)
		return NULL;
	if (res->kind == ASL_RES_LAMBDA_INVOKE)
		return lambda_invoke;
	if (res->kind == ASL_RES_DYNAMODB)
		return res->action != NULL && strcmp(res->action, "getItem") == 0 ? dynamodb_get : dynamodb_write;
	return NULL;
}

/* Whether v has the wanted JSON type (json_type_null: any type). */
static bool
type_fits(json_object *v, json_type want)
{
	if (want == json_type_null)
		return true;
	return json_object_is_type(v, want);
}

/* The mocked result as the integration's response, per fieldValidationMode. */
static void
check_task_result(const asl_state *st, const TestStateMock *mock)
{
	const ResponseMember *members = response_of(&st->resource);

	if (strcmp(mock->validation, "NONE") == 0 || members == NULL || !mock->has_result)
		return;
	if (!json_object_is_type(mock->result, json_type_object))
		INVALID("mock.result: %s returns an object (fieldValidationMode %s)", st->resource.arn, mock->validation);
	{
		json_object_object_foreach(mock->result, key, val)
		{
			const ResponseMember *m;

			for (m = members; m->name != NULL; m++)
				if (strcmp(m->name, key) == 0)
					break;
			if (m->name == NULL)
				INVALID("mock.result.%s: %s returns no such field (fieldValidationMode %s)",
						key, st->resource.arn, mock->validation);
			if (!type_fits(val, m->type))
				INVALID("mock.result.%s: %s returns it as %s (fieldValidationMode %s)", key, st->resource.arn,
						json_type_to_name(m->type), mock->validation);
		}
	}
	if (strcmp(mock->validation, "STRICT") == 0)
		for (const ResponseMember *m = members; m->name != NULL; m++)
			if (m->always && !json_object_object_get_ex(mock->result, m->name, NULL))
				INVALID("mock.result.%s is required: %s always returns it (fieldValidationMode STRICT)",
						m->name, st->resource.arn);
}

void
test_state_check(const asl_machine *machine, const asl_state *st, const TestStateMock *mock,
				 const TestStateConfig *config)
{
	bool		branches = st->type == ASL_STATE_MAP || st->type == ASL_STATE_PARALLEL;

	if (mock->given && st->type != ASL_STATE_TASK && !branches)
		INVALID("a mock can only be specified for Task, Map or Parallel states; \"%s\" is a %s state",
				st->name, asl_state_type_name(st->type));
	if (!mock->given && branches)
		INVALID("a %s state is tested with a mock (mock.result or mock.errorOutput): TestState does not run its branches",
				asl_state_type_name(st->type));

	/*
	 * AWS: activities, .sync and .waitForTaskToken are tested with a mock
	 * only (TestState does not wait)
	 */
	if (!mock->given && st->type == ASL_STATE_TASK &&
		(st->resource.kind == ASL_RES_ACTIVITY || st->resource.pattern != ASL_PATTERN_REQUEST_RESPONSE))
		INVALID("Task state \"%s\" (%s) waits for an answer: it is tested with a mock (mock.result or mock.errorOutput)",
				st->name, st->resource.arn);
	if (config->retrier_retry_count >= 0 && st->n_retriers == 0)
		INVALID("stateConfiguration.retrierRetryCount: state \"%s\" has no Retry", st->name);
	if (config->error_caused_by_state != NULL)
	{
		const asl_state *origin;

		if (!branches || mock->error == NULL)
			INVALID("stateConfiguration.errorCausedByState goes with a Map or Parallel state and mock.errorOutput");
		origin = asl_machine_find(machine, config->error_caused_by_state);
		if (origin == NULL || !state_inside(origin, st))
			INVALID("stateConfiguration.errorCausedByState: \"%s\" is not a state inside \"%s\"",
					config->error_caused_by_state, st->name);
	}
	if (config->map_iteration_failure_count >= 0 && st->type != ASL_STATE_MAP)
		INVALID("stateConfiguration.mapIterationFailureCount goes with a Map state; \"%s\" is a %s state",
				st->name, asl_state_type_name(st->type));
	if (config->has_map_item_reader_data && (st->type != ASL_STATE_MAP || st->map.item_reader == NULL))
		INVALID("stateConfiguration.mapItemReaderData goes with a Map state that has an ItemReader");
	if (!mock->given)
		return;
	if (st->type == ASL_STATE_TASK)
		check_task_result(st, mock);
	else if (mock->has_result && strcmp(mock->validation, "NONE") != 0)
	{
		if (!json_object_is_type(mock->result, json_type_array))
			INVALID("mock.result: a %s state's result is an array", asl_state_type_name(st->type));
		if (st->type == ASL_STATE_PARALLEL && json_object_array_length(mock->result) != st->n_branches)
			INVALID("mock.result: Parallel state \"%s\" has %zu branches, the result %zu elements",
					st->name, st->n_branches, json_object_array_length(mock->result));
	}
}

/* obj's member key when it is a string, else NULL (obj may be NULL). */
static const char *
reader_string(json_object *obj, const char *key)
{
	json_object *v;

	return obj != NULL && json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string)
		? json_object_get_string(v) : NULL;
}

/* Lines of text that hold something. */
static size_t
count_lines(const char *text)
{
	size_t		n = 0;
	bool		blank = true;

	for (const char *c = text;; c++)
	{
		if (*c == '\n' || *c == '\0')
		{
			if (!blank)
				n++;
			blank = true;
			if (*c == '\0')
				return n;
		}
		else if (*c != '\r' && *c != ' ' && *c != '\t')
			blank = false;
	}
}

/* A JSON array given as such or as its text: its length. */
static size_t
array_items(json_object *data, const char *what)
{
	json_object *parsed;
	size_t		n;

	if (json_object_is_type(data, json_type_array))
		return json_object_array_length(data);
	parsed = json_object_is_type(data, json_type_string) ? json_tokener_parse(json_object_get_string(data)) : NULL;
	if (!json_object_is_type(parsed, json_type_array))
	{
		json_object_put(parsed);
		INVALID("stateConfiguration.mapItemReaderData: %s reads a JSON array", what);
	}
	n = json_object_array_length(parsed);
	json_object_put(parsed);
	return n;
}

size_t
test_state_reader_items(const asl_state *st, json_object *data)
{
	json_object *reader = st->map.item_reader;
	json_object *config = NULL;
	const char *resource = reader_string(reader, "Resource");
	const char *input_type;
	json_object *max;
	size_t		n;

	(void) json_object_object_get_ex(reader, "ReaderConfig", &config);
	input_type = reader_string(config, "InputType");
	if (resource != NULL && strstr(resource, "listObjectsV2") != NULL)
		n = array_items(data, "s3:listObjectsV2 (its objects)");
	else if (input_type == NULL || strcmp(input_type, "JSON") == 0)
		n = array_items(data, "a JSON ItemReader");
	else if (strcmp(input_type, "JSONL") == 0 || strcmp(input_type, "CSV") == 0)
	{
		const char *header = reader_string(config, "CSVHeaderLocation");

		if (!json_object_is_type(data, json_type_string))
			INVALID("stateConfiguration.mapItemReaderData: a %s ItemReader reads text", input_type);
		n = count_lines(json_object_get_string(data));

		/*
		 * CSV: the first row names the columns unless CSVHeaderLocation is
		 * GIVEN
		 */
		if (strcmp(input_type, "CSV") == 0 && (header == NULL || strcmp(header, "FIRST_ROW") == 0) && n > 0)
			n--;
	}
	else
		INVALID("stateConfiguration.mapItemReaderData: booking does not read %s items", input_type);
	if (config != NULL && json_object_object_get_ex(config, "MaxItems", &max) &&
		json_object_is_type(max, json_type_int) && json_object_get_int64(max) > 0 &&
		(size_t) json_object_get_int64(max) < n)
		n = (size_t) json_object_get_int64(max);
	return n;
}

void
test_state_task_reply(const TestStateMock *mock, asl_task_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	if (mock->error != NULL)
	{
		if (mock->cause != NULL)
			asl_error_set(&reply->error, mock->error, "%s", mock->cause);
		else
		{
			asl_error_set(&reply->error, mock->error, "%s", "");
			free(reply->error.cause);
			reply->error.cause = NULL;
		}
	}
	else
		reply->output = json_object_get(mock->result);
}

asl_result *
test_state_branch_results(const asl_state *st, const TestStateMock *mock, const TestStateConfig *config,
						  size_t item_count, size_t *n)
{
	size_t		failed = config->map_iteration_failure_count >= 0 ? (size_t) config->map_iteration_failure_count : 0;
	size_t		succeeded;
	asl_result *results;

	if (mock->has_result && json_object_is_type(mock->result, json_type_array))
		succeeded = json_object_array_length(mock->result);
	else if (mock->has_result)
		succeeded = 1;			/* fieldValidationMode NONE: the result as the
								 * one element */
	else if (config->map_iteration_failure_count >= 0)
	{
		if (failed > item_count)
			INVALID("stateConfiguration.mapIterationFailureCount is %zu, but the Map has %zu items", failed, item_count);
		succeeded = item_count - failed;
	}
	else
	{
		failed = 1;				/* the mocked error: the state's one failure */
		succeeded = 0;
	}
	*n = failed + succeeded;
	results = palloc0(sizeof(asl_result) * Max(*n, 1));
	for (size_t i = 0; i < failed; i++)
	{
		results[i].failed = true;
		results[i].error = mock->error ? mock->error : ASL_ERR_TASK_FAILED;
		results[i].cause = mock->error ? mock->cause : NULL;
	}
	for (size_t i = 0; i < succeeded; i++)
		results[failed + i].output = !mock->has_result ? NULL
			: json_object_is_type(mock->result, json_type_array) ? json_object_array_get_idx(mock->result, i)
			: mock->result;
	(void) st;
	return results;
}

json_object *
test_state_merge_context(json_object *base, json_object *given)
{
	json_object *merged = json_object_new_object();

	if (base != NULL && json_object_is_type(base, json_type_object))
	{
		json_object_object_foreach(base, key, val)
			json_object_object_add(merged, key, json_object_get(val));
	}
	{
		json_object_object_foreach(given, key, val)
		{
			json_object *have;

			if (json_object_is_type(val, json_type_object) &&
				json_object_object_get_ex(merged, key, &have) && json_object_is_type(have, json_type_object))
				json_object_object_add(merged, key, test_state_merge_context(have, val));
			else
				json_object_object_add(merged, key, json_object_get(val));
		}
	}
	return merged;
}

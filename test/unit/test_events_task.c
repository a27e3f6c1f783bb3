/*
 * test_events_task.c — the history events of a Task's life: names and shapes
 * per kind of resource (service integration, Lambda function ARN, activity).
 */
#include "unit.h"

#include "core/asl/definition_impl.h"
#include "core/asl/events.h"
#include "core/timestamp.h"

static void
resource(const char *arn, asl_resource *out)
{
	const char *code = NULL;
	const char *why = NULL;

	memset(out, 0, sizeof(*out));
	CHECK_MSG(asl_resource_parse(arn, out, &code, &why), "%s: %s", arn, why ? why : "?");
}

/* Checks one event and releases it. */
static void
check_event(json_object *event, const char *expected)
{
	CHECK_JSON(event, expected);
	json_object_put(event);
}

static void
test_service_integration(void)
{
	asl_resource r;
	json_object *params = json_tokener_parse("{\"TableName\": \"apartments\"}");
	json_object *out = json_tokener_parse("{\"Attributes\": {}}");

	resource("arn:aws:states:::dynamodb:updateItem", &r);
	check_event(asl_event_task(ASL_TASK_SCHEDULED, &r, "local", params, 30, 0, NULL, NULL),
				"{\"type\": \"TaskScheduled\", \"details\": {\"taskScheduledEventDetails\": {"
				"\"resourceType\": \"dynamodb\", \"resource\": \"updateItem\", \"region\": \"local\","
				"\"parameters\": {\"TableName\": \"apartments\"}, \"timeoutInSeconds\": 30}}}");
	check_event(asl_event_task(ASL_TASK_STARTED, &r, "local", NULL, 0, 0, NULL, NULL),
				"{\"type\": \"TaskStarted\", \"details\": {\"taskStartedEventDetails\": {"
				"\"resourceType\": \"dynamodb\", \"resource\": \"updateItem\"}}}");
	check_event(asl_event_task(ASL_TASK_SUCCEEDED, &r, "local", out, 0, 0, NULL, NULL),
				"{\"type\": \"TaskSucceeded\", \"details\": {\"taskSucceededEventDetails\": {"
				"\"resourceType\": \"dynamodb\", \"resource\": \"updateItem\","
				"\"output\": {\"Attributes\": {}}, \"outputDetails\": {\"truncated\": false}}}}");
	check_event(asl_event_task(ASL_TASK_FAILED, &r, "local", NULL, 0, 0,
							   "DynamoDB.ConditionalCheckFailedException", "The conditional request failed"),
				"{\"type\": \"TaskFailed\", \"details\": {\"taskFailedEventDetails\": {"
				"\"resourceType\": \"dynamodb\", \"resource\": \"updateItem\","
				"\"error\": \"DynamoDB.ConditionalCheckFailedException\","
				"\"cause\": \"The conditional request failed\"}}}");
	asl_resource_release(&r);

	/* the integration pattern stays in the resource, as AWS shows it */
	resource("arn:aws:states:::lambda:invoke.waitForTaskToken", &r);
	check_event(asl_event_task(ASL_TASK_SUBMITTED, &r, "eu-west-1", out, 0, 0, NULL, NULL),
				"{\"type\": \"TaskSubmitted\", \"details\": {\"taskSubmittedEventDetails\": {"
				"\"resourceType\": \"lambda\", \"resource\": \"invoke.waitForTaskToken\","
				"\"output\": {\"Attributes\": {}}, \"outputDetails\": {\"truncated\": false}}}}");
	check_event(asl_event_task(ASL_TASK_TIMED_OUT, &r, "eu-west-1", NULL, 0, 0,
							   "States.HeartbeatTimeout", NULL),
				"{\"type\": \"TaskTimedOut\", \"details\": {\"taskTimedOutEventDetails\": {"
				"\"resourceType\": \"lambda\", \"resource\": \"invoke.waitForTaskToken\","
				"\"error\": \"States.HeartbeatTimeout\"}}}");
	check_event(asl_event_task(ASL_TASK_SCHEDULED, &r, "eu-west-1", params, 60, 10, NULL, NULL),
				"{\"type\": \"TaskScheduled\", \"details\": {\"taskScheduledEventDetails\": {"
				"\"resourceType\": \"lambda\", \"resource\": \"invoke.waitForTaskToken\", \"region\": \"eu-west-1\","
				"\"parameters\": {\"TableName\": \"apartments\"}, \"timeoutInSeconds\": 60, \"heartbeatInSeconds\": 10}}}");
	asl_resource_release(&r);
	json_object_put(params);
	json_object_put(out);
}

static void
test_lambda_function(void)
{
	asl_resource r;
	json_object *input = json_tokener_parse("{\"nights\": 3}");

	resource("arn:aws:lambda:local:000000000000:function:quote_stay", &r);
	check_event(asl_event_task(ASL_TASK_SCHEDULED, &r, "local", input, 0, 5, NULL, NULL),
				"{\"type\": \"LambdaFunctionScheduled\", \"details\": {\"lambdaFunctionScheduledEventDetails\": {"
				"\"resource\": \"arn:aws:lambda:local:000000000000:function:quote_stay\","
				"\"input\": {\"nights\": 3}, \"inputDetails\": {\"truncated\": false}}}}");
	/* LambdaFunctionStarted has no details */
	check_event(asl_event_task(ASL_TASK_STARTED, &r, "local", NULL, 0, 0, NULL, NULL),
				"{\"type\": \"LambdaFunctionStarted\", \"details\": {}}");
	check_event(asl_event_task(ASL_TASK_FAILED, &r, "local", NULL, 0, 0, "PostgreSQL.22012", "division by zero"),
				"{\"type\": \"LambdaFunctionFailed\", \"details\": {\"lambdaFunctionFailedEventDetails\": {"
				"\"error\": \"PostgreSQL.22012\", \"cause\": \"division by zero\"}}}");
	check_event(asl_event_task(ASL_TASK_SUCCEEDED, &r, "local", NULL, 0, 0, NULL, NULL),
				"{\"type\": \"LambdaFunctionSucceeded\", \"details\": {\"lambdaFunctionSucceededEventDetails\": {"
				"\"output\": null, \"outputDetails\": {\"truncated\": false}}}}");
	asl_resource_release(&r);
	json_object_put(input);
}

static void
test_activity(void)
{
	asl_resource r;
	json_object *input = json_tokener_parse("{\"guest\": \"Ada\"}");
	json_object *worker = json_object_new_string("worker-1");

	resource("arn:aws:states:local:000000000000:activity:approve", &r);
	check_event(asl_event_task(ASL_TASK_SCHEDULED, &r, "local", input, 300, 20, NULL, NULL),
				"{\"type\": \"ActivityScheduled\", \"details\": {\"activityScheduledEventDetails\": {"
				"\"resource\": \"arn:aws:states:local:000000000000:activity:approve\","
				"\"input\": {\"guest\": \"Ada\"}, \"inputDetails\": {\"truncated\": false},"
				"\"timeoutInSeconds\": 300, \"heartbeatInSeconds\": 20}}}");
	check_event(asl_event_task(ASL_TASK_STARTED, &r, "local", worker, 0, 0, NULL, NULL),
				"{\"type\": \"ActivityStarted\", \"details\": {\"activityStartedEventDetails\": {\"workerName\": \"worker-1\"}}}");
	check_event(asl_event_task(ASL_TASK_STARTED, &r, "local", NULL, 0, 0, NULL, NULL),
				"{\"type\": \"ActivityStarted\", \"details\": {\"activityStartedEventDetails\": {}}}");
	check_event(asl_event_task(ASL_TASK_SCHEDULE_FAILED, &r, "local", NULL, 0, 0, "ActivityDoesNotExist", "no such activity"),
				"{\"type\": \"ActivityScheduleFailed\", \"details\": {\"activityScheduleFailedEventDetails\": {"
				"\"error\": \"ActivityDoesNotExist\", \"cause\": \"no such activity\"}}}");
	check_event(asl_event_task(ASL_TASK_TIMED_OUT, &r, "local", NULL, 0, 0, "States.Timeout", "too slow"),
				"{\"type\": \"ActivityTimedOut\", \"details\": {\"activityTimedOutEventDetails\": {"
				"\"error\": \"States.Timeout\", \"cause\": \"too slow\"}}}");
	asl_resource_release(&r);
	json_object_put(input);
	json_object_put(worker);
}

/* asl_concat: the names above, and what it does when they don't fit */
static void
test_concat(void)
{
	char		buf[8];

	asl_concat(buf, sizeof buf, "Task", "Ok");
	CHECK_STR(buf, "TaskOk");
	asl_concat(buf, sizeof buf, "Lambda", "Function");
	CHECK_STR(buf, "LambdaF");	/* 7 bytes and the terminator */
	asl_concat(buf, sizeof buf, "LongerThanBuf", "x");
	CHECK_STR(buf, "LongerT");
	asl_concat(buf, sizeof buf, "", "");
	CHECK_STR(buf, "");
	asl_concat(buf, 1, "a", "b");
	CHECK_STR(buf, "");
}

/*
 * The events' timestamps: the text of the second formatted last is kept, so
 * the same second, another second, a second before 1970, a year past 9999
 * and a second seen before are each written in full and right.
 */
static void
test_timestamp_format(void)
{
	char		buf[32];
	asl_time	t;

	CHECK(asl_timestamp_parse("2026-12-07T07:29:42.123Z", &t));
	asl_timestamp_format(t, buf);
	CHECK_STR(buf, "2026-12-07T07:29:42.123Z");
	asl_timestamp_format(t + 876 * 1000, buf);	/* the same second */
	CHECK_STR(buf, "2026-12-07T07:29:42.999Z");
	asl_timestamp_format(t + 877 * 1000, buf);	/* the next */
	CHECK_STR(buf, "2026-12-07T07:29:43.000Z");
	asl_timestamp_format(t - 123 * 1000, buf);	/* the one before, again */
	CHECK_STR(buf, "2026-12-07T07:29:42.000Z");
	asl_timestamp_format(-1, buf);	/* a microsecond before 1970 */
	CHECK_STR(buf, "1969-12-31T23:59:59.999Z");
	asl_timestamp_format(0, buf);
	CHECK_STR(buf, "1970-01-01T00:00:00.000Z");
	CHECK(asl_timestamp_parse("9999-12-31T23:59:59.5Z", &t));
	asl_timestamp_format(t + 1000 * 1000, buf); /* not kept: snprintf's */
	CHECK_STR(buf, "10000-01-01T00:00:00.500Z");
	asl_timestamp_format(t, buf);
	CHECK_STR(buf, "9999-12-31T23:59:59.500Z");
	asl_timestamp_format(t + 1000 * 1000, buf);
	CHECK_STR(buf, "10000-01-01T00:00:00.500Z");
}

/* asl_event_is_plain_exit: the exit asl_event_exited_details builds, and nothing else */
static void
test_plain_exit(void)
{
	json_object *output = json_tokener_parse("{\"a\": 1}");
	json_object *copy = json_tokener_parse("{\"a\": 1}");
	json_object *assigned = json_tokener_parse("{\"n\": 1}");
	json_object *plain = asl_event_new("WaitStateExited", asl_event_exited_details("Hold", output, NULL));
	json_object *with_vars = asl_event_new("WaitStateExited",
										   asl_event_exited_details("Hold", output, assigned));

	CHECK(asl_event_is_plain_exit(plain, "WaitStateExited", "Hold", output));
	CHECK(!asl_event_is_plain_exit(plain, "WaitStateExited", "Hold", copy));	/* another object */
	CHECK(!asl_event_is_plain_exit(plain, "WaitStateExited", "Other", output));
	CHECK(!asl_event_is_plain_exit(plain, "PassStateExited", "Hold", output));
	CHECK(!asl_event_is_plain_exit(plain, "WaitStateExited", "Hold", NULL));
	CHECK(!asl_event_is_plain_exit(with_vars, "WaitStateExited", "Hold", output));
	json_object_object_add(plain, "timestamp", json_object_new_string("2026-12-07T07:29:42.123Z"));
	CHECK(!asl_event_is_plain_exit(plain, "WaitStateExited", "Hold", output));	/* stamped */
	json_object_put(plain);
	json_object_put(with_vars);
	json_object_put(output);
	json_object_put(copy);
	json_object_put(assigned);
}

UNIT_MAIN("events_task", {
	test_plain_exit();
	test_timestamp_format();
	test_concat();
	test_service_integration();
	test_lambda_function();
	test_activity();
})

/*
 * test_mock.c — Step Functions Local's mock configuration: checking one, and
 * picking an invocation's response.
 */
#include <stdlib.h>
#include <string.h>

#include "core/asl/mock.h"
#include "unit.h"

static const char *CONFIG =
	"{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": {\"Charge\": \"R\"}}}},"
	" \"MockedResponses\": {\"R\": {\"0\": {\"Return\": {\"paid\": 1}},"
	"                             \"1-2\": {\"Throw\": {\"Error\": \"Busy\", \"Cause\": \"slow\"}},"
	"                             \"3\": {\"Throw\": {\"Error\": \"NoCause\"}}}}}";

static void
invalid(const char *text, const char *expected_why)
{
	json_object *config = json_tokener_parse(text);
	char	   *why = NULL;

	CHECK_MSG(!asl_mock_config_check(config, &why), "should be invalid: %s", text);
	CHECK_STR(why, expected_why);
	free(why);
	json_object_put(config);
}

UNIT_MAIN("mock", {
	json_object *config = json_tokener_parse(CONFIG);
	json_object *responses = json_object_object_get(json_object_object_get(config, "MockedResponses"), "R");
	json_object *result = NULL;
	char	   *why = NULL;
	asl_error	err;

	CHECK(asl_mock_config_check(config, &why));
	CHECK(why == NULL);

	memset(&err, 0, sizeof(err));
	CHECK(asl_mock_pick(responses, 0, &result, &err));
	CHECK(!asl_error_is_set(&err));
	CHECK_STR(json_object_to_json_string_ext(result, JSON_C_TO_STRING_PLAIN), "{\"paid\":1}");
	for (int i = 1; i <= 2; i++)
	{
		CHECK(asl_mock_pick(responses, i, &result, &err));
		CHECK_STR(err.name, "Busy");
		CHECK_STR(err.cause, "slow");
		asl_error_clear(&err);
	}
	CHECK(asl_mock_pick(responses, 3, &result, &err));
	CHECK_STR(err.name, "NoCause");
	CHECK_STR(err.cause, "");
	asl_error_clear(&err);
	CHECK(!asl_mock_pick(responses, 4, &result, &err));
	CHECK(!asl_error_is_set(&err));
	json_object_put(config);

	invalid("[]", "the mock configuration must be an object with StateMachines and MockedResponses");
	invalid("{\"MockedResponses\": {}}", "/StateMachines must be an object of state machine names");
	invalid("{\"StateMachines\": {}}", "/MockedResponses must be an object of response names");
	invalid("{\"StateMachines\": {\"M\": {}}, \"MockedResponses\": {}}",
			"/StateMachines/M must hold TestCases (an object of test case names)");
	invalid("{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": {\"S\": \"Nope\"}}}}, \"MockedResponses\": {}}",
			"/StateMachines/M/TestCases/T/S: no mocked response \"Nope\"");
	invalid("{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": {\"S\": 1}}}}, \"MockedResponses\": {}}",
			"/StateMachines/M/TestCases/T/S must name a mocked response");
	invalid("{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"2-1\": {\"Return\": 1}}}}",
			"/MockedResponses/R/2-1: an invocation index is \"N\" or \"N-M\"");
	invalid("{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Throw\": {\"Cause\": \"c\"}}}}}",
			"/MockedResponses/R/0/Throw needs Error (a string) and may have Cause (a string)");
	invalid("{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {}}}",
			"/MockedResponses/R must be an object of invocation indexes (\"0\", \"1-2\")");
	invalid("{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {}}}}",
			"/MockedResponses/R/0 must hold Return or Throw (one of them)");
})

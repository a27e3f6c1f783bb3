/*
 * mock.c — Step Functions Local's mock configuration: checking one, and
 * picking the response of an invocation. See mock.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl/mock.h"

static bool fail(char **why, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/* Sets *why to a formatted message (malloc'd) and returns false. */
static bool
fail(char **why, const char *fmt,...)
{
	va_list		ap;
	char	   *msg = malloc(512);

	if (msg == NULL)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, 512, fmt, ap);
	va_end(ap);
	*why = msg;
	return false;
}

/* "N" or "N-M" (0 <= N <= M): sets *lo and *hi. */
static bool
parse_range(const char *key, int *lo, int *hi)
{
	char	   *end;
	long		a;
	long		b;

	if (key[0] < '0' || key[0] > '9')
		return false;
	a = strtol(key, &end, 10);
	b = a;
	if (*end == '-')
	{
		const char *rest = end + 1;

		if (rest[0] < '0' || rest[0] > '9')
			return false;
		b = strtol(rest, &end, 10);
	}
	if (*end != '\0' || a < 0 || b < a || b > 1000000)
		return false;
	*lo = (int) a;
	*hi = (int) b;
	return true;
}

/*
 * Checks a mocked response: invocation indexes ("0", "1-2") mapped to
 * Return or Throw.
 */
static bool
check_response(const char *name, json_object *response, char **why)
{
	int			lo;
	int			hi;

	if (!json_object_is_type(response, json_type_object) || json_object_object_length(response) == 0)
		return fail(why, "/MockedResponses/%s must be an object of invocation indexes (\"0\", \"1-2\")", name);
	{
		json_object_object_foreach(response, key, entry)
		{
			json_object *ret = NULL;
			json_object *thr = NULL;
			bool		has_ret = json_object_object_get_ex(entry, "Return", &ret);
			bool		has_thr = json_object_object_get_ex(entry, "Throw", &thr);

			if (!parse_range(key, &lo, &hi))
				return fail(why, "/MockedResponses/%s/%s: an invocation index is \"N\" or \"N-M\"", name, key);
			if (!json_object_is_type(entry, json_type_object) || has_ret == has_thr ||
				json_object_object_length(entry) != 1)
				return fail(why, "/MockedResponses/%s/%s must hold Return or Throw (one of them)", name, key);
			if (has_thr)
			{
				json_object *error = NULL;
				json_object *cause = NULL;

				if (!json_object_is_type(thr, json_type_object) ||
					!json_object_object_get_ex(thr, "Error", &error) || !json_object_is_type(error, json_type_string) ||
					(json_object_object_get_ex(thr, "Cause", &cause) && !json_object_is_type(cause, json_type_string)))
					return fail(why, "/MockedResponses/%s/%s/Throw needs Error (a string) and may have Cause (a string)",
								name, key);
			}
		}
	}
	return true;
}

/*
 * Checks a test case: each state name mapped to a response defined in
 * MockedResponses.
 */
static bool
check_test_case(const char *mname, const char *cname, json_object *tc, json_object *responses, char **why)
{
	if (!json_object_is_type(tc, json_type_object))
		return fail(why, "/StateMachines/%s/TestCases/%s must map state names to response names", mname, cname);
	{
		json_object_object_foreach(tc, sname, rname)
		{
			if (!json_object_is_type(rname, json_type_string))
				return fail(why, "/StateMachines/%s/TestCases/%s/%s must name a mocked response", mname, cname, sname);
			if (!json_object_object_get_ex(responses, json_object_get_string(rname), NULL))
				return fail(why, "/StateMachines/%s/TestCases/%s/%s: no mocked response \"%s\"",
							mname, cname, sname, json_object_get_string(rname));
		}
	}
	return true;
}

bool
asl_mock_config_check(json_object *config, char **why)
{
	json_object *machines = NULL;
	json_object *responses = NULL;

	*why = NULL;
	if (!json_object_is_type(config, json_type_object))
		return fail(why, "the mock configuration must be an object with StateMachines and MockedResponses");
	if (!json_object_object_get_ex(config, "StateMachines", &machines) ||
		!json_object_is_type(machines, json_type_object))
		return fail(why, "/StateMachines must be an object of state machine names");
	if (!json_object_object_get_ex(config, "MockedResponses", &responses) ||
		!json_object_is_type(responses, json_type_object))
		return fail(why, "/MockedResponses must be an object of response names");
	{
		json_object_object_foreach(responses, rname, response)
		{
			if (!check_response(rname, response, why))
				return false;
		}
	}
	{
		json_object_object_foreach(machines, mname, machine)
		{
			json_object *cases = NULL;

			if (!json_object_is_type(machine, json_type_object) ||
				!json_object_object_get_ex(machine, "TestCases", &cases) ||
				!json_object_is_type(cases, json_type_object))
				return fail(why, "/StateMachines/%s must hold TestCases (an object of test case names)", mname);
			{
				json_object_object_foreach(cases, cname, tc)
				{
					if (!check_test_case(mname, cname, tc, responses, why))
						return false;
				}
			}
		}
	}
	return true;
}

bool
asl_mock_pick(json_object *responses, int invocation, json_object **result, asl_error *err)
{
	*result = NULL;
	{
		json_object_object_foreach(responses, key, entry)
		{
			int			lo;
			int			hi;
			json_object *ret = NULL;
			json_object *thr = NULL;

			if (!parse_range(key, &lo, &hi) || invocation < lo || invocation > hi)
				continue;
			if (json_object_object_get_ex(entry, "Return", &ret))
			{
				*result = ret;
				return true;
			}
			if (json_object_object_get_ex(entry, "Throw", &thr))
			{
				json_object *error = NULL;
				json_object *cause = NULL;

				json_object_object_get_ex(thr, "Error", &error);
				json_object_object_get_ex(thr, "Cause", &cause);
				asl_error_set(err, error ? json_object_get_string(error) : ASL_ERR_TASK_FAILED, "%s",
							  cause ? json_object_get_string(cause) : "");
				return true;
			}
		}
	}
	return false;
}

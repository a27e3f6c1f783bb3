/*
 * test_step.c — the transition function (asl_step) and its continuations
 * (asl_step_task_done, asl_step_branches_done), one call at a time.
 *
 * The conformance corpus drives whole runs through asl_run; here each call
 * is checked on its own: Retry back-off and counters, error matching, Catch,
 * the data flow of a Task's result, what a TASK / WAIT / BRANCHES outcome
 * hands the host, inspection data, history events, and that a position
 * rebuilt from JSON text (as a host persists it) gives the same outcome.
 *
 * Definitions and documents are written with single quotes, turned into
 * double quotes before parsing (no text here contains an apostrophe).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <json-c/json_pointer.h>

#include "core/asl/context.h"
#include "core/asl/dataflow.h"
#include "core/asl/definition.h"
#include "core/asl/retry.h"
#include "core/asl/step.h"
#include "unit.h"

#define SEC ASL_USEC_PER_SEC
/* 2024-06-01T00:00:00Z */
#define T0 (INT64_C(1717200000) * SEC)

#define FN "arn:aws:lambda:us-east-1:123456789012:function:f"

/* The outcome kind's name, for the messages and dumps of these tests. */
static const char *
outcome_kind_name(asl_outcome_kind kind)
{
	switch (kind)
	{
		case ASL_OUTCOME_NEXT:
			return "NEXT";
		case ASL_OUTCOME_END:
			return "END";
		case ASL_OUTCOME_FAIL:
			return "FAIL";
		case ASL_OUTCOME_WAIT:
			return "WAIT";
		case ASL_OUTCOME_TASK:
			return "TASK";
		case ASL_OUTCOME_RETRY:
			return "RETRY";
		case ASL_OUTCOME_BRANCHES:
			return "BRANCHES";
	}
	return "UNKNOWN";
}

static json_object *base_ctx;	/* execution-level $$ */

/* ---- helpers ---- */

static json_object *
parse(const char *text)
{
	char	   *s;
	json_object *v;

	if (text == NULL)
		return NULL;
	s = strdup(text);
	if (s == NULL)
		abort();
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	v = json_tokener_parse(s);
	if (v == NULL && strcmp(s, "null") != 0)
	{
		fprintf(stderr, "test_step: bad JSON in the test itself: %s\n", s);
		abort();
	}
	free(s);
	return v;
}

static const char *
jstr(json_object *o)
{
	return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "null";
}

static void
check_json(int line, json_object *actual, const char *expected_text)
{
	json_object *e = parse(expected_text);

	if (json_object_equal(actual, e))
		unit_passed++;
	else
	{
		unit_failed++;
		fprintf(stderr, "%s:%d: expected %s, got %s\n", __FILE__, line, jstr(e), jstr(actual));
	}
	json_object_put(e);
}

#define CHECK_J(actual, expected) check_json(__LINE__, (actual), (expected))

/* A member of o by JSON pointer ("/State/RetryCount"), borrowed; NULL when absent. */
static json_object *
ptr(json_object *o, const char *pointer)
{
	json_object *v = NULL;

	if (o == NULL || json_pointer_get(o, pointer, &v) != 0)
		return NULL;
	return v;
}

/* The event types of an events array, joined with commas. */
static const char *
types(json_object *events)
{
	static char buf[512];
	size_t		len = 0;

	buf[0] = '\0';
	if (!json_object_is_type(events, json_type_array))
		return "(no array)";
	for (size_t i = 0; i < json_object_array_length(events); i++)
	{
		json_object *t = ptr(json_object_array_get_idx(events, i), "/type");

		len += (size_t) snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "",
								 t ? json_object_get_string(t) : "?");
		if (len >= sizeof buf)
			break;
	}
	return buf;
}

static json_object *
event_at(json_object *events, size_t i)
{
	if (!json_object_is_type(events, json_type_array) || i >= json_object_array_length(events))
		return NULL;
	return json_object_array_get_idx(events, i);
}

static asl_machine *
compile(const char *text)
{
	json_object *def = parse(text);
	asl_diags	d;
	asl_machine *m;

	asl_diags_init(&d);
	m = asl_machine_compile(def, &d);
	if (m == NULL)
	{
		fprintf(stderr, "test_step: a test machine does not compile:\n");
		for (size_t i = 0; i < d.count; i++)
			fprintf(stderr, "    %s %s at \"%s\": %s\n", asl_severity_name(d.items[i].severity),
					d.items[i].code, d.items[i].location, d.items[i].message);
		abort();
	}
	asl_diags_free(&d);
	json_object_put(def);
	return m;
}

static asl_env
env_at(asl_time now)
{
	asl_env		e;

	memset(&e, 0, sizeof e);
	e.context = base_ctx;
	e.now = now;
	e.task_context = true;		/* the $$ a Task saw, checked below */
	return e;
}

static void
pos_make(asl_position *p, const char *state, const char *input, const char *vars,
		 const char *attempts, asl_time entered)
{
	memset(p, 0, sizeof *p);
	p->state = state;
	p->input = parse(input);
	p->variables = parse(vars);
	p->attempts = parse(attempts);
	p->entered = entered;
}

static void
pos_free(asl_position *p)
{
	json_object_put(p->input);
	json_object_put(p->variables);
	json_object_put(p->attempts);
	memset(p, 0, sizeof *p);
}

static void
do_step(const asl_machine *m, const char *state, const char *input, const char *vars,
		const char *attempts, const asl_env *env, asl_outcome *out)
{
	asl_position p;

	pos_make(&p, state, input, vars, attempts, 0);
	asl_step(m, &p, env, out);
	pos_free(&p);
}

/* asl_step_task_done with a failed task. */
static void
do_fail(const asl_machine *m, const char *state, const char *input, const char *vars,
		const char *attempts, const asl_env *env, const char *error, const char *cause,
		asl_outcome *out)
{
	asl_position p;
	asl_result	r;

	pos_make(&p, state, input, vars, attempts, 0);
	memset(&r, 0, sizeof r);
	r.failed = true;
	r.error = error;
	r.cause = cause;
	asl_step_task_done(m, &p, env, &r, out);
	pos_free(&p);
}

/* asl_step_task_done with a task that returned result (JSON text). */
static void
do_ok(const asl_machine *m, const char *state, const char *input, const char *vars,
	  const char *attempts, const asl_env *env, const char *result, asl_outcome *out)
{
	asl_position p;
	asl_result	r;

	pos_make(&p, state, input, vars, attempts, 0);
	memset(&r, 0, sizeof r);
	r.output = parse(result);
	asl_step_task_done(m, &p, env, &r, out);
	json_object_put(r.output);
	pos_free(&p);
}

/* One branch result; text NULL with error set means a failure. */
typedef struct branch_res
{
	const char *output;
	const char *error;
	const char *cause;
} branch_res;

static void
do_branches(const asl_machine *m, const char *state, const char *input, const char *vars,
			const asl_env *env, const branch_res *br, size_t n, asl_outcome *out)
{
	asl_position p;
	asl_result	r[8];

	pos_make(&p, state, input, vars, NULL, 0);
	memset(r, 0, sizeof r);
	for (size_t i = 0; i < n && i < 8; i++)
	{
		r[i].failed = br[i].error != NULL;
		r[i].output = r[i].failed ? NULL : parse(br[i].output);
		r[i].error = br[i].error;
		r[i].cause = br[i].cause;
	}
	asl_step_branches_done(m, &p, env, r, n, out);
	for (size_t i = 0; i < n && i < 8; i++)
		json_object_put(r[i].output);
	pos_free(&p);
}

#define KIND(o) outcome_kind_name((o).kind)

/* ---- machines ---- */

/* Back-off arithmetic: one retrier per error name. */
static const char *const m_backoff =
"{'StartAt': 'T', 'States': {"
" 'T': {'Type': 'Task', 'Resource': '" FN "',"
"  'Retry': ["
"   {'ErrorEquals': ['A'], 'IntervalSeconds': 3, 'MaxAttempts': 4, 'BackoffRate': 1.5},"
"   {'ErrorEquals': ['B'], 'IntervalSeconds': 2, 'MaxAttempts': 5, 'BackoffRate': 3, 'MaxDelaySeconds': 30},"
"   {'ErrorEquals': ['Z'], 'MaxAttempts': 0},"
"   {'ErrorEquals': ['D']},"
"   {'ErrorEquals': ['J'], 'IntervalSeconds': 10, 'MaxAttempts': 5, 'JitterStrategy': 'FULL'},"
"   {'ErrorEquals': ['K', 'B'], 'IntervalSeconds': 100}],"
"  'Catch': [{'ErrorEquals': ['B'], 'Next': 'H', 'ResultPath': '$.err'}],"
"  'Next': 'H'},"
" 'H': {'Type': 'Pass', 'End': true}}}";

/* Two retriers, to watch the per-retrier counters. */
static const char *const m_two =
"{'StartAt': 'T', 'States': {"
" 'T': {'Type': 'Task', 'Resource': '" FN "',"
"  'Retry': ["
"   {'ErrorEquals': ['X'], 'IntervalSeconds': 1},"
"   {'ErrorEquals': ['Y'], 'IntervalSeconds': 5, 'BackoffRate': 2, 'MaxAttempts': 3}],"
"  'End': true}}}";

/* First match wins, wildcards. */
static const char *const m_match =
"{'StartAt': 'T', 'States': {"
" 'T': {'Type': 'Task', 'Resource': '" FN "',"
"  'TimeoutSecondsPath': '$.t',"
"  'Retry': ["
"   {'ErrorEquals': ['X'], 'IntervalSeconds': 5, 'MaxAttempts': 1},"
"   {'ErrorEquals': ['States.ALL'], 'IntervalSeconds': 7, 'MaxAttempts': 2}],"
"  'Catch': ["
"   {'ErrorEquals': ['X'], 'Next': 'C1'},"
"   {'ErrorEquals': ['States.TaskFailed'], 'Next': 'C2'},"
"   {'ErrorEquals': ['States.ALL'], 'Next': 'C3'}],"
"  'Next': 'C1'},"
" 'C1': {'Type': 'Pass', 'Next': 'C2'},"
" 'C2': {'Type': 'Pass', 'Next': 'C3'},"
" 'C3': {'Type': 'Pass', 'End': true}}}";

/* Catchers and their ResultPath and Assign. */
static const char *const m_catch =
"{'StartAt': 'T', 'States': {"
" 'T': {'Type': 'Task', 'Resource': '" FN "', 'OutputPath': '$.nothing',"
"  'Catch': ["
"   {'ErrorEquals': ['E1'], 'Next': 'N'},"
"   {'ErrorEquals': ['E2'], 'Next': 'N', 'ResultPath': '$.err'},"
"   {'ErrorEquals': ['E3'], 'Next': 'N', 'ResultPath': null},"
"   {'ErrorEquals': ['E4'], 'Next': 'N', 'ResultPath': '$.s.deep'},"
"   {'ErrorEquals': ['E5'], 'Next': 'N', 'ResultPath': '$.a.b',"
"    'Assign': {'lastError.$': '$.Error', 'kept.$': '$old'}}],"
"  'Next': 'N'},"
" 'N': {'Type': 'Pass', 'End': true}}}";

/* A Task's result through ResultSelector, Assign, ResultPath, OutputPath. */
static const char *const m_task =
"{'StartAt': 'T', 'States': {"
" 'T': {'Type': 'Task', 'Resource': '" FN "',"
"  'ResultSelector': {'v.$': '$.payload.value', 'retries.$': '$$.State.RetryCount', 'who.$': '$who'},"
"  'ResultPath': '$.a.res', 'OutputPath': '$.a',"
"  'Assign': {'raw.$': '$.payload.value', 'prev.$': '$counter', 'counter.$': 'States.MathAdd($counter, 1)'},"
"  'Next': 'E'},"
" 'E': {'Type': 'Task', 'Resource': '" FN "', 'ResultPath': null, 'End': true}}}";

/* What a TASK outcome hands the host. */
static const char *const m_tasks =
"{'StartAt': 'K', 'States': {"
" 'K': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke.waitForTaskToken',"
"  'InputPath': '$.in',"
"  'Parameters': {'FunctionName': 'f', 'Payload': {'x.$': '$.x', 'token.$': '$$.Task.Token', 'n.$': '$$.State.Name'}},"
"  'TimeoutSecondsPath': '$.t', 'HeartbeatSecondsPath': '$.h',"
"  'Credentials': {'RoleArn': 'arn:aws:iam::123456789012:role/r'},"
"  'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'L'}],"
"  'Next': 'L'},"
" 'L': {'Type': 'Task', 'Resource': '" FN "', 'TimeoutSeconds': 30, 'HeartbeatSeconds': 10, 'Next': 'P'},"
" 'P': {'Type': 'Task', 'Resource': '" FN "', 'End': true}}}";

static const char *const m_wait =
"{'StartAt': 'W1', 'States': {"
" 'W1': {'Type': 'Wait', 'Seconds': 10, 'OutputPath': '$.keep', 'Next': 'W2'},"
" 'W2': {'Type': 'Wait', 'Timestamp': '2024-06-01T01:00:00Z', 'Next': 'W3'},"
" 'W3': {'Type': 'Wait', 'SecondsPath': '$.s', 'Next': 'W4'},"
" 'W4': {'Type': 'Wait', 'TimestampPath': '$.ts', 'Next': 'W5'},"
" 'W5': {'Type': 'Wait', 'Seconds': 5, 'Assign': {'waited.$': '$.keep'}, 'End': true}}}";

static const char *const m_parallel =
"{'StartAt': 'P', 'States': {"
" 'P': {'Type': 'Parallel', 'InputPath': '$.in',"
"  'Branches': ["
"   {'StartAt': 'B1', 'States': {'B1': {'Type': 'Pass', 'End': true}}},"
"   {'StartAt': 'B2', 'States': {'B2': {'Type': 'Pass', 'End': true}}},"
"   {'StartAt': 'B3', 'States': {'B3': {'Type': 'Pass', 'End': true}}}],"
"  'ResultSelector': {'first.$': '$[0]', 'all.$': '$'},"
"  'ResultPath': '$.out',"
"  'Catch': [{'ErrorEquals': ['Boom'], 'Next': 'Q', 'ResultPath': '$.err'}],"
"  'Next': 'Q'},"
" 'Q': {'Type': 'Parallel', 'Parameters': {'v.$': '$.in.v', 'fixed': true},"
"  'Branches': [{'StartAt': 'Q1', 'States': {'Q1': {'Type': 'Pass', 'End': true}}}],"
"  'End': true}}}";

static const char *const m_map =
"{'StartAt': 'M', 'States': {"
" 'M': {'Type': 'Map', 'ItemsPath': '$.items',"
"  'ItemSelector': {'idx.$': '$$.Map.Item.Index', 'val.$': '$$.Map.Item.Value', 'k.$': '$.k'},"
"  'MaxConcurrencyPath': '$.mc', 'ToleratedFailureCount': 1,"
"  'ItemProcessor': {'ProcessorConfig': {'Mode': 'DISTRIBUTED', 'ExecutionType': 'STANDARD'}, 'StartAt': 'I',"
"   'States': {'I': {'Type': 'Pass', 'End': true}}},"
"  'ResultPath': '$.results', 'Next': 'M2'},"
" 'M2': {'Type': 'Map', 'MaxConcurrency': 5, 'ToleratedFailurePercentage': 50,"
"  'ItemProcessor': {'ProcessorConfig': {'Mode': 'DISTRIBUTED', 'ExecutionType': 'EXPRESS'}, 'StartAt': 'I2', 'States': {'I2': {'Type': 'Pass', 'End': true}}},"
"  'Next': 'M3'},"
" 'M3': {'Type': 'Map', 'ItemsPath': '$.xs',"
"  'Iterator': {'StartAt': 'I3', 'States': {'I3': {'Type': 'Pass', 'End': true}}},"
"  'End': true}}}";

static const char *const m_inspect =
"{'StartAt': 'IT', 'States': {"
" 'IT': {'Type': 'Task', 'Resource': '" FN "', 'InputPath': '$.in',"
"  'Parameters': {'p.$': '$.a'}, 'ResultSelector': {'s.$': '$.r'}, 'ResultPath': '$.in.out',"
"  'Retry': [{'ErrorEquals': ['R'], 'IntervalSeconds': 4}],"
"  'Catch': [{'ErrorEquals': ['C'], 'Next': 'IP'}],"
"  'Next': 'IP'},"
" 'IP': {'Type': 'Pass', 'InputPath': '$.in', 'Parameters': {'q.$': '$.a'}, 'ResultPath': '$.res', 'End': true}}}";

static const char *const m_misc =
"{'StartAt': 'Pa', 'States': {"
" 'Pa': {'Type': 'Pass', 'Result': {'r': 1}, 'ResultPath': '$.pr', 'Assign': {'got.$': '$.r'}, 'Next': 'Ch'},"
" 'Ch': {'Type': 'Choice', 'Choices': [{'Variable': '$.n', 'NumericGreaterThan': 1, 'Next': 'Su'}],"
"  'Default': 'Fa'},"
" 'Su': {'Type': 'Succeed'},"
" 'Fa': {'Type': 'Fail', 'Error': 'Bad', 'Cause': 'because'}}}";

/* ---- error matching, back-off arithmetic, attempt counters ---- */

static void
test_error_equals(void)
{
	char	   *all[] = {"States.ALL"};
	char	   *tf[] = {"States.TaskFailed"};
	char	   *named[] = {"States.DataLimitExceeded", "States.Runtime", "MyError"};
	char	   *timeout[] = {"States.Timeout"};

	/* AWS: "States.ALL ... A wildcard that matches any known error name" */
	CHECK(asl_error_equals(all, 1, "MyError"));
	CHECK(asl_error_equals(all, 1, "States.Timeout"));
	CHECK(asl_error_equals(all, 1, "States.TaskFailed"));
	/* AWS: "A States.Runtime error isn't retriable, and will always cause the execution to fail" */
	CHECK(!asl_error_equals(all, 1, "States.Runtime"));
	CHECK(!asl_error_equals(named, 3, "States.Runtime"));
	/* AWS: States.DataLimitExceeded is "a terminal error that can't be caught by the States.ALL error type" */
	CHECK(!asl_error_equals(all, 1, "States.DataLimitExceeded"));
	CHECK(asl_error_equals(named, 3, "States.DataLimitExceeded"));
	/* AWS: "States.TaskFailed ... matches any known error name except for States.Timeout" */
	CHECK(!asl_error_equals(tf, 1, "States.Timeout"));
	CHECK(asl_error_equals(tf, 1, "Lambda.Unknown"));
	CHECK(asl_error_equals(tf, 1, "States.TaskFailed"));
	CHECK(asl_error_equals(tf, 1, "States.Permissions"));
	CHECK(!asl_error_equals(tf, 1, "States.DataLimitExceeded"));
	CHECK(!asl_error_equals(tf, 1, "States.Runtime"));
	CHECK(asl_error_equals(timeout, 1, "States.Timeout"));
	/* any other name matches itself only, case-sensitively */
	CHECK(asl_error_equals(named, 3, "MyError"));
	CHECK(!asl_error_equals(named, 3, "myerror"));
	CHECK(!asl_error_equals(named, 3, "MyError2"));
	CHECK(!asl_error_equals(all, 1, NULL));
}

static void
test_retry_delay(void)
{
	asl_retrier r;

	memset(&r, 0, sizeof r);
	r.interval_seconds = 1;
	r.backoff_rate = 2.0;
	r.max_attempts = 3;
	/* spec: "BackoffRate ... the multiplier by which the retry interval increases with each attempt" */
	CHECK(asl_retry_delay(&r, 0, 0.5) == 1.0);
	CHECK(asl_retry_delay(&r, 1, 0.5) == 2.0);
	CHECK(asl_retry_delay(&r, 2, 0.5) == 4.0);
	/* far beyond any sane value: finite, never an overflow */
	CHECK(asl_retry_delay(&r, 100000, 0.5) == 1.0e12);
	r.max_delay_seconds = 3;
	CHECK(asl_retry_delay(&r, 2, 0.5) == 3.0);
	r.jitter_full = true;
	/* the cap applies before the jitter draws from [0, capped) */
	CHECK(asl_retry_delay(&r, 2, 0.5) == 1.5);
	/* a random outside [0, 1) is not trusted */
	CHECK(asl_retry_delay(&r, 2, 1.0) == 0.0);
	CHECK(asl_retry_delay(&r, 2, -0.5) == 0.0);
}

static void
test_attempts_total(void)
{
	json_object *a;

	CHECK_INT(asl_attempts_total(NULL), 0);
	a = parse("[]");
	CHECK_INT(asl_attempts_total(a), 0);
	json_object_put(a);
	a = parse("[2, 0, 3]");
	CHECK_INT(asl_attempts_total(a), 5);
	json_object_put(a);
	/* what is not a sane count is ignored */
	a = parse("['x', -1, 2, 1.5, null]");
	CHECK_INT(asl_attempts_total(a), 2);
	json_object_put(a);
	a = parse("{'a': 4}");
	CHECK_INT(asl_attempts_total(a), 0);
	json_object_put(a);
}

static void
test_scope_enter(void)
{
	json_object *outer = parse("{'a': 1, 'b': {'c': 2}}");
	json_object *inner = asl_scope_enter(outer);
	json_object *empty = asl_scope_enter(NULL);

	CHECK_J(inner, "{'a': 1, 'b': {'c': 2}}");
	CHECK(inner != outer);
	json_object_object_add(inner, "new", json_object_new_int(3));
	/* a branch's own assignments stay inside it */
	CHECK_J(outer, "{'a': 1, 'b': {'c': 2}}");
	CHECK_J(empty, "{}");
	json_object_put(inner);
	json_object_put(empty);
	json_object_put(outer);
}

/* ---- Retry ---- */

static void
test_backoff(void)
{
	asl_machine *m = compile(m_backoff);
	asl_env		env = env_at(T0 + 100 * SEC);
	asl_outcome o;
	asl_position p;
	asl_result	r;

	/*
	 * spec "Retrying after error": IntervalSeconds before the first retry,
	 * multiplied by BackoffRate for each further attempt.
	 */
	do_fail(m, "T", "{'x': 1}", NULL, "[0, 2, 0, 0, 0, 0]", &env, "B", "why", &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_STR(o.next, "T");
	CHECK_STR(o.state, "T");
	CHECK_INT(o.retry_index, 1);
	CHECK_INT(o.catch_index, -1);
	CHECK_INT(o.due, env.now + 18 * SEC);	/* 2 * 3^2 */
	CHECK_J(o.attempts, "[0, 3, 0, 0, 0, 0]");
	CHECK_STR(o.error.name, "B");
	CHECK_STR(o.error.cause, "why");
	/* the retry runs the state again on the same raw input */
	CHECK_J(o.output, "{'x': 1}");
	CHECK_INT(json_object_array_length(o.events), 0);
	asl_outcome_clear(&o);

	/* the back-off counts from the failure (env.now), not from state entry */
	pos_make(&p, "T", "{}", NULL, NULL, T0);
	memset(&r, 0, sizeof r);
	r.failed = true;
	r.error = "A";
	asl_step_task_done(m, &p, &env, &r, &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_INT(o.due, T0 + 100 * SEC + 3 * SEC);
	CHECK_J(o.attempts, "[1, 0, 0, 0, 0, 0]");
	CHECK(o.error.cause == NULL);
	asl_outcome_clear(&o);
	pos_free(&p);

	/* a fractional BackoffRate: 3 * 1.5^2 = 6.75 s */
	do_fail(m, "T", "{}", NULL, "[2]", &env, "A", NULL, &o);
	CHECK_INT(o.due, env.now + 6750000);
	CHECK_J(o.attempts, "[3, 0, 0, 0, 0, 0]");
	asl_outcome_clear(&o);

	/* spec: MaxDelaySeconds "caps the retry interval": 2 * 3^3 = 54 -> 30 */
	do_fail(m, "T", "{}", NULL, "[0, 3]", &env, "B", NULL, &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_INT(o.due, env.now + 30 * SEC);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[0, 4]", &env, "B", NULL, &o);
	CHECK_INT(o.due, env.now + 30 * SEC);
	CHECK_J(o.attempts, "[0, 5, 0, 0, 0, 0]");
	asl_outcome_clear(&o);

	/*
	 * MaxAttempts reached: spec "When the number of retries reaches
	 * MaxAttempts, the retrier stops and normal error handling resumes"
	 * (Catch). The later retrier naming B is not consulted.
	 */
	do_fail(m, "T", "{'x': 1}", NULL, "[0, 5]", &env, "B", "why", &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_STR(o.next, "H");
	CHECK_INT(o.catch_index, 0);
	CHECK_INT(o.retry_index, -1);
	CHECK_J(o.output, "{'x': 1, 'err': {'Error': 'B', 'Cause': 'why'}}");
	asl_outcome_clear(&o);

	/* ... and without a catcher the state fails */
	do_fail(m, "T", "{}", NULL, "[4]", &env, "A", "gave up", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "A");
	CHECK_STR(o.error.cause, "gave up");
	CHECK(o.attempts == NULL);
	asl_outcome_clear(&o);

	/* spec: "A MaxAttempts value of zero ... causes the error to be never retried" */
	do_fail(m, "T", "{}", NULL, NULL, &env, "Z", "zero", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "Z");
	CHECK_INT(o.retry_index, -1);
	asl_outcome_clear(&o);

	/* defaults (spec): IntervalSeconds 1, BackoffRate 2.0, MaxAttempts 3 */
	do_fail(m, "T", "{}", NULL, NULL, &env, "D", NULL, &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_INT(o.due, env.now + 1 * SEC);
	CHECK_J(o.attempts, "[0, 0, 0, 1, 0, 0]");
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[0, 0, 0, 1, 0, 0]", &env, "D", NULL, &o);
	CHECK_INT(o.due, env.now + 2 * SEC);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[0, 0, 0, 2, 0, 0]", &env, "D", NULL, &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_INT(o.due, env.now + 4 * SEC);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[0, 0, 0, 3, 0, 0]", &env, "D", NULL, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "D");
	asl_outcome_clear(&o);

	/*
	 * JitterStrategy FULL (AWS "Handling errors": "randomizes the delay
	 * between retry attempts" over [0, computed]): attempt 1 computes
	 * 10 * 2 = 20 s.
	 */
	env.random = 0.0;
	do_fail(m, "T", "{}", NULL, "[0, 0, 0, 0, 1]", &env, "J", NULL, &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_INT(o.due, env.now);
	asl_outcome_clear(&o);
	env.random = 0.5;
	do_fail(m, "T", "{}", NULL, "[0, 0, 0, 0, 1]", &env, "J", NULL, &o);
	CHECK_INT(o.due, env.now + 10 * SEC);
	asl_outcome_clear(&o);
	env.random = 0.999;
	do_fail(m, "T", "{}", NULL, "[0, 0, 0, 0, 1]", &env, "J", NULL, &o);
	CHECK_INT(o.due, env.now + 19980000);
	CHECK(o.due < env.now + 20 * SEC);
	asl_outcome_clear(&o);
	/* without FULL, env.random changes nothing */
	do_fail(m, "T", "{}", NULL, "[0, 0, 0, 1]", &env, "D", NULL, &o);
	CHECK_INT(o.due, env.now + 2 * SEC);
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

static void
test_attempt_counters(void)
{
	asl_machine *m = compile(m_two);
	asl_env		env = env_at(T0);
	asl_outcome o;

	/* one counter per retrier: Y's retries leave X's count alone */
	do_fail(m, "T", "{}", NULL, NULL, &env, "Y", NULL, &o);
	CHECK_J(o.attempts, "[0, 1]");
	CHECK_INT(o.due, T0 + 5 * SEC);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[0, 1]", &env, "Y", NULL, &o);
	CHECK_J(o.attempts, "[0, 2]");
	CHECK_INT(o.due, T0 + 10 * SEC);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[0, 2]", &env, "Y", NULL, &o);
	CHECK_J(o.attempts, "[0, 3]");
	CHECK_INT(o.due, T0 + 20 * SEC);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[0, 3]", &env, "Y", NULL, &o);
	CHECK_STR(KIND(o), "FAIL");
	asl_outcome_clear(&o);
	/* X backs off from its own count (0), whatever Y did */
	do_fail(m, "T", "{}", NULL, "[0, 2]", &env, "X", NULL, &o);
	CHECK_J(o.attempts, "[1, 2]");
	CHECK_INT(o.retry_index, 0);
	CHECK_INT(o.due, T0 + 1 * SEC);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[1, 2]", &env, "X", NULL, &o);
	CHECK_J(o.attempts, "[2, 2]");
	CHECK_INT(o.due, T0 + 2 * SEC);
	asl_outcome_clear(&o);

	/* a retry re-runs the state without a new StateEntered; RetryCount is the total */
	do_step(m, "T", "{'q': 1}", NULL, "[1, 2]", &env, &o);
	CHECK_STR(KIND(o), "TASK");
	CHECK_STR(types(o.events), "");
	CHECK_J(ptr(o.task.context, "/State/RetryCount"), "3");
	asl_outcome_clear(&o);
	do_step(m, "T", "{'q': 1}", NULL, NULL, &env, &o);
	CHECK_STR(types(o.events), "TaskStateEntered");
	CHECK_J(ptr(o.task.context, "/State/RetryCount"), "0");
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- matching: the first matching retrier and catcher ---- */

static void
test_matching(void)
{
	asl_machine *m = compile(m_match);
	asl_env		env = env_at(T0);
	asl_outcome o;

	/* spec: the interpreter "scans through the Retriers" in order: X's own retrier */
	do_fail(m, "T", "{}", NULL, NULL, &env, "X", NULL, &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_INT(o.retry_index, 0);
	CHECK_INT(o.due, T0 + 5 * SEC);
	asl_outcome_clear(&o);
	/* exhausted, the first matching retrier hands over to Catch, not to States.ALL's retrier */
	do_fail(m, "T", "{}", NULL, "[1, 0]", &env, "X", NULL, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_INT(o.catch_index, 0);
	CHECK_STR(o.next, "C1");
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, NULL, &env, "Y", NULL, &o);
	CHECK_INT(o.retry_index, 1);
	CHECK_INT(o.due, T0 + 7 * SEC);
	asl_outcome_clear(&o);
	/* spec "Fallback states": the first catcher whose ErrorEquals matches */
	do_fail(m, "T", "{}", NULL, "[0, 2]", &env, "Y", NULL, &o);
	CHECK_INT(o.catch_index, 1);
	CHECK_STR(o.next, "C2");
	CHECK_STR(o.error.name, "Y");
	asl_outcome_clear(&o);
	/* States.ALL retries a timeout; States.TaskFailed does not catch it, States.ALL does */
	do_fail(m, "T", "{}", NULL, NULL, &env, "States.Timeout", NULL, &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_INT(o.retry_index, 1);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{}", NULL, "[0, 2]", &env, "States.Timeout", NULL, &o);
	CHECK_INT(o.catch_index, 2);
	CHECK_STR(o.next, "C3");
	asl_outcome_clear(&o);
	/* a failure without a name is States.TaskFailed */
	do_fail(m, "T", "{}", NULL, "[0, 2]", &env, NULL, NULL, &o);
	CHECK_STR(o.error.name, "States.TaskFailed");
	CHECK_INT(o.catch_index, 1);
	asl_outcome_clear(&o);
	/* States.Runtime: never retried, never caught, even by States.ALL */
	do_fail(m, "T", "{}", NULL, NULL, &env, "States.Runtime", "r", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	CHECK_INT(o.retry_index, -1);
	CHECK_INT(o.catch_index, -1);
	asl_outcome_clear(&o);
	/* ... nor when the state raises it itself (TimeoutSecondsPath selects nothing) */
	do_step(m, "T", "{}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);
	/* States.DataLimitExceeded: a result over the quota is terminal, States.ALL or not */
	env.max_payload = 20;
	do_ok(m, "T", "{}", NULL, NULL, &env, "{'big': 'aaaaaaaaaaaaaaaaaaaaaaaa'}", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.DataLimitExceeded");
	asl_outcome_clear(&o);
	do_ok(m, "T", "{}", NULL, NULL, &env, "{'s': 'a'}", &o);
	CHECK_STR(KIND(o), "NEXT");
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- Catch ---- */

static void
test_catch(void)
{
	asl_machine *m = compile(m_catch);
	asl_env		env = env_at(T0);
	asl_outcome o;

	/*
	 * spec "Fallback states": the Error Output {"Error", "Cause"}; ResultPath
	 * "$" (the default) makes it the whole output. OutputPath is not applied.
	 */
	do_fail(m, "T", "{'x': 1}", NULL, NULL, &env, "E1", "c1", &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_STR(o.next, "N");
	CHECK_INT(o.catch_index, 0);
	CHECK_J(o.output, "{'Error': 'E1', 'Cause': 'c1'}");
	CHECK_STR(o.error.name, "E1");
	CHECK_STR(types(o.events), "TaskStateExited");
	CHECK_J(ptr(o.events, "/0/details/stateExitedEventDetails/output"), "{'Error': 'E1', 'Cause': 'c1'}");
	asl_outcome_clear(&o);
	/* ResultPath "$.err": the Error Output added to the raw input */
	do_fail(m, "T", "{'x': 1}", NULL, NULL, &env, "E2", "c2", &o);
	CHECK_INT(o.catch_index, 1);
	CHECK_J(o.output, "{'x': 1, 'err': {'Error': 'E2', 'Cause': 'c2'}}");
	asl_outcome_clear(&o);
	/* a missing cause is an empty Cause */
	do_fail(m, "T", "{'x': 1}", NULL, NULL, &env, "E2", NULL, &o);
	CHECK_J(o.output, "{'x': 1, 'err': {'Error': 'E2', 'Cause': ''}}");
	asl_outcome_clear(&o);
	/* ResultPath null: the raw input goes on */
	do_fail(m, "T", "{'x': 1}", NULL, NULL, &env, "E3", "c3", &o);
	CHECK_INT(o.catch_index, 2);
	CHECK_J(o.output, "{'x': 1}");
	asl_outcome_clear(&o);
	/* a ResultPath that cannot be applied fails the state */
	do_fail(m, "T", "{'s': 'text'}", NULL, NULL, &env, "E4", "c4", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.ResultPathMatchFailure");
	CHECK(o.output == NULL);
	asl_outcome_clear(&o);
	do_fail(m, "T", "{'s': {'k': 1}}", NULL, NULL, &env, "E4", "c4", &o);
	CHECK_J(o.output, "{'s': {'k': 1, 'deep': {'Error': 'E4', 'Cause': 'c4'}}}");
	asl_outcome_clear(&o);
	/* a catcher's Assign: $ is the Error Output, the variables are those of state entry */
	do_fail(m, "T", "{}", "{'old': 7}", NULL, &env, "E5", "c5", &o);
	CHECK_INT(o.catch_index, 4);
	CHECK_J(o.output, "{'a': {'b': {'Error': 'E5', 'Cause': 'c5'}}}");
	CHECK_J(o.variables, "{'old': 7, 'lastError': 'E5', 'kept': 7}");
	CHECK_J(ptr(o.events, "/0/details/stateExitedEventDetails/assignedVariables"),
			"{'lastError': 'E5', 'kept': 7}");
	asl_outcome_clear(&o);
	/* nothing matches: the state fails with the task's error */
	do_fail(m, "T", "{}", NULL, NULL, &env, "E9", "c9", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "E9");
	CHECK_STR(o.error.cause, "c9");
	CHECK_INT(o.catch_index, -1);
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- asl_step_task_done: the success path ---- */

static void
test_task_done(void)
{
	asl_machine *m = compile(m_task);
	asl_env		env = env_at(T0);
	asl_outcome o;
	asl_position p;
	asl_result	r;

	/*
	 * spec "Input and Output Processing": ResultSelector shapes the result,
	 * ResultPath places it into the raw input, OutputPath filters that.
	 * Assign sees the raw result as $ and the variables of state entry.
	 */
	pos_make(&p, "T", "{'a': {'keep': 1}, 'b': 2}", "{'counter': 5, 'who': 'ann'}", "[1, 1]", 0);
	memset(&r, 0, sizeof r);
	r.output = parse("{'payload': {'value': 'V'}, 'junk': true}");
	asl_step_task_done(m, &p, &env, &r, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_STR(o.next, "E");
	/* RetryCount is asl_attempts_total of the attempts: 1 + 1 */
	CHECK_J(o.output, "{'keep': 1, 'res': {'v': 'V', 'retries': 2, 'who': 'ann'}}");
	CHECK_J(o.variables, "{'counter': 6, 'who': 'ann', 'raw': 'V', 'prev': 5}");
	CHECK_STR(types(o.events), "TaskStateExited");
	CHECK_J(ptr(o.events, "/0/details/stateExitedEventDetails/assignedVariables"),
			"{'raw': 'V', 'prev': 5, 'counter': 6}");
	CHECK_J(ptr(o.events, "/0/details/stateExitedEventDetails/name"), "'T'");
	/* the position is borrowed: neither the input nor the variables change */
	CHECK_J(p.input, "{'a': {'keep': 1}, 'b': 2}");
	CHECK_J(p.variables, "{'counter': 5, 'who': 'ann'}");
	CHECK_J(r.output, "{'payload': {'value': 'V'}, 'junk': true}");
	asl_outcome_clear(&o);
	json_object_put(r.output);
	pos_free(&p);

	/* ResultPath null: the result is discarded; End: true ends the graph */
	do_ok(m, "E", "{'in': 1}", "{'v': 1}", NULL, &env, "{'out': 2}", &o);
	CHECK_STR(KIND(o), "END");
	CHECK(o.next == NULL);
	CHECK_J(o.output, "{'in': 1}");
	CHECK_J(o.variables, "{'v': 1}");
	asl_outcome_clear(&o);

	/* a JSON null result with the default ResultPath */
	do_ok(m, "E", "{'in': 1}", NULL, NULL, &env, "null", &o);
	CHECK_STR(KIND(o), "END");
	asl_outcome_clear(&o);

	/* the continuation belongs to Task states */
	do_ok(m, "Nope", "{}", NULL, NULL, &env, "{}", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	CHECK(o.state == NULL);
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- the TASK outcome ---- */

static void
test_task_outcome(void)
{
	asl_machine *m = compile(m_tasks);
	asl_env		env = env_at(T0 + 42 * SEC);
	asl_outcome o;
	asl_position p;

	env.task_token = "tok-1";
	pos_make(&p, "K", "{'in': {'x': 1, 't': 60, 'h': 10}, 'other': 0}", "{'v': 1}", NULL, T0);
	asl_step(m, &p, &env, &o);
	CHECK_STR(KIND(o), "TASK");
	CHECK_STR(o.state, "K");
	/* the effective input: InputPath, then Parameters */
	CHECK_J(o.task.input, "{'FunctionName': 'f', 'Payload': {'x': 1, 'token': 'tok-1', 'n': 'K'}}");
	CHECK_INT(o.task.timeout_seconds, 60);
	CHECK_INT(o.task.heartbeat_seconds, 10);
	CHECK_J(o.task.credentials, "{'RoleArn': 'arn:aws:iam::123456789012:role/r'}");
	CHECK(o.task.resource != NULL && o.task.resource->kind == ASL_RES_LAMBDA_INVOKE);
	CHECK(o.task.resource != NULL && o.task.resource->pattern == ASL_PATTERN_WAIT_FOR_TOKEN);
	CHECK_J(ptr(o.task.context, "/Task/Token"), "'tok-1'");
	CHECK_J(ptr(o.task.context, "/State/Name"), "'K'");
	/* EnteredTime is the position's entry time, not env.now */
	CHECK_J(ptr(o.task.context, "/State/EnteredTime"), "'2024-06-01T00:00:00.000Z'");
	CHECK_J(ptr(o.task.context, "/Execution/Name"), "'ex1'");
	CHECK_J(o.variables, "{'v': 1}");
	CHECK(o.output == NULL);
	/* the core records the state's events; TaskScheduled and the like are the host's */
	CHECK_STR(types(o.events), "TaskStateEntered");
	CHECK_J(ptr(o.events, "/0/details/stateEnteredEventDetails"),
			"{'name': 'K', 'input': {'in': {'x': 1, 't': 60, 'h': 10}, 'other': 0},"
			" 'inputDetails': {'truncated': false}}");
	asl_outcome_clear(&o);
	pos_free(&p);

	/* no token: $$.Task is absent, so Parameters reading it fails (States.Runtime, not caught) */
	env.task_token = NULL;
	do_step(m, "K", "{'in': {'x': 1, 't': 60, 'h': 10}}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);

	/* TimeoutSecondsPath must select a positive integer */
	env.task_token = "tok-1";
	do_step(m, "K", "{'in': {'x': 1, 't': 0, 'h': 10}}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	CHECK(o.error.cause != NULL && strstr(o.error.cause, "TimeoutSecondsPath") != NULL);
	asl_outcome_clear(&o);
	do_step(m, "K", "{'in': {'x': 1, 't': 60, 'h': '10'}}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK(o.error.cause != NULL && strstr(o.error.cause, "HeartbeatSecondsPath") != NULL);
	asl_outcome_clear(&o);
	/* InputPath that selects nothing */
	do_step(m, "K", "{'other': 1}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);

	/* literal timeouts; no InputPath or Parameters: the raw input itself */
	do_step(m, "L", "{'a': [1, 2]}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "TASK");
	CHECK_J(o.task.input, "{'a': [1, 2]}");
	CHECK_INT(o.task.timeout_seconds, 30);
	CHECK_INT(o.task.heartbeat_seconds, 10);
	CHECK(o.task.credentials == NULL);
	CHECK(o.task.resource != NULL && o.task.resource->kind == ASL_RES_LAMBDA_FUNCTION);
	CHECK_J(ptr(o.task.context, "/State/EnteredTime"), "'2024-06-01T00:00:42.000Z'");
	asl_outcome_clear(&o);
	env.task_token = NULL;
	do_step(m, "P", "null", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "TASK");
	CHECK(o.task.input == NULL);
	CHECK_INT(o.task.timeout_seconds, 0);
	CHECK_INT(o.task.heartbeat_seconds, 0);
	CHECK(ptr(o.task.context, "/Task") == NULL);
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- the WAIT outcome ---- */

static void
test_wait(void)
{
	asl_machine *m = compile(m_wait);
	asl_env		env = env_at(T0);
	asl_outcome o;

	/* spec "Wait State": Seconds, then OutputPath on the (unchanged) input */
	do_step(m, "W1", "{'keep': {'k': 1}, 'x': 2}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "WAIT");
	CHECK_INT(o.due, T0 + 10 * SEC);
	CHECK_STR(o.next, "W2");
	CHECK_J(o.output, "{'k': 1}");
	CHECK_STR(types(o.events), "WaitStateEntered");
	/* the state is left when the wait is over */
	CHECK_STR(types(o.after_events), "WaitStateExited");
	CHECK_J(ptr(o.after_events, "/0/details/stateExitedEventDetails/output"), "{'k': 1}");
	asl_outcome_clear(&o);
	do_step(m, "W2", "{}", NULL, NULL, &env, &o);
	CHECK_INT(o.due, T0 + 3600 * SEC);
	CHECK_STR(o.next, "W3");
	asl_outcome_clear(&o);
	do_step(m, "W3", "{'s': 7}", NULL, NULL, &env, &o);
	CHECK_INT(o.due, T0 + 7 * SEC);
	asl_outcome_clear(&o);
	/* spec: SecondsPath must select a non-negative integer */
	do_step(m, "W3", "{'s': -1}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);
	do_step(m, "W3", "{'s': 1.5}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	asl_outcome_clear(&o);
	do_step(m, "W4", "{'ts': '2024-06-01T00:00:30Z'}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "WAIT");
	CHECK_INT(o.due, T0 + 30 * SEC);
	asl_outcome_clear(&o);
	do_step(m, "W4", "{'ts': 'yesterday'}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);
	/* "End": true: next is NULL; Assign sees the effective input */
	do_step(m, "W5", "{'keep': 3}", "{'a': 0}", NULL, &env, &o);
	CHECK_STR(KIND(o), "WAIT");
	CHECK(o.next == NULL);
	CHECK_INT(o.due, T0 + 5 * SEC);
	CHECK_J(o.variables, "{'a': 0, 'waited': 3}");
	CHECK_J(ptr(o.after_events, "/0/details/stateExitedEventDetails/assignedVariables"), "{'waited': 3}");
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- BRANCHES: Parallel ---- */

static void
test_parallel(void)
{
	asl_machine *m = compile(m_parallel);
	asl_env		env = env_at(T0);
	asl_outcome o;
	asl_position p;
	const char *input = "{'in': {'v': 4}, 'z': 0}";
	branch_res ok3[] = {{"{'r': 1}", NULL, NULL}, {"'two'", NULL, NULL}, {"null", NULL, NULL}};
	branch_res boom[] = {{"{'r': 1}", NULL, NULL}, {NULL, "Boom", "bc"}, {"3", NULL, NULL}};
	branch_res two_failed[] = {{"1", NULL, NULL}, {NULL, "Other", "oc"}, {NULL, "Second", "sc"}};
	branch_res partial[] = {{NULL, "Other", "early"}};

	pos_make(&p, "P", input, "{'g': 1}", NULL, 0);
	asl_step(m, &p, &env, &o);
	CHECK_STR(KIND(o), "BRANCHES");
	CHECK(!o.branches.is_map);
	CHECK_INT(o.branches.count, 3);
	if (o.branches.count == 3)
	{
		CHECK_STR(o.branches.items[0].start, "B1");
		CHECK_STR(o.branches.items[1].start, "B2");
		CHECK_STR(o.branches.items[2].start, "B3");
		/* spec "Parallel State": every branch gets the state's effective input */
		for (size_t i = 0; i < 3; i++)
		{
			CHECK_J(o.branches.items[i].input, "{'v': 4}");
			/* each branch has its own scope holding the outer variables */
			CHECK_J(o.branches.items[i].variables, "{'g': 1}");
			CHECK(o.branches.items[i].variables != p.variables);
		}
		CHECK(o.branches.items[0].variables != o.branches.items[1].variables);
	}
	CHECK_STR(types(o.events), "ParallelStateEntered,ParallelStateStarted");
	asl_outcome_clear(&o);
	pos_free(&p);

	/* the effective input after Parameters */
	do_step(m, "Q", "{'in': {'v': 9}}", NULL, NULL, &env, &o);
	CHECK_INT(o.branches.count, 1);
	if (o.branches.count == 1)
		CHECK_J(o.branches.items[0].input, "{'v': 9, 'fixed': true}");
	asl_outcome_clear(&o);

	/* the result is the array of branch outputs, in branch order */
	do_branches(m, "P", input, NULL, &env, ok3, 3, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_STR(o.next, "Q");
	CHECK_J(o.output, "{'in': {'v': 4}, 'z': 0, 'out': {'first': {'r': 1}, 'all': [{'r': 1}, 'two', null]}}");
	CHECK_STR(types(o.events), "ParallelStateSucceeded,ParallelStateExited");
	asl_outcome_clear(&o);

	/*
	 * spec "Parallel State": "If any branch fails ... the entire Parallel
	 * state fails"; the state fails with the branch's own error (so a
	 * catcher naming it catches it), not with States.BranchFailed.
	 */
	do_branches(m, "P", input, NULL, &env, boom, 3, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_INT(o.catch_index, 0);
	CHECK_STR(o.error.name, "Boom");
	CHECK_J(o.output, "{'in': {'v': 4}, 'z': 0, 'err': {'Error': 'Boom', 'Cause': 'bc'}}");
	CHECK_STR(types(o.events), "ParallelStateFailed,ParallelStateExited");
	asl_outcome_clear(&o);
	/* the first failed branch in order decides */
	do_branches(m, "P", input, NULL, &env, two_failed, 3, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "Other");
	CHECK_STR(o.error.cause, "oc");
	CHECK_STR(types(o.events), "ParallelStateFailed");
	asl_outcome_clear(&o);
	/* a host that stopped the other branches passes only what it has */
	do_branches(m, "P", input, NULL, &env, partial, 1, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "Other");
	asl_outcome_clear(&o);
	/* ... but successes must be complete */
	do_branches(m, "P", input, NULL, &env, ok3, 2, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- BRANCHES: Map ---- */

static void
test_map(void)
{
	asl_machine *m = compile(m_map);
	asl_env		env = env_at(T0);
	asl_outcome o;
	const char *input = "{'items': ['a', 'b', 'c'], 'k': 'K', 'mc': 2}";
	branch_res one_failed[] = {{"1", NULL, NULL}, {NULL, "ItemErr", "ic"}, {"3", NULL, NULL}};
	branch_res two_failed[] = {{NULL, "E0", NULL}, {NULL, "ItemErr", "ic"}, {"3", NULL, NULL}};
	branch_res half[] = {{"1", NULL, NULL}, {NULL, "E", NULL}};

	do_step(m, "M", input, "{'g': 2}", NULL, &env, &o);
	CHECK_STR(KIND(o), "BRANCHES");
	CHECK(o.branches.is_map);
	CHECK_INT(o.branches.count, 3);
	if (o.branches.count == 3)
	{
		CHECK_STR(o.branches.items[0].start, "I");
		/* spec "Map State": ItemSelector with $$.Map.Item.Index and .Value */
		CHECK_J(o.branches.items[0].input, "{'idx': 0, 'val': 'a', 'k': 'K'}");
		CHECK_J(o.branches.items[2].input, "{'idx': 2, 'val': 'c', 'k': 'K'}");
		CHECK_J(o.branches.items[1].variables, "{'g': 2}");
	}
	CHECK_INT(o.branches.max_concurrency, 2);
	CHECK(o.branches.tolerance);
	CHECK_INT(o.branches.tolerated_count, 1);
	CHECK(o.branches.tolerated_percentage < 0);
	CHECK_STR(types(o.events), "MapStateEntered,MapStateStarted");
	CHECK_J(ptr(o.events, "/1/details"), "{'mapStateStartedEventDetails': {'length': 3}}");
	asl_outcome_clear(&o);

	/* no ItemsPath, no ItemSelector: each item of the input array as it is */
	do_step(m, "M2", "[{'a': 1}, 2]", NULL, NULL, &env, &o);
	CHECK_INT(o.branches.count, 2);
	if (o.branches.count == 2)
	{
		CHECK_J(o.branches.items[0].input, "{'a': 1}");
		CHECK_J(o.branches.items[1].input, "2");
		CHECK_STR(o.branches.items[1].start, "I2");
	}
	CHECK_INT(o.branches.max_concurrency, 5);
	CHECK(o.branches.tolerance);
	CHECK_INT(o.branches.tolerated_count, -1);
	CHECK(o.branches.tolerated_percentage == 50.0);
	asl_outcome_clear(&o);
	do_step(m, "M3", "{'xs': []}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "BRANCHES");
	CHECK_INT(o.branches.count, 0);
	CHECK(!o.branches.tolerance);
	CHECK_INT(o.branches.max_concurrency, 0);
	asl_outcome_clear(&o);
	/* ItemsPath must select an array */
	do_step(m, "M3", "{'xs': {'a': 1}}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);

	/* within the tolerated count: success, the failed item keeps its Error Output */
	do_branches(m, "M", input, NULL, &env, one_failed, 3, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_J(o.output, "{'items': ['a', 'b', 'c'], 'k': 'K', 'mc': 2,"
			" 'results': [1, {'Error': 'ItemErr', 'Cause': 'ic'}, 3]}");
	CHECK_STR(types(o.events), "MapStateSucceeded,MapStateExited");
	asl_outcome_clear(&o);
	/* AWS: above the threshold the Map fails with States.ExceedToleratedFailureThreshold */
	do_branches(m, "M", input, NULL, &env, two_failed, 3, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.ExceedToleratedFailureThreshold");
	CHECK_STR(types(o.events), "MapStateFailed");
	asl_outcome_clear(&o);
	/* percentage: 1 of 2 is 50%, not above 50%; 2 of 3 is */
	do_branches(m, "M2", "[1, 2]", NULL, &env, half, 2, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_J(o.output, "[1, {'Error': 'E', 'Cause': ''}]");
	asl_outcome_clear(&o);
	do_branches(m, "M2", "[1, 2, 3]", NULL, &env, two_failed, 3, &o);
	CHECK_STR(o.error.name, "States.ExceedToleratedFailureThreshold");
	asl_outcome_clear(&o);
	/* without a tolerance, a failed iteration fails the Map with its own error */
	do_branches(m, "M3", "{'xs': [1, 2, 3]}", NULL, &env, one_failed, 3, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "ItemErr");
	CHECK_STR(o.error.cause, "ic");
	asl_outcome_clear(&o);
	/* no items: the result is [] */
	do_branches(m, "M3", "{'xs': []}", NULL, &env, NULL, 0, &o);
	CHECK_STR(KIND(o), "END");
	CHECK_J(o.output, "[]");
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- inspection (TestState's inspectionData) ---- */

static void
test_inspect(void)
{
	asl_machine *m = compile(m_inspect);
	asl_env		env = env_at(T0);
	asl_outcome o;

	env.inspect = true;
	do_step(m, "IT", "{'in': {'a': 1}}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "TASK");
	CHECK_J(o.inspection, "{'input': {'in': {'a': 1}}, 'afterInputPath': {'a': 1}, 'afterParameters': {'p': 1}}");
	asl_outcome_clear(&o);
	do_ok(m, "IT", "{'in': {'a': 1}}", "{'v': 1}", NULL, &env, "{'r': 9}", &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_J(o.inspection, "{'result': {'r': 9}, 'afterResultSelector': {'s': 9},"
			" 'afterResultPath': {'in': {'a': 1, 'out': {'s': 9}}}, 'variables': {'v': 1}}");
	asl_outcome_clear(&o);
	do_fail(m, "IT", "{'in': {'a': 1}}", NULL, NULL, &env, "R", NULL, &o);
	CHECK_STR(KIND(o), "RETRY");
	CHECK_J(o.inspection, "{'errorDetails': {'retryIndex': 0, 'retryBackoffIntervalSeconds': 4.0}}");
	asl_outcome_clear(&o);
	do_fail(m, "IT", "{'in': {'a': 1}}", NULL, NULL, &env, "C", "cc", &o);
	CHECK_J(o.inspection, "{'afterResultPath': {'Error': 'C', 'Cause': 'cc'}, 'errorDetails': {'catchIndex': 0}}");
	asl_outcome_clear(&o);
	/* a Pass state shows every stage in one step */
	do_step(m, "IP", "{'in': {'a': 2}}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "END");
	CHECK_J(o.inspection, "{'input': {'in': {'a': 2}}, 'afterInputPath': {'a': 2}, 'afterParameters': {'q': 2},"
			" 'result': {'q': 2}, 'afterResultPath': {'in': {'a': 2}, 'res': {'q': 2}}}");
	asl_outcome_clear(&o);
	/* without env.inspect, nothing is recorded */
	env.inspect = false;
	do_step(m, "IP", "{'in': {'a': 2}}", NULL, NULL, &env, &o);
	CHECK(o.inspection == NULL);
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- events of the other state types ---- */

static void
test_events(void)
{
	asl_machine *m = compile(m_misc);
	asl_env		env = env_at(T0);
	asl_outcome o;
	json_object *ev;

	do_step(m, "Pa", "{'n': 2}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_STR(o.next, "Ch");
	CHECK_J(o.output, "{'n': 2, 'pr': {'r': 1}}");
	CHECK_J(o.variables, "{'got': 1}");
	CHECK_STR(types(o.events), "PassStateEntered,PassStateExited");
	ev = event_at(o.events, 0);
	CHECK_J(ev, "{'type': 'PassStateEntered', 'details': {'stateEnteredEventDetails':"
			" {'name': 'Pa', 'input': {'n': 2}, 'inputDetails': {'truncated': false}}}}");
	ev = event_at(o.events, 1);
	CHECK_J(ev, "{'type': 'PassStateExited', 'details': {'stateExitedEventDetails':"
			" {'name': 'Pa', 'output': {'n': 2, 'pr': {'r': 1}}, 'outputDetails': {'truncated': false},"
			" 'assignedVariables': {'got': 1}, 'assignedVariablesDetails': {'truncated': false}}}}");
	asl_outcome_clear(&o);
	do_step(m, "Ch", "{'n': 2}", NULL, NULL, &env, &o);
	CHECK_STR(o.next, "Su");
	CHECK_STR(types(o.events), "ChoiceStateEntered,ChoiceStateExited");
	/* no assignment: no assignedVariables */
	CHECK(ptr(o.events, "/1/details/stateExitedEventDetails/assignedVariables") == NULL);
	asl_outcome_clear(&o);
	do_step(m, "Ch", "{'n': 0}", NULL, NULL, &env, &o);
	CHECK_STR(o.next, "Fa");
	asl_outcome_clear(&o);
	do_step(m, "Su", "{'n': 2}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "END");
	CHECK_STR(types(o.events), "SucceedStateEntered,SucceedStateExited");
	asl_outcome_clear(&o);
	do_step(m, "Fa", "{}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "Bad");
	CHECK_STR(o.error.cause, "because");
	CHECK_STR(types(o.events), "FailStateEntered");
	asl_outcome_clear(&o);
	/* an unknown state: FAIL, no state, no events */
	do_step(m, "Nope", "{}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK(o.state == NULL);
	CHECK_STR(o.error.name, "States.Runtime");
	CHECK(o.error.cause != NULL && strstr(o.error.cause, "Nope") != NULL);
	CHECK_STR(types(o.events), "");
	asl_outcome_clear(&o);
	/* branches_done belongs to Parallel and Map */
	do_branches(m, "Pa", "{}", NULL, &env, NULL, 0, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);
	/* task_done belongs to Task */
	do_ok(m, "Pa", "{}", NULL, NULL, &env, "{}", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.Runtime");
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

/* ---- positions are plain data ---- */

/* Everything an outcome says, as one JSON document. */
static json_object *
outcome_doc(const asl_outcome *o)
{
	json_object *d = json_object_new_object();
	json_object *items = json_object_new_array();

	json_object_object_add(d, "kind", json_object_new_string(outcome_kind_name(o->kind)));
	json_object_object_add(d, "state", o->state ? json_object_new_string(o->state) : NULL);
	json_object_object_add(d, "next", o->next ? json_object_new_string(o->next) : NULL);
	json_object_object_add(d, "output", json_object_get(o->output));
	json_object_object_add(d, "variables", json_object_get(o->variables));
	json_object_object_add(d, "attempts", json_object_get(o->attempts));
	json_object_object_add(d, "due", json_object_new_int64(o->due));
	json_object_object_add(d, "error", o->error.name ? json_object_new_string(o->error.name) : NULL);
	json_object_object_add(d, "cause", o->error.cause ? json_object_new_string(o->error.cause) : NULL);
	json_object_object_add(d, "retry_index", json_object_new_int(o->retry_index));
	json_object_object_add(d, "catch_index", json_object_new_int(o->catch_index));
	json_object_object_add(d, "task_input", json_object_get(o->task.input));
	json_object_object_add(d, "task_context", json_object_get(o->task.context));
	json_object_object_add(d, "timeout", json_object_new_int64(o->task.timeout_seconds));
	json_object_object_add(d, "heartbeat", json_object_new_int64(o->task.heartbeat_seconds));
	json_object_object_add(d, "resource",
						   o->task.resource ? json_object_new_string(o->task.resource->arn) : NULL);
	json_object_object_add(d, "is_map", json_object_new_boolean(o->branches.is_map));
	json_object_object_add(d, "max_concurrency", json_object_new_int64(o->branches.max_concurrency));
	json_object_object_add(d, "tolerated_count", json_object_new_int64(o->branches.tolerated_count));
	for (size_t i = 0; i < o->branches.count; i++)
	{
		json_object *b = json_object_new_object();

		json_object_object_add(b, "start", json_object_new_string(o->branches.items[i].start));
		json_object_object_add(b, "input", json_object_get(o->branches.items[i].input));
		json_object_object_add(b, "variables", json_object_get(o->branches.items[i].variables));
		json_object_array_add(items, b);
	}
	json_object_object_add(d, "branches", items);
	json_object_object_add(d, "events", json_object_get(o->events));
	json_object_object_add(d, "after_events", json_object_get(o->after_events));
	json_object_object_add(d, "inspection", json_object_get(o->inspection));
	return d;
}

/* A document as the host stores it: JSON text, parsed again. */
static json_object *
reparse(json_object *v)
{
	char	   *text = strdup(jstr(v));
	json_object *back = json_tokener_parse(text);

	free(text);
	return back;
}

typedef enum
{
	CALL_STEP,
	CALL_TASK_OK,
	CALL_TASK_FAIL,
	CALL_BRANCHES
} call_kind;

static void
call(const asl_machine *m, call_kind k, const asl_position *p, const asl_env *env,
	 const asl_result *r, size_t n, asl_outcome *o)
{
	switch (k)
	{
		case CALL_STEP:
			asl_step(m, p, env, o);
			break;
		case CALL_TASK_OK:
		case CALL_TASK_FAIL:
			asl_step_task_done(m, p, env, r, o);
			break;
		case CALL_BRANCHES:
			asl_step_branches_done(m, p, env, r, n, o);
			break;
	}
}

/*
 * Runs one call on a position, then on the position rebuilt from text
 * against a second compile of the same definition (another backend), and
 * compares everything the two outcomes say.
 */
static void
roundtrip(int line, const char *def, call_kind k, const char *state, const char *input,
		  const char *vars, const char *attempts, asl_time entered, const asl_env *env,
		  const asl_result *r, size_t n, const char *want_kind)
{
	asl_machine *m1 = compile(def);
	asl_machine *m2 = compile(def);
	asl_position p1, p2;
	asl_outcome o1, o2;
	json_object *d1, *d2;
	char	   *name = strdup(state);

	pos_make(&p1, state, input, vars, attempts, entered);
	call(m1, k, &p1, env, r, n, &o1);
	/* persisted: the state name and every document as text */
	memset(&p2, 0, sizeof p2);
	p2.state = name;
	p2.input = reparse(p1.input);
	p2.variables = reparse(p1.variables);
	p2.attempts = reparse(p1.attempts);
	p2.entered = p1.entered;
	pos_free(&p1);				/* nothing of the original survives */
	call(m2, k, &p2, env, r, n, &o2);
	d1 = outcome_doc(&o1);
	d2 = outcome_doc(&o2);
	CHECK_MSG(strcmp(outcome_kind_name(o2.kind), want_kind) == 0,
			  "line %d: expected %s, got %s (%s)", line, want_kind,
			  outcome_kind_name(o2.kind), o2.error.cause ? o2.error.cause : "");
	CHECK_MSG(json_object_equal(d1, d2), "line %d: original %s\n    persisted %s", line, jstr(d1), jstr(d2));
	/* names in the outcome point into the machine that ran it */
	CHECK_MSG(o2.state == NULL || asl_machine_find(m2, o2.state)->name == o2.state,
			  "line %d: state name not from the machine", line);
	json_object_put(d1);
	json_object_put(d2);
	asl_outcome_clear(&o1);
	asl_outcome_clear(&o2);
	pos_free(&p2);
	free(name);
	asl_machine_free(m1);
	asl_machine_free(m2);
}

/* A host that keeps no history (env.no_events) gets no events, and the same outcome. */
static void
test_no_events(void)
{
	asl_machine *m = compile(m_misc);
	asl_env		with = env_at(T0);
	asl_env		without = env_at(T0);
	asl_outcome o1, o2;
	const char *first = m->root->start_name;

	without.no_events = true;
	do_step(m, first, "{\"a\": 1}", NULL, NULL, &with, &o1);
	do_step(m, first, "{\"a\": 1}", NULL, NULL, &without, &o2);
	CHECK(json_object_array_length(o1.events) > 0);
	CHECK(o2.events == NULL);	/* not even an empty list is built */
	CHECK_INT(o2.n_events, o1.n_events);
	CHECK_INT(o1.kind, o2.kind);
	CHECK(json_object_equal(o1.output, o2.output));
	asl_outcome_clear(&o1);
	asl_outcome_clear(&o2);
	asl_machine_free(m);
}

/* Bytes of doc as compact JSON, as json-c prints it (the reference for the size check). */
static size_t
compact_size(json_object *doc)
{
	return strlen(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/*
 * ResultPath path of result into raw, checked with raw's size kept: the kept
 * size of the output must be its size, measured whole.
 */
static void
check_result_size(const char *raw_text, const char *path, const char *result_text)
{
	json_object *raw = parse(raw_text);
	json_object *result = parse(result_text);
	json_object *combined = NULL;
	asl_size_memo memo = {0};
	asl_opt_path p = {0};
	asl_error	err = {0};
	char	   *perr = NULL;

	p.present = true;
	p.path = asl_path_compile(path, ASL_PATH_REFERENCE, &perr);
	CHECK(p.path != NULL);
	CHECK(asl_check_output_size(raw, 1000, "S", &err, &memo));
	CHECK(memo.doc == raw);
	CHECK_INT(memo.size, compact_size(raw));
	CHECK(asl_apply_result_path(&p, raw, result, &combined, &err));
	CHECK(asl_check_result_size(&p, raw, combined, combined, 1000, "S", &err, &memo));
	CHECK(memo.doc == combined);
	CHECK_INT(memo.size, compact_size(combined));
	/* the same output again: its kept size, against a limit just below it */
	CHECK(!asl_check_output_size(combined, compact_size(combined) - 1, "S", &err, &memo));
	CHECK_STR(err.name, "States.DataLimitExceeded");
	asl_error_clear(&err);
	asl_size_memo_clear(&memo);
	/* raw kept, a limit the output passes by one byte: refused, not kept */
	CHECK(asl_check_output_size(raw, 1000, "S", &err, &memo));
	CHECK(!asl_check_result_size(&p, raw, combined, combined, compact_size(combined) - 1, "S", &err, &memo));
	CHECK(memo.doc == raw);
	asl_error_clear(&err);
	asl_size_memo_clear(&memo);
	free(perr);
	asl_path_free(p.path);
	json_object_put(combined);
	json_object_put(result);
	json_object_put(raw);
}

/* The output size check measures a ResultPath into the root by its member alone. */
static void
test_size_memo(void)
{
	/* a member replaced, larger and smaller; escapes, numbers, nesting */
	check_result_size("{'a': 'x\\\"y', 'n': -12, 'o': {'k': [1, 2.5, null, true]}}", "$.a", "{'big': [1, 2, 3]}");
	check_result_size("{'a': 'x\\\"y', 'n': -12, 'o': {'k': [1, 2.5, null, true]}}", "$.o", "7");
	/* a member added, to an empty object and to a full one */
	check_result_size("{}", "$.r1", "{'id': 1, 'label': 'tab\\there'}");
	check_result_size("{'order': {'id': 3}}", "$.r_2", "'s'");
	/* a path that is not a member of the root is measured whole */
	check_result_size("{'order': {'id': 3}}", "$.order.id", "[1, 2]");
}

static void
test_persisted_positions(void)
{
	asl_env		env = env_at(T0 + 9 * SEC);
	asl_result	ok,
				failed,
				br[3];

	memset(&ok, 0, sizeof ok);
	ok.output = parse("{'payload': {'value': [1, 2]}}");
	memset(&failed, 0, sizeof failed);
	failed.failed = true;
	failed.error = "Y";
	failed.cause = "cause text";
	memset(br, 0, sizeof br);
	br[0].output = parse("{'a': 1}");
	br[1].output = parse("[true]");
	br[2].output = NULL;
	env.task_token = "tok-9";
	env.random = 0.25;

	roundtrip(__LINE__, m_tasks, CALL_STEP, "K", "{'in': {'x': {'deep': [1]}, 't': 60, 'h': 10}}",
			  "{'v': {'w': 1}}", NULL, T0, &env, NULL, 0, "TASK");
	roundtrip(__LINE__, m_two, CALL_STEP, "T", "{'q': 1}", NULL, "[1, 2]", T0, &env, NULL, 0, "TASK");
	roundtrip(__LINE__, m_two, CALL_TASK_FAIL, "T", "{'q': 1}", "{}", "[0, 2]", T0, &env, &failed, 0, "RETRY");
	roundtrip(__LINE__, m_backoff, CALL_TASK_FAIL, "T", "{'q': 1}", NULL, "[0, 0, 0, 0, 0]", T0, &env, &failed, 0, "FAIL");
	failed.error = "J";
	roundtrip(__LINE__, m_backoff, CALL_TASK_FAIL, "T", "{'q': 1}", NULL, "[0, 0, 0, 0, 2]", T0, &env, &failed, 0, "RETRY");
	failed.error = "B";
	roundtrip(__LINE__, m_backoff, CALL_TASK_FAIL, "T", "{'q': 1}", NULL, "[0, 5]", T0, &env, &failed, 0, "NEXT");
	roundtrip(__LINE__, m_task, CALL_TASK_OK, "T", "{'a': {}}", "{'counter': 1, 'who': 'x'}", "[2]", T0,
			  &env, &ok, 0, "NEXT");
	roundtrip(__LINE__, m_map, CALL_STEP, "M", "{'items': [{'a': 1}, [2], null], 'k': 1, 'mc': 3}", "{'g': 1}",
			  NULL, 0, &env, NULL, 0, "BRANCHES");
	roundtrip(__LINE__, m_parallel, CALL_BRANCHES, "P", "{'in': {'v': 1}}", "{'g': 1}", NULL, T0, &env, br, 3, "NEXT");
	roundtrip(__LINE__, m_wait, CALL_STEP, "W3", "{'s': 12}", NULL, NULL, 0, &env, NULL, 0, "WAIT");
	roundtrip(__LINE__, m_misc, CALL_STEP, "Pa", "{}", NULL, NULL, 0, &env, NULL, 0, "NEXT");
	roundtrip(__LINE__, m_misc, CALL_STEP, "Su", "null", "{'a': null}", NULL, 0, &env, NULL, 0, "END");
	env.inspect = true;
	roundtrip(__LINE__, m_inspect, CALL_STEP, "IP", "{'in': {'a': 'x'}}", "{'v': 2}", NULL, T0, &env, NULL, 0, "END");

	json_object_put(ok.output);
	json_object_put(br[0].output);
	json_object_put(br[1].output);
}

/* A host loop, one call at a time, keeping only text between calls. */
static void
test_host_loop(void)
{
	asl_machine *m = compile(m_two);
	asl_env		env = env_at(T0);
	asl_outcome o;
	asl_result	r;
	asl_position p;
	char	   *attempts = NULL;
	int			retries = 0;

	memset(&r, 0, sizeof r);
	r.failed = true;
	r.error = "Y";
	/* bounded: a broken counter must fail the check, not hang the test */
	for (int calls = 0; calls < 10; calls++)
	{
		pos_make(&p, "T", "{'n': 1}", NULL, attempts, T0);
		asl_step(m, &p, &env, &o);
		if (o.kind != ASL_OUTCOME_TASK)
			break;
		asl_outcome_clear(&o);
		asl_step_task_done(m, &p, &env, &r, &o);
		if (o.kind != ASL_OUTCOME_RETRY)
			break;
		free(attempts);
		attempts = strdup(jstr(o.attempts));
		env.now = o.due;
		retries++;
		if (calls == 9)
			break;				/* keep o and p for the checks below */
		asl_outcome_clear(&o);
		pos_free(&p);
	}
	/* MaxAttempts 3: three retries after 5, 10 and 20 seconds, then the failure */
	CHECK_INT(retries, 3);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "Y");
	CHECK_STR(attempts, "[0,3]");
	CHECK_INT(env.now, T0 + 35 * SEC);
	asl_outcome_clear(&o);
	pos_free(&p);
	free(attempts);
	asl_machine_free(m);
}

/* ---- JSONata Task and Parallel states, catchers, EvaluationFailed ---- */

static const char *const m_jsonata =
	"{'QueryLanguage': 'JSONata', 'StartAt': 'T', 'States': {"
	" 'T': {'Type': 'Task', 'Resource': '" FN "',"
	"  'Arguments': {'id': '{% $states.input.id %}', 'deep': [1, '{% $v %}'], 'token': '{% $states.context.Task.Token %}'},"
	"  'TimeoutSeconds': '{% $states.input.t %}', 'HeartbeatSeconds': 5,"
	"  'Output': {'got': '{% $states.result.x %}', 'in': '{% $states.input.id %}'},"
	"  'Assign': {'last': '{% $states.result.x %}', 'old': '{% $v %}'},"
	"  'Retry': [{'ErrorEquals': ['Busy'], 'MaxAttempts': 1}],"
	"  'Catch': [{'ErrorEquals': ['States.ALL'],"
	"    'Output': {'e': '{% $states.errorOutput %}', 'i': '{% $states.input.id %}'},"
	"    'Assign': {'err': '{% $states.errorOutput.Error %}'}, 'Next': 'C'}], 'Next': 'P'},"
	" 'P': {'Type': 'Parallel', 'Arguments': {'n': '{% $states.input.n + 1 %}'},"
	"  'Branches': [{'StartAt': 'B', 'States': {'B': {'Type': 'Pass', 'End': true}}},"
	"               {'StartAt': 'B2', 'States': {'B2': {'Type': 'Pass', 'End': true}}}],"
	"  'Output': {'r': '{% $states.result %}'}, 'Assign': {'k': '{% $count($states.result) %}'}, 'Next': 'C'},"
	" 'C': {'Type': 'Task', 'Resource': '" FN "', 'Catch': [{'ErrorEquals': ['States.ALL'], 'Output': '{% $states.errorOutput.nope %}', 'Next': 'T'}], 'End': true}}}";

static void
test_jsonata(void)
{
	asl_machine *m = compile(m_jsonata);
	asl_env		env = env_at(T0);
	asl_outcome o;
	branch_res	br[2] = {{"{'a': 1}", NULL, NULL}, {"2", NULL, NULL}};

	/* the start: Arguments evaluated at any depth, TimeoutSeconds from an expression, the token */
	env.task_token = "tok-9";
	do_step(m, "T", "{'id': 7, 't': 30}", "{'v': 'V'}", NULL, &env, &o);
	CHECK_STR(KIND(o), "TASK");
	CHECK_J(o.task.input, "{'id': 7, 'deep': [1, 'V'], 'token': 'tok-9'}");
	CHECK(o.task.timeout_seconds == 30 && o.task.heartbeat_seconds == 5);
	CHECK_STR(types(o.events), "TaskStateEntered");
	asl_outcome_clear(&o);

	/* TimeoutSeconds not a positive integer: an evaluation error, recorded as AWS records it, then caught */
	do_step(m, "T", "{'id': 7, 't': 0}", "{'v': 'V'}", NULL, &env, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_STR(o.next, "C");
	CHECK_STR(types(o.events), "TaskStateEntered,EvaluationFailed,TaskStateExited");
	CHECK_J(ptr(o.events, "/1/details/evaluationFailedEventDetails/location"), "'TimeoutSeconds'");
	CHECK_J(ptr(o.events, "/1/details/evaluationFailedEventDetails/state"), "'T'");
	CHECK_J(ptr(o.events, "/1/details/evaluationFailedEventDetails/error"), "'States.QueryEvaluationError'");
	CHECK_J(ptr(o.output, "/e/Error"), "'States.QueryEvaluationError'");
	CHECK_J(ptr(o.output, "/i"), "7");
	CHECK_J(o.variables, "{'v': 'V', 'err': 'States.QueryEvaluationError'}");
	asl_outcome_clear(&o);
	/* without a token (not a callback) $states.context.Task.Token is undefined */
	env.task_token = NULL;
	do_step(m, "T", "{'id': 7, 't': 30}", "{'v': 'V'}", NULL, &env, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_J(ptr(o.events, "/1/details/evaluationFailedEventDetails/location"), "'Arguments/token'");
	asl_outcome_clear(&o);

	/* the result: Output and Assign with $states.result; Assign sees the variables of entry */
	do_ok(m, "T", "{'id': 7}", "{'v': 'V'}", NULL, &env, "{'x': 'X'}", &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_STR(o.next, "P");
	CHECK_J(o.output, "{'got': 'X', 'in': 7}");
	CHECK_J(o.variables, "{'v': 'V', 'last': 'X', 'old': 'V'}");
	CHECK_J(ptr(o.events, "/0/details/stateExitedEventDetails/assignedVariables"), "{'last': 'X', 'old': 'V'}");
	asl_outcome_clear(&o);

	/* Retry as in JSONPath, then Catch with $states.errorOutput and $states.input */
	do_fail(m, "T", "{'id': 7}", NULL, NULL, &env, "Busy", "later", &o);
	CHECK_STR(KIND(o), "RETRY");
	asl_outcome_clear(&o);
	do_fail(m, "T", "{'id': 7}", NULL, "[1]", &env, "Busy", "later", &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK(o.catch_index == 0);
	CHECK_J(o.output, "{'e': {'Error': 'Busy', 'Cause': 'later'}, 'i': 7}");
	CHECK_J(o.variables, "{'err': 'Busy'}");
	asl_outcome_clear(&o);

	/* a member missing from the result: Assign (evaluated first) fails, the catcher takes it */
	do_ok(m, "T", "{'id': 7}", NULL, NULL, &env, "{'y': 1}", &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_STR(o.next, "C");
	CHECK_STR(types(o.events), "EvaluationFailed,TaskStateExited");
	CHECK_J(ptr(o.events, "/0/details/evaluationFailedEventDetails/location"), "'Assign/last'");
	asl_outcome_clear(&o);

	/* a catcher whose Output fails is not caught again; AWS names the field under its index */
	do_fail(m, "C", "{}", NULL, NULL, &env, "Any", "thing", &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(o.error.name, "States.QueryEvaluationError");
	CHECK_STR(types(o.events), "EvaluationFailed");
	CHECK_J(ptr(o.events, "/0/details/evaluationFailedEventDetails/location"), "'Catch[0]/Output'");
	asl_outcome_clear(&o);

	/* Parallel: Arguments for every branch, Output and Assign with $states.result */
	do_step(m, "P", "{'n': 1}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "BRANCHES");
	CHECK(o.branches.count == 2 && !o.branches.is_map);
	CHECK_J(o.branches.items[0].input, "{'n': 2}");
	CHECK_J(o.branches.items[1].input, "{'n': 2}");
	asl_outcome_clear(&o);
	do_branches(m, "P", "{'n': 1}", NULL, &env, br, 2, &o);
	CHECK_STR(KIND(o), "NEXT");
	CHECK_J(o.output, "{'r': [{'a': 1}, 2]}");
	CHECK_J(o.variables, "{'k': 2}");
	asl_outcome_clear(&o);
	/* its Arguments failing: EvaluationFailed before ParallelStateFailed */
	do_step(m, "P", "{'n': 'x'}", NULL, NULL, &env, &o);
	CHECK_STR(KIND(o), "FAIL");
	CHECK_STR(types(o.events), "ParallelStateEntered,EvaluationFailed,ParallelStateFailed");
	CHECK_J(ptr(o.events, "/1/details/evaluationFailedEventDetails/location"), "'Arguments/n'");
	CHECK(strstr(o.error.cause, "T2001") != NULL);
	asl_outcome_clear(&o);

	/* without history, the event is still counted */
	env.no_events = true;
	do_step(m, "P", "{'n': 'x'}", NULL, NULL, &env, &o);
	CHECK(o.n_events == 3);
	asl_outcome_clear(&o);

	asl_machine_free(m);
}

int
main(void)
{
	asl_execution_info info;
	json_object *exec_input = parse("{'start': true}");

	memset(&info, 0, sizeof info);
	info.id = "arn:aws:states:us-east-1:123456789012:execution:m:ex1";
	info.name = "ex1";
	info.start_time = T0;
	info.input = exec_input;
	info.state_machine_id = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
	info.state_machine_name = "m";
	base_ctx = asl_context_base(&info);

	test_error_equals();
	test_retry_delay();
	test_attempts_total();
	test_scope_enter();
	test_backoff();
	test_attempt_counters();
	test_matching();
	test_catch();
	test_task_done();
	test_task_outcome();
	test_wait();
	test_parallel();
	test_map();
	test_inspect();
	test_events();
	test_persisted_positions();
	test_no_events();
	test_size_memo();
	test_host_loop();
	test_jsonata();

	json_object_put(base_ctx);
	json_object_put(exec_input);
	printf("step: %d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

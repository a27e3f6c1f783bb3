/*
 * test_jsonata_suite.c — runs the official JSONata test suite
 * (../shared/jsonata/suite.jsonl, or $BOOKING_JSONATA_SUITE) against the
 * core and fails when fewer cases pass than the floor below.
 *
 * Judging follows the suite's README: a compile or evaluation error passes
 * when its code is the expected one; a result passes when it equals the
 * expected JSON (numbers as doubles; "unordered" compares the top-level
 * array as a multiset); undefined must be undefined. Cases that need
 * JSONata 2.1 operators (?? and ?:), $eval, or count a JavaScript
 * evaluator's frames do not apply. JN_SUITE_VERBOSE=1 lists the failures.
 * JN_SUITE_ERRORS=FILE writes each error case's code, position and message
 * as a JSON line, for test/unit/jsonata_errors.mjs to set beside npm
 * jsonata's.
 *
 * The error cases' errors are also compared with npm jsonata 2.2.2's, as
 * test/unit/jsonata_errors.jsonl records them (jsonata_errors.mjs --write):
 * at least ERRORS_FLOOR must give its code, position (none: -1) and message
 * exactly. JN_SUITE_VERBOSE=1 lists those that differ.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonata/jsonata.h"
#include "unit.h"
#include "../lib/json_equal.h"
#include "../lib/jsonata_applies.h"

/* the number of applicable cases that must pass */
#define SUITE_FLOOR 1635

/* the error cases whose error must be npm jsonata's exactly */
#define ERRORS_FLOOR 281

/* JN_SUITE_ERRORS: where the error cases' errors go, NULL when not asked */
static FILE * errlog;

/* the reference's errors by "group/case"; the counts of the comparison */
static json_object *ref_errors;
static int	errors_compared,
			errors_exact;
static bool verbose;

/* "group/case" of a suite case or a recorded error; false when it has neither */
static bool
case_key(json_object *c, char *key, size_t size)
{
	json_object *g,
			   *k;

	if (!json_object_object_get_ex(c, "group", &g) || !json_object_object_get_ex(c, "case", &k))
		return false;
	snprintf(key, size, "%s/%s", json_object_get_string(g), json_object_get_string(k));
	return true;
}

/* npm jsonata's errors, as test/unit/jsonata_errors.jsonl records them */
static bool
load_ref_errors(const char *path)
{
	FILE	   *f = fopen(path, "r");
	char	   *line = NULL;
	size_t		cap = 0;

	if (f == NULL)
		return false;
	ref_errors = json_object_new_object();
	while (getline(&line, &cap, f) > 0)
	{
		json_object *r = json_tokener_parse(line);
		char		key[300];

		if (r == NULL || !case_key(r, key, sizeof key))
		{
			json_object_put(r);
			continue;
		}
		json_object_object_add(ref_errors, key, r);
	}
	free(line);
	fclose(f);
	return true;
}

/* the reference's position: -1 when it has none */
static int
ref_position(json_object *r)
{
	json_object *pos;

	return json_object_object_get_ex(r, "position", &pos) ? json_object_get_int(pos) : -1;
}

/* compares an error case's error (NULL: none) with the reference's */
static void
compare_error(json_object *c, const jn_error *err)
{
	json_object *r,
			   *code = NULL,
			   *msg = NULL;
	char		key[300];
	bool		same;

	if (!case_key(c, key, sizeof key) || !json_object_object_get_ex(ref_errors, key, &r))
		return;
	errors_compared++;
	json_object_object_get_ex(r, "code", &code);
	json_object_object_get_ex(r, "message", &msg);
	same = err != NULL && code && msg &&
		strcmp(json_object_get_string(code), err->code) == 0 &&
		ref_position(r) == err->position &&
		strcmp(json_object_get_string(msg), err->message) == 0;
	if (same)
		errors_exact++;
	else if (verbose)
		printf("ERROR %s: reference %s at %d: %s\n    core %s at %d: %s\n", key,
			   code ? json_object_get_string(code) : "none", ref_position(r),
			   msg ? json_object_get_string(msg) : "", err ? err->code : "none",
			   err ? err->position : -1, err ? err->message : "");
}

/* one line for an error case: what the core reported (err NULL: no error) */
static void
log_error(json_object *c, const jn_error *err)
{
	json_object *g,
			   *k,
			   *o = json_object_new_object();

	json_object_object_get_ex(c, "group", &g);
	json_object_object_get_ex(c, "case", &k);
	json_object_object_add(o, "group", json_object_get(g));
	json_object_object_add(o, "case", json_object_get(k));
	if (err)
	{
		json_object_object_add(o, "code", json_object_new_string(err->code));
		json_object_object_add(o, "position", json_object_new_int(err->position));
		json_object_object_add(o, "message", json_object_new_string(err->message));
		if (err->token[0])
			json_object_object_add(o, "token", json_object_new_string(err->token));
	}
	fprintf(errlog, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* An error case's outcome (err NULL: no error): logged when asked, compared with the reference's. */
static void
note_error_case(json_object *c, const jn_error *err)
{
	if (errlog)
		log_error(c, err);
	compare_error(c, err);
}

static bool
unordered_equal(json_object *a, json_object *b)
{
	size_t		n;
	bool	   *used;
	bool		ok = true;

	if (!json_object_is_type(a, json_type_array) || !json_object_is_type(b, json_type_array))
		return json_equal(a, b);
	n = json_object_array_length(a);
	if (n != json_object_array_length(b))
		return false;
	used = calloc(n + 1, sizeof(bool));
	for (size_t i = 0; i < n && ok; i++)
	{
		bool		found = false;

		for (size_t k = 0; k < n && !found; k++)
			if (!used[k] && json_equal(json_object_array_get_idx(a, i), json_object_array_get_idx(b, k)))
				used[k] = found = true;
		ok = found;
	}
	free(used);
	return ok;
}

/* returns NULL when the case passes, else a short reason (static or in buf) */
static const char *
judge(json_object *c, char *buf, size_t bufsz)
{
	json_object *expr,
			   *expect,
			   *data = NULL,
			   *bindings = NULL,
			   *code = NULL,
			   *result = NULL,
			   *jv,
			   *unordered;
	jn_error	err;
	jn_expr    *e;
	json_object *out = NULL;
	bool		undef,
				has_input;
	int			rc;
	const char *why = NULL;

	json_object_object_get_ex(c, "expr", &expr);
	json_object_object_get_ex(c, "expect", &expect);
	json_object_object_get_ex(expect, "error_code", &code);
	has_input = json_object_object_get_ex(c, "data", &data);
	json_object_object_get_ex(c, "bindings", &bindings);
	e = jn_compile(json_object_get_string(expr), (size_t) json_object_get_string_len(expr), &err);
	if (e == NULL)
	{
		if (code)
			note_error_case(c, &err);
		if (code && strcmp(json_object_get_string(code), err.code) == 0)
			return NULL;
		snprintf(buf, bufsz, "compile error %s: %s", err.code, err.message);
		return buf;
	}
	{
		jn_options	opts = {0};

		opts.max_steps = 50000000;
		rc = jn_evaluate(e, data, has_input, bindings, &opts, &out, &undef, &err);
	}
	jn_expr_free(e);
	if (code)
		note_error_case(c, rc != 0 ? &err : NULL);
	if (rc != 0)
	{
		if (code && strcmp(json_object_get_string(code), err.code) == 0)
			return NULL;
		snprintf(buf, bufsz, "error %s at %d: %s", err.code, err.position, err.message);
		return buf;
	}
	if (code)
		why = "expected an error, got a result";
	else if (json_object_object_get_ex(expect, "undefined", &jv))
	{
		if (!undef)
		{
			snprintf(buf, bufsz, "expected undefined, got %.200s", json_object_to_json_string(out));
			why = buf;
		}
	}
	else if (json_object_object_get_ex(expect, "result", &result))
	{
		bool		ok;

		if (undef)
			why = "got undefined";
		else
		{
			ok = json_object_object_get_ex(expect, "unordered", &unordered) && json_object_get_boolean(unordered)
				? unordered_equal(out, result) : json_equal(out, result);
			if (!ok)
			{
				snprintf(buf, bufsz, "got %.300s", json_object_to_json_string(out));
				why = buf;
			}
		}
	}
	json_object_put(out);
	return why;
}

int
main(void)
{
	const char *path = getenv("BOOKING_JSONATA_SUITE");
	const char *ref_path = getenv("JN_SUITE_REF_ERRORS");
	bool		trace = getenv("JN_SUITE_TRACE") != NULL;
	FILE	   *f;
	char	   *line = NULL;
	size_t		cap = 0;
	int			applicable = 0,
				passed = 0;

	if (path == NULL || *path == '\0')
		path = "../shared/jsonata/suite.jsonl";
	verbose = getenv("JN_SUITE_VERBOSE") != NULL;
	if (ref_path == NULL || *ref_path == '\0')
		ref_path = "test/unit/jsonata_errors.jsonl";
	if (!load_ref_errors(ref_path))
	{
		fprintf(stderr, "test_jsonata_suite: cannot open %s (set JN_SUITE_REF_ERRORS)\n", ref_path);
		return 1;
	}
	if (getenv("JN_SUITE_ERRORS") != NULL && (errlog = fopen(getenv("JN_SUITE_ERRORS"), "w")) == NULL)
	{
		fprintf(stderr, "test_jsonata_suite: cannot write %s\n", getenv("JN_SUITE_ERRORS"));
		return 1;
	}
	f = fopen(path, "r");
	if (f == NULL)
	{
		fprintf(stderr, "test_jsonata_suite: cannot open %s (set BOOKING_JSONATA_SUITE)\n", path);
		return 1;
	}
	while (getline(&line, &cap, f) > 0)
	{
		json_object *c = json_tokener_parse(line);
		char		buf[600];
		const char *why;

		if (c == NULL || !applies(c))
		{
			json_object_put(c);
			continue;
		}
		applicable++;
		if (trace)
		{
			json_object *k;

			json_object_object_get_ex(c, "case", &k);
			fprintf(stderr, "case %s\n", json_object_get_string(k));
		}
		why = judge(c, buf, sizeof buf);
		if (why == NULL)
			passed++;
		else if (verbose)
		{
			json_object *g,
					   *k,
					   *x;

			json_object_object_get_ex(c, "group", &g);
			json_object_object_get_ex(c, "case", &k);
			json_object_object_get_ex(c, "expr", &x);
			printf("FAIL %s/%s: %.120s\n    %s\n", json_object_get_string(g), json_object_get_string(k),
				   json_object_get_string(x), why);
		}
		json_object_put(c);
	}
	free(line);
	fclose(f);
	if (errlog)
		fclose(errlog);
	printf("jsonata suite: %d of %d applicable cases pass (floor %d)\n", passed, applicable, SUITE_FLOOR);
	CHECK(applicable == 1637);
	CHECK_MSG(passed >= SUITE_FLOOR, "%d passed, below the floor of %d", passed, SUITE_FLOOR);
	printf("jsonata suite errors: %d of %d error cases give npm jsonata's code, position and message (floor %d)\n",
		   errors_exact, errors_compared, ERRORS_FLOOR);
	CHECK(errors_compared == 283);
	CHECK_MSG(errors_exact >= ERRORS_FLOOR, "%d exact, below the floor of %d", errors_exact, ERRORS_FLOOR);
	json_object_put(ref_errors);
	printf("test_jsonata_suite: %d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

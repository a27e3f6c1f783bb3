/*
 * core_bench.c — evaluations per second of booking's JSONata core over the
 * suite's result cases: each expression compiled once, then evaluated
 * against its input again and again for about BENCH_MS milliseconds.
 *
 *   core_bench SUITE.jsonl [BENCH_MS]   → one line per case: group/case<TAB>evals per second
 *
 * A case is measured only when the core's result equals the expected one
 * (a wrong result measures nothing); the others are reported as "skip".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "jsonata/jsonata.h"
#include "../../test/lib/json_equal.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	FILE	   *f = argc > 1 ? fopen(argv[1], "r") : NULL;
	double		budget = argc > 2 ? atof(argv[2]) : 50;
	char	   *line = NULL;
	size_t		cap = 0;

	if (f == NULL)
	{
		fprintf(stderr, "usage: core_bench SUITE.jsonl [BENCH_MS]\n");
		return 2;
	}
	while (getline(&line, &cap, f) > 0)
	{
		json_object *c = json_tokener_parse(line);
		json_object *g,
				   *k,
				   *expr,
				   *expect,
				   *result,
				   *data = NULL,
				   *bindings = NULL,
				   *u;
		jn_error	err;
		jn_expr    *e;
		json_object *out = NULL;
		bool		undef,
					has_input;
		long		n = 0;
		double		t0,
					t;

		json_object_object_get_ex(c, "group", &g);
		json_object_object_get_ex(c, "case", &k);
		json_object_object_get_ex(c, "expr", &expr);
		json_object_object_get_ex(c, "expect", &expect);
		if (!json_object_object_get_ex(expect, "result", &result) ||
			json_object_object_get_ex(expect, "unordered", &u) ||
			json_object_object_get_ex(c, "timelimit", &u) ||
			strcmp(json_object_get_string(g), "function-eval") == 0 ||
			strcmp(json_object_get_string(g), "coalescing-operator") == 0 ||
			strcmp(json_object_get_string(g), "default-operator") == 0 ||
			strstr(json_object_get_string(expr), "$now()") || strstr(json_object_get_string(expr), "$millis()") ||
			strstr(json_object_get_string(expr), "$random()"))
		{
			json_object_put(c);
			continue;
		}
		has_input = json_object_object_get_ex(c, "data", &data);
		json_object_object_get_ex(c, "bindings", &bindings);
		e = jn_compile(json_object_get_string(expr), (size_t) json_object_get_string_len(expr), &err);
		if (e == NULL || jn_evaluate(e, data, has_input, bindings, NULL, &out, &undef, &err) != 0 ||
			undef || !json_equal(out, result))
		{
			printf("%s/%s\tskip\n", json_object_get_string(g), json_object_get_string(k));
			json_object_put(out);
			jn_expr_free(e);
			json_object_put(c);
			continue;
		}
		json_object_put(out);
		t0 = now_ms();
		do
		{
			for (int i = 0; i < 16; i++)
			{
				jn_evaluate(e, data, has_input, bindings, NULL, &out, &undef, &err);
				json_object_put(out);
			}
			n += 16;
			t = now_ms() - t0;
		} while (t < budget);
		printf("%s/%s\t%.1f\n", json_object_get_string(g), json_object_get_string(k), (double) n * 1000.0 / t);
		jn_expr_free(e);
		json_object_put(c);
	}
	free(line);
	fclose(f);
	return 0;
}

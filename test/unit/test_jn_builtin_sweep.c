/*
 * test_jn_builtin_sweep.c — every built-in function called with every mix of
 * argument kinds (undefined, null, string, number, boolean, array, object,
 * function), from none up to its arity plus one.
 *
 * Functions get NULL for an undefined argument after their signature was
 * checked; the fuzzer found $range dereferencing one. Under the sanitizers
 * any such slip aborts this program. Each call must either give a value (or
 * undefined) or fail with an error code and no value.
 */
#include <string.h>

#include <json-c/json.h>

#include "jsonata/jn_fn.h"
#include "jsonata/jsonata.h"
#include "unit.h"

static const char *const kinds[] = {
	"nothing", "null", "\"a,b\"", "2", "-1.5", "1e300", "-4294967297", "true", "[3, \"x\", 1]", "{\"k\": [1]}",
	"function($v){$v}", "$string",
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static int	calls;

/* Calls $name with the argument kinds picked by idx (base NKINDS digits). */
static void
call_one(const char *name, int nargs, unsigned idx)
{
	char		expr[512];
	size_t		len;
	jn_error	err;
	jn_expr    *e;
	jn_options	opts = {0};
	json_object *in = json_tokener_parse("{\"a\": 1}");
	json_object *out = NULL;
	bool		undef = false;

	len = (size_t) snprintf(expr, sizeof expr, "$%s(", name);
	for (int i = 0; i < nargs; i++, idx /= NKINDS)
		len += (size_t) snprintf(expr + len, sizeof expr - len, "%s%s", i ? ", " : "", kinds[idx % NKINDS]);
	snprintf(expr + len, sizeof expr - len, ")");

	opts.max_depth = 100;
	opts.max_steps = 100000;
	opts.memory_limit = 16 * 1024 * 1024;
	e = jn_compile(expr, strlen(expr), &err);
	CHECK_MSG(e != NULL, "%s does not compile: %s", expr, err.code);
	if (e != NULL)
	{
		if (jn_evaluate(e, in, true, NULL, &opts, &out, &undef, &err) != 0)
			CHECK_MSG(err.code[0] != '\0' && out == NULL, "%s failed without a code", expr);
		else
			/* json-c writes JSON null as NULL, so only undefined-with-a-value is wrong */
			CHECK_MSG(!(undef && out != NULL), "%s: undefined with a value", expr);
		calls++;
	}
	json_object_put(out);
	json_object_put(in);
	jn_expr_free(e);
}

static void
sweep(void)
{
	int			functions = 0;

	for (jn_builtin *const *t = jn_builtin_tables; *t; t++)
		for (jn_builtin *b = *t; b->name; b++)
		{
			int			max_args = b->arity + 1 > 3 ? 3 : b->arity + 1;

			functions++;
			for (int nargs = 0; nargs <= max_args; nargs++)
			{
				unsigned	combos = 1;

				for (int i = 0; i < nargs; i++)
					combos *= NKINDS;
				for (unsigned idx = 0; idx < combos; idx++)
					call_one(b->name, nargs, idx);
			}
		}
	CHECK_MSG(functions >= 70, "only %d built-in functions found", functions);
	CHECK_MSG(calls > 10000, "only %d calls made", calls);
}

UNIT_MAIN("test_jn_builtin_sweep", {
	sweep();
})

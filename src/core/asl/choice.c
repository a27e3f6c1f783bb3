/*
 * choice.c — Choice rules: compiled once from the definition, evaluated at
 * every visit of the Choice state.
 *
 * Compilation reports every problem of a rule (and of its nested rules) with
 * the pointer of the offending field. Where a rule holds two operators only
 * the first is examined: the rest would be noise about a rule that must be
 * rewritten anyway. Next and Assign inside And/Or/Not are UNKNOWN_FIELD (the
 * field does not exist there), as is Variable on And/Or/Not.
 *
 * Evaluation follows AWS: a Variable that names nothing fails the execution
 * with States.Runtime, except under IsPresent, which exists to ask; so does a
 * ...Path operand that names nothing. A value of another type than the
 * operator's makes the comparison false, as does a string that is not a
 * timestamp under Timestamp*. And/Or stop at the first rule that decides.
 */
#include "choice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_kind.h"
#include "names.h"

/* Deepest And/Or/Not nesting compiled (and so recursed into at run time). */
#define MAX_RULE_DEPTH 64

typedef struct comparison_op
{
	const char *name;
	asl_value_type type;
	asl_relation relation;
	bool		path;			/* the ...Path variant */
} comparison_op;

static const comparison_op comparisons[] = {
	{"StringEquals", ASL_VT_STRING, ASL_REL_EQ, false},
	{"StringEqualsPath", ASL_VT_STRING, ASL_REL_EQ, true},
	{"StringLessThan", ASL_VT_STRING, ASL_REL_LT, false},
	{"StringLessThanPath", ASL_VT_STRING, ASL_REL_LT, true},
	{"StringGreaterThan", ASL_VT_STRING, ASL_REL_GT, false},
	{"StringGreaterThanPath", ASL_VT_STRING, ASL_REL_GT, true},
	{"StringLessThanEquals", ASL_VT_STRING, ASL_REL_LE, false},
	{"StringLessThanEqualsPath", ASL_VT_STRING, ASL_REL_LE, true},
	{"StringGreaterThanEquals", ASL_VT_STRING, ASL_REL_GE, false},
	{"StringGreaterThanEqualsPath", ASL_VT_STRING, ASL_REL_GE, true},
	{"StringMatches", ASL_VT_STRING, ASL_REL_MATCHES, false},
	{"NumericEquals", ASL_VT_NUMERIC, ASL_REL_EQ, false},
	{"NumericEqualsPath", ASL_VT_NUMERIC, ASL_REL_EQ, true},
	{"NumericLessThan", ASL_VT_NUMERIC, ASL_REL_LT, false},
	{"NumericLessThanPath", ASL_VT_NUMERIC, ASL_REL_LT, true},
	{"NumericGreaterThan", ASL_VT_NUMERIC, ASL_REL_GT, false},
	{"NumericGreaterThanPath", ASL_VT_NUMERIC, ASL_REL_GT, true},
	{"NumericLessThanEquals", ASL_VT_NUMERIC, ASL_REL_LE, false},
	{"NumericLessThanEqualsPath", ASL_VT_NUMERIC, ASL_REL_LE, true},
	{"NumericGreaterThanEquals", ASL_VT_NUMERIC, ASL_REL_GE, false},
	{"NumericGreaterThanEqualsPath", ASL_VT_NUMERIC, ASL_REL_GE, true},
	{"BooleanEquals", ASL_VT_BOOLEAN, ASL_REL_EQ, false},
	{"BooleanEqualsPath", ASL_VT_BOOLEAN, ASL_REL_EQ, true},
	{"TimestampEquals", ASL_VT_TIMESTAMP, ASL_REL_EQ, false},
	{"TimestampEqualsPath", ASL_VT_TIMESTAMP, ASL_REL_EQ, true},
	{"TimestampLessThan", ASL_VT_TIMESTAMP, ASL_REL_LT, false},
	{"TimestampLessThanPath", ASL_VT_TIMESTAMP, ASL_REL_LT, true},
	{"TimestampGreaterThan", ASL_VT_TIMESTAMP, ASL_REL_GT, false},
	{"TimestampGreaterThanPath", ASL_VT_TIMESTAMP, ASL_REL_GT, true},
	{"TimestampLessThanEquals", ASL_VT_TIMESTAMP, ASL_REL_LE, false},
	{"TimestampLessThanEqualsPath", ASL_VT_TIMESTAMP, ASL_REL_LE, true},
	{"TimestampGreaterThanEquals", ASL_VT_TIMESTAMP, ASL_REL_GE, false},
	{"TimestampGreaterThanEqualsPath", ASL_VT_TIMESTAMP, ASL_REL_GE, true},
};

static const struct
{
	const char *name;
	asl_type_test test;
}			type_tests[] = {
	{"IsNull", ASL_TEST_NULL},
	{"IsPresent", ASL_TEST_PRESENT},
	{"IsNumeric", ASL_TEST_NUMERIC},
	{"IsString", ASL_TEST_STRING},
	{"IsBoolean", ASL_TEST_BOOLEAN},
	{"IsTimestamp", ASL_TEST_TIMESTAMP},
};

#define N_COMPARISONS (sizeof(comparisons) / sizeof(comparisons[0]))
#define N_TYPE_TESTS (sizeof(type_tests) / sizeof(type_tests[0]))

/* What one compile_rule call has seen, for the checks after its loop. */
typedef struct rule_ctx
{
	asl_diags  *diags;
	const char *pointer;
	bool		ok;
	const char *op;				/* the first operator field, NULL when none */
	bool		extra_op_reported;
	bool		has_variable;
	bool		has_next;
} rule_ctx;

static bool compile_rule(json_object *rule, const char *pointer, bool top_level,
						 int depth, asl_choice_rule *out, asl_diags *diags);

static void rule_error(rule_ctx *c, const char *code, const char *field, const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

/* Records an error at pointer + "/" + field (field NULL: at pointer). */
static void
rule_error(rule_ctx *c, const char *code, const char *field, const char *fmt,...)
{
	va_list		ap;
	char	   *msg = NULL;
	char	   *at = NULL;

	c->ok = false;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (field != NULL)
		at = asl_pointer_join(c->pointer, field);
	asl_diag_add(c->diags, ASL_SEV_ERROR, code, at ? at : c->pointer, "%s",
				 msg ? msg : code);
	free(at);
	free(msg);
}

static const comparison_op *
find_comparison(const char *name)
{
	for (size_t i = 0; i < N_COMPARISONS; i++)
		if (strcmp(comparisons[i].name, name) == 0)
			return &comparisons[i];
	return NULL;
}

static int
find_type_test(const char *name)
{
	for (size_t i = 0; i < N_TYPE_TESTS; i++)
		if (strcmp(type_tests[i].name, name) == 0)
			return (int) i;
	return -1;
}

/*
 * Compiles a reference path (Variable, ...Path). A text that is a JSONPath
 * but names more than one node is INVALID_REFERENCE_PATH; one that is no
 * JSONPath at all is INVALID_JSON_PATH, as elsewhere in the definition.
 */
static asl_path *
compile_reference(rule_ctx *c, const char *field, json_object *val)
{
	char	   *error = NULL;
	char	   *qerror = NULL;
	asl_path   *path;
	asl_path   *query;

	if (!json_object_is_type(val, json_type_string))
	{
		rule_error(c, "WRONG_TYPE", field, "%s must be a string holding a reference path, not %s",
				   field, asl_json_type_label(val));
		return NULL;
	}
	path = asl_path_compile(json_object_get_string(val), ASL_PATH_REFERENCE, &error);
	if (path != NULL)
	{
		free(error);
		return path;
	}
	query = asl_path_compile(json_object_get_string(val), ASL_PATH_QUERY, &qerror);
	if (query != NULL)
		rule_error(c, "INVALID_REFERENCE_PATH", field,
				   "%s must be a reference path (a single node: names and indexes only): %s",
				   field, error ? error : "not a reference path");
	else
		rule_error(c, "INVALID_JSON_PATH", field, "%s is not a valid JSONPath: %s",
				   field, qerror ? qerror : (error ? error : "cannot compile"));
	if (query != NULL)
		asl_path_free(query);
	free(error);
	free(qerror);
	return NULL;
}

/* Checks and keeps the operand of a comparison. */
static void
compile_comparison(rule_ctx *c, const comparison_op *op, json_object *val,
				   asl_choice_rule *out)
{
	out->kind = ASL_RULE_COMPARE;
	out->value_type = op->type;
	out->relation = op->relation;
	if (op->path)
	{
		out->operand_path = compile_reference(c, op->name, val);
		return;
	}
	switch (op->type)
	{
		case ASL_VT_STRING:
			if (!json_object_is_type(val, json_type_string))
			{
				rule_error(c, "WRONG_TYPE", op->name, "%s takes a string, not %s",
						   op->name, asl_json_type_label(val));
				return;
			}
			break;
		case ASL_VT_NUMERIC:
			if (!json_object_is_type(val, json_type_int) &&
				!json_object_is_type(val, json_type_double))
			{
				rule_error(c, "WRONG_TYPE", op->name, "%s takes a number, not %s",
						   op->name, asl_json_type_label(val));
				return;
			}
			break;
		case ASL_VT_BOOLEAN:
			if (!json_object_is_type(val, json_type_boolean))
			{
				rule_error(c, "WRONG_TYPE", op->name, "%s takes a boolean, not %s",
						   op->name, asl_json_type_label(val));
				return;
			}
			break;
		case ASL_VT_TIMESTAMP:
			if (!json_object_is_type(val, json_type_string))
			{
				rule_error(c, "WRONG_TYPE", op->name, "%s takes a timestamp string, not %s",
						   op->name, asl_json_type_label(val));
				return;
			}
			if (!asl_timestamp_parse(json_object_get_string(val), &out->operand_time))
			{
				rule_error(c, "INVALID_TIMESTAMP", op->name,
						   "%s: \"%s\" is not an RFC 3339 timestamp (YYYY-MM-DDThh:mm:ss with Z or an offset)",
						   op->name, json_object_get_string(val));
				return;
			}
			break;
	}
	out->operand = json_object_get(val);
}

/* Compiles the rules of And/Or (an array) or Not (one object). */
static void
compile_children(rule_ctx *c, const char *field, json_object *val, int depth,
				 asl_choice_rule *out)
{
	bool		is_not = strcmp(field, "Not") == 0;
	char	   *base;
	size_t		n;

	out->kind = is_not ? ASL_RULE_NOT : (strcmp(field, "And") == 0 ? ASL_RULE_AND : ASL_RULE_OR);
	if (is_not && !json_object_is_type(val, json_type_object))
	{
		rule_error(c, "WRONG_TYPE", field, "Not takes one choice rule (an object), not %s",
				   asl_json_type_label(val));
		return;
	}
	if (!is_not && !json_object_is_type(val, json_type_array))
	{
		rule_error(c, "WRONG_TYPE", field, "%s takes an array of choice rules, not %s",
				   field, asl_json_type_label(val));
		return;
	}
	n = is_not ? 1 : json_object_array_length(val);
	if (n == 0)
	{
		rule_error(c, "INVALID_VALUE", field, "%s must hold at least one choice rule", field);
		return;
	}
	base = asl_pointer_join(c->pointer, field);
	out->children = calloc(n, sizeof(asl_choice_rule));
	if (base == NULL || out->children == NULL)
	{
		free(base);
		rule_error(c, "OUT_OF_MEMORY", NULL, "out of memory");
		return;
	}
	out->n_children = n;
	if (is_not)
	{
		if (!compile_rule(val, base, false, depth + 1, &out->children[0], c->diags))
			c->ok = false;
		free(base);
		return;
	}
	for (size_t i = 0; i < n; i++)
	{
		json_object *child = json_object_array_get_idx(val, i);
		char	   *at = asl_pointer_index(base, i);

		if (at == NULL)
		{
			rule_error(c, "OUT_OF_MEMORY", NULL, "out of memory");
			break;
		}
		if (!json_object_is_type(child, json_type_object))
		{
			c->ok = false;
			asl_diag_add(c->diags, ASL_SEV_ERROR, "WRONG_TYPE", at,
						 "a choice rule must be an object, not %s", asl_json_type_label(child));
		}
		else if (!compile_rule(child, at, false, depth + 1, &out->children[i], c->diags))
			c->ok = false;
		free(at);
	}
	free(base);
}

/* Reports every key of an Assign object (at "at") that is not a variable name. */
static bool
check_variable_names(rule_ctx *c, json_object *assign, const char *at)
{
	bool		names_ok = true;

	json_object_object_foreach(assign, key, v)
	{
		size_t		len = strlen(key);
		char	   *kat;

		(void) v;
		if (len >= 2 && strcmp(key + len - 2, ".$") == 0)
			len -= 2;
		if (asl_variable_name_valid(key, len))
			continue;
		names_ok = false;
		c->ok = false;
		kat = asl_pointer_join(at, key);
		asl_diag_add(c->diags, ASL_SEV_ERROR, "INVALID_VALUE", kat ? kat : at,
					 "\"%.*s\" is not a valid variable name (a letter or _, then letters, digits or _, at most 80 characters)",
					 (int) len, key);
		free(kat);
	}
	return names_ok;
}

/*
 * A rule's Assign: an object of variables, compiled as a template (top-
 * level rules only).
 */
static void
compile_assign(rule_ctx *c, json_object *val, asl_choice_rule *out)
{
	char	   *at;

	if (!json_object_is_type(val, json_type_object))
	{
		rule_error(c, "WRONG_TYPE", "Assign", "Assign must be an object, not %s", asl_json_type_label(val));
		return;
	}
	at = asl_pointer_join(c->pointer, "Assign");
	if (at == NULL)
	{
		rule_error(c, "OUT_OF_MEMORY", NULL, "out of memory");
		return;
	}
	if (check_variable_names(c, val, at))
	{
		out->assign = asl_template_compile(val, at, c->diags);
		if (out->assign == NULL)
			c->ok = false;
	}
	free(at);
}

/* Remembers the rule's operator; a second one is reported once and skipped. */
static bool
claim_operator(rule_ctx *c, const char *name)
{
	if (c->op == NULL)
	{
		c->op = name;
		return true;
	}
	if (!c->extra_op_reported)
		rule_error(c, "MUTUALLY_EXCLUSIVE_FIELDS", NULL,
				   "a choice rule holds exactly one operator, but this one has both %s and %s",
				   c->op, name);
	c->extra_op_reported = true;
	return false;
}

/*
 * Compiles one field of a rule object into out: Variable, Comment, Next,
 * Assign, And/Or/Not, a comparison or a type test; reports fields that do
 * not belong.
 */
static void
compile_field(rule_ctx *c, const char *key, json_object *val, bool top_level,
			  int depth, asl_choice_rule *out)
{
	const comparison_op *op;
	int			test;

	if (strcmp(key, "Variable") == 0)
	{
		c->has_variable = true;
		out->variable = compile_reference(c, key, val);
	}
	else if (strcmp(key, "Comment") == 0)
	{
		if (!json_object_is_type(val, json_type_string))
			rule_error(c, "WRONG_TYPE", key, "Comment must be a string, not %s", asl_json_type_label(val));
	}
	else if (strcmp(key, "Next") == 0 || strcmp(key, "Assign") == 0)
	{
		if (!top_level)
			rule_error(c, "UNKNOWN_FIELD", key,
					   "%s is only allowed on a top-level choice rule, not inside And, Or or Not", key);
		else if (key[0] == 'A')
			compile_assign(c, val, out);
		else
		{
			c->has_next = true;
			if (!json_object_is_type(val, json_type_string))
				rule_error(c, "WRONG_TYPE", key, "Next must be a string naming a state, not %s",
						   asl_json_type_label(val));
			else if ((out->next_name = strdup(json_object_get_string(val))) == NULL)
				rule_error(c, "OUT_OF_MEMORY", NULL, "out of memory");
		}
	}
	else if (strcmp(key, "And") == 0 || strcmp(key, "Or") == 0 || strcmp(key, "Not") == 0)
	{
		if (claim_operator(c, key))
			compile_children(c, key, val, depth, out);
	}
	else if ((op = find_comparison(key)) != NULL)
	{
		if (claim_operator(c, key))
			compile_comparison(c, op, val, out);
	}
	else if ((test = find_type_test(key)) >= 0)
	{
		if (!claim_operator(c, key))
			return;
		out->kind = ASL_RULE_TEST;
		out->test = type_tests[test].test;
		if (!json_object_is_type(val, json_type_boolean))
			rule_error(c, "WRONG_TYPE", key, "%s takes a boolean, not %s", key, asl_json_type_label(val));
		else
			out->test_expected = json_object_get_boolean(val);
	}
	else
		rule_error(c, "UNKNOWN_FIELD", key, "\"%s\" is not a field of a choice rule", key);
}

/*
 * Compiles a rule object at pointer into out (zeroed first); nested rules
 * (And, Or, Not) take no Next, at most MAX_RULE_DEPTH deep.
 */
static bool
compile_rule(json_object *rule, const char *pointer, bool top_level, int depth,
			 asl_choice_rule *out, asl_diags *diags)
{
	rule_ctx	c;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.diags = diags;
	c.pointer = pointer;
	c.ok = true;
	if (!json_object_is_type(rule, json_type_object))
	{
		rule_error(&c, "WRONG_TYPE", NULL, "a choice rule must be an object, not %s", asl_json_type_label(rule));
		return false;
	}
	if (depth > MAX_RULE_DEPTH)
	{
		rule_error(&c, "UNSUPPORTED_FEATURE", NULL,
				   "choice rules nested more than %d deep", MAX_RULE_DEPTH);
		return false;
	}
	{
		json_object_object_foreach(rule, key, val)
			compile_field(&c, key, val, top_level, depth, out);
	}

	if (c.op == NULL)
		rule_error(&c, "MISSING_FIELD", NULL,
				   "a choice rule needs a comparison (StringEquals, NumericLessThan, IsPresent, ...), And, Or or Not");
	else if (out->kind == ASL_RULE_COMPARE || out->kind == ASL_RULE_TEST)
	{
		if (!c.has_variable)
			rule_error(&c, "MISSING_FIELD", NULL, "the comparison %s needs a Variable", c.op);
	}
	else if (c.has_variable)
		rule_error(&c, "UNKNOWN_FIELD", "Variable",
				   "Variable belongs on a comparison, not on %s (put it on the rules inside)", c.op);
	if (top_level && !c.has_next)
		rule_error(&c, "MISSING_FIELD", NULL, "a choice rule in Choices needs Next");
	return c.ok;
}

bool
asl_choice_rule_compile(json_object *rule, const char *pointer, bool top_level,
						asl_choice_rule *out, asl_diags *diags)
{
	return compile_rule(rule, pointer ? pointer : "", top_level, 0, out, diags);
}

void
asl_choice_rule_release(asl_choice_rule *rule)
{
	if (rule == NULL)
		return;
	for (size_t i = 0; i < rule->n_children; i++)
		asl_choice_rule_release(&rule->children[i]);
	free(rule->children);
	if (rule->variable != NULL)
		asl_path_free(rule->variable);
	if (rule->operand_path != NULL)
		asl_path_free(rule->operand_path);
	json_object_put(rule->operand);
	free(rule->next_name);
	if (rule->assign != NULL)
		asl_template_free(rule->assign);
	memset(rule, 0, sizeof(*rule));
}

/* ---- evaluation ---- */

/*
 * StringMatches: '*' matches any run of bytes, "\*" a literal asterisk and
 * "\\" a backslash; any other backslash stands for itself. Backtracks only
 * to the last star, so the cost is at most len(text) * len(pattern).
 */
static bool
wildcard_match(const char *pat, size_t plen, const char *text, size_t tlen)
{
	size_t		p = 0,
				t = 0;
	size_t		star_p = 0,
				star_t = 0;
	bool		have_star = false;

	while (t < tlen)
	{
		if (p < plen && pat[p] == '*')
		{
			have_star = true;
			star_p = ++p;
			star_t = t;
			continue;
		}
		if (p < plen)
		{
			char		lit = pat[p];
			size_t		step = 1;

			if (lit == '\\' && p + 1 < plen && (pat[p + 1] == '*' || pat[p + 1] == '\\'))
			{
				lit = pat[p + 1];
				step = 2;
			}
			if (text[t] == lit)
			{
				p += step;
				t++;
				continue;
			}
		}
		if (!have_star)
			return false;
		p = star_p;
		t = ++star_t;
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

/* Whether a three-way comparison result satisfies the relation. */
static bool
relation_holds(asl_relation rel, int cmp)
{
	switch (rel)
	{
		case ASL_REL_EQ:
			return cmp == 0;
		case ASL_REL_LT:
			return cmp < 0;
		case ASL_REL_GT:
			return cmp > 0;
		case ASL_REL_LE:
			return cmp <= 0;
		case ASL_REL_GE:
			return cmp >= 0;
		case ASL_REL_MATCHES:
			return false;
	}
	return false;
}

/*
 * Numbers compare as long double: exact for every int64 json-c holds and for
 * every double, so 9007199254740993 and 9007199254740992 stay apart.
 */
static long double
number_value(json_object *v)
{
	if (json_object_is_type(v, json_type_double))
		return (long double) json_object_get_double(v);
	if (json_object_get_int64(v) == INT64_MAX)
		return (long double) json_object_get_uint64(v);
	return (long double) json_object_get_int64(v);
}

/* Byte order of UTF-8 is code point order; embedded NULs compare too. */
static int
string_cmp(json_object *a, json_object *b)
{
	size_t		alen = (size_t) json_object_get_string_len(a);
	size_t		blen = (size_t) json_object_get_string_len(b);
	int			c = memcmp(json_object_get_string(a), json_object_get_string(b),
						   alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* v as a time when it is a string in the RFC 3339 form AWS accepts. */
static bool
timestamp_value(json_object *v, asl_time *out)
{
	return json_object_is_type(v, json_type_string) &&
		asl_timestamp_parse(json_object_get_string(v), out);
}

/* The comparison itself; a value of another type never matches. */
static bool
compare_values(const asl_choice_rule *r, json_object *value, json_object *operand)
{
	switch (r->value_type)
	{
		case ASL_VT_STRING:
			if (!json_object_is_type(value, json_type_string) ||
				!json_object_is_type(operand, json_type_string))
				return false;
			if (r->relation == ASL_REL_MATCHES)
				return wildcard_match(json_object_get_string(operand),
									  (size_t) json_object_get_string_len(operand),
									  json_object_get_string(value),
									  (size_t) json_object_get_string_len(value));
			return relation_holds(r->relation, string_cmp(value, operand));
		case ASL_VT_NUMERIC:
			{
				long double a,
							b;

				if (!asl_json_is_number(value) || !asl_json_is_number(operand))
					return false;
				a = number_value(value);
				b = number_value(operand);
				if (a != a || b != b)
					return false;	/* NaN, should a document carry one */
				return relation_holds(r->relation, a < b ? -1 : (a > b ? 1 : 0));
			}
		case ASL_VT_BOOLEAN:
			return json_object_is_type(value, json_type_boolean) &&
				json_object_is_type(operand, json_type_boolean) &&
				json_object_get_boolean(value) == json_object_get_boolean(operand);
		case ASL_VT_TIMESTAMP:
			{
				asl_time	a,
							b = r->operand_time;

				if (!timestamp_value(value, &a))
					return false;
				if (r->operand_path != NULL && !timestamp_value(operand, &b))
					return false;
				return relation_holds(r->relation, a < b ? -1 : (a > b ? 1 : 0));
			}
	}
	return false;
}

/*
 * Whether v passes a type test (IsNull, IsString, IsTimestamp, …); NULL
 * stands for JSON null.
 */
static bool
type_test(asl_type_test test, json_object *v)
{
	asl_time	t;

	switch (test)
	{
		case ASL_TEST_NULL:
			return v == NULL;
		case ASL_TEST_PRESENT:
			return true;
		case ASL_TEST_NUMERIC:
			return asl_json_is_number(v);
		case ASL_TEST_STRING:
			return json_object_is_type(v, json_type_string);
		case ASL_TEST_BOOLEAN:
			return json_object_is_type(v, json_type_boolean);
		case ASL_TEST_TIMESTAMP:
			return timestamp_value(v, &t);
	}
	return false;
}

/* AWS's own words for a condition path that names nothing. */
static bool
invalid_path(const asl_path *path, asl_error *err)
{
	asl_error_set(err, ASL_ERR_RUNTIME,
				  "Invalid path '%s': The choice state's condition path references an invalid value.",
				  path ? asl_path_text(path) : "");
	return false;
}

static bool eval_rule(const asl_choice_rule *rule, const asl_scope *scope,
					  bool *matched, asl_error *err);

/*
 * Evaluates a comparison or type test against the scope: Variable's value
 * against the literal or path operand. IsPresent aside, a missing Variable
 * is an error.
 */
static bool
eval_leaf(const asl_choice_rule *r, const asl_scope *scope, bool *matched, asl_error *err)
{
	json_object *value = NULL;
	json_object *operand = NULL;
	bool		found;

	if (r->variable == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "choice rule has no Variable");
		return false;
	}
	found = asl_path_select(r->variable, scope, &value);
	if (r->kind == ASL_RULE_TEST && r->test == ASL_TEST_PRESENT)
	{
		json_object_put(value);
		*matched = found == r->test_expected;
		return true;
	}
	if (!found)
		return invalid_path(r->variable, err);
	if (r->kind == ASL_RULE_TEST)
		*matched = type_test(r->test, value) == r->test_expected;
	else
	{
		if (r->operand_path != NULL)
		{
			if (!asl_path_select(r->operand_path, scope, &operand))
			{
				json_object_put(value);
				return invalid_path(r->operand_path, err);
			}
		}
		else
			operand = json_object_get(r->operand);
		*matched = compare_values(r, value, operand);
	}
	json_object_put(operand);
	json_object_put(value);
	return true;
}

/*
 * Evaluates a rule (And, Or, Not or a leaf) into *matched; false on an
 * evaluation error.
 */
static bool
eval_rule(const asl_choice_rule *r, const asl_scope *scope, bool *matched, asl_error *err)
{
	bool		m = false;

	*matched = false;
	switch (r->kind)
	{
		case ASL_RULE_AND:
		case ASL_RULE_OR:
			/* left to right, stopping at the first rule that decides */
			for (size_t i = 0; i < r->n_children; i++)
			{
				if (!eval_rule(&r->children[i], scope, &m, err))
					return false;
				if (m != (r->kind == ASL_RULE_AND))
				{
					*matched = m;
					return true;
				}
			}
			*matched = r->kind == ASL_RULE_AND && r->n_children > 0;
			return true;
		case ASL_RULE_NOT:
			if (r->n_children != 1 || !eval_rule(&r->children[0], scope, &m, err))
			{
				if (!asl_error_is_set(err))
					asl_error_set(err, ASL_ERR_RUNTIME, "Not rule has no operand");
				return false;
			}
			*matched = !m;
			return true;
		case ASL_RULE_COMPARE:
		case ASL_RULE_TEST:
			return eval_leaf(r, scope, matched, err);
	}
	asl_error_set(err, ASL_ERR_RUNTIME, "unknown choice rule");
	return false;
}

bool
asl_choice_rule_eval(const asl_choice_rule *rule, const asl_scope *scope,
					 bool *matched, asl_error *err)
{
	return eval_rule(rule, scope, matched, err);
}

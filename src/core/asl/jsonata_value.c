/*
 * jsonata_value.c — JSON values with embedded JSONata expressions: compile
 * each "{% expr %}" string once, rebuild the value on evaluation.
 */
#include "jsonata_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "jsonata/jsonata.h"

typedef enum
{
	JVAL_LITERAL,				/* no expression anywhere below */
	JVAL_EXPR,
	JVAL_OBJECT,
	JVAL_ARRAY
} jval_kind;

struct asl_jvalue
{
	jval_kind	kind;
	json_object *literal;		/* LITERAL: a reference */
	jn_expr    *expr;			/* EXPR */
	char	   *text;			/* EXPR: the expression as AWS quotes it */
	char	   *field;			/* the field, as AWS names it: "Output/result" */
	char	  **keys;			/* OBJECT */
	asl_jvalue **items;			/* OBJECT, ARRAY */
	size_t		n;
};

/*
 * AWS stops an evaluation nesting deeper than 100 ("Stack overflow error",
 * measured in floci-io/floci#2783: a sum of 101 terms fails); the core
 * counts nested evaluations as JSONata's reference does.
 */
#define ASL_JSONATA_MAX_DEPTH 100

/* Deepest value we walk (stack safety); deeper values stay literal. */
#define MAX_DEPTH 256

bool
asl_jsonata_is_expr(const char *s)
{
	size_t		len = strlen(s);

	return len >= 4 && s[0] == '{' && s[1] == '%' && s[len - 2] == '%' && s[len - 1] == '}';
}

/* Whether v holds an expression string at any depth up to MAX_DEPTH. */
static bool
has_expr(json_object *v, int depth)
{
	if (depth > MAX_DEPTH)
		return false;
	switch (json_object_get_type(v))
	{
		case json_type_string:
			return asl_jsonata_is_expr(json_object_get_string(v));
		case json_type_object:
			{
				json_object_object_foreach(v, k, child)
				{
					(void) k;
					if (has_expr(child, depth + 1))
						return true;
				}
				return false;
			}
		case json_type_array:
			for (size_t i = 0; i < json_object_array_length(v); i++)
				if (has_expr(json_object_array_get_idx(v, i), depth + 1))
					return true;
			return false;
		default:
			return false;
	}
}

/*
 * AWS: an expression string must start with "{%" and end with "%}", with no
 * spaces outside; a string that opens one ("{%" first) without closing it last,
 * or closes one ("%}" last) without opening it first, is a validation error
 * rather than a literal. A string with whitespace before "{%" and after "%}"
 * (" {% x %} ") neither opens nor closes one: AWS takes it as a literal.
 */
static bool
misdelimited(const char *s)
{
	size_t		len = strlen(s);

	if (asl_jsonata_is_expr(s))
		return false;
	return (len >= 2 && s[0] == '{' && s[1] == '%') ||
		(len >= 2 && s[len - 2] == '%' && s[len - 1] == '}');
}

/* Reports every misdelimited expression string in a literal value. */
static void
check_literal(json_object *v, const char *pointer, asl_diags *diags, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	switch (json_object_get_type(v))
	{
		case json_type_string:
			if (misdelimited(json_object_get_string(v)))
				asl_diag_add(diags, ASL_SEV_ERROR, "INVALID_JSONATA", pointer,
							 "a JSONata expression must be the whole string, starting with {%% and ending with %%} with no spaces outside them: \"%s\"",
							 json_object_get_string(v));
			break;
		case json_type_object:
			{
				json_object_object_foreach(v, k, child)
				{
					char	   *p = asl_pointer_join(pointer, k);

					if (p != NULL)
						check_literal(child, p, diags, depth + 1);
					free(p);
				}
			}
			break;
		case json_type_array:
			for (size_t i = 0; i < json_object_array_length(v); i++)
			{
				char		token[24];
				char	   *p;

				snprintf(token, sizeof token, "%zu", i);
				if ((p = asl_pointer_join(pointer, token)) != NULL)
					check_literal(json_object_array_get_idx(v, i), p, diags, depth + 1);
				free(p);
			}
			break;
		default:
			break;
	}
}

/* The field's name as AWS writes it in causes: "Output/key", "Output/list[1]". */
static char *
child_field(const char *field, const char *token, bool index)
{
	char	   *s = NULL;

	if ((index ? asprintf(&s, "%s[%s]", field, token) : asprintf(&s, "%s/%s", field, token)) < 0)
		return NULL;
	return s;
}

static asl_jvalue *compile_at(json_object *v, const char *field, const char *pointer,
							  asl_diags *diags, int depth);

/*
 * Compiles child i of node (a member or element named token) into node's
 * children.
 */
static bool
compile_child(asl_jvalue *node, size_t i, json_object *child, const char *token,
			  const char *pointer, asl_diags *diags, int depth)
{
	char	   *f = child_field(node->field, token, node->kind == JVAL_ARRAY);
	char	   *p = asl_pointer_join(pointer, token);
	bool		ok = false;

	if (f != NULL && p != NULL)
	{
		node->items[i] = compile_at(child, f, p, diags, depth + 1);
		ok = node->items[i] != NULL;
	}
	else
		asl_diag_add(diags, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
	free(f);
	free(p);
	return ok;
}

/*
 * Compiles v (field, at pointer) into a value tree: literal JSON where no
 * expression is inside, expressions compiled once, containers holding them
 * walked.
 */
static asl_jvalue *
compile_at(json_object *v, const char *field, const char *pointer, asl_diags *diags, int depth)
{
	asl_jvalue *node = calloc(1, sizeof(asl_jvalue));
	bool		ok = true;

	if (node == NULL || (node->field = strdup(field)) == NULL)
	{
		free(node);
		asl_diag_add(diags, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
		return NULL;
	}
	if (!has_expr(v, depth))
	{
		check_literal(v, pointer, diags, depth);
		node->kind = JVAL_LITERAL;
		node->literal = json_object_get(v);
		return node;
	}
	if (json_object_is_type(v, json_type_string))
	{
		const char *s = json_object_get_string(v);
		size_t		len = strlen(s);
		size_t		start = 2,
					end = len - 2;
		jn_error	e = {0};

		while (start < end && (s[start] == ' ' || s[start] == '\t' || s[start] == '\n' || s[start] == '\r'))
			start++;
		while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\n' || s[end - 1] == '\r'))
			end--;
		node->kind = JVAL_EXPR;
		node->text = strndup(s + start, end - start);
		if (node->text == NULL)
			ok = false;
		else if (end == start)
		{
			asl_diag_add(diags, ASL_SEV_ERROR, "INVALID_JSONATA", pointer,
						 "the JSONata expression of %s is empty", field);
			ok = false;
		}
		else if ((node->expr = jn_compile(node->text, strlen(node->text), &e)) == NULL)
		{
			asl_diag_add(diags, ASL_SEV_ERROR, "INVALID_JSONATA", pointer,
						 "the JSONata expression '%s' of %s is not valid: %s: %s (at position %d)",
						 node->text, field, e.code, e.message, e.position);
			ok = false;
		}
		else
		{
			const char *name;
			size_t		nlen;
			int			pos;

			/* AWS: "Reference to 'phone' at the top level is not supported." */
			if (jn_expr_top_level_name(node->expr, &name, &nlen, &pos))
			{
				asl_diag_add(diags, ASL_SEV_ERROR, "UNSUPPORTED_JSONATA", pointer,
							 "Reference to '%.*s' at the top level is not supported (the JSONata expression '%s' of %s, at character %d): start a path from $states.input or a variable",
							 (int) nlen, name ? name : "", node->text, field, pos);
				ok = false;
			}
		}
	}
	else if (json_object_is_type(v, json_type_object))
	{
		size_t		i = 0;

		node->kind = JVAL_OBJECT;
		node->n = (size_t) json_object_object_length(v);
		node->keys = calloc(node->n ? node->n : 1, sizeof(char *));
		node->items = calloc(node->n ? node->n : 1, sizeof(asl_jvalue *));
		if (node->keys == NULL || node->items == NULL)
			ok = false;
		else
		{
			json_object_object_foreach(v, k, child)
			{
				node->keys[i] = strdup(k);
				if (node->keys[i] == NULL || !compile_child(node, i, child, k, pointer, diags, depth))
					ok = false;
				i++;
			}
		}
	}
	else
	{
		node->kind = JVAL_ARRAY;
		node->n = json_object_array_length(v);
		node->items = calloc(node->n ? node->n : 1, sizeof(asl_jvalue *));
		if (node->items == NULL)
			ok = false;
		else
			for (size_t i = 0; i < node->n; i++)
			{
				char		token[24];

				snprintf(token, sizeof token, "%zu", i);
				if (!compile_child(node, i, json_object_array_get_idx(v, i), token, pointer, diags, depth))
					ok = false;
			}
	}
	if (!ok)
	{
		asl_jvalue_free(node);
		return NULL;
	}
	return node;
}

asl_jvalue *
asl_jvalue_compile(json_object *v, const char *field, const char *pointer, asl_diags *diags)
{
	return compile_at(v, field, pointer, diags, 0);
}

void
asl_jvalue_free(asl_jvalue *v)
{
	if (v == NULL)
		return;
	json_object_put(v->literal);
	if (v->expr)
		jn_expr_free(v->expr);
	free(v->text);
	free(v->field);
	for (size_t i = 0; i < v->n; i++)
	{
		if (v->keys)
			free(v->keys[i]);
		if (v->items)
			asl_jvalue_free(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	free(v);
}

/* The host's cancel check for this thread's evaluations (a backend runs one step at a time). */
static _Thread_local bool (*guard_cancel) (void *arg);
static _Thread_local void *guard_arg;

void
asl_jsonata_set_cancel(bool (*cancel) (void *arg), void *arg)
{
	guard_cancel = cancel;
	guard_arg = arg;
}

/*
 * Evaluates an expression node with $ bound to $states.input; undefined is
 * an error, as in AWS.
 */
static bool
eval_expr(const asl_jvalue *v, json_object *bindings, json_object **out, asl_error *err)
{
	jn_options	opts = {0};
	jn_error	e = {0};
	bool		undefined = true;
	json_object *input = NULL;
	json_object *states = NULL;

	/* $ is $states.input, as in AWS */
	if (json_object_object_get_ex(bindings, "states", &states))
		json_object_object_get_ex(states, "input", &input);
	*out = NULL;
	opts.cancel = guard_cancel;
	opts.cancel_arg = guard_arg;
	opts.json_only = true;
	opts.max_depth = ASL_JSONATA_MAX_DEPTH;
	if (jn_evaluate(v->expr, input, true, bindings, &opts, out, &undefined, &e) != 0)
	{
		if (strcmp(e.code, JN_ERR_NOT_JSON) == 0)
			asl_error_set(err, ASL_ERR_QUERY_EVAL,
						  "The JSONata expression '%s' specified for the field '%s' returned an unsupported result type.",
						  v->text, v->field);
		else if (e.limit == JN_LIMIT_MEMORY || e.limit == JN_LIMIT_DEPTH || e.limit == JN_LIMIT_STEPS)

			/*
			 * AWS's bounds carry no JSONata code: ": <message>"
			 * (floci-io/floci#2737)
			 */
			asl_error_set(err, ASL_ERR_QUERY_EVAL,
						  "The JSONata expression '%s' specified for the field '%s' threw an error during evaluation: %s",
						  v->text, v->field,
						  e.limit == JN_LIMIT_MEMORY ?
						  "Expression evaluation memory limit exceeded: Check for excessive memory usage" :
						  e.limit == JN_LIMIT_DEPTH ? e.message :
						  "Expression evaluation timeout: Check for infinite loop");
		else
			asl_error_set(err, ASL_ERR_QUERY_EVAL,
						  "The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %s: %s",
						  v->text, v->field, e.code, e.message);
		return false;
	}
	if (undefined)
	{
		asl_error_set(err, ASL_ERR_QUERY_EVAL,
					  "The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).",
					  v->text, v->field);
		return false;
	}
	return true;
}

bool
asl_jvalue_eval(const asl_jvalue *v, json_object *bindings, json_object **out, asl_error *err)
{
	json_object *r;

	*out = NULL;
	switch (v->kind)
	{
		case JVAL_LITERAL:
			*out = json_object_get(v->literal);
			return true;
		case JVAL_EXPR:
			return eval_expr(v, bindings, out, err);
		case JVAL_OBJECT:
			r = json_object_new_object();
			if (r == NULL)
				return asl_error_set(err, ASL_ERR_RUNTIME, "out of memory"), false;
			for (size_t i = 0; i < v->n; i++)
			{
				json_object *child;

				if (!asl_jvalue_eval(v->items[i], bindings, &child, err))
				{
					json_object_put(r);
					return false;
				}
				json_object_object_add(r, v->keys[i], child);
			}
			*out = r;
			return true;
		case JVAL_ARRAY:
			r = json_object_new_array();
			if (r == NULL)
				return asl_error_set(err, ASL_ERR_RUNTIME, "out of memory"), false;
			for (size_t i = 0; i < v->n; i++)
			{
				json_object *child;

				if (!asl_jvalue_eval(v->items[i], bindings, &child, err))
				{
					json_object_put(r);
					return false;
				}
				json_object_array_add(r, child);
			}
			*out = r;
			return true;
	}
	return false;
}

json_object *
asl_jsonata_bindings(json_object *variables, json_object *input, json_object *context)
{
	json_object *b = json_object_new_object();
	json_object *states = json_object_new_object();

	if (b == NULL || states == NULL)
	{
		json_object_put(b);
		json_object_put(states);
		return NULL;
	}
	if (variables != NULL && json_object_is_type(variables, json_type_object))
	{
		json_object_object_foreach(variables, k, val)
			json_object_object_add(b, k, json_object_get(val));
	}
	(void) asl_json_add_literal(states, "input", json_object_get(input));
	(void) asl_json_add_literal(states, "context", json_object_get(context));
	(void) asl_json_add_literal(b, "states", states);
	return b;
}

const char *
asl_jsonata_type_name(json_object *v)
{
	switch (json_object_get_type(v))
	{
		case json_type_null:
			return "null";
		case json_type_boolean:
			return "boolean";
		case json_type_int:
		case json_type_double:
			return "number";
		case json_type_string:
			return "string";
		case json_type_array:
			return "array";
		default:
			return "object";
	}
}

const char *
asl_jvalue_text(const asl_jvalue *v)
{
	return v != NULL && v->kind == JVAL_EXPR ? v->text : NULL;
}

void
asl_jvalue_wrong_type(const asl_jvalue *v, const char *expected, json_object *got, asl_error *err)
{
	const char *shown = got ? json_object_to_json_string_ext(got, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null";

	if (v != NULL && v->kind == JVAL_EXPR)
		asl_error_set(err, ASL_ERR_QUERY_EVAL,
					  "The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for value: %s",
					  v->text, v->field, expected, asl_jsonata_type_name(got), shown);
	else
		asl_error_set(err, ASL_ERR_QUERY_EVAL,
					  "The field '%s' must be of type '%s', but was '%s' for value: %s",
					  v ? v->field : "?", expected, asl_jsonata_type_name(got), shown);
}

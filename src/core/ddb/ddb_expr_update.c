/*
 * ddb_expr_update.c — UpdateExpression: parsing and applying.
 *
 *   SET path = value [, ...]     value: operand [+|- operand], operand:
 *                                path, :v, if_not_exists(path, v),
 *                                list_append(a, b), (value)
 *   REMOVE path [, ...]
 *   ADD path :v [, ...]          number addition, set union
 *   DELETE path :v [, ...]       set difference
 *
 * Each clause at most once, in any order; no two actions may touch
 * overlapping paths. Every right-hand side reads the item as it was before
 * the update; then SETs are applied (list appends in index order), REMOVEs
 * (list elements from the highest index down, so indexes mean the original
 * positions), ADDs and DELETEs.
 */
#include "ddb_expr_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_number.h"
#include "ddb_value.h"

#define MSG_MISSING		"The provided expression refers to an attribute that does not exist in the item"
#define MSG_BAD_TYPE	"An operand in the update expression has an incorrect data type"
#define MSG_BAD_PATH	"The document path provided in the update expression is invalid for update"

typedef enum clause
{
	CL_SET,
	CL_REMOVE,
	CL_ADD,
	CL_DELETE
} clause;

static const char *const clause_names[] = {"SET", "REMOVE", "ADD", "DELETE"};

typedef struct action
{
	clause		kind;
	ddb_path	path;
	operand    *value;			/* SET: the value; ADD, DELETE: a :placeholder */
} action;

struct ddb_update
{
	action	   *actions;
	size_t		count;
};

static const char *const keywords[] = {"SET", "REMOVE", "ADD", "DELETE", NULL};

static operand *parse_value(parser *p);

void
ddb_update_free(ddb_update *update)
{
	size_t		i;

	if (update == NULL)
		return;
	for (i = 0; i < update->count; i++)
	{
		path_release(&update->actions[i].path);
		operand_free(update->actions[i].value);
	}
	free(update->actions);
	free(update);
}

size_t
ddb_update_path_count(const ddb_update *update)
{
	return update->count;
}

const ddb_path *
ddb_update_path(const ddb_update *update, size_t i)
{
	return &update->actions[i].path;
}

/* ---- parsing ---- */

/*
 * Checks a function in an update: if_not_exists or list_append, with its
 * arguments.
 */
static void
check_call(parser *p, const operand *call)
{
	bool		known = strcmp(call->name, "if_not_exists") == 0 || strcmp(call->name, "list_append") == 0;
	size_t		i;

	if (!known)
	{
		problem_set(p, PROB_UNKNOWN_FUNCTION, "Invalid function name; function: %s", call->name);
		return;
	}
	if (call->nargs != 2)
	{
		problem_set(p, PROB_FUNCTION,
					"Incorrect number of operands for operator or function; operator or function: %s, number of operands: %zu",
					call->name, call->nargs);
		return;
	}
	if (strcmp(call->name, "if_not_exists") == 0)
	{
		if (call->args[0]->kind != OPD_PATH)
			problem_set(p, PROB_FUNCTION,
						"Operator or function requires a document path; operator or function: if_not_exists");
		return;
	}
	for (i = 0; i < 2; i++)
	{
		const char *t = operand_literal_type(call->args[i]);

		if (t && strcmp(t, "L") != 0)
			problem_set(p, PROB_FUNCTION,
						"Incorrect operand type for operator or function; operator or function: list_append, operand type: %s", t);
	}
}

/* path, :v, name(args) or (value) */
static operand *
parse_term(parser *p)
{
	const token *t = peek(p);
	operand    *o;

	if (tok_is(p, t, "("))
		return parse_parenthesized(p, parse_value);
	if (t->kind == TOK_VALUE_PH)
		return parse_value_operand(p);
	if (call_ahead(p))
	{
		o = parse_call_operand(p, keywords, parse_term);
		if (o != NULL)
			check_call(p, o);
		return o;
	}
	return parse_path_operand(p, keywords);
}

/* term [+|- term] */
static operand *
parse_value(parser *p)
{
	operand    *left = parse_term(p);
	operand    *sum;
	bool		plus;
	size_t		i;

	if (left == NULL)
		return NULL;
	plus = tok_is(p, peek(p), "+");
	if (!plus && !tok_is(p, peek(p), "-"))
		return left;
	p->pos++;
	sum = operand_new(plus ? OPD_PLUS : OPD_MINUS);
	if (sum == NULL)
	{
		operand_free(left);
		p->oom = true;
		return NULL;
	}
	if (!operand_add_arg(sum, left) || !operand_add_arg(sum, parse_term(p)) || sum->args[1] == NULL)
	{
		operand_free(sum);
		return NULL;
	}
	for (i = 0; i < 2; i++)
	{
		const char *t = operand_literal_type(sum->args[i]);

		if (t && strcmp(t, "N") != 0)
			problem_set(p, PROB_FUNCTION,
						"Incorrect operand type for operator or function; operator or function: %s, operand type: %s",
						plus ? "+" : "-", t);
	}
	return sum;
}

/* DynamoDB's long name of a type (S: STRING, …) for messages. */
static const char *
long_type_name(const char *t)
{
	static const char *const names[][2] = {
		{"S", "STRING"}, {"N", "NUMBER"}, {"B", "BINARY"}, {"NULL", "NULL"},
		{"BOOL", "BOOLEAN"}, {"L", "LIST"}, {"M", "MAP"}
	};
	size_t		i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(t, names[i][0]) == 0)
			return names[i][1];
	return NULL;
}

/* One action of a SET, REMOVE, ADD or DELETE clause into a. */
static bool
parse_action(parser *p, clause kind, action *a)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	if (!parse_path(p, &a->path, keywords))
		return false;
	switch (kind)
	{
		case CL_SET:
			if (!expect(p, "="))
				return false;
			a->value = parse_value(p);
			return a->value != NULL;
		case CL_REMOVE:
			return true;
		case CL_ADD:
		case CL_DELETE:
			if (peek(p)->kind != TOK_VALUE_PH)
				return syntax_error(p);
			a->value = parse_value_operand(p);
			if (a->value == NULL)
				return false;
			{
				const char *t = operand_literal_type(a->value);
				const char *shown = t ? long_type_name(t) : NULL;

				/* ADD takes a number or a set, DELETE a set */
				if (shown != NULL && !(kind == CL_ADD && strcmp(t, "N") == 0))
					problem_set(p, PROB_OPERAND,
								"Incorrect operand type for operator or function; operator: %s, operand type: %s",
								clause_names[kind], shown);
			}
			return true;
	}
	return false;
}

ddb_update *
ddb_update_parse(const char *text, ddb_placeholders *ph, char **message)
{
	parser		p;
	ddb_update *u;
	bool		seen[4] = {false, false, false, false};
	bool		ok = true;

	if (!ddb_parser_init(&p, text, EXPR_UPDATE, ph, message))
		return NULL;
	u = calloc(1, sizeof(*u));
	if (u == NULL)
	{
		parser_release(&p);
		*message = strdup("out of memory");
		return NULL;
	}
	while (ok && peek(&p)->kind != TOK_EOF)
	{
		clause		kind;

		for (kind = CL_SET; kind <= CL_DELETE; kind++)
			if (tok_is_keyword(&p, peek(&p), clause_names[kind]))
				break;
		if (kind > CL_DELETE)
		{
			ok = syntax_error(&p);
			break;
		}
		if (seen[kind])
			problem_set(&p, PROB_SECTION, "The \"%s\" section can only be used once in an update expression;", clause_names[kind]);
		seen[kind] = true;
		p.pos++;
		for (;;)
		{
			action	   *grown = realloc(u->actions, (u->count + 1) * sizeof(*u->actions));

			if (grown == NULL)
			{
				p.oom = true;
				ok = false;
				break;
			}
			u->actions = grown;
			ok = parse_action(&p, kind, &u->actions[u->count]);
			u->count++;			/* kept even when partial, to be freed */
			if (!ok || !tok_is(&p, peek(&p), ","))
				break;
			p.pos++;
		}
	}
	if (ok && !p.syntax_failed)
	{
		const ddb_path **all = malloc((u->count ? u->count : 1) * sizeof(*all));
		size_t		i;

		if (all == NULL)
			p.oom = true;
		else
		{
			for (i = 0; i < u->count; i++)
				all[i] = &u->actions[i].path;
			check_overlaps(&p, all, u->count);
			free(all);
		}
	}
	*message = parser_message(&p);
	if (*message == NULL && !ok)
		*message = strdup("out of memory");
	parser_release(&p);
	if (*message != NULL)
	{
		ddb_update_free(u);
		return NULL;
	}
	return u;
}

/* ---- applying ---- */

/* The typed value {"N": n}. */
static json_object *
typed_number(const ddb_number *n)
{
	char		text[DDB_NUMBER_TEXT_SIZE];
	json_object *out = json_object_new_object();

	ddb_number_format(n, text);
	if (out != NULL)
		json_object_object_add(out, "N", json_object_new_string(text));
	return out;
}

/* v as a number when it is an N value. */
static bool
parse_n(json_object *v, ddb_number *n)
{
	return ddb_value_type(v) == DDB_TYPE_N &&
		ddb_number_parse(json_object_get_string(ddb_value_payload(v)), n) == DDB_NUMBER_OK;
}

/* Evaluates a SET value against the item before the update; a new object, or NULL and *message. */
static json_object *
eval_value(const operand *o, json_object *item, char **message)
{
	json_object *a,
			   *b,
			   *out = NULL;

	switch (o->kind)
	{
		case OPD_PATH:
			a = ddb_path_get(&o->path, item);
			if (a == NULL)
			{
				*message = strdup(MSG_MISSING);
				return NULL;
			}
			return ddb_value_copy(a);
		case OPD_VALUE:
			return ddb_value_copy(o->value);
		case OPD_CALL:
			if (strcmp(o->name, "if_not_exists") == 0)
			{
				a = ddb_path_get(&o->args[0]->path, item);
				return a != NULL ? ddb_value_copy(a) : eval_value(o->args[1], item, message);
			}
			/* list_append */
			a = eval_value(o->args[0], item, message);
			if (a == NULL)
				return NULL;
			b = eval_value(o->args[1], item, message);
			if (b == NULL)
			{
				json_object_put(a);
				return NULL;
			}
			if (ddb_value_type(a) != DDB_TYPE_L || ddb_value_type(b) != DDB_TYPE_L)
				*message = strdup(MSG_BAD_TYPE);
			else
			{
				json_object *la = ddb_value_payload(a);
				json_object *lb = ddb_value_payload(b);
				size_t		i,
							n = json_object_array_length(lb);

				for (i = 0; i < n; i++)
					json_object_array_add(la, json_object_get(json_object_array_get_idx(lb, i)));
				out = json_object_get(a);
			}
			json_object_put(a);
			json_object_put(b);
			return out;
		case OPD_PLUS:
		case OPD_MINUS:
			{
				ddb_number	x,
							y,
							r;
				ddb_number_status st;

				a = eval_value(o->args[0], item, message);
				if (a == NULL)
					return NULL;
				b = eval_value(o->args[1], item, message);
				if (b == NULL)
				{
					json_object_put(a);
					return NULL;
				}
				if (!parse_n(a, &x) || !parse_n(b, &y))
					*message = strdup(MSG_BAD_TYPE);
				else
				{
					st = o->kind == OPD_PLUS ? ddb_number_add(&x, &y, &r) : ddb_number_sub(&x, &y, &r);
					if (st != DDB_NUMBER_OK)
						*message = ddb_number_message(st, NULL);
					else
						out = typed_number(&r);
				}
				json_object_put(a);
				json_object_put(b);
				return out;
			}
	}
	return NULL;
}

/*
 * The container of the path's last step: the item for a top-level name, the
 * payload object of an M or the payload array of an L. NULL when the path
 * cannot be written (a missing step, or a step of the wrong type).
 */
static json_object *
parent_of(const ddb_path *path, json_object *item)
{
	ddb_path	prefix;
	json_object *v;
	const ddb_path_elem *last = &path->elems[path->count - 1];

	if (path->count == 1)
		return item;
	prefix.elems = path->elems;
	prefix.count = path->count - 1;
	v = ddb_path_get(&prefix, item);
	if (ddb_value_type(v) != (last->is_index ? DDB_TYPE_L : DDB_TYPE_M))
		return NULL;
	return ddb_value_payload(v);
}

/* The member or element e names in parent, or NULL. */
static json_object *
slot_get(json_object *parent, const ddb_path_elem *e)
{
	json_object *v = NULL;

	if (e->is_index)
		return (size_t) e->index < json_object_array_length(parent) ?
			json_object_array_get_idx(parent, (size_t) e->index) : NULL;
	return json_object_object_get_ex(parent, e->name, &v) ? v : NULL;
}

/* Stores value (taking the reference); a list index past the end appends. */
static void
slot_put(json_object *parent, const ddb_path_elem *e, json_object *value)
{
	if (!e->is_index)
		json_object_object_add(parent, e->name, value);
	else if ((size_t) e->index < json_object_array_length(parent))
		json_object_array_put_idx(parent, (size_t) e->index, value);
	else
		json_object_array_add(parent, value);
}

/* Removes the member or element e names from parent, if there. */
static void
slot_remove(json_object *parent, const ddb_path_elem *e)
{
	if (!e->is_index)
		json_object_object_del(parent, e->name);
	else if ((size_t) e->index < json_object_array_length(parent))
		json_object_array_del_idx(parent, (size_t) e->index, 1);
}

/* The last element of the action's path, the one it writes. */
static const ddb_path_elem *
last_of(const action *a)
{
	return &a->path.elems[a->path.count - 1];
}

/* Whether the set (a typed SS/NS/BS of type t) has the element text e: through contains(), numbers numerically. */
static bool
set_has(json_object *set, ddb_type t, json_object *e)
{
	json_object *probe = json_object_new_object();
	bool		present;

	if (probe == NULL)
		return false;
	json_object_object_add(probe, t == DDB_TYPE_SS ? "S" : t == DDB_TYPE_NS ? "N" : "B", json_object_get(e));
	present = ddb_value_contains(set, probe);
	json_object_put(probe);
	return present;
}

/*
 * ADD and DELETE: the attribute they change (NULL when missing), which must
 * have the type of their operand when it exists.
 */
static bool
target_of(json_object *parent, const action *a, json_object **existing, char **message)
{
	*existing = slot_get(parent, last_of(a));
	if (*existing != NULL && ddb_value_type(*existing) != ddb_value_type(a->value->value))
	{
		*message = strdup(MSG_BAD_TYPE);
		return false;
	}
	return true;
}

/* ADD: number addition or set union, creating the attribute when missing. */
static bool
apply_add(json_object *parent, const action *a, char **message)
{
	json_object *value = a->value->value;
	json_object *existing;
	ddb_type	t;

	if (!target_of(parent, a, &existing, message))
		return false;
	if (existing == NULL)
	{
		slot_put(parent, last_of(a), ddb_value_copy(value));
		return true;
	}
	t = ddb_value_type(existing);
	if (t == DDB_TYPE_N)
	{
		ddb_number	x,
					y,
					r;
		ddb_number_status st;

		if (!parse_n(existing, &x) || !parse_n(value, &y))
		{
			*message = strdup(MSG_BAD_TYPE);
			return false;
		}
		st = ddb_number_add(&x, &y, &r);
		if (st != DDB_NUMBER_OK)
		{
			*message = ddb_number_message(st, NULL);
			return false;
		}
		slot_put(parent, last_of(a), typed_number(&r));
		return true;
	}
	{
		json_object *have = ddb_value_payload(existing);
		json_object *add = ddb_value_payload(value);
		size_t		i,
					n = json_object_array_length(add);

		for (i = 0; i < n; i++)
		{
			json_object *e = json_object_array_get_idx(add, i);

			/*
			 * a copy: the item never shares objects with the parsed
			 * expression
			 */
			if (!set_has(existing, t, e))
				json_object_array_add(have, json_object_new_string_len(json_object_get_string(e),
																	   json_object_get_string_len(e)));
		}
	}
	return true;
}

/* DELETE: set difference; the attribute goes when the set becomes empty. */
static bool
apply_delete(json_object *parent, const action *a, char **message)
{
	json_object *value = a->value->value;
	json_object *existing;
	ddb_type	t;
	json_object *kept;
	json_object *have;
	size_t		i,
				n;

	if (!target_of(parent, a, &existing, message))
		return false;
	if (existing == NULL)
		return true;
	t = ddb_value_type(existing);
	have = ddb_value_payload(existing);
	n = json_object_array_length(have);
	kept = json_object_new_array_ext((int) (n ? n : 1));
	if (kept == NULL)
	{
		*message = strdup("out of memory");
		return false;
	}
	for (i = 0; i < n; i++)
	{
		json_object *e = json_object_array_get_idx(have, i);

		if (!set_has(value, t, e))
			json_object_array_add(kept, json_object_get(e));
	}
	if (json_object_array_length(kept) == 0)
	{
		json_object_put(kept);
		slot_remove(parent, last_of(a));
	}
	else
		json_object_object_add(existing, ddb_type_name(t), kept);
	return true;
}

/* Order of the SETs: plain ones as written, then list elements by index (appends land in index order). */
static int
set_order(const action *x, const action *y)
{
	bool		xi = last_of(x)->is_index;
	bool		yi = last_of(y)->is_index;

	if (xi != yi)
		return xi ? 1 : -1;
	if (!xi)
		return 0;
	return (last_of(x)->index > last_of(y)->index) - (last_of(x)->index < last_of(y)->index);
}

/* REMOVEs: list elements first, from the highest index down (so indexes mean the original positions), then plain ones. */
static int
remove_order(const action *x, const action *y)
{
	return -set_order(x, y);
}

/* A stable insertion sort of the actions of one clause, by cmp. */
static void
sort_actions(const action **list, size_t n, int (*cmp) (const action *, const action *))
{
	size_t		i,
				j;

	for (i = 1; i < n; i++)
	{
		const action *cur = list[i];

		for (j = i; j > 0 && cmp(list[j - 1], cur) > 0; j--)
			list[j] = list[j - 1];
		list[j] = cur;
	}
}

bool
ddb_update_apply(const ddb_update *update, json_object *item, char **message)
{
	json_object **values;
	const action **order;
	size_t		i,
				n = 0;
	bool		ok = true;
	clause		kind;

	*message = NULL;
	values = calloc(update->count ? update->count : 1, sizeof(*values));
	order = calloc(update->count ? update->count : 1, sizeof(*order));
	if (values == NULL || order == NULL)
	{
		free(values);
		free(order);
		*message = strdup("out of memory");
		return false;
	}
	/* every right-hand side first, against the item as it is */
	for (i = 0; i < update->count && ok; i++)
		if (update->actions[i].kind == CL_SET)
		{
			values[i] = eval_value(update->actions[i].value, item, message);
			ok = values[i] != NULL;
		}
	for (kind = CL_SET; kind <= CL_DELETE && ok; kind++)
	{
		n = 0;
		for (i = 0; i < update->count; i++)
			if (update->actions[i].kind == kind)
				order[n++] = &update->actions[i];
		if (kind == CL_SET)
			sort_actions(order, n, set_order);
		else if (kind == CL_REMOVE)
			sort_actions(order, n, remove_order);
		for (i = 0; i < n && ok; i++)
		{
			const action *a = order[i];
			json_object *parent = parent_of(&a->path, item);

			if (parent == NULL)
			{
				*message = strdup(MSG_BAD_PATH);
				ok = false;
				break;
			}
			switch (kind)
			{
				case CL_SET:
					{
						size_t		at = (size_t) (a - update->actions);

						slot_put(parent, last_of(a), values[at]);
						values[at] = NULL;
					}
					break;
				case CL_REMOVE:
					slot_remove(parent, last_of(a));
					break;
				case CL_ADD:
					ok = apply_add(parent, a, message);
					break;
				case CL_DELETE:
					ok = apply_delete(parent, a, message);
					break;
			}
		}
	}
	for (i = 0; i < update->count; i++)
		json_object_put(values[i]);
	free(values);
	free(order);
	if (!ok && *message == NULL)
		*message = strdup("out of memory");
	return ok;
}

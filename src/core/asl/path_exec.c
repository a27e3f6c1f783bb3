/*
 * path_exec.c — evaluating a compiled JSONPath against documents
 * (asl_path_select).
 *
 * Evaluation carries a list of borrowed node pointers from segment to
 * segment; json-c spells JSON null as the NULL pointer, so a list may hold
 * NULLs and "no match" is told apart by the list being empty. The documents
 * come from workflows, so every recursion is bounded: document depth and
 * total work.
 */
#include "path_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_kind.h"

typedef struct nodes
{
	json_object **items;
	size_t		count;
	size_t		capacity;
} nodes;

typedef struct evaluator
{
	json_object *root;			/* what "$" means inside filters */
	int			depth;
	long		visits;
	bool		failed;			/* a limit was hit or memory ran out */
} evaluator;

static bool test(evaluator *ev, const expr *e, json_object *node);
static bool eval_segments(evaluator *ev, const seglist *segs, json_object *start, nodes *out);


/* ---- evaluation: node lists and selectors ---- */

/*
 * Appends node to list (borrowed); past MAX_MATCHES or out of memory the
 * evaluation fails.
 */
static void
push(evaluator *ev, nodes *list, json_object *node)
{
	if (ev->failed)
		return;
	if (list->count == list->capacity)
	{
		size_t		cap = list->capacity ? list->capacity * 2 : 8;
		json_object **items;

		if (list->capacity >= MAX_MATCHES)
		{
			ev->failed = true;
			return;
		}
		items = realloc(list->items, cap * sizeof(json_object *));
		if (items == NULL)
		{
			ev->failed = true;
			return;
		}
		list->items = items;
		list->capacity = cap;
	}
	list->items[list->count++] = node;
}

/* Counts work, so that nested deep scans cannot run for ever. */
static bool
visit(evaluator *ev)
{
	if (++ev->visits > MAX_VISITS)
		ev->failed = true;
	return !ev->failed;
}

/*
 * Appends array[index] when it exists; a negative index counts from the
 * end.
 */
static void
push_index(evaluator *ev, nodes *out, json_object *array, int64_t index)
{
	int64_t		len = (int64_t) json_object_array_length(array);

	if (index < 0)
		index += len;			/* no overflow: len >= 0 */
	if (index >= 0 && index < len)
		push(ev, out, json_object_array_get_idx(array, (size_t) index));
}

/*
 * Python slice semantics: negative bounds count from the end, bounds are
 * clamped, a negative step walks backwards.
 */
static void
push_slice(evaluator *ev, nodes *out, json_object *array, const segment *s)
{
	int64_t		len = (int64_t) json_object_array_length(array);
	int64_t		from;
	int64_t		to;
	int64_t		i;
	int64_t		lo = s->step > 0 ? 0 : -1;
	int64_t		hi = s->step > 0 ? len : len - 1;

	from = s->has_from ? s->from : (s->step > 0 ? 0 : len - 1);
	to = s->has_to ? s->to : (s->step > 0 ? len : -1);
	if (s->has_from && from < 0)
		from += len;
	if (s->has_to && to < 0)
		to += len;
	from = from < lo ? lo : from > hi ? hi : from;
	to = to < lo ? lo : to > hi ? hi : to;
	for (i = from; s->step > 0 ? i < to : i > to;)
	{
		if (!visit(ev))
			return;
		push(ev, out, json_object_array_get_idx(array, (size_t) i));
		if (__builtin_add_overflow(i, s->step, &i))
			break;
	}
}

/* Applies one segment (not its ".." part) to one node. */
static void
apply(evaluator *ev, const segment *s, json_object *node, nodes *out)
{
	json_object *v;
	size_t		i;
	size_t		n;
	bool		is_object = json_object_is_type(node, json_type_object);
	bool		is_array = json_object_is_type(node, json_type_array);

	if (!visit(ev))
		return;
	switch (s->kind)
	{
		case SEG_NAME:
			if (is_object && json_object_object_get_ex(node, s->name, &v))
				push(ev, out, v);
			break;
		case SEG_INDEX:
			if (is_array)
				push_index(ev, out, node, s->index);
			break;
		case SEG_WILDCARD:
			if (is_object)
			{
				json_object_object_foreach(node, key, val)
				{
					(void) key;
					push(ev, out, val);
				}
			}
			else if (is_array)
			{
				n = json_object_array_length(node);
				for (i = 0; i < n; i++)
					push(ev, out, json_object_array_get_idx(node, i));
			}
			break;
		case SEG_SLICE:
			if (is_array)
				push_slice(ev, out, node, s);
			break;
		case SEG_NAMES:
			for (i = 0; is_object && i < s->count; i++)
				if (json_object_object_get_ex(node, s->names[i], &v))
					push(ev, out, v);
			break;
		case SEG_INDEXES:
			for (i = 0; is_array && i < s->count; i++)
				push_index(ev, out, node, s->indexes[i]);
			break;
		case SEG_FILTER:
			/* Jayway: an array filters its elements, an object filters itself */
			if (is_array)
			{
				n = json_object_array_length(node);
				for (i = 0; i < n && !ev->failed; i++)
				{
					v = json_object_array_get_idx(node, i);
					if (test(ev, s->filter, v))
						push(ev, out, v);
				}
			}
			else if (is_object && test(ev, s->filter, node))
				push(ev, out, node);
			break;
	}
}

/*
 * "..": the segment applies at the node, then at every descendant, in
 * document order. A filter after ".." tests each object itself, as Jayway's
 * scan does, so an element is not reported twice (once via its array).
 */
static void
apply_deep(evaluator *ev, const segment *s, json_object *node, nodes *out)
{
	size_t		i;
	size_t		n;

	if (++ev->depth > MAX_DEPTH)
		ev->failed = true;
	if (ev->failed)
	{
		ev->depth--;
		return;
	}
	if (s->kind != SEG_FILTER)
		apply(ev, s, node, out);
	else if (json_object_is_type(node, json_type_object) && test(ev, s->filter, node))
		push(ev, out, node);
	if (json_object_is_type(node, json_type_object))
	{
		json_object_object_foreach(node, key, val)
		{
			(void) key;
			if (ev->failed)
				break;
			apply_deep(ev, s, val, out);
		}
	}
	else if (json_object_is_type(node, json_type_array))
	{
		n = json_object_array_length(node);
		for (i = 0; i < n && !ev->failed; i++)
			apply_deep(ev, s, json_object_array_get_idx(node, i), out);
	}
	ev->depth--;
}

/* Every node the segments reach from start, in order. False when a limit was hit. */
static bool
eval_segments(evaluator *ev, const seglist *segs, json_object *start, nodes *out)
{
	nodes		cur = {0};
	nodes		next;
	size_t		i;
	size_t		j;

	push(ev, &cur, start);
	for (i = 0; i < segs->count && !ev->failed; i++)
	{
		const segment *s = &segs->items[i];

		memset(&next, 0, sizeof(next));
		for (j = 0; j < cur.count && !ev->failed; j++)
		{
			if (s->deep)
				apply_deep(ev, s, cur.items[j], &next);
			else
				apply(ev, s, cur.items[j], &next);
		}
		free(cur.items);
		cur = next;
	}
	if (ev->failed)
	{
		free(cur.items);
		memset(out, 0, sizeof(*out));
		return false;
	}
	*out = cur;
	return true;
}


/* ---- evaluation: filters ---- */

/* A json-c integer as sign and magnitude, so int64 and uint64 values both fit. */
static void
int_parts(json_object *v, bool *negative, uint64_t *magnitude)
{
	int64_t		i = json_object_get_int64(v);

	*negative = i < 0;
	if (i == INT64_MAX)			/* saturated: the value may be a larger uint64 */
		*magnitude = json_object_get_uint64(v);
	else if (i < 0)
		*magnitude = (uint64_t) 0 - (uint64_t) i;
	else
		*magnitude = (uint64_t) i;
}

/*
 * -1, 0 or 1; 2 when unordered (NaN). Exact across int64, uint64 and
 * double, without leaning on long double (whose width varies by platform).
 */
static int
number_order(json_object *a, json_object *b)
{
	bool		na;
	bool		nb;
	uint64_t	ma;
	uint64_t	mb;
	double		d;
	double		dm_f;
	double		frac;
	int			c;
	bool		a_int = json_object_is_type(a, json_type_int);
	bool		b_int = json_object_is_type(b, json_type_int);

	if (!a_int && !b_int)
	{
		double		x = json_object_get_double(a);
		double		y = json_object_get_double(b);

		if (x != x || y != y)
			return 2;
		return (x > y) - (x < y);
	}
	if (!a_int)
	{
		c = number_order(b, a);
		return c == 2 ? 2 : -c;
	}
	int_parts(a, &na, &ma);
	if (b_int)
	{
		int_parts(b, &nb, &mb);
		if (na != nb)
			return na ? -1 : 1;
		if (ma == mb)
			return 0;
		return (ma < mb) != na ? -1 : 1;
	}
	d = json_object_get_double(b);
	if (d != d)
		return 2;
	if (d >= 18446744073709551616.0)
		return -1;
	if (d <= -18446744073709551616.0)
		return 1;
	nb = d < 0;
	dm_f = nb ? -d : d;
	mb = (uint64_t) dm_f;		/* in range: |d| < 2^64 */
	frac = dm_f - (double) mb;	/* exact */
	if (mb == 0 && frac == 0)
		nb = false;				/* -0.0 */
	if (na != nb)
		return na ? -1 : 1;
	c = ma < mb ? -1 : ma > mb ? 1 : frac > 0 ? -1 : 0;
	return na ? -c : c;
}

/* Byte-wise order of two strings: -1, 0 or 1. */
static int
string_order(json_object *a, json_object *b)
{
	size_t		la = (size_t) json_object_get_string_len(a);
	size_t		lb = (size_t) json_object_get_string_len(b);
	int			c = memcmp(json_object_get_string(a), json_object_get_string(b), la < lb ? la : lb);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return la < lb ? -1 : la > lb ? 1 : 0;
}

/* Numbers compare by value; otherwise types must agree. */
static bool
values_equal(json_object *a, json_object *b)
{
	json_type	ta = json_object_get_type(a);

	if (asl_json_is_number(a) && asl_json_is_number(b))
		return number_order(a, b) == 0;
	if (ta != json_object_get_type(b))
		return false;
	switch (ta)
	{
		case json_type_null:
			return true;
		case json_type_boolean:
			return json_object_get_boolean(a) == json_object_get_boolean(b);
		case json_type_string:
			return string_order(a, b) == 0;
		default:
			return json_object_equal(a, b) != 0;
	}
}

/* <, <=, >, >= hold between two numbers or two strings only, as in Jayway. */
static bool
ordered(cmp_op op, json_object *a, json_object *b)
{
	int			c;

	if (asl_json_is_number(a) && asl_json_is_number(b))
		c = number_order(a, b);
	else if (json_object_is_type(a, json_type_string) && json_object_is_type(b, json_type_string))
		c = string_order(a, b);
	else
		return false;
	if (c == 2)
		return false;			/* NaN orders with nothing */
	return cmp_op_holds(op, c);
}

/*
 * An operand's value: a literal, the node a definite path reaches, or the
 * list of nodes an indefinite path reaches (which compares like an array).
 * Nodes stay borrowed, so testing never touches the document's counts.
 */
typedef struct operand_value
{
	bool		present;		/* false: a definite path matched nothing */
	bool		is_list;
	json_object *node;
	nodes		list;
} operand_value;

/*
 * The value of a filter operand at node: the literal, or what its path
 * selects.
 */
static void
resolve(evaluator *ev, const operand *o, json_object *node, operand_value *v)
{
	memset(v, 0, sizeof(*v));
	if (o->kind == OPD_LITERAL)
	{
		v->present = true;
		v->node = o->literal;
		return;
	}
	if (!eval_segments(ev, &o->path, o->kind == OPD_CURRENT ? node : ev->root, &v->list))
		return;
	if (o->definite)
	{
		v->present = v->list.count > 0;
		v->node = v->present ? v->list.items[0] : NULL;
		free(v->list.items);
		memset(&v->list, 0, sizeof(v->list));
		return;
	}
	v->present = true;
	v->is_list = true;
}

/* A list of matches equals another list, or an array, element by element. */
static bool
list_equal(const nodes *list, const operand_value *other)
{
	size_t		i;

	if (other->is_list)
	{
		if (other->list.count != list->count)
			return false;
		for (i = 0; i < list->count; i++)
			if (!values_equal(list->items[i], other->list.items[i]))
				return false;
		return true;
	}
	if (!json_object_is_type(other->node, json_type_array) ||
		json_object_array_length(other->node) != list->count)
		return false;
	for (i = 0; i < list->count; i++)
		if (!values_equal(list->items[i], json_object_array_get_idx(other->node, i)))
			return false;
	return true;
}

/*
 * == between two operand values: a missing one equals nothing; lists
 * compare as arrays.
 */
static bool
operands_equal(const operand_value *a, const operand_value *b)
{
	/* a missing member equals nothing, so "!=" holds */
	if (!a->present || !b->present)
		return false;
	if (a->is_list)
		return list_equal(&a->list, b);
	if (b->is_list)
		return list_equal(&b->list, a);
	return values_equal(a->node, b->node);
}

/* Whether a comparison filter holds at node. */
static bool
test_compare(evaluator *ev, const expr *e, json_object *node)
{
	operand_value a;
	operand_value b;
	bool		result;

	resolve(ev, &e->left, node, &a);
	resolve(ev, &e->right, node, &b);
	if (e->op == CMP_EQ)
		result = operands_equal(&a, &b);
	else if (e->op == CMP_NE)
		result = !operands_equal(&a, &b);
	else
		result = a.present && b.present && !a.is_list && !b.is_list &&
			ordered(e->op, a.node, b.node);
	free(a.list.items);
	free(b.list.items);
	return result;
}

/*
 * Whether filter expression e holds at node; fails the evaluation past
 * MAX_DEPTH or MAX_VISITS.
 */
static bool
test(evaluator *ev, const expr *e, json_object *node)
{
	operand_value v;
	bool		result = false;
	size_t		i;

	if (++ev->depth > MAX_DEPTH || !visit(ev))
		ev->failed = true;
	if (ev->failed)
	{
		ev->depth--;
		return false;
	}
	switch (e->kind)
	{
		case EXPR_OR:
			for (i = 0; i < e->count && !result; i++)
				result = test(ev, e->children[i], node);
			break;
		case EXPR_AND:
			result = true;
			for (i = 0; i < e->count && result; i++)
				result = test(ev, e->children[i], node);
			break;
		case EXPR_NOT:
			result = !test(ev, e->children[0], node);
			break;
		case EXPR_EXISTS:
			/* an indefinite path exists when it matches something */
			resolve(ev, &e->left, node, &v);
			result = v.present && (!v.is_list || v.list.count > 0);
			free(v.list.items);
			break;
		case EXPR_COMPARE:
			result = test_compare(ev, e, node);
			break;
	}
	ev->depth--;
	return result && !ev->failed;
}


/* ---- selecting ---- */

/*
 * The nodes path selects from root: the node itself for a definite path,
 * else an array of the matches (a new reference); false when nothing
 * matched a definite path or the evaluation failed.
 */
/*
 * A definite path of plain names and indexes ($.a.b[0]), most paths in a
 * definition: one node per step, so it is walked without node lists (two
 * allocations per segment otherwise). False when it is not such a path.
 */
static bool
plain_path(const seglist *segs)
{
	for (size_t i = 0; i < segs->count; i++)
		if (segs->items[i].deep ||
			(segs->items[i].kind != SEG_NAME && segs->items[i].kind != SEG_INDEX))
			return false;
	return true;
}

/* Walks a plain path from node, as eval_segments would: false when nothing is there. */
static bool
walk_plain(const seglist *segs, json_object *node, json_object **out)
{
	for (size_t i = 0; i < segs->count; i++)
	{
		const segment *s = &segs->items[i];

		if (s->kind == SEG_NAME)
		{
			if (!json_object_is_type(node, json_type_object) ||
				!json_object_object_get_ex(node, s->name, &node))
				return false;
		}
		else
		{
			int64_t		len;
			int64_t		index = s->index;

			if (!json_object_is_type(node, json_type_array))
				return false;
			len = (int64_t) json_object_array_length(node);
			if (index < 0)
				index += len;	/* a negative index counts from the end */
			if (index < 0 || index >= len)
				return false;
			node = json_object_array_get_idx(node, (size_t) index);
		}
	}
	*out = json_object_get(node);
	return true;
}

static bool
select_from(const asl_path *path, json_object *root, bool has_root, json_object **out)
{
	evaluator	ev;
	nodes		found = {0};
	json_object *array;
	size_t		i;

	*out = NULL;
	if (path == NULL)
		return false;
	if (path->definite && has_root && plain_path(&path->segments))
		return walk_plain(&path->segments, root, out);
	memset(&ev, 0, sizeof(ev));
	ev.root = root;
	if (has_root && !eval_segments(&ev, &path->segments, root, &found))
		return false;
	if (path->definite)
	{
		if (found.count == 0)
		{
			free(found.items);
			return false;
		}
		*out = json_object_get(found.items[0]);
		free(found.items);
		return true;
	}
	array = json_object_new_array_ext((int) (found.count < INT32_MAX ? found.count : 0));
	for (i = 0; array != NULL && i < found.count; i++)
	{
		if (json_object_array_add(array, json_object_get(found.items[i])) != 0)
		{
			json_object_put(found.items[i]);
			json_object_put(array);
			array = NULL;
		}
	}
	free(found.items);
	*out = array;
	return array != NULL;
}

bool
asl_path_select(const asl_path *path, const asl_scope *scope, json_object **out)
{
	json_object *root = NULL;
	bool		has_root = scope != NULL;
	json_object *ignored;
	bool		ok;

	if (path != NULL && scope != NULL)
	{
		switch (path->root)
		{
			case ASL_ROOT_INPUT:
				root = scope->input;
				break;
			case ASL_ROOT_CONTEXT:
				root = asl_scope_context(scope);
				break;
			case ASL_ROOT_VARIABLE:
				/* an undefined variable matches nothing */
				has_root = json_object_is_type(scope->variables, json_type_object) &&
					json_object_object_get_ex(scope->variables, path->variable, &root);
				break;
		}
	}
	ok = select_from(path, root, has_root, out ? out : &ignored);
	if (out == NULL && ok)
		json_object_put(ignored);
	return ok;
}

/*
 * ddb_expr_condition.c — ConditionExpression: parsing and evaluation.
 *
 * Precedence, loosest first: OR, AND, NOT, then a comparison (= <> < <= >
 * >=), BETWEEN, IN or a function, then parentheses. A "(" may open a
 * condition or an operand: "(a) = :v" against "(a = :v) AND b". The token
 * after the matching ")" decides, so the parse never backtracks.
 */
#include "ddb_expr_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_op.h"
#include "ddb_value.h"

typedef enum cond_kind
{
	C_OR,
	C_AND,
	C_NOT,
	C_CMP,
	C_BETWEEN,
	C_IN,
	C_FUNC
} cond_kind;

typedef enum func_kind
{
	F_EXISTS,
	F_NOT_EXISTS,
	F_TYPE,
	F_BEGINS_WITH,
	F_CONTAINS,
	F_UNKNOWN
} func_kind;

typedef struct cond
{
	cond_kind	kind;
	cmp_op		op;				/* C_CMP */
	func_kind	func;			/* C_FUNC */
	bool		parens;			/* written in parentheses */
	struct cond *left;			/* C_OR, C_AND, C_NOT */
	struct cond *right;			/* C_OR, C_AND */
	operand   **ops;			/* C_CMP: 2, C_BETWEEN: 3, C_IN: 1 + list,
								 * C_FUNC: arguments */
	size_t		nops;
} cond;

struct ddb_condition
{
	cond	   *root;
};

static const char *const cmp_names[] = {"=", "<>", "<", "<=", ">", ">="};
static const char *const func_names[] = {
	"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"
};
static const char *const keywords[] = {"AND", "OR", "NOT", "BETWEEN", "IN", NULL};

typedef struct cparser
{
	parser		p;
	size_t	   *match;			/* token index of each "("'s ")", or 0 */
} cparser;

static cond *parse_or(cparser *cp);
static operand *parse_operand(cparser *cp);

/* Frees a condition tree and its operands. */
static void
cond_free(cond *c)
{
	size_t		i;

	if (c == NULL)
		return;
	cond_free(c->left);
	cond_free(c->right);
	for (i = 0; i < c->nops; i++)
		operand_free(c->ops[i]);
	free(c->ops);
	free(c);
}

void
ddb_condition_free(ddb_condition *cond)
{
	if (cond == NULL)
		return;
	cond_free(cond->root);
	free(cond);
}

/* A new condition node of kind; NULL when out of memory. */
static cond *
cond_new(cond_kind kind)
{
	cond	   *c = calloc(1, sizeof(*c));

	if (c)
		c->kind = kind;
	return c;
}

/*
 * Appends operand o to c (taking it); false when o is NULL or memory runs
 * out.
 */
static bool
cond_add(cparser *cp, cond *c, operand *o)
{
	operand   **grown;

	if (o == NULL)
		return false;
	grown = realloc(c->ops, (c->nops + 1) * sizeof(*c->ops));
	if (grown == NULL)
	{
		operand_free(o);
		cp->p.oom = true;
		return false;
	}
	c->ops = grown;
	c->ops[c->nops++] = o;
	return true;
}

/* ---- static checks ---- */

/* The type an operand is known to have before reading the item, or NULL. */
static const char *
static_type(const operand *o)
{
	if (o->kind == OPD_CALL && strcmp(o->name, "size") == 0)
		return "N";
	return operand_literal_type(o);
}

/*
 * The condition function called name (attribute_exists, begins_with, …), or
 * F_UNKNOWN.
 */
static func_kind
func_of(const char *name)
{
	int			i;

	for (i = 0; i < (int) (sizeof(func_names) / sizeof(func_names[0])); i++)
		if (strcmp(name, func_names[i]) == 0)
			return (func_kind) i;
	return F_UNKNOWN;
}

/* A function other than size() where an operand is wanted. */
static void
check_misused(cparser *cp, operand *const *ops, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (ops[i]->kind == OPD_CALL && strcmp(ops[i]->name, "size") != 0)
			problem_set(&cp->p, PROB_MISUSED_FUNCTION,
						"The function is not allowed to be used this way in an expression; function: %s", ops[i]->name);
}

/*
 * Reports a comparison whose operands are one path twice, as DynamoDB
 * refuses it.
 */
static void
check_distinct(cparser *cp, const char *op, operand *const *ops, size_t n)
{
	size_t		i;

	if (ops[0]->kind != OPD_PATH)
		return;
	for (i = 1; i < n; i++)
		if (ops[i]->kind == OPD_PATH && paths_equal(&ops[0]->path, &ops[i]->path))
		{
			char	   *shown = ddb_path_render(&ops[0]->path);

			problem_set(&cp->p, PROB_DISTINCT,
						"The first operand must be distinct from the remaining operands for this operator or function; operator: %s, first operand: %s",
						op, shown ? shown : "");
			free(shown);
			return;
		}
}

/*
 * Reports an ordering comparison of a literal that is no number, string or
 * binary.
 */
static void
check_orderable(cparser *cp, const char *op, operand *const *ops, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		const char *t = operand_literal_type(ops[i]);

		if (t && strcmp(t, "N") != 0 && strcmp(t, "S") != 0 && strcmp(t, "B") != 0)
			problem_set(&cp->p, PROB_FUNCTION,
						"Incorrect operand type for operator or function; operator or function: %s, operand type: %s", op, t);
	}
}

/* "{N:5}": how DynamoDB shows a scalar bound. */
static char *
show_bound(json_object *v)
{
	json_object *payload = ddb_value_payload(v);
	const char *text = json_object_is_type(payload, json_type_string) ? json_object_get_string(payload)
	: json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN);
	char	   *out = NULL;

	if (asprintf(&out, "{%s:%s}", ddb_type_name(ddb_value_type(v)), text) < 0)
		return NULL;
	return out;
}

/*
 * Reports BETWEEN literal bounds of different types, or a lower bound above
 * the upper one.
 */
static void
check_between(cparser *cp, cond *c)
{
	json_object *lo = c->ops[1]->kind == OPD_VALUE ? c->ops[1]->value : NULL;
	json_object *hi = c->ops[2]->kind == OPD_VALUE ? c->ops[2]->value : NULL;
	int			cmp = 0;
	char	   *slo,
			   *shi;

	check_orderable(cp, "BETWEEN", c->ops, c->nops);
	if (lo == NULL || hi == NULL)
		return;
	if (ddb_value_type(lo) == ddb_value_type(hi) &&
		!(ddb_value_compare(lo, hi, &cmp) && cmp > 0))
		return;
	slo = show_bound(lo);
	shi = show_bound(hi);
	if (ddb_value_type(lo) != ddb_value_type(hi))
		problem_set(&cp->p, PROB_FUNCTION,
					"The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: %s, upper bound operand: AttributeValue: %s",
					slo ? slo : "", shi ? shi : "");
	else
		problem_set(&cp->p, PROB_FUNCTION,
					"The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: %s, upper bound operand: AttributeValue: %s",
					slo ? slo : "", shi ? shi : "");
	free(slo);
	free(shi);
}

/* Checks a call's name and arguments. */
static void
check_call(cparser *cp, const operand *call)
{
	const char *name = call->name;
	func_kind	f = func_of(name);
	size_t		want;

	if (strcmp(name, "size") == 0)
		want = 1;
	else if (f == F_UNKNOWN)
	{
		problem_set(&cp->p, PROB_UNKNOWN_FUNCTION, "Invalid function name; function: %s", name);
		return;
	}
	else
		want = (f == F_EXISTS || f == F_NOT_EXISTS) ? 1 : 2;
	check_misused(cp, call->args, call->nargs);
	if (call->nargs != want)
	{
		problem_set(&cp->p, PROB_OPERAND,
					"Incorrect number of operands for operator or function; operator or function: %s, number of operands: %zu",
					name, call->nargs);
		return;
	}
	if (want == 2)
		check_distinct(cp, name, call->args, 2);
	if (strcmp(name, "size") == 0)
	{
		const char *t = static_type(call->args[0]);

		if (t && (strcmp(t, "N") == 0 || strcmp(t, "BOOL") == 0 || strcmp(t, "NULL") == 0))
			problem_set(&cp->p, PROB_FUNCTION,
						"Incorrect operand type for operator or function; operator or function: size, operand type: %s", t);
		return;
	}
	switch (f)
	{
		case F_EXISTS:
		case F_NOT_EXISTS:
			if (call->args[0]->kind != OPD_PATH)
				problem_set(&cp->p, PROB_FUNCTION,
							"Operator or function requires a document path; operator or function: %s", name);
			break;
		case F_TYPE:
			{
				const char *t = static_type(call->args[1]);

				if (call->args[0]->kind != OPD_PATH)
					problem_set(&cp->p, PROB_FUNCTION,
								"Operator or function requires a document path; operator or function: %s", name);
				else if (t == NULL || strcmp(t, "S") != 0)
					problem_set(&cp->p, PROB_FUNCTION,
								"Incorrect operand type for operator or function; operator or function: attribute_type, operand type: %s",
								t ? t : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
				else if (call->args[1]->kind == OPD_VALUE &&
						 ddb_type_from_name(json_object_get_string(ddb_value_payload(call->args[1]->value))) == DDB_TYPE_NONE)
					problem_set(&cp->p, PROB_FUNCTION,
								"Invalid attribute type name found; type: %s, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
								json_object_get_string(ddb_value_payload(call->args[1]->value)));
			}
			break;
		case F_BEGINS_WITH:
			{
				size_t		i;

				for (i = 0; i < 2; i++)
				{
					const char *t = static_type(call->args[i]);

					if (t && strcmp(t, "S") != 0 && strcmp(t, "B") != 0)
						problem_set(&cp->p, PROB_FUNCTION,
									"Incorrect operand type for operator or function; operator or function: begins_with, operand type: %s", t);
				}
			}
			break;
		default:
			break;
	}
}

/* ---- parsing ---- */

/* An operand inside parentheses or a call (cparser starts with its parser). */
static operand *
parse_inner_operand(parser *p)
{
	return parse_operand((cparser *) p);
}

/*
 * An operand: a path, a :placeholder value, a function call (size), or one
 * in parentheses (redundant ones reported).
 */
static operand *
parse_operand(cparser *cp)
{
	parser	   *p = &cp->p;
	const token *t = peek(p);
	operand    *o;

	if (tok_is(p, t, "("))
	{
		o = parse_parenthesized(p, parse_inner_operand);
		if (o == NULL)
			return NULL;
		if (o->parens)
			problem_set(p, PROB_PARENS, "The expression has redundant parentheses;");
		o->parens = true;
		return o;
	}
	if (t->kind == TOK_VALUE_PH)
		return parse_value_operand(p);
	if (call_ahead(p))
	{
		o = parse_call_operand(p, keywords, parse_inner_operand);
		if (o != NULL)
			check_call(cp, o);
		return o;
	}
	return parse_path_operand(p, keywords);
}

/* Whether token t is a comparator (=, <>, <, <=, >, >=); sets *op. */
static bool
comparator_at(cparser *cp, const token *t, cmp_op *op)
{
	int			i;

	for (i = 0; i < 6; i++)
		if (tok_is(&cp->p, t, cmp_names[i]))
		{
			*op = (cmp_op) i;
			return true;
		}
	return false;
}

/*
 * Consumes the operator token and starts a condition of this kind with
 * first as its first operand. Owns first from here, even when it fails.
 */
static cond *
cond_after_operator(cparser *cp, cond_kind kind, operand *first)
{
	cond	   *c;

	cp->p.pos++;
	c = cond_new(kind);
	if (c == NULL)
	{
		operand_free(first);
		cp->p.oom = true;
		return NULL;
	}
	if (!cond_add(cp, c, first))
	{
		cond_free(c);
		return NULL;
	}
	return c;
}

/* After a first operand: a comparison, BETWEEN, IN, or (for a function call) the function itself. */
static cond *
parse_predicate(cparser *cp)
{
	parser	   *p = &cp->p;
	operand    *first = parse_operand(cp);
	cond	   *c = NULL;
	cmp_op		op;

	if (first == NULL)
		return NULL;
	if (comparator_at(cp, peek(p), &op))
	{
		c = cond_after_operator(cp, C_CMP, first);
		first = NULL;
		if (c == NULL)
			goto fail;
		c->op = op;
		if (!cond_add(cp, c, parse_operand(cp)))
			goto fail;
		check_misused(cp, c->ops, 2);
		check_distinct(cp, cmp_names[op], c->ops, 2);
		if (op >= CMP_LT)
			check_orderable(cp, cmp_names[op], c->ops, 2);
		return c;
	}
	if (tok_is_keyword(p, peek(p), "BETWEEN"))
	{
		c = cond_after_operator(cp, C_BETWEEN, first);
		first = NULL;
		if (c == NULL)
			goto fail;
		if (!cond_add(cp, c, parse_operand(cp)))
			goto fail;
		if (!tok_is_keyword(p, peek(p), "AND"))
		{
			syntax_error(p);
			goto fail;
		}
		p->pos++;
		if (!cond_add(cp, c, parse_operand(cp)))
			goto fail;
		check_misused(cp, c->ops, 3);
		check_distinct(cp, "BETWEEN", c->ops, 3);
		check_between(cp, c);
		return c;
	}
	if (tok_is_keyword(p, peek(p), "IN"))
	{
		c = cond_after_operator(cp, C_IN, first);
		first = NULL;
		if (c == NULL)
			goto fail;
		if (!expect(p, "("))
			goto fail;
		for (;;)
		{
			if (!cond_add(cp, c, parse_operand(cp)))
				goto fail;
			if (!tok_is(p, peek(p), ","))
				break;
			p->pos++;
		}
		if (!expect(p, ")"))
			goto fail;
		check_misused(cp, c->ops, c->nops);
		if (c->nops - 1 > DDB_MAX_IN_OPERANDS)
			problem_set(p, PROB_OPERAND, "The IN operator is provided with too many operands; number of operands: %zu", c->nops - 1);
		check_distinct(cp, "IN", c->ops, c->nops);
		return c;
	}
	/* no operator follows: only a function stands as a condition */
	if (first->kind != OPD_CALL || first->parens)
	{
		syntax_error(p);
		goto fail;
	}
	if (strcmp(first->name, "size") == 0)
		problem_set(p, PROB_MISUSED_FUNCTION,
					"The function is not allowed to be used this way in an expression; function: size");
	c = cond_new(C_FUNC);
	if (c == NULL)
	{
		p->oom = true;
		goto fail;
	}
	c->func = func_of(first->name);
	/* the call's arguments become the condition's operands */
	c->ops = first->args;
	c->nops = first->nargs;
	first->args = NULL;
	first->nargs = 0;
	operand_free(first);
	return c;

fail:
	operand_free(first);
	cond_free(c);
	return NULL;
}

/* Whether token t continues an operand into a comparison, BETWEEN or IN. */
static bool
operator_token(cparser *cp, const token *t)
{
	cmp_op		op;

	return comparator_at(cp, t, &op) || tok_is_keyword(&cp->p, t, "BETWEEN") || tok_is_keyword(&cp->p, t, "IN");
}

/*
 * A parenthesized condition, a function call, or a comparison, BETWEEN or
 * IN.
 */
static cond *
parse_primary(cparser *cp)
{
	parser	   *p = &cp->p;
	cond	   *c;

	if (tok_is(p, peek(p), "("))
	{
		size_t		close = cp->match[p->pos];

		/*
		 * "(...)" followed by an operator is an operand; otherwise a
		 * condition
		 */
		if (close != 0 && operator_token(cp, &p->toks[close + 1]))
			return parse_predicate(cp);
		p->pos++;
		if (!enter(p))
			return NULL;
		c = parse_or(cp);
		if (c == NULL || !expect(p, ")"))
		{
			cond_free(c);
			return NULL;
		}
		leave(p);
		if (c->parens)
			problem_set(p, PROB_PARENS, "The expression has redundant parentheses;");
		c->parens = true;
		return c;
	}
	return parse_predicate(cp);
}

/* NOT before a condition, or a primary one. */
static cond *
parse_not(cparser *cp)
{
	parser	   *p = &cp->p;
	cond	   *c;

	if (!tok_is_keyword(p, peek(p), "NOT"))
		return parse_primary(cp);
	p->pos++;
	if (!enter(p))
		return NULL;
	c = cond_new(C_NOT);
	if (c == NULL)
	{
		p->oom = true;
		return NULL;
	}
	c->left = parse_not(cp);
	if (c->left == NULL)
	{
		cond_free(c);
		return NULL;
	}
	leave(p);
	return c;
}

/* left (word right)*, built as a left-leaning chain without recursion per link. */
static cond *
parse_chain(cparser *cp, const char *word, cond_kind kind, cond *(*next) (cparser *))
{
	parser	   *p = &cp->p;
	cond	   *left = next(cp);

	while (left != NULL && tok_is_keyword(p, peek(p), word))
	{
		cond	   *joined = cond_new(kind);

		p->pos++;
		if (joined == NULL)
		{
			p->oom = true;
			cond_free(left);
			return NULL;
		}
		joined->left = left;
		joined->right = next(cp);
		if (joined->right == NULL)
		{
			cond_free(joined);
			return NULL;
		}
		left = joined;
	}
	return left;
}

static cond *
parse_and(cparser *cp)
{
	return parse_chain(cp, "AND", C_AND, parse_not);
}

static cond *
parse_or(cparser *cp)
{
	return parse_chain(cp, "OR", C_OR, parse_and);
}

/* match[i] = index of the ")" closing the "(" at i; 0 when unmatched. */
static size_t *
match_parens(const parser *p)
{
	size_t	   *match = calloc(p->ntoks, sizeof(*match));
	size_t	   *stack = malloc(p->ntoks * sizeof(*stack));
	size_t		depth = 0,
				i;

	if (match == NULL || stack == NULL)
	{
		free(match);
		free(stack);
		return NULL;
	}
	for (i = 0; i < p->ntoks; i++)
	{
		if (tok_is(p, &p->toks[i], "("))
			stack[depth++] = i;
		else if (tok_is(p, &p->toks[i], ")") && depth > 0)
			match[stack[--depth]] = i;
	}
	free(stack);
	return match;
}

ddb_condition *
ddb_condition_parse(const char *text, ddb_placeholders *ph, char **message)
{
	cparser		cp;
	cond	   *root;
	ddb_condition *out = NULL;

	if (!ddb_parser_init(&cp.p, text, EXPR_CONDITION, ph, message))
		return NULL;
	cp.match = match_parens(&cp.p);
	if (cp.match == NULL)
	{
		parser_release(&cp.p);
		*message = strdup("out of memory");
		return NULL;
	}
	root = parse_or(&cp);
	if (root != NULL && peek(&cp.p)->kind != TOK_EOF)
		syntax_error(&cp.p);
	*message = parser_message(&cp.p);
	if (*message == NULL && root == NULL)
		*message = strdup("out of memory");
	if (*message == NULL)
	{
		out = malloc(sizeof(*out));
		if (out == NULL)
			*message = strdup("out of memory");
		else
			out->root = root;
	}
	if (out == NULL)
		cond_free(root);
	free(cp.match);
	parser_release(&cp.p);
	return out;
}

/* ---- evaluation ---- */

/* The value of an operand against item; *owned is set when the caller must release it. */
static json_object *
resolve(const operand *o, json_object *item, json_object **owned)
{
	*owned = NULL;
	switch (o->kind)
	{
		case OPD_PATH:
			return ddb_path_get(&o->path, item);
		case OPD_VALUE:
			return o->value;
		case OPD_CALL:
			{
				json_object *inner_owned;
				json_object *arg = resolve(o->args[0], item, &inner_owned);
				long		size;
				char		text[32];

				if (strcmp(o->name, "size") != 0 || !ddb_value_size(arg, &size))
				{
					json_object_put(inner_owned);
					return NULL;
				}
				json_object_put(inner_owned);
				snprintf(text, sizeof(text), "%ld", size);
				*owned = json_object_new_object();
				if (*owned != NULL)
					json_object_object_add(*owned, "N", json_object_new_string(text));
				return *owned;
			}
		default:
			return NULL;
	}
}

/*
 * Whether a op b holds for two typed values; ordering holds only between
 * values of the same N, S or B type.
 */
static bool
compare(cmp_op op, json_object *a, json_object *b)
{
	int			cmp;

	switch (op)
	{
		case CMP_EQ:
			return ddb_value_equal(a, b);
		case CMP_NE:
			/* also true when either side is missing or the types differ */
			return !ddb_value_equal(a, b);
		default:
			if (!ddb_value_compare(a, b, &cmp))
				return false;
			return cmp_op_holds(op, cmp);
	}
}

/*
 * Evaluates a function condition (attribute_exists, attribute_not_exists,
 * attribute_type, begins_with, contains) against item.
 */
static bool
eval_func(const cond *c, json_object *item)
{
	json_object *oa,
			   *ob;
	json_object *a,
			   *b;
	bool		result = false;

	switch (c->func)
	{
		case F_EXISTS:
			return ddb_path_get(&c->ops[0]->path, item) != NULL;
		case F_NOT_EXISTS:
			return ddb_path_get(&c->ops[0]->path, item) == NULL;
		default:
			break;
	}
	a = resolve(c->ops[0], item, &oa);
	b = resolve(c->ops[1], item, &ob);
	if (a != NULL && b != NULL)
	{
		if (c->func == F_TYPE)
			result = strcmp(ddb_type_name(ddb_value_type(a)), json_object_get_string(ddb_value_payload(b))) == 0;
		else if (c->func == F_BEGINS_WITH)
			result = ddb_value_begins_with(a, b);
		else if (c->func == F_CONTAINS)
			result = ddb_value_contains(a, b);
	}
	json_object_put(oa);
	json_object_put(ob);
	return result;
}

/* Whether condition c holds for item (NULL: no item). */
static bool
eval(const cond *c, json_object *item)
{
	json_object *owned[3] = {NULL, NULL, NULL};
	json_object *v[3];
	bool		result = false;
	size_t		i;

	switch (c->kind)
	{
		case C_OR:
			return eval(c->left, item) || eval(c->right, item);
		case C_AND:
			return eval(c->left, item) && eval(c->right, item);
		case C_NOT:
			return !eval(c->left, item);
		case C_FUNC:
			return eval_func(c, item);
		case C_CMP:
			v[0] = resolve(c->ops[0], item, &owned[0]);
			v[1] = resolve(c->ops[1], item, &owned[1]);
			result = compare(c->op, v[0], v[1]);
			break;
		case C_BETWEEN:
			for (i = 0; i < 3; i++)
				v[i] = resolve(c->ops[i], item, &owned[i]);
			result = compare(CMP_GE, v[0], v[1]) && compare(CMP_LE, v[0], v[2]);
			break;
		case C_IN:
			v[0] = resolve(c->ops[0], item, &owned[0]);
			for (i = 1; i < c->nops && !result && v[0] != NULL; i++)
			{
				json_object *o;
				json_object *candidate = resolve(c->ops[i], item, &o);

				result = ddb_value_equal(v[0], candidate);
				json_object_put(o);
			}
			break;
	}
	for (i = 0; i < 3; i++)
		json_object_put(owned[i]);
	return result;
}

bool
ddb_condition_eval(const ddb_condition *cond, json_object *item)
{
	return eval(cond->root, item);
}

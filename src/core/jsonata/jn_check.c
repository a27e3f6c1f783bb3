/*
 * jn_check.c — static checks of a compiled expression for hosts that want
 * them. AWS Step Functions refuses a definition whose expression refers to a
 * field "at the top level" (a path starting with a bare name, as `phone` or
 * `Account.Order`): its expressions have no context, only $states and
 * variables. Names inside a path's later steps, its predicates and sort
 * terms, and inside lambdas are relative to a context there and are fine.
 */
#include "jn_internal.h"

#include <stddef.h>

/*
 * The first name n reads from the context at the top level (no path, predicate
 * or lambda around it gives it one), or NULL.
 */
static const jn_node *
top_level_name(const jn_node *n)
{
	const jn_node *found = NULL;

	if (n == NULL)
		return NULL;
	switch (n->type)
	{
		case N_NAME:
			return n;
		case N_PATH:

			/*
			 * only the first step is evaluated in the expression's own
			 * context
			 */
			return n->items.n > 0 ? top_level_name(n->items.v[0]) : NULL;
		case N_BINARY:
		case N_BIND:
		case N_APPLY:
			if ((found = top_level_name(n->lhs)) == NULL)
				found = top_level_name(n->rhs);
			return found;
		case N_UNARY:
			for (int i = 0; i < n->items.n && found == NULL; i++)
				found = top_level_name(n->items.v[i]);
			for (int i = 0; i < n->keys.n && found == NULL; i++)
				if ((found = top_level_name(n->keys.v[i])) == NULL)
					found = top_level_name(n->vals.v[i]);
			if (found == NULL)
				found = top_level_name(n->expr);
			return found;
		case N_CONDITION:
			if ((found = top_level_name(n->cond)) == NULL &&
				(found = top_level_name(n->then)) == NULL)
				found = top_level_name(n->els);
			return found;
		case N_BLOCK:
		case N_FUNCTION:
		case N_PARTIAL:
			for (int i = 0; i < n->items.n && found == NULL; i++)
				found = top_level_name(n->items.v[i]);
			return found;
		default:
			/* literals, variables, lambdas, regexes, transforms, wildcards */
			return NULL;
	}
}

bool
jn_expr_top_level_name(const jn_expr *expr, const char **name, size_t *len, int *pos)
{
	const jn_node *n = expr ? top_level_name(expr->root) : NULL;

	if (n == NULL)
		return false;
	*name = n->value;
	*len = n->vlen;
	*pos = n->pos;
	return true;
}

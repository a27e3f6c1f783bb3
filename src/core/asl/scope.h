/*
 * scope.h — what a path or an intrinsic function can read while evaluating:
 * the state's effective input ($), the context object ($$) and the workflow
 * variables ($name, set by Assign).
 */
#ifndef ASL_SCOPE_H
#define ASL_SCOPE_H

#include <json-c/json.h>

/* Builds $$ on first use (a step's context costs a dozen allocations). */
typedef json_object *(*asl_context_fn) (void *arg);

typedef struct asl_scope
{
	json_object *input;			/* $ — borrowed */
	json_object *context;		/* $$ — borrowed, may be NULL */
	json_object *variables;		/* object name → value, borrowed, may be
								 * NULL */
	asl_context_fn context_fn;	/* when context is NULL: gives $$ (borrowed) */
	void	   *context_arg;
} asl_scope;

/* $$ of the scope, built now if it was left for its first use; may be NULL. */
static inline json_object *
asl_scope_context(const asl_scope *s)
{
	if (s->context == NULL && s->context_fn != NULL)
		return s->context_fn(s->context_arg);
	return s->context;
}

#endif

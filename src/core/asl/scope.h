/*
 * scope.h — what a path or an intrinsic function can read while evaluating:
 * the state's effective input ($), the context object ($$) and the workflow
 * variables ($name, set by Assign).
 */
#ifndef ASL_SCOPE_H
#define ASL_SCOPE_H

#include <json-c/json.h>

typedef struct asl_scope
{
	json_object *input;			/* $ — borrowed */
	json_object *context;		/* $$ — borrowed, may be NULL */
	json_object *variables;		/* object name → value, borrowed, may be
								 * NULL */
} asl_scope;

#endif

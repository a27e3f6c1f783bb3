/*
 * intrinsic.h — intrinsic functions (States.Format, States.Array, …).
 *
 * An intrinsic call is a string value of a ".$" field (or of an Assign or
 * ResultSelector entry) starting with "States.". Arguments are string
 * literals in single quotes (with \' \{ \} \\ escapes), numbers, true,
 * false, null, paths ($, $$, $name) and nested calls.
 */
#ifndef ASL_INTRINSIC_H
#define ASL_INTRINSIC_H

#include <stdbool.h>
#include <json-c/json.h>

#include "error.h"
#include "scope.h"

typedef struct asl_intrinsic asl_intrinsic;

/* True when text is meant as an intrinsic call (starts with "States."). */
bool		asl_intrinsic_is_call(const char *text);

/*
 * Parses and checks a call: known function, argument count where it is fixed,
 * literal argument types where they are literals, paths compiled. NULL and a
 * malloc'd *error on failure.
 */
asl_intrinsic *asl_intrinsic_compile(const char *text, char **error);
void		asl_intrinsic_free(asl_intrinsic *fn);

/*
 * Evaluates. Returns true and a new reference in *out (NULL for json null), or
 * false with err set (States.IntrinsicFailure for bad arguments, States.Runtime
 * for a path argument that matches nothing).
 */
bool		asl_intrinsic_eval(const asl_intrinsic *fn, const asl_scope *scope,
							   json_object **out, asl_error *err);

#endif

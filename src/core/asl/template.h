/*
 * template.h — payload templates (Parameters, ItemSelector, ResultSelector,
 * Assign, Result-free Pass Parameters).
 *
 * A template is a JSON value in which object keys ending in ".$" take their
 * value from a path or an intrinsic call; everything else is copied as is.
 * Compilation checks every ".$" value and reports problems as diagnostics.
 */
#ifndef ASL_TEMPLATE_H
#define ASL_TEMPLATE_H

#include <stdbool.h>
#include <json-c/json.h>

#include "diag.h"
#include "error.h"
#include "scope.h"
#include "path.h"

typedef struct asl_template asl_template;

/*
 * Compiles tpl (any JSON value; a reference is taken where needed). pointer
 * is the JSON pointer of tpl in the definition, used for diagnostics.
 * Returns NULL when a problem was recorded.
 */
asl_template *asl_template_compile(json_object *tpl, const char *pointer, asl_diags *diags);
void		asl_template_free(asl_template *tpl);

/* True for a key ending in ".$" (key is len bytes): its value is evaluated. */
bool		asl_template_is_dollar_key(const char *key, size_t len);

/*
 * True for text meant to be evaluated: "$.x", "$$.x", "$[0]", "$$" or
 * "States.Fn(". NO_DOLLAR (templates) and PASS_RESULT_IS_STATIC (Pass Result)
 * warn about such text where it is taken literally.
 */
bool		asl_template_looks_evaluated(const char *text);

/*
 * Evaluates against scope. true with a new reference in *out, or false with
 * err set (States.Runtime when a path matches nothing, as AWS; intrinsic
 * errors as the intrinsic reports them).
 */
/*
 * States.Runtime in AWS's words for a reference path of field that matched
 * nothing: "The JSONPath '$.x' specified for the field 'x.$' could not be
 * found in the input '<the state input>'". Returns false.
 */
bool		asl_field_path_not_found(const asl_path *path, const char *field,
									 const asl_scope *scope, asl_error *err);

bool		asl_template_eval(const asl_template *tpl, const asl_scope *scope,
							  json_object **out, asl_error *err);

#endif

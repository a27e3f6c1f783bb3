/*
 * dataflow.h — the JSONPath data-flow stages of a state:
 * InputPath -> Parameters -> (work) -> ResultSelector -> ResultPath -> OutputPath,
 * and the payload size quota.
 *
 * Each stage returns a new reference in *out (NULL is JSON null) and true, or
 * false with err set. Inputs are borrowed and never changed: ResultPath
 * writes into a copy of the raw input.
 */
#ifndef ASL_DATAFLOW_H
#define ASL_DATAFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "definition.h"
#include "error.h"
#include "scope.h"

/*
 * InputPath / OutputPath: absent -> doc itself; null -> {}; a path ->
 * what it selects in doc (several matches of a query path are gathered in an
 * array). A path that matches nothing is States.Runtime (asl_path_not_found).
 */
bool		asl_apply_path_filter(const asl_opt_path *p, json_object *doc,
								  const asl_scope *scope, json_object **out, asl_error *err);

/* States.Runtime in AWS's words for a path that matched nothing in scope. Returns false. */
bool		asl_path_not_found(const asl_path *path, const asl_scope *scope, asl_error *err);

/* Parameters / ResultSelector / ItemSelector: no template -> scope->input itself. */
bool		asl_apply_template(const asl_template *tpl, const asl_scope *scope,
							   json_object **out, asl_error *err);

/*
 * ResultPath: absent or "$" -> result; null -> raw; a path -> a copy of raw
 * with result written there (States.ResultPathMatchFailure when it cannot be).
 */
bool		asl_apply_result_path(const asl_opt_path *p, json_object *raw, json_object *result,
								  json_object **out, asl_error *err);

/*
 * States.DataLimitExceeded when doc, a payload of state (its input after
 * Parameters, a task's result, its output, ...), is larger than limit bytes;
 * the cause is AWS's, whichever payload it is.
 */
bool		asl_check_size(json_object *doc, size_t limit, const char *state, asl_error *err);

/*
 * The size of one document a run measured, kept for the next state: its
 * input is that output, which a Choice passes on and a ResultPath into a
 * member of the root changes by one member. Documents are never changed in
 * place once made (dataflow.c, copy_for_assign), and the memo holds a
 * reference, so a document it names is the one it measured.
 */
typedef struct asl_size_memo
{
	json_object *doc;			/* a reference held; NULL: none */
	size_t		size;			/* its exact size, at most the limit */
} asl_size_memo;

/* asl_check_size of a state's output, with memo (may be NULL): used and updated. */
bool		asl_check_output_size(json_object *output, size_t limit, const char *state, asl_error *err,
								  asl_size_memo *memo);

/*
 * The same for output = OutputPath(combined), combined = ResultPath p of
 * result into raw: when output is combined, p a member of the root and raw's
 * size kept, only the member is measured.
 */
bool		asl_check_result_size(const asl_opt_path *p, json_object *raw, json_object *combined,
								  json_object *output, size_t limit, const char *state, asl_error *err,
								  asl_size_memo *memo);

/* Releases what memo holds. */
void		asl_size_memo_clear(asl_size_memo *memo);

/* Adds key: value to obj, taking value's reference; false (value put) when out of memory. */
bool		asl_json_add(json_object *obj, const char *key, json_object *value);

/*
 * The same for a key that is a string literal (the macro takes nothing else):
 * json-c keeps the literal where it would copy the key, and free the copy
 * with the object. Events are built for every state, and copying their keys
 * was a fifth of what adding their members cost.
 */
bool		asl_json_add_static(json_object *obj, const char *key, json_object *value);
#define asl_json_add_literal(obj, key, value) asl_json_add_static((obj), "" key, (value))

#endif

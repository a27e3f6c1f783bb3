/*
 * jn_fn.h — the built-in function tables and what their files share.
 */
#ifndef JN_FN_H
#define JN_FN_H

#include "jsonata/jn_internal.h"
#include "jsonata/jn_liberr.h"

#define JN_BUILTIN(n, s, f, a) {.name = (n), .signature = (s), .fn = (f), .arity = (a)}

/* each table ends with a NULL name */
extern jn_builtin jn_fn_strings[];
extern jn_builtin jn_fn_regex[];
extern jn_builtin jn_fn_numbers[];
extern jn_builtin jn_fn_arrays[];
extern jn_builtin jn_fn_objects[];
extern jn_builtin jn_fn_format[];
extern jn_builtin jn_fn_dates[];
extern jn_builtin jn_fn_aws[];	/* AWS Step Functions additions; first: its
								 * $random takes a seed */

/* every table above, in lookup order, ending with NULL (jn_fn_registry.c) */
extern jn_builtin *const jn_builtin_tables[];

/* a malloc'd string from the support library, copied into the arena and freed */
jv		   *jn_take_str(jn_ctx *C, char *s, size_t len);

/* a support library error as the evaluation's error */
jv		   *jn_lib_fail(jn_ctx *C, const jn_liberr *e);

#endif

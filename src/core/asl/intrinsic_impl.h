/*
 * intrinsic_impl.h — what the intrinsic module's files share: the compiled
 * form, the function table (intrinsic_parse.c parses against it,
 * intrinsic_functions.c evaluates), and the helpers the functions use.
 * Private to the module.
 */
#ifndef ASL_INTRINSIC_IMPL_H
#define ASL_INTRINSIC_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "error.h"
#include "intrinsic.h"
#include "path.h"
#include "strbuf.h"

typedef enum intrinsic_arg_kind
{
	ARG_LITERAL,				/* 'text', 12, -1.5e3, true, false, null */
	ARG_PATH,					/* $..., $$..., $name... */
	ARG_CALL					/* States.Fn(...) */
} intrinsic_arg_kind;

typedef struct intrinsic_arg
{
	intrinsic_arg_kind kind;
	size_t		offset;			/* where the argument starts in the text */
	json_object *literal;		/* ARG_LITERAL; NULL for null */
	char	   *raw;			/* string literal as written between the
								 * quotes */
	asl_path   *path;			/* ARG_PATH */
	asl_intrinsic *call;		/* ARG_CALL */
} intrinsic_arg;

typedef struct intrinsic_def intrinsic_def;

/* Evaluates a function over its argument values (borrowed; NULL is json null). */
typedef bool (*intrinsic_impl) (const asl_intrinsic *fn, json_object **vals,
								json_object **out, asl_error *err);

struct intrinsic_def
{
	const char *name;			/* "States.Format" */
	int			min_args;
	int			max_args;		/* -1: no limit */

	/*
	 * Expected type of each argument, one letter each, the last one
	 * repeating: s string, n number, b boolean, a array, o object, v string,
	 * number, boolean or null, * anything. Literal arguments are checked at
	 * compile time; every function checks its values again when it runs.
	 */
	const char *types;
	intrinsic_impl impl;
};

struct asl_intrinsic
{
	const intrinsic_def *def;
	size_t		offset;			/* where "States." starts in the text */
	size_t		nargs;
	intrinsic_arg *args;
};

/* The function called name (len bytes, "States." included), or NULL. */
const intrinsic_def *intrinsic_lookup(const char *name, size_t len);

/* The type letter expected for argument i (0-based) of def. */
char		intrinsic_arg_type(const intrinsic_def *def, size_t i);

/* ---- for the functions (intrinsic_functions.c defines these) ---- */

/* Sets States.IntrinsicFailure, the cause starting with the function's name. Returns false. */
bool		intrinsic_failure(asl_error *err, const asl_intrinsic *fn, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* IntrinsicFailure "argument i+1 (what) must be wanted, got <v>". Returns false. */
bool		intrinsic_bad_arg(asl_error *err, const asl_intrinsic *fn, size_t i, const char *what,
							  const char *wanted, json_object *v);

/* Sets an out-of-memory error. Returns false. */
bool		intrinsic_out_of_memory(asl_error *err);

/* Argument i must be a string; *s and *len borrow it. */
bool		intrinsic_want_string(const asl_intrinsic *fn, json_object **vals, size_t i,
								  const char *what, const char **s, size_t *len, asl_error *err);

/* A growable byte buffer; zero-initialise it. */
/* Hands the buffer over as a json string in *out; frees it either way. */
bool		intrinsic_buf_to_string(asl_strbuf *b, json_object **out, asl_error *err);

/* Appends v to arr, consuming the reference v. */
bool		intrinsic_array_add(json_object *arr, json_object *v, asl_error *err);

/* ---- the text functions (intrinsic_strings.c) ---- */

bool		intrinsic_base64_encode(const asl_intrinsic *fn, json_object **vals,
									json_object **out, asl_error *err);
bool		intrinsic_base64_decode(const asl_intrinsic *fn, json_object **vals,
									json_object **out, asl_error *err);
bool		intrinsic_hash(const asl_intrinsic *fn, json_object **vals,
						   json_object **out, asl_error *err);
bool		intrinsic_string_split(const asl_intrinsic *fn, json_object **vals,
								   json_object **out, asl_error *err);
bool		intrinsic_uuid(const asl_intrinsic *fn, json_object **vals,
						   json_object **out, asl_error *err);

#endif

/*
 * jsonata.h — JSONata 2.0.6 in C: compile an expression once, evaluate it many
 * times against json-c documents.
 *
 * Errors are values: every failure fills a jn_error with JSONata's code
 * (S0xxx syntax, T1xxx/T2xxx type, D1xxx-D3xxx dynamic, U1001 guard), the
 * character position in the expression and a message. Nothing longjmps.
 * Evaluation is bounded: nesting depth, a step budget, an arena size, and a
 * cancel callback the host polls (a query cancel or statement_timeout).
 */
#ifndef JSONATA_H
#define JSONATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* Which guard rail stopped an evaluation (code U1001). */
typedef enum jn_limit
{
	JN_LIMIT_NONE,
	JN_LIMIT_MEMORY,			/* memory_limit */
	JN_LIMIT_DEPTH,				/* max_depth: non-tail recursion */
	JN_LIMIT_STEPS,				/* max_steps */
	JN_LIMIT_CANCEL				/* the cancel callback */
} jn_limit;

typedef struct jn_error
{
	char		code[8];		/* "" when no error */
	int			position;		/* character offset in the expression, -1
								 * unknown */
	char		token[64];
	char		message[512];
	jn_limit	limit;			/* for U1001 */
} jn_error;

typedef struct jn_expr jn_expr;

typedef struct jn_options
{
	int			max_depth;		/* nested evaluations; 0: default (2000) */
	uint64_t	max_steps;		/* evaluation steps; 0: unbounded */
	size_t		memory_limit;	/* bytes of values; 0: default (256 MB) */
	/* polled every few thousand steps; returning true stops with U1001 */
	bool		(*cancel) (void *arg);
	void	   *cancel_arg;

	/*
	 * milliseconds since the epoch for $now()/$millis(); NULL: the system
	 * clock
	 */
	double		(*clock) (void *arg);
	void	   *clock_arg;

	/*
	 * As AWS Step Functions writes results: a result holding, at any depth, a
	 * function or regex is the error JN_ERR_NOT_JSON rather than "" (the
	 * JSONata suite's convention), and a non-finite number is the string
	 * "Infinity", "-Infinity" or "NaN" (as Jackson writes it) rather than
	 * null.
	 */
	bool		json_only;
} jn_options;

/* jn_error.code of a result JSON cannot represent (opts->json_only). */
#define JN_ERR_NOT_JSON "NOTJSON"

/* jn_error.code when jn_evaluate_values' callback failed on its own account. */
#define JN_ERR_HOST "HOST"

/* Compiles an expression; NULL with err filled on a syntax error. */
jn_expr    *jn_compile(const char *text, size_t len, jn_error *err);
void		jn_expr_free(jn_expr *expr);

/*
 * True when the expression refers to a field at the top level: a path whose
 * first step is a bare name (`phone`, `Account.Order`), outside any path step
 * after the first, predicate or lambda. name and len give the name (not
 * NUL-terminated), pos its character offset. AWS Step Functions refuses such
 * expressions: its expressions have no context but $states and variables.
 */
bool		jn_expr_top_level_name(const jn_expr *expr, const char **name, size_t *len, int *pos);

/*
 * Evaluates against input (has_input false: undefined input; json-c's NULL is null) with variables from
 * bindings (a json object or NULL). Returns 0 and sets *result (NULL when the
 * result is undefined; otherwise a new json-c value the caller puts, which may
 * itself be NULL for JSON null: check *is_undefined) or -1 with err filled.
 */
int			jn_evaluate(const jn_expr *expr, json_object *input, bool has_input, json_object *bindings,
						const jn_options *opts, json_object **result, bool *is_undefined,
						jn_error *err);

/* The evaluator's values (jn_value.h), for hosts that build them directly. */
struct jv;
struct jv_walk;

/*
 * Reads the result r (never undefined; a function when the expression gave
 * one) while its evaluation's arena lives. w bounds the walk (items polled,
 * depth, bytes: see jv_walk); returns false when it stopped: w->stopped says
 * why, or JV_STOP_NONE for a failure of the host's own (JN_ERR_HOST).
 */
typedef bool (*jn_emit_fn) (void *arg, const struct jv *r, struct jv_walk *w);

/*
 * jn_evaluate over values the host built (NULL input: undefined; bindings an
 * object or NULL), in an arena of its own that outlives the evaluation: the
 * evaluation refers to them, never changes them, so several evaluations may
 * share them. The result goes to emit; *is_undefined as for jn_evaluate.
 */
int			jn_evaluate_values(const jn_expr *expr, struct jv *input, struct jv *bindings,
							   const jn_options *opts, jn_emit_fn emit, void *emit_arg,
							   bool *is_undefined, jn_error *err);

#endif

/*
 * jn_internal.h — what the JSONata parser, evaluator and built-ins share:
 * the syntax tree, function signatures, functions as values, the evaluation
 * context and its error handling.
 */
#ifndef JN_INTERNAL_H
#define JN_INTERNAL_H

#include "jsonata/jn_value.h"
#include "jsonata/jsonata.h"
#include "jsonata/jn_regex.h"

typedef enum jn_ntype
{
	N_PATH, N_BINARY, N_UNARY, N_NAME, N_STRING, N_NUMBER, N_VALUE,
	N_WILDCARD, N_DESCENDANT, N_PARENT, N_CONDITION, N_BLOCK, N_BIND,
	N_REGEX, N_FUNCTION, N_PARTIAL, N_VARIABLE, N_LAMBDA, N_APPLY,
	N_TRANSFORM, N_SORT, N_OPERATOR, N_FILTER, N_INDEX, N_END
} jn_ntype;

typedef struct jn_slot
{
	const char *label;
	int			level;
	int			index;
} jn_slot;

typedef struct jn_node jn_node;

typedef struct jn_list
{
	jn_node   **v;
	int			n;
	int			cap;
} jn_list;

typedef struct jn_slots
{
	jn_slot   **v;
	int			n;
	int			cap;
} jn_slots;

typedef struct jn_group
{
	jn_list		keys;
	jn_list		vals;
	int			pos;
} jn_group;

/* a parameter of a signature */
typedef struct jn_param
{
	char		type;			/* a b n s o l f j x or '(' for a choice */
	char		set[12];		/* symbols this parameter accepts (incl. 'm'
								 * when allowed) */
	char		subtype[16];	/* a<n>: "n"; f<...>: ignored */
	char		mod;			/* 0, '?', '+' */
	bool		context;		/* '-': the context stands in when missing */
} jn_param;

typedef struct jn_sig
{
	jn_param	p[16];
	int			n;
} jn_sig;

struct jn_node
{
	jn_ntype	type;
	int			pos;
	const char *value;			/* operator, name, variable */
	size_t		vlen;
	jv		   *lit;			/* string/number/value literal */
	jn_node    *lhs,
			   *rhs,
			   *expr;
	jn_list		items;			/* array items, block expressions, call args,
								 * path steps, sort terms, lambda params */
	jn_list		keys,
				vals;			/* object constructor pairs */
	jn_list		stages;			/* filters and index stages of a step */
	jn_list		predicate;		/* filters on a non-step expression */
	jn_group   *group;
	const char *focus;
	const char *index;
	jn_slot    *ancestor;
	jn_slot    *slot;			/* parent operator */
	jn_slots	seeking;
	bool		has_seeking;
	bool		keep_array;
	bool		keep_singleton;
	bool		consarray;
	bool		tuple;
	bool		thunk;
	bool		descending;
	jn_node    *cond,
			   *then,
			   *els;
	jn_node    *proc;
	jn_node    *body;
	jn_sig	   *sig;
	jn_node    *pattern,
			   *update,
			   *del;
	jn_regex   *re;				/* a regex literal, compiled */
	const char *re_src;
	bool		re_icase,
				re_multi;
};

/* ---- functions as values ---- */
typedef struct jn_ctx jn_ctx;
typedef struct jn_frame jn_frame;

typedef jv *(*jn_builtin_fn) (jn_ctx *C, jv **args, int nargs, jv *input);

typedef struct jn_builtin
{
	const char *name;
	const char *signature;
	jn_builtin_fn fn;
	int			arity;
	jn_sig		sig;
	bool		sig_parsed;
} jn_builtin;

typedef enum jn_fkind
{
	F_LAMBDA, F_BUILTIN, F_PARTIAL_BUILTIN, F_REGEX, F_CHAIN, F_TRANSFORM
} jn_fkind;

struct jn_func
{
	jn_fkind	kind;
	const jn_node *node;		/* lambda, regex literal, transform */
	jv		   *input;			/* lambda: the focus it was defined on */
	jn_frame   *env;
	jn_list		params;			/* lambda: parameter variables (after partial
								 * application) */
	const jn_sig *sig;
	bool		thunk;
	jn_builtin *builtin;
	jv		  **bound;			/* partial builtin: arguments, NULL slots are
								 * placeholders */
	bool	   *hole;
	int			nbound;
	jv		   *f1,
			   *f2;				/* chain: f2(f1(x)) */
	int			arity;

	/*
	 * Where the function was last called, as JSONata keeps it on the function
	 * object: an error escaping a call of it is reported there (an error in a
	 * lambda's body at the call site), named by its name there if the error
	 * names no token.
	 */
	bool		called;			/* callpos set */
	int			callpos;
	const char *calltok;		/* NULL: the call named none */
	size_t		calltoklen;
};

struct jn_frame
{
	jn_frame   *parent;
	const char **names;
	size_t	   *nlen;
	jv		  **vals;
	int			n;
	int			cap;
};

struct jn_ctx
{
	jn_arena	arena;
	jn_error   *err;
	bool		failed;
	int			depth;
	int			max_depth;
	uint64_t	steps;
	uint64_t	max_steps;
	bool		(*cancel) (void *);
	void	   *cancel_arg;
	double		now;			/* the evaluation's timestamp, ms (read on
								 * first use) */
	bool		now_read;
	double		(*clock) (void *);
	void	   *clock_arg;
	const jn_expr *expr;
	uint64_t	rng;
};

struct jn_expr
{
	jn_arena	arena;
	jn_node    *root;
	void	  **regexes;
	int			nregex;
	int			capregex;
	char	   *source;
};

/* ---- errors ---- */
/* U1001 (JN_LIMIT_MEMORY) with its own message: a builtin's size bound */
jv		   *jn_fail_memory(jn_ctx *C, const char *message);
jv		   *jn_fail(jn_ctx *C, const char *code, int pos, const char *fmt,...)
			__attribute__((format(printf, 4, 5)));
jv		   *jn_oom(jn_ctx *C);

/* run an expression; on failure return NULL from the calling function */
#define TRY(x) __extension__ ({ jv *t_ = (x); if (C->failed) return NULL; t_; })
#define NEW(x) __extension__ ({ jv *n_ = (x); if (n_ == NULL) return jn_oom(C); n_; })
#define PUSH(arr, item) do { if (!jv_push(&C->arena, (arr), (item))) return jn_oom(C); } while (0)
#define ITEMS(arr) do { if (((arr)->flags & JA_RANGE) && !jv_materialise(&C->arena, (arr))) return jn_oom(C); } while (0)

/* ---- parser, signatures ---- */
jn_node    *jn_parse(jn_expr *e, const char *src, size_t len, jn_error *err);

/*
 * The position JSONata reports for an error found at byte offset start of
 * src (the start of a token, as the parser and evaluator record them): the
 * offset just past that token, in UTF-16 code units, as JavaScript indexes
 * the expression string; for the lexer's own errors (S01xx: a string, a
 * name or a comment left open, a bad escape) where it stopped; for a
 * signature's (S04xx) the offset itself. -1 stays -1 (unknown).
 */
int			jn_error_position(const char *src, size_t len, const char *code, int start);

/*
 * NULL, or the error code (S0401, S0402) with *at the offset in text where
 * it was found (JSONata's offset into the signature).
 */
const char *jn_sig_parse(const char *text, size_t len, jn_sig *sig, size_t *at);

/* validates and returns the argument vector to pass (context substituted, arrays wrapped) */
jv		  **jn_sig_validate(jn_ctx *C, const jn_sig *sig, jv **args, int nargs, jv *context, int *nout);

/* ---- evaluator services the built-ins use ---- */
jv		   *jn_apply(jn_ctx *C, jv *proc, jv **args, int nargs, jv *input);
int			jn_func_arity(const jv *f);

/* apply with as many of (a1, a2, a3) as the function takes */
jv		   *jn_apply_hof(jn_ctx *C, jv *f, jv *a1, jv *a2, jv *a3);
bool		jn_boolean(const jv *v, bool *defined);
jv		   *jn_string_of(jn_ctx *C, jv *v, bool pretty);
jv		   *jn_seq(jn_ctx *C);

/* a field of an object, or of each object in an array (flattened one level) */
jv		   *jn_lookup(jn_ctx *C, jv *input, const char *key, size_t klen);
jv		   *jn_append(jn_ctx *C, jv *a, jv *b);
jv		   *jn_deep_clone(jn_ctx *C, jv *v);
bool		jn_is_array_of(const jv *v, jn_type t);
const char *jn_type_name(const jv *v);

jn_builtin *jn_builtin_lookup(const char *name, size_t len);

/* the evaluation's timestamp ($now, $millis): the same for the whole evaluation */
double		jn_now(jn_ctx *C);

/* pseudo-random bits for $random and $shuffle (xorshift64*, seeded from the timestamp) */
uint64_t	jn_random_u64(jn_ctx *C);
jv		   *jn_regex_func(jn_ctx *C, const jn_node *node);
jv		   *jn_regex_exec(jn_ctx *C, const jv *re, const char *s, size_t len);

jv		   *jv_new_func(jn_ctx *C, jn_fkind kind);

/*
 * One step of a builtin's own long loop (a regex search polls it at every
 * start position): counts a step and asks the host's cancel callback now;
 * false, with the guard rail's U1001 set, past the step budget or when
 * cancelled.
 */
extern bool jn_poll(jn_ctx *C, int pos);

/*
 * A walk over a value for this evaluation: polls jn_poll, its byte budget
 * what the arena has left of the memory limit.
 */
extern jv_walk jn_walk(jn_ctx *C);

/* Fails C as the walk's stop says (depth, memory; a poll failed C already). */
extern jv  *jn_walk_failed(jn_ctx *C, const jv_walk *w);

/* U1001 (JN_LIMIT_DEPTH): a value nests deeper than JN_MAX_NESTING. */
extern jv  *jn_too_deep(jn_ctx *C);

#endif

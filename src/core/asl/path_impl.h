/*
 * path_impl.h — the compiled form of a JSONPath, shared by the files that
 * build it (path_parse.c), read it (path_exec.c, path.c) and write through it
 * (path_assign.c). Not an interface: callers use path.h.
 *
 * A path compiles to a list of segments; a filter compiles to a small
 * expression tree whose operands are literals or paths relative to "@" or
 * "$". Compiled paths are read-only and may be shared between concurrent
 * evaluations.
 */
#ifndef ASL_PATH_IMPL_H
#define ASL_PATH_IMPL_H

#include <stdint.h>

#include "path.h"
#include "compare_op.h"

/* Parentheses, '!' and filters inside filters, in the text. */
#define MAX_NESTING		64
/* Document levels a deep scan, a filter or a cycle check may descend. */
#define MAX_DEPTH		1000
/* Nodes one segment may produce, and nodes one evaluation may visit. */
#define MAX_MATCHES		((size_t) 1 << 22)
#define MAX_VISITS		((long) 1 << 24)

typedef struct expr expr;

typedef enum seg_kind
{
	SEG_NAME,					/* .name, ['name'] */
	SEG_INDEX,					/* [n], [-n] */
	SEG_WILDCARD,				/* .*, [*] */
	SEG_SLICE,					/* [from:to:step] */
	SEG_NAMES,					/* ['a','b'] */
	SEG_INDEXES,				/* [0,2] */
	SEG_FILTER					/* [?(...)] */
} seg_kind;

typedef struct segment
{
	seg_kind	kind;
	bool		deep;			/* preceded by ".." */
	size_t		start;			/* offset of the segment in the text */
	char	   *name;			/* SEG_NAME */
	int64_t		index;			/* SEG_INDEX */
	bool		has_from;		/* SEG_SLICE */
	bool		has_to;
	int64_t		from;
	int64_t		to;
	int64_t		step;
	size_t		count;			/* SEG_NAMES, SEG_INDEXES */
	char	  **names;
	int64_t    *indexes;
	expr	   *filter;			/* SEG_FILTER */
} segment;

typedef struct seglist
{
	segment    *items;
	size_t		count;
	size_t		capacity;
} seglist;

typedef enum operand_kind
{
	OPD_LITERAL,
	OPD_CURRENT,				/* @... */
	OPD_ROOT					/* $... */
} operand_kind;

typedef struct operand
{
	operand_kind kind;
	json_object *literal;		/* OPD_LITERAL; NULL is the null literal */
	seglist		path;			/* OPD_CURRENT, OPD_ROOT */
	bool		definite;
} operand;

typedef enum expr_kind
{
	EXPR_OR,
	EXPR_AND,
	EXPR_NOT,
	EXPR_EXISTS,
	EXPR_COMPARE
} expr_kind;

struct expr
{
	expr_kind	kind;
	expr	  **children;		/* OR, AND (n-ary, so long chains do not
								 * recurse), NOT */
	size_t		count;
	size_t		capacity;
	cmp_op		op;
	operand		left;			/* EXISTS, COMPARE */
	operand		right;			/* COMPARE */
};

struct asl_path
{
	char	   *text;
	asl_path_root root;
	char	   *variable;
	seglist		segments;
	bool		definite;
};

/* Free what a segment or a filter owns (path.c). */
void		segment_free(segment *s);
void		expr_free(expr *e);

/* The first segment a reference path may not have, or NULL. */
const segment *asl_path_first_non_reference(const seglist *segs);

#endif							/* ASL_PATH_IMPL_H */

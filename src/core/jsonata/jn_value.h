/*
 * jn_value.h — JSONata values during an evaluation.
 *
 * Every value of one evaluation lives in that evaluation's arena and is freed
 * with it, so closures, tuples and shared sub-documents need no reference
 * counting. A NULL jv pointer is JSONata's "undefined". Arrays carry the
 * sequence flags of the reference implementation (a sequence, keep-singleton,
 * the outer wrapper of an array input, an explicitly constructed array, a
 * tuple stream); a range may stay lazy (start + length) until its items are
 * needed, so `[1..10000000] ~> $count()` allocates nothing.
 */
#ifndef JN_VALUE_H
#define JN_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

typedef enum jn_type
{
	JV_NULL,
	JV_BOOL,
	JV_NUM,
	JV_STR,
	JV_ARR,
	JV_OBJ,
	JV_FUNC
} jn_type;

/* array flags */
#define JA_SEQ		0x01		/* a sequence (flattens, singleton collapses) */
#define JA_KEEP		0x02		/* keep a singleton as an array ([] in a path) */
#define JA_OUTER	0x04		/* wraps an array given as input */
#define JA_CONS		0x08		/* built by an array constructor */
#define JA_TUPLES	0x10		/* a stream of tuples (focus, index, parent
								 * bindings) */
#define JA_RANGE	0x20		/* lazy range: items not materialised yet */

/*
 * JA_LAZY (on an array or an object): a container of the json-c input not
 * converted yet (u.lz holds its json_object and the evaluation's arena).
 * jv_from_json makes them; the first read through JV_A or JV_O converts one
 * level in place, the items or members being lazy in turn. Values built any
 * other way (eagerly, possibly shared by several evaluations) never carry
 * the flag, so reading them through JV_A / JV_O costs a flag test and never
 * writes.
 */
#define JA_LAZY		0x40

typedef struct jv jv;
typedef struct jn_obj jn_obj;
typedef struct jn_func jn_func;
typedef struct jn_arena jn_arena;

struct jv
{
	uint8_t		t;
	uint8_t		flags;
	union
	{
		bool		b;
		double		n;
		struct
		{
			const char *p;
			size_t		len;
		}			s;
		struct
		{
			jv		  **v;
			size_t		len;
			size_t		cap;
			double		start;	/* first number of a lazy range */
		}			a;
		jn_obj	   *o;
		jn_func    *f;
		struct
		{
			void	   *p;		/* a.v (NULL) or o (an empty jn_obj) */
			size_t		len;	/* a.len: 0 */
			json_object *src;	/* the container to convert */
			jn_arena   *arena;	/* the evaluation's, where it converts */
		}			lz;			/* JA_LAZY */
	}			u;
};

struct jn_obj
{
	const char **keys;
	size_t	   *klen;
	jv		  **vals;
	size_t		len;
	size_t		cap;
	int32_t    *hash;			/* open addressing over indexes, when large */
	size_t		hcap;
};

/* ---- arena ---- */
struct jn_chunk
{
	struct jn_chunk *next;
	size_t		size;
	size_t		off;
				_Alignas(16) char data[];
};

struct jn_arena
{
	struct jn_chunk *chunks;
	size_t		used;			/* bytes handed out, against limit */
	size_t		limit;			/* 0: unbounded */
	bool		exhausted;		/* a request went over the limit */
	struct jn_chunk *borrowed;	/* the caller's first chunk: not freed */
};

/* a new chunk, then n bytes of it (zeroed; NULL when over the limit) */
void	   *jn_alloc_chunk(jn_arena *a, size_t n);

/*
 * n zeroed bytes; NULL when over the limit. Inline: most requests are small
 * and of a constant size, so the zeroing is a few stores, not a call.
 */
static inline void *
jn_alloc(jn_arena *a, size_t n)
{
	struct jn_chunk *c = a->chunks;
	void	   *p;

	n = (n + 15) & ~(size_t) 15;
	if (c == NULL || c->off + n > c->size || (a->limit && a->used + n > a->limit))
		return jn_alloc_chunk(a, n);
	p = c->data + c->off;
	c->off += n;
	a->used += n;
	memset(p, 0, n);
	return p;
}

/*
 * Lends buf (size bytes, 16-aligned) to an empty arena as its first chunk:
 * small evaluations then need no malloc. jn_arena_free leaves it alone.
 */
void		jn_arena_lend(jn_arena *a, void *buf, size_t size);

char	   *jn_strndup(jn_arena *a, const char *s, size_t n);

/* makes room in an arena vector *v of n elements for one more (doubling *cap) */
bool		jn_grow(jn_arena *a, void **v, int n, int *cap, size_t elem);
void		jn_arena_free(jn_arena *a);

/*
 * A stable merge sort of n elements of size bytes; tmp has room for n.
 * after(ctx, a, b): a must come after b.
 */
void		jn_stable_sort(void *base, size_t n, size_t size, void *tmp,
						   bool (*after) (void *ctx, const void *a, const void *b), void *ctx);

/* ---- constructors (NULL when the arena is exhausted) ---- */
jv		   *jv_new_raw(jn_arena *a, jn_type t);
jv		   *jv_null(jn_arena *a);
jv		   *jv_bool(jn_arena *a, bool b);
jv		   *jv_num(jn_arena *a, double n);
jv		   *jv_str(jn_arena *a, const char *s, size_t len); /* copies */
jv		   *jv_str_ref(jn_arena *a, const char *s, size_t len); /* no copy */
jv		   *jv_arr(jn_arena *a, uint8_t flags);
jv		   *jv_obj(jn_arena *a);
jv		   *jv_range(jn_arena *a, double start, size_t len);

/* ---- arrays ---- */
bool		jv_push(jn_arena *a, jv *arr, jv *item);	/* false: out of memory */
bool		jv_materialise(jn_arena *a, jv *arr);	/* a lazy range gets its
													 * items */
#define JV_IS_SEQ(v) ((v) && (v)->t == JV_ARR && ((v)->flags & JA_SEQ))

/*
 * Converts one level of a JA_LAZY container in place (see JA_LAZY) and
 * returns it. When the arena's limit is hit it leaves a valid container
 * holding what it converted (possibly nothing) and the arena exhausted: the
 * evaluation then fails with its memory error (eval checks the arena).
 * Mutating the value is sound only because lazy values belong to one
 * evaluation: jv_from_json makes them in that evaluation's arena.
 */
jv		   *jv_force(jv *v);

/* v, converted when lazy: the only way to read an array's or object's contents */
static inline jv *
jv_ready(const jv *v)
{
	if (__builtin_expect(v->flags & JA_LAZY, 0))
		return jv_force((jv *) v);
	return (jv *) v;
}

/*
 * An array's fields (JV_A(v).v, .len, ...) and an object's jn_obj (JV_O(v)),
 * lazy ones converted first. Every read of a value that may come from the
 * input goes through these, in the core and in a host walking a result (a
 * result can hold a lazy part of the input).
 */
#define JV_A(v) (jv_ready(v)->u.a)
#define JV_O(v) (jv_ready(v)->u.o)

/* ---- objects ---- */
jv		   *jv_get(const jv *obj, const char *key, size_t klen);

/* FNV-1a over a name: objects' member tables and the builtin registry. */
uint32_t	jn_hash_name(const char *s, size_t n);
bool		jv_set(jn_arena *a, jv *obj, const char *key, size_t klen, jv *val);
void		jv_del(jv *obj, const char *key, size_t klen);

/*
 * Building a value whole, as a host's converter does: room for n items or
 * members, then members whose names the object does not have yet (a jsonb
 * object's, unique) appended without a search. false: out of memory.
 */
bool		jv_arr_reserve(jn_arena *a, jv *arr, size_t n);
bool		jv_obj_reserve(jn_arena *a, jv *obj, size_t n);
bool		jv_obj_append(jn_arena *a, jv *obj, const char *key, size_t klen, jv *val);

/* ---- conversions ---- */

/*
 * j's value in the evaluation's arena a: scalars converted, an array or
 * object a JA_LAZY shell (j must outlive the evaluation: strings and names
 * are referenced, containers converted on first read).
 */
jv		   *jv_from_json(jn_arena *a, json_object *j);

/*
 * j converted whole, no container left lazy: values a host keeps and lends
 * to several evaluations (jn_evaluate_values), which must never change them.
 * NULL when the arena's limit is hit or j nests deeper than JN_MAX_NESTING.
 */
jv		   *jv_from_json_whole(jn_arena *a, json_object *j);

/* how many lazy containers this thread has converted (for tests) */
size_t		jv_lazy_forced(void);

/*
 * How deep a walk over a value (conversion, printing, comparison, copy) may
 * go: each level is a C stack frame, and an evaluation can build a value
 * nested deeper than any stack (a tail-recursive function wrapping its
 * result a million times). Deeper than booking's documents (2000 levels).
 */
#define JN_MAX_NESTING 4000

/*
 * A walk over a value's items: its host is polled every 4096 items (a value
 * sharing sub-values, {"a": $v, "b": $v} built 30 times, has 2^30 items in
 * a small arena), and it stops past JN_MAX_NESTING. poll returning true
 * stops the walk too; stopped says why a walk gave up.
 */
typedef enum jv_stop
{
	JV_STOP_NONE,
	JV_STOP_DEPTH,				/* nested deeper than JN_MAX_NESTING */
	JV_STOP_POLL,				/* the host's poll said stop */
	JV_STOP_MEMORY				/* over the walk's byte budget (or malloc) */
} jv_stop;

typedef struct jv_walk
{
	bool		(*poll) (void *arg);
	void	   *arg;
	unsigned	count;
	size_t		budget;			/* bytes a conversion may allocate; SIZE_MAX:
								 * unbounded */
	jv_stop		stopped;
} jv_walk;

/* Counts one item of a walk; false when the walk must stop (its host said so). */
bool		jv_walk_step(jv_walk *w);

/* new json-c value (the caller owns it); undefined items of arrays become null */
json_object *jv_to_json(const jv *v);

/*
 * nonfinite_as_string: Infinity, -Infinity, NaN as those strings (Jackson),
 * not null. w (NULL: unbounded) bounds the walk and the bytes json-c
 * allocates (estimated); NULL with w->stopped set when it gave up.
 */
json_object *jv_to_json_ext(const jv *v, bool nonfinite_as_string, jv_walk *w);

/*
 * 1 when v holds, at any depth, a function (or regex): JSON has no value
 * for it; 0 when not; -1 when the walk w stopped
 */
int			jv_holds_function(const jv *v, jv_walk *w);

/* ---- comparisons, printing ---- */

/*
 * v as JSON.stringify writes it in JSONata's messages ({{value}}), cut to
 * fit buf (cap bytes); undefined and non-finite numbers are null.
 */
const char *jv_message_text(const jv *v, char *buf, size_t cap);

/* scalars and nesting within JN_MAX_NESTING (deeper: not equal) */
bool		jv_deep_equal(const jv *a, const jv *b);

/* 1 equal, 0 not, -1 when the walk w stopped (too deep, or its host) */
int			jv_deep_equal_walk(const jv *a, const jv *b, jv_walk *w);
bool		jv_is_integer(const jv *v);

#endif

/*
 * jn_value.c — arena, values, arrays, objects, json-c conversion, equality.
 */
#include "jsonata/jn_value.h"
#include "jsonata/jn_numfmt.h"
#include "jsonata/jn_liberr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)

/*
 * A few chunks freed by arenas, kept for the next evaluation on this thread:
 * freeing a 64 KB chunk at the heap's top lets malloc give the pages back to
 * the system, and the next evaluation then faults fresh zeroed pages in
 * again (in a PostgreSQL backend running one expression per row, page faults
 * and brk were a sixth of the time).
 */
#define SPARE_CHUNKS 4
static _Thread_local struct jn_chunk *spare_chunks;
static _Thread_local int spare_count;

void	   *
jn_alloc_chunk(jn_arena *a, size_t n)
{
	struct jn_chunk *c = a->chunks;
	void	   *p;

	n = (n + 15) & ~(size_t) 15;
	if (a->limit && a->used + n > a->limit)
	{
		a->exhausted = true;
		return NULL;
	}
	if (c == NULL || c->off + n > c->size)
	{
		size_t		size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;

		if (size == CHUNK_SIZE && spare_chunks != NULL)
		{
			c = spare_chunks;
			spare_chunks = c->next;
			spare_count--;
		}
		else
			c = malloc(sizeof(struct jn_chunk) + size);
		if (c == NULL)
		{
			a->exhausted = true;
			return NULL;
		}
		c->size = size;
		c->off = 0;
		if (size == n && a->chunks)
		{
			/* a big block: keep the current chunk in front for small ones */
			c->next = a->chunks->next;
			a->chunks->next = c;
		}
		else
		{
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	p = c->data + c->off;
	c->off += n;
	a->used += n;
	memset(p, 0, n);
	return p;
}

char	   *
jn_strndup(jn_arena *a, const char *s, size_t n)
{
	char	   *p = jn_alloc(a, n + 1);

	if (p)
	{
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

bool
jn_grow(jn_arena *a, void **v, int n, int *cap, size_t elem)
{
	int			newcap;
	void	   *grown;

	if (n < *cap)
		return true;
	newcap = *cap ? *cap * 2 : 4;
	grown = jn_alloc(a, (size_t) newcap * elem);
	if (grown == NULL)
		return false;
	if (n)
		memcpy(grown, *v, (size_t) n * elem);
	*v = grown;
	*cap = newcap;
	return true;
}

void
jn_stable_sort(void *base, size_t n, size_t size, void *tmp,
			   bool (*after) (void *ctx, const void *a, const void *b), void *ctx)
{
	char	   *v = base,
			   *t = tmp;
	size_t		mid = n / 2,
				i = 0,
				j = mid,
				k = 0;

	if (n < 2)
		return;
	jn_stable_sort(v, mid, size, tmp, after, ctx);
	jn_stable_sort(v + mid * size, n - mid, size, tmp, after, ctx);
	while (i < mid && j < n)
	{
		size_t		from = after(ctx, v + i * size, v + j * size) ? j++ : i++;

		memcpy(t + k++ * size, v + from * size, size);
	}
	memcpy(t + k * size, v + i * size, (mid - i) * size);
	k += mid - i;
	memcpy(t + k * size, v + j * size, (n - j) * size);
	memcpy(v, t, n * size);
}

void
jn_arena_lend(jn_arena *a, void *buf, size_t size)
{
	struct jn_chunk *c = buf;

	c->next = NULL;
	c->size = size - sizeof(struct jn_chunk);
	c->off = 0;
	a->chunks = c;
	a->borrowed = c;
}

void
jn_arena_free(jn_arena *a)
{
	struct jn_chunk *c = a->chunks;

	while (c)
	{
		struct jn_chunk *next = c->next;

		if (c == a->borrowed)
			;
		else if (c->size == CHUNK_SIZE && spare_count < SPARE_CHUNKS)
		{
			c->next = spare_chunks;
			spare_chunks = c;
			spare_count++;
		}
		else
			free(c);
		c = next;
	}
	a->chunks = NULL;
	a->borrowed = NULL;
	a->used = 0;
}

jv		   *
jv_new_raw(jn_arena *a, jn_type t)
{
	jv		   *v = jn_alloc(a, sizeof(jv));

	if (v)
		v->t = t;
	return v;
}

jv		   *
jv_null(jn_arena *a)
{
	return jv_new_raw(a, JV_NULL);
}

jv		   *
jv_bool(jn_arena *a, bool b)
{
	jv		   *v = jv_new_raw(a, JV_BOOL);

	if (v)
		v->u.b = b;
	return v;
}

jv		   *
jv_num(jn_arena *a, double n)
{
	jv		   *v = jv_new_raw(a, JV_NUM);

	if (v)
		v->u.n = n;
	return v;
}

jv		   *
jv_str_ref(jn_arena *a, const char *s, size_t len)
{
	jv		   *v = jv_new_raw(a, JV_STR);

	if (v)
	{
		v->u.s.p = s;
		v->u.s.len = len;
	}
	return v;
}

jv		   *
jv_str(jn_arena *a, const char *s, size_t len)
{
	char	   *copy = jn_strndup(a, s, len);

	return copy ? jv_str_ref(a, copy, len) : NULL;
}

jv		   *
jv_arr(jn_arena *a, uint8_t flags)
{
	jv		   *v = jv_new_raw(a, JV_ARR);

	/* flags copied from another array never make a lazy shell */
	if (v)
		v->flags = flags & ~JA_LAZY;
	return v;
}

jv		   *
jv_obj(jn_arena *a)
{
	jv		   *v = jv_new_raw(a, JV_OBJ);

	if (v && (JV_O(v) = jn_alloc(a, sizeof(jn_obj))) == NULL)
		return NULL;
	return v;
}

jv		   *
jv_range(jn_arena *a, double start, size_t len)
{
	jv		   *v = jv_arr(a, JA_RANGE);

	if (v)
	{
		JV_A(v).start = start;
		JV_A(v).len = len;
	}
	return v;
}

/* Grows arr to hold want items, in the arena. */
static bool
arr_reserve(jn_arena *a, jv *arr, size_t want)
{
	jv		  **grown;
	size_t		cap;

	if (want <= JV_A(arr).cap)
		return true;
	cap = JV_A(arr).cap ? JV_A(arr).cap * 2 : 4;
	while (cap < want)
		cap *= 2;
	grown = jn_alloc(a, cap * sizeof(jv *));
	if (grown == NULL)
		return false;
	if (JV_A(arr).len)
		memcpy(grown, JV_A(arr).v, JV_A(arr).len * sizeof(jv *));
	JV_A(arr).v = grown;
	JV_A(arr).cap = cap;
	return true;
}

bool
jv_materialise(jn_arena *a, jv *arr)
{
	size_t		n = JV_A(arr).len;
	double		start = JV_A(arr).start;

	if (!(arr->flags & JA_RANGE))
		return true;
	JV_A(arr).len = 0;
	JV_A(arr).cap = 0;
	JV_A(arr).v = NULL;
	if (!arr_reserve(a, arr, n))
		return false;
	for (size_t i = 0; i < n; i++)
	{
		jv		   *num = jv_num(a, start + (double) i);

		if (num == NULL)
			return false;
		JV_A(arr).v[i] = num;
	}
	JV_A(arr).len = n;
	arr->flags &= ~JA_RANGE;
	return true;
}

bool
jv_push(jn_arena *a, jv *arr, jv *item)
{
	if ((arr->flags & JA_RANGE) && !jv_materialise(a, arr))
		return false;
	if (!arr_reserve(a, arr, JV_A(arr).len + 1))
		return false;
	JV_A(arr).v[JV_A(arr).len++] = item;
	return true;
}

/* ---- objects ---- */

uint32_t
jn_hash_name(const char *s, size_t n)
{
	uint32_t	h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char) s[i]) * 16777619u;
	return h;
}

/* The index of member key in o (by its hash table once it has one), or -1. */
static long
obj_find(const jn_obj *o, const char *key, size_t klen)
{
	if (o->hash)
	{
		size_t		mask = o->hcap - 1;
		size_t		h = jn_hash_name(key, klen) & mask;

		for (;;)
		{
			int32_t		i = o->hash[h];

			if (i < 0)
				return -1;
			if (o->klen[i] == klen && memcmp(o->keys[i], key, klen) == 0)
				return i;
			h = (h + 1) & mask;
		}
	}
	for (size_t i = 0; i < o->len; i++)
		if (o->klen[i] == klen && memcmp(o->keys[i], key, klen) == 0)
			return (long) i;
	return -1;
}

/* Rebuilds o's hash table, at least twice its capacity. */
static bool
obj_rehash(jn_arena *a, jn_obj *o)
{
	size_t		hcap = 16;

	while (hcap < o->cap * 2)
		hcap *= 2;
	o->hash = jn_alloc(a, hcap * sizeof(int32_t));
	if (o->hash == NULL)
		return false;
	o->hcap = hcap;
	memset(o->hash, 0xff, hcap * sizeof(int32_t));
	for (size_t i = 0; i < o->len; i++)
	{
		size_t		h = jn_hash_name(o->keys[i], o->klen[i]) & (hcap - 1);

		while (o->hash[h] >= 0)
			h = (h + 1) & (hcap - 1);
		o->hash[h] = (int32_t) i;
	}
	return true;
}

/* Appends a member to o, which has room for it and no member of that name. */
static bool
obj_push(jn_arena *a, jn_obj *o, const char *key, size_t klen, jv *val)
{
	o->keys[o->len] = key;
	o->klen[o->len] = klen;
	o->vals[o->len] = val;
	o->len++;
	if (o->hash)
	{
		size_t		h = jn_hash_name(key, klen) & (o->hcap - 1);

		while (o->hash[h] >= 0)
			h = (h + 1) & (o->hcap - 1);
		o->hash[h] = (int32_t) (o->len - 1);
	}
	else if (o->len > 8 && !obj_rehash(a, o))
		return false;
	return true;
}

jv		   *
jv_get(const jv *obj, const char *key, size_t klen)
{
	long		i;

	if (obj == NULL || obj->t != JV_OBJ)
		return NULL;
	i = obj_find(JV_O(obj), key, klen);
	return i < 0 ? NULL : JV_O(obj)->vals[i];
}

bool
jv_set(jn_arena *a, jv *obj, const char *key, size_t klen, jv *val)
{
	jn_obj	   *o = JV_O(obj);
	long		i = obj_find(o, key, klen);

	if (i >= 0)
	{
		o->vals[i] = val;
		return true;
	}
	if (o->len == o->cap)
	{
		size_t		cap = o->cap ? o->cap * 2 : 4;
		const char **keys = jn_alloc(a, cap * sizeof(char *));
		size_t	   *klens = jn_alloc(a, cap * sizeof(size_t));
		jv		  **vals = jn_alloc(a, cap * sizeof(jv *));

		if (!keys || !klens || !vals)
			return false;
		if (o->len)
		{
			memcpy(keys, o->keys, o->len * sizeof(char *));
			memcpy(klens, o->klen, o->len * sizeof(size_t));
			memcpy(vals, o->vals, o->len * sizeof(jv *));
		}
		o->keys = keys;
		o->klen = klens;
		o->vals = vals;
		o->cap = cap;
		o->hash = NULL;
	}
	return obj_push(a, o, key, klen, val);
}

void
jv_del(jv *obj, const char *key, size_t klen)
{
	jn_obj	   *o = JV_O(obj);
	long		i = obj_find(o, key, klen);

	if (i < 0)
		return;
	memmove(o->keys + i, o->keys + i + 1, (o->len - i - 1) * sizeof(char *));
	memmove(o->klen + i, o->klen + i + 1, (o->len - i - 1) * sizeof(size_t));
	memmove(o->vals + i, o->vals + i + 1, (o->len - i - 1) * sizeof(jv *));
	o->len--;
	if (o->hash)
	{
		/* rebuild in place: the table is big enough */
		memset(o->hash, 0xff, o->hcap * sizeof(int32_t));
		for (size_t k = 0; k < o->len; k++)
		{
			size_t		h = jn_hash_name(o->keys[k], o->klen[k]) & (o->hcap - 1);

			while (o->hash[h] >= 0)
				h = (h + 1) & (o->hcap - 1);
			o->hash[h] = (int32_t) k;
		}
	}
}

/* ---- building values whole (a host's own converter) ---- */

bool
jv_arr_reserve(jn_arena *a, jv *arr, size_t n)
{
	return arr_reserve(a, arr, n);
}

bool
jv_obj_reserve(jn_arena *a, jv *obj, size_t n)
{
	jn_obj	   *o = JV_O(obj);

	if (n <= o->cap || o->len > 0)
		return true;
	o->keys = jn_alloc(a, n * sizeof(char *));
	o->klen = jn_alloc(a, n * sizeof(size_t));
	o->vals = jn_alloc(a, n * sizeof(jv *));
	if (!o->keys || !o->klen || !o->vals)
		return false;
	o->cap = n;
	return true;
}

bool
jv_obj_append(jn_arena *a, jv *obj, const char *key, size_t klen, jv *val)
{
	jn_obj	   *o = JV_O(obj);

	if (o->len == o->cap)
		return jv_set(a, obj, key, klen, val);
	return obj_push(a, o, key, klen, val);
}

/* ---- json-c ---- */

/*
 * Lazy conversion (JA_LAZY in jn_value.h): jv_from_json converts scalars and
 * leaves each array or object as a shell holding its json_object, which the
 * first JV_A / JV_O converts one level at a time. An expression over a large
 * document then converts the path it walks, not the whole document on every
 * evaluation. The json-c input outlives the evaluation (strings and names are
 * referenced, not copied, as before).
 */
static _Thread_local size_t lazy_forced;

size_t
jv_lazy_forced(void)
{
	return lazy_forced;
}

jv		   *
jv_from_json(jn_arena *a, json_object *j)
{
	jv		   *v;

	switch (json_object_get_type(j))
	{
		case json_type_null:
			return jv_null(a);
		case json_type_boolean:
			return jv_bool(a, json_object_get_boolean(j));
		case json_type_int:
			{
				int64_t		i = json_object_get_int64(j);

				if (i == INT64_MAX)
					return jv_num(a, (double) json_object_get_uint64(j));
				return jv_num(a, (double) i);
			}
		case json_type_double:
			return jv_num(a, json_object_get_double(j));
		case json_type_string:
			return jv_str_ref(a, json_object_get_string(j), (size_t) json_object_get_string_len(j));
		case json_type_array:
			v = jv_new_raw(a, JV_ARR);
			if (v == NULL)
				return NULL;
			break;
		case json_type_object:
			/* the shell and its (empty) jn_obj in one piece */
			v = jn_alloc(a, sizeof(jv) + sizeof(jn_obj));
			if (v == NULL)
				return NULL;
			v->t = JV_OBJ;
			v->u.lz.p = (char *) v + sizeof(jv);
			break;
		default:
			return NULL;
	}
	v->flags = JA_LAZY;
	v->u.lz.src = j;
	v->u.lz.arena = a;
	return v;
}

/* Converts every lazy container under v; false when the arena or depth ran out. */
static bool
force_whole(jn_arena *a, jv *v, int depth)
{
	if (v == NULL || (v->t != JV_ARR && v->t != JV_OBJ))
		return true;
	if (depth >= JN_MAX_NESTING)
		return false;
	jv_force(v);
	if (a->exhausted)
		return false;
	if (v->t == JV_ARR)
	{
		for (size_t i = 0; i < v->u.a.len; i++)
			if (!force_whole(a, v->u.a.v[i], depth + 1))
				return false;
	}
	else
	{
		for (size_t i = 0; i < v->u.o->len; i++)
			if (!force_whole(a, v->u.o->vals[i], depth + 1))
				return false;
	}
	return true;
}

jv		   *
jv_from_json_whole(jn_arena *a, json_object *j)
{
	jv		   *v = jv_from_json(a, j);

	return v != NULL && force_whole(a, v, 0) ? v : NULL;
}

jv		   *
jv_force(jv *v)
{
	json_object *j = v->u.lz.src;
	jn_arena   *a = v->u.lz.arena;

	if (!(v->flags & JA_LAZY))
		return v;
	lazy_forced++;
	/* from here on a valid container, whatever fails */
	v->flags &= ~JA_LAZY;
	if (v->t == JV_ARR)
	{
		size_t		n = json_object_array_length(j);

		v->u.a.v = NULL;
		v->u.a.len = 0;
		v->u.a.cap = 0;
		v->u.a.start = 0;
		if (n == 0)
			return v;
		v->u.a.v = jn_alloc(a, n * sizeof(jv *));
		if (v->u.a.v == NULL)
			return v;
		v->u.a.cap = n;
		for (size_t i = 0; i < n; i++)
		{
			jv		   *item = jv_from_json(a, json_object_array_get_idx(j, i));

			if (item == NULL)
				return v;
			v->u.a.v[v->u.a.len++] = item;
		}
		return v;
	}
	else
	{
		/*
		 * json-c's names are unique: the members go in without a search, into
		 * arrays of the right size, hashed once at the end when there are as
		 * many as jv_set would hash.
		 */
		jn_obj	   *o = v->u.o;
		size_t		n = (size_t) json_object_object_length(j);
		const char **keys;
		size_t	   *klen;
		jv		  **vals;

		if (n == 0)
			return v;
		keys = jn_alloc(a, n * sizeof(char *));
		klen = jn_alloc(a, n * sizeof(size_t));
		vals = jn_alloc(a, n * sizeof(jv *));
		if (!keys || !klen || !vals)
			return v;
		o->keys = keys;
		o->klen = klen;
		o->vals = vals;
		o->cap = n;
		{
			json_object_object_foreach(j, key, val)
			{
				jv		   *item = jv_from_json(a, val);

				if (item == NULL || o->len == o->cap)
					return v;
				o->keys[o->len] = key;
				o->klen[o->len] = strlen(key);
				o->vals[o->len] = item;
				o->len++;
			}
		}
		if (o->len > 8)
			(void) obj_rehash(a, o);
		return v;
	}
}

bool
jv_walk_step(jv_walk *w)
{
	if ((++w->count & 4095) == 0 && w->poll && w->poll(w->arg))
	{
		w->stopped = JV_STOP_POLL;
		return false;
	}
	return true;
}

/* Takes n bytes from a conversion's budget; false (stopped) when over. */
static bool
walk_spend(jv_walk *w, size_t n)
{
	if (w->budget < n)
	{
		w->stopped = JV_STOP_MEMORY;
		return false;
	}
	w->budget -= n;
	return true;
}

/*
 * What json-c allocates, roughly, with malloc's overhead: a value's struct;
 * an array's initial list (32 slots) and an object's initial hash table (16
 * entries of 32 bytes), which every new container gets; a slot or member.
 */
#define JSONC_VALUE_BYTES 64
#define JSONC_ARRAY_BYTES 320
#define JSONC_OBJECT_BYTES 640
#define JSONC_SLOT_BYTES 16

json_object *
jv_to_json(const jv *v)
{
	return jv_to_json_ext(v, false, NULL);
}

/*
 * jv_to_json_ext's walk: NULL with w->stopped set when it gave up (what it
 * built so far is freed).
 */
static json_object *
to_json(const jv *v, bool nonfinite_as_string, jv_walk *w, int depth)
{
	json_object *j;

	if (v == NULL)
		return NULL;
	if (!jv_walk_step(w) || !walk_spend(w, JSONC_VALUE_BYTES))
		return NULL;
	switch (v->t)
	{
		case JV_NULL:
			return NULL;
		case JV_BOOL:
			j = json_object_new_boolean(v->u.b);
			break;
		case JV_NUM:
			{
				double		d = v->u.n;
				char		buf[JN_NUMFMT_BUFSZ];

				if (!isfinite(d))
				{
					if (!nonfinite_as_string)
						return NULL;
					j = json_object_new_string(isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
				}
				else if (d == floor(d) && fabs(d) < 9007199254740992.0)
					j = json_object_new_int64((int64_t) d);
				else
				{
					jn_num_to_js(d, buf);
					j = json_object_new_double_s(d, buf);
				}
				break;
			}
		case JV_STR:
			if (!walk_spend(w, v->u.s.len))
				return NULL;
			j = json_object_new_string_len(v->u.s.p, (int) v->u.s.len);
			break;
		case JV_ARR:
			if (depth >= JN_MAX_NESTING)
			{
				w->stopped = JV_STOP_DEPTH;
				return NULL;
			}
			if (!walk_spend(w, JSONC_ARRAY_BYTES))
				return NULL;
			j = json_object_new_array();
			if (j == NULL)
				break;
			if (v->flags & JA_RANGE)
			{
				for (size_t i = 0; i < JV_A(v).len; i++)
				{
					json_object *item;

					if (!jv_walk_step(w) || !walk_spend(w, JSONC_VALUE_BYTES + JSONC_SLOT_BYTES))
						break;
					item = json_object_new_int64((int64_t) (JV_A(v).start + (double) i));
					if (item == NULL || json_object_array_add(j, item) != 0)
					{
						json_object_put(item);
						w->stopped = JV_STOP_MEMORY;
						break;
					}
				}
				break;
			}
			for (size_t i = 0; i < JV_A(v).len; i++)
			{
				const jv   *item = JV_A(v).v[i];
				json_object *ij;

				if (!walk_spend(w, JSONC_SLOT_BYTES))
					break;
				if (item && item->t == JV_FUNC)
					ij = json_object_new_string("");
				else
					ij = to_json(item, nonfinite_as_string, w, depth + 1);
				if (w->stopped)
					break;
				if (json_object_array_add(j, ij) != 0)
				{
					json_object_put(ij);
					w->stopped = JV_STOP_MEMORY;
					break;
				}
			}
			break;
		case JV_OBJ:
			if (depth >= JN_MAX_NESTING)
			{
				w->stopped = JV_STOP_DEPTH;
				return NULL;
			}
			if (!walk_spend(w, JSONC_OBJECT_BYTES))
				return NULL;
			j = json_object_new_object();
			if (j == NULL)
				break;
			for (size_t i = 0; i < JV_O(v)->len; i++)
			{
				const jv   *item = JV_O(v)->vals[i];
				const char *key = JV_O(v)->keys[i];
				size_t		klen = JV_O(v)->klen[i];
				json_object *val;
				char	   *copy = NULL;

				if (item == NULL)
					continue;
				if (!walk_spend(w, JSONC_VALUE_BYTES + klen))
					break;
				val = item->t == JV_FUNC ? json_object_new_string("") : to_json(item, nonfinite_as_string, w, depth + 1);
				if (w->stopped)
					break;
				if (key[klen] != '\0')
				{
					/* a key sliced from a longer string */
					copy = strndup(key, klen);
					if (copy == NULL)
					{
						json_object_put(val);
						w->stopped = JV_STOP_MEMORY;
						break;
					}
					key = copy;
				}
				if (json_object_object_add(j, key, val) != 0)
				{
					json_object_put(val);
					w->stopped = JV_STOP_MEMORY;
				}
				free(copy);
				if (w->stopped)
					break;
			}
			break;
		case JV_FUNC:
			j = json_object_new_string("");
			break;
		default:
			return NULL;
	}
	if (j == NULL && !w->stopped)
		w->stopped = JV_STOP_MEMORY;
	if (w->stopped)
	{
		json_object_put(j);
		return NULL;
	}
	return j;
}

json_object *
jv_to_json_ext(const jv *v, bool nonfinite_as_string, jv_walk *w)
{
	jv_walk		unbounded = {0};

	if (w == NULL)
	{
		unbounded.budget = SIZE_MAX;
		w = &unbounded;
	}
	return to_json(v, nonfinite_as_string, w, 0);
}

static int
holds_function(const jv *v, jv_walk *w, int depth)
{
	if (v == NULL)
		return 0;
	if (!jv_walk_step(w))
		return -1;
	if (v->flags & JA_LAZY)
		return 0;				/* still the JSON input: no functions */
	switch (v->t)
	{
		case JV_FUNC:
			return 1;
		case JV_ARR:
			if (v->flags & JA_RANGE)
				return 0;
			if (depth >= JN_MAX_NESTING)
			{
				w->stopped = JV_STOP_DEPTH;
				return -1;
			}
			for (size_t i = 0; i < JV_A(v).len; i++)
			{
				int			r = holds_function(JV_A(v).v[i], w, depth + 1);

				if (r != 0)
					return r;
			}
			return 0;
		case JV_OBJ:
			if (depth >= JN_MAX_NESTING)
			{
				w->stopped = JV_STOP_DEPTH;
				return -1;
			}
			for (size_t i = 0; i < JV_O(v)->len; i++)
			{
				int			r = holds_function(JV_O(v)->vals[i], w, depth + 1);

				if (r != 0)
					return r;
			}
			return 0;
		default:
			return 0;
	}
}

int
jv_holds_function(const jv *v, jv_walk *w)
{
	return holds_function(v, w, 0);
}

/* ---- text for messages ---- */

/* Appends v's JSON text at *k (below cap - 1), shortened. */
static void
value_text(const jv *v, char *buf, size_t cap, size_t *k, int depth)
{
	char		tmp[JN_NUMFMT_BUFSZ + 8];
	const char *t = tmp;

	if (*k + 1 >= cap)
		return;
	if (v == NULL || v->t == JV_NULL)
		t = "null";
	else if (v->t == JV_BOOL)
		t = v->u.b ? "true" : "false";
	else if (v->t == JV_NUM)
	{
		if (isfinite(v->u.n))
			jn_num_to_js(v->u.n, tmp);
		else
			t = "null";
	}
	else if (v->t == JV_STR)
	{
		jn_liberr_json_quote(buf + *k, cap - *k, v->u.s.p, v->u.s.len);
		*k += strlen(buf + *k);
		return;
	}
	else if (v->t == JV_FUNC)
		t = "\"\"";
	else if (depth > 2)
		t = v->t == JV_ARR ? "[...]" : "{...}";
	else if (v->t == JV_ARR)
	{
		size_t		n = JV_A(v).len;

		snprintf(buf + *k, cap - *k, "[");
		*k += strlen(buf + *k);
		for (size_t i = 0; i < n && *k + 1 < cap; i++)
		{
			if (i)
			{
				snprintf(buf + *k, cap - *k, ",");
				*k += strlen(buf + *k);
			}
			if (v->flags & JA_RANGE)
			{
				jn_num_to_js(JV_A(v).start + (double) i, tmp);
				snprintf(buf + *k, cap - *k, "%s", tmp);
				*k += strlen(buf + *k);
			}
			else
				value_text(JV_A(v).v[i], buf, cap, k, depth + 1);
		}
		t = "]";
	}
	else
	{
		bool		first = true;

		snprintf(buf + *k, cap - *k, "{");
		*k += strlen(buf + *k);
		for (size_t i = 0; i < JV_O(v)->len && *k + 1 < cap; i++)
		{
			if (JV_O(v)->vals[i] == NULL)
				continue;
			if (!first)
			{
				snprintf(buf + *k, cap - *k, ",");
				*k += strlen(buf + *k);
			}
			first = false;
			jn_liberr_json_quote(buf + *k, cap - *k, JV_O(v)->keys[i], JV_O(v)->klen[i]);
			*k += strlen(buf + *k);
			snprintf(buf + *k, cap - *k, ":");
			*k += strlen(buf + *k);
			value_text(JV_O(v)->vals[i], buf, cap, k, depth + 1);
		}
		t = "}";
	}
	snprintf(buf + *k, cap - *k, "%s", t);
	*k += strlen(buf + *k);
}

const char *
jv_message_text(const jv *v, char *buf, size_t cap)
{
	size_t		k = 0;

	buf[0] = '\0';
	value_text(v, buf, cap, &k, 0);
	return buf;
}

/* ---- equality ---- */

/* Item i of a lazy range array. */
static double
range_at(const jv *v, size_t i)
{
	return JV_A(v).start + (double) i;
}

static int
deep_equal(const jv *a, const jv *b, jv_walk *w, int depth)
{
	if (a == b)
		return 1;
	if (!jv_walk_step(w))
		return -1;
	if (a == NULL || b == NULL || a->t != b->t)
		return 0;
	switch (a->t)
	{
		case JV_NULL:
			return 1;
		case JV_BOOL:
			return a->u.b == b->u.b;
		case JV_NUM:
			return a->u.n == b->u.n;
		case JV_STR:
			return a->u.s.len == b->u.s.len && memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
		case JV_ARR:
			if (JV_A(a).len != JV_A(b).len)
				return 0;
			if (depth >= JN_MAX_NESTING)
			{
				w->stopped = JV_STOP_DEPTH;
				return -1;
			}
			for (size_t i = 0; i < JV_A(a).len; i++)
			{
				if ((a->flags & JA_RANGE) || (b->flags & JA_RANGE))
				{
					if ((a->flags & JA_RANGE) && (b->flags & JA_RANGE))
					{
						if (range_at(a, i) != range_at(b, i))
							return 0;
					}
					else
					{
						const jv   *r = (a->flags & JA_RANGE) ? a : b;
						const jv   *o = (a->flags & JA_RANGE) ? b : a;
						const jv   *item = JV_A(o).v[i];

						if (item == NULL || item->t != JV_NUM || item->u.n != range_at(r, i))
							return 0;
					}
				}
				else
				{
					int			r = deep_equal(JV_A(a).v[i], JV_A(b).v[i], w, depth + 1);

					if (r != 1)
						return r;
				}
			}
			return 1;
		case JV_OBJ:
			if (JV_O(a)->len != JV_O(b)->len)
				return 0;
			if (depth >= JN_MAX_NESTING)
			{
				w->stopped = JV_STOP_DEPTH;
				return -1;
			}
			for (size_t i = 0; i < JV_O(a)->len; i++)
			{
				const jv   *other = jv_get(b, JV_O(a)->keys[i], JV_O(a)->klen[i]);

				if (other == NULL && JV_O(a)->vals[i] != NULL)
					return 0;
				{
					int			r = deep_equal(JV_O(a)->vals[i], other, w, depth + 1);

					if (r != 1)
						return r;
				}
			}
			return 1;
		case JV_FUNC:
			return 0;
	}
	return 0;
}

int
jv_deep_equal_walk(const jv *a, const jv *b, jv_walk *w)
{
	return deep_equal(a, b, w, 0);
}

bool
jv_deep_equal(const jv *a, const jv *b)
{
	jv_walk		w = {0};

	return deep_equal(a, b, &w, 0) == 1;
}

bool
jv_is_integer(const jv *v)
{
	return v && v->t == JV_NUM && isfinite(v->u.n) && v->u.n == floor(v->u.n);
}

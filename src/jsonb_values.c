/*
 * jsonb_values.c — jsonb straight to the JSONata evaluator's values and back
 * (see the header). booking.jsonata() used to go through json-c both ways:
 * jsonb to json-c, json-c to values, and back; each step allocated every
 * value once more.
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "jsonb_values.h"
#include "jsonc_bridge.h"
#include "core/jsonata/jn_numfmt.h"

/* ---------------- jsonb -> values ---------------- */

/* The walk of booking_jsonb_to_jv: the open containers and their names. */
typedef struct InWalk
{
	jv		  **stack;			/* [0 .. depth - 1]: the open containers */
	const char **key;			/* key[l]: the name stack[l] was added under */
	int		   *klen;
	int			depth;
	const char *pending;		/* the name of the next member */
	int			pending_len;
} InWalk;

/* The RFC 6901 pointer to where the walk stands (as jsonc_bridge.c's). */
static char *
in_pointer(const InWalk *iw)
{
	StringInfoData p;

	initStringInfo(&p);
	for (int l = 0; l < iw->depth; l++)
	{
		bool		innermost = l == iw->depth - 1;
		const jv   *c = iw->stack[l];

		appendStringInfoChar(&p, '/');
		if (c->t == JV_ARR)
			appendStringInfo(&p, "%zu", c->u.a.len - (innermost ? 0 : 1));
		else
		{
			const char *k = innermost ? iw->pending : iw->key[l + 1];
			int			n = innermost ? iw->pending_len : iw->klen[l + 1];

			for (int i = 0; k != NULL && i < n; i++)
			{
				if (k[i] == '~')
					appendStringInfoString(&p, "~0");
				else if (k[i] == '/')
					appendStringInfoString(&p, "~1");
				else
					appendStringInfoChar(&p, k[i]);
			}
		}
	}
	return p.data;
}

static const double exact_powers_of_ten[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#define TWO_TO_53 UINT64CONST(9007199254740992)

/*
 * The double nearest a numeric, without printing it, when that is exact
 * arithmetic: numeric's short on-disk format (a stable format: pg_upgrade
 * keeps it) holds base-10000 digits and a weight; when the digits make an
 * integer N below 2^53 and the value is N * 10^e with N * 10^e below 2^53 or
 * -22 <= e < 0, the value is that integer or one correctly rounded division
 * of two exact doubles: what strtod gives for its text. false: use the text.
 */
static bool
numeric_exact_double(Numeric num, double *out)
{
	const char *p = VARDATA_ANY(num);
	Size		n = VARSIZE_ANY_EXHDR(num);
	uint16		h;
	int			weight,
				ndigits,
				e;
	uint64		v = 0;

	if (n < sizeof(uint16))
		return false;
	memcpy(&h, p, sizeof h);
	if ((h & 0xC000) != 0x8000) /* NUMERIC_SHORT */
		return false;
	weight = (h & 0x0040) ? (int) (h & 0x003F) - 64 : (int) (h & 0x003F);
	ndigits = (int) ((n - sizeof(uint16)) / sizeof(int16));
	if (ndigits == 0)
	{
		*out = 0.0;
		return true;
	}
	if (ndigits > 4)
		return false;
	for (int i = 0; i < ndigits; i++)
	{
		int16		d;

		memcpy(&d, p + sizeof(uint16) + i * sizeof(int16), sizeof d);
		v = v * 10000 + (uint64) d;
	}
	if (v >= TWO_TO_53)
		return false;
	e = 4 * (weight - (ndigits - 1));
	if (e >= 0)
	{
		for (; e > 0; e--)
		{
			v *= 10;
			if (v >= TWO_TO_53)
				return false;
		}
		*out = (double) v;
	}
	else if (e >= -22)
		*out = (double) v / exact_powers_of_ten[-e];
	else
		return false;
	if (h & 0x2000)				/* NUMERIC_SHORT_SIGN_MASK */
		*out = -*out;
	return true;
}

/* A jsonb number as a double, as jsonc_bridge.c read it (its text through strtod). */
static double
in_number(Numeric num, const InWalk *iw)
{
	char	   *text;
	double		d;

	if (numeric_exact_double(num, &d))
		return d;
	text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));

	d = strtod(text, NULL);
	pfree(text);
	if (isinf(d) || isnan(d))
	{
		char	   *pointer = in_pointer(iw);

		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("JSON number %s at %s is out of range", numeric_out_sci(num, 3),
						pointer[0] ? pointer : "the top level"),
				 errdetail("Numbers must fit an IEEE 754 double (at most about 1.8e308 in magnitude).")));
	}
	return d;
}

static void
in_out_of_memory(jn_arena *a)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("JSON document cannot be processed: its values take more than %zu MB", a->limit / (1024 * 1024))));
}

jv		   *
booking_jsonb_to_jv(jn_arena *a, Jsonb *jb)
{
	InWalk		iw;
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken token;
	jv		   *root = NULL;
	unsigned	count = 0;

	iw.stack = palloc((BOOKING_JSON_MAX_DEPTH + 1) * sizeof(jv *));
	iw.key = palloc((BOOKING_JSON_MAX_DEPTH + 1) * sizeof(char *));
	iw.klen = palloc((BOOKING_JSON_MAX_DEPTH + 1) * sizeof(int));
	iw.depth = 0;
	iw.pending = NULL;
	iw.pending_len = 0;
	while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		jv		   *made;

		if ((++count & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		switch (token)
		{
			case WJB_BEGIN_ARRAY:
				if (v.val.array.rawScalar)
					continue;	/* a scalar document: its one element is the
								 * value */
				made = jv_arr(a, 0);
				if (made == NULL || !jv_arr_reserve(a, made, (size_t) v.val.array.nElems))
					in_out_of_memory(a);
				break;
			case WJB_BEGIN_OBJECT:
				made = jv_obj(a);
				if (made == NULL || !jv_obj_reserve(a, made, (size_t) v.val.object.nPairs))
					in_out_of_memory(a);
				break;
			case WJB_END_ARRAY:
			case WJB_END_OBJECT:
				if (iw.depth > 0)
					iw.depth--;
				continue;
			case WJB_KEY:
				iw.pending = v.val.string.val;
				iw.pending_len = v.val.string.len;
				continue;
			case WJB_VALUE:
			case WJB_ELEM:
				switch (v.type)
				{
					case jbvNull:
						made = jv_null(a);
						break;
					case jbvBool:
						made = jv_bool(a, v.val.boolean);
						break;
					case jbvNumeric:
						made = jv_num(a, in_number(v.val.numeric, &iw));
						break;
					case jbvString:
						made = jv_str(a, v.val.string.val, (size_t) v.val.string.len);
						break;
					default:
						elog(ERROR, "unexpected jsonb scalar type %d", (int) v.type);
						made = NULL;	/* not reached */
				}
				if (made == NULL)
					in_out_of_memory(a);
				break;
			default:
				continue;
		}
		if (iw.depth == 0)
			root = made;
		else if (iw.stack[iw.depth - 1]->t == JV_OBJ)
		{
			char	   *name = jn_strndup(a, iw.pending, (size_t) iw.pending_len);

			if (name == NULL ||
				!jv_obj_append(a, iw.stack[iw.depth - 1], name, (size_t) iw.pending_len, made))
				in_out_of_memory(a);
			iw.key[iw.depth] = iw.pending;
			iw.klen[iw.depth] = iw.pending_len;
		}
		else if (!jv_push(a, iw.stack[iw.depth - 1], made))
			in_out_of_memory(a);
		if (token == WJB_BEGIN_ARRAY || token == WJB_BEGIN_OBJECT)
		{
			if (iw.depth == BOOKING_JSON_MAX_DEPTH)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("JSON document cannot be processed: nesting too deep"),
						 errhint("Documents may nest at most %d levels.", BOOKING_JSON_MAX_DEPTH)));
			iw.stack[iw.depth++] = made;
		}
	}
	pfree(iw.stack);
	pfree(iw.key);
	pfree(iw.klen);
	return root;
}

/* ---------------- values -> jsonb ---------------- */

/*
 * What building the jsonb costs, roughly, against the walk's budget: a
 * JsonbValue in the parse state and its bytes in the result per value, a
 * slot per array item, a pair per member.
 */
#define OUT_VALUE_BYTES 64
#define OUT_SLOT_BYTES 16

typedef struct OutWalk
{
	JsonbParseState *state;
	JsonbValue *last;			/* what the last push returned: the finished
								 * value once the outermost container closes */
	jv_walk    *w;
	bool		nonfinite_as_string;
} OutWalk;

/*
 * The places that read an array's items and an object's members: a result
 * can hold a part of a document the core converts lazily (JA_LAZY, from
 * $parse or a json-c input), which the core's accessors convert on first
 * read; a conversion over the memory limit marks the arena exhausted, which
 * the core checks when the walk returns.
 */
static inline size_t
items_count(const jv *arr)
{
	return JV_A(arr).len;
}

static inline const jv *
array_item(const jv *arr, size_t i)
{
	return JV_A(arr).v[i];
}

static inline size_t
members_count(const jv *obj)
{
	return JV_O(obj)->len;
}

static inline const jv *
object_member(const jv *obj, size_t i, const char **key, size_t *klen)
{
	const jn_obj *o = JV_O(obj);

	*key = o->keys[i];
	*klen = o->klen[i];
	return o->vals[i];
}

/* Takes n bytes from the walk's budget; false (stopped) when over. */
static bool
out_spend(jv_walk *w, size_t n)
{
	if (w->budget < n)
	{
		w->stopped = JV_STOP_MEMORY;
		return false;
	}
	w->budget -= n;
	return true;
}

static bool
out_push(OutWalk *ow, JsonbIteratorToken token, JsonbValue *v)
{
	ow->last = pushJsonbValue(&ow->state, token, v);
	return true;
}

static bool
out_string(OutWalk *ow, JsonbIteratorToken token, const char *s, size_t len)
{
	JsonbValue	v;

	booking_check_jsonb_string(s, len);
	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = (int) len;
	return out_push(ow, token, &v);
}

/* A number as jv_to_json_ext gave it to json-c and push_number took it. */
static bool
out_number(OutWalk *ow, JsonbIteratorToken token, double d)
{
	JsonbValue	v;
	char		buf[JN_NUMFMT_BUFSZ];

	if (!isfinite(d))
	{
		if (ow->nonfinite_as_string)
			return out_string(ow, token, isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity",
							  isnan(d) ? 3 : d > 0 ? 8 : 9);
		v.type = jbvNull;
		return out_push(ow, token, &v);
	}
	v.type = jbvNumeric;
	if (d == floor(d) && fabs(d) < 9007199254740992.0)
		v.val.numeric = int64_to_numeric((int64) d);
	else
	{
		jn_num_to_js(d, buf);
		v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
															ObjectIdGetDatum(InvalidOid),
															Int32GetDatum(-1)));
	}
	return out_push(ow, token, &v);
}

/*
 * Pushes v (NULL: undefined, written as null); false with ow->w->stopped set
 * when the walk stopped.
 */
static bool
out_value(OutWalk *ow, const jv *v, JsonbIteratorToken token, int depth)
{
	jv_walk    *w = ow->w;
	JsonbValue	s;

	if (!jv_walk_step(w) || !out_spend(w, OUT_VALUE_BYTES))
		return false;
	if (v == NULL || v->t == JV_NULL)
	{
		s.type = jbvNull;
		return out_push(ow, token, &s);
	}
	switch (v->t)
	{
		case JV_BOOL:
			s.type = jbvBool;
			s.val.boolean = v->u.b;
			return out_push(ow, token, &s);
		case JV_NUM:
			return out_number(ow, token, v->u.n);
		case JV_STR:
			if (!out_spend(w, v->u.s.len))
				return false;
			return out_string(ow, token, v->u.s.p, v->u.s.len);
		case JV_ARR:
			if (depth >= JN_MAX_NESTING)
			{
				w->stopped = JV_STOP_DEPTH;
				return false;
			}
			check_stack_depth();
			out_push(ow, WJB_BEGIN_ARRAY, NULL);
			if (v->flags & JA_RANGE)
			{
				for (size_t i = 0; i < v->u.a.len; i++)
				{
					if (!jv_walk_step(w) || !out_spend(w, OUT_VALUE_BYTES + OUT_SLOT_BYTES))
						return false;
					s.type = jbvNumeric;
					s.val.numeric = int64_to_numeric((int64) (v->u.a.start + (double) i));
					out_push(ow, WJB_ELEM, &s);
				}
			}
			else
				for (size_t i = 0; i < items_count(v); i++)
					if (!out_spend(w, OUT_SLOT_BYTES) ||
						!out_value(ow, array_item(v, i), WJB_ELEM, depth + 1))
						return false;
			return out_push(ow, WJB_END_ARRAY, NULL);
		case JV_OBJ:
			if (depth >= JN_MAX_NESTING)
			{
				w->stopped = JV_STOP_DEPTH;
				return false;
			}
			check_stack_depth();
			out_push(ow, WJB_BEGIN_OBJECT, NULL);
			for (size_t i = 0; i < members_count(v); i++)
			{
				const char *key;
				size_t		klen;
				const jv   *item = object_member(v, i, &key, &klen);

				if (item == NULL)
					continue;
				if (!out_spend(w, OUT_VALUE_BYTES + klen))
					return false;
				out_string(ow, WJB_KEY, key, klen);
				if (!out_value(ow, item, WJB_VALUE, depth + 1))
					return false;
			}
			return out_push(ow, WJB_END_OBJECT, NULL);
		case JV_FUNC:
		default:
			/* JSON has no function: an empty string, as in the suite */
			return out_string(ow, token, "", 0);
	}
}

Jsonb	   *
booking_jv_to_jsonb(const jv *v, bool nonfinite_as_string, jv_walk *w)
{
	OutWalk		ow;

	ow.state = NULL;
	ow.last = NULL;
	ow.w = w;
	ow.nonfinite_as_string = nonfinite_as_string;
	if (v != NULL && (v->t == JV_ARR || v->t == JV_OBJ))
	{
		/* the token is unused for containers */
		if (!out_value(&ow, v, WJB_ELEM, 0))
			return NULL;
	}
	else
	{
		/* a scalar document is a one-element raw-scalar array in jsonb */
		JsonbValue	scalar_array;

		scalar_array.type = jbvArray;
		scalar_array.val.array.rawScalar = true;
		scalar_array.val.array.nElems = 1;
		out_push(&ow, WJB_BEGIN_ARRAY, &scalar_array);
		if (!out_value(&ow, v, WJB_ELEM, 0))
			return NULL;
		out_push(&ow, WJB_END_ARRAY, NULL);
	}
	return JsonbValueToJsonb(ow.last);
}

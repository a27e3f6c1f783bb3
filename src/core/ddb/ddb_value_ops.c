/*
 * ddb_value_ops.c — equality, ordering, size(), contains() and begins_with()
 * on checked typed values, and item sizes.
 *
 * Checked values have canonical numbers and strict base64, so two set
 * elements are equal exactly when their texts are.
 */
#include "ddb_value.h"

#include <stdlib.h>
#include <string.h>

#include "ddb_number.h"

json_object *
ddb_value_copy(json_object *v)
{
	json_object *out = NULL;

	if (v == NULL || json_object_deep_copy(v, &out, NULL) != 0)
		return NULL;
	return out;
}

/* Whether two JSON strings hold the same bytes. */
static bool
same_text(json_object *a, json_object *b)
{
	int			la = json_object_get_string_len(a);

	return la == json_object_get_string_len(b) &&
		memcmp(json_object_get_string(a), json_object_get_string(b), (size_t) la) == 0;
}

/* qsort order of JSON strings, byte-wise. */
static int
compare_texts(const void *pa, const void *pb)
{
	json_object *a = *(json_object *const *) pa;
	json_object *b = *(json_object *const *) pb;
	int			la = json_object_get_string_len(a);
	int			lb = json_object_get_string_len(b);
	int			r = memcmp(json_object_get_string(a), json_object_get_string(b), (size_t) (la < lb ? la : lb));

	return r != 0 ? r : (la > lb) - (la < lb);
}

/* Whether two N payloads are the same number (1 and 1.0 are). */
static bool
numbers_equal(json_object *a, json_object *b)
{
	ddb_number	na,
				nb;

	if (ddb_number_parse(json_object_get_string(a), &na) != DDB_NUMBER_OK ||
		ddb_number_parse(json_object_get_string(b), &nb) != DDB_NUMBER_OK)
		return same_text(a, b);
	return ddb_number_compare(&na, &nb) == 0;
}

/* Sets as sets: sorted copies compared element by element. */
static bool
sets_equal(json_object *a, json_object *b)
{
	size_t		n = json_object_array_length(a);
	json_object **sa;
	json_object **sb;
	size_t		i;
	bool		equal = true;

	if (n != json_object_array_length(b))
		return false;
	if (n == 0)
		return true;
	sa = malloc(n * sizeof(*sa));
	sb = malloc(n * sizeof(*sb));
	if (sa == NULL || sb == NULL)
	{
		free(sa);
		free(sb);
		return false;
	}
	for (i = 0; i < n; i++)
	{
		sa[i] = json_object_array_get_idx(a, i);
		sb[i] = json_object_array_get_idx(b, i);
	}
	qsort(sa, n, sizeof(*sa), compare_texts);
	qsort(sb, n, sizeof(*sb), compare_texts);
	for (i = 0; i < n && equal; i++)
		equal = same_text(sa[i], sb[i]);
	free(sa);
	free(sb);
	return equal;
}

bool
ddb_value_equal(json_object *a, json_object *b)
{
	ddb_type	ta = ddb_value_type(a);
	json_object *pa,
			   *pb;
	size_t		i,
				n;

	if (ta == DDB_TYPE_NONE || ta != ddb_value_type(b))
		return false;
	pa = ddb_value_payload(a);
	pb = ddb_value_payload(b);
	switch (ta)
	{
		case DDB_TYPE_S:
		case DDB_TYPE_B:
			return same_text(pa, pb);
		case DDB_TYPE_N:
			return numbers_equal(pa, pb);
		case DDB_TYPE_BOOL:
			return json_object_get_boolean(pa) == json_object_get_boolean(pb);
		case DDB_TYPE_NULL:
			return true;
		case DDB_TYPE_SS:
		case DDB_TYPE_NS:
		case DDB_TYPE_BS:
			return sets_equal(pa, pb);
		case DDB_TYPE_L:
			n = json_object_array_length(pa);
			if (n != json_object_array_length(pb))
				return false;
			for (i = 0; i < n; i++)
				if (!ddb_value_equal(json_object_array_get_idx(pa, i), json_object_array_get_idx(pb, i)))
					return false;
			return true;
		case DDB_TYPE_M:
			if (json_object_object_length(pa) != json_object_object_length(pb))
				return false;
			{
				json_object_object_foreach(pa, key, val)
				{
					json_object *other = NULL;

					if (!json_object_object_get_ex(pb, key, &other) || !ddb_value_equal(val, other))
						return false;
				}
			}
			return true;
		case DDB_TYPE_NONE:
			break;
	}
	return false;
}

/* Decodes a checked B payload; false when out of memory. */
static bool
decode(json_object *payload, unsigned char **bytes, size_t *len)
{
	return ddb_base64_decode(json_object_get_string(payload),
							 (size_t) json_object_get_string_len(payload), bytes, len);
}

/* Decodes two checked B payloads; false (and nothing to free) when out of memory. */
static bool
decode_both(json_object *pa, json_object *pb, unsigned char **a, size_t *la, unsigned char **b, size_t *lb)
{
	if (!decode(pa, a, la))
		return false;
	if (!decode(pb, b, lb))
	{
		free(*a);
		return false;
	}
	return true;
}

/* Byte-wise order, the shorter first on a common prefix. */
static int
compare_bytes(const unsigned char *a, size_t la, const unsigned char *b, size_t lb)
{
	int			r = memcmp(a, b, la < lb ? la : lb);

	return r != 0 ? r : (la > lb) - (la < lb);
}

bool
ddb_value_compare(json_object *a, json_object *b, int *cmp)
{
	ddb_type	ta = ddb_value_type(a);
	json_object *pa,
			   *pb;

	if (ta != ddb_value_type(b) || (ta != DDB_TYPE_N && ta != DDB_TYPE_S && ta != DDB_TYPE_B))
		return false;
	pa = ddb_value_payload(a);
	pb = ddb_value_payload(b);
	if (ta == DDB_TYPE_N)
	{
		ddb_number	na,
					nb;

		if (ddb_number_parse(json_object_get_string(pa), &na) != DDB_NUMBER_OK ||
			ddb_number_parse(json_object_get_string(pb), &nb) != DDB_NUMBER_OK)
			return false;
		*cmp = ddb_number_compare(&na, &nb);
		return true;
	}
	if (ta == DDB_TYPE_S)
	{
		/* UTF-8 bytes, unsigned: DynamoDB's order for strings */
		*cmp = compare_bytes((const unsigned char *) json_object_get_string(pa), (size_t) json_object_get_string_len(pa),
							 (const unsigned char *) json_object_get_string(pb), (size_t) json_object_get_string_len(pb));
		*cmp = (*cmp > 0) - (*cmp < 0);
		return true;
	}
	{
		unsigned char *ba,
				   *bb;
		size_t		la,
					lb;

		if (!decode_both(pa, pb, &ba, &la, &bb, &lb))
			return false;
		*cmp = compare_bytes(ba, la, bb, lb);
		*cmp = (*cmp > 0) - (*cmp < 0);
		free(ba);
		free(bb);
		return true;
	}
}

/* Bytes a checked base64 text decodes to. */
static size_t
binary_length(json_object *payload)
{
	const char *s = json_object_get_string(payload);
	size_t		n = (size_t) json_object_get_string_len(payload);
	size_t		len = n / 4 * 3;

	if (n >= 1 && s[n - 1] == '=')
		len--;
	if (n >= 2 && s[n - 2] == '=')
		len--;
	return len;
}

bool
ddb_value_size(json_object *v, long *size)
{
	json_object *p = ddb_value_payload(v);

	switch (ddb_value_type(v))
	{
		case DDB_TYPE_S:
			*size = json_object_get_string_len(p);
			return true;
		case DDB_TYPE_B:
			*size = (long) binary_length(p);
			return true;
		case DDB_TYPE_SS:
		case DDB_TYPE_NS:
		case DDB_TYPE_BS:
		case DDB_TYPE_L:
			*size = (long) json_object_array_length(p);
			return true;
		case DDB_TYPE_M:
			*size = json_object_object_length(p);
			return true;
		default:
			return false;
	}
}

/* Whether set holds element (numbers compared as numbers when numeric). */
static bool
set_has(json_object *set, json_object *element, bool numeric)
{
	size_t		i,
				n = json_object_array_length(set);

	for (i = 0; i < n; i++)
	{
		json_object *e = json_object_array_get_idx(set, i);

		if (numeric ? numbers_equal(e, element) : same_text(e, element))
			return true;
	}
	return false;
}

bool
ddb_value_contains(json_object *haystack, json_object *needle)
{
	ddb_type	th = ddb_value_type(haystack);
	ddb_type	tn = ddb_value_type(needle);
	json_object *ph = ddb_value_payload(haystack);
	json_object *pn = ddb_value_payload(needle);
	size_t		i,
				n;

	if (th == DDB_TYPE_NONE || tn == DDB_TYPE_NONE)
		return false;
	switch (th)
	{
		case DDB_TYPE_S:
			return tn == DDB_TYPE_S &&
				memmem(json_object_get_string(ph), (size_t) json_object_get_string_len(ph),
					   json_object_get_string(pn), (size_t) json_object_get_string_len(pn)) != NULL;
		case DDB_TYPE_B:
			if (tn != DDB_TYPE_B)
				return false;
			{
				unsigned char *bh,
						   *bn;
				size_t		lh,
							ln;
				bool		found;

				if (!decode_both(ph, pn, &bh, &lh, &bn, &ln))
					return false;
				found = ln == 0 || memmem(bh, lh, bn, ln) != NULL;
				free(bh);
				free(bn);
				return found;
			}
		case DDB_TYPE_SS:
			return tn == DDB_TYPE_S && set_has(ph, pn, false);
		case DDB_TYPE_NS:
			return tn == DDB_TYPE_N && set_has(ph, pn, true);
		case DDB_TYPE_BS:
			return tn == DDB_TYPE_B && set_has(ph, pn, false);
		case DDB_TYPE_L:
			n = json_object_array_length(ph);
			for (i = 0; i < n; i++)
				if (ddb_value_equal(json_object_array_get_idx(ph, i), needle))
					return true;
			return false;
		default:
			return false;
	}
}

bool
ddb_value_begins_with(json_object *v, json_object *prefix)
{
	ddb_type	t = ddb_value_type(v);
	json_object *pv,
			   *pp;

	if (t != ddb_value_type(prefix) || (t != DDB_TYPE_S && t != DDB_TYPE_B))
		return false;
	pv = ddb_value_payload(v);
	pp = ddb_value_payload(prefix);
	if (t == DDB_TYPE_S)
	{
		int			lp = json_object_get_string_len(pp);

		return json_object_get_string_len(pv) >= lp &&
			memcmp(json_object_get_string(pv), json_object_get_string(pp), (size_t) lp) == 0;
	}
	{
		unsigned char *bv,
				   *bp;
		size_t		lv,
					lp;
		bool		yes;

		if (!decode_both(pv, pp, &bv, &lv, &bp, &lp))
			return false;
		yes = lv >= lp && memcmp(bv, bp, lp) == 0;
		free(bv);
		free(bp);
		return yes;
	}
}

/* ---- sizes, as the DynamoDB developer guide counts them ---- */

/*
 * Bytes DynamoDB counts for a number: one per two significant digits, plus
 * one.
 */
static size_t
number_size(json_object *payload)
{
	ddb_number	n;

	if (ddb_number_parse(json_object_get_string(payload), &n) != DDB_NUMBER_OK)
		return 21;
	return (size_t) (n.ndigits + 1) / 2 + 1;
}

/* Bytes DynamoDB counts for a typed value towards the item size limit. */
static size_t
value_size(json_object *v)
{
	json_object *p = ddb_value_payload(v);
	size_t		size = 0,
				i,
				n;

	switch (ddb_value_type(v))
	{
		case DDB_TYPE_S:
			return (size_t) json_object_get_string_len(p);
		case DDB_TYPE_B:
			return binary_length(p);
		case DDB_TYPE_N:
			return number_size(p);
		case DDB_TYPE_BOOL:
		case DDB_TYPE_NULL:
			return 1;
		case DDB_TYPE_SS:
		case DDB_TYPE_NS:
		case DDB_TYPE_BS:
			n = json_object_array_length(p);
			for (i = 0; i < n; i++)
			{
				json_object *e = json_object_array_get_idx(p, i);

				if (ddb_value_type(v) == DDB_TYPE_NS)
					size += number_size(e);
				else if (ddb_value_type(v) == DDB_TYPE_BS)
					size += binary_length(e);
				else
					size += (size_t) json_object_get_string_len(e);
			}
			return size;
		case DDB_TYPE_L:
			n = json_object_array_length(p);
			size = 3;
			for (i = 0; i < n; i++)
				size += 1 + value_size(json_object_array_get_idx(p, i));
			return size;
		case DDB_TYPE_M:
			size = 3;
			{
				json_object_object_foreach(p, key, val)
					size += 1 + strlen(key) + value_size(val);
			}
			return size;
		case DDB_TYPE_NONE:
			break;
	}
	return 0;
}

size_t
ddb_item_size(json_object *item)
{
	size_t		size = 0;

	if (!json_object_is_type(item, json_type_object))
		return 0;
	{
		json_object_object_foreach(item, key, val)
			size += strlen(key) + value_size(val);
	}
	return size;
}

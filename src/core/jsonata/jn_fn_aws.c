/*
 * jn_fn_aws.c — the functions AWS Step Functions adds to JSONata:
 * $partition, $range, $hash, $random (with an optional seed), $uuid and
 * $parse (AWS, "Transforming data with JSONata in Step Functions").
 */
#include "jsonata/jn_fn.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#define UNUSED (void) n; (void) input

/* Arrays at most this long are built by $range and $partition (memory safety). */
#define MAX_ITEMS 10000000.0

/* $partition(array, size): consecutive chunks of at most size items. */
static jv  *
fn_partition(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *out;
	double		size;

	UNUSED;
	if (a[0] == NULL || a[1] == NULL)
		return NULL;
	size = a[1]->u.n;
	if (!(size >= 1) || size != floor(size))
		return jn_fail(C, "D3150", -1, "The chunk size of $partition must be a positive integer, not %g", size);
	ITEMS(a[0]);
	out = NEW(jv_arr(&C->arena, JA_CONS));
	for (size_t i = 0; i < JV_A(a[0]).len; i += (size_t) size)
	{
		jv		   *chunk = NEW(jv_arr(&C->arena, JA_CONS));

		for (size_t j = i; j < JV_A(a[0]).len && j < i + (size_t) size; j++)
			PUSH(chunk, JV_A(a[0]).v[j]);
		PUSH(out, chunk);
	}
	return out;
}

/*
 * $range(start, end, step): start, start + step, ... up to end included.
 * AWS takes each argument as a whole number, truncated towards zero:
 * $range(-1.7, 2, 1) is [-1, 0, 1, 2] there (floci-io/floci#2676).
 */
static jv  *
fn_range(jn_ctx *C, jv **a, int n, jv *input)
{
	double		start,
				end,
				step;
	jv		   *out;

	UNUSED;
	/* an undefined argument (a path that matched nothing) gives undefined */
	if (a[0] == NULL || a[1] == NULL || a[2] == NULL)
		return NULL;
	start = trunc(a[0]->u.n);
	end = trunc(a[1]->u.n);
	step = trunc(a[2]->u.n);
	if (step == 0 || !isfinite(step) || !isfinite(start) || !isfinite(end))
		return jn_fail(C, "D3151", -1, "The step of $range must be a finite number other than 0");
	if ((end - start) / step + 1 > MAX_ITEMS)
		return jn_fail(C, "D3152", -1, "$range would return more than %.0f numbers", MAX_ITEMS);
	out = NEW(jv_arr(&C->arena, JA_SEQ));
	for (double i = 0;; i++)
	{
		double		v = start + i * step;

		if ((step > 0 && v > end) || (step < 0 && v < end))
			break;
		PUSH(out, NEW(jv_num(&C->arena, v)));
	}
	return out;
}

/* $hash(data, algorithm): the hex digest; MD5, SHA-1, SHA-256, SHA-384, SHA-512. */
static jv  *
fn_hash(jn_ctx *C, jv **a, int n, jv *input)
{
	static const struct
	{
		const char *name;
		const EVP_MD *(*md) (void);
	}			algos[] = {
		{"MD5", EVP_md5}, {"SHA-1", EVP_sha1}, {"SHA-256", EVP_sha256},
		{"SHA-384", EVP_sha384}, {"SHA-512", EVP_sha512},
	};
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char		hex[2 * EVP_MAX_MD_SIZE + 1];

	UNUSED;
	if (a[0] == NULL || a[1] == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof algos / sizeof algos[0]; i++)
		if (strlen(algos[i].name) == a[1]->u.s.len &&
			memcmp(algos[i].name, a[1]->u.s.p, a[1]->u.s.len) == 0)
		{
			if (EVP_Digest(a[0]->u.s.p, a[0]->u.s.len, digest, &dlen, algos[i].md(), NULL) != 1)
				return jn_oom(C);
			for (unsigned int k = 0; k < dlen; k++)
				snprintf(hex + 2 * k, 3, "%02x", digest[k]);
			return NEW(jv_str(&C->arena, hex, 2 * dlen));
		}
	return jn_fail(C, "D3153", -1,
				   "The hashing algorithm of $hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, not '%.*s'",
				   (int) a[1]->u.s.len, a[1]->u.s.p);
}

/*
 * A seeded $random is java.util.Random(seed).nextDouble(), as AWS's is (seed
 * 42 gives 0.7275636800328681 there): the same number for the same seed. The
 * seed is the number as a Java long (truncated, saturated).
 */
static double
java_random_double(double seed)
{
	const uint64_t mask = (UINT64_C(1) << 48) - 1;
	const uint64_t mult = UINT64_C(0x5DEECE66D);
	int64_t		lseed = seed >= 9223372036854775807.0 ? INT64_MAX :
	seed <= -9223372036854775808.0 ? INT64_MIN : (int64_t) seed;
	uint64_t	s = ((uint64_t) lseed ^ mult) & mask;
	uint64_t	hi,
				lo;

	s = (s * mult + 0xB) & mask;
	hi = s >> (48 - 26);
	s = (s * mult + 0xB) & mask;
	lo = s >> (48 - 27);
	return (double) ((hi << 27) + lo) * (1.0 / 9007199254740992.0);
}

static jv  *
fn_random(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) input;
	if (n >= 1 && a[0] != NULL)
		return NEW(jv_num(&C->arena, java_random_double(a[0]->u.n)));
	return NEW(jv_num(&C->arena, (double) (jn_random_u64(C) >> 11) / 9007199254740992.0));
}

/* $uuid(): a version 4 UUID, from OpenSSL's random bytes (as States.UUID()) */
static jv  *
fn_uuid(jn_ctx *C, jv **a, int n, jv *input)
{
	unsigned char b[16];
	char		s[37];

	UNUSED;
	(void) a;
	if (RAND_bytes(b, sizeof b) != 1)
		return jn_fail(C, "U1001", -1, "OpenSSL could not supply random bytes for $uuid()");
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return NEW(jv_str(&C->arena, s, 36));
}

/*
 * A parsed document as values of the arena, strings and keys copied: the
 * document is freed before the evaluation ends. json-c's tokener bounds the
 * depth (32), so the recursion is bounded too.
 */
static jv  *
copy_json(jn_ctx *C, json_object *j)
{
	jv		   *v;

	switch (json_object_get_type(j))
	{
		case json_type_null:
			return jv_null(&C->arena);
		case json_type_string:
			return jv_str(&C->arena, json_object_get_string(j), (size_t) json_object_get_string_len(j));
		case json_type_array:
			v = jv_arr(&C->arena, JA_CONS);
			for (size_t i = 0; v != NULL && i < json_object_array_length(j); i++)
			{
				jv		   *item = copy_json(C, json_object_array_get_idx(j, i));

				if (item == NULL || !jv_push(&C->arena, v, item))
					return NULL;
			}
			return v;
		case json_type_object:
			v = jv_obj(&C->arena);
			if (v == NULL)
				return NULL;
			{
				json_object_object_foreach(j, key, val)
				{
					size_t		klen = strlen(key);
					char	   *k = jn_alloc(&C->arena, klen + 1);
					jv		   *item = copy_json(C, val);

					if (k == NULL || item == NULL)
						return NULL;
					memcpy(k, key, klen);
					if (!jv_set(&C->arena, v, k, klen, item))
						return NULL;
				}
			}
			return v;
		default:
			/* numbers and booleans hold no references */
			return jv_from_json(&C->arena, j);
	}
}

/* $parse(text): the JSON value text holds */
static jv  *
fn_parse(jn_ctx *C, jv **a, int n, jv *input)
{
	json_tokener *tok;
	json_object *doc;
	jv		   *v;
	char	   *text;
	size_t		len;
	enum json_tokener_error jerr;

	UNUSED;
	if (a[0] == NULL)
		return NULL;
	len = a[0]->u.s.len;
	/* the terminating NUL ends a bare number, which json-c otherwise waits on */
	text = jn_alloc(&C->arena, len + 1);
	tok = json_tokener_new();
	if (text == NULL || tok == NULL)
	{
		if (tok)
			json_tokener_free(tok);
		return jn_oom(C);
	}
	memcpy(text, a[0]->u.s.p, len);
	doc = json_tokener_parse_ex(tok, text, (int) len + 1);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_success && json_tokener_get_parse_end(tok) < len)
		jerr = json_tokener_error_parse_unexpected;
	json_tokener_free(tok);
	if (jerr != json_tokener_success)
	{
		json_object_put(doc);
		return jn_fail(C, "D3154", -1, "The argument of $parse is not valid JSON: %s",
					   json_tokener_error_desc(jerr));
	}
	v = copy_json(C, doc);
	json_object_put(doc);
	return NEW(v);
}

jn_builtin	jn_fn_aws[] = {
	JN_BUILTIN("partition", "<an:a>", fn_partition, 2),
	JN_BUILTIN("range", "<nnn:a<n>>", fn_range, 3),
	JN_BUILTIN("hash", "<s-s:s>", fn_hash, 2),
	JN_BUILTIN("random", "<n?:n>", fn_random, 1),
	JN_BUILTIN("uuid", "<:s>", fn_uuid, 0),
	JN_BUILTIN("parse", "<s-:x>", fn_parse, 1),
	{0}
};

/*
 * intrinsic_strings.c — the States.* functions over text: Base64Encode,
 * Base64Decode, Hash, StringSplit and UUID (AWS Step Functions Developer
 * Guide, "Intrinsic functions for JSONPath states", quoted as "AWS").
 */
#include "intrinsic_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base64.h"
#include "utf8.h"

/* AWS: Base64Encode, Base64Decode and Hash take at most 10000 characters. */
#define MAX_INPUT_CHARS		10000

/*
 * AWS counts characters as Java does, in UTF-16 code units: a character
 * outside the Basic Multilingual Plane (a 4-byte UTF-8 sequence) counts 2.
 */
static size_t
utf16_length(const char *s, size_t len)
{
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if ((c & 0xC0) != 0x80)
			n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

/*
 * Argument i as a string of at most MAX_INPUT_CHARS UTF-16 units, as AWS
 * limits its string functions.
 */
static bool
want_short_string(const asl_intrinsic *fn, json_object **vals, size_t i, const char *what,
				  const char **s, size_t *len, asl_error *err)
{
	size_t		chars;

	if (!intrinsic_want_string(fn, vals, i, what, s, len, err))
		return false;
	chars = utf16_length(*s, *len);
	if (chars > MAX_INPUT_CHARS)
		return intrinsic_failure(err, fn, "argument %zu (%s) has %zu characters; at most %d are allowed",
								 i + 1, what, chars, MAX_INPUT_CHARS);
	return true;
}

/* ---- encoding and hashing ---- */

/* States.Base64Encode(text): standard alphabet, padded, of the UTF-8 bytes. */
bool
intrinsic_base64_encode(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	const char *s;
	size_t		len;
	unsigned char *enc;
	int			n;

	if (!want_short_string(fn, vals, 0, "text", &s, &len, err))
		return false;
	enc = malloc(4 * ((len + 2) / 3) + 1);
	if (enc == NULL)
		return intrinsic_out_of_memory(err);
	n = EVP_EncodeBlock(enc, (const unsigned char *) s, (int) len);
	*out = n < 0 ? NULL : json_object_new_string_len((const char *) enc, n);
	free(enc);
	return *out != NULL || intrinsic_out_of_memory(err);
}

/*
 * Bytes as UTF-8 text, each ill-formed sequence (maximal subpart) replaced
 * by U+FFFD, as Java's String(bytes, UTF_8) does.
 */
static void
utf8_repair(const unsigned char *s, size_t len, asl_strbuf *out)
{
	static const char replacement[] = "\xEF\xBF\xBD";
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = s[i];
		size_t		need;
		unsigned char lo = 0x80,
					hi = 0xBF;
		size_t		k;

		if (c < 0x80)
		{
			asl_strbuf_add(out, (const char *) s + i++, 1);
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1;
		else if (c >= 0xE0 && c <= 0xEF)
		{
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		}
		else if (c >= 0xF0 && c <= 0xF4)
		{
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		}
		else
		{
			asl_strbuf_add(out, replacement, 3);
			i++;
			continue;
		}
		for (k = 1; k <= need && i + k < len; k++)
		{
			unsigned char b = s[i + k];

			if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
				break;
		}
		if (k > need)
			asl_strbuf_add(out, (const char *) s + i, need + 1);
		else
			asl_strbuf_add(out, replacement, 3);
		i += k > need ? need + 1 : k;
	}
}

/* States.Base64Decode(base64): the decoded bytes as text. */
bool
intrinsic_base64_decode(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	const char *s;
	size_t		len;
	unsigned char *dec;
	long		n;
	asl_strbuf	b = {0};

	if (!want_short_string(fn, vals, 0, "base64 text", &s, &len, err))
		return false;
	dec = malloc(3 * len / 4 + 1);
	if (dec == NULL)
		return intrinsic_out_of_memory(err);
	n = base64_decode_java(s, len, dec);
	if (n < 0)
	{
		free(dec);
		return intrinsic_bad_arg(err, fn, 0, "base64 text", "valid base64", vals[0]);
	}
	if (memchr(dec, '\0', (size_t) n) != NULL)
	{
		/* text can't hold U+0000: the same failure wherever the state runs */
		free(dec);
		return intrinsic_bad_arg(err, fn, 0, "base64 text", "base64 of text without NUL bytes", vals[0]);
	}
	asl_strbuf_add(&b, "", 0);
	utf8_repair(dec, (size_t) n, &b);
	free(dec);
	return intrinsic_buf_to_string(&b, out, err);
}

/* States.Hash(data, algorithm): lowercase hex digest of the UTF-8 bytes. */
bool
intrinsic_hash(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	static const struct
	{
		const char *name;
		const EVP_MD *(*md) (void);
	}			algorithms[] = {
		{"MD5", EVP_md5},
		{"SHA-1", EVP_sha1},
		{"SHA-256", EVP_sha256},
		{"SHA-384", EVP_sha384},
		{"SHA-512", EVP_sha512},
	};
	const char *data,
			   *alg;
	size_t		data_len,
				alg_len;
	const EVP_MD *md = NULL;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	char		hex[2 * EVP_MAX_MD_SIZE + 1];

	if (!want_short_string(fn, vals, 0, "data", &data, &data_len, err) ||
		!intrinsic_want_string(fn, vals, 1, "algorithm", &alg, &alg_len, err))
		return false;
	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (strlen(algorithms[i].name) == alg_len && memcmp(algorithms[i].name, alg, alg_len) == 0)
			md = algorithms[i].md();
	if (md == NULL)
		return intrinsic_bad_arg(err, fn, 1, "algorithm", "one of MD5, SHA-1, SHA-256, SHA-384, SHA-512", vals[1]);
	if (EVP_Digest(data, data_len, digest, &digest_len, md, NULL) != 1)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "%s: the %s digest failed", fn->def->name, alg);
		return false;
	}
	for (unsigned int i = 0; i < digest_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	*out = json_object_new_string_len(hex, (int) (2 * digest_len));
	return *out != NULL || intrinsic_out_of_memory(err);
}

/* True when the character s[0..n) is one of the characters of set. */
static bool
char_in_set(const char *s, size_t n, const char *set, size_t set_len)
{
	for (size_t i = 0; i < set_len; i += utf8_char_len(set + i, set_len - i))
		if (utf8_char_len(set + i, set_len - i) == n && memcmp(set + i, s, n) == 0)
			return true;
	return false;
}

/*
 * States.StringSplit(text, delimiters): split at every character of the
 * delimiter string, empty pieces dropped (the AWS example splits
 * "This.is+a,test=string" at ".+,="), as Java's StringTokenizer does.
 */
bool
intrinsic_string_split(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	const char *s,
			   *set;
	size_t		len,
				set_len,
				piece = 0;
	json_object *arr;

	if (!intrinsic_want_string(fn, vals, 0, "text", &s, &len, err) ||
		!intrinsic_want_string(fn, vals, 1, "delimiters", &set, &set_len, err))
		return false;
	arr = json_object_new_array();
	if (arr == NULL)
		return intrinsic_out_of_memory(err);
	for (size_t i = 0; i <= len;)
	{
		size_t		n = i < len ? utf8_char_len(s + i, len - i) : 0;

		if (i == len || char_in_set(s + i, n, set, set_len))
		{
			if (i > piece &&
				!intrinsic_array_add(arr, json_object_new_string_len(s + piece, (int) (i - piece)), err))
			{
				json_object_put(arr);
				return false;
			}
			if (i == len)
				break;
			piece = i + n;
		}
		i += n;
	}
	*out = arr;
	return true;
}

/* States.UUID(): a version 4 UUID, from RAND_bytes. */
bool
intrinsic_uuid(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	unsigned char b[16];
	char		text[37];

	(void) vals;
	if (RAND_bytes(b, sizeof b) != 1)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "%s: no random bytes available", fn->def->name);
		return false;
	}
	b[6] = (unsigned char) ((b[6] & 0x0F) | 0x40);	/* version 4 */
	b[8] = (unsigned char) ((b[8] & 0x3F) | 0x80);	/* RFC 4122 variant */
	snprintf(text, sizeof text,
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
			 b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	*out = json_object_new_string(text);
	return *out != NULL || intrinsic_out_of_memory(err);
}

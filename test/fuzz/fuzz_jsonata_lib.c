/*
 * fuzz_jsonata_lib.c — libFuzzer target for JSONata's support library
 * (src/core/jsonata/jn_*): bytes → a selector, a number and two strings,
 * fed to every picture, date, regular expression, text and number
 * function.
 *
 * Whatever the input, a function must neither crash nor leak, and a
 * failure must come with a JSONata code and a message.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonata/jn_datetime.h"
#include "core/jsonata/jn_numfmt.h"
#include "core/jsonata/jn_picture.h"
#include "core/jsonata/jn_regex.h"
#include "core/jsonata/jn_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_error(const char *result, const jn_liberr *err)
{
	if (result == NULL && (err->code == NULL || err->message[0] == '\0'))
		abort();
}

static void
check_rc(int rc, const jn_liberr *err)
{
	if (rc < 0 && (err->code == NULL || err->message[0] == '\0'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel;
	double		num;
	const char *a,
			   *b;
	size_t		alen,
				blen;
	char	   *sa,
			   *sb;
	const uint8_t *split;
	jn_liberr	err = {0};
	char	   *r;
	char		buf[JN_RADIX_BUFSZ];
	double		v;

	if (size < 9)
		return 0;
	sel = data[0];
	memcpy(&num, data + 1, sizeof num);
	data += 9;
	size -= 9;
	/* two strings separated by the first NUL */
	split = memchr(data, 0, size);
	alen = split ? (size_t) (split - data) : size;
	blen = split ? size - alen - 1 : 0;
	sa = malloc(alen + 1);
	sb = malloc(blen + 1);
	memcpy(sa, data, alen);
	sa[alen] = '\0';
	if (blen)
		memcpy(sb, split + 1, blen);
	sb[blen] = '\0';
	a = sa;
	b = sb;
	if (sel & 0x80)
		num = (double) ((size > 0 ? data[0] : 0) | (size > 1 ? data[1] << 8 : 0)) * (sel & 0x40 ? 1e9 : -1.25);

	switch (sel % 10)
	{
		case 0:
			{
				jn_decimal_format f;

				jn_decimal_format_default(&f);
				if (blen && (sel & 0x10))
					jn_decimal_format_set(&f, (sel & 0x20) ? "zero-digit" : "decimal-separator", b);
				r = jn_format_number(num, a, alen, &f, NULL, &err);
				check_error(r, &err);
				free(r);
				break;
			}
		case 1:
			r = jn_format_integer(num, a, alen, NULL, &err);
			check_error(r, &err);
			free(r);
			check_rc(jn_parse_integer(b, blen, a, alen, &v, &err), &err);
			break;
		case 2:
			r = jn_from_millis(num, alen ? a : NULL, alen, blen ? b : NULL, blen, NULL, &err);
			check_error(r, &err);
			free(r);
			break;
		case 3:
			check_rc(jn_to_millis(b, blen, alen ? a : NULL, alen, 1.5e12, &v, &err), &err);
			break;
		case 4:
			{
				jn_regex   *re = jn_regex_compile(a, alen, (sel & 0x10) ? "im" : "", &err);

				if (!re)
				{
					check_error(NULL, &err);
					break;
				}
				if (jn_text_utf8_valid(b, blen))
				{
					jn_regex_iter it;
					jn_regex_match m;
					int			rc,
								n = 0;

					if (jn_regex_iter_init(&it, re, b, blen, 0, &err))
					{
						while (n++ < 1000 && (rc = jn_regex_iter_next(&it, &m, &err)) == 1)
						{
							size_t		len;
							char	   *x = jn_regex_expand("[$0|$1|$$|$12]", 14, b, &m, &len);

							if (m.end < m.start || m.end > blen)
								abort();
							free(x);
						}
						jn_regex_iter_done(&it);
					}
				}
				jn_regex_free(re);
				break;
			}
		case 5:
			{
				size_t		off,
							n;

				jn_text_substring(a, alen, num, sel & 0x10, num / 3, &off, &n);
				if (off + n > alen)
					abort();
				r = jn_text_pad(a, alen, fmod(num, 300), b, blen, 4096, NULL, &err);
				free(r);
				(void) jn_text_length(a, alen);
				(void) jn_text_byte_offset16(a, alen, isfinite(num) ? (size_t) fabs(fmod(num, 64)) : 0);
				(void) jn_text_compare(a, alen, b, blen);
				(void) jn_text_find(a, alen, b, blen, 0);
				r = jn_text_trim(a, alen, NULL);
				free(r);
				break;
			}
		case 6:
			r = jn_text_uri((jn_uri_op) (sel >> 4 & 3), a, alen, NULL, &err);
			check_error(r, &err);
			free(r);
			break;
		case 7:
			r = jn_text_base64_encode(a, alen, NULL);
			free(r);
			r = jn_text_base64_decode(a, alen, NULL);
			free(r);
			break;
		case 8:
			check_rc(jn_format_base(num, (double) (sel >> 3), buf, &err), &err);
			jn_num_to_js(num, buf);
			check_rc(jn_num_to_string(num, buf, &err), &err);
			(void) jn_num_round_half_even(num, (int) (sel >> 4) - 8);
			break;
		default:
			(void) jn_num_parse(a, alen, &v);
			break;
	}
	free(sa);
	free(sb);
	return 0;
}

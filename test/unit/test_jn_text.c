/*
 * test_jn_text.c — counting, slicing, padding, URI and base64 functions as
 * JSONata does them. Cases named "suite group/case" come from the official
 * JSONata test suite (../shared/jsonata/suite.jsonl).
 */
#include <math.h>

#include "unit.h"
#include "jsonata/jn_text.h"

static char outbuf[512];

static const char *
sub(const char *s, double start, bool has_len, double len)
{
	size_t		off,
				n;

	jn_text_substring(s, strlen(s), start, has_len, len, &off, &n);
	snprintf(outbuf, sizeof outbuf, "%.*s", (int) n, s + off);
	return outbuf;
}

static const char *
pad(const char *s, double width, const char *chars)
{
	jn_liberr	err = {0};
	size_t		n;
	char	   *r = jn_text_pad(s, strlen(s), width, chars, chars ? strlen(chars) : 0, 1000, &n, &err);

	if (!r)
		return err.code;
	CHECK_INT(n, strlen(r));
	snprintf(outbuf, sizeof outbuf, "%s", r);
	free(r);
	return outbuf;
}

static const char *
uri(jn_uri_op op, const char *s)
{
	jn_liberr	err = {0};
	char	   *r = jn_text_uri(op, s, strlen(s), NULL, &err);

	if (!r)
	{
		snprintf(outbuf, sizeof outbuf, "%s: %s", err.code, err.message);
		return outbuf;
	}
	snprintf(outbuf, sizeof outbuf, "%s", r);
	free(r);
	return outbuf;
}

static const char *
b64(bool enc, const char *s)
{
	char	   *r = enc ? jn_text_base64_encode(s, strlen(s), NULL) : jn_text_base64_decode(s, strlen(s), NULL);

	snprintf(outbuf, sizeof outbuf, "%s", r ? r : "(null)");
	free(r);
	return outbuf;
}

static const char *
trim(const char *s)
{
	char	   *r = jn_text_trim(s, strlen(s), NULL);

	snprintf(outbuf, sizeof outbuf, "%s", r);
	free(r);
	return outbuf;
}

static const char *
casemap(const char *s, bool upper)
{
	size_t		len;
	char	   *r = jn_text_case(s, strlen(s), upper, &len);

	snprintf(outbuf, sizeof outbuf, "%s", r);
	CHECK_INT((int) len, (int) strlen(r));
	free(r);
	return outbuf;
}

/* JavaScript's toUpperCase / toLowerCase, beyond ASCII and Latin-1 */
static void
test_case(void)
{
	CHECK_STR(casemap("abc xyz \xc3\xa9\xc3\xbf", true), "ABC XYZ \xc3\x89\xc5\xb8");	/* é ÿ -> É Ÿ */
	CHECK_STR(casemap("\xce\xb1\xce\xb2\xce\xb3 \xd0\xbf\xd1\x80\xd0\xb8", true), "\xce\x91\xce\x92\xce\x93 \xd0\x9f\xd0\xa0\xd0\x98");	/* αβγ при */
	CHECK_STR(casemap("stra\xc3\x9f" "e \xef\xac\x81", true), "STRASSE FI");	/* ß, the fi ligature */
	CHECK_STR(casemap("\xc4\xb0", false), "i\xcc\x87");	/* İ: i and a combining dot */
	CHECK_STR(casemap("\xf0\x90\x90\x80", false), "\xf0\x90\x90\xa8");	/* Deseret, beyond the BMP */
	/* capital sigma: final at the end of a word only */
	CHECK_STR(casemap("\xce\xa3\xce\x91\xce\xa3 \xce\xa3", false), "\xcf\x83\xce\xb1\xcf\x82 \xcf\x83");	/* ΣΑΣ Σ -> σας σ */
	CHECK_STR(casemap("A\xce\xa3'A", false), "a\xcf\x83'a");
	CHECK_STR(casemap("A\xce\xa3'.", false), "a\xcf\x82'.");
	CHECK_STR(casemap("", true), "");
}

static void
test_counting(void)
{
	CHECK_INT(jn_text_length("", 0), 0);	/* suite function-length/case000 */
	CHECK_INT(jn_text_length("hello", 5), 5);	/* suite function-length/case001 */
	CHECK_INT(jn_text_length("\xce\xbb-calculus", 11), 10);	/* suite function-length/case003 */
	CHECK_INT(jn_text_length("\xf0\x9d\x84\x9e", 4), 1);	/* suite function-length/case004, 005 */
	CHECK_INT(jn_text_length("超明體繁", strlen("超明體繁")), 4);	/* suite function-length/case006 */
	CHECK_INT(jn_text_length("\t", 1), 1);	/* suite function-length/case007 */
	CHECK_INT(jn_text_length("𝄞💩", strlen("𝄞💩")), 2);	/* suite function-length/case016 */
	CHECK_INT(jn_text_utf16_length("𝄞💩a", strlen("𝄞💩a")), 5);
	CHECK_INT(jn_text_utf16_index("a𝄞b", 5), 3);
	CHECK_INT(jn_text_byte_offset16("a𝄞b", 6, 3), 5);
	CHECK_INT(jn_text_byte_offset16("a𝄞b", 6, 2), 1);	/* inside the pair */
	CHECK_INT(jn_text_byte_offset16("a𝄞b", 6, 99), 6);
	CHECK_INT(jn_text_byte_offset("a𝄞b", 6, 2), 5);
	/* malformed bytes count one each and are never overrun */
	CHECK_INT(jn_text_length("\xf0\x9d", 2), 2);
	CHECK(!jn_text_utf8_valid("\xed\xa0\x80", 3));
	CHECK(!jn_text_utf8_valid("\xc0\xaf", 2));
	CHECK(jn_text_utf8_valid("a\xc3\xa9", 3));
}

static void
test_substring(void)
{
	CHECK_STR(sub("hello world", 0, true, 5), "hello");	/* suite function-substring/case000 */
	CHECK_STR(sub("hello world", -5, true, 5), "world");	/* suite function-substring/case001 */
	CHECK_STR(sub("hello world", 6, false, 0), "world");	/* suite function-substring/case002 */
	CHECK_STR(sub("𝄞💩", 0, true, 2), "𝄞💩");	/* suite function-substring/case004 */
	CHECK_STR(sub("𝄞💩", 0, true, 1), "𝄞");	/* suite function-substring/case005 */
	CHECK_STR(sub("𝄞💩", 1, true, 1), "💩");	/* suite function-substring/case006 */
	CHECK_STR(sub("hello world", -5, false, 0), "world");	/* suite function-substring/case007 */
	CHECK_STR(sub("hello world", -5, true, 4), "worl");	/* suite function-substring/case009 */
	CHECK_STR(sub("hello world", -5, true, 1), "w");	/* suite function-substring/case010 */
	CHECK_STR(sub("hello world", -5, true, 0), "");	/* suite function-substring/case011 */
	CHECK_STR(sub("hello world", -5, true, -1), "");	/* suite function-substring/case012 */
	CHECK_STR(sub("hello world", 0, true, -6), "");	/* suite function-substring/case013 */
	CHECK_STR(sub("hello world", -100, true, 3), "hel");	/* suite function-substring/case014 */
	CHECK_STR(sub("😂😁😀", -2, true, 1), "😁");	/* suite function-substring/case015 */
	CHECK_STR(sub("😂😁😀", -3, true, 1), "😂");	/* suite function-substring/case016 */
	CHECK_STR(sub("😂😁😀", -4, true, 1), "😂");	/* suite function-substring/case017 */
	CHECK_STR(sub("😂😁😀", -5, true, 1), "😂");	/* suite function-substring/case018 */
	CHECK_STR(sub("Physician", 7, true, 4), "an");
	CHECK_STR(sub("Hello World", 5.5, true, 5), " Worl");	/* suite transform/case098 */
	CHECK_STR(sub("Hello World", 3, true, 5), "lo Wo");	/* suite transform/case056 */
	CHECK_STR(sub("abc", 1, true, NAN), "");
	CHECK_STR(sub("abc", 1, true, INFINITY), "bc");
	CHECK_STR(sub("abc", 5, false, 0), "");
}

static void
test_find_compare(void)
{
	CHECK_INT(jn_text_find("hello world", 11, "o", 1, 0), 4);
	CHECK_INT(jn_text_find("hello world", 11, "o", 1, 5), 7);
	CHECK_INT(jn_text_find("hello world", 11, "x", 1, 0), -1);
	CHECK_INT(jn_text_find("hello", 5, "", 0, 2), 2);
	CHECK_INT(jn_text_find("hello", 5, "o", 1, 9), -1);
	CHECK(jn_text_compare("a", 1, "b", 1) < 0);
	CHECK(jn_text_compare("ab", 2, "a", 1) > 0);
	CHECK(jn_text_compare("abc", 3, "abc", 3) == 0);
	/* U+FF01 sorts after U+1F600 in bytes but before it in UTF-16 code units */
	CHECK(jn_text_compare("\xef\xbc\x81", 3, "😀", 4) > 0);
	CHECK(memcmp("\xef\xbc\x81", "😀", 3) < 0);
}

static void
test_pad_trim(void)
{
	CHECK_STR(pad("foo", 5, NULL), "foo  ");	/* suite function-pad/case000 */
	CHECK_STR(pad("foo", -5, NULL), "  foo");	/* suite function-pad/case001 */
	CHECK_STR(pad("foo", -5, "#"), "##foo");	/* suite function-pad/case002 */
	CHECK_STR(pad("foo", 5, ""), "foo  ");	/* suite function-pad/case003 */
	CHECK_STR(pad("foo", 1, NULL), "foo");	/* suite function-pad/case004 */
	CHECK_STR(pad("foo", 8, "-+"), "foo-+-+-");	/* suite function-pad/case005 */
	CHECK_STR(pad("a𝄞💩", 7, NULL), "a𝄞💩    ");	/* suite function-pad/case007 */
	CHECK_STR(pad("𝄞💩", -7, NULL), "     𝄞💩");	/* suite function-pad/case008 */
	CHECK_STR(pad("a𝄞💩", 7, "💩"), "a𝄞💩💩💩💩💩");	/* suite function-pad/case009 */
	CHECK_STR(pad("a𝄞💩", 6, "💩"), "a𝄞💩💩💩💩");	/* suite function-pad/case010 */
	CHECK_STR(pad("foo", 5.7, " "), "foo  ");	/* suite function-pad/case011 */
	CHECK_STR(pad("foo", -5.7, " "), "  foo");	/* suite function-pad/case012 */
	CHECK_STR(pad("foo", 1e12, NULL), "RangeError");
	CHECK_STR(pad("foo", 800, "ab\xc3\xa9"), "RangeError");	/* 797 pad characters, over 1000 bytes */
	CHECK_STR(trim("Hello World"), "Hello World");	/* suite function-trim/case000 */
	CHECK_STR(trim("   Hello  \n  \t World  \t "), "Hello World");	/* suite function-trim/case001 */
	CHECK_STR(trim("   Hello    World   "), "Hello World");	/* suite function-applications/case005 */
	CHECK_STR(trim(" "), "");
	CHECK_STR(trim(""), "");
}

static void
test_uri(void)
{
	CHECK_STR(uri(JN_DECODE_URL, "https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B"),
			  "https://mozilla.org/?x=шеллы");	/* suite function-decodeUrl/case000 */
	CHECK_STR(uri(JN_DECODE_URL, "%E0%A4%A"),
			  "D3140: Malformed URL passed to $decodeUrl(): \"%E0%A4%A\"");	/* suite function-decodeUrl/case002 */
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%3Fx%3Dtest"), "?x=test");	/* suite function-decodeUrlComponent/case000 */
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%E0%A4%A"),
			  "D3140: Malformed URL passed to $decodeUrlComponent(): \"%E0%A4%A\"");	/* suite function-decodeUrlComponent/case002 */
	CHECK_STR(uri(JN_ENCODE_URL, "https://mozilla.org/?x=шеллы"),
			  "https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B");	/* suite function-encodeUrl/case000 */
	CHECK_STR(uri(JN_ENCODE_URL, "\xed\xa0\x80"),
			  "D3140: Malformed URL passed to $encodeUrl(): \"\xed\xa0\x80\"");	/* suite function-encodeUrl/case002 (a lone surrogate) */
	CHECK_STR(uri(JN_ENCODE_URL_COMPONENT, "?x=test"), "%3Fx%3Dtest");	/* suite function-encodeUrlComponent/case000 */
	CHECK_STR(uri(JN_ENCODE_URL_COMPONENT, "\xed\xa0\x80"),
			  "D3140: Malformed URL passed to $encodeUrlComponent(): \"\xed\xa0\x80\"");	/* suite function-encodeUrlComponent/case002 */
	CHECK_STR(uri(JN_ENCODE_URL_COMPONENT, "a b-_.!~*'()#;/"), "a%20b-_.!~*'()%23%3B%2F");
	CHECK_STR(uri(JN_ENCODE_URL, "a b#;/?:@&=+$,[]"), "a%20b#;/?:@&=+$,%5B%5D");
	CHECK_STR(uri(JN_ENCODE_URL, "😀"), "%F0%9F%98%80");
	/* decodeURI keeps escapes of reserved characters; decodeURIComponent does not */
	CHECK_STR(uri(JN_DECODE_URL, "%3B%2f%41%23"), "%3B%2fA%23");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%3B%2f%41%23"), ";/A#");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%F0%9F%98%80"), "😀");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%"), "D3140: Malformed URL passed to $decodeUrlComponent(): \"%\"");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%zz"), "D3140: Malformed URL passed to $decodeUrlComponent(): \"%zz\"");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%C0%AF"), "D3140: Malformed URL passed to $decodeUrlComponent(): \"%C0%AF\"");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%ED%A0%80"), "D3140: Malformed URL passed to $decodeUrlComponent(): \"%ED%A0%80\"");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%80"), "D3140: Malformed URL passed to $decodeUrlComponent(): \"%80\"");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "%E0%A4"), "D3140: Malformed URL passed to $decodeUrlComponent(): \"%E0%A4\"");
	CHECK_STR(uri(JN_DECODE_URL_COMPONENT, "x\xc3\xa9y"), "x\xc3\xa9y");
}

static void
test_base64(void)
{
	CHECK_STR(b64(true, "hello:world"), "aGVsbG86d29ybGQ=");	/* suite encoding/case000 */
	CHECK_STR(b64(false, "aGVsbG86d29ybGQ="), "hello:world");	/* suite encoding/case002 */
	CHECK_STR(b64(true, ""), "");
	CHECK_STR(b64(true, "a"), "YQ==");
	CHECK_STR(b64(true, "ab"), "YWI=");
	CHECK_STR(b64(true, "\xc3\xa9"), "6Q==");	/* é is the byte 0xE9 (Buffer 'binary') */
	CHECK_STR(b64(false, "6Q=="), "\xc3\xa9");
	CHECK_STR(b64(true, "\xe2\x82\xac"), "rA==");	/* € U+20AC keeps its low byte */
	CHECK_STR(b64(false, "YW Jj\nZA"), "abcd");	/* white space and junk skipped */
	CHECK_STR(b64(false, "YQ==YWJj"), "a");	/* "=" ends the data */
	CHECK_STR(b64(false, "-_8"), "\xc3\xbb\xc3\xbf");	/* URL-safe alphabet: 0xFB 0xFF */
}

UNIT_MAIN("jn_text", {
	test_case();
	test_counting();
	test_substring();
	test_find_compare();
	test_pad_trim();
	test_uri();
	test_base64();
})

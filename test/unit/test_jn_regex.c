/*
 * test_jn_regex.c — JavaScript regular expressions over PCRE2, driven the
 * way JSONata's $match, $replace, $split and $contains drive them. Cases
 * named "suite group/case" come from the official JSONata test suite
 * (../shared/jsonata/suite.jsonl); the others pin JavaScript behaviour.
 */
#include "unit.h"
#include "strbuf.h"
#include "jsonata/jn_regex.h"

static char out[1024];

static jn_regex *
rx(const char *pattern, const char *flags)
{
	jn_liberr	err = {0};
	jn_regex   *re = jn_regex_compile(pattern, strlen(pattern), flags, &err);

	if (!re)
		snprintf(out, sizeof out, "%s: %s", err.code, err.message);
	return re;
}

/* JSONata's $replace(str, regex, replacement[, limit]) with a string replacement */
static const char *
replace(const char *str, const char *pattern, const char *flags, const char *repl, int limit)
{
	jn_regex   *re = rx(pattern, flags);
	jn_regex_iter it;
	jn_regex_match m;
	jn_liberr	err = {0};
	asl_strbuf	b = {0};
	size_t		pos = 0;
	int			count = 0,
				rc;

	if (!re)
		return out;
	if (!jn_regex_iter_init(&it, re, str, strlen(str), 0, &err))
		return "init failed";
	while ((limit < 0 || count < limit) && (rc = jn_regex_iter_next(&it, &m, &err)) == 1)
	{
		size_t		n;
		char	   *sub = jn_regex_expand(repl, strlen(repl), str, &m, &n);

		asl_strbuf_add(&b, str + pos, m.start - pos);
		asl_strbuf_add(&b, sub, n);
		free(sub);
		pos = m.end;
		count++;
	}
	if (rc < 0 && (limit < 0 || count < limit))
		snprintf(out, sizeof out, "%s", err.code);
	else
	{
		asl_strbuf_add(&b, str + pos, strlen(str) - pos);
		snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	}
	free(b.data);
	jn_regex_iter_done(&it);
	jn_regex_free(re);
	return out;
}

/* JSONata's $split(str, regex[, limit]), the parts joined with "|" */
static const char *
split(const char *str, const char *pattern, int limit)
{
	jn_regex   *re = rx(pattern, NULL);
	jn_regex_iter it;
	jn_regex_match m;
	jn_liberr	err = {0};
	asl_strbuf	b = {0};
	size_t		start = 0;
	int			count = 0,
				rc = 0,
				any = 0;

	if (!re)
		return out;
	jn_regex_iter_init(&it, re, str, strlen(str), 0, &err);
	while ((limit < 0 || count < limit) && (rc = jn_regex_iter_next(&it, &m, &err)) == 1)
	{
		if (count)
			asl_strbuf_add(&b, "|", 1);
		asl_strbuf_add(&b, str + start, m.start - start);
		start = m.end;
		count++;
		any = 1;
	}
	if (rc < 0)
		snprintf(out, sizeof out, "%s", err.code);
	else
	{
		if (limit < 0 || count < limit)
		{
			if (any)
				asl_strbuf_add(&b, "|", 1);
			asl_strbuf_add(&b, str + start, strlen(str) - start);
		}
		snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	}
	free(b.data);
	jn_regex_iter_done(&it);
	jn_regex_free(re);
	return out;
}

/* JSONata's $match(str, regex) as "match@index(g1,g2)" items joined with " " */
static const char *
match(const char *str, const char *pattern, const char *flags)
{
	jn_regex   *re = rx(pattern, flags);
	jn_regex_iter it;
	jn_regex_match m;
	jn_liberr	err = {0};
	asl_strbuf	b = {0};
	char		tmp[32];
	int			rc;

	if (!re)
		return out;
	jn_regex_iter_init(&it, re, str, strlen(str), 0, &err);
	while ((rc = jn_regex_iter_next(&it, &m, &err)) == 1)
	{
		if (b.len)
			asl_strbuf_add(&b, " ", 1);
		asl_strbuf_add(&b, str + m.start, m.end - m.start);
		snprintf(tmp, sizeof tmp, "@%zu(", m.index);
		asl_strbuf_add(&b, tmp, strlen(tmp));
		for (int g = 0; g < m.ngroups; g++)
		{
			if (g)
				asl_strbuf_add(&b, ",", 1);
			if (m.groups[g].set)
				asl_strbuf_add(&b, str + m.groups[g].start, m.groups[g].end - m.groups[g].start);
			else
				asl_strbuf_add(&b, "undefined", 9);
		}
		asl_strbuf_add(&b, ")", 1);
	}
	if (rc < 0)
		snprintf(out, sizeof out, "%s", err.code);
	else
		snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	free(b.data);
	jn_regex_iter_done(&it);
	jn_regex_free(re);
	return out;
}

static bool
contains(const char *str, const char *pattern, const char *flags)
{
	jn_regex   *re = rx(pattern, flags);
	jn_regex_iter it;
	jn_regex_match m;
	jn_liberr	err = {0};
	int			rc;

	jn_regex_iter_init(&it, re, str, strlen(str), 0, &err);
	rc = jn_regex_iter_next(&it, &m, &err);
	jn_regex_iter_done(&it);
	jn_regex_free(re);
	return rc == 1;
}

static void
test_suite_cases(void)
{
	CHECK_STR(split("ababbxabbcc", "b+", -1), "a|a|xa|cc");	/* suite regex/case000 */
	CHECK_STR(split("ababbxabbcc", "b+", 2), "a|a");	/* suite regex/case001 */
	CHECK_STR(split("ababbxabbcc", "d+", -1), "ababbxabbcc");	/* suite regex/case002 */
	CHECK(contains("ababbxabbcc", "ab+", NULL));	/* suite regex/case003 */
	CHECK(!contains("ababbxabbcc", "ax+", NULL));	/* suite regex/case004 */
	CHECK(!contains("Bowler Hat", "hat", NULL));	/* suite regex/case005 */
	CHECK(contains("Bowler Hat", "hat", "i"));	/* suite regex/case006 */
	CHECK_STR(replace("ababbxabbcc", "b+", NULL, "yy", -1), "ayyayyxayycc");	/* suite regex/case007 */
	CHECK_STR(replace("ababbxabbcc", "b+", NULL, "yy", 2), "ayyayyxabbcc");	/* suite regex/case008 */
	CHECK_STR(replace("ababbxabbcc", "b+", NULL, "yy", 0), "ababbxabbcc");	/* suite regex/case009 */
	CHECK_STR(replace("ababbxabbcc", "d+", NULL, "yy", -1), "ababbxabbcc");	/* suite regex/case010 */
	CHECK_STR(replace("John Smith", "(\\w+)\\s(\\w+)", NULL, "$2, $1", -1), "Smith, John");	/* suite regex/case011 */
	CHECK_STR(replace("265USD", "([0-9]+)USD", NULL, "$$$1", -1), "$265");	/* suite regex/case012 */
	CHECK_STR(replace("265USD", "([0-9]+)USD", NULL, "$w", -1), "$w");	/* suite regex/case013 */
	CHECK_STR(replace("265USD", "([0-9]+)USD", NULL, "$0 -> $$$1", -1), "265USD -> $265");	/* suite regex/case014 */
	CHECK_STR(replace("265USD", "([0-9]+)USD", NULL, "$0$1$2", -1), "265USD265");	/* suite regex/case015 */
	CHECK_STR(replace("abcd", "(ab)|(a)", NULL, "[1=$1][2=$2]", -1), "[1=ab][2=]cd");	/* suite regex/case016 */
	CHECK_STR(replace("abracadabra", "bra", NULL, "*", -1), "a*cada*");	/* suite regex/case017 */
	CHECK_STR(replace("abracadabra", "a.*a", NULL, "*", -1), "*");	/* suite regex/case018 */
	CHECK_STR(replace("abracadabra", "a.*?a", NULL, "*", -1), "*c*bra");	/* suite regex/case019 */
	CHECK_STR(replace("abracadabra", "a", NULL, "", -1), "brcdbr");	/* suite regex/case020 */
	CHECK_STR(replace("abracadabra", "a(.)", NULL, "a$1$1", -1), "abbraccaddabbra");	/* suite regex/case021 */
	CHECK_STR(replace("abracadabra", ".*?", NULL, "$1", -1), "D1004");	/* suite regex/case022 */
	CHECK_STR(replace("AAAA", "A+", NULL, "b", -1), "b");	/* suite regex/case023 */
	CHECK_STR(replace("AAAA", "A+?", NULL, "b", -1), "bbbb");	/* suite regex/case024 */
	CHECK_STR(replace("darted", "^(.*?)d(.*)$", NULL, "$1c$2", -1), "carted");	/* suite regex/case025 */
	CHECK_STR(replace("abcdefghijklmno", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)(m)", NULL,
					  "$8$5$12$12$18$123", -1), "hella8l3no");	/* suite regex/case026 */
	CHECK_STR(replace("abcdefghijklmno", "xyz", NULL, "$8$5$12$12$18$123", -1), "abcdefghijklmno");	/* suite regex/case027 */
	CHECK_STR(replace("abcdefghijklmno", "ijk", NULL, "$8$5$12$12$18$123", -1), "abcdefgh22823lmno");	/* suite regex/case028 */
	CHECK_STR(replace("abcdefghijklmno", "(ijk)", NULL, "$8$5$12$12$18$123", -1),
			  "abcdefghijk2ijk2ijk8ijk23lmno");	/* suite regex/case029 */
	CHECK_STR(replace("abcdefghijklmno", "ijk", NULL, "$x", -1), "abcdefgh$xlmno");	/* suite regex/case030 */
	CHECK_STR(replace("abcdefghijklmno", "(ijk)", NULL, "$x$", -1), "abcdefgh$x$lmno");	/* suite regex/case031 */
	CHECK_STR(match("temperature = 68F today", "(-?\\d+(?:\\.\\d*)?)F\\b", NULL), "68F@14(68)");	/* suite regex/case034 */
	CHECK_STR(match("Felicia Saunders 21", "^(\\w*\\s\\w*)", NULL), "Felicia Saunders@0(Felicia Saunders)");	/* suite regex/case037 */
	CHECK_STR(replace("Bowler Hat", "(h)(at)", "i", "[$0]", -1), "Bowler [Hat]");	/* suite regex/case033 */
}

static void
test_javascript_semantics(void)
{
	/* $match reports UTF-16 indexes */
	CHECK_STR(match("😀a😀a", "a", NULL), "a@2() a@5()");
	CHECK_STR(match("ééa", "a", NULL), "a@2()");
	/* the first match may be empty; a later empty match is D1004 */
	CHECK_STR(match("abc", "x*", NULL), "D1004");
	CHECK_STR(match("", "x*", NULL), "@0()");
	CHECK_STR(match("ab", "b*$", NULL), "b@1()");
	CHECK_STR(match("ab", "a|$", NULL), "D1004");
	CHECK_STR(match("ab", "b$", NULL), "b@1()");
	/* unset groups */
	CHECK_STR(match("b", "(a)?b", NULL), "b@0(undefined)");
	CHECK_STR(match("xy", "(?<first>x)(y)", NULL), "xy@0(x,y)");
	/* \s is JavaScript's (NBSP, U+FEFF), \d and \w are ASCII */
	CHECK_STR(match("a\xc2\xa0" "b\xef\xbb\xbf" "c", "\\s", NULL), "\xc2\xa0@1() \xef\xbb\xbf@3()");
	CHECK_STR(match("a\xc2\xa0" "b", "[\\S]+", NULL), "a@0() b@2()");
	CHECK_STR(match("٣3", "\\d", NULL), "3@1()");
	CHECK_STR(match("é_a", "\\w+", NULL), "_a@1()");
	/* '.' stops at line terminators, $ is the end of input only */
	CHECK_STR(match("a\nb", "a.b", NULL), "");
	CHECK_STR(match("ab\n", "b$", NULL), "");
	CHECK_STR(match("a\xe2\x80\xa8" "b", ".", NULL), "a@0() b@2()");
	/* multiline: ^ and $ at every line terminator, including \r and U+2028 */
	CHECK_STR(match("a\nb\rc\xe2\x80\xa8" "d", "^\\w$", "m"), "a@0() b@2() c@4() d@6()");
	CHECK_STR(match("a\nb", "^b", NULL), "");
	/* case-insensitive, also beyond ASCII */
	CHECK_STR(match("ÉCOLE école", "école", "i"), "ÉCOLE@0() école@6()");
	/* escapes: identity letters, \u, surrogate pairs, \x, \v, \0, octal, \cJ, \8 */
	CHECK_STR(match("AQz", "\\A\\Q", NULL), "AQ@0()");
	CHECK_STR(match("p{L}", "\\p{L}", NULL), "p{L}@0()");
	CHECK_STR(match("é😀", "\\u00e9\\ud83d\\ude00", NULL), "é😀@0()");
	CHECK_STR(match("xA", "\\x41", NULL), "A@1()");
	CHECK_STR(match("xg", "\\xg", NULL), "xg@0()");
	CHECK_STR(match("a\x0b" "b", "\\v", NULL), "\x0b@1()");
	CHECK_STR(match("a\x01" "b", "\\1", NULL), "\x01@1()");
	CHECK_STR(match("a\nb", "\\cJ", NULL), "\n@1()");
	CHECK_STR(match("a8", "\\8", NULL), "8@1()");
	CHECK_STR(match("a\x08" "b", "[\\b]", NULL), "\x08@1()");
	/* backreferences; an unset group's backreference matches empty */
	CHECK_STR(match("abab", "(ab)\\1", NULL), "abab@0(ab)");
	CHECK_STR(match("b", "(a)?\\1b", NULL), "b@0(undefined)");
	CHECK_STR(match("aa", "(?<x>a)\\k<x>", NULL), "aa@0(a)");
	/* classes: [ is literal inside, [] matches nothing, [^] anything */
	CHECK_STR(match("a:b", "[[:a]+", NULL), "a:@0()");
	CHECK_STR(match("ab", "a[]", NULL), "");
	CHECK_STR(match("a\nb", "a[^]b", NULL), "a\nb@0()");
	/* lookbehind sees text before the search start; ^ does not match there */
	CHECK_STR(match("xaya", "(?<=y)a", NULL), "a@3()");
	CHECK_STR(match("aa", "^a", NULL), "a@0()");
	/* lazy quantifiers; a lookahead may be repeated (Annex B); braces that are no quantifier */
	CHECK_STR(match("aaa", "a+?", NULL), "a@0() a@1() a@2()");
	CHECK_STR(match("aaa", "a{2,}?", NULL), "aa@0()");
	CHECK_STR(match("ab", "(?=a)*a", NULL), "a@0()");
	CHECK_STR(match("a{,2}", "a{,2}", NULL), "a{,2}@0()");
	/* a brace that is no quantifier is literal */
	CHECK_STR(match("a{b", "a{b", NULL), "a{b@0()");
}

/* a host that stops a search at its fifth poll */
static int	polls;

static bool
stop_at_fifth(void *arg)
{
	(void) arg;
	return ++polls >= 5;
}

static void
test_errors(void)
{
	jn_liberr	err = {0};

	CHECK(rx("", NULL) == NULL);
	CHECK(strncmp(out, "S0301", 5) == 0);
	CHECK(rx("a(", NULL) == NULL);
	CHECK_MSG(strncmp(out, "S0303: Invalid regular expression: /a(/: ", 41) == 0, "%s", out);
	CHECK(rx("(?i)a", NULL) == NULL);
	CHECK_STR(out, "S0303: Invalid regular expression: /(?i)a/: Invalid group at offset 0");
	CHECK(rx("(*LIMIT_MATCH=1)a", NULL) == NULL);
	CHECK(rx("[a", NULL) == NULL);
	CHECK(rx("*", NULL) == NULL);
	CHECK(rx("a", "g") == NULL);
	CHECK(strncmp(out, "S0303", 5) == 0);
	CHECK(rx("a\\", NULL) == NULL);
	/* quantifiers only after atoms, as JavaScript checks them */
	CHECK(rx("a++", NULL) == NULL);
	CHECK_STR(out, "S0303: Invalid regular expression: /a++/: Nothing to repeat at offset 2");
	CHECK(rx("a{2}+", NULL) == NULL);
	CHECK(rx("^*", "m") == NULL);
	CHECK(rx("$+", NULL) == NULL);
	CHECK(rx("\\b?", NULL) == NULL);
	CHECK(rx("(?<=a)*", NULL) == NULL);
	CHECK(rx("{1}", NULL) == NULL);
	CHECK(rx("a|*", NULL) == NULL);
	CHECK(rx("a)", NULL) == NULL);
	{
		jn_regex   *re = rx("(a)(b)?", "im");
		jn_regex_iter it;

		CHECK(re != NULL);
		CHECK_INT(jn_regex_group_count(re), 2);
		CHECK(!jn_regex_iter_init(&it, re, "a\xff", 2, 0, &err));
		CHECK_STR(err.code, "UTF8");
		jn_regex_free(re);
	}
	/* catastrophic backtracking stops with an error instead of spinning */
	{
		jn_regex   *re = rx("(a+)+$", NULL);
		jn_regex_iter it;
		jn_regex_match m;
		const char *s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
		int			rc;

		jn_regex_iter_init(&it, re, s, strlen(s), 0, &err);
		rc = jn_regex_iter_next(&it, &m, &err);
		CHECK_INT(rc, -1);
		CHECK_STR(err.code, "U1001");
		jn_regex_iter_done(&it);
		jn_regex_free(re);
	}
	/*
	 * one search over a long subject asks the host at each start position
	 * (each under the budget, together long): the host stops it
	 */
	{
		jn_regex   *re = rx("(a+)+x|b", NULL);
		jn_regex_iter it;
		jn_regex_match m;
		char		s[2201];
		int			rc;

		for (int i = 0; i < 2200; i++)
			s[i] = (i % 22 == 21) ? '!' : 'a';
		s[2200] = '\0';
		polls = 0;
		jn_regex_iter_init(&it, re, s, strlen(s), 0, &err);
		it.interrupted = stop_at_fifth;
		rc = jn_regex_iter_next(&it, &m, &err);
		CHECK_INT(rc, -1);
		CHECK_STR(err.code, "U1001");
		CHECK_INT(polls, 5);
		jn_regex_iter_done(&it);
		/* a search that finds its match in a few start positions is left alone */
		jn_regex_iter_init(&it, re, "aab", 3, 0, &err);
		polls = 0;
		it.interrupted = stop_at_fifth;
		CHECK_INT(jn_regex_iter_next(&it, &m, &err), 1);
		CHECK_INT((int) m.start, 2);
		CHECK(polls >= 1 && polls < 5);
		jn_regex_iter_done(&it);
		jn_regex_free(re);
	}
}

static void
test_expand(void)
{
	/* $n reads as many digits as name a group, then falls back */
	CHECK_STR(replace("abc", "(a)(b)(c)", NULL, "$3$2$1$4$10", -1), "cbaa0");
	CHECK_STR(replace("abc", "(a)", NULL, "[$ 1]", -1), "[$ 1]bc");
	CHECK_STR(replace("abc", "(a)", NULL, "$", -1), "$bc");
	CHECK_STR(replace("abc", "a", NULL, "$1", -1), "bc");
	CHECK_STR(replace("héllo", "é", NULL, "[$0]", -1), "h[é]llo");
}

UNIT_MAIN("jn_regex", {
	test_suite_cases();
	test_javascript_semantics();
	test_errors();
	test_expand();
})

/*
 * jn_regex.c — JavaScript regular expressions run by PCRE2.
 *
 * The pattern is rewritten (translate()) so that PCRE2 reads it as
 * JavaScript would: JavaScript's \s, '.', identity escapes, \u/\x/\v/\c,
 * legacy octal escapes, '^'/'$' in multiline mode, and '[' inside classes
 * differ from PCRE2's defaults. Everything else is common syntax.
 */
#include "jsonata/jn_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata/jn_text.h"
#include "lex.h"
#include "strbuf.h"

struct jn_regex
{
	pcre2_code *code;
	int			ngroups;
};

/* a backtracking budget: a runaway pattern fails instead of spinning */
#define MATCH_LIMIT 10000000
#define DEPTH_LIMIT 100000

/* JavaScript's WhiteSpace and LineTerminator code points (\s), and their complement (\S). */
static const char WS[] =
"\\t\\n\\x{0b}\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}";
static const char NWS[] =
"\\x{0}-\\x{8}\\x{e}-\\x{1f}\\x{21}-\\x{9f}\\x{a1}-\\x{167f}\\x{1681}-\\x{1fff}\\x{200b}-\\x{2027}"
"\\x{202a}-\\x{202e}\\x{2030}-\\x{205e}\\x{2060}-\\x{2fff}\\x{3001}-\\x{fefe}\\x{ff00}-\\x{10ffff}";

/* anything but a line terminator: JavaScript's '.' */
static const char NOT_EOL[] = "[^\\n\\r\\x{2028}\\x{2029}]";

typedef struct translation
{
	asl_strbuf	out;
	const char *error;			/* why the pattern is invalid, or NULL */
	size_t		error_at;
} translation;

/* Appends s to the translated pattern. */
static void
emit(translation *t, const char *s)
{
	asl_strbuf_add(&t->out, s, strlen(s));
}

/* Appends code point cp as PCRE2's \x{…}. */
static void
emitf_cp(translation *t, unsigned long cp)
{
	char		tmp[24];

	snprintf(tmp, sizeof tmp, "\\x{%lx}", cp);
	emit(t, tmp);
}

/* n hex digits at p[0..n) (within len), or -1 */
static long
hexval(const char *p, size_t avail, int n)
{
	long		v = 0;
	int			i;

	if (avail < (size_t) n)
		return -1;
	for (i = 0; i < n; i++)
	{
		int			d = lex_hex_value(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* An ASCII letter or digit. */
static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Counts capturing groups and notes named ones, skipping escapes and classes. */
static void
prescan(const char *p, size_t len, int *ngroups, bool *named)
{
	size_t		i;
	bool		in_class = false;

	*ngroups = 0;
	*named = false;
	for (i = 0; i < len; i++)
	{
		char		c = p[i];

		if (c == '\\')
			i++;
		else if (in_class)
		{
			if (c == ']')
				in_class = false;
		}
		else if (c == '[')
			in_class = true;
		else if (c == '(')
		{
			if (i + 1 < len && p[i + 1] == '?')
			{
				if (i + 3 < len && p[i + 2] == '<' && p[i + 3] != '=' && p[i + 3] != '!')
				{
					(*ngroups)++;
					*named = true;
				}
			}
			else
				(*ngroups)++;
		}
	}
}

/*
 * Translates the escape at p[i] == '\\'; returns the index after it.
 * in_class: inside [...].
 */
static size_t
translate_escape(translation *t, const char *p, size_t len, size_t i, bool in_class,
				 int ngroups, bool named)
{
	char		c;
	char		lit[3];

	if (i + 1 >= len)
	{
		t->error = "\\ at end of pattern";
		t->error_at = i;
		return len;
	}
	c = p[i + 1];
	i += 2;
	switch (c)
	{
		case 'd':
		case 'D':
		case 'w':
		case 'W':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			lit[0] = '\\';
			lit[1] = c;
			lit[2] = '\0';
			emit(t, lit);
			return i;
		case 'b':
			emit(t, in_class ? "\\x{8}" : "\\b");
			return i;
		case 'B':
			emit(t, in_class ? "B" : "\\B");
			return i;
		case 's':
			if (!in_class)
				emit(t, "[");
			emit(t, WS);
			if (!in_class)
				emit(t, "]");
			return i;
		case 'S':
			if (!in_class)
				emit(t, "[");
			emit(t, NWS);
			if (!in_class)
				emit(t, "]");
			return i;
		case 'v':
			emit(t, "\\x{b}");
			return i;
		case 'c':
			if (i < len && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
			{
				emitf_cp(t, (unsigned long) (p[i] % 32));
				return i + 1;
			}
			emit(t, "\\\\c");
			return i;
		case 'x':
			{
				long		v = hexval(p + i, len - i, 2);

				if (v < 0)
				{
					emit(t, "x");
					return i;
				}
				emitf_cp(t, (unsigned long) v);
				return i + 2;
			}
		case 'u':
			{
				long		v = hexval(p + i, len - i, 4);

				if (v < 0)
				{
					emit(t, "u");
					return i;
				}
				i += 4;
				if (v >= 0xD800 && v <= 0xDBFF && i + 6 <= len && p[i] == '\\' && p[i + 1] == 'u')
				{
					long		lo = hexval(p + i + 2, len - i - 2, 4);

					if (lo >= 0xDC00 && lo <= 0xDFFF)
					{
						emitf_cp(t, 0x10000 + (((unsigned long) v - 0xD800) << 10) + ((unsigned long) lo - 0xDC00));
						return i + 6;
					}
				}
				if (v >= 0xD800 && v <= 0xDFFF)
				{
					/* a lone surrogate cannot occur in a UTF-8 subject */
					if (!in_class)
						emit(t, "(?!)");
					return i;
				}
				emitf_cp(t, (unsigned long) v);
				return i;
			}
		case 'k':
			emit(t, named ? "\\k" : "k");
			return i;
		case '0':
			if (!(i < len && p[i] >= '0' && p[i] <= '9'))
			{
				emit(t, "\\x{0}");
				return i;
			}
			/* \0 and digits: a legacy octal escape */
			/* fall through */
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7':
		case '8':
		case '9':
			{
				size_t		start = i - 1;
				size_t		j = start;
				long		n = 0;

				while (j < len && p[j] >= '0' && p[j] <= '9' && n < 100000)
					n = n * 10 + (p[j++] - '0');
				if (!in_class && c != '0' && n <= ngroups)
				{
					char		tmp[32];

					snprintf(tmp, sizeof tmp, "\\g{%ld}", n);
					emit(t, tmp);
					return j;
				}
				if (c == '8' || c == '9')
				{
					lit[0] = c;
					lit[1] = '\0';
					emit(t, lit);
					return start + 1;
				}
				/* up to three octal digits, value at most 0377 */
				j = start;
				n = 0;
				while (j < len && j < start + 3 && p[j] >= '0' && p[j] <= '7' && n * 8 + (p[j] - '0') <= 0377)
					n = n * 8 + (p[j++] - '0');
				emitf_cp(t, (unsigned long) n);
				return j;
			}
		default:
			if (is_alnum(c) || (unsigned char) c >= 0x80)
			{
				/*
				 * an identity escape: the character itself (a letter, or a
				 * UTF-8 lead byte)
				 */
				lit[0] = c;
				lit[1] = '\0';
				emit(t, lit);
				return i;
			}
			lit[0] = '\\';
			lit[1] = c;
			lit[2] = '\0';
			emit(t, lit);
			return i;
	}
}

/* what the pattern ended with so far: quantifiers may follow only atoms */
typedef enum last_item
{
	LAST_NONE,					/* start, '(' or '|' */
	LAST_ATOM,
	LAST_ASSERTION,				/* ^ $ \b \B and lookbehinds: JavaScript
								 * cannot repeat them */
	LAST_QUANTIFIER,
	LAST_LAZY					/* a quantifier and its '?' */
} last_item;

/* the length of a braced quantifier {n}, {n,}, {n,m} at p[i], or 0 when the brace is a literal */
static size_t
braced_quantifier(const char *p, size_t len, size_t i)
{
	size_t		j = i + 1,
				start = j;

	while (j < len && p[j] >= '0' && p[j] <= '9')
		j++;
	if (j == start)
		return 0;
	if (j < len && p[j] == ',')
	{
		j++;
		while (j < len && p[j] >= '0' && p[j] <= '9')
			j++;
	}
	if (j < len && p[j] == '}')
		return j + 1 - i;
	return 0;
}

/*
 * Translates a JavaScript pattern into PCRE2's syntax where they differ
 * (escapes, classes, named groups, $ in multiline mode); false on a pattern
 * JavaScript would refuse.
 */
static bool
translate(translation *t, const char *p, size_t len, bool multiline)
{
	int			ngroups;
	bool		named;
	bool		in_class = false;
	size_t		i = 0;
	last_item	last = LAST_NONE;
	char	   *group_kinds = malloc(len + 1);	/* per open group: 'b'
												 * lookbehind, 'g' other */
	size_t		depth = 0;

	if (!group_kinds)
	{
		t->out.oom = true;
		return true;
	}
	prescan(p, len, &ngroups, &named);
	while (i < len && !t->error)
	{
		char		c = p[i];
		size_t		qlen = 0;

		if (c == '\\')
		{
			char		e = i + 1 < len ? p[i + 1] : '\0';

			i = translate_escape(t, p, len, i, in_class, ngroups, named);
			if (!in_class)
				last = (e == 'b' || e == 'B') ? LAST_ASSERTION : LAST_ATOM;
			continue;
		}
		if (in_class)
		{
			if (c == ']')
			{
				in_class = false;
				last = LAST_ATOM;
			}
			if (c == '[')
				emit(t, "\\[");
			else
				asl_strbuf_add(&t->out, &c, 1);
			i++;
			continue;
		}
		if (c == '(')
		{
			/*
			 * the group's opening, with its "?:" "?=" "?!" "?<=" "?<!"
			 * "?<name>" prefix
			 */
			size_t		open = 1;

			group_kinds[depth] = 'g';
			if (i + 1 < len && p[i + 1] == '?')
			{
				char		k = i + 2 < len ? p[i + 2] : '\0';
				char		k2 = i + 3 < len ? p[i + 3] : '\0';

				if (k == ':' || k == '=' || k == '!')
					open = 3;
				else if (k == '<' && (k2 == '=' || k2 == '!'))
				{
					open = 4;
					group_kinds[depth] = 'b';
				}
				else if (k == '<' && k2 != '\0' && memchr(p + i + 3, '>', len - i - 3))
					open = (size_t) ((const char *) memchr(p + i + 3, '>', len - i - 3) - (p + i)) + 1;
				else
				{
					t->error = "Invalid group";
					t->error_at = i;
					break;
				}
			}
			depth++;
			asl_strbuf_add(&t->out, p + i, open);
			i += open;
			last = LAST_NONE;
			continue;
		}
		if (c == '*' || c == '+' || c == '?' || (c == '{' && (qlen = braced_quantifier(p, len, i)) > 0))
		{
			if (c == '?' && last == LAST_QUANTIFIER)
				last = LAST_LAZY;
			else if (last != LAST_ATOM)
			{
				t->error = "Nothing to repeat";
				t->error_at = i;
				break;
			}
			else
				last = LAST_QUANTIFIER;
			if (qlen == 0)
				qlen = 1;
			asl_strbuf_add(&t->out, p + i, qlen);
			i += qlen;
			continue;
		}
		switch (c)
		{
			case '[':
				in_class = true;
				emit(t, "[");
				i++;
				if (i < len && p[i] == '^')
				{
					emit(t, "^");
					i++;
				}
				if (i < len && p[i] == ']')
				{
					/*
					 * [] and [^]: PCRE2_ALLOW_EMPTY_CLASS reads them as
					 * JavaScript does
					 */
					emit(t, "]");
					in_class = false;
					last = LAST_ATOM;
					i++;
				}
				continue;
			case '.':
				emit(t, NOT_EOL);
				last = LAST_ATOM;
				break;
			case '^':
				emit(t, multiline ? "(?<![^\\n\\r\\x{2028}\\x{2029}])" : "^");
				last = LAST_ASSERTION;
				break;
			case '$':
				emit(t, multiline ? "(?![^\\n\\r\\x{2028}\\x{2029}])" : "$");
				last = LAST_ASSERTION;
				break;
			case '|':
				emit(t, "|");
				last = LAST_NONE;
				break;
			case ')':
				if (depth == 0)
				{
					t->error = "Unmatched ')'";
					t->error_at = i;
					break;
				}
				depth--;
				emit(t, ")");
				last = group_kinds[depth] == 'b' ? LAST_ASSERTION : LAST_ATOM;
				break;
			default:
				asl_strbuf_add(&t->out, &c, 1);
				last = LAST_ATOM;
				break;
		}
		i++;
	}
	free(group_kinds);
	if (!t->error && in_class)
	{
		t->error = "Unterminated character class";
		t->error_at = len;
	}
	return t->error == NULL;
}

/*
 * S0303: an invalid pattern, quoted (at most 80 bytes), with the reason and
 * offset.
 */
static void
set_syntax_error(jn_liberr *err, const char *pattern, size_t len, const char *reason, size_t at)
{
	jn_liberr_set(err, "S0303", "Invalid regular expression: /%.*s/: %s at offset %zu",
				  (int) (len > 80 ? 80 : len), pattern, reason, at);
}

jn_regex   *
jn_regex_compile(const char *pattern, size_t len, const char *flags, jn_liberr *err)
{
	translation t = {{0}, NULL, 0};
	bool		caseless = false,
				multiline = false;
	uint32_t	options;
	int			errcode;
	PCRE2_SIZE	erroff;
	pcre2_code *code;
	jn_regex   *re;
	uint32_t	captures;

	if (len == 0)
	{
		jn_liberr_set(err, "S0301", "Empty regular expressions are not allowed");
		return NULL;
	}
	if (!jn_text_utf8_valid(pattern, len))
	{
		set_syntax_error(err, pattern, len, "invalid UTF-8", 0);
		return NULL;
	}
	for (; flags && *flags; flags++)
	{
		if (*flags == 'i')
			caseless = true;
		else if (*flags == 'm')
			multiline = true;
		else
		{
			jn_liberr_set(err, "S0303", "Invalid regular expression flags: '%c'", *flags);
			return NULL;
		}
	}
	if (!translate(&t, pattern, len, multiline))
	{
		set_syntax_error(err, pattern, len, t.error, t.error_at);
		free(t.out.data);
		return NULL;
	}
	if (t.out.oom)
	{
		free(t.out.data);
		jn_liberr_set(err, "D0000", "out of memory");
		return NULL;
	}
	options = PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_MATCH_UNSET_BACKREF | PCRE2_ALLOW_EMPTY_CLASS |
		PCRE2_DOLLAR_ENDONLY;
	if (caseless)
		options |= PCRE2_CASELESS;
	code = pcre2_compile((PCRE2_SPTR) t.out.data, t.out.len, options, &errcode, &erroff, NULL);
	if (code)
	{
		pcre2_code *polled;

		/*
		 * The pattern actually run starts with a callout, (?C)(?:...): PCRE2
		 * calls it at every start position it tries, so an iterator can poll
		 * its host while one pcre2_match call scans a long subject. The first
		 * compile above checked the pattern alone, so a ")" in it cannot
		 * close the wrapper early.
		 */
		pcre2_code_free(code);
		polled = NULL;
		if (t.out.len + 8 > t.out.len)
		{
			char	   *w = malloc(t.out.len + 8);

			if (w)
			{
				memcpy(w, "(?C)(?:", 7);
				memcpy(w + 7, t.out.data, t.out.len);
				w[t.out.len + 7] = ')';
				polled = pcre2_compile((PCRE2_SPTR) w, t.out.len + 8, options, &errcode, &erroff, NULL);
				free(w);
			}
		}
		if (!polled)
		{
			free(t.out.data);
			jn_liberr_set(err, "D0000", "out of memory");
			return NULL;
		}
		code = polled;
	}
	free(t.out.data);
	if (!code)
	{
		PCRE2_UCHAR msg[120];

		pcre2_get_error_message(errcode, msg, sizeof msg);
		/* erroff counts in the translated pattern; the reason is what matters */
		jn_liberr_set(err, "S0303", "Invalid regular expression: /%.*s/: %s",
					  (int) (len > 80 ? 80 : len), pattern, (const char *) msg);
		return NULL;
	}

	/*
	 * JIT when the platform has it; pcre2_match falls back to the interpreter
	 * otherwise
	 */
	(void) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	re = malloc(sizeof *re);
	if (!re)
	{
		pcre2_code_free(code);
		jn_liberr_set(err, "D0000", "out of memory");
		return NULL;
	}
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
	re->code = code;
	re->ngroups = (int) captures;
	return re;
}

void
jn_regex_free(jn_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	free(re);
}

int
jn_regex_group_count(const jn_regex *re)
{
	return re->ngroups;
}

bool
jn_regex_iter_init(jn_regex_iter *it, const jn_regex *re, const char *subject,
				   size_t len, size_t from, jn_liberr *err)
{
	memset(it, 0, sizeof *it);
	if (!jn_text_utf8_valid(subject, len))
	{
		jn_liberr_set(err, "UTF8", "invalid UTF-8 in a regular expression subject");
		return false;
	}
	it->re = re;
	it->subject = subject;
	it->len = len;
	it->pos = from > len ? len : from;
	it->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	it->mctx = pcre2_match_context_create(NULL);
	it->spans = calloc((size_t) re->ngroups + 1, sizeof(jn_regex_span));
	if (it->mctx)
	{
		pcre2_set_match_limit((pcre2_match_context *) it->mctx, MATCH_LIMIT);
		pcre2_set_depth_limit((pcre2_match_context *) it->mctx, DEPTH_LIMIT);
	}
	if (!it->md || !it->mctx || !it->spans)
	{
		jn_regex_iter_done(it);
		jn_liberr_set(err, "D0000", "out of memory");
		return false;
	}
	if (from > len)
		it->done = true;
	return true;
}

void
jn_regex_iter_done(jn_regex_iter *it)
{
	pcre2_match_data_free(it->md);
	pcre2_match_context_free(it->mctx);
	free(it->spans);
	it->mctx = NULL;
	it->md = NULL;
	it->spans = NULL;
}

/* The (?C) callout at each start position: asks the iterator's host. */
static int
poll_callout(pcre2_callout_block * block, void *arg)
{
	jn_regex_iter *it = arg;

	(void) block;
	return it->interrupted(it->interrupted_arg) ? PCRE2_ERROR_CALLOUT : 0;
}

int
jn_regex_iter_next(jn_regex_iter *it, jn_regex_match *m, jn_liberr *err)
{
	pcre2_match_context *mctx = it->mctx;
	PCRE2_SIZE *ov;
	int			rc,
				g;

	if (it->done)
		return 0;
	if (it->started && it->pos >= it->len)
	{
		it->done = true;
		return 0;
	}
	pcre2_set_callout(mctx, it->interrupted ? poll_callout : NULL, it);
	rc = pcre2_match(it->re->code, (PCRE2_SPTR) it->subject, it->len, it->pos,
					 PCRE2_NO_UTF_CHECK, (pcre2_match_data *) it->md, mctx);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(it->re->code, (PCRE2_SPTR) it->subject, it->len, it->pos,
						 PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, (pcre2_match_data *) it->md, mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
	{
		it->done = true;
		return 0;
	}
	if (rc == PCRE2_ERROR_CALLOUT)
	{
		jn_liberr_set(err, "U1001", "The regular expression search was interrupted");
		it->done = true;
		return -1;
	}
	if (rc < 0)
	{
		PCRE2_UCHAR msg[120];

		pcre2_get_error_message(rc, msg, sizeof msg);
		jn_liberr_set(err, "U1001", "Regular expression could not be run: %s", (const char *) msg);
		it->done = true;
		return -1;
	}
	ov = pcre2_get_ovector_pointer((pcre2_match_data *) it->md);
	if (it->started && ov[0] == ov[1])
	{
		jn_liberr_set(err, "D1004", "Regular expression matches zero length string");
		it->done = true;
		return -1;
	}

	/*
	 * UTF-16 index: count from the last known point (matches only move
	 * forward)
	 */
	it->pos16 += jn_text_utf16_index(it->subject + it->pos, ov[0] - it->pos);
	m->start = ov[0];
	m->end = ov[1];
	m->index = it->pos16;
	m->ngroups = it->re->ngroups;
	for (g = 1; g <= it->re->ngroups; g++)
	{
		jn_regex_span *sp = &it->spans[g - 1];

		if (g < rc && ov[2 * g] != PCRE2_UNSET)
		{
			sp->start = ov[2 * g];
			sp->end = ov[2 * g + 1];
			sp->set = true;
		}
		else
		{
			sp->start = sp->end = 0;
			sp->set = false;
		}
	}
	m->groups = it->spans;
	it->pos16 += jn_text_utf16_index(it->subject + ov[0], ov[1] - ov[0]);
	it->pos = ov[1];
	it->started = true;
	return 1;
}

/* JavaScript's parseInt(s, 10) over s[0..n): sets *v, returns the characters of its digits (0: NaN). */
static size_t
js_parse_int(const char *s, size_t n, long *v, bool *neg)
{
	size_t		i = 0,
				d;

	while (i < n && (s[i] == ' ' || (s[i] >= 9 && s[i] <= 13)))
		i++;
	*neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		*neg = s[i++] == '-';
	*v = 0;
	for (d = i; d < n && s[d] >= '0' && s[d] <= '9'; d++)
		*v = *v * 10 + (s[d] - '0');
	return d - i;
}

char	   *
jn_regex_expand(const char *r, size_t rlen, const char *subject,
				const jn_regex_match *m, size_t *out_len)
{
	asl_strbuf	b = {0};
	size_t		pos = 0;
	long		dollar = jn_text_find(r, rlen, "$", 1, 0);
	int			ng = m->ngroups;

	while (dollar >= 0 && pos < rlen)
	{
		asl_strbuf_add(&b, r + pos, (size_t) dollar - pos);
		pos = (size_t) dollar + 1;
		if (pos < rlen && r[pos] == '$')
		{
			asl_strbuf_add(&b, "$", 1);
			pos++;
		}
		else if (pos < rlen && r[pos] == '0')
		{
			asl_strbuf_add(&b, subject + m->start, m->end - m->start);
			pos++;
		}
		else
		{
			int			max_digits = 1;
			size_t		avail = rlen - pos;
			long		idx;
			bool		neg;
			size_t		nd;

			for (int k = ng; k >= 10; k /= 10)
				max_digits++;
			nd = js_parse_int(r + pos, avail < (size_t) max_digits ? avail : (size_t) max_digits, &idx, &neg);
			if (max_digits > 1 && nd > 0 && (neg ? -idx : idx) > ng)
				nd = js_parse_int(r + pos, avail < (size_t) max_digits - 1 ? avail : (size_t) max_digits - 1, &idx, &neg);
			if (nd > 0)
			{
				char		tmp[24];

				if (neg)
					idx = -idx;
				if (ng > 0 && idx >= 1 && idx <= ng && m->groups[idx - 1].set)
					asl_strbuf_add(&b, subject + m->groups[idx - 1].start,
								   m->groups[idx - 1].end - m->groups[idx - 1].start);

				/*
				 * the position moves by the length of the number as
				 * JavaScript prints it
				 */
				pos += (size_t) snprintf(tmp, sizeof tmp, "%ld", idx == 0 ? 0L : idx);
			}
			else
				asl_strbuf_add(&b, "$", 1);
		}
		dollar = jn_text_find(r, rlen, "$", 1, pos);
	}
	if (pos < rlen)
		asl_strbuf_add(&b, r + pos, rlen - pos);
	if (b.oom)
	{
		free(b.data);
		return NULL;
	}
	if (!b.data)
	{
		b.data = malloc(1);
		if (!b.data)
			return NULL;
	}
	b.data[b.len] = '\0';
	if (out_len)
		*out_len = b.len;
	return b.data;
}

/*
 * jn_regex.h — JavaScript regular expressions (as JSONata's /…/flags
 * literals build them) on top of PCRE2.
 *
 * A pattern is JavaScript syntax (without the "u" flag); it is translated
 * to PCRE2 syntax where the two differ (\s and . as JavaScript defines
 * them, identity escapes such as \A or \p meaning the letter, \u and \x
 * escapes, octal escapes, \v, ^ and $ with the m flag, [] and [^]) and
 * compiled in UTF mode with PCRE2_MATCH_UNSET_BACKREF (a backreference to
 * an unset group matches the empty string, as in JavaScript).
 *
 * Offsets are byte offsets into the UTF-8 subject; JSONata reports
 * $match's "index" in UTF-16 code units (JavaScript's match.index), which
 * each match carries too.
 *
 * A compiled jn_regex is immutable and may be shared between threads;
 * matching state lives in the caller's jn_regex_iter.
 */
#ifndef JN_REGEX_H
#define JN_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "jsonata/jn_liberr.h"

typedef struct jn_regex jn_regex;

/*
 * Compiles a JavaScript pattern (the text between the slashes) with
 * JSONata's flags: a string of 'i' (case-insensitive) and 'm' (multiline);
 * any other flag letter fails. Returns NULL on failure, with code
 * "S0301" for an empty pattern (JSONata's own error), and "S0303" for a
 * pattern that does not compile or an unknown flag: JSONata itself lets
 * JavaScript's SyntaxError through (no JSONata code); this library names
 * it S0303 with the message "Invalid regular expression: /<pattern>/:
 * <reason>".
 */
jn_regex   *jn_regex_compile(const char *pattern, size_t len, const char *flags, jn_liberr *err);
void		jn_regex_free(jn_regex *re);

/* Number of capturing groups (JavaScript's match.length - 1). */
int			jn_regex_group_count(const jn_regex *re);

/* One group of a match: an unset group (JavaScript undefined) has set = false. */
typedef struct jn_regex_span
{
	size_t		start;			/* byte offsets into the subject */
	size_t		end;
	bool		set;
} jn_regex_span;

/*
 * A match. groups has jn_regex_group_count() entries (the array belongs
 * to the iterator and is overwritten by the next call).
 */
typedef struct jn_regex_match
{
	size_t		start;			/* byte offsets of the whole match */
	size_t		end;
	size_t		index;			/* start in UTF-16 code units: $match's
								 * "index" */
	int			ngroups;
	const jn_regex_span *groups;
} jn_regex_match;

/*
 * Global iteration over a subject, with JSONata's semantics (its regex
 * closure and next()): the first match is searched from `from` (a byte
 * offset); each later one from the end of the previous match; iteration
 * stops when the previous match ended at the end of the subject; a later
 * match of the empty string fails with D1004 ("Regular expression matches
 * zero length string") since it would never progress. The first match may
 * be empty (JSONata returns it).
 *
 * The subject must stay alive and unchanged during the iteration; it must
 * be valid UTF-8 (else jn_regex_iter_init fails with code "UTF8",
 * message "invalid UTF-8 in a regular expression subject"; json-c strings
 * from parsed JSON are valid UTF-8, so a caller holding them never sees it).
 */
typedef struct jn_regex_iter
{
	const jn_regex *re;
	const char *subject;
	size_t		len;
	size_t		pos;			/* where the next search starts */
	size_t		pos16;			/* pos in UTF-16 code units */
	bool		started;
	bool		done;
	void	   *md;				/* pcre2_match_data * */
	void	   *mctx;			/* pcre2_match_context * (the limits) */
	jn_regex_span *spans;

	/*
	 * Optional, set after jn_regex_iter_init: polled at every start position
	 * a search tries (a PCRE2 callout), so a host can stop a search that
	 * would spin for long inside one pcre2_match call; true abandons it and
	 * jn_regex_iter_next fails with code "U1001".
	 */
	bool		(*interrupted) (void *arg);
	void	   *interrupted_arg;
} jn_regex_iter;

/* Prepares it; false (err "D0000" out of memory, or invalid UTF-8) on failure. */
bool		jn_regex_iter_init(jn_regex_iter *it, const jn_regex *re, const char *subject,
							   size_t len, size_t from, jn_liberr *err);

/*
 * 1 with *m filled, 0 when there is no further match, -1 on error: D1004,
 * or code "U1001" when PCRE2 gives up (a backtracking budget of 10^7
 * steps per start position guards against runaway patterns; JavaScript
 * would spin instead) or when it->interrupted stopped the search.
 */
int			jn_regex_iter_next(jn_regex_iter *it, jn_regex_match *m, jn_liberr *err);

/* Frees the iterator's buffers (not the regex, not the subject). */
void		jn_regex_iter_done(jn_regex_iter *it);

/*
 * $replace's replacement string for one match, as JSONata builds it: "$$"
 * is "$", "$0" the match, "$n" group n (as many digits as can name a
 * group, falling back to fewer; an unset or missing group is ""), a "$"
 * followed by anything else is literal. Returns a malloc'd string (NULL
 * when out of memory); *out_len gets its byte length.
 */
char	   *jn_regex_expand(const char *replacement, size_t rlen, const char *subject,
							const jn_regex_match *m, size_t *out_len);

#endif

/*
 * ddb_expr_lex.c — splits an expression into tokens.
 *
 * Names are [A-Za-z_][A-Za-z0-9_]*, placeholders # or : followed by such
 * characters, numbers runs of digits. Any other character is a token of its
 * own that no rule accepts, so the parser reports it as DynamoDB does:
 * "token: "!", near: "!!"". A non-ASCII character is kept whole.
 */
#include "ddb_expr_impl.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* A character of an attribute name or keyword. */
static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Appends a token; false when out of memory. */
static bool
push(token **toks, size_t *n, size_t *cap, tok_kind kind, size_t start, size_t len)
{
	if (*n == *cap)
	{
		size_t		grown_cap = *cap ? *cap * 2 : 16;
		token	   *grown = realloc(*toks, grown_cap * sizeof(**toks));

		if (grown == NULL)
			return false;
		*toks = grown;
		*cap = grown_cap;
	}
	(*toks)[*n].kind = kind;
	(*toks)[*n].start = start;
	(*toks)[*n].len = len;
	(*n)++;
	return true;
}

bool
ddb_lex(const char *text, token **toks, size_t *ntoks)
{
	size_t		i = 0,
				n = 0,
				cap = 0;
	token	   *out = NULL;

	while (text[i] != '\0')
	{
		char		c = text[i];
		size_t		start = i;
		tok_kind	kind = TOK_PUNCT;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		{
			i++;
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		{
			kind = TOK_IDENT;
			while (is_name_char(text[i]))
				i++;
		}
		else if (c >= '0' && c <= '9')
		{
			kind = TOK_NUMBER;
			while (text[i] >= '0' && text[i] <= '9')
				i++;
		}
		else if ((c == '#' || c == ':') && is_name_char(text[i + 1]))
		{
			kind = c == '#' ? TOK_NAME_PH : TOK_VALUE_PH;
			i++;
			while (is_name_char(text[i]))
				i++;
		}
		else if ((c == '<' && (text[i + 1] == '>' || text[i + 1] == '=')) || (c == '>' && text[i + 1] == '='))
			i += 2;
		else if (strchr("()[].,=<>+-", c) != NULL)
			i++;
		else
		{
			kind = TOK_BAD;
			i += utf8_char_len(text + i, strnlen(text + i, UTF8_MAX_BYTES));
		}
		if (!push(&out, &n, &cap, kind, start, i - start))
		{
			free(out);
			return false;
		}
	}
	if (!push(&out, &n, &cap, TOK_EOF, i, 0))
	{
		free(out);
		return false;
	}
	*toks = out;
	*ntoks = n;
	return true;
}

/*
 * intrinsic_parse.c — the syntax of intrinsic function calls.
 *
 *   call  := "States." name ws* "(" ws* [arg (ws* "," ws* arg)*] ws* ")"
 *   arg   := 'string' | number | true | false | null | path | call
 *
 * String literals are single-quoted; \' \{ \} and \\ stand for the character
 * after the backslash (AWS, "Intrinsic functions for JSONPath states": these
 * are the reserved characters); any other backslash is kept as written.
 * Numbers follow JSON. A path runs from its '$' to the first ',', ')' or
 * whitespace outside brackets and quotes, and compiles as a query path: an
 * indefinite one passes the array of its matches. Nested calls go at most
 * MAX_CALL_NESTING deep (AWS: "You can nest up to 10 intrinsic functions
 * within a field").
 *
 * Errors name the byte offset in the text where the problem is.
 */
#include "intrinsic_impl.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

#define MAX_CALL_NESTING 10
#define WANT_ARGUMENT "expected an argument: a 'string', a number, true, false, null, a path or an intrinsic function call"

typedef struct parser
{
	const char *text;
	size_t		pos;
	int			depth;			/* calls open around the current position */
	char	   *error;			/* malloc'd; the first error only */
	bool		failed;
} parser;

static bool parse_call(parser *p, asl_intrinsic **out);

/* A character of a function name or of true, false and null. */
static bool
is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || lex_is_digit(c) || c == '_';
}

static void
skip_space(parser *p)
{
	while (lex_is_space(p->text[p->pos]))
		p->pos++;
}

/* Records the first error only: later ones are consequences of it. */
static bool
			fail_raw(parser *p, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/* Records the first error only: later ones are consequences of it. */
static bool
fail_raw(parser *p, const char *fmt,...)
{
	va_list		ap;

	if (p->failed)
		return false;
	p->failed = true;
	va_start(ap, fmt);
	if (vasprintf(&p->error, fmt, ap) < 0)
		p->error = strdup("out of memory");
	va_end(ap);
	return false;
}

/* message, then " at offset N" */
static bool
			fail(parser *p, size_t offset, const char *fmt,...) __attribute__((format(printf, 3, 4)));

/* Records the first error, its message followed by " at offset N". */
static bool
fail(parser *p, size_t offset, const char *fmt,...)
{
	va_list		ap;
	char	   *msg = NULL;
	bool		ok;

	if (p->failed)
		return false;
	va_start(ap, fmt);
	ok = vasprintf(&msg, fmt, ap) >= 0;
	va_end(ap);
	if (!ok)
		return fail_raw(p, "out of memory");
	fail_raw(p, "%s at offset %zu", msg, offset);
	free(msg);
	return false;
}

/* "unexpected 'x'", "unexpected byte 0x01" or "unexpected end of text", then what was wanted. */
static bool
fail_char(parser *p, const char *wanted)
{
	unsigned char c = (unsigned char) p->text[p->pos];

	if (c == '\0')
		return fail(p, p->pos, "unexpected end of text, %s", wanted);
	if (c >= 0x20 && c < 0x7f)
		return fail(p, p->pos, "unexpected '%c', %s", c, wanted);
	return fail(p, p->pos, "unexpected byte 0x%02x, %s", c, wanted);
}

static bool
out_of_memory(parser *p)
{
	return fail(p, p->pos, "out of memory");
}

/* Appends a fresh, zeroed argument to fn. */
static intrinsic_arg *
add_arg(parser *p, asl_intrinsic *fn, size_t *cap)
{
	if (fn->nargs == *cap)
	{
		size_t		n = *cap ? *cap * 2 : 4;
		intrinsic_arg *grown = realloc(fn->args, n * sizeof(intrinsic_arg));

		if (grown == NULL)
		{
			out_of_memory(p);
			return NULL;
		}
		fn->args = grown;
		*cap = n;
	}
	memset(&fn->args[fn->nargs], 0, sizeof(intrinsic_arg));
	fn->args[fn->nargs].offset = p->pos;
	return &fn->args[fn->nargs++];
}

/*
 * 'text': the value has the escapes resolved; raw keeps them as written,
 * because States.Format must tell an escaped \{ from a placeholder's {.
 */
static bool
parse_string(parser *p, intrinsic_arg *arg)
{
	const char *text = p->text;
	size_t		start = p->pos;
	size_t		i = start + 1;
	size_t		n = 0;
	char	   *value;

	/* the value is never longer than the literal */
	while (text[i] != '\'')
	{
		if (text[i] == '\0' || (text[i] == '\\' && text[i + 1] == '\0'))
			return fail(p, start, "unterminated string literal");
		i += text[i] == '\\' ? 2 : 1;
	}
	arg->raw = strndup(text + start + 1, i - start - 1);
	value = malloc(i - start);
	if (arg->raw == NULL || value == NULL)
	{
		free(value);
		return out_of_memory(p);
	}
	for (size_t j = start + 1; j < i; j++)
	{
		if (text[j] == '\\' && strchr("'{}\\", text[j + 1]) != NULL)
			j++;
		value[n++] = text[j];
	}
	arg->literal = json_object_new_string_len(value, (int) n);
	free(value);
	p->pos = i + 1;
	return arg->literal != NULL || out_of_memory(p);
}

/* A JSON number: integers that fit stay integers, others are doubles. */
static bool
parse_number(parser *p, intrinsic_arg *arg)
{
	const char *text = p->text;
	size_t		start = p->pos;
	size_t		i = start;
	bool		integral = true;
	char	   *lexeme;

	if (text[i] == '-')
		i++;
	if (!lex_is_digit(text[i]))
	{
		p->pos = i;
		return fail_char(p, "expected a digit");
	}
	if (text[i] == '0')
		i++;
	else
		while (lex_is_digit(text[i]))
			i++;
	if (text[i] == '.')
	{
		integral = false;
		if (!lex_is_digit(text[++i]))
		{
			p->pos = i;
			return fail_char(p, "expected a digit after '.'");
		}
		while (lex_is_digit(text[i]))
			i++;
	}
	if (text[i] == 'e' || text[i] == 'E')
	{
		integral = false;
		i++;
		if (text[i] == '+' || text[i] == '-')
			i++;
		if (!lex_is_digit(text[i]))
		{
			p->pos = i;
			return fail_char(p, "expected a digit in the exponent");
		}
		while (lex_is_digit(text[i]))
			i++;
	}
	lexeme = strndup(text + start, i - start);
	if (lexeme == NULL)
		return out_of_memory(p);
	if (integral)
	{
		long long	v;

		errno = 0;
		v = strtoll(lexeme, NULL, 10);
		if (errno == ERANGE)
			integral = false;	/* too big for 64 bits: a double, as JSON
								 * parsers do */
		else
			arg->literal = json_object_new_int64(v);
	}
	if (!integral)
	{
		double		d = strtod(lexeme, NULL);

		if (!isfinite(d))
		{
			free(lexeme);
			return fail(p, start, "number out of range");
		}
		/* keeps the text as written, like numbers read from a document */
		arg->literal = json_object_new_double_s(d, lexeme);
	}
	free(lexeme);
	p->pos = i;
	return arg->literal != NULL || out_of_memory(p);
}

/*
 * Where a path argument ends. Dot names in JSONPath may hold almost any
 * character, so the extent is found here: the first ',', ')' or whitespace
 * outside brackets and outside quotes inside brackets. An unbalanced bracket
 * or quote runs to the end of the text and the path compiler reports it.
 */
static size_t
path_end(const char *text, size_t i)
{
	int			depth = 0;
	char		quote = 0;

	for (; text[i] != '\0'; i++)
	{
		char		c = text[i];

		if (quote)
		{
			if (c == '\\' && text[i + 1] != '\0')
				i++;
			else if (c == quote)
				quote = 0;
		}
		else if (depth > 0)
		{
			if (c == '\'' || c == '"')
				quote = c;
			else if (c == '[')
				depth++;
			else if (c == ']')
				depth--;
		}
		else if (c == ',' || c == ')' || lex_is_space(c))
			break;
		else if (c == '[')
			depth++;
	}
	return i;
}

/* A path argument, up to path_end, compiled as a query path. */
static bool
parse_path(parser *p, intrinsic_arg *arg)
{
	size_t		start = p->pos;
	size_t		end = path_end(p->text, start);
	char	   *text = strndup(p->text + start, end - start);
	char	   *error = NULL;

	if (text == NULL)
		return out_of_memory(p);
	arg->path = asl_path_compile(text, ASL_PATH_QUERY, &error);
	if (arg->path == NULL)
		fail_raw(p, "invalid path argument at offset %zu: %s", start,
				 error ? error : "cannot compile");
	free(error);
	free(text);
	p->pos = end;
	return arg->path != NULL;
}

/* One argument: a string, path, number, nested call, true, false or null. */
static bool
parse_arg(parser *p, intrinsic_arg *arg)
{
	const char *text = p->text;
	char		c = text[p->pos];
	size_t		start = p->pos;
	size_t		end = start;

	if (c == '\'')
	{
		arg->kind = ARG_LITERAL;
		return parse_string(p, arg);
	}
	if (c == '$')
	{
		arg->kind = ARG_PATH;
		return parse_path(p, arg);
	}
	if (c == '-' || lex_is_digit(c))
	{
		arg->kind = ARG_LITERAL;
		return parse_number(p, arg);
	}
	while (is_ident(text[end]))
		end++;
	if (end == start)
		return fail_char(p, WANT_ARGUMENT);
	arg->kind = ARG_LITERAL;
	p->pos = end;
	if (end - start == 4 && strncmp(text + start, "true", 4) == 0)
		arg->literal = json_object_new_boolean(1);
	else if (end - start == 5 && strncmp(text + start, "false", 5) == 0)
		arg->literal = json_object_new_boolean(0);
	else if (end - start == 4 && strncmp(text + start, "null", 4) == 0)
		return true;
	else if (end - start == 6 && strncmp(text + start, "States", 6) == 0 && text[end] == '.')
	{
		arg->kind = ARG_CALL;
		p->pos = start;
		return parse_call(p, &arg->call);
	}
	else
		return fail(p, start, "unexpected '%.*s', " WANT_ARGUMENT, (int) (end - start), text + start);
	return arg->literal != NULL || out_of_memory(p);
}

/*
 * The phrase for a signature's argument type letter in error messages ("a
 * string", "a number", …).
 */
static const char *
type_phrase(char type)
{
	switch (type)
	{
		case 's':
			return "a string";
		case 'n':
			return "a number";
		case 'b':
			return "a boolean";
		case 'a':
			return "an array (a path or a function call, not a literal)";
		case 'o':
			return "an object (a path or a function call, not a literal)";
		default:
			return "a value";
	}
}

/* The compile-time part of the type checks: literals are known now. */
static bool
check_literals(parser *p, const asl_intrinsic *fn)
{
	for (size_t i = 0; i < fn->nargs; i++)
	{
		const intrinsic_arg *arg = &fn->args[i];
		char		type = intrinsic_arg_type(fn->def, i);
		json_type	jt;
		bool		ok;
		const char *what;

		if (arg->kind != ARG_LITERAL)
			continue;
		jt = json_object_get_type(arg->literal);
		switch (type)
		{
			case 's':
				ok = jt == json_type_string;
				break;
			case 'n':
				ok = jt == json_type_int || jt == json_type_double;
				break;
			case 'b':
				ok = jt == json_type_boolean;
				break;
			case 'a':
			case 'o':
				ok = false;
				break;
			default:
				ok = true;
				break;
		}
		if (ok)
			continue;
		switch (jt)
		{
			case json_type_string:
				what = "a string literal";
				break;
			case json_type_int:
			case json_type_double:
				what = "a number literal";
				break;
			case json_type_boolean:
				what = json_object_get_boolean(arg->literal) ? "true" : "false";
				break;
			default:
				what = "null";
				break;
		}
		return fail(p, arg->offset, "argument %zu of %s must be %s, not %s",
					i + 1, fn->def->name, type_phrase(type), what);
	}
	return true;
}

/* Reports a call with fewer or more arguments than its function takes. */
static bool
check_arity(parser *p, const asl_intrinsic *fn)
{
	const intrinsic_def *def = fn->def;
	size_t		n = fn->nargs;

	if (n >= (size_t) def->min_args && (def->max_args < 0 || n <= (size_t) def->max_args))
		return true;
	if (def->max_args < 0)
		return fail(p, fn->offset, "%s takes at least %d argument%s, not %zu",
					def->name, def->min_args, def->min_args == 1 ? "" : "s", n);
	if (def->min_args == def->max_args)
		return fail(p, fn->offset, "%s takes %d argument%s, not %zu",
					def->name, def->min_args, def->min_args == 1 ? "" : "s", n);
	return fail(p, fn->offset, "%s takes %d to %d arguments, not %zu",
				def->name, def->min_args, def->max_args, n);
}

/*
 * A call "States.Name(args)" at p->pos into *out, its arguments checked
 * against the function's signature; nesting at most MAX_CALL_NESTING deep.
 */
static bool
parse_call(parser *p, asl_intrinsic **out)
{
	const char *text = p->text;
	size_t		start = p->pos;
	size_t		name_end = start + 7;
	size_t		cap = 0;
	const intrinsic_def *def;
	asl_intrinsic *fn;

	*out = NULL;
	if (strncmp(text + start, "States.", 7) != 0)
		return fail(p, start, "expected an intrinsic function call, States.Name(...)");
	if (p->depth >= MAX_CALL_NESTING)
		return fail(p, start, "intrinsic function calls nested more than %d deep", MAX_CALL_NESTING);
	while (is_ident(text[name_end]))
		name_end++;
	if (name_end == start + 7)
	{
		p->pos = name_end;
		return fail_char(p, "expected a function name after 'States.'");
	}
	def = intrinsic_lookup(text + start, name_end - start);
	if (def == NULL)
		return fail(p, start, "unknown intrinsic function '%.*s'", (int) (name_end - start), text + start);
	p->pos = name_end;
	skip_space(p);
	if (text[p->pos] != '(')
		return fail_char(p, "expected '(' after the function name");
	p->pos++;
	fn = calloc(1, sizeof(asl_intrinsic));
	if (fn == NULL)
		return out_of_memory(p);
	*out = fn;					/* the caller frees it, even half built */
	fn->def = def;
	fn->offset = start;
	p->depth++;
	skip_space(p);
	if (text[p->pos] == ')')
		p->pos++;
	else
		for (;;)
		{
			intrinsic_arg *arg = add_arg(p, fn, &cap);

			if (arg == NULL || !parse_arg(p, arg))
				return false;
			skip_space(p);
			if (text[p->pos] == ')')
			{
				p->pos++;
				break;
			}
			if (text[p->pos] != ',')
				return fail_char(p, fn->nargs == 1 ? "expected ',' or ')' after the first argument"
								 : "expected ',' or ')' after an argument");
			p->pos++;
			skip_space(p);
		}
	p->depth--;
	return check_arity(p, fn) && check_literals(p, fn);
}

bool
asl_intrinsic_is_call(const char *text)
{
	return text != NULL && strncmp(text, "States.", 7) == 0;
}

asl_intrinsic *
asl_intrinsic_compile(const char *text, char **error)
{
	parser		p;
	asl_intrinsic *fn = NULL;

	if (error)
		*error = NULL;
	if (text == NULL)
	{
		if (error)
			*error = strdup("no text");
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.text = text;
	skip_space(&p);
	if (parse_call(&p, &fn))
	{
		skip_space(&p);
		if (text[p.pos] != '\0')
			fail_char(&p, "expected the end of the text after the call");
	}
	if (p.failed)
	{
		asl_intrinsic_free(fn);
		if (error)
			*error = p.error;
		else
			free(p.error);
		return NULL;
	}
	return fn;
}

void
asl_intrinsic_free(asl_intrinsic *fn)
{
	if (fn == NULL)
		return;
	for (size_t i = 0; i < fn->nargs; i++)
	{
		json_object_put(fn->args[i].literal);
		free(fn->args[i].raw);
		asl_path_free(fn->args[i].path);
		asl_intrinsic_free(fn->args[i].call);
	}
	free(fn->args);
	free(fn);
}

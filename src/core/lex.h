/*
 * lex.h — character classes the core's hand-written lexers share (JSONPath,
 * intrinsic functions, JSONata's regular expressions and URI decoding), so
 * that "a digit" or "white space" means one thing across the languages.
 */
#ifndef CORE_LEX_H
#define CORE_LEX_H

#include <stdbool.h>

/* JSON's white space: space, tab, line feed, carriage return. */
static inline bool
lex_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* An ASCII decimal digit (never a locale's). */
static inline bool
lex_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of a hexadecimal digit of either case, or -1. */
static inline int
lex_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif							/* CORE_LEX_H */

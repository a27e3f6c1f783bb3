/*
 * ddb_number.h — DynamoDB numbers: decimal strings, exact arithmetic.
 *
 * DynamoDB keeps up to 38 significant digits, magnitudes from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (and zero), and sends numbers
 * as strings. A parsed number is its significant digits and a power of ten,
 * so comparison, addition and subtraction are exact: no floating point.
 */
#ifndef DDB_NUMBER_H
#define DDB_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

#define DDB_NUMBER_MAX_DIGITS	38
#define DDB_NUMBER_MAX_EXPONENT	125 /* of the leading digit */
#define DDB_NUMBER_MIN_EXPONENT	(-130)
/* Enough for any canonical text: "-0." + 129 zeros + 38 digits + NUL. */
#define DDB_NUMBER_TEXT_SIZE	176

typedef struct ddb_number
{
	bool		negative;		/* never set for zero */
	int			ndigits;		/* 0 for zero, else 1..38 */
	int			exponent;		/* value = digits × 10^exponent */
	char		digits[DDB_NUMBER_MAX_DIGITS + 1];	/* no leading or trailing
													 * zeros */
} ddb_number;

typedef enum ddb_number_status
{
	DDB_NUMBER_OK,
	DDB_NUMBER_INVALID,			/* not a number */
	DDB_NUMBER_OVERFLOW,		/* magnitude of 1E+126 or more */
	DDB_NUMBER_UNDERFLOW,		/* non-zero magnitude below 1E-130 */
	DDB_NUMBER_PRECISION		/* more than 38 significant digits */
} ddb_number_status;

/*
 * Parses DynamoDB's number syntax: an optional sign, digits with an optional
 * decimal point (".5" and "5." too), an optional exponent ("1.5E2", "1e-3").
 * No spaces. On failure *out is zero.
 */
ddb_number_status ddb_number_parse(const char *text, ddb_number *out);

/*
 * DynamoDB's message for a failed parse or result, malloc'd (NULL when out
 * of memory). text is the offending input, named in the INVALID message.
 */
char	   *ddb_number_message(ddb_number_status status, const char *text);

/* Canonical text, as DynamoDB returns it: plain decimal, no exponent, no
 * superfluous zeros ("1.50E2" → "150", "-0" → "0", "1E-3" → "0.001"). */
void		ddb_number_format(const ddb_number *n, char buf[DDB_NUMBER_TEXT_SIZE]);

/* Parses text and writes its canonical form; buf is untouched on failure. */
ddb_number_status ddb_number_canonical(const char *text, char buf[DDB_NUMBER_TEXT_SIZE]);

/* -1, 0 or 1, exactly. */
int			ddb_number_compare(const ddb_number *a, const ddb_number *b);

/*
 * a + b and a - b, exactly. A result beyond DynamoDB's range or precision is
 * refused with the status DynamoDB would report for storing it; *out is then
 * zero.
 */
ddb_number_status ddb_number_add(const ddb_number *a, const ddb_number *b, ddb_number *out);
ddb_number_status ddb_number_sub(const ddb_number *a, const ddb_number *b, ddb_number *out);

#endif

/*
 * jn_numfmt.h — numbers as JavaScript (and so JSONata) prints and reads them.
 *
 * JSONata's numbers are IEEE doubles and its text form of a number is
 * JavaScript's Number.prototype.toString(): the shortest digits that read
 * back as the same double, plain notation for 1e-7 < |x| < 1e21, exponent
 * form ("1e+21", "1.5e-7") outside, "-0" printed as "0", no ".0" on
 * integers. $string (and string concatenation, and JSON output of numbers
 * inside $string) first rounds a number that is not an integer to 15
 * significant digits: Number(x.toPrecision(15)) (JSONata 2.0.6 rounded
 * integers too; 2.1 stopped, and the official suite expects that).
 */
#ifndef JN_NUMFMT_H
#define JN_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "jsonata/jn_liberr.h"

/* Room for any output of this module, NUL included. */
#define JN_NUMFMT_BUFSZ 32

/*
 * Writes JavaScript's String(d) into buf (JN_NUMFMT_BUFSZ bytes), NUL
 * terminated; returns the length. NaN → "NaN", ±∞ → "Infinity",
 * "-Infinity". Never fails.
 */
size_t		jn_num_to_js(double d, char *buf);

/* Number(d.toPrecision(15)): d rounded to 15 significant digits (NaN, ±∞ and ±0 unchanged). */
double		jn_num_round15(double d);

/*
 * JSONata's $string of a number: jn_num_to_js(d) for an integer,
 * jn_num_to_js(jn_num_round15(d)) otherwise, into buf (JN_NUMFMT_BUFSZ bytes). NaN and ±∞ fail with D3001 ("Attempting to
 * invoke string function on Infinity or NaN"). Returns the length, or -1.
 * Use it too for numbers nested in arrays/objects that $string serializes.
 */
int			jn_num_to_string(double d, char *buf, jn_liberr *err);

/*
 * JSONata's $round(x, precision) (round half to even at `precision`
 * decimal places, precision may be negative); also used by $formatBase.
 */
double		jn_num_round_half_even(double d, int precision);

/*
 * Reads a string the way JSONata's $number does: a JSON-like decimal
 * "-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?" that is finite, or a JavaScript
 * hex/octal/binary literal "0x1F", "0o17", "0b101". Returns true and sets
 * *out on success; false (no error set) when the string is not a number
 * (the caller raises D3030).
 */
bool		jn_num_parse(const char *s, size_t len, double *out);

#endif

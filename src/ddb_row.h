/*
 * ddb_row.h — table rows as DynamoDB items and typed values as column values.
 *
 * An attribute is a column of the same name (exactly); a NULL column is an
 * absent attribute. Reading (column type → typed value):
 *
 *   text, varchar, char, name          S
 *   int2, int4, int8, oid, numeric,    N, in DynamoDB's canonical text; NaN, ±Infinity and
 *   float4, float8                     numbers beyond DynamoDB's 38 digits or range are errors
 *   boolean                            BOOL
 *   bytea                              B (base64)
 *   json, jsonb                        by the JSON value: object → M, array → L, string → S,
 *                                      number → N, true/false → BOOL, null → NULL (recursively)
 *   date, timestamp, timestamptz,      S, ISO 8601 as to_jsonb writes them ("2024-05-01",
 *   time, timetz                       "2024-05-01T10:00:00"); timestamptz in UTC with "Z"
 *   arrays (any element type)          L of the elements' values (NULL elements → NULL,
 *                                      multidimensional arrays → nested L)
 *   anything else (uuid, enums, ...)   S, the type's output function
 *
 * Domains are mapped as their base type. Arrays read as lists, not sets: only
 * a list holds every array (order, duplicates, NULL elements, the empty
 * array), so a row read and written back is unchanged.
 *
 * Writing takes the same type for a column, and also: SS, NS or BS for an
 * array whose elements read as S, N or B (stored in the set's order; they read
 * back as L); any typed value for json/jsonb (sets become arrays, B its base64
 * string; {"NULL": true} is the JSON null, not SQL NULL); NULL for any other
 * column (SQL NULL), and for an array element of any type (an SQL NULL
 * element); lists of lists for a multidimensional array (rectangular).
 * Strings go through the column type's input function, so
 * "2024-05-01T10:00:00+02:00" goes in a timestamptz and a domain's checks
 * apply; an N for an integer column must be an integer. A value of another
 * type is a validation error naming the attribute, the column's type and the
 * value's type.
 *
 * Round trips: a row read as an item and put back is the same row, except a
 * json column's formatting and duplicate keys (read through jsonb) and array
 * lower bounds other than 1. Sets put in arrays come back as lists, and a
 * JSON null element of a jsonb[] comes back as an SQL NULL element.
 */
#ifndef BOOKING_DDB_ROW_H
#define BOOKING_DDB_ROW_H

#include "postgres.h"

#include "jsonc.h"
#include "core/error.h"
#include "ddb_table.h"

/*
 * The row (values and nulls in the table's column order) as an item: a new
 * json-c object owned by CurrentMemoryContext. NULL with err set when a value
 * has no DynamoDB form.
 */
json_object *ddb_row_to_item(DdbTable *table, Datum *values, bool *nulls, asl_error *err);

/*
 * A checked typed value as a value of col (*isnull for SQL NULL), in
 * CurrentMemoryContext. False with err set when the value's type can't go in
 * the column; errors of the type's input function (a malformed timestamp, a
 * string too long for varchar(n)) are raised as SQL errors.
 */
bool		ddb_value_to_datum(DdbTable *table, DdbColumn *col, json_object *value,
							   Datum *out, bool *isnull, asl_error *err);

/* The errors for an attribute the table has no column for, and for a generated column. */
void		ddb_unknown_attribute(DdbTable *table, const char *name, asl_error *err);
void		ddb_generated_attribute(DdbTable *table, DdbColumn *col, asl_error *err);

#endif

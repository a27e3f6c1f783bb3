/*
 * timestamp.h — ISO 8601 / RFC 3339 timestamps as ASL uses them.
 *
 * Times are microseconds since the Unix epoch (UTC), the same resolution as
 * PostgreSQL's timestamptz, so the host converts without loss.
 */
#ifndef ASL_TIMESTAMP_H
#define ASL_TIMESTAMP_H

#include <stdbool.h>
#include <stdint.h>

typedef int64_t asl_time;		/* microseconds since 1970-01-01T00:00:00Z */

#define ASL_USEC_PER_SEC INT64_C(1000000)

/*
 * Parses an RFC 3339 timestamp: "YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)".
 * A 'T' and an explicit zone are required, as the ASL spec demands
 * ("RFC3339 profile of ISO 8601, with the further restrictions that an
 * uppercase T must separate the date and time portions, and an uppercase Z
 * must denote that a numeric time zone offset is not present").
 */
bool		asl_timestamp_parse(const char *text, asl_time *out);

/* Formats as "YYYY-MM-DDThh:mm:ss.mmmZ" (AWS's own shape). buf needs 32 bytes. */
void		asl_timestamp_format(asl_time t, char *buf);

#endif

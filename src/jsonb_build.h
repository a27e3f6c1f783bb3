/*
 * jsonb_build.h — building jsonb objects member by member, for the API's
 * AWS-shaped results (DescribeStateMachine, DescribeExecution, ...).
 */
#ifndef BOOKING_JSONB_BUILD_H
#define BOOKING_JSONB_BUILD_H

#include "postgres.h"

#include "utils/jsonb.h"
#include "utils/timestamp.h"

void		jb_begin_object(JsonbParseState **state);
Jsonb	   *jb_end_object(JsonbParseState **state);
void		jb_text(JsonbParseState **state, const char *key, const char *value);
void		jb_int(JsonbParseState **state, const char *key, int64 value);
void		jb_jsonb(JsonbParseState **state, const char *key, Jsonb *value);

/* ISO 8601 in UTC, as AWS prints dates: 2024-01-31T12:00:00.000Z */
void		jb_timestamp(JsonbParseState **state, const char *key, TimestampTz value);

/* TimestampTz ↔ the core's asl_time (µs since the Unix epoch). */
int64		booking_to_asl_time(TimestampTz t);
TimestampTz booking_from_asl_time(int64 t);

#endif

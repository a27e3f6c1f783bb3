/*
 * jsonb_build.c — building jsonb objects member by member.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "jsonb_build.h"
#include "core/timestamp.h"

#define UNIX_EPOCH_OFFSET_USEC \
	((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)

/* Pushes key as the next object key. */
static void
push_key(JsonbParseState **state, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &k);
}

void
jb_begin_object(JsonbParseState **state)
{
	pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
}

Jsonb	   *
jb_end_object(JsonbParseState **state)
{
	return JsonbValueToJsonb(pushJsonbValue(state, WJB_END_OBJECT, NULL));
}

void
jb_text(JsonbParseState **state, const char *key, const char *value)
{
	JsonbValue	v;

	push_key(state, key);
	if (value == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.val = (char *) value;
		v.val.string.len = strlen(value);
	}
	pushJsonbValue(state, WJB_VALUE, &v);
}

void
jb_int(JsonbParseState **state, const char *key, int64 value)
{
	JsonbValue	v;

	push_key(state, key);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(value);
	pushJsonbValue(state, WJB_VALUE, &v);
}

void
jb_jsonb(JsonbParseState **state, const char *key, Jsonb *value)
{
	JsonbValue	v;

	push_key(state, key);
	if (value == NULL)
	{
		v.type = jbvNull;
		pushJsonbValue(state, WJB_VALUE, &v);
		return;
	}
	if (JB_ROOT_IS_SCALAR(value))
	{
		/* a raw scalar is stored as a one-element array; push the element */
		JsonbExtractScalar(&value->root, &v);
		pushJsonbValue(state, WJB_VALUE, &v);
		return;
	}
	v.type = jbvBinary;
	v.val.binary.data = &value->root;
	v.val.binary.len = VARSIZE(value) - VARHDRSZ;
	pushJsonbValue(state, WJB_VALUE, &v);
}

int64
booking_to_asl_time(TimestampTz t)
{
	return t + UNIX_EPOCH_OFFSET_USEC;
}

TimestampTz
booking_from_asl_time(int64 t)
{
	return t - UNIX_EPOCH_OFFSET_USEC;
}

/* t in the ISO 8601 form AWS prints, palloc'd. */
static char *
booking_iso8601(TimestampTz t)
{
	char	   *buf = palloc(32);

	asl_timestamp_format(booking_to_asl_time(t), buf);
	return buf;
}

void
jb_timestamp(JsonbParseState **state, const char *key, TimestampTz value)
{
	jb_text(state, key, booking_iso8601(value));
}

/*
 * arn.c — ARNs in AWS's form, with region and account from settings.
 */
#include "postgres.h"

#include "common/pg_prng.h"
#include "datatype/timestamp.h"
#include "utils/timestamp.h"

#include <ctype.h>
#include <limits.h>

#include "booking.h"
#include "arn.h"
#include "core/asl/names.h"

char	   *
booking_state_machine_arn(const char *name)
{
	return psprintf("arn:aws:states:%s:%s:stateMachine:%s",
					booking_region, booking_account_id, name);
}

char	   *
booking_state_machine_version_arn(const char *name, int version)
{
	return psprintf("%s:%d", booking_state_machine_arn(name), version);
}

char	   *
booking_execution_arn(const char *machine_name, const char *execution_name)
{
	return psprintf("arn:aws:states:%s:%s:execution:%s:%s",
					booking_region, booking_account_id, machine_name, execution_name);
}

/*
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random
 * bits. Time-ordered names land next to each other in the names index
 * (random ones touch a new page each, and write it whole to the WAL after a
 * checkpoint), and a per-backend generator seeded once from the OS is cheaper
 * than asking it for every name.
 */
char	   *
booking_new_execution_name(void)
{
	static pg_prng_state prng;
	static bool seeded = false;
	uint8		b[16];
	uint64		ms = (uint64) (GetCurrentTimestamp() / 1000) +
	(uint64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000;
	uint64		r1;
	uint64		r2;

	if (!seeded)
	{
		if (!pg_prng_strong_seed(&prng))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not seed the execution name generator")));
		seeded = true;
	}
	r1 = pg_prng_uint64(&prng);
	r2 = pg_prng_uint64(&prng);
	for (int i = 0; i < 6; i++)
		b[i] = (uint8) (ms >> (8 * (5 - i)));
	for (int i = 6; i < 16; i++)
		b[i] = (uint8) ((i < 8 ? r1 : r2) >> (8 * (i % 8)));
	b[6] = (b[6] & 0x0f) | 0x70;	/* version 7 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 9562 variant */

	/*
	 * 8-4-4-4-12 hex digits; by hand, as psprintf cost more than the rest of
	 * the name
	 */
	{
		static const char hex[] = "0123456789abcdef";
		char	   *name = palloc(37);
		char	   *p = name;

		for (int i = 0; i < 16; i++)
		{
			if (i == 4 || i == 6 || i == 8 || i == 10)
				*p++ = '-';
			*p++ = hex[b[i] >> 4];
			*p++ = hex[b[i] & 0x0f];
		}
		*p = '\0';
		return name;
	}
}

void
booking_check_name(const char *field, const char *name)
{
	const char *why = NULL;

	if (!asl_name_valid(name, &why))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("InvalidName: %s \"%s\" %s", field, name, why)));
}

/* Splits s on ':' into at most max parts (the last part keeps any further ':'). */
static int
split_colons(char *s, char **parts, int max)
{
	int			n = 0;

	parts[n++] = s;
	while (n < max && (s = strchr(s, ':')) != NULL)
	{
		*s++ = '\0';
		parts[n++] = s;
	}
	return n;
}

/*
 * Splits a copy of an ARN of booking's service (arn:PARTITION:states:REGION:
 * ACCOUNT:RESOURCE:…) into at most max parts; the count, or 0 when it is not
 * one for resource (the partition, region and account may be anything).
 */
static int
split_states_arn(const char *ref, const char *resource, char **parts, int max)
{
	int			n = split_colons(pstrdup(ref), parts, max);

	if (n < 7 || strcmp(parts[2], "states") != 0 || strcmp(parts[5], resource) != 0 ||
		parts[6][0] == '\0')
		return 0;
	return n;
}

void
booking_parse_state_machine_qualified(const char *ref, char **name, int *version, char **alias)
{
	char	   *parts[9];
	int			n;

	*version = 0;
	*alias = NULL;
	if (strncmp(ref, "arn:", 4) != 0)
	{
		*name = pstrdup(ref);
		return;
	}

	/*
	 * arn : partition : states : region : account : stateMachine : name [:
	 * version or alias]
	 */
	n = split_states_arn(ref, "stateMachine", parts, 9);
	if (n == 0 || n > 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("InvalidArn: \"%s\" is not a state machine ARN", ref),
				 errhint("Expected arn:aws:states:REGION:ACCOUNT:stateMachine:NAME[:VERSION or :ALIAS], or a bare name.")));
	*name = parts[6];
	if (n == 8)
	{
		char	   *end;
		long		v;

		if (parts[7][0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("InvalidArn: \"%s\" ends with an empty version or alias", ref)));
		if (!isdigit((unsigned char) parts[7][0]))
		{
			*alias = parts[7];
			return;
		}
		errno = 0;
		v = strtol(parts[7], &end, 10);
		if (*end != '\0' || errno != 0 || v < 1 || v > INT_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("InvalidArn: \"%s\": version \"%s\" is not a positive integer", ref, parts[7])));
		*version = (int) v;
	}
}

void
booking_parse_state_machine_ref(const char *ref, char **name, int *version)
{
	char	   *alias;

	booking_parse_state_machine_qualified(ref, name, version, &alias);
	if (alias != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("InvalidArn: \"%s\" names an alias; a state machine or version ARN is expected here", ref)));
}

void
booking_parse_execution_ref(const char *ref, char **machine_name, char **name)
{
	char	   *parts[8];

	if (strncmp(ref, "arn:", 4) != 0)
	{
		*machine_name = NULL;
		*name = pstrdup(ref);
		return;
	}

	/*
	 * arn : partition : states : region : account : execution : machine :
	 * name
	 */
	if (split_states_arn(ref, "execution", parts, 8) != 8 || parts[7][0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("InvalidArn: \"%s\" is not an execution ARN", ref),
				 errhint("Expected arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME, or a bare execution name.")));
	*machine_name = parts[6];
	*name = parts[7];
}

char	   *
booking_activity_arn(const char *name)
{
	return psprintf("arn:aws:states:%s:%s:activity:%s", booking_region, booking_account_id, name);
}

char	   *
booking_parse_activity_ref(const char *ref)
{
	char	   *parts[7];

	if (strncmp(ref, "arn:", 4) != 0)
		return pstrdup(ref);
	/* arn : partition : states : region : account : activity : name */
	if (split_states_arn(ref, "activity", parts, 7) != 7)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("InvalidArn: \"%s\" is not an activity ARN", ref),
				 errhint("Expected arn:aws:states:REGION:ACCOUNT:activity:NAME, or a bare name.")));
	return parts[6];
}

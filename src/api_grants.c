/*
 * api_grants.c — SQL API for privileges: sfn_grant, sfn_revoke (state
 * machines), sfn_grant_activity, sfn_revoke_activity, and
 * has_state_machine_privilege. See docs/security.md.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "arn.h"
#include "booking.h"
#include "machine_ref.h"
#include "permissions.h"
#include "spi_plans.h"
#include "standby.h"
#include "store_tokens.h"

PG_FUNCTION_INFO_V1(sfn_grant);
PG_FUNCTION_INFO_V1(sfn_revoke);
PG_FUNCTION_INFO_V1(sfn_grant_activity);
PG_FUNCTION_INFO_V1(sfn_revoke_activity);
PG_FUNCTION_INFO_V1(booking_has_state_machine_privilege);

static const char *const machine_privileges[] = {"START", "READ", "STOP", "ANSWER", "MANAGE", NULL};
static const char *const activity_privileges[] = {"USE", "WORK", "MANAGE", NULL};

/* The privilege named (any case) among known, or an ERROR listing them. */
static const char *
privilege_name(const char *given, const char *const *known, const char *kind)
{
	StringInfoData list;

	for (int i = 0; known[i] != NULL; i++)
		if (pg_strcasecmp(given, known[i]) == 0)
			return known[i];
	initStringInfo(&list);
	for (int i = 0; known[i] != NULL; i++)
		appendStringInfo(&list, "%s%s", i ? ", " : "", known[i]);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown privilege \"%s\" on %s", given, kind),
			 errdetail("Privileges: %s, or ALL.", list.data)));
	return NULL;				/* not reached */
}

/* The privileges argument (arg 2) as known names; ALL means every one. */
static List *
privileges_arg(FunctionCallInfo fcinfo, const char *const *known, const char *kind)
{
	ArrayType  *array;
	Datum	   *items;
	bool	   *nulls;
	int			n;
	List	   *out = NIL;

	booking_require_arg(fcinfo, 2, "privileges");
	array = PG_GETARG_ARRAYTYPE_P(2);
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("privileges must be a one-dimensional text array")));
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("privileges must name at least one privilege")));
	for (int i = 0; i < n; i++)
	{
		char	   *given;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("privileges must not contain null")));
		given = TextDatumGetCString(items[i]);
		if (pg_strcasecmp(given, "ALL") == 0)
		{
			for (int k = 0; known[k] != NULL; k++)
				out = list_append_unique_ptr(out, (void *) known[k]);
		}
		else
			out = list_append_unique_ptr(out, (void *) privilege_name(given, known, kind));
	}
	return out;
}

/* Inserts (grant) or deletes (revoke) one row per privilege in a grants table. */
static void
apply(const char *table, const char *id_column, int64 object_id, Oid grantee, Oid grantor,
	  List *privileges, bool grant)
{
	Oid			types[4] = {INT8OID, OIDOID, TEXTOID, OIDOID};
	Datum		values[4];
	char	   *sql = grant
	? psprintf("INSERT INTO booking.%s (%s, grantee, privilege, grantor) "
			   "VALUES ($1, $2::regrole, $3, $4::regrole) ON CONFLICT DO NOTHING", table, id_column)
	: psprintf("DELETE FROM booking.%s WHERE %s = $1 AND grantee = $2::regrole AND privilege = $3",
			   table, id_column);
	ListCell   *lc;

	SPI_connect();
	foreach(lc, privileges)
	{
		values[0] = Int64GetDatum(object_id);
		values[1] = ObjectIdGetDatum(grantee);
		values[2] = CStringGetTextDatum((const char *) lfirst(lc));
		values[3] = ObjectIdGetDatum(grantor);
		booking_spi_check(SPI_execute_with_args(sql, grant ? 4 : 3, types, values, NULL, false, 0),
						  grant ? SPI_OK_INSERT : SPI_OK_DELETE, grant ? "grant" : "revoke");
	}
	SPI_finish();
}

/*
 * sfn_grant and sfn_revoke: changes the privileges a role holds on a state
 * machine (the caller needs MANAGE on it).
 */
static void
grant_on_machine(FunctionCallInfo fcinfo, bool grant)
{
	BookingScope scope;
	Oid			caller;
	StoredMachine machine;
	int			version;
	List	   *privileges;

	booking_require_primary(grant ? "sfn_grant" : "sfn_revoke");
	booking_require_arg(fcinfo, 0, "state_machine");
	booking_require_arg(fcinfo, 1, "role");
	caller = booking_enter(&scope);
	privileges = privileges_arg(fcinfo, machine_privileges, "a state machine");
	booking_lookup_machine(text_to_cstring(PG_GETARG_TEXT_PP(0)), true, &machine, &version);
	if (version != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("privileges are on a state machine, not on one of its versions")));
	booking_require_machine(caller, machine.id, machine.name, machine.owner, "MANAGE");
	apply("state_machine_grants", "machine_id", machine.id, PG_GETARG_OID(1), caller, privileges, grant);
	booking_leave(&scope);
}

Datum
sfn_grant(PG_FUNCTION_ARGS)
{
	grant_on_machine(fcinfo, true);
	PG_RETURN_VOID();
}

Datum
sfn_revoke(PG_FUNCTION_ARGS)
{
	grant_on_machine(fcinfo, false);
	PG_RETURN_VOID();
}

/* sfn_grant_activity and sfn_revoke_activity: the same for an activity. */
static void
grant_on_activity(FunctionCallInfo fcinfo, bool grant)
{
	BookingScope scope;
	Oid			caller;
	char	   *name;
	int64		activity;
	List	   *privileges;

	booking_require_primary(grant ? "sfn_grant_activity" : "sfn_revoke_activity");
	booking_require_arg(fcinfo, 0, "activity");
	booking_require_arg(fcinfo, 1, "role");
	caller = booking_enter(&scope);
	privileges = privileges_arg(fcinfo, activity_privileges, "an activity");
	name = booking_parse_activity_ref(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	activity = store_activity_find(name);
	if (activity == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("ActivityDoesNotExist: activity \"%s\" does not exist", name)));
	booking_require_activity(caller, activity, name, "MANAGE");
	apply("activity_grants", "activity_id", activity, PG_GETARG_OID(1), caller, privileges, grant);
	booking_leave(&scope);
}

Datum
sfn_grant_activity(PG_FUNCTION_ARGS)
{
	grant_on_activity(fcinfo, true);
	PG_RETURN_VOID();
}

Datum
sfn_revoke_activity(PG_FUNCTION_ARGS)
{
	grant_on_activity(fcinfo, false);
	PG_RETURN_VOID();
}

Datum
booking_has_state_machine_privilege(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	Oid			caller = booking_enter(&scope);
	StoredMachine machine;
	int			version;
	const char *privilege = privilege_name(text_to_cstring(PG_GETARG_TEXT_PP(1)), machine_privileges,
										   "a state machine");
	bool		holds;

	booking_lookup_machine(text_to_cstring(PG_GETARG_TEXT_PP(0)), false, &machine, &version);
	holds = booking_machine_allows(caller, machine.id, machine.owner, privilege);
	booking_leave(&scope);
	PG_RETURN_BOOL(holds);
}

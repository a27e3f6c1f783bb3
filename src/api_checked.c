/*
 * api_checked.c — the doors of the API functions written in SQL that change
 * or read booking's tables directly (tags, published versions, aliases).
 *
 * Each public function is a C entry point here: it enters as the tables'
 * owner (booking_enter), checks the caller's privilege on the object its
 * first argument names (a state machine, or one of its version or alias ARNs,
 * or an activity for tags), then runs booking.<name>_unchecked with the same
 * arguments and returns what that returns. The *_unchecked functions are the
 * owner's alone: EXECUTE on them is not granted to booking_user.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "arn.h"
#include "booking.h"
#include "permissions.h"
#include "spi_plans.h"
#include "standby.h"
#include "store_machines.h"
#include "store_tokens.h"

PG_FUNCTION_INFO_V1(sfn_tag_resource);
PG_FUNCTION_INFO_V1(sfn_untag_resource);
PG_FUNCTION_INFO_V1(sfn_list_tags_for_resource);
PG_FUNCTION_INFO_V1(sfn_publish_state_machine_version);
PG_FUNCTION_INFO_V1(sfn_list_state_machine_versions);
PG_FUNCTION_INFO_V1(sfn_delete_state_machine_version);
PG_FUNCTION_INFO_V1(sfn_create_state_machine_alias);
PG_FUNCTION_INFO_V1(sfn_describe_state_machine_alias);
PG_FUNCTION_INFO_V1(sfn_update_state_machine_alias);
PG_FUNCTION_INFO_V1(sfn_delete_state_machine_alias);
PG_FUNCTION_INFO_V1(sfn_list_state_machine_aliases);

typedef enum CheckedObject
{
	ON_MACHINE,					/* a state machine, version or alias ARN, or a
								 * name */
	ON_TAGGABLE					/* a state machine or an activity ARN */
} CheckedObject;

typedef enum CheckedResult
{
	RETURNS_VOID,
	RETURNS_SCALAR,
	RETURNS_SET
} CheckedResult;

/*
 * The caller's privilege on the state machine ref names. A machine that does
 * not exist is let through: the *_unchecked function names the error AWS names
 * (StateMachineDoesNotExist, ResourceNotFound), and there is nothing to guard.
 */
static void
check_machine(Oid caller, const char *ref, const char *privilege)
{
	char	   *name;
	char	   *alias;
	int			version;
	StoredMachine machine;

	booking_parse_state_machine_qualified(ref, &name, &version, &alias);
	if (store_machine_lookup(name, false, &machine))
		booking_require_machine(caller, machine.id, machine.name, machine.owner, privilege);
}

/* Reading an activity's tags: any privilege on it; changing them: MANAGE. */
static void
check_activity(Oid caller, const char *ref, bool change)
{
	char	   *name = booking_parse_activity_ref(ref);
	int64		id = store_activity_find(name);
	Oid			owner;

	if (id == 0)
		return;
	owner = booking_activity_owner(id);
	if (change || !(booking_activity_allows(caller, id, owner, "USE") ||
					booking_activity_allows(caller, id, owner, "WORK")))
		booking_require_activity(caller, id, name, "MANAGE");
}

/*
 * Requires privilege on the object ref names: a state machine (by name or
 * ARN) or, for tags, an activity ARN; other ARNs are left to the unchecked
 * function to refuse.
 */
static void
check_object(Oid caller, CheckedObject object, const char *ref, const char *privilege)
{
	char	   *kind = NULL;

	if (object == ON_TAGGABLE && strncmp(ref, "arn:", 4) == 0)
	{
		/* arn:PARTITION:states:REGION:ACCOUNT:KIND:… */
		const char *p = ref;

		for (int i = 0; i < 5 && p != NULL; i++)
			p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
		if (p != NULL)
			kind = pnstrdup(p, strcspn(p, ":"));
		if (kind != NULL && strcmp(kind, "activity") == 0)
		{
			check_activity(caller, ref, strcmp(privilege, "MANAGE") == 0);
			return;
		}
		if (kind == NULL || strcmp(kind, "stateMachine") != 0)
			return;				/* tag_target names the ARN invalid */
	}
	check_machine(caller, ref, privilege);
}

/* Copies the SPI result's rows into the set-returning function's tuplestore. */
static void
return_rows(FunctionCallInfo fcinfo)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	desc = rsinfo->setDesc;
	int			natts = desc->natts;
	Datum	   *values = palloc(sizeof(Datum) * natts);
	bool	   *nulls = palloc(sizeof(bool) * natts);

	if (SPI_tuptable->tupdesc->natts != natts)
		elog(ERROR, "booking: the unchecked function returned %d columns, not %d",
			 SPI_tuptable->tupdesc->natts, natts);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		for (int c = 0; c < natts; c++)
			values[c] = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c + 1, &nulls[c]);
		/* the tuplestore copies the values into its own memory */
		tuplestore_putvalues(rsinfo->setResult, desc, values, nulls);
	}
}

/*
 * Runs the unchecked SQL function with the caller's arguments after
 * checking the caller's privilege on the object named by the first
 * argument, and returns its result shaped as result says. A call that
 * writes is refused first on a hot standby (standby.h).
 */
static Datum
checked_call(FunctionCallInfo fcinfo, const char *unchecked, CheckedObject object,
			 const char *privilege, CheckedResult result, bool writes)
{
	BookingScope scope;
	Oid			caller;
	int			nargs = PG_NARGS();
	Oid		   *types = palloc(sizeof(Oid) * Max(nargs, 1));
	Datum	   *values = palloc(sizeof(Datum) * Max(nargs, 1));
	char	   *nulls = palloc(Max(nargs, 1) + 1);
	StringInfoData sql;
	Datum		out = (Datum) 0;
	bool		out_null = true;

	/* a write on a standby says so, before anything else is looked at */
	if (writes)
		booking_require_primary(get_func_name(fcinfo->flinfo->fn_oid));
	booking_require_arg(fcinfo, 0, "the object");
	if (result == RETURNS_SET)
		InitMaterializedSRF(fcinfo, 0);
	caller = booking_enter(&scope);
	check_object(caller, object, text_to_cstring(PG_GETARG_TEXT_PP(0)), privilege);

	initStringInfo(&sql);
	appendStringInfo(&sql, result == RETURNS_SET ? "SELECT * FROM booking.%s(" : "SELECT booking.%s(",
					 quote_identifier(unchecked));
	for (int i = 0; i < nargs; i++)
	{
		types[i] = get_fn_expr_argtype(fcinfo->flinfo, i);
		values[i] = PG_GETARG_DATUM(i);
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		appendStringInfo(&sql, "%s$%d::%s", i > 0 ? ", " : "", i + 1, format_type_be(types[i]));
	}
	nulls[nargs] = '\0';
	appendStringInfoChar(&sql, ')');

	SPI_connect();
	booking_spi_check(SPI_execute_with_args(sql.data, nargs, types, values, nulls, false, 0),
					  SPI_OK_SELECT, unchecked);
	if (result == RETURNS_SET)
		return_rows(fcinfo);
	else if (result == RETURNS_SCALAR && SPI_processed == 1)
	{
		out = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &out_null);
		if (!out_null)
			out = SPI_datumTransfer(out, get_typbyval(SPI_tuptable->tupdesc->attrs[0].atttypid),
									get_typlen(SPI_tuptable->tupdesc->attrs[0].atttypid));
	}
	SPI_finish();
	booking_leave(&scope);

	if (result == RETURNS_SET || result == RETURNS_VOID)
		return (Datum) 0;
	if (out_null)
		PG_RETURN_NULL();
	return out;
}

Datum
sfn_tag_resource(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "tag_resource_unchecked", ON_TAGGABLE, "MANAGE", RETURNS_VOID, true);
}

Datum
sfn_untag_resource(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "untag_resource_unchecked", ON_TAGGABLE, "MANAGE", RETURNS_VOID, true);
}

Datum
sfn_list_tags_for_resource(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "list_tags_for_resource_unchecked", ON_TAGGABLE, "READ", RETURNS_SET, false);
}

Datum
sfn_publish_state_machine_version(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "publish_state_machine_version_unchecked", ON_MACHINE, "MANAGE", RETURNS_SET, true);
}

Datum
sfn_list_state_machine_versions(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "list_state_machine_versions_unchecked", ON_MACHINE, "READ", RETURNS_SET, false);
}

Datum
sfn_delete_state_machine_version(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "delete_state_machine_version_unchecked", ON_MACHINE, "MANAGE", RETURNS_VOID, true);
}

Datum
sfn_create_state_machine_alias(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "create_state_machine_alias_unchecked", ON_MACHINE, "MANAGE", RETURNS_SET, true);
}

Datum
sfn_describe_state_machine_alias(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "describe_state_machine_alias_unchecked", ON_MACHINE, "READ", RETURNS_SCALAR, false);
}

Datum
sfn_update_state_machine_alias(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "update_state_machine_alias_unchecked", ON_MACHINE, "MANAGE", RETURNS_SCALAR, true);
}

Datum
sfn_delete_state_machine_alias(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "delete_state_machine_alias_unchecked", ON_MACHINE, "MANAGE", RETURNS_VOID, true);
}

Datum
sfn_list_state_machine_aliases(PG_FUNCTION_ARGS)
{
	return checked_call(fcinfo, "list_state_machine_aliases_unchecked", ON_MACHINE, "READ", RETURNS_SET, false);
}

/*
 * permissions.c — who may do what. See permissions.h and docs/security.md.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/catalog.h"
#include "catalog/namespace.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "permissions.h"
#include "spi_plans.h"
#include "store_tokens.h"
#include "store_writeback.h"

#define BOOKING_SCHEMA "booking"
#define BOOKING_USER "booking_user"
/* the API's own statements: every booking object they name is qualified */
#define PINNED_SEARCH_PATH "pg_catalog, pg_temp"

Oid
booking_require_user(void)
{
	Oid			caller = GetUserId();
	Oid			booking_user = get_role_oid(BOOKING_USER, true);

	/*
	 * membership, inherited or not: a NOINHERIT role is granted booking_user
	 * too
	 */
	if (!OidIsValid(booking_user) || !is_member_of_role(caller, booking_user))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied: role \"%s\" may not use booking",
						GetUserNameFromId(caller, false)),
				 errdetail("booking's functions are for members of the role %s.", BOOKING_USER),
				 errhint("A DBA grants it: GRANT %s TO %s;", BOOKING_USER,
						 quote_identifier(GetUserNameFromId(caller, false)))));
	return caller;
}

/* The owner of booking's tables: the role that created the extension. */
static Oid
tables_owner(void)
{
	Oid			nsp = get_namespace_oid(BOOKING_SCHEMA, false);
	Oid			relid = get_relname_relid("state_machines", nsp);
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(relid))
		elog(ERROR, "booking: table %s.state_machines is missing", BOOKING_SCHEMA);
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

Oid
booking_enter(BookingScope *scope)
{
	scope->caller = booking_require_user();
	booking_as_owner(scope);

	/*
	 * a task's code calling booking within a tick's batch: the batch's saves
	 * kept for its end are written first, so this call reads them
	 */
	if (store_writeback_unwritten > 0)
		store_writeback_flush();
	return scope->caller;
}

void
booking_as_owner(BookingScope *scope)
{
	GetUserIdAndSecContext(&scope->save_user, &scope->save_sec);
	SetUserIdAndSecContext(tables_owner(), scope->save_sec | SECURITY_LOCAL_USERID_CHANGE);

	/*
	 * neither a caller's schemas nor its temp objects can stand in for the
	 * catalog's
	 */
	scope->guc_level = 0;
	if (namespace_search_path == NULL || strcmp(namespace_search_path, PINNED_SEARCH_PATH) != 0)
	{
		scope->guc_level = NewGUCNestLevel();
		(void) set_config_option("search_path", PINNED_SEARCH_PATH, PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	}
}

/*
 * A setting pushed for a whole tick leaves PostgreSQL's GUC state dirty, and
 * then every subtransaction's end (one per execution and one per task) walks
 * all the settings there are: 1% of an expiry's instructions. A timer
 * worker's session serves only booking, so it takes the pinned path as its
 * own once (a session setting: a configuration reload does not undo it).
 */
void
booking_pin_session_search_path(void)
{
	SetConfigOption("search_path", PINNED_SEARCH_PATH, PGC_USERSET, PGC_S_SESSION);
}

void
booking_leave(BookingScope *scope)
{
	if (scope->guc_level != 0)
		AtEOXact_GUC(true, scope->guc_level);
	SetUserIdAndSecContext(scope->save_user, scope->save_sec);
}

/* Whether role has the privileges of one of the grantees of privilege (query: $1 object, $2 privilege). */
static bool
granted(SPIPlanPtr *plan, const char *sql, Oid role, int64 object_id, const char *privilege)
{
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2] = {Int64GetDatum(object_id), CStringGetTextDatum(privilege)};
	bool		found = false;

	SPI_connect();
	booking_spi_check(SPI_execute_plan(booking_plan(plan, sql, 2, types), values, NULL, true, 0),
					  SPI_OK_SELECT, "grants lookup");
	for (uint64 i = 0; i < SPI_processed && !found; i++)
	{
		bool		isnull;
		Datum		grantee = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		found = !isnull && has_privs_of_role(role, DatumGetObjectId(grantee));
	}
	SPI_finish();
	return found;
}

static SPIPlanPtr plan_machine_grants;
static SPIPlanPtr plan_activity_grants;
static SPIPlanPtr plan_machine_owner;
static SPIPlanPtr plan_activity_owner;

bool
booking_machine_allows(Oid role, int64 machine_id, Oid owner, const char *privilege)
{
	if (has_privs_of_role(role, owner))
		return true;
	return granted(&plan_machine_grants,
				   "SELECT grantee::oid FROM booking.state_machine_grants WHERE machine_id = $1 AND privilege = $2",
				   role, machine_id, privilege);
}

/*
 * Raises AccessDeniedException for role lacking privilege on the object,
 * with the grant that would allow it.
 */
static void
access_denied(Oid role, const char *privilege, const char *kind, const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("AccessDeniedException: role \"%s\" does not hold %s on %s \"%s\"",
					GetUserNameFromId(role, false), privilege, kind, name),
			 errhint("Its owner (or a holder of MANAGE) grants it: SELECT booking.sfn_grant%s('%s', '%s', ARRAY['%s']);",
					 strcmp(kind, "activity") == 0 ? "_activity" : "", name,
					 GetUserNameFromId(role, false), privilege)));
}

void
booking_require_machine(Oid role, int64 machine_id, const char *machine_name, Oid owner,
						const char *privilege)
{
	if (!booking_machine_allows(role, machine_id, owner, privilege))
		access_denied(role, privilege, "state machine", machine_name);
}

void
booking_require_machine_named(Oid role, const char *machine_name, const char *privilege)
{
	Oid			types[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(machine_name)};
	int64		id = 0;
	Oid			owner = InvalidOid;

	SPI_connect();
	booking_spi_check(SPI_execute_plan(booking_plan(&plan_machine_owner,
													"SELECT id, owner::oid FROM booking.state_machines WHERE name = $1",
													1, types), values, NULL, true, 1),
					  SPI_OK_SELECT, "state machine owner lookup");
	if (SPI_processed == 1)
	{
		bool		isnull;

		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		owner = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	}
	SPI_finish();
	if (id == 0)
		elog(ERROR, "booking: state machine \"%s\" vanished", machine_name);
	booking_require_machine(role, id, machine_name, owner, privilege);
}

Oid
booking_activity_owner(int64 activity_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(activity_id)};
	Oid			owner = InvalidOid;

	SPI_connect();
	booking_spi_check(SPI_execute_plan(booking_plan(&plan_activity_owner,
													"SELECT owner::oid FROM booking.activities WHERE id = $1",
													1, types), values, NULL, true, 1),
					  SPI_OK_SELECT, "activity owner lookup");
	if (SPI_processed == 1)
	{
		bool		isnull;

		owner = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_finish();
	return owner;
}

bool
booking_activity_allows(Oid role, int64 activity_id, Oid owner, const char *privilege)
{
	if (OidIsValid(owner) && has_privs_of_role(role, owner))
		return true;
	return granted(&plan_activity_grants,
				   "SELECT grantee::oid FROM booking.activity_grants WHERE activity_id = $1 AND privilege = $2",
				   role, activity_id, privilege);
}

void
booking_require_activity(Oid role, int64 activity_id, const char *name, const char *privilege)
{
	if (!booking_activity_allows(role, activity_id, booking_activity_owner(activity_id), privilege))
		access_denied(role, privilege, "activity", name);
}

bool
booking_role_is_privileged(Oid role)
{
	HeapTuple	tup = SearchSysCache1(AUTHOID, ObjectIdGetDatum(role));
	bool		privileged;

	if (!HeapTupleIsValid(tup))
		return false;
	privileged = ((Form_pg_authid) GETSTRUCT(tup))->rolsuper ||
		((Form_pg_authid) GETSTRUCT(tup))->rolbypassrls;
	ReleaseSysCache(tup);
	return privileged;
}

bool
booking_task_may_reach(Oid namespace_id, const char *what, const char *error_name, asl_error *err)
{
	char	   *nspname = get_namespace_name(namespace_id);
	bool		forbidden;

	/*
	 * user schemas can't be named pg_*: those are the system's (catalog,
	 * toast, temp)
	 */
	forbidden = nspname == NULL ||
		IsCatalogNamespace(namespace_id) || IsToastNamespace(namespace_id) ||
		isAnyTempNamespace(namespace_id) ||
		strncmp(nspname, "pg_", 3) == 0 ||
		strcmp(nspname, "information_schema") == 0 ||
		strcmp(nspname, BOOKING_SCHEMA) == 0;
	if (forbidden)
		asl_error_set(err, error_name,
					  "%s is in schema %s, which tasks may not reach (system and booking schemas)",
					  what, nspname ? nspname : "(dropped)");
	return !forbidden;
}

int64
booking_activity_for_task(const char *name, const char *arn, Oid role, asl_error *err)
{
	int64		activity = store_activity_find(name);

	if (activity == 0)
	{
		asl_error_set(err, "ActivityDoesNotExist", "Activity does not exist: %s", arn);
		return 0;
	}
	/* as the task's other resources, under the execution role's rights */
	if (!booking_activity_allows(role, activity, booking_activity_owner(activity), "USE"))
	{
		asl_error_set(err, ASL_ERR_PERMISSIONS,
					  "the execution role \"%s\" does not hold USE on activity %s",
					  GetUserNameFromId(role, false), name);
		return 0;
	}
	return activity;
}

/*
 * api_versions.c — what the C API needs of published versions and aliases.
 * The tables and their SQL functions are in booking--1.1.sql (versions,
 * aliases); here a start or a describe finds the revision a version number or
 * an alias stands for, and create/update publish on request.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "api_versions.h"
#include "spi_columns.h"
#include "spi_plans.h"

/* Runs a one-row, one-column query; the int4 it returns (0 for NULL or no row). */
static int
query_int4(const char *sql, int nargs, Oid *types, Datum *values)
{
	int			result = 0;

	SPI_connect();
	booking_spi_check(SPI_execute_with_args(sql, nargs, types, values, NULL, false, 1),
					  SPI_OK_SELECT, sql);
	if (SPI_processed == 1)
		result = spi_col_int4(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
	SPI_finish();
	return result;
}

int
booking_published_revision(int64 machine_id, const char *machine_name, int version)
{
	Oid			types[2] = {INT8OID, INT4OID};
	Datum		values[2] = {Int64GetDatum(machine_id), Int32GetDatum(version)};
	int			revision = query_int4("SELECT booking.published_revision($1, $2)", 2, types, values);

	if (revision == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("StateMachineDoesNotExist: state machine \"%s\" has no published version %d",
						machine_name, version)));
	return revision;
}

int
booking_alias_revision(int64 machine_id, const char *alias)
{
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2] = {Int64GetDatum(machine_id), CStringGetTextDatum(alias)};
	int			revision;

	if (query_int4("SELECT 1 FROM booking.state_machine_aliases WHERE machine_id = $1 AND name = $2",
				   2, types, values) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("StateMachineDoesNotExist: state machine alias \"%s\" does not exist", alias)));
	revision = query_int4("SELECT booking.alias_pick_revision($1, $2)", 2, types, values);

	if (revision == 0)
		elog(ERROR, "booking: alias \"%s\" routes to a version that is no longer published", alias);
	return revision;
}

int
booking_revision_published_as(int64 machine_id, int revision)
{
	Oid			types[2] = {INT8OID, INT4OID};
	Datum		values[2] = {Int64GetDatum(machine_id), Int32GetDatum(revision)};

	return query_int4("SELECT published_version FROM booking.state_machine_versions "
					  "WHERE machine_id = $1 AND version = $2", 2, types, values);
}

char	   *
booking_publish_latest(int64 machine_id, const char *description)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2] = {Int64GetDatum(machine_id),
	description ? CStringGetTextDatum(description) : (Datum) 0};
	char		nulls[2] = {' ', description ? ' ' : 'n'};
	char	   *arn;
	MemoryContext old;

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("SELECT booking.publish_latest($1, $2)",
											2, types, values, nulls, false, 1),
					  SPI_OK_SELECT, "publish state machine version");
	old = MemoryContextSwitchTo(caller);
	arn = spi_col_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	MemoryContextSwitchTo(old);
	SPI_finish();
	return arn;
}

void
booking_set_role_arn(int64 machine_id, const char *role_arn)
{
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2] = {Int64GetDatum(machine_id), CStringGetTextDatum(role_arn)};

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("UPDATE booking.state_machines SET role_arn = $2 WHERE id = $1",
											2, types, values, NULL, false, 0),
					  SPI_OK_UPDATE, "state machine role ARN");
	SPI_finish();
}

char	   *
booking_role_arn(int64 machine_id)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(machine_id)};
	char	   *arn = NULL;

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("SELECT role_arn FROM booking.state_machines WHERE id = $1",
											1, types, values, NULL, true, 1),
					  SPI_OK_SELECT, "state machine role ARN");
	if (SPI_processed == 1)
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		arn = spi_col_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return arn;
}

/*
 * The machine's loggingConfiguration, tracingConfiguration and
 * encryptionConfiguration: those given (NULL: kept) replace the kept ones,
 * checked by booking.machine_settings (InvalidLoggingConfiguration, …).
 */
void
booking_set_machine_settings(int64 machine_id, Jsonb *logging, Jsonb *tracing, Jsonb *encryption)
{
	Oid			types[4] = {INT8OID, JSONBOID, JSONBOID, JSONBOID};
	Datum		values[4] = {Int64GetDatum(machine_id), PointerGetDatum(logging),
	PointerGetDatum(tracing), PointerGetDatum(encryption)};
	char		nulls[4] = {' ', logging ? ' ' : 'n', tracing ? ' ' : 'n', encryption ? ' ' : 'n'};

	if (logging == NULL && tracing == NULL && encryption == NULL)
		return;
	SPI_connect();
	booking_spi_check(SPI_execute_with_args("UPDATE booking.state_machines "
											"SET settings = booking.machine_settings(settings, $2, $3, $4) WHERE id = $1",
											4, types, values, nulls, false, 0),
					  SPI_OK_UPDATE, "state machine settings");
	SPI_finish();
}

/* Whether creating the machine again with these settings is the same machine (AWS: else it conflicts). */
bool
booking_machine_settings_match(int64 machine_id, Jsonb *logging, Jsonb *tracing, Jsonb *encryption)
{
	Oid			types[4] = {INT8OID, JSONBOID, JSONBOID, JSONBOID};
	Datum		values[4] = {Int64GetDatum(machine_id), PointerGetDatum(logging),
	PointerGetDatum(tracing), PointerGetDatum(encryption)};
	char		nulls[4] = {' ', logging ? ' ' : 'n', tracing ? ' ' : 'n', encryption ? ' ' : 'n'};
	bool		same;

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("SELECT booking.machine_settings(NULL, $2, $3, $4) = coalesce(settings, '{}') "
											"FROM booking.state_machines WHERE id = $1",
											4, types, values, nulls, true, 1),
					  SPI_OK_SELECT, "state machine settings");
	same = SPI_processed == 1 && spi_col_bool(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	SPI_finish();
	return same;
}

/* The settings as DescribeStateMachine shows them: those kept, else AWS's defaults. */
Jsonb	   *
booking_machine_settings_shown(int64 machine_id)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(machine_id)};
	Jsonb	   *shown = NULL;

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("SELECT booking.machine_settings_shown(settings) FROM booking.state_machines WHERE id = $1",
											1, types, values, NULL, true, 1),
					  SPI_OK_SELECT, "state machine settings");
	if (SPI_processed == 1)
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		shown = spi_col_jsonb(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return shown;
}

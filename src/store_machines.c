/*
 * store_machines.c — state machines and their versions in tables (SPI).
 *
 * Statements are schema-qualified so a caller's search_path can't redirect
 * them; values are always parameters.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "machine_rows.h"
#include "spi_columns.h"
#include "spi_plans.h"
#include "store_machines.h"

#define MACHINE_COLUMNS "id, name, arn, type, role::oid, current_version, created, updated, search_path, " \
	"owner::oid, privileged_role"

/* Copies row 0 of SPI_tuptable into out, in the caller's context. */
static void
read_machine_row(MemoryContext caller, StoredMachine *out)
{
	HeapTuple	tup = SPI_tuptable->vals[0];
	TupleDesc	desc = SPI_tuptable->tupdesc;
	MemoryContext old = MemoryContextSwitchTo(caller);

	out->id = spi_col_int8(tup, desc, 1, 0);
	out->name = spi_col_text(tup, desc, 2);
	out->arn = spi_col_text(tup, desc, 3);
	out->type = spi_col_text(tup, desc, 4);
	out->role = spi_col_oid(tup, desc, 5);
	out->current_version = spi_col_int4(tup, desc, 6, 0);
	out->created = spi_col_timestamptz(tup, desc, 7);
	out->updated = spi_col_timestamptz(tup, desc, 8);
	out->search_path = spi_col_text(tup, desc, 9);
	out->owner = spi_col_oid(tup, desc, 10);
	out->privileged_role = spi_col_bool(tup, desc, 11);
	MemoryContextSwitchTo(old);
}

static SPIPlanPtr plan_lookup;
static SPIPlanPtr plan_lookup_lock;

bool
store_machine_lookup(const char *name, bool for_update, StoredMachine *out)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	SPIPlanPtr	plan;
	bool		found;

	/* every start looks its machine up: the row read last, while current */
	if (!for_update && machine_rows_get(name, out))
		return true;
	values[0] = CStringGetTextDatum(name);
	SPI_connect();
	/* a kept plan saves the parse and plan */
	plan = for_update
		? booking_plan(&plan_lookup_lock, "SELECT " MACHINE_COLUMNS " FROM booking.state_machines WHERE name = $1 FOR UPDATE",
					   1, argtypes)
		: booking_plan(&plan_lookup, "SELECT " MACHINE_COLUMNS ", ctid, xmin FROM booking.state_machines WHERE name = $1",
					   1, argtypes);
	booking_spi_check(SPI_execute_plan(plan, values, NULL, false, 1), SPI_OK_SELECT, "state machine lookup");
	found = SPI_processed == 1;
	if (found)
		read_machine_row(caller, out);
	if (found && !for_update)
	{
		bool		isnull;
		ItemPointer tid = (ItemPointer) DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 12, &isnull));
		TransactionId xmin = DatumGetTransactionId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 13, &isnull));

		machine_rows_put(name, tid, xmin, out);
	}
	SPI_finish();
	return found;
}

bool
store_machine_insert(const StoredMachine *machine, Jsonb *definition, Jsonb *substitutions,
					 StoredMachine *out)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[7] = {TEXTOID, TEXTOID, TEXTOID, OIDOID, OIDOID, BOOLOID, TEXTOID};
	Datum		values[7] = {CStringGetTextDatum(machine->name), CStringGetTextDatum(machine->arn),
		CStringGetTextDatum(machine->type), ObjectIdGetDatum(machine->role),
		ObjectIdGetDatum(machine->owner), BoolGetDatum(machine->privileged_role),
	CStringGetTextDatum(machine->search_path)};
	Oid			vtypes[3] = {INT8OID, JSONBOID, JSONBOID};
	Datum		vvalues[3];
	char		vnulls[3] = {' ', ' ', substitutions ? ' ' : 'n'};
	bool		inserted;

	SPI_connect();

	/*
	 * ON CONFLICT waits for a concurrent creator instead of failing on the
	 * unique index
	 */
	booking_spi_check(SPI_execute_with_args("INSERT INTO booking.state_machines "
											"(name, arn, type, role, owner, privileged_role, search_path) "
											"VALUES ($1, $2, $3, $4::regrole, $5::regrole, $6, $7) "
											"ON CONFLICT (name) DO NOTHING RETURNING " MACHINE_COLUMNS,
											7, argtypes, values, NULL, false, 1),
					  SPI_OK_INSERT_RETURNING, "state machine insert");
	inserted = SPI_processed == 1;
	if (inserted)
	{
		read_machine_row(caller, out);
		vvalues[0] = Int64GetDatum(out->id);
		vvalues[1] = JsonbPGetDatum(definition);
		vvalues[2] = substitutions ? JsonbPGetDatum(substitutions) : (Datum) 0;
		booking_spi_check(SPI_execute_with_args("INSERT INTO booking.state_machine_versions "
												"(machine_id, version, definition, substitutions) VALUES ($1, 1, $2, $3)",
												3, vtypes, vvalues, vnulls, false, 0),
						  SPI_OK_INSERT, "state machine version insert");
	}
	SPI_finish();
	if (!inserted && !store_machine_lookup(machine->name, false, out))
		elog(ERROR, "state machine \"%s\" vanished during creation", machine->name);
	return inserted;
}

void
store_machine_set_role(int64 machine_id, Oid role, bool privileged_role)
{
	Oid			argtypes[3] = {INT8OID, OIDOID, BOOLOID};
	Datum		values[3] = {Int64GetDatum(machine_id), ObjectIdGetDatum(role), BoolGetDatum(privileged_role)};

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("UPDATE booking.state_machines "
											"SET role = $2::regrole, privileged_role = $3, updated = now() WHERE id = $1",
											3, argtypes, values, NULL, false, 0),
					  SPI_OK_UPDATE, "state machine role update");
	SPI_finish();
}

int
store_machine_add_version(int64 machine_id, Jsonb *definition, Jsonb *substitutions)
{
	Oid			argtypes[3] = {INT8OID, JSONBOID, JSONBOID};
	Datum		values[3] = {Int64GetDatum(machine_id), JsonbPGetDatum(definition),
	substitutions ? JsonbPGetDatum(substitutions) : (Datum) 0};
	char		nulls[3] = {' ', ' ', substitutions ? ' ' : 'n'};
	int			version;

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("UPDATE booking.state_machines "
											"SET current_version = current_version + 1, updated = now() "
											"WHERE id = $1 RETURNING current_version",
											1, argtypes, values, NULL, false, 1),
					  SPI_OK_UPDATE_RETURNING, "state machine version bump");
	if (SPI_processed != 1)
		elog(ERROR, "state machine %lld vanished during update", (long long) machine_id);
	version = spi_col_int4(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
	values[0] = Int64GetDatum(machine_id);
	{
		Oid			vtypes[4] = {INT8OID, INT4OID, JSONBOID, JSONBOID};
		Datum		vvalues[4] = {values[0], Int32GetDatum(version), values[1], values[2]};
		char		vnulls[4] = {' ', ' ', ' ', nulls[2]};

		booking_spi_check(SPI_execute_with_args("INSERT INTO booking.state_machine_versions "
												"(machine_id, version, definition, substitutions) VALUES ($1, $2, $3, $4)",
												4, vtypes, vvalues, vnulls, false, 0),
						  SPI_OK_INSERT, "state machine version insert");
	}
	SPI_finish();
	return version;
}

Jsonb	   *
store_version_definition(int64 machine_id, int version, Jsonb **substitutions, TimestampTz *created)
{
	return store_version_definition_xmin(machine_id, version, substitutions, created, NULL);
}

Jsonb	   *
store_version_definition_xmin(int64 machine_id, int version, Jsonb **substitutions, TimestampTz *created,
							  TransactionId *xmin)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			argtypes[2] = {INT8OID, INT4OID};
	Datum		values[2] = {Int64GetDatum(machine_id), Int32GetDatum(version)};
	Jsonb	   *definition = NULL;

	/*
	 * not read-only: a fresh snapshot after this command's own writes, as the
	 * machine's row was read with (a version added earlier in the statement
	 * that reads it is seen)
	 */
	SPI_connect();
	booking_spi_check(SPI_execute_with_args("SELECT definition, substitutions, created, xmin FROM booking.state_machine_versions "
											"WHERE machine_id = $1 AND version = $2",
											2, argtypes, values, NULL, false, 1),
					  SPI_OK_SELECT, "state machine version lookup");
	if (SPI_processed == 1)
	{
		HeapTuple	tup = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext old = MemoryContextSwitchTo(caller);
		bool		isnull;

		definition = spi_col_jsonb(tup, desc, 1);
		if (substitutions)
			*substitutions = spi_col_jsonb(tup, desc, 2);
		if (created)
			*created = spi_col_timestamptz(tup, desc, 3);
		if (xmin)
			*xmin = DatumGetTransactionId(SPI_getbinval(tup, desc, 4, &isnull));
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return definition;
}

void
store_machine_delete(int64 machine_id)
{
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(machine_id)};

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("DELETE FROM booking.state_machines WHERE id = $1",
											1, argtypes, values, NULL, false, 0),
					  SPI_OK_DELETE, "state machine delete");
	SPI_finish();
}

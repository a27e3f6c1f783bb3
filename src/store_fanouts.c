/*
 * store_fanouts.c — Map/Parallel children's bookkeeping in tables. See
 * store_fanouts.h.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "spi_columns.h"
#include "spi_plans.h"
#include "store_fanouts.h"
#include "timer_wake.h"

#define FANOUT_COLUMNS \
	"parent_id, state, is_map::int, distributed::int, tolerant::int, max_concurrency, " \
	"total, created, launched, ended, aborted::int"

static SPIPlanPtr plan_create;
static SPIPlanPtr plan_items;
static SPIPlanPtr plan_materialize;
static SPIPlanPtr plan_launch;
static SPIPlanPtr plan_lock;
static SPIPlanPtr plan_get;
static SPIPlanPtr plan_update;
static SPIPlanPtr plan_delete;

/* Fills out from a row of FANOUT_COLUMNS. */
static void
read_fanout(HeapTuple tup, TupleDesc desc, Fanout *out)
{
	out->parent_id = spi_col_int8(tup, desc, 1, 0);
	out->state = spi_col_text(tup, desc, 2);
	out->is_map = spi_col_int4(tup, desc, 3, 0) != 0;
	out->distributed = spi_col_int4(tup, desc, 4, 0) != 0;
	out->tolerant = spi_col_int4(tup, desc, 5, 0) != 0;
	out->max_concurrency = spi_col_int4(tup, desc, 6, 0);
	out->total = spi_col_int4(tup, desc, 7, 0);
	out->created = spi_col_int4(tup, desc, 8, 0);
	out->launched = spi_col_int4(tup, desc, 9, 0);
	out->ended = spi_col_int4(tup, desc, 10, 0);
	out->aborted = spi_col_int4(tup, desc, 11, 0) != 0;
}

void
store_fanout_create(const Fanout *f)
{
	Oid			types[7] = {INT8OID, TEXTOID, BOOLOID, BOOLOID, BOOLOID, INT4OID, INT4OID};
	Datum		values[7];

	values[0] = Int64GetDatum(f->parent_id);
	values[1] = CStringGetTextDatum(f->state);
	values[2] = BoolGetDatum(f->is_map);
	values[3] = BoolGetDatum(f->distributed);
	values[4] = BoolGetDatum(f->tolerant);
	values[5] = Int32GetDatum(f->max_concurrency);
	values[6] = Int32GetDatum(f->total);
	(void) booking_exec_plan(&plan_create,
							 "INSERT INTO booking.fanouts (parent_id, state, is_map, distributed, tolerant, "
							 "max_concurrency, total) VALUES ($1, $2, $3, $4, $5, $6, $7)",
							 7, types, values, NULL, SPI_OK_INSERT, "fanout insert");
}

void
store_fanout_items_insert(int64 parent_id, int first, Jsonb *branches)
{
	Oid			types[3] = {INT8OID, INT4OID, JSONBOID};
	Datum		values[3] = {Int64GetDatum(parent_id), Int32GetDatum(first), JsonbPGetDatum(branches)};

	(void) booking_exec_plan(&plan_items,
							 "INSERT INTO booking.fanout_items (parent_id, first_index, branches) VALUES ($1, $2, $3)",
							 3, types, values, NULL, SPI_OK_INSERT, "fanout items insert");
}

List	   *
store_fanout_materialize(int64 parent_id, int first, int launch_below, bool own_history, int *created)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[4] = {INT8OID, INT4OID, INT4OID, BOOLOID};
	Datum		values[4] = {Int64GetDatum(parent_id), Int32GetDatum(first), Int32GetDatum(launch_below),
	BoolGetDatum(own_history)};
	List	   *started = NIL;

	booking_timer_scheduled(GetCurrentTimestamp()); /* started children are
													 * due now */
	SPI_connect();
	/* one statement for the chunk: no per-child round trip */
	booking_spi_check(SPI_execute_plan(booking_plan(&plan_materialize,
													"WITH chunk AS (DELETE FROM booking.fanout_items "
													" WHERE parent_id = $1 AND first_index = $2 RETURNING branches), "
													"made AS (INSERT INTO booking.executions (machine_id, version, parent_id, "
													" root_id, branch_index, state, input, document, variables, phase, "
													" timeout_at, due_at, own_history, shard_key) "
													" SELECT p.machine_id, p.version, p.id, coalesce(p.root_id, p.id), "
													"  $2 + (b.n - 1)::int, b.item->>'s', b.item->'i', b.item->'i', b.item->'v', "
													"  CASE WHEN $2 + b.n - 1 < $3 THEN 'step' ELSE 'queued' END, p.timeout_at, "
													"  CASE WHEN $2 + b.n - 1 < $3 THEN clock_timestamp() END, $4, p.shard_key "
													" FROM booking.executions p, chunk, "
													"  jsonb_array_elements(chunk.branches) WITH ORDINALITY AS b(item, n) "
													" WHERE p.id = $1 RETURNING id, branch_index, phase) "
													"SELECT id, phase = 'step' FROM made ORDER BY branch_index",
													4, types),
									   values, NULL, false, 0),
					  SPI_OK_SELECT, "fanout chunk creation");
	*created = (int) SPI_processed;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		bool		runs = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));

		if (runs)
			started = spi_col_int8_append(started, SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, caller);
	}
	SPI_finish();
	return started;
}

int64
store_fanout_launch(int64 parent_id, int index)
{
	Oid			types[2] = {INT8OID, INT4OID};
	Datum		values[2] = {Int64GetDatum(parent_id), Int32GetDatum(index)};

	booking_timer_scheduled(GetCurrentTimestamp());
	/* (parent_id, branch_index) is indexed: one row, however many siblings */
	return booking_exec_plan_int8(&plan_launch,
								  "UPDATE booking.executions SET phase = 'step', due_at = clock_timestamp() "
								  "WHERE parent_id = $1 AND branch_index = $2 AND phase = 'queued' "
								  "AND status = 'RUNNING' RETURNING id",
								  2, types, values, SPI_OK_UPDATE_RETURNING, "queued child start");
}

/*
 * Runs sql for parent_id expecting SPI result code expected; reads the row
 * into out when there is one.
 */
static bool
fanout_row(SPIPlanPtr *slot, const char *sql, int expected, int64 parent_id, Fanout *out)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(parent_id)};
	bool		found;

	SPI_connect();
	booking_spi_check(SPI_execute_plan(booking_plan(slot, sql, 1, types), values, NULL, false, 1),
					  expected, "fanout lookup");
	found = SPI_processed == 1;
	if (found)
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		read_fanout(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, out);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return found;
}

/*
 * Fanouts this transaction holds locked. A tick ends hundreds of one Map's
 * children: updating the fanout's row for each would grow one HOT chain that
 * every later update walks (quadratic in the children ended per
 * transaction). Instead the row is locked once (FOR UPDATE: no new version),
 * counted here, and written back once, by store_fanouts_flush.
 */
static Fanout *held = NULL;
static int	n_held = 0;
static int	max_held = 0;
static MemoryContextCallback held_callback;

/*
 * Memory context reset callback: forgets the fan-outs held in the
 * transaction.
 */
static void
held_forget(void *arg pg_attribute_unused())
{
	(void) arg;
	held = NULL;
	n_held = max_held = 0;
}

/* The held fan-out of parent_id, or NULL. */
static Fanout *
held_find(int64 parent_id)
{
	for (int i = 0; i < n_held; i++)
		if (held[i].parent_id == parent_id)
			return &held[i];
	return NULL;
}

Fanout	   *
store_fanout_hold(int64 parent_id)
{
	Fanout	   *f = held_find(parent_id);
	Fanout		row;
	MemoryContext old;

	if (f != NULL)
		return f;
	if (!fanout_row(&plan_lock, "SELECT " FANOUT_COLUMNS " FROM booking.fanouts WHERE parent_id = $1 FOR UPDATE",
					SPI_OK_SELECT, parent_id, &row))
		return NULL;
	if (held == NULL)
	{
		held_callback.func = held_forget;
		MemoryContextRegisterResetCallback(TopTransactionContext, &held_callback);
		max_held = 8;
		held = MemoryContextAlloc(TopTransactionContext, sizeof(Fanout) * max_held);
	}
	else if (n_held == max_held)
	{
		max_held *= 2;
		held = repalloc(held, sizeof(Fanout) * max_held);
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	row.state = pstrdup(row.state);
	MemoryContextSwitchTo(old);
	held[n_held] = row;
	return &held[n_held++];
}

bool
store_fanout_get(int64 parent_id, Fanout *out)
{
	Fanout	   *f = held_find(parent_id);

	if (f != NULL)
	{
		*out = *f;
		return true;
	}
	return fanout_row(&plan_get, "SELECT " FANOUT_COLUMNS " FROM booking.fanouts WHERE parent_id = $1",
					  SPI_OK_SELECT, parent_id, out);
}

void
store_fanout_update(const Fanout *f)
{
	Oid			types[5] = {INT8OID, INT4OID, INT4OID, INT4OID, BOOLOID};
	Datum		values[5] = {Int64GetDatum(f->parent_id), Int32GetDatum(f->created),
	Int32GetDatum(f->launched), Int32GetDatum(f->ended), BoolGetDatum(f->aborted)};

	(void) booking_exec_plan(&plan_update,
							 "UPDATE booking.fanouts SET created = $2, launched = $3, ended = $4, aborted = $5 "
							 "WHERE parent_id = $1",
							 5, types, values, NULL, SPI_OK_UPDATE, "fanout update");
}

void
store_fanouts_flush(void)
{
	for (int i = 0; i < n_held; i++)
		store_fanout_update(&held[i]);
	n_held = 0;					/* still locked: the next hold reads them back */
}

void
store_fanouts_discard(void)
{
	n_held = 0;
}

HeldArrayCopy *
store_fanouts_save(void)
{
	return held_array_copy(held, n_held, sizeof(Fanout));
}

void
store_fanouts_restore(const HeldArrayCopy *saved)
{
	/*
	 * What the failed subtransaction locked is unlocked: only the earlier
	 * ones stay; one it forgot (deleted) comes back, as its row did. The
	 * array never shrinks, so they fit.
	 */
	n_held = held_array_restore(saved, held, max_held, sizeof(Fanout));
}

void
store_fanout_delete(int64 parent_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(parent_id)};

	Fanout	   *f = held_find(parent_id);

	if (f != NULL)
		*f = held[--n_held];	/* the last one takes its place */
	(void) booking_exec_plan(&plan_delete,
							 "WITH items AS (DELETE FROM booking.fanout_items WHERE parent_id = $1) "
							 "DELETE FROM booking.fanouts WHERE parent_id = $1",
							 1, types, values, NULL, SPI_OK_DELETE, "fanout delete");
}

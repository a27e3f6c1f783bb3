/*
 * store_executions.c — executions, children and history in tables.
 *
 * Every statement is a plan kept per backend (spi_plans.h); values are
 * always parameters.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "storage/bufmgr.h"
#include "storage/backendid.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "spi_columns.h"
#include "spi_plans.h"
#include "store_executions.h"
#include "store_writeback.h"
#include "timer_wake.h"

#define EXEC_COLUMNS \
	"e.id, e.arn, e.name, e.machine_id, e.version, m.name, m.role::oid, e.status, " \
	"e.input, e.output, e.error, e.cause, e.parent_id, e.root_id, e.branch_index, " \
	"e.state, e.document, e.variables, e.attempts, e.entered_at, e.phase, " \
	"e.pending_events, e.due_at, e.timeout_at, e.start_date, e.stop_date, " \
	"e.redrive_count, e.redrive_date, e.event_count, e.fanout, m.search_path, e.own_history::int, " \
	/* what an advance would ask next, read here to save a statement each; \
	 * each table looked at once per statement first (an InitPlan), so that \
	 * an empty one costs no probe per row */ \
	"((SELECT EXISTS (SELECT FROM booking.mock_executions)) AND " \
	"EXISTS (SELECT FROM booking.mock_executions x WHERE x.machine_id = e.machine_id " \
	"AND x.execution_name = coalesce(e.name, (SELECT r.name FROM booking.executions r WHERE r.id = e.root_id))))::int, " \
	"CASE WHEN e.root_id IS NOT NULL THEN NULL WHEN (SELECT EXISTS (SELECT FROM booking.history_counts)) THEN " \
	"(SELECT coalesce(sum(h.events), 0) FROM booking.history_counts h WHERE h.root_id = e.id) ELSE 0 END, " \
	"e.shard_key, e.entered_event, m.privileged_role::int"
#define EXEC_NCOLUMNS 37
#define EXEC_FROM " FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id "

static SPIPlanPtr plan_load;
static SPIPlanPtr plan_load_lock;
static SPIPlanPtr plan_load_skip;
static SPIPlanPtr plan_find_name;
static SPIPlanPtr plan_find_machine_name;
static SPIPlanPtr plan_find_in_machine;
static SPIPlanPtr plan_insert;
static SPIPlanPtr plan_insert_fresh;
static SPIPlanPtr plan_save;
static SPIPlanPtr plan_save_history;
static SPIPlanPtr plan_children;
static SPIPlanPtr plan_delete_children;
static SPIPlanPtr plan_abort_children;
static SPIPlanPtr plan_lock_parent;
static SPIPlanPtr plan_running_children;
static SPIPlanPtr plan_wake;
static SPIPlanPtr plan_first_queued;
static SPIPlanPtr plan_history;
static SPIPlanPtr plan_history_keyed;
static SPIPlanPtr plan_claim;
static SPIPlanPtr plan_history_total;
static SPIPlanPtr plan_history_add;
static SPIPlanPtr plan_history_fold;

/* store_history_counts_flush calls: a count read before one may miss what it wrote */
static uint64 counts_flushes;

/* Fills out from a row of EXEC_COLUMNS taken apart (palloc'd in the current context). */
static void
read_exec_columns(const SpiRow *row, ExecRow *out)
{
	memset(out, 0, sizeof(*out));
	out->id = spi_row_int8(row, 1, 0);
	out->arn = spi_row_text(row, 2);
	out->name = spi_row_text(row, 3);
	out->machine_id = spi_row_int8(row, 4, 0);
	out->version = spi_row_int4(row, 5, 0);
	out->machine_name = spi_row_text(row, 6);
	out->role = spi_row_oid(row, 7);
	out->status = exec_status_from_name(spi_row_text(row, 8));
	out->input = spi_row_jsonb(row, 9);
	out->output = spi_row_jsonb(row, 10);
	out->error = spi_row_text(row, 11);
	out->cause = spi_row_text(row, 12);
	out->parent_id = spi_row_int8(row, 13, 0);
	out->root_id = spi_row_int8(row, 14, 0);
	out->branch_index = spi_row_int4(row, 15, -1);
	out->state = spi_row_text(row, 16);
	out->document = spi_row_jsonb(row, 17);
	out->variables = spi_row_jsonb(row, 18);
	out->attempts = spi_row_jsonb(row, 19);
	out->entered_at = spi_row_timestamptz(row, 20);
	out->phase = exec_phase_from_name(spi_row_text(row, 21));
	out->pending_events = spi_row_jsonb(row, 22);
	out->due_at = spi_row_timestamptz(row, 23);
	out->timeout_at = spi_row_timestamptz(row, 24);
	out->start_date = spi_row_timestamptz(row, 25);
	out->stop_date = spi_row_timestamptz(row, 26);
	out->redrive_count = spi_row_int4(row, 27, 0);
	out->redrive_date = spi_row_timestamptz(row, 28);
	out->event_count = spi_row_int4(row, 29, 0);
	out->fanout = spi_row_jsonb(row, 30);
	out->search_path = spi_row_text(row, 31);
	out->own_history = spi_row_int4(row, 32, 0) != 0;
	out->mock = spi_row_int4(row, 33, 0) != 0 ? EXEC_MOCK_YES : EXEC_MOCK_NO;
	out->beside_events = spi_row_int8(row, 34, -1);
	out->beside_loaded = out->beside_events >= 0;
	out->beside_as_of = counts_flushes;
	out->shard_key = spi_row_text(row, 35);
	out->entered_event = spi_row_int4(row, 36, 0);
	out->privileged_named = spi_row_int4(row, 37, 0) != 0 ? 'y' : 'n';
}

/* Fills out from a row of EXEC_COLUMNS (palloc'd in the caller's context). */
static void
read_exec_row(HeapTuple tup, TupleDesc desc, ExecRow *out)
{
	SpiRow		row;

	spi_row_init(&row, tup, desc);
	read_exec_columns(&row, out);
	spi_row_free(&row);
}

bool
store_exec_load(int64 id, bool lock, bool skip_locked, ExecRow *out)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(id)};
	SPIPlanPtr	plan;
	bool		found;

	SPI_connect();
	if (!lock)
		plan = booking_plan(&plan_load, "SELECT " EXEC_COLUMNS EXEC_FROM "WHERE e.id = $1", 1, types);
	else if (!skip_locked)
		plan = booking_plan(&plan_load_lock, "SELECT " EXEC_COLUMNS EXEC_FROM
							"WHERE e.id = $1 FOR UPDATE OF e", 1, types);
	else
		plan = booking_plan(&plan_load_skip, "SELECT " EXEC_COLUMNS EXEC_FROM
							"WHERE e.id = $1 FOR UPDATE OF e SKIP LOCKED", 1, types);
	booking_spi_check(SPI_execute_plan(plan, values, NULL, false, 1), SPI_OK_SELECT, "execution load");
	found = SPI_processed == 1;
	if (found)
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		read_exec_row(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, out);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return found;
}

int
store_exec_find_by_name(const char *machine_name, const char *name, int64 *id)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2] = {CStringGetTextDatum(name), machine_name ? CStringGetTextDatum(machine_name) : (Datum) 0};
	int			n;

	SPI_connect();
	if (machine_name != NULL)
		booking_spi_check(SPI_execute_plan(booking_plan(&plan_find_machine_name,
														"SELECT e.id FROM booking.executions e "
														"JOIN booking.state_machines m ON m.id = e.machine_id "
														"WHERE e.name = $1 AND m.name = $2 AND e.parent_id IS NULL",
														2, types),
										   values, NULL, false, 2),
						  SPI_OK_SELECT, "execution lookup");
	else
		booking_spi_check(SPI_execute_plan(booking_plan(&plan_find_name,
														"SELECT id FROM booking.executions "
														"WHERE name = $1 AND parent_id IS NULL",
														1, types),
										   values, NULL, false, 2),
						  SPI_OK_SELECT, "execution lookup");
	n = (int) SPI_processed;
	*id = n > 0 ? spi_col_int8(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0) : 0;
	SPI_finish();
	return n;
}

/* A timestamp parameter; 0 is NULL. */
static Datum
time_datum(TimestampTz t, char *null)
{
	*null = t == 0 ? 'n' : ' ';
	return TimestampTzGetDatum(t);
}

/* A text parameter; NULL is NULL. */
static Datum
text_datum(const char *s, char *null)
{
	*null = s == NULL ? 'n' : ' ';
	return s == NULL ? (Datum) 0 : CStringGetTextDatum(s);
}

/* A jsonb parameter; NULL is NULL. */
static Datum
jsonb_datum(Jsonb *j, char *null)
{
	*null = j == NULL ? 'n' : ' ';
	return j == NULL ? (Datum) 0 : JsonbPGetDatum(j);
}

/* The columns that move, $1 … $20 of both the insert and the update (row id first). */
#define SAVE_ARGS STORE_EXEC_SAVE_ARGS
const Oid	store_exec_save_types[SAVE_ARGS] = {INT8OID, TEXTOID, JSONBOID, TEXTOID, TEXTOID, TEXTOID,
	JSONBOID, JSONBOID, JSONBOID, TIMESTAMPTZOID, TEXTOID, JSONBOID, TIMESTAMPTZOID,
TIMESTAMPTZOID, INT4OID, TIMESTAMPTZOID, JSONBOID, INT4OID, TIMESTAMPTZOID, INT4OID};

/* What a save sets, from $2 … $20 */
#define SAVE_SET \
	"status = $2, output = $3, error = $4, " \
	"cause = $5, state = $6, document = $7, variables = $8, attempts = $9, " \
	"entered_at = $10, phase = $11, pending_events = $12, due_at = $13, " \
	"stop_date = $14, event_count = $15, timeout_at = $16, fanout = $17, " \
	"redrive_count = $18, redrive_date = $19, entered_event = $20"

void
store_exec_save_values(const ExecRow *row, Datum *values, char *nulls)
{
	memset(nulls, ' ', SAVE_ARGS);
	values[0] = Int64GetDatum(row->id);
	values[1] = CStringGetTextDatum(exec_status_name(row->status));
	values[2] = jsonb_datum(row->output, &nulls[2]);
	values[3] = text_datum(row->error, &nulls[3]);
	values[4] = text_datum(row->cause, &nulls[4]);
	values[5] = text_datum(row->state, &nulls[5]);
	values[6] = jsonb_datum(row->document, &nulls[6]);
	values[7] = jsonb_datum(row->variables, &nulls[7]);
	values[8] = jsonb_datum(row->attempts, &nulls[8]);
	values[9] = time_datum(row->entered_at, &nulls[9]);
	values[10] = CStringGetTextDatum(exec_phase_name(row->phase));
	values[11] = jsonb_datum(row->pending_events, &nulls[11]);
	values[12] = time_datum(row->due_at, &nulls[12]);
	values[13] = time_datum(row->stop_date, &nulls[13]);
	values[14] = Int32GetDatum(row->event_count);
	values[15] = time_datum(row->timeout_at, &nulls[15]);
	values[16] = jsonb_datum(row->fanout, &nulls[16]);
	values[17] = Int32GetDatum(row->redrive_count);
	values[18] = time_datum(row->redrive_date, &nulls[18]);
	values[19] = Int32GetDatum(row->entered_event);
	nulls[19] = row->entered_event > 0 ? ' ' : 'n';
}

/*
 * A new top-level execution's first save: the whole row, as its first run
 * left it, in one INSERT. The caller holds the name's lock (sfn_start), so
 * the name is free unless a snapshot older than a concurrent commit hid it.
 */
#define INSERT_EXECUTION \
	"INSERT INTO booking.executions (status, output, error, cause, " \
	"state, document, variables, attempts, entered_at, phase, " \
	"pending_events, due_at, stop_date, event_count, timeout_at, " \
	"fanout, redrive_count, redrive_date, entered_event, " \
	"arn, name, machine_id, version, input, start_date) " \
	"VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, " \
	"$15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)"

/*
 * A start's row and the events of its first run in one statement: the
 * history insert's own start-up (plan locks, executor set-up) was a fifth of
 * a start. No row inserted (a name taken meanwhile), no history.
 */
#define ON_NAME_TAKEN " ON CONFLICT (machine_id, name) WHERE parent_id IS NULL DO NOTHING"
#define INSERT_EXECUTION_WITH_HISTORY(conflict) \
	"WITH e AS (" INSERT_EXECUTION conflict " RETURNING id, shard_key), " \
	"h AS (INSERT INTO booking.history (execution_id, events, shard_key) " \
	"SELECT e.id, $27, e.shard_key FROM e WHERE $27 IS NOT NULL) SELECT id FROM e"

/*
 * Inserts a new top-level execution with the events of its first run (NULL:
 * none) and sets row->id; a concurrent start of the same name is a
 * serialization failure.
 */
void
store_exec_insert(ExecRow *row, text *events)
{
	Oid			types[SAVE_ARGS + 7];
	Datum		values[SAVE_ARGS + 7];
	char		nulls[SAVE_ARGS + 7];

	Assert(row->unsaved);
	booking_timer_scheduled(row->due_at);	/* wakes the timer workers at
											 * commit if earlier */
	memcpy(types, store_exec_save_types, sizeof(store_exec_save_types));
	memset(nulls, ' ', sizeof(nulls));
	store_exec_save_values(row, values, nulls);
	types[SAVE_ARGS] = TEXTOID;
	values[SAVE_ARGS] = CStringGetTextDatum(row->arn);
	types[SAVE_ARGS + 1] = TEXTOID;
	values[SAVE_ARGS + 1] = CStringGetTextDatum(row->name);
	types[SAVE_ARGS + 2] = INT8OID;
	values[SAVE_ARGS + 2] = Int64GetDatum(row->machine_id);
	types[SAVE_ARGS + 3] = INT4OID;
	values[SAVE_ARGS + 3] = Int32GetDatum(row->version);
	types[SAVE_ARGS + 4] = JSONBOID;
	values[SAVE_ARGS + 4] = JsonbPGetDatum(row->input);
	types[SAVE_ARGS + 5] = TIMESTAMPTZOID;
	values[SAVE_ARGS + 5] = TimestampTzGetDatum(row->start_date);
	types[SAVE_ARGS + 6] = JSONOID;
	values[SAVE_ARGS + 6] = events != NULL ? PointerGetDatum(events) : (Datum) 0;
	nulls[SAVE_ARGS + 6] = events != NULL ? ' ' : 'n';
	SPI_connect();

	/*
	 * a generated name is new to everybody: only a caller's name can meet a
	 * concurrent start
	 */
	booking_spi_check(SPI_execute_plan(row->name_generated
									   ? booking_plan(&plan_insert_fresh, INSERT_EXECUTION_WITH_HISTORY(""),
													  SAVE_ARGS + 7, types)
									   : booking_plan(&plan_insert, INSERT_EXECUTION_WITH_HISTORY(ON_NAME_TAKEN),
													  SAVE_ARGS + 7, types),
									   values, nulls, false, 0),
					  SPI_OK_SELECT, "execution insert");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("ExecutionAlreadyExists: execution \"%s\" was started concurrently", row->arn),
				 errdetail("This transaction's snapshot predates the other start.")));
	row->id = spi_col_int8(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
	SPI_finish();
	row->unsaved = false;
}

void
store_exec_save(ExecRow *row)
{
	Datum		values[SAVE_ARGS];
	char		nulls[SAVE_ARGS];

	if (row->unsaved)
	{
		store_exec_insert(row, NULL);
		return;
	}
	booking_timer_scheduled(row->due_at);	/* wakes the timer workers at
											 * commit if earlier */
	store_exec_save_values(row, values, nulls);
	(void) booking_exec_plan(&plan_save, "UPDATE booking.executions SET " SAVE_SET " WHERE id = $1",
							 SAVE_ARGS, store_exec_save_types, values, nulls, SPI_OK_UPDATE, "execution save");
}

void
store_exec_save_with_history(ExecRow *row, int64 history_id, text *events)
{
	Oid			types[SAVE_ARGS + 3];
	Datum		values[SAVE_ARGS + 3];
	char		nulls[SAVE_ARGS + 3];

	Assert(!row->unsaved);
	if (events == NULL || row->shard_key == NULL)
	{
		store_exec_save(row);
		if (events != NULL)
			store_history_append(history_id, row->shard_key, events);
		return;
	}
	booking_timer_scheduled(row->due_at);	/* wakes the timer workers at
											 * commit if earlier */
	memcpy(types, store_exec_save_types, sizeof(store_exec_save_types));
	store_exec_save_values(row, values, nulls);
	types[SAVE_ARGS] = INT8OID;
	values[SAVE_ARGS] = Int64GetDatum(history_id);
	nulls[SAVE_ARGS] = ' ';
	types[SAVE_ARGS + 1] = JSONOID;
	values[SAVE_ARGS + 1] = PointerGetDatum(events);
	nulls[SAVE_ARGS + 1] = ' ';
	types[SAVE_ARGS + 2] = TEXTOID;
	values[SAVE_ARGS + 2] = CStringGetTextDatum(row->shard_key);
	nulls[SAVE_ARGS + 2] = ' ';

	/*
	 * one statement where an advance's end took two: the start-up of a
	 * statement (its plan's locks, the executor's set-up) was a fifth of the
	 * history insert's cost
	 */
	(void) booking_exec_plan(&plan_save_history,
							 "WITH h AS (INSERT INTO booking.history (execution_id, events, shard_key) "
							 "VALUES ($21, $22, $23)) "
							 "UPDATE booking.executions SET " SAVE_SET " WHERE id = $1",
							 SAVE_ARGS + 3, types, values, nulls, SPI_OK_UPDATE, "execution save");
}

/* The top-level execution of machine named name, or 0. */
int64
store_exec_find_in_machine(int64 machine_id, const char *name)
{
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2] = {Int64GetDatum(machine_id), CStringGetTextDatum(name)};

	return booking_exec_plan_int8(&plan_find_in_machine,
								  "SELECT id FROM booking.executions "
								  "WHERE machine_id = $1 AND name = $2 AND parent_id IS NULL",
								  2, types, values, SPI_OK_SELECT, "execution lookup");
}

List	   *
store_exec_children(int64 parent_id)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(parent_id)};
	List	   *children = NIL;

	SPI_connect();
	booking_spi_check(SPI_execute_plan(booking_plan(&plan_children,
													"SELECT id, branch_index, status, phase, output, error, cause, due_at "
													"FROM booking.executions WHERE parent_id = $1 ORDER BY branch_index",
													1, types),
									   values, NULL, false, 0),
					  SPI_OK_SELECT, "children lookup");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext old = MemoryContextSwitchTo(caller);
		ChildSummary *c = palloc0(sizeof(ChildSummary));

		c->id = spi_col_int8(tup, desc, 1, 0);
		c->branch_index = spi_col_int4(tup, desc, 2, 0);
		c->status = exec_status_from_name(spi_col_text(tup, desc, 3));
		c->phase = exec_phase_from_name(spi_col_text(tup, desc, 4));
		c->output = spi_col_jsonb(tup, desc, 5);
		c->error = spi_col_text(tup, desc, 6);
		c->cause = spi_col_text(tup, desc, 7);
		c->due_at = spi_col_timestamptz(tup, desc, 8);
		children = lappend(children, c);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return children;
}

/* Runs a one-parameter (parent id) statement; returns rows processed. */
static uint64
run_for_parent(SPIPlanPtr *slot, const char *sql, int64 id, int expected, const char *what)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(id)};

	return booking_exec_plan(slot, sql, 1, types, values, NULL, expected, what);
}

void
store_exec_delete_children(int64 parent_id)
{
	run_for_parent(&plan_delete_children,
				   "DELETE FROM booking.executions WHERE parent_id = $1",
				   parent_id, SPI_OK_DELETE, "children delete");
}

int
store_exec_abort_children(int64 parent_id, TimestampTz now)
{
	Oid			types[2] = {INT8OID, TIMESTAMPTZOID};
	Datum		values[2] = {Int64GetDatum(parent_id), TimestampTzGetDatum(now)};

	/* the whole subtree: grandchildren of a nested Map stop too */
	return (int) booking_exec_plan(&plan_abort_children,
								   "WITH RECURSIVE tree AS ("
								   " SELECT id FROM booking.executions WHERE parent_id = $1"
								   " UNION ALL SELECT c.id FROM booking.executions c JOIN tree ON c.parent_id = tree.id) "
								   "UPDATE booking.executions e SET status = 'ABORTED', due_at = NULL, stop_date = $2 "
								   "FROM tree WHERE e.id = tree.id AND e.status = 'RUNNING'",
								   2, types, values, NULL, SPI_OK_UPDATE, "children abort");
}

bool
store_exec_lock_parent_has_running(int64 parent_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(parent_id)};

	/*
	 * Lock the parent first, then count in a statement of its own: a sibling
	 * ending concurrently waits for the lock, and its count then takes a
	 * snapshot after this child's end has committed (READ COMMITTED: one per
	 * statement), so exactly one of them wakes the parent. In one statement
	 * the count would keep the snapshot taken before the wait, both siblings
	 * would see the other still running, and the parent would never wake.
	 */
	(void) booking_exec_plan(&plan_lock_parent, "SELECT 1 FROM booking.executions WHERE id = $1 FOR UPDATE",
							 1, types, values, NULL, SPI_OK_SELECT, "parent lock");
	return booking_exec_plan_int8(&plan_running_children,
								  "SELECT count(*) FROM (SELECT 1 FROM booking.executions "
								  "WHERE parent_id = $1 AND status = 'RUNNING' LIMIT 1) running",
								  1, types, values, SPI_OK_SELECT, "running children") > 0;
}

void
store_exec_wake(int64 id, TimestampTz now)
{
	Oid			types[2] = {INT8OID, TIMESTAMPTZOID};
	Datum		values[2] = {Int64GetDatum(id), TimestampTzGetDatum(now)};

	booking_timer_scheduled(now);	/* wakes the timer workers at commit */
	(void) booking_exec_plan(&plan_wake,
							 "UPDATE booking.executions SET due_at = $2, "
							 "phase = CASE phase WHEN 'queued' THEN 'step' ELSE phase END "
							 "WHERE id = $1 AND status = 'RUNNING'",
							 2, types, values, NULL, SPI_OK_UPDATE, "execution wake");
}

int64
store_exec_first_queued(int64 parent_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(parent_id)};

	return booking_exec_plan_int8(&plan_first_queued,
								  "SELECT id FROM booking.executions WHERE parent_id = $1 "
								  "AND status = 'RUNNING' AND phase = 'queued' ORDER BY branch_index LIMIT 1",
								  1, types, values, SPI_OK_SELECT, "queued child lookup");
}

void
store_history_append(int64 execution_id, const char *shard_key, text *events)
{
	Oid			types[3] = {INT8OID, JSONOID, TEXTOID};
	Datum		values[3] = {Int64GetDatum(execution_id), PointerGetDatum(events),
	shard_key ? CStringGetTextDatum(shard_key) : (Datum) 0};

	/*
	 * the shard key read with the row (the root's too: children take their
	 * parent's)
	 */
	if (shard_key != NULL)
	{
		(void) booking_exec_plan(&plan_history_keyed, "INSERT INTO booking.history (execution_id, events, shard_key) "
								 "VALUES ($1, $2, $3)",
								 3, types, values, NULL, SPI_OK_INSERT, "history insert");
		return;
	}

	/*
	 * one row per run, however many events; the execution's shard key goes
	 * with it (docs/scale-out.md)
	 */
	if (booking_exec_plan(&plan_history, "INSERT INTO booking.history (execution_id, events, shard_key) "
						  "SELECT $1, $2, e.shard_key FROM booking.executions e WHERE e.id = $1",
						  2, types, values, NULL, SPI_OK_INSERT, "history insert") != 1)
		elog(ERROR, "history of execution %lld has no execution row", (long long) execution_id);
}

/* The claim's rows, read as the executor hands them over. */
typedef struct ClaimReceiver
{
	DestReceiver pub;
	MemoryContext cxt;			/* where the rows go (the caller's) */
	List	   *rows;
	TimestampTz *from;			/* the last row's due time */
} ClaimReceiver;

static bool
claim_receive(TupleTableSlot *slot, DestReceiver * self)
{
	ClaimReceiver *r = (ClaimReceiver *) self;
	MemoryContext old = MemoryContextSwitchTo(r->cxt);
	ExecRow    *row = palloc(sizeof(ExecRow));
	SpiRow		columns;

	spi_row_of_slot(&columns, slot);
	/* read_exec_columns copies what it keeps: the slot's values go with it */
	read_exec_columns(&columns, row);
	row->claimed_rel = spi_row_oid(&columns, EXEC_NCOLUMNS + 1);
	ItemPointerCopy((ItemPointer) DatumGetPointer(columns.values[EXEC_NCOLUMNS + 1]), &row->claimed_tid);
	r->rows = lappend(r->rows, row);
	*r->from = row->due_at;
	MemoryContextSwitchTo(old);
	return true;
}

static void
claim_startup(DestReceiver * self pg_attribute_unused(), int operation pg_attribute_unused(),
			  TupleDesc typeinfo)
{
	if (typeinfo->natts != EXEC_NCOLUMNS + 2)
		elog(ERROR, "the claim returned %d columns, not %d", typeinfo->natts, EXEC_NCOLUMNS + 2);
}

static void
claim_nothing(DestReceiver * self pg_attribute_unused())
{
}

List	   *
store_exec_claim_due(int max, TimestampTz now, TimestampTz *from)
{
	Oid			types[3] = {TIMESTAMPTZOID, INT4OID, TIMESTAMPTZOID};
	Datum		values[3] = {TimestampTzGetDatum(now), Int32GetDatum(max), TimestampTzGetDatum(*from)};
	ClaimReceiver receiver;
	SPIExecuteOptions options;
	int			settings;
	int			rc;

	memset(&receiver, 0, sizeof(receiver));
	receiver.pub.receiveSlot = claim_receive;
	receiver.pub.rStartup = claim_startup;
	receiver.pub.rShutdown = claim_nothing;
	receiver.pub.rDestroy = claim_nothing;
	receiver.pub.mydest = DestNone;
	receiver.cxt = CurrentMemoryContext;
	receiver.from = from;
	memset(&options, 0, sizeof(options));
	options.params = makeParamList(3);
	for (int i = 0; i < 3; i++)
	{
		options.params->params[i].value = values[i];
		options.params->params[i].isnull = false;
		options.params->params[i].pflags = PARAM_FLAG_CONST;
		options.params->params[i].ptype = types[i];
	}
	options.dest = &receiver.pub;

	SPI_connect();

	/*
	 * The whole row with the claim, where a load per execution was a
	 * statement each (a fifth of a timer worker's time). From *from on: the
	 * index entries of what this transaction advanced already stay until it
	 * ends, and each claim would walk them again. A row another transaction
	 * changed after this statement's snapshot is locked in its latest version
	 * and read again as such (READ COMMITTED's recheck), as a load after the
	 * claim would read it. Each row is read from the executor's slot as it
	 * comes (claim_receive): SPI would have formed it into a tuple to be
	 * taken apart again.
	 */
	settings = booking_due_plan_settings_push();
	rc = SPI_execute_plan_extended(booking_plan(&plan_claim,
												"SELECT " EXEC_COLUMNS ", e.tableoid, e.ctid" EXEC_FROM
												"WHERE e.status = 'RUNNING' AND e.due_at <= $1 AND e.due_at >= $3 "
												"ORDER BY e.due_at LIMIT $2 FOR UPDATE OF e SKIP LOCKED",
												3, types),
								   &options);
	booking_due_plan_settings_pop(settings);
	/* SPI reports a SELECT whose rows went to a receiver of the caller's so */
	booking_spi_check(rc, SPI_OK_UTILITY, "due executions claim");
	SPI_finish();
	return receiver.rows;
}

bool
store_exec_claimed_current(const ExecRow *row)
{
	Relation	rel;
	bool		current = false;

	if (!OidIsValid(row->claimed_rel) || store_writeback_holds(row->id))
		return false;			/* a save of it is kept for the batch's end */
	rel = table_open(row->claimed_rel, AccessShareLock);
	if (rel->rd_rel->relam == HEAP_TABLE_AM_OID)
	{
		BlockNumber block = ItemPointerGetBlockNumber(&row->claimed_tid);
		OffsetNumber offset = ItemPointerGetOffsetNumber(&row->claimed_tid);
		Buffer		buf = ReadBuffer(rel, block);
		Page		page;

		LockBuffer(buf, BUFFER_LOCK_SHARE);
		page = BufferGetPage(buf);
		if (offset <= PageGetMaxOffsetNumber(page))
		{
			ItemId		lp = PageGetItemId(page, offset);

			if (ItemIdIsNormal(lp))
			{
				HeapTupleHeader h = (HeapTupleHeader) PageGetItem(page, lp);

				/*
				 * The claim's lock keeps every other transaction off the row:
				 * only this one can have changed it. An update points the
				 * version at its successor, a delete sets an xmax that is no
				 * mere lock; an update rolled back with its subtransaction
				 * looks changed too (then the load reads what is true).
				 */
				current = ItemPointerEquals(&h->t_ctid, unconstify(ItemPointerData *, &row->claimed_tid)) &&
					((h->t_infomask & HEAP_XMAX_INVALID) != 0 ||
					 HEAP_XMAX_IS_LOCKED_ONLY(h->t_infomask));
			}
		}
		UnlockReleaseBuffer(buf);
	}
	table_close(rel, AccessShareLock);
	return current;
}

/*
 * History counting. An execution's events are counted in two places: the
 * top-level row's event_count (its own advances, under its row lock) and
 * booking.history_counts (everything recorded elsewhere: Map/Parallel
 * iterations, events written beside an advance), one row per (root, backend
 * slot). A backend adds to its own slot, so iterations advanced by concurrent
 * ticks never wait for each other, nor for the top-level row; the total is
 * the sum, read without locks.
 */
/*
 * Counts this transaction added beside roots and has not written yet: a tick
 * ending a thousand iterations of one Map would otherwise update this
 * backend's history_counts row a thousand times, and each update walks the
 * versions the earlier ones left (quadratic in the iterations per
 * transaction). Written once by store_history_counts_flush. A count added in
 * a subtransaction that fails stays: the limit then comes a few events early,
 * never late.
 */
typedef struct HeldCount
{
	int64		root_id;
	int64		base;			/* the total when first counted in this
								 * transaction */
	int64		pending;		/* added since, not written */
} HeldCount;

static HeldCount *held_counts = NULL;
static int	n_held_counts = 0;
static int	max_held_counts = 0;
static MemoryContextCallback held_counts_callback;

/* Memory context reset callback: forgets the transaction's history counts. */
static void
held_counts_forget(void *arg pg_attribute_unused())
{
	(void) arg;
	held_counts = NULL;
	n_held_counts = max_held_counts = 0;
}

/* The held history count of root_id, or NULL. */
static HeldCount *
held_count_find(int64 root_id)
{
	for (int i = 0; i < n_held_counts; i++)
		if (held_counts[i].root_id == root_id)
			return &held_counts[i];
	return NULL;
}

/* Events written so far for the execution tree of root_id. */
static int64
history_total_written(int64 root_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(root_id)};

	return booking_exec_plan_int8(&plan_history_total,
								  "SELECT coalesce((SELECT event_count FROM booking.executions WHERE id = $1), 0)"
								  " + coalesce((SELECT sum(events) FROM booking.history_counts WHERE root_id = $1), 0)",
								  1, types, values, SPI_OK_SELECT, "history count");
}

int64
store_history_total(int64 root_id)
{
	HeldCount  *h = held_count_find(root_id);

	return history_total_written(root_id) + (h != NULL ? h->pending : 0);
}

int64
store_history_total_loaded(const ExecRow *root)
{
	HeldCount  *h;

	if (root->root_id != 0 || !root->beside_loaded || root->beside_as_of != counts_flushes)
		return store_history_total(root->root_id != 0 ? root->root_id : root->id);
	h = held_count_find(root->id);
	return root->event_count + root->beside_events + (h != NULL ? h->pending : 0);
}

int64
store_history_count_add(int64 root_id, int events)
{
	HeldCount  *h = held_count_find(root_id);

	if (h == NULL)
	{
		if (held_counts == NULL)
		{
			held_counts_callback.func = held_counts_forget;
			MemoryContextRegisterResetCallback(TopTransactionContext, &held_counts_callback);
			max_held_counts = 8;
			held_counts = MemoryContextAlloc(TopTransactionContext, sizeof(HeldCount) * max_held_counts);
		}
		else if (n_held_counts == max_held_counts)
		{
			max_held_counts *= 2;
			held_counts = repalloc(held_counts, sizeof(HeldCount) * max_held_counts);
		}
		h = &held_counts[n_held_counts++];
		h->root_id = root_id;
		h->base = history_total_written(root_id);
		h->pending = 0;
	}
	h->pending += events;
	return h->base + h->pending;
}

void
store_history_counts_flush(void)
{
	Oid			types[3] = {INT8OID, INT4OID, INT4OID};

	if (n_held_counts > 0)
		counts_flushes++;
	for (int i = 0; i < n_held_counts; i++)
	{
		Datum		values[3] = {Int64GetDatum(held_counts[i].root_id), Int32GetDatum(MyBackendId),
		Int32GetDatum((int32) held_counts[i].pending)};

		if (held_counts[i].pending == 0)
			continue;
		(void) booking_exec_plan(&plan_history_add,
								 "INSERT INTO booking.history_counts AS h (root_id, slot, events) "
								 "VALUES ($1, $2, $3) ON CONFLICT (root_id, slot) "
								 "DO UPDATE SET events = h.events + EXCLUDED.events",
								 3, types, values, NULL, SPI_OK_INSERT, "history count");
	}
	n_held_counts = 0;
}

int64
store_history_count_fold_loaded(const ExecRow *root)
{
	HeldCount  *h;
	int64		pending = 0;

	if (!root->beside_loaded || root->beside_events != 0 || root->beside_as_of != counts_flushes)
		return store_history_count_fold(root->id);
	h = held_count_find(root->id);
	if (h != NULL)
	{
		pending = h->pending;
		*h = held_counts[--n_held_counts];	/* the last one takes its place */
	}
	return pending;
}

void
store_history_counts_discard(void)
{
	n_held_counts = 0;
}

HeldArrayCopy *
store_history_counts_save(void)
{
	return held_array_copy(held_counts, n_held_counts, sizeof(HeldCount));
}

void
store_history_counts_restore(const HeldArrayCopy *saved)
{
	/*
	 * counts first taken since are forgotten (their base is read again); the
	 * array never shrinks, so the saved ones fit
	 */
	n_held_counts = held_array_restore(saved, held_counts, max_held_counts, sizeof(HeldCount));
}

int64
store_history_count_fold(int64 root_id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(root_id)};
	HeldCount  *h = held_count_find(root_id);
	int64		pending = 0;

	if (h != NULL)
	{
		pending = h->pending;
		*h = held_counts[--n_held_counts];	/* the last one takes its place */
	}
	return pending + booking_exec_plan_int8(&plan_history_fold,
											"WITH gone AS (DELETE FROM booking.history_counts WHERE root_id = $1 RETURNING events) "
											"SELECT coalesce(sum(events), 0) FROM gone",
											1, types, values, SPI_OK_SELECT, "history count fold");
}

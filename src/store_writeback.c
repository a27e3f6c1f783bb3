/*
 * store_writeback.c — a tick's batch saves its executions at its end, in one
 * statement. See store_writeback.h.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "permissions.h"
#include "spi_plans.h"
#include "store_writeback.h"
#include "timer_wake.h"

/* The statement's parameters: the save's, then the history's id and events. */
#define WB_ARGS (STORE_EXEC_SAVE_ARGS + 2)

/* One execution's save, kept. */
typedef struct KeptSave
{
	int64		id;
	int			written_level;	/* the nest level of the (sub)transaction that
								 * wrote it; 0: not written */
	Datum		values[WB_ARGS];
	char		nulls[WB_ARGS];
} KeptSave;

int			store_writeback_unwritten = 0;

static MemoryContext kept_cxt = NULL;	/* NULL: no batch keeps saves */
static KeptSave *kept = NULL;
static int	n_kept = 0;
static int	max_kept = 0;
static bool flushing = false;
static bool callback_registered = false;
static MemoryContextCallback kept_forget_callback;
static SPIPlanPtr plan_flush;

/* Memory context reset callback: the batch's memory is gone, and its saves. */
static void
kept_forget(void *arg pg_attribute_unused())
{
	(void) arg;
	kept_cxt = NULL;
	kept = NULL;
	n_kept = max_kept = 0;
	store_writeback_unwritten = 0;
	flushing = false;
}

/*
 * At a subtransaction's end: what it wrote now belongs to its parent
 * (commit), or is unwritten again (abort: a task's subtransaction that
 * rolled back after its code called booking, which wrote the saves kept).
 */
static void
writeback_subxact(SubXactEvent event, SubTransactionId mySubid pg_attribute_unused(),
				  SubTransactionId parentSubid pg_attribute_unused(), void *arg pg_attribute_unused())
{
	int			level;

	if (n_kept == 0 || (event != SUBXACT_EVENT_COMMIT_SUB && event != SUBXACT_EVENT_ABORT_SUB))
		return;
	level = GetCurrentTransactionNestLevel();
	for (int i = 0; i < n_kept; i++)
	{
		if (kept[i].written_level < level)
			continue;
		if (event == SUBXACT_EVENT_COMMIT_SUB)
			kept[i].written_level = level - 1;
		else
		{
			kept[i].written_level = 0;
			store_writeback_unwritten++;
		}
	}
}

bool
store_writeback_open(MemoryContext cxt)
{
	if (kept_cxt != NULL)
		return false;
	if (!callback_registered)
	{
		RegisterSubXactCallback(writeback_subxact, NULL);
		callback_registered = true;
	}
	kept_cxt = AllocSetContextCreate(cxt, "booking kept saves", ALLOCSET_DEFAULT_SIZES);
	kept_forget_callback.func = kept_forget;
	MemoryContextRegisterResetCallback(kept_cxt, &kept_forget_callback);
	n_kept = max_kept = 0;
	kept = NULL;
	store_writeback_unwritten = 0;
	return true;
}

bool
store_writeback_holds(int64 id)
{
	for (int i = 0; i < n_kept; i++)
		if (kept[i].id == id)
			return true;
	return false;
}

bool
store_writeback_defer(const ExecRow *row, int64 history_id, text *events)
{
	MemoryContext old;
	KeptSave   *k;

	if (kept_cxt == NULL || flushing)
		return false;
	Assert(!row->unsaved);
	for (int i = 0; i < n_kept; i++)
		if (kept[i].id == row->id && kept[i].written_level == 0)
			elog(ERROR, "execution %lld saved twice in one batch", (long long) row->id);
	old = MemoryContextSwitchTo(kept_cxt);
	if (n_kept == max_kept)
	{
		max_kept = max_kept == 0 ? 64 : max_kept * 2;
		kept = kept == NULL ? palloc(sizeof(KeptSave) * max_kept)
			: repalloc(kept, sizeof(KeptSave) * max_kept);
	}
	k = &kept[n_kept];
	k->id = row->id;
	k->written_level = 0;
	store_exec_save_values(row, k->values, k->nulls);
	/* the row's documents live in the execution's memory, reset after it */
	for (int i = 0; i < STORE_EXEC_SAVE_ARGS; i++)
		if (k->nulls[i] != 'n' && store_exec_save_types[i] == JSONBOID)
			k->values[i] = datumCopy(k->values[i], false, -1);
	k->values[STORE_EXEC_SAVE_ARGS] = Int64GetDatum(history_id);
	k->nulls[STORE_EXEC_SAVE_ARGS] = ' ';
	k->values[STORE_EXEC_SAVE_ARGS + 1] = events != NULL ? datumCopy(PointerGetDatum(events), false, -1) : (Datum) 0;
	k->nulls[STORE_EXEC_SAVE_ARGS + 1] = events != NULL ? ' ' : 'n';
	MemoryContextSwitchTo(old);
	n_kept++;
	store_writeback_unwritten++;
	booking_timer_scheduled(row->due_at);	/* wakes the timer workers at
											 * commit if earlier */
	return true;
}

/*
 * One statement for the batch: the rows updated from arrays, then the
 * history of the rows that were updated (a row a task's code deleted
 * meanwhile leaves no history behind), carried out of the UPDATE by its
 * RETURNING, where joining the arrays again took a hash join per batch. Its
 * shard key is the row's.
 */
#define FLUSH_SQL \
	"WITH saved AS (UPDATE booking.executions e SET status = v.status, output = v.output, " \
	"error = v.error, cause = v.cause, state = v.state, document = v.document, " \
	"variables = v.variables, attempts = v.attempts, entered_at = v.entered_at, " \
	"phase = v.phase, pending_events = v.pending_events, due_at = v.due_at, " \
	"stop_date = v.stop_date, event_count = v.event_count, timeout_at = v.timeout_at, " \
	"fanout = v.fanout, redrive_count = v.redrive_count, redrive_date = v.redrive_date, " \
	"entered_event = v.entered_event " \
	"FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, " \
	"$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) WITH ORDINALITY " \
	"AS v(id, status, output, error, cause, state, document, variables, attempts, entered_at, " \
	"phase, pending_events, due_at, stop_date, event_count, timeout_at, fanout, redrive_count, " \
	"redrive_date, entered_event, history_id, events, ord) " \
	"WHERE e.id = v.id RETURNING v.history_id, v.events, e.shard_key, v.ord) " \
	"INSERT INTO booking.history (execution_id, events, shard_key) " \
	"SELECT history_id, events, shard_key FROM saved WHERE events IS NOT NULL ORDER BY ord"

/* The element type of parameter i, and its array type. */
static Oid
param_type(int i, Oid *array_type)
{
	Oid			t = i < STORE_EXEC_SAVE_ARGS ? store_exec_save_types[i] : i == STORE_EXEC_SAVE_ARGS ? INT8OID : JSONOID;

	*array_type = get_array_type(t);
	return t;
}

/* The statement, with the unwritten saves as arrays (in the current memory context). */
static void
flush_unwritten(void)
{
	Oid			types[WB_ARGS];
	Datum		values[WB_ARGS];
	Datum	   *elems = palloc(sizeof(Datum) * store_writeback_unwritten);
	bool	   *isnull = palloc(sizeof(bool) * store_writeback_unwritten);

	for (int c = 0; c < WB_ARGS; c++)
	{
		Oid			elem = param_type(c, &types[c]);
		int			n = 0;
		int			dims[1];
		int			lbs[1] = {1};
		int16		typlen;
		bool		typbyval;
		char		typalign;

		for (int i = 0; i < n_kept; i++)
		{
			if (kept[i].written_level != 0)
				continue;
			elems[n] = kept[i].values[c];
			isnull[n] = kept[i].nulls[c] == 'n';
			n++;
		}
		Assert(n == store_writeback_unwritten);
		dims[0] = n;
		get_typlenbyvalalign(elem, &typlen, &typbyval, &typalign);
		values[c] = PointerGetDatum(construct_md_array(elems, isnull, 1, dims, lbs, elem,
													   typlen, typbyval, typalign));
	}
	(void) booking_exec_plan(&plan_flush, FLUSH_SQL, WB_ARGS, types, values, NULL,
							 SPI_OK_INSERT, "kept saves");
}

void
store_writeback_flush(void)
{
	MemoryContext work;
	MemoryContext old;
	BookingScope scope;
	int			level = GetCurrentTransactionNestLevel();

	if (store_writeback_unwritten == 0 || flushing)
		return;
	work = AllocSetContextCreate(CurrentMemoryContext, "booking kept saves flush", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	flushing = true;
	/* the tables' owner writes them, whoever called (a task's code) */
	booking_as_owner(&scope);
	PG_TRY();
	{
		flush_unwritten();
	}
	PG_FINALLY();
	{
		flushing = false;
	}
	PG_END_TRY();
	booking_leave(&scope);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	for (int i = 0; i < n_kept; i++)
		if (kept[i].written_level == 0)
			kept[i].written_level = level;
	store_writeback_unwritten = 0;
}

void
store_writeback_close(void)
{
	store_writeback_flush();
	store_writeback_discard();
}

void
store_writeback_discard(void)
{
	if (kept_cxt != NULL)
		MemoryContextDelete(kept_cxt);	/* kept_forget clears the rest */
}

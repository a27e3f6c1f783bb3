/*
 * store_writeback.c — a tick's batch saves its executions at its end, in one
 * statement. See store_writeback.h.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/datum.h"
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
 * One statement for the batch: the rows updated from the kept saves
 * (booking.kept_saves(), below), then the history of the rows that were
 * updated (a row a task's code deleted meanwhile leaves no history behind),
 * carried out of the UPDATE by its RETURNING, where joining the saves again
 * took a hash join per batch. Its shard key is the row's.
 */
#define FLUSH_SQL \
	"WITH saved AS (UPDATE booking.executions e SET status = v.status, output = v.output, " \
	"error = v.error, cause = v.cause, state = v.state, document = v.document, " \
	"variables = v.variables, attempts = v.attempts, entered_at = v.entered_at, " \
	"phase = v.phase, pending_events = v.pending_events, due_at = v.due_at, " \
	"stop_date = v.stop_date, event_count = v.event_count, timeout_at = v.timeout_at, " \
	"fanout = v.fanout, redrive_count = v.redrive_count, redrive_date = v.redrive_date, " \
	"entered_event = v.entered_event " \
	"FROM booking.kept_saves() v " \
	"WHERE e.id = v.id RETURNING v.history_id, v.events, e.shard_key, v.ord) " \
	"INSERT INTO booking.history (execution_id, events, shard_key) " \
	"SELECT history_id, events, shard_key FROM saved WHERE events IS NOT NULL ORDER BY ord"

PG_FUNCTION_INFO_V1(booking_kept_saves);

/*
 * booking.kept_saves(): the unwritten saves as rows, in the order kept, for
 * FLUSH_SQL and nothing else: it raises unless that statement is under way
 * (a task's code calling it would read other executions' documents). The
 * statement passed them as 22 arrays to unnest(), each unnested into a
 * tuplestore of its own: a tenth of the batch's write, instructions counted.
 */
Datum
booking_kept_saves(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		ord = 0;

	if (!flushing)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("booking.kept_saves() is read only by a batch's own write of its executions")));
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (rsinfo->setDesc->natts != WB_ARGS + 1)
		elog(ERROR, "booking.kept_saves() returns %d columns, not %d", rsinfo->setDesc->natts, WB_ARGS + 1);
	for (int i = 0; i < n_kept; i++)
	{
		Datum		values[WB_ARGS + 1];
		bool		isnull[WB_ARGS + 1];

		if (kept[i].written_level != 0)
			continue;
		for (int c = 0; c < WB_ARGS; c++)
		{
			values[c] = kept[i].values[c];
			isnull[c] = kept[i].nulls[c] == 'n';
		}
		values[WB_ARGS] = Int64GetDatum(++ord);
		isnull[WB_ARGS] = false;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, isnull);
	}
	return (Datum) 0;
}

/* The statement, reading the unwritten saves. */
static void
flush_unwritten(void)
{
	(void) booking_exec_plan(&plan_flush, FLUSH_SQL, 0, NULL, NULL, NULL,
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

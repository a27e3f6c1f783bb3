/*
 * tick.c — sfn_tick: claims and loads due executions (store_exec_claim_due,
 * FOR UPDATE SKIP LOCKED) a batch at a time and advances them, a batch in a
 * subtransaction; when an execution raises an ERROR the batch is rolled back
 * and run again with each execution in a subtransaction of its own, so that
 * the ERROR fails that execution only. The timer worker (worker.c) calls
 * sfn_tick through SPI; pg_cron's booking.tick_for calls it in a loop.
 *
 * A tick keeps its transaction's subtransaction ids fewer than PGPROC's cache
 * of them (booking_subxid_room, subxact.h): each task that writes takes one.
 * A tick that runs out of room stops, as when its time is up: the rest stay
 * due for the next one.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "advance.h"
#include "booking.h"
#include "permissions.h"
#include "standby.h"
#include "store_executions.h"
#include "store_fanouts.h"
#include "store_writeback.h"
#include "subxact.h"
#include "tick.h"

PG_FUNCTION_INFO_V1(sfn_tick);

bool		booking_tick_cut_short = false;

/*
 * Advances one claimed execution: the row as the claim read it, unless this
 * transaction has changed it since (an earlier execution of the batch woke or
 * stopped it); then it is loaded again.
 */
static void
advance_claimed(ExecRow *claimed)
{
	ExecRow		row;

	if (store_exec_claimed_current(claimed))
		booking_advance(claimed);
	else if (store_exec_load(claimed->id, true, false, &row))
		booking_advance(&row);
}

/*
 * Advances one claimed execution in its own subtransaction. An ERROR in it
 * rolls back that execution's work only and fails it (States.Runtime, the
 * message as cause): one broken execution can't stop the batch or come back
 * forever. A deadlock or serialization failure leaves it due for the next
 * tick; cancels, shutdowns and resource errors are raised, not absorbed.
 */
static bool
advance_body(void *arg)
{
	advance_claimed((ExecRow *) arg);
	return true;
}

/*
 * Advances one claimed execution in a subtransaction of its own: an error
 * fails that execution, not the tick.
 */
static void
advance_isolated(ExecRow *claimed)
{
	int64		id = claimed->id;
	bool		kept;
	HeldArrayCopy *fanouts = store_fanouts_save();
	ErrorData  *edata = booking_subxact(advance_body, claimed, &kept);

	if (edata != NULL)
	{
		ExecRow		row;

		store_fanouts_restore(fanouts); /* its counts were rolled back with it */

		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_TRANSACTION_ROLLBACK)
		{
			/*
			 * a deadlock or serialization failure: nothing was kept, the next
			 * tick tries again
			 */
			ereport(WARNING,
					(errmsg("execution %lld will be advanced again: %s", (long long) id, edata->message)));
			FreeErrorData(edata);
			return;
		}
		if (booking_error_concerns_transaction(edata->sqlerrcode))
			ReThrowError(edata);
		ereport(WARNING,
				(errmsg("execution %lld failed while advancing: %s", (long long) id, edata->message)));
		if (store_exec_load(id, true, false, &row) && row.status == EXEC_RUNNING)
			booking_stop(&row, EXEC_FAILED, "States.Runtime", edata->message);
		FreeErrorData(edata);
	}
}

/* Executions claimed at a time: a tick that runs out of time holds few it has not advanced. */
#define CLAIM_BATCH 64

/* A batch: what to claim, the memory it runs in, what became of it. */
typedef struct Batch
{
	int			asked;
	TimestampTz deadline;
	TimestampTz *claimed_from;
	MemoryContext per_batch;	/* the claimed rows */
	MemoryContext per_execution;	/* reset after each execution */
	MemoryContext caller;
	int			claimed;
	int			advanced;
	int			advanced_before;	/* by the tick's earlier batches */
	bool		kept_saves;		/* its saves are kept for its end (not when a
								 * task's code ticks inside a batch) */
} Batch;

/*
 * Claims a batch and advances its executions; with isolated, each in a
 * subtransaction of its own (advance_isolated). Stops early when the tick's
 * time is up: the rest stay claimed, due for the next tick.
 */
static void
batch_run(Batch *b, bool isolated)
{
	List	   *rows;
	ListCell   *lc;

	MemoryContextSwitchTo(b->per_batch);

	/*
	 * At once, the executions' saves are kept and written together at the end
	 * (store_writeback.h); one at a time, each is written as it ends.
	 */
	b->kept_saves = !isolated && store_writeback_open(b->per_batch);
	rows = store_exec_claim_due(b->asked, GetCurrentTimestamp(), b->claimed_from);
	b->claimed = list_length(rows);
	b->advanced = 0;
	foreach(lc, rows)
	{
		if (GetCurrentTimestamp() >= b->deadline)
			break;				/* claimed, not advanced: due for the next
								 * tick */
		/* alone, an execution's task takes an id; isolated, its own too */
		if (booking_subxid_room() < (isolated ? 2 : 1) && b->advanced + b->advanced_before > 0)
		{
			booking_tick_cut_short = true;
			break;				/* claimed, not advanced: due for the next
								 * tick */
		}
		MemoryContextSwitchTo(b->per_execution);
		if (isolated)
			advance_isolated((ExecRow *) lfirst(lc));
		else
			advance_claimed((ExecRow *) lfirst(lc));
		MemoryContextSwitchTo(b->caller);
		MemoryContextReset(b->per_execution);
		b->advanced++;
		CHECK_FOR_INTERRUPTS();
	}
	if (b->kept_saves)
		store_writeback_close();
	MemoryContextSwitchTo(b->caller);
	MemoryContextReset(b->per_batch);
}

static bool
batch_body(void *arg)
{
	batch_run((Batch *) arg, false);
	return true;
}

/*
 * A batch in one subtransaction, its executions without one each: the
 * claim and each execution's update are then made by the same transaction
 * id (an update under another's lock takes a MultiXact, which every later
 * look at the old row version reads back), and the start and end of a
 * subtransaction per execution are saved. True when the whole batch went
 * through. When an execution raised an ERROR, nothing of the batch is kept
 * (its rows are unlocked, its counts put back) and false: the caller runs
 * it again the careful way, each execution in a subtransaction of its own,
 * where the ERROR fails that execution only. (A task's work is done twice
 * then; what it did in the database is rolled back with the first try, as
 * it would be with any round that fails.)
 */
static bool
batch_at_once(Batch *b)
{
	HeldArrayCopy *fanouts = store_fanouts_save();
	HeldArrayCopy *counts = store_history_counts_save();
	TimestampTz from = *b->claimed_from;
	bool		kept;
	ErrorData  *edata;

	b->kept_saves = false;
	edata = booking_subxact(batch_body, b, &kept);

	if (edata == NULL)
		return true;
	if (b->kept_saves)
		store_writeback_discard();	/* rolled back with the batch */
	MemoryContextReset(b->per_execution);
	MemoryContextReset(b->per_batch);
	store_fanouts_restore(fanouts);
	store_history_counts_restore(counts);
	*b->claimed_from = from;
	booking_tick_cut_short = false; /* the careful run decides again */
	if (booking_error_concerns_transaction(edata->sqlerrcode))
		ReThrowError(edata);
	FreeErrorData(edata);
	return false;
}

/*
 * Claims and advances due executions until max are done, none is due, or
 * booking.tick_time_budget is spent (then the rest stay due for the next
 * tick, after this transaction commits). Each execution advances in a memory
 * context of its own, reset after it: a tick of any size holds one
 * execution's memory at a time.
 */
Datum
sfn_tick(PG_FUNCTION_ARGS)
{
	int			max;
	volatile int advanced = 0;	/* changed inside PG_TRY, read after it */
	TimestampTz deadline;
	MemoryContext per_execution;
	MemoryContext per_batch;
	MemoryContext caller = CurrentMemoryContext;
	TimestampTz claimed_from = DT_NOBEGIN;
	volatile bool isolated = false; /* changed inside PG_TRY */
	BookingScope scope;

	booking_require_primary("sfn_tick");
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("max_executions must not be null")));
	max = PG_GETARG_INT32(0);
	if (max < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_executions must be at least 1, not %d", max)));
	/* a tick advances what is due, each task as its machine's role */
	(void) booking_enter(&scope);
	deadline = GetCurrentTimestamp() + (TimestampTz) booking_tick_time_budget * 1000;
	per_execution = AllocSetContextCreate(caller, "booking execution", ALLOCSET_DEFAULT_SIZES);
	per_batch = AllocSetContextCreate(caller, "booking claimed executions", ALLOCSET_DEFAULT_SIZES);
	booking_advance_cap = deadline;
	booking_tick_cut_short = false;
	PG_TRY();
	{
		while (advanced < max && GetCurrentTimestamp() < deadline)
		{
			Batch		b;
			int			room = booking_subxid_room();

			/*
			 * a batch's subtransaction takes an id (its claim locks rows),
			 * each of its tasks that writes another: no more executions are
			 * claimed than there is room left for, though at least one, so a
			 * tick in a transaction that has overflowed already still
			 * advances
			 */
			if (room < 2 && advanced > 0)
			{
				booking_tick_cut_short = true;
				break;
			}
			b.asked = Min(Min(CLAIM_BATCH, max - advanced), Max(room - 1, 1));
			b.advanced_before = advanced;
			b.deadline = deadline;
			b.claimed_from = &claimed_from;
			b.per_batch = per_batch;
			b.per_execution = per_execution;
			b.caller = caller;

			/*
			 * after a batch that failed, the rest of the tick goes the
			 * careful way: what failed may be due again at once
			 */
			if (isolated || !batch_at_once(&b))
			{
				isolated = true;
				batch_run(&b, true);
			}
			advanced += b.advanced;
			if (booking_tick_cut_short)
				break;
			if (b.claimed < b.asked)
				break;			/* nothing more is due */
		}
	}
	PG_FINALLY();
	{
		booking_advance_cap = 0;
	}
	PG_END_TRY();
	store_fanouts_flush();
	store_history_counts_flush();
	MemoryContextSwitchTo(caller);
	MemoryContextDelete(per_execution);
	MemoryContextDelete(per_batch);
	booking_leave(&scope);
	PG_RETURN_INT32(advanced);
}

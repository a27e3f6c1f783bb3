/*
 * tick.c — sfn_tick: claims due executions (store_exec_claim_due, FOR UPDATE
 * SKIP LOCKED) and advances each in a subtransaction of its own. The timer
 * worker (worker.c) calls sfn_tick through SPI; pg_cron's booking.tick_for
 * calls it in a loop.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/timestamp.h"

#include "advance.h"
#include "booking.h"
#include "permissions.h"
#include "store_executions.h"
#include "subxact.h"

PG_FUNCTION_INFO_V1(sfn_tick);

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
	ExecRow		row;

	if (store_exec_load(*(int64 *) arg, true, false, &row))
		booking_advance(&row);
	return true;
}

static void
advance_isolated(int64 id)
{
	bool		kept;
	ErrorData  *edata = booking_subxact(advance_body, &id, &kept);

	if (edata != NULL)
	{
		ExecRow		row;

		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_TRANSACTION_ROLLBACK)
		{
			/* a deadlock or serialization failure: nothing was kept, the next tick tries again */
			ereport(WARNING,
					(errmsg("booking: execution %lld will be advanced again: %s", (long long) id, edata->message)));
			FreeErrorData(edata);
			return;
		}
		if (booking_error_concerns_transaction(edata->sqlerrcode))
			ReThrowError(edata);
		ereport(WARNING,
				(errmsg("booking: execution %lld failed while advancing: %s", (long long) id, edata->message)));
		if (store_exec_load(id, true, false, &row) && strcmp(row.status, "RUNNING") == 0)
			booking_stop(&row, "FAILED", "States.Runtime", edata->message);
		FreeErrorData(edata);
	}
}

Datum
sfn_tick(PG_FUNCTION_ARGS)
{
	int			max = PG_ARGISNULL(0) ? 1000 : PG_GETARG_INT32(0);
	List	   *ids;
	ListCell   *lc;
	int			advanced = 0;
	BookingScope scope;

	if (max < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_executions must be at least 1, not %d", max)));
	/* a tick advances what is due, each task as its machine's role */
	(void) booking_enter(&scope);
	ids = store_exec_claim_due(max, GetCurrentTimestamp());
	foreach(lc, ids)
	{
		advance_isolated(*(int64 *) lfirst(lc));
		advanced++;
		CHECK_FOR_INTERRUPTS();
	}
	booking_leave(&scope);
	PG_RETURN_INT32(advanced);
}

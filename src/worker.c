/*
 * worker.c — the timer background workers.
 *
 * With booking in shared_preload_libraries, booking.workers workers serve
 * each database named in booking.database. A worker's round, in one
 * transaction: check the extension exists, sfn_tick(booking.worker_batch_size),
 * read the earliest due timer (the executions_due index), commit. Then it
 * sleeps on its latch until that timer, booking.worker_max_sleep at most
 * (a safety net: no wake-up is needed for correctness, see timer_wake.c).
 * Backends that commit an earlier timer set its latch (timer_wake.c). A full
 * batch, or a tick cut short to keep its subtransaction ids cached (tick.c),
 * means a backlog: it goes on at once and wakes a sibling to help;
 * workers share rows through FOR UPDATE SKIP LOCKED.
 *
 * SIGTERM (shutdown, pg_terminate_backend): a sleeping worker exits quietly;
 * a ticking one aborts its transaction (FATAL) — nothing of the round
 * commits, its executions are due again for the next tick. Postmaster
 * restarts it after a crash at once, after its own exit in
 * BOOKING_WORKER_RESTART seconds. SIGHUP rereads the configuration. An ERROR
 * in a round is logged, its transaction rolled back, and the next round
 * waits 1 s, doubling up to booking.worker_max_sleep while errors repeat.
 *
 * On a hot standby the workers start, publish "standby" and wait for the end
 * of recovery, looking once a second: nothing may fire there. After
 * promotion their next look finds the server writable and they tick.
 *
 * Retention: the first worker of each database also deletes ended executions
 * older than booking.execution_retention (retention.c), a batch of
 * booking.retention_batch_size per transaction, only when the next timer is
 * further away than twice the last batch took (PURGE_MIN_GAP_MS at least),
 * and ticks again after every batch: batches fit in the gaps between timers,
 * and a timer committed during one waits for that small batch at most. When a batch comes back short there is
 * nothing more to purge for a while: the next look is PURGE_IDLE_S later
 * (at once after a configuration reload: a new retention applies at once).
 *
 * Each worker's state, last committed round and counts (rounds, advanced,
 * purged, errors and the last error) are in shared memory for monitoring
 * (booking.timer_workers, timer_wake.c).
 */
#include "postgres.h"

#include <malloc.h>

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/sinval.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "permissions.h"
#include "retention.h"
#include "spi_columns.h"
#include "spi_plans.h"
#include "tick.h"
#include "timer_wake.h"
#include "worker.h"

/* Settings (booking.database, booking.workers, booking.worker_*) */
static char *booking_worker_databases = NULL;
static int	booking_workers = 1;
static int	booking_worker_batch_size = 100;
static int	booking_worker_max_sleep = 60;

#define BOOKING_MAX_WORKER_SLOTS 64
#define BOOKING_WORKER_RESTART 5	/* seconds, after the worker's own exit */

/*
 * All due rows are locked by other ticks: they will be done by those, whose
 * commits wake us for what they schedule. Should one roll back, its rows are
 * due again and nobody wakes us: look again after this long at the latest.
 */
#define LOCKED_RECHECK_MS 1000

#define STANDBY_POLL_MS 1000	/* how often a worker on a standby looks for
								 * the end of recovery */
#define PURGE_MIN_GAP_MS 10		/* purge a batch only when the next timer is
								 * this far away at least */
#define PURGE_IDLE_S 60			/* after a short batch: nothing more to purge
								 * until then */

/* bgw_extra: the database name, then at PURGER_FLAG 'p' for the worker that purges */
#define PURGER_FLAG NAMEDATALEN

static SPIPlanPtr plan_tick = NULL;
static SPIPlanPtr plan_next = NULL;
static SPIPlanPtr plan_next_after = NULL;
static SPIPlanPtr plan_purge = NULL;

void
booking_worker_init(void)
{
	char	   *list;
	List	   *names = NIL;
	List	   *seen = NIL;
	ListCell   *lc;
	int			slot = 0;

	DefineCustomStringVariable("booking.database",
							   "Databases the timer workers serve (a comma-separated list).",
							   "Each gets booking.workers background workers, which need booking "
							   "in shared_preload_libraries; a database without the extension "
							   "costs a look every booking.worker_max_sleep.",
							   &booking_worker_databases,
							   "postgres",
							   PGC_POSTMASTER, GUC_LIST_INPUT,
							   NULL, NULL, NULL);
	DefineCustomIntVariable("booking.workers",
							"Timer background workers per database in booking.database (0: none).",
							"They share due executions through FOR UPDATE SKIP LOCKED.",
							&booking_workers,
							1, 0, 32,
							PGC_POSTMASTER, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("booking.worker_batch_size",
							"Executions a timer worker advances per transaction.",
							"A full batch is committed, then the worker goes on at once.",
							&booking_worker_batch_size,
							100, 1, 100000,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("booking.worker_max_sleep",
							"Longest a timer worker sleeps without looking at the tables.",
							"A safety net: commits that schedule an earlier timer wake the workers.",
							&booking_worker_max_sleep,
							60, 1, 3600,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("booking.execution_retention",
							"How long ended executions and their history are kept (-1: forever).",
							"AWS keeps them 90 days. Older ones are deleted in small batches by the "
							"timer workers or by CALL booking.purge_for() from pg_cron.",
							&booking_execution_retention,
							90 * 24 * 60, -1, INT_MAX,
							PGC_SUSET, GUC_UNIT_MIN,
							NULL, NULL, NULL);
	DefineCustomIntVariable("booking.retention_batch_size",
							"Ended executions deleted per transaction when purging.",
							"Small batches keep a purge from delaying the timers.",
							&booking_retention_batch_size,
							500, 1, 100000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);

	if (!process_shared_preload_libraries_in_progress || booking_workers == 0)
		return;

	list = pstrdup(booking_worker_databases);
	if (!SplitGUCList(list, ',', &names))
	{
		ereport(WARNING,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("booking.database is not a valid list: \"%s\"", booking_worker_databases),
				 errdetail("No timer worker is started.")));
		return;
	}
	foreach(lc, names)
	{
		char	   *db = (char *) lfirst(lc);
		ListCell   *s;
		bool		dup = false;

		if (strlen(db) == 0 || strlen(db) >= NAMEDATALEN)
		{
			ereport(WARNING,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("booking.database: \"%s\" is not a database name; ignored", db)));
			continue;
		}
		foreach(s, seen)
			dup |= strcmp((char *) lfirst(s), db) == 0;
		if (dup)
			continue;
		seen = lappend(seen, db);
		for (int i = 1; i <= booking_workers; i++)
		{
			BackgroundWorker worker;

			if (slot >= BOOKING_MAX_WORKER_SLOTS)
			{
				ereport(WARNING,
						(errmsg("at most %d timer workers; database \"%s\" gets fewer",
								BOOKING_MAX_WORKER_SLOTS, db)));
				break;
			}
			memset(&worker, 0, sizeof(worker));
			worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;

			/*
			 * on a standby too: it waits there, visible to monitoring (see
			 * above)
			 */
			worker.bgw_start_time = BgWorkerStart_ConsistentState;
			worker.bgw_restart_time = BOOKING_WORKER_RESTART;
			snprintf(worker.bgw_library_name, BGW_MAXLEN, "booking");
			snprintf(worker.bgw_function_name, BGW_MAXLEN, "booking_timer_main");
			snprintf(worker.bgw_name, BGW_MAXLEN, "booking timer %d for database %s", i, db);
			snprintf(worker.bgw_type, BGW_MAXLEN, "booking timer");
			strlcpy(worker.bgw_extra, db, BGW_EXTRALEN);
			worker.bgw_extra[PURGER_FLAG] = i == 1 ? 'p' : '\0';
			worker.bgw_main_arg = Int32GetDatum(slot);
			RegisterBackgroundWorker(&worker);
			slot++;
		}
	}
	if (slot > 0)
		booking_timer_shmem_init(slot);
}

/* The one timestamptz column of a one-row result; 0 when NULL. */
static TimestampTz
fetch_time(SPIPlanPtr plan, Datum *values)
{
	int			settings = booking_due_plan_settings_push();
	int			rc = SPI_execute_plan(plan, values, NULL, true, 1);

	booking_due_plan_settings_pop(settings);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "the earliest timer query failed");
	return spi_col_timestamptz(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/*
 * One round inside a transaction: tick, then decide when to look next.
 * *backlog: the batch was full, there may be more due now.
 */
static TimestampTz
tick_and_plan(bool *backlog, int *advanced_out)
{
	TimestampTz started = GetCurrentTimestamp();
	TimestampTz idle_until = TimestampTzPlusMilliseconds(started, booking_worker_max_sleep * 1000L);
	Oid			types[1];
	Datum		values[1];
	int			advanced;
	TimestampTz next;

	*backlog = false;
	if (!OidIsValid(get_extension_oid("booking", true)))
		return idle_until;		/* a commit scheduling a timer wakes us after
								 * CREATE EXTENSION */

	SPI_connect();
	types[0] = INT4OID;
	values[0] = Int32GetDatum(booking_worker_batch_size);
	if (SPI_execute_plan(booking_plan(&plan_tick, "SELECT booking.sfn_tick($1)", 1, types),
						 values, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "sfn_tick failed");
	advanced = spi_col_int4(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
	*backlog = advanced >= booking_worker_batch_size || booking_tick_cut_short;
	*advanced_out = advanced;
	if (*backlog)
	{
		/*
		 * the next round starts at once: no need for the earliest timer
		 * (looked up after every round of a burst, it cost as much as several
		 * executions: the walk over the index entries the round left)
		 */
		SPI_finish();
		return started;
	}

	next = fetch_time(booking_plan(&plan_next,
								   "SELECT min(due_at) FROM booking.executions "
								   "WHERE status = 'RUNNING' AND due_at IS NOT NULL", 0, NULL),
					  NULL);
	if (next != 0 && next <= started && advanced == 0)
	{
		/* due before the claim, yet not claimed: locked by another tick */
		types[0] = TIMESTAMPTZOID;
		values[0] = TimestampTzGetDatum(started);
		next = fetch_time(booking_plan(&plan_next_after,
									   "SELECT min(due_at) FROM booking.executions "
									   "WHERE status = 'RUNNING' AND due_at IS NOT NULL AND due_at > $1",
									   1, types),
						  values);
		if (next == 0 || next > TimestampTzPlusMilliseconds(started, LOCKED_RECHECK_MS))
			next = TimestampTzPlusMilliseconds(started, LOCKED_RECHECK_MS);
	}
	SPI_finish();
	if (next == 0 || next > idle_until)
		next = idle_until;
	return next;
}

/* One batch of the retention purge; -1 when the extension is not there. */
static int
purge_batch(void)
{
	Oid			types[1] = {INT4OID};
	Datum		values[1];
	int			purged;

	if (!OidIsValid(get_extension_oid("booking", true)))
		return -1;
	SPI_connect();

	/*
	 * a schema older than the library (before ALTER EXTENSION booking UPDATE)
	 * has no purge
	 */
	if (SPI_execute("SELECT (to_regprocedure('booking.purge_executions(integer)') IS NULL)::int", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "looking for purge_executions failed");
	if (spi_col_int4(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 1) != 0)
	{
		SPI_finish();
		return -1;
	}
	values[0] = Int32GetDatum(booking_retention_batch_size);
	if (SPI_execute_plan(booking_plan(&plan_purge, "SELECT booking.purge_executions($1)", 1, types),
						 values, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "purge_executions failed");
	purged = spi_col_int4(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
	SPI_finish();
	return purged;
}

/*
 * A round in its own transaction: a tick (purge false; *next and *backlog
 * set) or a batch of the purge (*purged set). False (the ERROR logged and
 * counted) on an error.
 */
static bool
run_round(bool purge, TimestampTz *next, bool *backlog, int *purged)
{
	MemoryContext round_context = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		int			advanced = 0;

		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
		if (purge)
		{
			pgstat_report_activity(STATE_RUNNING, "booking timer: purging ended executions");
			*purged = purge_batch();
		}
		else
		{
			pgstat_report_activity(STATE_RUNNING, "booking timer: sfn_tick");
			*next = tick_and_plan(backlog, &advanced);
		}
		PopActiveSnapshot();
		CommitTransactionCommand();
		booking_timer_round_done(advanced, purge ? Max(*purged, 0) : 0);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		/* as the main loop of a backend does after an ERROR */
		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(round_context);
		edata = CopyErrorData();
		error_context_stack = NULL;
		EmitErrorReport();
		AbortCurrentTransaction();
		MemoryContextSwitchTo(round_context);
		FlushErrorState();
		booking_timer_round_failed(edata->message);
		FreeErrorData(edata);
		RESUME_INTERRUPTS();
		pgstat_report_activity(STATE_IDLE, "booking timer: backing off after an error");
		ok = false;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(round_context);
	return ok;
}

/*
 * Quiet exit on SIGTERM between rounds; FATAL inside one (CHECK_FOR_INTERRUPTS).
 * True when the configuration was reread.
 */
static bool
between_rounds(void)
{
	if (ProcDiePending)
	{
		elog(DEBUG1, "shutting down");
		proc_exit(1);			/* 1: restarted after BOOKING_WORKER_RESTART,
								 * unless shutting down */
	}
	QueryCancelPending = false; /* between rounds a cancel has nothing to
								 * cancel */
	CHECK_FOR_INTERRUPTS();
	if (ConfigReloadPending)
	{
		ConfigReloadPending = false;
		ProcessConfigFile(PGC_SIGHUP);
		return true;
	}
	return false;
}

/* Milliseconds until t, rounded up; 0 when t has passed. */
static long
ms_until(TimestampTz t)
{
	TimestampTz now = GetCurrentTimestamp();

	if (t <= now)
		return 0;
	/* round up: never wake before the timer */
	return (long) ((t - now + 999) / 1000);
}

/* After an ERROR: sleep until then, deaf to wake-ups (a commit storm must not make an error storm). */
static void
back_off(TimestampTz until)
{
	booking_timer_set_state(BOOKING_WORKER_BACKING_OFF);
	booking_timer_set_sleep(until);
	pgstat_report_stat(true);
	for (;;)
	{
		long		ms = ms_until(until);

		if (ms <= 0)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		(void) between_rounds();
	}
}

/*
 * Sleeps until next (ms away) or a wake-up: a commit or a sibling asking
 * (booking_timer_take_wake), a signal (shutdown, reload). True when woken.
 * PostgreSQL sets the latch for its own signals too: a shared invalidation
 * catch-up reaches idle backends in turn after DDL, a barrier. Those are
 * handled here and the sleep goes on: a round for each would make idle
 * workers look at the tables for nothing.
 */
static bool
sleep_until(TimestampTz next, long ms)
{
	for (;;)
	{
		int			rc = WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms,
								   PG_WAIT_EXTENSION);

		if ((rc & WL_LATCH_SET) == 0)
			return false;
		if (booking_timer_take_wake() || ProcDiePending || ConfigReloadPending)
			return true;
		ResetLatch(MyLatch);
		/* asked between the look and the reset: the latch was reset with it */
		if (booking_timer_take_wake())
			return true;
		if (catchupInterruptPending)
			ProcessCatchupInterrupt();	/* reads the queue, passes the
										 * catch-up on */
		QueryCancelPending = false; /* nothing to cancel while asleep */
		CHECK_FOR_INTERRUPTS();
		ms = ms_until(next);
		if (ms <= 0)
			return false;
	}
}

/*
 * A hot standby: nothing may fire. Publishes "standby" and waits; false once
 * the server is writable (promoted).
 */
static bool
wait_while_standby(void)
{
	if (!RecoveryInProgress())
		return false;
	booking_timer_set_state(BOOKING_WORKER_STANDBY);
	booking_timer_set_sleep(TimestampTzPlusMilliseconds(GetCurrentTimestamp(), STANDBY_POLL_MS));
	pgstat_report_activity(STATE_IDLE, "booking timer: waiting for the end of recovery (hot standby)");
	(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, STANDBY_POLL_MS,
					 PG_WAIT_EXTENSION);
	return true;
}

void
booking_timer_main(Datum main_arg)
{
	int			slot = DatumGetInt32(main_arg);
	char		dbname[NAMEDATALEN];
	bool		purger;
	MemoryContext round_context;
	long		error_backoff_ms = 0;
	TimestampTz purge_after = 0;	/* no purge before this */
	long		purge_ms = 0;	/* how long the last purge batch took */

	strlcpy(dbname, MyBgworkerEntry->bgw_extra, sizeof(dbname));

	/*
	 * Each execution's memory (its context's blocks, json-c's objects) is
	 * freed when it ends; with glibc's default 128 kB trim threshold the heap
	 * then shrank and grew again for every execution, a brk and fresh page
	 * faults each time (about 7% of a worker's time in a burst). This process
	 * runs nothing else: keep up to 64 MB of freed heap for the next one.
	 */
#ifdef M_TRIM_THRESHOLD
	(void) mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	(void) mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
	purger = MyBgworkerEntry->bgw_extra[PURGER_FLAG] == 'p';
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(dbname, NULL, 0);
	booking_pin_session_search_path();
	booking_timer_attach(slot);
	round_context = AllocSetContextCreate(TopMemoryContext, "booking timer round",
										  ALLOCSET_DEFAULT_SIZES);
	elog(DEBUG1, "timer worker %d serving database \"%s\"", slot, dbname);

	for (;;)
	{
		TimestampTz next = 0;
		bool		backlog = false;
		int			purged = 0;
		long		ms;
		char		activity[128];

		/*
		 * reset before publishing "awake": a latch set from now on is kept
		 * (timer_wake.c)
		 */
		ResetLatch(MyLatch);
		(void) booking_timer_take_wake();	/* this round answers it */
		if (between_rounds())
			purge_after = 0;	/* a new retention applies at once */
		if (wait_while_standby())
			continue;
		booking_timer_set_state(BOOKING_WORKER_TICKING);
		booking_timer_set_sleep(BOOKING_TIMER_AWAKE);
		MemoryContextSwitchTo(round_context);
		MemoryContextReset(round_context);

		if (!run_round(false, &next, &backlog, &purged))
		{
			error_backoff_ms = error_backoff_ms == 0 ? 1000
				: Min(error_backoff_ms * 2, booking_worker_max_sleep * 1000L);
			back_off(TimestampTzPlusMilliseconds(GetCurrentTimestamp(), error_backoff_ms));
			continue;
		}
		error_backoff_ms = 0;
		if (backlog)
		{
			booking_timer_wake_sibling();
			pgstat_report_stat(false);
			continue;
		}
		ms = ms_until(next);
		if (purger && booking_execution_retention >= 0 && ms >= Max(PURGE_MIN_GAP_MS, 2 * purge_ms) &&
			GetCurrentTimestamp() >= purge_after)
		{
			TimestampTz started = GetCurrentTimestamp();

			/*
			 * one batch, then tick again: a timer due meanwhile waits for
			 * this batch only
			 */
			booking_timer_set_state(BOOKING_WORKER_PURGING);
			if (!run_round(true, &next, &backlog, &purged))
				purged = -1;
			purge_ms = (long) ((GetCurrentTimestamp() - started) / 1000);
			if (purged < booking_retention_batch_size)
				purge_after = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), PURGE_IDLE_S * 1000L);
			continue;
		}
		if (ms == 0)
			continue;
		booking_timer_set_state(BOOKING_WORKER_SLEEPING);
		booking_timer_set_sleep(next);

		/*
		 * flush statistics before a long sleep; at most once a second
		 * otherwise
		 */
		pgstat_report_stat(ms >= 1000);
		snprintf(activity, sizeof(activity), "booking timer: sleeping until %s", timestamptz_to_str(next));
		pgstat_report_activity(STATE_IDLE, activity);
		booking_timer_slept(sleep_until(next, ms));
	}
}

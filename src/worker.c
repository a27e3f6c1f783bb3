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
 * batch means a backlog: it goes on at once and wakes a sibling to help;
 * workers share rows through FOR UPDATE SKIP LOCKED.
 *
 * SIGTERM (shutdown, pg_terminate_backend): a sleeping worker exits quietly;
 * a ticking one aborts its transaction (FATAL) — nothing of the round
 * commits, its executions are due again for the next tick. Postmaster
 * restarts it after a crash at once, after its own exit in
 * BOOKING_WORKER_RESTART seconds. SIGHUP rereads the configuration. An ERROR
 * in a round is logged, its transaction rolled back, and the next round
 * waits 1 s, doubling up to booking.worker_max_sleep while errors repeat.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "spi_columns.h"
#include "timer_wake.h"
#include "worker.h"

char	   *booking_worker_databases = NULL;
int			booking_workers = 1;
int			booking_worker_batch_size = 100;
int			booking_worker_max_sleep = 60;

#define BOOKING_MAX_WORKER_SLOTS 64
#define BOOKING_WORKER_RESTART 5	/* seconds, after the worker's own exit */

/*
 * All due rows are locked by other ticks: they will be done by those, whose
 * commits wake us for what they schedule. Should one roll back, its rows are
 * due again and nobody wakes us: look again after this long at the latest.
 */
#define LOCKED_RECHECK_MS 1000

static SPIPlanPtr plan_tick = NULL;
static SPIPlanPtr plan_next = NULL;
static SPIPlanPtr plan_next_after = NULL;

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
						(errmsg("booking: at most %d timer workers; database \"%s\" gets fewer",
								BOOKING_MAX_WORKER_SLOTS, db)));
				break;
			}
			memset(&worker, 0, sizeof(worker));
			worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
			worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
			worker.bgw_restart_time = BOOKING_WORKER_RESTART;
			snprintf(worker.bgw_library_name, BGW_MAXLEN, "booking");
			snprintf(worker.bgw_function_name, BGW_MAXLEN, "booking_timer_main");
			snprintf(worker.bgw_name, BGW_MAXLEN, "booking timer %d for database %s", i, db);
			snprintf(worker.bgw_type, BGW_MAXLEN, "booking timer");
			strlcpy(worker.bgw_extra, db, BGW_EXTRALEN);
			worker.bgw_main_arg = Int32GetDatum(slot);
			RegisterBackgroundWorker(&worker);
			slot++;
		}
	}
	if (slot > 0)
		booking_timer_shmem_init(slot);
}

static SPIPlanPtr
keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *types)
{
	if (*slot == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, types);

		if (plan == NULL)
			elog(ERROR, "booking timer: could not prepare \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "booking timer: could not keep the plan for \"%s\"", sql);
		*slot = plan;
	}
	return *slot;
}

/* The one timestamptz column of a one-row result; 0 when NULL. */
static TimestampTz
fetch_time(SPIPlanPtr plan, Datum *values)
{
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "booking timer: the earliest timer query failed");
	return spi_col_timestamptz(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/*
 * One round inside a transaction: tick, then decide when to look next.
 * *backlog: the batch was full, there may be more due now.
 */
static TimestampTz
tick_and_plan(bool *backlog)
{
	TimestampTz started = GetCurrentTimestamp();
	TimestampTz idle_until = TimestampTzPlusMilliseconds(started, booking_worker_max_sleep * 1000L);
	Oid			types[1];
	Datum		values[1];
	int			advanced;
	TimestampTz next;

	*backlog = false;
	if (!OidIsValid(get_extension_oid("booking", true)))
		return idle_until;		/* a commit scheduling a timer wakes us after CREATE EXTENSION */

	SPI_connect();
	types[0] = INT4OID;
	values[0] = Int32GetDatum(booking_worker_batch_size);
	if (SPI_execute_plan(keep_plan(&plan_tick, "SELECT booking.sfn_tick($1)", 1, types),
						 values, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "booking timer: sfn_tick failed");
	advanced = spi_col_int4(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
	*backlog = advanced >= booking_worker_batch_size;

	next = fetch_time(keep_plan(&plan_next,
								"SELECT min(due_at) FROM booking.executions "
								"WHERE status = 'RUNNING' AND due_at IS NOT NULL", 0, NULL),
					  NULL);
	if (next != 0 && next <= started && advanced == 0)
	{
		/* due before the claim, yet not claimed: locked by another tick */
		types[0] = TIMESTAMPTZOID;
		values[0] = TimestampTzGetDatum(started);
		next = fetch_time(keep_plan(&plan_next_after,
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

/* A round in its own transaction. False (and the ERROR logged) on an error. */
static bool
run_round(TimestampTz *next, bool *backlog)
{
	MemoryContext round_context = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
		pgstat_report_activity(STATE_RUNNING, "booking timer: sfn_tick");
		*next = tick_and_plan(backlog);
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		/* as the main loop of a backend does after an ERROR */
		HOLD_INTERRUPTS();
		error_context_stack = NULL;
		EmitErrorReport();
		AbortCurrentTransaction();
		MemoryContextSwitchTo(round_context);
		FlushErrorState();
		RESUME_INTERRUPTS();
		pgstat_report_activity(STATE_IDLE, "booking timer: backing off after an error");
		ok = false;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(round_context);
	return ok;
}

/* Quiet exit on SIGTERM between rounds; FATAL inside one (CHECK_FOR_INTERRUPTS). */
static void
between_rounds(void)
{
	if (ProcDiePending)
	{
		elog(DEBUG1, "booking timer: shutting down");
		proc_exit(1);			/* 1: restarted after BOOKING_WORKER_RESTART, unless shutting down */
	}
	QueryCancelPending = false;	/* between rounds a cancel has nothing to cancel */
	CHECK_FOR_INTERRUPTS();
	if (ConfigReloadPending)
	{
		ConfigReloadPending = false;
		ProcessConfigFile(PGC_SIGHUP);
	}
}

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
	booking_timer_set_sleep(until);
	pgstat_report_stat(true);
	for (;;)
	{
		long		ms = ms_until(until);

		if (ms <= 0)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		between_rounds();
	}
}

void
booking_timer_main(Datum main_arg)
{
	int			slot = DatumGetInt32(main_arg);
	char		dbname[NAMEDATALEN];
	MemoryContext round_context;
	long		error_backoff_ms = 0;

	strlcpy(dbname, MyBgworkerEntry->bgw_extra, sizeof(dbname));
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(dbname, NULL, 0);
	booking_timer_attach(slot);
	round_context = AllocSetContextCreate(TopMemoryContext, "booking timer round",
										  ALLOCSET_DEFAULT_SIZES);
	elog(DEBUG1, "booking timer %d serving database \"%s\"", slot, dbname);

	for (;;)
	{
		TimestampTz next = 0;
		bool		backlog = false;
		long		ms;
		int			rc;
		char		activity[128];

		/* reset before publishing "awake": a latch set from now on is kept (timer_wake.c) */
		ResetLatch(MyLatch);
		between_rounds();
		booking_timer_set_sleep(BOOKING_TIMER_AWAKE);
		MemoryContextSwitchTo(round_context);
		MemoryContextReset(round_context);

		if (!run_round(&next, &backlog))
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
		if (ms == 0)
			continue;
		booking_timer_set_sleep(next);
		/* flush statistics before a long sleep; at most once a second otherwise */
		pgstat_report_stat(ms >= 1000);
		snprintf(activity, sizeof(activity), "booking timer: sleeping until %s", timestamptz_to_str(next));
		pgstat_report_activity(STATE_IDLE, activity);
		rc = WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms, PG_WAIT_EXTENSION);
		booking_timer_slept((rc & WL_LATCH_SET) != 0);
	}
}

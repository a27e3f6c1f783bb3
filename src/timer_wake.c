/*
 * timer_wake.c — waking the timer workers at commit (see timer_wake.h).
 *
 * Why no wake-up is lost. A worker's round is: reset its latch, publish
 * "awake", tick and query the earliest due timer (snapshots taken after
 * "awake" was published), publish "sleeping until S", wait on its latch until
 * S. A backend reads the slots after its commit is visible (the COMMIT
 * callback runs after ProcArrayEndTransaction) and, for a timer due at T:
 *
 *  - sees a worker sleeping until S <= T: that worker's next round starts
 *    after this read, so its snapshot sees the commit: nothing to do;
 *  - else sets the latch of one worker that is awake (its round may have
 *    taken its snapshot before the commit; the set latch makes it run another
 *    round before it sleeps), or of one sleeping past T.
 *
 * The shared state is a handful of slots under one spinlock, read once per
 * committing transaction that saved a timer; transactions without timers
 * never touch it.
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/dbcommands.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "timer_wake.h"

typedef struct TimerSlot
{
	pid_t		pid;			/* 0: no worker in this slot */
	int			pgprocno;
	Oid			dboid;
	TimestampTz sleep_until;	/* BOOKING_TIMER_AWAKE: ticking */
	int64		sleeps;			/* waits on the latch since the worker started */
	int64		woken;			/* of those, ended by a latch set (a commit, a
								 * sibling) */
	bool		wake_asked;		/* a commit or a sibling set its latch since
								 * it last looked (booking_timer_take_wake) */
	/* what monitoring shows (booking.timer_workers, the monitor views) */
	BookingWorkerState state;
	TimestampTz last_round;		/* end of the last round that committed; 0:
								 * none yet */
	int64		rounds;			/* rounds that committed */
	int64		advanced;		/* executions those rounds advanced */
	int64		purged;			/* ended executions deleted past
								 * booking.execution_retention */
	int64		errors;			/* rounds that ended in an ERROR */
	TimestampTz last_error_at;	/* 0: none */
	char		last_error[BOOKING_WORKER_ERROR_LEN];
} TimerSlot;

typedef struct TimerShared
{
	slock_t		mutex;
	int			nslots;
	TimerSlot	slots[FLEXIBLE_ARRAY_MEMBER];
} TimerShared;

static TimerShared *shared = NULL;
static int	requested_slots = 0;
static int	my_slot = -1;		/* >= 0 in a timer worker */

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

/*
 * Timers this transaction saved, earliest per subtransaction nesting level
 * (index = level, 1 = top level; NONE: no timer at that level).
 */
#define NONE DT_NOEND
static TimestampTz *pending = NULL;
static int	pending_size = 0;
static int	pending_top = 0;	/* no level above this holds a timer */
static bool callbacks_registered = false;

/* Bytes of the shared wake-up area for nslots workers. */
static Size
shared_size(int nslots)
{
	return add_size(offsetof(TimerShared, slots), mul_size(sizeof(TimerSlot), nslots));
}

/* shmem_request_hook: reserves the shared wake-up area. */
static void
timer_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(shared_size(requested_slots));
}

/* shmem_startup_hook: creates or attaches to the shared wake-up area. */
static void
timer_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	shared = ShmemInitStruct("booking timer wake-ups", shared_size(requested_slots), &found);
	if (!found)
	{
		SpinLockInit(&shared->mutex);
		shared->nslots = requested_slots;
		for (int i = 0; i < requested_slots; i++)
		{
			shared->slots[i].pid = 0;
			shared->slots[i].pgprocno = -1;
			shared->slots[i].dboid = InvalidOid;
			shared->slots[i].sleep_until = BOOKING_TIMER_AWAKE;
		}
	}
	LWLockRelease(AddinShmemInitLock);
}

void
booking_timer_shmem_init(int nslots)
{
	requested_slots = Max(nslots, 1);
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = timer_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = timer_shmem_startup;
}

/*
 * Sets the latch of one worker of this database that would not look at the
 * tables again by due (none if one will), never the one in slot exclude.
 * only_sleeping: skip workers that are ticking (a backlog wants a helper).
 */
static void
wake_for(TimestampTz due, int exclude, bool only_sleeping)
{
	int			awake = -1;
	int			sleeping = -1;
	int			procno = -1;
	TimestampTz latest = 0;

	SpinLockAcquire(&shared->mutex);
	for (int i = 0; i < shared->nslots; i++)
	{
		TimerSlot  *s = &shared->slots[i];

		if (s->pid == 0 || s->dboid != MyDatabaseId || i == exclude)
			continue;
		if (s->sleep_until == BOOKING_TIMER_AWAKE)
		{
			if (!only_sleeping)
				awake = i;
			continue;
		}
		if (s->sleep_until <= due && !only_sleeping)
		{
			/* it wakes in time and will see this commit */
			awake = sleeping = -1;
			break;
		}
		/* wake the one that would sleep longest: it has the least to do */
		if (s->sleep_until > latest)
		{
			latest = s->sleep_until;
			sleeping = i;
		}
	}
	if (awake >= 0)
	{
		procno = shared->slots[awake].pgprocno;
		shared->slots[awake].wake_asked = true;
	}
	else if (sleeping >= 0)
	{
		procno = shared->slots[sleeping].pgprocno;
		shared->slots[sleeping].wake_asked = true;
	}
	SpinLockRelease(&shared->mutex);

	/*
	 * A worker that exited since may have left its PGPROC to another process:
	 * a spurious SetLatch is harmless, latches are only hints.
	 */
	if (procno >= 0)
		SetLatch(&GetPGProcByNumber(procno)->procLatch);
}

/* Forgets the timers scheduled by the transaction at every nesting level. */
static void
clear_pending(void)
{
	for (int i = 0; i <= pending_top && i < pending_size; i++)
		pending[i] = NONE;
	pending_top = 0;
}

/*
 * At commit, wakes a worker for the earliest timer the transaction
 * scheduled; at abort or prepare, forgets them.
 */
static void
timer_xact_callback(XactEvent event, void *arg pg_attribute_unused())
{
	TimestampTz earliest = NONE;

	if (pending_top == 0)
		return;
	switch (event)
	{
		case XACT_EVENT_COMMIT:
			for (int i = 1; i <= pending_top && i < pending_size; i++)
				if (pending[i] < earliest)
					earliest = pending[i];
			clear_pending();
			if (earliest != NONE && shared != NULL)
				wake_for(earliest, -1, false);
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:

			/*
			 * A prepared transaction is committed later, maybe by another
			 * session: its timers are found at the workers' next wake-up
			 * (booking.worker_max_sleep at the latest).
			 */
			clear_pending();
			break;
		default:
			break;
	}
}

/*
 * At subtransaction end, merges its earliest timer into the parent level
 * (commit) or drops it (abort).
 */
static void
timer_subxact_callback(SubXactEvent event,
					   SubTransactionId mySubid pg_attribute_unused(),
					   SubTransactionId parentSubid pg_attribute_unused(),
					   void *arg pg_attribute_unused())
{
	int			level;

	if (event != SUBXACT_EVENT_COMMIT_SUB && event != SUBXACT_EVENT_ABORT_SUB)
		return;
	level = GetCurrentTransactionNestLevel();
	if (level > pending_top || level >= pending_size)
		return;
	/* levels above have ended already: their timers are merged or dropped */
	if (event == SUBXACT_EVENT_COMMIT_SUB && pending[level] < pending[level - 1])
		pending[level - 1] = pending[level];
	pending[level] = NONE;
	pending_top = level - 1;
}

void
booking_timer_scheduled(TimestampTz due)
{
	int			level;

	if (due == 0 || shared == NULL || my_slot >= 0)
		return;
	level = GetCurrentTransactionNestLevel();
	if (level < 1)
		return;
	if (!callbacks_registered)
	{
		RegisterXactCallback(timer_xact_callback, NULL);
		RegisterSubXactCallback(timer_subxact_callback, NULL);
		callbacks_registered = true;
	}
	if (level >= pending_size)
	{
		int			size = Max(16, pending_size);

		while (size <= level)
			size *= 2;
		if (pending == NULL)
			pending = MemoryContextAlloc(TopMemoryContext, size * sizeof(TimestampTz));
		else
			pending = repalloc(pending, size * sizeof(TimestampTz));
		for (int i = pending_size; i < size; i++)
			pending[i] = NONE;
		pending_size = size;
	}
	if (due < pending[level])
		pending[level] = due;
	if (level > pending_top)
		pending_top = level;
}

/* ---- the worker's side ---- */

/* on_shmem_exit: gives up this worker's wake-up slot. */
static void
detach(int code pg_attribute_unused(), Datum arg pg_attribute_unused())
{
	if (shared == NULL || my_slot < 0)
		return;
	SpinLockAcquire(&shared->mutex);
	if (shared->slots[my_slot].pid == MyProcPid)
	{
		shared->slots[my_slot].pid = 0;
		shared->slots[my_slot].pgprocno = -1;
		shared->slots[my_slot].dboid = InvalidOid;
		shared->slots[my_slot].sleep_until = BOOKING_TIMER_AWAKE;
	}
	SpinLockRelease(&shared->mutex);
	my_slot = -1;
}

void
booking_timer_attach(int slot)
{
	if (shared == NULL || slot < 0 || slot >= shared->nslots)
		elog(FATAL, "timer worker slot %d does not exist", slot);
	SpinLockAcquire(&shared->mutex);
	shared->slots[slot].pid = MyProcPid;
	shared->slots[slot].pgprocno = MyProc->pgprocno;
	shared->slots[slot].dboid = MyDatabaseId;
	shared->slots[slot].sleep_until = BOOKING_TIMER_AWAKE;
	shared->slots[slot].sleeps = 0;
	shared->slots[slot].woken = 0;
	shared->slots[slot].state = BOOKING_WORKER_TICKING;
	shared->slots[slot].last_round = 0;
	shared->slots[slot].rounds = 0;
	shared->slots[slot].advanced = 0;
	shared->slots[slot].purged = 0;
	shared->slots[slot].errors = 0;
	shared->slots[slot].last_error_at = 0;
	shared->slots[slot].last_error[0] = '\0';
	SpinLockRelease(&shared->mutex);
	my_slot = slot;
	before_shmem_exit(detach, (Datum) 0);
}

void
booking_timer_set_sleep(TimestampTz until)
{
	SpinLockAcquire(&shared->mutex);
	shared->slots[my_slot].sleep_until = until;
	SpinLockRelease(&shared->mutex);
}

void
booking_timer_set_state(BookingWorkerState state)
{
	SpinLockAcquire(&shared->mutex);
	shared->slots[my_slot].state = state;
	SpinLockRelease(&shared->mutex);
}

void
booking_timer_round_done(int advanced, int purged)
{
	TimestampTz now = GetCurrentTimestamp();

	SpinLockAcquire(&shared->mutex);
	shared->slots[my_slot].last_round = now;
	shared->slots[my_slot].rounds++;
	shared->slots[my_slot].advanced += advanced;
	shared->slots[my_slot].purged += purged;
	SpinLockRelease(&shared->mutex);
}

void
booking_timer_round_failed(const char *message)
{
	TimestampTz now = GetCurrentTimestamp();

	SpinLockAcquire(&shared->mutex);
	shared->slots[my_slot].errors++;
	shared->slots[my_slot].last_error_at = now;
	strlcpy(shared->slots[my_slot].last_error, message ? message : "",
			sizeof(shared->slots[my_slot].last_error));
	SpinLockRelease(&shared->mutex);
}

void
booking_timer_wake_sibling(void)
{
	wake_for(0, my_slot, true);
}

bool
booking_timer_take_wake(void)
{
	bool		asked;

	SpinLockAcquire(&shared->mutex);
	asked = shared->slots[my_slot].wake_asked;
	shared->slots[my_slot].wake_asked = false;
	SpinLockRelease(&shared->mutex);
	return asked;
}

void
booking_timer_slept(bool woken)
{
	SpinLockAcquire(&shared->mutex);
	shared->slots[my_slot].sleeps++;
	if (woken)
		shared->slots[my_slot].woken++;
	SpinLockRelease(&shared->mutex);
}

static const char *const state_names[] = {
	[BOOKING_WORKER_TICKING] = "ticking",
	[BOOKING_WORKER_PURGING] = "purging",
	[BOOKING_WORKER_SLEEPING] = "sleeping",
	[BOOKING_WORKER_BACKING_OFF] = "backing off",
	[BOOKING_WORKER_STANDBY] = "standby",
};

#define TIMER_WORKER_COLUMNS 14

/* A timestamp column; 0 is NULL. */
static Datum
time_or_null(TimestampTz t, bool *null)
{
	*null = t == 0;
	return TimestampTzGetDatum(t);
}

/*
 * booking.timer_workers(): the running workers, when each looks at the
 * tables next (NULL: ticking now), how often each has slept and how many of
 * those sleeps a wake-up ended; its state, its last committed round and the
 * counts of its rounds, advanced and purged executions and errors, with the
 * last error. No rows without booking preloaded.
 */
PG_FUNCTION_INFO_V1(booking_timer_workers);

Datum
booking_timer_workers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TimerSlot  *copy;
	int			n;

	InitMaterializedSRF(fcinfo, 0);
	if (shared == NULL)
		return (Datum) 0;
	n = shared->nslots;
	copy = palloc(sizeof(TimerSlot) * n);
	SpinLockAcquire(&shared->mutex);
	memcpy(copy, shared->slots, sizeof(TimerSlot) * n);
	SpinLockRelease(&shared->mutex);
	for (int i = 0; i < n; i++)
	{
		Datum		values[TIMER_WORKER_COLUMNS];
		bool		nulls[TIMER_WORKER_COLUMNS];
		char	   *db;

		if (copy[i].pid == 0)
			continue;
		memset(nulls, 0, sizeof(nulls));
		db = get_database_name(copy[i].dboid);
		values[0] = Int32GetDatum(copy[i].pid);
		values[1] = Int32GetDatum(i + 1);
		if (db != NULL)
			values[2] = CStringGetTextDatum(db);
		else
			nulls[2] = true;
		values[3] = TimestampTzGetDatum(copy[i].sleep_until);
		nulls[3] = copy[i].sleep_until == BOOKING_TIMER_AWAKE;
		values[4] = Int64GetDatum(copy[i].sleeps);
		values[5] = Int64GetDatum(copy[i].woken);
		values[6] = CStringGetTextDatum(state_names[copy[i].state]);
		values[7] = time_or_null(copy[i].last_round, &nulls[7]);
		values[8] = Int64GetDatum(copy[i].rounds);
		values[9] = Int64GetDatum(copy[i].advanced);
		values[10] = Int64GetDatum(copy[i].purged);
		values[11] = Int64GetDatum(copy[i].errors);
		values[12] = time_or_null(copy[i].last_error_at, &nulls[12]);
		values[13] = CStringGetTextDatum(copy[i].last_error);
		nulls[13] = copy[i].last_error_at == 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

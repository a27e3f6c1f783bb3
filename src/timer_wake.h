/*
 * timer_wake.h — waking the timer workers at commit.
 *
 * The background workers (worker.c) sleep on their latches until the
 * earliest due timer of their database. Shared memory holds, per worker, its
 * database, its PGPROC number and the time it sleeps until (or "awake": it is
 * ticking and will look again). A backend that saves an execution with a
 * timer remembers the earliest one (per subtransaction level: a rolled-back
 * savepoint forgets its timers) and, when its transaction commits, sets the
 * latch of one worker of its database unless some worker already wakes by
 * then. Rolled-back transactions wake nobody.
 *
 * Without booking in shared_preload_libraries there is no shared memory and
 * booking_timer_scheduled does nothing.
 */
#ifndef BOOKING_TIMER_WAKE_H
#define BOOKING_TIMER_WAKE_H

#include "postgres.h"

#include "utils/timestamp.h"

/* sleep_until of a worker that is ticking: it will query again before it sleeps */
#define BOOKING_TIMER_AWAKE DT_NOEND

/* An execution row was saved with timer due (0: none). Cheap: no shared memory until commit. */
void		booking_timer_scheduled(TimestampTz due);

/* _PG_init while preloading: request and set up shared memory for nslots workers. */
void		booking_timer_shmem_init(int nslots);

/* ---- the worker's side (worker.c) ---- */

/* What a worker is doing, as monitoring shows it. */
typedef enum BookingWorkerState
{
	BOOKING_WORKER_TICKING,
	BOOKING_WORKER_PURGING,		/* deleting ended executions past their
								 * retention */
	BOOKING_WORKER_SLEEPING,
	BOOKING_WORKER_BACKING_OFF, /* after an ERROR */
	BOOKING_WORKER_STANDBY		/* the server is in recovery: nothing may fire */
} BookingWorkerState;

/* the last error's message is kept up to this many bytes */
#define BOOKING_WORKER_ERROR_LEN 256

/* This process is a timer worker in slot: it recomputes its own wake-up, the hook stays quiet. */
void		booking_timer_attach(int slot);

/* Publishes when this worker wakes next (BOOKING_TIMER_AWAKE: ticking now). */
void		booking_timer_set_sleep(TimestampTz until);

/* Counts a wait on the latch; woken: a latch set ended it, not the timeout. */
void		booking_timer_slept(bool woken);

/* Publishes what this worker is doing. */
void		booking_timer_set_state(BookingWorkerState state);

/* A round committed: it advanced and purged this many executions. */
void		booking_timer_round_done(int advanced, int purged);

/* A round ended in an ERROR with this message. */
void		booking_timer_round_failed(const char *message);

/* A backlog: sets the latch of one other sleeping worker of this database, if any. */
void		booking_timer_wake_sibling(void);

/*
 * Whether a commit or a sibling set this worker's latch since the last call
 * (and forgets it): PostgreSQL sets the latch for its own signals too (a
 * shared invalidation catch-up, a barrier), which ask for no round.
 */
bool		booking_timer_take_wake(void);

#endif

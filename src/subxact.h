/*
 * subxact.h — running a piece of work in its own subtransaction, as PL/pgSQL's
 * EXCEPTION blocks do: an ERROR in it rolls back its work only and comes back
 * as a value.
 */
#ifndef BOOKING_SUBXACT_H
#define BOOKING_SUBXACT_H

#include "postgres.h"

/* The work: returns true to keep what it did, false to roll it back. */
typedef bool (*SubxactBody) (void *arg);

/*
 * Runs body(arg) in a subtransaction. Returns NULL when it returned (*kept
 * says whether its work was kept), or the ERROR it raised — copied into the
 * caller's memory context, its work rolled back, the error state cleared.
 * The caller's memory context and resource owner are current again either way.
 */
ErrorData  *booking_subxact(SubxactBody body, void *arg, bool *kept);

/*
 * Errors that concern the whole transaction rather than the work that raised
 * them: serialization failures and deadlocks (class 40), resources (53),
 * cancels and shutdowns (57), I/O (58), corruption. Callers raise them again
 * instead of turning them into a value.
 */
bool		booking_error_concerns_transaction(int sqlerrcode);

/*
 * The subtransaction ids this transaction can still take, keeping fewer than
 * PGPROC_MAX_CACHED_SUBXIDS (0 once it has more). Past that many the
 * backend's cache of them overflows, and every snapshot taken in the cluster
 * while the transaction runs looks the parents of recent transaction ids up
 * in pg_subtrans; at that many the primary logs them (XLOG_XACT_ASSIGNMENT),
 * which does the same to its hot standbys' snapshots. Each subtransaction
 * that writes takes one (a task's, a batch's). Ticks stay within it (tick.c),
 * and so do runs in a caller's transaction (advance_run_has_time).
 */
int			booking_subxid_room(void);

/* Whether this transaction's cache of subtransaction ids has overflowed. */
bool		booking_subxids_overflowed(void);

#endif

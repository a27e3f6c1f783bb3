/*
 * store_fanouts.h — the bookkeeping of a Map or Parallel state's children:
 * counters in booking.fanouts, the branches not created yet in
 * booking.fanout_items.
 *
 * A state with N branches costs O(N) in all: its children are created a
 * chunk at a time as earlier ones end, each end is counted with one update of
 * the fanout's row (never a scan of the siblings), and the last one to end
 * resumes the parent.
 */
#ifndef BOOKING_STORE_FANOUTS_H
#define BOOKING_STORE_FANOUTS_H

#include "postgres.h"

#include "nodes/pg_list.h"
#include "utils/jsonb.h"

#include "held_array.h"

/* Branches created per chunk (and per transaction that creates them). */
#define FANOUT_CHUNK 1000

typedef struct Fanout
{
	int64		parent_id;
	char	   *state;			/* the Map or Parallel state */
	bool		is_map;
	bool		distributed;	/* a Distributed Map: iterations keep
								 * histories of their own */
	bool		tolerant;		/* failures are tolerated up to a threshold */
	int			max_concurrency;	/* 0: no limit */
	int			total;
	int			created;		/* children inserted: indexes below this */
	int			launched;		/* children started (the rest of created are
								 * queued) */
	int			ended;
	bool		aborted;		/* a failure stopped the rest */
} Fanout;

/* Records a new fanout (counters at 0). */
void		store_fanout_create(const Fanout *f);

/* Keeps branches first .. first + n - 1 ([{s: start, i: input, v: variables}]) until created. */
void		store_fanout_items_insert(int64 parent_id, int first, Jsonb *branches);

/*
 * Creates the children of the chunk starting at first (its items are
 * consumed): those with index below launch_below start (due now), the rest
 * wait queued. own_history: Distributed Map iterations. Returns the ids of
 * the started ones (a List of int64 *), in index order, and sets *created to
 * how many rows were inserted.
 */
List	   *store_fanout_materialize(int64 parent_id, int first, int launch_below,
									 bool own_history, int *created);

/* Starts the queued child at index (due now); its id, or 0 when it is not queued. */
int64		store_fanout_launch(int64 parent_id, int index);

/*
 * The fanout, locked (FOR UPDATE) for the rest of the transaction and kept in
 * this backend: the caller changes it in place (a child's end, children
 * started) and store_fanouts_flush writes it back. Siblings ending in other
 * transactions wait for the lock and then read the committed counts, so
 * exactly one sees the last end. NULL when there is no fanout.
 */
Fanout	   *store_fanout_hold(int64 parent_id);

/* Writes every held fanout back (once per tick or per outermost advance). */
void		store_fanouts_flush(void);

/* Forgets the held fanouts unwritten (their subtransaction failed). */
void		store_fanouts_discard(void);

/*
 * A palloc'd copy (in the current memory context) of the fanouts this backend
 * holds, to put back when a subtransaction that changed them fails.
 */
HeldArrayCopy *store_fanouts_save(void);
void		store_fanouts_restore(const HeldArrayCopy *saved);

/* The fanout's counters (the held ones as this backend has them). False when there is none. */
bool		store_fanout_get(int64 parent_id, Fanout *out);

/* Writes a fanout's counters back. */
void		store_fanout_update(const Fanout *f);

/* Forgets the fanout and its uncreated branches (collected, aborted or redriven). */
void		store_fanout_delete(int64 parent_id);

#endif

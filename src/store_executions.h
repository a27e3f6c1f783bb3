/*
 * store_executions.h — executions, their children and their history in
 * tables (SPI, plans kept per backend).
 */
#ifndef BOOKING_STORE_EXECUTIONS_H
#define BOOKING_STORE_EXECUTIONS_H

#include "postgres.h"

#include "nodes/pg_list.h"
#include "storage/itemptr.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "exec_state.h"
#include "held_array.h"

/* One row of booking.executions (plus its machine's name and role). */
typedef struct ExecRow
{
	int64		id;
	char	   *arn;			/* NULL for children */
	char	   *name;			/* NULL for children */
	int64		machine_id;
	int			version;
	char	   *machine_name;
	Oid			role;			/* the machine's: its tasks run as this role */
	char	   *search_path;	/* the machine's: its tasks run with this
								 * search_path */
	ExecStatus	status;
	Jsonb	   *input;
	Jsonb	   *output;
	char	   *error;
	char	   *cause;
	int64		parent_id;		/* 0 for a top-level execution */
	int64		root_id;		/* 0 for a top-level execution */
	int			branch_index;	/* -1 for a top-level execution */
	char	   *state;
	Jsonb	   *document;
	Jsonb	   *variables;
	Jsonb	   *attempts;
	TimestampTz entered_at;		/* 0: not entered yet */
	int			entered_event;	/* history id of the state's
								 * <Type>StateEntered event; 0: unknown */
	ExecPhase	phase;
	Jsonb	   *pending_events;
	Jsonb	   *fanout;			/* phase branches: {map, tolerance,
								 * max_concurrency} */
	TimestampTz due_at;			/* 0: not on a timer */
	TimestampTz timeout_at;		/* 0: none */
	TimestampTz start_date;
	TimestampTz stop_date;		/* 0: still running */
	int			redrive_count;
	TimestampTz redrive_date;
	int			event_count;	/* own_history or top-level: events counted in
								 * its row */
	bool		own_history;	/* a Distributed Map iteration: its events
								 * count on their own */
	bool		unsaved;		/* not in the table yet: id is 0, the first
								 * save inserts it */
	bool		name_generated; /* unsaved: its name is a fresh UUID, nobody
								 * else's */

	/*
	 * Read with the row by store_exec_load, so that an advance does not ask
	 * again (one statement each per execution): whether it runs a mock test
	 * case (EXEC_MOCK_UNKNOWN: ask) and, for a top-level execution, the
	 * events counted beside it in history_counts. A row built otherwise
	 * (zeroed) has neither: the advance asks.
	 */
	char		mock;
	bool		beside_loaded;	/* beside_events was read with the row */
	int64		beside_events;
	uint64		beside_as_of;	/* store_history_counts_flush calls when read */
	char	   *shard_key;		/* read with the row; NULL: not read (a
								 * start's) */
	char		privileged_named;	/* read with the row: 'y' when the
									 * machine's creator named its role
									 * (state_machines.privileged_role), 'n'
									 * when not; 0: not read */

	/*
	 * The row version store_exec_claim_due read and locked (its relation and
	 * tid; InvalidOid otherwise): while it is still the row's latest, what
	 * was read with it is the row (store_exec_claimed_current).
	 */
	Oid			claimed_rel;
	ItemPointerData claimed_tid;
} ExecRow;

#define EXEC_MOCK_UNKNOWN	0
#define EXEC_MOCK_NO		'n'
#define EXEC_MOCK_YES		'y'

/* A child's outcome, as its parent collects it. */
typedef struct ChildSummary
{
	int64		id;
	int			branch_index;
	ExecStatus	status;
	ExecPhase	phase;
	TimestampTz due_at;
	Jsonb	   *output;
	char	   *error;
	char	   *cause;
} ChildSummary;

/*
 * Loads an execution. lock: FOR UPDATE (skip_locked: FOR UPDATE SKIP
 * LOCKED). False when there is no such row, or it is locked and skipped.
 */
bool		store_exec_load(int64 id, bool lock, bool skip_locked, ExecRow *out);

/*
 * Top-level executions named name (of the machine named machine_name, when
 * given): sets *id to one of them and returns how many there are.
 */
int			store_exec_find_by_name(const char *machine_name, const char *name, int64 *id);

/* The id of machine_id's top-level execution named name, or 0. */
int64		store_exec_find_in_machine(int64 machine_id, const char *name);

/*
 * Writes back everything that moves: status, result, position, phase,
 * timers, counts. An unsaved row (a start's first run) is inserted whole
 * instead, and gets its id.
 */
void		store_exec_save(ExecRow *row);

/* A start's first save (row->unsaved): its row and the events of its first run (NULL: none). */
void		store_exec_insert(ExecRow *row, text *events);

/*
 * The parameters of a save, row id first, then what moves (status, output,
 * error, cause, state, document, variables, attempts, entered_at, phase,
 * pending_events, due_at, stop_date, event_count, timeout_at, fanout,
 * redrive_count, redrive_date, entered_event): their types, and the values
 * of row (allocated in the current memory context; pointers into row for
 * its jsonb documents).
 */
#define STORE_EXEC_SAVE_ARGS 20
extern const Oid store_exec_save_types[STORE_EXEC_SAVE_ARGS];
void		store_exec_save_values(const ExecRow *row, Datum *values, char *nulls);

/*
 * store_exec_save of a row in the table, with events (a json array; NULL:
 * none) appended to history_id's history (store_history_append) in the same
 * statement.
 */
void		store_exec_save_with_history(ExecRow *row, int64 history_id, text *events);

/* A parent's children in branch order. */
List	   *store_exec_children(int64 parent_id);

/* Removes a parent's children (and theirs): they have been collected. */
void		store_exec_delete_children(int64 parent_id);

/*
 * Children of parent still RUNNING: set ABORTED (with their own children).
 * Returns how many.
 */
int			store_exec_abort_children(int64 parent_id, TimestampTz now);

/* Locks the parent row, and says whether any child is still running. */
bool		store_exec_lock_parent_has_running(int64 parent_id);

/* Makes an execution due now (a parent whose last child ended, a queued child). */
void		store_exec_wake(int64 id, TimestampTz now);

/* The first queued child of parent (by index), or 0. */
int64		store_exec_first_queued(int64 parent_id);

/* Appends events (a json array of {type, timestamp, details}) to a top-level execution's history. */
void		store_history_append(int64 execution_id, const char *shard_key, text *events);

/*
 * Events in the history of top-level execution root_id (its Map and Parallel
 * iterations included): its row's event_count plus what was counted beside
 * it (history_counts), as committed or written by this transaction.
 */
int64		store_history_total(int64 root_id);

/*
 * The same for a top-level execution whose row (event_count) and
 * history_counts (beside_events) were read by store_exec_load in this
 * (sub)transaction: adds what this transaction holds unwritten, no statement.
 */
int64		store_history_total_loaded(const ExecRow *root);

/*
 * Counts events recorded outside root_id's own advance (an iteration, an
 * event written beside it) for this backend's slot, without locking the
 * root's row; returns the new total (others' counts as they were when this
 * transaction first counted for root_id). Kept in the backend until
 * store_history_counts_flush writes them.
 */
int64		store_history_count_add(int64 root_id, int events);

/* Writes what store_history_count_add kept (once per tick or per outermost advance). */
void		store_history_counts_flush(void);

/* Forgets them unwritten (what they counted was rolled back). */
void		store_history_counts_discard(void);

/*
 * What store_history_count_add holds now, for store_history_counts_restore
 * after a subtransaction that counted more is rolled back (palloc'd).
 */
HeldArrayCopy *store_history_counts_save(void);
void		store_history_counts_restore(const HeldArrayCopy *saved);

/*
 * Removes root_id's history_counts rows and returns their sum, for the
 * caller to add to the root's event_count (which it holds locked and saves).
 */
int64		store_history_count_fold(int64 root_id);

/*
 * store_history_count_fold for a row store_exec_load found no
 * history_counts for: only this transaction's unwritten count is taken, no
 * statement. (A count another backend writes meanwhile stays in
 * history_counts, where every total still finds it.)
 */
int64		store_history_count_fold_loaded(const ExecRow *root);

/*
 * Claims up to max executions due by now and not before *from (FOR UPDATE
 * SKIP LOCKED), earliest first, and loads them in the same statement: a
 * list of ExecRow * (allocated in the caller's context). Sets *from to the
 * last one's due time, for the next claim of the same transaction.
 */
List	   *store_exec_claim_due(int max, TimestampTz now, TimestampTz *from);

/*
 * True when the row version a claim read is still the execution's latest:
 * nothing (this transaction's earlier work included: a child waking its
 * parent, a task stopping another execution, a save of its batch kept for
 * the batch's end) has updated or deleted it since, so the claimed row is
 * what a load would read. False when it changed, or when it can't tell (not
 * a heap table): load it again.
 */
bool		store_exec_claimed_current(const ExecRow *row);

#endif

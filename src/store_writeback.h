/*
 * store_writeback.h — a tick's batch saves its executions at its end, in one
 * statement, instead of one statement per execution (write-behind).
 *
 * A batch runs in one subtransaction (tick.c). The save that ends each
 * execution's advance (its row and the history events of the advance) is
 * kept in memory and written with the others when the batch ends: executor
 * start-up and planning are paid once per batch. Nothing booking runs may
 * read such a row stale: every statement booking runs through a kept plan
 * (booking_plan) and every API function (booking_enter) writes what is kept
 * first, and a claimed row with a kept save is loaded again. A direct SELECT
 * of booking's tables or views by a task's own code may see the rows of the
 * batch's earlier executions as they were before (docs/scheduling.md).
 *
 * Written rows belong to the (sub)transaction that wrote them: when one
 * rolled back (a task's, after its code called booking), its rows are kept
 * again for the batch's end. The batch's own rollback forgets them all.
 */
#ifndef BOOKING_STORE_WRITEBACK_H
#define BOOKING_STORE_WRITEBACK_H

#include "postgres.h"

#include "utils/jsonb.h"

#include "store_executions.h"

/* Saves kept and not written yet: a test as cheap as a flag's. */
extern int	store_writeback_unwritten;

/*
 * Starts keeping saves, in a memory context made under cxt (the batch's).
 * False when a batch keeps them already (a tick called by a task's code):
 * that tick's advances save at once.
 */
bool		store_writeback_open(MemoryContext cxt);

/*
 * Keeps row's save and events (a json array of history_id's events, or
 * NULL) for the batch's end. False when no batch keeps saves: the caller
 * saves now. The row must be in the table.
 */
bool		store_writeback_defer(const ExecRow *row, int64 history_id, text *events);

/*
 * Writes the kept saves not written yet, in one statement, as the tables'
 * owner. A row deleted meanwhile is not written, nor is its history.
 */
void		store_writeback_flush(void);

/* Writes what is left and stops keeping saves (the batch's end). */
void		store_writeback_close(void);

/* Forgets the kept saves (the batch's subtransaction was rolled back). */
void		store_writeback_discard(void);

/* Whether this batch kept a save of execution id (written yet or not). */
bool		store_writeback_holds(int64 id);

#endif

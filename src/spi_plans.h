/*
 * spi_plans.h — SPI plans prepared once per backend.
 *
 * The hot paths (start, tick, advance) run the same few statements many
 * times; planning them once and keeping the plan saves most of their cost.
 * Statements are schema-qualified, so a caller's search_path can't redirect
 * them.
 */
#ifndef BOOKING_SPI_PLANS_H
#define BOOKING_SPI_PLANS_H

#include "postgres.h"

#include "executor/spi.h"

/*
 * The plan for sql (argument types given), prepared on first use. Call inside
 * SPI_connect. Whenever it must be planned (first use, after an invalidation
 * such as an ANALYZE), it is planned here with sequential scans off: the kept
 * statements find rows by key, and a plan made while a table was empty must
 * not stay a sequential scan as the table grows. The saves a tick's batch
 * kept for its end (store_writeback.h) are written first.
 */
SPIPlanPtr	booking_plan(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *argtypes);

/* ERROR unless rc is expected: an SPI failure here is a bug, not bad input. */
void		booking_spi_check(int rc, int expected, const char *what);

/*
 * Runs the kept plan for sql once, in an SPI connection of its own: ERROR
 * unless SPI returns expected. Returns the rows processed.
 */
uint64		booking_exec_plan(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *argtypes,
							  Datum *values, const char *nulls, int expected, const char *what);

/* The same for a statement yielding a bigint: its first row's value, 0 for none or NULL. */
int64		booking_exec_plan_int8(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *argtypes,
								   Datum *values, int expected, const char *what);

/*
 * Planner settings for the statements that find due executions (the tick's
 * claim, the timer's next-due lookups): sequential scans, bitmap scans and
 * sorts off, so the executions_due partial index is the only path left,
 * whatever the statistics say. A plan kept from when the table was empty
 * (or had been vacuumed empty) would otherwise be a sequential scan for the
 * backend's life. Push before SPI_execute_plan (planning and replanning happen
 * there), pop after; an error pops them with the (sub)transaction.
 */
int			booking_due_plan_settings_push(void);
void		booking_due_plan_settings_pop(int nest_level);

#endif

/*
 * machine_rows.h — the rows of booking.state_machines, kept per backend.
 *
 * Every start looks its machine up by name; an SPI statement per start cost
 * about a sixth of a short synchronous execution. A kept row is used only
 * while the very tuple it was read from is still visible to a snapshot taken
 * as an SPI statement would take it (the same command counter increment,
 * the same isolation level): any committed or own UPDATE or DELETE of the
 * row (a new version, a role, an owner, a drop) makes that tuple invisible,
 * so the next lookup reads the table again. Nothing needs invalidating, and
 * what a lookup returns is what the statement would have returned.
 */
#ifndef BOOKING_MACHINE_ROWS_H
#define BOOKING_MACHINE_ROWS_H

#include "postgres.h"

#include "storage/itemptr.h"

#include "store_machines.h"

/*
 * The kept row of the machine named name, still current, copied into
 * CurrentMemoryContext; false when none is kept or it is no longer current.
 */
bool		machine_rows_get(const char *name, StoredMachine *out);

/* Keeps the row read from the tuple at tid, inserted by xmin. */
void		machine_rows_put(const char *name, ItemPointer tid, TransactionId xmin,
							 const StoredMachine *row);

#endif

/*
 * standby.h — refusing writes on a hot standby with an error that says so.
 */
#ifndef BOOKING_STANDBY_H
#define BOOKING_STANDBY_H

#include "postgres.h"

/*
 * ERROR (25006 read_only_sql_transaction) naming the action when this server
 * is a hot standby: booking's writes go to the primary. PostgreSQL would
 * refuse the write anyway, but only once the first statement runs, and with
 * a message ("cannot execute INSERT in a read-only transaction") that does
 * not say why.
 */
void		booking_require_primary(const char *action);

#endif

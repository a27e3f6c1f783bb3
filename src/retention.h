/*
 * retention.h — ended executions are kept for booking.execution_retention,
 * then deleted in small batches (by the timer workers, or booking.purge_for
 * from pg_cron).
 */
#ifndef BOOKING_RETENTION_H
#define BOOKING_RETENTION_H

#include "postgres.h"

/* Settings (worker.c defines them) */
extern int	booking_execution_retention;	/* minutes; -1: keep forever */
extern int	booking_retention_batch_size;

#endif

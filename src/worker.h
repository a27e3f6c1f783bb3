/*
 * worker.h — the timer background workers (booking in shared_preload_libraries).
 */
#ifndef BOOKING_WORKER_H
#define BOOKING_WORKER_H

#include "postgres.h"

#include "fmgr.h"

/*
 * _PG_init: defines the settings; while preloading, registers the workers
 * and the shared memory they and the wake-ups use.
 */
void		booking_worker_init(void);

/* A worker's entry point (bgw_function_name). */
PGDLLEXPORT void booking_timer_main(Datum main_arg);

#endif

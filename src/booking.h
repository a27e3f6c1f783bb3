/*
 * booking.h — declarations shared by the host (PostgreSQL) side of booking.
 */
#ifndef BOOKING_H
#define BOOKING_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/jsonb.h"

/* Settings (booking.c) */
extern char *booking_region;
extern char *booking_account_id;
extern int	booking_machine_cache_size;
extern int	booking_max_payload_size;
extern int	booking_max_steps_per_run;
extern int	booking_tick_time_budget;	/* milliseconds */
extern int	booking_task_time_limit;	/* milliseconds; 0: none */
extern int	booking_history_level;
extern bool booking_notify;

typedef enum BookingHistoryLevel
{
	BOOKING_HISTORY_ALL,
	BOOKING_HISTORY_ERRORS,
	BOOKING_HISTORY_NONE
} BookingHistoryLevel;


/* booking.jsonata()'s setting (api_jsonata.c), defined by _PG_init. */
void		booking_jsonata_init(void);

/* ERROR (22004) naming the argument when argument n is NULL. */
void		booking_require_arg(FunctionCallInfo fcinfo, int n, const char *field);

/*
 * A document from outside (an execution's input, a task's output) is measured
 * as AWS measures it, the UTF-8 bytes of its compact JSON text (the core's
 * asl_json_size measures a state's output the same way), against
 * booking.max_payload_size: ERROR (54000) "<exception>: <what> is N bytes, …"
 * when it is over.
 */
void		booking_check_payload_size(Jsonb *doc, const char *exception, const char *what);

/* AWS's bounds on an error name and a cause (SendTaskFailure, StopExecution) */
#define BOOKING_MAX_ERROR_LENGTH 256
#define BOOKING_MAX_CAUSE_LENGTH 32768

/*
 * Text argument n, or NULL when it is NULL: ERROR (22001) naming it when it
 * has more than max characters (characters, as AWS counts, not bytes).
 */
char	   *booking_text_arg_bounded(FunctionCallInfo fcinfo, int n, const char *name, int max);

#endif

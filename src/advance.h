/*
 * advance.h — durable executions: load a position from its row, step it with
 * the core as far as it can go, persist it.
 *
 * An execution advances until it ends or parks: on a timer (Wait, Retry
 * back-off, a spent step budget), on Map/Parallel children still running, or
 * on a task token. History events of one advance
 * are written in one statement. Status changes NOTIFY booking_execution at
 * commit.
 */
#ifndef BOOKING_ADVANCE_H
#define BOOKING_ADVANCE_H

#include "postgres.h"

#include "utils/timestamp.h"

#include "store_executions.h"
#include "store_tokens.h"

/*
 * When set (sfn_tick), no run goes on past this time, even with its own
 * booking.tick_time_budget left; 0: runs are bounded by their own budget only.
 */
extern TimestampTz booking_advance_cap;

/*
 * Advances the execution row (which the caller has locked FOR UPDATE) and
 * writes it back. Map/Parallel children it starts are advanced inline too,
 * as far as the step budget allows.
 */
void		booking_advance(ExecRow *row);

/*
 * A new top-level execution (row->unsaved, its name locked by the caller):
 * ExecutionStarted, then its first advance, after which it is in the table.
 */
void		booking_start(ExecRow *row);

/* The answer to a task token (sfn_send_task_success / failure). */
typedef struct TaskAnswer
{
	bool		failed;
	Jsonb	   *output;			/* success */
	const char *error;			/* failure: may be NULL */
	const char *cause;			/* failure: may be NULL */
} TaskAnswer;

/*
 * An execution waiting in a Task (phase "task", row locked by the caller, its
 * token already marked answered) goes on with the answer.
 */
void		booking_answer_task(ExecRow *row, const TaskAnswer *answer);

/*
 * A worker claimed the execution's activity task: ActivityStarted, and the
 * execution's timer follows the heartbeat from now on.
 */
void		booking_activity_claimed(ExecRow *row, const TokenRow *token, const char *worker);

/* A heartbeat moved the token's deadline: the execution's timer follows. */
void		booking_task_heartbeat(ExecRow *row, const TokenRow *token);

/*
 * Ends a running execution as ABORTED (or TIMED_OUT), its children too,
 * with the given error and cause; writes it back.
 */
void		booking_stop(ExecRow *row, ExecStatus status, const char *error, const char *cause);

/*
 * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution runs again from
 * the state where it stopped (row->redrive_count and redrive_date already
 * set by the caller), then advances as far as it can.
 */
void		booking_redrive(ExecRow *row, int64 timeout_seconds);

#endif

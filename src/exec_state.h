/*
 * exec_state.h — an execution's status and phase, as the host handles them.
 *
 * The table stores them as text (status as AWS names it, so that SQL and
 * the views read them as they are); this is their one conversion, used where
 * rows are read and written (store_executions.c).
 */
#ifndef BOOKING_EXEC_STATE_H
#define BOOKING_EXEC_STATE_H

/* DescribeExecution's status. */
typedef enum ExecStatus
{
	EXEC_RUNNING,
	EXEC_SUCCEEDED,
	EXEC_FAILED,
	EXEC_TIMED_OUT,
	EXEC_ABORTED
} ExecStatus;

/* Where a running execution stands, besides its state. */
typedef enum ExecPhase
{
	EXEC_PHASE_STEP,			/* the next step is its state's */
	EXEC_PHASE_END,				/* a final Wait is over (rows parked by
								 * booking 1.0) */
	EXEC_PHASE_TASK,			/* a Task waits for its task token */
	EXEC_PHASE_BRANCHES,		/* its Map/Parallel children run */
	EXEC_PHASE_QUEUED,			/* a Map iteration past MaxConcurrency, not
								 * started */
	EXEC_PHASE_WAIT				/* in a Wait state until its timer */
} ExecPhase;

/*
 * The text stored in booking.executions.status / phase, and back: names are
 * static strings; an unknown name raises an ERROR (a corrupt row).
 */
extern const char *exec_status_name(ExecStatus status);
extern ExecStatus exec_status_from_name(const char *name);
extern const char *exec_phase_name(ExecPhase phase);
extern ExecPhase exec_phase_from_name(const char *name);

#endif

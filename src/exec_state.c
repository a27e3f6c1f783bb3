/*
 * exec_state.c — status and phase to and from their stored text. See
 * exec_state.h.
 */
#include "postgres.h"

#include "exec_state.h"

static const char *const status_names[] = {
	[EXEC_RUNNING] = "RUNNING",
	[EXEC_SUCCEEDED] = "SUCCEEDED",
	[EXEC_FAILED] = "FAILED",
	[EXEC_TIMED_OUT] = "TIMED_OUT",
	[EXEC_ABORTED] = "ABORTED",
};

static const char *const phase_names[] = {
	[EXEC_PHASE_STEP] = "step",
	[EXEC_PHASE_END] = "end",
	[EXEC_PHASE_TASK] = "task",
	[EXEC_PHASE_BRANCHES] = "branches",
	[EXEC_PHASE_QUEUED] = "queued",
	[EXEC_PHASE_WAIT] = "wait",
};

const char *
exec_status_name(ExecStatus status)
{
	Assert(status >= EXEC_RUNNING && status <= EXEC_ABORTED);
	return status_names[status];
}

/* Only this extension writes the column: anything else is corruption. */
ExecStatus
exec_status_from_name(const char *name)
{
	for (int i = EXEC_RUNNING; i <= EXEC_ABORTED; i++)
		if (strcmp(name, status_names[i]) == 0)
			return (ExecStatus) i;
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("unknown execution status \"%s\"", name)));
	return EXEC_FAILED;			/* not reached */
}

const char *
exec_phase_name(ExecPhase phase)
{
	Assert(phase >= EXEC_PHASE_STEP && phase <= EXEC_PHASE_WAIT);
	return phase_names[phase];
}

ExecPhase
exec_phase_from_name(const char *name)
{
	for (int i = EXEC_PHASE_STEP; i <= EXEC_PHASE_WAIT; i++)
		if (strcmp(name, phase_names[i]) == 0)
			return (ExecPhase) i;
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("unknown execution phase \"%s\"", name)));
	return EXEC_PHASE_STEP;		/* not reached */
}

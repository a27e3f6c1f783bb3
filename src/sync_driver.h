/*
 * sync_driver.h — running a whole execution inside one SQL call
 * (sfn_start_sync): the core's synchronous driver with a PostgreSQL host.
 */
#ifndef BOOKING_SYNC_DRIVER_H
#define BOOKING_SYNC_DRIVER_H

#include "postgres.h"

#include "jsonc.h"
#include "core/asl/driver.h"
#include "task_invoke.h"

typedef struct SyncExecution
{
	const char *arn;			/* the execution's ARN */
	const char *name;
	const char *state_machine_arn;
	const char *state_machine_name;
	const char *role_name;
	TimestampTz start;
	json_object *input;			/* borrowed */
	TaskIdentity task_identity; /* the machine's role and search_path */
	int64		mock_machine_id;	/* a test case runs (mock_config.h): its
									 * Tasks answer mocked */
} SyncExecution;

/*
 * Runs machine on the execution's input to its end. Wait states sleep on the
 * latch; a query cancel ends the sleep and is raised once the core has
 * returned, so nothing the core holds is lost. The result is palloc'd and
 * what it holds is owned by CurrentMemoryContext.
 */
asl_run_result *booking_execute_sync(const asl_machine *machine, const SyncExecution *exec);

/* Host callbacks shared with sfn_test_state (see asl_run_host). */
asl_time	booking_host_now(void *arg);
double		booking_host_random(void *arg);

/* A cancel, statement_timeout or shutdown is pending: JSONata evaluations (states, booking.jsonata()) stop. */
bool		booking_host_interrupted(void *arg);
bool		booking_sync_run_task(void *arg, const char *state, const asl_task *task,
								  asl_task_reply *reply);

#endif

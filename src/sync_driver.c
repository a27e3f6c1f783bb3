/*
 * sync_driver.c — the PostgreSQL host for the core's synchronous driver.
 *
 * The callbacks never ereport: an ERROR would longjmp through the core and
 * strand what it holds. Interrupts are noticed here and raised after the
 * core has returned.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "common/pg_prng.h"
#include "storage/latch.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "booking.h"
#include "jsonb_build.h"
#include "jsonc_bridge.h"
#include "mock_config.h"
#include "subxact.h"
#include "sync_driver.h"
#include "task_invoke.h"
#include "core/asl/context.h"

/* Sleeps are cut into slices so a cancel is noticed within this many ms. */
#define SLEEP_SLICE_MS 1000

asl_time
booking_host_now(void *arg)
{
	(void) arg;
	return booking_to_asl_time(GetCurrentTimestamp());
}

double
booking_host_random(void *arg)
{
	(void) arg;
	return pg_prng_double(&pg_global_prng_state);
}

/* The core's cancel check: a query cancel or termination is pending. */
static bool
cancel_requested(void)
{
	return QueryCancelPending || ProcDiePending;
}

/*
 * The core's cancel check for JSONata evaluations: a query cancel
 * (statement_timeout too) or termination, not any pending interrupt (the
 * statistics' idle timeout or a sinval catch-up would stop a long evaluation
 * as cancelled).
 */
bool
booking_host_interrupted(void *arg)
{
	(void) arg;
	return INTERRUPTS_PENDING_CONDITION() && cancel_requested();
}

/*
 * The core's sleep for a synchronous run: waits on the latch until due,
 * answering interrupts; false when cancelled.
 */
static bool
host_sleep_until(void *arg, asl_time due)
{
	(void) arg;
	for (;;)
	{
		int64		left_us = due - booking_to_asl_time(GetCurrentTimestamp());
		long		timeout_ms;

		if (left_us <= 0)
			return true;
		if (cancel_requested())
			return false;
		timeout_ms = (long) Min((left_us + 999) / 1000, SLEEP_SLICE_MS);
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 timeout_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * A task in a run that can't park: its request runs (as the machine's role,
 * arg: a TaskIdentity; NULL for the current user), a wait for a callback or
 * an activity can't happen and fails the run.
 */
bool
booking_sync_run_task(void *arg, const char *state, const asl_task *task, asl_task_reply *reply)
{
	static const TaskIdentity caller = {InvalidOid, NULL, 0, 0};
	const TaskIdentity *who = arg ? (const TaskIdentity *) arg : &caller;

	if (task->resource->pattern == ASL_PATTERN_WAIT_FOR_TOKEN ||
		task->resource->kind == ASL_RES_ACTIVITY || task->resource->pattern == ASL_PATTERN_SYNC)
	{
		memset(reply, 0, sizeof(*reply));
		asl_error_set(&reply->error, ASL_ERR_RUNTIME,
					  "state \"%s\": %s waits for an answer, which a synchronous run (sfn_start_sync) "
					  "can't do; start the execution with sfn_start, or run a mocked test case",
					  state, task->resource->arn);
		return true;
	}
	booking_task_invoke(who, task, reply);
	return true;
}

typedef struct MockCall
{
	ExecRow		row;			/* machine_id and name: what
								 * booking_mock_reply reads */
	const char *state;
	asl_task_reply *reply;
	bool		found;
} MockCall;

/* The subtransaction's body: the test case's mocked reply for the state, if any. */
static bool
mock_call_body(void *arg)
{
	MockCall   *call = (MockCall *) arg;

	call->found = booking_mock_reply(&call->row, call->state, call->reply);
	return true;
}

/*
 * The run_task of a synchronous execution (arg: its SyncExecution): a test
 * case's mocked reply when it mocks the state, else the task runs. The mock
 * is read in a subtransaction: an ERROR must not cross the core.
 */
static bool
sync_run_task(void *arg, const char *state, const asl_task *task, asl_task_reply *reply)
{
	const SyncExecution *exec = (const SyncExecution *) arg;

	if (exec->mock_machine_id != 0)
	{
		MockCall	call;
		ErrorData  *edata;
		bool		kept;

		memset(&call, 0, sizeof(call));
		call.row.machine_id = exec->mock_machine_id;
		call.row.name = (char *) exec->name;
		call.state = state;
		call.reply = reply;
		memset(reply, 0, sizeof(*reply));
		edata = booking_subxact(mock_call_body, &call, &kept);
		if (edata != NULL)
		{
			asl_error_set(&reply->error, ASL_ERR_RUNTIME, "state \"%s\": its mocked response does not read: %s",
						  state, edata->message);
			FreeErrorData(edata);
			return true;
		}
		if (call.found)
			return true;
	}
	return booking_sync_run_task((void *) &exec->task_identity, state, task, reply);
}

/* Release callback of a run result owned by a memory context. */
static void
run_result_free(void *ptr)
{
	asl_run_result_clear((asl_run_result *) ptr);
}

asl_run_result *
booking_execute_sync(const asl_machine *machine, const SyncExecution *exec)
{
	asl_run_result *res = palloc0(sizeof(asl_run_result));
	asl_execution_info info;
	asl_run_host host;
	asl_run_options opt;
	BookingOwned *result_owner = booking_owner(run_result_free);

	memset(&info, 0, sizeof(info));
	info.id = exec->arn;
	info.name = exec->name;
	info.start_time = booking_to_asl_time(exec->start);
	info.input = exec->input;
	info.role_arn = exec->role_name;
	info.state_machine_id = exec->state_machine_arn;
	info.state_machine_name = exec->state_machine_name;

	memset(&host, 0, sizeof(host));
	host.run_task = sync_run_task;
	host.arg = (void *) exec;
	host.sleep_until = host_sleep_until;
	host.now = booking_host_now;
	host.random = booking_host_random;
	host.cancel = booking_host_interrupted;

	memset(&opt, 0, sizeof(opt));
	opt.context_info = &info;	/* $$ is built if a state reads it */
	opt.max_payload = (size_t) booking_max_payload_size;

	result_owner->ptr = res;
	asl_run(machine, exec->input, &opt, &host, res);
	CHECK_FOR_INTERRUPTS();
	return res;
}

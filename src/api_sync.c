/*
 * api_sync.c — sfn_start_sync: an execution run to its end inside the call,
 * returning StartSyncExecution's (DescribeExecution's) shape.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "arn.h"
#include "booking.h"
#include "jsonb_build.h"
#include "jsonc_bridge.h"
#include "machine_cache.h"
#include "machine_ref.h"
#include "mock_config.h"
#include "permissions.h"
#include "sync_driver.h"

PG_FUNCTION_INFO_V1(sfn_start_sync);

Datum
sfn_start_sync(PG_FUNCTION_ARGS)
{
	StoredMachine stored;
	int			version;
	Jsonb	   *input;
	SyncExecution exec;
	const asl_machine *machine;
	asl_run_result *res;
	JsonbParseState *state = NULL;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);
	Jsonb	   *result;
	char	   *test_case = NULL;

	machine = booking_resolve_start(fcinfo, &stored, &version, &input, &test_case);
	booking_require_machine(caller, stored.id, stored.name, stored.owner, "START");

	memset(&exec, 0, sizeof(exec));
	/* a name given (StartSyncExecution's name), else a fresh one */
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
	{
		exec.name = text_to_cstring(PG_GETARG_TEXT_PP(2));
		booking_check_name("execution name", exec.name);
	}
	else
		exec.name = booking_new_execution_name();
	exec.arn = booking_execution_arn(stored.name, exec.name);
	exec.state_machine_arn = version == stored.current_version ? stored.arn
		: booking_state_machine_version_arn(stored.name, version);
	exec.state_machine_name = stored.name;
	exec.role_name = GetUserNameFromId(stored.role, false);
	exec.task_identity.role = stored.role;
	exec.task_identity.search_path = stored.search_path;
	exec.task_identity.machine_id = stored.id;
	exec.start = GetCurrentTimestamp();
	exec.input = booking_jsonb_to_jsonc(input);

	/*
	 * '<machine>#<TestCase>': its Task states answer from the test case's
	 * mocked responses
	 */
	if (test_case != NULL)
	{
		booking_mock_register(stored.id, stored.name, exec.name, test_case);
		exec.mock_machine_id = stored.id;
	}

	res = booking_execute_sync(machine, &exec);
	if (test_case != NULL)
		booking_mock_forget(stored.id, exec.name);

	jb_begin_object(&state);
	jb_text(&state, "executionArn", exec.arn);
	jb_text(&state, "stateMachineArn", exec.state_machine_arn);
	jb_text(&state, "name", exec.name);
	jb_text(&state, "status", asl_run_status_name(res->status));
	jb_timestamp(&state, "startDate", exec.start);
	jb_timestamp(&state, "stopDate", GetCurrentTimestamp());
	jb_jsonb(&state, "input", input);
	if (res->status == ASL_RUN_SUCCEEDED)
		booking_push_jsonc_member(&state, "output", res->output);
	else
	{
		if (res->error != NULL)
			jb_text(&state, "error", res->error);
		if (res->cause != NULL)
			jb_text(&state, "cause", res->cause);
	}
	result = jb_end_object(&state);
	booking_leave(&scope);
	PG_RETURN_JSONB_P(result);
}

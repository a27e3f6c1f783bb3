/*
 * api_tasks.c — SQL API for callbacks and activities: sfn_send_task_success,
 * sfn_send_task_failure, sfn_send_task_heartbeat, sfn_create_activity,
 * sfn_delete_activity, sfn_get_activity_task.
 *
 * An answer runs in the caller's transaction: the execution goes on from the
 * Task inline, as far as it can, and all of it commits or rolls back with
 * the caller.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "arn.h"
#include "booking.h"
#include "advance.h"
#include "permissions.h"
#include "standby.h"
#include "store_executions.h"
#include "store_tokens.h"

PG_FUNCTION_INFO_V1(sfn_send_task_success);
PG_FUNCTION_INFO_V1(sfn_send_task_failure);
PG_FUNCTION_INFO_V1(sfn_send_task_heartbeat);
PG_FUNCTION_INFO_V1(sfn_create_activity);
PG_FUNCTION_INFO_V1(sfn_delete_activity);
PG_FUNCTION_INFO_V1(sfn_get_activity_task);

/* Messages leave the token out: it is a credential, and the caller has it. */
static void
task_does_not_exist(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("TaskDoesNotExist: the task of this token %s", why)));
}

/* The task_token argument: present and well formed, or InvalidToken. */
static const char *
token_argument(FunctionCallInfo fcinfo)
{
	char	   *token;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("InvalidToken: task_token must not be null")));
	token = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (!store_token_well_formed(token))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("InvalidToken: not a task token"),
				 errhint("Pass the $$.Task.Token the execution handed out, unchanged.")));
	return token;
}

/*
 * Holding a token is not enough to answer it: the caller needs ANSWER on its
 * execution's state machine, or, for an activity's task, WORK on the activity.
 */
static void
require_answer(Oid caller, const TokenRow *tok)
{
	ExecRow		row;

	if (!store_exec_load(tok->execution_id, false, false, &row))
		task_does_not_exist("does not exist anymore");
	if (tok->activity_id != 0 &&
		booking_activity_allows(caller, tok->activity_id, booking_activity_owner(tok->activity_id), "WORK"))
		return;
	booking_require_machine_named(caller, row.machine_name, "ANSWER");
}

/*
 * The token's open task and its execution, both locked — the execution
 * first, as a tick locks them — or an ERROR as AWS's: TaskDoesNotExist (never
 * issued, answered, or its execution ended), TaskTimedOut.
 */
static void
lock_open_task(Oid caller, const char *token, TokenRow *tok, ExecRow *row)
{
	if (!store_token_load(token, false, tok))
		task_does_not_exist("does not exist");
	require_answer(caller, tok);
	if (!store_exec_load(tok->execution_id, true, false, row) ||
		!store_token_load(token, true, tok))
		task_does_not_exist("does not exist anymore");
	if (strcmp(tok->status, "timed_out") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("TaskTimedOut: the task of this token timed out")));
	if (strcmp(tok->status, "succeeded") == 0 || strcmp(tok->status, "failed") == 0)
		task_does_not_exist("was answered already");
	if (strcmp(tok->status, "open") != 0 || row->status != EXEC_RUNNING || row->phase != EXEC_PHASE_TASK ||
		row->state == NULL || strcmp(row->state, tok->state) != 0)
		task_does_not_exist("is over: its execution has ended or moved on");
}

Datum
sfn_send_task_success(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	Oid			caller;
	const char *token;
	TokenRow	tok;
	ExecRow		row;
	TaskAnswer	answer;
	Jsonb	   *output;

	booking_require_primary("sfn_send_task_success");
	caller = booking_enter(&scope);
	token = token_argument(fcinfo);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("InvalidOutput: output must not be null"),
				 errhint("Pass 'null'::jsonb for a JSON null.")));
	output = PG_GETARG_JSONB_P(1);
	booking_check_payload_size(output, "InvalidOutput", "output");
	lock_open_task(caller, token, &tok, &row);
	store_token_set_status(token, "succeeded");
	memset(&answer, 0, sizeof(answer));
	answer.output = output;
	booking_answer_task(&row, &answer);
	booking_leave(&scope);
	PG_RETURN_VOID();
}

Datum
sfn_send_task_failure(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	Oid			caller;
	const char *token;
	TokenRow	tok;
	ExecRow		row;
	TaskAnswer	answer;

	booking_require_primary("sfn_send_task_failure");
	caller = booking_enter(&scope);
	token = token_argument(fcinfo);
	memset(&answer, 0, sizeof(answer));
	answer.failed = true;
	answer.error = booking_text_arg_bounded(fcinfo, 1, "error", BOOKING_MAX_ERROR_LENGTH);
	answer.cause = booking_text_arg_bounded(fcinfo, 2, "cause", BOOKING_MAX_CAUSE_LENGTH);
	lock_open_task(caller, token, &tok, &row);
	store_token_set_status(token, "failed");
	booking_answer_task(&row, &answer);
	booking_leave(&scope);
	PG_RETURN_VOID();
}

Datum
sfn_send_task_heartbeat(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	Oid			caller;
	const char *token;
	TokenRow	tok;
	ExecRow		row;

	booking_require_primary("sfn_send_task_heartbeat");
	caller = booking_enter(&scope);
	token = token_argument(fcinfo);
	lock_open_task(caller, token, &tok, &row);
	tok.heartbeat_at = GetCurrentTimestamp();
	store_token_beat(token, tok.heartbeat_at);
	booking_task_heartbeat(&row, &tok);
	booking_leave(&scope);
	PG_RETURN_VOID();
}

Datum
sfn_create_activity(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	BookingScope scope;
	Oid			caller = booking_enter(&scope);
	char	   *arn;

	booking_require_primary("sfn_create_activity");
	booking_check_name("activity name", name);

	/*
	 * the creator owns it; creating an existing one returns its ARN and
	 * grants nothing
	 */
	arn = store_activity_create(name, booking_activity_arn(name), caller);
	booking_leave(&scope);
	PG_RETURN_TEXT_P(cstring_to_text(arn));
}

/* DeleteActivity: idempotent, as AWS's; tasks already scheduled stay answerable. */
Datum
sfn_delete_activity(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	Oid			caller;
	char	   *name;
	int64		activity;

	booking_require_primary("sfn_delete_activity");
	caller = booking_enter(&scope);
	name = booking_parse_activity_ref(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	activity = store_activity_find(name);
	if (activity != 0)
	{
		booking_require_activity(caller, activity, name, "MANAGE");
		(void) store_activity_delete(name);
	}
	booking_leave(&scope);
	PG_RETURN_VOID();
}

Datum
sfn_get_activity_task(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *name;
	const char *worker;
	int64		activity;
	TokenRow	tok;
	ExecRow		row;
	Jsonb	   *input;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);

	booking_require_primary("sfn_get_activity_task");
	booking_require_arg(fcinfo, 0, "activity");
	name = booking_parse_activity_ref(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	worker = booking_text_arg_bounded(fcinfo, 1, "worker_name", 80);
	InitMaterializedSRF(fcinfo, 0);
	activity = store_activity_find(name);
	if (activity == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("ActivityDoesNotExist: activity \"%s\" does not exist", name)));
	booking_require_activity(caller, activity, name, "WORK");
	if (store_token_claim(activity, worker, GetCurrentTimestamp(), &tok, &input))
	{
		Datum		values[2];
		bool		nulls[2] = {false, input == NULL};

		/* the claim locked the execution row: this load does not wait */
		if (!store_exec_load(tok.execution_id, true, false, &row))
			elog(ERROR, "activity task %s lost its execution", tok.token);
		booking_activity_claimed(&row, &tok, worker);
		values[0] = CStringGetTextDatum(tok.token);
		values[1] = input ? JsonbPGetDatum(input) : (Datum) 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	booking_leave(&scope);
	return (Datum) 0;
}

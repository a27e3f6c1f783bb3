/*
 * task_invoke.c — a Task's request in a subtransaction, as the state machine's
 * role, with its search_path. See task_invoke.h.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_authid.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/guc.h"
#include "utils/syscache.h"
#include "utils/timeout.h"

#include "executor/spi.h"
#include "catalog/pg_type.h"

#include "booking.h"
#include "permissions.h"
#include "spi_plans.h"
#include "task_dynamodb.h"
#include "task_lambda.h"
#include "subxact.h"
#include "task_invoke.h"

#define ERRCODE_NAMED_TASK_ERROR MAKE_SQLSTATE('S','F','0','0','1')

/* The resource's integration is supported by the request part above. */
static bool
booking_task_is_invocable(const asl_resource *res)
{
	return res->kind == ASL_RES_DYNAMODB || res->kind == ASL_RES_LAMBDA_INVOKE ||
		res->kind == ASL_RES_LAMBDA_FUNCTION;
}

/* The ASL error an SQL error inside a task becomes (task_invoke.h has the rule). */
static void
name_sql_error(const asl_resource *res, const ErrorData *edata, asl_error *err)
{
	const char *state = unpack_sql_state(edata->sqlerrcode);
	const char *message = edata->message ? edata->message : "(no message)";

	if (edata->sqlerrcode == ERRCODE_NAMED_TASK_ERROR)
	{
		asl_error_set(err, message, "%s", edata->detail ? edata->detail : "");
		return;
	}
	if (res->kind == ASL_RES_DYNAMODB)
		asl_error_set(err,
					  edata->sqlerrcode == ERRCODE_INSUFFICIENT_PRIVILEGE
					  ? "DynamoDB.AccessDeniedException" : "DynamoDB.AmazonDynamoDBException",
					  "%s (SQLSTATE %s)%s%s", message, state,
					  edata->detail ? ": " : "", edata->detail ? edata->detail : "");
	else
		asl_error_set(err, psprintf("PostgreSQL.%s", state), "%s%s%s", message,
					  edata->detail ? ": " : "", edata->detail ? edata->detail : "");
}

/* The request itself: true with *output, or false with err set. */
static bool
dispatch(const asl_task *task, json_object **output, asl_error *err)
{
	const asl_resource *res = task->resource;

	if (res->kind == ASL_RES_DYNAMODB)
		return booking_task_dynamodb(res->action, task->input, output, err);
	return booking_task_lambda(res, task->input, output, err);
}

/*
 * The machine's search_path with pg_temp last, unless it places pg_temp
 * itself: otherwise the session's temp tables come first, and whoever
 * answers a token could shadow the task's tables with their own.
 */
static const char *
pinned_search_path(const char *path)
{
	if (strstr(path, "pg_temp") != NULL)
		return path;
	return psprintf("%s, pg_temp", path);
}

/* The role is gone (regrole does not hold it): a task failure, not an ERROR. */
static bool
role_exists(Oid role, asl_error *err)
{
	if (!OidIsValid(role) || SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(role)))
		return true;
	asl_error_set(err, ASL_ERR_TASK_FAILED,
				  "the state machine's execution role (oid %u) no longer exists", role);
	return false;
}

/*
 * A superuser or BYPASSRLS execution role runs tasks only when its machine's
 * creator named it so (privileged_role), checked as the task runs: a role
 * made superuser after the machine was created is refused too.
 */
static SPIPlanPtr plan_privileged;

/*
 * A superuser or BYPASSRLS execution role runs tasks only when the
 * machine's creator named it (state_machines.privileged_role).
 */
static bool
role_allowed(const TaskIdentity *who, asl_error *err)
{
	Oid			type = INT8OID;
	Datum		value = Int64GetDatum(who->machine_id);
	bool		named = false;

	if (!OidIsValid(who->role) || who->machine_id == 0 || !booking_role_is_privileged(who->role))
		return true;
	if (who->privileged_named != 0)
		named = who->privileged_named == 'y';	/* read with the execution's
												 * row: no statement */
	else
	{
		SPI_connect();
		booking_spi_check(SPI_execute_plan(booking_plan(&plan_privileged,
														"SELECT privileged_role FROM booking.state_machines WHERE id = $1",
														1, &type), &value, NULL, true, 1),
						  SPI_OK_SELECT, "state machine role lookup");
		if (SPI_processed == 1)
		{
			bool		isnull;
			Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

			named = !isnull && DatumGetBool(d);
		}
		SPI_finish();
	}
	if (!named)
		asl_error_set(err, ASL_ERR_PERMISSIONS,
					  "the execution role \"%s\" is a superuser or has BYPASSRLS, and the state machine's creator did not name it: "
					  "name it with sfn_update_state_machine(..., role => ...) or use a less privileged role",
					  GetUserNameFromId(who->role, false));
	return named;
}

/* The task's work inside its subtransaction: as the role, with the search_path. */
typedef struct TaskCall
{
	const TaskIdentity *who;
	const asl_task *task;
	json_object *output;
	asl_error	err;
} TaskCall;

/*
 * Runs the task as the execution's role with booking's search_path, inside
 * the caller's subtransaction.
 */
static bool
task_body(void *arg)
{
	TaskCall   *call = (TaskCall *) arg;
	Oid			save_user;
	int			save_sec;
	int			guc_level;
	bool		ok;

	GetUserIdAndSecContext(&save_user, &save_sec);

	/*
	 * Restricted, as PostgreSQL runs an index's functions as the table's
	 * owner: the task's code can't leave work (a deferred trigger, a WITH
	 * HOLD cursor, a temporary table) that would run later as whoever called
	 * or ticks.
	 */
	if (OidIsValid(call->who->role))
		SetUserIdAndSecContext(call->who->role,
							   save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	guc_level = NewGUCNestLevel();
	if (call->who->search_path != NULL)
		(void) set_config_option("search_path", pinned_search_path(call->who->search_path),
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	ok = dispatch(call->task, &call->output, &call->err);

	/*
	 * As PostgreSQL ends an index function's or a VACUUM's restricted
	 * operation: every setting the task's code changed (set_config(...,
	 * false) included) goes back, so it can't leave a search_path, a booking.*
	 * setting or a timeout in the session of whoever called or ticks.
	 */
	AtEOXact_GUC(false, guc_level);
	SetUserIdAndSecContext(save_user, save_sec);
	return ok;					/* DynamoDB refused: nothing written */
}

/*
 * A task's call is bounded: past the task's TimeoutSeconds or
 * booking.task_time_limit, the sooner, it is cancelled (as statement_timeout
 * cancels a statement) and the task fails with States.Timeout, so a function
 * that sleeps or loops can't hold a worker, or the caller's transaction, for
 * longer. The outermost task's timer bounds the tasks its code may start.
 */
static TimeoutId task_timeout_id = MAX_TIMEOUTS;	/* registered when first
													 * needed */
static volatile sig_atomic_t task_timed_out = false;
static bool task_timer_armed = false;

static void
task_timeout_handler(void)
{
	task_timed_out = true;
	InterruptPending = true;
	QueryCancelPending = true;
	SetLatch(MyLatch);
}

/* The call's limit in milliseconds (0: none), and what set it. */
static int64
task_limit_ms(const asl_task *task, bool *by_task)
{
	int64		ms = booking_task_time_limit;

	*by_task = false;
	if (task->timeout_seconds > 0 && (ms == 0 || task->timeout_seconds * 1000 <= ms))
	{
		ms = task->timeout_seconds * 1000;
		*by_task = true;
	}
	return ms;
}

/* Arms the timer for ms, unless an outer task's is running; whether it did. */
static bool
task_timer_arm(int64 ms)
{
	if (ms <= 0 || task_timer_armed)
		return false;
	if (task_timeout_id == MAX_TIMEOUTS)
		task_timeout_id = RegisterTimeout(USER_TIMEOUT, task_timeout_handler);
	task_timed_out = false;
	enable_timeout_after(task_timeout_id, (int) Min(ms, INT_MAX));
	task_timer_armed = true;
	return true;
}

/*
 * Disarms the timer; whether it fired. A cancel it raised that no check saw
 * yet is withdrawn: the call is over.
 */
static bool
task_timer_disarm(void)
{
	bool		fired;

	disable_timeout(task_timeout_id, false);
	task_timer_armed = false;
	fired = task_timed_out;
	task_timed_out = false;
	if (fired)
		QueryCancelPending = false;
	return fired;
}

void
booking_task_invoke(const TaskIdentity *who, const asl_task *task, asl_task_reply *reply)
{
	TaskCall	call;
	ErrorData  *edata;
	bool		kept;
	bool		by_task;
	bool		armed;
	bool		timed_out;
	int64		limit_ms;

	memset(reply, 0, sizeof(*reply));
	if (!booking_task_is_invocable(task->resource))
	{
		asl_error_set(&reply->error, ASL_ERR_TASK_FAILED, "the resource %s can't be invoked directly",
					  task->resource->arn);
		return;
	}
	if (!role_exists(who->role, &reply->error) || !role_allowed(who, &reply->error))
		return;

	memset(&call, 0, sizeof(call));
	call.who = who;
	call.task = task;
	limit_ms = task_limit_ms(task, &by_task);
	armed = task_timer_arm(limit_ms);
	edata = booking_subxact(task_body, &call, &kept);
	timed_out = armed && task_timer_disarm();
	if (edata != NULL && timed_out && edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
	{
		/* the task's effects are rolled back with its subtransaction */
		asl_error_set(&reply->error, ASL_ERR_TIMEOUT,
					  by_task ? "The task's call ran longer than its TimeoutSeconds (%lld s)"
					  : "The task's call ran longer than booking.task_time_limit (%lld ms)",
					  (long long) (by_task ? limit_ms / 1000 : limit_ms));
		FreeErrorData(edata);
	}
	else if (edata != NULL)
	{
		/*
		 * dispatch hands out an output or an error only when it returns:
		 * nothing to free
		 */
		if (booking_error_concerns_transaction(edata->sqlerrcode))
			ReThrowError(edata);
		name_sql_error(task->resource, edata, &reply->error);
		FreeErrorData(edata);
	}
	else if (kept)
		reply->output = call.output;
	else
		reply->error = call.err;
}

/*
 * task_invoke.c — a Task's request in a subtransaction, as the state machine's
 * role, with its search_path. See task_invoke.h.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_authid.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/syscache.h"

#include "executor/spi.h"
#include "catalog/pg_type.h"

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
	AtEOXact_GUC(true, guc_level);
	SetUserIdAndSecContext(save_user, save_sec);
	return ok;					/* DynamoDB refused: nothing written */
}

void
booking_task_invoke(const TaskIdentity *who, const asl_task *task, asl_task_reply *reply)
{
	TaskCall	call;
	ErrorData  *edata;
	bool		kept;

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
	edata = booking_subxact(task_body, &call, &kept);
	if (edata != NULL)
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

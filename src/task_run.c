/*
 * task_run.c — a Task's request in a subtransaction, as the state machine's
 * role, with its search_path. See task_run.h.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_authid.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/syscache.h"

#include "task_dynamodb.h"
#include "task_lambda.h"
#include "task_run.h"

#define ERRCODE_NAMED_TASK_ERROR MAKE_SQLSTATE('S','F','0','0','1')

bool
booking_task_is_invocable(const asl_resource *res)
{
	return res->kind == ASL_RES_DYNAMODB || res->kind == ASL_RES_LAMBDA_INVOKE ||
		res->kind == ASL_RES_LAMBDA_FUNCTION;
}

/* Errors that are the transaction's, not the task's: the caller must see them. */
static bool
concerns_transaction(int sqlerrcode)
{
	switch (ERRCODE_TO_CATEGORY(sqlerrcode))
	{
		case ERRCODE_TRANSACTION_ROLLBACK:	/* 40: serialization failure, deadlock */
		case ERRCODE_INSUFFICIENT_RESOURCES:	/* 53: out of memory, disk full */
		case ERRCODE_OPERATOR_INTERVENTION: /* 57: cancel, shutdown */
		case ERRCODE_SYSTEM_ERROR:	/* 58: I/O */
			return true;
		default:
			return sqlerrcode == ERRCODE_DATA_CORRUPTED || sqlerrcode == ERRCODE_INDEX_CORRUPTED;
	}
}

/* The ASL error an SQL error inside a task becomes (task_run.h has the rule). */
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

void
booking_task_invoke(const TaskIdentity *who, const asl_task *task, asl_task_reply *reply)
{
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	Oid			save_user;
	int			save_sec;
	json_object *volatile output = NULL;
	asl_error	err = {0};
	volatile bool ok = false;

	memset(reply, 0, sizeof(*reply));
	if (!booking_task_is_invocable(task->resource))
	{
		asl_error_set(&reply->error, ASL_ERR_TASK_FAILED, "the resource %s can't be invoked directly",
					  task->resource->arn);
		return;
	}
	if (!role_exists(who->role, &reply->error))
		return;

	GetUserIdAndSecContext(&save_user, &save_sec);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		int			guc_level;
		json_object *out = NULL;

		if (OidIsValid(who->role))
			SetUserIdAndSecContext(who->role, save_sec | SECURITY_LOCAL_USERID_CHANGE);
		guc_level = NewGUCNestLevel();
		if (who->search_path != NULL)
			(void) set_config_option("search_path", pinned_search_path(who->search_path),
									 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
		ok = dispatch(task, &out, &err);
		output = out;
		AtEOXact_GUC(true, guc_level);
		SetUserIdAndSecContext(save_user, save_sec);
		if (ok)
			ReleaseCurrentSubTransaction();
		else
			RollbackAndReleaseCurrentSubTransaction();	/* DynamoDB refused: nothing written */
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();
		/* restores the user, the GUCs and the resource owner of before the task */
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
		/* dispatch hands out an output or an error only when it returns: nothing to free */
		if (concerns_transaction(edata->sqlerrcode))
			ReThrowError(edata);
		name_sql_error(task->resource, edata, &reply->error);
		FreeErrorData(edata);
		return;
	}
	PG_END_TRY();
	if (ok)
		reply->output = output;
	else
		reply->error = err;
}

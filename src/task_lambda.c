/*
 * task_lambda.c — Lambda-style tasks: a call of the SQL function NAME(jsonb).
 * See task_lambda.h.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "function_cache.h"
#include "jsonc_bridge.h"
#include "permissions.h"
#include "task_lambda.h"
#include "core/asl/dataflow.h"

#define LAMBDA_NOT_FOUND "Lambda.ResourceNotFoundException"
#define LAMBDA_BAD_PARAMETER "Lambda.InvalidParameterValueException"
#define LAMBDA_ACCESS_DENIED "Lambda.AccessDeniedException"

/*
 * A FunctionName as Lambda takes it — NAME, NAME:QUALIFIER, ACCOUNT:function:NAME,
 * arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] — to NAME (palloc'd).
 * The qualifier names a version or alias; a SQL function has one version.
 */
static char *
function_name_of(const char *given)
{
	const char *marker = strstr(given, ":function:");
	const char *start = marker ? marker + strlen(":function:") : given;
	const char *colon = strchr(start, ':');

	return pnstrdup(start, colon ? (Size) (colon - start) : strlen(start));
}

/* NAME or SCHEMA.NAME as exact identifiers, no case folding: "Book" is the function Book. */
static List *
qualified_name(const char *name)
{
	const char *dot = strchr(name, '.');

	if (dot == NULL)
		return list_make1(makeString(pstrdup(name)));
	return list_make2(makeString(pnstrdup(name, dot - name)), makeString(pstrdup(dot + 1)));
}

/* The function NAME(jsonb) returning jsonb, or InvalidOid with err set. */
static Oid
find_function(const char *name, asl_error *err)
{
	Oid			argtype = JSONBOID;
	Oid			fn;
	HeapTuple	tup;
	Form_pg_proc proc;
	bool		usable;
	Oid			nsp;

	if (name[0] == '\0' || strchr(name, '.') == name || name[strlen(name) - 1] == '.')
	{
		asl_error_set(err, LAMBDA_BAD_PARAMETER, "FunctionName \"%s\" is not a function name", name);
		return InvalidOid;
	}
	fn = booking_function_cache_get(name);
	if (OidIsValid(fn))
		return fn;
	fn = LookupFuncName(qualified_name(name), 1, &argtype, true);
	if (!OidIsValid(fn))
	{
		asl_error_set(err, LAMBDA_NOT_FOUND,
					  "Function not found: %s (no SQL function %s(jsonb) on the task's search_path)",
					  name, name);
		return InvalidOid;
	}
	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for function %u", fn);
	proc = (Form_pg_proc) GETSTRUCT(tup);
	usable = proc->prokind == PROKIND_FUNCTION && !proc->proretset && proc->prorettype == JSONBOID;
	nsp = proc->pronamespace;
	ReleaseSysCache(tup);

	/*
	 * judged on the function the name resolved to (pg_catalog is searched
	 * first when unnamed)
	 */
	if (!booking_task_may_reach(nsp, psprintf("Function: %s", name), LAMBDA_ACCESS_DENIED, err))
		return InvalidOid;
	if (!usable)
	{
		asl_error_set(err, LAMBDA_NOT_FOUND,
					  "%s(jsonb) must be a function returning one jsonb value, to run as a Lambda function",
					  name);
		return InvalidOid;
	}
	booking_function_cache_put(name, fn);
	return fn;
}

/* Calls fn(argument) as the current user; the result as json-c (NULL: JSON null). */
static json_object *
call_function(Oid fn, json_object *argument)
{
	FmgrInfo	flinfo;
	Datum		result;
	AclResult	acl;

	LOCAL_FCINFO(fcinfo, 1);

	acl = pg_proc_aclcheck(fn, GetUserId(), ACL_EXECUTE);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_FUNCTION, get_func_name(fn));
	fmgr_info(fn, &flinfo);
	InitFunctionCallInfoData(*fcinfo, &flinfo, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = JsonbPGetDatum(booking_jsonc_to_jsonb(argument));
	fcinfo->args[0].isnull = false;
	result = FunctionCallInvoke(fcinfo);
	if (fcinfo->isnull)
		return NULL;

	/*
	 * the bridge's object belongs to this context: the caller gets its own
	 * reference
	 */
	return json_object_get(booking_jsonb_to_jsonc(DatumGetJsonbP(result)));
}

/* obj[key] when it is a string, else NULL. */
static const char *
string_member(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* arn:aws:states:::lambda:invoke: Lambda's Invoke request and response. */
static bool
invoke(json_object *params, json_object **output, asl_error *err)
{
	const char *function_name = json_object_is_type(params, json_type_object)
	? string_member(params, "FunctionName") : NULL;
	const char *invocation_type = string_member(params, "InvocationType");
	json_object *payload = NULL;
	json_object *result = NULL;
	json_object *response;
	bool		has_payload;
	int			status = 200;
	Oid			fn;

	if (function_name == NULL)
	{
		asl_error_set(err, LAMBDA_BAD_PARAMETER,
					  "lambda:invoke needs Parameters.FunctionName, a string");
		return false;
	}
	if (invocation_type != NULL && strcmp(invocation_type, "RequestResponse") != 0 &&
		strcmp(invocation_type, "Event") != 0 && strcmp(invocation_type, "DryRun") != 0)
	{
		asl_error_set(err, LAMBDA_BAD_PARAMETER,
					  "InvocationType \"%s\" is not one of RequestResponse, Event, DryRun",
					  invocation_type);
		return false;
	}
	fn = find_function(function_name_of(function_name), err);
	if (!OidIsValid(fn))
		return false;

	/*
	 * no Payload: the function gets {}, as a Lambda handler gets an empty
	 * event
	 */
	has_payload = json_object_object_get_ex(params, "Payload", &payload);
	if (invocation_type != NULL && strcmp(invocation_type, "DryRun") == 0)
		status = 204;			/* checks the function is there and callable,
								 * calls nothing */
	else
	{
		/* owned by the memory context: the call may raise an ERROR */
		BookingOwned *empty = booking_owner(booking_json_put);

		if (!has_payload)
			empty->ptr = json_object_new_object();
		result = call_function(fn, has_payload ? payload : (json_object *) empty->ptr);
		booking_release(empty);
		if (invocation_type != NULL && strcmp(invocation_type, "Event") == 0)
		{
			/* asynchronous in Lambda: the caller sees 202 and no payload */
			json_object_put(result);
			result = json_object_new_string("");
			status = 202;
		}
	}
	response = json_object_new_object();
	(void) asl_json_add_literal(response, "ExecutedVersion", json_object_new_string("$LATEST"));
	(void) asl_json_add_literal(response, "Payload", status == 204 ? json_object_new_string("") : result);
	(void) asl_json_add_literal(response, "StatusCode", json_object_new_int(status));
	*output = response;
	return true;
}

bool
booking_task_lambda(const asl_resource *res, json_object *input, json_object **output,
					asl_error *err)
{
	Oid			fn;

	*output = NULL;
	if (res->kind == ASL_RES_LAMBDA_INVOKE)
		return invoke(input, output, err);
	fn = find_function(res->name, err);
	if (!OidIsValid(fn))
		return false;
	*output = call_function(fn, input);
	return true;
}

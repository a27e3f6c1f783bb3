/*
 * events_task.c — the history events of a Task's life, as AWS names and
 * shapes them for each kind of resource. See events.h.
 */
#include "events.h"

#include <stdio.h>
#include <string.h>

#include "dataflow.h"

static const char *const suffixes[] = {
	[ASL_TASK_SCHEDULED] = "Scheduled",
	[ASL_TASK_STARTED] = "Started",
	[ASL_TASK_SUBMITTED] = "Submitted",
	[ASL_TASK_SUCCEEDED] = "Succeeded",
	[ASL_TASK_FAILED] = "Failed",
	[ASL_TASK_TIMED_OUT] = "TimedOut",
	[ASL_TASK_SCHEDULE_FAILED] = "ScheduleFailed",
};

#define SERVICE_PREFIX "arn:aws:states:::"

/* Service integrations: resourceType "dynamodb", resource "updateItem" (with its suffix). */
static bool
add_service(json_object *d, const asl_resource *res)
{
	const char *rest = res->arn;
	const char *colon;
	char		type[64];

	if (strncmp(rest, SERVICE_PREFIX, strlen(SERVICE_PREFIX)) == 0)
		rest += strlen(SERVICE_PREFIX);
	colon = strchr(rest, ':');
	snprintf(type, sizeof type, "%.*s", colon ? (int) (colon - rest) : (int) strlen(rest), rest);
	return asl_json_add_literal(d, "resourceType", json_object_new_string(type)) &&
		asl_json_add_literal(d, "resource", json_object_new_string(colon ? colon + 1 : rest));
}

/* Adds timeoutInSeconds and heartbeatInSeconds when set. */
static bool
add_timeouts(json_object *d, int64_t timeout_seconds, int64_t heartbeat_seconds)
{
	return (timeout_seconds <= 0 ||
			asl_json_add_literal(d, "timeoutInSeconds", json_object_new_int64(timeout_seconds))) &&
		(heartbeat_seconds <= 0 ||
		 asl_json_add_literal(d, "heartbeatInSeconds", json_object_new_int64(heartbeat_seconds)));
}

/* Adds key: doc (a new reference) with its details_key: not truncated. */
static bool
add_document(json_object *d, const char *key, const char *details_key, json_object *doc)
{
	return asl_json_add(d, key, json_object_get(doc)) &&
		asl_json_add(d, details_key, asl_not_truncated());
}

/* Adds error and cause when given. */
static bool
add_error(json_object *d, const char *error, const char *cause)
{
	return (error == NULL || asl_json_add_literal(d, "error", json_object_new_string(error))) &&
		(cause == NULL || asl_json_add_literal(d, "cause", json_object_new_string(cause)));
}

/* What the event's details hold besides the resource. */
static bool
add_payload(json_object *d, asl_task_event ev, const asl_resource *res, const char *region,
			json_object *payload, int64_t timeout_seconds, int64_t heartbeat_seconds,
			const char *error, const char *cause)
{
	bool		service = res->kind == ASL_RES_DYNAMODB || res->kind == ASL_RES_LAMBDA_INVOKE;

	switch (ev)
	{
		case ASL_TASK_SCHEDULED:
			if (service)
				return asl_json_add_literal(d, "region", json_object_new_string(region)) &&
					asl_json_add_literal(d, "parameters", json_object_get(payload)) &&
					add_timeouts(d, timeout_seconds, heartbeat_seconds);
			return asl_json_add_literal(d, "resource", json_object_new_string(res->arn)) &&
				add_document(d, "input", "inputDetails", payload) &&
				add_timeouts(d, timeout_seconds, res->kind == ASL_RES_ACTIVITY ? heartbeat_seconds : 0);
		case ASL_TASK_STARTED:
			return payload == NULL || asl_json_add_literal(d, "workerName", json_object_get(payload));
		case ASL_TASK_SUBMITTED:
		case ASL_TASK_SUCCEEDED:
			return add_document(d, "output", "outputDetails", payload);
		default:
			return add_error(d, error, cause);
	}
}

json_object *
asl_event_task(asl_task_event ev, const asl_resource *res, const char *region,
			   json_object *payload, int64_t timeout_seconds, int64_t heartbeat_seconds,
			   const char *error, const char *cause)
{
	char		type[64];
	const char *family = res->kind == ASL_RES_LAMBDA_FUNCTION ? "LambdaFunction" :
	res->kind == ASL_RES_ACTIVITY ? "Activity" : "Task";
	bool		service = res->kind == ASL_RES_DYNAMODB || res->kind == ASL_RES_LAMBDA_INVOKE;
	json_object *d = json_object_new_object();

	asl_concat(type, sizeof type, family, suffixes[ev]);
	if (d == NULL || (service && !add_service(d, res)) ||
		!add_payload(d, ev, res, region, payload, timeout_seconds, heartbeat_seconds, error, cause))
	{
		json_object_put(d);
		return NULL;
	}
	/* LambdaFunctionStarted carries no details at all */
	if (ev == ASL_TASK_STARTED && res->kind == ASL_RES_LAMBDA_FUNCTION)
	{
		json_object_put(d);
		return asl_event_new(type, NULL);
	}
	return asl_event_named(type, d);
}

/*
 * resource.c — Task Resource ARNs.
 *
 * booking runs four kinds of resource (see docs/validation.md):
 *   arn:P:states:::dynamodb:getItem|putItem|updateItem|deleteItem
 *   arn:P:states:::lambda:invoke[.waitForTaskToken]
 *   arn:P:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
 *   arn:P:states:REGION:ACCOUNT:activity:NAME
 * A resource AWS would reject is INVALID_RESOURCE; a well-formed one of a
 * service booking does not run is UNSUPPORTED_RESOURCE.
 */
#include "definition_impl.h"

#include <stdlib.h>
#include <string.h>

#include "names.h"

#define INVALID "INVALID_RESOURCE"
#define UNSUPPORTED "UNSUPPORTED_RESOURCE"

typedef struct arn_parts
{
	char	   *buf;			/* a copy of the ARN, cut at the colons */
	const char *partition;
	const char *service;
	const char *region;
	const char *account;
	const char *resource;		/* everything after the fifth colon */
} arn_parts;

/*
 * Whether s holds only letters and digits (digits only when digits_only) or
 * characters of extra.
 */
static bool
all_chars(const char *s, const char *extra, bool digits_only)
{
	for (; *s; s++)
	{
		char		c = *s;

		if (c >= '0' && c <= '9')
			continue;
		if (digits_only)
			return false;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr(extra, c))
			continue;
		return false;
	}
	return true;
}

/*
 * Splits arn:partition:service:region:account:rest into p (pointing into a
 * copy p owns); false with *why when it is not an ARN.
 */
static bool
split_arn(const char *arn, arn_parts *p, const char **why)
{
	char	   *fields[5];
	char	   *s;

	memset(p, 0, sizeof(*p));
	if (strncmp(arn, "arn:", 4) != 0)
	{
		*why = strstr(arn, "${") ? "it still holds a ${...} placeholder: pass substitutions for it"
			: "it is not an ARN (arn:partition:service:region:account:resource)";
		return false;
	}
	p->buf = strdup(arn);
	if (p->buf == NULL)
	{
		*why = "out of memory";
		return false;
	}
	s = p->buf;
	for (int i = 0; i < 5; i++)
	{
		char	   *colon = strchr(s, ':');

		if (colon == NULL)
		{
			*why = "an ARN has six colon-separated parts (arn:partition:service:region:account:resource)";
			return false;
		}
		*colon = '\0';
		fields[i] = s;
		s = colon + 1;
	}
	p->partition = fields[1];
	p->service = fields[2];
	p->region = fields[3];
	p->account = fields[4];
	p->resource = s;
	if (p->partition[0] == '\0' || !all_chars(p->partition, "-", false) ||
		p->service[0] == '\0' || !all_chars(p->service, "-", false) ||
		!all_chars(p->region, "-", false))
	{
		*why = "the partition, service or region of the ARN is malformed";
		return false;
	}
	if (strstr(arn, "${"))
	{
		*why = "it still holds a ${...} placeholder: pass substitutions for it";
		return false;
	}
	return true;
}

/* Cuts a ".waitForTaskToken" / ".sync" / ".sync:2" suffix off action. */
static asl_integration_pattern
cut_pattern(char *action, bool *bad)
{
	char	   *dot = strchr(action, '.');

	*bad = false;
	if (dot == NULL)
		return ASL_PATTERN_REQUEST_RESPONSE;
	if (strcmp(dot, ".waitForTaskToken") == 0)
	{
		*dot = '\0';
		return ASL_PATTERN_WAIT_FOR_TOKEN;
	}
	if (strcmp(dot, ".sync") == 0 || strcmp(dot, ".sync:2") == 0)
	{
		*dot = '\0';
		return ASL_PATTERN_SYNC;
	}
	*bad = true;
	return ASL_PATTERN_REQUEST_RESPONSE;
}

/* arn:P:states:::SERVICE:ACTION[.pattern] */
static bool
parse_integration(const arn_parts *p, asl_resource *out, const char **code, const char **why)
{
	char	   *colon = strchr(p->resource, ':');
	const char *service;
	char	   *action;
	bool		bad;

	if (colon == NULL || colon == p->resource || colon[1] == '\0')
	{
		*code = INVALID;
		*why = "a service integration is arn:partition:states:::SERVICE:ACTION";
		return false;
	}
	*colon = '\0';
	service = p->resource;
	action = colon + 1;
	if (strcmp(service, "dynamodb") != 0 && strcmp(service, "lambda") != 0)
	{
		*code = UNSUPPORTED;
		*why = "booking runs only the dynamodb and lambda integrations, Lambda functions and activities";
		return false;
	}
	out->pattern = cut_pattern(action, &bad);
	if (bad || action[0] == '\0' || !all_chars(action, "-_", false))
	{
		*code = INVALID;
		*why = "the action is malformed; the integration patterns are .sync and .waitForTaskToken";
		return false;
	}
	if (strcmp(service, "dynamodb") == 0)
	{
		if (strcmp(action, "getItem") != 0 && strcmp(action, "putItem") != 0 &&
			strcmp(action, "updateItem") != 0 && strcmp(action, "deleteItem") != 0)
		{
			*code = INVALID;
			*why = "the DynamoDB integration has getItem, putItem, updateItem and deleteItem";
			return false;
		}
		if (out->pattern != ASL_PATTERN_REQUEST_RESPONSE)
		{
			*code = INVALID;
			*why = "DynamoDB supports only the request-response pattern (no .sync or .waitForTaskToken)";
			return false;
		}
		out->kind = ASL_RES_DYNAMODB;
	}
	else
	{
		if (strcmp(action, "invoke") != 0)
		{
			*code = INVALID;
			*why = "the Lambda integration is lambda:invoke";
			return false;
		}
		if (out->pattern == ASL_PATTERN_SYNC)
		{
			*code = INVALID;
			*why = "lambda:invoke has no .sync pattern (use request-response or .waitForTaskToken)";
			return false;
		}
		out->kind = ASL_RES_LAMBDA_INVOKE;
	}
	out->action = strdup(action);
	if (out->action == NULL)
	{
		*code = INVALID;
		*why = "out of memory";
		return false;
	}
	return true;
}

/* function:NAME[:QUALIFIER] */
static bool
parse_function(const arn_parts *p, asl_resource *out, const char **code, const char **why)
{
	char	   *name;
	char	   *qualifier;

	*code = INVALID;
	if (strncmp(p->resource, "function:", 9) != 0)
	{
		*why = "a Lambda ARN names a function: arn:partition:lambda:REGION:ACCOUNT:function:NAME";
		return false;
	}
	if (p->region[0] == '\0' || strlen(p->account) != 12 || !all_chars(p->account, "", true))
	{
		*why = "a Lambda function ARN needs a region and a 12-digit account";
		return false;
	}
	name = (char *) p->resource + 9;
	qualifier = strchr(name, ':');
	if (qualifier != NULL)
		*qualifier++ = '\0';
	if (name[0] == '\0' || strlen(name) > 64 || !all_chars(name, "-_", false))
	{
		*why = "a function name is 1 to 64 letters, digits, - or _ (patterns such as .waitForTaskToken go with arn:partition:states:::lambda:invoke)";
		return false;
	}
	if (qualifier != NULL &&
		(qualifier[0] == '\0' || strlen(qualifier) > 128 || !all_chars(qualifier, "-_$", false)))
	{
		*why = "a function qualifier (alias or version) is 1 to 128 letters, digits, -, _ or $";
		return false;
	}
	out->kind = ASL_RES_LAMBDA_FUNCTION;
	out->pattern = ASL_PATTERN_REQUEST_RESPONSE;
	out->name = strdup(name);
	if (qualifier != NULL)
		out->qualifier = strdup(qualifier);
	if (out->name == NULL || (qualifier != NULL && out->qualifier == NULL))
	{
		*why = "out of memory";
		return false;
	}
	return true;
}

/* activity:NAME */
static bool
parse_activity(const arn_parts *p, asl_resource *out, const char **code, const char **why)
{
	const char *name = p->resource + 9;
	const char *rule;

	*code = INVALID;
	if (strncmp(p->resource, "activity:", 9) != 0)
	{
		*why = "a Task runs an activity (arn:partition:states:REGION:ACCOUNT:activity:NAME) or a service integration (arn:partition:states:::SERVICE:ACTION)";
		return false;
	}
	if (p->region[0] == '\0' || strlen(p->account) != 12 || !all_chars(p->account, "", true))
	{
		*why = "an activity ARN needs a region and a 12-digit account";
		return false;
	}
	if (!asl_name_valid(name, &rule))
	{
		*why = "the activity name breaks AWS's naming rule (1 to 80 characters, no whitespace, brackets, wildcards or punctuation such as : / $ #)";
		return false;
	}
	out->kind = ASL_RES_ACTIVITY;
	out->pattern = ASL_PATTERN_REQUEST_RESPONSE;
	out->name = strdup(name);
	if (out->name == NULL)
	{
		*why = "out of memory";
		return false;
	}
	return true;
}

bool
asl_resource_parse(const char *arn, asl_resource *out, const char **code, const char **why)
{
	arn_parts	p;
	bool		ok;

	memset(out, 0, sizeof(*out));
	*code = INVALID;
	*why = NULL;
	if (!split_arn(arn, &p, why))
		ok = false;
	else if (strcmp(p.service, "states") == 0)
	{
		if (p.region[0] == '\0' && p.account[0] == '\0')
			ok = parse_integration(&p, out, code, why);
		else
			ok = parse_activity(&p, out, code, why);
	}
	else if (strcmp(p.service, "lambda") == 0)
		ok = parse_function(&p, out, code, why);
	else
	{
		*code = UNSUPPORTED;
		*why = "booking runs only the dynamodb and lambda integrations, Lambda functions and activities";
		ok = false;
	}
	free(p.buf);
	if (ok)
	{
		out->arn = strdup(arn);
		if (out->arn == NULL)
		{
			*why = "out of memory";
			ok = false;
		}
	}
	if (!ok)
		asl_resource_release(out);
	return ok;
}

void
asl_resource_release(asl_resource *res)
{
	free(res->arn);
	free(res->action);
	free(res->name);
	free(res->qualifier);
	memset(res, 0, sizeof(*res));
}

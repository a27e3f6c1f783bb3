/*
 * booking.c — module entry point and settings.
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "booking.h"
#include "shard_key.h"
#include "status_notify.h"
#include "worker.h"

PG_MODULE_MAGIC;

char	   *booking_region = NULL;
char	   *booking_account_id = NULL;
int			booking_machine_cache_size = 256;
int			booking_max_payload_size = 262144;
int			booking_max_steps_per_run = 1000;
int			booking_tick_time_budget = 1000;
int			booking_task_time_limit = 60 * 1000;
int			booking_history_level = BOOKING_HISTORY_ALL;
bool		booking_notify = true;

static const struct config_enum_entry history_level_options[] = {
	{"all", BOOKING_HISTORY_ALL, false},
	{"errors", BOOKING_HISTORY_ERRORS, false},
	{"none", BOOKING_HISTORY_NONE, false},
	{NULL, 0, false}
};

void		_PG_init(void);

void
booking_require_arg(FunctionCallInfo fcinfo, int n, const char *field)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", field)));
}

/* Bytes of s (len bytes, server encoding) as a JSON string in UTF-8, quotes included. */
static size_t
json_string_size(const char *s, int len)
{
	size_t		n = 2;
	char	   *utf8 = NULL;

	if (GetDatabaseEncoding() != PG_UTF8)
	{
		utf8 = pg_server_to_any(s, len, PG_UTF8);
		if (utf8 != s)
			len = strlen(utf8);
		s = utf8;
	}
	/* escaped as jsonb and the core escape them: two bytes, or \u00XX */
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
			n += 2;
		else if (c < 0x20)
			n += 6;
		else
			n += 1;
	}
	if (utf8 != NULL && utf8 != s)
		pfree(utf8);
	return n;
}

/* Bytes of a scalar as compact JSON text (numbers as numeric_out prints them). */
static size_t
json_scalar_size(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return 4;
		case jbvBool:
			return v->val.boolean ? 4 : 5;
		case jbvString:
			return json_string_size(v->val.string.val, v->val.string.len);
		case jbvNumeric:
			{
				char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out,
																	   NumericGetDatum(v->val.numeric)));
				size_t		n = strlen(text);

				pfree(text);
				return n;
			}
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) v->type);
	}
	return 0;
}

/* UTF-8 bytes of doc as compact JSON text (no white space between tokens). */
static size_t
booking_jsonb_compact_size(Jsonb *doc)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	size_t		size = 0;
	bool		first = true;	/* the next item is its container's first */
	bool		after_key = false;	/* the next item is an object member's
									 * value */

	if (JB_ROOT_IS_SCALAR(doc))
	{
		if (!JsonbExtractScalar(&doc->root, &v))
			elog(ERROR, "jsonb scalar root without its scalar");
		return json_scalar_size(&v);
	}

	/*
	 * no white space between tokens: what jsonb prints, less ", " and ": "'s
	 * spaces
	 */
	it = JsonbIteratorInit(&doc->root);
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		switch (tok)
		{
			case WJB_BEGIN_ARRAY:
			case WJB_BEGIN_OBJECT:
				size += (!first && !after_key) + 1; /* a separating comma; [
													 * or { */
				first = true;
				after_key = false;
				break;
			case WJB_END_ARRAY:
			case WJB_END_OBJECT:
				size += 1;
				first = false;
				break;
			case WJB_KEY:
				size += !first + json_string_size(v.val.string.val, v.val.string.len) + 1;
				first = false;
				after_key = true;
				break;
			case WJB_VALUE:
				size += json_scalar_size(&v);
				after_key = false;
				break;
			case WJB_ELEM:
				size += !first + json_scalar_size(&v);
				first = false;
				break;
			default:
				break;
		}
	}
	return size;
}

void
booking_check_payload_size(Jsonb *doc, const char *exception, const char *what)
{
	size_t		len = booking_jsonb_compact_size(doc);

	if (len > (size_t) booking_max_payload_size)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: %s is %zu bytes, more than booking.max_payload_size (%d)",
						exception, what, len, booking_max_payload_size)));
}

char	   *
booking_text_arg_bounded(FunctionCallInfo fcinfo, int n, const char *name, int max)
{
	char	   *value;
	int			chars;

	if (PG_ARGISNULL(n))
		return NULL;
	value = text_to_cstring(PG_GETARG_TEXT_PP(n));
	chars = pg_mbstrlen(value);
	if (chars > max)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("%s is %d characters, more than the %d AWS allows", name, chars, max)));
	return value;
}

void
_PG_init(void)
{
	DefineCustomStringVariable("booking.region",
							   "Region part of the ARNs booking issues.",
							   "ARNs have AWS's form arn:aws:states:REGION:ACCOUNT:...; "
							   "changing it affects new state machines and executions only; "
							   "any role may set it (an ARN grants nothing: names resolve whatever its region).",
							   &booking_region,
							   "local",
							   PGC_USERSET, 0,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("booking.account_id",
							   "Account part of the ARNs booking issues.",
							   NULL,
							   &booking_account_id,
							   "000000000000",
							   PGC_USERSET, 0,
							   NULL, NULL, NULL);
	DefineCustomIntVariable("booking.machine_cache_size",
							"Compiled state machine versions, and machine rows, kept per backend.",
							"Definitions are parsed once per backend and version; past this many, "
							"the least recently used is dropped. As many state_machines rows are "
							"kept for starts by name.",
							&booking_machine_cache_size,
							256, 1, 100000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("booking.max_payload_size",
							"Largest state input or output, in bytes of JSON text.",
							"AWS's quota is 256 KiB; past it a state fails with States.DataLimitExceeded.",
							&booking_max_payload_size,
							262144, 1024, 64 * 1024 * 1024,
							PGC_SUSET, GUC_UNIT_BYTE,
							NULL, NULL, NULL);
	DefineCustomIntVariable("booking.max_steps_per_run",
							"State transitions one run of an execution may make before it yields.",
							"A run that spends its budget parks with its timer due now, so an endless "
							"loop cannot hold a transaction; the next tick goes on where it stopped.",
							&booking_max_steps_per_run,
							1000, 1, 10000000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("booking.tick_time_budget",
							"Time one sfn_tick, and one run of an execution, may take before it yields.",
							"A tick claims no more executions once it is spent, and a run past it parks "
							"with its timer due now; the transaction commits and the next tick goes on, "
							"so no execution holds a worker (or its locks) for longer.",
							&booking_tick_time_budget,
							1000, 1, 3600 * 1000,
							PGC_SUSET, GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomIntVariable("booking.task_time_limit",
							"Longest a Task's call (a Lambda function, a DynamoDB request) may run.",
							"Past it, or past the task's TimeoutSeconds when that comes first, the call is "
							"cancelled and the task fails with States.Timeout (catchable): one task "
							"can't hold a worker longer. 0: no limit.",
							&booking_task_time_limit,
							60 * 1000, 0, 24 * 3600 * 1000,
							PGC_SUSET, GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomEnumVariable("booking.history_level",
							 "Which history events executions record: all, errors, none.",
							 "errors keeps the Execution* events and every *Failed, *TimedOut and *Aborted event.",
							 &booking_history_level,
							 BOOKING_HISTORY_ALL, history_level_options,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomBoolVariable("booking.notify",
							 "Whether status changes NOTIFY channel booking_execution.",
							 "A notifying commit takes PostgreSQL's notification lock, which "
							 "serializes such commits cluster-wide: turn it off where nobody listens "
							 "and starts must be as fast as they can be.",
							 &booking_notify,
							 true,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomRealVariable("booking.notify_queue_limit",
							 "How full the NOTIFY queue may be (0 to 1) for booking to notify booking_execution.",
							 "At or above it booking sends no status notification, with a WARNING, so that "
							 "a listener that does not read can't fill the queue and fail booking's commits.",
							 &booking_notify_queue_limit,
							 0.5, 0.0, 1.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	booking_shard_key_init();
	booking_jsonata_init();
	booking_worker_init();		/* timer workers: settings; registered when
								 * preloaded */
	MarkGUCPrefixReserved("booking");
}

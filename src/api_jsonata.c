/*
 * api_jsonata.c — booking.jsonata(expression, input, bindings): a JSONata
 * expression evaluated against a jsonb document, in any SQL statement.
 *
 * The compiled expression is kept per call site (fn_extra) while the text
 * stays the same, so a query running one expression over many rows compiles
 * it once. Everything the core mallocs is owned by a memory context. The
 * core polls a cancel callback: it reports a pending interrupt, the core
 * stops (it never longjmps), and CHECK_FOR_INTERRUPTS then raises the query
 * cancel or statement_timeout error as usual.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "booking.h"
#include "jsonc_bridge.h"
#include "core/jsonata/jsonata.h"

PG_FUNCTION_INFO_V1(booking_jsonata);

/* the values of one evaluation may take this much memory */
#define JSONATA_MEMORY_LIMIT ((size_t) 256 * 1024 * 1024)

/* the compiled expression of one call site */
typedef struct CachedExpr
{
	char	   *source;			/* in fn_mcxt */
	BookingOwned *owner;		/* owns the jn_expr, in fn_mcxt */
} CachedExpr;

/* Release callback of a compiled expression owned by a memory context. */
static void
expr_free(void *e)
{
	jn_expr_free((jn_expr *) e);
}

/* The core's cancel check: a query cancel or termination is pending. */
static bool
interrupt_pending(void *arg)
{
	(void) arg;
	return INTERRUPTS_PENDING_CONDITION();
}

/*
 * The SQLSTATE for a JSONata error code, by its class letter (S syntax, T
 * type, U limits, others data exceptions).
 */
static int
sqlstate_for(const char *code)
{
	switch (code[0])
	{
		case 'S':
			return ERRCODE_SYNTAX_ERROR;
		case 'T':
			return ERRCODE_DATATYPE_MISMATCH;
		case 'U':
			return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		default:
			return ERRCODE_DATA_EXCEPTION;
	}
}

/* Raises a JSONata error with its code, position and token. */
static void
report(const jn_error *err)
{
	if (err->position >= 0)
		ereport(ERROR,
				(errcode(sqlstate_for(err->code)),
				 errmsg("%s at position %d: %s", err->code, err->position, err->message),
				 err->token[0] ? errdetail("token: %s", err->token) : 0));
	ereport(ERROR,
			(errcode(sqlstate_for(err->code)),
			 errmsg("%s at an unknown position: %s", err->code, err->message)));
}

/*
 * The compiled form of expression, cached in fn_extra for as long as the
 * call site passes the same text.
 */
static const jn_expr *
compiled_expression(FunctionCallInfo fcinfo, text *expression)
{
	CachedExpr *cache = fcinfo->flinfo->fn_extra;
	char	   *src = text_to_cstring(expression);
	MemoryContext old;
	jn_error	err;
	jn_expr    *e;

	if (cache && cache->source && strcmp(cache->source, src) == 0)
		return cache->owner->ptr;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (cache == NULL)
	{
		cache = palloc0(sizeof(CachedExpr));
		cache->owner = booking_owner(expr_free);
		fcinfo->flinfo->fn_extra = cache;
	}
	booking_release(cache->owner);
	if (cache->source)
		pfree(cache->source);
	cache->source = NULL;
	MemoryContextSwitchTo(old);
	e = jn_compile(src, strlen(src), &err);
	if (e == NULL)
		report(&err);
	cache->owner->ptr = e;
	cache->source = MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, src);
	return e;
}

Datum
booking_jsonata(PG_FUNCTION_ARGS)
{
	const jn_expr *expr;
	json_object *input = NULL;
	json_object *bindings = NULL;
	BookingOwned *result_owner;
	jn_options	opts;
	jn_error	err;
	bool		undefined;
	int			rc;
	json_object *result = NULL;

	booking_require_arg(fcinfo, 0, "expression");
	expr = compiled_expression(fcinfo, PG_GETARG_TEXT_PP(0));
	if (!PG_ARGISNULL(1))
		input = booking_jsonb_to_jsonc(PG_GETARG_JSONB_P(1));
	if (!PG_ARGISNULL(2))
	{
		bindings = booking_jsonb_to_jsonc(PG_GETARG_JSONB_P(2));
		if (!json_object_is_type(bindings, json_type_object))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bindings must be a JSON object of variable names and values")));
	}

	memset(&opts, 0, sizeof opts);
	opts.memory_limit = JSONATA_MEMORY_LIMIT;
	opts.cancel = interrupt_pending;
	result_owner = booking_owner(booking_json_put);
	rc = jn_evaluate(expr, input, !PG_ARGISNULL(1), bindings, &opts, &result, &undefined, &err);
	result_owner->ptr = result;
	if (rc != 0)
	{
		/* a cancel or a statement_timeout stopped it: raise that */
		CHECK_FOR_INTERRUPTS();
		report(&err);
	}
	if (undefined)
		PG_RETURN_NULL();
	PG_RETURN_JSONB_P(booking_jsonc_to_jsonb(result));
}

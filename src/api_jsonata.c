/*
 * api_jsonata.c — booking.jsonata(expression, input, bindings): a JSONata
 * expression evaluated against a jsonb document, in any SQL statement.
 *
 * The compiled expressions are kept for the backend's life (a few, most
 * recently used first), so a query or loop running one expression over many
 * rows compiles it once; so are the last input and bindings converted (jsonb
 * straight to the evaluator's values, and its result straight back to jsonb:
 * jsonb_values.c). What else the core mallocs is owned by a memory context.
 * The core polls a cancel callback: it reports a pending query cancel or
 * termination, the core stops (it never longjmps), and CHECK_FOR_INTERRUPTS
 * then raises the query cancel or statement_timeout error as usual.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "booking.h"
#include "jsonb_values.h"
#include "jsonc_bridge.h"
#include "sync_driver.h"
#include "core/jsonata/jsonata.h"

PG_FUNCTION_INFO_V1(booking_jsonata);

/* the values of one evaluation may take this much memory */
#define JSONATA_MEMORY_LIMIT ((size_t) 256 * 1024 * 1024)

/*
 * Compiled expressions kept for the backend's life, most recently used
 * first. Per call site (fn_extra) is not enough: PL/pgSQL and SPI build a new
 * executor, so new FmgrInfos, every time they run a statement, and a loop
 * running one expression would compile it again on each statement. As
 * PostgreSQL's regular expression cache, a few entries keyed by the text.
 */
#define EXPR_CACHE_SIZE 32

typedef struct CachedExpr
{
	char	   *source;			/* in TopMemoryContext, NUL-terminated */
	int			len;
	jn_expr    *expr;			/* malloc'd by the core */
} CachedExpr;

static CachedExpr expr_cache[EXPR_CACHE_SIZE];
static int	expr_cache_used;

/*
 * The last input and the last bindings converted to the evaluator's values,
 * with the bytes of the argument they came from. A query evaluating several
 * expressions against one row's document, or one expression with the same
 * bindings over many rows, converts it once; a different document costs a
 * length or memcmp check. The evaluations share the values: the core never
 * changes the values given to jn_evaluate_values (test_jsonata_shared checks
 * it over the suite), and nothing it runs can call booking.jsonata() again
 * while it runs.
 */
typedef struct Values
{
	jn_arena	arena;			/* malloc'd chunks */
	jv		   *value;
} Values;

typedef struct CachedDoc
{
	char	   *key;			/* in TopMemoryContext; NULL: none */
	Size		len;
	Values	   *doc;			/* malloc'd */
} CachedDoc;

/* a larger document is converted on each call, not kept for the backend */
#define DOC_CACHE_MAX_BYTES (1024 * 1024)

static CachedDoc input_cache;
static CachedDoc bindings_cache;

/* booking.jsonata_keep_documents: off, each call converts its documents */
static bool keep_documents = true;

void
booking_jsonata_init(void)
{
	DefineCustomBoolVariable("booking.jsonata_keep_documents",
							 "Whether booking.jsonata() keeps the last input and bindings it converted.",
							 "Off, every call converts its documents again, as a query whose rows "
							 "hold different documents does (bench/jsonata.sh measures that way).",
							 &keep_documents,
							 true,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
}

static void
values_free(void *ptr)
{
	Values	   *doc = ptr;

	jn_arena_free(&doc->arena);
	free(doc);
}

/*
 * Argument argno (a jsonb) as values, from cache when its bytes are those
 * converted last. The bytes compared are the argument as passed (compressed
 * or not) unless it is stored out of line, then its detoasted form. A
 * document too large to keep is owned by *owner (released by the caller,
 * or with the memory context on an error).
 */
static jv  *
cached_values(FunctionCallInfo fcinfo, int argno, CachedDoc *cache, BookingOwned **owner)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	struct varlena *keyed = VARATT_IS_EXTERNAL(raw) ? pg_detoast_datum_packed(raw) : raw;
	Size		len = VARSIZE_ANY(keyed);
	Jsonb	   *jb;
	Values	   *doc;
	char	   *key;

	if (keep_documents && cache->key != NULL && cache->len == len && memcmp(cache->key, keyed, len) == 0)
		return cache->doc->value;
	jb = DatumGetJsonbP(PointerGetDatum(keyed));
	if (argno == 2 && !JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bindings must be a JSON object of variable names and values")));
	/* owned first: an error while converting frees what was built */
	*owner = booking_owner(values_free);
	doc = calloc(1, sizeof(Values));
	if (doc == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	(*owner)->ptr = doc;
	doc->arena.limit = JSONATA_MEMORY_LIMIT;
	doc->value = booking_jsonb_to_jv(&doc->arena, jb);
	if (!keep_documents || len > DOC_CACHE_MAX_BYTES)
		return doc->value;
	key = MemoryContextAlloc(TopMemoryContext, len);
	memcpy(key, keyed, len);
	if (cache->key != NULL)
	{
		pfree(cache->key);
		values_free(cache->doc);
	}
	cache->key = key;
	cache->len = len;
	cache->doc = doc;
	(*owner)->ptr = NULL;		/* the cache's now */
	*owner = NULL;
	return doc->value;
}

/*
 * The result's way out of the core: written as jsonb while the evaluation's
 * arena lives. An error raised meanwhile (out of memory, a string jsonb
 * cannot hold) must not unwind through the core, which would leak its
 * arena: it is caught, kept, and raised again once the core has returned.
 */
typedef struct Emit
{
	Jsonb	   *result;
	ErrorData  *error;
	MemoryContext cxt;
} Emit;

static bool
emit_jsonb(void *arg, const jv *r, jv_walk *w)
{
	Emit	   *e = arg;

	PG_TRY();
	{
		e->result = booking_jv_to_jsonb(r, false, w);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(e->cxt);
		e->error = CopyErrorData();
		FlushErrorState();
	}
	PG_END_TRY();
	return e->result != NULL;
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
 * The compiled form of expression, from the backend's cache when the same
 * text was compiled before; a failed compilation is raised, not kept.
 */
static const jn_expr *
compiled_expression(text *expression)
{
	const char *src = VARDATA_ANY(expression);
	int			len = VARSIZE_ANY_EXHDR(expression);
	CachedExpr	entry;
	jn_error	err;
	int			i;

	for (i = 0; i < expr_cache_used; i++)
		if (expr_cache[i].len == len && memcmp(expr_cache[i].source, src, len) == 0)
			break;
	if (i < expr_cache_used)
	{
		entry = expr_cache[i];
		memmove(&expr_cache[1], &expr_cache[0], i * sizeof(CachedExpr));
		expr_cache[0] = entry;
		return entry.expr;
	}

	/* allocated first: an out-of-memory error then leaks no compiled form */
	entry.source = MemoryContextAlloc(TopMemoryContext, len + 1);
	memcpy(entry.source, src, len);
	entry.source[len] = '\0';
	entry.len = len;
	entry.expr = jn_compile(entry.source, len, &err);
	if (entry.expr == NULL)
	{
		pfree(entry.source);
		report(&err);
	}
	if (expr_cache_used == EXPR_CACHE_SIZE)
	{
		expr_cache_used--;
		jn_expr_free(expr_cache[expr_cache_used].expr);
		pfree(expr_cache[expr_cache_used].source);
	}
	memmove(&expr_cache[1], &expr_cache[0], expr_cache_used * sizeof(CachedExpr));
	expr_cache[0] = entry;
	expr_cache_used++;
	return entry.expr;
}

Datum
booking_jsonata(PG_FUNCTION_ARGS)
{
	const jn_expr *expr;
	jv		   *input = NULL;
	jv		   *bindings = NULL;
	BookingOwned *input_owner = NULL;
	BookingOwned *bindings_owner = NULL;
	jn_options	opts;
	jn_error	err;
	bool		undefined;
	int			rc;
	Emit		emit = {0};

	booking_require_arg(fcinfo, 0, "expression");
	expr = compiled_expression(PG_GETARG_TEXT_PP(0));
	if (!PG_ARGISNULL(1))
		input = cached_values(fcinfo, 1, &input_cache, &input_owner);
	if (!PG_ARGISNULL(2))
		bindings = cached_values(fcinfo, 2, &bindings_cache, &bindings_owner);

	memset(&opts, 0, sizeof opts);
	opts.memory_limit = JSONATA_MEMORY_LIMIT;
	opts.cancel = booking_host_interrupted; /* a cancel or termination only */
	emit.cxt = CurrentMemoryContext;
	rc = jn_evaluate_values(expr, input, bindings, &opts, emit_jsonb, &emit, &undefined, &err);
	if (input_owner)
		booking_release(input_owner);
	if (bindings_owner)
		booking_release(bindings_owner);
	if (emit.error)
		ReThrowError(emit.error);
	if (rc != 0)
	{
		/* a cancel or a statement_timeout stopped it: raise that */
		CHECK_FOR_INTERRUPTS();
		report(&err);
	}
	if (undefined)
		PG_RETURN_NULL();
	PG_RETURN_JSONB_P(emit.result);
}

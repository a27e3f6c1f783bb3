/*
 * task_dynamodb.c — arn:aws:states:::dynamodb:getItem / putItem / updateItem
 * / deleteItem on PostgreSQL tables (see task_dynamodb.h).
 *
 * The core (core/ddb_request.h) judges the request; this file finds the
 * table (ddb_table.c), reads the row as an item and writes the item back
 * (ddb_row.c):
 *
 *   getItem     SELECT ... WHERE key = $1, no row lock: a read needs only
 *               SELECT privilege (FOR SHARE would need UPDATE) and sees the
 *               row as of the statement, as DynamoDB's reads see the item.
 *   the writes  SELECT ... FOR UPDATE, so the condition and the update are
 *               judged against the row as it will be written; then
 *               - a row to store that exists: UPDATE of the columns that
 *                 change (UpdateItem: attributes set to a new value, removed
 *                 ones to NULL; PutItem: every column, those absent from the
 *                 item to their DEFAULT, as a new row would have them);
 *                 generated columns are computed: PutItem ignores their
 *                 attributes, UpdateItem can't change them;
 *               - a row to store that doesn't: INSERT ... ON CONFLICT (key)
 *                 DO NOTHING; when another transaction inserted the key
 *                 meanwhile, the request runs again against its row;
 *               - DELETE by key.
 *
 * Table and column names are the catalog's, quoted; values are parameters.
 * Nothing a definition holds becomes SQL text.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rls.h"

#include "jsonc_bridge.h"
#include "core/ddb/ddb_request.h"
#include "core/ddb/ddb_value.h"
#include "ddb_row.h"
#include "ddb_table.h"
#include "spi_plans.h"
#include "task_dynamodb.h"

/* The length of a DynamoDB request id. */
#define REQUEST_ID_LEN 52

/* Runs against a row inserted concurrently at most this often before giving up. */
#define MAX_ATTEMPTS 3

typedef struct Call
{
	DdbTable   *table;
	ddb_request *req;
	Datum	   *key_values;		/* the key, in table->keys' order */
	Oid		   *key_types;
} Call;

/* Parameters of one statement: $1, $2, ... */
typedef struct Params
{
	int			n;
	Datum	   *values;
	Oid		   *types;
	char	   *nulls;
} Params;

/* Room for max query parameters. */
static void
params_init(Params *p, int max)
{
	p->n = 0;
	p->values = palloc(sizeof(Datum) * Max(max, 1));
	p->types = palloc(sizeof(Oid) * Max(max, 1));
	p->nulls = palloc(sizeof(char) * Max(max, 1));
}

/* Adds a parameter; returns its number. */
static int
params_add(Params *p, Oid type, Datum value, bool isnull)
{
	p->values[p->n] = value;
	p->types[p->n] = type;
	p->nulls[p->n] = isnull ? 'n' : ' ';
	return ++p->n;
}

/*
 * Kept plans, by statement text and parameter types: planning a statement
 * costs about as much as running it. The text names the table and columns by
 * the catalog, so a plan can't serve another table; the plan cache replans
 * after DDL and when the role changes under row-level security, and
 * privileges are checked when a plan runs.
 */
#define PLAN_CACHE_SIZE 512

typedef struct PlanEntry
{
	uint64		key;
	char	   *sql;
	int			nargs;
	Oid		   *types;
	SPIPlanPtr	plan;
} PlanEntry;

static HTAB *plan_cache;

/* Frees a cached statement plan and removes it from the cache. */
static void
plan_entry_free(PlanEntry *e)
{
	SPI_freeplan(e->plan);
	pfree(e->sql);
	if (e->types)
		pfree(e->types);
	hash_search(plan_cache, &e->key, HASH_REMOVE, NULL);
}

/*
 * A saved plan for sql with p's parameter types, from the backend's cache
 * (keyed by a hash of both) or prepared now.
 */
static SPIPlanPtr
statement_plan(const char *sql, const Params *p)
{
	size_t		len = strlen(sql);
	uint64		key = hash_bytes_extended((const unsigned char *) sql, (int) len, (uint64) p->n) ^
	hash_bytes_extended((const unsigned char *) p->types, (int) (sizeof(Oid) * p->n), 0);
	PlanEntry  *e;
	char	   *sql_copy;
	Oid		   *types_copy = NULL;
	SPIPlanPtr	plan;

	if (plan_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(PlanEntry);
		ctl.hcxt = CacheMemoryContext;
		plan_cache = hash_create("booking dynamodb plans", PLAN_CACHE_SIZE, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	e = hash_search(plan_cache, &key, HASH_FIND, NULL);
	if (e != NULL)
	{
		if (e->nargs == p->n && strcmp(e->sql, sql) == 0 &&
			memcmp(e->types, p->types, sizeof(Oid) * p->n) == 0)
			return e->plan;
		plan_entry_free(e);		/* a hash collision: the newer statement wins */
	}
	if (hash_get_num_entries(plan_cache) >= PLAN_CACHE_SIZE)
	{
		HASH_SEQ_STATUS seq;

		/*
		 * statements differ by the columns they set: start over rather than
		 * grow
		 */
		hash_seq_init(&seq, plan_cache);
		while ((e = hash_seq_search(&seq)) != NULL)
			plan_entry_free(e);
	}
	sql_copy = MemoryContextStrdup(CacheMemoryContext, sql);
	if (p->n > 0)
	{
		types_copy = MemoryContextAlloc(CacheMemoryContext, sizeof(Oid) * p->n);
		memcpy(types_copy, p->types, sizeof(Oid) * p->n);
	}
	plan = SPI_prepare(sql, p->n, p->types);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for a DynamoDB statement: %s", SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	e = hash_search(plan_cache, &key, HASH_ENTER, NULL);
	e->sql = sql_copy;
	e->nargs = p->n;
	e->types = types_copy;
	e->plan = plan;
	return plan;
}

/* Runs sql with p's parameters through its kept plan. */
static void
run_statement(const char *sql, const Params *p, long tcount, int expected, const char *what)
{
	booking_spi_check(SPI_execute_plan(statement_plan(sql, p), p->values, p->nulls, false, tcount),
					  expected, what);
}

/* " WHERE k1 = $i AND k2 = $j" with the key as parameters. */
static void
append_key_condition(StringInfo sql, Call *call, Params *p)
{
	DdbTable   *t = call->table;
	int			k;

	for (k = 0; k < t->nkeys; k++)
	{
		DdbColumn  *col = &t->columns[t->keys[k]];
		int			n = params_add(p, call->key_types[k], call->key_values[k], false);

		appendStringInfo(sql, "%s%s = $%d", k == 0 ? " WHERE " : " AND ", quote_identifier(col->name), n);
	}
}

/* An errcontext naming the attribute whose value an input function is reading. */
typedef struct AttributeContext
{
	DdbTable   *table;
	const char *name;
} AttributeContext;

/* Error context callback: names the attribute and table being converted. */
static void
attribute_context(void *arg)
{
	AttributeContext *a = arg;

	if (a->name != NULL)
		errcontext("DynamoDB attribute %s of table %s", a->name, a->table->name);
}

/* Converts one attribute, with the errcontext naming it. */
static bool
convert(DdbTable *t, DdbColumn *col, json_object *v, Datum *out, bool *isnull, asl_error *err)
{
	AttributeContext a = {t, col->name};
	ErrorContextCallback cb;
	bool		ok;

	cb.callback = attribute_context;
	cb.arg = &a;
	cb.previous = error_context_stack;
	error_context_stack = &cb;
	ok = ddb_value_to_datum(t, col, v, out, isnull, err);
	error_context_stack = cb.previous;
	return ok;
}

/* The key's values as column values. */
static bool
key_datums(Call *call, asl_error *err)
{
	DdbTable   *t = call->table;
	json_object *key = ddb_request_key(call->req);
	int			k;

	call->key_values = palloc(sizeof(Datum) * t->nkeys);
	call->key_types = palloc(sizeof(Oid) * t->nkeys);
	for (k = 0; k < t->nkeys; k++)
	{
		DdbColumn  *col = &t->columns[t->keys[k]];
		json_object *v = json_object_object_get(key, col->name);
		bool		isnull;

		if (v == NULL)
			elog(ERROR, "the checked key lacks its attribute %s", col->name);
		if (!convert(t, col, v, &call->key_values[k], &isnull, err))
			return false;
		if (isnull)
			elog(ERROR, "a key attribute converted to NULL");
		call->key_types[k] = col->type.typid;
	}
	return true;
}

/* The row with the key, as an item owned by the context; NULL when there is none (or *failed). */
static json_object *
read_item(Call *call, bool lock, bool *failed, asl_error *err)
{
	DdbTable   *t = call->table;
	StringInfoData sql;
	Params		p;
	Datum	   *values;
	bool	   *nulls;
	int			i;

	*failed = false;
	initStringInfo(&sql);
	params_init(&p, t->nkeys);
	appendStringInfoString(&sql, "SELECT ");
	for (i = 0; i < t->ncolumns; i++)
		appendStringInfo(&sql, "%s%s", i > 0 ? ", " : "", quote_identifier(t->columns[i].name));
	appendStringInfo(&sql, " FROM %s", t->qualified);
	append_key_condition(&sql, call, &p);
	if (lock)
		appendStringInfoString(&sql, " FOR UPDATE");
	run_statement(sql.data, &p, 2, SPI_OK_SELECT, "DynamoDB item read");
	if (SPI_processed == 0)
		return NULL;
	if (SPI_processed > 1)
		elog(ERROR, "table %s holds more than one row with one primary key", t->qualified);
	values = palloc(sizeof(Datum) * t->ncolumns);
	nulls = palloc(sizeof(bool) * t->ncolumns);
	for (i = 0; i < t->ncolumns; i++)
		values[i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &nulls[i]);
	{
		json_object *item = ddb_row_to_item(t, values, nulls, err);

		SPI_freetuptable(SPI_tuptable);
		*failed = item == NULL;
		return item;
	}
}

/* Every attribute of the item to store is a column. */
static bool
check_attributes(DdbTable *t, json_object *item, asl_error *err)
{
	json_object_object_foreach(item, name, val)
	{
		(void) val;
		if (ddb_table_column(t, name) == NULL)
		{
			ddb_unknown_attribute(t, name, err);
			return false;
		}
	}
	return true;
}

/* A write that found no row although the row was locked: RLS or a trigger kept it. */
static void
write_suppressed(DdbTable *t, const char *what)
{
	if (check_enable_rls(t->relid, InvalidOid, true) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("row-level security policy for table %s does not allow the item to be %s",
						t->name, what)));
	ereport(ERROR,
			(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
			 errmsg("the item of table %s was not %s: a trigger skipped it", t->name, what)));
}

/*
 * Stores item over the existing row current: PutItem sets every column (those
 * absent from the item to DEFAULT), UpdateItem the columns that change.
 */
static bool
update_row(Call *call, json_object *item, json_object *current, bool replace, asl_error *err)
{
	DdbTable   *t = call->table;
	StringInfoData sql;
	Params		p;
	int			i,
				nset = 0;

	initStringInfo(&sql);
	params_init(&p, t->ncolumns + t->nkeys);
	appendStringInfo(&sql, "UPDATE %s SET ", t->qualified);
	for (i = 0; i < t->ncolumns; i++)
	{
		DdbColumn  *col = &t->columns[i];
		json_object *v = json_object_object_get(item, col->name);
		json_object *old = json_object_object_get(current, col->name);
		const char *sep = nset > 0 ? ", " : "";
		Datum		d;
		bool		isnull;

		if (col->is_key)
			continue;
		if (replace)
		{
			if (col->generated)
				continue;		/* computed from the others, whatever the item
								 * says */
		}
		else if (v == NULL ? old == NULL : (old != NULL && ddb_value_equal(v, old)))
			continue;			/* unchanged */
		if (col->generated)
		{
			ddb_generated_attribute(t, col, err);
			return false;
		}
		if (v == NULL)
			appendStringInfo(&sql, "%s%s = %s", sep, quote_identifier(col->name), replace ? "DEFAULT" : "NULL");
		else
		{
			if (!convert(t, col, v, &d, &isnull, err))
				return false;
			appendStringInfo(&sql, "%s%s = $%d", sep, quote_identifier(col->name),
							 params_add(&p, col->type.typid, d, isnull));
		}
		nset++;
	}
	if (nset == 0)
		return true;			/* nothing changes */
	append_key_condition(&sql, call, &p);
	run_statement(sql.data, &p, 0, SPI_OK_UPDATE, "DynamoDB item update");
	if (SPI_processed != 1)
		write_suppressed(t, "updated");
	return true;
}

/*
 * Inserts item as a new row; *inserted false when a row with its key appeared
 * meanwhile. PutItem ignores generated columns (as it does replacing a row).
 */
static bool
insert_row(Call *call, json_object *item, bool replace, bool *inserted, asl_error *err)
{
	DdbTable   *t = call->table;
	StringInfoData sql;
	StringInfoData vals;
	Params		p;
	int			i,
				k;

	initStringInfo(&sql);
	initStringInfo(&vals);
	params_init(&p, t->ncolumns);
	appendStringInfo(&sql, "INSERT INTO %s (", t->qualified);
	for (i = 0; i < t->ncolumns; i++)
	{
		DdbColumn  *col = &t->columns[i];
		json_object *v = json_object_object_get(item, col->name);
		Datum		d;
		bool		isnull;
		int			n;

		if (v == NULL || (col->generated && replace))
			continue;			/* DEFAULT */
		if (col->generated)
		{
			ddb_generated_attribute(t, col, err);
			return false;
		}
		if (!convert(t, col, v, &d, &isnull, err))
			return false;
		n = params_add(&p, col->type.typid, d, isnull);
		appendStringInfo(&sql, "%s%s", n > 1 ? ", " : "", quote_identifier(col->name));
		appendStringInfo(&vals, "%s$%d", n > 1 ? ", " : "", n);
	}
	appendStringInfo(&sql, ") VALUES (%s) ON CONFLICT (", vals.data);
	for (k = 0; k < t->nkeys; k++)
		appendStringInfo(&sql, "%s%s", k > 0 ? ", " : "", quote_identifier(t->columns[t->keys[k]].name));
	appendStringInfoString(&sql, ") DO NOTHING");
	run_statement(sql.data, &p, 0, SPI_OK_INSERT, "DynamoDB item insert");
	*inserted = SPI_processed == 1;
	return true;
}

/* DeleteItem: deletes the row of the request's key. */
static void
delete_row(Call *call)
{
	StringInfoData sql;
	Params		p;

	initStringInfo(&sql);
	params_init(&p, call->table->nkeys);
	appendStringInfo(&sql, "DELETE FROM %s", call->table->qualified);
	append_key_condition(&sql, call, &p);
	run_statement(sql.data, &p, 0, SPI_OK_DELETE, "DynamoDB item delete");
	if (SPI_processed != 1)
		write_suppressed(call->table, "deleted");
}

/* Release callback of a DynamoDB request owned by a memory context. */
static void
request_free(void *ptr)
{
	ddb_request_free((ddb_request *) ptr);
}

/* Release callback of a DynamoDB result owned by a memory context. */
static void
result_free(void *ptr)
{
	ddb_result_release((ddb_result *) ptr);
}

/*
 * Reads, judges, writes; inside SPI. Returns the response (a new reference)
 * or NULL with err set.
 */
static json_object *
run_request(Call *call, ddb_operation op, asl_error *err)
{
	int			attempt;

	for (attempt = 1;; attempt++)
	{
		bool		failed;
		json_object *current = read_item(call, op != DDB_GET_ITEM, &failed, err);
		BookingOwned *owner;
		ddb_result *res;
		bool		inserted = true;
		json_object *response;

		if (failed)
			return NULL;
		res = palloc0(sizeof(ddb_result));
		owner = booking_owner(result_free);
		owner->ptr = res;
		if (ddb_request_execute(call->req, current, res, err) != 0)
			return NULL;
		switch (res->write)
		{
			case DDB_WRITE_NONE:
				break;
			case DDB_WRITE_DELETE:
				delete_row(call);
				break;
			case DDB_WRITE_PUT:
				if (res->new_item == NULL || !check_attributes(call->table, res->new_item, err))
				{
					if (res->new_item == NULL)
						asl_error_set(err, DDB_ERR_VALIDATION, "out of memory");
					return NULL;
				}
				if (current != NULL)
				{
					if (!update_row(call, res->new_item, current, op == DDB_PUT_ITEM, err))
						return NULL;
				}
				else if (!insert_row(call, res->new_item, op == DDB_PUT_ITEM, &inserted, err))
					return NULL;
				break;
		}
		if (!inserted)
		{
			/*
			 * another transaction inserted the key since we looked: judge
			 * against its row
			 */
			booking_release(owner);
			if (attempt == MAX_ATTEMPTS)
				write_suppressed(call->table, "inserted");
			continue;
		}
		response = res->response;
		res->response = NULL;
		return response;
	}
}

/* A DynamoDB request id: 52 characters of [A-Z0-9], random as DynamoDB's are. */
static void
new_request_id(char *buf)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	uint8		bytes[REQUEST_ID_LEN];

	if (!pg_strong_random(bytes, sizeof(bytes)))
		memset(bytes, 0, sizeof(bytes));
	for (int i = 0; i < REQUEST_ID_LEN; i++)
		buf[i] = alphabet[bytes[i] % (sizeof(alphabet) - 1)];
	buf[REQUEST_ID_LEN] = '\0';
}

/*
 * DynamoDB's refusal as Step Functions reports it: the message with the AWS
 * SDK's suffix, "(Service: AmazonDynamoDBv2; Status Code: 400; Error Code:
 * ValidationException; Request ID: …; Proxy: null)". Every refusal here is a
 * client error (400); a ValidationException is named
 * DynamoDB.AmazonDynamoDBException, the others after their code.
 */
static void
add_sdk_suffix(asl_error *err)
{
	const char *code;
	char		request_id[REQUEST_ID_LEN + 1];
	char	   *cause;

	if (err->name == NULL || strncmp(err->name, "DynamoDB.", 9) != 0)
		return;
	code = strcmp(err->name, DDB_ERR_VALIDATION) == 0 ? "ValidationException" : err->name + 9;
	new_request_id(request_id);
	if (asprintf(&cause, "%s (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: %s; Request ID: %s; Proxy: null)",
				 err->cause ? err->cause : "", code, request_id) < 0)
		return;					/* out of memory: the message alone */
	free(err->cause);
	err->cause = cause;
}

bool
booking_task_dynamodb(const char *action, json_object *params, json_object **output, asl_error *err)
{
	MemoryContext cxt;
	MemoryContext old;
	ddb_operation op;
	const char *name;
	BookingOwned *owner;
	Call		call;
	json_object *response = NULL;

	*output = NULL;
	if (!ddb_operation_parse(action, &op))
	{
		asl_error_set(err, DDB_ERR_VALIDATION, "Unsupported DynamoDB operation: %s", action ? action : "(none)");
		return false;
	}

	/*
	 * the subtransaction's: an ERROR deletes it, and with it every json-c
	 * value owned here
	 */
	cxt = AllocSetContextCreate(CurTransactionContext, "booking dynamodb task", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);

	memset(&call, 0, sizeof(call));
	name = ddb_request_table_name(params, err);
	if (name != NULL && ddb_request_check_shape(op, params, err))
		call.table = ddb_table_open(name, err);
	if (call.table != NULL)
	{
		owner = booking_owner(request_free);
		call.req = ddb_request_prepare(op, params, call.table->key_names, (size_t) call.table->nkeys, err);
		owner->ptr = call.req;
	}
	if (call.req != NULL && key_datums(&call, err))
	{
		SPI_connect();
		MemoryContextSwitchTo(cxt);
		response = run_request(&call, op, err);
		SPI_finish();
	}

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	*output = response;
	if (response == NULL)
		add_sdk_suffix(err);
	return response != NULL;
}

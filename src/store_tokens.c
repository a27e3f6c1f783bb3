/*
 * store_tokens.c — task tokens and activities in tables. See store_tokens.h.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/base64.h"
#include "executor/spi.h"
#include "port.h"
#include "utils/builtins.h"

#include "spi_columns.h"
#include "spi_plans.h"
#include "store_tokens.h"

#define TOKEN_PREFIX "bk1."
#define TOKEN_RANDOM_BYTES 32
#define TOKEN_COLUMNS "token, execution_id, state, status, activity_id, heartbeat_seconds, " \
	"heartbeat_at, timeout_at"

static SPIPlanPtr plan_insert;
static SPIPlanPtr plan_load;
static SPIPlanPtr plan_load_lock;
static SPIPlanPtr plan_open_of;
static SPIPlanPtr plan_status;
static SPIPlanPtr plan_beat;
static SPIPlanPtr plan_close_all;
static SPIPlanPtr plan_claim;
static SPIPlanPtr plan_activity_find;
static SPIPlanPtr plan_activity_create;
static SPIPlanPtr plan_activity_delete;

char	   *
store_token_new(void)
{
	uint8		bytes[TOKEN_RANDOM_BYTES];
	char	   *token = palloc(strlen(TOKEN_PREFIX) + pg_b64_enc_len(TOKEN_RANDOM_BYTES) + 1);
	int			len;

	if (!pg_strong_random(bytes, sizeof(bytes)))
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not generate a task token")));
	strcpy(token, TOKEN_PREFIX);
	len = pg_b64_encode((const char *) bytes, sizeof(bytes), token + strlen(TOKEN_PREFIX),
						pg_b64_enc_len(TOKEN_RANDOM_BYTES));
	token[strlen(TOKEN_PREFIX) + len] = '\0';
	/* URL-safe, no padding: a token travels in URLs and JSON unescaped */
	for (char *c = token; *c; c++)
	{
		if (*c == '+')
			*c = '-';
		else if (*c == '/')
			*c = '_';
		else if (*c == '=')
		{
			*c = '\0';
			break;
		}
	}
	return token;
}

bool
store_token_well_formed(const char *token)
{
	size_t		prefix = strlen(TOKEN_PREFIX);
	size_t		len = strlen(token);

	if (len != prefix + 43 || strncmp(token, TOKEN_PREFIX, prefix) != 0)
		return false;
	for (const char *c = token + prefix; *c; c++)
		if (!(isalnum((unsigned char) *c) || *c == '-' || *c == '_'))
			return false;
	return true;
}

void
store_token_insert(const TokenRow *row, Jsonb *activity_input)
{
	Oid			types[8] = {TEXTOID, INT8OID, TEXTOID, INT8OID, JSONBOID, INT4OID,
	TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		values[8];
	char		nulls[8] = "        ";

	values[0] = CStringGetTextDatum(row->token);
	values[1] = Int64GetDatum(row->execution_id);
	values[2] = CStringGetTextDatum(row->state);
	values[3] = Int64GetDatum(row->activity_id);
	nulls[3] = row->activity_id != 0 ? ' ' : 'n';
	values[4] = activity_input ? JsonbPGetDatum(activity_input) : (Datum) 0;
	nulls[4] = activity_input ? ' ' : 'n';
	values[5] = Int32GetDatum(row->heartbeat_seconds);
	nulls[5] = row->heartbeat_seconds > 0 ? ' ' : 'n';
	values[6] = TimestampTzGetDatum(row->heartbeat_at);
	nulls[6] = row->heartbeat_at != 0 ? ' ' : 'n';
	values[7] = TimestampTzGetDatum(row->timeout_at);
	nulls[7] = row->timeout_at != 0 ? ' ' : 'n';
	/* the execution's shard key goes with it (docs/scale-out.md) */
	if (booking_exec_plan(&plan_insert,
						  "INSERT INTO booking.task_tokens (token, execution_id, state, "
						  "activity_id, input, heartbeat_seconds, heartbeat_at, timeout_at, shard_key) "
						  "SELECT $1, $2, $3, $4, $5, $6, $7, $8, e.shard_key "
						  "FROM booking.executions e WHERE e.id = $2",
						  8, types, values, nulls, SPI_OK_INSERT, "task token insert") != 1)
		elog(ERROR, "task token of execution %lld has no execution row", (long long) row->execution_id);
}

/* Row 0 of SPI_tuptable (TOKEN_COLUMNS first), copied into the caller's context. */
static void
read_token_row(MemoryContext caller, TokenRow *out)
{
	HeapTuple	tup = SPI_tuptable->vals[0];
	TupleDesc	desc = SPI_tuptable->tupdesc;
	MemoryContext old = MemoryContextSwitchTo(caller);

	memset(out, 0, sizeof(*out));
	out->token = spi_col_text(tup, desc, 1);
	out->execution_id = spi_col_int8(tup, desc, 2, 0);
	out->state = spi_col_text(tup, desc, 3);
	out->status = spi_col_text(tup, desc, 4);
	out->activity_id = spi_col_int8(tup, desc, 5, 0);
	out->heartbeat_seconds = spi_col_int4(tup, desc, 6, 0);
	out->heartbeat_at = spi_col_timestamptz(tup, desc, 7);
	out->timeout_at = spi_col_timestamptz(tup, desc, 8);
	MemoryContextSwitchTo(old);
}

/* Runs a plan returning TOKEN_COLUMNS; reads row 0 into out. */
static bool
load_one(SPIPlanPtr plan, Datum *values, TokenRow *out)
{
	MemoryContext caller = CurrentMemoryContext;
	bool		found;

	booking_spi_check(SPI_execute_plan(plan, values, NULL, false, 1), SPI_OK_SELECT, "task token load");
	found = SPI_processed == 1;
	if (found)
		read_token_row(caller, out);
	return found;
}

bool
store_token_load(const char *token, bool lock, TokenRow *out)
{
	Oid			type = TEXTOID;
	Datum		value = CStringGetTextDatum(token);
	bool		found;

	SPI_connect();
	found = load_one(lock
					 ? booking_plan(&plan_load_lock, "SELECT " TOKEN_COLUMNS " FROM booking.task_tokens "
									"WHERE token = $1 FOR UPDATE", 1, &type)
					 : booking_plan(&plan_load, "SELECT " TOKEN_COLUMNS " FROM booking.task_tokens "
									"WHERE token = $1", 1, &type),
					 &value, out);
	SPI_finish();
	return found;
}

bool
store_token_open_of(int64 execution_id, TokenRow *out)
{
	Oid			type = INT8OID;
	Datum		value = Int64GetDatum(execution_id);
	bool		found;

	SPI_connect();
	found = load_one(booking_plan(&plan_open_of, "SELECT " TOKEN_COLUMNS " FROM booking.task_tokens "
								  "WHERE execution_id = $1 AND status = 'open' "
								  "ORDER BY created DESC LIMIT 1 FOR UPDATE", 1, &type),
					 &value, out);
	SPI_finish();
	return found;
}

void
store_token_set_status(const char *token, const char *status)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2] = {CStringGetTextDatum(token), CStringGetTextDatum(status)};

	(void) booking_exec_plan(&plan_status, "UPDATE booking.task_tokens SET status = $2 WHERE token = $1",
							 2, types, values, NULL, SPI_OK_UPDATE, "task token status");
}

void
store_token_beat(const char *token, TimestampTz now)
{
	Oid			types[2] = {TEXTOID, TIMESTAMPTZOID};
	Datum		values[2] = {CStringGetTextDatum(token), TimestampTzGetDatum(now)};

	(void) booking_exec_plan(&plan_beat, "UPDATE booking.task_tokens SET heartbeat_at = $2 WHERE token = $1",
							 2, types, values, NULL, SPI_OK_UPDATE, "task heartbeat");
}

void
store_token_close_all(int64 execution_id)
{
	Oid			type = INT8OID;
	Datum		value = Int64GetDatum(execution_id);

	(void) booking_exec_plan(&plan_close_all, "UPDATE booking.task_tokens SET status = 'closed' "
							 "WHERE execution_id = $1 AND status = 'open'",
							 1, &type, &value, NULL, SPI_OK_UPDATE, "task tokens close");
}

bool
store_token_claim(int64 activity_id, const char *worker, TimestampTz now, TokenRow *out, Jsonb **input)
{
	MemoryContext caller = CurrentMemoryContext;
	Oid			types[3] = {INT8OID, TEXTOID, TIMESTAMPTZOID};
	Datum		values[3] = {Int64GetDatum(activity_id), worker ? CStringGetTextDatum(worker) : (Datum) 0,
	TimestampTzGetDatum(now)};
	char		nulls[3] = {' ', worker ? ' ' : 'n', ' '};
	bool		found;

	SPI_connect();

	/*
	 * SKIP LOCKED on both rows: a claim never waits, so it can't deadlock
	 * whatever the order
	 */
	booking_spi_check(SPI_execute_plan(booking_plan(&plan_claim,
													"WITH next AS ("
													" SELECT t.token FROM booking.task_tokens t"
													" JOIN booking.executions e ON e.id = t.execution_id AND e.status = 'RUNNING'"
													" WHERE t.activity_id = $1 AND t.status = 'open' AND t.claimed_at IS NULL"
													" ORDER BY t.created LIMIT 1 FOR UPDATE OF t, e SKIP LOCKED)"
													" UPDATE booking.task_tokens t SET claimed_at = $3, heartbeat_at = $3,"
													" worker_name = $2 FROM next WHERE t.token = next.token"
													" RETURNING t.token, t.execution_id, t.state, t.status, t.activity_id,"
													" t.heartbeat_seconds, t.heartbeat_at, t.timeout_at, t.input",
													3, types),
									   values, nulls, false, 1),
					  SPI_OK_UPDATE_RETURNING, "activity task claim");
	found = SPI_processed == 1;
	if (found)
	{
		MemoryContext old;

		read_token_row(caller, out);
		old = MemoryContextSwitchTo(caller);
		*input = spi_col_jsonb(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 9);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return found;
}

TimestampTz
store_token_deadline(const TokenRow *row)
{
	TimestampTz due = row->timeout_at;

	if (row->heartbeat_seconds > 0 && row->heartbeat_at != 0)
	{
		TimestampTz beat = row->heartbeat_at + (TimestampTz) row->heartbeat_seconds * USECS_PER_SEC;

		if (due == 0 || beat < due)
			due = beat;
	}
	return due;
}

int64
store_activity_find(const char *name)
{
	Oid			type = TEXTOID;
	Datum		value = CStringGetTextDatum(name);

	return booking_exec_plan_int8(&plan_activity_find, "SELECT id FROM booking.activities WHERE name = $1",
								  1, &type, &value, SPI_OK_SELECT, "activity lookup");
}

char	   *
store_activity_create(const char *name, const char *arn, Oid owner)
{
	Oid			types[3] = {TEXTOID, TEXTOID, OIDOID};
	Datum		values[3] = {CStringGetTextDatum(name), CStringGetTextDatum(arn), ObjectIdGetDatum(owner)};

	/* CreateActivity is idempotent: an existing activity's ARN comes back */
	(void) booking_exec_plan(&plan_activity_create, "INSERT INTO booking.activities (name, arn, owner) "
							 "VALUES ($1, $2, $3::regrole) ON CONFLICT (name) DO NOTHING",
							 3, types, values, NULL, SPI_OK_INSERT, "activity insert");
	return pstrdup(arn);
}

bool
store_activity_delete(const char *name)
{
	Oid			type = TEXTOID;
	Datum		value = CStringGetTextDatum(name);

	return booking_exec_plan(&plan_activity_delete, "DELETE FROM booking.activities WHERE name = $1",
							 1, &type, &value, NULL, SPI_OK_DELETE, "activity delete") > 0;
}

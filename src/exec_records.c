/*
 * exec_records.c — execution origins (version or alias ARN of a start) and
 * RedriveExecution client tokens; see exec_records.h.
 *
 * AWS answers a repeated RedriveExecution clientToken with the first
 * redrive for 15 minutes and keeps an execution's last 10 tokens; booking
 * keeps the same window.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "booking.h"
#include "exec_records.h"
#include "spi_columns.h"
#include "spi_plans.h"

#define REDRIVE_TOKEN_WINDOW_US (15 * 60 * USECS_PER_SEC)
#define REDRIVE_TOKENS_KEPT 10
#define CLIENT_TOKEN_MAX 64

void
booking_origin_record(int64 machine_id, const char *execution_name, int published_version,
					  const char *alias)
{
	Oid			types[4] = {INT8OID, TEXTOID, INT4OID, TEXTOID};
	Datum		values[4] = {Int64GetDatum(machine_id), CStringGetTextDatum(execution_name),
	Int32GetDatum(published_version), alias ? CStringGetTextDatum(alias) : (Datum) 0};
	char		nulls[4] = {' ', ' ', ' ', alias ? ' ' : 'n'};

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("INSERT INTO booking.execution_origins "
											"(machine_id, execution_name, published_version, alias) "
											"VALUES ($1, $2, $3, $4) ON CONFLICT (machine_id, execution_name) "
											"DO UPDATE SET published_version = EXCLUDED.published_version, "
											"alias = EXCLUDED.alias, shard_key = EXCLUDED.shard_key",
											4, types, values, nulls, false, 0),
					  SPI_OK_INSERT, "execution origin");
	SPI_finish();
}

bool
booking_origin_lookup(int64 machine_id, const char *execution_name, int *published_version, char **alias)
{
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2] = {Int64GetDatum(machine_id), CStringGetTextDatum(execution_name)};
	MemoryContext caller = CurrentMemoryContext;
	bool		found;

	*published_version = 0;
	*alias = NULL;
	SPI_connect();
	booking_spi_check(SPI_execute_with_args("SELECT published_version, alias FROM booking.execution_origins "
											"WHERE machine_id = $1 AND execution_name = $2",
											2, types, values, NULL, true, 1),
					  SPI_OK_SELECT, "execution origin");
	found = SPI_processed == 1;
	if (found)
	{
		MemoryContext old = MemoryContextSwitchTo(caller);

		*published_version = spi_col_int4(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
		*alias = spi_col_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return found;
}

void
booking_check_client_token(const char *token)
{
	size_t		len = strlen(token);

	if (len < 1 || len > CLIENT_TOKEN_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ValidationException: clientToken must be 1 to %d characters long", CLIENT_TOKEN_MAX)));
	for (const char *c = token; *c; c++)
		if (*c < '!' || *c > '~')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ValidationException: clientToken must be printable ASCII without spaces ('!' to '~')")));
}

TimestampTz
booking_redrive_token_find(int64 execution_id, const char *token)
{
	Oid			types[3] = {INT8OID, TEXTOID, TIMESTAMPTZOID};
	Datum		values[3] = {Int64GetDatum(execution_id), CStringGetTextDatum(token),
	TimestampTzGetDatum(GetCurrentTimestamp() - REDRIVE_TOKEN_WINDOW_US)};
	TimestampTz found = 0;

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("SELECT redrive_date FROM booking.redrive_tokens "
											"WHERE execution_id = $1 AND client_token = $2 AND redrive_date > $3",
											3, types, values, NULL, true, 1),
					  SPI_OK_SELECT, "redrive token");
	if (SPI_processed == 1)
		found = spi_col_timestamptz(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	SPI_finish();
	return found;
}

void
booking_redrive_token_keep(int64 execution_id, const char *token, TimestampTz redrive_date)
{
	Oid			types[5] = {INT8OID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT4OID};
	Datum		values[5] = {Int64GetDatum(execution_id), CStringGetTextDatum(token),
		TimestampTzGetDatum(redrive_date), TimestampTzGetDatum(redrive_date - REDRIVE_TOKEN_WINDOW_US),
	Int32GetDatum(REDRIVE_TOKENS_KEPT)};

	SPI_connect();
	/* the shard key read from the execution: redrives are rare */
	booking_spi_check(SPI_execute_with_args("INSERT INTO booking.redrive_tokens (execution_id, client_token, redrive_date, shard_key) "
											"SELECT $1, $2, $3, e.shard_key FROM booking.executions e WHERE e.id = $1 "
											"ON CONFLICT (execution_id, client_token) "
											"DO UPDATE SET redrive_date = EXCLUDED.redrive_date",
											3, types, values, NULL, false, 0),
					  SPI_OK_INSERT, "redrive token");
	booking_spi_check(SPI_execute_with_args("DELETE FROM booking.redrive_tokens t WHERE t.execution_id = $1 "
											"AND (t.redrive_date <= $4 OR t.client_token NOT IN "
											"(SELECT k.client_token FROM booking.redrive_tokens k WHERE k.execution_id = $1 "
											"ORDER BY k.redrive_date DESC LIMIT $5))",
											5, types, values, NULL, false, 0),
					  SPI_OK_DELETE, "redrive tokens");
	SPI_finish();
}

/*
 * retention.c — booking.purge_executions(max): deletes up to max top-level
 * executions that ended more than booking.execution_retention ago, oldest
 * first. The executions_cascade trigger takes their Map/Parallel children,
 * history and task tokens with them, a statement at a time. Rows another
 * transaction holds are skipped (SKIP LOCKED): a purge never waits for a
 * tick, a tick never waits for a purge.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/timestamp.h"

#include "retention.h"
#include "spi_plans.h"
#include "standby.h"

int			booking_execution_retention = 90 * 24 * 60;
int			booking_retention_batch_size = 500;

static SPIPlanPtr plan_purge;

PG_FUNCTION_INFO_V1(booking_purge_executions);

Datum
booking_purge_executions(PG_FUNCTION_ARGS)
{
	int			max = PG_ARGISNULL(0) ? booking_retention_batch_size : PG_GETARG_INT32(0);
	Oid			types[2] = {TIMESTAMPTZOID, INT4OID};
	Datum		values[2];

	if (max < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_executions must be at least 1, not %d", max)));
	booking_require_primary("purge_executions");
	if (booking_execution_retention < 0)
		PG_RETURN_INT32(0);
	values[0] = TimestampTzGetDatum(TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
																-(int64) booking_execution_retention * 60 * 1000));
	values[1] = Int32GetDatum(max);
	PG_RETURN_INT32((int32) booking_exec_plan(&plan_purge,
											  "WITH doomed AS ("
											  " SELECT id FROM booking.executions"
											  " WHERE parent_id IS NULL AND status <> 'RUNNING' AND stop_date < $1"
											  " ORDER BY stop_date LIMIT $2 FOR UPDATE SKIP LOCKED) "
											  "DELETE FROM booking.executions e USING doomed WHERE e.id = doomed.id",
											  2, types, values, NULL, SPI_OK_DELETE, "execution purge"));
}

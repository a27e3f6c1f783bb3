/*
 * shard_key.c — booking.shard_key: the shard key a new top-level execution
 * carries (the default of executions.shard_key); its Map/Parallel children,
 * history rows and task tokens copy their execution's. On one machine it is
 * only a column; on Citus it is the distribution column that puts an
 * execution on the node of the application rows it works on
 * (docs/scale-out.md).
 */
#include "postgres.h"

#include "utils/guc.h"

#include "shard_key.h"

static char *booking_shard_key = NULL;

void
booking_shard_key_init(void)
{
	DefineCustomStringVariable("booking.shard_key",
							   "Shard key of the executions this session starts.",
							   "Set it (SET LOCAL, or set_config in the function that starts the "
							   "execution) to the distribution value of the application rows the "
							   "execution works on; children, history and task tokens take their "
							   "execution's. Empty: no shard key (one machine).",
							   &booking_shard_key,
							   "",
							   PGC_USERSET, 0,
							   NULL, NULL, NULL);
}

/*
 * standby.c — see standby.h.
 */
#include "postgres.h"

#include "access/xlog.h"

#include "standby.h"

void
booking_require_primary(const char *action)
{
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("%s: this server is a hot standby (in recovery), it cannot run booking's writes", action),
				 errhint("Start, stop, answer and change workflows on the primary; describe, list and history work here.")));
}

/*
 * express.c — what an EXPRESS state machine cannot run. Express executions
 * are not durable, so AWS refuses, when a machine is created or validated as
 * EXPRESS, the integrations that wait for the outside world: .sync and
 * .waitForTaskToken, and activity tasks.
 */
#include <stdlib.h>

#include "definition.h"
#include "diag.h"

void
asl_check_express(const asl_machine *machine, asl_diags *diags)
{
	for (size_t i = 0; i < machine->n_all; i++)
	{
		const asl_state *st = machine->by_name[i];
		const char *what = NULL;
		char	   *where;

		if (st->type != ASL_STATE_TASK)
			continue;
		if (st->resource.kind == ASL_RES_ACTIVITY)
			what = "Activity ARN";
		else if (st->resource.pattern == ASL_PATTERN_SYNC)
			what = "'.sync' service integration";
		else if (st->resource.pattern == ASL_PATTERN_WAIT_FOR_TOKEN)
			what = "'.waitForTaskToken' service integration";
		if (what == NULL)
			continue;
		where = asl_pointer_join(st->pointer, "Resource");
		asl_diag_add(diags, ASL_SEV_ERROR, "SCHEMA_VALIDATION_FAILED", where ? where : st->pointer,
					 "Express state machine does not support %s", what);
		free(where);
	}
}

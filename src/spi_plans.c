/*
 * spi_plans.c — SPI plans prepared once per backend.
 */
#include "postgres.h"

#include "spi_plans.h"

SPIPlanPtr
booking_plan(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *argtypes)
{
	if (*slot == NULL)
	{
		/*
		 * Generic plans: these statements look rows up by key, so a custom
		 * plan per call would only add planning to every start and tick.
		 */
		SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, (Oid *) argtypes,
											  CURSOR_OPT_GENERIC_PLAN);

		if (plan == NULL)
			elog(ERROR, "booking: could not prepare \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "booking: could not keep the plan for \"%s\"", sql);
		*slot = plan;
	}
	return *slot;
}

void
booking_spi_check(int rc, int expected, const char *what)
{
	if (rc != expected)
		elog(ERROR, "booking: %s failed: %s", what, SPI_result_code_string(rc));
}

/*
 * spi_plans.c — SPI plans prepared once per backend.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "executor/spi_priv.h"
#include "utils/guc.h"
#include "utils/plancache.h"
#include "utils/resowner.h"

#include "spi_plans.h"
#include "store_writeback.h"

/*
 * True when the next execution of plan would plan it again: new, invalidated
 * (an ANALYZE, DDL) or kept under another search_path. The checks are those
 * of GetCachedPlan, read without doing its work.
 */
static bool
plan_needs_planning(SPIPlanPtr plan)
{
	CachedPlanSource *source;

	if (list_length(plan->plancache_list) != 1)
		return false;
	source = (CachedPlanSource *) linitial(plan->plancache_list);
	return !source->is_valid || source->gplan == NULL || !source->gplan->is_valid ||
		(source->search_path != NULL && !OverrideSearchPathMatchesCurrent(source->search_path));
}

/*
 * Plans the statement now, with sequential scans off. Every kept plan looks
 * rows up by key; planned from the statistics of the moment, the first
 * start after a TRUNCATE or a fresh install (an empty table: a sequential
 * scan is cheapest) would keep a sequential scan until the next ANALYZE,
 * and each call would then read the whole growing table (and the MultiXacts
 * of every row a timer worker has locked): 20,000 starts took 56 s instead
 * of 1. Only the planning runs under these settings: the statement itself
 * (and any user function it calls) runs under the caller's.
 */
static void
plan_by_key(SPIPlanPtr plan)
{
	int			nest_level = NewGUCNestLevel();
	CachedPlan *cplan;

	(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	cplan = SPI_plan_get_cached_plan(plan);
	if (cplan != NULL)
		ReleaseCachedPlan(cplan, CurrentResourceOwner);
	AtEOXact_GUC(true, nest_level);
}

SPIPlanPtr
booking_plan(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *argtypes)
{
	/*
	 * Whatever this statement reads, the saves a tick's batch kept for its
	 * end are written first: none of booking's statements reads a row stale.
	 */
	if (store_writeback_unwritten > 0)
		store_writeback_flush();
	if (*slot == NULL)
	{
		/*
		 * Generic plans: these statements look rows up by key, so a custom
		 * plan per call would only add planning to every start and tick.
		 */
		SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, (Oid *) argtypes,
											  CURSOR_OPT_GENERIC_PLAN);

		if (plan == NULL)
			elog(ERROR, "could not prepare \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "could not keep the plan for \"%s\"", sql);
		*slot = plan;
	}
	if (plan_needs_planning(*slot))
		plan_by_key(*slot);
	return *slot;
}

void
booking_spi_check(int rc, int expected, const char *what)
{
	if (rc != expected)
		elog(ERROR, "%s failed: %s", what, SPI_result_code_string(rc));
}

uint64
booking_exec_plan(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *argtypes,
				  Datum *values, const char *nulls, int expected, const char *what)
{
	uint64		n;

	SPI_connect();
	booking_spi_check(SPI_execute_plan(booking_plan(slot, sql, nargs, argtypes), values, nulls, false, 0),
					  expected, what);
	n = SPI_processed;
	SPI_finish();
	return n;
}

int64
booking_exec_plan_int8(SPIPlanPtr *slot, const char *sql, int nargs, const Oid *argtypes,
					   Datum *values, int expected, const char *what)
{
	int64		result = 0;

	SPI_connect();
	booking_spi_check(SPI_execute_plan(booking_plan(slot, sql, nargs, argtypes), values, NULL, false, 1),
					  expected, what);
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			result = DatumGetInt64(d);
	}
	SPI_finish();
	return result;
}

int
booking_due_plan_settings_push(void)
{
	int			nest_level = NewGUCNestLevel();

	(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("enable_bitmapscan", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("enable_sort", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("enable_indexscan", "on", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nest_level;
}

void
booking_due_plan_settings_pop(int nest_level)
{
	AtEOXact_GUC(true, nest_level);
}

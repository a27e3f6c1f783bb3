/*
 * api_memory.c — booking_backend_memory(): what this backend holds, so tests
 * and monitoring can see that errors leak nothing.
 */
#include "postgres.h"

#include <malloc.h>

#include "fmgr.h"
#include "funcapi.h"
#include "utils/memutils.h"

#include "machine_cache.h"

PG_FUNCTION_INFO_V1(booking_backend_memory);

Datum
booking_backend_memory(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	struct mallinfo2 mi = mallinfo2();

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "booking_backend_memory must return a record");
	desc = BlessTupleDesc(desc);
	values[0] = Int32GetDatum(booking_machine_cache_count());
	values[1] = Int64GetDatum((int64) MemoryContextMemAllocated(TopMemoryContext, true));
	/* json-c and the core allocate with malloc: count what is in use there */
	values[2] = Int64GetDatum((int64) (mi.uordblks + mi.hblkhd));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

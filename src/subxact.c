/*
 * subxact.c — work in its own subtransaction. See subxact.h.
 */
#include "postgres.h"

#include "access/xact.h"
#include "storage/proc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "subxact.h"

ErrorData  *
booking_subxact(SubxactBody body, void *arg, bool *kept)
{
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	ErrorData  *volatile edata = NULL;	/* set after the longjmp */

	*kept = false;
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		if (body(arg))
		{
			ReleaseCurrentSubTransaction();
			*kept = true;
		}
		else
			RollbackAndReleaseCurrentSubTransaction();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();

		/*
		 * also restores the user, the GUC values and the locks of before the
		 * work
		 */
		RollbackAndReleaseCurrentSubTransaction();
	}
	PG_END_TRY();
	MemoryContextSwitchTo(caller);
	CurrentResourceOwner = owner;
	return edata;
}

bool
booking_error_concerns_transaction(int sqlerrcode)
{
	switch (ERRCODE_TO_CATEGORY(sqlerrcode))
	{
		case ERRCODE_TRANSACTION_ROLLBACK:
		case ERRCODE_INSUFFICIENT_RESOURCES:
		case ERRCODE_OPERATOR_INTERVENTION:
		case ERRCODE_SYSTEM_ERROR:
			return true;
		default:
			return sqlerrcode == ERRCODE_DATA_CORRUPTED || sqlerrcode == ERRCODE_INDEX_CORRUPTED;
	}
}

int
booking_subxid_room(void)
{
	if (MyProc->subxidStatus.overflowed)
		return 0;
	return PGPROC_MAX_CACHED_SUBXIDS - 1 - MyProc->subxidStatus.count;
}

bool
booking_subxids_overflowed(void)
{
	return MyProc->subxidStatus.overflowed;
}

/*
 * machine_rows.c — the rows of booking.state_machines, kept per backend.
 * See machine_rows.h for why a kept row can't be stale.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "storage/bufmgr.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "booking.h"
#include "machine_rows.h"

/* longer names are not kept (AWS's are at most 80 characters) */
#define ROW_KEY_SIZE 128

typedef struct RowEntry
{
	char		name[ROW_KEY_SIZE];
	Oid			relid;			/* booking.state_machines when it was read */
	ItemPointerData tid;
	TransactionId xmin;
	StoredMachine row;			/* strings in row_context */
} RowEntry;

static HTAB *rows = NULL;
static MemoryContext row_context = NULL;

/* booking.state_machines, or InvalidOid while the extension is being dropped or created */
static Oid
machines_relid(void)
{
	Oid			nsp = get_namespace_oid("booking", true);

	return OidIsValid(nsp) ? get_relname_relid("state_machines", nsp) : InvalidOid;
}

/*
 * Whether the tuple the entry was read from is visible to the snapshot an
 * SPI statement would run with now: then the table holds no other version
 * of the row for this transaction to see.
 */
static bool
still_current(const RowEntry *entry)
{
	Oid			relid = machines_relid();
	Relation	rel;
	HeapTupleData tuple;
	Buffer		buffer;
	bool		visible;

	if (!OidIsValid(relid) || relid != entry->relid)
		return false;
	/* what SPI_execute_plan does before a statement that is not read-only */
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	rel = table_open(relid, AccessShareLock);
	tuple.t_self = entry->tid;
	visible = heap_fetch(rel, GetActiveSnapshot(), &tuple, &buffer, false);
	if (visible)
	{
		/* a vacuumed slot may hold another row since */
		visible = TransactionIdEquals(HeapTupleHeaderGetRawXmin(tuple.t_data), entry->xmin);
		ReleaseBuffer(buffer);
	}
	table_close(rel, NoLock);
	PopActiveSnapshot();
	return visible;
}

/* Frees an entry's strings. */
static void
free_row(StoredMachine *row)
{
	pfree(row->name);
	pfree(row->arn);
	pfree(row->type);
	pfree(row->search_path);
}

/* A copy of row with its strings in cxt. */
static void
copy_row(const StoredMachine *row, StoredMachine *out, MemoryContext cxt)
{
	*out = *row;
	out->name = MemoryContextStrdup(cxt, row->name);
	out->arn = MemoryContextStrdup(cxt, row->arn);
	out->type = MemoryContextStrdup(cxt, row->type);
	out->search_path = MemoryContextStrdup(cxt, row->search_path);
}

bool
machine_rows_get(const char *name, StoredMachine *out)
{
	RowEntry   *entry;

	if (rows == NULL || strlen(name) >= ROW_KEY_SIZE)
		return false;
	entry = hash_search(rows, name, HASH_FIND, NULL);
	if (entry == NULL)
		return false;
	if (!still_current(entry))
	{
		free_row(&entry->row);
		hash_search(rows, name, HASH_REMOVE, NULL);
		return false;
	}
	copy_row(&entry->row, out, CurrentMemoryContext);
	return true;
}

void
machine_rows_put(const char *name, ItemPointer tid, TransactionId xmin, const StoredMachine *row)
{
	RowEntry   *entry;
	bool		found;
	Oid			relid = machines_relid();

	if (strlen(name) >= ROW_KEY_SIZE || !OidIsValid(relid))
		return;
	if (rows == NULL)
	{
		HASHCTL		ctl;

		row_context = AllocSetContextCreate(TopMemoryContext, "booking machine rows",
											ALLOCSET_SMALL_SIZES);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = ROW_KEY_SIZE;
		ctl.entrysize = sizeof(RowEntry);
		ctl.hcxt = row_context;
		rows = hash_create("booking machine rows", 64, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	/* as many rows as compiled machines; past that, start again */
	if (hash_get_num_entries(rows) >= booking_machine_cache_size)
	{
		MemoryContextDelete(row_context);	/* the table's too */
		rows = NULL;
		machine_rows_put(name, tid, xmin, row);
		return;
	}
	entry = hash_search(rows, name, HASH_ENTER, &found);
	if (found)
		free_row(&entry->row);
	entry->relid = relid;
	entry->tid = *tid;
	entry->xmin = xmin;
	copy_row(row, &entry->row, row_context);
}

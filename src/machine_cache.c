/*
 * machine_cache.c — compiled state machines, cached per backend (LRU).
 *
 * A version never changes once committed, but a version written by a
 * transaction (or subtransaction) that rolled back leaves its number to the
 * next one: an entry is trusted once the transaction that wrote its version
 * is known to have committed, and dropped if it aborted.
 */
#include "postgres.h"

#include "access/transam.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "booking.h"
#include "definition_prepare.h"
#include "jsonc_bridge.h"
#include "machine_cache.h"
#include "store_machines.h"

typedef struct MachineKey
{
	int64		machine_id;
	int32		version;
} MachineKey;

typedef struct MachineEntry
{
	MachineKey	key;
	asl_machine *machine;		/* malloc'd by the core */
	TransactionId xmin;			/* the transaction that wrote the version */
	bool		committed;		/* it is known to have committed */
	uint64		last_used;
	int			pins;
} MachineEntry;

typedef struct MachinePin
{
	MemoryContextCallback callback;
	MachineKey	key;
} MachinePin;

static HTAB *machine_cache = NULL;
static uint64 use_clock = 0;

/* Creates the backend's machine cache on first use. */
static void
ensure_cache(void)
{
	HASHCTL		ctl;

	if (machine_cache != NULL)
		return;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(MachineKey);
	ctl.entrysize = sizeof(MachineEntry);
	ctl.hcxt = TopMemoryContext;
	machine_cache = hash_create("booking compiled machines", 64, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* Release callback: unpins a cached machine, which eviction may then drop. */
static void
unpin(void *arg)
{
	MachinePin *pin = (MachinePin *) arg;
	MachineEntry *entry;

	if (machine_cache == NULL)
		return;
	entry = hash_search(machine_cache, &pin->key, HASH_FIND, NULL);
	if (entry != NULL && entry->pins > 0)
		entry->pins--;
}

/* Drops least recently used, unpinned entries until the cache fits its setting. */
static void
evict_to_fit(void)
{
	while (hash_get_num_entries(machine_cache) > booking_machine_cache_size)
	{
		HASH_SEQ_STATUS seq;
		MachineEntry *entry;
		MachineEntry *victim = NULL;

		hash_seq_init(&seq, machine_cache);
		while ((entry = hash_seq_search(&seq)) != NULL)
			if (entry->pins == 0 && (victim == NULL || entry->last_used < victim->last_used))
				victim = entry;
		if (victim == NULL)
			return;				/* everything is in use: run over the limit
								 * for now */
		asl_machine_free(victim->machine);
		hash_search(machine_cache, &victim->key, HASH_REMOVE, NULL);
	}
}

/*
 * Compiles the stored definition of a machine version; raises when it is
 * gone or no longer compiles.
 */
static asl_machine *
compile_stored(int64 machine_id, int version, TransactionId *xmin)
{
	Jsonb	   *definition = store_version_definition_xmin(machine_id, version, NULL, NULL, xmin);
	asl_diags  *diags;
	asl_machine *machine;

	if (definition == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("StateMachineDoesNotExist: state machine %lld has no version %d",
						(long long) machine_id, version)));
	diags = booking_diags_new();
	machine = asl_machine_compile(booking_jsonb_to_jsonc(definition), diags);
	if (machine == NULL)
		booking_report_definition_errors(diags);
	if (machine == NULL)
		elog(ERROR, "stored definition failed to compile");
	return machine;
}

const asl_machine *
booking_machine_get(int64 machine_id, int version)
{
	MachineKey	key;
	MachineEntry *entry;
	MachinePin *pin;
	bool		found;

	ensure_cache();
	memset(&key, 0, sizeof(key));
	key.machine_id = machine_id;
	key.version = version;
	entry = hash_search(machine_cache, &key, HASH_FIND, NULL);

	/*
	 * a version written by a transaction that rolled back is gone, and its
	 * number is given to the next version written: compile that one
	 */
	if (entry != NULL && !entry->committed)
	{
		if (TransactionIdDidAbort(entry->xmin) && entry->pins > 0)
		{
			/* still in use further up: this caller gets a copy of its own */
			TransactionId xmin;
			BookingOwned *owner = booking_owner(booking_machine_free);

			owner->ptr = compile_stored(machine_id, version, &xmin);
			return owner->ptr;
		}
		if (TransactionIdDidAbort(entry->xmin))
		{
			asl_machine_free(entry->machine);
			hash_search(machine_cache, &key, HASH_REMOVE, NULL);
			entry = NULL;
		}
		else
			entry->committed = TransactionIdDidCommit(entry->xmin);
	}
	if (entry == NULL)
	{
		/* compile before inserting, so an ERROR leaves no half-made entry */
		TransactionId xmin = InvalidTransactionId;
		asl_machine *machine = compile_stored(machine_id, version, &xmin);

		entry = hash_search(machine_cache, &key, HASH_ENTER, &found);
		entry->machine = machine;
		entry->xmin = xmin;
		entry->committed = !TransactionIdIsNormal(xmin) || TransactionIdDidCommit(xmin);
		entry->pins = 0;
	}
	entry->last_used = ++use_clock;
	pin = MemoryContextAlloc(CurrentMemoryContext, sizeof(MachinePin));
	pin->key = key;
	pin->callback.func = unpin;
	pin->callback.arg = pin;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &pin->callback);
	entry->pins++;
	evict_to_fit();
	return entry->machine;
}

int
booking_machine_cache_count(void)
{
	return machine_cache ? (int) hash_get_num_entries(machine_cache) : 0;
}

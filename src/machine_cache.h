/*
 * machine_cache.h — compiled state machines, cached per backend.
 *
 * Versions are immutable and machine ids are never reused, so an entry is
 * never stale: a definition is parsed once per backend and version.
 */
#ifndef BOOKING_MACHINE_CACHE_H
#define BOOKING_MACHINE_CACHE_H

#include "postgres.h"

#include "jsonc.h"
#include "core/asl/definition.h"

/*
 * The compiled machine for (machine_id, version), compiling it on first use.
 * The entry is pinned until CurrentMemoryContext is reset or deleted, so a
 * nested call (a task that starts another workflow) can't evict it from
 * under its caller.
 */
const asl_machine *booking_machine_get(int64 machine_id, int version);

/* How many compiled machines this backend holds. */
int			booking_machine_cache_count(void);

#endif

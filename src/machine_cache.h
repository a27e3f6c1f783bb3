/*
 * machine_cache.h — compiled state machines, cached per backend.
 *
 * Versions are immutable once committed and machine ids are never reused:
 * a definition is parsed once per backend and version (a version rolled
 * back is dropped, see machine_cache.c).
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

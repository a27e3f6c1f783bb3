/*
 * function_cache.c — the functions Lambda-style tasks resolved. See
 * function_cache.h.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "function_cache.h"

/* a machine calls a few functions: a short list, searched in order */
#define FUNCTION_CACHE_SIZE 16

typedef struct KeptFunction
{
	char	   *name;			/* as the task named it */
	Oid			role;			/* the role that resolved it */
	OverrideSearchPath *path;	/* under this search_path */
	Oid			fn;
} KeptFunction;

static MemoryContext cache_cxt;
static KeptFunction kept[FUNCTION_CACHE_SIZE];
static int	n_kept;

/* Any change of the catalogs a resolution read: forget them all. */
static void
forget_all(Datum arg pg_attribute_unused(), int cacheid pg_attribute_unused(),
		   uint32 hashvalue pg_attribute_unused())
{
	if (cache_cxt != NULL)
		MemoryContextReset(cache_cxt);
	n_kept = 0;
}

static void
cache_init(void)
{
	if (cache_cxt != NULL)
		return;
	cache_cxt = AllocSetContextCreate(TopMemoryContext, "booking function cache",
									  ALLOCSET_SMALL_SIZES);
	CacheRegisterSyscacheCallback(PROCOID, forget_all, (Datum) 0);
	CacheRegisterSyscacheCallback(NAMESPACEOID, forget_all, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, forget_all, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, forget_all, (Datum) 0);
}

Oid
booking_function_cache_get(const char *name)
{
	Oid			role = GetUserId();

	for (int i = 0; i < n_kept; i++)
		if (kept[i].role == role && strcmp(kept[i].name, name) == 0 &&
			OverrideSearchPathMatchesCurrent(kept[i].path))
			return kept[i].fn;
	return InvalidOid;
}

void
booking_function_cache_put(const char *name, Oid fn)
{
	MemoryContext old;
	KeptFunction *k;

	cache_init();
	/* full (a backend calling many functions): start again, memory freed */
	if (n_kept == FUNCTION_CACHE_SIZE)
		forget_all((Datum) 0, 0, 0);
	k = &kept[n_kept++];
	old = MemoryContextSwitchTo(cache_cxt);
	k->name = pstrdup(name);
	k->role = GetUserId();
	k->path = GetOverrideSearchPath(cache_cxt);
	k->fn = fn;
	MemoryContextSwitchTo(old);
}

/*
 * function_cache.h — the functions Lambda-style tasks resolved, kept for the
 * backend.
 *
 * A task names its function; resolving the name (the search_path's schemas,
 * the candidates' signatures, the schema's reach) cost a catalog search at
 * every call. A resolution is kept for the role that made it under the
 * search_path it was made under, and forgotten, all at once, when pg_proc,
 * pg_namespace, pg_authid or pg_auth_members change (a function created,
 * replaced, dropped or renamed; a schema renamed or its USAGE granted or
 * revoked; a role's membership changed), in this backend or any other. Only
 * resolutions that succeeded are kept; the EXECUTE check is made at every
 * call, not here.
 */
#ifndef BOOKING_FUNCTION_CACHE_H
#define BOOKING_FUNCTION_CACHE_H

#include "postgres.h"

/* The function name resolved to for the current role and search_path, or InvalidOid. */
Oid			booking_function_cache_get(const char *name);

/* Keeps that name resolved to fn for the current role and search_path. */
void		booking_function_cache_put(const char *name, Oid fn);

#endif

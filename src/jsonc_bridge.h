/*
 * jsonc_bridge.h — json-c values in a PostgreSQL backend.
 *
 * json-c and the core allocate with malloc; ereport(ERROR) unwinds with
 * longjmp. So everything malloc'd that the host holds is owned by a memory
 * context: a reset callback frees it when the context goes, whether the code
 * finished or an ERROR cut it short.
 */
#ifndef BOOKING_JSONC_BRIDGE_H
#define BOOKING_JSONC_BRIDGE_H

#include "postgres.h"

#include "jsonc.h"

#include "utils/jsonb.h"

#include "core/diag.h"

/* Deep enough for any real document; json-c's default of 32 is not. */
#define BOOKING_JSON_MAX_DEPTH 2000

typedef void (*booking_free_fn) (void *ptr);

/* A malloc'd thing owned by a memory context. */
typedef struct BookingOwned
{
	MemoryContextCallback callback;
	void	   *ptr;
	booking_free_fn free_fn;
} BookingOwned;

/*
 * Registers an owner in CurrentMemoryContext *before* the thing exists, so a
 * failure between creating it and owning it can't leak: create, then store
 * the pointer in owner->ptr.
 */
BookingOwned *booking_owner(booking_free_fn free_fn);

/* Frees the owned thing now (idempotent). */
void		booking_release(BookingOwned *owner);

/* json_object_put as a booking_free_fn. */
void		booking_json_put(void *obj);

/* asl_machine_free as a booking_free_fn. */
void		booking_machine_free(void *machine);

/* jsonb → json-c, owned by CurrentMemoryContext (the caller borrows it). */
json_object *booking_jsonb_to_jsonc(Jsonb *jb);

/* json-c → a new jsonb in CurrentMemoryContext. NULL (json null) → 'null'. */
Jsonb	   *booking_jsonc_to_jsonb(json_object *obj);

/*
 * json-c → a new json (text) value in CurrentMemoryContext, compact, keys in
 * json-c's order; refuses what booking_jsonc_to_jsonb refuses, so that a cast
 * to jsonb later cannot fail. For what is written once and seldom read (the
 * history): no jsonb to build.
 */
text	   *booking_jsonc_to_json(json_object *obj);

/*
 * Adds key: obj to the object being built in *state, without making obj a
 * jsonb of its own first (which the object would take apart again).
 */
void		booking_push_jsonc_member(JsonbParseState **state, const char *key, json_object *obj);

/*
 * Raises what jsonb cannot hold in a string or key: NUL (\u0000), bytes that
 * are not valid in the database encoding.
 */
void		booking_check_jsonb_string(const char *str, size_t len);

/* Text of a json-c value, palloc'd. */
char	   *booking_jsonc_to_cstring(json_object *obj);

/*
 * Appends str (len bytes) to buf as a JSON string, as jsonb would write it;
 * raises on what jsonb refuses (a NUL, invalid UTF-8).
 */
void		booking_append_json_string(StringInfo buf, const char *str, size_t len);

/* An empty diagnostics list owned by CurrentMemoryContext. */
asl_diags  *booking_diags_new(void);

#endif

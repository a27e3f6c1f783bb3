/*
 * jsonc_bridge.c — json-c values in a PostgreSQL backend (see the header).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "jsonc_bridge.h"
#include "core/definition.h"

/* Deep enough for any real document; json-c's default of 32 is not. */
#define BOOKING_JSON_MAX_DEPTH 2000

static void
owned_release_callback(void *arg)
{
	booking_release((BookingOwned *) arg);
}

BookingOwned *
booking_owner(booking_free_fn free_fn)
{
	BookingOwned *owner = palloc0(sizeof(BookingOwned));

	owner->free_fn = free_fn;
	owner->callback.func = owned_release_callback;
	owner->callback.arg = owner;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &owner->callback);
	return owner;
}

void
booking_release(BookingOwned *owner)
{
	void	   *ptr = owner->ptr;

	owner->ptr = NULL;
	if (ptr != NULL)
		owner->free_fn(ptr);
}

void *
booking_disown(BookingOwned *owner)
{
	void	   *ptr = owner->ptr;

	owner->ptr = NULL;
	return ptr;
}

void
booking_json_put(void *obj)
{
	json_object_put((json_object *) obj);
}

void
booking_machine_free(void *machine)
{
	asl_machine_free((asl_machine *) machine);
}

static void
diags_free(void *ptr)
{
	asl_diags_free((asl_diags *) ptr);
	free(ptr);
}

asl_diags *
booking_diags_new(void)
{
	BookingOwned *owner = booking_owner(diags_free);
	asl_diags  *d = malloc(sizeof(asl_diags));

	if (d == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	asl_diags_init(d);
	owner->ptr = d;
	return d;
}

json_object *
booking_jsonb_to_jsonc(Jsonb *jb)
{
	BookingOwned *owner = booking_owner(booking_json_put);
	char	   *text = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
	json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;

	tok = json_tokener_new_ex(BOOKING_JSON_MAX_DEPTH);
	if (tok == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	/* the terminating NUL is fed too: it ends a top-level number or literal */
	obj = json_tokener_parse_ex(tok, text, (int) strlen(text) + 1);
	jerr = json_tokener_get_error(tok);
	json_tokener_free(tok);
	owner->ptr = obj;
	pfree(text);
	if (jerr != json_tokener_success)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("JSON document cannot be processed: %s", json_tokener_error_desc(jerr)),
				 errhint("Documents may nest at most %d levels.", BOOKING_JSON_MAX_DEPTH)));
	return obj;
}

char *
booking_jsonc_to_cstring(json_object *obj)
{
	size_t		len;
	const char *text = json_object_to_json_string_length(obj,
														JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
														&len);

	return pnstrdup(text, len);
}

Jsonb *
booking_jsonc_to_jsonb(json_object *obj)
{
	char	   *text = booking_jsonc_to_cstring(obj);
	Datum		d = DirectFunctionCall1(jsonb_in, CStringGetDatum(text));

	pfree(text);
	return DatumGetJsonbP(d);
}

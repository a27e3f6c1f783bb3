/*
 * definition_prepare.c — turning a user's definition into what is stored and run.
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "booking.h"
#include "definition_prepare.h"
#include "jsonc_bridge.h"
#include "jsonc.h"
#include "core/asl/definition.h"
#include "core/asl/substitute.h"

/* AWS: "Maximum state machine definition size: 1 MB", of its JSON text. */
#define DEFINITION_MAX_BYTES 1048576

Jsonb	   *
booking_prepare_definition(Jsonb *definition, Jsonb *substitutions, asl_diags *diags)
{
	return booking_prepare_definition_typed(definition, substitutions, false, diags);
}

Jsonb	   *
booking_prepare_definition_typed(Jsonb *definition, Jsonb *substitutions, bool express, asl_diags *diags)
{
	json_object *source;
	json_object *subs;
	BookingOwned *resolved_owner;
	BookingOwned *machine_owner;
	json_object *resolved;
	size_t		substitution_diags;
	size_t		text_len = 0;

	/* far past the limit: not worth converting to find out by how much */
	if (VARSIZE(definition) > 4 * DEFINITION_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("invalid state machine definition: it is larger than %d bytes (1 MB)",
						DEFINITION_MAX_BYTES)));
	source = booking_jsonb_to_jsonc(definition);
	subs = substitutions ? booking_jsonb_to_jsonc(substitutions) : NULL;
	resolved_owner = booking_owner(booking_json_put);
	machine_owner = booking_owner(booking_machine_free);
	resolved = asl_substitute(source, subs, diags);
	resolved_owner->ptr = resolved;
	/* as stored and run: substitutions applied, compact JSON text */
	(void) json_object_to_json_string_length(resolved ? resolved : source,
											 JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
											 &text_len);
	if (text_len > DEFINITION_MAX_BYTES)
		asl_diag_add(diags, ASL_SEV_ERROR, "DEFINITION_TOO_LARGE", "",
					 "the definition is %zu bytes of JSON text, more than %d (1 MB)",
					 text_len, DEFINITION_MAX_BYTES);
	substitution_diags = diags->count;

	/*
	 * Validate what will run; with a failed substitution, still report the
	 * rest.
	 */
	machine_owner->ptr = asl_machine_compile(resolved ? resolved : source, diags);
	if (express && machine_owner->ptr != NULL)
		asl_check_express(machine_owner->ptr, diags);
	asl_diags_drop_repeated_locations(diags, substitution_diags);
	booking_release(machine_owner);
	if (diags->errors > 0 || resolved == NULL)
		return NULL;
	return booking_jsonc_to_jsonb(resolved);
}

void
booking_report_definition_errors(const asl_diags *diags)
{
	StringInfoData detail;
	const asl_diag *first = NULL;

	if (diags->errors == 0)
		return;
	initStringInfo(&detail);
	for (size_t i = 0; i < diags->count; i++)
	{
		const asl_diag *d = &diags->items[i];

		if (d->severity != ASL_SEV_ERROR)
			continue;
		if (first == NULL)
			first = d;
		appendStringInfo(&detail, "%s%s at %s: %s", detail.len ? "\n" : "",
						 d->code, d->location[0] ? d->location : "/", d->message);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid state machine definition: %s at %s%s",
					first->message, first->location[0] ? first->location : "/",
					diags->errors > 1 ? psprintf(" (and %zu more problems)", diags->errors - 1) : ""),
			 errdetail("%s", detail.data)));
}

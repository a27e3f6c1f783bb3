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

/* AWS: "Maximum size of a state machine definition: 1 MB" (a hard quota) */
#define DEFINITION_SIZE_LIMIT (1024 * 1024)

/*
 * The definition as given is measured, before substitutions, as the JSON text
 * of its jsonb form (the payload limits' measure): ERROR over the limit.
 */
static void
check_definition_size(Jsonb *definition)
{
	size_t		len = booking_jsonb_text_size(definition);

	if (len > DEFINITION_SIZE_LIMIT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("InvalidDefinition: definition is %zu bytes, more than the %d AWS allows",
						len, DEFINITION_SIZE_LIMIT)));
}

Jsonb *
booking_prepare_definition(Jsonb *definition, Jsonb *substitutions, asl_diags *diags)
{
	json_object *source = booking_jsonb_to_jsonc(definition);
	json_object *subs = substitutions ? booking_jsonb_to_jsonc(substitutions) : NULL;
	BookingOwned *resolved_owner = booking_owner(booking_json_put);
	BookingOwned *machine_owner = booking_owner(booking_machine_free);
	json_object *resolved;
	size_t		substitution_diags;

	check_definition_size(definition);
	resolved = asl_substitute(source, subs, diags);
	resolved_owner->ptr = resolved;
	substitution_diags = diags->count;
	/* Validate what will run; with a failed substitution, still report the rest. */
	machine_owner->ptr = asl_machine_compile(resolved ? resolved : source, diags);
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

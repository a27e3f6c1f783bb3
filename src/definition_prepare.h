/*
 * definitions.h — turning a user's definition into what is stored and run.
 */
#ifndef BOOKING_DEFINITION_PREPARE_H
#define BOOKING_DEFINITION_PREPARE_H

#include "postgres.h"

#include "utils/jsonb.h"

#include "core/diag.h"

/*
 * Applies substitutions (may be NULL) and validates. Every problem lands in
 * diags; returns the definition as it will run (substitutions applied), or
 * NULL when there was an error.
 */
Jsonb	   *booking_prepare_definition(Jsonb *definition, Jsonb *substitutions, asl_diags *diags);

/* The same for a machine of a type: an EXPRESS one also refuses what it cannot run. */
Jsonb	   *booking_prepare_definition_typed(Jsonb *definition, Jsonb *substitutions, bool express,
											 asl_diags *diags);

/*
 * ERROR (SQLSTATE 22023) whose message names the first problem and whose
 * DETAIL lists every problem with its JSON pointer. Does nothing when diags
 * holds no error.
 */
void		booking_report_definition_errors(const asl_diags *diags);

#endif

/*
 * machine_ref.h — from a state_machine argument (ARN or name) to the stored
 * machine and the version it names.
 */
#ifndef BOOKING_MACHINE_REF_H
#define BOOKING_MACHINE_REF_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/jsonb.h"

#include "jsonc.h"
#include "core/asl/definition.h"
#include "store_machines.h"

/*
 * Looks the machine up; ERROR StateMachineDoesNotExist when there is none or
 * the version does not exist. *version is the revision the reference names
 * (through a published version number or an alias), 0 when it names none.
 */
void		booking_lookup_machine(const char *ref, bool for_update,
								   StoredMachine *machine, int *version);

/*
 * What sfn_start and sfn_start_sync share, from their arguments
 * (state_machine text, input jsonb default '{}'): the machine, the version
 * the execution runs (the current one unless the reference names one), the
 * input (ERROR InvalidExecutionInput over booking.max_payload_size), and the
 * compiled machine.
 */
const asl_machine *booking_resolve_start(FunctionCallInfo fcinfo, StoredMachine *machine,
										 int *version, Jsonb **input, char **test_case);

#endif

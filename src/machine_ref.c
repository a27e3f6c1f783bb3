/*
 * machine_ref.c — resolving state_machine arguments.
 */
#include "postgres.h"

#include "arn.h"
#include "machine_ref.h"

void
booking_lookup_machine(const char *ref, bool for_update, StoredMachine *machine, int *version)
{
	char	   *name;

	booking_parse_state_machine_ref(ref, &name, version);
	if (!store_machine_lookup(name, for_update, machine))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("StateMachineDoesNotExist: state machine \"%s\" does not exist", ref)));
	if (*version > machine->current_version)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("StateMachineDoesNotExist: state machine \"%s\" has no version %d (latest is %d)",
						machine->name, *version, machine->current_version)));
}

/*
 * machine_ref.h — from a state_machine argument (ARN or name) to the stored
 * machine and the version it names.
 */
#ifndef BOOKING_MACHINE_REF_H
#define BOOKING_MACHINE_REF_H

#include "postgres.h"

#include "store_machines.h"

/*
 * Looks the machine up; ERROR StateMachineDoesNotExist when there is none or
 * the version does not exist. *version is the version the reference names,
 * 0 when it names none.
 */
void		booking_lookup_machine(const char *ref, bool for_update,
								   StoredMachine *machine, int *version);

#endif

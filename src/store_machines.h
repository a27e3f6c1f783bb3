/*
 * store_machines.h — state machines and their versions in tables (SPI).
 */
#ifndef BOOKING_STORE_MACHINES_H
#define BOOKING_STORE_MACHINES_H

#include "postgres.h"

#include "utils/jsonb.h"
#include "utils/timestamp.h"

typedef struct StoredMachine
{
	int64		id;
	char	   *name;
	char	   *arn;
	char	   *type;
	Oid			role;
	int			current_version;
	TimestampTz created;
	TimestampTz updated;		/* 0 when never updated */
	char	   *search_path;	/* its tasks' search_path: the creator's */
	Oid			owner;			/* the creator: holds every privilege */
	bool		privileged_role;	/* a superuser/BYPASSRLS role was named
									 * for it */
} StoredMachine;

/* Finds a machine by name; false when there is none. for_update locks the row. */
bool		store_machine_lookup(const char *name, bool for_update, StoredMachine *out);

/*
 * Inserts a machine with version 1. When the name is taken, nothing is
 * written and false is returned with *out describing the existing one.
 */
bool		store_machine_insert(const StoredMachine *machine, Jsonb *definition, Jsonb *substitutions,
								 StoredMachine *out);

/* Sets the execution role (and whether it was named as a privileged one). */
void		store_machine_set_role(int64 machine_id, Oid role, bool privileged_role);

/* Appends a version and makes it current; returns its number. */
int			store_machine_add_version(int64 machine_id, Jsonb *definition, Jsonb *substitutions);

/* A version's definition (and its substitutions, if subs != NULL); NULL when missing. */
Jsonb	   *store_version_definition(int64 machine_id, int version, Jsonb **substitutions,
									 TimestampTz *created);

/* The same, with the transaction that wrote the version (*xmin). */
Jsonb	   *store_version_definition_xmin(int64 machine_id, int version, Jsonb **substitutions,
										  TimestampTz *created, TransactionId *xmin);

void		store_machine_delete(int64 machine_id);

#endif

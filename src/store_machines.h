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
} StoredMachine;

/* Finds a machine by name; false when there is none. for_update locks the row. */
bool		store_machine_lookup(const char *name, bool for_update, StoredMachine *out);

/*
 * Inserts a machine with version 1. When the name is taken, nothing is
 * written and false is returned with *out describing the existing one.
 */
bool		store_machine_insert(const char *name, const char *arn, const char *type, Oid role,
								 Jsonb *definition, Jsonb *substitutions, StoredMachine *out);

/* Appends a version and makes it current; returns its number. */
int			store_machine_add_version(int64 machine_id, Jsonb *definition, Jsonb *substitutions);

/* A version's definition (and its substitutions, if subs != NULL); NULL when missing. */
Jsonb	   *store_version_definition(int64 machine_id, int version, Jsonb **substitutions,
									 TimestampTz *created);

void		store_machine_delete(int64 machine_id);

#endif

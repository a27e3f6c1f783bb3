/*
 * permissions.h — who may do what (docs/security.md).
 *
 * booking's tables belong to the extension's owner; no other role holds any
 * right on them. Every SQL entry point is a C function that runs as its
 * caller, so it can see who calls: booking_enter() records the caller
 * (GetUserId), refuses a role that is not a member of booking_user, then
 * switches to the tables' owner (SetUserIdAndSecContext, as a SECURITY
 * DEFINER function would) with a pinned search_path. The entry point checks
 * the caller's privilege on the object it touches before it reads or changes
 * anything, and booking_leave() switches back. An ERROR needs no leave: the
 * (sub)transaction's abort restores the user and the GUCs.
 *
 * Privileges on a state machine: START, READ, STOP, ANSWER, MANAGE; on an
 * activity: USE, WORK, MANAGE. The owner and the roles that have its
 * privileges (has_privs_of_role: members that inherit, superusers) hold them
 * all; a grant holds for the grantee and the roles that have its privileges.
 */
#ifndef BOOKING_PERMISSIONS_H
#define BOOKING_PERMISSIONS_H

#include "postgres.h"

#include "core/error.h"

typedef struct BookingScope
{
	Oid			caller;			/* the role that called the entry point */
	Oid			save_user;
	int			save_sec;
	int			guc_level;		/* 0: search_path was pinned already */
} BookingScope;

/* The caller, who must be a member of booking_user (42501 otherwise). */
Oid			booking_require_user(void);

/*
 * booking_require_user, then act as the tables' owner (booking_as_owner);
 * returns the caller. Writes the saves a tick's batch kept for its end
 * (store_writeback.h) first.
 */
Oid			booking_enter(BookingScope *scope);

/* Acts as the tables' owner with a pinned search_path, who ever calls; booking_leave ends it. */
void		booking_as_owner(BookingScope *scope);
void		booking_leave(BookingScope *scope);

/*
 * A timer worker's session: the pinned search_path for good, so that
 * booking_as_owner has nothing to push for each tick.
 */
void		booking_pin_session_search_path(void);

/* Whether role holds privilege on the state machine (id, owner). */
bool		booking_machine_allows(Oid role, int64 machine_id, Oid owner, const char *privilege);

/* ERROR 42501 AccessDeniedException unless role holds privilege on the machine. */
void		booking_require_machine(Oid role, int64 machine_id, const char *machine_name,
									Oid owner, const char *privilege);

/* The same for a state machine known by name (an execution's). */
void		booking_require_machine_named(Oid role, const char *machine_name, const char *privilege);

/* Activities: an activity's owner, or InvalidOid when it does not exist. */
Oid			booking_activity_owner(int64 activity_id);
bool		booking_activity_allows(Oid role, int64 activity_id, Oid owner, const char *privilege);
void		booking_require_activity(Oid role, int64 activity_id, const char *name, const char *privilege);

/*
 * The activity a Task schedules on, which its execution role must hold USE
 * on; 0 with err set (ActivityDoesNotExist, States.Permissions) otherwise.
 */
int64		booking_activity_for_task(const char *name, const char *arn, Oid role, asl_error *err);

/* A superuser or BYPASSRLS role: one a state machine runs as only when named. */
bool		booking_role_is_privileged(Oid role);

/*
 * Whether a task may touch an object in this schema: never pg_catalog,
 * information_schema, booking's own schema, TOAST or temporary schemas, nor
 * any other pg_* schema. Otherwise sets err (error_name, Cause naming what).
 */
bool		booking_task_may_reach(Oid namespace_id, const char *what, const char *error_name,
								   asl_error *err);

#endif

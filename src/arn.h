/*
 * arn.h — ARNs in AWS's form, with region and account from settings.
 *
 *   arn:aws:states:REGION:ACCOUNT:stateMachine:NAME[:VERSION]
 *   arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME
 *   arn:aws:states:REGION:ACCOUNT:activity:NAME
 */
#ifndef BOOKING_ARN_H
#define BOOKING_ARN_H

#include "postgres.h"

char	   *booking_state_machine_arn(const char *name);
char	   *booking_state_machine_version_arn(const char *name, int version);
char	   *booking_execution_arn(const char *machine_name, const char *execution_name);

/* A fresh execution name when the caller gives none: a UUID (version 7, time-ordered). */
char	   *booking_new_execution_name(void);

/*
 * A state_machine argument is an ARN or a bare name. Sets *name (palloc'd)
 * and *version (0 when the reference names no version). An ARN of another
 * region or account still resolves by name, so ARNs pasted from AWS tooling
 * work; a malformed ARN is an ERROR naming what is wrong.
 */
void		booking_parse_state_machine_ref(const char *ref, char **name, int *version);

/*
 * The same, where an alias may qualify the ARN (…:stateMachine:NAME:ALIAS; an
 * alias name never starts with a digit): *alias is set (else NULL), *version
 * is the published version number a numeric qualifier gives (else 0).
 */
void		booking_parse_state_machine_qualified(const char *ref, char **name, int *version, char **alias);

/*
 * An execution argument is an ARN or a bare execution name. Sets
 * *machine_name (NULL for a bare name) and *name; ERROR for a malformed ARN.
 */
void		booking_parse_execution_ref(const char *ref, char **machine_name, char **name);

char	   *booking_activity_arn(const char *name);

/* An activity argument (ARN or bare name) → its name; ERROR for a malformed ARN. */
char	   *booking_parse_activity_ref(const char *ref);

/* Checks AWS's naming rule; ERROR naming the field otherwise. */
void		booking_check_name(const char *field, const char *name);

#endif

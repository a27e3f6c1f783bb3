/*
 * api_versions.h — published versions and aliases, as the C API needs them:
 * a version number or an alias → the revision to run, and publishing.
 * The versions and aliases themselves are SQL functions (booking--1.1.sql).
 */
#ifndef BOOKING_API_VERSIONS_H
#define BOOKING_API_VERSIONS_H

#include "postgres.h"

#include "utils/jsonb.h"

/* The revision published as version; ERROR StateMachineDoesNotExist when none. */
int			booking_published_revision(int64 machine_id, const char *machine_name, int version);

/* The revision an alias routes this start to, picked by weight; ERROR when no such alias. */
int			booking_alias_revision(int64 machine_id, const char *alias);

/* The published version of a revision, or 0 when it is not published. */
int			booking_revision_published_as(int64 machine_id, int revision);

/* Publishes the machine's latest revision (once); returns the version ARN. As the owner. */
char	   *booking_publish_latest(int64 machine_id, const char *description);

/* Sets the role ARN shown for the machine (CreateStateMachine's roleArn, as given). */
void		booking_set_role_arn(int64 machine_id, const char *role_arn);

/* The role ARN the caller gave, or NULL. */
char	   *booking_role_arn(int64 machine_id);

/*
 * loggingConfiguration, tracingConfiguration, encryptionConfiguration (NULL:
 * kept): checked and kept; whether a second create gives the same ones; the
 * settings DescribeStateMachine shows (AWS's defaults for those never given).
 */
void		booking_set_machine_settings(int64 machine_id, Jsonb *logging, Jsonb *tracing, Jsonb *encryption);
bool		booking_machine_settings_match(int64 machine_id, Jsonb *logging, Jsonb *tracing, Jsonb *encryption);
Jsonb	   *booking_machine_settings_shown(int64 machine_id);

#endif

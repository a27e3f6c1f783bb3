/*
 * exec_records.h — what the Step Functions API records about executions
 * beside their rows: the version or alias a start went through
 * (booking.execution_origins) and RedriveExecution's client tokens
 * (booking.redrive_tokens). Called as the tables' owner (booking_enter).
 */
#ifndef BOOKING_EXEC_RECORDS_H
#define BOOKING_EXEC_RECORDS_H

#include "postgres.h"

#include "utils/timestamp.h"

/* A start through a version ARN (alias NULL) or an alias ARN that picked published_version. */
void		booking_origin_record(int64 machine_id, const char *execution_name,
								  int published_version, const char *alias);

/* The origin of (machine, name): false when it was started through the machine's own ARN. */
bool		booking_origin_lookup(int64 machine_id, const char *execution_name,
								  int *published_version, char **alias);

/* ERROR ValidationException unless token is 1 to 64 characters from '!' to '~' (the model's ClientToken). */
void		booking_check_client_token(const char *token);

/* The redrive date token answered for this execution within the window, or 0. */
TimestampTz booking_redrive_token_find(int64 execution_id, const char *token);

/* Keeps token as the answer redrive_date; forgets the expired and all but the last 10. */
void		booking_redrive_token_keep(int64 execution_id, const char *token, TimestampTz redrive_date);

#endif

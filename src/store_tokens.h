/*
 * store_tokens.h — task tokens and activities in tables (SPI).
 *
 * Lock order, everywhere: the execution row first, then its token row — as a
 * tick does (it claims executions, then times their tokens out) — so an
 * answer racing a tick waits instead of deadlocking.
 */
#ifndef BOOKING_STORE_TOKENS_H
#define BOOKING_STORE_TOKENS_H

#include "postgres.h"

#include "utils/jsonb.h"
#include "utils/timestamp.h"

typedef struct TokenRow
{
	char	   *token;
	int64		execution_id;
	char	   *state;
	char	   *status;			/* open succeeded failed timed_out closed */
	int64		activity_id;	/* 0: a .waitForTaskToken task */
	int			heartbeat_seconds;	/* 0: none */
	TimestampTz heartbeat_at;
	TimestampTz timeout_at;		/* 0: none */
} TokenRow;

/* A new token: 256 random bits, URL-safe text. */
char	   *store_token_new(void);

/* Whether text has the shape of a token this extension issues. */
bool		store_token_well_formed(const char *token);

void		store_token_insert(const TokenRow *row, Jsonb *activity_input);

/* The token's row, FOR UPDATE when lock; false when there is none. */
bool		store_token_load(const char *token, bool lock, TokenRow *out);

/* The execution's open token, FOR UPDATE; false when it has none. */
bool		store_token_open_of(int64 execution_id, TokenRow *out);

void		store_token_set_status(const char *token, const char *status);

/* A sign of life: heartbeat_at = now. */
void		store_token_beat(const char *token, TimestampTz now);

/* Closes every open token of the execution (it ended, or left the state). */
void		store_token_close_all(int64 execution_id);

/*
 * The oldest unclaimed open task of the activity whose execution is running,
 * claimed for worker (FOR UPDATE SKIP LOCKED, both rows); false when none.
 */
bool		store_token_claim(int64 activity_id, const char *worker, TimestampTz now,
							  TokenRow *out, Jsonb **input);

/* The deadline a token puts on its execution: its timeout or its next heartbeat; 0: none. */
TimestampTz store_token_deadline(const TokenRow *row);

/* Activities by name: the id (0 when missing). */
int64		store_activity_find(const char *name);

/* Creates it unless it exists; returns its ARN. */
char	   *store_activity_create(const char *name, const char *arn, Oid owner);

/* Deletes it; false when there was none. Its open tasks stay answerable. */
bool		store_activity_delete(const char *name);

#endif

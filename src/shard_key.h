/*
 * shard_key.h — the booking.shard_key setting (see shard_key.c).
 */
#ifndef BOOKING_SHARD_KEY_H
#define BOOKING_SHARD_KEY_H

/* _PG_init: defines booking.shard_key. */
void		booking_shard_key_init(void);

#endif

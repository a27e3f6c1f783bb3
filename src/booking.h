/*
 * booking.h — declarations shared by the host (PostgreSQL) side of booking.
 */
#ifndef BOOKING_H
#define BOOKING_H

#include "postgres.h"

/* Settings (booking.c) */
extern char *booking_region;
extern char *booking_account_id;
extern int	booking_machine_cache_size;

#endif

/*
 * held_array.h — a copy of an array a backend holds across a transaction
 * (fanouts, history counts), to put back when a subtransaction that changed
 * it fails.
 */
#ifndef BOOKING_HELD_ARRAY_H
#define BOOKING_HELD_ARRAY_H

#include "postgres.h"

typedef struct HeldArrayCopy
{
	int			n;
	void	   *items;
} HeldArrayCopy;

/* A palloc'd copy (in the current memory context) of n items of size each. */
HeldArrayCopy *held_array_copy(const void *items, int n, size_t size);

/*
 * Puts the copy back into items (whose capacity, max, never shrank since the
 * copy was taken) and returns its length.
 */
int			held_array_restore(const HeldArrayCopy *copy, void *items, int max, size_t size);

#endif

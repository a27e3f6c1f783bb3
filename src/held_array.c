/*
 * held_array.c — copies of the arrays a backend holds across a transaction.
 * See held_array.h.
 */
#include "postgres.h"

#include "held_array.h"

HeldArrayCopy *
held_array_copy(const void *items, int n, size_t size)
{
	HeldArrayCopy *copy = palloc(sizeof(HeldArrayCopy));

	copy->n = n;
	copy->items = n > 0 ? palloc(size * n) : NULL;
	if (n > 0)
		memcpy(copy->items, items, size * n);
	return copy;
}

int
held_array_restore(const HeldArrayCopy *copy, void *items, int max, size_t size)
{
	Assert(copy->n <= max || copy->n == 0);
	(void) max;
	if (copy->n > 0)
		memcpy(items, copy->items, size * copy->n);
	return copy->n;
}

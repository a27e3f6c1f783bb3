/*
 * jn_kept.c — a few analysed things kept per thread (see the header).
 */
#include "jsonata/jn_kept.h"

#include <stdlib.h>
#include <string.h>

void	   *
jn_kept_get(jn_kept *k, const void *key, size_t len)
{
	for (int i = 0; i < JN_KEPT_SLOTS; i++)
		if (k->slot[i].key && k->slot[i].len == len && memcmp(k->slot[i].key, key, len) == 0)
			return k->slot[i].val;
	return NULL;
}

bool
jn_kept_put(jn_kept *k, const void *key, size_t len, void *val)
{
	char	   *copy = len <= JN_KEPT_MAX_KEY ? malloc(len + 1) : NULL;
	int			i = k->next;

	if (copy == NULL)
		return false;
	memcpy(copy, key, len);
	copy[len] = '\0';
	k->next = (k->next + 1) % JN_KEPT_SLOTS;
	if (k->slot[i].key)
	{
		k->free_val(k->slot[i].val);
		free(k->slot[i].key);
	}
	k->slot[i].key = copy;
	k->slot[i].len = len;
	k->slot[i].val = val;
	return true;
}

void	   *
jn_kept_put_copy(jn_kept *k, const void *key, size_t len, const void *val, size_t size)
{
	void	   *copy = malloc(size);

	if (copy == NULL)
		return NULL;
	memcpy(copy, val, size);
	if (!jn_kept_put(k, key, len, copy))
	{
		free(copy);
		return NULL;
	}
	return copy;
}

/*
 * jn_kept.h — a few analysed things kept per thread, keyed by bytes: the
 * pictures of $formatNumber, $formatInteger, $fromMillis and $toMillis and
 * the expressions $toMillis builds from them. A program uses a few pictures
 * again and again, and analysing one cost as much as the call's own work.
 *
 * The caller declares one table per kind, static and _Thread_local, with the
 * function that frees its values. A kept value is never changed afterwards
 * (its readers take it const); entries are replaced in turn, never freed
 * otherwise (bounded), and a failed analysis is not kept.
 */
#ifndef JN_KEPT_H
#define JN_KEPT_H

#include <stdbool.h>
#include <stddef.h>

#define JN_KEPT_SLOTS 8
#define JN_KEPT_MAX_KEY 4096

typedef struct jn_kept
{
	struct
	{
		char	   *key;
		size_t		len;
		void	   *val;
	}			slot[JN_KEPT_SLOTS];
	int			next;
	void		(*free_val) (void *val);
} jn_kept;

/* The value kept under key, or NULL. */
void	   *jn_kept_get(jn_kept *k, const void *key, size_t len);

/*
 * Keeps val (malloc'd) under key, freeing the entry it replaces; false when
 * the key is too long or out of memory: val stays the caller's.
 */
bool		jn_kept_put(jn_kept *k, const void *key, size_t len, void *val);

/*
 * Keeps a malloc'd copy of the size bytes at val (an analysis held in a
 * struct) and returns it; NULL when it could not: val stays the caller's.
 */
void	   *jn_kept_put_copy(jn_kept *k, const void *key, size_t len, const void *val, size_t size);

#endif

/*
 * path_assign.c — writing through a reference path (ResultPath,
 * asl_path_assign).
 */
#include "path_impl.h"

#include <stdlib.h>

/* ---- assigning (ResultPath) ---- */

/*
 * Whether target is reachable from node: adding node under target would
 * then make a cycle, which json-c would recurse through for ever. -1 when
 * the document is too deep to tell.
 */
static int
reaches(json_object *node, json_object *target, int depth)
{
	size_t		i;
	size_t		n;
	int			r = 0;

	if (node == target)
		return 1;
	if (depth > MAX_DEPTH)
		return -1;
	if (json_object_is_type(node, json_type_object))
	{
		json_object_object_foreach(node, key, val)
		{
			(void) key;
			if ((r = reaches(val, target, depth + 1)) != 0)
				return r;
		}
	}
	else if (json_object_is_type(node, json_type_array))
	{
		n = json_object_array_length(node);
		for (i = 0; i < n; i++)
			if ((r = reaches(json_object_array_get_idx(node, i), target, depth + 1)) != 0)
				return r;
	}
	return r;
}

/*
 * Reports ResultPath meeting a node of the wrong type at segment seg, in
 * AWS's words.
 */
static bool
mismatch(asl_error *err, const asl_path *path, size_t seg, json_object *node, const char *wanted)
{
	size_t		prefix = path->segments.items[seg].start;

	asl_error_set(err, ASL_ERR_RESULT_PATH_MATCH,
				  "Unable to apply ResultPath '%s': '%.*s' is of type %s, not %s",
				  path->text, (int) prefix, path->text,
				  json_type_to_name(json_object_get_type(node)), wanted);
	return false;
}

/* Stores value (whose reference we own) as member or element seg of target. */
static bool
store(json_object *target, const segment *seg, json_object *value)
{
	int			rc;

	if (seg->kind == SEG_NAME)
		rc = json_object_object_add(target, seg->name, value);
	else
		rc = json_object_array_put_idx(target, (size_t) seg->index, value);
	if (rc != 0)
		json_object_put(value);
	return rc == 0;
}

bool
asl_path_assign(const asl_path *path, json_object **doc, json_object *value, asl_error *err)
{
	const segment *segs;
	json_object *cur;
	json_object *next;
	json_object *chain = NULL;
	json_object *link;
	size_t		n;
	size_t		k;
	size_t		j;
	int			cycle;

	if (path == NULL || doc == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "ResultPath: no path or document");
		return false;
	}
	if (asl_path_first_non_reference(&path->segments) != NULL)
	{
		asl_error_set(err, ASL_ERR_RESULT_PATH_MATCH,
					  "Unable to apply ResultPath '%s': not a reference path", path->text);
		return false;
	}
	segs = path->segments.items;
	n = path->segments.count;
	if (n == 0)
	{
		/* take the new reference first: value may live inside *doc */
		value = json_object_get(value);
		json_object_put(*doc);
		*doc = value;
		return true;
	}

	/*
	 * Walk what exists, checking every step can be taken, before changing
	 * anything: a failed assignment leaves *doc as it was. k is the segment
	 * applied to cur, the deepest existing node that will change.
	 */
	cur = *doc;
	for (k = 0;; k++)
	{
		const segment *s = &segs[k];

		if (s->kind == SEG_NAME)
		{
			if (!json_object_is_type(cur, json_type_object))
				return mismatch(err, path, k, cur, "an object");
			if (k == n - 1 || !json_object_object_get_ex(cur, s->name, &next))
				break;
		}
		else
		{
			if (!json_object_is_type(cur, json_type_array))
				return mismatch(err, path, k, cur, "an array");
			if ((size_t) s->index >= json_object_array_length(cur))
			{
				asl_error_set(err, ASL_ERR_RESULT_PATH_MATCH,
							  "Unable to apply ResultPath '%s': index %lld is out of range for '%.*s' (length %zu)",
							  path->text, (long long) s->index, (int) s->start, path->text,
							  json_object_array_length(cur));
				return false;
			}
			if (k == n - 1)
				break;
			next = json_object_array_get_idx(cur, (size_t) s->index);
		}
		cur = next;
	}
	/* below cur only objects can be created */
	for (j = k + 1; j < n; j++)
	{
		if (segs[j].kind != SEG_NAME)
		{
			asl_error_set(err, ASL_ERR_RESULT_PATH_MATCH,
						  "Unable to apply ResultPath '%s': '%.*s' does not exist and arrays are not created",
						  path->text, (int) segs[j].start, path->text);
			return false;
		}
	}

	cycle = reaches(value, cur, 0);
	if (cycle < 0)
	{
		asl_error_set(err, ASL_ERR_RUNTIME,
					  "Unable to apply ResultPath '%s': value nested too deeply", path->text);
		return false;
	}
	if (cycle > 0)
	{
		/* value contains the node it is written into: write a copy */
		link = NULL;
		if (json_object_deep_copy(value, &link, NULL) != 0)
		{
			asl_error_set(err, ASL_ERR_RUNTIME, "Unable to apply ResultPath '%s': out of memory", path->text);
			return false;
		}
	}
	else
		link = json_object_get(value);

	/* build the missing objects detached, innermost first, then attach them */
	for (j = n - 1; j > k; j--)
	{
		chain = json_object_new_object();
		if (chain == NULL || !store(chain, &segs[j], link))
		{
			if (chain == NULL)
				json_object_put(link);
			json_object_put(chain);
			asl_error_set(err, ASL_ERR_RUNTIME, "Unable to apply ResultPath '%s': out of memory", path->text);
			return false;
		}
		link = chain;
	}
	if (!store(cur, &segs[k], link))
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "Unable to apply ResultPath '%s': out of memory", path->text);
		return false;
	}
	return true;
}

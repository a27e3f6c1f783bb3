/*
 * ddb_expr_projection.c — ProjectionExpression, reading a document path,
 * and cutting an item down to a set of paths.
 */
#include "ddb_expr_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_value.h"

struct ddb_projection
{
	ddb_path   *paths;
	size_t		count;
};

/* While a projection is built, a list is {"L~": {"index": value}}: merged by index, compacted at the end. */
#define SPARSE_LIST "L~"

json_object *
ddb_path_get(const ddb_path *path, json_object *item)
{
	json_object *cur = NULL;
	size_t		i;

	if (item == NULL || path->count == 0 || path->elems[0].is_index ||
		!json_object_object_get_ex(item, path->elems[0].name, &cur))
		return NULL;
	for (i = 1; i < path->count && cur != NULL; i++)
	{
		const ddb_path_elem *e = &path->elems[i];
		json_object *payload = ddb_value_payload(cur);

		if (e->is_index)
		{
			if (ddb_value_type(cur) != DDB_TYPE_L || (size_t) e->index >= json_object_array_length(payload))
				return NULL;
			cur = json_object_array_get_idx(payload, (size_t) e->index);
		}
		else
		{
			if (ddb_value_type(cur) != DDB_TYPE_M || !json_object_object_get_ex(payload, e->name, &cur))
				return NULL;
		}
	}
	return cur;
}

/* The child container for elem under parent (an item object, or a typed M / sparse list), created when missing. */
static json_object *
child_slot(json_object *parent_obj, const ddb_path_elem *next, const char *key)
{
	json_object *child = NULL;

	if (json_object_object_get_ex(parent_obj, key, &child) && child != NULL)
		return child;
	child = json_object_new_object();
	if (child == NULL)
		return NULL;
	json_object_object_add(child, next->is_index ? SPARSE_LIST : "M", json_object_new_object());
	json_object_object_add(parent_obj, key, child);
	return child;
}

/* Writes value at path into result, building maps and sparse lists on the way. */
static bool
project_one(json_object *result, const ddb_path *path, json_object *value)
{
	json_object *container = result;	/* an object of key → typed value */
	size_t		i;

	for (i = 0; i < path->count; i++)
	{
		const ddb_path_elem *e = &path->elems[i];
		char		idx[32];
		const char *key = e->name;
		json_object *slot;

		if (e->is_index)
		{
			snprintf(idx, sizeof(idx), "%ld", e->index);
			key = idx;
		}
		if (i == path->count - 1)
		{
			json_object_object_add(container, key, json_object_get(value));
			return true;
		}
		slot = child_slot(container, &path->elems[i + 1], key);
		if (slot == NULL)
			return false;

		/*
		 * a slot built for a map cannot take an index (paths never conflict),
		 * and vice versa
		 */
		if (!json_object_object_get_ex(slot, path->elems[i + 1].is_index ? SPARSE_LIST : "M", &container) ||
			container == NULL)
			return false;
	}
	return true;
}

/* qsort order of list indexes written as decimal strings. */
static int
compare_index_keys(const void *a, const void *b)
{
	long		x = strtol(*(const char *const *) a, NULL, 10);
	long		y = strtol(*(const char *const *) b, NULL, 10);

	return (x > y) - (x < y);
}

/* Turns every sparse list below v into an L in index order. */
static json_object *
compact(json_object *v)
{
	json_object *sparse = NULL;
	json_object *map = NULL;

	if (json_object_object_get_ex(v, SPARSE_LIST, &sparse))
	{
		size_t		n = (size_t) json_object_object_length(sparse),
					i = 0;
		const char **keys = malloc((n ? n : 1) * sizeof(*keys));
		json_object *list = json_object_new_array_ext((int) (n ? n : 1));
		json_object *out = json_object_new_object();

		if (keys == NULL || list == NULL || out == NULL)
		{
			free(keys);
			json_object_put(list);
			json_object_put(out);
			return NULL;
		}
		{
			json_object_object_foreach(sparse, key, val)
			{
				(void) val;
				keys[i++] = key;
			}
		}
		qsort(keys, n, sizeof(*keys), compare_index_keys);
		for (i = 0; i < n; i++)
			json_object_array_add(list, compact(json_object_object_get(sparse, keys[i])));
		free(keys);
		json_object_object_add(out, "L", list);
		return out;
	}
	if (json_object_object_get_ex(v, "M", &map) && json_object_is_type(map, json_type_object))
	{
		json_object *out = json_object_new_object();
		json_object *m = json_object_new_object();

		{
			json_object_object_foreach(map, key, val)
				json_object_object_add(m, key, compact(val));
		}
		json_object_object_add(out, "M", m);
		return out;
	}
	return json_object_get(v);
}

json_object *
ddb_project_paths(const ddb_path *const *paths, size_t count, json_object *item)
{
	json_object *building = json_object_new_object();
	json_object *result;
	size_t		i;

	if (building == NULL)
		return NULL;
	for (i = 0; i < count; i++)
	{
		json_object *value = ddb_path_get(paths[i], item);

		if (value != NULL && !project_one(building, paths[i], value))
		{
			json_object_put(building);
			return NULL;
		}
	}
	result = json_object_new_object();
	if (result != NULL)
	{
		json_object_object_foreach(building, key, val)
			json_object_object_add(result, key, compact(val));
	}
	json_object_put(building);
	return result;
}

/* ---- ProjectionExpression ---- */

void
ddb_projection_free(ddb_projection *proj)
{
	size_t		i;

	if (proj == NULL)
		return;
	for (i = 0; i < proj->count; i++)
		path_release(&proj->paths[i]);
	free(proj->paths);
	free(proj);
}

ddb_projection *
ddb_projection_parse(const char *text, ddb_placeholders *ph, char **message)
{
	parser		p;
	ddb_projection *proj;
	const ddb_path **all;
	size_t		i;

	if (!ddb_parser_init(&p, text, EXPR_PROJECTION, ph, message))
		return NULL;
	proj = calloc(1, sizeof(*proj));
	if (proj == NULL)
	{
		parser_release(&p);
		*message = strdup("out of memory");
		return NULL;
	}
	for (;;)
	{
		ddb_path	path;
		ddb_path   *grown;
		bool		ok = parse_path(&p, &path, NULL);

		grown = realloc(proj->paths, (proj->count + 1) * sizeof(*proj->paths));
		if (grown == NULL)
		{
			path_release(&path);
			p.oom = true;
			break;
		}
		proj->paths = grown;
		proj->paths[proj->count++] = path;
		if (!ok)
			break;
		if (!tok_is(&p, peek(&p), ","))
		{
			if (peek(&p)->kind != TOK_EOF)
				syntax_error(&p);
			break;
		}
		p.pos++;
	}
	all = malloc((proj->count ? proj->count : 1) * sizeof(*all));
	if (all == NULL)
		p.oom = true;
	else if (!p.syntax_failed)
	{
		for (i = 0; i < proj->count; i++)
			all[i] = &proj->paths[i];
		check_overlaps(&p, all, proj->count);
	}
	free(all);
	*message = parser_message(&p);
	parser_release(&p);
	if (*message != NULL)
	{
		ddb_projection_free(proj);
		return NULL;
	}
	return proj;
}

json_object *
ddb_projection_apply(const ddb_projection *proj, json_object *item)
{
	const ddb_path **all = malloc((proj->count ? proj->count : 1) * sizeof(*all));
	json_object *out;
	size_t		i;

	if (all == NULL)
		return NULL;
	for (i = 0; i < proj->count; i++)
		all[i] = &proj->paths[i];
	out = ddb_project_paths(all, proj->count, item);
	free(all);
	return out;
}

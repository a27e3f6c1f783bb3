/*
 * path.c — JSONPath as Step Functions evaluates it (Jayway semantics): the
 * compiled path's lifetime and what callers may ask of it.
 *
 * Compiling is path_parse.c, evaluating path_exec.c, ResultPath assignment
 * path_assign.c, as PostgreSQL splits jsonpath into its grammar, its
 * executor and the rest; the compiled form is path_impl.h.
 */
#include "path_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static void seglist_free(seglist *list);


/* ---- freeing ---- */

/* Frees what a filter operand owns. */
static void
operand_free(operand *o)
{
	json_object_put(o->literal);
	seglist_free(&o->path);
}

void
expr_free(expr *e)
{
	size_t		i;

	if (e == NULL)
		return;
	for (i = 0; i < e->count; i++)
		expr_free(e->children[i]);
	free(e->children);
	operand_free(&e->left);
	operand_free(&e->right);
	free(e);
}

void
segment_free(segment *s)
{
	size_t		i;

	free(s->name);
	if (s->names)
	{
		for (i = 0; i < s->count; i++)
			free(s->names[i]);
		free(s->names);
	}
	free(s->indexes);
	expr_free(s->filter);
}

static void
seglist_free(seglist *list)
{
	size_t		i;

	for (i = 0; i < list->count; i++)
		segment_free(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = list->capacity = 0;
}

void
asl_path_free(asl_path *path)
{
	if (path == NULL)
		return;
	free(path->text);
	free(path->variable);
	seglist_free(&path->segments);
	free(path);
}


const char *
asl_path_text(const asl_path *path)
{
	return path ? path->text : NULL;
}

static void
add_str(asl_strbuf *b, const char *s)
{
	asl_strbuf_add(b, s, strlen(s));
}

/* Appends n in decimal. */
static void
add_int(asl_strbuf *b, int64_t n)
{
	char		buf[24];

	snprintf(buf, sizeof buf, "%lld", (long long) n);
	add_str(b, buf);
}

/* The first n segments of path in Jayway's bracket notation (asl_path_normalized). */
static char *
normalized_prefix(const asl_path *path, size_t n)
{
	asl_strbuf	b = {0};

	if (path == NULL)
		return NULL;
	if (path->root == ASL_ROOT_CONTEXT)
		add_str(&b, "$$");
	else
	{
		add_str(&b, "$");
		if (path->root == ASL_ROOT_VARIABLE && path->variable)
			add_str(&b, path->variable);
	}
	for (size_t i = 0; i < n && i < path->segments.count; i++)
	{
		const segment *sg = &path->segments.items[i];

		if (sg->deep)
			add_str(&b, "..");
		switch (sg->kind)
		{
			case SEG_NAME:
				add_str(&b, "['");
				add_str(&b, sg->name);
				add_str(&b, "']");
				break;
			case SEG_INDEX:
				add_str(&b, "[");
				add_int(&b, sg->index);
				add_str(&b, "]");
				break;
			case SEG_WILDCARD:
				add_str(&b, "[*]");
				break;
			case SEG_SLICE:
				add_str(&b, "[");
				if (sg->has_from)
					add_int(&b, sg->from);
				add_str(&b, ":");
				if (sg->has_to)
					add_int(&b, sg->to);
				add_str(&b, "]");
				break;
			case SEG_NAMES:
				add_str(&b, "[");
				for (size_t j = 0; j < sg->count; j++)
				{
					add_str(&b, j ? ",'" : "'");
					add_str(&b, sg->names[j]);
					add_str(&b, "'");
				}
				add_str(&b, "]");
				break;
			case SEG_INDEXES:
				add_str(&b, "[");
				for (size_t j = 0; j < sg->count; j++)
				{
					if (j)
						add_str(&b, ",");
					add_int(&b, sg->indexes[j]);
				}
				add_str(&b, "]");
				break;
			case SEG_FILTER:
				add_str(&b, "[?]");
				break;
		}
	}
	asl_strbuf_add(&b, "", 0);
	if (b.oom)
	{
		free(b.data);
		return NULL;
	}
	return b.data;
}

char	   *
asl_path_normalized(const asl_path *path)
{
	return path ? normalized_prefix(path, path->segments.count) : NULL;
}

char	   *
asl_path_missing_property(const asl_path *path, const asl_scope *scope)
{
	json_object *node;

	if (path == NULL || scope == NULL || path->root == ASL_ROOT_VARIABLE)
		return NULL;
	node = path->root == ASL_ROOT_INPUT ? scope->input : asl_scope_context(scope);
	/* the last segment missing is "No results", not this */
	for (size_t i = 0; i + 1 < path->segments.count; i++)
	{
		const segment *sg = &path->segments.items[i];
		json_object *next;

		if (sg->deep || (sg->kind != SEG_NAME && sg->kind != SEG_INDEX))
			return NULL;
		if (sg->kind == SEG_INDEX)
		{
			int64_t		len;

			if (!json_object_is_type(node, json_type_array))
				return NULL;
			len = (int64_t) json_object_array_length(node);
			if (sg->index >= len || sg->index < -len)
				return NULL;
			node = json_object_array_get_idx(node, (size_t) (sg->index < 0 ? len + sg->index : sg->index));
			continue;
		}
		if (!json_object_is_type(node, json_type_object))
			return NULL;
		if (!json_object_object_get_ex(node, sg->name, &next))
			return normalized_prefix(path, i + 1);
		node = next;
	}
	return NULL;
}

asl_path_root
asl_path_root_kind(const asl_path *path)
{
	return path ? path->root : ASL_ROOT_INPUT;
}

const char *
asl_path_variable(const asl_path *path)
{
	return path && path->root == ASL_ROOT_VARIABLE ? path->variable : NULL;
}

bool
asl_path_is_root(const asl_path *path)
{
	return path != NULL && path->segments.count == 0;
}

bool
asl_path_is_definite(const asl_path *path)
{
	return path != NULL && path->definite;
}

/*
 * ddb_expr.h — DynamoDB expressions: ConditionExpression, UpdateExpression,
 * ProjectionExpression.
 *
 * Parsing resolves #name and :value placeholders against the request's
 * ExpressionAttributeNames and ExpressionAttributeValues (recording which
 * were used) and makes every check DynamoDB makes before it reads the item;
 * a failure comes back as DynamoDB's ValidationException message, already
 * prefixed ("Invalid UpdateExpression: ..."). Evaluation takes the item as
 * a json-c object of attribute name → typed value (NULL: no item) and never
 * fails for a condition; an update can fail on the item's data, again with
 * DynamoDB's message.
 *
 * Parsed expressions hold references to the placeholder values and are
 * read-only afterwards.
 */
#ifndef DDB_EXPR_H
#define DDB_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

/* Longest expression DynamoDB accepts, in bytes. */
#define DDB_MAX_EXPRESSION_SIZE		4096
/* Operands of IN. */
#define DDB_MAX_IN_OPERANDS			100
/* Elements of a document path. */
#define DDB_MAX_PATH_DEPTH			32

/* One step of a document path: an attribute name or a list index. */
typedef struct ddb_path_elem
{
	bool		is_index;
	char	   *name;			/* the real name, placeholders resolved */
	long		index;
} ddb_path_elem;

typedef struct ddb_path
{
	ddb_path_elem *elems;
	size_t		count;			/* at least 1; elems[0] is a name */
} ddb_path;

/* A request's placeholders and which of them its expressions used. */
typedef struct ddb_placeholders
{
	json_object *names;			/* borrowed {"#n": "name"}, or NULL */
	json_object *values;		/* borrowed {":v": checked typed value}, or
								 * NULL */
	json_object *used;			/* owned: every placeholder referenced, as a
								 * key */
} ddb_placeholders;

typedef struct ddb_condition ddb_condition;
typedef struct ddb_update ddb_update;
typedef struct ddb_projection ddb_projection;

void		ddb_placeholders_init(ddb_placeholders *ph, json_object *names, json_object *values);
void		ddb_placeholders_release(ddb_placeholders *ph);

/*
 * DynamoDB's message for placeholders no expression used ("Value provided in
 * ExpressionAttributeNames unused in expressions: keys: {#a, #b}"), names
 * before values; NULL when all were used. malloc'd.
 */
char	   *ddb_placeholders_unused(const ddb_placeholders *ph);

/* On failure these return NULL and set *message (malloc'd). */
ddb_condition *ddb_condition_parse(const char *text, ddb_placeholders *ph, char **message);
ddb_update *ddb_update_parse(const char *text, ddb_placeholders *ph, char **message);
ddb_projection *ddb_projection_parse(const char *text, ddb_placeholders *ph, char **message);

void		ddb_condition_free(ddb_condition *cond);
void		ddb_update_free(ddb_update *update);
void		ddb_projection_free(ddb_projection *proj);

/* True when the item (NULL: none, every attribute missing) satisfies the condition. */
bool		ddb_condition_eval(const ddb_condition *cond, json_object *item);

/*
 * Applies the update to *item, an item object the caller owns, in place.
 * Every right-hand side reads the item as it was before the update. On
 * failure returns false, sets *message, and *item may be partly updated
 * (the caller discards it).
 */
bool		ddb_update_apply(const ddb_update *update, json_object *item, char **message);

/* The document paths the update's actions write, in the order written. */
size_t		ddb_update_path_count(const ddb_update *update);
const ddb_path *ddb_update_path(const ddb_update *update, size_t i);

/* A new item with only the projected paths that exist (lists compacted, in index order). */
json_object *ddb_projection_apply(const ddb_projection *proj, json_object *item);

/* The same for any set of paths; item may be NULL (an empty item results). */
json_object *ddb_project_paths(const ddb_path *const *paths, size_t count, json_object *item);

/* The value at path in item (borrowed), or NULL when absent. */
json_object *ddb_path_get(const ddb_path *path, json_object *item);

/* DynamoDB's rendering of a path in messages: "[a, [0], b]". malloc'd. */
char	   *ddb_path_render(const ddb_path *path);

/* True when name is one of DynamoDB's reserved words (any case). */
bool		ddb_is_reserved_word(const char *name);

#endif

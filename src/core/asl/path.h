/*
 * path.h — JSONPath as the Amazon States Language uses it.
 *
 * A path starts at "$" (the input), "$$" (the context object) or "$name" (a
 * workflow variable). Supported: dot and bracket names (quoted with ' or ",
 * with \ escapes), indexes (negative too), [*], slices [a:b:c], unions [a,b],
 * deep scan .., filters [?(@.x < 10 && @.y == 'z')].
 *
 * A reference path (ASL_PATH_REFERENCE) may only name a single node: names
 * and non-negative indexes, no wildcards, slices, unions, filters or deep
 * scan. InputPath, OutputPath, ResultPath, *Path fields and Variable are
 * reference paths in AWS; Parameters' ".$" values and ItemsPath... take
 * query paths.
 */
#ifndef ASL_PATH_H
#define ASL_PATH_H

#include <stdbool.h>
#include <json-c/json.h>

#include "error.h"
#include "scope.h"

typedef struct asl_path asl_path;

typedef enum asl_path_flavor
{
	ASL_PATH_QUERY,				/* any JSONPath */
	ASL_PATH_REFERENCE			/* a single node */
} asl_path_flavor;

typedef enum asl_path_root
{
	ASL_ROOT_INPUT,				/* $ */
	ASL_ROOT_CONTEXT,			/* $$ */
	ASL_ROOT_VARIABLE			/* $name */
} asl_path_root;

/*
 * Compiles text. On failure returns NULL and sets *error to a malloc'd
 * message naming the offending character offset (caller frees).
 */
asl_path   *asl_path_compile(const char *text, asl_path_flavor flavor, char **error);
void		asl_path_free(asl_path *path);

/* The text path was compiled from (owned by path; NULL for a NULL path). */
const char *asl_path_text(const asl_path *path);

/*
 * The path in the bracket notation Jayway prints in its messages, which AWS
 * quotes ("No results for path: $['a']['b'][0]"): names as ['name'], indexes
 * [n], wildcards [*], slices [from:to], filters [?], deep scans ... A
 * malloc'd string; NULL when out of memory.
 */
char	   *asl_path_normalized(const asl_path *path);

/*
 * When a definite path matches nothing because a property before its last
 * segment is missing from an object, the path up to that property, as Jayway
 * names it ("Missing property in path $['a']"); NULL otherwise (and when out
 * of memory). The caller frees.
 */
char	   *asl_path_missing_property(const asl_path *path, const asl_scope *scope);

/* Which document the path starts from ($, $$ or $name); ASL_ROOT_INPUT for NULL. */
asl_path_root asl_path_root_kind(const asl_path *path);

/* For ASL_ROOT_VARIABLE: the variable's name; NULL otherwise. */
const char *asl_path_variable(const asl_path *path);

/* True when the path is "$" alone (or "$$" alone, or "$name" alone). */
bool		asl_path_is_root(const asl_path *path);

/* True when the path can match at most one node (no wildcard, slice, union, filter, deep scan). */
bool		asl_path_is_definite(const asl_path *path);

/*
 * Evaluates against the scope (the root is picked by the path's root kind).
 * Definite path: *out is a new reference to the one node; returns false with
 * *out == NULL when nothing matches. Indefinite path: *out is a new array of
 * every match (possibly empty); returns true.
 * A json null node is a match: *out is NULL but the function returns true,
 * so callers tell "null" from "no match" by the return value.
 * Pathological evaluations (".." deeper than 1000 levels, over 4M nodes in
 * one step, over 16M nodes visited) also return false with *out == NULL,
 * even for indefinite paths.
 */
bool		asl_path_select(const asl_path *path, const asl_scope *scope, json_object **out);

/*
 * Writes value (a reference is taken) at a reference path inside *doc,
 * creating missing intermediate objects, as ResultPath does. "$" replaces
 * *doc entirely. Fails (returns false, sets err to
 * States.ResultPathMatchFailure) when an intermediate node exists and is not
 * an object, or an index is out of range; *doc is then left unchanged.
 * *doc is modified in place, so the caller must own it (not share it). The
 * path's root kind is not consulted: *doc is the root. When value contains
 * the node it is written into, a deep copy is written, never a cycle.
 */
bool		asl_path_assign(const asl_path *path, json_object **doc, json_object *value, asl_error *err);

#endif

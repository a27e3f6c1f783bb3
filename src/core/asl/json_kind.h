/*
 * json_kind.h — what kind of JSON value a json-c value is, as the
 * interpreter's checks and messages need it.
 */
#ifndef ASL_JSON_KIND_H
#define ASL_JSON_KIND_H

#include <stdbool.h>
#include <json-c/json.h>

/* "null", "a boolean", "a number", "a string", "an array" or "an object" (a static string). */
const char *asl_json_type_label(json_object *v);

/* True for a json-c integer or double (NULL, JSON null, is not a number). */
bool		asl_json_is_number(json_object *v);

#endif							/* ASL_JSON_KIND_H */

/*
 * substitute.h — SAM-style DefinitionSubstitutions.
 *
 * Every "${Name}" inside a string (keys included) is replaced by the value of
 * Name in the substitutions object, as AWS SAM does before it deploys a
 * definition. A placeholder with no value is an error (code
 * UNSUBSTITUTED_PLACEHOLDER), reported with the pointer of the string.
 */
#ifndef ASL_SUBSTITUTE_H
#define ASL_SUBSTITUTE_H

#include <json-c/json.h>

#include "diag.h"

/*
 * Returns a new definition (caller puts it) with substitutions applied, or
 * NULL when an error was recorded in diags. substitutions may be NULL: then
 * every placeholder is an error. Substitution values must be strings,
 * numbers or booleans (their text is inserted).
 */
json_object *asl_substitute(json_object *definition, json_object *substitutions, asl_diags *diags);

#endif

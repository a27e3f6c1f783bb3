/*
 * names.h — AWS's naming rule for state machines, executions and activities.
 */
#ifndef ASL_NAMES_H
#define ASL_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define ASL_MAX_NAME 80

/*
 * True when name is 1..80 characters with no whitespace, no brackets < > { } [ ],
 * no wildcard ? *, none of " # % \ ^ | ~ ` $ & , ; : /, and no control
 * characters (U+0000–U+001F, U+007F–U+009F), as AWS requires. Otherwise
 * false and *why says which rule was broken.
 */
bool		asl_name_valid(const char *name, const char **why);

/*
 * True when name (len bytes, not NUL-terminated) is a workflow variable name,
 * as a state's Assign and a Choice rule's Assign take: a letter or
 * underscore, then letters, digits or underscores (non-ASCII letters
 * allowed), at most 80 characters.
 */
bool		asl_variable_name_valid(const char *name, size_t len);

#endif

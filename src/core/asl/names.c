/*
 * names.c — AWS's naming rule for state machines, executions and activities.
 */
#include "names.h"

#include <string.h>

bool
asl_name_valid(const char *name, const char **why)
{
	size_t		chars = 0;
	const unsigned char *p = (const unsigned char *) name;

	if (name == NULL || *name == '\0')
	{
		*why = "must not be empty";
		return false;
	}
	while (*p)
	{
		/* count characters, not bytes: skip UTF-8 continuation bytes */
		if ((*p & 0xC0) != 0x80)
			chars++;
		if (*p < 0x20 || *p == 0x7F)
		{
			*why = "must not contain control characters";
			return false;
		}
		/* U+0080–U+009F are C1 controls, encoded as C2 80 – C2 9F */
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
		{
			*why = "must not contain control characters";
			return false;
		}
		if (*p == ' ' || *p == '\t')
		{
			*why = "must not contain whitespace";
			return false;
		}
		if (strchr("<>{}[]", *p))
		{
			*why = "must not contain brackets < > { } [ ]";
			return false;
		}
		if (strchr("?*", *p))
		{
			*why = "must not contain wildcard characters ? *";
			return false;
		}
		if (strchr("\"#%\\^|~`$&,;:/", *p))
		{
			*why = "must not contain any of \" # % \\ ^ | ~ ` $ & , ; : /";
			return false;
		}
		p++;
	}
	if (chars > ASL_MAX_NAME)
	{
		*why = "must be at most 80 characters";
		return false;
	}
	return true;
}

bool
asl_variable_name_valid(const char *name, size_t len)
{
	size_t		chars = 0;

	if (len == 0 || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
	{
		unsigned char ch = (unsigned char) name[i];

		if ((ch & 0xC0) != 0x80)
			chars++;
		if (ch < 0x80 && !(ch == '_' || (ch >= 'a' && ch <= 'z') ||
						   (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
			return false;
	}
	return chars <= 80;
}

/*
 * test_names.c — AWS's naming rule (CreateStateMachine "name", StartExecution "name").
 */
#include "core/asl/names.h"
#include "unit.h"

static void
valid(const char *name)
{
	const char *why = NULL;

	CHECK_MSG(asl_name_valid(name, &why), "'%s' should be valid (%s)", name, why ? why : "");
}

static void
invalid(const char *name, const char *expected_why)
{
	const char *why = NULL;

	CHECK_MSG(!asl_name_valid(name, &why), "'%s' should be invalid", name);
	CHECK_STR(why, expected_why);
}

UNIT_MAIN("names", {
	char		long_name[82];

	valid("booking");
	valid("Booking-Workflow_v2.1");
	valid("réservation");
	valid("1234567");
	memset(long_name, 'a', 80);
	long_name[80] = '\0';
	valid(long_name);
	long_name[80] = 'a';
	long_name[81] = '\0';
	invalid(long_name, "must be at most 80 characters");
	invalid("", "must not be empty");
	invalid("has space", "must not contain whitespace");
	invalid("tab\there", "must not contain control characters");
	invalid("a<b", "must not contain brackets < > { } [ ]");
	invalid("a[0]", "must not contain brackets < > { } [ ]");
	invalid("what?", "must not contain wildcard characters ? *");
	invalid("all*", "must not contain wildcard characters ? *");
	invalid("a:b", "must not contain any of \" # % \\ ^ | ~ ` $ & , ; : /");
	invalid("a/b", "must not contain any of \" # % \\ ^ | ~ ` $ & , ; : /");
	invalid("${DDBTable}", "must not contain any of \" # % \\ ^ | ~ ` $ & , ; : /");
	invalid("c1\xc2\x85", "must not contain control characters");
	/* 80 two-byte characters are 80 characters, not 160 */
	{
		char		wide[161];

		for (int i = 0; i < 80; i++)
		{
			wide[2 * i] = (char) 0xC3;
			wide[2 * i + 1] = (char) 0xA9;
		}
		wide[160] = '\0';
		valid(wide);
	}
})

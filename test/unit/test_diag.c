/*
 * test_diag.c — diagnostics lists and RFC 6901 JSON pointers.
 */
#include <stdbool.h>
#include <json-c/json.h>

#include "unit.h"
#include "core/diag.h"

static void
test_pointers(void)
{
	char	   *p = asl_pointer_join("", "States");
	char	   *q = asl_pointer_join(p, "a/b~c");
	char	   *r = asl_pointer_index(q, 3);

	CHECK_STR(p, "/States");
	CHECK_STR(q, "/States/a~1b~0c");
	CHECK_STR(r, "/States/a~1b~0c/3");
	free(p);
	free(q);
	free(r);
}

static void
test_counts(void)
{
	asl_diags	d;

	asl_diags_init(&d);
	asl_diag_add(&d, ASL_SEV_ERROR, "A", "/x", "first %d", 1);
	asl_diag_add(&d, ASL_SEV_WARNING, "W", "/y", "a warning");
	CHECK_INT(d.count, 2);
	CHECK_INT(d.errors, 1);
	CHECK_STR(d.items[0].message, "first 1");
	CHECK_STR(asl_severity_name(d.items[1].severity), "WARNING");
	asl_diags_free(&d);
}

/* Later problems at a location already reported are dropped; others stay, in order. */
static void
test_drop_repeated_locations(void)
{
	asl_diags	d;

	asl_diags_init(&d);
	asl_diag_add(&d, ASL_SEV_ERROR, "UNSUBSTITUTED_PLACEHOLDER", "/States/T/Resource", "p");
	asl_diag_add(&d, ASL_SEV_ERROR, "INVALID_RESOURCE", "/States/T/Resource", "r");
	asl_diag_add(&d, ASL_SEV_ERROR, "UNKNOWN_FIELD", "/States/T/Colour", "u");
	asl_diag_add(&d, ASL_SEV_WARNING, "NO_DOLLAR", "/States/T/Resource", "w");
	asl_diags_drop_repeated_locations(&d, 1);
	CHECK_INT(d.count, 2);
	CHECK_INT(d.errors, 2);
	CHECK_STR(d.items[0].code, "UNSUBSTITUTED_PLACEHOLDER");
	CHECK_STR(d.items[1].code, "UNKNOWN_FIELD");
	/* from == count: nothing to drop */
	asl_diags_drop_repeated_locations(&d, d.count);
	CHECK_INT(d.count, 2);
	asl_diags_free(&d);
}

UNIT_MAIN("test_diag", {
	test_pointers();
	test_counts();
	test_drop_repeated_locations();
})

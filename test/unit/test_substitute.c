/*
 * test_substitute.c — SAM DefinitionSubstitutions: ${Name} in values and
 * keys, value types, the ${!Literal} escape, what is not a placeholder, the
 * errors and their pointers, and the article's deployed definition.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/asl/substitute.h"
#include "unit.h"
#include "unit_diags.h"

static const char *subs_text =
"{\"DDBUpdateItem\": \"arn:aws:states:::dynamodb:updateItem\", \"Table\": \"apartments\","
" \"N\": 42, \"F\": 1.5, \"Neg\": -3, \"B\": true, \"Off\": false, \"Empty\": \"\","
" \"AWS::Region\": \"eu-west-1\", \"my.name-1_x\": \"odd\", \"Self\": \"${Table}\","
" \"Obj\": {\"a\": 1}, \"Arr\": [1], \"Null\": null, \"x\": \"x\"}";

/* Substitutes with subs_text and compares with expected JSON. */
static void
expect_out(int line, const char *def_text, const char *expected)
{
	json_object *def = json_tokener_parse(def_text);
	json_object *subs = json_tokener_parse(subs_text);
	json_object *e = json_tokener_parse(expected);
	json_object *out;
	asl_diags	d;

	asl_diags_init(&d);
	out = asl_substitute(def, subs, &d);
	CHECK_MSG(out != NULL && d.count == 0 && json_object_equal(out, e),
			  "line %d: %s: expected %s, got %s", line, def_text, expected,
			  out ? json_object_to_json_string(out) : "NULL");
	if (d.count)
		dump_diags(&d);
	json_object_put(out);
	json_object_put(e);
	json_object_put(subs);
	json_object_put(def);
	asl_diags_free(&d);
}

/* Expects failure with n errors, one of them code at pointer. */
static void
expect_error(int line, const char *def_text, const char *subs, const char *code,
			 const char *pointer, size_t n)
{
	json_object *def = json_tokener_parse(def_text);
	json_object *s = subs ? json_tokener_parse(subs) : NULL;
	json_object *out;
	asl_diags	d;

	asl_diags_init(&d);
	out = asl_substitute(def, s, &d);
	CHECK_MSG(out == NULL, "line %d: %s: substituted", line, def_text);
	CHECK_MSG(d.errors == n && has_diag(&d, code, pointer),
			  "line %d: %s: expected %zu error(s), with %s at \"%s\"", line, def_text, n, code, pointer);
	if (d.errors != n || !has_diag(&d, code, pointer))
		dump_diags(&d);
	json_object_put(out);
	json_object_put(s);
	json_object_put(def);
	asl_diags_free(&d);
}

#define EXPECT_OUT(def, expected) expect_out(__LINE__, def, expected)
#define EXPECT_ERROR(def, code, ptr) expect_error(__LINE__, def, subs_text, code, ptr, 1)

static void
test_values(void)
{
	EXPECT_OUT("{\"Resource\": \"${DDBUpdateItem}\"}", "{\"Resource\": \"arn:aws:states:::dynamodb:updateItem\"}");
	EXPECT_OUT("{\"a\": \"table ${Table} in ${AWS::Region}.\"}", "{\"a\": \"table apartments in eu-west-1.\"}");
	EXPECT_OUT("{\"a\": \"${Table}${Table}\"}", "{\"a\": \"apartmentsapartments\"}");
	EXPECT_OUT("{\"a\": \"${N}\", \"b\": \"n=${N}\", \"c\": \"${F}\", \"d\": \"${Neg}\"}",
			   "{\"a\": \"42\", \"b\": \"n=42\", \"c\": \"1.5\", \"d\": \"-3\"}");
	EXPECT_OUT("{\"a\": \"${B}/${Off}\"}", "{\"a\": \"true/false\"}");
	EXPECT_OUT("{\"a\": \"[${Empty}]\"}", "{\"a\": \"[]\"}");
	EXPECT_OUT("{\"a\": \"${my.name-1_x}\"}", "{\"a\": \"odd\"}");
	/* values are inserted as text and not scanned again */
	EXPECT_OUT("{\"a\": \"${Self}\"}", "{\"a\": \"${Table}\"}");
	/* everywhere: nested objects, arrays, keys */
	EXPECT_OUT("{\"x\": {\"y\": [1, \"${Table}\", {\"z\": \"${N}\"}]}}",
			   "{\"x\": {\"y\": [1, \"apartments\", {\"z\": \"42\"}]}}");
	EXPECT_OUT("{\"${Table}\": {\"key-${N}\": true}}", "{\"apartments\": {\"key-42\": true}}");
	EXPECT_OUT("[\"${Table}\", null, 3.25, false]", "[\"apartments\", null, 3.25, false]");
	EXPECT_OUT("\"${Table}\"", "\"apartments\"");
	/* non-ASCII text around a placeholder */
	EXPECT_OUT("{\"a\": \"\\u00e9${Table}\\ud83d\\ude00\"}", "{\"a\": \"\\u00e9apartments\\ud83d\\ude00\"}");
}

static void
test_not_placeholders(void)
{
	EXPECT_OUT("{\"a\": \"$5 and $Table and $ {Table}\"}", "{\"a\": \"$5 and $Table and $ {Table}\"}");
	EXPECT_OUT("{\"a\": \"${\", \"b\": \"${}\", \"c\": \"${ Table }\", \"d\": \"${Table\"}",
			   "{\"a\": \"${\", \"b\": \"${}\", \"c\": \"${ Table }\", \"d\": \"${Table\"}");
	EXPECT_OUT("{\"a\": \"${a b}\", \"b\": \"${Table/x}\"}", "{\"a\": \"${a b}\", \"b\": \"${Table/x}\"}");
	EXPECT_OUT("{\"a\": \"$${Table}\"}", "{\"a\": \"$apartments\"}");
	EXPECT_OUT("{\"a\": \"${${Table}}\"}", "{\"a\": \"${apartments}\"}");
	EXPECT_OUT("{\"a.$\": \"$.x\", \"b\": \"$$.Execution.Id\"}", "{\"a.$\": \"$.x\", \"b\": \"$$.Execution.Id\"}");
}

static void
test_escape(void)
{
	EXPECT_OUT("{\"a\": \"${!Literal}\"}", "{\"a\": \"${Literal}\"}");
	EXPECT_OUT("{\"a\": \"${!Table} is ${Table}\"}", "{\"a\": \"${Table} is apartments\"}");
	EXPECT_OUT("{\"a\": \"${!}\"}", "{\"a\": \"${}\"}");
	EXPECT_OUT("{\"a\": \"${!Unknown Thing}\"}", "{\"a\": \"${Unknown Thing}\"}");
	EXPECT_OUT("{\"a\": \"${!no end\"}", "{\"a\": \"${!no end\"}");
	EXPECT_OUT("{\"${!Key}\": 1}", "{\"${Key}\": 1}");
}

static void
test_embedded_nul(void)
{
	json_object *def = json_object_new_object();
	json_object *subs = json_tokener_parse(subs_text);
	json_object *out;
	asl_diags	d;

	json_object_object_add(def, "a", json_object_new_string_len("x\0${Table}", 10));
	asl_diags_init(&d);
	out = asl_substitute(def, subs, &d);
	CHECK(out != NULL);
	if (out != NULL)
	{
		json_object *a = json_object_object_get(out, "a");

		CHECK_INT(json_object_get_string_len(a), 12);
		CHECK(memcmp(json_object_get_string(a), "x\0apartments", 12) == 0);
	}
	json_object_put(out);
	json_object_put(subs);
	json_object_put(def);
	asl_diags_free(&d);
}

static void
test_errors(void)
{
	EXPECT_ERROR("{\"States\": {\"A\": {\"Resource\": \"${Nope}\"}}}", "UNSUBSTITUTED_PLACEHOLDER", "/States/A/Resource");
	EXPECT_ERROR("{\"list\": [\"ok\", \"${Nope}\"]}", "UNSUBSTITUTED_PLACEHOLDER", "/list/1");
	EXPECT_ERROR("{\"States\": {\"${Nope}\": {}}}", "UNSUBSTITUTED_PLACEHOLDER", "/States/${Nope}");
	EXPECT_ERROR("{\"a/${Nope}\": 1}", "UNSUBSTITUTED_PLACEHOLDER", "/a~1${Nope}");
	EXPECT_ERROR("{\"a\": \"${table}\"}", "UNSUBSTITUTED_PLACEHOLDER", "/a");	/* names are case-sensitive */
	EXPECT_ERROR("\"${Nope}\"", "UNSUBSTITUTED_PLACEHOLDER", "");
	/* a value that has no text */
	EXPECT_ERROR("{\"a\": \"${Obj}\"}", "WRONG_TYPE", "/a");
	EXPECT_ERROR("{\"a\": \"${Arr}\"}", "WRONG_TYPE", "/a");
	EXPECT_ERROR("{\"a\": \"${Null}\"}", "WRONG_TYPE", "/a");
	/* two keys that become one */
	EXPECT_ERROR("{\"${x}\": 1, \"x\": 2}", "INVALID_VALUE", "/x");
	/* every problem at once */
	expect_error(__LINE__, "{\"a\": \"${One} ${Two}\", \"${Three}\": [\"${Four}\"]}", subs_text,
				 "UNSUBSTITUTED_PLACEHOLDER", "/${Three}/0", 4);
	/* no substitutions at all: every placeholder is an error */
	expect_error(__LINE__, "{\"a\": \"${Table}\"}", NULL, "UNSUBSTITUTED_PLACEHOLDER", "/a", 1);
	/* substitutions that are not an object */
	expect_error(__LINE__, "{\"a\": \"${Table}\"}", "[1]", "WRONG_TYPE", "", 1);
	expect_error(__LINE__, "{\"a\": 1}", "\"Table\"", "WRONG_TYPE", "", 1);
}

static void
test_no_placeholders(void)
{
	json_object *def = json_tokener_parse("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}, \"n\": [1, 2.5, null]}");
	json_object *out;
	asl_diags	d;

	asl_diags_init(&d);
	out = asl_substitute(def, NULL, &d);
	CHECK(out != NULL && out != def);
	CHECK(json_object_equal(out, def));
	CHECK_INT(d.count, 0);
	/* a new tree: changing it leaves the source alone */
	json_object_object_add(json_object_object_get(out, "States"), "B", json_object_new_int(1));
	CHECK(json_object_object_get_ex(json_object_object_get(def, "States"), "B", NULL) == false);
	json_object_put(out);
	json_object_put(def);

	/* JSON null in, JSON null out */
	CHECK(asl_substitute(NULL, NULL, &d) == NULL);
	CHECK_INT(d.count, 0);
	asl_diags_free(&d);
}

/* Every "${" left anywhere in v (keys included). */
static int
count_placeholders(json_object *v)
{
	int			n = 0;

	if (json_object_is_type(v, json_type_string))
		return strstr(json_object_get_string(v), "${") != NULL;
	if (json_object_is_type(v, json_type_array))
	{
		for (size_t i = 0; i < json_object_array_length(v); i++)
			n += count_placeholders(json_object_array_get_idx(v, i));
		return n;
	}
	if (json_object_is_type(v, json_type_object))
	{
		json_object_object_foreach(v, key, val)
		{
			n += strstr(key, "${") != NULL;
			n += count_placeholders(val);
		}
	}
	return n;
}

static char *
read_text(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf;
	long		n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t) n + 1);
	if (buf != NULL && fread(buf, 1, (size_t) n, f) != (size_t) n)
	{
		free(buf);
		buf = NULL;
	}
	if (buf != NULL)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Replaces every "from" in text (malloc'd, freed) with "to". */
static char *
replace_all(char *text, const char *from, const char *to)
{
	size_t		fl = strlen(from),
				tl = strlen(to),
				n = 0;
	char	   *out,
			   *o;

	for (const char *p = text; (p = strstr(p, from)) != NULL; p += fl)
		n++;
	out = malloc(strlen(text) + n * tl + 1);
	o = out;
	for (const char *p = text;;)
	{
		const char *hit = strstr(p, from);

		if (hit == NULL)
		{
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t) (hit - p));
		o += hit - p;
		memcpy(o, to, tl);
		o += tl;
		p = hit + fl;
	}
	free(text);
	return out;
}

/* The article's deployed definition with the SAM template's substitutions. */
static void
test_article(void)
{
	char	   *text = read_text("statemachine/booking_step_function.asl.json");
	char	   *subs_file = read_text("statemachine/substitutions.json");
	json_object *def,
			   *subs,
			   *out,
			   *expected,
			   *states;
	asl_diags	d;

	CHECK_MSG(text != NULL && subs_file != NULL, "run from the repository root: statemachine/ not found");
	if (text == NULL || subs_file == NULL)
	{
		free(text);
		free(subs_file);
		return;
	}
	def = json_tokener_parse(text);
	subs = json_tokener_parse(subs_file);
	CHECK(def != NULL && subs != NULL);
	CHECK_INT(count_placeholders(def), 6);
	asl_diags_init(&d);
	out = asl_substitute(def, subs, &d);
	CHECK(out != NULL);
	CHECK_INT(d.count, 0);
	CHECK_INT(count_placeholders(out), 0);
	states = json_object_object_get(out, "States");
	CHECK_STR(json_object_get_string(json_object_object_get(json_object_object_get(states, "Change Apartment Status"), "Resource")),
			  "arn:aws:states:::dynamodb:updateItem");
	CHECK_STR(json_object_get_string(json_object_object_get(json_object_object_get(states, "Get Booking Status"), "Resource")),
			  "arn:aws:states:::dynamodb:getItem");
	CHECK_STR(json_object_get_string(json_object_object_get(json_object_object_get(states, "Not Paid(Revert Apartment Status)"), "Resource")),
			  "arn:aws:states:::dynamodb:updateItem");
	CHECK_STR(json_object_get_string(json_object_object_get(json_object_object_get(
																				   json_object_object_get(states, "Get Booking Status"), "Parameters"), "TableName")),
			  "apartments");
	/* the same as replacing the text by hand */
	text = replace_all(text, "${DDBUpdateItem}", "arn:aws:states:::dynamodb:updateItem");
	text = replace_all(text, "${DDBGetItem}", "arn:aws:states:::dynamodb:getItem");
	text = replace_all(text, "${DDBTable}", "apartments");
	expected = json_tokener_parse(text);
	CHECK(json_object_equal(out, expected));
	/* the source is unchanged */
	CHECK_INT(count_placeholders(def), 6);
	json_object_put(expected);
	json_object_put(out);

	/* without DDBTable: every use of it is reported, at its field */
	json_object_object_del(subs, "DDBTable");
	asl_diags_free(&d);
	asl_diags_init(&d);
	CHECK(asl_substitute(def, subs, &d) == NULL);
	CHECK_INT(d.errors, 3);
	CHECK(has_diag(&d, "UNSUBSTITUTED_PLACEHOLDER", "/States/Change Apartment Status/Parameters/TableName"));
	CHECK(has_diag(&d, "UNSUBSTITUTED_PLACEHOLDER", "/States/Get Booking Status/Parameters/TableName"));
	CHECK(has_diag(&d, "UNSUBSTITUTED_PLACEHOLDER", "/States/Not Paid(Revert Apartment Status)/Parameters/TableName"));
	asl_diags_free(&d);
	json_object_put(def);
	json_object_put(subs);
	free(text);
	free(subs_file);
}

UNIT_MAIN("substitute", {
	test_values();
	test_not_placeholders();
	test_escape();
	test_embedded_nul();
	test_errors();
	test_no_placeholders();
	test_article();
})

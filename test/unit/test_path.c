/*
 * test_path.c — JSONPath compilation, selection and ResultPath assignment.
 */
#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/asl/path.h"
#include "unit.h"

#define STORE \
	"{\"store\": {\"book\": [" \
	"{\"category\": \"reference\", \"author\": \"Nigel Rees\", \"title\": \"Sayings of the Century\", \"price\": 8.95}," \
	"{\"category\": \"fiction\", \"author\": \"Evelyn Waugh\", \"title\": \"Sword of Honour\", \"price\": 12.99}," \
	"{\"category\": \"fiction\", \"author\": \"Herman Melville\", \"title\": \"Moby Dick\", \"isbn\": \"0-553-21311-3\", \"price\": 8.99}," \
	"{\"category\": \"fiction\", \"author\": \"J. R. R. Tolkien\", \"title\": \"The Lord of the Rings\", \"isbn\": \"0-395-19395-8\", \"price\": 22.99}" \
	"], \"bicycle\": {\"color\": \"red\", \"price\": 19.95}}, \"expensive\": 10}"

#define BOOK0 "{\"category\": \"reference\", \"author\": \"Nigel Rees\", \"title\": \"Sayings of the Century\", \"price\": 8.95}"
#define BOOK1 "{\"category\": \"fiction\", \"author\": \"Evelyn Waugh\", \"title\": \"Sword of Honour\", \"price\": 12.99}"
#define BOOK2 "{\"category\": \"fiction\", \"author\": \"Herman Melville\", \"title\": \"Moby Dick\", \"isbn\": \"0-553-21311-3\", \"price\": 8.99}"
#define BOOK3 "{\"category\": \"fiction\", \"author\": \"J. R. R. Tolkien\", \"title\": \"The Lord of the Rings\", \"isbn\": \"0-395-19395-8\", \"price\": 22.99}"

#define NO_MATCH "NO MATCH"

/*
 * Selects text (a query path) in doc and compares with expected JSON, or
 * with NO_MATCH. *got describes what happened, for the failure message.
 */
/*
 * Selects with doc as the root the path names: as the input ($), the
 * context ($$) or the variable ($name), through the public asl_path_select.
 */
static bool
select_in(const asl_path *path, json_object *doc, json_object **out)
{
	asl_scope	scope = {.input = doc, .context = doc, .variables = NULL};
	json_object *vars = NULL;
	bool		ok;

	if (asl_path_root_kind(path) == ASL_ROOT_VARIABLE)
	{
		vars = json_object_new_object();
		json_object_object_add(vars, asl_path_variable(path), json_object_get(doc));
		scope.variables = vars;
	}
	ok = asl_path_select(path, &scope, out);
	json_object_put(vars);
	return ok;
}

static bool
select_is(json_object *doc, const char *text, const char *expected, char **got)
{
	char	   *error = NULL;
	asl_path   *path = asl_path_compile(text, ASL_PATH_QUERY, &error);
	json_object *out = NULL;
	json_object *want;
	bool		ok;

	if (path == NULL)
	{
		if (asprintf(got, "compile error: %s", error ? error : "?") < 0)
			*got = NULL;
		free(error);
		return false;
	}
	if (!select_in(path, doc, &out))
	{
		*got = strdup(NO_MATCH);
		asl_path_free(path);
		return out == NULL && strcmp(expected, NO_MATCH) == 0;
	}
	*got = strdup(out ? json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN) : "null");
	want = json_tokener_parse(expected);
	ok = strcmp(expected, NO_MATCH) != 0 && json_object_equal(out, want);
	json_object_put(want);
	json_object_put(out);
	asl_path_free(path);
	return ok;
}

#define CHECK_SEL(doc, text, expected) \
	do { \
		char *got_ = NULL; \
		bool ok_ = select_is((doc), (text), (expected), &got_); \
		CHECK_MSG(ok_, "%s: expected %s, got %s", (text), (expected), got_ ? got_ : "?"); \
		free(got_); \
	} while (0)

/* Compilation fails and the message contains fragment. */
static bool
rejects(const char *text, asl_path_flavor flavor, const char *fragment, char **got)
{
	char	   *error = NULL;
	asl_path   *path = asl_path_compile(text, flavor, &error);
	bool		ok = path == NULL && error != NULL && strstr(error, fragment) != NULL;

	*got = error ? error : strdup(path ? "(compiled)" : "(no message)");
	asl_path_free(path);
	return ok;
}

#define CHECK_BAD_AS(text, flavor, fragment) \
	do { \
		char *got_ = NULL; \
		bool ok_ = rejects((text), (flavor), (fragment), &got_); \
		CHECK_MSG(ok_, "%s: expected error containing \"%s\", got %s", (text), (fragment), got_); \
		free(got_); \
	} while (0)
#define CHECK_BAD(text, fragment) CHECK_BAD_AS(text, ASL_PATH_QUERY, fragment)
#define CHECK_BAD_REF(text) CHECK_BAD_AS(text, ASL_PATH_REFERENCE, "reference paths must identify a single node")

static bool
compiles(const char *text, asl_path_flavor flavor)
{
	char	   *error = NULL;
	asl_path   *path = asl_path_compile(text, flavor, &error);

	if (path == NULL)
		fprintf(stderr, "  %s: %s\n", text, error ? error : "?");
	free(error);
	asl_path_free(path);
	return path != NULL;
}

static bool
definite(const char *text)
{
	asl_path   *path = asl_path_compile(text, ASL_PATH_QUERY, NULL);
	bool		d = path != NULL && asl_path_is_definite(path);

	asl_path_free(path);
	return d;
}

/* Assigns value (JSON text) at text inside a doc parsed from doc_text; returns the doc as text or the error. */
static char *
assign(const char *doc_text, const char *text, const char *value_text, char **error_name)
{
	asl_path   *path = asl_path_compile(text, ASL_PATH_QUERY, NULL);
	json_object *doc = json_tokener_parse(doc_text);
	json_object *value = json_tokener_parse(value_text);
	asl_error	err = {0};
	char	   *result;

	*error_name = NULL;
	if (asl_path_assign(path, &doc, value, &err))
		result = strdup(doc ? json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN) : "null");
	else
	{
		/* a failed assignment leaves the document as it was */
		json_object *orig = json_tokener_parse(doc_text);

		if (!json_object_equal(orig, doc))
			result = strdup("DOCUMENT CHANGED");
		else
			result = strdup(err.cause ? err.cause : "(no cause)");
		*error_name = err.name ? strdup(err.name) : NULL;
		json_object_put(orig);
	}
	asl_error_clear(&err);
	json_object_put(doc);
	json_object_put(value);
	asl_path_free(path);
	return result;
}

#define CHECK_ASSIGN(doc, text, value, expected) \
	do { \
		char *name_ = NULL; \
		char *got_ = assign((doc), (text), (value), &name_); \
		json_object *g_ = json_tokener_parse(got_); \
		json_object *e_ = json_tokener_parse(expected); \
		CHECK_MSG(name_ == NULL && json_object_equal(g_, e_), \
				  "assign %s in %s: expected %s, got %s", (text), (doc), (expected), got_); \
		json_object_put(g_); \
		json_object_put(e_); \
		free(got_); \
		free(name_); \
	} while (0)

#define CHECK_ASSIGN_FAILS(doc, text, value, fragment) \
	do { \
		char *name_ = NULL; \
		char *got_ = assign((doc), (text), (value), &name_); \
		CHECK_MSG(name_ != NULL && strcmp(name_, ASL_ERR_RESULT_PATH_MATCH) == 0 && \
				  strstr(got_, (fragment)) != NULL, \
				  "assign %s in %s: expected failure with \"%s\", got %s (%s)", (text), (doc), \
				  (fragment), got_, name_ ? name_ : "no error"); \
		free(got_); \
		free(name_); \
	} while (0)

static void
test_compile_forms(void)
{
	static const char *const good[] = {
		"$", "$$", "$x", "$_private1", "$.a", "$.a.b.c", "$['a']", "$[\"a\"]", "$['a']['b']",
		"$.a[0]", "$.a[-1]", "$[*]", "$.*", "$.a.*.b", "$[1:2]", "$[1:]", "$[:2]", "$[::2]",
		"$[::-1]", "$[-3:-1:1]", "$[:]", "$[0,1,2]", "$['a','b']", "$..a", "$..[0]", "$..*",
		"$..['a','b']", "$[?(@.a)]", "$[?(@.a == 1)]", "$[?(@.a != 'x' && @.b < 2 || !@.c)]",
		"$[?((@.a > 1) && (@.b <= 2.5e3))]", "$[?(@['x y'] >= -1)]", "$[?(@[0] == true)]",
		"$[?(@.a == null)]", "$[?(@.a == false)]", "$[?(@.a == \"dq\")]", "$[?(@.a.b[1] == $.c)]",
		"$[?(@.tags[?(@ == 'x')])]", "$[?@.a]", "$[ 0 ]", "$[ 'a' , \"b\" ]", "$[?( @.a == 1 )]",
		"$.['a']", "$$.Execution.Id", "$$.Map.Item.Value", "$var.a[0]['b c']", "$.a-b", "$.a:b",
		"$.ünïcödé", "$['\\u00e9']", "$.a[9223372036854775807]", "$.a[-9223372036854775808]",
		"$[?(@.n == 123456789012345678901234567890)]", "$[?(@.a<1)]", "$.a..b..c",
	};
	size_t		i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK_MSG(compiles(good[i], ASL_PATH_QUERY), "%s should compile", good[i]);
}

static void
test_introspection(void)
{
	asl_path   *p;

	p = asl_path_compile("$", ASL_PATH_REFERENCE, NULL);
	CHECK(p != NULL);
	CHECK(asl_path_is_root(p));
	CHECK(asl_path_is_definite(p));
	CHECK_INT(asl_path_root_kind(p), ASL_ROOT_INPUT);
	CHECK(asl_path_variable(p) == NULL);
	CHECK_STR(asl_path_text(p), "$");
	asl_path_free(p);

	p = asl_path_compile("$$", ASL_PATH_REFERENCE, NULL);
	CHECK(p != NULL && asl_path_is_root(p));
	CHECK_INT(asl_path_root_kind(p), ASL_ROOT_CONTEXT);
	CHECK(asl_path_variable(p) == NULL);
	asl_path_free(p);

	p = asl_path_compile("$$.Execution.Input", ASL_PATH_REFERENCE, NULL);
	CHECK(p != NULL && !asl_path_is_root(p));
	CHECK_INT(asl_path_root_kind(p), ASL_ROOT_CONTEXT);
	asl_path_free(p);

	p = asl_path_compile("$orderId", ASL_PATH_REFERENCE, NULL);
	CHECK(p != NULL && asl_path_is_root(p));
	CHECK_INT(asl_path_root_kind(p), ASL_ROOT_VARIABLE);
	CHECK_STR(asl_path_variable(p), "orderId");
	asl_path_free(p);

	p = asl_path_compile("$_a1.items[0]", ASL_PATH_QUERY, NULL);
	CHECK(p != NULL && !asl_path_is_root(p));
	CHECK_STR(asl_path_variable(p), "_a1");
	CHECK_STR(asl_path_text(p), "$_a1.items[0]");
	asl_path_free(p);

	/* definite: names and indexes, negative ones too */
	CHECK(definite("$.a.b[0]"));
	CHECK(definite("$.a[-1]"));
	CHECK(definite("$['a']"));
	CHECK(definite("$['a'][\"b\"][3]"));
	CHECK(!definite("$.a[*]"));
	CHECK(!definite("$.*"));
	CHECK(!definite("$..a"));
	CHECK(!definite("$.a[0,1]"));
	CHECK(!definite("$['a','b']"));
	CHECK(!definite("$.a[1:]"));
	CHECK(!definite("$.a[?(@.x)]"));

	/* NULL tolerance */
	CHECK(asl_path_text(NULL) == NULL);
	CHECK(!asl_path_is_root(NULL));
	CHECK(!asl_path_is_definite(NULL));
	asl_path_free(NULL);
}

static void
test_compile_errors(void)
{
	char	   *error = NULL;
	asl_path   *p;

	p = asl_path_compile("$.a[", ASL_PATH_QUERY, &error);
	CHECK(p == NULL);
	CHECK_STR(error, "invalid JSONPath '$.a[': unterminated bracket at offset 4");
	free(error);

	p = asl_path_compile(NULL, ASL_PATH_QUERY, &error);
	CHECK(p == NULL && error != NULL);
	free(error);

	/* no error pointer: still fails cleanly */
	CHECK(asl_path_compile("$.", ASL_PATH_QUERY, NULL) == NULL);

	CHECK_BAD("", "must not be empty");
	CHECK_BAD("a", "must start with '$'");
	CHECK_BAD(".a", "must start with '$'");
	CHECK_BAD(" $", "must start with '$'");
	CHECK_BAD("$.", "expected a name or '*' after '.' at offset 2");
	CHECK_BAD("$.a.", "expected a name");
	CHECK_BAD("$..", "after '..'");
	CHECK_BAD("$...a", "after '..'");
	CHECK_BAD("$.a..", "after '..'");
	CHECK_BAD("$.a[0", "unterminated bracket at offset 5");
	CHECK_BAD("$.a['x", "unterminated string");
	CHECK_BAD("$.a['x'", "unterminated bracket");
	CHECK_BAD("$['x\\", "unterminated string");
	CHECK_BAD("$[]", "empty brackets");
	CHECK_BAD("$[0,]", "unexpected character ']'");
	CHECK_BAD("$[1:2:0]", "slice step cannot be zero at offset 6");
	CHECK_BAD("$[abc]", "unexpected character 'a' at offset 2");
	CHECK_BAD("$.a b", "unexpected character ' ' at offset 3");
	CHECK_BAD("$.a ", "unexpected character ' '");
	CHECK_BAD("$.a]", "unexpected character ']'");
	CHECK_BAD("$[99999999999999999999]", "number out of range");
	CHECK_BAD("$[-9223372036854775809]", "number out of range");
	CHECK_BAD("$[1.5]", "expected ']'");
	CHECK_BAD("$[-]", "unexpected character ']'");
	CHECK_BAD("$[0 1]", "expected ']'");
	CHECK_BAD("$['a',0]", "cannot mix names and indexes");
	CHECK_BAD("$[0,'a']", "cannot mix names and indexes");
	CHECK_BAD("$['a',]", "expected a quoted name");
	/* names in brackets are verbatim: no escape in them is bad */
	CHECK(compiles("$['\\x']", ASL_PATH_QUERY));
	CHECK(compiles("$['\\u00zz']", ASL_PATH_QUERY));
	CHECK(compiles("$['\\ud800']", ASL_PATH_QUERY));
	CHECK_BAD("$$$", "unexpected character '$'");
	CHECK_BAD("$$x", "unexpected character 'x'");
	CHECK_BAD("$1", "unexpected character '1'");
	CHECK_BAD("$x-y", "unexpected character '-'");
	CHECK_BAD("$.*a", "unexpected character 'a'");
	CHECK_BAD("$[*", "unterminated bracket");
	CHECK_BAD("$[?(@.a ==)]", "expected a value");
	CHECK_BAD("$[?(@.a = 1)]", "use '==' to compare");
	CHECK_BAD("$[?(@.a == 1]", "expected ')'");
	CHECK_BAD("$[?(@.a == 1)", "unterminated bracket");
	CHECK_BAD("$[?(@.a == 1", "unterminated parenthesis");
	CHECK_BAD("$[?(1)]", "expected a comparison operator after a literal");
	CHECK_BAD("$[?()]", "expected a value");
	CHECK_BAD("$[?(@.a == 'x)]", "unterminated string");
	CHECK_BAD("$[?(@.a == 1.)]", "unexpected character ')'");
	CHECK_BAD("$[?(@.a == 1e)]", "unexpected character ')'");
	CHECK_BAD("$[?(@.a == yes)]", "unexpected character 'y'");
	CHECK_BAD("$[?(@.a == truex)]", "unexpected character 't'");
	CHECK_BAD("$[?($$.x == 1)]", "only @ and $ paths");
	CHECK_BAD("$[?($v == 1)]", "only @ and $ paths");
	CHECK_BAD("$[?(@.a && )]", "expected a value");
	CHECK_BAD("$[?(@.a ~ 1)]", "expected ')'");
	CHECK_BAD("$[?@.a ~ 1]", "expected ']'");
	CHECK_BAD("$\x01", "(byte 0x01) at offset 1");
}

static void
test_reference_flavor(void)
{
	CHECK(compiles("$", ASL_PATH_REFERENCE));
	CHECK(compiles("$.a.b", ASL_PATH_REFERENCE));
	CHECK(compiles("$['a b'][0]", ASL_PATH_REFERENCE));
	CHECK(compiles("$.a[0][1].b", ASL_PATH_REFERENCE));
	CHECK(compiles("$$.Execution.Input", ASL_PATH_REFERENCE));
	CHECK(compiles("$var.x", ASL_PATH_REFERENCE));
	CHECK_BAD_REF("$.a[*]");
	CHECK_BAD_REF("$.*");
	CHECK_BAD_REF("$..a");
	CHECK_BAD_REF("$.a[-1]");
	CHECK_BAD_REF("$.a[0:1]");
	CHECK_BAD_REF("$.a[0,1]");
	CHECK_BAD_REF("$['a','b']");
	CHECK_BAD_REF("$.a[?(@.x)]");
	/* the message quotes the offending segment */
	CHECK_BAD_AS("$.a[*].b", ASL_PATH_REFERENCE, "not '[*]' at offset 3");
	/* syntax errors come first */
	CHECK_BAD_AS("$.a[*", ASL_PATH_REFERENCE, "unterminated bracket");
}

static void
test_names(void)
{
	/* names in brackets are verbatim, as AWS reads them: a backslash only keeps
	 * the next character from ending the name (AWS-recorded ESCAPE_SEQUENCES_JSONPATH) */
	json_object *doc = json_tokener_parse(
		"{\"a b\": 1, \"a.b\": 2, \"it's\": 3, \"say \\\"hi\\\"\": 4, \"back\\\\slash\": 5,"
		" \"ünï\": 6, \"é\": 7, \"\\ud83d\\ude00\": 8, \"a-b\": 9, \"a:b\": 10, \"tab\\\\t\": 11,"
		" \"a\": {\"b\": 12}, \"\": 13, \"$\": 14, \"*\": 15, \"it\\\\'s\": 16,"
		" \"Test\\\\\\\"\\\"Name\\\"\": 17, \"\\\\u00e9\": 18}");

	CHECK_SEL(doc, "$['a b']", "1");
	CHECK_SEL(doc, "$[\"a b\"]", "1");
	CHECK_SEL(doc, "$['a.b']", "2");
	CHECK_SEL(doc, "$.a.b", "12");
	CHECK_SEL(doc, "$[\"it's\"]", "3");
	CHECK_SEL(doc, "$['it\\'s']", "16");
	CHECK_SEL(doc, "$['say \"hi\"']", "4");
	CHECK_SEL(doc, "$[\"say \\\"hi\\\"\"]", NO_MATCH);
	CHECK_SEL(doc, "$['back\\slash']", "5");
	CHECK_SEL(doc, "$['Test\\\"\"Name\"']", "17");
	CHECK_SEL(doc, "$.ünï", "6");
	CHECK_SEL(doc, "$['ünï']", "6");
	CHECK_SEL(doc, "$['é']", "7");
	CHECK_SEL(doc, "$['\\u00e9']", "18");
	CHECK_SEL(doc, "$.😀", "8");
	CHECK_SEL(doc, "$.a-b", "9");
	CHECK_SEL(doc, "$.a:b", "10");
	CHECK_SEL(doc, "$['tab\\t']", "11");
	CHECK_SEL(doc, "$['a\\']']", NO_MATCH);
	CHECK_SEL(doc, "$['']", "13");
	CHECK_SEL(doc, "$.$", "14");
	CHECK_SEL(doc, "$['*']", "15");
	CHECK_SEL(doc, "$.['a b']", "1");
	CHECK_SEL(doc, "$[ 'a b' ]", "1");
	json_object_put(doc);
}

static void
test_definite(void)
{
	json_object *doc = json_tokener_parse(STORE);
	json_object *nulls = json_tokener_parse("{\"a\": null, \"arr\": [null, 1]}");
	asl_path   *p = asl_path_compile("$.a", ASL_PATH_REFERENCE, NULL);
	json_object *out = (json_object *) 1;

	CHECK_SEL(doc, "$.store.book[0].title", "\"Sayings of the Century\"");
	CHECK_SEL(doc, "$.store.book[-1].title", "\"The Lord of the Rings\"");
	CHECK_SEL(doc, "$.store.book[-4].author", "\"Nigel Rees\"");
	CHECK_SEL(doc, "$['store']['bicycle']['color']", "\"red\"");
	CHECK_SEL(doc, "$.expensive", "10");
	CHECK_SEL(doc, "$.store.bicycle", "{\"color\": \"red\", \"price\": 19.95}");
	CHECK_SEL(doc, "$", STORE);
	CHECK_SEL(doc, "$.store.book[4]", NO_MATCH);
	CHECK_SEL(doc, "$.store.book[-5]", NO_MATCH);
	CHECK_SEL(doc, "$.store.book[9223372036854775807]", NO_MATCH);
	CHECK_SEL(doc, "$.store.book[-9223372036854775808]", NO_MATCH);
	CHECK_SEL(doc, "$.store.nope", NO_MATCH);
	CHECK_SEL(doc, "$.store.bicycle[0]", NO_MATCH);
	CHECK_SEL(doc, "$.store.book.title", NO_MATCH);
	CHECK_SEL(doc, "$.expensive.x", NO_MATCH);
	CHECK_SEL(doc, "$[0]", NO_MATCH);

	/* a null member is a match whose value is NULL; a missing one is not */
	CHECK(select_in(p, nulls, &out));
	CHECK(out == NULL);
	asl_path_free(p);
	CHECK_SEL(nulls, "$.a", "null");
	CHECK_SEL(nulls, "$.arr[0]", "null");
	CHECK_SEL(nulls, "$.b", NO_MATCH);
	CHECK_SEL(nulls, "$.a.b", NO_MATCH);
	CHECK_SEL(nulls, "$.arr[*]", "[null, 1]");
	/* a null root */
	CHECK_SEL(NULL, "$", "null");
	CHECK_SEL(NULL, "$.a", NO_MATCH);
	CHECK_SEL(NULL, "$[*]", "[]");

	json_object_put(nulls);
	json_object_put(doc);
}

static void
test_aws_examples(void)
{
	json_object *doc = json_tokener_parse(STORE);

	CHECK_SEL(doc, "$.store.book[*].author",
			  "[\"Nigel Rees\", \"Evelyn Waugh\", \"Herman Melville\", \"J. R. R. Tolkien\"]");
	CHECK_SEL(doc, "$..author",
			  "[\"Nigel Rees\", \"Evelyn Waugh\", \"Herman Melville\", \"J. R. R. Tolkien\"]");
	CHECK_SEL(doc, "$.store.*",
			  "[[" BOOK0 "," BOOK1 "," BOOK2 "," BOOK3 "], {\"color\": \"red\", \"price\": 19.95}]");
	CHECK_SEL(doc, "$.store..price", "[8.95, 12.99, 8.99, 22.99, 19.95]");
	CHECK_SEL(doc, "$..price", "[8.95, 12.99, 8.99, 22.99, 19.95]");
	CHECK_SEL(doc, "$..book[2]", "[" BOOK2 "]");
	CHECK_SEL(doc, "$..book[-1]", "[" BOOK3 "]");
	CHECK_SEL(doc, "$..book[-1:]", "[" BOOK3 "]");
	CHECK_SEL(doc, "$..book[-2:]", "[" BOOK2 "," BOOK3 "]");
	CHECK_SEL(doc, "$..book[0,1]", "[" BOOK0 "," BOOK1 "]");
	CHECK_SEL(doc, "$..book[:2]", "[" BOOK0 "," BOOK1 "]");
	CHECK_SEL(doc, "$..book[1:2]", "[" BOOK1 "]");
	CHECK_SEL(doc, "$..book[?(@.isbn)]", "[" BOOK2 "," BOOK3 "]");
	CHECK_SEL(doc, "$..book[?(@.price<10)]", "[" BOOK0 "," BOOK2 "]");
	CHECK_SEL(doc, "$..book[?(@.price <= $['expensive'])]", "[" BOOK0 "," BOOK2 "]");
	CHECK_SEL(doc, "$.store.book[?(@.price > $.expensive)].title",
			  "[\"Sword of Honour\", \"The Lord of the Rings\"]");
	CHECK_SEL(doc, "$.store.book[*].isbn", "[\"0-553-21311-3\", \"0-395-19395-8\"]");
	json_object_put(doc);
}

static void
test_wildcards_slices_unions(void)
{
	json_object *arr = json_tokener_parse("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
	json_object *obj = json_tokener_parse("{\"a\": 1, \"b\": [2, 3], \"c\": {\"d\": 4}}");

	CHECK_SEL(obj, "$.*", "[1, [2, 3], {\"d\": 4}]");
	CHECK_SEL(obj, "$[*]", "[1, [2, 3], {\"d\": 4}]");
	CHECK_SEL(obj, "$.*.*", "[2, 3, 4]");
	CHECK_SEL(obj, "$.a.*", "[]");
	CHECK_SEL(obj, "$.a[*]", "[]");
	CHECK_SEL(arr, "$[*]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");

	CHECK_SEL(arr, "$[1:3]", "[1, 2]");
	CHECK_SEL(arr, "$[-3:]", "[7, 8, 9]");
	CHECK_SEL(arr, "$[:-7]", "[0, 1, 2]");
	CHECK_SEL(arr, "$[::2]", "[0, 2, 4, 6, 8]");
	CHECK_SEL(arr, "$[1::3]", "[1, 4, 7]");
	CHECK_SEL(arr, "$[::-1]", "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]");
	CHECK_SEL(arr, "$[::-3]", "[9, 6, 3, 0]");
	CHECK_SEL(arr, "$[8:2:-2]", "[8, 6, 4]");
	CHECK_SEL(arr, "$[-1:-4:-1]", "[9, 8, 7]");
	CHECK_SEL(arr, "$[2:-100:-1]", "[2, 1, 0]");
	CHECK_SEL(arr, "$[100:]", "[]");
	CHECK_SEL(arr, "$[:-100]", "[]");
	CHECK_SEL(arr, "$[-100:2]", "[0, 1]");
	CHECK_SEL(arr, "$[5:1]", "[]");
	CHECK_SEL(arr, "$[:]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
	CHECK_SEL(arr, "$[::]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
	CHECK_SEL(arr, "$[7:113667776004]", "[7, 8, 9]");
	CHECK_SEL(arr, "$[1:9:9223372036854775807]", "[1]");
	CHECK_SEL(arr, "$[::-9223372036854775808]", "[9]");
	CHECK_SEL(arr, "$[-9223372036854775808:9223372036854775807]", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
	CHECK_SEL(obj, "$[0:2]", "[]");
	CHECK_SEL(obj, "$.b[0:]", "[2, 3]");

	CHECK_SEL(arr, "$[0,2,-1]", "[0, 2, 9]");
	CHECK_SEL(arr, "$[0,0]", "[0, 0]");
	CHECK_SEL(arr, "$[3,100]", "[3]");
	CHECK_SEL(obj, "$['a','c']", "[1, {\"d\": 4}]");
	CHECK_SEL(obj, "$['c','a']", "[{\"d\": 4}, 1]");
	CHECK_SEL(obj, "$['a','zz']", "[1]");
	CHECK_SEL(obj, "$[0,1]", "[]");
	CHECK_SEL(arr, "$['a','b']", "[]");
	json_object_put(arr);
	json_object_put(obj);
}

static void
test_deep_scan(void)
{
	json_object *doc = json_tokener_parse(
		"{\"a\": 1, \"b\": {\"a\": 2, \"c\": [{\"a\": 3}]}, \"d\": {\"a\": {\"a\": 4}}}");
	json_object *small = json_tokener_parse("{\"a\": {\"b\": 1}, \"c\": [2]}");
	json_object *nested = json_tokener_parse("[[1, 2], [[3], 4]]");

	/* pre-order: a node's own match before its descendants' */
	CHECK_SEL(doc, "$..a", "[1, 2, 3, {\"a\": 4}, 4]");
	CHECK_SEL(doc, "$.b..a", "[2, 3]");
	CHECK_SEL(doc, "$..c[0].a", "[3]");
	CHECK_SEL(doc, "$..zz", "[]");
	CHECK_SEL(small, "$..*", "[{\"b\": 1}, [2], 1, 2]");
	CHECK_SEL(small, "$..['b','c']", "[[2], 1]");
	CHECK_SEL(nested, "$..[0]", "[[1, 2], 1, [3], 3]");
	CHECK_SEL(nested, "$..[-1]", "[[[3], 4], 2, 4, 3]");
	CHECK_SEL(nested, "$..[*]", "[[1, 2], [[3], 4], 1, 2, [3], 4, 3]");
	CHECK_SEL(doc, "$..[?(@.a == 4)]", "[{\"a\": 4}]");
	json_object_put(doc);
	json_object_put(small);
	json_object_put(nested);
}

static void
test_filters(void)
{
	json_object *doc = json_tokener_parse(STORE);
	json_object *nums = json_tokener_parse("[1, 1.0, 2, 2.5, \"1\", true, null, 9223372036854775807]");
	json_object *big = json_tokener_parse(
		"[-5, -4.5, -0.0, 0, 1.5, 9007199254740992, 9007199254740993, 18446744073709551615]");
	json_object *objs = json_tokener_parse(
		"[{\"a\": null}, {\"a\": 1}, {}, {\"a\": \"x\"}, {\"a\": true}, {\"a\": [1, 2]}, {\"a\": {\"k\": 1}}]");
	json_object *tagged = json_tokener_parse(
		"{\"want\": [\"x\", \"y\"], \"items\": [{\"tags\": [\"x\", \"y\"]}, {\"tags\": [\"y\"]}, {\"tags\": []}]}");

	CHECK_SEL(doc, "$..book[?(@.category == 'fiction')].author",
			  "[\"Evelyn Waugh\", \"Herman Melville\", \"J. R. R. Tolkien\"]");
	CHECK_SEL(doc, "$..book[?(@.category == \"reference\")].author", "[\"Nigel Rees\"]");
	CHECK_SEL(doc, "$..book[?(@.author != 'Herman Melville')].price", "[8.95, 12.99, 22.99]");
	CHECK_SEL(doc, "$..book[?(@.price >= 8.99 && @.price <= 12.99)].price", "[12.99, 8.99]");
	CHECK_SEL(doc, "$..book[?(@.category == 'reference' || @.price > 20)].price", "[8.95, 22.99]");
	CHECK_SEL(doc, "$..book[?(!@.isbn)].price", "[8.95, 12.99]");
	CHECK_SEL(doc, "$..book[?(!(@.price < 10))].price", "[12.99, 22.99]");
	CHECK_SEL(doc, "$..book[?((@.price < 10 || @.price > 20) && @.isbn)].price", "[8.99, 22.99]");
	CHECK_SEL(doc, "$..book[?(@.price < 10 || @.price > 20 && @.isbn)].price", "[8.95, 8.99, 22.99]");
	CHECK_SEL(doc, "$..book[?(@.author < 'H')].author", "[\"Evelyn Waugh\"]");
	CHECK_SEL(doc, "$..book[?(@.author >= 'J')].author", "[\"Nigel Rees\", \"J. R. R. Tolkien\"]");
	CHECK_SEL(doc, "$..book[?(@.price < '10')]", "[]");
	CHECK_SEL(doc, "$..book[?(@.price == '8.95')]", "[]");
	CHECK_SEL(doc, "$..book[?(@['price'] == 8.95)].title", "[\"Sayings of the Century\"]");
	CHECK_SEL(doc, "$..book[?(10 > @.price)].price", "[8.95, 8.99]");
	CHECK_SEL(doc, "$..book[?(@.price > -1e3)].price", "[8.95, 12.99, 8.99, 22.99]");
	CHECK_SEL(doc, "$..book[?@.isbn].price", "[8.99, 22.99]");
	CHECK_SEL(doc, "$..book[?( @.price>20 )].price", "[22.99]");
	/* a filter after ".." tests every object once */
	CHECK_SEL(doc, "$..[?(@.isbn)].price", "[8.99, 22.99]");
	CHECK_SEL(doc, "$..[?(@.color)].price", "[19.95]");
	/* an object filters itself (Jayway) */
	CHECK_SEL(doc, "$.store.bicycle[?(@.color == 'red')].price", "[19.95]");
	CHECK_SEL(doc, "$.store.bicycle[?(@.color == 'blue')]", "[]");
	CHECK_SEL(doc, "$.expensive[?(@ == 10)]", "[]");

	/* numbers compare by value across int and double; types otherwise must agree */
	CHECK_SEL(nums, "$[?(@ == 1)]", "[1, 1.0]");
	CHECK_SEL(nums, "$[?(@ == '1')]", "[\"1\"]");
	CHECK_SEL(nums, "$[?(@ > 1)]", "[2, 2.5, 9223372036854775807]");
	CHECK_SEL(nums, "$[?(@ < 2.5)]", "[1, 1.0, 2]");
	CHECK_SEL(nums, "$[?(@ == true)]", "[true]");
	CHECK_SEL(nums, "$[?(@ == null)]", "[null]");
	CHECK_SEL(nums, "$[?(@ == 9223372036854775807)]", "[9223372036854775807]");
	CHECK_SEL(nums, "$[?(@ > 9223372036854775806)]", "[9223372036854775807]");
	CHECK_SEL(big, "$[?(@ == 9007199254740992.0)]", "[9007199254740992]");
	CHECK_SEL(big, "$[?(@ > 9007199254740992.0)]", "[9007199254740993, 18446744073709551615]");
	CHECK_SEL(big, "$[?(@ < 18446744073709551615)]", "[-5, -4.5, -0.0, 0, 1.5, 9007199254740992, 9007199254740993]");
	CHECK_SEL(big, "$[?(@ > 9223372036854775807)]", "[18446744073709551615]");
	CHECK_SEL(big, "$[?(@ < -4.9)]", "[-5]");
	CHECK_SEL(big, "$[?(@ > -5)]", "[-4.5, -0.0, 0, 1.5, 9007199254740992, 9007199254740993, 18446744073709551615]");
	CHECK_SEL(big, "$[?(@ == 0)]", "[-0.0, 0]");
	CHECK_SEL(big, "$[?(@ == 18446744073709551615)]", "[18446744073709551615]");
	CHECK_SEL(big, "$[?(@ < 18446744073709551616)]",
			  "[-5, -4.5, -0.0, 0, 1.5, 9007199254740992, 9007199254740993, 18446744073709551615]");
	CHECK_SEL(big, "$[?(@ >= 1.5 && @ <= 1.5)]", "[1.5]");
	CHECK_SEL(nums, "$[?(@ != 1)]", "[2, 2.5, \"1\", true, null, 9223372036854775807]");

	/* missing members: equal nothing, differ from everything, exist only when present */
	CHECK_SEL(objs, "$[?(@.a == null)]", "[{\"a\": null}]");
	CHECK_SEL(objs, "$[?(@.a != null)]",
			  "[{\"a\": 1}, {}, {\"a\": \"x\"}, {\"a\": true}, {\"a\": [1, 2]}, {\"a\": {\"k\": 1}}]");
	CHECK_SEL(objs, "$[?(@.a)]",
			  "[{\"a\": null}, {\"a\": 1}, {\"a\": \"x\"}, {\"a\": true}, {\"a\": [1, 2]}, {\"a\": {\"k\": 1}}]");
	CHECK_SEL(objs, "$[?(@.a == 'x')]", "[{\"a\": \"x\"}]");
	CHECK_SEL(objs, "$[?(@.a == true)]", "[{\"a\": true}]");
	CHECK_SEL(objs, "$[?(@.a == false)]", "[]");
	CHECK_SEL(objs, "$[?(@.a[1] == 2)]", "[{\"a\": [1, 2]}]");
	CHECK_SEL(objs, "$[?(@.a.k >= 1)]", "[{\"a\": {\"k\": 1}}]");
	CHECK_SEL(objs, "$[?(@.b == @.c)]", "[]");

	/* nested filters, indefinite operands and the root inside a filter */
	CHECK_SEL(tagged, "$.items[?(@.tags[?(@ == 'x')])]", "[{\"tags\": [\"x\", \"y\"]}]");
	CHECK_SEL(tagged, "$.items[?(@.tags[*])]", "[{\"tags\": [\"x\", \"y\"]}, {\"tags\": [\"y\"]}]");
	CHECK_SEL(tagged, "$.items[?(@.tags[*] == $.want)]", "[{\"tags\": [\"x\", \"y\"]}]");
	CHECK_SEL(tagged, "$.items[?(@.tags == $.want)]", "[{\"tags\": [\"x\", \"y\"]}]");
	CHECK_SEL(tagged, "$.items[?(@.tags[0] == $.want[1])]", "[{\"tags\": [\"y\"]}]");
	CHECK_SEL(tagged, "$.items[?(@.tags[*] < 'z')]", "[]");

	json_object_put(doc);
	json_object_put(nums);
	json_object_put(big);
	json_object_put(objs);
	json_object_put(tagged);
}

static void
test_scope(void)
{
	json_object *input = json_tokener_parse("{\"a\": 1, \"list\": [1, 2]}");
	json_object *context = json_tokener_parse("{\"Execution\": {\"Id\": \"exec-1\"}}");
	json_object *vars = json_tokener_parse("{\"order\": {\"id\": 42, \"lines\": [{\"q\": 1}, {\"q\": 5}]}, \"n\": null}");
	asl_scope	scope = {.input = input, .context = context, .variables = vars};
	asl_scope	empty = {.input = NULL, .context = NULL, .variables = NULL};
	json_object *out = NULL;
	asl_path   *p;

	p = asl_path_compile("$.a", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_select(p, &scope, &out));
	CHECK_JSON(out, "1");
	json_object_put(out);
	asl_path_free(p);

	p = asl_path_compile("$", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_select(p, &scope, &out));
	CHECK(out == input);
	json_object_put(out);
	asl_path_free(p);

	p = asl_path_compile("$$.Execution.Id", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_select(p, &scope, &out));
	CHECK_JSON(out, "\"exec-1\"");
	json_object_put(out);
	CHECK(!asl_path_select(p, &empty, &out));
	CHECK(out == NULL);
	asl_path_free(p);

	p = asl_path_compile("$$", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_select(p, &empty, &out));
	CHECK(out == NULL);
	asl_path_free(p);

	p = asl_path_compile("$order.id", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_select(p, &scope, &out));
	CHECK_JSON(out, "42");
	json_object_put(out);
	CHECK(!asl_path_select(p, &empty, &out));
	asl_path_free(p);

	p = asl_path_compile("$order.lines[?(@.q > 2)].q", ASL_PATH_QUERY, NULL);
	CHECK(asl_path_select(p, &scope, &out));
	CHECK_JSON(out, "[5]");
	json_object_put(out);
	asl_path_free(p);

	/* a null variable is a match; an undefined one is not */
	p = asl_path_compile("$n", ASL_PATH_REFERENCE, NULL);
	out = (json_object *) 1;
	CHECK(asl_path_select(p, &scope, &out));
	CHECK(out == NULL);
	asl_path_free(p);

	p = asl_path_compile("$missing", ASL_PATH_REFERENCE, NULL);
	CHECK(!asl_path_select(p, &scope, &out));
	CHECK(out == NULL);
	CHECK(!asl_path_select(p, NULL, &out));
	asl_path_free(p);

	p = asl_path_compile("$missing[*]", ASL_PATH_QUERY, NULL);
	CHECK(asl_path_select(p, &scope, &out));
	CHECK_JSON(out, "[]");
	json_object_put(out);
	asl_path_free(p);

	/* the doc is not confused with the variable named like a path */
	p = asl_path_compile("$list[1]", ASL_PATH_REFERENCE, NULL);
	CHECK(!asl_path_select(p, &scope, &out));
	asl_path_free(p);
	p = asl_path_compile("$.list[1]", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_select(p, &scope, &out));
	CHECK_JSON(out, "2");
	json_object_put(out);
	asl_path_free(p);

	CHECK(!asl_path_select(NULL, &scope, &out));
	CHECK(out == NULL);

	json_object_put(input);
	json_object_put(context);
	json_object_put(vars);
}

static void
test_assign(void)
{
	json_object *doc;
	json_object *value;
	json_object *inner;
	asl_path   *p;
	asl_error	err = {0};

	CHECK_ASSIGN("{\"a\": 1}", "$", "{\"b\": 2}", "{\"b\": 2}");
	CHECK_ASSIGN("\"str\"", "$", "[1]", "[1]");
	CHECK_ASSIGN("{\"a\": 1}", "$", "null", "null");
	CHECK_ASSIGN("{\"a\": 1}", "$.result", "{\"ok\": true}", "{\"a\": 1, \"result\": {\"ok\": true}}");
	CHECK_ASSIGN("{\"x\": 1}", "$.a.b.c", "5", "{\"x\": 1, \"a\": {\"b\": {\"c\": 5}}}");
	CHECK_ASSIGN("{\"a\": {\"b\": 1}}", "$.a.b", "2", "{\"a\": {\"b\": 2}}");
	CHECK_ASSIGN("{\"a\": {\"b\": 1}}", "$.a.new", "2", "{\"a\": {\"b\": 1, \"new\": 2}}");
	CHECK_ASSIGN("{\"a\": {\"b\": 1}}", "$.a", "\"s\"", "{\"a\": \"s\"}");
	CHECK_ASSIGN("{\"a\": 1}", "$['x y']['z.w']", "1", "{\"a\": 1, \"x y\": {\"z.w\": 1}}");
	CHECK_ASSIGN("{}", "$.n", "null", "{\"n\": null}");
	CHECK_ASSIGN("{\"arr\": [1, 2, 3]}", "$.arr[1]", "\"v\"", "{\"arr\": [1, \"v\", 3]}");
	CHECK_ASSIGN("{\"arr\": [{}]}", "$.arr[0].x", "1", "{\"arr\": [{\"x\": 1}]}");
	CHECK_ASSIGN("{\"arr\": [{}]}", "$.arr[0].x.y", "1", "{\"arr\": [{\"x\": {\"y\": 1}}]}");
	CHECK_ASSIGN("[[0, 1]]", "$[0][1]", "9", "[[0, 9]]");

	CHECK_ASSIGN_FAILS("\"hello\"", "$.x", "1", "$.x");
	CHECK_ASSIGN_FAILS("\"hello\"", "$.x", "1", "'$' is of type string, not an object");
	CHECK_ASSIGN_FAILS("null", "$.x", "1", "'$' is of type null");
	CHECK_ASSIGN_FAILS("[1]", "$.x", "1", "'$' is of type array");
	CHECK_ASSIGN_FAILS("{\"a\": 5}", "$.a.b", "1", "'$.a' is of type int, not an object");
	CHECK_ASSIGN_FAILS("{\"a\": null}", "$.a.b", "1", "'$.a' is of type null");
	CHECK_ASSIGN_FAILS("{\"a\": {}}", "$.a[0]", "1", "not an array");
	CHECK_ASSIGN_FAILS("{\"arr\": [1, 2]}", "$.arr[5]", "1", "index 5 is out of range for '$.arr'");
	CHECK_ASSIGN_FAILS("{\"arr\": [1]}", "$.arr[0].x", "1", "'$.arr[0]' is of type int");
	/* nothing is created when the assignment cannot complete */
	CHECK_ASSIGN_FAILS("{}", "$.missing[0]", "1", "arrays are not created");
	CHECK_ASSIGN_FAILS("{}", "$.m.n[0].o", "1", "'$.m.n' does not exist");
	CHECK_ASSIGN_FAILS("{\"a\": 1}", "$.a[*]", "1", "not a reference path");
	CHECK_ASSIGN_FAILS("{\"a\": 1}", "$..a", "1", "not a reference path");

	/* writing a document into itself writes a copy, not a cycle */
	doc = json_tokener_parse("{\"a\": 1}");
	p = asl_path_compile("$.self", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_assign(p, &doc, doc, &err));
	CHECK_JSON(doc, "{\"a\": 1, \"self\": {\"a\": 1}}");
	asl_path_free(p);
	p = asl_path_compile("$.self.again", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_assign(p, &doc, doc, &err));
	CHECK_JSON(doc, "{\"a\": 1, \"self\": {\"a\": 1, \"again\": {\"a\": 1, \"self\": {\"a\": 1}}}}");
	asl_path_free(p);
	json_object_put(doc);

	/* a value that lives inside the document survives the replacement */
	doc = json_tokener_parse("{\"a\": {\"b\": [1, 2]}}");
	inner = json_object_object_get(json_object_object_get(doc, "a"), "b");
	p = asl_path_compile("$", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_assign(p, &doc, inner, &err));
	CHECK_JSON(doc, "[1, 2]");
	asl_path_free(p);
	json_object_put(doc);

	doc = json_tokener_parse("{\"a\": {\"b\": [1, 2]}}");
	inner = json_object_object_get(json_object_object_get(doc, "a"), "b");
	p = asl_path_compile("$.a", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_assign(p, &doc, inner, &err));
	CHECK_JSON(doc, "{\"a\": [1, 2]}");
	asl_path_free(p);
	json_object_put(doc);

	/* the caller keeps its own reference to value */
	doc = json_tokener_parse("{}");
	value = json_tokener_parse("{\"v\": 1}");
	p = asl_path_compile("$.x", ASL_PATH_REFERENCE, NULL);
	CHECK(asl_path_assign(p, &doc, value, &err));
	CHECK(json_object_object_get(doc, "x") == value);
	json_object_put(value);
	CHECK_JSON(doc, "{\"x\": {\"v\": 1}}");
	asl_path_free(p);
	json_object_put(doc);

	/* a NULL error pointer and NULL arguments are tolerated */
	doc = json_tokener_parse("\"s\"");
	p = asl_path_compile("$.x", ASL_PATH_REFERENCE, NULL);
	CHECK(!asl_path_assign(p, &doc, NULL, NULL));
	CHECK(!asl_path_assign(NULL, &doc, NULL, &err));
	CHECK_STR(err.name, ASL_ERR_RUNTIME);
	asl_error_clear(&err);
	CHECK(!asl_path_assign(p, NULL, NULL, NULL));
	asl_path_free(p);
	json_object_put(doc);
}

/* A chain of n objects {"a": {"a": ... {"x": 1}}}. */
static json_object *
deep_doc(int n)
{
	json_object *doc = json_object_new_object();
	int			i;

	json_object_object_add(doc, "x", json_object_new_int(1));
	for (i = 0; i < n; i++)
	{
		json_object *outer = json_object_new_object();

		json_object_object_add(outer, "a", doc);
		doc = outer;
	}
	return doc;
}

static char *
repeat(const char *prefix, const char *unit, int n, const char *suffix)
{
	size_t		lp = strlen(prefix);
	size_t		lu = strlen(unit);
	size_t		ls = strlen(suffix);
	char	   *s = malloc(lp + lu * (size_t) n + ls + 1);
	char	   *at = s;
	int			i;

	memcpy(at, prefix, lp);
	at += lp;
	for (i = 0; i < n; i++, at += lu)
		memcpy(at, unit, lu);
	memcpy(at, suffix, ls + 1);
	return s;
}

static void
test_limits(void)
{
	json_object *doc;
	json_object *out = NULL;
	json_object *inner;
	asl_path   *p;
	char	   *text;
	char	   *closing;
	char	   *error = NULL;
	int			i;
	unsigned	seed = 12345;
	int			crashes_avoided = 0;
	static const char alphabet[] = "$@.[]()*?:,'\"\\-0129ab =!<>&|tn ";
	json_object *store = json_tokener_parse(STORE);

	/* moderate depth scans fine; extreme depth fails instead of overflowing the stack */
	doc = deep_doc(500);
	p = asl_path_compile("$..x", ASL_PATH_QUERY, NULL);
	CHECK(select_in(p, doc, &out));
	CHECK_JSON(out, "[1]");
	json_object_put(out);
	json_object_put(doc);
	doc = deep_doc(5000);
	CHECK(!select_in(p, doc, &out));
	CHECK(out == NULL);
	asl_path_free(p);
	p = asl_path_compile("$..[?(@.x == 1)]", ASL_PATH_QUERY, NULL);
	CHECK(!select_in(p, doc, &out));
	asl_path_free(p);
	json_object_put(doc);

	/* a cycle (json-c allows building one) is bounded too */
	doc = json_object_new_object();
	inner = json_object_new_object();
	json_object_object_add(doc, "b", inner);
	json_object_object_add(inner, "a", json_object_get(doc));
	p = asl_path_compile("$..x", ASL_PATH_QUERY, NULL);
	CHECK(!select_in(p, doc, &out));
	asl_path_free(p);
	json_object_object_del(inner, "a");
	json_object_put(doc);

	/* nesting in the text is bounded */
	text = repeat("$[?(", "(", 1000, "@.a");
	closing = repeat(text, ")", 1000, ")]");
	CHECK_BAD(closing, "nested too deeply");
	free(text);
	free(closing);
	text = repeat("$[?(", "!", 1000, "@.a)]");
	CHECK_BAD(text, "nested too deeply");
	free(text);
	text = repeat("$", "[?(@", 1000, "");
	CHECK_BAD(text, "nested too deeply");
	free(text);
	text = repeat("$..book[?(", "(", 30, "@.price < 10");
	closing = repeat(text, ")", 30, ")]");
	CHECK_SEL(store, closing, "[" BOOK0 "," BOOK2 "]");
	free(text);
	free(closing);

	/* long chains and long paths do not recurse */
	text = repeat("$..book[?(@.price > 0", " && @.price > 0", 20000, ")].price");
	CHECK_SEL(store, text, "[8.95, 12.99, 8.99, 22.99]");
	free(text);
	text = repeat("$", ".a", 20000, "");
	CHECK(compiles(text, ASL_PATH_REFERENCE));
	free(text);

	/* nested scans multiply work; they stay bounded and terminate */
	p = asl_path_compile("$..*..*..*", ASL_PATH_QUERY, NULL);
	CHECK(select_in(p, store, &out));
	CHECK(json_object_array_length(out) > 0);
	json_object_put(out);
	asl_path_free(p);
	doc = deep_doc(900);
	p = asl_path_compile("$..*..*..*..*..*..*..*..*..nope", ASL_PATH_QUERY, NULL);
	CHECK(!select_in(p, doc, &out));
	CHECK(out == NULL);
	asl_path_free(p);
	json_object_put(doc);

	/* random texts never crash: compile, and select what compiles */
	for (i = 0; i < 30000; i++)
	{
		char		buf[24];
		int			len;
		int			j;

		seed = seed * 1103515245u + 12345u;
		len = 1 + (int) ((seed >> 16) % (sizeof(buf) - 2));
		buf[0] = '$';
		for (j = 1; j < len; j++)
		{
			seed = seed * 1103515245u + 12345u;
			buf[j] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		buf[len] = '\0';
		p = asl_path_compile(buf, (seed & 1) ? ASL_PATH_QUERY : ASL_PATH_REFERENCE, &error);
		if (p != NULL)
		{
			if (select_in(p, store, &out))
				json_object_put(out);
			asl_path_free(p);
		}
		else if (error == NULL)
			crashes_avoided--;	/* a failure must always explain itself */
		free(error);
		error = NULL;
	}
	CHECK_INT(crashes_avoided, 0);
	json_object_put(store);
}

UNIT_MAIN("test_path", {
	test_compile_forms();
	test_introspection();
	test_compile_errors();
	test_reference_flavor();
	test_names();
	test_definite();
	test_aws_examples();
	test_wildcards_slices_unions();
	test_deep_scan();
	test_filters();
	test_scope();
	test_assign();
	test_limits();
})

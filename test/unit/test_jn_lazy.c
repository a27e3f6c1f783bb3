/*
 * test_jn_lazy.c — the JSONata core's lazy conversion of its json-c input
 * (JA_LAZY in jn_value.h): an expression touching a few members of a large
 * document converts only the containers on its way (counted by
 * jv_lazy_forced), every kind of read gives the same result on lazy input as
 * on the same document built by the expression itself (eager values), and
 * the memory limit hit while converting is the evaluation's usual U1001.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonata/jsonata.h"
#include "jsonata/jn_value.h"
#include "unit.h"

#include "jn_run.h"

/* a document of n items, each an object with a nested object and array */
static char *
big_document(int n)
{
	size_t		cap = (size_t) n * 160 + 256;
	char	   *s = malloc(cap);
	size_t		off = 0;

	off += (size_t) snprintf(s + off, cap - off, "{\"small\": {\"a\": {\"b\": 1}, \"c\": [1, 2]}, \"items\": [");
	for (int i = 0; i < n; i++)
		off += (size_t) snprintf(s + off, cap - off,
								 "%s{\"id\": %d, \"name\": \"n%d\", \"tags\": [\"t%d\", \"u\"], \"sub\": {\"x\": %d}}",
								 i ? ", " : "", i, i, i % 7, i % 3);
	snprintf(s + off, cap - off, "]}");
	return s;
}

/* how many containers evaluating expr over doc converts, and its result */
static size_t
forced_by(const char *expr, const char *doc, const char *expected)
{
	size_t		before = jv_lazy_forced();
	size_t		after;

	CHECK_STR(run(expr, doc), expected);
	after = jv_lazy_forced();
	return after - before;
}

static void
test_touches_only_its_path(void)
{
	char	   *doc = big_document(2000);
	size_t		n;

	/* root, small, small.a: three of the document's 6,005 containers */
	n = forced_by("small.a.b", doc, "1");
	CHECK_MSG(n == 3, "small.a.b converted %zu containers", n);
	/* root, items, items[1500] */
	n = forced_by("items[1500].sub", doc, "{\"x\":0}");
	CHECK_MSG(n <= 4, "items[1500].sub converted %zu containers", n);
	/* counting the items reads the array, not the items */
	n = forced_by("$count(items)", doc, "2000");
	CHECK_MSG(n <= 2, "$count(items) converted %zu containers", n);
	/* a member name that is absent: the root only */
	n = forced_by("nothing.here", doc, "undefined");
	CHECK_MSG(n == 1, "nothing.here converted %zu containers", n);
	/* a filter over every item converts every item, not their tags or subs */
	n = forced_by("$count(items[id > 1997])", doc, "2");
	CHECK_MSG(n >= 2000 && n < 2010, "items[id > 1997] converted %zu containers", n);
	/* and a walk of everything converts everything: the counter counts */
	n = forced_by("$count(**.x)", doc, "2000");
	CHECK_MSG(n > 6000, "**.x converted %zu containers", n);
	/* the same compiled input evaluated again converts it again (per evaluation) */
	n = forced_by("small.a.b", doc, "1");
	CHECK_MSG(n == 3, "small.a.b again converted %zu containers", n);
	free(doc);
}

/*
 * Each expression over a lazy input gives what it gives over the same
 * document written in the expression (built by the evaluator, eagerly).
 */
static const char *doc_text =
"{\"a\": {\"b\": {\"c\": 1, \"d\": [1, 2, {\"e\": 3}]}, \"f\": \"x\"},"
" \"items\": [{\"name\": \"p\", \"price\": 7, \"cat\": \"k\", \"tags\": [\"a\", \"b\"]},"
"            {\"name\": \"q\", \"price\": 3, \"cat\": \"m\", \"tags\": []},"
"            {\"name\": \"r\", \"price\": 9, \"cat\": \"k\", \"tags\": [\"c\"], \"deep\": {\"x\": [[1, 2], [3]]}}],"
" \"nested\": [[1, [2, 3]], [4], {\"x\": 5}],"
" \"o1\": {\"k\": 1, \"l\": {\"m\": 2}}, \"o2\": {\"k\": 3, \"n\": null},"
" \"big\": {\"m0\": 0, \"m1\": 1, \"m2\": 2, \"m3\": 3, \"m4\": 4, \"m5\": 5, \"m6\": 6, \"m7\": 7, \"m8\": 8, \"m9\": 9, \"m10\": 10},"
" \"empty\": {}, \"none\": [], \"t\": true, \"n\": null, \"num\": 1.5, \"s\": \"text\"}";

static const char *const exprs[] = {
	"a.b.c",
	"a.b.d",
	"a.b.d[2].e",
	"a.b.d[-1]",
	"a.*",
	"*.b",
	"a.**",
	"**.e",
	"**[$type($) = 'number']",
	"items.name",
	"items[price > 5].name",
	"items[tags = 'c'].name",
	"items[0]",
	"items[[0, 2]].price",
	"items.tags",
	"items.tags[]",
	"items^(>price).name",
	"items^(cat, <price)",
	"$sort(items, function($l, $r){ $l.price > $r.price }).name",
	"items{cat: $sum(price)}",
	"items{name: tags}",
	"items#$i[$i > 0].name",
	"items@$it.tags.{ 'n': $it.name, 't': $ }",
	"items.tags.%.name",
	"items.deep.x",
	"items.deep.x[0]",
	"nested",
	"nested[0]",
	"nested.x",
	"$keys($)",
	"$keys(items)",
	"$keys(big)",
	"big.m10",
	"$each(o1, function($v, $k){ $k & ':' & $string($v) })",
	"$spread(o1)",
	"$spread(items)",
	"$merge([o1, o2])",
	"$merge(items)",
	"$string($)",
	"$string(items)",
	"$string(a, true)",
	"$length($string(nested))",
	"$ ~> |items|{'price': price * 2}, ['tags']|",
	"$ ~> |a.b|{'c': 10}|",
	"(a.b ~> |d|{'z': 1}|)",
	"$sift(o1, function($v){ $type($v) = 'number' })",
	"$lookup(items, 'name')",
	"$distinct(items.cat)",
	"$reverse(items.name)",
	"$append(items.price, nested)",
	"$count(nested)",
	"$count(items.tags)",
	"$exists(a.b.d)",
	"$type(items)",
	"$type(empty)",
	"$type(none)",
	"$clone(a)",
	"$map(items, function($v, $i){ $v.name & $string($i) })",
	"$filter(items, function($v){ $v.price < 8 }).name",
	"$reduce(items.price, function($x, $y){ $x + $y })",
	"$single(items, function($v){ $v.price = 3 }).name",
	"$zip(items.name, items.price)",
	"$sum(items.price) / $count(items)",
	"$max(items.price)",
	"items.price ~> $sort()",
	"'k' in items.cat",
	"a = a",
	"o1 = o2",
	"items[0] = items[0]",
	"$ = $",
	"items.tags = 'c'",
	"o1.l != o2",
	"$join(items.tags, ',')",
	"[items.tags]",
	"[a, o1]",
	"{'x': a.b, 'y': items[1]}",
	"a.b.d.e",
	"$.a.b.d",
	"$$.items[0].name",
	"empty",
	"none",
	"t and n = null",
	"num + 1",
	"s & '!'",
	"$",
	"$jsonata",
	"$boolean(empty)",
	"$boolean(none)",
	"$not(items)",
	"$flatten ? 1 : 2",
	"$shuffle(none)",
	"items[cat = 'k'].tags[0]",
	"a.b.d[$type($) = 'number' and $ > 1]",
	"$partition ? 0 : nested[1][0]",
	NULL
};

static void
test_every_access(void)
{
	char		eager_expr[8192];
	char		lazy_result[65536];

	for (int i = 0; exprs[i]; i++)
	{
		/* the lazy input's result ... */
		snprintf(lazy_result, sizeof lazy_result, "%s", run(exprs[i], doc_text));
		/* ... and the same expression over the document the expression builds */
		snprintf(eager_expr, sizeof eager_expr, "(%s).(%s)", doc_text, exprs[i]);
		if (strstr(exprs[i], "$$") != NULL)
			snprintf(eager_expr, sizeof eager_expr, "%s", exprs[i]);
		else
			CHECK_MSG(strcmp(lazy_result, run(eager_expr, NULL)) == 0,
					  "%s: lazy %s, eager %s", exprs[i], lazy_result, result_text);
		CHECK_MSG(strncmp(lazy_result, "error", 5) != 0 || strcmp(exprs[i], "$jsonata") == 0,
				  "%s: %s", exprs[i], lazy_result);
	}
	/* a few results spelled out: the comparison above is not two wrongs */
	CHECK_STR(run("a.b.d[2].e", doc_text), "3");
	CHECK_STR(run("items^(>price).name", doc_text), "[\"r\",\"p\",\"q\"]");
	CHECK_STR(run("$keys(o1)", doc_text), "[\"k\",\"l\"]");
	CHECK_STR(run("$merge([o1, o2])", doc_text), "{\"k\":3,\"l\":{\"m\":2},\"n\":null}");
	CHECK_STR(run("$ ~> |items|{'price': price * 2}, ['tags']|", "{\"items\": [{\"price\": 1, \"tags\": [1]}]}"),
			  "{\"items\":[{\"price\":2}]}");
	CHECK_STR(run("$string(a.b)", doc_text), "\"{\\\"c\\\":1,\\\"d\\\":[1,2,{\\\"e\\\":3}]}\"");
	CHECK_STR(run("**.e", doc_text), "3");
	CHECK_STR(run("items{cat: $sum(price)}", doc_text), "{\"k\":16,\"m\":3}");
	CHECK_STR(run("$", "[1, {\"a\": [2]}]"), "[1,{\"a\":[2]}]");
	CHECK_STR(run("$[1].a", "[1, {\"a\": [2]}]"), "[2]");
	CHECK_STR(run("a", "[{\"a\": 1}, {\"a\": [2, 3]}]"), "[1,2,3]");
	/* the transform copies: the input it read is unchanged within the evaluation */
	CHECK_STR(run("($t := $ ~> |a.b|{'c': 10}|; [$t.a.b.c, a.b.c])", doc_text), "[10,1]");
}

/* each of exprs over doc under opts: U1001, the memory limit, message */
static void
check_over_limit(const char *const *exprs, const char *doc, const jn_options *opts, const char *message)
{
	for (int i = 0; exprs[i]; i++)
	{
		CHECK_MSG(strcmp(run_opts(exprs[i], doc, NULL, opts), "error U1001") == 0,
				  "%s: %s", exprs[i], result_text);
		CHECK_MSG(last_error.limit == JN_LIMIT_MEMORY && strcmp(last_error.message, message) == 0,
				  "%s: limit %d, %s", exprs[i], (int) last_error.limit, last_error.message);
	}
}

/* a document {"o": {n members}, "a": [n numbers]} */
static char *
wide_document(int n)
{
	size_t		cap = (size_t) n * 24 + 64;
	char	   *o = malloc(cap);
	size_t		off = 0;

	off += (size_t) snprintf(o + off, cap - off, "{\"o\": {");
	for (int i = 0; i < n; i++)
		off += (size_t) snprintf(o + off, cap - off, "%s\"k%d\": %d", i ? "," : "", i, i);
	off += (size_t) snprintf(o + off, cap - off, "}, \"a\": [");
	for (int i = 0; i < n; i++)
		off += (size_t) snprintf(o + off, cap - off, "%s%d", i ? "," : "", i % 10);
	snprintf(o + off, cap - off, "]}");
	return o;
}

/* the memory limit hit while converting a lazy container: U1001 as elsewhere */
static void
test_memory_limit(void)
{
	jn_options	opts;
	char	   *doc;
	char		eager_message[512];

	/* the items array (20,000 items) does not fit in 1 MB of values */
	static const char *const items_over[] = {
		"$count(items)",
		/* nor when a builtin or an operator converts it, or the result written out */
		"$string($)", "items = []", "items", "$keys(items[0])", NULL
	};

	/*
	 * containers whose first allocation alone is over the limit: the arena
	 * stays nearly empty, so nothing after the failed conversion fails in
	 * turn; the evaluation must fail all the same, not go on with an empty
	 * container (in a builtin, in an operator, in the result written out, or
	 * with an undefined result: nothing written out)
	 */
	static const char *const wide_over[] = {
		"$count($keys(o))", "$keys(o)", "$count(a)", "o", "a", "o = {}", "$exists(o.k5)", NULL
	};

	memset(&opts, 0, sizeof opts);
	opts.memory_limit = 1024 * 1024;
	/* what an eager value over the limit gives */
	CHECK_STR(run_opts("[1..1000000].($ + 1)", NULL, NULL, &opts), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_MEMORY);
	snprintf(eager_message, sizeof eager_message, "%s", last_error.message);

	doc = big_document(20000);
	check_over_limit(items_over, doc, &opts, eager_message);
	/* what does fit still works under the same limit */
	CHECK_STR(run_opts("small.a.b", doc, NULL, &opts), "1");
	free(doc);

	/* an object of 40,000 members: over the limit in its members' values */
	doc = wide_document(40000);
	check_over_limit(wide_over, doc, &opts, eager_message);
	CHECK_STR(run("[$count($keys(o)), o.k39999]", doc), "[40000,39999]");
	free(doc);

	doc = wide_document(200000);
	check_over_limit(wide_over, doc, &opts, eager_message);
	/* without the limit */
	CHECK_STR(run("[$count($keys(o)), $count(a), o.k5, a[-1]]", doc), "[200000,200000,5,9]");
	free(doc);
}

UNIT_MAIN("test_jn_lazy", {
	test_touches_only_its_path();
	test_every_access();
	test_memory_limit();
})

/*
 * test_definition.c — the definition compiler.
 *
 * Runs the corpus in test/definitions (BOOKING_DEFINITIONS_DIR overrides):
 * every invalid/NNN-name.json must fail to compile with each expected (code,
 * location) among its diagnostics; every valid/NAME.json must compile with
 * exactly its expected warnings, and every state must be found by name.
 * Every diagnostic's location must resolve in its definition. Then direct
 * checks of the compiled structure.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/asl/choice.h"
#include "core/asl/definition.h"
#include "core/asl/definition_impl.h"
#include "unit.h"

/* Every code documented in docs/validation.md; the corpus must use each. */
static const char *const all_codes[] = {
	"INVALID_JSON_DESCRIPTION", "UNKNOWN_FIELD", "WRONG_TYPE", "MISSING_FIELD",
	"INVALID_VALUE", "MUTUALLY_EXCLUSIVE_FIELDS", "NEXT_AND_END",
	"MISSING_NEXT_OR_END", "MISSING_TRANSITION_TARGET", "UNREACHABLE_STATE",
	"DUPLICATE_STATE_NAME", "INVALID_STATE_NAME", "STATES_ALL_NOT_LAST",
	"INVALID_JSON_PATH", "INVALID_REFERENCE_PATH", "INVALID_INTRINSIC",
	"INVALID_RESOURCE", "UNSUPPORTED_RESOURCE", "INVALID_TIMESTAMP",
	"MISSING_END_STATE", "UNSUPPORTED_FEATURE", "NO_DOLLAR", "NO_PATH",
	"PASS_RESULT_IS_STATIC", "INVALID_FIELD", "INVALID_JSONATA", "UNSUPPORTED_JSONATA", NULL
};

static bool code_seen[sizeof(all_codes) / sizeof(all_codes[0])];

/*
 * A corpus file, read with a depth well past json-c's default of 32, so that
 * definitions nested beyond booking's own limits (UNSUPPORTED_FEATURE) can
 * be written as corpus files. NULL when it is not JSON.
 */
static json_object *
read_corpus_file(const char *path)
{
	int			fd = open(path, O_RDONLY);
	json_object *doc;

	if (fd < 0)
		return NULL;
	doc = json_object_from_fd_ex(fd, 512);
	close(fd);
	return doc;
}

static void
mark_code(const char *code)
{
	for (size_t i = 0; all_codes[i]; i++)
		if (strcmp(all_codes[i], code) == 0)
			code_seen[i] = true;
}

static bool
known_code(const char *code)
{
	for (size_t i = 0; all_codes[i]; i++)
		if (strcmp(all_codes[i], code) == 0)
			return true;
	return false;
}

static void
print_diags(const char *file, const asl_diags *d)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "  %s: %s %s at \"%s\": %s\n", file,
				asl_severity_name(d->items[i].severity), d->items[i].code,
				d->items[i].location, d->items[i].message);
}

/* Resolves an RFC 6901 pointer; true when it names a node of doc. */
static bool
pointer_resolves(json_object *doc, const char *pointer)
{
	json_object *cur = doc;
	const char *p = pointer;
	char	   *token = malloc(strlen(pointer) + 1);

	while (*p)
	{
		size_t		n = 0;

		if (*p != '/')
		{
			free(token);
			return false;
		}
		p++;
		while (*p && *p != '/')
		{
			if (p[0] == '~' && p[1] == '0')
				token[n++] = '~', p += 2;
			else if (p[0] == '~' && p[1] == '1')
				token[n++] = '/', p += 2;
			else
				token[n++] = *p++;
		}
		token[n] = '\0';
		if (json_object_is_type(cur, json_type_object))
		{
			if (!json_object_object_get_ex(cur, token, &cur))
			{
				free(token);
				return false;
			}
		}
		else if (json_object_is_type(cur, json_type_array))
		{
			char	   *end;
			long		idx = strtol(token, &end, 10);

			if (*end || idx < 0 || (size_t) idx >= json_object_array_length(cur))
			{
				free(token);
				return false;
			}
			cur = json_object_array_get_idx(cur, idx);
		}
		else
		{
			free(token);
			return false;
		}
	}
	free(token);
	return true;
}

static void
check_locations(const char *file, json_object *def, const asl_diags *d)
{
	for (size_t i = 0; i < d->count; i++)
	{
		CHECK_MSG(pointer_resolves(def, d->items[i].location),
				  "%s: location \"%s\" of %s does not resolve", file,
				  d->items[i].location, d->items[i].code);
		CHECK_MSG(known_code(d->items[i].code), "%s: undocumented code %s",
				  file, d->items[i].code);
	}
}

static void
run_invalid(const char *path, const char *file)
{
	json_object *doc = read_corpus_file(path);
	json_object *def = NULL,
			   *expect = NULL;
	asl_diags	d;
	asl_machine *m;
	bool		ok = true;

	CHECK_MSG(doc != NULL, "%s: not JSON", file);
	if (doc == NULL)
		return;
	CHECK_MSG(json_object_object_get_ex(doc, "rule", NULL), "%s: no rule", file);
	json_object_object_get_ex(doc, "definition", &def);
	json_object_object_get_ex(doc, "expect", &expect);
	CHECK_MSG(json_object_is_type(expect, json_type_array) &&
			  json_object_array_length(expect) > 0, "%s: no expect", file);
	asl_diags_init(&d);
	m = asl_machine_compile(def, &d);
	CHECK_MSG(m == NULL, "%s: compiled", file);
	CHECK_MSG(d.errors > 0, "%s: no errors", file);
	for (size_t i = 0; i < json_object_array_length(expect); i++)
	{
		json_object *e = json_object_array_get_idx(expect, i);
		json_object *jc = NULL,
				   *jl = NULL;
		const char *code,
				   *loc;
		bool		found = false;

		json_object_object_get_ex(e, "code", &jc);
		json_object_object_get_ex(e, "location", &jl);
		code = json_object_get_string(jc);
		loc = json_object_get_string(jl);
		if (code == NULL || loc == NULL)
		{
			CHECK_MSG(false, "%s: malformed expectation %zu", file, i);
			continue;
		}
		mark_code(code);
		for (size_t j = 0; j < d.count; j++)
			if (strcmp(d.items[j].code, code) == 0 && strcmp(d.items[j].location, loc) == 0)
				found = true;
		CHECK_MSG(found, "%s: expected %s at \"%s\"", file, code, loc);
		ok &= found;
	}
	if (def != NULL)
		check_locations(file, def, &d);
	if (!ok || m != NULL)
		print_diags(file, &d);
	asl_machine_free(m);
	asl_diags_free(&d);
	json_object_put(doc);
}

/* Checks that every state of every graph under graph is found by name. */
static void find_all(const char *file, const asl_machine *m, json_object *graph, int depth);

static void
find_states(const char *file, const asl_machine *m, json_object *states, int depth)
{
	json_object_object_foreach(states, name, def)
	{
		const asl_state *st = asl_machine_find(m, name);
		json_object *sub;

		CHECK_MSG(st != NULL && strcmp(st->name, name) == 0, "%s: state \"%s\" not found", file, name);
		if (json_object_object_get_ex(def, "Branches", &sub))
			for (size_t i = 0; i < json_object_array_length(sub); i++)
				find_all(file, m, json_object_array_get_idx(sub, i), depth + 1);
		if (json_object_object_get_ex(def, "ItemProcessor", &sub) ||
			json_object_object_get_ex(def, "Iterator", &sub))
			find_all(file, m, sub, depth + 1);
	}
}

static void
find_all(const char *file, const asl_machine *m, json_object *graph, int depth)
{
	json_object *states;

	if (depth < 20 && json_object_object_get_ex(graph, "States", &states) &&
		json_object_is_type(states, json_type_object))
		find_states(file, m, states, depth);
}

static void
run_valid(const char *path, const char *file)
{
	json_object *doc = read_corpus_file(path);
	json_object *def = NULL,
			   *warnings = NULL;
	asl_diags	d;
	asl_machine *m;
	size_t		n_warn = 0;

	CHECK_MSG(doc != NULL, "%s: not JSON", file);
	if (doc == NULL)
		return;
	CHECK_MSG(json_object_object_get_ex(doc, "rule", NULL), "%s: no rule", file);
	json_object_object_get_ex(doc, "definition", &def);
	json_object_object_get_ex(doc, "warnings", &warnings);
	asl_diags_init(&d);
	m = asl_machine_compile(def, &d);
	CHECK_MSG(m != NULL && d.errors == 0, "%s: did not compile", file);
	if (warnings != NULL)
		n_warn = json_object_array_length(warnings);
	for (size_t i = 0; i < n_warn; i++)
	{
		const char *code = json_object_get_string(json_object_array_get_idx(warnings, i));
		bool		found = false;

		mark_code(code);
		for (size_t j = 0; j < d.count; j++)
			found |= d.items[j].severity == ASL_SEV_WARNING && strcmp(d.items[j].code, code) == 0;
		CHECK_MSG(found, "%s: expected warning %s", file, code);
	}
	for (size_t j = 0; j < d.count; j++)
	{
		bool		listed = false;

		for (size_t i = 0; i < n_warn; i++)
			listed |= strcmp(json_object_get_string(json_object_array_get_idx(warnings, i)),
							 d.items[j].code) == 0;
		CHECK_MSG(listed, "%s: unexpected %s %s at \"%s\": %s", file,
				  asl_severity_name(d.items[j].severity), d.items[j].code,
				  d.items[j].location, d.items[j].message);
	}
	check_locations(file, def, &d);
	if (m != NULL)
		find_all(file, m, def, 0);
	asl_machine_free(m);
	asl_diags_free(&d);
	json_object_put(doc);
}

static int
json_file(const struct dirent *e)
{
	size_t		n = strlen(e->d_name);

	return n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

static int
run_dir(const char *root, const char *sub, void (*run) (const char *, const char *))
{
	char		dir[1024];
	struct dirent **list;
	int			n;

	snprintf(dir, sizeof(dir), "%s/%s", root, sub);
	n = scandir(dir, &list, json_file, alphasort);
	CHECK_MSG(n >= 0, "cannot read %s", dir);
	for (int i = 0; i < n; i++)
	{
		char		path[2048];

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		run(path, list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return n;
}

/* ---- direct checks ---- */

static asl_machine *
compile_text(const char *text, asl_diags *d)
{
	json_object *def = json_tokener_parse(text);
	asl_machine *m;

	asl_diags_init(d);
	m = asl_machine_compile(def, d);
	json_object_put(def);		/* the machine must not depend on the definition */
	return m;
}

static bool
has_diag(const asl_diags *d, const char *code, const char *location)
{
	for (size_t i = 0; i < d->count; i++)
		if (strcmp(d->items[i].code, code) == 0 && strcmp(d->items[i].location, location) == 0)
			return true;
	return false;
}

/* An EXPRESS machine: what waits for the outside world is refused, at its Resource, nested too. */
static void
test_express(void)
{
	asl_diags	d;
	asl_machine *m = compile_text(
		"{\"StartAt\": \"A\", \"States\": {"
		"  \"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke.waitForTaskToken\","
		"         \"Parameters\": {\"FunctionName\": \"f\", \"Payload\": {\"t.$\": \"$$.Task.Token\"}}, \"Next\": \"P\"},"
		"  \"P\": {\"Type\": \"Parallel\", \"Next\": \"L\", \"Branches\": [{\"StartAt\": \"B\", \"States\": {"
		"    \"B\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:eu-west-1:123456789012:activity:a\", \"End\": true}}}]},"
		"  \"L\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\","
		"         \"Parameters\": {\"FunctionName\": \"f\"}, \"End\": true}"
		"}}", &d);

	CHECK(m != NULL && d.errors == 0);
	asl_check_express(m, &d);
	print_diags("express", &d);
	CHECK(d.errors == 2);
	CHECK(has_diag(&d, "SCHEMA_VALIDATION_FAILED", "/States/A/Resource"));
	CHECK(has_diag(&d, "SCHEMA_VALIDATION_FAILED", "/States/P/Branches/0/States/B/Resource"));
	CHECK(!has_diag(&d, "SCHEMA_VALIDATION_FAILED", "/States/L/Resource"));
	asl_machine_free(m);
	asl_diags_free(&d);
}

static void
test_defaults(void)
{
	asl_diags	d;
	asl_machine *m = compile_text(
		"{\"StartAt\": \"T\", \"Comment\": \"c\", \"Version\": \"1.0\", \"TimeoutSeconds\": 300,"
		" \"States\": {"
		"  \"T\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:lambda:eu-west-1:123456789012:function:work:live\","
		"         \"Retry\": [{\"ErrorEquals\": [\"States.Timeout\", \"Custom\"]},"
		"                    {\"ErrorEquals\": [\"States.ALL\"], \"IntervalSeconds\": 5, \"MaxAttempts\": 0,"
		"                     \"BackoffRate\": 1.5, \"MaxDelaySeconds\": 30, \"JitterStrategy\": \"FULL\"}],"
		"         \"Catch\": [{\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"F\", \"ResultPath\": null}],"
		"         \"ResultPath\": null, \"TimeoutSeconds\": 60, \"HeartbeatSecondsPath\": \"$.hb\","
		"         \"Next\": \"W\"},"
		"  \"W\": {\"Type\": \"Wait\", \"Timestamp\": \"2024-03-14T01:59:26.535Z\", \"Next\": \"C\"},"
		"  \"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.x\", \"IsPresent\": true, \"Next\": \"S\"}],"
		"         \"Default\": \"F\"},"
		"  \"S\": {\"Type\": \"Succeed\"},"
		"  \"F\": {\"Type\": \"Fail\", \"Error\": \"E\", \"CausePath\": \"States.Format('x {}', $.y)\"}"
		"}}", &d);
	const asl_state *t,
			   *w,
			   *c,
			   *f;

	print_diags("defaults", &d);
	CHECK(m != NULL);
	if (m == NULL)
	{
		asl_diags_free(&d);
		return;
	}
	CHECK_STR(m->comment, "c");
	CHECK_STR(m->version, "1.0");
	CHECK_INT(m->timeout_seconds, 300);
	CHECK_INT(m->n_all, 5);
	CHECK(m->root->start == asl_machine_find(m, "T"));
	CHECK(m->root->owner == NULL);
	CHECK_STR(m->root->pointer, "");
	CHECK(asl_machine_find(m, "nope") == NULL);
	CHECK(asl_machine_find(m, "") == NULL);
	for (size_t i = 1; i < m->n_all; i++)
		CHECK(strcmp(m->by_name[i - 1]->name, m->by_name[i]->name) < 0);

	t = asl_machine_find(m, "T");
	w = asl_machine_find(m, "W");
	c = asl_machine_find(m, "C");
	f = asl_machine_find(m, "F");
	CHECK_INT(t->type, ASL_STATE_TASK);
	CHECK_STR(t->pointer, "/States/T");
	CHECK(t->graph == m->root);
	CHECK_INT(t->index, 0);
	CHECK(t->next == w);
	CHECK(!t->end);
	CHECK(!t->input_path.present);
	CHECK(t->result_path.present && t->result_path.is_null && t->result_path.path == NULL);
	CHECK_INT(t->resource.kind, ASL_RES_LAMBDA_FUNCTION);
	CHECK_INT(t->resource.pattern, ASL_PATTERN_REQUEST_RESPONSE);
	CHECK_STR(t->resource.name, "work");
	CHECK_STR(t->resource.qualifier, "live");
	CHECK(t->timeout_seconds.present && t->timeout_seconds.value == 60 && !t->timeout_seconds.path);
	CHECK(t->heartbeat_seconds.present && t->heartbeat_seconds.path != NULL);
	CHECK_INT(t->n_retriers, 2);
	CHECK_INT(t->retriers[0].n_errors, 2);
	CHECK_STR(t->retriers[0].errors[1], "Custom");
	CHECK(t->retriers[0].interval_seconds == 1);
	CHECK_INT(t->retriers[0].max_attempts, 3);
	CHECK(t->retriers[0].backoff_rate == 2.0);
	CHECK(t->retriers[0].max_delay_seconds == 0);
	CHECK(!t->retriers[0].jitter_full);
	CHECK(t->retriers[1].interval_seconds == 5);
	CHECK_INT(t->retriers[1].max_attempts, 0);
	CHECK(t->retriers[1].backoff_rate == 1.5);
	CHECK(t->retriers[1].max_delay_seconds == 30);
	CHECK(t->retriers[1].jitter_full);
	CHECK_INT(t->n_catchers, 1);
	CHECK(t->catchers[0].next == f);
	CHECK_STR(t->catchers[0].next_name, "F");
	CHECK(t->catchers[0].result_path.present && t->catchers[0].result_path.is_null);

	CHECK_INT(w->type, ASL_STATE_WAIT);
	CHECK(w->has_timestamp && !w->has_seconds);
	CHECK_INT(w->timestamp, INT64_C(1710381566535000));
	CHECK(w->next == c);

	CHECK_INT(c->n_choices, 1);
	CHECK(c->choices[0].next == asl_machine_find(m, "S"));
	CHECK(c->default_state == f);

	CHECK_STR(f->error, "E");
	CHECK(f->cause == NULL && f->cause_path == NULL && f->cause_fn != NULL);
	asl_machine_free(m);
	asl_diags_free(&d);
}

static void
test_resources(void)
{
	asl_diags	d;
	asl_machine *m = compile_text(
		"{\"StartAt\": \"A\", \"States\": {"
		" \"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::dynamodb:updateItem\","
		"        \"Parameters\": {\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}}, \"Next\": \"B\"},"
		" \"B\": {\"Type\": \"Task\", \"Resource\": \"arn:aws-cn:states:::lambda:invoke.waitForTaskToken\","
		"        \"Parameters\": {\"FunctionName\": \"f\", \"Payload\": {\"token.$\": \"$$.Task.Token\"}},"
		"        \"HeartbeatSeconds\": 10, \"TimeoutSeconds\": 20, \"Next\": \"C\"},"
		" \"C\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:local:000000000000:activity:approve\", \"Next\": \"D\"},"
		" \"D\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:lambda:local:000000000000:function:my_fn\", \"End\": true}"
		"}}", &d);
	const asl_state *s;

	print_diags("resources", &d);
	CHECK(m != NULL);
	if (m != NULL)
	{
		s = asl_machine_find(m, "A");
		CHECK_INT(s->resource.kind, ASL_RES_DYNAMODB);
		CHECK_STR(s->resource.action, "updateItem");
		CHECK_STR(s->resource.arn, "arn:aws:states:::dynamodb:updateItem");
		CHECK(s->parameters != NULL);
		s = asl_machine_find(m, "B");
		CHECK_INT(s->resource.kind, ASL_RES_LAMBDA_INVOKE);
		CHECK_INT(s->resource.pattern, ASL_PATTERN_WAIT_FOR_TOKEN);
		CHECK_STR(s->resource.action, "invoke");
		s = asl_machine_find(m, "C");
		CHECK_INT(s->resource.kind, ASL_RES_ACTIVITY);
		CHECK_STR(s->resource.name, "approve");
		s = asl_machine_find(m, "D");
		CHECK_INT(s->resource.kind, ASL_RES_LAMBDA_FUNCTION);
		CHECK_STR(s->resource.name, "my_fn");
		CHECK(s->resource.qualifier == NULL);
		CHECK(s->end && s->next == NULL);
	}
	asl_machine_free(m);
	asl_diags_free(&d);
}

static void
test_subgraphs(void)
{
	asl_diags	d;
	asl_machine *m = compile_text(
		"{\"StartAt\": \"P\", \"States\": {"
		" \"P\": {\"Type\": \"Parallel\", \"Next\": \"M\", \"Branches\": ["
		"   {\"StartAt\": \"B1\", \"States\": {\"B1\": {\"Type\": \"Pass\", \"Result\": null, \"End\": true}}},"
		"   {\"StartAt\": \"B2\", \"States\": {\"B2\": {\"Type\": \"Succeed\"}}}]},"
		" \"M\": {\"Type\": \"Map\", \"ItemsPath\": \"$.items\", \"MaxConcurrency\": 4,"
		"        \"ItemSelector\": {\"v.$\": \"$$.Map.Item.Value\"}, \"Label\": \"batch\","
		"        \"ToleratedFailurePercentage\": 12.5, \"ToleratedFailureCountPath\": \"$.n\","
		"        \"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"EXPRESS\"},"
		"          \"StartAt\": \"I\", \"States\": {\"I\": {\"Type\": \"Wait\", \"Seconds\": 0, \"End\": true}}},"
		"        \"End\": true}"
		"}}", &d);
	const asl_state *p,
			   *mp,
			   *b1,
			   *i;

	print_diags("subgraphs", &d);
	CHECK(m != NULL);
	if (m == NULL)
	{
		asl_diags_free(&d);
		return;
	}
	CHECK_INT(m->n_all, 5);
	p = asl_machine_find(m, "P");
	mp = asl_machine_find(m, "M");
	b1 = asl_machine_find(m, "B1");
	i = asl_machine_find(m, "I");
	CHECK(p->next == mp);
	CHECK_INT(p->n_branches, 2);
	CHECK(p->branches[0]->owner == p);
	CHECK(p->branches[0]->start == b1);
	CHECK_STR(p->branches[1]->pointer, "/States/P/Branches/1");
	CHECK(b1->graph == p->branches[0]);
	CHECK_STR(b1->pointer, "/States/P/Branches/0/States/B1");
	CHECK(b1->has_result && b1->result == NULL);
	CHECK(mp->map.processor != NULL && mp->map.processor->start == i);
	CHECK(mp->map.processor->owner == mp);
	CHECK_STR(mp->map.processor->pointer, "/States/M/ItemProcessor");
	CHECK(mp->map.distributed && mp->map.express);
	CHECK(mp->map.items_path.present && mp->map.items_path.path != NULL);
	CHECK(mp->map.max_concurrency.present && mp->map.max_concurrency.value == 4);
	CHECK(mp->map.item_selector != NULL);
	CHECK_STR(mp->map.label, "batch");
	CHECK(mp->map.tolerated_failure_percentage.value == 12.5);
	CHECK(mp->map.tolerated_failure_count.path != NULL);
	CHECK(i->has_seconds && i->seconds == 0);
	CHECK(i->end);
	asl_machine_free(m);
	asl_diags_free(&d);
}

static void
test_pass_result_owned(void)
{
	asl_diags	d;
	asl_machine *m = compile_text(
		"{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Result\": {\"a\": [1, 2]},"
		" \"ResultPath\": \"$.r\", \"InputPath\": \"$.in\", \"OutputPath\": null, \"End\": true}}}", &d);
	const asl_state *p;

	CHECK(m != NULL);
	if (m != NULL)
	{
		p = asl_machine_find(m, "P");
		/* compile_text freed the definition: the Result must be the machine's own */
		CHECK_JSON(p->result, "{\"a\": [1, 2]}");
		CHECK(p->result_path.present && p->result_path.path != NULL);
		CHECK(p->input_path.present && p->input_path.path != NULL);
		CHECK(p->output_path.present && p->output_path.is_null);
	}
	asl_machine_free(m);
	asl_diags_free(&d);
}

static void
test_every_problem_at_once(void)
{
	asl_diags	d;
	asl_machine *m = compile_text(
		"{\"StartAt\": \"A\", \"Bogus\": 1, \"States\": {"
		" \"A\": {\"Type\": \"Pass\", \"Next\": \"Nowhere\", \"Colour\": \"red\"},"
		" \"B\": {\"Type\": \"Wait\", \"Seconds\": -1, \"End\": true},"
		" \"C\": {\"Type\": \"Fail\", \"InputPath\": \"$\"},"
		" \"D\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sns:publish\", \"End\": true,"
		"        \"Retry\": [{\"ErrorEquals\": [], \"MaxAttempts\": -1, \"BackoffRate\": 0.5}]}"
		"}}", &d);

	CHECK(m == NULL);
	CHECK(has_diag(&d, "UNKNOWN_FIELD", "/Bogus"));
	CHECK(has_diag(&d, "MISSING_TRANSITION_TARGET", "/States/A/Next"));
	CHECK(has_diag(&d, "UNKNOWN_FIELD", "/States/A/Colour"));
	CHECK(has_diag(&d, "INVALID_VALUE", "/States/B/Seconds"));
	CHECK(has_diag(&d, "UNKNOWN_FIELD", "/States/C/InputPath"));
	CHECK(has_diag(&d, "UNSUPPORTED_RESOURCE", "/States/D/Resource"));
	CHECK(has_diag(&d, "INVALID_VALUE", "/States/D/Retry/0/ErrorEquals"));
	CHECK(has_diag(&d, "INVALID_VALUE", "/States/D/Retry/0/MaxAttempts"));
	CHECK(has_diag(&d, "INVALID_VALUE", "/States/D/Retry/0/BackoffRate"));
	/* A's Next is unresolved: B, C, D's reachability is unknown, not reported */
	CHECK(!has_diag(&d, "UNREACHABLE_STATE", "/States/B"));
	CHECK_INT(d.errors, 9);
	asl_machine_free(m);
	asl_diags_free(&d);
}

static void
test_no_cascade(void)
{
	asl_diags	d;
	asl_machine *m = compile_text(
		"{\"StartAt\": \"A\", \"States\": {"
		" \"A\": {\"Type\": \"Teleport\", \"Destination\": \"B\", \"Speed\": 9},"
		" \"B\": {\"Type\": \"Pass\", \"Next\": \"A\"}"
		"}}", &d);

	/* one diagnostic for the unknown type: no UNKNOWN_FIELD, UNREACHABLE_STATE or MISSING_END_STATE */
	CHECK(m == NULL);
	CHECK_INT(d.count, 1);
	CHECK(has_diag(&d, "INVALID_VALUE", "/States/A/Type"));
	asl_machine_free(m);
	asl_diags_free(&d);

}

/* JSONata states: what they accept, and located errors for what they do not. */
static void
test_jsonata_states(void)
{
	asl_diags	d;
	asl_machine *m;

	m = compile_text("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": "
					 "{\"A\": {\"Type\": \"Pass\", \"Output\": {\"x\": [1, \"{% $states.input %}\"]},"
					 " \"Assign\": {\"v\": \"{% 1 + 1 %}\"}, \"End\": true}}}", &d);
	CHECK(m != NULL);
	CHECK(m && asl_machine_find(m, "A")->jsonata);
	asl_machine_free(m);
	asl_diags_free(&d);

	/* a JSONPath machine may hold a JSONata state */
	m = compile_text("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"QueryLanguage\": \"JSONata\","
					 " \"Output\": \"{% $states.input %}\", \"Next\": \"B\"}, \"B\": {\"Type\": \"Pass\", \"InputPath\": \"$\", \"End\": true}}}", &d);
	CHECK(m != NULL);
	CHECK(m && asl_machine_find(m, "A")->jsonata && !asl_machine_find(m, "B")->jsonata);
	asl_machine_free(m);
	asl_diags_free(&d);

	/* ... not the other way round */
	m = compile_text("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": "
					 "{\"A\": {\"Type\": \"Pass\", \"QueryLanguage\": \"JSONPath\", \"End\": true}}}", &d);
	CHECK(m == NULL);
	CHECK(has_diag(&d, "INVALID_VALUE", "/States/A/QueryLanguage"));
	asl_diags_free(&d);

	/* JSONPath-only fields, a syntax error (located at its field), JSONPath choice operators */
	m = compile_text("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {"
					 "\"A\": {\"Type\": \"Pass\", \"InputPath\": \"$.a\", \"ResultPath\": \"$.b\","
					 " \"Output\": {\"x\": \"{% $states.input. %}\"}, \"Next\": \"C\"},"
					 "\"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.a\", \"BooleanEquals\": true, \"Next\": \"A\"}],"
					 " \"Default\": \"A\"}}}", &d);
	CHECK(m == NULL);
	CHECK(has_diag(&d, "INVALID_FIELD", "/States/A/InputPath"));
	CHECK(has_diag(&d, "INVALID_FIELD", "/States/A/ResultPath"));
	CHECK(has_diag(&d, "INVALID_JSONATA", "/States/A/Output/x"));
	CHECK(has_diag(&d, "INVALID_FIELD", "/States/C/Choices/0/Variable"));
	CHECK(has_diag(&d, "MISSING_FIELD", "/States/C/Choices/0"));
	asl_diags_free(&d);
}

static void
test_not_objects(void)
{
	asl_diags	d;
	asl_machine *m;

	asl_diags_init(&d);
	m = asl_machine_compile(NULL, &d);
	CHECK(m == NULL);
	CHECK(has_diag(&d, "INVALID_JSON_DESCRIPTION", ""));
	asl_diags_free(&d);
	m = compile_text("[1, 2]", &d);
	CHECK(m == NULL);
	CHECK(has_diag(&d, "INVALID_JSON_DESCRIPTION", ""));
	asl_diags_free(&d);
	m = compile_text("{}", &d);
	CHECK(m == NULL);
	CHECK(has_diag(&d, "MISSING_FIELD", ""));
	asl_diags_free(&d);
	CHECK(asl_machine_find(NULL, "x") == NULL);
	asl_machine_free(NULL);
	CHECK_STR(asl_state_type_name(ASL_STATE_MAP), "Map");
	CHECK_STR(asl_state_type_name(ASL_STATE_SUCCEED), "Succeed");
}

static void
test_earlier_diagnostics(void)
{
	asl_diags	d;
	json_object *def = json_tokener_parse(
		"{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}");
	asl_machine *m;

	/* errors already in diags (from substitution, say) are not this definition's */
	asl_diags_init(&d);
	asl_diag_add(&d, ASL_SEV_ERROR, "UNSUBSTITUTED_PLACEHOLDER", "/x", "earlier");
	m = asl_machine_compile(def, &d);
	CHECK(m != NULL);
	CHECK_INT(d.count, 1);
	asl_machine_free(m);
	asl_diags_free(&d);
	json_object_put(def);
}


static void
test_resource_forms(void)
{
	static const struct
	{
		const char *arn;
		const char *code;		/* NULL: parses */
		asl_resource_kind kind;
		asl_integration_pattern pattern;
		const char *action_or_name;
	}			cases[] = {
		{"arn:aws:states:::dynamodb:getItem", NULL, ASL_RES_DYNAMODB, ASL_PATTERN_REQUEST_RESPONSE, "getItem"},
		{"arn:aws:states:::dynamodb:putItem", NULL, ASL_RES_DYNAMODB, ASL_PATTERN_REQUEST_RESPONSE, "putItem"},
		{"arn:aws:states:::dynamodb:deleteItem", NULL, ASL_RES_DYNAMODB, ASL_PATTERN_REQUEST_RESPONSE, "deleteItem"},
		{"arn:aws-cn:states:::dynamodb:updateItem", NULL, ASL_RES_DYNAMODB, ASL_PATTERN_REQUEST_RESPONSE, "updateItem"},
		{"arn:aws:states:::lambda:invoke", NULL, ASL_RES_LAMBDA_INVOKE, ASL_PATTERN_REQUEST_RESPONSE, "invoke"},
		{"arn:aws:states:::lambda:invoke.waitForTaskToken", NULL, ASL_RES_LAMBDA_INVOKE, ASL_PATTERN_WAIT_FOR_TOKEN, "invoke"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", NULL, ASL_RES_LAMBDA_FUNCTION, ASL_PATTERN_REQUEST_RESPONSE, "f"},
		{"arn:aws:states:local:000000000000:activity:a-b_c", NULL, ASL_RES_ACTIVITY, ASL_PATTERN_REQUEST_RESPONSE, "a-b_c"},
		{"", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn::states:::dynamodb:getItem", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::dynamodb:", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::dynamodb:getItem.sync", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::dynamodb:getItem.later", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::lambda:invoke.sync", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::lambda:call", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:lambda:us-east-1:123456789012:function:", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:lambda:us-east-1:123456789012:function:f.waitForTaskToken", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:lambda:us-east-1:123456789012:layer:l", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:us-east-1:123456789012:stateMachine:m", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:us-east-1:123456789012:activity:", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::${Service}:x", "INVALID_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::sqs:sendMessage.waitForTaskToken", "UNSUPPORTED_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::ecs:runTask.sync", "UNSUPPORTED_RESOURCE", 0, 0, NULL},
		{"arn:aws:states:::http:invoke", "UNSUPPORTED_RESOURCE", 0, 0, NULL},
		{"arn:aws:sns:us-east-1:123456789012:topic", "UNSUPPORTED_RESOURCE", 0, 0, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		asl_resource res;
		const char *code = NULL;
		const char *why = NULL;
		bool		ok = asl_resource_parse(cases[i].arn, &res, &code, &why);

		if (cases[i].code == NULL)
		{
			CHECK_MSG(ok, "%s: %s", cases[i].arn, why ? why : "");
			if (ok)
			{
				CHECK_INT(res.kind, cases[i].kind);
				CHECK_INT(res.pattern, cases[i].pattern);
				CHECK_STR(res.kind == ASL_RES_DYNAMODB || res.kind == ASL_RES_LAMBDA_INVOKE ? res.action : res.name,
						  cases[i].action_or_name);
				CHECK_STR(res.arn, cases[i].arn);
			}
		}
		else
		{
			CHECK_MSG(!ok, "%s parsed", cases[i].arn);
			CHECK_STR(code, cases[i].code);
			CHECK(why != NULL);
			CHECK(res.arn == NULL && res.action == NULL && res.name == NULL);
		}
		asl_resource_release(&res);
	}
}

static void
run_all(void)
{
	const char *root = getenv("BOOKING_DEFINITIONS_DIR");
	int			n_invalid,
				n_valid;

	if (root == NULL || root[0] == '\0')
		root = "test/definitions";
	n_invalid = run_dir(root, "invalid", run_invalid);
	n_valid = run_dir(root, "valid", run_valid);
	CHECK_MSG(n_invalid >= 60, "only %d invalid definitions", n_invalid);
	CHECK_MSG(n_valid >= 20, "only %d valid definitions", n_valid);
	for (size_t i = 0; all_codes[i]; i++)
		CHECK_MSG(code_seen[i], "no corpus file exercises %s", all_codes[i]);
	printf("corpus: %d invalid, %d valid definitions\n", n_invalid, n_valid);
	test_defaults();
	test_express();
	test_resources();
	test_resource_forms();
	test_subgraphs();
	test_pass_result_owned();
	test_every_problem_at_once();
	test_no_cascade();
	test_jsonata_states();
	test_not_objects();
	test_earlier_diagnostics();
}

UNIT_MAIN("test_definition", run_all())

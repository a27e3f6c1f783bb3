/*
 * test_conformance.c — the interpreter against the conformance corpus.
 *
 * Every .json file in test/conformance (BOOKING_CONFORMANCE_DIR overrides the
 * directory) is an array of cases
 *
 *   {"rule": ..., "source": ..., "definition": {ASL}, "input": JSON,
 *    "expect": {"status": "SUCCEEDED", "output": JSON}
 *           or {"status": "FAILED", "error": NAME, "cause_contains": TEXT}}
 *
 * Each case is compiled with asl_machine_compile and run to completion with
 * the synchronous driver asl_run: Wait states and retry back-offs advance a
 * fake clock instead of sleeping, random numbers come from a fixed seed, and
 * there are no Task states (the task callback fails). Each case counts as one
 * check; a failing case prints its file, rule, source, expected and actual.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/asl/definition.h"
#include "core/asl/driver.h"
#include "unit.h"

#define MIN_CASES 170

static const char *
jstr(json_object *o)
{
	return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null";
}

/* Prints at most limit characters of text (data-limit cases have big documents). */
static void
print_clipped(const char *label, const char *text)
{
	size_t		len = strlen(text);
	const size_t limit = 600;

	if (len <= limit)
		fprintf(stderr, "    %s %s\n", label, text);
	else
		fprintf(stderr, "    %s %.*s... (%zu bytes)\n", label, (int) limit, text, len);
}

static int
json_name_filter(const struct dirent *d)
{
	size_t		n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* ---- the host: a fake clock, a fixed random sequence, no tasks ---- */

typedef struct fake_host
{
	asl_time	now;
	uint64_t	seed;
	int64_t		sleeps;
} fake_host;

static bool
fake_sleep_until(void *arg, asl_time due)
{
	fake_host  *h = arg;

	h->sleeps++;
	if (due > h->now)
		h->now = due;			/* time jumps; nothing actually sleeps */
	return true;
}

static asl_time
fake_now(void *arg)
{
	return ((fake_host *) arg)->now;
}

static double
fake_random(void *arg)
{
	fake_host  *h = arg;

	/* xorshift64*: deterministic, uniform enough in [0, 1) */
	h->seed ^= h->seed >> 12;
	h->seed ^= h->seed << 25;
	h->seed ^= h->seed >> 27;
	return (double) ((h->seed * UINT64_C(2685821657736338717)) >> 11) / 9007199254740992.0;
}

static bool
fake_run_task(void *arg, const char *state, const asl_task *task, asl_task_reply *reply)
{
	(void) arg;
	(void) task;
	/* The corpus has no Task states; if one runs anyway, it fails visibly. */
	asl_error_set(&reply->error, "Conformance.NoTasks", "task state %s ran, but the corpus has no tasks", state);
	return true;
}

typedef struct case_result
{
	const char *status;
	json_object *output;		/* borrowed from run */
	const char *error;
	const char *cause;
	asl_run_result run;
} case_result;

/* 2024-06-01T00:00:00Z: every Timestamp in the corpus is before it. */
#define FAKE_START (INT64_C(1717200000) * ASL_USEC_PER_SEC)

static void
run_machine(const asl_machine *machine, json_object *input, size_t serial, case_result *res)
{
	fake_host	fh = {.now = FAKE_START, .seed = UINT64_C(0x9E3779B97F4A7C15) + serial};
	asl_run_host host = {
		.arg = &fh,
		.run_task = fake_run_task,
		.sleep_until = fake_sleep_until,
		.now = fake_now,
		.random = fake_random,
	};
	char		name[64], id[160];
	asl_execution_info info;
	asl_run_options opt;
	json_object *context;

	snprintf(name, sizeof name, "conformance-%zu", serial);
	snprintf(id, sizeof id, "arn:aws:states:local:000000000000:execution:conformance:%s", name);
	memset(&info, 0, sizeof info);
	info.id = id;
	info.name = name;
	info.start_time = FAKE_START;
	info.input = input;
	info.state_machine_id = "arn:aws:states:local:000000000000:stateMachine:conformance";
	info.state_machine_name = "conformance";
	context = asl_context_base(&info);

	memset(&opt, 0, sizeof opt);
	opt.context = context;

	memset(res, 0, sizeof *res);
	asl_run(machine, input, &opt, &host, &res->run);
	res->status = asl_run_status_name(res->run.status);
	res->output = res->run.output;
	res->error = res->run.error;
	res->cause = res->run.cause;
	json_object_put(context);
}

static void
case_result_clear(case_result *res)
{
	asl_run_result_clear(&res->run);
}

static int	cases_total;
static int	cases_failed;

static void
case_failed(const char *file, size_t index, json_object *c, const char *why)
{
	json_object *v;

	unit_failed++;
	cases_failed++;
	fprintf(stderr, "FAIL %s[%zu] %s\n", file, index,
			json_object_object_get_ex(c, "rule", &v) ? json_object_get_string(v) : "(no rule)");
	if (json_object_object_get_ex(c, "source", &v))
		fprintf(stderr, "    source: %s\n", json_object_get_string(v));
	fprintf(stderr, "    %s\n", why);
}

static void
run_case(const char *file, size_t index, json_object *c)
{
	json_object *definition, *input, *expect, *status;
	asl_diags	diags;
	asl_machine *machine;
	case_result res;
	char		why[512];
	const char *want;

	cases_total++;
	if (!json_object_object_get_ex(c, "definition", &definition) ||
		!json_object_object_get_ex(c, "input", &input) ||
		!json_object_object_get_ex(c, "expect", &expect) ||
		!json_object_object_get_ex(expect, "status", &status) ||
		!json_object_object_get_ex(c, "rule", NULL) ||
		!json_object_object_get_ex(c, "source", NULL))
	{
		case_failed(file, index, c, "malformed case: needs rule, source, definition, input, expect.status");
		return;
	}
	want = json_object_get_string(status);

	asl_diags_init(&diags);
	machine = asl_machine_compile(definition, &diags);
	if (machine == NULL)
	{
		case_failed(file, index, c, "definition does not compile:");
		for (size_t i = 0; i < diags.count; i++)
			fprintf(stderr, "      %s %s at \"%s\": %s\n", asl_severity_name(diags.items[i].severity),
					diags.items[i].code, diags.items[i].location, diags.items[i].message);
		asl_diags_free(&diags);
		return;
	}
	asl_diags_free(&diags);

	run_machine(machine, input, (size_t) cases_total, &res);

	if (strcmp(want, "SUCCEEDED") == 0)
	{
		json_object *output = NULL;

		json_object_object_get_ex(expect, "output", &output);
		if (strcmp(res.status, "SUCCEEDED") == 0 && json_object_equal(res.output, output))
			unit_passed++;
		else
		{
			snprintf(why, sizeof why, "expected SUCCEEDED, got %s%s%s%s%s", res.status,
					 res.error ? " error=" : "", res.error ? res.error : "",
					 res.cause ? " cause=" : "", res.cause ? res.cause : "");
			case_failed(file, index, c, why);
			print_clipped("expected output:", jstr(output));
			if (strcmp(res.status, "SUCCEEDED") == 0)
				print_clipped("actual output:  ", jstr(res.output));
		}
	}
	else if (strcmp(want, "FAILED") == 0)
	{
		json_object *error = NULL, *cause = NULL;
		const char *werr, *wcause;
		bool		ok;

		json_object_object_get_ex(expect, "error", &error);
		json_object_object_get_ex(expect, "cause_contains", &cause);
		werr = error ? json_object_get_string(error) : NULL;
		wcause = cause ? json_object_get_string(cause) : NULL;
		ok = strcmp(res.status, "FAILED") == 0 &&
			(werr == NULL || (res.error && strcmp(res.error, werr) == 0)) &&
			(wcause == NULL || (res.cause && strstr(res.cause, wcause) != NULL));
		if (ok)
			unit_passed++;
		else
		{
			snprintf(why, sizeof why, "expected FAILED error=%s%s%s, got %s error=%s cause=%s",
					 werr ? werr : "(any)", wcause ? " cause~" : "", wcause ? wcause : "",
					 res.status, res.error ? res.error : "(none)", res.cause ? res.cause : "(none)");
			case_failed(file, index, c, why);
			if (strcmp(res.status, "SUCCEEDED") == 0)
				print_clipped("actual output:", jstr(res.output));
		}
	}
	else
		case_failed(file, index, c, "expect.status must be SUCCEEDED or FAILED");

	case_result_clear(&res);
	asl_machine_free(machine);
}

/*
 * Runs one case in a child process, so that a case that crashes the
 * interpreter (an assertion, a sanitizer report) is reported as that case's
 * failure and the rest of the corpus still runs. BOOKING_CONFORMANCE_NOFORK=1
 * runs every case in this process instead (for a debugger).
 */
static void
run_isolated(const char *file, size_t index, json_object *c)
{
	static int	nofork = -1;
	pid_t		pid;
	int			wstatus;

	if (nofork < 0)
		nofork = getenv("BOOKING_CONFORMANCE_NOFORK") != NULL;
	if (nofork)
	{
		run_case(file, index, c);
		return;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
	{
		run_case(file, index, c);
		return;
	}
	if (pid == 0)
	{
		unit_failed = 0;
		run_case(file, index, c);
		fflush(stderr);
		_exit(unit_failed ? 1 : 0);
	}
	cases_total++;
	if (waitpid(pid, &wstatus, 0) < 0)
		wstatus = -1;
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		unit_passed++;
	else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 1)
	{
		unit_failed++;
		cases_failed++;
	}
	else
	{
		char		why[128];

		if (WIFSIGNALED(wstatus))
			snprintf(why, sizeof why, "the interpreter crashed (signal %d); rerun with BOOKING_CONFORMANCE_NOFORK=1 under a debugger", WTERMSIG(wstatus));
		else
			snprintf(why, sizeof why, "the case's process ended abnormally (status %d)", wstatus);
		case_failed(file, index, c, why);
	}
}

static void
run_file(const char *dir, const char *name)
{
	char		path[4096];
	json_object *cases;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	cases = json_object_from_file(path);
	if (cases == NULL || !json_object_is_type(cases, json_type_array))
	{
		unit_failed++;
		fprintf(stderr, "FAIL %s: not a JSON array of cases (%s)\n", path, json_util_get_last_err());
		json_object_put(cases);
		return;
	}
	{
		int			before_total = cases_total,
					before_failed = cases_failed;

		for (size_t i = 0; i < json_object_array_length(cases); i++)
			run_isolated(name, i, json_object_array_get_idx(cases, i));
		printf("  %-24s %3d cases, %3d failed\n", name, cases_total - before_total,
			   cases_failed - before_failed);
	}
	json_object_put(cases);
}

static void
run_corpus(void)
{
	const char *dir = getenv("BOOKING_CONFORMANCE_DIR");
	struct dirent **names;
	int			n;

	if (dir == NULL || *dir == '\0')
		dir = "test/conformance";
	n = scandir(dir, &names, json_name_filter, alphasort);
	if (n < 0)
	{
		unit_failed++;
		fprintf(stderr, "FAIL cannot read the conformance directory %s\n", dir);
		return;
	}
	for (int i = 0; i < n; i++)
	{
		run_file(dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	CHECK_MSG(cases_total >= MIN_CASES, "the corpus has %d cases, fewer than %d", cases_total, MIN_CASES);
	printf("conformance corpus: %d cases, %d passed, %d failed\n", cases_total,
		   cases_total - cases_failed, cases_failed);
}

UNIT_MAIN("conformance", run_corpus())

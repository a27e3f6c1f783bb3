/*
 * driver.c — the synchronous driver: asl_step and its continuations in a loop,
 * with the host's callbacks for tasks, sleeping, time and randomness.
 *
 * A graph runs as a cursor (state, raw input, variables, retry counters,
 * entry time) that each outcome moves on. Branches and iterations are
 * graphs run recursively, so nesting depth is the definition's (at most 64,
 * the compiler's limit). Stopping conditions that are not the workflow's own
 * failure (budget, timeout, interruption) halt every level at once: they
 * must never be caught by a Catch.
 */
#include "driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

typedef struct run_ctx
{
	const asl_machine *machine;
	const asl_run_host *host;
	json_object *context;		/* NULL until built from context_info */
	const asl_execution_info *context_info;
	size_t		max_payload;
	int64_t		max_steps;
	int64_t		steps;
	int64_t		events;			/* history events so far, recorded or not (ids
								 * count from 1) */
	asl_size_memo sizes;		/* the last output measured (dataflow.h) */
	asl_time	deadline;		/* 0: none */
	int64_t		timeout_seconds;
	bool		halted;
	asl_run_status halt_status;
	asl_error	halt_error;
} run_ctx;

/* Where a graph run stands; owns its references. */
typedef struct cursor
{
	const char *state;
	json_object *input;
	json_object *variables;
	json_object *attempts;
	asl_time	entered;
	int64_t		entered_event;	/* the id of the event that entered the state */
} cursor;

/* How a graph run ended, when it was not halted. */
typedef struct ending
{
	bool		failed;
	json_object *output;
	asl_error	error;
} ending;

static bool run_graph(run_ctx *r, const char *start, json_object *input,
					  json_object *variables, ending *end);

/* The host's clock, or 0 without one. */
static asl_time
now(run_ctx *r)
{
	return r->host && r->host->now ? r->host->now(r->host->arg) : 0;
}

/* The host's random number in [0, 1), or 0 without one. */
static double
draw(run_ctx *r)
{
	double		d = r->host && r->host->random ? r->host->random(r->host->arg) : 0.0;

	return d >= 0.0 && d < 1.0 ? d : 0.0;
}

/* Hands events to the host; n says how many there are, built or not. */
static void
emit(run_ctx *r, json_object *events, size_t n)
{
	r->events += (int64_t) n;
	if (r->host == NULL || r->host->event == NULL || events == NULL)
		return;
	for (size_t i = 0; i < json_object_array_length(events); i++)
		r->host->event(r->host->arg, json_object_array_get_idx(events, i));
}

/* Whether the host keeps the history: else events are counted, not built. */
static bool
wants_events(const run_ctx *r)
{
	return r->host != NULL && r->host->event != NULL;
}

/* Counts an event and hands it to the host (taking its reference). */
static void
emit_one(run_ctx *r, json_object *event)
{
	r->events++;
	if (event != NULL && r->host && r->host->event)
		r->host->event(r->host->arg, event);
	json_object_put(event);
}

static bool halt(run_ctx *r, asl_run_status status, const char *name, const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

/* Stops the whole run; returns false so callers can `return halt(...)`. */
static bool
halt(run_ctx *r, asl_run_status status, const char *name, const char *fmt,...)
{
	va_list		ap;
	char	   *cause = NULL;

	if (r->halted)
		return false;
	va_start(ap, fmt);
	if (vasprintf(&cause, fmt, ap) < 0)
		cause = NULL;
	va_end(ap);
	r->halted = true;
	r->halt_status = status;
	asl_error_set(&r->halt_error, name, "%s", cause ? cause : "");
	free(cause);
	return false;
}

/* Halts the run for the machine's TimeoutSeconds. */
static bool
timed_out(run_ctx *r)
{
	return halt(r, ASL_RUN_TIMED_OUT, ASL_ERR_TIMEOUT,
				"The execution ran longer than the state machine's TimeoutSeconds (%lld)",
				(long long) r->timeout_seconds);
}

/* One more transition: the budget and the execution timeout. */
static bool
tick(run_ctx *r)
{
	if (++r->steps > r->max_steps)
		return halt(r, ASL_RUN_FAILED, ASL_ERR_RUNTIME,
					"The execution exceeded its budget of %lld state transitions",
					(long long) r->max_steps);
	if (r->deadline != 0 && now(r) >= r->deadline)
		return timed_out(r);
	return true;
}

/*
 * Sleeps through the host until due; false (the run halted) when the host
 * is interrupted or the run's deadline comes first.
 */
static bool
sleep_until(run_ctx *r, asl_time due)
{
	bool		late = r->deadline != 0 && due >= r->deadline;

	if (late)
		due = r->deadline;
	if (r->host && r->host->sleep_until && !r->host->sleep_until(r->host->arg, due))
		return halt(r, ASL_RUN_ABORTED, "States.Aborted", "The execution was interrupted while waiting");
	if (late)
		return timed_out(r);
	return true;
}

/* The execution-level $$, built on first use (most runs never read it). */
static json_object *
base_context(void *arg)
{
	run_ctx    *r = (run_ctx *) arg;

	if (r->context == NULL && r->context_info != NULL)
		r->context = asl_context_base(r->context_info);
	return r->context;
}

/*
 * The step environment for the cursor's state: context, clock, random, the
 * host's callbacks and the entered event.
 */
static void
make_env(run_ctx *r, const cursor *cur, asl_env *env)
{
	const asl_state *st = asl_machine_find(r->machine, cur->state);

	memset(env, 0, sizeof(*env));
	env->entered_event_id = cur->entered_event;
	env->context = r->context;
	env->base_context = base_context;
	env->base_context_arg = r;
	env->now = now(r);
	env->random = draw(r);
	env->max_payload = r->max_payload;
	env->no_events = !wants_events(r);
	env->sizes = &r->sizes;
	if (r->host != NULL && r->host->cancel != NULL)
	{
		env->cancel = r->host->cancel;
		env->cancel_arg = r->host->arg;
	}
	if (st != NULL && st->type == ASL_STATE_TASK &&
		st->resource.pattern == ASL_PATTERN_WAIT_FOR_TOKEN &&
		r->host && r->host->task_token)
		env->task_token = r->host->task_token(r->host->arg);
}

/* The core's view of the cursor (borrowed documents). */
static asl_position
position(const cursor *cur)
{
	asl_position pos;

	pos.state = cur->state;
	pos.input = cur->input;
	pos.variables = cur->variables;
	pos.attempts = cur->attempts;
	pos.entered = cur->entered;
	return pos;
}

/* Moves the cursor to a new state (references taken). */
static void
move(cursor *cur, const char *state, json_object *input, json_object *variables)
{
	json_object_put(cur->input);
	json_object_put(cur->variables);
	json_object_put(cur->attempts);
	cur->state = state;
	cur->input = input;
	cur->variables = variables;
	cur->attempts = NULL;
	cur->entered = 0;
	cur->entered_event = 0;
}

/* Releases the cursor's documents. */
static void
drop(cursor *cur)
{
	move(cur, NULL, NULL, NULL);
}

/*
 * Runs the task of out, then its continuation into *next. False when halted.
 * The history has three events per attempt (scheduled, started, and
 * succeeded or failed), which the host records if it keeps one.
 */
static bool
run_task(run_ctx *r, const cursor *cur, const asl_position *pos, const asl_outcome *out,
		 asl_outcome *next)
{
	asl_task_reply reply = {0};
	asl_env		env;

	if (r->host == NULL || r->host->run_task == NULL)
		asl_error_set(&reply.error, ASL_ERR_TASK_FAILED, "no task runner: the host runs no tasks");
	else if (!r->host->run_task(r->host->arg, out->state, &out->task, &reply))
	{
		json_object_put(reply.output);
		asl_error_clear(&reply.error);
		return halt(r, ASL_RUN_ABORTED, "States.Aborted", "The task of state '%s' was interrupted", out->state);
	}
	r->events += 3;
	make_env(r, cur, &env);
	asl_step_task_reply(r->machine, pos, &env, &reply, next);
	return true;
}

/* Runs every branch of out, in order, then the continuation into *next. */
static bool
run_branches(run_ctx *r, const cursor *cur, const asl_position *pos, const asl_outcome *out,
			 asl_outcome *next)
{
	const asl_branches *b = &out->branches;
	ending	   *ends = calloc(b->count ? b->count : 1, sizeof(ending));
	asl_result *res = calloc(b->count ? b->count : 1, sizeof(asl_result));
	size_t		n = 0;
	size_t		started = 0;
	bool		ok = ends != NULL && res != NULL;
	asl_env		env;

	if (!ok)
		halt(r, ASL_RUN_FAILED, ASL_ERR_RUNTIME, "out of memory");

	/*
	 * A Map's iterations start as MaxConcurrency lets them: as many as it
	 * allows (all when 0) at once, then one as each ends, as AWS records
	 * MapIterationStarted and as a durable execution launches its children
	 * (advance_branches.c); a failure that fails the Map starts no more. The
	 * ids of the events that follow are the ones GetExecutionHistory gives.
	 */
	if (b->is_map)
		started = b->max_concurrency > 0 && (uint64_t) b->max_concurrency < b->count ?
			(size_t) b->max_concurrency : b->count;
	for (size_t i = 0; ok && i < started; i++)
		emit_one(r, wants_events(r) ? asl_event_map_iteration("MapIterationStarted", out->state, i) : NULL);
	for (size_t i = 0; ok && i < b->count; i++)
	{
		const asl_branch *br = &b->items[i];

		ok = run_graph(r, br->start, br->input, br->variables, &ends[i]);
		if (!ok)
			break;
		n = i + 1;
		if (b->is_map)
			emit_one(r, !wants_events(r) ? NULL :
					 asl_event_map_iteration(ends[i].failed ? "MapIterationFailed" : "MapIterationSucceeded",
											 out->state, i));
		res[i].failed = ends[i].failed;
		res[i].output = ends[i].output;
		res[i].error = ends[i].error.name;
		res[i].cause = ends[i].error.cause;
		/* one failure fails the state: the rest need not run */
		if (ends[i].failed && !(b->is_map && b->tolerance))
			break;
		/* the slot this iteration frees starts the next one waiting */
		if (b->is_map && started < b->count)
			emit_one(r, wants_events(r) ? asl_event_map_iteration("MapIterationStarted", out->state, started++) : NULL);
	}
	if (ok)
	{
		make_env(r, cur, &env);
		asl_step_branches_done(r->machine, pos, &env, res, n, next);
	}
	for (size_t i = 0; ends != NULL && i < b->count; i++)
	{
		json_object_put(ends[i].output);
		asl_error_clear(&ends[i].error);
	}
	free(ends);
	free(res);
	return ok;
}

/* Runs a graph from start until it ends (true) or the run halts (false). */
static bool
run_graph(run_ctx *r, const char *start, json_object *input, json_object *variables,
		  ending *end)
{
	cursor		cur = {0};
	asl_outcome out;
	asl_outcome next;
	asl_position pos;
	asl_env		env;

	memset(end, 0, sizeof(*end));
	move(&cur, start, json_object_get(input), json_object_get(variables));
	for (;;)
	{
		if (!tick(r))
			break;

		/*
		 * a first entry records <Type>StateEntered first; a retry enters
		 * nothing
		 */
		if (cur.entered_event == 0)
			cur.entered_event = r->events + 1;
		make_env(r, &cur, &env);
		pos = position(&cur);
		asl_step(r->machine, &pos, &env, &out);
		if (cur.entered == 0)
			cur.entered = env.now;
		pos = position(&cur);
		/* continuations produce new outcomes until one moves the cursor */
		for (;;)
		{
			emit(r, out.events, out.n_events);
			if (out.kind == ASL_OUTCOME_TASK || out.kind == ASL_OUTCOME_BRANCHES)
			{
				bool		ok = out.kind == ASL_OUTCOME_TASK ?
				run_task(r, &cur, &pos, &out, &next) : run_branches(r, &cur, &pos, &out, &next);

				asl_outcome_clear(&out);
				if (!ok)
				{
					drop(&cur);
					return false;
				}
				out = next;
				continue;
			}
			break;
		}
		switch (out.kind)
		{
			case ASL_OUTCOME_NEXT:
				move(&cur, out.next, json_object_get(out.output), json_object_get(out.variables));
				break;
			case ASL_OUTCOME_RETRY:
				if (!sleep_until(r, out.due))
					break;
				json_object_put(cur.attempts);
				cur.attempts = json_object_get(out.attempts);
				break;
			case ASL_OUTCOME_WAIT:
				if (!sleep_until(r, out.due))
					break;
				emit(r, out.after_events, out.n_after_events);
				if (out.next != NULL)
				{
					move(&cur, out.next, json_object_get(out.output), json_object_get(out.variables));
					break;
				}
				/* fall through: a Wait with "End": true ends the graph */
				/* FALLTHROUGH */
			case ASL_OUTCOME_END:
				end->output = json_object_get(out.output);
				asl_outcome_clear(&out);
				drop(&cur);
				return true;
			case ASL_OUTCOME_FAIL:
			default:
				end->failed = true;
				end->error = out.error;
				memset(&out.error, 0, sizeof(out.error));
				asl_outcome_clear(&out);
				drop(&cur);
				return true;
		}
		asl_outcome_clear(&out);
		if (r->halted)
			break;
	}
	drop(&cur);
	return false;
}

void
asl_run(const asl_machine *machine, json_object *input, const asl_run_options *opt,
		const asl_run_host *host, asl_run_result *res)
{
	run_ctx		r;
	ending		end = {0};
	const asl_graph *g = opt && opt->graph ? opt->graph : (machine ? machine->root : NULL);
	bool		ended = false;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.machine = machine;
	r.host = host;
	r.context_info = opt ? opt->context_info : NULL;
	if (opt && opt->context)
		r.context = json_object_get(opt->context);
	else if (r.context_info == NULL)
		r.context = json_object_new_object();
	r.max_payload = opt && opt->max_payload ? opt->max_payload : ASL_DEFAULT_MAX_PAYLOAD;
	r.max_steps = opt && opt->max_steps > 0 ? opt->max_steps : ASL_RUN_DEFAULT_MAX_STEPS;
	r.events = 1;				/* ExecutionStarted */
	if (g == NULL || g->start == NULL)
		halt(&r, ASL_RUN_FAILED, ASL_ERR_RUNTIME, "there is no state machine to run");
	else
	{
		if (g == machine->root && machine->timeout_seconds > 0)
		{
			r.timeout_seconds = machine->timeout_seconds;
			r.deadline = now(&r) + machine->timeout_seconds * ASL_USEC_PER_SEC;
		}
		ended = run_graph(&r, g->start->name, input, opt ? opt->variables : NULL, &end);
	}
	res->steps = r.steps;
	if (!ended)
	{
		res->status = r.halt_status;
		res->error = r.halt_error.name;
		res->cause = r.halt_error.cause;
	}
	else if (end.failed)
	{
		res->status = ASL_RUN_FAILED;
		res->error = end.error.name;
		res->cause = end.error.cause;
		/* a Fail state without Error fails with no error name */
		if (res->error != NULL && res->error[0] == '\0')
		{
			free(res->error);
			res->error = NULL;
		}
	}
	else
	{
		res->status = ASL_RUN_SUCCEEDED;
		res->output = end.output;
	}
	if (ended)
		asl_error_clear(&r.halt_error);
	asl_size_memo_clear(&r.sizes);
	json_object_put(r.context);
}

void
asl_run_result_clear(asl_run_result *res)
{
	if (res == NULL)
		return;
	json_object_put(res->output);
	free(res->error);
	free(res->cause);
	memset(res, 0, sizeof(*res));
}

const char *
asl_run_status_name(asl_run_status status)
{
	switch (status)
	{
		case ASL_RUN_SUCCEEDED:
			return "SUCCEEDED";
		case ASL_RUN_FAILED:
			return "FAILED";
		case ASL_RUN_TIMED_OUT:
			return "TIMED_OUT";
		case ASL_RUN_ABORTED:
			return "ABORTED";
	}
	return "UNKNOWN";
}

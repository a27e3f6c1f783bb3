/*
 * advance.c — durable executions: a row's position, stepped by the core,
 * written back. See advance.h.
 *
 * The core never longjmps; this file does (ereport), so everything the core
 * hands over is owned by a memory context before anything here can fail.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "arn.h"
#include "booking.h"
#include "permissions.h"
#include "jsonb_build.h"
#include "jsonc_bridge.h"
#include "machine_cache.h"
#include "sync_driver.h"
#include "advance_impl.h"
#include "mock_config.h"
#include "store_fanouts.h"
#include "status_notify.h"
#include "store_tokens.h"
#include "store_writeback.h"
#include "subxact.h"
#include "task_invoke.h"
#include "core/asl/context.h"
#include "core/asl/dataflow.h"
#include "core/asl/events.h"
#include "core/asl/step.h"

/* the event a plain Wait records when it fires, and the marker its row keeps for it */
#define PLAIN_WAIT_EXIT "WaitStateExited"

/*
 * AWS: 25,000 events in an execution's history, its Map and Parallel
 * iterations included; at 24,999 only the execution's end may follow, and
 * anything else fails it (States.Runtime, with AWS's cause).
 */
#define HISTORY_EVENT_LIMIT 25000
#define HISTORY_LIMIT_CAUSE "The execution reached the maximum number of history events (25000)."
#define MAX_NESTED_ADVANCES 256

/* Executions this backend is advancing right now (a parent running its children inline). */
static Advance *active[MAX_NESTED_ADVANCES];
static int	n_active = 0;

/* Transitions left in this run, and when its time is up (set by the outermost advance). */
static int64 budget_left = 0;
static TimestampTz run_deadline = 0;

TimestampTz booking_advance_cap = 0;


/*
 * Memory context reset callback: puts the json-c documents the Advance
 * holds.
 */
static void
advance_free(void *ptr)
{
	Advance    *a = (Advance *) ptr;

	json_object_put(a->context);
	json_object_put(a->events);
	json_object_put(a->input);
	json_object_put(a->variables);
	json_object_put(a->attempts);
	asl_outcome_clear(a->out);
	asl_outcome_clear(a->next);
	a->context = a->events = a->input = a->variables = a->attempts = NULL;
}

json_object *
advance_to_jsonc_or_null(Jsonb *jb)
{
	json_object *obj;

	if (jb == NULL)
		return NULL;
	obj = booking_jsonb_to_jsonc(jb);

	/*
	 * the caller keeps it beyond this context's owner: take a reference of
	 * its own
	 */
	return json_object_get(obj);
}

/* The advance of execution id when this backend is running it (a parent of what runs now). */
Advance    *
advance_find_active(int64 id)
{
	for (int i = 0; i < n_active; i++)
		if (active[i]->row->id == id)
			return active[i];
	return NULL;
}

/* ---- history ---- */

/* Whether event ends the execution (the one event the quota's last place may hold). */
static bool
is_end_event(json_object *event)
{
	const char *type = json_object_get_string(json_object_object_get(event, "type"));

	return type != NULL &&
		(strcmp(type, "ExecutionSucceeded") == 0 || strcmp(type, "ExecutionFailed") == 0 ||
		 strcmp(type, "ExecutionTimedOut") == 0 || strcmp(type, "ExecutionAborted") == 0);
}

void
advance_record(Advance *a, json_object *event)
{
	char		stamp[40];

	if (event == NULL)
		return;

	/*
	 * Counted per event, not per step (a step records several): at 24,999 any
	 * event but the end is not recorded, and the execution fails with
	 * ExecutionFailed as its 25,000th (finish).
	 */
	if (a->history_total + (int64) (json_object_array_length(a->events) - a->counted) >=
		HISTORY_EVENT_LIMIT - 1 && !is_end_event(event))
	{
		json_object_put(event);
		a->history_full = a->history_overflow = true;
		return;
	}
	asl_timestamp_format(booking_to_asl_time(GetCurrentTimestamp()), stamp);
	(void) asl_json_add_literal(event, "timestamp", json_object_new_string(stamp));
	json_object_array_add(a->events, event);
	/* at 24,999 events only the execution's end may follow (as AWS) */
	if (a->history_total + (int64) (json_object_array_length(a->events) - a->counted) >=
		HISTORY_EVENT_LIMIT - 1)
		a->history_full = true;
}

/*
 * Records each event of the array in the execution's history (the array
 * keeps its own reference).
 */
static void
record_all(Advance *a, json_object *events)
{
	for (size_t i = 0; events != NULL && i < json_object_array_length(events); i++)
		advance_record(a, json_object_get(json_object_array_get_idx(events, i)));
}

/* What booking.history_level keeps of an event type. */
static bool
history_keeps(const char *type)
{
	size_t		len = strlen(type);

	switch (booking_history_level)
	{
		case BOOKING_HISTORY_NONE:
			return false;
		case BOOKING_HISTORY_ERRORS:
			return strncmp(type, "Execution", 9) == 0 ||
				(len > 6 && strcmp(type + len - 6, "Failed") == 0) ||
				(len > 8 && strcmp(type + len - 8, "TimedOut") == 0) ||
				(len > 7 && strcmp(type + len - 7, "Aborted") == 0);
		default:
			return true;
	}
}

/*
 * The execution whose history rows a child's events count against: its
 * root, or itself.
 */
static int64
history_root(const ExecRow *row)
{
	return row->root_id != 0 ? row->root_id : row->id;
}

/*
 * Counts the events recorded and not counted yet: a top-level execution's own
 * advance in its row's event_count (saved with the row, which it holds
 * locked), everything else beside it (store_history_count_add), so that
 * iterations never wait for their root's row.
 */
static void
count_history(Advance *a)
{
	size_t		n = json_object_array_length(a->events) - a->counted;

	if (n == 0)
		return;
	if ((a->row->root_id == 0 || a->row->own_history) && !a->beside)
	{
		a->row->event_count += (int) n;
		a->history_total += (int64) n;
	}
	else
		a->history_total = store_history_count_add(history_root(a->row), (int) n);
	a->counted += n;
}

/*
 * The children have been collected: their events count in the total. A
 * top-level execution takes their counts into its own row (nobody adds to
 * them any more).
 */
void
advance_history_refresh(Advance *a)
{
	count_history(a);
	if (a->row->root_id == 0)
	{
		a->row->event_count += (int) store_history_count_fold(a->row->id);
		a->history_total = a->row->event_count;
	}
	else if (a->row->own_history)
		a->history_total = a->row->event_count;
	else
		a->history_total = store_history_total(a->row->root_id);
	if (a->history_total >= HISTORY_EVENT_LIMIT - 1)
		a->history_full = true;
}

/*
 * Counts (count_history) and takes the recorded events: those
 * booking.history_level keeps, as a json array for the history (NULL when
 * none is kept).
 */
static text *
take_history(Advance *a)
{
	json_object *kept;
	size_t		n = json_object_array_length(a->events);
	BookingOwned *owner;
	text	   *events = NULL;

	if (n == 0)
		return NULL;
	count_history(a);
	a->counted = 0;
	if (booking_history_level == BOOKING_HISTORY_NONE)
	{
		json_object_put(a->events);
		a->events = json_object_new_array();
		return NULL;
	}
	owner = booking_owner(booking_json_put);
	owner->ptr = kept = json_object_new_array();
	for (size_t i = 0; i < n; i++)
	{
		json_object *e = json_object_array_get_idx(a->events, i);
		json_object *type;

		if (json_object_object_get_ex(e, "type", &type) &&
			history_keeps(json_object_get_string(type)))
			json_object_array_add(kept, json_object_get(e));
	}
	if (json_object_array_length(kept) > 0)
		events = booking_jsonc_to_json(kept);
	booking_release(owner);
	json_object_put(a->events);
	a->events = json_object_new_array();
	return events;
}

/* Counts (count_history) and writes the recorded events; the row must have its id. */
static void
flush_history(Advance *a)
{
	text	   *events;

	Assert(!a->row->unsaved || json_object_array_length(a->events) == 0);
	events = take_history(a);
	if (events != NULL)
		store_history_append(history_root(a->row), a->row->shard_key, events);
}

/*
 * The "<key>": {"output" | "error" | "cause"} details object of a history
 * event.
 */
static json_object *
error_details(const char *key, const char *error, const char *cause, json_object *output)
{
	json_object *d = json_object_new_object();
	json_object *inner = json_object_new_object();

	if (output != NULL || (error == NULL && cause == NULL && strstr(key, "Succeeded")))
		(void) asl_json_add_literal(inner, "output", json_object_get(output));
	if (error != NULL)
		(void) asl_json_add_literal(inner, "error", json_object_new_string(error));
	if (cause != NULL)
		(void) asl_json_add_literal(inner, "cause", json_object_new_string(cause));
	json_object_object_add(d, key, inner);
	return d;
}

/* ---- the cursor ---- */

/*
 * Moves the Advance to state with input and variables (taking their
 * references), dropping the retry attempts.
 */
static void
cursor_move(Advance *a, const char *state, json_object *input, json_object *variables)
{
	json_object_put(a->input);
	json_object_put(a->variables);
	json_object_put(a->attempts);
	a->state = state;
	a->input = input;
	a->variables = variables;
	a->attempts = NULL;
	a->entered = 0;
	a->entered_event = 0;
}

/*
 * The core's view of where the Advance stands; borrows the Advance's
 * documents.
 */
static asl_position
cursor_position(const Advance *a)
{
	asl_position pos;

	pos.state = a->state;
	pos.input = a->input;
	pos.variables = a->variables;
	pos.attempts = a->attempts;
	pos.entered = a->entered;
	return pos;
}

static json_object *base_context(void *arg);

void
advance_make_env(Advance *a, asl_env *env)
{
	memset(env, 0, sizeof(*env));
	env->context = a->context;
	env->base_context = base_context;
	env->base_context_arg = a;
	env->now = booking_host_now(NULL);
	env->random = booking_host_random(NULL);
	env->max_payload = (size_t) booking_max_payload_size;
	env->cancel = booking_host_interrupted;
	env->entered_event_id = a->entered_event;
}

/*
 * The id GetExecutionHistory gives the next event recorded: the events
 * counted in the history so far and those recorded since (the sync driver's
 * numbering, from values in hand).
 */
static int64
next_event_id(const Advance *a)
{
	/*
	 * a Distributed Map iteration counts its events on its own but writes
	 * them into its root's history: neither number is its id there
	 */
	if (a->row->own_history)
		return 0;
	return a->history_total + (int64) (json_object_array_length(a->events) - a->counted) + 1;
}

/* Writes the cursor into the row. */
static void
cursor_to_row(Advance *a)
{
	ExecRow    *row = a->row;

	row->state = a->state ? pstrdup(a->state) : NULL;
	row->document = booking_jsonc_to_jsonb(a->input);
	row->variables = a->variables ? booking_jsonc_to_jsonb(a->variables) : NULL;
	row->attempts = a->attempts ? booking_jsonc_to_jsonb(a->attempts) : NULL;
	row->entered_at = a->entered ? booking_from_asl_time(a->entered) : 0;
	row->entered_event = (int) Min(a->entered_event, (int64) PG_INT32_MAX);
}

/* ---- endings ---- */

/* The row's timer: due (0: none), or the execution's TimeoutSeconds when that comes first. */
static void
set_timer(ExecRow *row, TimestampTz due)
{
	if (row->timeout_at != 0 && (due == 0 || row->timeout_at < due))
		due = row->timeout_at;
	row->due_at = due;
}

/* The history event type that ends an execution with status. */
static const char *
end_event_type(ExecStatus status)
{
	switch (status)
	{
		case EXEC_SUCCEEDED:
			return "ExecutionSucceeded";
		case EXEC_TIMED_OUT:
			return "ExecutionTimedOut";
		case EXEC_ABORTED:
			return "ExecutionAborted";
		default:
			return "ExecutionFailed";
	}
}

/* Ends the execution with status; output for SUCCEEDED, else error and cause. */
static void
finish(Advance *a, ExecStatus status, json_object *output, const char *error, const char *cause)
{
	ExecRow    *row = a->row;
	bool		child = row->parent_id != 0;
	const char *type;

	if (a->history_overflow)
	{
		/* what this advance did went past the quota: that is how it ends */
		status = EXEC_FAILED;
		output = NULL;
		error = ASL_ERR_RUNTIME;
		cause = HISTORY_LIMIT_CAUSE;
	}

	/*
	 * the position stays where it ended: a redrive starts again from this
	 * state
	 */
	if (a->state != NULL)
		cursor_to_row(a);
	Assert(row->status == EXEC_RUNNING && status != EXEC_RUNNING);
	if (row->phase == EXEC_PHASE_TASK && !row->unsaved)
		store_token_close_all(row->id); /* an answer now finds no task */
	row->status = status;
	row->output = status == EXEC_SUCCEEDED ? booking_jsonc_to_jsonb(output) : NULL;
	row->error = error && error[0] ? pstrdup(error) : NULL;
	row->cause = cause ? pstrdup(cause) : NULL;
	row->stop_date = GetCurrentTimestamp();
	row->due_at = 0;
	row->pending_events = NULL;
	if (status != EXEC_SUCCEEDED && status != EXEC_FAILED && !row->unsaved)
		store_exec_abort_children(row->id, row->stop_date);
	if (row->phase == EXEC_PHASE_BRANCHES && !row->unsaved)
		store_fanout_delete(row->id);	/* children ending later start nothing */
	if (!child)
	{
		char		key[64];

		type = end_event_type(status);
		snprintf(key, sizeof(key), "e%sEventDetails", type + 1);
		advance_record(a, asl_event_new(type, error_details(key, row->error, row->cause, output)));
	}
}

/* ---- tasks ---- */

typedef enum LoopResult
{
	LOOP_CONTINUE,
	LOOP_STOP
} LoopResult;

static LoopResult park_until(Advance *a, TimestampTz due);

/* An event of a task's life after it was scheduled (only TaskScheduled shows timeouts). */
static json_object *
task_event(asl_task_event ev, const asl_resource *res, json_object *payload,
		   const char *error, const char *cause)
{
	return asl_event_task(ev, res, booking_region, payload, 0, 0, error, cause);
}

/* A Task that waits for a token (a callback, an activity) gets one before it runs. */
static bool
needs_token(const asl_machine *machine, const char *state)
{
	const asl_state *st = state ? asl_machine_find(machine, state) : NULL;

	return st != NULL && st->type == ASL_STATE_TASK &&
		(st->resource.pattern == ASL_PATTERN_WAIT_FOR_TOKEN || st->resource.kind == ASL_RES_ACTIVITY);
}

/*
 * Parks on the step's token until an answer, its TimeoutSeconds or its
 * HeartbeatSeconds. An activity's task waits in its queue (activity_id), and
 * its heartbeat clock starts when a worker claims it.
 */
static LoopResult
park_on_token(Advance *a, const asl_task *task, int64 activity_id)
{
	TokenRow	tok;
	TimestampTz now = GetCurrentTimestamp();

	if (a->token == NULL)
		elog(ERROR, "state \"%s\" waits for a task token it was not given", a->state);
	if (a->row->unsaved)
		store_exec_save(a->row);	/* the token refers to it */
	memset(&tok, 0, sizeof(tok));
	tok.token = a->token;
	tok.execution_id = a->row->id;
	tok.state = pstrdup(a->state);
	tok.activity_id = activity_id;
	tok.heartbeat_seconds = (int) task->heartbeat_seconds;
	tok.heartbeat_at = activity_id != 0 ? 0 : now;
	tok.timeout_at = task->timeout_seconds > 0 ? now + task->timeout_seconds * USECS_PER_SEC : 0;
	store_token_insert(&tok, activity_id != 0 ? booking_jsonc_to_jsonb(task->input) : NULL);
	a->row->phase = EXEC_PHASE_TASK;
	return park_until(a, store_token_deadline(&tok));
}

/* Runs the task's request (in a subtransaction, as the machine's role) or parks on a token. */
static LoopResult
run_task(Advance *a, const asl_position *pos)
{
	const asl_task *task = &a->out->task;
	const asl_resource *res = task->resource;
	TaskIdentity who = {a->row->role, a->row->search_path, a->row->machine_id, a->row->privileged_named};
	asl_task_reply reply;
	asl_env		env;

	memset(&reply, 0, sizeof(reply));
	advance_record(a, asl_event_task(ASL_TASK_SCHEDULED, res, booking_region, task->input,
									 task->timeout_seconds, task->heartbeat_seconds, NULL, NULL));
	if (booking_mock_reply(a->row, a->state, &reply))
	{
		/*
		 * a test case's mocked response (mock_config.h): the task itself does
		 * not run
		 */
		advance_record(a, task_event(ASL_TASK_STARTED, res, NULL, NULL, NULL));
		if (asl_error_is_set(&reply.error))
			advance_record(a, task_event(ASL_TASK_FAILED, res, NULL, reply.error.name, reply.error.cause));
		else
			advance_record(a, task_event(ASL_TASK_SUCCEEDED, res, reply.output, NULL, NULL));
	}
	else if (res->kind == ASL_RES_ACTIVITY)
	{
		int64		activity = booking_activity_for_task(res->name, res->arn, a->row->role, &reply.error);

		if (activity != 0)
			return park_on_token(a, task, activity);
		advance_record(a, task_event(ASL_TASK_SCHEDULE_FAILED, res, NULL, reply.error.name, reply.error.cause));
	}
	else
	{
		advance_record(a, task_event(ASL_TASK_STARTED, res, NULL, NULL, NULL));
		booking_task_invoke(&who, task, &reply);
		if (asl_error_is_set(&reply.error))
			advance_record(a, task_event(ASL_TASK_FAILED, res, NULL, reply.error.name, reply.error.cause));
		else if (res->pattern == ASL_PATTERN_WAIT_FOR_TOKEN)
		{
			advance_record(a, task_event(ASL_TASK_SUBMITTED, res, reply.output, NULL, NULL));
			json_object_put(reply.output);
			return park_on_token(a, task, 0);
		}
		else
			advance_record(a, task_event(ASL_TASK_SUCCEEDED, res, reply.output, NULL, NULL));
	}
	advance_make_env(a, &env);
	asl_outcome_clear(a->next);
	asl_step_task_reply(a->machine, pos, &env, &reply, a->next);
	return LOOP_CONTINUE;
}

/*
 * Whether this run may go on: transitions and time are left, and so are
 * subtransaction ids (each task that writes takes one: see subxact.h).
 *
 * In a tick, the first step is always taken, so that every tick makes
 * progress (tick.c). In a caller's own transaction (sfn_start in a loop, a
 * task answered, a Map's iterations run inline), no step is owed: what is
 * left is parked due now, and a timer worker goes on with it once the
 * caller commits, as StartExecution's caller gets its answer before the
 * execution runs. A transaction that has overflowed its cache already
 * (its own savepoints) has nothing left to keep, and runs on.
 */
bool
advance_run_has_time(void)
{
	if (budget_left <= 0 || GetCurrentTimestamp() >= run_deadline)
		return false;
	if (booking_subxid_room() > 0)
		return true;
	if (booking_advance_cap != 0)
		return budget_left == booking_max_steps_per_run;
	return booking_subxids_overflowed();
}


/* ---- a Wait's exit, kept for when it fires ---- */

/*
 * What a parked Wait's row keeps of the events it records when it fires. The
 * plain WaitStateExited is kept as the JSON string "WaitStateExited" and
 * built again then from the row (its state and document): written to jsonb
 * at the park and read back into five json-c objects at the claim, it was
 * about 3% of an expiry (bench/README.md, "eighth pass"). Anything else
 * (assigned variables, say) is kept whole, as before.
 */
static Jsonb *
pending_kept(const Advance *a, json_object *after)
{
	json_object *marker;
	Jsonb	   *kept;

	/*
	 * the plain exit alone: its name, the output the row keeps as its
	 * document
	 */
	if (json_object_array_length(after) != 1 ||
		!asl_event_is_plain_exit(json_object_array_get_idx(after, 0), PLAIN_WAIT_EXIT,
								 a->out->state, a->out->output))
		return booking_jsonc_to_jsonb(after);
	marker = json_object_new_string(PLAIN_WAIT_EXIT);
	if (marker == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	kept = booking_jsonc_to_jsonb(marker);
	json_object_put(marker);
	return kept;
}

/* Records the plain WaitStateExited a row kept as its marker: the Wait is the row's state. */
static void
record_plain_wait_exit(Advance *a)
{
	json_object *details = asl_event_exited_details(a->row->state, a->input, NULL);

	if (details == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	advance_record(a, asl_event_new(PLAIN_WAIT_EXIT, details));
}


/* ---- the step loop ---- */

/* Parks on a timer: due, or the execution's timeout if that comes first. */
static LoopResult
park_until(Advance *a, TimestampTz due)
{
	set_timer(a->row, due);
	cursor_to_row(a);
	return LOOP_STOP;
}

/*
 * Makes the next outcome the current one; the old current is cleared for
 * reuse.
 */
static void
swap_next(Advance *a)
{
	asl_outcome *t = a->out;

	a->out = a->next;
	a->next = t;
	asl_outcome_clear(a->next);
}

/* Acts on a->out until it moves the cursor, ends or parks. */
static LoopResult
handle_outcome(Advance *a)
{
	asl_position pos = cursor_position(a);

	for (;;)
	{
		record_all(a, a->out->events);
		if (a->out->kind == ASL_OUTCOME_TASK)
		{
			if (run_task(a, &pos) == LOOP_STOP)
				return LOOP_STOP;	/* parked on its token */
			swap_next(a);
			continue;
		}
		if (a->out->kind == ASL_OUTCOME_BRANCHES)
		{
			if (a->row->unsaved)
				store_exec_save(a->row);	/* children refer to it */
			branches_spawn(a);
			a->row->phase = EXEC_PHASE_BRANCHES;
			cursor_to_row(a);
			flush_history(a);
			store_exec_save(a->row);
			branches_run_inline(a);
			if (!branches_collect(a, &pos))
				return park_until(a, 0);
			a->row->phase = EXEC_PHASE_STEP;
			swap_next(a);
			continue;
		}
		break;
	}

	switch (a->out->kind)
	{
		case ASL_OUTCOME_NEXT:
			cursor_move(a, a->out->next, json_object_get(a->out->output),
						json_object_get(a->out->variables));
			return LOOP_CONTINUE;
		case ASL_OUTCOME_RETRY:
			json_object_put(a->attempts);
			a->attempts = json_object_get(a->out->attempts);
			if (a->out->due > booking_host_now(NULL))
				return park_until(a, booking_from_asl_time(a->out->due));
			return LOOP_CONTINUE;
		case ASL_OUTCOME_WAIT:
			{
				json_object *after = json_object_get(a->out->after_events);

				cursor_move(a, a->out->next, json_object_get(a->out->output),
							json_object_get(a->out->variables));
				if (a->out->next == NULL)
					a->row->phase = EXEC_PHASE_END;
				if (a->out->due > booking_host_now(NULL))
				{
					a->row->pending_events = after ? pending_kept(a, after) : NULL;
					json_object_put(after);
					(void) park_until(a, booking_from_asl_time(a->out->due));

					/*
					 * it shows the Wait while it waits; what follows is the
					 * Wait's Next
					 */
					a->row->state = pstrdup(a->out->state);
					a->row->phase = EXEC_PHASE_WAIT;
					return LOOP_STOP;
				}
				record_all(a, after);
				json_object_put(after);
				if (a->out->next == NULL)
				{
					finish(a, EXEC_SUCCEEDED, a->input, NULL, NULL);
					return LOOP_STOP;
				}
				return LOOP_CONTINUE;
			}
		case ASL_OUTCOME_END:
			finish(a, EXEC_SUCCEEDED, a->out->output, NULL, NULL);
			return LOOP_STOP;
		case ASL_OUTCOME_FAIL:
		default:
			finish(a, EXEC_FAILED, NULL, a->out->error.name, a->out->error.cause);
			return LOOP_STOP;
	}
}

/*
 * Steps the execution until an outcome stops the loop (a wait, the end, a
 * task or children for the host), the execution times out, its history is
 * full or the tick's time budget runs out.
 */
static void
step_loop(Advance *a)
{
	for (;;)
	{
		asl_env		env;
		asl_position pos;

		if (a->row->timeout_at != 0 && GetCurrentTimestamp() >= a->row->timeout_at)
		{
			finish(a, EXEC_TIMED_OUT, NULL, ASL_ERR_TIMEOUT,
				   "The execution ran longer than the state machine's TimeoutSeconds");
			return;
		}
		if (a->history_full)
		{
			finish(a, EXEC_FAILED, NULL, ASL_ERR_RUNTIME, HISTORY_LIMIT_CAUSE);
			return;
		}
		if (!advance_run_has_time())
		{
			/* yield: due now, so the next tick goes on where this stopped */
			(void) park_until(a, GetCurrentTimestamp());
			return;
		}
		budget_left--;
		advance_make_env(a, &env);
		a->token = needs_token(a->machine, a->state) ? store_token_new() : NULL;
		env.task_token = a->token;

		/*
		 * a first entry records <Type>StateEntered first; a retry enters
		 * nothing and keeps its entry's id
		 */
		if (asl_attempts_total(a->attempts) == 0)
			env.entered_event_id = a->entered_event = next_event_id(a);
		pos = cursor_position(a);
		asl_outcome_clear(a->out);
		asl_step(a->machine, &pos, &env, a->out);
		if (a->entered == 0)
			a->entered = env.now;
		if (handle_outcome(a) == LOOP_STOP)
			return;
		CHECK_FOR_INTERRUPTS();
	}
}

/* ---- context ---- */

/*
 * What children take from their top-level execution for $$.Execution,
 * kept for the rest of the transaction: a Map's thousand iterations load and
 * convert its input once, not once each. The fields kept never change while
 * children exist (a redrive, which changes RedriveCount, forgets them first).
 */
typedef struct RootInfo
{
	int64		id;				/* 0: nothing kept */
	char	   *arn;
	char	   *name;
	TimestampTz start_date;
	int			redrive_count;
	json_object *input;			/* a reference of its own */
} RootInfo;

static RootInfo root_kept;
static MemoryContextCallback root_kept_callback;

/* Memory context reset callback: forgets the cached root execution. */
static void
root_info_forget(void *arg pg_attribute_unused())
{
	(void) arg;
	json_object_put(root_kept.input);
	memset(&root_kept, 0, sizeof(root_kept));
}

/*
 * The root execution's ARN, input and start time for a child's context
 * object, cached for the transaction's next children of the same root.
 */
static const RootInfo *
root_info(int64 root_id, int64 child_id)
{
	ExecRow		root;
	MemoryContext old;

	if (root_kept.id == root_id)
		return &root_kept;
	if (!store_exec_load(root_id, false, false, &root))
		elog(ERROR, "execution %lld has lost its root", (long long) child_id);
	if (root_kept.id == 0)
	{
		/*
		 * TopTransactionContext is reset when the transaction ends: forget it
		 * then
		 */
		root_kept_callback.func = root_info_forget;
		MemoryContextRegisterResetCallback(TopTransactionContext, &root_kept_callback);
	}
	else
		root_info_forget(NULL);
	old = MemoryContextSwitchTo(TopTransactionContext);
	root_kept.arn = pstrdup(root.arn);
	root_kept.name = pstrdup(root.name);
	MemoryContextSwitchTo(old);
	root_kept.start_date = root.start_date;
	root_kept.redrive_count = root.redrive_count;
	root_kept.input = advance_to_jsonc_or_null(root.input);
	root_kept.id = root_id;
	return &root_kept;
}

/*
 * The context object ($$) of an execution: its own and its root's identity,
 * the state machine and start time.
 */
static json_object *
build_context(const ExecRow *row)
{
	asl_execution_info info;

	memset(&info, 0, sizeof(info));
	if (row->root_id != 0)
	{
		const RootInfo *r = root_info(row->root_id, row->id);

		info.id = r->arn;
		info.name = r->name;
		info.start_time = booking_to_asl_time(r->start_date);
		info.input = r->input;
		info.redrive_count = r->redrive_count;
	}
	else
	{
		info.id = row->arn;
		info.name = row->name;
		info.start_time = booking_to_asl_time(row->start_date);
		info.input = booking_jsonb_to_jsonc(row->input);
		info.redrive_count = row->redrive_count;
	}
	info.role_arn = GetUserNameFromId(row->role, false);
	info.state_machine_id = booking_state_machine_arn(row->machine_name);
	info.state_machine_name = row->machine_name;
	return asl_context_base(&info);
}

/*
 * The execution's $$, built when a state first reads it (most runs never
 * do: it costs the root's identity, a copy of the input and the role's name).
 */
static json_object *
base_context(void *arg)
{
	Advance    *a = (Advance *) arg;

	if (a->context == NULL)
		a->context = build_context(a->row);
	return a->context;
}

/* ---- advancing ---- */

/*
 * The Task the execution waits in ends: with the answer given, or — woken by
 * its timer — when its token's TimeoutSeconds or HeartbeatSeconds have run
 * out (else it parks again, until the later deadline a heartbeat made).
 */
static void
resume_task(Advance *a, const TaskAnswer *answer)
{
	const asl_state *st = asl_machine_find(a->machine, a->state);
	asl_task_reply reply;
	asl_position pos;
	asl_env		env;

	if (st == NULL || st->type != ASL_STATE_TASK)
		elog(ERROR, "execution %lld waits in \"%s\", which is not a Task",
			 (long long) a->row->id, a->state ? a->state : "?");
	memset(&reply, 0, sizeof(reply));
	if (answer == NULL)
	{
		TokenRow	tok;
		TimestampTz now = GetCurrentTimestamp();
		TimestampTz deadline;
		const char *error;

		if (!store_token_open_of(a->row->id, &tok))
			elog(ERROR, "execution %lld waits in \"%s\" without a task token",
				 (long long) a->row->id, a->state);
		deadline = store_token_deadline(&tok);
		if (deadline == 0 || now < deadline)
		{
			(void) park_until(a, deadline); /* a heartbeat moved it on */
			return;
		}

		/*
		 * the deadline is the earlier of the two: TimeoutSeconds when it has
		 * passed
		 */
		error = tok.timeout_at != 0 && now >= tok.timeout_at ? ASL_ERR_TIMEOUT : ASL_ERR_HEARTBEAT_TIMEOUT;
		store_token_set_status(tok.token, "timed_out");
		asl_error_set(&reply.error, error, "%s",
					  strcmp(error, ASL_ERR_TIMEOUT) == 0
					  ? "The task ran longer than its TimeoutSeconds"
					  : "No heartbeat within the task's HeartbeatSeconds");
		advance_record(a, task_event(ASL_TASK_TIMED_OUT, &st->resource, NULL, reply.error.name, reply.error.cause));
	}
	else if (answer->failed)
	{
		asl_error_set(&reply.error, answer->error ? answer->error : "", "%s",
					  answer->cause ? answer->cause : "");
		advance_record(a, task_event(ASL_TASK_FAILED, &st->resource, NULL, answer->error, answer->cause));
	}
	else
	{
		reply.output = advance_to_jsonc_or_null(answer->output);
		advance_record(a, task_event(ASL_TASK_SUCCEEDED, &st->resource, reply.output, NULL, NULL));
	}
	a->row->phase = EXEC_PHASE_STEP;
	advance_make_env(a, &env);
	pos = cursor_position(a);
	asl_outcome_clear(a->next);
	asl_step_task_reply(a->machine, &pos, &env, &reply, a->next);
	swap_next(a);
	if (handle_outcome(a) == LOOP_CONTINUE)
		step_loop(a);
}

/* A Wait's time has come: on to its Next, or the end. */
static void
resume_after_wait(Advance *a)
{
	const asl_state *st = a->state ? asl_machine_find(a->machine, a->state) : NULL;

	if (st == NULL || st->type != ASL_STATE_WAIT)
		elog(ERROR, "execution %lld waits in \"%s\", which is not a Wait",
			 (long long) a->row->id, a->state ? a->state : "?");
	a->row->phase = EXEC_PHASE_STEP;
	if (st->end || st->next == NULL)
	{
		finish(a, EXEC_SUCCEEDED, a->input, NULL, NULL);
		return;
	}
	a->state = st->next->name;
	step_loop(a);
}

/*
 * A step went past the history quota and then parked (in a Wait, on a task
 * token, on its children): it fails now, as AWS fails it, not when it wakes.
 */
static void
fail_history_overflow(Advance *a)
{
	ExecRow    *row = a->row;

	if (row->phase == EXEC_PHASE_BRANCHES && !row->unsaved)
		store_exec_abort_children(row->id, GetCurrentTimestamp());
	if (row->phase == EXEC_PHASE_WAIT)
		a->state = NULL;		/* the row shows the Wait: a redrive waits
								 * again */
	finish(a, EXEC_FAILED, NULL, ASL_ERR_RUNTIME, HISTORY_LIMIT_CAUSE);
}

/*
 * opening: an event to record first (ExecutionStarted), taken; or NULL.
 * answer: a task's answer (sfn_send_task_*), for an execution waiting in a Task.
 */
void
advance_row(ExecRow *row, json_object *opening, const TaskAnswer *answer)
{
	Advance    *a;
	BookingOwned *owner;
	bool		outermost = n_active == 0;
	ExecStatus	status_before = row->status;

	if (row->status != EXEC_RUNNING)
		return;
	if (n_active >= MAX_NESTED_ADVANCES)
		elog(ERROR, "executions nested too deeply");
	if (outermost)
	{
		TimestampTz now = GetCurrentTimestamp();

		budget_left = booking_max_steps_per_run;
		run_deadline = now + (TimestampTz) booking_tick_time_budget * 1000;
		if (booking_advance_cap != 0 && booking_advance_cap < run_deadline)
			run_deadline = booking_advance_cap;
	}

	a = palloc0(sizeof(Advance));
	owner = booking_owner(advance_free);
	owner->ptr = a;
	a->out = palloc0(sizeof(asl_outcome));
	a->next = palloc0(sizeof(asl_outcome));
	a->row = row;
	a->machine = booking_machine_get(row->machine_id, row->version);
	a->events = json_object_new_array();
	if (row->own_history)
		a->history_total = row->event_count;
	else if (!row->unsaved)
		a->history_total = store_history_total_loaded(row);
	advance_record(a, opening);
	a->state = row->state;
	a->input = advance_to_jsonc_or_null(row->document);
	a->variables = advance_to_jsonc_or_null(row->variables);
	a->attempts = advance_to_jsonc_or_null(row->attempts);
	a->entered = row->entered_at ? booking_to_asl_time(row->entered_at) : 0;
	a->entered_event = row->entered_event;

	active[n_active++] = a;
	PG_TRY();
	{
		if (row->pending_events != NULL)
		{
			if (JB_ROOT_IS_SCALAR(row->pending_events))
				record_plain_wait_exit(a);
			else
			{
				json_object *pending = advance_to_jsonc_or_null(row->pending_events);

				record_all(a, pending);
				json_object_put(pending);
			}
			row->pending_events = NULL;
		}
		row->due_at = 0;
		if (row->timeout_at != 0 && GetCurrentTimestamp() >= row->timeout_at)
			finish(a, EXEC_TIMED_OUT, NULL, ASL_ERR_TIMEOUT,
				   "The execution ran longer than the state machine's TimeoutSeconds");
		else if (row->phase == EXEC_PHASE_END)
			finish(a, EXEC_SUCCEEDED, a->input, NULL, NULL);
		else if (row->phase == EXEC_PHASE_TASK)
			resume_task(a, answer);
		else if (row->phase == EXEC_PHASE_WAIT)
			resume_after_wait(a);
		else if (row->phase == EXEC_PHASE_BRANCHES)
		{
			asl_position pos = cursor_position(a);

			/* woken: its children have ended (or its own timer fired) */
			if (!branches_collect(a, &pos))
				(void) park_until(a, 0);
			else
			{
				row->phase = EXEC_PHASE_STEP;
				swap_next(a);
				if (handle_outcome(a) == LOOP_CONTINUE)
					step_loop(a);
			}
		}
		else
		{
			row->phase = EXEC_PHASE_STEP;
			step_loop(a);
		}
		if (a->history_overflow && row->status == EXEC_RUNNING)
			fail_history_overflow(a);
		count_history(a);
		if (row->parent_id == 0 && !row->unsaved && row->status != EXEC_RUNNING)
			row->event_count += (int) store_history_count_fold_loaded(row); /* ended: one number */
		if (row->unsaved)
			store_exec_insert(row, take_history(a));	/* a start's row gets
														 * its id */
		else
		{
			text	   *events = take_history(a);

			/* a tick's batch writes its executions' saves at its end */
			if (!outermost || !store_writeback_defer(row, history_root(row), events))
				store_exec_save_with_history(row, history_root(row), events);
		}
	}
	PG_CATCH();
	{
		n_active--;

		/*
		 * Counts kept for this call are void: the caller's savepoint, if it
		 * goes on, rolls back what they counted (and the fanout locks). A
		 * tick puts back what it saved instead (advance_isolated).
		 */
		if (outermost && booking_advance_cap == 0)
		{
			store_fanouts_discard();
			store_history_counts_discard();
		}
		PG_RE_THROW();
	}
	PG_END_TRY();
	n_active--;
	booking_release(owner);

	if (row->status != EXEC_RUNNING)
	{
		if (row->parent_id != 0)
			branches_child_ended(row);
		else if (row->status != status_before)
			booking_notify_status(row->arn, exec_status_name(row->status));
	}
	if (outermost && booking_advance_cap == 0)
	{
		/* a tick writes them once, at its end */
		store_fanouts_flush();
		store_history_counts_flush();
	}
}

void
booking_advance(ExecRow *row)
{
	advance_row(row, NULL, NULL);
}

void
booking_answer_task(ExecRow *row, const TaskAnswer *answer)
{
	advance_row(row, NULL, answer);
}


/* Writes one event (taken) to row's history, outside an advance. */
void
advance_record_one(ExecRow *row, json_object *event)
{
	Advance		a;
	BookingOwned *owner = booking_owner(advance_free);

	memset(&a, 0, sizeof(a));
	owner->ptr = &a;
	a.row = row;
	a.beside = true;
	a.events = json_object_new_array();
	advance_record(&a, event);
	flush_history(&a);
	booking_release(owner);
	if (n_active == 0 && booking_advance_cap == 0)
		store_history_counts_flush();	/* outside any advance or tick: nobody
										 * else will */
}

/* Writes one execution-level event {type: {key: inner}} to row's history (inner is taken). */
static void
record_execution_event(ExecRow *row, const char *type, const char *key, json_object *inner)
{
	json_object *details = json_object_new_object();

	json_object_object_add(details, key, inner);
	advance_record_one(row, asl_event_new(type, details));
}

/* The execution's timer: its token's deadline, or its own timeout when that comes first. */
static void
follow_token(ExecRow *row, const TokenRow *token)
{
	set_timer(row, store_token_deadline(token));
	store_exec_save(row);
}

void
booking_activity_claimed(ExecRow *row, const TokenRow *token, const char *worker)
{
	const asl_machine *machine = booking_machine_get(row->machine_id, row->version);
	const asl_state *st = asl_machine_find(machine, token->state);
	BookingOwned *owner = booking_owner(booking_json_put);

	if (st == NULL || st->type != ASL_STATE_TASK)
		elog(ERROR, "activity task of execution %lld is in \"%s\", which is not a Task",
			 (long long) row->id, token->state);
	owner->ptr = worker ? json_object_new_string(worker) : NULL;
	advance_record_one(row, task_event(ASL_TASK_STARTED, &st->resource, (json_object *) owner->ptr, NULL, NULL));
	booking_release(owner);
	follow_token(row, token);
}

void
booking_task_heartbeat(ExecRow *row, const TokenRow *token)
{
	follow_token(row, token);
}

void
booking_start(ExecRow *row)
{
	/* everything that can ERROR first: nothing malloc'd is held yet */
	char	   *role = GetUserNameFromId(row->role, false);
	char	   *version_arn = booking_state_machine_version_arn(row->machine_name, row->version);
	json_object *input = advance_to_jsonc_or_null(row->input);
	json_object *inner = json_object_new_object();
	json_object *details = json_object_new_object();

	(void) asl_json_add_literal(inner, "input", input);
	(void) asl_json_add_literal(inner, "roleArn", json_object_new_string(role));
	(void) asl_json_add_literal(inner, "stateMachineArn", json_object_new_string(version_arn));
	(void) asl_json_add_literal(details, "executionStartedEventDetails", inner);
	booking_notify_status(row->arn, exec_status_name(row->status));
	advance_row(row, asl_event_new("ExecutionStarted", details), NULL);
}

void
booking_stop(ExecRow *row, ExecStatus status, const char *error, const char *cause)
{
	Advance		a;
	BookingOwned *owner = booking_owner(advance_free);

	memset(&a, 0, sizeof(a));
	owner->ptr = &a;
	a.row = row;
	a.events = json_object_new_array();
	finish(&a, status, NULL, error, cause);
	if (row->parent_id == 0)
		row->event_count += (int) store_history_count_fold(row->id);
	flush_history(&a);
	store_exec_save(row);
	booking_release(owner);
	if (row->parent_id == 0)
		booking_notify_status(row->arn, exec_status_name(row->status));
	else
		branches_child_ended(row);	/* a child failed outside its advance: its
									 * parent goes on */
}

void
booking_redrive(ExecRow *row, int64 timeout_seconds)
{
	json_object *inner = json_object_new_object();

	(void) asl_json_add_literal(inner, "redriveCount", json_object_new_int(row->redrive_count));
	record_execution_event(row, "ExecutionRedriven", "executionRedrivenEventDetails", inner);
	if (root_kept.id == row->id)
		root_info_forget(NULL); /* its RedriveCount changes */

	/*
	 * from the state that failed, with the input it had, retries counted
	 * afresh
	 */
	row->status = EXEC_RUNNING;
	row->output = NULL;
	row->error = NULL;
	row->cause = NULL;
	row->stop_date = 0;
	row->attempts = NULL;
	row->entered_at = 0;
	row->entered_event = 0;
	row->phase = EXEC_PHASE_STEP;
	row->fanout = NULL;
	row->pending_events = NULL;
	row->timeout_at = timeout_seconds > 0 ? row->redrive_date + timeout_seconds * USECS_PER_SEC : 0;
	store_exec_delete_children(row->id);
	store_fanout_delete(row->id);
	store_exec_save(row);
	booking_notify_status(row->arn, exec_status_name(row->status));
	booking_advance(row);
}

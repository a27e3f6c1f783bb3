/*
 * api_test_state.c — sfn_test_state: one state run once, with every stage of
 * its data flow, as AWS TestState's DEBUG inspection level shows it.
 *
 * The definition is a whole state machine (state_name picks the state,
 * default StartAt) or, as TestState takes it, a single state: it is wrapped
 * in a machine of its own, and the states its transitions name stand in as
 * Succeed states so the state validates alone.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "arn.h"
#include "booking.h"
#include "definition_prepare.h"
#include "jsonb_build.h"
#include "jsonc_bridge.h"
#include "permissions.h"
#include "sync_driver.h"
#include "test_state_mock.h"
#include "core/asl/context.h"
#include "core/asl/step.h"

PG_FUNCTION_INFO_V1(sfn_test_state);

#define TEST_STATE_DEFAULT_NAME "TestState"

/*
 * Adds an empty stand-in state for holder's field (Next, Default) when it
 * names a state the definition lacks, so one state validates alone.
 */
static void
add_target(json_object *states, json_object *holder, const char *field)
{
	json_object *target;

	if (json_object_object_get_ex(holder, field, &target) &&
		json_object_is_type(target, json_type_string) &&
		!json_object_object_get_ex(states, json_object_get_string(target), NULL))
	{
		json_object *stand_in = json_object_new_object();

		json_object_object_add(stand_in, "Type", json_object_new_string("Succeed"));
		json_object_object_add(states, json_object_get_string(target), stand_in);
	}
}

/* add_target for each element of state's list (Choices, Catch). */
static void
add_targets_of_list(json_object *states, json_object *state, const char *list)
{
	json_object *items;

	if (!json_object_object_get_ex(state, list, &items) ||
		!json_object_is_type(items, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(items); i++)
	{
		json_object *item = json_object_array_get_idx(items, i);

		if (json_object_is_type(item, json_type_object))
			add_target(states, item, "Next");
	}
}

/* {"StartAt": name, "States": {name: state, <each target>: {"Type": "Succeed"}}} */
static json_object *
wrap_single_state(json_object *state, const char *name)
{
	json_object *machine = json_object_new_object();
	json_object *states = json_object_new_object();

	json_object_object_add(machine, "StartAt", json_object_new_string(name));
	json_object_object_add(machine, "States", states);
	json_object_object_add(states, name, json_object_get(state));
	add_target(states, state, "Next");
	add_target(states, state, "Default");
	add_targets_of_list(states, state, "Choices");
	add_targets_of_list(states, state, "Catch");
	return machine;
}

/* A single state's problems point into it ("/Next"), not into its wrapper. */
static void
point_into_single_state(asl_diags *diags, const char *state_name)
{
	char	   *prefix = asl_pointer_join("/States", state_name);
	size_t		len;

	if (prefix == NULL)
		return;
	len = strlen(prefix);
	for (size_t i = 0; i < diags->count; i++)
	{
		char	   *loc = diags->items[i].location;

		if (strncmp(loc, prefix, len) == 0 && (loc[len] == '\0' || loc[len] == '/'))
			memmove(loc, loc + len, strlen(loc + len) + 1);
	}
	free(prefix);
}

/* Release callback of an outcome owned by a memory context. */
static void
outcome_free(void *ptr)
{
	asl_outcome_clear((asl_outcome *) ptr);
}

/* TestState's status for an outcome, and the state it goes to. */
static const char *
test_status(const asl_outcome *out)
{
	switch (out->kind)
	{
		case ASL_OUTCOME_FAIL:
			return "FAILED";
		case ASL_OUTCOME_RETRY:
			return "RETRIABLE";
		case ASL_OUTCOME_NEXT:
			return out->catch_index >= 0 ? "CAUGHT_ERROR" : "SUCCEEDED";
		default:
			return "SUCCEEDED";
	}
}

/*
 * TestState's answer for the outcome of one step: status, output, next
 * state, error and cause.
 */
static Jsonb *
describe_outcome(const asl_outcome *out, bool inspect)
{
	JsonbParseState *state = NULL;
	bool		has_output = out->kind == ASL_OUTCOME_NEXT || out->kind == ASL_OUTCOME_END ||
	out->kind == ASL_OUTCOME_WAIT;

	jb_begin_object(&state);
	jb_text(&state, "status", test_status(out));
	if (has_output)
		jb_jsonb(&state, "output", booking_jsonc_to_jsonb(out->output));
	if (asl_error_is_set(&out->error))
	{
		jb_text(&state, "error", out->error.name);
		if (out->error.cause != NULL)
			jb_text(&state, "cause", out->error.cause);
	}
	if ((out->kind == ASL_OUTCOME_NEXT || out->kind == ASL_OUTCOME_WAIT) && out->next != NULL)
		jb_text(&state, "nextState", out->next);
	else if (out->kind == ASL_OUTCOME_RETRY && out->state != NULL)
		jb_text(&state, "nextState", out->state);
	if (inspect && out->inspection != NULL)
		jb_jsonb(&state, "inspectionData", booking_jsonc_to_jsonb(out->inspection));
	return jb_end_object(&state);
}

/* What the first half of a step saw (input, afterInputPath, afterParameters) goes on in done's. */
static void
keep_first_half(const asl_outcome *first, asl_outcome *done)
{
	struct json_object_iter it;

	if (first->inspection == NULL || done->inspection == NULL)
		return;
	json_object_object_foreachC(first->inspection, it)
	{
		if (!json_object_object_get_ex(done->inspection, it.key, NULL))
			json_object_object_add(done->inspection, it.key, json_object_get(it.val));
	}
}

/* Argument n as json-c, or NULL when not given or SQL NULL. */
static json_object *
jsonc_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_NARGS() > n && !PG_ARGISNULL(n) ? booking_jsonb_to_jsonc(PG_GETARG_JSONB_P(n)) : NULL;
}

Datum
sfn_test_state(PG_FUNCTION_ARGS)
{
	json_object *definition;
	const char *state_name;
	json_object *input;
	json_object *given_context = jsonc_arg(fcinfo, 5);
	const char *level = PG_NARGS() > 7 && !PG_ARGISNULL(7) ? text_to_cstring(PG_GETARG_TEXT_PP(7)) : "DEBUG";
	bool		inspect;
	TestStateMock mock;
	TestStateConfig config;
	asl_diags  *diags = booking_diags_new();
	BookingOwned *wrapped_owner = booking_owner(booking_json_put);
	BookingOwned *machine_owner = booking_owner(booking_machine_free);
	BookingOwned *context_owner = booking_owner(booking_json_put);
	BookingOwned *merged_owner = booking_owner(booking_json_put);
	BookingOwned *attempts_owner = booking_owner(booking_json_put);
	BookingOwned *outcome_owner = booking_owner(outcome_free);
	asl_machine *machine;
	const asl_state *st;
	asl_execution_info info;
	asl_position pos;
	asl_env		env;
	asl_outcome *out = palloc0(sizeof(asl_outcome));

	booking_require_arg(fcinfo, 0, "definition");

	/*
	 * no table is read: its tasks run as the caller, with the caller's
	 * search_path
	 */
	(void) booking_require_user();
	if (strcmp(level, "INFO") != 0 && strcmp(level, "DEBUG") != 0 && strcmp(level, "TRACE") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ValidationException: inspection_level must be INFO, DEBUG or TRACE, not \"%s\"", level)));

	/*
	 * INFO: status, output and next state only. TRACE adds the HTTP request
	 * and response of HTTP Tasks, and reveal_secrets (argument 8) the
	 * connection's secrets in them: booking runs no HTTP Task, so both show
	 * what DEBUG does.
	 */
	inspect = strcmp(level, "INFO") != 0;
	definition = booking_jsonb_to_jsonc(PG_GETARG_JSONB_P(0));
	state_name = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	input = PG_ARGISNULL(2) ? NULL : booking_jsonb_to_jsonc(PG_GETARG_JSONB_P(2));
	test_state_read_mock(jsonc_arg(fcinfo, 4), &mock);
	test_state_read_config(jsonc_arg(fcinfo, 6), &config);
	if (given_context != NULL && !mock.given)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ValidationException: context may only be given with a mock")));
	if (given_context != NULL && !json_object_is_type(given_context, json_type_object))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ValidationException: context must be a JSON object (the state's Context object)")));

	if (json_object_is_type(definition, json_type_object) &&
		json_object_object_get_ex(definition, "Type", NULL))
	{
		if (state_name == NULL)
			state_name = TEST_STATE_DEFAULT_NAME;
		wrapped_owner->ptr = wrap_single_state(definition, state_name);
		definition = wrapped_owner->ptr;
	}
	machine_owner->ptr = machine = asl_machine_compile(definition, diags);
	if (wrapped_owner->ptr != NULL)
		point_into_single_state(diags, state_name);
	booking_report_definition_errors(diags);
	if (state_name == NULL)
		state_name = machine->root->start_name;
	st = asl_machine_find(machine, state_name);
	if (st == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("InvalidDefinition: the definition has no state named \"%s\"", state_name)));
	test_state_check(machine, st, &mock, &config);

	memset(&info, 0, sizeof(info));
	info.name = TEST_STATE_DEFAULT_NAME;
	info.start_time = booking_host_now(NULL);
	info.input = input;
	context_owner->ptr = asl_context_base(&info);

	memset(&env, 0, sizeof(env));
	env.context = context_owner->ptr;
	if (given_context != NULL)
	{
		json_object *task;
		json_object *token;

		merged_owner->ptr = test_state_merge_context(context_owner->ptr, given_context);
		env.context = merged_owner->ptr;
		/* $$.Task.Token given: what a .waitForTaskToken state passes on */
		if (json_object_object_get_ex(given_context, "Task", &task) && json_object_is_type(task, json_type_object) &&
			json_object_object_get_ex(task, "Token", &token) && json_object_is_type(token, json_type_string))
			env.task_token = json_object_get_string(token);
	}
	env.now = info.start_time;
	env.random = booking_host_random(NULL);
	env.cancel = booking_host_interrupted;
	env.max_payload = (size_t) booking_max_payload_size;
	env.inspect = true;

	memset(&pos, 0, sizeof(pos));
	pos.state = state_name;
	pos.input = input;
	pos.variables = jsonc_arg(fcinfo, 3);
	/* retries already made: the count of whichever retrier takes the error */
	if (config.retrier_retry_count >= 0)
	{
		json_object *attempts = json_object_new_array();

		attempts_owner->ptr = attempts;
		for (size_t i = 0; i < st->n_retriers; i++)
			json_object_array_add(attempts, json_object_new_int64(config.retrier_retry_count));
		pos.attempts = attempts;
	}

	outcome_owner->ptr = out;

	/*
	 * A mocked Map with an ItemReader: booking does not read S3, so the step
	 * that would read the items is skipped; mapItemReaderData, when given,
	 * says how many items it read.
	 */
	if (mock.given && st->type == ASL_STATE_MAP && st->map.item_reader != NULL)
	{
		size_t		items = config.has_map_item_reader_data
		? test_state_reader_items(st, config.map_item_reader_data) : 0;
		size_t		n;
		asl_result *results;

		if (!config.has_map_item_reader_data && !mock.has_result && config.map_iteration_failure_count > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ValidationException: stateConfiguration.mapIterationFailureCount of a Map with an ItemReader needs mapItemReaderData (or mock.result)")));
		results = test_state_branch_results(st, &mock, &config, items, &n);
		asl_step_branches_done(machine, &pos, &env, results, n, out);
	}
	else
		asl_step(machine, &pos, &env, out);
	if (out->kind == ASL_OUTCOME_TASK)
	{
		asl_task_reply reply;
		asl_outcome *done = palloc0(sizeof(asl_outcome));
		BookingOwned *done_owner = booking_owner(outcome_free);

		memset(&reply, 0, sizeof(reply));
		if (mock.given)
			test_state_task_reply(&mock, &reply);
		else
			(void) booking_sync_run_task(NULL, state_name, &out->task, &reply);
		done_owner->ptr = done;
		asl_step_task_reply(machine, &pos, &env, &reply, done);
		keep_first_half(out, done);
		out = done;
	}
	else if (out->kind == ASL_OUTCOME_BRANCHES)
	{
		size_t		n;
		asl_result *results = test_state_branch_results(st, &mock, &config, out->branches.count, &n);
		asl_outcome *done = palloc0(sizeof(asl_outcome));
		BookingOwned *done_owner = booking_owner(outcome_free);

		done_owner->ptr = done;
		asl_step_branches_done(machine, &pos, &env, results, n, done);
		keep_first_half(out, done);
		out = done;
	}
	PG_RETURN_JSONB_P(describe_outcome(out, inspect));
}

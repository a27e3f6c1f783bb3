/*
 * mock_config.c — mocked service integrations (see mock_config.h, docs/mocks.md).
 *
 * sfn_load_mock_config(config) keeps each test case as its machine's row in
 * booking.mock_test_cases, the states it mocks mapped to their responses; an
 * execution started as '<machine>#<TestCase>' is a row in
 * booking.mock_executions, which also counts each state's invocations, so a
 * retry gets the next response, in whichever transaction it runs.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "booking.h"
#include "jsonc.h"
#include "jsonc_bridge.h"
#include "mock_config.h"
#include "core/asl/mock.h"
#include "permissions.h"
#include "spi_columns.h"
#include "spi_plans.h"
#include "standby.h"
#include "store_machines.h"

PG_FUNCTION_INFO_V1(sfn_load_mock_config);

char	   *
booking_mock_split(const char *ref, char **machine_ref)
{
	const char *hash = strchr(ref, '#');

	if (hash == NULL)
	{
		*machine_ref = pstrdup(ref);
		return NULL;
	}
	if (hash[1] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("InvalidArn: \"%s\" names no test case after '#'", ref)));
	*machine_ref = pnstrdup(ref, hash - ref);
	return pstrdup(hash + 1);
}

/* Keeps one test case: its states, each mapped to the response it names. */
static void
store_test_case(int64 machine_id, const char *test_case, json_object *tc, json_object *responses)
{
	json_object *states = json_object_new_object();
	BookingOwned *owner = booking_owner(booking_json_put);
	Oid			types[3] = {INT8OID, TEXTOID, JSONBOID};
	Datum		values[3];

	owner->ptr = states;
	{
		json_object_object_foreach(tc, state, name)
		{
			json_object *response = NULL;

			json_object_object_get_ex(responses, json_object_get_string(name), &response);
			json_object_object_add(states, state, json_object_get(response));
		}
	}
	values[0] = Int64GetDatum(machine_id);
	values[1] = CStringGetTextDatum(test_case);
	values[2] = JsonbPGetDatum(booking_jsonc_to_jsonb(states));
	booking_release(owner);
	SPI_connect();
	booking_spi_check(SPI_execute_with_args("INSERT INTO booking.mock_test_cases (machine_id, test_case, states) "
											"VALUES ($1, $2, $3) ON CONFLICT (machine_id, test_case) "
											"DO UPDATE SET states = EXCLUDED.states, loaded = now()",
											3, types, values, NULL, false, 0),
					  SPI_OK_INSERT, "mock test case");
	SPI_finish();
}

/*
 * sfn_load_mock_config(config jsonb) → integer: the test cases loaded. Every
 * state machine it names must exist and the caller must hold MANAGE on it; a
 * test case loaded again is replaced.
 */
Datum
sfn_load_mock_config(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	Oid			caller;
	json_object *config;
	json_object *machines = NULL;
	json_object *responses = NULL;
	char	   *why = NULL;
	int			loaded = 0;

	booking_require_primary("sfn_load_mock_config");
	booking_require_arg(fcinfo, 0, "config");
	caller = booking_enter(&scope);
	config = booking_jsonb_to_jsonc(PG_GETARG_JSONB_P(0));
	if (!asl_mock_config_check(config, &why))
	{
		char	   *msg = pstrdup(why ? why : "out of memory");

		free(why);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ValidationException: invalid mock configuration: %s", msg)));
	}
	json_object_object_get_ex(config, "StateMachines", &machines);
	json_object_object_get_ex(config, "MockedResponses", &responses);
	{
		json_object_object_foreach(machines, name, machine)
		{
			StoredMachine stored;
			json_object *cases = NULL;

			if (!store_machine_lookup(name, false, &stored))
				ereport(ERROR,
						(errcode(ERRCODE_UNDEFINED_OBJECT),
						 errmsg("StateMachineDoesNotExist: state machine \"%s\" does not exist", name)));
			booking_require_machine(caller, stored.id, stored.name, stored.owner, "MANAGE");
			json_object_object_get_ex(machine, "TestCases", &cases);
			{
				json_object_object_foreach(cases, test_case, tc)
				{
					store_test_case(stored.id, test_case, tc, responses);
					loaded++;
				}
			}
		}
	}
	booking_leave(&scope);
	PG_RETURN_INT32(loaded);
}

void
booking_mock_register(int64 machine_id, const char *machine_name, const char *execution_name,
					  const char *test_case)
{
	Oid			types[3] = {INT8OID, TEXTOID, TEXTOID};
	Datum		values[3] = {Int64GetDatum(machine_id), CStringGetTextDatum(execution_name),
	CStringGetTextDatum(test_case)};

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("INSERT INTO booking.mock_executions (machine_id, execution_name, test_case) "
											"SELECT $1, $2, $3 WHERE EXISTS (SELECT FROM booking.mock_test_cases "
											"WHERE machine_id = $1 AND test_case = $3) "
											"ON CONFLICT (machine_id, execution_name) DO UPDATE "
											"SET test_case = EXCLUDED.test_case, calls = '{}', shard_key = EXCLUDED.shard_key",
											3, types, values, NULL, false, 0),
					  SPI_OK_INSERT, "mocked execution");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("ResourceNotFound: state machine \"%s\" has no test case \"%s\" in its mock configuration",
						machine_name, test_case),
				 errhint("Load one with sfn_load_mock_config.")));
	SPI_finish();
}

static SPIPlanPtr plan_mock_reply;

bool
booking_mock_reply(const ExecRow *row, const char *state, asl_task_reply *reply)
{
	Oid			types[4] = {INT8OID, TEXTOID, TEXTOID, INT8OID};
	Datum		values[4] = {Int64GetDatum(row->machine_id),
		row->name ? CStringGetTextDatum(row->name) : (Datum) 0,
	CStringGetTextDatum(state), Int64GetDatum(row->root_id)};
	char		nulls[4] = {' ', row->name ? ' ' : 'n', ' ', ' '};
	int			invocation = 0;
	Jsonb	   *responses = NULL;
	MemoryContext caller = CurrentMemoryContext;

	if (row->mock == EXEC_MOCK_NO)
		return false;			/* its load said so (store_exec_load) */
	SPI_connect();
	/* a child (Map, Parallel) runs its top-level execution's test case */
	booking_spi_check(SPI_execute_plan(booking_plan(&plan_mock_reply,
													"UPDATE booking.mock_executions x "
													"SET calls = jsonb_set(x.calls, ARRAY[$3], to_jsonb(coalesce((x.calls->>$3)::integer + 1, 0))) "
													"FROM booking.mock_test_cases t "
													"WHERE x.machine_id = $1 "
													"AND x.execution_name = coalesce($2, (SELECT e.name FROM booking.executions e WHERE e.id = $4)) "
													"AND t.machine_id = x.machine_id AND t.test_case = x.test_case AND t.states ? $3 "
													"RETURNING (x.calls->>$3)::integer, t.states->$3",
													4, types),
									   values, nulls, false, 1),
					  SPI_OK_UPDATE_RETURNING, "mocked task");
	if (SPI_processed == 1)
	{
		MemoryContext old;

		invocation = spi_col_int4(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, 0);
		old = MemoryContextSwitchTo(caller);
		responses = spi_col_jsonb(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	if (responses == NULL)
		return false;

	{
		json_object *all = booking_jsonb_to_jsonc(responses);
		json_object *result = NULL;

		if (!asl_mock_pick(all, invocation, &result, &reply->error))
			asl_error_set(&reply->error, ASL_ERR_TASK_FAILED,
						  "the mocked responses of state \"%s\" have no entry for invocation %d", state, invocation);
		else if (!asl_error_is_set(&reply->error))
			reply->output = result ? json_object_get(result) : NULL;
	}
	return true;
}

void
booking_mock_forget(int64 machine_id, const char *execution_name)
{
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2] = {Int64GetDatum(machine_id), CStringGetTextDatum(execution_name)};

	SPI_connect();
	booking_spi_check(SPI_execute_with_args("DELETE FROM booking.mock_executions WHERE machine_id = $1 AND execution_name = $2",
											2, types, values, NULL, false, 0),
					  SPI_OK_DELETE, "mocked execution");
	SPI_finish();
}

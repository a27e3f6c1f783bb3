/*
 * machine_ref.c — resolving state_machine arguments, and what a start needs.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "api_versions.h"
#include "arn.h"
#include "booking.h"
#include "machine_cache.h"
#include "machine_ref.h"
#include "mock_config.h"

void
booking_lookup_machine(const char *ref, bool for_update, StoredMachine *machine, int *version)
{
	char	   *name;
	char	   *alias;
	int			published;

	booking_parse_state_machine_qualified(ref, &name, &published, &alias);
	if (!store_machine_lookup(name, for_update, machine))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("StateMachineDoesNotExist: state machine \"%s\" does not exist", ref)));

	/*
	 * *version is the revision to use: what a published version or an alias
	 * stands for
	 */
	if (alias != NULL)
		*version = booking_alias_revision(machine->id, alias);
	else if (published != 0)
		*version = booking_published_revision(machine->id, machine->name, published);
	else
		*version = 0;
}

const asl_machine *
booking_resolve_start(FunctionCallInfo fcinfo, StoredMachine *machine, int *version, Jsonb **input,
					  char **test_case)
{
	char	   *ref;
	char	   *mocked;

	booking_require_arg(fcinfo, 0, "state_machine");
	/* '<state machine>#<TestCase>': a test case of the mock configuration */
	mocked = booking_mock_split(text_to_cstring(PG_GETARG_TEXT_PP(0)), &ref);
	if (mocked != NULL && test_case == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("ValidationException: mocked test cases run with sfn_start or sfn_start_sync, not here")));
	if (test_case != NULL)
		*test_case = mocked;
	*input = PG_ARGISNULL(1) ? DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")))
		: PG_GETARG_JSONB_P(1);
	/* refused before anything runs, as AWS's InvalidExecutionInput */
	booking_check_payload_size(*input, "InvalidExecutionInput", "input");
	booking_lookup_machine(ref, false, machine, version);
	if (*version == 0)
		*version = machine->current_version;
	return booking_machine_get(machine->id, *version);
}

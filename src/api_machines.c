/*
 * api_machines.c — SQL API for definitions and state machines:
 * sfn_validate, sfn_create_state_machine, sfn_update_state_machine,
 * sfn_delete_state_machine, sfn_describe_state_machine.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "arn.h"
#include "booking.h"
#include "definition_prepare.h"
#include "jsonb_build.h"
#include "jsonc_bridge.h"
#include "machine_ref.h"
#include "store_machines.h"
#include "standby.h"

PG_FUNCTION_INFO_V1(sfn_validate);
PG_FUNCTION_INFO_V1(sfn_create_state_machine);
PG_FUNCTION_INFO_V1(sfn_update_state_machine);
PG_FUNCTION_INFO_V1(sfn_delete_state_machine);
PG_FUNCTION_INFO_V1(sfn_describe_state_machine);

static Jsonb *
jsonb_arg_or_null(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : PG_GETARG_JSONB_P(n);
}

Datum
sfn_validate(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	asl_diags  *diags;

	booking_require_arg(fcinfo, 0, "definition");
	InitMaterializedSRF(fcinfo, 0);
	diags = booking_diags_new();
	(void) booking_prepare_definition(PG_GETARG_JSONB_P(0), jsonb_arg_or_null(fcinfo, 1), diags);
	for (size_t i = 0; i < diags->count; i++)
	{
		const asl_diag *d = &diags->items[i];
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = CStringGetTextDatum(asl_severity_name(d->severity));
		values[1] = CStringGetTextDatum(d->code);
		values[2] = CStringGetTextDatum(d->location);
		values[3] = CStringGetTextDatum(d->message);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

static const char *
check_type(const char *type)
{
	if (strcmp(type, "STANDARD") != 0 && strcmp(type, "EXPRESS") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("type must be STANDARD or EXPRESS, not \"%s\"", type)));
	return type;
}

/* Naming another role as the execution role needs membership in it (DESIGN §7). */
static void
check_role(Oid role)
{
	if (!is_member_of_role(GetUserId(), role))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to use role \"%s\" as an execution role",
						GetUserNameFromId(role, false)),
				 errdetail("Only members of a role may make it a state machine's execution role.")));
}

static Jsonb *
prepare_or_error(Jsonb *definition, Jsonb *substitutions)
{
	asl_diags  *diags = booking_diags_new();
	Jsonb	   *prepared = booking_prepare_definition(definition, substitutions, diags);

	booking_report_definition_errors(diags);
	Assert(prepared != NULL);
	return prepared;
}

Datum
sfn_create_state_machine(PG_FUNCTION_ARGS)
{
	char	   *name;
	char	   *type;
	Oid			role;
	Jsonb	   *substitutions;
	Jsonb	   *prepared;
	StoredMachine machine;

	booking_require_primary("sfn_create_state_machine");
	booking_require_arg(fcinfo, 0, "name");
	booking_require_arg(fcinfo, 1, "definition");
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	booking_check_name("state machine name", name);
	type = PG_ARGISNULL(4) ? "STANDARD" : text_to_cstring(PG_GETARG_TEXT_PP(4));
	check_type(type);
	role = PG_ARGISNULL(3) ? GetUserId() : PG_GETARG_OID(3);
	check_role(role);
	substitutions = jsonb_arg_or_null(fcinfo, 2);
	prepared = prepare_or_error(PG_GETARG_JSONB_P(1), substitutions);

	if (!store_machine_insert(name, booking_state_machine_arn(name), type, role,
							  prepared, substitutions, &machine))
	{
		/* As AWS: creating the same machine again returns it; anything else conflicts. */
		Jsonb	   *current = store_version_definition(machine.id, machine.current_version, NULL, NULL);

		if (machine.current_version != 1 || machine.role != role ||
			strcmp(machine.type, type) != 0 || current == NULL ||
			compareJsonbContainers(&current->root, &prepared->root) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("StateMachineAlreadyExists: state machine \"%s\" already exists with a different definition, role or type",
							name),
					 errhint("Use sfn_update_state_machine to publish a new version.")));
	}
	PG_RETURN_TEXT_P(cstring_to_text(machine.arn));
}

Datum
sfn_update_state_machine(PG_FUNCTION_ARGS)
{
	StoredMachine machine;
	int			version;
	Jsonb	   *substitutions;
	Jsonb	   *prepared;

	booking_require_primary("sfn_update_state_machine");
	booking_require_arg(fcinfo, 0, "state_machine");
	booking_require_arg(fcinfo, 1, "definition");
	booking_lookup_machine(text_to_cstring(PG_GETARG_TEXT_PP(0)), true, &machine, &version);
	if (version != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot update a state machine version; pass the state machine's ARN or name")));
	/* Without new substitutions, the current version's apply again (as a SAM redeploy). */
	substitutions = jsonb_arg_or_null(fcinfo, 2);
	if (substitutions == NULL)
		(void) store_version_definition(machine.id, machine.current_version, &substitutions, NULL);
	prepared = prepare_or_error(PG_GETARG_JSONB_P(1), substitutions);
	version = store_machine_add_version(machine.id, prepared, substitutions);
	PG_RETURN_TEXT_P(cstring_to_text(booking_state_machine_version_arn(machine.name, version)));
}

Datum
sfn_delete_state_machine(PG_FUNCTION_ARGS)
{
	StoredMachine machine;
	int			version;
	char	   *name;

	booking_require_primary("sfn_delete_state_machine");
	booking_parse_state_machine_ref(text_to_cstring(PG_GETARG_TEXT_PP(0)), &name, &version);
	if (version != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("deleting a single state machine version is not supported"),
				 errhint("Versions are immutable history; delete the state machine itself.")));
	/* AWS: deleting a state machine that does not exist (any more) succeeds */
	if (store_machine_lookup(name, true, &machine))
		store_machine_delete(machine.id);
	PG_RETURN_VOID();
}

Datum
sfn_describe_state_machine(PG_FUNCTION_ARGS)
{
	StoredMachine machine;
	int			version;
	Jsonb	   *definition;
	TimestampTz version_created;
	JsonbParseState *state = NULL;
	Jsonb	   *result;

	booking_lookup_machine(text_to_cstring(PG_GETARG_TEXT_PP(0)), false, &machine, &version);
	if (version == 0)
		version = machine.current_version;
	definition = store_version_definition(machine.id, version, NULL, &version_created);
	if (definition == NULL)
		elog(ERROR, "state machine \"%s\" has no version %d", machine.name, version);

	jb_begin_object(&state);
	jb_text(&state, "stateMachineArn", machine.arn);
	if (version != machine.current_version)
		jb_text(&state, "stateMachineVersionArn",
				booking_state_machine_version_arn(machine.name, version));
	jb_text(&state, "name", machine.name);
	jb_text(&state, "status", "ACTIVE");
	jb_jsonb(&state, "definition", definition);
	jb_text(&state, "roleArn", GetUserNameFromId(machine.role, false));
	jb_text(&state, "type", machine.type);
	jb_timestamp(&state, "creationDate", machine.created);
	jb_text(&state, "revisionId", psprintf("%d", version));
	jb_int(&state, "version", version);
	jb_timestamp(&state, "versionCreationDate", version_created);
	result = jb_end_object(&state);
	PG_RETURN_JSONB_P(result);
}

/*
 * api_machines.c — SQL API for definitions and state machines:
 * sfn_validate, sfn_create_state_machine, sfn_update_state_machine,
 * sfn_delete_state_machine, sfn_describe_state_machine.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "catalog/namespace.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "api_versions.h"
#include "arn.h"
#include "booking.h"
#include "definition_prepare.h"
#include "jsonb_build.h"
#include "jsonc_bridge.h"
#include "machine_ref.h"
#include "permissions.h"
#include "store_machines.h"
#include "standby.h"

PG_FUNCTION_INFO_V1(sfn_validate);
PG_FUNCTION_INFO_V1(sfn_create_state_machine);
PG_FUNCTION_INFO_V1(sfn_update_state_machine);
PG_FUNCTION_INFO_V1(sfn_delete_state_machine);
PG_FUNCTION_INFO_V1(sfn_describe_state_machine);

/* An optional argument the 1.1 signature added: absent from older signatures */
#define ARG_GIVEN(n) (PG_NARGS() > (n) && !PG_ARGISNULL(n))
#define ARG_TEXT(n) (ARG_GIVEN(n) ? text_to_cstring(PG_GETARG_TEXT_PP(n)) : NULL)
#define ARG_JSONB(n) (ARG_GIVEN(n) ? PG_GETARG_JSONB_P(n) : NULL)

static const char *check_type(const char *type);

/* Argument n, or NULL when SQL NULL. */
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

	const char *type = ARG_GIVEN(2) ? check_type(ARG_TEXT(2)) : "STANDARD";

	booking_require_arg(fcinfo, 0, "definition");
	(void) booking_require_user();
	InitMaterializedSRF(fcinfo, 0);
	diags = booking_diags_new();
	(void) booking_prepare_definition_typed(PG_GETARG_JSONB_P(0), jsonb_arg_or_null(fcinfo, 1),
											strcmp(type, "EXPRESS") == 0, diags);
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

/* type when it is STANDARD or EXPRESS; raises otherwise. */
static const char *
check_type(const char *type)
{
	if (strcmp(type, "STANDARD") != 0 && strcmp(type, "EXPRESS") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("StateMachineTypeNotSupported: type must be STANDARD or EXPRESS, not \"%s\"", type)));
	return type;
}

/*
 * The execution role argument n: another role needs membership in it
 * (DESIGN §7). Left out, it is the caller, unless the caller is a superuser
 * or BYPASSRLS: such a role runs tasks only when named (docs/security.md).
 */
static Oid
execution_role(FunctionCallInfo fcinfo, int n, Oid caller, bool *privileged)
{
	Oid			role;

	if (PG_ARGISNULL(n))
	{
		if (booking_role_is_privileged(caller))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("the execution role must be named: role \"%s\" is a superuser or has BYPASSRLS",
							GetUserNameFromId(caller, false)),
					 errdetail("Tasks run as the execution role; a superuser or BYPASSRLS one reaches every table and bypasses row-level security."),
					 errhint("Pass role => '%s' to have its tasks run with those rights, or name a less privileged role.",
							 GetUserNameFromId(caller, false))));
		*privileged = false;
		return caller;
	}
	role = PG_GETARG_OID(n);
	if (!is_member_of_role(caller, role))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to use role \"%s\" as an execution role",
						GetUserNameFromId(role, false)),
				 errdetail("Only members of a role may make it a state machine's execution role.")));
	*privileged = booking_role_is_privileged(role);
	return role;
}

/*
 * The definition with substitutions applied and checked; raises with every
 * problem found.
 */
static Jsonb *
prepare_or_error(Jsonb *definition, Jsonb *substitutions, const char *type)
{
	asl_diags  *diags = booking_diags_new();
	Jsonb	   *prepared = booking_prepare_definition_typed(definition, substitutions,
															strcmp(type, "EXPRESS") == 0, diags);

	booking_report_definition_errors(diags);
	Assert(prepared != NULL);
	return prepared;
}

Datum
sfn_create_state_machine(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	StoredMachine wanted;
	Jsonb	   *substitutions;
	Jsonb	   *prepared;
	StoredMachine machine;

	booking_require_primary("sfn_create_state_machine");
	booking_require_arg(fcinfo, 0, "name");
	booking_require_arg(fcinfo, 1, "definition");
	memset(&wanted, 0, sizeof(wanted));

	/*
	 * tasks resolve names with the creator's search_path: the caller's,
	 * before it is pinned
	 */
	wanted.search_path = pstrdup(namespace_search_path);
	wanted.owner = booking_enter(&scope);
	wanted.name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	booking_check_name("state machine name", wanted.name);
	wanted.arn = booking_state_machine_arn(wanted.name);
	wanted.type = PG_ARGISNULL(4) ? "STANDARD" : text_to_cstring(PG_GETARG_TEXT_PP(4));
	check_type(wanted.type);
	wanted.role = execution_role(fcinfo, 3, wanted.owner, &wanted.privileged_role);
	substitutions = jsonb_arg_or_null(fcinfo, 2);
	prepared = prepare_or_error(PG_GETARG_JSONB_P(1), substitutions, wanted.type);

	if (store_machine_insert(&wanted, prepared, substitutions, &machine))
	{
		if (ARG_GIVEN(5))
			booking_set_role_arn(machine.id, ARG_TEXT(5));
		booking_set_machine_settings(machine.id, ARG_JSONB(8), ARG_JSONB(9), ARG_JSONB(10));
	}
	else
	{
		/*
		 * As AWS: creating the same machine again returns it; anything else
		 * conflicts.
		 */
		Jsonb	   *current = store_version_definition(machine.id, machine.current_version, NULL, NULL);

		if (machine.current_version != 1 || machine.role != wanted.role ||
			strcmp(machine.type, wanted.type) != 0 || current == NULL ||
			compareJsonbContainers(&current->root, &prepared->root) != 0 ||
			!booking_machine_settings_match(machine.id, ARG_JSONB(8), ARG_JSONB(9), ARG_JSONB(10)))
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_OBJECT),
					 errmsg("StateMachineAlreadyExists: state machine \"%s\" already exists with a different definition, role, type or configuration",
							wanted.name),
					 errhint("Use sfn_update_state_machine to publish a new version.")));
	}

	/*
	 * publish (default true): version 1 is published, as an update publishes
	 * by default
	 */
	if (PG_NARGS() > 6 && (PG_ARGISNULL(6) || PG_GETARG_BOOL(6)))
		(void) booking_publish_latest(machine.id, ARG_TEXT(7));
	booking_leave(&scope);
	PG_RETURN_TEXT_P(cstring_to_text(machine.arn));
}

/*
 * A new definition says what the execution role's tasks do: only a member of
 * that role may give one (as only a member may name the role), else MANAGE,
 * which its owner may grant to anyone, would let a grantee run any task with
 * the owner's (or a superuser execution role's) rights.
 */
static void
require_may_define(Oid caller, const StoredMachine *machine)
{
	const char *role_name;

	if (!OidIsValid(machine->role) || is_member_of_role(caller, machine->role))
		return;
	role_name = GetUserNameFromId(machine->role, true);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to change the definition of state machine \"%s\"", machine->name),
			 errdetail("Its tasks run as role \"%s\", and only members of the execution role may say what they do.",
					   role_name ? role_name : "(dropped)"),
			 errhint("A member of that role updates the definition, or name an execution role you are a member of with role => ...")));
}

Datum
sfn_update_state_machine(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	Oid			caller;
	StoredMachine machine;
	int			version;
	Jsonb	   *substitutions;
	Jsonb	   *prepared;
	bool		publish = PG_NARGS() > 5 && (PG_ARGISNULL(5) || PG_GETARG_BOOL(5));
	char	   *result;

	booking_require_primary("sfn_update_state_machine");
	booking_require_arg(fcinfo, 0, "state_machine");
	if (PG_ARGISNULL(1) && PG_ARGISNULL(3) && !ARG_GIVEN(4) && !publish &&
		!ARG_GIVEN(7) && !ARG_GIVEN(8) && !ARG_GIVEN(9))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("MissingRequiredParameter: give a definition, a role, a role_arn, a configuration or publish to update")));
	caller = booking_enter(&scope);
	booking_lookup_machine(text_to_cstring(PG_GETARG_TEXT_PP(0)), true, &machine, &version);
	booking_require_machine(caller, machine.id, machine.name, machine.owner, "MANAGE");
	if (version != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot update a state machine version; pass the state machine's ARN or name")));

	/*
	 * a role named here becomes the execution role (UpdateStateMachine's
	 * roleArn)
	 */
	if (!PG_ARGISNULL(3))
	{
		bool		privileged;
		Oid			role = execution_role(fcinfo, 3, caller, &privileged);

		store_machine_set_role(machine.id, role, privileged);
		machine.role = role;
	}
	if (!PG_ARGISNULL(1))
	{
		require_may_define(caller, &machine);

		/*
		 * Without new substitutions, the current version's apply again (as a
		 * SAM redeploy).
		 */
		substitutions = jsonb_arg_or_null(fcinfo, 2);
		if (substitutions == NULL)
			(void) store_version_definition(machine.id, machine.current_version, &substitutions, NULL);
		prepared = prepare_or_error(PG_GETARG_JSONB_P(1), substitutions, machine.type);
		(void) store_machine_add_version(machine.id, prepared, substitutions);
	}
	if (ARG_GIVEN(4))
		booking_set_role_arn(machine.id, ARG_TEXT(4));
	booking_set_machine_settings(machine.id, ARG_JSONB(7), ARG_JSONB(8), ARG_JSONB(9));
	/* the version ARN when published (the default), else the state machine's */
	result = publish ? booking_publish_latest(machine.id, ARG_TEXT(6)) : machine.arn;
	booking_leave(&scope);
	PG_RETURN_TEXT_P(cstring_to_text(result));
}

Datum
sfn_delete_state_machine(PG_FUNCTION_ARGS)
{
	BookingScope scope;
	Oid			caller = booking_enter(&scope);
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
	{
		booking_require_machine(caller, machine.id, machine.name, machine.owner, "MANAGE");
		store_machine_delete(machine.id);
	}
	booking_leave(&scope);
	PG_RETURN_VOID();
}

Datum
sfn_describe_state_machine(PG_FUNCTION_ARGS)
{
	StoredMachine machine;
	int			version;
	int			published = 0;
	Jsonb	   *definition;
	TimestampTz version_created;
	JsonbParseState *state = NULL;
	Jsonb	   *result;
	char	   *role_arn;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);

	booking_lookup_machine(text_to_cstring(PG_GETARG_TEXT_PP(0)), false, &machine, &version);
	booking_require_machine(caller, machine.id, machine.name, machine.owner, "READ");
	if (version == 0)
		version = machine.current_version;
	else
		published = booking_revision_published_as(machine.id, version);
	definition = store_version_definition(machine.id, version, NULL, &version_created);
	if (definition == NULL)
		elog(ERROR, "state machine \"%s\" has no version %d", machine.name, version);

	jb_begin_object(&state);
	jb_text(&state, "stateMachineArn", machine.arn);
	if (published != 0)
		jb_text(&state, "stateMachineVersionArn",
				booking_state_machine_version_arn(machine.name, published));
	jb_text(&state, "name", machine.name);
	jb_text(&state, "status", "ACTIVE");
	jb_jsonb(&state, "definition", definition);
	/* the role ARN as the caller gave it, else the execution role's name */
	role_arn = booking_role_arn(machine.id);
	jb_text(&state, "roleArn", role_arn ? role_arn : GetUserNameFromId(machine.role, false));
	jb_text(&state, "type", machine.type);
	jb_timestamp(&state, "creationDate", machine.created);
	if (machine.updated != 0)
		jb_timestamp(&state, "updateDate", machine.updated);
	/* loggingConfiguration, tracingConfiguration, encryptionConfiguration */
	{
		Jsonb	   *settings = booking_machine_settings_shown(machine.id);
		JsonbIterator *it;
		JsonbValue	v;
		JsonbIteratorToken tok;

		it = JsonbIteratorInit(&settings->root);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			if (tok == WJB_KEY)
			{
				char	   *key = pnstrdup(v.val.string.val, v.val.string.len);

				(void) JsonbIteratorNext(&it, &v, true);
				jb_jsonb(&state, key, JsonbValueToJsonb(&v));
			}
		}
	}
	jb_text(&state, "revisionId", psprintf("%d", version));
	jb_int(&state, "version", version);
	jb_timestamp(&state, "versionCreationDate", version_created);
	result = jb_end_object(&state);
	booking_leave(&scope);
	PG_RETURN_JSONB_P(result);
}

/*
 * api_executions.c — SQL API for durable executions: sfn_start,
 * sfn_describe_execution, sfn_stop_execution, sfn_redrive_execution, and
 * the resolver the SQL-language listing functions use.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "common/hashfn.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "api_versions.h"
#include "arn.h"
#include "mock_config.h"
#include "booking.h"
#include "exec_records.h"
#include "jsonb_build.h"
#include "machine_cache.h"
#include "machine_ref.h"
#include "advance.h"
#include "permissions.h"
#include "standby.h"
#include "store_executions.h"
#include "subxact.h"

PG_FUNCTION_INFO_V1(sfn_start);
PG_FUNCTION_INFO_V1(sfn_describe_execution);
PG_FUNCTION_INFO_V1(sfn_stop_execution);
PG_FUNCTION_INFO_V1(sfn_redrive_execution);
PG_FUNCTION_INFO_V1(booking_execution_id);

/* An execution argument (ARN or name) → its id; ERROR ExecutionDoesNotExist otherwise. */
static int64
resolve_execution(const char *ref)
{
	char	   *machine_name;
	char	   *name;
	int64		id;
	int			n;

	booking_parse_execution_ref(ref, &machine_name, &name);
	n = store_exec_find_by_name(machine_name, name, &id);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("ExecutionDoesNotExist: execution \"%s\" does not exist", ref)));
	if (n > 1)
		ereport(ERROR,
				(errcode(ERRCODE_AMBIGUOUS_PARAMETER),
				 errmsg("execution name \"%s\" is used by several state machines", ref),
				 errhint("Pass the execution ARN.")));
	return id;
}

/* Loads execution id (locked when lock) or raises ExecutionDoesNotExist. */
static void
load_or_error(int64 id, bool lock, ExecRow *row)
{
	if (!store_exec_load(id, lock, false, row))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("ExecutionDoesNotExist: execution %lld does not exist", (long long) id)));
}

/*
 * Serializes starts of one name of one machine until commit, so that a
 * second start of a name waits for the first and then sees it, before it
 * runs anything. An advisory lock in a class of booking's own (pg_locks
 * shows it with objsubid BOOKING_NAME_LOCK_CLASS): it can't collide with an
 * application's advisory locks, and a hash collision only serializes.
 *
 * Each name lock holds an entry of the shared lock table until commit, so a
 * transaction that starts many named executions (a statement starting
 * 30,000) locks the machine instead once it holds NAME_LOCKS_MAX of them, as
 * a coarser lock: every named start also holds the machine's lock in a mode
 * that only that coarse one conflicts with.
 */
#define BOOKING_NAME_LOCK_CLASS 0x6b62
#define BOOKING_MACHINE_LOCK_CLASS 0x6b63
#define NAME_LOCKS_MAX 256

static LocalTransactionId name_locks_lxid = InvalidLocalTransactionId;
static int	name_locks_taken = 0;

/*
 * Serializes starts of the same execution name of a machine until the
 * transaction ends (an advisory lock per name, or one on the whole machine
 * past NAME_LOCKS_MAX names).
 */
static void
lock_execution_name(int64 machine_id, const char *name)
{
	LOCKTAG		machine_tag;
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(machine_tag, MyDatabaseId, (uint32) machine_id, 0, BOOKING_MACHINE_LOCK_CLASS);
	if (LockHeldByMe(&machine_tag, ExclusiveLock))
		return;					/* every name of the machine is this
								 * transaction's already */
	if (name_locks_lxid != MyProc->lxid)
	{
		name_locks_lxid = MyProc->lxid;
		name_locks_taken = 0;
	}
	if (name_locks_taken >= NAME_LOCKS_MAX)
	{
		(void) LockAcquire(&machine_tag, ExclusiveLock, false, false);
		return;
	}
	(void) LockAcquire(&machine_tag, RowExclusiveLock, false, false);
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) machine_id,
						 hash_bytes((const unsigned char *) name, (int) strlen(name)),
						 BOOKING_NAME_LOCK_CLASS);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
	name_locks_taken++;
}

/* As AWS: the same name and input while running is the same execution; else ExecutionAlreadyExists. */
static text *
existing_start(int64 id, const char *arn, Jsonb *input)
{
	ExecRow		existing;

	load_or_error(id, false, &existing);
	if (existing.status == EXEC_RUNNING &&
		compareJsonbContainers(&existing.input->root, &input->root) == 0)
		return cstring_to_text(existing.arn);
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("ExecutionAlreadyExists: execution \"%s\" already exists", arn),
			 errdetail(existing.status == EXEC_RUNNING
					   ? "It is running with a different input."
					   : "It has ended (%s); execution names are not reused.",
					   exec_status_name(existing.status))));
	return NULL;				/* not reached */
}

Datum
sfn_start(PG_FUNCTION_ARGS)
{
	StoredMachine machine;
	int			version;
	Jsonb	   *input;
	ExecRow		row;
	const asl_machine *compiled;
	int64		id;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);
	text	   *result;
	char	   *test_case = NULL;

	booking_require_primary("sfn_start");
	compiled = booking_resolve_start(fcinfo, &machine, &version, &input, &test_case);
	booking_require_machine(caller, machine.id, machine.name, machine.owner, "START");

	memset(&row, 0, sizeof(row));
	row.name = PG_ARGISNULL(2) ? booking_new_execution_name() : text_to_cstring(PG_GETARG_TEXT_PP(2));
	booking_check_name("execution name", row.name);
	row.arn = booking_execution_arn(machine.name, row.name);

	/* a generated name is a fresh UUID: nobody else can be starting it */
	if (!PG_ARGISNULL(2))
	{
		lock_execution_name(machine.id, row.name);
		id = store_exec_find_in_machine(machine.id, row.name);
		if (id != 0)
		{
			result = existing_start(id, row.arn, input);
			booking_leave(&scope);
			PG_RETURN_TEXT_P(result);
		}
	}

	/*
	 * started through a version or alias ARN: DescribeExecution and
	 * ListExecutions show it
	 */
	{
		char	   *ref;
		char	   *bare;
		int			published;
		char	   *alias;

		(void) booking_mock_split(text_to_cstring(PG_GETARG_TEXT_PP(0)), &ref);
		booking_parse_state_machine_qualified(ref, &bare, &published, &alias);
		if (alias != NULL)
			published = booking_revision_published_as(machine.id, version);
		if (published != 0)
			booking_origin_record(machine.id, row.name, published, alias);
	}

	/*
	 * before it runs: its Task states answer from the test case's mocked
	 * responses
	 */
	if (test_case != NULL)
		booking_mock_register(machine.id, machine.name, row.name, test_case);

	/* the row is written once, when its first run ends or parks (advance.h) */
	row.unsaved = true;
	row.name_generated = PG_ARGISNULL(2);
	row.machine_id = machine.id;
	row.version = version;
	row.input = input;
	row.state = compiled->root->start_name;
	row.start_date = GetCurrentTimestamp();
	if (compiled->timeout_seconds > 0)
		row.timeout_at = row.start_date + compiled->timeout_seconds * USECS_PER_SEC;
	row.machine_name = machine.name;
	row.role = machine.role;
	row.search_path = machine.search_path;
	row.status = EXEC_RUNNING;
	row.phase = EXEC_PHASE_STEP;
	row.document = input;
	row.branch_index = -1;
	booking_start(&row);
	booking_leave(&scope);
	PG_RETURN_TEXT_P(cstring_to_text(row.arn));
}

/* DescribeExecution's answer for one execution row. */
static Jsonb *
describe(const ExecRow *row)
{
	JsonbParseState *state = NULL;
	int			published;
	char	   *alias;

	jb_begin_object(&state);
	jb_text(&state, "executionArn", row->arn);
	jb_text(&state, "stateMachineArn", booking_state_machine_arn(row->machine_name));

	/*
	 * as AWS: the version and alias only of a start through a version or
	 * alias ARN
	 */
	if (booking_origin_lookup(row->machine_id, row->name, &published, &alias))
	{
		jb_text(&state, "stateMachineVersionArn", booking_state_machine_version_arn(row->machine_name, published));
		if (alias != NULL)
			jb_text(&state, "stateMachineAliasArn",
					psprintf("%s:%s", booking_state_machine_arn(row->machine_name), alias));
	}
	jb_text(&state, "name", row->name);
	jb_text(&state, "status", exec_status_name(row->status));
	jb_timestamp(&state, "startDate", row->start_date);
	if (row->stop_date != 0)
		jb_timestamp(&state, "stopDate", row->stop_date);
	jb_jsonb(&state, "input", row->input);
	if (row->output != NULL)
		jb_jsonb(&state, "output", row->output);
	if (row->error != NULL)
		jb_text(&state, "error", row->error);
	if (row->cause != NULL)
		jb_text(&state, "cause", row->cause);
	jb_int(&state, "redriveCount", row->redrive_count);
	if (row->redrive_date != 0)
		jb_timestamp(&state, "redriveDate", row->redrive_date);
	jb_text(&state, "redriveStatus", row->status == EXEC_RUNNING ||
			row->status == EXEC_SUCCEEDED ? "NOT_REDRIVABLE" : "REDRIVABLE");
	return jb_end_object(&state);
}

/*
 * The execution argument's row (locked when lock), once the caller is known
 * to hold privilege on its state machine.
 */
static void
load_for(FunctionCallInfo fcinfo, Oid caller, const char *privilege, bool lock, ExecRow *row)
{
	booking_require_arg(fcinfo, 0, "execution");
	load_or_error(resolve_execution(text_to_cstring(PG_GETARG_TEXT_PP(0))), false, row);
	booking_require_machine_named(caller, row->machine_name, privilege);
	if (lock)
		load_or_error(row->id, true, row);
}

Datum
sfn_describe_execution(PG_FUNCTION_ARGS)
{
	ExecRow		row;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);
	Jsonb	   *result;

	load_for(fcinfo, caller, "READ", false, &row);
	result = describe(&row);
	booking_leave(&scope);
	PG_RETURN_JSONB_P(result);
}

Datum
sfn_stop_execution(PG_FUNCTION_ARGS)
{
	ExecRow		row;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);
	char	   *error;
	char	   *cause;

	booking_require_primary("sfn_stop_execution");
	error = booking_text_arg_bounded(fcinfo, 1, "error", BOOKING_MAX_ERROR_LENGTH);
	cause = booking_text_arg_bounded(fcinfo, 2, "cause", BOOKING_MAX_CAUSE_LENGTH);
	load_for(fcinfo, caller, "STOP", true, &row);
	/* As AWS: stopping an execution that has ended changes nothing. */
	if (row.status == EXEC_RUNNING)
		booking_stop(&row, EXEC_ABORTED, error, cause);
	booking_leave(&scope);
	PG_RETURN_TIMESTAMPTZ(row.stop_date);
}

Datum
sfn_redrive_execution(PG_FUNCTION_ARGS)
{
	ExecRow		row;
	const asl_machine *compiled;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);
	char	   *token = PG_NARGS() > 1 && !PG_ARGISNULL(1) ? text_to_cstring(PG_GETARG_TEXT_PP(1)) : NULL;
	TimestampTz earlier;

	booking_require_primary("sfn_redrive_execution");
	if (token != NULL)
		booking_check_client_token(token);
	load_for(fcinfo, caller, "STOP", true, &row);

	/*
	 * the same client token again (within the window): that redrive's answer,
	 * no second one
	 */
	if (token != NULL && (earlier = booking_redrive_token_find(row.id, token)) != 0)
	{
		booking_leave(&scope);
		PG_RETURN_TIMESTAMPTZ(earlier);
	}
	if (row.status != EXEC_FAILED && row.status != EXEC_TIMED_OUT && row.status != EXEC_ABORTED)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("ExecutionNotRedrivable: execution \"%s\" is %s", row.arn, exec_status_name(row.status)),
				 errdetail("Only FAILED, TIMED_OUT and ABORTED executions can be redriven.")));
	compiled = booking_machine_get(row.machine_id, row.version);
	row.redrive_count++;
	row.redrive_date = GetCurrentTimestamp();
	booking_redrive(&row, compiled->timeout_seconds);
	if (token != NULL)
		booking_redrive_token_keep(row.id, token, row.redrive_date);
	booking_leave(&scope);
	PG_RETURN_TIMESTAMPTZ(row.redrive_date);
}

/* The listing functions' resolvers: READ on the state machine is required. */
Datum
booking_execution_id(PG_FUNCTION_ARGS)
{
	ExecRow		row;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);

	load_for(fcinfo, caller, "READ", false, &row);
	booking_leave(&scope);
	PG_RETURN_INT64(row.id);
}

PG_FUNCTION_INFO_V1(booking_state_machine_id);

Datum
booking_state_machine_id(PG_FUNCTION_ARGS)
{
	StoredMachine machine;
	int			version;
	BookingScope scope;
	Oid			caller = booking_enter(&scope);

	booking_lookup_machine(text_to_cstring(PG_GETARG_TEXT_PP(0)), false, &machine, &version);
	booking_require_machine(caller, machine.id, machine.name, machine.owner, "READ");
	booking_leave(&scope);
	PG_RETURN_INT64(machine.id);
}

PG_FUNCTION_INFO_V1(booking_flush_batch);

/*
 * booking.flush_batch(): the API functions written in SQL read the views,
 * which booking_enter's write of a tick's kept saves can't reach (their
 * statement's snapshot is older): they call this first, in a statement of
 * its own.
 */
Datum
booking_flush_batch(PG_FUNCTION_ARGS)
{
	BookingScope scope;

	(void) booking_enter(&scope);	/* writes them */
	booking_leave(&scope);
	PG_RETURN_VOID();
}

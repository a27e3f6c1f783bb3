/*
 * task_invoke.h — running a Task's request: in a subtransaction, as the state
 * machine's role, with its pinned search_path.
 *
 * Resources: the DynamoDB integration (task_dynamodb.h), lambda:invoke and
 * Lambda function ARNs (task_lambda.h). Activities and the .waitForTaskToken
 * wait are the runner's (advance.c): this runs what happens before the wait.
 *
 * An SQL error inside the task rolls back the task's effects only and becomes
 * the task's failure, named by task_error_name (see docs/tasks.md):
 *   SQLSTATE SF001 (booking.raise_task_error)  Error = message, Cause = detail
 *   DynamoDB tasks: 42501 → DynamoDB.AccessDeniedException,
 *                   others → DynamoDB.AmazonDynamoDBException
 *   Lambda tasks:   PostgreSQL.<SQLSTATE>, e.g. PostgreSQL.22012
 * Errors that concern the whole transaction (serialization failures and
 * deadlocks, cancels, shutdowns, resource exhaustion) are raised again.
 */
#ifndef BOOKING_TASK_INVOKE_H
#define BOOKING_TASK_INVOKE_H

#include "postgres.h"

#include "jsonc.h"
#include "core/asl/step.h"

/* Whose task it is: the state machine's role and search_path. */
typedef struct TaskIdentity
{
	Oid			role;			/* InvalidOid: the current user (TestState) */
	const char *search_path;	/* NULL: the current one */
	int64		machine_id;		/* the state machine (0: none, TestState) */
	char		privileged_named;	/* state_machines.privileged_role as read
									 * with the execution ('y', 'n'); 0: look
									 * it up */
} TaskIdentity;

/*
 * Runs the task's request and fills reply (an output reference the consumer
 * takes, or an error). Never raises for the task's own failures.
 */
void		booking_task_invoke(const TaskIdentity *who, const asl_task *task,
								asl_task_reply *reply);

#endif

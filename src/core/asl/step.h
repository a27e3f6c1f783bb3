/*
 * step.h — the interpreter's transition function.
 *
 * One call runs one state as far as it can go without the outside world and
 * says what happens next (an asl_outcome): go to a state with a document, end,
 * fail, park until a time, run a task, run branches. Continuations take the
 * task's or the branches' results back in. Nothing here performs I/O, reads a
 * clock or draws a random number: the time, the randomness and the context
 * object come in through asl_env, so every call is deterministic.
 *
 * Everything a host must keep between calls is plain data (asl_position): a
 * state name, JSON documents and a time. Pointers into the compiled machine
 * are found again by name (asl_machine_find), so a host may persist a
 * position, reload the machine in another backend and continue.
 *
 * Ownership: positions and envs are borrowed. An outcome owns what it holds;
 * asl_outcome_clear releases it. Names in an outcome (state, next, branch
 * starts, the task's resource) point into the machine.
 */
#ifndef ASL_STEP_H
#define ASL_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "dataflow.h"
#include "definition.h"
#include "error.h"
#include "timestamp.h"

/* AWS: "Maximum input or output size for a task, state, or execution: 256 KiB" */
#define ASL_DEFAULT_MAX_PAYLOAD 262144

/* What the caller supplies to every step. */
typedef struct asl_env
{
	json_object *context;		/* execution-level $$ (asl_context_base),
								 * borrowed; NULL: base_context gives it */
	json_object *(*base_context) (void *arg);	/* builds it on first use
												 * (borrowed); may be NULL */
	void	   *base_context_arg;
	asl_time	now;
	double		random;			/* uniform in [0, 1): JitterStrategy FULL
								 * draws from it */
	const char *task_token;		/* $$.Task.Token when the state is a Task, or
								 * NULL */
	size_t		max_payload;	/* bytes of serialized JSON; 0 means
								 * ASL_DEFAULT_MAX_PAYLOAD */
	bool		inspect;		/* record each data-flow stage in
								 * outcome.inspection */
	bool		no_events;		/* the host keeps no history: build no events */
	bool		task_context;	/* give a Task outcome the $$ its state saw
								 * (task.context); off, $$ is built only when
								 * an expression reads it */
	asl_size_memo *sizes;		/* a size measured earlier in the run, to
								 * measure outputs by; NULL: none kept */

	/*
	 * The id of the history event that entered the state (its
	 * <Type>StateEntered; ids count from 1, ExecutionStarted), named in the
	 * causes of the state's runtime errors as AWS names it; 0 = unknown.
	 */
	int64_t		entered_event_id;

	/*
	 * Polled during long JSONata evaluations: true stops the evaluation (a
	 * query cancel or statement_timeout the host raises once the step has
	 * returned). NULL: never stopped.
	 */
	bool		(*cancel) (void *arg);
	void	   *cancel_arg;
} asl_env;

/* Where an execution (or a branch, or a Map iteration) stands. */
typedef struct asl_position
{
	const char *state;			/* the state's name */
	json_object *input;			/* the state's raw input (NULL is JSON null) */
	json_object *variables;		/* the variables the state sees (an object),
								 * or NULL */
	json_object *attempts;		/* retries so far, one count per retrier: [0,
								 * 2]; NULL = none */
	asl_time	entered;		/* when the state was entered; 0 = env.now (a
								 * first entry) */
} asl_position;

typedef enum asl_outcome_kind
{
	ASL_OUTCOME_NEXT,			/* go to `next` with `output` as its input */
	ASL_OUTCOME_END,			/* the graph ends successfully with `output` */
	ASL_OUTCOME_FAIL,			/* the graph fails with `error` */
	ASL_OUTCOME_WAIT,			/* park until `due`, then go to `next` (NULL:
								 * end) with `output` */
	ASL_OUTCOME_TASK,			/* run `task`, then call asl_step_task_done */
	ASL_OUTCOME_RETRY,			/* park until `due`, then asl_step this state
								 * again with `attempts` */
	ASL_OUTCOME_BRANCHES		/* run `branches`, then call
								 * asl_step_branches_done */
} asl_outcome_kind;

/* A Task for the host to run. */
typedef struct asl_task
{
	const asl_resource *resource;	/* the state's Resource, parsed */
	json_object *input;			/* effective input: InputPath, then Parameters */
	json_object *context;		/* the $$ the state saw (Task.Token included
								 * when given), when env.task_context; else
								 * NULL */
	int64_t		timeout_seconds;	/* resolved TimeoutSeconds(Path); 0 = none */
	int64_t		heartbeat_seconds;	/* resolved HeartbeatSeconds(Path); 0 =
									 * none */
	json_object *credentials;	/* Credentials as written, or NULL */
} asl_task;

/* One Parallel branch or one Map iteration to run. */
typedef struct asl_branch
{
	const char *start;			/* the StartAt state of the branch's graph */
	json_object *input;			/* its input */
	json_object *variables;		/* its own scope: the outer variables, copied */
} asl_branch;

typedef struct asl_branches
{
	bool		is_map;
	asl_branch *items;			/* in order: branch order, or item order */
	size_t		count;
	int64_t		max_concurrency;	/* Map: resolved MaxConcurrency(Path); 0 =
									 * unlimited */
	bool		tolerance;		/* Map: a tolerated failure threshold was
								 * given */
	int64_t		tolerated_count;	/* -1 when not given */
	double		tolerated_percentage;	/* -1 when not given */
} asl_branches;

typedef struct asl_outcome
{
	asl_outcome_kind kind;
	const char *state;			/* the state this step ran, NULL when it was
								 * not found */
	const char *next;			/* NEXT, WAIT (NULL: end after the wait),
								 * RETRY (this state) */
	json_object *output;		/* NEXT, END, WAIT: the document that goes on */
	json_object *variables;		/* the variables after the step (this graph's
								 * scope) */
	json_object *attempts;		/* RETRY: the counters for the next attempt */
	asl_time	due;			/* WAIT, RETRY */

	/*
	 * FAIL: the failure (Error may be "" for a Fail state without one).
	 * RETRY: the error being retried. NEXT after a catcher: the error caught.
	 */
	asl_error	error;
	int			retry_index;	/* RETRY: the retrier used; else -1 */
	int			catch_index;	/* NEXT after a catcher: the catcher used;
								 * else -1 */
	asl_task	task;			/* TASK */
	asl_branches branches;		/* BRANCHES */
	json_object *events;		/* history events of this step: [{type,
								 * details}] */
	json_object *after_events;	/* WAIT: events to record when the wait is
								 * over */
	size_t		n_events;		/* how many events this step makes, built or
								 * not (no_events) */
	size_t		n_after_events; /* WAIT: the same for after_events */
	json_object *inspection;	/* env.inspect: TestState's inspectionData */
} asl_outcome;

/* A task's or a branch's result, handed back to a continuation. */
typedef struct asl_result
{
	bool		failed;
	json_object *output;		/* success: the result, borrowed (NULL is JSON
								 * null) */
	const char *error;			/* failure: the ASL error name */
	const char *cause;			/* failure: may be NULL */
} asl_result;

/*
 * Runs the state pos->state. A first entry (no attempts counted yet)
 * records <Type>StateEntered; a retry does not.
 */
void		asl_step(const asl_machine *machine, const asl_position *pos,
					 const asl_env *env, asl_outcome *out);

/*
 * After ASL_OUTCOME_TASK: the same position, and what the task returned.
 * Applies ResultSelector, Assign, ResultPath and OutputPath, or Retry and
 * Catch when it failed.
 */
void		asl_step_task_done(const asl_machine *machine, const asl_position *pos,
							   const asl_env *env, const asl_result *result,
							   asl_outcome *out);

/* What a host's task returned: an output, or an error. */
typedef struct asl_task_reply
{
	json_object *output;		/* success: a reference the consumer takes
								 * (NULL is JSON null) */
	asl_error	error;			/* failure: set with asl_error_set; the
								 * consumer clears it */
} asl_task_reply;

/*
 * asl_step_task_done with a host's reply, which it consumes: the output's
 * reference is put and the error cleared.
 */
void		asl_step_task_reply(const asl_machine *machine, const asl_position *pos,
								const asl_env *env, asl_task_reply *reply, asl_outcome *out);

/*
 * After ASL_OUTCOME_BRANCHES: the same position and one result per branch,
 * in order. A failed Parallel branch fails the state with its error (the
 * first failed branch in order, when there are several); a host that stopped
 * the other branches may pass only the results it has, as long as one of
 * them failed. A Map counts failed iterations against its tolerance.
 */
void		asl_step_branches_done(const asl_machine *machine, const asl_position *pos,
								   const asl_env *env, const asl_result *results,
								   size_t n, asl_outcome *out);

void		asl_outcome_clear(asl_outcome *out);

/* $$.State.RetryCount for an attempts array: the sum of its counts. */
int64_t		asl_attempts_total(json_object *attempts);

/* A new scope for a branch: a new object holding the outer variables. */
json_object *asl_scope_enter(json_object *outer);

#endif

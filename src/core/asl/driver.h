/*
 * driver.h — a synchronous driver: runs a whole execution (or one graph) in
 * process, from its start to its end, with the step functions of step.h.
 *
 * The host supplies what the core never does itself: running a task,
 * sleeping, the time, randomness, and recording history events. Parallel
 * branches and Map iterations run inline, one after the other, in order; a
 * failing branch (or a failing iteration of a Map without a failure
 * tolerance) stops the rest, as AWS stops the other branches. A step budget
 * bounds the work one run may do. This serves sfn_start_sync, the unit tests
 * and the benchmark.
 */
#ifndef ASL_DRIVER_H
#define ASL_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "context.h"
#include "definition.h"
#include "error.h"
#include "step.h"
#include "timestamp.h"

/* Transitions one run may make, branches included, unless told otherwise. */
#define ASL_RUN_DEFAULT_MAX_STEPS 100000

typedef enum asl_run_status
{
	ASL_RUN_SUCCEEDED,
	ASL_RUN_FAILED,
	ASL_RUN_TIMED_OUT,			/* the machine's TimeoutSeconds passed */
	ASL_RUN_ABORTED				/* the host interrupted a sleep or a task */
} asl_run_status;

typedef struct asl_run_host
{
	void	   *arg;			/* passed to every callback */

	/*
	 * Runs a task of state `state`. Fill reply (output, or error). Return
	 * false to abort the whole run (it ends ABORTED).
	 */
	bool		(*run_task) (void *arg, const char *state, const asl_task *task,
							 asl_task_reply *reply);

	/*
	 * Sleeps until due; false when interrupted (the run ends ABORTED). NULL:
	 * no sleeping.
	 */
	bool		(*sleep_until) (void *arg, asl_time due);
	asl_time	(*now) (void *arg); /* NULL: time stands at 0 */
	double		(*random) (void *arg);	/* uniform in [0, 1); NULL: 0 */
	/* A fresh $$.Task.Token for a .waitForTaskToken task; NULL: none. */
	const char *(*task_token) (void *arg);

	/*
	 * Records a history event ({type, details}, borrowed). NULL: events are
	 * dropped.
	 */
	void		(*event) (void *arg, json_object *event);

	/*
	 * True when a long evaluation should stop (the run then ends ABORTED).
	 * NULL: never.
	 */
	bool		(*cancel) (void *arg);
} asl_run_host;

typedef struct asl_run_options
{
	json_object *context;		/* execution-level $$ (asl_context_base),
								 * borrowed; NULL: built from context_info
								 * when a state first reads $$, or {} */
	const asl_execution_info *context_info; /* borrowed for the run */
	size_t		max_payload;	/* 0: ASL_DEFAULT_MAX_PAYLOAD */
	int64_t		max_steps;		/* 0: ASL_RUN_DEFAULT_MAX_STEPS */
	const asl_graph *graph;		/* run this graph (a branch); NULL: the
								 * machine */
	json_object *variables;		/* the variables the run starts with,
								 * borrowed; NULL: none */
} asl_run_options;

typedef struct asl_run_result
{
	asl_run_status status;
	json_object *output;		/* SUCCEEDED: the output (NULL is JSON null) */
	char	   *error;			/* otherwise: the error name (NULL when there
								 * is none) */
	char	   *cause;			/* otherwise: the cause, may be NULL */
	int64_t		steps;			/* transitions made */
} asl_run_result;

/*
 * Runs machine (or opt->graph) on input until it ends. opt may be NULL.
 * The machine's TimeoutSeconds applies to a whole-machine run: past it the
 * run ends TIMED_OUT with States.Timeout. A spent step budget ends the run
 * FAILED with States.Runtime.
 */
void		asl_run(const asl_machine *machine, json_object *input,
					const asl_run_options *opt, const asl_run_host *host,
					asl_run_result *res);

void		asl_run_result_clear(asl_run_result *res);

/* "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" (DescribeExecution's status). */
const char *asl_run_status_name(asl_run_status status);

#endif

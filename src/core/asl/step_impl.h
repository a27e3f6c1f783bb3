/*
 * step_impl.h — private to the transition function (step*.c): one step's
 * working state and the pieces the state types share.
 */
#ifndef ASL_STEP_IMPL_H
#define ASL_STEP_IMPL_H

#include "step.h"
#include "scope.h"

typedef struct step_ctx
{
	const asl_machine *machine;
	const asl_state *st;
	const asl_position *pos;
	const asl_env *env;
	asl_outcome *out;
	json_object *context;		/* $$ for this state, owned; NULL until
								 * step_context builds it */
	asl_time	entered;		/* State.EnteredTime of $$ */
	size_t		limit;			/* payload quota in bytes */
	bool		succeeded;		/* <Type>StateSucceeded already recorded */
} step_ctx;

/*
 * Looks the state up, fills out's common fields and builds $$. Records
 * <Type>StateEntered when entering is set. False (out is then a FAIL) when
 * the state does not exist or memory ran out.
 */
bool		step_begin(step_ctx *c, const asl_machine *machine, const asl_position *pos,
					   const asl_env *env, asl_outcome *out, bool entering);
void		step_end(step_ctx *c);

/* A scope for evaluating paths and templates with $ = input. */
asl_scope	step_scope(const step_ctx *c, json_object *input);

/*
 * $$ for this state (borrowed from c), built on first use: most states never
 * read it. NULL when memory ran out.
 */
json_object *step_context(step_ctx *c);

/* The outcome becomes FAIL with err's name and cause (err is cleared). */
void		step_fail(step_ctx *c, asl_error *err);

/*
 * The state reported an error: Retry, else Catch, else FAIL. States without
 * retriers and catchers simply fail. err is cleared.
 */
void		step_error(step_ctx *c, asl_error *err);

/*
 * Prefixes err's cause as AWS words a failure inside a state: "An error
 * occurred while executing the state 'X' (entered at the event id #N). "
 * (without the event id when env.entered_event_id is unknown).
 */
void		step_locate(step_ctx *c, asl_error *err);

/*
 * step_error for an error the state's own evaluation raised (a path, a
 * template, a Wait's time): a States.Runtime error is located first.
 */
void		step_state_error(step_ctx *c, asl_error *err);

/*
 * The rest of a state that produced result (Task, Parallel, Map, Pass):
 * ResultSelector (select), Assign with $ = assign_input, ResultPath into the
 * raw input, OutputPath, the payload quota, <Type>StateExited, and the
 * transition. Errors go to step_error.
 */
void		step_finish(step_ctx *c, json_object *result, bool select, json_object *assign_input);

/*
 * The end of a state whose output is its effective input (Choice, Wait,
 * Succeed): Assign tpl with $ = effective, OutputPath, the quota, the exited
 * event (into after_events for a Wait), then kind with next.
 */
void		step_pass_through(step_ctx *c, json_object *effective, const asl_template *tpl,
							  asl_outcome_kind kind, const char *next);

/*
 * Sets the outcome: kind, next, output and variables (references taken),
 * and the <Type>StateExited event with the values assigned (borrowed).
 */
void		step_transition(step_ctx *c, asl_outcome_kind kind, const char *next,
							json_object *output, json_object *vars, json_object *assigned);

/*
 * Assigns values (an object, taken) over the variables of state entry, in
 * either query language: *vars becomes the new variables, *assigned the
 * values. False (values put) when they are no object, exceed the payload
 * quota, or memory runs out.
 */
bool		step_assign_values(step_ctx *c, json_object *values, json_object **vars,
							   json_object **assigned, asl_error *err);

/* A state whose QueryLanguage is JSONata (step_jsonata.c). */
void		step_jsonata(step_ctx *c);

/* An evaluation error of a JSONata state: located, then Retry/Catch. */
void		step_jsonata_error(step_ctx *c, asl_error *err);

/*
 * A States.QueryEvaluationError of a JSONata state (others untouched):
 * located as AWS words it, and recorded as AWS's EvaluationFailed event
 * (error, cause, location, state) before whatever follows.
 */
void		step_jsonata_evaluation_failed(step_ctx *c, asl_error *err);

/* A JSONata Task's or Parallel's start (step_jsonata_task.c). */
void		step_jsonata_task(step_ctx *c, json_object *bindings);
void		step_jsonata_parallel(step_ctx *c, json_object *bindings);

/* Catcher i of a JSONata state took err: Assign and Output with $states.errorOutput. */
void		step_jsonata_catch(step_ctx *c, size_t i, asl_error *err, json_object *error_output);

/* Both languages' last act of a catch (step_flow.c): the transition, err into the outcome. */
void		step_catch_taken(step_ctx *c, size_t i, asl_error *err, json_object *output,
							 json_object *vars, json_object *assigned);

/* errorDetails of TestState's inspectionData (backoff < 0: none). */
void		step_inspect_error(step_ctx *c, const char *key, int64_t index, double backoff);

/* A JSONata Map's end: Assign and Output (default: the result) with $states.result. */
void		step_jsonata_finish(step_ctx *c, json_object *result);

/* A JSONata Map's start (step_jsonata_map.c). */
void		step_jsonata_map(step_ctx *c, json_object *bindings);

/* A JSONata Map's ToleratedFailureCount/Percentage, evaluated against its input. */
bool		step_jsonata_tolerance(step_ctx *c, asl_branches *b, asl_error *err);

/*
 * Branches of Parallel and Map (step_branches.c): allocate n, set branch i
 * (input's reference taken), start them (the outcome becomes BRANCHES), or
 * drop what a failing step filled.
 */
bool		step_alloc_branches(step_ctx *c, size_t n, asl_error *err);
bool		step_set_branch(step_ctx *c, size_t i, const asl_graph *g, json_object *input, asl_error *err);
void		step_start_branches(step_ctx *c, bool is_map);
void		step_drop_branches(asl_branches *b);

/* false (err set) when a Map has ItemReader, ItemBatcher or ResultWriter, which booking does not run */
bool		step_map_sources_supported(step_ctx *c, asl_error *err);

/* InputPath on the raw input; false (outcome set) on error. */
bool		step_input(step_ctx *c, json_object **effective);

/*
 * Task and Parallel: Parameters applied to the effective input (which it
 * is without Parameters), shown as afterParameters, held to the payload
 * quota. False with err set.
 */
bool		step_parameters(step_ctx *c, json_object *effective, json_object **params,
							asl_error *err);

/*
 * A whole number of at least min from a literal or a reference path into
 * input (States.Runtime otherwise). Absent: *out = 0.
 */
bool		step_resolve_count(step_ctx *c, const asl_num_or_path *v, const char *field,
							   json_object *input, int64_t min, int64_t *out, asl_error *err);

/* Records a history event "<Type><suffix>" (details' reference is taken). */
void		step_event(step_ctx *c, const char *suffix, json_object *details);

/* Records a history event of the type given ("EvaluationFailed"). */
void		step_event_typed(step_ctx *c, const char *type, json_object *details);

/* env.inspect: inspectionData[key] = value (a reference is taken). */
void		step_inspect(step_ctx *c, const char *key, json_object *value);

/* The state types (step_states.c, step_task.c, step_branches.c). */
void		step_pass(step_ctx *c);
void		step_choice(step_ctx *c);
void		step_wait(step_ctx *c);
void		step_succeed(step_ctx *c);
void		step_fail_state(step_ctx *c);
void		step_task(step_ctx *c);
void		step_parallel(step_ctx *c);
void		step_map(step_ctx *c);

#endif

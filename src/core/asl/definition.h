/*
 * definition.h — a compiled ASL state machine.
 *
 * asl_machine_compile() validates a whole definition, recording every problem
 * (see diag.h), and returns the compiled form the interpreter runs. State
 * names are unique across the whole machine (branches and Map processors
 * included), so a state is found by name alone: that name is what the host
 * persists as an execution's position.
 */
#ifndef ASL_DEFINITION_H
#define ASL_DEFINITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "diag.h"
#include "path.h"
#include "intrinsic.h"
#include "template.h"
#include "timestamp.h"

#define ASL_MAX_STATE_NAME 80	/* AWS: state names are at most 80 characters */

typedef enum asl_state_type
{
	ASL_STATE_TASK,
	ASL_STATE_PASS,
	ASL_STATE_CHOICE,
	ASL_STATE_WAIT,
	ASL_STATE_SUCCEED,
	ASL_STATE_FAIL,
	ASL_STATE_PARALLEL,
	ASL_STATE_MAP
} asl_state_type;

typedef struct asl_state asl_state;
typedef struct asl_graph asl_graph;

/* An optional path field: absent, JSON null, or a compiled path. */
typedef struct asl_opt_path
{
	bool		present;		/* the field was given */
	bool		is_null;		/* given as JSON null (discard / empty input) */
	asl_path   *path;			/* when present and not null */
} asl_opt_path;

/* A number that is given either literally or through a reference path. */
typedef struct asl_num_or_path
{
	bool		present;
	double		value;			/* literal value when path == NULL */
	asl_path   *path;			/* the ...Path variant */
} asl_num_or_path;

typedef struct asl_retrier
{
	char	  **errors;			/* ErrorEquals */
	size_t		n_errors;
	double		interval_seconds;	/* default 1 */
	int			max_attempts;	/* default 3; 0 = never retry */
	double		backoff_rate;	/* default 2.0 */
	double		max_delay_seconds;	/* 0 = no cap */
	bool		jitter_full;	/* JitterStrategy FULL */
} asl_retrier;

typedef struct asl_catcher
{
	char	  **errors;
	size_t		n_errors;
	const asl_state *next;
	char	   *next_name;
	asl_opt_path result_path;	/* default "$" */
	asl_template *assign;

	/*
	 * a JSONata state's catcher: Output (default: the Error Output) and
	 * Assign
	 */
	struct asl_jvalue *j_output;
	struct asl_jvalue *j_assign;
} asl_catcher;

/* ---- Choice rules ---- */

typedef enum asl_rule_kind
{
	ASL_RULE_AND,
	ASL_RULE_OR,
	ASL_RULE_NOT,
	ASL_RULE_COMPARE,			/* String/Numeric/Boolean/Timestamp
								 * comparisons */
	ASL_RULE_TEST				/* IsNull, IsPresent, IsNumeric, ... */
} asl_rule_kind;

typedef enum asl_value_type
{
	ASL_VT_STRING,
	ASL_VT_NUMERIC,
	ASL_VT_BOOLEAN,
	ASL_VT_TIMESTAMP
} asl_value_type;

typedef enum asl_relation
{
	ASL_REL_EQ,
	ASL_REL_LT,
	ASL_REL_GT,
	ASL_REL_LE,
	ASL_REL_GE,
	ASL_REL_MATCHES				/* StringMatches */
} asl_relation;

typedef enum asl_type_test
{
	ASL_TEST_NULL,
	ASL_TEST_PRESENT,
	ASL_TEST_NUMERIC,
	ASL_TEST_STRING,
	ASL_TEST_BOOLEAN,
	ASL_TEST_TIMESTAMP
} asl_type_test;

typedef struct asl_choice_rule
{
	asl_rule_kind kind;
	asl_path   *variable;		/* COMPARE and TEST */
	/* COMPARE */
	asl_value_type value_type;
	asl_relation relation;
	json_object *operand;		/* literal operand, or NULL when operand_path */
	asl_path   *operand_path;	/* the ...Path variant */
	asl_time	operand_time;	/* literal Timestamp* operand, parsed */
	/* TEST */
	asl_type_test test;
	bool		test_expected;	/* the boolean given to Is* */
	/* AND / OR / NOT */
	struct asl_choice_rule *children;
	size_t		n_children;
	/* top-level rules only */
	const asl_state *next;
	char	   *next_name;
	asl_template *assign;
	/* JSONata rules: Condition, and the rule's own Output and Assign */
	struct asl_jvalue *condition;
	struct asl_jvalue *j_output;
	struct asl_jvalue *j_assign;
} asl_choice_rule;

/* ---- Task resources ---- */

typedef enum asl_resource_kind
{
	ASL_RES_DYNAMODB,			/* arn:aws:states:::dynamodb:ACTION */
	ASL_RES_LAMBDA_INVOKE,		/* arn:aws:states:::lambda:invoke */
	ASL_RES_LAMBDA_FUNCTION,	/* arn:aws:lambda:REGION:ACCOUNT:function:NAME */
	ASL_RES_ACTIVITY			/* arn:aws:states:REGION:ACCOUNT:activity:NAME */
} asl_resource_kind;

typedef enum asl_integration_pattern
{
	ASL_PATTERN_REQUEST_RESPONSE,
	ASL_PATTERN_SYNC,			/* .sync */
	ASL_PATTERN_WAIT_FOR_TOKEN	/* .waitForTaskToken */
} asl_integration_pattern;

typedef struct asl_resource
{
	asl_resource_kind kind;
	asl_integration_pattern pattern;
	char	   *arn;			/* the Resource string as written */
	char	   *action;			/* dynamodb:
								 * getItem/putItem/updateItem/deleteItem;
								 * lambda: invoke */
	char	   *name;			/* function or activity name */
	char	   *qualifier;		/* lambda function: alias or version after the
								 * name, else NULL */
} asl_resource;

/* ---- States ---- */

typedef struct asl_map_config
{
	asl_graph  *processor;		/* ItemProcessor or Iterator */
	bool		distributed;	/* ProcessorConfig.Mode == DISTRIBUTED */
	bool		express;		/* ProcessorConfig.ExecutionType == EXPRESS */
	asl_opt_path items_path;	/* default "$" */
	asl_template *item_selector;	/* ItemSelector, or the older Parameters */
	asl_num_or_path max_concurrency;	/* 0 = unlimited */
	asl_num_or_path tolerated_failure_count;
	asl_num_or_path tolerated_failure_percentage;
	json_object *item_reader;	/* kept as given; validated */
	json_object *item_batcher;
	json_object *result_writer;
	char	   *label;
} asl_map_config;

struct asl_state
{
	char	   *name;
	asl_state_type type;
	char	   *pointer;		/* JSON pointer of the state in the definition */
	const asl_graph *graph;		/* the graph that holds this state */
	size_t		index;			/* position in graph->states */

	/* transition */
	bool		end;
	const asl_state *next;
	char	   *next_name;

	/* data flow */
	asl_opt_path input_path;	/* default "$" */
	asl_opt_path output_path;	/* default "$" */
	asl_opt_path result_path;	/* default "$" */
	asl_template *parameters;
	asl_template *result_selector;
	json_object *result;		/* Pass: Result (owned reference), NULL when
								 * absent */
	bool		has_result;		/* Pass: Result given (it may be JSON null) */
	asl_template *assign;

	/* errors */
	asl_retrier *retriers;
	size_t		n_retriers;
	asl_catcher *catchers;
	size_t		n_catchers;

	/* Task */
	asl_resource resource;
	asl_num_or_path timeout_seconds;
	asl_num_or_path heartbeat_seconds;
	json_object *credentials;

	/* Choice */
	asl_choice_rule *choices;
	size_t		n_choices;
	const asl_state *default_state;
	char	   *default_name;

	/* Wait: exactly one of these */
	bool		has_seconds;
	int64_t		seconds;
	bool		has_timestamp;
	asl_time	timestamp;
	asl_path   *seconds_path;
	asl_path   *timestamp_path;

	/* Fail */
	char	   *error;
	asl_path   *error_path;		/* ErrorPath: a reference path or intrinsic */
	asl_intrinsic *error_fn;
	char	   *cause;
	asl_path   *cause_path;
	asl_intrinsic *cause_fn;

	/* Parallel */
	asl_graph **branches;
	size_t		n_branches;

	/* Map */
	asl_map_config map;

	/* JSONata states (QueryLanguage JSONata): expressions compiled once */
	bool		jsonata;
	struct asl_jvalue *j_arguments; /* Arguments */
	struct asl_jvalue *j_output;	/* Output */
	struct asl_jvalue *j_assign;	/* Assign */
	struct asl_jvalue *j_seconds;	/* Wait Seconds */
	struct asl_jvalue *j_timestamp; /* Wait Timestamp */
	struct asl_jvalue *j_error; /* Fail Error */
	struct asl_jvalue *j_cause; /* Fail Cause */
	struct asl_jvalue *j_timeout;	/* Task TimeoutSeconds */
	struct asl_jvalue *j_heartbeat; /* Task HeartbeatSeconds */
	struct asl_jvalue *j_items; /* Map Items */
	struct asl_jvalue *j_item_selector; /* Map ItemSelector */
	struct asl_jvalue *j_max_concurrency;	/* Map MaxConcurrency */
	struct asl_jvalue *j_tolerated_count;	/* Map ToleratedFailureCount */
	struct asl_jvalue *j_tolerated_percentage;	/* Map
												 * ToleratedFailurePercentage */
};

struct asl_graph
{
	asl_state **states;			/* in definition order */
	size_t		n_states;
	const asl_state *start;
	char	   *start_name;		/* StartAt as written */
	const asl_state *owner;		/* the Parallel/Map state, NULL for the top
								 * level */
	char	   *pointer;		/* JSON pointer of this graph's object */
};

typedef struct asl_machine
{
	asl_graph  *root;
	asl_state **by_name;		/* every state in the machine, sorted by name */
	size_t		n_all;
	char	   *comment;
	char	   *version;
	int64_t		timeout_seconds;	/* 0 = none */
} asl_machine;

/*
 * Validates and compiles. Problems (errors and warnings) are appended to
 * diags; returns NULL when there was at least one error.
 * The definition is borrowed: the machine keeps references it needs.
 */
asl_machine *asl_machine_compile(json_object *definition, asl_diags *diags);
void		asl_machine_free(asl_machine *machine);

/*
 * An EXPRESS machine's problems (express.c): .sync, .waitForTaskToken and
 * activity tasks, each an error at its Resource.
 */
void		asl_check_express(const asl_machine *machine, asl_diags *diags);

/* A state by name anywhere in the machine, or NULL. */
const asl_state *asl_machine_find(const asl_machine *machine, const char *name);

const char *asl_state_type_name(asl_state_type type);

#endif

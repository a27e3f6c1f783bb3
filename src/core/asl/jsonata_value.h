/*
 * jsonata_value.h — a JSON value of a JSONata state (Arguments, Output,
 * Assign, Condition, ...) whose strings "{% expr %}" are JSONata
 * expressions, at any depth. Compiled once with the definition; evaluated
 * against bindings ($states and the workflow variables).
 */
#ifndef ASL_JSONATA_VALUE_H
#define ASL_JSONATA_VALUE_H

#include <stdbool.h>
#include <json-c/json.h>

#include "diag.h"
#include "error.h"

typedef struct asl_jvalue asl_jvalue;

/*
 * Compiles v (borrowed; literal parts are referenced). field names the value
 * in error causes ("Output", "Assign"); pointer locates it in the definition
 * for syntax errors, which are reported to diags (NULL returned).
 */
asl_jvalue *asl_jvalue_compile(json_object *v, const char *field, const char *pointer,
							   asl_diags *diags);
void		asl_jvalue_free(asl_jvalue *v);

/*
 * The value with every expression replaced by its result. bindings is an
 * object of variables ("states" is $states). An expression that fails or
 * returns nothing is States.QueryEvaluationError in AWS's words (the cause
 * not yet located in a state).
 */
bool		asl_jvalue_eval(const asl_jvalue *v, json_object *bindings, json_object **out,
							asl_error *err);

/*
 * The guard of the evaluations that follow on this thread: cancel is polled
 * during long evaluations (NULL: never). Set by the step before it evaluates.
 */
void		asl_jsonata_set_cancel(bool (*cancel) (void *arg), void *arg);

/* The expression as AWS quotes it when v is one "{% %}" string, else NULL. */
const char *asl_jvalue_text(const asl_jvalue *v);

/* A JSON type as AWS names it in "Expected 'array', but was 'number'". */
const char *asl_jsonata_type_name(json_object *v);

/* The bindings of a JSONata state: variables plus $states {input, context, ...}. */
json_object *asl_jsonata_bindings(json_object *variables, json_object *input,
								  json_object *context);

#endif

/*
 * task_lambda.h — Lambda-style tasks call SQL functions NAME(jsonb) → jsonb.
 *
 *   arn:aws:states:::lambda:invoke   Parameters {FunctionName, Payload,
 *                                    InvocationType, Qualifier}; the result
 *                                    is Lambda's response: {ExecutedVersion,
 *                                    Payload, StatusCode}
 *   arn:aws:lambda:R:A:function:NAME the effective input is the argument;
 *                                    the function's result is the output
 *
 * NAME is an exact identifier, optionally schema-qualified (schema.name);
 * unqualified names follow the task's search_path. A FunctionName may also
 * be a function ARN or a partial ARN, as Lambda's.
 */
#ifndef BOOKING_TASK_LAMBDA_H
#define BOOKING_TASK_LAMBDA_H

#include "postgres.h"

#include "jsonc.h"
#include "core/asl/definition.h"
#include "core/error.h"

/*
 * Runs the call (inside the caller's subtransaction and role). True with
 * *output (a reference the caller takes); false with err set when the
 * request can't be made (no such function, bad parameters). SQL errors
 * raised by the function propagate.
 */
bool		booking_task_lambda(const asl_resource *res, json_object *input,
								json_object **output, asl_error *err);

#endif

/*
 * retry.h — which errors a retrier or catcher handles, and how long a retry
 * waits.
 */
#ifndef ASL_RETRY_H
#define ASL_RETRY_H

#include <stdbool.h>
#include <stddef.h>

#include "definition.h"

/*
 * True when an ErrorEquals list handles error, with AWS's wildcards:
 * - States.Runtime is never handled, not even when named ("A States.Runtime
 *   error isn't retriable, and will always cause the execution to fail");
 * - States.ALL handles everything except States.DataLimitExceeded ("a
 *   terminal error that can't be caught by the States.ALL error type");
 * - States.TaskFailed "acts as a wildcard that matches any known error name
 *   except for States.Timeout" (nor the terminal States.DataLimitExceeded);
 * - any other name matches itself, case-sensitively.
 * (AWS Step Functions Developer Guide, "Handling errors in Step Functions
 * workflows", concepts-error-handling.)
 */
bool		asl_error_equals(char *const *names, size_t n, const char *error);

/*
 * Seconds before retry number attempt + 1 of r (attempt counts the retries
 * r already made): IntervalSeconds * BackoffRate^attempt, capped by
 * MaxDelaySeconds when given; with JitterStrategy FULL, scaled by random
 * (uniform in [0, 1)), i.e. a delay drawn from [0, that).
 */
double		asl_retry_delay(const asl_retrier *r, int64_t attempt, double random);

#endif

/*
 * retry.c — error matching for Retry and Catch, and back-off arithmetic.
 */
#include "retry.h"

#include <math.h>
#include <string.h>

#include "error.h"

/* Longest back-off we compute: keeps microsecond arithmetic far from overflow. */
#define MAX_DELAY_SECONDS 1.0e12

bool
asl_error_equals(char *const *names, size_t n, const char *error)
{
	bool		terminal;

	if (error == NULL || strcmp(error, ASL_ERR_RUNTIME) == 0)
		return false;
	terminal = strcmp(error, ASL_ERR_DATA_LIMIT) == 0;
	for (size_t i = 0; i < n; i++)
	{
		if (strcmp(names[i], error) == 0)
			return true;
		if (terminal)
			continue;
		if (strcmp(names[i], ASL_ERR_ALL) == 0)
			return true;
		if (strcmp(names[i], ASL_ERR_TASK_FAILED) == 0 && strcmp(error, ASL_ERR_TIMEOUT) != 0)
			return true;
	}
	return false;
}

double
asl_retry_delay(const asl_retrier *r, int64_t attempt, double random)
{
	double		delay = r->interval_seconds * pow(r->backoff_rate, (double) attempt);

	if (!isfinite(delay) || delay > MAX_DELAY_SECONDS)
		delay = MAX_DELAY_SECONDS;
	if (delay < 0)
		delay = 0;
	if (r->max_delay_seconds > 0 && delay > r->max_delay_seconds)
		delay = r->max_delay_seconds;
	if (r->jitter_full)
	{
		if (!(random >= 0.0 && random < 1.0))
			random = 0.0;
		delay *= random;
	}
	return delay;
}

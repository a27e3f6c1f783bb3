/*
 * error.h — ASL runtime errors carried as values.
 *
 * The core never longjmps: every operation that can fail at run time fills
 * an asl_error with the ASL error name (e.g. "States.Runtime") and a cause,
 * and returns a failure code. The host turns these into history events or,
 * for API misuse, into ereport(ERROR).
 */
#ifndef ASL_ERROR_H
#define ASL_ERROR_H

#include <stdbool.h>

typedef struct asl_error
{
	char	   *name;			/* malloc'd ASL error name, NULL when none */
	char	   *cause;			/* malloc'd human-readable cause */
} asl_error;

/* Well-known error names (ASL spec, "Errors"). */
#define ASL_ERR_ALL					"States.ALL"
#define ASL_ERR_HEARTBEAT_TIMEOUT	"States.HeartbeatTimeout"
#define ASL_ERR_TIMEOUT				"States.Timeout"
#define ASL_ERR_TASK_FAILED			"States.TaskFailed"
#define ASL_ERR_PERMISSIONS			"States.Permissions"
#define ASL_ERR_RESULT_PATH_MATCH	"States.ResultPathMatchFailure"
#define ASL_ERR_PARAMETER_PATH		"States.ParameterPathFailure"
#define ASL_ERR_BRANCH_FAILED		"States.BranchFailed"
#define ASL_ERR_NO_CHOICE_MATCHED	"States.NoChoiceMatched"
#define ASL_ERR_INTRINSIC_FAILURE	"States.IntrinsicFailure"
#define ASL_ERR_EXCEED_TOLERATED	"States.ExceedToleratedFailureThreshold"
#define ASL_ERR_ITEM_READER_FAILED	"States.ItemReaderFailed"
#define ASL_ERR_RESULT_WRITER_FAILED "States.ResultWriterFailed"
#define ASL_ERR_RUNTIME				"States.Runtime"
#define ASL_ERR_DATA_LIMIT			"States.DataLimitExceeded"
#define ASL_ERR_QUERY_EVAL			"States.QueryEvaluationError"

/* Sets name and a printf-formatted cause; replaces any previous content. Returns -1. */
int			asl_error_set(asl_error *err, const char *name, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
void		asl_error_clear(asl_error *err);
bool		asl_error_is_set(const asl_error *err);

#endif

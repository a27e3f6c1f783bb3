/*
 * status_notify.c — status changes on channel booking_execution. See
 * status_notify.h.
 *
 * PostgreSQL keeps notifications in one queue (8 GB) until every listening
 * session has read them; a session that LISTENs and then stays in a
 * transaction, or whose client stopped reading, holds them all. Once the queue
 * is full, every transaction that notifies fails at its commit: booking's
 * starts, ticks and stops would fail with it, and timers stop firing, because
 * of a listener somewhere in the cluster. So booking drops its own
 * notifications while the queue is booking.notify_queue_limit full (default
 * half, where PostgreSQL starts warning), and says so.
 */
#include "postgres.h"

#include "commands/async.h"
#include "lib/stringinfo.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "booking.h"
#include "jsonc_bridge.h"
#include "status_notify.h"

/* A WARNING at most this often per backend while notifications are dropped. */
#define DROPPED_WARN_INTERVAL_MS 10000

/*
 * The queue's usage is looked at again after this long: it fills over hours,
 * and pg_notification_queue_usage takes the queue's locks exclusively (it
 * advances the queue's tail first), as a notifying commit does.
 */
#define USAGE_TTL_MS 1000

double		booking_notify_queue_limit = 0.5;

/* Whether the queue is too full for booking's notifications. */
static bool
queue_too_full(void)
{
	static double usage = 0;
	static TimestampTz looked_at = 0;
	static TimestampTz warned_at = 0;
	TimestampTz now = GetCurrentTimestamp();

	if (TimestampDifferenceExceeds(looked_at, now, USAGE_TTL_MS))
	{
		LOCAL_FCINFO(fcinfo, 0);

		InitFunctionCallInfoData(*fcinfo, NULL, 0, InvalidOid, NULL, NULL);
		usage = DatumGetFloat8(pg_notification_queue_usage(fcinfo));
		looked_at = now;
	}
	if (usage < booking_notify_queue_limit)
		return false;
	if (TimestampDifferenceExceeds(warned_at, now, DROPPED_WARN_INTERVAL_MS))
	{
		warned_at = now;
		ereport(WARNING,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("booking does not notify booking_execution: the NOTIFY queue is %.0f%% full",
						usage * 100),
				 errdetail("booking.notify_queue_limit is %.0f%%. A session that LISTENs and stays in a "
						   "transaction, or whose client does not read, holds the queue; when it is full, "
						   "every transaction that notifies fails at commit.",
						   booking_notify_queue_limit * 100),
				 errhint("Find the listener in pg_stat_activity (pg_listening_channels() in its session) "
						 "and end its transaction or its connection.")));
	}
	return true;
}

void
booking_notify_status(const char *arn, const char *status)
{
	StringInfoData payload;

	if (!booking_notify || queue_too_full())
		return;

	/*
	 * written as jsonb's text would be (its key order), without building a
	 * jsonb first
	 */
	initStringInfo(&payload);
	appendStringInfoString(&payload, "{\"status\": ");
	booking_append_json_string(&payload, status, strlen(status));
	appendStringInfoString(&payload, ", \"executionArn\": ");
	booking_append_json_string(&payload, arn, strlen(arn));
	appendStringInfoChar(&payload, '}');
	/* delivered at commit; nothing if the caller rolls back */
	Async_Notify("booking_execution", payload.data);
	pfree(payload.data);
}

/*
 * status_notify.h — an execution's new status NOTIFYs channel booking_execution
 * (delivered at commit) when booking.notify is on, unless the NOTIFY queue is
 * booking.notify_queue_limit full.
 */
#ifndef BOOKING_STATUS_NOTIFY_H
#define BOOKING_STATUS_NOTIFY_H

extern double booking_notify_queue_limit;

/* Queues {"status": STATUS, "executionArn": ARN} on booking_execution. */
void		booking_notify_status(const char *arn, const char *status);

#endif

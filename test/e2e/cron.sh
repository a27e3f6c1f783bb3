#!/usr/bin/env bash
# test/e2e/cron.sh — without the timer workers, pg_cron fires the timers and
# starts workflows (docs/scheduling.md).
#
# A private cluster (port 54364) with booking.workers = 0: nothing but pg_cron
# ticks. Debian's pg_cron 1.4.2 schedules by the minute, so the recipe is
#
#   SELECT cron.schedule('booking-tick', '* * * * *', 'CALL booking.tick_for(59)');
#
# and a DBA schedules a workflow's starts with a cron expression, named per
# minute so a start is never doubled:
#
#   SELECT cron.schedule('report', '* * * * *',
#     $$SELECT booking.sfn_start('report', '{}', 'report-' || to_char(now(), 'YYYYMMDDHH24MI'))$$);
#
# Checks, within about a minute and a half (the next minute boundary plus a few
# seconds): executions parked before the cron tick started all finish; the
# scheduled start ran and its execution finished; while tick_for runs, a new
# timer fires within seconds (it ticks in a loop and commits between ticks);
# the purge job docs/operations.md gives (CALL booking.purge_for(60)) deleted
# the executions that ended 100 days ago and nothing else; pg_cron records
# the start and purge jobs succeeded and the tick job running.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/own_cluster_test.sh"
E2E_DB=postgres		# pg_cron lives in cron.database_name = postgres
DIR=${CRON_DIR:-/tmp/booking-e2e-cron${BOOKING_TEST_TAG:-}}
PORT=${CRON_PORT:-$((54364 + ${BOOKING_PORT_OFFSET:-0}))}

own_test_start "$DIR" "$PORT" booking.workers=0

# what pg_cron did, when a wait fails
wait_for_details() { q -c 'SELECT jobid, status, return_message FROM cron.job_run_details' 2>&1; }

q -c "CREATE EXTENSION pg_cron" -c "CREATE EXTENSION booking" >/dev/null && create_app_role \
	&& q -c "GRANT USAGE ON SCHEMA cron TO $E2E_APP" >/dev/null || fail "creating the extensions and the application role"
qa >/dev/null <<'SQL' || fail "creating the state machines"
SELECT booking.sfn_create_state_machine('hold', '{
  "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "TimestampPath": "$.due", "Next": "Expired"},
    "Expired": {"Type": "Pass", "Result": "expired", "ResultPath": "$.state", "End": true}
  }
}');
SELECT booking.sfn_create_state_machine('report', '{
  "StartAt": "Settle",
  "States": {
    "Settle": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
    "Done": {"Type": "Pass", "Result": "reported", "End": true}
  }
}');
SQL
create_due_in || fail "creating due_in"
[ "$(q -c 'SELECT count(*) FROM booking.timer_workers()')" = 0 ] || fail "booking.workers = 0 still started workers"
pass "booking.workers = 0: no timer worker"

qa -c "SELECT count(booking.sfn_start('hold', jsonb_build_object('due', due_in(i * 0.1)), 'early-' || i)) FROM generate_series(1, 20) i" >/dev/null
sleep 2.5
[ "$(q -c "SELECT count(*) FROM booking.executions WHERE name LIKE 'early-%' AND status = 'RUNNING'")" = 20 ] \
	|| fail "timers fired before pg_cron ran anything"
pass "20 timers due within 2 s stay parked: without workers nothing ticks"

# executions that ended 100 days ago, past booking.execution_retention (90 days)
q >/dev/null <<'SQL' || fail "ending executions 100 days ago"
SELECT booking.sfn_create_state_machine('quick', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}', role => 'postgres');
SELECT count(booking.sfn_start('quick', '{}', 'old-' || i)) FROM generate_series(1, 5) i;
UPDATE booking.executions SET stop_date = now() - interval '100 days' WHERE name LIKE 'old-%' AND status = 'SUCCEEDED';
SQL
[ "$(q -c "SELECT count(*) FROM booking.executions WHERE name LIKE 'old-%' AND stop_date < now() - interval '99 days'")" = 5 ] \
	|| fail "the five old executions are not there"

# the DBA schedules the tick and the purge (docs/operations.md); the
# application schedules its start (the job runs as its role)
q >/dev/null <<'SQL' || fail "scheduling the tick and the purge"
SELECT cron.schedule('booking-tick', '* * * * *', 'CALL booking.tick_for(59)');
SELECT cron.schedule('booking-purge', '* * * * *', 'CALL booking.purge_for(60)');
SQL
qa >/dev/null <<'SQL' || fail "scheduling the start"
SELECT cron.schedule('report', '* * * * *',
  $$SELECT booking.sfn_start('report', '{}', 'report-' || to_char(now(), 'YYYYMMDDHH24MI'))$$);
SQL

wait_for "pg_cron's tick fires the parked timers" \
	"SELECT count(*) = 20 FROM booking.executions WHERE name LIKE 'early-%' AND status = 'SUCCEEDED'" 75
pass "pg_cron's CALL booking.tick_for(59) fired the 20 parked timers"
wait_for "the scheduled start ran and its execution finished" \
	"SELECT count(*) >= 1 AND bool_and(status = 'SUCCEEDED' AND output = '\"reported\"') FROM booking.executions WHERE name LIKE 'report-%'" 15
pass "a cron-scheduled start (named per minute) ran and its execution finished"

# the procedure goes on ticking, committing between ticks: a new timer fires soon
qa -c "SELECT booking.sfn_start('hold', jsonb_build_object('due', due_in(0.5)), 'while-ticking')" >/dev/null
wait_for "a timer created while tick_for runs fires" \
	"SELECT status = 'SUCCEEDED' FROM booking.executions WHERE name = 'while-ticking'" 10
pass "a timer created while tick_for runs fires within seconds (it ticks in a loop, committing)"

wait_for "pg_cron's purge deletes the executions that ended 100 days ago" \
	"SELECT count(*) = 0 FROM booking.executions WHERE name LIKE 'old-%'" 15
[ "$(q -c "SELECT count(*) FROM booking.executions WHERE name NOT LIKE 'old-%' AND status <> 'RUNNING'")" -ge 21 ] \
	|| fail "the purge took recent executions too"
pass "pg_cron's CALL booking.purge_for(60) deleted the five executions past retention, and only those"

runs=$(q -c "SELECT string_agg(j.jobname || ':' || d.status, ',' ORDER BY j.jobname)
               FROM cron.job j JOIN cron.job_run_details d USING (jobid)")
[[ $runs == *"booking-tick:running"* && $runs == *"report:succeeded"* && $runs == *"booking-purge:succeeded"* ]] \
	|| fail "cron.job_run_details: $runs (expected the tick running, the start and the purge succeeded)"
pass "cron.job_run_details: booking-tick running, report and booking-purge succeeded"
q -c "SELECT cron.unschedule('booking-tick')" -c "SELECT cron.unschedule('booking-purge')" >/dev/null
qa -c "SELECT cron.unschedule('report')" >/dev/null
echo "cron: all checks passed"

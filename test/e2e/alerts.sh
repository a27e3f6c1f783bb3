#!/usr/bin/env bash
# test/e2e/alerts.sh — the alerting queries of docs/operations.md ("### Alerts")
# return nothing while booking is healthy and rows once what each one watches
# goes wrong. The queries are read from the document itself, so a query
# changed there is the query tested here.
#
# A private cluster, its timer worker serving booking_e2e_alerts (looking at
# its table every 2 s at most: a timer made due by hand is seen); a second
# database, booking_e2e_alerts_idle, has booking too but no worker (what a
# database looks like when its worker is down).
#
#  1. Healthy: executions ran and ended, one is parked on a far timer, the
#     worker ticks: every alert returns no row.
#  2. Broken, one thing each: a timer overdue by a minute that no worker fires
#     (the idle database); eleven failed executions in the last hour; a task
#     token open for two days; an execution ended 100 days ago and not purged
#     (the idle database); the worker's rounds failing (booking.history
#     renamed under it); a database named in booking.database whose worker
#     could not start (max_worker_processes too small, after a restart); the
#     NOTIFY queue's limit at 0 (the queue itself can't be filled here).
#     Each alert then returns a row naming what is wrong.
#  3. The metrics the document lists and its Prometheus rules use are those
#     of booking.metrics, no more, no fewer.
# Not provoked: "a worker is stuck" (more than 120 s without a round) and a
# history past 50 GB; their queries run in step 1 all the same.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/lib/own_cluster_test.sh"
E2E_DB=booking_e2e_alerts
IDLE_DB=booking_e2e_alerts_idle
DIR=/tmp/booking-e2e-alerts${BOOKING_TEST_TAG:-}
PORT=$((54387 + ${BOOKING_PORT_OFFSET:-0}))
DOC=$ROOT/docs/operations.md

own_test_start "$DIR" "$PORT" booking.database=$E2E_DB booking.workers=1 booking.worker_max_sleep=2
psql -X -q -d postgres -c "CREATE DATABASE $IDLE_DB" || fail "creating $IDLE_DB"
for db in "$E2E_DB" "$IDLE_DB"; do
	E2E_DB=$db q >/dev/null <<'SQL' || fail "$db: the extension and the state machines"
CREATE EXTENSION booking;
SELECT booking.sfn_create_state_machine('hold', '{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}', role => 'postgres');
SELECT booking.sfn_create_state_machine('quick', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}', role => 'postgres');
SELECT booking.sfn_create_state_machine('broken', '{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Broken"}}}', role => 'postgres');
CREATE FUNCTION keep(payload jsonb) RETURNS jsonb LANGUAGE sql AS 'SELECT ''{}''::jsonb';
SELECT booking.sfn_create_state_machine('ask', '{"StartAt": "A", "States": {"A": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
  "Parameters": {"FunctionName": "keep", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}}', role => 'postgres');
SELECT count(booking.sfn_start('quick', '{}', 'quick-' || i)) FROM generate_series(1, 5) i;
SELECT booking.sfn_start('hold', '{}', 'hold-1');
SELECT booking.sfn_start('ask', '{}', 'ask-1');
SELECT count(booking.sfn_start('broken', '{}', 'broken-' || i)) FROM generate_series(1, 3) i;
SQL
done

# the alerts: alert N's SQL in $E2E_WORK/alert-N.sql, its title in ALERTS[N]
ALERTS=()
awk -v dir="$E2E_WORK" '
	/^### Alerts/ { on = 1; next }
	/^##/ && on { on = 0 }
	!on { next }
	/^\*\*[^*]+\*\*/ { title = $0; sub(/^\*\*/, "", title); sub(/\*\*.*/, "", title); sub(/[.:]$/, "", title); n++; print title > (dir "/titles"); next }
	/^```sql/ { sql = 1; next }
	/^```/ { sql = 0; next }
	sql && n { print >> (dir "/alert-" n ".sql") }
' "$DOC"
mapfile -t ALERTS <"$E2E_WORK/titles"
[ "${#ALERTS[@]}" -ge 7 ] || fail "docs/operations.md has ${#ALERTS[@]} alerts under '### Alerts', expected 7 or more: ${ALERTS[*]}"
for i in "${!ALERTS[@]}"; do
	[ -s "$E2E_WORK/alert-$((i + 1)).sql" ] || fail "the alert '${ALERTS[$i]}' has no SQL in docs/operations.md"
done
# alert TITLE DB: the rows its query returns in DB (an error fails the test)
alert() {
	local i
	for i in "${!ALERTS[@]}"; do
		if [ "${ALERTS[$i]}" = "$1" ]; then
			psql -X -q -At -v ON_ERROR_STOP=1 -d "$2" -f "$E2E_WORK/alert-$((i + 1)).sql" \
				|| fail "the alert '$1' fails in $2"
			return
		fi
	done
	fail "docs/operations.md has no alert '$1' (it has: ${ALERTS[*]})"
}

# ---- 1. healthy
wait_for "the worker has ticked" "SELECT count(*) = 1 FROM booking.monitor_workers WHERE rounds > 0 AND state <> 'standby'"
for i in "${!ALERTS[@]}"; do
	got=$(alert "${ALERTS[$i]}" "$E2E_DB")
	[ -z "$got" ] || fail "healthy, yet the alert '${ALERTS[$i]}' returns: $got"
done
pass "healthy: none of the ${#ALERTS[@]} alerts of docs/operations.md returns a row (${ALERTS[*]})"

# ---- 2. one thing wrong at a time
E2E_DB=$IDLE_DB q -c "UPDATE booking.executions SET due_at = now() - interval '1 minute' WHERE name = 'hold-1'" >/dev/null
got=$(alert "Timers are late" "$IDLE_DB")
[ "$(echo "$got" | cut -d'|' -f1)" = 1 ] && [ "$(echo "$got" | cut -d'|' -f2 | cut -d. -f1)" -ge 59 ] \
	|| fail "a timer a minute overdue in $IDLE_DB (no worker): 'Timers are late' returns '$got'"
pass "a timer a minute overdue with no worker to fire it: 'Timers are late' returns '$got'"

q -c "SELECT count(booking.sfn_start('broken', '{}', 'more-broken-' || i)) FROM generate_series(1, 8) i" >/dev/null
got=$(alert "Executions are failing" "$E2E_DB")
[ "$got" = "broken|11" ] || fail "11 failed executions in the last hour: 'Executions are failing' returns '$got'"
pass "eleven failed executions in the last hour: 'Executions are failing' returns '$got'"

q -c "UPDATE booking.task_tokens SET created = now() - interval '2 days'" >/dev/null
got=$(alert "Tokens nobody answers" "$E2E_DB")
[ "$(echo "$got" | cut -d'|' -f1,2)" = "arn:aws:states:local:000000000000:execution:ask:ask-1|A" ] \
	|| fail "a token open for two days: 'Tokens nobody answers' returns '$got'"
pass "a task token open for two days: 'Tokens nobody answers' names its execution"

E2E_DB=$IDLE_DB q -c "UPDATE booking.executions SET stop_date = now() - interval '100 days' WHERE name = 'quick-1'" >/dev/null
got=$(alert "History grows past what retention should keep" "$IDLE_DB")
[ "$got" = 1 ] || fail "an execution ended 100 days ago, not purged: 'History grows past what retention should keep' returns '$got'"
pass "an execution ended 100 days ago that no worker purged: 'History grows past what retention should keep' counts it"

# the queue itself can't be filled here (8 GB); the alert compares it with the setting
got=$(PGOPTIONS="-c booking.notify_queue_limit=0" alert "The NOTIFY queue is filling" "$E2E_DB")
[ "$(echo "$got" | cut -d'|' -f1)" = 0 ] || fail "booking.notify_queue_limit = 0: 'The NOTIFY queue is filling' returns '$got'"
pass "booking.notify_queue_limit = 0 (any usage is at the limit): 'The NOTIFY queue is filling' returns a row"

# the worker's rounds fail while booking.history is missing: a due timer
# makes its round write history
q -c "ALTER TABLE booking.history RENAME TO history_away" \
	-c "UPDATE booking.executions SET due_at = now() WHERE name = 'hold-1'" >/dev/null
wait_for "the worker counts an error" "SELECT errors > 0 FROM booking.monitor_workers"
got=$(alert "A worker keeps failing" "$E2E_DB")
echo "$got" | grep -q "|$E2E_DB|[1-9][0-9]*|.*history" || fail "the worker's rounds failing: 'A worker keeps failing' returns '$got'"
q -c "ALTER TABLE booking.history_away RENAME TO history" >/dev/null
wait_for "the worker fires the timer once history is back" "SELECT status = 'SUCCEEDED' FROM booking.executions WHERE name = 'hold-1'"
pass "the worker's rounds failing: 'A worker keeps failing' returns its error ($(echo "$got" | cut -d'|' -f5 | cut -c1-60)…)"

# a database named in booking.database whose worker could not start: the
# postmaster refuses background workers past max_worker_processes (the logical
# replication launcher, pg_cron's launcher and $E2E_DB's worker, registered
# first, fill 3)
cluster_stop "$DIR"
{ echo "booking.database = '$E2E_DB,$IDLE_DB'"; echo "max_worker_processes = 3"; } \
	| as_postgres tee -a "$DIR/data/booking.conf" >/dev/null
own_cluster_restart || fail "restarting with $IDLE_DB named and max_worker_processes = 3"
wait_for "$E2E_DB's worker is back" "SELECT count(*) = 1 FROM booking.monitor_workers WHERE database = '$E2E_DB'"
got=$(alert "A worker is missing" "$E2E_DB")
[ "$got" = "$IDLE_DB" ] || fail "$IDLE_DB named in booking.database without a worker: 'A worker is missing' returns '$got' (workers: $(q -c "SELECT string_agg(database, ',') FROM booking.monitor_workers"))"
pass "a database named in booking.database whose worker could not start: 'A worker is missing' names it"

# ---- 3. the metrics the document lists and its Prometheus rules name are booking.metrics' own
names=$(q -c "SELECT pg_get_viewdef('booking.metrics'::regclass)" | grep -o "'booking_[a-z_]*'" | tr -d "'" | sort -u)
documented=$(sed -n '/^Metrics: /,$p' "$DOC" | grep -o 'booking_[a-z_]*' | sort -u)
[ "$(echo "$names" | wc -l)" -ge 10 ] || fail "booking.metrics names only: $names"
unknown=$(comm -13 <(echo "$names") <(echo "$documented") | paste -sd' ' -)
undocumented=$(comm -23 <(echo "$names") <(echo "$documented") | paste -sd' ' -)
[ -z "$unknown" ] || fail "docs/operations.md names metrics booking.metrics does not have: $unknown"
[ -z "$undocumented" ] || fail "metrics of booking.metrics that docs/operations.md does not list: $undocumented"
pass "the metrics docs/operations.md lists and its Prometheus rules use are booking.metrics' $(echo "$names" | wc -l), no more, no fewer"
echo "alerts: all checks passed"

#!/usr/bin/env bash
# test/e2e/retention.sh — ended executions are purged after
# booking.execution_retention, with everything that belongs to them, and
# nothing else is.
#
# A private cluster, one timer worker. Ended executions (Maps, callbacks whose
# task tokens were answered, plain ones), running
# ones parked on a far timer and one waiting on a token. 20 of the ended ones
# are made to have ended 91 days ago (the default retention is 90 days).
#
#  1. The worker purges them by itself once the configuration is reloaded
#     (booking.retention_batch_size = 7: several batches): the 20 and their
#     history and tokens are gone; the recent ended ones, the
#     running ones and their rows are all still there; the worker counts 20
#     purged (timer_workers, monitor_workers).
#  2. purge_executions() by hand: nothing with retention -1 (forever); with
#     retention 0 every ended execution, none running; purge_for from pg_cron.
#  3. Permissions: a role without grants cannot run purge_executions or
#     purge_for, nor read the monitoring views; a member of pg_monitor reads
#     them (and still cannot purge).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/own_cluster_test.sh"
. "$HERE/lib/parked_workflows.sh"
E2E_DB=booking_e2e_retention
DIR=/tmp/booking-e2e-retention${BOOKING_TEST_TAG:-}
PORT=$((54386 + ${BOOKING_PORT_OFFSET:-0}))

own_test_start "$DIR" "$PORT" booking.database=$E2E_DB booking.workers=1
create_due_in || fail "creating due_in"
q -c "CREATE EXTENSION booking" >/dev/null
parked_setup
q >/dev/null <<'SQL' || fail "creating the executions"
SELECT count(booking.sfn_start('fan', jsonb_build_object('items', jsonb_build_array(
         jsonb_build_object('due', due_in(0)), jsonb_build_object('due', due_in(0)))), 'fan-' || i))
  FROM generate_series(1, 10) i;
SELECT count(booking.sfn_start('callback', '{}', 'cb-' || i)) FROM generate_series(1, 10) i;
SELECT count(booking.sfn_send_task_success(token, '{}')) FROM kept_tokens;
SELECT count(booking.sfn_start('parked', jsonb_build_object('due', due_in(0)), 'plain-' || i)) FROM generate_series(1, 10) i;
SELECT count(booking.sfn_start('parked', jsonb_build_object('due', due_in(3600)), 'running-' || i)) FROM generate_series(1, 5) i;
SELECT booking.sfn_start('callback', '{}', 'waiting');
SQL
wait_for "the ended executions end" "SELECT count(*) = 30 FROM booking.executions WHERE parent_id IS NULL AND status = 'SUCCEEDED'"
# the old ones: the odd fan-, cb- and plain- executions, and five more
q -c "UPDATE booking.executions SET stop_date = now() - interval '91 days'
       WHERE parent_id IS NULL AND status = 'SUCCEEDED' AND (substring(name from '[0-9]+$')::int % 2 = 1 OR name IN ('fan-2', 'cb-2', 'cb-4', 'plain-2', 'plain-4'))" >/dev/null
old_ids=$(q -c "SELECT string_agg(id::text, ',') FROM booking.executions WHERE stop_date < now() - interval '90 days'")
counts() {	# executions (and any children), history rows, task tokens of the ids given, or of all others
	q -c "SELECT (SELECT count(*) FROM booking.executions WHERE $2 (coalesce(root_id, id) = ANY('{$1}')))
	       || ' ' || (SELECT count(*) FROM booking.history WHERE $2 (execution_id = ANY('{$1}')))
	       || ' ' || (SELECT count(*) FROM booking.task_tokens t JOIN booking.executions e ON e.id = t.execution_id
	                   WHERE $2 (coalesce(e.root_id, e.id) = ANY('{$1}')))"
}
old_before=$(counts "$old_ids" "")
others_before=$(counts "$old_ids" "NOT")
read -r old_execs old_history old_tokens <<<"$old_before"
[ "$old_execs" = 20 ] && [ "$old_history" -ge 20 ] && [ "$old_tokens" = 7 ] \
	|| fail "expected 20 old executions with history and 7 task tokens: $old_before"
pass "20 ended executions made 91 days old: $old_history history rows, $old_tokens task tokens"

# ---- 1. the worker purges them
q -c "ALTER SYSTEM SET booking.retention_batch_size = 7" -c "SELECT pg_reload_conf()" >/dev/null
wait_for "the worker purges the old executions" \
	"SELECT count(*) = 0 FROM booking.executions WHERE id = ANY('{$old_ids}') OR root_id = ANY('{$old_ids}')"
got=$(counts "$old_ids" "")
[ "$got" = "0 0 0" ] || fail "left of the old executions: $got (executions, history, tokens)"
got=$(counts "$old_ids" "NOT")
[ "$got" = "$others_before" ] || fail "the purge touched other executions: $got, before $others_before"
got=$(q -c "SELECT sum(purged) FROM booking.monitor_workers")
[ "$got" = 20 ] || fail "the worker counts $got purged executions, not 20"
pass "the worker purged the 20 (in batches of 7) with their history and tokens; the others untouched ($others_before); monitor_workers counts 20"

# ---- 2. by hand
got=$(q -c "SET booking.execution_retention = -1" -c "SELECT booking.purge_executions(1000)")
[ "$got" = 0 ] || fail "retention -1 purged $got"
got=$(q -c "SET booking.execution_retention = 0" -c "SELECT booking.purge_executions(4)")
[ "$got" = 4 ] || fail "purge_executions(4) with retention 0 purged $got"
q -c "SET booking.execution_retention = 0" -c "CALL booking.purge_for(10, 3)" >/dev/null || fail "CALL booking.purge_for"
got=$(q -c "SELECT count(*) FILTER (WHERE status <> 'RUNNING') || ' ' || count(*) FILTER (WHERE status = 'RUNNING') FROM booking.executions WHERE parent_id IS NULL")
[ "$got" = "0 6" ] || fail "after purging with retention 0: '$got' (ended, running), expected '0 6'"
out=$(q -c "SELECT booking.purge_executions(0)" 2>&1) && fail "purge_executions(0) succeeded"
echo "$out" | grep -q "max_executions must be at least 1" || fail "purge_executions(0): $out"
pass "purge_executions: retention -1 keeps all, 0 purges every ended execution and no running one; purge_for loops in batches; a bad batch is refused"

# ---- 3. who may
q >/dev/null <<'SQL'
CREATE ROLE e2e_nobody LOGIN;
CREATE ROLE e2e_monitor LOGIN IN ROLE pg_monitor;
SQL
as() { psql -X -q -At -v ON_ERROR_STOP=1 -U "$1" -d "$E2E_DB" -c "$2" 2>&1; }
for call in "SELECT booking.purge_executions(1)" "CALL booking.purge_for(1)" "SELECT * FROM booking.monitor_timers" "SELECT * FROM booking.metrics"; do
	out=$(as e2e_nobody "$call") && fail "e2e_nobody ran: $call"
	echo "$out" | grep -q "permission denied" || fail "e2e_nobody, $call: $out"
done
for call in "SELECT booking.purge_executions(1)" "CALL booking.purge_for(1)"; do
	out=$(as e2e_monitor "$call") && fail "e2e_monitor ran: $call"
	echo "$out" | grep -q "permission denied" || fail "e2e_monitor, $call: $out"
done
got=$(as e2e_monitor "SELECT scheduled FROM booking.monitor_timers")
[ "$got" = 5 ] || fail "e2e_monitor reads monitor_timers: '$got', expected 5 scheduled"
got=$(as e2e_monitor "SELECT sum(executions) FROM booking.monitor_executions WHERE status = 'RUNNING'")
[ "$got" = 6 ] || fail "e2e_monitor reads monitor_executions: '$got', expected 6 running"
got=$(as e2e_monitor "SELECT count(*) FROM booking.metrics WHERE metric = 'booking_worker_up'")
[ "$got" = 1 ] || fail "e2e_monitor reads metrics: '$got' workers up"
pass "purging needs a superuser; the monitoring views need pg_monitor (a member reads them, a role without it is denied)"
q -c "DROP ROLE e2e_nobody" -c "DROP ROLE e2e_monitor" >/dev/null
echo "retention: all checks passed"

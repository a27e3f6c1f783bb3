#!/usr/bin/env bash
# test/e2e/timers.sh — the timer workers fire timers by themselves.
#
# A private cluster (port 54361) whose 2 timer workers serve database
# booking_e2e_timers (booking.database, booking.workers need a restart, so the
# test cluster can't be used). Nothing here calls sfn_tick:
#
#   the workers show in pg_stat_activity as "booking timer", in their database
#   idle: they sleep (no wake-up in 2 s), booking.worker_max_sleep ahead
#   a rolled-back start (and a rolled-back savepoint) wakes nobody; a committed
#   one wakes one worker, which then sleeps until exactly that timer
#   450 executions from 3 concurrent clients — sub-second waits (TimestampPath),
#   1-3 s waits (Seconds), Map iterations that wait (their parent is woken by
#   the last child) — all finish, each once (one ExecutionSucceeded, the
#   expected WaitStateExited events), none later than 5 s after its timer
#   100 starts in one transaction of a machine whose first state is a task that
#   writes: fewer than 64 run their task in it, a worker runs the rest, each once
#   SIGHUP: a new booking.worker_max_sleep applies at once
#   pg_terminate_backend of a worker: it comes back, timers still fire
#   fast shutdown: the workers exit without an error in the log
#
# Waits are bounded generously (E2E_TIMEOUT); precision is bench/timers.sh's job.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/own_cluster_test.sh"
E2E_DB=booking_e2e_timers
DIR=${TIMERS_DIR:-/tmp/booking-e2e-timers${BOOKING_TEST_TAG:-}}
PORT=${TIMERS_PORT:-$((54361 + ${BOOKING_PORT_OFFSET:-0}))}

own_test_start "$DIR" "$PORT" booking.database=$E2E_DB booking.workers=2

# workers connect once the database exists (they retry every 5 s)
wait_for "two timer workers connected to $E2E_DB" \
	"SELECT count(*) = 2 FROM pg_stat_activity WHERE backend_type = 'booking timer' AND datname = '$E2E_DB'"
pass "two workers in pg_stat_activity, backend_type 'booking timer', database $E2E_DB"

q -c "CREATE EXTENSION booking" >/dev/null && create_app_role || fail "creating the extension and the application role"
qa >/dev/null <<'SQL' || fail "creating the state machines"
SELECT booking.sfn_create_state_machine('sub_second', '{
  "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "TimestampPath": "$.due", "Next": "Done"},
    "Done": {"Type": "Pass", "Result": "expired", "ResultPath": "$.state", "End": true}
  }
}');
SELECT booking.sfn_create_state_machine('seconds', '{
  "StartAt": "First",
  "States": {
    "First": {"Type": "Wait", "Seconds": 1, "Next": "Second"},
    "Second": {"Type": "Wait", "SecondsPath": "$.s", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}');
SELECT booking.sfn_create_state_machine('map_waits', '{
  "StartAt": "Nights",
  "States": {
    "Nights": {"Type": "Map", "ItemsPath": "$.nights", "ResultPath": "$.held",
      "ItemSelector": {"night.$": "$$.Map.Item.Value", "due.$": "$.due"},
      "ItemProcessor": {"StartAt": "Hold", "States": {
        "Hold": {"Type": "Wait", "TimestampPath": "$.due", "End": true}}},
      "End": true}
  }
}');
SQL
create_due_in || fail "creating due_in"

# once the extension exists, a commit scheduling a timer wakes a worker: the
# first timers below prove it. Idle first: no wake-up, no look at the tables.
wait_for "both workers asleep" \
	"SELECT count(*) = 2 FROM booking.timer_workers() WHERE sleeping_until IS NOT NULL"
before=$(q -c "SELECT string_agg(pid || ':' || sleeps || ':' || woken, ',' ORDER BY slot) FROM booking.timer_workers()")
sleep 2
after=$(q -c "SELECT string_agg(pid || ':' || sleeps || ':' || woken, ',' ORDER BY slot) FROM booking.timer_workers()")
[ "$before" = "$after" ] || fail "idle workers woke up: $before -> $after"
pass "idle: the workers sleep (no wake-up in 2 s)"
ahead=$(q -c "SELECT bool_and(sleeping_until > clock_timestamp() + interval '50 s') FROM booking.timer_workers()")
[ "$ahead" = t ] || fail "idle workers sleep less than booking.worker_max_sleep: $(q -c 'SELECT * FROM booking.timer_workers()')"
pass "idle: the next look is booking.worker_max_sleep (60 s) ahead"

# DDL in another session fills the shared invalidation queue, whose catch-up
# signal sets the latch of the backends furthest behind: the sleeping workers.
# They read the invalidations and sleep on; no round, no wake-up counted.
before=$(q -c "SELECT string_agg(pid || ':' || sleeps || ':' || woken, ',' ORDER BY slot) FROM booking.timer_workers()")
for i in $(seq 1 60); do
	echo "BEGIN; CREATE TABLE ddl_noise_$i (a int, b text, c jsonb); CREATE INDEX ON ddl_noise_$i (a); DROP TABLE ddl_noise_$i; COMMIT;"
done | q >/dev/null || fail "DDL in another session"
sleep 1
after=$(q -c "SELECT string_agg(pid || ':' || sleeps || ':' || woken, ',' ORDER BY slot) FROM booking.timer_workers()")
[ "$before" = "$after" ] || fail "DDL in another session woke the idle workers: $before -> $after"
pass "idle: DDL elsewhere (invalidation catch-up signals) leaves the workers asleep"

woken() { q -c "SELECT sum(woken) FROM booking.timer_workers()"; }
w0=$(woken)
qa >/dev/null <<'SQL' || fail "a rolled-back start"
BEGIN;
SELECT booking.sfn_start('sub_second', jsonb_build_object('due', due_in(2)), 'rolled-back');
ROLLBACK;
BEGIN;
SAVEPOINT s;
SELECT booking.sfn_start('sub_second', jsonb_build_object('due', due_in(2)), 'rolled-back-savepoint');
ROLLBACK TO SAVEPOINT s;
COMMIT;
SQL
sleep 0.5
[ "$(woken)" = "$w0" ] || fail "a rolled-back start woke a worker (woken $w0 -> $(woken))"
pass "a rolled-back start, and a start in a rolled-back savepoint, wake nobody"

qa -c "SELECT booking.sfn_start('sub_second', jsonb_build_object('due', due_in(3)), 'committed')" >/dev/null
wait_for "a committed start wakes one worker" "SELECT sum(woken) = $w0 + 1 FROM booking.timer_workers()"
wait_for "the woken worker sleeps until exactly the new timer" \
	"SELECT (SELECT min(sleeping_until) FROM booking.timer_workers()) = (SELECT due_at FROM booking.executions WHERE name = 'committed')"
pass "a committed start wakes exactly one worker, which sleeps until that timer"
wait_for "the committed start's timer fires" "SELECT status = 'SUCCEEDED' FROM booking.executions WHERE name = 'committed'"
pass "its timer fired with no tick"

# ---- hundreds of timers, from concurrent clients, in transactions of 10
client() {	# client N: 150 executions
	local n=$1
	{
		for batch in $(seq 0 14); do
			echo "BEGIN;"
			echo "SELECT count(CASE i % 3
			   WHEN 0 THEN booking.sfn_start('sub_second', jsonb_build_object('due', due_in(0.05 + random() * 0.9)), 'c$n-' || i)
			   WHEN 1 THEN booking.sfn_start('seconds', jsonb_build_object('s', 1 + i % 3), 'c$n-' || i)
			   ELSE booking.sfn_start('map_waits', jsonb_build_object('due', due_in(0.1 + random()), 'nights', jsonb_build_array(1, 2, 3)), 'c$n-' || i) END)
			   FROM generate_series($((batch * 10)), $((batch * 10 + 9))) i;"
			echo "COMMIT;"
		done
	} | qa >/dev/null
}
client 1 & c1=$!
client 2 & c2=$!
client 3 & c3=$!
wait $c1 && wait $c2 && wait $c3 || fail "the clients could not start their executions"
started=$(q -c "SELECT count(*) FROM booking.executions WHERE name LIKE 'c_-%'")
[ "$started" = 450 ] || fail "started $started executions, expected 450"
# on failure, show what is still running and why it might not be due
wait_for_details() {
	q -c "SELECT string_agg(format('%s %s %s due %s', coalesce(name, 'child of ' || parent_id), state, phase, due_at), '; ')
	        FROM (SELECT * FROM booking.executions WHERE status = 'RUNNING' ORDER BY id LIMIT 10) r"
}
wait_for "all 450 executions finish with no tick" \
	"SELECT count(*) = 450 FROM booking.executions WHERE name LIKE 'c_-%' AND status <> 'RUNNING'"
bad=$(q -c "SELECT count(*) FROM booking.executions WHERE name LIKE 'c_-%' AND status <> 'SUCCEEDED'")
[ "$bad" = 0 ] || fail "$bad executions did not succeed: $(q -c "SELECT name, status, error, cause FROM booking.executions WHERE name LIKE 'c_-%' AND status <> 'SUCCEEDED' LIMIT 5")"
unset -f wait_for_details
pass "450 executions (sub-second, 1-3 s and Map waits) all succeeded, no tick called"

# each once: exactly one ExecutionSucceeded; the waits each exited once
wrong=$(q <<'SQL'
SELECT count(*) FROM (
  SELECT e.name, m.name AS machine,
         count(*) FILTER (WHERE h.type = 'ExecutionSucceeded') AS succeeded,
         count(*) FILTER (WHERE h.type = 'WaitStateExited') AS waits
    FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id,
         booking.sfn_get_execution_history(e.arn) h
   WHERE e.name LIKE 'c_-%'
   GROUP BY 1, 2) x
 WHERE succeeded <> 1
    OR waits <> CASE machine WHEN 'sub_second' THEN 1 WHEN 'seconds' THEN 2 ELSE 3 END
SQL
)
[ "$wrong" = 0 ] || fail "$wrong executions have a history other than one success and their waits once each"
pass "each execution ran once: one ExecutionSucceeded, each Wait exited once"

late=$(q -c "SELECT max(stop_date - (input->>'due')::timestamptz) FROM booking.executions WHERE name LIKE 'c_-%' AND input ? 'due'")
q -c "SELECT bool_and(stop_date - (input->>'due')::timestamptz < interval '5 s') FROM booking.executions WHERE name LIKE 'c_-%' AND input ? 'due'" | grep -qx t \
	|| fail "an execution finished more than 5 s after its timer (max $late)"
pass "every TimestampPath timer fired within 5 s (max lateness here $late; bench/timers.sh measures)"

# ---- a caller's transaction that starts more writing tasks than its subtransaction ids
# hold (docs/scheduling.md): those past the room wait at their task, due now, and a worker
# runs them once the caller has committed, each once
qa >/dev/null <<'SQL' || fail "creating the writing machine"
CREATE TABLE touched (n int);
CREATE FUNCTION touch(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN INSERT INTO touched VALUES ((p->>'n')::int); RETURN p; END $$;
SELECT booking.sfn_create_state_machine('writer', '{"StartAt": "Touch", "States": {
  "Touch": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:touch", "End": true}}}');
SQL
inline=$(qa <<'SQL'
BEGIN;
SELECT count(booking.sfn_start('writer', jsonb_build_object('n', g), 'writer-' || g)) FROM generate_series(1, 100) g \g /dev/null
SELECT count(*) FROM touched;
COMMIT;
SQL
)
[ "$inline" -lt 64 ] && [ "$inline" -gt 0 ] || fail "the starting transaction ran $inline writing tasks itself (expected 1 to 63)"
wait_for "the starts left waiting are run by a worker" \
	"SELECT count(*) = 100 FROM booking.executions WHERE name LIKE 'writer-%' AND status = 'SUCCEEDED'"
[ "$(q -c "SELECT count(*) || ' ' || count(DISTINCT n) FROM touched")" = "100 100" ] \
	|| fail "the writing tasks did not each run once: $(q -c "SELECT count(*), count(DISTINCT n) FROM touched")"
pass "100 writing starts in one transaction: $inline ran in it, the rest in a worker after the commit, each once"

# ---- SIGHUP: settings reread at once
q -c "ALTER SYSTEM SET booking.worker_max_sleep = '5s'" -c "SELECT pg_reload_conf()" >/dev/null
wait_for "a reload applies booking.worker_max_sleep" \
	"SELECT bool_and(sleeping_until < clock_timestamp() + interval '6 s') FROM booking.timer_workers()"
q -c "ALTER SYSTEM RESET booking.worker_max_sleep" -c "SELECT pg_reload_conf()" >/dev/null
pass "SIGHUP: a new booking.worker_max_sleep applies to sleeping workers at once"

# ---- a terminated worker comes back
victim=$(q -c "SELECT pid FROM booking.timer_workers() ORDER BY slot LIMIT 1")
q -c "SELECT pg_terminate_backend($victim)" >/dev/null
wait_for "the terminated worker is restarted" \
	"SELECT count(*) = 2 AND bool_and(pid <> $victim) FROM booking.timer_workers()"
qa -c "SELECT booking.sfn_start('sub_second', jsonb_build_object('due', due_in(0.2)), 'after-restart')" >/dev/null
wait_for "a timer fires after the restart" "SELECT status = 'SUCCEEDED' FROM booking.executions WHERE name = 'after-restart'"
pass "pg_terminate_backend: the worker is restarted and timers fire"

# ---- clean shutdown
mark=$(wc -l <"$DIR/server.log")
cluster_stop "$DIR"
problems=$(tail -n +"$((mark + 1))" "$DIR/server.log" | grep -E 'booking timer.*(ERROR|FATAL|PANIC)|exited with exit code [^01]|terminated by signal' || true)
[ -z "$problems" ] || fail "shutting down logged: $problems"
pass "fast shutdown: the workers exit without an error"
problems=$(grep -E 'PANIC|TRAP|terminated by signal|booking timer.*ERROR' "$DIR/server.log" || true)
[ -z "$problems" ] || fail "the server log has: $problems"
pass "server log free of crashes and worker errors"
echo "timers: all checks passed"

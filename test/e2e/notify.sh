#!/usr/bin/env bash
# test/e2e/notify.sh — status changes reach a LISTENing client, at commit only.
#
# Every status change of a top-level execution sends NOTIFY on channel
# booking_execution with payload {"executionArn": …, "status": …}, delivered when
# the transaction that made the change commits. One psql session LISTENs (psql
# prints each notification it receives after the next query it runs: the test
# polls it with SELECT); another starts, stops and ticks executions:
#
#   ends at once         RUNNING, SUCCEEDED (a Map's children send nothing)
#   fails                RUNNING, FAILED
#   parks on a Wait      RUNNING; stopped: ABORTED, only once the stop commits
#   open transaction     nothing until COMMIT, then RUNNING, SUCCEEDED
#   rolled back          nothing (a whole transaction, and a subtransaction)
#   short Wait + tick    RUNNING; the tick's SUCCEEDED only at the tick's commit
#   booking.notify = off nothing
#   queue at the limit   nothing, and a WARNING (booking.notify_queue_limit)
#
# Payloads are checked exactly: the ARN sfn_start returned, the status, no other
# key; and in order (PostgreSQL delivers in commit order). A sentinel execution
# started after each "nothing" case proves nothing was left in flight.
#
# Needs PGHOST, PGPORT, PGUSER of a cluster with booking preloaded (test/run.sh
# exports those of its test cluster). Works in its own database, dropped at the end.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/session.sh"
E2E_DB=booking_e2e_notify
NOTES=()	# payloads received and not yet checked

psql_db() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
	e2e_cleanup
	psql_db -d postgres -c "DROP DATABASE IF EXISTS $E2E_DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
e2e_init

psql_db -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $E2E_DB" -c "CREATE DATABASE $E2E_DB" >/dev/null \
	|| fail "creating database $E2E_DB"
# the application's role (E2E_APP, session.sh) creates and runs them
{ echo "CREATE EXTENSION booking;"; app_role_sql; } | psql_db -d "$E2E_DB" >/dev/null \
	|| fail "creating the extension and the application role"
psql_db -U "$E2E_APP" -d "$E2E_DB" >/dev/null <<'SQL' || fail "creating the state machines"
-- ends at once, through a Map whose iterations are child rows
SELECT booking.sfn_create_state_machine('e2e_confirm', '{
  "StartAt": "Quote",
  "States": {
    "Quote": {"Type": "Pass", "Parameters": {"booking.$": "$", "nights.$": "States.ArrayLength($.nights)"}, "Next": "Nights"},
    "Nights": {"Type": "Map", "ItemsPath": "$.booking.nights", "ResultPath": "$.priced",
      "ItemProcessor": {"StartAt": "Price", "States": {"Price": {"Type": "Pass", "Parameters": {"night.$": "$", "price": 120}, "End": true}}},
      "Next": "Confirmed"},
    "Confirmed": {"Type": "Succeed"}
  }
}');
SELECT booking.sfn_create_state_machine('e2e_reject', '{
  "StartAt": "Check",
  "States": {
    "Check": {"Type": "Pass", "Next": "Unavailable"},
    "Unavailable": {"Type": "Fail", "Error": "Booking.Unavailable", "Cause": "the apartment is taken"}
  }
}');
SELECT booking.sfn_create_state_machine('e2e_hold', '{
  "StartAt": "Reserve",
  "States": {
    "Reserve": {"Type": "Pass", "Next": "PaymentWindow"},
    "PaymentWindow": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}');
SELECT booking.sfn_create_state_machine('e2e_short', '{
  "StartAt": "Reserve",
  "States": {
    "Reserve": {"Type": "Pass", "Next": "PaymentWindow"},
    "PaymentWindow": {"Type": "Wait", "Seconds": 1, "Next": "Paid"},
    "Paid": {"Type": "Pass", "Result": "paid", "ResultPath": "$.state", "End": true}
  }
}');
SQL

INPUT='{"apartmentId": "apt-7", "guest": "Ada Lovelace", "nights": ["2026-12-01", "2026-12-02"]}'

# collect: poll the listener once, adding what it received to NOTES
collect() {
	local line payload
	session_run listen "SELECT 'poll';"
	while IFS= read -r line; do
		case $line in
			poll | '') ;;
			'Asynchronous notification "booking_execution" with payload "'*'" received from server process with PID '*)
				payload=${line#*with payload \"}
				payload=${payload%\" received from server process with PID *}
				NOTES+=("$payload") ;;
			*) fail "the listener printed something unexpected: $line" ;;
		esac
	done <<<"$OUT"
}

# expect DESCRIPTION "ARN STATUS"...: exactly these notifications, in this order
expect() {
	local what=$1 deadline got want
	shift
	deadline=$((SECONDS + E2E_TIMEOUT))
	while [ ${#NOTES[@]} -lt $# ] && [ $SECONDS -lt $deadline ]; do
		collect
		[ ${#NOTES[@]} -ge $# ] || sleep 0.05
	done
	got=""
	if [ ${#NOTES[@]} -gt 0 ]; then
		# each payload as "ARN STATUS", plus any key other than these two
		got=$(psql_db -d "$E2E_DB" -v batch="[$(IFS=,; echo "${NOTES[*]}")]" <<'SQL'
SELECT coalesce(p->>'executionArn', '(no executionArn)') || ' ' || coalesce(p->>'status', '(no status)')
       || coalesce(' (other keys: ' || (SELECT string_agg(k, ', ') FROM jsonb_object_keys(p) k
                                        WHERE k NOT IN ('executionArn', 'status')) || ')', '')
  FROM jsonb_array_elements(:'batch'::jsonb) WITH ORDINALITY AS t(p, i) ORDER BY i;
SQL
		) || fail "$what: payloads are not JSON objects: ${NOTES[*]}"
	fi
	want=$(printf '%s\n' "$@")
	[ "$got" = "$want" ] || fail "$what: notifications differ
expected:
$want
received:
${got:-(none)}"
	NOTES=()
	pass "$what"
}

# expect_none DESCRIPTION: nothing has arrived (given a moment to arrive)
expect_none() {
	sleep 0.2
	collect
	[ ${#NOTES[@]} -eq 0 ] || fail "$1: received ${NOTES[*]}"
	pass "$1"
}

# start VAR MACHINE NAME: sfn_start in the actor session; VAR = the ARN it returns
start() {
	session_run actor "SELECT booking.sfn_start('$2', '$INPUT', '$3');"
	[[ $OUT == arn:aws:states:*:execution:$2:$3 ]] || fail "sfn_start('$2', …, '$3') returned '$OUT'"
	printf -v "$1" '%s' "$OUT"
}

# status ARN EXPECTED: DescribeExecution agrees
status() {
	session_run actor "SELECT booking.sfn_describe_execution('$1')->>'status';"
	[ "$OUT" = "$2" ] || fail "$1 is $OUT, expected $2"
}

session_open listen
session_run listen "LISTEN booking_execution;"
session_open actor "$E2E_APP"

# --- an execution that ends inside sfn_start (autocommit)
start arn e2e_confirm ends-at-once
status "$arn" SUCCEEDED
expect "ends at once: RUNNING then SUCCEEDED, nothing for the Map's children" "$arn RUNNING" "$arn SUCCEEDED"

# --- nothing before commit
session_run actor "BEGIN;"
start arn e2e_confirm committed-later
expect_none "a start in an open transaction notifies nothing before COMMIT"
session_run actor "COMMIT;"
expect "the same start, once committed: RUNNING then SUCCEEDED" "$arn RUNNING" "$arn SUCCEEDED"

# --- a Fail state
start arn e2e_reject rejected
status "$arn" FAILED
expect "fails: RUNNING then FAILED" "$arn RUNNING" "$arn FAILED"

# --- parked on a Wait, then stopped
start held e2e_hold held
status "$held" RUNNING
expect "parks on a Wait: RUNNING only" "$held RUNNING"
session_run actor "BEGIN;"
session_run actor "SELECT booking.sfn_stop_execution('$held', 'Booking.Cancelled', 'the guest cancelled') IS NOT NULL;"
expect_none "a stop in an open transaction notifies nothing before COMMIT"
session_run actor "COMMIT;"
status "$held" ABORTED
expect "stopped: ABORTED at the stop's commit" "$held ABORTED"

# --- rolled back: never existed, never notified
session_run actor "BEGIN;"
start arn e2e_confirm rolled-back
start arn e2e_hold rolled-back-parked
session_run actor "ROLLBACK;"
session_run actor "BEGIN;"
session_run actor "SAVEPOINT before_start;"
start arn e2e_confirm rolled-back-savepoint
session_run actor "ROLLBACK TO SAVEPOINT before_start;"
start kept e2e_reject kept-after-savepoint
session_run actor "COMMIT;"
session_run actor "SELECT count(*) FROM booking.visible_executions WHERE name LIKE 'rolled-back%';"
[ "$OUT" = 0 ] || fail "rolled-back executions left $OUT rows"
start sentinel e2e_confirm after-rollback
expect "rolled back (a transaction, a subtransaction): nothing; the kept start and the sentinel only" \
	"$kept RUNNING" "$kept FAILED" "$sentinel RUNNING" "$sentinel SUCCEEDED"

# --- a short Wait finished by sfn_tick: SUCCEEDED at the tick's commit
start short e2e_short short-wait
expect "parks on a 1 s Wait: RUNNING" "$short RUNNING"
deadline=$((SECONDS + E2E_TIMEOUT))
while :; do	# until its timer is due (by the server's clock)
	session_run actor "SELECT due_at <= clock_timestamp() FROM booking.visible_executions WHERE arn = '$short';"
	[ "$OUT" = t ] && break
	[ "$OUT" = f ] || fail "$short is not on a timer: '$OUT'"
	[ $SECONDS -lt $deadline ] || fail "$short never came due"
	sleep 0.1
done
session_run actor "BEGIN;"
session_run actor "SELECT booking.sfn_tick();"
[ "$OUT" = 1 ] || fail "sfn_tick() advanced $OUT executions, expected 1 (the short Wait)"
expect_none "a tick in an open transaction notifies nothing before COMMIT"
session_run actor "COMMIT;"
status "$short" SUCCEEDED
expect "the tick's commit: SUCCEEDED" "$short SUCCEEDED"

# --- booking.notify = off: status changes send nothing (the session's setting)
session_run actor "SET booking.notify = off;"
start quiet e2e_confirm notify-off
status "$quiet" SUCCEEDED
session_run actor "RESET booking.notify;"
expect_none "booking.notify = off: a start that ends sends nothing"

# --- the NOTIFY queue at booking.notify_queue_limit (here 0: any usage): nothing is sent,
# and a WARNING says why (a listener that does not read would otherwise fill the queue,
# and every notifying commit would fail)
session_run actor "SET booking.notify_queue_limit = 0;"
session_run actor "SELECT booking.sfn_start('e2e_confirm', '$INPUT', 'queue-limit');"
grep -q 'WARNING:  booking does not notify booking_execution: the NOTIFY queue is 0% full' <<<"$OUT" ||
	fail "a start at booking.notify_queue_limit did not warn: $OUT"
grep -qx 'arn:aws:states:.*:execution:e2e_confirm:queue-limit' <<<"$OUT" ||
	fail "a start at booking.notify_queue_limit did not return its ARN: $OUT"
session_run actor "RESET booking.notify_queue_limit;"
expect_none "booking.notify_queue_limit reached: a start that ends sends nothing, and warns"

# --- and nothing else was in flight
start sentinel e2e_confirm last
expect "a last sentinel: only its own notifications" "$sentinel RUNNING" "$sentinel SUCCEEDED"

session_close actor
session_close listen
echo "notify: all checks passed"

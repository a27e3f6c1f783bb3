# test/e2e/lib/own_cluster_test.sh — the frame the end-to-end tests on a private
# cluster of their own share (timers, concurrency, crash, cron). Sourced, not a
# test; it sources session.sh and own_cluster.sh. Set E2E_DB first.
#
#   own_test_start DIR PORT [SETTING=VALUE...]
#       e2e_init, a cleanup at EXIT, the cluster (own_cluster_start) with these
#       settings, and database E2E_DB created unless it is postgres
#   E2E_PIDS                  the test's background jobs: killed and reaped at exit
#   q [PSQL ARGS...]          psql on E2E_DB: tuples only, unaligned, stops at an error
#   qa [PSQL ARGS...]         the same as the application role E2E_APP (booking_user)
#   create_app_role           creates E2E_APP (after CREATE EXTENSION booking)
#   wait_for DESCRIPTION SQL [SECONDS]
#       polls until SQL returns t; fails after SECONDS (default E2E_TIMEOUT),
#       with the output of wait_for_details added when the test defines it
#   create_due_in             creates due_in(seconds) (lib/due_in.sql)
#   inexact_histories WAITS   how many executions' histories are not exactly one
#       ExecutionSucceeded, one LambdaFunctionSucceeded and WAITS WaitStateExited
E2E_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$E2E_LIB/session.sh"
. "$E2E_LIB/own_cluster.sh"
E2E_PIDS=()

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$E2E_DB" "$@"; }

# The tests use booking as an application does, as E2E_APP (session.sh); q
# (the superuser) only sets up and looks.
qa() { PGUSER=$E2E_APP q "$@"; }
create_app_role() { app_role_sql | q >/dev/null; }

own_test_cleanup() {
	local p
	for p in "${E2E_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${E2E_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	e2e_cleanup
	own_cluster_stop
}

own_test_start() {
	local port=$2
	trap own_test_cleanup EXIT
	e2e_init
	own_cluster_start "$@" || fail "starting a private cluster on port $port"
	if [ "$E2E_DB" != postgres ]; then
		psql -X -q -d postgres -c "CREATE DATABASE $E2E_DB" || fail "creating $E2E_DB"
	fi
}

wait_for() {
	local seconds=${3:-$E2E_TIMEOUT} deadline got details=
	deadline=$((SECONDS + seconds))
	while :; do
		got=$(q -c "$2" 2>/dev/null) || got=
		[ "$got" = t ] && return 0
		if [ $SECONDS -ge $deadline ]; then
			declare -F wait_for_details >/dev/null && details=$'\n'$(wait_for_details)
			fail "$1 (still '$got' after ${seconds}s)$details"
		fi
		sleep 0.1
	done
}

create_due_in() {
	q -f "$E2E_LIB/due_in.sql" >/dev/null
}

inexact_histories() {
	q -v waits="$1" <<'SQL'
SELECT count(*) FROM (
  SELECT e.name,
         count(*) FILTER (WHERE h.type = 'ExecutionSucceeded') AS succeeded,
         count(*) FILTER (WHERE h.type = 'LambdaFunctionSucceeded') AS tasks,
         count(*) FILTER (WHERE h.type = 'WaitStateExited') AS waits
    FROM booking.executions e, booking.sfn_get_execution_history(e.arn) h
   GROUP BY 1) x
 WHERE succeeded <> 1 OR tasks <> 1 OR waits <> :waits
SQL
}

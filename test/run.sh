#!/usr/bin/env bash
# test/run.sh — the README's test command: every test, from a fresh machine.
#
#  1. installs what it needs (./install.sh build: Debian packages, build, install)
#  2. core unit tests with AddressSanitizer + UndefinedBehaviorSanitizer
#  3. a bounded libFuzzer run of every fuzz target (FUZZ_SECONDS, default 20)
#  4. a private cluster as the postgres user (booking + pg_cron preloaded),
#     the pg_regress suites (make installcheck), then every end-to-end script
#     test/e2e/*.sh against the same cluster (PGHOST/PGPORT/PGUSER exported; one
#     line each, output in build/test-logs/e2e-NAME.log), then the cluster is stopped
#  5. prints one line "N passed, N failed"; exits non-zero on any failure
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TEST_DIR=${BOOKING_TEST_DIR:-/tmp/booking-test${BOOKING_TEST_TAG:-}}
TEST_PORT=${BOOKING_TEST_PORT:-$((54329 + ${BOOKING_PORT_OFFSET:-0}))}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
. "$ROOT/test/lib/cluster.sh"

passed=0
failed=0
LOG=build/test-logs
mkdir -p "$LOG"

count() {	# count NAME STATUS
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok      $1"
	else failed=$((failed + 1)); echo "FAILED  $1"; fi
}

echo "== setup"
./install.sh build || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

echo "== core unit tests (ASan + UBSan)"
make -s -j2 unit >"$LOG/unit.log" 2>&1
unit_status=$?
# each unit program prints "<name>: N passed, N failed"
while read -r name p f; do
	[ "$f" -eq 0 ] && count "unit $name ($p checks)" 0 || count "unit $name ($f of $((p + f)) checks failed)" 1
done < <(sed -n 's/^\([a-z_]*\): \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2 \3/p' "$LOG/unit.log")
if [ $unit_status -ne 0 ]; then
	grep -v ': [0-9]* passed, 0 failed$' "$LOG/unit.log" | tail -60
	grep -q ' failed$' "$LOG/unit.log" || count "unit tests build" 1
fi

echo "== fuzzing (${FUZZ_SECONDS}s per target)"
make -s fuzz FUZZ_SECONDS="$FUZZ_SECONDS" >"$LOG/fuzz.log" 2>&1
fuzz_status=$?
for t in build/fuzz/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if grep -q "^$name FOUND A PROBLEM" "$LOG/fuzz.log"; then count "fuzz $name" 1; else count "fuzz $name" 0; fi
done
[ $fuzz_status -ne 0 ] && tail -40 "$LOG/fuzz.log"
ls build/fuzz/fuzz_* >/dev/null 2>&1 || count "fuzz targets build" 1

echo "== pg_regress on a private cluster (port $TEST_PORT)"
cluster_stop "$TEST_DIR"
rm -rf "$TEST_DIR"
if cluster_init "$TEST_DIR" "$TEST_PORT" && cluster_start "$TEST_DIR" "$TEST_PORT"; then
	PGHOST="$TEST_DIR" PGPORT="$TEST_PORT" PGUSER=postgres make -s installcheck >"$LOG/regress.log" 2>&1
	regress_status=$?
	while read -r name result; do
		[ "$result" = ok ] && count "regress $name" 0 || count "regress $name" 1
	done < <(sed -n 's/^\(test \)\? *\([a-z0-9_]\+\) \+\.\.\. \(ok\|FAILED\|failed\).*/\2 \3/p' "$LOG/regress.log")
	if [ $regress_status -ne 0 ]; then
		tail -20 "$LOG/regress.log"
		[ -f regression.diffs ] && head -150 regression.diffs
		grep -q '\.\.\. ' "$LOG/regress.log" || count "pg_regress run" 1
	fi

	echo "== end-to-end scripts (test/e2e/*.sh) on the same cluster"
	# each script is one line; its output goes to build/test-logs/e2e-NAME.log.
	# E2E_SCRIPT_TIMEOUT bounds a hung script (not a timing assertion).
	e2e_found=0
	for t in test/e2e/*.sh; do
		[ -f "$t" ] || continue
		e2e_found=1
		name=$(basename "$t" .sh)
		PGHOST="$TEST_DIR" PGPORT="$TEST_PORT" PGUSER=postgres \
			timeout "${E2E_SCRIPT_TIMEOUT:-600}" bash "$t" >"$LOG/e2e-$name.log" 2>&1
		e2e_status=$?
		if [ $e2e_status -eq 0 ]; then
			count "e2e $name ($(grep -c '^ok - ' "$LOG/e2e-$name.log") checks)" 0
		else
			count "e2e $name (exit $e2e_status; log: $LOG/e2e-$name.log)" 1
			tail -40 "$LOG/e2e-$name.log"
		fi
	done
	[ $e2e_found -eq 1 ] || count "e2e scripts present in test/e2e/" 1

	grep -E 'PANIC|TRAP|terminated by signal|server process .* was terminated' "$TEST_DIR/server.log" \
		&& count "server log free of crashes" 1 || count "server log free of crashes" 0
else
	count "private cluster start" 1
fi
cluster_stop "$TEST_DIR"

echo "== GraphQL (graphql/test/run.sh: PostGraphile on its own cluster, port 54343)"
# one line per node test file (graphql/test/*.test.mjs); TAP output in build/test-logs/graphql/
bash graphql/test/run.sh >"$LOG/graphql.log" 2>&1
graphql_status=$?
while read -r name result n; do
	[ "$result" = ok ] && count "graphql $name ($n tests)" 0 || count "graphql $name ($n tests failed)" 1
done < <(sed -n 's/^graphql-result \([^ ]*\) \(ok\|FAILED\) \([0-9?/]*\)$/\1 \2 \3/p' "$LOG/graphql.log")
if [ $graphql_status -ne 0 ]; then
	tail -60 "$LOG/graphql.log"
	grep -q '^graphql-result ' "$LOG/graphql.log" || count "graphql test run" 1
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

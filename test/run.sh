#!/usr/bin/env bash
# test/run.sh — the README's test command: every test, from a fresh machine.
#
# It counts programs, suites, specs, scripts and mutants, never log lines: each
# expected one has a result of its own, and one that did not build, did not run,
# crashed or is missing from the results counts as failed; so does a test file
# (sql/, test/isolation/specs/, test/fuzz/) its Makefile list does not name.
#
#  0. requirements (./install.sh check: root or sudo, Node.js 20+); stops if missing
#  1. setup: ./install.sh build (Debian packages, build, install)
#  2. unit: every test/unit/test_*.c program, each run on its own and judged by
#     test/unit/judge.sh (exit status and its summary line)
#  3. fuzz: every target in the Makefile's FUZZ_NAMES built and run for
#     FUZZ_SECONDS (default 20) by test/fuzz/run-target.sh
#  4. strict builds: host and core with -Wall -Wextra -Werror, then with
#     -DUSE_ASSERT_CHECKING (make strict); and, when the file .pgindent-clean
#     exists at the root, the C in PostgreSQL's style (tools/pgindent.sh --check)
#  5. pg_regress: every suite of the Makefile's REGRESS on a temporary instance
#     (make regresscheck), then, as a step of its own, every isolation spec of
#     ISOLATION (make isolationcheck)
#  6. mutants: make mutants (test/mutants/run.sh), one line per deliberate fault
#  7. end-to-end: a private cluster as the postgres user (booking + pg_cron
#     preloaded), every test/e2e/*.sh against it, its server log checked for crashes
#  8. GraphQL: graphql/test/run.sh, one result per test/*.test.mjs file
#  9. one line "N passed, N failed"; exits non-zero on any failure
#
# Settings: BOOKING_DESTDIR, BOOKING_PORT_OFFSET, BOOKING_TEST_TAG (side-by-side
# checkouts), FUZZ_SECONDS; for development, TEST_STAGES="unit fuzz strict regress
# isolation mutants e2e graphql" runs only those (setup always), and the stages
# left out count as one failure, so such a run is never green.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TAG=${BOOKING_TEST_TAG:-}
TEST_DIR=${BOOKING_TEST_DIR:-/tmp/booking-test$TAG}
TEST_PORT=${BOOKING_TEST_PORT:-$((54329 + ${BOOKING_PORT_OFFSET:-0}))}
REGRESS_DIR=/tmp/booking-regress$TAG
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

ALL_STAGES="unit fuzz strict regress isolation mutants e2e graphql"
STAGES=${TEST_STAGES:-$ALL_STAGES}
stage() {	# stage NAME: whether to run it
	case " $STAGES " in *" $1 "*) return 0 ;; esac
	return 1
}

# judged <LINES: the helpers print "ok WHAT" or "FAILED WHAT" and indented detail;
# fed by process substitution, never a pipe, so its counts stay in this shell
judged() {
	local line
	while IFS= read -r line; do
		case $line in
			"ok "*) count "${line#ok }" 0 ;;
			"FAILED "*) count "${line#FAILED }" 1 ;;
			*) echo "$line" ;;
		esac
	done
}

# unlisted FILES LIST LABEL MAKEVAR: a test file whose name is not in its
# Makefile list never runs and nobody would notice: each one is a failure
unlisted() {
	local f n
	for f in $1; do
		[ -e "$f" ] || continue
		n=$(basename "$f"); n=${n%.*}
		case " $2 " in *" $n "*) ;; *) count "$3 $n ($f is not in the Makefile's $4: it never runs)" 1 ;; esac
	done
}

finish() {
	local skipped=
	for st in $ALL_STAGES; do stage "$st" || skipped+=" $st"; done
	[ -z "$skipped" ] || count "stages left out by TEST_STAGES:$skipped" 1
	echo
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit
}

echo "== requirements"
if ! ./install.sh check; then
	count "requirements (see above)" 1
	finish
fi

echo "== setup"
./install.sh build || { count "setup (./install.sh build)" 1; finish; }

if stage unit; then
echo "== core unit tests (ASan + UBSan), one program at a time"
make -s -k -j2 unit-build >"$LOG/unit-build.log" 2>&1 || grep -E 'error|Error' "$LOG/unit-build.log" | head -20
unit_programs=$(make -s print-UNIT_TESTS)
[ -n "$unit_programs" ] || count "unit programs listed (make print-UNIT_TESTS)" 1
for t in $unit_programs; do
	judged < <(test/unit/judge.sh "$t" | sed 's/^\(ok\|FAILED\) /\1 unit /')
done

fi

if stage fuzz; then
echo "== fuzzing (${FUZZ_SECONDS}s per target)"
test/fuzz/seed-corpus.sh build/fuzz/corpus >"$LOG/fuzz-seed.log" 2>&1 || count "fuzz corpus seeding" 1
fuzz_names=$(make -s print-FUZZ_NAMES)
[ -n "$fuzz_names" ] || count "fuzz targets listed (make print-FUZZ_NAMES)" 1
unlisted "$(echo test/fuzz/fuzz_*.c)" "$fuzz_names" fuzz FUZZ_NAMES
for n in $fuzz_names; do
	if ! make -s "build/fuzz/$n" >"$LOG/fuzz-build-$n.log" 2>&1; then
		count "fuzz $n (did not build; log: $LOG/fuzz-build-$n.log)" 1
		tail -20 "$LOG/fuzz-build-$n.log"
		continue
	fi
	judged < <(test/fuzz/run-target.sh "$n" "$FUZZ_SECONDS" | sed 's/^\(ok\|FAILED\) /\1 fuzz /')
done

fi

if stage strict; then
echo "== strict builds"
make -s strict >"$LOG/strict.log" 2>&1
for variant in warnings asserts; do
	if grep -q "^strict build ($variant): ok$" "$LOG/strict.log"; then
		count "strict build ($variant)" 0
	else
		count "strict build ($variant; log: $LOG/strict.log)" 1
		grep -E 'error' "$LOG/strict.log" | head -20
	fi
done
# PostgreSQL's style, once the tree has been reformatted: the file
# .pgindent-clean at the root switches the check on (tools/pgindent.sh)
if [ -f .pgindent-clean ]; then
	if tools/pgindent.sh --check >"$LOG/pgindent.log" 2>&1; then
		count "pgindent (tools/pgindent.sh --check)" 0
	else
		count "pgindent (tools/pgindent.sh --check; log: $LOG/pgindent.log)" 1
		head -20 "$LOG/pgindent.log"
	fi
fi

fi

# regress_step TARGET LIST LABEL: runs one pg_regress step on its temporary
# instance as the postgres user; one count per expected test, by its result line
regress_step() {
	local target=$1 list=$2 label=$3 rc name line
	as_root rm -rf "$REGRESS_DIR/$label"
	as_root mkdir -p "$REGRESS_DIR/$label"
	as_root chown postgres: "$REGRESS_DIR" "$REGRESS_DIR/$label"
	as_postgres env BOOKING_DESTDIR="${BOOKING_DESTDIR:-}" BOOKING_PORT_OFFSET="${BOOKING_PORT_OFFSET:-0}" \
		make -s "$target" REGRESS_DIR="$REGRESS_DIR/$label" >"$LOG/$label.log" 2>&1
	rc=$?
	for name in $list; do
		# "test NAME ... ok 12 ms", "     NAME ... FAILED", "ok 3 - NAME" (newer formats)
		line=$(grep -E "^(test +| +)?$name +\.\.\. " "$LOG/$label.log" | tail -1)
		case $line in
			*"... ok"*) count "$label $name" 0 ;;
			"") count "$label $name (missing from the results)" 1 ;;
			*) count "$label $name (${line##*... })" 1 ;;
		esac
	done
	if [ $rc -ne 0 ]; then
		# a failure outside any test (the instance, the harness) is a failure too
		grep -qE ' \.\.\. (FAILED|failed)' "$LOG/$label.log" || count "$label run (exit $rc; log: $LOG/$label.log)" 1
		tail -15 "$LOG/$label.log"
		as_root cat "$REGRESS_DIR/$label/regression.diffs" "$REGRESS_DIR/$label/isolation/regression.diffs" 2>/dev/null |
			tee "$LOG/$label.diffs" | head -150
	fi
}

if stage regress; then
echo "== pg_regress suites (temporary instance, $REGRESS_DIR)"
regress_list=$(make -s print-REGRESS)
[ -n "$regress_list" ] || count "pg_regress suites listed (make print-REGRESS)" 1
unlisted "$(echo sql/*.sql)" "$regress_list" regress REGRESS
regress_step regresscheck "$regress_list" regress

fi

if stage isolation; then
echo "== isolation specs (temporary instance)"
isolation_list=$(make -s print-ISOLATION)
[ -n "$isolation_list" ] || count "isolation specs listed (make print-ISOLATION)" 1
unlisted "$(echo test/isolation/specs/*.spec)" "$isolation_list" isolation ISOLATION
regress_step isolationcheck "$isolation_list" isolation

fi

if stage mutants; then
echo "== mutants (make mutants: each deliberate fault must be caught)"
	judged < <(make -s mutants 2>&1 | tee "$LOG/mutants.log" | grep -E '^(ok|FAILED) ' | sed 's/^\(ok\|FAILED\) /\1 mutant /')
	wait $! 2>/dev/null	# the log is complete before it is read
	# the runner prints one line per mutant, then its summary: no summary, it stopped early
	grep -q '^mutants: [0-9]* caught, [0-9]* not caught$' "$LOG/mutants.log" ||
		{ count "mutants run (stopped early; log: $LOG/mutants.log)" 1; tail -20 "$LOG/mutants.log"; }
fi

if stage e2e; then

echo "== end-to-end scripts (test/e2e/*.sh) on a private cluster (port $TEST_PORT)"
cluster_stop "$TEST_DIR"
as_root rm -rf "$TEST_DIR"
if cluster_init "$TEST_DIR" "$TEST_PORT" && cluster_start "$TEST_DIR" "$TEST_PORT"; then
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
		checks=$(grep -c '^ok - ' "$LOG/e2e-$name.log")
		if [ $e2e_status -eq 0 ] && [ "$checks" -gt 0 ]; then
			count "e2e $name ($checks checks)" 0
		else
			count "e2e $name (exit $e2e_status, $checks checks; log: $LOG/e2e-$name.log)" 1
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
fi

if stage graphql; then
echo "== GraphQL (graphql/test/run.sh: PostGraphile on its own cluster)"
# one result per node test file (graphql/test/*.test.mjs); TAP output in build/test-logs/graphql/
bash graphql/test/run.sh >"$LOG/graphql.log" 2>&1
graphql_status=$?
for f in graphql/test/*.test.mjs; do
	name=$(basename "$f" .test.mjs)
	line=$(grep -E "^graphql-result $name (ok|FAILED) " "$LOG/graphql.log" | tail -1)
	set -- $line
	case "${3:-}" in
		ok) [ "${4:-0}" -gt 0 ] && count "graphql $name ($4 tests)" 0 || count "graphql $name (no tests ran)" 1 ;;
		FAILED) count "graphql $name ($4 tests failed)" 1 ;;
		*) count "graphql $name (missing from the results)" 1 ;;
	esac
done
grep -q '^graphql-result \(setup\|server-log\) FAILED' "$LOG/graphql.log" && count "graphql setup and server log" 1
if [ $graphql_status -ne 0 ]; then
	grep -q '^graphql-result .* FAILED' "$LOG/graphql.log" || count "graphql run (exit $graphql_status)" 1
	tail -60 "$LOG/graphql.log"
fi
fi

finish

#!/usr/bin/env bash
# bench/expiry_parts.sh — what each part of an expiry costs the backend that advances it.
#
# The expiry of bench/expiry.sh (Wait until $.due, then the Task expire_one: one UPDATE),
# without timer workers or a scheduling client beside it: BENCH_N executions (default
# 20,000) are started due 2 s ahead; once due, ONE session advances them with
# sfn_tick(100) (a timer worker's batch: one transaction, one commit each) until a tick
# advances none. What it measures is that backend's CPU time (utime + stime from /proc/<pid>/stat)
# per execution: the cost of an expiry, free of the worker's sleeps and of other clients;
# and, in the last column, the CPU time per start of the session that started them.
#
# Each variant changes one thing, and the difference from "base" is that thing's cost:
#   base              as installed
#   task-noop         expire_one returns its input without its UPDATE (the user's work)
#   history-none      booking.history_level = none (the history events' write)
#   two-indexes-fewer executions_ended and executions_list dropped (two of the four
#                     index entries an ended execution's non-HOT update inserts)
#   notify-off        booking.notify = off (the NOTIFY of each status change)
#   fillfactor-N      booking.executions with fillfactor N (room on a row's page for its
#                     next version)
#   index-fillfactor-N  executions_pkey, executions_machine_name and executions_list with
#                     fillfactor N, rebuilt (room on a leaf page for a new version's entry)
# BENCH_VARIANTS picks some (default: all, in that order). They alternate within each of
# BENCH_RUNS rounds (default 3), so a drift of the machine touches them all; the table
# shows medians, each run, and the median of each round's difference from base. A CHECKPOINT before each start keeps full-page images
# out of the ticks. Nothing asserts on time. BENCH_PERF=FILE records the ticking session
# with perf (options BENCH_PERF_OPTS, default -g) into FILE.N.VARIANT, N the round.
#
# BENCH_COUNT=instructions counts instead of timing: the cluster is stopped once the
# executions are due and they are ticked by a single-user backend (postgres --single) under
# valgrind's callgrind, which counts the instructions executed in its statements
# (PortalRun and CommitTransactionCommand: the ticks and their commits; not its start-up
# or shut-down). The
# figure is instructions per expiry, in thousands: the same on every run of the same build,
# where CPU time on a shared machine spreads by 10-30%. It does not see time spent waiting
# on memory or in the kernel (a write's system call is one instruction): read it beside the
# CPU time, not instead of it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-expiry-parts${BOOKING_TEST_TAG:-}}
BENCH_PORT=${BENCH_PORT:-55410}
BENCH_N=${BENCH_N:-20000}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_VARIANTS=${BENCH_VARIANTS:-"base task-noop history-none two-indexes-fewer notify-off"}
BENCH_FUNCTION=${BENCH_FUNCTION:-plpgsql}
BENCH_COUNT=${BENCH_COUNT:-cpu}
. "$BENCH/lib/bench.sh"
. "$BENCH/lib/expiry.sh"

bench_build
bench_cluster "$BENCH_DIR" "$BENCH_PORT" "fsync = on"
q() { cluster_psql "$BENCH_DIR" "$BENCH_PORT" -q -At -d bench "$@"; }
sql -c "CREATE DATABASE bench" >/dev/null
expiry_setup
TASK=$(q -c "SELECT pg_get_functiondef('expire_one(jsonb)'::regprocedure)")

# variant_sql VARIANT on|off: the statements that make the variant, or undo it
variant_sql() {
	case $1:$2 in
	base:*) ;;
	task-noop:on) echo "CREATE OR REPLACE FUNCTION expire_one(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS \$\$ BEGIN RETURN p; END \$\$;" ;;
	task-noop:off) echo "$TASK;" ;;
	history-none:on) echo "ALTER DATABASE bench SET booking.history_level = 'none';" ;;
	history-none:off) echo "ALTER DATABASE bench RESET booking.history_level;" ;;
	two-indexes-fewer:on) echo "DROP INDEX booking.executions_ended; DROP INDEX booking.executions_list;" ;;
	two-indexes-fewer:off)
		echo "CREATE INDEX executions_ended ON booking.executions (stop_date) WHERE parent_id IS NULL AND status <> 'RUNNING';"
		echo "CREATE INDEX executions_list ON booking.executions (machine_id, start_date DESC) WHERE parent_id IS NULL;"
		;;
	notify-off:on) echo "ALTER DATABASE bench SET booking.notify = off;" ;;
	notify-off:off) echo "ALTER DATABASE bench RESET booking.notify;" ;;
	index-fillfactor-*:on)
		for i in executions_pkey executions_machine_name executions_list; do
			echo "ALTER INDEX booking.$i SET (fillfactor = ${1#index-fillfactor-}); REINDEX INDEX booking.$i;"
		done
		;;
	index-fillfactor-*:off)
		for i in executions_pkey executions_machine_name executions_list; do
			echo "ALTER INDEX booking.$i RESET (fillfactor); REINDEX INDEX booking.$i;"
		done
		;;
	fillfactor-*:on) echo "ALTER TABLE booking.executions SET (fillfactor = ${1#fillfactor-});" ;;
	fillfactor-*:off) echo "ALTER TABLE booking.executions RESET (fillfactor);" ;;
	*) die "unknown variant $1 (base task-noop history-none two-indexes-fewer notify-off fillfactor-N index-fillfactor-N)" ;;
	esac
}

# session_pid DIR / cpu_mark DIR NAME: psql lines that write the session's pid to DIR/pid,
# and its CPU time so far (utime + stime, clock ticks) to DIR/NAME
session_pid() { printf '%s\n' "\\o $1/pid" "SELECT pg_backend_pid();" "\\o"; }
cpu_mark() { echo "\\! awk '{ print \$14 + \$15 }' /proc/\$(cat $1/pid)/stat > $1/$2"; }
# per_execution DIR BEFORE AFTER: CPU µs per execution between the two marks
per_execution() {
	awk -v a="$(cat "$1/$2")" -v b="$(cat "$1/$3")" -v n="$BENCH_N" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.1f\n", (b - a) * 1000000 / hz / n }'
}

# measure ROUND.VARIANT: two numbers, CPU µs per execution of the session that ticks the
# due executions, then of the session that started them (per start)
measure() {
	local tmp=$BENCH_DIR/parts ticks=$((BENCH_N + 2)) done_n
	mkdir -p "$tmp"
	chmod 777 "$tmp"
	expiry_fresh "$BENCH_N"
	q -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
	{
		session_pid "$tmp"
		cpu_mark "$tmp" start_before
		expiry_start_sql "$BENCH_N"
		cpu_mark "$tmp" start_after
	} | q >/dev/null
	sleep 2.5
	if [ "$BENCH_COUNT" = instructions ]; then
		echo "$(tick_instructions "$tmp") $(per_execution "$tmp" start_before start_after)"
		return 0
	fi
	{
		session_pid "$tmp"
		cpu_mark "$tmp" before
		[ -z "${BENCH_PERF:-}" ] ||
			echo "\\! perf record -q ${BENCH_PERF_OPTS:--g} -p \$(cat $tmp/pid) -o $BENCH_PERF.$1 >/dev/null 2>&1 & echo \$! > $tmp/perf; sleep 0.5"
		# until a tick advances none (a tick stops at 62 executions with tasks that write: tick.c)
		echo "\\set more t"
		for ((i = 0; i < ticks; i++)); do printf '%s\n' '\if :more' 'SELECT booking.sfn_tick(100) > 0 AS more \gset' '\endif'; done
		cpu_mark "$tmp" after
		[ -z "${BENCH_PERF:-}" ] || echo "\\! kill -INT \$(cat $tmp/perf); sleep 1"
	} | q >/dev/null
	done_n=$(q -c "SELECT count(*) FROM booking.executions WHERE status = 'SUCCEEDED'")
	[ "$done_n" = "$BENCH_N" ] || die "$done_n of $BENCH_N executions succeeded"
	echo "$(per_execution "$tmp" before after) $(per_execution "$tmp" start_before start_after)"
}

# tick_instructions DIR: thousands of instructions per expiry of a single-user backend
# under callgrind that ticks the due executions (the cluster stopped meanwhile)
tick_instructions() {
	local tmp=$1 out=$1/callgrind.out ticks=$((BENCH_N / 50 + 3)) done_n
	command -v valgrind >/dev/null || die "BENCH_COUNT=instructions needs valgrind (apt-get install valgrind)"
	cluster_stop "$BENCH_DIR"
	rm -f "$out"
	{
		# as a timer worker's session (booking_pin_session_search_path)
		echo "SET search_path = pg_catalog, pg_temp;"
		for ((i = 0; i < ticks; i++)); do echo "SELECT booking.sfn_tick(100);"; done
		echo "SELECT 'succeeded=' || count(*) FROM booking.executions WHERE status = 'SUCCEEDED';"
	} | runuser -u postgres -- valgrind -q --tool=callgrind --toggle-collect=PortalRun --toggle-collect=CommitTransactionCommand \
		--callgrind-out-file="$out" "$PG_BIN/postgres" --single -D "$BENCH_DIR/data" bench \
		>"$tmp/single.log" 2>&1 || die "the single-user ticks (log: $tmp/single.log)"
	done_n=$(sed -n 's/.*"succeeded=\([0-9]*\)".*/\1/p' "$tmp/single.log" | tail -1)
	[ "$done_n" = "$BENCH_N" ] || die "$done_n of $BENCH_N executions succeeded (log: $tmp/single.log)"
	cluster_start "$BENCH_DIR" "$BENCH_PORT" || die "restarting the cluster"
	awk -v n="$BENCH_N" '/^(summary|totals):/ { t = $2 } END { printf "%.1f\n", t / n / 1000 }' "$out"
}

UNIT="CPU µs"
[ "$BENCH_COUNT" = instructions ] && UNIT="thousand instructions"
log "machine: $(machine)"
declare -A R S
for run in $(seq 1 "$BENCH_RUNS"); do
	for v in $BENCH_VARIANTS; do
		variant_sql "$v" on | q >/dev/null
		read -r u st < <(measure "$run.$v")
		variant_sql "$v" off | q >/dev/null
		log "run $run, $v: $u ($UNIT)/execution ticking, $st µs/start (load $(cut -d' ' -f1-3 /proc/loadavg))"
		R[$v]="${R[$v]:-} $u"
		S[$v]="${S[$v]:-} $st"
	done
done
# the difference from base: the median of each round's difference (a drift of the
# machine between rounds cancels out), when base was measured
echo "| variant | N | $UNIT/execution, median | the runs | difference from base, median of the rounds' | the start's CPU µs/start, median |"
echo "|---|---:|---:|---|---:|---:|"
for v in $BENCH_VARIANTS; do
	# shellcheck disable=SC2086
	m=$(median ${R[$v]})
	d=
	if [ -n "${R[base]:-}" ] && [ "$v" != base ]; then
		# shellcheck disable=SC2046,SC2086
		d=$(median $(paste -d' ' <(printf '%s\n' ${R[$v]}) <(printf '%s\n' ${R[base]}) | awk '{ printf "%.1f\n", $1 - $2 }'))
		d=$(awk -v d="$d" 'BEGIN { printf "%+.1f", d }')
	fi
	# shellcheck disable=SC2086
	echo "| $v | $BENCH_N | $m | ${R[$v]# } | $d | $(median ${S[$v]}) |"
done

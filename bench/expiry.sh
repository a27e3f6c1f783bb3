#!/usr/bin/env bash
# bench/expiry.sh — the booking story's expiry as a job, booking against two job queues.
#
# One private cluster (BENCH_DIR, port BENCH_PORT, default 55400; fsync on,
# track_commit_timestamp on), database "bench", a table of N reservations
# (BENCH_N, default 20,000). Each engine schedules N jobs, each due 2 s after it
# is scheduled (batches of 1,000 a statement), and each job updates one row:
# its reservation's status, due and expired_at.
#
#   booking, booking.workers = 1 and 2: a state machine, Wait until $.due, then a
#     Lambda-style Task calling the SQL function expire_one(jsonb) (the UPDATE)
#   graphile-worker 0.18.0: concurrency 10, local queue 100, add_job with run_at
#   pg-boss 12.38.0, startAfter: one UPDATE per job in the job's transaction
#     (UPDATE and complete committed together), and one UPDATE per batch of 100
#
# The queues come from npm into bench/queues/ (its own package.json and lock;
# `npm ci` there when node_modules is missing). Each engine runs BENCH_RUNS times
# (default 3) on a fresh table and queue; the table shows the medians.
#
#   scheduled/s  N / the wall time of scheduling (all batches)
#   completed/s  N / (last completion's commit - first due time)
#   lateness     commit time of the reservation's update - its due time
#                (pg_xact_commit_timestamp: when others see it), p50 and p99
#
# BENCH_NOTIFY (default on, booking's default) sets booking.notify for the cluster;
# BENCH_WORKER_BATCH (default 100, booking's default) booking.worker_batch_size,
# the executions a timer worker advances per transaction (a commit, an fsync, each).
# BENCH_FUNCTION (plpgsql, or sql) is the language of expire_one, booking's Task:
# PostgreSQL 15 parses and plans a LANGUAGE sql function again in every new
# subtransaction (its cache lives one), and each execution runs in its own;
# PL/pgSQL keeps its plans for the backend's life.
# For booking, the timer workers' CPU time (utime + stime from /proc/<pid>/stat,
# before the first start and after the last completion) per execution: robust
# to a loaded machine, where completed/s is the worker's share of a core.
# BENCH_EXTRA_SQL, statements run in database bench after the set-up, tries a change.
# BENCH_INTERLEAVE=1 runs the engines in rounds (each once a round) instead of one after
# the other: on a machine whose speed drifts over minutes, a fairer comparison.
# BENCH_PERF=PATH records the workers with `perf record -g` over each booking run
# (PATH.<engine>.<run>).
# Prints a markdown table on stdout, progress on stderr, with the load average
# before and after each engine. Nothing asserts on time; it fails only if an
# engine does not finish all N jobs in 300 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-expiry${BOOKING_TEST_TAG:-}}
BENCH_PORT=${BENCH_PORT:-55400}
BENCH_N=${BENCH_N:-20000}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_ENGINES=${BENCH_ENGINES:-"booking1 booking2 graphile pgboss-job pgboss-batch"}
BENCH_NOTIFY=${BENCH_NOTIFY:-on}
BENCH_FUNCTION=${BENCH_FUNCTION:-plpgsql}
BENCH_WORKER_BATCH=${BENCH_WORKER_BATCH:-100}
. "$BENCH/lib/bench.sh"
. "$BENCH/lib/expiry.sh"

bench_build
if [ ! -d "$BENCH/queues/node_modules/pg-boss" ] || [ ! -d "$BENCH/queues/node_modules/graphile-worker" ]; then
	log "installing the queues (npm ci in bench/queues)"
	(cd "$BENCH/queues" && npm ci --no-audit --no-fund >&2) || die "npm ci in bench/queues"
fi
# bench_cluster creates the extension in database postgres; the benchmark uses "bench"
bench_cluster "$BENCH_DIR" "$BENCH_PORT" "booking.database = 'bench'" "track_commit_timestamp = on" "fsync = on" \
	"max_connections = 100" "booking.notify = $BENCH_NOTIFY"
CONN="postgresql://postgres@localhost:$BENCH_PORT/bench"
q() { cluster_psql "$BENCH_DIR" "$BENCH_PORT" -q -At -d bench "$@"; }
sql -c "CREATE DATABASE bench" >/dev/null
expiry_setup

# BENCH_EXTRA_SQL: statements run in "bench" after the set-up (to try a change)
[ -z "${BENCH_EXTRA_SQL:-}" ] || q >/dev/null <<<"$BENCH_EXTRA_SQL"

# fresh: N open reservations, no executions, no queue jobs
fresh() {
	expiry_fresh "$BENCH_N"
	q >/dev/null <<SQL
DO \$\$ BEGIN
  IF to_regclass('graphile_worker._private_jobs') IS NOT NULL THEN EXECUTE 'DELETE FROM graphile_worker._private_jobs'; END IF;
  IF to_regclass('pgboss.job') IS NOT NULL THEN EXECUTE 'DELETE FROM pgboss.job'; END IF;
END \$\$;
SQL
	q -c "VACUUM ANALYZE" >/dev/null
}

now() { date +%s.%N; }

# run_booking: prints "scheduled/s worker-CPU-µs-per-execution"
run_booking() {
	local t0 t1 c0 c1 perf_pid=
	c0=$(bench_worker_ticks bench)
	if [ -n "${BENCH_PERF:-}" ]; then
		perf record -q ${BENCH_PERF_OPTS:--g} -o "$BENCH_PERF.$engine.$run" \
			-p "$(q -c "SELECT string_agg(pid::text, ',') FROM booking.timer_workers() WHERE database = 'bench'")" \
			>/dev/null 2>&1 &
		perf_pid=$!
	fi
	t0=$(now)
	expiry_start_sql "$BENCH_N" | q >/dev/null
	t1=$(now)
	for _ in $(seq 1 3000); do
		[ "$(q -c "SELECT count(*) FROM reservations WHERE expired_at IS NOT NULL")" -ge "$BENCH_N" ] && break
		sleep 0.1
	done
	c1=$(bench_worker_ticks bench)
	if [ -n "$perf_pid" ]; then
		kill -INT "$perf_pid"
		wait "$perf_pid" || true
	fi
	[ "$(q -c "SELECT count(*) FROM booking.executions WHERE status = 'SUCCEEDED'")" = "$BENCH_N" ] \
		|| die "booking: not all $BENCH_N executions succeeded in 300 s"
	awk -v n="$BENCH_N" -v a="$t0" -v b="$t1" -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%d %d\n", n / (b - a), c * 1000000 / hz / n }'
}

# measure: "completed/s p50 p99" (seconds) of the current table
measure() {
	q -F ' ' -c "SELECT round($BENCH_N / extract(epoch FROM max(pg_xact_commit_timestamp(xmin)) - min(due))),
	  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM pg_xact_commit_timestamp(xmin) - due))::numeric, 2),
	  round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM pg_xact_commit_timestamp(xmin) - due))::numeric, 2)
	  FROM reservations WHERE expired_at IS NOT NULL"
}

label() {
	case $1 in
	booking1) echo "booking, booking.workers = 1, worker_batch_size $BENCH_WORKER_BATCH, booking.notify $BENCH_NOTIFY, Task in $BENCH_FUNCTION" ;;
	booking2) echo "booking, booking.workers = 2, worker_batch_size $BENCH_WORKER_BATCH, booking.notify $BENCH_NOTIFY, Task in $BENCH_FUNCTION" ;;
	graphile) echo "graphile-worker 0.18.0 (concurrency 10, local queue 100)" ;;
	pgboss-job) echo "pg-boss 12.38.0, one UPDATE per job in the job's transaction" ;;
	pgboss-batch) echo "pg-boss 12.38.0, one UPDATE per batch of 100" ;;
	esac
}

log "machine: $(machine)"
echo "| engine | N | runs | scheduled/s | completed/s | lateness p50 / p99 (s) | timer workers' CPU µs/execution | load average before → after |"
echo "|---|---:|---:|---:|---:|---|---:|---|"

# one_run ENGINE: one run on a fresh table and queue, its figures kept in the engine's lists
# (the cluster is restarted with the engine's timer workers when the engine changes: in
# rounds, before every run)
declare -A S C P50 P99 U LOAD0
configured=
one_run() {
	local engine=$1 s u c p50 p99
	if [ "$engine" != "$configured" ]; then
		case $engine in
		booking1) bench_reconfigure bench 1 "booking.worker_batch_size = $BENCH_WORKER_BATCH" ;;
		booking2) bench_reconfigure bench 2 "booking.worker_batch_size = $BENCH_WORKER_BATCH" ;;
		*) bench_reconfigure bench 0 ;;
		esac
		configured=$engine
	fi
	[ -n "${LOAD0[$engine]:-}" ] || LOAD0[$engine]=$(cut -d' ' -f1-3 /proc/loadavg)
	fresh
	u=
	case $engine in
	booking*) read -r s u < <(run_booking) ;;
	*) s=$(cd "$BENCH/queues" && node expiry.mjs "$engine" "$BENCH_N" "$CONN") || die "$engine" ;;
	esac
	read -r c p50 p99 < <(measure)
	log "$engine run $run: scheduled/s $s, completed/s $c, lateness p50 $p50 s, p99 $p99 s${u:+, worker CPU $u µs/execution} (load $(cut -d' ' -f1-3 /proc/loadavg))"
	S[$engine]+=" $s" C[$engine]+=" $c" P50[$engine]+=" $p50" P99[$engine]+=" $p99"
	[ -z "$u" ] || U[$engine]+=" $u"
}

row() {
	local engine=$1
	# shellcheck disable=SC2086  # the lists are words
	echo "| $(label "$engine") | $BENCH_N | $BENCH_RUNS | $(median ${S[$engine]}) | $(median ${C[$engine]}) | $(median ${P50[$engine]}) / $(median ${P99[$engine]}) | ${U[$engine]:+$(median ${U[$engine]})} | ${LOAD0[$engine]} → $(cut -d' ' -f1-3 /proc/loadavg) |"
}

# BENCH_INTERLEAVE=1: each round runs every engine once, so a machine whose speed drifts
# (a shared one does, over minutes) weighs on all of them alike; the table comes at the end
if [ "${BENCH_INTERLEAVE:-0}" = 1 ]; then
	for run in $(seq 1 "$BENCH_RUNS"); do
		for engine in $BENCH_ENGINES; do one_run "$engine"; done
	done
	for engine in $BENCH_ENGINES; do row "$engine"; done
else
	for engine in $BENCH_ENGINES; do
		for run in $(seq 1 "$BENCH_RUNS"); do one_run "$engine"; done
		row "$engine"
	done
fi

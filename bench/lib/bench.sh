# bench/lib/bench.sh — helpers shared by bench/durable.sh, bench/memory.sh and bench/retention.sh.
# Sourced, not run. Needs BENCH (bench/) and ROOT (the repository) set.
#
#   log MSG / die MSG             progress and fatal errors, on stderr
#   bench_build                   ./install.sh build (packages, build, install; idempotent);
#                                 BENCH_SKIP_BUILD=1 skips it (benchmarks the installed build)
#   bench_cluster DIR PORT [LINE...]  a fresh private cluster as the postgres user with
#                                 CREATE EXTENSION booking (in database postgres); no timer
#                                 workers unless a LINE (added to its configuration) says
#                                 so; stopped at exit (also on failure)
#   bench_reconfigure DB K [LINE...]  restarts that cluster with booking.workers = K and the
#                                 LINEs added, then waits until its K timer workers serve DB
#   sql [psql args]               psql -At on that cluster (ON_ERROR_STOP)
#   median N...                   the median (the lower middle for an even count)
#   bench_worker_ticks DB         CPU time (utime + stime, clock ticks) of DB's timer workers, summed
#   machine                       one line: cores, CPU, PostgreSQL version
. "$ROOT/test/lib/cluster.sh"

log() { echo "bench: $*" >&2; }
die() { echo "bench: FAILED: $*" >&2; exit 1; }

bench_build() {
	if [ "${BENCH_SKIP_BUILD:-0}" = 1 ]; then
		log "BENCH_SKIP_BUILD=1: using the extension as installed"
		return 0
	fi
	log "building and installing the extension (./install.sh build)"
	(cd "$ROOT" && ./install.sh build >&2) || die "./install.sh build"
}

_BENCH_CLUSTER_DIR=
# (returns 0: under set -e a failing command in an EXIT trap would end the trap early;
# the script's exit status is kept either way)
_bench_stop() {
	if [ -n "$_BENCH_CLUSTER_DIR" ]; then cluster_stop "$_BENCH_CLUSTER_DIR"; fi
	return 0
}

bench_cluster() {
	local dir=$1 port=$2 line
	shift 2
	_BENCH_CLUSTER_DIR=$dir
	BENCH_CLUSTER_PORT=$port
	trap _bench_stop EXIT
	log "starting a fresh private cluster in $dir (port $port)"
	cluster_stop "$dir"
	rm -rf "$dir"
	cluster_init "$dir" "$port" || die "initdb in $dir"
	# no timer workers: the benchmarks tick themselves and count what their ticks advance
	echo "booking.workers = 0" | runuser -u postgres -- tee -a "$dir/data/booking.conf" >/dev/null
	for line in "$@"; do
		echo "$line" | runuser -u postgres -- tee -a "$dir/data/booking.conf" >/dev/null
	done
	cluster_start "$dir" "$port" || die "starting the cluster in $dir"
	sql -c "CREATE EXTENSION booking" >/dev/null || die "CREATE EXTENSION booking"
}

bench_reconfigure() {
	local db=$1 workers=$2 line
	shift 2
	for line in "booking.workers = $workers" "$@"; do
		echo "$line" | runuser -u postgres -- tee -a "$_BENCH_CLUSTER_DIR/data/booking.conf" >/dev/null
	done
	cluster_stop "$_BENCH_CLUSTER_DIR"
	cluster_start "$_BENCH_CLUSTER_DIR" "$BENCH_CLUSTER_PORT" || die "restarting the cluster"
	# the workers connect once their database exists (they retry every 5 s)
	for _ in $(seq 1 100); do
		[ "$(sql -d "$db" -c "SELECT count(*) FROM booking.timer_workers()")" = "$workers" ] && return 0
		sleep 0.1
	done
	die "the $workers timer workers did not start"
}

sql() { cluster_psql "$_BENCH_CLUSTER_DIR" "$BENCH_CLUSTER_PORT" -q -At "$@"; }

bench_worker_ticks() {
	local pid sum=0
	for pid in $(sql -d "$1" -c "SELECT pid FROM booking.timer_workers() WHERE database = '$1'"); do
		sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
	done
	echo "$sum"
}

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

machine() {
	echo "$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')"
}

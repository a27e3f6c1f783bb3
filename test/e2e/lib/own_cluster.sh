# test/e2e/lib/own_cluster.sh — a private cluster of a test's own, for tests that
# restart or crash the server (kill -9, pg_ctl -m immediate) or need settings
# only a restart sets (booking.database, booking.workers). Sourced, not a test.
#
#   own_cluster_start DIR PORT [SETTING=VALUE...]
#       a fresh cluster in DIR (test/lib/cluster.sh: booking and pg_cron
#       preloaded) with these settings added, started; exports PGHOST, PGPORT,
#       PGUSER for psql. The caller's EXIT trap must call own_cluster_stop.
#   own_cluster_restart     pg_ctl start again (after a crash or an immediate stop)
#   own_cluster_stop        stop it (fast) and remove DIR; idempotent
#   own_cluster_log         its server log
OWN_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$OWN_LIB/../../lib/cluster.sh"
OWN_DIR=
OWN_PORT=

own_cluster_start() {
	OWN_DIR=$1 OWN_PORT=$2
	shift 2
	cluster_stop "$OWN_DIR"
	as_root rm -rf "$OWN_DIR"	# the postgres user's
	cluster_init "$OWN_DIR" "$OWN_PORT" || return 1
	local s
	for s in "$@"; do
		echo "${s%%=*} = '${s#*=}'" | as_postgres tee -a "$OWN_DIR/data/booking.conf" >/dev/null
	done
	cluster_start "$OWN_DIR" "$OWN_PORT" || return 1
	export PGHOST=$OWN_DIR PGPORT=$OWN_PORT PGUSER=postgres
}

own_cluster_restart() {
	cluster_start "$OWN_DIR" "$OWN_PORT"
}

own_cluster_stop() {
	[ -n "$OWN_DIR" ] || return 0
	cluster_stop "$OWN_DIR"
	# an immediate stop leaves no postmaster.pid behind to find, a crash may
	if [ -f "$OWN_DIR/data/postmaster.pid" ]; then
		as_postgres "$PG_BIN/pg_ctl" -D "$OWN_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	as_root rm -rf "$OWN_DIR"	# the postgres user's
	OWN_DIR=
}

own_cluster_log() {
	cat "$OWN_DIR/server.log"
}

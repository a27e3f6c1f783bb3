# cluster.sh — a private PostgreSQL 15 cluster run as the postgres user.
# Sourced by install.sh and test/run.sh. Never touches the system's cluster.
#
#   cluster_init DIR PORT   create DIR/data if missing, configured for booking
#   cluster_start DIR PORT  start it (idempotent)
#   cluster_stop DIR        stop it (fast; idempotent)
#   cluster_psql DIR PORT [psql args]   psql as postgres

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# PostgreSQL refuses to run as root, so the clusters belong to the postgres
# user: as root we switch with runuser, as anyone else with sudo (as install.sh
# installs packages). as_root runs a command as root the same way.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
as_postgres() {
	if [ "$(id -un)" = postgres ]; then "$@"
	elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
	else sudo -u postgres -- "$@"; fi
}

# BOOKING_DESTDIR: booking was installed with `make install DESTDIR=...` (not
# into the system's PostgreSQL): the cluster loads it from there (Debian's
# extension_destdir), so several checkouts can be tested side by side.
booking_destdir_conf() {
	[ -n "${BOOKING_DESTDIR:-}" ] || return 0
	echo "extension_destdir = '$BOOKING_DESTDIR'"
	echo "dynamic_library_path = '$BOOKING_DESTDIR$(pg_config --pkglibdir):\$libdir'"
}

cluster_init() {
	local dir=$1 port=$2
	as_root mkdir -p "$dir"
	as_root chown postgres:postgres "$dir"
	as_root chmod 700 "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust \
			--encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
			|| { cat "$dir/initdb.log"; return 1; }
	fi
	# booking.conf is rewritten each time so settings follow the checkout
	as_postgres tee "$dir/data/booking.conf" >/dev/null <<CONF
port = $port
listen_addresses = 'localhost'
unix_socket_directories = '$dir'
shared_preload_libraries = 'pg_cron,booking'
cron.database_name = 'postgres'
max_worker_processes = 16
log_min_messages = warning
log_line_prefix = '%m [%p] %b '
fsync = on
$(booking_destdir_conf)
CONF
	grep -q "^include_if_exists = 'booking.conf'" "$dir/data/postgresql.conf" ||
		echo "include_if_exists = 'booking.conf'" | as_postgres tee -a "$dir/data/postgresql.conf" >/dev/null
}

cluster_start() {
	local dir=$1 port=$2
	if as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		return 0
	fi
	as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
		|| { tail -50 "$dir/server.log"; return 1; }
}

cluster_stop() {
	local dir=$1
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
	fi
}

cluster_psql() {
	local dir=$1 port=$2
	shift 2
	psql -X -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$@"
}

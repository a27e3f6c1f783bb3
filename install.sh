#!/usr/bin/env bash
# install.sh — set up booking on a fresh Debian 12 machine and run the main job.
#
#   ./install.sh          install packages, build, install the extension, start a
#                         private cluster with booking (and its timer worker) and
#                         pg_cron preloaded, load the application (app/load.sql), run
#                         the story live (app/story.sh), start the GraphQL server
#                         (graphql/start.sh), and leave both running
#   ./install.sh deps     only install the Debian packages (idempotent)
#   ./install.sh build    deps, then build and install the extension
#   ./install.sh stop     stop the GraphQL server and the private cluster
#   ./install.sh check    only say whether what it cannot install itself is there
#
# Needs: Debian 12, root or sudo without a password prompt (packages, the postgres
# user's clusters), and
# Node.js 20 or later with npm for the GraphQL server (Debian 12's nodejs is 18,
# too old; install from nodejs.org or NodeSource). It stops at once, saying so,
# when one is missing.
#
# Settings (environment): BOOKING_DIR (default /tmp/booking), BOOKING_PORT (default 54321).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
BOOKING_DIR=${BOOKING_DIR:-/tmp/booking}
BOOKING_PORT=${BOOKING_PORT:-54321}
. "$ROOT/test/lib/cluster.sh"

APT_PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-15-cron postgresql-contrib
	libjson-c-dev libpcre2-dev libssl-dev pkg-config make gcc clang llvm libclang-rt-14-dev pg-bsd-indent)

# what apt-get here does not provide; prints each missing one, fails if any
check_requirements() {
	local problems=0 major
	if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
		echo "missing: root or sudo (Debian packages, and the postgres user's clusters)" >&2
		problems=1
	elif [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
		# a long run calls sudo many times: a password prompt would stop it midway
		echo "missing: sudo without a password prompt (run as root, or \`sudo -v\` first;" \
			"packages and the postgres user's clusters need it)" >&2
		problems=1
	fi
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		echo "missing: Node.js 20 or later with npm (the GraphQL server; Debian 12's nodejs is 18, too old:" \
			"install it from https://nodejs.org or NodeSource)" >&2
		problems=1
	else
		major=$(node -p 'process.versions.node.split(".")[0]')
		if [ "$major" -lt 20 ]; then
			echo "missing: Node.js 20 or later (found $(node --version); Debian 12's nodejs is 18:" \
				"install a newer one from https://nodejs.org or NodeSource)" >&2
			problems=1
		fi
	fi
	return $problems
}

install_deps() {
	local missing=()
	for p in "${APT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "installing Debian packages: ${missing[*]}"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
}

build_install() {
	make -s -j2
	if [ -n "${BOOKING_DESTDIR:-}" ]; then
		make -s install DESTDIR="$BOOKING_DESTDIR"	# see test/lib/cluster.sh
	else
		as_root make -s install
	fi
}

run_main() {
	cluster_init "$BOOKING_DIR" "$BOOKING_PORT"
	cluster_start "$BOOKING_DIR" "$BOOKING_PORT"
	cluster_psql "$BOOKING_DIR" "$BOOKING_PORT" -q -f app/load.sql
	# the story, live: reservations paid, expired and impossible, timers fired by the worker
	app/story.sh "$BOOKING_DIR" "$BOOKING_PORT"
	# the GraphQL front (the article's AppSync API) and the Step Functions API (port 8083),
	# in the background
	graphql/start.sh "$BOOKING_DIR" "$BOOKING_PORT"
	cat <<INFO

booking is running: PostgreSQL 15 on port $BOOKING_PORT (data in $BOOKING_DIR/data), with the
timer worker and pg_cron; the application is in schema booking_app.
  connect:  psql -h $BOOKING_DIR -p $BOOKING_PORT -U postgres
  try:      SELECT * FROM booking_app.list_apartments();
            SELECT booking_app.reserve_apartment('porto-ribeira-1', 'you', 30);
            SELECT booking_app.record_payment('porto-ribeira-1', 75);
  GraphQL:  see above (URL and x-api-key); graphql/README.md has the article's documents
  Step Functions API: see above (http://127.0.0.1:8083); README.md shows the AWS CLI and SDK settings
  stop:     ./install.sh stop      (the GraphQL server and the cluster)
INFO
}

case "${1:-main}" in
	deps) install_deps ;;
	check) check_requirements && echo "requirements: ok" ;;
	build) install_deps; build_install ;;
	stop) graphql/start.sh stop "$BOOKING_DIR"; cluster_stop "$BOOKING_DIR"; echo "stopped" ;;
	main) check_requirements || exit 1; install_deps; build_install; run_main ;;
	*) echo "usage: $0 [deps|build|check|stop]" >&2; exit 2 ;;
esac

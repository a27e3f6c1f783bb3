#!/usr/bin/env bash
# graphql/start.sh — run the GraphQL server against install.sh's cluster (the main job).
#
#   graphql/start.sh [DIR PORT]   npm ci (when node_modules does not match the lockfile),
#                                 api.sql and roles.sql into the database, then the
#                                 server in the background; prints its URL and API key
#   graphql/start.sh stop [DIR]   stops it
#
# DIR, PORT: the cluster's socket directory and port (default BOOKING_DIR=/tmp/booking,
# BOOKING_PORT=54321, as install.sh). Environment: BOOKING_DB (default postgres: the
# database app/load.sql was loaded into), GRAPHQL_PORT (default 5000), GRAPHQL_HOST
# (default 127.0.0.1), BOOKING_API_KEY (default: the one kept in DIR/graphql-api-key,
# made on the first start), GRAPHILE_ENV (development: GraphiQL at /graphiql).
# A supervisor restarts the server whenever it dies (a crash, an out-of-memory
# kill), a second later; stop ends both. The log is DIR/graphql.log (restarts
# included), the supervisor's pid DIR/graphql.pid.
# /metrics (Prometheus) connects as booking_metrics (roles.sql).
set -euo pipefail
GQL=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$GQL")
. "$ROOT/test/lib/cluster.sh"

stop_server() {
	local dir=$1 pid
	[ -f "$dir/graphql.pid" ] || return 0
	pid=$(cat "$dir/graphql.pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -f "$dir/graphql.pid"
}

if [ "${1:-}" = stop ]; then
	stop_server "${2:-${BOOKING_DIR:-/tmp/booking}}"
	echo "GraphQL server stopped"
	exit 0
fi

DIR=${1:-${BOOKING_DIR:-/tmp/booking}}
PORT=${2:-${BOOKING_PORT:-54321}}
DB=${BOOKING_DB:-postgres}
GRAPHQL_PORT=${GRAPHQL_PORT:-5000}
GRAPHQL_HOST=${GRAPHQL_HOST:-127.0.0.1}

cd "$GQL"
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.booking-lock 2>/dev/null)" != "$lock_sum" ]; then
	npm ci --no-audit --no-fund --loglevel=error
	echo "$lock_sum" >node_modules/.booking-lock
fi

cluster_psql "$DIR" "$PORT" -q -d "$DB" -f "$GQL/api.sql"
cluster_psql "$DIR" "$PORT" -q -d "$DB" -f "$GQL/roles.sql"

if [ -z "${BOOKING_API_KEY:-}" ]; then
	if [ ! -s "$DIR/graphql-api-key" ]; then
		(umask 077; node -e 'console.log("da2-" + require("crypto").randomBytes(20).toString("hex"))' >"$DIR/graphql-api-key")
	fi
	BOOKING_API_KEY=$(cat "$DIR/graphql-api-key")
fi

# runs the server, and again whenever it exits on its own
supervise() {
	local child= status
	set +e		# the server's exit is what this waits for, not a reason to stop
	trap '[ -n "$child" ] && kill "$child" 2>/dev/null; [ -n "$child" ] && wait "$child"; exit 0' TERM INT
	while :; do
		node server.mjs >>"$DIR/graphql.log" 2>&1 &
		child=$!
		wait "$child"
		status=$?
		echo "$(date -u +%FT%TZ) booking GraphQL server exited (status $status): restarting" >>"$DIR/graphql.log"
		sleep 1
	done
}

stop_server "$DIR"
: >"$DIR/graphql.log"
export DATABASE_URL="postgres://booking_graphql@localhost:$PORT/$DB" PORT=$GRAPHQL_PORT HOST=$GRAPHQL_HOST \
	BOOKING_METRICS_DATABASE_URL="postgres://booking_metrics@localhost:$PORT/$DB" \
	BOOKING_API_KEY=$BOOKING_API_KEY
supervise </dev/null >/dev/null 2>&1 &
echo $! >"$DIR/graphql.pid"
for _ in $(seq 300); do
	grep -q "listening on" "$DIR/graphql.log" && break
	kill -0 "$(cat "$DIR/graphql.pid")" 2>/dev/null || { cat "$DIR/graphql.log"; echo "the GraphQL server did not start" >&2; exit 1; }
	sleep 0.1
done
grep -q "listening on" "$DIR/graphql.log" || { cat "$DIR/graphql.log"; echo "the GraphQL server did not start in 30 s" >&2; exit 1; }
URL=http://$GRAPHQL_HOST:$GRAPHQL_PORT/graphql
cat <<INFO
GraphQL (PostGraphile) is running: $URL (log $DIR/graphql.log)
  API key:  $BOOKING_API_KEY   (header x-api-key)
  try:      curl -s $URL -H 'content-type: application/json' -H 'x-api-key: $BOOKING_API_KEY' \\
              -d '{"query": "{ getStepFunctions { id arn } }"}'
  metrics:  curl -s http://$GRAPHQL_HOST:$GRAPHQL_PORT/metrics   (Prometheus text, as booking_metrics)
  stop:     graphql/start.sh stop
INFO

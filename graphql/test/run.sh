#!/usr/bin/env bash
# graphql/test/run.sh — the GraphQL front's tests (test/run.sh's "graphql" stage).
#
#  1. npm ci in graphql/ when node_modules does not match package-lock.json
#  2. a private cluster (port 54343, /tmp/booking-graphql; test/lib/cluster.sh:
#     booking and pg_cron preloaded), database "booking": the extension, the
#     application (app/load.sql: schema, apartments, the article's state machines),
#     graphql/api.sql, graphql/roles.sql
#  3. every test/*.test.mjs with node's test runner, one file at a time; each
#     starts the real server (server.mjs) as booking_graphql and talks HTTP and
#     websockets to it; sfn*.test.mjs start its Step Functions API too (as
#     booking_sfn, graphql/sfn_roles.sql) and drive it with the AWS SDK and CLI
#  4. one line per file: "graphql-result FILE ok|FAILED TESTS"; the cluster is
#     stopped and servers killed whatever happens; exit status non-zero on failure
#
# The extension must be built and installed (./install.sh build; test/run.sh's setup).
# Settings: BOOKING_GRAPHQL_TEST_DIR, BOOKING_GRAPHQL_TEST_PORT, BOOKING_SFN_TEST_PORT
# (the Step Functions API's, and the next one; default: any free port); KEEP_CLUSTER=1
# leaves the cluster running (for development).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
GQL=$(dirname "$HERE")
ROOT=$(dirname "$GQL")
DIR=${BOOKING_GRAPHQL_TEST_DIR:-/tmp/booking-graphql${BOOKING_TEST_TAG:-}}
PORT=${BOOKING_GRAPHQL_TEST_PORT:-$((54343 + ${BOOKING_PORT_OFFSET:-0}))}
DB=booking
LOGS=${GRAPHQL_TEST_LOGS:-$ROOT/build/test-logs/graphql}
. "$ROOT/test/lib/cluster.sh"

cleanup() {
	[ "${KEEP_CLUSTER:-0}" = 1 ] || cluster_stop "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail_setup() { echo "setup failed: $*"; echo "graphql-result setup FAILED 1"; exit 1; }

mkdir -p "$LOGS"

# 1. dependencies, exactly as locked
cd "$GQL" || exit 1
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.booking-lock 2>/dev/null)" != "$lock_sum" ]; then
	echo "== npm ci"
	npm ci --no-audit --no-fund >"$LOGS/npm-ci.log" 2>&1 || { tail -30 "$LOGS/npm-ci.log"; fail_setup "npm ci"; }
	echo "$lock_sum" >node_modules/.booking-lock
fi

# 2. the cluster and the database
echo "== private cluster (port $PORT, $DIR)"
cluster_stop "$DIR"
as_root rm -rf "$DIR"	# the postgres user's
cluster_init "$DIR" "$PORT" && cluster_start "$DIR" "$PORT" || fail_setup "cluster start"
# the application: app/load.sql (schema, sample apartments, the state machines),
# run from the repository root as install.sh runs it
cd "$ROOT" || exit 1
APP_SQL=app/load.sql
{
	cluster_psql "$DIR" "$PORT" -q -d postgres -c "CREATE DATABASE $DB" &&
	cluster_psql "$DIR" "$PORT" -q -d "$DB" -c "CREATE EXTENSION booking" &&
	cluster_psql "$DIR" "$PORT" -q -d "$DB" -f "$APP_SQL" &&
	cluster_psql "$DIR" "$PORT" -q -d "$DB" -f graphql/api.sql &&
	cluster_psql "$DIR" "$PORT" -q -d "$DB" -f graphql/roles.sql &&
	cluster_psql "$DIR" "$PORT" -q -d "$DB" -f graphql/sfn_roles.sql
} >"$LOGS/setup.log" 2>&1 || { cat "$LOGS/setup.log"; fail_setup "loading the database"; }

# 3. the tests
export DATABASE_URL="postgres://booking_graphql@localhost:$PORT/$DB"
export ADMIN_DATABASE_URL="postgres://postgres@localhost:$PORT/$DB"
# the Step Functions API endpoint's own role (graphql/sfn_roles.sql); its tests
# (sfn*.test.mjs) start it on BOOKING_SFN_TEST_PORT (+1, +2; their GraphQL servers
# +50…), else on any free port
export BOOKING_SFN_DATABASE_URL="postgres://booking_sfn@localhost:$PORT/$DB"
# limits.test.mjs runs graphql/start.sh against this cluster
export GRAPHQL_TEST_CLUSTER_DIR="$DIR" GRAPHQL_TEST_CLUSTER_PORT="$PORT"
cd "$GQL" || exit 1
status=0
for t in test/*.test.mjs; do
	name=$(basename "$t" .test.mjs)
	timeout "${GRAPHQL_TEST_TIMEOUT:-300}" node --test --test-reporter=tap "$t" >"$LOGS/$name.tap" 2>&1
	rc=$?
	tests=$(sed -n 's/^# tests \([0-9]*\)$/\1/p' "$LOGS/$name.tap" | tail -1)
	failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$LOGS/$name.tap" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "graphql-result $name ok ${tests:-0}"
	else
		status=1
		echo "graphql-result $name FAILED ${failed:-?}/${tests:-?}"
		grep -E '^\s*not ok|^\s+(error|expected|actual|stack|location):' "$LOGS/$name.tap" | head -40
		echo "(full output: $LOGS/$name.tap)"
	fi
done
grep -E 'PANIC|TRAP|terminated by signal' "$DIR/server.log" && { status=1; echo "graphql-result server-log FAILED 1"; }
exit $status

#!/usr/bin/env bash
# test/e2e/upgrade.sh — ALTER EXTENSION booking UPDATE from the oldest
# release gives the same schema as a fresh install, and workflows go on.
#
# The rule (docs/operations.md): every change to the schema ships in the
# version's full script AND in the upgrade script(s) to it. This test catches
# a change made in one and not the other.
#
#  1. The oldest release, 1.0, is built from git: the commit before the first
#     upgrade script from 1.0 was added (its library and its SQL; cached in
#     /tmp by commit). A private cluster runs it: CREATE EXTENSION booking
#     (1.0), state machines, executions parked on timers, on a task token and
#     on an activity task, one ended (lib/parked_workflows.sh).
#  2. The package is replaced by this checkout's (the server restarted on the
#     new library, as a package upgrade does), then ALTER EXTENSION booking
#     UPDATE; the version must be the control file's default.
#  3. A fresh database gets CREATE EXTENSION booking. lib/catalog_snapshot.sql
#     describes the extension in both (every object of the extension or its
#     schema: tables, columns, types, defaults, constraints, indexes, functions
#     with their volatility, security, strictness and configuration, views,
#     triggers, policies, sequences, types, owners, ACLs, comments, extension
#     membership, the config-dump list): the two must be identical. The fresh
#     install must not create a role the upgrade did not. A probe object added
#     to one side only must show in the comparison (the check can fail).
#  4. In the upgraded database the parked executions fire by themselves and
#     the token and the activity task are answered; a Retry back-off, a task's
#     TimeoutSeconds and HeartbeatSeconds and the machine's TimeoutSeconds set
#     under 1.0 go off, none early; the history of the ended
#     one is intact; new executions run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/lib/own_cluster_test.sh"
. "$HERE/lib/parked_workflows.sh"
E2E_DB=booking_e2e_upgrade
FRESH_DB=booking_e2e_upgrade_fresh
TAG=${BOOKING_TEST_TAG:-}
DIR=/tmp/booking-e2e-upgrade$TAG
PORT=$((54385 + ${BOOKING_PORT_OFFSET:-0}))
SETTINGS=(booking.database=$E2E_DB booking.workers=1)
N=5
NEW_DESTDIR=${BOOKING_DESTDIR:-}

# ---- 1. the oldest release, from git
first_upgrade=$(git -C "$ROOT" log --diff-filter=A --format=%H -- 'booking--1.0--*.sql' | tail -1)
[ -n "$first_upgrade" ] || fail "no commit adds an upgrade script from 1.0 (is $ROOT a git checkout with its history?)"
old=$(git -C "$ROOT" rev-parse "$first_upgrade^")
[ "$(git -C "$ROOT" show "$old:booking.control" | sed -n "s/^default_version = '\(.*\)'/\1/p")" = 1.0 ] \
	|| fail "commit $old is not release 1.0"
OLD_LIB=/tmp/booking-1.0-lib$TAG/$old
if [ ! -f "$OLD_LIB/built" ]; then
	rm -rf "$OLD_LIB" && mkdir -p "$OLD_LIB/src"
	git -C "$ROOT" archive "$old" | tar -x -C "$OLD_LIB/src"
	(cd "$OLD_LIB/src" && make -s -j2 && make -s install DESTDIR="$OLD_LIB/dest") >"$OLD_LIB/build.log" 2>&1 \
		|| { tail -30 "$OLD_LIB/build.log"; fail "building release 1.0 ($old)"; }
	touch "$OLD_LIB/built"
fi
pass "release 1.0 built from commit ${old:0:12}"

BOOKING_DESTDIR=$OLD_LIB/dest own_test_start "$DIR" "$PORT" "${SETTINGS[@]}"
create_due_in || fail "creating due_in"
q -c "CREATE EXTENSION booking" >/dev/null
[ "$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'booking'")" = 1.0 ] || fail "CREATE EXTENSION did not install 1.0"
parked_setup
timers_setup 25
parked_start u $N 25
timers_start ut
history_before=$(q -c "SELECT count(*) FROM booking.sfn_get_execution_history('u-ended')")
pass "1.0: $N executions parked on timers, one on a task token, one on an activity task, a Map's children on timers, one ended ($history_before events)"

# ---- 2. the new package, then the update
switch_package() {	# the server on this checkout's library and scripts
	cluster_stop "$DIR"
	BOOKING_DESTDIR=$NEW_DESTDIR cluster_init "$DIR" "$PORT" || fail "configuring the new package"
	local s
	for s in "${SETTINGS[@]}"; do
		echo "${s%%=*} = '${s#*=}'" | as_postgres tee -a "$DIR/data/booking.conf" >/dev/null
	done
	cluster_start "$DIR" "$PORT" || fail "restarting on the new package"
}
switch_package
q -c "ALTER EXTENSION booking UPDATE" >/dev/null || fail "ALTER EXTENSION booking UPDATE"
default_version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$ROOT/booking.control")
version=$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'booking'")
[ "$version" = "$default_version" ] || fail "after the update the version is $version, not $default_version (booking.control)"
pass "ALTER EXTENSION booking UPDATE: 1.0 → $version"

# ---- 3. the same catalog as a fresh install
roles() { q -d postgres -c "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles"; }
roles_upgraded=$(roles)
psql -X -q -d postgres -c "CREATE DATABASE $FRESH_DB" || fail "creating $FRESH_DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$FRESH_DB" -c "CREATE EXTENSION booking" || fail "CREATE EXTENSION in $FRESH_DB"
[ "$(roles)" = "$roles_upgraded" ] || fail "the fresh install created roles the upgrade did not: $(roles) (after the upgrade: $roles_upgraded)"
snapshot() { psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$HERE/lib/catalog_snapshot.sql"; }
snapshot "$E2E_DB" >"$E2E_WORK/upgraded.txt" || fail "describing the upgraded extension"
snapshot "$FRESH_DB" >"$E2E_WORK/fresh.txt" || fail "describing the fresh extension"
if ! diff -u "$E2E_WORK/fresh.txt" "$E2E_WORK/upgraded.txt" >"$E2E_WORK/catalog.diff"; then
	echo "--- the fresh install (-) and the upgraded one (+) differ:"
	head -200 "$E2E_WORK/catalog.diff"
	fail "the upgraded schema differs from a fresh install: a change is missing from booking--1.0--1.1.sql or booking--1.1.sql"
fi
facts=$(wc -l <"$E2E_WORK/fresh.txt")
pass "the upgraded catalog is the fresh install's ($facts lines: objects, columns, constraints, indexes, functions, views, triggers, ACLs, comments, config dump)"

# the comparison sees a difference when there is one
psql -X -q -v ON_ERROR_STOP=1 -d "$FRESH_DB" >/dev/null <<'SQL' || fail "adding the probe"
CREATE FUNCTION booking.upgrade_probe() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER EXTENSION booking ADD FUNCTION booking.upgrade_probe();
COMMENT ON COLUMN booking.executions.status IS 'probe';
SQL
snapshot "$FRESH_DB" >"$E2E_WORK/probed.txt"
found=$(diff "$E2E_WORK/fresh.txt" "$E2E_WORK/probed.txt" | grep -c '^> .*\(upgrade_probe\|comment=probe\)' || true)
[ "$found" -ge 3 ] || fail "the comparison missed a function added to the extension and a new column comment ($found lines)"
pass "the comparison catches a function added to one side and a column comment ($found lines differ)"

# ---- 4. the workflows go on
parked_finish u $N
timers_finish ut 25
pass "upgraded: the parked executions fired by themselves, each task once; the token and the activity task were answered; a Retry back-off, a task's TimeoutSeconds and HeartbeatSeconds and the machine's TimeoutSeconds set under 1.0 went off, none early"
[ "$(q -c "SELECT count(*) FROM booking.sfn_get_execution_history('u-ended')")" = "$history_before" ] \
	|| fail "the ended execution's history changed in the upgrade"
parked_start v 2 0.5
parked_finish v 2
pass "new executions run after the upgrade"
echo "upgrade: all checks passed"

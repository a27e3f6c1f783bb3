#!/usr/bin/env bash
# test/e2e/backup.sh — pg_dump and pg_restore keep booking's workflows, and
# they go on in the restored database.
#
# Cluster A (a private cluster, its timer worker serving booking_e2e_backup):
# state machines, an activity, executions parked on timers due in 20 s, one
# waiting for a task token, one on an activity task, a Map whose two child
# executions wait on timers, one ended, all with a shard key (lib/
# parked_workflows.sh). It is dumped in the custom format (pg_dump -Fc) and as
# plain SQL (pg_dump), and stopped. Cluster B is new, with roles only from
# initdb; its worker serves two databases: the custom dump is restored into one
# with pg_restore, the plain one into the other with psql.
#
# Checked in both restored databases: every booking table (and the identity
# sequences' positions) has the same rows as the original had, fingerprint by
# fingerprint; the shard key is on every row it belongs on; the parked executions fire by themselves, none before its time,
# each running its task once; the kept token and the activity task are
# answered and their executions succeed; a new execution gets a fresh id.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/own_cluster_test.sh"
. "$HERE/lib/parked_workflows.sh"
E2E_DB=booking_e2e_backup
PLAIN_DB=booking_e2e_backup_plain
TAG=${BOOKING_TEST_TAG:-}
DIR_A=/tmp/booking-e2e-backup-a$TAG
DIR_B=/tmp/booking-e2e-backup-b$TAG
PORT_A=$((54380 + ${BOOKING_PORT_OFFSET:-0}))
PORT_B=$((54381 + ${BOOKING_PORT_OFFSET:-0}))
N=5

# one line per booking table and identity sequence: its name, its row count
# and an md5 of its rows in a fixed order (of a sequence: its position)
fingerprints() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT c.relname || ' ' || (xpath('/row/n/text()',
         query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text
       || ' ' || (xpath('/row/h/text()',
         query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) AS h FROM (SELECT %s FROM %s) t',
                             CASE c.relkind WHEN 'S' THEN 'last_value, is_called' ELSE '*' END, c.oid::regclass), false, true, '')))[1]::text
  FROM pg_class c
 WHERE c.relnamespace = 'booking'::regnamespace AND c.relkind IN ('r', 'S')
 ORDER BY 1
SQL
}

own_test_start "$DIR_A" "$PORT_A" booking.database=$E2E_DB booking.workers=1
create_due_in || fail "creating due_in"
q -c "CREATE EXTENSION booking" >/dev/null
parked_setup
parked_start b $N 20
parked_shard_keys b 2
pass "cluster A: $N executions parked on timers, one on a task token, one on an activity task, a Map's two children on timers, one ended; all with shard key b"

DUMP=$E2E_WORK/booking.dump
PLAIN=$E2E_WORK/booking.sql
chmod 777 "$E2E_WORK"
pg_dump -Fc -d "$E2E_DB" -f "$DUMP" || fail "pg_dump -Fc"
pg_dump -d "$E2E_DB" -f "$PLAIN" || fail "pg_dump (plain)"
# nothing changed between the dumps and this: the workers had nothing due
fingerprints "$E2E_DB" >"$E2E_WORK/before.txt"
grep -q "^executions $((N + 6)) " "$E2E_WORK/before.txt" || fail "cluster A's executions are not the $((N + 6)) expected: $(cat "$E2E_WORK/before.txt")"
grep -q "^COPY booking.executions " "$PLAIN" || fail "the plain dump has no data for booking.executions"
grep -q "setval('booking.executions_id_seq'" "$PLAIN" || fail "the plain dump does not set the executions' identity sequence"
own_cluster_stop
WORK_A=$E2E_WORK
pass "dumped (custom and plain formats) and stopped cluster A"

own_test_start "$DIR_B" "$PORT_B" "booking.database=$E2E_DB,$PLAIN_DB" booking.workers=1
psql -X -q -d postgres -c "CREATE DATABASE $PLAIN_DB" || fail "creating $PLAIN_DB"
pg_restore --exit-on-error -d "$E2E_DB" "$DUMP" || fail "pg_restore of the custom dump"
psql -X -q -v ON_ERROR_STOP=1 -d "$PLAIN_DB" -f "$PLAIN" >/dev/null || fail "psql restoring the plain dump"
for db in "$E2E_DB" "$PLAIN_DB"; do
	fingerprints "$db" >"$E2E_WORK/after-$db.txt"
	diff "$WORK_A/before.txt" "$E2E_WORK/after-$db.txt" || fail "$db: booking's tables differ from the original after the restore"
done
pass "restored into a new cluster: every booking table and identity sequence identical in both databases ($(wc -l <"$WORK_A/before.txt") fingerprints)"
rm -rf "$WORK_A"

for db in "$E2E_DB" "$PLAIN_DB"; do
	E2E_DB=$db
	create_due_in 2>/dev/null || true		# restored with the dump: already there
	parked_finish b $N
	parked_shard_keys b 0
	pass "$db: the $N parked executions and the Map fired by themselves, none early, each task once; the token and the activity task were answered; every history row and token written since carries the shard key"
	fresh=$(q -c "SELECT booking.sfn_start('parked', jsonb_build_object('due', due_in(0)), 'after-restore')" >/dev/null &&
		q -c "SELECT id > (SELECT max(id) FROM booking.executions WHERE name <> 'after-restore') FROM booking.executions WHERE name = 'after-restore'")
	[ "$fresh" = t ] || fail "$db: a new execution did not get a fresh id"
	wait_for "$db: the new execution succeeds" "SELECT status = 'SUCCEEDED' FROM booking.executions WHERE name = 'after-restore'"
	pass "$db: a new execution gets a fresh id and runs"
done
E2E_DB=booking_e2e_backup
echo "backup: all checks passed"

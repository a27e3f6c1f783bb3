#!/usr/bin/env bash
# test/e2e/backup.sh — pg_dump and pg_restore keep booking's workflows, and
# they go on in the restored database.
#
# Cluster A (a private cluster, its timer worker serving booking_e2e_backup):
# state machines, an activity, executions parked on timers due in S (30) s,
# one waiting for a task token, one on an activity task, a Map whose two child
# executions wait on timers, one ended, all with a shard key; one each on the
# other timers of the worker: a Retry back-off, a task's TimeoutSeconds and
# HeartbeatSeconds, the machine's TimeoutSeconds (lib/parked_workflows.sh); a
# published version, an alias, a tag and a grant to an application role.
# Every table and identity sequence of booking must be registered for the
# dump. The roles are dumped (pg_dumpall --globals-only), the database in the
# custom format (pg_dump -Fc) and as plain SQL (pg_dump); A is stopped.
# Cluster B is new; the roles are restored first (as docs/operations.md
# says); its worker serves two databases: the custom dump is restored into
# one with pg_restore, the plain one into the other with psql, both before
# the first timer is due (else the test fails: too slow a machine).
#
# Checked in both restored databases: every booking table (and the identity
# sequences' positions) has the same rows as the original had, fingerprint by
# fingerprint; the application role reads through its restored grant; the
# shard key is on every row it belongs on; the parked executions fire by
# themselves, none before its time, each running its task once; the kept
# token and the activity task are answered and their executions succeed; the
# retry, the two task timeouts and the machine's timeout go off by
# themselves, none before its time; a new execution gets a fresh id.
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
S=30	# seconds to the timers: room for the dumps and the restores on a loaded machine

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
q -c "CREATE EXTENSION booking" >/dev/null && create_app_role || fail "creating the extension and the application role"
# every table and identity sequence of booking is dumped: registered with pg_extension_config_dump
got=$(q <<'SQL'
SELECT string_agg(c.oid::regclass::text, ', ') FROM pg_class c
 WHERE c.relnamespace = 'booking'::regnamespace AND c.relkind IN ('r', 'p', 'S')
   AND c.oid <> ALL ((SELECT extconfig FROM pg_extension WHERE extname = 'booking')::oid[])
SQL
)
[ -z "$got" ] || fail "tables or sequences of booking that pg_dump leaves out (not in pg_extension_config_dump): $got"
parked_setup
timers_setup $S
parked_start b $N $S
parked_shard_keys b 2
timers_start bt
q -v app="$E2E_APP" >/dev/null <<'SQL' || fail "a version, an alias, a tag and a grant"
SELECT booking.sfn_publish_state_machine_version('parked');
SELECT booking.sfn_create_state_machine_alias('parked', 'live',
         '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:parked:1", "weight": 100}]');
SELECT booking.sfn_tag_resource('arn:aws:states:local:000000000000:stateMachine:parked', '{"team": "ops"}');
SELECT booking.sfn_grant('parked', :'app', ARRAY['READ']);
SQL
due=$(q -c "SELECT least(min((input->>'due')::timestamptz), '$(timers_due bt)') FROM booking.executions WHERE name ~ '^b-[0-9]+$'")
pass "cluster A: $N executions parked on timers, one on a task token, one on an activity task, a Map's two children on timers, one ended, all with shard key b; one on a Retry back-off, a task's TimeoutSeconds, its HeartbeatSeconds, the machine's TimeoutSeconds; a version, an alias, a tag, a grant to $E2E_APP"

DUMP=$E2E_WORK/booking.dump
PLAIN=$E2E_WORK/booking.sql
ROLES=$E2E_WORK/roles.sql
chmod 777 "$E2E_WORK"
pg_dumpall --globals-only -f "$ROLES" || fail "pg_dumpall --globals-only"
pg_dump -Fc -d "$E2E_DB" -f "$DUMP" || fail "pg_dump -Fc"
pg_dump -d "$E2E_DB" -f "$PLAIN" || fail "pg_dump (plain)"
# nothing changed between the dumps and this: the workers had nothing due
fingerprints "$E2E_DB" >"$E2E_WORK/before.txt"
grep -q "^executions $((N + 10)) " "$E2E_WORK/before.txt" || fail "cluster A's executions are not the $((N + 10)) expected: $(cat "$E2E_WORK/before.txt")"
grep -q "^COPY booking.executions " "$PLAIN" || fail "the plain dump has no data for booking.executions"
grep -q "setval('booking.executions_id_seq'" "$PLAIN" || fail "the plain dump does not set the executions' identity sequence"
own_cluster_stop
WORK_A=$E2E_WORK
pass "dumped (roles with pg_dumpall --globals-only; custom and plain formats) and stopped cluster A"

own_test_start "$DIR_B" "$PORT_B" "booking.database=$E2E_DB,$PLAIN_DB" booking.workers=1
# the documented order: roles first (the state machines' role and grantee
# columns are regrole); postgres exists already, the error on it is expected
psql -X -q -d postgres -f "$WORK_A/roles.sql" >/dev/null 2>&1
[ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname = '$E2E_APP'")" = 1 ] 	|| fail "restoring the roles did not bring back $E2E_APP"
psql -X -q -d postgres -c "CREATE DATABASE $PLAIN_DB" || fail "creating $PLAIN_DB"
pg_restore --exit-on-error -d "$E2E_DB" "$DUMP" || fail "pg_restore of the custom dump"
psql -X -q -v ON_ERROR_STOP=1 -d "$PLAIN_DB" -f "$PLAIN" >/dev/null || fail "psql restoring the plain dump"
# "on time" means something only if the timers were still ahead when the
# restores ended: a machine too slow for that fails here rather than pass
[ "$(q -c "SELECT now() < '$due'::timestamptz")" = t ] \
	|| fail "the restores ended after the timers' first due time ($due): the machine was too slow for this test's $S s"
for db in "$E2E_DB" "$PLAIN_DB"; do
	fingerprints "$db" >"$E2E_WORK/after-$db.txt"
	diff "$WORK_A/before.txt" "$E2E_WORK/after-$db.txt" || fail "$db: booking's tables differ from the original after the restore"
	got=$(E2E_DB=$db qa -c "SELECT d->>'name' FROM booking.sfn_describe_execution('b-1') d")
	[ "$got" = b-1 ] || fail "$db: $E2E_APP does not read b-1 through its restored grant: '$got'"
	got=$(E2E_DB=$db qa -c "SELECT count(*) FROM booking.sfn_describe_execution('b-cb') d" 2>&1) \
		&& fail "$db: $E2E_APP reads b-cb, on which it was granted nothing: '$got'"
	echo "$got" | grep -q 'AccessDeniedException: role "'"$E2E_APP"'" does not hold READ' \
		|| fail "$db: $E2E_APP reading b-cb: $got"
done
empty=$(awk '$2 == 0 && $1 !~ /_seq$/ {print $1}' "$WORK_A/before.txt" | paste -sd, -)
pass "restored into a new cluster before any timer was due: every booking table and identity sequence identical in both databases ($(wc -l <"$WORK_A/before.txt") fingerprints; the application role reads what its restored grant lets it, and only that; empty in this test: ${empty:-none})"
rm -rf "$WORK_A"

for db in "$E2E_DB" "$PLAIN_DB"; do
	E2E_DB=$db
	create_due_in 2>/dev/null || true		# restored with the dump: already there
	parked_finish b $N
	parked_shard_keys b 0
	timers_finish bt $S
	pass "$db: the $N parked executions and the Map fired by themselves, none early, each task once; the token and the activity task were answered; the Retry back-off, the task's TimeoutSeconds and HeartbeatSeconds and the machine's TimeoutSeconds went off by themselves, none early; every history row and token written since carries the shard key"
	fresh=$(q -c "SELECT booking.sfn_start('parked', jsonb_build_object('due', due_in(0)), 'after-restore')" >/dev/null &&
		q -c "SELECT id > (SELECT max(id) FROM booking.executions WHERE name <> 'after-restore') FROM booking.executions WHERE name = 'after-restore'")
	[ "$fresh" = t ] || fail "$db: a new execution did not get a fresh id"
	wait_for "$db: the new execution succeeds" "SELECT status = 'SUCCEEDED' FROM booking.executions WHERE name = 'after-restore'"
	pass "$db: a new execution gets a fresh id and runs"
done
E2E_DB=booking_e2e_backup
echo "backup: all checks passed"

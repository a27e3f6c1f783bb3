#!/usr/bin/env bash
# test/e2e/scale_out_doc.sh — docs/scale-out.md places every table of booking.
#
# On the end-to-end cluster (test/run.sh's, PGHOST/PGPORT): a database with
# booking installed; the tables of schema booking must be exactly the tables
# of the document's "Which table goes where" table, each placed as reference
# or distributed; the tables distributed by shard_key today must have the
# column, the ones marked "(added in the move)" must not claim it yet. A table
# added to booking later fails here until the document says where it goes.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/lib/session.sh"
E2E_DB=booking_e2e_scale_out
DOC=$ROOT/docs/scale-out.md

psql_db() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
	e2e_cleanup
	psql_db -d postgres -c "DROP DATABASE IF EXISTS $E2E_DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
e2e_init
psql_db -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $E2E_DB" -c "CREATE DATABASE $E2E_DB" >/dev/null \
	|| fail "creating database $E2E_DB"
psql_db -d "$E2E_DB" -c "CREATE EXTENSION booking" >/dev/null || fail "CREATE EXTENSION booking"

# the rows of the table under "## Which table goes where": | `name` | kind | column | why |
awk '/^## Which table goes where/ { on = 1; next } /^## / { on = 0 } on && /^\| `/' "$DOC" \
	| awk -F'|' '{ gsub(/[` ]/, "", $2); kind = $3; gsub(/^ +| +$/, "", kind); col = $4; gsub(/`/, "", col); gsub(/^ +| +$/, "", col); print $2 "|" kind "|" col }' \
	>"$E2E_WORK/doc.txt"
[ "$(wc -l <"$E2E_WORK/doc.txt")" -ge 6 ] || fail "docs/scale-out.md's table has $(wc -l <"$E2E_WORK/doc.txt") rows"
psql_db -d "$E2E_DB" -c "SELECT relname FROM pg_class WHERE relnamespace = 'booking'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1" \
	>"$E2E_WORK/tables.txt"
cut -d'|' -f1 "$E2E_WORK/doc.txt" | sort >"$E2E_WORK/doc_tables.txt"
missing=$(comm -23 "$E2E_WORK/tables.txt" "$E2E_WORK/doc_tables.txt" | paste -sd' ' -)
extra=$(comm -13 "$E2E_WORK/tables.txt" "$E2E_WORK/doc_tables.txt" | paste -sd' ' -)
[ -z "$missing" ] || fail "tables of booking that docs/scale-out.md does not place: $missing"
[ -z "$extra" ] || fail "docs/scale-out.md places tables booking does not have: $extra"
pass "docs/scale-out.md places each of booking's $(wc -l <"$E2E_WORK/tables.txt") tables, no more, no fewer"

while IFS='|' read -r table kind col; do
	has=$(psql_db -d "$E2E_DB" -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'booking.$table'::regclass AND attname = 'shard_key' AND NOT attisdropped")
	case "$kind|$col" in
		"reference|—") ;;
		"distributed|shard_key") [ "$has" = 1 ] || fail "docs/scale-out.md says $table is distributed by shard_key, which it does not have" ;;
		"distributed|shard_key (added in the move)") [ "$has" = 0 ] || fail "$table has shard_key now: docs/scale-out.md still says it is added in the move" ;;
		*) fail "docs/scale-out.md: $table is '$kind' by '$col', neither reference nor distributed by shard_key" ;;
	esac
done <"$E2E_WORK/doc.txt"
pass "each distributed table has shard_key as the document says (today, or added in the move), each other one is a reference table"
echo "scale_out_doc: all checks passed"

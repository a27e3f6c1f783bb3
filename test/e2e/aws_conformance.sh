#!/usr/bin/env bash
# test/e2e/aws_conformance.sh — agreement with AWS: every execution real AWS Step
# Functions recorded (aws-recorded.jsonl, see its README) runs through
# booking.sfn_start_sync on a private cluster (port 54365), and its result is
# compared with the recorded one (lib/aws_conformance.sql says how). Prints the
# agreement per query language and per family, lists the cases that differ, and
# fails when a query language's agreement is below its floor.
#
# The corpus: $BOOKING_AWS_CORPUS (the file, or the directory holding it), else
# ../shared/conformance/aws-recorded.jsonl beside the repository's root. Without it
# the test fails: it cannot say anything.
#
# Floors (percent of the cases of that language that agree): AWS_JSONPATH_FLOOR,
# AWS_JSONATA_FLOOR. They are set at what booking reaches; raise them as it
# reaches more, never lower them to make a change pass.
#
# Wait states sleep for real: the recorded waits are short (literal Seconds are
# 0, SecondsPath values at most 1 s, Timestamps in the past or refused at once),
# so the whole corpus waits a few seconds. A case still running after
# AWS_CASE_TIMEOUT seconds (default 30) is cancelled and differs. AWS_CONFORMANCE_OUT=DIR keeps every
# result (DIR/results.jsonl: name, expected, got, reason).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/lib/own_cluster_test.sh"
E2E_DB=aws_conformance
DIR=${AWS_CONFORMANCE_DIR:-/tmp/booking-e2e-aws${BOOKING_TEST_TAG:-}}
PORT=${AWS_CONFORMANCE_PORT:-$((54365 + ${BOOKING_PORT_OFFSET:-0}))}
JSONPATH_FLOOR=${AWS_JSONPATH_FLOOR:-100.0}
JSONATA_FLOOR=${AWS_JSONATA_FLOOR:-100.0}
CASE_TIMEOUT=${AWS_CASE_TIMEOUT:-30}

CORPUS=${BOOKING_AWS_CORPUS:-$ROOT/../shared/conformance}
[ -d "$CORPUS" ] && CORPUS=$CORPUS/aws-recorded.jsonl
[ -r "$CORPUS" ] || fail "no AWS corpus at $CORPUS (set BOOKING_AWS_CORPUS to aws-recorded.jsonl or its directory)"
CASES=$(grep -c . "$CORPUS")

own_test_start "$DIR" "$PORT"
q -c 'CREATE EXTENSION booking' >/dev/null || fail "creating the extension"
q -f "$HERE/lib/aws_conformance.sql" >/dev/null || fail "loading lib/aws_conformance.sql"
# one JSON document a line: CSV with a quote and a delimiter no line holds
q -c "\\copy aws_conf.corpus(line) FROM '$CORPUS' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')" >/dev/null \
	|| fail "loading $CORPUS"
[ "$(q -c 'SELECT count(*) FROM aws_conf.corpus')" = "$CASES" ] || fail "not every line of $CORPUS loaded"

started=$SECONDS
# each case a statement of its own, so one that hangs is cancelled alone
psql -X -q -At -d "$E2E_DB" -v ON_ERROR_STOP=0 >"$E2E_WORK/run.log" 2>&1 <<SQL
SET statement_timeout = '${CASE_TIMEOUT}s';
SELECT format('CALL aws_conf.run_one(%s)', n) FROM aws_conf.corpus ORDER BY n \gexec
SQL
q -c "CALL aws_conf.record_missing('no result: cancelled after ${CASE_TIMEOUT} s (statement_timeout)')" \
	|| fail "recording the cases without a result"
echo "# $CASES cases from $CORPUS ran in $((SECONDS - started)) s"
[ "$(q -c 'SELECT count(*) FROM aws_conf.results')" = "$CASES" ] || fail "not every case has a result"

echo "# agreement with AWS, by family"
q -F $'\t' <<'SQL' | column -t -s $'\t' | sed 's/^/#   /'
SELECT 'family', 'JSONPath', 'JSONata'
UNION ALL
(SELECT family,
        coalesce(count(*) FILTER (WHERE ql = 'JSONPath' AND agrees) || '/' || nullif(count(*) FILTER (WHERE ql = 'JSONPath'), 0), '-'),
        coalesce(count(*) FILTER (WHERE ql = 'JSONata' AND agrees) || '/' || nullif(count(*) FILTER (WHERE ql = 'JSONata'), 0), '-')
   FROM aws_conf.results GROUP BY family ORDER BY count(*) DESC, family)
SQL
echo "# cases that differ from AWS"
q -F $'\t' -c "SELECT ql, name, reason FROM aws_conf.results WHERE NOT agrees ORDER BY ql DESC, n" \
	| sed 's/^/#   /'

if [ -n "${AWS_CONFORMANCE_OUT:-}" ]; then
	mkdir -p "$AWS_CONFORMANCE_OUT"
	q -c "SELECT jsonb_build_object('name', name, 'ql', ql, 'family', family, 'agrees', agrees,
	        'reason', reason, 'expected', expected, 'got', got) FROM aws_conf.results ORDER BY n" \
		>"$AWS_CONFORMANCE_OUT/results.jsonl"
fi

check_floor() {	# check_floor LANGUAGE FLOOR
	local agree total pct
	read -r agree total pct < <(q -F ' ' -c "SELECT count(*) FILTER (WHERE agrees), count(*),
	    round(100.0 * count(*) FILTER (WHERE agrees) / greatest(count(*), 1), 1)
	  FROM aws_conf.results WHERE ql = '$1'")
	echo "# $1: $agree of $total cases agree with AWS ($pct%), floor $2%"
	awk -v p="$pct" -v f="$2" 'BEGIN { exit !(p + 0 >= f + 0) }' \
		|| fail "$1 agreement $pct% is below the floor $2%"
	pass "$1: $agree/$total cases agree with AWS ($pct% >= floor $2%)"
}
check_floor JSONPath "$JSONPATH_FLOOR"
check_floor JSONata "$JSONATA_FLOOR"

#!/usr/bin/env bash
# bench/interpreter.sh — issue 20's interpreter comparison: booking's sfn_start_sync
# (N executions in one statement) against aws-local-stepfunctions 3.0.0 warm in Node,
# on documents that grow (scenarios/pass_merge.asl.json) and on Choice/Map
# (scenarios/choice_map.asl.json). Rounds alternate booking / peer; every round is
# printed with the load average beside it, then the best of each. A benchmark, not
# a test: it fails only when the two engines' outputs differ.
#
# Settings: BENCH_EXECUTIONS (5000), BENCH_ROUNDS (3), BENCH_DIR, BENCH_PORT,
# BENCH_SKIP_BUILD=1 (benchmark what is installed).
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
N=${BENCH_EXECUTIONS:-5000}
ROUNDS=${BENCH_ROUNDS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-interp}
BENCH_PORT=${BENCH_PORT:-54342}
. "$ROOT/test/lib/cluster.sh"
log() { echo "bench: $*" >&2; }
die() { echo "bench: FAILED: $*" >&2; exit 1; }
[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_EXECUTIONS must be a positive integer"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer"

trap 'cluster_stop "$BENCH_DIR"' EXIT
(cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
	(cd "$ROOT" && ./install.sh build >&2) || die "./install.sh build"
fi
cluster_stop "$BENCH_DIR"
rm -rf "$BENCH_DIR"
cluster_init "$BENCH_DIR" "$BENCH_PORT"
cluster_start "$BENCH_DIR" "$BENCH_PORT"
sql() { cluster_psql "$BENCH_DIR" "$BENCH_PORT" -q -At "$@"; }
sql -c "CREATE EXTENSION booking CASCADE" >/dev/null || die "CREATE EXTENSION booking"

# execution i's input, the same as peer_doc.mjs's
INPUT="jsonb_build_object('order', jsonb_build_object('id', i, 'customer', '{\"name\":\"Ada\",\"tier\":\"gold\"}'::jsonb, 'items', '[{\"sku\":\"A\",\"qty\":1},{\"sku\":\"B\",\"qty\":2}]'::jsonb))"
load() { cut -d' ' -f1 /proc/loadavg; }

echo "| scenario | engine | executions | best s | executions/s | rounds (s @ load) |"
echo "|---|---|---|---|---|---|"
for scenario in pass_merge choice_map; do
	def=$(cat "$BENCH/scenarios/$scenario.asl.json")
	sql -c "SELECT booking.sfn_create_state_machine('$scenario', \$d\$$def\$d\$, role => 'postgres')" >/dev/null || die "create $scenario"
	ours=$(sql -c "SELECT booking.sfn_start_sync('$scenario', (SELECT $INPUT FROM (SELECT 7 AS i) x))->'output'")
	theirs=$(cd "$BENCH" && node peer_doc.mjs "scenarios/$scenario.asl.json" 1 | jq -c '.output7')
	[ "$(jq -cS . <<<"$ours")" = "$(jq -cS . <<<"$theirs")" ] || die "$scenario: outputs differ: booking $ours, peer $theirs"
	stmt="SELECT count(*) FROM generate_series(1, $N) i WHERE booking.sfn_start_sync('$scenario', $INPUT)->>'status' = 'SUCCEEDED'"
	b_rounds="" p_rounds="" b_best="" p_best=""
	for r in $(seq "$ROUNDS"); do
		l=$(load)
		out=$(sql -c "$stmt" -c '\timing on' -c "$stmt")	# a warm-up statement, then the timed one
		[ "$(sed -n 1p <<<"$out")" = "$N" ] || die "$scenario: not every booking execution succeeded"
		s=$(awk '/^Time:/ {printf "%.3f", $2 / 1000}' <<<"$out")
		b_rounds+="$s @ $l, "
		b_best=$(awk -v a="$s" -v b="${b_best:-$s}" 'BEGIN {print (a < b ? a : b)}')
		l=$(load)
		s=$(cd "$BENCH" && node peer_doc.mjs "scenarios/$scenario.asl.json" "$N" | jq -r '.seconds')
		p_rounds+="$(printf '%.3f' "$s") @ $l, "
		p_best=$(awk -v a="$s" -v b="${p_best:-$s}" 'BEGIN {print (a < b ? a : b)}')
		log "$scenario round $r: booking ${b_rounds##*, }... peer $s s"
	done
	printf '| %s | booking sfn_start_sync, 1 statement | %d | %.3f | %.0f | %s |\n' "$scenario" "$N" "$b_best" \
		"$(awk -v n="$N" -v s="$b_best" 'BEGIN {print n / s}')" "${b_rounds%, }"
	printf '| %s | aws-local-stepfunctions 3.0.0, warm | %d | %.3f | %.0f | %s |\n' "$scenario" "$N" "$p_best" \
		"$(awk -v n="$N" -v s="$p_best" 'BEGIN {print n / s}')" "${p_rounds%, }"
	log "$scenario: booking/peer = $(awk -v a="$p_best" -v b="$b_best" 'BEGIN {printf "%.1f", a / b}')x"
done

#!/usr/bin/env bash
# bench/bounded.sh — bounded work (issue 13): does completing a Map cost O(N), and does a
# tick of any size stay within a fixed memory budget?
#
#  1. Map linearity: one execution of a Distributed Map of N items (each a Pass state) for
#     each N in BOUNDED_MAP_SIZES, started with sfn_start and then ticked (sfn_tick, a
#     commit after each call) until it ends. Prints the wall time from the start to the
#     end, the time per item, and how many ticks (transactions) it took. Distributed, as
#     AWS needs past 25,000 history events: its iterations count their history events on
#     their own. booking.max_payload_size is raised to 8 MB for the items array.
#  2. Tick memory: BOUNDED_DUE executions parked in a Wait are made due, and one fresh
#     backend ticks them all in one call (sfn_tick(100000) with booking.tick_time_budget
#     at 1 h, so that the call does not stop early). Prints the backend's peak resident
#     memory (VmHWM, which counts the shared buffers it touched) and its private memory
#     (RssAnon) before and after, and booking_backend_memory() after.
#
# Nothing here asserts on time; the run fails only if an execution does not SUCCEED.
#
# Settings (environment):
#   BOUNDED_MAP_SIZES  Map sizes (default "10000 30000 100000")
#   BOUNDED_DUE        executions ticked in one call (default 30000)
#   BENCH_DIR          cluster directory (default /tmp/booking-bench-bounded)
#   BENCH_PORT         cluster port (default 54343)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
SIZES=${BOUNDED_MAP_SIZES:-10000 30000 100000}
DUE=${BOUNDED_DUE:-30000}
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-bounded}
BENCH_PORT=${BENCH_PORT:-54343}
. "$BENCH/lib/bench.sh"

for n in $SIZES; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "BOUNDED_MAP_SIZES: '$n' is not a positive integer"; done
[[ $DUE =~ ^[1-9][0-9]*$ ]] || die "BOUNDED_DUE must be a positive integer (got '$DUE')"

bench_build
bench_cluster "$BENCH_DIR" "$BENCH_PORT"

sql >/dev/null <<'SQL' || die "creating the state machines"
SELECT booking.sfn_create_state_machine('bounded_map', '{
  "StartAt": "Each",
  "States": {
    "Each": {"Type": "Map", "ItemsPath": "$.items",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Item", "States": {"Item": {"Type": "Pass", "Parameters": {"n.$": "$"}, "End": true}}},
      "ResultSelector": {"items.$": "States.ArrayLength($)"},
      "End": true}
  }
}', role => 'postgres');
SELECT booking.sfn_create_state_machine('bounded_nap', '{
  "StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "SecondsPath": "$.s", "Next": "Done"},
                               "Done": {"Type": "Pass", "Result": {"done": true}, "End": true}}
}', role => 'postgres');
SQL

echo "## Bounded work"
echo
echo "$(machine); booking.tick_time_budget $(sql -c "SHOW booking.tick_time_budget")"
echo
echo "### A Distributed Map of N items: from sfn_start to SUCCEEDED"
echo
echo "| items | seconds | µs per item | ticks |"
echo "|---:|---:|---:|---:|"
for n in $SIZES; do
	log "Map of $n items"
	result=$(sql <<SQL
SET booking.max_payload_size = '8MB';
SET booking.notify = off;
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT booking.sfn_start('bounded_map', jsonb_build_object('items', (SELECT jsonb_agg(i) FROM generate_series(1, $n) i)), 'map-$n') IS NOT NULL;
DO \$\$
DECLARE
    ticks integer := 0;
BEGIN
    LOOP
        EXIT WHEN (SELECT status FROM booking.executions WHERE id = booking.execution_id('map-$n')) <> 'RUNNING';
        PERFORM booking.sfn_tick(100000);
        ticks := ticks + 1;
        COMMIT;
    END LOOP;
    PERFORM set_config('bench.ticks', ticks::text, false);
END \$\$;
SELECT d->>'status', d->'output'->>'items', round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 2),
       current_setting('bench.ticks')
  FROM booking.sfn_describe_execution('map-$n') AS d;
SQL
) || die "the Map of $n items"
	IFS='|' read -r status items seconds ticks < <(echo "$result" | tail -1)
	[ "$status" = SUCCEEDED ] && [ "$items" = "$n" ] || die "the Map of $n items ended $status with $items items"
	echo "| $n | $seconds | $(awk -v s="$seconds" -v n="$n" 'BEGIN { printf "%.0f", s * 1e6 / n }') | $ticks |"
	sql -c "DELETE FROM booking.executions WHERE name = 'map-$n'" >/dev/null
done

echo
echo "### One sfn_tick over $DUE due executions, in one backend"
echo
log "parking $DUE executions in a Wait"
sql >/dev/null <<SQL || die "parking $DUE executions"
SET booking.notify = off;
SELECT count(booking.sfn_start('bounded_nap', '{"s": 3600}')) FROM generate_series(1, $DUE);
UPDATE booking.executions SET due_at = clock_timestamp() WHERE status = 'RUNNING';
SQL
SAMPLE="SELECT (regexp_match(s, 'VmHWM:\s+(\d+) kB'))[1], (regexp_match(s, 'RssAnon:\s+(\d+) kB'))[1]
  FROM pg_read_file('/proc/' || pg_backend_pid() || '/status') AS s;"
log "ticking them in one call"
result=$(sql <<SQL
$SAMPLE
SET booking.tick_time_budget = '1h';
SET booking.notify = off;
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT booking.sfn_tick(100000);
SELECT round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 2);
$SAMPLE
SELECT context_bytes, malloc_bytes FROM booking.booking_backend_memory();
SQL
) || die "the tick"
mapfile -t lines <<<"$result"
IFS='|' read -r hwm0 anon0 <<<"${lines[0]}"
advanced=${lines[1]}
seconds=${lines[2]}
IFS='|' read -r hwm1 anon1 <<<"${lines[3]}"
IFS='|' read -r context malloc <<<"${lines[4]}"
[ "$advanced" = "$DUE" ] || die "the tick advanced $advanced of $DUE"
left=$(sql -c "SELECT count(*) FROM booking.executions WHERE status <> 'SUCCEEDED'")
[ "$left" = 0 ] || die "$left executions did not succeed"
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo "| | before | after |"
echo "|---|---:|---:|"
echo "| peak resident memory (VmHWM, MiB, shared buffers touched included) | $(mib "$hwm0") | $(mib "$hwm1") |"
echo "| private memory (RssAnon, MiB) | $(mib "$anon0") | $(mib "$anon1") |"
echo
echo "$advanced executions advanced in ${seconds} s; after the call: palloc $(mib $((context / 1024))) MiB, malloc $(mib $((malloc / 1024))) MiB."

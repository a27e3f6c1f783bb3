#!/usr/bin/env bash
# run-target.sh NAME SECONDS — fuzzes one built target for SECONDS and judges it.
#
# Passing means all of: build/fuzz/NAME exists, libFuzzer exits 0 (no crash,
# leak, sanitizer report or timeout), its final statistics
# (-print_final_stats) show executed units, and its "Done N runs in S
# second(s)" shows it ran for its time. Output: build/fuzz/NAME.log; one line
# "ok NAME (N runs in S s)" or "FAILED NAME (why)".
set -uo pipefail
name=$1
seconds=$2
bin=build/fuzz/$name
log=build/fuzz/$name.log
if [ ! -x "$bin" ]; then
	echo "FAILED $name (not built)"
	exit 1
fi
mkdir -p "build/fuzz/work/$name" "build/fuzz/corpus/$name"
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix=build/fuzz/"$name"- -print_final_stats=1 \
	"build/fuzz/work/$name" "build/fuzz/corpus/$name" >"$log" 2>&1
rc=$?
units=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)$/\1/p' "$log" | tail -1)
ran=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' "$log" | tail -1)
runs=${ran% *}
secs=${ran#* }
why=
if [ $rc -ne 0 ]; then why="exit $rc: FOUND A PROBLEM"
elif [ -z "$units" ] || [ "$units" -eq 0 ]; then why="no executed units in the final stats"
elif [ -z "$ran" ]; then why="no \"Done N runs\" line"
elif [ "$secs" -lt "$seconds" ]; then why="ran $secs s, not $seconds"
fi
if [ -n "$why" ]; then
	echo "FAILED $name ($why; log: $log)"
	tail -40 "$log" | sed 's/^/    /'
	exit 1
fi
echo "ok $name ($runs runs in $secs s)"

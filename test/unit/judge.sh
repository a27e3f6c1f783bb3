#!/usr/bin/env bash
# judge.sh PROGRAM — runs one unit program and says whether it passed.
#
# Passing means all of: the program exists and is up to date with its sources
# (make -q: a program whose source, or the core library, no longer compiles
# keeps its old binary, which must not pass for it), it exits 0 (a crash, a
# sanitizer abort or a leak report exits non-zero), and its last summary line
# reads "NAME: N passed, 0 failed" with N > 0 (a program that stopped early
# prints none). Output goes to build/test-logs/unit-NAME.log; one line is
# printed: "ok NAME (N checks)" or "FAILED NAME (why)" followed by the log's tail.
set -uo pipefail
prog=$1
name=$(basename "$prog")
log=build/test-logs/unit-$name.log
mkdir -p build/test-logs
if [ ! -x "$prog" ]; then
	echo "FAILED $name (did not build)"
	exit 1
fi
if ! make -s -q "$prog" >/dev/null 2>&1; then
	echo "FAILED $name (did not build: its binary is older than its sources)"
	exit 1
fi
BOOKING_DEFINITIONS_DIR=test/definitions "./$prog" >"$log" 2>&1
rc=$?
summary=$(grep -E '^[a-z_]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
checks=$(sed -E -n 's/^[a-z_]+: ([0-9]+) passed, 0 failed$/\1/p' <<<"$summary")
why=
if [ $rc -ge 128 ]; then why="killed by signal $((rc - 128))"
elif [ $rc -ne 0 ] && grep -qE 'Sanitizer|runtime error:' "$log"; then why="sanitizer report, exit $rc"
elif [ $rc -ne 0 ]; then why="exit $rc${summary:+; $summary}"
elif [ -z "$summary" ]; then why="no summary line"
elif [ -z "$checks" ]; then why="$summary"
elif [ "$checks" -eq 0 ]; then why="no checks ran"
fi
if [ -n "$why" ]; then
	echo "FAILED $name ($why)"
	tail -30 "$log" | sed 's/^/    /'
	exit 1
fi
echo "ok $name ($checks checks)"

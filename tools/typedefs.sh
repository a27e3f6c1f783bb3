#!/usr/bin/env bash
# tools/typedefs.sh — writes typedefs.list: every typedef name the compiler saw
# in booking's objects (host, core, tests), read from their DWARF debug info,
# as PostgreSQL's buildfarm makes its own list. pg_bsd_indent needs the list to
# tell a type from a variable; tools/pgindent.sh narrows it for each file to
# the names that file can see. Run after a build (make && make unit).
set -euo pipefail
cd "$(dirname "$0")/.."
objs=$(find src build/unit -name '*.o' 2>/dev/null)
[ -n "$objs" ] || { echo "typedefs.sh: no object files; build first (make && make unit)" >&2; exit 1; }
# shellcheck disable=SC2086
objdump -W $objs 2>/dev/null |
	awk '/DW_TAG_typedef/ { want = 1; next }
	     want && /DW_AT_name/ { print $NF; want = 0 }
	     /DW_TAG_/ { want = 0 }' |
	grep -E '^[A-Za-z_][A-Za-z0-9_]*$' | LC_ALL=C sort -u >typedefs.list
echo "typedefs.list: $(wc -l <typedefs.list) names"

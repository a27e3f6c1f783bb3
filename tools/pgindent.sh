#!/usr/bin/env bash
# tools/pgindent.sh [--check] [files…] — formats booking's C as PostgreSQL's
# pgindent does: pg_bsd_indent (Debian package pg-bsd-indent) with pgindent's
# options and typedefs.list. With --check nothing is written; the files that
# would change are listed and the exit status is 1.
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
command -v pg_bsd_indent >/dev/null || { echo "pgindent.sh: pg_bsd_indent is missing (apt-get install pg-bsd-indent)" >&2; exit 2; }
[ -f typedefs.list ] || { echo "pgindent.sh: typedefs.list is missing (tools/typedefs.sh)" >&2; exit 2; }
files=("$@")
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(git ls-files 'src/*.c' 'src/*.h' 'src/**/*.c' 'src/**/*.h' | sort -u)
OPTS="-bad -bap -bbb -bc -bl -cli1 -cp33 -cdb -nce -d0 -di12 -nfc1 -i4 -l79 -lp -lpl -nip -npro -sac -tpg -ts4"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
changed=0
for f in "${files[@]}"; do
	# pg_bsd_indent reads the typedef list with -U
	# shellcheck disable=SC2086
	pg_bsd_indent $OPTS -Utypedefs.list "$f" "$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; echo "pgindent.sh: $f failed" >&2; exit 2; }
	# pgindent's post-processing: no trailing white space, no trailing blank lines
	sed -i -e 's/[ \t]*$//' "$tmp/out"
	sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$tmp/out"
	if ! cmp -s "$f" "$tmp/out"; then
		changed=$((changed + 1))
		if [ $check -eq 1 ]; then echo "$f"; else cp "$tmp/out" "$f"; fi
	fi
done
if [ $check -eq 1 ] && [ $changed -gt 0 ]; then
	echo "pgindent.sh: $changed file(s) not in PostgreSQL's style (run tools/pgindent.sh)" >&2
	exit 1
fi
exit 0

#!/usr/bin/env bash
# tools/pgindent.sh [--check] [files…] — formats booking's C as PostgreSQL's
# pgindent does: pg_bsd_indent (Debian package pg-bsd-indent) with pgindent's
# options and a typedef list. With --check nothing is written; the files that
# would change are listed and the exit status is 1. Without files: every C
# file under src/.
#
# pg_bsd_indent takes a name in its typedef list for a type wherever it
# stands, so a type name that another file uses for a variable garbles that
# file ("fields[i] = s;" becomes "fields[		i] = s;"). PostgreSQL's pgindent
# drops a few such names from its list; here each file gets a list of the
# names it can see instead:
#   - typedefs.list (tools/typedefs.sh: every name the compiler saw),
#   - less the names booking's own sources declare, except those declared in
#     the file itself or in the project headers it includes, transitively,
#   - less PostgreSQL's names in the core (src/core/ includes no PostgreSQL
#     header, so "text" there is a variable, never varlena).
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

# typedef_names FILE…: "NAME FILE" for each typedef declared at file level:
# "typedef … NAME;", "typedef RET (*NAME) (…);" and "typedef struct … { … } NAME;"
typedef_names() {
	awk '
		FNR == 1 { intd = 0 }
		/^typedef[^;{(]*;/ { n = $0; sub(/;.*/, "", n); sub(/.*[ \t*]/, "", n); print n, FILENAME; next }
		/^typedef[^;{]*\(\*[A-Za-z_][A-Za-z0-9_]*\)/ { n = $0; sub(/^[^(]*\(\*/, "", n); sub(/\).*/, "", n); print n, FILENAME; next }
		/^typedef/ { intd = 1 }
		intd && /^\}[ \t]*[A-Za-z_][A-Za-z0-9_]*;/ { n = $0; sub(/^\}[ \t]*/, "", n); sub(/;.*/, "", n); print n, FILENAME; intd = 0 }
	' "$@"
}

# booking's own typedefs, and PostgreSQL's (from its server headers)
mapfile -t sources < <(git ls-files 'src/*.c' 'src/*.h' 'src/**/*.c' 'src/**/*.h' | sort -u)
typedef_names "${sources[@]}" >"$tmp/ours"
awk '{ print $1 }' "$tmp/ours" | LC_ALL=C sort -u >"$tmp/ours.names"
pg_inc=$(pg_config --includedir-server 2>/dev/null || echo /usr/include/postgresql/15/server)
find "$pg_inc" -name '*.h' -print0 | xargs -0 awk '
	/^typedef[^;{(]*;/ { n = $0; sub(/;.*/, "", n); sub(/.*[ \t*]/, "", n); print n; next }
	/^typedef/ { intd = 1 }
	intd && /^\}[ \t]*[A-Za-z_][A-Za-z0-9_]*;/ { n = $0; sub(/^\}[ \t]*/, "", n); sub(/;.*/, "", n); print n; intd = 0 }
' | LC_ALL=C sort -u >"$tmp/pg.names"
LC_ALL=C comm -23 <(LC_ALL=C sort -u typedefs.list) "$tmp/ours.names" >"$tmp/base.host"
LC_ALL=C comm -23 "$tmp/base.host" "$tmp/pg.names" >"$tmp/base.core"

# included FILE: FILE and the project headers it includes, transitively
# (#include "x.h" looked up beside the file, then in src/ and src/core/)
declare -A seen
include_closure() {
	local f=$1 dir inc cand
	[ -n "${seen[$f]:-}" ] && return
	seen[$f]=1
	echo "$f"
	dir=$(dirname "$f")
	while IFS= read -r inc; do
		for cand in "$dir/$inc" "src/$inc" "src/core/$inc"; do
			if [ -f "$cand" ]; then
				include_closure "$(realpath --relative-to=. "$cand")"
				break
			fi
		done
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
}

changed=0
for f in "${files[@]}"; do
	seen=()
	include_closure "$f" >"$tmp/visible.files"
	case $f in src/core/*) base=$tmp/base.core ;; *) base=$tmp/base.host ;; esac
	awk 'NR == FNR { vis[$1] = 1; next } vis[$2] { print $1 }' "$tmp/visible.files" "$tmp/ours" |
		cat - "$base" | LC_ALL=C sort -u >"$tmp/typedefs"
	pg_bsd_indent $OPTS "-U$tmp/typedefs" "$f" "$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; echo "pgindent.sh: $f failed" >&2; exit 2; }
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

#!/usr/bin/env bash
# test/mutants/run.sh — make mutants: deliberate faults, each of which a test must catch.
#
# Each line of test/mutants/mutants.list names a fault, where it goes and the
# tests that must catch it (README.md in this directory). For each:
#   1. the fault is applied to a copy of the tree (an exact text replacement
#      that must match exactly once, or a patch file), never to the checkout;
#   2. the copy is built: the unit program for unit:NAME, the module (installed
#      into a directory of the copy's own) for regress:NAME and isolation:NAME;
#   3. its tests run (a unit program, one pg_regress suite or isolation spec on
#      a temporary instance); the mutant is caught when at least one fails.
# Before any mutant, every test named in the list must pass on the unfaulted
# copy, so a test that fails anyway cannot "catch" anything.
#
# Prints "ok NAME (caught by ...)" or "FAILED NAME (why)" per mutant, then a
# summary; exits non-zero when one survives, does not apply or does not build.
# A whole run with fewer than MUTANTS_MIN (15) mutants in its list fails.
# MUTANTS="name ..." runs only those. Uses BOOKING_PORT_OFFSET and
# BOOKING_TEST_TAG like test/run.sh; work in /tmp/booking-mutants$BOOKING_TEST_TAG.
set -uo pipefail
cd "$(dirname "$0")/../.."
SRC=$(pwd)
. "$SRC/test/lib/cluster.sh"
LIST=${MUTANTS_LIST:-$SRC/test/mutants/mutants.list}
WORK=/tmp/booking-mutants${BOOKING_TEST_TAG:-}
TREE=$WORK/tree
DEST=$WORK/dest
PORT=$((56050 + ${BOOKING_PORT_OFFSET:-0}))
LOGS=$SRC/build/test-logs/mutants
mkdir -p "$LOGS"

# read the list: NAME TESTS WHAT [FROM TO], shell-quoted, # comments; a line
# ending in a backslash goes on on the next
names=() tests=() whats=() froms=() tos=()
line=
while IFS= read -r part; do
	case $part in '#'*) continue ;; esac
	if [ "${part%\\}" != "$part" ]; then
		line+="${part%\\} "
		continue
	fi
	line+=$part
	[ -n "${line//[[:space:]]/}" ] || { line=; continue; }
	eval "set -- $line" || { echo "FAILED list (cannot parse: $line)"; exit 1; }
	names+=("$1") tests+=("$2") whats+=("$3") froms+=("${4:-}") tos+=("${5:-}")
	line=
done <"$LIST"

wanted() {
	[ -z "${MUTANTS:-}" ] && return 0
	case " $MUTANTS " in *" $1 "*) return 0 ;; esac
	return 1
}

# ---- the copy: sources and the objects already built, so a mutant rebuilds one file ----
as_root rm -rf "$WORK"
mkdir -p "$TREE" "$DEST"
tar cf - --exclude=./.git --exclude=./graphql --exclude=./bench --exclude=./build/fuzz \
	--exclude=./build/strict --exclude=./build/test-logs --exclude='*.bc' . | tar xf - -C "$TREE"
# the postgres user runs the temporary instances and writes their results here
as_root chown postgres: "$WORK"

build_for() {	# build_for TESTS LOG: what the tests need, from the copy
	local t need_module=0 units=()
	for t in ${1//,/ }; do
		case $t in
			unit:*) units+=("build/unit/${t#unit:}") ;;
			regress:* | isolation:*) need_module=1 ;;
		esac
	done
	if [ ${#units[@]} -gt 0 ]; then
		make -s -C "$TREE" "${units[@]}" >>"$2" 2>&1 || return 1
	fi
	if [ $need_module -eq 1 ]; then
		make -s -j2 -C "$TREE" with_llvm=no >>"$2" 2>&1 &&
			make -s -C "$TREE" install with_llvm=no DESTDIR="$DEST" >>"$2" 2>&1 || return 1
	fi
}

run_test() {	# run_test TEST LOG: exit status 0 when the test passes
	local t=$1 log=$2 kind=${1%%:*} name=${1#*:} dir
	case $kind in
		unit)
			(cd "$TREE" && BOOKING_DEFINITIONS_DIR=test/definitions "./build/unit/$name") >>"$log" 2>&1 ;;
		regress | isolation)
			dir=$WORK/run-$name
			as_root rm -rf "$dir"
			as_postgres env BOOKING_DESTDIR="$DEST" make -s -C "$TREE" \
				"$([ "$kind" = regress ] && echo regresscheck || echo isolationcheck)" \
				"$([ "$kind" = regress ] && echo REGRESS || echo ISOLATION)=$name" \
				REGRESS_DIR="$dir" REGRESS_PORT="$PORT" >>"$log" 2>&1 ;;
		*)
			echo "unknown test kind: $t" >>"$log"
			return 2 ;;
	esac
}

# ---- baseline: every named test passes without a fault ----
baseline_log=$LOGS/baseline.log
: >"$baseline_log"
all_tests=$(for i in "${!names[@]}"; do wanted "${names[$i]}" && echo "${tests[$i]//,/ }"; done | tr ' ' '\n' | sort -u)
if ! build_for "$(echo $all_tests | tr ' ' ',')" "$baseline_log"; then
	echo "FAILED baseline (the unfaulted copy does not build; log: $baseline_log)"
	tail -20 "$baseline_log"
	exit 1
fi
baseline_ok=1
for t in $all_tests; do
	if ! run_test "$t" "$baseline_log"; then
		echo "FAILED baseline $t (fails without any fault, so it can catch nothing; log: $baseline_log)"
		baseline_ok=0
	fi
done
[ $baseline_ok -eq 1 ] || exit 1

# ---- the mutants ----
caught=0
bad=0
for i in "${!names[@]}"; do
	name=${names[$i]}
	wanted "$name" || continue
	what=${whats[$i]}
	log=$LOGS/$name.log
	: >"$log"
	verdict=
	touched=()
	case $what in
		patch:*)
			p=$SRC/test/mutants/${what#patch:}
			touched=($(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$p"))
			(cd "$TREE" && patch -p1 -s <"$p") >>"$log" 2>&1 || verdict="does not apply: $what"
			;;
		*)
			touched=("$what")
			n=$(FROM=${froms[$i]} TO=${tos[$i]} perl -0777 -i -pe '
				my $n = () = /\Q$ENV{FROM}\E/g;
				s/\Q$ENV{FROM}\E/$ENV{TO}/ if $n == 1;
				END { print STDERR "$n\n" }' "$TREE/$what" 2>&1 >/dev/null)
			# perl -i writes the file; the count went to stderr
			[ "$n" = 1 ] || verdict="does not apply: the text is found ${n:-0} times in $what, not once"
			;;
	esac
	if [ -z "$verdict" ]; then
		if ! build_for "${tests[$i]}" "$log"; then
			verdict="does not build (log: $log)"
		else
			survivors=
			for t in ${tests[$i]//,/ }; do
				run_test "$t" "$log" && survivors+=" $t"
			done
			if [ -z "$survivors" ]; then
				verdict=caught
			else
				verdict="SURVIVED:$survivors passed with the fault in (log: $log)"
			fi
		fi
	fi
	# undo: the original files, with a new time so the next build recompiles them
	for f in "${touched[@]}"; do
		cp "$SRC/$f" "$TREE/$f"
		touch "$TREE/$f"
	done
	if [ "$verdict" = caught ]; then
		caught=$((caught + 1))
		echo "ok $name (caught by ${tests[$i]//,/, })"
	else
		bad=$((bad + 1))
		echo "FAILED $name ($verdict)"
	fi
done
# a whole run needs the issue's floor of deliberate faults: a list emptied
# (or cut down) must not make the check pass with nothing to catch
if [ -z "${MUTANTS:-}" ] && [ $((caught + bad)) -lt "${MUTANTS_MIN:-15}" ]; then
	echo "FAILED list (only $((caught + bad)) mutants in $LIST; at least ${MUTANTS_MIN:-15})"
	bad=$((bad + 1))
fi
echo "mutants: $caught caught, $bad not caught"
[ $bad -eq 0 ]

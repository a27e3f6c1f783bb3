#!/usr/bin/env bash
# bench/ab_builds.sh REV_A REV_B — two builds of booking, side by side, on what an expiry
# and a start cost.
#
# Each revision (anything `git rev-parse` takes; WORKTREE for the checkout as it is) is
# exported into BENCH_AB_DIR/<commit> (default /tmp/booking-bench-ab) and built and installed
# there into a DESTDIR of its own (./install.sh build), once: a later run reuses the build.
# Then BENCH_ROUNDS rounds (default 6) of bench/expiry_parts.sh's base variant (this
# checkout's script, each build on a cluster of its own, one run per build and round): the
# CPU time per expiry of the session that ticks them and per start of the session that
# starts them. A runs first in odd rounds, B first in even ones: the second run of a round
# was measured 1-3 us slower whichever build it was, and so cancels out in the medians.
# Prints a markdown table: each build's medians and runs, and the median of the rounds'
# differences B - A. BENCH_N as expiry_parts.sh (default 20,000). Nothing asserts on time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
BENCH_AB_DIR=${BENCH_AB_DIR:-/tmp/booking-bench-ab}
BENCH_ROUNDS=${BENCH_ROUNDS:-6}
. "$BENCH/lib/bench.sh"

[ $# -eq 2 ] || die "usage: bench/ab_builds.sh REV_A REV_B (a git revision, or WORKTREE)"

# build REV: on stdout, the DESTDIR holding REV's build (made when missing)
build() {
	local rev=$1 name dir
	if [ "$rev" = WORKTREE ]; then
		name=worktree
		dir=$BENCH_AB_DIR/$name
		rm -rf "$dir"
		mkdir -p "$dir/src"
		# the checkout as it is, uncommitted changes included, without its build products
		git -C "$ROOT" ls-files -co --exclude-standard -z | (cd "$ROOT" && xargs -0 cp --parents -t "$dir/src" 2>/dev/null) ||
			die "copying the worktree"
	else
		name=$(git -C "$ROOT" rev-parse --short "$rev^{commit}") || die "no revision $rev"
		dir=$BENCH_AB_DIR/$name
		if [ -f "$dir/built" ]; then
			echo "$dir/dest"
			return 0
		fi
		rm -rf "$dir"
		mkdir -p "$dir/src"
		git -C "$ROOT" archive "$name" | tar -x -C "$dir/src" || die "exporting $rev"
	fi
	log "building $rev into $dir/dest"
	(cd "$dir/src" && BOOKING_DESTDIR="$dir/dest" ./install.sh build >"$dir/build.log" 2>&1) ||
		die "building $rev (log: $dir/build.log)"
	touch "$dir/built"
	echo "$dir/dest"
}

# run DEST SIDE: "tick start" CPU µs for one base run of expiry_parts.sh on DEST's build
run() {
	local line
	line=$(BOOKING_DESTDIR=$1 BOOKING_TEST_TAG=-ab-$2 BENCH_PORT=$([ "$2" = A ] && echo 55431 || echo 55432) \
		BENCH_SKIP_BUILD=1 BENCH_VARIANTS=base BENCH_RUNS=1 bash "$BENCH/expiry_parts.sh" 2>/dev/null |
		grep '^| base ') || die "expiry_parts.sh on build $2 ($1)"
	# | base | N | tick median | runs | diff | start median |
	echo "$line" | awk -F'|' '{ gsub(/ /, "", $4); gsub(/ /, "", $7); print $4, $7 }'
}

DEST_A=$(build "$1")
DEST_B=$(build "$2")
log "machine: $(machine)"
declare -A T S
# shellcheck disable=SC2034 # T and S are read through the nameref in row
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	order="A B"
	[ $((r % 2)) -eq 0 ] && order="B A"
	for side in $order; do
		dest=$DEST_A
		[ "$side" = B ] && dest=$DEST_B
		read -r t s < <(run "$dest" "$side")
		log "round $r, $side: $t µs/expiry, $s µs/start (load $(cut -d' ' -f1-3 /proc/loadavg))"
		T[$side.$r]=$t
		S[$side.$r]=$s
	done
done

# row LABEL ARRAY: medians and runs of A and B, and the median of the rounds' B - A
row() {
	local label=$1 a=() b=() d=() r
	local -n m=$2
	for ((r = 1; r <= BENCH_ROUNDS; r++)); do
		a+=("${m[A.$r]}")
		b+=("${m[B.$r]}")
		d+=("$(awk -v x="${m[B.$r]}" -v y="${m[A.$r]}" 'BEGIN { printf "%.1f", x - y }')")
	done
	echo "| $label | $(median "${a[@]}") | $(median "${b[@]}") | $(awk -v d="$(median "${d[@]}")" 'BEGIN { printf "%+.1f", d }') | ${a[*]} | ${b[*]} |"
}
echo "A = $1 ($DEST_A), B = $2 ($DEST_B), $BENCH_ROUNDS rounds, N = ${BENCH_N:-20000}"
echo
echo "| CPU µs | A, median | B, median | B − A, median of the rounds' | A's runs | B's runs |"
echo "|---|---:|---:|---:|---|---|"
row "per expiry (the ticking session)" T
row "per start (the starting session)" S

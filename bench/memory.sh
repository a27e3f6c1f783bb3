#!/usr/bin/env bash
# bench/memory.sh — one backend runs a million short durable executions: does its
# memory stay flat? (issue 4: "a backend that runs a million short executions keeps
# a flat memory footprint").
#
# One psql session (so one backend) runs MEMORY_EXECUTIONS sfn_start calls of a
# machine that ends at once (Pass → Succeed), MEMORY_BATCH per statement:
#     SELECT count(booking.sfn_start('memory_short', …)) FROM generate_series(1, BATCH)
# in autocommit (each batch commits). After every batch, the same backend reports:
#   - VmRSS and RssAnon from /proc/<pg_backend_pid()>/status. VmRSS counts the shared
#     buffers the backend has touched (RssShmem), which grows towards shared_buffers
#     without being a leak; RssAnon is the backend's private memory;
#   - booking.booking_backend_memory(): context_bytes (palloc: every memory context
#     under TopMemoryContext) and malloc_bytes (mallinfo2: json-c and the core).
# Prints one markdown table (a row per batch) and a verdict comparing the last 10% of
# the samples with the first 10% after warm-up (the first 10% of the batches are
# warm-up: caches, plans, shared buffers being touched); FLAT means RssAnon, palloc and
# malloc each grew by at most 1 MiB (page-sized noise) or by less than 1 byte per
# execution between the two windows. Nothing here asserts: the
# run fails only if an execution does not SUCCEED (then the figures mean nothing).
#
# Settings (environment):
#   MEMORY_EXECUTIONS  executions in all (default 1000000; a multiple of MEMORY_BATCH)
#   MEMORY_BATCH       executions per statement (default 10000)
#   BENCH_DIR          cluster directory (default /tmp/booking-bench-memory)
#   BENCH_PORT         cluster port (default 54342)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
N=${MEMORY_EXECUTIONS:-1000000}
BATCH=${MEMORY_BATCH:-10000}
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-memory}
BENCH_PORT=${BENCH_PORT:-54342}
. "$BENCH/lib/bench.sh"

[[ $N =~ ^[1-9][0-9]*$ ]] || die "MEMORY_EXECUTIONS must be a positive integer (got '$N')"
[[ $BATCH =~ ^[1-9][0-9]*$ ]] || die "MEMORY_BATCH must be a positive integer (got '$BATCH')"
[ $((N % BATCH)) -eq 0 ] || die "MEMORY_EXECUTIONS ($N) must be a multiple of MEMORY_BATCH ($BATCH)"
BATCHES=$((N / BATCH))
[ "$BATCHES" -ge 10 ] || die "need at least 10 batches for the verdict (MEMORY_EXECUTIONS / MEMORY_BATCH = $BATCHES)"

bench_build
bench_cluster "$BENCH_DIR" "$BENCH_PORT"
started=$SECONDS

sql >/dev/null <<'SQL' || die "creating the state machine"
SELECT booking.sfn_create_state_machine('memory_short', '{
  "StartAt": "Quote",
  "States": {
    "Quote": {"Type": "Pass", "Parameters": {"booking.$": "$", "price": 120}, "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}', role => 'postgres');
SQL

# the statements one session runs: a sample before anything, then batch + sample each time
SAMPLE="SELECT :done, round(extract(epoch FROM clock_timestamp()) * 1000),
  (regexp_match(s, 'VmRSS:\s+(\d+) kB'))[1], (regexp_match(s, 'RssAnon:\s+(\d+) kB'))[1],
  m.context_bytes, m.malloc_bytes, m.cached_machines
  FROM pg_read_file('/proc/' || pg_backend_pid() || '/status') AS s, booking.booking_backend_memory() AS m;"
script() {
	echo "\\set done 0"
	echo "$SAMPLE"
	for b in $(seq "$BATCHES"); do
		echo "SELECT count(booking.sfn_start('memory_short', jsonb_build_object('apartmentId', 'apt-7', 'guest', 'Ada Lovelace', 'n', i))) FROM generate_series(1, $BATCH) i;"
		echo "\\set done $((b * BATCH))"
		echo "$SAMPLE"
	done
}

log "one backend: $N executions in $BATCHES batches of $BATCH (progress every 10%)"
SAMPLES=()	# "done ms rss_kb anon_kb context_bytes malloc_bytes"
t0=
while IFS='|' read -r a b c d e f g; do
	if [ -z "$b" ]; then	# a batch's count
		[ "$a" = "$BATCH" ] || die "a batch started $a executions, expected $BATCH"
		continue
	fi
	[ -n "$t0" ] || t0=$b
	SAMPLES+=("$a $b $c $d $e $f")
	if [ $(((a / BATCH) % (BATCHES / 10 > 0 ? BATCHES / 10 : 1))) -eq 0 ]; then
		log "  $a executions, $(awk -v b="$b" -v t="$t0" 'BEGIN { printf "%.1f", (b - t) / 1000 }') s, RSS $((c / 1024)) MiB (anon $((d / 1024)) MiB), palloc $e B, malloc $f B, $g cached machine(s)"
	fi
done < <(script | sql -F '|')
[ ${#SAMPLES[@]} -eq $((BATCHES + 1)) ] || die "got ${#SAMPLES[@]} samples, expected $((BATCHES + 1))"

log "checking every execution SUCCEEDED"
counts=$(sql -c "SELECT count(*), count(*) FILTER (WHERE status = 'SUCCEEDED') FROM booking.executions")
[ "$counts" = "$N|$N" ] || die "executions (all|SUCCEEDED): $counts, expected $N|$N"
run_ms=$(( $(awk '{print $2}' <<<"${SAMPLES[-1]}") - $(awk '{print $2}' <<<"${SAMPLES[0]}") ))

# ------------------------------------------------------------------ the report
echo "booking memory — $(date -u +%Y-%m-%d), $(machine); one backend, $N executions (Pass → Succeed) in batches of $BATCH, each batch committed"
echo
echo "| executions done | seconds | VmRSS (KiB) | RssAnon (KiB) | palloc bytes | malloc bytes |"
echo "|---:|---:|---:|---:|---:|---:|"
for s in "${SAMPLES[@]}"; do
	read -r a b c d e f <<<"$s"
	printf '| %s | %.1f | %s | %s | %s | %s |\n' "$a" "$(awk -v b="$b" -v t="$t0" 'BEGIN { print (b - t) / 1000 }')" "$c" "$d" "$e" "$f"
done
echo
# verdict: mean of the last 10% of the batch samples vs mean of the 10% after the warm-up
# (samples 1..BATCHES; sample 0 is before the first batch)
printf '%s\n' "${SAMPLES[@]:1}" | awk -v batches="$BATCHES" -v n="$N" -v ms="$run_ms" '
	{ done[NR] = $1; rss[NR] = $3 * 1024; anon[NR] = $4 * 1024; ctx[NR] = $5; mal[NR] = $6 }
	function mean(a, from, to,   s, i) { s = 0; for (i = from; i <= to; i++) s += a[i]; return s / (to - from + 1) }
	# growth of the last window over the first, in bytes; appends its description to text
	function growth(name, a,   f, l, g) {
		f = mean(a, w + 1, 2 * w); l = mean(a, NR - w + 1, NR); g = l - f
		text = text sprintf("%s%s %.1f → %.1f MiB (%+.0f bytes, %+.3f per execution)",
			text == "" ? "" : "; ", name, f / 1048576, l / 1048576, g, g / span)
		return g
	}
	END {
		w = int(batches / 10); if (w < 1) w = 1
		span = done[NR - w + 1] - done[w + 1]	# executions between the two windows
		text = ""
		worst = growth("RssAnon", anon)
		g = growth("palloc", ctx); if (g > worst) worst = g
		g = growth("malloc", mal); if (g > worst) worst = g
		growth("VmRSS (incl. shared buffers touched)", rss)
		printf "verdict: %s — mean of executions %d–%d (after %d of warm-up) vs %d–%d: %s. %d executions in %.0f s (%.0f per second).\n",
			worst <= 1048576 || worst / span < 1 ? "FLAT (private memory grew by at most 1 MiB, or less than 1 byte per execution)" \
			                 : sprintf("GROWING (%.2f bytes per execution)", worst / span),
			done[w + 1], done[2 * w], done[w], done[NR - w + 1], done[NR], text, n, ms / 1000, n / (ms / 1000)
	}'
log "done in $((SECONDS - started)) s (after the build)"

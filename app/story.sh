#!/usr/bin/env bash
# app/story.sh — the article's story, live, on a running cluster with the application
# loaded (./install.sh runs it after app/load.sql):
#
#   Ada reserves the Alfama flat (8 s payment window) and pays after 2 s: it stays PAID
#   Grace reserves the Ribeira studio (5 s window) and never pays: released when it ends
#   Linus reserves apartment "nowhere-0", which does not exist: refused at once
#   Alan reserves the Mitte loft paying by callback (30 s window) and pays after 3 s:
#       the payment resumes his workflow at once, no waiting for the window
#
# Nothing ticks by hand: the timer worker fires the payment windows. Prints each
# apartment's status as it changes, with timestamps, then each execution's history.
#
# Usage: app/story.sh HOST_DIR PORT   (psql connection: socket directory and port)
set -euo pipefail
HOST=${1:?socket directory}
PORT=${2:?port}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres -d postgres "$@"; }
stamp() { date -u +%H:%M:%S.%3N; }
say() { echo "$(stamp)  $*"; }

declare -A SEEN=()
# show_changes: print every apartment and execution whose state differs from last time
show_changes() {
	local line key value
	while IFS='|' read -r key value; do
		[ -n "$key" ] || continue
		if [ "${SEEN[$key]:-}" != "$value" ]; then
			SEEN[$key]=$value
			say "$key  $value"
		fi
	done < <(q <<'SQL'
SELECT 'apartment ' || rpad("Id", 16) || '|' || "bookedStatus" || coalesce('  guest=' || guest, '')
  FROM booking_app.apartments ORDER BY "Id";
SELECT 'execution ' || rpad(regexp_replace(name, '-[0-9]+$', ''), 16) || '|' || status || coalesce('  ' || error, '')
  FROM booking.executions WHERE name LIKE 'story-%' AND parent_id IS NULL ORDER BY name;
SQL
)
}

# a reservation through the application's function, named so the story can find it
# (a refused one is an ERROR carrying the workflow's error and cause)
reserve() {	# reserve NAME APARTMENT GUEST WINDOW CALLBACK
	local arn
	if arn=$(q -c "SELECT booking_app.reserve_apartment('$2', '$3', $4, $5, '$1')" 2>&1); then
		say "$3 reserves $2 (payment window ${4}s$([ "$5" = true ] && echo ', pays by callback')): $arn"
	else
		say "$3 reserves $2: refused, $(echo "$arn" | sed -n 's/^[^:]*ERROR: *//p')"
	fi
}

q -c "DELETE FROM booking.executions WHERE name LIKE 'story-%'" \
  -c "UPDATE booking_app.apartments SET \"bookedStatus\" = 'VACANT', guest = NULL, \"reservedUntil\" = NULL"
RUN=$(date +%s)
echo "== the story ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
show_changes
reserve "story-ada-$RUN" lisbon-alfama-2 Ada 8 false
reserve "story-grace-$RUN" porto-ribeira-1 Grace 5 false
reserve "story-linus-$RUN" nowhere-0 Linus 5 false
reserve "story-alan-$RUN" berlin-mitte-3 Alan 30 true
show_changes

paid_ada=false
paid_alan=false
deadline=$((SECONDS + 60))
while :; do
	elapsed=$(( $(date +%s) - RUN ))
	if ! $paid_ada && [ "$elapsed" -ge 2 ]; then
		say "Ada pays 240.00: $(q -c "SELECT 'payment ' || id FROM booking_app.record_payment('lisbon-alfama-2', 240.00)")"
		paid_ada=true
	fi
	if ! $paid_alan && [ "$elapsed" -ge 3 ]; then
		say "Alan pays 480.00: $(q -c "SELECT 'payment ' || id FROM booking_app.record_payment('berlin-mitte-3', 480.00)")"
		paid_alan=true
	fi
	show_changes
	running=$(q -c "SELECT count(*) FROM booking.executions WHERE name LIKE 'story-%' AND parent_id IS NULL AND status = 'RUNNING'")
	[ "$running" = 0 ] && $paid_ada && $paid_alan && break
	if [ $SECONDS -ge $deadline ]; then
		echo "the story did not end within 60 s: is the timer worker running (booking in shared_preload_libraries)?" >&2
		exit 1
	fi
	sleep 0.2
done

echo
echo "== how each execution ended"
q -c "SELECT rpad(name, 26) || rpad(status, 11) || coalesce(output::text, error || ': ' || cause)
        FROM booking.executions WHERE name LIKE 'story-%' AND parent_id IS NULL ORDER BY name"
for who in ada grace alan; do
	echo
	echo "== history of story-$who-$RUN"
	q -c "SELECT lpad(id::text, 3) || '  ' || to_char(timestamp AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') || '  ' || rpad(type, 26)
	             || coalesce(details #>> '{stateEnteredEventDetails,name}', details #>> '{taskScheduledEventDetails,resource}', '')
	        FROM booking.sfn_get_execution_history('story-$who-$RUN') ORDER BY id"
done

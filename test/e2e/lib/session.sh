# test/e2e/lib/session.sh — long-lived psql sessions driven from a bash script.
# Sourced by the end-to-end tests in test/e2e/ (this directory is not a test).
#
# A session is one psql process reading SQL from a FIFO, its output (stdout and
# stderr) appended to a transcript file. session_run sends SQL followed by a
# marker (\echo) and waits until the marker comes back, so each call returns
# exactly the output of what it sent — query results, and the asynchronous
# notifications psql prints after each query. Connection settings come from the
# environment (PGHOST, PGPORT, PGUSER); the database from E2E_DB.
#
#   e2e_init                      a work directory for transcripts (E2E_WORK)
#   session_open NAME [ROLE]      start a psql session (tuples only, unaligned), as
#                                 ROLE (a login role) when given, else PGUSER
#   session_run NAME SQL          run SQL; its output in $OUT; an ERROR fails the test
#   session_close NAME            end it (EOF on its input)
#   pass MESSAGE / fail MESSAGE   report; fail exits 1
#
# Waits are generous (E2E_TIMEOUT seconds, default 30) and only bound how long a
# broken server can hang the test: nothing asserts on how long anything takes.

E2E_TIMEOUT=${E2E_TIMEOUT:-30}

# The application role the tests use booking as: a login role with booking_user
# and no right on booking's tables (docs/security.md). app_role_sql prints what
# creates it (run once the extension exists), with the right to create the
# test's tables and functions in public.
E2E_APP=booking_e2e_app
app_role_sql() {
	cat <<SQL
SET client_min_messages = warning;
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$E2E_APP') THEN
        CREATE ROLE $E2E_APP LOGIN;
    END IF;
END \$\$;
GRANT booking_user TO $E2E_APP;
GRANT CREATE ON SCHEMA public TO $E2E_APP;
SQL
}
declare -A SESSION_FD SESSION_PID SESSION_MARK SESSION_SEEN

pass() { echo "ok - $*"; }
fail() {
	echo "not ok - $*"
	local name
	for name in "${!SESSION_PID[@]}"; do
		echo "--- transcript of session $name (last 30 lines)"
		tail -30 "$E2E_WORK/$name.out" 2>/dev/null
	done
	exit 1
}

e2e_init() {
	E2E_WORK=$(mktemp -d /tmp/booking-e2e.XXXXXX)
}

e2e_cleanup() {
	local name
	for name in "${!SESSION_PID[@]}"; do session_close "$name"; done
	[ -n "${E2E_WORK:-}" ] && rm -rf "$E2E_WORK"
}

session_open() {
	local name=$1 user=${2:-${PGUSER:-}} fd
	mkfifo "$E2E_WORK/$name.in"
	: >"$E2E_WORK/$name.out"
	# stdbuf: psql's stdout is a file, line-buffer it so markers show at once
	PGUSER=$user stdbuf -oL -eL psql -X -q -At -v ON_ERROR_STOP=0 -d "$E2E_DB" \
		<"$E2E_WORK/$name.in" >>"$E2E_WORK/$name.out" 2>&1 &
	SESSION_PID[$name]=$!
	exec {fd}>"$E2E_WORK/$name.in"	# psql's open of the FIFO returns once this opens it
	SESSION_FD[$name]=$fd
	SESSION_MARK[$name]=0
	SESSION_SEEN[$name]=0
	session_run "$name" "SELECT 'session $name ready';"
}

session_close() {
	local name=$1
	[ -n "${SESSION_FD[$name]:-}" ] || return 0
	local fd=${SESSION_FD[$name]} pid=${SESSION_PID[$name]} deadline
	exec {fd}>&-
	# EOF ends psql (an open transaction rolls back); a psql stuck in a query
	# (say, waiting on a lock) must not hang the test's exit
	deadline=$((SECONDS + E2E_TIMEOUT))
	while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset "SESSION_FD[$name]" "SESSION_PID[$name]"
}

# session_run NAME SQL: OUT = the output of SQL (the lines before the marker).
# Not in a command substitution: it keeps the session's position in its transcript.
session_run() {
	local name=$1 sql=$2 out="$E2E_WORK/$1.out" mark line deadline chunk
	kill -0 "${SESSION_PID[$name]}" 2>/dev/null || fail "session $name is gone"
	SESSION_MARK[$name]=$((SESSION_MARK[$name] + 1))
	mark="@@mark $name ${SESSION_MARK[$name]}"
	printf '%s\n\\echo %s\n' "$sql" "$mark" >&"${SESSION_FD[$name]}"
	deadline=$((SECONDS + E2E_TIMEOUT))
	while :; do
		line=$(grep -nxF -- "$mark" "$out" | cut -d: -f1) || true
		[ -n "$line" ] && break
		kill -0 "${SESSION_PID[$name]}" 2>/dev/null || fail "session $name ended while running: $sql"
		[ $SECONDS -lt $deadline ] || fail "session $name: no answer in ${E2E_TIMEOUT}s to: $sql"
		sleep 0.01
	done
	chunk=$(sed -n "$((SESSION_SEEN[$name] + 1)),$((line - 1))p" "$out")
	SESSION_SEEN[$name]=$line
	if grep -q '^\(psql:[^ ]* \)\?\(ERROR\|FATAL\|PANIC\):' <<<"$chunk"; then
		fail "session $name: $sql
$chunk"
	fi
	OUT=$chunk
}

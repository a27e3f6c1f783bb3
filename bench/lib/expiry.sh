# bench/lib/expiry.sh — the booking story's expiry, set up in database "bench" of the
# benchmark's cluster: shared by bench/expiry.sh and bench/expiry_parts.sh. Sourced,
# not run; needs q (psql -At on database bench) and BENCH_FUNCTION (plpgsql or sql).
#
#   expiry_setup          CREATE EXTENSION booking, the table reservations, the Task's
#                         function expire_one(jsonb) (the UPDATE), due_in(seconds) and
#                         the state machine "expire": Wait until $.due, then the Task
#   expiry_fresh N        N open reservations; no executions, no history
#   expiry_start_sql N    on stdout: the statements that start N executions due 2 s from
#                         their start (batches of 1,000), for psql

expiry_setup() {
	q >/dev/null <<'SQL'
CREATE EXTENSION booking;
CREATE TABLE reservations (id int PRIMARY KEY, status text NOT NULL, due timestamptz, expired_at timestamptz);
SQL
	if [ "$BENCH_FUNCTION" = sql ]; then
		q >/dev/null <<'SQL'
CREATE FUNCTION expire_one(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  UPDATE reservations SET status = 'expired', due = (p->>'due')::timestamptz, expired_at = clock_timestamp()
   WHERE id = (p->>'id')::int
  RETURNING jsonb_build_object('id', id)
$$;
SQL
	else
		q >/dev/null <<'SQL'
CREATE FUNCTION expire_one(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE r jsonb;
BEGIN
  UPDATE reservations SET status = 'expired', due = (p->>'due')::timestamptz, expired_at = clock_timestamp()
   WHERE id = (p->>'id')::int
  RETURNING jsonb_build_object('id', id) INTO r;
  RETURN r;
END $$;
SQL
	fi
	q >/dev/null <<'SQL'
CREATE FUNCTION due_in(s float8) RETURNS text LANGUAGE sql AS
$$ SELECT to_char((clock_timestamp() + s * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;
SELECT booking.sfn_create_state_machine('expire', '{
  "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "TimestampPath": "$.due", "Next": "Expire"},
    "Expire": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:expire_one", "End": true}
  }
}', role => 'postgres');
SQL
}

expiry_fresh() {
	q >/dev/null <<SQL
TRUNCATE reservations, booking.executions, booking.history;
INSERT INTO reservations SELECT g, 'held' FROM generate_series(1, $1) g;
SQL
}

expiry_start_sql() {
	local a b
	for ((a = 1; a <= $1; a += 1000)); do
		b=$((a + 999 > $1 ? $1 : a + 999))
		echo "SELECT count(booking.sfn_start('expire', jsonb_build_object('id', g, 'due', due_in(2)))) FROM generate_series($a, $b) g;"
	done
}

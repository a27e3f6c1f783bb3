-- due_in(s): the time s seconds from now, as an ASL timestamp (TimestampPath)
CREATE FUNCTION due_in(s float8) RETURNS text LANGUAGE sql AS
$$ SELECT to_char((clock_timestamp() + s * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

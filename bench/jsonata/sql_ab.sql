-- bench/jsonata/sql_ab.sql — a same-minute before/after of booking.jsonata() in SQL.
--
-- Setup (by hand; see bench/README.md, "JSONata", "Before/after in SQL"):
--   * table cases (id, expr, data, bindings): the result cases bench/jsonata.sh loads
--     (its "CREATE TEMP TABLE cases" query, without TEMP);
--   * the older build installed next to booking.so as booking_base.so, built from the old
--     commit with its _PG_init returning at once (two copies of the library cannot both
--     define the booking.* settings) and linked -Bsymbolic like booking.so;
--   * the cluster restarted after each install: booking is in shared_preload_libraries,
--     so backends run the library the postmaster loaded.
-- Then: INSERT INTO ab SELECT 'label', * FROM bench_ab(10);
--       SELECT exp(avg(ln(rate_b / rate_a))) FROM ab WHERE label = 'label';
-- Each case runs old, new, new, old (budget_ms / 2 each, the batch loop of bench/jsonata.sh),
-- so load that changes during the run falls on both alike.
CREATE OR REPLACE FUNCTION jsonata_base(text, jsonb, jsonb) RETURNS jsonb LANGUAGE c AS 'booking_base', 'booking_jsonata';
CREATE OR REPLACE FUNCTION rate1(which int, c record, budget_ms float8) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE n bigint := -16; t0 timestamptz; elapsed float8;
BEGIN
    LOOP
      IF which = 0 THEN
        PERFORM count(jsonata_base(c.expr, c.data, c.bindings)) FROM generate_series(1, 16);
      ELSE
        PERFORM count(booking.jsonata(c.expr, c.data, c.bindings)) FROM generate_series(1, 16);
      END IF;
      n := n + 16;
      IF n = 0 THEN t0 := clock_timestamp(); CONTINUE; END IF;
      elapsed := extract(epoch FROM clock_timestamp() - t0) * 1000;
      EXIT WHEN elapsed >= budget_ms;
    END LOOP;
    RETURN n * 1000 / elapsed;
END $$;
CREATE OR REPLACE FUNCTION bench_ab(budget_ms float8) RETURNS TABLE (id text, rate_a float8, rate_b float8)
LANGUAGE plpgsql AS $$
DECLARE c record; a1 float8; a2 float8; b1 float8; b2 float8;
BEGIN
  FOR c IN SELECT * FROM cases LOOP
    id := c.id;
    a1 := rate1(0, c, budget_ms / 2); b1 := rate1(1, c, budget_ms / 2);
    b2 := rate1(1, c, budget_ms / 2); a2 := rate1(0, c, budget_ms / 2);
    rate_a := (a1 + a2) / 2; rate_b := (b1 + b2) / 2;
    RETURN NEXT;
  END LOOP;
END $$;
CREATE TABLE IF NOT EXISTS ab (label text, id text, rate_a float8, rate_b float8);

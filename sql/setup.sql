-- The extension: schema booking, not relocatable, its API and tables.
SELECT e.extname, e.extversion, e.extrelocatable, n.nspname
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'booking';

SELECT p.oid::regprocedure AS function
  FROM pg_proc p
 WHERE p.pronamespace = 'booking'::regnamespace
 ORDER BY p.oid::regprocedure::text;

SELECT c.relname, c.relkind
  FROM pg_class c
 WHERE c.relnamespace = 'booking'::regnamespace AND c.relkind IN ('r', 'v')
 ORDER BY 1;

-- ARNs take region and account from settings
SELECT current_setting('booking.region') AS region, current_setting('booking.account_id') AS account;

-- the test instance preloads booking (its timer worker, its settings)
SELECT 'booking' = ANY (string_to_array(current_setting('shared_preload_libraries'), ',')) AS booking_preloaded;

--
-- demo/day.sql: the start of day :day, XP at :price USDT (included by
-- month.sql).  The oracle price and the day's tick commit together, in a
-- transaction that first waits for the tick lock: a background worker tick
-- running at that moment finishes first, and the worker's ticks during this
-- transaction are skipped ({"skipped": true}), so it never sees the new
-- price before the day's tick has.
--
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('xphere.tick')) AS lock \gset
SELECT set_config('xphere.clock', (:'d0'::timestamptz + (:day - 1) * interval '1 day')::text,
	false) AS clock \gset
SELECT xphere.set_price('XP', :'price', 'demo-oracle') AS price_set \gset
SELECT xphere.tick() AS tick \gset
COMMIT;
SELECT pg_temp.day_line(:day, :'tick'::jsonb);
\ir chart_day.sql
-- a quarter of a second of real time per day, so that the background
-- worker (ticking every second) visibly runs alongside the month
SELECT pg_sleep(0.25) AS slept \gset

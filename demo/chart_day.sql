--
-- demo/chart_day.sql: records the day for the chart of the month (included
-- by day.sql after the day's tick).  The platform keeps the price history,
-- the mining rewards and the events, but not the pool's utilization and
-- rates nor a loan's health factor of a past day: those are written here,
-- once a day, into tables of the demo's own schema "demo" (not xphere).
-- demo/chart_data.sql turns them into the chart's data at the end.
--
CREATE SCHEMA IF NOT EXISTS demo;
COMMENT ON SCHEMA demo IS 'the demo''s own records for the chart of the month (demo/chart_day.sql)';
CREATE TABLE IF NOT EXISTS demo.daily (
	day				integer PRIMARY KEY,
	at				timestamptz NOT NULL,
	utilization		numeric NOT NULL,
	supply_apy		numeric NOT NULL,
	borrow_apy		numeric NOT NULL
);
COMMENT ON TABLE demo.daily IS 'the lending pool lp-xp after each day''s tick';
COMMENT ON COLUMN demo.daily.day IS 'day of the month, 1 = the first day';
COMMENT ON COLUMN demo.daily.at IS 'the demo''s clock (xphere.now()) at the day''s tick';
COMMENT ON COLUMN demo.daily.utilization IS 'borrowed / (borrowed + cash), a fraction';
COMMENT ON COLUMN demo.daily.supply_apy IS 'supply APY in percent';
COMMENT ON COLUMN demo.daily.borrow_apy IS 'borrow APY in percent';
CREATE TABLE IF NOT EXISTS demo.daily_health (
	day				integer NOT NULL REFERENCES demo.daily,
	position_id		uuid NOT NULL,
	health_factor	numeric NOT NULL,
	PRIMARY KEY (day, position_id)
);
COMMENT ON TABLE demo.daily_health IS 'the health factor of every open loan after each day''s tick';

INSERT INTO demo.daily (day, at, utilization, supply_apy, borrow_apy)
SELECT :day, xphere.now(),
	xphere.utilization(p.scaled_borrowed, p.borrow_index, p.cash)::numeric,
	p.supply_apy, p.borrow_apy
FROM xphere_internal.pool_now('lp-xp') p;
INSERT INTO demo.daily_health (day, position_id, health_factor)
SELECT :day, b.id, xphere.position_health(b.id)::numeric
FROM xphere.borrow_positions b
WHERE b.status = 'OPEN' AND b.pool_id = 'lp-xp' AND b.scaled_debt > 0;

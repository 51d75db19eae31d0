--
-- demo/chart_data.sql: the data of the chart of the month, as TSV files
-- (tab-separated, one header line) in the directory :out, from what the
-- database recorded: the price history (xphere.prices), the mining rewards
-- (xphere.mining_rewards), the events (xphere.events) and the demo's daily
-- records (schema demo, written by demo/chart_day.sql).  Run by
-- demo/run.sh after the month:
--   psql -v out=DIR -f demo/chart_data.sql
-- Day n of the month is the day that starts n - 1 days after the first
-- day's tick; a value "of day n" is the one after that day's tick.
--
\set ON_ERROR_STOP 1
\set QUIET 1
SET TimeZone = 'UTC';
SELECT :'out' || '/price.tsv' AS price_tsv, :'out' || '/pool.tsv' AS pool_tsv,
	:'out' || '/health.tsv' AS health_tsv, :'out' || '/mining.tsv' AS mining_tsv \gset

CREATE TEMP VIEW days AS
SELECT d.day, d.at,
	d.at + interval '1 day' AS next_at
FROM demo.daily d;

CREATE FUNCTION pg_temp.day_of(t timestamptz) RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT floor(extract(epoch FROM t - (SELECT d.at FROM demo.daily d WHERE d.day = 1))
				 / 86400)::integer + 1
$$;

-- price.tsv: the XP price in USDT of each day (the last one the oracle
-- published before the next day)
COPY (
	SELECT d.day, round(p.price_usdt::numeric, 6) AS xp_price_usdt
	FROM pg_temp.days d
	CROSS JOIN LATERAL (SELECT x.price_usdt FROM xphere.prices x
						WHERE x.asset = 'XP' AND x.created_at < d.next_at
						ORDER BY x.created_at DESC, x.id DESC LIMIT 1) p
	ORDER BY d.day
) TO STDOUT WITH (FORMAT csv, DELIMITER E'\t', HEADER) \g :price_tsv

-- pool.tsv: the lending pool's utilization and rates, in percent
COPY (
	SELECT d.day, round(d.utilization * 100, 4) AS utilization_pct,
		round(d.supply_apy, 4) AS supply_apy_pct, round(d.borrow_apy, 4) AS borrow_apy_pct
	FROM demo.daily d
	ORDER BY d.day
) TO STDOUT WITH (FORMAT csv, DELIMITER E'\t', HEADER) \g :pool_tsv

-- health.tsv: each loan's health factor per day, named by its borrower
-- (with #n, as in Carol#2, when a borrower has several loans), from the
-- daily records ("after tick") and from the ticks' "liquidatable" events
-- ("liquidatable event": the value before the house liquidated the loan in
-- that tick; left out when the day's record holds the same value).  On a
-- day with both, the event's row comes first: the line drops below 1 and
-- jumps back where the liquidation restored the loan.
COPY (
	WITH loans AS (
		SELECT b.id, u.name || CASE WHEN count(*) OVER (PARTITION BY b.user_id) > 1
			THEN '#' || row_number() OVER (PARTITION BY b.user_id ORDER BY b.created_at, b.id)
			ELSE '' END AS borrower
		FROM xphere.borrow_positions b JOIN xphere.users u ON u.id = b.user_id
		WHERE b.pool_id = 'lp-xp'
	), points AS (
		SELECT h.day, h.position_id, h.health_factor, 'after tick' AS recorded, 2 AS ord
		FROM demo.daily_health h
		UNION ALL
		SELECT e.day, e.position_id, e.health_factor, 'liquidatable event', 1
		FROM (SELECT pg_temp.day_of(e.created_at) AS day,
				  (e.payload ->> 'position_id')::uuid AS position_id,
				  (e.payload ->> 'health_factor')::numeric AS health_factor
			  FROM xphere.events e WHERE e.kind = 'liquidatable') e
		WHERE NOT EXISTS (
			SELECT FROM demo.daily_health h
			WHERE h.day = e.day AND h.position_id = e.position_id
			  AND h.health_factor = e.health_factor)
	)
	SELECT p.day, l.borrower, round(p.health_factor, 6) AS health_factor, p.recorded
	FROM points p JOIN loans l ON l.id = p.position_id
	WHERE p.day BETWEEN 1 AND (SELECT max(d.day) FROM demo.daily d)
	ORDER BY l.borrower, p.day, p.ord
) TO STDOUT WITH (FORMAT csv, DELIMITER E'\t', HEADER) \g :health_tsv

-- mining.tsv: the XP the machines earned per day (all distributions of
-- the day, 0 on a day without any)
COPY (
	SELECT d.day, round(coalesce(sum(r.amount::numeric), 0), 6) AS xp_mined
	FROM pg_temp.days d
	LEFT JOIN xphere.mining_rewards r
		ON r.calculated_at >= d.at AND r.calculated_at < d.next_at
	GROUP BY d.day
	ORDER BY d.day
) TO STDOUT WITH (FORMAT csv, DELIMITER E'\t', HEADER) \g :mining_tsv

/*
 * bench/liquidation.sql: finding liquidatable loans without scanning them.
 *
 * Builds POSITIONS (default 1 000 000) open XP loans against USDT
 * collateral in pool lp-xp, spread over 1 000 users, with health factors
 * between 1.05 and 3.3 at an XP price of 1.  One in a thousand is close to
 * the edge (HF 1.05-1.087).  The XP price then rises 10%, which pushes
 * exactly those below 1.  Times, best of three:
 *   - xphere.liquidatable_positions('lp-xp'): the risk_key range scan and
 *     the exact health factor of each candidate;
 *   - the naive way: the exact health factor of every open position.
 * Both must find the same positions.  Positions are inserted in bulk with
 * their scaled debt and risk key (as borrow() would store them), so the
 * set-up takes seconds rather than a million API calls.
 */
\set ON_ERROR_STOP 1
\pset pager off
\pset footer off
\if :{?positions}
\else
\set positions 1000000
\endif

SET client_min_messages = warning;
SET search_path = public, xphere;
SET jit = off;
SET max_parallel_workers_per_gather = 0;
CREATE EXTENSION IF NOT EXISTS xphere CASCADE;
SET xphere.clock = '2027-01-01 00:00:00+00';

INSERT INTO xphere.users (id, email, password_hash, name)
SELECT md5('bench user ' || i)::uuid, 'bench' || i || '@example.com', '!', 'Bench ' || i
FROM generate_series(1, 1000) AS i;

/*
 * risk_key = scaled_debt / (collateral x 0.80); HF = 1 / (risk_key x price_xp)
 * at borrow index 1.  Safe loans: risk_key in [0.30, 0.85]; at-risk loans
 * (every 1000th): risk_key in [0.92, 0.95], so HF < 1 once XP costs 1.10
 * (1 / 1.1 = 0.909) while the safe ones stay above 1 / (0.85 x 1.1) = 1.07.
 */
INSERT INTO xphere.borrow_positions (user_id, pool_id, borrowed_amount, scaled_debt,
	collateral_asset, collateral_amount, risk_key, health_factor)
SELECT md5('bench user ' || (i % 1000 + 1))::uuid, 'lp-xp', d, d, 'USDT', c,
	d::numeric::float8 / (c::numeric::float8 * 0.8),
	xphere.health_factor(xphere.wad_mul_floor(c, '0.8'), '1', d)
FROM (
	SELECT i, 1000::xphere.wad AS c,
		(800 * CASE WHEN i % 1000 = 0 THEN 0.92 + (i % 997) * 0.03 / 997
					ELSE 0.30 + (i % 9973) * 0.55 / 9973 END)::numeric(36,18)::xphere.wad AS d
	FROM generate_series(1, :positions) AS i
) s;
UPDATE xphere.lending_pools SET scaled_borrowed = (SELECT sum(scaled_debt) FROM xphere.borrow_positions),
	borrow_rate = '0.05';
VACUUM ANALYZE xphere.borrow_positions;
INSERT INTO xphere.prices (asset, price_usdt, created_at) VALUES ('XP', '1.1', xphere.now());

CREATE FUNCTION pg_temp.best_ms(q text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	best double precision := 'Infinity';
BEGIN
	EXECUTE q;
	FOR i IN 1..3 LOOP
		t0 := clock_timestamp();
		EXECUTE q;
		best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
	END LOOP;
	RETURN best;
END $$;

/* the naive scan: the exact, rounded health factor of every open loan */
CREATE VIEW pg_temp.naive AS
SELECT b.id FROM xphere.borrow_positions b, xphere_internal.pool_now('lp-xp') p
WHERE b.pool_id = 'lp-xp' AND b.status = 'OPEN'
  AND xphere.health_factor(
	xphere.percent_mul_floor(xphere.wad_mul_floor(b.collateral_amount, '1'), 8000), '1',
	xphere.wad_mul_ceil(xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index), '1.1')) < 1;

SELECT CASE WHEN (SELECT array_agg(id ORDER BY id) FROM xphere.liquidatable_positions('lp-xp'))
			   = (SELECT array_agg(id ORDER BY id) FROM pg_temp.naive)
	THEN format('same %s positions found both ways: yes', (SELECT count(*) FROM pg_temp.naive))
	ELSE 'same positions found both ways: NO' END AS "check";

CREATE TEMP TABLE results AS SELECT
	pg_temp.best_ms('SELECT count(*) FROM xphere.liquidatable_positions(''lp-xp'')') AS indexed,
	pg_temp.best_ms('SELECT count(*) FROM pg_temp.naive') AS naive;

\echo
\echo '| positions | at risk | liquidatable_positions() (ms) | full recompute (ms) | speed-up | target |'
\echo '| ---: | ---: | ---: | ---: | ---: | --- |'
SELECT format('| %s | %s | %s | %s | %s | >= 100x and < 50 ms |', :positions, (SELECT count(*) FROM pg_temp.naive),
	round(indexed::numeric, 1), round(naive::numeric, 1), round((naive / indexed)::numeric, 0) || 'x')
FROM results \g (tuples_only=on format=unaligned)

-- test/pgtap/dashboards.sql: the operators' views pools_now and positions_at_risk.
--
-- At T, XP at 1 USDT: carol supplies 5000 XP to lp-xp; bob borrows 600 XP
-- and dave 750 XP, each against 1000 USDT.  By hand:
--   pools_now at T: total_supplied 5000, total_borrowed 600 + 750 = 1350,
--     cash 5000 - 1350 = 3650, utilization 1350 / 5000 = 0.27, deficit 0,
--     treasury 0 (no time has passed), borrow_apy and supply_apy as stored.
--   health factors (threshold 0.8): bob 1000 x 0.8 / 600 = 1.333..., dave
--     800 / 750 = 1.066666666666666666 (floor to 18 decimals): only dave is
--     below 1.1, with debt 750, debt value 750, collateral value 1000 and
--     liquidation price (the USDT price at which HF = 1)
--     750 / 0.8 / 1000 = 0.9375.
--   XP at 1.2: dave 800 / 900 = 0.888888888888888888, liquidation price
--     900 / 0.8 / 1000 = 1.125; bob 800 / 720 = 1.111... (not listed).
--   XP at 1.25: bob 800 / 750 = 1.066666666666666666 is listed too.
-- A day later pools_now projects the interest without writing: its totals
-- equal what the API reports live (debt() of each loan, carol's
-- supplied_balance()), the pool row is unchanged, and the treasury grew.
-- An app or backend role cannot read the views (42501), an admin can.
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

SELECT plan(17);

SELECT xphere.set_price('XP', 1) \g /dev/null
CREATE TEMP TABLE u (name text PRIMARY KEY, id uuid);
INSERT INTO u SELECT n, xphere.register_user(n || '@example.com', n || '-secret-1', initcap(n))
FROM unnest(ARRAY['bob', 'carol', 'dave']) n;
SELECT xphere.deposit((SELECT id FROM u WHERE name = 'carol'), 'XP', 5000, '0x' || repeat('c1', 32)) \g /dev/null
SELECT xphere.deposit((SELECT id FROM u WHERE name = 'bob'), 'USDT', 1000, '0x' || repeat('b1', 32)) \g /dev/null
SELECT xphere.deposit((SELECT id FROM u WHERE name = 'dave'), 'USDT', 1000, '0x' || repeat('d1', 32)) \g /dev/null
SELECT xphere.supply((SELECT id FROM u WHERE name = 'carol'), 'lp-xp', 5000) \g /dev/null
CREATE TEMP TABLE k (name text PRIMARY KEY, id uuid);
INSERT INTO k SELECT 'bob', xphere.borrow((SELECT id FROM u WHERE name = 'bob'), 'lp-xp', 600, 'USDT', 1000);
INSERT INTO k SELECT 'dave', xphere.borrow((SELECT id FROM u WHERE name = 'dave'), 'lp-xp', 750, 'USDT', 1000);

SELECT is((SELECT total_supplied || ' ' || total_borrowed || ' ' || cash || ' ' || deficit || ' ' || treasury
		FROM xphere.pools_now WHERE pool_id = 'lp-xp'), '5000 1350 3650 0 0',
	'pools_now at T: supplied 5000, borrowed 1350, cash 3650, no deficit, no treasury yet');
SELECT is((SELECT utilization::numeric FROM xphere.pools_now WHERE pool_id = 'lp-xp'), 0.27,
	'pools_now at T: utilization 1350 / 5000 = 0.27');
SELECT is((SELECT v.borrow_apy || ' ' || v.supply_apy FROM xphere.pools_now v WHERE pool_id = 'lp-xp'),
	(SELECT l.borrow_apy || ' ' || l.supply_apy FROM xphere.lending_pools l WHERE id = 'lp-xp'),
	'pools_now shows the rates in effect');

SELECT is((SELECT string_agg(u.name || ' ' || r.debt || ' ' || r.debt_value || ' ' || r.collateral_value
		|| ' ' || r.health_factor || ' ' || r.liquidation_price, '; ')
		FROM xphere.positions_at_risk r JOIN u ON u.id = r.user_id),
	'dave 750 750 1000 1.066666666666666666 0.9375',
	'positions_at_risk at XP 1: dave only (HF 800 / 750), liquidation price 0.9375');
SELECT is((SELECT position_id FROM xphere.positions_at_risk), (SELECT id FROM k WHERE name = 'dave'),
	'positions_at_risk names dave''s loan');

SELECT xphere.set_price('XP', '1.2') \g /dev/null
SELECT is((SELECT string_agg(u.name || ' ' || r.debt_value || ' ' || r.health_factor || ' ' || r.liquidation_price, '; ')
		FROM xphere.positions_at_risk r JOIN u ON u.id = r.user_id),
	'dave 900 0.888888888888888888 1.125',
	'XP at 1.2: dave at 800 / 900, liquidation price 1.125; bob (1.11) is not listed');
SELECT xphere.set_price('XP', '1.25') \g /dev/null
SELECT is((SELECT string_agg(u.name || ' ' || r.health_factor, '; ' ORDER BY u.name)
		FROM xphere.positions_at_risk r JOIN u ON u.id = r.user_id),
	'bob 1.066666666666666666; dave 0.853333333333333333',
	'XP at 1.25: bob 800 / 750 is listed too, dave 800 / 937.5');
SELECT is((SELECT string_agg(u.name || ' ' || r.health_factor, '; ' ORDER BY u.name)
		FROM xphere.positions_at_risk r JOIN u ON u.id = r.user_id),
	(SELECT string_agg(u.name || ' ' || xphere.position_health(k.id), '; ' ORDER BY u.name)
		FROM k JOIN u USING (name)),
	'the health factors are position_health()''s');

-- a day later: projected, not written
CREATE TEMP TABLE pool_before AS SELECT * FROM xphere.lending_pools;
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT xphere.set_price('XP', '1.25') \g /dev/null
SELECT is((SELECT total_borrowed FROM xphere.pools_now WHERE pool_id = 'lp-xp'),
	(SELECT xphere.debt(k.id) FROM k WHERE name = 'bob') + (SELECT xphere.debt(k.id) FROM k WHERE name = 'dave'),
	'a day later: total_borrowed is the two loans'' live debt');
SELECT ok((SELECT total_borrowed > '1350' FROM xphere.pools_now WHERE pool_id = 'lp-xp'),
	'a day later: the debt grew');
SELECT is((SELECT total_supplied FROM xphere.pools_now WHERE pool_id = 'lp-xp'),
	xphere.supplied_balance((SELECT id FROM u WHERE name = 'carol'), 'lp-xp'),
	'a day later: total_supplied is carol''s live supplied balance');
SELECT ok((SELECT treasury > '0' FROM xphere.pools_now WHERE pool_id = 'lp-xp'),
	'a day later: the treasury has its share of the interest');
SELECT is_empty($$SELECT * FROM xphere.lending_pools EXCEPT SELECT * FROM pool_before$$,
	'reading pools_now writes nothing');

-- who may read them
SET LOCAL ROLE xphere_app;
SELECT throws_ok($$SELECT * FROM xphere.pools_now$$, '42501', NULL, 'an app role cannot read pools_now');
SELECT throws_ok($$SELECT * FROM xphere.positions_at_risk$$, '42501', NULL,
	'an app role cannot read positions_at_risk');
RESET ROLE;
SET LOCAL ROLE xphere_backend;
SELECT throws_ok($$SELECT * FROM xphere.positions_at_risk$$, '42501', NULL,
	'a backend role cannot read positions_at_risk');
RESET ROLE;
SET LOCAL ROLE xphere_admin;
SELECT is((SELECT count(*) FROM xphere.pools_now) || ' ' || (SELECT count(*) FROM xphere.positions_at_risk),
	'1 2', 'an admin reads both views');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

-- test/pgtap/lending_deficit.sql: pgTAP test of a lending pool's interest after
-- bad debt.
--
-- What this file ensures: once a liquidation writes debt off into the
-- pool's deficit, suppliers are paid interest over everything they are
-- owed, the deficit included (the liquidity rate uses the supply usage
-- ratio debt / (cash + deficit + debt), as Aave's does with unbacked
-- supply in the place of the deficit), so together they never earn more
-- than the borrowers pay: half a year later check_invariants()' rule
-- "cash + debt + deficit >= supplied + treasury" still holds, where
-- interest over the utilization debt / (cash + debt) alone broke it.
--
-- Story (pool lp-xp with the API's default parameters):
--   2030-01-01 00:00:00  XP at 1; lin supplies 1 000 XP; bo1 borrows 700 XP
--                        against 1 000 USDT (D1)
--   2030-01-01 00:00:10  XP at 2: D1's collateral covers only 476.19 XP;
--                        qin liquidates it, the rest goes to the deficit;
--                        bo2 borrows 300 XP against 1 000 USDT (D2)
--   2030-07-01 00:00:00  tick() accrues the pool
--
-- Expected values: python3 test/model/lending_scenario.py --deficit --sql
-- prints the INSERT INTO expected block below verbatim (an exact-integer
-- model written from LENDING.md, not from the extension).
--
-- the clock first, so that the seeded pool's last_update is the start
\set clock '2030-01-01 00:00:00+00'
\ir ../lib/preamble.sql
SET LOCAL TimeZone = 'UTC';
-- the scenario was designed on 0.1.0's default curve (base 0, slope1 0.04,
-- slope2 0.75, optimal 0.8; the model's CURVE_0_1): lp-xp gets it back
UPDATE xphere.lending_pools SET base_rate = '0', slope1 = '0.04', borrow_rate = '0', borrow_apy = 0
WHERE id = 'lp-xp';
SET LOCAL search_path = public, xphere;
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

\ir ../lib/helpers.sql

SELECT plan(62);

INSERT INTO expected (k, v) VALUES
	('d0_li', '1'),
	('d0_bi', '1'),
	('d0_lrate', '0.02205'),
	('d0_brate', '0.035'),
	('d0_supply_apy', '2.205'),
	('d0_borrow_apy', '3.5'),
	('d0_s_supplied', '1000'),
	('d0_s_borrowed', '700'),
	('d0_cash', '300'),
	('d0_treasury', '0'),
	('d0_deficit', '0'),
	('d0_total_supplied', '1000'),
	('d0_total_borrowed', '700'),
	('d1_repaid', '476.190476190476190477'),
	('d1_seized', '1000'),
	('d1_written_off', '223.809531578422888658'),
	('d1_li', '1.000000006992009132420091324'),
	('d1_bi', '1.000000011098427255905148598'),
	('d1_lrate', '0.005217791370506450211847366'),
	('d1_brate', '0.019325153374233128834375193'),
	('d1_supply_apy', '0.5217791370506450211847366'),
	('d1_borrow_apy', '1.9325153374233128834375193'),
	('d1_s_supplied', '1000'),
	('d1_s_borrowed', '299.999996670471860181'),
	('d1_cash', '476.190476190476190477'),
	('d1_treasury', '0.00000077688990248'),
	('d1_deficit', '223.809531578422888658'),
	('d1_total_supplied', '1000.00000699200913242'),
	('d1_total_borrowed', '300.000000000000000001'),
	('d2_li', '1.002587458062568091165573645'),
	('d2_bi', '1.009629228409217745120828591'),
	('d2_lrate', '0.005217791370506450211847366'),
	('d2_brate', '0.019325153374233128834375193'),
	('d2_supply_apy', '0.5217791370506450211847366'),
	('d2_borrow_apy', '1.9325153374233128834375193'),
	('d2_s_supplied', '1000'),
	('d2_s_borrowed', '299.999996670471860181'),
	('d2_cash', '476.190476190476190477'),
	('d2_treasury', '0.288131766156289123'),
	('d2_deficit', '223.809531578422888658'),
	('d2_total_supplied', '1002.587458062568091165'),
	('d2_total_borrowed', '302.888765161176396765'),
	('d2_lin_balance', '1002.587458062568091165'),
	('d2_d2_debt', '302.888765161176396765');

-- lp-xp's state against the model's values of a tag: pg_temp.pool_is()
-- (test/lib/helpers.sql) and the totals shown
CREATE FUNCTION pg_temp.pool_and_totals_is(p_tag text, p_what text) RETURNS SETOF text
	LANGUAGE plpgsql AS $$
DECLARE
	p xphere.lending_pools;
BEGIN
	RETURN QUERY SELECT * FROM pg_temp.pool_is(p_tag, p_what);
	SELECT * INTO p FROM xphere.lending_pools WHERE id = 'lp-xp';
	RETURN NEXT is(p.total_supplied, pg_temp.xw(p_tag || '_total_supplied'), p_what || ': total supplied');
	RETURN NEXT is(p.total_borrowed, pg_temp.xw(p_tag || '_total_borrowed'), p_what || ': total borrowed');
END $$;

SELECT pg_temp.register_users(ARRAY['lin', 'qin', 'bo1', 'bo2'], 'deficit.test');
SELECT lives_ok(format('SELECT xphere.deposit(%L, %L, 1000, %L)', pg_temp.id(u), c, pg_temp.txh('dep-' || u)),
				'user ' || u || ' deposits 1000 ' || c)
FROM (VALUES ('lin', 'XP'), ('qin', 'XP'), ('bo1', 'USDT'), ('bo2', 'USDT')) AS v(u, c);

-- 2030-01-01 00:00:00
SELECT lives_ok($$SELECT xphere.set_price('XP', 1)$$, 'XP at 1 USDT');
SELECT pg_temp.call(NULL, format('SELECT xphere.supply(%L, ''lp-xp'', 1000)', pg_temp.id('lin')),
	'lin supplies 1000 XP');
SELECT pg_temp.run('D1', format('SELECT xphere.borrow(%L, ''lp-xp'', 700, ''USDT'', 1000)', pg_temp.id('bo1')),
	'bo1 borrows 700 XP against 1000 USDT');
SELECT pg_temp.pool_and_totals_is('d0', 'after the first loan');

-- 2030-01-01 00:00:10
SET LOCAL xphere.clock = '2030-01-01 00:00:10+00';
SELECT lives_ok($$SELECT xphere.set_price('XP', 2)$$, 'XP at 2 USDT');
SELECT is((SELECT (l.debt_repaid, l.collateral_seized)::text
		   FROM xphere.liquidate(pg_temp.id('qin'), pg_temp.id('D1')) l),
		  (pg_temp.xw('d1_repaid'), pg_temp.xw('d1_seized'))::text,
		  'qin liquidates D1: repays what 1000 USDT of collateral covers with the bonus, seizes all of it');
SELECT is((SELECT status::text FROM xphere.borrow_positions WHERE id = pg_temp.id('D1')), 'LIQUIDATED',
		  'D1 is closed as LIQUIDATED');
SELECT pg_temp.run('D2', format('SELECT xphere.borrow(%L, ''lp-xp'', 300, ''USDT'', 1000)', pg_temp.id('bo2')),
	'bo2 borrows 300 XP against 1000 USDT');
SELECT pg_temp.pool_and_totals_is('d1', 'after the bad debt and the second loan');
SELECT is(pg_temp.xw('d1_deficit'), pg_temp.xw('d1_written_off'),
		  'the deficit is what D1 still owed (the model''s two figures agree)');
SELECT is_empty($$SELECT * FROM xphere.check_invariants()$$, 'check_invariants() is empty after the write-off');

-- 2030-07-01 00:00:00
SET LOCAL xphere.clock = '2030-07-01 00:00:00+00';
SELECT lives_ok($$SELECT xphere.set_price('XP', 2)$$, 'XP still at 2 USDT');
SELECT lives_ok($$SELECT xphere.tick()$$, 'tick() accrues the pool half a year later');
SELECT pg_temp.pool_and_totals_is('d2', 'half a year later');
SELECT is(xphere.supplied_balance(pg_temp.id('lin'), 'lp-xp'), pg_temp.xw('d2_lin_balance'),
		  'lin''s supplied balance');
SELECT is(xphere.debt(pg_temp.id('D2')), pg_temp.xw('d2_d2_debt'), 'D2''s debt');
SELECT ok((SELECT p.cash + p.total_borrowed + p.deficit
		   >= p.total_supplied + xphere.ray_mul_floor(p.treasury_scaled, p.liquidity_index)
		   FROM xphere.lending_pools p WHERE p.id = 'lp-xp'),
		  'cash + debt + deficit still covers the suppliers and the treasury');
SELECT is_empty($$SELECT * FROM xphere.check_invariants()$$, 'check_invariants() is empty half a year later');

SELECT * FROM finish();
ROLLBACK;

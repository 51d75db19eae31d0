--
-- test/pgtap/lending_erd.sql: pgTAP tests of what 0.2.0 gives applications written
-- against the ERD in lending (doc/lending.md "The ERD's columns").
--
-- What this file ensures:
--   1. the seeded pool lp-xp has the default curve base 0.04, slope1 0.09,
--      slope2 0.75, optimal 0.8, and with no debt shows the base rate
--      (4%) and no supply rate;
--   2. at utilization 34/45 (45 XP supplied, 34 borrowed) the pool shows
--      the ERD's seed pair: supply_apy 8.5000 and borrow_apy 12.5000 to
--      four decimals; exactly, U = rayDiv(34, 45) = 0.755...556, the
--      borrow rate 0.04 + 0.09 x U / 0.8 = 0.125 and the supply rate
--      percentMul(rayMul(0.125, U), 90%) = 0.085000000000000000000000001
--      (worked with fractions; test/model/lending_scenario.py self_check);
--   3. supply_positions: a first supply records its principal and the
--      liquidity index (1); a year later LI = 1 + 0.085000...001 =
--      1.085000000000000000000000001, a top-up of 10.85 XP adds
--      floor(10.85 / LI) = 9.999999999999999999 xpX, the principal is
--      55.85 and the entry index rayDiv(55.85, 54.999999999999999999) =
--      1.015454545454545454563917355; a withdrawal of 20 XP burns
--      ceil(20 / LI) = 18.433179723502304148 xpX, the principal keeps
--      floor(55.85 x 36.566820276497695851 / 54.999999999999999999) =
--      37.131943862589023878 and the entry index stays; xpx_balance is
--      the scaled balance; withdrawing all leaves principal 0 (values
--      worked in Python's integers from the rules of doc/lending.md);
--   4. borrow_positions: entry_index is the borrow index of the borrow (1),
--      borrowed_amount the amount; neither changes when part is repaid;
--   5. the ledger: supply and withdrawal are LENDING_SUPPLY and
--      LENDING_WITHDRAW, collateral locked at the borrow and by
--      add_collateral COLLATERAL_DEPOSIT, collateral released by
--      remove_collateral and by the full repayment COLLATERAL_WITHDRAW;
--   6. the ERD's indexes exist: idx_user_pool, idx_user, idx_health,
--      idx_borrow_health, each saying so in its comment.
--
\set clock '2030-01-01 00:00:00+00'
\ir ../lib/preamble.sql
SET LOCAL TimeZone = 'UTC';
SET LOCAL search_path = public, xphere;
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

SELECT plan(32);

-- 1. the seeded pool ---------------------------------------------------------
SELECT is((SELECT format('%s %s %s %s %s %s %s', base_rate, slope1, slope2, optimal_utilization,
		borrow_rate, trim_scale(borrow_apy), trim_scale(supply_apy)) FROM xphere.lending_pools WHERE id = 'lp-xp'),
	'0.04 0.09 0.75 0.8 0.04 4 0', 'lp-xp: the default curve; without debt 4% for borrowers, 0 for suppliers');
SELECT is((SELECT column_default FROM information_schema.columns
	WHERE table_schema = 'xphere' AND table_name = 'lending_pools' AND column_name = 'slope1'),
	'''0.09''::ray', 'the column default of slope1 is 0.09');

-- 2. the ERD's pair ----------------------------------------------------------
SELECT xphere.set_price('XP', 1) \g /dev/null
SELECT xphere.register_user('ann@example.com', 'ann-secret-1', 'Ann') AS ann \gset
SELECT xphere.register_user('bob@example.com', 'bob-secret-1', 'Bob') AS bob \gset
SELECT xphere.deposit(:'ann', 'XP', 100, '0x' || repeat('a', 64)) \g /dev/null
SELECT xphere.deposit(:'bob', 'USDT', 200, '0x' || repeat('b', 64)) \g /dev/null
SELECT is(xphere.supply(:'ann', 'lp-xp', 45), '45'::wad, 'ann supplies 45 XP');
SELECT xphere.borrow(:'bob', 'lp-xp', 34, 'USDT', 100) AS pos \gset
SELECT is((SELECT format('%s %s', round(supply_apy, 4), round(borrow_apy, 4)) FROM xphere.lending_pools WHERE id = 'lp-xp'),
	'8.5000 12.5000', 'at U = 34/45 the pool shows the ERD''s supply_apy 8.5000 and borrow_apy 12.5000');
SELECT is((SELECT format('%s %s', borrow_rate, liquidity_rate) FROM xphere.lending_pools WHERE id = 'lp-xp'),
	'0.125 0.085000000000000000000000001', 'the exact rates: 0.125 and 0.085 plus one ray unit');

-- 3. supply positions --------------------------------------------------------
SELECT is((SELECT format('%s %s %s %s', supplied_amount, xpx_balance, entry_index, scaled_amount)
	FROM xphere.supply_positions WHERE user_id = :'ann'), '45 45 1 45', 'first supply: principal 45, 45 xpX, entry index 1');
SET LOCAL xphere.clock = '2031-01-01 00:00:00+00';
SELECT is(xphere.supplied_balance(:'ann', 'lp-xp'), '48.825000000000000000'::wad,
	'a year later 45 xpX are worth 45 x 1.085000000000000000000000001 = 48.825 (rounded down)');
SELECT is(xphere.supply(:'ann', 'lp-xp', '10.85'), '59.674999999999999998'::wad,
	'the top-up: 54.999999999999999999 xpX worth 59.674999999999999998');
SELECT is((SELECT format('%s %s %s', supplied_amount, xpx_balance, entry_index)
	FROM xphere.supply_positions WHERE user_id = :'ann'),
	'55.85 54.999999999999999999 1.015454545454545454563917355',
	'after the top-up: principal 55.85, xpX 54.999999999999999999, entry index the average 1.015454545454545454563917355');
SELECT is((SELECT liquidity_index FROM xphere.lending_pools WHERE id = 'lp-xp'), '1.085000000000000000000000001'::ray,
	'the liquidity index after a year');
SELECT is(xphere.withdraw_supply(:'ann', 'lp-xp', 20), '20'::wad, 'ann withdraws 20 XP');
SELECT is((SELECT format('%s %s %s', supplied_amount, xpx_balance, entry_index)
	FROM xphere.supply_positions WHERE user_id = :'ann'),
	'37.131943862589023878 36.566820276497695851 1.015454545454545454563917355',
	'after the withdrawal: the principal keeps the share the xpX keep (rounded down), the entry index stays');
SELECT is((SELECT supplied_amount = xphere.ray_mul_floor(xpx_balance, entry_index)
	FROM xphere.supply_positions WHERE user_id = :'ann'), true,
	'supplied_amount = xpx_balance x entry_index, rounded down');
SELECT is((SELECT count(*) FROM xphere.supply_positions WHERE xpx_balance <> scaled_amount), 0::bigint,
	'xpx_balance is scaled_amount');

-- 4. borrow positions --------------------------------------------------------
SELECT is((SELECT format('%s %s %s', borrowed_amount, entry_index, scaled_debt) FROM xphere.borrow_positions WHERE id = :'pos'),
	'34 1 34', 'the loan: borrowed 34 at borrow index 1');
SELECT is(xphere.repay(:'bob', :'pos', 10), '10'::wad, 'bob repays 10 XP');
SELECT is((SELECT format('%s %s', borrowed_amount, entry_index) FROM xphere.borrow_positions WHERE id = :'pos'),
	'34 1', 'a partial repayment changes neither borrowed_amount nor entry_index');

-- 5. the ledger's labels -----------------------------------------------------
SELECT xphere.set_price('XP', 1) \g /dev/null
SELECT is(xphere.add_collateral(:'bob', :'pos', 20) > 1, true, 'bob adds 20 USDT of collateral');
SELECT is(xphere.remove_collateral(:'bob', :'pos', 5) > 1, true, 'bob removes 5 USDT of collateral');
SELECT xphere.deposit(:'bob', 'XP', 10, '0x' || repeat('c', 64)) \g /dev/null
SELECT is(xphere.repay(:'bob', :'pos') > 0, true, 'bob repays the rest, with the interest');
SELECT is((SELECT string_agg(format('%s %s %s', type, currency, amount), ', ' ORDER BY created_at, type)
	FROM xphere.transactions WHERE user_id = :'bob' AND currency = 'USDT' AND type <> 'DEPOSIT'),
	'COLLATERAL_DEPOSIT USDT 100, COLLATERAL_DEPOSIT USDT 20, COLLATERAL_WITHDRAW USDT 5, COLLATERAL_WITHDRAW USDT 115',
	'collateral: locked at the borrow and added are COLLATERAL_DEPOSIT, removed and released COLLATERAL_WITHDRAW');
SELECT is((SELECT string_agg(DISTINCT type::text, ',') FROM xphere.transactions WHERE user_id = :'bob' AND currency = 'XP' AND type <> 'DEPOSIT'),
	'BORROW,REPAY', 'the loan itself: BORROW and REPAY in XP');
SELECT is((SELECT string_agg(format('%s %s', type, amount), ', ' ORDER BY created_at, amount)
	FROM xphere.transactions WHERE user_id = :'ann' AND type <> 'DEPOSIT'),
	'LENDING_SUPPLY 45, LENDING_SUPPLY 10.85, LENDING_WITHDRAW 20', 'supply and withdrawal: LENDING_SUPPLY, LENDING_WITHDRAW');
SELECT is((SELECT balance FROM xphere.balance(:'bob', 'USDT') balance), '200'::wad, 'bob has all his USDT back');
SELECT is((SELECT locked FROM xphere.accounts WHERE user_id = :'bob' AND currency = 'USDT'), '0'::wad, 'nothing stays locked');

SELECT ok(xphere.withdraw_supply(:'ann', 'lp-xp') > 0, 'ann withdraws everything');
SELECT is((SELECT format('%s %s %s', supplied_amount, xpx_balance, entry_index)
	FROM xphere.supply_positions WHERE user_id = :'ann'), '0 0 1.015454545454545454563917355',
	'all withdrawn: principal 0, no xpX, the entry index stays');
SELECT is(xphere.supply(:'ann', 'lp-xp', 1), '0.999999999999999999'::wad, 'ann supplies again (1 XP shows as 0.999999999999999999: rounded down twice at LI > 1)');
SELECT is((SELECT entry_index FROM xphere.supply_positions WHERE user_id = :'ann'),
	(SELECT liquidity_index FROM xphere.lending_pools WHERE id = 'lp-xp'),
	'a supply after everything was withdrawn starts at the liquidity index of the day');
SELECT is((SELECT count(*) FROM xphere.check_invariants()), 0::bigint, 'check_invariants() is empty');

-- 6. the ERD's indexes -------------------------------------------------------
SELECT is((SELECT string_agg(format('%s: %s', c.relname, obj_description(c.oid, 'pg_class')), E'\n' ORDER BY c.relname)
	FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
	WHERE c.relnamespace = 'xphere'::regnamespace
	  AND i.indrelid IN ('xphere.lending_pools'::regclass, 'xphere.supply_positions'::regclass,
						 'xphere.borrow_positions'::regclass)
	  AND obj_description(c.oid, 'pg_class') LIKE '%the ERD''s idx_%'),
	'borrow_positions_at_risk_idx: the positions last seen liquidatable: the ERD''s idx_borrow_health (health_factor < 1.0)
borrow_positions_health_idx: loans by stored health factor: the ERD''s idx_health
borrow_positions_user_idx: a user''s loans: the ERD''s idx_user
lending_pools_asset_key: one pool per asset: the ERD''s idx_asset (unique)
supply_positions_user_id_pool_id_key: one position per user and pool: the ERD''s idx_user_pool',
	'each ERD index of the lending tables exists and says which it serves');
SELECT is((SELECT pg_get_indexdef('xphere.borrow_positions_health_idx'::regclass)),
	'CREATE INDEX borrow_positions_health_idx ON xphere.borrow_positions USING btree (health_factor)',
	'idx_health is on health_factor');

SELECT * FROM finish();
ROLLBACK;

--
-- test/pgtap/jobs.sql: pgTAP tests of the periodic work (API.md "Jobs and
-- health", "Mining", "Rules"; sql/install/platform/jobs.sql): xphere.tick(), the
-- events outbox, prune_events().
--
-- What this file ensures:
--   * tick() returns a jsonb object with the keys at, pools_accrued,
--     staking_pools, machines_paid (when a distribution ran),
--     positions_refreshed, newly_liquidatable, liquidated,
--     liquidations_failed; records its run in job_state; xphere_app may
--     not run it (42501), xphere_admin may;
--   * mining rewards: tick() distributes only when distribution_interval
--     (default 1 day) has passed since the last distribution: nothing at
--     +12 h, exactly 1.5 XP for a p1 machine (and 4 XP for a p2 bought at
--     +12 h) at +24 h, nothing on a second tick at the same clock, nothing
--     one microsecond before the next day, the next day's amount at +48 h;
--     a shorter interval set with set_setting takes effect; each
--     distribution writes one 'distribution' event with machines and
--     total_xp;
--   * an idle lending pool is accrued by the tick: one borrower at a known
--     rate, a year without any action, then one tick moves the stored
--     indexes, the treasury, the totals and last_update to the exact values
--     of LENDING.md; a second tick at the same clock accrues nothing;
--   * a price move that makes a position liquidatable makes the next tick
--     write one 'liquidatable' event, and the following tick none; with
--     xphere.auto_liquidate on, the tick liquidates it with the house as the
--     liquidator (house XP debited by the debt repaid, house USDT credited
--     the collateral seized, exact amounts, a 'liquidation' event); with a
--     stale price the liquidation fails, is reported as
--     'liquidation_failed' (XP005) and changes nothing;
--   * a ledger entry worth >= large_transaction_usdt (10 000 USDT) writes
--     one 'large_transaction' event, one wei less none (USDT deposits, and
--     XP deposits valued at the latest XP price);
--   * prune_events(older_than) deletes exactly the events older than
--     now - older_than (an event exactly that old stays), 22004 on NULL,
--     22023 on a negative age, admin only; events are not readable by the
--     app role;
--   * check_invariants() is empty after every section.
--
-- The skip path of a concurrent tick ({"skipped": true}) cannot be shown
-- in one session: the lock tick() takes (the job_state row, FOR UPDATE
-- SKIP LOCKED) does not conflict with the transaction holding it, and a
-- second session needs dblink or a script.  This file checks that tick()
-- takes that lock without waiting and returns "skipped" when it fails; the
-- real concurrency is left to the scripts (test/scripts/bad_input.sh holds the row
-- while the worker ticks; test/security/roles.sh shows that a user role
-- can neither take it nor an advisory lock that would stop tick()).
--
-- Expected values were worked out independently of the extension, by hand
-- and with Python's exact integers from the formulas of LENDING.md:
--
--   mining (the test's plans jobs-p1 = 1.5 XP a day, jobs-p2 = 8 XP a day):
--     alice p1 from T0, carol p2 from T0+12h
--     +24h: 1.5 + 8 x 12/24 = 1.5 + 4 = 5.5 (2 machines)
--     +48h: 1.5 + 8 = 9.5;  +54h (interval 6 h): 0.375 + 2 = 2.375
--     T2 = T0 + 396 days: alice earned 594 (paid 3.375 -> 590.625),
--        carol 8 x 395.5 = 3164 (paid 14 -> 3150); total 3740.625
--
--   lending, pool lp-xp with 0.1.0's default curve (base 0, slope1 0.04, optimal 0.8,
--   reserve factor 10%, threshold 80%, bonus 5%), XP = 1 at T1:
--     sam supplies 8000 XP, bob borrows 2000 XP against 4000 USDT
--     U = 2000 / (6000 + 2000) = 0.25
--     borrow rate = 0.04 x 0.25 / 0.8 = 0.0125
--     liquidity rate = 0.0125 x 0.25 x 0.9 = 0.0028125
--   T2 = T1 + 365 days = exactly one year (31 536 000 s), one tick:
--     LI = 1 + 0.0028125 = 1.0028125
--     BI = 1 + x + x^2/2 + x^3/6 with x = 0.0125, rounded as Aave does:
--        x/6 = 0.002083333333333333333333333 (floor),
--        rayMul(x, x/6) = 0.000026041666666666666666667,
--        rayMul(x, x/2 + that) = 0.000078450520833333333333333
--        BI = 1.012578450520833333333333333
--     treasury_scaled = rayDivFloor(percentMul(rayMulFloor(2000, BI - 1),
--        10%), LI) = rayDivFloor(2.515690104166666667, 1.0028125)
--        = 2.508634569440116339
--     debt = rayMulCeil(2000, BI) = 2025.156901041666666667
--     supplied = rayMulFloor(8000, LI) = 8022.5
--   XP = 1.6 at T2:
--     debt value = wadMulCeil(2025.156901041666666667, 1.6)
--                = 3240.251041666666666668 (rounded up)
--     HF = wadDivFloor(4000 x 0.8, 3240.251041666666666668)
--        = 0.987577801488503494  (0.95 < HF < 1, both values >= 2000:
--        the close factor is 50%)
--     debt repaid = percentMulFloor(debt, 50%) = 1012.578450520833333333
--     collateral seized = percentMulFloor(wadDivFloor(wadMulFloor(repaid,
--        1.6), 1), 105%) = 1701.131796874999999998
--     scaled debt left = 2000 - rayDivFloor(repaid, BI)
--        = 1000.000000000000000001
--     debt left = rayMulCeil(that, BI) = 1012.578450520833333335
--     collateral left = 4000 - seized = 2298.868203125000000002
--     HF after = 1.135155602977006989
--   house: XP -(594 + 3164) - 1012.578450520833333333
--             = -4770.578450520833333333;
--          USDT 100 + 500 (machines) + 1701.131796874999999998
--             = 2301.131796874999999998
--   large transactions at XP = 1.6: 6250 XP is worth 10000 USDT,
--     6249.999999999999999999 XP wadMulFloor 1.6 = 9999.999999999999999998
--
-- Time line:
--   T0      2027-01-01 00:00:00  alice buys p1; first tick (as admin)
--   +12h    tick; carol buys p2
--   +24h    tick (pays), tick again (nothing)
--   +47:59:59.999999  tick (nothing);  +48h tick (pays)
--   +54h    distribution_interval 6 hours, tick (pays); back to 1 day
--   T1      2027-02-01 00:00:00  XP = 1; sam supplies, bob borrows
--   T2      2028-02-01 00:00:00  tick (accrual, distribution), tick;
--           XP = 1.6, tick, tick, auto_liquidate on: tick, tick
--   T2+30m  XP = 2;  T2+2h  tick with a stale price (fails), XP = 1.6,
--           large deposits
--   T2+1d   prune_events
--
-- the clock first, so that the seeded pool's last_update is exactly T0
\set clock '2027-01-01 00:00:00+00'
\ir ../lib/preamble.sql
SET LOCAL TimeZone = 'UTC';
-- the scenario was designed on 0.1.0's default curve (base 0, slope1 0.04,
-- slope2 0.75, optimal 0.8; the model's CURVE_0_1): lp-xp gets it back
UPDATE xphere.lending_pools SET base_rate = '0', slope1 = '0.04', borrow_rate = '0', borrow_apy = 0
WHERE id = 'lp-xp';
-- the wad operators live in schema xphere
SET LOCAL search_path = public, xphere;

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

-- the shared helpers (test/lib/helpers.sql): acct()
\ir ../lib/helpers.sql

SELECT plan(111);

-- ===================================================================
-- Helpers
-- ===================================================================

-- machines paid by a tick (0 when no distribution was due)
CREATE FUNCTION pg_temp.paid(r jsonb) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce((r ->> 'machines_paid')::integer, 0)
$$;

-- events of a kind
CREATE FUNCTION pg_temp.events(p_kind text) RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT count(*)::integer FROM xphere.events e WHERE e.kind = p_kind
$$;

-- the payload of the latest event of a kind
CREATE FUNCTION pg_temp.last_event(p_kind text) RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT e.payload FROM xphere.events e WHERE e.kind = p_kind ORDER BY e.id DESC LIMIT 1
$$;

-- roles of this test (gone with the rollback)
CREATE ROLE xp_jobs_app LOGIN;
GRANT xphere_app TO xp_jobs_app;
CREATE ROLE xp_jobs_ops LOGIN;
GRANT xphere_admin TO xp_jobs_ops;

SELECT xphere_internal.house_id() AS house \gset

-- ===================================================================
-- 1. The functions, their privileges, the skip path
-- ===================================================================

SELECT has_function('xphere', 'tick', ARRAY[]::name[], 'xphere.tick() exists');
SELECT function_returns('xphere', 'tick', ARRAY[]::name[], 'jsonb', 'tick() returns jsonb');
SELECT has_function('xphere', 'prune_events', ARRAY['interval'], 'xphere.prune_events(interval) exists');
SELECT has_table('xphere', 'events', 'the outbox xphere.events exists');
SELECT has_view('xphere', 'worker_status', 'the view xphere.worker_status exists');
SELECT ok(NOT has_function_privilege('xphere_app', 'xphere.tick()', 'EXECUTE'),
	'xphere_app has no EXECUTE on tick()');
SELECT ok(has_function_privilege('xphere_admin', 'xphere.tick()', 'EXECUTE'),
	'xphere_admin has EXECUTE on tick()');
SELECT ok(NOT has_function_privilege('xphere_app', 'xphere.prune_events(interval)', 'EXECUTE'),
	'xphere_app has no EXECUTE on prune_events()');
SELECT ok(has_function_privilege('xphere_admin', 'xphere.prune_events(interval)', 'EXECUTE'),
	'xphere_admin has EXECUTE on prune_events()');
SELECT ok((SELECT prosrc FROM pg_proc WHERE oid = 'xphere.tick()'::regprocedure)
		  ~ 'FROM xphere\.job_state FOR UPDATE SKIP LOCKED',
	'tick() locks the job_state row without waiting (FOR UPDATE SKIP LOCKED)');
SELECT ok((SELECT prosrc FROM pg_proc WHERE oid = 'xphere.tick()'::regprocedure)
		  ~ '''skipped'',\s*true',
	'tick() returns {"skipped": true} when another tick holds that lock');

-- ===================================================================
-- 2. The first tick, and who may run it (T0)
-- ===================================================================

-- the test's own plans (p1 = 1.5 XP a day for 100 USDT, p2 = 8 for 500),
-- so that the numbers below do not follow the seeded plans
SELECT xphere.create_plan(id, jsonb_build_object('name', id, 'machine_name', id, 'price_usdt', price,
	'hashrate', 10, 'daily_return_xp', daily))
FROM (VALUES ('jobs-p1', '100', '1.5'), ('jobs-p2', '500', '8')) AS x(id, price, daily) \g /dev/null
SELECT xphere.register_user('alice@example.com', 'password-a', 'Alice') AS alice \gset
SELECT xphere.deposit(:'alice', 'USDT', 1000, pg_temp.txh('jobs-dep-alice')) \gset
SELECT xphere.purchase_machine(:'alice', 'jobs-p1') AS m_alice \gset

SET ROLE xp_jobs_app;
SELECT throws_ok('SELECT xphere.tick()', '42501', NULL, 'xphere_app cannot run tick() (42501)');
RESET ROLE;
SELECT is((SELECT ticks FROM xphere.job_state), 0::bigint, 'the refused tick recorded nothing');

SET ROLE xp_jobs_ops;
SELECT xphere.tick() AS r \gset
RESET ROLE;
SELECT is(ARRAY(SELECT jsonb_object_keys(:'r'::jsonb) ORDER BY 1),
	ARRAY['at', 'liquidated', 'liquidations_failed', 'machines_paid', 'newly_liquidatable',
		  'pools_accrued', 'positions_refreshed', 'staking_pools'],
	'xphere_admin runs tick(); it returns the documented keys (machines_paid: a distribution was due)');
SELECT is((:'r'::jsonb ->> 'at')::timestamptz, '2027-01-01 00:00:00+00'::timestamptz,
	'"at" is xphere.now()');
SELECT is(ARRAY(SELECT jsonb_typeof(:'r'::jsonb -> k) FROM unnest(ARRAY['pools_accrued',
		'staking_pools', 'machines_paid', 'positions_refreshed', 'newly_liquidatable',
		'liquidated', 'liquidations_failed']) k),
	array_fill('number'::text, ARRAY[7]), 'the counters are numbers');
SELECT is(:'r'::jsonb - 'at' - 'staking_pools',
	'{"pools_accrued": 0, "machines_paid": 0, "positions_refreshed": 0, "newly_liquidatable": 0,
	  "liquidated": 0, "liquidations_failed": 0}'::jsonb,
	'first tick at T0: nothing to accrue (the pool was created at T0), nothing earned yet');
SELECT is((SELECT (last_tick_at, last_distribution_at, ticks)::text FROM xphere.job_state),
	('2027-01-01 00:00:00+00'::timestamptz, '2027-01-01 00:00:00+00'::timestamptz, 1::bigint)::text,
	'job_state: last tick and last distribution at T0, 1 tick');
SELECT is(pg_temp.events('distribution'), 0, 'a distribution that paid nothing writes no event');

-- ===================================================================
-- 3. Mining rewards: once per distribution_interval
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-01 12:00:00+00';
SELECT xphere.tick() AS r \gset
SELECT is(pg_temp.paid(:'r'), 0, '+12h: no distribution is due, the tick pays nothing');
SELECT is((:'r'::jsonb ->> 'pools_accrued')::int, 1, '+12h: the idle pool is brought up to date');
SELECT is(pg_temp.acct(:'alice', 'XP'), '0/0', '+12h: alice has no XP yet');
SELECT is(xphere.pending_mining_rewards(:'alice')::text, '0.75', '+12h: alice has 0.75 XP pending');
SELECT is((SELECT (last_tick_at, last_distribution_at, ticks)::text FROM xphere.job_state),
	('2027-01-01 12:00:00+00'::timestamptz, '2027-01-01 00:00:00+00'::timestamptz, 2::bigint)::text,
	'+12h: job_state has the new tick, the last distribution is still T0');

SELECT xphere.register_user('carol@example.com', 'password-c', 'Carol') AS carol \gset
SELECT xphere.deposit(:'carol', 'USDT', 500, pg_temp.txh('jobs-dep-carol')) \gset
SELECT xphere.purchase_machine(:'carol', 'jobs-p2') AS m_carol \gset

SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT xphere.tick() AS r \gset
SELECT is(pg_temp.paid(:'r'), 2, '+24h: the distribution is due and pays 2 machines');
SELECT is(pg_temp.acct(:'alice', 'XP'), '1.5/0', '+24h: alice receives exactly 1.5 XP (p1, 24 hours)');
SELECT is(pg_temp.acct(:'carol', 'XP'), '4/0', '+24h: carol receives 4 XP (p2, 12 hours of 8 a day)');
SELECT is(ARRAY(SELECT r.amount::text FROM xphere.mining_rewards r ORDER BY r.amount),
	ARRAY['1.5', '4'], '+24h: one mining_rewards row per machine');
SELECT is(pg_temp.events('distribution'), 1, '+24h: one distribution event');
SELECT is((SELECT (e.payload ->> 'machines', e.payload ->> 'total_xp', e.created_at)::text
		   FROM xphere.events e WHERE e.kind = 'distribution'),
	('2', '5.5', '2027-01-02 00:00:00+00'::timestamptz)::text,
	'the distribution event carries machines 2 and total_xp 5.5, at the tick''s time');

SELECT xphere.tick() AS r \gset
SELECT is(pg_temp.paid(:'r'), 0, '+24h, again: a second tick at the same clock pays nothing');
SELECT is(pg_temp.acct(:'alice', 'XP') || ' ' || pg_temp.acct(:'carol', 'XP'), '1.5/0 4/0',
	'+24h, again: balances unchanged');
SELECT is((SELECT count(*)::int FROM xphere.mining_rewards), 2, '+24h, again: no new reward rows');
SELECT is(pg_temp.events('distribution'), 1, '+24h, again: no new distribution event');

SET LOCAL xphere.clock = '2027-01-02 23:59:59.999999+00';
SELECT xphere.tick() AS r \gset
SELECT is(pg_temp.paid(:'r'), 0, '+47:59:59.999999: one microsecond short of the interval, nothing is paid');
SELECT is(pg_temp.acct(:'alice', 'XP'), '1.5/0', '+47:59:59.999999: alice still has 1.5 XP');

SET LOCAL xphere.clock = '2027-01-03 00:00:00+00';
SELECT xphere.tick() AS r \gset
SELECT is(pg_temp.paid(:'r'), 2, '+48h: the next distribution pays both machines');
SELECT is(pg_temp.acct(:'alice', 'XP') || ' ' || pg_temp.acct(:'carol', 'XP'), '3/0 12/0',
	'+48h: alice 1.5 + 1.5 = 3 XP, carol 4 + 8 = 12 XP');
SELECT is(pg_temp.last_event('distribution') ->> 'total_xp', '9.5', '+48h: event total_xp 1.5 + 8 = 9.5');

SELECT xphere.set_setting('distribution_interval', '6 hours');
SET LOCAL xphere.clock = '2027-01-03 06:00:00+00';
SELECT xphere.tick() AS r \gset
SELECT is(pg_temp.paid(:'r'), 2, '+54h: with distribution_interval 6 hours, a distribution is due');
SELECT is(pg_temp.acct(:'alice', 'XP') || ' ' || pg_temp.acct(:'carol', 'XP'), '3.375/0 14/0',
	'+54h: alice + 0.375, carol + 2');
SELECT is(pg_temp.last_event('distribution') - 'calculated_at' - 'transaction_id',
	'{"machines": 2, "total_xp": "2.375"}'::jsonb, '+54h: event machines 2, total_xp 2.375');
SELECT xphere.set_setting('distribution_interval', '1 day');

SELECT is(pg_temp.acct(:'house', 'XP'), '-17.375/0', 'the house paid 5.5 + 9.5 + 2.375 = 17.375 XP');
SELECT is(pg_temp.events('distribution'), 3, 'three distributions, three events');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the distributions');

-- ===================================================================
-- 4. An idle pool accrues through the tick
-- ===================================================================

SET LOCAL xphere.clock = '2027-02-01 00:00:00+00';
SELECT xphere.set_price('XP', 1);
SELECT xphere.register_user('sam@example.com', 'password-s', 'Sam') AS sam \gset
SELECT xphere.register_user('bob@example.com', 'password-b', 'Bob') AS bob \gset
SELECT xphere.deposit(:'sam', 'XP', 8000, pg_temp.txh('jobs-dep-sam')) \gset
SELECT xphere.deposit(:'bob', 'USDT', 4000, pg_temp.txh('jobs-dep-bob')) \gset
SELECT xphere.supply(:'sam', 'lp-xp', 8000) \gset
SELECT xphere.borrow(:'bob', 'lp-xp', 2000, 'USDT', 4000) AS pos \gset

SELECT is((SELECT (borrow_rate, liquidity_rate, borrow_index, liquidity_index)::text
		   FROM xphere.lending_pools WHERE id = 'lp-xp'),
	('0.0125', '0.0028125', '1', '1')::text,
	'T1: U = 0.25, borrow rate 0.0125, liquidity rate 0.0028125, indexes 1');

SET LOCAL xphere.clock = '2028-02-01 00:00:00+00';
SELECT is((SELECT (borrow_index, liquidity_index, last_update)::text
		   FROM xphere.lending_pools WHERE id = 'lp-xp'),
	('1', '1', '2027-02-01 00:00:00+00'::timestamptz)::text,
	'T2 = T1 + 1 year, before the tick: nothing has touched the pool');

SELECT xphere.tick() AS r \gset
SELECT is((:'r'::jsonb ->> 'pools_accrued')::int, 1, 'T2: the tick accrues the idle pool');
SELECT is((SELECT liquidity_index::text FROM xphere.lending_pools WHERE id = 'lp-xp'),
	'1.0028125', 'T2: liquidity index 1 + 0.0028125 (linear, one year)');
SELECT is((SELECT borrow_index::text FROM xphere.lending_pools WHERE id = 'lp-xp'),
	'1.012578450520833333333333333', 'T2: borrow index compounded over one year (third-order Taylor)');
SELECT is((SELECT treasury_scaled::text FROM xphere.lending_pools WHERE id = 'lp-xp'),
	'2.508634569440116339', 'T2: the treasury''s scaled share of the interest');
SELECT is((SELECT last_update FROM xphere.lending_pools WHERE id = 'lp-xp'),
	'2028-02-01 00:00:00+00'::timestamptz, 'T2: last_update is the tick''s time');
SELECT is((SELECT (total_borrowed, total_supplied)::text FROM xphere.lending_pools WHERE id = 'lp-xp'),
	('2025.156901041666666667', '8022.5')::text,
	'T2: the stored totals follow the new indexes (debt 2025.156901041666666667, supplied 8022.5)');
SELECT is(xphere.debt(:'pos')::text, '2025.156901041666666667', 'T2: bob''s debt');
SELECT is(xphere.supplied_balance(:'sam', 'lp-xp')::text, '8022.5', 'T2: sam''s supplied balance');

SELECT is(pg_temp.paid(:'r'), 2, 'T2: the tick also ran the due distribution');
SELECT is(pg_temp.last_event('distribution') ->> 'total_xp', '3740.625',
	'T2: alice 594 - 3.375, carol 3164 - 14: 3740.625 XP');
SELECT is(pg_temp.acct(:'alice', 'XP') || ' ' || pg_temp.acct(:'carol', 'XP'), '594/0 3164/0',
	'T2: alice has 396 days of p1, carol 395.5 days of p2');

SELECT xphere.tick() AS r \gset
SELECT is((:'r'::jsonb ->> 'pools_accrued')::int, 0, 'T2, again: nothing to accrue at the same time');
SELECT is((SELECT (borrow_index, liquidity_index, treasury_scaled)::text
		   FROM xphere.lending_pools WHERE id = 'lp-xp'),
	('1.012578450520833333333333333', '1.0028125', '2.508634569440116339')::text,
	'T2, again: indexes and treasury unchanged');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the accrual');

-- ===================================================================
-- 5. Liquidatable positions: one event; auto-liquidation by the house
-- ===================================================================

SELECT is(pg_temp.events('liquidatable'), 0, 'T2: no liquidatable event while XP is 1 (HF 1.58)');
SELECT xphere.set_price('XP', '1.6');
SELECT is(xphere.position_health(:'pos')::text, '0.987577801488503494',
	'XP rallies to 1.6: bob''s health factor 0.987577801488503494');

SELECT xphere.tick() AS r \gset
SELECT is((:'r'::jsonb ->> 'newly_liquidatable')::int, 1,
	'the next tick reports the position as newly liquidatable');
SELECT is(ARRAY(SELECT (e.payload ->> 'position_id') || ' ' || (e.payload ->> 'health_factor')
				FROM xphere.events e WHERE e.kind = 'liquidatable'),
	ARRAY[:'pos' || ' 0.987577801488503494'],
	'one liquidatable event, with the position and its health factor');
SELECT is((:'r'::jsonb ->> 'liquidated')::int, 0, 'auto_liquidate is off: the tick liquidates nothing');
SELECT is((SELECT (status, scaled_debt, collateral_amount)::text FROM xphere.borrow_positions
		   WHERE id = :'pos'),
	('OPEN', '2000', '4000')::text, 'the position is untouched');

SELECT pg_temp.events('liquidatable') AS n_liquidatable \gset
SELECT xphere.tick() AS r \gset
SELECT is((:'r'::jsonb ->> 'newly_liquidatable')::int, 0, 'the following tick reports nothing new');
SELECT is(pg_temp.events('liquidatable'), :n_liquidatable, 'and writes no liquidatable event');

SELECT pg_temp.acct(:'house', 'XP') AS house_xp_before \gset
SET LOCAL xphere.auto_liquidate = on;
SELECT xphere.tick() AS r \gset
SELECT is((:'r'::jsonb ->> 'liquidated')::int, 1, 'auto_liquidate on: the tick liquidates the position');
SELECT is((:'r'::jsonb ->> 'liquidations_failed')::int, 0, 'and nothing failed');
SELECT is(:'house_xp_before'::text, '-3758/0', 'before: the house had paid 594 + 3164 XP of rewards');
SELECT is(pg_temp.acct(:'house', 'XP'), '-4770.578450520833333333/0',
	'the house XP account is debited the debt repaid, 1012.578450520833333333 (close factor 50%)');
SELECT is(pg_temp.acct(:'house', 'USDT'), '2301.131796874999999998/0',
	'the house USDT account is credited the collateral seized, 1701.131796874999999998 (bonus 5%)');
SELECT is(pg_temp.events('liquidation'), 1, 'one liquidation event');
SELECT is(pg_temp.last_event('liquidation') - 'pool_id' - 'collateral_asset',
	jsonb_build_object('position_id', :'pos'::uuid, 'borrower', :'bob'::uuid, 'liquidator', :'house'::uuid,
		'debt_repaid', '1012.578450520833333333', 'collateral_seized', '1701.131796874999999998',
		'bad_debt', '0'),
	'the event: position, borrower, the house as liquidator, exact amounts, no bad debt');
SELECT is((SELECT (status, scaled_debt, collateral_amount)::text FROM xphere.borrow_positions
		   WHERE id = :'pos'),
	('OPEN', '1000.000000000000000001', '2298.868203125000000002')::text,
	'the position keeps half its debt and the rest of its collateral');
SELECT is(xphere.debt(:'pos')::text, '1012.578450520833333335', 'bob''s debt after');
SELECT is(xphere.position_health(:'pos')::text, '1.135155602977006989', 'bob is healthy again: HF 1.135...');
SELECT is(pg_temp.acct(:'bob', 'USDT') || ' ' || pg_temp.acct(:'bob', 'XP'),
	'0/2298.868203125000000002 2000/0', 'bob keeps his 2000 XP, his collateral is 2298.868203125000000002');
SELECT is_empty('SELECT id FROM xphere.liquidatable_positions()', 'nothing is liquidatable any more');

SELECT xphere.tick() AS r \gset
SELECT is((:'r'::jsonb ->> 'liquidated')::int, 0, 'the next tick has nothing to liquidate');
SELECT is(pg_temp.events('liquidation'), 1, 'still one liquidation event');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the auto-liquidation');

-- a stale price: the tick cannot liquidate, says so, changes nothing
SET LOCAL xphere.clock = '2028-02-01 00:30:00+00';
SELECT xphere.set_price('XP', 2);
SET LOCAL xphere.clock = '2028-02-01 02:00:00+00';
SELECT xphere.tick() AS r \gset
SELECT is((:'r'::jsonb ->> 'newly_liquidatable')::int, 1,
	'XP at 2 (HF < 1 again): the tick reports the position as newly liquidatable again');
SELECT is((:'r'::jsonb ->> 'liquidated')::int || ' ' || (:'r'::jsonb ->> 'liquidations_failed')::int,
	'0 1', 'the price is 1.5 hours old: the liquidation fails');
SELECT is(pg_temp.last_event('liquidation_failed') ->> 'sqlstate', 'XP005',
	'a liquidation_failed event with SQLSTATE XP005');
SELECT is((SELECT (status, scaled_debt, collateral_amount)::text FROM xphere.borrow_positions
		   WHERE id = :'pos'),
	('OPEN', '1000.000000000000000001', '2298.868203125000000002')::text,
	'the failed liquidation changed nothing');
SELECT is(pg_temp.acct(:'house', 'USDT'), '2301.131796874999999998/0', 'nor the house');
SET LOCAL xphere.auto_liquidate = off;
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the failed liquidation');

-- ===================================================================
-- 6. Large transactions
-- ===================================================================

SELECT xphere.set_price('XP', '1.6');
SELECT is(pg_temp.events('large_transaction'), 0, 'no ledger entry so far was worth 10000 USDT');
SELECT xphere.register_user('dan@example.com', 'password-d', 'Dan') AS dan \gset
SELECT xphere.deposit(:'dan', 'USDT', 10000, pg_temp.txh('jobs-dep-dan-1')) AS dep_big \gset
SELECT is(pg_temp.events('large_transaction'), 1, 'a deposit of 10000 USDT writes a large_transaction event');
SELECT is(pg_temp.last_event('large_transaction'),
	jsonb_build_object('transaction_id', :'dep_big'::uuid, 'user_id', :'dan'::uuid, 'type', 'DEPOSIT',
		'amount', '10000', 'currency', 'USDT', 'status', 'COMPLETED'),
	'the event names the entry, the user, the type and the amount');
SELECT xphere.deposit(:'dan', 'USDT', '9999.999999999999999999', pg_temp.txh('jobs-dep-dan-2')) \gset
SELECT is(pg_temp.events('large_transaction'), 1, 'one wei less than 10000 USDT writes none');
SELECT xphere.deposit(:'dan', 'XP', 6250, pg_temp.txh('jobs-dep-dan-3')) AS dep_xp \gset
SELECT is(pg_temp.last_event('large_transaction') ->> 'transaction_id', :'dep_xp',
	'6250 XP at 1.6 is worth 10000 USDT: an event');
SELECT xphere.deposit(:'dan', 'XP', '6249.999999999999999999', pg_temp.txh('jobs-dep-dan-4')) \gset
SELECT is(pg_temp.events('large_transaction'), 2, '6249.999999999999999999 XP is worth less: none');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the deposits');

-- ===================================================================
-- 7. prune_events
-- ===================================================================

SELECT throws_ok('SELECT xphere.prune_events(NULL)', '22004', NULL, 'prune_events(NULL) is 22004');
SELECT throws_ok($$SELECT xphere.prune_events('-1 second')$$, '22023', NULL,
	'prune_events of a negative age is 22023');
SET ROLE xp_jobs_app;
SELECT throws_ok($$SELECT xphere.prune_events('1 day')$$, '42501', NULL,
	'xphere_app cannot run prune_events() (42501)');
SELECT throws_ok('SELECT count(*) FROM xphere.events', '42501', NULL,
	'xphere_app cannot read the events (42501)');
RESET ROLE;

SET LOCAL xphere.clock = '2028-02-02 00:00:00+00';
SELECT count(*) AS n_events FROM xphere.events \gset
SELECT is(xphere.prune_events('1 day'), 3,
	'T2 + 1 day: prune_events(1 day) deletes the 3 distribution events of January 2027');
SELECT is((SELECT min(created_at) FROM xphere.events), '2028-02-01 00:00:00+00'::timestamptz,
	'the events of exactly one day ago stay');
SELECT is((SELECT count(*)::int FROM xphere.events), :n_events - 3, 'and every other event stays');
SELECT is(xphere.prune_events('1 day'), 0, 'pruning again deletes nothing');
SELECT is(xphere.prune_events('0'), :n_events - 3, 'prune_events(0) deletes every event older than now');
SELECT is_empty('SELECT * FROM xphere.events', 'the outbox is empty');

SET ROLE xp_jobs_ops;
SELECT lives_ok($$SELECT xphere.prune_events('1 day')$$, 'xphere_admin runs prune_events()');
SELECT lives_ok('SELECT xphere.tick()', 'xphere_admin runs tick() again');
RESET ROLE;
SELECT is((SELECT (last_tick_at, ticks)::text FROM xphere.job_state),
	('2028-02-02 00:00:00+00'::timestamptz, 15::bigint)::text,
	'job_state counts every tick that ran: 15, the last at T2 + 1 day');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold at the end');

SELECT * FROM finish();
ROLLBACK;

--
-- test/pgtap/lending.sql: pgTAP tests of lending (API.md "Lending",
-- "Administration", "Errors", "Rules"; LENDING.md; DESIGN.md "Lending").
--
-- What this file ensures:
--   1. a year-long scenario on the seeded pool lp-xp (XP), under
--      xphere.clock, checked to the last raw unit against the independent
--      model test/model/lending_scenario.py:
--        * a supplier supplies 10 000 XP; a borrower borrows 7 500 XP, the
--          LTV limit of 10 000 USDT at XP = 1 (one wei more is XP003 and
--          changes nothing); rates 3.75% / 2.53125%;
--        * a year later: indexes (linear supply, compounded borrow), the
--          supplied balance, the debt, the health factor, the treasury,
--          cash, rates and APYs; a second supplier (rayDivFloor: 3 000 XP
--          show as 2 999.999999999999999999); a partial repay (rayDivFloor
--          burn) and a partial withdrawal (rayDivCeil burn) 30 days later;
--        * XP at 1.2: liquidatable_positions() lists the position with its
--          live HF; a liquidation under the 50% close factor (both values
--          >= 2 000, 0.95 < HF < 1) with exact amounts and balances;
--        * XP at 1.45 (HF <= 0.95): a cover that would leave 502 XP of debt
--          is XP007 and changes nothing; debt_to_cover above the debt
--          repays all of it, the rest of the collateral returns;
--        * XP at 2: a position whose collateral cannot cover its debt with
--          the bonus loses all of it and the remainder goes to the deficit
--          exactly; the position is LIQUIDATED;
--        * withdraw_supply NULL returns the exact balance; after the bad
--          debt the first supplier's balance exceeds the pool's cash: XP002;
--        * check_invariants() is empty after every step;
--   2. every error with its SQLSTATE, and that it changed nothing: NULLs
--      22004; amounts <= 0, unknown pools, collateral = pool asset 22023;
--      unknown users and positions P0002; another user's position 42501;
--      XP001 (withdrawal beyond the balance, collateral beyond the
--      position's, by one wei), XP002 (one wei beyond the cash), XP003
--      (removing one wei beyond HF = 1, which itself is allowed), XP004
--      (healthy), XP005 (price older than 1 hour, and before XP003/XP004;
--      exactly 1 hour is still fresh); repaying more than the debt repays
--      the debt, returns it and frees the collateral; a clock before the pool's
--      last_update 22023; create_pool / update_pool validation 22023,
--      duplicates 23505, successful changes audited with old/new values;
--   3. liquidatable_positions() (with enable_seqscan off, and on) returns
--      exactly the positions whose position_health() is below 1, with that
--      health factor, among 206 positions of varied health, 50 of them
--      within 1e-11 of the boundary and 6 dust positions, at a price that
--      puts one position exactly at HF >= 1 and at one wei more (with the
--      minimum position size turned off, as the dust positions need);
--   4. the minimum position size: the settings min_borrow_usdt and
--      min_collateral_usdt (10 USDT each by default) are wad settings,
--      changed by set_setting (audited) and refused with 22023 (negative,
--      garbage, empty, out of range; NULL 22004) without changing anything;
--      a 1-wei loan against 10 wei of collateral is 22023 in both pools;
--      borrow refuses a debt worth one wei less than the minimum and
--      accepts exactly it, the same for the collateral; remove_collateral
--      may leave exactly the minimum, not one wei less; a partial repay may
--      leave exactly min_borrow_usdt, not one wei less, and a full repay
--      always works; a loan opened below the minimums (set to 0 then) can
--      take more collateral and be repaid in full, but not in part nor
--      lose collateral; a refresh with nothing moved writes no position
--      (even when it compares every candidate).  Values worked by hand in
--      the section's comment.
--
-- Expected values: every number of sections 1 and 2 comes from the model
-- (python3 test/model/lending_scenario.py --sql prints the INSERT INTO
-- expected block verbatim), never from the extension's output.  Section 3
-- compares two functions of the extension with each other (the scan and
-- the exact health factor) and needs no model.
--
-- Time line (the model's T0..T6):
--   T0  2027-01-01 00:00:00  sam supplies 10 000, bob borrows 7 500 (P1)
--   T1  2028-01-01 00:00:00  (+1 year) sue supplies 3 000
--   T1B 2028-01-31 00:00:00  bob repays 1 000, sam withdraws 1 234.5
--   T2  2028-02-01 00:00:07  XP 1.2, liz liquidates P1 by half
--   T3  2028-02-01 01:00:07  XP 1.45, dust refusal, full liquidation
--   T4  2028-02-01 01:10:07  bea borrows 1 000 against 2 000 USDT (P2)
--   T5  2028-02-08 01:10:07  XP 2, P2 liquidated with bad debt; sue leaves
--   T6  2028-02-09 01:10:07  XP 1, errors section (ann supplies, eve P3)
--   T7  2028-02-10, T8 2028-03-11: section 3
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

-- the shared helpers (test/lib/helpers.sql): expected, x(), snapshot(), results, r(),
-- id(), call(), register_users(), fails(), acct()
\ir ../lib/helpers.sql

SELECT plan(555);

-- ===================================================================
-- Helpers
-- ===================================================================

-- the model's values (test/model/lending_scenario.py --sql)
INSERT INTO expected (k, v) VALUES
	('a_sam_supply', '10000'),
	('a0_li', '1'),
	('a0_bi', '1'),
	('a0_lrate', '0'),
	('a0_brate', '0'),
	('a0_supply_apy', '0'),
	('a0_borrow_apy', '0'),
	('a0_s_supplied', '10000'),
	('a0_s_borrowed', '0'),
	('a0_cash', '10000'),
	('a0_treasury', '0'),
	('a0_deficit', '0'),
	('a1_li', '1'),
	('a1_bi', '1'),
	('a1_lrate', '0.0253125'),
	('a1_brate', '0.0375'),
	('a1_supply_apy', '2.53125'),
	('a1_borrow_apy', '3.75'),
	('a1_s_supplied', '10000'),
	('a1_s_borrowed', '7500'),
	('a1_cash', '2500'),
	('a1_treasury', '0'),
	('a1_deficit', '0'),
	('a1_p1_scaled', '7500'),
	('a1_p1_hf', '1.066666666666666666'),
	('a1_bob_xp', '7500/0'),
	('a1_bob_usdt', '0/10000'),
	('b_sam_balance', '10253.125'),
	('b_p1_debt', '7786.58935546875'),
	('b_p1_hf', '1.027407461057563726'),
	('b_li_projected', '1.0253125'),
	('b_bi_projected', '1.0382119140625'),
	('b_sue_supply', '2999.999999999999999999'),
	('b_sue_scaled', '2925.937214263943919536'),
	('b1_li', '1.0253125'),
	('b1_bi', '1.0382119140625'),
	('b1_lrate', '0.015455392261450256704941137'),
	('b1_brate', '0.029302438523336298440314528'),
	('b1_supply_apy', '1.5455392261450256704941137'),
	('b1_borrow_apy', '2.9302438523336298440314528'),
	('b1_s_supplied', '12925.937214263943919536'),
	('b1_s_borrowed', '7500'),
	('b1_cash', '5500'),
	('b1_treasury', '27.951415345931118561'),
	('b1_deficit', '0'),
	('b1_sam_balance', '10253.125'),
	('c_p1_debt_before', '7805.365331053006377993'),
	('c_repay', '1000'),
	('c_p1_scaled', '6539.122490505106203142'),
	('c_p1_debt', '6805.365331053006377994'),
	('c1_li', '1.026614960839293278054338489'),
	('c1_bi', '1.040715377473734183732350477'),
	('c1_lrate', '0.011772312852397044598976762'),
	('c1_brate', '0.025573763522186653314654018'),
	('c1_supply_apy', '1.1772312852397044598976762'),
	('c1_borrow_apy', '2.5573763522186653314654018'),
	('c1_s_supplied', '12925.937214263943919536'),
	('c1_s_borrowed', '6539.122490505106203142'),
	('c1_cash', '6500'),
	('c1_treasury', '29.780336246217470107'),
	('c1_deficit', '0'),
	('c_sam_withdraw', '1234.5'),
	('c_sam_scaled', '8797.504373995530413657'),
	('c_sam_balance', '9031.649608392932780543'),
	('c2_li', '1.026614960839293278054338489'),
	('c2_bi', '1.040715377473734183732350477'),
	('c2_lrate', '0.01430337723910620732793493'),
	('c2_brate', '0.028189219017901750667876906'),
	('c2_supply_apy', '1.430337723910620732793493'),
	('c2_borrow_apy', '2.8189219017901750667876906'),
	('c2_s_supplied', '11723.441588259474333193'),
	('c2_s_borrowed', '6539.122490505106203142'),
	('c2_cash', '5265.5'),
	('c2_treasury', '29.780336246217470107'),
	('c2_deficit', '0'),
	('c_bob_xp', '6500/0'),
	('c_sam_xp', '1234.5/0'),
	('d_p1_hf', '0.979543558497762288'),
	('d_p1_debt', '6805.89097731471252977'),
	('d_repaid', '3402.945488657356264885'),
	('d_seized', '4287.711315708268893755'),
	('d_p1_scaled', '3269.561245252553101571'),
	('d_p1_collateral', '5712.288684291731106245'),
	('d_p1_debt_after', '3402.945488657356264885'),
	('d_p1_hf_after', '1.119087116995524577'),
	('d_liz_xp', '16597.054511342643735115/0'),
	('d_liz_usdt', '4287.711315708268893755/0'),
	('d_bob_usdt', '0/5712.288684291731106245'),
	('d_pool_xp', '8668.445488657356264885/0'),
	('d1_li', '1.026655194402978395627910016'),
	('d1_bi', '1.040795762305562826981883069'),
	('d1_lrate', '0.00357608526722173500916561'),
	('d1_brate', '0.014095084381958869062077113'),
	('d1_supply_apy', '0.357608526722173500916561'),
	('d1_borrow_apy', '1.4095084381958869062077113'),
	('d1_s_supplied', '11723.441588259474333193'),
	('d1_s_borrowed', '3269.561245252553101571'),
	('d1_cash', '8668.445488657356264885'),
	('d1_treasury', '29.831536129544591063'),
	('d1_deficit', '0'),
	('e_p1_hf', '0.926139572155516351'),
	('e_p1_debt', '3402.950964095986197089'),
	('e_repaid', '3402.950964095986197089'),
	('e_seized', '5180.992842836138985067'),
	('e_liz_xp', '13194.103547246657538026/0'),
	('e_liz_usdt', '9468.704158544407878822/0'),
	('e_bob_usdt', '531.295841455592121178/0'),
	('e1_li', '1.026655613513311183431254818'),
	('e1_bi', '1.04079743697632725527152602'),
	('e1_lrate', '0'),
	('e1_brate', '0'),
	('e1_supply_apy', '0'),
	('e1_borrow_apy', '0'),
	('e1_s_supplied', '11723.441588259474333193'),
	('e1_s_borrowed', '0'),
	('e1_cash', '12071.396452753342461974'),
	('e1_treasury', '29.832069457230902029'),
	('e1_deficit', '0'),
	('f_p2_scaled', '960.801751112252993172'),
	('f1_li', '1.026655613513311183431254818'),
	('f1_bi', '1.04079743697632725527152602'),
	('f1_lrate', '0.00030881435997564685082496'),
	('f1_brate', '0.004142022855077019079652174'),
	('f1_supply_apy', '0.030881435997564685082496'),
	('f1_borrow_apy', '0.4142022855077019079652174'),
	('f1_s_supplied', '11723.441588259474333193'),
	('f1_s_borrowed', '960.801751112252993172'),
	('f1_cash', '11071.396452753342461974'),
	('f1_treasury', '29.832069457230902029'),
	('f1_deficit', '0'),
	('f_p2_hf', '0.799936453680163966'),
	('f_p2_debt', '1000.079439209881840648'),
	('f_repaid', '952.380952380952380953'),
	('f_seized', '2000'),
	('f_written_off', '47.698486828929459695'),
	('f_liz_xp', '12241.722594865705157073/0'),
	('f_liz_usdt', '11468.704158544407878822/0'),
	('f_bea_usdt', '0/0'),
	('f_bea_xp', '1000/0'),
	('f2_li', '1.026661693847484930356545213'),
	('f2_bi', '1.04088011710236769954633033'),
	('f2_lrate', '0'),
	('f2_brate', '0'),
	('f2_supply_apy', '0'),
	('f2_borrow_apy', '0'),
	('f2_s_supplied', '11723.441588259474333193'),
	('f2_s_borrowed', '0'),
	('f2_cash', '12023.777405134294842927'),
	('f2_treasury', '29.839807080087379392'),
	('f2_deficit', '47.698486828929459695'),
	('g_sue_balance', '3003.947656487612109545'),
	('g_sue_withdraw', '3003.947656487612109545'),
	('g_sam_balance', '9032.060742236908810625'),
	('g1_li', '1.026661693847484930356545213'),
	('g1_bi', '1.04088011710236769954633033'),
	('g1_lrate', '0'),
	('g1_brate', '0'),
	('g1_supply_apy', '0'),
	('g1_borrow_apy', '0'),
	('g1_s_supplied', '8797.504373995530413657'),
	('g1_s_borrowed', '0'),
	('g1_cash', '9019.829748646682733382'),
	('g1_treasury', '29.839807080087379392'),
	('g1_deficit', '47.698486828929459695'),
	('g_sam_withdraw_refused', 'XP002'),
	('g_sue_xp', '3003.947656487612109545/0'),
	('g_sam_xp', '1234.5/0'),
	('h_ann_supply', '4999.999999999999999999'),
	('h_cash', '13919.829748646682733382'),
	('h_ann_balance', '4999.999999999999999999'),
	('h_p3_debt', '100.000000000000000001'),
	('h_p3_hf', '7.999999999999999999'),
	('h_p3_max_removable', '874.999999999999999998'),
	('h_p3_hf_after', '1'),
	('h_eve_usdt', '4874.999999999999999998/125.000000000000000002'),
	('h_p3_repaid', '100.000000000000000001'),
	('h_eve_xp_end', '0.999999999999999999/0'),
	('h_eve_usdt_end', '5000/0'),
	('h2_li', '1.026661693847484930356545213'),
	('h2_bi', '1.04088011710236769954633033'),
	('h2_lrate', '0'),
	('h2_brate', '0'),
	('h2_supply_apy', '0'),
	('h2_borrow_apy', '0'),
	('h2_s_supplied', '13667.657833468784895523'),
	('h2_s_borrowed', '0'),
	('h2_cash', '14019.829748646682733383'),
	('h2_treasury', '29.839807080087379392'),
	('h2_deficit', '47.698486828929459695');

-- the same, with the model's 'available/locked' text read as two wads
CREATE FUNCTION pg_temp.acct_is(p_user uuid, p_cur xphere.currency, p_key text, p_what text)
RETURNS text LANGUAGE sql AS $$
	SELECT is(pg_temp.acct(p_user, p_cur),
			  format('%s/%s', split_part(pg_temp.x(p_key), '/', 1)::xphere.wad,
					 split_part(pg_temp.x(p_key), '/', 2)::xphere.wad), p_what)
$$;

CREATE FUNCTION pg_temp.pos(p_name text) RETURNS xphere.borrow_positions LANGUAGE sql STABLE AS $$
	SELECT b FROM xphere.borrow_positions b WHERE b.id = pg_temp.id(p_name)
$$;
CREATE FUNCTION pg_temp.scaled_supply(p_name text) RETURNS xphere.wad LANGUAGE sql STABLE AS $$
	SELECT s.scaled_amount FROM xphere.supply_positions s
	WHERE s.user_id = pg_temp.id(p_name) AND s.pool_id = 'lp-xp'
$$;

CREATE FUNCTION pg_temp.invariants(p_what text) RETURNS text LANGUAGE sql AS $$
	SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'check_invariants() is empty ' || p_what)
$$;

-- ===================================================================
-- 1. The scenario
-- ===================================================================

-- T0 -----------------------------------------------------------------

SELECT pg_temp.register_users(ARRAY['sam', 'sue', 'bob', 'liz', 'bea', 'ann', 'eve', 'mal'], 'lending.test');
SELECT pg_temp.call(NULL, format('SELECT xphere.deposit(%L, %L, %s, %L)',
								 pg_temp.id(u), c, a, pg_temp.txh('tx-' || u || '-' || c)),
					format('%s deposits %s %s', u, a, c))
  FROM (VALUES ('sam', 'XP', 10000), ('sue', 'XP', 3000), ('bob', 'USDT', 10000),
			   ('liz', 'XP', 20000), ('bea', 'USDT', 2000), ('ann', 'XP', 5000),
			   ('eve', 'USDT', 5000), ('eve', 'XP', 1), ('mal', 'USDT', 1000000), ('mal', 'XP', 1000)) d(u, c, a);

-- the seeded pool, untouched: created at T0 with the documented defaults
SELECT is((SELECT format('%s %s %s %s %s %s %s %s %s %s %s %s %s %s', asset, last_update, ltv_ratio,
		liquidation_threshold, liquidation_bonus, reserve_factor, base_rate, slope1, slope2,
		optimal_utilization, close_factor_min_base, min_leftover_base, liquidity_index, borrow_index)
		   FROM xphere.lending_pools WHERE id = 'lp-xp'),
		  'XP 2027-01-01 00:00:00+00 0.7500 0.8000 0.0500 0.1000 0 0.04 0.75 0.8 2000 1000 1 1',
		  'lp-xp starts at T0 with the default parameters and indexes 1');

SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', 1)$$, 'XP price 1 at T0');
SELECT pg_temp.call('a_sam_supply', format($$SELECT xphere.supply(%L, 'lp-xp', 10000)$$, pg_temp.id('sam')),
					'sam supplies 10 000 XP');
SELECT is(pg_temp.r('a_sam_supply')::xphere.wad, pg_temp.x('a_sam_supply')::xphere.wad,
		  'supply returns the new supplied balance');
SELECT pg_temp.pool_is('a0', 'after the supply');
SELECT pg_temp.invariants('after the supply');

-- LTV: 10 000 USDT x 0.75 = 7 500 USDT of debt at XP = 1; one wei more is refused
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', '7500.000000000000000001', 'USDT', 10000)$$,
							pg_temp.id('bob')),
					 'XP003', 'borrowing one wei above the LTV limit');
SELECT pg_temp.call('P1', format($$SELECT xphere.borrow(%L, 'lp-xp', 7500, 'USDT', 10000)$$, pg_temp.id('bob')),
					'bob borrows 7 500 XP against 10 000 USDT: exactly the LTV limit');
SELECT pg_temp.pool_is('a1', 'after the borrow');
SELECT is((pg_temp.pos('P1')).scaled_debt, pg_temp.x('a1_p1_scaled')::xphere.wad, 'P1: scaled debt');
SELECT is(format('%s %s %s', (pg_temp.pos('P1')).collateral_asset, (pg_temp.pos('P1')).collateral_amount,
				 (pg_temp.pos('P1')).status), 'USDT 10000 OPEN', 'P1: 10 000 USDT collateral, OPEN');
SELECT is(xphere.position_health(pg_temp.id('P1')), pg_temp.x('a1_p1_hf')::xphere.health_factor,
		  'P1: health factor 8000 / 7500 rounded down');
SELECT is((pg_temp.pos('P1')).health_factor, pg_temp.x('a1_p1_hf')::xphere.health_factor,
		  'P1: stored health factor');
SELECT pg_temp.acct_is(pg_temp.id('bob'), 'XP', 'a1_bob_xp', 'bob received 7 500 XP');
SELECT pg_temp.acct_is(pg_temp.id('bob'), 'USDT', 'a1_bob_usdt', 'bob''s collateral is locked');
SELECT pg_temp.invariants('after the borrow');

-- T1: a year later ------------------------------------------------------

SET LOCAL xphere.clock = '2028-01-01 00:00:00+00';
SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', 1)$$, 'XP price 1 again at T1');
SELECT is(xphere.supplied_balance(pg_temp.id('sam'), 'lp-xp'), pg_temp.x('b_sam_balance')::xphere.wad,
		  'a year later: sam''s supplied balance (liquidity index projected to now)');
SELECT is(xphere.debt(pg_temp.id('P1')), pg_temp.x('b_p1_debt')::xphere.wad,
		  'a year later: P1''s debt (compounded borrow index projected to now)');
SELECT is(xphere.position_health(pg_temp.id('P1')), pg_temp.x('b_p1_hf')::xphere.health_factor,
		  'a year later: P1''s health factor');
SELECT is((SELECT last_update FROM xphere.lending_pools WHERE id = 'lp-xp'), '2027-01-01 00:00:00+00'::timestamptz,
		  'reading balances writes nothing to the pool');
SELECT pg_temp.call('b_sue_supply', format($$SELECT xphere.supply(%L, 'lp-xp', 3000)$$, pg_temp.id('sue')),
					'sue supplies 3 000 XP');
SELECT is(pg_temp.r('b_sue_supply')::xphere.wad, pg_temp.x('b_sue_supply')::xphere.wad,
		  'sue''s 3 000 XP show as 2 999.999999999999999999 (rayDivFloor, then rayMulFloor)');
SELECT is(pg_temp.scaled_supply('sue'), pg_temp.x('b_sue_scaled')::xphere.wad, 'sue''s scaled supply');
SELECT pg_temp.pool_is('b1', 'a year later, after the accrual');
SELECT is((SELECT last_update FROM xphere.lending_pools WHERE id = 'lp-xp'), '2028-01-01 00:00:00+00'::timestamptz,
		  'the pool was accrued to T1');
SELECT is(xphere.supplied_balance(pg_temp.id('sam'), 'lp-xp'), pg_temp.x('b1_sam_balance')::xphere.wad,
		  'sam''s balance is the same once accrued');
SELECT pg_temp.invariants('a year later');

-- T1B: partial repay, partial withdrawal -------------------------------------

SET LOCAL xphere.clock = '2028-01-31 00:00:00+00';
SELECT is(xphere.debt(pg_temp.id('P1')), pg_temp.x('c_p1_debt_before')::xphere.wad, 'T1B: P1''s debt');
SELECT pg_temp.call('c_repay', format($$SELECT xphere.repay(%L, %L, 1000)$$, pg_temp.id('bob'), pg_temp.id('P1')),
					'bob repays 1 000 XP of P1');
SELECT is(pg_temp.r('c_repay')::xphere.wad, pg_temp.x('c_repay')::xphere.wad, 'repay returns the amount repaid');
SELECT is((pg_temp.pos('P1')).scaled_debt, pg_temp.x('c_p1_scaled')::xphere.wad,
		  'P1: scaled debt less rayDivFloor(1000, BI)');
SELECT is(xphere.debt(pg_temp.id('P1')), pg_temp.x('c_p1_debt')::xphere.wad,
		  'P1: debt after the partial repay (one wei more than before minus 1 000: pool''s favour)');
SELECT pg_temp.pool_is('c1', 'after the partial repay');
SELECT pg_temp.call('c_sam_withdraw', format($$SELECT xphere.withdraw_supply(%L, 'lp-xp', '1234.5')$$,
											 pg_temp.id('sam')), 'sam withdraws 1 234.5 XP');
SELECT is(pg_temp.r('c_sam_withdraw')::xphere.wad, pg_temp.x('c_sam_withdraw')::xphere.wad,
		  'withdraw_supply returns the amount');
SELECT is(pg_temp.scaled_supply('sam'), pg_temp.x('c_sam_scaled')::xphere.wad,
		  'sam''s scaled supply less rayDivCeil(1234.5, LI)');
SELECT is(xphere.supplied_balance(pg_temp.id('sam'), 'lp-xp'), pg_temp.x('c_sam_balance')::xphere.wad,
		  'sam''s balance after the withdrawal');
SELECT pg_temp.pool_is('c2', 'after the partial withdrawal');
SELECT pg_temp.acct_is(pg_temp.id('bob'), 'XP', 'c_bob_xp', 'bob''s XP after the repay');
SELECT pg_temp.acct_is(pg_temp.id('sam'), 'XP', 'c_sam_xp', 'sam''s XP after the withdrawal');
SELECT pg_temp.invariants('after the repay and the withdrawal');

-- T2: XP at 1.2, a liquidation under the 50% close factor ---------------------

SET LOCAL xphere.clock = '2028-02-01 00:00:07+00';
SELECT is_empty('SELECT * FROM xphere.liquidatable_positions()', 'at XP = 1 nothing is liquidatable');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', '1.2')$$, 'XP rises to 1.2');
SELECT is(xphere.position_health(pg_temp.id('P1')), pg_temp.x('d_p1_hf')::xphere.health_factor,
		  'P1''s health factor at 1.2: below 1, above 0.95');
SELECT is(xphere.debt(pg_temp.id('P1')), pg_temp.x('d_p1_debt')::xphere.wad, 'P1''s debt at T2');
SELECT is(ARRAY(SELECT l.id FROM xphere.liquidatable_positions() l), ARRAY[pg_temp.id('P1')],
		  'liquidatable_positions() lists P1, and only P1');
SELECT is((SELECT l.health_factor FROM xphere.liquidatable_positions('lp-xp') l WHERE l.id = pg_temp.id('P1')),
		  pg_temp.x('d_p1_hf')::xphere.health_factor, '... with its live health factor');
SELECT pg_temp.call('d_liq', format($$SELECT debt_repaid || '|' || collateral_seized FROM xphere.liquidate(%L, %L)$$,
									pg_temp.id('liz'), pg_temp.id('P1')),
					'liz liquidates P1 (debt_to_cover NULL: the maximum)');
SELECT is(split_part(pg_temp.r('d_liq'), '|', 1)::xphere.wad, pg_temp.x('d_repaid')::xphere.wad,
		  'debt_repaid: percentMulFloor(debt, 50%)');
SELECT is(split_part(pg_temp.r('d_liq'), '|', 2)::xphere.wad, pg_temp.x('d_seized')::xphere.wad,
		  'collateral_seized: debt_repaid x 1.2 x 1.05, rounded down');
SELECT is((pg_temp.pos('P1')).scaled_debt, pg_temp.x('d_p1_scaled')::xphere.wad, 'P1: scaled debt after');
SELECT is((pg_temp.pos('P1')).collateral_amount, pg_temp.x('d_p1_collateral')::xphere.wad, 'P1: collateral after');
SELECT is((pg_temp.pos('P1')).status::text, 'OPEN', 'P1 stays OPEN');
SELECT is(xphere.debt(pg_temp.id('P1')), pg_temp.x('d_p1_debt_after')::xphere.wad, 'P1: debt after');
SELECT is(xphere.position_health(pg_temp.id('P1')), pg_temp.x('d_p1_hf_after')::xphere.health_factor,
		  'P1: health factor after (healthy again)');
SELECT pg_temp.acct_is(pg_temp.id('liz'), 'XP', 'd_liz_xp', 'liz paid debt_repaid in XP');
SELECT pg_temp.acct_is(pg_temp.id('liz'), 'USDT', 'd_liz_usdt', 'liz received collateral_seized in USDT');
SELECT pg_temp.acct_is(pg_temp.id('bob'), 'USDT', 'd_bob_usdt', 'bob''s locked collateral shrank by collateral_seized');
SELECT pg_temp.acct_is(xphere_internal.pool_account('lp-xp'), 'XP', 'd_pool_xp', 'the pool''s XP account holds its cash');
SELECT pg_temp.pool_is('d1', 'after the partial liquidation');
SELECT is_empty('SELECT * FROM xphere.liquidatable_positions()', 'nothing is liquidatable after it');
SELECT pg_temp.invariants('after the partial liquidation');

-- T3: XP at 1.45 (HF <= 0.95): dust refusal, then full liquidation ------------

SET LOCAL xphere.clock = '2028-02-01 01:00:07+00';
SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', '1.45')$$, 'XP rises to 1.45');
SELECT is(xphere.position_health(pg_temp.id('P1')), pg_temp.x('e_p1_hf')::xphere.health_factor,
		  'P1''s health factor at 1.45: at most 0.95');
SELECT is(xphere.debt(pg_temp.id('P1')), pg_temp.x('e_p1_debt')::xphere.wad, 'P1''s debt at T3');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %L, 2900)$$, pg_temp.id('liz'), pg_temp.id('P1')),
					 'XP007', 'covering 2 900 XP would leave ~503 XP (~729 USDT) of debt');
SELECT pg_temp.call('e_liq', format($$SELECT debt_repaid || '|' || collateral_seized FROM xphere.liquidate(%L, %L, 1000000)$$,
									pg_temp.id('liz'), pg_temp.id('P1')),
					'liz liquidates P1 with debt_to_cover above the debt');
SELECT is(split_part(pg_temp.r('e_liq'), '|', 1)::xphere.wad, pg_temp.x('e_repaid')::xphere.wad,
		  'debt_repaid: all of the debt (close factor 100% at HF <= 0.95)');
SELECT is(split_part(pg_temp.r('e_liq'), '|', 2)::xphere.wad, pg_temp.x('e_seized')::xphere.wad,
		  'collateral_seized: debt x 1.45 x 1.05, rounded down');
SELECT is(format('%s %s %s', (pg_temp.pos('P1')).status, (pg_temp.pos('P1')).scaled_debt,
				 (pg_temp.pos('P1')).collateral_amount), 'LIQUIDATED 0 0', 'P1 is LIQUIDATED, nothing left');
SELECT is(xphere.debt(pg_temp.id('P1')), '0'::xphere.wad, 'P1''s debt is 0');
SELECT pg_temp.acct_is(pg_temp.id('liz'), 'XP', 'e_liz_xp', 'liz paid the whole debt');
SELECT pg_temp.acct_is(pg_temp.id('liz'), 'USDT', 'e_liz_usdt', 'liz received the seized collateral');
SELECT pg_temp.acct_is(pg_temp.id('bob'), 'USDT', 'e_bob_usdt', 'the rest of bob''s collateral is available again');
SELECT pg_temp.pool_is('e1', 'after the full liquidation');
SELECT pg_temp.invariants('after the full liquidation');

-- T4, T5: bad debt -----------------------------------------------------------

SET LOCAL xphere.clock = '2028-02-01 01:10:07+00';
SELECT pg_temp.call('P2', format($$SELECT xphere.borrow(%L, 'lp-xp', 1000, 'USDT', 2000)$$, pg_temp.id('bea')),
					'bea borrows 1 000 XP against 2 000 USDT (XP 1.45, 10 minutes old)');
SELECT is((pg_temp.pos('P2')).scaled_debt, pg_temp.x('f_p2_scaled')::xphere.wad, 'P2: scaled debt rayDivCeil(1000, BI)');
SELECT pg_temp.pool_is('f1', 'after bea''s borrow');
SET LOCAL xphere.clock = '2028-02-08 01:10:07+00';
SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', 2)$$, 'a week later XP is 2');
SELECT is(xphere.position_health(pg_temp.id('P2')), pg_temp.x('f_p2_hf')::xphere.health_factor, 'P2''s health factor');
SELECT is(xphere.debt(pg_temp.id('P2')), pg_temp.x('f_p2_debt')::xphere.wad, 'P2''s debt');
SELECT pg_temp.call('f_liq', format($$SELECT debt_repaid || '|' || collateral_seized FROM xphere.liquidate(%L, %L)$$,
									pg_temp.id('liz'), pg_temp.id('P2')),
					'liz liquidates P2');
SELECT is(split_part(pg_temp.r('f_liq'), '|', 1)::xphere.wad, pg_temp.x('f_repaid')::xphere.wad,
		  'debt_repaid: 2 000 USDT / 2 / 1.05, rounded up');
SELECT is(split_part(pg_temp.r('f_liq'), '|', 2)::xphere.wad, pg_temp.x('f_seized')::xphere.wad,
		  'collateral_seized: all of it');
SELECT is(format('%s %s %s', (pg_temp.pos('P2')).status, (pg_temp.pos('P2')).scaled_debt,
				 (pg_temp.pos('P2')).collateral_amount), 'LIQUIDATED 0 0', 'P2 is LIQUIDATED: the rest of the debt is written off');
SELECT is((SELECT deficit FROM xphere.lending_pools WHERE id = 'lp-xp'),
		  pg_temp.x('e1_deficit')::xphere.wad + pg_temp.x('f_written_off')::xphere.wad,
		  'the deficit grew by exactly the remaining debt (rayMulCeil of the scaled rest)');
SELECT pg_temp.acct_is(pg_temp.id('liz'), 'XP', 'f_liz_xp', 'liz paid debt_repaid');
SELECT pg_temp.acct_is(pg_temp.id('liz'), 'USDT', 'f_liz_usdt', 'liz received all of P2''s collateral');
SELECT pg_temp.acct_is(pg_temp.id('bea'), 'USDT', 'f_bea_usdt', 'bea has no USDT left, nothing locked');
SELECT pg_temp.acct_is(pg_temp.id('bea'), 'XP', 'f_bea_xp', 'bea keeps the 1 000 XP she borrowed');
SELECT pg_temp.pool_is('f2', 'after the bad debt');
SELECT pg_temp.invariants('after the bad debt');

-- T5: the suppliers leave -------------------------------------------------------

SELECT is(xphere.supplied_balance(pg_temp.id('sue'), 'lp-xp'), pg_temp.x('g_sue_balance')::xphere.wad, 'sue''s balance');
SELECT pg_temp.call('g_sue_withdraw', format($$SELECT xphere.withdraw_supply(%L, 'lp-xp')$$, pg_temp.id('sue')),
					'sue withdraws everything (amount NULL)');
SELECT is(pg_temp.r('g_sue_withdraw')::xphere.wad, pg_temp.x('g_sue_withdraw')::xphere.wad,
		  'withdraw_supply(NULL) returns the exact balance');
SELECT is(pg_temp.scaled_supply('sue'), '0'::xphere.wad, 'sue''s scaled supply is 0');
SELECT is(xphere.supplied_balance(pg_temp.id('sue'), 'lp-xp'), '0'::xphere.wad, 'sue''s balance is 0');
SELECT pg_temp.acct_is(pg_temp.id('sue'), 'XP', 'g_sue_xp', 'sue''s XP: her supply with interest');
SELECT pg_temp.pool_is('g1', 'after sue leaves');
SELECT is(xphere.supplied_balance(pg_temp.id('sam'), 'lp-xp'), pg_temp.x('g_sam_balance')::xphere.wad,
		  'sam''s balance, more than the pool''s cash after the bad debt');
SELECT is(pg_temp.x('g_sam_withdraw_refused'), 'XP002', '(the model refuses it too)');
SELECT pg_temp.fails(format($$SELECT xphere.withdraw_supply(%L, 'lp-xp')$$, pg_temp.id('sam')),
					 'XP002', 'sam withdrawing everything, beyond the pool''s cash');
SELECT pg_temp.invariants('after the suppliers leave');

-- ===================================================================
-- 2. Errors: SQLSTATE, and nothing changed
-- ===================================================================

SET LOCAL xphere.clock = '2028-02-09 01:10:07+00';
SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', 1)$$, 'T6: XP is 1');
SELECT pg_temp.call('h_ann_supply', format($$SELECT xphere.supply(%L, 'lp-xp', 5000)$$, pg_temp.id('ann')),
					'ann supplies 5 000 XP');
SELECT is(pg_temp.r('h_ann_supply')::xphere.wad, pg_temp.x('h_ann_supply')::xphere.wad, 'ann''s supplied balance');
SELECT pg_temp.call('P3', format($$SELECT xphere.borrow(%L, 'lp-xp', 100, 'USDT', 1000)$$, pg_temp.id('eve')),
					'eve borrows 100 XP against 1 000 USDT');
SELECT is((SELECT cash FROM xphere.lending_pools WHERE id = 'lp-xp'), pg_temp.x('h_cash')::xphere.wad, 'the pool''s cash');
SELECT is(xphere.debt(pg_temp.id('P3')), pg_temp.x('h_p3_debt')::xphere.wad, 'P3''s debt (one wei above 100: rounding up)');
SELECT is(xphere.position_health(pg_temp.id('P3')), pg_temp.x('h_p3_hf')::xphere.health_factor, 'P3''s health factor');

-- a user and a position id that do not exist
\set nobody '''00000000-0000-4000-8000-00000000dead''::uuid'

-- NULL required arguments: 22004
SELECT pg_temp.fails($$SELECT xphere.supply(NULL, 'lp-xp', 1)$$, '22004', 'supply: user NULL');
SELECT pg_temp.fails(format($$SELECT xphere.supply(%L, NULL, 1)$$, pg_temp.id('ann')), '22004', 'supply: pool NULL');
SELECT pg_temp.fails(format($$SELECT xphere.supply(%L, 'lp-xp', NULL)$$, pg_temp.id('ann')), '22004', 'supply: amount NULL');
SELECT pg_temp.fails($$SELECT xphere.withdraw_supply(NULL, 'lp-xp', 1)$$, '22004', 'withdraw_supply: user NULL');
SELECT pg_temp.fails(format($$SELECT xphere.withdraw_supply(%L, NULL)$$, pg_temp.id('ann')), '22004', 'withdraw_supply: pool NULL');
SELECT pg_temp.fails($$SELECT xphere.supplied_balance(NULL, 'lp-xp')$$, '22004', 'supplied_balance: user NULL');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(NULL, 'lp-xp', 10, 'USDT', 100)$$), '22004', 'borrow: user NULL');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, NULL, 10, 'USDT', 100)$$, pg_temp.id('eve')), '22004', 'borrow: pool NULL');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', NULL, 'USDT', 100)$$, pg_temp.id('eve')), '22004', 'borrow: amount NULL');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 10, NULL, 100)$$, pg_temp.id('eve')), '22004', 'borrow: collateral asset NULL');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 10, 'USDT', NULL)$$, pg_temp.id('eve')), '22004', 'borrow: collateral amount NULL');
SELECT pg_temp.fails(format($$SELECT xphere.repay(NULL, %L, 1)$$, pg_temp.id('P3')), '22004', 'repay: user NULL');
SELECT pg_temp.fails(format($$SELECT xphere.repay(%L, NULL, 1)$$, pg_temp.id('eve')), '22004', 'repay: position NULL');
SELECT pg_temp.fails(format($$SELECT xphere.add_collateral(NULL, %L, 1)$$, pg_temp.id('P3')), '22004', 'add_collateral: user NULL');
SELECT pg_temp.fails(format($$SELECT xphere.add_collateral(%L, NULL, 1)$$, pg_temp.id('eve')), '22004', 'add_collateral: position NULL');
SELECT pg_temp.fails(format($$SELECT xphere.add_collateral(%L, %L, NULL)$$, pg_temp.id('eve'), pg_temp.id('P3')), '22004', 'add_collateral: amount NULL');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, NULL)$$, pg_temp.id('eve'), pg_temp.id('P3')), '22004', 'remove_collateral: amount NULL');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(NULL, %L)$$, pg_temp.id('P3')), '22004', 'liquidate: liquidator NULL');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, NULL)$$, pg_temp.id('liz')), '22004', 'liquidate: position NULL');
SELECT pg_temp.fails($$SELECT xphere.debt(NULL)$$, '22004', 'debt: position NULL');
SELECT pg_temp.fails($$SELECT xphere.position_health(NULL)$$, '22004', 'position_health: position NULL');
SELECT pg_temp.fails($$SELECT xphere.set_price('XP', NULL)$$, '22004', 'set_price: price NULL');

-- amounts <= 0: 22023
SELECT pg_temp.fails(format($$SELECT xphere.supply(%L, 'lp-xp', 0)$$, pg_temp.id('ann')), '22023', 'supply 0');
SELECT pg_temp.fails(format($$SELECT xphere.supply(%L, 'lp-xp', '-0.000000000000000001')$$, pg_temp.id('ann')), '22023', 'supply -1 wei');
SELECT pg_temp.fails(format($$SELECT xphere.withdraw_supply(%L, 'lp-xp', 0)$$, pg_temp.id('ann')), '22023', 'withdraw_supply 0');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 0, 'USDT', 100)$$, pg_temp.id('eve')), '22023', 'borrow 0');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 10, 'USDT', -100)$$, pg_temp.id('eve')), '22023', 'borrow with collateral -100');
SELECT pg_temp.fails(format($$SELECT xphere.repay(%L, %L, 0)$$, pg_temp.id('eve'), pg_temp.id('P3')), '22023', 'repay 0');
SELECT pg_temp.fails(format($$SELECT xphere.add_collateral(%L, %L, 0)$$, pg_temp.id('eve'), pg_temp.id('P3')), '22023', 'add_collateral 0');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, -1)$$, pg_temp.id('eve'), pg_temp.id('P3')), '22023', 'remove_collateral -1');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %L, 0)$$, pg_temp.id('liz'), pg_temp.id('P3')), '22023', 'liquidate with debt_to_cover 0');

-- unknown pool, collateral = pool asset: 22023
SELECT pg_temp.fails(format($$SELECT xphere.supply(%L, 'lp-nope', 1)$$, pg_temp.id('ann')), '22023', 'supply to an unknown pool');
SELECT pg_temp.fails(format($$SELECT xphere.withdraw_supply(%L, 'lp-nope')$$, pg_temp.id('ann')), '22023', 'withdraw from an unknown pool');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-nope', 10, 'USDT', 100)$$, pg_temp.id('eve')), '22023', 'borrow from an unknown pool');
SELECT pg_temp.fails(format($$SELECT xphere.supplied_balance(%L, 'lp-nope')$$, pg_temp.id('ann')), '22023', 'supplied_balance in an unknown pool');
SELECT pg_temp.fails($$SELECT * FROM xphere.liquidatable_positions('lp-nope')$$, '22023', 'liquidatable_positions of an unknown pool');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 10, 'XP', 100)$$, pg_temp.id('eve')), '22023', 'borrow XP against XP');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 10, 'BTC', 100)$$, pg_temp.id('eve')), '22P02', 'borrow against an unknown currency');

-- unknown user or position: P0002
SELECT pg_temp.fails(format($$SELECT xphere.supply(%s, 'lp-xp', 1)$$, :'nobody'), 'P0002', 'supply by an unknown user');
SELECT pg_temp.fails(format($$SELECT xphere.withdraw_supply(%s, 'lp-xp')$$, :'nobody'), 'P0002', 'withdraw_supply by an unknown user');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%s, 'lp-xp', 10, 'USDT', 100)$$, :'nobody'), 'P0002', 'borrow by an unknown user');
SELECT pg_temp.fails(format($$SELECT xphere.repay(%s, %L, 1)$$, :'nobody', pg_temp.id('P3')), 'P0002', 'repay by an unknown user');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%s, %L)$$, :'nobody', pg_temp.id('P3')), 'P0002', 'liquidate by an unknown user');
SELECT pg_temp.fails(format($$SELECT xphere.repay(%L, %s, 1)$$, pg_temp.id('eve'), :'nobody'), 'P0002', 'repay of an unknown position');
SELECT pg_temp.fails(format($$SELECT xphere.add_collateral(%L, %s, 1)$$, pg_temp.id('eve'), :'nobody'), 'P0002', 'add_collateral to an unknown position');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %s, 1)$$, pg_temp.id('eve'), :'nobody'), 'P0002', 'remove_collateral of an unknown position');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %s)$$, pg_temp.id('liz'), :'nobody'), 'P0002', 'liquidate an unknown position');
SELECT pg_temp.fails(format($$SELECT xphere.debt(%s)$$, :'nobody'), 'P0002', 'debt of an unknown position');
SELECT pg_temp.fails(format($$SELECT xphere.position_health(%s)$$, :'nobody'), 'P0002', 'position_health of an unknown position');

-- another user's position: 42501
SELECT pg_temp.fails(format($$SELECT xphere.repay(%L, %L, 1)$$, pg_temp.id('mal'), pg_temp.id('P3')), '42501', 'mal repays eve''s position');
SELECT pg_temp.fails(format($$SELECT xphere.add_collateral(%L, %L, 1)$$, pg_temp.id('mal'), pg_temp.id('P3')), '42501', 'mal adds collateral to eve''s position');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, 1)$$, pg_temp.id('mal'), pg_temp.id('P3')), '42501', 'mal removes collateral from eve''s position');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %L)$$, pg_temp.id('eve'), pg_temp.id('P3')), '42501', 'eve liquidates her own position');

-- balances and liquidity: XP001, XP002
SELECT pg_temp.fails(format($$SELECT xphere.withdraw_supply(%L, 'lp-xp', %L)$$, pg_temp.id('ann'),
							pg_temp.x('h_ann_balance')::xphere.wad + '0.000000000000000001'::xphere.wad),
					 'XP001', 'withdrawing one wei more than the supplied balance');
SELECT pg_temp.fails(format($$SELECT xphere.withdraw_supply(%L, 'lp-xp', 1)$$, pg_temp.id('mal')),
					 'XP001', 'withdrawing without a supply');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, '1000.000000000000000001')$$,
							pg_temp.id('eve'), pg_temp.id('P3')),
					 'XP001', 'removing one wei more collateral than the position holds');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', %L, 'USDT', 100000)$$, pg_temp.id('mal'),
							pg_temp.x('h_cash')::xphere.wad + '0.000000000000000001'::xphere.wad),
					 'XP002', 'borrowing one wei more than the pool''s cash');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 10, 'USDT', 2000000)$$, pg_temp.id('eve')),
					 'XP001', 'borrowing with more collateral than the user has');

-- health: XP003, XP004
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, %L)$$, pg_temp.id('eve'), pg_temp.id('P3'),
							pg_temp.x('h_p3_max_removable')::xphere.wad + '0.000000000000000001'::xphere.wad),
					 'XP003', 'removing one wei more collateral than HF = 1 allows');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 75, 'USDT', '99.999999999999999999')$$, pg_temp.id('mal')),
					 'XP003', 'borrowing 75 XP against one wei less than 100 USDT');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %L)$$, pg_temp.id('liz'), pg_temp.id('P3')),
					 'XP004', 'liquidating a healthy position');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %L)$$, pg_temp.id('liz'), pg_temp.id('P1')),
					 'XP004', 'liquidating a LIQUIDATED position');

-- price freshness: exactly 1 hour old is fresh, one second more is XP005,
-- and XP005 comes before XP003 / XP004
SET LOCAL xphere.clock = '2028-02-09 02:10:07+00';
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %L)$$, pg_temp.id('liz'), pg_temp.id('P3')),
					 'XP004', 'liquidating a healthy position with a price exactly 1 hour old');
SET LOCAL xphere.clock = '2028-02-09 02:10:08+00';
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 10, 'USDT', 100)$$, pg_temp.id('eve')),
					 'XP005', 'borrowing with a price 1 hour and 1 second old');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 75, 'USDT', 10)$$, pg_temp.id('eve')),
					 'XP005', 'borrowing beyond the LTV with a stale price: XP005 first');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, 1)$$, pg_temp.id('eve'), pg_temp.id('P3')),
					 'XP005', 'removing collateral with a stale price');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, 900)$$, pg_temp.id('eve'), pg_temp.id('P3')),
					 'XP005', 'removing collateral below HF 1 with a stale price: XP005 first');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %L)$$, pg_temp.id('liz'), pg_temp.id('P3')),
					 'XP005', 'liquidating a healthy position with a stale price: XP005 first');

-- time never runs backwards: a clock before the pool's last_update (T6)
SET LOCAL xphere.clock = '2028-02-09 01:10:06+00';
SELECT pg_temp.fails(format($$SELECT xphere.supply(%L, 'lp-xp', 1)$$, pg_temp.id('ann')), '22023', 'supply at a clock before the pool''s last update');
SELECT pg_temp.fails(format($$SELECT xphere.withdraw_supply(%L, 'lp-xp', 1)$$, pg_temp.id('ann')), '22023', 'withdraw_supply at a clock before the pool''s last update');
SELECT pg_temp.fails(format($$SELECT xphere.repay(%L, %L, 1)$$, pg_temp.id('eve'), pg_temp.id('P3')), '22023', 'repay at a clock before the pool''s last update');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', 10, 'USDT', 100)$$, pg_temp.id('eve')), '22023', 'borrow at a clock before the pool''s last update');
SET LOCAL xphere.clock = '2028-02-09 01:10:07+00';

-- exactly down to HF = 1 is allowed
SELECT pg_temp.call('h_removed', format($$SELECT xphere.remove_collateral(%L, %L, %L)$$, pg_temp.id('eve'), pg_temp.id('P3'),
										pg_temp.x('h_p3_max_removable')), 'eve removes collateral down to HF = 1');
SELECT is(pg_temp.r('h_removed')::xphere.health_factor, pg_temp.x('h_p3_hf_after')::xphere.health_factor,
		  'remove_collateral returns the new health factor: exactly 1');
SELECT pg_temp.acct_is(pg_temp.id('eve'), 'USDT', 'h_eve_usdt', 'the removed collateral is available to eve');
SELECT pg_temp.fails(format($$SELECT * FROM xphere.liquidate(%L, %L)$$, pg_temp.id('liz'), pg_temp.id('P3')),
					 'XP004', 'a position at HF exactly 1 is not liquidatable');
SELECT pg_temp.call('h_p3_repaid', format($$SELECT xphere.repay(%L, %L, 1000)$$, pg_temp.id('eve'), pg_temp.id('P3')),
					'eve repays 1 000 XP, more than P3''s debt');
SELECT is(pg_temp.r('h_p3_repaid')::xphere.wad, pg_temp.x('h_p3_repaid')::xphere.wad,
		  'repay returns the debt, not the amount offered');
SELECT is(format('%s %s %s', (pg_temp.pos('P3')).status, (pg_temp.pos('P3')).scaled_debt,
				 (pg_temp.pos('P3')).collateral_amount), 'CLOSED 0 0', 'P3 is CLOSED');
SELECT pg_temp.acct_is(pg_temp.id('eve'), 'XP', 'h_eve_xp_end', 'eve paid exactly the debt');
SELECT pg_temp.acct_is(pg_temp.id('eve'), 'USDT', 'h_eve_usdt_end', 'eve''s collateral is all available again');
SELECT pg_temp.pool_is('h2', 'after the full repayment (no debt left)');
SELECT pg_temp.invariants('after the errors');

-- pool administration: validation 22023, duplicates 23505, audited ----------

SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"ltv_ratio": "0.8"}')$$, '22023', 'update_pool: ltv_ratio = liquidation_threshold');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"ltv_ratio": 0.85}')$$, '22023', 'update_pool: ltv_ratio above liquidation_threshold');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"ltv_ratio": "0"}')$$, '22023', 'update_pool: ltv_ratio 0');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"liquidation_threshold": "0.96"}')$$, '22023', 'update_pool: threshold 0.96 x 1.05 > 1');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"liquidation_bonus": "0.2501"}')$$, '22023', 'update_pool: 0.8 x 1.2501 > 1');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"reserve_factor": "1"}')$$, '22023', 'update_pool: reserve_factor 1');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"optimal_utilization": "0"}')$$, '22023', 'update_pool: optimal_utilization 0');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"optimal_utilization": 1}')$$, '22023', 'update_pool: optimal_utilization 1');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"slope1": "0.76"}')$$, '22023', 'update_pool: slope1 above slope2');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"ltv": "0.5"}')$$, '22023', 'update_pool: unknown key');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"ltv_ratio": "0.70001"}')$$, '22023', 'update_pool: five decimals');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', '{"reserve_factor": "abc"}')$$, '22023', 'update_pool: not a number');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-nope', '{}')$$, '22023', 'update_pool: unknown pool');
SELECT pg_temp.fails($$SELECT xphere.update_pool('lp-xp', NULL)$$, '22004', 'update_pool: params NULL');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-usdt', 'USDT', '{"ltv_ratio": "0.8"}')$$, '22023', 'create_pool: ltv_ratio = liquidation_threshold');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-usdt', 'USDT', '{"liquidation_threshold": "0.96"}')$$, '22023', 'create_pool: threshold x (1 + bonus) > 1');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-usdt', 'USDT', '{"reserve_factor": 1}')$$, '22023', 'create_pool: reserve_factor 1');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-usdt', 'USDT', '{"slope1": "1", "slope2": "0.5"}')$$, '22023', 'create_pool: slope1 above slope2');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-usdt', 'USDT', '{"liquidation_bonus": "0.05001"}')$$, '22023', 'create_pool: five decimals');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-usdt', 'USDT', '{"foo": 1}')$$, '22023', 'create_pool: unknown key');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-usdt', 'DOGE')$$, '22023', 'create_pool: unknown asset');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-xp', 'USDT')$$, '23505', 'create_pool: the id exists');
SELECT pg_temp.fails($$SELECT xphere.create_pool('lp-xp2', 'XP')$$, '23505', 'create_pool: a second pool for XP');

SELECT pg_temp.call(NULL, $$SELECT xphere.create_pool('lp-usdt', 'USDT', '{"ltv_ratio": "0.7", "liquidation_bonus": "0.25"}')$$,
					'create_pool lp-usdt (0.8 x 1.25 = 1 exactly is allowed)');
SELECT is((SELECT format('%s %s %s %s %s', asset, ltv_ratio, liquidation_threshold, liquidation_bonus, reserve_factor)
		   FROM xphere.lending_pools WHERE id = 'lp-usdt'),
		  'USDT 0.7000 0.8000 0.2500 0.1000', 'lp-usdt has the given and the default parameters');
SELECT is((SELECT format('%s %s %s %s', a.action, a.old_value IS NULL, trim_scale((a.new_value->>'ltv_ratio')::numeric),
						 trim_scale((a.new_value->>'liquidation_bonus')::numeric))
		   FROM xphere.audit_log a WHERE a.object_id = 'lp-usdt' ORDER BY a.id DESC LIMIT 1),
		  'create_pool t 0.7 0.25', 'create_pool is audited with its new values');
SELECT pg_temp.call(NULL, $$SELECT xphere.update_pool('lp-usdt', '{"reserve_factor": "0.2", "slope1": 0.75}')$$,
					'update_pool lp-usdt (slope1 = slope2 is allowed)');
SELECT is((SELECT format('%s %s %s', reserve_factor, slope1, slope2) FROM xphere.lending_pools WHERE id = 'lp-usdt'),
		  '0.2000 0.75 0.75', 'lp-usdt has the new parameters');
SELECT is((SELECT format('%s %s %s %s %s %s', a.action, trim_scale((a.old_value->>'reserve_factor')::numeric),
						 trim_scale((a.new_value->>'reserve_factor')::numeric), trim_scale((a.old_value->>'slope1')::numeric),
						 trim_scale((a.new_value->>'slope1')::numeric), trim_scale((a.new_value->>'ltv_ratio')::numeric))
		   FROM xphere.audit_log a WHERE a.object_id = 'lp-usdt' ORDER BY a.id DESC LIMIT 1),
		  'update_pool 0.1 0.2 0.09 0.75 0.7', 'update_pool is audited with old and new values');
SELECT pg_temp.invariants('after the pool administration');

-- ===================================================================
-- 3. liquidatable_positions() finds exactly the positions with HF < 1
-- ===================================================================

SET LOCAL xphere.clock = '2028-02-10 00:00:00+00';
SELECT pg_temp.call('whale', $$SELECT xphere.register_user('whale@lending.test', 'password-whale', 'Whale')$$, 'whale registers');
SELECT pg_temp.call('crowd', $$SELECT xphere.register_user('crowd@lending.test', 'password-crowd', 'Crowd')$$, 'crowd registers');
SELECT pg_temp.call(NULL, format($$SELECT xphere.deposit(%L, 'XP', 100000, pg_temp.txh('tx-whale'))$$, pg_temp.id('whale')), 'whale deposits 100 000 XP');
SELECT pg_temp.call(NULL, format($$SELECT xphere.deposit(%L, 'USDT', 1000000, pg_temp.txh('tx-crowd'))$$, pg_temp.id('crowd')), 'crowd deposits 1 000 000 USDT');
SELECT pg_temp.call(NULL, format($$SELECT xphere.supply(%L, 'lp-xp', 100000)$$, pg_temp.id('whale')), 'whale supplies 100 000 XP');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', 1)$$, 'T7: XP is 1');

-- the dust positions below are smaller than the minimum position size:
-- this section is about how the scan treats tiny positions, so it turns
-- the minimums off (section 4 tests them)
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_borrow_usdt', '0')$$, 'no minimum debt for section 3');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_collateral_usdt', '0')$$, 'no minimum collateral for section 3');

-- 150 positions spread from the LTV limit (collateral 1.34 x debt) to
-- 4.3 x; 50 within 1e-11 of 1.875 x debt (HF 1 at XP ~1.5); 6 dust
-- positions (0.0005 XP) between 1.6 and 2.6 x
CREATE TEMP TABLE crowd (n integer PRIMARY KEY, kind text NOT NULL, amount numeric NOT NULL,
						 collateral numeric NOT NULL, id uuid);
INSERT INTO crowd (n, kind, amount, collateral)
SELECT i, 'spread', a, round(a * (1.34 + ((i * 53) % 150) / 50.0), 18)
FROM generate_series(1, 150) i, LATERAL (SELECT 10 + (i * 37) % 90 + 0.123456789 * i AS a) x
UNION ALL
SELECT 150 + j, 'tight', 20 + j, round((20 + j) * 1.875 * (1 + (j - 25) * 1e-13), 18)
FROM generate_series(1, 50) j
UNION ALL
SELECT 200 + k, 'dust', 0.0005, round(0.0005 * (1.4 + k * 0.2), 18)
FROM generate_series(1, 6) k;
UPDATE crowd SET id = xphere.borrow(pg_temp.id('crowd'), 'lp-xp', amount::xphere.wad, 'USDT', collateral::xphere.wad);
SELECT is((SELECT count(*) FROM xphere.borrow_positions WHERE user_id = pg_temp.id('crowd') AND status = 'OPEN'),
		  206::bigint, '206 positions opened');
SELECT is((SELECT count(*) FROM xphere.borrow_positions b JOIN crowd c ON c.id = b.id WHERE c.kind = 'dust' AND b.scaled_debt < '0.001'),
		  6::bigint, '6 of them with a dust-sized debt');

-- a month later, XP at the price that puts the middle "tight" position
-- (n = 175) exactly at the boundary: the largest price (in wei) with
-- ceil(debt x price) <= floor(collateral x 0.8), so HF >= 1 there and
-- HF < 1 one wei higher
SET LOCAL xphere.clock = '2028-03-11 00:00:00+00';
SELECT div(div(b.collateral_amount::numeric * 1e18 * 8000, 10000) * 1e18,
		   xphere.debt(b.id)::numeric * 1e18) * 0.000000000000000001 AS pstar
FROM xphere.borrow_positions b JOIN crowd c ON c.id = b.id WHERE c.n = 175 \gset
SELECT pg_temp.call(NULL, format($$SELECT xphere.set_price('XP', %L)$$, :'pstar'), 'XP at the boundary price of position 175');

CREATE FUNCTION pg_temp.scan_matches(p_what text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	RETURN NEXT set_eq('SELECT id FROM xphere.liquidatable_positions()',
					   'SELECT id FROM xphere.borrow_positions WHERE xphere.position_health(id) < 1',
					   p_what || ': liquidatable_positions() = the positions with position_health() < 1');
	RETURN NEXT is((SELECT count(*) FROM xphere.liquidatable_positions() l
					WHERE l.health_factor IS DISTINCT FROM xphere.position_health(l.id)), 0::bigint,
				   p_what || ': each listed with its live health factor');
	RETURN NEXT set_eq('SELECT id FROM xphere.liquidatable_positions(''lp-xp'')',
					   'SELECT id FROM xphere.liquidatable_positions()',
					   p_what || ': the same for liquidatable_positions(''lp-xp'')');
END $$;

SET LOCAL enable_seqscan = off;
SELECT pg_temp.scan_matches('at the boundary price, enable_seqscan off');
RESET enable_seqscan;
SELECT pg_temp.scan_matches('at the boundary price');
SELECT ok(xphere.position_health(c.id) >= 1 AND c.id NOT IN (SELECT id FROM xphere.liquidatable_positions()),
		  'position 175 is at HF >= 1 and not listed')
FROM crowd c WHERE c.n = 175;
SELECT ok(count(*) FILTER (WHERE xphere.position_health(c.id) < 1) BETWEEN 5 AND 45
		  AND count(*) FILTER (WHERE xphere.position_health(c.id) >= 1) BETWEEN 5 AND 45,
		  'the tight positions fall on both sides of the boundary')
FROM crowd c WHERE c.kind = 'tight';
SELECT ok(count(*) FILTER (WHERE xphere.position_health(c.id) < 1) BETWEEN 20 AND 130,
		  'the spread positions fall on both sides too')
FROM crowd c WHERE c.kind = 'spread';
SELECT ok(count(*) FILTER (WHERE xphere.position_health(c.id) < 1) BETWEEN 1 AND 5,
		  'the dust positions fall on both sides too')
FROM crowd c WHERE c.kind = 'dust';

SELECT pg_temp.call(NULL, format($$SELECT xphere.set_price('XP', %L::xphere.wad + '0.000000000000000001'::xphere.wad)$$, :'pstar'),
					'XP one wei higher');
SET LOCAL enable_seqscan = off;
SELECT pg_temp.scan_matches('one wei higher, enable_seqscan off');
RESET enable_seqscan;
SELECT ok(xphere.position_health(c.id) < 1 AND c.id IN (SELECT id FROM xphere.liquidatable_positions()),
		  'position 175 is now below 1 and listed')
FROM crowd c WHERE c.n = 175;
SELECT pg_temp.invariants('with 206 more positions');

-- ===================================================================
-- 4. Minimum position size (min_borrow_usdt, min_collateral_usdt)
-- ===================================================================
--
-- On lp-usdt (asset USDT, price 1; collateral XP at 0.3; LTV 0.7,
-- threshold 0.8), which has never had debt, so its borrow index is exactly
-- 1 and a debt equals the amount borrowed.  Values (LENDING.md): debt value
-- = wadMulCeil(debt, 1) = debt; collateral value = wadMulFloor(xp, 0.3).
-- Worked by hand:
--   100 XP            -> 30 USDT;  LTV needs >= percentDivCeil(10, 7000)
--                        = 14.285714285714285715 for a debt of 10
--   83.333333333333333334 XP -> floor(25.0000000000000000002) = 25
--   83.333333333333333333 XP -> floor(24.9999999999999999999)
--                             = 24.999999999999999999
--   100 - 16.666666666666666666 = 83.333333333333333334 (value 25)
--   HF(25 USDT of collateral, debt 10) = floor(25 x 0.8 / 10) = 2
--   HF(30, 10) = 24 / 10 = 2.4
--   dust loan: 0.000001 USDT against 0.01 XP (0.003 USDT); with 1 XP more,
--   1.01 XP -> 0.303 USDT, x 0.8 = 0.2424, / 0.000001 = 242 400

SET LOCAL xphere.clock = '2028-03-12 00:00:00+00';
SELECT pg_temp.register_users(ARRAY['dan', 'sol'], 'lending.test');
SELECT pg_temp.call(NULL, format($$SELECT xphere.deposit(%L, 'USDT', 10000, pg_temp.txh('tx-sol'))$$, pg_temp.id('sol')), 'sol deposits 10 000 USDT');
SELECT pg_temp.call(NULL, format($$SELECT xphere.supply(%L, 'lp-usdt', 10000)$$, pg_temp.id('sol')), 'sol supplies 10 000 USDT to lp-usdt');
SELECT pg_temp.call(NULL, format($$SELECT xphere.deposit(%L, 'XP', 10000, pg_temp.txh('tx-dan-xp'))$$, pg_temp.id('dan')), 'dan deposits 10 000 XP');
SELECT pg_temp.call(NULL, format($$SELECT xphere.deposit(%L, 'USDT', 1000, pg_temp.txh('tx-dan-usdt'))$$, pg_temp.id('dan')), 'dan deposits 1 000 USDT');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', '0.3')$$, 'XP is 0.3');

-- section 3 turned the minimums off; the defaults are 10 USDT each
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_borrow_usdt', '10')$$, 'min_borrow_usdt back to its default');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_collateral_usdt', '10')$$, 'min_collateral_usdt back to its default');
SELECT is((SELECT string_agg(format('%s=%s %s', key, value, kind), ', ' ORDER BY key) FROM xphere.settings
		   WHERE key IN ('min_borrow_usdt', 'min_collateral_usdt')),
		  'min_borrow_usdt=10 wad, min_collateral_usdt=10 wad', 'the minimums are wad settings of 10 USDT');
SELECT is((SELECT a.old_value->>'value' FROM xphere.audit_log a
		   WHERE a.action = 'set_setting' AND a.object_id = k ORDER BY a.id LIMIT 1), '10',
		  k || ' was 10 when section 3 first changed it: the default of a fresh install')
FROM (VALUES ('min_borrow_usdt'), ('min_collateral_usdt')) v(k);

-- settings validation: 22023 and nothing changed
SELECT pg_temp.fails($$SELECT xphere.set_setting('min_borrow_usdt', '-1')$$, '22023', 'min_borrow_usdt -1');
SELECT pg_temp.fails($$SELECT xphere.set_setting('min_borrow_usdt', 'ten')$$, '22023', 'min_borrow_usdt not a number');
SELECT pg_temp.fails($$SELECT xphere.set_setting('min_borrow_usdt', '')$$, '22023', 'min_borrow_usdt empty');
SELECT pg_temp.fails($$SELECT xphere.set_setting('min_collateral_usdt', '-0.000000000000000001')$$, '22023', 'min_collateral_usdt one wei below 0');
SELECT pg_temp.fails($$SELECT xphere.set_setting('min_collateral_usdt', '1e40')$$, '22023', 'min_collateral_usdt beyond the range of wad');
SELECT pg_temp.fails($$SELECT xphere.set_setting('min_collateral_usdt', NULL)$$, '22004', 'min_collateral_usdt NULL');

-- the defect: a 1-wei loan against 10 wei of collateral, in both pools
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-usdt', '0.000000000000000001', 'XP', '0.00000000000000001')$$,
							pg_temp.id('dan')), '22023', 'a 1-wei USDT loan against 10 wei of XP');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-xp', '0.000000000000000001', 'USDT', '0.00000000000000001')$$,
							pg_temp.id('dan')), '22023', 'a 1-wei XP loan against 10 wei of USDT');

-- borrow: the debt is worth at least min_borrow_usdt (10)
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-usdt', '9.999999999999999999', 'XP', 100)$$, pg_temp.id('dan')),
					 '22023', 'borrowing one wei less than 10 USDT');
SELECT pg_temp.call('D1', format($$SELECT xphere.borrow(%L, 'lp-usdt', 10, 'XP', 100)$$, pg_temp.id('dan')),
					'borrowing exactly 10 USDT against 100 XP');
SELECT is(xphere.debt(pg_temp.id('D1')), '10'::xphere.wad, 'D1''s debt is 10 (borrow index 1)');
SELECT is(xphere.position_health(pg_temp.id('D1')), '2.4'::xphere.health_factor, 'D1''s health factor is 2.4');

-- borrow: the collateral is worth at least min_collateral_usdt (25 now)
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_collateral_usdt', '25')$$, 'min_collateral_usdt set to 25');
SELECT is((SELECT format('%s %s', a.old_value->>'value', a.new_value->>'value') FROM xphere.audit_log a
		   WHERE a.action = 'set_setting' AND a.object_id = 'min_collateral_usdt' ORDER BY a.id DESC LIMIT 1),
		  '10 25', 'the change is audited with the old and the new value');
SELECT pg_temp.fails(format($$SELECT xphere.borrow(%L, 'lp-usdt', 10, 'XP', '83.333333333333333333')$$, pg_temp.id('dan')),
					 '22023', 'borrowing against collateral worth one wei less than 25 USDT');
SELECT pg_temp.call('D2', format($$SELECT xphere.borrow(%L, 'lp-usdt', 10, 'XP', '83.333333333333333334')$$, pg_temp.id('dan')),
					'borrowing against collateral worth exactly 25 USDT');
SELECT is(xphere.position_health(pg_temp.id('D2')), '2'::xphere.health_factor, 'D2''s health factor is 2');

-- remove_collateral: what is left is worth at least min_collateral_usdt
-- (the health factor would stay above 1 either way)
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, '0.000000000000000001')$$, pg_temp.id('dan'), pg_temp.id('D2')),
					 '22023', 'removing one wei of collateral from a position at the minimum');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, '16.666666666666666667')$$, pg_temp.id('dan'), pg_temp.id('D1')),
					 '22023', 'removing collateral down to one wei less than 25 USDT');
SELECT pg_temp.call('d1_removed', format($$SELECT xphere.remove_collateral(%L, %L, '16.666666666666666666')$$, pg_temp.id('dan'), pg_temp.id('D1')),
					'removing collateral down to exactly 25 USDT');
SELECT is(pg_temp.r('d1_removed')::xphere.health_factor, '2'::xphere.health_factor, 'remove_collateral returns HF 2');
SELECT is((pg_temp.pos('D1')).collateral_amount, '83.333333333333333334'::xphere.wad, 'D1 keeps 83.333333333333333334 XP');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_collateral_usdt', '10')$$, 'min_collateral_usdt back to 10');

-- repay: a partial repayment leaves at least min_borrow_usdt of debt
SELECT pg_temp.fails(format($$SELECT xphere.repay(%L, %L, '0.000000000000000001')$$, pg_temp.id('dan'), pg_temp.id('D1')),
					 '22023', 'repaying one wei of a debt at the minimum');
SELECT pg_temp.call('D3', format($$SELECT xphere.borrow(%L, 'lp-usdt', 25, 'XP', 200)$$, pg_temp.id('dan')),
					'borrowing 25 USDT against 200 XP');
SELECT pg_temp.fails(format($$SELECT xphere.repay(%L, %L, '15.000000000000000001')$$, pg_temp.id('dan'), pg_temp.id('D3')),
					 '22023', 'a partial repayment leaving one wei less than 10 USDT');
SELECT pg_temp.call('d3_repaid', format($$SELECT xphere.repay(%L, %L, 15)$$, pg_temp.id('dan'), pg_temp.id('D3')),
					'a partial repayment leaving exactly 10 USDT');
SELECT is(format('%s %s', pg_temp.r('d3_repaid'), xphere.debt(pg_temp.id('D3'))), '15 10', 'repaid 15, 10 left');
SELECT pg_temp.call('d3_closed', format($$SELECT xphere.repay(%L, %L)$$, pg_temp.id('dan'), pg_temp.id('D3')),
					'repaying the rest in full');
SELECT is(format('%s %s', pg_temp.r('d3_closed'), (pg_temp.pos('D3')).status), '10 CLOSED', 'repaid 10, D3 is CLOSED');

-- a loan opened below the minimums (then 0) stays valid: it can be made
-- safer and repaid in full, not repaid in part or stripped of collateral
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_borrow_usdt', '0')$$, 'min_borrow_usdt 0');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_collateral_usdt', '0')$$, 'min_collateral_usdt 0');
SELECT pg_temp.call('D4', format($$SELECT xphere.borrow(%L, 'lp-usdt', '0.000001', 'XP', '0.01')$$, pg_temp.id('dan')),
					'with no minimum, 0.000001 USDT against 0.01 XP is accepted');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_borrow_usdt', '10')$$, 'min_borrow_usdt 10 again');
SELECT pg_temp.call(NULL, $$SELECT xphere.set_setting('min_collateral_usdt', '10')$$, 'min_collateral_usdt 10 again');
SELECT pg_temp.fails(format($$SELECT xphere.repay(%L, %L, '0.0000005')$$, pg_temp.id('dan'), pg_temp.id('D4')),
					 '22023', 'a partial repayment of a loan below the minimum');
SELECT pg_temp.fails(format($$SELECT xphere.remove_collateral(%L, %L, '0.000000000000000001')$$, pg_temp.id('dan'), pg_temp.id('D4')),
					 '22023', 'removing collateral from a loan below the minimum');
SELECT pg_temp.call('d4_added', format($$SELECT xphere.add_collateral(%L, %L, 1)$$, pg_temp.id('dan'), pg_temp.id('D4')),
					'adding 1 XP of collateral to it');
SELECT is(pg_temp.r('d4_added')::xphere.health_factor, '242400'::xphere.health_factor, 'add_collateral returns HF 242 400');
SELECT pg_temp.call('d4_closed', format($$SELECT xphere.repay(%L, %L)$$, pg_temp.id('dan'), pg_temp.id('D4')),
					'repaying it in full');
SELECT is(format('%s %s', pg_temp.r('d4_closed'), (pg_temp.pos('D4')).status), '0.000001 CLOSED',
		  'repaid 0.000001, D4 is CLOSED');
-- 10 000 XP deposited; D1 (83.333333333333333334) and D2 (83.333333333333333334) still locked
SELECT is(pg_temp.acct(pg_temp.id('dan'), 'XP'), '9833.333333333333333332/166.666666666666666668',
		  'dan''s XP: the collateral of D1 and D2 locked, the rest available');

-- stored values are written only when they change: with nothing moved
-- since set_price(), a refresh writes no row, even without its marks
SELECT pg_temp.call(NULL, $$SELECT xphere.set_price('XP', '0.3')$$, 'XP is posted again at 0.3');
SELECT pg_stat_get_xact_tuples_updated('xphere.borrow_positions'::regclass) AS upd0 \gset
SELECT is(xphere.refresh_positions_at_risk(), 0, 'a refresh with nothing moved writes no position');
DELETE FROM xphere.risk_refresh_marks;
SELECT is(xphere.refresh_positions_at_risk(), 0, 'the same without the marks: each candidate is compared, none written');
SELECT is(pg_stat_get_xact_tuples_updated('xphere.borrow_positions'::regclass) - :upd0, 0::bigint,
		  'no row of borrow_positions was updated');
SELECT ok((SELECT count(*) FROM xphere.borrow_positions WHERE status = 'OPEN' AND (dust OR health_factor < '1.1')) > 0,
		  'there were candidates to compare');
SELECT pg_temp.invariants('after the minimum-size checks');

SELECT * FROM finish();
ROLLBACK;

-- test/upgrade/check_lending.sql: what the update 0.1.0 -> 0.2.0 put into
-- the lending columns it adds, run in the updated database at the
-- update's clock (test/scripts/upgrade.sh).  The data: carol supplied 5000 XP at
-- T0 (index 1) and withdrew 100 at T1; bob borrowed 600 at T0 (borrow
-- index 1) and repaid 100 at T1; dave borrowed 750 at T0 and was
-- liquidated at T1.
\set QUIET on
\pset format unaligned
\pset tuples_only on

-- a supply position of 0.1.0 starts over at the update: its principal is
-- its balance then, its entry index the liquidity index then
SELECT CASE WHEN count(*) > 0 AND bool_and(s.supplied_amount = xphere.supplied_balance(s.user_id, s.pool_id)
		AND s.entry_index = (xphere_internal.pool_now(s.pool_id)).liquidity_index)
	THEN 'ok - ' ELSE 'not ok - ' END
	|| 'supply positions of 0.1.0: supplied_amount is the balance at the update, entry_index the liquidity index then'
FROM xphere.supply_positions s;
SELECT CASE WHEN bool_and(s.xpx_balance = s.scaled_amount) THEN 'ok - ' ELSE 'not ok - ' END
	|| 'xpx_balance is the scaled balance'
FROM xphere.supply_positions s;
-- carol's 4900-odd XP: more than the 4900 of principal the ledger shows (interest)
SELECT CASE WHEN s.supplied_amount > 4900 AND s.supplied_amount < 4901 AND s.entry_index > '1'
	THEN 'ok - ' ELSE 'not ok - ' END || 'carol''s position: principal between 4900 and 4901, entry index above 1'
FROM xphere.supply_positions s JOIN xphere.users u ON u.id = s.user_id
WHERE u.email = 'carol@example.com';

-- bob opened at borrow index 1: 600 borrowed, 600 scaled at opening (the
-- 100 repaid burned what its metadata records), so exactly 1
SELECT CASE WHEN b.entry_index = '1' AND b.borrowed_amount = 600 THEN 'ok - ' ELSE 'not ok - ' END
	|| 'bob''s loan (partly repaid): entry_index 1, the borrow index at its opening'
FROM xphere.borrow_positions b JOIN xphere.users u ON u.id = b.user_id
WHERE u.email = 'bob@example.com';
SELECT CASE WHEN b.entry_index IS NULL AND b.status = 'LIQUIDATED' THEN 'ok - ' ELSE 'not ok - ' END
	|| 'dave''s liquidated loan: entry_index NULL (0.1.0 did not record what the liquidation burned)'
FROM xphere.borrow_positions b JOIN xphere.users u ON u.id = b.user_id
WHERE u.email = 'dave@example.com';

-- lp-xp: the new curve, accrued first (nothing moved: its last update was at the update's clock)
SELECT CASE WHEN p.base_rate = '0.04' AND p.slope1 = '0.09' AND p.slope2 = '0.75'
		AND p.optimal_utilization = '0.8' AND p.last_update = xphere.now()
	THEN 'ok - ' ELSE 'not ok - ' END || 'lp-xp has the curve 0.04 / 0.09 / 0.75 / 0.8, accrued to the update''s clock'
FROM xphere.lending_pools p WHERE p.id = 'lp-xp';
-- the labels are in the order of a fresh install
SELECT CASE WHEN array_to_string(enum_range(NULL::xphere.transaction_type), ',') =
	'DEPOSIT,WITHDRAWAL,PURCHASE,MINING_REWARD,STAKE,UNSTAKE,LENDING_SUPPLY,LENDING_WITHDRAW,BORROW,REPAY,SWAP,'
	|| 'TRANSFER,LIQUIDATION,STAKING_REWARD,FEE,COLLATERAL_DEPOSIT,COLLATERAL_WITHDRAW'
	THEN 'ok - ' ELSE 'not ok - ' END || 'transaction_type has the ERD''s labels, the collateral ones last'
;
-- 0.1.0's collateral entries keep their type and are told apart by metadata
SELECT CASE WHEN count(*) = 3 AND bool_and(t.type IN ('BORROW', 'REPAY')) THEN 'ok - ' ELSE 'not ok - ' END
	|| '0.1.0''s collateral entries (2 locked, 1 added) keep BORROW, with metadata "collateral"'
FROM xphere.transactions t WHERE t.metadata ->> 'collateral' IN ('locked', 'added', 'removed', 'released');

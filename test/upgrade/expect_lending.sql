-- test/upgrade/expect_lending.sql: what the update 0.1.0 -> 0.2.0 turns the
-- lending columns and transaction types of 0.1.0 into (see test/scripts/upgrade.sh).

-- (the expressions run with search_path pg_catalog: xphere's operators are qualified)

-- the ERD's labels: SUPPLY and WITHDRAW_SUPPLY are renamed in place; every
-- other entry (collateral moves of 0.1.0 included) keeps its type
INSERT INTO upgrade_expect VALUES ('transactions', 'type',
	$$CASE type::text WHEN 'SUPPLY' THEN 'LENDING_SUPPLY' WHEN 'WITHDRAW_SUPPLY' THEN 'LENDING_WITHDRAW'
		ELSE type::text END$$);

-- lp-xp, never changed by update_pool in the test's data, takes the curve
-- base 0.04, slope1 0.09 (slope2 0.75 and optimal 0.8 as before).  Its
-- last tick() ran at the update's clock, so the accrual before the change
-- moves nothing; the rates are those of the curve at the pool's
-- utilization: borrow = base + slope1 x U / optimal below the kink (the
-- test's pool, about 10% used, is), liquidity = borrow x U' x (1 - reserve factor) with U'
-- the usage ratio counting the deficit as owed, APYs the rates in percent
INSERT INTO upgrade_expect VALUES
	('lending_pools', 'base_rate', $$CASE WHEN id = 'lp-xp' THEN '0.04' ELSE base_rate::text END$$),
	('lending_pools', 'slope1', $$CASE WHEN id = 'lp-xp' THEN '0.09' ELSE slope1::text END$$),
	('lending_pools', 'borrow_rate', $$CASE WHEN id <> 'lp-xp' THEN borrow_rate::text
		WHEN scaled_borrowed::numeric = 0 THEN '0.04'
		ELSE (xphere.ray '0.04' OPERATOR(xphere.+) xphere.ray_div(xphere.ray_mul(xphere.ray '0.09',
			xphere.utilization(scaled_borrowed, borrow_index, cash)), xphere.ray '0.8'))::text END$$),
	('lending_pools', 'liquidity_rate', $$CASE WHEN id <> 'lp-xp' THEN liquidity_rate::text
		WHEN scaled_borrowed::numeric = 0 THEN '0'
		ELSE xphere.percent_mul(xphere.ray_mul(
			xphere.ray '0.04' OPERATOR(xphere.+) xphere.ray_div(xphere.ray_mul(xphere.ray '0.09',
				xphere.utilization(scaled_borrowed, borrow_index, cash)), xphere.ray '0.8'),
			xphere.utilization(scaled_borrowed, borrow_index, cash OPERATOR(xphere.+) deficit)),
			10000 - (reserve_factor * 10000)::integer)::text END$$),
	('lending_pools', 'borrow_apy', $$CASE WHEN id <> 'lp-xp' THEN borrow_apy::text
		WHEN scaled_borrowed::numeric = 0 THEN '4'
		ELSE ((xphere.ray '0.04' OPERATOR(xphere.+) xphere.ray_div(xphere.ray_mul(xphere.ray '0.09',
			xphere.utilization(scaled_borrowed, borrow_index, cash)), xphere.ray '0.8'))::numeric * 100)::text END$$),
	('lending_pools', 'supply_apy', $$CASE WHEN id <> 'lp-xp' THEN supply_apy::text
		WHEN scaled_borrowed::numeric = 0 THEN '0'
		ELSE (xphere.percent_mul(xphere.ray_mul(
			xphere.ray '0.04' OPERATOR(xphere.+) xphere.ray_div(xphere.ray_mul(xphere.ray '0.09',
				xphere.utilization(scaled_borrowed, borrow_index, cash)), xphere.ray '0.8'),
			xphere.utilization(scaled_borrowed, borrow_index, cash OPERATOR(xphere.+) deficit)),
			10000 - (reserve_factor * 10000)::integer)::numeric * 100)::text END$$);

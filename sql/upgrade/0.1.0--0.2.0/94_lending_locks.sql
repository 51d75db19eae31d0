/*
 * Lending at the hot-row limit: every call on a pool queues for the pool's
 * account and row from the first of those locks to its commit, so the
 * lending calls do the user's side first (a pool's account is locked
 * after every other account, then the pool's row).
 */

CREATE OR REPLACE FUNCTION supply(user_id uuid, pool_id text, amount wad) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	v_scaled xphere.wad;
	v_total xphere.wad;
	v_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_amount(amount);
	p := xphere.open_pool(pool_id);
	PERFORM xphere.authorize_user(user_id);

	/*
	 * Every call on a pool queues for its account and its row, from the
	 * first of these locks to the commit: whatever does not need them
	 * comes before.  The ledger entry needs no lock; the user's account is
	 * debited next (a pool's account is locked after every other account,
	 * then the pool's row).  "Too small" (22023) is an argument error and
	 * comes before the balance (XP001), as a clock earlier than the pool's
	 * last change does: checked at the pool's index projected to now, and
	 * again under the lock (the index only grows).
	 */
	IF xphere.ray_div_floor(amount,
			(xphere.pool_at(p, xphere.not_before(p.last_update, 'pool ' || p.id))).liquidity_index) = 0 THEN
		RAISE EXCEPTION 'amount % is too small for the pool', amount USING ERRCODE = '22023';
	END IF;
	v_tx := xphere.new_transaction(supply.user_id, 'LENDING_SUPPLY', amount, p.asset, 'COMPLETED', 0,
								   jsonb_build_object('pool_id', p.id));
	PERFORM xphere.post(supply.user_id, p.asset, -amount, 0, v_tx);
	PERFORM xphere.post(p.account_id, p.asset, amount, 0, v_tx);
	p := xphere.accrue_pool(p.id);
	v_scaled := xphere.ray_div_floor(amount, p.liquidity_index);
	IF v_scaled = 0 THEN
		RAISE EXCEPTION 'amount % is too small for the pool', amount USING ERRCODE = '22023';
	END IF;

	/*
	 * The principal grows by the amount; the entry index is the liquidity
	 * index of a first supply, the average one (principal over scaled
	 * balance) after a top-up.
	 */
	INSERT INTO xphere.supply_positions AS s (user_id, pool_id, scaled_amount, supplied_amount, entry_index)
	VALUES (supply.user_id, p.id, v_scaled, amount, p.liquidity_index)
	ON CONFLICT (user_id, pool_id) DO UPDATE SET scaled_amount = s.scaled_amount + EXCLUDED.scaled_amount,
		supplied_amount = s.supplied_amount + EXCLUDED.supplied_amount,
		entry_index = CASE WHEN s.scaled_amount = 0 THEN EXCLUDED.entry_index
			ELSE xphere.index_of(s.supplied_amount + EXCLUDED.supplied_amount,
								 s.scaled_amount + EXCLUDED.scaled_amount) END,
		updated_at = xphere.now()
	RETURNING s.scaled_amount INTO v_total;
	p.scaled_supplied := p.scaled_supplied + v_scaled;
	p.cash := p.cash + amount;
	PERFORM xphere.save_pool(xphere.pool_with_rates(p));
	RETURN xphere.ray_mul_floor(v_total, p.liquidity_index);
END $$;
COMMENT ON FUNCTION supply(uuid, text, wad) IS 'supplies to a pool; returns the new supplied balance';

CREATE OR REPLACE FUNCTION withdraw_supply(user_id uuid, pool_id text, amount wad DEFAULT NULL) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	s xphere.supply_positions;
	v_balance xphere.wad;
	v_amount xphere.wad := amount;
	v_burn xphere.wad;
	v_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF amount IS NOT NULL THEN PERFORM xphere.check_amount(amount); END IF;
	p := xphere.open_pool(pool_id);
	PERFORM xphere.authorize_user(user_id);

	/* with the amount known, the ledger entry is written before the locks (see supply) */
	IF v_amount IS NOT NULL THEN
		v_tx := xphere.new_transaction(withdraw_supply.user_id, 'LENDING_WITHDRAW', v_amount, p.asset,
									   'COMPLETED', 0, jsonb_build_object('pool_id', p.id));
	END IF;
	/* the user's account, then the pool's account and row (see supply) */
	PERFORM xphere.lock_accounts(ARRAY[withdraw_supply.user_id], ARRAY[p.asset]);
	PERFORM xphere.lock_accounts(ARRAY[p.account_id], ARRAY[p.asset]);
	p := xphere.accrue_pool(p.id);
	SELECT * INTO s FROM xphere.supply_positions x
	WHERE x.user_id = withdraw_supply.user_id AND x.pool_id = p.id FOR UPDATE;
	v_balance := xphere.ray_mul_floor(coalesce(s.scaled_amount, 0), p.liquidity_index);
	IF v_amount IS NULL OR v_amount = v_balance THEN
		v_amount := v_balance;
		v_burn := coalesce(s.scaled_amount, 0);
	ELSIF v_amount > v_balance THEN
		RAISE EXCEPTION 'insufficient supplied balance' USING ERRCODE = 'XP001',
			DETAIL = format('%s supplied, %s requested.', v_balance, v_amount);
	ELSE
		v_burn := xphere.ray_div_ceil(v_amount, p.liquidity_index);
	END IF;
	IF v_amount = 0 THEN
		RAISE EXCEPTION 'nothing supplied to withdraw' USING ERRCODE = 'XP001';
	END IF;
	IF v_amount > p.cash THEN
		RAISE EXCEPTION 'insufficient pool liquidity' USING ERRCODE = 'XP002',
			DETAIL = format('The pool has %s available, %s requested.', p.cash, v_amount);
	END IF;
	IF v_tx IS NULL THEN
		v_tx := xphere.new_transaction(withdraw_supply.user_id, 'LENDING_WITHDRAW', v_amount, p.asset,
									   'COMPLETED', 0, jsonb_build_object('pool_id', p.id));
	END IF;
	PERFORM xphere.post(p.account_id, p.asset, -v_amount, 0, v_tx);
	PERFORM xphere.post(withdraw_supply.user_id, p.asset, v_amount, 0, v_tx);
	/* the principal keeps the share the scaled balance keeps (0 when all is withdrawn) */
	UPDATE xphere.supply_positions SET scaled_amount = scaled_amount - v_burn,
		supplied_amount = xphere.prorate_wad_floor(supplied_amount, scaled_amount - v_burn, scaled_amount),
		updated_at = xphere.now()
	WHERE id = s.id;
	p.scaled_supplied := p.scaled_supplied - v_burn;
	p.cash := p.cash - v_amount;
	PERFORM xphere.save_pool(xphere.pool_with_rates(p));
	RETURN v_amount;
END $$;
COMMENT ON FUNCTION withdraw_supply(uuid, text, wad) IS
	'withdraws supplied funds (NULL = all); returns the amount; XP001 beyond the balance, XP002 beyond the pool''s cash';

CREATE OR REPLACE FUNCTION borrow(user_id uuid, pool_id text, amount wad, collateral_asset currency,
					   collateral_amount wad) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	pa xphere.wad;
	pc xphere.wad;
	v_scaled xphere.wad;
	v_debt xphere.wad;
	v_id uuid := gen_random_uuid();
	v_tx uuid;
	v_ctx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_amount(amount);
	IF collateral_asset IS NULL THEN PERFORM xphere.raise_null('collateral_asset'); END IF;
	PERFORM xphere.check_amount(collateral_amount, 'collateral_amount');
	p := xphere.open_pool(pool_id);
	IF collateral_asset = p.asset THEN
		RAISE EXCEPTION 'collateral must differ from the borrowed asset %', p.asset
			USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_user(user_id);
	pa := xphere.fresh_price(p.asset);
	pc := xphere.fresh_price(collateral_asset);

	/* the ledger entries need no lock: written before the pool's (see supply) */
	v_tx := xphere.new_transaction(borrow.user_id, 'BORROW', amount, p.asset, 'COMPLETED', 0,
		jsonb_build_object('pool_id', p.id, 'position_id', v_id,
						   'collateral_asset', collateral_asset, 'collateral_amount', collateral_amount));
	v_ctx := xphere.new_transaction(borrow.user_id, 'COLLATERAL_DEPOSIT', collateral_amount, collateral_asset,
		'COMPLETED', 0, jsonb_build_object('position_id', v_id, 'collateral', 'locked'));
	/*
	 * The minimum position size (22023), an argument error: debt and
	 * collateral value at the fresh prices, the debt at the pool's index
	 * projected to now, and again under the lock.  Then the user's side,
	 * which needs no pool lock: the collateral locked (XP001 if the user
	 * does not have it) and the amount credited; then the pool's account
	 * and row, held to the commit by every call on the pool (see supply).
	 */
	p := xphere.pool_at(p, xphere.not_before(p.last_update, 'pool ' || p.id));
	v_debt := xphere.ray_mul_ceil(xphere.ray_div_ceil(amount, p.borrow_index), p.borrow_index);
	PERFORM xphere.check_min_value(xphere.wad_mul_ceil(v_debt, pa), 'min_borrow_usdt',
		format('a debt of %s %s', v_debt, p.asset));
	PERFORM xphere.check_min_value(xphere.wad_mul_floor(collateral_amount, pc), 'min_collateral_usdt',
		format('a collateral of %s %s', collateral_amount, collateral_asset));
	PERFORM xphere.lock_accounts(ARRAY[borrow.user_id, borrow.user_id], ARRAY[p.asset, collateral_asset]);
	PERFORM xphere.post(borrow.user_id, collateral_asset, -collateral_amount, collateral_amount, v_ctx);
	PERFORM xphere.post(borrow.user_id, p.asset, amount, 0, v_tx);
	PERFORM xphere.lock_accounts(ARRAY[p.account_id], ARRAY[p.asset]);
	p := xphere.accrue_pool(p.id);
	v_scaled := xphere.ray_div_ceil(amount, p.borrow_index);
	v_debt := xphere.ray_mul_ceil(v_scaled, p.borrow_index);
	PERFORM xphere.check_min_value(xphere.wad_mul_ceil(v_debt, pa), 'min_borrow_usdt',
		format('a debt of %s %s', v_debt, p.asset));
	IF amount > p.cash THEN
		RAISE EXCEPTION 'insufficient pool liquidity' USING ERRCODE = 'XP002',
			DETAIL = format('The pool has %s available, %s requested.', p.cash, amount);
	END IF;
	IF xphere.wad_mul_floor(collateral_amount, pc)
		< xphere.percent_div_ceil(xphere.wad_mul_ceil(v_debt, pa), xphere.bps(p.ltv_ratio)) THEN
		RAISE EXCEPTION 'borrow exceeds the loan-to-value limit' USING ERRCODE = 'XP003',
			DETAIL = format('Collateral worth %s USDT allows %s USDT of debt at LTV %s; the debt would be worth %s.',
				xphere.wad_mul_floor(collateral_amount, pc),
				xphere.percent_mul_floor(xphere.wad_mul_floor(collateral_amount, pc), xphere.bps(p.ltv_ratio)),
				p.ltv_ratio, xphere.wad_mul_ceil(v_debt, pa));
	END IF;
	PERFORM xphere.post(p.account_id, p.asset, -amount, 0, v_tx);
	INSERT INTO xphere.borrow_positions (id, user_id, pool_id, borrowed_amount, scaled_debt,
		collateral_asset, collateral_amount, entry_index)
	VALUES (v_id, borrow.user_id, p.id, amount, v_scaled, collateral_asset, collateral_amount,
		p.borrow_index);
	p.scaled_borrowed := p.scaled_borrowed + v_scaled;
	p.cash := p.cash - amount;
	p := xphere.pool_with_rates(p);
	PERFORM xphere.save_pool(p);
	PERFORM xphere.refresh_position(v_id, p);
	RETURN v_id;
END $$;
COMMENT ON FUNCTION borrow(uuid, text, wad, currency, wad) IS
	'borrows from a pool against collateral locked in the borrower''s account; XP003 beyond the LTV, 22023 below min_borrow_usdt or min_collateral_usdt';

CREATE OR REPLACE FUNCTION repay(user_id uuid, position_id uuid, amount wad DEFAULT NULL) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	v_debt xphere.wad;
	v_amount xphere.wad := amount;
	v_burn xphere.wad;
	v_left xphere.wad;
	v_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF amount IS NOT NULL THEN PERFORM xphere.check_amount(amount); END IF;
	b := xphere.owned_position(user_id, position_id);
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', position_id, b.status USING ERRCODE = 'XP006';
	END IF;
	p := xphere.open_pool(b.pool_id);

	/* the user's accounts, then the pool's account and row (see supply) */
	PERFORM xphere.lock_accounts(ARRAY[repay.user_id, repay.user_id], ARRAY[p.asset, b.collateral_asset]);
	PERFORM xphere.lock_accounts(ARRAY[p.account_id], ARRAY[p.asset]);
	p := xphere.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions WHERE id = b.id FOR UPDATE;
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', position_id, b.status USING ERRCODE = 'XP006';
	END IF;
	v_debt := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
	IF v_amount IS NULL OR v_amount >= v_debt THEN
		v_amount := v_debt;
		v_burn := b.scaled_debt;
	ELSE
		v_burn := xphere.ray_div_floor(v_amount, p.borrow_index);
		IF v_burn = 0 THEN
			RAISE EXCEPTION 'amount % is too small to repay anything', amount USING ERRCODE = '22023';
		END IF;
		/*
		 * A partial repayment leaves at least min_borrow_usdt of debt, at
		 * the latest price (repaying never waits for a fresh one); a loan
		 * already below it can only be repaid in full.
		 */
		v_left := xphere.ray_mul_ceil(b.scaled_debt - v_burn, p.borrow_index);
		PERFORM xphere.check_min_value(
			xphere.wad_mul_ceil(v_left, coalesce(xphere.latest_price(p.asset), '0')),
			'min_borrow_usdt', format('the debt left, %s %s,', v_left, p.asset));
	END IF;
	v_tx := xphere.new_transaction(repay.user_id, 'REPAY', v_amount, p.asset, 'COMPLETED', 0,
		jsonb_build_object('pool_id', p.id, 'position_id', b.id, 'scaled', v_burn));
	PERFORM xphere.post(repay.user_id, p.asset, -v_amount, 0, v_tx);
	PERFORM xphere.post(p.account_id, p.asset, v_amount, 0, v_tx);
	IF v_burn = b.scaled_debt THEN
		/* repaid in full: the collateral returns to available */
		v_tx := xphere.new_transaction(repay.user_id, 'COLLATERAL_WITHDRAW', b.collateral_amount, b.collateral_asset,
			'COMPLETED', 0, jsonb_build_object('position_id', b.id, 'collateral', 'released'));
		PERFORM xphere.post(repay.user_id, b.collateral_asset, b.collateral_amount,
							-b.collateral_amount, v_tx);
		UPDATE xphere.borrow_positions SET scaled_debt = 0, collateral_amount = 0,
			status = 'CLOSED', health_factor = 'infinity', liquidation_price = NULL, risk_key = 0
		WHERE id = b.id;
	ELSE
		UPDATE xphere.borrow_positions SET scaled_debt = scaled_debt - v_burn, updated_at = xphere.now()
		WHERE id = b.id;
	END IF;
	p.scaled_borrowed := p.scaled_borrowed - v_burn;
	p.cash := p.cash + v_amount;
	p := xphere.pool_with_rates(p);
	PERFORM xphere.save_pool(p);
	IF v_burn <> b.scaled_debt THEN
		PERFORM xphere.refresh_position(b.id, p);
	END IF;
	RETURN v_amount;
END $$;
COMMENT ON FUNCTION repay(uuid, uuid, wad) IS
	'repays debt (NULL or more than the debt = all of it, returning what was owed); full repayment releases the collateral; a partial one leaves at least min_borrow_usdt';

/*
 * The liquidation itself, for a liquidator already checked (or the house,
 * when tick() liquidates): prices, locks, amounts, money, position, pool,
 * and an event.
 */
CREATE OR REPLACE FUNCTION liquidate_position(liquidator_id uuid, position_id uuid, debt_to_cover wad,
		OUT debt_repaid wad, OUT collateral_seized wad)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	pa xphere.wad;
	pc xphere.wad;
	v_debt xphere.wad;
	a record;
	v_burn xphere.wad;
	v_bad xphere.wad := 0;
	v_tx uuid;
	v_btx uuid;
	v_ltx uuid;
BEGIN
	SELECT * INTO STRICT b FROM xphere.borrow_positions x WHERE x.id = position_id;
	p := xphere.open_pool(b.pool_id);
	pa := xphere.fresh_price(p.asset);
	pc := xphere.fresh_price(b.collateral_asset);

	/* the users' accounts, then the pool's account and row (see supply) */
	PERFORM xphere.lock_accounts(ARRAY[liquidator_id, liquidator_id, b.user_id],
		ARRAY[p.asset, b.collateral_asset, b.collateral_asset]);
	PERFORM xphere.lock_accounts(ARRAY[p.account_id], ARRAY[p.asset]);
	p := xphere.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = b.id FOR UPDATE;
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'position is not liquidatable' USING ERRCODE = 'XP004';
	END IF;
	v_debt := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
	a := xphere.liquidation_amounts(v_debt, b.collateral_amount, pa, pc,
		xphere.bps(p.liquidation_threshold), xphere.bps(p.liquidation_bonus),
		p.close_factor_min_base, p.min_leftover_base, debt_to_cover);

	v_burn := CASE WHEN a.debt_repaid = v_debt THEN b.scaled_debt
				   ELSE least(xphere.ray_div_floor(a.debt_repaid, p.borrow_index), b.scaled_debt) END;
	v_tx := xphere.new_transaction(liquidator_id, 'LIQUIDATION', a.debt_repaid, p.asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'role', 'liquidator',
						   'collateral_seized', a.collateral_seized, 'collateral_asset', b.collateral_asset));
	v_btx := xphere.new_transaction(b.user_id, 'LIQUIDATION', a.collateral_seized, b.collateral_asset,
		'COMPLETED', 0, jsonb_build_object('position_id', b.id, 'role', 'borrower',
										   'debt_repaid', a.debt_repaid, 'liquidator', liquidator_id));
	PERFORM xphere.post(liquidator_id, p.asset, -a.debt_repaid, 0, v_tx);
	PERFORM xphere.post(p.account_id, p.asset, a.debt_repaid, 0, v_tx);
	PERFORM xphere.post(b.user_id, b.collateral_asset, 0, -a.collateral_seized, v_btx);
	v_ltx := xphere.new_transaction(liquidator_id, 'LIQUIDATION', a.collateral_seized,
		b.collateral_asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'role', 'liquidator', 'collateral', 'received'));
	PERFORM xphere.post(liquidator_id, b.collateral_asset, a.collateral_seized, 0, v_ltx);

	b.scaled_debt := b.scaled_debt - v_burn;
	b.collateral_amount := b.collateral_amount - a.collateral_seized;
	p.scaled_borrowed := p.scaled_borrowed - v_burn;
	p.cash := p.cash + a.debt_repaid;
	IF b.collateral_amount = 0 AND b.scaled_debt > 0 THEN
		/* bad debt: nothing left to seize, the rest is written off */
		v_bad := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
		p.deficit := p.deficit + v_bad;
		p.scaled_borrowed := p.scaled_borrowed - b.scaled_debt;
		b.scaled_debt := 0;
	END IF;
	IF b.scaled_debt = 0 AND b.collateral_amount > 0 THEN
		/* debt gone: the remaining collateral returns to the borrower */
		PERFORM xphere.post(b.user_id, b.collateral_asset, b.collateral_amount,
							-b.collateral_amount, v_btx);
		b.collateral_amount := 0;
	END IF;
	UPDATE xphere.borrow_positions SET scaled_debt = b.scaled_debt,
		collateral_amount = b.collateral_amount,
		status = CASE WHEN b.scaled_debt = 0 THEN 'LIQUIDATED'::xphere.position_status ELSE status END
	WHERE id = b.id;
	p := xphere.pool_with_rates(p);
	PERFORM xphere.save_pool(p);
	IF b.scaled_debt > 0 THEN
		PERFORM xphere.refresh_position(b.id, p);
	ELSE
		UPDATE xphere.borrow_positions SET health_factor = 'infinity', liquidation_price = NULL,
			risk_key = 0 WHERE id = b.id;
	END IF;
	PERFORM xphere.emit_event('liquidation', jsonb_build_object('position_id', b.id,
		'pool_id', p.id, 'borrower', b.user_id, 'liquidator', liquidator_id,
		'debt_repaid', a.debt_repaid, 'collateral_seized', a.collateral_seized,
		'collateral_asset', b.collateral_asset, 'bad_debt', v_bad));
	debt_repaid := a.debt_repaid;
	collateral_seized := a.collateral_seized;
END $$;
COMMENT ON FUNCTION liquidate_position(uuid, uuid, wad) IS
	'liquidates a position for an already authorised liquidator (internal; see liquidate())';

-- the driver overloads of borrow() and repay() take their comments again (sql/install/platform/param_types.sql)
SELECT xphere.make_driver_overloads();

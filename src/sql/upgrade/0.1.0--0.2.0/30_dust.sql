/*
 * Minimum position size (src/sql/80_pools.sql): the settings
 * min_borrow_usdt and min_collateral_usdt, checked by borrow(), repay()
 * and remove_collateral().
 */

INSERT INTO settings (key, value, kind, description) VALUES
	('min_borrow_usdt', '10', 'wad',
	 'smallest debt a loan opens with or keeps after a partial repayment, in USDT'),
	('min_collateral_usdt', '10', 'wad',
	 'smallest collateral a loan opens with or keeps after removing collateral, in USDT');

CREATE FUNCTION check_min_value(p_value wad, p_setting text, p_what text) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_min xphere.wad := xphere.setting(p_setting)::xphere.wad;
BEGIN
	IF p_value < v_min THEN
		RAISE EXCEPTION '% is below the minimum position size', p_what USING ERRCODE = '22023',
			DETAIL = format('It is worth %s USDT; %s is %s USDT.', p_value, p_setting, v_min);
	END IF;
END $$;
COMMENT ON FUNCTION check_min_value(wad, text, text) IS
	'22023 if a value in USDT is below the minimum set by min_borrow_usdt or min_collateral_usdt';
REVOKE ALL ON FUNCTION check_min_value(wad, text, text) FROM PUBLIC;

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
	v_ctx := xphere.new_transaction(borrow.user_id, 'BORROW', collateral_amount, collateral_asset,
		'COMPLETED', 0, jsonb_build_object('position_id', v_id, 'collateral', 'locked'));
	PERFORM xphere.lock_accounts(ARRAY[borrow.user_id, borrow.user_id, p.account_id],
								 ARRAY[p.asset, collateral_asset, p.asset]);
	p := xphere.accrue_pool(p.id);
	v_scaled := xphere.ray_div_ceil(amount, p.borrow_index);
	v_debt := xphere.ray_mul_ceil(v_scaled, p.borrow_index);
	/* the minimum position size (22023): debt and collateral value at the fresh prices */
	PERFORM xphere.check_min_value(xphere.wad_mul_ceil(v_debt, pa), 'min_borrow_usdt',
		format('a debt of %s %s', v_debt, p.asset));
	PERFORM xphere.check_min_value(xphere.wad_mul_floor(collateral_amount, pc), 'min_collateral_usdt',
		format('a collateral of %s %s', collateral_amount, collateral_asset));
	IF amount > p.cash THEN
		RAISE EXCEPTION 'insufficient pool liquidity' USING ERRCODE = 'XP002',
			DETAIL = format('The pool has %s available, %s requested.', p.cash, amount);
	END IF;
	/* lock the collateral first: XP001 if the user does not have it */
	PERFORM xphere.post(borrow.user_id, collateral_asset, -collateral_amount, collateral_amount, v_ctx);
	IF xphere.wad_mul_floor(collateral_amount, pc)
		< xphere.percent_div_ceil(xphere.wad_mul_ceil(v_debt, pa), xphere.bps(p.ltv_ratio)) THEN
		RAISE EXCEPTION 'borrow exceeds the loan-to-value limit' USING ERRCODE = 'XP003',
			DETAIL = format('Collateral worth %s USDT allows %s USDT of debt at LTV %s; the debt would be worth %s.',
				xphere.wad_mul_floor(collateral_amount, pc),
				xphere.percent_mul_floor(xphere.wad_mul_floor(collateral_amount, pc), xphere.bps(p.ltv_ratio)),
				p.ltv_ratio, xphere.wad_mul_ceil(v_debt, pa));
	END IF;
	PERFORM xphere.post(p.account_id, p.asset, -amount, 0, v_tx);
	PERFORM xphere.post(borrow.user_id, p.asset, amount, 0, v_tx);
	INSERT INTO xphere.borrow_positions (id, user_id, pool_id, borrowed_amount, scaled_debt,
		collateral_asset, collateral_amount)
	VALUES (v_id, borrow.user_id, p.id, amount, v_scaled, collateral_asset, collateral_amount);
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

	PERFORM xphere.lock_accounts(ARRAY[repay.user_id, repay.user_id, p.account_id],
								 ARRAY[p.asset, b.collateral_asset, p.asset]);
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
		v_tx := xphere.new_transaction(repay.user_id, 'REPAY', b.collateral_amount, b.collateral_asset,
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

CREATE OR REPLACE FUNCTION change_collateral(p_user uuid, p_position uuid, p_amount wad, p_add boolean)
	RETURNS health_factor
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	v record;
	v_tx uuid;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_amount(p_amount);
	b := xphere.owned_position(p_user, p_position);
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', p_position, b.status USING ERRCODE = 'XP006';
	END IF;
	p := xphere.open_pool(b.pool_id);
	IF NOT p_add THEN
		IF p_amount > b.collateral_amount THEN
			RAISE EXCEPTION 'the position holds only % collateral', b.collateral_amount
				USING ERRCODE = 'XP001';
		END IF;
		PERFORM xphere.fresh_price(p.asset);
		PERFORM xphere.fresh_price(b.collateral_asset);
	END IF;

	PERFORM xphere.lock_accounts(ARRAY[p_user], ARRAY[b.collateral_asset]);
	p := xphere.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions WHERE id = b.id FOR UPDATE;
	/* the checks again under the lock: a concurrent call may have changed the position */
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', p_position, b.status USING ERRCODE = 'XP006';
	END IF;
	IF NOT p_add AND p_amount > b.collateral_amount THEN
		RAISE EXCEPTION 'the position holds only % collateral', b.collateral_amount
			USING ERRCODE = 'XP001';
	END IF;
	v_tx := xphere.new_transaction(p_user, 'BORROW', p_amount, b.collateral_asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'collateral',
						   CASE WHEN p_add THEN 'added' ELSE 'removed' END));
	IF p_add THEN
		PERFORM xphere.post(p_user, b.collateral_asset, -p_amount, p_amount, v_tx);
		b.collateral_amount := b.collateral_amount + p_amount;
	ELSE
		b.collateral_amount := b.collateral_amount - p_amount;
		v := xphere.position_values(b, p, xphere.fresh_price(p.asset),
									xphere.fresh_price(b.collateral_asset));
		/* the collateral left is worth at least min_collateral_usdt (22023) */
		PERFORM xphere.check_min_value(v.collateral_value, 'min_collateral_usdt',
			format('the collateral left, %s %s,', b.collateral_amount, b.collateral_asset));
		IF v.hf < 1 THEN
			RAISE EXCEPTION 'removing % collateral would leave health factor %', p_amount, v.hf
				USING ERRCODE = 'XP003';
		END IF;
		PERFORM xphere.post(p_user, b.collateral_asset, p_amount, -p_amount, v_tx);
	END IF;
	UPDATE xphere.borrow_positions SET collateral_amount = b.collateral_amount WHERE id = b.id;
	RETURN xphere.refresh_position(b.id, p);
END $$;
COMMENT ON FUNCTION change_collateral(uuid, uuid, wad, boolean) IS 'adds or removes collateral of a position';

COMMENT ON FUNCTION remove_collateral(uuid, uuid, wad) IS
	'releases collateral if the health factor stays >= 1 and min_collateral_usdt is left (fresh prices needed); returns it';

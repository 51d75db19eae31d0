/*
 * Minimum position size and health factors written only when they change
 * (src/sql/80_pools.sql): the settings min_borrow_usdt and
 * min_collateral_usdt, checked by borrow(), repay() and
 * remove_collateral(); store_position_health() writes a position only when
 * a stored value changes; risk_refresh_marks lets
 * refresh_positions_at_risk() skip a pool whose index and prices have not
 * moved since its last pass.
 */

INSERT INTO settings (key, value, kind, description) VALUES
	('min_borrow_usdt', '10', 'wad',
	 'smallest debt a loan opens with or keeps after a partial repayment, in USDT'),
	('min_collateral_usdt', '10', 'wad',
	 'smallest collateral a loan opens with or keeps after removing collateral, in USDT');

CREATE TABLE risk_refresh_marks (
	pool_id			text NOT NULL REFERENCES lending_pools ON DELETE CASCADE,
	collateral_asset currency NOT NULL,
	borrow_index	ray NOT NULL,
	price_asset		wad NOT NULL,
	price_collateral wad NOT NULL,
	liquidation_threshold numeric(5,4) NOT NULL,
	refreshed_at	timestamptz NOT NULL,
	PRIMARY KEY (pool_id, collateral_asset)
);
COMMENT ON TABLE risk_refresh_marks IS
	'per pool and collateral asset: the borrow index, prices and threshold of the last refresh_positions_at_risk() pass';
REVOKE ALL ON risk_refresh_marks FROM PUBLIC;

CREATE FUNCTION store_position_health(b borrow_positions, p lending_pools, pa wad, pc wad,
		OUT hf health_factor, OUT written boolean)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v record;
	lt integer := xphere.bps(p.liquidation_threshold);
	v_hf xphere.health_factor;
	v_liq_price xphere.wad;
	v_risk float8;
	v_dust boolean;
	v_notified boolean;
BEGIN
	IF pa IS NOT NULL AND pc IS NOT NULL THEN
		v := xphere.position_values(b, p, pa, pc);
	END IF;
	/* the collateral price at which HF would be 1 at today's index */
	IF b.collateral_amount > 0 AND b.scaled_debt > 0 AND pa IS NOT NULL THEN
		v_liq_price := xphere.wad_div_ceil(xphere.percent_div_ceil(v.debt_value, lt),
										   b.collateral_amount);
	END IF;
	hf := coalesce(v.hf, CASE WHEN b.scaled_debt = 0 THEN 'infinity'::xphere.health_factor END);
	v_hf := coalesce(hf, b.health_factor);
	v_risk := CASE WHEN b.collateral_amount > 0
		THEN b.scaled_debt::numeric::float8 / (b.collateral_amount::numeric::float8 * lt / 10000)
		WHEN b.scaled_debt > 0 THEN 'Infinity' ELSE 0 END;
	v_dust := b.scaled_debt < '0.001' OR b.collateral_amount < '0.001';
	v_notified := b.liquidatable_notified AND coalesce(v.hf < 1, true);
	UPDATE xphere.borrow_positions x SET health_factor = v_hf, liquidation_price = v_liq_price,
		risk_key = v_risk, dust = v_dust, liquidatable_notified = v_notified,
		updated_at = xphere.now()
	WHERE x.id = b.id
	  AND (x.health_factor, x.liquidation_price, x.risk_key, x.dust, x.liquidatable_notified)
		  IS DISTINCT FROM (v_hf, v_liq_price, v_risk, v_dust, v_notified);
	written := FOUND;
END $$;
COMMENT ON FUNCTION store_position_health(borrow_positions, lending_pools, wad, wad) IS
	'writes a position''s health factor, liquidation price, risk key and flags if any of them changed; returns the live health factor';
REVOKE ALL ON FUNCTION store_position_health(borrow_positions, lending_pools, wad, wad) FROM PUBLIC;

CREATE OR REPLACE FUNCTION refresh_position(p_position uuid, p lending_pools) RETURNS health_factor
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
	v_hf xphere.health_factor;
BEGIN
	SELECT * INTO STRICT b FROM xphere.borrow_positions WHERE id = p_position;
	SELECT s.hf INTO v_hf FROM xphere.store_position_health(b, p, xphere.latest_price(p.asset),
		xphere.latest_price(b.collateral_asset)) s;
	RETURN v_hf;
END $$;
COMMENT ON FUNCTION refresh_position(uuid, lending_pools) IS
	'recomputes a position''s stored health factor, liquidation price and risk key (written only if changed)';

CREATE OR REPLACE FUNCTION refresh_positions_at_risk(p_pool text DEFAULT NULL) RETURNS integer
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.lending_pools;
	v_pos xphere.borrow_positions;
	c xphere.currency;
	pa xphere.wad;
	pc xphere.wad;
	v_threshold float8;
	v_id uuid;
	n integer := 0;
BEGIN
	/*
	 * The pool's lock first, as every action on its positions takes it:
	 * set_price() and tick() refresh the same positions, and without it
	 * they could lock them in different orders.
	 */
	FOR p IN SELECT * FROM xphere.lending_pools x WHERE p_pool IS NULL OR x.id = p_pool
			 ORDER BY x.id FOR UPDATE LOOP
		p := xphere.pool_at(p, greatest(xphere.now(), p.last_update));
		pa := xphere.latest_price(p.asset);
		FOREACH c IN ARRAY enum_range(NULL::xphere.currency) LOOP
			CONTINUE WHEN c = p.asset;
			pc := xphere.latest_price(c);
			CONTINUE WHEN pa IS NULL OR pc IS NULL;
			CONTINUE WHEN EXISTS (SELECT 1 FROM xphere.risk_refresh_marks m
				WHERE m.pool_id = p.id AND m.collateral_asset = c
				  AND m.borrow_index = p.borrow_index AND m.price_asset = pa
				  AND m.price_collateral = pc
				  AND m.liquidation_threshold = p.liquidation_threshold);
			v_threshold := pc::numeric::float8
				/ (p.borrow_index::numeric::float8 * pa::numeric::float8) / 1.1 * (1 - 1e-9);
			FOR v_id IN
				SELECT b.id FROM xphere.borrow_positions b
				WHERE b.pool_id = p.id AND b.collateral_asset = c AND b.status = 'OPEN'
				  AND (b.risk_key > v_threshold OR b.dust)
				UNION
				SELECT b.id FROM xphere.borrow_positions b
				WHERE b.pool_id = p.id AND b.collateral_asset = c AND b.health_factor < 1
				ORDER BY 1
			LOOP
				SELECT * INTO STRICT v_pos FROM xphere.borrow_positions x WHERE x.id = v_id;
				IF (xphere.store_position_health(v_pos, p, pa, pc)).written THEN
					n := n + 1;
				END IF;
			END LOOP;
			INSERT INTO xphere.risk_refresh_marks AS m (pool_id, collateral_asset, borrow_index,
				price_asset, price_collateral, liquidation_threshold, refreshed_at)
			VALUES (p.id, c, p.borrow_index, pa, pc, p.liquidation_threshold, xphere.now())
			ON CONFLICT (pool_id, collateral_asset) DO UPDATE SET
				borrow_index = EXCLUDED.borrow_index, price_asset = EXCLUDED.price_asset,
				price_collateral = EXCLUDED.price_collateral,
				liquidation_threshold = EXCLUDED.liquidation_threshold,
				refreshed_at = EXCLUDED.refreshed_at;
		END LOOP;
	END LOOP;
	RETURN n;
END $$;
COMMENT ON FUNCTION refresh_positions_at_risk(text) IS
	'refreshes the stored health factor of positions at risk (live HF < 1.1) and of those stored below 1, writing only changes; returns how many were written';

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

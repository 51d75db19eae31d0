/*
 * Minimum position size and health factors written only when they change
 * (sql/install/lending/pools.sql): the settings min_borrow_usdt and
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

COMMENT ON FUNCTION remove_collateral(uuid, uuid, wad) IS
	'releases collateral if the health factor stays >= 1 and min_collateral_usdt is left (fresh prices needed); returns it';

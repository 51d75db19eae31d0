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

CREATE FUNCTION check_min_value(p_value wad, p_setting text, p_what text) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_min xphere.wad := xphere.setting(p_setting)::xphere.wad;
BEGIN
	IF p_value < v_min THEN
		RAISE EXCEPTION '% is below the minimum position size', p_what USING ERRCODE = '22023',
			DETAIL = pg_catalog.format('It is worth %s USDT; %s is %s USDT.', p_value, p_setting, v_min);
	END IF;
END $$;
COMMENT ON FUNCTION check_min_value(wad, text, text) IS
	'22023 if a value in USDT is below the minimum set by min_borrow_usdt or min_collateral_usdt';
REVOKE ALL ON FUNCTION check_min_value(wad, text, text) FROM PUBLIC;


/*
 * Lending pools and positions (Aave V3 semantics, doc/lending.md).
 *
 * State: a pool keeps its liquidity and borrow indexes (ray), current
 * rates, scaled totals, internally tracked cash, the treasury's scaled
 * claim, the written-off deficit and last_update.  Positions keep scaled
 * amounts; live amounts are scaled x index, rounded in the pool's favour.
 *
 * Every action: lock the accounts it moves (global order), lock the pool,
 * accrue the indexes to xphere.now(), move funds through post(), update
 * the positions, recompute the rates.  The pool's cash sits in the
 * account of the pool's own system user, so the ledger still sums to
 * deposits minus withdrawals per currency.
 *
 * Liquidation checks do not scan every loan: for one pool and collateral
 * asset, HF < 1 roughly means scaled_debt / (collateral x threshold) >
 * price_collateral / (borrow_index x price_asset).  The left side, stored
 * as risk_key, changes only when the position does, so a btree index on
 * (pool_id, collateral_asset, risk_key) turns the check into a range scan
 * with a small safety margin; the exact, rounded health factor confirms
 * every candidate.  Positions too small for the margin to cover their
 * rounding (dust) are always candidates.
 */

-- lending -----------------------------------------------------------------

CREATE TABLE lending_pools (
	id				text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	asset			currency NOT NULL UNIQUE,
	total_supplied	wad NOT NULL DEFAULT 0,
	total_borrowed	wad NOT NULL DEFAULT 0,
	scaled_supplied	wad NOT NULL DEFAULT 0,
	scaled_borrowed	wad NOT NULL DEFAULT 0,
	cash			wad NOT NULL DEFAULT 0,
	treasury_scaled	wad NOT NULL DEFAULT 0,
	deficit			wad NOT NULL DEFAULT 0,
	liquidity_index	ray NOT NULL DEFAULT '1',
	borrow_index	ray NOT NULL DEFAULT '1',
	liquidity_rate	ray NOT NULL DEFAULT '0',
	borrow_rate		ray NOT NULL DEFAULT '0',
	supply_apy		numeric NOT NULL DEFAULT 0,
	borrow_apy		numeric NOT NULL DEFAULT 0,
	ltv_ratio		numeric(5,4) NOT NULL DEFAULT 0.7500,
	liquidation_threshold numeric(5,4) NOT NULL DEFAULT 0.8000,
	liquidation_bonus numeric(5,4) NOT NULL DEFAULT 0.0500,
	reserve_factor	numeric(5,4) NOT NULL DEFAULT 0.1000,
	base_rate		ray NOT NULL DEFAULT '0.04',
	slope1			ray NOT NULL DEFAULT '0.09',
	slope2			ray NOT NULL DEFAULT '0.75',
	optimal_utilization ray NOT NULL DEFAULT '0.80',
	close_factor_min_base wad NOT NULL DEFAULT 2000,
	min_leftover_base wad NOT NULL DEFAULT 1000,
	is_active		boolean NOT NULL DEFAULT true,
	last_update		timestamptz NOT NULL DEFAULT xphere.now(),
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	account_id		uuid NOT NULL
);
COMMENT ON TABLE lending_pools IS 'one lending pool per asset, Aave V3 style: scaled balances and indexes';
COMMENT ON COLUMN lending_pools.supply_apy IS 'current supply rate, percent per year';
COMMENT ON COLUMN lending_pools.borrow_apy IS 'current borrow rate, percent per year';
COMMENT ON COLUMN lending_pools.deficit IS 'bad debt written off';
COMMENT ON INDEX lending_pools_asset_key IS 'one pool per asset: the ERD''s idx_asset (unique)';

CREATE TABLE supply_positions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	pool_id			text NOT NULL REFERENCES lending_pools,
	scaled_amount	wad NOT NULL DEFAULT 0 CHECK (scaled_amount >= 0),
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	supplied_amount	wad NOT NULL DEFAULT 0 CHECK (supplied_amount >= 0),
	xpx_balance		wad GENERATED ALWAYS AS (scaled_amount) STORED,
	entry_index		ray NOT NULL DEFAULT '1',
	UNIQUE (user_id, pool_id)
);
COMMENT ON TABLE supply_positions IS 'a user''s supply to a pool, as a scaled balance';
COMMENT ON COLUMN supply_positions.scaled_amount IS
	'the scaled balance (the truth): the balance is scaled_amount x liquidity index, rounded down';
COMMENT ON COLUMN supply_positions.supplied_amount IS
	'principal: + amount on supply; a withdrawal keeps the share of it the scaled balance keeps (rounded down); 0 when all is withdrawn';
COMMENT ON COLUMN supply_positions.xpx_balance IS
	'the interest-bearing xpX token balance (ERD): scaled_amount; worth xpx_balance x liquidity index in the pool''s asset';
COMMENT ON COLUMN supply_positions.entry_index IS
	'liquidity index of the first supply; after a top-up the average index, supplied_amount / xpx_balance (rayDiv); unchanged by withdrawals';
COMMENT ON INDEX supply_positions_user_id_pool_id_key IS 'one position per user and pool: the ERD''s idx_user_pool';

CREATE TABLE borrow_positions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	pool_id			text NOT NULL REFERENCES lending_pools,
	borrowed_amount	wad NOT NULL DEFAULT 0,
	scaled_debt		wad NOT NULL DEFAULT 0 CHECK (scaled_debt >= 0),
	collateral_asset currency NOT NULL,
	collateral_amount wad NOT NULL DEFAULT 0 CHECK (collateral_amount >= 0),
	health_factor	health_factor NOT NULL DEFAULT 'infinity',
	liquidation_price wad,
	status			position_status NOT NULL DEFAULT 'OPEN',
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	risk_key		double precision,
	dust			boolean NOT NULL DEFAULT false,
	liquidatable_notified boolean NOT NULL DEFAULT false,
	entry_index		ray
);
CREATE INDEX borrow_positions_user_idx ON borrow_positions (user_id);
CREATE INDEX borrow_positions_at_risk_idx ON borrow_positions (health_factor) WHERE health_factor < 1;
CREATE INDEX borrow_positions_health_idx ON borrow_positions (health_factor);
COMMENT ON INDEX borrow_positions_user_idx IS 'a user''s loans: the ERD''s idx_user';
COMMENT ON INDEX borrow_positions_at_risk_idx IS
	'the positions last seen liquidatable: the ERD''s idx_borrow_health (health_factor < 1.0)';
COMMENT ON INDEX borrow_positions_health_idx IS 'loans by stored health factor: the ERD''s idx_health';
COMMENT ON TABLE borrow_positions IS 'loans against one collateral asset each, as a scaled debt';
COMMENT ON COLUMN borrow_positions.borrowed_amount IS
	'principal borrowed when the position opened, never changed; the debt is scaled_debt x borrow index';
COMMENT ON COLUMN borrow_positions.health_factor IS 'stored health factor, refreshed on every change and for positions at risk';
COMMENT ON COLUMN lending_pools.account_id IS 'the system user whose account holds the pool''s cash';
COMMENT ON COLUMN borrow_positions.risk_key IS
	'scaled_debt / (collateral x liquidation threshold): liquidatable about when above price_collateral / (borrow_index x price_asset)';
COMMENT ON COLUMN borrow_positions.dust IS 'too small for the risk_key margin: always checked exactly';
COMMENT ON COLUMN borrow_positions.liquidatable_notified IS
	'tick() has reported the position liquidatable; cleared when its health factor is back to 1 or more';
COMMENT ON COLUMN borrow_positions.entry_index IS
	'borrow index of the borrow that opened the position (borrowed_amount = scaled debt then x entry_index, to rounding); NULL for a position 0.1.0 liquidated';
CREATE INDEX borrow_positions_risk_idx ON borrow_positions (pool_id, collateral_asset, risk_key)
	WHERE status = 'OPEN';
CREATE INDEX borrow_positions_dust_idx ON borrow_positions (pool_id, collateral_asset)
	WHERE status = 'OPEN' AND dust;

CREATE TRIGGER lending_pools_updated_at BEFORE UPDATE ON lending_pools
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();
CREATE TRIGGER supply_positions_updated_at BEFORE UPDATE ON supply_positions
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();
CREATE TRIGGER borrow_positions_updated_at BEFORE UPDATE ON borrow_positions
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();



/*
 * Minimum position size, in value (USDT at the prices of the check), as
 * Maker's dust and Liquity's minimum debt: a loan opens with a debt and a
 * collateral worth at least these, a partial repayment leaves at least
 * min_borrow_usdt of debt (or repays everything), removing collateral
 * leaves at least min_collateral_usdt while debt is open.  Smaller loans
 * cost the periodic work more than they are worth.  0 means no minimum.
 */
INSERT INTO settings (key, value, kind, description) VALUES
	('min_borrow_usdt', '10', 'wad',
	 'smallest debt a loan opens with or keeps after a partial repayment, in USDT'),
	('min_collateral_usdt', '10', 'wad',
	 'smallest collateral a loan opens with or keeps after removing collateral, in USDT');

/* the system user of a pool: a uuid derived from its id */
CREATE FUNCTION xphere_internal.pool_account(p_pool text) RETURNS uuid
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN md5('xphere pool ' || p_pool)::uuid;
COMMENT ON FUNCTION xphere_internal.pool_account(text) IS 'owner of a pool''s cash account';

/*
 * Exact helpers for the ERD's principal columns of the positions, on the
 * raw units (numeric division truncates exactly with div()).
 */
CREATE FUNCTION xphere_internal.prorate_wad_floor(amount wad, part wad, whole wad) RETURNS wad
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (div(amount::numeric * part::numeric * 1000000000000000000, whole::numeric)
			* 0.000000000000000001)::wad;
COMMENT ON FUNCTION xphere_internal.prorate_wad_floor(wad, wad, wad) IS
	'floor(amount x part / whole) to the last wad unit: the share of a principal a scaled balance keeps';
CREATE FUNCTION xphere_internal.index_of(amount wad, scaled wad) RETURNS ray
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (div(amount::numeric * 2000000000000000000000000000 + scaled::numeric, scaled::numeric * 2)
			* 0.000000000000000000000000001)::ray;
COMMENT ON FUNCTION xphere_internal.index_of(wad, wad) IS
	'rayDiv(amount, scaled), half up: the index at which a scaled balance is worth amount';

CREATE FUNCTION xphere_internal.bps(fraction numeric) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN (fraction * 10000)::integer;
COMMENT ON FUNCTION xphere_internal.bps(numeric) IS 'a fraction with four decimals as basis points';

CREATE FUNCTION xphere_internal.create_pool_account(p_pool text) RETURNS uuid
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO xphere.users (id, email, password_hash, name, role, is_active)
	VALUES (xphere_internal.pool_account(p_pool), 'pool-' || p_pool || '@xphere.invalid', '!',
			'Lending pool ' || p_pool, 'system', false)
	ON CONFLICT (id) DO NOTHING;
	SELECT xphere_internal.pool_account(p_pool);
END;
COMMENT ON FUNCTION xphere_internal.create_pool_account(text) IS 'creates the system user of a pool';

-- the default curve puts the ERD's seed pair on it: 12.5% borrow and 8.5% supply at U = 34/45
INSERT INTO lending_pools (id, asset, account_id, borrow_rate, borrow_apy)
VALUES ('lp-xp', 'XP', xphere_internal.create_pool_account('lp-xp'), '0.04', '0.04'::ray::numeric * 100);


-- time and indexes ------------------------------------------------------------

/*
 * Indexes projected to time t without writing: whole seconds since
 * last_update (the fraction is kept for the next accrual, so no time is
 * ever lost).  Returns the pool row with indexes, treasury and
 * last_update advanced.
 */
CREATE FUNCTION xphere_internal.pool_at(p lending_pools, t timestamptz) RETURNS lending_pools
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	dt bigint;
	new_bi xphere.ray;
BEGIN
	IF t < p.last_update THEN
		RAISE EXCEPTION 'time runs backwards for pool %', p.id USING ERRCODE = 'invalid_parameter_value',
			DETAIL = pg_catalog.format('The pool was last updated at %s, the clock says %s.', p.last_update, t);
	END IF;
	dt := floor(extract(epoch FROM t - p.last_update))::bigint;
	IF dt = 0 THEN
		RETURN p;
	END IF;
	IF p.liquidity_rate <> '0' THEN
		p.liquidity_index := xphere.linear_interest(p.liquidity_rate, dt) * p.liquidity_index;
	END IF;
	IF p.scaled_borrowed <> 0 THEN
		new_bi := xphere.compounded_interest(p.borrow_rate, dt) * p.borrow_index;
		p.treasury_scaled := p.treasury_scaled + xphere.ray_div_floor(
			xphere.percent_mul(xphere.ray_mul_floor(p.scaled_borrowed, new_bi - p.borrow_index),
							   xphere_internal.bps(p.reserve_factor)),
			p.liquidity_index);
		p.borrow_index := new_bi;
	END IF;
	p.last_update := p.last_update + make_interval(secs => dt);
	p.total_supplied := xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index);
	p.total_borrowed := xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index);
	RETURN p;
END $$;
COMMENT ON FUNCTION xphere_internal.pool_at(lending_pools, timestamptz) IS
	'a pool with its indexes (and the totals shown) accrued to a time, not written';

/* rates, APYs and displayed totals for the pool's current state */
CREATE FUNCTION xphere_internal.pool_with_rates(p lending_pools) RETURNS lending_pools
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	u xphere.ray;
BEGIN
	IF p.scaled_borrowed = 0 THEN
		p.borrow_rate := p.base_rate;
		p.liquidity_rate := '0';
	ELSE
		u := xphere.utilization(p.scaled_borrowed, p.borrow_index, p.cash);
		p.borrow_rate := xphere.borrow_rate(u, p.base_rate, p.slope1, p.slope2, p.optimal_utilization);
		/*
		 * Suppliers share the borrowers' interest over all they are owed:
		 * the supply usage ratio debt / (cash + deficit + debt), Aave's
		 * with the written-off deficit in the place of unbacked supply.
		 * Over the utilization alone they would also earn on the deficit,
		 * which nobody pays, and the pool would stop covering them.
		 */
		p.liquidity_rate := xphere.liquidity_rate(p.borrow_rate,
			xphere.utilization(p.scaled_borrowed, p.borrow_index, p.cash + p.deficit),
			xphere_internal.bps(p.reserve_factor));
	END IF;
	p.supply_apy := p.liquidity_rate::numeric * 100;
	p.borrow_apy := p.borrow_rate::numeric * 100;
	p.total_supplied := xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index);
	p.total_borrowed := xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index);
	RETURN p;
END $$;
COMMENT ON FUNCTION xphere_internal.pool_with_rates(lending_pools) IS 'a pool with rates, APYs and totals recomputed, not written';

/* lock a pool (after the accounts) and accrue it to now, in memory */
CREATE FUNCTION xphere_internal.accrue_pool(p_pool text) RETURNS lending_pools
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.lending_pools;
BEGIN
	SELECT * INTO p FROM xphere.lending_pools WHERE id = p_pool FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown lending pool "%"', p_pool USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN xphere_internal.pool_at(p, xphere_internal.not_before(p.last_update, 'pool ' || p.id));
END $$;
COMMENT ON FUNCTION xphere_internal.accrue_pool(text) IS
	'locks a pool and returns it accrued to xphere.now(); the caller writes it once with save_pool()';

CREATE FUNCTION xphere_internal.save_pool(p lending_pools) RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	UPDATE xphere.lending_pools x SET
		liquidity_index = p.liquidity_index, borrow_index = p.borrow_index,
		liquidity_rate = p.liquidity_rate, borrow_rate = p.borrow_rate,
		supply_apy = p.supply_apy, borrow_apy = p.borrow_apy,
		scaled_supplied = p.scaled_supplied, scaled_borrowed = p.scaled_borrowed,
		total_supplied = p.total_supplied, total_borrowed = p.total_borrowed,
		cash = p.cash, treasury_scaled = p.treasury_scaled, deficit = p.deficit,
		last_update = p.last_update, updated_at = xphere.now()
	WHERE x.id = p.id;
END $$;
COMMENT ON FUNCTION xphere_internal.save_pool(lending_pools) IS 'writes a pool''s accounting state';

/* the pool of a pool id, read-only and projected to now (for views and checks) */
CREATE FUNCTION xphere_internal.pool_now(p_pool text) RETURNS lending_pools
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.lending_pools;
BEGIN
	SELECT * INTO p FROM xphere.lending_pools x WHERE x.id = p_pool;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	RETURN xphere_internal.pool_at(p, greatest(xphere.now(), p.last_update));
END $$;
COMMENT ON FUNCTION xphere_internal.pool_now(text) IS 'a pool with its indexes projected to now, without writing';

-- health --------------------------------------------------------------------

CREATE FUNCTION xphere_internal.position_values(b borrow_positions, p lending_pools,
		price_asset wad, price_collateral wad,
		OUT debt wad, OUT collateral_value wad, OUT debt_value wad, OUT hf health_factor)
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	debt := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
	collateral_value := xphere.wad_mul_floor(b.collateral_amount, price_collateral);
	debt_value := xphere.wad_mul_ceil(debt, price_asset);
	hf := xphere.health_factor(
		xphere.percent_mul_floor(collateral_value, xphere_internal.bps(p.liquidation_threshold)),
		'1', debt_value);
END $$;
COMMENT ON FUNCTION xphere_internal.position_values(borrow_positions, lending_pools, wad, wad) IS
	'debt, collateral value, debt value and health factor of a position at the pool''s indexes';

/*
 * The stored health factor, liquidation price, risk key and flags of a
 * position at the pool's indexes and the given prices (either may be NULL
 * when none was ever set: then only the risk key and the flags follow).
 * The row is written only when one of these values changes, so a refresh
 * that finds nothing new costs no write; written tells whether it did.
 */
CREATE FUNCTION xphere_internal.store_position_health(b borrow_positions, p lending_pools, pa wad, pc wad,
		OUT hf health_factor, OUT written boolean)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v record;
	lt integer := xphere_internal.bps(p.liquidation_threshold);
	v_hf xphere.health_factor;
	v_liq_price xphere.wad;
	v_risk float8;
	v_dust boolean;
	v_notified boolean;
BEGIN
	IF pa IS NOT NULL AND pc IS NOT NULL THEN
		v := xphere_internal.position_values(b, p, pa, pc);
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
COMMENT ON FUNCTION xphere_internal.store_position_health(borrow_positions, lending_pools, wad, wad) IS
	'writes a position''s health factor, liquidation price, risk key and flags if any of them changed; returns the live health factor';

/* the same for a position by id, at the latest prices, after a change */
CREATE FUNCTION xphere_internal.refresh_position(p_position uuid, p lending_pools) RETURNS health_factor
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
	v_hf xphere.health_factor;
BEGIN
	SELECT * INTO STRICT b FROM xphere.borrow_positions WHERE id = p_position;
	SELECT s.hf INTO v_hf FROM xphere_internal.store_position_health(b, p, xphere_internal.latest_price(p.asset),
		xphere_internal.latest_price(b.collateral_asset)) s;
	RETURN v_hf;
END $$;
COMMENT ON FUNCTION xphere_internal.refresh_position(uuid, lending_pools) IS
	'recomputes a position''s stored health factor, liquidation price and risk key (written only if changed)';

CREATE FUNCTION xphere_internal.latest_price(p_asset currency) RETURNS wad
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	IF p_asset = 'USDT' THEN
		RETURN '1'::xphere.wad;
	END IF;
	RETURN (SELECT x.price_usdt FROM xphere.prices x WHERE x.asset = p_asset::text
			ORDER BY x.created_at DESC, x.id DESC LIMIT 1);
END $$;
COMMENT ON FUNCTION xphere_internal.latest_price(currency) IS 'the latest price in USDT, fresh or not; NULL if none';

CREATE FUNCTION xphere_internal.fresh_price(p_asset currency) RETURNS wad
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	RETURN xphere_internal.price(p_asset, xphere_internal.setting('price_max_age')::interval);
END $$;
COMMENT ON FUNCTION xphere_internal.fresh_price(currency) IS 'the price in USDT; XP005 if missing or older than price_max_age';

-- positions -----------------------------------------------------------------

CREATE FUNCTION xphere_internal.open_pool(p_pool text) RETURNS lending_pools
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.lending_pools;
BEGIN
	PERFORM xphere_internal.check_text(p_pool, 'pool_id', 32);
	SELECT * INTO p FROM xphere.lending_pools x WHERE x.id = p_pool;
	IF NOT FOUND OR NOT p.is_active THEN
		RAISE EXCEPTION 'unknown or inactive lending pool "%"', p_pool USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN p;
END $$;
COMMENT ON FUNCTION xphere_internal.open_pool(text) IS 'the pool row; 22023 if unknown or inactive';

/* the position and its pool, for the owner: P0002, then 42501 */
CREATE FUNCTION xphere_internal.owned_position(p_user uuid, p_position uuid) RETURNS borrow_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF p_position IS NULL THEN PERFORM xphere_internal.raise_null('position_id'); END IF;
	/* existence of the user and the position (P0002), then permission (42501) */
	PERFORM xphere_internal.require_user(p_user);
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = p_position;
	PERFORM xphere_internal.check_owner(p_user, 'borrow position', p_position, b.user_id);
	RETURN b;
END $$;
COMMENT ON FUNCTION xphere_internal.owned_position(uuid, uuid) IS 'a borrow position of the user; P0002 if missing, 42501 if another''s, XP006 if the user was deactivated';

CREATE FUNCTION supply(user_id uuid, pool_id text, amount wad) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	v_scaled xphere.wad;
	v_total xphere.wad;
	v_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	PERFORM xphere_internal.check_amount(amount);
	p := xphere_internal.open_pool(pool_id);
	PERFORM xphere_internal.authorize_user(user_id);

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
			(xphere_internal.pool_at(p, xphere_internal.not_before(p.last_update, 'pool ' || p.id))).liquidity_index) = 0 THEN
		RAISE EXCEPTION 'amount % is too small for the pool', amount USING ERRCODE = 'invalid_parameter_value';
	END IF;
	v_tx := xphere_internal.new_transaction(supply.user_id, 'LENDING_SUPPLY', amount, p.asset, 'COMPLETED', 0,
								   jsonb_build_object('pool_id', p.id));
	PERFORM xphere_internal.post(supply.user_id, p.asset, -amount, 0, v_tx);
	PERFORM xphere_internal.post(p.account_id, p.asset, amount, 0, v_tx);
	p := xphere_internal.accrue_pool(p.id);
	v_scaled := xphere.ray_div_floor(amount, p.liquidity_index);
	IF v_scaled = 0 THEN
		RAISE EXCEPTION 'amount % is too small for the pool', amount USING ERRCODE = 'invalid_parameter_value';
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
			ELSE xphere_internal.index_of(s.supplied_amount + EXCLUDED.supplied_amount,
								 s.scaled_amount + EXCLUDED.scaled_amount) END,
		updated_at = xphere.now()
	RETURNING s.scaled_amount INTO v_total;
	p.scaled_supplied := p.scaled_supplied + v_scaled;
	p.cash := p.cash + amount;
	PERFORM xphere_internal.save_pool(xphere_internal.pool_with_rates(p));
	RETURN xphere.ray_mul_floor(v_total, p.liquidity_index);
END $$;
COMMENT ON FUNCTION supply(uuid, text, wad) IS 'supplies to a pool; returns the new supplied balance';

CREATE FUNCTION withdraw_supply(user_id uuid, pool_id text, amount wad DEFAULT NULL) RETURNS wad
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
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF amount IS NOT NULL THEN PERFORM xphere_internal.check_amount(amount); END IF;
	p := xphere_internal.open_pool(pool_id);
	PERFORM xphere_internal.authorize_user(user_id);

	/* with the amount known, the ledger entry is written before the locks (see supply) */
	IF v_amount IS NOT NULL THEN
		v_tx := xphere_internal.new_transaction(withdraw_supply.user_id, 'LENDING_WITHDRAW', v_amount, p.asset,
									   'COMPLETED', 0, jsonb_build_object('pool_id', p.id));
	END IF;
	/* the user's account, then the pool's account and row (see supply) */
	PERFORM xphere_internal.lock_accounts(ARRAY[withdraw_supply.user_id], ARRAY[p.asset]);
	PERFORM xphere_internal.lock_accounts(ARRAY[p.account_id], ARRAY[p.asset]);
	p := xphere_internal.accrue_pool(p.id);
	SELECT * INTO s FROM xphere.supply_positions x
	WHERE x.user_id = withdraw_supply.user_id AND x.pool_id = p.id FOR UPDATE;
	v_balance := xphere.ray_mul_floor(coalesce(s.scaled_amount, 0), p.liquidity_index);
	IF v_amount IS NULL OR v_amount = v_balance THEN
		v_amount := v_balance;
		v_burn := coalesce(s.scaled_amount, 0);
	ELSIF v_amount > v_balance THEN
		RAISE EXCEPTION 'insufficient supplied balance' USING ERRCODE = xphere_internal.errcode('insufficient_balance'),
			DETAIL = pg_catalog.format('%s supplied, %s requested.', v_balance, v_amount);
	ELSE
		v_burn := xphere.ray_div_ceil(v_amount, p.liquidity_index);
	END IF;
	IF v_amount = 0 THEN
		RAISE EXCEPTION 'nothing supplied to withdraw' USING ERRCODE = xphere_internal.errcode('insufficient_balance');
	END IF;
	IF v_amount > p.cash THEN
		RAISE EXCEPTION 'insufficient pool liquidity' USING ERRCODE = xphere_internal.errcode('insufficient_liquidity'),
			DETAIL = pg_catalog.format('The pool has %s available, %s requested.', p.cash, v_amount);
	END IF;
	IF v_tx IS NULL THEN
		v_tx := xphere_internal.new_transaction(withdraw_supply.user_id, 'LENDING_WITHDRAW', v_amount, p.asset,
									   'COMPLETED', 0, jsonb_build_object('pool_id', p.id));
	END IF;
	PERFORM xphere_internal.post(p.account_id, p.asset, -v_amount, 0, v_tx);
	PERFORM xphere_internal.post(withdraw_supply.user_id, p.asset, v_amount, 0, v_tx);
	/* the principal keeps the share the scaled balance keeps (0 when all is withdrawn) */
	UPDATE xphere.supply_positions SET scaled_amount = scaled_amount - v_burn,
		supplied_amount = xphere_internal.prorate_wad_floor(supplied_amount, scaled_amount - v_burn, scaled_amount),
		updated_at = xphere.now()
	WHERE id = s.id;
	p.scaled_supplied := p.scaled_supplied - v_burn;
	p.cash := p.cash - v_amount;
	PERFORM xphere_internal.save_pool(xphere_internal.pool_with_rates(p));
	RETURN v_amount;
END $$;
COMMENT ON FUNCTION withdraw_supply(uuid, text, wad) IS
	'withdraws supplied funds (NULL = all); returns the amount; XP001 beyond the balance, XP002 beyond the pool''s cash';

CREATE FUNCTION supplied_balance(user_id uuid, pool_id text) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
BEGIN
	p := xphere_internal.open_pool(pool_id);
	PERFORM xphere_internal.authorize_user(user_id);
	p := xphere_internal.pool_now(p.id);
	RETURN xphere.ray_mul_floor(coalesce((SELECT s.scaled_amount FROM xphere.supply_positions s
		WHERE s.user_id = supplied_balance.user_id AND s.pool_id = p.id), 0), p.liquidity_index);
END $$;
COMMENT ON FUNCTION supplied_balance(uuid, text) IS 'supplied balance with interest to now';

/* 22023 unless a value in USDT reaches the minimum of a setting (0: none) */
CREATE FUNCTION xphere_internal.check_min_value(p_value wad, p_setting text, p_what text) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_min xphere.wad := xphere_internal.setting(p_setting)::xphere.wad;
BEGIN
	IF p_value < v_min THEN
		RAISE EXCEPTION '% is below the minimum position size', p_what USING ERRCODE = 'invalid_parameter_value',
			DETAIL = pg_catalog.format('It is worth %s USDT; %s is %s USDT.', p_value, p_setting, v_min);
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.check_min_value(wad, text, text) IS
	'22023 if a value in USDT is below the minimum set by min_borrow_usdt or min_collateral_usdt';

CREATE FUNCTION borrow(user_id uuid, pool_id text, amount wad, collateral_asset currency,
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
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	PERFORM xphere_internal.check_amount(amount);
	IF collateral_asset IS NULL THEN PERFORM xphere_internal.raise_null('collateral_asset'); END IF;
	PERFORM xphere_internal.check_amount(collateral_amount, 'collateral_amount');
	p := xphere_internal.open_pool(pool_id);
	IF collateral_asset = p.asset THEN
		RAISE EXCEPTION 'collateral must differ from the borrowed asset %', p.asset
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM xphere_internal.authorize_user(user_id);
	pa := xphere_internal.fresh_price(p.asset);
	pc := xphere_internal.fresh_price(collateral_asset);

	/* the ledger entries need no lock: written before the pool's (see supply) */
	v_tx := xphere_internal.new_transaction(borrow.user_id, 'BORROW', amount, p.asset, 'COMPLETED', 0,
		jsonb_build_object('pool_id', p.id, 'position_id', v_id,
						   'collateral_asset', collateral_asset, 'collateral_amount', collateral_amount));
	v_ctx := xphere_internal.new_transaction(borrow.user_id, 'COLLATERAL_DEPOSIT', collateral_amount, collateral_asset,
		'COMPLETED', 0, jsonb_build_object('position_id', v_id, 'collateral', 'locked'));
	/*
	 * The minimum position size (22023), an argument error: debt and
	 * collateral value at the fresh prices, the debt at the pool's index
	 * projected to now, and again under the lock.  Then the user's side,
	 * which needs no pool lock: the collateral locked (XP001 if the user
	 * does not have it) and the amount credited; then the pool's account
	 * and row, held to the commit by every call on the pool (see supply).
	 */
	p := xphere_internal.pool_at(p, xphere_internal.not_before(p.last_update, 'pool ' || p.id));
	v_debt := xphere.ray_mul_ceil(xphere.ray_div_ceil(amount, p.borrow_index), p.borrow_index);
	PERFORM xphere_internal.check_min_value(xphere.wad_mul_ceil(v_debt, pa), 'min_borrow_usdt',
		pg_catalog.format('a debt of %s %s', v_debt, p.asset));
	PERFORM xphere_internal.check_min_value(xphere.wad_mul_floor(collateral_amount, pc), 'min_collateral_usdt',
		pg_catalog.format('a collateral of %s %s', collateral_amount, collateral_asset));
	PERFORM xphere_internal.lock_accounts(ARRAY[borrow.user_id, borrow.user_id], ARRAY[p.asset, collateral_asset]);
	PERFORM xphere_internal.post(borrow.user_id, collateral_asset, -collateral_amount, collateral_amount, v_ctx);
	PERFORM xphere_internal.post(borrow.user_id, p.asset, amount, 0, v_tx);
	PERFORM xphere_internal.lock_accounts(ARRAY[p.account_id], ARRAY[p.asset]);
	p := xphere_internal.accrue_pool(p.id);
	v_scaled := xphere.ray_div_ceil(amount, p.borrow_index);
	v_debt := xphere.ray_mul_ceil(v_scaled, p.borrow_index);
	PERFORM xphere_internal.check_min_value(xphere.wad_mul_ceil(v_debt, pa), 'min_borrow_usdt',
		pg_catalog.format('a debt of %s %s', v_debt, p.asset));
	IF amount > p.cash THEN
		RAISE EXCEPTION 'insufficient pool liquidity' USING ERRCODE = xphere_internal.errcode('insufficient_liquidity'),
			DETAIL = pg_catalog.format('The pool has %s available, %s requested.', p.cash, amount);
	END IF;
	IF xphere.wad_mul_floor(collateral_amount, pc)
		< xphere.percent_div_ceil(xphere.wad_mul_ceil(v_debt, pa), xphere_internal.bps(p.ltv_ratio)) THEN
		RAISE EXCEPTION 'borrow exceeds the loan-to-value limit' USING ERRCODE = xphere_internal.errcode('unhealthy'),
			DETAIL = pg_catalog.format('Collateral worth %s USDT allows %s USDT of debt at LTV %s; the debt would be worth %s.',
				xphere.wad_mul_floor(collateral_amount, pc),
				xphere.percent_mul_floor(xphere.wad_mul_floor(collateral_amount, pc), xphere_internal.bps(p.ltv_ratio)),
				p.ltv_ratio, xphere.wad_mul_ceil(v_debt, pa));
	END IF;
	PERFORM xphere_internal.post(p.account_id, p.asset, -amount, 0, v_tx);
	INSERT INTO xphere.borrow_positions (id, user_id, pool_id, borrowed_amount, scaled_debt,
		collateral_asset, collateral_amount, entry_index)
	VALUES (v_id, borrow.user_id, p.id, amount, v_scaled, collateral_asset, collateral_amount,
		p.borrow_index);
	p.scaled_borrowed := p.scaled_borrowed + v_scaled;
	p.cash := p.cash - amount;
	p := xphere_internal.pool_with_rates(p);
	PERFORM xphere_internal.save_pool(p);
	PERFORM xphere_internal.refresh_position(v_id, p);
	RETURN v_id;
END $$;
COMMENT ON FUNCTION borrow(uuid, text, wad, currency, wad) IS
	'borrows from a pool against collateral locked in the borrower''s account; XP003 beyond the LTV, 22023 below min_borrow_usdt or min_collateral_usdt';

CREATE FUNCTION repay(user_id uuid, position_id uuid, amount wad DEFAULT NULL) RETURNS wad
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
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF amount IS NOT NULL THEN PERFORM xphere_internal.check_amount(amount); END IF;
	b := xphere_internal.owned_position(user_id, position_id);
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', position_id, b.status USING ERRCODE = xphere_internal.errcode('wrong_state');
	END IF;
	p := xphere_internal.open_pool(b.pool_id);

	/* the user's accounts, then the pool's account and row (see supply) */
	PERFORM xphere_internal.lock_accounts(ARRAY[repay.user_id, repay.user_id], ARRAY[p.asset, b.collateral_asset]);
	PERFORM xphere_internal.lock_accounts(ARRAY[p.account_id], ARRAY[p.asset]);
	p := xphere_internal.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions WHERE id = b.id FOR UPDATE;
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', position_id, b.status USING ERRCODE = xphere_internal.errcode('wrong_state');
	END IF;
	v_debt := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
	IF v_amount IS NULL OR v_amount >= v_debt THEN
		v_amount := v_debt;
		v_burn := b.scaled_debt;
	ELSE
		v_burn := xphere.ray_div_floor(v_amount, p.borrow_index);
		IF v_burn = 0 THEN
			RAISE EXCEPTION 'amount % is too small to repay anything', amount USING ERRCODE = 'invalid_parameter_value';
		END IF;
		/*
		 * A partial repayment leaves at least min_borrow_usdt of debt, at
		 * the latest price (repaying never waits for a fresh one); a loan
		 * already below it can only be repaid in full.
		 */
		v_left := xphere.ray_mul_ceil(b.scaled_debt - v_burn, p.borrow_index);
		PERFORM xphere_internal.check_min_value(
			xphere.wad_mul_ceil(v_left, coalesce(xphere_internal.latest_price(p.asset), '0')),
			'min_borrow_usdt', pg_catalog.format('the debt left, %s %s,', v_left, p.asset));
	END IF;
	v_tx := xphere_internal.new_transaction(repay.user_id, 'REPAY', v_amount, p.asset, 'COMPLETED', 0,
		jsonb_build_object('pool_id', p.id, 'position_id', b.id, 'scaled', v_burn));
	PERFORM xphere_internal.post(repay.user_id, p.asset, -v_amount, 0, v_tx);
	PERFORM xphere_internal.post(p.account_id, p.asset, v_amount, 0, v_tx);
	IF v_burn = b.scaled_debt THEN
		/* repaid in full: the collateral returns to available */
		v_tx := xphere_internal.new_transaction(repay.user_id, 'COLLATERAL_WITHDRAW', b.collateral_amount, b.collateral_asset,
			'COMPLETED', 0, jsonb_build_object('position_id', b.id, 'collateral', 'released'));
		PERFORM xphere_internal.post(repay.user_id, b.collateral_asset, b.collateral_amount,
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
	p := xphere_internal.pool_with_rates(p);
	PERFORM xphere_internal.save_pool(p);
	IF v_burn <> b.scaled_debt THEN
		PERFORM xphere_internal.refresh_position(b.id, p);
	END IF;
	RETURN v_amount;
END $$;
COMMENT ON FUNCTION repay(uuid, uuid, wad) IS
	'repays debt (NULL or more than the debt = all of it, returning what was owed); full repayment releases the collateral; a partial one leaves at least min_borrow_usdt';

CREATE FUNCTION xphere_internal.change_collateral(p_user uuid, p_position uuid, p_amount wad, p_add boolean)
	RETURNS health_factor
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	v record;
	v_tx uuid;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	PERFORM xphere_internal.check_amount(p_amount);
	b := xphere_internal.owned_position(p_user, p_position);
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', p_position, b.status USING ERRCODE = xphere_internal.errcode('wrong_state');
	END IF;
	p := xphere_internal.open_pool(b.pool_id);
	IF NOT p_add THEN
		IF p_amount > b.collateral_amount THEN
			RAISE EXCEPTION 'the position holds only % collateral', b.collateral_amount
				USING ERRCODE = xphere_internal.errcode('insufficient_balance');
		END IF;
		PERFORM xphere_internal.fresh_price(p.asset);
		PERFORM xphere_internal.fresh_price(b.collateral_asset);
	END IF;

	PERFORM xphere_internal.lock_accounts(ARRAY[p_user], ARRAY[b.collateral_asset]);
	p := xphere_internal.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions WHERE id = b.id FOR UPDATE;
	/* the checks again under the lock: a concurrent call may have changed the position */
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', p_position, b.status USING ERRCODE = xphere_internal.errcode('wrong_state');
	END IF;
	IF NOT p_add AND p_amount > b.collateral_amount THEN
		RAISE EXCEPTION 'the position holds only % collateral', b.collateral_amount
			USING ERRCODE = xphere_internal.errcode('insufficient_balance');
	END IF;
	v_tx := xphere_internal.new_transaction(p_user,
		CASE WHEN p_add THEN 'COLLATERAL_DEPOSIT' ELSE 'COLLATERAL_WITHDRAW' END::xphere.transaction_type,
		p_amount, b.collateral_asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'collateral',
						   CASE WHEN p_add THEN 'added' ELSE 'removed' END));
	IF p_add THEN
		PERFORM xphere_internal.post(p_user, b.collateral_asset, -p_amount, p_amount, v_tx);
		b.collateral_amount := b.collateral_amount + p_amount;
	ELSE
		b.collateral_amount := b.collateral_amount - p_amount;
		v := xphere_internal.position_values(b, p, xphere_internal.fresh_price(p.asset),
									xphere_internal.fresh_price(b.collateral_asset));
		/* the collateral left is worth at least min_collateral_usdt (22023) */
		PERFORM xphere_internal.check_min_value(v.collateral_value, 'min_collateral_usdt',
			pg_catalog.format('the collateral left, %s %s,', b.collateral_amount, b.collateral_asset));
		IF v.hf < 1 THEN
			RAISE EXCEPTION 'removing % collateral would leave health factor %', p_amount, v.hf
				USING ERRCODE = xphere_internal.errcode('unhealthy');
		END IF;
		PERFORM xphere_internal.post(p_user, b.collateral_asset, p_amount, -p_amount, v_tx);
	END IF;
	UPDATE xphere.borrow_positions SET collateral_amount = b.collateral_amount WHERE id = b.id;
	RETURN xphere_internal.refresh_position(b.id, p);
END $$;
COMMENT ON FUNCTION xphere_internal.change_collateral(uuid, uuid, wad, boolean) IS 'adds or removes collateral of a position';

CREATE FUNCTION add_collateral(user_id uuid, position_id uuid, amount wad) RETURNS health_factor
	LANGUAGE sql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp
	RETURN xphere_internal.change_collateral(user_id, position_id, amount, true);
COMMENT ON FUNCTION add_collateral(uuid, uuid, wad) IS 'locks more collateral; returns the new health factor';

CREATE FUNCTION remove_collateral(user_id uuid, position_id uuid, amount wad) RETURNS health_factor
	LANGUAGE sql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp
	RETURN xphere_internal.change_collateral(user_id, position_id, amount, false);
COMMENT ON FUNCTION remove_collateral(uuid, uuid, wad) IS
	'releases collateral if the health factor stays >= 1 and min_collateral_usdt is left (fresh prices needed); returns it';

CREATE FUNCTION debt(position_id uuid) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
BEGIN
	IF position_id IS NULL THEN PERFORM xphere_internal.raise_null('position_id'); END IF;
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = position_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'borrow position % does not exist', position_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_user(b.user_id);
	RETURN xphere.ray_mul_ceil(b.scaled_debt, (xphere_internal.pool_now(b.pool_id)).borrow_index);
END $$;
COMMENT ON FUNCTION debt(uuid) IS 'the debt of a position with interest to now';

CREATE FUNCTION position_health(position_id uuid) RETURNS health_factor
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	pa xphere.wad;
	pc xphere.wad;
BEGIN
	IF position_id IS NULL THEN PERFORM xphere_internal.raise_null('position_id'); END IF;
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = position_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'borrow position % does not exist', position_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_user(b.user_id);
	IF b.scaled_debt = 0 THEN
		RETURN 'infinity';
	END IF;
	p := xphere_internal.pool_now(b.pool_id);
	pa := xphere_internal.latest_price(p.asset);
	pc := xphere_internal.latest_price(b.collateral_asset);
	IF pa IS NULL OR pc IS NULL THEN
		RAISE EXCEPTION 'no price for % or %', p.asset, b.collateral_asset USING ERRCODE = xphere_internal.errcode('stale_price');
	END IF;
	RETURN (xphere_internal.position_values(b, p, pa, pc)).hf;
END $$;
COMMENT ON FUNCTION position_health(uuid) IS 'the live health factor, at the latest prices and today''s borrow index';

-- liquidation -----------------------------------------------------------------

/*
 * The positions of one pool and collateral asset whose exact health factor
 * is below 1, with it: the risk_key index gives the candidates (a range
 * scan, plus the dust positions), the rounded health factor confirms them.
 */
CREATE FUNCTION xphere_internal.liquidatable_in(p lending_pools, p_collateral currency) RETURNS SETOF borrow_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	pa xphere.wad := xphere_internal.latest_price(p.asset);
	pc xphere.wad := xphere_internal.latest_price(p_collateral);
	lt integer := xphere_internal.bps(p.liquidation_threshold);
	v_threshold float8;
BEGIN
	IF pa IS NULL OR pc IS NULL THEN
		RETURN;
	END IF;
	/* HF < 1 about when risk_key > pc / (BI * pa); the margin covers float rounding */
	v_threshold := pc::numeric::float8 / (p.borrow_index::numeric::float8 * pa::numeric::float8)
		* (1 - 1e-9);
	/* the stored row with the live health factor in its place (columns in table order) */
	RETURN QUERY
		SELECT b.id, b.user_id, b.pool_id, b.borrowed_amount, b.scaled_debt, b.collateral_asset,
			b.collateral_amount, h.hf, b.liquidation_price, b.status, b.created_at, b.updated_at,
			b.risk_key, b.dust, b.liquidatable_notified, b.entry_index
		FROM xphere.borrow_positions b
		CROSS JOIN LATERAL (SELECT xphere.health_factor(
			xphere.percent_mul_floor(xphere.wad_mul_floor(b.collateral_amount, pc), lt), '1',
			xphere.wad_mul_ceil(xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index), pa)) AS hf) h
		WHERE b.pool_id = p.id AND b.collateral_asset = p_collateral AND b.status = 'OPEN'
		  AND (b.risk_key > v_threshold OR b.dust)
		  AND h.hf < 1
		ORDER BY b.id;
END $$;
COMMENT ON FUNCTION xphere_internal.liquidatable_in(lending_pools, currency) IS
	'liquidatable positions of a pool and collateral asset, with their live health factor';

CREATE FUNCTION liquidatable_positions(pool_id text DEFAULT NULL) RETURNS SETOF borrow_positions
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	c xphere.currency;
BEGIN
	IF pool_id IS NOT NULL THEN
		PERFORM xphere_internal.check_text(pool_id, 'pool_id', 32);
		IF NOT EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.id = pool_id) THEN
			RAISE EXCEPTION 'unknown lending pool "%"', pool_id USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	FOR p IN SELECT * FROM xphere.lending_pools x
			 WHERE liquidatable_positions.pool_id IS NULL OR x.id = liquidatable_positions.pool_id
			 ORDER BY x.id
	LOOP
		p := xphere_internal.pool_at(p, greatest(xphere.now(), p.last_update));
		FOREACH c IN ARRAY enum_range(NULL::xphere.currency) LOOP
			CONTINUE WHEN c = p.asset;
			/* a platform user sees only their own positions (as under RLS) */
			RETURN QUERY SELECT * FROM xphere_internal.liquidatable_in(p, c) l
				WHERE l.user_id = xphere.current_user_id() OR xphere.sees_all_users();
		END LOOP;
	END LOOP;
END $$;
COMMENT ON FUNCTION liquidatable_positions(text) IS
	'open positions whose live health factor (shown) is below 1, found through the risk_key index; a session acting for one user sees only that user''s';

/*
 * The liquidation itself, for a liquidator already checked (or the house,
 * when tick() liquidates): prices, locks, amounts, money, position, pool,
 * and an event.
 */
CREATE FUNCTION xphere_internal.liquidate_position(liquidator_id uuid, position_id uuid, debt_to_cover wad,
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
	p := xphere_internal.open_pool(b.pool_id);
	pa := xphere_internal.fresh_price(p.asset);
	pc := xphere_internal.fresh_price(b.collateral_asset);

	/* the users' accounts, then the pool's account and row (see supply) */
	PERFORM xphere_internal.lock_accounts(ARRAY[liquidator_id, liquidator_id, b.user_id],
		ARRAY[p.asset, b.collateral_asset, b.collateral_asset]);
	PERFORM xphere_internal.lock_accounts(ARRAY[p.account_id], ARRAY[p.asset]);
	p := xphere_internal.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = b.id FOR UPDATE;
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'position is not liquidatable' USING ERRCODE = xphere_internal.errcode('not_liquidatable');
	END IF;
	v_debt := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
	a := xphere.liquidation_amounts(v_debt, b.collateral_amount, pa, pc,
		xphere_internal.bps(p.liquidation_threshold), xphere_internal.bps(p.liquidation_bonus),
		p.close_factor_min_base, p.min_leftover_base, debt_to_cover);

	v_burn := CASE WHEN a.debt_repaid = v_debt THEN b.scaled_debt
				   ELSE least(xphere.ray_div_floor(a.debt_repaid, p.borrow_index), b.scaled_debt) END;
	v_tx := xphere_internal.new_transaction(liquidator_id, 'LIQUIDATION', a.debt_repaid, p.asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'role', 'liquidator',
						   'collateral_seized', a.collateral_seized, 'collateral_asset', b.collateral_asset));
	v_btx := xphere_internal.new_transaction(b.user_id, 'LIQUIDATION', a.collateral_seized, b.collateral_asset,
		'COMPLETED', 0, jsonb_build_object('position_id', b.id, 'role', 'borrower',
										   'debt_repaid', a.debt_repaid, 'liquidator', liquidator_id));
	PERFORM xphere_internal.post(liquidator_id, p.asset, -a.debt_repaid, 0, v_tx);
	PERFORM xphere_internal.post(p.account_id, p.asset, a.debt_repaid, 0, v_tx);
	PERFORM xphere_internal.post(b.user_id, b.collateral_asset, 0, -a.collateral_seized, v_btx);
	v_ltx := xphere_internal.new_transaction(liquidator_id, 'LIQUIDATION', a.collateral_seized,
		b.collateral_asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'role', 'liquidator', 'collateral', 'received'));
	PERFORM xphere_internal.post(liquidator_id, b.collateral_asset, a.collateral_seized, 0, v_ltx);

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
		PERFORM xphere_internal.post(b.user_id, b.collateral_asset, b.collateral_amount,
							-b.collateral_amount, v_btx);
		b.collateral_amount := 0;
	END IF;
	UPDATE xphere.borrow_positions SET scaled_debt = b.scaled_debt,
		collateral_amount = b.collateral_amount,
		status = CASE WHEN b.scaled_debt = 0 THEN 'LIQUIDATED'::xphere.position_status ELSE status END
	WHERE id = b.id;
	p := xphere_internal.pool_with_rates(p);
	PERFORM xphere_internal.save_pool(p);
	IF b.scaled_debt > 0 THEN
		PERFORM xphere_internal.refresh_position(b.id, p);
	ELSE
		UPDATE xphere.borrow_positions SET health_factor = 'infinity', liquidation_price = NULL,
			risk_key = 0 WHERE id = b.id;
	END IF;
	PERFORM xphere_internal.emit_event('liquidation', jsonb_build_object('position_id', b.id,
		'pool_id', p.id, 'borrower', b.user_id, 'liquidator', liquidator_id,
		'debt_repaid', a.debt_repaid, 'collateral_seized', a.collateral_seized,
		'collateral_asset', b.collateral_asset, 'bad_debt', v_bad));
	debt_repaid := a.debt_repaid;
	collateral_seized := a.collateral_seized;
END $$;
COMMENT ON FUNCTION xphere_internal.liquidate_position(uuid, uuid, wad) IS
	'liquidates a position for an already authorised liquidator (internal; see liquidate())';


CREATE FUNCTION liquidate(liquidator_id uuid, position_id uuid, debt_to_cover wad DEFAULT NULL)
	RETURNS TABLE (debt_repaid wad, collateral_seized wad)
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
BEGIN
	IF liquidator_id IS NULL THEN PERFORM xphere_internal.raise_null('liquidator_id'); END IF;
	IF position_id IS NULL THEN PERFORM xphere_internal.raise_null('position_id'); END IF;
	IF debt_to_cover IS NOT NULL THEN PERFORM xphere_internal.check_amount(debt_to_cover, 'debt_to_cover'); END IF;
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = position_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'borrow position % does not exist', position_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_user(liquidator_id, 'liquidator_id');
	IF liquidator_id = b.user_id THEN
		RAISE EXCEPTION 'a borrower cannot liquidate their own position' USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'position is not liquidatable' USING ERRCODE = xphere_internal.errcode('not_liquidatable'),
			DETAIL = pg_catalog.format('The position is %s.', b.status);
	END IF;
	RETURN QUERY SELECT * FROM xphere_internal.liquidate_position(liquidator_id, position_id, debt_to_cover);
END $$;
COMMENT ON FUNCTION liquidate(uuid, uuid, wad) IS
	'repays part or all of an unhealthy position''s debt for its collateral plus the bonus; bad debt goes to the pool''s deficit';

/*
 * What the stored health factors of a pool's positions against one
 * collateral asset were last brought up to date with: while the borrow
 * index, both prices and the liquidation threshold stay the same, no
 * stored value can change (an action on a position refreshes that
 * position itself), so refresh_positions_at_risk() skips the pair without
 * reading a position.  A cache: an empty table only costs one full pass.
 */
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

/*
 * After a price or index move: refresh the stored health factor of every
 * position at risk (live HF below 1.1, found through the risk_key index)
 * and of every position still stored as below 1, so the partial index on
 * health_factor < 1 holds exactly the positions that were last seen
 * liquidatable.  Nothing moved since the last pass (risk_refresh_marks):
 * nothing is read; otherwise a position is written only when one of its
 * stored values changes.  Returns how many positions were written.
 */
CREATE FUNCTION refresh_positions_at_risk(p_pool text DEFAULT NULL) RETURNS integer
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
		p := xphere_internal.pool_at(p, greatest(xphere.now(), p.last_update));
		pa := xphere_internal.latest_price(p.asset);
		FOREACH c IN ARRAY enum_range(NULL::xphere.currency) LOOP
			CONTINUE WHEN c = p.asset;
			pc := xphere_internal.latest_price(c);
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
				IF (xphere_internal.store_position_health(v_pos, p, pa, pc)).written THEN
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

-- administration ----------------------------------------------------------------

CREATE FUNCTION xphere_internal.pool_keys() RETURNS text[]
	LANGUAGE sql IMMUTABLE
	RETURN ARRAY['ltv_ratio', 'liquidation_threshold', 'liquidation_bonus', 'reserve_factor',
				 'base_rate', 'slope1', 'slope2', 'optimal_utilization',
				 'close_factor_min_base', 'min_leftover_base', 'is_active'];
COMMENT ON FUNCTION xphere_internal.pool_keys() IS 'the parameters of a lending pool';

CREATE FUNCTION xphere_internal.param_fraction(params jsonb, key text) RETURNS numeric
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t text := xphere_internal.param_text(params, key);
	v numeric;
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		v := t::numeric;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'parameter "%" is not a number: "%"', key, left(t, 100) USING ERRCODE = 'invalid_parameter_value';
	END;
	IF v < 0 OR v > 1 OR v <> round(v, 4) THEN
		RAISE EXCEPTION 'parameter "%" must be a fraction between 0 and 1 with at most four decimals', key
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION xphere_internal.param_fraction(jsonb, text) IS 'a pool percentage (0 to 1, four decimals); 22023 otherwise';

CREATE FUNCTION xphere_internal.param_ray(params jsonb, key text) RETURNS ray
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t text := xphere_internal.param_text(params, key);
	v xphere.ray;
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		v := t::xphere.ray;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'parameter "%" is not a valid rate: "%"', key, left(t, 100) USING ERRCODE = 'invalid_parameter_value';
	END;
	IF v < '0' OR v > '10' THEN
		RAISE EXCEPTION 'parameter "%" must be a rate between 0 and 10 per year', key USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION xphere_internal.param_ray(jsonb, text) IS 'a per-year rate as ray (0 to 10); 22023 otherwise';

/* a pool row with the given parameters applied and the whole set validated */
CREATE FUNCTION xphere_internal.apply_pool_params(p lending_pools, params jsonb) RETURNS lending_pools
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	k text;
BEGIN
	PERFORM xphere_internal.check_param_keys(params, xphere_internal.pool_keys());
	/* every pool parameter has a value: a JSON null is invalid, not "unchanged" */
	FOR k IN SELECT e.key FROM jsonb_each(params) e WHERE jsonb_typeof(e.value) = 'null' LOOP
		RAISE EXCEPTION 'parameter "%" must not be null', k USING ERRCODE = 'invalid_parameter_value';
	END LOOP;
	p.ltv_ratio := coalesce(xphere_internal.param_fraction(params, 'ltv_ratio'), p.ltv_ratio);
	p.liquidation_threshold := coalesce(xphere_internal.param_fraction(params, 'liquidation_threshold'),
										p.liquidation_threshold);
	p.liquidation_bonus := coalesce(xphere_internal.param_fraction(params, 'liquidation_bonus'), p.liquidation_bonus);
	p.reserve_factor := coalesce(xphere_internal.param_fraction(params, 'reserve_factor'), p.reserve_factor);
	p.base_rate := coalesce(xphere_internal.param_ray(params, 'base_rate'), p.base_rate);
	p.slope1 := coalesce(xphere_internal.param_ray(params, 'slope1'), p.slope1);
	p.slope2 := coalesce(xphere_internal.param_ray(params, 'slope2'), p.slope2);
	p.optimal_utilization := coalesce(xphere_internal.param_ray(params, 'optimal_utilization'),
									  p.optimal_utilization);
	p.close_factor_min_base := coalesce(xphere_internal.param_wad(params, 'close_factor_min_base', 0),
										p.close_factor_min_base);
	p.min_leftover_base := coalesce(xphere_internal.param_wad(params, 'min_leftover_base', 0), p.min_leftover_base);
	p.is_active := coalesce(xphere_internal.param_bool(params, 'is_active'), p.is_active);
	IF NOT (p.ltv_ratio > 0 AND p.ltv_ratio < p.liquidation_threshold) THEN
		RAISE EXCEPTION 'ltv_ratio must be above 0 and below liquidation_threshold' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p.liquidation_threshold * (1 + p.liquidation_bonus) > 1 THEN
		RAISE EXCEPTION 'liquidation_threshold x (1 + liquidation_bonus) must not exceed 1'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p.reserve_factor >= 1 THEN
		RAISE EXCEPTION 'reserve_factor must be below 1' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NOT (p.optimal_utilization > '0' AND p.optimal_utilization < '1') THEN
		RAISE EXCEPTION 'optimal_utilization must be strictly between 0 and 1' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF p.slope1 > p.slope2 THEN
		RAISE EXCEPTION 'slope1 must not exceed slope2' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN p;
END $$;
COMMENT ON FUNCTION xphere_internal.apply_pool_params(lending_pools, jsonb) IS 'validates pool parameters onto a pool row';

CREATE FUNCTION xphere_internal.pool_params(p lending_pools) RETURNS jsonb
	LANGUAGE sql IMMUTABLE
	RETURN jsonb_build_object('asset', p.asset, 'ltv_ratio', p.ltv_ratio,
		'liquidation_threshold', p.liquidation_threshold, 'liquidation_bonus', p.liquidation_bonus,
		'reserve_factor', p.reserve_factor, 'base_rate', p.base_rate::text, 'slope1', p.slope1::text,
		'slope2', p.slope2::text, 'optimal_utilization', p.optimal_utilization::text,
		'close_factor_min_base', p.close_factor_min_base::text,
		'min_leftover_base', p.min_leftover_base::text, 'is_active', p.is_active);
COMMENT ON FUNCTION xphere_internal.pool_params(lending_pools) IS 'a pool''s parameters as jsonb, for the audit log';

CREATE FUNCTION create_pool(pool_id text, asset text, params jsonb DEFAULT '{}') RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
BEGIN
	PERFORM xphere_internal.check_text(pool_id, 'pool_id', 32);
	PERFORM xphere_internal.check_text(asset, 'asset', 10);
	IF params IS NULL THEN PERFORM xphere_internal.raise_null('params'); END IF;
	IF pool_id !~ '^[a-z0-9][a-z0-9_-]{0,31}$' THEN
		RAISE EXCEPTION 'invalid pool id "%"', pool_id USING ERRCODE = 'invalid_parameter_value',
			HINT = 'A pool id is 1 to 32 lower-case letters, digits, "_" or "-".';
	END IF;
	IF asset NOT IN (SELECT unnest(enum_range(NULL::xphere.currency))::text) THEN
		RAISE EXCEPTION 'unknown asset "%"', asset USING ERRCODE = 'invalid_parameter_value';
	END IF;
	/* the defaults of a new pool, then the given parameters */
	SELECT * INTO p FROM (SELECT (NULL::xphere.lending_pools).*) x;
	p.ltv_ratio := 0.7500; p.liquidation_threshold := 0.8000; p.liquidation_bonus := 0.0500;
	p.reserve_factor := 0.1000; p.base_rate := '0.04'; p.slope1 := '0.09'; p.slope2 := '0.75';
	p.optimal_utilization := '0.80'; p.close_factor_min_base := 2000; p.min_leftover_base := 1000;
	p.is_active := true;
	p := xphere_internal.apply_pool_params(p, params);
	PERFORM xphere_internal.authorize_admin();
	IF EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.id = create_pool.pool_id) THEN
		RAISE EXCEPTION 'lending pool "%" already exists', pool_id USING ERRCODE = 'unique_violation';
	END IF;
	IF EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.asset = create_pool.asset::xphere.currency) THEN
		RAISE EXCEPTION 'a lending pool for % already exists', asset USING ERRCODE = 'unique_violation';
	END IF;
	INSERT INTO xphere.lending_pools (id, asset, account_id, ltv_ratio, liquidation_threshold,
		liquidation_bonus, reserve_factor, base_rate, slope1, slope2, optimal_utilization,
		close_factor_min_base, min_leftover_base, is_active, borrow_rate, borrow_apy, last_update)
	VALUES (create_pool.pool_id, create_pool.asset::xphere.currency,
		xphere_internal.create_pool_account(create_pool.pool_id), p.ltv_ratio, p.liquidation_threshold,
		p.liquidation_bonus, p.reserve_factor, p.base_rate, p.slope1, p.slope2, p.optimal_utilization,
		p.close_factor_min_base, p.min_leftover_base, p.is_active, p.base_rate,
		p.base_rate::numeric * 100, xphere.now());
	SELECT * INTO p FROM xphere.lending_pools x WHERE x.id = create_pool.pool_id;
	PERFORM xphere_internal.audit('create_pool', 'lending_pool', pool_id, NULL, xphere_internal.pool_params(p));
END $$;
COMMENT ON FUNCTION create_pool(text, text, jsonb) IS 'creates a lending pool for an asset; audited';

CREATE FUNCTION update_pool(pool_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	old xphere.lending_pools;
	p xphere.lending_pools;
BEGIN
	PERFORM xphere_internal.check_text(pool_id, 'pool_id', 32);
	PERFORM xphere_internal.check_param_keys(params, xphere_internal.pool_keys());
	IF NOT EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.id = update_pool.pool_id) THEN
		RAISE EXCEPTION 'unknown lending pool "%"', pool_id USING ERRCODE = 'invalid_parameter_value';
	END IF;
	/* validate before locking anything */
	SELECT * INTO old FROM xphere.lending_pools x WHERE x.id = update_pool.pool_id;
	PERFORM xphere_internal.apply_pool_params(old, params);
	PERFORM xphere_internal.authorize_admin();
	/* accrue at the old rates up to now, then apply */
	old := xphere_internal.accrue_pool(pool_id);
	p := xphere_internal.pool_with_rates(xphere_internal.apply_pool_params(old, params));
	UPDATE xphere.lending_pools x SET ltv_ratio = p.ltv_ratio,
		liquidation_threshold = p.liquidation_threshold, liquidation_bonus = p.liquidation_bonus,
		reserve_factor = p.reserve_factor, base_rate = p.base_rate, slope1 = p.slope1,
		slope2 = p.slope2, optimal_utilization = p.optimal_utilization,
		close_factor_min_base = p.close_factor_min_base, min_leftover_base = p.min_leftover_base,
		is_active = p.is_active
	WHERE x.id = p.id;
	PERFORM xphere_internal.save_pool(p);
	PERFORM xphere_internal.audit('update_pool', 'lending_pool', pool_id, xphere_internal.pool_params(old),
						 xphere_internal.pool_params(p));
	IF p.liquidation_threshold <> old.liquidation_threshold THEN
		UPDATE xphere.borrow_positions b SET risk_key = CASE WHEN b.collateral_amount > 0
			THEN b.scaled_debt::numeric::float8
				/ (b.collateral_amount::numeric::float8 * xphere_internal.bps(p.liquidation_threshold) / 10000)
			ELSE 'Infinity' END
		WHERE b.pool_id = p.id AND b.status = 'OPEN';
		PERFORM xphere.refresh_positions_at_risk(p.id);
	END IF;
END $$;
COMMENT ON FUNCTION update_pool(text, jsonb) IS
	'changes a pool''s parameters after accruing at the old rates; audited';

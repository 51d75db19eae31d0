/*
 * The lending tables and transaction types as the ERD names them
 * (sql/install/platform/base.sql, sql/install/lending/pools.sql): the labels LENDING_SUPPLY and
 * LENDING_WITHDRAW, collateral moves under COLLATERAL_DEPOSIT and
 * COLLATERAL_WITHDRAW; supply_positions.supplied_amount, xpx_balance and
 * entry_index, borrow_positions.entry_index; the default rate curve on
 * which the ERD's seed pair (8.5% supply, 12.5% borrow) lies; the ERD's
 * index on health_factor.
 */

/*
 * Renamed labels keep their place, so every entry of 0.1.0 reads with the
 * new name.  The new labels come last; they cannot be used before this
 * transaction commits, so entries written by 0.1.0 for collateral keep
 * their type (BORROW or REPAY with metadata "collateral").
 */
ALTER TYPE transaction_type RENAME VALUE 'SUPPLY' TO 'LENDING_SUPPLY';
ALTER TYPE transaction_type RENAME VALUE 'WITHDRAW_SUPPLY' TO 'LENDING_WITHDRAW';
ALTER TYPE transaction_type ADD VALUE 'COLLATERAL_DEPOSIT';
ALTER TYPE transaction_type ADD VALUE 'COLLATERAL_WITHDRAW';
COMMENT ON TYPE transaction_type IS
	'what a ledger entry records; collateral locked or released by 0.1.0 was booked as BORROW or REPAY (metadata "collateral")';

-- the default curve ----------------------------------------------------------------

ALTER TABLE lending_pools ALTER COLUMN base_rate SET DEFAULT '0.04';
ALTER TABLE lending_pools ALTER COLUMN slope1 SET DEFAULT '0.09';

-- positions ----------------------------------------------------------------

ALTER TABLE supply_positions ADD COLUMN supplied_amount wad NOT NULL DEFAULT 0 CHECK (supplied_amount >= 0);
ALTER TABLE supply_positions ADD COLUMN xpx_balance wad GENERATED ALWAYS AS (scaled_amount) STORED;
ALTER TABLE supply_positions ADD COLUMN entry_index ray NOT NULL DEFAULT '1';
COMMENT ON COLUMN supply_positions.scaled_amount IS
	'the scaled balance (the truth): the balance is scaled_amount x liquidity index, rounded down';
COMMENT ON COLUMN supply_positions.supplied_amount IS
	'principal: + amount on supply; a withdrawal keeps the share of it the scaled balance keeps (rounded down); 0 when all is withdrawn';
COMMENT ON COLUMN supply_positions.xpx_balance IS
	'the interest-bearing xpX token balance (ERD): scaled_amount; worth xpx_balance x liquidity index in the pool''s asset';
COMMENT ON COLUMN supply_positions.entry_index IS
	'liquidity index of the first supply; after a top-up the average index, supplied_amount / xpx_balance (rayDiv); unchanged by withdrawals';
COMMENT ON INDEX supply_positions_user_id_pool_id_key IS 'one position per user and pool: the ERD''s idx_user_pool';

ALTER TABLE borrow_positions ADD COLUMN entry_index ray;
COMMENT ON COLUMN borrow_positions.entry_index IS
	'borrow index of the borrow that opened the position (borrowed_amount = scaled debt then x entry_index, to rounding); NULL for a position 0.1.0 liquidated';
COMMENT ON COLUMN borrow_positions.borrowed_amount IS
	'principal borrowed when the position opened, never changed; the debt is scaled_debt x borrow index';
CREATE INDEX borrow_positions_health_idx ON borrow_positions (health_factor);
COMMENT ON INDEX borrow_positions_user_idx IS 'a user''s loans: the ERD''s idx_user';
COMMENT ON INDEX borrow_positions_at_risk_idx IS
	'the positions last seen liquidatable: the ERD''s idx_borrow_health (health_factor < 1.0)';
COMMENT ON INDEX borrow_positions_health_idx IS 'loans by stored health factor: the ERD''s idx_health';

CREATE FUNCTION prorate_wad_floor(amount wad, part wad, whole wad) RETURNS wad
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (div(amount::numeric * part::numeric * 1000000000000000000, whole::numeric)
			* 0.000000000000000001)::wad;
COMMENT ON FUNCTION prorate_wad_floor(wad, wad, wad) IS
	'floor(amount x part / whole) to the last wad unit: the share of a principal a scaled balance keeps';

CREATE FUNCTION index_of(amount wad, scaled wad) RETURNS ray
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (div(amount::numeric * 2000000000000000000000000000 + scaled::numeric, scaled::numeric * 2)
			* 0.000000000000000000000000001)::ray;
COMMENT ON FUNCTION index_of(wad, wad) IS
	'rayDiv(amount, scaled), half up: the index at which a scaled balance is worth amount';

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
	v_tx := xphere.new_transaction(p_user,
		CASE WHEN p_add THEN 'COLLATERAL_DEPOSIT' ELSE 'COLLATERAL_WITHDRAW' END::xphere.transaction_type,
		p_amount, b.collateral_asset, 'COMPLETED', 0,
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

CREATE OR REPLACE FUNCTION liquidatable_in(p lending_pools, p_collateral currency) RETURNS SETOF borrow_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	pa xphere.wad := xphere.latest_price(p.asset);
	pc xphere.wad := xphere.latest_price(p_collateral);
	lt integer := xphere.bps(p.liquidation_threshold);
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
COMMENT ON FUNCTION liquidatable_in(lending_pools, currency) IS
	'liquidatable positions of a pool and collateral asset, with their live health factor';

COMMENT ON FUNCTION create_pool(text, text, jsonb) IS 'creates a lending pool for an asset; audited';

/*
 * The seeded pool lp-xp takes the new default curve unless an admin
 * changed its parameters (an update_pool entry in the audit log): accrued
 * at the old rates up to the update's clock first, as update_pool() does,
 * so that no balance or debt moves at that instant; then its rates follow
 * the new curve.
 */
DO $$
DECLARE
	p xphere.lending_pools;
BEGIN
	SELECT * INTO p FROM xphere.lending_pools WHERE id = 'lp-xp' FOR UPDATE;
	IF FOUND AND NOT EXISTS (SELECT 1 FROM xphere.audit_log a
			WHERE a.action = 'update_pool' AND a.object_type = 'lending_pool' AND a.object_id = 'lp-xp') THEN
		p := xphere.pool_at(p, greatest(xphere.now(), p.last_update));
		p.base_rate := '0.04';
		p.slope1 := '0.09';
		p := xphere.pool_with_rates(p);
		UPDATE xphere.lending_pools SET base_rate = p.base_rate, slope1 = p.slope1 WHERE id = p.id;
		PERFORM xphere.save_pool(p);
	END IF;
END $$;

/*
 * Principal columns of the positions 0.1.0 opened (an update, not a user's
 * action: updated_at stays).  0.1.0 kept no principal of a supply, so a
 * supply position starts over at the update: supplied_amount is its
 * balance then, entry_index the liquidity index then.  A loan's principal
 * (borrowed_amount) and its scaled debt at opening (the scaled debt now
 * plus what its repayments burned, recorded in their metadata) give the
 * borrow index it was opened at; a liquidation's burn was not recorded, so
 * a position 0.1.0 liquidated gets NULL.
 */
ALTER TABLE supply_positions DISABLE TRIGGER supply_positions_updated_at;
UPDATE supply_positions s SET
	supplied_amount = xphere.ray_mul_floor(s.scaled_amount, p.liquidity_index),
	entry_index = p.liquidity_index
FROM (SELECT (xphere.pool_at(x, greatest(xphere.now(), x.last_update))).* FROM xphere.lending_pools x) p
WHERE p.id = s.pool_id;
ALTER TABLE supply_positions ENABLE TRIGGER supply_positions_updated_at;

ALTER TABLE borrow_positions DISABLE TRIGGER borrow_positions_updated_at;
UPDATE borrow_positions b SET entry_index = xphere.index_of(b.borrowed_amount, b.scaled_debt + r.scaled)
FROM (SELECT x.id, coalesce(sum((t.metadata ->> 'scaled')::xphere.wad), 0) AS scaled
	  FROM xphere.borrow_positions x
	  LEFT JOIN xphere.transactions t ON t.type = 'REPAY' AND t.metadata ? 'scaled'
		AND t.metadata ->> 'position_id' = x.id::text
	  GROUP BY x.id) r
WHERE r.id = b.id AND b.scaled_debt + r.scaled > 0
  AND NOT EXISTS (SELECT 1 FROM xphere.transactions l
				  WHERE l.type = 'LIQUIDATION' AND l.metadata ->> 'position_id' = b.id::text);
ALTER TABLE borrow_positions ENABLE TRIGGER borrow_positions_updated_at;

COMMENT ON INDEX lending_pools_asset_key IS 'one pool per asset: the ERD''s idx_asset (unique)';

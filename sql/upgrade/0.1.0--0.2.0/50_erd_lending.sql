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

CREATE FUNCTION index_of(amount wad, scaled wad) RETURNS ray
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (div(amount::numeric * 2000000000000000000000000000 + scaled::numeric, scaled::numeric * 2)
			* 0.000000000000000000000000001)::ray;
COMMENT ON FUNCTION index_of(wad, wad) IS
	'rayDiv(amount, scaled), half up: the index at which a scaled balance is worth amount';

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

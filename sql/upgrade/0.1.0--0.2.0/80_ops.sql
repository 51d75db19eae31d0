/*
 * Operations: exact restores, tick history, dashboards.
 *
 * - The large_transaction event is raised by the code that writes ledger
 *   entries (new_transaction(), deposit(), distribute_mining_batch()), no
 *   longer by the trigger transactions_large_event, which fired while
 *   pg_restore copied the ledger back and wrote (and notified) events of
 *   its own.
 * - risk_refresh_marks is dumped with the data, so a restore keeps it.
 * - tick_history: a row per tick, pruned by tick() after the new setting
 *   tick_history_retention (7 days).
 * - dashboards for xphere_admin: the views pools_now, positions_at_risk and
 *   house_exposure; portfolio(user_id) for the user (app).
 */

-- large_transaction events ------------------------------------------------------

DROP TRIGGER transactions_large_event ON transactions;
DROP FUNCTION large_transaction_event();

-- dumped tables -----------------------------------------------------------------

/* a restore keeps the cache of refresh_positions_at_risk() too: every row as it was */
SELECT pg_catalog.pg_extension_config_dump('risk_refresh_marks', '');

-- tick_history ------------------------------------------------------------------

INSERT INTO settings (key, value, kind, description) VALUES
	('tick_history_retention', '7 days', 'interval', 'tick() deletes tick_history rows older than this');

/*
 * Every run of tick() that did its work, like pg_cron's job_run_details.
 * A tick that fails rolls back, its row with it: the background worker
 * records its own failed ticks afterwards, in a transaction of their own
 * (record_failed_tick); a failed SQL call leaves no row (its caller got
 * the error).  A tick that found another one running (skipped) is not
 * recorded.  started_at is the tick's clock (xphere.now()), duration the
 * wall-clock time it took.
 */
CREATE TABLE tick_history (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	started_at		timestamptz NOT NULL,
	ended_at		timestamptz NOT NULL,
	duration		interval NOT NULL,
	ok				boolean NOT NULL,
	result			jsonb,
	error			text,
	run_by			text NOT NULL CHECK (run_by IN ('worker', 'sql')),
	role_name		name NOT NULL,
	CHECK (ok = (error IS NULL) AND ok = (result IS NOT NULL))
);
CREATE INDEX tick_history_started_at_idx ON tick_history (started_at);
COMMENT ON TABLE tick_history IS
	'one row per completed tick() and per failed tick of the background worker; kept for tick_history_retention';
COMMENT ON COLUMN tick_history.started_at IS 'the tick''s clock (xphere.now()) when it started';
COMMENT ON COLUMN tick_history.duration IS 'wall-clock time the tick took';
COMMENT ON COLUMN tick_history.result IS 'what tick() returned (ok ticks)';
COMMENT ON COLUMN tick_history.error IS 'the error message (failed ticks of the background worker)';
COMMENT ON COLUMN tick_history.run_by IS 'worker: the background worker; sql: a call of tick() (psql, pg_cron, an application)';
COMMENT ON COLUMN tick_history.role_name IS 'the session''s login role';

REVOKE ALL ON tick_history FROM PUBLIC;
REVOKE ALL ON SEQUENCE tick_history_id_seq FROM PUBLIC;
GRANT SELECT ON tick_history TO xphere_admin;
SELECT pg_catalog.pg_extension_config_dump('tick_history', '');
SELECT pg_catalog.pg_extension_config_dump('tick_history_id_seq', '');

-- dashboards --------------------------------------------------------------------

/*
 * Dashboards for operators (SELECT granted to xphere_admin only).  Plain
 * SQL over the tables and the documented math, so reading them needs no
 * internal function: a view's functions run with the reader's privileges.
 *
 * pools_now: every lending pool projected to xphere.now() without writing,
 * as pool_at() projects it: whole seconds since last_update, the liquidity
 * index grown linearly, the borrow index compounded, the reserve factor's
 * share of the new interest added to the treasury.  The rates and APYs
 * are those in effect (they change only with the pool's next action).
 */
CREATE VIEW pools_now AS
	SELECT x.id AS pool_id, x.asset,
		xphere.utilization(x.scaled_borrowed, q.borrow_index, x.cash) AS utilization,
		x.borrow_apy, x.supply_apy, x.cash,
		xphere.ray_mul_floor(x.scaled_supplied, q.liquidity_index) AS total_supplied,
		xphere.ray_mul_ceil(x.scaled_borrowed, q.borrow_index) AS total_borrowed,
		x.deficit,
		xphere.ray_mul_floor(x.treasury_scaled + CASE WHEN q.borrow_index = x.borrow_index THEN '0'::xphere.wad
			ELSE xphere.ray_div_floor(xphere.percent_mul(xphere.ray_mul_floor(x.scaled_borrowed,
				q.borrow_index - x.borrow_index), (x.reserve_factor * 10000)::integer), q.liquidity_index) END,
			q.liquidity_index) AS treasury,
		q.liquidity_index, q.borrow_index, x.is_active, x.last_update, xphere.now() AS at
	FROM xphere.lending_pools x
	CROSS JOIN LATERAL (
		SELECT CASE WHEN d.dt > 0 AND x.liquidity_rate <> '0'
				THEN xphere.linear_interest(x.liquidity_rate, d.dt) * x.liquidity_index
				ELSE x.liquidity_index END AS liquidity_index,
			CASE WHEN d.dt > 0 AND x.scaled_borrowed <> 0
				THEN xphere.compounded_interest(x.borrow_rate, d.dt) * x.borrow_index
				ELSE x.borrow_index END AS borrow_index
		FROM (SELECT greatest(floor(extract(epoch FROM xphere.now() - x.last_update)), 0)::bigint AS dt) d
	) q;
COMMENT ON VIEW pools_now IS
	'every lending pool at xphere.now(): utilization, rates, cash, totals with interest, deficit and treasury (not written)';

/*
 * positions_at_risk: open loans whose live health factor (today's borrow
 * index, the latest prices) is below 1.1, with the debt, the collateral,
 * their values in USDT and the collateral price at which the health
 * factor would reach 1 (as the positions store it).  Loans whose prices
 * were never set do not show.
 */
CREATE VIEW positions_at_risk AS
	SELECT b.id AS position_id, b.user_id, b.pool_id, p.asset, v.debt, b.collateral_asset,
		b.collateral_amount, v.debt_value, v.collateral_value, v.hf AS health_factor,
		xphere.wad_div_ceil(xphere.percent_div_ceil(v.debt_value, v.lt), b.collateral_amount)
			AS liquidation_price
	FROM xphere.borrow_positions b
	JOIN xphere.pools_now p ON p.pool_id = b.pool_id
	CROSS JOIN LATERAL (
		SELECT CASE WHEN a = 'USDT' THEN '1'::xphere.wad ELSE (SELECT r.price_usdt FROM xphere.prices r
			WHERE r.asset = a::text ORDER BY r.created_at DESC, r.id DESC LIMIT 1) END AS pa,
			CASE WHEN c = 'USDT' THEN '1'::xphere.wad ELSE (SELECT r.price_usdt FROM xphere.prices r
			WHERE r.asset = c::text ORDER BY r.created_at DESC, r.id DESC LIMIT 1) END AS pc
		FROM (SELECT p.asset AS a, b.collateral_asset AS c) ac
	) pr
	CROSS JOIN LATERAL (
		SELECT w.debt, w.collateral_value, w.debt_value, w.lt,
			xphere.health_factor(xphere.percent_mul_floor(w.collateral_value, w.lt), '1', w.debt_value) AS hf
		FROM (SELECT xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index) AS debt,
				xphere.wad_mul_floor(b.collateral_amount, pr.pc) AS collateral_value,
				xphere.wad_mul_ceil(xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index), pr.pa) AS debt_value,
				(l.liquidation_threshold * 10000)::integer AS lt
			  FROM xphere.lending_pools l WHERE l.id = b.pool_id) w
	) v
	WHERE b.status = 'OPEN' AND b.scaled_debt > 0 AND b.collateral_amount > 0
	  AND pr.pa IS NOT NULL AND pr.pc IS NOT NULL
	  AND v.hf < '1.1'::xphere.health_factor;
COMMENT ON VIEW positions_at_risk IS
	'open loans with a live health factor below 1.1: debt, collateral, their USDT values, health factor, liquidation price';

/*
 * house_exposure: the platform's net position per currency.  What the
 * house account holds (negative when it paid out more than it took in:
 * rewards are paid from it), what users hold (what the platform owes
 * them), what the system accounts of the pools and staking tiers hold,
 * and the custody, completed deposits minus completed withdrawals, which
 * the three add up to (check_invariants() proves it).  With it the fees
 * earned, the fees of pending withdrawals (locked, the house's once the
 * withdrawals complete), the mining rewards the house paid and the XP the
 * machines have earned and not yet been paid (the house owes it).
 */
CREATE VIEW house_exposure AS
	SELECT c.currency,
		coalesce(a.house_available, '0') AS house_available,
		coalesce(a.house_locked, '0') AS house_locked,
		coalesce(a.users_held, '0') AS users_held,
		coalesce(a.system_held, '0') AS system_held,
		coalesce(t.custody, '0') AS custody,
		coalesce(t.pending_withdrawal_fees, '0') AS pending_withdrawal_fees,
		coalesce(t.fees_earned, '0') AS fees_earned,
		coalesce(t.mining_paid, '0') AS mining_paid,
		CASE WHEN c.currency = 'XP' THEN coalesce(m.mining_owed, '0') ELSE '0' END AS mining_owed,
		xphere.now() AS at
	FROM unnest(enum_range(NULL::xphere.currency)) c(currency)
	LEFT JOIN LATERAL (
		SELECT sum(x.available) FILTER (WHERE x.user_id = '00000000-0000-0000-0000-000000000000') AS house_available,
			sum(x.locked) FILTER (WHERE x.user_id = '00000000-0000-0000-0000-000000000000') AS house_locked,
			sum(x.available + x.locked) FILTER (WHERE u.role <> 'system') AS users_held,
			sum(x.available + x.locked) FILTER (WHERE u.role = 'system'
				AND x.user_id <> '00000000-0000-0000-0000-000000000000') AS system_held
		FROM xphere.accounts x JOIN xphere.users u ON u.id = x.user_id
		WHERE x.currency = c.currency
	) a ON true
	LEFT JOIN LATERAL (
		SELECT sum(x.amount) FILTER (WHERE x.type = 'DEPOSIT' AND x.status = 'COMPLETED')
				- coalesce(sum(x.amount) FILTER (WHERE x.type = 'WITHDRAWAL' AND x.status = 'COMPLETED'), '0')
				AS custody,
			sum(x.fee) FILTER (WHERE x.type = 'WITHDRAWAL' AND x.status = 'PENDING') AS pending_withdrawal_fees,
			sum(x.amount) FILTER (WHERE x.type = 'FEE' AND x.status = 'COMPLETED'
				AND x.user_id = '00000000-0000-0000-0000-000000000000') AS fees_earned,
			sum(x.amount) FILTER (WHERE x.type = 'MINING_REWARD'
				AND x.user_id = '00000000-0000-0000-0000-000000000000') AS mining_paid
		FROM xphere.transactions x
		WHERE x.currency = c.currency
	) t ON true
	LEFT JOIN LATERAL (
		SELECT sum(xphere.prorate_floor(x.daily_return_xp,
				x.online_us_before + CASE WHEN x.online_since IS NULL THEN 0
					ELSE greatest((extract(epoch FROM xphere.now() - x.online_since) * 1000000)::bigint, 0) END,
				86400000000) - x.paid_xp) AS mining_owed
		FROM xphere.user_machines x
	) m ON true;
COMMENT ON VIEW house_exposure IS
	'per currency: what the house, the users and the system accounts hold, the custody, fees, mining paid and owed';

REVOKE ALL ON pools_now, positions_at_risk, house_exposure FROM PUBLIC;
GRANT SELECT ON pools_now, positions_at_risk, house_exposure TO xphere_admin;

/*
 * A user's portfolio per currency, live at xphere.now(): the account
 * (available, locked: withdrawals in progress and loan collateral), what
 * the user supplied to the lending pools with interest, owes on open loans
 * with interest, has staked (until withdrawn) and has earned and not yet
 * been paid by the stakes and the machines.  The trust rules apply: a
 * session acts for the user or gets 42501.
 */
CREATE FUNCTION portfolio(user_id uuid) RETURNS TABLE (currency currency, available wad, locked wad,
		supplied wad, debt wad, staked wad, pending_staking_rewards wad, pending_mining_rewards wad)
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_user uuid := portfolio.user_id;
BEGIN
	IF v_user IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.require_user(v_user);
	PERFORM xphere.authorize_user(v_user);
	RETURN QUERY
	SELECT c.c,
		coalesce((SELECT a.available FROM xphere.accounts a WHERE a.user_id = v_user AND a.currency = c.c), '0'),
		coalesce((SELECT a.locked FROM xphere.accounts a WHERE a.user_id = v_user AND a.currency = c.c), '0'),
		coalesce((SELECT sum(xphere.ray_mul_floor(s.scaled_amount, (xphere.pool_now(s.pool_id)).liquidity_index))
			FROM xphere.supply_positions s JOIN xphere.lending_pools l ON l.id = s.pool_id
			WHERE s.user_id = v_user AND l.asset = c.c), '0'),
		coalesce((SELECT sum(xphere.ray_mul_ceil(b.scaled_debt, (xphere.pool_now(b.pool_id)).borrow_index))
			FROM xphere.borrow_positions b JOIN xphere.lending_pools l ON l.id = b.pool_id
			WHERE b.user_id = v_user AND b.status = 'OPEN' AND l.asset = c.c), '0'),
		CASE WHEN c.c = 'XP' THEN coalesce((SELECT sum(s.amount) FROM xphere.staking_positions s
			WHERE s.user_id = v_user AND s.status <> 'WITHDRAWN'), '0') ELSE '0' END,
		CASE WHEN c.c = 'XP' THEN coalesce((SELECT sum(xphere.stake_earned(s, p,
				greatest(xphere.now(), p.index_updated_at)) - s.claimed_rewards)
			FROM xphere.staking_positions s JOIN xphere.staking_pools p ON p.id = s.staking_pool
			WHERE s.user_id = v_user AND s.status <> 'WITHDRAWN'), '0') ELSE '0' END,
		CASE WHEN c.c = 'XP' THEN coalesce((SELECT sum(xphere.machine_earned(m.daily_return_xp,
				m.online_us_before, m.online_since, xphere.now()) - m.paid_xp)
			FROM xphere.user_machines m WHERE m.user_id = v_user), '0') ELSE '0' END
	FROM unnest(enum_range(NULL::xphere.currency)) c(c)
	ORDER BY c.c;
END $$;
COMMENT ON FUNCTION portfolio(uuid) IS
	'a user''s holdings per currency at now: available, locked, supplied and owed with interest, staked, pending staking and mining rewards';
GRANT EXECUTE ON FUNCTION portfolio(uuid) TO xphere_app;
-- (its overload for drivers that send the id as text: 99_end.sql)

/*
 * Periodic work and events.
 *
 * tick() does every periodic duty in one transaction: accrue every lending
 * pool (idle ones too: the compounded formula undercharges over long idle
 * gaps), checkpoint the staking reward indexes, distribute mining rewards
 * when distribution_interval has passed, refresh the stored health factors
 * of positions at risk, report newly liquidatable positions and, with
 * xphere.auto_liquidate on, liquidate them.  The lock on the job_state row
 * makes a concurrent tick return at once; everything it does commits
 * or rolls back together, so a crash neither skips nor repeats work.  Its
 * cost follows the pools and the positions at risk, not the machines or
 * stakes (only a due distribution touches machines, once per interval, in
 * batches of distribution_batch machines per tick).
 *
 * Events go to the xphere.events outbox and, on commit, to NOTIFY on the
 * channel xphere_events (payload: the event's id and kind), so applications
 * can LISTEN and read the event: liquidations, newly liquidatable positions, distributions and
 * ledger entries worth at least large_transaction_usdt.
 */

CREATE TABLE events (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind			text NOT NULL,
	payload			jsonb NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX events_kind_idx ON events (kind, id);
COMMENT ON TABLE events IS
	'outbox of platform events (liquidation, liquidatable, distribution, large_transaction), also sent with NOTIFY xphere_events';

CREATE TABLE job_state (
	id				boolean PRIMARY KEY DEFAULT true CHECK (id),
	last_tick_at	timestamptz,
	last_distribution_at timestamptz,
	distribution_round_start timestamptz,
	distribution_cursor uuid,
	ticks			bigint NOT NULL DEFAULT 0,
	distribution_chunk integer CHECK (distribution_chunk > 0)
);
INSERT INTO job_state DEFAULT VALUES;
COMMENT ON TABLE job_state IS 'what tick() has done: its last run and the last distribution';
COMMENT ON COLUMN job_state.last_distribution_at IS 'start of the last completed distribution round';
COMMENT ON COLUMN job_state.distribution_round_start IS 'start of the distribution round in progress, if any';
COMMENT ON COLUMN job_state.distribution_cursor IS
	'the last machine (by id) the round in progress has reached; the next batch starts after it';
COMMENT ON COLUMN job_state.distribution_chunk IS
	'machines the next due tick pays (at most distribution_batch): distribution_tick_time at the rate of the last full batch; NULL: 1 000';

INSERT INTO settings (key, value, kind, description) VALUES
	('large_transaction_usdt', '10000', 'wad', 'ledger entries worth at least this many USDT raise an event'),
	('distribution_batch', '50000', 'integer', 'machines paid by one tick at most; a round goes on over the next ticks'),
	('distribution_tick_time', '500 milliseconds', 'interval',
	 'about how long one tick spends paying machines; a round goes on over the next ticks'),
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

/*
 * One tick_history row, and the rows older than tick_history_retention
 * deleted.  p_started is the tick's clock (xphere.now()) and p_wall_start
 * clock_timestamp() when it started.
 */
CREATE FUNCTION xphere_internal.record_tick(p_started timestamptz, p_wall_start timestamptz, p_result jsonb,
		p_error text DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_duration interval := clock_timestamp() - p_wall_start;
	v_by text;
BEGIN
	SELECT CASE WHEN a.backend_type = 'xphere tick' THEN 'worker' ELSE 'sql' END INTO v_by
	FROM pg_catalog.pg_stat_get_activity(pg_catalog.pg_backend_pid()) a;
	DELETE FROM xphere.tick_history
	WHERE started_at < p_started - xphere_internal.setting('tick_history_retention')::interval;
	INSERT INTO xphere.tick_history (started_at, ended_at, duration, ok, result, error, run_by, role_name)
	VALUES (p_started, p_started + v_duration, v_duration, p_error IS NULL, p_result, p_error,
		coalesce(v_by, 'sql'), session_user);
END $$;
COMMENT ON FUNCTION xphere_internal.record_tick(timestamptz, timestamptz, jsonb, text) IS
	'records one tick in tick_history and deletes the rows older than tick_history_retention';

/* called by the background worker, in a new transaction, after a tick failed */
CREATE FUNCTION xphere_internal.record_failed_tick(p_wall_start timestamptz, p_error text) RETURNS void
	LANGUAGE sql SET search_path = xphere, pg_catalog, pg_temp
	RETURN xphere_internal.record_tick(xphere.now() - (clock_timestamp() - p_wall_start), p_wall_start,
		NULL, coalesce(p_error, 'unknown error'));
COMMENT ON FUNCTION xphere_internal.record_failed_tick(timestamptz, text) IS
	'records a failed tick of the background worker in tick_history (in a transaction of its own)';

CREATE FUNCTION xphere_internal.emit_event(p_kind text, p_payload jsonb) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_id bigint;
BEGIN
	INSERT INTO xphere.events (kind, payload) VALUES (p_kind, p_payload) RETURNING id INTO v_id;
	/*
	 * Any session of the database may LISTEN (channels have no
	 * privileges): the notification carries the id and kind only, the
	 * payload stays in xphere.events for those allowed to read it.
	 */
	PERFORM pg_notify('xphere_events', jsonb_build_object('id', v_id, 'kind', p_kind)::text);
END $$;
COMMENT ON FUNCTION xphere_internal.emit_event(text, jsonb) IS 'records an event in the outbox and notifies xphere_events on commit';

/*
 * Ledger entries worth at least large_transaction_usdt become events.  The
 * code that writes entries (new_transaction(), deposit() and the mining
 * distribution) raises them, not a trigger on transactions: a restore
 * copies the entries back and must not write events of its own (nor
 * NOTIFY anyone).
 */
CREATE FUNCTION xphere_internal.is_large_transaction(p_user uuid, p_amount wad, p_currency currency)
	RETURNS boolean
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	/*
	 * floor(amount x price) >= threshold, which has at most 18 decimals,
	 * holds exactly when amount x price >= threshold; numeric cannot
	 * overflow where wad multiplication would (the entry may be one the
	 * caller is about to refuse for lack of funds).  One statement, since
	 * every ledger entry asks: the latest price (latest_price()) and the
	 * threshold are read by subqueries, not by two more function calls.
	 */
	RETURN p_user <> xphere_internal.house_id() AND coalesce(p_amount::numeric
		* CASE WHEN p_currency = 'USDT' THEN 1
			ELSE (SELECT x.price_usdt::numeric FROM xphere.prices x WHERE x.asset = p_currency::text
				  ORDER BY x.created_at DESC, x.id DESC LIMIT 1) END
		>= (SELECT s.value::numeric FROM xphere.settings s WHERE s.key = 'large_transaction_usdt'),
		false);
END $$;
COMMENT ON FUNCTION xphere_internal.is_large_transaction(uuid, wad, currency) IS
	'whether a ledger entry is worth at least large_transaction_usdt (house entries never are)';

CREATE FUNCTION xphere_internal.large_transaction_event(p_id uuid, p_user uuid, p_type transaction_type,
		p_amount wad, p_currency currency, p_status transaction_status) RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM xphere_internal.emit_event('large_transaction', jsonb_build_object('transaction_id', p_id,
		'user_id', p_user, 'type', p_type, 'amount', p_amount,
		'currency', p_currency, 'status', p_status));
END $$;
COMMENT ON FUNCTION xphere_internal.large_transaction_event(uuid, uuid, transaction_type, wad, currency, transaction_status) IS
	'the large_transaction event of a new ledger entry (its caller checks is_large_transaction)';

/*
 * A liquidation by the house for tick(), which holds the pools' locks by
 * then: waiting for an account lock there could close a cycle with a call
 * that holds the account and waits for the pool, so it waits at most
 * lock_timeout and fails with 55P03 instead.
 */
CREATE FUNCTION xphere_internal.liquidate_for_tick(p_position uuid)
	RETURNS TABLE(debt_repaid wad, collateral_seized wad)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp SET lock_timeout = '100ms' AS $$
BEGIN
	RETURN QUERY SELECT * FROM xphere_internal.liquidate_position(xphere_internal.house_id(), p_position, NULL);
END $$;
COMMENT ON FUNCTION xphere_internal.liquidate_for_tick(uuid) IS
	'liquidates a position for tick(), waiting at most 100 ms for a lock (55P03)';

CREATE FUNCTION tick() RETURNS jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_now timestamptz := xphere.now();
	s xphere.job_state;
	p xphere.lending_pools;
	b xphere.borrow_positions;
	v_pools integer := 0;
	v_staking integer := 0;
	v_distributed integer;
	v_batch integer;
	v_chunk_start timestamptz;
	v_refreshed integer;
	v_new integer := 0;
	v_liquidated integer := 0;
	v_failed integer := 0;
	v_deferred integer := 0;
	d record;
	r record;
	v_wall_start timestamptz := clock_timestamp();
	v_result jsonb;
BEGIN
	PERFORM xphere_internal.authorize_admin();
	/*
	 * One tick at a time: the job_state row lock, not an advisory lock,
	 * which any role that can connect could take and hold to stop every
	 * tick (locking the row needs UPDATE on job_state: superusers only).
	 */
	SELECT * INTO s FROM xphere.job_state FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('skipped', true, 'reason', 'another tick is running', 'at', v_now);
	END IF;

	/*
	 * The duties run in the global lock order of the API (accounts, then
	 * pools and staking tiers, then positions): the distribution locks
	 * accounts, so it comes before the pools and tiers; a liquidation
	 * locks accounts again after the pools, so it may not wait for them
	 * (liquidate_for_tick) and is left to the next tick instead.
	 *
	 * Mining rewards, once per distribution_interval: a round started at
	 * round_start goes on over the next ticks until every machine due then
	 * has been paid.  A tick pays one batch, at most distribution_batch
	 * machines, sized so that it takes about distribution_tick_time: the
	 * rate of the last full batch sets the next one (1 000 machines at
	 * first).  One batch, so the accounts are locked in one pass in the
	 * global order, and a tick holds them for about that time whatever
	 * the platform's size.
	 */
	IF s.distribution_round_start IS NULL AND (s.last_distribution_at IS NULL
		OR v_now >= s.last_distribution_at + xphere_internal.setting('distribution_interval')::interval) THEN
		s.distribution_round_start := v_now;
	END IF;
	IF s.distribution_round_start IS NOT NULL THEN
		v_batch := least(xphere_internal.setting('distribution_batch')::integer,
						 coalesce(s.distribution_chunk, 1000));
		v_chunk_start := clock_timestamp();
		d := xphere_internal.distribute_mining_batch(v_batch, s.distribution_round_start,
											s.distribution_cursor);
		v_distributed := d.paid;
		IF d.more THEN
			s.distribution_cursor := d.last_machine;
			s.distribution_chunk := least(10000000, greatest(100, floor(v_batch
				* extract(epoch FROM xphere_internal.setting('distribution_tick_time')::interval)
				/ greatest(extract(epoch FROM clock_timestamp() - v_chunk_start), 0.001))))::integer;
		ELSE
			s.last_distribution_at := s.distribution_round_start;
			s.distribution_round_start := NULL;
			s.distribution_cursor := NULL;
		END IF;
	END IF;

	/*
	 * Lending pools, idle ones too.  Every pool is locked here, in id
	 * order, even one with nothing to accrue (changed after this tick's
	 * clock): the positions' refresh below locks them all again, and
	 * taking a later pool first would deadlock with set_price(), which
	 * locks them all in that order.
	 */
	FOR p IN SELECT x.* FROM xphere.lending_pools x ORDER BY x.id FOR UPDATE LOOP
		IF v_now > p.last_update THEN
			PERFORM xphere_internal.save_pool(xphere_internal.accrue_pool(p.id));
			v_pools := v_pools + 1;
		END IF;
	END LOOP;

	/* staking reward indexes (a checkpoint: they are computed, not stepped) */
	IF to_regprocedure('xphere.checkpoint_staking_pools()') IS NOT NULL THEN
		EXECUTE 'SELECT xphere.checkpoint_staking_pools()' INTO v_staking;
	END IF;

	/* stored health factors of positions at risk; report each liquidatable one once */
	v_refreshed := xphere.refresh_positions_at_risk();
	FOR b IN SELECT * FROM xphere.liquidatable_positions() LOOP
		IF NOT b.liquidatable_notified THEN
			PERFORM xphere_internal.emit_event('liquidatable', jsonb_build_object('position_id', b.id,
				'pool_id', b.pool_id, 'user_id', b.user_id, 'health_factor', b.health_factor));
			UPDATE xphere.borrow_positions SET liquidatable_notified = true WHERE id = b.id;
			v_new := v_new + 1;
		END IF;
		IF current_setting('xphere.auto_liquidate', true) = 'on' THEN
			BEGIN
				SELECT * INTO r FROM xphere_internal.liquidate_for_tick(b.id);
				v_liquidated := v_liquidated + 1;
			/* not_liquidatable, stale_price, dust (xphere_internal.errcode()) */
			EXCEPTION WHEN SQLSTATE 'XP004' OR SQLSTATE 'XP005' OR SQLSTATE 'XP007' THEN
				PERFORM xphere_internal.emit_event('liquidation_failed', jsonb_build_object(
					'position_id', b.id, 'sqlstate', SQLSTATE, 'message', SQLERRM));
				v_failed := v_failed + 1;
			WHEN lock_not_available THEN
				/* an account is busy: the next tick tries again */
				v_deferred := v_deferred + 1;
			END;
		END IF;
	END LOOP;

	UPDATE xphere.job_state SET last_tick_at = v_now, ticks = ticks + 1,
		last_distribution_at = s.last_distribution_at,
		distribution_round_start = s.distribution_round_start,
		distribution_cursor = s.distribution_cursor, distribution_chunk = s.distribution_chunk;
	v_result := jsonb_strip_nulls(jsonb_build_object(
		'at', v_now, 'pools_accrued', v_pools, 'staking_pools', v_staking,
		'machines_paid', v_distributed, 'positions_refreshed', v_refreshed,
		'newly_liquidatable', v_new, 'liquidated', v_liquidated,
		'liquidations_failed', v_failed, 'liquidations_deferred', nullif(v_deferred, 0)));
	PERFORM xphere_internal.record_tick(v_now, v_wall_start, v_result);
	RETURN v_result;
END $$;
COMMENT ON FUNCTION tick() IS
	'all periodic work in one transaction (pools, staking, distribution, health factors, liquidations); returns what it did and records it in tick_history';

CREATE FUNCTION prune_events(older_than interval) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	IF older_than IS NULL THEN PERFORM xphere_internal.raise_null('older_than'); END IF;
	IF older_than < interval '0' THEN
		RAISE EXCEPTION 'older_than must not be negative' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM xphere_internal.authorize_admin();
	DELETE FROM xphere.events WHERE created_at < xphere.now() - older_than;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
COMMENT ON FUNCTION prune_events(interval) IS 'deletes events older than the given age; returns how many';

CREATE FUNCTION worker_status_internal() RETURNS TABLE (database text, launcher_pid integer,
		enabled boolean, last_start timestamptz, last_end timestamptz, last_ok boolean,
		last_result text, last_error text, runs bigint, failures bigint, launcher_started timestamptz)
	AS 'MODULE_PATHNAME', 'xphere_worker_status' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION worker_status_internal() IS 'the background worker''s shared-memory status (see the view worker_status)';

CREATE VIEW worker_status AS
	SELECT w.database, w.launcher_pid, w.enabled, w.last_start, w.last_end, w.last_ok,
		w.last_result::jsonb AS last_result, w.last_error, w.runs, w.failures, w.launcher_started,
		j.last_tick_at, j.last_distribution_at, j.ticks
	FROM xphere.worker_status_internal() w
	LEFT JOIN xphere.job_state j ON w.database = current_database();
COMMENT ON VIEW worker_status IS
	'per database ticked by the background worker: last run, its result, last error, counters';

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
	IF v_user IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	PERFORM xphere_internal.require_user(v_user);
	PERFORM xphere_internal.authorize_user(v_user);
	RETURN QUERY
	SELECT c.c,
		coalesce((SELECT a.available FROM xphere.accounts a WHERE a.user_id = v_user AND a.currency = c.c), '0'),
		coalesce((SELECT a.locked FROM xphere.accounts a WHERE a.user_id = v_user AND a.currency = c.c), '0'),
		coalesce((SELECT sum(xphere.ray_mul_floor(s.scaled_amount, (xphere_internal.pool_now(s.pool_id)).liquidity_index))
			FROM xphere.supply_positions s JOIN xphere.lending_pools l ON l.id = s.pool_id
			WHERE s.user_id = v_user AND l.asset = c.c), '0'),
		coalesce((SELECT sum(xphere.ray_mul_ceil(b.scaled_debt, (xphere_internal.pool_now(b.pool_id)).borrow_index))
			FROM xphere.borrow_positions b JOIN xphere.lending_pools l ON l.id = b.pool_id
			WHERE b.user_id = v_user AND b.status = 'OPEN' AND l.asset = c.c), '0'),
		CASE WHEN c.c = 'XP' THEN coalesce((SELECT sum(s.amount) FROM xphere.staking_positions s
			WHERE s.user_id = v_user AND s.status <> 'WITHDRAWN'), '0') ELSE '0' END,
		CASE WHEN c.c = 'XP' THEN coalesce((SELECT sum(xphere_internal.stake_earned(s, p,
				greatest(xphere.now(), p.index_updated_at)) - s.claimed_rewards)
			FROM xphere.staking_positions s JOIN xphere.staking_pools p ON p.id = s.staking_pool
			WHERE s.user_id = v_user AND s.status <> 'WITHDRAWN'), '0') ELSE '0' END,
		CASE WHEN c.c = 'XP' THEN coalesce((SELECT sum(xphere_internal.machine_earned(m.daily_return_xp,
				m.online_us_before, m.online_since, xphere.now()) - m.paid_xp)
			FROM xphere.user_machines m WHERE m.user_id = v_user), '0') ELSE '0' END
	FROM unnest(enum_range(NULL::xphere.currency)) c(c)
	ORDER BY c.c;
END $$;
COMMENT ON FUNCTION portfolio(uuid) IS
	'a user''s holdings per currency at now: available, locked, supplied and owed with interest, staked, pending staking and mining rewards';

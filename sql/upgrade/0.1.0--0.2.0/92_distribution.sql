/*
 * Mining distribution at scale: one batch's writes in one statement
 * (pay_machines), without the per-row foreign-key checks when the owner
 * may set session_replication_role (pay_machines_unchecked); the price and
 * threshold of large_transaction read once per batch; a tick pays one
 * batch sized to take about distribution_tick_time (a new setting,
 * validated by set_setting()) at the rate of the last one, kept in
 * job_state.distribution_chunk.  New functions are left without a PUBLIC
 * grant by 99_end.sql.
 */
INSERT INTO settings (key, value, kind, description) VALUES
	('distribution_tick_time', '500 milliseconds', 'interval',
	 'about how long one tick spends paying machines; a round goes on over the next ticks');
ALTER TABLE job_state ADD COLUMN distribution_chunk integer CHECK (distribution_chunk > 0);
COMMENT ON COLUMN job_state.distribution_chunk IS
	'machines the next due tick pays (at most distribution_batch): distribution_tick_time at the rate of the last full batch; NULL: 1 000';

CREATE OR REPLACE FUNCTION set_setting(key text, value text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.settings;
	v_norm text;
BEGIN
	PERFORM xphere.check_text(key, 'key', 100);
	PERFORM xphere.check_text(value, 'value', 100);
	SELECT * INTO s FROM xphere.settings x WHERE x.key = set_setting.key FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown setting "%"', key USING ERRCODE = '22023',
			HINT = (SELECT 'Known settings: ' || string_agg(x.key, ', ' ORDER BY x.key) || '.'
					FROM xphere.settings x);
	END IF;
	BEGIN
		CASE s.kind
			WHEN 'wad' THEN
				v_norm := value::xphere.wad::text;
				IF v_norm::xphere.wad < 0 THEN RAISE numeric_value_out_of_range; END IF;
			WHEN 'bps' THEN
				v_norm := value::integer::text;
				IF v_norm::integer NOT BETWEEN 0 AND 10000 THEN RAISE numeric_value_out_of_range; END IF;
			WHEN 'integer' THEN
				v_norm := value::integer::text;
				IF key = 'password_hash_cost' AND v_norm::integer NOT BETWEEN 4 AND 15
					OR key = 'distribution_batch' AND v_norm::integer NOT BETWEEN 1 AND 10000000 THEN
					RAISE numeric_value_out_of_range;
				END IF;
			WHEN 'interval' THEN
				v_norm := value::interval::text;
				IF v_norm::interval < interval '0'
					OR (key IN ('price_max_age', 'distribution_interval', 'distribution_tick_time')
						AND v_norm::interval = interval '0')
					OR v_norm::interval > interval '3650 days' THEN
					RAISE numeric_value_out_of_range;
				END IF;
		END CASE;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'invalid value "%" for setting "%"', left(value, 100), key
			USING ERRCODE = '22023', DETAIL = format('%s is a setting of kind %s.', key, s.kind);
	END;
	PERFORM xphere.authorize_admin();
	UPDATE xphere.settings x SET value = v_norm WHERE x.key = s.key;
	PERFORM xphere.audit('set_setting', 'setting', key,
		jsonb_build_object('value', s.value), jsonb_build_object('value', v_norm));
END $$;
COMMENT ON FUNCTION set_setting(text, text) IS 'changes a platform setting, validated by its kind; audited';

/*
 * The writes of one distribution batch, in one statement: settle the
 * machines, one ledger entry per user, one reward row per machine, credit
 * the users with their history rows, and the large_transaction events of
 * the entries worth at least p_threshold USDT at p_price.  The caller has
 * locked the house's and the owners' XP accounts; the machines are locked
 * here, by the update.  Returns the machines paid, their total, and the
 * first of p_machines (by id) it did not pay: one whose status changed
 * after p_now, in a transaction that committed meanwhile (its pay is
 * reckoned at a later clock).
 *
 * Called through pay_machines_unchecked() it runs with
 * session_replication_role = replica, which skips the per-row foreign-key
 * checks (six for each machine paid: three quarters of a distribution's
 * time when they ran).  Each reference written is to a row the statement
 * itself has just locked or written (the machine it updates, the entry it
 * inserts, the account it credits) or to the machine's owner: users are
 * never deleted, and a user id a machine references cannot change.  The
 * constraints stay declared and are checked for every other writer; the
 * triggers and foreign keys a DBA adds to these tables are not (ENABLE
 * ALWAYS triggers fire, in replica mode too).
 * (Data-modifying CTEs, not temporary tables: a session could plant a
 * temporary table of that name with triggers of its own.)
 */
CREATE OR REPLACE FUNCTION pay_machines(p_machines uuid[], p_now timestamptz, p_price wad,
		p_threshold numeric, OUT paid integer, OUT total wad, OUT first_unpaid uuid)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp
	SET plan_cache_mode = force_custom_plan SET work_mem = '64MB' AS $$
DECLARE
	v_events bigint;
BEGIN
	/* the events are counted so that the large CTE, which writes nothing itself, runs */
	WITH paid AS (
		UPDATE xphere.user_machines m SET
			last_reward = xphere.machine_earned(m.daily_return_xp, m.online_us_before,
												m.online_since, p_now) - m.paid_xp,
			paid_xp = xphere.machine_earned(m.daily_return_xp, m.online_us_before,
											m.online_since, p_now),
			paid_at = p_now, updated_at = p_now
		WHERE m.id = ANY (p_machines)
		  AND xphere.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, p_now)
			> m.paid_xp
		  AND m.status_changed_at <= p_now
		RETURNING m.id, m.user_id, m.last_reward
	), per_user AS MATERIALIZED (
		SELECT p.user_id, sum(p.last_reward) AS amount, count(*) AS machines,
			gen_random_uuid() AS tx_id
		FROM paid p GROUP BY p.user_id
	), entries AS (
		INSERT INTO xphere.transactions (id, user_id, type, amount, currency, metadata)
		SELECT u.tx_id, u.user_id, 'MINING_REWARD', u.amount, 'XP',
			jsonb_build_object('machines', u.machines, 'calculated_at', p_now)
		FROM per_user u
		RETURNING id, user_id, type, amount, currency, status
	), large AS (
		/* is_large_transaction(), with the price and threshold read once */
		SELECT xphere.large_transaction_event(e.id, e.user_id, e.type, e.amount, e.currency, e.status)
		FROM entries e
		WHERE p_price IS NOT NULL AND e.amount::numeric * p_price::numeric >= p_threshold
	), rewards AS (
		INSERT INTO xphere.mining_rewards (user_id, machine_id, amount, calculated_at, distribution_tx,
			created_at)
		SELECT p.user_id, p.id, p.last_reward, p_now, u.tx_id, p_now
		FROM paid p JOIN per_user u USING (user_id)
	), credited AS (
		UPDATE xphere.accounts a SET available = a.available + u.amount, updated_at = p_now
		FROM per_user u
		WHERE a.user_id = u.user_id AND a.currency = 'XP'
		RETURNING a.user_id, u.tx_id, u.amount, a.available, a.locked
	), history AS (
		INSERT INTO xphere.balance_history (user_id, currency, transaction_id,
			available_before, available_change, available_after,
			locked_before, locked_change, locked_after)
		SELECT c.user_id, 'XP', c.tx_id, c.available - c.amount, c.amount, c.available,
			c.locked, 0, c.locked
		FROM credited c
	)
	SELECT count(*), coalesce(sum(p.last_reward), 0), (SELECT count(*) FROM large),
		(SELECT x.id FROM unnest(p_machines) AS x(id)
		 WHERE NOT EXISTS (SELECT 1 FROM paid q WHERE q.id = x.id) ORDER BY x.id LIMIT 1)
	INTO paid, total, v_events, first_unpaid FROM paid p;
END $$;
COMMENT ON FUNCTION pay_machines(uuid[], timestamptz, wad, numeric) IS
	'the writes of one distribution batch, in one statement (internal; the caller locks the accounts)';

/*
 * pay_machines() with session_replication_role = replica, which skips the
 * per-row foreign-key checks of its writes (see above).  Setting it needs
 * a superuser, or the SET privilege on it: distribute_mining_batch() calls
 * this one only when the extension's owner may.
 */
CREATE OR REPLACE FUNCTION pay_machines_unchecked(p_machines uuid[], p_now timestamptz, p_price wad,
		p_threshold numeric, OUT paid integer, OUT total wad, OUT first_unpaid uuid)
	LANGUAGE sql SET search_path = xphere, pg_catalog, pg_temp
	SET session_replication_role = replica
BEGIN ATOMIC
	SELECT x.paid, x.total, x.first_unpaid
	FROM xphere.pay_machines(p_machines, p_now, p_price, p_threshold) x;
END;
COMMENT ON FUNCTION pay_machines_unchecked(uuid[], timestamptz, wad, numeric) IS
	'pay_machines() without the per-row foreign-key checks (internal; needs a superuser owner)';

/*
 * Pays machines what they earned up to now and have not been paid: one
 * mining_rewards row per machine, one MINING_REWARD entry per user, from
 * the house.  At most p_limit machines (NULL: all) in id order after
 * p_after (NULL: from the first), and only those not paid since
 * p_paid_before (NULL: any), so that tick() can spread one distribution
 * round over several ticks, each batch an index range of the machines:
 * a batch costs what it pays, not what the platform holds.  Returns the
 * machines paid, whether the batch was full (more may be due) and the
 * last machine it looked at (where the next batch starts).  The house XP
 * account is locked first, so concurrent runs queue and the later one
 * finds nothing left to pay; user accounts are then locked in order.
 * Set-based, so a million machines take a handful of statements.  Plans
 * are made for each call's values (plan_cache_mode): a generic plan
 * cannot tell a batch of ten machines from a million.
 */
CREATE OR REPLACE FUNCTION distribute_mining_batch(p_limit integer, p_paid_before timestamptz,
		p_after uuid DEFAULT NULL, OUT paid integer, OUT more boolean, OUT last_machine uuid)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp
	SET plan_cache_mode = force_custom_plan SET work_mem = '64MB' AS $$
DECLARE
	v_now timestamptz := xphere.now();
	v_total xphere.wad;
	v_count integer;
	v_house_tx uuid;
	v_machines uuid[];
	v_unpaid uuid;
BEGIN
	paid := 0;
	more := false;
	PERFORM xphere.lock_accounts(ARRAY[xphere.house_id()], ARRAY['XP']::xphere.currency[]);

	/*
	 * The machines with something due, and their owners' accounts locked in
	 * order (the house's first: its id is zero).  Only these machines are
	 * paid below: one bought meanwhile belongs to an account not locked
	 * here, and paying it would take that lock out of order.
	 */
	SELECT array_agg(d.id ORDER BY d.id) INTO v_machines FROM (
		SELECT m.id FROM xphere.user_machines m
		WHERE (p_after IS NULL OR m.id > p_after)
		  AND xphere.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, v_now)
			> m.paid_xp
		  AND m.status_changed_at <= v_now
		  AND (p_paid_before IS NULL OR m.paid_at IS NULL OR m.paid_at < p_paid_before)
		ORDER BY m.id
		LIMIT p_limit) d;
	IF v_machines IS NULL THEN
		RETURN;
	END IF;
	more := p_limit IS NOT NULL AND cardinality(v_machines) >= p_limit;
	last_machine := v_machines[cardinality(v_machines)];
	PERFORM 1 FROM xphere.accounts a
	WHERE a.currency = 'XP' AND a.user_id IN (
		SELECT m.user_id FROM xphere.user_machines m WHERE m.id = ANY (v_machines))
	ORDER BY a.user_id FOR UPDATE;

	/*
	 * Without the per-row foreign-key checks when the extension's owner may
	 * set session_replication_role (a superuser may), with them otherwise.
	 */
	IF pg_catalog.has_parameter_privilege('session_replication_role', 'SET') THEN
		SELECT x.paid, x.total, x.first_unpaid INTO v_count, v_total, v_unpaid
		FROM xphere.pay_machines_unchecked(v_machines, v_now, xphere.latest_price('XP'),
			xphere.setting('large_transaction_usdt')::numeric) x;
	ELSE
		SELECT x.paid, x.total, x.first_unpaid INTO v_count, v_total, v_unpaid
		FROM xphere.pay_machines(v_machines, v_now, xphere.latest_price('XP'),
			xphere.setting('large_transaction_usdt')::numeric) x;
	END IF;
	/*
	 * A machine left unpaid (its status changed meanwhile) is due still:
	 * the next batch starts before it, so that the round pays it (the
	 * machines after it that were paid are skipped as paid this round).
	 */
	IF v_unpaid IS NOT NULL THEN
		more := true;
		last_machine := coalesce((SELECT x.id FROM unnest(v_machines) AS x(id)
								  WHERE x.id < v_unpaid ORDER BY x.id DESC LIMIT 1), p_after);
	END IF;
	IF v_count = 0 THEN
		RETURN;
	END IF;
	paid := v_count;

	/* the house pays the total, recorded against one entry of its own */
	v_house_tx := xphere.new_transaction(xphere.house_id(), 'MINING_REWARD', v_total, 'XP',
		'COMPLETED', 0, jsonb_build_object('machines', v_count, 'calculated_at', v_now));
	PERFORM xphere.post(xphere.house_id(), 'XP', -v_total, 0, v_house_tx);
	PERFORM xphere.emit_event('distribution', jsonb_build_object('machines', v_count,
		'total_xp', v_total, 'calculated_at', v_now, 'transaction_id', v_house_tx));
END $$;
COMMENT ON FUNCTION distribute_mining_batch(integer, timestamptz, uuid) IS
	'pays up to p_limit due machines after p_after not paid since p_paid_before (internal)';

CREATE OR REPLACE FUNCTION tick() RETURNS jsonb
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
	PERFORM xphere.authorize_admin();
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
		OR v_now >= s.last_distribution_at + xphere.setting('distribution_interval')::interval) THEN
		s.distribution_round_start := v_now;
	END IF;
	IF s.distribution_round_start IS NOT NULL THEN
		v_batch := least(xphere.setting('distribution_batch')::integer,
						 coalesce(s.distribution_chunk, 1000));
		v_chunk_start := clock_timestamp();
		d := xphere.distribute_mining_batch(v_batch, s.distribution_round_start,
											s.distribution_cursor);
		v_distributed := d.paid;
		IF d.more THEN
			s.distribution_cursor := d.last_machine;
			s.distribution_chunk := least(10000000, greatest(100, floor(v_batch
				* extract(epoch FROM xphere.setting('distribution_tick_time')::interval)
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
			PERFORM xphere.save_pool(xphere.accrue_pool(p.id));
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
			PERFORM xphere.emit_event('liquidatable', jsonb_build_object('position_id', b.id,
				'pool_id', b.pool_id, 'user_id', b.user_id, 'health_factor', b.health_factor));
			UPDATE xphere.borrow_positions SET liquidatable_notified = true WHERE id = b.id;
			v_new := v_new + 1;
		END IF;
		IF current_setting('xphere.auto_liquidate', true) = 'on' THEN
			BEGIN
				SELECT * INTO r FROM xphere.liquidate_for_tick(b.id);
				v_liquidated := v_liquidated + 1;
			EXCEPTION WHEN SQLSTATE 'XP004' OR SQLSTATE 'XP005' OR SQLSTATE 'XP007' THEN
				PERFORM xphere.emit_event('liquidation_failed', jsonb_build_object(
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
	PERFORM xphere.record_tick(v_now, v_wall_start, v_result);
	RETURN v_result;
END $$;
COMMENT ON FUNCTION tick() IS
	'all periodic work in one transaction (pools, staking, distribution, health factors, liquidations); returns what it did and records it in tick_history';

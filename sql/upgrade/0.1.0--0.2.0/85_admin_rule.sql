/*
 * Operator functions follow authorize_admin() (sql/install/ledger/ledger.sql): a session
 * pinned to a platform user by xphere.user_id runs them only when that
 * user is an active admin; an unpinned session needs a trusted role.
 * set_machine_status() becomes an operator function for any machine
 * (0.1.0 let a pinned session change its own user's machines only) and
 * refuses the machines of a deactivated user.
 */

CREATE OR REPLACE FUNCTION set_machine_status(machine_id uuid, status machine_status) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	m xphere.user_machines;
	v_now timestamptz;
BEGIN
	IF machine_id IS NULL THEN PERFORM xphere.raise_null('machine_id'); END IF;
	IF status IS NULL THEN PERFORM xphere.raise_null('status'); END IF;
	SELECT * INTO m FROM xphere.user_machines um WHERE um.id = machine_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'machine % does not exist', machine_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_admin();
	IF NOT (SELECT u.is_active FROM xphere.users u WHERE u.id = m.user_id) THEN
		RAISE EXCEPTION 'user % is deactivated', m.user_id USING ERRCODE = 'XP006',
			HINT = 'reactivate_user() first; a deactivated user''s machines stay OFFLINE.';
	END IF;
	v_now := xphere.not_before(greatest(m.status_changed_at, m.paid_at), 'machine ' || m.id);
	IF m.status = status THEN
		RETURN;
	END IF;
	UPDATE xphere.user_machines um SET
		status = set_machine_status.status,
		online_us_before = m.online_us_before + CASE WHEN m.online_since IS NULL THEN 0
			ELSE xphere.micros_between(m.online_since, v_now) END,
		online_since = CASE WHEN set_machine_status.status = 'ONLINE' THEN v_now END,
		status_changed_at = v_now
	WHERE um.id = m.id;
END $$;

CREATE OR REPLACE FUNCTION distribute_mining_rewards() RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM xphere.authorize_admin();
	RETURN (xphere.distribute_mining_batch(NULL, NULL)).paid;
END $$;

CREATE OR REPLACE FUNCTION create_plan(plan_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.machine_plans;
	k text;
BEGIN
	PERFORM xphere.check_text(plan_id, 'plan_id', 32);
	IF plan_id !~ '^[a-z0-9][a-z0-9_-]{0,31}$' THEN
		RAISE EXCEPTION 'invalid plan id "%"', plan_id USING ERRCODE = '22023',
			HINT = 'A plan id is 1 to 32 lower-case letters, digits, "_" or "-".';
	END IF;
	p := xphere.apply_plan_params(p, params);
	FOREACH k IN ARRAY ARRAY['name', 'machine_name', 'price_usdt', 'hashrate', 'daily_return_xp'] LOOP
		IF NOT params ? k THEN
			RAISE EXCEPTION 'parameter "%" is required', k USING ERRCODE = '22023';
		END IF;
	END LOOP;
	p.id := plan_id;
	p.is_active := coalesce(p.is_active, true);
	p.created_at := xphere.now();
	p.updated_at := xphere.now();
	PERFORM xphere.authorize_admin();
	IF EXISTS (SELECT 1 FROM xphere.machine_plans x WHERE x.id = plan_id) THEN
		RAISE EXCEPTION 'machine plan "%" already exists', plan_id USING ERRCODE = '23505';
	END IF;
	INSERT INTO xphere.machine_plans SELECT p.*;
	PERFORM xphere.audit('create_plan', 'machine_plan', plan_id, NULL, to_jsonb(p));
END $$;

CREATE OR REPLACE FUNCTION update_plan(plan_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	old xphere.machine_plans;
	p xphere.machine_plans;
BEGIN
	PERFORM xphere.check_text(plan_id, 'plan_id', 32);
	PERFORM xphere.check_param_keys(params, xphere.plan_keys());
	SELECT * INTO old FROM xphere.machine_plans x WHERE x.id = plan_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown machine plan "%"', plan_id USING ERRCODE = '22023';
	END IF;
	p := xphere.apply_plan_params(old, params);
	PERFORM xphere.authorize_admin();
	UPDATE xphere.machine_plans x SET name = p.name, machine_name = p.machine_name,
		price_usdt = p.price_usdt, hashrate = p.hashrate, daily_return_xp = p.daily_return_xp,
		description = p.description, image_url = p.image_url, is_active = p.is_active
	WHERE x.id = plan_id;
	PERFORM xphere.audit('update_plan', 'machine_plan', plan_id, to_jsonb(old), to_jsonb(p));
END $$;

CREATE OR REPLACE FUNCTION checkpoint_staking_pools() RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.staking_pools;
	v_whole CONSTANT bigint := 31536000000000;
	v_us bigint;
	v_step bigint;
	n integer := 0;
BEGIN
	PERFORM xphere.authorize_admin();
	FOR p IN SELECT * FROM xphere.staking_pools x ORDER BY x.id FOR UPDATE LOOP
		v_us := greatest(xphere.micros_between(p.index_updated_at, xphere.now()), 0);
		v_step := (v_whole / gcd(trunc(p.apy::numeric * 1e27), v_whole::numeric))::bigint;
		v_us := v_us - v_us % v_step;
		CONTINUE WHEN v_us = 0;
		UPDATE xphere.staking_pools x SET
			reward_index = p.reward_index + xphere.prorate_floor(p.apy, v_us, v_whole),
			index_updated_at = p.index_updated_at + interval '1 microsecond' * v_us
		WHERE x.id = p.id;
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;

CREATE OR REPLACE FUNCTION create_pool(pool_id text, asset text, params jsonb DEFAULT '{}') RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
BEGIN
	PERFORM xphere.check_text(pool_id, 'pool_id', 32);
	PERFORM xphere.check_text(asset, 'asset', 10);
	IF params IS NULL THEN PERFORM xphere.raise_null('params'); END IF;
	IF pool_id !~ '^[a-z0-9][a-z0-9_-]{0,31}$' THEN
		RAISE EXCEPTION 'invalid pool id "%"', pool_id USING ERRCODE = '22023',
			HINT = 'A pool id is 1 to 32 lower-case letters, digits, "_" or "-".';
	END IF;
	IF asset NOT IN (SELECT unnest(enum_range(NULL::xphere.currency))::text) THEN
		RAISE EXCEPTION 'unknown asset "%"', asset USING ERRCODE = '22023';
	END IF;
	/* the defaults of a new pool, then the given parameters */
	SELECT * INTO p FROM (SELECT (NULL::xphere.lending_pools).*) x;
	p.ltv_ratio := 0.7500; p.liquidation_threshold := 0.8000; p.liquidation_bonus := 0.0500;
	p.reserve_factor := 0.1000; p.base_rate := '0.04'; p.slope1 := '0.09'; p.slope2 := '0.75';
	p.optimal_utilization := '0.80'; p.close_factor_min_base := 2000; p.min_leftover_base := 1000;
	p.is_active := true;
	p := xphere.apply_pool_params(p, params);
	PERFORM xphere.authorize_admin();
	IF EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.id = create_pool.pool_id) THEN
		RAISE EXCEPTION 'lending pool "%" already exists', pool_id USING ERRCODE = '23505';
	END IF;
	IF EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.asset = create_pool.asset::xphere.currency) THEN
		RAISE EXCEPTION 'a lending pool for % already exists', asset USING ERRCODE = '23505';
	END IF;
	INSERT INTO xphere.lending_pools (id, asset, account_id, ltv_ratio, liquidation_threshold,
		liquidation_bonus, reserve_factor, base_rate, slope1, slope2, optimal_utilization,
		close_factor_min_base, min_leftover_base, is_active, borrow_rate, borrow_apy, last_update)
	VALUES (create_pool.pool_id, create_pool.asset::xphere.currency,
		xphere.create_pool_account(create_pool.pool_id), p.ltv_ratio, p.liquidation_threshold,
		p.liquidation_bonus, p.reserve_factor, p.base_rate, p.slope1, p.slope2, p.optimal_utilization,
		p.close_factor_min_base, p.min_leftover_base, p.is_active, p.base_rate,
		p.base_rate::numeric * 100, xphere.now());
	SELECT * INTO p FROM xphere.lending_pools x WHERE x.id = create_pool.pool_id;
	PERFORM xphere.audit('create_pool', 'lending_pool', pool_id, NULL, xphere.pool_params(p));
END $$;

CREATE OR REPLACE FUNCTION update_pool(pool_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	old xphere.lending_pools;
	p xphere.lending_pools;
BEGIN
	PERFORM xphere.check_text(pool_id, 'pool_id', 32);
	PERFORM xphere.check_param_keys(params, xphere.pool_keys());
	IF NOT EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.id = update_pool.pool_id) THEN
		RAISE EXCEPTION 'unknown lending pool "%"', pool_id USING ERRCODE = '22023';
	END IF;
	/* validate before locking anything */
	SELECT * INTO old FROM xphere.lending_pools x WHERE x.id = update_pool.pool_id;
	PERFORM xphere.apply_pool_params(old, params);
	PERFORM xphere.authorize_admin();
	/* accrue at the old rates up to now, then apply */
	old := xphere.accrue_pool(pool_id);
	p := xphere.pool_with_rates(xphere.apply_pool_params(old, params));
	UPDATE xphere.lending_pools x SET ltv_ratio = p.ltv_ratio,
		liquidation_threshold = p.liquidation_threshold, liquidation_bonus = p.liquidation_bonus,
		reserve_factor = p.reserve_factor, base_rate = p.base_rate, slope1 = p.slope1,
		slope2 = p.slope2, optimal_utilization = p.optimal_utilization,
		close_factor_min_base = p.close_factor_min_base, min_leftover_base = p.min_leftover_base,
		is_active = p.is_active
	WHERE x.id = p.id;
	PERFORM xphere.save_pool(p);
	PERFORM xphere.audit('update_pool', 'lending_pool', pool_id, xphere.pool_params(old),
						 xphere.pool_params(p));
	IF p.liquidation_threshold <> old.liquidation_threshold THEN
		UPDATE xphere.borrow_positions b SET risk_key = CASE WHEN b.collateral_amount > 0
			THEN b.scaled_debt::numeric::float8
				/ (b.collateral_amount::numeric::float8 * xphere.bps(p.liquidation_threshold) / 10000)
			ELSE 'Infinity' END
		WHERE b.pool_id = p.id AND b.status = 'OPEN';
		PERFORM xphere.refresh_positions_at_risk(p.id);
	END IF;
END $$;

CREATE OR REPLACE FUNCTION prune_events(older_than interval) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	IF older_than IS NULL THEN PERFORM xphere.raise_null('older_than'); END IF;
	IF older_than < interval '0' THEN
		RAISE EXCEPTION 'older_than must not be negative' USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_admin();
	DELETE FROM xphere.events WHERE created_at < xphere.now() - older_than;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;

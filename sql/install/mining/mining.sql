/*
 * Mining: machines earn their plan's daily_return_xp per 24 hours ONLINE,
 * pro rata to the microsecond.  Nothing is written while a machine runs:
 * its total earned at time t is
 *
 *	  floor(daily_return_xp x online_us(t) / 86 400 000 000)   (raw wad units)
 *
 * with online_us(t) = online_us_before + (t - online_since while ONLINE),
 * settled on every status change.  Pending = earned - paid_xp.  A
 * distribution pays every machine's pending amount at once, so the amounts
 * never depend on how often it runs.
 */

-- mining ------------------------------------------------------------------

CREATE TABLE machine_plans (
	id				text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	machine_name	text NOT NULL CHECK (length(machine_name) BETWEEN 1 AND 100),
	price_usdt		wad NOT NULL CHECK (price_usdt > 0),
	hashrate		integer NOT NULL CHECK (hashrate > 0),
	daily_return_xp	wad NOT NULL CHECK (daily_return_xp >= 0),
	description		text CHECK (length(description) <= 1000),
	image_url		text CHECK (length(image_url) <= 1000),
	is_active		boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX machine_plans_active_idx ON machine_plans (is_active);
COMMENT ON TABLE machine_plans IS 'cloud-mining machines for sale';
COMMENT ON COLUMN machine_plans.hashrate IS 'TH/s';
COMMENT ON INDEX machine_plans_active_idx IS 'the ERD''s idx_active (is_active): the plans on sale';

CREATE TABLE user_machines (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	plan_id			text NOT NULL REFERENCES machine_plans,
	status			machine_status NOT NULL DEFAULT 'ONLINE',
	daily_return_xp	wad NOT NULL,
	purchase_date	timestamptz NOT NULL,
	online_since	timestamptz,
	online_us_before bigint NOT NULL DEFAULT 0 CHECK (online_us_before >= 0),
	status_changed_at timestamptz NOT NULL,
	paid_xp			wad NOT NULL DEFAULT 0,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	CHECK ((status = 'ONLINE') = (online_since IS NOT NULL)),
	last_reward		wad NOT NULL DEFAULT 0,
	paid_at			timestamptz,
	tx_hash			text CHECK (tx_hash ~ '^0x[0-9a-f]{64}$')
);
CREATE INDEX user_machines_user_idx ON user_machines (user_id);
CREATE INDEX user_machines_plan_idx ON user_machines (plan_id);
CREATE INDEX user_machines_status_idx ON user_machines (status);
COMMENT ON INDEX user_machines_user_idx IS 'the ERD''s idx_user (user_id): a user''s machines';
COMMENT ON INDEX user_machines_status_idx IS 'the ERD''s idx_status (status): machines by status';
COMMENT ON TABLE user_machines IS 'machines owned by users; rewards are computed from online time, not stored per tick';
COMMENT ON COLUMN user_machines.daily_return_xp IS 'the plan''s daily return when bought';
COMMENT ON COLUMN user_machines.online_since IS 'start of the current ONLINE period, NULL while paused';
COMMENT ON COLUMN user_machines.online_us_before IS 'microseconds ONLINE before online_since';
COMMENT ON COLUMN user_machines.paid_xp IS 'XP already distributed for this machine';
COMMENT ON COLUMN user_machines.last_reward IS 'amount paid by the latest distribution';
COMMENT ON COLUMN user_machines.paid_at IS 'time up to which the machine has been paid';
CREATE UNIQUE INDEX user_machines_tx_hash_key ON user_machines (tx_hash) WHERE tx_hash IS NOT NULL;
COMMENT ON COLUMN user_machines.tx_hash IS
	'purchase transaction hash: the chain transaction that paid for the machine, 0x and 64 lower-case hex digits; NULL when it was paid from the platform balance alone';
COMMENT ON INDEX user_machines_tx_hash_key IS 'a chain transaction pays for one machine';

CREATE FUNCTION xphere_internal.micros_between(a timestamptz, b timestamptz) RETURNS bigint
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN (extract(epoch FROM b - a) * 1000000)::bigint;
COMMENT ON FUNCTION xphere_internal.micros_between(timestamptz, timestamptz) IS 'microseconds from a to b, exact';

CREATE FUNCTION xphere_internal.machine_earned(daily wad, online_us_before bigint, online_since timestamptz,
							   at timestamptz) RETURNS wad
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN xphere.prorate_floor(daily,
		online_us_before + CASE WHEN online_since IS NULL THEN 0
			ELSE greatest(xphere_internal.micros_between(online_since, at), 0) END,
		86400000000);
COMMENT ON FUNCTION xphere_internal.machine_earned(wad, bigint, timestamptz, timestamptz) IS
	'XP a machine has earned in total by the given time';

CREATE TABLE mining_rewards (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	machine_id		uuid NOT NULL REFERENCES user_machines,
	amount			wad NOT NULL CHECK (amount > 0),
	calculated_at	timestamptz NOT NULL,
	distributed		boolean NOT NULL DEFAULT true,
	distribution_tx	uuid NOT NULL REFERENCES transactions,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX mining_rewards_machine_idx ON mining_rewards (machine_id);
CREATE INDEX mining_rewards_user_distributed_idx ON mining_rewards (user_id, distributed, calculated_at);
CREATE INDEX mining_rewards_calculated_idx ON mining_rewards (calculated_at);
CREATE INDEX mining_rewards_pending_idx ON mining_rewards (distributed, calculated_at) WHERE NOT distributed;
COMMENT ON TABLE mining_rewards IS 'one row per machine per distribution, written when it is paid';
COMMENT ON INDEX mining_rewards_machine_idx IS 'a machine''s rewards (check_invariants() sums them per machine)';
COMMENT ON INDEX mining_rewards_user_distributed_idx IS
	'the ERD''s idx_user_distributed (user_id, distributed), ending with calculated_at: a user''s rewards in time order';
COMMENT ON INDEX mining_rewards_calculated_idx IS 'the ERD''s idx_calculated (calculated_at): rewards by time';
COMMENT ON INDEX mining_rewards_pending_idx IS
	'the ERD''s idx_rewards_pending (distributed, calculated_at), over the undistributed rows only: rows are written when paid, so it stays empty and costs a distribution nothing';
/* append-only, as the ledger (forbid_change(), ledger/ledger.sql) */
CREATE TRIGGER mining_rewards_append_only BEFORE UPDATE OR DELETE ON mining_rewards
	FOR EACH ROW EXECUTE FUNCTION xphere_internal.forbid_change();
CREATE TRIGGER mining_rewards_no_truncate BEFORE TRUNCATE ON mining_rewards
	FOR EACH STATEMENT EXECUTE FUNCTION xphere_internal.forbid_change();

CREATE TRIGGER machine_plans_updated_at BEFORE UPDATE ON machine_plans
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();
CREATE TRIGGER user_machines_updated_at BEFORE UPDATE ON user_machines
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();

-- the ERD's section 3.1
INSERT INTO machine_plans (id, name, machine_name, price_usdt, hashrate, daily_return_xp, description, image_url) VALUES
	('p1', 'Starter Node', 'ASIC XP1 Mini', 100, 10, '1.2', 'Entry-level mining power for beginners.', 'https://picsum.photos/400/300?random=1'),
	('p2', 'Standard Node', 'ASIC XP1 Standard', 500, 55, '7.5', 'Most popular plan with stable mining output.', 'https://picsum.photos/400/300?random=2'),
	('p3', 'Pro Cluster', 'ASIC XP1 Cluster', 2000, 230, '32', 'High-capacity cluster for professional miners.', 'https://picsum.photos/400/300?random=3'),
	('p4', 'Xphere Master Node', 'ASIC XP1 Ultra', 5000, 650, '92.5', 'Enterprise-grade performance with maximum efficiency.', 'https://picsum.photos/400/300?random=4');



/*
 * The price is always paid from the user's USDT balance.  tx_hash names
 * the chain transaction that paid for it, when the user paid on chain (the
 * application credits it with deposit() first): normalised like a
 * deposit's, it belongs to one machine.  A replay with the same user, plan
 * and hash returns the first machine and pays nothing; the hash with
 * another user or plan is 23505.
 */
CREATE FUNCTION purchase_machine(user_id uuid, plan_id text, tx_hash text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.machine_plans;
	v_now timestamptz := xphere.now();
	v_hash text;
	v_tx uuid;
	v_machine uuid := gen_random_uuid();
	v_first xphere.user_machines;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	PERFORM xphere_internal.check_text(plan_id, 'plan_id', 32);
	IF tx_hash IS NOT NULL THEN
		v_hash := xphere_internal.tx_hash_norm(tx_hash);
	END IF;
	SELECT * INTO p FROM xphere.machine_plans mp WHERE mp.id = plan_id;
	IF NOT FOUND OR NOT p.is_active THEN
		RAISE EXCEPTION 'unknown or inactive machine plan "%"', plan_id USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM xphere_internal.authorize_user(user_id);

	PERFORM xphere_internal.lock_accounts(ARRAY[xphere_internal.house_id(), user_id], ARRAY['USDT', 'USDT']::xphere.currency[]);
	IF v_hash IS NOT NULL THEN
		/* (a concurrent purchase with this hash waits for the house's lock above) */
		SELECT * INTO v_first FROM xphere.user_machines um WHERE um.tx_hash = v_hash;
		IF FOUND THEN
			IF v_first.user_id = purchase_machine.user_id AND v_first.plan_id = p.id THEN
				RETURN v_first.id;
			END IF;
			RAISE EXCEPTION 'tx_hash "%" already paid for another machine', v_hash
				USING ERRCODE = 'unique_violation',
				DETAIL = 'A chain transaction pays for one machine.';
		END IF;
	END IF;
	v_tx := xphere_internal.new_transaction(user_id, 'PURCHASE', p.price_usdt, 'USDT', 'COMPLETED', 0,
		jsonb_build_object('plan_id', p.id, 'machine_id', v_machine));
	PERFORM xphere_internal.post(user_id, 'USDT', -p.price_usdt, 0, v_tx);
	PERFORM xphere_internal.post(xphere_internal.house_id(), 'USDT', p.price_usdt, 0, v_tx);
	INSERT INTO xphere.user_machines (id, user_id, plan_id, status, daily_return_xp,
		purchase_date, online_since, status_changed_at, tx_hash)
	VALUES (v_machine, purchase_machine.user_id, p.id, 'ONLINE', p.daily_return_xp,
		v_now, v_now, v_now, v_hash);
	RETURN v_machine;
END $$;
COMMENT ON FUNCTION purchase_machine(uuid, text, text) IS
	'buys a machine of a plan for its price in USDT (to the house), with the chain transaction that paid for it if any; the machine starts ONLINE';

CREATE FUNCTION set_machine_status(machine_id uuid, status machine_status) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	m xphere.user_machines;
	v_now timestamptz;
BEGIN
	IF machine_id IS NULL THEN PERFORM xphere_internal.raise_null('machine_id'); END IF;
	IF status IS NULL THEN PERFORM xphere_internal.raise_null('status'); END IF;
	SELECT * INTO m FROM xphere.user_machines um WHERE um.id = machine_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'machine % does not exist', machine_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_admin();
	IF NOT (SELECT u.is_active FROM xphere.users u WHERE u.id = m.user_id) THEN
		RAISE EXCEPTION 'user % is deactivated', m.user_id USING ERRCODE = xphere_internal.errcode('wrong_state'),
			HINT = 'reactivate_user() first; a deactivated user''s machines stay OFFLINE.';
	END IF;
	v_now := xphere_internal.not_before(greatest(m.status_changed_at, m.paid_at), 'machine ' || m.id);
	IF m.status = status THEN
		RETURN;
	END IF;
	UPDATE xphere.user_machines um SET
		status = set_machine_status.status,
		online_us_before = m.online_us_before + CASE WHEN m.online_since IS NULL THEN 0
			ELSE xphere_internal.micros_between(m.online_since, v_now) END,
		online_since = CASE WHEN set_machine_status.status = 'ONLINE' THEN v_now END,
		status_changed_at = v_now
	WHERE um.id = m.id;
END $$;
COMMENT ON FUNCTION set_machine_status(uuid, machine_status) IS
	'changes a machine''s status, settling its online time; only ONLINE time earns';

CREATE FUNCTION pending_mining_rewards(user_id uuid) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
	PERFORM xphere_internal.authorize_user(user_id);
	RETURN coalesce((
		SELECT sum(xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before,
										 m.online_since, xphere.now()) - m.paid_xp)
		FROM xphere.user_machines m WHERE m.user_id = pending_mining_rewards.user_id), 0);
END $$;
COMMENT ON FUNCTION pending_mining_rewards(uuid) IS 'XP earned by the user''s machines and not yet distributed';

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
CREATE FUNCTION xphere_internal.pay_machines(p_machines uuid[], p_now timestamptz, p_price wad,
		p_threshold numeric, OUT paid integer, OUT total wad, OUT first_unpaid uuid)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp
	SET plan_cache_mode = force_custom_plan SET work_mem = '64MB' AS $$
DECLARE
	v_events bigint;
BEGIN
	/* the events are counted so that the large CTE, which writes nothing itself, runs */
	WITH paid AS (
		UPDATE xphere.user_machines m SET
			last_reward = xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before,
												m.online_since, p_now) - m.paid_xp,
			paid_xp = xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before,
											m.online_since, p_now),
			paid_at = p_now, updated_at = p_now
		WHERE m.id = ANY (p_machines)
		  AND xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, p_now)
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
		SELECT xphere_internal.large_transaction_event(e.id, e.user_id, e.type, e.amount, e.currency, e.status)
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
COMMENT ON FUNCTION xphere_internal.pay_machines(uuid[], timestamptz, wad, numeric) IS
	'the writes of one distribution batch, in one statement (internal; the caller locks the accounts)';

/*
 * pay_machines() with session_replication_role = replica, which skips the
 * per-row foreign-key checks of its writes (see above).  Setting it needs
 * a superuser, or the SET privilege on it: distribute_mining_batch() calls
 * this one only when the extension's owner may.
 */
CREATE FUNCTION xphere_internal.pay_machines_unchecked(p_machines uuid[], p_now timestamptz, p_price wad,
		p_threshold numeric, OUT paid integer, OUT total wad, OUT first_unpaid uuid)
	LANGUAGE sql SET search_path = xphere, pg_catalog, pg_temp
	SET session_replication_role = replica
BEGIN ATOMIC
	SELECT x.paid, x.total, x.first_unpaid
	FROM xphere_internal.pay_machines(p_machines, p_now, p_price, p_threshold) x;
END;
COMMENT ON FUNCTION xphere_internal.pay_machines_unchecked(uuid[], timestamptz, wad, numeric) IS
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
CREATE FUNCTION xphere_internal.distribute_mining_batch(p_limit integer, p_paid_before timestamptz,
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
	PERFORM xphere_internal.lock_accounts(ARRAY[xphere_internal.house_id()], ARRAY['XP']::xphere.currency[]);

	/*
	 * The machines with something due, and their owners' accounts locked in
	 * order (the house's first: its id is zero).  Only these machines are
	 * paid below: one bought meanwhile belongs to an account not locked
	 * here, and paying it would take that lock out of order.
	 */
	SELECT array_agg(d.id ORDER BY d.id) INTO v_machines FROM (
		SELECT m.id FROM xphere.user_machines m
		WHERE (p_after IS NULL OR m.id > p_after)
		  AND xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, v_now)
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
		FROM xphere_internal.pay_machines_unchecked(v_machines, v_now, xphere_internal.latest_price('XP'),
			xphere_internal.setting('large_transaction_usdt')::numeric) x;
	ELSE
		SELECT x.paid, x.total, x.first_unpaid INTO v_count, v_total, v_unpaid
		FROM xphere_internal.pay_machines(v_machines, v_now, xphere_internal.latest_price('XP'),
			xphere_internal.setting('large_transaction_usdt')::numeric) x;
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
	v_house_tx := xphere_internal.new_transaction(xphere_internal.house_id(), 'MINING_REWARD', v_total, 'XP',
		'COMPLETED', 0, jsonb_build_object('machines', v_count, 'calculated_at', v_now));
	PERFORM xphere_internal.post(xphere_internal.house_id(), 'XP', -v_total, 0, v_house_tx);
	PERFORM xphere_internal.emit_event('distribution', jsonb_build_object('machines', v_count,
		'total_xp', v_total, 'calculated_at', v_now, 'transaction_id', v_house_tx));
END $$;
COMMENT ON FUNCTION xphere_internal.distribute_mining_batch(integer, timestamptz, uuid) IS
	'pays up to p_limit due machines after p_after not paid since p_paid_before (internal)';

CREATE FUNCTION distribute_mining_rewards() RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM xphere_internal.authorize_admin();
	RETURN (xphere_internal.distribute_mining_batch(NULL, NULL)).paid;
END $$;
COMMENT ON FUNCTION distribute_mining_rewards() IS
	'pays every machine''s pending XP from the house; exactly once even when run concurrently; returns machines paid';

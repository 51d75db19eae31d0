/*
 * Operations: exact restores.
 *
 * - The large_transaction event is raised by the code that writes ledger
 *   entries (new_transaction(), deposit(), distribute_mining_batch()), no
 *   longer by the trigger transactions_large_event, which fired while
 *   pg_restore copied the ledger back and wrote (and notified) events of
 *   its own.
 * - risk_refresh_marks is dumped with the data, so a restore keeps it.
 */

-- large_transaction events ------------------------------------------------------

DROP TRIGGER transactions_large_event ON transactions;
DROP FUNCTION large_transaction_event();

CREATE FUNCTION large_transaction_event(p_id uuid, p_user uuid, p_type transaction_type,
		p_amount wad, p_currency currency, p_status transaction_status) RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM xphere.emit_event('large_transaction', jsonb_build_object('transaction_id', p_id,
		'user_id', p_user, 'type', p_type, 'amount', p_amount,
		'currency', p_currency, 'status', p_status));
END $$;
COMMENT ON FUNCTION large_transaction_event(uuid, uuid, transaction_type, wad, currency, transaction_status) IS
	'the large_transaction event of a new ledger entry (its caller checks is_large_transaction)';

CREATE OR REPLACE FUNCTION new_transaction(p_user uuid, p_type transaction_type, p_amount wad,
		p_currency currency, p_status transaction_status DEFAULT 'COMPLETED',
		p_fee wad DEFAULT 0, p_metadata jsonb DEFAULT '{}',
		p_tx_hash text DEFAULT NULL, p_to_address text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_id uuid;
BEGIN
	INSERT INTO xphere.transactions (user_id, type, amount, fee, currency, status,
		metadata, tx_hash, to_address)
	VALUES (p_user, p_type, p_amount, p_fee, p_currency, p_status, p_metadata,
		p_tx_hash, p_to_address)
	RETURNING id INTO v_id;
	IF xphere.is_large_transaction(p_user, p_amount, p_currency) THEN
		PERFORM xphere.large_transaction_event(v_id, p_user, p_type, p_amount, p_currency, p_status);
	END IF;
	RETURN v_id;
END $$;

COMMENT ON FUNCTION new_transaction(uuid, transaction_type, wad, currency, transaction_status, wad, jsonb, text, text) IS
	'writes one ledger entry (and its large_transaction event, if it is large) and returns its id';

CREATE OR REPLACE FUNCTION deposit(user_id uuid, currency currency, amount wad, tx_hash text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_id uuid;
	v_hash text;
	prior xphere.transactions;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF currency IS NULL THEN PERFORM xphere.raise_null('currency'); END IF;
	PERFORM xphere.check_amount(amount);
	v_hash := xphere.tx_hash_norm(tx_hash);
	PERFORM xphere.require_user(user_id);
	PERFORM xphere.authorize_admin();
	PERFORM xphere.require_active_user(user_id);

	/* the unique (type, tx_hash) index makes a concurrent replay wait, then conflict */
	INSERT INTO xphere.transactions (user_id, type, amount, currency, tx_hash)
	VALUES (deposit.user_id, 'DEPOSIT', amount, deposit.currency, v_hash)
	ON CONFLICT (type, tx_hash) WHERE tx_hash IS NOT NULL DO NOTHING
	RETURNING id INTO v_id;
	IF v_id IS NULL THEN
		SELECT * INTO STRICT prior FROM xphere.transactions t
		WHERE t.type = 'DEPOSIT' AND t.tx_hash = v_hash;
		IF prior.user_id = deposit.user_id AND prior.currency = deposit.currency
			AND prior.amount = amount THEN
			RETURN prior.id;
		END IF;
		RAISE EXCEPTION 'deposit % was already recorded with other details', v_hash
			USING ERRCODE = '23505',
			DETAIL = format('Recorded as %s %s for user %s.', prior.amount, prior.currency, prior.user_id);
	END IF;
	IF xphere.is_large_transaction(deposit.user_id, amount, deposit.currency) THEN
		PERFORM xphere.large_transaction_event(v_id, deposit.user_id, 'DEPOSIT', amount,
			deposit.currency, 'COMPLETED');
	END IF;
	PERFORM xphere.post(deposit.user_id, deposit.currency, amount, 0, v_id);
	RETURN v_id;
END $$;

CREATE OR REPLACE FUNCTION distribute_mining_batch(p_limit integer, p_paid_before timestamptz,
		p_after uuid DEFAULT NULL, OUT paid integer, OUT more boolean, OUT last_machine uuid)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp
	SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	v_now timestamptz := xphere.now();
	v_total xphere.wad;
	v_count integer;
	v_large bigint;
	v_house_tx uuid;
	v_machines uuid[];
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
		SELECT m.user_id FROM unnest(v_machines) AS x(id) JOIN xphere.user_machines m ON m.id = x.id)
	ORDER BY a.user_id FOR UPDATE;

	/*
	 * One statement: settle the machines, one ledger entry per user, one
	 * reward row per machine, credit the users with their history rows.
	 * (Data-modifying CTEs, not temporary tables: a session could plant a
	 * temporary table of that name with triggers of its own.)
	 */
	WITH paid AS (
		UPDATE xphere.user_machines m SET
			last_reward = xphere.machine_earned(m.daily_return_xp, m.online_us_before,
												m.online_since, v_now) - m.paid_xp,
			paid_xp = xphere.machine_earned(m.daily_return_xp, m.online_us_before,
											m.online_since, v_now),
			paid_at = v_now, updated_at = xphere.now()
		FROM unnest(v_machines) AS x(id)
		WHERE m.id = x.id
		  AND xphere.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, v_now)
			> m.paid_xp
		  AND m.status_changed_at <= v_now
		RETURNING m.id, m.user_id, m.last_reward
	), per_user AS MATERIALIZED (
		SELECT p.user_id, sum(p.last_reward) AS amount, count(*) AS machines,
			gen_random_uuid() AS tx_id
		FROM paid p GROUP BY p.user_id
	), entries AS (
		INSERT INTO xphere.transactions (id, user_id, type, amount, currency, metadata)
		SELECT u.tx_id, u.user_id, 'MINING_REWARD', u.amount, 'XP',
			jsonb_build_object('machines', u.machines, 'calculated_at', v_now)
		FROM per_user u
		RETURNING id, user_id, type, amount, currency, status
	), large AS (
		SELECT xphere.large_transaction_event(e.id, e.user_id, e.type, e.amount, e.currency, e.status)
		FROM entries e
		WHERE xphere.is_large_transaction(e.user_id, e.amount, e.currency)
	), rewards AS (
		INSERT INTO xphere.mining_rewards (user_id, machine_id, amount, calculated_at, distribution_tx,
			created_at)
		SELECT p.user_id, p.id, p.last_reward, v_now, u.tx_id, v_now
		FROM paid p JOIN per_user u USING (user_id)
	), credited AS (
		UPDATE xphere.accounts a SET available = a.available + u.amount, updated_at = xphere.now()
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
	SELECT count(*), sum(p.last_reward), (SELECT count(*) FROM large)
	INTO v_count, v_total, v_large FROM paid p;
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

-- dumped tables -----------------------------------------------------------------

/* a restore keeps the cache of refresh_positions_at_risk() too: every row as it was */
SELECT pg_catalog.pg_extension_config_dump('risk_refresh_marks', '');

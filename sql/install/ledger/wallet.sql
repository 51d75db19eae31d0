/*
 * Wallet: deposits, withdrawals, transfers and balances.
 *
 * Money enters only through deposit() and leaves only through a completed
 * withdrawal; everything else moves it between accounts.  A withdrawal
 * locks amount + fee when requested; completion removes the amount from
 * the platform and gives the fee to the house, failure unlocks both.  The
 * user's WITHDRAWAL entry keeps amount and fee (as in the ERD); the
 * house's income is a FEE entry of its own (metadata: the source entry),
 * so the FEE entries sum to the fee income.
 *
 * The operator functions (deposit, complete and fail a withdrawal) check
 * authorize_admin(): a session pinned to a platform user runs them only
 * if that user is an admin.
 *
 * A chain transaction hash is 0x and 64 hexadecimal digits (the chain is
 * EVM-like: addresses are 0x and 40 hex digits).  It is stored trimmed of
 * spaces, tabs and line breaks and in lower case, so that one chain
 * transaction has one spelling: '0xAB..' and ' 0xab.. ' are the same
 * deposit.  Anything else is 22023.
 */

CREATE FUNCTION xphere_internal.tx_hash_norm(tx_hash text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v text;
BEGIN
	IF tx_hash IS NULL THEN
		PERFORM xphere_internal.raise_null('tx_hash');
	END IF;
	v := lower(btrim(tx_hash, E' \t\r\n'));
	IF v !~ '^0x[0-9a-f]{64}$' THEN
		RAISE EXCEPTION 'invalid tx_hash "%"', left(tx_hash, 100) USING ERRCODE = 'invalid_parameter_value',
			HINT = 'A transaction hash is 0x followed by 64 hexadecimal digits.';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION xphere_internal.tx_hash_norm(text) IS
	'a chain transaction hash trimmed and lower-cased; 22004 for NULL, 22023 unless it is 0x and 64 hex digits';

CREATE FUNCTION deposit(user_id uuid, currency currency, amount wad, tx_hash text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_id uuid;
	v_hash text;
	prior xphere.transactions;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF currency IS NULL THEN PERFORM xphere_internal.raise_null('currency'); END IF;
	PERFORM xphere_internal.check_amount(amount);
	v_hash := xphere_internal.tx_hash_norm(tx_hash);
	PERFORM xphere_internal.require_user(user_id);
	PERFORM xphere_internal.authorize_admin();
	PERFORM xphere_internal.require_active_user(user_id);

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
			USING ERRCODE = 'unique_violation',
			DETAIL = pg_catalog.format('Recorded as %s %s for user %s.', prior.amount, prior.currency, prior.user_id);
	END IF;
	IF xphere_internal.is_large_transaction(deposit.user_id, amount, deposit.currency) THEN
		PERFORM xphere_internal.large_transaction_event(v_id, deposit.user_id, 'DEPOSIT', amount,
			deposit.currency, 'COMPLETED');
	END IF;
	PERFORM xphere_internal.post(deposit.user_id, deposit.currency, amount, 0, v_id);
	RETURN v_id;
END $$;
COMMENT ON FUNCTION deposit(uuid, currency, wad, text) IS
	'credits an on-chain deposit; idempotent on tx_hash, compared trimmed and lower-cased (a replay returns the first id, a conflicting one is 23505)';

CREATE FUNCTION xphere_internal.withdrawal_fee(p_currency currency) RETURNS wad
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	RETURN xphere_internal.setting(CASE p_currency WHEN 'XP' THEN 'withdrawal_fee_xp'
										ELSE 'withdrawal_fee_usdt' END)::xphere.wad;
END $$;
COMMENT ON FUNCTION xphere_internal.withdrawal_fee(currency) IS 'the withdrawal fee of a currency, from settings';

CREATE FUNCTION request_withdrawal(user_id uuid, currency currency, amount wad,
								   to_address text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_fee xphere.wad;
	v_id uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF currency IS NULL THEN PERFORM xphere_internal.raise_null('currency'); END IF;
	PERFORM xphere_internal.check_amount(amount);
	PERFORM xphere_internal.check_address(to_address);
	PERFORM xphere_internal.authorize_user(user_id);

	v_fee := xphere_internal.withdrawal_fee(currency);
	v_id := xphere_internal.new_transaction(user_id, 'WITHDRAWAL', amount, currency,
								   'PENDING', v_fee, '{}', NULL, to_address);
	PERFORM xphere_internal.post(user_id, currency, -(amount + v_fee), amount + v_fee, v_id);
	RETURN v_id;
END $$;
COMMENT ON FUNCTION request_withdrawal(uuid, currency, wad, text) IS
	'a PENDING withdrawal: amount + fee move from available to locked; XP001 if not enough';

/* the PENDING withdrawal, locked, for an operator; P0002, 42501 or XP006 otherwise */
CREATE FUNCTION xphere_internal.pending_withdrawal(p_id uuid) RETURNS transactions
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t xphere.transactions;
BEGIN
	SELECT * INTO t FROM xphere.transactions WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'transaction % does not exist', p_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_admin();
	IF t.type <> 'WITHDRAWAL' OR t.status <> 'PENDING' THEN
		RAISE EXCEPTION 'transaction % is not a pending withdrawal', p_id USING ERRCODE = xphere_internal.errcode('wrong_state'),
			DETAIL = pg_catalog.format('It is a %s %s.', t.status, t.type);
	END IF;
	RETURN t;
END $$;
COMMENT ON FUNCTION xphere_internal.pending_withdrawal(uuid) IS
	'locks a PENDING withdrawal; P0002 if missing, 42501 unless authorize_admin() passes, XP006 if not pending';

CREATE FUNCTION complete_withdrawal(transaction_id uuid, tx_hash text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	t xphere.transactions;
	v_hash text;
	v_fee_tx uuid;
BEGIN
	IF transaction_id IS NULL THEN PERFORM xphere_internal.raise_null('transaction_id'); END IF;
	v_hash := xphere_internal.tx_hash_norm(tx_hash);
	t := xphere_internal.pending_withdrawal(transaction_id);
	PERFORM xphere_internal.lock_accounts(ARRAY[xphere_internal.house_id(), t.user_id], ARRAY[t.currency, t.currency]);
	PERFORM xphere_internal.post(t.user_id, t.currency, 0, -(t.amount + t.fee), t.id);
	IF t.fee > 0 THEN
		v_fee_tx := xphere_internal.new_transaction(xphere_internal.house_id(), 'FEE', t.fee, t.currency, 'COMPLETED', 0,
			jsonb_build_object('source', 'WITHDRAWAL', 'transaction_id', t.id, 'user_id', t.user_id));
		PERFORM xphere_internal.post(xphere_internal.house_id(), t.currency, t.fee, 0, v_fee_tx);
	END IF;
	UPDATE xphere.transactions SET status = 'COMPLETED', tx_hash = v_hash
	WHERE id = t.id;
END $$;
COMMENT ON FUNCTION complete_withdrawal(uuid, text) IS
	'marks a PENDING withdrawal sent: the locked amount leaves, the fee goes to the house as a FEE entry; XP006 if not pending';

CREATE FUNCTION fail_withdrawal(transaction_id uuid, reason text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	t xphere.transactions;
BEGIN
	IF transaction_id IS NULL THEN PERFORM xphere_internal.raise_null('transaction_id'); END IF;
	PERFORM xphere_internal.check_text(reason, 'reason', 1000);
	t := xphere_internal.pending_withdrawal(transaction_id);
	PERFORM xphere_internal.post(t.user_id, t.currency, t.amount + t.fee, -(t.amount + t.fee), t.id);
	UPDATE xphere.transactions SET status = 'FAILED',
		metadata = t.metadata || jsonb_build_object('reason', reason)
	WHERE id = t.id;
END $$;
COMMENT ON FUNCTION fail_withdrawal(uuid, text) IS
	'marks a PENDING withdrawal failed and unlocks amount + fee; XP006 if not pending';

CREATE FUNCTION transfer(from_user uuid, to_user uuid, currency currency, amount wad,
						 memo text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_out uuid;
	v_in uuid;
BEGIN
	IF from_user IS NULL THEN PERFORM xphere_internal.raise_null('from_user'); END IF;
	IF to_user IS NULL THEN PERFORM xphere_internal.raise_null('to_user'); END IF;
	IF currency IS NULL THEN PERFORM xphere_internal.raise_null('currency'); END IF;
	PERFORM xphere_internal.check_amount(amount);
	IF memo IS NOT NULL THEN PERFORM xphere_internal.check_text(memo, 'memo', 1000); END IF;
	IF from_user = to_user THEN
		RAISE EXCEPTION 'cannot transfer to the same user' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM xphere_internal.require_user(to_user);
	PERFORM xphere_internal.authorize_user(from_user, 'from_user');
	PERFORM xphere_internal.require_active_user(to_user);

	PERFORM xphere_internal.lock_accounts(ARRAY[from_user, to_user], ARRAY[currency, currency]);
	v_out := xphere_internal.new_transaction(from_user, 'TRANSFER', amount, currency, 'COMPLETED', 0,
		jsonb_strip_nulls(jsonb_build_object('direction', 'out', 'counterparty', to_user, 'memo', memo)));
	v_in := xphere_internal.new_transaction(to_user, 'TRANSFER', amount, currency, 'COMPLETED', 0,
		jsonb_strip_nulls(jsonb_build_object('direction', 'in', 'counterparty', from_user,
											 'memo', memo, 'transfer_id', v_out)));
	PERFORM xphere_internal.post(from_user, currency, -amount, 0, v_out);
	PERFORM xphere_internal.post(to_user, currency, amount, 0, v_in);
	RETURN v_out;
END $$;
COMMENT ON FUNCTION transfer(uuid, uuid, currency, wad, text) IS
	'moves available funds between users, without fee; one entry for each side; returns the sender''s';

CREATE FUNCTION balance(user_id uuid, currency currency) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
	IF currency IS NULL THEN PERFORM xphere_internal.raise_null('currency'); END IF;
	PERFORM xphere_internal.authorize_user(user_id);
	RETURN coalesce((SELECT a.available FROM xphere.accounts a
					 WHERE a.user_id = balance.user_id AND a.currency = balance.currency), 0);
END $$;
COMMENT ON FUNCTION balance(uuid, currency) IS 'available balance of a user in a currency';

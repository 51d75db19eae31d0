/*
 * Users, admins, fees and the transactions indexes of the ERD.
 *
 * - user_role takes the ERD's labels: USER, ADMIN and SYSTEM are renamed
 *   in place to user, admin and system (stored rows, column defaults and
 *   trigger conditions follow the label; the PL/pgSQL bodies that name a
 *   label are replaced below).
 * - users gains email_verified (set_email_verified) and anonymised_at, at
 *   the end of the table; refresh_tokens the ERD's idx_expires;
 *   transactions the ERD's idx_user_type, idx_status (with created_at, it
 *   replaces transactions_pending_idx) and idx_created.
 * - Admins: set_user_role() (superuser or extension owner, audited);
 *   authorize_admin() makes a session pinned to a platform user run the
 *   operator functions only if that user is an admin.
 * - deactivate_user() and reactivate_user() instead of deletes, and a
 *   trigger refusing DELETE on users.
 * - Fees the house collects (withdrawals, swaps) are booked as FEE entries
 *   of the house; check_invariants() checks them.
 */

ALTER TYPE user_role RENAME VALUE 'USER' TO 'user';
ALTER TYPE user_role RENAME VALUE 'ADMIN' TO 'admin';
ALTER TYPE user_role RENAME VALUE 'SYSTEM' TO 'system';
COMMENT ON TYPE user_role IS
	'user and admin as in the ERD (an admin''s session may run the operator functions its database role allows); system owns the house, pool and treasury accounts';

ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN anonymised_at timestamptz;
COMMENT ON INDEX users_email_key IS 'the ERD''s idx_email (unique)';
COMMENT ON INDEX users_wallet_address_idx IS 'the ERD''s idx_wallet, without the rows that have no address';
COMMENT ON COLUMN users.role IS
	'user or admin (set_user_role); system rows own the house and pool accounts and cannot log in';
COMMENT ON COLUMN users.is_active IS
	'false once deactivate_user() ran: no login, no user-scoped call; the money rows stay';
COMMENT ON COLUMN users.email_verified IS 'whether the user confirmed the email address (set_email_verified)';
COMMENT ON COLUMN users.anonymised_at IS
	'when deactivate_user(..., true) replaced the personal data by placeholders; such a user is never reactivated';
GRANT SELECT (email_verified, anonymised_at) ON users TO xphere_app;

CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);
COMMENT ON INDEX refresh_tokens_user_idx IS 'the ERD''s idx_user, over the live (unrevoked) tokens';
COMMENT ON INDEX refresh_tokens_expires_idx IS 'the ERD''s idx_expires: finding expired tokens';

DROP INDEX transactions_pending_idx;
CREATE INDEX transactions_user_type_idx ON transactions (user_id, type);
CREATE INDEX transactions_status_created_idx ON transactions (status, created_at);
CREATE INDEX transactions_created_idx ON transactions (created_at);
COMMENT ON INDEX transactions_user_created_idx IS
	'the ERD''s idx_transactions_user_created (user_id, created_at DESC): a backward scan serves the newest first';
COMMENT ON INDEX transactions_user_type_idx IS 'the ERD''s idx_user_type';
COMMENT ON INDEX transactions_status_created_idx IS
	'the ERD''s idx_status, with created_at: also the oldest PENDING entries first';
COMMENT ON INDEX transactions_created_idx IS 'the ERD''s idx_created';

CREATE OR REPLACE FUNCTION require_user(p_user uuid) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM xphere.users u WHERE u.id = p_user AND u.role <> 'system') THEN
		RAISE EXCEPTION 'user % does not exist', p_user USING ERRCODE = 'P0002';
	END IF;
END $$;
COMMENT ON FUNCTION require_user(uuid) IS 'P0002 unless the user exists (system users do not count)';

CREATE FUNCTION require_active_user(p_user uuid) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT (SELECT u.is_active FROM xphere.users u WHERE u.id = p_user) THEN
		RAISE EXCEPTION 'user % is deactivated', p_user USING ERRCODE = 'XP006';
	END IF;
END $$;
COMMENT ON FUNCTION require_active_user(uuid) IS 'XP006 if the user was deactivated';

CREATE OR REPLACE FUNCTION authorize_user(p_user uuid, arg text DEFAULT 'user_id') RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_active boolean;
BEGIN
	IF p_user IS NULL THEN
		PERFORM xphere.raise_null(arg);
	END IF;
	SELECT u.is_active INTO v_active FROM xphere.users u WHERE u.id = p_user AND u.role <> 'system';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist', p_user USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_acting(p_user);
	IF NOT v_active THEN
		RAISE EXCEPTION 'user % is deactivated', p_user USING ERRCODE = 'XP006';
	END IF;
END $$;
COMMENT ON FUNCTION authorize_user(uuid, text) IS
	'P0002 if the user does not exist, 42501 if the session may not act for them, XP006 if they were deactivated';

CREATE FUNCTION authorize_admin() RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_user uuid := xphere.current_user_id();
BEGIN
	IF v_user IS NULL THEN
		IF NOT xphere.session_is_trusted() THEN
			RAISE EXCEPTION 'permission denied for an operator function' USING ERRCODE = '42501',
				DETAIL = 'This session acts for no user and its role is not trusted.';
		END IF;
	ELSIF NOT EXISTS (SELECT 1 FROM xphere.users u
					  WHERE u.id = v_user AND u.role = 'admin' AND u.is_active) THEN
		RAISE EXCEPTION 'permission denied for an operator function' USING ERRCODE = '42501',
			DETAIL = format('This session acts for user %s (xphere.user_id), who is not an active admin.', v_user);
	END IF;
END $$;
COMMENT ON FUNCTION authorize_admin() IS
	'42501 unless the session may run an operator function: pinned to an active admin user, or unpinned and trusted';

CREATE FUNCTION session_is_owner() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_session_is_owner' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION session_is_owner() IS
	'whether the session''s role is a superuser or the extension''s owner';

CREATE FUNCTION forbid_user_delete() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'users cannot be deleted' USING ERRCODE = '42501',
		DETAIL = format('User %s keeps its ledger history.', OLD.id),
		HINT = 'Use xphere.deactivate_user(), with anonymise => true to remove the personal data.';
END $$;
COMMENT ON FUNCTION forbid_user_delete() IS 'trigger: rejects DELETE of users';

CREATE OR REPLACE FUNCTION authenticate(email text, password text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	u xphere.users;
	v_cost integer;
	v_ok boolean;
	v_rehash boolean;
BEGIN
	PERFORM xphere.hide_secrets_from_log();
	PERFORM xphere.check_text(email, 'email', 255);
	PERFORM xphere.check_text(password, 'password', 200);
	v_cost := xphere.setting('password_hash_cost')::integer;
	SELECT * INTO u FROM xphere.users x
	WHERE x.email = lower(btrim(authenticate.email)) AND x.role <> 'system'
	  AND x.anonymised_at IS NULL;	-- (its placeholder hash is no bcrypt: treated as unknown)
	IF u.id IS NULL THEN
		/* the work of checking a hash of the current cost, so the time does not tell */
		PERFORM xphere.password_hash(password, v_cost);
		RAISE EXCEPTION 'invalid email or password' USING ERRCODE = '28P01';
	END IF;
	v_ok := xphere.password_check(password, u.password_hash) AND u.is_active;
	/* a hash of another cost, or of 0.1.0, is replaced by the current form */
	v_rehash := v_ok AND NOT current_setting('transaction_read_only')::boolean
		AND CASE WHEN starts_with(u.password_hash, 'bcrypt-sha256$')
				 THEN xphere.password_hash_cost(u.password_hash) IS DISTINCT FROM v_cost
				 ELSE octet_length(password) <= 72 END;
	IF v_rehash THEN
		UPDATE xphere.users x SET password_hash = xphere.password_hash(password, v_cost)
		WHERE x.id = u.id;
	ELSIF xphere.password_hash_cost(u.password_hash) < v_cost THEN
		/* a cheaper hash than an unknown email costs: make up the time */
		PERFORM xphere.password_hash(password, v_cost);
	END IF;
	IF NOT v_ok THEN
		RAISE EXCEPTION 'invalid email or password' USING ERRCODE = '28P01';
	END IF;
	RETURN u.id;
END $$;
COMMENT ON FUNCTION authenticate(text, text) IS
	'the user id for a correct email and password (an old or other-cost hash is rehashed); 28P01 otherwise';

CREATE OR REPLACE FUNCTION rotate_refresh_token(token text) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	t xphere.refresh_tokens;
	v_new text;
	v_new_id uuid;
BEGIN
	PERFORM xphere.hide_secrets_from_log();
	PERFORM xphere.check_text(token, 'token', 200);
	SELECT * INTO t FROM xphere.refresh_tokens r
	WHERE r.token_hash = xphere.token_digest(token) FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'invalid refresh token' USING ERRCODE = '28P01';
	END IF;
	PERFORM xphere.require_user(t.user_id);
	PERFORM xphere.authorize_acting(t.user_id);
	IF t.replaced_by IS NOT NULL THEN
		/* a rotated token came back: the family is compromised */
		UPDATE xphere.refresh_tokens SET revoked_at = xphere.now()
		WHERE user_id = t.user_id AND revoked_at IS NULL;
		RETURN NULL;
	END IF;
	IF t.revoked_at IS NOT NULL OR t.expires_at <= xphere.now()
		OR NOT (SELECT u.is_active FROM xphere.users u WHERE u.id = t.user_id) THEN
		RAISE EXCEPTION 'invalid refresh token' USING ERRCODE = '28P01';
	END IF;

	v_new := xphere.random_token();
	INSERT INTO xphere.refresh_tokens (user_id, family_id, token_hash, expires_at)
	VALUES (t.user_id, t.family_id, xphere.token_digest(v_new),
			xphere.now() + (t.expires_at - t.created_at))
	RETURNING id INTO v_new_id;
	UPDATE xphere.refresh_tokens SET revoked_at = xphere.now(), replaced_by = v_new_id
	WHERE id = t.id;
	RETURN v_new;
END $$;
COMMENT ON FUNCTION rotate_refresh_token(text) IS
	'exchanges a live token for a new one; a rotated token presented again revokes all the user''s tokens and returns NULL';

CREATE OR REPLACE FUNCTION revoke_refresh_tokens(user_id uuid) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	n integer;
BEGIN
	/* (a deactivated user's tokens may be revoked too: authorize_user() would refuse) */
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.require_user(user_id);
	PERFORM xphere.authorize_acting(user_id);
	UPDATE xphere.refresh_tokens r SET revoked_at = xphere.now()
	WHERE r.user_id = revoke_refresh_tokens.user_id AND r.revoked_at IS NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
COMMENT ON FUNCTION revoke_refresh_tokens(uuid) IS 'revokes every live token of the user; returns how many';

CREATE FUNCTION set_email_verified(user_id uuid, verified boolean DEFAULT true) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
	IF verified IS NULL THEN PERFORM xphere.raise_null('verified'); END IF;
	PERFORM xphere.authorize_user(user_id);
	/* the backend checked the emailed link; a user's own login role must not say so itself */
	IF NOT xphere.session_is_trusted() THEN
		RAISE EXCEPTION 'permission denied to set email_verified' USING ERRCODE = '42501',
			DETAIL = 'Only a trusted backend (a member of xphere_backend) confirms an email address.';
	END IF;
	UPDATE xphere.users u SET email_verified = verified
	WHERE u.id = set_email_verified.user_id AND u.email_verified IS DISTINCT FROM verified;
END $$;
COMMENT ON FUNCTION set_email_verified(uuid, boolean) IS
	'records whether the user confirmed the email address; trusted sessions (the backend) only';

CREATE FUNCTION set_user_role(user_id uuid, role user_role) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	u xphere.users;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF role IS NULL THEN PERFORM xphere.raise_null('role'); END IF;
	IF role = 'system' THEN
		RAISE EXCEPTION 'role system cannot be given' USING ERRCODE = '22023',
			HINT = 'A role is user or admin.';
	END IF;
	SELECT * INTO u FROM xphere.users x WHERE x.id = set_user_role.user_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist', user_id USING ERRCODE = 'P0002';
	END IF;
	IF u.role = 'system' THEN
		RAISE EXCEPTION 'user % is a system user', user_id USING ERRCODE = '22023',
			DETAIL = 'The house, pool and staking accounts keep role system.';
	END IF;
	IF NOT xphere.session_is_owner() THEN
		RAISE EXCEPTION 'permission denied to set a user''s role' USING ERRCODE = '42501',
			DETAIL = 'Only a superuser or the extension''s owner gives or takes role admin.';
	END IF;
	IF u.role = role THEN
		RETURN;
	END IF;
	UPDATE xphere.users x SET role = set_user_role.role WHERE x.id = u.id;
	PERFORM xphere.audit('set_user_role', 'user', u.id::text,
		jsonb_build_object('role', u.role), jsonb_build_object('role', role));
END $$;
COMMENT ON FUNCTION set_user_role(uuid, user_role) IS
	'makes a user an admin or a plain user; superuser or extension owner only; audited';

CREATE FUNCTION deactivate_user(user_id uuid, anonymise boolean DEFAULT false) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	u xphere.users;
	v_now timestamptz := xphere.now();
	v_tokens integer;
	v_machines integer;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF anonymise IS NULL THEN PERFORM xphere.raise_null('anonymise'); END IF;
	SELECT * INTO u FROM xphere.users x
	WHERE x.id = deactivate_user.user_id AND x.role <> 'system' FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist', user_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_admin();
	IF u.anonymised_at IS NOT NULL OR (NOT u.is_active AND NOT anonymise) THEN
		RAISE EXCEPTION 'user % is already %', user_id,
			CASE WHEN u.anonymised_at IS NOT NULL THEN 'anonymised' ELSE 'deactivated' END
			USING ERRCODE = 'XP006';
	END IF;

	UPDATE xphere.refresh_tokens r SET revoked_at = v_now
	WHERE r.user_id = u.id AND r.revoked_at IS NULL;
	GET DIAGNOSTICS v_tokens = ROW_COUNT;
	/* settle the online time as set_machine_status() does; what was earned stays payable */
	UPDATE xphere.user_machines m SET
		status = 'OFFLINE',
		online_us_before = m.online_us_before + CASE WHEN m.online_since IS NULL THEN 0
			ELSE xphere.micros_between(m.online_since,
				greatest(v_now, m.status_changed_at, m.paid_at)) END,
		online_since = NULL,
		status_changed_at = greatest(v_now, m.status_changed_at, m.paid_at)
	WHERE m.user_id = u.id AND m.status <> 'OFFLINE';
	GET DIAGNOSTICS v_machines = ROW_COUNT;
	IF anonymise THEN
		UPDATE xphere.users x SET is_active = false, email_verified = false,
			email = 'anonymised-' || x.id || '@xphere.invalid', name = 'anonymised user',
			password_hash = '!', wallet_address = NULL, anonymised_at = v_now
		WHERE x.id = u.id;
	ELSE
		UPDATE xphere.users x SET is_active = false WHERE x.id = u.id;
	END IF;
	/* the audit trail must not keep what anonymising removed */
	PERFORM xphere.audit(CASE WHEN anonymise THEN 'anonymise_user' ELSE 'deactivate_user' END,
		'user', u.id::text,
		jsonb_build_object('is_active', u.is_active, 'anonymised', false),
		jsonb_build_object('is_active', false, 'anonymised', anonymise,
						   'refresh_tokens_revoked', v_tokens, 'machines_offline', v_machines));
END $$;
COMMENT ON FUNCTION deactivate_user(uuid, boolean) IS
	'closes a user''s account (no login, tokens revoked, machines OFFLINE, money rows kept); anonymise also scrubs the personal data; audited';

CREATE FUNCTION reactivate_user(user_id uuid) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	u xphere.users;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	SELECT * INTO u FROM xphere.users x
	WHERE x.id = reactivate_user.user_id AND x.role <> 'system' FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist', user_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_admin();
	IF u.is_active OR u.anonymised_at IS NOT NULL THEN
		RAISE EXCEPTION 'user % cannot be reactivated', user_id USING ERRCODE = 'XP006',
			DETAIL = CASE WHEN u.is_active THEN 'The user is active.'
						  ELSE 'The user was anonymised.' END;
	END IF;
	UPDATE xphere.users x SET is_active = true WHERE x.id = u.id;
	PERFORM xphere.audit('reactivate_user', 'user', u.id::text,
		jsonb_build_object('is_active', false), jsonb_build_object('is_active', true));
END $$;
COMMENT ON FUNCTION reactivate_user(uuid) IS
	'reopens a deactivated, not anonymised user (machines stay OFFLINE until set_machine_status); audited';

COMMENT ON FUNCTION deposit(uuid, currency, wad, text) IS
	'credits an on-chain deposit; idempotent on tx_hash, compared trimmed and lower-cased (a replay returns the first id, a conflicting one is 23505)';

CREATE OR REPLACE FUNCTION pending_withdrawal(p_id uuid) RETURNS transactions
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t xphere.transactions;
BEGIN
	SELECT * INTO t FROM xphere.transactions WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'transaction % does not exist', p_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_admin();
	IF t.type <> 'WITHDRAWAL' OR t.status <> 'PENDING' THEN
		RAISE EXCEPTION 'transaction % is not a pending withdrawal', p_id USING ERRCODE = 'XP006',
			DETAIL = format('It is a %s %s.', t.status, t.type);
	END IF;
	RETURN t;
END $$;
COMMENT ON FUNCTION pending_withdrawal(uuid) IS
	'locks a PENDING withdrawal; P0002 if missing, 42501 unless authorize_admin() passes, XP006 if not pending';

CREATE OR REPLACE FUNCTION complete_withdrawal(transaction_id uuid, tx_hash text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	t xphere.transactions;
	v_hash text;
	v_fee_tx uuid;
BEGIN
	IF transaction_id IS NULL THEN PERFORM xphere.raise_null('transaction_id'); END IF;
	v_hash := xphere.tx_hash_norm(tx_hash);
	t := xphere.pending_withdrawal(transaction_id);
	PERFORM xphere.lock_accounts(ARRAY[xphere.house_id(), t.user_id], ARRAY[t.currency, t.currency]);
	PERFORM xphere.post(t.user_id, t.currency, 0, -(t.amount + t.fee), t.id);
	IF t.fee > 0 THEN
		v_fee_tx := xphere.new_transaction(xphere.house_id(), 'FEE', t.fee, t.currency, 'COMPLETED', 0,
			jsonb_build_object('source', 'WITHDRAWAL', 'transaction_id', t.id, 'user_id', t.user_id));
		PERFORM xphere.post(xphere.house_id(), t.currency, t.fee, 0, v_fee_tx);
	END IF;
	UPDATE xphere.transactions SET status = 'COMPLETED', tx_hash = v_hash
	WHERE id = t.id;
END $$;
COMMENT ON FUNCTION complete_withdrawal(uuid, text) IS
	'marks a PENDING withdrawal sent: the locked amount leaves, the fee goes to the house as a FEE entry; XP006 if not pending';

CREATE OR REPLACE FUNCTION transfer(from_user uuid, to_user uuid, currency currency, amount wad,
						 memo text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_out uuid;
	v_in uuid;
BEGIN
	IF from_user IS NULL THEN PERFORM xphere.raise_null('from_user'); END IF;
	IF to_user IS NULL THEN PERFORM xphere.raise_null('to_user'); END IF;
	IF currency IS NULL THEN PERFORM xphere.raise_null('currency'); END IF;
	PERFORM xphere.check_amount(amount);
	IF memo IS NOT NULL THEN PERFORM xphere.check_text(memo, 'memo', 1000); END IF;
	IF from_user = to_user THEN
		RAISE EXCEPTION 'cannot transfer to the same user' USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.require_user(to_user);
	PERFORM xphere.authorize_user(from_user, 'from_user');
	PERFORM xphere.require_active_user(to_user);

	PERFORM xphere.lock_accounts(ARRAY[from_user, to_user], ARRAY[currency, currency]);
	v_out := xphere.new_transaction(from_user, 'TRANSFER', amount, currency, 'COMPLETED', 0,
		jsonb_strip_nulls(jsonb_build_object('direction', 'out', 'counterparty', to_user, 'memo', memo)));
	v_in := xphere.new_transaction(to_user, 'TRANSFER', amount, currency, 'COMPLETED', 0,
		jsonb_strip_nulls(jsonb_build_object('direction', 'in', 'counterparty', from_user,
											 'memo', memo, 'transfer_id', v_out)));
	PERFORM xphere.post(from_user, currency, -amount, 0, v_out);
	PERFORM xphere.post(to_user, currency, amount, 0, v_in);
	RETURN v_out;
END $$;
COMMENT ON FUNCTION transfer(uuid, uuid, currency, wad, text) IS
	'moves available funds between users, without fee; one entry for each side; returns the sender''s';

CREATE OR REPLACE FUNCTION set_price(asset text, price_usdt wad, source text DEFAULT 'manual') RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_old xphere.wad;
BEGIN
	PERFORM xphere.check_text(asset, 'asset', 10);
	PERFORM xphere.check_amount(price_usdt, 'price_usdt');
	PERFORM xphere.check_text(source, 'source', 100);
	IF length(btrim(source)) = 0 THEN
		RAISE EXCEPTION 'source must not be empty' USING ERRCODE = '22023';
	END IF;
	IF asset = 'USDT' THEN
		RAISE EXCEPTION 'the price of USDT cannot be set' USING ERRCODE = '22023',
			DETAIL = 'USDT is the base currency; its price is always 1.';
	END IF;
	IF asset <> 'XP' THEN
		RAISE EXCEPTION 'unknown asset "%"', asset USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_admin();
	SELECT p.price_usdt INTO v_old FROM xphere.prices p
	WHERE p.asset = set_price.asset ORDER BY p.created_at DESC, p.id DESC LIMIT 1;
	INSERT INTO xphere.prices (asset, price_usdt, source) VALUES (asset, price_usdt, source);
	PERFORM xphere.audit('set_price', 'price', asset,
		jsonb_build_object('price_usdt', v_old), jsonb_build_object('price_usdt', price_usdt, 'source', source));
	/* stored health factors of the positions at risk follow the price */
	PERFORM xphere.refresh_positions_at_risk();
END $$;
COMMENT ON FUNCTION set_price(text, wad, text) IS 'records a new price of an asset in USDT; audited';

CREATE OR REPLACE FUNCTION create_staking_account(p_pool text) RETURNS uuid
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO xphere.users (id, email, password_hash, name, role, is_active)
	VALUES (xphere.staking_account(p_pool), 'staking-' || p_pool || '@xphere.invalid', '!',
			'Staking tier ' || p_pool, 'system', false)
	ON CONFLICT (id) DO NOTHING;
	SELECT xphere.staking_account(p_pool);
END;
COMMENT ON FUNCTION create_staking_account(text) IS 'creates the system user of a staking tier';

CREATE OR REPLACE FUNCTION swap(user_id uuid, from_currency currency, amount wad) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_to xphere.currency;
	v_price_from xphere.wad;
	v_price_to xphere.wad;
	v_fee_bps integer;
	v_received xphere.wad;
	v_gross xphere.wad;
	v_out uuid;
	v_in uuid;
	v_fee_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF from_currency IS NULL THEN PERFORM xphere.raise_null('from_currency'); END IF;
	PERFORM xphere.check_amount(amount);
	PERFORM xphere.authorize_user(user_id);

	v_to := CASE from_currency WHEN 'XP' THEN 'USDT' ELSE 'XP' END;
	v_price_from := xphere.fresh_price(from_currency);
	v_price_to := xphere.fresh_price(v_to);
	v_fee_bps := xphere.setting('swap_fee_bps')::integer;
	/* raw units: amount x 10^18 x price_from / price_to, exact integers in numeric; div truncates */
	v_received := div(amount::numeric * 1000000000000000000 * v_price_from::numeric * (10000 - v_fee_bps),
					  v_price_to::numeric * 10000) * 0.000000000000000001;
	v_gross := div(amount::numeric * 1000000000000000000 * v_price_from::numeric,
				   v_price_to::numeric) * 0.000000000000000001;
	IF v_received = 0 THEN
		RAISE EXCEPTION 'amount % % is too small to swap', amount, from_currency USING ERRCODE = '22023',
			DETAIL = format('At %s %s per %s and a fee of %s bps it buys less than one wei.',
							v_price_from / v_price_to, v_to, from_currency, v_fee_bps);
	END IF;

	PERFORM xphere.lock_accounts(ARRAY[swap.user_id, swap.user_id, xphere.house_id(), xphere.house_id()],
								 ARRAY[from_currency, v_to, from_currency, v_to]);
	v_out := xphere.new_transaction(swap.user_id, 'SWAP', amount, from_currency, 'COMPLETED', 0,
		jsonb_build_object('direction', 'out', 'to_currency', v_to, 'received', v_received,
						   'price_from', v_price_from, 'price_to', v_price_to, 'fee_bps', v_fee_bps));
	v_in := xphere.new_transaction(swap.user_id, 'SWAP', v_received, v_to, 'COMPLETED',
		v_gross - v_received,
		jsonb_build_object('direction', 'in', 'from_currency', from_currency, 'paid', amount,
						   'swap_id', v_out));
	PERFORM xphere.post(swap.user_id, from_currency, -amount, 0, v_out);
	PERFORM xphere.post(xphere.house_id(), from_currency, amount, 0, v_out);
	PERFORM xphere.post(xphere.house_id(), v_to, -v_gross, 0, v_in);
	PERFORM xphere.post(swap.user_id, v_to, v_received, 0, v_in);
	/* the house keeps the fee out of what it owed: its income, as a FEE entry */
	IF v_gross > v_received THEN
		v_fee_tx := xphere.new_transaction(xphere.house_id(), 'FEE', v_gross - v_received, v_to,
			'COMPLETED', 0, jsonb_build_object('source', 'SWAP', 'transaction_id', v_in,
											   'user_id', swap.user_id));
		PERFORM xphere.post(xphere.house_id(), v_to, v_gross - v_received, 0, v_fee_tx);
	END IF;
	RETURN v_received;
END $$;
COMMENT ON FUNCTION swap(uuid, currency, wad) IS
	'exchanges XP and USDT with the house at the fresh price, less swap_fee_bps; returns the amount received';

CREATE OR REPLACE FUNCTION create_pool_account(p_pool text) RETURNS uuid
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO xphere.users (id, email, password_hash, name, role, is_active)
	VALUES (xphere.pool_account(p_pool), 'pool-' || p_pool || '@xphere.invalid', '!',
			'Lending pool ' || p_pool, 'system', false)
	ON CONFLICT (id) DO NOTHING;
	SELECT xphere.pool_account(p_pool);
END;
COMMENT ON FUNCTION create_pool_account(text) IS 'creates the system user of a pool';

CREATE OR REPLACE FUNCTION check_invariants() RETURNS TABLE (invariant text, detail text)
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp
BEGIN ATOMIC
	-- each account equals the sum of its history, and its last after-values
	SELECT 'account equals its history',
		format('%s %s: available %s, locked %s; history sums to %s, %s',
			a.user_id, a.currency, a.available, a.locked,
			coalesce(h.avail, 0), coalesce(h.lock, 0))
	FROM xphere.accounts a
	LEFT JOIN (SELECT user_id, currency, sum(available_change) AS avail,
					  sum(locked_change) AS lock
			   FROM xphere.balance_history GROUP BY user_id, currency) h
		USING (user_id, currency)
	WHERE a.available <> coalesce(h.avail, 0) OR a.locked <> coalesce(h.lock, 0)
	UNION ALL
	-- history rows chain: each before equals the previous after
	SELECT 'history rows chain',
		format('%s %s: row %s starts at %s/%s, the previous one ended at %s/%s',
			user_id, currency, id, available_before, locked_before, prev_avail, prev_lock)
	FROM (SELECT h.*, lag(available_after) OVER w AS prev_avail,
				 lag(locked_after) OVER w AS prev_lock
		  FROM xphere.balance_history h
		  WINDOW w AS (PARTITION BY user_id, currency ORDER BY id)) c
	WHERE (prev_avail IS NULL AND (available_before <> 0 OR locked_before <> 0))
	   OR (prev_avail IS NOT NULL AND (available_before <> prev_avail OR locked_before <> prev_lock))
	UNION ALL
	-- nobody but the house is below zero
	SELECT 'no negative balance',
		format('%s %s: available %s, locked %s', user_id, currency, available, locked)
	FROM xphere.accounts
	WHERE (available < 0 AND NOT allow_negative) OR locked < 0
	UNION ALL
	SELECT 'only house accounts may go negative',
		format('%s %s allows a negative balance', user_id, currency)
	FROM xphere.accounts WHERE allow_negative AND user_id <> xphere.house_id()
	UNION ALL
	-- locked funds are exactly pending withdrawals plus collateral
	SELECT 'locked equals pending withdrawals and collateral',
		format('%s %s: locked %s, pending withdrawals %s, collateral %s',
			a.user_id, a.currency, a.locked, coalesce(w.total, 0), coalesce(c.total, 0))
	FROM xphere.accounts a
	LEFT JOIN (SELECT user_id, currency, sum(amount + fee) AS total
			   FROM xphere.transactions
			   WHERE type = 'WITHDRAWAL' AND status = 'PENDING'
			   GROUP BY user_id, currency) w USING (user_id, currency)
	LEFT JOIN (SELECT user_id, collateral_asset AS currency, sum(collateral_amount) AS total
			   FROM xphere.borrow_positions WHERE status = 'OPEN'
			   GROUP BY user_id, collateral_asset) c USING (user_id, currency)
	WHERE a.locked <> coalesce(w.total, 0) + coalesce(c.total, 0)
	UNION ALL
	-- per currency, all accounts together hold deposits minus withdrawals
	SELECT 'money is conserved',
		format('%s: accounts hold %s, completed deposits minus withdrawals are %s',
			cur, coalesce(held, 0), coalesce(dep, 0) - coalesce(wd, 0))
	FROM (SELECT c AS cur,
				 (SELECT sum(available + locked) FROM xphere.accounts WHERE currency = c) AS held,
				 (SELECT sum(amount) FROM xphere.transactions
				  WHERE currency = c AND type = 'DEPOSIT' AND status = 'COMPLETED') AS dep,
				 (SELECT sum(amount) FROM xphere.transactions
				  WHERE currency = c AND type = 'WITHDRAWAL' AND status = 'COMPLETED') AS wd
		  FROM unnest(enum_range(NULL::xphere.currency)) AS c) m
	WHERE coalesce(held, 0) <> coalesce(dep, 0) - coalesce(wd, 0)
	UNION ALL
	-- every history row belongs to an entry of the same currency
	SELECT 'history matches its ledger entry',
		format('history row %s (%s) refers to %s entry %s', h.id, h.currency, t.currency, t.id)
	FROM xphere.balance_history h JOIN xphere.transactions t ON t.id = h.transaction_id
	WHERE t.currency <> h.currency
	UNION ALL
	-- a machine was paid exactly its reward rows, and never more than it earned
	SELECT 'machine paid equals its rewards',
		format('machine %s: paid %s, reward rows sum to %s', m.id, m.paid_xp, coalesce(r.total, 0))
	FROM xphere.user_machines m
	LEFT JOIN (SELECT machine_id, sum(amount) AS total FROM xphere.mining_rewards
			   GROUP BY machine_id) r ON r.machine_id = m.id
	WHERE m.paid_xp <> coalesce(r.total, 0)
	   OR m.paid_xp > xphere.machine_earned(m.daily_return_xp, m.online_us_before,
										   m.online_since, greatest(xphere.now(), m.status_changed_at))
	UNION ALL
	-- reward entries credit exactly their reward rows
	SELECT 'reward entry equals its rows',
		format('entry %s: %s, rows sum to %s', t.id, t.amount, r.total)
	FROM xphere.transactions t
	JOIN (SELECT distribution_tx, sum(amount) AS total FROM xphere.mining_rewards
		  GROUP BY distribution_tx) r ON r.distribution_tx = t.id
	WHERE t.amount <> r.total
	UNION ALL
	-- a pool's cash is its account's balance
	SELECT 'pool cash equals its account',
		format('pool %s: cash %s, account %s', p.id, p.cash, coalesce(a.available, 0))
	FROM xphere.lending_pools p
	LEFT JOIN xphere.accounts a ON a.user_id = p.account_id AND a.currency = p.asset
	WHERE p.cash <> coalesce(a.available, 0) OR coalesce(a.locked, 0) <> 0
	UNION ALL
	-- a pool's scaled totals are the sums of its positions
	SELECT 'pool totals equal its positions',
		format('pool %s: scaled supplied %s (positions %s), scaled borrowed %s (positions %s)',
			p.id, p.scaled_supplied, coalesce(s.total, 0), p.scaled_borrowed, coalesce(b.total, 0))
	FROM xphere.lending_pools p
	LEFT JOIN (SELECT pool_id, sum(scaled_amount) AS total FROM xphere.supply_positions
			   GROUP BY pool_id) s ON s.pool_id = p.id
	LEFT JOIN (SELECT pool_id, sum(scaled_debt) AS total FROM xphere.borrow_positions
			   WHERE status = 'OPEN' GROUP BY pool_id) b ON b.pool_id = p.id
	WHERE p.scaled_supplied <> coalesce(s.total, 0) OR p.scaled_borrowed <> coalesce(b.total, 0)
	UNION ALL
	-- what the pool has and is owed (plus the written-off deficit) covers what it owes
	SELECT 'pool covers its suppliers',
		format('pool %s: cash %s + debt %s + deficit %s < supplied %s + treasury %s', p.id, p.cash,
			xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index), p.deficit,
			xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index),
			xphere.ray_mul_floor(p.treasury_scaled, p.liquidity_index))
	FROM xphere.lending_pools p
	WHERE p.cash + xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index) + p.deficit
		< xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index)
		  + xphere.ray_mul_floor(p.treasury_scaled, p.liquidity_index)
	UNION ALL
	-- indexes start at 1 and only grow
	SELECT 'pool indexes never decrease',
		format('pool %s: liquidity index %s, borrow index %s', p.id, p.liquidity_index, p.borrow_index)
	FROM xphere.lending_pools p
	WHERE p.liquidity_index < '1' OR p.borrow_index < '1' OR p.cash < 0 OR p.deficit < 0
		OR p.treasury_scaled < 0
	UNION ALL
	-- a staking tier's total is its live positions, held in its account
	SELECT 'staking tier total equals its positions and account',
		format('tier %s: total_staked %s, active and unbonding positions %s, account %s/%s', p.id,
			p.total_staked, coalesce(s.total, 0), coalesce(a.available, 0), coalesce(a.locked, 0))
	FROM xphere.staking_pools p
	LEFT JOIN (SELECT staking_pool, sum(amount) AS total FROM xphere.staking_positions
			   WHERE status IN ('ACTIVE', 'UNBONDING') GROUP BY staking_pool) s ON s.staking_pool = p.id
	LEFT JOIN xphere.accounts a ON a.user_id = xphere.staking_account(p.id) AND a.currency = 'XP'
	WHERE p.total_staked <> coalesce(s.total, 0) OR p.total_staked <> coalesce(a.available, 0)
		OR coalesce(a.locked, 0) <> 0
	UNION ALL
	-- a stake is never paid more than it earned; a withdrawn one was paid all of it
	SELECT 'staking rewards claimed within earned',
		format('position %s (%s): claimed %s, accumulated %s, earned %s', s.id, s.status,
			s.claimed_rewards, s.accumulated_rewards,
			xphere.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at)))
	FROM xphere.staking_positions s JOIN xphere.staking_pools p ON p.id = s.staking_pool
	WHERE s.claimed_rewards < 0
		OR s.claimed_rewards > xphere.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at))
		OR (s.status = 'WITHDRAWN' AND s.claimed_rewards <> s.accumulated_rewards)
	UNION ALL
	-- the house paid exactly the claimed staking rewards
	SELECT 'staking reward entries equal claims',
		format('STAKING_REWARD entries sum to %s, positions claimed %s', coalesce(t.total, 0),
			coalesce(c.total, 0))
	FROM (SELECT sum(amount) AS total FROM xphere.transactions WHERE type = 'STAKING_REWARD') t,
		 (SELECT sum(claimed_rewards) AS total FROM xphere.staking_positions) c
	WHERE coalesce(t.total, 0) <> coalesce(c.total, 0)
	UNION ALL
	-- a FEE entry books the fee of its source entry, credited to the house
	SELECT 'fee entry books its source''s fee',
		format('FEE entry %s: %s %s; source %s charged %s %s; house credited %s', f.id, f.amount,
			f.currency, s.id, s.fee, s.currency, h.change)
	FROM xphere.transactions f
	LEFT JOIN xphere.transactions s ON s.id = (f.metadata ->> 'transaction_id')::uuid
	LEFT JOIN (SELECT transaction_id, sum(available_change) AS change FROM xphere.balance_history
			   WHERE user_id = xphere.house_id() GROUP BY transaction_id) h ON h.transaction_id = f.id
	WHERE f.type = 'FEE'
	  AND (f.user_id <> xphere.house_id() OR s.id IS NULL OR s.fee <> f.amount
		   OR s.currency <> f.currency OR s.status <> 'COMPLETED' OR h.change IS DISTINCT FROM f.amount)
	UNION ALL
	-- since FEE entries exist, every fee charged has one (0.1.0 booked fees on the source entry)
	SELECT 'fee charged has its FEE entry',
		format('%s entry %s charged %s %s without a FEE entry', s.type, s.id, s.fee, s.currency)
	FROM xphere.transactions s
	WHERE s.status = 'COMPLETED' AND s.fee > 0
	  AND s.created_at >= (SELECT min(f.created_at) FROM xphere.transactions f WHERE f.type = 'FEE')
	  AND NOT EXISTS (SELECT 1 FROM xphere.transactions f
					  WHERE f.type = 'FEE' AND f.metadata ->> 'transaction_id' = s.id::text);
END;
COMMENT ON FUNCTION check_invariants() IS 'every violated money invariant, one row each; no rows means healthy';

CREATE TRIGGER users_no_delete BEFORE DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION forbid_user_delete();

GRANT EXECUTE ON FUNCTION set_email_verified(uuid, boolean) TO xphere_app;
GRANT EXECUTE ON FUNCTION deactivate_user(uuid, boolean), reactivate_user(uuid) TO xphere_admin;
COMMENT ON COLUMN lending_pools.account_id IS 'the system user whose account holds the pool''s cash';

-- the text overloads of the functions above (sql/install/platform/param_types.sql)
SELECT xphere.make_driver_overloads();

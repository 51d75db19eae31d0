/*
 * Users and refresh tokens.
 *
 * Passwords are stored through pgcrypto, which the extension requires.
 * pgcrypto may live in any schema, so the three small wrappers below are
 * created with that schema written into their bodies (found at install
 * time) instead of relying on a search_path.
 *
 * bcrypt reads at most 72 bytes of its input, and a password may have 200
 * characters (up to 800 bytes in UTF-8).  So a password is first reduced
 * to base64(SHA-256(its UTF-8 bytes)), 44 ASCII characters without a NUL,
 * and that is given to bcrypt: every character counts.  Such a hash is
 * stored as 'bcrypt-sha256$' followed by the bcrypt string.  A hash
 * without that marker is the plain bcrypt of the password written by
 * 0.1.0; it still verifies, and a successful login replaces it by the new
 * form (unless the password is longer than 72 bytes: the old hash cannot
 * tell it from another one with the same first 72 bytes, so it is not
 * made permanent).  A successful login also rehashes a hash whose cost is
 * not the password_hash_cost setting.
 *
 * authenticate() takes as long for an unknown email as for a known one:
 * an unknown email costs one bcrypt at the current cost, and a known
 * user's hash of a lower cost is followed by one more bcrypt at the
 * current cost (the rehash after a success, or the same work after a
 * failure).
 *
 * The functions that take a password or a token call
 * xphere_internal.hide_secrets_from_log() first (src/secrets.c): a report made
 * during their transaction reaches the server log without the statement
 * and its parameters.  Their own messages never quote a password or token.
 *
 * A refresh token is 32 random bytes, returned once as hex; only its
 * SHA-256 is stored.  Rotation replaces a token by a new one of the same
 * family and lifetime; presenting an already rotated token again means it
 * was stolen or replayed, so every token of the user is revoked (the call
 * returns NULL instead of raising, so that the revocation commits).
 *
 * Administration of users (role, deactivation) is audited.  A user is
 * never deleted: the ledger keeps its entries.  deactivate_user() closes
 * the account: no login, no refresh token, no user-scoped call (XP006),
 * machines OFFLINE (what they earned until then is still distributed);
 * stakes, supply and loans stay as they are (loans keep accruing and stay
 * liquidatable), pending withdrawals wait for the operator, balances
 * remain owed.  With anonymise it also replaces the personal data by
 * placeholders, for good.
 */

-- users -------------------------------------------------------------------

CREATE TABLE users (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email			text NOT NULL CHECK (email = lower(email) AND length(email) <= 255),
	password_hash	text NOT NULL,
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	wallet_address	text CHECK (wallet_address ~ '^0x[0-9a-fA-F]{40}$'),
	role			user_role NOT NULL DEFAULT 'user',
	is_active		boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	email_verified	boolean NOT NULL DEFAULT false,
	anonymised_at	timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_wallet_address_idx ON users (wallet_address) WHERE wallet_address IS NOT NULL;
COMMENT ON INDEX users_email_key IS 'the ERD''s idx_email (unique)';
COMMENT ON INDEX users_wallet_address_idx IS 'the ERD''s idx_wallet, without the rows that have no address';
COMMENT ON TABLE users IS 'platform users; emails lower-cased and unique, passwords as bcrypt hashes';
COMMENT ON COLUMN users.password_hash IS
	'''bcrypt-sha256$'' and the bcrypt (pgcrypto, bf salt) of base64(sha256(password)), or a plain bcrypt from 0.1.0; never the password';
COMMENT ON COLUMN users.role IS
	'user or admin (set_user_role); system rows own the house and pool accounts and cannot log in';
COMMENT ON COLUMN users.is_active IS
	'false once deactivate_user() ran: no login, no user-scoped call; the money rows stay';
COMMENT ON COLUMN users.email_verified IS 'whether the user confirmed the email address (set_email_verified)';
COMMENT ON COLUMN users.anonymised_at IS
	'when deactivate_user(..., true) replaced the personal data by placeholders; such a user is never reactivated';

CREATE TABLE refresh_tokens (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	family_id		uuid NOT NULL,
	token_hash		bytea NOT NULL UNIQUE,
	expires_at		timestamptz NOT NULL,
	revoked_at		timestamptz,
	replaced_by		uuid REFERENCES refresh_tokens,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);
COMMENT ON INDEX refresh_tokens_user_idx IS 'the ERD''s idx_user, over the live (unrevoked) tokens';
COMMENT ON INDEX refresh_tokens_expires_idx IS 'the ERD''s idx_expires: finding expired tokens';
COMMENT ON TABLE refresh_tokens IS 'refresh tokens by SHA-256; the token itself is returned once and never stored';
COMMENT ON COLUMN refresh_tokens.family_id IS 'the chain of rotations a token belongs to';
COMMENT ON COLUMN refresh_tokens.replaced_by IS 'set when rotated: presenting a rotated token again revokes every token of the user';

CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();


CREATE FUNCTION xphere_internal.hide_secrets_from_log() RETURNS void
	AS 'MODULE_PATHNAME', 'xphere_hide_secrets_from_log' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION xphere_internal.hide_secrets_from_log() IS
	'until the transaction ends, reports reach the server log without statement or context (called by the functions taking a password or token)';

DO $$
DECLARE
	s text := (SELECT n.nspname FROM pg_catalog.pg_extension e
			   JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
			   WHERE e.extname = 'pgcrypto');
BEGIN
	EXECUTE pg_catalog.format($f$
		CREATE FUNCTION xphere_internal.bcrypt_hash(password text, cost integer) RETURNS text
			LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
			RETURN %1$I.crypt(password, %1$I.gen_salt('bf', cost))$f$, s);
	EXECUTE pg_catalog.format($f$
		CREATE FUNCTION xphere_internal.bcrypt_check(password text, hash text) RETURNS boolean
			LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
			RETURN %1$I.crypt(password, hash) = hash$f$, s);
	EXECUTE pg_catalog.format($f$
		CREATE FUNCTION xphere_internal.random_token() RETURNS text
			LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
			RETURN encode(%1$I.gen_random_bytes(32), 'hex')$f$, s);
END $$;
COMMENT ON FUNCTION xphere_internal.bcrypt_hash(text, integer) IS 'bcrypt hash of a password (pgcrypto)';
COMMENT ON FUNCTION xphere_internal.bcrypt_check(text, text) IS 'whether a password matches a bcrypt hash (pgcrypto)';
COMMENT ON FUNCTION xphere_internal.random_token() IS '32 random bytes as hex (pgcrypto)';

CREATE FUNCTION xphere_internal.token_digest(token text) RETURNS bytea
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN sha256(convert_to(token, 'UTF8'));
COMMENT ON FUNCTION xphere_internal.token_digest(text) IS 'the stored form of a refresh token: its SHA-256';

CREATE FUNCTION xphere_internal.password_prehash(password text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN encode(sha256(convert_to(password, 'UTF8')), 'base64');
COMMENT ON FUNCTION xphere_internal.password_prehash(text) IS
	'what bcrypt is given for a password: base64 of the SHA-256 of its UTF-8 bytes (44 characters, all of the password counts)';

CREATE FUNCTION xphere_internal.password_hash(password text, cost integer) RETURNS text
	LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
	RETURN 'bcrypt-sha256$' || xphere_internal.bcrypt_hash(xphere_internal.password_prehash(password), cost);
COMMENT ON FUNCTION xphere_internal.password_hash(text, integer) IS
	'the stored form of a password: ''bcrypt-sha256$'' and the bcrypt of its prehash at the given cost';

CREATE FUNCTION xphere_internal.password_check(password text, hash text) RETURNS boolean
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	RETURN CASE WHEN starts_with(hash, 'bcrypt-sha256$')
				THEN xphere_internal.bcrypt_check(xphere_internal.password_prehash(password), substr(hash, 15))
				ELSE xphere_internal.bcrypt_check(password, hash) END;
COMMENT ON FUNCTION xphere_internal.password_check(text, text) IS
	'whether a password matches a stored hash: the bcrypt-sha256 form, or the plain bcrypt of 0.1.0';

CREATE FUNCTION xphere_internal.password_hash_cost(hash text) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN substring(hash FROM '^(?:bcrypt-sha256\$)?\$2[abxy]?\$([0-9]{2})\$')::integer;
COMMENT ON FUNCTION xphere_internal.password_hash_cost(text) IS 'the bcrypt cost of a stored hash (either form); NULL if it is none';

CREATE FUNCTION register_user(email text, password text, name text,
							  wallet_address text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_email text := lower(btrim(email));
	v_id uuid;
BEGIN
	PERFORM xphere_internal.hide_secrets_from_log();
	PERFORM xphere_internal.check_text(email, 'email', 255);
	PERFORM xphere_internal.check_text(password, 'password', 200);
	PERFORM xphere_internal.check_text(name, 'name', 100);
	IF v_email !~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$' THEN
		RAISE EXCEPTION 'invalid email address "%"', left(email, 255) USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF length(password) < 8 THEN
		RAISE EXCEPTION 'password is too short' USING ERRCODE = 'invalid_parameter_value',
			DETAIL = 'A password has 8 to 200 characters.';
	END IF;
	IF length(btrim(name)) = 0 THEN
		RAISE EXCEPTION 'name must not be empty' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF wallet_address IS NOT NULL AND wallet_address !~ '^0x[0-9a-fA-F]{40}$' THEN
		RAISE EXCEPTION 'invalid wallet address "%"', left(wallet_address, 100) USING ERRCODE = 'invalid_parameter_value',
			HINT = 'An address is 0x followed by 40 hexadecimal digits.';
	END IF;
	IF EXISTS (SELECT 1 FROM xphere.users u WHERE u.email = v_email) THEN
		RAISE EXCEPTION 'email "%" is already registered', v_email USING ERRCODE = 'unique_violation';
	END IF;

	INSERT INTO xphere.users (email, password_hash, name, wallet_address)
	VALUES (v_email,
			xphere_internal.password_hash(password, xphere_internal.setting('password_hash_cost')::integer),
			btrim(name), wallet_address)
	RETURNING id INTO v_id;
	INSERT INTO xphere.accounts (user_id, currency) VALUES (v_id, 'XP'), (v_id, 'USDT');
	RETURN v_id;
EXCEPTION
	WHEN unique_violation THEN
		RAISE EXCEPTION 'email "%" is already registered', v_email USING ERRCODE = 'unique_violation';
END $$;
COMMENT ON FUNCTION register_user(text, text, text, text) IS
	'creates a user (email lower-cased, password stored as bcrypt-sha256) and its accounts; 23505 for a taken email';

CREATE FUNCTION authenticate(email text, password text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	u xphere.users;
	v_cost integer;
	v_ok boolean;
	v_rehash boolean;
BEGIN
	PERFORM xphere_internal.hide_secrets_from_log();
	PERFORM xphere_internal.check_text(email, 'email', 255);
	PERFORM xphere_internal.check_text(password, 'password', 200);
	v_cost := xphere_internal.setting('password_hash_cost')::integer;
	SELECT * INTO u FROM xphere.users x
	WHERE x.email = lower(btrim(authenticate.email)) AND x.role <> 'system'
	  AND x.anonymised_at IS NULL;	-- (its placeholder hash is no bcrypt: treated as unknown)
	IF u.id IS NULL THEN
		/* the work of checking a hash of the current cost, so the time does not tell */
		PERFORM xphere_internal.password_hash(password, v_cost);
		RAISE EXCEPTION 'invalid email or password' USING ERRCODE = 'invalid_password';
	END IF;
	v_ok := xphere_internal.password_check(password, u.password_hash) AND u.is_active;
	/* a hash of another cost, or of 0.1.0, is replaced by the current form */
	v_rehash := v_ok AND NOT current_setting('transaction_read_only')::boolean
		AND CASE WHEN starts_with(u.password_hash, 'bcrypt-sha256$')
				 THEN xphere_internal.password_hash_cost(u.password_hash) IS DISTINCT FROM v_cost
				 ELSE octet_length(password) <= 72 END;
	IF v_rehash THEN
		UPDATE xphere.users x SET password_hash = xphere_internal.password_hash(password, v_cost)
		WHERE x.id = u.id;
	ELSIF xphere_internal.password_hash_cost(u.password_hash) < v_cost THEN
		/* a cheaper hash than an unknown email costs: make up the time */
		PERFORM xphere_internal.password_hash(password, v_cost);
	END IF;
	IF NOT v_ok THEN
		RAISE EXCEPTION 'invalid email or password' USING ERRCODE = 'invalid_password';
	END IF;
	RETURN u.id;
END $$;
COMMENT ON FUNCTION authenticate(text, text) IS
	'the user id for a correct email and password (an old or other-cost hash is rehashed); 28P01 otherwise';

CREATE FUNCTION issue_refresh_token(user_id uuid, ttl interval DEFAULT '30 days') RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_token text := xphere_internal.random_token();
BEGIN
	IF user_id IS NULL THEN
		PERFORM xphere_internal.raise_null('user_id');
	END IF;
	IF ttl IS NULL THEN
		PERFORM xphere_internal.raise_null('ttl');
	END IF;
	IF ttl <= interval '0' OR ttl > interval '366 days' THEN
		RAISE EXCEPTION 'ttl must be positive and at most 366 days' USING ERRCODE = 'invalid_parameter_value';
	END IF;
	PERFORM xphere_internal.authorize_user(user_id);
	INSERT INTO xphere.refresh_tokens (user_id, family_id, token_hash, expires_at)
	VALUES (issue_refresh_token.user_id, gen_random_uuid(), xphere_internal.token_digest(v_token),
			xphere.now() + ttl);
	RETURN v_token;
END $$;
COMMENT ON FUNCTION issue_refresh_token(uuid, interval) IS
	'a new refresh token (returned once, stored as SHA-256) valid for ttl';

CREATE FUNCTION rotate_refresh_token(token text) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	t xphere.refresh_tokens;
	v_new text;
	v_new_id uuid;
BEGIN
	PERFORM xphere_internal.hide_secrets_from_log();
	PERFORM xphere_internal.check_text(token, 'token', 200);
	SELECT * INTO t FROM xphere.refresh_tokens r
	WHERE r.token_hash = xphere_internal.token_digest(token) FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'invalid refresh token' USING ERRCODE = 'invalid_password';
	END IF;
	PERFORM xphere_internal.require_user(t.user_id);
	PERFORM xphere_internal.authorize_acting(t.user_id);
	IF t.replaced_by IS NOT NULL THEN
		/* a rotated token came back: the family is compromised */
		UPDATE xphere.refresh_tokens SET revoked_at = xphere.now()
		WHERE user_id = t.user_id AND revoked_at IS NULL;
		RETURN NULL;
	END IF;
	IF t.revoked_at IS NOT NULL OR t.expires_at <= xphere.now()
		OR NOT (SELECT u.is_active FROM xphere.users u WHERE u.id = t.user_id) THEN
		RAISE EXCEPTION 'invalid refresh token' USING ERRCODE = 'invalid_password';
	END IF;

	v_new := xphere_internal.random_token();
	INSERT INTO xphere.refresh_tokens (user_id, family_id, token_hash, expires_at)
	VALUES (t.user_id, t.family_id, xphere_internal.token_digest(v_new),
			xphere.now() + (t.expires_at - t.created_at))
	RETURNING id INTO v_new_id;
	UPDATE xphere.refresh_tokens SET revoked_at = xphere.now(), replaced_by = v_new_id
	WHERE id = t.id;
	RETURN v_new;
END $$;
COMMENT ON FUNCTION rotate_refresh_token(text) IS
	'exchanges a live token for a new one; a rotated token presented again revokes all the user''s tokens and returns NULL';

CREATE FUNCTION revoke_refresh_tokens(user_id uuid) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	n integer;
BEGIN
	/* (a deactivated user's tokens may be revoked too: authorize_user() would refuse) */
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	PERFORM xphere_internal.require_user(user_id);
	PERFORM xphere_internal.authorize_acting(user_id);
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
	IF verified IS NULL THEN PERFORM xphere_internal.raise_null('verified'); END IF;
	PERFORM xphere_internal.authorize_user(user_id);
	/* the backend checked the emailed link; a user's own login role must not say so itself */
	IF NOT xphere.session_is_trusted() THEN
		RAISE EXCEPTION 'permission denied to set email_verified' USING ERRCODE = 'insufficient_privilege',
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
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF role IS NULL THEN PERFORM xphere_internal.raise_null('role'); END IF;
	IF role = 'system' THEN
		RAISE EXCEPTION 'role system cannot be given' USING ERRCODE = 'invalid_parameter_value',
			HINT = 'A role is user or admin.';
	END IF;
	SELECT * INTO u FROM xphere.users x WHERE x.id = set_user_role.user_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist', user_id USING ERRCODE = 'no_data_found';
	END IF;
	IF u.role = 'system' THEN
		RAISE EXCEPTION 'user % is a system user', user_id USING ERRCODE = 'invalid_parameter_value',
			DETAIL = 'The house, pool and staking accounts keep role system.';
	END IF;
	IF NOT xphere_internal.session_is_owner() THEN
		RAISE EXCEPTION 'permission denied to set a user''s role' USING ERRCODE = 'insufficient_privilege',
			DETAIL = 'Only a superuser or the extension''s owner gives or takes role admin.';
	END IF;
	IF u.role = role THEN
		RETURN;
	END IF;
	UPDATE xphere.users x SET role = set_user_role.role WHERE x.id = u.id;
	PERFORM xphere_internal.audit('set_user_role', 'user', u.id::text,
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
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF anonymise IS NULL THEN PERFORM xphere_internal.raise_null('anonymise'); END IF;
	SELECT * INTO u FROM xphere.users x
	WHERE x.id = deactivate_user.user_id AND x.role <> 'system' FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist', user_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_admin();
	IF u.anonymised_at IS NOT NULL OR (NOT u.is_active AND NOT anonymise) THEN
		RAISE EXCEPTION 'user % is already %', user_id,
			CASE WHEN u.anonymised_at IS NOT NULL THEN 'anonymised' ELSE 'deactivated' END
			USING ERRCODE = xphere_internal.errcode('wrong_state');
	END IF;

	UPDATE xphere.refresh_tokens r SET revoked_at = v_now
	WHERE r.user_id = u.id AND r.revoked_at IS NULL;
	GET DIAGNOSTICS v_tokens = ROW_COUNT;
	/* settle the online time as set_machine_status() does; what was earned stays payable */
	UPDATE xphere.user_machines m SET
		status = 'OFFLINE',
		online_us_before = m.online_us_before + CASE WHEN m.online_since IS NULL THEN 0
			ELSE xphere_internal.micros_between(m.online_since,
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
	PERFORM xphere_internal.audit(CASE WHEN anonymise THEN 'anonymise_user' ELSE 'deactivate_user' END,
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
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	SELECT * INTO u FROM xphere.users x
	WHERE x.id = reactivate_user.user_id AND x.role <> 'system' FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist', user_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_admin();
	IF u.is_active OR u.anonymised_at IS NOT NULL THEN
		RAISE EXCEPTION 'user % cannot be reactivated', user_id USING ERRCODE = xphere_internal.errcode('wrong_state'),
			DETAIL = CASE WHEN u.is_active THEN 'The user is active.'
						  ELSE 'The user was anonymised.' END;
	END IF;
	UPDATE xphere.users x SET is_active = true WHERE x.id = u.id;
	PERFORM xphere_internal.audit('reactivate_user', 'user', u.id::text,
		jsonb_build_object('is_active', false), jsonb_build_object('is_active', true));
END $$;
COMMENT ON FUNCTION reactivate_user(uuid) IS
	'reopens a deactivated, not anonymised user (machines stay OFFLINE until set_machine_status); audited';

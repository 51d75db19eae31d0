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
 * xphere.hide_secrets_from_log() first (src/secrets.c): a report made
 * during their transaction reaches the server log without the statement
 * and its parameters.  Their own messages never quote a password or token.
 *
 * A refresh token is 32 random bytes, returned once as hex; only its
 * SHA-256 is stored.  Rotation replaces a token by a new one of the same
 * family and lifetime; presenting an already rotated token again means it
 * was stolen or replayed, so every token of the user is revoked (the call
 * returns NULL instead of raising, so that the revocation commits).
 */

CREATE FUNCTION hide_secrets_from_log() RETURNS void
	AS 'MODULE_PATHNAME', 'xphere_hide_secrets_from_log' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION hide_secrets_from_log() IS
	'until the transaction ends, reports reach the server log without statement or context (called by the functions taking a password or token)';

DO $$
DECLARE
	s text := (SELECT n.nspname FROM pg_catalog.pg_extension e
			   JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
			   WHERE e.extname = 'pgcrypto');
BEGIN
	EXECUTE format($f$
		CREATE FUNCTION xphere.bcrypt_hash(password text, cost integer) RETURNS text
			LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
			RETURN %1$I.crypt(password, %1$I.gen_salt('bf', cost))$f$, s);
	EXECUTE format($f$
		CREATE FUNCTION xphere.bcrypt_check(password text, hash text) RETURNS boolean
			LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
			RETURN %1$I.crypt(password, hash) = hash$f$, s);
	EXECUTE format($f$
		CREATE FUNCTION xphere.random_token() RETURNS text
			LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
			RETURN encode(%1$I.gen_random_bytes(32), 'hex')$f$, s);
END $$;
COMMENT ON FUNCTION bcrypt_hash(text, integer) IS 'bcrypt hash of a password (pgcrypto)';
COMMENT ON FUNCTION bcrypt_check(text, text) IS 'whether a password matches a bcrypt hash (pgcrypto)';
COMMENT ON FUNCTION random_token() IS '32 random bytes as hex (pgcrypto)';

CREATE FUNCTION token_digest(token text) RETURNS bytea
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN sha256(convert_to(token, 'UTF8'));
COMMENT ON FUNCTION token_digest(text) IS 'the stored form of a refresh token: its SHA-256';

CREATE FUNCTION password_prehash(password text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN encode(sha256(convert_to(password, 'UTF8')), 'base64');
COMMENT ON FUNCTION password_prehash(text) IS
	'what bcrypt is given for a password: base64 of the SHA-256 of its UTF-8 bytes (44 characters, all of the password counts)';

CREATE FUNCTION password_hash(password text, cost integer) RETURNS text
	LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
	RETURN 'bcrypt-sha256$' || xphere.bcrypt_hash(xphere.password_prehash(password), cost);
COMMENT ON FUNCTION password_hash(text, integer) IS
	'the stored form of a password: ''bcrypt-sha256$'' and the bcrypt of its prehash at the given cost';

CREATE FUNCTION password_check(password text, hash text) RETURNS boolean
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	RETURN CASE WHEN starts_with(hash, 'bcrypt-sha256$')
				THEN xphere.bcrypt_check(xphere.password_prehash(password), substr(hash, 15))
				ELSE xphere.bcrypt_check(password, hash) END;
COMMENT ON FUNCTION password_check(text, text) IS
	'whether a password matches a stored hash: the bcrypt-sha256 form, or the plain bcrypt of 0.1.0';

CREATE FUNCTION password_hash_cost(hash text) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN substring(hash FROM '^(?:bcrypt-sha256\$)?\$2[abxy]?\$([0-9]{2})\$')::integer;
COMMENT ON FUNCTION password_hash_cost(text) IS 'the bcrypt cost of a stored hash (either form); NULL if it is none';

CREATE FUNCTION register_user(email text, password text, name text,
							  wallet_address text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_email text := lower(btrim(email));
	v_id uuid;
BEGIN
	PERFORM xphere.hide_secrets_from_log();
	PERFORM xphere.check_text(email, 'email', 255);
	PERFORM xphere.check_text(password, 'password', 200);
	PERFORM xphere.check_text(name, 'name', 100);
	IF v_email !~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$' THEN
		RAISE EXCEPTION 'invalid email address "%"', left(email, 255) USING ERRCODE = '22023';
	END IF;
	IF length(password) < 8 THEN
		RAISE EXCEPTION 'password is too short' USING ERRCODE = '22023',
			DETAIL = 'A password has 8 to 200 characters.';
	END IF;
	IF length(btrim(name)) = 0 THEN
		RAISE EXCEPTION 'name must not be empty' USING ERRCODE = '22023';
	END IF;
	IF wallet_address IS NOT NULL AND wallet_address !~ '^0x[0-9a-fA-F]{40}$' THEN
		RAISE EXCEPTION 'invalid wallet address "%"', left(wallet_address, 100) USING ERRCODE = '22023',
			HINT = 'An address is 0x followed by 40 hexadecimal digits.';
	END IF;
	IF EXISTS (SELECT 1 FROM xphere.users u WHERE u.email = v_email) THEN
		RAISE EXCEPTION 'email "%" is already registered', v_email USING ERRCODE = '23505';
	END IF;

	INSERT INTO xphere.users (email, password_hash, name, wallet_address)
	VALUES (v_email,
			xphere.password_hash(password, xphere.setting('password_hash_cost')::integer),
			btrim(name), wallet_address)
	RETURNING id INTO v_id;
	INSERT INTO xphere.accounts (user_id, currency) VALUES (v_id, 'XP'), (v_id, 'USDT');
	RETURN v_id;
EXCEPTION
	WHEN unique_violation THEN
		RAISE EXCEPTION 'email "%" is already registered', v_email USING ERRCODE = '23505';
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
	PERFORM xphere.hide_secrets_from_log();
	PERFORM xphere.check_text(email, 'email', 255);
	PERFORM xphere.check_text(password, 'password', 200);
	v_cost := xphere.setting('password_hash_cost')::integer;
	SELECT * INTO u FROM xphere.users x
	WHERE x.email = lower(btrim(authenticate.email)) AND x.role <> 'SYSTEM';
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

CREATE FUNCTION issue_refresh_token(user_id uuid, ttl interval DEFAULT '30 days') RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_token text := xphere.random_token();
BEGIN
	IF user_id IS NULL THEN
		PERFORM xphere.raise_null('user_id');
	END IF;
	IF ttl IS NULL THEN
		PERFORM xphere.raise_null('ttl');
	END IF;
	IF ttl <= interval '0' OR ttl > interval '366 days' THEN
		RAISE EXCEPTION 'ttl must be positive and at most 366 days' USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_user(user_id);
	INSERT INTO xphere.refresh_tokens (user_id, family_id, token_hash, expires_at)
	VALUES (issue_refresh_token.user_id, gen_random_uuid(), xphere.token_digest(v_token),
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
	PERFORM xphere.hide_secrets_from_log();
	PERFORM xphere.check_text(token, 'token', 200);
	SELECT * INTO t FROM xphere.refresh_tokens r
	WHERE r.token_hash = xphere.token_digest(token) FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'invalid refresh token' USING ERRCODE = '28P01';
	END IF;
	PERFORM xphere.authorize_user(t.user_id);
	IF t.replaced_by IS NOT NULL THEN
		/* a rotated token came back: the family is compromised */
		UPDATE xphere.refresh_tokens SET revoked_at = xphere.now()
		WHERE user_id = t.user_id AND revoked_at IS NULL;
		RETURN NULL;
	END IF;
	IF t.revoked_at IS NOT NULL OR t.expires_at <= xphere.now() THEN
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

CREATE FUNCTION revoke_refresh_tokens(user_id uuid) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	n integer;
BEGIN
	PERFORM xphere.authorize_user(user_id);
	UPDATE xphere.refresh_tokens r SET revoked_at = xphere.now()
	WHERE r.user_id = revoke_refresh_tokens.user_id AND r.revoked_at IS NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
COMMENT ON FUNCTION revoke_refresh_tokens(uuid) IS 'revokes every live token of the user; returns how many';

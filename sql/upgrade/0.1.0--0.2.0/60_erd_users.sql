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

CREATE FUNCTION session_is_owner() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_session_is_owner' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION forbid_user_delete() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'users cannot be deleted' USING ERRCODE = '42501',
		DETAIL = pg_catalog.format('User %s keeps its ledger history.', OLD.id),
		HINT = 'Use xphere.deactivate_user(), with anonymise => true to remove the personal data.';
END $$;
COMMENT ON FUNCTION forbid_user_delete() IS 'trigger: rejects DELETE of users';

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

CREATE TRIGGER users_no_delete BEFORE DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION forbid_user_delete();

GRANT EXECUTE ON FUNCTION set_email_verified(uuid, boolean) TO xphere_app;
GRANT EXECUTE ON FUNCTION deactivate_user(uuid, boolean), reactivate_user(uuid) TO xphere_admin;
COMMENT ON COLUMN lending_pools.account_id IS 'the system user whose account holds the pool''s cash';

-- (the text overloads of the functions above: 99_end.sql)

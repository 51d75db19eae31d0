/*
 * The ledger's rules.
 *
 * - Every balance change goes through xphere_internal.post(): it locks the account
 *   row, refuses to overdraw it (XP001) unless it is a house account, and
 *   writes the balance_history row with before, change and after, all in
 *   the caller's transaction.
 * - Multi-account operations first lock every account they touch with
 *   lock_accounts(), in one global order (user_id, currency), so two
 *   operations never wait for each other in opposite orders.
 * - transactions, balance_history and audit_log are append-only: UPDATE,
 *   DELETE and TRUNCATE raise 42501, except a PENDING transaction turning
 *   COMPLETED or FAILED once (with its tx_hash and metadata).
 * - The house account of each currency (owned by the system user
 *   00000000-0000-0000-0000-000000000000) is the counterparty of rewards,
 *   purchases and swaps and collects fees, each fee booked as a FEE entry
 *   of its own; it alone may go below zero.
 * - Users are never deleted (their entries are history): deactivate_user()
 *   closes an account, and can anonymise it.
 */

-- money -------------------------------------------------------------------

CREATE TABLE accounts (
	user_id			uuid NOT NULL REFERENCES users,
	currency		currency NOT NULL,
	available		wad NOT NULL DEFAULT 0,
	locked			wad NOT NULL DEFAULT 0,
	allow_negative	boolean NOT NULL DEFAULT false,
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	PRIMARY KEY (user_id, currency),
	CHECK (locked >= 0),
	CHECK (available >= 0 OR allow_negative)
);
COMMENT ON TABLE accounts IS 'one balance per user and currency; changed only together with a ledger entry and balance_history';
COMMENT ON COLUMN accounts.available IS 'spendable';
COMMENT ON COLUMN accounts.locked IS 'held for pending withdrawals and as loan collateral';
COMMENT ON COLUMN accounts.allow_negative IS 'true only for the platform''s house accounts, the counterparty of rewards and swaps';

CREATE TABLE transactions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	type			transaction_type NOT NULL,
	amount			wad NOT NULL CHECK (amount >= 0),
	fee				wad NOT NULL DEFAULT 0 CHECK (fee >= 0),
	currency		currency NOT NULL,
	status			transaction_status NOT NULL DEFAULT 'COMPLETED',
	tx_hash			text CHECK (length(tx_hash) <= 66),
	to_address		text,
	metadata		jsonb NOT NULL DEFAULT '{}',
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE UNIQUE INDEX transactions_type_tx_hash_key ON transactions (type, tx_hash) WHERE tx_hash IS NOT NULL;
CREATE INDEX transactions_user_created_idx ON transactions (user_id, created_at);
CREATE INDEX transactions_user_type_idx ON transactions (user_id, type);
CREATE INDEX transactions_status_created_idx ON transactions (status, created_at);
CREATE INDEX transactions_created_idx ON transactions (created_at);
COMMENT ON INDEX transactions_user_created_idx IS
	'the ERD''s idx_transactions_user_created (user_id, created_at DESC): a backward scan serves the newest first';
COMMENT ON INDEX transactions_user_type_idx IS 'the ERD''s idx_user_type';
COMMENT ON INDEX transactions_status_created_idx IS
	'the ERD''s idx_status, with created_at: also the oldest PENDING entries first';
COMMENT ON INDEX transactions_created_idx IS 'the ERD''s idx_created';
COMMENT ON TABLE transactions IS 'the ledger: append-only, except a PENDING entry becoming COMPLETED or FAILED once';
COMMENT ON COLUMN transactions.amount IS 'the amount moved, excluding the fee';
COMMENT ON COLUMN transactions.tx_hash IS
	'chain transaction hash, 0x and 64 lower-case hex digits (rows from 0.1.0 may differ): unique per type; a deposit''s makes it idempotent';

CREATE TABLE balance_history (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id			uuid NOT NULL,
	currency		currency NOT NULL,
	transaction_id	uuid NOT NULL REFERENCES transactions,
	available_before wad NOT NULL,
	available_change wad NOT NULL,
	available_after	wad NOT NULL,
	locked_before	wad NOT NULL,
	locked_change	wad NOT NULL,
	locked_after	wad NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	FOREIGN KEY (user_id, currency) REFERENCES accounts,
	CHECK (available_after = available_before + available_change),
	CHECK (locked_after = locked_before + locked_change)
);
CREATE INDEX balance_history_account_idx ON balance_history (user_id, currency, id);
CREATE INDEX balance_history_transaction_idx ON balance_history (transaction_id);
COMMENT ON TABLE balance_history IS 'every change of every account, with its before and after values; append-only';

CREATE TRIGGER accounts_updated_at BEFORE UPDATE ON accounts
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();
CREATE TRIGGER transactions_updated_at BEFORE UPDATE ON transactions
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();


CREATE FUNCTION xphere_internal.house_id() RETURNS uuid
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN '00000000-0000-0000-0000-000000000000'::uuid;
COMMENT ON FUNCTION xphere_internal.house_id() IS 'owner of the platform''s house accounts';

/* the house user; its accounts are created on first use, like any other */
INSERT INTO users (id, email, password_hash, name, role, is_active)
VALUES (xphere_internal.house_id(), 'house@xphere.invalid', '!', 'Xphere house', 'system', false);

-- argument checks shared by the API ------------------------------------------

CREATE FUNCTION xphere_internal.raise_null(arg text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'argument "%" must not be null', arg USING ERRCODE = 'null_value_not_allowed';
END $$;
COMMENT ON FUNCTION xphere_internal.raise_null(text) IS 'raises 22004 for a NULL required argument';

CREATE FUNCTION xphere_internal.check_amount(amount wad, arg text DEFAULT 'amount') RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	IF amount IS NULL THEN
		PERFORM xphere_internal.raise_null(arg);
	END IF;
	IF amount <= 0 THEN
		RAISE EXCEPTION '% must be positive', arg USING ERRCODE = 'invalid_parameter_value',
			DETAIL = pg_catalog.format('The value given was %s.', amount);
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.check_amount(wad, text) IS 'raises 22004 for NULL and 22023 for an amount <= 0';

CREATE FUNCTION xphere_internal.check_text(val text, arg text, max_len integer) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF val IS NULL THEN
		PERFORM xphere_internal.raise_null(arg);
	END IF;
	IF length(val) > max_len THEN
		RAISE EXCEPTION '% is too long', arg USING ERRCODE = 'invalid_parameter_value',
			DETAIL = pg_catalog.format('At most %s characters are allowed, %s were given.',
							max_len, length(val));
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.check_text(text, text, integer) IS 'raises 22004 for NULL and 22023 for text over max_len characters';

CREATE FUNCTION xphere_internal.check_address(addr text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF addr IS NULL THEN
		PERFORM xphere_internal.raise_null('to_address');
	END IF;
	IF addr !~ '^0x[0-9a-fA-F]{40}$' THEN
		RAISE EXCEPTION 'invalid address "%"', left(addr, 100) USING ERRCODE = 'invalid_parameter_value',
			HINT = 'An address is 0x followed by 40 hexadecimal digits.';
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.check_address(text) IS 'raises 22023 unless the text is 0x and 40 hex digits';

/* P0002 unless p_user is a platform user (system users do not count) */
CREATE FUNCTION xphere_internal.require_user(p_user uuid) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM xphere.users u WHERE u.id = p_user AND u.role <> 'system') THEN
		RAISE EXCEPTION 'user % does not exist', p_user USING ERRCODE = 'no_data_found';
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.require_user(uuid) IS 'P0002 unless the user exists (system users do not count)';

/* XP006 if p_user, an existing user, was deactivated */
CREATE FUNCTION xphere_internal.require_active_user(p_user uuid) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT (SELECT u.is_active FROM xphere.users u WHERE u.id = p_user) THEN
		RAISE EXCEPTION 'user % is deactivated', p_user USING ERRCODE = xphere_internal.errcode('wrong_state');
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.require_active_user(uuid) IS 'XP006 if the user was deactivated';

/*
 * The user must exist (P0002), when the session acts for a user
 * (xphere.user_id) be that user (42501), and be active (XP006: a
 * deactivated user's account takes no call).  Returns nothing; system
 * users do not count as existing for the API.  One look-up of the row.
 */
CREATE FUNCTION xphere_internal.authorize_user(p_user uuid, arg text DEFAULT 'user_id') RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_active boolean;
BEGIN
	IF p_user IS NULL THEN
		PERFORM xphere_internal.raise_null(arg);
	END IF;
	SELECT u.is_active INTO v_active FROM xphere.users u WHERE u.id = p_user AND u.role <> 'system';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % does not exist', p_user USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_acting(p_user);
	IF NOT v_active THEN
		RAISE EXCEPTION 'user % is deactivated', p_user USING ERRCODE = xphere_internal.errcode('wrong_state');
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.authorize_user(uuid, text) IS
	'P0002 if the user does not exist, 42501 if the session may not act for them, XP006 if they were deactivated';

/*
 * The platform-user side of an operator function (the database side is
 * EXECUTE, granted to xphere_admin): a session pinned to a user by
 * xphere.user_id may run it only when that user is an active admin; an
 * unpinned session needs a trusted role.  users.role alone grants nothing:
 * without the database role the function cannot be called at all.
 */
CREATE FUNCTION xphere_internal.authorize_admin() RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_user uuid := xphere.current_user_id();
BEGIN
	IF v_user IS NULL THEN
		IF NOT xphere.session_is_trusted() THEN
			RAISE EXCEPTION 'permission denied for an operator function' USING ERRCODE = 'insufficient_privilege',
				DETAIL = 'This session acts for no user and its role is not trusted.';
		END IF;
	ELSIF NOT EXISTS (SELECT 1 FROM xphere.users u
					  WHERE u.id = v_user AND u.role = 'admin' AND u.is_active) THEN
		RAISE EXCEPTION 'permission denied for an operator function' USING ERRCODE = 'insufficient_privilege',
			DETAIL = pg_catalog.format('This session acts for user %s (xphere.user_id), who is not an active admin.', v_user);
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.authorize_admin() IS
	'42501 unless the session may run an operator function: pinned to an active admin user, or unpinned and trusted';

/*
 * Whether the session's role (outside any function, as for trust) is a
 * superuser or the extension's owner: for what not even xphere_admin may do.
 */
CREATE FUNCTION xphere_internal.session_is_owner() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_session_is_owner' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION xphere_internal.session_is_owner() IS
	'whether the session''s role is a superuser or the extension''s owner';

/*
 * 42501 unless the session may act for p_user (who may be a system user):
 * a session pinned by xphere.user_id acts for that user only, an unpinned
 * one for anyone if its role is trusted and for nobody otherwise.  An
 * untrusted session's transaction gets its lease here (trust.c).
 */
CREATE FUNCTION xphere_internal.authorize_acting(p_user uuid) RETURNS void
	AS 'MODULE_PATHNAME', 'xphere_authorize_acting' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION xphere_internal.authorize_acting(uuid) IS
	'42501 unless the session may act for the user: its pinned user, or anyone for a trusted role';

/*
 * The checks on a row the user names by id (a staking or borrow
 * position: owned_stake(), owned_position()), in the order the API
 * promises: the row exists (P0002), the session may act for the user
 * (42501), the row is the user's (42501), the user is active (XP006).
 * p_owner is the row's user_id, NULL when no row was found.
 */
CREATE FUNCTION xphere_internal.check_owner(p_user uuid, p_what text, p_id uuid, p_owner uuid) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF p_owner IS NULL THEN
		RAISE EXCEPTION '% % does not exist', p_what, p_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_acting(p_user);
	IF p_owner <> p_user THEN
		RAISE EXCEPTION '% % belongs to another user', p_what, p_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	PERFORM xphere_internal.require_active_user(p_user);
END $$;
COMMENT ON FUNCTION xphere_internal.check_owner(uuid, text, uuid, uuid) IS
	'P0002 if the row named by id is missing (p_owner NULL), 42501 unless the session may act for the user and the row is the user''s, XP006 if the user was deactivated';

/*
 * The time of an action on something last changed at t_last.  A clock
 * fixed earlier than that (xphere.clock) is a caller's mistake: 22023.
 * With the real clock, a transaction that started before a concurrent one
 * committed a later change simply acts at that change's time.
 */
CREATE FUNCTION xphere_internal.not_before(t_last timestamptz, what text) RETURNS timestamptz
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t timestamptz := xphere.now();
BEGIN
	IF t_last IS NULL OR t >= t_last THEN
		RETURN t;
	END IF;
	IF coalesce(current_setting('xphere.clock', true), '') <> '' THEN
		RAISE EXCEPTION 'time runs backwards for %', what USING ERRCODE = 'invalid_parameter_value',
			DETAIL = pg_catalog.format('It last changed at %s, xphere.clock says %s.', t_last, t);
	END IF;
	RETURN t_last;
END $$;
COMMENT ON FUNCTION xphere_internal.not_before(timestamptz, text) IS
	'xphere.now(), or t_last if a concurrent change is later; 22023 if a fixed clock is earlier';

-- settings ------------------------------------------------------------------

INSERT INTO settings (key, value, kind, description) VALUES
	('withdrawal_fee_xp', '0.5', 'wad', 'fee of an XP withdrawal, in XP'),
	('withdrawal_fee_usdt', '1', 'wad', 'fee of a USDT withdrawal, in USDT'),
	('swap_fee_bps', '30', 'bps', 'fee of a swap, basis points of the amount'),
	('price_max_age', '1 hour', 'interval', 'a price older than this is stale'),
	('unbonding_period', '7 days', 'interval', 'wait between unstake and withdrawal'),
	('distribution_interval', '1 day', 'interval', 'tick() distributes mining rewards this often'),
	('password_hash_cost', '10', 'integer', 'bcrypt cost of new password hashes (4-15)');

/*
 * Small lookups the API makes on every call are PL/pgSQL rather than SQL
 * functions: a SQL function whose body holds a subquery cannot be inlined,
 * and is then parsed and planned again in every transaction that calls
 * it, while PL/pgSQL keeps its plans for the session.
 */
CREATE FUNCTION xphere_internal.setting(p_key text) RETURNS text
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT s.value FROM xphere.settings s WHERE s.key = p_key);
END $$;
COMMENT ON FUNCTION xphere_internal.setting(text) IS 'the value of a setting as text';

-- posting -------------------------------------------------------------------

/*
 * Lock the accounts of the given users in one currency each (pairs by
 * position), one at a time in the global (user_id, currency) order,
 * opening missing ones.  In C (src/ledger.c): sorting the pairs was most
 * of this function's time in PL/pgSQL, and its two statements are planned
 * once per backend.
 */
CREATE FUNCTION xphere_internal.lock_accounts(p_users uuid[], p_currencies currency[]) RETURNS void
	AS 'MODULE_PATHNAME', 'xphere_lock_accounts' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION xphere_internal.lock_accounts(uuid[], currency[]) IS 'locks accounts in the global (user_id, currency) order';

/*
 * Apply a change to one account and record it.  The caller has locked the
 * account (lock_accounts) when the operation touches several.
 */
CREATE FUNCTION xphere_internal.post(p_user uuid, p_currency currency, p_available wad,
					 p_locked wad, p_tx uuid) RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	a xphere.accounts;
BEGIN
	/*
	 * One statement in the usual case: the update refuses to overdraw
	 * (waiting for, then re-checking, a row another transaction holds),
	 * and the history row is written from what it returns.
	 */
	WITH changed AS (
		UPDATE xphere.accounts x SET available = x.available + p_available,
			locked = x.locked + p_locked, updated_at = xphere.now()
		WHERE x.user_id = p_user AND x.currency = p_currency
		  AND (x.available + p_available >= 0 OR x.allow_negative)
		  AND x.locked + p_locked >= 0
		RETURNING x.available, x.locked)
	INSERT INTO xphere.balance_history (user_id, currency, transaction_id,
		available_before, available_change, available_after,
		locked_before, locked_change, locked_after)
	SELECT p_user, p_currency, p_tx,
		changed.available - p_available, p_available, changed.available,
		changed.locked - p_locked, p_locked, changed.locked
	FROM changed;
	IF NOT FOUND THEN
		SELECT * INTO a FROM xphere.accounts x
		WHERE x.user_id = p_user AND x.currency = p_currency FOR UPDATE;
		IF FOUND THEN
			RAISE EXCEPTION 'insufficient balance' USING ERRCODE = xphere_internal.errcode('insufficient_balance'),
				DETAIL = pg_catalog.format('%s available, %s locked in %s; the change needs %s available, %s locked.',
								a.available, a.locked, p_currency, -p_available, -p_locked);
		END IF;
		/* a first movement in this currency: open the account, then post */
		INSERT INTO xphere.accounts (user_id, currency, allow_negative)
		VALUES (p_user, p_currency, p_user = xphere_internal.house_id())
		ON CONFLICT DO NOTHING;
		PERFORM xphere_internal.post(p_user, p_currency, p_available, p_locked, p_tx);
	END IF;
END $$;
COMMENT ON FUNCTION xphere_internal.post(uuid, currency, wad, wad, uuid) IS
	'changes one account by (available, locked) for a ledger entry, with its balance_history row; XP001 if it would overdraw';

-- append-only -----------------------------------------------------------------

CREATE FUNCTION xphere_internal.forbid_change() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege',
		DETAIL = pg_catalog.format('%s on %s is not allowed.', TG_OP, TG_TABLE_NAME);
END $$;
COMMENT ON FUNCTION xphere_internal.forbid_change() IS 'trigger: rejects UPDATE, DELETE and TRUNCATE of append-only tables';

CREATE FUNCTION xphere_internal.check_transaction_update() RETURNS trigger
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	IF OLD.status = 'PENDING' AND NEW.status IN ('COMPLETED', 'FAILED')
		AND (NEW.id, NEW.user_id, NEW.type, NEW.amount, NEW.fee, NEW.currency,
			 NEW.to_address, NEW.created_at)
			IS NOT DISTINCT FROM
			(OLD.id, OLD.user_id, OLD.type, OLD.amount, OLD.fee, OLD.currency,
			 OLD.to_address, OLD.created_at)
		AND (OLD.tx_hash IS NULL OR NEW.tx_hash IS NOT DISTINCT FROM OLD.tx_hash)
	THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'transactions is append-only' USING ERRCODE = 'insufficient_privilege',
		DETAIL = 'Only a PENDING entry may change, once, to COMPLETED or FAILED.';
END $$;
COMMENT ON FUNCTION xphere_internal.check_transaction_update() IS
	'trigger: allows only PENDING -> COMPLETED/FAILED (with tx_hash and metadata) on transactions';

CREATE TRIGGER transactions_append_only BEFORE UPDATE ON transactions
	FOR EACH ROW EXECUTE FUNCTION xphere_internal.check_transaction_update();
CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions
	FOR EACH ROW EXECUTE FUNCTION xphere_internal.forbid_change();
CREATE TRIGGER transactions_no_truncate BEFORE TRUNCATE ON transactions
	FOR EACH STATEMENT EXECUTE FUNCTION xphere_internal.forbid_change();
CREATE TRIGGER balance_history_append_only BEFORE UPDATE OR DELETE ON balance_history
	FOR EACH ROW EXECUTE FUNCTION xphere_internal.forbid_change();
CREATE TRIGGER balance_history_no_truncate BEFORE TRUNCATE ON balance_history
	FOR EACH STATEMENT EXECUTE FUNCTION xphere_internal.forbid_change();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION xphere_internal.forbid_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION xphere_internal.forbid_change();
/* users are deactivated, never deleted: their entries and history refer to them */
CREATE FUNCTION xphere_internal.forbid_user_delete() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'users cannot be deleted' USING ERRCODE = 'insufficient_privilege',
		DETAIL = pg_catalog.format('User %s keeps its ledger history.', OLD.id),
		HINT = 'Use xphere.deactivate_user(), with anonymise => true to remove the personal data.';
END $$;
COMMENT ON FUNCTION xphere_internal.forbid_user_delete() IS 'trigger: rejects DELETE of users';
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION xphere_internal.forbid_user_delete();

CREATE TRIGGER prices_append_only BEFORE UPDATE OR DELETE ON prices
	FOR EACH ROW EXECUTE FUNCTION xphere_internal.forbid_change();
CREATE TRIGGER prices_no_truncate BEFORE TRUNCATE ON prices
	FOR EACH STATEMENT EXECUTE FUNCTION xphere_internal.forbid_change();

/*
 * A ledger entry; returns its id (PL/pgSQL, so its plan is cached per
 * session).  An entry worth at least large_transaction_usdt raises a
 * large_transaction event here, in the code that writes entries, not in a
 * trigger: a restore (COPY into transactions) then writes no event.
 */
CREATE FUNCTION xphere_internal.new_transaction(p_user uuid, p_type transaction_type, p_amount wad,
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
	IF xphere_internal.is_large_transaction(p_user, p_amount, p_currency) THEN
		PERFORM xphere_internal.large_transaction_event(v_id, p_user, p_type, p_amount, p_currency, p_status);
	END IF;
	RETURN v_id;
END $$;
COMMENT ON FUNCTION xphere_internal.new_transaction(uuid, transaction_type, wad, currency, transaction_status, wad, jsonb, text, text) IS
	'writes one ledger entry (and its large_transaction event, if it is large) and returns its id';

CREATE FUNCTION xphere_internal.audit(p_action text, p_object_type text, p_object_id text,
					  p_old jsonb, p_new jsonb) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO xphere.audit_log (action, object_type, object_id, old_value, new_value)
	VALUES (p_action, p_object_type, p_object_id, p_old, p_new);
END $$;
COMMENT ON FUNCTION xphere_internal.audit(text, text, text, jsonb, jsonb) IS 'appends one audit_log row';

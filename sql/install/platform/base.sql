/*
 * What every domain uses: the extension's clock, the session's trust
 * (both in C, src/clock.c and src/trust.c), the updated_at trigger, and
 * the platform's own tables: settings, the audit log and the price oracle.
 *
 * Amounts are wad, indexes and rates ray, times timestamptz.  Every
 * user-owned table carries user_id (the distribution key if the schema is
 * ever spread with Citus).  Money columns are changed only by the API
 * functions; see ledger/ledger.sql for the rules that keep them
 * consistent.  Each table is created, complete, in its domain's file.
 */

/*
 * The extension's internal helpers (the ledger's post() and lock order,
 * the pool and position arithmetic, checks, the distribution's batches,
 * ...) live in schema xphere_internal, apart from the API in schema xphere:
 * "\df xphere.*" lists what applications and operators call.  Nobody but
 * the extension's owner may use the schema or execute its functions
 * (platform/security.sql); the API's SECURITY DEFINER functions call them
 * as the owner.
 */
CREATE SCHEMA xphere_internal;
COMMENT ON SCHEMA xphere_internal IS
	'xphere''s internal helpers: not part of the API, executable by the extension''s owner only';

/*
 * The extension's own SQLSTATEs, class XP, by the names src/errcodes.h
 * gives them for the C code (ERRCODE_XP_INSUFFICIENT_BALANCE is
 * errcode('insufficient_balance')), for PL/pgSQL, which knows only
 * PostgreSQL's condition names: RAISE ... USING ERRCODE =
 * xphere_internal.errcode('stale_price').  PostgreSQL's own codes are
 * raised by their condition names (invalid_parameter_value, ...).  An
 * exception handler must name the code itself (WHEN SQLSTATE 'XP004').
 */
CREATE FUNCTION xphere_internal.errcode(p_name text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_code text := CASE p_name
		WHEN 'insufficient_balance' THEN 'XP001'
		WHEN 'insufficient_liquidity' THEN 'XP002'
		WHEN 'unhealthy' THEN 'XP003'
		WHEN 'not_liquidatable' THEN 'XP004'
		WHEN 'stale_price' THEN 'XP005'
		WHEN 'wrong_state' THEN 'XP006'
		WHEN 'dust' THEN 'XP007' END;
BEGIN
	IF v_code IS NULL THEN
		RAISE EXCEPTION 'no XP error is called "%"', p_name USING ERRCODE = 'internal_error';
	END IF;
	RETURN v_code;
END $$;
COMMENT ON FUNCTION xphere_internal.errcode(text) IS
	'the SQLSTATE of an XP error by its name in src/errcodes.h (insufficient_balance is XP001)';

-- (xphere.now() is qualified below: pg_catalog comes first while CREATE EXTENSION runs)
CREATE FUNCTION now() RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'xphere_now' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION xphere.now() IS
	'the extension''s clock: xphere.clock when a superuser set it, else the transaction start time';
CREATE FUNCTION current_user_id() RETURNS uuid
	AS 'MODULE_PATHNAME', 'xphere_current_user_id' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION current_user_id() IS
	'the user named by the xphere.user_id setting, or NULL when it is unset';
CREATE FUNCTION session_is_trusted() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_session_is_trusted' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION session_is_trusted() IS
	'whether the session''s role may act for any user: superuser, the extension''s owner, or a member of xphere_backend';
CREATE FUNCTION sees_all_users() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_sees_all_users' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION sees_all_users() IS
	'whether the session sees every user''s rows: trusted and not pinned to a user by xphere.user_id';

CREATE FUNCTION xphere_internal.touch_updated_at() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	/* an update made by a trigger (a restore merging a seeded row) keeps its value */
	IF pg_trigger_depth() = 1 THEN
		NEW.updated_at := xphere.now();
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION xphere_internal.touch_updated_at() IS 'trigger: keeps updated_at current';

/*
 * Each table with updated_at gets a trigger that keeps it current.  An
 * UPDATE that sets updated_at itself (the API's frequent ones do) skips
 * it: the condition is checked without calling a function.
 */

CREATE TABLE prices (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	asset			text NOT NULL CHECK (asset IN ('XP', 'USDT')),
	price_usdt		wad NOT NULL CHECK (price_usdt > 0),
	source			text NOT NULL DEFAULT 'manual' CHECK (length(source) BETWEEN 1 AND 100),
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX prices_asset_created_idx ON prices (asset, created_at DESC, id DESC);
COMMENT ON TABLE prices IS 'price history in USDT, the oracle: the latest row per asset is its price; USDT is always 1';

CREATE TABLE settings (
	key				text PRIMARY KEY,
	value			text NOT NULL,
	kind			text NOT NULL CHECK (kind IN ('wad', 'bps', 'interval', 'integer')),
	description		text NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
COMMENT ON TABLE settings IS 'platform settings, typed and validated by set_setting()';

CREATE TRIGGER settings_updated_at BEFORE UPDATE ON settings
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();

CREATE TABLE audit_log (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	actor			text NOT NULL DEFAULT session_user,
	action			text NOT NULL,
	object_type		text NOT NULL,
	object_id		text NOT NULL,
	old_value		jsonb,
	new_value		jsonb,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, id);
COMMENT ON TABLE audit_log IS 'every administrative change with its old and new values; append-only';

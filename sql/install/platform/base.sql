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

CREATE FUNCTION touch_updated_at() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	/* an update made by a trigger (a restore merging a seeded row) keeps its value */
	IF pg_trigger_depth() = 1 THEN
		NEW.updated_at := xphere.now();
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION touch_updated_at() IS 'trigger: keeps updated_at current';

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
	EXECUTE FUNCTION touch_updated_at();

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

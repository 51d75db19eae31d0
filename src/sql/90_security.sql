/*
 * Security: roles, privileges, row-level security, and pg_dump.
 *
 * - xphere_app runs the user-facing API on behalf of users; xphere_admin
 *   (a member of xphere_app) also runs the operator functions.  PUBLIC
 *   gets nothing.  Neither role can write a table: every change goes
 *   through a SECURITY DEFINER function with a pinned search_path.
 * - Row-level security: a session that sets xphere.user_id sees only that
 *   user's rows (the API functions, running as the owner, are not
 *   filtered, and refuse to act for anyone else themselves).
 * - Every table and identity sequence is registered with
 *   pg_extension_config_dump, so pg_dump keeps the data.  Rows this script
 *   seeds (settings, plans, pools, the SYSTEM users) already exist when a
 *   dump is restored, so a trigger turns a restored row into an update of
 *   the seeded one.
 */

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xphere_app') THEN
		CREATE ROLE xphere_app NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xphere_admin') THEN
		CREATE ROLE xphere_admin NOLOGIN;
	END IF;
	GRANT xphere_app TO xphere_admin;
END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON SCHEMA xphere FROM PUBLIC;
GRANT USAGE ON SCHEMA xphere TO xphere_app, xphere_admin;

-- the types' operators and the math (every C function and aggregate): for both roles
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN
		SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass
			AND d.objid = p.oid AND d.deptype = 'e'
		JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'xphere'
		WHERE p.pronamespace = 'xphere'::regnamespace AND NOT p.prosecdef
		  AND (p.prokind = 'a' OR p.prolang = (SELECT l.oid FROM pg_catalog.pg_language l
											  WHERE l.lanname = 'c'))
	LOOP
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO xphere_app', f);
	END LOOP;
END $$;
-- (qualified: pg_catalog comes first while CREATE EXTENSION runs)
GRANT EXECUTE ON FUNCTION xphere.now(), xphere.current_user_id() TO xphere_app;
-- (the C function that hides a transaction's statements from the log is for the API functions only)
REVOKE EXECUTE ON FUNCTION xphere.hide_secrets_from_log() FROM xphere_app;

-- the user-facing API
GRANT EXECUTE ON FUNCTION
	register_user(text, text, text, text),
	authenticate(text, text),
	issue_refresh_token(uuid, interval),
	rotate_refresh_token(text),
	revoke_refresh_tokens(uuid),
	request_withdrawal(uuid, currency, wad, text),
	transfer(uuid, uuid, currency, wad, text),
	balance(uuid, currency),
	purchase_machine(uuid, text),
	pending_mining_rewards(uuid),
	supply(uuid, text, wad),
	withdraw_supply(uuid, text, wad),
	supplied_balance(uuid, text),
	borrow(uuid, text, wad, currency, wad),
	repay(uuid, uuid, wad),
	add_collateral(uuid, uuid, wad),
	remove_collateral(uuid, uuid, wad),
	debt(uuid),
	position_health(uuid),
	liquidate(uuid, uuid, wad),
	liquidatable_positions(text),
	stake(uuid, wad, text),
	pending_staking_rewards(uuid),
	claim_staking_rewards(uuid, uuid),
	unstake(uuid, uuid),
	withdraw_stake(uuid, uuid),
	swap(uuid, currency, wad)
TO xphere_app;

-- the operator functions
GRANT EXECUTE ON FUNCTION
	deposit(uuid, currency, wad, text),
	complete_withdrawal(uuid, text),
	fail_withdrawal(uuid, text),
	set_machine_status(uuid, machine_status),
	distribute_mining_rewards(),
	set_price(text, wad, text),
	create_plan(text, jsonb),
	update_plan(text, jsonb),
	set_setting(text, text),
	create_pool(text, text, jsonb),
	update_pool(text, jsonb),
	check_invariants(),
	checkpoint_staking_pools(),
	tick(),
	prune_events(interval),
	worker_status_internal()
TO xphere_admin;
GRANT SELECT ON events, job_state, worker_status TO xphere_admin;

-- reading: everything for the admin; for the app, not secrets nor the audit trail
GRANT SELECT ON audit_log TO xphere_admin;
-- (one grantee per column GRANT: inside CREATE EXTENSION, one statement
-- recording initial column privileges for two roles fails in PostgreSQL 15)
GRANT SELECT (id, email, name, wallet_address, role, is_active, created_at, updated_at)
	ON users TO xphere_app;
GRANT SELECT (id, user_id, family_id, expires_at, revoked_at, replaced_by, created_at)
	ON refresh_tokens TO xphere_app;
GRANT SELECT ON accounts, transactions, balance_history, user_machines, mining_rewards,
	supply_positions, borrow_positions, staking_positions,
	machine_plans, lending_pools, staking_pools, prices, settings
	TO xphere_app;

-- row-level security on user-owned tables
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['accounts', 'transactions', 'balance_history', 'user_machines',
		'mining_rewards', 'refresh_tokens', 'supply_positions', 'borrow_positions',
		'staking_positions']
	LOOP
		EXECUTE format('ALTER TABLE xphere.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format($p$CREATE POLICY own_rows ON xphere.%I FOR SELECT TO xphere_app
			USING (xphere.current_user_id() IS NULL OR user_id = xphere.current_user_id())$p$, t);
	END LOOP;
END $$;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON users FOR SELECT TO xphere_app
	USING (xphere.current_user_id() IS NULL OR id = xphere.current_user_id());

-- pg_dump ---------------------------------------------------------------------

/*
 * BEFORE INSERT on a seeded table: when the key exists (a restore meeting
 * the seeded row), update that row with the restored values instead.
 */
CREATE FUNCTION restore_seed_row() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	key_column text := TG_ARGV[0];
	key_type text;
	cols text;
	n bigint;
BEGIN
	SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
		   max(format_type(atttypid, atttypmod)) FILTER (WHERE attname = key_column)
	INTO cols, key_type
	FROM pg_catalog.pg_attribute
	WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped;
	EXECUTE format('UPDATE %s t SET (%s) = (SELECT %s FROM (SELECT ($1).*) r) WHERE t.%I = $2::%s',
				   TG_RELID::regclass, cols, cols, key_column, key_type)
		USING NEW, (to_jsonb(NEW) ->> key_column);
	GET DIAGNOSTICS n = ROW_COUNT;		-- (EXECUTE does not set FOUND)
	IF n > 0 THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION restore_seed_row() IS
	'trigger: a restored row whose key the extension seeded updates the seeded row instead';

DO $$
DECLARE
	t text[];
BEGIN
	FOREACH t SLICE 1 IN ARRAY ARRAY[['machine_plans', 'id', 'true'], ['staking_pools', 'id', 'true'],
		['lending_pools', 'id', 'true'], ['settings', 'key', 'true'], ['job_state', 'id', 'true'],
		['users', 'id', 'NEW.role = ''SYSTEM''']]
	LOOP
		EXECUTE format('CREATE TRIGGER restore_seed_row BEFORE INSERT ON xphere.%I
			FOR EACH ROW WHEN (pg_catalog.pg_trigger_depth() = 0 AND %s)
			EXECUTE FUNCTION xphere.restore_seed_row(%L)', t[1], t[3], t[2]);
	END LOOP;
END $$;

-- one call per statement: each call rewrites the pg_extension row
DO $$
DECLARE
	t regclass;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'refresh_tokens', 'accounts', 'transactions',
		'balance_history', 'prices', 'audit_log', 'user_machines', 'mining_rewards',
		'supply_positions', 'borrow_positions', 'staking_positions', 'machine_plans',
		'staking_pools', 'lending_pools', 'settings', 'events', 'job_state',
		'balance_history_id_seq', 'prices_id_seq', 'audit_log_id_seq', 'events_id_seq']::regclass[]
	LOOP
		PERFORM pg_catalog.pg_extension_config_dump(t, '');
	END LOOP;
END $$;

-- whatever was created after the REVOKE above keeps no default PUBLIC grant
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere FROM PUBLIC;

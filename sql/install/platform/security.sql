/*
 * Security: roles, privileges, row-level security, and pg_dump.
 *
 * - Three NOLOGIN roles, each a member of the one before:
 *     xphere_app      executes the user-facing API and reads the tables
 *                     (no secrets); acts only for the user its session is
 *                     pinned to by xphere.user_id, and for nobody without
 *                     a pin;
 *     xphere_backend  trusted to act for any user (a shared application
 *                     backend); may set xphere.user_id to confine a
 *                     session or a transaction to one user;
 *     xphere_admin    also runs the operator functions.
 *   Trust is held by the role (trust.c): an unset xphere.user_id never
 *   grants anything by itself.  PUBLIC gets nothing.  No role can write a
 *   table: every change goes through a SECURITY DEFINER function with a
 *   pinned search_path.
 * - EXECUTE is granted by intent, function by function: the type support
 *   (I/O, operators, casts, aggregates and their support functions, index
 *   support), the documented math, and the documented API.  Internal
 *   helpers are granted to nobody (test/scripts/grants.sh compares the grants with
 *   the README's tables).
 * - Row-level security: a session sees the rows of the user it acts for,
 *   every user's only when it is trusted and unpinned (the API functions,
 *   running as the owner, are not filtered, and check the caller
 *   themselves).
 * - Every table and identity sequence is registered with
 *   pg_extension_config_dump, so pg_dump keeps the data.  Rows this script
 *   seeds (settings, plans, pools, the system users) already exist when a
 *   dump is restored, so a trigger turns a restored row into an update of
 *   the seeded one.
 */

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xphere_app') THEN
		CREATE ROLE xphere_app NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xphere_backend') THEN
		CREATE ROLE xphere_backend NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xphere_admin') THEN
		CREATE ROLE xphere_admin NOLOGIN;
	END IF;
	GRANT xphere_app TO xphere_backend;
	GRANT xphere_backend TO xphere_admin;
	-- (also directly, as in 0.1.0: roles are shared by every database of
	-- the cluster, some of which may still run 0.1.0)
	GRANT xphere_app TO xphere_admin;
	GRANT SET ON PARAMETER xphere.user_id TO xphere_backend;
END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere_internal FROM PUBLIC;
REVOKE ALL ON SCHEMA xphere_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA xphere TO xphere_app, xphere_admin;

/*
 * Type support: every function a type, operator, cast, aggregate or
 * operator class of the extension is made of.  Read from the catalogs, so
 * a new operator or cast is covered; nothing else is.
 */
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN
		WITH ext_types AS (
			SELECT t.oid FROM pg_catalog.pg_type t
			WHERE t.typnamespace = 'xphere'::regnamespace
		), support(oid) AS (
			SELECT unnest(ARRAY[t.typinput, t.typoutput, t.typreceive, t.typsend,
								t.typmodin, t.typmodout, t.typanalyze]::oid[])
			FROM pg_catalog.pg_type t WHERE t.oid IN (SELECT oid FROM ext_types)
			UNION ALL
			SELECT o.oprcode FROM pg_catalog.pg_operator o
			WHERE o.oprnamespace = 'xphere'::regnamespace
			UNION ALL
			SELECT c.castfunc FROM pg_catalog.pg_cast c
			WHERE c.castsource IN (SELECT oid FROM ext_types) OR c.casttarget IN (SELECT oid FROM ext_types)
			UNION ALL
			SELECT unnest(ARRAY[a.aggfnoid, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
								a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn,
								a.aggmfinalfn]::oid[])
			FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
			WHERE p.pronamespace = 'xphere'::regnamespace
			UNION ALL
			SELECT ap.amproc FROM pg_catalog.pg_amproc ap
			JOIN pg_catalog.pg_opfamily f ON f.oid = ap.amprocfamily
			WHERE f.opfnamespace = 'xphere'::regnamespace
		)
		SELECT DISTINCT p.oid::regprocedure FROM pg_catalog.pg_proc p
		WHERE p.oid IN (SELECT oid FROM support)
		  AND p.pronamespace = 'xphere'::regnamespace
	LOOP
		EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO xphere_app', f);
	END LOOP;
END $$;

-- the documented math (README, Operators and functions; Lending)
GRANT EXECUTE ON FUNCTION
	wad_mul(wad, wad), wad_div(wad, wad),
	wad_mul_floor(wad, wad), wad_mul_ceil(wad, wad), wad_div_floor(wad, wad), wad_div_ceil(wad, wad),
	ray_mul(ray, ray), ray_div(ray, ray),
	ray_mul_floor(ray, ray), ray_mul_ceil(ray, ray), ray_div_floor(ray, ray), ray_div_ceil(ray, ray),
	ray_mul(wad, ray), ray_div(wad, ray),
	ray_mul_floor(wad, ray), ray_mul_ceil(wad, ray), ray_div_floor(wad, ray), ray_div_ceil(wad, ray),
	abs(wad), abs(ray),
	health_factor(wad, wad, wad),
	prorate_floor(wad, bigint, bigint), prorate_floor(ray, bigint, bigint),
	linear_interest(ray, bigint), compounded_interest(ray, bigint),
	borrow_rate(ray, ray, ray, ray, ray), utilization(wad, ray, wad), liquidity_rate(ray, ray, integer),
	percent_mul(wad, integer), percent_mul_floor(wad, integer), percent_mul_ceil(wad, integer),
	percent_div(wad, integer), percent_div_floor(wad, integer), percent_div_ceil(wad, integer),
	percent_mul(ray, integer), percent_mul_floor(ray, integer), percent_mul_ceil(ray, integer),
	percent_div(ray, integer), percent_div_floor(ray, integer), percent_div_ceil(ray, integer),
	liquidation_amounts(wad, wad, wad, wad, integer, integer, wad, wad, wad)
TO xphere_app;
-- (qualified: pg_catalog comes first while CREATE EXTENSION runs)
GRANT EXECUTE ON FUNCTION xphere.now(), xphere.current_user_id(), xphere.session_is_trusted(),
	xphere.sees_all_users() TO xphere_app;

-- the user-facing API
GRANT EXECUTE ON FUNCTION
	register_user(text, text, text, text),
	authenticate(text, text),
	issue_refresh_token(uuid, interval),
	rotate_refresh_token(text),
	revoke_refresh_tokens(uuid),
	set_email_verified(uuid, boolean),
	request_withdrawal(uuid, currency, wad, text),
	transfer(uuid, uuid, currency, wad, text),
	balance(uuid, currency),
	portfolio(uuid),
	purchase_machine(uuid, text, text),
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
	swap(uuid, currency, wad),
	liability_root(currency, bigint),
	liability_proof(uuid, currency, bigint)
TO xphere_app;
GRANT SELECT ON liability_roots TO xphere_app;

-- the operator functions
GRANT EXECUTE ON FUNCTION
	deposit(uuid, currency, wad, text),
	complete_withdrawal(uuid, text),
	fail_withdrawal(uuid, text),
	deactivate_user(uuid, boolean),
	reactivate_user(uuid),
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
	take_liability_snapshot(),
	prune_liability_snapshot(bigint)
TO xphere_admin;
/* the view worker_status calls it with its reader's privileges */
GRANT EXECUTE ON FUNCTION worker_status_internal() TO xphere_admin;
GRANT SELECT ON events, job_state, worker_status, tick_history, pools_now, positions_at_risk,
	house_exposure, liability_snapshots, liability_trees TO xphere_admin;

-- reading: everything for the admin; for the app, not secrets nor the audit trail
GRANT SELECT ON audit_log TO xphere_admin;
-- (one grantee per column GRANT: inside CREATE EXTENSION, one statement
-- recording initial column privileges for two roles fails in PostgreSQL 15)
GRANT SELECT (id, email, name, wallet_address, role, is_active, created_at, updated_at,
	email_verified, anonymised_at) ON users TO xphere_app;
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
		EXECUTE pg_catalog.format('ALTER TABLE xphere.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE pg_catalog.format($p$CREATE POLICY own_rows ON xphere.%I FOR SELECT TO xphere_app
			USING (user_id = xphere.current_user_id() OR xphere.sees_all_users())$p$, t);
	END LOOP;
END $$;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON users FOR SELECT TO xphere_app
	USING (id = xphere.current_user_id() OR xphere.sees_all_users());

/*
 * No statistics on the amounts of user-owned tables.  The comparison
 * operators of wad and ray are LEAKPROOF, which lets the planner apply a
 * session's own conditions early and use the column statistics for its
 * estimates even under row-level security; a platform user could then
 * read other users' balances off EXPLAIN estimates (histogram bounds).
 * Without statistics on these columns the estimates use defaults, which
 * reveal nothing; the API's plans use keys and ids, not amounts.
 * health_factor is not an amount, and refresh_positions_at_risk() needs
 * its statistics: without them the estimate of its "health_factor < 1"
 * branch makes the generic plan look dear, and every call re-plans.
 */
DO $$
DECLARE
	c record;
BEGIN
	FOR c IN
		SELECT a.attrelid::regclass AS rel, a.attname
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class r ON r.oid = a.attrelid
		WHERE r.relnamespace = 'xphere'::regnamespace AND r.relrowsecurity
		  AND a.attnum > 0 AND NOT a.attisdropped
		  AND a.atttypid IN ('xphere.wad'::regtype, 'xphere.ray'::regtype)
		ORDER BY 1, 2
	LOOP
		EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS 0', c.rel, c.attname);
	END LOOP;
END $$;

-- pg_dump ---------------------------------------------------------------------

/*
 * BEFORE INSERT on a seeded table: when the key exists (a restore meeting
 * the seeded row), update that row with the restored values instead.
 */
CREATE FUNCTION xphere_internal.restore_seed_row() RETURNS trigger
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
	EXECUTE pg_catalog.format('UPDATE %s t SET (%s) = (SELECT %s FROM (SELECT ($1).*) r) WHERE t.%I = $2::%s',
				   TG_RELID::regclass, cols, cols, key_column, key_type)
		USING NEW, (to_jsonb(NEW) ->> key_column);
	GET DIAGNOSTICS n = ROW_COUNT;		-- (EXECUTE does not set FOUND)
	IF n > 0 THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION xphere_internal.restore_seed_row() IS
	'trigger: a restored row whose key the extension seeded updates the seeded row instead';

DO $$
DECLARE
	t text[];
BEGIN
	FOREACH t SLICE 1 IN ARRAY ARRAY[['machine_plans', 'id', 'true'], ['staking_pools', 'id', 'true'],
		['lending_pools', 'id', 'true'], ['settings', 'key', 'true'], ['job_state', 'id', 'true'],
		['users', 'id', 'NEW.role = ''system''']]
	LOOP
		EXECUTE pg_catalog.format('CREATE TRIGGER restore_seed_row BEFORE INSERT ON xphere.%I
			FOR EACH ROW WHEN (pg_catalog.pg_trigger_depth() = 0 AND %s)
			EXECUTE FUNCTION xphere_internal.restore_seed_row(%L)', t[1], t[3], t[2]);
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
		'balance_history_id_seq', 'prices_id_seq', 'audit_log_id_seq', 'events_id_seq',
		'risk_refresh_marks', 'tick_history', 'tick_history_id_seq', 'liability_snapshots',
		'liability_snapshots_id_seq', 'liability_trees', 'liability_secrets', 'liability_salts',
		'liability_nodes']::regclass[]
	LOOP
		PERFORM pg_catalog.pg_extension_config_dump(t, '');
	END LOOP;
END $$;

-- whatever was created after the REVOKE above keeps no default PUBLIC grant
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere_internal FROM PUBLIC;

/*
 * Trust held by the role (src/trust.c): xphere_backend, authorize_acting()
 * in C with the lease, sees_all_users() in row-level security and in
 * liquidatable_positions(), EXECUTE granted by intent.
 */

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xphere_backend') THEN
		CREATE ROLE xphere_backend NOLOGIN;
	END IF;
	GRANT xphere_app TO xphere_backend;
	GRANT xphere_backend TO xphere_admin;
	GRANT SET ON PARAMETER xphere.user_id TO xphere_backend;
END $$;

CREATE OR REPLACE FUNCTION authorize_acting(p_user uuid) RETURNS void
	AS 'MODULE_PATHNAME', 'xphere_authorize_acting' LANGUAGE C VOLATILE;
CREATE FUNCTION session_is_trusted() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_session_is_trusted' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION session_is_trusted() IS
	'whether the session''s role may act for any user: superuser, the extension''s owner, or a member of xphere_backend';
CREATE FUNCTION sees_all_users() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_sees_all_users' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION sees_all_users() IS
	'whether the session sees every user''s rows: trusted and not pinned to a user by xphere.user_id';
REVOKE ALL ON FUNCTION session_is_trusted(), sees_all_users() FROM PUBLIC;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['accounts', 'transactions', 'balance_history', 'user_machines',
		'mining_rewards', 'refresh_tokens', 'supply_positions', 'borrow_positions',
		'staking_positions']
	LOOP
		EXECUTE pg_catalog.format($p$ALTER POLICY own_rows ON xphere.%I
			USING (user_id = xphere.current_user_id() OR xphere.sees_all_users())$p$, t);
	END LOOP;
END $$;
ALTER POLICY own_rows ON users
	USING (id = xphere.current_user_id() OR xphere.sees_all_users());

-- EXECUTE by intent: nothing but what a fresh install grants
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere FROM xphere_app, xphere_admin;

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
	prune_events(interval)
TO xphere_admin;

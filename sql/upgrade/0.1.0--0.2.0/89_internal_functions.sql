/*
 * The internal helpers move to their own schema, xphere_internal (made by
 * 05_internal_schema.sql), out of the API's way: every function of the
 * extension only its owner could execute, but set_user_role() and
 * refresh_positions_at_risk(), the owner's documented API (a function a
 * DBA made in schema xphere under one of these names stays there).  ALTER
 * FUNCTION ... SET SCHEMA keeps each one's oid, so triggers, views and
 * the extension's membership follow; their bodies, which name one another
 * xphere_internal.*, come next from the install sources
 * (sql/upgrade/functions.awk).
 */
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN
		SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
			AND d.objid = p.oid AND d.deptype = 'e'
			AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'xphere')
		WHERE p.pronamespace = 'xphere'::regnamespace AND p.proname = ANY (ARRAY[
			'absolute_interval', 'accrue_pool', 'apply_plan_params',
			'apply_pool_params', 'audit', 'authorize_acting',
			'authorize_admin', 'authorize_user', 'bcrypt_check', 'bcrypt_hash',
			'bps', 'change_collateral', 'check_address', 'check_amount',
			'check_min_value', 'check_owner', 'check_param_keys', 'check_text',
			'check_transaction_update', 'create_pool_account',
			'create_staking_account', 'distribute_mining_batch', 'emit_event',
			'forbid_change', 'forbid_user_delete', 'fresh_price',
			'hide_secrets_from_log', 'house_id', 'index_of',
			'is_large_transaction', 'large_transaction_event', 'latest_price',
			'liabilities_at', 'liability_build', 'liability_proof_parts',
			'liability_root_json', 'liability_snapshot', 'liability_time',
			'liquidatable_in', 'liquidate_for_tick', 'liquidate_position',
			'lock_accounts', 'machine_earned', 'make_driver_overloads',
			'micros_between', 'new_transaction', 'not_before', 'open_pool',
			'open_staking_pool', 'owned_position', 'owned_stake', 'param_bool',
			'param_fraction', 'param_hashrate', 'param_ray', 'param_text',
			'param_wad', 'password_check', 'password_hash',
			'password_hash_cost', 'password_prehash', 'pay_machines',
			'pay_machines_unchecked', 'pending_withdrawal',
			'plan_keys', 'pool_account', 'pool_at', 'pool_keys', 'pool_now',
			'pool_params', 'pool_with_rates', 'position_values', 'post',
			'price', 'prorate_wad_floor', 'raise_null', 'random_token',
			'record_failed_tick', 'record_tick', 'refresh_position',
			'require_active_user', 'require_user', 'restore_seed_row',
			'save_pool', 'session_is_owner', 'setting', 'stake_earned',
			'staking_account', 'staking_index_at', 'store_position_health',
			'token_digest', 'touch_updated_at', 'tx_hash_norm', 'wad_wei',
			'withdrawal_fee'
		])
		ORDER BY 1
	LOOP
		EXECUTE pg_catalog.format('ALTER FUNCTION %s SET SCHEMA xphere_internal', f);
	END LOOP;
END $$;

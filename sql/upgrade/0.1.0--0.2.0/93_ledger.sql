/*
 * The ledger's hot path: lock_accounts() in C (src/ledger.c), with plans
 * prepared once per backend, and is_large_transaction() in one statement.
 */
/*
 * Lock the accounts of the given users in one currency each (pairs by
 * position), one at a time in the global (user_id, currency) order,
 * opening missing ones.  In C (src/ledger.c): sorting the pairs was most
 * of this function's time in PL/pgSQL, and its two statements are planned
 * once per backend.
 */
CREATE OR REPLACE FUNCTION lock_accounts(p_users uuid[], p_currencies currency[]) RETURNS void
	AS 'MODULE_PATHNAME', 'xphere_lock_accounts' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION lock_accounts(uuid[], currency[]) IS 'locks accounts in the global (user_id, currency) order';

CREATE OR REPLACE FUNCTION is_large_transaction(p_user uuid, p_amount wad, p_currency currency)
	RETURNS boolean
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	/*
	 * floor(amount x price) >= threshold, which has at most 18 decimals,
	 * holds exactly when amount x price >= threshold; numeric cannot
	 * overflow where wad multiplication would (the entry may be one the
	 * caller is about to refuse for lack of funds).  One statement, since
	 * every ledger entry asks: the latest price (latest_price()) and the
	 * threshold are read by subqueries, not by two more function calls.
	 */
	RETURN p_user <> xphere.house_id() AND coalesce(p_amount::numeric
		* CASE WHEN p_currency = 'USDT' THEN 1
			ELSE (SELECT x.price_usdt::numeric FROM xphere.prices x WHERE x.asset = p_currency::text
				  ORDER BY x.created_at DESC, x.id DESC LIMIT 1) END
		>= (SELECT s.value::numeric FROM xphere.settings s WHERE s.key = 'large_transaction_usdt'),
		false);
END $$;
COMMENT ON FUNCTION is_large_transaction(uuid, wad, currency) IS
	'whether a ledger entry is worth at least large_transaction_usdt (house entries never are)';

/*-------------------------------------------------------------------------
 *
 * ledger.c
 *	  lock_accounts(), which every write of the API calls first.
 *
 * It keeps the rules of the PL/pgSQL function it replaced: the accounts
 * are locked one at a time in the global (user_id, currency) order, a
 * missing one opened first.  Sorting the pairs with PL/pgSQL's array
 * operations was most of that function's time; here they are sorted in
 * place, the two statements are prepared once per backend (kept_plan),
 * and no GUC is set per call.  The statements name every object and
 * operator with its schema, so that they mean the same under any
 * search_path; only the extension's own functions call it (PUBLIC has no
 * EXECUTE on it).  post() stays in PL/pgSQL: measured, a C post() spent
 * in SPI what the PL/pgSQL one spends in its interpreter.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/typcache.h"
#include "utils/uuid.h"

#include "kept_plan.h"

static KeptPlan lock_plan;
static KeptPlan open_plan;

/* one (user, currency) pair of lock_accounts() */
typedef struct AccountKey
{
	const pg_uuid_t *user;
	Oid			currency;
} AccountKey;

static int
account_key_cmp(const AccountKey *a, const AccountKey *b, TypeCacheEntry *currency_type)
{
	int			c = memcmp(a->user->data, b->user->data, UUID_LEN);

	if (c != 0)
		return c;
	if (a->currency == b->currency)
		return 0;
	return compare_values_of_enum(currency_type, a->currency, b->currency);
}

PG_FUNCTION_INFO_V1(xphere_lock_accounts);

/*
 * lock_accounts(p_users uuid[], p_currencies currency[]) RETURNS void
 *
 * Locks the account of each (p_users[i], p_currencies[i]) pair, in the
 * global (user_id, currency) order, creating a missing one first (the
 * house's may go below zero).  The order is uuid order (bytewise) and the
 * enum's order, as a row comparison in SQL sorts them.
 */
Datum
xphere_lock_accounts(PG_FUNCTION_ARGS)
{
	ArrayType  *users_arr;
	ArrayType  *currencies_arr;
	Oid			currency_oid;
	TypeCacheEntry *currency_type;
	Datum	   *users;
	Datum	   *currencies;
	bool	   *users_null;
	bool	   *currencies_null;
	int			n,
				nc;
	AccountKey *keys;
	Oid			types[2];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_VOID();
	users_arr = PG_GETARG_ARRAYTYPE_P(0);
	currencies_arr = PG_GETARG_ARRAYTYPE_P(1);
	currency_oid = ARR_ELEMTYPE(currencies_arr);
	currency_type = lookup_type_cache(currency_oid, 0);

	deconstruct_array(users_arr, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR,
					  &users, &users_null, &n);
	deconstruct_array(currencies_arr, currency_oid, sizeof(Oid), true, TYPALIGN_INT,
					  &currencies, &currencies_null, &nc);
	if (n != nc)
		elog(ERROR, "lock_accounts: %d users but %d currencies", n, nc);

	/* insertion sort: a call locks one to four accounts */
	keys = palloc(Max(n, 1) * sizeof(AccountKey));
	for (int i = 0; i < n; i++)
	{
		AccountKey	k;
		int			j = i;

		if (users_null[i] || currencies_null[i])
			elog(ERROR, "lock_accounts: a NULL user or currency");
		k.user = DatumGetUUIDP(users[i]);
		k.currency = DatumGetObjectId(currencies[i]);
		while (j > 0 && account_key_cmp(&keys[j - 1], &k, currency_type) > 0)
		{
			keys[j] = keys[j - 1];
			j--;
		}
		keys[j] = k;
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	types[0] = UUIDOID;
	types[1] = currency_oid;
	for (int i = 0; i < n; i++)
	{
		Datum		values[2];
		int			rc;

		if (i > 0 && account_key_cmp(&keys[i - 1], &keys[i], currency_type) == 0)
			continue;
		values[0] = UUIDPGetDatum(keys[i].user);
		values[1] = ObjectIdGetDatum(keys[i].currency);
		for (int attempt = 0;; attempt++)
		{
			rc = SPI_execute_plan(kept_plan(&lock_plan,
											"SELECT 1 FROM xphere.accounts a"
											" WHERE a.user_id OPERATOR(pg_catalog.=) $1"
											" AND a.currency OPERATOR(pg_catalog.=) $2 FOR UPDATE",
											2, types),
								  values, NULL, false, 1);
			if (rc != SPI_OK_SELECT)
				elog(ERROR, "could not lock an account: %s", SPI_result_code_string(rc));
			if (SPI_processed > 0 || attempt > 0)
				break;
			/* a first movement in this currency: open the account, then lock it */
			rc = SPI_execute_plan(kept_plan(&open_plan,
											"INSERT INTO xphere.accounts (user_id, currency, allow_negative)"
											" VALUES ($1, $2, $1 OPERATOR(pg_catalog.=) xphere_internal.house_id())"
											" ON CONFLICT DO NOTHING",
											2, types),
								  values, NULL, false, 0);
			if (rc != SPI_OK_INSERT)
				elog(ERROR, "could not open an account: %s", SPI_result_code_string(rc));
		}
		if (SPI_processed == 0)
			elog(ERROR, "lock_accounts: the account was not found after opening it");
	}
	SPI_finish();
	PG_RETURN_VOID();
}


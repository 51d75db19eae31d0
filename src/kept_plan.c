/*-------------------------------------------------------------------------
 *
 * kept_plan.c
 *	  SPI statements prepared once per backend (SPI_keepplan), for the C
 *	  functions that run the same statements on every call (ledger.c,
 *	  liabilities.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "kept_plan.h"

/*
 * The plan of sql in slot kp, prepared (and kept) on first use, or again
 * when the argument types differ from those it was prepared for.  Call
 * inside SPI_connect().
 */
SPIPlanPtr
kept_plan(KeptPlan *kp, const char *sql, int nargs, const Oid *types)
{
	if (nargs < 0 || nargs > KEPT_PLAN_MAX_ARGS)
		elog(ERROR, "kept_plan: %d arguments, at most %d", nargs, KEPT_PLAN_MAX_ARGS);
	if (kp->plan != NULL && memcmp(kp->types, types, nargs * sizeof(Oid)) != 0)
	{
		SPI_freeplan(kp->plan);
		kp->plan = NULL;
	}
	if (kp->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, (Oid *) types);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "could not prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		memcpy(kp->types, types, nargs * sizeof(Oid));
		kp->plan = plan;
	}
	return kp->plan;
}

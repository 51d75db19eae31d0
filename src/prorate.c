/*-------------------------------------------------------------------------
 *
 * prorate.c
 *	  Pro-rata shares for rewards that must not depend on how often
 *	  anything runs.
 *
 * A machine earns floor(daily_return x online_microseconds / 86 400 000 000)
 * raw units in total, a staking position floor(apy x elapsed_us /
 * (SECONDS_PER_YEAR x 10^6)); both are "amount times a part of a whole",
 * computed here with one exact 256-bit product and one floor division,
 * so the total earned over any split of the time is the same.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fixed_type.h"

PG_FUNCTION_INFO_V1(xphere_prorate_floor);
Datum
xphere_prorate_floor(PG_FUNCTION_ARGS)
{
	fx_int128	amount = PG_GETARG_FIXED(0);
	int64		part = PG_GETARG_INT64(1);
	int64		whole = PG_GETARG_INT64(2);
	fx_int128	r = 0;

	if (part < 0 || whole <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("prorate needs 0 <= part and 0 < whole")));
	xphere_fixed_check(fx_muldiv(amount, part, whole, FX_ROUND_FLOOR, &r),
					   "prorated amount");
	PG_RETURN_FIXED(r);
}

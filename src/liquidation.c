/*-------------------------------------------------------------------------
 *
 * liquidation.c
 *	  How much of a loan a liquidation repays and how much collateral it
 *	  pays for that, by Aave 3.3+ rules (doc/lending.md, Liquidation), rounding
 *	  against the liquidator.
 *
 *	  collateral_value = wadMulFloor(collateral, price_collateral)
 *	  debt_value       = wadMulCeil(debt, price_asset)
 *	  HF               = wadDivFloor(percentMulFloor(collateral_value, LT), debt_value)
 *
 * Allowed only while HF < 1.  At most half the debt may be repaid when
 * both values are at least close_factor_min_base and HF > 0.95, else all
 * of it.  The collateral paid is the repaid debt's value plus the bonus;
 * if that exceeds the collateral, all of it is taken and the debt repaid
 * shrinks to match.  A partial liquidation must leave at least
 * min_leftover_base of debt value and of collateral value (XP007).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"

#include "fixed_type.h"
#include "errcodes.h"
#include "health_factor.h"

#define PERCENTAGE_FACTOR	10000
#define CLOSE_FACTOR_HF_THRESHOLD	((fx_int128) 950000000000000000LL)	/* 0.95 */
#define WAD_ONE		((fx_int128) 1000000000000000000LL)

static fx_int128
wmul(fx_int128 a, fx_int128 b, FxRound mode)
{
	return xphere_fixed_mul(a, b, WAD_SCALE, mode, "wad");
}

static fx_int128
wdiv(fx_int128 a, fx_int128 b, FxRound mode)
{
	return xphere_fixed_div(a, b, WAD_SCALE, mode, "wad");
}

static fx_int128
pct(fx_int128 v, int32 bps, bool mul, FxRound mode)
{
	fx_int128	r = 0;

	xphere_fixed_check(mul ? fx_muldiv(v, bps, PERCENTAGE_FACTOR, mode, &r)
					   : fx_muldiv(v, PERCENTAGE_FACTOR, bps, mode, &r), "wad");
	return r;
}

static void
check_non_negative(fx_int128 v, const char *what)
{
	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what)));
}

PG_FUNCTION_INFO_V1(xphere_liquidation_amounts);
Datum
xphere_liquidation_amounts(PG_FUNCTION_ARGS)
{
	fx_int128	debt,
				collateral,
				price_asset,
				price_collateral,
				min_base,
				min_leftover;
	int32		lt_bps,
				bonus_bps;
	fx_int128	collateral_value,
				debt_value,
				hf,
				max_repay,
				to_cover,
				repaid,
				seized;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	for (int i = 0; i < 8; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("liquidation_amounts: argument %d must not be null", i + 1)));
	debt = PG_GETARG_FIXED(0);
	collateral = PG_GETARG_FIXED(1);
	price_asset = PG_GETARG_FIXED(2);
	price_collateral = PG_GETARG_FIXED(3);
	lt_bps = PG_GETARG_INT32(4);
	bonus_bps = PG_GETARG_INT32(5);
	min_base = PG_GETARG_FIXED(6);
	min_leftover = PG_GETARG_FIXED(7);

	check_non_negative(debt, "debt");
	check_non_negative(collateral, "collateral");
	check_non_negative(min_base, "close_factor_min_base");
	check_non_negative(min_leftover, "min_leftover_base");
	if (price_asset <= 0 || price_collateral <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("prices must be positive")));
	if (lt_bps <= 0 || lt_bps > PERCENTAGE_FACTOR || bonus_bps < 0 ||
		bonus_bps > PERCENTAGE_FACTOR)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("liquidation threshold and bonus must be between 0 and 10000 basis points")));

	collateral_value = wmul(collateral, price_collateral, FX_ROUND_FLOOR);
	debt_value = wmul(debt, price_asset, FX_ROUND_CEIL);
	hf = debt_value == 0 ? HF_INFINITY
		: xphere_health_factor(pct(collateral_value, lt_bps, true, FX_ROUND_FLOOR),
							   WAD_ONE, debt_value);
	if (hf >= WAD_ONE)
		ereport(ERROR,
				(errcode(ERRCODE_XP_NOT_LIQUIDATABLE),
				 errmsg("position is not liquidatable"),
				 errdetail("Its health factor is %s.",
						   hf == HF_INFINITY ? "infinity" : xphere_fixed_format(hf, WAD_SCALE))));

	if (collateral_value >= min_base && debt_value >= min_base &&
		hf > CLOSE_FACTOR_HF_THRESHOLD)
		max_repay = pct(debt, PERCENTAGE_FACTOR / 2, true, FX_ROUND_FLOOR);
	else
		max_repay = debt;

	to_cover = max_repay;
	if (!PG_ARGISNULL(8))
	{
		fx_int128	wanted = PG_GETARG_FIXED(8);

		if (wanted <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("debt_to_cover must be positive")));
		if (wanted < to_cover)
			to_cover = wanted;
	}

	seized = pct(wdiv(wmul(to_cover, price_asset, FX_ROUND_FLOOR), price_collateral,
					  FX_ROUND_FLOOR),
				 PERCENTAGE_FACTOR + bonus_bps, true, FX_ROUND_FLOOR);
	if (seized > collateral)
	{
		seized = collateral;
		repaid = pct(wdiv(wmul(collateral, price_collateral, FX_ROUND_CEIL), price_asset,
						  FX_ROUND_CEIL),
					 PERCENTAGE_FACTOR + bonus_bps, false, FX_ROUND_CEIL);
		if (repaid > debt)
			repaid = debt;
	}
	else
		repaid = to_cover;

	if (repaid < debt && seized < collateral &&
		(wmul(debt - repaid, price_asset, FX_ROUND_CEIL) < min_leftover ||
		 wmul(collateral - seized, price_collateral, FX_ROUND_FLOOR) < min_leftover))
		ereport(ERROR,
				(errcode(ERRCODE_XP_DUST),
				 errmsg("liquidation would leave dust"),
				 errdetail("A partial liquidation must leave at least %s USDT of debt and of collateral.",
						   xphere_fixed_format(min_leftover, WAD_SCALE)),
				 errhint("Cover the whole debt, or less of it.")));

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "liquidation_amounts must return a composite");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = FixedGetDatum(repaid);
	values[1] = FixedGetDatum(seized);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

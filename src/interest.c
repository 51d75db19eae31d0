/*-------------------------------------------------------------------------
 *
 * interest.c
 *	  Aave V3 interest math on ray and wad: linear and compounded interest,
 *	  the kinked borrow-rate curve, utilization, the liquidity rate and
 *	  Aave's PercentageMath.  Pure and IMMUTABLE; rounding as in
 *	  doc/lending.md (and aave-v3-origin's MathUtils, WadRayMath and
 *	  DefaultReserveInterestRateStrategyV2).
 *
 * Every product that could exceed 128 bits goes through fx_muldiv's exact
 * 256-bit intermediate.  Percentages are basis points (10 000 = 100%).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fixed_type.h"

#define SECONDS_PER_YEAR	INT64CONST(31536000)
#define PERCENTAGE_FACTOR	10000

static const fx_int128 RAY_ONE = (fx_int128) 1000000000000000000LL * 1000000000LL;

static fx_int128
ray_mul(fx_int128 a, fx_int128 b, FxRound mode)
{
	return xphere_fixed_mul(a, b, RAY_SCALE, mode, "ray");
}

static fx_int128
ray_div(fx_int128 a, fx_int128 b, FxRound mode)
{
	return xphere_fixed_div(a, b, RAY_SCALE, mode, "ray");
}

static fx_int128
checked_add(fx_int128 a, fx_int128 b)
{
	return xphere_fixed_add(a, b, "ray");
}

static int64
get_seconds(FunctionCallInfo fcinfo, int argno)
{
	int64		dt = PG_GETARG_INT64(argno);

	if (dt < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("seconds must not be negative")));
	return dt;
}

/* floor(rate * seconds / SECONDS_PER_YEAR) */
static fx_int128
rate_times_time(fx_int128 rate, int64 dt)
{
	fx_int128	x = 0;

	if (rate < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rate must not be negative")));
	xphere_fixed_check(fx_muldiv(rate, dt, SECONDS_PER_YEAR, FX_ROUND_FLOOR, &x),
					   "ray");
	return x;
}

/* RAY + floor(rate * dt / SECONDS_PER_YEAR): supply-side growth factor */
PG_FUNCTION_INFO_V1(xphere_linear_interest);
Datum
xphere_linear_interest(PG_FUNCTION_ARGS)
{
	fx_int128	rate = PG_GETARG_FIXED(0);
	int64		dt = get_seconds(fcinfo, 1);

	PG_RETURN_FIXED(checked_add(RAY_ONE, rate_times_time(rate, dt)));
}

/*
 * Borrow-side growth factor, the Taylor expansion of e^x to the third
 * term used by Aave since v3.4:
 *	  x = floor(rate * dt / N);  RAY + x + rayMul(x, x/2 + rayMul(x, x/6))
 */
PG_FUNCTION_INFO_V1(xphere_compounded_interest);
Datum
xphere_compounded_interest(PG_FUNCTION_ARGS)
{
	fx_int128	rate = PG_GETARG_FIXED(0);
	int64		dt = get_seconds(fcinfo, 1);
	fx_int128	x = rate_times_time(rate, dt);
	fx_int128	inner;
	fx_int128	r;

	inner = checked_add(x / 2, ray_mul(x, x / 6, FX_ROUND_HALF_UP));
	r = checked_add(RAY_ONE, x);
	r = checked_add(r, ray_mul(x, inner, FX_ROUND_HALF_UP));
	PG_RETURN_FIXED(r);
}

/*
 * The kinked curve, strict ">" at the kink:
 *	  U <= opt: base + rayDiv(rayMul(slope1, U), opt)
 *	  U >  opt: base + slope1 + rayMul(slope2, rayDiv(U - opt, RAY - opt))
 */
PG_FUNCTION_INFO_V1(xphere_borrow_rate);
Datum
xphere_borrow_rate(PG_FUNCTION_ARGS)
{
	fx_int128	u = PG_GETARG_FIXED(0);
	fx_int128	base = PG_GETARG_FIXED(1);
	fx_int128	slope1 = PG_GETARG_FIXED(2);
	fx_int128	slope2 = PG_GETARG_FIXED(3);
	fx_int128	opt = PG_GETARG_FIXED(4);
	fx_int128	r;

	if (u < 0 || u > RAY_ONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("utilization must be between 0 and 1")));
	if (opt <= 0 || opt >= RAY_ONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("optimal utilization must be strictly between 0 and 1")));
	if (base < 0 || slope1 < 0 || slope2 < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rates must not be negative")));

	if (u <= opt)
		r = checked_add(base, ray_div(ray_mul(slope1, u, FX_ROUND_HALF_UP), opt,
									  FX_ROUND_HALF_UP));
	else
		r = checked_add(checked_add(base, slope1),
						ray_mul(slope2, ray_div(u - opt, RAY_ONE - opt,
												FX_ROUND_HALF_UP),
								FX_ROUND_HALF_UP));
	PG_RETURN_FIXED(r);
}

/*
 * Utilization rayDiv(total_debt, cash + total_debt), half up, with
 * total_debt = rayMulCeil(scaled_debt, borrow_index); 0 without debt.
 */
PG_FUNCTION_INFO_V1(xphere_utilization);
Datum
xphere_utilization(PG_FUNCTION_ARGS)
{
	fx_int128	scaled_debt = PG_GETARG_FIXED(0);
	fx_int128	index = PG_GETARG_FIXED(1);
	fx_int128	cash = PG_GETARG_FIXED(2);
	fx_int128	debt;
	fx_int128	r = 0;

	if (scaled_debt < 0 || index <= 0 || cash < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("utilization needs a non-negative debt and cash and a positive index")));
	debt = ray_mul(scaled_debt, index, FX_ROUND_CEIL);
	if (debt == 0)
		PG_RETURN_FIXED(0);
	/* debt and cash are wad; their ratio is a ray */
	xphere_fixed_check(fx_div(debt, xphere_fixed_add(cash, debt, "wad"), RAY_SCALE,
							  FX_ROUND_HALF_UP, &r), "ray");
	PG_RETURN_FIXED(r);
}

static int32
get_bps(FunctionCallInfo fcinfo, int argno)
{
	int32		p = PG_GETARG_INT32(argno);

	if (p < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a percentage in basis points must not be negative")));
	return p;
}

/* percentMul(rayMul(borrow_rate, U), 10000 - reserve_factor) */
PG_FUNCTION_INFO_V1(xphere_liquidity_rate);
Datum
xphere_liquidity_rate(PG_FUNCTION_ARGS)
{
	fx_int128	borrow = PG_GETARG_FIXED(0);
	fx_int128	u = PG_GETARG_FIXED(1);
	int32		rf = get_bps(fcinfo, 2);
	fx_int128	r = 0;

	if (rf > PERCENTAGE_FACTOR)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reserve factor must be at most 10000 basis points")));
	xphere_fixed_check(fx_muldiv(ray_mul(borrow, u, FX_ROUND_HALF_UP),
								 PERCENTAGE_FACTOR - rf, PERCENTAGE_FACTOR,
								 FX_ROUND_HALF_UP, &r), "ray");
	PG_RETURN_FIXED(r);
}

/*
 * PercentageMath: percent_mul(v, bps) = v * bps / 10000, percent_div(v,
 * bps) = v * 10000 / bps, each half up, floor or ceil.  The same C
 * functions serve wad and ray, which share the representation.
 */
#define PERCENT_FUNC(NAME, MODE, MUL) \
PG_FUNCTION_INFO_V1(xphere_##NAME); \
Datum \
xphere_##NAME(PG_FUNCTION_ARGS) \
{ \
	fx_int128	v = PG_GETARG_FIXED(0); \
	int32		p = get_bps(fcinfo, 1); \
	fx_int128	r = 0; \
	xphere_fixed_check(MUL ? fx_muldiv(v, p, PERCENTAGE_FACTOR, MODE, &r) \
					   : fx_muldiv(v, PERCENTAGE_FACTOR, p, MODE, &r), "value"); \
	PG_RETURN_FIXED(r); \
}

PERCENT_FUNC(percent_mul, FX_ROUND_HALF_UP, true)
PERCENT_FUNC(percent_mul_floor, FX_ROUND_FLOOR, true)
PERCENT_FUNC(percent_mul_ceil, FX_ROUND_CEIL, true)
PERCENT_FUNC(percent_div, FX_ROUND_HALF_UP, false)
PERCENT_FUNC(percent_div_floor, FX_ROUND_FLOOR, false)
PERCENT_FUNC(percent_div_ceil, FX_ROUND_CEIL, false)

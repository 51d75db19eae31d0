/*-------------------------------------------------------------------------
 *
 * ray.c
 *	  The ray type: a signed 128-bit integer of 10^-27 units, for interest
 *	  indexes and per-year rates (Aave's ray).
 *
 * ray * ray and ray / ray are Aave's rayMul and rayDiv, rounded half away
 * from zero; the _floor and _ceil functions round towards minus and plus
 * infinity.  The product of two rays needs up to 254 bits before the
 * division by 10^27; fixed128.c does that division with a precomputed
 * reciprocal.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "ray.h"

XPHERE_FIXED_TYPE(ray, RAY_SCALE)

/* ray to wad rounds half away from zero, as Aave's rayToWad */
PG_FUNCTION_INFO_V1(ray_to_wad);
Datum
ray_to_wad(PG_FUNCTION_ARGS)
{
	fx_int128	r = 0;

	xphere_fixed_check(fx_rescale(PG_GETARG_FIXED(0), RAY_SCALE, WAD_SCALE,
								  FX_ROUND_HALF_UP, &r), "wad");
	PG_RETURN_FIXED(r);
}

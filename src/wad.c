/*-------------------------------------------------------------------------
 *
 * wad.c
 *	  The wad type: a signed 128-bit integer of 10^-18 units, for token
 *	  amounts and prices (the ERD's DECIMAL(36,18)).
 *
 * wad * wad and wad / wad are Aave's wadMul and wadDiv: the exact product
 * or quotient rounded once, half away from zero; the _floor and _ceil
 * functions round towards minus and plus infinity.  wad * ray and
 * wad / ray scale an amount by an index (Aave's rayMul/rayDiv with the
 * amount in wad), and are defined here because their result is a wad.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "wad.h"
#include "ray.h"

XPHERE_FIXED_TYPE(wad, WAD_SCALE)

/* amount (wad) times or divided by an index (ray), giving a wad */
XPHERE_FIXED_BINARY(wad_ray, mul,
					xphere_fixed_mul(a, b, RAY_SCALE, FX_ROUND_HALF_UP, "wad"))
XPHERE_FIXED_BINARY(wad_ray, mul_floor,
					xphere_fixed_mul(a, b, RAY_SCALE, FX_ROUND_FLOOR, "wad"))
XPHERE_FIXED_BINARY(wad_ray, mul_ceil,
					xphere_fixed_mul(a, b, RAY_SCALE, FX_ROUND_CEIL, "wad"))
XPHERE_FIXED_BINARY(wad_ray, div,
					xphere_fixed_div(a, b, RAY_SCALE, FX_ROUND_HALF_UP, "wad"))
XPHERE_FIXED_BINARY(wad_ray, div_floor,
					xphere_fixed_div(a, b, RAY_SCALE, FX_ROUND_FLOOR, "wad"))
XPHERE_FIXED_BINARY(wad_ray, div_ceil,
					xphere_fixed_div(a, b, RAY_SCALE, FX_ROUND_CEIL, "wad"))
/* ray * wad: the commutator of wad * ray */
XPHERE_FIXED_BINARY(ray_wad, mul,
					xphere_fixed_mul(a, b, RAY_SCALE, FX_ROUND_HALF_UP, "wad"))

/* wad to ray is exact (nine more places); it fails only by overflow */
PG_FUNCTION_INFO_V1(wad_to_ray);
Datum
wad_to_ray(PG_FUNCTION_ARGS)
{
	fx_int128	r = 0;

	xphere_fixed_check(fx_rescale(PG_GETARG_FIXED(0), WAD_SCALE, RAY_SCALE,
								  FX_ROUND_HALF_UP, &r), "ray");
	PG_RETURN_FIXED(r);
}

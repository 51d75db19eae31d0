/*-------------------------------------------------------------------------
 *
 * health_factor.h
 *	  The health_factor type: a non-negative wad-scaled ratio or infinity.
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_HEALTH_FACTOR_H
#define XPHERE_HEALTH_FACTOR_H

#include "fixed_type.h"

/* infinity is the largest raw value, so it sorts after every finite one */
#define HF_INFINITY		FX_MAX
/* largest finite health factor, in raw wad units */
#define HF_MAX_FINITE	(FX_MAX - 1)

/*
 * wadDivFloor(wadMulFloor(collateral_value, threshold), debt_value), or
 * HF_INFINITY when debt_value is zero or the ratio exceeds HF_MAX_FINITE.
 */
extern fx_int128 xphere_health_factor(fx_int128 collateral_value,
									  fx_int128 threshold,
									  fx_int128 debt_value);

#endif							/* XPHERE_HEALTH_FACTOR_H */

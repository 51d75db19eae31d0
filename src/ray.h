/*-------------------------------------------------------------------------
 *
 * ray.h
 *	  The ray type: interest indexes and rates, 27 decimal places.
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_RAY_H
#define XPHERE_RAY_H

#include "fixed_type.h"

#define DatumGetRay(d)	DatumGetFixed(d)
#define RayGetDatum(v)	FixedGetDatum(v)

#endif							/* XPHERE_RAY_H */

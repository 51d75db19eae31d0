/*-------------------------------------------------------------------------
 *
 * wad.h
 *	  The wad type: token amounts and prices, 18 decimal places.
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_WAD_H
#define XPHERE_WAD_H

#include "fixed_type.h"

#define DatumGetWad(d)	DatumGetFixed(d)
#define WadGetDatum(v)	FixedGetDatum(v)

#endif							/* XPHERE_WAD_H */

/*-------------------------------------------------------------------------
 *
 * fixed_type.h
 *	  PostgreSQL glue shared by the fixed-point types wad, ray and
 *	  health_factor.
 *
 * Representation: a Datum points to 16 bytes holding a signed 128-bit
 * integer of raw units (see fixed128.h).  The SQL types are declared with
 * ALIGNMENT = double, so the value may sit at an 8-byte boundary only;
 * it is always read and written with memcpy, never through an fx_int128
 * pointer (which the compiler could access with 16-byte aligned loads).
 *
 * Functions whose behaviour does not depend on the scale (comparisons,
 * hashing, the sum/avg accumulator) are shared by all types and live in
 * fixed_type.c.  The scale-dependent ones are generated for each type by
 * XPHERE_FIXED_TYPE(name, scale) from the inline helpers below, so wad.c
 * and ray.c only say what differs.
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_FIXED_TYPE_H
#define XPHERE_FIXED_TYPE_H

#include "postgres.h"

#include "fmgr.h"
#include "fixed128.h"

#define WAD_SCALE	18
#define RAY_SCALE	27

static inline fx_int128
DatumGetFixed(Datum d)
{
	fx_int128	v;

	memcpy(&v, DatumGetPointer(d), sizeof(v));
	return v;
}

static inline Datum
FixedGetDatum(fx_int128 v)
{
	void	   *p = palloc(sizeof(v));

	memcpy(p, &v, sizeof(v));
	return PointerGetDatum(p);
}

#define PG_GETARG_FIXED(n)	DatumGetFixed(PG_GETARG_DATUM(n))
#define PG_RETURN_FIXED(v)	return FixedGetDatum(v)

/* raise the error for a failed arithmetic step; returns if status is FX_OK */
extern void xphere_fixed_check(FxStatus status, const char *typname);

/* text input and output */
extern fx_int128 xphere_fixed_parse(const char *str, int scale,
									const char *typname);
extern char *xphere_fixed_format(fx_int128 v, int scale);

/* conversions */
extern fx_int128 xphere_fixed_from_numeric(Datum num, int scale,
										   const char *typname);
extern Datum xphere_fixed_to_numeric(fx_int128 v, int scale);
extern fx_int128 xphere_fixed_from_float8(double d, int scale,
										  const char *typname);
extern double xphere_fixed_to_float8(fx_int128 v, int scale);
extern int64 xphere_fixed_to_int(fx_int128 v, int scale, int64 min,
								 int64 max, const char *intname);
extern fx_int128 xphere_fixed_recv(Datum buf);
extern Datum xphere_fixed_send(fx_int128 v);

/* sum and avg finals over the shared accumulator state */
extern bool xphere_fixed_sum_final(FunctionCallInfo fcinfo, fx_int128 *result,
								   const char *typname);
extern bool xphere_fixed_avg_final(FunctionCallInfo fcinfo, fx_int128 *result,
								   const char *typname);

static inline fx_int128
xphere_fixed_mul(fx_int128 a, fx_int128 b, int scale, FxRound mode,
				 const char *typname)
{
	fx_int128	r = 0;

	xphere_fixed_check(fx_mul(a, b, scale, mode, &r), typname);
	return r;
}

static inline fx_int128
xphere_fixed_div(fx_int128 a, fx_int128 b, int scale, FxRound mode,
				 const char *typname)
{
	fx_int128	r = 0;

	xphere_fixed_check(fx_div(a, b, scale, mode, &r), typname);
	return r;
}

/*
 * The SQL-callable functions of a fixed-point type NAME with SCALE decimal
 * places: NAME_in, NAME_out, NAME_recv, NAME_send, NAME_pl, NAME_mi,
 * NAME_um, NAME_abs, NAME_mul, NAME_div and their _floor/_ceil variants,
 * casts from and to int2/int4/int8, numeric and float8, and the finals of
 * sum and avg.
 */
#define XPHERE_FIXED_BINARY(NAME, SUFFIX, EXPR) \
PG_FUNCTION_INFO_V1(NAME##_##SUFFIX); \
Datum \
NAME##_##SUFFIX(PG_FUNCTION_ARGS) \
{ \
	fx_int128	a = PG_GETARG_FIXED(0); \
	fx_int128	b = PG_GETARG_FIXED(1); \
	PG_RETURN_FIXED(EXPR); \
}

#define XPHERE_FIXED_FROM_INT(NAME, SCALE, INTNAME, GETARG) \
PG_FUNCTION_INFO_V1(NAME##_from_##INTNAME); \
Datum \
NAME##_from_##INTNAME(PG_FUNCTION_ARGS) \
{ \
	fx_int128	r = 0; \
	xphere_fixed_check(fx_rescale((fx_int128) GETARG(0), 0, SCALE, \
								  FX_ROUND_HALF_UP, &r), #NAME); \
	PG_RETURN_FIXED(r); \
}

#define XPHERE_FIXED_TO_INT(NAME, SCALE, INTNAME, MIN, MAX, SQLNAME, RETURN) \
PG_FUNCTION_INFO_V1(NAME##_to_##INTNAME); \
Datum \
NAME##_to_##INTNAME(PG_FUNCTION_ARGS) \
{ \
	RETURN(xphere_fixed_to_int(PG_GETARG_FIXED(0), SCALE, MIN, MAX, SQLNAME)); \
}

#define XPHERE_FIXED_TYPE(NAME, SCALE) \
PG_FUNCTION_INFO_V1(NAME##_in); \
Datum \
NAME##_in(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_FIXED(xphere_fixed_parse(PG_GETARG_CSTRING(0), SCALE, #NAME)); \
} \
PG_FUNCTION_INFO_V1(NAME##_out); \
Datum \
NAME##_out(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_CSTRING(xphere_fixed_format(PG_GETARG_FIXED(0), SCALE)); \
} \
PG_FUNCTION_INFO_V1(NAME##_recv); \
Datum \
NAME##_recv(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_FIXED(xphere_fixed_recv(PG_GETARG_DATUM(0))); \
} \
PG_FUNCTION_INFO_V1(NAME##_send); \
Datum \
NAME##_send(PG_FUNCTION_ARGS) \
{ \
	return xphere_fixed_send(PG_GETARG_FIXED(0)); \
} \
XPHERE_FIXED_BINARY(NAME, pl, xphere_fixed_add(a, b, #NAME)) \
XPHERE_FIXED_BINARY(NAME, mi, xphere_fixed_sub(a, b, #NAME)) \
XPHERE_FIXED_BINARY(NAME, mul, \
	xphere_fixed_mul(a, b, SCALE, FX_ROUND_HALF_UP, #NAME)) \
XPHERE_FIXED_BINARY(NAME, mul_floor, \
	xphere_fixed_mul(a, b, SCALE, FX_ROUND_FLOOR, #NAME)) \
XPHERE_FIXED_BINARY(NAME, mul_ceil, \
	xphere_fixed_mul(a, b, SCALE, FX_ROUND_CEIL, #NAME)) \
XPHERE_FIXED_BINARY(NAME, div, \
	xphere_fixed_div(a, b, SCALE, FX_ROUND_HALF_UP, #NAME)) \
XPHERE_FIXED_BINARY(NAME, div_floor, \
	xphere_fixed_div(a, b, SCALE, FX_ROUND_FLOOR, #NAME)) \
XPHERE_FIXED_BINARY(NAME, div_ceil, \
	xphere_fixed_div(a, b, SCALE, FX_ROUND_CEIL, #NAME)) \
XPHERE_FIXED_FROM_INT(NAME, SCALE, int2, PG_GETARG_INT16) \
XPHERE_FIXED_FROM_INT(NAME, SCALE, int4, PG_GETARG_INT32) \
XPHERE_FIXED_FROM_INT(NAME, SCALE, int8, PG_GETARG_INT64) \
XPHERE_FIXED_TO_INT(NAME, SCALE, int2, PG_INT16_MIN, PG_INT16_MAX, \
					"smallint", PG_RETURN_INT16) \
XPHERE_FIXED_TO_INT(NAME, SCALE, int4, PG_INT32_MIN, PG_INT32_MAX, \
					"integer", PG_RETURN_INT32) \
XPHERE_FIXED_TO_INT(NAME, SCALE, int8, PG_INT64_MIN, PG_INT64_MAX, \
					"bigint", PG_RETURN_INT64) \
PG_FUNCTION_INFO_V1(NAME##_from_numeric); \
Datum \
NAME##_from_numeric(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_FIXED(xphere_fixed_from_numeric(PG_GETARG_DATUM(0), SCALE, #NAME)); \
} \
PG_FUNCTION_INFO_V1(NAME##_to_numeric); \
Datum \
NAME##_to_numeric(PG_FUNCTION_ARGS) \
{ \
	return xphere_fixed_to_numeric(PG_GETARG_FIXED(0), SCALE); \
} \
PG_FUNCTION_INFO_V1(NAME##_from_float8); \
Datum \
NAME##_from_float8(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_FIXED(xphere_fixed_from_float8(PG_GETARG_FLOAT8(0), SCALE, #NAME)); \
} \
PG_FUNCTION_INFO_V1(NAME##_to_float8); \
Datum \
NAME##_to_float8(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_FLOAT8(xphere_fixed_to_float8(PG_GETARG_FIXED(0), SCALE)); \
} \
PG_FUNCTION_INFO_V1(NAME##_sum_final); \
Datum \
NAME##_sum_final(PG_FUNCTION_ARGS) \
{ \
	fx_int128	r; \
	if (!xphere_fixed_sum_final(fcinfo, &r, #NAME)) \
		PG_RETURN_NULL(); \
	PG_RETURN_FIXED(r); \
} \
PG_FUNCTION_INFO_V1(NAME##_avg_final); \
Datum \
NAME##_avg_final(PG_FUNCTION_ARGS) \
{ \
	fx_int128	r; \
	if (!xphere_fixed_avg_final(fcinfo, &r, #NAME)) \
		PG_RETURN_NULL(); \
	PG_RETURN_FIXED(r); \
}

static inline fx_int128
xphere_fixed_add(fx_int128 a, fx_int128 b, const char *typname)
{
	fx_int128	r = 0;

	xphere_fixed_check(fx_add(a, b, &r), typname);
	return r;
}

static inline fx_int128
xphere_fixed_sub(fx_int128 a, fx_int128 b, const char *typname)
{
	fx_int128	r = 0;

	xphere_fixed_check(fx_sub(a, b, &r), typname);
	return r;
}

#endif							/* XPHERE_FIXED_TYPE_H */

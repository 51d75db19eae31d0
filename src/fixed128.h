/*-------------------------------------------------------------------------
 *
 * fixed128.h
 *	  Signed 128-bit fixed-point arithmetic without PostgreSQL headers.
 *
 * A value is a signed 128-bit integer of raw units; a scale s says that
 * one whole unit is 10^s raw units (wad: s = 18, ray: s = 27).  The range
 * is symmetric, +-(2^127 - 1) raw units: -2^127 is never produced and is
 * rejected as out of range, so negation and abs() can never overflow.
 *
 * Multiplication and division go through exact 256-bit intermediates and
 * round once, in the mode the caller asks for:
 *	  FX_ROUND_HALF_UP	half away from zero (Aave's wadMul/rayMul/wadDiv/rayDiv
 *						on magnitudes, the sign of a*b applied afterwards)
 *	  FX_ROUND_FLOOR	towards minus infinity
 *	  FX_ROUND_CEIL		towards plus infinity
 * Every function reports overflow instead of wrapping around.
 *
 * This file and fixed128.c are compiled into the PostgreSQL module and,
 * unchanged, into the unit tests and fuzzers under test/unit.
 *
 *-------------------------------------------------------------------------
 */
#ifndef XPHERE_FIXED128_H
#define XPHERE_FIXED128_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * 8-byte alignment, as PostgreSQL does for its int128: palloc'd memory and
 * tuple data are only MAXALIGNed, and with the natural 16-byte alignment
 * the compiler may use aligned vector loads and stores on such memory.
 */
typedef __int128 fx_int128 __attribute__((aligned(8)));
typedef unsigned __int128 fx_uint128 __attribute__((aligned(8)));

/* largest magnitude: 2^127 - 1 raw units */
#define FX_MAX	((fx_int128) ((((fx_uint128) 1) << 127) - 1))
#define FX_MIN	(-FX_MAX)

/* largest scale understood by fx_parse, fx_format and fx_rescale */
#define FX_MAX_SCALE	38
/* largest scale understood by fx_mul (the divisor 5^s must fit 64 bits) */
#define FX_MAX_MUL_SCALE	27

/*
 * Buffer size that always holds fx_format's output: sign, 39 digits, a
 * decimal point, a leading "0" when |v| < 1 and the terminating NUL.
 */
#define FX_FORMAT_BUFLEN	48

typedef enum FxRound
{
	FX_ROUND_HALF_UP,			/* half away from zero */
	FX_ROUND_FLOOR,				/* towards -infinity */
	FX_ROUND_CEIL				/* towards +infinity */
} FxRound;

typedef enum FxStatus
{
	FX_OK = 0,
	FX_ERR_SYNTAX,				/* not a number */
	FX_ERR_RANGE,				/* result outside +-(2^127 - 1) */
	FX_ERR_DIV0					/* division by zero */
} FxStatus;

/*
 * 256-bit signed accumulator for sum() and avg(): adding up to 2^63 values
 * of 128 bits can never overflow it, so only the final result is checked.
 */
typedef struct FxAcc
{
	fx_uint128	lo;				/* low 128 bits */
	fx_int128	hi;				/* high 128 bits, two's complement sign */
} FxAcc;

/* "OK", "SYNTAX", "RANGE" or "DIV0", for diagnostics */
extern const char *fx_status_name(FxStatus status);

/* 10^n for 0 <= n <= 38 */
extern fx_uint128 fx_pow10(int n);

/*
 * Text input: optional spaces, optional sign, digits with an optional
 * decimal point (at least one digit on either side), optional exponent
 * (e/E, optional sign, digits), optional spaces.  Digits beyond the scale
 * are rounded half away from zero.
 */
extern FxStatus fx_parse(const char *str, int scale, fx_int128 *result);

/*
 * The same grammar, rounded in the given mode; *inexact (if not NULL) is
 * set when a non-zero digit was rounded off.
 */
extern FxStatus fx_parse_rounded(const char *str, int scale, FxRound mode,
								 bool *inexact, fx_int128 *result);

/*
 * Text output: the exact value with trailing fractional zeros (and a bare
 * decimal point) removed.  Returns the length written to buf, which must
 * hold FX_FORMAT_BUFLEN bytes.
 */
extern int	fx_format(fx_int128 value, int scale, char *buf);

/* a + b, a - b with overflow detection (symmetric range) */
extern FxStatus fx_add(fx_int128 a, fx_int128 b, fx_int128 *result);
extern FxStatus fx_sub(fx_int128 a, fx_int128 b, fx_int128 *result);

/* round(a * b / 10^scale), 0 <= scale <= FX_MAX_MUL_SCALE */
extern FxStatus fx_mul(fx_int128 a, fx_int128 b, int scale, FxRound mode,
					   fx_int128 *result);

/* round(a * 10^scale / b), 0 <= scale <= FX_MAX_SCALE */
extern FxStatus fx_div(fx_int128 a, fx_int128 b, int scale, FxRound mode,
					   fx_int128 *result);

/* round(a * b / c) with an exact 256-bit product, for pro-rata shares */
extern FxStatus fx_muldiv(fx_int128 a, fx_int128 b, fx_int128 c, FxRound mode,
						  fx_int128 *result);

/*
 * Change the scale of a: exact when to_scale >= from_scale (overflow is
 * reported), rounded in the given mode otherwise.
 */
extern FxStatus fx_rescale(fx_int128 a, int from_scale, int to_scale,
						   FxRound mode, fx_int128 *result);

/* accumulator for sum()/avg() */
extern void fx_acc_init(FxAcc *acc);
extern void fx_acc_sub(FxAcc *acc, fx_int128 v);
extern void fx_acc_combine(FxAcc *acc, const FxAcc *other);
/* the accumulated sum, FX_ERR_RANGE if it does not fit the range */
extern FxStatus fx_acc_get(const FxAcc *acc, fx_int128 *result);
/* sum / count rounded half away from zero; count > 0 */
extern FxStatus fx_acc_avg(const FxAcc *acc, uint64_t count, fx_int128 *result);

/* acc += v; inline because sum() calls it once a row */
static inline void
fx_acc_add(FxAcc *acc, fx_int128 v)
{
	fx_uint128	lo = acc->lo + (fx_uint128) v;

	/* sign-extend v into the high half, plus the carry of the low half */
	acc->hi += (v < 0 ? -1 : 0) + (lo < acc->lo ? 1 : 0);
	acc->lo = lo;
}

/* three-way comparison */
static inline int
fx_cmp(fx_int128 a, fx_int128 b)
{
	return (a > b) - (a < b);
}

#endif							/* XPHERE_FIXED128_H */

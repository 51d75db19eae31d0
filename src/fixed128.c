/*-------------------------------------------------------------------------
 *
 * fixed128.c
 *	  Signed 128-bit fixed-point arithmetic: parse, format, add, subtract,
 *	  multiply and divide with one rounding, never a silent wrap-around.
 *
 * Design notes
 * ------------
 * Products and scaled dividends are formed exactly as 256-bit unsigned
 * magnitudes (four 64-bit limbs, least significant first); the sign is
 * applied at the end, which gives "half away from zero" for free and turns
 * floor/ceil into "towards zero"/"away from zero" on the magnitude
 * depending on the sign of the result.
 *
 * Rounding is done by adding a bias before a floor division:
 *	  half up: + divisor/2 (floor), away from zero: + divisor - 1, towards
 *	  zero: + 0.
 *
 * The hot path is the division of a 256-bit product by 10^s in fx_mul.
 * 10^s = 2^s * 5^s, so the product is shifted right by s bits and then
 * divided by 5^s, which fits one 64-bit limb for s <= 27.  That division
 * uses the reciprocal of the normalised divisor (Moller and Granlund,
 * "Improved division by invariant integers", IEEE TC 2011, algorithm 4):
 * two multiplications and a few additions per limb instead of a hardware
 * or library division.  The reciprocals are constants below; the unit
 * tests recompute them.
 *
 * General division (fx_div, the accumulator's average) divides a 256-bit
 * dividend by a 128-bit divisor with Knuth's algorithm D on 64-bit limbs;
 * it is exact and not on the hot path of the aggregates.
 *
 *-------------------------------------------------------------------------
 */
#include "fixed128.h"

#include <string.h>

typedef uint64_t limb;

#define LIMB_BITS 64

/* 256-bit unsigned value, least significant limb first */
typedef struct U256
{
	limb		w[4];
} U256;

/* normalised 5^s, its shift and reciprocal floor((2^128 - 1) / d) - 2^64 */
typedef struct Recip
{
	limb		d;
	int			shift;
	limb		v;
} Recip;

static const Recip recip_pow5[FX_MAX_MUL_SCALE + 1] = {
	{UINT64_C(9223372036854775808), 63, UINT64_C(0xffffffffffffffff)},	/* 5^0 */
	{UINT64_C(11529215046068469760), 61, UINT64_C(0x9999999999999999)},	/* 5^1 */
	{UINT64_C(14411518807585587200), 59, UINT64_C(0x47ae147ae147ae14)},	/* 5^2 */
	{UINT64_C(18014398509481984000), 57, UINT64_C(0x0624dd2f1a9fbe76)},	/* 5^3 */
	{UINT64_C(11258999068426240000), 54, UINT64_C(0xa36e2eb1c432ca57)},	/* 5^4 */
	{UINT64_C(14073748835532800000), 52, UINT64_C(0x4f8b588e368f0846)},	/* 5^5 */
	{UINT64_C(17592186044416000000), 50, UINT64_C(0x0c6f7a0b5ed8d36b)},	/* 5^6 */
	{UINT64_C(10995116277760000000), 47, UINT64_C(0xad7f29abcaf48578)},	/* 5^7 */
	{UINT64_C(13743895347200000000), 45, UINT64_C(0x5798ee2308c39df9)},	/* 5^8 */
	{UINT64_C(17179869184000000000), 43, UINT64_C(0x12e0be826d694b2e)},	/* 5^9 */
	{UINT64_C(10737418240000000000), 40, UINT64_C(0xb7cdfd9d7bdbab7d)},	/* 5^10 */
	{UINT64_C(13421772800000000000), 38, UINT64_C(0x5fd7fe17964955fd)},	/* 5^11 */
	{UINT64_C(16777216000000000000), 36, UINT64_C(0x19799812dea11197)},	/* 5^12 */
	{UINT64_C(10485760000000000000), 33, UINT64_C(0xc25c268497681c26)},	/* 5^13 */
	{UINT64_C(13107200000000000000), 31, UINT64_C(0x6849b86a12b9b01e)},	/* 5^14 */
	{UINT64_C(16384000000000000000), 29, UINT64_C(0x203af9ee756159b2)},	/* 5^15 */
	{UINT64_C(10240000000000000000), 26, UINT64_C(0xcd2b297d889bc2b6)},	/* 5^16 */
	{UINT64_C(12800000000000000000), 24, UINT64_C(0x70ef54646d496892)},	/* 5^17 */
	{UINT64_C(16000000000000000000), 22, UINT64_C(0x2725dd1d243aba0e)},	/* 5^18 */
	{UINT64_C(10000000000000000000), 19, UINT64_C(0xd83c94fb6d2ac34a)},	/* 5^19 */
	{UINT64_C(12500000000000000000), 17, UINT64_C(0x79ca10c9242235d5)},	/* 5^20 */
	{UINT64_C(15625000000000000000), 15, UINT64_C(0x2e3b40a0e9b4f7dd)},	/* 5^21 */
	{UINT64_C(9765625000000000000), 12, UINT64_C(0xe392010175ee5962)},	/* 5^22 */
	{UINT64_C(12207031250000000000), 10, UINT64_C(0x82db34012b25144e)},	/* 5^23 */
	{UINT64_C(15258789062500000000), 8, UINT64_C(0x357c299a88ea76a5)},	/* 5^24 */
	{UINT64_C(9536743164062500000), 5, UINT64_C(0xef2d0f5da7dd8aa2)},	/* 5^25 */
	{UINT64_C(11920928955078125000), 3, UINT64_C(0x8c240c4aecb13bb5)},	/* 5^26 */
	{UINT64_C(14901161193847656250), 1, UINT64_C(0x3ce9a36f23c0fc90)},	/* 5^27 */
};

static inline fx_uint128
make_u128(limb hi, limb lo)
{
	return (((fx_uint128) hi) << 64) | lo;
}

/* 10^n, 0 <= n <= 38 */
static const fx_uint128 pow10_tab[FX_MAX_SCALE + 1] = {
	(fx_uint128) UINT64_C(1),
	(fx_uint128) UINT64_C(10),
	(fx_uint128) UINT64_C(100),
	(fx_uint128) UINT64_C(1000),
	(fx_uint128) UINT64_C(10000),
	(fx_uint128) UINT64_C(100000),
	(fx_uint128) UINT64_C(1000000),
	(fx_uint128) UINT64_C(10000000),
	(fx_uint128) UINT64_C(100000000),
	(fx_uint128) UINT64_C(1000000000),
	(fx_uint128) UINT64_C(10000000000),
	(fx_uint128) UINT64_C(100000000000),
	(fx_uint128) UINT64_C(1000000000000),
	(fx_uint128) UINT64_C(10000000000000),
	(fx_uint128) UINT64_C(100000000000000),
	(fx_uint128) UINT64_C(1000000000000000),
	(fx_uint128) UINT64_C(10000000000000000),
	(fx_uint128) UINT64_C(100000000000000000),
	(fx_uint128) UINT64_C(1000000000000000000),
	(fx_uint128) UINT64_C(10000000000000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(10),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(100),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(1000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(10000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(100000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(1000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(10000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(100000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(1000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(10000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(100000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(1000000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(10000000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(100000000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(1000000000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(10000000000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(100000000000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(1000000000000000000),
	(fx_uint128) UINT64_C(10000000000000000000) * UINT64_C(10000000000000000000),
};

static inline fx_uint128
pow10u(int n)
{
	return pow10_tab[n];
}

static inline fx_uint128
uabs(fx_int128 a)
{
	return a < 0 ? -(fx_uint128) a : (fx_uint128) a;
}

/* ----------------------------------------------------------------
 * 256-bit helpers
 * ---------------------------------------------------------------- */

static inline void
u256_set(U256 *r, fx_uint128 lo)
{
	r->w[0] = (limb) lo;
	r->w[1] = (limb) (lo >> 64);
	r->w[2] = 0;
	r->w[3] = 0;
}

/* r = a * b, exact */
static inline void
u256_mul128(U256 *r, fx_uint128 a, fx_uint128 b)
{
	limb		a0 = (limb) a,
				a1 = (limb) (a >> 64),
				b0 = (limb) b,
				b1 = (limb) (b >> 64);
	fx_uint128	p00 = (fx_uint128) a0 * b0;

	if (a1 == 0 && b1 == 0)
	{
		u256_set(r, p00);
		return;
	}
	else
	{
		fx_uint128	p01 = (fx_uint128) a0 * b1;
		fx_uint128	p10 = (fx_uint128) a1 * b0;
		fx_uint128	p11 = (fx_uint128) a1 * b1;
		fx_uint128	mid;
		limb		carry;

		r->w[0] = (limb) p00;
		/* middle column: high(p00) + low(p01) + low(p10) fits in 66 bits */
		mid = (p00 >> 64) + (limb) p01 + (limb) p10;
		r->w[1] = (limb) mid;
		mid = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + (limb) p11;
		r->w[2] = (limb) mid;
		carry = (limb) (mid >> 64);
		r->w[3] = (limb) (p11 >> 64) + carry;
	}
}

/* r += x (x < 2^128); the caller guarantees no carry out of 256 bits */
static inline void
u256_add128(U256 *r, fx_uint128 x)
{
	fx_uint128	s = make_u128(r->w[1], r->w[0]) + x;
	bool		carry = s < x;

	r->w[0] = (limb) s;
	r->w[1] = (limb) (s >> 64);
	if (carry && ++r->w[2] == 0)
		r->w[3]++;
}

/* r >>= n, 0 <= n < 64 */
static inline void
u256_shr(U256 *r, int n)
{
	if (n == 0)
		return;
	r->w[0] = (r->w[0] >> n) | (r->w[1] << (LIMB_BITS - n));
	r->w[1] = (r->w[1] >> n) | (r->w[2] << (LIMB_BITS - n));
	r->w[2] = (r->w[2] >> n) | (r->w[3] << (LIMB_BITS - n));
	r->w[3] >>= n;
}

/*
 * One step of division by an invariant normalised divisor d with
 * reciprocal v: returns floor((u1:u0) / d) and sets *r to the remainder.
 * Requires u1 < d.
 */
static inline limb
div2by1(limb *r, limb u1, limb u0, limb d, limb v)
{
	fx_uint128	q = (fx_uint128) v * u1;
	limb		q1,
				q0,
				rem;

	q += make_u128(u1, u0);
	q1 = (limb) (q >> 64) + 1;
	q0 = (limb) q;
	rem = u0 - q1 * d;
	/* taken about half the time: branch-free, as a mask */
	{
		limb		mask = -(limb) (rem > q0);

		q1 += mask;
		rem += mask & d;
	}
	if (__builtin_expect(rem >= d, 0))
	{
		q1++;
		rem -= d;
	}
	*r = rem;
	return q1;
}

/* x = floor(x / 5^s), x a 256-bit value */
static inline __attribute__((always_inline)) void
u256_div_pow5(U256 *x, int s)
{
	const Recip *rc = &recip_pow5[s];
	int			n = 4;
	limb		rem;
	limb		w[5];

	while (n > 0 && x->w[n - 1] == 0)
		n--;
	if (n == 0)
		return;

	/* normalise the dividend: w = x << shift, n + 1 limbs */
	if (rc->shift == 0)
	{
		for (int i = 0; i < n; i++)
			w[i] = x->w[i];
		w[n] = 0;
	}
	else
	{
		w[0] = x->w[0] << rc->shift;
		for (int i = 1; i < n; i++)
			w[i] = (x->w[i] << rc->shift) | (x->w[i - 1] >> (LIMB_BITS - rc->shift));
		w[n] = x->w[n - 1] >> (LIMB_BITS - rc->shift);
	}

	/* w[n] < 2^shift <= d, so the top quotient limb is zero */
	rem = w[n];
	for (int i = n - 1; i >= 0; i--)
		x->w[i] = div2by1(&rem, rem, w[i], rc->d, rc->v);
}

/* count of leading zero bits of a non-zero limb */
static inline int
clz64(limb x)
{
	return __builtin_clzll(x);
}

/*
 * q = floor(n / d) for a 256-bit n and a non-zero 128-bit d, provided the
 * quotient fits 128 bits, i.e. high 128 bits of n < d.  Returns false
 * (quotient too large) otherwise.
 */
static bool
u256_div128(const U256 *n, fx_uint128 d, fx_uint128 *q)
{
	fx_uint128	nhi = make_u128(n->w[3], n->w[2]);

	if (nhi >= d)
		return false;

	if ((d >> 64) == 0)
	{
		/* single-limb divisor: schoolbook with 128/64 steps */
		limb		dl = (limb) d;
		fx_uint128	r = nhi;	/* < d, so fits one limb */
		limb		q1,
					q0;
		fx_uint128	t;

		t = (r << 64) | n->w[1];
		q1 = (limb) (t / dl);
		r = t % dl;
		t = (r << 64) | n->w[0];
		q0 = (limb) (t / dl);
		*q = make_u128(q1, q0);
		return true;
	}
	else
	{
		/*
		 * Knuth, TAOCP vol. 2, 4.3.1, algorithm D with a two-limb divisor
		 * and a quotient of two limbs.
		 */
		int			s = clz64((limb) (d >> 64));
		limb		v1,
					v0;
		limb		u[5];
		limb		qd[2];

		d <<= s;
		v1 = (limb) (d >> 64);
		v0 = (limb) d;
		if (s == 0)
		{
			u[0] = n->w[0];
			u[1] = n->w[1];
			u[2] = n->w[2];
			u[3] = n->w[3];
			u[4] = 0;
		}
		else
		{
			u[0] = n->w[0] << s;
			u[1] = (n->w[1] << s) | (n->w[0] >> (64 - s));
			u[2] = (n->w[2] << s) | (n->w[1] >> (64 - s));
			u[3] = (n->w[3] << s) | (n->w[2] >> (64 - s));
			u[4] = n->w[3] >> (64 - s);
		}

		for (int j = 1; j >= 0; j--)
		{
			fx_uint128	num = make_u128(u[j + 2], u[j + 1]);
			fx_uint128	qhat,
						rhat;
			fx_uint128	borrow;
			fx_uint128	p;
			limb		t0,
						t1,
						t2;
			limb		b;

			/* estimate from the top two limbs; u[j+2] <= v1 */
			if (u[j + 2] >= v1)
			{
				qhat = ~(limb) 0;
				rhat = num - qhat * v1;
			}
			else
			{
				qhat = num / v1;
				rhat = num % v1;
			}
			while ((rhat >> 64) == 0 &&
				   qhat * v0 > ((rhat << 64) | u[j]))
			{
				qhat--;
				rhat += v1;
			}

			/* multiply and subtract: u[j..j+2] -= qhat * (v1:v0) */
			p = qhat * v0;
			t0 = (limb) p;
			borrow = p >> 64;
			p = qhat * v1 + borrow;
			t1 = (limb) p;
			t2 = (limb) (p >> 64);

			b = u[j] < t0;
			u[j] -= t0;
			{
				limb		x = u[j + 1] - t1;
				limb		b2 = (u[j + 1] < t1) | (x < b);

				u[j + 1] = x - b;
				b = b2;
			}
			{
				limb		x = u[j + 2] - t2;
				limb		b2 = (u[j + 2] < t2) | (x < b);

				u[j + 2] = x - b;
				b = b2;
			}
			if (b)
			{
				/* qhat was one too large: add the divisor back */
				limb		c;

				qhat--;
				u[j] += v0;
				c = u[j] < v0;
				{
					fx_uint128	x = (fx_uint128) u[j + 1] + v1 + c;

					u[j + 1] = (limb) x;
					c = (limb) (x >> 64);
				}
				u[j + 2] += c;
			}
			qd[j] = (limb) qhat;
		}
		*q = make_u128(qd[1], qd[0]);
		return true;
	}
}

/* apply the sign of the result to a magnitude, checking the range */
static inline FxStatus
finish(fx_uint128 mag, bool neg, fx_int128 *result)
{
	if (mag > (fx_uint128) FX_MAX)
		return FX_ERR_RANGE;
	*result = neg ? -(fx_int128) mag : (fx_int128) mag;
	return FX_OK;
}

/*
 * Whether the magnitude of a result of the given sign rounds away from
 * zero (true) or towards zero (false) for a directed mode.
 */
static inline bool
away_from_zero(FxRound mode, bool neg)
{
	return (mode == FX_ROUND_CEIL) != neg;
}

/* ----------------------------------------------------------------
 * add, subtract
 * ---------------------------------------------------------------- */

FxStatus
fx_add(fx_int128 a, fx_int128 b, fx_int128 *result)
{
	fx_int128	r;

	if (__builtin_add_overflow(a, b, &r) || r < FX_MIN)
		return FX_ERR_RANGE;
	*result = r;
	return FX_OK;
}

FxStatus
fx_sub(fx_int128 a, fx_int128 b, fx_int128 *result)
{
	fx_int128	r;

	if (__builtin_sub_overflow(a, b, &r) || r < FX_MIN)
		return FX_ERR_RANGE;
	*result = r;
	return FX_OK;
}

/* ----------------------------------------------------------------
 * multiply, divide, rescale
 * ---------------------------------------------------------------- */

/*
 * Always inlined, so that fx_mul below gets copies specialised for the
 * wad and ray scales with the shifts and the reciprocal as constants.
 */
static inline __attribute__((always_inline)) FxStatus
mul_scaled(fx_int128 a, fx_int128 b, int scale, FxRound mode,
		   fx_int128 *result)
{
	bool		neg = (a < 0) != (b < 0);
	U256		p;

	u256_mul128(&p, uabs(a), uabs(b));

	if (scale > 0)
	{
		fx_uint128	bias;

		if (mode == FX_ROUND_HALF_UP)
			bias = pow10u(scale) / 2;
		else if (away_from_zero(mode, neg))
			bias = pow10u(scale) - 1;
		else
			bias = 0;
		/* the product is below 2^254, so adding a bias cannot carry out */
		u256_add128(&p, bias);
		u256_shr(&p, scale);
		u256_div_pow5(&p, scale);
	}

	if (p.w[3] != 0 || p.w[2] != 0)
		return FX_ERR_RANGE;
	return finish(make_u128(p.w[1], p.w[0]), neg && (p.w[1] | p.w[0]) != 0,
				  result);
}

FxStatus
fx_mul(fx_int128 a, fx_int128 b, int scale, FxRound mode, fx_int128 *result)
{
	switch (scale)
	{
		case 18:
			return mul_scaled(a, b, 18, mode, result);
		case 27:
			return mul_scaled(a, b, 27, mode, result);
		default:
			return mul_scaled(a, b, scale, mode, result);
	}
}

FxStatus
fx_div(fx_int128 a, fx_int128 b, int scale, FxRound mode, fx_int128 *result)
{
	/* 10^38 < 2^127, so the scale factor is a valid positive operand */
	return fx_muldiv(a, (fx_int128) pow10u(scale), b, mode, result);
}

FxStatus
fx_muldiv(fx_int128 a, fx_int128 b, fx_int128 c, FxRound mode,
		  fx_int128 *result)
{
	bool		neg = ((a < 0) != (b < 0)) != (c < 0);
	fx_uint128	d = uabs(c);
	fx_uint128	q;
	U256		n;

	if (c == 0)
		return FX_ERR_DIV0;
	u256_mul128(&n, uabs(a), uabs(b));
	if (mode == FX_ROUND_HALF_UP)
		u256_add128(&n, d / 2);
	else if (away_from_zero(mode, neg))
		u256_add128(&n, d - 1);
	if (!u256_div128(&n, d, &q))
		return FX_ERR_RANGE;
	return finish(q, neg && q != 0, result);
}

FxStatus
fx_rescale(fx_int128 a, int from_scale, int to_scale, FxRound mode,
		   fx_int128 *result)
{
	if (to_scale >= from_scale)
	{
		fx_int128	r;

		if (__builtin_mul_overflow(a, (fx_int128) pow10u(to_scale - from_scale), &r) ||
			r < FX_MIN)
			return FX_ERR_RANGE;
		*result = r;
		return FX_OK;
	}
	return fx_div(a, (fx_int128) pow10u(from_scale - to_scale), 0, mode, result);
}

/* ----------------------------------------------------------------
 * accumulator
 * ---------------------------------------------------------------- */

void
fx_acc_init(FxAcc *acc)
{
	acc->lo = 0;
	acc->hi = 0;
}

void
fx_acc_sub(FxAcc *acc, fx_int128 v)
{
	fx_uint128	lo = acc->lo - (fx_uint128) v;

	acc->hi -= (v < 0 ? -1 : 0) + (lo > acc->lo ? 1 : 0);
	acc->lo = lo;
}

void
fx_acc_combine(FxAcc *acc, const FxAcc *other)
{
	fx_uint128	lo = acc->lo + other->lo;

	acc->hi += other->hi + (lo < acc->lo ? 1 : 0);
	acc->lo = lo;
}

/* magnitude and sign of the accumulated 256-bit value */
static void
acc_magnitude(const FxAcc *acc, U256 *mag, bool *neg)
{
	fx_uint128	lo = acc->lo;
	fx_uint128	hi = (fx_uint128) acc->hi;

	*neg = acc->hi < 0;
	if (*neg)
	{
		/* two's complement negation of hi:lo */
		lo = ~lo + 1;
		hi = ~hi + (lo == 0 ? 1 : 0);
	}
	mag->w[0] = (limb) lo;
	mag->w[1] = (limb) (lo >> 64);
	mag->w[2] = (limb) hi;
	mag->w[3] = (limb) (hi >> 64);
}

FxStatus
fx_acc_get(const FxAcc *acc, fx_int128 *result)
{
	U256		mag;
	bool		neg;

	acc_magnitude(acc, &mag, &neg);
	if (mag.w[3] != 0 || mag.w[2] != 0)
		return FX_ERR_RANGE;
	return finish(make_u128(mag.w[1], mag.w[0]), neg, result);
}

FxStatus
fx_acc_avg(const FxAcc *acc, uint64_t count, fx_int128 *result)
{
	U256		mag;
	bool		neg;
	fx_uint128	q;

	if (count == 0)
		return FX_ERR_DIV0;
	acc_magnitude(acc, &mag, &neg);
	u256_add128(&mag, count / 2);
	if (!u256_div128(&mag, count, &q))
		return FX_ERR_RANGE;
	return finish(q, neg && q != 0, result);
}

/* ----------------------------------------------------------------
 * text
 * ---------------------------------------------------------------- */

static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* exponents are clamped here: far beyond any digit count that matters */
#define EXP_CLAMP	((int64_t) 1 << 40)

FxStatus
fx_parse(const char *str, int scale, fx_int128 *result)
{
	return fx_parse_rounded(str, scale, FX_ROUND_HALF_UP, NULL, result);
}

FxStatus
fx_parse_rounded(const char *str, int scale, FxRound mode, bool *inexact,
				 fx_int128 *result)
{
	const char *p = str;
	bool		neg = false;
	const char *int_start,
			   *frac_start = NULL;
	int64_t		n_int,
				n_frac = 0;
	int64_t		exp10 = 0;
	int64_t		e;
	int64_t		nd;				/* significant digits */
	int64_t		keep;
	fx_uint128	mag = 0;
	bool		dropped = false;	/* a non-zero digit was rounded off */

	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = (*p++ == '-');

	int_start = p;
	while (is_digit(*p))
		p++;
	n_int = p - int_start;
	if (*p == '.')
	{
		p++;
		frac_start = p;
		while (is_digit(*p))
			p++;
		n_frac = p - frac_start;
	}
	if (n_int + n_frac == 0)
		return FX_ERR_SYNTAX;

	if (*p == 'e' || *p == 'E')
	{
		bool		eneg = false;

		p++;
		if (*p == '+' || *p == '-')
			eneg = (*p++ == '-');
		if (!is_digit(*p))
			return FX_ERR_SYNTAX;
		while (is_digit(*p))
		{
			if (exp10 < EXP_CLAMP)
				exp10 = exp10 * 10 + (*p - '0');
			p++;
		}
		if (eneg)
			exp10 = -exp10;
	}
	while (is_space(*p))
		p++;
	if (*p != '\0')
		return FX_ERR_SYNTAX;

	/*
	 * The digits d_1..d_nd (integer then fraction digits, leading zeros
	 * skipped) stand for the integer D, and the scaled value is
	 * D * 10^(exp10 - n_frac + scale).
	 */
#define DIGIT_AT(i) \
	((i) < n_int ? int_start[(i)] : frac_start[(i) - n_int])

	{
		int64_t		i = 0;

		while (i < n_int + n_frac && DIGIT_AT(i) == '0')
			i++;
		nd = n_int + n_frac - i;
		if (nd == 0)
		{
			if (inexact)
				*inexact = false;
			*result = 0;
			return FX_OK;
		}

		e = exp10 - n_frac + scale;
		/* digits kept before the point of the scaled value */
		keep = nd + e;
		if (keep > 39)
			return FX_ERR_RANGE;	/* at least 10^39 > 2^127 */

		if (keep <= 0)
		{
			/* below one raw unit, and not zero */
			dropped = true;
			if (mode == FX_ROUND_HALF_UP)
				mag = (keep == 0 && DIGIT_AT(i) >= '5') ? 1 : 0;
			else
				mag = away_from_zero(mode, neg) ? 1 : 0;
		}
		else
		{
			int64_t		take = keep < nd ? keep : nd;

			for (int64_t k = 0; k < take; k++)
			{
				int			dg = DIGIT_AT(i + k) - '0';

				if (mag > ((fx_uint128) FX_MAX - dg) / 10)
					return FX_ERR_RANGE;
				mag = mag * 10 + dg;
			}
			if (keep > nd)
			{
				/* fewer digits than places: scale up, checking overflow */
				fx_uint128	m = pow10u((int) (keep - nd));

				if (mag > ((fx_uint128) FX_MAX) / m)
					return FX_ERR_RANGE;
				mag *= m;
			}
			else if (keep < nd)
			{
				bool		up;

				for (int64_t k = keep; k < nd && !dropped; k++)
					dropped = DIGIT_AT(i + k) != '0';
				if (mode == FX_ROUND_HALF_UP)
					up = DIGIT_AT(i + keep) >= '5';
				else
					up = dropped && away_from_zero(mode, neg);
				if (up)
					mag++;
			}
		}
	}
#undef DIGIT_AT

	if (inexact)
		*inexact = dropped;
	return finish(mag, neg && mag != 0, result);
}

int
fx_format(fx_int128 value, int scale, char *buf)
{
	char		digits[48];
	int			nd = 0;
	fx_uint128	mag = uabs(value);
	char	   *out = buf;
	int			int_digits;

	/* decimal digits, least significant first, in chunks of 10^19 */
	do
	{
		limb		chunk;
		const limb	tenp19 = UINT64_C(10000000000000000000);

		if ((mag >> 64) == 0)
		{
			chunk = (limb) mag;
			mag = 0;
			while (chunk != 0)
			{
				digits[nd++] = (char) ('0' + chunk % 10);
				chunk /= 10;
			}
		}
		else
		{
			chunk = (limb) (mag % tenp19);
			mag /= tenp19;
			for (int k = 0; k < 19; k++)
			{
				digits[nd++] = (char) ('0' + chunk % 10);
				chunk /= 10;
			}
		}
	} while (mag != 0);

	if (nd == 0)
	{
		buf[0] = '0';
		buf[1] = '\0';
		return 1;
	}

	if (value < 0)
		*out++ = '-';

	/* pad to at least scale + 1 digits so there is an integer digit */
	while (nd < scale + 1)
		digits[nd++] = '0';

	int_digits = nd - scale;
	for (int k = nd - 1; k >= nd - int_digits; k--)
		*out++ = digits[k];

	/* fraction without trailing zeros */
	{
		int			lowest = 0;

		while (lowest < scale && digits[lowest] == '0')
			lowest++;
		if (lowest < scale)
		{
			*out++ = '.';
			for (int k = scale - 1; k >= lowest; k--)
				*out++ = digits[k];
		}
	}
	*out = '\0';
	return (int) (out - buf);
}

fx_uint128
fx_pow10(int n)
{
	return pow10u(n);
}

const char *
fx_status_name(FxStatus status)
{
	switch (status)
	{
		case FX_OK:
			return "OK";
		case FX_ERR_SYNTAX:
			return "SYNTAX";
		case FX_ERR_RANGE:
			return "RANGE";
		case FX_ERR_DIV0:
			return "DIV0";
	}
	return "?";
}

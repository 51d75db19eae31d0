/*
 * fuzz_arith.c
 *	  Fuzz target for fx_add, fx_sub, fx_mul, fx_div, fx_rescale, fx_format
 *	  and the FxAcc accumulator, each compared exactly with GMP.
 *
 * Input layout (bytes past the end read as zero):
 *	  value a, value b			see get_value(): a selector byte then payload
 *	  scale selector			{0, 18, 27, any} for mul/div/format
 *	  mode byte					rounding mode
 *	  second scale selector		target scale for rescale
 *	  delta byte				offsets for the boundary-seeking operands
 *	  rest						accumulator program (see run_acc())
 *
 * Overflow must be reported exactly when the exact rounded result is
 * outside +-(2^127 - 1).  Inputs equal to -2^127 are outside the contract
 * (no function produces them); with such an input a function may fail in
 * any way, but if it returns FX_OK its result must still be exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ref_gmp.h"

enum
{
	CAT_ADD,
	CAT_SUB,
	CAT_MUL,
	CAT_MUL_EDGE,
	CAT_DIV,
	CAT_DIV_EDGE,
	CAT_RESCALE,
	CAT_FORMAT,
	CAT_ACC_GET,
	CAT_ACC_REPR,
	CAT_ACC_AVG,
	NCATS
};

FuzzCat		fuzz_cats[NCATS] = {
	{"fx_add", 0, 0},
	{"fx_sub", 0, 0},
	{"fx_mul", 0, 0},
	{"fx_mul near the range boundary", 0, 0},
	{"fx_div", 0, 0},
	{"fx_div near the range boundary", 0, 0},
	{"fx_rescale", 0, 0},
	{"fx_format", 0, 0},
	{"fx_acc_get", 0, 0},
	{"FxAcc lo/hi representation", 0, 0},
	{"fx_acc_avg", 0, 0},
};
const int	fuzz_ncats = NCATS;
const char	fuzz_target_name[] = "fuzz_arith";

#define I128_MIN ((fx_int128) ((fx_uint128) 1 << 127))

static const char *const mode_names[] = {"half_up", "floor", "ceil"};

#define st_name(s) fx_status_name(s)

static fx_uint128
pow10u(int n)
{
	fx_uint128	p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/*
 * A value biased towards small numbers, the range boundaries, powers of
 * ten, ties and every bit length.
 */
static fx_int128
get_value(FuzzReader *r)
{
	uint8_t		sel = fz_u8(r);
	int			neg = (sel >> 4) & 1;
	fx_uint128	mag;

	switch (sel & 15)
	{
		case 0:
		case 1:
			mag = fz_u8(r);		/* 0..255 */
			break;
		case 2:
			mag = (fx_uint128) FX_MAX - (fz_u8(r) & 7);
			break;
		case 3:
			{
				uint8_t		b = fz_u8(r);
				fx_uint128	p = pow10u(b % 39);
				int			delta = (int) ((b / 39) % 7) - 3;

				mag = p + (fx_uint128) (fx_int128) delta;
				if (delta < 0 && p < (fx_uint128) -delta)
					mag = 0;
				break;
			}
		case 4:
			{
				/* small * 10^j */
				fx_uint128	small = fz_u8(r);
				int			j = fz_u8(r) % 39;
				fx_uint128	p = pow10u(j);

				if (small != 0 && p > (fx_uint128) FX_MAX / small)
					mag = (fx_uint128) FX_MAX - small;
				else
					mag = small * p;
				break;
			}
		case 5:
			{
				/* 5 * 10^j * odd: exact ties for mul and rescale */
				fx_uint128	odd = 2 * (fx_uint128) (fz_u8(r) % 64) + 1;
				int			j = fz_u8(r) % 38;
				fx_uint128	p = 5 * pow10u(j);

				if (p > (fx_uint128) FX_MAX / odd)
					mag = p;
				else
					mag = p * odd;
				break;
			}
		case 6:
			mag = fz_u128(r) >> 1;
			break;
		case 7:
			{
				uint8_t		b = fz_u8(r);

				if ((sel >> 5) == 7 && b == 0)
					return I128_MIN;	/* outside the contract: lenient checks */
				/* 2^k + delta */
				mag = ((fx_uint128) 1 << (b % 127)) + (fx_uint128) (fx_int128) ((int) (b / 127) - 1);
				break;
			}
		default:
			{
				/* random magnitude of bit length 1..127 */
				int			len = fz_u8(r) % 127 + 1;
				fx_uint128	bits = fz_u128(r);

				mag = bits & ((((fx_uint128) 1) << len) - 1);
				mag |= ((fx_uint128) 1) << (len - 1);
				break;
			}
	}
	if (mag > (fx_uint128) FX_MAX)
		mag = (fx_uint128) FX_MAX;
	return neg ? -(fx_int128) mag : (fx_int128) mag;
}

static int
get_scale(uint8_t b, int max_scale)
{
	switch (b & 3)
	{
		case 0:
			return 0;
		case 1:
			return 18 <= max_scale ? 18 : max_scale;
		case 2:
			return 27 <= max_scale ? 27 : max_scale;
		default:
			return (b >> 2) % (max_scale + 1);
	}
}

/*
 * Compare a result with the exact value q.  An error status other than
 * FX_ERR_RANGE is always wrong here.
 */
static void
compare(int cat, bool lenient, FxStatus st, fx_int128 got, const mpz_t q,
		const char *what)
{
	bool		in_range = ref_in_range(q);
	bool		good;

	if (lenient)
		good = st != FX_OK || (in_range && got == ref_get_i128(q));
	else if (in_range)
		good = st == FX_OK && got == ref_get_i128(q);
	else
		good = st == FX_ERR_RANGE;
	FUZZ_CHECK(cat, good, "%s: expected %s %s, got %s %s", what,
			   in_range ? "OK" : "RANGE", ref_str(q), st_name(st),
			   st == FX_OK ? ref_i128_str(got) : "");
}

static void
check_add_sub(fx_int128 a, fx_int128 b)
{
	mpz_t		za,
				zb,
				q;
	fx_int128	r = 0;
	FxStatus	st;
	char		what[256];
	bool		lenient = a == I128_MIN || b == I128_MIN;

	mpz_inits(za, zb, q, NULL);
	ref_set_i128(za, a);
	ref_set_i128(zb, b);

	mpz_add(q, za, zb);
	st = fx_add(a, b, &r);
	snprintf(what, sizeof(what), "fx_add(%s, %s)", ref_i128_str(a), ref_i128_str(b));
	compare(CAT_ADD, lenient, st, r, q, what);

	mpz_sub(q, za, zb);
	r = 0;
	st = fx_sub(a, b, &r);
	snprintf(what, sizeof(what), "fx_sub(%s, %s)", ref_i128_str(a), ref_i128_str(b));
	compare(CAT_SUB, lenient, st, r, q, what);
	mpz_clears(za, zb, q, NULL);
}

static void
check_mul(int cat, fx_int128 a, fx_int128 b, int scale, FxRound mode)
{
	mpz_t		n,
				d,
				t,
				q;
	fx_int128	r = 0;
	FxStatus	st;
	char		what[256];

	mpz_inits(n, d, t, q, NULL);
	ref_set_i128(n, a);
	ref_set_i128(t, b);
	mpz_mul(n, n, t);
	ref_pow10(d, (unsigned long) scale);
	ref_round_div(q, n, d, mode);
	st = fx_mul(a, b, scale, mode, &r);
	snprintf(what, sizeof(what), "fx_mul(%s, %s, %d, %s)", ref_i128_str(a),
			 ref_i128_str(b), scale, mode_names[mode]);
	compare(cat, a == I128_MIN || b == I128_MIN, st, r, q, what);
	mpz_clears(n, d, t, q, NULL);
}

static void
check_div(int cat, fx_int128 a, fx_int128 b, int scale, FxRound mode)
{
	fx_int128	r = 0;
	FxStatus	st = fx_div(a, b, scale, mode, &r);
	char		what[256];
	bool		lenient = a == I128_MIN || b == I128_MIN;

	snprintf(what, sizeof(what), "fx_div(%s, %s, %d, %s)", ref_i128_str(a),
			 ref_i128_str(b), scale, mode_names[mode]);
	if (b == 0)
	{
		FUZZ_CHECK(cat, st == FX_ERR_DIV0 || (lenient && st != FX_OK),
				   "%s: expected DIV0, got %s", what, st_name(st));
	}
	else
	{
		mpz_t		n,
					d,
					t,
					q;

		mpz_inits(n, d, t, q, NULL);
		ref_set_i128(n, a);
		ref_pow10(t, (unsigned long) scale);
		mpz_mul(n, n, t);
		ref_set_i128(d, b);
		ref_round_div(q, n, d, mode);
		compare(cat, lenient, st, r, q, what);
		mpz_clears(n, d, t, q, NULL);
	}
}

static void
check_rescale(fx_int128 a, int from, int to, FxRound mode)
{
	mpz_t		n,
				t,
				q;
	fx_int128	r = 0;
	FxStatus	st = fx_rescale(a, from, to, mode, &r);
	char		what[256];

	mpz_inits(n, t, q, NULL);
	ref_set_i128(n, a);
	if (to >= from)
	{
		ref_pow10(t, (unsigned long) (to - from));
		mpz_mul(q, n, t);
	}
	else
	{
		ref_pow10(t, (unsigned long) (from - to));
		ref_round_div(q, n, t, mode);
	}
	snprintf(what, sizeof(what), "fx_rescale(%s, %d, %d, %s)", ref_i128_str(a),
			 from, to, mode_names[mode]);
	compare(CAT_RESCALE, a == I128_MIN, st, r, q, what);
	mpz_clears(n, t, q, NULL);
}

static void
check_format(fx_int128 v, int scale)
{
	char		buf[FX_FORMAT_BUFLEN + 16];
	char		rbuf[FX_FORMAT_BUFLEN + 16];
	int			n;

	if (v == I128_MIN)
		return;
	memset(buf, 0x7f, sizeof(buf));
	n = fx_format(v, scale, buf);
	ref_format(v, scale, rbuf);
	FUZZ_CHECK(CAT_FORMAT, n == (int) strlen(rbuf) && strcmp(buf, rbuf) == 0,
			   "fx_format(%s, %d): expected \"%s\", got \"%.*s\" (length %d)",
			   ref_i128_str(v), scale, rbuf, FX_FORMAT_BUFLEN, buf, n);
}

/* mpz -> int128 clamped to the symmetric range */
static fx_int128
clamp_get(const mpz_t z)
{
	mpz_t		m;
	fx_int128	v;

	if (ref_in_range(z))
		return ref_get_i128(z);
	mpz_init(m);
	mpz_ui_pow_ui(m, 2, 127);
	mpz_sub_ui(m, m, 1);
	if (mpz_sgn(z) < 0)
		mpz_neg(m, m);
	v = ref_get_i128(m);
	mpz_clear(m);
	return v;
}

/* b such that a * b / 10^scale lands within a few units of +-MAX */
static void
mul_edge(fx_int128 a, int scale, FxRound mode, uint8_t delta_byte)
{
	mpz_t		t,
				za;
	fx_int128	b;
	int			delta = (int) (delta_byte % 5) - 2;

	if (a == 0 || a == I128_MIN)
		return;
	mpz_inits(t, za, NULL);
	ref_set_i128(za, a);
	mpz_abs(za, za);
	mpz_ui_pow_ui(t, 2, 127);
	mpz_sub_ui(t, t, 1);
	{
		mpz_t		p;

		mpz_init(p);
		ref_pow10(p, (unsigned long) scale);
		mpz_mul(t, t, p);		/* MAX * 10^scale */
		mpz_clear(p);
	}
	if (delta_byte & 0x80)
		mpz_cdiv_q(t, t, za);
	else
		mpz_fdiv_q(t, t, za);
	if (delta >= 0)
		mpz_add_ui(t, t, (unsigned long) delta);
	else
		mpz_sub_ui(t, t, (unsigned long) -delta);
	if (delta_byte & 0x40)
		mpz_neg(t, t);
	b = clamp_get(t);
	check_mul(CAT_MUL_EDGE, a, b, scale, mode);
	check_mul(CAT_MUL_EDGE, -a, b, scale, mode);
	mpz_clears(t, za, NULL);
}

/* b such that a * 10^scale / b lands within a few units of +-MAX */
static void
div_edge(fx_int128 a, int scale, FxRound mode, uint8_t delta_byte)
{
	mpz_t		t,
				m;
	fx_int128	b;
	int			delta = (int) ((delta_byte >> 3) % 5) - 2;

	if (a == 0 || a == I128_MIN)
		return;
	mpz_inits(t, m, NULL);
	ref_set_i128(t, a);
	mpz_abs(t, t);
	ref_pow10(m, (unsigned long) scale);
	mpz_mul(t, t, m);			/* |a| * 10^scale */
	mpz_ui_pow_ui(m, 2, 127);
	mpz_sub_ui(m, m, 1);
	if (delta_byte & 0x04)
		mpz_cdiv_q(t, t, m);
	else
		mpz_fdiv_q(t, t, m);
	if (delta >= 0)
		mpz_add_ui(t, t, (unsigned long) delta);
	else
		mpz_sub_ui(t, t, (unsigned long) -delta);
	if (mpz_sgn(t) == 0)
		mpz_set_ui(t, 1);
	if (delta_byte & 0x02)
		mpz_neg(t, t);
	b = clamp_get(t);
	check_div(CAT_DIV_EDGE, a, b, scale, mode);
	check_div(CAT_DIV_EDGE, -a, b, scale, mode);
	mpz_clears(t, m, NULL);
}

/* the exact sum, reduced mod 2^256, as (lo, hi) */
static void
repr_of(const mpz_t sum, fx_uint128 *lo, fx_int128 *hi)
{
	mpz_t		t;
	uint64_t	w[4] = {0, 0, 0, 0};
	size_t		count;

	mpz_init(t);
	mpz_fdiv_r_2exp(t, sum, 256);
	mpz_export(w, &count, -1, sizeof(uint64_t), 0, 0, t);
	*lo = ((fx_uint128) w[1] << 64) | w[0];
	*hi = (fx_int128) (((fx_uint128) w[3] << 64) | w[2]);
	mpz_clear(t);
}

static void
check_acc(const FxAcc *acc, const mpz_t sum, uint64_t nvalues, bool lenient,
		  FuzzReader *r)
{
	fx_int128	got = 0;
	FxStatus	st = fx_acc_get(acc, &got);
	fx_uint128	lo;
	fx_int128	hi;
	uint64_t	counts[5];
	char		what[256];

	snprintf(what, sizeof(what), "fx_acc_get (sum of %llu values, exact sum %s)",
			 (unsigned long long) nvalues, ref_str(sum));
	compare(CAT_ACC_GET, lenient, st, got, sum, what);

	if (!lenient)
	{
		repr_of(sum, &lo, &hi);
		FUZZ_CHECK(CAT_ACC_REPR, acc->lo == lo && acc->hi == hi,
				   "FxAcc for sum %s: expected lo %016llx%016llx hi %016llx%016llx, "
				   "got lo %016llx%016llx hi %016llx%016llx",
				   ref_str(sum),
				   (unsigned long long) (lo >> 64), (unsigned long long) lo,
				   (unsigned long long) ((fx_uint128) hi >> 64), (unsigned long long) hi,
				   (unsigned long long) (acc->lo >> 64), (unsigned long long) acc->lo,
				   (unsigned long long) ((fx_uint128) acc->hi >> 64),
				   (unsigned long long) acc->hi);
	}

	counts[0] = nvalues ? nvalues : 1;
	counts[1] = 1 + fz_u8(r) % 16;
	counts[2] = UINT64_MAX - (fz_u8(r) & 3);
	counts[3] = ((uint64_t) 1 << 63) + (uint64_t) (int64_t) ((int) (fz_u8(r) % 3) - 1);
	counts[4] = fz_u64(r) >> (fz_u8(r) % 64);
	if (counts[4] == 0)
		counts[4] = 7;
	for (int i = 0; i < 5; i++)
	{
		mpz_t		q,
					c;

		mpz_inits(q, c, NULL);
		mpz_set_ui(c, 0);
		mpz_import(c, 1, -1, sizeof(uint64_t), 0, 0, &counts[i]);
		ref_round_div(q, sum, c, FX_ROUND_HALF_UP);
		got = 0;
		st = fx_acc_avg(acc, counts[i], &got);
		snprintf(what, sizeof(what), "fx_acc_avg(sum %s, count %llu)", ref_str(sum),
				 (unsigned long long) counts[i]);
		compare(CAT_ACC_AVG, lenient, st, got, q, what);
		mpz_clears(q, c, NULL);
	}
}

/*
 * Accumulator program: each step is an op byte and a value.
 *	  op % 8 in 0..3: add to the current accumulator
 *	  4, 5: subtract
 *	  6: add the value (op / 8 % 32 + 1) times
 *	  7: switch to the second accumulator; if already there, combine it
 *		 into the first and reset it
 * At the end the second is combined into the first.
 */
static void
run_acc(FuzzReader *r)
{
	FxAcc		acc[2];
	mpz_t		sum[2],
				t;
	int			cur = 0;
	uint64_t	nvalues = 0;
	bool		lenient = false;
	int			steps = 0;

	mpz_inits(sum[0], sum[1], t, NULL);
	fx_acc_init(&acc[0]);
	fx_acc_init(&acc[1]);
	while (r->n > 0 && steps++ < 64)
	{
		uint8_t		op = fz_u8(r);
		fx_int128	v;

		if (op % 8 == 7)
		{
			if (cur == 0)
				cur = 1;
			else
			{
				fx_acc_combine(&acc[0], &acc[1]);
				mpz_add(sum[0], sum[0], sum[1]);
				fx_acc_init(&acc[1]);
				mpz_set_ui(sum[1], 0);
				cur = 0;
			}
			continue;
		}
		v = get_value(r);
		if (v == I128_MIN)
			lenient = true;
		ref_set_i128(t, v);
		switch (op % 8)
		{
			case 4:
			case 5:
				fx_acc_sub(&acc[cur], v);
				mpz_sub(sum[cur], sum[cur], t);
				nvalues++;
				break;
			case 6:
				{
					int			times = op / 8 % 32 + 1;

					for (int i = 0; i < times; i++)
						fx_acc_add(&acc[cur], v);
					mpz_mul_ui(t, t, (unsigned long) times);
					mpz_add(sum[cur], sum[cur], t);
					nvalues += (uint64_t) times;
					break;
				}
			default:
				fx_acc_add(&acc[cur], v);
				mpz_add(sum[cur], sum[cur], t);
				nvalues++;
				break;
		}
	}
	fx_acc_combine(&acc[0], &acc[1]);
	mpz_add(sum[0], sum[0], sum[1]);
	check_acc(&acc[0], sum[0], nvalues, lenient, r);
	mpz_clears(sum[0], sum[1], t, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzReader	rd = {data, size};
	fx_int128	a,
				b;
	uint8_t		scale_sel,
				mode_byte,
				to_sel,
				delta_byte;
	int			scale,
				mul_scale,
				to_scale;
	FxRound		mode;

	ref_init();
	fuzz_set_input(data, size);
	a = get_value(&rd);
	b = get_value(&rd);
	scale_sel = fz_u8(&rd);
	mode_byte = fz_u8(&rd);
	to_sel = fz_u8(&rd);
	delta_byte = fz_u8(&rd);

	scale = get_scale(scale_sel, FX_MAX_SCALE);
	mul_scale = get_scale(scale_sel, FX_MAX_MUL_SCALE);
	to_scale = get_scale(to_sel, FX_MAX_SCALE);
	mode = (FxRound) (mode_byte % 3);

	check_add_sub(a, b);
	check_add_sub(b, a);
	check_mul(CAT_MUL, a, b, mul_scale, mode);
	check_div(CAT_DIV, a, b, scale, mode);
	check_div(CAT_DIV, b, a, scale, mode);
	check_rescale(a, scale, to_scale, mode);
	check_rescale(b, to_scale, scale, mode);
	check_format(a, scale);
	check_format(b, to_scale);
	mul_edge(a, mul_scale, mode, delta_byte);
	div_edge(a, scale, mode, delta_byte);
	run_acc(&rd);
	return 0;
}

size_t
fuzz_generate(uint64_t *rng, uint8_t *buf, size_t cap)
{
	size_t		len = 4 + fuzz_rand(rng) % 120;

	if (len > cap)
		len = cap;
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t) fuzz_rand(rng);
	return len;
}

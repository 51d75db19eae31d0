/*
 * ref_gmp.c
 *	  Exact reference arithmetic for the fixed128 fuzzers, using GMP.
 *	  Written independently of src/fixed128.c: everything is done on
 *	  unbounded integers and only compared with the range at the end.
 */
#include "ref_gmp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mpz_t ref_max;			/* 2^127 - 1 */
static bool ref_ready = false;

void
ref_init(void)
{
	if (ref_ready)
		return;
	mpz_init(ref_max);
	mpz_ui_pow_ui(ref_max, 2, 127);
	mpz_sub_ui(ref_max, ref_max, 1);
	ref_ready = true;
}

void
ref_set_i128(mpz_t z, fx_int128 v)
{
	fx_uint128	u = v < 0 ? (fx_uint128) 0 - (fx_uint128) v : (fx_uint128) v;
	uint64_t	w[2];

	w[0] = (uint64_t) u;
	w[1] = (uint64_t) (u >> 64);
	mpz_import(z, 2, -1, sizeof(uint64_t), 0, 0, w);
	if (v < 0)
		mpz_neg(z, z);
}

fx_int128
ref_get_i128(const mpz_t z)
{
	uint64_t	w[2] = {0, 0};
	size_t		count = 0;
	fx_uint128	u;

	if (mpz_sizeinbase(z, 2) > 128)
		abort();
	mpz_export(w, &count, -1, sizeof(uint64_t), 0, 0, z);
	u = ((fx_uint128) w[1] << 64) | w[0];
	if (u > ((fx_uint128) 1 << 127))
		abort();
	if (mpz_sgn(z) < 0)
		return (fx_int128) ((fx_uint128) 0 - u);
	if (u == ((fx_uint128) 1 << 127))
		abort();
	return (fx_int128) u;
}

bool
ref_in_range(const mpz_t z)
{
	ref_init();
	return mpz_cmpabs(z, ref_max) <= 0;
}

void
ref_pow10(mpz_t z, unsigned long n)
{
	mpz_ui_pow_ui(z, 10, n);
}

void
ref_round_div(mpz_t q, const mpz_t n, const mpz_t d, FxRound mode)
{
	mpz_t		nn,
				dd;

	if (mpz_sgn(d) == 0)
		abort();
	mpz_init_set(nn, n);
	mpz_init_set(dd, d);
	/* make the divisor positive; the quotient's sign is carried by nn */
	if (mpz_sgn(dd) < 0)
	{
		mpz_neg(nn, nn);
		mpz_neg(dd, dd);
	}
	switch (mode)
	{
		case FX_ROUND_FLOOR:
			mpz_fdiv_q(q, nn, dd);
			break;
		case FX_ROUND_CEIL:
			mpz_cdiv_q(q, nn, dd);
			break;
		case FX_ROUND_HALF_UP:
		default:
			{
				/* floor((2|n| + d) / 2d), then the sign */
				int			neg = mpz_sgn(nn) < 0;

				mpz_abs(nn, nn);
				mpz_mul_2exp(nn, nn, 1);
				mpz_add(nn, nn, dd);
				mpz_mul_2exp(dd, dd, 1);
				mpz_fdiv_q(q, nn, dd);
				if (neg)
					mpz_neg(q, q);
				break;
			}
	}
	mpz_clear(nn);
	mpz_clear(dd);
}

static bool
ref_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
ref_digit(char c)
{
	return c >= '0' && c <= '9';
}

FxStatus
ref_parse(const char *str, int scale, mpz_t out)
{
	return ref_parse_rounded(str, scale, FX_ROUND_HALF_UP, NULL, out);
}

FxStatus
ref_parse_rounded(const char *str, int scale, FxRound mode, bool *inexact,
				  mpz_t out)
{
	const char *p = str;
	bool		neg = false;
	const char *int_start,
			   *frac_start = NULL;
	size_t		n_int,
				n_frac = 0;
	mpz_t		exp10,
				mant,
				k,
				t;
	char	   *digits;
	size_t		nd = 0;
	FxStatus	status = FX_OK;

	ref_init();
	while (ref_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	int_start = p;
	while (ref_digit(*p))
		p++;
	n_int = (size_t) (p - int_start);
	if (*p == '.')
	{
		p++;
		frac_start = p;
		while (ref_digit(*p))
			p++;
		n_frac = (size_t) (p - frac_start);
	}
	if (n_int + n_frac == 0)
		return FX_ERR_SYNTAX;

	mpz_init(exp10);
	if (*p == 'e' || *p == 'E')
	{
		bool		eneg = false;
		const char *e_start;
		char	   *e_digits;

		p++;
		if (*p == '+' || *p == '-')
			eneg = *p++ == '-';
		e_start = p;
		while (ref_digit(*p))
			p++;
		if (p == e_start)
		{
			mpz_clear(exp10);
			return FX_ERR_SYNTAX;
		}
		e_digits = strndup(e_start, (size_t) (p - e_start));
		if (mpz_set_str(exp10, e_digits, 10) != 0)
			abort();
		free(e_digits);
		if (eneg)
			mpz_neg(exp10, exp10);
	}
	while (ref_space(*p))
		p++;
	if (*p != '\0')
	{
		mpz_clear(exp10);
		return FX_ERR_SYNTAX;
	}

	/* significant digits: integer and fraction digits, leading zeros dropped */
	digits = malloc(n_int + n_frac + 1);
	for (size_t i = 0; i < n_int; i++)
		if (nd > 0 || int_start[i] != '0')
			digits[nd++] = int_start[i];
	for (size_t i = 0; i < n_frac; i++)
		if (nd > 0 || frac_start[i] != '0')
			digits[nd++] = frac_start[i];
	digits[nd] = '\0';

	if (inexact)
		*inexact = false;
	if (nd == 0)
	{
		/* zero, whatever the exponent */
		free(digits);
		mpz_clear(exp10);
		mpz_set_ui(out, 0);
		return FX_OK;
	}

	mpz_init(mant);
	mpz_init(k);
	mpz_init(t);
	if (mpz_set_str(mant, digits, 10) != 0)
		abort();
	free(digits);
	if (neg)
		mpz_neg(mant, mant);

	/* raw value = mant * 10^k, k = exponent - n_frac + scale */
	mpz_set(k, exp10);
	mpz_sub_ui(k, k, (unsigned long) n_frac);
	mpz_add_ui(k, k, (unsigned long) scale);

	if (mpz_sgn(k) >= 0)
	{
		/* mant >= 1, so 10^40 or more is certainly out of range */
		if (mpz_cmp_ui(k, 40) > 0)
			status = FX_ERR_RANGE;
		else
		{
			ref_pow10(t, mpz_get_ui(k));
			mpz_mul(out, mant, t);
		}
	}
	else
	{
		unsigned long m;

		mpz_neg(k, k);

		/*
		 * |mant| < 10^nd: dividing by 10^(nd+2) or more leaves a non-zero
		 * value below 0.01 in magnitude, which every mode rounds alike, so
		 * the divisor is capped there.
		 */
		if (mpz_cmp_ui(k, (unsigned long) nd + 2) > 0)
			m = (unsigned long) nd + 2;
		else
			m = mpz_get_ui(k);
		ref_pow10(t, m);
		ref_round_div(out, mant, t, mode);
		if (inexact)
			*inexact = !mpz_divisible_p(mant, t);
	}
	if (status == FX_OK && !ref_in_range(out))
		status = FX_ERR_RANGE;
	mpz_clear(mant);
	mpz_clear(k);
	mpz_clear(t);
	mpz_clear(exp10);
	return status;
}

void
ref_format(fx_int128 v, int scale, char *out)
{
	mpz_t		z;
	char	   *d;
	size_t		len;
	char		padded[96];
	size_t		n_int,
				n_frac;
	int			o = 0;

	mpz_init(z);
	ref_set_i128(z, v);
	mpz_abs(z, z);
	d = mpz_get_str(NULL, 10, z);
	len = strlen(d);
	/* left-pad with zeros so there is at least one integer digit */
	if (len < (size_t) scale + 1)
	{
		size_t		pad = (size_t) scale + 1 - len;

		memset(padded, '0', pad);
		memcpy(padded + pad, d, len + 1);
		len += pad;
	}
	else
		memcpy(padded, d, len + 1);
	n_int = len - (size_t) scale;
	n_frac = (size_t) scale;
	while (n_frac > 0 && padded[n_int + n_frac - 1] == '0')
		n_frac--;
	if (v < 0)
		out[o++] = '-';
	memcpy(out + o, padded, n_int);
	o += (int) n_int;
	if (n_frac > 0)
	{
		out[o++] = '.';
		memcpy(out + o, padded + n_int, n_frac);
		o += (int) n_frac;
	}
	out[o] = '\0';
	free(d);
	mpz_clear(z);
}

const char *
ref_str(const mpz_t z)
{
	static char bufs[8][160];
	static int	which = 0;
	char	   *buf = bufs[which++ & 7];

	if (mpz_sizeinbase(z, 10) > 150)
		snprintf(buf, 160, "<%zu-digit number>", mpz_sizeinbase(z, 10));
	else
		mpz_get_str(buf, 10, z);
	return buf;
}

const char *
ref_i128_str(fx_int128 v)
{
	mpz_t		z;
	const char *s;

	mpz_init(z);
	ref_set_i128(z, v);
	s = ref_str(z);
	mpz_clear(z);
	return s;
}

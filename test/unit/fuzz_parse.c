/*
 * fuzz_parse.c
 *	  Fuzz target for fx_parse / fx_format.
 *
 * The input bytes, NUL-terminated, are parsed at scales 0, 18, 27, 38 and
 * one scale derived from the input.  Each result (status and value) must
 * match ref_parse() in ref_gmp.c, an independent GMP parser of the same
 * grammar.  Every accepted value is then formatted; the text must match
 * ref_format() and must parse back to the same value.  fx_parse_rounded
 * is checked the same way in all three modes at two scales, including its
 * inexact flag (a non-zero digit was rounded off).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ref_gmp.h"

enum
{
	CAT_PARSE,
	CAT_PARSE_ROUNDED,
	CAT_FORMAT,
	CAT_ROUNDTRIP,
	NCATS
};

FuzzCat		fuzz_cats[NCATS] = {
	{"fx_parse vs GMP reference", 0, 0},
	{"fx_parse_rounded (3 modes, inexact flag) vs GMP reference", 0, 0},
	{"fx_format vs reference", 0, 0},
	{"format then parse round trip", 0, 0},
};
const int	fuzz_ncats = NCATS;
const char	fuzz_target_name[] = "fuzz_parse";

#define st_name(s) fx_status_name(s)

/* C-literal rendering of the input for reports */
static const char *
escaped(const char *s)
{
	static char buf[1024];
	size_t		o = 0,
				len = strlen(s);

	for (size_t i = 0; i < len && o < 400; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
			o += (size_t) sprintf(buf + o, "\\%c", c);
		else if (c == '\n')
			o += (size_t) sprintf(buf + o, "\\n");
		else if (c == '\t')
			o += (size_t) sprintf(buf + o, "\\t");
		else if (c < 32 || c >= 127)
			o += (size_t) sprintf(buf + o, "\\x%02x\"\"", c);
		else
			buf[o++] = (char) c;
	}
	if (len > 400 || o >= 400)
		o += (size_t) sprintf(buf + o, "...<%zu chars in all>", len);
	buf[o] = '\0';
	return buf;
}

static const char *const mode_names[] = {"half_up", "floor", "ceil"};

static void
check_rounded(const char *s, int scale, FxRound mode, bool want_flag)
{
	fx_int128	v = 0;
	bool		inexact = false;
	FxStatus	st = fx_parse_rounded(s, scale, mode, want_flag ? &inexact : NULL, &v);
	mpz_t		r;
	bool		rinexact = false;
	FxStatus	rst;
	bool		same;

	mpz_init(r);
	rst = ref_parse_rounded(s, scale, mode, &rinexact, r);
	same = st == rst && (st != FX_OK || (v == ref_get_i128(r) &&
										 (!want_flag || inexact == rinexact)));
	FUZZ_CHECK(CAT_PARSE_ROUNDED, same,
			   "fx_parse_rounded(\"%s\", %d, %s): expected %s %s%s, got %s %s%s",
			   escaped(s), scale, mode_names[mode],
			   st_name(rst), rst == FX_OK ? ref_str(r) : "",
			   rst == FX_OK && want_flag ? (rinexact ? " inexact" : " exact") : "",
			   st_name(st), st == FX_OK ? ref_i128_str(v) : "",
			   st == FX_OK && want_flag ? (inexact ? " inexact" : " exact") : "");
	mpz_clear(r);
}

static void
check_scale(const char *s, int scale)
{
	fx_int128	v = 0;
	FxStatus	st = fx_parse(s, scale, &v);
	mpz_t		r;
	FxStatus	rst;
	bool		same;

	mpz_init(r);
	rst = ref_parse(s, scale, r);
	same = st == rst && (st != FX_OK || v == ref_get_i128(r));
	FUZZ_CHECK(CAT_PARSE, same,
			   "fx_parse(\"%s\", %d): expected %s %s, got %s %s",
			   escaped(s), scale, st_name(rst), rst == FX_OK ? ref_str(r) : "",
			   st_name(st), st == FX_OK ? ref_i128_str(v) : "");

	if (st == FX_OK && v >= FX_MIN)
	{
		char		buf[FX_FORMAT_BUFLEN + 16];
		char		rbuf[FX_FORMAT_BUFLEN + 16];
		int			n;
		fx_int128	back = 0;
		FxStatus	bst;

		n = fx_format(v, scale, buf);
		ref_format(v, scale, rbuf);
		FUZZ_CHECK(CAT_FORMAT, n == (int) strlen(rbuf) && strcmp(buf, rbuf) == 0,
				   "fx_format(%s, %d): expected \"%s\", got \"%.*s\" (length %d)",
				   ref_i128_str(v), scale, rbuf, FX_FORMAT_BUFLEN, buf, n);
		bst = fx_parse(buf, scale, &back);
		FUZZ_CHECK(CAT_ROUNDTRIP, bst == FX_OK && back == v,
				   "fx_parse(fx_format(%s, %d) = \"%s\"): got %s %s",
				   ref_i128_str(v), scale, buf, st_name(bst),
				   bst == FX_OK ? ref_i128_str(back) : "");
	}
	mpz_clear(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	unsigned	h = (unsigned) size;
	static const int fixed_scales[] = {0, 18, 27, 38};

	ref_init();
	fuzz_set_input(data, size);
	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t i = 0; i < size; i++)
		h = h * 31 + data[i];

	for (int i = 0; i < 4; i++)
		check_scale(s, fixed_scales[i]);
	check_scale(s, (int) (h % (FX_MAX_SCALE + 1)));
	for (int m = 0; m < 3; m++)
	{
		/* every fifth input passes inexact = NULL */
		check_rounded(s, fixed_scales[(h >> 8) % 4], (FxRound) m, (h >> 4) % 5 != 0);
		check_rounded(s, (int) ((h >> 12) % (FX_MAX_SCALE + 1)), (FxRound) m, true);
	}
	free(s);
	return 0;
}

/* ------------------------------------------------------------ generator */

static const char *const boundary_digits[] = {
	"170141183460469231731687303715884105727",	/* 2^127-1 */
	"170141183460469231731687303715884105728",	/* 2^127 */
	"170141183460469231731687303715884105726",
	"170141183460469231731687303715884105729",
	"340282366920938463463374607431768211455",	/* 2^128-1 */
	"100000000000000000000000000000000000000",
	"99999999999999999999999999999999999999",
	"999999999999999999999999999999999999999",
	"1000000000000000000",
	"999999999999999999",
	"1000000000000000000000000000",
	"999999999999999999999999999",
	"5", "15", "25", "45", "49", "50", "51", "95", "1", "0", "9",
	"123456789012345678901234567890123456789",
};

static const char *const fraction_tails[] = {
	"", "", "", "5", "4", "6", "49", "50", "51", "4999999999", "5000000000",
	"5000000001", "49999999999999999999999999999999", "9", "99999",
};

static const char *const spaces[] = {
	"", "", "", "", " ", "  ", "\t", "\n", " \t\n", "\r", "\f", "\v", "\r\n",
};

static uint64_t
rnd(uint64_t *rng, uint64_t n)
{
	return fuzz_rand(rng) % n;
}

typedef struct
{
	char	   *p;
	size_t		len;
	size_t		cap;
} Str;

static void
put(Str *s, const char *t, size_t n)
{
	if (s->len + n > s->cap)
		n = s->cap - s->len;
	memcpy(s->p + s->len, t, n);
	s->len += n;
}

static void
puts_(Str *s, const char *t)
{
	put(s, t, strlen(t));
}

static void
put_digits(Str *s, uint64_t *rng, size_t n, int zeros_bias)
{
	for (size_t i = 0; i < n && s->len < s->cap; i++)
	{
		char		c = zeros_bias && rnd(rng, 4) != 0 ? '0' : (char) ('0' + rnd(rng, 10));

		s->p[s->len++] = c;
	}
}

size_t
fuzz_generate(uint64_t *rng, uint8_t *buf, size_t cap)
{
	char		digits[8192];
	Str			d = {digits, 0, 4096};
	char		tmp[64];
	Str			out = {(char *) buf, 0, cap};
	size_t		point;
	int			has_point;
	long		exp_shift = 0;

	/* 3%: raw random bytes (mostly syntax errors) */
	if (rnd(rng, 100) < 3)
	{
		size_t		n = rnd(rng, 24);

		for (size_t i = 0; i < n; i++)
			buf[i] = rnd(rng, 2) ? (uint8_t) "0123456789.eE+- \t\nxn"[rnd(rng, 20)] : (uint8_t) rnd(rng, 256);
		return n;
	}

	/* the digits */
	switch (rnd(rng, 6))
	{
		case 0:
		case 1:
			puts_(&d, boundary_digits[rnd(rng, sizeof(boundary_digits) / sizeof(boundary_digits[0]))]);
			puts_(&d, fraction_tails[rnd(rng, sizeof(fraction_tails) / sizeof(fraction_tails[0]))]);
			break;
		case 2:
			put_digits(&d, rng, 1 + rnd(rng, 6), 0);
			break;
		case 3:
			put_digits(&d, rng, 1 + rnd(rng, 45), 0);
			break;
		case 4:
			put_digits(&d, rng, 1 + rnd(rng, 45), 1);
			break;
		case 5:
			/* long: a few hundred to a few thousand digits */
			if (rnd(rng, 4) == 0)
				put_digits(&d, rng, 50 + rnd(rng, rnd(rng, 2) ? 300 : 3000), (int) rnd(rng, 2));
			else
				put_digits(&d, rng, 1 + rnd(rng, 20), 0);
			break;
	}
	/* leading zeros now and then */
	if (rnd(rng, 8) == 0)
	{
		size_t		z = 1 + rnd(rng, rnd(rng, 10) == 0 ? 200 : 5);

		memmove(digits + z, digits, d.len);
		memset(digits, '0', z);
		d.len += z;
	}

	/* where the decimal point goes (counted from the end of the digits) */
	has_point = rnd(rng, 3) != 0;
	switch (rnd(rng, 8))
	{
		case 0:
			point = 0;
			break;
		case 1:
			point = 18;
			break;
		case 2:
			point = 27;
			break;
		case 3:
			point = 38;
			break;
		case 4:
			point = d.len;		/* ".ddd" */
			break;
		case 5:
			point = 1 + rnd(rng, 3);
			break;
		default:
			point = rnd(rng, d.len + 1);
			break;
	}
	if (point > d.len)
		point = d.len;

	/* exponent: sometimes shift the point and compensate */
	if (rnd(rng, 3) == 0 && has_point)
	{
		size_t		shift = rnd(rng, d.len - point + 1);

		point += shift;
		exp_shift = (long) shift;
	}

	puts_(&out, spaces[rnd(rng, sizeof(spaces) / sizeof(spaces[0]))]);
	switch (rnd(rng, 10))
	{
		case 0:
		case 1:
		case 2:
			puts_(&out, "-");
			break;
		case 3:
			puts_(&out, "+");
			break;
		default:
			break;
	}
	if (has_point)
	{
		put(&out, digits, d.len - point);
		puts_(&out, ".");
		put(&out, digits + d.len - point, point);
	}
	else
		put(&out, digits, d.len);

	if (exp_shift != 0 || rnd(rng, 4) == 0)
	{
		puts_(&out, rnd(rng, 2) ? "e" : "E");
		switch (rnd(rng, 6))
		{
			case 0:
				snprintf(tmp, sizeof(tmp), "%ld", exp_shift);
				break;
			case 1:
				snprintf(tmp, sizeof(tmp), "+%ld", exp_shift);
				break;
			case 2:
				snprintf(tmp, sizeof(tmp), "%ld", exp_shift + (long) rnd(rng, 81) - 40);
				break;
			case 3:
				snprintf(tmp, sizeof(tmp), "%s%s", rnd(rng, 2) ? "-" : "",
						 rnd(rng, 2) ? "99999999999" : "999999999999999999999999");
				break;
			case 4:
				snprintf(tmp, sizeof(tmp), "%s%llu", rnd(rng, 2) ? "-" : "",
						 (unsigned long long) (fuzz_rand(rng) >> rnd(rng, 64)));
				break;
			default:
				snprintf(tmp, sizeof(tmp), "%s000000000000000000000%ld",
						 exp_shift < 0 ? "-" : "", exp_shift < 0 ? -exp_shift : exp_shift);
				break;
		}
		/* a leading '+' on a negative number is not produced above */
		puts_(&out, tmp);
	}
	puts_(&out, spaces[rnd(rng, sizeof(spaces) / sizeof(spaces[0]))]);

	/* 15%: a few random edits */
	if (rnd(rng, 100) < 15 && out.len > 0)
	{
		int			edits = 1 + (int) rnd(rng, 3);

		for (int i = 0; i < edits && out.len > 0; i++)
		{
			size_t		at = rnd(rng, out.len);
			char		c = rnd(rng, 4) ? "0123456789.eE+- \t\nx"[rnd(rng, 19)] : (char) rnd(rng, 256);

			switch (rnd(rng, 3))
			{
				case 0:
					buf[at] = (uint8_t) c;
					break;
				case 1:
					if (out.len < cap)
					{
						memmove(buf + at + 1, buf + at, out.len - at);
						buf[at] = (uint8_t) c;
						out.len++;
					}
					break;
				default:
					memmove(buf + at, buf + at + 1, out.len - at - 1);
					out.len--;
					break;
			}
		}
	}
	return out.len;
}

/*
 * test_fixed128.c
 *	  TAP unit tests for src/fixed128.{h,c}.
 *
 * Every expected value below was worked out independently of the code
 * under test: by hand, or with Python's fractions module using
 *
 *	  from fractions import Fraction as F; import math
 *	  MAX = 2**127 - 1
 *	  def half(x): return (-1 if x < 0 else 1) * math.floor(abs(x) + F(1, 2))
 *	  floor = math.floor; ceil = math.ceil
 *
 * ("py:" in a comment names the expression that gave the constant).
 * Large constants are written as decimal strings and turned into int128 by
 * I() below, a plain digit loop that shares nothing with fx_parse.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixed128.h"

/* ------------------------------------------------------------------ TAP */

static int	n_tests = 0;
static int	n_failed = 0;

static void
ok(int cond, const char *fmt,...)
{
	va_list		ap;

	n_tests++;
	if (!cond)
		n_failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", n_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void
diag(const char *fmt,...)
{
	va_list		ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---------------------------------------------------------- int128 help */

/* decimal string -> int128, exact; aborts on anything unexpected */
static fx_int128
I(const char *s)
{
	int			neg = 0;
	fx_uint128	v = 0;

	if (*s == '-')
	{
		neg = 1;
		s++;
	}
	if (!*s)
		abort();
	for (; *s; s++)
	{
		if (*s < '0' || *s > '9')
			abort();
		if (v > ((~(fx_uint128) 0) - 9) / 10)
			abort();
		v = v * 10 + (unsigned) (*s - '0');
	}
	/* allow exactly 2^127 only when negative (used for -2^127) */
	if (v > ((fx_uint128) 1 << 127) || (v == ((fx_uint128) 1 << 127) && !neg))
		abort();
	return neg ? (fx_int128) (0 - v) : (fx_int128) v;
}

/* int128 -> decimal, for diagnostics */
static const char *
S(fx_int128 v)
{
	static char bufs[8][48];
	static int	which = 0;
	char	   *buf = bufs[which++ & 7];
	char		tmp[48];
	int			n = 0,
				i = 0;
	fx_uint128	u = v < 0 ? (fx_uint128) 0 - (fx_uint128) v : (fx_uint128) v;

	do
	{
		tmp[n++] = (char) ('0' + (int) (u % 10));
		u /= 10;
	} while (u);
	if (v < 0)
		buf[i++] = '-';
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = 0;
	return buf;
}

static const char *
st(FxStatus s)
{
	switch (s)
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

static const char *
md(FxRound m)
{
	return m == FX_ROUND_HALF_UP ? "half_up" : m == FX_ROUND_FLOOR ? "floor" : "ceil";
}

/* printable rendering of a parse input (escapes, long strings cut) */
static const char *
shown(const char *s)
{
	static char buf[128];
	size_t		len = strlen(s);
	int			o = 0;

	for (size_t i = 0; i < len && o < 100; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '\n')
			o += sprintf(buf + o, "\\n");
		else if (c == '\t')
			o += sprintf(buf + o, "\\t");
		else if (c < 32 || c >= 127)
			o += sprintf(buf + o, "\\x%02x", c);
		else
			buf[o++] = (char) c;
	}
	if (len > 60)
		o = sprintf(buf, "<%zu chars: %.20s...>", len, s);
	buf[o] = 0;
	return buf;
}

#define MAXS "170141183460469231731687303715884105727"	/* 2^127-1 */
#define MINS "-170141183460469231731687303715884105727"

/* ------------------------------------------------------------- checkers */

static FxStatus
parse_check(const char *in, int scale, FxStatus est, const char *eval)
{
	fx_int128	r = 12345;
	FxStatus	s = fx_parse(in, scale, &r);
	int			good = (s == est) && (est != FX_OK || r == I(eval));

	ok(good, "parse \"%s\" at scale %d -> %s %s", shown(in), scale, st(est),
	   est == FX_OK ? eval : "");
	if (!good)
		diag("got %s %s", st(s), s == FX_OK ? S(r) : "");
	return s;
}

#define P_OK(in, sc, v)	parse_check(in, sc, FX_OK, v)
#define P_RANGE(in, sc)	parse_check(in, sc, FX_ERR_RANGE, NULL)
#define P_SYNTAX(in)	parse_check(in, 0, FX_ERR_SYNTAX, NULL)

static void
format_check(const char *val, int scale, const char *expect)
{
	char		buf[FX_FORMAT_BUFLEN + 16];
	int			n;
	fx_int128	back = 0;
	FxStatus	s;

	memset(buf, 'X', sizeof(buf));
	n = fx_format(I(val), scale, buf);
	ok(n == (int) strlen(expect) && memchr(buf, 0, FX_FORMAT_BUFLEN) &&
	   strcmp(buf, expect) == 0,
	   "format %s at scale %d -> \"%s\"", val, scale, expect);
	if (strcmp(buf, expect) != 0 || n != (int) strlen(expect))
		diag("got \"%.*s\" length %d", FX_FORMAT_BUFLEN, buf, n);
	s = fx_parse(buf, scale, &back);
	ok(s == FX_OK && back == I(val), "format %s at scale %d reparses", val, scale);
}

typedef FxStatus (*BinFn) (fx_int128, fx_int128, fx_int128 *);

static void
bin_check(const char *name, BinFn fn, const char *a, const char *b,
		  FxStatus est, const char *eval)
{
	fx_int128	r = 0;
	FxStatus	s = fn(I(a), I(b), &r);
	int			good = s == est && (est != FX_OK || r == I(eval));

	ok(good, "%s(%s, %s) -> %s %s", name, a, b, st(est), est == FX_OK ? eval : "");
	if (!good)
		diag("got %s %s", st(s), s == FX_OK ? S(r) : "");
}

/*
 * Check a rounding operation in all three modes: e[0] half-up, e[1] floor,
 * e[2] ceil; NULL means FX_ERR_RANGE.
 */
typedef FxStatus (*RndFn) (fx_int128, fx_int128, int, FxRound, fx_int128 *);

static void
rnd_check(const char *name, RndFn fn, const char *a, const char *b, int scale,
		  const char *e_half, const char *e_floor, const char *e_ceil)
{
	const char *e[3] = {e_half, e_floor, e_ceil};
	FxRound		modes[3] = {FX_ROUND_HALF_UP, FX_ROUND_FLOOR, FX_ROUND_CEIL};

	for (int i = 0; i < 3; i++)
	{
		fx_int128	r = 0;
		FxStatus	s = fn(I(a), I(b), scale, modes[i], &r);
		FxStatus	est = e[i] ? FX_OK : FX_ERR_RANGE;
		int			good = s == est && (!e[i] || r == I(e[i]));

		ok(good, "%s(%s, %s, %d, %s) -> %s", name, a, b, scale, md(modes[i]),
		   e[i] ? e[i] : "RANGE");
		if (!good)
			diag("got %s %s", st(s), s == FX_OK ? S(r) : "");
	}
}

static void
mul3(const char *a, const char *b, int s, const char *h, const char *f, const char *c)
{
	rnd_check("fx_mul", fx_mul, a, b, s, h, f, c);
}

static void
div3(const char *a, const char *b, int s, const char *h, const char *f, const char *c)
{
	rnd_check("fx_div", fx_div, a, b, s, h, f, c);
}

static void
rescale3(const char *a, int from, int to, const char *h, const char *f, const char *c)
{
	const char *e[3] = {h, f, c};
	FxRound		modes[3] = {FX_ROUND_HALF_UP, FX_ROUND_FLOOR, FX_ROUND_CEIL};

	for (int i = 0; i < 3; i++)
	{
		fx_int128	r = 0;
		FxStatus	s = fx_rescale(I(a), from, to, modes[i], &r);
		FxStatus	est = e[i] ? FX_OK : FX_ERR_RANGE;
		int			good = s == est && (!e[i] || r == I(e[i]));

		ok(good, "fx_rescale(%s, %d -> %d, %s) -> %s", a, from, to, md(modes[i]),
		   e[i] ? e[i] : "RANGE");
		if (!good)
			diag("got %s %s", st(s), s == FX_OK ? S(r) : "");
	}
}

static void
acc_get_check(const FxAcc *acc, const char *what, const char *expect)
{
	fx_int128	r = 0;
	FxStatus	s = fx_acc_get(acc, &r);
	FxStatus	est = expect ? FX_OK : FX_ERR_RANGE;
	int			good = s == est && (!expect || r == I(expect));

	ok(good, "acc %s: get -> %s", what, expect ? expect : "RANGE");
	if (!good)
		diag("got %s %s", st(s), s == FX_OK ? S(r) : "");
}

static void
acc_avg_check(const FxAcc *acc, uint64_t count, const char *what, const char *expect)
{
	fx_int128	r = 0;
	FxStatus	s = fx_acc_avg(acc, count, &r);
	FxStatus	est = expect ? FX_OK : FX_ERR_RANGE;
	int			good = s == est && (!expect || r == I(expect));

	ok(good, "acc %s: avg over %llu -> %s", what, (unsigned long long) count,
	   expect ? expect : "RANGE");
	if (!good)
		diag("got %s %s", st(s), s == FX_OK ? S(r) : "");
}

static FxAcc
acc_of(int n, const char *const *vals)
{
	FxAcc		acc;

	fx_acc_init(&acc);
	for (int i = 0; i < n; i++)
		fx_acc_add(&acc, I(vals[i]));
	return acc;
}

/* ---------------------------------------------------------------- tests */

static void
test_pow10(void)
{
	fx_uint128	p = 1;
	int			good = 1;

	for (int n = 0; n <= 38; n++)
	{
		if (fx_pow10(n) != p)
			good = 0;
		p *= 10;
	}
	ok(good, "fx_pow10(0..38) are the powers of ten");
	ok(fx_pow10(38) == (fx_uint128) I("100000000000000000000000000000000000000"),
	   "fx_pow10(38) = 10^38");
	ok(FX_MAX == I(MAXS) && FX_MIN == I(MINS), "FX_MAX = 2^127-1, FX_MIN = -FX_MAX");
}

static void
test_parse_boundaries(void)
{
	/* scale 0: the digits of 2^127-1 (py: str(2**127-1)) */
	P_OK(MAXS, 0, MAXS);
	P_OK(MINS, 0, MINS);
	P_RANGE("170141183460469231731687303715884105728", 0);	/* 2^127 */
	P_RANGE("-170141183460469231731687303715884105728", 0);	/* -2^127 */
	P_RANGE("-170141183460469231731687303715884105729", 0);
	P_RANGE("340282366920938463463374607431768211455", 0);	/* 2^128-1 */
	P_RANGE("1000000000000000000000000000000000000000", 0);	/* 10^39 */
	P_OK("00000000000000000000170141183460469231731687303715884105727", 0, MAXS);
	P_OK("+170141183460469231731687303715884105727.0000", 0, MAXS);
	/* rounding up into the range boundary: MAX + 0.4999 -> MAX, MAX + .5 -> range */
	P_OK("170141183460469231731687303715884105727.4999999", 0, MAXS);
	P_RANGE("170141183460469231731687303715884105727.5", 0);
	P_RANGE("-170141183460469231731687303715884105727.5", 0);
	P_OK("-170141183460469231731687303715884105727.49", 0, MINS);
	P_OK("170141183460469231731687303715884105726.5", 0, MAXS);

	/* scale 18: MAX raw = 170141183460469231731.687303715884105727 (py) */
	P_OK("170141183460469231731.687303715884105727", 18, MAXS);
	P_OK("-170141183460469231731.687303715884105727", 18, MINS);
	P_RANGE("170141183460469231731.687303715884105728", 18);
	P_RANGE("-170141183460469231731.687303715884105728", 18);
	P_OK("170141183460469231731.6873037158841057274", 18, MAXS);
	P_RANGE("170141183460469231731.6873037158841057275", 18);
	P_RANGE("170141183460469231732", 18);
	P_OK("170141183460469231731", 18, "170141183460469231731000000000000000000");

	/* scale 27: MAX raw = 170141183460.469231731687303715884105727 (py) */
	P_OK("170141183460.469231731687303715884105727", 27, MAXS);
	P_OK("-170141183460.469231731687303715884105727", 27, MINS);
	P_RANGE("170141183460.469231731687303715884105728", 27);
	P_RANGE("-170141183460.469231731687303715884105728", 27);
	P_OK("170141183460.4692317316873037158841057274999", 27, MAXS);
	P_RANGE("170141183460.4692317316873037158841057275", 27);
	P_RANGE("-170141183460.4692317316873037158841057275", 27);
	P_RANGE("170141183461", 27);

	/* scale 38: 1.70141183460469231731687303715884105727 (py) */
	P_OK("1.70141183460469231731687303715884105727", 38, MAXS);
	P_OK("-1.70141183460469231731687303715884105727", 38, MINS);
	P_RANGE("1.70141183460469231731687303715884105728", 38);
	P_RANGE("2", 38);
	P_OK("1", 38, "100000000000000000000000000000000000000");
}

static void
test_parse_fraction_digits(void)
{
	/* scale 27, 27 fractional digits: exact */
	P_OK("0.123456789012345678901234567", 27, "123456789012345678901234567");
	P_OK("-0.123456789012345678901234567", 27, "-123456789012345678901234567");
	/* 28 digits: last digit 5 is an exact tie -> away from zero */
	P_OK("0.1234567890123456789012345675", 27, "123456789012345678901234568");
	P_OK("-0.1234567890123456789012345675", 27, "-123456789012345678901234568");
	P_OK("0.1234567890123456789012345674", 27, "123456789012345678901234567");
	P_OK("-0.1234567890123456789012345674", 27, "-123456789012345678901234567");
	P_OK("0.1234567890123456789012345665", 27, "123456789012345678901234567");	/* not banker's */
	P_OK("0.1234567890123456789012345679", 27, "123456789012345678901234568");
	/* 29 digits */
	P_OK("0.12345678901234567890123456749", 27, "123456789012345678901234567");
	P_OK("0.12345678901234567890123456750", 27, "123456789012345678901234568");
	P_OK("0.12345678901234567890123456751", 27, "123456789012345678901234568");
	P_OK("-0.12345678901234567890123456749", 27, "-123456789012345678901234567");
	P_OK("-0.12345678901234567890123456750", 27, "-123456789012345678901234568");
	P_OK("0.99999999999999999999999999950", 27, "1000000000000000000000000000");	/* carries to 1 */
	P_OK("-0.99999999999999999999999999949", 27, "-999999999999999999999999999");
	P_OK("0.00000000000000000000000000049", 27, "0");
	P_OK("-0.00000000000000000000000000049", 27, "0");
	P_OK("0.0000000000000000000000000005", 27, "1");
	P_OK("-0.0000000000000000000000000005", 27, "-1");

	/* scale 18, 18 and 19 fractional digits */
	P_OK("1.000000000000000001", 18, "1000000000000000001");
	P_OK("-1.000000000000000001", 18, "-1000000000000000001");
	P_OK("0.0000000000000000005", 18, "1");
	P_OK("-0.0000000000000000005", 18, "-1");
	P_OK("0.0000000000000000004", 18, "0");
	P_OK("-0.0000000000000000004", 18, "0");
	P_OK("0.0000000000000000015", 18, "2");
	P_OK("0.0000000000000000025", 18, "3");	/* half away, not to even */
	P_OK("-0.0000000000000000025", 18, "-3");
	P_OK("2.9999999999999999994", 18, "2999999999999999999");
	P_OK("2.9999999999999999995", 18, "3000000000000000000");
	P_OK("-2.9999999999999999995", 18, "-3000000000000000000");

	/* scale 0 ties */
	P_OK("0.5", 0, "1");
	P_OK("-0.5", 0, "-1");
	P_OK("1.5", 0, "2");
	P_OK("2.5", 0, "3");
	P_OK("-2.5", 0, "-3");
	P_OK("2.4999999999999999999999999999999999999999999", 0, "2");
	P_OK("-2.4999999999999999999999999999999999999999999", 0, "-2");
	P_OK("2.5000000000000000000000000000000000000000001", 0, "3");
	P_OK("0.49", 0, "0");
	P_OK("-0.49", 0, "0");
	P_OK("-0", 0, "0");
	P_OK("-0.000", 18, "0");
}

static void
test_parse_forms(void)
{
	P_OK(".5", 0, "1");
	P_OK("-.5", 0, "-1");
	P_OK(".5", 1, "5");
	P_OK("5.", 0, "5");
	P_OK("-5.", 2, "-500");
	P_OK("+1", 0, "1");
	P_OK("+1", 18, "1000000000000000000");
	P_OK("1e+3", 0, "1000");
	P_OK("1E-3", 3, "1");
	P_OK("1E-3", 0, "0");
	P_OK("1e-3", 18, "1000000000000000");
	P_OK("1e3", 0, "1000");
	P_OK("-1.5E1", 0, "-15");
	P_OK("2.5e-1", 0, "0");		/* 0.25 */
	P_OK("5e-1", 0, "1");		/* 0.5 tie */
	P_OK("-5e-1", 0, "-1");
	P_OK("5e-19", 18, "1");		/* 0.5 raw units */
	P_OK("4.9999999e-19", 18, "0");
	P_OK("0.00123e4", 2, "1230");	/* 12.3 */
	P_OK(".5e1", 0, "5");
	P_OK("5.e-1", 0, "1");
	P_OK("1e0", 0, "1");
	P_OK("1e-0", 0, "1");
	P_OK("1e00000000000000000000000000000003", 0, "1000");
	P_OK("1e-00000000000000000000000000000003", 3, "1");
	/* MAX written in exponent form (py: str(2**127-1)) */
	P_OK("1.70141183460469231731687303715884105727e38", 0, MAXS);
	P_RANGE("1.70141183460469231731687303715884105728e38", 0);
	P_OK("17014118346046923173168730371588410572.74e1", 0, MAXS);	/* MAX + .4 */
	P_RANGE("17014118346046923173168730371588410572.75e1", 0);	/* MAX + .5 */
	P_OK("1.70141183460469231731687303715884105727e20", 18, MAXS);
	P_OK("170141183460469231731687303715884105727e-27", 27, MAXS);
	P_OK("170141183460469231731687303715884105727000e-30", 27, MAXS);

	/* huge exponents */
	P_OK("0e999999999999", 0, "0");
	P_OK("0e999999999999", 27, "0");
	P_OK("-0.000e99999999999999999999999999999999", 18, "0");
	P_OK("0e-999999999999999999999999999999", 18, "0");
	P_OK("1e-99999999999", 0, "0");
	P_OK("1e-99999999999", 27, "0");
	P_OK("-1e-99999999999", 27, "0");
	P_OK("9e-99999999999999999999999999999999999", 38, "0");
	P_RANGE("1e99999999999", 0);
	P_RANGE("-1e99999999999", 18);
	P_RANGE("1e99999999999999999999999999999999999", 0);
	P_RANGE("0.0000001e99999999999", 27);
	P_RANGE("1e39", 0);
	P_RANGE("1e21", 18);	/* 10^39 raw */
	P_OK("1e20", 18, "100000000000000000000000000000000000000");
	P_OK("1e-27", 27, "1");
	P_OK("5e-28", 27, "1");
	P_OK("4e-28", 27, "0");
	P_OK("1e-38", 38, "1");

	/* white space around */
	P_OK("  12  ", 0, "12");
	P_OK("\t12\t", 0, "12");
	P_OK("\n12\n", 0, "12");
	P_OK(" \t\n -1.5e0 \n\t ", 1, "-15");
	P_OK("7   ", 0, "7");
	P_OK("   7", 0, "7");
	/* the rest of C's isspace() set */
	P_OK("\r\n7\r\n", 0, "7");
	P_OK("\f\v7\v\f", 0, "7");
}

static void
test_parse_syntax(void)
{
	static const char *const bad[] = {
		"", " ", "\t\n", ".", "-.", "+.", "-", "+", "e5", ".e5", "-e5", "1e",
		"1e+", "1e-", "1E", "--1", "+-1", "-+1", "++1", "1 2", "1 .5", "1. 5",
		"- 1", "+ 1", "1 e5", "1e 5", "1e5 5", "NaN", "nan", "-NaN", "inf",
		"-inf", "+inf", "Infinity", "-Infinity", "0x10", "0x", "1.2.3", "1..2",
		"..1", "1e5.5", "1e5e5", "1ee5", "abc", "12a", "a12", "1_000", "1,5",
		"1,000", "\xd9\xa3", "1\xc2\xa0", "$1", "1%", "(1)", "1-", "1+", "e",
		"E", "1e--5", "1e+-5", "0b1", "١", "\0011" /* \001 then 1 */,
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		P_SYNTAX(bad[i]);
	/* a syntax error wins over a range error */
	parse_check("1e99999999999x", 0, FX_ERR_SYNTAX, NULL);
	parse_check("170141183460469231731687303715884105728 x", 0, FX_ERR_SYNTAX, NULL);
}

static void
test_parse_long(void)
{
	enum
	{
		N = 20000
	};
	char	   *buf = malloc(N + 64);
	char	   *p;

	/* 20000 zeros then 1 */
	memset(buf, '0', N);
	strcpy(buf + N, "1");
	P_OK(buf, 0, "1");
	P_OK(buf, 27, "1000000000000000000000000000");

	/* 0.<20000 zeros>1 */
	strcpy(buf, "0.");
	memset(buf + 2, '0', N);
	strcpy(buf + 2 + N, "1");
	P_OK(buf, 27, "0");
	P_OK(buf, 38, "0");
	/* same with an exponent that brings the 1 back: 10^-20001 * 10^20028 */
	strcpy(buf + 3 + N, "e20028");
	P_OK(buf, 0, "1000000000000000000000000000");	/* 10^27 */
	strcpy(buf + 3 + N, "e20001");
	P_OK(buf, 27, "1000000000000000000000000000");	/* 1.0 at scale 27 */

	/* 1<20000 zeros> -> out of range; with e-20000 -> 1 */
	buf[0] = '1';
	memset(buf + 1, '0', N);
	buf[N + 1] = 0;
	P_RANGE(buf, 0);
	strcpy(buf + N + 1, "e-20000");
	P_OK(buf, 18, "1000000000000000000");
	strcpy(buf + N + 1, "e-19999");
	P_OK(buf, 0, "10");

	/* 0.5<20000 zeros> is an exact tie; 0.4<20000 nines> is not */
	strcpy(buf, "0.5");
	memset(buf + 3, '0', N);
	buf[N + 3] = 0;
	P_OK(buf, 0, "1");
	buf[0] = '-';
	strcpy(buf + 1, "0.5");
	memset(buf + 4, '0', N);
	buf[N + 4] = 0;
	P_OK(buf, 0, "-1");
	strcpy(buf, "0.4");
	memset(buf + 3, '9', N);
	buf[N + 3] = 0;
	P_OK(buf, 0, "0");
	/* 0.5<20000 zeros>1 just above the tie */
	strcpy(buf, "0.5");
	memset(buf + 3, '0', N);
	strcpy(buf + 3 + N, "1");
	P_OK(buf, 0, "1");
	/* 0.49999...9 (20000 nines) at scale 0 -> 0 */
	strcpy(buf, "0.4");
	memset(buf + 3, '9', N);
	buf[N + 3] = 0;
	P_OK(buf, 0, "0");
	/* 20000 nines then .5 at scale 0 -> range */
	memset(buf, '9', N);
	strcpy(buf + N, ".5");
	P_RANGE(buf, 0);

	/* MAX followed by 20000 fractional zeros */
	p = buf + sprintf(buf, "%s.", MAXS);
	memset(p, '0', N);
	p[N] = 0;
	P_OK(buf, 0, MAXS);
	/* ... and with a final 5 beyond them: MAX + 0.000...5 < MAX + 0.5 */
	strcpy(p + N, "5");
	P_OK(buf, 0, MAXS);

	free(buf);
}

/*
 * fx_parse_rounded in the three modes; NULL expectation = FX_ERR_RANGE,
 * "SYNTAX" = FX_ERR_SYNTAX.  inexact: a non-zero digit was rounded off.
 */
static void
pr3(const char *in, int scale, const char *h, const char *f, const char *c, bool inexact)
{
	const char *e[3] = {h, f, c};
	FxRound		modes[3] = {FX_ROUND_HALF_UP, FX_ROUND_FLOOR, FX_ROUND_CEIL};

	for (int i = 0; i < 3; i++)
	{
		fx_int128	r = 0;
		bool		inx = !inexact;
		FxStatus	est = !e[i] ? FX_ERR_RANGE :
			strcmp(e[i], "SYNTAX") == 0 ? FX_ERR_SYNTAX : FX_OK;
		FxStatus	s = fx_parse_rounded(in, scale, modes[i], &inx, &r);
		int			good = s == est && (est != FX_OK || (r == I(e[i]) && inx == inexact));

		ok(good, "parse_rounded \"%s\" at scale %d, %s -> %s%s", shown(in), scale,
		   md(modes[i]), est == FX_OK ? e[i] : st(est),
		   est == FX_OK ? (inexact ? " inexact" : " exact") : "");
		if (!good)
			diag("got %s %s%s", st(s), s == FX_OK ? S(r) : "",
				 s == FX_OK ? (inx ? " inexact" : " exact") : "");
		/* and with inexact = NULL */
		r = 0;
		s = fx_parse_rounded(in, scale, modes[i], NULL, &r);
		good = s == est && (est != FX_OK || r == I(e[i]));
		ok(good, "parse_rounded \"%s\" at scale %d, %s, inexact NULL", shown(in), scale,
		   md(modes[i]));
	}
}

static void
test_parse_rounded(void)
{
	char	   *buf;

	pr3("1.25", 1, "13", "12", "13", true);
	pr3("-1.25", 1, "-13", "-13", "-12", true);
	pr3("1.2", 1, "12", "12", "12", false);
	pr3("-1.20000", 1, "-12", "-12", "-12", false);	/* dropped digits all zero */
	pr3("2.5", 0, "3", "2", "3", true);
	pr3("-2.5", 0, "-3", "-3", "-2", true);
	pr3("0.0001", 0, "0", "0", "1", true);
	pr3("-0.0001", 0, "0", "-1", "0", true);
	pr3("0", 18, "0", "0", "0", false);
	pr3("-0.000e-5", 18, "0", "0", "0", false);
	pr3("1e-99999999999", 27, "0", "0", "1", true);
	pr3("-1e-99999999999", 27, "0", "-1", "0", true);
	pr3("1e-27", 27, "1", "1", "1", false);
	pr3("1e-28", 27, "0", "0", "1", true);
	pr3("-1e-28", 27, "0", "-1", "0", true);
	/* a non-zero digit far beyond the scale */
	pr3("123.4500000000000000000000000000000000000001", 2, "12345", "12345", "12346", true);
	pr3("-123.4500000000000000000000000000000000000001", 2, "-12345", "-12346", "-12345", true);
	pr3("123.4510000000000000000000000000000000000000", 2, "12345", "12345", "12346", true);
	/* boundaries: MAX + 0.1 rounds down to MAX only towards zero */
	pr3("170141183460469231731687303715884105727.1", 0, MAXS, MAXS, NULL, true);
	pr3("-170141183460469231731687303715884105727.1", 0, MINS, NULL, MINS, true);
	pr3("170141183460469231731.6873037158841057270000001", 18, MAXS, MAXS, NULL, true);
	pr3("170141183460469231731687303715884105727", 0, MAXS, MAXS, MAXS, false);
	pr3("170141183460469231731687303715884105728", 0, NULL, NULL, NULL, false);
	pr3("1e99999999999", 0, NULL, NULL, NULL, false);
	pr3("abc", 0, "SYNTAX", "SYNTAX", "SYNTAX", false);
	pr3("1e", 18, "SYNTAX", "SYNTAX", "SYNTAX", false);

	/* 0.5<20000 zeros>1 and 0.<20000 zeros>1 */
	buf = malloc(20064);
	strcpy(buf, "0.5");
	memset(buf + 3, '0', 20000);
	strcpy(buf + 20003, "1");
	pr3(buf, 0, "1", "0", "1", true);
	buf[2] = '0';
	pr3(buf, 0, "0", "0", "1", true);
	buf[20003] = '0';
	pr3(buf, 0, "0", "0", "0", false);
	free(buf);
}

static void
test_format(void)
{
	format_check("0", 0, "0");
	format_check("0", 18, "0");
	format_check("0", 38, "0");
	format_check("1000", 0, "1000");	/* integer zeros stay */
	format_check("-1000", 0, "-1000");
	format_check("100", 2, "1");
	format_check("120", 2, "1.2");
	format_check("-120", 2, "-1.2");
	format_check("5", 1, "0.5");
	format_check("-5", 1, "-0.5");
	format_check("1000000000000000000", 18, "1");
	format_check("1500000000000000000", 18, "1.5");
	format_check("-1500000000000000000", 18, "-1.5");
	format_check("10500000000000000000", 18, "10.5");
	format_check("1000000000000000001", 18, "1.000000000000000001");
	format_check("1", 18, "0.000000000000000001");
	format_check("-1", 18, "-0.000000000000000001");
	format_check("-10", 18, "-0.00000000000000001");
	format_check("-1", 27, "-0.000000000000000000000000001");
	format_check("-1", 38, "-0.00000000000000000000000000000000000001");
	format_check("1", 38, "0.00000000000000000000000000000000000001");
	format_check("100000000000000000000000000000000000000", 38, "1");
	format_check(MAXS, 0, MAXS);
	format_check(MINS, 0, MINS);
	format_check(MAXS, 18, "170141183460469231731.687303715884105727");
	format_check(MINS, 18, "-170141183460469231731.687303715884105727");
	format_check(MAXS, 27, "170141183460.469231731687303715884105727");
	format_check(MINS, 27, "-170141183460.469231731687303715884105727");
	format_check(MAXS, 38, "1.70141183460469231731687303715884105727");
	format_check(MINS, 38, "-1.70141183460469231731687303715884105727");
	format_check("-99999999999999999999999999999999999999", 38,
				 "-0.99999999999999999999999999999999999999");
	format_check("170141183460469231731000000000000000000", 18, "170141183460469231731");
}

static void
test_add_sub(void)
{
	bin_check("fx_add", fx_add, "1", "2", FX_OK, "3");
	bin_check("fx_add", fx_add, "-5", "3", FX_OK, "-2");
	bin_check("fx_add", fx_add, "170141183460469231731687303715884105726", "1", FX_OK, MAXS);
	bin_check("fx_add", fx_add, MAXS, "1", FX_ERR_RANGE, NULL);
	bin_check("fx_add", fx_add, "1", MAXS, FX_ERR_RANGE, NULL);
	bin_check("fx_add", fx_add, "-170141183460469231731687303715884105726", "-1", FX_OK, MINS);
	bin_check("fx_add", fx_add, MINS, "-1", FX_ERR_RANGE, NULL);	/* -2^127 */
	bin_check("fx_add", fx_add, MAXS, MINS, FX_OK, "0");
	bin_check("fx_add", fx_add, MAXS, MAXS, FX_ERR_RANGE, NULL);
	bin_check("fx_add", fx_add, MINS, MINS, FX_ERR_RANGE, NULL);
	bin_check("fx_add", fx_add, MAXS, "0", FX_OK, MAXS);
	bin_check("fx_add", fx_add, "85070591730234615865843651857942052864",	/* 2^126 */
			  "85070591730234615865843651857942052863", FX_OK, MAXS);	/* 2^126-1 */
	bin_check("fx_add", fx_add, "85070591730234615865843651857942052864",
			  "85070591730234615865843651857942052864", FX_ERR_RANGE, NULL);
	bin_check("fx_add", fx_add, "-85070591730234615865843651857942052864",
			  "-85070591730234615865843651857942052864", FX_ERR_RANGE, NULL);

	bin_check("fx_sub", fx_sub, "1", "2", FX_OK, "-1");
	bin_check("fx_sub", fx_sub, MAXS, MAXS, FX_OK, "0");
	bin_check("fx_sub", fx_sub, MINS, "1", FX_ERR_RANGE, NULL);
	bin_check("fx_sub", fx_sub, "-170141183460469231731687303715884105726", "1", FX_OK, MINS);
	bin_check("fx_sub", fx_sub, MAXS, "-1", FX_ERR_RANGE, NULL);
	bin_check("fx_sub", fx_sub, "170141183460469231731687303715884105726", "-1", FX_OK, MAXS);
	bin_check("fx_sub", fx_sub, "0", MAXS, FX_OK, MINS);
	bin_check("fx_sub", fx_sub, "0", MINS, FX_OK, MAXS);
	bin_check("fx_sub", fx_sub, "-1", MAXS, FX_ERR_RANGE, NULL);	/* -2^127 */
	bin_check("fx_sub", fx_sub, "1", MINS, FX_ERR_RANGE, NULL);	/* 2^127 */
	bin_check("fx_sub", fx_sub, MAXS, MINS, FX_ERR_RANGE, NULL);
	bin_check("fx_sub", fx_sub, MINS, MAXS, FX_ERR_RANGE, NULL);
}

static void
test_mul(void)
{
	/* exact products */
	mul3("1500000000000000000", "2500000000000000000", 18,	/* 1.5 * 2.5 = 3.75 */
		 "3750000000000000000", "3750000000000000000", "3750000000000000000");
	mul3("-1500000000000000000", "2500000000000000000", 18,
		 "-3750000000000000000", "-3750000000000000000", "-3750000000000000000");
	mul3("1500000000000000000000000000", "1500000000000000000000000000", 27,	/* ray 2.25 */
		 "2250000000000000000000000000", "2250000000000000000000000000",
		 "2250000000000000000000000000");
	mul3("7", "-6", 0, "-42", "-42", "-42");
	mul3("0", MAXS, 27, "0", "0", "0");
	mul3(MINS, "0", 18, "0", "0", "0");
	mul3("-5", "0", 18, "0", "0", "0");

	/* 1e-18 * 1e-18 at wad: exact 1e-18 raw units */
	mul3("1", "1", 18, "0", "0", "1");
	mul3("-1", "1", 18, "0", "-1", "0");
	mul3("-1", "-1", 18, "0", "0", "1");
	/* exact ties: 0.5 * 1e-18 = 0.5 raw units */
	mul3("500000000000000000", "1", 18, "1", "0", "1");
	mul3("-500000000000000000", "1", 18, "-1", "-1", "0");
	mul3("500000000000000000", "-1", 18, "-1", "-1", "0");
	mul3("-500000000000000000", "-1", 18, "1", "0", "1");
	/* 2.5 raw, 1.5 raw: half away from zero, not to even */
	mul3("5", "500000000000000000", 18, "3", "2", "3");
	mul3("-5", "500000000000000000", 18, "-3", "-3", "-2");
	mul3("3", "500000000000000000", 18, "2", "1", "2");
	mul3("3", "-500000000000000000", 18, "-2", "-2", "-1");
	/* 1.5 * 3 = 4.5 at scale 1 */
	mul3("15", "3", 1, "5", "4", "5");
	mul3("-15", "3", 1, "-5", "-5", "-4");
	/* ray tie: 0.5 ray * 1e-27 */
	mul3("500000000000000000000000000", "1", 27, "1", "0", "1");
	mul3("-500000000000000000000000000", "1", 27, "-1", "-1", "0");
	/* non-ties: py: 666666666666666667**2 / 10**18 = 444444444444444444.888... */
	mul3("666666666666666667", "666666666666666667", 18,
		 "444444444444444445", "444444444444444444", "444444444444444445");
	mul3("-666666666666666667", "666666666666666667", 18,
		 "-444444444444444445", "-444444444444444445", "-444444444444444444");
	/* 256-bit intermediate: py: F(2**200, 10**27) = 1606938044258990275541962092341162.6... */
	mul3("1267650600228229401496703205376", "1267650600228229401496703205376", 27,	/* 2^100 */
		 "1606938044258990275541962092341163", "1606938044258990275541962092341162",
		 "1606938044258990275541962092341163");
	mul3("-1267650600228229401496703205376", "1267650600228229401496703205376", 27,
		 "-1606938044258990275541962092341163", "-1606938044258990275541962092341163",
		 "-1606938044258990275541962092341162");

	/* boundaries at scale 0: 2^126 * 2 = 2^127 (one past MAX, one past -MAX) */
	mul3(MAXS, "1", 0, MAXS, MAXS, MAXS);
	mul3(MAXS, "-1", 0, MINS, MINS, MINS);
	mul3(MINS, "-1", 0, MAXS, MAXS, MAXS);
	mul3("85070591730234615865843651857942052864", "2", 0, NULL, NULL, NULL);
	mul3("-85070591730234615865843651857942052864", "2", 0, NULL, NULL, NULL);
	mul3("85070591730234615865843651857942052863", "2", 0,
		 "170141183460469231731687303715884105726", "170141183460469231731687303715884105726",
		 "170141183460469231731687303715884105726");
	mul3(MAXS, MAXS, 0, NULL, NULL, NULL);
	mul3(MAXS, MAXS, 27, NULL, NULL, NULL);
	mul3(MAXS, "1000000000000000000", 18, MAXS, MAXS, MAXS);	/* x 1.0 */
	mul3(MINS, "1000000000000000000", 18, MINS, MINS, MINS);
	mul3(MAXS, "-1000000000000000000", 18, MINS, MINS, MINS);
	mul3(MAXS, "1000000000000000000000000000", 27, MAXS, MAXS, MAXS);
	/* 2^126 * 2.0 = 2^127 exactly at wad */
	mul3("85070591730234615865843651857942052864", "2000000000000000000", 18, NULL, NULL, NULL);

	/*
	 * exact result MAX + 0.5 at wad: a = 5e17 * (2^64-1), b = 2^64+1, so
	 * a*b/1e18 = (2^128-1)/2 (py: (2**64-1)*(2**64+1) == 2**128-1)
	 */
	mul3("9223372036854775807500000000000000000", "18446744073709551617", 18,
		 NULL, MAXS, NULL);
	mul3("-9223372036854775807500000000000000000", "18446744073709551617", 18,
		 NULL, NULL, MINS);
	mul3("-9223372036854775807500000000000000000", "-18446744073709551617", 18,
		 NULL, MAXS, NULL);

	/*
	 * exact result MAX - 0.5 at wad: 2^128-3 = 11 * 6949 * 4451685225093714772084598273548427
	 * (sympy.factorint); a = 5e17 * 11 * 6949, b = the large factor.
	 */
	mul3("38219500000000000000000", "4451685225093714772084598273548427", 18,
		 MAXS, "170141183460469231731687303715884105726", MAXS);
	mul3("-38219500000000000000000", "4451685225093714772084598273548427", 18,
		 MINS, MINS, "-170141183460469231731687303715884105726");

	/*
	 * exact result MAX + 0.5 at ray: k = 17*257*641*65537, a = 5e26 * k,
	 * b = (2^128-1) / k = 1854013163791990990753864335 (py)
	 */
	mul3("91769134536500000000000000000000000000", "1854013163791990990753864335", 27,
		 NULL, MAXS, NULL);
	mul3("91769134536500000000000000000000000000", "-1854013163791990990753864335", 27,
		 NULL, NULL, MINS);
}

/*
 * every scale 0..27 (each has its own divisor 5^s in the core):
 * a = 3^77, b = 3*10^s + (987654321987654321987654321 mod 10^s), expected
 * half/floor/ceil of F(a*b, 10**s) from Python
 */
static void
test_mul_all_scales(void)
{
	static const struct
	{
		int			scale;
		const char *b;
		const char *half,
				   *floor,
				   *ceil;
	}			t[] = {
		{0, "3", "16423203268260658146231467800709255289", "16423203268260658146231467800709255289", "16423203268260658146231467800709255289"},
		{1, "31", "16970643377202680084439183394066230465", "16970643377202680084439183394066230465", "16970643377202680084439183394066230466"},
		{2, "321", "17572827497038904216467670546758903159", "17572827497038904216467670546758903159", "17572827497038904216467670546758903160"},
		{3, "3321", "18180486017964548567878234855385145605", "18180486017964548567878234855385145604", "18180486017964548567878234855385145605"},
		{4, "34321", "18788691978999134941227006879604745026", "18788691978999134941227006879604745025", "18788691978999134941227006879604745026"},
		{5, "354321", "19396952684044615516769599675383680144", "19396952684044615516769599675383680144", "19396952684044615516769599675383680145"},
		{6, "3654321", "20005218863491185512531574548318548832", "20005218863491185512531574548318548832", "20005218863491185512531574548318548833"},
		{7, "37654321", "20613485590377864450315487628969010877", "20613485590377864450315487628969010877", "20613485590377864450315487628969010878"},
		{8, "387654321", "21221752372008554282301594530391032258", "21221752372008554282301594530391032258", "21221752372008554282301594530391032259"},
		{9, "3987654321", "21830019159113645203707920813890209573", "21830019159113645203707920813890209572", "21830019159113645203707920813890209573"},
		{10, "31987654321", "17511324966287978790186828695384325894", "17511324966287978790186828695384325893", "17511324966287978790186828695384325894"},
		{11, "321987654321", "17626895655947434087042435076890712702", "17626895655947434087042435076890712702", "17626895655947434087042435076890712703"},
		{12, "3321987654321", "18185892833855401554935711308398326559", "18185892833855401554935711308398326559", "18185892833855401554935711308398326560"},
		{13, "34321987654321", "18789232660588220239932754524906063121", "18789232660588220239932754524906063121", "18789232660588220239932754524906063122"},
		{14, "354321987654321", "19397006752203524046640174439913811954", "19397006752203524046640174439913811953", "19397006752203524046640174439913811954"},
		{15, "3654321987654321", "20005224270307076365518632024771562013", "20005224270307076365518632024771562013", "20005224270307076365518632024771562014"},
		{16, "37654321987654321", "20613486131059453535614193376614312196", "20613486131059453535614193376614312195", "20613486131059453535614193376614312196"},
		{17, "387654321987654321", "21221752426076713190831465105155562390", "21221752426076713190831465105155562390", "21221752426076713190831465105155562391"},
		{18, "3987654321987654321", "21830019164520461094560907871366662586", "21830019164520461094560907871366662585", "21830019164520461094560907871366662586"},
		{19, "31987654321987654321", "17511324966828660379272127401131971195", "17511324966828660379272127401131971194", "17511324966828660379272127401131971195"},
		{20, "321987654321987654321", "17626895656001502245950964947465477232", "17626895656001502245950964947465477232", "17626895656001502245950964947465477233"},
		{21, "3321987654321987654321", "18185892833860808370826564295455803012", "18185892833860808370826564295455803012", "18185892833860808370826564295455803013"},
		{22, "34321987654321987654321", "18789232660588760921521839823611810767", "18789232660588760921521839823611810766", "18789232660588760921521839823611810767"},
		{23, "354321987654321987654321", "19397006752203578114799082969784386718", "19397006752203578114799082969784386718", "19397006752203578114799082969784386719"},
		{24, "3654321987654321987654321", "20005224270307081772334522877758619490", "20005224270307081772334522877758619489", "20005224270307081772334522877758619490"},
		{25, "37654321987654321987654321", "20613486131059454076295782461913017943", "20613486131059454076295782461913017943", "20613486131059454076295782461913017944"},
		{26, "387654321987654321987654321", "21221752426076713244899624013685432965", "21221752426076713244899624013685432964", "21221752426076713244899624013685432965"},
		{27, "3987654321987654321987654321", "21830019164520461099967723762219649643", "21830019164520461099967723762219649643", "21830019164520461099967723762219649644"},
	};
	const char *a = "5474401089420219382077155933569751763";	/* 3^77 */
	const char *na = "-5474401089420219382077155933569751763";

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
	{
		char		nh[48],
					nf[48],
					nc[48];

		mul3(a, t[i].b, t[i].scale, t[i].half, t[i].floor, t[i].ceil);
		/* negated: half -> -half, floor -> -ceil, ceil -> -floor */
		snprintf(nh, sizeof(nh), "-%s", t[i].half);
		snprintf(nf, sizeof(nf), "-%s", t[i].ceil);
		snprintf(nc, sizeof(nc), "-%s", t[i].floor);
		mul3(na, t[i].b, t[i].scale, nh, nf, nc);
	}
}

static void
test_div(void)
{
	div3("6", "3", 0, "2", "2", "2");
	div3("-6", "3", 0, "-2", "-2", "-2");
	/* 1/3, 2/3 */
	div3("1", "3", 0, "0", "0", "1");
	div3("-1", "3", 0, "0", "-1", "0");
	div3("2", "3", 0, "1", "0", "1");
	div3("-2", "3", 0, "-1", "-1", "0");
	div3("2", "-3", 0, "-1", "-1", "0");
	div3("-2", "-3", 0, "1", "0", "1");
	/* exact ties 1/2, 5/2 */
	div3("1", "2", 0, "1", "0", "1");
	div3("-1", "2", 0, "-1", "-1", "0");
	div3("1", "-2", 0, "-1", "-1", "0");
	div3("-1", "-2", 0, "1", "0", "1");
	div3("5", "2", 0, "3", "2", "3");
	div3("-5", "2", 0, "-3", "-3", "-2");
	/* wad: 1/3 = 0.333..., 2/3 = 0.666... */
	div3("1000000000000000000", "3000000000000000000", 18,
		 "333333333333333333", "333333333333333333", "333333333333333334");
	div3("-1000000000000000000", "3000000000000000000", 18,
		 "-333333333333333333", "-333333333333333334", "-333333333333333333");
	div3("2000000000000000000", "3000000000000000000", 18,
		 "666666666666666667", "666666666666666666", "666666666666666667");
	div3("2000000000000000000", "-3000000000000000000", 18,
		 "-666666666666666667", "-666666666666666667", "-666666666666666666");
	/* wad tie: 1e-18 / 2.0 = 0.5 raw */
	div3("1", "2000000000000000000", 18, "1", "0", "1");
	div3("-1", "2000000000000000000", 18, "-1", "-1", "0");
	/* ray tie: 1e-27 / 2.0 */
	div3("1", "2000000000000000000000000000", 27, "1", "0", "1");
	div3("1", "-2000000000000000000000000000", 27, "-1", "-1", "0");
	/* ray: 1 / 3 */
	div3("1000000000000000000000000000", "3000000000000000000000000000", 27,
		 "333333333333333333333333333", "333333333333333333333333333",
		 "333333333333333333333333334");

	/* identities at the boundary */
	div3(MAXS, "1", 0, MAXS, MAXS, MAXS);
	div3(MINS, "1", 0, MINS, MINS, MINS);
	div3(MINS, "-1", 0, MAXS, MAXS, MAXS);
	div3(MAXS, "1000000000000000000", 18, MAXS, MAXS, MAXS);
	div3(MINS, "-1000000000000000000000000000", 27, MAXS, MAXS, MAXS);
	div3(MAXS, MAXS, 38, "100000000000000000000000000000000000000",
		 "100000000000000000000000000000000000000", "100000000000000000000000000000000000000");
	div3(MAXS, "1", 38, NULL, NULL, NULL);
	div3(MAXS, "1", 1, NULL, NULL, NULL);
	/* py: F(10**38, MAX) = 0.58... */
	div3("1", MAXS, 38, "1", "0", "1");
	div3("-1", MAXS, 38, "-1", "-1", "0");
	/* py: F(MAX, 3) = 56713727820156410577229101238628035242.33 */
	div3(MAXS, "3", 0, "56713727820156410577229101238628035242",
		 "56713727820156410577229101238628035242", "56713727820156410577229101238628035243");
	div3(MINS, "3", 0, "-56713727820156410577229101238628035242",
		 "-56713727820156410577229101238628035243", "-56713727820156410577229101238628035242");
	/* py: F(MAX*10**18, 10**18+1) = 170141183460469231561546120255414874165.44... */
	div3(MAXS, "1000000000000000001", 18, "170141183460469231561546120255414874165",
		 "170141183460469231561546120255414874165", "170141183460469231561546120255414874166");

	/* exactly 2^127 = one past MAX: 2^109 * 10^18 / 5^18 (py) */
	div3("649037107316853453566312041152512", "3814697265625", 18, NULL, NULL, NULL);
	div3("-649037107316853453566312041152512", "3814697265625", 18, NULL, NULL, NULL);
	div3("649037107316853453566312041152511", "3814697265625", 18,	/* 2^127 - 2^18 (py) */
		 "170141183460469231731687303715883843584", "170141183460469231731687303715883843584",
		 "170141183460469231731687303715883843584");
	/*
	 * exact MAX + 0.5: a = (2^128-1)/5, b = 2^19 * 5^17, scale 18 (py:
	 * F(a*10**18, b) == F(2**128-1, 2))
	 */
	div3("68056473384187692692674921486353642291", "400000000000000000", 18,
		 NULL, MAXS, NULL);
	div3("-68056473384187692692674921486353642291", "400000000000000000", 18,
		 NULL, NULL, MINS);
	div3("68056473384187692692674921486353642291", "-400000000000000000", 18,
		 NULL, NULL, MINS);
	/* MAX + 0.365 (py search over b near 1e18) */
	div3("170141183460469223224628130692422519143", "999999999999999950", 18,
		 MAXS, MAXS, NULL);
	div3("-170141183460469223224628130692422519143", "999999999999999950", 18,
		 MINS, NULL, MINS);
	/* MAX + 0.678 (py) */
	div3("170141183460469223394769314152891750875", "999999999999999951", 18,
		 NULL, MAXS, NULL);
	div3("170141183460469223394769314152891750875", "-999999999999999951", 18,
		 NULL, NULL, MINS);

	/*
	 * 256-by-128-bit divisions whose second quotient limb needs two
	 * corrections of the estimated digit (Knuth's algorithm D, step D3):
	 * found by a Python search that emulates the limb steps; expected
	 * values from Fraction(a * 10**s, b).
	 */
	div3("2350562493523773471531408851916308", "166153499473114484185033476572970909", 27,
		 "14146933413846760859602986", "14146933413846760859602985",
		 "14146933413846760859602986");
	div3("-2350562493523773471531408851916308", "166153499473114484185033476572970909", 27,
		 "-14146933413846760859602986", "-14146933413846760859602986",
		 "-14146933413846760859602985");
	div3("8862824297855961239335582096", "1267650600228229401771581112319", 27,
		 "6991535598421431940507223", "6991535598421431940507222",
		 "6991535598421431940507223");
	div3("8862824297855961239335582096", "-1267650600228229401771581112319", 27,
		 "-6991535598421431940507223", "-6991535598421431940507223",
		 "-6991535598421431940507222");
	div3("80801684145568879859114393614878734672", "10141204801825835213073137270783", 18,
		 "7967661212306968048988354", "7967661212306968048988353",
		 "7967661212306968048988354");
	div3("56842561393843147457229", "664613997892457936596018718216027653", 38,
		 "8552718055005654113638897", "8552718055005654113638896",
		 "8552718055005654113638897");

	/* division by zero */
	{
		FxRound		modes[3] = {FX_ROUND_HALF_UP, FX_ROUND_FLOOR, FX_ROUND_CEIL};
		const char *as[] = {"1", "0", "-1", MAXS, MINS};

		for (int m = 0; m < 3; m++)
			for (int i = 0; i < 5; i++)
			{
				fx_int128	r;
				FxStatus	s = fx_div(I(as[i]), 0, m == 0 ? 0 : m == 1 ? 18 : 27, modes[m], &r);

				ok(s == FX_ERR_DIV0, "fx_div(%s, 0, %s) -> DIV0", as[i], md(modes[m]));
				if (s != FX_ERR_DIV0)
					diag("got %s", st(s));
			}
	}
}

static void
test_rescale(void)
{
	rescale3("1", 0, 18, "1000000000000000000", "1000000000000000000", "1000000000000000000");
	rescale3("-1", 0, 27, "-1000000000000000000000000000", "-1000000000000000000000000000",
			 "-1000000000000000000000000000");
	rescale3("1", 0, 38, "100000000000000000000000000000000000000",
			 "100000000000000000000000000000000000000", "100000000000000000000000000000000000000");
	rescale3("2", 0, 38, NULL, NULL, NULL);
	rescale3(MAXS, 0, 1, NULL, NULL, NULL);
	rescale3(MINS, 18, 19, NULL, NULL, NULL);
	rescale3("17014118346046923173168730371588410572", 0, 1,
			 "170141183460469231731687303715884105720", "170141183460469231731687303715884105720",
			 "170141183460469231731687303715884105720");
	rescale3("17014118346046923173168730371588410573", 0, 1, NULL, NULL, NULL);
	rescale3("-17014118346046923173168730371588410573", 5, 6, NULL, NULL, NULL);
	rescale3("170141183460469231731", 0, 18,
			 "170141183460469231731000000000000000000", "170141183460469231731000000000000000000",
			 "170141183460469231731000000000000000000");
	rescale3("170141183460469231732", 0, 18, NULL, NULL, NULL);
	rescale3(MAXS, 18, 18, MAXS, MAXS, MAXS);
	rescale3(MINS, 0, 0, MINS, MINS, MINS);

	/* down: 1.5, 1.4 at scale 1 -> scale 0 */
	rescale3("15", 1, 0, "2", "1", "2");
	rescale3("-15", 1, 0, "-2", "-2", "-1");
	rescale3("14", 1, 0, "1", "1", "2");
	rescale3("-14", 1, 0, "-1", "-2", "-1");
	rescale3("25", 1, 0, "3", "2", "3");
	rescale3("-25", 1, 0, "-3", "-3", "-2");
	rescale3("20", 1, 0, "2", "2", "2");
	/* ray -> wad: 1.0000000000000000005 is a tie at 18 digits */
	rescale3("1000000000000000000500000000", 27, 18,
			 "1000000000000000001", "1000000000000000000", "1000000000000000001");
	rescale3("-1000000000000000000500000000", 27, 18,
			 "-1000000000000000001", "-1000000000000000001", "-1000000000000000000");
	rescale3("1000000000000000000499999999", 27, 18,
			 "1000000000000000000", "1000000000000000000", "1000000000000000001");
	/* py: F(MAX, 10**9) = 170141183460469231731687303715.884105727 */
	rescale3(MAXS, 27, 18, "170141183460469231731687303716", "170141183460469231731687303715",
			 "170141183460469231731687303716");
	rescale3(MINS, 27, 18, "-170141183460469231731687303716", "-170141183460469231731687303716",
			 "-170141183460469231731687303715");
	rescale3(MAXS, 38, 0, "2", "1", "2");
	rescale3(MINS, 38, 0, "-2", "-2", "-1");
	rescale3("1", 38, 0, "0", "0", "1");
	rescale3("-1", 38, 0, "0", "-1", "0");
	rescale3("50000000000000000000000000000000000000", 38, 0, "1", "0", "1");	/* 0.5 */
	rescale3("-50000000000000000000000000000000000000", 38, 0, "-1", "-1", "0");
	rescale3("0", 38, 0, "0", "0", "0");
}

static void
test_acc(void)
{
	FxAcc		acc,
				acc2,
				tmp;
	int			good;

	fx_acc_init(&acc);
	acc_get_check(&acc, "empty", "0");

	/* representation: 2*MAX = 2^128-2 -> lo = 2^128-2, hi = 0 */
	fx_acc_add(&acc, FX_MAX);
	fx_acc_add(&acc, FX_MAX);
	ok(acc.lo == (~(fx_uint128) 0) - 1, "acc 2*MAX: lo = 2^128-2");
	ok(acc.hi == 0, "acc 2*MAX: hi = 0");
	acc_get_check(&acc, "2*MAX", NULL);
	acc_avg_check(&acc, 2, "2*MAX", MAXS);
	/* 2*MAX + 1 over 2 = MAX + 0.5 -> half away -> out of range */
	fx_acc_add(&acc, 1);
	acc_avg_check(&acc, 2, "2*MAX+1", NULL);
	/* (2*MAX + 1) / 3 = 113427455640312821154458202477256070485 (py: half(F(2*MAX+1,3))) */
	acc_avg_check(&acc, 3, "2*MAX+1", "113427455640312821154458202477256070485");
	fx_acc_sub(&acc, 1);
	fx_acc_add(&acc, FX_MIN);
	fx_acc_add(&acc, FX_MIN);
	acc_get_check(&acc, "2*MAX+2*MIN", "0");
	ok(acc.lo == 0 && acc.hi == 0, "acc 2*MAX+2*MIN: lo = hi = 0");

	/* representation of -MAX: lo = 2^128 - MAX = 2^127+1, hi = -1 */
	fx_acc_init(&acc);
	fx_acc_add(&acc, FX_MIN);
	ok(acc.lo == ((fx_uint128) 1 << 127) + 1 && acc.hi == -1,
	   "acc MIN: lo = 2^127+1, hi = -1");
	acc_get_check(&acc, "MIN", MINS);
	fx_acc_add(&acc, -1);
	acc_get_check(&acc, "MIN-1", NULL);	/* -2^127 */
	acc_avg_check(&acc, 1, "MIN-1", NULL);
	acc_avg_check(&acc, 2, "MIN-1", "-85070591730234615865843651857942052864");	/* -2^126 exact */
	fx_acc_sub(&acc, -1);
	fx_acc_sub(&acc, FX_MIN);
	acc_get_check(&acc, "MIN-1+1-MIN", "0");

	/* sum of 65536 MAX values: overflows only at get */
	fx_acc_init(&acc);
	for (int i = 0; i < 65536; i++)
		fx_acc_add(&acc, FX_MAX);
	acc_get_check(&acc, "65536*MAX", NULL);
	acc_avg_check(&acc, 65536, "65536*MAX", MAXS);
	acc_avg_check(&acc, 65535, "65536*MAX", NULL);
	/* 2^16*MAX = 2^143 - 2^16: hi = 2^15 - 1, lo = 2^128 - 2^16 (by hand) */
	ok(acc.hi == 32767 && acc.lo == (fx_uint128) 0 - 65536, "acc 65536*MAX: hi/lo");
	tmp = acc;
	for (int i = 0; i < 65535; i++)
		fx_acc_sub(&tmp, FX_MAX);
	acc_get_check(&tmp, "65536*MAX - 65535*MAX", MAXS);
	fx_acc_add(&tmp, 1);
	acc_get_check(&tmp, "MAX+1", NULL);
	fx_acc_add(&tmp, FX_MIN);
	acc_get_check(&tmp, "MAX+1+MIN", "1");

	/* same negative */
	fx_acc_init(&acc);
	for (int i = 0; i < 65536; i++)
		fx_acc_add(&acc, FX_MIN);
	acc_get_check(&acc, "65536*MIN", NULL);
	acc_avg_check(&acc, 65536, "65536*MIN", MINS);

	/* 1000*MAX + 1000: avg over 1000 = MAX+1, over 1001 (py: half(F(1000*MAX+1000,1001))) */
	fx_acc_init(&acc);
	for (int i = 0; i < 1000; i++)
		fx_acc_add(&acc, FX_MAX);
	fx_acc_add(&acc, 1000);
	acc_avg_check(&acc, 1000, "1000*MAX+1000", NULL);
	acc_avg_check(&acc, 1001, "1000*MAX+1000", "169971212248221010720966337378505600128");
	acc_avg_check(&acc, UINT64_MAX, "1000*MAX+1000",	/* py: half(F(1000*MAX+1000, 2**64-1)) */
				  "9223372036854775808500");

	/* 2^63 * MAX and 2^63 * MIN, built by doubling with combine */
	fx_acc_init(&acc);
	fx_acc_add(&acc, FX_MAX);
	fx_acc_init(&acc2);
	fx_acc_add(&acc2, FX_MIN);
	for (int i = 0; i < 63; i++)
	{
		tmp = acc;
		fx_acc_combine(&acc, &tmp);
		tmp = acc2;
		fx_acc_combine(&acc2, &tmp);
	}
	acc_get_check(&acc, "2^63*MAX", NULL);
	acc_avg_check(&acc, (uint64_t) 1 << 63, "2^63*MAX", MAXS);
	/* py: half(F(2**63*MAX, 2**64-1)) */
	acc_avg_check(&acc, UINT64_MAX, "2^63*MAX", "85070591730234615870455337876369440768");
	acc_avg_check(&acc2, (uint64_t) 1 << 63, "2^63*MIN", MINS);
	/* 2^63*MAX: hi = 2^62 - 1, lo = 2^128 - 2^63 (by hand: 2^190 - 2^63) */
	ok(acc.hi == ((fx_int128) 1 << 62) - 1 && acc.lo == (fx_uint128) 0 - ((fx_uint128) 1 << 63),
	   "acc 2^63*MAX: hi/lo");
	/* 2^63*MIN = -(2^190 - 2^63): hi = -2^62, lo = 2^63 */
	ok(acc2.hi == -((fx_int128) 1 << 62) && acc2.lo == ((fx_uint128) 1 << 63),
	   "acc 2^63*MIN: hi/lo");
	tmp = acc;
	fx_acc_combine(&tmp, &acc2);
	acc_get_check(&tmp, "2^63*MAX + 2^63*MIN", "0");
	/* + 2^62 = 2^63 * (MAX + 0.5): tie -> out of range; + 2^62 - 1 -> MAX */
	tmp = acc;
	fx_acc_add(&tmp, (fx_int128) 1 << 62);
	acc_avg_check(&tmp, (uint64_t) 1 << 63, "2^63*MAX + 2^62", NULL);
	tmp = acc;
	fx_acc_add(&tmp, ((fx_int128) 1 << 62) - 1);
	acc_avg_check(&tmp, (uint64_t) 1 << 63, "2^63*MAX + 2^62-1", MAXS);
	tmp = acc2;
	fx_acc_sub(&tmp, (fx_int128) 1 << 62);
	acc_avg_check(&tmp, (uint64_t) 1 << 63, "2^63*MIN - 2^62", NULL);
	tmp = acc2;
	fx_acc_sub(&tmp, ((fx_int128) 1 << 62) - 1);
	acc_avg_check(&tmp, (uint64_t) 1 << 63, "2^63*MIN - (2^62-1)", MINS);

	/* avg rounding: half away from zero */
	{
		static const struct
		{
			const char *sum;
			uint64_t	count;
			const char *avg;
		}			cases[] = {
			{"5", 2, "3"}, {"-5", 2, "-3"},	/* 2.5 */
			{"3", 2, "2"}, {"-3", 2, "-2"},	/* 1.5 */
			{"1", 2, "1"}, {"-1", 2, "-1"},	/* 0.5 */
			{"7", 3, "2"}, {"-7", 3, "-2"},	/* 2.33 */
			{"8", 3, "3"}, {"-8", 3, "-3"},	/* 2.67 */
			{"1", 3, "0"}, {"-1", 3, "0"},	/* 0.33 */
			{"0", 7, "0"},
			{"-15", 10, "-2"}, {"-14", 10, "-1"}, {"15", 10, "2"},
			/* 2^63 / (2^64-1) just above 1/2 (py) */
			{"9223372036854775808", UINT64_MAX, "1"},
			{"-9223372036854775808", UINT64_MAX, "-1"},
			/* (2^63-1) / (2^64-1) just below 1/2 */
			{"9223372036854775807", UINT64_MAX, "0"},
			{"-9223372036854775807", UINT64_MAX, "0"},
			/* (2^63-1) / (2^64-2) = 1/2 exactly */
			{"9223372036854775807", UINT64_MAX - 1, "1"},
			{"-9223372036854775807", UINT64_MAX - 1, "-1"},
			{MAXS, 1, MAXS}, {MINS, 1, MINS},
			/* py: half(F(MAX, 2)) = 2^126 (MAX/2 = 2^126 - 0.5) */
			{MAXS, 2, "85070591730234615865843651857942052864"},
			{MINS, 2, "-85070591730234615865843651857942052864"},
			/* py: half(F(MAX, 2**64-1)): 2^63 + (2^63-1)/(2^64-1) -> 2^63 */
			{MAXS, UINT64_MAX, "9223372036854775808"},
			{MINS, UINT64_MAX, "-9223372036854775808"},
		};

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		{
			char		what[96];

			fx_acc_init(&acc);
			fx_acc_add(&acc, I(cases[i].sum));
			snprintf(what, sizeof(what), "sum %s", cases[i].sum);
			acc_avg_check(&acc, cases[i].count, what, cases[i].avg);
		}
	}

	/* many small negative values: -1 * 1001, avg over 1000 -> -1.001 -> -1 */
	{
		static const char *const v[] = {"-3", "-4", "-5", "1"};

		acc = acc_of(4, v);
		acc_get_check(&acc, "-3-4-5+1", "-11");
		acc_avg_check(&acc, 4, "-3-4-5+1", "-3");	/* -2.75 */
		acc_avg_check(&acc, 2, "-3-4-5+1", "-6");	/* -5.5 */
		acc_avg_check(&acc, 22, "-3-4-5+1", "-1");	/* -0.5 */
		acc_avg_check(&acc, 23, "-3-4-5+1", "0");	/* -0.478 */
	}

	/* combine */
	fx_acc_init(&acc);
	fx_acc_init(&acc2);
	fx_acc_add(&acc, 5);
	fx_acc_add(&acc2, -7);
	fx_acc_combine(&acc, &acc2);
	acc_get_check(&acc, "combine 5, -7", "-2");
	fx_acc_init(&acc2);
	fx_acc_combine(&acc, &acc2);
	acc_get_check(&acc, "combine with empty", "-2");
	tmp = acc;
	fx_acc_sub(&acc, 0);
	fx_acc_add(&acc, 0);
	ok(acc.lo == tmp.lo && acc.hi == tmp.hi, "acc: adding and subtracting 0 changes nothing");
	fx_acc_init(&tmp);
	fx_acc_sub(&tmp, 0);
	ok(tmp.lo == 0 && tmp.hi == 0, "acc: 0 - 0 = 0");
	fx_acc_sub(&tmp, 1);
	ok(tmp.lo == ~(fx_uint128) 0 && tmp.hi == -1, "acc: 0 - 1 = -1 (lo all ones, hi -1)");
	fx_acc_sub(&tmp, -1);
	ok(tmp.lo == 0 && tmp.hi == 0, "acc: -1 - (-1) = 0");
	good = acc2.lo == 0 && acc2.hi == 0;
	ok(good, "combine leaves the other accumulator alone");
}

int
main(void)
{
	test_pow10();
	test_parse_boundaries();
	test_parse_fraction_digits();
	test_parse_forms();
	test_parse_syntax();
	test_parse_long();
	test_parse_rounded();
	test_format();
	test_add_sub();
	test_mul();
	test_mul_all_scales();
	test_div();
	test_rescale();
	test_acc();

	printf("1..%d\n", n_tests);
	/* a closing line that CI's log reader also understands */
	printf("test_fixed128: %d passed, %d failed\n", n_tests - n_failed, n_failed);
	return n_failed ? 1 : 0;
}

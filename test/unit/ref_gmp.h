/*
 * ref_gmp.h
 *	  Slow, exact reference for fixed128 built on GMP integers.  It shares
 *	  no code with src/fixed128.c; only the types and status codes of
 *	  fixed128.h are borrowed.
 */
#ifndef XPHERE_REF_GMP_H
#define XPHERE_REF_GMP_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "fixed128.h"

/* must be called once before anything else (idempotent) */
extern void ref_init(void);

/* int128 <-> mpz (ref_get_i128 requires |z| <= 2^127) */
extern void ref_set_i128(mpz_t z, fx_int128 v);
extern fx_int128 ref_get_i128(const mpz_t z);

/* |z| <= 2^127 - 1 */
extern bool ref_in_range(const mpz_t z);

/* z = 10^n */
extern void ref_pow10(mpz_t z, unsigned long n);

/* q = n / d rounded in the given mode (half-up = half away from zero); d != 0 */
extern void ref_round_div(mpz_t q, const mpz_t n, const mpz_t d, FxRound mode);

/*
 * Reference parser for the grammar in fixed128.h: optional white space
 * (' ', \t, \n, \r, \f, \v), optional sign, digits with an optional decimal
 * point and at least one digit, optional exponent (e/E, optional sign, at
 * least one digit), optional white space.  The value is rounded half away
 * from zero to raw units at scale.  On FX_OK, out holds the raw value.
 */
extern FxStatus ref_parse(const char *str, int scale, mpz_t out);

/* the same rounded in any mode; *inexact: a non-zero digit was dropped */
extern FxStatus ref_parse_rounded(const char *str, int scale, FxRound mode,
								  bool *inexact, mpz_t out);

/* reference text output (see fx_format); out must hold FX_FORMAT_BUFLEN */
extern void ref_format(fx_int128 v, int scale, char *out);

/* decimal rendering for diagnostics (rotating static buffers) */
extern const char *ref_str(const mpz_t z);
extern const char *ref_i128_str(fx_int128 v);

#endif

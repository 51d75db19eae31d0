/*
 * fuzz_common.h
 *	  Shared pieces of the fixed128 fuzz targets: input reader, check
 *	  counters and failure reporting.
 *
 * Each target (fuzz_parse.c, fuzz_arith.c) defines LLVMFuzzerTestOneInput,
 * the check categories, and fuzz_generate(), a deterministic input
 * generator used by fuzz_driver.c (the plain main() behind `make check`)
 * and to seed libFuzzer's corpus.
 */
#ifndef XPHERE_FUZZ_COMMON_H
#define XPHERE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "fixed128.h"

/* reads bytes from the fuzz input; past the end it yields zeros */
typedef struct FuzzReader
{
	const uint8_t *p;
	size_t		n;
} FuzzReader;

extern uint8_t fz_u8(FuzzReader *r);
extern uint64_t fz_u64(FuzzReader *r);
extern fx_uint128 fz_u128(FuzzReader *r);

/* check categories, defined by each target */
typedef struct FuzzCat
{
	const char *name;
	unsigned long long checks;
	unsigned long long fails;
} FuzzCat;

extern FuzzCat fuzz_cats[];
extern const int fuzz_ncats;
extern const char fuzz_target_name[];

/* 0 (libFuzzer): abort on the first failure; 1 (driver): count and go on */
extern int	fuzz_keep_going;

/* the input being run, for failure reports */
extern void fuzz_set_input(const uint8_t *data, size_t size);

extern void fuzz_fail(int cat, const char *fmt,...) __attribute__((format(printf, 2, 3)));

#define FUZZ_CHECK(cat, cond, ...) \
	do { \
		fuzz_cats[cat].checks++; \
		if (!(cond)) \
			fuzz_fail((cat), __VA_ARGS__); \
	} while (0)

/* splitmix64 */
extern uint64_t fuzz_rand(uint64_t *state);

/* deterministic input generator of each target; returns the length */
extern size_t fuzz_generate(uint64_t *rng, uint8_t *buf, size_t cap);

extern int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif

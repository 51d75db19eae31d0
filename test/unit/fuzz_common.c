/*
 * fuzz_common.c
 *	  Input reader and failure reporting shared by the fuzz targets.
 */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int			fuzz_keep_going = 0;

static const uint8_t *cur_data;
static size_t cur_size;
static unsigned long long printed_failures = 0;

uint8_t
fz_u8(FuzzReader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

uint64_t
fz_u64(FuzzReader *r)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t) fz_u8(r) << (8 * i);
	return v;
}

fx_uint128
fz_u128(FuzzReader *r)
{
	fx_uint128	lo = fz_u64(r);

	return lo | ((fx_uint128) fz_u64(r) << 64);
}

void
fuzz_set_input(const uint8_t *data, size_t size)
{
	cur_data = data;
	cur_size = size;
}

void
fuzz_fail(int cat, const char *fmt,...)
{
	va_list		ap;
	FILE	   *out = fuzz_keep_going ? stdout : stderr;
	const char *pfx = fuzz_keep_going ? "# " : "";

	fuzz_cats[cat].fails++;
	if (fuzz_keep_going && ++printed_failures > 20)
		return;

	fprintf(out, "%sFAIL %s/%s: ", pfx, fuzz_target_name, fuzz_cats[cat].name);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fprintf(out, "\n%s  input (%zu bytes):", pfx, cur_size);
	for (size_t i = 0; i < cur_size && i < 600; i++)
	{
		if (i % 32 == 0)
			fprintf(out, "\n%s   ", pfx);
		fprintf(out, " %02x", cur_data[i]);
	}
	fprintf(out, "%s\n", cur_size > 600 ? " ..." : "");
	fflush(out);
	if (!fuzz_keep_going)
		abort();
}

uint64_t
fuzz_rand(uint64_t *state)
{
	uint64_t	z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

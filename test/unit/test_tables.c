/*
 * test_tables.c
 *	  Recomputes the constant tables inside src/fixed128.c (it includes the
 *	  .c file to reach its static data): the reciprocals of the normalised
 *	  powers of five used by fx_mul (Moller-Granlund), and the powers of ten.
 *	  TAP output.  This program depends on internal names (recip_pow5 and
 *	  its fields d, shift, v); if they change, update it.
 */
#include "../../src/fixed128.c"

#include <stdio.h>

int
main(void)
{
	int			n = 0,
				failed = 0;
	limb		p5 = 1;
	fx_uint128	p10 = 1;

	for (int s = 0; s <= FX_MAX_MUL_SCALE; s++)
	{
		int			shift = __builtin_clzll(p5);
		limb		d = p5 << shift;
		/* floor((2^128 - 1) / d) - 2^64 for a normalised d (top bit set) */
		limb		v = (limb) ((~(fx_uint128) 0) / d - ((fx_uint128) 1 << 64));
		int			good = recip_pow5[s].d == d && recip_pow5[s].shift == shift &&
			recip_pow5[s].v == v;

		n++;
		if (!good)
			failed++;
		printf("%s %d - recip_pow5[%d]: d = 5^%d << %d, v = 0x%016llx\n",
			   good ? "ok" : "not ok", n, s, s, shift, (unsigned long long) v);
		if (!good)
			printf("# table has d = %llu, shift = %d, v = 0x%016llx\n",
				   (unsigned long long) recip_pow5[s].d, recip_pow5[s].shift,
				   (unsigned long long) recip_pow5[s].v);
		p5 *= 5;
	}
	for (int k = 0; k <= FX_MAX_SCALE; k++)
	{
		int			good = fx_pow10(k) == p10;

		n++;
		if (!good)
			failed++;
		printf("%s %d - fx_pow10(%d)\n", good ? "ok" : "not ok", n, k);
		p10 *= 10;
	}
	printf("1..%d\n", n);
	printf("test_tables: %d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}

/*-------------------------------------------------------------------------
 *
 * health_factor.c
 *	  The health_factor type: collateral value times liquidation threshold
 *	  over debt value, as a non-negative wad, or infinity without debt.
 *
 * Representation: 16 bytes like wad; the largest raw value (2^127 - 1)
 * stands for infinity, so the shared 128-bit comparisons, hashing and the
 * btree/hash opclasses need no special case and infinity sorts last.
 * Finite values range from 0 to 2^127 - 2 raw units.
 *
 * Comparison with numeric is exact: the numeric is rounded down to the wad
 * grid once (remembering whether that was exact), and the health factor,
 * itself on the grid, is compared with that.  The rounded numeric is
 * cached in fn_extra because the numeric side of a qual is nearly always
 * a constant.  numeric's own comparison operators belong to the same btree
 * family, so the planner can prove that "hf < 0.5" implies the predicate
 * "hf < 1" of a partial index.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/numeric.h"

#include "health_factor.h"

static const char *const hf_typname = "health_factor";

static fx_int128
hf_check_range(fx_int128 v)
{
	if (v < 0 || v > HF_MAX_FINITE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("health_factor out of range"),
				 errdetail("A health factor is a non-negative value below 170141183460469231731.687303715884105727, or infinity.")));
	return v;
}

/* whether a numeric (not NaN) is below zero; -Infinity included */
static bool
numeric_is_negative(Numeric n)
{
	return DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(n),
											DirectFunctionCall1(int4_numeric,
																Int32GetDatum(0))));
}

static bool
is_infinity_text(const char *str)
{
	const char *p = str;
	size_t		len;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		   *p == '\f' || *p == '\v')
		p++;
	if (*p == '+')
		p++;
	len = strlen("infinity");
	if (pg_strncasecmp(p, "infinity", len) != 0)
		return false;
	p += len;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		   *p == '\f' || *p == '\v')
		p++;
	return *p == '\0';
}

PG_FUNCTION_INFO_V1(health_factor_in);
Datum
health_factor_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	fx_int128	v;

	if (is_infinity_text(str))
		PG_RETURN_FIXED(HF_INFINITY);
	v = xphere_fixed_parse(str, WAD_SCALE, hf_typname);
	if (v < 0 || v > HF_MAX_FINITE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value \"%s\" is out of range for type %s",
						str, hf_typname)));
	PG_RETURN_FIXED(v);
}

PG_FUNCTION_INFO_V1(health_factor_out);
Datum
health_factor_out(PG_FUNCTION_ARGS)
{
	fx_int128	v = PG_GETARG_FIXED(0);

	if (v == HF_INFINITY)
		PG_RETURN_CSTRING(pstrdup("infinity"));
	PG_RETURN_CSTRING(xphere_fixed_format(v, WAD_SCALE));
}

PG_FUNCTION_INFO_V1(health_factor_recv);
Datum
health_factor_recv(PG_FUNCTION_ARGS)
{
	fx_int128	v = xphere_fixed_recv(PG_GETARG_DATUM(0));

	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external health_factor value"),
				 errdetail("A health factor is never negative.")));
	PG_RETURN_FIXED(v);
}

PG_FUNCTION_INFO_V1(health_factor_send);
Datum
health_factor_send(PG_FUNCTION_ARGS)
{
	return xphere_fixed_send(PG_GETARG_FIXED(0));
}

fx_int128
xphere_health_factor(fx_int128 collateral_value, fx_int128 threshold,
					 fx_int128 debt_value)
{
	fx_int128	weighted;
	fx_int128	hf;

	if (collateral_value < 0 || threshold < 0 || debt_value < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("health factor inputs must not be negative")));
	if (debt_value == 0)
		return HF_INFINITY;
	/* a ratio beyond the finite range is as good as infinity */
	if (fx_mul(collateral_value, threshold, WAD_SCALE, FX_ROUND_FLOOR,
			   &weighted) != FX_OK ||
		fx_div(weighted, debt_value, WAD_SCALE, FX_ROUND_FLOOR, &hf) != FX_OK ||
		hf > HF_MAX_FINITE)
		return HF_INFINITY;
	return hf;
}

PG_FUNCTION_INFO_V1(health_factor_make);
Datum
health_factor_make(PG_FUNCTION_ARGS)
{
	PG_RETURN_FIXED(xphere_health_factor(PG_GETARG_FIXED(0),
										 PG_GETARG_FIXED(1),
										 PG_GETARG_FIXED(2)));
}

/* ----------------------------------------------------------------
 * casts
 * ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(health_factor_to_numeric);
Datum
health_factor_to_numeric(PG_FUNCTION_ARGS)
{
	fx_int128	v = PG_GETARG_FIXED(0);

	if (v == HF_INFINITY)
		return DirectFunctionCall3(numeric_in, CStringGetDatum("Infinity"),
								   ObjectIdGetDatum(InvalidOid),
								   Int32GetDatum(-1));
	return xphere_fixed_to_numeric(v, WAD_SCALE);
}

PG_FUNCTION_INFO_V1(health_factor_from_numeric);
Datum
health_factor_from_numeric(PG_FUNCTION_ARGS)
{
	Numeric		n = PG_GETARG_NUMERIC(0);

	if (numeric_is_inf(n) && !numeric_is_negative(n))
		PG_RETURN_FIXED(HF_INFINITY);
	PG_RETURN_FIXED(hf_check_range(xphere_fixed_from_numeric(NumericGetDatum(n),
															 WAD_SCALE,
															 hf_typname)));
}

PG_FUNCTION_INFO_V1(health_factor_to_float8);
Datum
health_factor_to_float8(PG_FUNCTION_ARGS)
{
	fx_int128	v = PG_GETARG_FIXED(0);

	if (v == HF_INFINITY)
		PG_RETURN_FLOAT8(get_float8_infinity());
	PG_RETURN_FLOAT8(xphere_fixed_to_float8(v, WAD_SCALE));
}

PG_FUNCTION_INFO_V1(health_factor_from_wad);
Datum
health_factor_from_wad(PG_FUNCTION_ARGS)
{
	PG_RETURN_FIXED(hf_check_range(PG_GETARG_FIXED(0)));
}

PG_FUNCTION_INFO_V1(health_factor_to_wad);
Datum
health_factor_to_wad(PG_FUNCTION_ARGS)
{
	fx_int128	v = PG_GETARG_FIXED(0);

	if (v == HF_INFINITY)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot convert infinity to wad")));
	PG_RETURN_FIXED(v);
}

/* ----------------------------------------------------------------
 * comparison with numeric
 * ---------------------------------------------------------------- */

/* a numeric placed on the wad grid: floor, and whether that was exact */
typedef struct HfNumericKey
{
	enum
	{
		HFN_FINITE,				/* floor holds the value rounded down */
		HFN_ABOVE,				/* larger than any finite health factor */
		HFN_BELOW,				/* smaller than any health factor */
		HFN_POS_INFINITY,
		HFN_NAN					/* sorts after everything, as in numeric */
	}			kind;
	fx_int128	floor;
	bool		exact;
} HfNumericKey;

typedef struct HfNumericCache
{
	HfNumericKey key;
	Size		len;
	char		bytes[FLEXIBLE_ARRAY_MEMBER];
} HfNumericCache;

static void
hf_numeric_key(Numeric n, HfNumericKey *key)
{
	char	   *str;
	bool		inexact = false;

	key->floor = 0;
	key->exact = false;
	if (numeric_is_nan(n))
	{
		key->kind = HFN_NAN;
		return;
	}
	if (numeric_is_inf(n))
	{
		key->kind = numeric_is_negative(n) ? HFN_BELOW : HFN_POS_INFINITY;
		return;
	}
	str = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
	if (fx_parse_rounded(str, WAD_SCALE, FX_ROUND_FLOOR, &inexact,
						 &key->floor) != FX_OK)
		key->kind = (str[0] == '-') ? HFN_BELOW : HFN_ABOVE;
	else if (key->floor < 0)
		key->kind = HFN_BELOW;
	else if (key->floor > HF_MAX_FINITE)
		key->kind = HFN_ABOVE;
	else
	{
		key->kind = HFN_FINITE;
		key->exact = !inexact;
	}
	pfree(str);
}

static const HfNumericKey *
hf_numeric_key_cached(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw = PG_GETARG_VARLENA_PP(argno);
	Size		len = VARSIZE_ANY_EXHDR(raw);
	HfNumericCache *cache = (HfNumericCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL || cache->len != len ||
		memcmp(cache->bytes, VARDATA_ANY(raw), len) != 0)
	{
		cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
								   offsetof(HfNumericCache, bytes) + len);
		cache->len = len;
		memcpy(cache->bytes, VARDATA_ANY(raw), len);
		hf_numeric_key(PG_GETARG_NUMERIC(argno), &cache->key);
		if (fcinfo->flinfo->fn_extra)
			pfree(fcinfo->flinfo->fn_extra);
		fcinfo->flinfo->fn_extra = cache;
	}
	return &cache->key;
}

/* three-way comparison of a health factor with a numeric */
static int
hf_numeric_cmp(fx_int128 hf, const HfNumericKey *key)
{
	switch (key->kind)
	{
		case HFN_NAN:
			return -1;
		case HFN_POS_INFINITY:
			return hf == HF_INFINITY ? 0 : -1;
		case HFN_BELOW:
			return 1;
		case HFN_ABOVE:
			return hf == HF_INFINITY ? 1 : -1;
		case HFN_FINITE:
			break;
	}
	/* hf and floor are on the grid; floor <= n < floor + 1 unit */
	if (hf < key->floor)
		return -1;
	if (hf == key->floor)
		return key->exact ? 0 : -1;
	return 1;
}

#define HF_NUMERIC_COMPARE(NAME, CMP_EXPR) \
PG_FUNCTION_INFO_V1(health_factor_numeric_##NAME); \
Datum \
health_factor_numeric_##NAME(PG_FUNCTION_ARGS) \
{ \
	int			c = hf_numeric_cmp(PG_GETARG_FIXED(0), \
								   hf_numeric_key_cached(fcinfo, 1)); \
	PG_RETURN_BOOL(CMP_EXPR); \
} \
PG_FUNCTION_INFO_V1(numeric_health_factor_##NAME); \
Datum \
numeric_health_factor_##NAME(PG_FUNCTION_ARGS) \
{ \
	int			c = -hf_numeric_cmp(PG_GETARG_FIXED(1), \
									hf_numeric_key_cached(fcinfo, 0)); \
	PG_RETURN_BOOL(CMP_EXPR); \
}

HF_NUMERIC_COMPARE(eq, c == 0)
HF_NUMERIC_COMPARE(ne, c != 0)
HF_NUMERIC_COMPARE(lt, c < 0)
HF_NUMERIC_COMPARE(le, c <= 0)
HF_NUMERIC_COMPARE(gt, c > 0)
HF_NUMERIC_COMPARE(ge, c >= 0)

PG_FUNCTION_INFO_V1(health_factor_numeric_cmp);
Datum
health_factor_numeric_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(hf_numeric_cmp(PG_GETARG_FIXED(0),
								   hf_numeric_key_cached(fcinfo, 1)));
}

PG_FUNCTION_INFO_V1(numeric_health_factor_cmp);
Datum
numeric_health_factor_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(-hf_numeric_cmp(PG_GETARG_FIXED(1),
									hf_numeric_key_cached(fcinfo, 0)));
}

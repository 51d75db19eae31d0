/*-------------------------------------------------------------------------
 *
 * fixed_type.c
 *	  Functions shared by the fixed-point types wad, ray and health_factor:
 *	  error reporting, text and binary I/O, conversions, comparisons,
 *	  hashing, and the sum/avg aggregate state.
 *
 * Comparisons and hashing work on the raw 128-bit integer, so one set of
 * C functions serves every type (health_factor's infinity is the largest
 * raw value and sorts last).  Equal values have equal bytes, so hashing
 * the 16 bytes is consistent with equality.
 *
 * The sum/avg state is a 256-bit accumulator plus a count, allocated in
 * the aggregate memory context and updated in place; only the final sum is
 * range-checked, so an intermediate overflow that later cancels out still
 * gives the exact result, as numeric would.  The state is serialised for
 * parallel aggregation as 40 bytes (count, high, low halves).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/sortsupport.h"

#include "fixed_type.h"

/* ----------------------------------------------------------------
 * errors, text and binary I/O
 * ---------------------------------------------------------------- */

void
xphere_fixed_check(FxStatus status, const char *typname)
{
	switch (status)
	{
		case FX_OK:
			return;
		case FX_ERR_DIV0:
			ereport(ERROR,
					(errcode(ERRCODE_DIVISION_BY_ZERO),
					 errmsg("division by zero")));
			break;
		case FX_ERR_RANGE:
		case FX_ERR_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s out of range", typname)));
			break;
	}
}

fx_int128
xphere_fixed_parse(const char *str, int scale, const char *typname)
{
	fx_int128	v = 0;

	switch (fx_parse(str, scale, &v))
	{
		case FX_OK:
			break;
		case FX_ERR_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for type %s",
							str, typname)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"",
							typname, str)));
	}
	return v;
}

char *
xphere_fixed_format(fx_int128 v, int scale)
{
	char	   *buf = palloc(FX_FORMAT_BUFLEN);

	fx_format(v, scale, buf);
	return buf;
}

fx_int128
xphere_fixed_recv(Datum buf)
{
	StringInfo	msg = (StringInfo) DatumGetPointer(buf);
	uint64		hi = (uint64) pq_getmsgint64(msg);
	uint64		lo = (uint64) pq_getmsgint64(msg);
	fx_int128	v = (fx_int128) ((((fx_uint128) hi) << 64) | lo);

	if (v < FX_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("fixed-point value out of range"),
				 errdetail("The raw value -2^127 is outside the symmetric range.")));
	return v;
}

Datum
xphere_fixed_send(fx_int128 v)
{
	StringInfoData buf;
	fx_uint128	u = (fx_uint128) v;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, (int64) (uint64) (u >> 64));
	pq_sendint64(&buf, (int64) (uint64) u);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ----------------------------------------------------------------
 * conversions
 * ---------------------------------------------------------------- */

fx_int128
xphere_fixed_from_numeric(Datum num, int scale, const char *typname)
{
	Numeric		n = DatumGetNumeric(num);
	char	   *str;

	if (numeric_is_nan(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("cannot convert NaN to %s", typname)));
	if (numeric_is_inf(n))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot convert infinity to %s", typname)));
	str = DatumGetCString(DirectFunctionCall1(numeric_out, num));
	return xphere_fixed_parse(str, scale, typname);
}

Datum
xphere_fixed_to_numeric(fx_int128 v, int scale)
{
	char		buf[FX_FORMAT_BUFLEN];

	fx_format(v, scale, buf);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/*
 * A float8 converts through its shortest round-trip decimal text, so that
 * 0.1::float8 becomes exactly 0.1 rather than 0.1000000000000000055...
 */
fx_int128
xphere_fixed_from_float8(double d, int scale, const char *typname)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (isnan(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("cannot convert NaN to %s", typname)));
	if (isinf(d))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cannot convert infinity to %s", typname)));
	double_to_shortest_decimal_buf(d, buf);
	return xphere_fixed_parse(buf, scale, typname);
}

/* the nearest double, through the exact decimal text */
double
xphere_fixed_to_float8(fx_int128 v, int scale)
{
	char		buf[FX_FORMAT_BUFLEN];

	fx_format(v, scale, buf);
	return strtod(buf, NULL);
}

int64
xphere_fixed_to_int(fx_int128 v, int scale, int64 min, int64 max,
					const char *intname)
{
	fx_int128	r = 0;

	if (fx_rescale(v, scale, 0, FX_ROUND_HALF_UP, &r) != FX_OK ||
		r < min || r > max)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range", intname)));
	return (int64) r;
}

/* ----------------------------------------------------------------
 * comparison, hashing, sign (shared by all fixed-point types)
 * ---------------------------------------------------------------- */

#define FIXED_COMPARE(SUFFIX, OP) \
PG_FUNCTION_INFO_V1(fixed128_##SUFFIX); \
Datum \
fixed128_##SUFFIX(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_FIXED(0) OP PG_GETARG_FIXED(1)); \
}

FIXED_COMPARE(eq, ==)
FIXED_COMPARE(ne, !=)
FIXED_COMPARE(lt, <)
FIXED_COMPARE(le, <=)
FIXED_COMPARE(gt, >)
FIXED_COMPARE(ge, >=)

PG_FUNCTION_INFO_V1(fixed128_cmp);
Datum
fixed128_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(fx_cmp(PG_GETARG_FIXED(0), PG_GETARG_FIXED(1)));
}

/*
 * Sort support: a direct comparator, and abbreviated keys that hold a
 * monotone 64-bit image of the value (sign, bit length and the 56 bits
 * after the leading one), so most comparisons of a sort never touch the
 * 16-byte values.  Unlike the top 64 bits of the integer, this keeps 56
 * significant bits at every magnitude, so amounts and indexes near 1
 * still abbreviate to distinct keys.
 */
static int
fixed128_fastcmp(Datum x, Datum y, SortSupport ssup pg_attribute_unused())
{
	return fx_cmp(DatumGetFixed(x), DatumGetFixed(y));
}

static Datum
fixed128_abbrev_convert(Datum original, SortSupport ssup pg_attribute_unused())
{
	fx_int128	v = DatumGetFixed(original);
	fx_uint128	mag = v < 0 ? -(fx_uint128) v : (fx_uint128) v;
	int64		key;

	if (mag == 0)
		key = 0;
	else
	{
		uint64		hi = (uint64) (mag >> 64);
		int			len = hi != 0 ? 128 - __builtin_clzll(hi)
			: 64 - __builtin_clzll((uint64) mag);
		uint64		mant;

		/* the 56 bits after the leading one, left-aligned */
		if (len > 57)
			mant = (uint64) (mag >> (len - 57));
		else
			mant = (uint64) (mag << (57 - len));
		mant &= (UINT64CONST(1) << 56) - 1;
		key = ((int64) len << 56) | (int64) mant;
		if (v < 0)
			key = -key;
	}
	return Int64GetDatum(key);
}

static bool
fixed128_abbrev_abort(int memtupcount pg_attribute_unused(),
					   SortSupport ssup pg_attribute_unused())
{
	/* the conversion is cheap and rarely loses order; never give up */
	return false;
}

PG_FUNCTION_INFO_V1(fixed128_sortsupport);
Datum
fixed128_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = fixed128_fastcmp;
	if (ssup->abbreviate)
	{
		ssup->abbrev_converter = fixed128_abbrev_convert;
		ssup->abbrev_abort = fixed128_abbrev_abort;
		ssup->abbrev_full_comparator = fixed128_fastcmp;
		ssup->comparator = ssup_datum_signed_cmp;
	}
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(fixed128_hash);
Datum
fixed128_hash(PG_FUNCTION_ARGS)
{
	return hash_any((unsigned char *) PG_GETARG_POINTER(0), sizeof(fx_int128));
}

PG_FUNCTION_INFO_V1(fixed128_hash_extended);
Datum
fixed128_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended((unsigned char *) PG_GETARG_POINTER(0),
							 sizeof(fx_int128), PG_GETARG_INT64(1));
}

/* min() and max() transition: return one of the inputs, no copy */
PG_FUNCTION_INFO_V1(fixed128_smaller);
Datum
fixed128_smaller(PG_FUNCTION_ARGS)
{
	return PG_GETARG_FIXED(0) <= PG_GETARG_FIXED(1) ?
		PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1);
}

PG_FUNCTION_INFO_V1(fixed128_larger);
Datum
fixed128_larger(PG_FUNCTION_ARGS)
{
	return PG_GETARG_FIXED(0) >= PG_GETARG_FIXED(1) ?
		PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1);
}

/* the symmetric range makes negation and abs() total */
PG_FUNCTION_INFO_V1(fixed128_um);
Datum
fixed128_um(PG_FUNCTION_ARGS)
{
	PG_RETURN_FIXED(-PG_GETARG_FIXED(0));
}

PG_FUNCTION_INFO_V1(fixed128_abs);
Datum
fixed128_abs(PG_FUNCTION_ARGS)
{
	fx_int128	v = PG_GETARG_FIXED(0);

	PG_RETURN_FIXED(v < 0 ? -v : v);
}

/* ----------------------------------------------------------------
 * sum() and avg() state
 * ---------------------------------------------------------------- */

typedef struct FixedAggState
{
	FxAcc		acc;
	int64		count;
} FixedAggState;

static FixedAggState *
agg_state(FunctionCallInfo fcinfo, int argno)
{
	MemoryContext aggcontext;
	FixedAggState *state;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "fixed-point aggregate function called in non-aggregate context");
	if (!PG_ARGISNULL(argno))
		return (FixedAggState *) PG_GETARG_POINTER(argno);
	state = (FixedAggState *) MemoryContextAlloc(aggcontext, sizeof(FixedAggState));
	fx_acc_init(&state->acc);
	state->count = 0;
	return state;
}

PG_FUNCTION_INFO_V1(fixed128_accum);
Datum
fixed128_accum(PG_FUNCTION_ARGS)
{
	/* the state exists after the first row: skip the context check */
	FixedAggState *state = PG_ARGISNULL(0) ? agg_state(fcinfo, 0)
		: (FixedAggState *) PG_GETARG_POINTER(0);

	if (!PG_ARGISNULL(1))
	{
		fx_acc_add(&state->acc, PG_GETARG_FIXED(1));
		state->count++;
	}
	PG_RETURN_POINTER(state);
}

/* inverse transition, for sum() and avg() over moving window frames */
PG_FUNCTION_INFO_V1(fixed128_accum_inv);
Datum
fixed128_accum_inv(PG_FUNCTION_ARGS)
{
	FixedAggState *state = agg_state(fcinfo, 0);

	if (!PG_ARGISNULL(1))
	{
		fx_acc_sub(&state->acc, PG_GETARG_FIXED(1));
		state->count--;
	}
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(fixed128_combine);
Datum
fixed128_combine(PG_FUNCTION_ARGS)
{
	FixedAggState *state;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	state = agg_state(fcinfo, 0);
	{
		FixedAggState *other = (FixedAggState *) PG_GETARG_POINTER(1);

		fx_acc_combine(&state->acc, &other->acc);
		state->count += other->count;
	}
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(fixed128_serialize);
Datum
fixed128_serialize(PG_FUNCTION_ARGS)
{
	FixedAggState *state;
	StringInfoData buf;
	fx_uint128	hi;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "fixed-point aggregate function called in non-aggregate context");
	state = (FixedAggState *) PG_GETARG_POINTER(0);
	hi = (fx_uint128) state->acc.hi;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, state->count);
	pq_sendint64(&buf, (int64) (uint64) (hi >> 64));
	pq_sendint64(&buf, (int64) (uint64) hi);
	pq_sendint64(&buf, (int64) (uint64) (state->acc.lo >> 64));
	pq_sendint64(&buf, (int64) (uint64) state->acc.lo);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(fixed128_deserialize);
Datum
fixed128_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *sstate;
	StringInfoData buf;
	FixedAggState *state;
	uint64		w[4];

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "fixed-point aggregate function called in non-aggregate context");
	sstate = PG_GETARG_BYTEA_PP(0);

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(sstate), VARSIZE_ANY_EXHDR(sstate));

	state = (FixedAggState *) palloc(sizeof(FixedAggState));
	state->count = pq_getmsgint64(&buf);
	for (int i = 0; i < 4; i++)
		w[i] = (uint64) pq_getmsgint64(&buf);
	pq_getmsgend(&buf);
	pfree(buf.data);

	state->acc.hi = (fx_int128) ((((fx_uint128) w[0]) << 64) | w[1]);
	state->acc.lo = (((fx_uint128) w[2]) << 64) | w[3];
	PG_RETURN_POINTER(state);
}

bool
xphere_fixed_sum_final(FunctionCallInfo fcinfo, fx_int128 *result,
					   const char *typname)
{
	FixedAggState *state;

	if (PG_ARGISNULL(0))
		return false;
	state = (FixedAggState *) PG_GETARG_POINTER(0);
	if (state->count == 0)
		return false;
	if (fx_acc_get(&state->acc, result) != FX_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range", typname),
				 errdetail("The sum does not fit the range of the type.")));
	return true;
}

bool
xphere_fixed_avg_final(FunctionCallInfo fcinfo, fx_int128 *result,
					   const char *typname)
{
	FixedAggState *state;

	if (PG_ARGISNULL(0))
		return false;
	state = (FixedAggState *) PG_GETARG_POINTER(0);
	if (state->count == 0)
		return false;
	/* the mean of in-range values is in range */
	xphere_fixed_check(fx_acc_avg(&state->acc, (uint64) state->count, result),
					   typname);
	return true;
}

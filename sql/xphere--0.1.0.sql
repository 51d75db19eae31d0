/*
 * xphere: the financial core of the Xphere Mining Cloud platform.
 * This script is assembled by the Makefile from the fragments in src/sql/.
 */
\echo Use "CREATE EXTENSION xphere" to load this file. \quit
/*
 * The sum()/avg() state of the fixed-point types: a 256-bit accumulator and
 * a count, combined and serialised for parallel aggregation.
 */
CREATE FUNCTION fixed128_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION fixed128_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION fixed128_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
/*
 * The wad type (18 decimal places), generated from 10_fixed_type.sql.in.
 * Comparison, hashing, negation and the aggregate state are shared C
 * functions (fixed128_*); scale-dependent functions are wad_*.
 */
CREATE TYPE wad;

CREATE FUNCTION wad_in(cstring) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad_out(wad) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad_recv(internal) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad_send(wad) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE wad (
	INPUT = wad_in,
	OUTPUT = wad_out,
	RECEIVE = wad_recv,
	SEND = wad_send,
	INTERNALLENGTH = 16,
	ALIGNMENT = double,
	STORAGE = plain,
	CATEGORY = 'N'
);
COMMENT ON TYPE wad IS 'token amount or price: signed 128-bit fixed point, 18 decimal places';

-- comparison (shared by every fixed-point type); leakproof: they only
-- return a boolean and never raise an error that depends on the values
CREATE FUNCTION wad_eq(wad, wad) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_ne(wad, wad) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_lt(wad, wad) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_le(wad, wad) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_gt(wad, wad) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_ge(wad, wad) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_cmp(wad, wad) RETURNS integer
	AS 'MODULE_PATHNAME', 'fixed128_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_sortsupport(internal) RETURNS void
	AS 'MODULE_PATHNAME', 'fixed128_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad_hash(wad) RETURNS integer
	AS 'MODULE_PATHNAME', 'fixed128_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_hash_extended(wad, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'fixed128_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION wad_smaller(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME', 'fixed128_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad_larger(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME', 'fixed128_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- arithmetic
CREATE FUNCTION wad_pl(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad_mi(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad_um(wad) RETURNS wad
	AS 'MODULE_PATHNAME', 'fixed128_um' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION abs(wad) RETURNS wad
	AS 'MODULE_PATHNAME', 'fixed128_abs' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION abs(wad) IS 'absolute value';
CREATE FUNCTION wad_mul(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wad_mul(wad, wad) IS 'wadMul: a * b rounded half away from zero (the * operator)';
CREATE FUNCTION wad_div(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wad_div(wad, wad) IS 'wadDiv: a / b rounded half away from zero (the / operator)';
CREATE FUNCTION wad_mul_floor(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wad_mul_floor(wad, wad) IS 'a * b rounded towards minus infinity';
CREATE FUNCTION wad_mul_ceil(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wad_mul_ceil(wad, wad) IS 'a * b rounded towards plus infinity';
CREATE FUNCTION wad_div_floor(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wad_div_floor(wad, wad) IS 'a / b rounded towards minus infinity';
CREATE FUNCTION wad_div_ceil(wad, wad) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wad_div_ceil(wad, wad) IS 'a / b rounded towards plus infinity';

CREATE OPERATOR = (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR + (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_pl, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_mi);
CREATE OPERATOR - (RIGHTARG = wad, PROCEDURE = wad_um);
CREATE OPERATOR * (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_mul, COMMUTATOR = *);
CREATE OPERATOR / (LEFTARG = wad, RIGHTARG = wad, PROCEDURE = wad_div);

CREATE OPERATOR CLASS wad_btree_ops DEFAULT FOR TYPE wad USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 wad_cmp(wad, wad),
	FUNCTION 2 wad_sortsupport(internal);
CREATE OPERATOR CLASS wad_hash_ops DEFAULT FOR TYPE wad USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 wad_hash(wad),
	FUNCTION 2 wad_hash_extended(wad, bigint);

-- casts
CREATE FUNCTION wad(smallint) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_from_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad(integer) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad(bigint) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad(numeric) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad(double precision) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_from_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION int2(wad) RETURNS smallint
	AS 'MODULE_PATHNAME', 'wad_to_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION int4(wad) RETURNS integer
	AS 'MODULE_PATHNAME', 'wad_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION int8(wad) RETURNS bigint
	AS 'MODULE_PATHNAME', 'wad_to_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION "numeric"(wad) RETURNS numeric
	AS 'MODULE_PATHNAME', 'wad_to_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION float8(wad) RETURNS double precision
	AS 'MODULE_PATHNAME', 'wad_to_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION wad(smallint) IS 'exact conversion to wad';
COMMENT ON FUNCTION wad(integer) IS 'exact conversion to wad';
COMMENT ON FUNCTION wad(bigint) IS 'exact conversion to wad';
COMMENT ON FUNCTION wad(numeric) IS 'conversion to wad, rounded half away from zero';
COMMENT ON FUNCTION wad(double precision) IS 'conversion to wad through the float''s shortest text';
COMMENT ON FUNCTION int2(wad) IS 'conversion to smallint, rounded half away from zero';
COMMENT ON FUNCTION int4(wad) IS 'conversion to integer, rounded half away from zero';
COMMENT ON FUNCTION int8(wad) IS 'conversion to bigint, rounded half away from zero';
COMMENT ON FUNCTION "numeric"(wad) IS 'exact conversion to numeric';
COMMENT ON FUNCTION float8(wad) IS 'the nearest double precision';

CREATE CAST (smallint AS wad) WITH FUNCTION wad(smallint) AS IMPLICIT;
CREATE CAST (integer AS wad) WITH FUNCTION wad(integer) AS IMPLICIT;
CREATE CAST (bigint AS wad) WITH FUNCTION wad(bigint) AS IMPLICIT;
CREATE CAST (numeric AS wad) WITH FUNCTION wad(numeric) AS ASSIGNMENT;
CREATE CAST (double precision AS wad) WITH FUNCTION wad(double precision);
CREATE CAST (wad AS smallint) WITH FUNCTION int2(wad) AS ASSIGNMENT;
CREATE CAST (wad AS integer) WITH FUNCTION int4(wad) AS ASSIGNMENT;
CREATE CAST (wad AS bigint) WITH FUNCTION int8(wad) AS ASSIGNMENT;
CREATE CAST (wad AS numeric) WITH FUNCTION "numeric"(wad) AS ASSIGNMENT;
CREATE CAST (wad AS double precision) WITH FUNCTION float8(wad);

-- aggregates: a 256-bit accumulator shared with the other types
CREATE FUNCTION wad_accum(internal, wad) RETURNS internal
	AS 'MODULE_PATHNAME', 'fixed128_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION wad_accum_inv(internal, wad) RETURNS internal
	AS 'MODULE_PATHNAME', 'fixed128_accum_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION wad_sum_final(internal) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION wad_avg_final(internal) RETURNS wad
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sum(wad) (
	SFUNC = wad_accum, STYPE = internal, SSPACE = 48,
	FINALFUNC = wad_sum_final,
	COMBINEFUNC = fixed128_combine,
	SERIALFUNC = fixed128_serialize, DESERIALFUNC = fixed128_deserialize,
	MSFUNC = wad_accum, MINVFUNC = wad_accum_inv, MSTYPE = internal,
	MSSPACE = 48, MFINALFUNC = wad_sum_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sum(wad) IS 'exact sum; out of range only if the total is';
CREATE AGGREGATE avg(wad) (
	SFUNC = wad_accum, STYPE = internal, SSPACE = 48,
	FINALFUNC = wad_avg_final,
	COMBINEFUNC = fixed128_combine,
	SERIALFUNC = fixed128_serialize, DESERIALFUNC = fixed128_deserialize,
	MSFUNC = wad_accum, MINVFUNC = wad_accum_inv, MSTYPE = internal,
	MSSPACE = 48, MFINALFUNC = wad_avg_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE avg(wad) IS 'mean rounded half away from zero';
CREATE AGGREGATE min(wad) (
	SFUNC = wad_smaller, STYPE = wad, COMBINEFUNC = wad_smaller,
	SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(wad) IS 'smallest value';
CREATE AGGREGATE max(wad) (
	SFUNC = wad_larger, STYPE = wad, COMBINEFUNC = wad_larger,
	SORTOP = >, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(wad) IS 'largest value';
/*
 * The ray type (27 decimal places), generated from 10_fixed_type.sql.in.
 * Comparison, hashing, negation and the aggregate state are shared C
 * functions (fixed128_*); scale-dependent functions are ray_*.
 */
CREATE TYPE ray;

CREATE FUNCTION ray_in(cstring) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray_out(ray) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray_recv(internal) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray_send(ray) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ray (
	INPUT = ray_in,
	OUTPUT = ray_out,
	RECEIVE = ray_recv,
	SEND = ray_send,
	INTERNALLENGTH = 16,
	ALIGNMENT = double,
	STORAGE = plain,
	CATEGORY = 'N'
);
COMMENT ON TYPE ray IS 'interest index or rate: signed 128-bit fixed point, 27 decimal places';

-- comparison (shared by every fixed-point type); leakproof: they only
-- return a boolean and never raise an error that depends on the values
CREATE FUNCTION ray_eq(ray, ray) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_ne(ray, ray) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_lt(ray, ray) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_le(ray, ray) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_gt(ray, ray) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_ge(ray, ray) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_cmp(ray, ray) RETURNS integer
	AS 'MODULE_PATHNAME', 'fixed128_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_sortsupport(internal) RETURNS void
	AS 'MODULE_PATHNAME', 'fixed128_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray_hash(ray) RETURNS integer
	AS 'MODULE_PATHNAME', 'fixed128_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_hash_extended(ray, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'fixed128_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ray_smaller(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME', 'fixed128_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray_larger(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME', 'fixed128_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- arithmetic
CREATE FUNCTION ray_pl(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray_mi(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray_um(ray) RETURNS ray
	AS 'MODULE_PATHNAME', 'fixed128_um' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION abs(ray) RETURNS ray
	AS 'MODULE_PATHNAME', 'fixed128_abs' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION abs(ray) IS 'absolute value';
CREATE FUNCTION ray_mul(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_mul(ray, ray) IS 'rayMul: a * b rounded half away from zero (the * operator)';
CREATE FUNCTION ray_div(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_div(ray, ray) IS 'rayDiv: a / b rounded half away from zero (the / operator)';
CREATE FUNCTION ray_mul_floor(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_mul_floor(ray, ray) IS 'a * b rounded towards minus infinity';
CREATE FUNCTION ray_mul_ceil(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_mul_ceil(ray, ray) IS 'a * b rounded towards plus infinity';
CREATE FUNCTION ray_div_floor(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_div_floor(ray, ray) IS 'a / b rounded towards minus infinity';
CREATE FUNCTION ray_div_ceil(ray, ray) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_div_ceil(ray, ray) IS 'a / b rounded towards plus infinity';

CREATE OPERATOR = (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel,
	HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR + (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_pl, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_mi);
CREATE OPERATOR - (RIGHTARG = ray, PROCEDURE = ray_um);
CREATE OPERATOR * (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_mul, COMMUTATOR = *);
CREATE OPERATOR / (LEFTARG = ray, RIGHTARG = ray, PROCEDURE = ray_div);

CREATE OPERATOR CLASS ray_btree_ops DEFAULT FOR TYPE ray USING btree AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 ray_cmp(ray, ray),
	FUNCTION 2 ray_sortsupport(internal);
CREATE OPERATOR CLASS ray_hash_ops DEFAULT FOR TYPE ray USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 ray_hash(ray),
	FUNCTION 2 ray_hash_extended(ray, bigint);

-- casts
CREATE FUNCTION ray(smallint) RETURNS ray
	AS 'MODULE_PATHNAME', 'ray_from_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray(integer) RETURNS ray
	AS 'MODULE_PATHNAME', 'ray_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray(bigint) RETURNS ray
	AS 'MODULE_PATHNAME', 'ray_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray(numeric) RETURNS ray
	AS 'MODULE_PATHNAME', 'ray_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION ray(double precision) RETURNS ray
	AS 'MODULE_PATHNAME', 'ray_from_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION int2(ray) RETURNS smallint
	AS 'MODULE_PATHNAME', 'ray_to_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION int4(ray) RETURNS integer
	AS 'MODULE_PATHNAME', 'ray_to_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION int8(ray) RETURNS bigint
	AS 'MODULE_PATHNAME', 'ray_to_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION "numeric"(ray) RETURNS numeric
	AS 'MODULE_PATHNAME', 'ray_to_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION float8(ray) RETURNS double precision
	AS 'MODULE_PATHNAME', 'ray_to_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION ray(smallint) IS 'exact conversion to ray';
COMMENT ON FUNCTION ray(integer) IS 'exact conversion to ray';
COMMENT ON FUNCTION ray(bigint) IS 'exact conversion to ray';
COMMENT ON FUNCTION ray(numeric) IS 'conversion to ray, rounded half away from zero';
COMMENT ON FUNCTION ray(double precision) IS 'conversion to ray through the float''s shortest text';
COMMENT ON FUNCTION int2(ray) IS 'conversion to smallint, rounded half away from zero';
COMMENT ON FUNCTION int4(ray) IS 'conversion to integer, rounded half away from zero';
COMMENT ON FUNCTION int8(ray) IS 'conversion to bigint, rounded half away from zero';
COMMENT ON FUNCTION "numeric"(ray) IS 'exact conversion to numeric';
COMMENT ON FUNCTION float8(ray) IS 'the nearest double precision';

CREATE CAST (smallint AS ray) WITH FUNCTION ray(smallint) ;
CREATE CAST (integer AS ray) WITH FUNCTION ray(integer) ;
CREATE CAST (bigint AS ray) WITH FUNCTION ray(bigint) ;
CREATE CAST (numeric AS ray) WITH FUNCTION ray(numeric) AS ASSIGNMENT;
CREATE CAST (double precision AS ray) WITH FUNCTION ray(double precision);
CREATE CAST (ray AS smallint) WITH FUNCTION int2(ray) AS ASSIGNMENT;
CREATE CAST (ray AS integer) WITH FUNCTION int4(ray) AS ASSIGNMENT;
CREATE CAST (ray AS bigint) WITH FUNCTION int8(ray) AS ASSIGNMENT;
CREATE CAST (ray AS numeric) WITH FUNCTION "numeric"(ray) AS ASSIGNMENT;
CREATE CAST (ray AS double precision) WITH FUNCTION float8(ray);

-- aggregates: a 256-bit accumulator shared with the other types
CREATE FUNCTION ray_accum(internal, ray) RETURNS internal
	AS 'MODULE_PATHNAME', 'fixed128_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ray_accum_inv(internal, ray) RETURNS internal
	AS 'MODULE_PATHNAME', 'fixed128_accum_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ray_sum_final(internal) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ray_avg_final(internal) RETURNS ray
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sum(ray) (
	SFUNC = ray_accum, STYPE = internal, SSPACE = 48,
	FINALFUNC = ray_sum_final,
	COMBINEFUNC = fixed128_combine,
	SERIALFUNC = fixed128_serialize, DESERIALFUNC = fixed128_deserialize,
	MSFUNC = ray_accum, MINVFUNC = ray_accum_inv, MSTYPE = internal,
	MSSPACE = 48, MFINALFUNC = ray_sum_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE sum(ray) IS 'exact sum; out of range only if the total is';
CREATE AGGREGATE avg(ray) (
	SFUNC = ray_accum, STYPE = internal, SSPACE = 48,
	FINALFUNC = ray_avg_final,
	COMBINEFUNC = fixed128_combine,
	SERIALFUNC = fixed128_serialize, DESERIALFUNC = fixed128_deserialize,
	MSFUNC = ray_accum, MINVFUNC = ray_accum_inv, MSTYPE = internal,
	MSSPACE = 48, MFINALFUNC = ray_avg_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE avg(ray) IS 'mean rounded half away from zero';
CREATE AGGREGATE min(ray) (
	SFUNC = ray_smaller, STYPE = ray, COMBINEFUNC = ray_smaller,
	SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(ray) IS 'smallest value';
CREATE AGGREGATE max(ray) (
	SFUNC = ray_larger, STYPE = ray, COMBINEFUNC = ray_larger,
	SORTOP = >, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(ray) IS 'largest value';
/*
 * Between wad and ray: an amount scaled by an index (Aave's rayMul and
 * rayDiv with the amount in wad) with its directional variants, and the
 * conversions.  Same-type ray_mul(ray, ray), wad_mul(wad, wad), ... come
 * from the type template.
 */
CREATE FUNCTION ray_mul(wad, ray) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_ray_mul' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_mul(wad, ray) IS 'amount rayMul index, rounded half away from zero (the wad * ray operator)';
CREATE FUNCTION ray_div(wad, ray) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_ray_div' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_div(wad, ray) IS 'amount rayDiv index, rounded half away from zero (the wad / ray operator)';
CREATE FUNCTION ray_mul_floor(wad, ray) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_ray_mul_floor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_mul_floor(wad, ray) IS 'amount rayMul index rounded towards minus infinity';
CREATE FUNCTION ray_mul_ceil(wad, ray) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_ray_mul_ceil' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_mul_ceil(wad, ray) IS 'amount rayMul index rounded towards plus infinity';
CREATE FUNCTION ray_div_floor(wad, ray) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_ray_div_floor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_div_floor(wad, ray) IS 'amount rayDiv index rounded towards minus infinity';
CREATE FUNCTION ray_div_ceil(wad, ray) RETURNS wad
	AS 'MODULE_PATHNAME', 'wad_ray_div_ceil' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray_div_ceil(wad, ray) IS 'amount rayDiv index rounded towards plus infinity';
CREATE FUNCTION ray_wad_mul(ray, wad) RETURNS wad
	AS 'MODULE_PATHNAME', 'ray_wad_mul' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;


COMMENT ON FUNCTION ray_wad_mul(ray, wad) IS 'index rayMul amount, rounded half away from zero (the ray * wad operator)';

CREATE OPERATOR * (LEFTARG = wad, RIGHTARG = ray, PROCEDURE = ray_mul, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = ray, RIGHTARG = wad, PROCEDURE = ray_wad_mul, COMMUTATOR = *);
CREATE OPERATOR / (LEFTARG = wad, RIGHTARG = ray, PROCEDURE = ray_div);

CREATE FUNCTION ray(wad) RETURNS ray
	AS 'MODULE_PATHNAME', 'wad_to_ray' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ray(wad) IS 'wadToRay: exact';
CREATE FUNCTION wad(ray) RETURNS wad
	AS 'MODULE_PATHNAME', 'ray_to_wad' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION wad(ray) IS 'rayToWad: rounded half away from zero';
CREATE CAST (wad AS ray) WITH FUNCTION ray(wad);
CREATE CAST (ray AS wad) WITH FUNCTION wad(ray);
/*
 * The health_factor type: collateral value x liquidation threshold / debt
 * value as a non-negative wad, or infinity when there is no debt.
 * Comparisons, hashing and min/max reuse the shared fixed128_* functions;
 * infinity is the largest raw value.
 */
CREATE TYPE health_factor;

CREATE FUNCTION health_factor_in(cstring) RETURNS health_factor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION health_factor_out(health_factor) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION health_factor_recv(internal) RETURNS health_factor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION health_factor_send(health_factor) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE health_factor (
	INPUT = health_factor_in,
	OUTPUT = health_factor_out,
	RECEIVE = health_factor_recv,
	SEND = health_factor_send,
	INTERNALLENGTH = 16,
	ALIGNMENT = double,
	STORAGE = plain,
	CATEGORY = 'N'
);
COMMENT ON TYPE health_factor IS 'loan health: collateral value x liquidation threshold / debt value, 18 decimal places, or infinity';

CREATE FUNCTION health_factor(collateral_value wad, liquidation_threshold wad,
							  debt_value wad) RETURNS health_factor
	AS 'MODULE_PATHNAME', 'health_factor_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION health_factor(wad, wad, wad) IS
	'wadDivFloor(wadMulFloor(collateral_value, liquidation_threshold), debt_value); infinity without debt';

CREATE FUNCTION health_factor_eq(health_factor, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_ne(health_factor, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_lt(health_factor, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_le(health_factor, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_gt(health_factor, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_ge(health_factor, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME', 'fixed128_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_cmp(health_factor, health_factor) RETURNS integer
	AS 'MODULE_PATHNAME', 'fixed128_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_sortsupport(internal) RETURNS void
	AS 'MODULE_PATHNAME', 'fixed128_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION health_factor_hash(health_factor) RETURNS integer
	AS 'MODULE_PATHNAME', 'fixed128_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_hash_extended(health_factor, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'fixed128_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_smaller(health_factor, health_factor) RETURNS health_factor
	AS 'MODULE_PATHNAME', 'fixed128_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION health_factor_larger(health_factor, health_factor) RETURNS health_factor
	AS 'MODULE_PATHNAME', 'fixed128_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR = (LEFTARG = health_factor, RIGHTARG = health_factor,
	PROCEDURE = health_factor_eq, COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = health_factor, RIGHTARG = health_factor,
	PROCEDURE = health_factor_ne, COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = health_factor, RIGHTARG = health_factor,
	PROCEDURE = health_factor_lt, COMMUTATOR = >, NEGATOR = >=,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = health_factor, RIGHTARG = health_factor,
	PROCEDURE = health_factor_le, COMMUTATOR = >=, NEGATOR = >,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = health_factor, RIGHTARG = health_factor,
	PROCEDURE = health_factor_gt, COMMUTATOR = <, NEGATOR = <=,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = health_factor, RIGHTARG = health_factor,
	PROCEDURE = health_factor_ge, COMMUTATOR = <=, NEGATOR = <,
	RESTRICT = scalargesel, JOIN = scalargejoinsel);

-- exact comparison with numeric, so that "WHERE health_factor < 1" works;
-- leakproof: no error depends on either value (NaN and infinities included)
CREATE FUNCTION health_factor_numeric_eq(health_factor, numeric) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_numeric_ne(health_factor, numeric) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_numeric_lt(health_factor, numeric) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_numeric_le(health_factor, numeric) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_numeric_gt(health_factor, numeric) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_numeric_ge(health_factor, numeric) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION health_factor_numeric_cmp(health_factor, numeric) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION numeric_health_factor_eq(numeric, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION numeric_health_factor_ne(numeric, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION numeric_health_factor_lt(numeric, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION numeric_health_factor_le(numeric, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION numeric_health_factor_gt(numeric, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION numeric_health_factor_ge(numeric, health_factor) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION numeric_health_factor_cmp(numeric, health_factor) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR = (LEFTARG = health_factor, RIGHTARG = numeric,
	PROCEDURE = health_factor_numeric_eq, COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR <> (LEFTARG = health_factor, RIGHTARG = numeric,
	PROCEDURE = health_factor_numeric_ne, COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = health_factor, RIGHTARG = numeric,
	PROCEDURE = health_factor_numeric_lt, COMMUTATOR = >, NEGATOR = >=,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = health_factor, RIGHTARG = numeric,
	PROCEDURE = health_factor_numeric_le, COMMUTATOR = >=, NEGATOR = >,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = health_factor, RIGHTARG = numeric,
	PROCEDURE = health_factor_numeric_gt, COMMUTATOR = <, NEGATOR = <=,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = health_factor, RIGHTARG = numeric,
	PROCEDURE = health_factor_numeric_ge, COMMUTATOR = <=, NEGATOR = <,
	RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR = (LEFTARG = numeric, RIGHTARG = health_factor,
	PROCEDURE = numeric_health_factor_eq, COMMUTATOR = =, NEGATOR = <>,
	RESTRICT = eqsel, JOIN = eqjoinsel);
CREATE OPERATOR <> (LEFTARG = numeric, RIGHTARG = health_factor,
	PROCEDURE = numeric_health_factor_ne, COMMUTATOR = <>, NEGATOR = =,
	RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = numeric, RIGHTARG = health_factor,
	PROCEDURE = numeric_health_factor_lt, COMMUTATOR = >, NEGATOR = >=,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = numeric, RIGHTARG = health_factor,
	PROCEDURE = numeric_health_factor_le, COMMUTATOR = >=, NEGATOR = >,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = numeric, RIGHTARG = health_factor,
	PROCEDURE = numeric_health_factor_gt, COMMUTATOR = <, NEGATOR = <=,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = numeric, RIGHTARG = health_factor,
	PROCEDURE = numeric_health_factor_ge, COMMUTATOR = <=, NEGATOR = <,
	RESTRICT = scalargesel, JOIN = scalargejoinsel);

/*
 * One btree family orders health factors and numerics together: with the
 * cross-type members an index on a health_factor serves "hf < 1", and with
 * numeric's own comparisons the planner can prove "hf < 0.5" implies a
 * partial index's "hf < 1".  The numeric members are numeric's built-in
 * operators added to this family of ours, not the reverse.
 */
CREATE OPERATOR FAMILY health_factor_btree_ops USING btree;
CREATE OPERATOR CLASS health_factor_btree_ops DEFAULT FOR TYPE health_factor
	USING btree FAMILY health_factor_btree_ops AS
	OPERATOR 1 <,
	OPERATOR 2 <=,
	OPERATOR 3 =,
	OPERATOR 4 >=,
	OPERATOR 5 >,
	FUNCTION 1 health_factor_cmp(health_factor, health_factor),
	FUNCTION 2 health_factor_sortsupport(internal);
ALTER OPERATOR FAMILY health_factor_btree_ops USING btree ADD
	OPERATOR 1 < (health_factor, numeric),
	OPERATOR 2 <= (health_factor, numeric),
	OPERATOR 3 = (health_factor, numeric),
	OPERATOR 4 >= (health_factor, numeric),
	OPERATOR 5 > (health_factor, numeric),
	FUNCTION 1 health_factor_numeric_cmp(health_factor, numeric),
	OPERATOR 1 < (numeric, health_factor),
	OPERATOR 2 <= (numeric, health_factor),
	OPERATOR 3 = (numeric, health_factor),
	OPERATOR 4 >= (numeric, health_factor),
	OPERATOR 5 > (numeric, health_factor),
	FUNCTION 1 numeric_health_factor_cmp(numeric, health_factor),
	OPERATOR 1 pg_catalog.< (numeric, numeric),
	OPERATOR 2 pg_catalog.<= (numeric, numeric),
	OPERATOR 3 pg_catalog.= (numeric, numeric),
	OPERATOR 4 pg_catalog.>= (numeric, numeric),
	OPERATOR 5 pg_catalog.> (numeric, numeric),
	FUNCTION 1 pg_catalog.numeric_cmp(numeric, numeric);

CREATE OPERATOR CLASS health_factor_hash_ops DEFAULT FOR TYPE health_factor USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 health_factor_hash(health_factor),
	FUNCTION 2 health_factor_hash_extended(health_factor, bigint);

-- casts
CREATE FUNCTION "numeric"(health_factor) RETURNS numeric
	AS 'MODULE_PATHNAME', 'health_factor_to_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION health_factor(numeric) RETURNS health_factor
	AS 'MODULE_PATHNAME', 'health_factor_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION float8(health_factor) RETURNS double precision
	AS 'MODULE_PATHNAME', 'health_factor_to_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION health_factor(wad) RETURNS health_factor
	AS 'MODULE_PATHNAME', 'health_factor_from_wad' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION wad(health_factor) RETURNS wad
	AS 'MODULE_PATHNAME', 'health_factor_to_wad' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION "numeric"(health_factor) IS 'exact conversion to numeric; infinity becomes Infinity';
COMMENT ON FUNCTION health_factor(numeric) IS 'conversion to health_factor, rounded half away from zero; Infinity becomes infinity';
COMMENT ON FUNCTION float8(health_factor) IS 'the nearest double precision; infinity becomes Infinity';
COMMENT ON FUNCTION health_factor(wad) IS 'a non-negative wad as a health factor';
COMMENT ON FUNCTION wad(health_factor) IS 'a finite health factor as a wad';

CREATE CAST (health_factor AS numeric) WITH FUNCTION "numeric"(health_factor) AS ASSIGNMENT;
CREATE CAST (numeric AS health_factor) WITH FUNCTION health_factor(numeric) AS ASSIGNMENT;
CREATE CAST (health_factor AS double precision) WITH FUNCTION float8(health_factor);
CREATE CAST (wad AS health_factor) WITH FUNCTION health_factor(wad);
CREATE CAST (health_factor AS wad) WITH FUNCTION wad(health_factor);

CREATE AGGREGATE min(health_factor) (
	SFUNC = health_factor_smaller, STYPE = health_factor,
	COMBINEFUNC = health_factor_smaller, SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(health_factor) IS 'smallest value';
CREATE AGGREGATE max(health_factor) (
	SFUNC = health_factor_larger, STYPE = health_factor,
	COMBINEFUNC = health_factor_larger, SORTOP = >, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(health_factor) IS 'largest value';
/*
 * The Xphere schema: the ten tables of the ERD (users, machine_plans,
 * user_machines, transactions, lending_pools, supply_positions,
 * borrow_positions, staking_positions, mining_rewards, refresh_tokens) in
 * PostgreSQL form, plus accounts, balance_history, prices, settings,
 * audit_log and staking_pools.
 *
 * Amounts are wad, indexes and rates ray, times timestamptz.  Every
 * user-owned table carries user_id (the distribution key if the schema is
 * ever spread with Citus).  Money columns are changed only by the API
 * functions; see 45_ledger.sql for the rules that keep them consistent.
 */

-- (xphere.now() is qualified below: pg_catalog comes first while CREATE EXTENSION runs)
CREATE FUNCTION now() RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'xphere_now' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION xphere.now() IS
	'the extension''s clock: xphere.clock when a superuser set it, else the transaction start time';
CREATE FUNCTION current_user_id() RETURNS uuid
	AS 'MODULE_PATHNAME', 'xphere_current_user_id' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION current_user_id() IS
	'the user named by the xphere.user_id setting, or NULL for a trusted backend';
CREATE FUNCTION prorate_floor(amount wad, part bigint, whole bigint) RETURNS wad
	AS 'MODULE_PATHNAME', 'xphere_prorate_floor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prorate_floor(wad, bigint, bigint) IS
	'floor(amount * part / whole), exact: the share of an amount earned over part of a period';

CREATE TYPE currency AS ENUM ('XP', 'USDT');
COMMENT ON TYPE currency IS 'the platform''s currencies';
CREATE TYPE user_role AS ENUM ('USER', 'ADMIN', 'SYSTEM');
COMMENT ON TYPE user_role IS 'USER and ADMIN as in the ERD; SYSTEM owns the house, pool and treasury accounts';
CREATE TYPE machine_status AS ENUM ('ONLINE', 'MAINTENANCE', 'OFFLINE');
COMMENT ON TYPE machine_status IS 'a machine earns only while ONLINE';
CREATE TYPE transaction_type AS ENUM (
	'DEPOSIT', 'WITHDRAWAL', 'PURCHASE', 'MINING_REWARD', 'STAKE', 'UNSTAKE',
	'SUPPLY', 'WITHDRAW_SUPPLY', 'BORROW', 'REPAY', 'SWAP',
	'TRANSFER', 'LIQUIDATION', 'STAKING_REWARD', 'FEE');
COMMENT ON TYPE transaction_type IS 'what a ledger entry records';
CREATE TYPE transaction_status AS ENUM ('PENDING', 'COMPLETED', 'FAILED');
COMMENT ON TYPE transaction_status IS 'only PENDING may change, once, to COMPLETED or FAILED';
CREATE TYPE staking_status AS ENUM ('ACTIVE', 'UNBONDING', 'WITHDRAWN');
COMMENT ON TYPE staking_status IS 'a stake earns while ACTIVE, waits while UNBONDING';
CREATE TYPE position_status AS ENUM ('OPEN', 'CLOSED', 'LIQUIDATED');
COMMENT ON TYPE position_status IS 'state of a lending position';

-- users -------------------------------------------------------------------

CREATE TABLE users (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email			text NOT NULL CHECK (email = lower(email) AND length(email) <= 255),
	password_hash	text NOT NULL,
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	wallet_address	text CHECK (wallet_address ~ '^0x[0-9a-fA-F]{40}$'),
	role			user_role NOT NULL DEFAULT 'USER',
	is_active		boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_wallet_address_idx ON users (wallet_address) WHERE wallet_address IS NOT NULL;
COMMENT ON TABLE users IS 'platform users; emails lower-cased and unique, passwords as bcrypt hashes';
COMMENT ON COLUMN users.password_hash IS 'bcrypt (pgcrypto crypt with a bf salt); never the password';
COMMENT ON COLUMN users.role IS 'SYSTEM rows own the house and pool accounts and cannot log in';

CREATE TABLE refresh_tokens (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	family_id		uuid NOT NULL,
	token_hash		bytea NOT NULL UNIQUE,
	expires_at		timestamptz NOT NULL,
	revoked_at		timestamptz,
	replaced_by		uuid REFERENCES refresh_tokens,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
COMMENT ON TABLE refresh_tokens IS 'refresh tokens by SHA-256; the token itself is returned once and never stored';
COMMENT ON COLUMN refresh_tokens.family_id IS 'the chain of rotations a token belongs to';
COMMENT ON COLUMN refresh_tokens.replaced_by IS 'set when rotated: presenting a rotated token again revokes every token of the user';

-- money -------------------------------------------------------------------

CREATE TABLE accounts (
	user_id			uuid NOT NULL REFERENCES users,
	currency		currency NOT NULL,
	available		wad NOT NULL DEFAULT 0,
	locked			wad NOT NULL DEFAULT 0,
	allow_negative	boolean NOT NULL DEFAULT false,
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	PRIMARY KEY (user_id, currency),
	CHECK (locked >= 0),
	CHECK (available >= 0 OR allow_negative)
);
COMMENT ON TABLE accounts IS 'one balance per user and currency; changed only together with a ledger entry and balance_history';
COMMENT ON COLUMN accounts.available IS 'spendable';
COMMENT ON COLUMN accounts.locked IS 'held for pending withdrawals and as loan collateral';
COMMENT ON COLUMN accounts.allow_negative IS 'true only for the platform''s house accounts, the counterparty of rewards and swaps';

CREATE TABLE transactions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	type			transaction_type NOT NULL,
	amount			wad NOT NULL CHECK (amount >= 0),
	fee				wad NOT NULL DEFAULT 0 CHECK (fee >= 0),
	currency		currency NOT NULL,
	status			transaction_status NOT NULL DEFAULT 'COMPLETED',
	tx_hash			text CHECK (length(tx_hash) <= 66),
	to_address		text,
	metadata		jsonb NOT NULL DEFAULT '{}',
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE UNIQUE INDEX transactions_type_tx_hash_key ON transactions (type, tx_hash) WHERE tx_hash IS NOT NULL;
CREATE INDEX transactions_user_created_idx ON transactions (user_id, created_at);
CREATE INDEX transactions_pending_idx ON transactions (created_at) WHERE status = 'PENDING';
COMMENT ON TABLE transactions IS 'the ledger: append-only, except a PENDING entry becoming COMPLETED or FAILED once';
COMMENT ON COLUMN transactions.amount IS 'the amount moved, excluding the fee';
COMMENT ON COLUMN transactions.tx_hash IS 'chain transaction hash: unique per type; a deposit''s makes it idempotent';

CREATE TABLE balance_history (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id			uuid NOT NULL,
	currency		currency NOT NULL,
	transaction_id	uuid NOT NULL REFERENCES transactions,
	available_before wad NOT NULL,
	available_change wad NOT NULL,
	available_after	wad NOT NULL,
	locked_before	wad NOT NULL,
	locked_change	wad NOT NULL,
	locked_after	wad NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	FOREIGN KEY (user_id, currency) REFERENCES accounts,
	CHECK (available_after = available_before + available_change),
	CHECK (locked_after = locked_before + locked_change)
);
CREATE INDEX balance_history_account_idx ON balance_history (user_id, currency, id);
CREATE INDEX balance_history_transaction_idx ON balance_history (transaction_id);
COMMENT ON TABLE balance_history IS 'every change of every account, with its before and after values; append-only';

CREATE TABLE prices (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	asset			text NOT NULL CHECK (asset IN ('XP', 'USDT')),
	price_usdt		wad NOT NULL CHECK (price_usdt > 0),
	source			text NOT NULL DEFAULT 'manual' CHECK (length(source) BETWEEN 1 AND 100),
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX prices_asset_created_idx ON prices (asset, created_at DESC, id DESC);
COMMENT ON TABLE prices IS 'price history in USDT, the oracle: the latest row per asset is its price; USDT is always 1';

CREATE TABLE settings (
	key				text PRIMARY KEY,
	value			text NOT NULL,
	kind			text NOT NULL CHECK (kind IN ('wad', 'bps', 'interval', 'integer')),
	description		text NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
COMMENT ON TABLE settings IS 'platform settings, typed and validated by set_setting()';

CREATE TABLE audit_log (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	actor			text NOT NULL DEFAULT session_user,
	action			text NOT NULL,
	object_type		text NOT NULL,
	object_id		text NOT NULL,
	old_value		jsonb,
	new_value		jsonb,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, id);
COMMENT ON TABLE audit_log IS 'every administrative change with its old and new values; append-only';

-- mining ------------------------------------------------------------------

CREATE TABLE machine_plans (
	id				text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	machine_name	text NOT NULL CHECK (length(machine_name) BETWEEN 1 AND 100),
	price_usdt		wad NOT NULL CHECK (price_usdt > 0),
	hashrate		text NOT NULL CHECK (length(hashrate) BETWEEN 1 AND 50),
	daily_return_xp	wad NOT NULL CHECK (daily_return_xp >= 0),
	description		text CHECK (length(description) <= 1000),
	image_url		text CHECK (length(image_url) <= 1000),
	is_active		boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
COMMENT ON TABLE machine_plans IS 'cloud-mining machines for sale';

CREATE TABLE user_machines (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	plan_id			text NOT NULL REFERENCES machine_plans,
	status			machine_status NOT NULL DEFAULT 'ONLINE',
	daily_return_xp	wad NOT NULL,
	purchase_date	timestamptz NOT NULL,
	online_since	timestamptz,
	online_us_before bigint NOT NULL DEFAULT 0 CHECK (online_us_before >= 0),
	status_changed_at timestamptz NOT NULL,
	paid_xp			wad NOT NULL DEFAULT 0,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	CHECK ((status = 'ONLINE') = (online_since IS NOT NULL))
);
CREATE INDEX user_machines_user_idx ON user_machines (user_id);
CREATE INDEX user_machines_plan_idx ON user_machines (plan_id);
COMMENT ON TABLE user_machines IS 'machines owned by users; rewards are computed from online time, not stored per tick';
COMMENT ON COLUMN user_machines.daily_return_xp IS 'the plan''s daily return when bought';
COMMENT ON COLUMN user_machines.online_since IS 'start of the current ONLINE period, NULL while paused';
COMMENT ON COLUMN user_machines.online_us_before IS 'microseconds ONLINE before online_since';
COMMENT ON COLUMN user_machines.paid_xp IS 'XP already distributed for this machine';

CREATE TABLE mining_rewards (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	machine_id		uuid NOT NULL REFERENCES user_machines,
	amount			wad NOT NULL CHECK (amount > 0),
	calculated_at	timestamptz NOT NULL,
	distributed		boolean NOT NULL DEFAULT true,
	distribution_tx	uuid REFERENCES transactions
);
CREATE INDEX mining_rewards_user_idx ON mining_rewards (user_id, calculated_at);
CREATE INDEX mining_rewards_machine_idx ON mining_rewards (machine_id);
COMMENT ON TABLE mining_rewards IS 'one row per machine per distribution';

-- lending -----------------------------------------------------------------

CREATE TABLE lending_pools (
	id				text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	asset			currency NOT NULL UNIQUE,
	total_supplied	wad NOT NULL DEFAULT 0,
	total_borrowed	wad NOT NULL DEFAULT 0,
	scaled_supplied	wad NOT NULL DEFAULT 0,
	scaled_borrowed	wad NOT NULL DEFAULT 0,
	cash			wad NOT NULL DEFAULT 0,
	treasury_scaled	wad NOT NULL DEFAULT 0,
	deficit			wad NOT NULL DEFAULT 0,
	liquidity_index	ray NOT NULL DEFAULT '1',
	borrow_index	ray NOT NULL DEFAULT '1',
	liquidity_rate	ray NOT NULL DEFAULT '0',
	borrow_rate		ray NOT NULL DEFAULT '0',
	supply_apy		numeric NOT NULL DEFAULT 0,
	borrow_apy		numeric NOT NULL DEFAULT 0,
	ltv_ratio		numeric(5,4) NOT NULL DEFAULT 0.7500,
	liquidation_threshold numeric(5,4) NOT NULL DEFAULT 0.8000,
	liquidation_bonus numeric(5,4) NOT NULL DEFAULT 0.0500,
	reserve_factor	numeric(5,4) NOT NULL DEFAULT 0.1000,
	base_rate		ray NOT NULL DEFAULT '0',
	slope1			ray NOT NULL DEFAULT '0.04',
	slope2			ray NOT NULL DEFAULT '0.75',
	optimal_utilization ray NOT NULL DEFAULT '0.80',
	close_factor_min_base wad NOT NULL DEFAULT 2000,
	min_leftover_base wad NOT NULL DEFAULT 1000,
	is_active		boolean NOT NULL DEFAULT true,
	last_update		timestamptz NOT NULL DEFAULT xphere.now(),
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
COMMENT ON TABLE lending_pools IS 'one lending pool per asset, Aave V3 style: scaled balances and indexes';
COMMENT ON COLUMN lending_pools.supply_apy IS 'current supply rate, percent per year';
COMMENT ON COLUMN lending_pools.borrow_apy IS 'current borrow rate, percent per year';
COMMENT ON COLUMN lending_pools.deficit IS 'bad debt written off';

CREATE TABLE supply_positions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	pool_id			text NOT NULL REFERENCES lending_pools,
	scaled_amount	wad NOT NULL DEFAULT 0 CHECK (scaled_amount >= 0),
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	UNIQUE (user_id, pool_id)
);
COMMENT ON TABLE supply_positions IS 'a user''s supply to a pool, as a scaled balance';

CREATE TABLE borrow_positions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	pool_id			text NOT NULL REFERENCES lending_pools,
	borrowed_amount	wad NOT NULL DEFAULT 0,
	scaled_debt		wad NOT NULL DEFAULT 0 CHECK (scaled_debt >= 0),
	collateral_asset currency NOT NULL,
	collateral_amount wad NOT NULL DEFAULT 0 CHECK (collateral_amount >= 0),
	health_factor	health_factor NOT NULL DEFAULT 'infinity',
	liquidation_price wad,
	status			position_status NOT NULL DEFAULT 'OPEN',
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX borrow_positions_user_idx ON borrow_positions (user_id);
CREATE INDEX borrow_positions_at_risk_idx ON borrow_positions (health_factor) WHERE health_factor < 1;
COMMENT ON TABLE borrow_positions IS 'loans against one collateral asset each, as a scaled debt';
COMMENT ON COLUMN borrow_positions.borrowed_amount IS 'principal borrowed, for display; the debt is scaled_debt x borrow index';
COMMENT ON COLUMN borrow_positions.health_factor IS 'stored health factor, refreshed on every change and for positions at risk';

-- staking -----------------------------------------------------------------

CREATE TABLE staking_pools (
	id				text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	name			text NOT NULL,
	min_stake		wad NOT NULL CHECK (min_stake > 0),
	apy				ray NOT NULL CHECK (apy >= '0'),
	lock_period		interval NOT NULL CHECK (lock_period >= '0'),
	reward_index	ray NOT NULL DEFAULT '0',
	index_updated_at timestamptz NOT NULL DEFAULT xphere.now(),
	total_staked	wad NOT NULL DEFAULT 0,
	is_active		boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
COMMENT ON TABLE staking_pools IS 'staking tiers: minimum stake, APY and lock period';

CREATE TABLE staking_positions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	staking_pool	text NOT NULL REFERENCES staking_pools,
	amount			wad NOT NULL CHECK (amount > 0),
	start_date		timestamptz NOT NULL,
	unlock_date		timestamptz,
	index_at_entry	ray NOT NULL,
	accumulated_rewards wad NOT NULL DEFAULT 0,
	claimed_rewards	wad NOT NULL DEFAULT 0,
	status			staking_status NOT NULL DEFAULT 'ACTIVE',
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX staking_positions_user_idx ON staking_positions (user_id);
COMMENT ON TABLE staking_positions IS 'XP staked in a tier';

-- updated_at --------------------------------------------------------------

CREATE FUNCTION touch_updated_at() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	/* an update made by a trigger (a restore merging a seeded row) keeps its value */
	IF pg_trigger_depth() = 1 THEN
		NEW.updated_at := xphere.now();
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION touch_updated_at() IS 'trigger: keeps updated_at current';

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'accounts', 'transactions', 'settings',
		'machine_plans', 'user_machines', 'lending_pools', 'supply_positions',
		'borrow_positions', 'staking_pools', 'staking_positions']
	LOOP
		/*
		 * An UPDATE that sets updated_at itself (the API's frequent ones
		 * do) skips the trigger: the condition is checked without calling
		 * a function.
		 */
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON xphere.%I
			FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
			EXECUTE FUNCTION xphere.touch_updated_at()',
			t || '_updated_at', t);
	END LOOP;
END $$;
/*
 * The ledger's rules.
 *
 * - Every balance change goes through xphere.post(): it locks the account
 *   row, refuses to overdraw it (XP001) unless it is a house account, and
 *   writes the balance_history row with before, change and after, all in
 *   the caller's transaction.
 * - Multi-account operations first lock every account they touch with
 *   lock_accounts(), in one global order (user_id, currency), so two
 *   operations never wait for each other in opposite orders.
 * - transactions, balance_history and audit_log are append-only: UPDATE,
 *   DELETE and TRUNCATE raise 42501, except a PENDING transaction turning
 *   COMPLETED or FAILED once (with its tx_hash and metadata).
 * - The house account of each currency (owned by the SYSTEM user
 *   00000000-0000-0000-0000-000000000000) is the counterparty of rewards,
 *   purchases and swaps and collects fees; it alone may go below zero.
 */

CREATE FUNCTION house_id() RETURNS uuid
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN '00000000-0000-0000-0000-000000000000'::uuid;
COMMENT ON FUNCTION house_id() IS 'owner of the platform''s house accounts';

/* the house user; its accounts are created on first use, like any other */
INSERT INTO users (id, email, password_hash, name, role, is_active)
VALUES (house_id(), 'house@xphere.invalid', '!', 'Xphere house', 'SYSTEM', false);

-- argument checks shared by the API ------------------------------------------

CREATE FUNCTION raise_null(arg text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION 'argument "%" must not be null', arg USING ERRCODE = '22004';
END $$;
COMMENT ON FUNCTION raise_null(text) IS 'raises 22004 for a NULL required argument';

CREATE FUNCTION check_amount(amount wad, arg text DEFAULT 'amount') RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	IF amount IS NULL THEN
		PERFORM xphere.raise_null(arg);
	END IF;
	IF amount <= 0 THEN
		RAISE EXCEPTION '% must be positive', arg USING ERRCODE = '22023',
			DETAIL = format('The value given was %s.', amount);
	END IF;
END $$;
COMMENT ON FUNCTION check_amount(wad, text) IS 'raises 22004 for NULL and 22023 for an amount <= 0';

CREATE FUNCTION check_text(val text, arg text, max_len integer) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF val IS NULL THEN
		PERFORM xphere.raise_null(arg);
	END IF;
	IF length(val) > max_len THEN
		RAISE EXCEPTION '% is too long', arg USING ERRCODE = '22023',
			DETAIL = format('At most %s characters are allowed, %s were given.',
							max_len, length(val));
	END IF;
END $$;
COMMENT ON FUNCTION check_text(text, text, integer) IS 'raises 22004 for NULL and 22023 for text over max_len characters';

CREATE FUNCTION check_address(addr text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF addr IS NULL THEN
		PERFORM xphere.raise_null('to_address');
	END IF;
	IF addr !~ '^0x[0-9a-fA-F]{40}$' THEN
		RAISE EXCEPTION 'invalid address "%"', left(addr, 100) USING ERRCODE = '22023',
			HINT = 'An address is 0x followed by 40 hexadecimal digits.';
	END IF;
END $$;
COMMENT ON FUNCTION check_address(text) IS 'raises 22023 unless the text is 0x and 40 hex digits';

/* P0002 unless p_user is a platform user (SYSTEM users do not count) */
CREATE FUNCTION require_user(p_user uuid) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM xphere.users u WHERE u.id = p_user AND u.role <> 'SYSTEM') THEN
		RAISE EXCEPTION 'user % does not exist', p_user USING ERRCODE = 'P0002';
	END IF;
END $$;
COMMENT ON FUNCTION require_user(uuid) IS 'P0002 unless the user exists (SYSTEM users do not count)';

/*
 * The user must exist (P0002) and, when the session acts for a user
 * (xphere.user_id), be that user (42501).  Returns nothing; SYSTEM users do
 * not count as existing for the API.
 */
CREATE FUNCTION authorize_user(p_user uuid, arg text DEFAULT 'user_id') RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF p_user IS NULL THEN
		PERFORM xphere.raise_null(arg);
	END IF;
	PERFORM xphere.require_user(p_user);
	PERFORM xphere.authorize_acting(p_user);
END $$;
COMMENT ON FUNCTION authorize_user(uuid, text) IS 'P0002 if the user does not exist, 42501 if the session acts for another user';

/* 42501 when the session acts for a user other than p_user (who may be a SYSTEM user) */
CREATE FUNCTION authorize_acting(p_user uuid) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	acting uuid := xphere.current_user_id();
BEGIN
	IF acting IS NOT NULL AND acting IS DISTINCT FROM p_user THEN
		RAISE EXCEPTION 'permission denied to act for user %', p_user USING ERRCODE = '42501',
			DETAIL = format('This session acts for user %s (xphere.user_id).', acting);
	END IF;
END $$;
COMMENT ON FUNCTION authorize_acting(uuid) IS '42501 if the session acts for another user';

/*
 * The time of an action on something last changed at t_last.  A clock
 * fixed earlier than that (xphere.clock) is a caller's mistake: 22023.
 * With the real clock, a transaction that started before a concurrent one
 * committed a later change simply acts at that change's time.
 */
CREATE FUNCTION not_before(t_last timestamptz, what text) RETURNS timestamptz
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t timestamptz := xphere.now();
BEGIN
	IF t_last IS NULL OR t >= t_last THEN
		RETURN t;
	END IF;
	IF coalesce(current_setting('xphere.clock', true), '') <> '' THEN
		RAISE EXCEPTION 'time runs backwards for %', what USING ERRCODE = '22023',
			DETAIL = format('It last changed at %s, xphere.clock says %s.', t_last, t);
	END IF;
	RETURN t_last;
END $$;
COMMENT ON FUNCTION not_before(timestamptz, text) IS
	'xphere.now(), or t_last if a concurrent change is later; 22023 if a fixed clock is earlier';

-- settings ------------------------------------------------------------------

INSERT INTO settings (key, value, kind, description) VALUES
	('withdrawal_fee_xp', '0.5', 'wad', 'fee of an XP withdrawal, in XP'),
	('withdrawal_fee_usdt', '1', 'wad', 'fee of a USDT withdrawal, in USDT'),
	('swap_fee_bps', '30', 'bps', 'fee of a swap, basis points of the amount'),
	('price_max_age', '1 hour', 'interval', 'a price older than this is stale'),
	('unbonding_period', '7 days', 'interval', 'wait between unstake and withdrawal'),
	('distribution_interval', '1 day', 'interval', 'tick() distributes mining rewards this often'),
	('password_hash_cost', '10', 'integer', 'bcrypt cost of new password hashes (4-15)');

/*
 * Small lookups the API makes on every call are PL/pgSQL rather than SQL
 * functions: a SQL function whose body holds a subquery cannot be inlined,
 * and is then parsed and planned again in every transaction that calls
 * it, while PL/pgSQL keeps its plans for the session.
 */
CREATE FUNCTION setting(p_key text) RETURNS text
	LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT s.value FROM xphere.settings s WHERE s.key = p_key);
END $$;
COMMENT ON FUNCTION setting(text) IS 'the value of a setting as text';

-- posting -------------------------------------------------------------------

/*
 * Lock the accounts of the given users in one currency each (pairs by
 * position), in the global order, creating missing ones.
 */
CREATE FUNCTION lock_accounts(p_users uuid[], p_currencies currency[]) RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	ord integer[] := '{}';
	i integer;
	j integer;
	u uuid;
	c xphere.currency;
BEGIN
	/*
	 * Sort the (user, currency) pairs in memory (there are one to four),
	 * then lock one row at a time with a statement whose plan is cached:
	 * one query over unnest() would be planned afresh on every call.
	 */
	FOR i IN 1 .. coalesce(cardinality(p_users), 0) LOOP
		j := cardinality(ord);
		WHILE j >= 1 AND (p_users[ord[j]], p_currencies[ord[j]]) > (p_users[i], p_currencies[i]) LOOP
			j := j - 1;
		END LOOP;
		ord := ord[1:j] || i || ord[j + 1:];
	END LOOP;
	FOREACH i IN ARRAY ord LOOP
		u := p_users[i];
		c := p_currencies[i];
		PERFORM 1 FROM xphere.accounts a WHERE a.user_id = u AND a.currency = c FOR UPDATE;
		IF NOT FOUND THEN
			INSERT INTO xphere.accounts (user_id, currency, allow_negative)
			VALUES (u, c, u = xphere.house_id())
			ON CONFLICT DO NOTHING;
			PERFORM 1 FROM xphere.accounts a WHERE a.user_id = u AND a.currency = c FOR UPDATE;
		END IF;
	END LOOP;
END $$;
COMMENT ON FUNCTION lock_accounts(uuid[], currency[]) IS 'locks accounts in the global (user_id, currency) order';

/*
 * Apply a change to one account and record it.  The caller has locked the
 * account (lock_accounts) when the operation touches several.
 */
CREATE FUNCTION post(p_user uuid, p_currency currency, p_available wad,
					 p_locked wad, p_tx uuid) RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	a xphere.accounts;
BEGIN
	/*
	 * One statement in the usual case: the update refuses to overdraw
	 * (waiting for, then re-checking, a row another transaction holds),
	 * and the history row is written from what it returns.
	 */
	WITH changed AS (
		UPDATE xphere.accounts x SET available = x.available + p_available,
			locked = x.locked + p_locked, updated_at = xphere.now()
		WHERE x.user_id = p_user AND x.currency = p_currency
		  AND (x.available + p_available >= 0 OR x.allow_negative)
		  AND x.locked + p_locked >= 0
		RETURNING x.available, x.locked)
	INSERT INTO xphere.balance_history (user_id, currency, transaction_id,
		available_before, available_change, available_after,
		locked_before, locked_change, locked_after)
	SELECT p_user, p_currency, p_tx,
		changed.available - p_available, p_available, changed.available,
		changed.locked - p_locked, p_locked, changed.locked
	FROM changed;
	IF NOT FOUND THEN
		SELECT * INTO a FROM xphere.accounts x
		WHERE x.user_id = p_user AND x.currency = p_currency FOR UPDATE;
		IF FOUND THEN
			RAISE EXCEPTION 'insufficient balance' USING ERRCODE = 'XP001',
				DETAIL = format('%s available, %s locked in %s; the change needs %s available, %s locked.',
								a.available, a.locked, p_currency, -p_available, -p_locked);
		END IF;
		/* a first movement in this currency: open the account, then post */
		INSERT INTO xphere.accounts (user_id, currency, allow_negative)
		VALUES (p_user, p_currency, p_user = xphere.house_id())
		ON CONFLICT DO NOTHING;
		PERFORM xphere.post(p_user, p_currency, p_available, p_locked, p_tx);
	END IF;
END $$;
COMMENT ON FUNCTION post(uuid, currency, wad, wad, uuid) IS
	'changes one account by (available, locked) for a ledger entry, with its balance_history row; XP001 if it would overdraw';

-- append-only -----------------------------------------------------------------

CREATE FUNCTION forbid_change() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501',
		DETAIL = format('%s on %s is not allowed.', TG_OP, TG_TABLE_NAME);
END $$;
COMMENT ON FUNCTION forbid_change() IS 'trigger: rejects UPDATE, DELETE and TRUNCATE of append-only tables';

CREATE FUNCTION check_transaction_update() RETURNS trigger
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	IF OLD.status = 'PENDING' AND NEW.status IN ('COMPLETED', 'FAILED')
		AND (NEW.id, NEW.user_id, NEW.type, NEW.amount, NEW.fee, NEW.currency,
			 NEW.to_address, NEW.created_at)
			IS NOT DISTINCT FROM
			(OLD.id, OLD.user_id, OLD.type, OLD.amount, OLD.fee, OLD.currency,
			 OLD.to_address, OLD.created_at)
		AND (OLD.tx_hash IS NULL OR NEW.tx_hash IS NOT DISTINCT FROM OLD.tx_hash)
	THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'transactions is append-only' USING ERRCODE = '42501',
		DETAIL = 'Only a PENDING entry may change, once, to COMPLETED or FAILED.';
END $$;
COMMENT ON FUNCTION check_transaction_update() IS
	'trigger: allows only PENDING -> COMPLETED/FAILED (with tx_hash and metadata) on transactions';

CREATE TRIGGER transactions_append_only BEFORE UPDATE ON transactions
	FOR EACH ROW EXECUTE FUNCTION check_transaction_update();
CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER transactions_no_truncate BEFORE TRUNCATE ON transactions
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER balance_history_append_only BEFORE UPDATE OR DELETE ON balance_history
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER balance_history_no_truncate BEFORE TRUNCATE ON balance_history
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER mining_rewards_append_only BEFORE UPDATE OR DELETE ON mining_rewards
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER mining_rewards_no_truncate BEFORE TRUNCATE ON mining_rewards
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER prices_append_only BEFORE UPDATE OR DELETE ON prices
	FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER prices_no_truncate BEFORE TRUNCATE ON prices
	FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

/* a ledger entry; returns its id (PL/pgSQL, so its plan is cached per session) */
CREATE FUNCTION new_transaction(p_user uuid, p_type transaction_type, p_amount wad,
		p_currency currency, p_status transaction_status DEFAULT 'COMPLETED',
		p_fee wad DEFAULT 0, p_metadata jsonb DEFAULT '{}',
		p_tx_hash text DEFAULT NULL, p_to_address text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_id uuid;
BEGIN
	INSERT INTO xphere.transactions (user_id, type, amount, fee, currency, status,
		metadata, tx_hash, to_address)
	VALUES (p_user, p_type, p_amount, p_fee, p_currency, p_status, p_metadata,
		p_tx_hash, p_to_address)
	RETURNING id INTO v_id;
	RETURN v_id;
END $$;
COMMENT ON FUNCTION new_transaction(uuid, transaction_type, wad, currency, transaction_status, wad, jsonb, text, text) IS
	'writes one ledger entry and returns its id';

CREATE FUNCTION audit(p_action text, p_object_type text, p_object_id text,
					  p_old jsonb, p_new jsonb) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO xphere.audit_log (action, object_type, object_id, old_value, new_value)
	VALUES (p_action, p_object_type, p_object_id, p_old, p_new);
END $$;
COMMENT ON FUNCTION audit(text, text, text, jsonb, jsonb) IS 'appends one audit_log row';
/*
 * Users and refresh tokens.
 *
 * Passwords are stored as bcrypt hashes through pgcrypto, which the
 * extension requires.  pgcrypto may live in any schema, so the two small
 * wrappers below are created with that schema written into their bodies
 * (found at install time) instead of relying on a search_path.
 *
 * A refresh token is 32 random bytes, returned once as hex; only its
 * SHA-256 is stored.  Rotation replaces a token by a new one of the same
 * family and lifetime; presenting an already rotated token again means it
 * was stolen or replayed, so every token of the user is revoked (the call
 * returns NULL instead of raising, so that the revocation commits).
 */

DO $$
DECLARE
	s text := (SELECT n.nspname FROM pg_catalog.pg_extension e
			   JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
			   WHERE e.extname = 'pgcrypto');
BEGIN
	EXECUTE format($f$
		CREATE FUNCTION xphere.bcrypt_hash(password text, cost integer) RETURNS text
			LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
			RETURN %1$I.crypt(password, %1$I.gen_salt('bf', cost))$f$, s);
	EXECUTE format($f$
		CREATE FUNCTION xphere.bcrypt_check(password text, hash text) RETURNS boolean
			LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
			RETURN %1$I.crypt(password, hash) = hash$f$, s);
	EXECUTE format($f$
		CREATE FUNCTION xphere.random_token() RETURNS text
			LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
			RETURN encode(%1$I.gen_random_bytes(32), 'hex')$f$, s);
END $$;
COMMENT ON FUNCTION bcrypt_hash(text, integer) IS 'bcrypt hash of a password (pgcrypto)';
COMMENT ON FUNCTION bcrypt_check(text, text) IS 'whether a password matches a bcrypt hash (pgcrypto)';
COMMENT ON FUNCTION random_token() IS '32 random bytes as hex (pgcrypto)';

CREATE FUNCTION token_digest(token text) RETURNS bytea
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN sha256(convert_to(token, 'UTF8'));
COMMENT ON FUNCTION token_digest(text) IS 'the stored form of a refresh token: its SHA-256';

CREATE FUNCTION register_user(email text, password text, name text,
							  wallet_address text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_email text := lower(btrim(email));
	v_id uuid;
BEGIN
	PERFORM xphere.check_text(email, 'email', 255);
	PERFORM xphere.check_text(password, 'password', 200);
	PERFORM xphere.check_text(name, 'name', 100);
	IF v_email !~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$' THEN
		RAISE EXCEPTION 'invalid email address "%"', left(email, 255) USING ERRCODE = '22023';
	END IF;
	IF length(password) < 8 THEN
		RAISE EXCEPTION 'password is too short' USING ERRCODE = '22023',
			DETAIL = 'A password has 8 to 200 characters.';
	END IF;
	IF length(btrim(name)) = 0 THEN
		RAISE EXCEPTION 'name must not be empty' USING ERRCODE = '22023';
	END IF;
	IF wallet_address IS NOT NULL AND wallet_address !~ '^0x[0-9a-fA-F]{40}$' THEN
		RAISE EXCEPTION 'invalid wallet address "%"', left(wallet_address, 100) USING ERRCODE = '22023',
			HINT = 'An address is 0x followed by 40 hexadecimal digits.';
	END IF;
	IF EXISTS (SELECT 1 FROM xphere.users u WHERE u.email = v_email) THEN
		RAISE EXCEPTION 'email "%" is already registered', v_email USING ERRCODE = '23505';
	END IF;

	INSERT INTO xphere.users (email, password_hash, name, wallet_address)
	VALUES (v_email,
			xphere.bcrypt_hash(password, xphere.setting('password_hash_cost')::integer),
			btrim(name), wallet_address)
	RETURNING id INTO v_id;
	INSERT INTO xphere.accounts (user_id, currency) VALUES (v_id, 'XP'), (v_id, 'USDT');
	RETURN v_id;
EXCEPTION
	WHEN unique_violation THEN
		RAISE EXCEPTION 'email "%" is already registered', v_email USING ERRCODE = '23505';
END $$;
COMMENT ON FUNCTION register_user(text, text, text, text) IS
	'creates a user (email lower-cased, password bcrypt-hashed) and its accounts; 23505 for a taken email';

CREATE FUNCTION authenticate(email text, password text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	u xphere.users;
BEGIN
	PERFORM xphere.check_text(email, 'email', 255);
	PERFORM xphere.check_text(password, 'password', 200);
	SELECT * INTO u FROM xphere.users x
	WHERE x.email = lower(btrim(authenticate.email)) AND x.role <> 'SYSTEM';
	IF u.id IS NULL THEN
		/* hash anyway, so the time taken does not tell that the email is unknown */
		PERFORM xphere.bcrypt_hash(password, xphere.setting('password_hash_cost')::integer);
		RAISE EXCEPTION 'invalid email or password' USING ERRCODE = '28P01';
	END IF;
	IF NOT xphere.bcrypt_check(password, u.password_hash) OR NOT u.is_active THEN
		RAISE EXCEPTION 'invalid email or password' USING ERRCODE = '28P01';
	END IF;
	RETURN u.id;
END $$;
COMMENT ON FUNCTION authenticate(text, text) IS 'the user id for a correct email and password; 28P01 otherwise';

CREATE FUNCTION issue_refresh_token(user_id uuid, ttl interval DEFAULT '30 days') RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_token text := xphere.random_token();
BEGIN
	IF user_id IS NULL THEN
		PERFORM xphere.raise_null('user_id');
	END IF;
	IF ttl IS NULL THEN
		PERFORM xphere.raise_null('ttl');
	END IF;
	IF ttl <= interval '0' OR ttl > interval '366 days' THEN
		RAISE EXCEPTION 'ttl must be positive and at most 366 days' USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_user(user_id);
	INSERT INTO xphere.refresh_tokens (user_id, family_id, token_hash, expires_at)
	VALUES (issue_refresh_token.user_id, gen_random_uuid(), xphere.token_digest(v_token),
			xphere.now() + ttl);
	RETURN v_token;
END $$;
COMMENT ON FUNCTION issue_refresh_token(uuid, interval) IS
	'a new refresh token (returned once, stored as SHA-256) valid for ttl';

CREATE FUNCTION rotate_refresh_token(token text) RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	t xphere.refresh_tokens;
	v_new text;
	v_new_id uuid;
BEGIN
	PERFORM xphere.check_text(token, 'token', 200);
	SELECT * INTO t FROM xphere.refresh_tokens r
	WHERE r.token_hash = xphere.token_digest(token) FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'invalid refresh token' USING ERRCODE = '28P01';
	END IF;
	PERFORM xphere.authorize_user(t.user_id);
	IF t.replaced_by IS NOT NULL THEN
		/* a rotated token came back: the family is compromised */
		UPDATE xphere.refresh_tokens SET revoked_at = xphere.now()
		WHERE user_id = t.user_id AND revoked_at IS NULL;
		RETURN NULL;
	END IF;
	IF t.revoked_at IS NOT NULL OR t.expires_at <= xphere.now() THEN
		RAISE EXCEPTION 'invalid refresh token' USING ERRCODE = '28P01';
	END IF;

	v_new := xphere.random_token();
	INSERT INTO xphere.refresh_tokens (user_id, family_id, token_hash, expires_at)
	VALUES (t.user_id, t.family_id, xphere.token_digest(v_new),
			xphere.now() + (t.expires_at - t.created_at))
	RETURNING id INTO v_new_id;
	UPDATE xphere.refresh_tokens SET revoked_at = xphere.now(), replaced_by = v_new_id
	WHERE id = t.id;
	RETURN v_new;
END $$;
COMMENT ON FUNCTION rotate_refresh_token(text) IS
	'exchanges a live token for a new one; a rotated token presented again revokes all the user''s tokens and returns NULL';

CREATE FUNCTION revoke_refresh_tokens(user_id uuid) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	n integer;
BEGIN
	PERFORM xphere.authorize_user(user_id);
	UPDATE xphere.refresh_tokens r SET revoked_at = xphere.now()
	WHERE r.user_id = revoke_refresh_tokens.user_id AND r.revoked_at IS NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
COMMENT ON FUNCTION revoke_refresh_tokens(uuid) IS 'revokes every live token of the user; returns how many';
/*
 * Wallet: deposits, withdrawals, transfers and balances.
 *
 * Money enters only through deposit() and leaves only through a completed
 * withdrawal; everything else moves it between accounts.  A withdrawal
 * locks amount + fee when requested; completion removes the amount from
 * the platform and gives the fee to the house, failure unlocks both.
 */

CREATE FUNCTION deposit(user_id uuid, currency currency, amount wad, tx_hash text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_id uuid;
	prior xphere.transactions;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF currency IS NULL THEN PERFORM xphere.raise_null('currency'); END IF;
	PERFORM xphere.check_amount(amount);
	PERFORM xphere.check_text(tx_hash, 'tx_hash', 66);
	IF length(btrim(tx_hash)) = 0 THEN
		RAISE EXCEPTION 'tx_hash must not be empty' USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_user(user_id);

	/* the unique (type, tx_hash) index makes a concurrent replay wait, then conflict */
	INSERT INTO xphere.transactions (user_id, type, amount, currency, tx_hash)
	VALUES (deposit.user_id, 'DEPOSIT', amount, deposit.currency, deposit.tx_hash)
	ON CONFLICT (type, tx_hash) WHERE tx_hash IS NOT NULL DO NOTHING
	RETURNING id INTO v_id;
	IF v_id IS NULL THEN
		SELECT * INTO STRICT prior FROM xphere.transactions t
		WHERE t.type = 'DEPOSIT' AND t.tx_hash = deposit.tx_hash;
		IF prior.user_id = deposit.user_id AND prior.currency = deposit.currency
			AND prior.amount = amount THEN
			RETURN prior.id;
		END IF;
		RAISE EXCEPTION 'deposit % was already recorded with other details', tx_hash
			USING ERRCODE = '23505',
			DETAIL = format('Recorded as %s %s for user %s.', prior.amount, prior.currency, prior.user_id);
	END IF;
	PERFORM xphere.post(deposit.user_id, deposit.currency, amount, 0, v_id);
	RETURN v_id;
END $$;
COMMENT ON FUNCTION deposit(uuid, currency, wad, text) IS
	'credits an on-chain deposit; idempotent on tx_hash (a replay returns the first id, a conflicting one is 23505)';

CREATE FUNCTION withdrawal_fee(p_currency currency) RETURNS wad
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	RETURN xphere.setting(CASE p_currency WHEN 'XP' THEN 'withdrawal_fee_xp'
										ELSE 'withdrawal_fee_usdt' END)::xphere.wad;
END $$;
COMMENT ON FUNCTION withdrawal_fee(currency) IS 'the withdrawal fee of a currency, from settings';

CREATE FUNCTION request_withdrawal(user_id uuid, currency currency, amount wad,
								   to_address text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_fee xphere.wad;
	v_id uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF currency IS NULL THEN PERFORM xphere.raise_null('currency'); END IF;
	PERFORM xphere.check_amount(amount);
	PERFORM xphere.check_address(to_address);
	PERFORM xphere.authorize_user(user_id);

	v_fee := xphere.withdrawal_fee(currency);
	v_id := xphere.new_transaction(user_id, 'WITHDRAWAL', amount, currency,
								   'PENDING', v_fee, '{}', NULL, to_address);
	PERFORM xphere.post(user_id, currency, -(amount + v_fee), amount + v_fee, v_id);
	RETURN v_id;
END $$;
COMMENT ON FUNCTION request_withdrawal(uuid, currency, wad, text) IS
	'a PENDING withdrawal: amount + fee move from available to locked; XP001 if not enough';

/* the PENDING withdrawal, locked; P0002 or XP006 otherwise */
CREATE FUNCTION pending_withdrawal(p_id uuid) RETURNS transactions
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t xphere.transactions;
BEGIN
	SELECT * INTO t FROM xphere.transactions WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'transaction % does not exist', p_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_acting(t.user_id);
	IF t.type <> 'WITHDRAWAL' OR t.status <> 'PENDING' THEN
		RAISE EXCEPTION 'transaction % is not a pending withdrawal', p_id USING ERRCODE = 'XP006',
			DETAIL = format('It is a %s %s.', t.status, t.type);
	END IF;
	RETURN t;
END $$;
COMMENT ON FUNCTION pending_withdrawal(uuid) IS 'locks a PENDING withdrawal; P0002 if missing, XP006 if not pending';

CREATE FUNCTION complete_withdrawal(transaction_id uuid, tx_hash text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	t xphere.transactions;
BEGIN
	IF transaction_id IS NULL THEN PERFORM xphere.raise_null('transaction_id'); END IF;
	PERFORM xphere.check_text(tx_hash, 'tx_hash', 66);
	IF length(btrim(tx_hash)) = 0 THEN
		RAISE EXCEPTION 'tx_hash must not be empty' USING ERRCODE = '22023';
	END IF;
	t := xphere.pending_withdrawal(transaction_id);
	PERFORM xphere.lock_accounts(ARRAY[xphere.house_id(), t.user_id], ARRAY[t.currency, t.currency]);
	PERFORM xphere.post(t.user_id, t.currency, 0, -(t.amount + t.fee), t.id);
	IF t.fee > 0 THEN
		PERFORM xphere.post(xphere.house_id(), t.currency, t.fee, 0, t.id);
	END IF;
	UPDATE xphere.transactions SET status = 'COMPLETED', tx_hash = complete_withdrawal.tx_hash
	WHERE id = t.id;
END $$;
COMMENT ON FUNCTION complete_withdrawal(uuid, text) IS
	'marks a PENDING withdrawal sent: the locked amount leaves, the fee goes to the house; XP006 if not pending';

CREATE FUNCTION fail_withdrawal(transaction_id uuid, reason text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	t xphere.transactions;
BEGIN
	IF transaction_id IS NULL THEN PERFORM xphere.raise_null('transaction_id'); END IF;
	PERFORM xphere.check_text(reason, 'reason', 1000);
	t := xphere.pending_withdrawal(transaction_id);
	PERFORM xphere.post(t.user_id, t.currency, t.amount + t.fee, -(t.amount + t.fee), t.id);
	UPDATE xphere.transactions SET status = 'FAILED',
		metadata = t.metadata || jsonb_build_object('reason', reason)
	WHERE id = t.id;
END $$;
COMMENT ON FUNCTION fail_withdrawal(uuid, text) IS
	'marks a PENDING withdrawal failed and unlocks amount + fee; XP006 if not pending';

CREATE FUNCTION transfer(from_user uuid, to_user uuid, currency currency, amount wad,
						 memo text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_out uuid;
	v_in uuid;
BEGIN
	IF from_user IS NULL THEN PERFORM xphere.raise_null('from_user'); END IF;
	IF to_user IS NULL THEN PERFORM xphere.raise_null('to_user'); END IF;
	IF currency IS NULL THEN PERFORM xphere.raise_null('currency'); END IF;
	PERFORM xphere.check_amount(amount);
	IF memo IS NOT NULL THEN PERFORM xphere.check_text(memo, 'memo', 1000); END IF;
	IF from_user = to_user THEN
		RAISE EXCEPTION 'cannot transfer to the same user' USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.require_user(to_user);
	PERFORM xphere.authorize_user(from_user, 'from_user');

	PERFORM xphere.lock_accounts(ARRAY[from_user, to_user], ARRAY[currency, currency]);
	v_out := xphere.new_transaction(from_user, 'TRANSFER', amount, currency, 'COMPLETED', 0,
		jsonb_strip_nulls(jsonb_build_object('direction', 'out', 'counterparty', to_user, 'memo', memo)));
	v_in := xphere.new_transaction(to_user, 'TRANSFER', amount, currency, 'COMPLETED', 0,
		jsonb_strip_nulls(jsonb_build_object('direction', 'in', 'counterparty', from_user,
											 'memo', memo, 'transfer_id', v_out)));
	PERFORM xphere.post(from_user, currency, -amount, 0, v_out);
	PERFORM xphere.post(to_user, currency, amount, 0, v_in);
	RETURN v_out;
END $$;
COMMENT ON FUNCTION transfer(uuid, uuid, currency, wad, text) IS
	'moves available funds between users, without fee; one entry for each side; returns the sender''s';

CREATE FUNCTION balance(user_id uuid, currency currency) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
	IF currency IS NULL THEN PERFORM xphere.raise_null('currency'); END IF;
	PERFORM xphere.authorize_user(user_id);
	RETURN coalesce((SELECT a.available FROM xphere.accounts a
					 WHERE a.user_id = balance.user_id AND a.currency = balance.currency), 0);
END $$;
COMMENT ON FUNCTION balance(uuid, currency) IS 'available balance of a user in a currency';
/*
 * Mining: machines earn their plan's daily_return_xp per 24 hours ONLINE,
 * pro rata to the microsecond.  Nothing is written while a machine runs:
 * its total earned at time t is
 *
 *	  floor(daily_return_xp x online_us(t) / 86 400 000 000)   (raw wad units)
 *
 * with online_us(t) = online_us_before + (t - online_since while ONLINE),
 * settled on every status change.  Pending = earned - paid_xp.  A
 * distribution pays every machine's pending amount at once, so the amounts
 * never depend on how often it runs.
 */

ALTER TABLE user_machines ADD COLUMN last_reward wad NOT NULL DEFAULT 0;
ALTER TABLE user_machines ADD COLUMN paid_at timestamptz;
COMMENT ON COLUMN user_machines.last_reward IS 'amount paid by the latest distribution';
COMMENT ON COLUMN user_machines.paid_at IS 'time up to which the machine has been paid';

CREATE FUNCTION micros_between(a timestamptz, b timestamptz) RETURNS bigint
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN (extract(epoch FROM b - a) * 1000000)::bigint;
COMMENT ON FUNCTION micros_between(timestamptz, timestamptz) IS 'microseconds from a to b, exact';

CREATE FUNCTION machine_earned(daily wad, online_us_before bigint, online_since timestamptz,
							   at timestamptz) RETURNS wad
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN xphere.prorate_floor(daily,
		online_us_before + CASE WHEN online_since IS NULL THEN 0
			ELSE greatest(xphere.micros_between(online_since, at), 0) END,
		86400000000);
COMMENT ON FUNCTION machine_earned(wad, bigint, timestamptz, timestamptz) IS
	'XP a machine has earned in total by the given time';

CREATE FUNCTION purchase_machine(user_id uuid, plan_id text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.machine_plans;
	v_now timestamptz := xphere.now();
	v_tx uuid;
	v_machine uuid := gen_random_uuid();
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_text(plan_id, 'plan_id', 32);
	SELECT * INTO p FROM xphere.machine_plans mp WHERE mp.id = plan_id;
	IF NOT FOUND OR NOT p.is_active THEN
		RAISE EXCEPTION 'unknown or inactive machine plan "%"', plan_id USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_user(user_id);

	PERFORM xphere.lock_accounts(ARRAY[xphere.house_id(), user_id], ARRAY['USDT', 'USDT']::xphere.currency[]);
	v_tx := xphere.new_transaction(user_id, 'PURCHASE', p.price_usdt, 'USDT', 'COMPLETED', 0,
		jsonb_build_object('plan_id', p.id, 'machine_id', v_machine));
	PERFORM xphere.post(user_id, 'USDT', -p.price_usdt, 0, v_tx);
	PERFORM xphere.post(xphere.house_id(), 'USDT', p.price_usdt, 0, v_tx);
	INSERT INTO xphere.user_machines (id, user_id, plan_id, status, daily_return_xp,
		purchase_date, online_since, status_changed_at)
	VALUES (v_machine, purchase_machine.user_id, p.id, 'ONLINE', p.daily_return_xp,
		v_now, v_now, v_now);
	RETURN v_machine;
END $$;
COMMENT ON FUNCTION purchase_machine(uuid, text) IS
	'buys a machine of a plan for its price in USDT (to the house); the machine starts ONLINE';

CREATE FUNCTION set_machine_status(machine_id uuid, status machine_status) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	m xphere.user_machines;
	v_now timestamptz;
BEGIN
	IF machine_id IS NULL THEN PERFORM xphere.raise_null('machine_id'); END IF;
	IF status IS NULL THEN PERFORM xphere.raise_null('status'); END IF;
	SELECT * INTO m FROM xphere.user_machines um WHERE um.id = machine_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'machine % does not exist', machine_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_user(m.user_id);
	v_now := xphere.not_before(greatest(m.status_changed_at, m.paid_at), 'machine ' || m.id);
	IF m.status = status THEN
		RETURN;
	END IF;
	UPDATE xphere.user_machines um SET
		status = set_machine_status.status,
		online_us_before = m.online_us_before + CASE WHEN m.online_since IS NULL THEN 0
			ELSE xphere.micros_between(m.online_since, v_now) END,
		online_since = CASE WHEN set_machine_status.status = 'ONLINE' THEN v_now END,
		status_changed_at = v_now
	WHERE um.id = m.id;
END $$;
COMMENT ON FUNCTION set_machine_status(uuid, machine_status) IS
	'changes a machine''s status, settling its online time; only ONLINE time earns';

CREATE FUNCTION pending_mining_rewards(user_id uuid) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
	PERFORM xphere.authorize_user(user_id);
	RETURN coalesce((
		SELECT sum(xphere.machine_earned(m.daily_return_xp, m.online_us_before,
										 m.online_since, xphere.now()) - m.paid_xp)
		FROM xphere.user_machines m WHERE m.user_id = pending_mining_rewards.user_id), 0);
END $$;
COMMENT ON FUNCTION pending_mining_rewards(uuid) IS 'XP earned by the user''s machines and not yet distributed';

/*
 * Pays machines what they earned up to now and have not been paid: one
 * mining_rewards row per machine, one MINING_REWARD entry per user, from
 * the house.  At most p_limit machines (NULL: all) in id order after
 * p_after (NULL: from the first), and only those not paid since
 * p_paid_before (NULL: any), so that tick() can spread one distribution
 * round over several ticks, each batch an index range of the machines:
 * a batch costs what it pays, not what the platform holds.  Returns the
 * machines paid, whether the batch was full (more may be due) and the
 * last machine it looked at (where the next batch starts).  The house XP
 * account is locked first, so concurrent runs queue and the later one
 * finds nothing left to pay; user accounts are then locked in order.
 * Set-based, so a million machines take a handful of statements.  Plans
 * are made for each call's values (plan_cache_mode): a generic plan
 * cannot tell a batch of ten machines from a million.
 */
CREATE FUNCTION distribute_mining_batch(p_limit integer, p_paid_before timestamptz,
		p_after uuid DEFAULT NULL, OUT paid integer, OUT more boolean, OUT last_machine uuid)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp
	SET plan_cache_mode = force_custom_plan AS $$
DECLARE
	v_now timestamptz := xphere.now();
	v_total xphere.wad;
	v_count integer;
	v_house_tx uuid;
	v_machines uuid[];
BEGIN
	paid := 0;
	more := false;
	PERFORM xphere.lock_accounts(ARRAY[xphere.house_id()], ARRAY['XP']::xphere.currency[]);

	/*
	 * The machines with something due, and their owners' accounts locked in
	 * order (the house's first: its id is zero).  Only these machines are
	 * paid below: one bought meanwhile belongs to an account not locked
	 * here, and paying it would take that lock out of order.
	 */
	SELECT array_agg(d.id ORDER BY d.id) INTO v_machines FROM (
		SELECT m.id FROM xphere.user_machines m
		WHERE (p_after IS NULL OR m.id > p_after)
		  AND xphere.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, v_now)
			> m.paid_xp
		  AND m.status_changed_at <= v_now
		  AND (p_paid_before IS NULL OR m.paid_at IS NULL OR m.paid_at < p_paid_before)
		ORDER BY m.id
		LIMIT p_limit) d;
	IF v_machines IS NULL THEN
		RETURN;
	END IF;
	more := p_limit IS NOT NULL AND cardinality(v_machines) >= p_limit;
	last_machine := v_machines[cardinality(v_machines)];
	PERFORM 1 FROM xphere.accounts a
	WHERE a.currency = 'XP' AND a.user_id IN (
		SELECT m.user_id FROM unnest(v_machines) AS x(id) JOIN xphere.user_machines m ON m.id = x.id)
	ORDER BY a.user_id FOR UPDATE;

	/*
	 * One statement: settle the machines, one ledger entry per user, one
	 * reward row per machine, credit the users with their history rows.
	 * (Data-modifying CTEs, not temporary tables: a session could plant a
	 * temporary table of that name with triggers of its own.)
	 */
	WITH paid AS (
		UPDATE xphere.user_machines m SET
			last_reward = xphere.machine_earned(m.daily_return_xp, m.online_us_before,
												m.online_since, v_now) - m.paid_xp,
			paid_xp = xphere.machine_earned(m.daily_return_xp, m.online_us_before,
											m.online_since, v_now),
			paid_at = v_now, updated_at = xphere.now()
		FROM unnest(v_machines) AS x(id)
		WHERE m.id = x.id
		  AND xphere.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, v_now)
			> m.paid_xp
		  AND m.status_changed_at <= v_now
		RETURNING m.id, m.user_id, m.last_reward
	), per_user AS MATERIALIZED (
		SELECT p.user_id, sum(p.last_reward) AS amount, count(*) AS machines,
			gen_random_uuid() AS tx_id
		FROM paid p GROUP BY p.user_id
	), entries AS (
		INSERT INTO xphere.transactions (id, user_id, type, amount, currency, metadata)
		SELECT u.tx_id, u.user_id, 'MINING_REWARD', u.amount, 'XP',
			jsonb_build_object('machines', u.machines, 'calculated_at', v_now)
		FROM per_user u
	), rewards AS (
		INSERT INTO xphere.mining_rewards (user_id, machine_id, amount, calculated_at, distribution_tx)
		SELECT p.user_id, p.id, p.last_reward, v_now, u.tx_id
		FROM paid p JOIN per_user u USING (user_id)
	), credited AS (
		UPDATE xphere.accounts a SET available = a.available + u.amount, updated_at = xphere.now()
		FROM per_user u
		WHERE a.user_id = u.user_id AND a.currency = 'XP'
		RETURNING a.user_id, u.tx_id, u.amount, a.available, a.locked
	), history AS (
		INSERT INTO xphere.balance_history (user_id, currency, transaction_id,
			available_before, available_change, available_after,
			locked_before, locked_change, locked_after)
		SELECT c.user_id, 'XP', c.tx_id, c.available - c.amount, c.amount, c.available,
			c.locked, 0, c.locked
		FROM credited c
	)
	SELECT count(*), sum(p.last_reward) INTO v_count, v_total FROM paid p;
	IF v_count = 0 THEN
		RETURN;
	END IF;
	paid := v_count;

	/* the house pays the total, recorded against one entry of its own */
	v_house_tx := xphere.new_transaction(xphere.house_id(), 'MINING_REWARD', v_total, 'XP',
		'COMPLETED', 0, jsonb_build_object('machines', v_count, 'calculated_at', v_now));
	PERFORM xphere.post(xphere.house_id(), 'XP', -v_total, 0, v_house_tx);
	PERFORM xphere.emit_event('distribution', jsonb_build_object('machines', v_count,
		'total_xp', v_total, 'calculated_at', v_now, 'transaction_id', v_house_tx));
END $$;
COMMENT ON FUNCTION distribute_mining_batch(integer, timestamptz, uuid) IS
	'pays up to p_limit due machines after p_after not paid since p_paid_before (internal)';

CREATE FUNCTION distribute_mining_rewards() RETURNS integer
	LANGUAGE sql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp
	RETURN (xphere.distribute_mining_batch(NULL, NULL)).paid;
COMMENT ON FUNCTION distribute_mining_rewards() IS
	'pays every machine''s pending XP from the house; exactly once even when run concurrently; returns machines paid';
/*
 * Administration: settings, machine plans and prices, validated and
 * written to audit_log with old and new values.  Parameters arrive as
 * jsonb objects whose values are strings (exact decimals) or numbers; an
 * unknown key or an invalid value is 22023 and changes nothing.
 */

/* a jsonb value as text: strings as they are, numbers in their exact form */
CREATE FUNCTION param_text(params jsonb, key text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v jsonb := params -> key;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN NULL;
	END IF;
	IF jsonb_typeof(v) NOT IN ('string', 'number', 'boolean') THEN
		RAISE EXCEPTION 'parameter "%" must be a string or a number', key USING ERRCODE = '22023';
	END IF;
	RETURN v #>> '{}';
END $$;
COMMENT ON FUNCTION param_text(jsonb, text) IS 'a parameter value as text; 22023 for objects and arrays';

CREATE FUNCTION param_wad(params jsonb, key text, min_value wad DEFAULT NULL,
						  min_exclusive boolean DEFAULT false) RETURNS wad
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t text := xphere.param_text(params, key);
	v xphere.wad;
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		v := t::xphere.wad;
	EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
		RAISE EXCEPTION 'parameter "%" is not a valid amount: "%"', key, left(t, 100)
			USING ERRCODE = '22023';
	END;
	IF min_value IS NOT NULL AND (v < min_value OR (min_exclusive AND v = min_value)) THEN
		RAISE EXCEPTION 'parameter "%" must be % %', key,
			CASE WHEN min_exclusive THEN '>' ELSE '>=' END, min_value
			USING ERRCODE = '22023';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION param_wad(jsonb, text, wad, boolean) IS 'a parameter as wad, with an optional lower bound; 22023 if invalid';

CREATE FUNCTION param_bool(params jsonb, key text) RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t text := xphere.param_text(params, key);
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	IF lower(t) IN ('true', 'false') THEN
		RETURN lower(t)::boolean;
	END IF;
	RAISE EXCEPTION 'parameter "%" must be true or false', key USING ERRCODE = '22023';
END $$;
COMMENT ON FUNCTION param_bool(jsonb, text) IS 'a parameter as boolean; 22023 unless true or false';

CREATE FUNCTION check_param_keys(params jsonb, allowed text[]) RETURNS void
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	k text;
BEGIN
	IF params IS NULL THEN
		PERFORM xphere.raise_null('params');
	END IF;
	IF jsonb_typeof(params) <> 'object' THEN
		RAISE EXCEPTION 'params must be a JSON object' USING ERRCODE = '22023';
	END IF;
	SELECT min(x) INTO k FROM jsonb_object_keys(params) AS x WHERE x <> ALL (allowed);
	IF k IS NOT NULL THEN
		RAISE EXCEPTION 'unknown parameter "%"', k USING ERRCODE = '22023',
			HINT = format('Known parameters: %s.', array_to_string(allowed, ', '));
	END IF;
END $$;
COMMENT ON FUNCTION check_param_keys(jsonb, text[]) IS '22023 for a non-object or an unknown key';

-- settings ------------------------------------------------------------------

CREATE FUNCTION set_setting(key text, value text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.settings;
	v_norm text;
BEGIN
	PERFORM xphere.check_text(key, 'key', 100);
	PERFORM xphere.check_text(value, 'value', 100);
	SELECT * INTO s FROM xphere.settings x WHERE x.key = set_setting.key FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown setting "%"', key USING ERRCODE = '22023',
			HINT = (SELECT 'Known settings: ' || string_agg(x.key, ', ' ORDER BY x.key) || '.'
					FROM xphere.settings x);
	END IF;
	BEGIN
		CASE s.kind
			WHEN 'wad' THEN
				v_norm := value::xphere.wad::text;
				IF v_norm::xphere.wad < 0 THEN RAISE numeric_value_out_of_range; END IF;
			WHEN 'bps' THEN
				v_norm := value::integer::text;
				IF v_norm::integer NOT BETWEEN 0 AND 10000 THEN RAISE numeric_value_out_of_range; END IF;
			WHEN 'integer' THEN
				v_norm := value::integer::text;
				IF key = 'password_hash_cost' AND v_norm::integer NOT BETWEEN 4 AND 15
					OR key = 'distribution_batch' AND v_norm::integer NOT BETWEEN 1 AND 10000000 THEN
					RAISE numeric_value_out_of_range;
				END IF;
			WHEN 'interval' THEN
				v_norm := value::interval::text;
				IF v_norm::interval < interval '0'
					OR (key IN ('price_max_age', 'distribution_interval') AND v_norm::interval = interval '0')
					OR v_norm::interval > interval '3650 days' THEN
					RAISE numeric_value_out_of_range;
				END IF;
		END CASE;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'invalid value "%" for setting "%"', left(value, 100), key
			USING ERRCODE = '22023', DETAIL = format('%s is a setting of kind %s.', key, s.kind);
	END;
	UPDATE xphere.settings x SET value = v_norm WHERE x.key = s.key;
	PERFORM xphere.audit('set_setting', 'setting', key,
		jsonb_build_object('value', s.value), jsonb_build_object('value', v_norm));
END $$;
COMMENT ON FUNCTION set_setting(text, text) IS 'changes a platform setting, validated by its kind; audited';

-- machine plans ----------------------------------------------------------------

CREATE FUNCTION plan_keys() RETURNS text[]
	LANGUAGE sql IMMUTABLE
	RETURN ARRAY['name', 'machine_name', 'price_usdt', 'hashrate', 'daily_return_xp',
				 'description', 'image_url', 'is_active'];
COMMENT ON FUNCTION plan_keys() IS 'the parameters of a machine plan';

/* a plan row with the given parameters applied, validated */
CREATE FUNCTION apply_plan_params(p machine_plans, params jsonb) RETURNS machine_plans
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t text;
BEGIN
	PERFORM xphere.check_param_keys(params, xphere.plan_keys());
	FOREACH t IN ARRAY ARRAY['name', 'machine_name', 'hashrate', 'description', 'image_url'] LOOP
		IF params ? t AND (xphere.param_text(params, t) IS NULL
			AND t NOT IN ('description', 'image_url')
			OR length(xphere.param_text(params, t)) > CASE t WHEN 'hashrate' THEN 50
				WHEN 'description' THEN 1000 WHEN 'image_url' THEN 1000 ELSE 100 END
			OR length(btrim(xphere.param_text(params, t))) = 0) THEN
			RAISE EXCEPTION 'invalid value for parameter "%"', t USING ERRCODE = '22023';
		END IF;
	END LOOP;
	IF params ? 'name' THEN p.name := xphere.param_text(params, 'name'); END IF;
	IF params ? 'machine_name' THEN p.machine_name := xphere.param_text(params, 'machine_name'); END IF;
	IF params ? 'hashrate' THEN p.hashrate := xphere.param_text(params, 'hashrate'); END IF;
	IF params ? 'description' THEN p.description := xphere.param_text(params, 'description'); END IF;
	IF params ? 'image_url' THEN p.image_url := xphere.param_text(params, 'image_url'); END IF;
	IF params ? 'price_usdt' THEN
		p.price_usdt := coalesce(xphere.param_wad(params, 'price_usdt', 0, true), 0);
		IF p.price_usdt <= 0 THEN
			RAISE EXCEPTION 'parameter "price_usdt" must be > 0' USING ERRCODE = '22023';
		END IF;
	END IF;
	IF params ? 'daily_return_xp' THEN
		p.daily_return_xp := xphere.param_wad(params, 'daily_return_xp', 0);
		IF p.daily_return_xp IS NULL THEN
			RAISE EXCEPTION 'parameter "daily_return_xp" must not be null' USING ERRCODE = '22023';
		END IF;
	END IF;
	IF params ? 'is_active' THEN
		p.is_active := coalesce(xphere.param_bool(params, 'is_active'), true);
	END IF;
	RETURN p;
END $$;
COMMENT ON FUNCTION apply_plan_params(machine_plans, jsonb) IS 'validates plan parameters onto a plan row';

CREATE FUNCTION create_plan(plan_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.machine_plans;
	k text;
BEGIN
	PERFORM xphere.check_text(plan_id, 'plan_id', 32);
	IF plan_id !~ '^[a-z0-9][a-z0-9_-]{0,31}$' THEN
		RAISE EXCEPTION 'invalid plan id "%"', plan_id USING ERRCODE = '22023',
			HINT = 'A plan id is 1 to 32 lower-case letters, digits, "_" or "-".';
	END IF;
	p := xphere.apply_plan_params(p, params);
	FOREACH k IN ARRAY ARRAY['name', 'machine_name', 'price_usdt', 'hashrate', 'daily_return_xp'] LOOP
		IF NOT params ? k THEN
			RAISE EXCEPTION 'parameter "%" is required', k USING ERRCODE = '22023';
		END IF;
	END LOOP;
	p.id := plan_id;
	p.is_active := coalesce(p.is_active, true);
	p.created_at := xphere.now();
	p.updated_at := xphere.now();
	IF EXISTS (SELECT 1 FROM xphere.machine_plans x WHERE x.id = plan_id) THEN
		RAISE EXCEPTION 'machine plan "%" already exists', plan_id USING ERRCODE = '23505';
	END IF;
	INSERT INTO xphere.machine_plans SELECT p.*;
	PERFORM xphere.audit('create_plan', 'machine_plan', plan_id, NULL, to_jsonb(p));
END $$;
COMMENT ON FUNCTION create_plan(text, jsonb) IS 'adds a machine plan; 23505 if the id exists; audited';

CREATE FUNCTION update_plan(plan_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	old xphere.machine_plans;
	p xphere.machine_plans;
BEGIN
	PERFORM xphere.check_text(plan_id, 'plan_id', 32);
	PERFORM xphere.check_param_keys(params, xphere.plan_keys());
	SELECT * INTO old FROM xphere.machine_plans x WHERE x.id = plan_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown machine plan "%"', plan_id USING ERRCODE = '22023';
	END IF;
	p := xphere.apply_plan_params(old, params);
	UPDATE xphere.machine_plans x SET name = p.name, machine_name = p.machine_name,
		price_usdt = p.price_usdt, hashrate = p.hashrate, daily_return_xp = p.daily_return_xp,
		description = p.description, image_url = p.image_url, is_active = p.is_active
	WHERE x.id = plan_id;
	PERFORM xphere.audit('update_plan', 'machine_plan', plan_id, to_jsonb(old), to_jsonb(p));
END $$;
COMMENT ON FUNCTION update_plan(text, jsonb) IS
	'changes a machine plan (machines already bought keep their daily return); audited';

-- prices ----------------------------------------------------------------------

CREATE FUNCTION set_price(asset text, price_usdt wad, source text DEFAULT 'manual') RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_old xphere.wad;
BEGIN
	PERFORM xphere.check_text(asset, 'asset', 10);
	PERFORM xphere.check_amount(price_usdt, 'price_usdt');
	PERFORM xphere.check_text(source, 'source', 100);
	IF length(btrim(source)) = 0 THEN
		RAISE EXCEPTION 'source must not be empty' USING ERRCODE = '22023';
	END IF;
	IF asset = 'USDT' THEN
		RAISE EXCEPTION 'the price of USDT cannot be set' USING ERRCODE = '22023',
			DETAIL = 'USDT is the base currency; its price is always 1.';
	END IF;
	IF asset <> 'XP' THEN
		RAISE EXCEPTION 'unknown asset "%"', asset USING ERRCODE = '22023';
	END IF;
	SELECT p.price_usdt INTO v_old FROM xphere.prices p
	WHERE p.asset = set_price.asset ORDER BY p.created_at DESC, p.id DESC LIMIT 1;
	INSERT INTO xphere.prices (asset, price_usdt, source) VALUES (asset, price_usdt, source);
	PERFORM xphere.audit('set_price', 'price', asset,
		jsonb_build_object('price_usdt', v_old), jsonb_build_object('price_usdt', price_usdt, 'source', source));
	/* stored health factors of the positions at risk follow the price */
	PERFORM xphere.refresh_positions_at_risk();
END $$;
COMMENT ON FUNCTION set_price(text, wad, text) IS 'records a new price of an asset in USDT; audited';

CREATE FUNCTION price(p_asset currency, p_max_age interval DEFAULT NULL) RETURNS wad
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.prices;
BEGIN
	IF p_asset = 'USDT' THEN
		RETURN 1;
	END IF;
	SELECT * INTO p FROM xphere.prices x
	WHERE x.asset = p_asset::text ORDER BY x.created_at DESC, x.id DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no price for %', p_asset USING ERRCODE = 'XP005';
	END IF;
	IF p_max_age IS NOT NULL AND p.created_at < xphere.now() - p_max_age THEN
		RAISE EXCEPTION 'the price of % is stale', p_asset USING ERRCODE = 'XP005',
			DETAIL = format('Last set at %s, older than %s.', p.created_at, p_max_age);
	END IF;
	RETURN p.price_usdt;
END $$;
COMMENT ON FUNCTION price(currency, interval) IS 'latest price in USDT; XP005 if missing or older than max_age';

-- seed data -------------------------------------------------------------------

INSERT INTO machine_plans (id, name, machine_name, price_usdt, hashrate, daily_return_xp, description) VALUES
	('p1', 'Starter', 'Xphere S1', 100, '10 TH/s', '1.5', 'Entry machine'),
	('p2', 'Advanced', 'Xphere A1', 500, '55 TH/s', '8', 'Mid-range machine'),
	('p3', 'Pro', 'Xphere P1', 1000, '120 TH/s', '17', 'Professional machine'),
	('p4', 'Enterprise', 'Xphere E1', 5000, '650 TH/s', '90', 'Data-centre machine');

INSERT INTO staking_pools (id, name, min_stake, apy, lock_period) VALUES
	('explorer', 'Explorer', 100, '0.05', '0'),
	('pathfinder', 'Pathfinder', 500, '0.08', '30 days'),
	('founder', 'Founder', 2000, '0.12', '90 days');

INSERT INTO lending_pools (id, asset) VALUES ('lp-xp', 'XP');
/*
 * Staking and swaps.
 *
 * Staking tiers (staking_pools) accrue through a reward index (ray) that is
 * a pure function of time, so nothing has to advance it:
 *
 *	  index(t) = reward_index + floor(apy x us(t - index_updated_at) / (31 536 000 x 10^6))
 *
 * on raw ray units (us = microseconds, exact).  A position stores the
 * index when it was opened and has earned rayMulFloor(amount, index(t) -
 * index_at_entry); unstake freezes that into accumulated_rewards (nothing
 * accrues while unbonding).  Pending = earned - claimed_rewards, whenever
 * and however often it is claimed.
 *
 * checkpoint_staking_pools() (called by tick()) moves (reward_index,
 * index_updated_at) forward without changing index(t) for any t: it
 * advances by the largest whole number of the tier's exact steps (a time
 * for which apy x us is a multiple of the divisor, at most a few
 * milliseconds for the seeded rates), so the floor never drops a remainder
 * and the rewards never depend on how often the tick runs.  The index of a
 * tier therefore needs no lock to be read; only total_staked is updated.
 *
 * Money: staked XP moves from the user to the account of the tier's own
 * SYSTEM user (staking_account(), like a lending pool's cash account) and
 * back at withdrawal; rewards are paid by the house.  Locks follow the
 * global order: accounts (lock_accounts), then the tier, then the position.
 *
 * Swaps exchange XP and USDT with the house at the fresh oracle price:
 * received = floor(amount x price_from / price_to x (10000 - fee_bps) / 10000)
 * to the wei, one exact floor computed with numeric; the fee stays with
 * the house.  One SWAP entry per currency side.
 */

/* floor(value x part / whole) on raw ray units: the C function behind prorate_floor(wad, ...) */
CREATE FUNCTION prorate_floor(amount ray, part bigint, whole bigint) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_prorate_floor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prorate_floor(ray, bigint, bigint) IS
	'floor(rate * part / whole), exact: the share of a per-period rate earned over part of a period';

CREATE FUNCTION staking_account(p_pool text) RETURNS uuid
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN md5('xphere staking ' || p_pool)::uuid;
COMMENT ON FUNCTION staking_account(text) IS 'owner of the account holding a staking tier''s staked XP';

CREATE FUNCTION create_staking_account(p_pool text) RETURNS uuid
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO xphere.users (id, email, password_hash, name, role, is_active)
	VALUES (xphere.staking_account(p_pool), 'staking-' || p_pool || '@xphere.invalid', '!',
			'Staking tier ' || p_pool, 'SYSTEM', false)
	ON CONFLICT (id) DO NOTHING;
	SELECT xphere.staking_account(p_pool);
END;
COMMENT ON FUNCTION create_staking_account(text) IS 'creates the SYSTEM user of a staking tier';

SELECT create_staking_account(id) FROM staking_pools ORDER BY id;

COMMENT ON COLUMN staking_pools.reward_index IS
	'rewards per staked XP since the tier began (ray), as of index_updated_at';
COMMENT ON COLUMN staking_pools.index_updated_at IS
	'time of reward_index; the index grows by apy per year from there, exactly';
COMMENT ON COLUMN staking_pools.total_staked IS 'XP of the ACTIVE and UNBONDING positions, held in the tier''s account';
COMMENT ON COLUMN staking_positions.unlock_date IS
	'while ACTIVE: end of the lock period (unstake allowed from then); after unstake: end of unbonding (withdrawal allowed from then)';
COMMENT ON COLUMN staking_positions.index_at_entry IS 'the tier''s reward index when the stake was made';
COMMENT ON COLUMN staking_positions.accumulated_rewards IS
	'rewards earned as of the last claim, or in total once unstaked (frozen)';
COMMENT ON COLUMN staking_positions.claimed_rewards IS 'rewards paid out so far (by claims and at withdrawal)';

-- time and the reward index ---------------------------------------------------

/* an interval as an absolute duration (days of 24 h, whatever the time zone) */
CREATE FUNCTION absolute_interval(i interval) RETURNS interval
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN interval '1 microsecond' * (extract(epoch FROM i) * 1000000)::bigint;
COMMENT ON FUNCTION absolute_interval(interval) IS
	'the interval as microseconds (a day = 24 hours), so adding it does not depend on the session''s time zone';

CREATE FUNCTION staking_index_at(p staking_pools, t timestamptz) RETURNS ray
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN p.reward_index + xphere.prorate_floor(p.apy,
		greatest(xphere.micros_between(p.index_updated_at, t), 0), 31536000000000);
COMMENT ON FUNCTION staking_index_at(staking_pools, timestamptz) IS
	'a tier''s reward index at a time: reward_index + floor(apy x elapsed / year), exact to the microsecond';

/* rewards a position has earned in total by time t (frozen once unstaked) */
CREATE FUNCTION stake_earned(s staking_positions, p staking_pools, t timestamptz) RETURNS wad
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN s.status = 'ACTIVE'
		THEN greatest(xphere.ray_mul_floor(s.amount,
				 greatest(xphere.staking_index_at(p, t) - s.index_at_entry, '0'::xphere.ray)),
			 s.accumulated_rewards)
		ELSE s.accumulated_rewards END;
COMMENT ON FUNCTION stake_earned(staking_positions, staking_pools, timestamptz) IS
	'rewards a position has earned by a time: rayMulFloor(amount, index - index at entry), frozen after unstake';

/*
 * Moves every tier's (reward_index, index_updated_at) as close to now as
 * it can without rounding: by a whole number of steps of
 * 31 536 000 x 10^6 / gcd(apy raw, 31 536 000 x 10^6) microseconds, over
 * which the increase of the index is exact.  index(t) is unchanged for
 * every t.  Returns the number of tiers moved.
 */
CREATE FUNCTION checkpoint_staking_pools() RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.staking_pools;
	v_whole CONSTANT bigint := 31536000000000;
	v_us bigint;
	v_step bigint;
	n integer := 0;
BEGIN
	FOR p IN SELECT * FROM xphere.staking_pools x ORDER BY x.id FOR UPDATE LOOP
		v_us := greatest(xphere.micros_between(p.index_updated_at, xphere.now()), 0);
		v_step := (v_whole / gcd(trunc(p.apy::numeric * 1e27), v_whole::numeric))::bigint;
		v_us := v_us - v_us % v_step;
		CONTINUE WHEN v_us = 0;
		UPDATE xphere.staking_pools x SET
			reward_index = p.reward_index + xphere.prorate_floor(p.apy, v_us, v_whole),
			index_updated_at = p.index_updated_at + interval '1 microsecond' * v_us
		WHERE x.id = p.id;
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;
COMMENT ON FUNCTION checkpoint_staking_pools() IS
	'moves the staking reward indexes forward towards now without changing their values; returns the tiers moved';

-- checks ------------------------------------------------------------------------

CREATE FUNCTION open_staking_pool(p_pool text) RETURNS staking_pools
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.staking_pools;
BEGIN
	PERFORM xphere.check_text(p_pool, 'staking_pool', 32);
	SELECT * INTO p FROM xphere.staking_pools x WHERE x.id = p_pool;
	IF NOT FOUND OR NOT p.is_active THEN
		RAISE EXCEPTION 'unknown or inactive staking pool "%"', p_pool USING ERRCODE = '22023',
			HINT = (SELECT 'Staking pools: ' || string_agg(x.id, ', ' ORDER BY x.min_stake) || '.'
					FROM xphere.staking_pools x WHERE x.is_active);
	END IF;
	RETURN p;
END $$;
COMMENT ON FUNCTION open_staking_pool(text) IS 'the staking tier; 22023 if unknown or inactive';

/*
 * The staking position of a user: 22004 for NULLs, P0002 for an unknown
 * user or position, 42501 when the session acts for another user or the
 * position is another user's.  Not locked.
 */
CREATE FUNCTION owned_stake(p_user uuid, p_position uuid) RETURNS staking_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	s xphere.staking_positions;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF p_position IS NULL THEN PERFORM xphere.raise_null('position_id'); END IF;
	PERFORM xphere.require_user(p_user);
	SELECT * INTO s FROM xphere.staking_positions x WHERE x.id = p_position;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'staking position % does not exist', p_position USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_acting(p_user);
	IF s.user_id <> p_user THEN
		RAISE EXCEPTION 'staking position % belongs to another user', p_position
			USING ERRCODE = '42501';
	END IF;
	RETURN s;
END $$;
COMMENT ON FUNCTION owned_stake(uuid, uuid) IS
	'a staking position of the user; P0002 if the user or position is missing, 42501 if another''s';

-- the API -----------------------------------------------------------------------

CREATE FUNCTION stake(user_id uuid, amount wad, staking_pool text DEFAULT 'explorer') RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.staking_pools;
	v_account uuid;
	v_now timestamptz;
	v_tx uuid;
	v_id uuid := gen_random_uuid();
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_amount(amount);
	p := xphere.open_staking_pool(staking_pool);
	IF amount < p.min_stake THEN
		RAISE EXCEPTION 'amount is below the minimum stake of staking pool "%"', p.id
			USING ERRCODE = '22023',
			DETAIL = format('The minimum is %s XP, %s XP were given.', p.min_stake, amount);
	END IF;
	PERFORM xphere.authorize_user(user_id);

	v_account := xphere.staking_account(p.id);
	IF NOT EXISTS (SELECT 1 FROM xphere.users u WHERE u.id = v_account) THEN
		/* a tier whose SYSTEM user is missing (a partial restore): recreate it */
		PERFORM xphere.create_staking_account(p.id);
	END IF;
	PERFORM xphere.lock_accounts(ARRAY[stake.user_id, v_account], ARRAY['XP', 'XP']::xphere.currency[]);
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = p.id FOR UPDATE;
	v_now := xphere.not_before(p.index_updated_at, 'staking pool ' || p.id);
	v_tx := xphere.new_transaction(stake.user_id, 'STAKE', stake.amount, 'XP', 'COMPLETED', 0,
		jsonb_build_object('staking_pool', p.id, 'position_id', v_id));
	PERFORM xphere.post(stake.user_id, 'XP', -stake.amount, 0, v_tx);
	PERFORM xphere.post(v_account, 'XP', stake.amount, 0, v_tx);
	INSERT INTO xphere.staking_positions (id, user_id, staking_pool, amount, start_date,
		unlock_date, index_at_entry)
	VALUES (v_id, stake.user_id, p.id, stake.amount, v_now,
		v_now + xphere.absolute_interval(p.lock_period), xphere.staking_index_at(p, v_now));
	UPDATE xphere.staking_pools x SET total_staked = x.total_staked + stake.amount,
		updated_at = xphere.now()
	WHERE x.id = p.id;
	RETURN v_id;
END $$;
COMMENT ON FUNCTION stake(uuid, wad, text) IS
	'stakes XP in a tier (at least its minimum); returns the position id; XP001 if not enough XP';

CREATE FUNCTION pending_staking_rewards(position_id uuid) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.staking_positions;
	p xphere.staking_pools;
BEGIN
	IF position_id IS NULL THEN PERFORM xphere.raise_null('position_id'); END IF;
	SELECT * INTO s FROM xphere.staking_positions x WHERE x.id = position_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'staking position % does not exist', position_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_user(s.user_id);
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = s.staking_pool;
	RETURN xphere.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at)) - s.claimed_rewards;
END $$;
COMMENT ON FUNCTION pending_staking_rewards(uuid) IS
	'rewards of a staking position earned and not yet paid (0 once withdrawn)';

CREATE FUNCTION claim_staking_rewards(user_id uuid, position_id uuid) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.staking_positions;
	p xphere.staking_pools;
	v_now timestamptz;
	v_earned xphere.wad;
	v_pending xphere.wad;
	v_tx uuid;
BEGIN
	s := xphere.owned_stake(user_id, position_id);
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = s.staking_pool;
	IF xphere.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at)) <= s.claimed_rewards THEN
		RETURN 0;	-- nothing to pay: no entry, nothing changes
	END IF;

	PERFORM xphere.lock_accounts(ARRAY[s.user_id, xphere.house_id()], ARRAY['XP', 'XP']::xphere.currency[]);
	SELECT * INTO STRICT s FROM xphere.staking_positions x WHERE x.id = s.id FOR UPDATE;
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = s.staking_pool;
	v_now := xphere.not_before(greatest(p.index_updated_at, s.updated_at), 'staking position ' || s.id);
	v_earned := xphere.stake_earned(s, p, v_now);
	v_pending := v_earned - s.claimed_rewards;
	IF v_pending <= 0 THEN
		RETURN 0;	-- a concurrent claim paid it
	END IF;
	v_tx := xphere.new_transaction(s.user_id, 'STAKING_REWARD', v_pending, 'XP', 'COMPLETED', 0,
		jsonb_build_object('staking_pool', s.staking_pool, 'position_id', s.id));
	PERFORM xphere.post(xphere.house_id(), 'XP', -v_pending, 0, v_tx);
	PERFORM xphere.post(s.user_id, 'XP', v_pending, 0, v_tx);
	UPDATE xphere.staking_positions x SET accumulated_rewards = v_earned, claimed_rewards = v_earned
	WHERE x.id = s.id;
	RETURN v_pending;
END $$;
COMMENT ON FUNCTION claim_staking_rewards(uuid, uuid) IS
	'pays a staking position''s pending rewards from the house; returns the amount (0 when nothing is pending)';

CREATE FUNCTION unstake(user_id uuid, position_id uuid) RETURNS timestamptz
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.staking_positions;
	p xphere.staking_pools;
	v_now timestamptz;
	v_unlock timestamptz;
BEGIN
	s := xphere.owned_stake(user_id, position_id);
	SELECT * INTO STRICT s FROM xphere.staking_positions x WHERE x.id = s.id FOR UPDATE;
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = s.staking_pool;
	IF s.status <> 'ACTIVE' THEN
		RAISE EXCEPTION 'staking position % is not active', s.id USING ERRCODE = 'XP006',
			DETAIL = format('It is %s.', s.status);
	END IF;
	v_now := xphere.not_before(greatest(p.index_updated_at, s.updated_at), 'staking position ' || s.id);
	IF v_now < s.unlock_date THEN
		RAISE EXCEPTION 'staking position % is locked until %', s.id, s.unlock_date
			USING ERRCODE = 'XP006',
			DETAIL = format('Staking pool %s has a lock period of %s.', p.id, p.lock_period);
	END IF;
	v_unlock := v_now + xphere.absolute_interval(xphere.setting('unbonding_period')::interval);
	UPDATE xphere.staking_positions x SET status = 'UNBONDING', unlock_date = v_unlock,
		accumulated_rewards = xphere.stake_earned(s, p, v_now)
	WHERE x.id = s.id;
	RETURN v_unlock;
END $$;
COMMENT ON FUNCTION unstake(uuid, uuid) IS
	'ends a stake after its lock period: rewards stop, unbonding starts; returns when it can be withdrawn';

CREATE FUNCTION withdraw_stake(user_id uuid, position_id uuid) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.staking_positions;
	v_account uuid;
	v_now timestamptz;
	v_unclaimed xphere.wad;
	v_tx uuid;
BEGIN
	s := xphere.owned_stake(user_id, position_id);
	v_account := xphere.staking_account(s.staking_pool);
	PERFORM xphere.lock_accounts(ARRAY[s.user_id, v_account, xphere.house_id()],
								 ARRAY['XP', 'XP', 'XP']::xphere.currency[]);
	PERFORM 1 FROM xphere.staking_pools x WHERE x.id = s.staking_pool FOR UPDATE;
	SELECT * INTO STRICT s FROM xphere.staking_positions x WHERE x.id = s.id FOR UPDATE;
	IF s.status = 'ACTIVE' THEN
		RAISE EXCEPTION 'staking position % is not unbonding', s.id USING ERRCODE = 'XP006',
			DETAIL = 'It is ACTIVE.', HINT = 'Unstake it first.';
	ELSIF s.status <> 'UNBONDING' THEN
		RAISE EXCEPTION 'staking position % is not unbonding', s.id USING ERRCODE = 'XP006',
			DETAIL = format('It is %s.', s.status);
	END IF;
	v_now := xphere.not_before(s.updated_at, 'staking position ' || s.id);
	IF v_now < s.unlock_date THEN
		RAISE EXCEPTION 'staking position % is unbonding until %', s.id, s.unlock_date
			USING ERRCODE = 'XP006';
	END IF;

	v_tx := xphere.new_transaction(s.user_id, 'UNSTAKE', s.amount, 'XP', 'COMPLETED', 0,
		jsonb_build_object('staking_pool', s.staking_pool, 'position_id', s.id));
	PERFORM xphere.post(v_account, 'XP', -s.amount, 0, v_tx);
	PERFORM xphere.post(s.user_id, 'XP', s.amount, 0, v_tx);
	v_unclaimed := s.accumulated_rewards - s.claimed_rewards;
	IF v_unclaimed > 0 THEN
		v_tx := xphere.new_transaction(s.user_id, 'STAKING_REWARD', v_unclaimed, 'XP', 'COMPLETED', 0,
			jsonb_build_object('staking_pool', s.staking_pool, 'position_id', s.id));
		PERFORM xphere.post(xphere.house_id(), 'XP', -v_unclaimed, 0, v_tx);
		PERFORM xphere.post(s.user_id, 'XP', v_unclaimed, 0, v_tx);
	END IF;
	UPDATE xphere.staking_positions x SET status = 'WITHDRAWN', claimed_rewards = s.accumulated_rewards
	WHERE x.id = s.id;
	UPDATE xphere.staking_pools x SET total_staked = x.total_staked - s.amount WHERE x.id = s.staking_pool;
	RETURN s.amount + v_unclaimed;
END $$;
COMMENT ON FUNCTION withdraw_stake(uuid, uuid) IS
	'after unbonding: returns the principal and pays the unclaimed rewards; returns their sum';

-- swap --------------------------------------------------------------------------

CREATE FUNCTION swap(user_id uuid, from_currency currency, amount wad) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_to xphere.currency;
	v_price_from xphere.wad;
	v_price_to xphere.wad;
	v_fee_bps integer;
	v_received xphere.wad;
	v_gross xphere.wad;
	v_out uuid;
	v_in uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF from_currency IS NULL THEN PERFORM xphere.raise_null('from_currency'); END IF;
	PERFORM xphere.check_amount(amount);
	PERFORM xphere.authorize_user(user_id);

	v_to := CASE from_currency WHEN 'XP' THEN 'USDT' ELSE 'XP' END;
	v_price_from := xphere.fresh_price(from_currency);
	v_price_to := xphere.fresh_price(v_to);
	v_fee_bps := xphere.setting('swap_fee_bps')::integer;
	/* raw units: amount x 10^18 x price_from / price_to, exact integers in numeric; div truncates */
	v_received := div(amount::numeric * 1000000000000000000 * v_price_from::numeric * (10000 - v_fee_bps),
					  v_price_to::numeric * 10000) * 0.000000000000000001;
	v_gross := div(amount::numeric * 1000000000000000000 * v_price_from::numeric,
				   v_price_to::numeric) * 0.000000000000000001;
	IF v_received = 0 THEN
		RAISE EXCEPTION 'amount % % is too small to swap', amount, from_currency USING ERRCODE = '22023',
			DETAIL = format('At %s %s per %s and a fee of %s bps it buys less than one wei.',
							v_price_from / v_price_to, v_to, from_currency, v_fee_bps);
	END IF;

	PERFORM xphere.lock_accounts(ARRAY[swap.user_id, swap.user_id, xphere.house_id(), xphere.house_id()],
								 ARRAY[from_currency, v_to, from_currency, v_to]);
	v_out := xphere.new_transaction(swap.user_id, 'SWAP', amount, from_currency, 'COMPLETED', 0,
		jsonb_build_object('direction', 'out', 'to_currency', v_to, 'received', v_received,
						   'price_from', v_price_from, 'price_to', v_price_to, 'fee_bps', v_fee_bps));
	v_in := xphere.new_transaction(swap.user_id, 'SWAP', v_received, v_to, 'COMPLETED',
		v_gross - v_received,
		jsonb_build_object('direction', 'in', 'from_currency', from_currency, 'paid', amount,
						   'swap_id', v_out));
	PERFORM xphere.post(swap.user_id, from_currency, -amount, 0, v_out);
	PERFORM xphere.post(xphere.house_id(), from_currency, amount, 0, v_out);
	PERFORM xphere.post(xphere.house_id(), v_to, -v_received, 0, v_in);
	PERFORM xphere.post(swap.user_id, v_to, v_received, 0, v_in);
	RETURN v_received;
END $$;
COMMENT ON FUNCTION swap(uuid, currency, wad) IS
	'exchanges XP and USDT with the house at the fresh price, less swap_fee_bps; returns the amount received';
/*
 * Lending math: pure, IMMUTABLE C functions (src/interest.c,
 * src/liquidation.c), callable and tested on their own.  Percentages are
 * basis points (10 000 = 100%); the pool stores them as fractions with
 * four decimals (0.7500) and converts with bps().
 */
CREATE FUNCTION linear_interest(rate ray, seconds bigint) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_linear_interest' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION linear_interest(ray, bigint) IS
	'supply-side growth factor: RAY + floor(rate * seconds / 31536000)';
CREATE FUNCTION compounded_interest(rate ray, seconds bigint) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_compounded_interest' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION compounded_interest(ray, bigint) IS
	'borrow-side growth factor, Aave''s three-term Taylor expansion of e^(rate * seconds / year)';
CREATE FUNCTION borrow_rate(utilization ray, base ray, slope1 ray, slope2 ray, optimal ray) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_borrow_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION borrow_rate(ray, ray, ray, ray, ray) IS
	'the kinked borrow-rate curve (slope2 above the optimal utilization, strictly)';
CREATE FUNCTION utilization(scaled_debt wad, borrow_index ray, cash wad) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_utilization' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION utilization(wad, ray, wad) IS
	'rayDiv(debt, cash + debt) with debt = rayMulCeil(scaled_debt, borrow_index); 0 without debt';
CREATE FUNCTION liquidity_rate(borrow_rate ray, utilization ray, reserve_factor_bps integer) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_liquidity_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION liquidity_rate(ray, ray, integer) IS
	'percentMul(rayMul(borrow_rate, utilization), 10000 - reserve_factor_bps)';

DO $$
DECLARE
	t text;
	f text;
BEGIN
	FOREACH t IN ARRAY ARRAY['wad', 'ray'] LOOP
		FOREACH f IN ARRAY ARRAY['percent_mul', 'percent_mul_floor', 'percent_mul_ceil',
								 'percent_div', 'percent_div_floor', 'percent_div_ceil'] LOOP
			EXECUTE format($f$CREATE FUNCTION xphere.%1$s(value xphere.%2$s, bps integer)
				RETURNS xphere.%2$s AS %3$L, %4$L LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE$f$,
				f, t, 'MODULE_PATHNAME', 'xphere_' || f);
			EXECUTE format($f$COMMENT ON FUNCTION xphere.%1$s(xphere.%2$s, integer) IS %3$L$f$,
				f, t, 'Aave PercentageMath: value ' ||
				CASE WHEN f LIKE 'percent_mul%' THEN '* bps / 10000' ELSE '* 10000 / bps' END ||
				CASE WHEN f LIKE '%floor' THEN ', rounded down' WHEN f LIKE '%ceil' THEN ', rounded up'
					 ELSE ', half up' END);
		END LOOP;
	END LOOP;
END $$;

CREATE FUNCTION liquidation_amounts(debt wad, collateral wad, price_asset wad,
		price_collateral wad, liquidation_threshold_bps integer, liquidation_bonus_bps integer,
		close_factor_min_base wad, min_leftover_base wad, debt_to_cover wad DEFAULT NULL,
		OUT debt_repaid wad, OUT collateral_seized wad)
	AS 'MODULE_PATHNAME', 'xphere_liquidation_amounts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION liquidation_amounts(wad, wad, wad, wad, integer, integer, wad, wad, wad) IS
	'debt repaid and collateral paid by a liquidation (Aave 3.3+ rules); XP004 if HF >= 1, XP007 if it would leave dust';
/*
 * Lending pools and positions (Aave V3 semantics, LENDING.md).
 *
 * State: a pool keeps its liquidity and borrow indexes (ray), current
 * rates, scaled totals, internally tracked cash, the treasury's scaled
 * claim, the written-off deficit and last_update.  Positions keep scaled
 * amounts; live amounts are scaled x index, rounded in the pool's favour.
 *
 * Every action: lock the accounts it moves (global order), lock the pool,
 * accrue the indexes to xphere.now(), move funds through post(), update
 * the positions, recompute the rates.  The pool's cash sits in the
 * account of the pool's own SYSTEM user, so the ledger still sums to
 * deposits minus withdrawals per currency.
 *
 * Liquidation checks do not scan every loan: for one pool and collateral
 * asset, HF < 1 roughly means scaled_debt / (collateral x threshold) >
 * price_collateral / (borrow_index x price_asset).  The left side, stored
 * as risk_key, changes only when the position does, so a btree index on
 * (pool_id, collateral_asset, risk_key) turns the check into a range scan
 * with a small safety margin; the exact, rounded health factor confirms
 * every candidate.  Positions too small for the margin to cover their
 * rounding (dust) are always candidates.
 */

ALTER TABLE lending_pools ADD COLUMN account_id uuid;
COMMENT ON COLUMN lending_pools.account_id IS 'the SYSTEM user whose account holds the pool''s cash';
ALTER TABLE borrow_positions ADD COLUMN risk_key double precision;
ALTER TABLE borrow_positions ADD COLUMN dust boolean NOT NULL DEFAULT false;
ALTER TABLE borrow_positions ADD COLUMN liquidatable_notified boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN borrow_positions.risk_key IS
	'scaled_debt / (collateral x liquidation threshold): liquidatable about when above price_collateral / (borrow_index x price_asset)';
COMMENT ON COLUMN borrow_positions.dust IS 'too small for the risk_key margin: always checked exactly';
COMMENT ON COLUMN borrow_positions.liquidatable_notified IS
	'tick() has reported the position liquidatable; cleared when its health factor is back to 1 or more';
CREATE INDEX borrow_positions_risk_idx ON borrow_positions (pool_id, collateral_asset, risk_key)
	WHERE status = 'OPEN';
CREATE INDEX borrow_positions_dust_idx ON borrow_positions (pool_id, collateral_asset)
	WHERE status = 'OPEN' AND dust;

/* the SYSTEM user of a pool: a uuid derived from its id */
CREATE FUNCTION pool_account(p_pool text) RETURNS uuid
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN md5('xphere pool ' || p_pool)::uuid;
COMMENT ON FUNCTION pool_account(text) IS 'owner of a pool''s cash account';

CREATE FUNCTION bps(fraction numeric) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN (fraction * 10000)::integer;
COMMENT ON FUNCTION bps(numeric) IS 'a fraction with four decimals as basis points';

CREATE FUNCTION create_pool_account(p_pool text) RETURNS uuid
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO xphere.users (id, email, password_hash, name, role, is_active)
	VALUES (xphere.pool_account(p_pool), 'pool-' || p_pool || '@xphere.invalid', '!',
			'Lending pool ' || p_pool, 'SYSTEM', false)
	ON CONFLICT (id) DO NOTHING;
	SELECT xphere.pool_account(p_pool);
END;
COMMENT ON FUNCTION create_pool_account(text) IS 'creates the SYSTEM user of a pool';

UPDATE lending_pools SET account_id = create_pool_account(id);
ALTER TABLE lending_pools ALTER COLUMN account_id SET NOT NULL;

-- time and indexes ------------------------------------------------------------

/*
 * Indexes projected to time t without writing: whole seconds since
 * last_update (the fraction is kept for the next accrual, so no time is
 * ever lost).  Returns the pool row with indexes, treasury and
 * last_update advanced.
 */
CREATE FUNCTION pool_at(p lending_pools, t timestamptz) RETURNS lending_pools
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	dt bigint;
	new_bi xphere.ray;
BEGIN
	IF t < p.last_update THEN
		RAISE EXCEPTION 'time runs backwards for pool %', p.id USING ERRCODE = '22023',
			DETAIL = format('The pool was last updated at %s, the clock says %s.', p.last_update, t);
	END IF;
	dt := floor(extract(epoch FROM t - p.last_update))::bigint;
	IF dt = 0 THEN
		RETURN p;
	END IF;
	IF p.liquidity_rate <> '0' THEN
		p.liquidity_index := xphere.linear_interest(p.liquidity_rate, dt) * p.liquidity_index;
	END IF;
	IF p.scaled_borrowed <> 0 THEN
		new_bi := xphere.compounded_interest(p.borrow_rate, dt) * p.borrow_index;
		p.treasury_scaled := p.treasury_scaled + xphere.ray_div_floor(
			xphere.percent_mul(xphere.ray_mul_floor(p.scaled_borrowed, new_bi - p.borrow_index),
							   xphere.bps(p.reserve_factor)),
			p.liquidity_index);
		p.borrow_index := new_bi;
	END IF;
	p.last_update := p.last_update + make_interval(secs => dt);
	p.total_supplied := xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index);
	p.total_borrowed := xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index);
	RETURN p;
END $$;
COMMENT ON FUNCTION pool_at(lending_pools, timestamptz) IS
	'a pool with its indexes (and the totals shown) accrued to a time, not written';

/* rates, APYs and displayed totals for the pool's current state */
CREATE FUNCTION pool_with_rates(p lending_pools) RETURNS lending_pools
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	u xphere.ray;
BEGIN
	IF p.scaled_borrowed = 0 THEN
		p.borrow_rate := p.base_rate;
		p.liquidity_rate := '0';
	ELSE
		u := xphere.utilization(p.scaled_borrowed, p.borrow_index, p.cash);
		p.borrow_rate := xphere.borrow_rate(u, p.base_rate, p.slope1, p.slope2, p.optimal_utilization);
		/*
		 * Suppliers share the borrowers' interest over all they are owed:
		 * the supply usage ratio debt / (cash + deficit + debt), Aave's
		 * with the written-off deficit in the place of unbacked supply.
		 * Over the utilization alone they would also earn on the deficit,
		 * which nobody pays, and the pool would stop covering them.
		 */
		p.liquidity_rate := xphere.liquidity_rate(p.borrow_rate,
			xphere.utilization(p.scaled_borrowed, p.borrow_index, p.cash + p.deficit),
			xphere.bps(p.reserve_factor));
	END IF;
	p.supply_apy := p.liquidity_rate::numeric * 100;
	p.borrow_apy := p.borrow_rate::numeric * 100;
	p.total_supplied := xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index);
	p.total_borrowed := xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index);
	RETURN p;
END $$;
COMMENT ON FUNCTION pool_with_rates(lending_pools) IS 'a pool with rates, APYs and totals recomputed, not written';

/* lock a pool (after the accounts) and accrue it to now, in memory */
CREATE FUNCTION accrue_pool(p_pool text) RETURNS lending_pools
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.lending_pools;
BEGIN
	SELECT * INTO p FROM xphere.lending_pools WHERE id = p_pool FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'unknown lending pool "%"', p_pool USING ERRCODE = '22023';
	END IF;
	RETURN xphere.pool_at(p, xphere.not_before(p.last_update, 'pool ' || p.id));
END $$;
COMMENT ON FUNCTION accrue_pool(text) IS
	'locks a pool and returns it accrued to xphere.now(); the caller writes it once with save_pool()';

CREATE FUNCTION save_pool(p lending_pools) RETURNS void
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	UPDATE xphere.lending_pools x SET
		liquidity_index = p.liquidity_index, borrow_index = p.borrow_index,
		liquidity_rate = p.liquidity_rate, borrow_rate = p.borrow_rate,
		supply_apy = p.supply_apy, borrow_apy = p.borrow_apy,
		scaled_supplied = p.scaled_supplied, scaled_borrowed = p.scaled_borrowed,
		total_supplied = p.total_supplied, total_borrowed = p.total_borrowed,
		cash = p.cash, treasury_scaled = p.treasury_scaled, deficit = p.deficit,
		last_update = p.last_update, updated_at = xphere.now()
	WHERE x.id = p.id;
END $$;
COMMENT ON FUNCTION save_pool(lending_pools) IS 'writes a pool''s accounting state';

/* the pool of a pool id, read-only and projected to now (for views and checks) */
CREATE FUNCTION pool_now(p_pool text) RETURNS lending_pools
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.lending_pools;
BEGIN
	SELECT * INTO p FROM xphere.lending_pools x WHERE x.id = p_pool;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	RETURN xphere.pool_at(p, greatest(xphere.now(), p.last_update));
END $$;
COMMENT ON FUNCTION pool_now(text) IS 'a pool with its indexes projected to now, without writing';

-- health --------------------------------------------------------------------

CREATE FUNCTION position_values(b borrow_positions, p lending_pools,
		price_asset wad, price_collateral wad,
		OUT debt wad, OUT collateral_value wad, OUT debt_value wad, OUT hf health_factor)
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	debt := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
	collateral_value := xphere.wad_mul_floor(b.collateral_amount, price_collateral);
	debt_value := xphere.wad_mul_ceil(debt, price_asset);
	hf := xphere.health_factor(
		xphere.percent_mul_floor(collateral_value, xphere.bps(p.liquidation_threshold)),
		'1', debt_value);
END $$;
COMMENT ON FUNCTION position_values(borrow_positions, lending_pools, wad, wad) IS
	'debt, collateral value, debt value and health factor of a position at the pool''s indexes';

/*
 * The stored health factor, liquidation price and risk key of a position
 * after a change (the pool row gives the indexes, prices may be NULL when
 * none was ever set: then only the risk key is refreshed).
 */
CREATE FUNCTION refresh_position(p_position uuid, p lending_pools) RETURNS health_factor
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
	v record;
	pa xphere.wad;
	pc xphere.wad;
	lt integer := xphere.bps(p.liquidation_threshold);
	liq_price xphere.wad;
BEGIN
	SELECT * INTO STRICT b FROM xphere.borrow_positions WHERE id = p_position;
	pa := xphere.latest_price(p.asset);
	pc := xphere.latest_price(b.collateral_asset);
	IF pa IS NOT NULL AND pc IS NOT NULL THEN
		v := xphere.position_values(b, p, pa, pc);
	END IF;
	/* the collateral price at which HF would be 1 at today's index */
	IF b.collateral_amount > 0 AND b.scaled_debt > 0 AND pa IS NOT NULL THEN
		liq_price := xphere.wad_div_ceil(xphere.percent_div_ceil(v.debt_value, lt),
										 b.collateral_amount);
	END IF;
	UPDATE xphere.borrow_positions SET
		health_factor = coalesce(v.hf, CASE WHEN b.scaled_debt = 0
										THEN 'infinity'::xphere.health_factor END,
								 b.health_factor),
		liquidation_price = liq_price,
		risk_key = CASE WHEN b.collateral_amount > 0
			THEN b.scaled_debt::numeric::float8 / (b.collateral_amount::numeric::float8 * lt / 10000)
			WHEN b.scaled_debt > 0 THEN 'Infinity' ELSE 0 END,
		dust = b.scaled_debt < '0.001' OR b.collateral_amount < '0.001',
		liquidatable_notified = b.liquidatable_notified AND coalesce(v.hf < 1, true),
		updated_at = xphere.now()
	WHERE id = b.id;
	RETURN coalesce(v.hf, CASE WHEN b.scaled_debt = 0 THEN 'infinity'::xphere.health_factor END);
END $$;
COMMENT ON FUNCTION refresh_position(uuid, lending_pools) IS
	'recomputes a position''s stored health factor, liquidation price and risk key';

CREATE FUNCTION latest_price(p_asset currency) RETURNS wad
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	IF p_asset = 'USDT' THEN
		RETURN '1'::xphere.wad;
	END IF;
	RETURN (SELECT x.price_usdt FROM xphere.prices x WHERE x.asset = p_asset::text
			ORDER BY x.created_at DESC, x.id DESC LIMIT 1);
END $$;
COMMENT ON FUNCTION latest_price(currency) IS 'the latest price in USDT, fresh or not; NULL if none';

CREATE FUNCTION fresh_price(p_asset currency) RETURNS wad
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	RETURN xphere.price(p_asset, xphere.setting('price_max_age')::interval);
END $$;
COMMENT ON FUNCTION fresh_price(currency) IS 'the price in USDT; XP005 if missing or older than price_max_age';

-- positions -----------------------------------------------------------------

CREATE FUNCTION open_pool(p_pool text) RETURNS lending_pools
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.lending_pools;
BEGIN
	PERFORM xphere.check_text(p_pool, 'pool_id', 32);
	SELECT * INTO p FROM xphere.lending_pools x WHERE x.id = p_pool;
	IF NOT FOUND OR NOT p.is_active THEN
		RAISE EXCEPTION 'unknown or inactive lending pool "%"', p_pool USING ERRCODE = '22023';
	END IF;
	RETURN p;
END $$;
COMMENT ON FUNCTION open_pool(text) IS 'the pool row; 22023 if unknown or inactive';

/* the position and its pool, for the owner: P0002, then 42501 */
CREATE FUNCTION owned_position(p_user uuid, p_position uuid) RETURNS borrow_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF p_position IS NULL THEN PERFORM xphere.raise_null('position_id'); END IF;
	/* existence of the user and the position (P0002), then permission (42501) */
	PERFORM xphere.require_user(p_user);
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = p_position;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'borrow position % does not exist', p_position USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_acting(p_user);
	IF b.user_id <> p_user THEN
		RAISE EXCEPTION 'borrow position % belongs to another user', p_position
			USING ERRCODE = '42501';
	END IF;
	RETURN b;
END $$;
COMMENT ON FUNCTION owned_position(uuid, uuid) IS 'a borrow position of the user; P0002 if missing, 42501 if another''s';

CREATE FUNCTION supply(user_id uuid, pool_id text, amount wad) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	v_scaled xphere.wad;
	v_total xphere.wad;
	v_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_amount(amount);
	p := xphere.open_pool(pool_id);
	PERFORM xphere.authorize_user(user_id);

	/*
	 * The ledger entry needs no lock: writing it before taking the pool's
	 * shortens the time every other call on the pool waits.
	 */
	v_tx := xphere.new_transaction(supply.user_id, 'SUPPLY', amount, p.asset, 'COMPLETED', 0,
								   jsonb_build_object('pool_id', p.id));
	PERFORM xphere.lock_accounts(ARRAY[supply.user_id, p.account_id], ARRAY[p.asset, p.asset]);
	p := xphere.accrue_pool(p.id);
	v_scaled := xphere.ray_div_floor(amount, p.liquidity_index);
	IF v_scaled = 0 THEN
		RAISE EXCEPTION 'amount % is too small for the pool', amount USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.post(supply.user_id, p.asset, -amount, 0, v_tx);
	PERFORM xphere.post(p.account_id, p.asset, amount, 0, v_tx);

	INSERT INTO xphere.supply_positions AS s (user_id, pool_id, scaled_amount)
	VALUES (supply.user_id, p.id, v_scaled)
	ON CONFLICT (user_id, pool_id) DO UPDATE SET scaled_amount = s.scaled_amount + EXCLUDED.scaled_amount,
		updated_at = xphere.now()
	RETURNING s.scaled_amount INTO v_total;
	p.scaled_supplied := p.scaled_supplied + v_scaled;
	p.cash := p.cash + amount;
	PERFORM xphere.save_pool(xphere.pool_with_rates(p));
	RETURN xphere.ray_mul_floor(v_total, p.liquidity_index);
END $$;
COMMENT ON FUNCTION supply(uuid, text, wad) IS 'supplies to a pool; returns the new supplied balance';

CREATE FUNCTION withdraw_supply(user_id uuid, pool_id text, amount wad DEFAULT NULL) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	s xphere.supply_positions;
	v_balance xphere.wad;
	v_amount xphere.wad := amount;
	v_burn xphere.wad;
	v_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF amount IS NOT NULL THEN PERFORM xphere.check_amount(amount); END IF;
	p := xphere.open_pool(pool_id);
	PERFORM xphere.authorize_user(user_id);

	/* with the amount known, the ledger entry is written before the locks (see supply) */
	IF v_amount IS NOT NULL THEN
		v_tx := xphere.new_transaction(withdraw_supply.user_id, 'WITHDRAW_SUPPLY', v_amount, p.asset,
									   'COMPLETED', 0, jsonb_build_object('pool_id', p.id));
	END IF;
	PERFORM xphere.lock_accounts(ARRAY[withdraw_supply.user_id, p.account_id], ARRAY[p.asset, p.asset]);
	p := xphere.accrue_pool(p.id);
	SELECT * INTO s FROM xphere.supply_positions x
	WHERE x.user_id = withdraw_supply.user_id AND x.pool_id = p.id FOR UPDATE;
	v_balance := xphere.ray_mul_floor(coalesce(s.scaled_amount, 0), p.liquidity_index);
	IF v_amount IS NULL OR v_amount = v_balance THEN
		v_amount := v_balance;
		v_burn := coalesce(s.scaled_amount, 0);
	ELSIF v_amount > v_balance THEN
		RAISE EXCEPTION 'insufficient supplied balance' USING ERRCODE = 'XP001',
			DETAIL = format('%s supplied, %s requested.', v_balance, v_amount);
	ELSE
		v_burn := xphere.ray_div_ceil(v_amount, p.liquidity_index);
	END IF;
	IF v_amount = 0 THEN
		RAISE EXCEPTION 'nothing supplied to withdraw' USING ERRCODE = 'XP001';
	END IF;
	IF v_amount > p.cash THEN
		RAISE EXCEPTION 'insufficient pool liquidity' USING ERRCODE = 'XP002',
			DETAIL = format('The pool has %s available, %s requested.', p.cash, v_amount);
	END IF;
	IF v_tx IS NULL THEN
		v_tx := xphere.new_transaction(withdraw_supply.user_id, 'WITHDRAW_SUPPLY', v_amount, p.asset,
									   'COMPLETED', 0, jsonb_build_object('pool_id', p.id));
	END IF;
	PERFORM xphere.post(p.account_id, p.asset, -v_amount, 0, v_tx);
	PERFORM xphere.post(withdraw_supply.user_id, p.asset, v_amount, 0, v_tx);
	UPDATE xphere.supply_positions SET scaled_amount = scaled_amount - v_burn, updated_at = xphere.now()
	WHERE id = s.id;
	p.scaled_supplied := p.scaled_supplied - v_burn;
	p.cash := p.cash - v_amount;
	PERFORM xphere.save_pool(xphere.pool_with_rates(p));
	RETURN v_amount;
END $$;
COMMENT ON FUNCTION withdraw_supply(uuid, text, wad) IS
	'withdraws supplied funds (NULL = all); returns the amount; XP001 beyond the balance, XP002 beyond the pool''s cash';

CREATE FUNCTION supplied_balance(user_id uuid, pool_id text) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
BEGIN
	p := xphere.open_pool(pool_id);
	PERFORM xphere.authorize_user(user_id);
	p := xphere.pool_now(p.id);
	RETURN xphere.ray_mul_floor(coalesce((SELECT s.scaled_amount FROM xphere.supply_positions s
		WHERE s.user_id = supplied_balance.user_id AND s.pool_id = p.id), 0), p.liquidity_index);
END $$;
COMMENT ON FUNCTION supplied_balance(uuid, text) IS 'supplied balance with interest to now';

CREATE FUNCTION borrow(user_id uuid, pool_id text, amount wad, collateral_asset currency,
					   collateral_amount wad) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	pa xphere.wad;
	pc xphere.wad;
	v_scaled xphere.wad;
	v_debt xphere.wad;
	v_id uuid := gen_random_uuid();
	v_tx uuid;
	v_ctx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_amount(amount);
	IF collateral_asset IS NULL THEN PERFORM xphere.raise_null('collateral_asset'); END IF;
	PERFORM xphere.check_amount(collateral_amount, 'collateral_amount');
	p := xphere.open_pool(pool_id);
	IF collateral_asset = p.asset THEN
		RAISE EXCEPTION 'collateral must differ from the borrowed asset %', p.asset
			USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_user(user_id);
	pa := xphere.fresh_price(p.asset);
	pc := xphere.fresh_price(collateral_asset);

	/* the ledger entries need no lock: written before the pool's (see supply) */
	v_tx := xphere.new_transaction(borrow.user_id, 'BORROW', amount, p.asset, 'COMPLETED', 0,
		jsonb_build_object('pool_id', p.id, 'position_id', v_id,
						   'collateral_asset', collateral_asset, 'collateral_amount', collateral_amount));
	v_ctx := xphere.new_transaction(borrow.user_id, 'BORROW', collateral_amount, collateral_asset,
		'COMPLETED', 0, jsonb_build_object('position_id', v_id, 'collateral', 'locked'));
	PERFORM xphere.lock_accounts(ARRAY[borrow.user_id, borrow.user_id, p.account_id],
								 ARRAY[p.asset, collateral_asset, p.asset]);
	p := xphere.accrue_pool(p.id);
	IF amount > p.cash THEN
		RAISE EXCEPTION 'insufficient pool liquidity' USING ERRCODE = 'XP002',
			DETAIL = format('The pool has %s available, %s requested.', p.cash, amount);
	END IF;
	v_scaled := xphere.ray_div_ceil(amount, p.borrow_index);
	v_debt := xphere.ray_mul_ceil(v_scaled, p.borrow_index);
	/* lock the collateral first: XP001 if the user does not have it */
	PERFORM xphere.post(borrow.user_id, collateral_asset, -collateral_amount, collateral_amount, v_ctx);
	IF xphere.wad_mul_floor(collateral_amount, pc)
		< xphere.percent_div_ceil(xphere.wad_mul_ceil(v_debt, pa), xphere.bps(p.ltv_ratio)) THEN
		RAISE EXCEPTION 'borrow exceeds the loan-to-value limit' USING ERRCODE = 'XP003',
			DETAIL = format('Collateral worth %s USDT allows %s USDT of debt at LTV %s; the debt would be worth %s.',
				xphere.wad_mul_floor(collateral_amount, pc),
				xphere.percent_mul_floor(xphere.wad_mul_floor(collateral_amount, pc), xphere.bps(p.ltv_ratio)),
				p.ltv_ratio, xphere.wad_mul_ceil(v_debt, pa));
	END IF;
	PERFORM xphere.post(p.account_id, p.asset, -amount, 0, v_tx);
	PERFORM xphere.post(borrow.user_id, p.asset, amount, 0, v_tx);
	INSERT INTO xphere.borrow_positions (id, user_id, pool_id, borrowed_amount, scaled_debt,
		collateral_asset, collateral_amount)
	VALUES (v_id, borrow.user_id, p.id, amount, v_scaled, collateral_asset, collateral_amount);
	p.scaled_borrowed := p.scaled_borrowed + v_scaled;
	p.cash := p.cash - amount;
	p := xphere.pool_with_rates(p);
	PERFORM xphere.save_pool(p);
	PERFORM xphere.refresh_position(v_id, p);
	RETURN v_id;
END $$;
COMMENT ON FUNCTION borrow(uuid, text, wad, currency, wad) IS
	'borrows from a pool against collateral locked in the borrower''s account; XP003 beyond the LTV';

CREATE FUNCTION repay(user_id uuid, position_id uuid, amount wad DEFAULT NULL) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	v_debt xphere.wad;
	v_amount xphere.wad := amount;
	v_burn xphere.wad;
	v_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF amount IS NOT NULL THEN PERFORM xphere.check_amount(amount); END IF;
	b := xphere.owned_position(user_id, position_id);
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', position_id, b.status USING ERRCODE = 'XP006';
	END IF;
	p := xphere.open_pool(b.pool_id);

	PERFORM xphere.lock_accounts(ARRAY[repay.user_id, repay.user_id, p.account_id],
								 ARRAY[p.asset, b.collateral_asset, p.asset]);
	p := xphere.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions WHERE id = b.id FOR UPDATE;
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', position_id, b.status USING ERRCODE = 'XP006';
	END IF;
	v_debt := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
	IF v_amount IS NULL OR v_amount >= v_debt THEN
		v_amount := v_debt;
		v_burn := b.scaled_debt;
	ELSE
		v_burn := xphere.ray_div_floor(v_amount, p.borrow_index);
		IF v_burn = 0 THEN
			RAISE EXCEPTION 'amount % is too small to repay anything', amount USING ERRCODE = '22023';
		END IF;
	END IF;
	v_tx := xphere.new_transaction(repay.user_id, 'REPAY', v_amount, p.asset, 'COMPLETED', 0,
		jsonb_build_object('pool_id', p.id, 'position_id', b.id, 'scaled', v_burn));
	PERFORM xphere.post(repay.user_id, p.asset, -v_amount, 0, v_tx);
	PERFORM xphere.post(p.account_id, p.asset, v_amount, 0, v_tx);
	IF v_burn = b.scaled_debt THEN
		/* repaid in full: the collateral returns to available */
		v_tx := xphere.new_transaction(repay.user_id, 'REPAY', b.collateral_amount, b.collateral_asset,
			'COMPLETED', 0, jsonb_build_object('position_id', b.id, 'collateral', 'released'));
		PERFORM xphere.post(repay.user_id, b.collateral_asset, b.collateral_amount,
							-b.collateral_amount, v_tx);
		UPDATE xphere.borrow_positions SET scaled_debt = 0, collateral_amount = 0,
			status = 'CLOSED', health_factor = 'infinity', liquidation_price = NULL, risk_key = 0
		WHERE id = b.id;
	ELSE
		UPDATE xphere.borrow_positions SET scaled_debt = scaled_debt - v_burn, updated_at = xphere.now()
		WHERE id = b.id;
	END IF;
	p.scaled_borrowed := p.scaled_borrowed - v_burn;
	p.cash := p.cash + v_amount;
	p := xphere.pool_with_rates(p);
	PERFORM xphere.save_pool(p);
	IF v_burn <> b.scaled_debt THEN
		PERFORM xphere.refresh_position(b.id, p);
	END IF;
	RETURN v_amount;
END $$;
COMMENT ON FUNCTION repay(uuid, uuid, wad) IS
	'repays debt (NULL or more than the debt = all of it, returning what was owed); full repayment releases the collateral';

CREATE FUNCTION change_collateral(p_user uuid, p_position uuid, p_amount wad, p_add boolean)
	RETURNS health_factor
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	v record;
	v_tx uuid;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_amount(p_amount);
	b := xphere.owned_position(p_user, p_position);
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', p_position, b.status USING ERRCODE = 'XP006';
	END IF;
	p := xphere.open_pool(b.pool_id);
	IF NOT p_add THEN
		IF p_amount > b.collateral_amount THEN
			RAISE EXCEPTION 'the position holds only % collateral', b.collateral_amount
				USING ERRCODE = 'XP001';
		END IF;
		PERFORM xphere.fresh_price(p.asset);
		PERFORM xphere.fresh_price(b.collateral_asset);
	END IF;

	PERFORM xphere.lock_accounts(ARRAY[p_user], ARRAY[b.collateral_asset]);
	p := xphere.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions WHERE id = b.id FOR UPDATE;
	/* the checks again under the lock: a concurrent call may have changed the position */
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'borrow position % is %', p_position, b.status USING ERRCODE = 'XP006';
	END IF;
	IF NOT p_add AND p_amount > b.collateral_amount THEN
		RAISE EXCEPTION 'the position holds only % collateral', b.collateral_amount
			USING ERRCODE = 'XP001';
	END IF;
	v_tx := xphere.new_transaction(p_user, 'BORROW', p_amount, b.collateral_asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'collateral',
						   CASE WHEN p_add THEN 'added' ELSE 'removed' END));
	IF p_add THEN
		PERFORM xphere.post(p_user, b.collateral_asset, -p_amount, p_amount, v_tx);
		b.collateral_amount := b.collateral_amount + p_amount;
	ELSE
		b.collateral_amount := b.collateral_amount - p_amount;
		v := xphere.position_values(b, p, xphere.fresh_price(p.asset),
									xphere.fresh_price(b.collateral_asset));
		IF v.hf < 1 THEN
			RAISE EXCEPTION 'removing % collateral would leave health factor %', p_amount, v.hf
				USING ERRCODE = 'XP003';
		END IF;
		PERFORM xphere.post(p_user, b.collateral_asset, p_amount, -p_amount, v_tx);
	END IF;
	UPDATE xphere.borrow_positions SET collateral_amount = b.collateral_amount WHERE id = b.id;
	RETURN xphere.refresh_position(b.id, p);
END $$;
COMMENT ON FUNCTION change_collateral(uuid, uuid, wad, boolean) IS 'adds or removes collateral of a position';

CREATE FUNCTION add_collateral(user_id uuid, position_id uuid, amount wad) RETURNS health_factor
	LANGUAGE sql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp
	RETURN xphere.change_collateral(user_id, position_id, amount, true);
COMMENT ON FUNCTION add_collateral(uuid, uuid, wad) IS 'locks more collateral; returns the new health factor';

CREATE FUNCTION remove_collateral(user_id uuid, position_id uuid, amount wad) RETURNS health_factor
	LANGUAGE sql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp
	RETURN xphere.change_collateral(user_id, position_id, amount, false);
COMMENT ON FUNCTION remove_collateral(uuid, uuid, wad) IS
	'releases collateral if the health factor stays >= 1 (fresh prices needed); returns it';

CREATE FUNCTION debt(position_id uuid) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
BEGIN
	IF position_id IS NULL THEN PERFORM xphere.raise_null('position_id'); END IF;
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = position_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'borrow position % does not exist', position_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_user(b.user_id);
	RETURN xphere.ray_mul_ceil(b.scaled_debt, (xphere.pool_now(b.pool_id)).borrow_index);
END $$;
COMMENT ON FUNCTION debt(uuid) IS 'the debt of a position with interest to now';

CREATE FUNCTION position_health(position_id uuid) RETURNS health_factor
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	pa xphere.wad;
	pc xphere.wad;
BEGIN
	IF position_id IS NULL THEN PERFORM xphere.raise_null('position_id'); END IF;
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = position_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'borrow position % does not exist', position_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_user(b.user_id);
	IF b.scaled_debt = 0 THEN
		RETURN 'infinity';
	END IF;
	p := xphere.pool_now(b.pool_id);
	pa := xphere.latest_price(p.asset);
	pc := xphere.latest_price(b.collateral_asset);
	IF pa IS NULL OR pc IS NULL THEN
		RAISE EXCEPTION 'no price for % or %', p.asset, b.collateral_asset USING ERRCODE = 'XP005';
	END IF;
	RETURN (xphere.position_values(b, p, pa, pc)).hf;
END $$;
COMMENT ON FUNCTION position_health(uuid) IS 'the live health factor, at the latest prices and today''s borrow index';

-- liquidation -----------------------------------------------------------------

/*
 * The positions of one pool and collateral asset whose exact health factor
 * is below 1, with it: the risk_key index gives the candidates (a range
 * scan, plus the dust positions), the rounded health factor confirms them.
 */
CREATE FUNCTION liquidatable_in(p lending_pools, p_collateral currency) RETURNS SETOF borrow_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	pa xphere.wad := xphere.latest_price(p.asset);
	pc xphere.wad := xphere.latest_price(p_collateral);
	lt integer := xphere.bps(p.liquidation_threshold);
	v_threshold float8;
BEGIN
	IF pa IS NULL OR pc IS NULL THEN
		RETURN;
	END IF;
	/* HF < 1 about when risk_key > pc / (BI * pa); the margin covers float rounding */
	v_threshold := pc::numeric::float8 / (p.borrow_index::numeric::float8 * pa::numeric::float8)
		* (1 - 1e-9);
	/* the stored row with the live health factor in its place (columns in table order) */
	RETURN QUERY
		SELECT b.id, b.user_id, b.pool_id, b.borrowed_amount, b.scaled_debt, b.collateral_asset,
			b.collateral_amount, h.hf, b.liquidation_price, b.status, b.created_at, b.updated_at,
			b.risk_key, b.dust, b.liquidatable_notified
		FROM xphere.borrow_positions b
		CROSS JOIN LATERAL (SELECT xphere.health_factor(
			xphere.percent_mul_floor(xphere.wad_mul_floor(b.collateral_amount, pc), lt), '1',
			xphere.wad_mul_ceil(xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index), pa)) AS hf) h
		WHERE b.pool_id = p.id AND b.collateral_asset = p_collateral AND b.status = 'OPEN'
		  AND (b.risk_key > v_threshold OR b.dust)
		  AND h.hf < 1
		ORDER BY b.id;
END $$;
COMMENT ON FUNCTION liquidatable_in(lending_pools, currency) IS
	'liquidatable positions of a pool and collateral asset, with their live health factor';

CREATE FUNCTION liquidatable_positions(pool_id text DEFAULT NULL) RETURNS SETOF borrow_positions
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
	c xphere.currency;
BEGIN
	IF pool_id IS NOT NULL THEN
		PERFORM xphere.check_text(pool_id, 'pool_id', 32);
		IF NOT EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.id = pool_id) THEN
			RAISE EXCEPTION 'unknown lending pool "%"', pool_id USING ERRCODE = '22023';
		END IF;
	END IF;
	FOR p IN SELECT * FROM xphere.lending_pools x
			 WHERE liquidatable_positions.pool_id IS NULL OR x.id = liquidatable_positions.pool_id
			 ORDER BY x.id
	LOOP
		p := xphere.pool_at(p, greatest(xphere.now(), p.last_update));
		FOREACH c IN ARRAY enum_range(NULL::xphere.currency) LOOP
			CONTINUE WHEN c = p.asset;
			RETURN QUERY SELECT * FROM xphere.liquidatable_in(p, c);
		END LOOP;
	END LOOP;
END $$;
COMMENT ON FUNCTION liquidatable_positions(text) IS
	'open positions whose live health factor (shown) is below 1, found through the risk_key index';

/*
 * The liquidation itself, for a liquidator already checked (or the house,
 * when tick() liquidates): prices, locks, amounts, money, position, pool,
 * and an event.
 */
CREATE FUNCTION liquidate_position(liquidator_id uuid, position_id uuid, debt_to_cover wad,
		OUT debt_repaid wad, OUT collateral_seized wad)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
	p xphere.lending_pools;
	pa xphere.wad;
	pc xphere.wad;
	v_debt xphere.wad;
	a record;
	v_burn xphere.wad;
	v_bad xphere.wad := 0;
	v_tx uuid;
	v_btx uuid;
	v_ltx uuid;
BEGIN
	SELECT * INTO STRICT b FROM xphere.borrow_positions x WHERE x.id = position_id;
	p := xphere.open_pool(b.pool_id);
	pa := xphere.fresh_price(p.asset);
	pc := xphere.fresh_price(b.collateral_asset);

	PERFORM xphere.lock_accounts(
		ARRAY[liquidator_id, liquidator_id, b.user_id, p.account_id],
		ARRAY[p.asset, b.collateral_asset, b.collateral_asset, p.asset]);
	p := xphere.accrue_pool(p.id);
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = b.id FOR UPDATE;
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'position is not liquidatable' USING ERRCODE = 'XP004';
	END IF;
	v_debt := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
	a := xphere.liquidation_amounts(v_debt, b.collateral_amount, pa, pc,
		xphere.bps(p.liquidation_threshold), xphere.bps(p.liquidation_bonus),
		p.close_factor_min_base, p.min_leftover_base, debt_to_cover);

	v_burn := CASE WHEN a.debt_repaid = v_debt THEN b.scaled_debt
				   ELSE least(xphere.ray_div_floor(a.debt_repaid, p.borrow_index), b.scaled_debt) END;
	v_tx := xphere.new_transaction(liquidator_id, 'LIQUIDATION', a.debt_repaid, p.asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'role', 'liquidator',
						   'collateral_seized', a.collateral_seized, 'collateral_asset', b.collateral_asset));
	v_btx := xphere.new_transaction(b.user_id, 'LIQUIDATION', a.collateral_seized, b.collateral_asset,
		'COMPLETED', 0, jsonb_build_object('position_id', b.id, 'role', 'borrower',
										   'debt_repaid', a.debt_repaid, 'liquidator', liquidator_id));
	PERFORM xphere.post(liquidator_id, p.asset, -a.debt_repaid, 0, v_tx);
	PERFORM xphere.post(p.account_id, p.asset, a.debt_repaid, 0, v_tx);
	PERFORM xphere.post(b.user_id, b.collateral_asset, 0, -a.collateral_seized, v_btx);
	v_ltx := xphere.new_transaction(liquidator_id, 'LIQUIDATION', a.collateral_seized,
		b.collateral_asset, 'COMPLETED', 0,
		jsonb_build_object('position_id', b.id, 'role', 'liquidator', 'collateral', 'received'));
	PERFORM xphere.post(liquidator_id, b.collateral_asset, a.collateral_seized, 0, v_ltx);

	b.scaled_debt := b.scaled_debt - v_burn;
	b.collateral_amount := b.collateral_amount - a.collateral_seized;
	p.scaled_borrowed := p.scaled_borrowed - v_burn;
	p.cash := p.cash + a.debt_repaid;
	IF b.collateral_amount = 0 AND b.scaled_debt > 0 THEN
		/* bad debt: nothing left to seize, the rest is written off */
		v_bad := xphere.ray_mul_ceil(b.scaled_debt, p.borrow_index);
		p.deficit := p.deficit + v_bad;
		p.scaled_borrowed := p.scaled_borrowed - b.scaled_debt;
		b.scaled_debt := 0;
	END IF;
	IF b.scaled_debt = 0 AND b.collateral_amount > 0 THEN
		/* debt gone: the remaining collateral returns to the borrower */
		PERFORM xphere.post(b.user_id, b.collateral_asset, b.collateral_amount,
							-b.collateral_amount, v_btx);
		b.collateral_amount := 0;
	END IF;
	UPDATE xphere.borrow_positions SET scaled_debt = b.scaled_debt,
		collateral_amount = b.collateral_amount,
		status = CASE WHEN b.scaled_debt = 0 THEN 'LIQUIDATED'::xphere.position_status ELSE status END
	WHERE id = b.id;
	p := xphere.pool_with_rates(p);
	PERFORM xphere.save_pool(p);
	IF b.scaled_debt > 0 THEN
		PERFORM xphere.refresh_position(b.id, p);
	ELSE
		UPDATE xphere.borrow_positions SET health_factor = 'infinity', liquidation_price = NULL,
			risk_key = 0 WHERE id = b.id;
	END IF;
	PERFORM xphere.emit_event('liquidation', jsonb_build_object('position_id', b.id,
		'pool_id', p.id, 'borrower', b.user_id, 'liquidator', liquidator_id,
		'debt_repaid', a.debt_repaid, 'collateral_seized', a.collateral_seized,
		'collateral_asset', b.collateral_asset, 'bad_debt', v_bad));
	debt_repaid := a.debt_repaid;
	collateral_seized := a.collateral_seized;
END $$;
COMMENT ON FUNCTION liquidate_position(uuid, uuid, wad) IS
	'liquidates a position for an already authorised liquidator (internal; see liquidate())';


CREATE FUNCTION liquidate(liquidator_id uuid, position_id uuid, debt_to_cover wad DEFAULT NULL)
	RETURNS TABLE (debt_repaid wad, collateral_seized wad)
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	b xphere.borrow_positions;
BEGIN
	IF liquidator_id IS NULL THEN PERFORM xphere.raise_null('liquidator_id'); END IF;
	IF position_id IS NULL THEN PERFORM xphere.raise_null('position_id'); END IF;
	IF debt_to_cover IS NOT NULL THEN PERFORM xphere.check_amount(debt_to_cover, 'debt_to_cover'); END IF;
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = position_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'borrow position % does not exist', position_id USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_user(liquidator_id, 'liquidator_id');
	IF liquidator_id = b.user_id THEN
		RAISE EXCEPTION 'a borrower cannot liquidate their own position' USING ERRCODE = '42501';
	END IF;
	IF b.status <> 'OPEN' THEN
		RAISE EXCEPTION 'position is not liquidatable' USING ERRCODE = 'XP004',
			DETAIL = format('The position is %s.', b.status);
	END IF;
	RETURN QUERY SELECT * FROM xphere.liquidate_position(liquidator_id, position_id, debt_to_cover);
END $$;
COMMENT ON FUNCTION liquidate(uuid, uuid, wad) IS
	'repays part or all of an unhealthy position''s debt for its collateral plus the bonus; bad debt goes to the pool''s deficit';

/*
 * After a price or index move: refresh the stored health factor of every
 * position at risk (live HF below 1.1, found through the risk_key index)
 * and of every position still stored as below 1, so the partial index on
 * health_factor < 1 holds exactly the positions that were last seen
 * liquidatable.  Returns how many positions were refreshed.
 */
CREATE FUNCTION refresh_positions_at_risk(p_pool text DEFAULT NULL) RETURNS integer
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.lending_pools;
	c xphere.currency;
	pa xphere.wad;
	pc xphere.wad;
	v_threshold float8;
	v_id uuid;
	n integer := 0;
BEGIN
	/*
	 * The pool's lock first, as every action on its positions takes it:
	 * set_price() and tick() refresh the same positions, and without it
	 * they could lock them in different orders.
	 */
	FOR p IN SELECT * FROM xphere.lending_pools x WHERE p_pool IS NULL OR x.id = p_pool
			 ORDER BY x.id FOR UPDATE LOOP
		p := xphere.pool_at(p, greatest(xphere.now(), p.last_update));
		pa := xphere.latest_price(p.asset);
		FOREACH c IN ARRAY enum_range(NULL::xphere.currency) LOOP
			CONTINUE WHEN c = p.asset;
			pc := xphere.latest_price(c);
			CONTINUE WHEN pa IS NULL OR pc IS NULL;
			v_threshold := pc::numeric::float8
				/ (p.borrow_index::numeric::float8 * pa::numeric::float8) / 1.1 * (1 - 1e-9);
			FOR v_id IN
				SELECT b.id FROM xphere.borrow_positions b
				WHERE b.pool_id = p.id AND b.collateral_asset = c AND b.status = 'OPEN'
				  AND (b.risk_key > v_threshold OR b.dust)
				UNION
				SELECT b.id FROM xphere.borrow_positions b
				WHERE b.pool_id = p.id AND b.collateral_asset = c AND b.health_factor < 1
				ORDER BY 1
			LOOP
				PERFORM xphere.refresh_position(v_id, p);
				n := n + 1;
			END LOOP;
		END LOOP;
	END LOOP;
	RETURN n;
END $$;
COMMENT ON FUNCTION refresh_positions_at_risk(text) IS
	'refreshes the stored health factor of positions at risk (live HF < 1.1) and of those stored below 1';

-- administration ----------------------------------------------------------------

CREATE FUNCTION pool_keys() RETURNS text[]
	LANGUAGE sql IMMUTABLE
	RETURN ARRAY['ltv_ratio', 'liquidation_threshold', 'liquidation_bonus', 'reserve_factor',
				 'base_rate', 'slope1', 'slope2', 'optimal_utilization',
				 'close_factor_min_base', 'min_leftover_base', 'is_active'];
COMMENT ON FUNCTION pool_keys() IS 'the parameters of a lending pool';

CREATE FUNCTION param_fraction(params jsonb, key text) RETURNS numeric
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t text := xphere.param_text(params, key);
	v numeric;
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		v := t::numeric;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'parameter "%" is not a number: "%"', key, left(t, 100) USING ERRCODE = '22023';
	END;
	IF v < 0 OR v > 1 OR v <> round(v, 4) THEN
		RAISE EXCEPTION 'parameter "%" must be a fraction between 0 and 1 with at most four decimals', key
			USING ERRCODE = '22023';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION param_fraction(jsonb, text) IS 'a pool percentage (0 to 1, four decimals); 22023 otherwise';

CREATE FUNCTION param_ray(params jsonb, key text) RETURNS ray
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	t text := xphere.param_text(params, key);
	v xphere.ray;
BEGIN
	IF t IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		v := t::xphere.ray;
	EXCEPTION WHEN data_exception THEN
		RAISE EXCEPTION 'parameter "%" is not a valid rate: "%"', key, left(t, 100) USING ERRCODE = '22023';
	END;
	IF v < '0' OR v > '10' THEN
		RAISE EXCEPTION 'parameter "%" must be a rate between 0 and 10 per year', key USING ERRCODE = '22023';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION param_ray(jsonb, text) IS 'a per-year rate as ray (0 to 10); 22023 otherwise';

/* a pool row with the given parameters applied and the whole set validated */
CREATE FUNCTION apply_pool_params(p lending_pools, params jsonb) RETURNS lending_pools
	LANGUAGE plpgsql IMMUTABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	k text;
BEGIN
	PERFORM xphere.check_param_keys(params, xphere.pool_keys());
	/* every pool parameter has a value: a JSON null is invalid, not "unchanged" */
	FOR k IN SELECT e.key FROM jsonb_each(params) e WHERE jsonb_typeof(e.value) = 'null' LOOP
		RAISE EXCEPTION 'parameter "%" must not be null', k USING ERRCODE = '22023';
	END LOOP;
	p.ltv_ratio := coalesce(xphere.param_fraction(params, 'ltv_ratio'), p.ltv_ratio);
	p.liquidation_threshold := coalesce(xphere.param_fraction(params, 'liquidation_threshold'),
										p.liquidation_threshold);
	p.liquidation_bonus := coalesce(xphere.param_fraction(params, 'liquidation_bonus'), p.liquidation_bonus);
	p.reserve_factor := coalesce(xphere.param_fraction(params, 'reserve_factor'), p.reserve_factor);
	p.base_rate := coalesce(xphere.param_ray(params, 'base_rate'), p.base_rate);
	p.slope1 := coalesce(xphere.param_ray(params, 'slope1'), p.slope1);
	p.slope2 := coalesce(xphere.param_ray(params, 'slope2'), p.slope2);
	p.optimal_utilization := coalesce(xphere.param_ray(params, 'optimal_utilization'),
									  p.optimal_utilization);
	p.close_factor_min_base := coalesce(xphere.param_wad(params, 'close_factor_min_base', 0),
										p.close_factor_min_base);
	p.min_leftover_base := coalesce(xphere.param_wad(params, 'min_leftover_base', 0), p.min_leftover_base);
	p.is_active := coalesce(xphere.param_bool(params, 'is_active'), p.is_active);
	IF NOT (p.ltv_ratio > 0 AND p.ltv_ratio < p.liquidation_threshold) THEN
		RAISE EXCEPTION 'ltv_ratio must be above 0 and below liquidation_threshold' USING ERRCODE = '22023';
	END IF;
	IF p.liquidation_threshold * (1 + p.liquidation_bonus) > 1 THEN
		RAISE EXCEPTION 'liquidation_threshold x (1 + liquidation_bonus) must not exceed 1'
			USING ERRCODE = '22023';
	END IF;
	IF p.reserve_factor >= 1 THEN
		RAISE EXCEPTION 'reserve_factor must be below 1' USING ERRCODE = '22023';
	END IF;
	IF NOT (p.optimal_utilization > '0' AND p.optimal_utilization < '1') THEN
		RAISE EXCEPTION 'optimal_utilization must be strictly between 0 and 1' USING ERRCODE = '22023';
	END IF;
	IF p.slope1 > p.slope2 THEN
		RAISE EXCEPTION 'slope1 must not exceed slope2' USING ERRCODE = '22023';
	END IF;
	RETURN p;
END $$;
COMMENT ON FUNCTION apply_pool_params(lending_pools, jsonb) IS 'validates pool parameters onto a pool row';

CREATE FUNCTION pool_params(p lending_pools) RETURNS jsonb
	LANGUAGE sql IMMUTABLE
	RETURN jsonb_build_object('asset', p.asset, 'ltv_ratio', p.ltv_ratio,
		'liquidation_threshold', p.liquidation_threshold, 'liquidation_bonus', p.liquidation_bonus,
		'reserve_factor', p.reserve_factor, 'base_rate', p.base_rate::text, 'slope1', p.slope1::text,
		'slope2', p.slope2::text, 'optimal_utilization', p.optimal_utilization::text,
		'close_factor_min_base', p.close_factor_min_base::text,
		'min_leftover_base', p.min_leftover_base::text, 'is_active', p.is_active);
COMMENT ON FUNCTION pool_params(lending_pools) IS 'a pool''s parameters as jsonb, for the audit log';

CREATE FUNCTION create_pool(pool_id text, asset text, params jsonb DEFAULT '{}') RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.lending_pools;
BEGIN
	PERFORM xphere.check_text(pool_id, 'pool_id', 32);
	PERFORM xphere.check_text(asset, 'asset', 10);
	IF params IS NULL THEN PERFORM xphere.raise_null('params'); END IF;
	IF pool_id !~ '^[a-z0-9][a-z0-9_-]{0,31}$' THEN
		RAISE EXCEPTION 'invalid pool id "%"', pool_id USING ERRCODE = '22023',
			HINT = 'A pool id is 1 to 32 lower-case letters, digits, "_" or "-".';
	END IF;
	IF asset NOT IN (SELECT unnest(enum_range(NULL::xphere.currency))::text) THEN
		RAISE EXCEPTION 'unknown asset "%"', asset USING ERRCODE = '22023';
	END IF;
	/* the defaults of a new pool, then the given parameters */
	SELECT * INTO p FROM (SELECT (NULL::xphere.lending_pools).*) x;
	p.ltv_ratio := 0.7500; p.liquidation_threshold := 0.8000; p.liquidation_bonus := 0.0500;
	p.reserve_factor := 0.1000; p.base_rate := '0'; p.slope1 := '0.04'; p.slope2 := '0.75';
	p.optimal_utilization := '0.80'; p.close_factor_min_base := 2000; p.min_leftover_base := 1000;
	p.is_active := true;
	p := xphere.apply_pool_params(p, params);
	IF EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.id = create_pool.pool_id) THEN
		RAISE EXCEPTION 'lending pool "%" already exists', pool_id USING ERRCODE = '23505';
	END IF;
	IF EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.asset = create_pool.asset::xphere.currency) THEN
		RAISE EXCEPTION 'a lending pool for % already exists', asset USING ERRCODE = '23505';
	END IF;
	INSERT INTO xphere.lending_pools (id, asset, account_id, ltv_ratio, liquidation_threshold,
		liquidation_bonus, reserve_factor, base_rate, slope1, slope2, optimal_utilization,
		close_factor_min_base, min_leftover_base, is_active, borrow_rate, borrow_apy, last_update)
	VALUES (create_pool.pool_id, create_pool.asset::xphere.currency,
		xphere.create_pool_account(create_pool.pool_id), p.ltv_ratio, p.liquidation_threshold,
		p.liquidation_bonus, p.reserve_factor, p.base_rate, p.slope1, p.slope2, p.optimal_utilization,
		p.close_factor_min_base, p.min_leftover_base, p.is_active, p.base_rate,
		p.base_rate::numeric * 100, xphere.now());
	SELECT * INTO p FROM xphere.lending_pools x WHERE x.id = create_pool.pool_id;
	PERFORM xphere.audit('create_pool', 'lending_pool', pool_id, NULL, xphere.pool_params(p));
END $$;
COMMENT ON FUNCTION create_pool(text, text, jsonb) IS 'creates a lending pool for an asset; audited';

CREATE FUNCTION update_pool(pool_id text, params jsonb) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	old xphere.lending_pools;
	p xphere.lending_pools;
BEGIN
	PERFORM xphere.check_text(pool_id, 'pool_id', 32);
	PERFORM xphere.check_param_keys(params, xphere.pool_keys());
	IF NOT EXISTS (SELECT 1 FROM xphere.lending_pools x WHERE x.id = update_pool.pool_id) THEN
		RAISE EXCEPTION 'unknown lending pool "%"', pool_id USING ERRCODE = '22023';
	END IF;
	/* validate before locking anything */
	SELECT * INTO old FROM xphere.lending_pools x WHERE x.id = update_pool.pool_id;
	PERFORM xphere.apply_pool_params(old, params);
	/* accrue at the old rates up to now, then apply */
	old := xphere.accrue_pool(pool_id);
	p := xphere.pool_with_rates(xphere.apply_pool_params(old, params));
	UPDATE xphere.lending_pools x SET ltv_ratio = p.ltv_ratio,
		liquidation_threshold = p.liquidation_threshold, liquidation_bonus = p.liquidation_bonus,
		reserve_factor = p.reserve_factor, base_rate = p.base_rate, slope1 = p.slope1,
		slope2 = p.slope2, optimal_utilization = p.optimal_utilization,
		close_factor_min_base = p.close_factor_min_base, min_leftover_base = p.min_leftover_base,
		is_active = p.is_active
	WHERE x.id = p.id;
	PERFORM xphere.save_pool(p);
	PERFORM xphere.audit('update_pool', 'lending_pool', pool_id, xphere.pool_params(old),
						 xphere.pool_params(p));
	IF p.liquidation_threshold <> old.liquidation_threshold THEN
		UPDATE xphere.borrow_positions b SET risk_key = CASE WHEN b.collateral_amount > 0
			THEN b.scaled_debt::numeric::float8
				/ (b.collateral_amount::numeric::float8 * xphere.bps(p.liquidation_threshold) / 10000)
			ELSE 'Infinity' END
		WHERE b.pool_id = p.id AND b.status = 'OPEN';
		PERFORM xphere.refresh_positions_at_risk(p.id);
	END IF;
END $$;
COMMENT ON FUNCTION update_pool(text, jsonb) IS
	'changes a pool''s parameters after accruing at the old rates; audited';
/*
 * check_invariants(): every rule that keeps the money consistent, checked
 * against the stored rows.  No rows means healthy.  It reads everything,
 * so it is for tests, audits and after-crash checks, not for every call.
 */
CREATE FUNCTION check_invariants() RETURNS TABLE (invariant text, detail text)
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp
BEGIN ATOMIC
	-- each account equals the sum of its history, and its last after-values
	SELECT 'account equals its history',
		format('%s %s: available %s, locked %s; history sums to %s, %s',
			a.user_id, a.currency, a.available, a.locked,
			coalesce(h.avail, 0), coalesce(h.lock, 0))
	FROM xphere.accounts a
	LEFT JOIN (SELECT user_id, currency, sum(available_change) AS avail,
					  sum(locked_change) AS lock
			   FROM xphere.balance_history GROUP BY user_id, currency) h
		USING (user_id, currency)
	WHERE a.available <> coalesce(h.avail, 0) OR a.locked <> coalesce(h.lock, 0)
	UNION ALL
	-- history rows chain: each before equals the previous after
	SELECT 'history rows chain',
		format('%s %s: row %s starts at %s/%s, the previous one ended at %s/%s',
			user_id, currency, id, available_before, locked_before, prev_avail, prev_lock)
	FROM (SELECT h.*, lag(available_after) OVER w AS prev_avail,
				 lag(locked_after) OVER w AS prev_lock
		  FROM xphere.balance_history h
		  WINDOW w AS (PARTITION BY user_id, currency ORDER BY id)) c
	WHERE (prev_avail IS NULL AND (available_before <> 0 OR locked_before <> 0))
	   OR (prev_avail IS NOT NULL AND (available_before <> prev_avail OR locked_before <> prev_lock))
	UNION ALL
	-- nobody but the house is below zero
	SELECT 'no negative balance',
		format('%s %s: available %s, locked %s', user_id, currency, available, locked)
	FROM xphere.accounts
	WHERE (available < 0 AND NOT allow_negative) OR locked < 0
	UNION ALL
	SELECT 'only house accounts may go negative',
		format('%s %s allows a negative balance', user_id, currency)
	FROM xphere.accounts WHERE allow_negative AND user_id <> xphere.house_id()
	UNION ALL
	-- locked funds are exactly pending withdrawals plus collateral
	SELECT 'locked equals pending withdrawals and collateral',
		format('%s %s: locked %s, pending withdrawals %s, collateral %s',
			a.user_id, a.currency, a.locked, coalesce(w.total, 0), coalesce(c.total, 0))
	FROM xphere.accounts a
	LEFT JOIN (SELECT user_id, currency, sum(amount + fee) AS total
			   FROM xphere.transactions
			   WHERE type = 'WITHDRAWAL' AND status = 'PENDING'
			   GROUP BY user_id, currency) w USING (user_id, currency)
	LEFT JOIN (SELECT user_id, collateral_asset AS currency, sum(collateral_amount) AS total
			   FROM xphere.borrow_positions WHERE status = 'OPEN'
			   GROUP BY user_id, collateral_asset) c USING (user_id, currency)
	WHERE a.locked <> coalesce(w.total, 0) + coalesce(c.total, 0)
	UNION ALL
	-- per currency, all accounts together hold deposits minus withdrawals
	SELECT 'money is conserved',
		format('%s: accounts hold %s, completed deposits minus withdrawals are %s',
			cur, coalesce(held, 0), coalesce(dep, 0) - coalesce(wd, 0))
	FROM (SELECT c AS cur,
				 (SELECT sum(available + locked) FROM xphere.accounts WHERE currency = c) AS held,
				 (SELECT sum(amount) FROM xphere.transactions
				  WHERE currency = c AND type = 'DEPOSIT' AND status = 'COMPLETED') AS dep,
				 (SELECT sum(amount) FROM xphere.transactions
				  WHERE currency = c AND type = 'WITHDRAWAL' AND status = 'COMPLETED') AS wd
		  FROM unnest(enum_range(NULL::xphere.currency)) AS c) m
	WHERE coalesce(held, 0) <> coalesce(dep, 0) - coalesce(wd, 0)
	UNION ALL
	-- every history row belongs to an entry of the same currency
	SELECT 'history matches its ledger entry',
		format('history row %s (%s) refers to %s entry %s', h.id, h.currency, t.currency, t.id)
	FROM xphere.balance_history h JOIN xphere.transactions t ON t.id = h.transaction_id
	WHERE t.currency <> h.currency
	UNION ALL
	-- a machine was paid exactly its reward rows, and never more than it earned
	SELECT 'machine paid equals its rewards',
		format('machine %s: paid %s, reward rows sum to %s', m.id, m.paid_xp, coalesce(r.total, 0))
	FROM xphere.user_machines m
	LEFT JOIN (SELECT machine_id, sum(amount) AS total FROM xphere.mining_rewards
			   GROUP BY machine_id) r ON r.machine_id = m.id
	WHERE m.paid_xp <> coalesce(r.total, 0)
	   OR m.paid_xp > xphere.machine_earned(m.daily_return_xp, m.online_us_before,
										   m.online_since, greatest(xphere.now(), m.status_changed_at))
	UNION ALL
	-- reward entries credit exactly their reward rows
	SELECT 'reward entry equals its rows',
		format('entry %s: %s, rows sum to %s', t.id, t.amount, r.total)
	FROM xphere.transactions t
	JOIN (SELECT distribution_tx, sum(amount) AS total FROM xphere.mining_rewards
		  GROUP BY distribution_tx) r ON r.distribution_tx = t.id
	WHERE t.amount <> r.total
	UNION ALL
	-- a pool's cash is its account's balance
	SELECT 'pool cash equals its account',
		format('pool %s: cash %s, account %s', p.id, p.cash, coalesce(a.available, 0))
	FROM xphere.lending_pools p
	LEFT JOIN xphere.accounts a ON a.user_id = p.account_id AND a.currency = p.asset
	WHERE p.cash <> coalesce(a.available, 0) OR coalesce(a.locked, 0) <> 0
	UNION ALL
	-- a pool's scaled totals are the sums of its positions
	SELECT 'pool totals equal its positions',
		format('pool %s: scaled supplied %s (positions %s), scaled borrowed %s (positions %s)',
			p.id, p.scaled_supplied, coalesce(s.total, 0), p.scaled_borrowed, coalesce(b.total, 0))
	FROM xphere.lending_pools p
	LEFT JOIN (SELECT pool_id, sum(scaled_amount) AS total FROM xphere.supply_positions
			   GROUP BY pool_id) s ON s.pool_id = p.id
	LEFT JOIN (SELECT pool_id, sum(scaled_debt) AS total FROM xphere.borrow_positions
			   WHERE status = 'OPEN' GROUP BY pool_id) b ON b.pool_id = p.id
	WHERE p.scaled_supplied <> coalesce(s.total, 0) OR p.scaled_borrowed <> coalesce(b.total, 0)
	UNION ALL
	-- what the pool has and is owed (plus the written-off deficit) covers what it owes
	SELECT 'pool covers its suppliers',
		format('pool %s: cash %s + debt %s + deficit %s < supplied %s + treasury %s', p.id, p.cash,
			xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index), p.deficit,
			xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index),
			xphere.ray_mul_floor(p.treasury_scaled, p.liquidity_index))
	FROM xphere.lending_pools p
	WHERE p.cash + xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index) + p.deficit
		< xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index)
		  + xphere.ray_mul_floor(p.treasury_scaled, p.liquidity_index)
	UNION ALL
	-- indexes start at 1 and only grow
	SELECT 'pool indexes never decrease',
		format('pool %s: liquidity index %s, borrow index %s', p.id, p.liquidity_index, p.borrow_index)
	FROM xphere.lending_pools p
	WHERE p.liquidity_index < '1' OR p.borrow_index < '1' OR p.cash < 0 OR p.deficit < 0
		OR p.treasury_scaled < 0
	UNION ALL
	-- a staking tier's total is its live positions, held in its account
	SELECT 'staking tier total equals its positions and account',
		format('tier %s: total_staked %s, active and unbonding positions %s, account %s/%s', p.id,
			p.total_staked, coalesce(s.total, 0), coalesce(a.available, 0), coalesce(a.locked, 0))
	FROM xphere.staking_pools p
	LEFT JOIN (SELECT staking_pool, sum(amount) AS total FROM xphere.staking_positions
			   WHERE status IN ('ACTIVE', 'UNBONDING') GROUP BY staking_pool) s ON s.staking_pool = p.id
	LEFT JOIN xphere.accounts a ON a.user_id = xphere.staking_account(p.id) AND a.currency = 'XP'
	WHERE p.total_staked <> coalesce(s.total, 0) OR p.total_staked <> coalesce(a.available, 0)
		OR coalesce(a.locked, 0) <> 0
	UNION ALL
	-- a stake is never paid more than it earned; a withdrawn one was paid all of it
	SELECT 'staking rewards claimed within earned',
		format('position %s (%s): claimed %s, accumulated %s, earned %s', s.id, s.status,
			s.claimed_rewards, s.accumulated_rewards,
			xphere.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at)))
	FROM xphere.staking_positions s JOIN xphere.staking_pools p ON p.id = s.staking_pool
	WHERE s.claimed_rewards < 0
		OR s.claimed_rewards > xphere.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at))
		OR (s.status = 'WITHDRAWN' AND s.claimed_rewards <> s.accumulated_rewards)
	UNION ALL
	-- the house paid exactly the claimed staking rewards
	SELECT 'staking reward entries equal claims',
		format('STAKING_REWARD entries sum to %s, positions claimed %s', coalesce(t.total, 0),
			coalesce(c.total, 0))
	FROM (SELECT sum(amount) AS total FROM xphere.transactions WHERE type = 'STAKING_REWARD') t,
		 (SELECT sum(claimed_rewards) AS total FROM xphere.staking_positions) c
	WHERE coalesce(t.total, 0) <> coalesce(c.total, 0);
END;
COMMENT ON FUNCTION check_invariants() IS 'every violated money invariant, one row each; no rows means healthy';
/*
 * Periodic work and events.
 *
 * tick() does every periodic duty in one transaction: accrue every lending
 * pool (idle ones too: the compounded formula undercharges over long idle
 * gaps), checkpoint the staking reward indexes, distribute mining rewards
 * when distribution_interval has passed, refresh the stored health factors
 * of positions at risk, report newly liquidatable positions and, with
 * xphere.auto_liquidate on, liquidate them.  The lock on the job_state row
 * makes a concurrent tick return at once; everything it does commits
 * or rolls back together, so a crash neither skips nor repeats work.  Its
 * cost follows the pools and the positions at risk, not the machines or
 * stakes (only a due distribution touches machines, once per interval, in
 * batches of distribution_batch machines per tick).
 *
 * Events go to the xphere.events outbox and, on commit, to NOTIFY on the
 * channel xphere_events (payload: the event's id and kind), so applications
 * can LISTEN and read the event: liquidations, newly liquidatable positions, distributions and
 * ledger entries worth at least large_transaction_usdt.
 */

CREATE TABLE events (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind			text NOT NULL,
	payload			jsonb NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX events_kind_idx ON events (kind, id);
COMMENT ON TABLE events IS
	'outbox of platform events (liquidation, liquidatable, distribution, large_transaction), also sent with NOTIFY xphere_events';

CREATE TABLE job_state (
	id				boolean PRIMARY KEY DEFAULT true CHECK (id),
	last_tick_at	timestamptz,
	last_distribution_at timestamptz,
	distribution_round_start timestamptz,
	distribution_cursor uuid,
	ticks			bigint NOT NULL DEFAULT 0
);
INSERT INTO job_state DEFAULT VALUES;
COMMENT ON TABLE job_state IS 'what tick() has done: its last run and the last distribution';
COMMENT ON COLUMN job_state.last_distribution_at IS 'start of the last completed distribution round';
COMMENT ON COLUMN job_state.distribution_round_start IS 'start of the distribution round in progress, if any';
COMMENT ON COLUMN job_state.distribution_cursor IS
	'the last machine (by id) the round in progress has reached; the next batch starts after it';

INSERT INTO settings (key, value, kind, description) VALUES
	('large_transaction_usdt', '10000', 'wad', 'ledger entries worth at least this many USDT raise an event'),
	('distribution_batch', '50000', 'integer', 'machines paid by one tick at most; a round goes on over the next ticks');

CREATE FUNCTION emit_event(p_kind text, p_payload jsonb) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v_id bigint;
BEGIN
	INSERT INTO xphere.events (kind, payload) VALUES (p_kind, p_payload) RETURNING id INTO v_id;
	/*
	 * Any session of the database may LISTEN (channels have no
	 * privileges): the notification carries the id and kind only, the
	 * payload stays in xphere.events for those allowed to read it.
	 */
	PERFORM pg_notify('xphere_events', jsonb_build_object('id', v_id, 'kind', p_kind)::text);
END $$;
COMMENT ON FUNCTION emit_event(text, jsonb) IS 'records an event in the outbox and notifies xphere_events on commit';

/*
 * Ledger entries worth at least large_transaction_usdt become events.  The
 * test is the trigger's WHEN condition: an after-row trigger whose
 * condition is false is not even queued, so the common small entry costs
 * one function call, not a trigger execution at the end of the statement.
 */
CREATE FUNCTION is_large_transaction(p_user uuid, p_amount wad, p_currency currency)
	RETURNS boolean
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_price xphere.wad;
BEGIN
	IF p_user = xphere.house_id() THEN
		RETURN false;
	END IF;
	v_price := xphere.latest_price(p_currency);
	/*
	 * floor(amount x price) >= threshold, which has at most 18 decimals,
	 * holds exactly when amount x price >= threshold; numeric cannot
	 * overflow where wad multiplication would (the entry may be one the
	 * caller is about to refuse for lack of funds).
	 */
	RETURN v_price IS NOT NULL AND p_amount::numeric * v_price::numeric
		>= xphere.setting('large_transaction_usdt')::numeric;
END $$;
COMMENT ON FUNCTION is_large_transaction(uuid, wad, currency) IS
	'whether a ledger entry is worth at least large_transaction_usdt (house entries never are)';

CREATE FUNCTION large_transaction_event() RETURNS trigger
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM xphere.emit_event('large_transaction', jsonb_build_object('transaction_id', NEW.id,
		'user_id', NEW.user_id, 'type', NEW.type, 'amount', NEW.amount,
		'currency', NEW.currency, 'status', NEW.status));
	RETURN NULL;
END $$;
COMMENT ON FUNCTION large_transaction_event() IS 'trigger: an event for each large ledger entry';
CREATE TRIGGER transactions_large_event AFTER INSERT ON transactions
	FOR EACH ROW WHEN (xphere.is_large_transaction(NEW.user_id, NEW.amount, NEW.currency))
	EXECUTE FUNCTION large_transaction_event();

/*
 * A liquidation by the house for tick(), which holds the pools' locks by
 * then: waiting for an account lock there could close a cycle with a call
 * that holds the account and waits for the pool, so it waits at most
 * lock_timeout and fails with 55P03 instead.
 */
CREATE FUNCTION liquidate_for_tick(p_position uuid)
	RETURNS TABLE(debt_repaid wad, collateral_seized wad)
	LANGUAGE plpgsql SET search_path = xphere, pg_catalog, pg_temp SET lock_timeout = '100ms' AS $$
BEGIN
	RETURN QUERY SELECT * FROM xphere.liquidate_position(xphere.house_id(), p_position, NULL);
END $$;
COMMENT ON FUNCTION liquidate_for_tick(uuid) IS
	'liquidates a position for tick(), waiting at most 100 ms for a lock (55P03)';

CREATE FUNCTION tick() RETURNS jsonb
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_now timestamptz := xphere.now();
	s xphere.job_state;
	p xphere.lending_pools;
	b xphere.borrow_positions;
	v_pools integer := 0;
	v_staking integer := 0;
	v_distributed integer;
	v_batch integer;
	v_refreshed integer;
	v_new integer := 0;
	v_liquidated integer := 0;
	v_failed integer := 0;
	v_deferred integer := 0;
	d record;
	r record;
BEGIN
	/*
	 * One tick at a time: the job_state row lock, not an advisory lock,
	 * which any role that can connect could take and hold to stop every
	 * tick (locking the row needs UPDATE on job_state: superusers only).
	 */
	SELECT * INTO s FROM xphere.job_state FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('skipped', true, 'reason', 'another tick is running', 'at', v_now);
	END IF;

	/*
	 * The duties run in the global lock order of the API (accounts, then
	 * pools and staking tiers, then positions): the distribution locks
	 * accounts, so it comes before the pools and tiers; a liquidation
	 * locks accounts again after the pools, so it may not wait for them
	 * (liquidate_for_tick) and is left to the next tick instead.
	 *
	 * Mining rewards, once per distribution_interval, in batches of
	 * distribution_batch machines: a round started at round_start goes on
	 * over the next ticks until every machine due then has been paid.
	 */
	IF s.distribution_round_start IS NULL AND (s.last_distribution_at IS NULL
		OR v_now >= s.last_distribution_at + xphere.setting('distribution_interval')::interval) THEN
		s.distribution_round_start := v_now;
	END IF;
	IF s.distribution_round_start IS NOT NULL THEN
		v_batch := xphere.setting('distribution_batch')::integer;
		d := xphere.distribute_mining_batch(v_batch, s.distribution_round_start,
											s.distribution_cursor);
		v_distributed := d.paid;
		IF d.more THEN
			s.distribution_cursor := d.last_machine;
		ELSE
			s.last_distribution_at := s.distribution_round_start;
			s.distribution_round_start := NULL;
			s.distribution_cursor := NULL;
		END IF;
	END IF;

	/* lending pools, idle ones too */
	FOR p IN SELECT x.* FROM xphere.lending_pools x ORDER BY x.id LOOP
		IF v_now > p.last_update THEN
			PERFORM xphere.save_pool(xphere.accrue_pool(p.id));
			v_pools := v_pools + 1;
		END IF;
	END LOOP;

	/* staking reward indexes (a checkpoint: they are computed, not stepped) */
	IF to_regprocedure('xphere.checkpoint_staking_pools()') IS NOT NULL THEN
		EXECUTE 'SELECT xphere.checkpoint_staking_pools()' INTO v_staking;
	END IF;

	/* stored health factors of positions at risk; report each liquidatable one once */
	v_refreshed := xphere.refresh_positions_at_risk();
	FOR b IN SELECT * FROM xphere.liquidatable_positions() LOOP
		IF NOT b.liquidatable_notified THEN
			PERFORM xphere.emit_event('liquidatable', jsonb_build_object('position_id', b.id,
				'pool_id', b.pool_id, 'user_id', b.user_id, 'health_factor', b.health_factor));
			UPDATE xphere.borrow_positions SET liquidatable_notified = true WHERE id = b.id;
			v_new := v_new + 1;
		END IF;
		IF current_setting('xphere.auto_liquidate', true) = 'on' THEN
			BEGIN
				SELECT * INTO r FROM xphere.liquidate_for_tick(b.id);
				v_liquidated := v_liquidated + 1;
			EXCEPTION WHEN SQLSTATE 'XP004' OR SQLSTATE 'XP005' OR SQLSTATE 'XP007' THEN
				PERFORM xphere.emit_event('liquidation_failed', jsonb_build_object(
					'position_id', b.id, 'sqlstate', SQLSTATE, 'message', SQLERRM));
				v_failed := v_failed + 1;
			WHEN lock_not_available THEN
				/* an account is busy: the next tick tries again */
				v_deferred := v_deferred + 1;
			END;
		END IF;
	END LOOP;

	UPDATE xphere.job_state SET last_tick_at = v_now, ticks = ticks + 1,
		last_distribution_at = s.last_distribution_at,
		distribution_round_start = s.distribution_round_start,
		distribution_cursor = s.distribution_cursor;
	RETURN jsonb_strip_nulls(jsonb_build_object(
		'at', v_now, 'pools_accrued', v_pools, 'staking_pools', v_staking,
		'machines_paid', v_distributed, 'positions_refreshed', v_refreshed,
		'newly_liquidatable', v_new, 'liquidated', v_liquidated,
		'liquidations_failed', v_failed, 'liquidations_deferred', nullif(v_deferred, 0)));
END $$;
COMMENT ON FUNCTION tick() IS
	'all periodic work in one transaction (pools, staking, distribution, health factors, liquidations); returns what it did';

CREATE FUNCTION prune_events(older_than interval) RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	IF older_than IS NULL THEN PERFORM xphere.raise_null('older_than'); END IF;
	IF older_than < interval '0' THEN
		RAISE EXCEPTION 'older_than must not be negative' USING ERRCODE = '22023';
	END IF;
	DELETE FROM xphere.events WHERE created_at < xphere.now() - older_than;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
COMMENT ON FUNCTION prune_events(interval) IS 'deletes events older than the given age; returns how many';

CREATE FUNCTION worker_status_internal() RETURNS TABLE (database text, launcher_pid integer,
		enabled boolean, last_start timestamptz, last_end timestamptz, last_ok boolean,
		last_result text, last_error text, runs bigint, failures bigint, launcher_started timestamptz)
	AS 'MODULE_PATHNAME', 'xphere_worker_status' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION worker_status_internal() IS 'the background worker''s shared-memory status (see the view worker_status)';

CREATE VIEW worker_status AS
	SELECT w.database, w.launcher_pid, w.enabled, w.last_start, w.last_end, w.last_ok,
		w.last_result::jsonb AS last_result, w.last_error, w.runs, w.failures, w.launcher_started,
		j.last_tick_at, j.last_distribution_at, j.ticks
	FROM xphere.worker_status_internal() w
	LEFT JOIN xphere.job_state j ON w.database = current_database();
COMMENT ON VIEW worker_status IS
	'per database ticked by the background worker: last run, its result, last error, counters';
/*
 * Security: roles, privileges, row-level security, and pg_dump.
 *
 * - xphere_app runs the user-facing API on behalf of users; xphere_admin
 *   (a member of xphere_app) also runs the operator functions.  PUBLIC
 *   gets nothing.  Neither role can write a table: every change goes
 *   through a SECURITY DEFINER function with a pinned search_path.
 * - Row-level security: a session that sets xphere.user_id sees only that
 *   user's rows (the API functions, running as the owner, are not
 *   filtered, and refuse to act for anyone else themselves).
 * - Every table and identity sequence is registered with
 *   pg_extension_config_dump, so pg_dump keeps the data.  Rows this script
 *   seeds (settings, plans, pools, the SYSTEM users) already exist when a
 *   dump is restored, so a trigger turns a restored row into an update of
 *   the seeded one.
 */

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xphere_app') THEN
		CREATE ROLE xphere_app NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xphere_admin') THEN
		CREATE ROLE xphere_admin NOLOGIN;
	END IF;
	GRANT xphere_app TO xphere_admin;
END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere FROM PUBLIC;
REVOKE ALL ON SCHEMA xphere FROM PUBLIC;
GRANT USAGE ON SCHEMA xphere TO xphere_app, xphere_admin;

-- the types' operators and the math (every C function and aggregate): for both roles
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN
		SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass
			AND d.objid = p.oid AND d.deptype = 'e'
		JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'xphere'
		WHERE p.pronamespace = 'xphere'::regnamespace AND NOT p.prosecdef
		  AND (p.prokind = 'a' OR p.prolang = (SELECT l.oid FROM pg_catalog.pg_language l
											  WHERE l.lanname = 'c'))
	LOOP
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO xphere_app', f);
	END LOOP;
END $$;
-- (qualified: pg_catalog comes first while CREATE EXTENSION runs)
GRANT EXECUTE ON FUNCTION xphere.now(), xphere.current_user_id() TO xphere_app;

-- the user-facing API
GRANT EXECUTE ON FUNCTION
	register_user(text, text, text, text),
	authenticate(text, text),
	issue_refresh_token(uuid, interval),
	rotate_refresh_token(text),
	revoke_refresh_tokens(uuid),
	request_withdrawal(uuid, currency, wad, text),
	transfer(uuid, uuid, currency, wad, text),
	balance(uuid, currency),
	purchase_machine(uuid, text),
	pending_mining_rewards(uuid),
	supply(uuid, text, wad),
	withdraw_supply(uuid, text, wad),
	supplied_balance(uuid, text),
	borrow(uuid, text, wad, currency, wad),
	repay(uuid, uuid, wad),
	add_collateral(uuid, uuid, wad),
	remove_collateral(uuid, uuid, wad),
	debt(uuid),
	position_health(uuid),
	liquidate(uuid, uuid, wad),
	liquidatable_positions(text),
	stake(uuid, wad, text),
	pending_staking_rewards(uuid),
	claim_staking_rewards(uuid, uuid),
	unstake(uuid, uuid),
	withdraw_stake(uuid, uuid),
	swap(uuid, currency, wad)
TO xphere_app;

-- the operator functions
GRANT EXECUTE ON FUNCTION
	deposit(uuid, currency, wad, text),
	complete_withdrawal(uuid, text),
	fail_withdrawal(uuid, text),
	set_machine_status(uuid, machine_status),
	distribute_mining_rewards(),
	set_price(text, wad, text),
	create_plan(text, jsonb),
	update_plan(text, jsonb),
	set_setting(text, text),
	create_pool(text, text, jsonb),
	update_pool(text, jsonb),
	check_invariants(),
	checkpoint_staking_pools(),
	tick(),
	prune_events(interval),
	worker_status_internal()
TO xphere_admin;
GRANT SELECT ON events, job_state, worker_status TO xphere_admin;

-- reading: everything for the admin; for the app, not secrets nor the audit trail
GRANT SELECT ON audit_log TO xphere_admin;
-- (one grantee per column GRANT: inside CREATE EXTENSION, one statement
-- recording initial column privileges for two roles fails in PostgreSQL 15)
GRANT SELECT (id, email, name, wallet_address, role, is_active, created_at, updated_at)
	ON users TO xphere_app;
GRANT SELECT (id, user_id, family_id, expires_at, revoked_at, replaced_by, created_at)
	ON refresh_tokens TO xphere_app;
GRANT SELECT ON accounts, transactions, balance_history, user_machines, mining_rewards,
	supply_positions, borrow_positions, staking_positions,
	machine_plans, lending_pools, staking_pools, prices, settings
	TO xphere_app;

-- row-level security on user-owned tables
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['accounts', 'transactions', 'balance_history', 'user_machines',
		'mining_rewards', 'refresh_tokens', 'supply_positions', 'borrow_positions',
		'staking_positions']
	LOOP
		EXECUTE format('ALTER TABLE xphere.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format($p$CREATE POLICY own_rows ON xphere.%I FOR SELECT TO xphere_app
			USING (xphere.current_user_id() IS NULL OR user_id = xphere.current_user_id())$p$, t);
	END LOOP;
END $$;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON users FOR SELECT TO xphere_app
	USING (xphere.current_user_id() IS NULL OR id = xphere.current_user_id());

-- pg_dump ---------------------------------------------------------------------

/*
 * BEFORE INSERT on a seeded table: when the key exists (a restore meeting
 * the seeded row), update that row with the restored values instead.
 */
CREATE FUNCTION restore_seed_row() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	key_column text := TG_ARGV[0];
	key_type text;
	cols text;
	n bigint;
BEGIN
	SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
		   max(format_type(atttypid, atttypmod)) FILTER (WHERE attname = key_column)
	INTO cols, key_type
	FROM pg_catalog.pg_attribute
	WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped;
	EXECUTE format('UPDATE %s t SET (%s) = (SELECT %s FROM (SELECT ($1).*) r) WHERE t.%I = $2::%s',
				   TG_RELID::regclass, cols, cols, key_column, key_type)
		USING NEW, (to_jsonb(NEW) ->> key_column);
	GET DIAGNOSTICS n = ROW_COUNT;		-- (EXECUTE does not set FOUND)
	IF n > 0 THEN
		RETURN NULL;
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION restore_seed_row() IS
	'trigger: a restored row whose key the extension seeded updates the seeded row instead';

DO $$
DECLARE
	t text[];
BEGIN
	FOREACH t SLICE 1 IN ARRAY ARRAY[['machine_plans', 'id', 'true'], ['staking_pools', 'id', 'true'],
		['lending_pools', 'id', 'true'], ['settings', 'key', 'true'], ['job_state', 'id', 'true'],
		['users', 'id', 'NEW.role = ''SYSTEM''']]
	LOOP
		EXECUTE format('CREATE TRIGGER restore_seed_row BEFORE INSERT ON xphere.%I
			FOR EACH ROW WHEN (pg_catalog.pg_trigger_depth() = 0 AND %s)
			EXECUTE FUNCTION xphere.restore_seed_row(%L)', t[1], t[3], t[2]);
	END LOOP;
END $$;

-- one call per statement: each call rewrites the pg_extension row
DO $$
DECLARE
	t regclass;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'refresh_tokens', 'accounts', 'transactions',
		'balance_history', 'prices', 'audit_log', 'user_machines', 'mining_rewards',
		'supply_positions', 'borrow_positions', 'staking_positions', 'machine_plans',
		'staking_pools', 'lending_pools', 'settings', 'events', 'job_state',
		'balance_history_id_seq', 'prices_id_seq', 'audit_log_id_seq', 'events_id_seq']::regclass[]
	LOOP
		PERFORM pg_catalog.pg_extension_config_dump(t, '');
	END LOOP;
END $$;

-- whatever was created after the REVOKE above keeps no default PUBLIC grant
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA xphere FROM PUBLIC;

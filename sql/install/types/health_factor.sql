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

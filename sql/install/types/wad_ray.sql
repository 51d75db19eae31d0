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

CREATE FUNCTION prorate_floor(amount wad, part bigint, whole bigint) RETURNS wad
	AS 'MODULE_PATHNAME', 'xphere_prorate_floor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prorate_floor(wad, bigint, bigint) IS
	'floor(amount * part / whole), exact: the share of an amount earned over part of a period';

-- Arithmetic of wad and ray: + - * / unary -, abs, the directional
-- (_floor/_ceil) variants and the wad/ray cross operators.  Expected values
-- were computed independently (Python fractions): * and / round half away
-- from zero, _floor toward -infinity, _ceil toward +infinity; 22003 on
-- overflow (the range is +-(2^127-1) raw units), 22012 on division by zero.
SET search_path = public, xphere;
\set wmax '170141183460469231731.687303715884105727'
\set wmax1 '170141183460469231731.687303715884105726'
\set whalf '85070591730234615865.843651857942052864'
\set whalf1 '85070591730234615865.843651857942052863'
\set e18 '0.000000000000000001'
\set rmax '170141183460.469231731687303715884105727'
\set rmax1 '170141183460.469231731687303715884105726'
\set rhalf '85070591730.234615865843651857942052864'
\set e27 '0.000000000000000000000000001'
-- pg_temp.try(), pg_temp.agrees(), pg_temp.sqlstate_of()
\ir test/lib/regress.sql
-- pg_temp.binop: 'a::ta op b::tb' for an operator, 'op(a::ta, b::tb)' for a function
CREATE FUNCTION pg_temp.binop(op text, a text, ta text, b text, tb text) RETURNS text LANGUAGE sql AS $$
SELECT pg_temp.try(CASE WHEN op ~ '^[a-z]' THEN format('%s(%L::%s, %L::%s)', op, a, ta, b, tb)
                   ELSE format('%L::%s %s %L::%s', a, ta, op, b, tb) END) $$;
-- unary minus and abs(): exact, symmetric at the limits, no negative zero.
SELECT typ, f, a, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('wad', '-', '1.5', '-1.5'), ('wad', '-', '0', '0'), ('wad', '-', '-' || :'e18', :'e18'),
 ('wad', '-', :'wmax', '-' || :'wmax'), ('wad', '-', '-' || :'wmax', :'wmax'), ('wad', 'abs', '-1.5', '1.5'),
 ('wad', 'abs', '0', '0'), ('wad', 'abs', :'e18', :'e18'), ('wad', 'abs', '-' || :'wmax', :'wmax'),
 ('ray', '-', '1.5', '-1.5'), ('ray', '-', '-' || :'e27', :'e27'), ('ray', '-', :'rmax', '-' || :'rmax'),
 ('ray', 'abs', '-' || :'e27', :'e27'), ('ray', 'abs', '-' || :'rmax', :'rmax'), ('ray', 'abs', :'rmax', :'rmax')
) v(typ, f, a, want), LATERAL pg_temp.try(format('%s(%L::%s)', f, a, typ)) got;
-- A few plain errors, to show the messages.
SELECT :'wmax'::wad + '0.000000000000000001'::wad;
SELECT '1'::wad / '0'::wad;
SELECT '1'::wad / '0'::ray;
-- wad + - * /: exact sums at the limits, overflow by one raw unit (2^127 and
-- -2^127 raw are both out of range), ties half away from zero in every sign
-- combination, 256-bit intermediates (max * 1, max / max), division by zero.
SELECT op, a, b, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('+', '1.5', '2.25', '3.75'), ('+', '-1.5', '0.25', '-1.25'), ('+', :'wmax1', :'e18', :'wmax'),
 ('+', :'wmax', :'e18', 'ERROR 22003'), ('+', '-' || :'wmax', '-' || :'e18', 'ERROR 22003'),
 ('+', :'wmax', '-' || :'wmax', '0'), ('-', '1', '3', '-2'), ('-', '-' || :'wmax1', :'e18', '-' || :'wmax'),
 ('-', '-' || :'wmax', :'e18', 'ERROR 22003'), ('-', :'wmax', '-' || :'e18', 'ERROR 22003'),
 ('-', :'wmax', :'wmax', '0'), ('*', '1.5', '2.5', '3.75'), ('*', '-1.5', '2.5', '-3.75'),
 ('*', '-1.5', '-2.5', '3.75'), ('*', :'e18', '0.5', :'e18'), ('*', '-' || :'e18', '0.5', '-' || :'e18'),
 ('*', :'e18', '-0.5', '-' || :'e18'), ('*', '-' || :'e18', '-0.5', :'e18'),
 ('*', :'e18', '0.499999999999999999', '0'), ('*', '-' || :'e18', '0.499999999999999999', '0'),
 ('*', '0.000000000000000005', '0.5', '0.000000000000000003'),
 ('*', '-0.000000000000000005', '0.5', '-0.000000000000000003'), ('*', :'wmax', '1', :'wmax'),
 ('*', :'wmax', '-1', '-' || :'wmax'), ('*', '-' || :'wmax', '-1', :'wmax'), ('*', :'wmax', '0.5', :'whalf'),
 ('*', '-' || :'wmax', '0.5', '-' || :'whalf'), ('*', :'whalf1', '2', :'wmax1'),
 ('*', :'whalf', '2', 'ERROR 22003'), ('*', '-' || :'whalf', '2', 'ERROR 22003'),
 ('*', :'wmax', :'wmax', 'ERROR 22003'), ('/', '1', '3', '0.333333333333333333'),
 ('/', '2', '3', '0.666666666666666667'), ('/', '-2', '3', '-0.666666666666666667'),
 ('/', '2', '-3', '-0.666666666666666667'), ('/', '-2', '-3', '0.666666666666666667'),
 ('/', :'e18', '2', :'e18'), ('/', '-' || :'e18', '2', '-' || :'e18'), ('/', :'e18', '-2', '-' || :'e18'),
 ('/', '0.000000000000000005', '2', '0.000000000000000003'),
 ('/', '-0.000000000000000005', '2', '-0.000000000000000003'), ('/', '1', '0', 'ERROR 22012'),
 ('/', '0', '0', 'ERROR 22012'), ('/', '-1', '0', 'ERROR 22012'), ('/', :'wmax', '1', :'wmax'),
 ('/', :'wmax', '-1', '-' || :'wmax'), ('/', :'wmax', :'wmax', '1'), ('/', '-' || :'wmax', :'wmax', '-1'),
 ('/', :'wmax', '2', :'whalf'), ('/', '-' || :'wmax', '2', '-' || :'whalf'), ('/', :'whalf1', '0.5', :'wmax1'),
 ('/', :'whalf', '0.5', 'ERROR 22003'), ('/', :'e18', :'wmax', '0')
) v(op, a, b, want), LATERAL pg_temp.binop(op, a, 'wad', b, 'wad') got;
-- wad_mul/wad_div equal the operators; _floor/_ceil round toward -inf/+inf in
-- both signs, are exact when the result is exact, and keep the error codes.
SELECT op, a, b, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('wad_mul', '1.5', '2.5', '3.75'), ('wad_div', '2', '3', '0.666666666666666667'),
 ('wad_mul_floor', :'e18', '0.5', '0'), ('wad_mul_ceil', :'e18', '0.5', :'e18'),
 ('wad_mul_floor', '-' || :'e18', '0.5', '-' || :'e18'), ('wad_mul_ceil', '-' || :'e18', '0.5', '0'),
 ('wad_mul_floor', '1.5', '2', '3'), ('wad_mul_ceil', '1.5', '2', '3'),
 ('wad_mul_floor', :'wmax', '0.5', :'whalf1'), ('wad_mul_ceil', :'wmax', '0.5', :'whalf'),
 ('wad_mul_floor', '-' || :'wmax', '0.5', '-' || :'whalf'), ('wad_mul_ceil', :'wmax', :'wmax', 'ERROR 22003'),
 ('wad_div_floor', '1', '3', '0.333333333333333333'), ('wad_div_ceil', '1', '3', '0.333333333333333334'),
 ('wad_div_floor', '-1', '3', '-0.333333333333333334'), ('wad_div_ceil', '-1', '3', '-0.333333333333333333'),
 ('wad_div_floor', '1', '-3', '-0.333333333333333334'), ('wad_div_ceil', '1', '-3', '-0.333333333333333333'),
 ('wad_div_floor', '-1', '-3', '0.333333333333333333'), ('wad_div_ceil', '-1', '-3', '0.333333333333333334'),
 ('wad_div_floor', '6', '3', '2'), ('wad_div_ceil', '6', '3', '2'), ('wad_div_floor', '1', '0', 'ERROR 22012'),
 ('wad_div_ceil', '1', '0', 'ERROR 22012')
) v(op, a, b, want), LATERAL pg_temp.binop(op, a, 'wad', b, 'wad') got;
-- ray + - * / with the same properties at 27 decimals.
SELECT op, a, b, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('+', :'rmax1', :'e27', :'rmax'), ('+', :'rmax', :'e27', 'ERROR 22003'),
 ('+', '-' || :'rmax', '-' || :'e27', 'ERROR 22003'), ('-', '-' || :'rmax1', :'e27', '-' || :'rmax'),
 ('-', '-' || :'rmax', :'e27', 'ERROR 22003'), ('-', '0.5', :'e27', '0.499999999999999999999999999'),
 ('*', '1.5', '2.5', '3.75'), ('*', '-1.5', '2.5', '-3.75'), ('*', :'e27', '0.5', :'e27'),
 ('*', '-' || :'e27', '0.5', '-' || :'e27'), ('*', :'e27', '-0.5', '-' || :'e27'),
 ('*', '0.000000000000000000000000005', '0.5', '0.000000000000000000000000003'),
 ('*', '-0.000000000000000000000000005', '0.5', '-0.000000000000000000000000003'),
 ('*', :'e27', '0.499999999999999999999999999', '0'), ('*', :'rmax', '1', :'rmax'),
 ('*', :'rmax', '-1', '-' || :'rmax'), ('*', :'rmax', '0.5', :'rhalf'),
 ('*', '-' || :'rmax', '0.5', '-' || :'rhalf'), ('*', :'rhalf', '2', 'ERROR 22003'),
 ('*', '-' || :'rhalf', '2', 'ERROR 22003'), ('*', :'rmax', :'rmax', 'ERROR 22003'),
 ('/', '1', '3', '0.333333333333333333333333333'), ('/', '2', '3', '0.666666666666666666666666667'),
 ('/', '-2', '3', '-0.666666666666666666666666667'), ('/', :'e27', '2', :'e27'),
 ('/', '-' || :'e27', '2', '-' || :'e27'), ('/', '1', '0', 'ERROR 22012'), ('/', :'rmax', :'rmax', '1'),
 ('/', :'rmax', '2', :'rhalf'), ('/', :'rhalf', '0.5', 'ERROR 22003')
) v(op, a, b, want), LATERAL pg_temp.binop(op, a, 'ray', b, 'ray') got;
-- ray_mul/ray_div(ray, ray) and their _floor/_ceil variants.
SELECT op, a, b, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('ray_mul', '1.5', '2.5', '3.75'), ('ray_div', '2', '3', '0.666666666666666666666666667'),
 ('ray_mul_floor', :'e27', '0.5', '0'), ('ray_mul_ceil', :'e27', '0.5', :'e27'),
 ('ray_mul_floor', '-' || :'e27', '0.5', '-' || :'e27'), ('ray_mul_ceil', '-' || :'e27', '0.5', '0'),
 ('ray_div_floor', '1', '3', '0.333333333333333333333333333'),
 ('ray_div_ceil', '1', '3', '0.333333333333333333333333334'),
 ('ray_div_floor', '-1', '3', '-0.333333333333333333333333334'),
 ('ray_div_ceil', '-1', '3', '-0.333333333333333333333333333'),
 ('ray_div_floor', '2', '-3', '-0.666666666666666666666666667'),
 ('ray_div_ceil', '2', '-3', '-0.666666666666666666666666666'), ('ray_div_floor', '1', '0', 'ERROR 22012')
) v(op, a, b, want), LATERAL pg_temp.binop(op, a, 'ray', b, 'ray') got;
-- wad * ray and wad / ray (amount rayMul/rayDiv index, result wad): rounding
-- of sub-wad results, limits, overflow by one unit, division by zero.
SELECT op, a, b, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('*', '1.5', '1.1', '1.65'), ('*', :'e18', '0.5', :'e18'), ('*', '-' || :'e18', '0.5', '-' || :'e18'),
 ('*', :'e18', '-0.5', '-' || :'e18'), ('*', '0.000000000000000005', '0.5', '0.000000000000000003'),
 ('*', '-0.000000000000000005', '0.5', '-0.000000000000000003'), ('*', '1', '0.0000000000000000005', :'e18'),
 ('*', '1', '0.000000000000000000499999999', '0'), ('*', '-1', '0.0000000000000000005', '-' || :'e18'),
 ('*', :'wmax', '1', :'wmax'), ('*', :'wmax', '-1', '-' || :'wmax'), ('*', :'wmax', '0.5', :'whalf'),
 ('*', :'whalf', '2', 'ERROR 22003'), ('*', :'wmax', :'rmax', 'ERROR 22003'),
 ('/', '1', '3', '0.333333333333333333'), ('/', '2', '3', '0.666666666666666667'),
 ('/', '-2', '3', '-0.666666666666666667'), ('/', :'e18', '2', :'e18'),
 ('/', '-' || :'e18', '2', '-' || :'e18'), ('/', '1', '1.000000000000000000000000001', '1'),
 ('/', :'wmax', '1', :'wmax'), ('/', :'wmax', '2', :'whalf'), ('/', :'whalf', '0.5', 'ERROR 22003'),
 ('/', :'whalf1', '0.5', :'wmax1'), ('/', '1', '0', 'ERROR 22012')
) v(op, a, b, want), LATERAL pg_temp.binop(op, a, 'wad', b, 'ray') got;
-- ray_mul/ray_div(wad, ray) and their _floor/_ceil variants (a ray that is not
-- a whole number of wad units, so the floor/ceil differ).
SELECT op, a, b, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('ray_mul', '1.5', '1.1', '1.65'), ('ray_div', '2', '3', '0.666666666666666667'),
 ('ray_mul_floor', :'e18', '0.5', '0'), ('ray_mul_ceil', :'e18', '0.5', :'e18'),
 ('ray_mul_floor', '-' || :'e18', '0.5', '-' || :'e18'), ('ray_mul_ceil', '-' || :'e18', '0.5', '0'),
 ('ray_div_floor', '1', '1.000000000000000000000000001', '0.999999999999999999'),
 ('ray_div_ceil', '1', '1.000000000000000000000000001', '1'),
 ('ray_div_floor', '-1', '1.000000000000000000000000001', '-1'),
 ('ray_div_ceil', '-1', '1.000000000000000000000000001', '-0.999999999999999999'),
 ('ray_div_floor', '2', '3', '0.666666666666666666'), ('ray_div_ceil', '2', '3', '0.666666666666666667'),
 ('ray_div_floor', '1', '0', 'ERROR 22012')
) v(op, a, b, want), LATERAL pg_temp.binop(op, a, 'wad', b, 'ray') got;
-- ray * wad (and its function ray_wad_mul) is the commuted wad * ray.
SELECT op, a, b, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('*', '1.1', '1.5', '1.65'), ('*', '0.5', :'e18', :'e18'), ('*', '0.5', '-' || :'e18', '-' || :'e18'),
 ('*', '-0.5', '0.000000000000000005', '-0.000000000000000003'), ('*', '1', :'wmax', :'wmax'),
 ('*', '2', :'whalf', 'ERROR 22003'), ('ray_wad_mul', '0.5', '0.000000000000000005', '0.000000000000000003')
) v(op, a, b, want), LATERAL pg_temp.binop(op, a, 'ray', b, 'wad') got;

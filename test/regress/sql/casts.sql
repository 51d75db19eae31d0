-- Casts of wad and ray: integers, numeric, float8, text, and between the two
-- types.  Expected values were computed independently (Python fractions and
-- float repr); rounding is half away from zero everywhere.
SET search_path = public, xphere;
-- pg_temp.try(), pg_temp.agrees(), pg_temp.sqlstate_of()
\ir test/lib/regress.sql

-- int2/int4/int8 -> wad is implicit and exact over the whole int8 range
-- (wad * 2 resolves to wad * wad); int -> ray is explicit, so ray + 1 and
-- wad + ray have no operator (42883).  numeric, text and varchar -> wad are
-- implicit too (what drivers bind amounts as; rounding and errors of text
-- input), so wad + 1.5 is wad + wad; into ray they are not, so ray + 1.5
-- and ray + text have no operator (42883), and wad + text is not ambiguous
-- with wad * ray.
SELECT expr, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ($$'1.5'::wad + 2$$, '3.5'), ($$2 + '1.5'::wad$$, '3.5'), ($$pg_typeof('1.5'::wad + 2)$$, 'wad'),
 ($$'1.5'::wad * 2$$, '3'), ($$'1.5'::wad / 2::int2$$, '0.75'), ($$'-1'::wad - 9223372036854775807$$, '-9223372036854775808'),
 ($$9223372036854775807::int8::wad$$, '9223372036854775807'), ($$'-9223372036854775808'::int8::wad$$, '-9223372036854775808'),
 ($$'-2147483648'::int4::wad$$, '-2147483648'), ($$'-32768'::int2::wad$$, '-32768'),
 ($$'1'::ray + 1$$, 'ERROR 42883'), ($$'1'::wad + '1'::ray$$, 'ERROR 42883'), ($$'1'::wad + 1.5$$, '2.5'),
 ($$pg_typeof('1'::wad + 1.5)$$, 'wad'), ($$'1'::wad * '0.5'::text$$, '0.5'), ($$'1'::wad + '0.25'::varchar$$, '1.25'),
 ($$'1'::wad + 'abc'::text$$, 'ERROR 22P02'), ($$'1'::wad + '1e30'::text$$, 'ERROR 22003'),
 ($$'1'::wad = 1.0000000000000000005$$, 'false'), ($$'1.000000000000000001'::wad = 1.0000000000000000005$$, 'true'),
 ($$'1'::ray + 1.5$$, 'ERROR 42883'), ($$'1'::ray + '1'::text$$, 'ERROR 42883'),
 ($$5::ray$$, '5'), ($$'-5'::int2::ray$$, '-5'), ($$2147483647::ray$$, '2147483647'),
 ($$170141183460::int8::ray$$, '170141183460'), ($$'-170141183460'::int8::ray$$, '-170141183460'),
 ($$170141183461::int8::ray$$, 'ERROR 22003'), ($$'-170141183461'::int8::ray$$, 'ERROR 22003'),
 ($$9223372036854775807::int8::ray$$, 'ERROR 22003')
) v(expr, want), LATERAL pg_temp.try(expr) got;

-- numeric -> wad/ray rounds like text input (half away from zero), is out of
-- range past +-(2^127-1) raw units, and rejects NaN and +-Infinity (want
-- 'ERROR': any error, its SQLSTATE is printed).
SELECT typ, to_json(n) AS numeric, got,
  pg_temp.agrees(got, want) AS ok
FROM (VALUES ('wad', '1.5', '1.5'), ('wad', '0.0000000000000000005', '0.000000000000000001'),
 ('wad', '-0.0000000000000000005', '-0.000000000000000001'), ('wad', '0.0000000000000000004999', '0'),
 ('wad', '0.0000000000000000025', '0.000000000000000003'), ('wad', '-0.0000000000000000025', '-0.000000000000000003'),
 ('wad', '170141183460469231731.6873037158841057274', '170141183460469231731.687303715884105727'),
 ('wad', '170141183460469231731.6873037158841057275', 'ERROR 22003'),
 ('wad', '-170141183460469231731.6873037158841057274', '-170141183460469231731.687303715884105727'),
 ('wad', '-170141183460469231731.6873037158841057275', 'ERROR 22003'), ('wad', '1e30', 'ERROR 22003'),
 ('wad', 'NaN', 'ERROR'), ('wad', 'Infinity', 'ERROR'), ('wad', '-Infinity', 'ERROR'),
 ('ray', '0.0000000000000000000000000005', '0.000000000000000000000000001'),
 ('ray', '-0.0000000000000000000000000015', '-0.000000000000000000000000002'),
 ('ray', '170141183460.4692317316873037158841057274', '170141183460.469231731687303715884105727'),
 ('ray', '170141183460.4692317316873037158841057275', 'ERROR 22003'),
 ('ray', '-170141183460.4692317316873037158841057275', 'ERROR 22003'), ('ray', 'NaN', 'ERROR'), ('ray', 'Infinity', 'ERROR')
) v(typ, n, want), LATERAL pg_temp.try(format('%L::numeric::%s', n, typ)) got;
-- the message for NaN
SELECT 'NaN'::numeric::wad;

-- wad/ray -> numeric is exact (compared as numbers, whatever the display scale).
SELECT typ, v, got, got::numeric = v::numeric AS ok
FROM (VALUES ('wad', '1.5'), ('wad', '-0.000000000000000001'), ('wad', '170141183460469231731.687303715884105727'),
 ('wad', '-170141183460469231731.687303715884105727'), ('ray', '-0.000000000000000000000000001'),
 ('ray', '170141183460.469231731687303715884105727')) t(typ, v),
 LATERAL pg_temp.try(format('%L::%s::numeric', v, typ)) got;

-- numeric -> wad is implicit, wad -> numeric an assignment cast: storing works without a
-- cast either way; text is implicit into wad (I/O, as a literal).
CREATE TEMP TABLE asg(w wad, r ray, n numeric, i int4);
INSERT INTO asg(w, r, n, i) VALUES (1.25, 0.5, '2.5'::wad, '-2.5'::wad);
SELECT w, r, n, i, w::text = '1.25' AND r::text = '0.5' AND n = 2.5 AND i = -3 AS ok FROM asg;
SELECT pg_temp.sqlstate_of($$INSERT INTO asg(w) SELECT '1'::text$$) AS got,
  pg_temp.sqlstate_of($$INSERT INTO asg(w) SELECT 'x'::text$$) AS bad,
  pg_temp.sqlstate_of($$INSERT INTO asg(r) SELECT '1'::text$$) AS into_ray;
SELECT count(*) AS stored, count(*) = 1 AS ok FROM asg WHERE w = 1;

-- wad/ray -> int2/int4/int8 round half away from zero; 22003 past each range.
SELECT expr, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ($$'2.5'::wad::int4$$, '3'), ($$'-2.5'::wad::int4$$, '-3'), ($$'2.499999999999999999'::wad::int4$$, '2'),
 ($$'-0.5'::wad::int4$$, '-1'), ($$'0.499999999999999999'::wad::int4$$, '0'), ($$'-0.499999999999999999'::wad::int4$$, '0'),
 ($$'32767.499999999999999999'::wad::int2$$, '32767'), ($$'32767.5'::wad::int2$$, 'ERROR 22003'),
 ($$'-32768.499999999999999999'::wad::int2$$, '-32768'), ($$'-32768.5'::wad::int2$$, 'ERROR 22003'),
 ($$'2147483647.499999999999999999'::wad::int4$$, '2147483647'), ($$'2147483647.5'::wad::int4$$, 'ERROR 22003'),
 ($$'-2147483648.5'::wad::int4$$, 'ERROR 22003'),
 ($$'9223372036854775807.499999999999999999'::wad::int8$$, '9223372036854775807'),
 ($$'9223372036854775807.5'::wad::int8$$, 'ERROR 22003'),
 ($$'-9223372036854775808.499999999999999999'::wad::int8$$, '-9223372036854775808'),
 ($$'-9223372036854775808.5'::wad::int8$$, 'ERROR 22003'),
 ($$'170141183460469231731.687303715884105727'::wad::int8$$, 'ERROR 22003'),
 ($$'-1.5'::ray::int2$$, '-2'), ($$'0.499999999999999999999999999'::ray::int4$$, '0'), ($$'-0.5'::ray::int4$$, '-1'),
 ($$'2147483647.5'::ray::int4$$, 'ERROR 22003'), ($$'-32768.5'::ray::int2$$, 'ERROR 22003'),
 ($$'170141183460.469231731687303715884105727'::ray::int8$$, '170141183460'),
 ($$'-170141183460.469231731687303715884105727'::ray::int8$$, '-170141183460'),
 ($$'170141183459.5'::ray::int8$$, '170141183460'), ($$'-170141183459.5'::ray::int8$$, '-170141183460')
) v(expr, want), LATERAL pg_temp.try(expr) got;
-- the message for an integer overflow
SELECT '32767.5'::wad::int2;

-- float8 -> wad/ray goes through the shortest round-trip text (0.1 is exactly
-- 0.1, 1/3 is 0.3333333333333333), then rounds like text; NaN/Infinity fail.
SELECT typ, f, got, pg_temp.agrees(got, want) AS ok
FROM (VALUES ('wad', '0.1', '0.1'), ('wad', '0.3333333333333333', '0.3333333333333333'),
 ('wad', '5e-19', '0.000000000000000001'), ('wad', '-5e-19', '-0.000000000000000001'),
 ('wad', '2.5e-18', '0.000000000000000003'), ('wad', '-2.5e-18', '-0.000000000000000003'), ('wad', '4.9e-19', '0'),
 ('wad', '1e21', 'ERROR 22003'), ('wad', '1.7e20', '170000000000000000000'), ('wad', '-1.5', '-1.5'),
 ('wad', 'NaN', 'ERROR'), ('wad', 'Infinity', 'ERROR'), ('wad', '-Infinity', 'ERROR'),
 ('ray', '0.1', '0.1'), ('ray', '5e-28', '0.000000000000000000000000001'), ('ray', '-5e-28', '-0.000000000000000000000000001'),
 ('ray', '1e-28', '0'), ('ray', '1.7e11', '170000000000'), ('ray', '1.8e11', 'ERROR 22003'), ('ray', 'NaN', 'ERROR')
) v(typ, f, want), LATERAL pg_temp.try(format('%s::float8::%s', CASE WHEN f = '0.3333333333333333'
   THEN '(1::float8 / 3)' ELSE quote_literal(f) END, typ)) got;

-- wad/ray -> float8 gives the double nearest to the exact value.
SELECT typ, v, got, got::float8 = want::float8 AS ok
FROM (VALUES ('wad', '0.1', '0.1'), ('wad', '-2.25', '-2.25'), ('wad', '0.000000000000000001', '1e-18'),
 ('wad', '4.333333333333333333', '4.333333333333333'),
 ('wad', '170141183460469231731.687303715884105727', '1.7014118346046924e+20'),
 ('wad', '-170141183460469231731.687303715884105727', '-1.7014118346046924e+20'),
 ('ray', '0.1', '0.1'), ('ray', '0.000000000000000000000000001', '1e-27'),
 ('ray', '170141183460.469231731687303715884105727', '170141183460.46924')) t(typ, v, want),
 LATERAL pg_temp.try(format('%L::%s::float8', v, typ)) got;

-- wad::ray is exact (22003 if too large), ray::wad rounds half away from zero.
SELECT expr, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ($$'1.5'::wad::ray$$, '1.5'), ($$'-0.000000000000000001'::wad::ray$$, '-0.000000000000000001'),
 ($$'170141183460.469231731687303715'::wad::ray$$, '170141183460.469231731687303715'),
 ($$'170141183460.469231731687303716'::wad::ray$$, 'ERROR 22003'), ($$'-170141183460.469231731687303716'::wad::ray$$, 'ERROR 22003'),
 ($$'1.5'::ray::wad$$, '1.5'), ($$'0.0000000000000000005'::ray::wad$$, '0.000000000000000001'),
 ($$'-0.0000000000000000005'::ray::wad$$, '-0.000000000000000001'), ($$'0.000000000000000000499999999'::ray::wad$$, '0'),
 ($$'-0.000000000000000000499999999'::ray::wad$$, '0'), ($$'0.0000000000000000025'::ray::wad$$, '0.000000000000000003'),
 ($$'-0.0000000000000000025'::ray::wad$$, '-0.000000000000000003'),
 ($$'170141183460.469231731687303715884105727'::ray::wad$$, '170141183460.469231731687303716'),
 ($$'-170141183460.469231731687303715884105727'::ray::wad$$, '-170141183460.469231731687303716'),
 -- text casts are the I/O conversions
 ($$'1.50'::text::wad$$, '1.5'), ($$'abc'::text::wad$$, 'ERROR 22P02'), ($$('-0.5'::wad)::varchar$$, '-0.5'),
 ($$' 2e-27 '::varchar::ray$$, '0.000000000000000000000000002'), ($$'1'::wad = '1.000'::text::wad$$, 'true')
) v(expr, want), LATERAL pg_temp.try(expr) got;

-- The cast contexts (i = implicit, a = assignment, e = explicit) of every cast
-- to or from an xphere type, against the specification; any change shows here.
SELECT coalesce(c.src, s.src) AS source, coalesce(c.tgt, s.tgt) AS target, c.ctx AS got, s.ctx AS want,
  c.ctx IS NOT DISTINCT FROM s.ctx AS ok
FROM (SELECT castsource::regtype::text, casttarget::regtype::text, castcontext::text FROM pg_cast
      WHERE castsource::regtype::text IN ('wad', 'ray', 'health_factor')
         OR casttarget::regtype::text IN ('wad', 'ray', 'health_factor')) c(src, tgt, ctx)
FULL JOIN (VALUES ('smallint', 'wad', 'i'), ('integer', 'wad', 'i'), ('bigint', 'wad', 'i'),
 ('smallint', 'ray', 'e'), ('integer', 'ray', 'e'), ('bigint', 'ray', 'e'), ('numeric', 'wad', 'i'),
 ('text', 'wad', 'i'), ('character varying', 'wad', 'i'), ('numeric', 'ray', 'a'), ('wad', 'numeric', 'a'), ('ray', 'numeric', 'a'), ('wad', 'smallint', 'a'),
 ('wad', 'integer', 'a'), ('wad', 'bigint', 'a'), ('ray', 'smallint', 'a'), ('ray', 'integer', 'a'),
 ('ray', 'bigint', 'a'), ('double precision', 'wad', 'e'), ('double precision', 'ray', 'e'),
 ('wad', 'double precision', 'e'), ('ray', 'double precision', 'e'), ('wad', 'ray', 'e'), ('ray', 'wad', 'e'),
 ('health_factor', 'numeric', 'a'), ('numeric', 'health_factor', 'a'), ('health_factor', 'double precision', 'e'),
 ('wad', 'health_factor', 'e'), ('health_factor', 'wad', 'e')) s(src, tgt, ctx)
 ON c.src = s.src AND c.tgt = s.tgt
ORDER BY 1, 2;

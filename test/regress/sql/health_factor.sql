-- The health_factor type: construction, text I/O, comparison with numeric,
-- partial indexes, min/max and casts.  Expected values were computed by hand
-- and with Python fractions: HF = floor(floor(cv * lt) * 10^18 / dv) in raw
-- units, infinity without debt; finite range 0 .. 2^127-2 raw units.
SET search_path = public, xphere;
-- pg_temp.try(), pg_temp.agrees(), pg_temp.sqlstate_of()
\ir test/lib/regress.sql

-- health_factor(cv, lt, dv): worked examples, both floors (7e-18 * 0.3 / 2e-18
-- is 1, not 1.05), infinity when dv = 0, saturation to infinity past the
-- finite maximum, 22023 for a negative argument
SELECT cv, lt, dv, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('1000', '0.8', '500', '1.6'), ('100', '0.85', '3', '28.333333333333333333'),
 ('0.000000000000000003', '0.5', '1', '0.000000000000000001'), ('0.000000000000000007', '0.3', '0.000000000000000002', '1'),
 ('1000', '0.825', '825.000000000000000001', '0.999999999999999999'), ('825', '1', '825', '1'),
 ('1234.567890123456789', '0.8', '987.654321098765432', '0.9999999908875'), ('0', '0.8', '1', '0'),
 ('1', '0.8', '0', 'infinity'), ('0', '0', '0', 'infinity'),
 ('170141183460469231731.687303715884105726', '1', '1', '170141183460469231731.687303715884105726'),
 ('170141183460469231731.687303715884105727', '1', '1', 'infinity'),
 ('170141183460469231731.687303715884105727', '1', '0.000000000000000001', 'infinity'),
 ('-1', '0.8', '1', 'ERROR 22023'), ('1', '-0.8', '1', 'ERROR 22023'), ('1', '0.8', '-1', 'ERROR 22023')
) v(cv, lt, dv, want), LATERAL pg_temp.try(format('health_factor(%L, %L, %L)', cv, lt, dv)) got;
-- the message for a negative argument
SELECT health_factor('1', '0.8', '-0.000000000000000001');

-- text I/O: like wad, plus infinity in any case; negative values are 22003,
-- as is 2^127-1 raw units (reserved for infinity); garbage is 22P02
SELECT to_json(input) AS input, got,
  pg_temp.agrees(got, want) AS ok
FROM (VALUES ('1.5', '1.5'), ('1.500', '1.5'), ('0', '0'), ('-0', '0'), ('0.0000000000000000005', '0.000000000000000001'),
 ('infinity', 'infinity'), ('Infinity', 'infinity'), ('INFINITY', 'infinity'), (' infinity ', 'infinity'),
 ('170141183460469231731.687303715884105726', '170141183460469231731.687303715884105726'),
 ('170141183460469231731.687303715884105727', 'ERROR 22003'), ('-1', 'ERROR 22003'),
 ('-0.000000000000000001', 'ERROR 22003'), ('-infinity', 'ERROR'),
 ('abc', 'ERROR 22P02'), ('NaN', 'ERROR 22P02'), ('', 'ERROR 22P02'), ('inf', 'ERROR 22P02')
) v(input, want), LATERAL pg_temp.try(format('%L::health_factor', input)) got;
-- the message for a negative value
SELECT '-1'::health_factor;

-- comparisons with numeric on either side are exact (no rounding of the
-- numeric to 18 decimals); numeric Infinity equals infinity and NaN sorts
-- above everything, as numeric's own ordering does
SELECT expr, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ($$'1'::health_factor = 1$$, 'true'), ($$'1'::health_factor = 1.000$$, 'true'),
 ($$'1'::health_factor = 1.0000000000000000001$$, 'false'), ($$'1'::health_factor < 1.0000000000000000001$$, 'true'),
 ($$'1'::health_factor > 0.9999999999999999999$$, 'true'), ($$'1'::health_factor <> 1$$, 'false'),
 ($$'1'::health_factor <= 1 AND '1'::health_factor >= 1$$, 'true'), ($$1 = '1'::health_factor$$, 'true'),
 ($$1.0000000000000000001 > '1'::health_factor$$, 'true'), ($$0.9999999999999999999 >= '1'::health_factor$$, 'false'),
 ($$1.0000000000000000001 = '1'::health_factor$$, 'false'), ($$'0.999999999999999999'::health_factor < 1$$, 'true'),
 ($$'0.999999999999999999'::health_factor >= 1$$, 'false'), ($$'0'::health_factor > -0.0000000000000000001$$, 'true'),
 ($$'0'::health_factor = -0.0$$, 'true'), ($$'170141183460469231731.687303715884105726'::health_factor < 1e30$$, 'true'),
 ($$'infinity'::health_factor > 1e1000$$, 'true'), ($$'infinity'::health_factor = 'Infinity'::numeric$$, 'true'),
 ($$'infinity'::health_factor < 'Infinity'::numeric$$, 'false'), ($$'Infinity'::numeric = 'infinity'::health_factor$$, 'true'),
 ($$'1'::health_factor < 'Infinity'::numeric$$, 'true'), ($$'1'::health_factor > '-Infinity'::numeric$$, 'true'),
 ($$'0'::health_factor > '-Infinity'::numeric$$, 'true'), ($$'infinity'::health_factor = '-Infinity'::numeric$$, 'false'),
 ($$'-Infinity'::numeric < '0'::health_factor$$, 'true'),
 ($$'1'::health_factor = 'NaN'::numeric$$, 'false'), ($$'1'::health_factor < 'NaN'::numeric$$, 'true'),
 ($$'infinity'::health_factor < 'NaN'::numeric$$, 'true'), ($$'NaN'::numeric > 'infinity'::health_factor$$, 'true'),
 ($$'1'::health_factor < 'infinity'::health_factor$$, 'true'), ($$'2'::health_factor > '1.5'::health_factor$$, 'true'),
 ($$'infinity'::health_factor = 'Infinity'::health_factor$$, 'true')
) v(expr, want), LATERAL pg_temp.try(expr) got;

-- a partial index "WHERE hf < 1" serves "hf < 1" and, by implication,
-- "hf < 0.5"; it cannot serve "hf < 1.5"
CREATE TABLE hf_pos (id int, hf health_factor);
INSERT INTO hf_pos SELECT i, (i / 100.0)::health_factor FROM generate_series(0, 999) i;
INSERT INTO hf_pos VALUES (1000, 'infinity'), (1001, 0.75);
CREATE INDEX hf_pos_liquidatable ON hf_pos (hf) WHERE hf < 1;
ANALYZE hf_pos;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM hf_pos WHERE hf < 1;
SELECT count(*) AS got, count(*) = 101 AS ok FROM hf_pos WHERE hf < 1;
EXPLAIN (COSTS OFF) SELECT id FROM hf_pos WHERE hf < 0.5;
SELECT count(*) AS got, count(*) = 50 AS ok FROM hf_pos WHERE hf < 0.5;
SELECT count(*) AS got, count(*) = 53 AS ok FROM hf_pos WHERE hf <= 0.5 OR hf = 0.75;
EXPLAIN (COSTS OFF) SELECT id FROM hf_pos WHERE hf < 1.5;
SELECT count(*) AS got, count(*) = 151 AS ok FROM hf_pos WHERE hf < 1.5;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- min and max, infinity being the largest; no rows give NULL
SELECT min(hf), max(hf), min(hf)::text = '0' AND max(hf)::text = 'infinity' AS ok FROM hf_pos;
SELECT max(hf), max(hf)::text = '9.99' AS ok FROM hf_pos WHERE hf < 'infinity'::health_factor;
SELECT min(hf), max(hf), num_nulls(min(hf), max(hf)) = 2 AS ok FROM hf_pos WHERE false;
DROP TABLE hf_pos;

-- casts: to numeric (infinity -> Infinity) and float8, to and from wad
-- (infinity and negatives are 22003), from numeric (rounded like text;
-- Infinity -> infinity, -Infinity is negative: 22003)
SELECT expr, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ($$'1.5'::health_factor::numeric = 1.5$$, 'true'), ($$'infinity'::health_factor::numeric$$, 'Infinity'),
 ($$'0.1'::health_factor::float8 = 0.1::float8$$, 'true'), ($$'infinity'::health_factor::float8$$, 'Infinity'),
 ($$'1.5'::health_factor::wad$$, '1.5'), ($$'infinity'::health_factor::wad$$, 'ERROR 22003'),
 ($$'170141183460469231731.687303715884105726'::health_factor::wad$$, '170141183460469231731.687303715884105726'),
 ($$'2.5'::wad::health_factor$$, '2.5'), ($$'-1'::wad::health_factor$$, 'ERROR 22003'),
 ($$'-0.000000000000000001'::wad::health_factor$$, 'ERROR 22003'), ($$1.5::health_factor$$, '1.5'),
 ($$0.0000000000000000005::health_factor$$, '0.000000000000000001'), ($$(-1)::numeric::health_factor$$, 'ERROR 22003'),
 ($$'NaN'::numeric::health_factor$$, 'ERROR'),
 ($$'Infinity'::numeric::health_factor$$, 'infinity'), ($$'-Infinity'::numeric::health_factor$$, 'ERROR 22003')
) v(expr, want), LATERAL pg_temp.try(expr) got;
-- the message for infinity as a wad
SELECT 'infinity'::health_factor::wad;

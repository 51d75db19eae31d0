-- sum, avg, min, max of wad and ray: exact results computed independently
-- (by hand and with Python fractions), NULLs, empty input, rounding of avg,
-- the 256-bit accumulator, parallel aggregation and moving windows.
SET search_path = public, xphere;
\set wmax '170141183460469231731.687303715884105727'
-- pg_temp.try(), pg_temp.agrees(), pg_temp.sqlstate_of()
\ir test/lib/regress.sql

-- small sets with a NULL: NULLs are ignored; avg divides by the non-NULL count
SELECT sum(w), avg(w), min(w), max(w),
 (sum(w), avg(w), min(w), max(w))::text = '(3,1,-0.75,2.25)' AS ok
FROM (VALUES ('1.5'::wad), ('2.25'), (NULL), ('-0.75')) v(w);
SELECT sum(r), avg(r), min(r), max(r),
 (sum(r), avg(r), min(r), max(r))::text = '(1.500000000000000000000000001,0.5,-0.5,2)' AS ok
FROM (VALUES ('0.000000000000000000000000001'::ray), (NULL), ('2'), ('-0.5')) v(r);
-- no rows, or only NULLs: every aggregate is NULL
SELECT sum(w), avg(w), min(w), max(w), num_nulls(sum(w), avg(w), min(w), max(w)) = 4 AS ok
FROM (VALUES ('1'::wad)) v(w) WHERE false;
SELECT sum(r), avg(r), min(r), max(r), num_nulls(sum(r), avg(r), min(r), max(r)) = 4 AS ok
FROM (VALUES (NULL::ray), (NULL)) v(r);

-- avg rounds half away from zero, in both signs, for wad and ray
SELECT vals, got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('wad', '{0.000000000000000001,0}', '0.000000000000000001'), ('wad', '{-0.000000000000000001,0}', '-0.000000000000000001'),
 ('wad', '{0.000000000000000005,0}', '0.000000000000000003'), ('wad', '{-0.000000000000000005,0}', '-0.000000000000000003'),
 ('wad', '{1,0,0}', '0.333333333333333333'), ('wad', '{2,0,0}', '0.666666666666666667'),
 ('wad', '{-2,0,0}', '-0.666666666666666667'), ('wad', '{0.000000000000000001,0.000000000000000001,0,0}', '0.000000000000000001'),
 ('ray', '{0.000000000000000000000000001,0}', '0.000000000000000000000000001'),
 ('ray', '{-0.000000000000000000000000001,0}', '-0.000000000000000000000000001'),
 ('ray', '{-2,0,0}', '-0.666666666666666666666666667')
) v(typ, vals, want), LATERAL pg_temp.try(format('(SELECT avg(x) FROM unnest(%L::%s[]) x)', vals, typ)) got;

-- sums that do not fit are 22003; intermediate sums may leave the range as
-- long as the total fits (256-bit accumulator), and avg of such sums is exact
SELECT typ, agg, replace(replace(vals::text, '170141183460.469231731687303715884105727', 'rmax'), :'wmax', 'wmax') AS vals,
 got, pg_temp.agrees(got, want) AS ok FROM (VALUES
 ('wad', 'sum', ARRAY[:'wmax', '0.000000000000000001'], 'ERROR 22003'),
 ('wad', 'sum', ARRAY[:'wmax', :'wmax'], 'ERROR 22003'),
 ('wad', 'sum', ARRAY['-' || :'wmax', '-0.000000000000000001'], 'ERROR 22003'),
 ('ray', 'sum', '{170141183460.469231731687303715884105727,0.000000000000000000000000001}', 'ERROR 22003'),
 ('wad', 'sum', ARRAY[:'wmax', :'wmax', '-' || :'wmax', '-' || :'wmax', '1'], '1'),
 ('wad', 'sum', ARRAY[:'wmax', :'wmax', :'wmax', '-' || :'wmax', '-' || :'wmax'], :'wmax'),
 ('wad', 'sum', ARRAY['-' || :'wmax', '-' || :'wmax', :'wmax'], '-' || :'wmax'),
 ('wad', 'avg', ARRAY[:'wmax', :'wmax'], :'wmax'),
 ('wad', 'avg', ARRAY['-' || :'wmax', '-' || :'wmax', '-' || :'wmax'], '-' || :'wmax'),
 ('wad', 'avg', ARRAY[:'wmax', :'wmax', '0.000000000000000001'], '113427455640312821154.458202477256070485'),
 ('ray', 'avg', '{170141183460.469231731687303715884105727,170141183460.469231731687303715884105727}',
  '170141183460.469231731687303715884105727')
) v(typ, agg, vals, want), LATERAL pg_temp.try(format('(SELECT %s(x) FROM unnest(%L::%s[]) x)', agg, vals, typ)) got;
-- the message for a sum out of range
SELECT sum(x) FROM unnest(ARRAY[:'wmax', '1e-18']::wad[]) x;

-- a parallel plan (Partial Aggregate in the workers, combined after Gather)
-- gives exactly the closed-form results: w_i = +-i * 0.123456789012345678
-- (negative when 3 divides i), x = max for i <= 50000, -max after, except
-- x_100000 = -(max - 1e-18); r_i = i * 1e-27.  Then the serial plan agrees.
CREATE TABLE agg_big (i int, w wad, x wad, r ray);
INSERT INTO agg_big SELECT i, (CASE WHEN i % 3 = 0 THEN -i ELSE i END * 0.123456789012345678)::wad,
  CASE WHEN i <= 50000 THEN :'wmax'::wad WHEN i < 100000 THEN -:'wmax'::wad
       ELSE '-170141183460469231731.687303715884105726'::wad END,
  (i * 0.000000000000000000000000001)::ray
FROM generate_series(1, 100000) i;
ANALYZE agg_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE VIEW pg_temp.agg_big_check AS
SELECT sum(w) AS sum_w, avg(w) AS avg_w, min(w) AS min_w, max(w) AS max_w, sum(x) AS sum_x, avg(x) AS avg_x,
  sum(r) AS sum_r, avg(r) AS avg_r,
  (sum(w), avg(w), min(w), max(w), sum(x), avg(x), sum(r), avg(r))::text =
  '(205763372.716030861769530452,2057.633727160308617695,-12345.555444445555454322,12345.6789012345678,'
  '0.000000000000000001,0,0.00000000000000000500005,0.000000000000000000000050001)' AS ok
FROM agg_big;
EXPLAIN (COSTS OFF) SELECT * FROM pg_temp.agg_big_check;
\x on
SELECT * FROM pg_temp.agg_big_check;
SET max_parallel_workers_per_gather = 0;
\x off
EXPLAIN (COSTS OFF) SELECT * FROM pg_temp.agg_big_check;
\x on
SELECT * FROM pg_temp.agg_big_check;
\x off
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
DROP VIEW pg_temp.agg_big_check;
DROP TABLE agg_big;

-- a moving window (ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) removes values
-- from the 256-bit state again, NULLs included; a window of NULLs is NULL
SELECT id, v, s, a, s IS NOT DISTINCT FROM ws::wad AND a IS NOT DISTINCT FROM wa::wad AS ok FROM (
 SELECT id, v, sum(v) OVER w AS s, avg(v) OVER w AS a FROM (VALUES (1, '-1'::wad), (2, '-0.25'), (3, :'wmax'),
   (4, ('-' || :'wmax')::wad), (5, '0.5'), (6, '2'), (7, '0.000000000000000001'), (8, NULL), (9, NULL), (10, NULL), (11, '3')) t(id, v)
 WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)) q
JOIN (VALUES (1, '-1', '-1'), (2, '-1.25', '-0.625'),
 (3, '170141183460469231730.437303715884105727', '56713727820156410576.812434571961368576'),
 (4, '-0.25', '-0.083333333333333333'), (5, '0.5', '0.166666666666666667'),
 (6, '-170141183460469231729.187303715884105727', '-56713727820156410576.395767905294701909'),
 (7, '2.500000000000000001', '0.833333333333333334'), (8, '2.000000000000000001', '1.000000000000000001'),
 (9, '0.000000000000000001', '0.000000000000000001'), (10, NULL, NULL), (11, '3', '3')) e(id, ws, wa) USING (id)
ORDER BY id;

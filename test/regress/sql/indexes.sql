-- btree and hash opclasses of wad and ray: index scans, ORDER BY, hash and
-- merge joins, GROUP BY and DISTINCT with both strategies.  The expected
-- orders were written by hand (numeric order of the values).
SET search_path = public, xphere;
CREATE TABLE ix_w (id int, w wad);
INSERT INTO ix_w VALUES (1, '0.5'), (2, '-170141183460469231731.687303715884105727'), (3, '-0.000000000000000001'),
 (4, '1'), (5, '170141183460469231731.687303715884105727'), (6, '0'), (7, '-1'), (8, '0.000000000000000001'),
 (9, '-0.5'), (10, '1.000'), (11, '-0'), (12, '-1.5');
INSERT INTO ix_w SELECT 100 + g, (g * 1000)::wad FROM generate_series(1, 500) g;
CREATE TABLE ix_r (id int, r ray);
INSERT INTO ix_r VALUES (1, '0.000000000000000000000000001'), (2, '-170141183460.469231731687303715884105727'),
 (3, '1'), (4, '-0.000000000000000000000000001'), (5, '170141183460.469231731687303715884105727'), (6, '-1');
-- the sorted order of mixed signs and extremes, both directions, without indexes
SELECT string_agg(w::text, ' ' ORDER BY w, id) AS got, string_agg(w::text, ' ' ORDER BY w, id) =
 '-170141183460469231731.687303715884105727 -1.5 -1 -0.5 -0.000000000000000001 0 0 0.000000000000000001 0.5 1 1 '
 '170141183460469231731.687303715884105727' AS ok FROM ix_w WHERE id < 100;
SELECT string_agg(r::text, ' ' ORDER BY r DESC) AS got, string_agg(r::text, ' ' ORDER BY r DESC) =
 '170141183460.469231731687303715884105727 1 0.000000000000000000000000001 -0.000000000000000000000000001 -1 '
 '-170141183460.469231731687303715884105727' AS ok FROM ix_r;
CREATE INDEX ix_w_btree ON ix_w (w);
CREATE INDEX ix_r_btree ON ix_r (r);
ANALYZE ix_w, ix_r;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
-- an equality and a range condition use the btree index
EXPLAIN (COSTS OFF) SELECT id FROM ix_w WHERE w = '0.5';
SELECT string_agg(id::text, ',' ORDER BY id) = '4,10' AS ok FROM ix_w WHERE w = '1';
EXPLAIN (COSTS OFF) SELECT id FROM ix_w WHERE w >= '-0.5' AND w < '0.000000000000000001';
SELECT string_agg(id::text, ',' ORDER BY id) = '3,6,9,11' AS ok FROM ix_w WHERE w >= '-0.5' AND w < '0.000000000000000001';
SELECT string_agg(id::text, ',' ORDER BY id) = '2,3,7,9,12' AS ok FROM ix_w WHERE w < '-0';
-- ORDER BY is served by the index, in the right order for mixed signs
EXPLAIN (COSTS OFF) SELECT w FROM ix_w WHERE id < 100 ORDER BY w;
SELECT string_agg(w::text, ' ') AS got, string_agg(w::text, ' ') =
 '-170141183460469231731.687303715884105727 -1.5 -1 -0.5 -0.000000000000000001 0 0 0.000000000000000001 0.5 1 1 '
 '170141183460469231731.687303715884105727' AS ok FROM (SELECT w FROM ix_w WHERE id < 100 ORDER BY w) s;
SELECT string_agg(w::text, ' ') = '170141183460469231731.687303715884105727 500000 499000' AS ok
FROM (SELECT w FROM ix_w ORDER BY w DESC LIMIT 3) s;
EXPLAIN (COSTS OFF) SELECT id, r FROM ix_r ORDER BY r;
SELECT string_agg(r::text, ' ') AS got, string_agg(r::text, ' ') = '-170141183460.469231731687303715884105727 -1 '
 '-0.000000000000000000000000001 0.000000000000000000000000001 1 170141183460.469231731687303715884105727' AS ok
FROM (SELECT id, r FROM ix_r ORDER BY r) s;
-- min/max use the index (an InitPlan with a limited index scan)
EXPLAIN (COSTS OFF) SELECT max(w) FROM ix_w;
SELECT min(w) = '-170141183460469231731.687303715884105727' AND max(w) = '170141183460469231731.687303715884105727' AS ok FROM ix_w;
-- a hash index answers equality, values equal whatever their spelling
DROP INDEX ix_w_btree;
CREATE INDEX ix_w_hash ON ix_w USING hash (w);
EXPLAIN (COSTS OFF) SELECT id FROM ix_w WHERE w = '1';
SELECT string_agg(id::text, ',' ORDER BY id) = '4,10' AS ok FROM ix_w WHERE w = '1.0';
SELECT string_agg(id::text, ',' ORDER BY id) = '6,11' AS ok FROM ix_w WHERE w = '-0.0';
SELECT string_agg(id::text, ',' ORDER BY id) = '5' AS ok FROM ix_w WHERE w = '170141183460469231731.687303715884105727';
CREATE INDEX ix_r_hash ON ix_r USING hash (r);
EXPLAIN (COSTS OFF) SELECT id FROM ix_r WHERE r = '-1';
SELECT string_agg(id::text, ',') = '6' AS ok FROM ix_r WHERE r = '-1.000';
RESET enable_seqscan;
RESET enable_bitmapscan;
DROP INDEX ix_w_hash;
-- hash join: equal values meet whatever their spelling (1 = 1.000, 0 = -0)
CREATE TABLE ix_w2 (k text, w wad);
INSERT INTO ix_w2 VALUES ('one', '1.0'), ('zero', '0.000'), ('max', '170141183460469231731.687303715884105727'),
 ('tiny', '-1e-18'), ('none', '2.5'), ('k1000', '1e3');
ANALYZE ix_w2;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT a.id, b.k FROM ix_w a JOIN ix_w2 b ON a.w = b.w;
SELECT string_agg(a.id || ':' || b.k, ' ' ORDER BY a.id) AS got,
 string_agg(a.id || ':' || b.k, ' ' ORDER BY a.id) = '3:tiny 4:one 5:max 6:zero 10:one 11:zero 101:k1000' AS ok
FROM ix_w a JOIN ix_w2 b ON a.w = b.w;
-- merge join gives the same pairs
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT a.id, b.k FROM ix_w a JOIN ix_w2 b ON a.w = b.w;
SELECT string_agg(a.id || ':' || b.k, ' ' ORDER BY a.id) AS got,
 string_agg(a.id || ':' || b.k, ' ' ORDER BY a.id) = '3:tiny 4:one 5:max 6:zero 10:one 11:zero 101:k1000' AS ok
FROM ix_w a JOIN ix_w2 b ON a.w = b.w;
RESET enable_hashjoin;
RESET enable_nestloop;
-- GROUP BY and DISTINCT by hashing ...
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT w, count(*) FROM ix_w WHERE id < 100 GROUP BY w;
SELECT string_agg(w || 'x' || n, ' ' ORDER BY w) AS got, string_agg(w || 'x' || n, ' ' ORDER BY w) =
 '-170141183460469231731.687303715884105727x1 -1.5x1 -1x1 -0.5x1 -0.000000000000000001x1 0x2 0.000000000000000001x1 '
 '0.5x1 1x2 170141183460469231731.687303715884105727x1' AS ok
FROM (SELECT w, count(*) AS n FROM ix_w WHERE id < 100 GROUP BY w) s;
EXPLAIN (COSTS OFF) SELECT DISTINCT r FROM ix_r;
SELECT count(*) = 6 AS ok FROM (SELECT DISTINCT r FROM (SELECT r FROM ix_r UNION ALL SELECT r FROM ix_r) u) s;
SELECT count(*) = 510 AS ok FROM (SELECT DISTINCT w FROM ix_w) s;
RESET enable_sort;
-- ... and by sorting
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT w, count(*) FROM ix_w WHERE id < 100 GROUP BY w;
SELECT string_agg(w || 'x' || n, ' ') AS got, string_agg(w || 'x' || n, ' ') =
 '-170141183460469231731.687303715884105727x1 -1.5x1 -1x1 -0.5x1 -0.000000000000000001x1 0x2 0.000000000000000001x1 '
 '0.5x1 1x2 170141183460469231731.687303715884105727x1' AS ok
FROM (SELECT w, count(*) AS n FROM ix_w WHERE id < 100 GROUP BY w ORDER BY w) s;
EXPLAIN (COSTS OFF) SELECT DISTINCT r FROM ix_r;
SELECT count(*) = 6 AS ok FROM (SELECT DISTINCT r FROM (SELECT r FROM ix_r UNION ALL SELECT r FROM ix_r) u) s;
SELECT count(*) = 510 AS ok FROM (SELECT DISTINCT w FROM ix_w) s;
RESET enable_hashagg;
DROP TABLE ix_w, ix_w2, ix_r;

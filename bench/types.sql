/*
 * bench/types.sql: the fixed-point types against numeric on the same rows.
 *
 * Builds ROWS (default 3 000 000) rows holding each amount twice, as wad
 * and as numeric(36,18), and each index twice, as ray and as
 * numeric(36,27); then times, best of three runs each, the same work on
 * both representations and prints the ratio numeric / xphere (above 1:
 * xphere is faster).  count(*) over the same table is the floor any
 * aggregate pays for scanning it.  Single process (no parallel workers),
 * JIT off, every sort in memory, so the figures compare the types and not
 * the machine's scheduling.  Run by bench/run.sh; prints a Markdown table.
 */
\set ON_ERROR_STOP 1
\pset pager off
\pset footer off
\if :{?rows}
\else
\set rows 3000000
\endif

SET client_min_messages = warning;
SET search_path = public, xphere;
SET max_parallel_workers_per_gather = 0;
SET max_parallel_maintenance_workers = 0;
SET jit = off;
SET work_mem = '1GB';
SET maintenance_work_mem = '1GB';

CREATE EXTENSION IF NOT EXISTS xphere;
DROP TABLE IF EXISTS bench_types;

-- deterministic values of realistic shape: amounts up to a million with
-- 18 decimals, indexes just above 1 with 27 decimals, some negative amounts
CREATE TABLE bench_types AS
SELECT a::xphere.wad AS w, r::xphere.ray AS r,
       a::numeric(36,18) AS nw, r::numeric(36,27) AS nr
FROM (
	SELECT CASE WHEN i % 10 = 0 THEN -1 ELSE 1 END *
	       ((abs(hashint8(i)) % 1000000)::numeric +
	        round(abs(hashint8(i + 7))::numeric / 1e19, 18)) AS a,
	       1 + round(abs(hashint8(-i))::numeric / 1e20 +
	                 abs(hashint8(3 * i))::numeric / 1e46, 27) AS r
	FROM generate_series(1, :rows) AS i
) s;
VACUUM (FREEZE, ANALYZE) bench_types;

CREATE FUNCTION pg_temp.best_ms(q text, cleanup text DEFAULT NULL)
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	best double precision := 'Infinity';
BEGIN
	EXECUTE q;					-- warm-up: caches, hint bits
	IF cleanup IS NOT NULL THEN EXECUTE cleanup; END IF;
	FOR i IN 1..3 LOOP
		t0 := clock_timestamp();
		EXECUTE q;
		best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
		IF cleanup IS NOT NULL THEN EXECUTE cleanup; END IF;
	END LOOP;
	RETURN best;
END $$;

-- the two representations must agree before their speed means anything
SELECT CASE WHEN (SELECT sum(w)::numeric = sum(nw) FROM bench_types)
	THEN 'sum(wad) = sum(numeric): yes'
	ELSE 'sum(wad) = sum(numeric): NO' END AS "check";

CREATE TEMP TABLE results (op text, target text, xphere_ms float8, numeric_ms float8);
CREATE TEMP TABLE floor AS
	SELECT pg_temp.best_ms('SELECT count(*) FROM bench_types') AS count_ms;
INSERT INTO results VALUES
 ('sum(amount)', '>= 3x',
  pg_temp.best_ms('SELECT sum(w) FROM bench_types'),
  pg_temp.best_ms('SELECT sum(nw) FROM bench_types')),
 ('sum(amount * index)', '>= 3x',
  pg_temp.best_ms('SELECT sum(w * r) FROM bench_types'),
  pg_temp.best_ms('SELECT sum(nw * nr) FROM bench_types')),
 ('ORDER BY amount', '>= 2x',
  pg_temp.best_ms('SELECT * FROM (SELECT w FROM bench_types ORDER BY w OFFSET ' || (:rows - 1) || ') s'),
  pg_temp.best_ms('SELECT * FROM (SELECT nw FROM bench_types ORDER BY nw OFFSET ' || (:rows - 1) || ') s')),
 ('CREATE INDEX (amount)', '>= 2x',
  pg_temp.best_ms('CREATE INDEX bench_idx ON bench_types (w)', 'DROP INDEX bench_idx'),
  pg_temp.best_ms('CREATE INDEX bench_idx ON bench_types (nw)', 'DROP INDEX bench_idx'));

-- "above the floor": what the aggregate costs beyond scanning the rows
\echo
\echo '| operation | xphere (ms) | numeric (ms) | numeric / xphere | same, above count(*) | target |'
\echo '| --- | ---: | ---: | ---: | ---: | --- |'
SELECT format('| %s | %s | %s | %s | %s | %s |', op, round(xphere_ms::numeric, 1),
	round(numeric_ms::numeric, 1), round((numeric_ms / xphere_ms)::numeric, 2) || 'x',
	CASE WHEN op LIKE 'sum%'
		THEN round(((numeric_ms - count_ms) / (xphere_ms - count_ms))::numeric, 2) || 'x'
		ELSE '' END,
	target)
FROM results, floor \g (tuples_only=on format=unaligned)

SELECT format('| bytes per value, amount | %s | %s | %s | | smaller is better |',
	round(avg(pg_column_size(w)), 1), round(avg(pg_column_size(nw)), 1),
	round(avg(pg_column_size(nw)) / avg(pg_column_size(w)), 2) || 'x')
FROM bench_types \g (tuples_only=on format=unaligned)
SELECT format('| bytes per value, index | %s | %s | %s | | smaller is better |',
	round(avg(pg_column_size(r)), 1), round(avg(pg_column_size(nr)), 1),
	round(avg(pg_column_size(nr)) / avg(pg_column_size(r)), 2) || 'x')
FROM bench_types \g (tuples_only=on format=unaligned)

\echo
\echo '| floor | count(*) (ms) | sum(amount * index) (ms) | ratio | target |'
\echo '| --- | ---: | ---: | ---: | --- |'
SELECT format('| same table, %s rows | %s | %s | %s | <= 2.5x |', :rows,
	round(count_ms::numeric, 1), round(xphere_ms::numeric, 1),
	round((xphere_ms / count_ms)::numeric, 2) || 'x')
FROM floor, results WHERE op = 'sum(amount * index)' \g (tuples_only=on format=unaligned)

DROP TABLE bench_types;

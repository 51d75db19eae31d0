/*
 * bench/memory: bytes on disk per user, ledger entry, machine, mining
 * reward and position (psql variable n: how many of each).
 *
 * Every object is made through the API, n times, one call per transaction
 * (so that, as in production, the dead row versions an update leaves
 * behind are pruned as the next calls go), then the database is VACUUMed
 * and the size of every xphere table is taken: heap, indexes and the rest
 * (TOAST, free-space and visibility maps).  The growth over a stage divided
 * by n is the cost of one object, broken down by table: the object's own
 * row and the ledger entries and balance_history rows it brings.  "raw" is
 * what the added rows hold: pg_column_size of the row (tuple header
 * included) plus its 4-byte line pointer, without indexes and free space.
 *
 * Stages, in order (clock fixed, 2027-01-01, then 2027-01-02 from the
 * distribution on):
 *   user               register_user (bcrypt cost 4), with its two accounts
 *   deposit            deposit of 5 000 USDT: one ledger entry (below
 *                      large_transaction_usdt, so no event)
 *   transfer           transfer of 1 USDT to the next user: two ledger
 *                      entries, one per side
 *   machine            purchase_machine(user, 'p1')
 *   mining reward      distribute_mining_rewards() paying the n machines
 *   staking position   stake(user, 100) (after an XP deposit, not counted)
 *   supply position    supply(user, 'lp-xp', 1000)
 *   borrow position    borrow(user, 'lp-xp', 100, 'USDT', 1000) (after set_price)
 */
\set ON_ERROR_STOP 1
\pset pager off
\pset footer off
SET client_min_messages = warning;
SET search_path = public, xphere;
SET synchronous_commit = off;
SET xphere.clock = '2027-01-01 00:00:00+00';
CREATE EXTENSION IF NOT EXISTS xphere CASCADE;
SELECT xphere.set_setting('password_hash_cost', '4') \g /dev/null

CREATE TABLE mem_sizes (seq serial, stage text, rel text, heap bigint, idx bigint, other bigint,
	nrows bigint, tuple_bytes bigint);
CREATE TABLE mem_users (i integer PRIMARY KEY, id uuid NOT NULL);

/* sizes and row counts of every table of the extension */
CREATE PROCEDURE mem_snapshot(p_stage text) LANGUAGE plpgsql AS $$
DECLARE
	r record;
	v_rows bigint;
	v_bytes bigint;
BEGIN
	FOR r IN SELECT c.oid, c.relname FROM pg_class c
			 WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind = 'r' ORDER BY c.relname LOOP
		EXECUTE format('SELECT count(*), coalesce(sum(pg_column_size(t.*)), 0) FROM xphere.%I t', r.relname)
			INTO v_rows, v_bytes;
		INSERT INTO mem_sizes (stage, rel, heap, idx, other, nrows, tuple_bytes)
		VALUES (p_stage, r.relname, pg_relation_size(r.oid), pg_indexes_size(r.oid),
			pg_table_size(r.oid) - pg_relation_size(r.oid), v_rows, v_bytes);
	END LOOP;
END $$;

/* p_sql with $1 = 1 .. n, one transaction each */
CREATE PROCEDURE mem_run(p_sql text, p_n integer) LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..p_n LOOP
		EXECUTE p_sql USING i;
		COMMIT;
	END LOOP;
END $$;

VACUUM;
CALL mem_snapshot('start');

CALL mem_run('INSERT INTO mem_users SELECT $1, xphere.register_user(''mem'' || $1 || ''@example.com'', ''password'' || $1, ''Mem '' || $1)', :n);
VACUUM;
CALL mem_snapshot('user');

CALL mem_run('SELECT xphere.deposit(id, ''USDT'', 5000, ''0x'' || encode(sha256(convert_to(''mem-usdt-'' || $1, ''UTF8'')), ''hex'')) FROM mem_users WHERE i = $1', :n);
VACUUM;
CALL mem_snapshot('ledger entry: deposit');

CALL mem_run('SELECT xphere.transfer(a.id, b.id, ''USDT'', 1) FROM mem_users a, mem_users b WHERE a.i = $1 AND b.i = $1 % ' || :n || ' + 1', :n);
VACUUM;
CALL mem_snapshot('transfer (two ledger entries)');

CALL mem_run('SELECT xphere.purchase_machine(id, ''p1'') FROM mem_users WHERE i = $1', :n);
VACUUM;
CALL mem_snapshot('machine');

SET xphere.clock = '2027-01-02 00:00:00+00';
SELECT xphere.distribute_mining_rewards() \g /dev/null
VACUUM;
CALL mem_snapshot('mining reward (a machine paid once)');

CALL mem_run('SELECT xphere.deposit(id, ''XP'', 5000, ''0x'' || encode(sha256(convert_to(''mem-xp-'' || $1, ''UTF8'')), ''hex'')) FROM mem_users WHERE i = $1', :n);
VACUUM;
CALL mem_snapshot('(XP deposits)');

CALL mem_run('SELECT xphere.stake(id, 100) FROM mem_users WHERE i = $1', :n);
VACUUM;
CALL mem_snapshot('staking position');

CALL mem_run('SELECT xphere.supply(id, ''lp-xp'', 1000) FROM mem_users WHERE i = $1', :n);
VACUUM;
CALL mem_snapshot('supply position');

SELECT xphere.set_price('XP', '1') \g /dev/null
VACUUM;
CALL mem_snapshot('(price)');
CALL mem_run('SELECT xphere.borrow(id, ''lp-xp'', 100, ''USDT'', 1000) FROM mem_users WHERE i = $1', :n);
VACUUM;
CALL mem_snapshot('borrow position');

SELECT format('check_invariants(): %s rows%s', count(*),
	coalesce(': ' || string_agg(invariant || ': ' || detail, '; '), '')) AS "check"
FROM (SELECT * FROM xphere.check_invariants() LIMIT 5) v \g (tuples_only=on format=unaligned)

/* growth per stage and table, per object */
CREATE TEMP VIEW growth AS
SELECT seq, stage, rel,
	(heap - (prev).heap)::numeric / :n AS heap, (idx - (prev).idx)::numeric / :n AS idx,
	(other - (prev).other)::numeric / :n AS other,
	(heap + idx + other - (prev).heap - (prev).idx - (prev).other)::numeric / :n AS total,
	(nrows - (prev).nrows)::numeric / :n AS rows_per,
	(tuple_bytes - (prev).tuple_bytes + 4 * (nrows - (prev).nrows))::numeric / :n AS raw
FROM (SELECT s.*, lag(s) OVER (PARTITION BY s.rel ORDER BY s.seq) AS prev FROM mem_sizes s) x
WHERE stage NOT LIKE '(%' AND stage <> 'start';

\echo
\echo 'Bytes per object, by table: growth after VACUUM divided by n =' :n '(tables marked "updated" only had rows changed, not added, and are left out of the total):'
\echo
\echo '| object | table | rows per object | heap | indexes | TOAST, FSM, VM | total | raw tuples |'
\echo '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |'
SELECT format('| %s | %s | %s | %s | %s | %s | %s | %s |',
	CASE WHEN rel IS NULL THEN '**' || stage || '**' ELSE stage END,
	coalesce(rel, '**total**'),
	CASE WHEN rows_per >= 0.1 THEN round(rows_per, 2)::text WHEN rel IS NULL THEN '' ELSE 'updated' END,
	round(heap, 1), round(idx, 1), round(other, 1),
	CASE WHEN rel IS NULL THEN '**' || round(total, 1) || '**' ELSE round(total, 1)::text END,
	round(raw, 1))
FROM (
	SELECT stage, rel, heap, idx, other, total, rows_per, raw, 0 AS k FROM growth
	WHERE round(rows_per, 2) <> 0 OR round(total, 1) <> 0
	UNION ALL
	SELECT stage, NULL, sum(heap), sum(idx), sum(other), sum(total), NULL, sum(raw), 1
	FROM growth WHERE rows_per >= 0.1 GROUP BY stage
) t
ORDER BY (SELECT min(seq) FROM growth g WHERE g.stage = t.stage), k, total DESC \g (tuples_only=on format=unaligned)

/* bytes per row of each table in the final state: indexes and free space averaged over all rows */
CREATE TEMP VIEW per_row AS
SELECT rel, nrows, heap::numeric / nrows AS heap, idx::numeric / nrows AS idx,
	other::numeric / nrows AS other, (heap + idx + other)::numeric / nrows AS total,
	(tuple_bytes + 4 * nrows)::numeric / nrows AS raw
FROM mem_sizes WHERE stage = (SELECT stage FROM mem_sizes ORDER BY seq DESC LIMIT 1) AND nrows >= :n;

\echo
\echo 'Bytes per row in the final state (tables with at least n rows):'
\echo
\echo '| table | rows | heap | indexes | TOAST, FSM, VM | total | raw tuple |'
\echo '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'
SELECT format('| %s | %s | %s | %s | %s | %s | %s |', rel, nrows, round(heap, 1), round(idx, 1),
	round(other, 1), round(total, 1), round(raw, 1))
FROM per_row ORDER BY total DESC \g (tuples_only=on format=unaligned)

\echo
\echo 'Summary per object: its own rows, the ledger rows that come with it (transactions, balance_history), total (growth), against the raw tuples and against the rows it adds at the final per-row averages:'
\echo
\echo '| object | own rows (B) | ledger rows (B) | total (B) | raw tuples (B) | total / raw | at final per-row averages (B) |'
\echo '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'
SELECT format('| %s | %s | %s | **%s** | %s | %s | %s |', g.stage,
	coalesce(round(sum(g.total) FILTER (WHERE g.rel NOT IN ('transactions', 'balance_history')), 0), 0),
	coalesce(round(sum(g.total) FILTER (WHERE g.rel IN ('transactions', 'balance_history')), 0), 0),
	round(sum(g.total), 0), round(sum(g.raw), 0), round(sum(g.total) / sum(g.raw), 2) || 'x',
	round(sum(g.rows_per * r.total), 0))
FROM growth g LEFT JOIN per_row r USING (rel)
WHERE g.rows_per >= 0.1
GROUP BY g.stage ORDER BY min(g.seq) \g (tuples_only=on format=unaligned)

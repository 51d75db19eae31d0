/*
 * bench/scale measurements, last part (psql variable n), at 2027-01-04:
 * distribute_mining_rewards() paying every machine, and its baselines:
 * a plain INSERT ... SELECT of n rows of mining_rewards' column types, the
 * same into a table with mining_rewards' indexes (best of three each), and
 * distribute_mining_batch()'s own statement on copies of the tables it
 * writes, without foreign keys and triggers.  Then check_invariants() and
 * every figure of the run, one line each: n, figure, ms, details.
 */
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, xphere;
SET jit = off;

SET xphere.clock = '2027-01-04 00:00:00+00';

-- a plain table of mining_rewards' column types, no index
CREATE TABLE scale_plain (id uuid, user_id uuid, machine_id uuid, amount xphere.wad,
	calculated_at timestamptz, distributed boolean, distribution_tx uuid);
-- the same with mining_rewards' primary key, indexes, defaults and checks
CREATE TABLE scale_indexed (LIKE xphere.mining_rewards INCLUDING ALL);
/*
 * copies of the tables a distribution writes, with their indexes, defaults
 * and checks but without foreign keys and triggers; user_machines and
 * accounts hold the same rows as the real ones
 */
CREATE TABLE scale_machines (LIKE xphere.user_machines INCLUDING ALL);
INSERT INTO scale_machines SELECT * FROM xphere.user_machines;
CREATE TABLE scale_accounts (LIKE xphere.accounts INCLUDING ALL);
INSERT INTO scale_accounts SELECT * FROM xphere.accounts;
CREATE TABLE scale_transactions (LIKE xphere.transactions INCLUDING ALL);
CREATE TABLE scale_rewards (LIKE xphere.mining_rewards INCLUDING ALL);
CREATE TABLE scale_history (LIKE xphere.balance_history INCLUDING ALL);
VACUUM ANALYZE;

\set plain_insert 'INSERT INTO scale_plain SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), (i % 1000 + 1)::xphere.wad * ''0.015'', xphere.now(), true, gen_random_uuid() FROM generate_series(1, ' :n ') AS i'
\set indexed_insert 'INSERT INTO scale_indexed (user_id, machine_id, amount, calculated_at, distribution_tx) SELECT gen_random_uuid(), gen_random_uuid(), (i % 1000 + 1)::xphere.wad * ''0.015'', xphere.now(), gen_random_uuid() FROM generate_series(1, ' :n ') AS i'
CALL scale_time('plain_insert', :'plain_insert', 'TRUNCATE scale_plain');
CALL scale_time('plain_insert', :'plain_insert', 'TRUNCATE scale_plain');
CALL scale_time('plain_insert', :'plain_insert', 'TRUNCATE scale_plain');
CALL scale_time('indexed_insert', :'indexed_insert', 'TRUNCATE scale_indexed');
CALL scale_time('indexed_insert', :'indexed_insert', 'TRUNCATE scale_indexed');
CALL scale_time('indexed_insert', :'indexed_insert', 'TRUNCATE scale_indexed');

/* distribute_mining_batch()'s statement, on the copies */
CALL scale_time('same_writes', $q$
	WITH paid AS (
		UPDATE scale_machines m SET
			last_reward = xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before,
												m.online_since, xphere.now()) - m.paid_xp,
			paid_xp = xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before,
											m.online_since, xphere.now()),
			paid_at = xphere.now()
		WHERE xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, xphere.now())
			> m.paid_xp
		  AND m.status_changed_at <= xphere.now()
		RETURNING m.id, m.user_id, m.last_reward
	), per_user AS MATERIALIZED (
		SELECT p.user_id, sum(p.last_reward) AS amount, count(*) AS machines,
			gen_random_uuid() AS tx_id
		FROM paid p GROUP BY p.user_id
	), entries AS (
		INSERT INTO scale_transactions (id, user_id, type, amount, currency, metadata)
		SELECT u.tx_id, u.user_id, 'MINING_REWARD', u.amount, 'XP',
			jsonb_build_object('machines', u.machines, 'calculated_at', xphere.now())
		FROM per_user u
	), rewards AS (
		INSERT INTO scale_rewards (user_id, machine_id, amount, calculated_at, distribution_tx)
		SELECT p.user_id, p.id, p.last_reward, xphere.now(), u.tx_id
		FROM paid p JOIN per_user u USING (user_id)
	), credited AS (
		UPDATE scale_accounts a SET available = a.available + u.amount
		FROM per_user u
		WHERE a.user_id = u.user_id AND a.currency = 'XP'
		RETURNING a.user_id, u.tx_id, u.amount, a.available, a.locked
	), history AS (
		INSERT INTO scale_history (user_id, currency, transaction_id,
			available_before, available_change, available_after,
			locked_before, locked_change, locked_after)
		SELECT c.user_id, 'XP', c.tx_id, c.available - c.amount, c.amount, c.available,
			c.locked, 0, c.locked
		FROM credited c
	)
	SELECT count(*) FROM paid$q$);

CALL scale_time('distribute', 'SELECT xphere.distribute_mining_rewards()');

WITH v AS MATERIALIZED (SELECT * FROM xphere.check_invariants())
SELECT :n, 'invariants_after', count(*),
	coalesce(array_to_string((array_agg(invariant || ': ' || detail))[1:5], '; '), '')
FROM v \g (tuples_only=on format=unaligned fieldsep='\t')
SELECT :n, figure, ms, info FROM scale_results ORDER BY seq
\g (tuples_only=on format=unaligned fieldsep='\t')

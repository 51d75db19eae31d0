-- test/pgtap/distribution.sql: the mining distribution at scale (sql/install/mining/mining.sql
-- pay_machines, distribute_mining_batch; sql/install/platform/jobs.sql tick).
--
-- Ensures that:
--   * a tick pays one batch sized to take about distribution_tick_time at the
--     rate of the last full batch (1 000 machines before any, 100 at least);
--     distribution_batch still caps it; the round goes on over the ticks;
--   * every machine is paid exactly once per round and exactly what it
--     earned (p1: 1.2 XP a day, the ERD's plan), whatever the batches;
--   * the rows written without per-row foreign-key checks all reference
--     existing rows (users, machines, entries, accounts), and the session is
--     back to session_replication_role = origin afterwards;
--   * an entry of a distribution worth exactly large_transaction_usdt
--     raises a large_transaction event, one wei more threshold none;
--   * distribution_tick_time is validated by set_setting().
--
-- Three users own 400 p1 machines each (1 200 machines), bought at T.
-- Day d pays 1.2 XP per machine: 480 XP per user and 1 440 XP in all.
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

SELECT plan(38);

CREATE TEMP TABLE u (n integer, id uuid);
DO $$
DECLARE
	v uuid;
BEGIN
	FOR i IN 1..3 LOOP
		v := xphere.register_user('dist' || i || '@example.com', 'password1', 'Dist ' || i);
		PERFORM xphere.deposit(v, 'USDT', 40000, '0x' || encode(sha256(convert_to('dist-' || i, 'UTF8')), 'hex'));
		FOR j IN 1..400 LOOP
			PERFORM xphere.purchase_machine(v, 'p1');
		END LOOP;
		INSERT INTO u VALUES (i, v);
	END LOOP;
END $$;
SELECT is((SELECT count(*)::int FROM xphere.user_machines), 1200, '1 200 machines, 400 per user');
SELECT is((xphere.tick() ->> 'machines_paid')::int, 0, 'at T nothing is due yet');

-- the machines a tick paid: reward rows calculated at the clock
CREATE FUNCTION pg_temp.rewards_at(t timestamptz) RETURNS integer
	LANGUAGE sql AS $$ SELECT count(*)::int FROM xphere.mining_rewards WHERE calculated_at = t $$;
-- machines paid by the distribution events written at the clock
CREATE FUNCTION pg_temp.event_machines(t timestamptz) RETURNS integer
	LANGUAGE sql AS $$
	SELECT coalesce(sum((payload ->> 'machines')::int), 0)::int FROM xphere.events
	WHERE kind = 'distribution' AND (payload ->> 'calculated_at')::timestamptz = t $$;

-- 1. a tiny time budget: the batch shrinks to its floor of 100 -----------------
UPDATE xphere.settings SET value = '1 microsecond' WHERE key = 'distribution_tick_time';
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT is((SELECT distribution_chunk FROM xphere.job_state), NULL, 'no batch has run: no rate yet');
SELECT is((xphere.tick() ->> 'machines_paid')::int, 1000,
	'the first tick of the round pays the first batch: 1 000 machines');
SELECT is((SELECT distribution_chunk FROM xphere.job_state), 100,
	'a full batch far over 1 microsecond sets the next one to the floor, 100');
SELECT is((SELECT distribution_round_start FROM xphere.job_state), '2027-01-02 00:00:00+00'::timestamptz,
	'the round goes on');
SELECT is(ARRAY[(xphere.tick() ->> 'machines_paid')::int, (xphere.tick() ->> 'machines_paid')::int,
		(xphere.tick() ->> 'machines_paid')::int],
	ARRAY[100, 100, 0], 'then 100 a tick: 1 000 + 100 + 100 = 1 200, and a tick finding none ends the round');
SELECT is((SELECT distribution_round_start FROM xphere.job_state), NULL, 'the round is over');
SELECT is(pg_temp.rewards_at('2027-01-02 00:00:00+00'), 1200, 'day 1: one reward row per machine');
SELECT is((SELECT count(*)::int FROM xphere.events WHERE kind = 'distribution'), 3,
	'one distribution event per tick that paid');

-- 2. a budget to spare: the batch grows to the rest of the round ---------------
UPDATE xphere.settings SET value = '1 hour' WHERE key = 'distribution_tick_time';
SET LOCAL xphere.clock = '2027-01-03 00:00:00+00';
SELECT is((xphere.tick() ->> 'machines_paid')::int, 100, 'the first tick pays the batch the last rate set: 100');
SELECT cmp_ok((SELECT distribution_chunk FROM xphere.job_state), '>=', 1100,
	'100 machines take far less than an hour: the next batch holds the other 1 100');
SELECT is((xphere.tick() ->> 'machines_paid')::int, 1100, 'the second tick pays the other 1 100');
SELECT is((SELECT distribution_round_start FROM xphere.job_state), NULL, 'and ends the round');
SELECT is(pg_temp.event_machines('2027-01-03 00:00:00+00'), 1200,
	'the round''s distribution events add up to 1 200 machines');
SELECT is((xphere.tick() ->> 'machines_paid'), NULL, 'a further tick the same day distributes nothing');

-- 3. distribution_batch still caps a tick -------------------------------------
UPDATE xphere.settings SET value = '300' WHERE key = 'distribution_batch';
SET LOCAL xphere.clock = '2027-01-04 00:00:00+00';
SELECT is(ARRAY[(xphere.tick() ->> 'machines_paid')::int, (xphere.tick() ->> 'machines_paid')::int,
		(xphere.tick() ->> 'machines_paid')::int, (xphere.tick() ->> 'machines_paid')::int,
		(xphere.tick() ->> 'machines_paid')::int],
	ARRAY[300, 300, 300, 300, 0],
	'distribution_batch 300: ticks pay 300 four times, then find nothing and end the round');
SELECT is((SELECT distribution_round_start FROM xphere.job_state), NULL, 'the round is over');
UPDATE xphere.settings SET value = '50000' WHERE key = 'distribution_batch';

SELECT is((SELECT count(*)::int FROM (SELECT machine_id FROM xphere.mining_rewards
		GROUP BY machine_id HAVING count(*) = 3 AND sum(amount) = '3.6') x), 1200,
	'after three rounds every machine has three reward rows, 3 x 1.2 = 3.6 XP');
SELECT is((SELECT array_agg(DISTINCT amount::text) FROM xphere.mining_rewards), ARRAY['1.2'],
	'each reward is one day of a p1 machine: 1.2 XP');
SELECT is((SELECT array_agg(xphere.balance(id, 'XP')::text ORDER BY n) FROM u),
	ARRAY['1440', '1440', '1440'], 'each user holds 400 x 3.6 = 1 440 XP');

-- 4. every reference written resolves ------------------------------------------
SELECT is(current_setting('session_replication_role'), 'origin',
	'the session is back to session_replication_role = origin');
SELECT is_empty($$SELECT r.id FROM xphere.mining_rewards r LEFT JOIN xphere.users x ON x.id = r.user_id
	WHERE x.id IS NULL$$, 'every reward''s user exists');
SELECT is_empty($$SELECT r.id FROM xphere.mining_rewards r LEFT JOIN xphere.user_machines m
	ON m.id = r.machine_id AND m.user_id = r.user_id WHERE m.id IS NULL$$,
	'every reward''s machine exists and belongs to the reward''s user');
SELECT is_empty($$SELECT r.id FROM xphere.mining_rewards r LEFT JOIN xphere.transactions t
	ON t.id = r.distribution_tx AND t.user_id = r.user_id AND t.type = 'MINING_REWARD'
	WHERE t.id IS NULL$$, 'every reward''s entry exists: the user''s MINING_REWARD entry');
SELECT is_empty($$SELECT t.id FROM xphere.transactions t LEFT JOIN xphere.users x ON x.id = t.user_id
	WHERE x.id IS NULL$$, 'every entry''s user exists');
SELECT is_empty($$SELECT h.id FROM xphere.balance_history h LEFT JOIN xphere.transactions t
	ON t.id = h.transaction_id WHERE t.id IS NULL$$, 'every history row''s entry exists');
SELECT is_empty($$SELECT h.id FROM xphere.balance_history h LEFT JOIN xphere.accounts a
	USING (user_id, currency) WHERE a.user_id IS NULL$$, 'every history row''s account exists');
SELECT is((SELECT sum(t.amount)::text FROM xphere.transactions t
		WHERE t.type = 'MINING_REWARD' AND t.user_id <> xphere_internal.house_id()),
	(SELECT sum(r.amount)::text FROM xphere.mining_rewards r),
	'the users'' MINING_REWARD entries add up to the reward rows: 4 320 XP');

-- 5. large_transaction events of a distribution's entries ----------------------
SELECT xphere.set_price('XP', '1');
UPDATE xphere.settings SET value = '480' WHERE key = 'large_transaction_usdt';
SET LOCAL xphere.clock = '2027-01-05 00:00:00+00';
SELECT is(xphere.distribute_mining_rewards(), 1200, 'day 4: distribute_mining_rewards() pays all 1 200');
SELECT is((SELECT count(*)::int FROM xphere.events WHERE kind = 'large_transaction'
		AND payload ->> 'type' = 'MINING_REWARD' AND (payload ->> 'amount')::xphere.wad = 480
		AND (payload ->> 'user_id')::uuid IN (SELECT id FROM u)), 3,
	'each user''s entry of 480 XP at 1 USDT is worth exactly 480 USDT: three events, none for the house');
UPDATE xphere.settings SET value = '480.000000000000000001' WHERE key = 'large_transaction_usdt';
SET LOCAL xphere.clock = '2027-01-06 00:00:00+00';
SELECT is(xphere.distribute_mining_rewards(), 1200, 'day 5: pays all 1 200 again');
SELECT is((SELECT count(*)::int FROM xphere.events WHERE kind = 'large_transaction'
		AND payload ->> 'type' = 'MINING_REWARD'), 3,
	'one wei over 480 USDT as the threshold: no new event');

-- 6. distribution_tick_time is validated ---------------------------------------
SELECT throws_ok($$SELECT xphere.set_setting('distribution_tick_time', '0')$$, '22023', NULL,
	'a zero distribution_tick_time is refused (22023)');
SELECT throws_ok($$SELECT xphere.set_setting('distribution_tick_time', '-1 second')$$, '22023', NULL,
	'a negative distribution_tick_time is refused (22023)');
SELECT lives_ok($$SELECT xphere.set_setting('distribution_tick_time', '250 milliseconds')$$,
	'250 milliseconds is accepted');
SELECT is(xphere_internal.setting('distribution_tick_time'), '00:00:00.25', 'and stored normalised');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold');

SELECT * FROM finish();
ROLLBACK;

-- test/pgtap/jobs_batch.sql: tick() spreads a mining distribution over several
-- ticks in batches of distribution_batch machines, paying each machine
-- exactly once per round and exactly what it earned.
--
-- Five p1 machines (1.2 XP a day each, ERD 3.1) bought at T; distribution_batch = 2.
-- At T + 1 day the round starts: the ticks pay 2, 2 and 1 machines, each
-- 1.2 XP (one day ONLINE); a further tick at the same time pays nothing.
-- One machine is then left out of the next round by being OFFLINE from
-- T + 1 day, so at T + 2 days the ticks pay 2, 2 and 0 (round over).
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
UPDATE xphere.settings SET value = '2' WHERE key = 'distribution_batch';
-- the round bookkeeping starts from a tick at T
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

SELECT plan(16);

CREATE TEMP TABLE m (n integer, id uuid);
DO $$
DECLARE
	u uuid;
BEGIN
	FOR i IN 1..5 LOOP
		u := xphere.register_user('batch' || i || '@example.com', 'password1', 'Batch ' || i);
		PERFORM xphere.deposit(u, 'USDT', 100, '0x' || encode(sha256(convert_to('batch-' || i, 'UTF8')), 'hex'));
		INSERT INTO m VALUES (i, xphere.purchase_machine(u, 'p1'));
	END LOOP;
END $$;
SELECT is((xphere.tick() ->> 'machines_paid')::int, 0, 'at T nothing is due yet');

SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT is((xphere.tick() ->> 'machines_paid')::int, 2, 'first tick of the round pays a batch of 2');
SELECT is((SELECT distribution_round_start FROM xphere.job_state), '2027-01-02 00:00:00+00'::timestamptz,
	'the round is in progress');
SELECT is((xphere.tick() ->> 'machines_paid')::int, 2, 'second tick pays the next 2');
SELECT is((xphere.tick() ->> 'machines_paid')::int, 1, 'third tick pays the last one and ends the round');
SELECT is((SELECT distribution_round_start FROM xphere.job_state), NULL, 'no round in progress');
SELECT is((SELECT last_distribution_at FROM xphere.job_state), '2027-01-02 00:00:00+00'::timestamptz,
	'the completed round is dated at its start');
SELECT is(xphere.tick() ->> 'machines_paid', NULL, 'a further tick at the same time distributes nothing');
SELECT is((SELECT count(*)::int FROM xphere.mining_rewards), 5, 'one reward row per machine');
SELECT is((SELECT array_agg(DISTINCT amount::text) FROM xphere.mining_rewards), ARRAY['1.2'],
	'each machine was paid exactly one day: 1.2 XP');

-- machine 5 stops at T + 1 day: nothing more is due for it
SELECT xphere.set_machine_status((SELECT id FROM m WHERE n = 5), 'OFFLINE');
SET LOCAL xphere.clock = '2027-01-03 00:00:00+00';
SELECT is((xphere.tick() ->> 'machines_paid')::int, 2, 'next round: a batch of 2');
SELECT is((xphere.tick() ->> 'machines_paid')::int, 2, 'then the other 2 running machines');
SELECT is((xphere.tick() ->> 'machines_paid')::int, 0, 'then none: the round ends');
SELECT is((SELECT sum(amount)::text FROM xphere.mining_rewards), '10.8',
	'5 x 1.2 + 4 x 1.2 = 10.8 XP paid in all');
SELECT is((SELECT count(*)::int FROM xphere.events WHERE kind = 'distribution'), 5,
	'one distribution event per paying batch');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold');

SELECT * FROM finish();
ROLLBACK;

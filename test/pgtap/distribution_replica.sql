-- test/pgtap/distribution_replica.sql: what the mining distribution's
-- session_replication_role = replica (sql/install/mining/mining.sql pay_machines,
-- run through pay_machines_unchecked)
-- leaves behind, and set_setting()'s refusals of the distribution settings.
--
-- Ensures that:
--   * after a distribution the same transaction checks foreign keys again
--     (an insert with a missing machine is 23503) and fires ordinary
--     triggers again;
--   * when pay_machines() fails (a trigger of the DBA's, ENABLE ALWAYS,
--     raising) and the caller catches the error in an exception block, or
--     rolls back to a savepoint, the session is back to origin and nothing
--     of the failed distribution stays;
--   * as doc/operations.md says: an ordinary trigger of the DBA's on
--     transactions does not fire for the users' entries (it does for the
--     house's, written outside pay_machines), an ENABLE ALWAYS one does,
--     and it runs with session_replication_role = replica;
--   * a role in xphere_admin cannot reach replica mode: neither
--     pay_machines() nor pay_machines_unchecked() is executable for it,
--     SET session_replication_role is refused;
--   * set_setting() refuses bad values of distribution_tick_time and
--     distribution_batch with 22023, leaving the settings row and the
--     audit log unchanged.
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

SELECT plan(24);

CREATE TEMP TABLE u (n integer, id uuid);
DO $$
DECLARE
	v uuid;
BEGIN
	FOR i IN 1..2 LOOP
		v := xphere.register_user('replica' || i || '@example.com', 'password1', 'Replica ' || i);
		PERFORM xphere.deposit(v, 'USDT', 1000,
			'0x' || encode(sha256(convert_to('replica-' || i, 'UTF8')), 'hex'));
		PERFORM xphere.purchase_machine(v, 'p1');
		PERFORM xphere.purchase_machine(v, 'p1');
		INSERT INTO u VALUES (i, v);
	END LOOP;
END $$;

-- triggers of the DBA's: one that raises when asked to (ENABLE ALWAYS),
-- one ordinary, counting the rows they see
CREATE TEMP TABLE seen (trigger text, tbl text, role text, n integer);
CREATE FUNCTION pg_temp.dba_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('test.boom', true) = 'on' THEN
		RAISE EXCEPTION 'the DBA''s trigger refuses';
	END IF;
	INSERT INTO seen SELECT TG_NAME, TG_TABLE_NAME, current_setting('session_replication_role'), count(*)
	FROM new_rows;
	RETURN NULL;
END $$;
CREATE TRIGGER dba_always AFTER INSERT ON xphere.mining_rewards REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.dba_trigger();
ALTER TABLE xphere.mining_rewards ENABLE ALWAYS TRIGGER dba_always;
CREATE TRIGGER dba_ordinary AFTER INSERT ON xphere.transactions REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.dba_trigger();

-- 1. a failing distribution, caught -------------------------------------------
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SET LOCAL test.boom = 'on';
CREATE TEMP TABLE caught (message text, role text);
DO $$
BEGIN
	PERFORM xphere.distribute_mining_rewards();
EXCEPTION WHEN raise_exception THEN
	INSERT INTO caught VALUES (SQLERRM, current_setting('session_replication_role'));
END $$;
SELECT is((SELECT message || ' / ' || role FROM caught), 'the DBA''s trigger refuses / origin',
	'pay_machines failed inside, the error was caught: the session is at origin in the handler');
SELECT is(current_setting('session_replication_role'), 'origin', 'and after the block');
SELECT is((SELECT count(*)::int FROM xphere.mining_rewards), 0, 'nothing of the failed distribution stays');
SAVEPOINT s;
SELECT throws_ok('SELECT xphere.distribute_mining_rewards()', 'P0001', 'the DBA''s trigger refuses',
	'uncaught, the distribution fails');
ROLLBACK TO SAVEPOINT s;
SELECT is(current_setting('session_replication_role'), 'origin', 'after ROLLBACK TO SAVEPOINT: origin');
RESET test.boom;
SET LOCAL test.boom = 'off';

-- 2. a distribution, and the same transaction goes on --------------------------
SELECT is(xphere.distribute_mining_rewards(), 4, 'the distribution pays the 4 machines');
SELECT is(current_setting('session_replication_role'), 'origin', 'the session is back to origin');
SELECT throws_ok($$INSERT INTO xphere.mining_rewards (user_id, machine_id, amount, calculated_at, distribution_tx)
	SELECT r.user_id, gen_random_uuid(), 1, r.calculated_at, r.distribution_tx
	FROM xphere.mining_rewards r LIMIT 1$$, '23503', NULL,
	'the same transaction checks foreign keys again: a reward for no machine is 23503');
SELECT is((SELECT n FROM seen WHERE trigger = 'dba_always' AND tbl = 'mining_rewards'), 4,
	'the ENABLE ALWAYS trigger of the DBA''s saw the 4 reward rows');
SELECT is((SELECT role FROM seen WHERE trigger = 'dba_always'), 'replica',
	'and ran with session_replication_role = replica');
SELECT is((SELECT array_agg(n) FROM seen WHERE trigger = 'dba_ordinary'), ARRAY[1],
	'the ordinary trigger on transactions fired once, for the house''s entry only (not the 2 users'')');
DELETE FROM seen;
SELECT xphere.transfer((SELECT id FROM u WHERE n = 1), (SELECT id FROM u WHERE n = 2), 'XP', 1);
SELECT is((SELECT sum(n)::int FROM seen WHERE trigger = 'dba_ordinary'), 2,
	'after the distribution the ordinary trigger fires again (a transfer''s 2 entries)');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold');

-- 3. no replica mode for an admin role ------------------------------------------
SET LOCAL ROLE xphere_admin;
SELECT throws_ok($$SELECT * FROM xphere_internal.pay_machines(ARRAY[]::uuid[], xphere.now(), NULL, NULL)$$,
	'42501', NULL, 'an admin role cannot call pay_machines()');
SELECT throws_ok($$SELECT * FROM xphere_internal.pay_machines_unchecked(ARRAY[]::uuid[], xphere.now(), NULL, NULL)$$,
	'42501', NULL, 'nor pay_machines_unchecked()');
SELECT throws_ok($$SET session_replication_role = replica$$, '42501', NULL,
	'nor set session_replication_role');
RESET ROLE;

-- 4. set_setting() refusals -------------------------------------------------------
CREATE TEMP TABLE before AS SELECT * FROM xphere.settings;
CREATE TEMP TABLE audit_before AS SELECT count(*) AS n FROM xphere.audit_log;
SELECT throws_ok(format('SELECT xphere.set_setting(%L, %L)', k, v), '22023', NULL,
	format('%s = %L is refused (22023)', k, v))
FROM (VALUES ('distribution_tick_time', '0'), ('distribution_tick_time', '1 day -86400 seconds'),
	('distribution_tick_time', '3651 days'), ('distribution_tick_time', 'soon'),
	('distribution_batch', '0'), ('distribution_batch', '10000001')) AS x(k, v);
SELECT set_eq('SELECT * FROM xphere.settings', 'SELECT * FROM before',
	'the refusals changed no setting');
SELECT is((SELECT count(*) FROM xphere.audit_log), (SELECT n FROM audit_before),
	'and wrote no audit row');

SELECT * FROM finish();
ROLLBACK;

--
-- test/pgtap/upgrade_mining.sql: pgTAP tests of what ALTER EXTENSION xphere
-- UPDATE (0.1.0 -> 0.2.0) does to machine plans
-- (sql/upgrade/0.1.0--0.2.0/70_erd_mining.sql).
--
-- What this file ensures:
--   * a plan whose 0.1.0 hashrate is not a whole number of TH/s or PH/s
--     stops the update with 22023, naming the plan and its value, and
--     leaves the database at 0.1.0;
--   * once the administrator has set it with update_plan() under 0.1.0 the
--     update succeeds: '300 TH/s' becomes 300, '1 PH/s' 1000, '42' 42;
--   * a seeded plan no administrator changed takes the ERD's values; one an
--     administrator changed keeps all of its own; a machine bought under
--     0.1.0 keeps the daily return it was sold with.
--
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION xphere VERSION '0.1.0' CASCADE;
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

SELECT plan(9);

-- 0.1.0: free-text hashrates
SELECT xphere.create_plan('t1', '{"name": "T1", "machine_name": "M1", "price_usdt": 10,
	"hashrate": "fast", "daily_return_xp": "1"}');
SELECT xphere.create_plan('t2', '{"name": "T2", "machine_name": "M2", "price_usdt": 10,
	"hashrate": "1 PH/s", "daily_return_xp": "1"}');
SELECT xphere.create_plan('t3', '{"name": "T3", "machine_name": "M3", "price_usdt": 10,
	"hashrate": "42", "daily_return_xp": "1"}');
SELECT xphere.update_plan('p2', '{"name": "Advanced Plus", "hashrate": "60 TH/s"}');
SELECT xphere.register_user('ann@example.com', 'ann-password', 'Ann') AS ann \gset
SELECT xphere.deposit(:'ann', 'USDT', 100, 'dep-ann') \gset
SELECT xphere.purchase_machine(:'ann', 'p1') AS m \gset

SELECT throws_ok($$ALTER EXTENSION xphere UPDATE TO '0.2.0'$$, '22023',
	'machine plans with a hashrate that is not a whole number of TH/s: t1 (''fast'')',
	'a hashrate that is not a whole number of TH/s stops the update, naming the plan and its value');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'xphere'), '0.1.0',
	'the refused update leaves the database at 0.1.0');

SELECT xphere.update_plan('t1', '{"hashrate": "300 TH/s"}');
SELECT lives_ok($$ALTER EXTENSION xphere UPDATE TO '0.2.0'$$,
	'after update_plan() under 0.1.0 the update succeeds');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'xphere'), '0.2.0', 'the database is at 0.2.0');
SELECT is(ARRAY(SELECT hashrate FROM xphere.machine_plans WHERE id IN ('t1', 't2', 't3') ORDER BY id),
	ARRAY[300, 1000, 42], '''300 TH/s'' becomes 300, ''1 PH/s'' 1000, ''42'' 42');
SELECT is((SELECT concat_ws('|', name, machine_name, price_usdt, hashrate, daily_return_xp, description, image_url)
		   FROM xphere.machine_plans WHERE id = 'p1'),
	'Starter Node|ASIC XP1 Mini|100|10|1.2|Entry-level mining power for beginners.|https://picsum.photos/400/300?random=1',
	'p1, which no administrator changed, takes the ERD''s values');
SELECT is((SELECT concat_ws('|', name, machine_name, price_usdt, hashrate, daily_return_xp, description)
		   FROM xphere.machine_plans WHERE id = 'p2'),
	'Advanced Plus|Xphere A1|500|60|8|Mid-range machine',
	'p2, changed by an administrator, keeps every value of 0.1.0 (hashrate 60 TH/s as an integer)');
SELECT is((SELECT daily_return_xp::text FROM xphere.user_machines WHERE id = :'m'), '1.5',
	'the machine bought under 0.1.0 keeps its 1.5 XP a day');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the update');

SELECT * FROM finish();
ROLLBACK;

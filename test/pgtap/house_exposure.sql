-- test/pgtap/house_exposure.sql: the operators' view house_exposure, the
-- platform's net position per currency.
--
-- At T: alice deposits 1000 USDT and buys a p1 machine (100 USDT to the
-- house, 1.2 XP a day, ERD 3.1); bob deposits 500 XP and asks to withdraw
-- 100 XP (fee withdrawal_fee_xp 0.5: 100.5 locked).  By hand, at T + 12 h:
--   USDT: house 100 available, users 900, system accounts 0, custody 1000
--     (100 + 900 + 0 = 1000), no fees, no mining;
--   XP: house 0, users 500 (399.5 available + 100.5 locked), custody 500,
--     pending withdrawal fees 0.5, mining owed 1.2 x 12 / 24 = 0.6, paid 0.
-- At T + 1 day the distribution pays alice 1.2 XP from the house and bob's
-- withdrawal completes (100 XP leave, the 0.5 fee goes to the house):
--   XP: house -1.2 + 0.5 = -0.7, users 399.5 + 1.2 = 400.7, custody
--     500 - 100 = 400 (-0.7 + 400.7 = 400), fees earned 0.5, pending fees 0,
--     mining paid 1.2, owed 0.
-- An app or backend role cannot read the view (42501), an admin can.
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

SELECT plan(8);

CREATE TEMP TABLE u (name text PRIMARY KEY, id uuid);
INSERT INTO u SELECT n, xphere.register_user(n || '@example.com', n || '-secret-1', initcap(n))
FROM unnest(ARRAY['alice', 'bob']) n;
SELECT xphere.deposit((SELECT id FROM u WHERE name = 'alice'), 'USDT', 1000, '0x' || repeat('a1', 32)) \g /dev/null
SELECT xphere.purchase_machine((SELECT id FROM u WHERE name = 'alice'), 'p1') \g /dev/null
SELECT xphere.deposit((SELECT id FROM u WHERE name = 'bob'), 'XP', 500, '0x' || repeat('b1', 32)) \g /dev/null
CREATE TEMP TABLE w AS SELECT xphere.request_withdrawal((SELECT id FROM u WHERE name = 'bob'), 'XP', 100,
	'0x' || repeat('b2', 20)) AS id;

-- (columns: house available, locked, users, system, custody, pending fees, fees earned, mining paid, owed)
CREATE FUNCTION pg_temp.row(c text) RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws(' ', house_available, house_locked, users_held, system_held, custody,
		pending_withdrawal_fees, fees_earned, mining_paid, mining_owed)
	FROM xphere.house_exposure WHERE currency::text = c
$$;

SET LOCAL xphere.clock = '2027-01-01 12:00:00+00';
SELECT is(pg_temp.row('USDT'), '100 0 900 0 1000 0 0 0 0',
	'T + 12 h, USDT: the house holds the 100 of the machine, users 900, custody 1000');
SELECT is(pg_temp.row('XP'), '0 0 500 0 500 0.5 0 0 0.6',
	'T + 12 h, XP: users 500, custody 500, a pending fee of 0.5, 0.6 XP of mining owed');

SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT is(xphere.distribute_mining_rewards(), 1, 'T + 1 day: one machine paid');
SELECT xphere.complete_withdrawal((SELECT id FROM w), '0x' || repeat('c3', 32)) \g /dev/null
SELECT is(pg_temp.row('XP'), '-0.7 0 400.7 0 400 0 0.5 1.2 0',
	'T + 1 day, XP: the house paid 1.2 and earned 0.5 (-0.7), users 400.7, custody 400');
SELECT is((SELECT count(*) FROM xphere.house_exposure
		WHERE house_available + house_locked + users_held + system_held <> custody), 0::bigint,
	'in every currency house + users + system accounts = custody');

-- who may read it
SET LOCAL ROLE xphere_app;
SELECT throws_ok($$SELECT * FROM xphere.house_exposure$$, '42501', NULL, 'an app role cannot read house_exposure');
RESET ROLE;
SET LOCAL ROLE xphere_backend;
SELECT throws_ok($$SELECT * FROM xphere.house_exposure$$, '42501', NULL,
	'a backend role cannot read house_exposure');
RESET ROLE;
SET LOCAL ROLE xphere_admin;
SELECT is((SELECT count(*) FROM xphere.house_exposure), 2::bigint, 'an admin reads it: one row per currency');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

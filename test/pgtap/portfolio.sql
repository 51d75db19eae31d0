-- test/pgtap/portfolio.sql: portfolio(user_id), a user's holdings per currency.
--
-- At T, XP at 1 USDT: alice deposits 1000 USDT and 1000 XP, buys a p1
-- machine (100 USDT, 1.2 XP a day, ERD 3.1), stakes 200 XP (explorer, 5% a
-- year), supplies 300 XP to lp-xp and borrows 100 XP against 500 USDT.  By
-- hand, at T:
--   USDT: available 1000 - 100 - 500 = 400, locked 500 (the collateral),
--     nothing supplied, owed, staked or pending;
--   XP: available 1000 - 200 - 300 + 100 = 600, locked 0, supplied 300,
--     debt 100, staked 200, pending staking 0 and mining 0.
-- At T + 12 h: the machine earned 1.2 x 12 / 24 = 0.6 XP; supplied, debt
-- and pending staking rewards are the API's own live values
-- (supplied_balance, debt, pending_staking_rewards), and grew.
-- Trust rules: a session pinned to bob gets 42501 for alice (and changes
-- nothing), NULL is 22004, an unknown user P0002.
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

SELECT plan(11);

SELECT xphere.set_price('XP', 1) \g /dev/null
CREATE TEMP TABLE u (name text PRIMARY KEY, id uuid);
INSERT INTO u SELECT n, xphere.register_user(n || '@example.com', n || '-secret-1', initcap(n))
FROM unnest(ARRAY['alice', 'bob']) n;
SELECT xphere.deposit((SELECT id FROM u WHERE name = 'alice'), 'USDT', 1000, '0x' || repeat('a1', 32)) \g /dev/null
SELECT xphere.deposit((SELECT id FROM u WHERE name = 'alice'), 'XP', 1000, '0x' || repeat('a2', 32)) \g /dev/null
SELECT xphere.purchase_machine((SELECT id FROM u WHERE name = 'alice'), 'p1') \g /dev/null
CREATE TEMP TABLE k (name text PRIMARY KEY, id uuid);
INSERT INTO k SELECT 'stake', xphere.stake((SELECT id FROM u WHERE name = 'alice'), 200, 'explorer');
SELECT xphere.supply((SELECT id FROM u WHERE name = 'alice'), 'lp-xp', 300) \g /dev/null
INSERT INTO k SELECT 'loan', xphere.borrow((SELECT id FROM u WHERE name = 'alice'), 'lp-xp', 100, 'USDT', 500);

CREATE FUNCTION pg_temp.row(c text) RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws(' ', available, locked, supplied, debt, staked, pending_staking_rewards,
		pending_mining_rewards)
	FROM xphere.portfolio((SELECT id FROM u WHERE name = 'alice')) WHERE currency::text = c
$$;

SELECT is(pg_temp.row('USDT'), '400 500 0 0 0 0 0', 'T, USDT: 400 available, the 500 of collateral locked');
SELECT is(pg_temp.row('XP'), '600 0 300 100 200 0 0', 'T, XP: 600 available, 300 supplied, 100 owed, 200 staked');

SET LOCAL xphere.clock = '2027-01-01 12:00:00+00';
SELECT is((SELECT pending_mining_rewards FROM xphere.portfolio((SELECT id FROM u WHERE name = 'alice'))
		WHERE currency = 'XP'), '0.6'::xphere.wad, 'T + 12 h: the machine earned 0.6 XP');
SELECT is((SELECT supplied || ' ' || debt || ' ' || pending_staking_rewards
		FROM xphere.portfolio((SELECT id FROM u WHERE name = 'alice')) WHERE currency = 'XP'),
	xphere.supplied_balance((SELECT id FROM u WHERE name = 'alice'), 'lp-xp') || ' '
		|| xphere.debt((SELECT id FROM k WHERE name = 'loan')) || ' '
		|| xphere.pending_staking_rewards((SELECT id FROM k WHERE name = 'stake')),
	'T + 12 h: supplied, debt and staking rewards are the live values of the API');
SELECT ok((SELECT supplied > '300' AND debt > '100' AND pending_staking_rewards > '0'
		FROM xphere.portfolio((SELECT id FROM u WHERE name = 'alice')) WHERE currency = 'XP'),
	'T + 12 h: the supply, the debt and the staking rewards grew');
SELECT is((SELECT count(*) FROM xphere.portfolio((SELECT id FROM u WHERE name = 'bob'))
		WHERE concat_ws(' ', available, locked, supplied, debt, staked, pending_staking_rewards,
			pending_mining_rewards) <> '0 0 0 0 0 0 0'), 0::bigint,
	'bob, who holds nothing, has a row of zeros per currency');

-- bad input: clear errors, nothing changed
CREATE TEMP TABLE acc_before AS SELECT * FROM xphere.accounts;
SELECT throws_ok($$SELECT * FROM xphere.portfolio(NULL)$$, '22004', NULL, 'NULL user: 22004');
SELECT throws_ok($$SELECT * FROM xphere.portfolio('6f1c0000-0000-4000-8000-000000000000')$$, 'P0002', NULL,
	'an unknown user: P0002');
SELECT throws_ok($$SELECT * FROM xphere.portfolio(xphere_internal.house_id())$$, 'P0002', NULL,
	'the house is no user: P0002');
SELECT set_config('xphere.user_id', (SELECT id::text FROM u WHERE name = 'bob'), true) \g /dev/null
SELECT throws_ok(format($$SELECT * FROM xphere.portfolio(%L)$$, (SELECT id FROM u WHERE name = 'alice')),
	'42501', NULL, 'a session pinned to bob cannot read alice''s portfolio: 42501');
SELECT set_config('xphere.user_id', '', true) \g /dev/null
SELECT is_empty($$SELECT * FROM xphere.accounts EXCEPT SELECT * FROM acc_before$$,
	'the refused calls changed no account');

SELECT * FROM finish();
ROLLBACK;

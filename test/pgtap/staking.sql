--
-- test/pgtap/staking.sql: pgTAP tests of staking (API.md "Staking", "Rules",
-- "Errors"; LENDING.md "Rewards"; DESIGN.md "Rewards", "Money model").
--
-- What this file ensures:
--   1. stake(): XP leaves the user's available balance for the account of
--      the tier's system user (one STAKE entry, two history rows), the
--      tier's total_staked follows, the position starts ACTIVE at the
--      tier's index with locked_until = start + lock period and no
--      unlock_date (NULL while ACTIVE); the default
--      tier is explorer; the minimum stake is allowed and one wei less is
--      22023; every bad call (NULLs 22004; amount <= 0, unknown, inactive
--      or over-long tier 22023; unknown or system user P0002; acting for
--      another user 42501; not enough XP XP001; a clock before the tier's
--      last checkpoint 22023) changes nothing;
--   2. rewards are exact to the microsecond: the values after 1 us, 1 s,
--      1 day and 30 days on the three tiers, 1000 XP at 5% for a year is
--      50 XP exactly; the tick's checkpoint moves each tier's index by
--      whole exact steps only and changes no pending amount;
--   3. lock periods: unstake one microsecond before 30 days (pathfinder) or
--      at 89 days (founder) is XP006, at exactly 30 / 90 days it works and
--      returns now + 7 days; nothing accrues while unbonding; withdraw
--      before unlock_date (by one microsecond) and of an ACTIVE position is
--      XP006; at unlock_date it returns principal + unclaimed rewards
--      (principal from the tier's account, rewards from the house, one
--      UNSTAKE and one STAKING_REWARD entry) and the position is WITHDRAWN
--      with nothing pending; a second withdraw, unstake or claim of it is
--      XP006 / XP006 / 0;
--   4. claims: the house pays, the amount is the model's; a claim with
--      nothing pending returns 0 and writes nothing; claiming every day
--      (with a checkpoint before each claim) pays exactly what one claim at
--      the end pays;
--   5. ownership: another user's position is 42501 (by argument or by
--      xphere.user_id), also for pending_staking_rewards; unknown
--      positions and users P0002; NULLs 22004;
--   6. check_invariants() is empty after every group, and the tiers'
--      accounts, positions and total_staked agree; it reports a tier total
--      or a claim one wei off.
--
-- Expected values: every number comes from the model
-- (python3 test/model/staking.py --sql prints the INSERT INTO expected
-- block verbatim), never from the extension's output.
--
-- Time line (T0 = 2027-01-01 00:00:00+00; the tiers start there with index 0):
--   T0          alice stakes A1 1000 explorer, A2 500 pathfinder; bob B1 100
--               explorer; carol C1 2000 founder; errors
--   +1 us, +1 s, +1 day       exact rewards
--   +1 day 0.123457 s         checkpoint; a clock before it is 22023
--   +30 days - 1 us, +30 days A2 locked, then unstaked
--   +31 days, +37 days - 1 us, +37 days   A2 frozen, withdraw refused, done
--   +89 days, +90 days        C1 locked, then unstaked
--   +365 days, +366, +373     A1 50 XP claimed, unstaked, withdrawn; C1 withdrawn
--   +400 days 0.5 s .. +430 days 0.5 s   erin claims daily, frank once
--   +431 days                 ownership errors
--
-- the clock first, so that the seeded tiers start exactly at T0
\set clock '2027-01-01 00:00:00+00'
\ir ../lib/preamble.sql
SET LOCAL TimeZone = 'UTC';
-- the wad operators live in schema xphere
SET LOCAL search_path = public, xphere;

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

-- the shared helpers (test/lib/helpers.sql): expected, x(), xw(), snapshot(), run(),
-- register_users(), id(), fails(), who(), acct()
\ir ../lib/helpers.sql

SELECT plan(187);

-- ===================================================================
-- Helpers
-- ===================================================================

-- the model's values (python3 test/model/staking.py --sql)
INSERT INTO expected (k, v) VALUES
	('s1_alice', '8500'),
	('s1_bob', '2900'),
	('s1_carol', '3000'),
	('s1_explorer_total', '1100'),
	('s1_pathfinder_total', '500'),
	('s1_founder_total', '2000'),
	('s1_a2_unlock', '2027-01-31 00:00:00+00'),
	('s1_c1_unlock', '2027-04-01 00:00:00+00'),
	('r_a1_1us', '0.000000000001585489'),
	('r_b1_1us', '0.000000000000158548'),
	('r_a2_1us', '0.000000000001268391'),
	('r_c1_1us', '0.00000000000761035'),
	('r_a1_1s', '0.000001585489599188'),
	('r_b1_1s', '0.000000158548959918'),
	('r_a2_1s', '0.00000126839167935'),
	('r_c1_1s', '0.000007610350076103'),
	('r_a1_1d', '0.136986301369863013'),
	('r_b1_1d', '0.013698630136986301'),
	('r_a2_1d', '0.10958904109589041'),
	('r_c1_1d', '0.657534246575342465'),
	('r_a1_30d', '4.10958904109589041'),
	('r_b1_30d', '0.410958904109589041'),
	('r_a2_30d', '3.287671232876712328'),
	('r_c1_30d', '19.726027397260273972'),
	('r_index_ex_1s', '0.000000001585489599188229325'),
	('cp_explorer_index', '0.000136986496875'),
	('cp_explorer_at', '2027-01-02 00:00:00.123309+00'),
	('cp_explorer_step', '1971'),
	('cp_pathfinder_index', '0.000219178395'),
	('cp_pathfinder_at', '2027-01-02 00:00:00.123309+00'),
	('cp_pathfinder_step', '1971'),
	('cp_founder_index', '0.0003287675925'),
	('cp_founder_at', '2027-01-02 00:00:00.123309+00'),
	('cp_founder_step', '657'),
	('cp_a1', '0.13698649710965246'),
	('cp_a1_1us_later', '0.13698649711123795'),
	('u_a2_unlock', '2027-02-07 00:00:00+00'),
	('u_a2_frozen', '3.287671232876712328'),
	('w_a2_returned', '503.287671232876712328'),
	('w_a2_alice', '9003.287671232876712328'),
	('u_c1_frozen', '59.178082191780821917'),
	('u_c1_unlock', '2027-04-08 00:00:00+00'),
	('y_a1', '50'),
	('y_alice', '9053.287671232876712328'),
	('y_house_after_claim', '-53.287671232876712328'),
	('y_a1_frozen', '50.136986301369863013'),
	('y_a1_pending', '0.136986301369863013'),
	('y_a1_returned', '1000.136986301369863013'),
	('y_alice_end', '10053.424657534246575341'),
	('y_c1_returned', '2059.178082191780821917'),
	('y_b1', '5.10958904109589041'),
	('y_house', '-112.602739726027397258'),
	('f_claims', '30'),
	('f_first_claim', '0.136988258763001014'),
	('f_last_claim', '0.136929536968860984'),
	('f_total', '4.10958904109589041'),
	('f_entry_index', '0.054794521340690005073566717'),
	('o_b1', '5.90410958904109589');

-- a tier's account as 'available/locked', and the tier's total_staked
CREATE FUNCTION pg_temp.tier(p_pool text) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT format('account %s, total_staked %s',
		pg_temp.acct(xphere_internal.staking_account(p_pool)),
		(SELECT p.total_staked FROM xphere.staking_pools p WHERE p.id = p_pool))
$$;

-- a position as 'user tier amount STATUS start locked unlock accumulated claimed'
CREATE FUNCTION pg_temp.pos(p_id uuid) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT format('%s %s %s %s start %s locked %s unlock %s acc %s claimed %s', pg_temp.who(s.user_id),
		s.staking_pool, s.amount, s.status, s.start_date, s.locked_until, coalesce(s.unlock_date::text, 'NULL'),
		s.accumulated_rewards, s.claimed_rewards)
	FROM xphere.staking_positions s WHERE s.id = p_id
$$;

-- the ledger entries about a position, in order, as 'TYPE amount'
CREATE FUNCTION pg_temp.entries(p_id uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT format('%s %s %s', t.type, t.currency, t.amount)
				 FROM xphere.transactions t WHERE t.metadata ->> 'position_id' = p_id::text
				 ORDER BY t.created_at, t.type::text)
$$;

-- the balance_history rows of the entries about a position of a type, as
-- 'who CUR: before change after | locked before change after'
CREATE FUNCTION pg_temp.hist(p_id uuid, p_type xphere.transaction_type) RETURNS text[]
LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT format('%s %s: %s %s %s | %s %s %s', pg_temp.who(h.user_id), h.currency,
							   h.available_before, h.available_change, h.available_after,
							   h.locked_before, h.locked_change, h.locked_after)
				 FROM xphere.balance_history h JOIN xphere.transactions t ON t.id = h.transaction_id
				 WHERE t.metadata ->> 'position_id' = p_id::text AND t.type = p_type ORDER BY h.id)
$$;

CREATE FUNCTION pg_temp.pending(p_name text) RETURNS xphere.wad LANGUAGE sql STABLE AS $$
	SELECT xphere.pending_staking_rewards(pg_temp.id(p_name))
$$;

-- ===================================================================
-- 0. The seeded tiers
-- ===================================================================

SELECT is(ARRAY(SELECT format('%s min %s apy %s lock %s index %s at %s total %s active %s', p.id,
						p.min_stake, p.apy, p.lock_period, p.reward_index, p.index_updated_at,
						p.total_staked, p.is_active)
				FROM xphere.staking_pools p ORDER BY p.min_stake),
		  ARRAY['explorer min 100 apy 0.05 lock 00:00:00 index 0 at 2027-01-01 00:00:00+00 total 0 active t',
				'pathfinder min 500 apy 0.08 lock 30 days index 0 at 2027-01-01 00:00:00+00 total 0 active t',
				'founder min 2000 apy 0.12 lock 90 days index 0 at 2027-01-01 00:00:00+00 total 0 active t'],
		  'the three tiers are seeded as API.md says, starting at T0 with index 0');
SELECT is(ARRAY(SELECT format('%s %s %s', pg_temp.who(u.id), u.role, u.is_active)
				FROM xphere.staking_pools p JOIN xphere.users u ON u.id = xphere_internal.staking_account(p.id)
				ORDER BY p.min_stake),
		  ARRAY['staking-explorer system f', 'staking-pathfinder system f', 'staking-founder system f'],
		  'each tier has its own inactive system user to hold the staked XP');

-- ===================================================================
-- 1. stake
-- ===================================================================

SELECT pg_temp.register_users(ARRAY['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
SELECT pg_temp.run(NULL, format('SELECT xphere.deposit(pg_temp.id(%L), ''XP'', %s, %L)', n, a, pg_temp.txh('dep-' || n)),
				   n || ' deposits ' || a || ' XP')
  FROM (VALUES ('alice', 10000), ('bob', 3000), ('carol', 5000), ('dave', 50),
			   ('erin', 1000), ('frank', 1000)) AS d(n, a);

SELECT pg_temp.run('A1', $$SELECT xphere.stake(pg_temp.id('alice'), 1000)$$,
				   'alice stakes 1000 XP, in explorer by default');
SELECT is(pg_temp.pos(pg_temp.id('A1')),
		  'alice explorer 1000 ACTIVE start 2027-01-01 00:00:00+00 locked 2027-01-01 00:00:00+00 unlock NULL acc 0 claimed 0',
		  'A1: ACTIVE in explorer from T0, no lock (locked_until = start), no unlock_date while ACTIVE');
SELECT is((SELECT index_at_entry FROM xphere.staking_positions WHERE id = pg_temp.id('A1')),
		  '0'::xphere.ray, 'A1 enters at the tier''s index at T0, 0');
SELECT is(pg_temp.entries(pg_temp.id('A1')), ARRAY['STAKE XP 1000'], 'one STAKE entry of 1000 XP');
SELECT is(pg_temp.hist(pg_temp.id('A1'), 'STAKE'),
		  ARRAY['alice XP: 10000 -1000 9000 | 0 0 0', 'staking-explorer XP: 0 1000 1000 | 0 0 0'],
		  'the stake moves 1000 XP from alice''s available balance to the explorer account');
SELECT is((SELECT format('%s %s', t.user_id = pg_temp.id('alice'), t.status) FROM xphere.transactions t
			WHERE t.metadata ->> 'position_id' = pg_temp.id('A1')::text),
		  't COMPLETED', 'the STAKE entry is alice''s and COMPLETED');
SELECT is(xphere.balance(pg_temp.id('alice'), 'XP'), '9000'::xphere.wad, 'balance() no longer counts the stake');

SELECT pg_temp.run('A2', $$SELECT xphere.stake(pg_temp.id('alice'), 500, 'pathfinder')$$,
				   'alice stakes exactly the pathfinder minimum, 500 XP');
SELECT pg_temp.run('B1', $$SELECT xphere.stake(pg_temp.id('bob'), 100, 'explorer')$$,
				   'bob stakes exactly the explorer minimum, 100 XP');
SELECT pg_temp.run('C1', $$SELECT xphere.stake(pg_temp.id('carol'), '2000.000', 'founder')$$,
				   'carol stakes exactly the founder minimum, 2000 XP');
SELECT is(pg_temp.pos(pg_temp.id('A2')),
		  'alice pathfinder 500 ACTIVE start 2027-01-01 00:00:00+00 locked ' || pg_temp.x('s1_a2_unlock') || ' unlock NULL acc 0 claimed 0',
		  'A2: pathfinder, locked until T0 + 30 days');
SELECT is(pg_temp.pos(pg_temp.id('C1')),
		  'carol founder 2000 ACTIVE start 2027-01-01 00:00:00+00 locked ' || pg_temp.x('s1_c1_unlock') || ' unlock NULL acc 0 claimed 0',
		  'C1: founder, locked until T0 + 90 days');
SELECT is(ARRAY[xphere.balance(pg_temp.id('alice'), 'XP'), xphere.balance(pg_temp.id('bob'), 'XP'),
				xphere.balance(pg_temp.id('carol'), 'XP')],
		  ARRAY[pg_temp.xw('s1_alice'), pg_temp.xw('s1_bob'), pg_temp.xw('s1_carol')],
		  'alice 10000 - 1500 = 8500, bob 3000 - 100 = 2900, carol 5000 - 2000 = 3000 available');
SELECT is(ARRAY[pg_temp.tier('explorer'), pg_temp.tier('pathfinder'), pg_temp.tier('founder')],
		  ARRAY['account ' || pg_temp.x('s1_explorer_total') || '/0, total_staked ' || pg_temp.x('s1_explorer_total'),
				'account ' || pg_temp.x('s1_pathfinder_total') || '/0, total_staked ' || pg_temp.x('s1_pathfinder_total'),
				'account ' || pg_temp.x('s1_founder_total') || '/0, total_staked ' || pg_temp.x('s1_founder_total')],
		  'each tier''s account holds exactly its total_staked: 1100, 500, 2000');
SELECT is(ARRAY[pg_temp.pending('A1'), pg_temp.pending('A2'), pg_temp.pending('B1'), pg_temp.pending('C1')],
		  ARRAY[0, 0, 0, 0]::xphere.wad[], 'nothing is pending at the instant of staking');

-- errors at T0 --------------------------------------------------------
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), '99.999999999999999999')$$,
					 '22023', 'one wei below the explorer minimum is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), '499.999999999999999999', 'pathfinder')$$,
					 '22023', 'one wei below the pathfinder minimum is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('carol'), 1999, 'founder')$$,
					 '22023', 'below the founder minimum is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), 0)$$,
					 '22023', 'a stake of 0 is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), -100)$$,
					 '22023', 'a negative stake is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), 100, 'gold')$$,
					 '22023', 'an unknown tier is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), 100, 'EXPLORER')$$,
					 '22023', 'tier ids are case-sensitive: EXPLORER is unknown');
SELECT pg_temp.fails(format('SELECT xphere.stake(pg_temp.id(''bob''), 100, %L)', repeat('x', 33)),
					 '22023', 'an over-long tier id is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(NULL, 100)$$, '22004', 'a NULL user is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), NULL)$$, '22004', 'a NULL amount is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), 100, NULL)$$,
					 '22004', 'a NULL tier is refused (its default is not NULL)');
SELECT pg_temp.fails($$SELECT xphere.stake('11111111-1111-1111-1111-111111111111', 100)$$,
					 'P0002', 'an unknown user is refused');
SELECT pg_temp.fails($$SELECT xphere.stake(xphere_internal.house_id(), 100)$$,
					 'P0002', 'the system house user does not count as a user');
SELECT pg_temp.fails($$SELECT xphere.stake(xphere_internal.staking_account('explorer'), 100)$$,
					 'P0002', 'a tier''s system user does not count as a user');
SELECT pg_temp.fails($$SELECT xphere.stake('11111111-1111-1111-1111-111111111111', 99)$$,
					 '22023', 'order of checks: an amount below the minimum before an unknown user');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('dave'), 100)$$,
					 'XP001', 'dave with 50 XP cannot stake 100');
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), '2900.000000000000000001')$$,
					 'XP001', 'staking one wei more than the available balance is refused');
SELECT set_config('xphere.user_id', pg_temp.id('bob')::text, true) AS acting \gset
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('alice'), 100)$$,
					 '42501', 'a session acting for bob cannot stake for alice');
SELECT set_config('xphere.user_id', '', true) AS acting \gset
UPDATE xphere.staking_pools SET is_active = false WHERE id = 'founder';
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('carol'), 2000, 'founder')$$,
					 '22023', 'an inactive tier is refused');
UPDATE xphere.staking_pools SET is_active = true WHERE id = 'founder';

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the stakes');

-- ===================================================================
-- 2. exact rewards
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-01 00:00:00.000001+00';
SELECT is(ARRAY[pg_temp.pending('A1'), pg_temp.pending('B1'), pg_temp.pending('A2'), pg_temp.pending('C1')],
		  ARRAY[pg_temp.xw('r_a1_1us'), pg_temp.xw('r_b1_1us'), pg_temp.xw('r_a2_1us'), pg_temp.xw('r_c1_1us')],
		  'after one microsecond: A1, B1, A2, C1 earned the model''s amounts to the wei');

SET LOCAL xphere.clock = '2027-01-01 00:00:01+00';
SELECT is(ARRAY[pg_temp.pending('A1'), pg_temp.pending('B1'), pg_temp.pending('A2'), pg_temp.pending('C1')],
		  ARRAY[pg_temp.xw('r_a1_1s'), pg_temp.xw('r_b1_1s'), pg_temp.xw('r_a2_1s'), pg_temp.xw('r_c1_1s')],
		  'after one second: floor(amount x floor(apy x 1 s / year)) for each');
SELECT is(xphere_internal.staking_index_at(p, xphere.now()), pg_temp.x('r_index_ex_1s')::xphere.ray,
		  'the explorer index after one second is floor(0.05 ray x 10^6 us / 31 536 000 000 000 us)')
  FROM xphere.staking_pools p WHERE p.id = 'explorer';

SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT is(ARRAY[pg_temp.pending('A1'), pg_temp.pending('B1'), pg_temp.pending('A2'), pg_temp.pending('C1')],
		  ARRAY[pg_temp.xw('r_a1_1d'), pg_temp.xw('r_b1_1d'), pg_temp.xw('r_a2_1d'), pg_temp.xw('r_c1_1d')],
		  'after one day: the model''s amounts');
SELECT is(pg_temp.snapshot(), pg_temp.snapshot(), 'reading pending rewards writes nothing (self-check of the snapshot)');

-- the checkpoint at T0 + 1 day + 0.123457 s
SET LOCAL xphere.clock = '2027-01-02 00:00:00.123457+00';
SELECT xphere.pending_staking_rewards(pg_temp.id('A1')) AS a1_before_cp \gset
SELECT is(xphere.checkpoint_staking_pools(), 3, 'the checkpoint moves the three tiers');
SELECT is(ARRAY(SELECT format('%s %s %s', p.id, p.reward_index, p.index_updated_at)
				FROM xphere.staking_pools p ORDER BY p.min_stake),
		  ARRAY['explorer ' || pg_temp.x('cp_explorer_index') || ' ' || pg_temp.x('cp_explorer_at'),
				'pathfinder ' || pg_temp.x('cp_pathfinder_index') || ' ' || pg_temp.x('cp_pathfinder_at'),
				'founder ' || pg_temp.x('cp_founder_index') || ' ' || pg_temp.x('cp_founder_at')],
		  'each index moves by whole exact steps (1971 us at 5% and 8%, 657 us at 12%), to just before now');
SELECT is(pg_temp.pending('A1'), :'a1_before_cp'::xphere.wad, 'the checkpoint changes no pending amount');
SELECT is(pg_temp.pending('A1'), pg_temp.xw('cp_a1'), 'A1 at 1 day 0.123457 s: the model''s amount');
SELECT is(xphere.checkpoint_staking_pools(), 0, 'a second checkpoint at the same time moves nothing');
SET LOCAL xphere.clock = '2027-01-02 00:00:00.123458+00';
SELECT is(pg_temp.pending('A1'), pg_temp.xw('cp_a1_1us_later'),
		  'one microsecond after the checkpoint: the model''s amount (no remainder was lost)');

-- a clock before the checkpoint: time runs backwards
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT pg_temp.fails($$SELECT xphere.stake(pg_temp.id('bob'), 100)$$,
					 '22023', 'a stake at a clock before the tier''s checkpoint is refused');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the reward checks');

-- ===================================================================
-- 3. lock periods, unbonding, withdrawal
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-30 23:59:59.999999+00';
SELECT pg_temp.fails($$SELECT xphere.unstake(pg_temp.id('alice'), pg_temp.id('A2'))$$,
					 'XP006', 'pathfinder: unstake one microsecond before 30 days is refused');
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('alice'), pg_temp.id('A2'))$$,
					 'XP006', 'withdrawing an ACTIVE position is refused');

SET LOCAL xphere.clock = '2027-01-31 00:00:00+00';
SELECT is(ARRAY[pg_temp.pending('A1'), pg_temp.pending('B1'), pg_temp.pending('A2'), pg_temp.pending('C1')],
		  ARRAY[pg_temp.xw('r_a1_30d'), pg_temp.xw('r_b1_30d'), pg_temp.xw('r_a2_30d'), pg_temp.xw('r_c1_30d')],
		  'after 30 days: the model''s amounts (across the checkpoint)');
SELECT is(xphere.unstake(pg_temp.id('alice'), pg_temp.id('A2')), pg_temp.x('u_a2_unlock')::timestamptz,
		  'pathfinder: unstake at exactly 30 days works and returns now + 7 days');
SELECT is(pg_temp.pos(pg_temp.id('A2')),
		  'alice pathfinder 500 UNBONDING start 2027-01-01 00:00:00+00 locked ' || pg_temp.x('s1_a2_unlock') || ' unlock ' || pg_temp.x('u_a2_unlock')
		  || ' acc ' || pg_temp.x('u_a2_frozen') || ' claimed 0',
		  'A2 is UNBONDING until T0 + 37 days with its rewards frozen in accumulated_rewards');
SELECT is(pg_temp.entries(pg_temp.id('A2')), ARRAY['STAKE XP 500'], 'unstake moves no money');
SELECT is(pg_temp.tier('pathfinder'), 'account 500/0, total_staked 500',
		  'the principal stays in the tier''s account while unbonding');
SELECT pg_temp.fails($$SELECT xphere.unstake(pg_temp.id('alice'), pg_temp.id('A2'))$$,
					 'XP006', 'unstaking an UNBONDING position again is refused');
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('alice'), pg_temp.id('A2'))$$,
					 'XP006', 'withdrawing at the instant of unstaking is refused');

SET LOCAL xphere.clock = '2027-02-01 00:00:00+00';
SELECT is(pg_temp.pending('A2'), pg_temp.xw('u_a2_frozen'), 'a day into unbonding, A2 earned nothing more');

SET LOCAL xphere.clock = '2027-02-06 23:59:59.999999+00';
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('alice'), pg_temp.id('A2'))$$,
					 'XP006', 'withdrawing one microsecond before unlock_date is refused');
SELECT is(pg_temp.pending('A2'), pg_temp.xw('u_a2_frozen'), 'at the end of unbonding, still the frozen amount');

SET LOCAL xphere.clock = '2027-02-07 00:00:00+00';
SELECT is(xphere.withdraw_stake(pg_temp.id('alice'), pg_temp.id('A2')), pg_temp.xw('w_a2_returned'),
		  'withdraw at exactly unlock_date returns 500 + the frozen rewards');
SELECT is(xphere.balance(pg_temp.id('alice'), 'XP'), pg_temp.xw('w_a2_alice'),
		  'alice got the principal and the rewards');
SELECT is(pg_temp.entries(pg_temp.id('A2')),
		  ARRAY['STAKE XP 500', 'STAKING_REWARD XP ' || pg_temp.x('u_a2_frozen'), 'UNSTAKE XP 500'],
		  'one UNSTAKE entry for the principal and one STAKING_REWARD entry for the rewards');
SELECT is(pg_temp.hist(pg_temp.id('A2'), 'UNSTAKE'),
		  ARRAY['staking-pathfinder XP: 500 -500 0 | 0 0 0',
				'alice XP: 8500 500 9000 | 0 0 0'],
		  'the principal comes back from the pathfinder account');
SELECT is(pg_temp.hist(pg_temp.id('A2'), 'STAKING_REWARD'),
		  ARRAY['house XP: 0 -' || pg_temp.x('u_a2_frozen') || ' -' || pg_temp.x('u_a2_frozen') || ' | 0 0 0',
				'alice XP: 9000 ' || pg_temp.x('u_a2_frozen') || ' ' || pg_temp.x('w_a2_alice') || ' | 0 0 0'],
		  'the rewards come from the house, which goes below zero');
SELECT is(pg_temp.pos(pg_temp.id('A2')),
		  'alice pathfinder 500 WITHDRAWN start 2027-01-01 00:00:00+00 locked ' || pg_temp.x('s1_a2_unlock') || ' unlock ' || pg_temp.x('u_a2_unlock')
		  || ' acc ' || pg_temp.x('u_a2_frozen') || ' claimed ' || pg_temp.x('u_a2_frozen'),
		  'A2 is WITHDRAWN, everything it earned claimed');
SELECT is(pg_temp.tier('pathfinder'), 'account 0/0, total_staked 0', 'the pathfinder tier is empty again');
SELECT is(pg_temp.pending('A2'), '0'::xphere.wad, 'nothing is pending after withdrawal');
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('alice'), pg_temp.id('A2'))$$,
					 'XP006', 'a second withdrawal is refused');
SELECT pg_temp.fails($$SELECT xphere.unstake(pg_temp.id('alice'), pg_temp.id('A2'))$$,
					 'XP006', 'unstaking a WITHDRAWN position is refused');
SELECT pg_temp.snapshot() AS snap \gset
SELECT is(xphere.claim_staking_rewards(pg_temp.id('alice'), pg_temp.id('A2')), '0'::xphere.wad,
		  'claiming a WITHDRAWN position returns 0');
SELECT is(pg_temp.snapshot(), :'snap', 'and changes nothing');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the pathfinder cycle');

-- founder: 90 days
SET LOCAL xphere.clock = '2027-03-31 00:00:00+00';
SELECT pg_temp.fails($$SELECT xphere.unstake(pg_temp.id('carol'), pg_temp.id('C1'))$$,
					 'XP006', 'founder: unstake at 89 days is refused');
SET LOCAL xphere.clock = '2027-04-01 00:00:00+00';
SELECT is(xphere.unstake(pg_temp.id('carol'), pg_temp.id('C1')), pg_temp.x('u_c1_unlock')::timestamptz,
		  'founder: unstake at exactly 90 days works, withdrawable 7 days later');
SELECT is(pg_temp.pending('C1'), pg_temp.xw('u_c1_frozen'), 'C1 earned 2000 XP x 12% for 90 days');
-- a clock before C1's last change
SET LOCAL xphere.clock = '2027-03-31 12:00:00+00';
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('carol'), pg_temp.id('C1'))$$,
					 '22023', 'a withdrawal at a clock before the unstake is refused (time runs backwards)');

-- explorer: a year of A1, claimed, then unstaked and withdrawn
SET LOCAL xphere.clock = '2028-01-01 00:00:00+00';
SELECT is(pg_temp.pending('A1'), '50'::xphere.wad, '1000 XP at 5% for 365 days earned exactly 50 XP');
SELECT is(xphere.claim_staking_rewards(pg_temp.id('alice'), pg_temp.id('A1')), pg_temp.xw('y_a1'),
		  'alice claims the 50 XP');
SELECT is(xphere.balance(pg_temp.id('alice'), 'XP'), pg_temp.xw('y_alice'), 'alice''s balance grew by 50');
SELECT is(pg_temp.hist(pg_temp.id('A1'), 'STAKING_REWARD'),
		  ARRAY['house XP: -' || pg_temp.x('u_a2_frozen') || ' -50 ' || pg_temp.x('y_house_after_claim') || ' | 0 0 0',
				'alice XP: ' || pg_temp.x('w_a2_alice') || ' 50 ' || pg_temp.x('y_alice') || ' | 0 0 0'],
		  'the claim is paid by the house');
SELECT is(pg_temp.pending('A1'), '0'::xphere.wad, 'nothing is pending right after the claim');
SELECT pg_temp.snapshot() AS snap \gset
SELECT is(xphere.claim_staking_rewards(pg_temp.id('alice'), pg_temp.id('A1')), '0'::xphere.wad,
		  'a second claim at the same instant returns 0');
SELECT is(pg_temp.snapshot(), :'snap', 'and writes nothing');
SELECT is(pg_temp.pos(pg_temp.id('A1')),
		  'alice explorer 1000 ACTIVE start 2027-01-01 00:00:00+00 locked 2027-01-01 00:00:00+00 unlock NULL acc 50 claimed 50',
		  'A1 stays ACTIVE with 50 claimed');

SET LOCAL xphere.clock = '2028-01-02 00:00:00+00';
SELECT is(xphere.unstake(pg_temp.id('alice'), pg_temp.id('A1')), '2028-01-09 00:00:00+00'::timestamptz,
		  'explorer has no lock: A1 unstakes at any time');
SELECT is(pg_temp.pending('A1'), pg_temp.xw('y_a1_pending'), 'A1 has one more day of rewards pending');

SET LOCAL xphere.clock = '2028-01-09 00:00:00+00';
SELECT is(xphere.withdraw_stake(pg_temp.id('alice'), pg_temp.id('A1')), pg_temp.xw('y_a1_returned'),
		  'A1 returns 1000 + the unclaimed day (the claimed 50 not again)');
SELECT is(xphere.balance(pg_temp.id('alice'), 'XP'), pg_temp.xw('y_alice_end'), 'alice''s final XP balance');
SELECT is(xphere.withdraw_stake(pg_temp.id('carol'), pg_temp.id('C1')), pg_temp.xw('y_c1_returned'),
		  'carol withdraws C1 long after its unlock: 2000 + the 90 days of rewards');
SELECT is(pg_temp.pending('B1'), pg_temp.xw('y_b1'), 'B1, never touched, has 373 days of rewards pending');
SELECT is(pg_temp.acct(xphere_internal.house_id()), pg_temp.x('y_house') || '/0',
		  'the house paid exactly the rewards of A2, A1 and C1');
SELECT is(ARRAY[pg_temp.tier('explorer'), pg_temp.tier('pathfinder'), pg_temp.tier('founder')],
		  ARRAY['account 100/0, total_staked 100', 'account 0/0, total_staked 0', 'account 0/0, total_staked 0'],
		  'only B1 is still staked');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the withdrawals');

-- ===================================================================
-- 4. claiming often or once pays the same
-- ===================================================================

-- erin and frank stake 1000 XP each in explorer at T0 + 400 days + 0.5 s
SET LOCAL xphere.clock = '2028-02-05 00:00:00.5+00';
SELECT pg_temp.run('E1', $$SELECT xphere.stake(pg_temp.id('erin'), 1000)$$, 'erin stakes 1000 XP');
SELECT pg_temp.run('F1', $$SELECT xphere.stake(pg_temp.id('frank'), 1000)$$, 'frank stakes 1000 XP');
SELECT is((SELECT index_at_entry FROM xphere.staking_positions WHERE id = pg_temp.id('E1')),
		  pg_temp.x('f_entry_index')::xphere.ray, 'erin enters at the model''s index');

-- erin: a checkpoint and a claim every 1 day 1.234567 s, then one at 30 days
CREATE TEMP TABLE erin_claims (n integer, at timestamptz, amount xphere.wad);
CREATE FUNCTION pg_temp.claim_often() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := '2028-02-05 00:00:00.5+00';
	t timestamptz;
	k integer := 1;
BEGIN
	LOOP
		t := t0 + k * interval '1 day 1.234567 seconds';
		EXIT WHEN t >= t0 + interval '30 days';
		PERFORM set_config('xphere.clock', t::text, true);
		PERFORM xphere.checkpoint_staking_pools();
		INSERT INTO erin_claims VALUES (k, t,
			xphere.claim_staking_rewards(pg_temp.id('erin'), pg_temp.id('E1')));
		k := k + 1;
	END LOOP;
	t := t0 + interval '30 days';
	PERFORM set_config('xphere.clock', t::text, true);
	INSERT INTO erin_claims VALUES (k, t, xphere.claim_staking_rewards(pg_temp.id('erin'), pg_temp.id('E1')));
END $$;
SELECT pg_temp.run(NULL, 'SELECT pg_temp.claim_often()', 'erin claims every day for 30 days');
SELECT is(xphere.now(), '2028-03-06 00:00:00.5+00'::timestamptz, 'the clock is at T0 + 430 days 0.5 s');
SELECT is((SELECT count(*)::text FROM erin_claims WHERE amount > 0), pg_temp.x('f_claims'),
		  'erin made 30 paying claims');
SELECT is(ARRAY[(SELECT amount FROM erin_claims ORDER BY n LIMIT 1),
				(SELECT amount FROM erin_claims ORDER BY n DESC LIMIT 1)],
		  ARRAY[pg_temp.xw('f_first_claim'), pg_temp.xw('f_last_claim')],
		  'her first and last claims are the model''s amounts');
SELECT is(xphere.claim_staking_rewards(pg_temp.id('frank'), pg_temp.id('F1')), pg_temp.xw('f_total'),
		  'frank claims once, at 30 days: the model''s total');
SELECT is((SELECT sum(amount) FROM erin_claims), pg_temp.xw('f_total'),
		  'erin''s 30 claims add up to exactly frank''s single claim');
SELECT is(ARRAY[xphere.balance(pg_temp.id('erin'), 'XP'), xphere.balance(pg_temp.id('frank'), 'XP')],
		  ARRAY[pg_temp.xw('f_total'), pg_temp.xw('f_total')],
		  'both hold exactly the rewards (1000 deposited, 1000 staked)');
SELECT is((SELECT sum(t.amount) FROM xphere.transactions t
			WHERE t.type = 'STAKING_REWARD' AND t.user_id = pg_temp.id('erin')),
		  pg_temp.xw('f_total'), 'erin''s STAKING_REWARD entries sum to the same total');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the claims');

-- ===================================================================
-- 5. ownership and arguments
-- ===================================================================

SET LOCAL xphere.clock = '2028-03-07 00:00:00+00';
SELECT pg_temp.fails($$SELECT xphere.claim_staking_rewards(pg_temp.id('bob'), pg_temp.id('E1'))$$,
					 '42501', 'bob cannot claim erin''s position');
SELECT pg_temp.fails($$SELECT xphere.unstake(pg_temp.id('bob'), pg_temp.id('E1'))$$,
					 '42501', 'bob cannot unstake erin''s position');
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('bob'), pg_temp.id('A1'))$$,
					 '42501', 'bob cannot withdraw alice''s position, even a withdrawn one');
SELECT set_config('xphere.user_id', pg_temp.id('bob')::text, true) AS acting \gset
SELECT pg_temp.fails($$SELECT xphere.claim_staking_rewards(pg_temp.id('erin'), pg_temp.id('E1'))$$,
					 '42501', 'a session acting for bob cannot claim for erin');
SELECT pg_temp.fails($$SELECT xphere.unstake(pg_temp.id('erin'), pg_temp.id('E1'))$$,
					 '42501', 'a session acting for bob cannot unstake for erin');
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('erin'), pg_temp.id('E1'))$$,
					 '42501', 'a session acting for bob cannot withdraw for erin');
SELECT throws_ok($$SELECT xphere.pending_staking_rewards(pg_temp.id('E1'))$$, '42501', NULL,
				 'a session acting for bob cannot read erin''s pending rewards (42501)');
SELECT is(xphere.pending_staking_rewards(pg_temp.id('B1')), pg_temp.xw('o_b1'),
		  'bob reads his own pending rewards while acting for himself');
SELECT pg_temp.fails($$SELECT xphere.claim_staking_rewards('11111111-1111-1111-1111-111111111111', pg_temp.id('E1'))$$,
					 'P0002', 'an unknown user is P0002 before the permission check');
SELECT set_config('xphere.user_id', '', true) AS acting \gset
SELECT pg_temp.fails($$SELECT xphere.claim_staking_rewards(pg_temp.id('erin'), '11111111-1111-1111-1111-111111111111')$$,
					 'P0002', 'claiming an unknown position is refused');
SELECT pg_temp.fails($$SELECT xphere.unstake(pg_temp.id('erin'), '11111111-1111-1111-1111-111111111111')$$,
					 'P0002', 'unstaking an unknown position is refused');
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('erin'), '11111111-1111-1111-1111-111111111111')$$,
					 'P0002', 'withdrawing an unknown position is refused');
SELECT throws_ok($$SELECT xphere.pending_staking_rewards('11111111-1111-1111-1111-111111111111')$$, 'P0002', NULL,
				 'pending rewards of an unknown position: P0002');
SELECT pg_temp.fails($$SELECT xphere.claim_staking_rewards(NULL, pg_temp.id('E1'))$$,
					 '22004', 'claim with a NULL user is refused');
SELECT pg_temp.fails($$SELECT xphere.claim_staking_rewards(pg_temp.id('erin'), NULL)$$,
					 '22004', 'claim with a NULL position is refused');
SELECT pg_temp.fails($$SELECT xphere.unstake(NULL, pg_temp.id('E1'))$$,
					 '22004', 'unstake with a NULL user is refused');
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('erin'), NULL)$$,
					 '22004', 'withdraw_stake with a NULL position is refused');
SELECT throws_ok($$SELECT xphere.pending_staking_rewards(NULL)$$, '22004', NULL,
				 'pending rewards of a NULL position: 22004');
SELECT pg_temp.fails($$SELECT xphere.withdraw_stake(pg_temp.id('erin'), pg_temp.id('E1'))$$,
					 'XP006', 'erin cannot withdraw without unstaking first');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold at the end');

-- the staking invariants see a broken state (repaired right after)
UPDATE xphere.staking_pools SET total_staked = total_staked + '0.000000000000000001' WHERE id = 'explorer';
SELECT is(ARRAY(SELECT DISTINCT invariant FROM xphere.check_invariants() ORDER BY 1),
		  ARRAY['staking tier total equals its positions and account'],
		  'check_invariants() reports a tier total one wei off its positions and account');
UPDATE xphere.staking_pools SET total_staked = total_staked - '0.000000000000000001' WHERE id = 'explorer';
UPDATE xphere.staking_positions SET claimed_rewards = claimed_rewards + '0.000000000000000001'
WHERE id = pg_temp.id('A2');
SELECT is(ARRAY(SELECT DISTINCT invariant FROM xphere.check_invariants() ORDER BY 1),
		  ARRAY['staking reward entries equal claims', 'staking rewards claimed within earned'],
		  'check_invariants() reports a withdrawn position claimed one wei beyond what it earned and was paid');
UPDATE xphere.staking_positions SET claimed_rewards = claimed_rewards - '0.000000000000000001'
WHERE id = pg_temp.id('A2');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'and nothing once repaired');

SELECT * FROM finish();
ROLLBACK;

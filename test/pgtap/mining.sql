--
-- test/pgtap/mining.sql: pgTAP tests of mining (API.md "Mining", DESIGN.md
-- "Rewards", LENDING.md "Rewards").
--
-- What this file ensures:
--   * purchase_machine: debits exactly the plan's price in USDT to the
--     house with one PURCHASE entry and history rows; the machine starts
--     ONLINE with the plan's daily return; unknown or inactive plans are
--     22023, a balance short by one wei XP001, an unknown user P0002; a
--     failed purchase changes nothing;
--   * pending_mining_rewards: floor(daily_return_xp x online_us /
--     86 400 000 000) on raw wad units, worked out by hand below: one
--     second, 7.25 seconds, one hour, one day; MAINTENANCE and OFFLINE
--     pause earning to the microsecond; a same-status change is a no-op; a
--     change at a clock before the last change (or the last distribution)
--     is 22023; acting for another user (xphere.user_id) is 42501;
--   * distribute_mining_rewards: returns the machines paid; one
--     mining_rewards row per machine and one MINING_REWARD entry per user
--     with the sum; XP credited, the house debited (below zero); a second
--     run at the same clock pays nothing and changes nothing; later runs pay
--     only what is new; paying every hour for 24 hours gives exactly what
--     one payment after 24 hours gives (cumulative floor, not per period);
--   * check_invariants() stays empty; all XP together sums to zero (the
--     house pays every reward).
--
-- Time line (clock T0 = 2027-01-01 00:00:00+00):
--   T0       miner buys p1 (m1), pauser p1 (m2), offliner p1 (m3)
--   +10h     m2 MAINTENANCE, m3 OFFLINE;  +11h m3 MAINTENANCE
--   +12h     miner buys p2 (m1b);  +15h m2 and m3 ONLINE
--   +24h     latecomer buys p1; distribution 1
--   +27h     m3 OFFLINE;  +30h distribution 2
--   +48h     hourly buys p3, paid every hour until +72h, then OFFLINE
--   +72h     once buys p3, paid once at +96h
--
\ir ../lib/preamble.sql
-- the wad operators live in schema xphere
SET LOCAL search_path = public, xphere;

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

-- the shared helpers (test/lib/helpers.sql): snapshot(), run(), register_users(),
-- id(), fails(), who(), acct(), tx(), hist()
\ir ../lib/helpers.sql

SELECT plan(128);

-- ===================================================================
-- Helpers
-- ===================================================================

-- the single entry of a type of a user
CREATE FUNCTION pg_temp.entry(p_user uuid, p_type xphere.transaction_type) RETURNS uuid
LANGUAGE sql STABLE AS $$
	SELECT t.id FROM xphere.transactions t WHERE t.user_id = p_user AND t.type = p_type
$$;

-- a machine as 'who plan STATUS daily_return'
CREATE FUNCTION pg_temp.machine(p_id uuid) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT format('%s %s %s %s', pg_temp.who(m.user_id), m.plan_id, m.status, m.daily_return_xp)
	FROM xphere.user_machines m WHERE m.id = p_id
$$;

-- reward rows calculated at a time, sorted, as 'who plan amount'
CREATE FUNCTION pg_temp.rewards_at(p_at timestamptz) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT x FROM (SELECT format('%s %s %s', pg_temp.who(r.user_id), m.plan_id, r.amount) AS x
				 FROM xphere.mining_rewards r JOIN xphere.user_machines m ON m.id = r.machine_id
				 WHERE r.calculated_at = p_at) s ORDER BY x)
$$;

-- ===================================================================
-- Users and money
-- ===================================================================

SELECT pg_temp.register_users(ARRAY['miner', 'pauser', 'offliner', 'poor', 'latecomer', 'hourly', 'once']);

SELECT pg_temp.run(NULL, format('SELECT xphere.deposit(pg_temp.id(%L), ''USDT'', %L, %L)', u, amt, pg_temp.txh('usdt-' || u)),
				   format('%s deposits %s USDT', u, amt))
  FROM (VALUES ('miner', '1600'), ('pauser', '100'), ('offliner', '100'),
			   ('poor', '99.999999999999999999'), ('latecomer', '100'),
			   ('hourly', '2000'), ('once', '2000')) AS d(u, amt);

-- ===================================================================
-- purchase_machine (T0)
-- ===================================================================

SELECT pg_temp.run('m1', $$SELECT xphere.purchase_machine(pg_temp.id('miner'), 'p1')$$,
				   'miner buys a p1 machine');
SELECT is(pg_temp.acct(pg_temp.id('miner'), 'USDT'), '1500/0',
		  'the purchase debits exactly the plan price: 1600 - 100 = 1500 USDT');
SELECT is(pg_temp.acct(xphere_internal.house_id(), 'USDT'), '100/0', 'the house is credited the 100 USDT');
SELECT is(pg_temp.tx(pg_temp.entry(pg_temp.id('miner'), 'PURCHASE')),
		  'miner PURCHASE USDT 100 fee 0 COMPLETED',
		  'the purchase writes one COMPLETED PURCHASE entry of 100 USDT');
SELECT is(pg_temp.hist(pg_temp.entry(pg_temp.id('miner'), 'PURCHASE')),
		  ARRAY['miner USDT: 1600 -100 1500 | 0 0 0', 'house USDT: 0 100 100 | 0 0 0'],
		  'the purchase writes the history rows of the buyer and the house');
SELECT is(pg_temp.machine(pg_temp.id('m1')), 'miner p1 ONLINE 1.2',
		  'the machine belongs to the buyer, is ONLINE and keeps the plan''s 1.2 XP a day (ERD: p1 Starter Node)');
SELECT is((SELECT purchase_date FROM xphere.user_machines WHERE id = pg_temp.id('m1')),
		  '2027-01-01 00:00:00+00'::timestamptz, 'the purchase date is the clock');
SELECT is(xphere.pending_mining_rewards(pg_temp.id('miner')), '0'::xphere.wad,
		  'a machine bought just now has earned nothing');

-- exactly the price (100 USDT for 100) is enough
SELECT pg_temp.run('m2', $$SELECT xphere.purchase_machine(pg_temp.id('pauser'), 'p1')$$,
				   'pauser buys a p1 machine with exactly 100 USDT');
SELECT pg_temp.run('m3', $$SELECT xphere.purchase_machine(pg_temp.id('offliner'), 'p1')$$,
				   'offliner buys a p1 machine with exactly 100 USDT');
SELECT is(pg_temp.acct(pg_temp.id('pauser'), 'USDT'), '0/0', 'paying the whole balance leaves 0');
SELECT is(pg_temp.acct(xphere_internal.house_id(), 'USDT'), '300/0', 'the house holds the three prices: 300 USDT');

SELECT pg_temp.fails($$SELECT xphere.purchase_machine(pg_temp.id('poor'), 'p1')$$,
					 'XP001', 'a purchase one wei short of the price is refused');
SELECT pg_temp.fails($$SELECT xphere.purchase_machine(pg_temp.id('miner'), 'p9')$$,
					 '22023', 'a purchase of an unknown plan is refused');
UPDATE xphere.machine_plans SET is_active = false WHERE id = 'p2';
SELECT pg_temp.fails($$SELECT xphere.purchase_machine(pg_temp.id('miner'), 'p2')$$,
					 '22023', 'a purchase of an inactive plan is refused (the buyer could pay it)');
UPDATE xphere.machine_plans SET is_active = true WHERE id = 'p2';
SELECT pg_temp.fails($$SELECT xphere.purchase_machine('11111111-1111-1111-1111-111111111111', 'p1')$$,
					 'P0002', 'a purchase by an unknown user is refused');
SELECT pg_temp.fails($$SELECT xphere.purchase_machine(NULL, 'p1')$$,
					 '22004', 'a purchase with a NULL user is refused');
SELECT pg_temp.fails($$SELECT xphere.purchase_machine(pg_temp.id('miner'), NULL)$$,
					 '22004', 'a purchase with a NULL plan is refused');
SELECT pg_temp.fails($$SELECT xphere.purchase_machine('11111111-1111-1111-1111-111111111111', 'p9')$$,
					 '22023', 'an unknown plan is reported before an unknown user');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the purchases');

-- ===================================================================
-- pending_mining_rewards: exact amounts
-- ===================================================================

-- p1 (ERD 3.1): 1.2 XP = 1 200 000 000 000 000 000 raw a day.
-- 1 s: floor(1.2e18 x 1e6 / 86 400e6) = floor(13 888 888 888 888.88) = 13 888 888 888 888 raw
SET LOCAL xphere.clock = '2027-01-01 00:00:01+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('miner')), '0.000013888888888888'::xphere.wad,
		  'after 1 second p1 has earned floor(1.2e18 / 86400) = 13888888888888 raw units');
-- 7.25 s: floor(1.2e18 x 7 250 000 / 86 400e6) = floor(100 694 444 444 444.44) raw
SET LOCAL xphere.clock = '2027-01-01 00:00:07.25+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('miner')), '0.000100694444444444'::xphere.wad,
		  'after 7.25 seconds p1 has earned floor(1.2e18 x 7.25 / 86400) (microseconds count)');
-- 1 h: 1.2 / 24 = 0.05 exactly
SET LOCAL xphere.clock = '2027-01-01 01:00:00+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('miner')), '0.05'::xphere.wad,
		  'after 1 hour p1 has earned 1.2 / 24 = 0.05 XP');
SELECT is(xphere.pending_mining_rewards(pg_temp.id('poor')), '0'::xphere.wad,
		  'a user without machines has nothing pending');
SELECT pg_temp.fails($$SELECT xphere.pending_mining_rewards('11111111-1111-1111-1111-111111111111')$$,
					 'P0002', 'pending rewards of an unknown user are refused');
SELECT pg_temp.fails($$SELECT xphere.pending_mining_rewards(NULL)$$,
					 '22004', 'pending rewards of a NULL user are refused');

-- a session acting for pauser (xphere.user_id) may not act for miner
SELECT set_config('xphere.user_id', pg_temp.id('pauser')::text, true) AS acting \gset
SELECT is(xphere.pending_mining_rewards(pg_temp.id('pauser')), '0.05'::xphere.wad,
		  'a session acting for pauser reads pauser''s pending rewards (1 hour: 0.05)');
SELECT pg_temp.fails($$SELECT xphere.pending_mining_rewards(pg_temp.id('miner'))$$,
					 '42501', 'a session acting for pauser cannot read miner''s pending rewards');
SELECT pg_temp.fails($$SELECT xphere.purchase_machine(pg_temp.id('miner'), 'p1')$$,
					 '42501', 'a session acting for pauser cannot buy a machine for miner');
SELECT set_config('xphere.user_id', '', true) AS acting \gset

-- ===================================================================
-- set_machine_status: only ONLINE time earns
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-01 10:00:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('m2'), 'MAINTENANCE')$$,
				   'm2 goes to MAINTENANCE at +10h');
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('m3'), 'OFFLINE')$$,
				   'm3 goes OFFLINE at +10h');
SELECT is(ARRAY[pg_temp.machine(pg_temp.id('m2')), pg_temp.machine(pg_temp.id('m3'))],
		  ARRAY['pauser p1 MAINTENANCE 1.2', 'offliner p1 OFFLINE 1.2'], 'the statuses are stored');
-- 10 h x 1.2 / 24 = 0.5
SELECT is(xphere.pending_mining_rewards(pg_temp.id('pauser')), '0.5'::xphere.wad,
		  'at +10h the machine has earned 10 x 1.2 / 24 = 0.5 XP');

SET LOCAL xphere.clock = '2027-01-01 11:00:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('m3'), 'MAINTENANCE')$$,
				   'm3 goes from OFFLINE to MAINTENANCE at +11h');

SET LOCAL xphere.clock = '2027-01-01 12:00:00+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('pauser')), '0.5'::xphere.wad,
		  'nothing is earned in MAINTENANCE: still 0.5 at +12h');
SELECT is(xphere.pending_mining_rewards(pg_temp.id('offliner')), '0.5'::xphere.wad,
		  'nothing is earned OFFLINE or in MAINTENANCE: still 0.5 at +12h');
-- same status: no-op
SELECT pg_temp.snapshot() AS snap_same \gset
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('m2'), 'MAINTENANCE')$$,
				   'setting the status a machine already has is accepted');
SELECT is(pg_temp.snapshot(), :'snap_same', 'a same-status change changes nothing');

SELECT pg_temp.run('m1b', $$SELECT xphere.purchase_machine(pg_temp.id('miner'), 'p2')$$,
				   'miner buys a p2 machine at +12h');
SELECT is(pg_temp.acct(pg_temp.id('miner'), 'USDT'), '1000/0', 'miner pays 500: 1500 - 500 = 1000 USDT');
SELECT is(pg_temp.machine(pg_temp.id('m1b')), 'miner p2 ONLINE 7.5', 'the p2 machine earns 7.5 XP a day (ERD: p2 Standard Node)');

SET LOCAL xphere.clock = '2027-01-01 15:00:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('m2'), 'ONLINE')$$,
				   'm2 is back ONLINE at +15h');
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('m3'), 'ONLINE')$$,
				   'm3 is back ONLINE at +15h');

SET LOCAL xphere.clock = '2027-01-01 18:00:00+00';
-- 10 h online + 5 h paused + 3 h online = 13 h: 13 x 1.2 / 24 = 15.6 / 24 = 0.65
SELECT is(xphere.pending_mining_rewards(pg_temp.id('pauser')), '0.65'::xphere.wad,
		  '10h online, 5h MAINTENANCE, 3h online: 13 x 1.2 / 24 = 0.65 XP');
SELECT is(xphere.pending_mining_rewards(pg_temp.id('offliner')), '0.65'::xphere.wad,
		  '10h online, 1h OFFLINE, 4h MAINTENANCE, 3h online: 0.65 XP');
-- miner: m1 18 h x 1.2 / 24 = 0.9; m1b 6 h x 7.5 / 24 = 1.875; together 2.775
SELECT is(xphere.pending_mining_rewards(pg_temp.id('miner')), '2.775'::xphere.wad,
		  'pending sums the user''s machines: 18h of p1 (0.9) + 6h of p2 (1.875) = 2.775');

SELECT pg_temp.snapshot() AS snap_same \gset
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('m1'), 'ONLINE')$$,
				   'setting ONLINE on an ONLINE machine is accepted');
SELECT is(pg_temp.snapshot(), :'snap_same', 'ONLINE to ONLINE changes nothing');
SELECT is(xphere.pending_mining_rewards(pg_temp.id('miner')), '2.775'::xphere.wad,
		  'ONLINE to ONLINE does not reset or change the earnings');

-- time running backwards: m2 changed at +15h, the clock says +14h
SET LOCAL xphere.clock = '2027-01-01 14:00:00+00';
SELECT pg_temp.fails($$SELECT xphere.set_machine_status(pg_temp.id('m2'), 'OFFLINE')$$,
					 '22023', 'a status change at a clock before the last change is refused');
SET LOCAL xphere.clock = '2027-01-01 18:00:00+00';

SELECT pg_temp.fails($$SELECT xphere.set_machine_status('33333333-3333-3333-3333-333333333333', 'OFFLINE')$$,
					 'P0002', 'a status change of an unknown machine is refused');
SELECT pg_temp.fails($$SELECT xphere.set_machine_status(NULL, 'OFFLINE')$$,
					 '22004', 'a status change of a NULL machine is refused');
SELECT pg_temp.fails($$SELECT xphere.set_machine_status(pg_temp.id('m1'), NULL)$$,
					 '22004', 'a NULL status is refused');
SELECT pg_temp.fails($$SELECT xphere.set_machine_status(pg_temp.id('m1'), 'BROKEN')$$,
					 '22P02', 'an unknown status is refused by the enum');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after status changes');

-- ===================================================================
-- distribute_mining_rewards
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
-- a machine bought at the distribution's clock has earned nothing
SELECT pg_temp.run('m4', $$SELECT xphere.purchase_machine(pg_temp.id('latecomer'), 'p1')$$,
				   'latecomer buys a p1 machine at +24h');
-- m1: 24 h of p1 = 1.2;  m1b: 12 h of p2 = 3.75;  miner 4.95
-- m2, m3: 10 + 9 = 19 h of p1 = 19 x 1.2 / 24 = 0.95 each
-- total 1.2 + 3.75 + 0.95 + 0.95 = 6.85
SELECT is(ARRAY[xphere.pending_mining_rewards(pg_temp.id('miner')),
				xphere.pending_mining_rewards(pg_temp.id('pauser')),
				xphere.pending_mining_rewards(pg_temp.id('offliner')),
				xphere.pending_mining_rewards(pg_temp.id('latecomer'))],
		  ARRAY['4.95', '0.95', '0.95', '0']::xphere.wad[],
		  'pending at +24h: miner 1.2 + 3.75, pauser and offliner 19h = 0.95, latecomer 0');

SELECT is(xphere.distribute_mining_rewards(), 4,
		  'the distribution pays 4 machines (not the one that earned nothing)');
SELECT is(pg_temp.rewards_at('2027-01-02 00:00:00+00'),
		  ARRAY['miner p1 1.2', 'miner p2 3.75', 'offliner p1 0.95', 'pauser p1 0.95'],
		  'one mining_rewards row per machine with its exact amount');
SELECT is((SELECT count(*) FROM xphere.mining_rewards r JOIN xphere.transactions t ON t.id = r.distribution_tx
			WHERE r.distributed AND t.user_id = r.user_id AND t.type = 'MINING_REWARD'), 4::bigint,
		  'every reward row is distributed and points at its user''s MINING_REWARD entry');
SELECT is(ARRAY(SELECT pg_temp.tx(t.id) FROM xphere.transactions t
				WHERE t.type = 'MINING_REWARD' AND t.user_id <> xphere_internal.house_id()
				ORDER BY pg_temp.who(t.user_id)),
		  ARRAY['miner MINING_REWARD XP 4.95 fee 0 COMPLETED',
				'offliner MINING_REWARD XP 0.95 fee 0 COMPLETED',
				'pauser MINING_REWARD XP 0.95 fee 0 COMPLETED'],
		  'one MINING_REWARD entry per user with the sum of the user''s machines');
SELECT is(ARRAY[pg_temp.acct(pg_temp.id('miner'), 'XP'), pg_temp.acct(pg_temp.id('pauser'), 'XP'),
				pg_temp.acct(pg_temp.id('offliner'), 'XP'), pg_temp.acct(pg_temp.id('latecomer'), 'XP')],
		  ARRAY['4.95/0', '0.95/0', '0.95/0', '0/0'],
		  'the XP is credited to available: 4.95, 0.95, 0.95, 0');
SELECT is(pg_temp.hist(pg_temp.entry(pg_temp.id('miner'), 'MINING_REWARD')),
		  ARRAY['miner XP: 0 4.95 4.95 | 0 0 0'], 'the miner''s history row: 0 + 4.95 = 4.95');
SELECT is(pg_temp.acct(xphere_internal.house_id(), 'XP'), '-6.85/0',
		  'the house pays the total 6.85 XP and goes below zero');
SELECT is(ARRAY(SELECT format('%s %s %s', h.available_before, h.available_change, h.available_after)
				FROM xphere.balance_history h WHERE h.user_id = xphere_internal.house_id() AND h.currency = 'XP'),
		  ARRAY['0 -6.85 -6.85'], 'the house''s history row: 0 - 6.85 = -6.85');
SELECT is(ARRAY[xphere.pending_mining_rewards(pg_temp.id('miner')),
				xphere.pending_mining_rewards(pg_temp.id('pauser')),
				xphere.pending_mining_rewards(pg_temp.id('offliner'))],
		  ARRAY['0', '0', '0']::xphere.wad[], 'nothing is pending after the distribution');

SELECT pg_temp.snapshot() AS snap_dist \gset
SELECT is(xphere.distribute_mining_rewards(), 0, 'a second run at the same clock pays no machine');
SELECT is(pg_temp.snapshot(), :'snap_dist', 'a second run at the same clock changes nothing');

SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.entry(pg_temp.id('miner'), 'MINING_REWARD'), pg_temp.txh('r'))$$,
					 'XP006', 'completing a user''s MINING_REWARD entry as a withdrawal is refused');
SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.entry(xphere_internal.house_id(), 'MINING_REWARD'), pg_temp.txh('h'))$$,
					 'XP006', 'completing the house''s MINING_REWARD entry as a withdrawal is refused');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the distribution');

-- later: only the new part.  m3 goes OFFLINE at +27h.
SET LOCAL xphere.clock = '2027-01-02 03:00:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('m3'), 'OFFLINE')$$,
				   'm3 goes OFFLINE at +27h');
SET LOCAL xphere.clock = '2027-01-02 06:00:00+00';
-- 6 h of p1 = 0.3 (m1, m2, m4); 6 h of p2 = 1.875 (m1b); m3 3 h of p1 = 0.15
-- total 3 x 0.3 + 1.875 + 0.15 = 2.925
SELECT is(xphere.distribute_mining_rewards(), 5,
		  'a later distribution pays the 5 machines with something new, the OFFLINE one too');
SELECT is(pg_temp.rewards_at('2027-01-02 06:00:00+00'),
		  ARRAY['latecomer p1 0.3', 'miner p1 0.3', 'miner p2 1.875', 'offliner p1 0.15', 'pauser p1 0.3'],
		  'it pays only what was earned since the last run: 6h each, 3h for the machine OFFLINE since +27h');
SELECT is(ARRAY[pg_temp.acct(pg_temp.id('miner'), 'XP'), pg_temp.acct(pg_temp.id('pauser'), 'XP'),
				pg_temp.acct(pg_temp.id('offliner'), 'XP'), pg_temp.acct(pg_temp.id('latecomer'), 'XP'),
				pg_temp.acct(xphere_internal.house_id(), 'XP')],
		  ARRAY['7.125/0', '1.25/0', '1.1/0', '0.3/0', '-9.775/0'],
		  'balances: miner 4.95 + 2.175, pauser 0.95 + 0.3, offliner 0.95 + 0.15, latecomer 0.3, house -6.85 - 2.925');
SELECT is((SELECT pg_temp.tx(t.id) FROM xphere.transactions t
			WHERE t.user_id = pg_temp.id('miner') AND t.type = 'MINING_REWARD'
			  AND t.created_at = '2027-01-02 06:00:00+00'),
		  'miner MINING_REWARD XP 2.175 fee 0 COMPLETED',
		  'the miner''s second entry is the sum 0.3 + 1.875');

-- Time never runs backwards for a machine: m1 was last settled by the
-- distribution at +30h (paid 30 h = 1.5 XP); a status change at +29h
-- would leave it having earned 29 h = 1.45 < 1.5 paid.  (In a savepoint,
-- so that a wrongly accepted change cannot spoil the checks that follow.)
SAVEPOINT backwards;
SET LOCAL xphere.clock = '2027-01-02 05:00:00+00';
SELECT pg_temp.fails($$SELECT xphere.set_machine_status(pg_temp.id('m1'), 'OFFLINE')$$,
					 '22023', 'a status change at a clock before the machine''s last distribution is refused');
ROLLBACK TO SAVEPOINT backwards;
SELECT is(xphere.now(), '2027-01-02 06:00:00+00'::timestamptz, 'the clock is back at +30h');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the second distribution');

-- ===================================================================
-- The total does not depend on how often the distribution runs
-- ===================================================================

-- p3 (ERD: Pro Cluster, 2000 USDT) earns 32 XP a day.  Cumulative: after
-- h hours a machine has earned floor(32e18 x h / 24) raw, so the payment
-- of hour h is floor(32e18 h / 24) - floor(32e18 (h-1) / 24):
--   h=1: 1 333 333 333 333 333 333 (32e18/24 = 1 333 333 333 333 333 333.33)
--   h=2: 2 666 666 666 666 666 666 - 1 333 333 333 333 333 333 = 1 333 333 333 333 333 333
--   h=3: 4 000 000 000 000 000 000 - 2 666 666 666 666 666 666 = 1 333 333 333 333 333 334
-- and the 24 payments sum to exactly 32 XP.  Flooring each hour on its
-- own would pay 24 x 1 333 333 333 333 333 333 = 31.999 999 999 999 999 992.
SET LOCAL xphere.clock = '2027-01-03 00:00:00+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('offliner')), '0'::xphere.wad,
		  'an OFFLINE machine earns nothing after it was paid (offliner at +48h)');
SELECT pg_temp.run('mh', $$SELECT xphere.purchase_machine(pg_temp.id('hourly'), 'p3')$$,
				   'hourly buys a p3 machine at +48h');
-- one distribution at each full hour +49h .. +72h; returns the runs that
-- paid hourly's machine
CREATE FUNCTION pg_temp.distribute_hourly() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	runs integer := 0;
BEGIN
	FOR h IN 1..24 LOOP
		PERFORM set_config('xphere.clock',
			('2027-01-03 00:00:00+00'::timestamptz + make_interval(hours => h))::text, true);
		PERFORM xphere.distribute_mining_rewards();
		runs := runs + (SELECT count(*)::integer FROM xphere.mining_rewards r
						WHERE r.machine_id = pg_temp.id('mh') AND r.calculated_at = xphere.now());
	END LOOP;
	RETURN runs;
END $$;
SELECT is(pg_temp.distribute_hourly(), 24, 'each of the 24 hourly distributions pays hourly''s machine');
SET LOCAL xphere.clock = '2027-01-04 00:00:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_machine_status(pg_temp.id('mh'), 'OFFLINE')$$,
				   'hourly''s machine goes OFFLINE after 24 hours');
SELECT is(ARRAY(SELECT r.amount FROM xphere.mining_rewards r WHERE r.machine_id = pg_temp.id('mh')
				ORDER BY r.calculated_at LIMIT 3),
		  ARRAY['1.333333333333333333', '1.333333333333333333', '1.333333333333333334']::xphere.wad[],
		  'hourly payments are differences of cumulative floors: .333, .333, .334 (last wei)');
SELECT is((SELECT format('%s rows, sum %s', count(*), sum(r.amount)) FROM xphere.mining_rewards r
			WHERE r.machine_id = pg_temp.id('mh')),
		  '24 rows, sum 32', 'paid every hour for 24 hours: 24 reward rows summing to exactly 32 XP');

SELECT pg_temp.run('mo', $$SELECT xphere.purchase_machine(pg_temp.id('once'), 'p3')$$,
				   'once buys a p3 machine at +72h');
SET LOCAL xphere.clock = '2027-01-05 00:00:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.distribute_mining_rewards()$$,
				   'one distribution 24 hours later');
SELECT is((SELECT format('%s rows, sum %s', count(*), sum(r.amount)) FROM xphere.mining_rewards r
			WHERE r.machine_id = pg_temp.id('mo')),
		  '1 rows, sum 32', 'paid once after 24 hours: one reward row of exactly 32 XP');
SELECT is(xphere.balance(pg_temp.id('hourly'), 'XP'), xphere.balance(pg_temp.id('once'), 'XP'),
		  'paid hourly or once, the balances are equal');
SELECT is(xphere.balance(pg_temp.id('hourly'), 'XP'), '32'::xphere.wad,
		  'and both are exactly 32 XP');
SELECT is(ARRAY[xphere.pending_mining_rewards(pg_temp.id('hourly')),
				xphere.pending_mining_rewards(pg_temp.id('once'))],
		  ARRAY['0', '0']::xphere.wad[], 'nothing is left pending for either');

-- the house paid every reward: no XP came from anywhere else
SELECT is((SELECT sum(a.available + a.locked) FROM xphere.accounts a WHERE a.currency = 'XP'),
		  '0'::xphere.wad, 'all XP accounts together sum to 0: every reward came from the house');
SELECT is((SELECT sum(a.available + a.locked) FROM xphere.accounts a WHERE a.currency = 'USDT'),
		  '5999.999999999999999999'::xphere.wad,
		  'all USDT together is still the 5999.999999999999999999 deposited (1600+100+100+99.99..+100+2000+2000)');
SELECT is((SELECT sum(t.amount) FROM xphere.transactions t
			WHERE t.type = 'MINING_REWARD' AND t.user_id = xphere_internal.house_id()),
		  (SELECT sum(r.amount) FROM xphere.mining_rewards r),
		  'the house''s MINING_REWARD entries equal all reward rows');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold at the end');

SELECT * FROM finish();
ROLLBACK;

--
-- test/pgtap/erd_mining.sql: pgTAP tests of the ERD's machine plans, machines,
-- mining rewards and staking tiers (ERD sections 2.2, 2.3, 2.8, 2.9, 3.1,
-- 4; the tiers of the VIBEUP schema), against numbers worked out by hand
-- from the ERD, not from xphere's output.
--
-- What this file ensures:
--   * the seeded plans p1-p4 are exactly the ERD's section 3.1 (name,
--     machine, price, integer hashrate in TH/s, daily return, description,
--     image), and a purchase of each costs its ERD price in USDT;
--   * each plan's machine earns its ERD daily return: p1 1.2 XP after one
--     day ONLINE, p2 0.625 after 2 hours (7.5 / 12), p3 4 after 3 hours
--     (32 / 8), p4 92.5 after one day and floor(92.5e18 / 24) raw after one
--     hour; a distribution pays exactly that;
--   * mining_rewards rows are distributed, name the user's MINING_REWARD
--     entry and were created at calculated_at;
--   * create_plan/update_plan take hashrate as a JSON number or a string of
--     digits; text with a unit, 0, negative, fractional, boolean, null or
--     out of range is 22023 and changes nothing;
--   * purchase_machine's tx_hash: stored normalised (0x + 64 lower-case hex),
--     NULL without one; a replay with the same user, plan and hash returns
--     the first machine and pays nothing; the hash for another user or plan
--     is 23505, a malformed one 22023, each changing nothing;
--   * the staking tiers have the VIBEUP values (min_stake, APY, lock days,
--     description, benefits); a stake's unlock_date is NULL while ACTIVE,
--     locked_until is start + lock, and after unstake unlock_date is the end
--     of unbonding;
--   * the ERD's indexes exist on the columns it names.
--
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

\ir ../lib/helpers.sql

SELECT plan(74);

-- ===================================================================
-- The seeded plans: ERD section 3.1
-- ===================================================================

SELECT is(ARRAY(SELECT format('%s|%s|%s|%s|%s|%s|%s|%s|%s', id, name, machine_name, price_usdt, hashrate,
							  daily_return_xp, description, image_url, is_active)
				FROM xphere.machine_plans ORDER BY id),
		  ARRAY['p1|Starter Node|ASIC XP1 Mini|100|10|1.2|Entry-level mining power for beginners.|https://picsum.photos/400/300?random=1|t',
				'p2|Standard Node|ASIC XP1 Standard|500|55|7.5|Most popular plan with stable mining output.|https://picsum.photos/400/300?random=2|t',
				'p3|Pro Cluster|ASIC XP1 Cluster|2000|230|32|High-capacity cluster for professional miners.|https://picsum.photos/400/300?random=3|t',
				'p4|Xphere Master Node|ASIC XP1 Ultra|5000|650|92.5|Enterprise-grade performance with maximum efficiency.|https://picsum.photos/400/300?random=4|t'],
		  'the four seeded plans are the ERD''s section 3.1, value for value');
SELECT col_type_is('xphere', 'machine_plans', 'hashrate', 'integer', 'machine_plans.hashrate is an integer (TH/s)');

-- ===================================================================
-- A purchase of each plan costs its ERD price
-- ===================================================================

SELECT pg_temp.register_users(ARRAY['u1', 'u2', 'u3', 'u4']);
SELECT pg_temp.run(NULL, format('SELECT xphere.deposit(pg_temp.id(%L), ''USDT'', 6000, %L)', u, pg_temp.txh('erd-' || u)),
				   format('%s deposits 6000 USDT', u))
  FROM unnest(ARRAY['u1', 'u2', 'u3', 'u4']) u;
SELECT pg_temp.run('m' || n, format('SELECT xphere.purchase_machine(pg_temp.id(%L), %L)', 'u' || n, 'p' || n),
				   format('u%s buys a p%s machine', n, n))
  FROM generate_series(1, 4) n;
SELECT is(ARRAY[xphere.balance(pg_temp.id('u1'), 'USDT'), xphere.balance(pg_temp.id('u2'), 'USDT'),
				xphere.balance(pg_temp.id('u3'), 'USDT'), xphere.balance(pg_temp.id('u4'), 'USDT')],
		  ARRAY['5900', '5500', '4000', '1000']::xphere.wad[],
		  'the purchases cost the ERD prices: 6000 - 100, - 500, - 2000, - 5000 USDT');
SELECT is(pg_temp.acct(xphere_internal.house_id(), 'USDT'), '7600/0',
		  'the house holds 100 + 500 + 2000 + 5000 = 7600 USDT');
SELECT is(ARRAY(SELECT daily_return_xp FROM xphere.user_machines ORDER BY plan_id),
		  ARRAY['1.2', '7.5', '32', '92.5']::xphere.wad[], 'each machine keeps its plan''s ERD daily return');
SELECT is((SELECT count(*) FROM xphere.user_machines WHERE tx_hash IS NULL), 4::bigint,
		  'a purchase without tx_hash stores NULL (paid from the platform balance)');

-- ===================================================================
-- What each plan earns
-- ===================================================================

-- p4 after 1 h: floor(92.5e18 / 24) = floor(3 854 166 666 666 666 666.67) raw
SET LOCAL xphere.clock = '2027-01-01 01:00:00+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('u4')), '3.854166666666666666'::xphere.wad,
		  'p4 after 1 hour: floor(92.5e18 / 24) raw = 3.854166666666666666 XP');
-- p2 after 2 h: 7.5 x 2 / 24 = 0.625
SET LOCAL xphere.clock = '2027-01-01 02:00:00+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('u2')), '0.625'::xphere.wad,
		  'p2 after 2 hours: 7.5 / 12 = 0.625 XP');
-- p3 after 3 h: 32 x 3 / 24 = 4
SET LOCAL xphere.clock = '2027-01-01 03:00:00+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('u3')), '4'::xphere.wad,
		  'p3 after 3 hours: 32 / 8 = 4 XP');
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT is(ARRAY[xphere.pending_mining_rewards(pg_temp.id('u1')), xphere.pending_mining_rewards(pg_temp.id('u2')),
				xphere.pending_mining_rewards(pg_temp.id('u3')), xphere.pending_mining_rewards(pg_temp.id('u4'))],
		  ARRAY['1.2', '7.5', '32', '92.5']::xphere.wad[],
		  'after exactly one day ONLINE: p1 1.2, p2 7.5, p3 32, p4 92.5 XP');
SELECT is(xphere.distribute_mining_rewards(), 4, 'the distribution pays the four machines');
SELECT is(ARRAY[xphere.balance(pg_temp.id('u1'), 'XP'), xphere.balance(pg_temp.id('u2'), 'XP'),
				xphere.balance(pg_temp.id('u3'), 'XP'), xphere.balance(pg_temp.id('u4'), 'XP')],
		  ARRAY['1.2', '7.5', '32', '92.5']::xphere.wad[],
		  'it pays one day of each: 1.2, 7.5, 32, 92.5 XP');
SELECT is((SELECT count(*) FROM xphere.mining_rewards r JOIN xphere.transactions t ON t.id = r.distribution_tx
		   WHERE r.distributed AND t.type = 'MINING_REWARD' AND t.user_id = r.user_id
			 AND r.created_at = r.calculated_at AND r.calculated_at = '2027-01-02 00:00:00+00'), 4::bigint,
		  'each reward row is distributed, names its user''s MINING_REWARD entry and was created when calculated');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the distribution');

-- ===================================================================
-- hashrate in create_plan / update_plan
-- ===================================================================

SELECT lives_ok($$SELECT xphere.create_plan('h1', '{"name": "H1", "machine_name": "M", "price_usdt": 10,
	"hashrate": 120, "daily_return_xp": "1"}')$$, 'create_plan takes hashrate as a JSON number');
SELECT lives_ok($$SELECT xphere.create_plan('h2', '{"name": "H2", "machine_name": "M", "price_usdt": 10,
	"hashrate": "2147483647", "daily_return_xp": "1"}')$$, 'create_plan takes hashrate as a string of digits (up to 2147483647)');
SELECT lives_ok($$SELECT xphere.update_plan('h1', '{"hashrate": 130.0}')$$,
				'update_plan takes a whole JSON number written with a point');
SELECT is(ARRAY(SELECT hashrate FROM xphere.machine_plans WHERE id IN ('h1', 'h2') ORDER BY id),
		  ARRAY[130, 2147483647], 'the hashrates are stored as integers');
SELECT pg_temp.fails(format($$SELECT xphere.update_plan('h1', '{"hashrate": %s}')$$, v), '22023',
					 format('update_plan with hashrate %s is refused', v))
  FROM unnest(ARRAY['"120 TH/s"', '0', '-5', '1.5', 'true', 'null', '"2147483648"', '""']) v;
SELECT pg_temp.fails($$SELECT xphere.create_plan('h3', '{"name": "H3", "machine_name": "M", "price_usdt": 10,
	"hashrate": "10 TH/s", "daily_return_xp": "1"}')$$, '22023', 'create_plan with hashrate "10 TH/s" is refused');

-- ===================================================================
-- purchase_machine's tx_hash
-- ===================================================================

SELECT pg_temp.run('mh', format('SELECT xphere.purchase_machine(pg_temp.id(%L), %L, %L)', 'u1', 'p1',
							   ' 0x' || upper(repeat('ab', 32)) || E'\n'),
				   'a purchase paid on chain names its transaction hash');
SELECT is((SELECT tx_hash FROM xphere.user_machines WHERE id = pg_temp.id('mh')), '0x' || repeat('ab', 32),
		  'the hash is stored trimmed and lower-cased');
SELECT is(xphere.balance(pg_temp.id('u1'), 'USDT'), '5800'::xphere.wad, 'it is paid from the balance: 5900 - 100');
SELECT pg_temp.snapshot() AS snap \gset
SELECT is(xphere.purchase_machine(pg_temp.id('u1'), 'p1', '0x' || repeat('AB', 32)), pg_temp.id('mh'),
		  'a replay with the same user, plan and hash returns the first machine');
SELECT is(pg_temp.snapshot(), :'snap', 'the replay pays nothing and changes nothing');
SELECT pg_temp.fails(format('SELECT xphere.purchase_machine(pg_temp.id(%L), %L, %L)', 'u2', 'p1', '0x' || repeat('ab', 32)),
					 '23505', 'the hash of another user''s purchase is refused');
SELECT pg_temp.fails(format('SELECT xphere.purchase_machine(pg_temp.id(%L), %L, %L)', 'u1', 'p2', '0x' || repeat('ab', 32)),
					 '23505', 'the hash for another plan is refused');
SELECT pg_temp.fails(format('SELECT xphere.purchase_machine(pg_temp.id(%L), %L, %L)', 'u1', 'p1', '0xabc'),
					 '22023', 'a malformed hash is refused');

-- ===================================================================
-- Staking tiers (VIBEUP 004) and unlock_date
-- ===================================================================

SELECT is(ARRAY(SELECT format('%s|%s|%s|%s|%s|%s', name, min_stake, apy, extract(day FROM lock_period),
							  description, benefits)
				FROM xphere.staking_pools ORDER BY min_stake),
		  ARRAY['Explorer|100|0.05|0|Basic staking for early adopters|["priority_support"]',
				'Pathfinder|500|0.08|30|Committed stakers with premium access|["premium_features", "2x_vote_weight"]',
				'Founder|2000|0.12|90|Founding members with maximum benefits|["all_features", "3x_vote_weight", "founder_badge"]'],
		  'the staking tiers are those of the VIBEUP schema: min_stake, APY, lock days, description, benefits');
SELECT pg_temp.run(NULL, format('SELECT xphere.deposit(pg_temp.id(%L), ''XP'', 3000, %L)', 'u1', pg_temp.txh('erd-xp')),
				   'u1 deposits 3000 XP');
SELECT pg_temp.run('s1', $$SELECT xphere.stake(pg_temp.id('u1'), 500, 'pathfinder')$$, 'u1 stakes 500 XP in pathfinder');
SELECT is((SELECT format('%s %s %s', status, coalesce(unlock_date::text, 'NULL'), locked_until = '2027-02-01 00:00:00+00')
		   FROM xphere.staking_positions WHERE id = pg_temp.id('s1')),
		  'ACTIVE NULL t', 'an ACTIVE stake has no unlock_date; locked_until is start + 30 days');
SELECT pg_temp.fails($$SELECT xphere.unstake(pg_temp.id('u1'), pg_temp.id('s1'))$$,
					 'XP006', 'unstaking before locked_until is refused');
SET LOCAL xphere.clock = '2027-02-01 00:00:00+00';
SELECT is(xphere.unstake(pg_temp.id('u1'), pg_temp.id('s1')), '2027-02-08 00:00:00+00'::timestamptz,
		  'at locked_until the stake unstakes; withdrawable after 7 days of unbonding');
SELECT is((SELECT format('%s %s', status, unlock_date = '2027-02-08 00:00:00+00') FROM xphere.staking_positions
		   WHERE id = pg_temp.id('s1')), 'UNBONDING t', 'unbonding, unlock_date is when it can be withdrawn');

-- ===================================================================
-- The ERD's indexes
-- ===================================================================

SELECT ok(EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'xphere' AND tablename = t
				  AND indexdef LIKE '%(' || cols || ')' || coalesce(' WHERE ' || pred, '')),
		  format('%s has an index on (%s)%s: the ERD''s %s', t, cols, coalesce(' where ' || pred, ''), erd))
  FROM (VALUES ('machine_plans', 'is_active', NULL, 'idx_active'),
			   ('user_machines', 'user_id', NULL, 'idx_user'),
			   ('user_machines', 'status', NULL, 'idx_status'),
			   ('mining_rewards', 'user_id, distributed, calculated_at', NULL, 'idx_user_distributed (user_id, distributed)'),
			   ('mining_rewards', 'calculated_at', NULL, 'idx_calculated'),
			   ('mining_rewards', 'distributed, calculated_at', '(NOT distributed)', 'idx_rewards_pending'),
			   ('staking_positions', 'user_id, status', NULL, 'idx_user_status')) AS x(t, cols, pred, erd);

SELECT * FROM finish();
ROLLBACK;

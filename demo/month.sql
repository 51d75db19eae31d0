--
-- demo/month.sql: a compressed month of the Xphere Mining Cloud platform,
-- played in one psql session against a database with the extension's
-- background worker running (demo/run.sh sets that up; "make demo").
--
-- Time: the session moves xphere.clock (superuser only) one day at a time
-- and calls xphere.tick() at the start of each day (demo/day.sql), so a
-- month takes seconds and every number is repeatable.  The month starts on
-- the first day of the month a year from today, ahead of the real clock,
-- on which the background worker keeps ticking meanwhile.
--
-- The story: eight users register and deposit, buy machines of different
-- plans and are paid every day; erin supplies XP to the lending pool lp-xp
-- and stakes in the founder tier; carol, frank and gina borrow XP against
-- USDT collateral at XP = 1; hank's large loan pushes the pool past its
-- optimal utilization for three days; stakes in the explorer, pathfinder
-- and founder tiers earn rewards; in the third week XP rallies from 1.05
-- to 1.38 USDT.  Collateral here is USDT and the debt is XP, so a rising
-- XP price is what makes loans unhealthy: the "crash" of this story is a
-- rally.  dave liquidates frank by hand; on the day of the peak the house
-- liquidates the rest itself (xphere.auto_liquidate on for that tick).
-- A weekly report shows balances, the pool, loans, stakes and events; at
-- the end check_invariants() must return no rows.
--
\set ON_ERROR_STOP 1
\set QUIET 1
\pset pager off
\pset footer off
\pset null ''
-- narration: bare lines; the reports switch to aligned tables
\pset format unaligned
\t on
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET search_path = public, xphere;     -- the operators of wad, ray and health_factor

SELECT date_trunc('month', now() + interval '1 year') AS d0 \gset
SELECT set_config('xphere.clock', :'d0', false) AS clock \gset
CREATE EXTENSION xphere CASCADE;

-- ===================================================================
-- Helpers of this session (temporary)
-- ===================================================================

CREATE TEMP TABLE who (ord serial, name text PRIMARY KEY, id uuid NOT NULL UNIQUE);
CREATE TEMP TABLE loans (ord serial, name text NOT NULL, id uuid PRIMARY KEY);
CREATE TEMP TABLE stakes (name text NOT NULL, tier text NOT NULL, id uuid PRIMARY KEY);

CREATE FUNCTION pg_temp.u(p_name text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT w.id FROM pg_temp.who w WHERE w.name = p_name
$$;
CREATE FUNCTION pg_temp.loan(p_name text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT l.id FROM pg_temp.loans l WHERE l.name = p_name ORDER BY l.ord DESC LIMIT 1
$$;
CREATE FUNCTION pg_temp.stake_of(p_name text, p_tier text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT s.id FROM pg_temp.stakes s WHERE s.name = p_name AND s.tier = p_tier
$$;
CREATE FUNCTION pg_temp.name(p_id uuid) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT w.name FROM pg_temp.who w WHERE w.id = p_id),
					CASE WHEN p_id = xphere_internal.house_id() THEN 'the house' END, p_id::text)
$$;
-- an amount for people: thousands separated, d decimals
CREATE FUNCTION pg_temp.n(x xphere.wad, d integer DEFAULT 2) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(round(x::numeric, d), 'FM999,999,990.' || repeat('0', d))
$$;
CREATE FUNCTION pg_temp.pct(x numeric) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(round(x, 2), 'FM990.00') || '%'
$$;
-- the XP price at which a loan's health factor would reach 1 (with today's
-- debt): collateral x liquidation threshold / debt.  (The stored
-- liquidation_price is the collateral's price at HF 1, as doc/lending.md
-- defines it; the collateral here is USDT, fixed at 1.)
CREATE FUNCTION pg_temp.xp_at_hf1(p_position uuid) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT to_char(round(b.collateral_amount::numeric * p.liquidation_threshold
						 / xphere.debt(b.id)::numeric, 4), 'FM990.0000')
	FROM xphere.borrow_positions b JOIN xphere.lending_pools p ON p.id = b.pool_id
	WHERE b.id = p_position AND b.status = 'OPEN'
$$;
-- a fake chain transaction hash
CREATE FUNCTION pg_temp.txh(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT '0x' || encode(sha256(convert_to(p, 'UTF8')), 'hex')
$$;
-- runs a statement that the platform should refuse; returns the refusal
CREATE FUNCTION pg_temp.try(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE p_sql;
	RETURN 'accepted (unexpected!)';
EXCEPTION WHEN OTHERS THEN
	RETURN format('refused, SQLSTATE %s: %s', SQLSTATE, SQLERRM);
END $$;

-- one line per day: the tick's work and the pool's rates
CREATE FUNCTION pg_temp.day_line(p_day integer, r jsonb) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT format('Day %s %s  XP %s | %s | %s | U %s, borrow %s, supply %s',
		lpad(p_day::text, 2), to_char(xphere.now(), 'Dy DD Mon'),
		to_char(xphere_internal.latest_price('XP')::numeric, 'FM0.00'),
		CASE WHEN r ? 'skipped' THEN 'tick skipped'
			 WHEN NOT r ? 'machines_paid' THEN 'no distribution due'
			 WHEN (r ->> 'machines_paid')::integer = 0 THEN 'nothing mined yet'
			 ELSE format('mined %s XP (%s machines)',
				 (SELECT pg_temp.n((e.payload ->> 'total_xp')::xphere.wad) FROM xphere.events e
				  WHERE e.kind = 'distribution' ORDER BY e.id DESC LIMIT 1), r ->> 'machines_paid') END,
		format('newly liquidatable %s, liquidated %s', coalesce(r ->> 'newly_liquidatable', '0'),
			coalesce(r ->> 'liquidated', '0'))
			|| CASE WHEN (r ->> 'liquidations_failed')::integer > 0
					THEN format(', failed %s', r ->> 'liquidations_failed') ELSE '' END,
		pg_temp.pct(xphere.utilization(p.scaled_borrowed, p.borrow_index, p.cash)::numeric * 100),
		pg_temp.pct(p.borrow_apy), pg_temp.pct(p.supply_apy))
	FROM xphere_internal.pool_now('lp-xp') p
$$;

-- an event in words
CREATE FUNCTION pg_temp.event_text(p_kind text, e jsonb, p_n integer) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE p_kind
		WHEN 'distribution' THEN format('%s daily mining distributions, %s XP in total',
			p_n, to_char(round((e ->> 'total_xp')::numeric, 2), 'FM999,999,990.00'))
		WHEN 'large_transaction' THEN format('%s: %s of %s %s', pg_temp.name((e ->> 'user_id')::uuid),
			e ->> 'type', pg_temp.n((e ->> 'amount')::xphere.wad), e ->> 'currency')
		WHEN 'liquidatable' THEN format('%s''s loan is liquidatable, health factor %s',
			pg_temp.name((e ->> 'user_id')::uuid), round((e ->> 'health_factor')::numeric, 4))
		WHEN 'liquidation' THEN format('%s liquidated %s: repaid %s XP, seized %s %s%s',
			pg_temp.name((e ->> 'liquidator')::uuid), pg_temp.name((e ->> 'borrower')::uuid),
			pg_temp.n((e ->> 'debt_repaid')::xphere.wad), pg_temp.n((e ->> 'collateral_seized')::xphere.wad),
			e ->> 'collateral_asset',
			CASE WHEN (e ->> 'bad_debt')::xphere.wad > 0
				 THEN format(', bad debt %s XP', pg_temp.n((e ->> 'bad_debt')::xphere.wad)) ELSE '' END)
		WHEN 'liquidation_failed' THEN format('liquidation failed (%s): %s', e ->> 'sqlstate', e ->> 'message')
		ELSE e::text END
$$;

SELECT 0 AS last_event \gset

\echo
\echo '################################################################################'
\echo '#  Xphere Mining Cloud: a compressed month                                     #'
\echo '################################################################################'
\echo
SELECT format('The month starts on %s (the demo''s clock, xphere.clock, set by this session).',
	to_char(xphere.now(), 'Dy DD Mon YYYY'));
\echo 'Every day: the oracle publishes the XP price (set_price), then SELECT xphere.tick()'
\echo 'accrues the lending pool, checkpoints the staking tiers, pays the mining rewards'
\echo 'once the distribution interval (1 day) has passed, refreshes health factors and'
\echo 'reports newly liquidatable loans.  The background worker of the extension is'
\echo 'running too: it calls the same tick() every second in this database, on the REAL'
\echo 'clock; since the demo''s clock is ahead, its ticks find nothing due (they show up'
\echo 'in xphere.worker_status at the end).'
SELECT pg_sleep(1.5) AS slept \gset
\pset format aligned
\t off
SELECT database, enabled, runs, failures, last_ok,
	to_char(last_end, 'YYYY-MM-DD HH24:MI:SS') AS "last worker tick (real time)"
FROM xphere.worker_status WHERE database = current_database();
\pset format unaligned
\t on

-- ===================================================================
-- Week 1
-- ===================================================================

\echo
\echo '=== Week 1: sign-ups, deposits, machines, the pool opens ==='
\set day 1
\set price 1.00
\ir day.sql

INSERT INTO pg_temp.who (name, id)
SELECT v.name, xphere.register_user(v.name || '@example.com', v.name || '-secret-pw', initcap(v.name),
	'0x' || left(md5(v.name) || md5(v.name), 40))
FROM (VALUES ('alice'), ('bob'), ('carol'), ('dave'), ('erin'), ('frank'), ('gina')) v(name);
SELECT '  alice, bob, carol, dave, erin, frank and gina register (bcrypt hashes, XP and USDT accounts)';

SELECT format('  %s deposits %s %s on chain', v.name, pg_temp.n(v.amount, 0), v.cur) ||
	CASE WHEN xphere.deposit(pg_temp.u(v.name), v.cur::xphere.currency, v.amount,
							 pg_temp.txh(v.name || '-deposit-1')) IS NULL THEN '' ELSE '' END
FROM (VALUES ('alice', 'USDT', 5000::xphere.wad), ('bob', 'USDT', 20000), ('carol', 'USDT', 3000),
			 ('dave', 'XP', 5000), ('erin', 'XP', 25000), ('frank', 'USDT', 5000),
			 ('gina', 'USDT', 1500)) v(name, cur, amount);

SELECT format('  %s buys %s %s machine (%s, %s USDT, %s XP a day)', v.name,
	CASE WHEN p.name ~ '^[AEIOU]' THEN 'an' ELSE 'a' END, p.name, p.machine_name,
	pg_temp.n(p.price_usdt, 0), pg_temp.n(p.daily_return_xp, 1)) ||
	CASE WHEN xphere.purchase_machine(pg_temp.u(v.name), v.plan) IS NULL THEN '' ELSE '' END
FROM (VALUES (1, 'alice', 'p3'), (2, 'alice', 'p2'), (3, 'bob', 'p4'), (4, 'bob', 'p1'),
			 (5, 'carol', 'p1'), (6, 'frank', 'p2'), (7, 'gina', 'p1')) v(i, name, plan)
JOIN xphere.machine_plans p ON p.id = v.plan
ORDER BY v.i;

SELECT format('  erin supplies 12,000 XP to lp-xp: supplied balance %s XP',
	pg_temp.n(xphere.supply(pg_temp.u('erin'), 'lp-xp', 12000)));
INSERT INTO pg_temp.stakes SELECT 'erin', 'founder', xphere.stake(pg_temp.u('erin'), 2000, 'founder');
SELECT format('  erin stakes 2,000 XP in the founder tier (12%% a year, locked until %s)',
	to_char(locked_until, 'DD Mon')) FROM xphere.staking_positions WHERE id = pg_temp.stake_of('erin', 'founder');

\set day 2
\set price 1.01
\ir day.sql
INSERT INTO pg_temp.loans (name, id) VALUES
	('carol', xphere.borrow(pg_temp.u('carol'), 'lp-xp', 1500, 'USDT', 2500)),
	('frank', xphere.borrow(pg_temp.u('frank'), 'lp-xp', 3000, 'USDT', 4500)),
	('gina', xphere.borrow(pg_temp.u('gina'), 'lp-xp', 850, 'USDT', 1400));
SELECT format('  %s borrows %s XP against %s USDT: health factor %s, liquidatable once XP passes %s USDT',
	l.name, pg_temp.n(b.borrowed_amount, 0), pg_temp.n(b.collateral_amount, 0),
	round(xphere.position_health(b.id)::numeric, 4), pg_temp.xp_at_hf1(b.id))
FROM pg_temp.loans l JOIN xphere.borrow_positions b ON b.id = l.id ORDER BY l.ord;
SELECT format('  %s', pg_temp.try($$SELECT xphere.borrow(pg_temp.u('dave'), 'lp-xp', 100, 'USDT', 100)$$))
	|| '  <- dave has no USDT to pledge';
SELECT format('  %s', pg_temp.try($$SELECT xphere.borrow(pg_temp.u('bob'), 'lp-xp', 800, 'USDT', 1000)$$))
	|| '  <- 80% of the collateral is above the 75% LTV';

\set day 3
\set price 0.99
\ir day.sql
INSERT INTO pg_temp.stakes SELECT 'carol', 'pathfinder', xphere.stake(pg_temp.u('carol'), 1000, 'pathfinder');
SELECT '  carol stakes 1,000 of her borrowed XP in the pathfinder tier (8% a year, 30-day lock)';

\set day 4
\set price 1.00
\ir day.sql
\set day 5
\set price 1.02
\ir day.sql

\set day 6
\set price 1.03
\ir day.sql
INSERT INTO pg_temp.stakes SELECT 'alice', 'explorer', xphere.stake(pg_temp.u('alice'), 100, 'explorer');
SELECT format('  alice stakes 100 XP of her mining income in the explorer tier (5%% a year, no lock); she keeps %s XP',
	pg_temp.n(xphere.balance(pg_temp.u('alice'), 'XP')));

\set day 7
\set price 1.01
\ir day.sql
SELECT format('  bob supplies 400 XP to lp-xp: supplied balance %s XP',
	pg_temp.n(xphere.supply(pg_temp.u('bob'), 'lp-xp', 400)));
\set title 'Week 1 report'
\ir report.sql

-- ===================================================================
-- Week 2
-- ===================================================================

\echo '=== Week 2: a large loan pushes the pool past its optimal utilization ==='
\set day 8
\set price 1.00
\ir day.sql
\set day 9
\set price 0.98
\ir day.sql
INSERT INTO pg_temp.stakes SELECT 'bob', 'explorer', xphere.stake(pg_temp.u('bob'), 300, 'explorer');
SELECT '  bob stakes 300 XP in the explorer tier';

\set day 10
\set price 1.00
\ir day.sql
INSERT INTO pg_temp.who (name, id)
VALUES ('hank', xphere.register_user('hank@example.com', 'hank-secret-pw', 'Hank'));
SELECT format('  hank registers and deposits 8,500 USDT (tx %s...)',
	left(xphere.deposit(pg_temp.u('hank'), 'USDT', 8500, pg_temp.txh('hank-deposit-1'))::text, 8));
INSERT INTO pg_temp.loans (name, id) VALUES ('hank', xphere.borrow(pg_temp.u('hank'), 'lp-xp', 5000, 'USDT', 8000));
SELECT format('  hank borrows 5,000 XP against 8,000 USDT: utilization %s, above the 80%% kink, so the borrow rate jumps to %s and the supply rate to %s',
	pg_temp.pct(xphere.utilization(p.scaled_borrowed, p.borrow_index, p.cash)::numeric * 100),
	pg_temp.pct(p.borrow_apy), pg_temp.pct(p.supply_apy))
FROM xphere.lending_pools p WHERE p.id = 'lp-xp';

\set day 11
\set price 1.02
\ir day.sql
SELECT format('  erin tries to withdraw 5,000 XP: %s',
	pg_temp.try($$SELECT xphere.withdraw_supply(pg_temp.u('erin'), 'lp-xp', 5000)$$));

\set day 12
\set price 1.04
\ir day.sql
SELECT format('  alice swaps 50 XP for %s USDT (at 1.04, less the 0.3%% swap fee)',
	pg_temp.n(xphere.swap(pg_temp.u('alice'), 'XP', 50), 4));

\set day 13
\set price 1.03
\ir day.sql
SELECT format('  hank swaps 100 USDT for %s XP to cover the interest', pg_temp.n(xphere.swap(pg_temp.u('hank'), 'USDT', 100), 4));
SELECT format('  hank repays everything: %s XP for 5,000 borrowed three days ago; his 8,000 USDT are released',
	pg_temp.n(xphere.repay(pg_temp.u('hank'), pg_temp.loan('hank')), 6));

\set day 14
\set price 1.05
\ir day.sql
\set title 'Week 2 report'
\ir report.sql

-- ===================================================================
-- Week 3: the XP rally
-- ===================================================================

\echo '=== Week 3: XP rallies from 1.05 to 1.38 USDT.  The loans are XP borrowed against'
\echo '    USDT, so a RISING XP price makes them unhealthy: this is the "crash" for borrowers. ==='
\set day 15
\set price 1.08
\ir day.sql
SELECT format('  bob unstakes his explorer stake: rewards stop, it unbonds until %s',
	to_char(xphere.unstake(pg_temp.u('bob'), pg_temp.stake_of('bob', 'explorer')), 'DD Mon'));

\set day 16
\set price 1.12
\ir day.sql
\set day 17
\set price 1.18
\ir day.sql

\set day 18
\set price 1.24
\ir day.sql
SELECT format('  liquidatable_positions(): %s', string_agg(format('%s (health factor %s)',
	pg_temp.name(l.user_id), round(l.health_factor::numeric, 4)), ', '))
FROM xphere.liquidatable_positions() l;
SELECT format('  dave liquidates frank (close factor 50%%: HF above 0.95): repays %s XP, receives %s USDT (5%% bonus)',
	pg_temp.n(debt_repaid, 4), pg_temp.n(collateral_seized, 4))
FROM xphere.liquidate(pg_temp.u('dave'), pg_temp.loan('frank'));

\set day 19
\set price 1.30
\ir day.sql

\echo '  XP peaks at 1.38.  The operator turns xphere.auto_liquidate on for this tick:'
\echo '  the house liquidates every liquidatable loan itself.'
SET xphere.auto_liquidate = on;
\set day 20
\set price 1.38
\ir day.sql
RESET xphere.auto_liquidate;

\set day 21
\set price 1.31
\ir day.sql
\set title 'Week 3 report'
\ir report.sql

-- ===================================================================
-- Week 4
-- ===================================================================

\echo '=== Week 4: XP cools down; unbonding, repayments, claims, a withdrawal ==='
\set day 22
\set price 1.27
\ir day.sql
SELECT format('  bob withdraws his unbonded stake: %s XP (300 + rewards)',
	pg_temp.n(xphere.withdraw_stake(pg_temp.u('bob'), pg_temp.stake_of('bob', 'explorer')), 6));

\set day 23
\set price 1.25
\ir day.sql
SELECT format('  carol tries to unstake early: %s',
	pg_temp.try($$SELECT xphere.unstake(pg_temp.u('carol'), pg_temp.stake_of('carol', 'pathfinder'))$$));

\set day 24
\set price 1.22
\ir day.sql
SELECT format('  carol swaps 300 USDT for %s XP', pg_temp.n(xphere.swap(pg_temp.u('carol'), 'USDT', 300), 4));
SELECT format('  carol repays her loan in full: %s XP; her remaining collateral is released',
	pg_temp.n(xphere.repay(pg_temp.u('carol'), pg_temp.loan('carol')), 6));

\set day 25
\set price 1.20
\ir day.sql
\set day 26
\set price 1.18
\ir day.sql
\set day 27
\set price 1.15
\ir day.sql

\set day 28
\set price 1.16
\ir day.sql
SELECT format('  erin claims %s XP of founder rewards; alice %s XP of explorer rewards',
	pg_temp.n(xphere.claim_staking_rewards(pg_temp.u('erin'), pg_temp.stake_of('erin', 'founder')), 6),
	pg_temp.n(xphere.claim_staking_rewards(pg_temp.u('alice'), pg_temp.stake_of('alice', 'explorer')), 6));
\set title 'Week 4 report'
\ir report.sql

\set day 29
\set price 1.14
\ir day.sql
SELECT xphere.request_withdrawal(pg_temp.u('bob'), 'USDT', 1000, '0x' || repeat('b0', 20)) AS wd \gset
SELECT '  bob requests a withdrawal of 1,000 USDT to his wallet (1 USDT fee, locked while pending)';
SELECT xphere.complete_withdrawal(:'wd', pg_temp.txh('bob-withdrawal-1')) AS done \gset
SELECT '  the operator sends it on chain and completes it: the fee goes to the house';

\set day 30
\set price 1.12
\ir day.sql
\set title 'Month-end report'
\ir report.sql

-- ===================================================================
-- The end
-- ===================================================================

\echo '=== The month in numbers ==='
\pset format aligned
\t off
\echo 'Ledger entries by type'
SELECT t.type, t.currency, count(*) AS entries, pg_temp.n(sum(t.amount)) AS amount
FROM xphere.transactions t
WHERE t.user_id <> xphere_internal.house_id()
GROUP BY t.type, t.currency ORDER BY t.type, t.currency;

\echo 'Events of the month (all kinds)'
SELECT kind, count(*) AS events FROM xphere.events GROUP BY kind ORDER BY kind;

\echo 'Money is conserved: per currency, all accounts (users, house, pool cash, staking tiers)'
\echo 'hold exactly the completed deposits minus the completed withdrawals'
SELECT c AS currency,
	pg_temp.n((SELECT sum(a.available + a.locked) FROM xphere.accounts a WHERE a.currency = c), 6)
		AS "all accounts",
	pg_temp.n((SELECT sum(a.available) FROM xphere.accounts a WHERE a.currency = c
			   AND a.user_id = xphere_internal.house_id()), 6) AS "of which the house",
	pg_temp.n(coalesce((SELECT sum(t.amount) FROM xphere.transactions t WHERE t.currency = c
						AND t.type = 'DEPOSIT' AND t.status = 'COMPLETED'), 0)
			  - coalesce((SELECT sum(t.amount) FROM xphere.transactions t WHERE t.currency = c
						  AND t.type = 'WITHDRAWAL' AND t.status = 'COMPLETED'), 0), 6)
		AS "deposits - withdrawals"
FROM unnest(enum_range(NULL::xphere.currency)) c;

\echo 'The background worker ticked this database on the real clock all along (a tick that'
\echo 'fell inside one of the demo''s daily transactions returned {"skipped": true})'
SELECT database, enabled, runs, failures, last_ok, last_error,
	to_char(last_end, 'YYYY-MM-DD HH24:MI:SS') AS "last worker tick (real time)",
	ticks AS "ticks in job_state (demo + worker)"
FROM xphere.worker_status WHERE database = current_database();
\pset format unaligned
\t on
SELECT format('The worker''s last tick() here: %s', last_result)
FROM xphere.worker_status WHERE database = current_database();
\pset format aligned
\t off
\echo

\echo 'SELECT * FROM xphere.check_invariants();   -- expected: no rows'
\pset footer on
SELECT * FROM xphere.check_invariants();
\pset footer off
SELECT count(*) = 0 AS healthy FROM xphere.check_invariants() \gset
\if :healthy
\echo 'Invariants hold: the ledger is consistent.'
\else
\echo 'INVARIANTS VIOLATED'
SELECT 1 / 0 AS invariants_violated;
\endif

-- ===================================================================
-- Proof of liabilities
-- ===================================================================

\echo
\echo '=== Proof of liabilities: the month-end snapshot ==='
\echo 'The platform snapshots what it owes every user, one Merkle sum tree per currency,'
\echo 'and publishes each root, total and number of users (doc/liabilities.md)'
\pset format aligned
\t off
SELECT snapshot_id, currency, left(root, 16) || '…' AS root, pg_temp.n(total, 6) AS total,
	leaf_count AS users
FROM xphere.take_liability_snapshot();
\echo 'What the totals are made of, and how they reconcile with the ledger: total = custody'
\echo '- house - system accounts (pool cash, staking tiers) + staked + supplied + rewards owed'
SELECT t.currency, pg_temp.n(t.available + t.locked, 6) AS "in accounts",
	pg_temp.n(t.supplied, 6) AS supplied, pg_temp.n(t.staked, 6) AS staked,
	pg_temp.n(t.staking_rewards + t.mining_rewards, 6) AS "rewards owed",
	pg_temp.n(t.total, 6) AS total,
	t.total = h.custody - h.house_available - h.house_locked - h.system_held
		+ t.staked + t.supplied + t.staking_rewards + t.mining_rewards AS reconciles
FROM xphere.liability_trees t JOIN xphere.house_exposure h USING (currency)
WHERE t.snapshot_id = (SELECT max(id) FROM xphere.liability_snapshots)
ORDER BY t.currency;
\pset format unaligned
\t on
SELECT xphere.liability_proof(pg_temp.u('alice'), 'XP') \g :out/proof-alice-XP.json
SELECT xphere.liability_root('XP') \g :out/root-XP.json
\pset format aligned
\t off
\echo 'alice''s proof and the published XP root are in the demo''s output directory'
\echo '(proof-alice-XP.json, root-XP.json); she checks them outside the database next.'

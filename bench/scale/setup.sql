/*
 * bench/scale set-up: N users (psql variable n), each with one machine of
 * plan p1 and one explorer stake of 100 XP, all made at the clock's start
 * 2027-01-01 00:00 UTC, as if every user had gone through the API:
 *
 *   deposit 100 USDT, deposit 100 XP          (2 DEPOSIT entries)
 *   purchase_machine(user, 'p1')              (PURCHASE: 100 USDT to the house)
 *   stake(user, 100, 'explorer')              (STAKE: 100 XP to the tier's account)
 *
 * with their ledger entries and balance_history rows (the house's and the
 * tier's running balances chained in order).  These rows are written in
 * bulk, with triggers and foreign-key checks off (session_replication_role
 * = replica), since a million API calls would take hours; check_invariants()
 * afterwards proves the state is one the API could have produced.  On top
 * of that, a small loan book made through the API, the same at every N:
 * one supplier and 100 borrowers (10 of them near the edge, so that every
 * tick refreshes their health factors).
 */
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, xphere;
SET xphere.clock = '2027-01-01 00:00:00+00';
CREATE EXTENSION IF NOT EXISTS xphere CASCADE;

SET session_replication_role = replica;
SET maintenance_work_mem = '512MB';

CREATE TEMP TABLE seed AS
SELECT i, md5('scale user ' || i)::uuid AS u,
	gen_random_uuid() AS dep_usdt, gen_random_uuid() AS dep_xp,
	gen_random_uuid() AS buy, gen_random_uuid() AS stk,
	gen_random_uuid() AS machine, gen_random_uuid() AS pos
FROM generate_series(1, :n) AS i;

INSERT INTO xphere.users (id, email, password_hash, name)
SELECT u, 'scale' || i || '@example.com', '!', 'Scale ' || i FROM seed ORDER BY i;

-- final balances: users spent everything; the house holds the purchases,
-- the explorer tier's account the stakes
INSERT INTO xphere.accounts (user_id, currency, available)
SELECT u, c, 0 FROM seed, unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c ORDER BY i, c;
INSERT INTO xphere.accounts (user_id, currency, available, allow_negative)
VALUES (xphere_internal.house_id(), 'USDT', 100 * :n::bigint, true),
	   (xphere_internal.staking_account('explorer'), 'XP', 100 * :n::bigint, false);

INSERT INTO xphere.transactions (id, user_id, type, amount, currency, tx_hash, metadata)
SELECT t.id, s.u, t.type, 100, t.cur, t.hash, t.meta
FROM seed s, LATERAL (VALUES
	(s.dep_usdt, 'DEPOSIT'::xphere.transaction_type, 'USDT'::xphere.currency,
	 'scale-usdt-' || s.i, '{}'::jsonb),
	(s.dep_xp, 'DEPOSIT', 'XP', 'scale-xp-' || s.i, '{}'),
	(s.buy, 'PURCHASE', 'USDT', NULL, jsonb_build_object('plan_id', 'p1', 'machine_id', s.machine)),
	(s.stk, 'STAKE', 'XP', NULL, jsonb_build_object('staking_pool', 'explorer', 'position_id', s.pos))
) AS t(id, type, cur, hash, meta)
ORDER BY s.i;

-- history in the order the API would have written it
INSERT INTO xphere.balance_history (user_id, currency, transaction_id,
	available_before, available_change, available_after, locked_before, locked_change, locked_after)
SELECT u, 'USDT', dep_usdt, 0, 100, 100, 0, 0, 0 FROM seed ORDER BY i;
INSERT INTO xphere.balance_history (user_id, currency, transaction_id,
	available_before, available_change, available_after, locked_before, locked_change, locked_after)
SELECT u, 'XP', dep_xp, 0, 100, 100, 0, 0, 0 FROM seed ORDER BY i;
INSERT INTO xphere.balance_history (user_id, currency, transaction_id,
	available_before, available_change, available_after, locked_before, locked_change, locked_after)
SELECT h.u, 'USDT', buy, h.b, h.c, h.b + h.c, 0, 0, 0
FROM seed, LATERAL (VALUES (u, 100::xphere.wad, (-100)::xphere.wad, 1),
						   (xphere_internal.house_id(), (100 * (i - 1))::xphere.wad, 100::xphere.wad, 2)) AS h(u, b, c, k)
ORDER BY i, k;
INSERT INTO xphere.balance_history (user_id, currency, transaction_id,
	available_before, available_change, available_after, locked_before, locked_change, locked_after)
SELECT h.u, 'XP', stk, h.b, h.c, h.b + h.c, 0, 0, 0
FROM seed, LATERAL (VALUES (u, 100::xphere.wad, (-100)::xphere.wad, 1),
						   (xphere_internal.staking_account('explorer'), (100 * (i - 1))::xphere.wad, 100::xphere.wad, 2)) AS h(u, b, c, k)
ORDER BY i, k;

INSERT INTO xphere.user_machines (id, user_id, plan_id, status, daily_return_xp,
	purchase_date, online_since, status_changed_at)
SELECT machine, u, 'p1', 'ONLINE', mp.daily_return_xp, xphere.now(), xphere.now(), xphere.now()
FROM seed, xphere.machine_plans mp WHERE mp.id = 'p1' ORDER BY i;

INSERT INTO xphere.staking_positions (id, user_id, staking_pool, amount, start_date,
	locked_until, index_at_entry)
SELECT pos, u, p.id, 100, xphere.now(), xphere.now() + xphere_internal.absolute_interval(p.lock_period),
	xphere_internal.staking_index_at(p, xphere.now())
FROM seed, xphere.staking_pools p WHERE p.id = 'explorer' ORDER BY i;
UPDATE xphere.staking_pools SET total_staked = 100 * :n::bigint WHERE id = 'explorer';

RESET session_replication_role;
DROP TABLE seed;

-- the loan book, through the API: user 1 supplies, users 2-101 borrow
SELECT xphere.set_price('XP', '1');
SELECT xphere.deposit(md5('scale user 1')::uuid, 'XP', 100000, '0x6cca4f4241878d89dd6d8f670380476c4b6db5ed3452fc54fb66e23b87f18de7');
SELECT xphere.supply(md5('scale user 1')::uuid, 'lp-xp', 100000);
SELECT count(xphere.deposit(md5('scale user ' || i)::uuid, 'USDT', 1000, '0x' || encode(sha256(convert_to('scale-lend-usdt-' || i, 'UTF8')), 'hex')))
FROM generate_series(2, 101) AS i;
SELECT count(xphere.borrow(md5('scale user ' || i)::uuid, 'lp-xp',
		CASE WHEN i % 10 = 0 THEN 750 ELSE 500 END, 'USDT', 1000))
FROM generate_series(2, 101) AS i;

-- the first tick: closes the (empty) first distribution round at the start
SELECT xphere.tick();
VACUUM ANALYZE;

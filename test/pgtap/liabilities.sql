-- test/pgtap/liabilities.sql: proof of liabilities (doc/liabilities.md).
--
-- Ensures:
--   * before any snapshot, liability_root() and liability_proof() are
--     P0002; a snapshot of no users publishes the empty node (32 zero
--     bytes), total 0, leaf count 0;
--   * liabilities_at() gives each part of each user's liability, by hand
--     (below), zeros included, system users excluded, a deactivated user
--     included;
--   * take_liability_snapshot() stores one tree per currency whose total,
--     leaf count, depth and parts are the hand values, and whose totals
--     reconcile with the money equation of check_invariants() through
--     house_exposure: total = custody - house - system accounts + staked
--     + supplied + staking and mining rewards owed;
--   * every salt is SHA-256(secret || user id), the leaves are in salt
--     order, and every user's proof in both currencies verifies with a
--     verifier written here in SQL on PostgreSQL's own sha256() (not the
--     extension's C): leaf hash, path, root, total; tampered proofs (amount
--     +1 wei, a sibling's sum, two siblings swapped, another snapshot's
--     root) do not;
--   * trust: a pinned app session gets its own proof only (42501 for
--     another's), an unpinned app session none, a trusted backend any;
--     the app role reads liability_roots but not the trees, salts, nodes
--     or secrets; not even xphere_admin reads the secrets; an app role
--     cannot take a snapshot; an admin role pinned to a non-admin user
--     cannot either; each refusal changes nothing;
--   * bad input: NULLs 22004; unknown user, system user, unknown snapshot,
--     a user registered after the snapshot P0002; each changes nothing; a
--     deactivated user's proof is given (the money is still owed);
--   * corrupt data (a user balance below zero; balances whose sum exceeds
--     a wad) stops a snapshot (XX001, 22003) and writes nothing;
--   * a second snapshot of the same balances has other salts and another
--     root; prune_liability_snapshot() drops salts, nodes and secret,
--     keeps the published root, and proofs of it are XP006; pruning
--     again is a no-op; taking and pruning are audited;
--   * without xphere.clock, a snapshot is valued at the wall-clock time its
--     build starts, not at the start of its transaction;
--   * check_invariants() is empty at the end.
--
-- Hand numbers.  T0 = 2027-01-01 00:00 UTC, T1 = T0 + 12 h.
--   alice at T0: deposits 1000 USDT and 500 XP, buys p1 (100 USDT; 1.2 XP
--     a day), stakes 100 XP in explorer (5 % a year), supplies 50 XP to
--     lp-xp, asks to withdraw 50 USDT (fee 1: 51 locked).
--     At T1: XP available 500 - 100 - 50 = 350, supplied 50 (nobody
--     borrowed before T1: liquidity index 1), staked 100, mining
--     1.2 x 12 / 24 = 0.6; staking: the index grew
--     floor(0.05e27 x 43 200e6 / 31 536e12) = 68493150684931506849315
--     (ray), rewards floor(100e18 x 68493150684931506849315 / 1e27) wei
--     = 0.006849315068493150 XP; XP total 500.606849315068493150.
--     USDT available 1000 - 100 - 51 = 849, locked 51: 900.
--   bob at T0 deposits 1000 USDT; at T1 borrows 20 XP against 1000 USDT:
--     XP available 20 (the debt is not netted); USDT locked 1000.
--   carol holds nothing: 0 and 0.
--   dave deposits 300 USDT at T0 and is deactivated: USDT 300, still owed.
--   Totals: XP 520.606849315068493150 (available 370, locked 0, supplied
--   50, staked 100, staking 0.006849315068493150, mining 0.6); USDT 2200
--   (available 1149, locked 1051).  Four users: depth ceil(log2 4) = 2.
--
\ir ../lib/preamble.sql
\ir ../lib/helpers.sql

SELECT plan(92);

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';
SET LOCAL TimeZone = 'UTC';
SET LOCAL search_path = public, xphere;

CREATE ROLE xp_pl_ops LOGIN;
GRANT xphere_admin TO xp_pl_ops;
CREATE ROLE xp_pl_backend LOGIN;
GRANT xphere_backend TO xp_pl_backend;
CREATE ROLE xp_pl_user LOGIN;
GRANT xphere_app TO xp_pl_user;

/*
 * An independent verifier, on PostgreSQL's sha256(): true when the proof
 * is valid against the published record, false otherwise.
 */
CREATE FUNCTION pg_temp.u128(v numeric) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	b bytea := '\x00000000000000000000000000000000';
BEGIN
	IF v < 0 OR v >= 2::numeric ^ 127 OR v <> trunc(v) THEN
		RAISE EXCEPTION 'not an amount: %', v;
	END IF;
	FOR i IN REVERSE 15..0 LOOP
		b := set_byte(b, i, (v % 256)::integer);
		v := trunc(v / 256);
	END LOOP;
	RETURN b;
END $$;
CREATE FUNCTION pg_temp.leaf_hash(salt bytea, user_id uuid, cur text, amount numeric) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
	SELECT sha256('\x00'::bytea || salt || uuid_send(user_id)
		|| convert_to(cur, 'SQL_ASCII') || substring('\x0000000000000000'::bytea FROM 1 FOR 8 - length(cur))
		|| pg_temp.u128(amount))
$$;
CREATE FUNCTION pg_temp.verify(p jsonb, r jsonb) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	h bytea;
	s numeric := (p->'leaf'->>'amount')::numeric;
	i bigint := (p->'leaf'->>'index')::bigint;
	e jsonb;
	n integer := (r->>'leaf_count')::integer;
BEGIN
	IF s NOT BETWEEN 0 AND 2::numeric ^ 127 - 1 OR p->>'format' <> 'xphere-liability-proof-v1' OR r->>'format' <> 'xphere-liability-root-v1'
	   OR p->'snapshot_id' <> r->'snapshot_id' OR p->>'currency' <> r->>'currency'
	   OR p->'leaf_count' <> r->'leaf_count' OR i < 0 OR i >= n
	   OR jsonb_array_length(p->'path') <> ceil(log(2, n::numeric)) THEN
		RETURN false;
	END IF;
	h := pg_temp.leaf_hash(decode(p->'leaf'->>'salt', 'hex'), (p->>'user_id')::uuid, p->>'currency', s);
	IF encode(h, 'hex') <> p->'leaf'->>'hash' THEN
		RETURN false;
	END IF;
	FOR e IN SELECT x FROM jsonb_array_elements(p->'path') x LOOP
		IF (e->>'sum')::numeric NOT BETWEEN 0 AND 2::numeric ^ 127 - 1 THEN
			RETURN false;
		END IF;
		IF i % 2 = 0 THEN
			h := sha256('\x01'::bytea || h || pg_temp.u128(s) || decode(e->>'hash', 'hex')
				|| pg_temp.u128((e->>'sum')::numeric));
		ELSE
			h := sha256('\x01'::bytea || decode(e->>'hash', 'hex') || pg_temp.u128((e->>'sum')::numeric)
				|| h || pg_temp.u128(s));
		END IF;
		s := s + (e->>'sum')::numeric;
		IF s >= 2::numeric ^ 127 THEN
			RETURN false;
		END IF;
		i := i / 2;
	END LOOP;
	RETURN encode(h, 'hex') = r->>'root' AND s = (r->>'total')::numeric;
END $$;

-- ===================================================================
-- No snapshot yet; a snapshot of nobody
-- ===================================================================

SELECT * FROM pg_temp.fails($$SELECT xphere.liability_root('XP')$$, 'P0002',
	'liability_root() before any snapshot');
SELECT is((SELECT string_agg(format('%s %s %s %s', currency, root, total, leaf_count), '; ' ORDER BY currency)
		   FROM xphere.take_liability_snapshot()),
		  'XP ' || repeat('0', 64) || ' 0 0; USDT ' || repeat('0', 64) || ' 0 0',
		  'a snapshot of no users publishes the empty node, total 0, no leaves, per currency');
SELECT id AS s_empty FROM xphere.liability_snapshots \gset

SELECT pg_temp.register_users(ARRAY['alice', 'bob', 'carol', 'dave']);
SELECT pg_temp.r('alice') AS alice, pg_temp.r('bob') AS bob, pg_temp.r('carol') AS carol,
	pg_temp.r('dave') AS dave \gset
SELECT * FROM pg_temp.fails(format('SELECT xphere.liability_proof(%L, ''XP'', %s)', :'alice', :s_empty),
	'P0002', 'a proof for a user registered after the snapshot');

-- ===================================================================
-- The platform at T1
-- ===================================================================

SELECT xphere.deposit(:'alice', 'USDT', 1000, pg_temp.txh('a-usdt')) \g /dev/null
SELECT xphere.deposit(:'alice', 'XP', 500, pg_temp.txh('a-xp')) \g /dev/null
SELECT xphere.deposit(:'bob', 'USDT', 1000, pg_temp.txh('b-usdt')) \g /dev/null
SELECT xphere.deposit(:'dave', 'USDT', 300, pg_temp.txh('d-usdt')) \g /dev/null
SELECT xphere.purchase_machine(:'alice', 'p1') \g /dev/null
SELECT xphere.stake(:'alice', 100, 'explorer') \g /dev/null
SELECT xphere.supply(:'alice', 'lp-xp', 50) \g /dev/null
SELECT xphere.request_withdrawal(:'alice', 'USDT', 50, '0x' || repeat('ab', 20)) \g /dev/null
SELECT xphere.deactivate_user(:'dave') \g /dev/null
SET LOCAL xphere.clock = '2027-01-01 12:00:00+00';
SELECT xphere.set_price('XP', 1) \g /dev/null
SELECT xphere.borrow(:'bob', 'lp-xp', 20, 'USDT', 1000) \g /dev/null

SELECT is((SELECT string_agg(format('%s %s: %s %s %s %s %s %s = %s', pg_temp.who(l.user_id), l.currency,
				l.available, l.locked, l.supplied, l.staked, l.staking_rewards, l.mining_rewards, l.amount),
			'; ' ORDER BY pg_temp.who(l.user_id), l.currency)
		   FROM xphere_internal.liabilities_at(xphere.now()) l),
		  'alice XP: 350 0 50 100 0.00684931506849315 0.6 = 500.60684931506849315; '
		  'alice USDT: 849 51 0 0 0 0 = 900; '
		  'bob XP: 20 0 0 0 0 0 = 20; bob USDT: 0 1000 0 0 0 0 = 1000; '
		  'carol XP: 0 0 0 0 0 0 = 0; carol USDT: 0 0 0 0 0 0 = 0; '
		  'dave XP: 0 0 0 0 0 0 = 0; dave USDT: 300 0 0 0 0 0 = 300',
		  'liabilities_at(T1): each part of each user''s liability, by hand; no system user');

SELECT pg_temp.snapshot(ARRAY['liability_snapshots', 'liability_trees', 'liability_secrets',
	'liability_salts', 'liability_nodes', 'audit_log']) AS before_snap \gset
SELECT is((SELECT string_agg(format('%s %s %s', currency, total, leaf_count), '; ' ORDER BY currency)
		   FROM xphere.take_liability_snapshot()),
		  'XP 520.60684931506849315 4; USDT 2200 4',
		  'take_liability_snapshot() returns the totals and leaf counts by hand');
SELECT max(snapshot_id) AS s1 FROM xphere.liability_trees \gset
SELECT is(pg_temp.snapshot(ARRAY['liability_snapshots', 'liability_trees', 'liability_secrets',
	'liability_salts', 'liability_nodes', 'audit_log']), :'before_snap',
		  'a snapshot changes no table but its own and the audit log');
SELECT is((SELECT string_agg(format('%s %s %s %s %s %s %s %s %s', currency, depth, available, locked, supplied,
				staked, staking_rewards, mining_rewards, leaf_count), '; ' ORDER BY currency)
		   FROM xphere.liability_trees WHERE snapshot_id = :s1),
		  'XP 2 370 0 50 100 0.00684931506849315 0.6 4; USDT 2 1149 1051 0 0 0 0 4',
		  'each tree keeps its depth (ceil(log2 4) = 2) and the total of each part');
SELECT is((SELECT format('%s %s %s', leaf_count, taken_at, pruned_at IS NULL)
		   FROM xphere.liability_snapshots WHERE id = :s1),
		  '4 2027-01-01 12:00:00+00 t', 'the snapshot is valued at the extension''s clock, with 4 leaves');

-- the money equation: what is owed = custody - house - system accounts + what the accounts do not hold
SELECT is((SELECT string_agg(format('%s %s', t.currency,
				t.total = h.custody - h.house_available - h.house_locked - h.system_held
					+ t.staked + t.supplied + t.staking_rewards + t.mining_rewards), '; ' ORDER BY t.currency)
		   FROM xphere.liability_trees t JOIN xphere.house_exposure h USING (currency)
		   WHERE t.snapshot_id = :s1),
		  'XP t; USDT t',
		  'each total = custody - house - system accounts + staked + supplied + rewards owed (house_exposure)');
SELECT is((SELECT t.mining_rewards FROM xphere.liability_trees t WHERE t.snapshot_id = :s1 AND t.currency = 'XP'),
		  (SELECT mining_owed FROM xphere.house_exposure WHERE currency = 'XP'),
		  'the mining rewards owed are house_exposure''s mining_owed');
SELECT is((SELECT available + locked FROM xphere.liability_trees WHERE snapshot_id = :s1 AND currency = 'USDT'),
		  (SELECT users_held FROM xphere.house_exposure WHERE currency = 'USDT'),
		  'available + locked is what house_exposure says the users hold');

-- salts, order, leaves
CREATE TEMP TABLE leaf AS
	SELECT u.name, u.v::uuid AS user_id, sha256(x.secret || uuid_send(u.v::uuid)) AS salt
	FROM results u, xphere.liability_secrets x
	WHERE x.snapshot_id = :s1 AND u.name IN ('alice', 'bob', 'carol', 'dave');
SELECT is((SELECT string_agg(encode(salt, 'hex'), '' ORDER BY salt) FROM leaf),
		  (SELECT string_agg(encode(salts, 'hex'), '' ORDER BY chunk) FROM xphere.liability_salts
		   WHERE snapshot_id = :s1),
		  'the stored salts are SHA-256(secret || user id) of the four users, in ascending order');
SELECT is((SELECT string_agg(format('%s %s', l.name, (xphere.liability_proof(l.user_id, 'XP', :s1)->'leaf'->>'index')),
			' ' ORDER BY l.salt) FROM leaf l),
		  (SELECT string_agg(format('%s %s', q.name, q.rank), ' ' ORDER BY q.salt)
		   FROM (SELECT l.name, l.salt, row_number() OVER (ORDER BY l.salt) - 1 AS rank FROM leaf l) q),
		  'each user''s leaf index is the rank of their salt');
SELECT is((SELECT encode(substring(n.nodes FROM 1 FOR 32), 'hex') FROM xphere.liability_nodes n
		   WHERE n.snapshot_id = :s1 AND n.currency = 'XP' AND n.level = 0),
		  (SELECT encode(pg_temp.leaf_hash(l.salt, l.user_id, 'XP', CASE l.name
				WHEN 'alice' THEN 500606849315068493150 WHEN 'bob' THEN 20000000000000000000 ELSE 0 END), 'hex')
		   FROM leaf l ORDER BY l.salt LIMIT 1),
		  'leaf 0 of the XP tree is SHA-256(0x00 || salt || user id || "XP" padded || amount) of the first salt');

-- every proof verifies, with the hand amounts
SELECT is((SELECT string_agg(format('%s %s %s %s', l.name, c.c, p->'leaf'->>'amount',
				pg_temp.verify(p, xphere.liability_root(c.c, :s1))), '; ' ORDER BY l.name, c.c)
		   FROM leaf l CROSS JOIN unnest(enum_range(NULL::xphere.currency)) c(c)
		   CROSS JOIN LATERAL (SELECT xphere.liability_proof(l.user_id, c.c, :s1) AS p) x
		  ),
		  'alice XP 500606849315068493150 t; alice USDT 900000000000000000000 t; '
		  'bob XP 20000000000000000000 t; bob USDT 1000000000000000000000 t; '
		  'carol XP 0 t; carol USDT 0 t; dave XP 0 t; dave USDT 300000000000000000000 t',
		  'every user''s proof in both currencies verifies, amounts in wei by hand');
SELECT is(xphere.liability_root('XP', :s1) - 'root',
		  jsonb_build_object('format', 'xphere-liability-root-v1', 'snapshot_id', :s1,
			'taken_at', '2027-01-01T12:00:00.000000Z', 'currency', 'XP', 'leaf_count', 4,
			'total', '520606849315068493150'),
		  'liability_root(): format, snapshot, time in UTC, currency, leaf count, total in wei');
SELECT is(xphere.liability_root('USDT'), xphere.liability_root('USDT', :s1),
		  'liability_root() without a snapshot id is the latest');
SELECT is((SELECT root FROM xphere.liability_roots WHERE snapshot_id = :s1 AND currency = 'XP'),
		  xphere.liability_root('XP', :s1)->>'root', 'the view liability_roots shows the same root');
SELECT xphere.liability_proof(:'alice', 'XP', :s1) AS pa \gset
SELECT xphere.liability_root('XP', :s1) AS ra \gset
SELECT is(pg_temp.verify(jsonb_set(:'pa', '{leaf,amount}', to_jsonb(((:'pa'::jsonb->'leaf'->>'amount')::numeric + 1)::text)),
		  :'ra'), false, 'a proof whose amount is one wei more does not verify');
SELECT is(pg_temp.verify(jsonb_set(:'pa', '{path,1,sum}', to_jsonb(((:'pa'::jsonb->'path'->1->>'sum')::numeric - 1)::text)),
		  :'ra'), false, 'a proof whose sibling sum is one wei less does not verify');
SELECT is(pg_temp.verify(jsonb_set(jsonb_set(:'pa', '{path,0}', :'pa'::jsonb->'path'->1), '{path,1}',
			:'pa'::jsonb->'path'->0), :'ra'), false, 'a proof with its two siblings swapped does not verify');
SELECT is(pg_temp.verify(:'pa', jsonb_set(:'ra', '{total}', '"520606849315068493149"')), false,
		  'a proof checked against a total one wei less does not verify');

-- ===================================================================
-- Trust
-- ===================================================================

SELECT set_config('xphere.user_id', :'bob', true);
SET LOCAL ROLE xp_pl_user;
SELECT is(xphere.liability_proof(:'bob', 'USDT')->'leaf'->>'amount', '1000000000000000000000',
		  'an app session pinned to bob gets bob''s proof');
SELECT is((SELECT count(*) FROM xphere.liability_roots WHERE snapshot_id = :s1), 2::bigint,
		  'an app session reads the published roots');
RESET ROLE;
SELECT * FROM pg_temp.fails(format($$SET LOCAL ROLE xp_pl_user; SELECT xphere.liability_proof(%L, 'USDT')$$, :'alice'),
	'42501', 'an app session pinned to bob asks for alice''s proof');
RESET ROLE;
RESET xphere.user_id;
SELECT * FROM pg_temp.fails(format($$SET LOCAL ROLE xp_pl_user; SELECT xphere.liability_proof(%L, 'USDT')$$, :'alice'),
	'42501', 'an unpinned app session asks for a proof');
RESET ROLE;
SET LOCAL ROLE xp_pl_backend;
SELECT is(xphere.liability_proof(:'alice', 'XP')->'leaf'->>'amount', '500606849315068493150',
		  'a trusted backend gets any user''s proof');
RESET ROLE;
SELECT * FROM pg_temp.fails($$SET LOCAL ROLE xp_pl_user; SELECT count(*) FROM xphere.liability_trees$$,
	'42501', 'the app role reads the trees table');
RESET ROLE;
SELECT * FROM pg_temp.fails($$SET LOCAL ROLE xp_pl_user; SELECT count(*) FROM xphere.liability_nodes$$,
	'42501', 'the app role reads the nodes');
RESET ROLE;
SELECT * FROM pg_temp.fails($$SET LOCAL ROLE xp_pl_user; SELECT count(*) FROM xphere.liability_salts$$,
	'42501', 'the app role reads the salts');
RESET ROLE;
SELECT * FROM pg_temp.fails($$SET LOCAL ROLE xp_pl_ops; SELECT count(*) FROM xphere.liability_secrets$$,
	'42501', 'an admin role reads the secrets');
RESET ROLE;
SELECT * FROM pg_temp.fails($$SET LOCAL ROLE xp_pl_backend; SELECT * FROM xphere.take_liability_snapshot()$$,
	'42501', 'a backend role takes a snapshot');
RESET ROLE;
SELECT * FROM pg_temp.fails(format($$SET LOCAL ROLE xp_pl_ops; SELECT set_config('xphere.user_id', %L, true);
	SELECT * FROM xphere.take_liability_snapshot()$$, :'bob'),
	'42501', 'an admin role pinned to bob, who is no admin, takes a snapshot');
RESET ROLE;
RESET xphere.user_id;
SET LOCAL ROLE xp_pl_ops;
SELECT is((SELECT count(*) FROM xphere.liability_trees WHERE snapshot_id = :s1), 2::bigint,
		  'an admin role reads the trees with their parts');
RESET ROLE;

-- ===================================================================
-- Bad input
-- ===================================================================

SELECT * FROM pg_temp.fails($$SELECT xphere.liability_proof(NULL, 'XP')$$, '22004', 'liability_proof with no user');
SELECT * FROM pg_temp.fails(format('SELECT xphere.liability_proof(%L, NULL)', :'alice'), '22004',
	'liability_proof with no currency');
SELECT * FROM pg_temp.fails(format('SELECT xphere.liability_proof(%L, %L)', gen_random_uuid(), 'XP'), 'P0002',
	'liability_proof for an unknown user');
SELECT * FROM pg_temp.fails(format('SELECT xphere.liability_proof(%L, %L)', xphere_internal.house_id(), 'XP'), 'P0002',
	'liability_proof for the house, a system user');
SELECT * FROM pg_temp.fails(format('SELECT xphere.liability_proof(%L, %L, 999999)', :'alice', 'XP'), 'P0002',
	'liability_proof of an unknown snapshot');
SELECT is((SELECT format('%s %s', p->'leaf'->>'amount', pg_temp.verify(p, xphere.liability_root('USDT', :s1)))
		   FROM (SELECT xphere.liability_proof(:'dave', 'USDT', :s1) AS p) x),
		  '300000000000000000000 t', 'a deactivated user''s proof is given (300 USDT, still owed) and verifies');
SELECT * FROM pg_temp.fails($$SELECT xphere.liability_root(NULL)$$, '22004', 'liability_root with no currency');
SELECT * FROM pg_temp.fails($$SELECT xphere.liability_root('XP', 999999)$$, 'P0002', 'liability_root of an unknown snapshot');
SELECT * FROM pg_temp.fails($$SELECT xphere.liability_proof('00000000-0000-0000-0000-00000000000x', 'XP')$$, '22P02',
	'liability_proof with a malformed user id');
SELECT * FROM pg_temp.fails(format($$SELECT xphere.liability_proof(%L, 'EUR')$$, :'alice'), '22P02',
	'liability_proof in an unknown currency');
SELECT * FROM pg_temp.fails($$SELECT xphere.prune_liability_snapshot(NULL)$$, '22004', 'prune_liability_snapshot(NULL)');
SELECT * FROM pg_temp.fails($$SELECT xphere.prune_liability_snapshot(999999)$$, 'P0002',
	'prune_liability_snapshot of an unknown snapshot');

-- corrupt data stops a snapshot before it writes anything
CREATE FUNCTION pg_temp.snapshot_with(p_sql text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE p_sql;
	PERFORM * FROM xphere.take_liability_snapshot();
END $$;
SELECT * FROM pg_temp.fails(format($$SELECT pg_temp.snapshot_with(
	'UPDATE xphere.accounts SET allow_negative = true, available = -1 WHERE user_id = ''%s'' AND currency = ''XP''')$$,
	:'bob'), 'XX001', 'a snapshot over a user balance below zero (corrupt data)');
SELECT * FROM pg_temp.fails(format($$SELECT pg_temp.snapshot_with(
	'UPDATE xphere.accounts SET available = ''100000000000000000000'' WHERE user_id IN (''%s'', ''%s'') AND currency = ''USDT''')$$,
	:'alice', :'dave'), '22003', 'a snapshot whose total exceeds a wad (2 x 1e20)');

-- ===================================================================
-- A second snapshot; pruning
-- ===================================================================

SELECT count(*) FROM xphere.take_liability_snapshot() \g /dev/null
SELECT max(id) AS s2 FROM xphere.liability_snapshots \gset
SELECT isnt((SELECT root FROM xphere.liability_roots WHERE snapshot_id = :s2 AND currency = 'XP'),
			(SELECT root FROM xphere.liability_roots WHERE snapshot_id = :s1 AND currency = 'XP'),
			'a second snapshot of the same balances has another root (another secret, other salts)');
SELECT is((SELECT total FROM xphere.liability_roots WHERE snapshot_id = :s2 AND currency = 'XP'),
		  '520.60684931506849315'::xphere.wad, 'and the same total');
SELECT is(pg_temp.verify(:'pa', xphere.liability_root('XP', :s2)), false,
		  'a proof of the first snapshot does not verify against the second one''s root');
SELECT is(pg_temp.verify(xphere.liability_proof(:'alice', 'XP'), xphere.liability_root('XP', :s2)), true,
		  'alice''s proof of the second snapshot does');

SELECT lives_ok(format('SELECT xphere.prune_liability_snapshot(%s)', :s1), 'the first snapshot is pruned');
SELECT is((SELECT format('%s %s %s', (SELECT count(*) FROM xphere.liability_salts WHERE snapshot_id = :s1),
			(SELECT count(*) FROM xphere.liability_nodes WHERE snapshot_id = :s1),
			(SELECT count(*) FROM xphere.liability_secrets WHERE snapshot_id = :s1))),
		  '0 0 0', 'pruning drops its salts, nodes and secret');
SELECT is(xphere.liability_root('XP', :s1), :'ra', 'its published root stays');
SELECT is((SELECT proofs_available FROM xphere.liability_roots WHERE snapshot_id = :s1 AND currency = 'XP'), false,
		  'liability_roots says its proofs are gone');
SELECT * FROM pg_temp.fails(format('SELECT xphere.liability_proof(%L, %L, %s)', :'alice', 'XP', :s1), 'XP006',
	'a proof of a pruned snapshot');
SELECT is((SELECT count(*) FROM xphere.liability_nodes WHERE snapshot_id = :s2) > 0, true,
		  'the second snapshot keeps its nodes');
SELECT pg_temp.snapshot() AS before_prune \gset
SELECT lives_ok(format('SELECT xphere.prune_liability_snapshot(%s)', :s1), 'pruning again succeeds');
SELECT is(pg_temp.snapshot(), :'before_prune', 'and changes nothing, not even the audit log');
SELECT is((SELECT string_agg(action || ' ' || object_id, '; ' ORDER BY id) FROM xphere.audit_log
		   WHERE object_type = 'liability_snapshot'),
		  format('take_liability_snapshot %s; take_liability_snapshot %s; take_liability_snapshot %s; prune_liability_snapshot %s',
			:s_empty, :s1, :s2, :s1),
		  'taking and pruning are audited');
SELECT is((SELECT new_value->1->>'root' FROM xphere.audit_log
		   WHERE action = 'take_liability_snapshot' AND object_id = :s1::text),
		  (SELECT root FROM xphere.liability_roots WHERE snapshot_id = :s1 AND currency = 'USDT'),
		  'the audit row of a snapshot holds the published records');

-- without xphere.clock, the instant is the wall clock when the build starts, not the transaction's start
RESET xphere.clock;
SELECT pg_sleep(0.2);
SELECT max(snapshot_id) AS s_real FROM xphere.take_liability_snapshot() \gset
SELECT is((SELECT taken_at >= now() + interval '0.2 s' AND taken_at <= clock_timestamp()
		   FROM xphere.liability_snapshots WHERE id = :s_real),
		  true, 'on the real clock a snapshot is valued at the wall-clock time of its build, not at the transaction''s start');
SET LOCAL xphere.clock = '2027-01-01 12:00:00+00';

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'check_invariants() is empty at the end');

SELECT * FROM finish();
ROLLBACK;

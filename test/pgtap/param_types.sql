--
-- test/pgtap/param_types.sql: pgTAP tests that every API function accepts its
-- parameters bound with the types drivers send, with the same outcome.
--
-- What this file ensures:
--   * the API functions are read from the catalog (EXECUTE granted to
--     xphere_app or xphere_admin, not type support as in test/scripts/grants.sh,
--     not one of the text overloads), so a function added later is covered:
--     every one that is not IMMUTABLE needs representative calls in the
--     table "calls" below (an assertion fails otherwise), the IMMUTABLE
--     math gets a call made from its parameter types;
--   * each call, PREPAREd with its canonical parameter types (uuid,
--     xphere.currency, xphere.wad, jsonb, ...) and EXECUTEd, ends with the
--     SQLSTATE worked out for it ("want", 00000 for success);
--   * the same call PREPAREd with the types drivers bind (psycopg: numeric
--     and text, or numeric, uuid and text; JDBC: numeric and varchar; all
--     text; all varchar; bigint amounts when integral; node-postgres:
--     no types, i.e. unknown; for two ids, one uuid and one varchar each
--     way) and EXECUTEd with the same values gives the same outcome: the
--     same result, or the same SQLSTATE and message, and the same contents
--     of every table of schema xphere afterwards (ids and tokens the call
--     creates at random and identity columns aside);
--     (take_liability_snapshot() is left out: no parameter, and a new
--     random secret each call);
--   * the text overloads have their original's ACL and comment, and each
--     original with k parameters of type uuid, jsonb or interval has
--     2^k - 1 of them;
--   * the implicit casts from text and varchar reach every enum of the
--     extension.
-- Each call runs in a subtransaction that is rolled back, so every call
-- sees the same fixture.
--
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

\ir ../lib/helpers.sql
\set type_support_schema pg_temp
\ir ../lib/type_support.sql

-- ===================================================================
-- Fixture: alice supplies and stakes, bob borrows, carol has nothing
-- ===================================================================

INSERT INTO results
SELECT n, xphere.register_user(n || '@example.com', 'password-' || n, initcap(n))::text
FROM unnest(ARRAY['alice', 'bob', 'carol']) n;
SELECT xphere.deposit(pg_temp.id(u), c::xphere.currency, 10000, pg_temp.txh(u || c))
FROM unnest(ARRAY['alice', 'bob']) u, unnest(ARRAY['XP', 'USDT']) c \g /dev/null
SELECT xphere.set_price('XP', 2) \g /dev/null
SELECT xphere.supply(pg_temp.id('alice'), 'lp-xp', 5000) \g /dev/null
INSERT INTO results VALUES
	('pos', xphere.borrow(pg_temp.id('bob'), 'lp-xp', 100, 'USDT', 1000)::text),
	('machine', xphere.purchase_machine(pg_temp.id('alice'), 'p1')::text),
	('stake', xphere.stake(pg_temp.id('alice'), 500, 'explorer')::text),
	('wd', xphere.request_withdrawal(pg_temp.id('alice'), 'XP', 10,
		'0xabababababababababababababababababababab')::text),
	('token', xphere.issue_refresh_token(pg_temp.id('alice')));
INSERT INTO results SELECT 'snapshot', max(snapshot_id)::text FROM xphere.take_liability_snapshot();

-- ===================================================================
-- Comparing outcomes
-- ===================================================================

-- every uuid the fixture made: kept as is by norm(); others are new
CREATE TEMP TABLE known_ids (id text PRIMARY KEY);
DO $$
DECLARE
	t regclass;
BEGIN
	FOR t IN SELECT c.oid FROM pg_class c WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind = 'r' LOOP
		EXECUTE format($q$INSERT INTO known_ids SELECT DISTINCT m[1] FROM %s x,
			regexp_matches(x::text, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', 'g') m
			ON CONFLICT DO NOTHING$q$, t);
	END LOOP;
END $$;

-- a text with the ids a call created at random as U and random tokens and
-- password hashes (runs of 40 or more token characters with a letter) as T
CREATE FUNCTION pg_temp.norm(p text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text := p;
	m text;
BEGIN
	FOR m IN SELECT DISTINCT x[1] FROM regexp_matches(p,
			 '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', 'g') x
			 WHERE x[1] NOT IN (SELECT id FROM known_ids)
	LOOP
		r := replace(r, m, 'U');
	END LOOP;
	RETURN regexp_replace(r, '(?=[A-Za-z0-9+/_=$.\\-]{40})[A-Za-z0-9+/_=$.\\-]*[A-Za-z][A-Za-z0-9+/_=$.\\-]*', 'T', 'g');
END $$;

-- every table of schema xphere, rows normalised and sorted, identity and
-- sequence-numbered columns left out (nextval is not rolled back), and the
-- wall-clock columns of tick_history
CREATE FUNCTION pg_temp.state() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t record;
	h text;
	acc text[] := '{}';
BEGIN
	FOR t IN
		SELECT c.oid::regclass AS rel, c.relname,
			   string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS cols
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
		WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p')
		  AND a.attidentity = '' AND coalesce(pg_get_expr(d.adbin, d.adrelid), '') NOT LIKE 'nextval(%'
		  -- (the wall-clock time a tick took differs from call to call)
		  AND NOT (c.relname = 'tick_history' AND a.attname IN ('ended_at', 'duration'))
		GROUP BY c.oid, c.relname
		ORDER BY c.relname
	LOOP
		EXECUTE format('SELECT count(*) || '':'' || coalesce(md5(string_agg(n, E''\n'' ORDER BY n)), ''empty'')
						FROM (SELECT pg_temp.norm(ROW(%s)::text) AS n FROM %s) x', t.cols, t.rel) INTO h;
		acc := acc || (t.relname || '=' || h);
	END LOOP;
	RETURN array_to_string(acc, E'\n');
END $$;

-- the outcome of PREPARE pt_call(p_types) AS SELECT f($1, ...) and EXECUTE
-- pt_call(p_vals) (no types: unknown, as node-postgres sends): 'ok',
-- the result and the tables, or the SQLSTATE and message; rolled back
CREATE FUNCTION pg_temp.outcome(p_fn regprocedure, p_types text[], p_vals text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	f pg_proc;
	params text;
	res text;
	snap text;
	err text;
BEGIN
	SELECT * INTO f FROM pg_proc WHERE oid = p_fn;
	params := (SELECT string_agg('$' || i, ', ' ORDER BY i) FROM generate_series(1, f.pronargs) i);
	BEGIN
		EXECUTE format('PREPARE pt_call%s AS %s',
			CASE WHEN p_types IS NULL OR f.pronargs = 0 THEN '' ELSE '(' || array_to_string(p_types, ', ') || ')' END,
			CASE WHEN f.proretset
				 THEN format('SELECT coalesce(string_agg(x::text, '' | '' ORDER BY x::text), ''(no rows)'') FROM xphere.%I(%s) x',
							 f.proname, params)
				 ELSE format('SELECT xphere.%I(%s)::text', f.proname, params) END);
		EXECUTE 'EXECUTE pt_call' || CASE WHEN f.pronargs = 0 THEN '' ELSE
			'(' || (SELECT string_agg(quote_nullable(v), ', ' ORDER BY i)
					FROM unnest(p_vals) WITH ORDINALITY u(v, i)) || ')' END
			INTO res;
		snap := pg_temp.state();
		RAISE SQLSTATE 'PT000';
	EXCEPTION
		WHEN SQLSTATE 'PT000' THEN NULL;
		WHEN OTHERS THEN err := SQLSTATE || ' ' || SQLERRM;
	END;
	IF EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = 'pt_call') THEN
		DEALLOCATE pt_call;		-- (PREPARE is not rolled back)
	END IF;
	RETURN coalesce(err, 'ok ' || coalesce(pg_temp.norm(res), 'NULL') || E'\n' || snap);
END $$;

-- the type a driver binds a parameter of type p as, in style p_style
CREATE FUNCTION pg_temp.bound(p regtype, p_style text) RETURNS text LANGUAGE sql AS $$
	SELECT CASE
		WHEN p = 'xphere.wad'::regtype THEN
			CASE p_style WHEN 'text' THEN 'text' WHEN 'varchar' THEN 'varchar' WHEN 'int' THEN 'bigint'
						 ELSE 'numeric' END
		WHEN p = 'uuid'::regtype AND p_style = 'psycopg' THEN 'uuid'
		WHEN p IN ('uuid'::regtype, 'jsonb'::regtype, 'interval'::regtype, 'text'::regtype)
			 OR EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = p AND t.typtype = 'e') THEN
			CASE WHEN p_style IN ('text', 'psycopg', 'psycopg_str') THEN 'text' ELSE 'varchar' END
		ELSE format_type(p, NULL)		-- ray, integers: bound as they are
	END
$$;

-- ===================================================================
-- The API functions and their representative calls
-- ===================================================================

CREATE TEMP TABLE api AS
SELECT p.oid::regprocedure AS fn, p.provolatile = 'i' AS math
FROM pg_proc p
WHERE p.pronamespace = 'xphere'::regnamespace
  AND p.oid NOT IN (SELECT pg_temp.type_support())
  -- no parameter a driver could bind, and it reads what the background
  -- worker changes in shared memory between two calls
  AND p.oid <> 'xphere.worker_status_internal()'::regprocedure
  -- no parameter either, and each call draws a new random secret: its
  -- roots differ from call to call by design (test/pgtap/liabilities.sql)
  AND p.oid <> 'xphere.take_liability_snapshot()'::regprocedure
  AND (has_function_privilege('xphere_app', p.oid, 'EXECUTE')
	   OR has_function_privilege('xphere_admin', p.oid, 'EXECUTE'))
  -- not an overload: those call the function of their name (pg_depend)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_proc o ON o.oid = d.refobjid
				  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
					AND d.refclassid = 'pg_proc'::regclass AND o.proname = p.proname
					AND o.pronamespace = p.pronamespace);

CREATE TEMP TABLE calls (fn regprocedure, vals text[], want text, what text);
INSERT INTO calls VALUES
	('xphere.register_user(text,text,text,text)', ARRAY['dave@example.com', 'password-dave', 'Dave', NULL], '00000', 'registers'),
	('xphere.register_user(text,text,text,text)', ARRAY['not an email', 'password-dave', 'Dave', NULL], '22023', 'bad email'),
	('xphere.authenticate(text,text)', ARRAY['alice@example.com', 'password-alice'], '00000', 'right pair'),
	('xphere.authenticate(text,text)', ARRAY['alice@example.com', 'password-bob'], '28P01', 'wrong pair'),
	('xphere.issue_refresh_token(uuid,interval)', ARRAY[pg_temp.r('alice'), '1 day'], '00000', 'a token'),
	('xphere.issue_refresh_token(uuid,interval)', ARRAY['not-a-uuid', '1 day'], '22P02', 'bad uuid'),
	('xphere.issue_refresh_token(uuid,interval)', ARRAY[pg_temp.r('alice'), 'soon'], '22007', 'bad interval'),
	('xphere.rotate_refresh_token(text)', ARRAY[pg_temp.r('token')], '00000', 'rotates'),
	('xphere.revoke_refresh_tokens(uuid)', ARRAY[pg_temp.r('alice')], '00000', 'revokes'),
	('xphere.revoke_refresh_tokens(uuid)', ARRAY[NULL], '22004', 'NULL user'),
	('xphere.set_email_verified(uuid,boolean)', ARRAY[pg_temp.r('alice'), 'true'], '00000', 'verifies'),
	('xphere.set_email_verified(uuid,boolean)', ARRAY['11111111-1111-1111-1111-111111111111', 'true'], 'P0002', 'unknown user'),
	('xphere.deactivate_user(uuid,boolean)', ARRAY[pg_temp.r('carol'), 'false'], '00000', 'deactivates'),
	('xphere.deactivate_user(uuid,boolean)', ARRAY[pg_temp.r('carol'), NULL], '22004', 'NULL anonymise'),
	('xphere.reactivate_user(uuid)', ARRAY[pg_temp.r('alice')], 'XP006', 'already active'),
	('xphere.deposit(uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('carol'), 'XP', '12.5', pg_temp.txh('p1')], '00000', '12.5 XP'),
	('xphere.deposit(uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('carol'), 'USDT', '1.0000000000000000005', pg_temp.txh('p2')], '00000', '19 decimals round half away from zero'),
	('xphere.deposit(uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('carol'), 'XP', '0.0000000000000000004', pg_temp.txh('p3')], '22023', '19 decimals round to 0'),
	('xphere.deposit(uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('carol'), 'XP', '170141183460469231732', pg_temp.txh('p4')], '22003', 'out of range'),
	('xphere.deposit(uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('carol'), 'EUR', '1', pg_temp.txh('p5')], '22P02', 'unknown currency'),
	('xphere.deposit(uuid,xphere.currency,xphere.wad,text)', ARRAY['carol', 'XP', '1', pg_temp.txh('p6')], '22P02', 'bad uuid'),
	('xphere.deposit(uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('carol'), 'XP', '-1', pg_temp.txh('p7')], '22023', 'negative amount'),
	('xphere.request_withdrawal(uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('alice'), 'XP', '10', '0xabababababababababababababababababababab'], '00000', 'withdraws'),
	('xphere.request_withdrawal(uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('carol'), 'XP', '10', '0xabababababababababababababababababababab'], 'XP001', 'no money'),
	('xphere.complete_withdrawal(uuid,text)', ARRAY[pg_temp.r('wd'), pg_temp.txh('wd')], '00000', 'completes'),
	('xphere.fail_withdrawal(uuid,text)', ARRAY[pg_temp.r('wd'), 'chain down'], '00000', 'fails'),
	('xphere.fail_withdrawal(uuid,text)', ARRAY[pg_temp.r('pos'), 'chain down'], 'P0002', 'not a transaction'),
	('xphere.transfer(uuid,uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('alice'), pg_temp.r('carol'), 'XP', '1.5', 'thanks'], '00000', 'alice to carol'),
	('xphere.transfer(uuid,uuid,xphere.currency,xphere.wad,text)', ARRAY[pg_temp.r('carol'), pg_temp.r('alice'), 'XP', '1.5', NULL], 'XP001', 'carol has nothing'),
	('xphere.balance(uuid,xphere.currency)', ARRAY[pg_temp.r('alice'), 'XP'], '00000', 'alice XP'),
	('xphere.balance(uuid,xphere.currency)', ARRAY[pg_temp.r('alice'), 'xp'], '22P02', 'labels are case-sensitive'),
	('xphere.swap(uuid,xphere.currency,xphere.wad)', ARRAY[pg_temp.r('alice'), 'XP', '10'], '00000', 'XP to USDT'),
	('xphere.purchase_machine(uuid,text,text)', ARRAY[pg_temp.r('bob'), 'p1', NULL], '00000', 'buys'),
	('xphere.purchase_machine(uuid,text,text)', ARRAY[pg_temp.r('bob'), 'p1', pg_temp.txh('buy')], '00000', 'buys, paid on chain'),
	('xphere.purchase_machine(uuid,text,text)', ARRAY[pg_temp.r('bob'), 'p0', NULL], '22023', 'unknown plan'),
	('xphere.purchase_machine(uuid,text,text)', ARRAY[pg_temp.r('bob'), 'p1', '0xbad'], '22023', 'bad tx_hash'),
	('xphere.set_machine_status(uuid,xphere.machine_status)', ARRAY[pg_temp.r('machine'), 'MAINTENANCE'], '00000', 'pauses'),
	('xphere.set_machine_status(uuid,xphere.machine_status)', ARRAY[pg_temp.r('machine'), 'BROKEN'], '22P02', 'unknown status'),
	('xphere.pending_mining_rewards(uuid)', ARRAY[pg_temp.r('alice')], '00000', 'pending'),
	('xphere.distribute_mining_rewards()', '{}', '00000', 'distributes'),
	('xphere.supply(uuid,text,xphere.wad)', ARRAY[pg_temp.r('bob'), 'lp-xp', '100.25'], '00000', 'supplies'),
	('xphere.withdraw_supply(uuid,text,xphere.wad)', ARRAY[pg_temp.r('alice'), 'lp-xp', '10'], '00000', 'part'),
	('xphere.withdraw_supply(uuid,text,xphere.wad)', ARRAY[pg_temp.r('alice'), 'lp-xp', NULL], 'XP002', 'all (NULL), more than the cash'),
	('xphere.supplied_balance(uuid,text)', ARRAY[pg_temp.r('alice'), 'lp-xp'], '00000', 'alice'),
	('xphere.portfolio(uuid)', ARRAY[pg_temp.r('alice')], '00000', 'alice'),
	('xphere.borrow(uuid,text,xphere.wad,xphere.currency,xphere.wad)', ARRAY[pg_temp.r('bob'), 'lp-xp', '10', 'USDT', '100'], '00000', 'borrows'),
	('xphere.borrow(uuid,text,xphere.wad,xphere.currency,xphere.wad)', ARRAY[pg_temp.r('bob'), 'lp-xp', '10', 'XP', '100'], '22023', 'collateral = pool asset'),
	('xphere.borrow(uuid,text,xphere.wad,xphere.currency,xphere.wad)', ARRAY[pg_temp.r('bob'), 'lp-xp', '1000', 'USDT', '100'], 'XP003', 'beyond the LTV'),
	('xphere.repay(uuid,uuid,xphere.wad)', ARRAY[pg_temp.r('bob'), pg_temp.r('pos'), '1'], '00000', 'part'),
	('xphere.repay(uuid,uuid,xphere.wad)', ARRAY[pg_temp.r('alice'), pg_temp.r('pos'), '1'], '42501', 'not the owner'),
	('xphere.add_collateral(uuid,uuid,xphere.wad)', ARRAY[pg_temp.r('bob'), pg_temp.r('pos'), '5'], '00000', 'adds'),
	('xphere.remove_collateral(uuid,uuid,xphere.wad)', ARRAY[pg_temp.r('bob'), pg_temp.r('pos'), '5'], '00000', 'removes'),
	('xphere.debt(uuid)', ARRAY[pg_temp.r('pos')], '00000', 'debt'),
	('xphere.position_health(uuid)', ARRAY[pg_temp.r('pos')], '00000', 'health'),
	('xphere.liquidate(uuid,uuid,xphere.wad)', ARRAY[pg_temp.r('alice'), pg_temp.r('pos'), NULL], 'XP004', 'healthy'),
	('xphere.liquidatable_positions(text)', ARRAY['lp-xp'], '00000', 'none'),
	('xphere.set_price(text,xphere.wad,text)', ARRAY['XP', '1.25', 'manual'], '00000', 'sets'),
	('xphere.stake(uuid,xphere.wad,text)', ARRAY[pg_temp.r('bob'), '100', 'explorer'], '00000', 'stakes'),
	('xphere.stake(uuid,xphere.wad,text)', ARRAY[pg_temp.r('bob'), '99.999999999999999999', 'explorer'], '22023', 'below the minimum'),
	('xphere.pending_staking_rewards(uuid)', ARRAY[pg_temp.r('stake')], '00000', 'pending'),
	('xphere.claim_staking_rewards(uuid,uuid)', ARRAY[pg_temp.r('alice'), pg_temp.r('stake')], '00000', 'claims'),
	('xphere.unstake(uuid,uuid)', ARRAY[pg_temp.r('alice'), pg_temp.r('stake')], '00000', 'unstakes'),
	('xphere.withdraw_stake(uuid,uuid)', ARRAY[pg_temp.r('alice'), pg_temp.r('stake')], 'XP006', 'still active'),
	('xphere.create_plan(text,jsonb)', ARRAY['p9', '{"name": "Titan", "machine_name": "T9", "price_usdt": "250", "hashrate": 300, "daily_return_xp": "4.2"}'], '00000', 'creates'),
	('xphere.create_plan(text,jsonb)', ARRAY['p9', '{"name": '], '22P02', 'bad json'),
	('xphere.update_plan(text,jsonb)', ARRAY['p1', '{"price_usdt": 120}'], '00000', 'updates'),
	('xphere.set_setting(text,text)', ARRAY['swap_fee_bps', '40'], '00000', 'sets'),
	('xphere.create_pool(text,text,jsonb)', ARRAY['lp-usdt', 'USDT', '{"ltv_ratio": "0.5"}'], '00000', 'creates'),
	('xphere.update_pool(text,jsonb)', ARRAY['lp-xp', '{"reserve_factor": "0.2"}'], '00000', 'updates'),
	('xphere.update_pool(text,jsonb)', ARRAY['lp-xp', '{"colour": "red"}'], '22023', 'unknown key'),
	('xphere.check_invariants()', '{}', '00000', 'healthy'),
	('xphere.checkpoint_staking_pools()', '{}', '00000', 'checkpoints'),
	('xphere.tick()', '{}', '00000', 'ticks'),
	('xphere.prune_events(interval)', ARRAY['1 day'], '00000', 'prunes'),
	('xphere.liability_root(xphere.currency,bigint)', ARRAY['XP', NULL], '00000', 'the latest'),
	('xphere.liability_root(xphere.currency,bigint)', ARRAY['USDT', '99'], 'P0002', 'unknown snapshot'),
	('xphere.liability_proof(uuid,xphere.currency,bigint)', ARRAY[pg_temp.r('alice'), 'USDT', pg_temp.r('snapshot')], '00000', 'alice'),
	('xphere.liability_proof(uuid,xphere.currency,bigint)', ARRAY['not-a-uuid', 'USDT', NULL], '22P02', 'bad uuid'),
	('xphere.prune_liability_snapshot(bigint)', ARRAY[pg_temp.r('snapshot')], '00000', 'prunes'),
	('xphere.prune_liability_snapshot(bigint)', ARRAY['99'], 'P0002', 'unknown snapshot'),
	('xphere.now()', '{}', '00000', 'the clock'),
	('xphere.current_user_id()', '{}', '00000', 'nobody pinned'),
	('xphere.session_is_trusted()', '{}', '00000', 'superuser'),
	('xphere.sees_all_users()', '{}', '00000', 'superuser');

-- the math: one call from the parameter types
INSERT INTO calls
SELECT a.fn,
	   ARRAY(SELECT CASE t WHEN 'xphere.wad'::regtype THEN '1.5' WHEN 'xphere.ray'::regtype THEN '0.25'
						   ELSE '3' END
			 FROM unnest((SELECT p.proargtypes::regtype[] FROM pg_proc p WHERE p.oid = a.fn)) t),
	   NULL, 'math'
FROM api a WHERE a.math;

SELECT plan((SELECT count(*)::int FROM calls) + (SELECT count(*)::int FROM calls WHERE want IS NOT NULL) + 7);

-- ===================================================================
-- Coverage
-- ===================================================================

SELECT is_empty($$SELECT fn::text FROM api WHERE NOT math EXCEPT SELECT fn::text FROM calls$$,
	'every API function that is not IMMUTABLE math has representative calls');
SELECT is_empty($$SELECT fn::text FROM calls EXCEPT SELECT fn::text FROM api$$,
	'every function called is an API function');
SELECT cmp_ok((SELECT count(*)::int FROM api), '>=', 80, 'the catalog lists the API functions (at least 80)');

-- the overloads: 2^k - 1 per original, each with its ACL and comment
SELECT is_empty($$
	SELECT a.fn::text, count(o.oid), (1 << k.k) - 1
	FROM api a
	CROSS JOIN LATERAL (SELECT count(*)::int AS k FROM unnest((SELECT proargtypes::oid[] FROM pg_proc WHERE oid = a.fn)) t
						WHERE t IN ('uuid'::regtype, 'jsonb'::regtype, 'interval'::regtype)) k
	LEFT JOIN pg_proc p ON p.oid = a.fn
	LEFT JOIN pg_proc o ON o.pronamespace = p.pronamespace AND o.proname = p.proname AND o.oid <> p.oid
		AND o.pronargs = p.pronargs
		AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = o.oid AND d.refobjid = p.oid AND d.classid = 'pg_proc'::regclass)
	GROUP BY a.fn, k.k
	HAVING count(o.oid) <> (1 << k.k) - 1
$$, 'each API function with k parameters of type uuid, jsonb or interval has 2^k - 1 text overloads');
SELECT is_empty($$
	SELECT o.oid::regprocedure::text
	FROM pg_proc o JOIN pg_depend d ON d.objid = o.oid AND d.classid = 'pg_proc'::regclass
		AND d.refclassid = 'pg_proc'::regclass
	JOIN pg_proc p ON p.oid = d.refobjid AND p.proname = o.proname AND p.pronamespace = o.pronamespace
	WHERE o.pronamespace = 'xphere'::regnamespace
	  AND (o.proacl::text[] IS DISTINCT FROM p.proacl::text[]
		   OR obj_description(o.oid, 'pg_proc') IS DISTINCT FROM obj_description(p.oid, 'pg_proc')
		   OR o.provolatile <> p.provolatile OR o.proisstrict <> p.proisstrict OR o.prosecdef
		   OR o.proretset <> p.proretset OR o.prorettype <> p.prorettype)
$$, 'each text overload has its original''s ACL, comment, volatility, strictness and result, and is SECURITY INVOKER');
SELECT is_empty($$
	SELECT t.typname, s.src FROM pg_type t CROSS JOIN (VALUES ('text'::regtype), ('varchar'::regtype)) s(src)
	WHERE t.typnamespace = 'xphere'::regnamespace AND t.typtype = 'e'
	  AND NOT EXISTS (SELECT 1 FROM pg_cast c WHERE c.castsource = s.src AND c.casttarget = t.oid
					  AND c.castcontext = 'i' AND c.castmethod = 'i')
$$, 'text and varchar cast implicitly (through enum_in) into every enum of the extension');

-- ===================================================================
-- Each call: the canonical outcome, then every binding
-- ===================================================================

CREATE TEMP TABLE outcomes AS
SELECT c.fn, c.vals, c.want, c.what,
	   pg_temp.outcome(c.fn, (SELECT array_agg(format_type(t, NULL) ORDER BY i)
							  FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i)), c.vals) AS canonical,
	   p.proargtypes::regtype[] AS types
FROM calls c JOIN pg_proc p ON p.oid = c.fn;

SELECT is(split_part(o.canonical, ' ', 1), CASE o.want WHEN '00000' THEN 'ok' ELSE o.want END,
		  format('%s %s: %s with canonical types', o.fn, o.what, o.want))
FROM outcomes o WHERE o.want IS NOT NULL
ORDER BY o.fn::text, o.what;

-- the bindings of a call: styles of pg_temp.bound(), bigint amounts when
-- they are integers that fit, unknown, and one uuid next to varchar ids for
-- each uuid parameter of a function with several.  Not unknown for the
-- math overloaded on its own types (abs(wad) and abs(ray), ...): which one
-- an untyped value means cannot be told, and never could.
CREATE FUNCTION pg_temp.bindings(p_types regtype[], p_vals text[], p_overloaded boolean)
RETURNS TABLE (label text, tys text[])
LANGUAGE sql AS $$
	SELECT s, ARRAY(SELECT pg_temp.bound(t, s) FROM unnest(p_types) WITH ORDINALITY u(t, i) ORDER BY i)
	FROM unnest(ARRAY['text', 'varchar', 'psycopg', 'psycopg_str', 'jdbc']) s
	UNION ALL
	SELECT 'int', ARRAY(SELECT pg_temp.bound(t, 'int') FROM unnest(p_types) WITH ORDINALITY u(t, i) ORDER BY i)
	WHERE NOT EXISTS (SELECT 1 FROM unnest(p_types, p_vals) u(t, v)
					  WHERE t = 'xphere.wad'::regtype AND v !~ '^-?[0-9]{1,18}$')
	UNION ALL
	SELECT 'unknown', NULL
	WHERE NOT p_overloaded
	UNION ALL
	SELECT 'uuid at $' || k, ARRAY(SELECT CASE WHEN i = k THEN 'uuid' ELSE pg_temp.bound(t, 'jdbc') END
								  FROM unnest(p_types) WITH ORDINALITY u(t, i) ORDER BY i)
	FROM unnest(p_types) WITH ORDINALITY u(t, k)
	WHERE t = 'uuid'::regtype
	  AND (SELECT count(*) FROM unnest(p_types) x WHERE x = 'uuid'::regtype) > 1
$$;

SELECT cmp_ok((SELECT count(*)::int FROM outcomes o, pg_temp.bindings(o.types, o.vals, false)), '>=', 600,
	'at least 600 bindings are compared with their canonical call');

SELECT is((SELECT coalesce(string_agg(format('%s (%s): %s', b.label, array_to_string(b.tys, ', '), left(got, 200)), E'\n'), '')
		   FROM pg_temp.bindings(o.types, o.vals,
								 EXISTS (SELECT 1 FROM api a JOIN pg_proc p ON p.oid = a.fn
										 JOIN pg_proc q ON q.oid = o.fn
										 WHERE a.fn <> o.fn AND p.proname = q.proname
										   AND p.pronargs = q.pronargs)) b,
				LATERAL pg_temp.outcome(o.fn, b.tys, o.vals) got
		   WHERE got IS DISTINCT FROM o.canonical),
		  '',
		  format('%s %s: every binding gives the canonical outcome (%s)', o.fn, o.what, left(split_part(o.canonical, E'\n', 1), 60)))
FROM outcomes o
ORDER BY o.fn::text, o.what;

SELECT * FROM finish();
ROLLBACK;

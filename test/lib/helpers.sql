--
-- test/lib/helpers.sql: helpers shared by the pgTAP files test/pgtap/*.sql.
--
-- Include it with
--     \ir ../lib/helpers.sql
-- inside the test's transaction, after test/lib/preamble.sql (pgtap and xphere created)
-- (the SQL functions below are checked against xphere's tables and types
-- when they are created) and before plan().  It creates temporary tables
-- and pg_temp functions only, gone with the session; it prints nothing and
-- runs no assertion.  Every name is schema-qualified, so the includer's
-- search_path does not matter (pgTAP's functions are looked up in it, as in
-- the test files themselves).
--
-- What it defines:
--   snapshot()           every table of schema xphere as one text: a line
--                        'table=rows md5' each, the md5 over the sorted row
--                        texts (a failing comparison shows the table)
--   results, r(), id()   values kept by call() / run() under a name
--   call(name, sql, what)
--                        one assertion: sql runs; its single result is kept
--                        under name when name is not NULL
--   run(name, sql, what) the same, but the kept result must be a uuid (an
--                        id of a user, an entry, a machine, a position)
--   register_users(names[, domain])
--                        one run() assertion per name ('user NAME
--                        registers'): NAME@domain (example.com), password
--                        'password-NAME', display name initcap(NAME); the
--                        id is kept under NAME
--   fails(sql, errcode, what)
--                        two assertions: sql fails with errcode, and
--                        snapshot() is unchanged ("nothing changed")
--   expected, x(), xw()  the model's values of a file (it fills expected);
--                        x() is one as text, xw() as a wad; a missing key
--                        raises an error (a broken test, not a pass)
--   pool_is(tag, what)   11 assertions: lp-xp's indexes, rates, APYs, scaled
--                        totals, cash, treasury and deficit against the
--                        model's values "<tag>_li", "<tag>_bi", ...
--   who(user)            'house', or the local part of the user's email
--   acct(user, cur)      an account as 'available/locked' ('none' if there
--                        is none); cur defaults to XP
--   tx(entry)            a ledger entry as 'who TYPE CUR amount fee F STATUS'
--   hist(entry)          its balance_history rows in the order they were
--                        written, as
--                        'who CUR: before change after | locked before change after'
--   txh(label)           a valid chain tx_hash made from a label: '0x' and
--                        the hex of sha256(label)
--

-- everything an API call could change: every table of schema xphere
-- (accounts, transactions, balance_history, users, refresh_tokens, ...,
-- events, job_state), each by its row count and a hash of its contents
\set snapshot_schema pg_temp
\ir snapshot.sql

-- results of the calls made by a file, by name (ids, amounts)
CREATE TEMP TABLE results (name text PRIMARY KEY, v text);
CREATE FUNCTION pg_temp.r(p_name text) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT x.v FROM results x WHERE x.name = p_name
$$;
CREATE FUNCTION pg_temp.id(p_name text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT x.v::uuid FROM results x WHERE x.name = p_name
$$;

-- one assertion: the statement runs; its single result is kept under
-- p_name when given (a failed call keeps nothing and changes nothing); with
-- p_uuid the result must be a uuid, not NULL
CREATE FUNCTION pg_temp.call(p_name text, p_sql text, p_what text, p_uuid boolean DEFAULT false)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v text;
BEGIN
	EXECUTE p_sql INTO v;
	IF p_name IS NOT NULL THEN
		IF p_uuid THEN
			IF v IS NULL THEN
				RAISE EXCEPTION 'the result to keep as "%" is NULL, not a uuid', p_name
					USING ERRCODE = 'not_null_violation';
			END IF;
			v := v::uuid::text;
		END IF;
		INSERT INTO results VALUES (p_name, v);
	END IF;
	RETURN ok(true, p_what);
EXCEPTION WHEN OTHERS THEN
	RETURN ok(false, p_what) || E'\n' || diag('    died: ' || SQLSTATE || ': ' || SQLERRM);
END $$;

-- one assertion: the statement runs; its single result (a uuid) is kept
-- under p_name when given
CREATE FUNCTION pg_temp.run(p_name text, p_sql text, p_what text) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.call(p_name, p_sql, p_what, true)
$$;

-- one assertion per name: the user NAME@p_domain (password 'password-NAME',
-- name initcap(NAME)) registers; the id is kept under NAME
CREATE FUNCTION pg_temp.register_users(p_names text[], p_domain text DEFAULT 'example.com')
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	n text;
BEGIN
	FOREACH n IN ARRAY p_names LOOP
		RETURN NEXT pg_temp.run(n, format('SELECT xphere.register_user(%L, %L, %L)',
										  n || '@' || p_domain, 'password-' || n, initcap(n)),
								'user ' || n || ' registers');
	END LOOP;
END $$;

-- two assertions: the statement fails with errcode, and nothing changed
CREATE FUNCTION pg_temp.fails(p_sql text, p_errcode text, p_what text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	before text := pg_temp.snapshot();
BEGIN
	RETURN NEXT throws_ok(p_sql, p_errcode, NULL, p_what || ' (' || p_errcode || ')');
	RETURN NEXT is(pg_temp.snapshot(), before, p_what || ': nothing changed');
END $$;

-- the model's values of a file (python3 test/model/*.py --sql); the file
-- fills the table
CREATE TEMP TABLE expected (k text PRIMARY KEY, v text NOT NULL);

-- a model value; a missing key is a broken test, not a pass
CREATE FUNCTION pg_temp.x(p_k text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	v text;
BEGIN
	SELECT e.v INTO v FROM expected e WHERE e.k = p_k;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no expected value "%"', p_k;
	END IF;
	RETURN v;
END $$;
CREATE FUNCTION pg_temp.xw(p_k text) RETURNS xphere.wad LANGUAGE sql STABLE AS $$
	SELECT pg_temp.x(p_k)::xphere.wad
$$;

-- a user's label: the house, or the email's local part
CREATE FUNCTION pg_temp.who(p_user uuid) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_user = xphere_internal.house_id() THEN 'house'
		ELSE (SELECT split_part(u.email, '@', 1) FROM xphere.users u WHERE u.id = p_user) END
$$;

-- an account as 'available/locked'
CREATE FUNCTION pg_temp.acct(p_user uuid, p_cur xphere.currency DEFAULT 'XP') RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT format('%s/%s', a.available, a.locked) FROM xphere.accounts a
					 WHERE a.user_id = p_user AND a.currency = p_cur), 'none')
$$;

-- a ledger entry as 'who TYPE CUR amount fee F STATUS'
CREATE FUNCTION pg_temp.tx(p_id uuid) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT format('%s %s %s %s fee %s %s', pg_temp.who(t.user_id), t.type, t.currency,
				  t.amount, t.fee, t.status)
	FROM xphere.transactions t WHERE t.id = p_id
$$;

-- the balance_history rows of an entry, in the order they were written, as
-- 'who CUR: before change after | locked before change after'
CREATE FUNCTION pg_temp.hist(p_tx uuid) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT format('%s %s: %s %s %s | %s %s %s', pg_temp.who(h.user_id), h.currency,
							   h.available_before, h.available_change, h.available_after,
							   h.locked_before, h.locked_change, h.locked_after)
				 FROM xphere.balance_history h WHERE h.transaction_id = p_tx ORDER BY h.id)
$$;

-- lp-xp's stored state against the model's values "<tag>_..." (11 checks;
-- test/model/lending_scenario.py, pool_values())
CREATE FUNCTION pg_temp.pool_is(p_tag text, p_what text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	p xphere.lending_pools;
BEGIN
	SELECT * INTO p FROM xphere.lending_pools WHERE id = 'lp-xp';
	RETURN NEXT is(p.liquidity_index, pg_temp.x(p_tag || '_li')::xphere.ray, p_what || ': liquidity_index');
	RETURN NEXT is(p.borrow_index, pg_temp.x(p_tag || '_bi')::xphere.ray, p_what || ': borrow_index');
	RETURN NEXT is(p.liquidity_rate, pg_temp.x(p_tag || '_lrate')::xphere.ray, p_what || ': liquidity_rate');
	RETURN NEXT is(p.borrow_rate, pg_temp.x(p_tag || '_brate')::xphere.ray, p_what || ': borrow_rate');
	RETURN NEXT is(p.supply_apy, pg_temp.x(p_tag || '_supply_apy')::numeric, p_what || ': supply_apy (percent)');
	RETURN NEXT is(p.borrow_apy, pg_temp.x(p_tag || '_borrow_apy')::numeric, p_what || ': borrow_apy (percent)');
	RETURN NEXT is(p.scaled_supplied, pg_temp.x(p_tag || '_s_supplied')::xphere.wad, p_what || ': scaled_supplied');
	RETURN NEXT is(p.scaled_borrowed, pg_temp.x(p_tag || '_s_borrowed')::xphere.wad, p_what || ': scaled_borrowed');
	RETURN NEXT is(p.cash, pg_temp.x(p_tag || '_cash')::xphere.wad, p_what || ': cash');
	RETURN NEXT is(p.treasury_scaled, pg_temp.x(p_tag || '_treasury')::xphere.wad, p_what || ': treasury_scaled');
	RETURN NEXT is(p.deficit, pg_temp.x(p_tag || '_deficit')::xphere.wad, p_what || ': deficit');
END $$;

-- a chain transaction hash for a label: 0x and the 64 hex digits of the
-- label's SHA-256 (deposit and complete_withdrawal take no other format)
CREATE FUNCTION pg_temp.txh(p_label text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT '0x' || encode(sha256(convert_to(p_label, 'UTF8')), 'hex')
$$;

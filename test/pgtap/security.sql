--
-- test/pgtap/security.sql: pgTAP tests of the security properties of xphere
-- (DESIGN.md, Security; API.md, Rules the contract fixes).
--
-- What this file ensures:
--   * PUBLIC has no privilege on schema xphere, on any of its tables,
--     columns, sequences or functions; a role outside xphere's roles can
--     neither call the API nor read a table;
--   * xphere_app executes the user-facing API and nothing of the operator
--     API (42501), xphere_admin (a member of xphere_app) executes both;
--     pinned by xphere.user_id to a plain user, even xphere_admin runs no
--     operator function (42501: deposit, set_machine_status, create_plan,
--     update_pool, tick, ...), pinned to an admin user it does;
--     neither role can write any table directly (42501); the app role
--     cannot read users.password_hash nor refresh_tokens.token_hash but
--     can read the other columns;
--   * every SECURITY DEFINER function pins a search_path that holds no
--     schema writable by PUBLIC, with pg_temp explicitly last;
--   * row-level security: a session acting for user A (xphere.user_id)
--     sees only A's rows and may not act for B (42501); without
--     xphere.user_id the app role is a trusted backend and sees all rows;
--   * append-only ledger and history: UPDATE, DELETE and TRUNCATE of
--     transactions, balance_history and audit_log (and UPDATE/DELETE of
--     mining_rewards and prices) fail with 42501 even for a superuser,
--     while the PENDING -> COMPLETED/FAILED transitions of the API work;
--   * settings: a non-superuser cannot set xphere.clock (42501);
--     xphere.user_id must be a uuid (22023) and can be set only by a
--     role granted SET ON PARAMETER (42501 for a plain xphere_admin
--     member); the xphere. prefix is reserved (42602);
--   * a search_path hijack (look-alike functions and operators in a
--     schema put first, temporary tables shadowing the extension's) is
--     never reached by the API, whose results stay exact;
--   * check_invariants() is empty at the end.
--
-- Counts and balances expected below are worked out by hand from the
-- fixture (see the comments next to each).
--
\ir ../lib/preamble.sql

-- the shared helpers (test/lib/helpers.sql): snapshot() (every xphere table, for the
-- refused calls)
\ir ../lib/helpers.sql

SELECT plan(190);

-- bcrypt cost 4: fast tests
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';
-- load the module (and with it the definitions of the xphere.* settings)
SELECT xphere.now() AS loaded \gset

-- where pgcrypto lives (for crypt() in the checks below)
SELECT quote_ident(n.nspname) AS pgc
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'pgcrypto' \gset

-- roles of this test (created in the transaction, gone with its rollback)
CREATE ROLE xp_test_app LOGIN;
GRANT xphere_app TO xp_test_app;
-- the application's backend role may choose the user it acts for
GRANT SET ON PARAMETER xphere.user_id TO xp_test_app;
CREATE ROLE xp_test_ops LOGIN;
GRANT xphere_admin TO xp_test_ops;
CREATE ROLE xp_test_nobody LOGIN;
-- a shared backend trusted to act for any user
CREATE ROLE xp_test_backend LOGIN;
GRANT xphere_backend TO xp_test_backend;
-- a per-user role: in xphere_app only, no SET ON PARAMETER
CREATE ROLE xp_test_user LOGIN;
GRANT xphere_app TO xp_test_user;

-- The fixture, at 2027-01-01 00:00:00+00:
--   users: house (system), A, B
--   A: deposit 1000 USDT, buys a p1 machine (100 USDT)  -> 900 USDT
--   B: deposit  500 USDT, buys a p1 machine (100 USDT)  -> 400 USDT
--   each purchase pays the house USDT account (created by the first one)
--   one refresh token each
SELECT xphere.register_user('a@example.com', 'password-a', 'A') AS a_id \gset
SELECT xphere.register_user('b@example.com', 'password-b', 'B') AS b_id \gset
SELECT xphere.deposit(:'a_id', 'USDT', 1000, '0x5567b02597d44db48ecf19773d93e5c92db6ec6c880d06e1c87b49f3159d071e') AS dep_a \gset
SELECT xphere.deposit(:'b_id', 'USDT', 500, '0x8d5038faf80d66fb2d4fa18da42e21f6ea7ef7089cdcd06b0bf76e9feae55221') AS dep_b \gset
SELECT xphere.purchase_machine(:'a_id', 'p1') AS m_a \gset
SELECT xphere.purchase_machine(:'b_id', 'p1') AS m_b \gset
SELECT xphere.issue_refresh_token(:'a_id') AS tok_a \gset
SELECT xphere.issue_refresh_token(:'b_id') AS tok_b \gset

-- ===================================================================
-- PUBLIC gets nothing
-- ===================================================================

SELECT is_empty($$
    SELECT a.privilege_type FROM pg_namespace n,
           aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
     WHERE n.nspname = 'xphere' AND a.grantee = 0
$$, 'PUBLIC has no privilege on schema xphere');
SELECT is_empty($$
    SELECT c.oid::regclass, a.privilege_type FROM pg_class c,
           aclexplode(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char",
                                                    c.relowner))) a
     WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND a.grantee = 0
$$, 'PUBLIC has no privilege on any table, view or sequence of schema xphere');
SELECT is_empty($$
    SELECT t.attrelid::regclass, t.attname, a.privilege_type FROM pg_attribute t
      JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a
     WHERE c.relnamespace = 'xphere'::regnamespace AND t.attacl IS NOT NULL AND a.grantee = 0
$$, 'PUBLIC has no privilege on any column of schema xphere');
SELECT is_empty($$
    SELECT p.oid::regprocedure, a.privilege_type FROM pg_proc p,
           aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
     WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace) AND a.grantee = 0
$$, 'PUBLIC has no privilege on any function of schema xphere or xphere_internal (proacl, NULL meaning the default PUBLIC EXECUTE)');

-- the internal helpers: a schema of the extension that no API role may use,
-- whose functions none may execute, and the only owner-only functions left
-- in schema xphere are the owner's documented API
SELECT ok(EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                   WHERE e.extname = 'xphere' AND d.classid = 'pg_namespace'::regclass
                     AND d.objid = 'xphere_internal'::regnamespace AND d.deptype = 'e'),
          'schema xphere_internal belongs to the extension (DROP EXTENSION drops it)');
SELECT cmp_ok((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'xphere_internal'::regnamespace),
              '>=', 90, 'the internal helpers (at least 90) are in schema xphere_internal');
SELECT is_empty($$
    SELECT r, x FROM unnest(ARRAY['xphere_app', 'xphere_backend', 'xphere_admin']) r,
           unnest(ARRAY['USAGE', 'CREATE']) x
     WHERE has_schema_privilege(r, 'xphere_internal', x)
    UNION ALL
    SELECT 'PUBLIC', a.privilege_type FROM pg_namespace n,
           aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
     WHERE n.nspname = 'xphere_internal' AND a.grantee = 0
$$, 'no API role, nor PUBLIC, has any privilege on schema xphere_internal');
SELECT is_empty($$
    SELECT p.oid::regprocedure, r FROM pg_proc p, unnest(ARRAY['xphere_app', 'xphere_backend', 'xphere_admin']) r
     WHERE p.pronamespace = 'xphere_internal'::regnamespace AND has_function_privilege(r, p.oid, 'EXECUTE')
$$, 'no API role may execute a function of schema xphere_internal');
SELECT set_eq($$
    SELECT p.proname::text FROM pg_proc p
     WHERE p.pronamespace = 'xphere'::regnamespace
       AND NOT has_function_privilege('xphere_app', p.oid, 'EXECUTE')
       AND NOT has_function_privilege('xphere_admin', p.oid, 'EXECUTE')
$$, ARRAY['set_user_role', 'refresh_positions_at_risk'],
   'the functions of schema xphere that no API role may execute are the owner''s documented API only');

SET ROLE xp_test_nobody;
SELECT throws_ok(format('SELECT xphere.balance(%L, %L)', :'a_id', 'USDT'), '42501', NULL,
    'a role outside xphere''s roles cannot call balance() (42501)');
SELECT throws_ok($$SELECT xphere.register_user('n@example.com', 'password', 'N')$$, '42501', NULL,
    'a role outside xphere''s roles cannot call register_user() (42501)');
SELECT throws_ok($$SELECT count(*) FROM xphere.accounts$$, '42501', NULL,
    'a role outside xphere''s roles cannot read xphere.accounts (42501)');
RESET ROLE;

-- ===================================================================
-- Functions: xphere_app runs the user API, xphere_admin also the operator API
-- ===================================================================

SELECT ok(pg_has_role('xphere_admin', 'xphere_app', 'MEMBER'), 'xphere_admin is a member of xphere_app');
SELECT ok(NOT pg_has_role('xphere_app', 'xphere_admin', 'MEMBER'), 'xphere_app is not a member of xphere_admin');

SELECT ok(has_function_privilege('xphere_app', f, 'EXECUTE'), 'xphere_app may execute ' || f)
  FROM unnest(ARRAY[
    'xphere.register_user(text, text, text, text)',
    'xphere.authenticate(text, text)',
    'xphere.issue_refresh_token(uuid, interval)',
    'xphere.rotate_refresh_token(text)',
    'xphere.revoke_refresh_tokens(uuid)',
    'xphere.request_withdrawal(uuid, xphere.currency, xphere.wad, text)',
    'xphere.transfer(uuid, uuid, xphere.currency, xphere.wad, text)',
    'xphere.balance(uuid, xphere.currency)',
    'xphere.purchase_machine(uuid, text, text)',
    'xphere.pending_mining_rewards(uuid)',
    'xphere.now()',
    'xphere.current_user_id()']) AS f;

SELECT ok(NOT has_function_privilege('xphere_app', f, 'EXECUTE')
          AND has_function_privilege('xphere_admin', f, 'EXECUTE'),
          'only xphere_admin, not xphere_app, may execute ' || f)
  FROM unnest(ARRAY[
    'xphere.deposit(uuid, xphere.currency, xphere.wad, text)',
    'xphere.complete_withdrawal(uuid, text)',
    'xphere.fail_withdrawal(uuid, text)',
    'xphere.set_machine_status(uuid, xphere.machine_status)',
    'xphere.distribute_mining_rewards()',
    'xphere.set_price(text, xphere.wad, text)',
    'xphere.create_plan(text, jsonb)',
    'xphere.update_plan(text, jsonb)',
    'xphere.set_setting(text, text)',
    'xphere.check_invariants()']) AS f;

-- no SECURITY DEFINER function outside the user-facing API of API.md (and
-- portfolio(), the user's dashboard, and the proofs of liabilities) is open
-- to xphere_app (functions added later are covered too)
SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_proc p
     WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace) AND p.prosecdef
       AND has_function_privilege('xphere_app', p.oid, 'EXECUTE')
       AND p.proname NOT IN ('register_user', 'authenticate', 'issue_refresh_token',
           'rotate_refresh_token', 'revoke_refresh_tokens', 'set_email_verified', 'request_withdrawal', 'transfer',
           'balance', 'portfolio', 'swap', 'purchase_machine', 'pending_mining_rewards', 'supply',
           'withdraw_supply', 'supplied_balance', 'borrow', 'repay', 'add_collateral',
           'remove_collateral', 'debt', 'position_health', 'liquidate', 'liquidatable_positions',
           'stake', 'pending_staking_rewards', 'claim_staking_rewards', 'unstake', 'withdraw_stake',
           'liability_root', 'liability_proof')
$$, 'xphere_app can execute no SECURITY DEFINER function beyond the user-facing API');

-- the extension grants its roles nothing outside its own schema
SELECT is_empty($$
    SELECT p.oid::regprocedure, a.privilege_type, a.grantee::regrole FROM pg_proc p,
           aclexplode(p.proacl) a
     WHERE p.pronamespace NOT IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace) AND p.proacl IS NOT NULL
       AND a.grantee IN ('xphere_app'::regrole, 'xphere_admin'::regrole)
$$, 'xphere_app and xphere_admin hold no privilege on functions outside schema xphere (e.g. pg_catalog.now())');

-- ===================================================================
-- SECURITY DEFINER functions pin a safe search_path
-- ===================================================================

SELECT cmp_ok((SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'xphere'::regnamespace AND prosecdef),
              '>=', 20, 'the API functions are SECURITY DEFINER (at least the 20 of users, wallet, mining, admin)');
SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_proc p
     WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace) AND p.prosecdef
       AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
$$, 'every SECURITY DEFINER function of schema xphere or xphere_internal sets search_path (proconfig)');
SELECT is_empty($$
    WITH paths AS (
        SELECT p.oid::regprocedure AS f, e.entry, e.n, count(*) OVER (PARTITION BY p.oid) AS total
          FROM pg_proc p, unnest(p.proconfig) c,
               regexp_split_to_table(substr(c, length('search_path=') + 1), '\s*,\s*')
                   WITH ORDINALITY AS e(entry, n)
         WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace) AND p.prosecdef AND c LIKE 'search_path=%'
    )
    SELECT f, entry FROM paths
     WHERE btrim(entry, '" ') <> 'pg_temp'
       AND (btrim(entry, '" ') = '$user'
            OR NOT EXISTS (SELECT 1 FROM pg_namespace s WHERE s.nspname = btrim(entry, '" '))
            OR EXISTS (SELECT 1 FROM pg_namespace s,
                              aclexplode(coalesce(s.nspacl, acldefault('n', s.nspowner))) a
                        WHERE s.nspname = btrim(entry, '" ') AND a.grantee = 0
                          AND a.privilege_type = 'CREATE'))
$$, 'no SECURITY DEFINER search_path names $user, a missing schema or a schema PUBLIC may create in');
SELECT is_empty($$
    SELECT p.oid::regprocedure, c FROM pg_proc p, unnest(p.proconfig) c
     WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace) AND p.prosecdef AND c LIKE 'search_path=%'
       AND c !~ ',\s*"?pg_temp"?\s*$'
$$, 'every SECURITY DEFINER search_path ends with an explicit pg_temp (else temporary objects come first)');

-- ===================================================================
-- Tables: no direct writes, row-level security on user-owned tables
-- ===================================================================

SELECT is_empty($$
    SELECT r, c.oid::regclass, p FROM pg_class c,
           unnest(ARRAY['xphere_app', 'xphere_admin']) AS r,
           unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
     WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
       AND (has_table_privilege(r, c.oid, p)
            OR (p IN ('INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege(r, c.oid, p)))
$$, 'neither xphere_app nor xphere_admin may INSERT, UPDATE, DELETE or TRUNCATE any xphere table or column');
SELECT is_empty($$
    SELECT r, c.oid::regclass, p FROM pg_class c,
           unnest(ARRAY['xphere_app', 'xphere_admin']) AS r, unnest(ARRAY['USAGE', 'UPDATE']) AS p
     WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind = 'S'
       AND has_sequence_privilege(r, c.oid, p)
$$, 'neither role may use or set an xphere sequence');
SELECT is_empty($$
    SELECT c.oid::regclass FROM pg_class c
     WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p')
       AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id'
                      AND NOT a.attisdropped)
       AND NOT c.relrowsecurity
$$, 'every xphere table with a user_id column has row-level security enabled');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'xphere.users'::regclass),
    'xphere.users has row-level security enabled');

-- ===================================================================
-- Row-level security as the app role
-- ===================================================================

SET ROLE xp_test_app;
SET LOCAL xphere.user_id = :'a_id';
-- A's rows: accounts XP and USDT; ledger: deposit, purchase; history:
-- one row each; one machine; one user row; one token
SELECT is((SELECT count(*)::int FROM xphere.accounts), 2,
    'acting for A, the app role sees A''s 2 accounts only (of 5)');
SELECT is((SELECT count(*)::int FROM xphere.transactions), 2,
    'acting for A, the app role sees A''s 2 ledger entries only (of 4)');
SELECT is((SELECT count(*)::int FROM xphere.balance_history), 2,
    'acting for A, the app role sees A''s 2 balance_history rows only (of 6: A 2, B 2, house 2)');
SELECT is((SELECT count(*)::int FROM xphere.user_machines), 1,
    'acting for A, the app role sees A''s machine only (of 2)');
SELECT is((SELECT count(*)::int FROM xphere.users), 1,
    'acting for A, the app role sees A''s own users row only (of 3)');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens), 1,
    'acting for A, the app role sees A''s refresh token only (of 2)');
SELECT is((SELECT count(*)::int FROM xphere.accounts WHERE user_id = :'b_id'), 0,
    'acting for A, asking for B''s accounts by id returns nothing');

SELECT throws_ok(format('SELECT xphere.balance(%L, %L)', :'b_id', 'XP'), '42501', NULL,
    'acting for A, balance(B, XP) is 42501');
SELECT is(xphere.balance(:'a_id', 'USDT')::text, '900',
    'acting for A, balance(A, USDT) works: 1000 - 100 = 900');
SELECT is(xphere.balance(:'a_id', 'XP')::text, '0',
    'acting for A, balance(A, XP) works: 0');
RESET ROLE;
SELECT pg_temp.snapshot() AS state_rls \gset
SET ROLE xp_test_app;
SELECT throws_ok(format('SELECT xphere.transfer(%L, %L, %L, 1)', :'b_id', :'a_id', 'USDT'), '42501', NULL,
    'acting for A, transfer(B -> A) is 42501');
SELECT throws_ok(format('SELECT xphere.request_withdrawal(%L, %L, 1, %L)', :'b_id', 'USDT',
                        '0x' || repeat('b', 40)), '42501', NULL,
    'acting for A, request_withdrawal for B is 42501');
SELECT throws_ok(format('SELECT xphere.purchase_machine(%L, %L)', :'b_id', 'p1'), '42501', NULL,
    'acting for A, purchase_machine for B is 42501');
SELECT throws_ok(format('SELECT xphere.pending_mining_rewards(%L)', :'b_id'), '42501', NULL,
    'acting for A, pending_mining_rewards(B) is 42501');
SELECT throws_ok(format('SELECT xphere.issue_refresh_token(%L)', :'b_id'), '42501', NULL,
    'acting for A, issue_refresh_token(B) is 42501');
SELECT throws_ok(format('SELECT xphere.revoke_refresh_tokens(%L)', :'b_id'), '42501', NULL,
    'acting for A, revoke_refresh_tokens(B) is 42501');
RESET ROLE;
SELECT is(pg_temp.snapshot(), :'state_rls', 'the refused calls for B changed no xphere table');
SET ROLE xp_test_app;
SELECT lives_ok(format('SELECT xphere.transfer(%L, %L, %L, 10)', :'a_id', :'b_id', 'USDT'),
    'acting for A, transfer(A -> B, 10 USDT) works');
SELECT is(xphere.balance(:'a_id', 'USDT')::text, '890',
    'after the transfer A has 900 - 10 = 890 USDT (no fee)');
SELECT is((SELECT count(*)::int FROM xphere.transactions), 3,
    'acting for A, the app role now sees 3 ledger entries (the outgoing transfer added)');

-- unpinned, a role that is only in xphere_app acts for nobody: trust is
-- held by the role (xphere_backend), never by an unset xphere.user_id
RESET xphere.user_id;
SELECT is((SELECT count(*)::int FROM xphere.accounts), 0,
    'without xphere.user_id the app role sees no account');
SELECT is((SELECT count(*)::int FROM xphere.transactions), 0,
    'without xphere.user_id the app role sees no ledger entry');
SELECT is((SELECT count(*)::int FROM xphere.users), 0,
    'without xphere.user_id the app role sees no user');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens), 0,
    'without xphere.user_id the app role sees no refresh token');
SELECT throws_ok(format('SELECT xphere.balance(%L, %L)', :'b_id', 'USDT'), '42501', NULL,
    'without xphere.user_id the app role may not read B''s balance (42501): it acts for nobody');
SELECT throws_ok(format('SELECT xphere.transfer(%L, %L, %L, 1)', :'b_id', :'a_id', 'USDT'), '42501', NULL,
    'without xphere.user_id the app role may not move B''s money (42501)');
RESET ROLE;

-- a member of xphere_backend, unpinned, acts for anyone and sees every row.
-- accounts: A 2, B 2, house USDT 1; ledger: 2 deposits, 2 purchases,
-- 2 transfer entries; history: 6 + 2; users: house, A, B
SET ROLE xp_test_backend;
SELECT is((SELECT count(*)::int FROM xphere.accounts), 5,
    'without xphere.user_id the backend role sees all 5 accounts');
SELECT is((SELECT count(*)::int FROM xphere.transactions), 6,
    'without xphere.user_id the backend role sees all 6 ledger entries');
SELECT is((SELECT count(*)::int FROM xphere.balance_history), 8,
    'without xphere.user_id the backend role sees all 8 balance_history rows');
SELECT is((SELECT count(*)::int FROM xphere.user_machines), 2,
    'without xphere.user_id the backend role sees both machines');
SELECT is((SELECT count(*)::int FROM xphere.users), 7,
    'without xphere.user_id the backend role sees all 7 users (house, the lp-xp pool account, the three staking tier accounts, A, B)');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens), 2,
    'without xphere.user_id the backend role sees both refresh tokens');
SELECT is(xphere.balance(:'b_id', 'USDT')::text, '410',
    'without xphere.user_id the backend role may read B''s balance: 400 + 10 = 410');
SELECT lives_ok(format('SET LOCAL xphere.user_id = %L', :'a_id'),
    'the backend role may confine itself to one user (xphere_backend holds SET ON PARAMETER)');
SELECT throws_ok(format('SELECT xphere.balance(%L, %L)', :'b_id', 'USDT'), '42501', NULL,
    'confined to A, the backend role may not act for B (42501)');
RESET xphere.user_id;
RESET ROLE;
SET ROLE xp_test_app;
SET xphere.user_id = :'a_id';

-- ===================================================================
-- Secret columns
-- ===================================================================

SELECT throws_ok($$SELECT password_hash FROM xphere.users$$, '42501', NULL,
    'the app role cannot read users.password_hash');
SELECT throws_ok($$SELECT * FROM xphere.users$$, '42501', NULL,
    'the app role cannot SELECT * from users (it includes password_hash)');
SELECT throws_ok($$SELECT token_hash FROM xphere.refresh_tokens$$, '42501', NULL,
    'the app role cannot read refresh_tokens.token_hash');
SELECT throws_ok($$SELECT * FROM xphere.refresh_tokens$$, '42501', NULL,
    'the app role cannot SELECT * from refresh_tokens (it includes token_hash)');
SELECT throws_ok(format('SELECT count(*) FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(%L, %L))',
                        :'tok_a', 'UTF8'), '42501', NULL,
    'the app role cannot even filter on refresh_tokens.token_hash');
SELECT results_eq(
    format($$SELECT email, name, role::text, is_active FROM xphere.users
              WHERE id = %L AND id IS NOT NULL AND wallet_address IS NULL
                AND created_at IS NOT NULL AND updated_at IS NOT NULL$$, :'a_id'),
    $$VALUES ('a@example.com', 'A', 'user', true)$$,
    'the app role reads users.id, email, name, wallet_address, role, is_active, created_at, updated_at');
SELECT results_eq(
    format($$SELECT user_id, expires_at, revoked_at, replaced_by FROM xphere.refresh_tokens
              WHERE user_id = %L AND id IS NOT NULL AND family_id IS NOT NULL AND created_at IS NOT NULL$$, :'a_id'),
    format($$VALUES (%L::uuid, '2027-01-31 00:00:00+00'::timestamptz, NULL::timestamptz, NULL::uuid)$$, :'a_id'),
    'the app role reads refresh_tokens.id, user_id, family_id, expires_at (issue + 30 days), revoked_at, replaced_by, created_at');
RESET ROLE;
SELECT ok(NOT has_column_privilege('xphere_admin', 'xphere.users', 'password_hash', 'SELECT')
          AND NOT has_column_privilege('xphere_admin', 'xphere.refresh_tokens', 'token_hash', 'SELECT'),
    'xphere_admin cannot read password hashes nor token hashes either');

-- ===================================================================
-- No direct writes, even of one's own rows
-- ===================================================================

SELECT pg_temp.snapshot() AS state_w \gset
SET ROLE xp_test_app;
SELECT throws_ok($$UPDATE xphere.accounts SET available = 1000$$, '42501', NULL,
    'the app role cannot UPDATE xphere.accounts (available = 1000)');
SET LOCAL xphere.user_id = :'a_id';
SELECT throws_ok(format('UPDATE xphere.accounts SET available = 1000 WHERE user_id = %L', :'a_id'), '42501', NULL,
    'the app role acting for A cannot UPDATE A''s own account either');
RESET xphere.user_id;
SELECT throws_ok(format($$INSERT INTO xphere.transactions (user_id, type, amount, currency)
                          VALUES (%L, 'DEPOSIT', 1000, 'USDT')$$, :'a_id'), '42501', NULL,
    'the app role cannot INSERT a ledger entry');
SELECT throws_ok(format($$INSERT INTO xphere.accounts (user_id, currency) VALUES (%L, 'XP')$$, :'a_id'), '42501', NULL,
    'the app role cannot INSERT an account');
SELECT throws_ok($$DELETE FROM xphere.refresh_tokens$$, '42501', NULL,
    'the app role cannot DELETE refresh tokens');
SELECT throws_ok($$UPDATE xphere.users SET role = 'admin'$$, '42501', NULL,
    'the app role cannot UPDATE users (role = ADMIN)');
SELECT throws_ok($$TRUNCATE xphere.settings$$, '42501', NULL,
    'the app role cannot TRUNCATE settings');
RESET ROLE;
SET ROLE xp_test_ops;
SELECT throws_ok($$UPDATE xphere.accounts SET available = 1000$$, '42501', NULL,
    'the admin role cannot UPDATE xphere.accounts (available = 1000)');
SELECT throws_ok($$UPDATE xphere.settings SET value = '0' WHERE key = 'swap_fee_bps'$$, '42501', NULL,
    'the admin role cannot UPDATE settings directly (only through set_setting)');
SELECT throws_ok($$INSERT INTO xphere.prices (asset, price_usdt) VALUES ('XP', 1)$$, '42501', NULL,
    'the admin role cannot INSERT a price directly (only through set_price)');
SELECT throws_ok($$DELETE FROM xphere.machine_plans$$, '42501', NULL,
    'the admin role cannot DELETE machine plans');
SELECT throws_ok($$DELETE FROM xphere.audit_log$$, '42501', NULL,
    'the admin role cannot DELETE the audit log');
RESET ROLE;
SELECT is(pg_temp.snapshot(), :'state_w', 'the refused direct writes changed no xphere table');

-- ===================================================================
-- Operator functions: refused to the app role, allowed to the admin role
-- ===================================================================

-- two pending withdrawals of B (410 USDT, fee 1 USDT each):
--   wb1 20 + 1, wb2 30 + 1  ->  B: 358 available, 52 locked
SELECT xphere.request_withdrawal(:'b_id', 'USDT', 20, '0x' || repeat('b', 40)) AS wb1 \gset
SELECT xphere.request_withdrawal(:'b_id', 'USDT', 30, '0x' || repeat('b', 40)) AS wb2 \gset
SELECT pg_temp.snapshot() AS state_op \gset

SET ROLE xp_test_app;
SELECT throws_ok(format('SELECT xphere.deposit(%L, %L, 1, %L)', :'a_id', 'USDT', '0x0605a6ba84f3c6293c8f5e6278c0db65b810655d7c826e94589f9fd52ca09201'), '42501', NULL,
    'the app role cannot call deposit (42501)');
SELECT throws_ok(format('SELECT xphere.complete_withdrawal(%L, %L)', :'wb1', '0x' || repeat('c', 64)), '42501', NULL,
    'the app role cannot call complete_withdrawal (42501)');
SELECT throws_ok(format('SELECT xphere.fail_withdrawal(%L, %L)', :'wb1', 'no'), '42501', NULL,
    'the app role cannot call fail_withdrawal (42501)');
SELECT throws_ok(format('SELECT xphere.set_machine_status(%L, %L)', :'m_a', 'OFFLINE'), '42501', NULL,
    'the app role cannot call set_machine_status (42501)');
SELECT throws_ok($$SELECT xphere.distribute_mining_rewards()$$, '42501', NULL,
    'the app role cannot call distribute_mining_rewards (42501)');
SELECT throws_ok($$SELECT xphere.set_price('XP', '1')$$, '42501', NULL,
    'the app role cannot call set_price (42501)');
SELECT throws_ok($$SELECT xphere.create_plan('app-plan', '{"name": "N", "machine_name": "M",
        "price_usdt": "1", "hashrate": 1, "daily_return_xp": "1000"}')$$, '42501', NULL,
    'the app role cannot call create_plan (42501)');
SELECT throws_ok($$SELECT xphere.update_plan('p1', '{"price_usdt": "0.01"}')$$, '42501', NULL,
    'the app role cannot call update_plan (42501)');
SELECT throws_ok($$SELECT xphere.set_setting('swap_fee_bps', '0')$$, '42501', NULL,
    'the app role cannot call set_setting (42501)');
SELECT throws_ok($$SELECT * FROM xphere.check_invariants()$$, '42501', NULL,
    'the app role cannot call check_invariants (42501)');
RESET ROLE;
SELECT is(pg_temp.snapshot(), :'state_op', 'the refused operator calls changed no xphere table');

-- database role x users.role: a session pinned to a platform user runs an
-- operator function only if the role may (EXECUTE) and the user is an admin
SET LOCAL xphere.user_id = :'a_id';
SET ROLE xp_test_ops;
SELECT throws_ok(format('SELECT xphere.deposit(%L, %L, 1, %L)', :'b_id', 'USDT', '0x' || repeat('d', 64)), '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call deposit (42501)');
SELECT throws_ok(format('SELECT xphere.fail_withdrawal(%L, %L)', :'wb1', 'no'), '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call fail_withdrawal (42501)');
SELECT throws_ok(format('SELECT xphere.set_machine_status(%L, %L)', :'m_a', 'OFFLINE'), '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call set_machine_status, even on A''s own machine (42501)');
SELECT throws_ok($$SELECT xphere.distribute_mining_rewards()$$, '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call distribute_mining_rewards (42501)');
SELECT throws_ok($$SELECT xphere.create_plan('sec-pinned', '{"name": "Sec", "machine_name": "Sec M",
        "price_usdt": "10", "hashrate": 1, "daily_return_xp": "0.1"}')$$, '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call create_plan (42501)');
SELECT throws_ok($$SELECT xphere.update_plan('p1', '{"price_usdt": "1"}')$$, '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call update_plan (42501)');
SELECT throws_ok($$SELECT xphere.create_pool('lp-sec', 'USDT')$$, '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call create_pool (42501)');
SELECT throws_ok($$SELECT xphere.update_pool('lp-xp', '{"reserve_factor": "0.2"}')$$, '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call update_pool (42501)');
SELECT throws_ok($$SELECT xphere.checkpoint_staking_pools()$$, '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call checkpoint_staking_pools (42501)');
SELECT throws_ok($$SELECT xphere.prune_events('1 day')$$, '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call prune_events (42501)');
SELECT throws_ok($$SELECT xphere.tick()$$, '42501', NULL,
    'the admin role pinned to A, a plain user, cannot call tick (42501)');
RESET ROLE;
RESET xphere.user_id;
SELECT is(pg_temp.snapshot(), :'state_op', 'the refused pinned operator calls changed no xphere table');
SELECT xphere.set_user_role(:'a_id', 'admin') \g /dev/null
SET LOCAL xphere.user_id = :'a_id';
SET ROLE xp_test_backend;
SELECT throws_ok($$SELECT xphere.set_setting('swap_fee_bps', '30')$$, '42501', NULL,
    'the backend role pinned to A, now an admin, still cannot call set_setting: users.role grants no EXECUTE');
RESET ROLE;
SET ROLE xp_test_ops;
SELECT lives_ok($$SELECT xphere.set_setting('swap_fee_bps', '30')$$,
    'the admin role pinned to A, an admin, calls set_setting');
RESET ROLE;
RESET xphere.user_id;
SELECT xphere.set_user_role(:'a_id', 'user') \g /dev/null

-- the admin role, one day later: both machines have earned 1.5 XP (p1)
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SET ROLE xp_test_ops;
SELECT lives_ok(format('SELECT xphere.deposit(%L, %L, 50, %L)', :'a_id', 'XP', '0xf65bcea0bb080b0921bf718e1fc9c819c54c924c2ccc724a5cc862bdb6ef5cf2'),
    'the admin role calls deposit');
SELECT lives_ok($$SELECT xphere.set_price('XP', '0.25')$$, 'the admin role calls set_price');
SELECT lives_ok($$SELECT xphere.create_plan('sec-plan', '{"name": "Sec", "machine_name": "Sec M",
        "price_usdt": "10", "hashrate": 1, "daily_return_xp": "0.1"}')$$,
    'the admin role calls create_plan');
SELECT lives_ok($$SELECT xphere.update_plan('sec-plan', '{"is_active": false}')$$,
    'the admin role calls update_plan');
SELECT lives_ok($$SELECT xphere.set_setting('swap_fee_bps', '25')$$, 'the admin role calls set_setting');
SELECT lives_ok(format('SELECT xphere.set_machine_status(%L, %L)', :'m_a', 'MAINTENANCE'),
    'the admin role calls set_machine_status');
SELECT is(xphere.distribute_mining_rewards(), 2,
    'the admin role calls distribute_mining_rewards: both machines are paid');
SELECT lives_ok(format('SELECT xphere.complete_withdrawal(%L, %L)', :'wb1', '0x' || repeat('c', 64)),
    'the admin role calls complete_withdrawal');
SELECT lives_ok(format('SELECT xphere.fail_withdrawal(%L, %L)', :'wb2', 'rejected'),
    'the admin role calls fail_withdrawal');
SELECT is_empty('SELECT * FROM xphere.check_invariants()',
    'the admin role calls check_invariants, which finds nothing wrong');
SELECT lives_ok('SELECT * FROM xphere.worker_status',
    'the admin role reads the view worker_status (it may execute worker_status_internal)');
RESET ROLE;

-- the admin calls did their work
SELECT is(xphere.balance(:'a_id', 'XP')::text, '51.2',
    'A''s XP: 50 deposited + 1.2 mined in one day (p1, ERD 3.1) = 51.2');
SELECT results_eq(
    format($$SELECT available::text, locked::text FROM xphere.accounts WHERE user_id = %L AND currency = 'USDT'$$, :'b_id'),
    $$VALUES ('389', '0')$$,
    'B''s USDT after one completed (20 + 1 fee) and one failed withdrawal: 410 - 21 = 389, nothing locked');
SELECT results_eq(
    format($$SELECT status::text FROM xphere.transactions WHERE id IN (%L, %L) ORDER BY amount$$, :'wb1', :'wb2'),
    $$VALUES ('COMPLETED'), ('FAILED')$$,
    'the completed withdrawal is COMPLETED, the failed one FAILED');
SELECT is((SELECT value FROM xphere.settings WHERE key = 'swap_fee_bps'), '25',
    'set_setting by the admin role changed the setting');
SELECT is((SELECT status::text FROM xphere.user_machines WHERE id = :'m_a'), 'MAINTENANCE',
    'set_machine_status by the admin role changed the machine');

-- ===================================================================
-- Append-only ledger and history, even for a superuser
-- ===================================================================

-- A requests a withdrawal of 100 USDT (+1 fee): 890 -> 789 available, 101 locked
SELECT xphere.request_withdrawal(:'a_id', 'USDT', 100, '0x' || repeat('a', 40)) AS wa \gset
SELECT ok((SELECT count(*) FROM xphere.audit_log) > 0 AND (SELECT count(*) FROM xphere.mining_rewards) > 0
          AND (SELECT count(*) FROM xphere.prices) > 0,
    'audit_log, mining_rewards and prices have rows to attack');
SELECT pg_temp.snapshot() AS state_ao \gset

SELECT throws_ok(format('UPDATE xphere.transactions SET amount = 1 WHERE id = %L', :'dep_a'), '42501', NULL,
    'UPDATE of a completed ledger entry''s amount is 42501, even for a superuser');
SELECT throws_ok(format($$UPDATE xphere.transactions SET status = 'FAILED' WHERE id = %L$$, :'dep_a'), '42501', NULL,
    'COMPLETED -> FAILED of a ledger entry is 42501');
SELECT throws_ok(format($$UPDATE xphere.transactions SET status = 'PENDING' WHERE id = %L$$, :'wb1'), '42501', NULL,
    'COMPLETED -> PENDING of a withdrawal is 42501');
SELECT throws_ok(format('UPDATE xphere.transactions SET amount = 1 WHERE id = %L', :'wa'), '42501', NULL,
    'UPDATE of a PENDING withdrawal''s amount is 42501');
SELECT throws_ok(format($$UPDATE xphere.transactions SET status = 'COMPLETED', fee = 0 WHERE id = %L$$, :'wa'), '42501', NULL,
    'PENDING -> COMPLETED that also changes the fee is 42501');
SELECT throws_ok(format('DELETE FROM xphere.transactions WHERE id = %L', :'dep_a'), '42501', NULL,
    'DELETE of a ledger entry is 42501');
SELECT throws_ok($$DELETE FROM xphere.transactions$$, '42501', NULL,
    'DELETE FROM xphere.transactions is 42501');
SET LOCAL client_min_messages = warning;  -- (no "truncate cascades to" notices)
SELECT throws_ok($$TRUNCATE xphere.transactions CASCADE$$, '42501', NULL,
    'TRUNCATE xphere.transactions (CASCADE) is 42501');
RESET client_min_messages;
SELECT throws_ok($$UPDATE xphere.balance_history SET available_change = available_change OPERATOR(xphere.+) 1,
                                                  available_after = available_after OPERATOR(xphere.+) 1$$, '42501', NULL,
    'UPDATE of balance_history is 42501');
SELECT throws_ok($$DELETE FROM xphere.balance_history$$, '42501', NULL,
    'DELETE FROM xphere.balance_history is 42501');
SELECT throws_ok($$TRUNCATE xphere.balance_history$$, '42501', NULL,
    'TRUNCATE xphere.balance_history is 42501');
SELECT throws_ok($$UPDATE xphere.audit_log SET new_value = '{}'$$, '42501', NULL,
    'UPDATE of audit_log is 42501');
SELECT throws_ok($$DELETE FROM xphere.audit_log$$, '42501', NULL,
    'DELETE FROM xphere.audit_log is 42501');
SELECT throws_ok($$TRUNCATE xphere.audit_log$$, '42501', NULL,
    'TRUNCATE xphere.audit_log is 42501');
SELECT throws_ok($$UPDATE xphere.mining_rewards SET amount = amount OPERATOR(xphere.+) 1$$, '42501', NULL,
    'UPDATE of mining_rewards is 42501');
SELECT throws_ok($$DELETE FROM xphere.mining_rewards$$, '42501', NULL,
    'DELETE FROM xphere.mining_rewards is 42501');
SELECT throws_ok($$UPDATE xphere.prices SET price_usdt = 1000$$, '42501', NULL,
    'UPDATE of prices is 42501');
SELECT throws_ok($$DELETE FROM xphere.prices$$, '42501', NULL,
    'DELETE FROM xphere.prices is 42501');
SELECT is(pg_temp.snapshot(), :'state_ao', 'the refused changes to the ledger and history changed no xphere table');

SELECT lives_ok(format('SELECT xphere.complete_withdrawal(%L, %L)', :'wa', '0x' || repeat('d', 64)),
    'the PENDING -> COMPLETED path through complete_withdrawal works');
SELECT results_eq(
    format($$SELECT status::text, tx_hash FROM xphere.transactions WHERE id = %L$$, :'wa'),
    format($$VALUES ('COMPLETED', %L)$$, '0x' || repeat('d', 64)),
    'the withdrawal is COMPLETED with its chain tx_hash');
SELECT results_eq(
    format($$SELECT available::text, locked::text FROM xphere.accounts WHERE user_id = %L AND currency = 'USDT'$$, :'a_id'),
    $$VALUES ('789', '0')$$,
    'A''s USDT: 890 - 101 = 789 available, the 101 locked left with the withdrawal');
-- house USDT: 100 + 100 (two machines) + 1 (wb1 fee) + 1 (wa fee)
SELECT is((SELECT available::text FROM xphere.accounts WHERE user_id = '00000000-0000-0000-0000-000000000000'
             AND currency = 'USDT'), '202',
    'the house USDT account holds 100 + 100 (machines) + 1 + 1 (withdrawal fees) = 202');

-- ===================================================================
-- Settings of the extension
-- ===================================================================

SET ROLE xp_test_app;
SELECT throws_ok($$SET xphere.clock = '2030-01-01 00:00:00+00'$$, '42501', NULL,
    'a non-superuser cannot SET xphere.clock (42501)');
SELECT throws_ok($$SELECT set_config('xphere.clock', '2030-01-01 00:00:00+00', true)$$, '42501', NULL,
    'a non-superuser cannot set xphere.clock through set_config (42501)');
SELECT throws_ok($$RESET xphere.clock$$, '42501', NULL,
    'a non-superuser cannot RESET the superuser''s xphere.clock (42501)');
SELECT throws_ok($$SET xphere.user_id = 'not-a-uuid'$$, '22023', NULL,
    'SET xphere.user_id to something that is not a uuid is 22023');
SELECT throws_ok($$SET xphere.nonexistent = 1$$, '42602', NULL,
    'SET of an unknown xphere.* setting is 42602 (invalid_name: "xphere" is a reserved prefix)');
SELECT lives_ok(format('SET LOCAL xphere.user_id = %L', :'a_id'),
    'a role granted SET ON PARAMETER xphere.user_id may set it to a uuid');
SELECT lives_ok($$RESET xphere.user_id$$, 'a role granted SET ON PARAMETER xphere.user_id may reset it');
SELECT lives_ok($$SELECT xphere.now()$$, 'the app role may read the extension''s clock xphere.now()');
RESET ROLE;
-- without that grant, membership in xphere_app is not enough: a login
-- role pinned to one user (ALTER ROLE ... SET) cannot switch
SET ROLE xp_test_user;
SELECT throws_ok(format('SET xphere.user_id = %L', :'b_id'), '42501', NULL,
    'a role without SET ON PARAMETER xphere.user_id cannot set it (42501)');
SELECT throws_ok(format('SELECT set_config(''xphere.user_id'', %L, true)', :'b_id'), '42501', NULL,
    '... nor through set_config (42501)');
RESET ROLE;
SELECT is(xphere.now(), '2027-01-02 00:00:00+00'::timestamptz,
    'the refused attempts left the superuser''s clock where it was');
SELECT throws_ok($$SET xphere.nonexistent = 1$$, '42602', NULL,
    'SET of an unknown xphere.* setting is 42602 for a superuser too');

-- ===================================================================
-- search_path hijack
-- ===================================================================

-- the attacker's look-alikes: each records its call in evil.calls and
-- returns a plausible (or subtly wrong) value
CREATE SCHEMA evil;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE TABLE evil.calls (fn text, by_user name DEFAULT current_user);
GRANT INSERT, SELECT ON evil.calls TO PUBLIC;
CREATE FUNCTION evil.lower(text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('lower'); RETURN pg_catalog.lower($1); END$$;
CREATE FUNCTION evil.btrim(text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('btrim'); RETURN pg_catalog.btrim($1); END$$;
CREATE FUNCTION evil.length(text) RETURNS integer LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('length'); RETURN pg_catalog.length($1); END$$;
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('now'); RETURN pg_catalog.now(); END$$;
CREATE FUNCTION evil.gen_random_uuid() RETURNS uuid LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('gen_random_uuid'); RETURN pg_catalog.gen_random_uuid(); END$$;
CREATE FUNCTION evil.sha256(bytea) RETURNS bytea LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('sha256'); RETURN pg_catalog.sha256($1); END$$;
CREATE FUNCTION evil.crypt(text, text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('crypt'); RETURN $1; END$$;
CREATE FUNCTION evil.gen_salt(text, integer) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('gen_salt'); RETURN 'salt'; END$$;
CREATE FUNCTION evil.wad_plus(xphere.wad, xphere.wad) RETURNS xphere.wad LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('+'); RETURN $1 OPERATOR(xphere.+) $2 OPERATOR(xphere.+) '1'::xphere.wad; END$$;
CREATE OPERATOR evil.+ (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = evil.wad_plus);
CREATE FUNCTION evil.wad_minus(xphere.wad, xphere.wad) RETURNS xphere.wad LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('-'); RETURN $1 OPERATOR(xphere.-) $2 OPERATOR(xphere.+) '1'::xphere.wad; END$$;
CREATE OPERATOR evil.- (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = evil.wad_minus);
CREATE FUNCTION evil.uuid_eq(uuid, uuid) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls (fn) VALUES ('='); RETURN pg_catalog.uuid_eq($1, $2); END$$;
CREATE OPERATOR evil.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = evil.uuid_eq);

-- the attack, as the backend role: temporary tables first, then evil, then the rest
SET ROLE xp_test_backend;
CREATE TEMP TABLE settings (key text, value text, kind text, description text);
INSERT INTO settings VALUES ('password_hash_cost', '31', 'integer', 'x'), ('withdrawal_fee_usdt', '0', 'wad', 'x');
CREATE TEMP TABLE users (id uuid, email text, password_hash text, role text, is_active boolean);
CREATE TEMP TABLE accounts (user_id uuid, currency text, available numeric, locked numeric);
SET LOCAL search_path = pg_temp, evil, pg_catalog, xphere, public;
SELECT xphere.register_user('  Eve.Hijack@Example.COM ', 'hijack-password', 'Eve') AS eve_id \gset
SELECT xphere.authenticate('EVE.HIJACK@example.com', 'hijack-password') AS eve_auth \gset
SELECT xphere.transfer(:'a_id', :'eve_id', 'USDT', 5) AS tr_eve \gset
SELECT xphere.issue_refresh_token(:'eve_id') AS tok_eve \gset
SELECT xphere.rotate_refresh_token(:'tok_eve') AS tok_eve2 \gset
SELECT xphere.request_withdrawal(:'eve_id', 'USDT', 2, '0x' || pg_catalog.repeat('e', 40)) AS w_eve \gset
RESET ROLE;
SET ROLE xp_test_ops;
SET LOCAL search_path = pg_temp, evil, pg_catalog, xphere, public;
SELECT xphere.deposit(:'eve_id', 'XP', 7, '0x56d0fcdb84ac6fa138d8dc27c1c9dfde5be5cdef362bd32778d4f9cd2b4669d3') AS dep_eve \gset
SELECT xphere.complete_withdrawal(:'w_eve', '0x' || pg_catalog.repeat('f', 64)) AS done_eve \gset
RESET ROLE;
SET ROLE xp_test_backend;
SELECT xphere.balance(:'eve_id', 'XP')::text AS eve_xp, xphere.balance(:'eve_id', 'USDT')::text AS eve_usdt,
       xphere.balance(:'a_id', 'USDT')::text AS a_usdt \gset
RESET ROLE;
RESET search_path;

SELECT is_empty('SELECT * FROM evil.calls',
    'no look-alike in schema evil (lower, btrim, length, now, gen_random_uuid, sha256, crypt, gen_salt, + - =) was ever called by the API');
SELECT is(:'eve_auth'::uuid, :'eve_id'::uuid,
    'under the hijacked search_path authenticate finds the user register_user created');
SELECT is((SELECT email FROM xphere.users WHERE id = :'eve_id'), 'eve.hijack@example.com',
    'under the hijacked search_path the email was still trimmed and lower-cased');
SELECT ok((SELECT password_hash ~ '^bcrypt-sha256\$\$2[ab]\$04\$'
                  AND :pgc.crypt(encode(sha256(convert_to('hijack-password', 'UTF8')), 'base64'), substr(password_hash, 15))
                      = substr(password_hash, 15)
             FROM xphere.users WHERE id = :'eve_id'),
    'under the hijacked search_path the password is a real bcrypt hash with the real cost 4 (not the temporary table''s 31)');
SELECT is(:'eve_xp'::text, '7', 'deposit under the hijacked search_path credits exactly 7 XP (no evil +)');
-- Eve: 5 USDT received, withdrew 2 + 1 fee (the real fee, not the temporary table's 0)
SELECT is(:'eve_usdt'::text, '2', 'Eve''s USDT: 5 received - (2 + 1 fee) = 2');
SELECT is(:'a_usdt'::text, '784', 'A''s USDT after sending 5: 789 - 5 = 784');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens
            WHERE user_id = :'eve_id' AND token_hash IN (sha256(convert_to(:'tok_eve', 'UTF8')),
                                                         sha256(convert_to(:'tok_eve2', 'UTF8')))), 2,
    'tokens issued and rotated under the hijacked search_path are stored as their real SHA-256');

-- the look-alikes do shadow when a search_path reaches them: without the
-- pinned search_path the attack would have been seen
SET LOCAL search_path = pg_temp, evil, pg_catalog, xphere, public;
SELECT lower('X') AS probe1, ('1'::xphere.wad + '2'::xphere.wad)::text AS probe2 \gset
RESET search_path;
SELECT is(:'probe2'::text, '4', 'control: with evil first on the search_path, wad + wad resolves to evil.+ (1 + 2 gives 4)');
SELECT is((SELECT array_agg(fn ORDER BY fn) FROM evil.calls), ARRAY['+', 'lower'],
    'control: the unqualified calls of the probe reached evil.lower and evil.+ and were recorded');

-- ===================================================================
-- The whole ledger is consistent
-- ===================================================================

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'check_invariants() reports no violation');

SELECT * FROM finish();
ROLLBACK;

--
-- test/pgtap/upgrade_users.sql: pgTAP tests of what ALTER EXTENSION xphere UPDATE
-- (0.1.0 -> 0.2.0) does to the rows of users and transactions written by
-- 0.1.0 (sql/upgrade/0.1.0--0.2.0/20_users.sql).
--
-- What this file ensures:
--   * tx_hash: a stored hash that is 0x and 64 hex digits once trimmed and
--     lower-cased is rewritten in that form (deposits and withdrawals);
--     where 0.1.0 credited one chain transaction under several spellings,
--     the entry already in the normal form, else the earliest, takes it
--     and the others keep their spelling; a hash of another format (a
--     label) is kept; after the update a replay in any spelling returns
--     the entry holding the normal form, and nothing is credited again;
--     the append-only trigger is enabled again; check_invariants() is
--     empty;
--   * passwords: a 0.1.0 hash (plain bcrypt) still authenticates after the
--     update and is replaced by the bcrypt-sha256 form at that login.
--
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION xphere VERSION '0.1.0' CASCADE;

-- where pgcrypto lives (for crypt() in the checks below)
SELECT quote_ident(n.nspname) AS pgc
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'pgcrypto' \gset

-- ===================================================================
-- 0.1.0: rows as it wrote them
-- ===================================================================

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SELECT xphere.register_user('alice@example.com', 'alice-password', 'Alice') AS alice \gset

\set h1 '0x1111111111111111111111111111111111111111111111111111111111111aaa'
\set h2 '0x2222222222222222222222222222222222222222222222222222222222222bbb'
\set h3 '0x3333333333333333333333333333333333333333333333333333333333333ccc'
\set h4 '0x4444444444444444444444444444444444444444444444444444444444444ddd'
\set h5 '0x5555555555555555555555555555555555555555555555555555555555555eee'

SET LOCAL xphere.clock = '2027-01-01 00:00:01+00';
SELECT xphere.deposit(:'alice', 'XP', 10, upper(:'h1')) AS d1_upper \gset
SET LOCAL xphere.clock = '2027-01-01 00:00:02+00';
-- the same chain transaction again, another spelling: 0.1.0 credits it
-- twice (0.1.0 took at most 66 characters, so no spaces around a full hash)
SELECT xphere.deposit(:'alice', 'XP', 20, '0x' || upper(substr(:'h1', 3))) AS d1_other \gset
SELECT xphere.deposit(:'alice', 'XP', 5, '0X' || substr(:'h2', 3)) AS d2 \gset
SELECT xphere.deposit(:'alice', 'USDT', 4, :'h3') AS d3 \gset
SELECT xphere.deposit(:'alice', 'XP', 3, 'legacy-label') AS d_label \gset
SET LOCAL xphere.clock = '2027-01-01 00:00:03+00';
SELECT xphere.deposit(:'alice', 'XP', 2, upper(:'h5')) AS d5_upper \gset
SET LOCAL xphere.clock = '2027-01-01 00:00:04+00';
-- a later entry already in the normal form keeps it
SELECT xphere.deposit(:'alice', 'XP', 1, :'h5') AS d5_norm \gset
SELECT xphere.request_withdrawal(:'alice', 'XP', 1, '0x' || repeat('ab', 20)) AS w1 \gset
SELECT xphere.complete_withdrawal(:'w1', upper(:'h4')) AS done \gset
RESET xphere.clock;

-- a 0.1.0 password hash: plain bcrypt
SELECT password_hash AS old_hash FROM xphere.users WHERE id = :'alice' \gset

-- ===================================================================
-- the update
-- ===================================================================

SET LOCAL client_min_messages = error;
ALTER EXTENSION xphere UPDATE TO '0.2.0';
RESET client_min_messages;

\ir ../lib/helpers.sql
SELECT plan(18);

SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'xphere'), '0.2.0',
    'the extension is at 0.2.0');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = :'d1_upper'), :'h1',
    'the earliest of two spellings of one hash (upper case) is rewritten in the normal form');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = :'d1_other'), '0x' || upper(substr(:'h1', 3)),
    'the later spelling of the same hash keeps its spelling (a double credit for the operator)');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = :'d2'), :'h2',
    'a hash with 0X is lower-cased');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = :'d3'), :'h3',
    'a hash already in the normal form is unchanged');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = :'d_label'), 'legacy-label',
    'a tx_hash that is no chain hash is kept as it was');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = :'d5_norm'), :'h5',
    'where one entry already holds the normal form it keeps it, though a later one');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = :'d5_upper'), upper(:'h5'),
    'and the earlier entry in another spelling keeps its spelling');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = :'w1'), :'h4',
    'a completed withdrawal''s hash (upper case) is normalised too');

-- replays after the update
SELECT pg_temp.snapshot() AS snap \gset
SELECT is(xphere.deposit(:'alice', 'XP', 10, E'\t' || upper(:'h1')), :'d1_upper'::uuid,
    'a replay of the first deposit, in yet another spelling, returns its id');
SELECT is(xphere.deposit(:'alice', 'XP', 5, :'h2' || ' '), :'d2'::uuid,
    'a replay of the 0X deposit, lower case and a space after, returns its id');
SELECT is(pg_temp.snapshot(), :'snap', 'the replays credited nothing');
SELECT pg_temp.fails(format($$SELECT xphere.deposit(%L, 'XP', 3, 'legacy-label')$$, :'alice'), '22023',
    'the label of a 0.1.0 deposit is no longer a valid tx_hash');
SELECT throws_ok(format($$UPDATE xphere.transactions SET tx_hash = %L WHERE id = %L$$, :'h2', :'d_label'),
    '42501', NULL, 'the append-only trigger is enabled again after the rewrite');

-- the 0.1.0 password hash
SELECT is(xphere.authenticate('alice@example.com', 'alice-password'), :'alice'::uuid,
    'a 0.1.0 password hash still authenticates after the update');
SELECT ok((SELECT starts_with(password_hash, 'bcrypt-sha256$') AND password_hash <> :'old_hash'
             FROM xphere.users WHERE id = :'alice'),
    'and that login replaced it by the bcrypt-sha256 form');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'check_invariants() reports no violation');

SELECT * FROM finish();
ROLLBACK;

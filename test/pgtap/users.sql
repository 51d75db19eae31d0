--
-- test/pgtap/users.sql: pgTAP tests of "Users and tokens" (API.md): register_user,
-- authenticate, issue_refresh_token, rotate_refresh_token and
-- revoke_refresh_tokens.
--
-- What this file ensures:
--   * registration: the id returned names the new row; the email is stored
--     trimmed and lower-cased; the password only as 'bcrypt-sha256$' and a
--     bcrypt hash of base64(sha256(password)) that pgcrypto's crypt()
--     verifies; an XP and a USDT account at 0 exist;
--     the limits (password 8..200, name <= 100, email <= 255) hold at both
--     sides of each boundary;
--   * authentication with an email in any case; 28P01 for a wrong
--     password, an unknown email, an inactive user and the system user;
--   * every character of a password counts: passwords that differ only
--     after bcrypt's 72 bytes (ASCII or 2-byte UTF-8) are different
--     passwords; a 0.1.0 hash (plain bcrypt) still authenticates and is
--     replaced by the new form on a successful login (not on a failed
--     one, nor for a password over 72 bytes, which such a hash cannot
--     tell from another); a login rehashes a hash of another cost;
--   * timing: with password_hash_cost raised from 10 to 12, a failed login
--     of a known user (hash of cost 10) and of an unknown email take about
--     as long (ratio within 0.5..2);
--   * only the functions of the extension, not xphere_app, may call
--     hide_secrets_from_log() (test/scripts/secret_log.sh checks the log itself);
--   * refresh tokens: the token is hex and only its SHA-256 is stored;
--     the default lifetime is 30 days; rotation revokes the old token,
--     points it at the new one, keeps family and lifetime; a rotated token
--     presented again returns NULL and revokes every token of its user
--     (and nobody else's); unknown, expired and revoked tokens are 28P01;
--     a session acting for another user (xphere.user_id) is refused with
--     42501 before any state is looked at, rotated tokens included;
--     revoke_refresh_tokens counts what it revoked;
--   * every error with its SQLSTATE, in the contract's order (argument
--     validity 22004/22023 -> existence P0002 -> permission 42501 ->
--     state), and a fingerprint of every xphere table proving that the
--     failed calls changed nothing;
--   * check_invariants() is empty at the end.
--
-- Time is fixed with xphere.clock; every expected timestamp below is the
-- clock plus the lifetime, worked out by hand.
--
\ir ../lib/preamble.sql

-- the shared helpers (test/lib/helpers.sql): snapshot() (every xphere table, for the
-- failed calls)
\ir ../lib/helpers.sql

SELECT plan(154);

-- bcrypt cost 4: fast tests (the setting is the extension's own)
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

-- where pgcrypto lives (for crypt() in the checks below)
SELECT quote_ident(n.nspname) AS pgc
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE e.extname = 'pgcrypto' \gset

-- ===================================================================
-- The signatures of the contract
-- ===================================================================

SELECT function_returns('xphere', 'register_user', ARRAY['text', 'text', 'text', 'text'], 'uuid',
    'register_user(email, password, name, wallet_address) returns uuid');
SELECT function_returns('xphere', 'authenticate', ARRAY['text', 'text'], 'uuid',
    'authenticate(email, password) returns uuid');
SELECT function_returns('xphere', 'issue_refresh_token', ARRAY['uuid', 'interval'], 'text',
    'issue_refresh_token(user_id, ttl) returns text');
SELECT function_returns('xphere', 'rotate_refresh_token', ARRAY['text'], 'text',
    'rotate_refresh_token(token) returns text');
SELECT function_returns('xphere', 'revoke_refresh_tokens', ARRAY['uuid'], 'integer',
    'revoke_refresh_tokens(user_id) returns integer');

-- ===================================================================
-- register_user: happy paths
-- ===================================================================

SELECT xphere.register_user('  Alice@Example.COM  ', 'correct horse', 'Alice') AS a_id \gset
SELECT xphere.register_user('bob@example.com', 'bob-password', 'Bob',
                            '0x52908400098527886E0F7030069857D2E4169EE7') AS b_id \gset
SELECT xphere.register_user('carol@example.com', 'carol-password', 'Carol') AS c_id \gset

SELECT is((SELECT count(*)::int FROM xphere.users WHERE id = :'a_id'), 1,
    'register_user returns the id of the row it created');
SELECT is((SELECT email FROM xphere.users WHERE id = :'a_id'), 'alice@example.com',
    'the email is stored trimmed and lower-cased');
SELECT is((SELECT name FROM xphere.users WHERE id = :'a_id'), 'Alice',
    'the name is stored');
SELECT is((SELECT wallet_address FROM xphere.users WHERE id = :'a_id'), NULL,
    'without a wallet address the column is NULL');
SELECT is((SELECT wallet_address FROM xphere.users WHERE id = :'b_id'),
    '0x52908400098527886E0F7030069857D2E4169EE7',
    'a valid wallet address (mixed-case hex) is stored as given');
SELECT is((SELECT role::text FROM xphere.users WHERE id = :'a_id'), 'user',
    'a registered user has role USER');
SELECT ok((SELECT password_hash ~ '^bcrypt-sha256\$\$2[ab]\$[0-9]{2}\$[./A-Za-z0-9]{53}$' FROM xphere.users WHERE id = :'a_id'),
    'password_hash is bcrypt-sha256$ and a bcrypt hash ($2a$/$2b$, cost, 22-char salt, 31-char hash)');
SELECT ok((SELECT password_hash LIKE 'bcrypt-sha256$$2_$04$%' FROM xphere.users WHERE id = :'a_id'),
    'the bcrypt cost is the password_hash_cost setting (4 here)');
-- what bcrypt is given: base64 of the SHA-256 of the password's UTF-8 bytes
CREATE FUNCTION pg_temp.prehash(p text) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN encode(sha256(convert_to(p, 'UTF8')), 'base64');
SELECT ok((SELECT :pgc.crypt(pg_temp.prehash('correct horse'), substr(password_hash, 15)) = substr(password_hash, 15)
             FROM xphere.users WHERE id = :'a_id'),
    'pgcrypto crypt() of base64(sha256(password)) verifies the right password against the stored bcrypt');
SELECT ok((SELECT :pgc.crypt(pg_temp.prehash('correct horsE'), substr(password_hash, 15)) <> substr(password_hash, 15)
             FROM xphere.users WHERE id = :'a_id'),
    'crypt() rejects a password differing in one letter');
SELECT is((SELECT count(*)::int FROM xphere.users u WHERE strpos(u::text, 'correct horse') > 0), 0,
    'the password itself appears in no column of any users row');
SELECT isnt((SELECT password_hash FROM xphere.users WHERE id = :'b_id'),
            (SELECT password_hash FROM xphere.users WHERE id = :'c_id'),
    'two users get different hashes (salted)');
SELECT results_eq(
    format($$SELECT currency::text, available::text, locked::text FROM xphere.accounts
             WHERE user_id = %L ORDER BY currency::text$$, :'a_id'),
    $$VALUES ('USDT', '0', '0'), ('XP', '0', '0')$$,
    'registration creates exactly the XP and USDT accounts, both at 0 available and 0 locked');
SELECT is((SELECT count(*)::int FROM xphere.balance_history WHERE user_id IN (:'a_id', :'b_id', :'c_id'))
        + (SELECT count(*)::int FROM xphere.transactions WHERE user_id IN (:'a_id', :'b_id', :'c_id')), 0,
    'registration moves no money: no ledger entry, no balance history');

-- authentication, any case
SELECT is(xphere.authenticate('ALICE@example.COM', 'correct horse'), :'a_id'::uuid,
    'authenticate finds the user by an upper/mixed-case email');
SELECT is(xphere.authenticate('alice@example.com', 'correct horse'), :'a_id'::uuid,
    'authenticate with the stored (lower-case) email returns the user id');
SELECT is(xphere.authenticate('Bob@Example.Com', 'bob-password'), :'b_id'::uuid,
    'authenticate returns the id of the right user (bob)');

-- boundaries that are accepted
SELECT xphere.register_user('p8@example.com', '12345678', 'Eight') AS p8_id \gset
SELECT is(xphere.authenticate('p8@example.com', '12345678'), :'p8_id'::uuid,
    'a password of exactly 8 characters is accepted and authenticates');
SELECT xphere.register_user('p200@example.com', repeat('p', 200), 'Two hundred') AS p200_id \gset
SELECT is(xphere.authenticate('p200@example.com', repeat('p', 200)), :'p200_id'::uuid,
    'a password of exactly 200 characters is accepted and authenticates');
SELECT xphere.register_user('n100@example.com', 'password', repeat('n', 100)) AS n100_id \gset
SELECT is((SELECT length(name) FROM xphere.users WHERE id = :'n100_id'), 100,
    'a name of exactly 100 characters is accepted and stored whole');
-- 243 + length('@example.com') = 243 + 12 = 255
SELECT xphere.register_user(repeat('e', 243) || '@example.com', 'password', 'Long email') AS e255_id \gset
SELECT is((SELECT length(email) FROM xphere.users WHERE id = :'e255_id'), 255,
    'an email of exactly 255 characters is accepted');
SELECT is(xphere.authenticate(upper(repeat('e', 243)) || '@EXAMPLE.COM', 'password'), :'e255_id'::uuid,
    'the 255-character email authenticates in upper case');

-- ===================================================================
-- register_user: errors, and nothing changes
-- ===================================================================

SELECT pg_temp.snapshot() AS state0 \gset
SELECT (SELECT count(*) FROM xphere.users) AS users0, (SELECT count(*) FROM xphere.accounts) AS accounts0 \gset

SELECT throws_ok($$SELECT xphere.register_user(NULL, 'password', 'X')$$, '22004', NULL,
    'register_user: NULL email is 22004');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', NULL, 'X')$$, '22004', NULL,
    'register_user: NULL password is 22004');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', 'password', NULL)$$, '22004', NULL,
    'register_user: NULL name is 22004');
SELECT throws_ok($$SELECT xphere.register_user('not-an-email', 'password', 'X')$$, '22023', NULL,
    'register_user: an email without @ is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@localhost', 'password', 'X')$$, '22023', NULL,
    'register_user: an email without a dot in the domain is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x y@example.com', 'password', 'X')$$, '22023', NULL,
    'register_user: an email with a space inside is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@@example.com', 'password', 'X')$$, '22023', NULL,
    'register_user: an email with two @ is 22023');
SELECT throws_ok($$SELECT xphere.register_user('', 'password', 'X')$$, '22023', NULL,
    'register_user: an empty email is 22023');
SELECT throws_ok($$SELECT xphere.register_user(repeat('e', 244) || '@example.com', 'password', 'X')$$, '22023', NULL,
    'register_user: an email of 256 characters is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', '1234567', 'X')$$, '22023', NULL,
    'register_user: a password of 7 characters is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', repeat('p', 201), 'X')$$, '22023', NULL,
    'register_user: a password of 201 characters is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', 'password', repeat('n', 101))$$, '22023', NULL,
    'register_user: a name of 101 characters is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', 'password', '')$$, '22023', NULL,
    'register_user: an empty name is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', 'password', 'X', '0x1234')$$, '22023', NULL,
    'register_user: a wallet address of 4 hex digits is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', 'password', 'X', '0x' || repeat('a', 41))$$, '22023', NULL,
    'register_user: a wallet address of 41 hex digits is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', 'password', 'X', '0x' || repeat('g', 40))$$, '22023', NULL,
    'register_user: a wallet address with non-hex digits is 22023');
SELECT throws_ok($$SELECT xphere.register_user('x@example.com', 'password', 'X', repeat('a', 42))$$, '22023', NULL,
    'register_user: a wallet address without 0x is 22023');
SELECT throws_ok($$SELECT xphere.register_user('ALICE@EXAMPLE.COM', 'password', 'X')$$, '23505', NULL,
    'register_user: an email taken in another case is 23505');
SELECT throws_ok($$SELECT xphere.register_user(' alice@example.com ', 'password', 'X')$$, '23505', NULL,
    'register_user: an email taken, with spaces around, is 23505');
SELECT throws_ok($$SELECT xphere.register_user('Alice@Example.com', '1234567', 'X')$$, '22023', NULL,
    'register_user: a taken email with a too-short password is 22023 (argument validity comes first)');

SELECT is(pg_temp.snapshot(), :'state0', 'the failed registrations changed no xphere table');
SELECT is(ARRAY[(SELECT count(*) FROM xphere.users), (SELECT count(*) FROM xphere.accounts)],
          ARRAY[:users0::bigint, :accounts0::bigint],
    'the failed registrations added no user and no account');

-- ===================================================================
-- authenticate: errors, and nothing changes
-- ===================================================================

UPDATE xphere.users SET is_active = false WHERE id = :'c_id';
SELECT pg_temp.snapshot() AS state1 \gset

SELECT throws_ok($$SELECT xphere.authenticate('alice@example.com', 'correct horsE')$$, '28P01', NULL,
    'authenticate: a wrong password is 28P01');
SELECT throws_ok($$SELECT xphere.authenticate('alice@example.com', '')$$, '28P01', NULL,
    'authenticate: an empty password is 28P01');
SELECT throws_ok($$SELECT xphere.authenticate('nobody@example.com', 'correct horse')$$, '28P01', NULL,
    'authenticate: an unknown email is 28P01');
SELECT throws_ok($$SELECT xphere.authenticate('carol@example.com', 'carol-password')$$, '28P01', NULL,
    'authenticate: an inactive user with the right password is 28P01');
SELECT throws_ok($$SELECT xphere.authenticate('house@xphere.invalid', '!')$$, '28P01', NULL,
    'authenticate: the system (house) user cannot log in (28P01)');
SELECT throws_ok($$SELECT xphere.authenticate(NULL, 'correct horse')$$, '22004', NULL,
    'authenticate: NULL email is 22004');
SELECT throws_ok($$SELECT xphere.authenticate('alice@example.com', NULL)$$, '22004', NULL,
    'authenticate: NULL password is 22004');
SELECT throws_ok($$SELECT xphere.authenticate('alice@example.com', repeat('p', 201))$$, '22023', NULL,
    'authenticate: a password of 201 characters is 22023 (over-long text)');
SELECT throws_ok($$SELECT xphere.authenticate(repeat('e', 244) || '@example.com', 'password')$$, '22023', NULL,
    'authenticate: an email of 256 characters is 22023 (over-long text)');

SELECT is(pg_temp.snapshot(), :'state1', 'the failed authentications changed no xphere table');

-- ===================================================================
-- passwords longer than bcrypt's 72 bytes, 0.1.0 hashes, timing
-- ===================================================================

-- 72 'a' are bcrypt's whole input; the tails differ after byte 72
SELECT xphere.register_user('long@example.com', repeat('a', 72) || '-one', 'Long') AS long_id \gset
SELECT is(xphere.authenticate('long@example.com', repeat('a', 72) || '-one'), :'long_id'::uuid,
    'a 76-character password authenticates');
SELECT throws_ok($$SELECT xphere.authenticate('long@example.com', repeat('a', 72) || '-two')$$, '28P01', NULL,
    'the same first 72 bytes with another tail is a wrong password (28P01)');
SELECT throws_ok($$SELECT xphere.authenticate('long@example.com', repeat('a', 72))$$, '28P01', NULL,
    'the first 72 bytes alone are a wrong password (28P01)');
SELECT throws_ok($$SELECT xphere.authenticate('long@example.com', repeat('a', 72) || '-onE')$$, '28P01', NULL,
    'a difference in the last (76th) character is a wrong password (28P01)');
-- 'é' is 2 bytes in UTF-8: 36 of them are 72 bytes
SELECT xphere.register_user('utf8@example.com', repeat('é', 36) || 'x', 'Utf') AS utf8_id \gset
SELECT is(xphere.authenticate('utf8@example.com', repeat('é', 36) || 'x'), :'utf8_id'::uuid,
    'a password of 36 x é and x (73 bytes) authenticates');
SELECT throws_ok($$SELECT xphere.authenticate('utf8@example.com', repeat('é', 36) || 'y')$$, '28P01', NULL,
    '36 x é and y, differing in byte 73 only, is a wrong password (28P01)');
SELECT throws_ok($$SELECT xphere.authenticate('utf8@example.com', repeat('é', 36))$$, '28P01', NULL,
    '36 x é alone (72 bytes) is a wrong password (28P01)');
SELECT ok((SELECT :pgc.crypt(pg_temp.prehash(repeat('é', 36) || 'x'), substr(password_hash, 15)) = substr(password_hash, 15)
             FROM xphere.users WHERE id = :'utf8_id'),
    'the stored hash is bcrypt of base64(sha256(UTF-8 bytes)) of the whole password');
-- the limits are characters: 200 x é (400 bytes) is allowed, 201 is not
SELECT xphere.register_user('utf200@example.com', repeat('é', 200), 'Utf two hundred') AS utf200_id \gset
SELECT is(xphere.authenticate('utf200@example.com', repeat('é', 200)), :'utf200_id'::uuid,
    'a password of 200 x é (400 bytes) is accepted and authenticates');
SELECT throws_ok($$SELECT xphere.authenticate('utf200@example.com', repeat('é', 199) || 'e')$$, '28P01', NULL,
    '199 x é and e, differing in the last character only, is a wrong password (28P01)');
SELECT pg_temp.fails($$SELECT xphere.register_user('utf201@example.com', repeat('é', 201), 'X')$$, '22023',
    'register_user: a password of 201 x é is 22023');
SELECT pg_temp.fails($$SELECT xphere.register_user('utf7@example.com', repeat('é', 7), 'X')$$, '22023',
    'register_user: a password of 7 x é (14 bytes) is 22023');
SELECT pg_temp.fails($$SELECT xphere.authenticate('utf200@example.com', repeat('é', 201))$$, '22023',
    'authenticate: a password of 201 x é is 22023');

-- a 0.1.0 hash: plain bcrypt of the password, as 0.1.0 stored it
UPDATE xphere.users SET password_hash = :pgc.crypt('old-password', :pgc.gen_salt('bf', 4))
 WHERE id = :'b_id';
SELECT password_hash AS old_hash FROM xphere.users WHERE id = :'b_id' \gset
SELECT pg_temp.fails($$SELECT xphere.authenticate('bob@example.com', 'old-passwore')$$, '28P01',
    'a wrong password against a 0.1.0 hash');
SELECT is(xphere.authenticate('bob@example.com', 'old-password'), :'b_id'::uuid,
    'a 0.1.0 hash still authenticates its password');
SELECT ok((SELECT password_hash ~ '^bcrypt-sha256\$\$2[ab]\$04\$' AND password_hash <> :'old_hash'
                  AND :pgc.crypt(pg_temp.prehash('old-password'), substr(password_hash, 15)) = substr(password_hash, 15)
             FROM xphere.users WHERE id = :'b_id'),
    'the successful login replaced the 0.1.0 hash by bcrypt-sha256 of the same password');
SELECT is(xphere.authenticate('bob@example.com', 'old-password'), :'b_id'::uuid,
    'the password still authenticates against its new hash');
SELECT throws_ok($$SELECT xphere.authenticate('bob@example.com', 'old-passwore')$$, '28P01', NULL,
    'and a wrong one still does not');
-- a 0.1.0 hash of an 80-byte password cannot tell it from another one
-- with the same first 72 bytes: the login works as in 0.1.0, the hash stays
UPDATE xphere.users SET password_hash = :pgc.crypt(repeat('b', 80), :pgc.gen_salt('bf', 4))
 WHERE id = :'p200_id';
SELECT password_hash AS old80 FROM xphere.users WHERE id = :'p200_id' \gset
SELECT is(xphere.authenticate('p200@example.com', repeat('b', 80)), :'p200_id'::uuid,
    'a 0.1.0 hash of an 80-byte password authenticates it');
SELECT is((SELECT password_hash FROM xphere.users WHERE id = :'p200_id'), :'old80',
    'a login with a password over 72 bytes does not replace a 0.1.0 hash');
-- a hash of another cost is replaced at the next login
UPDATE xphere.settings SET value = '5' WHERE key = 'password_hash_cost';
SELECT is(xphere.authenticate('alice@example.com', 'correct horse'), :'a_id'::uuid,
    'alice authenticates after password_hash_cost changed from 4 to 5');
SELECT ok((SELECT password_hash LIKE 'bcrypt-sha256$$2_$05$%'
                  AND :pgc.crypt(pg_temp.prehash('correct horse'), substr(password_hash, 15)) = substr(password_hash, 15)
             FROM xphere.users WHERE id = :'a_id'),
    'her hash is now of cost 5, of the same password');

-- timing: the 0.1.0 cost (10), then raised to 12.  A failed login of a
-- known user whose hash has cost 10 must not answer faster than one of an
-- unknown email (both ~2^12 bcrypt rounds), nor much slower.
UPDATE xphere.settings SET value = '10' WHERE key = 'password_hash_cost';
SELECT xphere.register_user('timing@example.com', 'timing-password', 'Timing') AS timing_id \gset
UPDATE xphere.settings SET value = '12' WHERE key = 'password_hash_cost';
-- milliseconds taken by n failed logins
CREATE FUNCTION pg_temp.failed_logins_ms(p_email text, n integer) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    FOR i IN 1..n LOOP
        BEGIN
            PERFORM xphere.authenticate(p_email, 'wrong-password-' || i);
            RAISE EXCEPTION 'a wrong password was accepted';
        EXCEPTION WHEN invalid_password THEN
            NULL;
        END;
    END LOOP;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END $$;
SELECT pg_temp.failed_logins_ms('timing@example.com', 3) AS known_ms,
       pg_temp.failed_logins_ms('nobody-timing@example.com', 3) AS unknown_ms \gset
SELECT diag(format('3 failed logins at cost 12: known user (hash of cost 10) %s ms, unknown email %s ms',
                   round(:known_ms), round(:unknown_ms)));
SELECT ok(:known_ms / :unknown_ms BETWEEN 0.5 AND 2,
    'cost 12: failed logins of a known user with a cost-10 hash take 0.5x..2x the time of an unknown email''s');
UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

SELECT ok(NOT has_function_privilege('xphere_app', 'xphere_internal.hide_secrets_from_log()', 'EXECUTE'),
    'xphere_app may not call hide_secrets_from_log() (the API functions call it themselves)');

-- ===================================================================
-- issue_refresh_token
-- ===================================================================

-- at 2027-01-01 00:00:00+00
SELECT xphere.issue_refresh_token(:'a_id') AS t1 \gset
SELECT xphere.issue_refresh_token(:'a_id', '1 hour') AS t2 \gset
SELECT xphere.issue_refresh_token(:'b_id') AS tb \gset

SELECT ok(:'t1' ~ '^[0-9a-f]{32,}$', 'a refresh token is lower-case hex of at least 128 bits');
SELECT isnt(:'t1'::text, :'t2'::text, 'two tokens issued in a row differ');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens
            WHERE token_hash = sha256(convert_to(:'t1', 'UTF8')) AND user_id = :'a_id'), 1,
    'the stored token_hash is sha256(convert_to(token, ''UTF8'')) and belongs to the user');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens r
            WHERE strpos(r::text, :'t1') > 0 OR strpos(r::text, upper(:'t1')) > 0
               OR r.token_hash = decode(:'t1', 'hex') OR r.token_hash = convert_to(:'t1', 'UTF8')), 0,
    'the token itself is stored nowhere in refresh_tokens (not as text, nor as its bytes)');
SELECT is((SELECT expires_at FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'t1', 'UTF8'))),
          '2027-01-31 00:00:00+00'::timestamptz,
    'the default lifetime is 30 days: issued 2027-01-01 00:00, expires 2027-01-31 00:00');
SELECT is((SELECT expires_at FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'t2', 'UTF8'))),
          '2027-01-01 01:00:00+00'::timestamptz,
    'an explicit ttl of 1 hour expires at 2027-01-01 01:00');
SELECT is((SELECT ROW(revoked_at, replaced_by)::text FROM xphere.refresh_tokens
            WHERE token_hash = sha256(convert_to(:'t1', 'UTF8'))), '(,)',
    'a new token is neither revoked nor replaced');
SELECT isnt((SELECT family_id FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'t1', 'UTF8'))),
            (SELECT family_id FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'t2', 'UTF8'))),
    'each issued token starts a family of its own');

SET LOCAL xphere.user_id = :'b_id';
SELECT lives_ok(format('SELECT xphere.issue_refresh_token(%L)', :'b_id'),
    'a session acting for bob (xphere.user_id) may issue a token for bob');
RESET xphere.user_id;

SELECT pg_temp.snapshot() AS state2 \gset

SELECT throws_ok($$SELECT xphere.issue_refresh_token(NULL)$$, '22004', NULL,
    'issue_refresh_token: NULL user_id is 22004');
SELECT throws_ok(format('SELECT xphere.issue_refresh_token(%L, NULL)', :'a_id'), '22004', NULL,
    'issue_refresh_token: NULL ttl is 22004 (its default is not NULL)');
SELECT throws_ok(format('SELECT xphere.issue_refresh_token(%L, %L)', :'a_id', '0 seconds'), '22023', NULL,
    'issue_refresh_token: a ttl of 0 is 22023');
SELECT throws_ok(format('SELECT xphere.issue_refresh_token(%L, %L)', :'a_id', '-1 day'), '22023', NULL,
    'issue_refresh_token: a negative ttl is 22023');
SELECT throws_ok(format('SELECT xphere.issue_refresh_token(%L, %L)', :'a_id', '1 day -24 hours'), '22023', NULL,
    'issue_refresh_token: a ttl of 1 day - 24 hours (zero) is 22023');
SELECT throws_ok($$SELECT xphere.issue_refresh_token('6f1c3b52-0000-4000-8000-000000000001')$$, 'P0002', NULL,
    'issue_refresh_token: an unknown user is P0002');
SELECT throws_ok($$SELECT xphere.issue_refresh_token('00000000-0000-0000-0000-000000000000')$$, 'P0002', NULL,
    'issue_refresh_token: the system (house) user does not count as a user (P0002)');
SELECT throws_ok($$SELECT xphere.issue_refresh_token('6f1c3b52-0000-4000-8000-000000000001', '0 seconds')$$, '22023', NULL,
    'issue_refresh_token: unknown user and zero ttl is 22023 (validity before existence)');
SET LOCAL xphere.user_id = :'b_id';
SELECT throws_ok(format('SELECT xphere.issue_refresh_token(%L)', :'a_id'), '42501', NULL,
    'issue_refresh_token: a session acting for bob cannot issue a token for alice (42501)');
SELECT throws_ok($$SELECT xphere.issue_refresh_token('6f1c3b52-0000-4000-8000-000000000001')$$, 'P0002', NULL,
    'issue_refresh_token: acting for bob, an unknown user is P0002 (existence before permission)');
SELECT throws_ok(format('SELECT xphere.issue_refresh_token(%L, %L)', :'a_id', '-1 hour'), '22023', NULL,
    'issue_refresh_token: acting for bob, alice with a negative ttl is 22023 (validity before permission)');
RESET xphere.user_id;

SELECT is(pg_temp.snapshot(), :'state2', 'the failed issue_refresh_token calls changed no xphere table');

-- ===================================================================
-- rotate_refresh_token
-- ===================================================================

-- one day later: t1 (30 days) is live, t2 (1 hour) has expired
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT xphere.rotate_refresh_token(:'t1') AS r1 \gset

SELECT ok(:'r1' ~ '^[0-9a-f]{32,}$' AND :'r1' <> :'t1', 'rotation returns a new hex token');
SELECT is((SELECT revoked_at FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'t1', 'UTF8'))),
          '2027-01-02 00:00:00+00'::timestamptz,
    'the rotated token is revoked at the time of the rotation');
SELECT is((SELECT replaced_by FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'t1', 'UTF8'))),
          (SELECT id FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'r1', 'UTF8'))),
    'the rotated token''s replaced_by is the id of the new token''s row');
SELECT is((SELECT family_id FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'r1', 'UTF8'))),
          (SELECT family_id FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'t1', 'UTF8'))),
    'the new token belongs to the family of the old one');
SELECT is((SELECT user_id FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'r1', 'UTF8'))),
          :'a_id'::uuid,
    'the new token belongs to the same user');
SELECT is((SELECT expires_at FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'r1', 'UTF8'))),
          '2027-02-01 00:00:00+00'::timestamptz,
    'the new token has the old one''s lifetime (30 days) from the rotation: 2027-01-02 + 30 days = 2027-02-01');
SELECT is((SELECT ROW(revoked_at, replaced_by)::text FROM xphere.refresh_tokens
            WHERE token_hash = sha256(convert_to(:'r1', 'UTF8'))), '(,)',
    'the new token is live');

-- two days after issue, rotate the rotated-to token again
SET LOCAL xphere.clock = '2027-01-03 00:00:00+00';
SELECT xphere.rotate_refresh_token(:'r1') AS r2 \gset
SELECT ok(:'r2' ~ '^[0-9a-f]{32,}$' AND :'r2' NOT IN (:'t1', :'r1'), 'rotating the new token works: a third token');
SELECT is((SELECT ROW(revoked_at, replaced_by)::text FROM xphere.refresh_tokens
            WHERE token_hash = sha256(convert_to(:'r1', 'UTF8'))),
          (SELECT ROW('2027-01-03 00:00:00+00'::timestamptz, id)::text FROM xphere.refresh_tokens
            WHERE token_hash = sha256(convert_to(:'r2', 'UTF8'))),
    'the second rotation revokes r1 at 2027-01-03 and points it at r2');
SELECT is((SELECT ROW(family_id, expires_at)::text FROM xphere.refresh_tokens
            WHERE token_hash = sha256(convert_to(:'r2', 'UTF8'))),
          (SELECT ROW(family_id, '2027-02-02 00:00:00+00'::timestamptz)::text FROM xphere.refresh_tokens
            WHERE token_hash = sha256(convert_to(:'t1', 'UTF8'))),
    'r2 keeps the family and the 30-day lifetime: expires 2027-01-03 + 30 days = 2027-02-02');

-- a token whose ttl is almost over still rotates; one past expiry does not
SELECT xphere.issue_refresh_token(:'a_id', '1 hour') AS t3 \gset
SELECT xphere.issue_refresh_token(:'a_id', '1 hour') AS t4 \gset
SET LOCAL xphere.clock = '2027-01-03 00:59:59+00';
SELECT xphere.rotate_refresh_token(:'t3') AS r3 \gset
SELECT is((SELECT expires_at FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'r3', 'UTF8'))),
          '2027-01-03 01:59:59+00'::timestamptz,
    'a 1-hour token rotated one second before expiry gives a token expiring 1 hour later (01:59:59)');
SET LOCAL xphere.clock = '2027-01-03 01:00:01+00';

-- a second token family for alice, and its state before the errors
SELECT xphere.issue_refresh_token(:'a_id') AS t6 \gset
SELECT pg_temp.snapshot() AS state3 \gset

SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'t4'), '28P01', NULL,
    'rotate_refresh_token: a token one second past expiry is 28P01');
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'t2'), '28P01', NULL,
    'rotate_refresh_token: a token expired a day ago is 28P01');
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', md5('no such token') || md5('at all')), '28P01', NULL,
    'rotate_refresh_token: an unknown token is 28P01');
SELECT throws_ok($$SELECT xphere.rotate_refresh_token('')$$, '28P01', NULL,
    'rotate_refresh_token: an empty token is 28P01 (unknown)');
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', upper(:'r2')), '28P01', NULL,
    'rotate_refresh_token: the token in upper case is another (unknown) token, 28P01');
SELECT throws_ok($$SELECT xphere.rotate_refresh_token(NULL)$$, '22004', NULL,
    'rotate_refresh_token: NULL token is 22004');
SET LOCAL xphere.user_id = :'b_id';
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'r2'), '42501', NULL,
    'rotate_refresh_token: a session acting for bob cannot rotate alice''s live token (42501)');
RESET xphere.user_id;

SELECT is(pg_temp.snapshot(), :'state3', 'the failed rotations changed no xphere table');

-- a session acting for alice may rotate alice's token
SET LOCAL xphere.user_id = :'a_id';
SELECT xphere.rotate_refresh_token(:'t6') AS r6 \gset
RESET xphere.user_id;
SELECT ok(:'r6' ~ '^[0-9a-f]{32,}$', 'a session acting for alice rotates alice''s token');

-- reuse of a rotated token: returns NULL, revokes every token of alice
SET LOCAL xphere.clock = '2027-01-04 00:00:00+00';
SELECT is(xphere.rotate_refresh_token(:'r1'), NULL,
    'presenting an already rotated token again returns NULL (no error)');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens WHERE user_id = :'a_id' AND revoked_at IS NULL), 0,
    'after the reuse every token of alice is revoked');
SELECT is((SELECT array_agg(revoked_at ORDER BY x.n) FROM xphere.refresh_tokens r
             JOIN unnest(ARRAY[:'r2', :'r6', :'t2', :'t4', :'r3']) WITH ORDINALITY AS x(tok, n)
               ON r.token_hash = sha256(convert_to(x.tok, 'UTF8'))),
          array_fill('2027-01-04 00:00:00+00'::timestamptz, ARRAY[5]),
    'the live tokens of both families (r2, r6) and the unrevoked expired ones (t2, t4, r3) were revoked at the reuse, 2027-01-04');
SELECT is((SELECT revoked_at FROM xphere.refresh_tokens WHERE token_hash = sha256(convert_to(:'t1', 'UTF8'))),
          '2027-01-02 00:00:00+00'::timestamptz,
    'a token revoked earlier keeps its revocation time');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens WHERE user_id = :'b_id' AND revoked_at IS NULL), 2,
    'bob''s two tokens are untouched by the revocation of alice''s');
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'r2'), '28P01', NULL,
    'rotate_refresh_token: alice''s latest token, revoked by the reuse, is now 28P01');
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'r6'), '28P01', NULL,
    'rotate_refresh_token: alice''s token of the other family, revoked by the reuse, is now 28P01');
SELECT is(xphere.rotate_refresh_token(:'t1'), NULL,
    'presenting the first rotated token later still returns NULL');

-- ===================================================================
-- revoke_refresh_tokens
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-05 00:00:00+00';
SELECT xphere.issue_refresh_token(:'a_id') AS k1 \gset
SELECT xphere.issue_refresh_token(:'a_id') AS k2 \gset
SELECT xphere.issue_refresh_token(:'a_id', '2 days') AS k3 \gset
SELECT xphere.rotate_refresh_token(:'k1') AS k4 \gset
-- alice's live tokens: k2, k3, k4 (k1 rotated, older ones revoked)
SELECT pg_temp.snapshot() AS state4 \gset

SELECT throws_ok($$SELECT xphere.revoke_refresh_tokens(NULL)$$, '22004', NULL,
    'revoke_refresh_tokens: NULL user_id is 22004');
SELECT throws_ok($$SELECT xphere.revoke_refresh_tokens('6f1c3b52-0000-4000-8000-000000000001')$$, 'P0002', NULL,
    'revoke_refresh_tokens: an unknown user is P0002');
SELECT throws_ok($$SELECT xphere.revoke_refresh_tokens('00000000-0000-0000-0000-000000000000')$$, 'P0002', NULL,
    'revoke_refresh_tokens: the system (house) user does not count as a user (P0002)');
SET LOCAL xphere.user_id = :'b_id';
SELECT throws_ok(format('SELECT xphere.revoke_refresh_tokens(%L)', :'a_id'), '42501', NULL,
    'revoke_refresh_tokens: a session acting for bob cannot revoke alice''s tokens (42501)');
SELECT throws_ok($$SELECT xphere.revoke_refresh_tokens('6f1c3b52-0000-4000-8000-000000000001')$$, 'P0002', NULL,
    'revoke_refresh_tokens: acting for bob, an unknown user is P0002 (existence before permission)');
RESET xphere.user_id;
SELECT is(pg_temp.snapshot(), :'state4', 'the failed revocations changed no xphere table');

SELECT is(xphere.revoke_refresh_tokens(:'a_id'), 3,
    'revoke_refresh_tokens returns the number of live tokens it revoked (k2, k3, k4)');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens
            WHERE user_id = :'a_id' AND revoked_at = '2027-01-05 00:00:00+00'), 4,
    'k2, k3, k4 (now) and k1 (rotated at the same instant) carry revoked_at 2027-01-05');
SELECT is(xphere.revoke_refresh_tokens(:'a_id'), 0,
    'a second revoke_refresh_tokens finds nothing left to revoke (0)');
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'k2'), '28P01', NULL,
    'rotate_refresh_token: a token revoked by revoke_refresh_tokens is 28P01');
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'k4'), '28P01', NULL,
    'rotate_refresh_token: the latest token of a rotated family, revoked by revoke_refresh_tokens, is 28P01');
SELECT is((SELECT count(*)::int FROM xphere.refresh_tokens WHERE user_id = :'b_id' AND revoked_at IS NULL), 2,
    'revoking alice''s tokens left bob''s two tokens live');
SELECT is(xphere.revoke_refresh_tokens(:'c_id'), 0,
    'revoke_refresh_tokens for a user without tokens returns 0');

SET LOCAL xphere.user_id = :'b_id';
SELECT is(xphere.revoke_refresh_tokens(:'b_id'), 2,
    'a session acting for bob revokes bob''s two tokens and gets 2');
RESET xphere.user_id;
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'tb'), '28P01', NULL,
    'rotate_refresh_token: bob''s token revoked by revoke_refresh_tokens is 28P01');

-- A session acting for bob presents alice's rotated token: acting for
-- another user is 42501 and permission comes before state, so the
-- reuse must not revoke alice's tokens from bob's session.
SET LOCAL xphere.clock = '2027-01-06 00:00:00+00';
SELECT xphere.issue_refresh_token(:'a_id') AS m1 \gset
SELECT xphere.rotate_refresh_token(:'m1') AS m2 \gset
SELECT pg_temp.snapshot() AS state5 \gset
SET LOCAL xphere.user_id = :'b_id';
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'m1'), '42501', NULL,
    'rotate_refresh_token: a session acting for bob presenting alice''s rotated token is 42501');
RESET xphere.user_id;
SELECT is(pg_temp.snapshot(), :'state5',
    'the refused reuse from bob''s session revoked nothing: alice''s latest token m2 stays live');

-- ===================================================================
-- The whole ledger is consistent
-- ===================================================================

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'check_invariants() reports no violation');

SELECT * FROM finish();
ROLLBACK;

/*
 * bench/ops set-up: USERS platform users (default 10 000), each with
 * 1 000 000 XP and 1 000 000 USDT deposited through the API, 1 000 XP
 * supplied to lp-xp, one p1 machine, one 100 XP explorer stake and one
 * loan (10 XP against 20 USDT); a fresh XP price.  Users and their empty
 * accounts are created in bulk (their passwords are irrelevant here);
 * money moves only through the API.
 */
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS xphere CASCADE;
INSERT INTO xphere.users (id, email, password_hash, name)
SELECT md5('ops user ' || i)::uuid, 'ops' || i || '@example.com', '!', 'Ops ' || i
FROM generate_series(1, :users) AS i;
INSERT INTO xphere.accounts (user_id, currency)
SELECT md5('ops user ' || i)::uuid, c
FROM generate_series(1, :users) AS i, unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c;
SELECT count(xphere.deposit(md5('ops user ' || i)::uuid, c, 1000000, '0x' || encode(sha256(convert_to('ops-' || c || '-' || i, 'UTF8')), 'hex')))
FROM generate_series(1, :users) AS i, unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c;
SELECT xphere.set_price('XP', '1');
SELECT count(xphere.supply(md5('ops user ' || i)::uuid, 'lp-xp', 1000))
FROM generate_series(1, :users) AS i;
SELECT count(xphere.purchase_machine(md5('ops user ' || i)::uuid, 'p1'))
FROM generate_series(1, :users) AS i;
SELECT count(xphere.stake(md5('ops user ' || i)::uuid, 100))
FROM generate_series(1, :users) AS i;
SELECT count(xphere.borrow(md5('ops user ' || i)::uuid, 'lp-xp', 10, 'USDT', 20))
FROM generate_series(1, :users) AS i;
VACUUM ANALYZE;

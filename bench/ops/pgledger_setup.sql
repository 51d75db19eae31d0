/*
 * bench/ops set-up of the pgledger baseline (psql variable accounts), in a
 * database where pgledger.sql is installed: ACCOUNTS accounts in one
 * currency, made through pgledger_create_account() (negative balances
 * allowed, its default), and a table numbering them 1 .. ACCOUNTS so that
 * bench/ops/pgledger_transfer.sql can draw two at random as
 * bench/ops/transfer.sql draws two users.
 */
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TABLE bench_pgledger_accounts (n integer PRIMARY KEY, id text NOT NULL);
INSERT INTO bench_pgledger_accounts (n, id)
SELECT i, a.id
FROM generate_series(1, :accounts) AS i,
	LATERAL pgledger_create_account('bench account ' || i, 'XP') AS a;
VACUUM ANALYZE;

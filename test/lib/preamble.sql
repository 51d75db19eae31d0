-- test/lib/preamble.sql - how every pgTAP file of test/pgtap begins:
--     \set clock '2027-01-01 00:00:00+00'   (optional: xphere.clock before
--                                            the extension is created, so
--                                            its seeded rows carry that time)
--     \ir ../lib/preamble.sql
-- Stops at the first error; prints TAP lines only; opens the transaction
-- the file runs in (it ends with ROLLBACK, leaving nothing behind); creates
-- pgtap and xphere if the database has not got them (a file run by
-- test/scripts/upgrade.sh finds the updated xphere already there).
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
\if :{?clock}
SET LOCAL xphere.clock = :'clock';
\endif
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS xphere CASCADE;

-- test/pgtap/errcodes.sql: the extension's SQLSTATEs by name in PL/pgSQL.
-- Ensures that xphere_internal.errcode() gives each XP error's code as
-- src/errcodes.h defines it (the pairs below are copied from that header
-- and doc/errors.md, not from the function), refuses an unknown name, and
-- that no function of the extension raises a bare SQLSTATE literal: every
-- RAISE names its code (a PostgreSQL condition name, or errcode()).
\ir ../lib/preamble.sql

SELECT plan(10);

SELECT is(xphere_internal.errcode(n), c, format('errcode(%L) is %s (ERRCODE_XP_%s)', n, c, upper(n)))
  FROM (VALUES ('insufficient_balance', 'XP001'), ('insufficient_liquidity', 'XP002'),
               ('unhealthy', 'XP003'), ('not_liquidatable', 'XP004'), ('stale_price', 'XP005'),
               ('wrong_state', 'XP006'), ('dust', 'XP007')) v(n, c);
SELECT throws_ok($$SELECT xphere_internal.errcode('insufficient_balances')$$, 'XX000',
                 'no XP error is called "insufficient_balances"', 'an unknown name is an error, not NULL');
SELECT is_empty($$
    SELECT p.oid::regprocedure, (regexp_match(p.prosrc, 'ERRCODE\s*=\s*''[0-9A-Z]{5}'''))[1]
      FROM pg_proc p
     WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace)
       AND p.prosrc ~ 'ERRCODE\s*=\s*''[0-9A-Z]{5}'''
$$, 'no function raises a bare SQLSTATE literal (ERRCODE = ''22023'' and the like)');
SELECT cmp_ok((SELECT count(*)::int FROM pg_proc p
                WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace)
                  AND p.prosrc ~ 'ERRCODE = xphere_internal\.errcode\('''),
              '>=', 10, 'the XP errors are raised through errcode() (the check above saw the functions)');

SELECT * FROM finish();
ROLLBACK;

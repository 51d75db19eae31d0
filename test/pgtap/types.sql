--
-- test/pgtap/types.sql: pgTAP tests of the wad, ray and health_factor types.
--
-- What this file ensures:
--   * the catalog contract: storage of the types, every operator, the
--     default btree and hash operator classes, the context of every cast,
--     volatility/parallel safety of every function, parallel aggregates and
--     leakproof comparisons;
--   * errors with their SQLSTATE: bad text (22P02), one unit beyond the
--     range and arithmetic overflow (22003), division by zero (22012),
--     invalid health_factor arguments (22003 / 22023);
--   * exact results worked out by hand (derivations in the comments) for
--     wadMul/wadDiv/rayMul/rayDiv, their floor/ceil variants, the ties at
--     .5 of both signs, the Aave identities and rounding round trips;
--   * a property test over 10000 deterministic pseudo-random pairs of
--     varying magnitude, sign and scale, compared with exact numeric
--     arithmetic (numeric multiplication is exact; quotients are computed
--     as exact integer divisions on numeric, rounded explicitly).
--
-- Notation: a "unit" is the smallest step of a type (10^-18 for wad and
-- health_factor, 10^-27 for ray).  MAX is 2^127 - 1 units:
--   2^127 - 1 = 170141183460469231731687303715884105727
--   wad MAX   = 170141183460469231731.687303715884105727
--   ray MAX   = 170141183460.469231731687303715884105727
-- health_factor's largest finite value is 2^127 - 2 units (2^127 - 1 units
-- is its infinity).
--
\ir ../lib/preamble.sql
-- the operators and aggregates live in schema xphere, as for applications
SET LOCAL search_path = public, xphere;

SELECT plan(188);

-- ===================================================================
-- Catalog contract
-- ===================================================================

SELECT has_type('xphere', t, 'type xphere.' || t || ' exists in schema xphere')
  FROM unnest(ARRAY['wad', 'ray', 'health_factor']) AS t;

-- 16-byte, pass-by-reference, double-aligned: the int128 representation
SELECT is((SELECT format('%s/%s/%s', typlen, typbyval, typalign)
             FROM pg_type
            WHERE typnamespace = 'xphere'::regnamespace AND typname = t),
          '16/f/d',
          'type xphere.' || t || ' is 16 bytes, passed by reference, double-aligned')
  FROM unnest(ARRAY['wad', 'ray', 'health_factor']) AS t;

-- binary operators within wad and within ray (format_type names them
-- without schema because xphere is on the search_path)
SELECT has_operator(t, 'xphere', op, t, t,
                    'operator ' || t || ' ' || op || ' ' || t || ' returns ' || t)
  FROM unnest(ARRAY['wad', 'ray']) AS t,
       unnest(ARRAY['+', '-', '*', '/']) AS op;

SELECT has_leftop('xphere', '-', t, t, 'prefix operator - ' || t || ' returns ' || t)
  FROM unnest(ARRAY['wad', 'ray']) AS t;

SELECT has_operator(t, 'xphere', op, t, 'boolean',
                    'comparison ' || t || ' ' || op || ' ' || t || ' exists')
  FROM unnest(ARRAY['wad', 'ray', 'health_factor']) AS t,
       unnest(ARRAY['=', '<>', '<', '<=', '>', '>=']) AS op;

-- health_factor against numeric in both orders ("WHERE hf < 1")
SELECT has_operator(l, 'xphere', op, r, 'boolean',
                    'comparison ' || l || ' ' || op || ' ' || r || ' exists')
  FROM (VALUES ('health_factor', 'numeric'), ('numeric', 'health_factor')) AS p(l, r),
       unnest(ARRAY['=', '<>', '<', '<=', '>', '>=']) AS op;

-- amount (wad) against index (ray)
SELECT has_operator('wad', 'xphere', '*', 'ray', 'wad', 'operator wad * ray (rayMul) returns wad');
SELECT has_operator('ray', 'xphere', '*', 'wad', 'wad', 'operator ray * wad (rayMul) returns wad');
SELECT has_operator('wad', 'xphere', '/', 'ray', 'wad', 'operator wad / ray (rayDiv) returns wad');

-- the named functions of the contract, with their exact signatures
SELECT is_empty($$
    SELECT s FROM unnest(ARRAY[
        'xphere.wad_mul(xphere.wad, xphere.wad)',
        'xphere.wad_div(xphere.wad, xphere.wad)',
        'xphere.wad_mul_floor(xphere.wad, xphere.wad)',
        'xphere.wad_mul_ceil(xphere.wad, xphere.wad)',
        'xphere.wad_div_floor(xphere.wad, xphere.wad)',
        'xphere.wad_div_ceil(xphere.wad, xphere.wad)',
        'xphere.ray_mul(xphere.ray, xphere.ray)',
        'xphere.ray_div(xphere.ray, xphere.ray)',
        'xphere.ray_mul_floor(xphere.ray, xphere.ray)',
        'xphere.ray_mul_ceil(xphere.ray, xphere.ray)',
        'xphere.ray_div_floor(xphere.ray, xphere.ray)',
        'xphere.ray_div_ceil(xphere.ray, xphere.ray)',
        'xphere.ray_mul(xphere.wad, xphere.ray)',
        'xphere.ray_div(xphere.wad, xphere.ray)',
        'xphere.ray_mul_floor(xphere.wad, xphere.ray)',
        'xphere.ray_mul_ceil(xphere.wad, xphere.ray)',
        'xphere.ray_div_floor(xphere.wad, xphere.ray)',
        'xphere.ray_div_ceil(xphere.wad, xphere.ray)',
        'xphere.abs(xphere.wad)',
        'xphere.abs(xphere.ray)',
        'xphere.health_factor(xphere.wad, xphere.wad, xphere.wad)'
    ]) AS s
    WHERE to_regprocedure(s) IS NULL
$$, 'every named function of the contract exists with its signature');

SELECT is((SELECT format_type(prorettype, NULL) FROM pg_proc
            WHERE oid = to_regprocedure(
                'xphere.health_factor(xphere.wad, xphere.wad, xphere.wad)')),
          'health_factor',
          'xphere.health_factor(wad, wad, wad) returns a health_factor');

-- default operator classes, usable by indexes, ORDER BY, DISTINCT, hash joins
SELECT ok(EXISTS (SELECT 1 FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
                   WHERE c.opcintype = ('xphere.' || t)::regtype
                     AND a.amname = am AND c.opcdefault),
          'a default ' || am || ' operator class exists for ' || t)
  FROM unnest(ARRAY['wad', 'ray', 'health_factor']) AS t,
       unnest(ARRAY['btree', 'hash']) AS am;

-- cast contexts: implicit where the cast can never fail, and into wad from
-- what drivers bind amounts as (numeric, text, varchar: see
-- sql/install/platform/param_types.sql); nothing implicit into ray, whose operators would
-- otherwise be ambiguous with wad's
SELECT cast_context_is(s, t, ctx,
                       'cast ' || s || ' -> ' || t || ' is ' || ctx)
  FROM (VALUES
        ('smallint', 'wad', 'implicit'),
        ('integer', 'wad', 'implicit'),
        ('bigint', 'wad', 'implicit'),
        ('smallint', 'ray', 'explicit'),
        ('integer', 'ray', 'explicit'),
        ('bigint', 'ray', 'explicit'),
        ('numeric', 'wad', 'implicit'),
        ('text', 'wad', 'implicit'),
        ('character varying', 'wad', 'implicit'),
        ('numeric', 'ray', 'assignment'),
        ('wad', 'numeric', 'assignment'),
        ('ray', 'numeric', 'assignment'),
        ('double precision', 'wad', 'explicit'),
        ('double precision', 'ray', 'explicit'),
        ('wad', 'double precision', 'explicit'),
        ('ray', 'double precision', 'explicit'),
        ('wad', 'ray', 'explicit'),
        ('ray', 'wad', 'explicit')
       ) AS c(s, t, ctx);

SELECT is_empty($$
    SELECT p.oid::regprocedure::text, p.provolatile, p.proparallel
      FROM pg_proc p
     WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace)
       AND (p.prokind = 'a' OR p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c'))
       AND p.proname NOT IN ('now', 'current_user_id', 'worker_status_internal',
                             'authorize_acting', 'session_is_trusted', 'sees_all_users', 'session_is_owner',
                             'hide_secrets_from_log', 'liability_build', 'liability_proof_parts',
                             'lock_accounts')
       AND (p.provolatile <> 'i' OR p.proparallel <> 's')
$$, 'every C function (but the clock, the acting user, the trust checks, the worker status, the log marker, the liability trees and the ledger''s lock_accounts, which read and write tables) and every aggregate in schemas xphere and xphere_internal is IMMUTABLE and PARALLEL SAFE');

SELECT set_eq($$
    SELECT p.proname::text || '(' || format_type(p.proargtypes[0], NULL) || ')'
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
     WHERE p.pronamespace = 'xphere'::regnamespace
$$, ARRAY['sum(wad)', 'avg(wad)', 'min(wad)', 'max(wad)',
          'sum(ray)', 'avg(ray)', 'min(ray)', 'max(ray)',
          'min(health_factor)', 'max(health_factor)'],
   'the aggregates are sum/avg/min/max for wad and ray and min/max for health_factor');

SELECT is_empty($$
    SELECT a.aggfnoid::regprocedure::text
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
     WHERE p.pronamespace = 'xphere'::regnamespace
       AND a.aggcombinefn = 0
$$, 'every aggregate in schema xphere has a combine function (partial aggregation)');

SELECT is_empty($$
    SELECT a.aggfnoid::regprocedure::text
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
     WHERE p.pronamespace = 'xphere'::regnamespace
       AND p.proname IN ('sum', 'avg')
       AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0 OR a.aggtranstype <> 'internal'::regtype)
$$, 'sum and avg have internal states with serialize and deserialize functions');

-- comparisons only return a boolean or an integer and raise no
-- value-dependent error, so they may run before security-barrier quals
SELECT is_empty($$
    SELECT o.oprcode::regprocedure::text
      FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode
     WHERE o.oprname IN ('=', '<>', '<', '<=', '>', '>=')
       AND o.oprleft = o.oprright
       AND o.oprleft IN ('xphere.wad'::regtype, 'xphere.ray'::regtype, 'xphere.health_factor'::regtype)
       AND NOT p.proleakproof
    UNION ALL
    SELECT ap.amproc::regprocedure::text
      FROM pg_amproc ap JOIN pg_opfamily f ON f.oid = ap.amprocfamily
      JOIN pg_proc p ON p.oid = ap.amproc
     WHERE f.opfnamespace = 'xphere'::regnamespace
       AND ap.amproclefttype = ap.amprocrighttype
       AND ap.amproclefttype IN ('xphere.wad'::regtype, 'xphere.ray'::regtype, 'xphere.health_factor'::regtype)
       AND p.proargtypes[0] = ap.amproclefttype   -- cmp and hash, not sortsupport(internal)
       AND NOT p.proleakproof
$$, 'the comparison operators of wad, ray and health_factor and their btree/hash support functions are LEAKPROOF');
-- the same holds for health_factor against numeric (exact comparison, no
-- error for any numeric, NaN and infinities included), so "hf < 1" can be
-- pushed below a security barrier too
SELECT is_empty($$
    SELECT o.oprcode::regprocedure::text
      FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode
     WHERE o.oprname IN ('=', '<>', '<', '<=', '>', '>=')
       AND ((o.oprleft = 'xphere.health_factor'::regtype AND o.oprright = 'numeric'::regtype)
            OR (o.oprleft = 'numeric'::regtype AND o.oprright = 'xphere.health_factor'::regtype))
       AND NOT p.proleakproof
$$, 'the health_factor vs numeric comparison functions (both orders) are LEAKPROOF');

-- ===================================================================
-- Errors and their SQLSTATEs
-- ===================================================================

SELECT throws_ok($$SELECT 'abc'::xphere.wad$$, '22P02',
                 'invalid input syntax for type wad: "abc"',
                 'garbage text is 22P02 with the core message');
SELECT throws_ok(format('SELECT %L::xphere.wad', s), '22P02', NULL,
                 'text ' || quote_literal(s) || ' is not a valid wad (22P02)')
  FROM unnest(ARRAY['', ' ', 'NaN', 'infinity', '.', '1e', '--1', '1.2.3', '0x10']) AS s;
SELECT throws_ok($$SELECT 'NaN'::xphere.ray$$, '22P02', NULL, 'NaN is not a valid ray (22P02)');
SELECT throws_ok($$SELECT ''::xphere.ray$$, '22P02', NULL, 'empty text is not a valid ray (22P02)');
SELECT throws_ok($$SELECT 'NaN'::xphere.health_factor$$, '22P02', NULL, 'NaN is not a valid health_factor (22P02)');
SELECT throws_ok($$SELECT 'abc'::xphere.health_factor$$, '22P02', NULL, 'garbage is not a valid health_factor (22P02)');

-- one unit beyond the range, both signs (-2^127 units is out of range too)
SELECT throws_ok($$SELECT '170141183460469231731.687303715884105728'::xphere.wad$$, '22003', NULL,
                 'wad text one unit above MAX (2^127 units) is 22003');
SELECT throws_ok($$SELECT '-170141183460469231731.687303715884105728'::xphere.wad$$, '22003', NULL,
                 'wad text one unit below -MAX (-2^127 units) is 22003');
SELECT throws_ok($$SELECT '170141183460.469231731687303715884105728'::xphere.ray$$, '22003', NULL,
                 'ray text one unit above MAX is 22003');
SELECT throws_ok($$SELECT '-170141183460.469231731687303715884105728'::xphere.ray$$, '22003', NULL,
                 'ray text one unit below -MAX is 22003');
SELECT throws_ok($$SELECT '170141183460469231731.687303715884105727'::xphere.health_factor$$, '22003', NULL,
                 'health_factor text one unit above its finite max (2^127 - 2 units) is 22003');
SELECT throws_ok($$SELECT 170141183460469231731.687303715884105728::numeric::xphere.wad$$, '22003', NULL,
                 'numeric one unit above wad MAX is 22003');

-- arithmetic overflow
SELECT throws_ok($$SELECT '170141183460469231731.687303715884105727'::wad + '0.000000000000000001'::wad$$,
                 '22003', NULL, 'wad MAX + 1 unit overflows (22003)');
SELECT throws_ok($$SELECT '-170141183460469231731.687303715884105727'::wad - '0.000000000000000001'::wad$$,
                 '22003', NULL, 'wad -MAX - 1 unit overflows (22003)');
SELECT throws_ok($$SELECT '170141183460469231731.687303715884105727'::wad * '1.000000000000000001'::wad$$,
                 '22003', NULL, 'wad MAX * 1.000000000000000001 overflows (22003)');
SELECT throws_ok($$SELECT '1000000000000'::wad / '0.000000001'::wad$$,
                 '22003', NULL, 'wad 10^12 / 10^-9 = 10^21 > MAX overflows (22003)');
SELECT throws_ok($$SELECT '170141183460.469231731687303715884105727'::ray * '-2'::ray$$,
                 '22003', NULL, 'ray MAX * -2 overflows (22003)');
SELECT throws_ok($$SELECT '170141183460.469231731687303715884105727'::ray + '0.000000000000000000000000001'::ray$$,
                 '22003', NULL, 'ray MAX + 1 unit overflows (22003)');
SELECT throws_ok($$SELECT '1'::wad / '0.000000000000000000000000001'::ray$$,
                 '22003', NULL, 'wad 1 / ray 10^-27 = 10^27 > wad MAX overflows (22003)');
SELECT throws_ok($$SELECT 200000000000::bigint::ray$$,
                 '22003', NULL, 'bigint 2 * 10^11 > ray MAX overflows the cast (22003)');
SELECT throws_ok($$SELECT '1000000000000'::wad::ray$$,
                 '22003', NULL, 'wad 10^12 does not fit in a ray (22003)');
SELECT throws_ok($$SELECT '32767.5'::wad::smallint$$,
                 '22003', NULL, 'wad 32767.5 rounds to 32768, out of range for smallint (22003)');
SELECT throws_ok($$SELECT sum(v) FROM (VALUES ('170141183460469231731.687303715884105727'::wad),
                                              ('0.000000000000000001'::wad)) AS t(v)$$,
                 '22003', NULL, 'a sum beyond wad MAX is 22003');

-- division by zero
SELECT throws_ok($$SELECT '1'::wad / '0'::wad$$, '22012', NULL, 'wad / 0 is division by zero (22012)');
SELECT throws_ok($$SELECT '1'::ray / '0'::ray$$, '22012', NULL, 'ray / 0 is division by zero (22012)');
SELECT throws_ok($$SELECT '1'::wad / '0'::ray$$, '22012', NULL, 'wad / ray 0 is division by zero (22012)');
SELECT throws_ok($$SELECT wad_div_floor('0', '0')$$, '22012', NULL, 'wad_div_floor by 0 is division by zero (22012)');
SELECT throws_ok($$SELECT ray_div_ceil('1'::wad, '0'::ray)$$, '22012', NULL, 'ray_div_ceil(wad, 0) is division by zero (22012)');

-- health_factor: never negative
SELECT throws_ok($$SELECT '-1'::health_factor$$, '22003', NULL, 'negative health_factor text is 22003');
SELECT throws_ok($$SELECT '-0.000000000000000001'::wad::health_factor$$, '22003', NULL,
                 'a negative wad cast to health_factor is 22003');
SELECT throws_ok($$SELECT 'infinity'::health_factor::wad$$, '22003', NULL,
                 'infinity health_factor cast to wad is 22003');
SELECT throws_ok(format('SELECT xphere.health_factor(%s)', args), '22023', NULL,
                 'xphere.health_factor(' || args || ') with a negative argument is 22023')
  FROM unnest(ARRAY[$a$'-1', '1', '1'$a$, $a$'1', '-0.000000000000000001', '1'$a$,
                    $a$'1', '1', '-1'$a$]) AS args;

-- ===================================================================
-- Exact values worked out by hand
-- ===================================================================

-- text input: spaces, sign, exponent, rounding of extra digits; output trimmed
SELECT is(E' \t+1.50\n '::wad::text, '1.5', 'input accepts surrounding whitespace and +, output trims zeros');
SELECT is(ARRAY['.5'::wad, '5.'::wad, '1E+3'::wad, '1e-3'::wad]::text,
          '{0.5,5,1000,0.001}', 'input accepts .5, 5., 1E+3 and 1e-3');
-- 0.0000000000000000005 is half a unit: rounds away from zero to 1 unit
SELECT is(ARRAY['0.0000000000000000005'::wad, '-0.0000000000000000005'::wad,
                '0.00000000000000000049999'::wad]::text,
          '{0.000000000000000001,-0.000000000000000001,0}',
          'extra fractional digits round half away from zero (both signs)');
SELECT is('-1e-27'::ray::text, '-0.000000000000000000000000001', 'ray prints its smallest negative unit exactly');
SELECT is(ARRAY['170141183460469231731.687303715884105727'::wad,
                '-170141183460469231731.687303715884105727'::wad]::text,
          '{170141183460469231731.687303715884105727,-170141183460469231731.687303715884105727}',
          'wad MAX and -MAX are accepted and printed exactly');
SELECT is('170141183460.469231731687303715884105727'::ray::text,
          '170141183460.469231731687303715884105727', 'ray MAX is accepted and printed exactly');
SELECT is(ARRAY['Infinity'::health_factor, 'INFINITY'::health_factor,
                '170141183460469231731.687303715884105726'::health_factor]::text,
          '{infinity,infinity,170141183460469231731.687303715884105726}',
          'health_factor accepts infinity in any case and its finite max');

-- wadMul: round(a * b / 10^18) half away from zero
SELECT is(('1.5'::wad * '2'::wad)::text, '3', '1.5 * 2 = 3');
-- (1 + 10^-18)^2 = 1 + 2*10^-18 + 10^-36 -> 1.000000000000000002
SELECT is(('1.000000000000000001'::wad * '1.000000000000000001'::wad)::text,
          '1.000000000000000002', '(1 + 1 unit)^2 rounds the 10^-36 term away');
-- 1 unit * 0.5 = 0.5 unit: a tie, away from zero to 1 unit (and -1 unit)
SELECT is(ARRAY['0.000000000000000001'::wad * '0.5'::wad,
                '-0.000000000000000001'::wad * '0.5'::wad,
                '0.000000000000000001'::wad * '-0.5'::wad]::text,
          '{0.000000000000000001,-0.000000000000000001,-0.000000000000000001}',
          'wadMul ties round half away from zero for both signs');
-- 1 unit * 0.499999999999999999 = 0.499999999999999999 unit -> 0
SELECT is(('0.000000000000000001'::wad * '0.499999999999999999'::wad)::text, '0',
          'wadMul just below a tie rounds toward zero');
-- floor/ceil of +-0.5 unit: floor(0.5)=0, ceil(0.5)=1, floor(-0.5)=-1, ceil(-0.5)=0
SELECT is(ARRAY[wad_mul_floor('0.000000000000000001', '0.5'),
                wad_mul_ceil('0.000000000000000001', '0.5'),
                wad_mul_floor('-0.000000000000000001', '0.5'),
                wad_mul_ceil('-0.000000000000000001', '0.5')]::text,
          '{0,0.000000000000000001,-0.000000000000000001,0}',
          'wad_mul_floor/ceil go toward -infinity/+infinity for both signs');
-- wadDiv: round(a * 10^18 / b); 1/3 = 0.333..3|33.., 2/3 = 0.666..6|66.. -> ..7
SELECT is(ARRAY['1'::wad / '3'::wad, '2'::wad / '3'::wad,
                '-2'::wad / '3'::wad, '2'::wad / '-3'::wad]::text,
          '{0.333333333333333333,0.666666666666666667,-0.666666666666666667,-0.666666666666666667}',
          'wadDiv rounds 1/3 down and 2/3 up, symmetrically for negatives');
-- 1 unit / 2 = 0.5 unit: a tie, away from zero
SELECT is(ARRAY['0.000000000000000001'::wad / '2'::wad,
                '-0.000000000000000001'::wad / '2'::wad]::text,
          '{0.000000000000000001,-0.000000000000000001}',
          'wadDiv ties round half away from zero for both signs');
SELECT is(ARRAY[wad_div_floor('2', '3'), wad_div_ceil('1', '3'),
                wad_div_floor('-1', '3'), wad_div_ceil('-2', '3')]::text,
          '{0.666666666666666666,0.333333333333333334,-0.333333333333333334,-0.666666666666666666}',
          'wad_div_floor/ceil go toward -infinity/+infinity for both signs');
SELECT is(ARRAY['0.1'::wad + '0.2'::wad, '0.3'::wad - '0.1'::wad,
                '-5'::wad + '3'::wad, -'1.5'::wad, abs('-1.5'::wad)]::text,
          '{0.3,0.2,-2,-1.5,1.5}', 'addition, subtraction, negation and abs are exact');
-- a 256-bit intermediate: MAX * 1 and MAX / 1 need 2^127 * 10^18
SELECT is(ARRAY['170141183460469231731.687303715884105727'::wad * '1'::wad,
                '-170141183460469231731.687303715884105727'::wad / '1'::wad]::text,
          '{170141183460469231731.687303715884105727,-170141183460469231731.687303715884105727}',
          'wad MAX * 1 and -MAX / 1 are exact (no intermediate overflow)');

-- rayMul / rayDiv within ray
SELECT is(('1.5'::ray * '1.5'::ray)::text, '2.25', 'ray 1.5 * 1.5 = 2.25');
SELECT is(ARRAY['0.000000000000000000000000001'::ray * '0.5'::ray,
                '-0.000000000000000000000000001'::ray * '0.5'::ray]::text,
          '{0.000000000000000000000000001,-0.000000000000000000000000001}',
          'rayMul ties round half away from zero for both signs');
SELECT is(ARRAY['1'::ray / '3'::ray, '2'::ray / '3'::ray, '-2'::ray / '3'::ray]::text,
          '{0.333333333333333333333333333,0.666666666666666666666666667,-0.666666666666666666666666667}',
          'rayDiv rounds 1/3 down and 2/3 up, symmetrically for negatives');
SELECT is(ARRAY[ray_mul_floor('-0.000000000000000000000000001'::ray, '0.5'::ray),
                ray_mul_ceil('0.000000000000000000000000001'::ray, '0.5'::ray),
                ray_div_floor('2'::ray, '3'::ray),
                ray_div_ceil('-2'::ray, '3'::ray)]::text,
          '{-0.000000000000000000000000001,0.000000000000000000000000001,0.666666666666666666666666666,-0.666666666666666666666666666}',
          'ray_mul/div_floor/ceil go toward -infinity/+infinity');

-- wad (amount) with ray (index)
SELECT is(ARRAY['100'::wad * '1.05'::ray, '1.05'::ray * '100'::wad]::text, '{105,105}',
          'wad 100 * ray 1.05 = 105 in both operand orders');
-- 1 unit (wad) * 0.5 (ray) = 0.5 unit: tie, away from zero
SELECT is(ARRAY['0.000000000000000001'::wad * '0.5'::ray,
                '-0.000000000000000001'::wad * '0.5'::ray]::text,
          '{0.000000000000000001,-0.000000000000000001}',
          'wad * ray ties round half away from zero for both signs');
-- 1 wad / 3 ray = 10^18 * 10^27 / (3 * 10^27) units = 333333333333333333.3 units
SELECT is(ARRAY['1'::wad / '3'::ray, '2'::wad / '3'::ray, '-2'::wad / '3'::ray]::text,
          '{0.333333333333333333,0.666666666666666667,-0.666666666666666667}',
          'wad / ray rounds half away from zero');
-- 1 wad * (1 + 10^-27): 10^18 * (10^27 + 1) / 10^27 = 10^18 + 10^-9 units
SELECT is(ARRAY['1'::wad * '1.000000000000000000000000001'::ray,
                ray_mul_floor('1'::wad, '1.000000000000000000000000001'::ray),
                ray_mul_ceil('1'::wad, '1.000000000000000000000000001'::ray),
                ray_mul_floor('-1'::wad, '1.000000000000000000000000001'::ray),
                ray_mul_ceil('-1'::wad, '1.000000000000000000000000001'::ray)]::text,
          '{1,1,1.000000000000000001,-1.000000000000000001,-1}',
          'ray_mul(wad, ray) rounds, floors and ceils a 10^-9 unit excess');
-- 1 wad / (1 + 10^-27): 10^45 / (10^27 + 1) = 10^18 - 10^-9 + ... units
SELECT is(ARRAY['1'::wad / '1.000000000000000000000000001'::ray,
                ray_div_floor('1'::wad, '1.000000000000000000000000001'::ray),
                ray_div_ceil('1'::wad, '1.000000000000000000000000001'::ray),
                ray_div_floor('-1'::wad, '1.000000000000000000000000001'::ray)]::text,
          '{1,0.999999999999999999,1,-1}',
          'ray_div(wad, ray) rounds, floors and ceils a 10^-9 unit shortfall');

-- conversions
SELECT is(ARRAY['2.5'::wad::integer, '-2.5'::wad::integer, '2.499999999999999999'::wad::integer,
                '-0.5'::ray::integer]::text,
          '{3,-3,2,-1}', 'wad/ray to integer rounds half away from zero');
SELECT is(ARRAY['0.0000000000000000005'::ray::wad, '-0.0000000000000000005'::ray::wad,
                '0.000000000000000000499999999'::ray::wad]::text,
          '{0.000000000000000001,-0.000000000000000001,0}',
          'ray to wad rounds half away from zero');
SELECT is(ARRAY[0.0000000000000000005::numeric::wad, (-0.0000000000000000005)::numeric::wad,
                0.1::float8::wad]::text,
          '{0.000000000000000001,-0.000000000000000001,0.1}',
          'numeric to wad rounds like text; float8 0.1 converts through its shortest text');
SELECT is(ARRAY[9223372036854775807::bigint::wad, (-32768)::smallint::wad]::text,
          '{9223372036854775807,-32768}', 'integer to wad is exact at the bigint and smallint limits');
SELECT is(ARRAY['1.5'::wad::ray::text, '-170141183460469231731.687303715884105727'::wad::numeric::text,
                '170141183460.469231731687303715884105727'::ray::numeric::text],
          ARRAY['1.5', '-170141183460469231731.687303715884105727', '170141183460.469231731687303715884105727'],
          'wad to ray and wad/ray to numeric are exact');

-- health_factor = wadDivFloor(wadMulFloor(collateral, threshold), debt)
SELECT is(xphere.health_factor('100', '0.8', '50')::text, '1.6', 'health_factor(100, 0.8, 50) = 80 / 50 = 1.6');
-- 2 / 3 = 0.666..6|66.. floors to ...666 (where wadDiv would give ...667)
SELECT is(xphere.health_factor('2', '1', '3')::text, '0.666666666666666666', 'health_factor floors the division');
-- wadMulFloor(1 unit, 0.5) = floor(0.5 unit) = 0
SELECT is(xphere.health_factor('0.000000000000000001', '0.5', '1')::text, '0', 'health_factor floors the multiplication');
SELECT is(xphere.health_factor('5', '0.8', '0')::text, 'infinity', 'health_factor without debt is infinity');
-- 10^10 / 10^-18 = 10^28 > the finite max
SELECT is(xphere.health_factor('10000000000', '1', '0.000000000000000001')::text, 'infinity',
          'a health_factor beyond the finite range saturates to infinity');
-- exact comparison with numeric, nothing rounded to 18 places
SELECT is(ARRAY['0.999999999999999999'::health_factor < 1,
                1 > '0.999999999999999999'::health_factor,
                '1'::health_factor = 1.000,
                '1'::health_factor = 1.0000000000000000001,
                '1'::health_factor < 1.0000000000000000001,
                0.9999999999999999999 < '1'::health_factor,
                'infinity'::health_factor > 1e40,
                '170141183460469231731.687303715884105726'::health_factor < 170141183460469231731.6873037158841057261],
          ARRAY[true, true, true, false, true, true, true, true],
          'health_factor compares with numeric exactly, in both operand orders');

-- ===================================================================
-- Identities, ties and round trips over many values
-- ===================================================================

-- deterministic pseudo-random decimal text: seed -> sign, 1..30 significant
-- digits (first one non-zero) and a decimal point position chosen so that
-- 10^min_log <= |v| < 10^max_int, with at most max_frac fractional digits
CREATE FUNCTION pg_temp.gen(seed bigint, max_int int, min_log int, max_frac int)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT sgn || CASE WHEN k = 0 THEN m
                       WHEN k >= nm THEN '0.' || repeat('0', k - nm) || m
                       ELSE substr(m, 1, nm - k) || '.' || substr(m, nm - k + 1) END
      FROM (SELECT sgn, m, nm,
                   (greatest(0, nm - max_int)
                    + (h / 540) % (least(max_frac, nm - 1 - min_log) - greatest(0, nm - max_int) + 1))::int AS k
              FROM (SELECT h,
                           CASE WHEN (h / 270) % 2 = 1 THEN '-' ELSE '' END AS sgn,
                           (1 + h % 9)::text || substr(translate(md5(seed::text), 'abcdef', '012345'),
                                                       1, (h / 9 % 30)::int) AS m,
                           (1 + h / 9 % 30)::int AS nm
                      FROM (SELECT abs(hashint8(seed)::bigint) AS h) AS s0) AS s1) AS s2
$$;

-- exact integer quotient n / d rounded 'half' (away from zero), 'floor' or 'ceil'
CREATE FUNCTION pg_temp.idiv(n numeric, d numeric, mode text)
RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE mode
           WHEN 'half' THEN s * (q + CASE WHEN 2 * r >= abs(d) THEN 1 ELSE 0 END)
           WHEN 'floor' THEN CASE WHEN s >= 0 THEN q ELSE -(q + sign(r)) END
           WHEN 'ceil' THEN CASE WHEN s >= 0 THEN q + sign(r) ELSE -q END
           END
      FROM (SELECT div(abs(n), abs(d)) AS q, mod(abs(n), abs(d)) AS r,
                   sign(n) * sign(d) AS s) AS t
$$;

-- the reference helper itself, on cases checked by hand:
-- 7/2 = 3.5 -> 4, -7/2 -> -4, floor(-7/2) = -4, ceil(-7/2) = -3, 6/4 -> 2 (1.5), 5/4 -> 1
SELECT is(ARRAY[pg_temp.idiv(7, 2, 'half'), pg_temp.idiv(-7, 2, 'half'),
                pg_temp.idiv(-7, 2, 'floor'), pg_temp.idiv(-7, 2, 'ceil'),
                pg_temp.idiv(7, -2, 'ceil'), pg_temp.idiv(6, 4, 'half'),
                pg_temp.idiv(5, 4, 'half'), pg_temp.idiv(6, 3, 'floor')]::text,
          '{4,-4,-4,-3,-3,2,1,2}', 'the reference integer division rounds as intended');

-- magnitudes keep every result in range:
--   wad operands: 10^-9 <= |v| < 10^10, up to 20 fractional digits (input rounding)
--   ray operands: 10^-5 <= |v| < 10^5, up to 29 fractional digits
CREATE TABLE pairs AS
SELECT i, wa, wb, ra, rb,
       round(wa::numeric, 18) AS nwa, round(wb::numeric, 18) AS nwb,
       round(ra::numeric, 27) AS nra, round(rb::numeric, 27) AS nrb
  FROM (SELECT i,
               pg_temp.gen(i, 10, -9, 20) AS wa,
               pg_temp.gen(i + 1000000, 10, -9, 20) AS wb,
               pg_temp.gen(i + 2000000, 5, -5, 29) AS ra,
               pg_temp.gen(i + 3000000, 5, -5, 29) AS rb
          FROM generate_series(1, 10000) AS i) AS g;

-- the generator really spreads the values
SELECT ok((SELECT count(*) FILTER (WHERE nwa < 0) BETWEEN 4000 AND 6000
              AND count(*) FILTER (WHERE abs(nwa) < 1) > 1000
              AND count(*) FILTER (WHERE abs(nwa) >= 100000000) > 500
              AND count(*) FILTER (WHERE wa::numeric <> nwa) > 500
              AND count(*) FILTER (WHERE ra::numeric <> nra) > 100
              AND count(DISTINCT wa) > 9000
              AND min(abs(nwb)) >= 0.000000001 AND max(abs(nwa)) < 10000000000
           FROM pairs),
   'the 10000 generated pairs vary in sign, magnitude and scale');

SELECT is((SELECT count(*) FROM pairs
            WHERE wa::wad::numeric <> nwa OR (wa::wad)::text::numeric <> nwa
               OR wb::wad::numeric <> nwb),
          0::bigint, 'wad text input rounds like round(numeric, 18) and prints the exact value (10000 values)');
SELECT is((SELECT count(*) FROM pairs
            WHERE ra::ray::numeric <> nra OR (ra::ray)::text::numeric <> nra
               OR rb::ray::numeric <> nrb),
          0::bigint, 'ray text input rounds like round(numeric, 27) and prints the exact value (10000 values)');
SELECT is((SELECT count(*) FROM pairs WHERE wa::numeric::wad::numeric <> nwa),
          0::bigint, 'numeric to wad rounds like round(numeric, 18) (10000 values)');

-- rayMul(x, RAY) = x, rayDiv(x, RAY) = x, wadMul(x, 1) = x, wadDiv(x, 1) = x,
-- on the samples and at the limits
SELECT is((SELECT count(*)
             FROM (SELECT ra::ray AS x FROM pairs
                   UNION ALL SELECT v::ray FROM unnest(ARRAY['0', '0.000000000000000000000000001',
                       '-0.000000000000000000000000001', '170141183460.469231731687303715884105727',
                       '-170141183460.469231731687303715884105727']) AS v) AS s
            WHERE ray_mul(x, '1'::ray) <> x OR ray_div(x, '1'::ray) <> x
               OR x * '1'::ray <> x OR x / '1'::ray <> x),
          0::bigint, 'rayMul(x, RAY) = x and rayDiv(x, RAY) = x, up to +-MAX');
SELECT is((SELECT count(*)
             FROM (SELECT wa::wad AS x FROM pairs
                   UNION ALL SELECT v::wad FROM unnest(ARRAY['0', '0.000000000000000001',
                       '-0.000000000000000001', '170141183460469231731.687303715884105727',
                       '-170141183460469231731.687303715884105727']) AS v) AS s
            WHERE wad_mul(x, 1) <> x OR wad_div(x, 1) <> x
               OR ray_mul(x, '1'::ray) <> x OR ray_div(x, '1'::ray) <> x
               OR ray_wad_mul('1'::ray, x) <> x),
          0::bigint, 'wad_mul(x, 1) = x, wad_div(x, 1) = x and x rayMul/rayDiv RAY = x, up to +-MAX');

-- ties: i units * 0.5 = i/2 units, a tie for every odd i; away from zero
-- means (i + sign(i)) / 2 truncated, e.g. 3 -> 2, -3 -> -2, 1 -> 1
SELECT is((SELECT count(*) FROM generate_series(-1000, 1000) AS g(j), LATERAL (SELECT j::numeric AS i) AS n
            WHERE (i::numeric * 0.000000000000000001)::wad * '0.5'::wad
                  <> (div(i + sign(i), 2) * 0.000000000000000001)::wad
               OR (i::numeric * 0.000000000000000000000000001)::ray * '0.5'::ray
                  <> (div(i + sign(i), 2) * 0.000000000000000000000000001)::ray
               OR (i::numeric * 0.000000000000000001)::wad / '2'::wad
                  <> (div(i + sign(i), 2) * 0.000000000000000001)::wad
               OR (i::numeric * 0.000000000000000001)::wad * '0.5'::ray
                  <> (div(i + sign(i), 2) * 0.000000000000000001)::wad),
          0::bigint, 'halves of -1000..1000 units round half away from zero (wad*, ray*, wad/, wad*ray)');

-- scaled balance round trip: q = rayDiv(a, b) is within 1/2 unit of a*R/b, so
-- rayMul(q, b) is within b/(2R) + 1/2 unit of a: for 1 <= b < 2 that is
-- < 1.5, i.e. at most 1 unit as both are integers; for b < 1 it is
-- b/(2R) < 1/2 before rounding, so rayMul(rayDiv(a, b), b) = a exactly
SELECT is((SELECT count(*) FROM pairs, LATERAL
                  (SELECT ('1.' || substr(translate(md5('b' || i), 'abcdef', '012345'), 1, 27))::ray AS b) AS x
            WHERE i <= 1000
              AND (abs((ray_mul(ray_div(ra::ray, b), b))::numeric - nra) > 0.000000000000000000000000001
                   OR abs((ray_div(wa::wad, b) * b)::numeric - nwa) > 0.000000000000000001)),
          0::bigint, 'rayMul(rayDiv(a, b), b) is within 1 unit of a for indexes 1 <= b < 2 (ray and wad amounts, 1000 pairs)');
SELECT is((SELECT count(*) FROM pairs, LATERAL
                  (SELECT ('0.' || (1 + i % 9)::text
                           || substr(translate(md5('c' || i), 'abcdef', '012345'), 1, 26))::ray AS b) AS x
            WHERE i <= 1000
              AND (ray_mul(ray_div(ra::ray, b), b)::numeric <> nra
                   OR (ray_div(wa::wad, b) * b)::numeric <> nwa)),
          0::bigint, 'rayMul(rayDiv(a, b), b) = a exactly for 0.1 <= b < 1 (ray and wad amounts, 1000 pairs)');

-- ===================================================================
-- Property test: 10000 pairs against exact numeric arithmetic
-- ===================================================================
-- Products: numeric multiplication is exact, round(x, s) is half away
-- from zero.  Floors and ceilings are taken on the exact raw product.
-- Quotients: raw units A = a * 10^s, B = b * 10^s (integers), the exact
-- raw quotient is A * 10^s / B, rounded by pg_temp.idiv.

SELECT is((SELECT count(*) FROM pairs
            WHERE (wa::wad * wb::wad)::numeric <> round(nwa * nwb, 18)),
          0::bigint, 'wad * wad = round(a * b, 18) half away from zero (10000 pairs)');
SELECT is((SELECT count(*) FROM pairs
            WHERE wad_mul_floor(wa::wad, wb::wad)::numeric * 1e18 <> floor(nwa * nwb * 1e18)
               OR wad_mul_ceil(wa::wad, wb::wad)::numeric * 1e18 <> ceil(nwa * nwb * 1e18)),
          0::bigint, 'wad_mul_floor/ceil = floor/ceil of the exact product (10000 pairs)');
SELECT is((SELECT count(*) FROM pairs
            WHERE (wa::wad / wb::wad)::numeric * 1e18 <> pg_temp.idiv(nwa * 1e18 * 1e18, nwb * 1e18, 'half')),
          0::bigint, 'wad / wad = exact quotient rounded half away from zero (10000 pairs)');
SELECT is((SELECT count(*) FROM pairs
            WHERE wad_div_floor(wa::wad, wb::wad)::numeric * 1e18 <> pg_temp.idiv(nwa * 1e18 * 1e18, nwb * 1e18, 'floor')
               OR wad_div_ceil(wa::wad, wb::wad)::numeric * 1e18 <> pg_temp.idiv(nwa * 1e18 * 1e18, nwb * 1e18, 'ceil')),
          0::bigint, 'wad_div_floor/ceil = floor/ceil of the exact quotient (10000 pairs)');
SELECT is((SELECT count(*) FROM pairs
            WHERE (ra::ray * rb::ray)::numeric <> round(nra * nrb, 27)
               OR ray_mul_floor(ra::ray, rb::ray)::numeric * 1e27 <> floor(nra * nrb * 1e27)
               OR ray_mul_ceil(ra::ray, rb::ray)::numeric * 1e27 <> ceil(nra * nrb * 1e27)),
          0::bigint, 'ray * ray = round(a * b, 27), and its floor/ceil variants (10000 pairs)');
SELECT is((SELECT count(*) FROM pairs
            WHERE (ra::ray / rb::ray)::numeric * 1e27 <> pg_temp.idiv(nra * 1e27 * 1e27, nrb * 1e27, 'half')
               OR ray_div_floor(ra::ray, rb::ray)::numeric * 1e27 <> pg_temp.idiv(nra * 1e27 * 1e27, nrb * 1e27, 'floor')
               OR ray_div_ceil(ra::ray, rb::ray)::numeric * 1e27 <> pg_temp.idiv(nra * 1e27 * 1e27, nrb * 1e27, 'ceil')),
          0::bigint, 'ray / ray = exact quotient rounded half away from zero, and floor/ceil (10000 pairs)');
-- wad * ray: raw result = A * R_b / 10^27 where A = a * 10^18, R_b = b * 10^27,
-- i.e. a * b * 10^18: round(a * b, 18)
SELECT is((SELECT count(*) FROM pairs
            WHERE (wa::wad * rb::ray)::numeric <> round(nwa * nrb, 18)
               OR (rb::ray * wa::wad)::numeric <> round(nwa * nrb, 18)
               OR ray_mul_floor(wa::wad, rb::ray)::numeric * 1e18 <> floor(nwa * nrb * 1e18)
               OR ray_mul_ceil(wa::wad, rb::ray)::numeric * 1e18 <> ceil(nwa * nrb * 1e18)),
          0::bigint, 'wad * ray and ray * wad = round(a * b, 18), and floor/ceil (10000 pairs)');
-- wad / ray: raw result = A * 10^27 / R_b
SELECT is((SELECT count(*) FROM pairs
            WHERE (wa::wad / rb::ray)::numeric * 1e18 <> pg_temp.idiv(nwa * 1e18 * 1e27, nrb * 1e27, 'half')
               OR ray_div_floor(wa::wad, rb::ray)::numeric * 1e18 <> pg_temp.idiv(nwa * 1e18 * 1e27, nrb * 1e27, 'floor')
               OR ray_div_ceil(wa::wad, rb::ray)::numeric * 1e18 <> pg_temp.idiv(nwa * 1e18 * 1e27, nrb * 1e27, 'ceil')),
          0::bigint, 'wad / ray = exact quotient rounded half away from zero, and floor/ceil (10000 pairs)');
SELECT is((SELECT count(*) FROM pairs
            WHERE (wa::wad + wb::wad)::numeric <> nwa + nwb
               OR (wa::wad - wb::wad)::numeric <> nwa - nwb
               OR (ra::ray + rb::ray)::numeric <> nra + nrb
               OR (-(ra::ray))::numeric <> -nra),
          0::bigint, '+, - and unary - are exact (10000 pairs)');
SELECT is((SELECT count(*) FROM pairs
            WHERE (wa::wad < wb::wad) <> (nwa < nwb) OR (wa::wad = wb::wad) <> (nwa = nwb)
               OR (ra::ray >= rb::ray) <> (nra >= nrb)
               OR (wa::wad::ray)::numeric <> nwa
               OR (ra::ray::wad)::numeric <> round(nra, 18)),
          0::bigint, 'comparisons agree with numeric; wad::ray is exact and ray::wad is round(x, 18) (10000 pairs)');

-- aggregates over the same values
SELECT is((SELECT sum(wa::wad)::numeric FROM pairs), (SELECT sum(nwa) FROM pairs),
          'sum(wad) is the exact sum of 10000 values');
SELECT is((SELECT sum(ra::ray)::numeric FROM pairs), (SELECT sum(nra) FROM pairs),
          'sum(ray) is the exact sum of 10000 values');
-- numeric(60,30) / 10000 keeps >= 30 digits: exact, then rounded half away
SELECT is((SELECT avg(wa::wad)::numeric FROM pairs),
          (SELECT round(sum(nwa)::numeric(60, 30) / count(*), 18) FROM pairs),
          'avg(wad) is the exact mean rounded half away from zero');
SELECT is((SELECT ARRAY[min(wa::wad)::numeric, max(wa::wad)::numeric,
                        min(ra::ray)::numeric, max(ra::ray)::numeric] FROM pairs),
          (SELECT ARRAY[min(nwa), max(nwa), min(nra), max(nra)] FROM pairs),
          'min and max agree with numeric');
-- 256-bit accumulator: MAX + MAX - MAX fits, although MAX + MAX does not
SELECT is((SELECT sum(v)::text FROM (VALUES ('170141183460469231731.687303715884105727'::wad),
                                            ('170141183460469231731.687303715884105727'::wad),
                                            ('-170141183460469231731.687303715884105727'::wad)) AS t(v)),
          '170141183460469231731.687303715884105727',
          'sum() range-checks only the final total');
SELECT is((SELECT ARRAY[sum(v)::text, avg(v)::text] FROM (SELECT '1'::wad AS v WHERE false) AS t),
          ARRAY[NULL, NULL]::text[], 'sum and avg of no rows are NULL');

-- a parallel plan (partial aggregates, serialize, combine) gives the same
-- sums.  The aggregate runs as a top-level query (psql's \gset): inside a
-- call of pgTAP's parallel-unsafe is() it could not be parallel.
CREATE TABLE par AS SELECT wa::wad AS w, ra::ray AS r FROM pairs, generate_series(1, 5) AS k;
ANALYZE par;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END
$$;
SELECT ok(pg_temp.plan_of('SELECT sum(w), avg(w), sum(r) FROM par') ~ 'Gather(.|\n)*Partial Aggregate',
          'sum and avg over a large table get a parallel plan with partial aggregates');
SELECT sum(w)::text AS par_sum_w, avg(w)::text AS par_avg_w, sum(r)::text AS par_sum_r FROM par \gset
SELECT is(ARRAY[:'par_sum_w'::numeric, :'par_avg_w'::numeric, :'par_sum_r'::numeric],
          (SELECT ARRAY[5 * sum(nwa), round(sum(nwa)::numeric(60, 30) / count(*), 18), 5 * sum(nra)] FROM pairs),
          'sum and avg computed by a parallel aggregate plan are exact');

SELECT * FROM finish();
ROLLBACK;

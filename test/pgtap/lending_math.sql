--
-- test/pgtap/lending_math.sql: pgTAP tests of the pure lending math
-- (LENDING.md "Units", "Primitives", "Interest", "Health factor",
-- "Liquidation"; API.md "Math").
--
-- Every expected value below comes from test/model/lending_math.py, an
-- independent exact-integer model written from LENDING.md (and Aave V3's
-- Solidity semantics), never from this extension's output:
--     python3 test/model/lending_math.py            -> the vectors table
--     python3 test/model/lending_math.py --sweep 100 -> the sweep table
-- The rows are pasted verbatim; re-run the model and paste again if
-- LENDING.md changes.
--
-- What this file ensures:
--   * the catalog: every function of the lending math exists with its
--     signature, is IMMUTABLE and PARALLEL SAFE, and is STRICT except
--     liquidation_amounts (which raises 22004 for a NULL among its first
--     eight arguments and takes debt_to_cover NULL as "the maximum");
--   * exact results, one assertion per vector, of
--       linear_interest / compounded_interest (rate 0, 0 s, 1 s, 1 day,
--         1 year, 10 years at 100% APR, one-unit flooring of rate*dt/N,
--         the top of the ray range),
--       borrow_rate (U = 0, 1, at the kink, one unit above it (strict >),
--         a kink at 1/3 where the two branches differ by one unit,
--         optimal one unit from 0 and 1),
--       utilization (no debt, no cash, rayMulCeil of the scaled debt,
--         half-up quotient), liquidity_rate (reserve factor 0, 9999,
--         10000 bps, U = 0 and 1, half-up ties), health_factor,
--       liquidation_amounts (close factor 100% / 50% at HF = 0.95 and
--         0.95 + 1 unit, at close_factor_min_base and one unit below it
--         on each side, debt_to_cover below / at / above / NULL, the
--         collateral clamp with its rounded-up debt and its cap at the
--         debt, dust one unit either side of min_leftover_base on each
--         side, full repayment never dust, HF exactly 1 and 1 - 1 unit,
--         no debt, no collateral, smallest steps);
--   * one assertion per function (listing any failing vectors) for the
--     12 percent_* functions on wad and ray (ties, both rounding
--     directions, 0 bps, MAX) and for the directional ray_mul/ray_div on
--     (wad, ray) and (ray, ray) and wad_mul/wad_div on (wad, wad);
--   * errors with their SQLSTATE (in the vectors, caught by
--     pg_temp.call): negative seconds or rates 22023, utilization outside
--     [0, 1] 22023, optimal 0 or 1 22023, reserve factor outside
--     [0, 10000] 22023, percent_div by 0 bps 22012, overflow 22003,
--     not liquidatable XP004, dust XP007, debt_to_cover <= 0 22023; and
--     NULL arguments of liquidation_amounts 22004 (throws_ok);
--   * the compounded series undercharges against e^x (numeric exp):
--     227.67 against 22026.47 after 10 years at 100% APR;
--   * a sweep of 600 pseudo-random vectors from the model (100 for each of
--     linear, compounded, borrow_rate, utilization, liquidity_rate and
--     liquidation_amounts, seed 20270101), one assertion per function;
--   * properties computed exactly in SQL (numeric integer division) over
--     500 generated inputs each: percent_* on wad and ray against the
--     PercentageMath formulas, floor <= half up <= ceil and
--     ceil - floor <= 1; linear_interest and compounded_interest against
--     their formulas, compounded >= linear.
--
-- Notation: raw units are 10^-18 (wad) and 10^-27 (ray); percentages are
-- basis points.  pg_temp.call(signature, args) runs a function on
-- arguments given as text and returns its result as canonical decimal
-- text (trailing zeros cut; "repaid seized" for liquidation_amounts), or
-- 'ERR <SQLSTATE>' -- the same format the model prints.
--
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;

SELECT plan(190);

-- ===================================================================
-- Helpers
-- ===================================================================

-- decimal text without trailing fractional zeros ('1.500' -> '1.5',
-- '2.000' -> '2'); anything else (infinity) unchanged
CREATE FUNCTION pg_temp.canon(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN t ~ '^-?[0-9]+\.[0-9]*$' THEN rtrim(rtrim(t, '0'), '.') ELSE t END
$$;

-- run xphere.<name>(args) for a signature 'name(type, ...)'; arguments are
-- the text of their types (NULL allowed)
CREATE FUNCTION pg_temp.call(sig text, a text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    fname text := split_part(sig, '(', 1);
    types text[] := string_to_array(rtrim(split_part(sig, '(', 2), ')'), ',');
    lits text[] := '{}';
    res text;
BEGIN
    IF cardinality(types) <> cardinality(a) THEN
        RAISE EXCEPTION 'bad vector % %', sig, a;
    END IF;
    FOR i IN 1 .. cardinality(types) LOOP
        lits := lits || (quote_nullable(a[i]) || '::'
                         || CASE WHEN types[i] IN ('wad', 'ray') THEN 'xphere.' || types[i]
                                 ELSE types[i] END);
    END LOOP;
    IF fname = 'liquidation_amounts' THEN
        EXECUTE format('SELECT pg_temp.canon(debt_repaid::text) || '' '' || pg_temp.canon(collateral_seized::text)'
                       ' FROM xphere.liquidation_amounts(%s)', array_to_string(lits, ', '))
           INTO res;
    ELSE
        EXECUTE format('SELECT pg_temp.canon(xphere.%I(%s)::text)', fname, array_to_string(lits, ', '))
           INTO res;
    END IF;
    RETURN res;
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERR ' || SQLSTATE;
END
$$;

-- the helpers themselves
SELECT is(ARRAY[pg_temp.canon('1.500'), pg_temp.canon('2.000'), pg_temp.canon('0.000'),
                pg_temp.canon('-0.010'), pg_temp.canon('infinity'), pg_temp.canon('10')],
          ARRAY['1.5', '2', '0', '-0.01', 'infinity', '10'],
          'pg_temp.canon cuts trailing fractional zeros only');
SELECT is(ARRAY[pg_temp.call('wad_div(wad,wad)', '{1,0}'),
                pg_temp.call('percent_mul(ray,integer)', '{2.50,5000}'),
                pg_temp.call('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)',
                             '{0,1,1,1,8000,500,2000,1000,NULL}')],
          ARRAY['ERR 22012', '1.25', 'ERR XP004'],
          'pg_temp.call returns canonical results and SQLSTATEs');

-- ===================================================================
-- Catalog
-- ===================================================================

SELECT is_empty($$
    SELECT s FROM unnest(ARRAY[
        'xphere.linear_interest(xphere.ray, bigint)',
        'xphere.compounded_interest(xphere.ray, bigint)',
        'xphere.borrow_rate(xphere.ray, xphere.ray, xphere.ray, xphere.ray, xphere.ray)',
        'xphere.utilization(xphere.wad, xphere.ray, xphere.wad)',
        'xphere.liquidity_rate(xphere.ray, xphere.ray, integer)',
        'xphere.percent_mul(xphere.wad, integer)', 'xphere.percent_mul(xphere.ray, integer)',
        'xphere.percent_mul_floor(xphere.wad, integer)', 'xphere.percent_mul_floor(xphere.ray, integer)',
        'xphere.percent_mul_ceil(xphere.wad, integer)', 'xphere.percent_mul_ceil(xphere.ray, integer)',
        'xphere.percent_div(xphere.wad, integer)', 'xphere.percent_div(xphere.ray, integer)',
        'xphere.percent_div_floor(xphere.wad, integer)', 'xphere.percent_div_floor(xphere.ray, integer)',
        'xphere.percent_div_ceil(xphere.wad, integer)', 'xphere.percent_div_ceil(xphere.ray, integer)',
        'xphere.liquidation_amounts(xphere.wad, xphere.wad, xphere.wad, xphere.wad, integer, integer, xphere.wad, xphere.wad, xphere.wad)',
        'xphere.health_factor(xphere.wad, xphere.wad, xphere.wad)'
    ]) AS s
    WHERE to_regprocedure(s) IS NULL
$$, 'every function of the lending math exists with its signature');

SELECT is_empty($$
    SELECT p.oid::regprocedure::text, p.provolatile, p.proparallel, p.proisstrict
      FROM pg_proc p
     WHERE p.pronamespace = 'xphere'::regnamespace
       AND p.proname IN ('linear_interest', 'compounded_interest', 'borrow_rate', 'utilization',
                         'liquidity_rate', 'percent_mul', 'percent_mul_floor', 'percent_mul_ceil',
                         'percent_div', 'percent_div_floor', 'percent_div_ceil', 'liquidation_amounts')
       AND (p.provolatile <> 'i' OR p.proparallel <> 's'
            OR p.proisstrict = (p.proname = 'liquidation_amounts'))
$$, 'the lending math is IMMUTABLE and PARALLEL SAFE, STRICT except liquidation_amounts');

SELECT is(ARRAY[linear_interest(NULL, 1)::text, compounded_interest('0.05', NULL)::text,
                borrow_rate('0.5', NULL, '0.04', '0.75', '0.8')::text,
                utilization('1', '1', NULL)::text, liquidity_rate('0.1', '0.8', NULL)::text,
                percent_mul(NULL::wad, 5000)::text, percent_div_ceil('1'::ray, NULL)::text],
          ARRAY[NULL, NULL, NULL, NULL, NULL, NULL, NULL]::text[],
          'the STRICT functions return NULL for a NULL argument');

-- ===================================================================
-- Vectors from test/model/lending_math.py (python3 test/model/lending_math.py)
-- (signature, arguments, expected, description)
-- ===================================================================

CREATE TEMP TABLE vectors (
    id serial PRIMARY KEY,
    sig text NOT NULL,
    args text[] NOT NULL,
    expected text NOT NULL,
    descr text NOT NULL,
    grouped boolean GENERATED ALWAYS AS (sig ~ '^(percent_|ray_|wad_)') STORED
);
INSERT INTO vectors (sig, args, expected, descr) VALUES
('linear_interest(ray,bigint)', '{0,0}', '1', 'linear: rate 0, 0 s'),
('linear_interest(ray,bigint)', '{0,31536000}', '1', 'linear: rate 0, one year'),
('linear_interest(ray,bigint)', '{0.05,0}', '1', 'linear: 5%, 0 s'),
('linear_interest(ray,bigint)', '{0.05,1}', '1.000000001585489599188229325', 'linear: 5%, one second'),
('linear_interest(ray,bigint)', '{0.05,86400}', '1.00013698630136986301369863', 'linear: 5%, one day'),
('linear_interest(ray,bigint)', '{0.05,31536000}', '1.05', 'linear: 5%, one year'),
('linear_interest(ray,bigint)', '{1,31536000}', '2', 'linear: 100%, one year'),
('linear_interest(ray,bigint)', '{1,315360000}', '11', 'linear: 100%, ten years'),
('linear_interest(ray,bigint)', '{0.000000000000000000031536,1}', '1.000000000000000000000000001', 'linear: rate*dt = N exactly gives one unit'),
('linear_interest(ray,bigint)', '{0.000000000000000000031535,1}', '1', 'linear: rate*dt = N - 1e-27 floors to nothing'),
('linear_interest(ray,bigint)', '{0.123456789012345678901234567,12345}', '1.000048328071421784861936699', 'linear: 27-digit rate'),
('linear_interest(ray,bigint)', '{3,15768000}', '2.5', 'linear: 300%, half a year (x = 1.5)'),
('linear_interest(ray,bigint)', '{-0.000000000000000000000000001,1}', 'ERR 22023', 'linear: negative rate (22023)'),
('linear_interest(ray,bigint)', '{0.05,-1}', 'ERR 22023', 'linear: negative seconds (22023)'),
('compounded_interest(ray,bigint)', '{0,0}', '1', 'compounded: rate 0, 0 s'),
('compounded_interest(ray,bigint)', '{0,31536000}', '1', 'compounded: rate 0, one year'),
('compounded_interest(ray,bigint)', '{0.05,0}', '1', 'compounded: 5%, 0 s'),
('compounded_interest(ray,bigint)', '{0.05,1}', '1.00000000158548960044511796', 'compounded: 5%, one second'),
('compounded_interest(ray,bigint)', '{0.05,86400}', '1.0001369956844216748025579', 'compounded: 5%, one day'),
('compounded_interest(ray,bigint)', '{0.05,31536000}', '1.051270833333333333333333333', 'compounded: 5%, one year'),
('compounded_interest(ray,bigint)', '{1,31536000}', '2.666666666666666666666666666', 'compounded: 100%, one year'),
('compounded_interest(ray,bigint)', '{1,315360000}', '227.6666666666666666666666666', 'compounded: 100%, ten years'),
('compounded_interest(ray,bigint)', '{0.000000000000000000031536,1}', '1.000000000000000000000000001', 'compounded: rate*dt = N exactly gives one unit'),
('compounded_interest(ray,bigint)', '{0.000000000000000000031535,1}', '1', 'compounded: rate*dt = N - 1e-27 floors to nothing'),
('compounded_interest(ray,bigint)', '{0.123456789012345678901234567,12345}', '1.000048329239241841063809627', 'compounded: 27-digit rate'),
('compounded_interest(ray,bigint)', '{3,15768000}', '4.1875', 'compounded: 300%, half a year (x = 1.5)'),
('compounded_interest(ray,bigint)', '{-0.000000000000000000000000001,1}', 'ERR 22023', 'compounded: negative rate (22023)'),
('compounded_interest(ray,bigint)', '{0.05,-1}', 'ERR 22023', 'compounded: negative seconds (22023)'),
('linear_interest(ray,bigint)', '{170000000000,31536000}', '170000000001', 'linear: result near the top of the ray range'),
('linear_interest(ray,bigint)', '{170141183460,31536000}', 'ERR 22003', 'linear: RAY + x beyond the ray range (22003)'),
('linear_interest(ray,bigint)', '{100000,9000000000000000000}', 'ERR 22003', 'linear: rate*dt/N beyond the ray range (22003)'),
('compounded_interest(ray,bigint)', '{100000,31536000}', 'ERR 22003', 'compounded: x^3/6 beyond the ray range (22003)'),
('linear_interest(ray,bigint)', '{170141183459.469231731687303715884105727,31536000}', '170141183460.469231731687303715884105727', 'linear: (MAX - 1) for one year is exactly MAX (256-bit rate*dt)'),
('linear_interest(ray,bigint)', '{170141183459.469231731687303715884105728,31536000}', 'ERR 22003', 'linear: one unit more overflows (22003)'),
('linear_interest(ray,bigint)', '{0,9223372036854775807}', '1', 'linear: rate 0 for 2^63 - 1 seconds'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000001,9223372036854775807}', '1.000000000000000292471208677', 'linear: one unit of rate for 2^63 - 1 seconds'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000001,9223372036854775807}', '1.000000000000000292471208677', 'compounded: one unit of rate for 2^63 - 1 seconds'),
('compounded_interest(ray,bigint)', '{10068.012862024302343160802275891,31536000}', '170141183460.469231731687303715815126398', 'compounded: the largest rate whose one-year factor fits, just below MAX'),
('compounded_interest(ray,bigint)', '{10068.012862024302343160802275892,31536000}', 'ERR 22003', 'compounded: one unit more overflows (22003)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0,0.04,0.75,0.8}', '0', 'borrow_rate: U = 0 gives base'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.4,0,0.04,0.75,0.8}', '0.02', 'borrow_rate: U = opt/2 gives slope1/2'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.8,0,0.04,0.75,0.8}', '0.04', 'borrow_rate: U exactly at the kink stays on slope1'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.800000000000000000000000001,0,0.04,0.75,0.8}', '0.040000000000000000000000004', 'borrow_rate: one unit above the kink takes slope2 (strict >)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.9,0,0.04,0.75,0.8}', '0.415', 'borrow_rate: U = 0.9'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.999999999999999999999999999,0,0.04,0.75,0.8}', '0.789999999999999999999999996', 'borrow_rate: U one unit below 1'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0,0.04,0.75,0.8}', '0.79', 'borrow_rate: U = 1 gives base + slope1 + slope2'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.01,0.04,0.75,0.8}', '0.8', 'borrow_rate: U = 1 with a base rate'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.5,0.01,0.04,0.75,0.8}', '0.035', 'borrow_rate: U = 0.5 with a base rate'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000000000000000001,0,0.04,0.75,0.8}', '0', 'borrow_rate: one unit of utilization rounds to base'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.333333333333333333333333333,0.02,0.07,3,0.45}', '0.071851851851851851851851851', 'borrow_rate: U = 1/3 (rounded)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.333333333333333333333333333,0,0.04,0.75,0.333333333333333333333333333}', '0.039999999999999999999999999', 'borrow_rate: U = opt = 1/3: the slope1 branch (1 unit below slope1; slope2 branch would give 0.04)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.333333333333333333333333334,0,0.04,0.75,0.333333333333333333333333333}', '0.040000000000000000000000001', 'borrow_rate: U = opt + 1 unit at 1/3'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.9,0,0.04,0.75,0.999999999999999999999999999}', '0.036', 'borrow_rate: optimal one unit below 1'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.5,0,0.04,0.75,0.000000000000000000000000001}', '0.414999999999999999999999999', 'borrow_rate: optimal one unit above 0'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1.000000000000000000000000001,0,0.04,0.75,0.8}', 'ERR 22023', 'borrow_rate: U > 1 (22023)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{-0.000000000000000000000000001,0,0.04,0.75,0.8}', 'ERR 22023', 'borrow_rate: U < 0 (22023)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.5,0,0.04,0.75,0}', 'ERR 22023', 'borrow_rate: optimal 0 (22023)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.5,0,0.04,0.75,1}', 'ERR 22023', 'borrow_rate: optimal 1 (22023)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.5,-0.01,0.04,0.75,0.8}', 'ERR 22023', 'borrow_rate: negative base (22023)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.5,0,-0.04,0.75,0.8}', 'ERR 22023', 'borrow_rate: negative slope1 (22023)'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.9,0,0.04,-0.75,0.8}', 'ERR 22023', 'borrow_rate: negative slope2 (22023)'),
('utilization(wad,ray,wad)', '{0,1,1000}', '0', 'utilization: no debt is 0'),
('utilization(wad,ray,wad)', '{0,1.5,0}', '0', 'utilization: no debt and no cash is 0'),
('utilization(wad,ray,wad)', '{100,1,0}', '1', 'utilization: no cash is 1'),
('utilization(wad,ray,wad)', '{800,1,200}', '0.8', 'utilization: 0.8'),
('utilization(wad,ray,wad)', '{1,1,2}', '0.333333333333333333333333333', 'utilization: 1/3 rounds down'),
('utilization(wad,ray,wad)', '{2,1,1}', '0.666666666666666666666666667', 'utilization: 2/3 rounds up (half up)'),
('utilization(wad,ray,wad)', '{100,1.05,895}', '0.105', 'utilization: debt = scaled debt x index'),
('utilization(wad,ray,wad)', '{0.000000000000000001,1.000000000000000000000000001,0}', '1', 'utilization: one scaled unit at index 1+1e-27 is 2 units of debt (ceil)'),
('utilization(wad,ray,wad)', '{0.000000000000000001,0.5,1000000}', '0.000000000000000000000001', 'utilization: 0.5 unit of debt rounds up to one unit'),
('utilization(wad,ray,wad)', '{0.000000000000000001,0.000000000000000000000000001,0}', '1', 'utilization: a tiny index still makes one unit of debt'),
('utilization(wad,ray,wad)', '{123.456789012345678901,1.012345678901234567890123456,987.654321098765432109}', '0.112328766203727152470119815', 'utilization: 21-digit amounts'),
('utilization(wad,ray,wad)', '{100000000000000000000,1,70000000000000000000}', '0.588235294117647058823529412', 'utilization: debt + cash near MAX wad (256-bit debt * RAY)'),
('utilization(wad,ray,wad)', '{-0.000000000000000001,1,0}', 'ERR 22023', 'utilization: negative scaled debt (22023)'),
('utilization(wad,ray,wad)', '{1,0,0}', 'ERR 22023', 'utilization: index 0 (22023)'),
('utilization(wad,ray,wad)', '{1,1,-0.000000000000000001}', 'ERR 22023', 'utilization: negative cash (22023)'),
('liquidity_rate(ray,ray,integer)', '{0.1,0.8,1000}', '0.072', 'liquidity_rate: 10% x 0.8 x (1 - 10%)'),
('liquidity_rate(ray,ray,integer)', '{0.1,0.8,0}', '0.08', 'liquidity_rate: reserve factor 0'),
('liquidity_rate(ray,ray,integer)', '{0.1,0.8,9999}', '0.000008', 'liquidity_rate: reserve factor 9999 bps'),
('liquidity_rate(ray,ray,integer)', '{0.1,0.8,10000}', '0', 'liquidity_rate: reserve factor 10000 bps gives 0'),
('liquidity_rate(ray,ray,integer)', '{0.1,0,1000}', '0', 'liquidity_rate: utilization 0 gives 0'),
('liquidity_rate(ray,ray,integer)', '{0.1,1,1000}', '0.09', 'liquidity_rate: utilization 1'),
('liquidity_rate(ray,ray,integer)', '{0.045,0.85,1000}', '0.034425', 'liquidity_rate: 4.5% at 85%'),
('liquidity_rate(ray,ray,integer)', '{0.123456789012345678901234567,0.7,1500}', '0.073456789462345678946234567', 'liquidity_rate: 27-digit rate'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000003,0.5,0}', '0.000000000000000000000000002', 'liquidity_rate: rayMul(3 units, 0.5) = 1.5 rounds half up to 2'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000003,0.5,5000}', '0.000000000000000000000000001', 'liquidity_rate: then percentMul(2 units, 50%) = 1'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000001,0.5,5000}', '0.000000000000000000000000001', 'liquidity_rate: rayMul(1 unit, 0.5) = 1, percentMul(1, 50%) = 1 (half up)'),
('liquidity_rate(ray,ray,integer)', '{0.1,0.8,10001}', 'ERR 22023', 'liquidity_rate: reserve factor above 10000 (22023)'),
('liquidity_rate(ray,ray,integer)', '{0.1,0.8,-1}', 'ERR 22023', 'liquidity_rate: negative reserve factor (22023)'),
('percent_mul(wad,integer)', '{100,7500}', '75', 'percent_mul(wad 100, 7500): typical 75%'),
('percent_mul_floor(wad,integer)', '{100,7500}', '75', 'percent_mul_floor(wad 100, 7500): typical 75%'),
('percent_mul_ceil(wad,integer)', '{100,7500}', '75', 'percent_mul_ceil(wad 100, 7500): typical 75%'),
('percent_div(wad,integer)', '{100,7500}', '133.333333333333333333', 'percent_div(wad 100, 7500): typical 75%'),
('percent_div_floor(wad,integer)', '{100,7500}', '133.333333333333333333', 'percent_div_floor(wad 100, 7500): typical 75%'),
('percent_div_ceil(wad,integer)', '{100,7500}', '133.333333333333333334', 'percent_div_ceil(wad 100, 7500): typical 75%'),
('percent_mul(wad,integer)', '{0.000000000000000001,5000}', '0.000000000000000001', 'percent_mul(wad 0.000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_mul_floor(wad,integer)', '{0.000000000000000001,5000}', '0', 'percent_mul_floor(wad 0.000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_mul_ceil(wad,integer)', '{0.000000000000000001,5000}', '0.000000000000000001', 'percent_mul_ceil(wad 0.000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_div(wad,integer)', '{0.000000000000000001,5000}', '0.000000000000000002', 'percent_div(wad 0.000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_div_floor(wad,integer)', '{0.000000000000000001,5000}', '0.000000000000000002', 'percent_div_floor(wad 0.000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_div_ceil(wad,integer)', '{0.000000000000000001,5000}', '0.000000000000000002', 'percent_div_ceil(wad 0.000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_mul(wad,integer)', '{0.000000000000000003,5000}', '0.000000000000000002', 'percent_mul(wad 0.000000000000000003, 5000): 3 units x 50%: a tie'),
('percent_mul_floor(wad,integer)', '{0.000000000000000003,5000}', '0.000000000000000001', 'percent_mul_floor(wad 0.000000000000000003, 5000): 3 units x 50%: a tie'),
('percent_mul_ceil(wad,integer)', '{0.000000000000000003,5000}', '0.000000000000000002', 'percent_mul_ceil(wad 0.000000000000000003, 5000): 3 units x 50%: a tie'),
('percent_div(wad,integer)', '{0.000000000000000003,5000}', '0.000000000000000006', 'percent_div(wad 0.000000000000000003, 5000): 3 units x 50%: a tie'),
('percent_div_floor(wad,integer)', '{0.000000000000000003,5000}', '0.000000000000000006', 'percent_div_floor(wad 0.000000000000000003, 5000): 3 units x 50%: a tie'),
('percent_div_ceil(wad,integer)', '{0.000000000000000003,5000}', '0.000000000000000006', 'percent_div_ceil(wad 0.000000000000000003, 5000): 3 units x 50%: a tie'),
('percent_mul(wad,integer)', '{0.000000000000000001,4999}', '0', 'percent_mul(wad 0.000000000000000001, 4999): 1 unit x 49.99%'),
('percent_mul_floor(wad,integer)', '{0.000000000000000001,4999}', '0', 'percent_mul_floor(wad 0.000000000000000001, 4999): 1 unit x 49.99%'),
('percent_mul_ceil(wad,integer)', '{0.000000000000000001,4999}', '0.000000000000000001', 'percent_mul_ceil(wad 0.000000000000000001, 4999): 1 unit x 49.99%'),
('percent_div(wad,integer)', '{0.000000000000000001,4999}', '0.000000000000000002', 'percent_div(wad 0.000000000000000001, 4999): 1 unit x 49.99%'),
('percent_div_floor(wad,integer)', '{0.000000000000000001,4999}', '0.000000000000000002', 'percent_div_floor(wad 0.000000000000000001, 4999): 1 unit x 49.99%'),
('percent_div_ceil(wad,integer)', '{0.000000000000000001,4999}', '0.000000000000000003', 'percent_div_ceil(wad 0.000000000000000001, 4999): 1 unit x 49.99%'),
('percent_mul(wad,integer)', '{0.000000000000000001,15000}', '0.000000000000000002', 'percent_mul(wad 0.000000000000000001, 15000): 1 unit x 150%'),
('percent_mul_floor(wad,integer)', '{0.000000000000000001,15000}', '0.000000000000000001', 'percent_mul_floor(wad 0.000000000000000001, 15000): 1 unit x 150%'),
('percent_mul_ceil(wad,integer)', '{0.000000000000000001,15000}', '0.000000000000000002', 'percent_mul_ceil(wad 0.000000000000000001, 15000): 1 unit x 150%'),
('percent_div(wad,integer)', '{0.000000000000000001,15000}', '0.000000000000000001', 'percent_div(wad 0.000000000000000001, 15000): 1 unit x 150%'),
('percent_div_floor(wad,integer)', '{0.000000000000000001,15000}', '0', 'percent_div_floor(wad 0.000000000000000001, 15000): 1 unit x 150%'),
('percent_div_ceil(wad,integer)', '{0.000000000000000001,15000}', '0.000000000000000001', 'percent_div_ceil(wad 0.000000000000000001, 15000): 1 unit x 150%'),
('percent_mul(wad,integer)', '{0.000000000000000001,20000}', '0.000000000000000002', 'percent_mul(wad 0.000000000000000001, 20000): 1 unit: /200% = 0.5 is a tie'),
('percent_mul_floor(wad,integer)', '{0.000000000000000001,20000}', '0.000000000000000002', 'percent_mul_floor(wad 0.000000000000000001, 20000): 1 unit: /200% = 0.5 is a tie'),
('percent_mul_ceil(wad,integer)', '{0.000000000000000001,20000}', '0.000000000000000002', 'percent_mul_ceil(wad 0.000000000000000001, 20000): 1 unit: /200% = 0.5 is a tie'),
('percent_div(wad,integer)', '{0.000000000000000001,20000}', '0.000000000000000001', 'percent_div(wad 0.000000000000000001, 20000): 1 unit: /200% = 0.5 is a tie'),
('percent_div_floor(wad,integer)', '{0.000000000000000001,20000}', '0', 'percent_div_floor(wad 0.000000000000000001, 20000): 1 unit: /200% = 0.5 is a tie'),
('percent_div_ceil(wad,integer)', '{0.000000000000000001,20000}', '0.000000000000000001', 'percent_div_ceil(wad 0.000000000000000001, 20000): 1 unit: /200% = 0.5 is a tie'),
('percent_mul(wad,integer)', '{0.000000000000000001,20001}', '0.000000000000000002', 'percent_mul(wad 0.000000000000000001, 20001): 1 unit: /200.01% just below the tie'),
('percent_mul_floor(wad,integer)', '{0.000000000000000001,20001}', '0.000000000000000002', 'percent_mul_floor(wad 0.000000000000000001, 20001): 1 unit: /200.01% just below the tie'),
('percent_mul_ceil(wad,integer)', '{0.000000000000000001,20001}', '0.000000000000000003', 'percent_mul_ceil(wad 0.000000000000000001, 20001): 1 unit: /200.01% just below the tie'),
('percent_div(wad,integer)', '{0.000000000000000001,20001}', '0', 'percent_div(wad 0.000000000000000001, 20001): 1 unit: /200.01% just below the tie'),
('percent_div_floor(wad,integer)', '{0.000000000000000001,20001}', '0', 'percent_div_floor(wad 0.000000000000000001, 20001): 1 unit: /200.01% just below the tie'),
('percent_div_ceil(wad,integer)', '{0.000000000000000001,20001}', '0.000000000000000001', 'percent_div_ceil(wad 0.000000000000000001, 20001): 1 unit: /200.01% just below the tie'),
('percent_mul(wad,integer)', '{0.000000000000000001,19999}', '0.000000000000000002', 'percent_mul(wad 0.000000000000000001, 19999): 1 unit: /199.99% just above the tie'),
('percent_mul_floor(wad,integer)', '{0.000000000000000001,19999}', '0.000000000000000001', 'percent_mul_floor(wad 0.000000000000000001, 19999): 1 unit: /199.99% just above the tie'),
('percent_mul_ceil(wad,integer)', '{0.000000000000000001,19999}', '0.000000000000000002', 'percent_mul_ceil(wad 0.000000000000000001, 19999): 1 unit: /199.99% just above the tie'),
('percent_div(wad,integer)', '{0.000000000000000001,19999}', '0.000000000000000001', 'percent_div(wad 0.000000000000000001, 19999): 1 unit: /199.99% just above the tie'),
('percent_div_floor(wad,integer)', '{0.000000000000000001,19999}', '0', 'percent_div_floor(wad 0.000000000000000001, 19999): 1 unit: /199.99% just above the tie'),
('percent_div_ceil(wad,integer)', '{0.000000000000000001,19999}', '0.000000000000000001', 'percent_div_ceil(wad 0.000000000000000001, 19999): 1 unit: /199.99% just above the tie'),
('percent_mul(wad,integer)', '{0.000000000000000007,3333}', '0.000000000000000002', 'percent_mul(wad 0.000000000000000007, 3333): 7 units, 33.33%'),
('percent_mul_floor(wad,integer)', '{0.000000000000000007,3333}', '0.000000000000000002', 'percent_mul_floor(wad 0.000000000000000007, 3333): 7 units, 33.33%'),
('percent_mul_ceil(wad,integer)', '{0.000000000000000007,3333}', '0.000000000000000003', 'percent_mul_ceil(wad 0.000000000000000007, 3333): 7 units, 33.33%'),
('percent_div(wad,integer)', '{0.000000000000000007,3333}', '0.000000000000000021', 'percent_div(wad 0.000000000000000007, 3333): 7 units, 33.33%'),
('percent_div_floor(wad,integer)', '{0.000000000000000007,3333}', '0.000000000000000021', 'percent_div_floor(wad 0.000000000000000007, 3333): 7 units, 33.33%'),
('percent_div_ceil(wad,integer)', '{0.000000000000000007,3333}', '0.000000000000000022', 'percent_div_ceil(wad 0.000000000000000007, 3333): 7 units, 33.33%'),
('percent_mul(wad,integer)', '{1234.567890123456789012,8250}', '1018.518509351851850935', 'percent_mul(wad 1234.567890123456789012, 8250): 22 digits, 82.5%'),
('percent_mul_floor(wad,integer)', '{1234.567890123456789012,8250}', '1018.518509351851850934', 'percent_mul_floor(wad 1234.567890123456789012, 8250): 22 digits, 82.5%'),
('percent_mul_ceil(wad,integer)', '{1234.567890123456789012,8250}', '1018.518509351851850935', 'percent_mul_ceil(wad 1234.567890123456789012, 8250): 22 digits, 82.5%'),
('percent_div(wad,integer)', '{1234.567890123456789012,8250}', '1496.445927422371865469', 'percent_div(wad 1234.567890123456789012, 8250): 22 digits, 82.5%'),
('percent_div_floor(wad,integer)', '{1234.567890123456789012,8250}', '1496.445927422371865469', 'percent_div_floor(wad 1234.567890123456789012, 8250): 22 digits, 82.5%'),
('percent_div_ceil(wad,integer)', '{1234.567890123456789012,8250}', '1496.44592742237186547', 'percent_div_ceil(wad 1234.567890123456789012, 8250): 22 digits, 82.5%'),
('percent_mul(wad,integer)', '{2,3}', '0.0006', 'percent_mul(wad 2, 3): 2 x 0.03%, 2 / 0.03%'),
('percent_mul_floor(wad,integer)', '{2,3}', '0.0006', 'percent_mul_floor(wad 2, 3): 2 x 0.03%, 2 / 0.03%'),
('percent_mul_ceil(wad,integer)', '{2,3}', '0.0006', 'percent_mul_ceil(wad 2, 3): 2 x 0.03%, 2 / 0.03%'),
('percent_div(wad,integer)', '{2,3}', '6666.666666666666666667', 'percent_div(wad 2, 3): 2 x 0.03%, 2 / 0.03%'),
('percent_div_floor(wad,integer)', '{2,3}', '6666.666666666666666666', 'percent_div_floor(wad 2, 3): 2 x 0.03%, 2 / 0.03%'),
('percent_div_ceil(wad,integer)', '{2,3}', '6666.666666666666666667', 'percent_div_ceil(wad 2, 3): 2 x 0.03%, 2 / 0.03%'),
('percent_mul(wad,integer)', '{0,1234}', '0', 'percent_mul(wad 0, 1234): zero'),
('percent_mul_floor(wad,integer)', '{0,1234}', '0', 'percent_mul_floor(wad 0, 1234): zero'),
('percent_mul_ceil(wad,integer)', '{0,1234}', '0', 'percent_mul_ceil(wad 0, 1234): zero'),
('percent_div(wad,integer)', '{0,1234}', '0', 'percent_div(wad 0, 1234): zero'),
('percent_div_floor(wad,integer)', '{0,1234}', '0', 'percent_div_floor(wad 0, 1234): zero'),
('percent_div_ceil(wad,integer)', '{0,1234}', '0', 'percent_div_ceil(wad 0, 1234): zero'),
('percent_mul(wad,integer)', '{1,10000}', '1', 'percent_mul(wad 1, 10000): 100% is the identity'),
('percent_mul_floor(wad,integer)', '{1,10000}', '1', 'percent_mul_floor(wad 1, 10000): 100% is the identity'),
('percent_mul_ceil(wad,integer)', '{1,10000}', '1', 'percent_mul_ceil(wad 1, 10000): 100% is the identity'),
('percent_div(wad,integer)', '{1,10000}', '1', 'percent_div(wad 1, 10000): 100% is the identity'),
('percent_div_floor(wad,integer)', '{1,10000}', '1', 'percent_div_floor(wad 1, 10000): 100% is the identity'),
('percent_div_ceil(wad,integer)', '{1,10000}', '1', 'percent_div_ceil(wad 1, 10000): 100% is the identity'),
('percent_mul(wad,integer)', '{170141183460469231731.687303715884105727,10000}', '170141183460469231731.687303715884105727', 'percent_mul(wad 170141183460469231731.687303715884105727, 10000): MAX x 100% is the identity'),
('percent_mul_floor(wad,integer)', '{170141183460469231731.687303715884105727,10000}', '170141183460469231731.687303715884105727', 'percent_mul_floor(wad 170141183460469231731.687303715884105727, 10000): MAX x 100% is the identity'),
('percent_mul_ceil(wad,integer)', '{170141183460469231731.687303715884105727,10000}', '170141183460469231731.687303715884105727', 'percent_mul_ceil(wad 170141183460469231731.687303715884105727, 10000): MAX x 100% is the identity'),
('percent_div(wad,integer)', '{170141183460469231731.687303715884105727,10000}', '170141183460469231731.687303715884105727', 'percent_div(wad 170141183460469231731.687303715884105727, 10000): MAX x 100% is the identity'),
('percent_div_floor(wad,integer)', '{170141183460469231731.687303715884105727,10000}', '170141183460469231731.687303715884105727', 'percent_div_floor(wad 170141183460469231731.687303715884105727, 10000): MAX x 100% is the identity'),
('percent_div_ceil(wad,integer)', '{170141183460469231731.687303715884105727,10000}', '170141183460469231731.687303715884105727', 'percent_div_ceil(wad 170141183460469231731.687303715884105727, 10000): MAX x 100% is the identity'),
('percent_mul(wad,integer)', '{170141183460469231731.687303715884105727,9999}', '170124169342123184808.514134985512517316', 'percent_mul(wad 170141183460469231731.687303715884105727, 9999): MAX x 99.99%, MAX / 99.99% overflows (22003)'),
('percent_mul_floor(wad,integer)', '{170141183460469231731.687303715884105727,9999}', '170124169342123184808.514134985512517316', 'percent_mul_floor(wad 170141183460469231731.687303715884105727, 9999): MAX x 99.99%, MAX / 99.99% overflows (22003)'),
('percent_mul_ceil(wad,integer)', '{170141183460469231731.687303715884105727,9999}', '170124169342123184808.514134985512517317', 'percent_mul_ceil(wad 170141183460469231731.687303715884105727, 9999): MAX x 99.99%, MAX / 99.99% overflows (22003)'),
('percent_div(wad,integer)', '{170141183460469231731.687303715884105727,9999}', 'ERR 22003', 'percent_div(wad 170141183460469231731.687303715884105727, 9999): MAX x 99.99%, MAX / 99.99% overflows (22003)'),
('percent_div_floor(wad,integer)', '{170141183460469231731.687303715884105727,9999}', 'ERR 22003', 'percent_div_floor(wad 170141183460469231731.687303715884105727, 9999): MAX x 99.99%, MAX / 99.99% overflows (22003)'),
('percent_div_ceil(wad,integer)', '{170141183460469231731.687303715884105727,9999}', 'ERR 22003', 'percent_div_ceil(wad 170141183460469231731.687303715884105727, 9999): MAX x 99.99%, MAX / 99.99% overflows (22003)'),
('percent_mul(wad,integer)', '{170141183460469231731.687303715884105727,10001}', 'ERR 22003', 'percent_mul(wad 170141183460469231731.687303715884105727, 10001): MAX x 100.01% overflows (22003), MAX / 100.01%'),
('percent_mul_floor(wad,integer)', '{170141183460469231731.687303715884105727,10001}', 'ERR 22003', 'percent_mul_floor(wad 170141183460469231731.687303715884105727, 10001): MAX x 100.01% overflows (22003), MAX / 100.01%'),
('percent_mul_ceil(wad,integer)', '{170141183460469231731.687303715884105727,10001}', 'ERR 22003', 'percent_mul_ceil(wad 170141183460469231731.687303715884105727, 10001): MAX x 100.01% overflows (22003), MAX / 100.01%'),
('percent_div(wad,integer)', '{170141183460469231731.687303715884105727,10001}', '170124171043364895242.163087407143391388', 'percent_div(wad 170141183460469231731.687303715884105727, 10001): MAX x 100.01% overflows (22003), MAX / 100.01%'),
('percent_div_floor(wad,integer)', '{170141183460469231731.687303715884105727,10001}', '170124171043364895242.163087407143391387', 'percent_div_floor(wad 170141183460469231731.687303715884105727, 10001): MAX x 100.01% overflows (22003), MAX / 100.01%'),
('percent_div_ceil(wad,integer)', '{170141183460469231731.687303715884105727,10001}', '170124171043364895242.163087407143391388', 'percent_div_ceil(wad 170141183460469231731.687303715884105727, 10001): MAX x 100.01% overflows (22003), MAX / 100.01%'),
('percent_mul(wad,integer)', '{17014118346046923173.168730371588410572,1000}', '1701411834604692317.316873037158841057', 'percent_mul(wad 17014118346046923173.168730371588410572, 1000): MAX/10 rounded down: / 10% fits'),
('percent_mul_floor(wad,integer)', '{17014118346046923173.168730371588410572,1000}', '1701411834604692317.316873037158841057', 'percent_mul_floor(wad 17014118346046923173.168730371588410572, 1000): MAX/10 rounded down: / 10% fits'),
('percent_mul_ceil(wad,integer)', '{17014118346046923173.168730371588410572,1000}', '1701411834604692317.316873037158841058', 'percent_mul_ceil(wad 17014118346046923173.168730371588410572, 1000): MAX/10 rounded down: / 10% fits'),
('percent_div(wad,integer)', '{17014118346046923173.168730371588410572,1000}', '170141183460469231731.68730371588410572', 'percent_div(wad 17014118346046923173.168730371588410572, 1000): MAX/10 rounded down: / 10% fits'),
('percent_div_floor(wad,integer)', '{17014118346046923173.168730371588410572,1000}', '170141183460469231731.68730371588410572', 'percent_div_floor(wad 17014118346046923173.168730371588410572, 1000): MAX/10 rounded down: / 10% fits'),
('percent_div_ceil(wad,integer)', '{17014118346046923173.168730371588410572,1000}', '170141183460469231731.68730371588410572', 'percent_div_ceil(wad 17014118346046923173.168730371588410572, 1000): MAX/10 rounded down: / 10% fits'),
('percent_mul(wad,integer)', '{17014118346046923173.168730371588410573,1000}', '1701411834604692317.316873037158841057', 'percent_mul(wad 17014118346046923173.168730371588410573, 1000): MAX/10 + 1 unit: / 10% overflows (22003)'),
('percent_mul_floor(wad,integer)', '{17014118346046923173.168730371588410573,1000}', '1701411834604692317.316873037158841057', 'percent_mul_floor(wad 17014118346046923173.168730371588410573, 1000): MAX/10 + 1 unit: / 10% overflows (22003)'),
('percent_mul_ceil(wad,integer)', '{17014118346046923173.168730371588410573,1000}', '1701411834604692317.316873037158841058', 'percent_mul_ceil(wad 17014118346046923173.168730371588410573, 1000): MAX/10 + 1 unit: / 10% overflows (22003)'),
('percent_div(wad,integer)', '{17014118346046923173.168730371588410573,1000}', 'ERR 22003', 'percent_div(wad 17014118346046923173.168730371588410573, 1000): MAX/10 + 1 unit: / 10% overflows (22003)'),
('percent_div_floor(wad,integer)', '{17014118346046923173.168730371588410573,1000}', 'ERR 22003', 'percent_div_floor(wad 17014118346046923173.168730371588410573, 1000): MAX/10 + 1 unit: / 10% overflows (22003)'),
('percent_div_ceil(wad,integer)', '{17014118346046923173.168730371588410573,1000}', 'ERR 22003', 'percent_div_ceil(wad 17014118346046923173.168730371588410573, 1000): MAX/10 + 1 unit: / 10% overflows (22003)'),
('percent_mul(wad,integer)', '{5,0}', '0', 'percent_mul(wad 5, 0): 0 bps: x 0% = 0, / 0% is division by zero (22012)'),
('percent_mul_floor(wad,integer)', '{5,0}', '0', 'percent_mul_floor(wad 5, 0): 0 bps: x 0% = 0, / 0% is division by zero (22012)'),
('percent_mul_ceil(wad,integer)', '{5,0}', '0', 'percent_mul_ceil(wad 5, 0): 0 bps: x 0% = 0, / 0% is division by zero (22012)'),
('percent_div(wad,integer)', '{5,0}', 'ERR 22012', 'percent_div(wad 5, 0): 0 bps: x 0% = 0, / 0% is division by zero (22012)'),
('percent_div_floor(wad,integer)', '{5,0}', 'ERR 22012', 'percent_div_floor(wad 5, 0): 0 bps: x 0% = 0, / 0% is division by zero (22012)'),
('percent_div_ceil(wad,integer)', '{5,0}', 'ERR 22012', 'percent_div_ceil(wad 5, 0): 0 bps: x 0% = 0, / 0% is division by zero (22012)'),
('percent_mul(ray,integer)', '{0.000000000000000000000000001,5000}', '0.000000000000000000000000001', 'percent_mul(ray 0.000000000000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_mul_floor(ray,integer)', '{0.000000000000000000000000001,5000}', '0', 'percent_mul_floor(ray 0.000000000000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_mul_ceil(ray,integer)', '{0.000000000000000000000000001,5000}', '0.000000000000000000000000001', 'percent_mul_ceil(ray 0.000000000000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_div(ray,integer)', '{0.000000000000000000000000001,5000}', '0.000000000000000000000000002', 'percent_div(ray 0.000000000000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_div_floor(ray,integer)', '{0.000000000000000000000000001,5000}', '0.000000000000000000000000002', 'percent_div_floor(ray 0.000000000000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_div_ceil(ray,integer)', '{0.000000000000000000000000001,5000}', '0.000000000000000000000000002', 'percent_div_ceil(ray 0.000000000000000000000000001, 5000): 1 unit x 50%: a tie'),
('percent_mul(ray,integer)', '{0.000000000000000000000000007,3333}', '0.000000000000000000000000002', 'percent_mul(ray 0.000000000000000000000000007, 3333): 7 units, 33.33%'),
('percent_mul_floor(ray,integer)', '{0.000000000000000000000000007,3333}', '0.000000000000000000000000002', 'percent_mul_floor(ray 0.000000000000000000000000007, 3333): 7 units, 33.33%'),
('percent_mul_ceil(ray,integer)', '{0.000000000000000000000000007,3333}', '0.000000000000000000000000003', 'percent_mul_ceil(ray 0.000000000000000000000000007, 3333): 7 units, 33.33%'),
('percent_div(ray,integer)', '{0.000000000000000000000000007,3333}', '0.000000000000000000000000021', 'percent_div(ray 0.000000000000000000000000007, 3333): 7 units, 33.33%'),
('percent_div_floor(ray,integer)', '{0.000000000000000000000000007,3333}', '0.000000000000000000000000021', 'percent_div_floor(ray 0.000000000000000000000000007, 3333): 7 units, 33.33%'),
('percent_div_ceil(ray,integer)', '{0.000000000000000000000000007,3333}', '0.000000000000000000000000022', 'percent_div_ceil(ray 0.000000000000000000000000007, 3333): 7 units, 33.33%'),
('percent_mul(ray,integer)', '{1.000000000000000000000000001,9000}', '0.900000000000000000000000001', 'percent_mul(ray 1.000000000000000000000000001, 9000): 1 + 1 unit, 90%'),
('percent_mul_floor(ray,integer)', '{1.000000000000000000000000001,9000}', '0.9', 'percent_mul_floor(ray 1.000000000000000000000000001, 9000): 1 + 1 unit, 90%'),
('percent_mul_ceil(ray,integer)', '{1.000000000000000000000000001,9000}', '0.900000000000000000000000001', 'percent_mul_ceil(ray 1.000000000000000000000000001, 9000): 1 + 1 unit, 90%'),
('percent_div(ray,integer)', '{1.000000000000000000000000001,9000}', '1.111111111111111111111111112', 'percent_div(ray 1.000000000000000000000000001, 9000): 1 + 1 unit, 90%'),
('percent_div_floor(ray,integer)', '{1.000000000000000000000000001,9000}', '1.111111111111111111111111112', 'percent_div_floor(ray 1.000000000000000000000000001, 9000): 1 + 1 unit, 90%'),
('percent_div_ceil(ray,integer)', '{1.000000000000000000000000001,9000}', '1.111111111111111111111111113', 'percent_div_ceil(ray 1.000000000000000000000000001, 9000): 1 + 1 unit, 90%'),
('percent_mul(ray,integer)', '{5,0}', '0', 'percent_mul(ray 5, 0): 0 bps (22012 for the divisions)'),
('percent_mul_floor(ray,integer)', '{5,0}', '0', 'percent_mul_floor(ray 5, 0): 0 bps (22012 for the divisions)'),
('percent_mul_ceil(ray,integer)', '{5,0}', '0', 'percent_mul_ceil(ray 5, 0): 0 bps (22012 for the divisions)'),
('percent_div(ray,integer)', '{5,0}', 'ERR 22012', 'percent_div(ray 5, 0): 0 bps (22012 for the divisions)'),
('percent_div_floor(ray,integer)', '{5,0}', 'ERR 22012', 'percent_div_floor(ray 5, 0): 0 bps (22012 for the divisions)'),
('percent_div_ceil(ray,integer)', '{5,0}', 'ERR 22012', 'percent_div_ceil(ray 5, 0): 0 bps (22012 for the divisions)'),
('health_factor(wad,wad,wad)', '{1000,0.8,900}', '0.888888888888888888', 'health_factor: 800/900 floors'),
('health_factor(wad,wad,wad)', '{1000,0.8,800}', '1', 'health_factor: exactly 1'),
('health_factor(wad,wad,wad)', '{1000,0.8,800.000000000000000001}', '0.999999999999999999', 'health_factor: one debt unit more: below 1'),
('health_factor(wad,wad,wad)', '{0.000000000000000001,0.8,1}', '0', 'health_factor: wadMulFloor(1 unit, 0.8) = 0'),
('health_factor(wad,wad,wad)', '{1000,0.8,0}', 'infinity', 'health_factor: no debt is infinity'),
('health_factor(wad,wad,wad)', '{0,0.8,1}', '0', 'health_factor: no collateral is 0'),
('ray_mul(wad,ray)', '{1,1.000000000000000000000000001}', '1', 'ray_mul(wad 1, ray 1.000000000000000000000000001)'),
('ray_mul(wad,ray)', '{1000,1.05}', '1050', 'ray_mul(wad 1000, ray 1.05)'),
('ray_mul(wad,ray)', '{0.000000000000000003,0.5}', '0.000000000000000002', 'ray_mul(wad 0.000000000000000003, ray 0.5)'),
('ray_mul(wad,ray)', '{123.456789012345678901,1.012345678901234567890123456}', '124.980946887669562576', 'ray_mul(wad 123.456789012345678901, ray 1.012345678901234567890123456)'),
('ray_mul(ray,ray)', '{1.000000000000000000000000001,0.5}', '0.500000000000000000000000001', 'ray_mul(ray 1.000000000000000000000000001, ray 0.5)'),
('ray_mul(ray,ray)', '{0.000000000000000000000000005,0.3}', '0.000000000000000000000000002', 'ray_mul(ray 0.000000000000000000000000005, ray 0.3)'),
('ray_mul(ray,ray)', '{2,3}', '6', 'ray_mul(ray 2, ray 3)'),
('ray_mul_floor(wad,ray)', '{1,1.000000000000000000000000001}', '1', 'ray_mul_floor(wad 1, ray 1.000000000000000000000000001)'),
('ray_mul_floor(wad,ray)', '{1000,1.05}', '1050', 'ray_mul_floor(wad 1000, ray 1.05)'),
('ray_mul_floor(wad,ray)', '{0.000000000000000003,0.5}', '0.000000000000000001', 'ray_mul_floor(wad 0.000000000000000003, ray 0.5)'),
('ray_mul_floor(wad,ray)', '{123.456789012345678901,1.012345678901234567890123456}', '124.980946887669562576', 'ray_mul_floor(wad 123.456789012345678901, ray 1.012345678901234567890123456)'),
('ray_mul_floor(ray,ray)', '{1.000000000000000000000000001,0.5}', '0.5', 'ray_mul_floor(ray 1.000000000000000000000000001, ray 0.5)'),
('ray_mul_floor(ray,ray)', '{0.000000000000000000000000005,0.3}', '0.000000000000000000000000001', 'ray_mul_floor(ray 0.000000000000000000000000005, ray 0.3)'),
('ray_mul_floor(ray,ray)', '{2,3}', '6', 'ray_mul_floor(ray 2, ray 3)'),
('ray_mul_ceil(wad,ray)', '{1,1.000000000000000000000000001}', '1.000000000000000001', 'ray_mul_ceil(wad 1, ray 1.000000000000000000000000001)'),
('ray_mul_ceil(wad,ray)', '{1000,1.05}', '1050', 'ray_mul_ceil(wad 1000, ray 1.05)'),
('ray_mul_ceil(wad,ray)', '{0.000000000000000003,0.5}', '0.000000000000000002', 'ray_mul_ceil(wad 0.000000000000000003, ray 0.5)'),
('ray_mul_ceil(wad,ray)', '{123.456789012345678901,1.012345678901234567890123456}', '124.980946887669562577', 'ray_mul_ceil(wad 123.456789012345678901, ray 1.012345678901234567890123456)'),
('ray_mul_ceil(ray,ray)', '{1.000000000000000000000000001,0.5}', '0.500000000000000000000000001', 'ray_mul_ceil(ray 1.000000000000000000000000001, ray 0.5)'),
('ray_mul_ceil(ray,ray)', '{0.000000000000000000000000005,0.3}', '0.000000000000000000000000002', 'ray_mul_ceil(ray 0.000000000000000000000000005, ray 0.3)'),
('ray_mul_ceil(ray,ray)', '{2,3}', '6', 'ray_mul_ceil(ray 2, ray 3)'),
('ray_div(wad,ray)', '{1,1.000000000000000000000000001}', '1', 'ray_div(wad 1, ray 1.000000000000000000000000001)'),
('ray_div(wad,ray)', '{1000,1.05}', '952.380952380952380952', 'ray_div(wad 1000, ray 1.05)'),
('ray_div(wad,ray)', '{0.000000000000000003,0.5}', '0.000000000000000006', 'ray_div(wad 0.000000000000000003, ray 0.5)'),
('ray_div(wad,ray)', '{123.456789012345678901,1.012345678901234567890123456}', '121.95121842801903606', 'ray_div(wad 123.456789012345678901, ray 1.012345678901234567890123456)'),
('ray_div(ray,ray)', '{1.000000000000000000000000001,0.5}', '2.000000000000000000000000002', 'ray_div(ray 1.000000000000000000000000001, ray 0.5)'),
('ray_div(ray,ray)', '{0.000000000000000000000000005,0.3}', '0.000000000000000000000000017', 'ray_div(ray 0.000000000000000000000000005, ray 0.3)'),
('ray_div(ray,ray)', '{2,3}', '0.666666666666666666666666667', 'ray_div(ray 2, ray 3)'),
('ray_div_floor(wad,ray)', '{1,1.000000000000000000000000001}', '0.999999999999999999', 'ray_div_floor(wad 1, ray 1.000000000000000000000000001)'),
('ray_div_floor(wad,ray)', '{1000,1.05}', '952.380952380952380952', 'ray_div_floor(wad 1000, ray 1.05)'),
('ray_div_floor(wad,ray)', '{0.000000000000000003,0.5}', '0.000000000000000006', 'ray_div_floor(wad 0.000000000000000003, ray 0.5)'),
('ray_div_floor(wad,ray)', '{123.456789012345678901,1.012345678901234567890123456}', '121.95121842801903606', 'ray_div_floor(wad 123.456789012345678901, ray 1.012345678901234567890123456)'),
('ray_div_floor(ray,ray)', '{1.000000000000000000000000001,0.5}', '2.000000000000000000000000002', 'ray_div_floor(ray 1.000000000000000000000000001, ray 0.5)'),
('ray_div_floor(ray,ray)', '{0.000000000000000000000000005,0.3}', '0.000000000000000000000000016', 'ray_div_floor(ray 0.000000000000000000000000005, ray 0.3)'),
('ray_div_floor(ray,ray)', '{2,3}', '0.666666666666666666666666666', 'ray_div_floor(ray 2, ray 3)'),
('ray_div_ceil(wad,ray)', '{1,1.000000000000000000000000001}', '1', 'ray_div_ceil(wad 1, ray 1.000000000000000000000000001)'),
('ray_div_ceil(wad,ray)', '{1000,1.05}', '952.380952380952380953', 'ray_div_ceil(wad 1000, ray 1.05)'),
('ray_div_ceil(wad,ray)', '{0.000000000000000003,0.5}', '0.000000000000000006', 'ray_div_ceil(wad 0.000000000000000003, ray 0.5)'),
('ray_div_ceil(wad,ray)', '{123.456789012345678901,1.012345678901234567890123456}', '121.951218428019036061', 'ray_div_ceil(wad 123.456789012345678901, ray 1.012345678901234567890123456)'),
('ray_div_ceil(ray,ray)', '{1.000000000000000000000000001,0.5}', '2.000000000000000000000000002', 'ray_div_ceil(ray 1.000000000000000000000000001, ray 0.5)'),
('ray_div_ceil(ray,ray)', '{0.000000000000000000000000005,0.3}', '0.000000000000000000000000017', 'ray_div_ceil(ray 0.000000000000000000000000005, ray 0.3)'),
('ray_div_ceil(ray,ray)', '{2,3}', '0.666666666666666666666666667', 'ray_div_ceil(ray 2, ray 3)'),
('wad_mul(wad,wad)', '{2,3}', '6', 'wad_mul(2, 3)'),
('wad_mul(wad,wad)', '{0.000000000000000005,0.3}', '0.000000000000000002', 'wad_mul(0.000000000000000005, 0.3)'),
('wad_mul_floor(wad,wad)', '{2,3}', '6', 'wad_mul_floor(2, 3)'),
('wad_mul_floor(wad,wad)', '{0.000000000000000005,0.3}', '0.000000000000000001', 'wad_mul_floor(0.000000000000000005, 0.3)'),
('wad_mul_ceil(wad,wad)', '{2,3}', '6', 'wad_mul_ceil(2, 3)'),
('wad_mul_ceil(wad,wad)', '{0.000000000000000005,0.3}', '0.000000000000000002', 'wad_mul_ceil(0.000000000000000005, 0.3)'),
('wad_div(wad,wad)', '{2,3}', '0.666666666666666667', 'wad_div(2, 3)'),
('wad_div(wad,wad)', '{0.000000000000000005,0.3}', '0.000000000000000017', 'wad_div(0.000000000000000005, 0.3)'),
('wad_div_floor(wad,wad)', '{2,3}', '0.666666666666666666', 'wad_div_floor(2, 3)'),
('wad_div_floor(wad,wad)', '{0.000000000000000005,0.3}', '0.000000000000000016', 'wad_div_floor(0.000000000000000005, 0.3)'),
('wad_div_ceil(wad,wad)', '{2,3}', '0.666666666666666667', 'wad_div_ceil(2, 3)'),
('wad_div_ceil(wad,wad)', '{0.000000000000000005,0.3}', '0.000000000000000017', 'wad_div_ceil(0.000000000000000005, 0.3)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,1000,1,1,8000,500,2000,1000,NULL}', '952.380952380952380953 1000', 'liquidation: HF 0.8, small: 100%; collateral short, all of it, debt rounded up'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2000,2375,1,1,8000,500,2000,1000,NULL}', '2000 2100', 'liquidation: HF exactly 0.95: 100% (strict > 0.95)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2000,2375.000000000000002,1,1,8000,500,2000,1000,NULL}', '2000 2100', 'liquidation: HF still 0.95 after flooring: 100%'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2000,2375.000000000000003,1,1,8000,500,2000,1000,NULL}', '1000 1050', 'liquidation: HF 0.95 + 1 unit: 50%'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2000,2100,1,1,9200,0,2000,1000,NULL}', '1000 1000', 'liquidation: debt value exactly close_factor_min_base: 50%'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1999.999999999999999,2100,1,1,9200,0,2000,1000,NULL}', '1999.999999999999999 1999.999999999999999', 'liquidation: debt value one unit below close_factor_min_base: 100%'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2000,2000,1,1,9800,0,2000,1000,NULL}', '1000 1000', 'liquidation: collateral value exactly close_factor_min_base: 50%'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2000,1999.999999999999999,1,1,9800,0,2000,1000,NULL}', '1999.999999999999999 1999.999999999999999', 'liquidation: collateral value one unit below close_factor_min_base: 100%, all collateral'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2000,2000,1,1,9800,500,2000,1000,NULL}', 'ERR XP007', 'liquidation: 50% with a 5% bonus would leave 950 of collateral: dust (XP007)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{10000,11000,1,1,9000,500,2000,1000,3000}', '3000 3150', 'liquidation: debt_to_cover below the 50% maximum'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{10000,11000,1,1,9000,500,2000,1000,5000}', '5000 5250', 'liquidation: debt_to_cover exactly the 50% maximum'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{10000,11000,1,1,9000,500,2000,1000,9000}', '5000 5250', 'liquidation: debt_to_cover above the 50% maximum gives the maximum'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{10000,11000,1,1,9000,500,2000,1000,NULL}', '5000 5250', 'liquidation: debt_to_cover NULL gives the 50% maximum'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,2000,1,1,4500,500,2000,1000,5000}', '1000 1050', 'liquidation: debt_to_cover above the whole debt (close factor 100%) gives the debt'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{100000000000000000000,100000000000000000000,1,1,8000,500,0,0,NULL}', '95238095238095238095.238095238095238096 100000000000000000000', 'liquidation: 10^20 of debt and collateral (256-bit intermediates), collateral short'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{100000000000000000000,150000000000000000000,1,1,6000,500,2000,1000,NULL}', '100000000000000000000 105000000000000000000', 'liquidation: 10^20 of debt, HF 0.9: 100% repaid for 1.05 x 10^20'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,500,1,1,8000,500,2000,1000,NULL}', '476.190476190476190477 500', 'liquidation: collateral short: all of it, debt = ceil(500 / 1.05)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{300,100,2.5,3.3,8000,750,2000,1000,NULL}', '122.790697674418604652 100', 'liquidation: collateral short with prices and a 7.5% bonus'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{12345.678901234567890123,1800,0.123456789012345678,1,8000,500,2000,1000,NULL}', '12345.678901234567890123 1600.365769090077847119', 'liquidation: priced debt, full repayment, floors on the collateral'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{3000,3150,1,1,9000,500,2000,1000,2000}', '2000 2100', 'liquidation: leaves exactly 1000 of debt value: allowed'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{3000,3150,1,1,9000,500,2000,1000,2000.000000000000000001}', 'ERR XP007', 'liquidation: leaves 1000 - 1 unit of debt value: dust (XP007)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{3000,2900,1,1,9500,0,2000,1000,1900}', '1900 1900', 'liquidation: leaves exactly 1000 of collateral value: allowed'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{3000,2900,1,1,9500,0,2000,1000,1900.000000000000000001}', 'ERR XP007', 'liquidation: leaves 1000 - 1 unit of collateral value: dust (XP007)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,1050.000000000000000001,1,1,8000,500,2000,1000,NULL}', '1000 1050', 'liquidation: full repayment leaving 1 unit of collateral is not dust'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{800,1000,1,1,8000,500,2000,1000,NULL}', 'ERR XP004', 'liquidation: HF exactly 1: not liquidatable (XP004)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{800.000000000000000001,1000,1,1,8000,500,2000,1000,NULL}', '800.000000000000000001 840.000000000000000001', 'liquidation: HF 1 - 1 unit: liquidatable'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0,1000,1,1,8000,500,2000,1000,NULL}', 'ERR XP004', 'liquidation: no debt, HF infinity: not liquidatable (XP004)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,0,1,1,8000,500,2000,1000,NULL}', '0 0', 'liquidation: no collateral: nothing seized, nothing repaid'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,1000,1,1,8000,500,2000,1000,0}', 'ERR 22023', 'liquidation: debt_to_cover 0 (22023)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,1000,1,1,8000,500,2000,1000,-0.000000000000000001}', 'ERR 22023', 'liquidation: debt_to_cover negative (22023)'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,1000,1,1,8000,500,0,0,0.000000000000000001}', '0.000000000000000001 0.000000000000000001', 'liquidation: one unit covered: 1.05 units floor to 1'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,1000,1,1,8000,500,0,0,0.000000000000000019}', '0.000000000000000019 0.000000000000000019', 'liquidation: 19 units covered: 19.95 floors to 19'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1000,1000,1,1,8000,500,0,0,0.00000000000000002}', '0.00000000000000002 0.000000000000000021', 'liquidation: 20 units covered: 21 exactly'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{3.118323467839654981,2.09031185934809602,0.000000000000000002,0.000000000000000003,8000,500,0,0,NULL}', '3.118323467839654981 2.09031185934809602', 'liquidation: clamped debt ceil(7/2/1.05 wad) = 3.333... capped at the debt'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{10,2.09031185934809602,0.000000000000000002,0.000000000000000003,8000,500,0,0,3.118323467839654981}', '3.333333333333333334 2.09031185934809602', 'liquidation: clamped debt 3.333... is capped at the debt only, not at debt_to_cover')
;

-- interest, rates, utilization, health factor and liquidation: one
-- assertion per vector
SELECT is(pg_temp.call(sig, args), expected, descr)
  FROM vectors WHERE NOT grouped ORDER BY id;

-- percent_* and the directional mul/div: one assertion per function,
-- listing the vectors it gets wrong
SELECT is_empty(format($$SELECT descr, expected, pg_temp.call(sig, args) AS got
                           FROM vectors
                          WHERE sig = %L AND pg_temp.call(sig, args) IS DISTINCT FROM expected
                          ORDER BY id$$, sig),
                format('%s: %s vectors of the model', sig, n))
  FROM (SELECT sig, count(*) AS n, min(id) AS first FROM vectors WHERE grouped GROUP BY sig) AS g
 ORDER BY first;

-- ===================================================================
-- The compounded series against e^x (numeric exp, 40+ digits)
-- ===================================================================

-- x = 10 (100% APR for ten years): 1 + 10 + 50 + 166.67 = 227.67 against
-- e^10 = 22026.47, the undercharge LENDING.md warns of
SELECT ok(compounded_interest('1', 315360000)::numeric BETWEEN exp(10::numeric) / 97
                                                           AND exp(10::numeric) / 96,
          'compounded_interest after 10 years at 100% APR is e^10 / 96.7');
-- x = 1: 2.6667 against e = 2.71828
SELECT ok(compounded_interest('1', 31536000)::numeric BETWEEN exp(1::numeric) - 0.052
                                                          AND exp(1::numeric) - 0.051,
          'compounded_interest after one year at 100% APR is e - 0.0516');
-- x = 0.05: 1.051270833 against e^0.05 = 1.051271096: below by < 3e-7
SELECT ok(compounded_interest('0.05', 31536000)::numeric BETWEEN exp(0.05::numeric) - 0.0000003
                                                             AND exp(0.05::numeric),
          'compounded_interest after one year at 5% is within 3e-7 below e^0.05');

-- ===================================================================
-- liquidation_amounts: NULL arguments (not STRICT) and the default
-- ===================================================================

SELECT throws_ok(format('SELECT * FROM xphere.liquidation_amounts(%s)',
                        (SELECT string_agg(CASE WHEN j = k THEN 'NULL' ELSE quote_literal(v) END,
                                           ', ' ORDER BY j)
                           FROM unnest(ARRAY['1000', '1000', '1', '1', '8000', '500', '2000', '1000'])
                                WITH ORDINALITY AS u(v, j))),
                 '22004', NULL,
                 format('liquidation_amounts with argument %s NULL is 22004 (not STRICT)', k))
  FROM generate_series(1, 8) AS k;

-- debt_to_cover defaults to NULL, which means the maximum (here 50%)
SELECT is((SELECT ROW(debt_repaid, collateral_seized)::text
             FROM liquidation_amounts('10000', '11000', '1', '1', 9000, 500, '2000', '1000')),
          (SELECT ROW(debt_repaid, collateral_seized)::text
             FROM liquidation_amounts('10000', '11000', '1', '1', 9000, 500, '2000', '1000', NULL)),
          'liquidation_amounts without debt_to_cover is the same as with NULL');

-- ===================================================================
-- Sweep: pseudo-random vectors from test/model/lending_math.py
-- (python3 test/model/lending_math.py --sweep 100; LCG seed 20270101)
-- (signature, arguments, expected)
-- ===================================================================

CREATE TEMP TABLE sweep (
    id serial PRIMARY KEY,
    sig text NOT NULL,
    args text[] NOT NULL,
    expected text NOT NULL
);
INSERT INTO sweep (sig, args, expected) VALUES
('linear_interest(ray,bigint)', '{0.000000000000000196986000901,331228586}', '1.000000000000002068981308353'),
('compounded_interest(ray,bigint)', '{0.000000000000000000019252762,138686613}', '1.000000000000000000084668326'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000067,500393733}', '1.000000000000000000000001063'),
('compounded_interest(ray,bigint)', '{0.000000000001625119434530994,282327255}', '1.000000000014548944349366609'),
('linear_interest(ray,bigint)', '{0.000000000000000000014291345,522048549}', '1.000000000000000000236579652'),
('compounded_interest(ray,bigint)', '{0.000000000000000001759981421,399297940}', '1.000000000000000022284276884'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000007,362003908}', '1.00000000000000000000000008'),
('compounded_interest(ray,bigint)', '{0.000008287092894924161735915,1375592}', '1.000000361480871064614086182'),
('linear_interest(ray,bigint)', '{0,359009637}', '1'),
('compounded_interest(ray,bigint)', '{0,88470}', '1'),
('linear_interest(ray,bigint)', '{0.000000000074052704397782,6344}', '1.00000000000001489695448692'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000046,253133397}', '1.000000000000000000000000369'),
('linear_interest(ray,bigint)', '{0.630499666503068908706030465,481499465}', '10.626625193553592732118452282'),
('compounded_interest(ray,bigint)', '{0.0000000611294565156965204,78275}', '1.000000000151728443972892835'),
('linear_interest(ray,bigint)', '{0.000000000000000000000083324,38245085}', '1.00000000000000000000010105'),
('compounded_interest(ray,bigint)', '{0.000000260882631413637163511,50502830}', '1.000000417786464246217757871'),
('linear_interest(ray,bigint)', '{0.000000000000000004870102174,398905211}', '1.000000000000000061602902565'),
('compounded_interest(ray,bigint)', '{0,108058195}', '1'),
('linear_interest(ray,bigint)', '{0.009702760339788987987959474,366309270}', '1.112703293285548457125450396'),
('compounded_interest(ray,bigint)', '{0.000000007261389692980887392,411958992}', '1.000000094856510664517660885'),
('linear_interest(ray,bigint)', '{0.00000919431608524074663579,84724}', '1.000000024701269533420123603'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000099,398452539}', '1.00000000000000000000000125'),
('linear_interest(ray,bigint)', '{0.000000000000045899096063883,29635}', '1.000000000000000043132284115'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000007,98736}', '1'),
('linear_interest(ray,bigint)', '{0.000000000001966133436129543,595980478}', '1.00000000003715680952169798'),
('compounded_interest(ray,bigint)', '{0.000000000000000000040508397,99162}', '1.000000000000000000000127374'),
('linear_interest(ray,bigint)', '{0.000000000000000748786403359,363989666}', '1.000000000000008642520067985'),
('compounded_interest(ray,bigint)', '{0.00000000000000906936727481,536118704}', '1.000000000000154181171660056'),
('linear_interest(ray,bigint)', '{0.000000000056573317588721588,68404}', '1.000000000000122711859980305'),
('compounded_interest(ray,bigint)', '{0.000976875742284500668766198,323777913}', '1.010079978862294053509469316'),
('linear_interest(ray,bigint)', '{0.000000000000000000000012131,397888678}', '1.000000000000000000000153056'),
('compounded_interest(ray,bigint)', '{0.000000000000057792077732339,33286}', '1.000000000000000060999083567'),
('linear_interest(ray,bigint)', '{0.000000000000600324439518329,303128330}', '1.000000000005770400330079181'),
('compounded_interest(ray,bigint)', '{0.000000000000000003655290023,45561}', '1.000000000000000000005280906'),
('linear_interest(ray,bigint)', '{0.000039848553779498441397044,50979}', '1.000000064416521534914099568'),
('compounded_interest(ray,bigint)', '{0.000000000000000090015818257,467325251}', '1.00000000000000133392519219'),
('linear_interest(ray,bigint)', '{0.000000000000042440543228714,340986404}', '1.000000000000458892954698304'),
('compounded_interest(ray,bigint)', '{0.000000000077296812672051514,61358}', '1.000000000000150392498475776'),
('linear_interest(ray,bigint)', '{0,63529}', '1'),
('compounded_interest(ray,bigint)', '{0,61861430}', '1'),
('linear_interest(ray,bigint)', '{5.065597569008601175709132348,21297}', '1.003420916775341710402050906'),
('compounded_interest(ray,bigint)', '{0.000000000000000006275633558,468164713}', '1.000000000000000093164325963'),
('linear_interest(ray,bigint)', '{0,168222219}', '1'),
('compounded_interest(ray,bigint)', '{0.000000000000046805310913829,630513169}', '1.000000000000935799242463293'),
('linear_interest(ray,bigint)', '{3.366441022695513967425787533,320614845}', '35.225360435475763979628168407'),
('compounded_interest(ray,bigint)', '{0.000945808109123104966058725,410107307}', '1.012375634654313170744754058'),
('linear_interest(ray,bigint)', '{0.000000000000000002046932376,933909}', '1.000000000000000000060617978'),
('compounded_interest(ray,bigint)', '{0.000000000000000017092838652,8984}', '1.000000000000000000004869421'),
('linear_interest(ray,bigint)', '{0.000000000000000001956462249,70553216}', '1.000000000000000004377051739'),
('compounded_interest(ray,bigint)', '{0.000049610447528545963142607,35520176}', '1.00005587966330474339202081'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000807,83313}', '1.000000000000000000000000002'),
('compounded_interest(ray,bigint)', '{0.000000082051811922782668376,628499382}', '1.000001635259869679581140348'),
('linear_interest(ray,bigint)', '{0.000000056332327826635134036,175054248}', '1.000000312697021999653975109'),
('compounded_interest(ray,bigint)', '{0.000000000000000009424288439,463860927}', '1.000000000000000138621231977'),
('linear_interest(ray,bigint)', '{0.000000000037062344393238279,2262}', '1.000000000000002658391140839'),
('compounded_interest(ray,bigint)', '{0.000000000000000000048557784,174873468}', '1.000000000000000000269262686'),
('linear_interest(ray,bigint)', '{0.000000000796266836738835861,128882004}', '1.000000003254200457814624251'),
('compounded_interest(ray,bigint)', '{0.000345344546993263579865496,289246482}', '1.003172503225069429043228661'),
('linear_interest(ray,bigint)', '{0.000000000000000000000001653,156184471}', '1.000000000000000000000008186'),
('compounded_interest(ray,bigint)', '{0.000000000059226043022149838,378836544}', '1.000000000711472268559367324'),
('linear_interest(ray,bigint)', '{0.000000000000000000000078263,153432902}', '1.000000000000000000000380774'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000009,67174487}', '1.000000000000000000000000019'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000234,37965}', '1'),
('compounded_interest(ray,bigint)', '{0.000000000000000000006294186,331813743}', '1.000000000000000000066225818'),
('linear_interest(ray,bigint)', '{0,1627}', '1'),
('compounded_interest(ray,bigint)', '{3.674893288302480097604119949,231894172}', '3681.897881192275022485245918457'),
('linear_interest(ray,bigint)', '{0,130282554}', '1'),
('compounded_interest(ray,bigint)', '{0.000000000000000000078582411,92398}', '1.00000000000000000000023024'),
('linear_interest(ray,bigint)', '{0.000082325401130183714965564,120279983}', '1.000313993462975858638474596'),
('compounded_interest(ray,bigint)', '{0.000000000000022538223399664,50392}', '1.000000000000000036014274275'),
('linear_interest(ray,bigint)', '{0.000000000000000000000799507,134788900}', '1.000000000000000000003417195'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000133874,169767968}', '1.000000000000000000000720684'),
('linear_interest(ray,bigint)', '{0.652444070076384658104409053,485259062}', '11.039459584371153207221468642'),
('compounded_interest(ray,bigint)', '{0.000000000000000965541488154,285153534}', '1.000000000000008730579895063'),
('linear_interest(ray,bigint)', '{0.000000000000000000000004253,106892341}', '1.000000000000000000000014415'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000035,116419324}', '1.000000000000000000000000129'),
('linear_interest(ray,bigint)', '{0.001127874430510665651617145,255852898}', '1.009150492821735585580774509'),
('compounded_interest(ray,bigint)', '{0.000000002051969990575301122,402005740}', '1.000000026157525536140819854'),
('linear_interest(ray,bigint)', '{0.000000000000000000729704215,170582091}', '1.000000000000000003947059576'),
('compounded_interest(ray,bigint)', '{0.000000000000000523667954025,16126}', '1.00000000000000000026777871'),
('linear_interest(ray,bigint)', '{0.000000000000071350971021765,454136602}', '1.000000000001027495165183435'),
('compounded_interest(ray,bigint)', '{0,127381987}', '1'),
('linear_interest(ray,bigint)', '{0.000000000000000000000003694,37581}', '1.000000000000000000000000004'),
('compounded_interest(ray,bigint)', '{0.000000032760955252704584044,240249469}', '1.00000024958152858949791886'),
('linear_interest(ray,bigint)', '{0.000000050775083458814167249,63817}', '1.00000000010274966708178411'),
('compounded_interest(ray,bigint)', '{0.000006468433454293211349988,94393607}', '1.000019361513071902135320647'),
('linear_interest(ray,bigint)', '{0.000945357401626067356138433,114314832}', '1.003426825613484285154669239'),
('compounded_interest(ray,bigint)', '{0.000000000000000040733046765,89563542}', '1.000000000000000115683534523'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000689,130732431}', '1.000000000000000000000002856'),
('compounded_interest(ray,bigint)', '{0,438323704}', '1'),
('linear_interest(ray,bigint)', '{0.000002428948988891489954768,581404423}', '1.000044780621682613207976984'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000009,254701362}', '1.000000000000000000000000072'),
('linear_interest(ray,bigint)', '{0.000000000042423216167791319,241721720}', '1.000000000325171638128181323'),
('compounded_interest(ray,bigint)', '{0.00032437405536923501480731,12617}', '1.000000129776373736580657775'),
('linear_interest(ray,bigint)', '{0,445104817}', '1'),
('compounded_interest(ray,bigint)', '{0.025434866885283869662698405,106131070}', '1.089366422214356185748847455'),
('linear_interest(ray,bigint)', '{0.000000000000000000067616486,509288081}', '1.000000000000000001091966971'),
('compounded_interest(ray,bigint)', '{0.00919567973059178515505503,387630960}', '1.119659135717857199498439599'),
('linear_interest(ray,bigint)', '{0.000000000000007442903728646,252212787}', '1.000000000000059525478588739'),
('compounded_interest(ray,bigint)', '{0.000000000000000000008193433,21263}', '1.000000000000000000000005524'),
('linear_interest(ray,bigint)', '{0.000000007683410234437730433,339581993}', '1.000000082735532738678390881'),
('compounded_interest(ray,bigint)', '{0.000000000000491199773410735,96620656}', '1.000000000001504948133372408'),
('linear_interest(ray,bigint)', '{0,58703291}', '1'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000026,56589540}', '1.000000000000000000000000046'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000957,90752}', '1.000000000000000000000000002'),
('compounded_interest(ray,bigint)', '{0.0000000000000000211554807,566517098}', '1.000000000000000380040002947'),
('linear_interest(ray,bigint)', '{0.000000000000087265927415395,405980329}', '1.000000000001123422435394221'),
('compounded_interest(ray,bigint)', '{0,126324033}', '1'),
('linear_interest(ray,bigint)', '{0.000000077981052392563540598,164372954}', '1.000000406455350640361390182'),
('compounded_interest(ray,bigint)', '{0.004095269714617053893126671,139099205}', '1.018227570046898352826026988'),
('linear_interest(ray,bigint)', '{0.000000000090880543463796815,86701}', '1.000000000000249855213053483'),
('compounded_interest(ray,bigint)', '{0.000081574025461181371838873,263497898}', '1.000681821129457500037181818'),
('linear_interest(ray,bigint)', '{0.000000000000000194109382996,97422105}', '1.000000000000000599649438474'),
('compounded_interest(ray,bigint)', '{0.000000000000000000245737352,178729700}', '1.000000000000000001392711922'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000103,400084222}', '1.000000000000000000000001306'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000007548,621002845}', '1.000000000000000000000148634'),
('linear_interest(ray,bigint)', '{0,416419430}', '1'),
('compounded_interest(ray,bigint)', '{0.00000009542209026937528966,97272243}', '1.00000029432781957807869991'),
('linear_interest(ray,bigint)', '{0.000000797145134867785381596,444774690}', '1.000011242706121443031268578'),
('compounded_interest(ray,bigint)', '{0.000000000021523361074958334,79575659}', '1.000000000054310490914550595'),
('linear_interest(ray,bigint)', '{0.000000000000000003193712134,68110}', '1.000000000000000000006897632'),
('compounded_interest(ray,bigint)', '{0.00849096967895332261431196,119555103}', '1.032713490708646351805888724'),
('linear_interest(ray,bigint)', '{0.000000000005470937898193808,414363567}', '1.000000000071884745761386007'),
('compounded_interest(ray,bigint)', '{0.007179678348859033279380677,36337}', '1.000008272737547243285991568'),
('linear_interest(ray,bigint)', '{0.000799592987804223213911258,606836019}', '1.015386283153837847745982154'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000084383,56811}', '1.000000000000000000000000152'),
('linear_interest(ray,bigint)', '{0.000000002905275564994688929,11894}', '1.00000000000109574288337287'),
('compounded_interest(ray,bigint)', '{0.876244877026566126602021093,15535}', '1.000431741580623959691867333'),
('linear_interest(ray,bigint)', '{0.000009640483758543701475636,32392}', '1.000000009902161019366678659'),
('compounded_interest(ray,bigint)', '{0.000000000000080854575561695,54343}', '1.000000000000000139329027135'),
('linear_interest(ray,bigint)', '{0.000000014802357179335371468,175159055}', '1.000000082216098912507901902'),
('compounded_interest(ray,bigint)', '{0,382047718}', '1'),
('linear_interest(ray,bigint)', '{0.000000000000000053569479363,55344220}', '1.000000000000000094011956213'),
('compounded_interest(ray,bigint)', '{7.435180344986941450449234971,529405644}', '332008.075850646931668994416371363'),
('linear_interest(ray,bigint)', '{0.000000000000000000437027308,114744117}', '1.00000000000000000159012914'),
('compounded_interest(ray,bigint)', '{0.00000000000007313148500928,225246922}', '1.00000000000052234404806043'),
('linear_interest(ray,bigint)', '{0.000000000000000000000022806,430245341}', '1.000000000000000000000311142'),
('compounded_interest(ray,bigint)', '{0,606116327}', '1'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000066,317659991}', '1.000000000000000000000000664'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000017,21227121}', '1.000000000000000000000000011'),
('linear_interest(ray,bigint)', '{0,78825}', '1'),
('compounded_interest(ray,bigint)', '{0.000000000019464835232874288,139092596}', '1.000000000085851549447265573'),
('linear_interest(ray,bigint)', '{0.000000000000005838910230781,610597354}', '1.000000000000113052484054997'),
('compounded_interest(ray,bigint)', '{0.00000000000000000564811232,99778}', '1.000000000000000000017870286'),
('linear_interest(ray,bigint)', '{0.000049374555031546423931008,545572430}', '1.000854179222752711477734975'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000907,457358808}', '1.000000000000000000000013153'),
('linear_interest(ray,bigint)', '{0.000000000000005736358382741,581917670}', '1.000000000000105850085754997'),
('compounded_interest(ray,bigint)', '{0,66522}', '1'),
('linear_interest(ray,bigint)', '{0.000000000000000000000284969,237120158}', '1.00000000000000000000214269'),
('compounded_interest(ray,bigint)', '{0.003849481729504619268714551,409798148}', '1.051294517509967329805013768'),
('linear_interest(ray,bigint)', '{0.000000000000000000658236996,42173}', '1.000000000000000000000880258'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000002534,329512342}', '1.000000000000000000000026477'),
('linear_interest(ray,bigint)', '{0.961880482435694657736020514,65256}', '1.001990375214416022659348736'),
('compounded_interest(ray,bigint)', '{0.05958937118596455473838466,337276608}', '1.883527830552181098162661373'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000007,474442094}', '1.000000000000000000000000105'),
('compounded_interest(ray,bigint)', '{0.000000000000000000438685311,560271147}', '1.000000000000000007793718999'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000997,71242}', '1.000000000000000000000000002'),
('compounded_interest(ray,bigint)', '{0,19311}', '1'),
('linear_interest(ray,bigint)', '{0.000000002828090256195838436,46817389}', '1.000000004198497008226478571'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000062,307085770}', '1.000000000000000000000000603'),
('linear_interest(ray,bigint)', '{0.000000323170480157106583742,301045866}', '1.000003085018298596269899699'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000082,578661209}', '1.000000000000000000000001504'),
('linear_interest(ray,bigint)', '{0.000057537838157663959320343,8530159}', '1.000015563384956910852409058'),
('compounded_interest(ray,bigint)', '{0.000000000213222619175938309,339393411}', '1.000000002294721971952880542'),
('linear_interest(ray,bigint)', '{0,572848671}', '1'),
('compounded_interest(ray,bigint)', '{0,22864}', '1'),
('linear_interest(ray,bigint)', '{0.000000000000000000000030719,473265614}', '1.000000000000000000000461004'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000006,567822558}', '1.000000000000000000000000108'),
('linear_interest(ray,bigint)', '{0.002296557056358634846930719,15942}', '1.00000116094979047657777555'),
('compounded_interest(ray,bigint)', '{0.000000000001344838661525512,466514173}', '1.000000000019894288939822483'),
('linear_interest(ray,bigint)', '{0.000000013219596062645275085,597191057}', '1.000000250336902136103819256'),
('compounded_interest(ray,bigint)', '{0.007283695327063067125754545,264197296}', '1.06291978611406288622968084'),
('linear_interest(ray,bigint)', '{0.000059331306764574692856598,299675429}', '1.000563804376198773563049982'),
('compounded_interest(ray,bigint)', '{0.000000000000000003173148855,68371105}', '1.000000000000000006879493072'),
('linear_interest(ray,bigint)', '{0.088131103217188914520528993,370683557}', '2.035919292963017832808175946'),
('compounded_interest(ray,bigint)', '{0.000000000000000000817369234,21178471}', '1.000000000000000000548916496'),
('linear_interest(ray,bigint)', '{0.000000000000000000814063341,136646000}', '1.000000000000000003527349673'),
('compounded_interest(ray,bigint)', '{4.052566892452165793206053814,241804039}', '5515.310036539048028586379246569'),
('linear_interest(ray,bigint)', '{0.000000000000000000000093319,56382111}', '1.000000000000000000000166841'),
('compounded_interest(ray,bigint)', '{0,72394}', '1'),
('linear_interest(ray,bigint)', '{0.000000078697749706858352057,557955631}', '1.000001392372291855981001064'),
('compounded_interest(ray,bigint)', '{0.000448695896604399572988336,92247}', '1.000001312496116715033528074'),
('linear_interest(ray,bigint)', '{0.000000552801081787700415864,197956148}', '1.000003470014356954785898732'),
('compounded_interest(ray,bigint)', '{0.000000000000000000000000003,82557}', '1'),
('linear_interest(ray,bigint)', '{0,486632030}', '1'),
('compounded_interest(ray,bigint)', '{0.000000000000000000003864415,188942133}', '1.00000000000000000002315293'),
('linear_interest(ray,bigint)', '{0.000000000000000009310359656,277135066}', '1.000000000000000081818465808'),
('compounded_interest(ray,bigint)', '{0.450131409056963196978557303,16615}', '1.000237183544722948230305995'),
('linear_interest(ray,bigint)', '{0.0039108847093465332951711,330957796}', '1.041043181881514119089625973'),
('compounded_interest(ray,bigint)', '{0.000000000000000000004205813,605144872}', '1.000000000000000000080705421'),
('linear_interest(ray,bigint)', '{0.000022387358093253309691244,20252651}', '1.000014377325921952204964855'),
('compounded_interest(ray,bigint)', '{0.000024167663720021922157484,594381529}', '1.000455608987655776619007149'),
('linear_interest(ray,bigint)', '{9.324260096853400214171355217,109672846}', '33.427008551057459610133880591'),
('compounded_interest(ray,bigint)', '{0.000000000000798925378565951,412719992}', '1.000000000010455748219560504'),
('linear_interest(ray,bigint)', '{0.000000000000000000000093106,243742857}', '1.000000000000000000000719619'),
('compounded_interest(ray,bigint)', '{0.000439544384627128660246497,101159334}', '1.001410939175793852329735265'),
('linear_interest(ray,bigint)', '{0.00000000145673456013123683,88808}', '1.000000000004102285731105241'),
('compounded_interest(ray,bigint)', '{0.00000000000000000052535386,567240361}', '1.000000000000000009449578678'),
('linear_interest(ray,bigint)', '{0.000000000000000000000000748,592729385}', '1.000000000000000000000014058'),
('compounded_interest(ray,bigint)', '{0.000000075693545805154810446,561287243}', '1.000001347217473892814066353'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000007629036331354424,0.000000000000000065390174208,0.000000000096645726144613403,0.000000000000000000000000816,0.000000000002117451379595986}', '0.000000000096645791534787611'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000004338876472946258,0,0.000000000000000000000000076,0.000000000000000000000052407,0.000000000006267601453645366}', '0'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000004772725663841134,0.000000000000000000000990591,0.000000001774889284716127787,0.000000000056156368699737863,0.000000000004772725663841133}', '0.000000001774889284717118378'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000006745052746845049,0.008362836859913683806499459,0.000000510221461744792791426,0.000000000000000000000000071,0.000000000003159689682427701}', '0.008363347081375428599290885'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003471231116985904,0.000000000000049539842319607,0.000000574558139443542652318,0.00000000000000000000001569,0.000000000001501338017576549}', '0.000000574558188983384971925'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000002589423944640093,0.000000000000000000000000512,0.000000000000000000000041436,0.000000000000000000048228456,0.000000000008427536077041556}', '0.000000000000000000000000512'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000000000697802569885051,0.000000000000006023583457098,0.495399145181389915239525566,0.000000000003678884107474713}', '0.000000000000697802569885051'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000072543107545915,0.000000077397987442430242548,0.000000021226412096302052159,0.000000000001481351524125362,0.000000000002747481942675268}', '0.000000077958438805579382084'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003506760640862424,0.000010078594545943786085984,0.000000002733820668801478248,0.000000000039362771315028316,0.000000000006552387513189295}', '0.000010080057654616877020867'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000001947637316217049,0.00000000000000000000000082,0.000000005167912665833043898,0.000000006220079924040147636,0.000000000001947637316217048}', '0.000000005167912665833044718'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.00000000000074682656149848,0.000000000000000006970498183,0.000000000000000000000000001,0.178821386144522095786469189,0.000000000002746482819530315}', '0.000000000000000006970498183'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000000000000000000000852,0.000000000078267304941952063,0.000000000000000056512896004,0.00000000000828619208288609}', '0.000000000000000000000000852'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000002386437364343182,0.000000000000000000007003688,0.00000000000000000000047656,0.000000000000000096032167732,0.000000000002386437364343182}', '0.000000000000000000007003688'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.002851467496673488131378666,0.000433776915688253039348392,0.046162671746986904677527542,0.000000000003297614577388347}', '0.0494479161593486458482546'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.000000000000000000000000001,0.00000000000000000000000005,0.000000000000000002058074604,0.000000000001073515355524932}', '0.000000000000000002058074655'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.000000000000060496471170991,0.090141094264957890462372692,9.018061296289954509404856161,0.000000000006060561841351029}', '9.108202390554972896338399844'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000008109890890497222,0.000000000000000007027680975,0.000000000000000000065254604,0.000000000000000000000000004,0.00000000000856902118437544}', '0.000000000000000007027680975'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000008422160129799846,0.000000417597652244434926699,0.000000000000000000000000002,0.00023889301452267982711701,0.000000000008422160129799846}', '0.000000417597652244434926699'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003186486128968078,0.000000000000000000007673317,0.000000339297651599138580385,0.000000000000006179536403412,0.000000000000507330076893534}', '0.000000339297651599146253719'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000007844023683331292,0.000008456999559793894864305,0.00000000000000003696637136,0.000000000000000000000026468,0.000000000007894029497967677}', '0.000008456999559793894864305'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005915722294996978,0.000005770098219084107260942,0.000000000000000002870227901,0.00000000004574967839909698,0.000000000006610459340282185}', '0.000005770098219084107260942'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0,0.000000000000000000000096259,0.000000000000000000000061742,0.000000000005256888776602265}', '0.000000000000000000000158001'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.00000000000000680558772113,0.000000000031931950872946592,0.000000000000000968090938876,0.000000000000709962525084751}', '0.000000000031939724551606598'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003391541268016349,0.000000000000000000000304341,0.000003153050729654097696561,0.000000000000000000073780103,0.000000000004927895493976531}', '0.000002170034182557470045243'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000812715528262027,0.000000000000007526050261284,0.000000009954424331903707871,0.000000000000000000000000009,0.00000000000446565326029802}', '0.000000001811638328630777306'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.00000000000403107301554816,0.000000000000000000000000004,0.000000000000000000090338542,0.000000000000000005350493927,0.000000000007270702210086209}', '0.000000000000000000000000004'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000002075841658697556,0.000000000003413851627861158,0.000000000000000000000000005,7.669826439910750506570905841,0.000000000008840190957983765}', '0.000000000003413851627861158'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000000000000000000000056,0.000000000000000000006131177,0.000000000000000000665055008,0.000000000007773266563772697}', '0.000000000000000000000000056'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000006139606434100801,0.000000000000000000000388753,0.000002452848874837021287671,3.173735540795103558266600748,0.000000000000324473549861383}', '0.000002452867330530930839392'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000001518260086013458,0.000000000000000009581471593,0.000000000047183468521127568,0.033535985248531148205929605,0.000000000001518260086013457}', '0.000000000047183478102599161'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000008309628686936611,0.00000000000000000000004935,0.000000000000000000000000328,0.000004892762057646625103061,0.000000000004547693679359466}', '0.000000000000000018406302546'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005151729625858383,0.000637996864062589479984335,0.000000000000301628089711383,0.000000000094744850168532373,0.000000000005151729625858383}', '0.000637996864364235744997917'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.00000000000786158520628526,0.08845360401756393621082911,0.000000000000000000022144447,0.000000000000000000000353581,0.000000000001152744132928002}', '0.088453604017563936232973557'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000002014776748090667,0.000000000021319556950744818,0.009297643024525817610064061,0.853003785543087021404884795,0.000000000000425813625277351}', '0.00929764304720076611965758'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.00000000000028553786748166,0.000000000000000000000000004,0.000000000000000000000330688,0.008980891481891299024618576,0.000000000004605579748512931}', '0.000000000000000000000000004'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003567418538847811,0.00000000969004158795449866,0.000000000000000000000000003,0.000000000498557619416180487,0.000000000003418883048051037}', '0.000000009690041587954572717'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003062507120780627,0.000000000000000000000000089,0.00000918330862662939680736,0.000000000000003449314940914,0.00000000000788827852239783}', '0.000003565283348089876602145'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005955307063452553,0.000000000000000000000000002,0.000000399803699958284236978,0.978894859527900746179847779,0.000000000001384123117594553}', '0.000000399808174666750800035'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000008997089356488403,0.000000000838149530797564314,0.000000000000044434047892186,0.000000000000000000052928251,0.000000000008997089356488403}', '0.000000000838193989620206943'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000004538751958731128,0.00000000000000000050364038,0.000044003850818063331812099,0.000000000000000000000040384,0.000000000004538751958731127}', '0.000044003850818063835452479'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000001891911379437944,0.000000936449131814001659925,0.000000000000000002233881488,0.000000021205374541710583382,0.000000000001350199531902435}', '0.000000936449131816247028616'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000000014633480113580844,0.000000000000000000003793909,0.00000000000008811318162426,0.000000000006208719025608696}', '0.000000000014633480113580844'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000007608772452891308,0.000000000000000000000000066,0.000000004618340278520241039,0.000000000000000889185381648,0.000000000004842994686150764}', '0.000000004618340278520241107'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000006498390009473108,0.00000000000797041335933716,0.000009949656218350461851473,0.005216044953055145919855687,0.00000000000003606486583527}', '0.000009949664222471599639108'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000002317104264949558,0.000006198629909959036275986,0.000000000000000742739337015,0.000000000000000669383134419,0.000000000008330988691809373}', '0.000006198629910199103820666'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005215544537693495,0.00000000000000000000000001,0.000007553612475507494656446,0.026195057302547441096762925,0.000000000003693069013422015}', '0.000007553612515388828256621'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000000000000000000000046,0.000000000000000006994106958,0.000000000000000758158600893,0.000000000005220130097357512}', '0.000000000000000000000000046'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000071469828287334518059825,0.000000000008437526018781006,0.000000000000000000000000005,0.000000000000831465718465425}', '0.000071469828287334518059825'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000002289289082251981,0.000000000006639080612890487,0.00000000000000887950504574,0.000000000000000000000000002,0.00000000000228928908225198}', '0.000000000006647960117936227'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000008812593063549882,0.000000000002830747619131131,0.657661364975654738780437368,0.000000000000047283616980082,0.000000000001452407367406166}', '0.657661364978485486399568847'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.00000000000118642568815347,0.000000000000000000000000007,0.0000000000000000000000041,0.000000000000000000812261681,0.000000000001186425688153469}', '0.000000000000000000000004107'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005862284370432091,0.000000000000032422241657376,0.000000000000000000000000791,0.000000000000000000000000009,0.000000000001782573895051566}', '0.000000000000032422241658167'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000831112972381554164858,0.000096202893410451367105189,0.000000000000000000004547449,0.00000000000503197609329167}', '0.000000831112972381554164858'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.000000000000000000000093708,0.321884991113730523535660671,0.000008804697120566359186436,0.000000000008396847279417777}', '0.321893795810851089894940815'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000902000293312291,0.000000000098342136509753575,0.000000000000000000000000086,0.000000000000000953929432156,0.000000000005164593723390529}', '0.000000000098342136509753575'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000957507399774625,0.000000000000000000008017416,0.002045128713823183309798421,0.000000000000000000958058422,0.000000000004384213610829726}', '0.000446653847371820855459101'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000004159694378953049,0.000000089330497816205936223,0.000000000019237974988756977,0.070983746552967626917159643,0.000000000002183297022818658}', '0.000000089349876083283709305'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000702330380095453,0.0000000000000000000000099,0.000000000000000000000051028,0.000023753154686344215796416,0.000000000007028936774434436}', '0.0000000000000000000000099'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003873746817355931,0.000000000000000000000002293,0.000000000000000000000000007,0.000000000000000000075128015,0.000000000007250026504340231}', '0.000000000000000000000002293'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.008119268502972132529231231,0.000000017135791910178088788,0.000000000000000000000000009,0.000000000002746694837655197}', '0.008119268502972132529231231'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003258583954655542,0.000000000000161479190663255,0.000000000000007289369347835,0.000000000000000000025631506,0.000000000003258583954655541}', '0.00000000000016876856001109'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000006815149307116886,0.000000000000001719090306037,0.000000000112735448954583997,0.000000000038183288085411151,0.000000000002322519677965561}', '0.000000000112737168045061577'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005254931738227026,0.000000000000000000000000055,0.000000000000000000000401818,0.001843632719025166269430838,0.000000000008889795075871747}', '0.000000000000000000000000055'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.00000000000415044265207972,0.000000000000000000206776089,0.000000000474040242323163853,0.000000002662913034556921305,0.000000000006774212970665129}', '0.000000000290436248449916639'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.000000000000000000022806876,0.000000000000000000335678538,0.000000000000000000000000083,0.000000000007499679316873961}', '0.000000000000000000358485497'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000799238653186504,0.000029919799373530003549942,0.000000000075274177419017769,0.000034654454458305668727273,0.000000000000799238653186504}', '0.000029919874647667159127517'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000004668040472680475,0.006695467108933357193229463,0.000000000000000002252206644,0.000000000000550987964134999,0.000000000006304338825673058}', '0.006695467108933357193229463'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000000000000000000877811,0.00000000000000000000086235,0.000000006920061834341451609,0.000000000000233936959829957}', '0.000000000000000000000877811'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000006524313711835266,0.000000000000000000000000673,0.00000000762497290808966157,0.000000000000798939624439798,0.000000000000633626584845203}', '0.000000007624972908089666949'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000004828958720322867,0.012832546529378194386161344,0.000000000000000000000000007,0.000000000000000000000008827,0.000000000004828958720322867}', '0.012832546529378194386161344'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000006446418858050248,0.000000000000267823425541326,0.000000000000000000000001508,0.000000000000000000000550155,0.000000000006203674230373191}', '0.000000000000267823425542834'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005204570315666072,0.000000000000000000000000003,0.000004761368967633438345818,0.000000000000000000000000464,0.000000000006191268370132452}', '0.000004002552968071363679926'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000688603849961287,0.000000000000000000000856639,0.000000000000728023960499331,0.000000000000000000015579437,0.000000000000995444078263497}', '0.000000000000503292964208201'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.005493058620682660037444036,0.000000000419775750371880678,0.00000000000000000446025463,0.000000000004944712801993337}', '0.005493059040458414869579344'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.00000000000000278474851326,0.000000000000000000000000046,0.000000000000000000000475166,0.000000000008601398968787126}', '0.00000000000000278474851326'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000006693945390864901,0.000000000000310034172410976,0.000000000000000000000452655,0.00000000000000000073092355,0.000000000003694021806866479}', '0.000000000000310034172863631'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000681519196251177,0.000000000000000003768301101,0.000000000000251662011773398,0.008524493488645275333262425,0.000000000001940412955837357}', '0.000000000000088644693668339'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000008572897168480368,0.000000000000000000063574307,0.000000000000000024564449901,0.000000000000000146793724252,0.000000000003437360492815631}', '0.000000000000000024628024209'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000007851518444859261,0.000000000000000034715280799,0.000000835738020467235823008,0.000000000000006690298931274,0.000000000007851518444859261}', '0.000000835738020531414366534'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.00000000000488007458550416,0.000000000000000000000000176,0.000000000095870304725575112,0.000000000000000076015683661,0.000000000006880381841564121}', '0.000000000067998260964778621'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000002101945797622831,0.000000752571191448799119205,0.000000000000000000000039816,0.594653872270293912968515812,0.000000000003851925220330011}', '0.000000752571191448799119205'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000169952178229088,0.000000000000000398050001187,0.000000000000000000000000555,0.00000000000000000085014807,0.000000000000169952178229088}', '0.000000000000000398050001187'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000100551629841096,0.00000000023171608011294232,0.00000000000000517711648735,0.000007532732801079845140514,0.000000000002907846890355295}', '0.000000000231716424010003516'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000004757904696735734,0.000000000058340843993587025,0.000000225547124236415277282,0.000168089143810742612828514,0.000000000005777120069790375}', '0.000000185813822647393077885'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000007942811909836091,0.000000176179474763180967538,0.000000000000000000000000001,0.000000000003612971615271194,0.000000000008200590509424311}', '0.000000176179474763180967538'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.00000000000000000000000009,0.514622163906715651515124775,0.000000000000000000000004245,0.000000000003193754919672008}', '0.51462216390671565151512911'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000003637533872586111,0.000000000000000000000000006,0.000000028763194215897501675,0.000000000000000000005878009,0.000000000002290982166288261}', '0.000000028763194215897501681'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000047906281540575444215195,0.000080487429340685651997787,0.000000000000007792532969954,0.000000000003751136045998953}', '0.000047906281540575444215195'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000001602650287866757,0.000009123281152836654799067,0.000000000002629184084648635,0.000000948521631494255929669,0.000000000000617292389631442}', '0.000009123283782021674080983'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.000000000000000000078187513,0.000000000647202566209225525,0.000000000000000000000000321,0.000000000007154381297271867}', '0.000000000647202566287413359'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000000207960722330769,0.000000052452282161584871167,0.000000000000004284281884136,0.000000000000000096461766712,0.000000000001273669834931691}', '0.000000052452282946717699608'),
('borrow_rate(ray,ray,ray,ray,ray)', '{1,0.000000000000000000010044923,0.000000006605076732791795126,0.000000001060194967327856776,0.00000000000695053057581806}', '0.000000007665271700129696825'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000001597789502910612,0.000000000000413571805071049,0.000000000000000001625333364,0.000000008479617737266760514,0.000000000001597789502910612}', '0.000000000000413571805071049'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005796643385211342,0.000000000000000000004377846,0.00000000000000000000350349,0.000000000000000000039568479,0.000000000005796643385211341}', '0.000000000000000000007881336'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000006950633321382828,0.097723525372815264509706952,0.000000000000006597911654749,0.00008686262980112275244547,0.00000000000566657592950941}', '0.097723525372821973957963575'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.00000000000305826194043868,0.000000000000000000000000007,0.000000000000000000000000066,0.003890358345053937127141145,0.000000000006810549455707813}', '0.000000000000000000000000007'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000005536836669116459,0.000000000000000000000000073,0.000000000000000000000041524,0.000000000000000067095739527,0.000000000002159204137027192}', '0.000000000000000000000041597'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0.000000000001342589424209919,0.000000000000000000067620292,0.000000000000000002012484786,0.0000000000000000000000025,0.000000000001342589424209919}', '0.000000000000000000067620292'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000000999472217755481299,0.000000000000000000000000042,0.000000225467251096150776628,0.000000000001811975097866557}', '0.000000000999472217755481299'),
('borrow_rate(ray,ray,ray,ray,ray)', '{0,0.000000000000212773440406609,0.000000096424119124795193068,0.000000000000000000000000005,0.000000000003404145878587298}', '0.000000000000212773440406609'),
('utilization(wad,ray,wad)', '{1.888437903130829277,1.000000000000000000000000004,0.000000000000000092}', '0.999999999999999951282485991'),
('liquidity_rate(ray,ray,integer)', '{0,0.000000000006916382772346436,5843}', '0'),
('utilization(wad,ray,wad)', '{0.000000005926466123,1.00000005821872497065078557,0.000000000058661106}', '0.990198854533188459228456797'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000364,0.00000000000118799706891132,5807}', '0'),
('utilization(wad,ray,wad)', '{98802998.91190565162655241,1.9944077349708380021233027,0}', '1'),
('liquidity_rate(ray,ray,integer)', '{0.0000000000000000000000087,0.000000000001379755814678695,0}', '0'),
('utilization(wad,ray,wad)', '{6.587659386262293445,1.000000000000014835826795512,0}', '1'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000002159,0.000000000002587925868312785,10000}', '0'),
('utilization(wad,ray,wad)', '{0.000000000556228178,1.000000000000772093864498027,0.080146940851707508}', '0.000000006940104877725570947'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000765672272296208,0.000000000000627285565508086,1759}', '0.000000000000000000000000396'),
('utilization(wad,ray,wad)', '{0.000000000000004621,1.000000000000081139271147076,0.000000000000000566}', '0.890902081727062451811873554'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000005,0.000000000008491310306315537,0}', '0'),
('utilization(wad,ray,wad)', '{0.000000000000484079,1.000000000000000000000000002,0.000000000063296203}', '0.007589806398319054181681822'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000008413783232442,0.000000000001317666896691827,9484}', '0.000000000000000000000000001'),
('utilization(wad,ray,wad)', '{7550.218016867754452386,1.000000000000000000000000006,0.000214997136744828}', '0.999999971524381131467763014'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000624191,0.000000000002849477926679102,7917}', '0'),
('utilization(wad,ray,wad)', '{0.000000584910363684,1.000000000000000090217710921,13213375.245738792539999121}', '0.000000000000044266536960237'),
('liquidity_rate(ray,ray,integer)', '{0.000000000456279137262103629,0.000000000006805394778358246,4764}', '0.000000000000000000001625862'),
('utilization(wad,ray,wad)', '{0.000000000694193131,1.005309262072384101645913842,26622097.564988998225816001}', '0.000000000000000026214267426'),
('liquidity_rate(ray,ray,integer)', '{0.000000000220362039039897272,0.000000000007941402671884893,0}', '0.000000000000000000001749984'),
('utilization(wad,ray,wad)', '{0.000000000000001745,1.00000000054868405928110815,60628877.695497941595357588}', '0.000000000000000000000028798'),
('liquidity_rate(ray,ray,integer)', '{0.671887426581786706357784767,0.000000000006597830045907429,8373}', '0.000000000000721248945527533'),
('utilization(wad,ray,wad)', '{0.000000000035785872,1.098439812349664233568561395,0.014801048302633774}', '0.00000000265580019008581733'),
('liquidity_rate(ray,ray,integer)', '{0.077952194765923662786505505,0.0000000000051409232686786,0}', '0.000000000000400746251916703'),
('utilization(wad,ray,wad)', '{0,1.00000000000000339461178107,0.000000000000219479}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000081798655562322,0.000000000000589299249401538,0}', '0.000000000000000000000000048'),
('utilization(wad,ray,wad)', '{11381.129001309698616909,1.000000000000000000000000001,0}', '1'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000915,0.000000000005157368561280015,1547}', '0'),
('utilization(wad,ray,wad)', '{783320883.57146175820881644,1.000000000007487746922305191,17715.861151813706688007}', '0.999977384159079467066985778'),
('liquidity_rate(ray,ray,integer)', '{5.995438953313813614801491491,0.00000000000020260986499746,3746}', '0.000000000000759695317112913'),
('utilization(wad,ray,wad)', '{799793296885.351426671876613456,1.000000000000000000000000005,0.000002792464216184}', '0.999999999999999996508517604'),
('liquidity_rate(ray,ray,integer)', '{0.004886211616218074091754206,0.000000000008210763587284092,1547}', '0.000000000000033913037371911'),
('utilization(wad,ray,wad)', '{0.000000181655524919,1.000000000000000000563624861,0.00132997410087672}', '0.000136567108059147613626629'),
('liquidity_rate(ray,ray,integer)', '{7.995823868738680179617340926,0.000000000003063828392318118,226}', '0.000000000023944181181544693'),
('utilization(wad,ray,wad)', '{98644720661.795758382316135919,1.000000000910926250158570298,963657270842.201505786174392342}', '0.09285939547533877959264202'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000766048,0.000000000003741727382495396,5666}', '0'),
('utilization(wad,ray,wad)', '{0.00000000000032424,1.000000000000000000095484694,0.00044736852952516}', '0.000000000724773823740239871'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000031424727814649,0.000000000006775166798578607,1015}', '0.000000000000000000000000191'),
('utilization(wad,ray,wad)', '{0,1.000000000000000000172496428,0.000000000000000001}', '0'),
('liquidity_rate(ray,ray,integer)', '{3.53899254366641939401835897,0.00000000000857567432138569,6016}', '0.000000000012091140196149742'),
('utilization(wad,ray,wad)', '{6.289970603906076815,1.00000000000000000342770253,0.000000000000000007}', '0.999999999999999998887117216'),
('liquidity_rate(ray,ray,integer)', '{0.616971966682905348598878259,0.000000000002491846069586727,9823}', '0.000000000000027211965312965'),
('utilization(wad,ray,wad)', '{0.00000000586940317,1.000000000000000191966101474,903739807.984086564058141803}', '0.00000000000000000649457191'),
('liquidity_rate(ray,ray,integer)', '{0.000000442956147452009489848,0.000000000002024685750743344,929}', '0.000000000000000000813529914'),
('utilization(wad,ray,wad)', '{5.627480311341647524,1.000000056606867500691352748,415.967084770092663678}', '0.013348086269937092178450432'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000501011,0.000000000008397701830348575,2638}', '0'),
('utilization(wad,ray,wad)', '{0,1.000000000000000000031007791,9586275532.648637199305362993}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000060082,0.00000000000449856437226877,6198}', '0'),
('utilization(wad,ray,wad)', '{0.066243249658607434,1.000000000000000000000000008,0}', '1'),
('liquidity_rate(ray,ray,integer)', '{0.000000000180093219650849583,0.000000000005594341769520073,6913}', '0.000000000000000000000311016'),
('utilization(wad,ray,wad)', '{0.000411717159348747,1.000000000000004967083899022,0.000000996753890164}', '0.99758487936027736029465693'),
('liquidity_rate(ray,ray,integer)', '{0.000994797275932578630003677,0.000000000008035049014517414,10000}', '0'),
('utilization(wad,ray,wad)', '{0.000000000001323715,1.000009261736263409317118395,0.000598157427964327}', '0.00000000221300937710585817'),
('liquidity_rate(ray,ray,integer)', '{3.192924995210380108640089712,0.000000000003243568804021171,0}', '0.000000000010356471908043836'),
('utilization(wad,ray,wad)', '{0.00000007630876505,1.000000000000000000000521914,0.000000887723225949}', '0.07915584312906893978791208'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000007582226914,0.000000000006724333371782651,6418}', '0'),
('utilization(wad,ray,wad)', '{72.232462473945904956,1.00000000000000000000000748,0.0000000000000005}', '0.999999999999999993077904548'),
('liquidity_rate(ray,ray,integer)', '{0.000000000010504803958401586,0.00000000000137742863686729,1000}', '0.000000000000000000000013023'),
('utilization(wad,ray,wad)', '{409404934631.169483182923024206,1.694369753979798996297405378,0.000518926411940123}', '0.999999999999999251926083218'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000852,0.000000000007351062012580097,4633}', '0'),
('utilization(wad,ray,wad)', '{0.000000000060465609,1.000000000000000000000000049,2.494043667965896086}', '0.000000000024244006139575294'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000047533875134559,0.000000000008834123830720717,9804}', '0.000000000000000000000000008'),
('utilization(wad,ray,wad)', '{0.000000000000000091,1.000000000000000000000000004,0.000000078535692683}', '0.000000001171441885202113441'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000220223,0.000000000007898096565021349,9999}', '0'),
('utilization(wad,ray,wad)', '{0,1.889954778392922343645809991,57070.069779557927679754}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000009544080879980564935,0.000000000006688938893713197,10000}', '0'),
('utilization(wad,ray,wad)', '{0,1.000000000000000000720095163,0.000005367099117334}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000537743056354,0.000000000003277720807754743,2390}', '0.000000000000000000000000002'),
('utilization(wad,ray,wad)', '{0,1.000038695032300835605950079,0.054937646393344542}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000008364737061963806,0.000000000005770339290601565,0}', '0.000000000000000000000048267'),
('utilization(wad,ray,wad)', '{0.000002249425789159,1.000000056099093377630598435,296465799916.63563877227970606}', '0.000000000000000007587471863'),
('liquidity_rate(ray,ray,integer)', '{0.0000005376482340233136252,0.000000000002074788396603469,866}', '0.00000000000000000101890347'),
('utilization(wad,ray,wad)', '{47375435.180433837295982694,1.00000000000000000005361907,0.000000000013657093}', '0.999999999999999999711726279'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000033917873,0.000000000002371635944573338,7932}', '0'),
('utilization(wad,ray,wad)', '{0.294063098765417376,1.000002927191827147349635129,0.000000000000053244}', '0.999999999999818937349267617'),
('liquidity_rate(ray,ray,integer)', '{0.000000009193230388833693051,0.000000000000073946400453047,3916}', '0.000000000000000000000413594'),
('utilization(wad,ray,wad)', '{0.008150903791952749,1.000000000000000000028567713,0.000001657320636705}', '0.999796711657377739792893736'),
('liquidity_rate(ray,ray,integer)', '{0.001878971249546069894498058,0.00000000000804708615404968,7695}', '0.000000000000003485216132761'),
('utilization(wad,ray,wad)', '{0.049742454616668808,1.000000000000000000297854372,0.000000000000000006}', '0.999999999999999879378690774'),
('liquidity_rate(ray,ray,integer)', '{0.000387457230130762480044252,0.000000000003120516815662819,9928}', '0.000000000000000008705280974'),
('utilization(wad,ray,wad)', '{50123301619.008091737911559742,1.000000000790754235901299303,3.554911083629869052}', '0.999999999929076677598217813'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000454385373,0.000000000005148019877067773,9396}', '0'),
('utilization(wad,ray,wad)', '{0.000000008554017429,1.000000511551562704566254428,40.536149328312551032}', '0.000000000211022061664360897'),
('liquidity_rate(ray,ray,integer)', '{0.000057286653210694462585696,0.000000000005121103806808915,9999}', '0.00000000000000000002933709'),
('utilization(wad,ray,wad)', '{0.000000000000050858,1.000000000000002521573642936,0.000000000000000004}', '0.999921357371763364331635963'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000086,0.000000000003971396197457739,10000}', '0'),
('utilization(wad,ray,wad)', '{0.000087514719686299,1.00000000000000360225429618,39503581405.239862415626147816}', '0.000000000000002215361660214'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000049267309508,0.000000000007414678916441786,9999}', '0'),
('utilization(wad,ray,wad)', '{0.00000024273413576,1.000000003283619889056532149,8124680063.383025955002659244}', '0.000000000000000029876147081'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000007561933549568,0.000000000003926376638803433,4032}', '0.000000000000000000000000018'),
('utilization(wad,ray,wad)', '{5.527646220204009944,1.000000000004326073971970591,4367606.826760725530568706}', '0.000001265599089775102502026'),
('liquidity_rate(ray,ray,integer)', '{0.000688064961334448559980589,0.000000000002361575996036215,6900}', '0.000000000000000503724485884'),
('utilization(wad,ray,wad)', '{169.522052459179410791,1.000000000000069379540527545,3764047199.175610522699280061}', '0.000000045037172982720658407'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000593204209,0.000000000004599007285644216,1000}', '0'),
('utilization(wad,ray,wad)', '{1657.381253209064871091,1.000000000000000000000000881,0.000988210825703596}', '0.999999403752012657629840057'),
('liquidity_rate(ray,ray,integer)', '{0.005134159108862276716636468,0.000000000006549699311678466,7792}', '0.000000000000007424885402605'),
('utilization(wad,ray,wad)', '{0.00000000006498971,1.000000000000004872491235549,0.000023819971304906}', '0.000002728363223136094852641'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000050290576976551,0.000000000005659184839277555,1348}', '0.000000000000000000000000247'),
('utilization(wad,ray,wad)', '{0.002241331990053536,1.000000000001136893052476017,0.000049089574521279}', '0.978567450079724879307052195'),
('liquidity_rate(ray,ray,integer)', '{7.886990771376274706854858547,0.000000000008002037141514377,8848}', '0.000000000007270501603660886'),
('utilization(wad,ray,wad)', '{0.000868057298050235,1.000000000093516045756671167,0.000008658996631265}', '0.990123376646479531890639509'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000004,0.000000000001104408736847448,8062}', '0'),
('utilization(wad,ray,wad)', '{8926463.93918520570419053,1.000000000000000000000000004,8310556.661726407189870166}', '0.517865827619485036662263675'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000088475685117767,0.000000000008850114607042923,9934}', '0.000000000000000000000000005'),
('utilization(wad,ray,wad)', '{0.000907219447277768,1.000000000000000000000005678,0.000000000000000001}', '0.999999999999998897730859936'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000331,0.000000000002380815186230289,9999}', '0'),
('utilization(wad,ray,wad)', '{0,1.000000000065143198446741506,363937738499.526641253781080305}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000004938151490534281,0.000000000008743507998005898,3567}', '0.000000000000000000000027776'),
('utilization(wad,ray,wad)', '{0.000064567609784865,1.000000000000000059506623991,0.000000000000000466}', '0.999999999992782759009520243'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000623520025,0.00000000000503514546919495,10000}', '0'),
('utilization(wad,ray,wad)', '{0.000000000000775985,1.000000000000000000003518936,317050773.743623956016632115}', '0.000000000000000000002447513'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000044061,0.000000000007146402007990987,0}', '0'),
('utilization(wad,ray,wad)', '{0.000000000000000028,1.000000000000000000000000084,114126369.437232495981447884}', '0.000000000000000000000000254'),
('liquidity_rate(ray,ray,integer)', '{0.049931222568278626120574739,0.000000000007554685097906022,2421}', '0.000000000000285890993130751'),
('utilization(wad,ray,wad)', '{0.000000043312232884,1.000000000000000000000000093,0.815727302822456885}', '0.000000053096458136697614482'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000014407748998,0.000000000003246072573269237,1316}', '0'),
('utilization(wad,ray,wad)', '{0.000000564285419684,1.000000000000072596751711126,80493.812716385271258201}', '0.000000000007010295582211608'),
('liquidity_rate(ray,ray,integer)', '{0.000000000968327720908252233,0.000000000007620008058173767,5471}', '0.000000000000000000003341797'),
('utilization(wad,ray,wad)', '{0.000000000000004566,1.00000000000000005709153548,0.00000061788952593}', '0.000000007391288854379082033'),
('liquidity_rate(ray,ray,integer)', '{0.000000000013052365119004379,0.000000000005660053289765288,413}', '0.000000000000000000000070826'),
('utilization(wad,ray,wad)', '{0.000011387943598215,1.000000000000000000000000088,0.000000005742154167}', '0.999496023122649400515432548'),
('liquidity_rate(ray,ray,integer)', '{0.000000000338143258222284603,0.00000000000142578995775776,9727}', '0.000000000000000000000013162'),
('utilization(wad,ray,wad)', '{76279440.96308723710865749,1.000032509639179747705101777,0.000033875827630551}', '0.999999999999555912760401631'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000083006210022,0.000000000007584021007432049,4600}', '0.000000000000000000000000001'),
('utilization(wad,ray,wad)', '{0.000485666898498342,1.000000000000000000000181312,0.000000675535683271}', '0.998610987576258386086716442'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000504764,0.000000000005390410714200655,10000}', '0'),
('utilization(wad,ray,wad)', '{0.001878754136024952,1.000000000005497542064460767,6637978.675197102679259646}', '0.000000000283031059217397839'),
('liquidity_rate(ray,ray,integer)', '{0.000000094999882303920945062,0.000000000006408427144633568,5267}', '0.000000000000000000288144957'),
('utilization(wad,ray,wad)', '{0.000000000000000477,1.000000000000686005890304965,15063.272995807326431009}', '0.000000000000000000031732811'),
('liquidity_rate(ray,ray,integer)', '{0.022873168463161157652976849,0.000000000005358424715688847,2242}', '0.000000000000095085268515791'),
('utilization(wad,ray,wad)', '{0.000000000000000001,1.000005552683730394834260305,0.000000000000002702}', '0.000739644970414201183431953'),
('liquidity_rate(ray,ray,integer)', '{0.000000000929881926181475128,0.00000000000897740351718826,10000}', '0'),
('utilization(wad,ray,wad)', '{0.000000000002138018,1.823782253551204420139743952,0.008934133685308883}', '0.000000000436447464929931584'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000711209625804,0.000000000004619212612533995,0}', '0.000000000000000000000000003'),
('utilization(wad,ray,wad)', '{0.000000000000000006,1.00000072430670949247001008,0.000000000008602702}', '0.000000813697173762357880523'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000005633,0.000000000002752112690861903,5531}', '0'),
('utilization(wad,ray,wad)', '{0,1.000000006921232466173272202,0.000000000000000062}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.00000187224143000773690124,0.000000000006838974448904762,426}', '0.000000000000000012258751901'),
('utilization(wad,ray,wad)', '{30795821047.802351203676804081,1.00000000000387755701866081,251367.276055034304635607}', '0.999991837683953133422804644'),
('liquidity_rate(ray,ray,integer)', '{0.00000000000814934552393996,0.000000000008525911549878043,8216}', '0.000000000000000000000012395'),
('utilization(wad,ray,wad)', '{0.000000000006314711,1.000000000000000015945605814,0}', '1'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000001386030720349,0.000000000006687010033967988,1365}', '0.000000000000000000000000008'),
('utilization(wad,ray,wad)', '{0,1.00000000000000006755557577,0.000000000000004041}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.612328591762026844462613924,0.000000000007223246768822785,5498}', '0.000000000001991234834960671'),
('utilization(wad,ray,wad)', '{0,1.000000097442561422124126036,374312.538921891787498246}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000005681186930204662401581,0.000000000007046295987977955,5928}', '0.000000000000000016300755407'),
('utilization(wad,ray,wad)', '{0,1.000000000000000000000000009,9317.337786963089362584}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000009184386737,0.000000000000798954864786823,1000}', '0'),
('utilization(wad,ray,wad)', '{7671.017950387494128316,1.008505882633180183555833424,0.008434209591448655}', '0.999998909784177296311790944'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000398303,0.000000000007067191427881895,1964}', '0'),
('utilization(wad,ray,wad)', '{0.000000000000428764,1.000000000000000025325647537,79.361454554758374672}', '0.00000000000000540268575476'),
('liquidity_rate(ray,ray,integer)', '{0.000104399627202071316352542,0.000000000006912356967166697,1000}', '0.000000000000000649482741414'),
('utilization(wad,ray,wad)', '{0.000000005070450543,1.000000000000018959199580143,88753948.559684483842227629}', '0.000000000000000057129295387'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000090076,0.000000000001016969488017415,1972}', '0'),
('utilization(wad,ray,wad)', '{0.000000000000000735,1.000000007171229515815326684,0.000000000000054641}', '0.013290716362388717337522798'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000043279,0.000000000000857920847333951,1922}', '0'),
('utilization(wad,ray,wad)', '{5253052.601053693842531371,1.000000000324651132004970948,0.000000000000000061}', '0.999999999999999999999988388'),
('liquidity_rate(ray,ray,integer)', '{0.000000790176444498506897226,0.000000000005194575579041908,9286}', '0.000000000000000000293070672'),
('utilization(wad,ray,wad)', '{705001225.823993200460034121,1.000000000000000000000074693,0.0000000000703202}', '0.999999999999999999900255209'),
('liquidity_rate(ray,ray,integer)', '{0.000952993696645452859693574,0.000000000008906036812580048,8900}', '0.000000000000000933613663893'),
('utilization(wad,ray,wad)', '{0.000000000000000811,1.000000000000000000000000046,0.000798577087462515}', '0.0000000000010168085370184'),
('liquidity_rate(ray,ray,integer)', '{0.00000000000000000000000618,0.000000000006434398078886144,2651}', '0'),
('utilization(wad,ray,wad)', '{0,1.000000000000000000001331563,0.077819153109387666}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000341566,0.000000000004059245122067891,79}', '0'),
('utilization(wad,ray,wad)', '{0.000000000000008725,1.000334564682233239089985923,0.000000920944060215}', '0.000000009477231348063768449'),
('liquidity_rate(ray,ray,integer)', '{0.000000000262891062494706493,0.00000000000523223794940898,7845}', '0.000000000000000000000296422'),
('utilization(wad,ray,wad)', '{0.007905784029213484,1.000000000000000083256647767,241446605.903217187763296002}', '0.00000000003274340510764364'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000009,0.000000000007782653804394642,7281}', '0'),
('utilization(wad,ray,wad)', '{0,1.000000000000479075864824857,22.35088708535678419}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000082599146969119266,0.000000000006527991047993392,1000}', '0.000000000000000000000485285'),
('utilization(wad,ray,wad)', '{0.000000000000000491,1.000000000000000002372018293,996.270697744159164769}', '0.000000000000000000493841685'),
('liquidity_rate(ray,ray,integer)', '{0.000000000057341559609342046,0.000000000002316929697835709,6688}', '0.000000000000000000000044002'),
('utilization(wad,ray,wad)', '{81870526.752388875810125446,1.000000427086876708122613372,0.000251824186084677}', '0.9999999999969241180126425'),
('liquidity_rate(ray,ray,integer)', '{0.000000000731325646501330108,0.000000000006241463313419892,5004}', '0.000000000000000000002280445'),
('utilization(wad,ray,wad)', '{2056227.896833301855309815,1.000000000000000493136019266,0.000000000000000055}', '0.999999999999999999999973252'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000008,0.000000000005451152086052531,10000}', '0'),
('utilization(wad,ray,wad)', '{0.000000000000009976,1.000000005689513612662889004,0}', '1'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000004949266343,0.00000000000199528576107236,432}', '0'),
('utilization(wad,ray,wad)', '{9.419048710714146457,1.000000000000000000055192471,0.000000000009133344}', '0.999999999999030332650302362'),
('liquidity_rate(ray,ray,integer)', '{0.000000078567807059220547767,0.000000000000664707158179813,6861}', '0.000000000000000000016393297'),
('utilization(wad,ray,wad)', '{0.000000000000000001,1.000000054288775611347135233,0}', '1'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000006654796667,0.000000000007276892417516913,9999}', '0'),
('utilization(wad,ray,wad)', '{0.00913850471944038,1.000000000000935974111227765,6.895247072293738766}', '0.001323579718646335824089856'),
('liquidity_rate(ray,ray,integer)', '{0.27258816082022579215928501,0.000000000007916741109791166,6316}', '0.000000000000795010846720811'),
('utilization(wad,ray,wad)', '{30344.107356626297032211,1.000000033123144844756751308,0.000006405550756051}', '0.999999999788902983131318332'),
('liquidity_rate(ray,ray,integer)', '{0.000000220397602145298682111,0.000000000007624444484981142,10000}', '0'),
('utilization(wad,ray,wad)', '{0,1.000000000000000158228164326,0}', '0'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000000000835,0.000000000003717025666738431,4648}', '0'),
('utilization(wad,ray,wad)', '{0.004875643292888621,1.000000000000000000000167853,95991.015209322919078772}', '0.00000005079270215664922096'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000000049772632,0.000000000005152570619519085,4842}', '0'),
('utilization(wad,ray,wad)', '{0.000096301684264106,1.00005844698425069385290888,0.000853372597327711}', '0.101410287592011644650675571'),
('liquidity_rate(ray,ray,integer)', '{0.000077657458313012241455224,0.000000000002110984322930906,9137}', '0.00000000000000001414747633'),
('utilization(wad,ray,wad)', '{0.000000000076706533,1.00000000000000000007701707,0}', '1'),
('liquidity_rate(ray,ray,integer)', '{0.000000809223351601565060737,0.000000000007439214631899879,131}', '0.000000000000000005941124379'),
('utilization(wad,ray,wad)', '{91216.533108009500262811,1.000000000000000000085845935,0.000000000000000006}', '0.999999999999999999999934222'),
('liquidity_rate(ray,ray,integer)', '{0.000000000000000045714308336,0.000000000007337620194317269,2234}', '0'),
('utilization(wad,ray,wad)', '{0.000000000000000001,1.000000157728631375014349327,0.00000000188370507}', '0.000000001061737333369562642'),
('liquidity_rate(ray,ray,integer)', '{0.000000586533487527109354027,0.000000000000820041045512857,4620}', '0.000000000000000000258768065'),
('utilization(wad,ray,wad)', '{0.849220616742937869,1.000000000047648595884542152,0.000001127041125993}', '0.999998672854134754848085004'),
('liquidity_rate(ray,ray,integer)', '{0.00000000000000778073030904,0.000000000007167668363329375,6777}', '0.000000000000000000000000018'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{40695.68999341556667142,157611838689.028010416364978737,533722.794787906359260082,0.111168423642133563,7475,441,0,0,NULL}', '31442.164512913090184876 157611838689.028010416364978737'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.023414517324456736,1126.702304227234283231,6819.677870147181541714,0.133154774628748291,8717,1482,2000,0,0.002346093342205922}', '0.002346093342205922 137.965324517333889574'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{45383.435791149490486239,0.000040482337674414,0.000105974749190686,72191.123432287107503799,6122,780,2000,1000,45383.442038908592010613}', '25581.630704979279832691 0.000040482337674414'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{5968896.854882086943587832,718.593340784723744024,0.394643014576676124,3485.580227036296414201,8182,247,0,50,0.00032996665613562}', '0.00032996665613562 0.000000038282133068'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{99597.551738669589548314,34473864.35598203575284801,587.909891874600822828,1.915270990727166062,8079,1307,2000,1000,19919.510347733917909662}', '19919.510347733917909662 6913637.227096125241365069'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{223575.137172452078441825,0.017052008520756819,0.004759499964146523,72308.618305595198493822,7724,1052,0,50,0.004422965009339871}', '0.004422965009339871 0.000000000321755251'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{9434.707391828758164082,569.31761744163274423,2134.475073387667965925,25785.805644290301254715,8944,1222,100,0,0.00547183449405389}', '0.00547183449405389 0.000508292380761331'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.003833248257202502,1.328879194143218333,0.004519684253716265,0.000012580503518559,7648,115,100,1000,0.000958312064300625}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{27.810303008884479659,1275779506.274508682103041812,9921.706473606316579105,0.000276696918078908,8434,486,100,0,4.635050501480746609}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{58.48630065793335898,12.505616875548229926,3.108835513493313836,8.754594324002426849,6859,1455,2000,1000,0.005394847962232825}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{6735144.905580543324014416,174.961735932228655645,0.000404494894197899,9.261956824809857529,5985,203,2000,1000,6735144.912878186966694643}', '3926493.659721313859313839 174.961735932228655645'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2448456.975518600450409836,34.869309166400187294,0.004619755803879034,594.620935115903270482,5690,532,100,50,NULL}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.799927973680860126,0.19432704811198971,0.00050622114335042,0.003040700431635921,5270,1203,0,1000,NULL}', '0.799927973680860126 0.149194174231374252'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{516832.836330798197755007,3043.108904326226380812,4.472830553296210436,737.092106723193178879,8822,1259,2000,50,172277.612110266065918335}', '172277.612110266065918335 1177.034921117222922072'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{246310.575998074702658095,143733.719575258454244458,57.963499948552520383,55.523663574963873167,5510,40,2000,50,41051.762666345783776349}', '41051.762666345783776349 43027.093400384890650273'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{4330208.918382823533101084,40639041.61029180106738424,871.094270019777132468,70.871703988454776836,8408,1189,100,1000,0.004863893760195626}', '0.004863893760195626 0.06689099195949418'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{155.52733632583964784,7915672246.11507160804112789,20704.772738067768461506,0.000345488560829929,6276,248,0,50,38.88183408145991196}', '38.88183408145991196 2387935846.16464917961938817'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{8639982.007895327644963395,34097380653.798351041220516018,111.231299154109529515,0.040389384199635578,6441,289,2000,50,8639982.011665550176065901}', '8639982.007895327644963395 24481937410.961907663188974159'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{3083380.603293957565175388,100518702.032227645712306722,4314.249836407094693229,132.439528841159520269,7844,1041,2000,1000,3083380.608159959455131156}', '2794800.407587662212554628 100518702.032227645712306722'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{43189.489836532762117831,73604246956.177193830481758381,2157.7438277760760108,0.000618046758088205,9403,38,2000,50,7198.248306088793686305}', '7198.248306088793686305 25226242444.394484508774086232'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.221451800391055489,475.611482949941659893,5.793608748876288503,0.005499743045138093,5263,928,0,0,0.044290360078211097}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1014178.981675658801719127,1421.915232855036594649,1006.55687527611488011,666305.459673373772261221,6648,485,2000,1000,0.006241647133492065}', '0.006241647133492065 0.000009886272913031'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.589555642173229978,0.000964717985102184,1065.955720142883743398,660320.53009185510669195,7981,257,2000,1000,0.592805889041063046}', '0.582633772903911081 0.000964717985102184'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.05988154487238699,0.000000002678581711,0.000770223475067984,15313.927056900662882455,8343,148,0,1000,0.061676474216101638}', '0.05248005285497931 0.000000002678581711'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{7.442058866542887643,1188807.411337397163586705,73870.327573336152116112,0.297361968949493152,6065,474,100,1000,0.002599679833855005}', '0.002599679833855005 676.420928158736895861'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{34826.178238917226682886,0.734273192088713063,0.083075161481735501,2736.665463247253814719,5356,7,2000,1000,34826.184720607738445621}', '24171.538296749428138363 0.734273192088713063'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{154246.07850320747625185,497.434858009806021732,1283.515994649581762222,585936.005233249076228283,6874,328,100,50,NULL}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{687899.76261556752652465,7572556316.206374303816558441,536.267984544186659769,0.08952335307031467,5779,64,0,1000,NULL}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{80208.631518315288059056,57067.572361051620885799,206.169263566545091321,282.91047036839604352,6842,158,100,1000,13368.105253052548009842}', '13368.105253052548009842 9895.846809126880491516'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.483008448628438054,1.442675482206957526,0.03482517049249041,0.007819045229472327,7426,1394,100,1000,NULL}', '0.284284322437130942 1.442675482206957526'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{376.167804418703196057,0.001106511908662498,0.002381474600131257,801.762380529468105049,6816,1424,2000,50,376.173082798125941418}', '326.090103712928766487 0.001106511908662498'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{96784.619847935430370197,13.141407538575464722,8.34102868236981338,72202.456364851585270838,7887,1258,100,0,NULL}', '96784.619847935430370197 12.587376854244139288'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{944.949559793134586002,0.195149568142197395,0.001945987319197271,9.63649577722694547,6659,856,100,1000,0.007745539653050843}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{8924.039299097458909957,99118521.006773236023244944,511.348464226428011925,0.067386678562272853,6101,415,0,1000,NULL}', '8924.039299097458909957 70528338.597291146558387007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{3108102.672714034415358451,59585.682209668578043705,431.049102796068868482,8350.775437955513825837,9316,2,100,50,3108102.677924552960064947}', '1154131.050946375675195314 59585.682209668578043705'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.67513864839714551,7.100593776122912879,343.294493014365448456,40.745351295082306899,5095,1236,100,1000,NULL}', '0.67513864839714551 6.39136280111783569'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{4520661.195239292099436321,117837354.772013696893594639,72054.332124319188577077,4372.31013801827156054,5867,1383,2000,0,0.006718345918104029}', '0.006718345918104029 0.126028345330594209'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1283427.879777975539663594,4046289185553.675344757408550999,3597.792034378804793347,0.001922624524048729,5704,392,0,1000,427809.293259325179887864}', '427809.293259325179887864 831937940623.05141178712710101'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.067228175140641926,18348.842651741956686343,66902.819538965391150799,0.404927141362677756,5200,230,2000,1000,NULL}', '0.067228175140641926 11363.038809104367030024'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{402.260878187398091914,238157279.231778737562005191,773.293064069076445587,0.002310344140342532,5122,1279,0,1000,80.452175637479618382}', '80.452175637479618382 30372170.482286314029027972'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{39251.166584055724661229,17.100436879120869236,0.001994517058829035,7.503359687600790621,6681,174,100,1000,39251.170863300050433005}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{8084.114554077077014019,43156.369494888329627243,8.976913571619454648,1.507562362230325922,9113,1327,0,1000,1616.822910815415402803}', '1616.822910815415402803 10905.086447267448713612'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{7626.385034429505712859,53.921145806986658655,0.003364000435228897,0.631201451497828875,6671,1220,2000,50,1525.277006885901142571}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{700771.632491861528591723,586444720.534007460084330032,57921.729496006717540786,47.322444465914205345,7781,632,2000,1000,233590.544163953842863907}', '233590.544163953842863907 303979696.559469870193060961'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{33.71841980824708035,1918.636073140859077105,46121.940572816839987745,673.92637936696161674,6158,157,100,1000,NULL}', '27.601458884763044724 1918.636073140859077105'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{806.411882975523480906,116752339.060304723013847305,262198.783612447625862617,2.968019776940774422,6236,384,0,0,134.401980495920580151}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{62819.591307368995721889,0.000229897586590573,0.001204527243716586,583253.025191685328613739,5835,1210,0,1000,15704.897826842248930472}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{718055.353953586341965015,2530.127559269497996186,0.050630960632108002,7.542871253494205388,8001,361,100,0,NULL}', '363798.80738595816594008 2530.127559269497996186'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{78.912627785779016654,5.159659736521932363,0.070576977252300266,0.923714733149926327,8028,635,2000,0,13.152104630963169442}', '13.152104630963169442 1.068705225278086954'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.049428268279583931,0.019152325964098453,33.110515421747136418,74.108935145425514746,8498,378,2000,0,0.008723631819194105}', '0.008723631819194105 0.004044886712367689'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{82271.129708914218265195,2.979540270663083863,89.283039944264572745,949192.332424879093970073,9428,348,100,1000,0.000674646783491575}', '0.000674646783491575 0.000000065667067395'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{69456.545959913998310296,67.631711394174111877,4.457924051688256233,1964.539652251403850263,8273,897,2000,0,0.006867678574548453}', '0.006867678574548453 0.000016981997709421'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{82.942852877892186889,2744.792118768214244197,0.345080975689034475,0.004706606430872851,8973,811,2000,1000,0.005106455089636135}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{98978.502763043689593848,307015265.431615118043289485,593457.954719141507671348,269.853624021749625515,5991,512,2000,1000,98978.506861255624403605}', '98978.502763043689593848 228816813.267110940617023384'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{27067.167615773756869794,640754601.188700227580856986,777394.189379028299064483,55.441447575802908818,6403,629,2000,1000,0.000575472208846798}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{68.763425190611650826,4.519022605392410208,703.788798723420716898,8491.697453988615156817,6457,1062,0,50,NULL}', '49.290477084855455236 4.519022605392410208'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{459016.738231964226171714,46671814.417523106538332043,194.957741241143515764,3.104116545026319976,5689,158,2000,0,NULL}', '459016.738231964226171714 29284593.297110240885504166'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{37.411232567187907338,2248602538.800061785675943247,39154.296647764773961353,0.000413053231988271,8958,424,2000,1000,NULL}', '22.756469838442290003 2248602538.800061785675943247'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{6935830.779868927455554788,21.596407495054494351,0.001882276647438962,577.584432333562950953,6175,711,100,0,6935830.785964789216438081}', '6187048.480747844122028937 21.596407495054494351'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{93443.418391623740863475,22661786.111296272857497119,53906.679094979931852503,409.257711432135820904,5491,430,2000,1000,NULL}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{303.680682806381577213,0.021734850958380957,8.271868164704802642,57478.974204697129033037,6555,839,2000,50,0.007928113634807775}', '0.007928113634807775 0.000001236669579442'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{9576.953665623283614361,192990014.715227536174273103,2.631559539197380618,0.000132219385033344,6647,86,2000,1000,0.000365416560968216}', '0.000365416560968216 7.335424599868381236'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{7502178.337074699473480434,15.921747289398464842,0.196697087962751972,116638.29800100464840513,7517,147,100,1000,NULL}', '7502178.337074699473480434 12.837539731259202951'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.73525514715000416,1144.679306414823505043,6.747698181184709217,0.003570287547406837,6519,1408,2000,50,0.18381378678750104}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.118178001564277496,13218790.002769445665560927,436454.195659612290396881,0.003446569878458815,6589,1205,0,1000,0.125023896650048328}', '0.093159737867724591 13218790.002769445665560927'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{33642.691682555154957777,432881.243124775308263623,0.090350638983585055,0.006186088289387846,8956,707,2000,50,8410.672920638788739444}', '8410.672920638788739444 131526.62045166887320717'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{4.502828274470193031,37415230.280825751324621131,8384.688040442574008569,0.000771951783336843,8745,790,2000,50,0.007950656325794679}', '0.007950656325794679 93179.668249887367641607'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2331.001315580581565542,0.000955063448636093,0.008661059388241196,23813.201651202788711973,6276,937,0,50,0.002265054598390348}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{63388.522881109992871199,6938184.305915075564852338,17.52561888192684477,0.113648449882529597,9200,270,2000,1000,0.006630396294379736}', '0.006630396294379736 1.050073689294141038'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.634870035273547499,0.009661912810838726,7.350829713217978825,678.574676086625263292,6392,506,100,50,0.004706595075193226}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{3.103411108556922307,0.000083464262165944,0.004850097407429852,194.77199782073957747,5935,742,2000,50,NULL}', '3.103411108556922307 0.000083013437961598'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{700.801341841281997174,141955735.424057147133876726,59769.430775807200592716,0.386907864108505692,7367,1113,100,1000,233.600447280427332391}', '233.600447280427332391 40102970.89228267532644234'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.088434219295088175,0.144204721919455133,378358.485617885562590667,321060.83393923285762175,7928,35,100,0,0.004272185376876629}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{2.547950374515925656,294305330.17390326275058526,492885.682697623131189375,0.008103926145372291,5334,156,0,0,NULL}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{775403.107196323100816901,132775164.524163121924600451,1.437427512551379064,0.007800058159456684,6425,181,0,1000,775403.113810031198756022}', '707682.243220594234530398 132775164.524163121924600451'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{877.577435418751654598,355305437.714411239992951593,42659.641198826311178641,0.063865584407411756,8678,1427,0,50,877.585125488102586489}', '465.499607315480929365 355305437.714411239992951593'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1658477.301221008587611597,71410292.424628897254795315,2.566743714214868317,0.040886807121683451,7319,548,2000,1000,1658477.305669815381553605}', '1078428.560068702789008262 71410292.424628897254795315'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.087328748453401726,5.947594942326116765,68526.178555436893322725,690.396849552934828862,8686,1401,2000,0,0.014554791408900287}', '0.014554791408900287 1.647049471579356667'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{8.199110810918432628,0.000000527994574462,0.017606105273233356,186812.423321471476725946,9264,1478,100,1000,8.20387071972624306}', '4.880965064879208207 0.000000527994574462'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{41.637792487192497777,61771.770187942103386565,7.442653671315688361,0.007421949176247557,5759,190,100,1000,6.939632081198749629}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.003788812126903359,0.007942194870312403,76.087291485563615358,21.472140800808096836,8486,237,2000,1000,NULL}', '0.002189429962753018 0.007942194870312403'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{9462.072648140049603251,1351991.882048944965196312,981498.137975435611295795,9183.766507411133181267,7532,1046,100,1000,0.005048231719434377}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{925718.666084494544085594,703282198037.108886676306484556,3771.362147348218032813,0.005612370578420995,8792,77,100,50,0.008102071843317216}', '0.008102071843317216 5486.296148328395664362'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{688.383892292544776093,9.906166862432539779,8.891051406291383373,478.316876580682845313,9029,1376,2000,1000,344.191946146272388046}', '344.191946146272388046 7.278262318425444024'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.053167724766041678,0.000211895467367569,2249.584326366055384268,631138.987366253081639905,6797,593,2000,0,0.017722574922013892}', '0.017722574922013892 0.000066914935252146'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{406482.195763750682952912,1213906372419.30817526424634992,4788.35467610519426627,0.00249630219460996,7059,36,0,0,NULL}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.04404205685971274,17554.093068861162079454,38669.392050412229158115,0.070078747225449083,9068,3,2000,50,0.011010514214928185}', '0.011010514214928185 6077.414889435784260984'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{1884.816145774058274204,1523.725274268443728307,0.080453783460051868,0.083456229496281777,6499,39,2000,1000,1884.818316804546375704}', '1574.448663057377903342 1523.725274268443728307'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{143230.847984353503017492,2344547.10259321441154602,0.028027876557776747,0.002501486113270365,5209,1071,2000,1000,23871.807997392250502915}', '23871.807997392250502915 296117.628969260982023088'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.029679519739529845,0.002775142214728825,0.516770399979327022,3.827959904830124968,8244,819,0,0,0.004975432387754393}', '0.004975432387754393 0.000726688352492617'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{22.433071895254927911,63.656706671095772901,2051.798044640800085533,962.170281690281449007,6275,318,2000,0,4.486614379050985582}', '4.486614379050985582 9.871813458534365872'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{63.848721104344153747,356.903791751224539279,91863.320798040264241186,8791.491599159427216474,5664,585,0,50,0.000224764528365726}', '0.000224764528365726 0.002485983323900063'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{6180.478849119824093997,9214.187322439506616513,0.092925070431454146,0.084819100165593294,7062,1071,2000,50,6180.479494238021689227}', '6180.478849119824093997 7496.321660078996529222'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{7.752834628775343942,48.64265770389571902,6805.28721709627171866,2105.293233631029041913,5626,917,2000,1000,NULL}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.284984660348916417,0.000095996608875066,0.002694327650393554,8.569968467573047753,8064,468,2000,50,0.002514886422669454}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{916708.632750114205335315,1092476859427.86484951382177924,7539.320313741998004007,0.00646573565255796,5763,43,100,1000,0.001329274191557612}', '0.001329274191557612 1556.654694627930188017'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{43.085825689531622463,0.000303339834992493,0.006813830831496412,510.866050320493840002,6517,1286,0,50,0.008569917179919474}', 'ERR XP007'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{0.042794244519013929,229.206597463497622835,7393.347864809315301339,0.606703821943171468,7895,1083,2000,50,0.004050166750110531}', '0.004050166750110531 54.700922071372273965'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{50016.603290932326200278,0.001201947897326777,0.000669240857399126,47581.579994998968496917,6327,736,0,50,0.005349196292612205}', 'ERR XP004'),
('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)', '{9124.425099880567876204,78232.159325768391760805,3812.894452226669754003,815.24801814289580388,5924,845,2000,0,NULL}', 'ERR XP004')
;

SELECT is_empty(format($$SELECT id, args, expected, pg_temp.call(sig, args) AS got
                           FROM sweep
                          WHERE sig = %L AND pg_temp.call(sig, args) IS DISTINCT FROM expected
                          ORDER BY id$$, sig),
                format('sweep: %s on %s pseudo-random vectors of the model (%s errors expected)',
                       split_part(sig, '(', 1), n, e))
  FROM (SELECT sig, count(*) AS n, count(*) FILTER (WHERE expected LIKE 'ERR%') AS e,
               min(id) AS first
          FROM sweep GROUP BY sig) AS g
 ORDER BY first;

-- ===================================================================
-- Properties computed exactly in SQL (integer numeric arithmetic on raw
-- units; div() truncates, and every operand here is non-negative)
-- ===================================================================

-- 500 inputs: v raw units below 10^(1 + i % 33) (any digit count up to
-- 33), bps in 1 .. 20000, from md5 of i
CREATE TEMP TABLE pinputs AS
SELECT i, v, p, (v * 0.000000000000000001)::wad AS vw, (v * 0.000000000000000000000000001)::ray AS vr
  FROM (SELECT i,
               mod(('x' || substr(md5(i || 'a'), 1, 15))::bit(60)::bigint::numeric
                   * ('x' || substr(md5(i || 'b'), 1, 15))::bit(60)::bigint::numeric,
                   10::numeric ^ (1 + i % 33)) AS v,
               1 + mod(('x' || substr(md5(i || 'c'), 1, 7))::bit(28)::int, 20000) AS p
          FROM generate_series(1, 500) AS i) AS g;

SELECT ok((SELECT count(DISTINCT v) > 450 AND count(*) FILTER (WHERE v < 1e18) > 100
                  AND count(*) FILTER (WHERE v >= 1e30) > 30 AND count(*) FILTER (WHERE p > 10000) > 150
             FROM pinputs),
          'the 500 generated percentage inputs vary in size and in bps');

-- percentMul = (v*p + 5000) / 10000, percentDiv = (v*10000 + p/2) / p,
-- floor and ceil of v*p/10000 and v*10000/p
SELECT is_empty($$
    SELECT i, v, p FROM pinputs
     WHERE percent_mul(vw, p)::numeric * 1e18 <> div(v * p + 5000, 10000)
        OR percent_mul_floor(vw, p)::numeric * 1e18 <> div(v * p, 10000)
        OR percent_mul_ceil(vw, p)::numeric * 1e18 <> div(v * p + 9999, 10000)
        OR percent_div(vw, p)::numeric * 1e18 <> div(v * 10000 + div(p, 2), p)
        OR percent_div_floor(vw, p)::numeric * 1e18 <> div(v * 10000, p)
        OR percent_div_ceil(vw, p)::numeric * 1e18 <> div(v * 10000 + p - 1, p)
$$, 'percent_* on wad match the PercentageMath formulas exactly (500 inputs)');
SELECT is_empty($$
    SELECT i, v, p FROM pinputs
     WHERE percent_mul(vr, p)::numeric * 1e27 <> div(v * p + 5000, 10000)
        OR percent_mul_floor(vr, p)::numeric * 1e27 <> div(v * p, 10000)
        OR percent_mul_ceil(vr, p)::numeric * 1e27 <> div(v * p + 9999, 10000)
        OR percent_div(vr, p)::numeric * 1e27 <> div(v * 10000 + div(p, 2), p)
        OR percent_div_floor(vr, p)::numeric * 1e27 <> div(v * 10000, p)
        OR percent_div_ceil(vr, p)::numeric * 1e27 <> div(v * 10000 + p - 1, p)
$$, 'percent_* on ray match the PercentageMath formulas exactly (500 inputs)');
SELECT is_empty($$
    SELECT i, v, p FROM pinputs
     WHERE NOT (percent_mul_floor(vw, p) <= percent_mul(vw, p) AND percent_mul(vw, p) <= percent_mul_ceil(vw, p)
                AND percent_mul_ceil(vw, p) - percent_mul_floor(vw, p) <= '0.000000000000000001'
                AND percent_div_floor(vw, p) <= percent_div(vw, p) AND percent_div(vw, p) <= percent_div_ceil(vw, p)
                AND percent_div_ceil(vw, p) - percent_div_floor(vw, p) <= '0.000000000000000001'
                AND percent_mul_floor(vr, p) <= percent_mul(vr, p) AND percent_mul(vr, p) <= percent_mul_ceil(vr, p)
                AND percent_mul_ceil(vr, p) - percent_mul_floor(vr, p) <= '0.000000000000000000000000001'
                AND percent_div_floor(vr, p) <= percent_div(vr, p) AND percent_div(vr, p) <= percent_div_ceil(vr, p)
                AND percent_div_ceil(vr, p) - percent_div_floor(vr, p) <= '0.000000000000000000000000001')
$$, 'percent_*: floor <= half up <= ceil and ceil - floor <= 1 unit (500 inputs, wad and ray)');

-- 500 (rate, seconds): rate raw below 10^(1 + i % 28) (up to 10 = 1000%
-- APR), seconds up to 20 years
CREATE TEMP TABLE iinputs AS
SELECT i, rate, dt, (rate * 0.000000000000000000000000001)::ray AS r,
       div(rate * dt, 31536000) AS x
  FROM (SELECT i,
               mod(('x' || substr(md5(i || 'r'), 1, 15))::bit(60)::bigint::numeric
                   * ('x' || substr(md5(i || 's'), 1, 15))::bit(60)::bigint::numeric,
                   10::numeric ^ (1 + i % 28)) AS rate,
               mod(('x' || substr(md5(i || 't'), 1, 15))::bit(60)::bigint, 20 * 31536000 + 1) AS dt
          FROM generate_series(1, 500) AS i) AS g;

-- rayMul on non-negative raw units, half up
CREATE FUNCTION pg_temp.rm(a numeric, b numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT div(a * b + 500000000000000000000000000, 1000000000000000000000000000)
$$;

SELECT is_empty($$
    SELECT i, rate, dt FROM iinputs
     WHERE linear_interest(r, dt)::numeric * 1e27 <> 1e27 + x
$$, 'linear_interest = RAY + floor(rate * seconds / 31536000) (500 inputs)');
SELECT is_empty($$
    SELECT i, rate, dt FROM iinputs
     WHERE compounded_interest(r, dt)::numeric * 1e27
           <> 1e27 + x + pg_temp.rm(x, div(x, 2) + pg_temp.rm(x, div(x, 6)))
$$, 'compounded_interest = RAY + x + rayMul(x, x/2 + rayMul(x, x/6)) (500 inputs)');
SELECT is_empty($$
    SELECT i, rate, dt FROM iinputs WHERE compounded_interest(r, dt) < linear_interest(r, dt)
$$, 'compounded_interest >= linear_interest (500 inputs)');

SELECT * FROM finish();
ROLLBACK;

#!/usr/bin/env python3
"""
test/model/lending_math.py: an independent reference model of xphere's
lending math (LENDING.md: Units, Primitives, Interest, Health factor,
Liquidation), used to derive the expected values of test/pgtap/lending_math.sql.

It is documentation, not run by CI.  It was written from LENDING.md and
Aave V3's Solidity semantics (WadRayMath, PercentageMath, MathUtils,
DefaultReserveInterestRateStrategyV2, LiquidationLogic), not from the C
code.  Every value is an exact Python integer in raw units:

    wad = 10^18 units per 1, ray = 10^27 units per 1,
    percentages in basis points (10 000 = 100%),
    SECONDS_PER_YEAR = 31 536 000.

The xphere types hold a signed 128-bit integer, symmetric range
+-(2^127 - 1) units; a result outside it is an overflow (SQLSTATE 22003).

Run:  python3 test/model/lending_math.py             hand-picked vectors
      python3 test/model/lending_math.py --sweep 100 100 pseudo-random
                                                     vectors per function
      python3 test/model/lending_math.py --check     self-checks only
      (--notes also prints e^x for the comparisons in the SQL file)

The output is SQL VALUES rows (signature, arguments, expected[,
description]) pasted verbatim into the tables "vectors" and "sweep" of
test/pgtap/lending_math.sql.  Arguments and results are the decimal text of
their type (e.g. a ray '1.000000001585489599188229325'); a result is
'ERR <SQLSTATE>' for an error, 'repaid seized' for liquidation_amounts,
'infinity' for a health factor without debt.
"""
from __future__ import annotations

import sys
from decimal import Decimal, getcontext
from fractions import Fraction

WAD = 10 ** 18
RAY = 10 ** 27
HALF_WAD = WAD // 2
HALF_RAY = RAY // 2
SECONDS_PER_YEAR = 31_536_000
PERCENTAGE_FACTOR = 10_000
HALF_PERCENTAGE_FACTOR = 5_000
MAX = 2 ** 127 - 1              # largest raw value of wad / ray
HF_INFINITY = 'infinity'
CLOSE_FACTOR_HF_THRESHOLD = 95 * WAD // 100   # 0.95 (wad)
MAX_LIQUIDATION_CLOSE_FACTOR = 5_000          # 50% in bps


class SqlError(Exception):
    """An error the SQL function must raise, with its SQLSTATE."""

    def __init__(self, sqlstate: str, why: str = ''):
        super().__init__(f'{sqlstate} {why}')
        self.sqlstate = sqlstate


def rng(v: int) -> int:
    """A value stored in a wad/ray: must fit the 128-bit range."""
    if not -MAX <= v <= MAX:
        raise SqlError('22003', 'out of range')
    return v


# ---------------------------------------------------------------------------
# Primitives (LENDING.md "Primitives"; WadRayMath)
# ---------------------------------------------------------------------------

def _sign(a: int) -> int:
    return -1 if a < 0 else 1


def _half_up(n: int, d: int) -> int:
    """n / d rounded half away from zero: Aave's (|n| + |d|/2) / |d| on
    magnitudes, with the sign of n*d."""
    if d == 0:
        raise SqlError('22012', 'division by zero')
    q = (abs(n) + abs(d) // 2) // abs(d)
    return q * _sign(n) * _sign(d)


def _floor(n: int, d: int) -> int:
    if d == 0:
        raise SqlError('22012', 'division by zero')
    return n // d


def _ceil(n: int, d: int) -> int:
    if d == 0:
        raise SqlError('22012', 'division by zero')
    return -((-n) // d)


# rayMul(a, b) = (a*b + RAY/2) / RAY ; rayDiv(a, b) = (a*RAY + b/2) / b
def ray_mul(a, b):       return rng(_half_up(a * b, RAY))
def ray_mul_floor(a, b): return rng(_floor(a * b, RAY))
def ray_mul_ceil(a, b):  return rng(_ceil(a * b, RAY))
def ray_div(a, b):       return rng(_half_up(a * RAY, b))
def ray_div_floor(a, b): return rng(_floor(a * RAY, b))
def ray_div_ceil(a, b):  return rng(_ceil(a * RAY, b))
def wad_mul(a, b):       return rng(_half_up(a * b, WAD))
def wad_mul_floor(a, b): return rng(_floor(a * b, WAD))
def wad_mul_ceil(a, b):  return rng(_ceil(a * b, WAD))
def wad_div(a, b):       return rng(_half_up(a * WAD, b))
def wad_div_floor(a, b): return rng(_floor(a * WAD, b))
def wad_div_ceil(a, b):  return rng(_ceil(a * WAD, b))


# PercentageMath: percentMul(v, p) = (v*p + 5000) / 10000,
#                 percentDiv(v, p) = (v*10000 + p/2) / p   (non-negative v)
def _bps(p: int) -> int:
    if p < 0:
        raise SqlError('22023', 'negative percentage')
    return p


def percent_mul(v, p):
    p = _bps(p)
    return rng((v * p + HALF_PERCENTAGE_FACTOR) // PERCENTAGE_FACTOR)


def percent_mul_floor(v, p):
    return rng(_floor(v * _bps(p), PERCENTAGE_FACTOR))


def percent_mul_ceil(v, p):
    return rng(_ceil(v * _bps(p), PERCENTAGE_FACTOR))


def percent_div(v, p):
    p = _bps(p)
    if p == 0:
        raise SqlError('22012', 'division by zero')
    return rng((v * PERCENTAGE_FACTOR + p // 2) // p)


def percent_div_floor(v, p):
    return rng(_floor(v * PERCENTAGE_FACTOR, _bps(p)))


def percent_div_ceil(v, p):
    return rng(_ceil(v * PERCENTAGE_FACTOR, _bps(p)))


# ---------------------------------------------------------------------------
# Interest (LENDING.md "Interest")
# ---------------------------------------------------------------------------

def _rate_time(r: int, dt: int) -> int:
    """x = floor(r * dt / SECONDS_PER_YEAR); r ray, dt seconds."""
    if dt < 0:
        raise SqlError('22023', 'negative seconds')
    if r < 0:
        raise SqlError('22023', 'negative rate')
    return rng((r * dt) // SECONDS_PER_YEAR)


def linear_interest(r: int, dt: int) -> int:
    """RAY + floor(r * dt / SECONDS_PER_YEAR)"""
    return rng(RAY + _rate_time(r, dt))


def compounded_interest(r: int, dt: int) -> int:
    """x = floor(r*dt/N); RAY + x + rayMul(x, x/2 + rayMul(x, x/6)),
    '/' flooring (x >= 0, so floor = truncation)."""
    x = _rate_time(r, dt)
    inner = rng(x // 2 + ray_mul(x, x // 6))
    return rng(rng(RAY + x) + ray_mul(x, inner))


def borrow_rate(u: int, base: int, slope1: int, slope2: int, opt: int) -> int:
    """The kinked curve (DefaultReserveInterestRateStrategyV2), strict '>'."""
    if u < 0 or u > RAY:
        raise SqlError('22023', 'utilization outside [0, 1]')
    if opt <= 0 or opt >= RAY:
        raise SqlError('22023', 'optimal outside (0, 1)')
    if base < 0 or slope1 < 0 or slope2 < 0:
        raise SqlError('22023', 'negative rate')
    if u > opt:
        excess = ray_div(u - opt, RAY - opt)
        return rng(rng(base + slope1) + ray_mul(slope2, excess))
    return rng(base + ray_div(ray_mul(slope1, u), opt))


def utilization(scaled_debt: int, borrow_index: int, cash: int) -> int:
    """U = rayDiv(total_debt, cash + total_debt), half up, with
    total_debt = rayMulCeil(scaled_debt, BI) (wad); 0 without debt.
    Both operands of rayDiv are wad, so the quotient is a ray."""
    if scaled_debt < 0 or cash < 0 or borrow_index <= 0:
        raise SqlError('22023', 'bad utilization input')
    debt = ray_mul_ceil(scaled_debt, borrow_index)
    if debt == 0:
        return 0
    return ray_div(debt, rng(cash + debt))


def liquidity_rate(borrow: int, u: int, rf_bps: int) -> int:
    """percentMul(rayMul(borrow, U), 10000 - RF)"""
    if rf_bps < 0 or rf_bps > PERCENTAGE_FACTOR:
        raise SqlError('22023', 'reserve factor outside [0, 10000]')
    return percent_mul(ray_mul(borrow, u), PERCENTAGE_FACTOR - rf_bps)


# ---------------------------------------------------------------------------
# Health factor and liquidation (LENDING.md "Health factor", "Liquidation")
# ---------------------------------------------------------------------------

def health_factor(cv: int, lt_wad: int, dv: int):
    """xphere.health_factor(cv, lt, dv) with lt as a wad fraction:
    wadDivFloor(wadMulFloor(cv, lt), dv); infinity without debt."""
    if dv == 0:
        return HF_INFINITY
    return wad_div_floor(wad_mul_floor(cv, lt_wad), dv)


def position_hf(debt, collateral, pa, pc, lt_bps):
    cv = wad_mul_floor(collateral, pc)
    dv = wad_mul_ceil(debt, pa)
    if dv == 0:
        return cv, dv, HF_INFINITY
    return cv, dv, wad_div_floor(percent_mul_floor(cv, lt_bps), dv)


def liquidation_amounts(debt, collateral, pa, pc, lt_bps, bonus_bps,
                        min_base, min_leftover, debt_to_cover=None):
    """(debt_repaid, collateral_seized), or SqlError."""
    if None in (debt, collateral, pa, pc, lt_bps, bonus_bps, min_base,
                min_leftover):
        raise SqlError('22004', 'null argument')
    cv, dv, hf = position_hf(debt, collateral, pa, pc, lt_bps)
    if hf == HF_INFINITY or hf >= WAD:
        raise SqlError('XP004', 'not liquidatable')
    # close factor
    if cv >= min_base and dv >= min_base and hf > CLOSE_FACTOR_HF_THRESHOLD:
        max_repay = percent_mul_floor(debt, MAX_LIQUIDATION_CLOSE_FACTOR)
    else:
        max_repay = debt
    if debt_to_cover is not None:
        if debt_to_cover <= 0:
            raise SqlError('22023', 'debt_to_cover must be positive')
        to_cover = min(debt_to_cover, max_repay)
    else:
        to_cover = max_repay
    bonus = PERCENTAGE_FACTOR + bonus_bps
    seized = percent_mul_floor(
        wad_div_floor(wad_mul_floor(to_cover, pa), pc), bonus)
    repaid = to_cover
    if seized > collateral:
        seized = collateral
        repaid = min(debt, percent_div_ceil(
            wad_div_ceil(wad_mul_ceil(collateral, pc), pa), bonus))
    # dust: a partial liquidation (both debt and collateral remain)
    if repaid < debt and seized < collateral:
        if (wad_mul_ceil(debt - repaid, pa) < min_leftover
                or wad_mul_floor(collateral - seized, pc) < min_leftover):
            raise SqlError('XP007', 'dust')
    return repaid, seized


# ---------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------

def fmt(v: int, scale: int) -> str:
    """Raw units -> the decimal text of the type (trailing zeros cut)."""
    s = '-' if v < 0 else ''
    v = abs(v)
    ip, fp = divmod(v, 10 ** scale)
    if fp == 0:
        return f'{s}{ip}'
    return f'{s}{ip}.{str(fp).rjust(scale, "0").rstrip("0")}'


def w(v):  return fmt(v, 18)
def r(v):  return fmt(v, 27)


def parse(s: str, scale: int) -> int:
    f = Fraction(s) * 10 ** scale
    assert f.denominator == 1, s
    return int(f)


def W(s): return parse(s, 18)
def R(s): return parse(s, 27)


class Lcg:
    """Deterministic generator (64-bit LCG, Knuth's MMIX constants)."""

    def __init__(self, seed: int):
        self.s = seed

    def next(self) -> int:
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) % 2 ** 64
        return self.s >> 11

    def below(self, n: int) -> int:
        return self.next() % n

    def digits(self, lo_exp: int, hi_exp: int) -> int:
        """A positive integer with a random number of digits in
        [lo_exp, hi_exp] (log-uniform magnitude, uniform digits)."""
        nd = lo_exp + self.below(hi_exp - lo_exp + 1)
        v = 0
        for _ in range(max(nd, 1)):
            v = v * 10 + self.below(10)
        return v


# ---------------------------------------------------------------------------
# Self-checks (properties the model must satisfy)
# ---------------------------------------------------------------------------

def self_check():
    # half up on ties, both signs
    assert ray_mul(1, HALF_RAY) == 1 and ray_mul(-1, HALF_RAY) == -1
    assert wad_mul(1, HALF_WAD) == 1 and wad_mul_floor(1, HALF_WAD) == 0
    assert percent_mul(1, 5000) == 1 and percent_mul_floor(1, 5000) == 0
    assert percent_div(1, 20000) == 1 and percent_div(1, 20001) == 0
    # the compounded series stays below e^x
    getcontext().prec = 80
    for rate, dt in ((RAY, SECONDS_PER_YEAR), (RAY, 10 * SECONDS_PER_YEAR)):
        c = compounded_interest(rate, dt)
        x = Fraction(rate * dt, SECONDS_PER_YEAR * RAY)
        assert Decimal(c) / RAY < (Decimal(x.numerator) / x.denominator).exp()
    # floor <= half <= ceil, ceil - floor <= 1
    g = Lcg(7)
    for _ in range(2000):
        v, p = g.digits(1, 30), g.below(20001)
        for lo, mid, hi in ((percent_mul_floor, percent_mul, percent_mul_ceil),
                            (percent_div_floor, percent_div, percent_div_ceil)):
            if p == 0 and lo is percent_div_floor:
                continue
            a, b, c = lo(v, p), mid(v, p), hi(v, p)
            assert a <= b <= c and c - a <= 1
    print('-- self-checks passed', file=sys.stderr)


# ---------------------------------------------------------------------------
# SQL signatures: name(arg types) -> (model function, argument types,
# result type).  Arguments travel as the decimal text of their type.
# ---------------------------------------------------------------------------

SIGS = {
    'linear_interest(ray,bigint)': (linear_interest, ['ray', 'bigint'], 'ray'),
    'compounded_interest(ray,bigint)': (compounded_interest, ['ray', 'bigint'], 'ray'),
    'borrow_rate(ray,ray,ray,ray,ray)': (borrow_rate, ['ray'] * 5, 'ray'),
    'utilization(wad,ray,wad)': (utilization, ['wad', 'ray', 'wad'], 'ray'),
    'liquidity_rate(ray,ray,integer)': (liquidity_rate, ['ray', 'ray', 'integer'], 'ray'),
    'health_factor(wad,wad,wad)': (health_factor, ['wad'] * 3, 'health_factor'),
    'liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)':
        (liquidation_amounts, ['wad'] * 4 + ['integer'] * 2 + ['wad'] * 3, 'pair'),
}
for _f in (percent_mul, percent_mul_floor, percent_mul_ceil,
           percent_div, percent_div_floor, percent_div_ceil):
    for _t in ('wad', 'ray'):
        SIGS[f'{_f.__name__}({_t},integer)'] = (_f, [_t, 'integer'], _t)
for _f in (ray_mul, ray_mul_floor, ray_mul_ceil, ray_div, ray_div_floor, ray_div_ceil):
    SIGS[f'{_f.__name__}(wad,ray)'] = (_f, ['wad', 'ray'], 'wad')
    SIGS[f'{_f.__name__}(ray,ray)'] = (_f, ['ray', 'ray'], 'ray')
for _f in (wad_mul, wad_mul_floor, wad_mul_ceil, wad_div, wad_div_floor, wad_div_ceil):
    SIGS[f'{_f.__name__}(wad,wad)'] = (_f, ['wad', 'wad'], 'wad')

SCALE = {'wad': 18, 'ray': 27, 'health_factor': 18}


def to_raw(s, t):
    if s is None:
        return None
    if t in ('bigint', 'integer'):
        return int(s)
    return parse(s, SCALE[t])


def evaluate(sig: str, args: list) -> str:
    """The expected outcome as text: the result in its type's decimal text,
    two wads separated by a space for liquidation_amounts, 'infinity', or
    'ERR <SQLSTATE>'."""
    fn, types, rtype = SIGS[sig]
    raw = [to_raw(a, t) for a, t in zip(args, types)]
    try:
        v = fn(*raw)
    except SqlError as e:
        return 'ERR ' + e.sqlstate
    if rtype == 'pair':
        return f'{w(v[0])} {w(v[1])}'
    if v == HF_INFINITY:
        return 'infinity'
    return fmt(v, SCALE[rtype])


def sql_row(sig, args, expected, descr=None) -> str:
    a = ','.join('NULL' if x is None else x for x in args)
    row = f"('{sig}', '{{{a}}}', '{expected}'"
    if descr is not None:
        row += ", '" + descr.replace("'", "''") + "'"
    return row + ')'


# ---------------------------------------------------------------------------
# Hand-picked vectors: (signature, arguments, description)
# ---------------------------------------------------------------------------

Y = SECONDS_PER_YEAR
U1 = '0.000000000000000000000000001'     # one ray unit
W1 = '0.000000000000000001'              # one wad unit
WMAX = '170141183460469231731.687303715884105727'
KINK = ['0', '0.04', '0.75', '0.8']      # base, slope1, slope2, optimal


def fixed_vectors():
    V = []

    def v(sig, args, descr):
        V.append((sig, [None if a is None else str(a) for a in args], descr))

    li, ci = 'linear_interest(ray,bigint)', 'compounded_interest(ray,bigint)'
    for sig, tag in ((li, 'linear'), (ci, 'compounded')):
        v(sig, ['0', 0], f'{tag}: rate 0, 0 s')
        v(sig, ['0', Y], f'{tag}: rate 0, one year')
        v(sig, ['0.05', 0], f'{tag}: 5%, 0 s')
        v(sig, ['0.05', 1], f'{tag}: 5%, one second')
        v(sig, ['0.05', 86400], f'{tag}: 5%, one day')
        v(sig, ['0.05', Y], f'{tag}: 5%, one year')
        v(sig, ['1', Y], f'{tag}: 100%, one year')
        v(sig, ['1', 10 * Y], f'{tag}: 100%, ten years')
        v(sig, ['0.000000000000000000031536', 1],
          f'{tag}: rate*dt = N exactly gives one unit')
        v(sig, ['0.000000000000000000031535', 1],
          f'{tag}: rate*dt = N - 1e-27 floors to nothing')
        v(sig, ['0.123456789012345678901234567', 12345], f'{tag}: 27-digit rate')
        v(sig, ['3', Y // 2], f'{tag}: 300%, half a year (x = 1.5)')
        v(sig, ['-' + U1, 1], f'{tag}: negative rate (22023)')
        v(sig, ['0.05', -1], f'{tag}: negative seconds (22023)')
    v(li, ['170000000000', Y], 'linear: result near the top of the ray range')
    v(li, ['170141183460', Y], 'linear: RAY + x beyond the ray range (22003)')
    v(li, ['100000', 9 * 10 ** 18], 'linear: rate*dt/N beyond the ray range (22003)')
    v(ci, ['100000', Y], 'compounded: x^3/6 beyond the ray range (22003)')
    # 256-bit intermediates: rate * seconds and the products exceed 128 bits
    v(li, ['170141183459.469231731687303715884105727', Y],
      'linear: (MAX - 1) for one year is exactly MAX (256-bit rate*dt)')
    v(li, ['170141183459.469231731687303715884105728', Y],
      'linear: one unit more overflows (22003)')
    v(li, ['0', 9223372036854775807], 'linear: rate 0 for 2^63 - 1 seconds')
    v(li, [U1, 9223372036854775807], 'linear: one unit of rate for 2^63 - 1 seconds')
    v(ci, [U1, 9223372036854775807], 'compounded: one unit of rate for 2^63 - 1 seconds')
    # the largest rate whose one-year factor fits (found by bisection)
    v(ci, ['10068.012862024302343160802275891', Y],
      'compounded: the largest rate whose one-year factor fits, just below MAX')
    v(ci, ['10068.012862024302343160802275892', Y],
      'compounded: one unit more overflows (22003)')

    br = 'borrow_rate(ray,ray,ray,ray,ray)'
    v(br, ['0'] + KINK, 'borrow_rate: U = 0 gives base')
    v(br, ['0.4'] + KINK, 'borrow_rate: U = opt/2 gives slope1/2')
    v(br, ['0.8'] + KINK, 'borrow_rate: U exactly at the kink stays on slope1')
    v(br, ['0.800000000000000000000000001'] + KINK,
      'borrow_rate: one unit above the kink takes slope2 (strict >)')
    v(br, ['0.9'] + KINK, 'borrow_rate: U = 0.9')
    v(br, ['0.999999999999999999999999999'] + KINK, 'borrow_rate: U one unit below 1')
    v(br, ['1'] + KINK, 'borrow_rate: U = 1 gives base + slope1 + slope2')
    v(br, ['1', '0.01', '0.04', '0.75', '0.8'], 'borrow_rate: U = 1 with a base rate')
    v(br, ['0.5', '0.01', '0.04', '0.75', '0.8'], 'borrow_rate: U = 0.5 with a base rate')
    v(br, [U1] + KINK, 'borrow_rate: one unit of utilization rounds to base')
    v(br, ['0.333333333333333333333333333', '0.02', '0.07', '3', '0.45'],
      'borrow_rate: U = 1/3 (rounded)')
    v(br, ['0.333333333333333333333333333', '0', '0.04', '0.75', '0.333333333333333333333333333'],
      'borrow_rate: U = opt = 1/3: the slope1 branch (1 unit below slope1; slope2 branch would give 0.04)')
    v(br, ['0.333333333333333333333333334', '0', '0.04', '0.75', '0.333333333333333333333333333'],
      'borrow_rate: U = opt + 1 unit at 1/3')
    v(br, ['0.9', '0', '0.04', '0.75', '0.999999999999999999999999999'],
      'borrow_rate: optimal one unit below 1')
    v(br, ['0.5', '0', '0.04', '0.75', U1], 'borrow_rate: optimal one unit above 0')
    v(br, ['1.000000000000000000000000001'] + KINK, 'borrow_rate: U > 1 (22023)')
    v(br, ['-' + U1] + KINK, 'borrow_rate: U < 0 (22023)')
    v(br, ['0.5', '0', '0.04', '0.75', '0'], 'borrow_rate: optimal 0 (22023)')
    v(br, ['0.5', '0', '0.04', '0.75', '1'], 'borrow_rate: optimal 1 (22023)')
    v(br, ['0.5', '-0.01', '0.04', '0.75', '0.8'], 'borrow_rate: negative base (22023)')
    v(br, ['0.5', '0', '-0.04', '0.75', '0.8'], 'borrow_rate: negative slope1 (22023)')
    v(br, ['0.9', '0', '0.04', '-0.75', '0.8'], 'borrow_rate: negative slope2 (22023)')

    ut = 'utilization(wad,ray,wad)'
    v(ut, ['0', '1', '1000'], 'utilization: no debt is 0')
    v(ut, ['0', '1.5', '0'], 'utilization: no debt and no cash is 0')
    v(ut, ['100', '1', '0'], 'utilization: no cash is 1')
    v(ut, ['800', '1', '200'], 'utilization: 0.8')
    v(ut, ['1', '1', '2'], 'utilization: 1/3 rounds down')
    v(ut, ['2', '1', '1'], 'utilization: 2/3 rounds up (half up)')
    v(ut, ['100', '1.05', '895'], 'utilization: debt = scaled debt x index')
    v(ut, [W1, '1.000000000000000000000000001', '0'],
      'utilization: one scaled unit at index 1+1e-27 is 2 units of debt (ceil)')
    v(ut, [W1, '0.5', '1000000'], 'utilization: 0.5 unit of debt rounds up to one unit')
    v(ut, [W1, U1, '0'], 'utilization: a tiny index still makes one unit of debt')
    v(ut, ['123.456789012345678901', '1.012345678901234567890123456', '987.654321098765432109'],
      'utilization: 21-digit amounts')
    v(ut, ['100000000000000000000', '1', '70000000000000000000'],
      'utilization: debt + cash near MAX wad (256-bit debt * RAY)')
    v(ut, ['-' + W1, '1', '0'], 'utilization: negative scaled debt (22023)')
    v(ut, ['1', '0', '0'], 'utilization: index 0 (22023)')
    v(ut, ['1', '1', '-' + W1], 'utilization: negative cash (22023)')

    lr = 'liquidity_rate(ray,ray,integer)'
    v(lr, ['0.1', '0.8', 1000], 'liquidity_rate: 10% x 0.8 x (1 - 10%)')
    v(lr, ['0.1', '0.8', 0], 'liquidity_rate: reserve factor 0')
    v(lr, ['0.1', '0.8', 9999], 'liquidity_rate: reserve factor 9999 bps')
    v(lr, ['0.1', '0.8', 10000], 'liquidity_rate: reserve factor 10000 bps gives 0')
    v(lr, ['0.1', '0', 1000], 'liquidity_rate: utilization 0 gives 0')
    v(lr, ['0.1', '1', 1000], 'liquidity_rate: utilization 1')
    v(lr, ['0.045', '0.85', 1000], 'liquidity_rate: 4.5% at 85%')
    v(lr, ['0.123456789012345678901234567', '0.7', 1500], 'liquidity_rate: 27-digit rate')
    v(lr, ['0.000000000000000000000000003', '0.5', 0],
      'liquidity_rate: rayMul(3 units, 0.5) = 1.5 rounds half up to 2')
    v(lr, ['0.000000000000000000000000003', '0.5', 5000],
      'liquidity_rate: then percentMul(2 units, 50%) = 1')
    v(lr, ['0.000000000000000000000000001', '0.5', 5000],
      'liquidity_rate: rayMul(1 unit, 0.5) = 1, percentMul(1, 50%) = 1 (half up)')
    v(lr, ['0.1', '0.8', 10001], 'liquidity_rate: reserve factor above 10000 (22023)')
    v(lr, ['0.1', '0.8', -1], 'liquidity_rate: negative reserve factor (22023)')

    P = ('percent_mul', 'percent_mul_floor', 'percent_mul_ceil',
         'percent_div', 'percent_div_floor', 'percent_div_ceil')
    for val, bps, note in (
            ('100', 7500, 'typical 75%'),
            (W1, 5000, '1 unit x 50%: a tie'),
            ('0.000000000000000003', 5000, '3 units x 50%: a tie'),
            (W1, 4999, '1 unit x 49.99%'),
            (W1, 15000, '1 unit x 150%'),
            (W1, 20000, '1 unit: /200% = 0.5 is a tie'),
            (W1, 20001, '1 unit: /200.01% just below the tie'),
            (W1, 19999, '1 unit: /199.99% just above the tie'),
            ('0.000000000000000007', 3333, '7 units, 33.33%'),
            ('1234.567890123456789012', 8250, '22 digits, 82.5%'),
            ('2', 3, '2 x 0.03%, 2 / 0.03%'),
            ('0', 1234, 'zero'),
            ('1', 10000, '100% is the identity'),
            (WMAX, 10000, 'MAX x 100% is the identity'),
            (WMAX, 9999, 'MAX x 99.99%, MAX / 99.99% overflows (22003)'),
            (WMAX, 10001, 'MAX x 100.01% overflows (22003), MAX / 100.01%'),
            ('17014118346046923173.168730371588410572', 1000, 'MAX/10 rounded down: / 10% fits'),
            ('17014118346046923173.168730371588410573', 1000, 'MAX/10 + 1 unit: / 10% overflows (22003)'),
            ('5', 0, '0 bps: x 0% = 0, / 0% is division by zero (22012)')):
        for f in P:
            v(f'{f}(wad,integer)', [val, bps], f'{f}(wad {val}, {bps}): {note}')
    for val, bps, note in (
            (U1, 5000, '1 unit x 50%: a tie'),
            ('0.000000000000000000000000007', 3333, '7 units, 33.33%'),
            ('1.000000000000000000000000001', 9000, '1 + 1 unit, 90%'),
            ('5', 0, '0 bps (22012 for the divisions)')):
        for f in P:
            v(f'{f}(ray,integer)', [val, bps], f'{f}(ray {val}, {bps}): {note}')

    hf = 'health_factor(wad,wad,wad)'
    v(hf, ['1000', '0.8', '900'], 'health_factor: 800/900 floors')
    v(hf, ['1000', '0.8', '800'], 'health_factor: exactly 1')
    v(hf, ['1000', '0.8', '800.000000000000000001'], 'health_factor: one debt unit more: below 1')
    v(hf, ['0.000000000000000001', '0.8', '1'], 'health_factor: wadMulFloor(1 unit, 0.8) = 0')
    v(hf, ['1000', '0.8', '0'], 'health_factor: no debt is infinity')
    v(hf, ['0', '0.8', '1'], 'health_factor: no collateral is 0')

    for f in ('ray_mul', 'ray_mul_floor', 'ray_mul_ceil', 'ray_div', 'ray_div_floor', 'ray_div_ceil'):
        for a, b in (('1', '1.000000000000000000000000001'),
                     ('1000', '1.05'),
                     ('0.000000000000000003', '0.5'),
                     ('123.456789012345678901', '1.012345678901234567890123456')):
            v(f'{f}(wad,ray)', [a, b], f'{f}(wad {a}, ray {b})')
        for a, b in (('1.000000000000000000000000001', '0.5'),
                     ('0.000000000000000000000000005', '0.3'),
                     ('2', '3')):
            v(f'{f}(ray,ray)', [a, b], f'{f}(ray {a}, ray {b})')
    for f in ('wad_mul', 'wad_mul_floor', 'wad_mul_ceil', 'wad_div', 'wad_div_floor', 'wad_div_ceil'):
        for a, b in (('2', '3'), ('0.000000000000000005', '0.3')):
            v(f'{f}(wad,wad)', [a, b], f'{f}({a}, {b})')

    la = 'liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)'

    def liq(debt, coll, pa, pc, lt, bonus, cfmin, left, cover, descr):
        v(la, [debt, coll, pa, pc, lt, bonus, cfmin, left, cover], 'liquidation: ' + descr)

    liq('1000', '1000', '1', '1', 8000, 500, '2000', '1000', None,
        'HF 0.8, small: 100%; collateral short, all of it, debt rounded up')
    liq('2000', '2375', '1', '1', 8000, 500, '2000', '1000', None,
        'HF exactly 0.95: 100% (strict > 0.95)')
    liq('2000', '2375.000000000000002', '1', '1', 8000, 500, '2000', '1000', None,
        'HF still 0.95 after flooring: 100%')
    liq('2000', '2375.000000000000003', '1', '1', 8000, 500, '2000', '1000', None,
        'HF 0.95 + 1 unit: 50%')
    liq('2000', '2100', '1', '1', 9200, 0, '2000', '1000', None,
        'debt value exactly close_factor_min_base: 50%')
    liq('1999.999999999999999', '2100', '1', '1', 9200, 0, '2000', '1000', None,
        'debt value one unit below close_factor_min_base: 100%')
    liq('2000', '2000', '1', '1', 9800, 0, '2000', '1000', None,
        'collateral value exactly close_factor_min_base: 50%')
    liq('2000', '1999.999999999999999', '1', '1', 9800, 0, '2000', '1000', None,
        'collateral value one unit below close_factor_min_base: 100%, all collateral')
    liq('2000', '2000', '1', '1', 9800, 500, '2000', '1000', None,
        '50% with a 5% bonus would leave 950 of collateral: dust (XP007)')
    liq('10000', '11000', '1', '1', 9000, 500, '2000', '1000', '3000',
        'debt_to_cover below the 50% maximum')
    liq('10000', '11000', '1', '1', 9000, 500, '2000', '1000', '5000',
        'debt_to_cover exactly the 50% maximum')
    liq('10000', '11000', '1', '1', 9000, 500, '2000', '1000', '9000',
        'debt_to_cover above the 50% maximum gives the maximum')
    liq('10000', '11000', '1', '1', 9000, 500, '2000', '1000', None,
        'debt_to_cover NULL gives the 50% maximum')
    liq('1000', '2000', '1', '1', 4500, 500, '2000', '1000', '5000',
        'debt_to_cover above the whole debt (close factor 100%) gives the debt')
    liq('100000000000000000000', '100000000000000000000', '1', '1', 8000, 500, '0', '0', None,
        '10^20 of debt and collateral (256-bit intermediates), collateral short')
    liq('100000000000000000000', '150000000000000000000', '1', '1', 6000, 500, '2000', '1000', None,
        '10^20 of debt, HF 0.9: 100% repaid for 1.05 x 10^20')
    liq('1000', '500', '1', '1', 8000, 500, '2000', '1000', None,
        'collateral short: all of it, debt = ceil(500 / 1.05)')
    liq('300', '100', '2.5', '3.3', 8000, 750, '2000', '1000', None,
        'collateral short with prices and a 7.5% bonus')
    liq('12345.678901234567890123', '1800', '0.123456789012345678', '1', 8000, 500,
        '2000', '1000', None, 'priced debt, full repayment, floors on the collateral')
    liq('3000', '3150', '1', '1', 9000, 500, '2000', '1000', '2000',
        'leaves exactly 1000 of debt value: allowed')
    liq('3000', '3150', '1', '1', 9000, 500, '2000', '1000', '2000.000000000000000001',
        'leaves 1000 - 1 unit of debt value: dust (XP007)')
    liq('3000', '2900', '1', '1', 9500, 0, '2000', '1000', '1900',
        'leaves exactly 1000 of collateral value: allowed')
    liq('3000', '2900', '1', '1', 9500, 0, '2000', '1000', '1900.000000000000000001',
        'leaves 1000 - 1 unit of collateral value: dust (XP007)')
    liq('1000', '1050.000000000000000001', '1', '1', 8000, 500, '2000', '1000', None,
        'full repayment leaving 1 unit of collateral is not dust')
    liq('800', '1000', '1', '1', 8000, 500, '2000', '1000', None,
        'HF exactly 1: not liquidatable (XP004)')
    liq('800.000000000000000001', '1000', '1', '1', 8000, 500, '2000', '1000', None,
        'HF 1 - 1 unit: liquidatable')
    liq('0', '1000', '1', '1', 8000, 500, '2000', '1000', None,
        'no debt, HF infinity: not liquidatable (XP004)')
    liq('1000', '0', '1', '1', 8000, 500, '2000', '1000', None,
        'no collateral: nothing seized, nothing repaid')
    liq('1000', '1000', '1', '1', 8000, 500, '2000', '1000', '0',
        'debt_to_cover 0 (22023)')
    liq('1000', '1000', '1', '1', 8000, 500, '2000', '1000', '-' + W1,
        'debt_to_cover negative (22023)')
    liq('1000', '1000', '1', '1', 8000, 500, '0', '0', W1,
        'one unit covered: 1.05 units floor to 1')
    liq('1000', '1000', '1', '1', 8000, 500, '0', '0', '0.000000000000000019',
        '19 units covered: 19.95 floors to 19')
    liq('1000', '1000', '1', '1', 8000, 500, '0', '0', '0.00000000000000002',
        '20 units covered: 21 exactly')
    liq('3.118323467839654981', '2.09031185934809602', '0.000000000000000002',
        '0.000000000000000003', 8000, 500, '0', '0', None,
        'clamped debt ceil(7/2/1.05 wad) = 3.333... capped at the debt')
    liq('10', '2.09031185934809602', '0.000000000000000002', '0.000000000000000003',
        8000, 500, '0', '0', '3.118323467839654981',
        'clamped debt 3.333... is capped at the debt only, not at debt_to_cover')
    return V


def random_vectors(n_each: int):
    """Rows (signature, args, expected) for the sweep table."""
    g = Lcg(20270101)
    rows = []

    def add(sig, args):
        args = [None if a is None else str(a) for a in args]
        rows.append((sig, args, evaluate(sig, args)))

    N = SECONDS_PER_YEAR
    for _ in range(n_each):
        # rates up to ~10^28 units (10 = 1000% APR), seconds up to 20 years
        for sig in ('linear_interest(ray,bigint)', 'compounded_interest(ray,bigint)'):
            rate = g.digits(1, 28) if g.below(8) else 0
            dt = g.below(20 * N + 1) if g.below(4) else g.below(100000)
            add(sig, [r(rate), dt])
    for _ in range(n_each):
        opt = 1 + g.below(RAY - 1)
        k = g.below(10)
        u = (opt, opt + 1, RAY, 0)[k] if k < 4 else g.below(RAY + 1)
        add('borrow_rate(ray,ray,ray,ray,ray)',
            [r(u), r(g.digits(0, 26)), r(g.digits(0, 27)), r(g.digits(0, 28)), r(opt)])
    for _ in range(n_each):
        sd = g.digits(0, 30) if g.below(10) else 0
        bi = RAY + g.digits(0, 27)
        cash = g.digits(0, 30) if g.below(10) else 0
        add('utilization(wad,ray,wad)', [w(sd), r(bi), w(cash)])
        rf = g.below(10001) if g.below(4) else (0, 9999, 10000, 1000)[g.below(4)]
        add('liquidity_rate(ray,ray,integer)', [r(g.digits(0, 28)), r(g.below(RAY + 1)), rf])
    for _ in range(n_each):
        pa = g.digits(15, 24) + 1                   # about 0.001 .. 10^6
        pc = g.digits(15, 24) + 1
        debt = g.digits(17, 25) + 1                 # about 0.1 .. 10^7
        lt = 5000 + g.below(4501)
        bonus = g.below(1501)
        # aim at HF in [0.3, 1.1]
        h = Fraction(300 + g.below(801), 1000)
        dv = debt * pa // WAD
        coll = int(Fraction(dv) * h * PERCENTAGE_FACTOR / lt * WAD / pc) + g.below(1000)
        min_base = (0, W('2000'), W('2000'), W('100'))[g.below(4)]
        min_left = (0, W('1000'), W('1000'), W('50'))[g.below(4)]
        k = g.below(4)
        if k == 0:
            cover = None
        elif k == 1:
            cover = g.below(debt) + 1
        elif k == 2:
            cover = debt // (2 + g.below(5)) or None
        else:
            cover = debt + g.below(10 ** 20)
        add('liquidation_amounts(wad,wad,wad,wad,integer,integer,wad,wad,wad)',
            [w(debt), w(coll), w(pa), w(pc), lt, bonus, w(min_base), w(min_left),
             None if cover is None else w(cover)])
    return rows


def main():
    self_check()
    if '--check' in sys.argv:
        return
    if '--sweep' in sys.argv:
        n = int(sys.argv[sys.argv.index('--sweep') + 1])
        rows = random_vectors(n)
        print(',\n'.join(sql_row(*x) for x in rows))
        from collections import Counter
        c = Counter((x[0].split('(')[0], x[2] if x[2].startswith('ERR') else 'ok')
                    for x in rows)
        print('-- outcome counts:', dict(c), file=sys.stderr)
        return
    rows = [(sig, args, evaluate(sig, args), d) for sig, args, d in fixed_vectors()]
    print(',\n'.join(sql_row(*x) for x in rows))
    print(f'-- {len(rows)} vectors', file=sys.stderr)
    if '--notes' in sys.argv:
        getcontext().prec = 60
        for x in ('0.05', '1', '1.5', '10'):
            print(f'-- e^{x} = {Decimal(x).exp()}', file=sys.stderr)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""
test/model/lending_scenario.py - an exact-integer model of an xphere
lending pool, written from ../shared/LENDING.md and API.md alone (not from
the SQL or C), used to derive every expected number in test/pgtap/lending.sql.

Documentation, not run by CI:  python3 test/model/lending_scenario.py
prints the expected values of the scenario, labelled as in lending.sql;
with --sql, as the INSERT INTO expected block that lending.sql carries;
with --deficit (and --sql), those of test/pgtap/lending_deficit.sql.

Units (LENDING.md): amounts and prices are wad (10^18 raw units), indexes
and per-year rates ray (10^27).  Every quantity below is a Python int of
raw units; there is no float anywhere.  Percentages are basis points.

What is modelled:
  * WadRayMath / PercentageMath: half-up, floor and ceil variants;
  * interest: linear (supply), compounded three-term Taylor (borrow);
  * index update over whole seconds since last_update, treasury accrual
    (rayMulFloor of the scaled debt by the index delta, percentMul by the
    reserve factor, rayDivFloor by the new liquidity index);
  * rates recomputed after every action from U = rayDiv(debt, cash+debt)
    with debt = rayMulCeil(scaled debt, BI), the kinked curve (strict > at
    the kink) and liquidity = percentMul(rayMul(borrow, SU), 1 - RF), where
    SU = rayDiv(debt, cash + deficit + debt): suppliers share the interest
    over everything they are owed, the written-off deficit included, so
    together they never earn more than the borrowers pay;
  * scaled balances (the rounding table of LENDING.md): supply floor,
    withdraw ceil, balance shown floor, borrow ceil, repay floor, debt
    shown ceil;
  * health factor, the LTV check at borrow, remove_collateral's HF >= 1;
  * liquidation: 50% close factor when both values >= close_factor_min_base
    and HF > 0.95, collateral with bonus rounded down, capping at the
    collateral with the debt recomputed rounded up, the dust rule, bad debt
    written off into the deficit;
  * the accounts the API moves (available / locked per user and currency).
"""
import copy
import sys
from fractions import Fraction

WAD = 10**18
RAY = 10**27
HALF_WAD = WAD // 2
HALF_RAY = RAY // 2
PCT = 10_000
YEAR = 31_536_000


# --- primitives (non-negative operands unless noted) ---------------------

def _div_half_up(n, d):
    """n / d rounded half away from zero (n may be negative, d > 0)."""
    assert d > 0
    q, r = divmod(abs(n), d)
    if 2 * r >= d:
        q += 1
    return q if n >= 0 else -q


def _div_floor(n, d):
    assert n >= 0 and d > 0
    return n // d


def _div_ceil(n, d):
    assert n >= 0 and d > 0
    return -(-n // d)


def ray_mul(a, b):
    return _div_half_up(a * b, RAY)


def ray_div(a, b):
    return _div_half_up(a * RAY, b)


def ray_mul_floor(a, b):
    return _div_floor(a * b, RAY)


def ray_mul_ceil(a, b):
    return _div_ceil(a * b, RAY)


def ray_div_floor(a, b):
    return _div_floor(a * RAY, b)


def ray_div_ceil(a, b):
    return _div_ceil(a * RAY, b)


def wad_mul_floor(a, b):
    return _div_floor(a * b, WAD)


def wad_mul_ceil(a, b):
    return _div_ceil(a * b, WAD)


def wad_div_floor(a, b):
    return _div_floor(a * WAD, b)


def wad_div_ceil(a, b):
    return _div_ceil(a * WAD, b)


def percent_mul(v, bps):
    return _div_half_up(v * bps, PCT)


def percent_mul_floor(v, bps):
    return _div_floor(v * bps, PCT)


def percent_div_ceil(v, bps):
    return _div_ceil(v * PCT, bps)


# --- decimal text <-> raw units ---------------------------------------------

def units(text, scale):
    """'1.5' -> raw units of the given scale (exact; refuses excess digits)."""
    f = Fraction(text) * scale
    assert f.denominator == 1, (text, scale)
    return int(f)


def w(text):
    return units(text, WAD)


def r(text):
    return units(text, RAY)


def fmt(v, scale):
    """raw units -> the type's text output: exact, trailing zeros trimmed."""
    digits = len(str(scale)) - 1
    sign = '-' if v < 0 else ''
    q, m = divmod(abs(v), scale)
    frac = str(m).rjust(digits, '0').rstrip('0')
    return sign + str(q) + ('.' + frac if frac else '')


def fw(v):
    return fmt(v, WAD)


def fr(v):
    return fmt(v, RAY)


def percent(rate):
    """a ray rate as percent per year, exact decimal text"""
    return fmt(rate * 100, RAY)


# --- interest -----------------------------------------------------------------

def linear(rate, dt):
    return RAY + rate * dt // YEAR


def compounded(rate, dt):
    x = rate * dt // YEAR
    return RAY + x + ray_mul(x, x // 2 + ray_mul(x, x // 6))


def borrow_rate_curve(u, base, slope1, slope2, opt):
    if u > opt:
        return base + slope1 + ray_mul(slope2, ray_div(u - opt, RAY - opt))
    return base + ray_div(ray_mul(slope1, u), opt)


INF = 'infinity'


def health(collateral_value, lt_bps, debt_value):
    if debt_value == 0:
        return INF
    return wad_div_floor(percent_mul_floor(collateral_value, lt_bps), debt_value)


class Refused(Exception):
    """an API error: the model's expected SQLSTATE"""

    def __init__(self, sqlstate, what=''):
        super().__init__(f'{sqlstate} {what}')
        self.sqlstate = sqlstate


# --- the ledger ---------------------------------------------------------------

class Ledger:
    def __init__(self):
        self.acc = {}           # (user, currency) -> [available, locked]

    def get(self, user, cur):
        return self.acc.setdefault((user, cur), [0, 0])

    def post(self, user, cur, d_avail, d_locked):
        a = self.get(user, cur)
        if a[0] + d_avail < 0 or a[1] + d_locked < 0:
            raise Refused('XP001', f'{user} {cur}')
        a[0] += d_avail
        a[1] += d_locked

    def show(self, user, cur):
        a = self.get(user, cur)
        return f'{fw(a[0])}/{fw(a[1])}'


# --- the pool -------------------------------------------------------------------

class Position:
    def __init__(self, pid, user, scaled, collateral):
        self.id, self.user = pid, user
        self.scaled, self.collateral = scaled, collateral
        self.status = 'OPEN'


# the curve the scenarios of lending.sql and lending_deficit.sql were
# designed on (0.1.0's default: base 0, slope1 0.04); they set it on lp-xp
CURVE_0_1 = (0, r('0.04'), r('0.75'), r('0.80'))


class Pool:
    def __init__(self, ledger, asset='XP', t0=0, curve=None):
        self.L = ledger
        self.asset = asset
        self.account = 'pool'
        # parameters (the defaults of 0.2.0: the ERD's seed pair 8.5% / 12.5%
        # lies on the curve, see self_check)
        self.ltv, self.lt, self.bonus, self.rf = 7500, 8000, 500, 1000
        self.base, self.slope1, self.slope2, self.opt = curve or (r('0.04'), r('0.09'), r('0.75'), r('0.80'))
        self.cf_min, self.min_left = w('2000'), w('1000')
        # state
        self.li, self.bi = RAY, RAY
        self.lrate, self.brate = 0, self.base
        self.s_supplied, self.s_borrowed = 0, 0
        self.cash, self.treasury, self.deficit = 0, 0, 0
        self.last = t0
        self.supply_pos = {}    # user -> scaled
        self.positions = {}     # id -> Position
        self.prices = {}        # asset -> (price, set at)
        self.max_age = 3600

    # time ------------------------------------------------------------------
    def projected(self, t):
        """(li, bi, treasury) at time t without writing"""
        if t < self.last:
            raise Refused('22023', 'time runs backwards')
        dt = t - self.last
        li, bi, tr = self.li, self.bi, self.treasury
        if dt == 0:
            return li, bi, tr
        if self.lrate != 0:
            li = ray_mul(linear(self.lrate, dt), li)
        if self.s_borrowed != 0:
            nbi = ray_mul(compounded(self.brate, dt), bi)
            accrued = ray_mul_floor(self.s_borrowed, nbi - bi)
            tr += ray_div_floor(percent_mul(accrued, self.rf), li)
            bi = nbi
        return li, bi, tr

    def accrue(self, t):
        self.li, self.bi, self.treasury = self.projected(t)
        self.last = t

    def update_rates(self):
        if self.s_borrowed == 0:
            self.brate, self.lrate = self.base, 0
            return
        debt = ray_mul_ceil(self.s_borrowed, self.bi)
        u = ray_div(debt, self.cash + debt)
        self.brate = borrow_rate_curve(u, self.base, self.slope1, self.slope2, self.opt)
        # suppliers share the interest over all they are owed, the
        # written-off deficit included (Aave's supply usage ratio, with the
        # deficit in the place of unbacked supply)
        su = ray_div(debt, self.cash + self.deficit + debt)
        self.lrate = percent_mul(ray_mul(self.brate, su), PCT - self.rf)

    # prices ----------------------------------------------------------------
    def set_price(self, asset, price, t):
        self.prices[asset] = (price, t)

    def price(self, asset, t=None):
        """latest price; with t, XP005 unless fresh (age <= max age)"""
        if asset == 'USDT':
            return WAD
        if asset not in self.prices:
            raise Refused('XP005', 'no price')
        p, at = self.prices[asset]
        if t is not None and t - at > self.max_age:
            raise Refused('XP005', 'stale price')
        return p

    # displays --------------------------------------------------------------
    def total_supplied(self):
        return ray_mul_floor(self.s_supplied, self.li)

    def total_borrowed(self):
        return ray_mul_ceil(self.s_borrowed, self.bi)

    def supplied_balance(self, user, t):
        li, _, _ = self.projected(t)
        return ray_mul_floor(self.supply_pos.get(user, 0), li)

    def debt(self, pid, t):
        _, bi, _ = self.projected(t)
        return ray_mul_ceil(self.positions[pid].scaled, bi)

    def values(self, pos, bi, pa, pc):
        debt = ray_mul_ceil(pos.scaled, bi)
        cv = wad_mul_floor(pos.collateral, pc)
        dv = wad_mul_ceil(debt, pa)
        return debt, cv, dv, health(cv, self.lt, dv)

    def position_health(self, pid, t):
        pos = self.positions[pid]
        if pos.scaled == 0:
            return INF
        _, bi, _ = self.projected(t)
        return self.values(pos, bi, self.price(self.asset), self.price('USDT'))[3]

    # actions ---------------------------------------------------------------
    def supply(self, user, amount, t):
        self.accrue(t)
        scaled = ray_div_floor(amount, self.li)
        if scaled == 0:
            raise Refused('22023', 'too small')
        self.L.post(user, self.asset, -amount, 0)
        self.L.post(self.account, self.asset, amount, 0)
        self.supply_pos[user] = self.supply_pos.get(user, 0) + scaled
        self.s_supplied += scaled
        self.cash += amount
        self.update_rates()
        return ray_mul_floor(self.supply_pos[user], self.li)

    def withdraw(self, user, amount, t):
        self.accrue(t)
        have = self.supply_pos.get(user, 0)
        balance = ray_mul_floor(have, self.li)
        if amount is None or amount == balance:
            amount, burn = balance, have
        elif amount > balance:
            raise Refused('XP001', 'beyond the supplied balance')
        else:
            burn = ray_div_ceil(amount, self.li)
        if amount > self.cash:
            raise Refused('XP002', 'pool cash')
        self.L.post(self.account, self.asset, -amount, 0)
        self.L.post(user, self.asset, amount, 0)
        self.supply_pos[user] = have - burn
        self.s_supplied -= burn
        self.cash -= amount
        self.update_rates()
        return amount

    def borrow(self, pid, user, amount, coll_asset, coll, t):
        pa, pc = self.price(self.asset, t), self.price(coll_asset, t)
        self.accrue(t)
        if amount > self.cash:
            raise Refused('XP002', 'pool cash')
        scaled = ray_div_ceil(amount, self.bi)
        debt = ray_mul_ceil(scaled, self.bi)
        self.L.post(user, coll_asset, -coll, coll)
        if wad_mul_floor(coll, pc) < percent_div_ceil(wad_mul_ceil(debt, pa), self.ltv):
            raise Refused('XP003', 'LTV')
        self.L.post(self.account, self.asset, -amount, 0)
        self.L.post(user, self.asset, amount, 0)
        self.positions[pid] = Position(pid, user, scaled, coll)
        self.s_borrowed += scaled
        self.cash -= amount
        self.update_rates()
        return pid

    def repay(self, pid, amount, t):
        pos = self.positions[pid]
        self.accrue(t)
        debt = ray_mul_ceil(pos.scaled, self.bi)
        if amount is None or amount >= debt:
            amount, burn = debt, pos.scaled
        else:
            burn = ray_div_floor(amount, self.bi)
            if burn == 0:
                raise Refused('22023', 'too small')
        self.L.post(pos.user, self.asset, -amount, 0)
        self.L.post(self.account, self.asset, amount, 0)
        if burn == pos.scaled:
            self.L.post(pos.user, 'USDT', pos.collateral, -pos.collateral)
            pos.collateral, pos.status = 0, 'CLOSED'
        pos.scaled -= burn
        self.s_borrowed -= burn
        self.cash += amount
        self.update_rates()
        return amount

    def remove_collateral(self, pid, amount, t):
        pos = self.positions[pid]
        if amount > pos.collateral:
            raise Refused('XP001', 'collateral')
        pa, pc = self.price(self.asset, t), self.price('USDT', t)
        self.accrue(t)
        pos.collateral -= amount
        hf = self.values(pos, self.bi, pa, pc)[3]
        if hf != INF and hf < WAD:
            pos.collateral += amount
            raise Refused('XP003', 'health')
        self.L.post(pos.user, 'USDT', amount, -amount)
        return hf

    def liquidation_amounts(self, pos, pa, pc, debt_to_cover):
        debt, cv, dv, hf = self.values(pos, self.bi, pa, pc)
        if hf == INF or hf >= WAD:
            raise Refused('XP004', 'healthy')
        if cv >= self.cf_min and dv >= self.cf_min and hf > w('0.95'):
            max_repay = percent_mul_floor(debt, 5000)
        else:
            max_repay = debt
        to_cover = max_repay if debt_to_cover is None else min(debt_to_cover, max_repay)
        seized = percent_mul_floor(wad_div_floor(wad_mul_floor(to_cover, pa), pc), PCT + self.bonus)
        repaid = to_cover
        if seized > pos.collateral:
            seized = pos.collateral
            repaid = min(percent_div_ceil(wad_div_ceil(wad_mul_ceil(seized, pc), pa),
                                          PCT + self.bonus), debt)
        if repaid < debt and seized < pos.collateral and (
                wad_mul_ceil(debt - repaid, pa) < self.min_left
                or wad_mul_floor(pos.collateral - seized, pc) < self.min_left):
            raise Refused('XP007', 'dust')
        return debt, repaid, seized, hf

    def liquidate(self, liquidator, pid, debt_to_cover, t):
        pos = self.positions[pid]
        if pos.status != 'OPEN':
            raise Refused('XP004', 'not open')
        pa, pc = self.price(self.asset, t), self.price('USDT', t)
        self.accrue(t)
        debt, repaid, seized, hf = self.liquidation_amounts(pos, pa, pc, debt_to_cover)
        burn = pos.scaled if repaid == debt else ray_div_floor(repaid, self.bi)
        self.L.post(liquidator, self.asset, -repaid, 0)
        self.L.post(self.account, self.asset, repaid, 0)
        self.L.post(pos.user, 'USDT', 0, -seized)
        self.L.post(liquidator, 'USDT', seized, 0)
        pos.scaled -= burn
        pos.collateral -= seized
        self.s_borrowed -= burn
        self.cash += repaid
        written_off = 0
        if pos.collateral == 0 and pos.scaled > 0:
            written_off = ray_mul_ceil(pos.scaled, self.bi)
            self.deficit += written_off
            self.s_borrowed -= pos.scaled
            pos.scaled = 0
        if pos.scaled == 0:
            if pos.collateral > 0:
                self.L.post(pos.user, 'USDT', pos.collateral, -pos.collateral)
                pos.collateral = 0
            pos.status = 'LIQUIDATED'
        self.update_rates()
        return repaid, seized, written_off, hf

    def covers_suppliers(self):
        """check_invariants' pool rule, recomputed here"""
        return (self.cash + ray_mul_ceil(self.s_borrowed, self.bi) + self.deficit
                >= ray_mul_floor(self.s_supplied, self.li) + ray_mul_floor(self.treasury, self.li))


# --- self-checks of the primitives (worked by hand) -----------------------------

def self_check():
    assert ray_mul(r('1.5'), r('2')) == r('3')
    assert ray_mul(1, HALF_RAY) == 1 and ray_mul(1, HALF_RAY - 1) == 0      # half up
    assert ray_div_floor(2, 3 * RAY) == 0 and ray_div_ceil(2, 3 * RAY) == 1
    assert wad_div_floor(w('8000'), w('7500')) == w('1.066666666666666666')
    assert percent_div_ceil(w('7500'), 7500) == w('10000')
    assert percent_div_ceil(w('7500') + 1, 7500) == w('10000') + 2
    assert linear(r('0.1'), YEAR) == r('1.1')
    # compounded(0.0375, 1 year) = 1 + x + x (x/2 + x x/6), x = 0.0375, by hand:
    # 0.0375 * (0.01875 + 0.000234375) = 0.0007119140625
    assert compounded(r('0.0375'), YEAR) == r('1.0382119140625')
    assert borrow_rate_curve(r('0.75'), 0, r('0.04'), r('0.75'), r('0.8')) == r('0.0375')
    assert borrow_rate_curve(r('0.8'), 0, r('0.04'), r('0.75'), r('0.8')) == r('0.04')
    assert borrow_rate_curve(r('0.9'), 0, r('0.04'), r('0.75'), r('0.8')) == r('0.415')
    # the default curve at U = 34/45: borrow 0.04 + 0.09 x (34/45) / 0.8 = 0.125
    # and supply 0.125 x 34/45 x 0.9 = 0.085 exactly in fractions; in rays
    # U rounds up to ...556, the borrow rate lands on 0.125 and the
    # supply rate one unit above 0.085 (two half-up roundings)
    u = ray_div(w('34'), w('45'))
    assert Fraction(borrow_rate_curve(u, r('0.04'), r('0.09'), r('0.75'), r('0.8')), RAY) == Fraction(1, 8)
    assert Fraction(percent_mul(ray_mul(r('0.125'), u), PCT - 1000), RAY) == Fraction(85, 1000) + Fraction(1, RAY)
    assert fw(w('1.50')) == '1.5' and fw(0) == '0' and fr(1) == '0.' + '0' * 26 + '1'


def refused(pool, sqlstate, action):
    """action(copy of the pool) must fail with sqlstate; the pool (and its
    ledger) stay as they were, as the rollback of the failed call does"""
    q = copy.deepcopy(pool)
    try:
        action(q)
    except Refused as x:
        assert x.sqlstate == sqlstate, (x.sqlstate, sqlstate)
        return
    raise AssertionError(f'expected {sqlstate}')


# --- the scenario of test/pgtap/lending.sql ---------------------------------------------

# times: seconds after T0 = 2027-01-01 00:00:00+00 (2027 is not a leap year)
T0 = 0
T1 = T0 + YEAR                   # 2028-01-01 00:00:00
T1B = T1 + 30 * 86400            # 2028-01-31 00:00:00
T2 = T1B + 86400 + 7             # 2028-02-01 00:00:07
T3 = T2 + 3600                   # 2028-02-01 01:00:07
T4 = T3 + 600                    # 2028-02-01 01:10:07
T5 = T4 + 7 * 86400              # 2028-02-08 01:10:07
T6 = T5 + 86400                  # 2028-02-09 01:10:07 (errors)


def pool_values(e, tag, p):
    """the pool's stored state as expected values "<tag>_..." (checked by
    pg_temp.pool_is() of test/lib/helpers.sql)"""
    e(tag + '_li', fr(p.li))
    e(tag + '_bi', fr(p.bi))
    e(tag + '_lrate', fr(p.lrate))
    e(tag + '_brate', fr(p.brate))
    e(tag + '_supply_apy', percent(p.lrate))
    e(tag + '_borrow_apy', percent(p.brate))
    e(tag + '_s_supplied', fw(p.s_supplied))
    e(tag + '_s_borrowed', fw(p.s_borrowed))
    e(tag + '_cash', fw(p.cash))
    e(tag + '_treasury', fw(p.treasury))
    e(tag + '_deficit', fw(p.deficit))
    assert p.covers_suppliers(), tag


def scenario():
    out = []                                   # (label, value text)

    def e(label, value):
        if isinstance(value, int):
            raise TypeError(label)
        out.append((label, value))

    def pool_state(tag, p):
        pool_values(e, tag, p)

    L = Ledger()
    p = Pool(L, 'XP', T0, CURVE_0_1)
    for user, cur, amount in [('sam', 'XP', '10000'), ('sue', 'XP', '3000'),
                              ('bob', 'USDT', '10000'), ('liz', 'XP', '20000'),
                              ('bea', 'USDT', '2000')]:
        L.post(user, cur, w(amount), 0)

    # --- T0: supply, borrow at the LTV limit ---------------------------------
    p.set_price('XP', w('1'), T0)
    e('a_sam_supply', fw(p.supply('sam', w('10000'), T0)))
    pool_state('a0', p)
    refused(p, 'XP003', lambda q: q.borrow('x', 'bob', w('7500') + 1, 'USDT', w('10000'), T0))
    p.borrow('P1', 'bob', w('7500'), 'USDT', w('10000'), T0)
    pool_state('a1', p)
    e('a1_p1_scaled', fw(p.positions['P1'].scaled))
    e('a1_p1_hf', fw(p.position_health('P1', T0)))
    e('a1_bob_xp', L.show('bob', 'XP'))
    e('a1_bob_usdt', L.show('bob', 'USDT'))

    # --- T1: a year later --------------------------------------------------------
    p.set_price('XP', w('1'), T1)
    e('b_sam_balance', fw(p.supplied_balance('sam', T1)))
    e('b_p1_debt', fw(p.debt('P1', T1)))
    e('b_p1_hf', fw(p.position_health('P1', T1)))
    li, bi, tr = p.projected(T1)
    e('b_li_projected', fr(li))
    e('b_bi_projected', fr(bi))
    e('b_sue_supply', fw(p.supply('sue', w('3000'), T1)))
    e('b_sue_scaled', fw(p.supply_pos['sue']))
    pool_state('b1', p)
    e('b1_sam_balance', fw(p.supplied_balance('sam', T1)))

    # --- T1B: partial repay, partial withdrawal ------------------------------------
    e('c_p1_debt_before', fw(p.debt('P1', T1B)))
    e('c_repay', fw(p.repay('P1', w('1000'), T1B)))
    e('c_p1_scaled', fw(p.positions['P1'].scaled))
    e('c_p1_debt', fw(p.debt('P1', T1B)))
    pool_state('c1', p)
    e('c_sam_withdraw', fw(p.withdraw('sam', w('1234.5'), T1B)))
    e('c_sam_scaled', fw(p.supply_pos['sam']))
    e('c_sam_balance', fw(p.supplied_balance('sam', T1B)))
    pool_state('c2', p)
    e('c_bob_xp', L.show('bob', 'XP'))
    e('c_sam_xp', L.show('sam', 'XP'))

    # --- T2: XP at 1.2: liquidatable, partial liquidation (50%) ---------------------
    p.set_price('XP', w('1.2'), T2)
    hf = p.position_health('P1', T2)
    e('d_p1_hf', fw(hf))
    li2, bi2, _ = p.projected(T2)
    debt2, cv2, dv2, _ = p.values(p.positions['P1'], bi2, w('1.2'), WAD)
    assert w('0.95') < hf < WAD and cv2 >= w('2000') and dv2 >= w('2000')
    e('d_p1_debt', fw(debt2))
    repaid, seized, off, _ = p.liquidate('liz', 'P1', None, T2)
    assert off == 0 and repaid == percent_mul_floor(debt2, 5000)
    e('d_repaid', fw(repaid))
    e('d_seized', fw(seized))
    e('d_p1_scaled', fw(p.positions['P1'].scaled))
    e('d_p1_collateral', fw(p.positions['P1'].collateral))
    e('d_p1_debt_after', fw(p.debt('P1', T2)))
    e('d_p1_hf_after', fw(p.position_health('P1', T2)))
    e('d_liz_xp', L.show('liz', 'XP'))
    e('d_liz_usdt', L.show('liz', 'USDT'))
    e('d_bob_usdt', L.show('bob', 'USDT'))
    e('d_pool_xp', L.show('pool', 'XP'))
    pool_state('d1', p)

    # --- T3: XP at 1.45: dust refusal, then full liquidation ----------------------
    p.set_price('XP', w('1.45'), T3)
    hf3 = p.position_health('P1', T3)
    e('e_p1_hf', fw(hf3))
    e('e_p1_debt', fw(p.debt('P1', T3)))
    assert hf3 <= w('0.95')
    refused(p, 'XP007', lambda q: q.liquidate('liz', 'P1', w('2900'), T3))
    repaid, seized, off, _ = p.liquidate('liz', 'P1', w('1000000'), T3)
    assert off == 0
    e('e_repaid', fw(repaid))
    e('e_seized', fw(seized))
    e('e_liz_xp', L.show('liz', 'XP'))
    e('e_liz_usdt', L.show('liz', 'USDT'))
    e('e_bob_usdt', L.show('bob', 'USDT'))
    assert p.positions['P1'].status == 'LIQUIDATED'
    pool_state('e1', p)

    # --- T4 / T5: bad debt -----------------------------------------------------------
    p.borrow('P2', 'bea', w('1000'), 'USDT', w('2000'), T4)
    e('f_p2_scaled', fw(p.positions['P2'].scaled))
    pool_state('f1', p)
    p.set_price('XP', w('2'), T5)
    e('f_p2_hf', fw(p.position_health('P2', T5)))
    e('f_p2_debt', fw(p.debt('P2', T5)))
    deficit_before = p.deficit
    repaid, seized, off, _ = p.liquidate('liz', 'P2', None, T5)
    e('f_repaid', fw(repaid))
    e('f_seized', fw(seized))
    e('f_written_off', fw(off))
    assert p.deficit == deficit_before + off and off > 0
    e('f_liz_xp', L.show('liz', 'XP'))
    e('f_liz_usdt', L.show('liz', 'USDT'))
    e('f_bea_usdt', L.show('bea', 'USDT'))
    e('f_bea_xp', L.show('bea', 'XP'))
    pool_state('f2', p)

    # --- T5: everyone leaves -----------------------------------------------------------
    e('g_sue_balance', fw(p.supplied_balance('sue', T5)))
    e('g_sue_withdraw', fw(p.withdraw('sue', None, T5)))
    e('g_sam_balance', fw(p.supplied_balance('sam', T5)))
    pool_state('g1', p)
    try:
        e('g_sam_withdraw', fw(p.withdraw('sam', None, T5)))
        pool_state('g2', p)
    except Refused as x:
        e('g_sam_withdraw_refused', x.sqlstate)
    e('g_sue_xp', L.show('sue', 'XP'))
    e('g_sam_xp', L.show('sam', 'XP'))

    # --- T6: the errors section's pool: ann supplies, eve borrows ---------------------
    L.post('ann', 'XP', w('5000'), 0)
    L.post('eve', 'USDT', w('5000'), 0)
    L.post('eve', 'XP', w('1'), 0)
    p.set_price('XP', w('1'), T6)
    e('h_ann_supply', fw(p.supply('ann', w('5000'), T6)))
    p.borrow('P3', 'eve', w('100'), 'USDT', w('1000'), T6)
    e('h_cash', fw(p.cash))
    e('h_ann_balance', fw(p.supplied_balance('ann', T6)))
    e('h_p3_debt', fw(p.debt('P3', T6)))
    e('h_p3_hf', fw(p.position_health('P3', T6)))
    # the most collateral that can go with HF staying >= 1 (HF is monotonic
    # in the collateral: bisect on raw units)
    pos = p.positions['P3']
    lo, hi = 0, pos.collateral                 # lo removable, hi not (or all)
    def hf_without(x):
        return health(wad_mul_floor(pos.collateral - x, WAD), p.lt,
                      wad_mul_ceil(p.debt('P3', T6), p.price('XP')))
    assert hf_without(hi) < WAD
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if hf_without(mid) >= WAD:
            lo = mid
        else:
            hi = mid
    e('h_p3_max_removable', fw(lo))
    refused(p, 'XP003', lambda q: q.remove_collateral('P3', lo + 1, T6))
    refused(p, 'XP001', lambda q: q.remove_collateral('P3', pos.collateral + 1, T6))
    refused(p, 'XP004', lambda q: q.liquidate('liz', 'P3', None, T6))
    refused(p, 'XP001', lambda q: q.withdraw('ann', p.supplied_balance('ann', T6) + 1, T6))
    refused(p, 'XP002', lambda q: q.borrow('Px', 'eve', p.cash + 1, 'USDT', w('5000'), T6))
    refused(p, 'XP005', lambda q: q.borrow('Px', 'eve', w('10'), 'USDT', w('100'), T6 + 3601))
    refused(p, 'XP005', lambda q: q.remove_collateral('P3', w('1'), T6 + 3601))
    refused(p, 'XP004', lambda q: q.liquidate('liz', 'P3', None, T6 + 3600))
    refused(p, 'XP005', lambda q: q.liquidate('liz', 'P3', None, T6 + 3601))
    refused(p, '22023', lambda q: q.supply('ann', w('1'), T6 - 1))
    e('h_p3_hf_after', fw(p.remove_collateral('P3', lo, T6)))
    e('h_eve_usdt', L.show('eve', 'USDT'))
    # repaying more than the debt repays the debt, returns it, frees the collateral
    e('h_p3_repaid', fw(p.repay('P3', w('1000'), T6)))
    assert p.positions['P3'].status == 'CLOSED'
    e('h_eve_xp_end', L.show('eve', 'XP'))
    e('h_eve_usdt_end', L.show('eve', 'USDT'))
    pool_state('h2', p)
    return out


def deficit_scenario():
    """test/pgtap/lending_deficit.sql: interest after bad debt.  Times in seconds
    after 2030-01-01 00:00:00+00."""
    out = []

    def e(label, value):
        out.append((label, value))

    def pool_state(tag, p):
        pool_values(e, tag, p)
        e(tag + '_total_supplied', fw(p.total_supplied()))
        e(tag + '_total_borrowed', fw(p.total_borrowed()))

    L = Ledger()
    p = Pool(L, 'XP', 0, CURVE_0_1)
    for user, cur in [('lin', 'XP'), ('qin', 'XP'), ('bo1', 'USDT'), ('bo2', 'USDT')]:
        L.post(user, cur, w('1000'), 0)
    p.set_price('XP', w('1'), 0)
    p.supply('lin', w('1000'), 0)
    p.borrow('D1', 'bo1', w('700'), 'USDT', w('1000'), 0)
    pool_state('d0', p)
    t1 = 10                                  # 2030-01-01 00:00:10
    p.set_price('XP', w('2'), t1)
    repaid, seized, written_off, hf = p.liquidate('qin', 'D1', None, t1)
    e('d1_repaid', fw(repaid))
    e('d1_seized', fw(seized))
    e('d1_written_off', fw(written_off))
    p.borrow('D2', 'bo2', w('300'), 'USDT', w('1000'), t1)
    pool_state('d1', p)
    t2 = 181 * 86400                         # 2030-07-01 00:00:00
    p.accrue(t2)
    pool_state('d2', p)
    e('d2_lin_balance', fw(p.supplied_balance('lin', t2)))
    e('d2_d2_debt', fw(p.debt('D2', t2)))
    return out


def main():
    self_check()
    out = deficit_scenario() if '--deficit' in sys.argv else scenario()
    if '--sql' in sys.argv:
        print('INSERT INTO expected (k, v) VALUES')
        print(',\n'.join(f"\t('{k}', '{v}')" for k, v in out) + ';')
    else:
        width = max(len(k) for k, _ in out)
        for k, v in out:
            print(f'{k.ljust(width)}  {v}')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""
test/model/staking.py - an exact-integer model of xphere's staking tiers and
swaps, written from ../shared/API.md ("Staking", "Wallet": swap, "Rules")
and ../shared/LENDING.md ("Rewards") alone, not from the SQL or C.  It
derives every expected number of test/pgtap/staking.sql and test/pgtap/swap.sql.

Documentation, not run by CI:
    python3 test/model/staking.py           labelled values of both files
    python3 test/model/staking.py --sql     the two INSERT INTO expected
                                            blocks the test files carry

Units: amounts and prices are wad (10^18 raw units), rates and indexes ray
(10^27).  Every quantity is a Python int of raw units or a Fraction; no
float anywhere.  Times are integers of microseconds since T0 =
2027-01-01 00:00:00+00 (the tests fix xphere.clock).

Staking (LENDING.md, "Rewards"):
    index(t)  = floor(apy * us(t) / (SECONDS_PER_YEAR * 10^6))     raw ray
                (the tiers start at T0 with index 0)
    earned    = rayMulFloor(amount, index(t) - index(t_entry))
              = floor(amount * (index(t) - index(t_entry)) / RAY)  raw wad
    frozen at unstake; pending = earned - claimed.
The tiers (API.md): explorer 100 XP min, 5%, no lock; pathfinder 500, 8%,
30 days; founder 2000, 12%, 90 days; unbonding 7 days.

The tick's checkpoint may move (reward_index, index_updated_at) forward
only by a whole number of "exact steps", the shortest time over which the
increase apy * us / (N * 10^6) is an integer: then index(t) is the same
for every t whichever checkpoints happened (checked in self_check()).

Swap (API.md, "Wallet"):
    received = floor(amount * price_from / price_to * (10000 - fee_bps) / 10000)
to the wei, one floor of the exact rational value; USDT's price is 1.
The entry of the received side carries as its fee the difference with the
fee-free amount floor(amount * price_from / price_to).
"""
import sys
from fractions import Fraction
from math import floor, gcd

WAD = 10**18
RAY = 10**27
YEAR_S = 31_536_000
YEAR_US = YEAR_S * 10**6
SEC = 10**6
MIN = 60 * SEC
HOUR = 3600 * SEC
DAY = 86_400 * SEC

TIERS = {
    # id: (min_stake, apy, lock period)
    'explorer': (100 * WAD, 5 * RAY // 100, 0),
    'pathfinder': (500 * WAD, 8 * RAY // 100, 30 * DAY),
    'founder': (2000 * WAD, 12 * RAY // 100, 90 * DAY),
}
UNBONDING = 7 * DAY
SWAP_FEE_BPS = 30


# --- formatting -------------------------------------------------------------

def dec(raw, scale):
    """raw units as the extension prints them: exact, trailing zeros trimmed."""
    sign = '-' if raw < 0 else ''
    q, r = divmod(abs(raw), 10**scale)
    if r == 0:
        return f'{sign}{q}'
    frac = str(r).rjust(scale, '0').rstrip('0')
    return f'{sign}{q}.{frac}'


def wad(raw):
    return dec(raw, 18)


def ray(raw):
    return dec(raw, 27)


def parse(text, scale=18):
    """a decimal text as raw units (exact, no rounding needed here)."""
    f = Fraction(text) * 10**scale
    assert f.denominator == 1, text
    return f.numerator


def ts(us):
    """a time since T0 as timestamptz text (UTC), the way PostgreSQL prints it."""
    from datetime import datetime, timedelta, timezone
    t = datetime(2027, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=us)
    s = t.strftime('%Y-%m-%d %H:%M:%S')
    if t.microsecond:
        s += ('.%06d' % t.microsecond).rstrip('0')
    return s + '+00'


# --- staking ----------------------------------------------------------------

def index(apy, us):
    """the reward index (raw ray) us microseconds after it was 0."""
    assert us >= 0
    return apy * us // YEAR_US


def ray_mul_floor(a, b):
    assert a >= 0 and b >= 0
    return a * b // RAY


def earned(amount, apy, t_entry, t):
    return ray_mul_floor(amount, index(apy, t) - index(apy, t_entry))


def exact_step(apy):
    """shortest time (us) over which apy * us / YEAR_US is an integer."""
    return YEAR_US // gcd(apy, YEAR_US)


def checkpoint(apy, reward_index, updated, now):
    """the checkpoint's new (reward_index, updated): whole exact steps only."""
    step = exact_step(apy)
    us = (now - updated) // step * step
    inc = apy * us
    assert inc % YEAR_US == 0
    return reward_index + inc // YEAR_US, updated + us


def index_with_checkpoints(apy, checkpoints, t):
    """index(t) after checkpoints at the given times (sorted, <= t)."""
    ri, upd = 0, 0
    for c in checkpoints:
        ri, upd = checkpoint(apy, ri, upd, c)
    return ri + apy * (t - upd) // YEAR_US


def staking_scenario():
    out = []

    def put(k, v):
        out.append((k, v))

    ex = TIERS['explorer'][1]
    pf = TIERS['pathfinder'][1]
    fo = TIERS['founder'][1]

    # --- section 1: stakes at T0 -------------------------------------------
    # alice 10 000 XP: A1 1000 explorer, A2 500 pathfinder -> 8500 left
    # bob 3000: B1 100 explorer -> 2900;  carol 5000: C1 2000 founder -> 3000
    A1, A2, B1, C1 = 1000 * WAD, 500 * WAD, 100 * WAD, 2000 * WAD
    put('s1_alice', wad(10_000 * WAD - A1 - A2))
    put('s1_bob', wad(3000 * WAD - B1))
    put('s1_carol', wad(5000 * WAD - C1))
    put('s1_explorer_total', wad(A1 + B1))
    put('s1_pathfinder_total', wad(A2))
    put('s1_founder_total', wad(C1))
    put('s1_a2_unlock', ts(30 * DAY))
    put('s1_c1_unlock', ts(90 * DAY))

    # --- section 2: rewards at points in time ------------------------------
    for label, t in [('1us', 1), ('1s', SEC), ('1d', DAY), ('30d', 30 * DAY)]:
        put(f'r_a1_{label}', wad(earned(A1, ex, 0, t)))
        put(f'r_b1_{label}', wad(earned(B1, ex, 0, t)))
        put(f'r_a2_{label}', wad(earned(A2, pf, 0, t)))
        put(f'r_c1_{label}', wad(earned(C1, fo, 0, t)))
    put('r_index_ex_1s', ray(index(ex, SEC)))

    # the checkpoint at T0 + 1 day + 0.123457 s: (reward_index, updated)
    tc = DAY + 123_457
    for name, apy in [('explorer', ex), ('pathfinder', pf), ('founder', fo)]:
        ri, upd = checkpoint(apy, 0, 0, tc)
        put(f'cp_{name}_index', ray(ri))
        put(f'cp_{name}_at', ts(upd))
        put(f'cp_{name}_step', str(exact_step(apy)))
    put('cp_a1', wad(earned(A1, ex, 0, tc)))
    put('cp_a1_1us_later', wad(earned(A1, ex, 0, tc + 1)))

    # A2 (pathfinder): unstake at exactly 30 days; frozen from then
    a2_frozen = earned(A2, pf, 0, 30 * DAY)
    put('u_a2_unlock', ts(30 * DAY + UNBONDING))
    put('u_a2_frozen', wad(a2_frozen))
    # withdraw at 37 days: principal + everything earned (nothing claimed)
    put('w_a2_returned', wad(A2 + a2_frozen))
    alice = 10_000 * WAD - A1 - A2 + A2 + a2_frozen
    put('w_a2_alice', wad(alice))

    # C1 (founder): locked 90 days; unstaked at exactly 90 days
    c1_frozen = earned(C1, fo, 0, 90 * DAY)
    put('u_c1_frozen', wad(c1_frozen))
    put('u_c1_unlock', ts(97 * DAY))

    # A1 after a year: 1000 XP at 5% = 50 XP exactly; claimed then
    a1_year = earned(A1, ex, 0, 365 * DAY)
    assert a1_year == 50 * WAD
    put('y_a1', wad(a1_year))
    alice += a1_year
    put('y_alice', wad(alice))
    put('y_house_after_claim', wad(-(a2_frozen + a1_year)))
    # A1 unstaked a day later: frozen at 366 days; withdrawn at 373 days
    a1_frozen = earned(A1, ex, 0, 366 * DAY)
    put('y_a1_frozen', wad(a1_frozen))
    put('y_a1_pending', wad(a1_frozen - a1_year))
    put('y_a1_returned', wad(A1 + a1_frozen - a1_year))
    alice += A1 + a1_frozen - a1_year
    put('y_alice_end', wad(alice))
    # C1 withdrawn at 373 days too (unlock was 97 days), carol claims nothing before
    put('y_c1_returned', wad(C1 + c1_frozen))
    # B1 still active at 373 days: 100 XP at 5%
    b1 = earned(B1, ex, 0, 373 * DAY)
    put('y_b1', wad(b1))
    # the house paid: A2's, A1's and C1's rewards
    put('y_house', wad(-(a2_frozen + a1_frozen + c1_frozen)))

    # --- section 3: claims every day vs once --------------------------------
    # erin and frank stake 1000 explorer each at TS = 400 days + 0.5 s;
    # erin claims at TS + k * (1 day + 1.234567 s) while before TS + 30 days,
    # then at TS + 30 days; frank claims once at TS + 30 days.  A checkpoint
    # runs before each of erin's claims.
    TS = 400 * DAY + SEC // 2
    TE = TS + 30 * DAY
    E = 1000 * WAD
    claims, prev, k = [], 0, 1
    times = []
    while TS + k * (DAY + 1_234_567) < TE:
        times.append(TS + k * (DAY + 1_234_567))
        k += 1
    times.append(TE)
    for t in times:
        e = earned(E, ex, TS, t)
        # the same with the checkpoints the test runs (before every claim)
        cps = [x for x in times if x <= t]
        alt = ray_mul_floor(E, index_with_checkpoints(ex, cps, t)
                            - index_with_checkpoints(ex, [x for x in times if x <= TS], TS))
        assert alt == e
        claims.append(e - prev)
        prev = e
    total = earned(E, ex, TS, TE)
    assert sum(claims) == total
    put('f_claims', str(len(claims)))
    put('f_first_claim', wad(claims[0]))
    put('f_last_claim', wad(claims[-1]))
    put('f_total', wad(total))
    put('f_entry_index', ray(index(ex, TS)))

    # --- section 5: B1, never touched, at T0 + 431 days ---------------------
    put('o_b1', wad(earned(B1, ex, 0, 431 * DAY)))
    return out


# --- swap ---------------------------------------------------------------------

def swap_received(amount, price_from, price_to, fee_bps=SWAP_FEE_BPS):
    """raw received for raw amount and raw prices: one exact floor."""
    v = Fraction(amount) * Fraction(price_from, price_to) * Fraction(10_000 - fee_bps, 10_000)
    return floor(v)


def swap_gross(amount, price_from, price_to):
    return floor(Fraction(amount) * Fraction(price_from, price_to))


def swap_scenario():
    out = []

    def put(k, v):
        out.append((k, v))

    one = WAD
    xp = {'USDT': one}
    balances = {('alice', 'XP'): 10_000 * WAD, ('alice', 'USDT'): 1000 * WAD,
                ('bob', 'XP'): 0, ('bob', 'USDT'): 5 * WAD,
                ('house', 'XP'): 0, ('house', 'USDT'): 0}

    def swap(key, user, cur, amount_text, fee=SWAP_FEE_BPS):
        to = 'USDT' if cur == 'XP' else 'XP'
        amount = parse(amount_text)
        pf = xp[cur]
        pt = xp[to]
        r = swap_received(amount, pf, pt, fee)
        g = swap_gross(amount, pf, pt)
        assert r > 0
        balances[(user, cur)] -= amount
        assert balances[(user, cur)] >= 0
        balances[('house', cur)] += amount
        balances[('house', to)] -= r
        balances[(user, to)] += r
        put(f'{key}_received', wad(r))
        put(f'{key}_fee', wad(g - r))
        for (u, c), v in sorted(balances.items()):
            if u in (user, 'house'):
                put(f'{key}_{u}_{c}', wad(v))
        return r

    # price 0.5 (T0)
    xp['XP'] = parse('0.5')
    assert swap('s1', 'alice', 'XP', '100') == parse('49.85')
    assert swap('s2', 'alice', 'USDT', '10') == parse('19.94')
    # tiny amounts at 0.5: 2 wei -> 0.997 wei -> 0 (refused); 3 wei -> 1 wei
    assert swap_received(2, xp['XP'], one) == 0
    assert swap_received(3, xp['XP'], one) == 1
    swap('s_tiny_xp', 'alice', 'XP', '0.000000000000000003')
    # price 0.123456789012345678 (T0 + 1 min)
    xp['XP'] = parse('0.123456789012345678')
    swap('s3', 'alice', 'XP', '1234.567890123456789')
    swap('s4', 'alice', 'USDT', '77.7')
    # price 3 (T0 + 2 min): a third is not a finite decimal
    xp['XP'] = 3 * WAD
    swap('s5', 'alice', 'USDT', '1')
    # 1 wei USDT buys 0.33 wei XP before the fee -> refused; 4 wei -> 1 wei
    assert swap_received(1, one, xp['XP']) == 0
    assert swap_received(4, one, xp['XP']) == 1
    assert swap_received(parse('0.000000000000000004'), one, xp['XP']) == 1
    swap('s_tiny_usdt', 'bob', 'USDT', '0.000000000000000004')
    # fee 0: 10 XP at 3 = 30 USDT exactly
    assert swap('s6', 'alice', 'XP', '10', fee=0) == 30 * WAD
    # fee 10000: nothing is received -> refused (not modelled as a swap)
    assert swap_received(10 * WAD, xp['XP'], one, 10_000) == 0
    # fee 1 bp, odd amount, price 3
    swap('s7', 'alice', 'XP', '0.000000000000000667', fee=1)
    # round trip at 3, fee 30: 1000 XP -> USDT -> XP loses to the house
    u = swap('s8', 'bob', 'USDT', '4.999999999999999996')
    xp_back = u
    put('s8_xp', wad(xp_back))
    # fresh at exactly one hour (price set at T0 + 2 min, used at T0 + 62 min)
    swap('s9', 'bob', 'XP', wad(xp_back))
    # all of alice's XP
    put('alice_xp_before_all', wad(balances[('alice', 'XP')]))
    swap('s10', 'alice', 'XP', wad(balances[('alice', 'XP')]))
    # conservation: deposits per currency = all balances
    put('total_xp', wad(sum(v for (u_, c), v in balances.items() if c == 'XP')))
    put('total_usdt', wad(sum(v for (u_, c), v in balances.items() if c == 'USDT')))
    assert sum(v for (u_, c), v in balances.items() if c == 'XP') == 10_000 * WAD
    assert sum(v for (u_, c), v in balances.items() if c == 'USDT') == 1005 * WAD
    return out


# --- checks of the model itself -------------------------------------------------

def self_check():
    ex = TIERS['explorer'][1]
    # 1000 XP at 5% for a year: 50 XP exactly; for 30 days 1000 * 0.05 * 30/365
    assert earned(1000 * WAD, ex, 0, 365 * DAY) == 50 * WAD
    assert earned(1000 * WAD, ex, 0, 30 * DAY) == floor(Fraction(1000 * WAD * 5 * 30, 100 * 365))
    # exact steps of the seeded rates: 1971 us (5%, 8%), 657 us (12%)
    assert exact_step(ex) == 1971
    assert exact_step(TIERS['pathfinder'][1]) == 1971
    assert exact_step(TIERS['founder'][1]) == 657
    # checkpoints never change the index (any times, any rate)
    import random
    rnd = random.Random(7)
    for apy in [ex, TIERS['founder'][1], 1, RAY // 3, 123456789 * RAY // 10**9 + 7]:
        cps = sorted(rnd.randrange(0, 3 * YEAR_US) for _ in range(40))
        for t in [cps[-1], cps[-1] + 1, cps[-1] + 999_999, 5 * YEAR_US]:
            assert index_with_checkpoints(apy, cps, t) == index(apy, t)
    # a naive checkpoint to "now" would lose the remainder: a different index
    naive = 0
    for day in range(1, 31):
        naive += ex * (DAY + 1) // YEAR_US
    assert naive != index(ex, 30 * (DAY + 1))
    # swap formula on hand-checked values
    assert swap_received(100 * WAD, WAD // 2, WAD) == parse('49.85')
    assert swap_received(10 * WAD, WAD, WAD // 2) == parse('19.94')
    assert swap_received(WAD, WAD, 3 * WAD) == parse('0.332333333333333333')


def main():
    self_check()
    blocks = [('test/pgtap/staking.sql', staking_scenario()), ('test/pgtap/swap.sql', swap_scenario())]
    for name, out in blocks:
        if '--sql' in sys.argv:
            print(f'-- {name}')
            print('INSERT INTO expected (k, v) VALUES')
            print(',\n'.join(f"\t('{k}', '{v}')" for k, v in out) + ';')
        else:
            print(f'# {name}')
            for k, v in out:
                print(f'{k:24} {v}')
        print()


if __name__ == '__main__':
    main()

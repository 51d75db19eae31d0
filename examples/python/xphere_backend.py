"""A small backend on xphere, with psycopg 3 (Debian: python3-psycopg).

The backend logs in as a role in xphere_backend (trusted: it may act for
any platform user) and confines every request to the user it serves:

    BEGIN;
    SELECT set_config('xphere.user_id', '<uuid>', true);  -- = SET LOCAL
    ... the calls, which row-level security and the functions confine ...
    COMMIT;

The setting ends with the transaction, so it never outlives the request,
even behind a transaction-mode pooler (a session-level SET would).
`set_config(..., true)` is SET LOCAL with a bind parameter.

Operator calls (deposit, set_price) go through a second connection whose
role is in xphere_admin.  Errors become ApiError with the HTTP status from
HTTP_STATUS, the one table that maps xphere's SQLSTATEs.

    python3 examples/python/cli.py --help     runs these functions
"""
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

import psycopg
from psycopg.types import TypeInfo
from psycopg.types.numeric import NumericLoader

# SQLSTATE -> HTTP status (doc/errors.md).  Anything else is 500: a
# failure of the backend itself, not of the request.
HTTP_STATUS = {
    "22004": 422,   # a required argument is NULL
    "22023": 422,   # invalid argument: amount <= 0, unknown plan/pool, bad address
    "22P02": 422,   # bad text input (a malformed amount or uuid, unknown currency)
    "22003": 422,   # amount out of range
    "22012": 422,   # division by zero
    "23505": 409,   # duplicate email, a tx_hash replayed with other details
    "28P01": 401,   # wrong email or password, dead or expired refresh token
    "42501": 403,   # acting for another user, or another user's position
    "P0002": 404,   # user, position, machine or transaction not found
    "XP001": 409,   # insufficient balance
    "XP002": 409,   # insufficient pool liquidity
    "XP003": 422,   # the borrow or change would leave health factor < 1
    "XP004": 409,   # position is not liquidatable
    "XP005": 503,   # price missing or stale: retry when the oracle has one
    "XP006": 409,   # wrong status for this action (stake still locked, ...)
    "XP007": 422,   # a partial liquidation would leave dust
    "40001": 503,   # serialization failure: retry
    "40P01": 503,   # deadlock: retry
}


class ApiError(Exception):
    def __init__(self, status, sqlstate, message):
        super().__init__(message)
        self.status, self.sqlstate, self.message = status, sqlstate, message

    def as_dict(self):
        return {"status": self.status, "sqlstate": self.sqlstate, "message": self.message}


def amount_param(value):
    """An amount as a driver binds it: a Decimal (sent as numeric) when the
    text is a number; otherwise the text itself, which the server refuses
    with 22P02 (422) like any malformed amount."""
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)


def api_error(exc):
    """The ApiError for a psycopg error."""
    state = getattr(exc, "sqlstate", None)
    message = exc.diag.message_primary if getattr(exc, "diag", None) else None
    return ApiError(HTTP_STATUS.get(state, 500), state, message or str(exc))


def connect(conninfo):
    """A connection whose wad and ray results are Decimal (health_factor,
    which may be 'infinity', stays text)."""
    conn = psycopg.connect(conninfo)
    for name in ("xphere.wad", "xphere.ray"):
        info = TypeInfo.fetch(conn, name)
        conn.adapters.register_loader(info.oid, NumericLoader)
    conn.commit()
    return conn


class Backend:
    def __init__(self, app_conninfo, admin_conninfo=None):
        self.conn = connect(app_conninfo)
        self.admin = connect(admin_conninfo) if admin_conninfo else None

    def close(self):
        self.conn.close()
        if self.admin:
            self.admin.close()

    @contextmanager
    def _tx(self, conn, user_id=None):
        """One transaction; with user_id, confined to that platform user."""
        try:
            with conn.transaction():
                if user_id is not None:
                    conn.execute("SELECT set_config('xphere.user_id', %s, true)", (str(user_id),))
                yield conn
        except psycopg.Error as exc:
            raise api_error(exc) from None

    def _one(self, sql, args, user_id=None, conn=None):
        with self._tx(conn or self.conn, user_id) as c:
            return c.execute(sql, args).fetchone()[0]

    # users and tokens ------------------------------------------------------
    def register(self, email, password, name):
        with self._tx(self.conn) as c:
            user = c.execute("SELECT xphere.register_user(%s, %s, %s)",
                             (email, password, name)).fetchone()[0]
            token = c.execute("SELECT xphere.issue_refresh_token(%s)", (user,)).fetchone()[0]
        return {"user_id": str(user), "refresh_token": token}

    def login(self, email, password):
        with self._tx(self.conn) as c:
            user = c.execute("SELECT xphere.authenticate(%s, %s)", (email, password)).fetchone()[0]
            token = c.execute("SELECT xphere.issue_refresh_token(%s)", (user,)).fetchone()[0]
        return {"user_id": str(user), "refresh_token": token}

    def refresh(self, token):
        """A new refresh token for a live one.  A token presented again after
        it was rotated means it was stolen: xphere revokes every token of
        that user (committed) and the client must log in again."""
        new = self._one("SELECT xphere.rotate_refresh_token(%s)", (token,))
        if new is None:
            raise ApiError(401, None, "refresh token reused: every session of this user is revoked")
        return {"refresh_token": new}

    # wallet and mining -------------------------------------------------------
    def deposit(self, user_id, currency, amount, tx_hash):
        """Operator: credit a chain deposit (idempotent on tx_hash)."""
        tx = self._one("SELECT xphere.deposit(%s, %s, %s, %s)",
                       (user_id, currency, amount_param(amount), tx_hash), conn=self._admin())
        return {"transaction_id": str(tx)}

    def set_price(self, asset, price):
        """Operator: the oracle."""
        self._one("SELECT xphere.set_price(%s, %s)", (asset, amount_param(price)),
                  conn=self._admin())
        return {"asset": asset, "price_usdt": price}

    def accounts(self, user_id):
        """The user's accounts, read through row-level security only."""
        with self._tx(self.conn, user_id) as c:
            rows = c.execute("SELECT user_id, currency::text, available, locked"
                             " FROM xphere.accounts ORDER BY 2").fetchall()
        return {"accounts": [{"user_id": str(u), "currency": cur, "available": a, "locked": l}
                             for u, cur, a, l in rows]}

    def balance(self, user_id, currency, of_user=None):
        return {"balance": self._one("SELECT xphere.balance(%s, %s)",
                                     (of_user or user_id, currency), user_id)}

    def buy_machine(self, user_id, plan_id):
        return {"machine_id": str(self._one("SELECT xphere.purchase_machine(%s, %s)",
                                            (user_id, plan_id), user_id))}

    def pending_rewards(self, user_id):
        return {"pending": self._one("SELECT xphere.pending_mining_rewards(%s)",
                                     (user_id,), user_id)}

    # lending -----------------------------------------------------------------
    def supply(self, user_id, pool_id, amount):
        return {"supplied": self._one("SELECT xphere.supply(%s, %s, %s)",
                                      (user_id, pool_id, amount_param(amount)), user_id)}

    def borrow(self, user_id, pool_id, amount, collateral_asset, collateral_amount):
        pos = self._one("SELECT xphere.borrow(%s, %s, %s, %s, %s)",
                        (user_id, pool_id, amount_param(amount), collateral_asset,
                         amount_param(collateral_amount)), user_id)
        return {"position_id": str(pos)}

    def repay(self, user_id, position_id, amount=None):
        return {"repaid": self._one("SELECT xphere.repay(%s, %s, %s)",
                                    (user_id, position_id,
                                     None if amount is None else amount_param(amount)), user_id)}

    def debt(self, user_id, position_id):
        return {"debt": self._one("SELECT xphere.debt(%s)", (position_id,), user_id)}

    def liquidate_all(self, liquidator_id, pool_id=None):
        """One round of a liquidator: list what is liquidatable (the backend
        is trusted, so it sees every user's positions), then liquidate each
        in a transaction of its own, confined to the liquidator."""
        with self._tx(self.conn) as c:
            ids = [r[0] for r in c.execute(
                "SELECT id FROM xphere.liquidatable_positions(%s) ORDER BY id", (pool_id,))]
        done = []
        for pos in ids:
            try:
                with self._tx(self.conn, liquidator_id) as c:
                    repaid, seized = c.execute(
                        "SELECT debt_repaid, collateral_seized FROM xphere.liquidate(%s, %s)",
                        (liquidator_id, pos)).fetchone()
                done.append({"position_id": str(pos), "debt_repaid": repaid,
                             "collateral_seized": seized})
            except ApiError as err:     # repaid or liquidated by someone else meanwhile
                done.append({"position_id": str(pos), "error": err.as_dict()})
        return {"liquidations": done}

    # staking -----------------------------------------------------------------
    def stake(self, user_id, amount, tier="explorer"):
        return {"stake_id": str(self._one("SELECT xphere.stake(%s, %s, %s)",
                                          (user_id, amount_param(amount), tier), user_id))}

    def pending_staking_rewards(self, user_id, stake_id):
        return {"pending": self._one("SELECT xphere.pending_staking_rewards(%s)",
                                     (stake_id,), user_id)}

    # proof of liabilities ----------------------------------------------------
    def snapshot(self):
        """Operator: snapshot what the platform owes every user, one Merkle sum
        tree per currency; returns the roots, totals and leaf counts to publish."""
        with self._tx(self._admin()) as c:
            rows = c.execute("SELECT snapshot_id, currency::text, root, total::text, leaf_count"
                             " FROM xphere.take_liability_snapshot()").fetchall()
        return {"snapshot": [{"snapshot_id": sid, "currency": cur, "root": root, "total": total,
                              "leaf_count": n} for sid, cur, root, total, n in rows]}

    def liability_proof(self, user_id, currency, of_user=None):
        """The user's inclusion proof in the latest snapshot, with that
        snapshot's root record, read in one statement: the pair
        examples/python/verify_liability_proof.py --batch checks.  (Users
        should also compare the root with the one the platform published.)"""
        with self._tx(self.conn, user_id) as c:
            proof, root = c.execute("SELECT xphere.liability_proof(%s, %s), xphere.liability_root(%s)",
                                    (of_user or user_id, currency, currency)).fetchone()
        return {"proof": proof, "root": root}

    def _admin(self):
        if self.admin is None:
            raise ApiError(500, None, "no operator connection configured")
        return self.admin

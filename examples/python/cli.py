#!/usr/bin/env python3
"""Run the functions of xphere_backend.py from the command line.

    export XPHERE_APP_DSN="host=... dbname=app user=api password=..."    # a role in xphere_backend
    export XPHERE_ADMIN_DSN="host=... dbname=app user=ops password=..."  # a role in xphere_admin
    python3 examples/python/cli.py register alice@example.com 'correct horse' Alice
    python3 examples/python/cli.py deposit USER_ID USDT 1000 0x<64 hex digits>
    python3 examples/python/cli.py buy USER_ID p1
    python3 examples/python/cli.py liquidator LIQUIDATOR_ID --rounds 10 --interval 5
    python3 examples/python/cli.py snapshot                  # operator: roots to publish
    python3 examples/python/cli.py proof USER_ID XP >proof.jsonl
    python3 examples/python/verify_liability_proof.py --batch proof.jsonl

Each command prints one JSON object (the liquidator one per round).  An
error of the API prints {"error": {"status": <HTTP>, "sqlstate": ..., "message": ...}}
and exits with status 3.  The DSNs are libpq connection strings or URLs.
"""
import argparse
import json
import os
import sys
import time
from decimal import Decimal

from xphere_backend import ApiError, Backend

COMMANDS = {
    # name: (arguments, optional arguments, method)
    "register": (["email", "password", "name"], [], "register"),
    "login": (["email", "password"], [], "login"),
    "refresh": (["token"], [], "refresh"),
    "deposit": (["user_id", "currency", "amount", "tx_hash"], [], "deposit"),
    "set-price": (["asset", "price"], [], "set_price"),
    "accounts": (["user_id"], [], "accounts"),
    "balance": (["user_id", "currency"], ["of_user"], "balance"),
    "buy": (["user_id", "plan_id"], [], "buy_machine"),
    "pending": (["user_id"], [], "pending_rewards"),
    "supply": (["user_id", "pool_id", "amount"], [], "supply"),
    "borrow": (["user_id", "pool_id", "amount", "collateral_asset", "collateral_amount"], [],
               "borrow"),
    "repay": (["user_id", "position_id"], ["amount"], "repay"),
    "debt": (["user_id", "position_id"], [], "debt"),
    "stake": (["user_id", "amount"], ["tier"], "stake"),
    "staking-pending": (["user_id", "stake_id"], [], "pending_staking_rewards"),
    "snapshot": ([], [], "snapshot"),
    "proof": (["user_id", "currency"], ["of_user"], "liability_proof"),
}


def plain(value):
    """JSON for the results: amounts as exact decimal strings."""
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(type(value))


def out(obj):
    print(json.dumps(obj, default=plain, sort_keys=True), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (args, optional, _) in COMMANDS.items():
        p = sub.add_parser(name)
        for a in args:
            p.add_argument(a)
        for a in optional:
            p.add_argument(a, nargs="?")
    liq = sub.add_parser("liquidator", help="liquidate whatever is liquidatable, round after round")
    liq.add_argument("liquidator_id")
    liq.add_argument("--pool", default=None)
    liq.add_argument("--rounds", type=int, default=None, help="default: forever")
    liq.add_argument("--interval", type=float, default=5.0, help="seconds between rounds")
    ns = parser.parse_args()

    backend = Backend(os.environ["XPHERE_APP_DSN"], os.environ.get("XPHERE_ADMIN_DSN"))
    try:
        if ns.command == "liquidator":
            n = 0
            while ns.rounds is None or n < ns.rounds:
                if n:
                    time.sleep(ns.interval)
                n += 1
                out(dict(backend.liquidate_all(ns.liquidator_id, ns.pool), round=n))
            return 0
        args, optional, method = COMMANDS[ns.command]
        kwargs = {a: getattr(ns, a) for a in args + optional if getattr(ns, a) is not None}
        out(getattr(backend, method)(**kwargs))
        return 0
    except ApiError as err:
        out({"error": err.as_dict()})
        return 3
    finally:
        backend.close()


if __name__ == "__main__":
    sys.exit(main())

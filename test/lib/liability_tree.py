#!/usr/bin/env python3
"""A reference implementation of the proof-of-liabilities trees, for tests.

It computes, from a snapshot's secret and its users' amounts, everything
doc/liabilities.md ("The hash construction (version 1)") defines: each
user's salt, the leaf order, every level of every currency's Merkle sum
tree, the root records and each user's proofs, as the JSON objects the
database returns.  It shares no code with the verifiers of examples/, so
that a test that feeds its proofs to them checks one implementation of
the specification against another.  Standard library only.

    python3 test/lib/liability_tree.py build INPUT.json
    python3 test/lib/liability_tree.py explain INPUT.json

INPUT.json (or - for standard input):

    {"secret": "<64 hex digits>", "snapshot_id": 1,
     "taken_at": "2026-12-31T23:59:59.000000Z", "currencies": ["XP", "USDT"],
     "users": [{"user_id": "<uuid>", "amounts": {"XP": "<wei>", "USDT": "<wei>"}}, ...]}

A currency missing from a user's amounts counts as 0.  "build" prints
{"roots": {currency: root record}, "proofs": {user_id: {currency: proof}}};
"explain" prints the intermediate values a test vector lists: the salts,
the leaf order and every level of every tree, bottom up, as
{"salts": {user_id: hex}, "order": [user_id, ...],
 "levels": {currency: [[{"hash": hex, "sum": "<wei>"}, ...], ...]}}.
"""
import hashlib
import json
import sys
import uuid

LIMIT = 2 ** 127
EMPTY = (b"\0" * 32, 0)     # the empty node: pads an odd level on the right


def sha256(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def u128(n):
    if not 0 <= n < LIMIT:
        raise ValueError(f"{n} is not in 0 .. 2^127-1")
    return n.to_bytes(16, "big")


def currency_bytes(code):
    if not (1 <= len(code) <= 8 and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" for c in code)):
        raise ValueError(f"bad currency code {code!r}")
    return code.encode("ascii") + b"\0" * (8 - len(code))


def uuid_bytes(text):
    u = uuid.UUID(text)
    if str(u) != text:
        raise ValueError(f"{text!r} is not a canonical lower-case UUID")
    return u.bytes


def salt_of(secret, user_id):
    """salt = H(secret || user_id bytes)"""
    return sha256(secret, uuid_bytes(user_id))


def leaf(salt, user_id, code, amount):
    """(H(0x00 || salt || user_id || currency || amount), amount)"""
    return sha256(b"\x00", salt, uuid_bytes(user_id), currency_bytes(code), u128(amount)), amount


def inner(left, right):
    """(H(0x01 || lh || ls || rh || rs), ls + rs)"""
    (lh, ls), (rh, rs) = left, right
    total = ls + rs
    if total >= LIMIT:
        raise ValueError("a sum reaches 2^127")
    return sha256(b"\x01", lh, u128(ls), rh, u128(rs)), total


class Snapshot:
    """One snapshot: users is [(user_id, {currency: wei}), ...]."""

    def __init__(self, secret, snapshot_id, taken_at, currencies, users):
        if len(secret) != 32:
            raise ValueError("the secret is 32 bytes")
        self.snapshot_id = snapshot_id
        self.taken_at = taken_at
        self.currencies = list(currencies)
        self.amounts = {}
        for user_id, amounts in users:
            if user_id in self.amounts:
                raise ValueError(f"user {user_id} twice")
            unknown = set(amounts) - set(self.currencies)
            if unknown:
                raise ValueError(f"user {user_id}: currency {sorted(unknown)} not in the snapshot")
            self.amounts[user_id] = {c: int(amounts.get(c, 0)) for c in self.currencies}
        self.salts = {u: salt_of(secret, u) for u in self.amounts}
        # leaves sorted by salt, compared as unsigned 256-bit numbers
        self.order = sorted(self.amounts, key=lambda u: self.salts[u])
        self.index = {u: i for i, u in enumerate(self.order)}
        # levels[c][k] is level k of currency c's tree, unpadded
        self.levels = {}
        for c in self.currencies:
            level = [leaf(self.salts[u], u, c, self.amounts[u][c]) for u in self.order]
            levels = [level]
            while len(level) > 1:
                padded = level + [EMPTY] if len(level) % 2 else level
                level = [inner(padded[j], padded[j + 1]) for j in range(0, len(padded), 2)]
                levels.append(level)
            self.levels[c] = levels

    def root(self, code):
        top = self.levels[code][-1]
        return top[0] if top else EMPTY

    def root_record(self, code):
        h, s = self.root(code)
        return {
            "format": "xphere-liability-root-v1",
            "snapshot_id": self.snapshot_id,
            "taken_at": self.taken_at,
            "currency": code,
            "leaf_count": len(self.order),
            "root": h.hex(),
            "total": str(s),
        }

    def proof(self, user_id, code):
        i = self.index[user_id]
        levels = self.levels[code]
        path = []
        for k in range(len(levels) - 1):        # every level below the root
            level = levels[k]
            j = (i >> k) ^ 1
            h, s = level[j] if j < len(level) else EMPTY
            path.append({"hash": h.hex(), "sum": str(s)})
        lh, ls = levels[0][i]
        record = self.root_record(code)
        return {
            "format": "xphere-liability-proof-v1",
            "snapshot_id": self.snapshot_id,
            "taken_at": self.taken_at,
            "currency": code,
            "leaf_count": record["leaf_count"],
            "root": record["root"],
            "total": record["total"],
            "user_id": user_id,
            "leaf": {"index": i, "salt": self.salts[user_id].hex(), "amount": str(ls),
                     "hash": lh.hex()},
            "path": path,
        }

    def build(self):
        return {
            "roots": {c: self.root_record(c) for c in self.currencies},
            "proofs": {u: {c: self.proof(u, c) for c in self.currencies} for u in self.order},
        }

    def explain(self):
        return {
            "salts": {u: self.salts[u].hex() for u in self.order},
            "order": list(self.order),
            "levels": {c: [[{"hash": h.hex(), "sum": str(s)} for h, s in level]
                           for level in self.levels[c]] for c in self.currencies},
        }


def from_input(spec):
    """A Snapshot from the INPUT.json object described above."""
    return Snapshot(bytes.fromhex(spec["secret"]), spec["snapshot_id"], spec["taken_at"],
                    spec["currencies"],
                    [(u["user_id"], {c: int(a) for c, a in u["amounts"].items()})
                     for u in spec["users"]])


def main(argv):
    if len(argv) != 2 or argv[0] not in ("build", "explain"):
        print("usage: liability_tree.py build|explain INPUT.json", file=sys.stderr)
        return 2
    with (sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")) as f:
        snap = from_input(json.load(f))
    out = snap.build() if argv[0] == "build" else snap.explain()
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Verify an xphere proof of liabilities outside the database.

A user fetches their inclusion proof (xphere.liability_proof) and the
published root record (xphere.liability_root, or the page where the
platform publishes it) as two JSON files, then runs

    python3 examples/python/verify_liability_proof.py PROOF.json ROOT.json

Either file may be "-" for standard input.  On success it prints one line,

    OK: user <uuid> holds 12.5 XP in snapshot 12 (leaf 3 of 5; root <hex>, total 1234.5 XP)

and exits 0; a proof that does not hold prints "FAILED: <reason>" and exits
1; a file that cannot be read or is not JSON, or a wrong command line,
exits 2 with a message on standard error.

    python3 examples/python/verify_liability_proof.py --batch CASES.jsonl

checks many pairs at once: each non-blank line of CASES.jsonl is a JSON
object {"proof": ..., "root": ...}; one line is printed per case, the
OK/FAILED line above, or "ERROR: line N is not a JSON object with proof
and root".  The exit status is 2 if any line was an ERROR, else 1 if any
case FAILED, else 0.

The checks are those of doc/liabilities.md, "The hash construction
(version 1)", and examples/node/verify_liability_proof.js makes the same
ones in the same order, printing the same lines.  Standard library only;
amounts are Python integers in wei throughout, never floats.

As a module: verify(proof, root) takes the two records as parsed JSON
(dicts) and returns a Verified, or raises ProofError whose str() is the
one-line reason.  loads() parses JSON text the strict way the command line
does (duplicate keys, NaN and "-0" refused).
"""
import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass

PROOF_FORMAT = "xphere-liability-proof-v1"
ROOT_FORMAT = "xphere-liability-root-v1"
LIMIT = 1 << 127                # every amount and sum is below 2^127
MAX_INT = (1 << 53) - 1         # JSON integers: what every parser holds exactly
WEI = 10 ** 18
EMPTY_HASH = bytes(32)          # the empty node pads a level on the right

PROOF_FIELDS = ("format", "snapshot_id", "taken_at", "currency", "leaf_count",
                "root", "total", "user_id", "leaf", "path")
ROOT_FIELDS = ("format", "snapshot_id", "taken_at", "currency", "leaf_count",
               "root", "total")
LEAF_FIELDS = ("index", "salt", "amount", "hash")
PATH_FIELDS = ("hash", "sum")

HEX64 = re.compile(r"[0-9a-f]{64}")
DECIMAL = re.compile(r"0|[1-9][0-9]{0,38}")    # 2^127 has 39 digits
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CURRENCY = re.compile(r"[A-Z0-9]{1,8}")
SAFE_NAME = re.compile(r"[A-Za-z0-9_]{1,32}")
BLANK = re.compile(r"[ \t\r]*")


class ProofError(Exception):
    """The proof does not hold; str(error) is the reason, one line."""


@dataclass(frozen=True)
class Verified:
    """What a valid proof shows: the user's amount (wei) in a snapshot."""
    user_id: str
    currency: str
    amount: int
    snapshot_id: int
    index: int
    leaf_count: int
    root: str
    total: int

    def line(self):
        return (f"OK: user {self.user_id} holds {format_wei(self.amount)} {self.currency}"
                f" in snapshot {self.snapshot_id} (leaf {self.index} of {self.leaf_count};"
                f" root {self.root}, total {format_wei(self.total)} {self.currency})")


def format_wei(wei):
    """12500000000000000000 -> "12.5": the exact decimal, no trailing zeros."""
    whole, frac = divmod(wei, WEI)
    if frac == 0:
        return str(whole)
    return f"{whole}.{frac:018d}".rstrip("0")


# ---------------------------------------------------------------------------
# strict JSON

class NotAnInteger:
    """A JSON number that is not an integer literal from 0 to 2^53-1
    (a fraction, an exponent, a sign, or too large): kept as its text so
    that it fails the integer checks the same way in every verifier."""

    def __init__(self, text):
        self.text = text


def _parse_int(text):
    if text.startswith("-") or len(text) > 16:
        return NotAnInteger(text)
    return int(text)


def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate key {key!r}")
        obj[key] = value
    return obj


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def loads(text):
    """Parse JSON text; a duplicate key, NaN or Infinity raises ValueError."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_float=NotAnInteger,
                          parse_int=_parse_int, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


# ---------------------------------------------------------------------------
# field checks

def _fields(obj, names, what):
    if not isinstance(obj, dict):
        raise ProofError(f"{what} is not a JSON object")
    for name in names:
        if name not in obj:
            raise ProofError(f'{what} lacks field "{name}"')
    extra = sorted(k for k in obj if k not in names)
    if extra:
        if SAFE_NAME.fullmatch(extra[0]):
            raise ProofError(f'{what} has unknown field "{extra[0]}"')
        raise ProofError(f"{what} has an unknown field")


def _integer(value, what):
    if type(value) is not int or not 0 <= value <= MAX_INT:
        raise ProofError(f"{what} is not a JSON integer from 0 to 2^53-1")
    return value


def _hash(value, what):
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise ProofError(f"{what} is not 64 lower-case hex digits")
    return bytes.fromhex(value)


def _amount(value, what):
    if not isinstance(value, str) or not DECIMAL.fullmatch(value) or int(value) >= LIMIT:
        raise ProofError(f"{what} is not a decimal integer string from 0 to 2^127-1")
    return int(value)


def _currency(value, what):
    if not isinstance(value, str) or not CURRENCY.fullmatch(value):
        raise ProofError(f"{what} is not 1 to 8 upper-case ASCII letters or digits")
    return value


def _string(value, what):
    if not isinstance(value, str):
        raise ProofError(f"{what} is not a string")
    return value


def _check_record(obj, fields, fmt, what):
    """The fields a proof shares with a root record: its keys, its format,
    and the published snapshot id, time, currency, leaf count, root and total."""
    _fields(obj, fields, what)
    if obj["format"] != fmt:
        raise ProofError(f'{what} format is not "{fmt}"')
    return {
        "snapshot_id": _integer(obj["snapshot_id"], f"{what} snapshot_id"),
        "taken_at": _string(obj["taken_at"], f"{what} taken_at"),
        "currency": _currency(obj["currency"], f"{what} currency"),
        "leaf_count": _integer(obj["leaf_count"], f"{what} leaf_count"),
        "root": _hash(obj["root"], f"{what} root"),
        "total": _amount(obj["total"], f"{what} total"),
    }


def _check_proof(proof):
    p = _check_record(proof, PROOF_FIELDS, PROOF_FORMAT, "proof")
    user_id = proof["user_id"]
    if not isinstance(user_id, str) or not UUID.fullmatch(user_id):
        raise ProofError("proof user_id is not a lower-case UUID with hyphens")
    p["user_id"] = user_id
    leaf = proof["leaf"]
    _fields(leaf, LEAF_FIELDS, "proof leaf")
    p["index"] = _integer(leaf["index"], "proof leaf.index")
    p["salt"] = _hash(leaf["salt"], "proof leaf.salt")
    p["amount"] = _amount(leaf["amount"], "proof leaf.amount")
    p["leaf_hash"] = _hash(leaf["hash"], "proof leaf.hash")
    path = proof["path"]
    if not isinstance(path, list):
        raise ProofError("proof path is not a JSON array")
    p["path"] = []
    for k, entry in enumerate(path):
        what = f"proof path[{k}]"
        _fields(entry, PATH_FIELDS, what)
        p["path"].append((_hash(entry["hash"], what + ".hash"),
                          _amount(entry["sum"], what + ".sum")))
    return p


def _check_root(root):
    return _check_record(root, ROOT_FIELDS, ROOT_FORMAT, "root record")


# ---------------------------------------------------------------------------
# hashing

def _wei16(value):
    return value.to_bytes(16, "big")


def leaf_hash(salt, user_id, currency, amount):
    """H(0x00 || salt || user_id || currency || amount): 73 bytes hashed."""
    uid = bytes.fromhex(user_id.replace("-", ""))
    cur = currency.encode("ascii").ljust(8, b"\0")
    return hashlib.sha256(b"\x00" + salt + uid + cur + _wei16(amount)).digest()


def node_hash(lh, ls, rh, rs):
    """H(0x01 || lh || ls || rh || rs): 97 bytes hashed."""
    return hashlib.sha256(b"\x01" + lh + _wei16(ls) + rh + _wei16(rs)).digest()


def depth_of(leaf_count):
    """ceil(log2(n)) for n >= 1: 0 for one leaf."""
    return (leaf_count - 1).bit_length()


def verify(proof, root):
    """Check proof against the published root record; return a Verified
    or raise ProofError."""
    p = _check_proof(proof)
    r = _check_root(root)
    if p["snapshot_id"] != r["snapshot_id"]:
        raise ProofError(f"proof and root record are of different snapshots"
                         f" ({p['snapshot_id']} and {r['snapshot_id']})")
    if p["currency"] != r["currency"]:
        raise ProofError(f"proof and root record are of different currencies"
                         f" ({p['currency']} and {r['currency']})")
    if p["taken_at"] != r["taken_at"]:
        raise ProofError("proof and root record differ in taken_at")
    n = r["leaf_count"]
    if p["leaf_count"] != n:
        raise ProofError(f"proof leaf_count {p['leaf_count']} is not the published leaf count {n}")
    if p["root"] != r["root"]:
        raise ProofError("proof root is not the published root")
    if p["total"] != r["total"]:
        raise ProofError("proof total is not the published total")
    index = p["index"]
    if index >= n:
        raise ProofError(f"leaf index {index} is out of range for {n} leaves")
    depth = depth_of(n)
    if len(p["path"]) != depth:
        raise ProofError(f"path has {len(p['path'])} entries, {n} leaves need {depth}")
    h = leaf_hash(p["salt"], p["user_id"], p["currency"], p["amount"])
    if h != p["leaf_hash"]:
        raise ProofError("leaf hash does not match salt, user_id, currency and amount")
    s = p["amount"]
    width = n                               # nodes on the current level
    for k, (sh, ss) in enumerate(p["path"]):
        i = index >> k
        if (i ^ 1) >= width and (sh != EMPTY_HASH or ss != 0):
            raise ProofError(f"path[{k}] stands for padding but is not the empty node")
        if (i ^ 1) < width and sh == EMPTY_HASH:
            raise ProofError(f"path[{k}] is the empty node where a real node stands")
        if i & 1:
            h, s = node_hash(sh, ss, h, s), ss + s
        else:
            h, s = node_hash(h, s, sh, ss), s + ss
        if s >= LIMIT:
            raise ProofError(f"the sum at level {k + 1} reaches 2^127")
        width = (width + 1) // 2
    if h != r["root"]:
        raise ProofError("path does not lead to the published root")
    if s != r["total"]:
        raise ProofError(f"path sums to {s} wei, the published total is {r['total']} wei")
    return Verified(user_id=p["user_id"], currency=p["currency"], amount=p["amount"],
                    snapshot_id=p["snapshot_id"], index=index, leaf_count=n,
                    root=root["root"], total=r["total"])


def verdict(proof, root):
    """The line the command line prints for a pair: OK: ... or FAILED: ..."""
    try:
        return verify(proof, root).line()
    except ProofError as e:
        return f"FAILED: {e}"


# ---------------------------------------------------------------------------
# command line

class InputError(Exception):
    pass


def _read(name):
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                data = f.read()
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{name}: cannot read: {e}") from None


def _read_json(name):
    text = _read(name)
    try:
        return loads(text)
    except ValueError as e:
        raise InputError(f"{name}: not valid JSON: {e}") from None


def _batch(name):
    status = 0
    for number, line in enumerate(_read(name).split("\n"), 1):
        if BLANK.fullmatch(line):
            continue
        try:
            case = loads(line)
        except ValueError:
            case = None
        if not isinstance(case, dict) or set(case) != {"proof", "root"}:
            print(f"ERROR: line {number} is not a JSON object with proof and root")
            status = 2
            continue
        out = verdict(case["proof"], case["root"])
        print(out)
        if out.startswith("FAILED") and status == 0:
            status = 1
    return status


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Verify an xphere proof of liabilities against a published root record.")
    ap.add_argument("proof", nargs="?", help="the proof JSON file, or - for standard input")
    ap.add_argument("root", nargs="?", help="the root record JSON file, or - for standard input")
    ap.add_argument("--batch", metavar="FILE.jsonl",
                    help='check one {"proof": ..., "root": ...} object per line')
    args = ap.parse_args(argv)
    try:
        if args.batch is not None:
            if args.proof is not None:
                ap.error("--batch takes no other argument")
            return _batch(args.batch)
        if args.proof is None or args.root is None:
            ap.error("PROOF and ROOT are required")
        if args.proof == "-" and args.root == "-":
            ap.error("only one of PROOF and ROOT can be standard input")
        proof = _read_json(args.proof)
        root = _read_json(args.root)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = verdict(proof, root)
    print(out)
    return 0 if out.startswith("OK") else 1


if __name__ == "__main__":
    sys.exit(main())

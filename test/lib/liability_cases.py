#!/usr/bin/env python3
"""Cases for test/scripts/liability_verifiers.sh: real and tampered liability proofs.

    python3 test/lib/liability_cases.py OUTDIR

builds snapshots with test/lib/liability_tree.py (1, 2, 3, 5, 8, 9 and 100
users, and two with an amount of 2^127-1; zero amounts included; XP and
USDT) and writes

    OUTDIR/cases.jsonl   one {"proof": ..., "root": ...} per line, the
                         input of the verifiers' --batch mode (a few lines
                         are not even valid JSON on purpose);
    OUTDIR/expect.jsonl  the same number of lines, each
                         {"kind": ..., "case": ..., "want": REGEX}: the
                         line a verifier must print for that case matches
                         REGEX (^...$ implied).  A real proof wants its
                         exact OK line; a tampered one "FAILED: " and the
                         reasons the tampering can lead to; a line that is
                         not JSON "ERROR: ...".
    OUTDIR/kinds.tsv     kind<TAB>what it ensures, one line per kind.
"""
import copy
import hashlib
import json
import os
import re
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import liability_tree as lt  # noqa: E402

MAX = 2 ** 127 - 1
CURRENCIES = ["XP", "USDT"]
TAKEN_AT = "2026-12-31T23:59:59.000000Z"

KINDS = {
    "real": "every user's real proof passes, with the exact OK line",
    "amount+1": "a leaf amount one wei higher fails",
    "salt": "a changed salt fails",
    "user_id": "another user id fails",
    "swap": "two adjacent (different) path entries swapped fail",
    "sibling-hash": "a changed sibling hash (any path entry) fails",
    "sibling-sum": "a sibling sum one wei higher (any path entry) fails",
    "drop-last": "a proof without its last path entry fails",
    "drop-first": "a proof without its first path entry fails",
    "add": "a proof with one more path entry fails",
    "index": "another leaf index fails",
    "wrong-total": "a root record with another total fails",
    "both-totals": "a proof and root record that agree on a wrong total fail",
    "other-snapshot": "the root record of another snapshot of the same users fails",
    "other-snapshot-relabeled": "that root record relabeled with this snapshot's id fails",
    "other-snapshot-proof": "a proof whose root and total are another snapshot's fails",
    "other-currency": "the root record of the other currency fails",
    "other-currency-relabeled": "the other currency's root relabeled with this currency fails",
    "leaf-count-proof": "a proof with another leaf_count than the root record fails",
    "leaf-count-root": "a root record with another leaf_count than the proof fails",
    "leaf-count-zero": "a leaf count of 0 in both records fails",
    "proof-root": "a proof whose root field is not the published root fails",
    "taken-at": "a proof and root record that differ in taken_at fail",
    "empty-sibling": "a real sibling replaced by the empty node (a dropped user's place) fails",
    "overflow": "sibling sums below 2^127 whose sum reaches 2^127 fail",
    "sum-2^127": "a path sum of 2^127 fails",
    "total-2^127": "a total of 2^127 fails",
    "not-canonical": "non-canonical fields fail (numbers for strings and back, signs, "
                     "exponents, leading zeros, blanks, 63 or upper-case hex digits, bad "
                     "UUID or currency, formats, missing and unknown fields)",
    "not-json": "a line that is not strict JSON (duplicate key, NaN) is an ERROR",
}

HASH_MISMATCH = r"FAILED: leaf hash does not match salt, user_id, currency and amount"
NO_ROOT = r"FAILED: path does not lead to the published root"
PADDING = r"FAILED: path\[\d+\] stands for padding but is not the empty node"
NOT_EMPTY = r"FAILED: path\[\d+\] is the empty node where a real node stands"


def user_id(label, i):
    b = bytearray(hashlib.sha256(f"{label}/{i}".encode()).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x40     # version 4
    b[8] = (b[8] & 0x3F) | 0x80     # RFC 4122 variant
    return str(uuid.UUID(bytes=bytes(b)))


def amount(label, i, code):
    """Varied amounts: zeros, single wei, whole units, large fractions."""
    r = int.from_bytes(hashlib.sha256(f"{label}/{i}/{code}".encode()).digest(), "big")
    kind = r % 5
    if kind == 0:
        return 0
    if kind == 1:
        return r % 1000
    if kind == 2:
        return (r % 100000) * 10 ** 18
    return r % 10 ** 30


def snapshots():
    """(label, snapshot, other) triples: other has the same users, another
    secret and snapshot id."""
    specs = []
    for n in (1, 2, 3, 5, 8, 9, 100):
        label = f"n{n}"
        specs.append((label, [(user_id(label, i), {c: amount(label, i, c) for c in CURRENCIES})
                              for i in range(n)]))
    specs.append(("max1", [(user_id("max1", 0), {"XP": MAX, "USDT": 0})]))
    specs.append(("max3", [(user_id("max3", 0), {"XP": MAX, "USDT": 5}),
                           (user_id("max3", 1), {"XP": 0, "USDT": 0}),
                           (user_id("max3", 2), {"XP": 0, "USDT": 7})]))
    for k, (label, users) in enumerate(specs):
        secret = hashlib.sha256(label.encode()).digest()
        other_secret = hashlib.sha256(b"other " + label.encode()).digest()
        yield (label, lt.Snapshot(secret, 10 + k, TAKEN_AT, CURRENCIES, users),
               lt.Snapshot(other_secret, 1000 + k, "2027-01-31T23:59:59+00:00",
                           CURRENCIES, users))


def units(wei):
    """wei as the exact decimal of units, written without trailing zeros."""
    digits = str(wei).rjust(19, "0")
    whole, frac = digits[:-18], digits[-18:].rstrip("0")
    return whole + ("." + frac if frac else "")


def ok_line(proof, root):
    return (f"OK: user {proof['user_id']} holds {units(int(proof['leaf']['amount']))}"
            f" {proof['currency']} in snapshot {proof['snapshot_id']}"
            f" (leaf {proof['leaf']['index']} of {proof['leaf_count']}; root {root['root']},"
            f" total {units(int(root['total']))} {root['currency']})")


def flip(hexstr):
    """The same hash with its last hex digit changed."""
    return hexstr[:-1] + ("0" if hexstr[-1] != "0" else "1")


def is_padding(proof, k):
    """Whether path[k] of an honest proof is the empty node."""
    width = proof["leaf_count"]         # nodes on level k
    for _ in range(k):
        width = (width + 1) // 2
    return ((proof["leaf"]["index"] >> k) ^ 1) >= width


class Writer:
    def __init__(self, outdir):
        self.cases = open(os.path.join(outdir, "cases.jsonl"), "w")
        self.expect = open(os.path.join(outdir, "expect.jsonl"), "w")

    def add(self, kind, case, want, proof=None, root=None, text=None):
        assert kind in KINDS, kind
        if text is None:
            text = json.dumps({"proof": proof, "root": root})
        self.cases.write(text + "\n")
        self.expect.write(json.dumps({"kind": kind, "case": case, "want": want}) + "\n")


def tampered(w, label, snap, other, code):
    root = snap.root_record(code)
    other_code = [c for c in CURRENCIES if c != code][0]
    n = len(snap.order)
    for u in snap.order:
        proof = snap.proof(u, code)
        name = f"{label} {code} leaf {proof['leaf']['index']}"
        depth = len(proof["path"])
        w.add("real", name, re.escape(ok_line(proof, root)), proof, root)

        def case(kind, want, mutate=None, r=None, pr=None):
            p = copy.deepcopy(proof) if pr is None else pr
            rr = copy.deepcopy(root) if r is None else r
            if mutate:
                mutate(p, rr)
            w.add(kind, name, want, p, rr)

        a = int(proof["leaf"]["amount"])
        case("amount+1", HASH_MISMATCH if a + 1 < 2 ** 127 else
             r"FAILED: proof leaf\.amount is not a decimal integer string from 0 to 2\^127-1",
             lambda p, r: p["leaf"].__setitem__("amount", str(a + 1)))
        case("salt", HASH_MISMATCH, lambda p, r: p["leaf"].__setitem__("salt", flip(p["leaf"]["salt"])))
        case("user_id", HASH_MISMATCH,
             lambda p, r: p.__setitem__("user_id", user_id("someone else", 0)))
        for k in range(depth - 1):
            if proof["path"][k] != proof["path"][k + 1]:
                def swap(p, r, k=k):
                    p["path"][k], p["path"][k + 1] = p["path"][k + 1], p["path"][k]
                case("swap", f"{NO_ROOT}|{PADDING}", swap)
                break
        for k in range(depth):
            pad = is_padding(proof, k)
            case("sibling-hash", PADDING if pad else NO_ROOT,
                 lambda p, r, k=k: p["path"][k].__setitem__("hash", flip(p["path"][k]["hash"])))
            s = int(proof["path"][k]["sum"])
            want = (PADDING if pad else
                    r"FAILED: proof path\[\d+\]\.sum is not a decimal integer string from 0 to 2\^127-1"
                    if s + 1 >= 2 ** 127 else
                    r"FAILED: the sum at level \d+ reaches 2\^127|" + NO_ROOT)
            case("sibling-sum", want,
                 lambda p, r, k=k, s=s: p["path"][k].__setitem__("sum", str(s + 1)))
        for k in range(depth):
            if not is_padding(proof, k):
                case("empty-sibling", NOT_EMPTY,
                     lambda p, r, k=k: p["path"][k].__setitem__("hash", "00" * 32))
                break
        path_len = r"FAILED: path has \d+ entries, \d+ leaves need \d+"
        if depth:
            case("drop-last", path_len, lambda p, r: p["path"].pop())
            case("drop-first", path_len, lambda p, r: p["path"].pop(0))
        case("add", path_len, lambda p, r: p["path"].append({"hash": "ab" * 32, "sum": "0"}))
        new_index = (proof["leaf"]["index"] + 1) % n if n > 1 else 1
        case("index", rf"FAILED: leaf index \d+ is out of range for \d+ leaves|{NO_ROOT}|{PADDING}|{NOT_EMPTY}",
             lambda p, r: p["leaf"].__setitem__("index", new_index))
        total = int(root["total"])
        big_total = r"FAILED: (proof|root record) total is not a decimal integer string from 0 to 2\^127-1"
        case("wrong-total", "FAILED: proof total is not the published total"
             if total + 1 < 2 ** 127 else big_total,
             lambda p, r: r.__setitem__("total", str(total + 1)))
        case("both-totals", rf"FAILED: path sums to {total} wei, the published total is {total + 1} wei"
             if total + 1 < 2 ** 127 else big_total,
             lambda p, r: (r.__setitem__("total", str(total + 1)), p.__setitem__("total", str(total + 1))))
        oroot = other.root_record(code)
        case("other-snapshot", r"FAILED: proof and root record are of different snapshots \(\d+ and \d+\)",
             r=copy.deepcopy(oroot))
        relabeled = dict(oroot, snapshot_id=root["snapshot_id"], taken_at=root["taken_at"])
        case("other-snapshot-relabeled", "FAILED: proof root is not the published root",
             r=relabeled)

        def other_proof(p, r):
            p["root"], p["total"] = relabeled["root"], relabeled["total"]
        case("other-snapshot-proof", NO_ROOT + "|" + HASH_MISMATCH, other_proof,
             r=copy.deepcopy(relabeled))
        case("other-currency", r"FAILED: proof and root record are of different currencies \(\w+ and \w+\)",
             r=snap.root_record(other_code))
        case("other-currency-relabeled", "FAILED: proof root is not the published root",
             r=dict(snap.root_record(other_code), currency=code))
        case("leaf-count-proof", r"FAILED: proof leaf_count \d+ is not the published leaf count \d+",
             lambda p, r: p.__setitem__("leaf_count", n + 1))
        case("leaf-count-root", r"FAILED: proof leaf_count \d+ is not the published leaf count \d+",
             lambda p, r: r.__setitem__("leaf_count", n - 1))
        case("leaf-count-zero", r"FAILED: leaf index \d+ is out of range for 0 leaves",
             lambda p, r: (p.__setitem__("leaf_count", 0), r.__setitem__("leaf_count", 0)))
        case("proof-root", "FAILED: proof root is not the published root",
             lambda p, r: p.__setitem__("root", flip(p["root"])))
        case("taken-at", "FAILED: proof and root record differ in taken_at",
             lambda p, r: p.__setitem__("taken_at", "2026-12-31T23:59:59Z"))
        case("sum-2^127" if depth else "total-2^127",
             r"FAILED: proof (path\[0\]\.sum|total) is not a decimal integer string from 0 to 2\^127-1",
             (lambda p, r: p["path"][0].__setitem__("sum", str(2 ** 127))) if depth else
             (lambda p, r: p.__setitem__("total", str(2 ** 127))))
        # sibling sums each below 2^127 that reach it when added: the
        # leaf's amount plus a first sibling of 2^127 - amount
        if depth and a > 0 and not is_padding(proof, 0):
            case("overflow", r"FAILED: the sum at level 1 reaches 2\^127",
                 lambda p, r: p["path"][0].__setitem__("sum", str(2 ** 127 - a)))


def not_canonical(w, label, snap, code):
    """Field-format cases on the proof of the first leaf."""
    root = snap.root_record(code)
    proof = snap.proof(snap.order[0], code)
    depth = len(proof["path"])
    A = r" is not a decimal integer string from 0 to 2\^127-1"
    I = r" is not a JSON integer from 0 to 2\^53-1"
    H = r" is not 64 lower-case hex digits"
    cases = [
        # (what, want, target, key path, new value)
        ("snapshot_id as a string", "proof snapshot_id" + I, "p", ["snapshot_id"], str(proof["snapshot_id"])),
        ("snapshot_id as 12.0", "proof snapshot_id" + I, "p", ["snapshot_id"], float(proof["snapshot_id"])),
        ("root snapshot_id as a string", "root record snapshot_id" + I, "r", ["snapshot_id"], "1"),
        ("leaf_count as a string", "proof leaf_count" + I, "p", ["leaf_count"], str(proof["leaf_count"])),
        ("root leaf_count as a string", "root record leaf_count" + I, "r", ["leaf_count"], str(root["leaf_count"])),
        ("index as a string", r"proof leaf\.index" + I, "p", ["leaf", "index"], "0"),
        ("index -1", r"proof leaf\.index" + I, "p", ["leaf", "index"], -1),
        ("index true", r"proof leaf\.index" + I, "p", ["leaf", "index"], True),
        ("index 2^53", r"proof leaf\.index" + I, "p", ["leaf", "index"], 2 ** 53),
        ("amount as a number", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], 0),
        ("amount -1", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], "-1"),
        ("amount +1", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], "+1"),
        ("amount 1e3", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], "1e3"),
        ("amount with a blank", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], " 1"),
        ("amount with a newline", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], "1\n"),
        ("amount 01", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], "01"),
        ("amount empty", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], ""),
        ("amount 1.0", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], "1.0"),
        ("amount 0x10", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], "0x10"),
        ("amount in Arabic-Indic digits", r"proof leaf\.amount" + A, "p", ["leaf", "amount"], "\u0661"),
        ("total as a number", "proof total" + A, "p", ["total"], int(proof["total"]) % 1000),
        ("root total as a number", "root record total" + A, "r", ["total"], 5),
        ("leaf hash of 63 digits", r"proof leaf\.hash" + H, "p", ["leaf", "hash"], proof["leaf"]["hash"][:63]),
        ("salt of 63 digits", r"proof leaf\.salt" + H, "p", ["leaf", "salt"], proof["leaf"]["salt"][1:]),
        ("proof root of 65 digits", "proof root" + H, "p", ["root"], proof["root"] + "0"),
        ("root of 63 digits", "root record root" + H, "r", ["root"], root["root"][:63]),
        ("upper-case leaf hash", r"proof leaf\.hash" + H, "p", ["leaf", "hash"], proof["leaf"]["hash"].upper()),
        ("upper-case root", "root record root" + H, "r", ["root"], root["root"].upper()),
        ("upper-case user_id", "proof user_id is not a lower-case UUID with hyphens", "p", ["user_id"],
         proof["user_id"].upper()),
        ("user_id without hyphens", "proof user_id is not a lower-case UUID with hyphens", "p", ["user_id"],
         proof["user_id"].replace("-", "")),
        ("lower-case currency", "proof currency is not 1 to 8 upper-case ASCII letters or digits", "p",
         ["currency"], code.lower()),
        ("currency of 9 letters", "root record currency is not 1 to 8 upper-case ASCII letters or digits",
         "r", ["currency"], "XPXPXPXPX"),
        ("proof format", 'proof format is not "xphere-liability-proof-v1"', "p", ["format"],
         "xphere-liability-proof-v2"),
        ("root format", 'root record format is not "xphere-liability-root-v1"', "r", ["format"],
         "xphere-liability-proof-v1"),
        ("taken_at a number", "proof taken_at is not a string", "p", ["taken_at"], 20261231),
        ("unknown proof field", 'proof has unknown field "extra"', "p", ["extra"], 1),
        ("unknown root field", 'root record has unknown field "note"', "r", ["note"], "x"),
        ("unknown leaf field", 'proof leaf has unknown field "sum"', "p", ["leaf", "sum"], "0"),
        ("leaf an array", "proof leaf is not a JSON object", "p", ["leaf"], []),
        ("path an object", "proof path is not a JSON array", "p", ["path"], {}),
    ]
    if depth:
        cases += [
            ("path sum as a number", r"proof path\[0\]\.sum" + A, "p", ["path", 0, "sum"], 1),
            ("path hash of 63 digits", r"proof path\[0\]\.hash" + H, "p", ["path", 0, "hash"],
             proof["path"][0]["hash"][:63]),
            ("path entry a string", r"proof path\[0\] is not a JSON object", "p", ["path", 0], "x"),
        ]
    for what, want, target, keys, value in cases:
        p, r = copy.deepcopy(proof), copy.deepcopy(root)
        obj = p if target == "p" else r
        for key in keys[:-1]:
            obj = obj[key]
        obj[keys[-1]] = value
        w.add("not-canonical", f"{label} {code}: {what}", "FAILED: " + want, p, r)
    for what, drop, want in [("proof without path", "path", 'proof lacks field "path"'),
                             ("proof without user_id", "user_id", 'proof lacks field "user_id"')]:
        p = copy.deepcopy(proof)
        del p[drop]
        w.add("not-canonical", f"{label} {code}: {what}", "FAILED: " + want, p, root)
    w.add("not-canonical", f"{label} {code}: root without total",
          'FAILED: root record lacks field "total"', proof,
          {k: v for k, v in root.items() if k != "total"})
    w.add("not-canonical", f"{label} {code}: proof an array", "FAILED: proof is not a JSON object",
          [proof], root)
    # number literals JSON.parse would turn into integers
    good = json.dumps({"proof": proof, "root": root})
    for lit in ("-0", "1E1", "0.0"):
        text = good.replace('"index": %d' % proof["leaf"]["index"], '"index": ' + lit, 1)
        w.add("not-canonical", f"{label} {code}: index {lit}",
              r"FAILED: proof leaf\.index" + I, text=text)
    err = r"ERROR: line \d+ is not a JSON object with proof and root"
    w.add("not-json", f"{label} {code}: duplicate key", err,
          text=good.replace('"format": ', '"format": "x", "format": ', 1))
    w.add("not-json", f"{label} {code}: NaN", err,
          text=good.replace('"snapshot_id": %d' % proof["snapshot_id"], '"snapshot_id": NaN', 1))
    w.add("not-json", f"{label} {code}: no root", err, text=json.dumps({"proof": proof}))
    w.add("not-json", f"{label} {code}: truncated", err, text=good[:-1])


def main(outdir):
    w = Writer(outdir)
    for label, snap, other in snapshots():
        for code in CURRENCIES:
            tampered(w, label, snap, other, code)
            not_canonical(w, label, snap, code)
    with open(os.path.join(outdir, "kinds.tsv"), "w") as f:
        for kind, what in KINDS.items():
            f.write(f"{kind}\t{what}\n")


if __name__ == "__main__":
    main(sys.argv[1])

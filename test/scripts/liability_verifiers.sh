#!/usr/bin/env bash
#
# test/scripts/liability_verifiers.sh - the two proof-of-liabilities verifiers of
# examples/ (Python and Node) accept every real inclusion proof, refuse
# every tampered one, and agree with each other line for line; the test
# vector of test/fixtures/liability_vector.json holds.
#
# No database: the trees come from test/lib/liability_tree.py, a
# reference implementation of doc/liabilities.md ("The hash construction
# (version 1)") that shares no code with the verifiers.
#
#   1. The test vector: the reference reproduces its salts, leaf order,
#      levels, root records and proof; a second computation written here
#      with hashlib alone (no reference) reproduces the salts, order, leaf
#      hashes, level-1 nodes, roots and totals; both verifiers accept the
#      vector's proof with the same, exact OK line, and their module APIs
#      return the user, amount in wei and snapshot.
#   2. test/lib/liability_cases.py builds snapshots of 1, 2, 3, 5, 8, 9
#      and 100 users and two with an amount of 2^127-1 (zero amounts
#      included, XP and USDT) and writes every user's real proof and many
#      tampered ones (see KINDS there).  Both verifiers check them all in
#      --batch mode: per kind, every line matches what the case wants (the
#      exact OK line, or FAILED with the reasons the tampering can lead
#      to), and the two outputs are identical.
#   3. The command line, once per kind on one proof: a real proof exits
#      0, a tampered one exits 1, both verifiers printing the same line;
#      unreadable input, invalid JSON and usage errors exit 2.
# python3 or node (>= 18) missing fails the test.
#
# Run by test/run.sh (it ignores the PG* variables); by hand:
#     bash test/scripts/liability_verifiers.sh
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d -t xphere-liability-verifiers.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
started=$SECONDS
export PYTHONDONTWRITEBYTECODE=1	# no __pycache__ in the source tree

PY_VERIFIER=$ROOT/examples/python/verify_liability_proof.py
JS_VERIFIER=$ROOT/examples/node/verify_liability_proof.js
REFERENCE=$ROOT/test/lib/liability_tree.py
VECTOR=$ROOT/test/fixtures/liability_vector.json

if ! command -v python3 >/dev/null; then
	not_ok "python3 is installed"
	finish
fi
if ! command -v node >/dev/null; then
	not_ok "node is installed (the Node verifier needs Node >= 18)"
	finish
fi
check "node is version 18 or later" \
	"$(node -e 'console.log(Number(process.versions.node.split(".")[0]) >= 18)')" true

# run_py / run_js ARGS...: a verifier's command line; prints its output
# and then "exit N" on a line of its own
run_py() {
	local rc=0
	python3 "$PY_VERIFIER" "$@" 2>/dev/null || rc=$?
	echo "exit $rc"
}
run_js() {
	local rc=0
	node "$JS_VERIFIER" "$@" 2>/dev/null || rc=$?
	echo "exit $rc"
}
# json FILE EXPR: the Python expression EXPR on d = the JSON of FILE, as
# canonical JSON (sorted keys)
json() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps(eval(sys.argv[2]), sort_keys=True))' "$1" "$2"
}

# ---------------------------------------------------------------------------
# 1. the test vector

json "$VECTOR" 'd["input"]' >"$TMP/vector_input.json"
python3 "$REFERENCE" explain "$TMP/vector_input.json" >"$TMP/explain.json"
python3 "$REFERENCE" build "$TMP/vector_input.json" >"$TMP/build.json"
for part in salts order levels; do
	check "vector: the reference reproduces the $part" \
		"$(json "$TMP/explain.json" "d['$part']")" "$(json "$VECTOR" "d['expected']['$part']")"
done
check "vector: the reference reproduces the root records" \
	"$(json "$TMP/build.json" 'd["roots"]')" "$(json "$VECTOR" 'd["expected"]["roots"]')"
check "vector: the reference reproduces the proof" \
	"$(json "$TMP/build.json" 'd["proofs"]["5f0e2a6c-3b1d-4c8e-9a27-1d4b6e8f0a13"]["XP"]')" \
	"$(json "$VECTOR" 'd["expected"]["proof"]')"

# The same values computed again from the specification, without the
# reference: three leaves, so level 1 is (leaf 0, leaf 1) and (leaf 2,
# empty node) and the root is the node of those two.
independent=$(python3 - "$VECTOR" <<-'EOF'
	import hashlib, json, sys
	v = json.load(open(sys.argv[1]))
	inp, want = v["input"], v["expected"]
	H = lambda b: hashlib.sha256(b).digest()
	secret = bytes.fromhex(inp["secret"])
	uid = lambda u: bytes.fromhex(u.replace("-", ""))
	w16 = lambda a: bytes.fromhex("%032x" % a)
	cur8 = lambda c: c.encode() + bytes(8 - len(c))
	salts = {u["user_id"]: H(secret + uid(u["user_id"])) for u in inp["users"]}
	order = sorted(salts, key=lambda u: salts[u].hex())
	amounts = {u["user_id"]: u["amounts"] for u in inp["users"]}
	got = {"salts": {u: salts[u].hex() for u in order}, "order": order, "levels": {}}
	for c in inp["currencies"]:
	    leaves = [(H(b"\0" + salts[u] + uid(u) + cur8(c) + w16(int(amounts[u][c]))),
	               int(amounts[u][c])) for u in order]
	    node = lambda l, r: (H(b"\1" + l[0] + w16(l[1]) + r[0] + w16(r[1])), l[1] + r[1])
	    level1 = [node(leaves[0], leaves[1]), node(leaves[2], (bytes(32), 0))]
	    top = node(level1[0], level1[1])
	    got["levels"][c] = [[{"hash": h.hex(), "sum": str(s)} for h, s in level]
	                        for level in (leaves, level1, [top])]
	for key in ("salts", "order", "levels"):
	    print(key, "ok" if got[key] == want[key] else "differs")
	for c in inp["currencies"]:
	    h, s = got["levels"][c][2][0]["hash"], got["levels"][c][2][0]["sum"]
	    r = want["roots"][c]
	    print("root", c, "ok" if (h, s, r["leaf_count"]) == (r["root"], r["total"], 3) else "differs")
EOF
)
check "vector: a computation with hashlib alone gives the same salts, order, levels, roots and totals" \
	"$independent" "$(printf '%s\n' 'salts ok' 'order ok' 'levels ok' 'root XP ok' 'root USDT ok')"

json "$VECTOR" 'd["expected"]["proof"]' >"$TMP/vector_proof.json"
json "$VECTOR" 'd["expected"]["roots"]["XP"]' >"$TMP/vector_root.json"
vector_ok="OK: user 5f0e2a6c-3b1d-4c8e-9a27-1d4b6e8f0a13 holds 12.5 XP in snapshot 1 (leaf 1 of 3; root 4c3994fb6a956440fb7868df1c26190398b0bffd1a387196d36f72b634770209, total 1250.0678 XP)"
check "vector: the Python verifier accepts the proof" \
	"$(run_py "$TMP/vector_proof.json" "$TMP/vector_root.json")" "$vector_ok"$'\nexit 0'
check "vector: the Node verifier accepts the proof" \
	"$(run_js "$TMP/vector_proof.json" "$TMP/vector_root.json")" "$vector_ok"$'\nexit 0'
check "vector: the proof is accepted read from standard input, by both verifiers" \
	"$(python3 "$PY_VERIFIER" - "$TMP/vector_root.json" <"$TMP/vector_proof.json")
$(node "$JS_VERIFIER" "$TMP/vector_proof.json" - <"$TMP/vector_root.json")" "$vector_ok"$'\n'"$vector_ok"

# the module APIs: the verified leaf, and the reason of a failure
check "vector: Python verify() returns user, currency, amount in wei and snapshot; raises ProofError" \
	"$(cd "$ROOT/examples/python" && python3 - "$TMP/vector_proof.json" "$TMP/vector_root.json" <<-'EOF'
	import json, sys
	from verify_liability_proof import ProofError, verify
	proof, root = (json.load(open(f)) for f in sys.argv[1:3])
	v = verify(proof, root)
	print(v.user_id, v.currency, v.amount, v.snapshot_id, type(v.amount).__name__)
	proof["leaf"]["amount"] = "1"
	try:
	    verify(proof, root)
	except ProofError as e:
	    print(e)
	EOF
	)" "5f0e2a6c-3b1d-4c8e-9a27-1d4b6e8f0a13 XP 12500000000000000000 1 int
leaf hash does not match salt, user_id, currency and amount"
check "vector: Node verify() returns user, currency, amount in wei and snapshot; throws ProofError" \
	"$(node - "$JS_VERIFIER" "$TMP/vector_proof.json" "$TMP/vector_root.json" <<-'EOF'
	const [mod, pf, rf] = process.argv.slice(2);
	const { verify, ProofError } = require(mod);
	const fs = require('fs');
	const proof = JSON.parse(fs.readFileSync(pf)), root = JSON.parse(fs.readFileSync(rf));
	const v = verify(proof, root);
	console.log(v.user_id, v.currency, v.amount.toString(), v.snapshot_id, typeof v.amount);
	proof.leaf.amount = '1';
	try { verify(proof, root); } catch (e) { console.log(e instanceof ProofError, e.message); }
	EOF
	)" "5f0e2a6c-3b1d-4c8e-9a27-1d4b6e8f0a13 XP 12500000000000000000 1 bigint
true leaf hash does not match salt, user_id, currency and amount"

# ---------------------------------------------------------------------------
# 2. real and tampered proofs, in batch mode

python3 "$ROOT/test/lib/liability_cases.py" "$TMP"
rc=0
python3 "$PY_VERIFIER" --batch "$TMP/cases.jsonl" >"$TMP/py.out" || rc=$?
check "batch: the Python verifier exits 2 (some lines are not JSON on purpose)" "$rc" 2
rc=0
node "$JS_VERIFIER" --batch "$TMP/cases.jsonl" >"$TMP/js.out" || rc=$?
check "batch: the Node verifier exits 2 (some lines are not JSON on purpose)" "$rc" 2
n=$(wc -l <"$TMP/cases.jsonl")
check "batch: the Python verifier prints one line per case" "$(wc -l <"$TMP/py.out")" "$n"
check "batch: the Node verifier prints one line per case" "$(wc -l <"$TMP/js.out")" "$n"
differ=$(diff "$TMP/py.out" "$TMP/js.out" | head -20 || true)
check_empty "batch: the two verifiers print identical lines for all $n cases" "$differ"

# per kind: "ok|KIND|N|WHAT" or "bad|KIND|N|WHAT|DETAIL", DETAIL a few
# cases whose line does not match
python3 - "$TMP" >"$TMP/kinds.out" <<-'EOF'
	import json, re, sys
	from collections import defaultdict
	tmp = sys.argv[1]
	kinds = dict(line.rstrip("\n").split("\t") for line in open(f"{tmp}/kinds.tsv"))
	want = [json.loads(line) for line in open(f"{tmp}/expect.jsonl")]
	outs = {name: open(f"{tmp}/{name}.out").read().split("\n")[:-1] for name in ("py", "js")}
	count, bad = defaultdict(int), defaultdict(list)
	for i, w in enumerate(want):
	    count[w["kind"]] += 1
	    for name, lines in outs.items():
	        got = lines[i] if i < len(lines) else "(no line)"
	        if not re.fullmatch(w["want"], got):
	            bad[w["kind"]].append(f"{name}: {w['case']}: {got[:160]}")
	for kind, what in kinds.items():
	    if count[kind] == 0:
	        print(f"bad|{kind}|0|{what}|no case of this kind")
	    elif bad[kind]:
	        print(f"bad|{kind}|{count[kind]}|{what}|" + " ;; ".join(bad[kind][:3]))
	    else:
	        print(f"ok|{kind}|{count[kind]}|{what}|")
EOF
while IFS='|' read -r status kind count what detail; do
	if [ "$status" = ok ]; then
		ok "batch, $kind ($count cases): $what, in both verifiers"
	else
		not_ok "batch, $kind ($count cases): $what, in both verifiers"
		printf '%s\n' "$detail" | sed 's/ ;; /\n/g' | diag
	fi
done <"$TMP/kinds.out"

# ---------------------------------------------------------------------------
# 3. the command line: one proof per kind, as files

python3 - "$TMP" <<-'EOF'
	import json, os, sys
	tmp = sys.argv[1]
	os.mkdir(f"{tmp}/cli")
	seen = set()
	cases = open(f"{tmp}/cases.jsonl").read().split("\n")
	for i, line in enumerate(open(f"{tmp}/expect.jsonl")):
	    w = json.loads(line)
	    if w["kind"] in seen or w["kind"] == "not-json" or not w["case"].startswith("n5 XP"):
	        continue
	    seen.add(w["kind"])
	    case = json.loads(cases[i])
	    for part in ("proof", "root"):
	        with open(f"{tmp}/cli/{w['kind']}.{part}.json", "w") as f:
	            json.dump(case[part], f)
EOF
for proof in "$TMP"/cli/*.proof.json; do
	kind=${proof##*/}
	kind=${kind%.proof.json}
	root=${proof%.proof.json}.root.json
	py=$(run_py "$proof" "$root")
	js=$(run_js "$proof" "$root")
	if [ "$kind" = real ]; then want='OK: *exit 0'; else want='FAILED: *exit 1'; fi
	# shellcheck disable=SC2053
	if [[ ${py//$'\n'/ } == $want && "$py" = "$js" ]]; then
		ok "command line, $kind: exit ${py##*exit }, the same line from both verifiers"
	else
		not_ok "command line, $kind: exit status and line"
		printf 'python: %s\nnode:   %s\n' "$py" "$js" | diag
	fi
done

# input that is not a proof at all: exit 2, in both
printf '{"format": "a", "format": "b"}' >"$TMP/duplicate.json"
printf '{"snapshot_id": NaN}' >"$TMP/nan.json"
printf '\xef\xbb\xbf{}' >"$TMP/bom.json"
printf '{"a": "\xff"}' >"$TMP/latin1.json"
printf '{"a": 1} x' >"$TMP/trailing.json"
for bad in duplicate nan bom latin1 trailing; do
	check "command line: $bad.json is not strict JSON: exit 2 in both" \
		"$(run_py "$TMP/$bad.json" "$TMP/vector_root.json") $(run_js "$TMP/$bad.json" "$TMP/vector_root.json")" \
		"exit 2 exit 2"
done
check "command line: a missing file exits 2 in both" \
	"$(run_py "$TMP/nothing.json" "$TMP/vector_root.json") $(run_js "$TMP/vector_proof.json" "$TMP/nothing.json")" \
	"exit 2 exit 2"
check "command line: no argument, one argument, both - or an unknown option exit 2 in both" \
	"$(run_py; run_py "$TMP/vector_proof.json"; run_py - -; run_py --frobnicate a b
	   run_js; run_js "$TMP/vector_proof.json"; run_js - -; run_js --frobnicate a b)" \
	"$(printf 'exit 2\n%.0s' 1 2 3 4 5 6 7 8)"

finish

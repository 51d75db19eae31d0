#!/usr/bin/env bash
#
# test/scripts/liabilities.sh - the database's proofs of liabilities are those of
# the specification, and the verifiers of examples/ judge them right.
#
# 0. The test vector of doc/liabilities.md (test/fixtures/liability_vector.json,
#    computed in Python): in a database of its own, its three users (by id)
#    deposit its amounts, and the C builder (liability_build), given its
#    secret, gives its two root records and its proof, JSON value for
#    JSON value.
# A platform of 40 users built through the API (deposits with wei-level
# digits, machines, stakes, supplies, loans with interest running, pending
# withdrawals, one user with nothing), a day and some hours later:
#   1. take_liability_snapshot(), then every user's proof in both
#      currencies and both root records, as a backend would fetch them.
#   2. The reference implementation test/lib/liability_tree.py, fed the
#      snapshot's secret (read as the superuser) and each user's amounts
#      computed from portfolio() at the snapshot's clock (the API's own
#      view of a user, not liabilities_at()), builds the same root records
#      and the same proofs, JSON value for JSON value.
#   3. Both verifiers (examples/python, examples/node, --batch) accept
#      every real proof with the same OK line, and refuse, with the same
#      FAILED line, each tampered one: an amount one wei more, two path
#      entries swapped, a sibling sum changed, a published total one wei
#      more, and every proof of this snapshot checked against the root of
#      a second snapshot taken after a transfer.
#   4. One instant: while pgbench runs transfers of USDT back and forth
#      between two users, five snapshots are taken; in each, the USDT
#      total is the platform's (transfers move money, they do not make
#      it), and the two users' leaves add up to what they held together.
#   5. check_invariants() is empty at the end.
# python3, node (>= 18) or pgbench missing fails the test.
#
# Run by test/run.sh (PGHOST, PGPORT, PGUSER = a superuser); by hand:
#     pg_virtualenv -t bash test/scripts/liabilities.sh
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DB=xphere_liabilities_$$
TMP=$(mktemp -d -t xphere-liabilities.XXXXXX)
DBV=${DB}_vector
trap 'cleanup_databases "$DB" "$DBV"' EXIT
started=$SECONDS
export PYTHONDONTWRITEBYTECODE=1

for tool in python3 node "$PGBIN/pgbench"; do
	if ! command -v "$tool" >/dev/null; then
		not_ok "$tool is installed (test/deps.sh)"
		finish
	fi
done

# --- 0. the test vector, by the C code --------------------------------------
VECTOR=$ROOT/test/fixtures/liability_vector.json
"$PGBIN/createdb" "$DBV"
python3 - "$VECTOR" >"$TMP/vector.sql" <<-'PY'
	import json, sys
	v = json.load(open(sys.argv[1]))
	i = v["input"]
	print("SET xphere.clock = '2026-12-31 23:59:59+00';")
	print("CREATE EXTENSION xphere CASCADE;")
	for n, u in enumerate(i["users"]):
	    print(f"INSERT INTO xphere.users (id, email, password_hash, name) "
	          f"VALUES ('{u['user_id']}', 'v{n}@example.com', '!', 'V{n}');")
	    for cur, wei in u["amounts"].items():
	        if int(wei):
	            print(f"SELECT xphere.deposit('{u['user_id']}', '{cur}', ({wei}::numeric / 1e18)::xphere.wad, "
	                  f"'0x' || encode(sha256('v{n}{cur}'), 'hex'));")
	print("INSERT INTO xphere.liability_snapshots (taken_at, leaf_count) VALUES (xphere.now(), 3);")
	print(f"INSERT INTO xphere.liability_secrets VALUES (1, decode('{i['secret']}', 'hex'));")
	print("INSERT INTO xphere.liability_trees SELECT 1, b.currency::xphere.currency, b.root, b.total, b.leaf_count, "
	      "b.depth, b.available, b.locked, b.supplied, b.staked, b.staking_rewards, b.mining_rewards "
	      "FROM xphere_internal.liability_build(1, decode('" + i["secret"] + "', 'hex'), xphere.now()) b;")
	PY
sql_on "$DBV" -f "$TMP/vector.sql" >/dev/null
{
	sql_on "$DBV" -c "SET xphere.clock = '2026-12-31 23:59:59+00'" -c "SELECT xphere.liability_root('XP', 1)"
	sql_on "$DBV" -c "SET xphere.clock = '2026-12-31 23:59:59+00'" -c "SELECT xphere.liability_root('USDT', 1)"
	sql_on "$DBV" -c "SET xphere.clock = '2026-12-31 23:59:59+00'" \
		-c "SELECT xphere.liability_proof('$(python3 -c "import json; print(json.load(open('$VECTOR'))['expected']['proof']['user_id'])")', 'XP', 1)"
} >"$TMP/vector.out"
check "the C builder reproduces the test vector: both root records and the proof" \
	"$(python3 - "$VECTOR" "$TMP/vector.out" <<-'PY'
	import json, sys
	e = json.load(open(sys.argv[1]))["expected"]
	got = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
	print(got == [e["roots"]["XP"], e["roots"]["USDT"], e["proof"]])
	PY
	)" True

T1='2027-01-01 00:00:00+00'
T2='2027-01-02 03:17:29.5+00'
"$PGBIN/createdb" "$DB"
sql >/dev/null <<-EOF
	SET xphere.clock = '$T1';
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	CREATE TABLE public.u AS
		SELECT i, xphere.register_user('u' || i || '@example.com', 'password-' || i, 'U' || i) AS id
		FROM generate_series(1, 40) i;
	SELECT xphere.set_price('XP', 1);
	SELECT count(xphere.deposit(id, 'XP', (150 + i * 1.25 + i * 0.000000000000000001)::text::xphere.wad,
		'0x' || encode(sha256(('xp' || i)::bytea), 'hex'))) FROM public.u WHERE i < 40;
	SELECT count(xphere.deposit(id, 'USDT', (300 + i * 7.5 + i * 0.000000000000000003)::text::xphere.wad,
		'0x' || encode(sha256(('usdt' || i)::bytea), 'hex'))) FROM public.u WHERE i < 40;
	SELECT count(xphere.purchase_machine(id, 'p1')) FROM public.u WHERE i <= 10;
	SELECT count(xphere.stake(id, 100 + i, 'explorer')) FROM public.u WHERE i BETWEEN 11 AND 20;
	SELECT count(xphere.supply(id, 'lp-xp', 50 + i)) FROM public.u WHERE i BETWEEN 21 AND 30;
	SELECT count(xphere.borrow(id, 'lp-xp', 20 + i, 'USDT', 200)) FROM public.u WHERE i BETWEEN 31 AND 35;
	SELECT count(xphere.request_withdrawal(id, 'USDT', 10, '0x' || repeat('ab', 20))) FROM public.u
		WHERE i BETWEEN 36 AND 38;
EOF

# --- 1. a snapshot, every proof, both roots ---------------------------------
sql -c "SET xphere.clock = '$T2'" -c "SELECT count(*) FROM xphere.take_liability_snapshot()" >/dev/null
S1=$(sql -c "SELECT max(id) FROM xphere.liability_snapshots")
sql -c "SET xphere.clock = '$T2'" -c "
	SELECT json_build_object('proof', xphere.liability_proof(u.id, c.c, $S1),
		'root', xphere.liability_root(c.c, $S1))
	FROM public.u CROSS JOIN unnest(enum_range(NULL::xphere.currency)) c(c) ORDER BY u.i, c.c" \
	>"$TMP/real.jsonl"
check "40 users x 2 currencies: 80 proofs" "$(wc -l <"$TMP/real.jsonl")" 80

# --- 2. the reference builds the same trees -----------------------------------
sql -c "SET xphere.clock = '$T2'" -c "
	SELECT json_build_object('secret', encode(x.secret, 'hex'), 'snapshot_id', $S1,
		'taken_at', xphere.liability_root('XP', $S1)->>'taken_at', 'currencies', json_build_array('XP', 'USDT'),
		'users', (SELECT json_agg(json_build_object('user_id', u.id, 'amounts',
				(SELECT json_object_agg(p.currency, ((p.available::numeric + p.locked::numeric
						+ p.supplied::numeric + p.staked::numeric + p.pending_staking_rewards::numeric
						+ p.pending_mining_rewards::numeric) * 1e18)::numeric(40, 0)::text)
				 FROM xphere.portfolio(u.id) p)) ORDER BY u.i)
			FROM public.u))
	FROM xphere.liability_secrets x WHERE x.snapshot_id = $S1" >"$TMP/input.json"
python3 "$ROOT/test/lib/liability_tree.py" build "$TMP/input.json" >"$TMP/reference.json"
out=$(python3 - "$TMP/reference.json" "$TMP/real.jsonl" <<-'PY'
	import json, sys
	ref = json.load(open(sys.argv[1]))
	bad = []
	roots = {}
	for line in open(sys.argv[2]):
	    case = json.loads(line)
	    p, r = case["proof"], case["root"]
	    roots[r["currency"]] = r
	    want = ref["proofs"][p["user_id"]][p["currency"]]
	    if p != want:
	        bad.append(f"proof of {p['user_id']} in {p['currency']}: {json.dumps(p)} != {json.dumps(want)}")
	for cur, r in roots.items():
	    if r != ref["roots"][cur]:
	        bad.append(f"root of {cur}: {json.dumps(r)} != {json.dumps(ref['roots'][cur])}")
	print("\n".join(bad) if bad else f"same {len(roots)} roots")
	PY
)
check "the reference, from the secret and portfolio(), builds the database's root records and 80 proofs" \
	"$out" "same 2 roots"
check "portfolio() in wei adds up to each published total" \
	"$(python3 -c "
import json; d = json.load(open('$TMP/input.json')); r = json.load(open('$TMP/reference.json'))
print(all(sum(int(u['amounts'][c]) for u in d['users']) == int(r['roots'][c]['total']) for c in ('XP', 'USDT')))")" True

# --- 3. the verifiers -------------------------------------------------------
verify_both() {	# verify_both NAME: both verifiers over $TMP/NAME.jsonl, outputs compared
	local name=$1
	python3 "$ROOT/examples/python/verify_liability_proof.py" --batch "$TMP/$name.jsonl" \
		>"$TMP/$name.py" 2>&1 || true
	node "$ROOT/examples/node/verify_liability_proof.js" --batch "$TMP/$name.jsonl" \
		>"$TMP/$name.js" 2>&1 || true
	if cmp -s "$TMP/$name.py" "$TMP/$name.js"; then
		ok "$name: the Python and Node verifiers print the same lines"
	else
		not_ok "$name: the Python and Node verifiers print the same lines"
		diff "$TMP/$name.py" "$TMP/$name.js" | head -10 | diag
	fi
}
verify_both real
check "real: all 80 proofs verify" "$(grep -c '^OK: ' "$TMP/real.py" || true)" 80
check "real: alice's line names her amount in decimal" \
	"$(sed -n 1p "$TMP/real.py" | grep -c "^OK: user $(sql -c "SELECT id FROM public.u WHERE i = 1") holds ")" 1

# the second snapshot, after a transfer
sql -c "SET xphere.clock = '$T2'" -c "SELECT xphere.transfer(a.id, b.id, 'XP', 1) FROM public.u a, public.u b
	WHERE a.i = 1 AND b.i = 2" -c "SELECT count(*) FROM xphere.take_liability_snapshot()" >/dev/null
S2=$(sql -c "SELECT max(id) FROM xphere.liability_snapshots")
python3 - "$TMP" "$(sql -c "SELECT xphere.liability_root('XP', $S2)")" \
	"$(sql -c "SELECT xphere.liability_root('USDT', $S2)")" <<-'PY'
	import json, sys
	tmp = sys.argv[1]
	other = {r["currency"]: r for r in map(json.loads, sys.argv[2:4])}
	real = [json.loads(line) for line in open(f"{tmp}/real.jsonl")]
	def write(name, cases):
	    with open(f"{tmp}/{name}.jsonl", "w") as f:
	        for c in cases:
	            f.write(json.dumps(c) + "\n")
	def tampered(edit):
	    out = []
	    for c in real:
	        c = json.loads(json.dumps(c))
	        if edit(c["proof"], c["root"]) is not False:
	            out.append(c)
	    return out
	def more(p, r):
	    p["leaf"]["amount"] = str(int(p["leaf"]["amount"]) + 1)
	def swap(p, r):
	    if len(p["path"]) < 2:
	        return False
	    p["path"][0], p["path"][1] = p["path"][1], p["path"][0]
	def sibling(p, r):
	    e = p["path"][-1]
	    e["sum"] = str(int(e["sum"]) + 1 if e["sum"] == "0" else int(e["sum"]) - 1)
	def total(p, r):
	    r["total"] = str(int(r["total"]) + 1)
	    p["total"] = r["total"]
	write("amount", tampered(more))
	write("swapped", tampered(swap))
	write("sibling", tampered(sibling))
	write("total", tampered(total))
	write("other", [{"proof": c["proof"], "root": other[c["root"]["currency"]]} for c in real])
	PY
for name in amount swapped sibling total other; do
	verify_both "$name"
	check "$name: every tampered proof fails" \
		"$(grep -vc '^FAILED: ' "$TMP/$name.py" || true) $(grep -c '^FAILED: ' "$TMP/$name.py" || true)" "0 80"
done

# --- 4. one instant, while money moves --------------------------------------
A=$(sql -c "SELECT id FROM public.u WHERE i = 3")
B=$(sql -c "SELECT id FROM public.u WHERE i = 4")
PAIR=$(sql -c "SET xphere.clock = '$T2'" -c "SELECT sum(amount) FROM xphere_internal.liabilities_at(xphere.now())
	WHERE currency = 'USDT' AND user_id IN ('$A', '$B')")
TOTAL=$(sql -c "SET xphere.clock = '$T2'" -c "SELECT total FROM xphere.take_liability_snapshot() WHERE currency = 'USDT'")
cat >"$TMP/transfer.sql" <<-EOF
	SELECT xphere.transfer('$A', '$B', 'USDT', 3.500000000000000007);
	SELECT xphere.transfer('$B', '$A', 'USDT', 3.500000000000000007);
EOF
PGOPTIONS="-c xphere.clock=2027-01-02T03:17:29.5+00" pgbench_run transfers -c 2 -T 6 -f "$TMP/transfer.sql" >"$TMP/transfers.rc" &
BG_PIDS+=($!)
sleep 1
seen=""
for n in 1 2 3 4 5; do
	snap=$(sql -c "SET xphere.clock = '$T2'" -c "SELECT snapshot_id || ' ' || CASE WHEN total = '$TOTAL'::xphere.wad THEN 't' ELSE 'f' END
		FROM xphere.take_liability_snapshot() WHERE currency = 'USDT'")
	seen+="${snap#* }"
	seen+=$(sql -c "SET xphere.clock = '$T2'" -c "
		SELECT sum((xphere.liability_proof(x, 'USDT', ${snap% *})->'leaf'->>'amount')::numeric)
			= '$PAIR'::numeric * 1e18
		FROM unnest(ARRAY['$A', '$B']::uuid[]) x")
	sleep 0.5
done
wait "${BG_PIDS[@]}"
BG_PIDS=()
check "pgbench ran the transfers without an error" \
	"$(cat "$TMP/transfers.rc") $(pgbench_value transfers 'number of failed transactions')" "0 0"
done_tx=$(pgbench_value transfers 'number of transactions actually processed')
check_true "pgbench made transfers meanwhile (more than 100)" \
	"$([ "${done_tx:-0}" -gt 100 ] && echo t)" "pgbench processed ${done_tx:-no} transactions"
check "five snapshots taken while transfers ran: each has the USDT total, and the pair's leaves add up" \
	"$seen" "tttttttttt"

invariants_ok "the end" "$T2"
finish

#!/usr/bin/env bash
#
# test/scripts/clients.sh - the client backends of examples/python (psycopg 3) and
# examples/node (node-postgres, the versions pinned in package-lock.json)
# work against a real server and map xphere's SQLSTATEs to the HTTP
# statuses of their tables.
#
# Each language's CLI plays the same scenario in a database of its own,
# logged in as a role in xphere_backend (requests confined by SET LOCAL
# xphere.user_id) and, for deposits and prices, a role in xphere_admin.
# The clock is fixed for both roles (ALTER ROLE ... SET xphere.clock, as
# the superuser); each CLI call is a new session.  It ensures:
#   - users and tokens: register returns a user and a refresh token; the
#     same email again is 409 (23505); login returns the same user, a
#     wrong password is 401 (28P01); a rotated token gives a new one; the
#     old one presented again is 401 and revokes the new one too (401,
#     28P01);
#   - deposits through the operator connection: a replay of a tx_hash
#     returns the first transaction id, the same tx_hash for another
#     amount is 409 (23505);
#   - buying plan p1 leaves 1000 - (p1's price in the seed of
#     sql/install/mining/mining.sql) USDT; plan p4 is then an overdraft, 409
#     (XP001); the accounts a request reads through row-level security
#     are the user's own two; bob's request for alice's balance is 403
#     (42501);
#   - staking 100 XP and supplying 500 XP leave 400 XP; a borrow of 300 XP
#     against 500 USDT locks the collateral (USDT 500 available, 500
#     locked) and pays out 300 XP; 400 XP against 500 USDT exceeds the
#     75% LTV: 422 (XP003); carol repaying bob's loan is 403 (42501); bob
#     repays 100 and owes 200 (no time passes, so no interest);
#   - the liquidator loop finds nothing while the health factor is 2; after
#     XP rises to 2.2 (HF = 500 x 0.8 / (200 x 2.2) < 0.95, so the close
#     factor is 100%) it liquidates exactly bob's position: 200 XP repaid,
#     200 x 2.2 x 1.05 = 462 USDT seized; carol ends with 800 XP and 462
#     USDT, bob with 1000 - 462 USDT; a second round finds nothing;
#   - the events listener of each language (as the operator role) reports
#     that liquidation from xphere.events (kind, position, liquidator) and
#     ignores a forged notification;
#   - 197 100 s later (a multiple of the explorer tier's exact step, see
#     below) the pending mining rewards are floor(1.2 XP x 197100 / 86400)
#     and the pending staking rewards 100 XP x 5% x 197100 / 31 536 000,
#     both worked out here with Python integers;
#   - the operator's snapshot then has three leaves per currency; alice's
#     proof of liabilities in XP passes the language's verifier
#     (examples/*/verify_liability_proof.*) with 1000 XP (400 available, 500 supplied at index 1, 100 staked)
#     plus those pending rewards; bob's request for alice's proof is 403
#     (42501).
#
# Run by test/run.sh (PGHOST, PGPORT, PGUSER = a superuser); by hand:
#     pg_virtualenv -t bash test/scripts/clients.sh
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d -t xphere-clients.XXXXXX)
R=xpcl$$
PW=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
DBS=()
cleanup() {
	cleanup_databases "${DBS[@]}"
	drop_roles "${R}_api" "${R}_ops"
}
trap cleanup EXIT
started=$SECONDS

PYTHON=${XPHERE_PYTHON:-/usr/bin/python3}   # Debian's, where python3-psycopg is
for tool in node npm; do
	command -v "$tool" >/dev/null || { not_ok "$tool is installed (test/deps.sh)"; finish; }
done
"$PYTHON" -c 'import psycopg' 2>/dev/null || { not_ok "python3 can import psycopg (python3-psycopg, test/deps.sh)"; finish; }
if ! (cd "$ROOT/examples/node" && npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1); then
	not_ok "npm ci in examples/node"
	diag "$TMP/npm.log"
	finish
fi
ok "npm ci installed examples/node's locked dependencies"

T0='2027-01-01 00:00:00+00'
ELAPSED=197100                    # seconds from T0 to T1
T1='2027-01-03 06:45:00+00'

# Independent figures.  The plan prices and daily returns from the seed.
plan() {	# plan ID COLUMN(4 = price, 6 = daily return)
	sed -n "s/^\t('$1', \(.*\)),\{0,1\};\{0,1\}\$/\1/p" "$ROOT/sql/install/mining/mining.sql" |
		awk -F', ' -v c="$(($2 - 1))" '{ gsub("\047", "", $c); print $c }'
}
P1_PRICE=$(plan p1 4) P1_DAILY=$(plan p1 6) P4_PRICE=$(plan p4 4)
check "the seed of sql/install/mining/mining.sql gives p1 and p4 (price, daily XP)" \
	"$P1_PRICE $P1_DAILY $P4_PRICE" "100 1.2 5000"
calc() {
	"$PYTHON" -c "from fractions import Fraction as F
$1"
}
# wad text of a Fraction, exact
WAD='def wad(x):
    n = x.numerator * 10**18 // x.denominator
    s = "-" if n < 0 else ""; n = abs(n)
    i, f = divmod(n, 10**18)
    return s + str(i) + ("." + ("%018d" % f).rstrip("0") if f else "")'
USDT_AFTER_P1=$(calc "$WAD
print(wad(1000 - F('$P1_PRICE')))")
# mining: floor(daily x online microseconds / 86 400 000 000) raw units
MINING=$(calc "$WAD
print(wad(F(F('$P1_DAILY') * 10**18 * $ELAPSED * 10**6 // (86400 * 10**6), 10**18)))")
# staking: index(t) = index0 + floor(apy x (t - t0) / year) in ray units
# with t0 the tier's checkpoint; when apy x ELAPSED / year is a whole number
# of ray units the two floors differ by exactly that, wherever t0 is.
STEP=$(calc "import math; a = 5 * 10**25; y = 31536000 * 10**6; print(y // math.gcd(a, y))")
check "ELAPSED is a multiple of the explorer tier's exact step (${STEP} us)" \
	"$(( ELAPSED * 1000000 % STEP ))" 0
STAKING=$(calc "$WAD
idx = 5 * 10**25 * $ELAPSED * 10**6 // (31536000 * 10**6)
print(wad(F(100 * 10**18 * idx // 10**27, 10**18)))")
# liquidation at T0: threshold 0.8, bonus 0.05 (the defaults of lp-xp)
read -r HF_BELOW SEIZED < <(calc "$WAD
hf = F(500) * F('0.8') / (200 * F('2.2'))
print(hf < F('0.95'), wad(200 * F('2.2') * F('1.05')))")
check "fixture: HF after the rally is below 0.95 (close factor 100%)" "$HF_BELOW" True
BOB_USDT_END=$(calc "$WAD
print(wad(1000 - F('$SEIZED')))")

"$PGBIN/psql" -X -q -d postgres -v ON_ERROR_STOP=1 >/dev/null <<-EOF
	DROP ROLE IF EXISTS ${R}_api;
	DROP ROLE IF EXISTS ${R}_ops;
	CREATE ROLE ${R}_api LOGIN PASSWORD '$PW';
	CREATE ROLE ${R}_ops LOGIN PASSWORD '$PW';
EOF

# j JSON EXPR: EXPR in Python on the parsed JSON d
j() { "$PYTHON" -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }
hex64() { printf '0x%064x' "$1"; }

scenario() {	# scenario LANG
	local lang=$1 db=xphere_clients_$1_$$ out rc
	DBS+=("$db")
	DB=$db
	echo "# $lang"
	"$PGBIN/createdb" "$db"
	sql >/dev/null <<-EOF
		CREATE EXTENSION xphere CASCADE;
		UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
		GRANT xphere_backend TO ${R}_api;
		GRANT xphere_admin TO ${R}_ops;
		ALTER ROLE ${R}_api SET xphere.clock = '$T0';
		ALTER ROLE ${R}_ops SET xphere.clock = '$T0';
	EOF
	local url="postgresql://${R}_%s:$PW@$ROLE_HOST:${PGPORT:-5432}/$db"
	# shellcheck disable=SC2059
	export XPHERE_APP_DSN=$(printf "$url" api) XPHERE_ADMIN_DSN=$(printf "$url" ops)
	c() {	# c ARGS...: the CLI; OUT = its output, RC = its exit status
		RC=0
		[ -z "${XPHERE_CLIENTS_TIMING:-}" ] || echo "$(date +%s.%N) $*" >>"$XPHERE_CLIENTS_TIMING"
		case $lang in
		python) OUT=$(cd "$ROOT/examples/python" && "$PYTHON" cli.py "$@" 2>"$TMP/err") || RC=$? ;;
		node) OUT=$(node "$ROOT/examples/node/cli.js" "$@" 2>"$TMP/err") || RC=$? ;;
		esac
		if [ "$RC" != 0 ] && [ "$RC" != 3 ]; then
			echo "# $lang cli $* failed ($RC):"
			diag "$TMP/err"
		fi
	}
	status() { [ "$RC" = 3 ] && j "$OUT" '"%s %s" % (d["error"]["status"], d["error"]["sqlstate"])' || echo "exit $RC: $OUT"; }

	# users and tokens
	c register alice@example.com 'password-alice' Alice
	local alice t1
	alice=$(j "$OUT" 'd["user_id"]') t1=$(j "$OUT" 'd["refresh_token"]')
	c register bob@example.com 'password-bob' Bob; local bob; bob=$(j "$OUT" 'd["user_id"]')
	c register carol@example.com 'password-carol' Carol; local carol; carol=$(j "$OUT" 'd["user_id"]')
	check "$lang: register returns distinct users" \
		"$(sql -c "SELECT count(DISTINCT id) FROM xphere.users WHERE id IN ('$alice', '$bob', '$carol')")" 3
	c register ALICE@example.com 'password-other' Other
	check "$lang: the same email again is 409 (23505)" "$(status)" "409 23505"
	c login alice@example.com 'password-alice'
	check "$lang: login returns alice's id" "$(j "$OUT" 'd["user_id"]')" "$alice"
	c login alice@example.com 'password-wrong'
	check "$lang: a wrong password is 401 (28P01)" "$(status)" "401 28P01"
	c refresh "$t1"
	local t2; t2=$(j "$OUT" 'd["refresh_token"]')
	check_true "$lang: refresh rotates to a new token" \
		"$([[ $t2 =~ ^[0-9a-f]{64}$ && $t2 != "$t1" ]] && echo t)" "$OUT"
	c refresh "$t1"
	check "$lang: the rotated token presented again is 401" "$(status)" "401 None"
	c refresh "$t2"
	check "$lang: ... and it revoked the new token too: 401 (28P01)" "$(status)" "401 28P01"

	# deposits
	c deposit "$alice" USDT 1000 "$(hex64 1)"; local dep; dep=$(j "$OUT" 'd["transaction_id"]')
	c deposit "$alice" USDT 1000 "$(hex64 1)"
	check "$lang: a replayed deposit returns the first transaction id" "$(j "$OUT" 'd["transaction_id"]')" "$dep"
	c deposit "$alice" USDT 999 "$(hex64 1)"
	check "$lang: the same tx_hash for another amount is 409 (23505)" "$(status)" "409 23505"
	c deposit "$alice" USDT abc "$(hex64 9)"
	check "$lang: a malformed amount is 422 (22P02), not a crash" "$(status)" "422 22P02"
	c deposit "$alice" XP 1000 "$(hex64 2)"
	c deposit "$bob" USDT 1000 "$(hex64 3)"
	c deposit "$carol" XP 1000 "$(hex64 4)"

	# mining
	c buy "$alice" p1; local machine; machine=$(j "$OUT" 'd["machine_id"]')
	check "$lang: the machine is alice's, ONLINE" \
		"$(sql -c "SELECT user_id, status FROM xphere.user_machines WHERE id = '$machine'")" "$alice|ONLINE"
	c accounts "$alice"
	check "$lang: alice's request sees her two accounts only; USDT after p1" \
		"$(j "$OUT" '[(a["user_id"], a["currency"], a["available"], a["locked"]) for a in d["accounts"]]')" \
		"[('$alice', 'USDT', '$USDT_AFTER_P1', '0'), ('$alice', 'XP', '1000', '0')]"
	c buy "$alice" p4
	check "$lang: p4 ($P4_PRICE USDT) with $USDT_AFTER_P1 is an overdraft: 409 (XP001)" "$(status)" "409 XP001"
	c balance "$bob" USDT "$alice"
	check "$lang: bob's request for alice's balance is 403 (42501)" "$(status)" "403 42501"

	# staking and lending
	c stake "$alice" 100; local stake; stake=$(j "$OUT" 'd["stake_id"]')
	c set-price XP 1
	c supply "$alice" lp-xp 500
	check "$lang: supply returns the supplied balance" "$(j "$OUT" 'd["supplied"]')" 500
	c balance "$alice" XP
	check "$lang: alice has 1000 - 100 staked - 500 supplied XP" "$(j "$OUT" 'd["balance"]')" 400
	c borrow "$bob" lp-xp 400 USDT 500
	check "$lang: 400 XP against 500 USDT exceeds the LTV: 422 (XP003)" "$(status)" "422 XP003"
	c borrow "$bob" lp-xp 300 USDT 500; local pos; pos=$(j "$OUT" 'd["position_id"]')
	c accounts "$bob"
	check "$lang: the borrow pays out 300 XP and locks 500 USDT" \
		"$(j "$OUT" '[(a["currency"], a["available"], a["locked"]) for a in d["accounts"]]')" \
		"[('USDT', '500', '500'), ('XP', '300', '0')]"
	c repay "$carol" "$pos" 10
	check "$lang: carol repaying bob's loan is 403 (42501)" "$(status)" "403 42501"
	c repay "$bob" "$pos" 100
	check "$lang: bob repays 100" "$(j "$OUT" 'd["repaid"]')" 100
	c debt "$bob" "$pos"
	check "$lang: bob owes 200" "$(j "$OUT" 'd["debt"]')" 200

	# the liquidator and the events listener
	c liquidator "$carol" --rounds 1
	check "$lang: the liquidator finds nothing at HF 2" "$(j "$OUT" 'd["liquidations"]')" "[]"
	local lout=$TMP/$lang.events
	case $lang in
	python) "$PYTHON" "$ROOT/examples/python/events_listener.py" \
		"$XPHERE_ADMIN_DSN" --exit-after 20 >"$lout" 2>"$lout.err" & ;;
	node) node "$ROOT/examples/node/events_listener.js" "$XPHERE_ADMIN_DSN" --exit-after 20 >"$lout" 2>"$lout.err" & ;;
	esac
	local listener=$!
	BG_PIDS+=("$listener")
	for _ in $(seq 200); do
		grep -q '"listening"' "$lout" 2>/dev/null && break
		sleep 0.05
	done
	sql -c "NOTIFY xphere_events, '{\"id\": 987654321, \"kind\": \"liquidation\"}'"
	c set-price XP 2.2
	c liquidator "$carol" --rounds 1
	check "$lang: the liquidator liquidates bob's position: 200 XP repaid, $SEIZED USDT seized" \
		"$(j "$OUT" '[(l["position_id"], l.get("debt_repaid"), l.get("collateral_seized")) for l in d["liquidations"]]')" \
		"[('$pos', '200', '$SEIZED')]"
	c liquidator "$carol" --rounds 1
	check "$lang: a second round finds nothing" "$(j "$OUT" 'd["liquidations"]')" "[]"
	c accounts "$carol"
	check "$lang: carol has 800 XP and the seized USDT" \
		"$(j "$OUT" '[(a["currency"], a["available"], a["locked"]) for a in d["accounts"]]')" \
		"[('USDT', '$SEIZED', '0'), ('XP', '800', '0')]"
	c accounts "$bob"
	check "$lang: bob keeps 1000 - $SEIZED USDT" \
		"$(j "$OUT" 'str(sum(__import__("decimal").Decimal(a["available"]) + __import__("decimal").Decimal(a["locked"]) for a in d["accounts"] if a["currency"] == "USDT"))')" \
		"$BOB_USDT_END"
	for _ in $(seq 100); do
		grep -q '"kind": *"liquidation"' "$lout" && break
		sleep 0.05
	done
	kill "$listener" 2>/dev/null || true
	wait "$listener" 2>/dev/null || true
	check "$lang: the listener reports the liquidation from xphere.events and ignores the forged id" \
		"$("$PYTHON" - "$lout" <<-'PYEOF'
			import json, sys
			lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
			print(sorted("ignored" if "ignored" in l else
			             "%s %s %s" % (l["kind"], l["payload"]["position_id"], l["payload"]["liquidator"])
			             for l in lines if "ignored" in l or l.get("kind") == "liquidation"))
		PYEOF
		)" "['ignored', 'liquidation $pos $carol']"
	[ "$fails" -eq 0 ] || { diag "$lout"; diag "$lout.err"; }

	# time passes
	sql >/dev/null -c "ALTER ROLE ${R}_api SET xphere.clock = '$T1'" -c "ALTER ROLE ${R}_ops SET xphere.clock = '$T1'"
	c pending "$alice"
	check "$lang: pending mining rewards after ${ELAPSED}s" "$(j "$OUT" 'd["pending"]')" "$MINING"
	c staking-pending "$alice" "$stake"
	check "$lang: pending staking rewards after ${ELAPSED}s" "$(j "$OUT" 'd["pending"]')" "$STAKING"
	invariants_ok "$lang" "$T1"

	# proof of liabilities: the operator snapshots at T1, alice checks her proof
	c snapshot
	check "$lang: the operator's snapshot has a root per currency over the three users" \
		"$(j "$OUT" '" ".join("%s %s" % (r["currency"], r["leaf_count"]) for r in d["snapshot"])')" "XP 3 USDT 3"
	c proof "$alice" XP
	printf '%s\n' "$OUT" >"$TMP/proof-$lang.jsonl"
	local verify=("$PYTHON" "$ROOT/examples/python/verify_liability_proof.py")
	[ "$lang" = python ] || verify=(node "$ROOT/examples/node/verify_liability_proof.js")
	check "$lang: alice's proof passes the $lang verifier with 1000 XP + her pending rewards" \
		"$("${verify[@]}" --batch "$TMP/proof-$lang.jsonl" | sed 's/ in snapshot .*//')" \
		"OK: user $alice holds $XP_OWED XP"
	c proof "$bob" XP "$alice"
	check "$lang: bob's request for alice's proof is 403 (42501)" "$(status)" "403 42501"
}

# alice's XP at T1: 400 available + 500 supplied (every loan was closed at
# T0, so the pool's index is still 1) + 100 staked + the pending rewards
XP_OWED=$(calc "$WAD
print(wad(1000 + F('$MINING') + F('$STAKING')))")

scenario python
scenario node

finish

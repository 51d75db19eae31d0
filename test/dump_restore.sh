#!/usr/bin/env bash
#
# test/dump_restore.sh - pg_dump / pg_restore keep the whole platform.
#
# Run by test/run.sh inside its pg_virtualenv cluster (PGHOST, PGPORT,
# PGUSER = a superuser, ...); by hand:
#     pg_virtualenv -t bash test/dump_restore.sh
#
# Builds a small platform in database A: users, deposits, a completed, a
# failed and a pending withdrawal, a transfer, machines with rewards
# distributed, a setting changed with set_setting, a new plan p9 and the
# seeded plan p1 changed with update_plan, a price, refresh tokens (one
# rotated).  Then pg_dump -Fc A, createdb B, pg_restore -d B, and checks:
#   - pg_restore exits 0 and prints nothing;
#   - B has the extension, at A's version;
#   - every xphere table has the same rows in B as in A (row count, and
#     md5 of the rows as text in order; differing rows are shown);
#   - check_invariants() is empty in B, the house user exists once, p1
#     has its updated values, authenticate() accepts the original
#     password and a refresh token issued in A rotates in B;
#   - B keeps working: a deposit, a transfer, a price, a setting and a
#     distribution succeed there and the invariants still hold.
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

DBA=xphere_dump_a_$$
DBB=xphere_dump_b_$$
TMP=$(mktemp -d -t xphere-dump.XXXXXX)

T0='2027-01-01 00:00:00+00'
T1='2027-01-02 00:00:00+00'
T2='2027-01-03 00:00:00+00'

TABLES=(users accounts transactions balance_history user_machines mining_rewards
	refresh_tokens prices settings audit_log machine_plans staking_pools lending_pools)

cleanup() {
	resume_worker
	cleanup_databases "$DBA" "$DBB"
}
trap cleanup EXIT

started=$SECONDS

# The background worker (when preloaded) would tick A and B on the real clock
# while they are compared: pause it, and let a cycle in flight finish.
pause_worker

# ---------------------------------------------------------------------------
echo "# platform state in database A"

"$PGBIN/createdb" "$DBA"
sql_on "$DBA" <<-EOF
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

	SET xphere.clock = '$T0';
	SELECT xphere.set_setting('withdrawal_fee_xp', '0.25') \g /dev/null
	SELECT xphere.create_plan('p9', '{"name": "Titan", "machine_name": "Xphere T9",
		"price_usdt": "250", "hashrate": 300, "daily_return_xp": "4.2",
		"description": "Test plan"}') \g /dev/null
	SELECT xphere.update_plan('p1', '{"name": "Starter Plus", "price_usdt": 120,
		"daily_return_xp": "1.75", "image_url": "https://example.invalid/s1.png"}') \g /dev/null
	SELECT xphere.set_price('XP', '0.05') \g /dev/null

	SELECT xphere.register_user('Alice@Example.com', 'alice-secret-1', 'Alice',
		'0x' || repeat('a1', 20)) \g /dev/null
	SELECT xphere.register_user('bob@example.com', 'bob-secret-22', 'Bob') \g /dev/null
	SELECT xphere.register_user('carol@example.com', 'carol-secret-333', 'Carol') \g /dev/null
	CREATE TEMP TABLE u AS SELECT email, id FROM xphere.users;

	SELECT xphere.deposit((SELECT id FROM u WHERE email = 'alice@example.com'), 'USDT', 1000, '0xdffce42017276fc8f924f5248be1844b738c1e96630ef536142c742c9b8334fa') \g /dev/null
	SELECT xphere.deposit((SELECT id FROM u WHERE email = 'alice@example.com'), 'XP', 500, '0x66510afcf8f391c9106100398dbc73ca76a2931ce2bd716d81bed1f531d25117') \g /dev/null
	SELECT xphere.deposit((SELECT id FROM u WHERE email = 'bob@example.com'), 'USDT', 300, '0x63ab6c2d8cfa6e479570baed03728b5a2f6f583c1ba1841554273ce025dc295b') \g /dev/null
	SELECT xphere.deposit((SELECT id FROM u WHERE email = 'carol@example.com'), 'XP', '50.5', '0x85d3020280f390c5b25c84ae68b003143c7dc9fce3d2f12516c98b0126d85f81') \g /dev/null

	SELECT xphere.purchase_machine((SELECT id FROM u WHERE email = 'alice@example.com'), 'p1') \g /dev/null
	SELECT xphere.purchase_machine((SELECT id FROM u WHERE email = 'alice@example.com'), 'p9') \g /dev/null
	SELECT xphere.purchase_machine((SELECT id FROM u WHERE email = 'bob@example.com'), 'p1') \g /dev/null

	SELECT xphere.complete_withdrawal(xphere.request_withdrawal(
		(SELECT id FROM u WHERE email = 'alice@example.com'), 'XP', 100, '0x' || repeat('b2', 20)),
		'0x7804b271c9816bbbd4b65315ba52541762f2ac4a692c6aed4d41db11e66b1e32') \g /dev/null
	SELECT xphere.fail_withdrawal(xphere.request_withdrawal(
		(SELECT id FROM u WHERE email = 'carol@example.com'), 'XP', 10, '0x' || repeat('c3', 20)),
		'address blocked') \g /dev/null
	SELECT xphere.request_withdrawal((SELECT id FROM u WHERE email = 'bob@example.com'), 'USDT', 20,
		'0x' || repeat('d4', 20)) \g /dev/null
	SELECT xphere.transfer((SELECT id FROM u WHERE email = 'alice@example.com'),
		(SELECT id FROM u WHERE email = 'carol@example.com'), 'XP', 25, 'thanks') \g /dev/null

	SELECT xphere.issue_refresh_token((SELECT id FROM u WHERE email = 'bob@example.com')) \g /dev/null
	SELECT xphere.rotate_refresh_token(xphere.issue_refresh_token(
		(SELECT id FROM u WHERE email = 'alice@example.com'))) \g $TMP/token

	SET xphere.clock = '$T1';
	SELECT xphere.distribute_mining_rewards() \g /dev/null
EOF
TOKEN=$(cat "$TMP/token")
echo "# A: $(sql_on "$DBA" -c "SELECT (SELECT count(*) FROM xphere.users) || ' users, '
	|| (SELECT count(*) FROM xphere.transactions) || ' ledger entries, '
	|| (SELECT count(*) FROM xphere.mining_rewards) || ' mining rewards, '
	|| (SELECT count(*) FROM xphere.refresh_tokens) || ' refresh tokens, '
	|| (SELECT count(*) FROM xphere.audit_log) || ' audit rows'")"
check "A is consistent before the dump" \
	"$(sql_on "$DBA" -c "SET xphere.clock = '$T1'" -c "SELECT count(*) FROM xphere.check_invariants()")" 0

# ---------------------------------------------------------------------------
echo "# pg_dump -Fc A; createdb B; pg_restore -d B"

rc=0
"$PGBIN/pg_dump" -Fc -f "$TMP/a.dump" "$DBA" 2>"$TMP/pg_dump.err" || rc=$?
check "pg_dump exits 0" "$rc" 0
# (refresh_tokens.replaced_by references its own table, so pg_dump warns
# about a circular foreign key; rows of one COPY are checked together, so
# that does not break the restore: shown, not counted)
if [ -s "$TMP/pg_dump.err" ]; then
	echo "# pg_dump said:"
	sed 's/^/#   /' "$TMP/pg_dump.err"
fi

"$PGBIN/createdb" "$DBB"
rc=0
"$PGBIN/pg_restore" -d "$DBB" "$TMP/a.dump" >"$TMP/pg_restore.out" 2>&1 || rc=$?
check "pg_restore exits 0" "$rc" 0
if [ -s "$TMP/pg_restore.out" ]; then
	not_ok "pg_restore prints no errors"
	head -60 "$TMP/pg_restore.out" | cut -c1-400 | sed 's/^/#   /'
else
	ok "pg_restore prints no errors"
fi

# ---------------------------------------------------------------------------
echo "# B compared with A"

check "the extension exists in B, at A's version" \
	"$(sql_on "$DBB" -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")" \
	"$(sql_on "$DBA" -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")"

for t in "${TABLES[@]}"; do
	q="SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '-')
		FROM xphere.$t t"
	a=$(sql_on "$DBA" -c "$q" 2>&1 || true)
	b=$(sql_on "$DBB" -c "$q" 2>&1 || true)
	if [ "${a%%,*}" = "${b%%,*}" ]; then
		ok "$t: same row count in B (${a%%,*})"
	else
		not_ok "$t: same row count in B"
		printf '#   A: %s\n#   B: %s\n' "${a%%,*}" "${b%%,*}"
	fi
	if [ "$a" = "$b" ]; then
		ok "$t: same contents in B"
	else
		not_ok "$t: same contents in B"
		rows="SELECT t::text FROM xphere.$t t ORDER BY 1"
		diff <(sql_on "$DBA" -c "$rows" 2>&1) <(sql_on "$DBB" -c "$rows" 2>&1) |
			grep '^[<>]' | head -12 | cut -c1-400 | sed 's/^</#   only in A:/; s/^>/#   only in B:/' || true
	fi
done

check "check_invariants() returns no rows in B" \
	"$(sql_on "$DBB" -c "SET xphere.clock = '$T1'" \
		-c "SELECT coalesce(string_agg(invariant || ': ' || detail, '; '), '') FROM xphere.check_invariants()")" ""
check "the house user exists once in B" \
	"$(sql_on "$DBB" -c "SELECT count(*) FROM xphere.users
		WHERE id = xphere.house_id() OR email = 'house@xphere.invalid'")" 1
q="SELECT string_agg(id || ' ' || email, ', ' ORDER BY id) FROM xphere.users WHERE role = 'system'"
check "B has the same system users as A, once each" "$(sql_on "$DBB" -c "$q")" "$(sql_on "$DBA" -c "$q")"
check "seeded plan p1 keeps its updated values in B" \
	"$(sql_on "$DBB" -c "SELECT name, price_usdt, daily_return_xp, image_url, machine_name
		FROM xphere.machine_plans WHERE id = 'p1'")" \
	"Starter Plus|120|1.75|https://example.invalid/s1.png|ASIC XP1 Mini"
check "plan p9 exists in B" \
	"$(sql_on "$DBB" -c "SELECT name, price_usdt, daily_return_xp FROM xphere.machine_plans WHERE id = 'p9'")" \
	"Titan|250|4.2"
check "the changed setting keeps its value in B" \
	"$(sql_on "$DBB" -c "SELECT xphere.setting('withdrawal_fee_xp')")" "0.25"
check "authenticate() in B accepts the original password" \
	"$(sql_on "$DBB" -c "SELECT xphere.authenticate('alice@example.com', 'alice-secret-1')
		= (SELECT id FROM xphere.users WHERE email = 'alice@example.com')" 2>&1)" t
out=$(sql_on "$DBB" -c '\set VERBOSITY sqlstate' \
	-c "SELECT xphere.authenticate('alice@example.com', 'wrong-password')" 2>&1 || true)
check "authenticate() in B refuses a wrong password (28P01)" "$out" "ERROR:  28P01"
check "a refresh token issued in A rotates in B" \
	"$(sql_on "$DBB" -c "SET xphere.clock = '$T1'" \
		-c "SELECT length(xphere.rotate_refresh_token('$TOKEN'))" 2>&1)" 64

# ---------------------------------------------------------------------------
echo "# B keeps working after the restore"

try() {	# DESCRIPTION PSQL-ARGS...: the statements succeed in B at clock T2
	local what=$1 out
	shift
	if out=$(sql_on "$DBB" -c "SET xphere.clock = '$T2'" "$@" 2>&1); then
		ok "$what"
	else
		not_ok "$what"
		printf '%s\n' "$out" | head -5 | sed 's/^/#   /'
	fi
}
ALICE=$(sql_on "$DBB" -c "SELECT id FROM xphere.users WHERE email = 'alice@example.com'")
CAROL=$(sql_on "$DBB" -c "SELECT id FROM xphere.users WHERE email = 'carol@example.com'")
try "a new deposit in B" -c "SELECT xphere.deposit('$ALICE', 'XP', 7, '0xf0d04cebe1d7d28985bbd02ad5d86cef13b3dd397c7f6190d62e5fc2b70ef694')"
try "a replayed deposit from A returns its id in B" \
	-c "SELECT xphere.deposit('$ALICE', 'USDT', 1000, '0xdffce42017276fc8f924f5248be1844b738c1e96630ef536142c742c9b8334fa')"
try "a transfer in B" -c "SELECT xphere.transfer('$CAROL', '$ALICE', 'XP', 1)"
try "a new price in B" -c "SELECT xphere.set_price('XP', '0.06')"
try "a setting change in B" -c "SELECT xphere.set_setting('swap_fee_bps', '25')"
try "a new user in B" -c "SELECT xphere.register_user('dave@example.com', 'dave-secret-4', 'Dave')"
try "a distribution in B" -c "SELECT xphere.distribute_mining_rewards()"
check "check_invariants() returns no rows in B after new activity" \
	"$(sql_on "$DBB" -c "SET xphere.clock = '$T2'" \
		-c "SELECT coalesce(string_agg(invariant || ': ' || detail, '; '), '') FROM xphere.check_invariants()")" ""

finish

#!/usr/bin/env bash
#
# test/scripts/dump_restore.sh - pg_dump / pg_restore keep the whole platform.
#
# Run by test/run.sh inside its pg_virtualenv cluster (PGHOST, PGPORT,
# PGUSER = a superuser, ...); by hand:
#     pg_virtualenv -t bash test/scripts/dump_restore.sh
#
# Builds a platform in database A that fills every table of the schema
# (the test fails if one stays empty): users, deposits (one of 20 000 USDT,
# a large_transaction event), a completed, a failed and a pending
# withdrawal, a transfer, a swap, machines with rewards distributed, stakes
# (claimed, unstaked, withdrawn), a supply, borrows, a liquidation, ticks,
# settings changed with set_setting, a new plan p9 and the seeded plan p1
# changed with update_plan, prices, refresh tokens (one rotated), a
# proof-of-liabilities snapshot.  Then
# restores it twice:
#   B: pg_dump -Fc A; createdb B; pg_restore -d B
#   C: pg_dump (plain SQL) A; createdb C; psql -d C -f the dump
# and checks for each:
#   - the restore exits 0 and prints nothing;
#   - the extension exists, at A's version;
#   - every table of schema xphere (listed from the catalog) has the same
#     rows, every column, as in A (differing rows are shown), and every
#     sequence of the schema the same last_value and is_called: the
#     restore wrote no event, no audit row, no updated_at of its own;
#   - a session that LISTENs on xphere_events during the restore receives
#     no notification (and, as a control, receives the one of a large
#     deposit made afterwards);
#   - check_invariants() is empty, the house user exists once, p1 has its
#     updated values, authenticate() accepts the original password and a
#     refresh token issued in A rotates; a user's proof of liabilities of
#     A's snapshot is the one A gave;
#   - the restored database keeps working: a deposit, a transfer, a price,
#     a setting and a distribution succeed and the invariants still hold.
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DBA=xphere_dump_a_$$
DBB=xphere_dump_b_$$
DBC=xphere_dump_c_$$
TMP=$(mktemp -d -t xphere-dump.XXXXXX)

T0='2027-01-01 00:00:00+00'
T1='2027-01-02 00:00:00+00'
T2='2027-01-03 00:00:00+00'
T3='2027-01-04 00:00:00+00'

cleanup() {
	exec 3>&- 2>/dev/null || true
	for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	resume_worker
	cleanup_databases "$DBA" "$DBB" "$DBC"
	rm -rf "$TMP"
}
trap cleanup EXIT

started=$SECONDS

# The background worker (when preloaded) would tick A, B and C on the real
# clock while they are compared: pause it, and let a cycle in flight finish.
pause_worker

# ---------------------------------------------------------------------------
echo "# platform state in database A"

"$PGBIN/createdb" "$DBA"
sql_on "$DBA" <<-EOF
	SET client_min_messages = warning;
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

	SET xphere.clock = '$T0';
	SELECT xphere.set_setting('withdrawal_fee_xp', '0.25') \g /dev/null
	SELECT xphere.set_setting('unbonding_period', '1 day') \g /dev/null
	SELECT xphere.create_plan('p9', '{"name": "Titan", "machine_name": "Xphere T9",
		"price_usdt": "250", "hashrate": 300, "daily_return_xp": "4.2",
		"description": "Test plan"}') \g /dev/null
	SELECT xphere.update_plan('p1', '{"name": "Starter Plus", "price_usdt": 120,
		"daily_return_xp": "1.75", "image_url": "https://example.invalid/s1.png"}') \g /dev/null
	SELECT xphere.set_price('XP', 1) \g /dev/null

	CREATE TEMP TABLE u (name text PRIMARY KEY, id uuid);
	INSERT INTO u SELECT n, xphere.register_user(initcap(n) || '@Example.com', n || '-secret-1',
		initcap(n), CASE n WHEN 'alice' THEN '0x' || repeat('a1', 20) END)
	FROM unnest(ARRAY['alice', 'bob', 'carol', 'dave', 'liz']) n;
	CREATE TEMP TABLE k (name text PRIMARY KEY, id uuid);	-- machines, positions, stakes

	-- bob's 20 000 USDT is a large transaction: an event
	SELECT xphere.deposit(u.id, d.cur::xphere.currency, d.amount::xphere.wad,
		'0x' || lpad(to_hex(d.n), 64, 'd'))
	FROM (VALUES (1, 'alice', 'USDT', '1000'), (2, 'alice', 'XP', '1500'), (3, 'bob', 'USDT', '20000'),
				 (4, 'carol', 'XP', '6000'), (5, 'dave', 'USDT', '1000'), (6, 'liz', 'XP', '2000'),
				 (7, 'carol', 'USDT', '50.5')) d(n, who, cur, amount)
	JOIN u ON u.name = d.who ORDER BY d.n \g /dev/null

	INSERT INTO k SELECT 'm1', xphere.purchase_machine((SELECT id FROM u WHERE name = 'alice'), 'p1');
	INSERT INTO k SELECT 'm2', xphere.purchase_machine((SELECT id FROM u WHERE name = 'alice'), 'p9');
	INSERT INTO k SELECT 'm3', xphere.purchase_machine((SELECT id FROM u WHERE name = 'bob'), 'p1');

	SELECT xphere.complete_withdrawal(xphere.request_withdrawal(
		(SELECT id FROM u WHERE name = 'alice'), 'XP', 100, '0x' || repeat('b2', 20)),
		'0x7804b271c9816bbbd4b65315ba52541762f2ac4a692c6aed4d41db11e66b1e32') \g /dev/null
	SELECT xphere.fail_withdrawal(xphere.request_withdrawal(
		(SELECT id FROM u WHERE name = 'carol'), 'XP', 10, '0x' || repeat('c3', 20)),
		'address blocked') \g /dev/null
	SELECT xphere.request_withdrawal((SELECT id FROM u WHERE name = 'bob'), 'USDT', 20,
		'0x' || repeat('d4', 20)) \g /dev/null
	SELECT xphere.transfer((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM u WHERE name = 'carol'),
		'XP', 25, 'thanks') \g /dev/null
	SELECT xphere.swap((SELECT id FROM u WHERE name = 'alice'), 'USDT', 100) \g /dev/null

	SELECT xphere.issue_refresh_token((SELECT id FROM u WHERE name = 'bob')) \g /dev/null
	SELECT xphere.rotate_refresh_token(xphere.issue_refresh_token(
		(SELECT id FROM u WHERE name = 'alice'))) \g $TMP/token

	INSERT INTO k SELECT 's1', xphere.stake((SELECT id FROM u WHERE name = 'alice'), 200, 'explorer');
	INSERT INTO k SELECT 's2', xphere.stake((SELECT id FROM u WHERE name = 'alice'), 300, 'explorer');
	INSERT INTO k SELECT 's3', xphere.stake((SELECT id FROM u WHERE name = 'alice'), 500, 'pathfinder');

	SELECT xphere.supply((SELECT id FROM u WHERE name = 'carol'), 'lp-xp', 5000) \g /dev/null
	INSERT INTO k SELECT 'b1', xphere.borrow((SELECT id FROM u WHERE name = 'bob'), 'lp-xp', 600, 'USDT', 1000);
	-- dave borrows at the LTV limit: XP at 1.2 makes him liquidatable
	INSERT INTO k SELECT 'b2', xphere.borrow((SELECT id FROM u WHERE name = 'dave'), 'lp-xp', 750, 'USDT', 1000);

	SET xphere.clock = '$T1';
	SELECT xphere.set_price('XP', '1.2') \g /dev/null
	SELECT xphere.tick() \g /dev/null
	SELECT xphere.liquidate((SELECT id FROM u WHERE name = 'liz'), (SELECT id FROM k WHERE name = 'b2')) \g /dev/null
	SELECT xphere.repay((SELECT id FROM u WHERE name = 'bob'), (SELECT id FROM k WHERE name = 'b1'), 100) \g /dev/null
	SELECT xphere.claim_staking_rewards((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM k WHERE name = 's1')) \g /dev/null
	SELECT xphere.unstake((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM k WHERE name = 's2')) \g /dev/null
	SELECT xphere.set_machine_status((SELECT id FROM k WHERE name = 'm3'), 'MAINTENANCE') \g /dev/null

	SET xphere.clock = '$T2';
	SELECT xphere.withdraw_stake((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM k WHERE name = 's2')) \g /dev/null
	SELECT xphere.tick() \g /dev/null
	SELECT xphere.distribute_mining_rewards() \g /dev/null
	SELECT count(*) FROM xphere.take_liability_snapshot() \g /dev/null
EOF
TOKEN=$(cat "$TMP/token")
PROOF_A=$(sql_on "$DBA" -c "SELECT xphere.liability_proof(id, 'XP') FROM xphere.users WHERE email = 'alice@example.com'")

# every table and sequence of the schema, from the catalog
TABLES=$(sql_on "$DBA" -c "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class
	WHERE relnamespace = 'xphere'::regnamespace AND relkind IN ('r', 'p')")
SEQUENCES=$(sql_on "$DBA" -c "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class
	WHERE relnamespace = 'xphere'::regnamespace AND relkind = 'S'")
empty=$(for t in $TABLES; do
	sql_on "$DBA" -c "SELECT '$t' WHERE NOT EXISTS (SELECT FROM xphere.$t)"
done)
check_empty "A: every table of the schema has rows" "$empty"
check "A: a large_transaction event and a liquidation event are among the events" \
	"$(sql_on "$DBA" -c "SELECT count(*) FILTER (WHERE kind = 'large_transaction') > 0
		AND count(*) FILTER (WHERE kind = 'liquidation') > 0 FROM xphere.events")" t
echo "# A: $(sql_on "$DBA" -c "SELECT (SELECT count(*) FROM xphere.users) || ' users, '
	|| (SELECT count(*) FROM xphere.transactions) || ' ledger entries, '
	|| (SELECT count(*) FROM xphere.events) || ' events, '
	|| (SELECT count(*) FROM xphere.audit_log) || ' audit rows'")"
check "A is consistent before the dump" \
	"$(sql_on "$DBA" -c "SET xphere.clock = '$T2'" -c "SELECT count(*) FROM xphere.check_invariants()")" 0

# ---------------------------------------------------------------------------
# listen DB: a psql session on DB that LISTENs on xphere_events, fed through
# file descriptor 3 (output in $TMP/listen.DB).  mark TEXT has it print
# TEXT; psql then prints the notifications it received since the previous
# command, and heard TEXT counts them.
LISTENER=
listen() {
	LISTENER=$1
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	"$PGBIN/psql" -X -qAt -d "$1" <"$TMP/fifo" >"$TMP/listen.$1" 2>&1 &
	BG_PIDS+=($!)
	exec 3>"$TMP/fifo"
	echo "LISTEN xphere_events;" >&3
	mark listening
}
mark() {
	local i
	echo "SELECT '$1';" >&3
	for i in $(seq 1 100); do
		if grep -qx "$1" "$TMP/listen.$LISTENER" 2>/dev/null; then
			sleep 0.2
			return 0
		fi
		sleep 0.1
	done
	not_ok "the listening session answers ($1)"
}
heard() {
	awk -v m="$1" '$0 == m { f = 1; next } f && /^Asynchronous notification/ { n++; next }
		f { exit } END { print n + 0 }' "$TMP/listen.$LISTENER"
}

# compare DB: the restored DB has A's rows and sequences, exactly
compare() {
	local db=$1 t q a b
	check "$db: the extension exists, at A's version" \
		"$(sql_on "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")" \
		"$(sql_on "$DBA" -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")"
	for t in $TABLES; do
		q="SELECT t::text FROM xphere.$t t ORDER BY 1"
		a=$(sql_on "$DBA" -c "$q" 2>&1 || true)
		b=$(sql_on "$db" -c "$q" 2>&1 || true)
		if [ "$a" = "$b" ]; then
			ok "$db: $t has A's rows, every column ($(printf '%s\n' "$a" | grep -c .) rows)"
		else
			not_ok "$db: $t has A's rows, every column"
			diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | grep '^[<>]' | head -12 |
				cut -c1-400 | sed 's/^</#   only in A:/; s/^>/#   only in the restore:/' || true
		fi
	done
	for t in $SEQUENCES; do
		q="SELECT last_value || ' ' || is_called FROM xphere.$t"
		check "$db: sequence $t as in A" "$(sql_on "$db" -c "$q" 2>&1)" "$(sql_on "$DBA" -c "$q")"
	done
	check "$db: the restore added no event" \
		"$(sql_on "$db" -c "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM xphere.events")" \
		"$(sql_on "$DBA" -c "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM xphere.events")"
	check "$db: check_invariants() returns no rows" \
		"$(sql_on "$db" -c "SET xphere.clock = '$T2'" \
			-c "SELECT coalesce(string_agg(invariant || ': ' || detail, '; '), '') FROM xphere.check_invariants()")" ""
	check "$db: the house user exists once" \
		"$(sql_on "$db" -c "SELECT count(*) FROM xphere.users
			WHERE id = xphere_internal.house_id() OR email = 'house@xphere.invalid'")" 1
	q="SELECT string_agg(id || ' ' || email, ', ' ORDER BY id) FROM xphere.users WHERE role = 'system'"
	check "$db: the same system users as A, once each" "$(sql_on "$db" -c "$q")" "$(sql_on "$DBA" -c "$q")"
	check "$db: seeded plan p1 keeps its updated values" \
		"$(sql_on "$db" -c "SELECT name, price_usdt, daily_return_xp, image_url, machine_name
			FROM xphere.machine_plans WHERE id = 'p1'")" \
		"Starter Plus|120|1.75|https://example.invalid/s1.png|ASIC XP1 Mini"
	check "$db: plan p9 exists" \
		"$(sql_on "$db" -c "SELECT name, price_usdt, daily_return_xp FROM xphere.machine_plans WHERE id = 'p9'")" \
		"Titan|250|4.2"
	check "$db: the changed setting keeps its value" \
		"$(sql_on "$db" -c "SELECT xphere_internal.setting('withdrawal_fee_xp')")" "0.25"
}

# try DB DESCRIPTION PSQL-ARGS...: the statements succeed in DB at clock T3
try() {
	local db=$1 what=$2 out
	shift 2
	if out=$(sql_on "$db" -c "SET xphere.clock = '$T3'" "$@" 2>&1); then
		ok "$db: $what"
	else
		not_ok "$db: $what"
		printf '%s\n' "$out" | head -5 | diag
	fi
}

# works DB: the restored DB keeps working (this changes it: compare first)
works() {
	local db=$1 out alice carol
	check "$db: authenticate() accepts the original password" \
		"$(sql_on "$db" -c "SELECT xphere.authenticate('alice@example.com', 'alice-secret-1')
			= (SELECT id FROM xphere.users WHERE email = 'alice@example.com')" 2>&1)" t
	out=$(sql_on "$db" -c '\set VERBOSITY sqlstate' \
		-c "SELECT xphere.authenticate('alice@example.com', 'wrong-password')" 2>&1 || true)
	check "$db: authenticate() refuses a wrong password (28P01)" "$out" "ERROR:  28P01"
	check "$db: a refresh token issued in A rotates" \
		"$(sql_on "$db" -c "SET xphere.clock = '$T2'" \
			-c "SELECT length(xphere.rotate_refresh_token('$TOKEN'))" 2>&1)" 64
	alice=$(sql_on "$db" -c "SELECT id FROM xphere.users WHERE email = 'alice@example.com'")
	check "$db: alice's liability proof of A's snapshot is the one A gave (secret, salts and nodes restored)" \
		"$(sql_on "$db" -c "SELECT xphere.liability_proof('$alice', 'XP') = '$PROOF_A'::jsonb" 2>&1)" t
	carol=$(sql_on "$db" -c "SELECT id FROM xphere.users WHERE email = 'carol@example.com'")
	try "$db" "a new deposit" \
		-c "SELECT xphere.deposit('$alice', 'XP', 7, '0xf0d04cebe1d7d28985bbd02ad5d86cef13b3dd397c7f6190d62e5fc2b70ef694')"
	try "$db" "a replayed deposit from A returns its id" \
		-c "SELECT xphere.deposit('$alice', 'USDT', 1000, '0x' || lpad('1', 64, 'd'))"
	try "$db" "a transfer" -c "SELECT xphere.transfer('$carol', '$alice', 'XP', 1)"
	try "$db" "a new price" -c "SELECT xphere.set_price('XP', '1.3')"
	try "$db" "a setting change" -c "SELECT xphere.set_setting('swap_fee_bps', '25')"
	try "$db" "a new user" -c "SELECT xphere.register_user('erin@example.com', 'erin-secret-4', 'Erin')"
	try "$db" "a distribution" -c "SELECT xphere.distribute_mining_rewards()"
	try "$db" "a tick" -c "SELECT xphere.tick()"
	check "$db: check_invariants() returns no rows after new activity" \
		"$(sql_on "$db" -c "SET xphere.clock = '$T3'" \
			-c "SELECT coalesce(string_agg(invariant || ': ' || detail, '; '), '') FROM xphere.check_invariants()")" ""
}

# restored DB: the checks of a restored DB, whose listener ran during the restore
restored() {
	local db=$1
	mark restored
	check "$db: the session listening during the restore received no notification" \
		"$(heard restored)" 0
	compare "$db"
	works "$db"
	mark worked
	try "$db" "a large deposit after the restore" -c "SELECT xphere.deposit(
		(SELECT id FROM xphere.users WHERE email = 'bob@example.com'), 'USDT', 15000,
		'0x' || repeat('e5', 32))"
	mark control
	check "$db: control: the listening session hears the large deposit" "$(heard control)" 1
	echo '\q' >&3
	exec 3>&-
}

# ---------------------------------------------------------------------------
echo "# B: pg_dump -Fc A; createdb B; pg_restore -d B (a session of B listening)"

rc=0
"$PGBIN/pg_dump" -Fc -f "$TMP/a.dump" "$DBA" 2>"$TMP/pg_dump.err" || rc=$?
check "pg_dump -Fc exits 0" "$rc" 0
# (refresh_tokens.replaced_by references its own table, so pg_dump warns
# about a circular foreign key; rows of one COPY are checked together, so
# that does not break the restore: shown, not counted)
if [ -s "$TMP/pg_dump.err" ]; then
	echo "# pg_dump said:"
	diag "$TMP/pg_dump.err"
fi

"$PGBIN/createdb" "$DBB"
listen "$DBB"
rc=0
"$PGBIN/pg_restore" -d "$DBB" "$TMP/a.dump" >"$TMP/pg_restore.out" 2>&1 || rc=$?
check "pg_restore exits 0" "$rc" 0
out=$(head -60 "$TMP/pg_restore.out" | cut -c1-400)
check_empty "pg_restore prints no errors" "$out" 60
restored "$DBB"

# ---------------------------------------------------------------------------
echo "# C: pg_dump (plain SQL) A; createdb C; psql -f the dump (a session of C listening)"

rc=0
"$PGBIN/pg_dump" -f "$TMP/a.sql" "$DBA" 2>/dev/null || rc=$?
check "pg_dump (plain) exits 0" "$rc" 0
"$PGBIN/createdb" "$DBC"
listen "$DBC"
rc=0
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$DBC" -f "$TMP/a.sql" >/dev/null 2>"$TMP/psql.err" || rc=$?
check "psql -f the plain dump exits 0" "$rc" 0
out=$(head -60 "$TMP/psql.err" | cut -c1-400)
check_empty "psql prints no errors or warnings" "$out" 60
restored "$DBC"

finish

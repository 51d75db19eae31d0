#!/usr/bin/env bash
#
# test/security/stall.sh - no untrusted session holds a shared row beyond
# its call: tick(), set_price() and other users' calls finish within a
# second while a platform user's session sleeps on what it locked.
#
# Run by test/scripts/security_deployments.sh in three clusters (library preloaded,
# session-preloaded, not preloaded); by hand, inside a cluster where the
# roles can log in by password over TCP:
#     PGHOST=127.0.0.1 ... bash test/security/stall.sh
# It makes a database (xphere_stall_PID) and roles (xpst_*) of its own and
# drops them on exit.
#
# alice's role (IN ROLE xphere_app, pinned to alice) first switches off
# every timeout it may (statement_timeout, idle_in_transaction_session_
# timeout, lock_timeout), then:
#   A. a transaction block: BEGIN; swap (locks the house accounts);
#      pg_sleep(12); COMMIT;
#   B. one statement: SELECT supply(...) (locks the pool row), pg_sleep(6);
#   C. idle in a transaction: BEGIN; swap; then nothing for 6 s (psql runs
#      a shell command), then COMMIT;
#   D. BEGIN; swap; then a wait for an advisory lock that another session
#      of alice's holds (and that session makes no API call).
# While each one sleeps or waits, bob's swap (A, C, D) or supply (B), tick() and
# set_price() must each finish within BOUND seconds (xphere.untrusted_lease
# is 250 ms; the bound leaves a generous margin for a loaded machine), and
# are compared with the same calls without the sleeper (a ratio, printed).
# alice's session must lose its transaction: A and B end in 57014 (the
# statement is cancelled) with a WARNING naming xphere.untrusted_lease, C
# in a terminated connection; her swap and supply are not applied (her
# balances are unchanged).
# Lock waits count against the lease once the transaction holds
# something; alice's transfer that waits for its first account (the
# superuser holds both for 3 s) holds nothing while it waits and is not
# cancelled.
# Controls: with a 3 s lease, bob's swap in A does wait (over 1.5 s), so the
# bound is the lease's doing; the same sleep in a trusted backend's
# session is not cut short (the lease is for untrusted roles only).
# PREPARE TRANSACTION after
# a swap is 42501 and keeps nothing (the cluster needs
# max_prepared_transactions > 0, as test/scripts/security_deployments.sh sets).
# check_invariants() is empty at the end.
#
set -euo pipefail
exec </dev/null

# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DB=xphere_stall_$$
TMP=$(mktemp -d -t xphere-stall.XXXXXX)
R=xpst
ROLES=("${R}_alice" "${R}_bob" "${R}_backend")
PW=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
BOUND=1.0

cleanup() {
	cleanup_databases "$DB"
	drop_roles "${ROLES[@]}"
}
trap cleanup EXIT
drop_roles "${ROLES[@]}"	# (what a killed run may have left)
super() { sql "$@"; }
id() { super -c "SELECT v FROM xpst.ids WHERE name = '$1'"; }

# timed ROLE SQL: seconds (3 decimals) that ROLE takes to run SQL; the SQL
# must succeed
timed() {
	local t0 t1
	t0=$(date +%s%N)
	as_role "$1" -c "$2" >/dev/null
	t1=$(date +%s%N)
	echo "scale=3; ($t1 - $t0) / 1000000000" | bc
}
# timed_super SQL: the same as the superuser
timed_super() {
	local t0 t1
	t0=$(date +%s%N)
	super -c "$1" >/dev/null
	t1=$(date +%s%N)
	echo "scale=3; ($t1 - $t0) / 1000000000" | bc
}

started=$SECONDS
command -v bc >/dev/null || {
	not_ok "bc is installed (test/deps.sh)"
	finish
}
"$PGBIN/createdb" "$DB"

super >/dev/null <<-EOF
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	SELECT xphere.set_setting('distribution_interval', '3650 days');
	SELECT xphere.tick();
	CREATE SCHEMA xpst;
	CREATE TABLE xpst.ids (name text PRIMARY KEY, v text NOT NULL);
	INSERT INTO xpst.ids
		SELECT n, xphere.register_user(n || '@stall.test', 'password-' || n, n)
		FROM unnest(ARRAY['alice', 'bob']) n;
	SELECT xphere.set_price('XP', '0.5');
	SELECT xphere.deposit(v::uuid, c::xphere.currency, 1000, '0x' || md5(name || c) || md5(c || name))
		FROM xpst.ids, unnest(ARRAY['XP', 'USDT']) c;
	CREATE ROLE ${R}_alice LOGIN PASSWORD '$PW' IN ROLE xphere_app;
	CREATE ROLE ${R}_bob LOGIN PASSWORD '$PW' IN ROLE xphere_app;
	CREATE ROLE ${R}_backend LOGIN PASSWORD '$PW' IN ROLE xphere_backend;
EOF
ALICE=$(id alice)
BOB=$(id bob)
super >/dev/null <<-EOF
	ALTER ROLE ${R}_alice SET xphere.user_id = '$ALICE';
	ALTER ROLE ${R}_bob SET xphere.user_id = '$BOB';
EOF
check "alice's role acts for alice" "$(as_role "${R}_alice" -c 'SELECT xphere.current_user_id()')" "$ALICE"

# (xphere.untrusted_lease is the superuser's: refused, or without the
# library preloaded a placeholder that loading the library drops)
NO_TIMEOUTS="SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; SET lock_timeout = 0;
SET xphere.untrusted_lease = 60000;"
balances() { super -c "SELECT string_agg(currency || '=' || available || '/' || locked, ' ' ORDER BY currency)
	FROM xphere.accounts WHERE user_id = '$ALICE'"; }
supplied() { super -c "SELECT count(*) FROM xphere.supply_positions WHERE user_id = '$ALICE'"; }

# the victims' calls, and their times without a sleeper
BOB_SWAP="SELECT xphere.swap('$BOB', 'USDT', 1)"
BOB_SUPPLY="SELECT xphere.supply('$BOB', 'lp-xp', 1)"
TICK="SELECT xphere.tick()"
PRICE="SELECT xphere.set_price('XP', '0.5')"
declare -A base
base[swap]=$(timed "${R}_bob" "$BOB_SWAP")
base[supply]=$(timed "${R}_bob" "$BOB_SUPPLY")
base[tick]=$(timed_super "$TICK")
base[price]=$(timed_super "$PRICE")

# wait_holding: until a session of alice's role is in pg_sleep or idle in
# a transaction (at most 5 s)
wait_holding() {
	for _ in $(seq 100); do
		[ "$(super -c "SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = '${R}_alice'
			AND (query LIKE '%pg_sleep%' OR state = 'idle in transaction')")" = t ] && return 0
		sleep 0.05
	done
	return 1
}

# victims NAME CALL...: time bob's call, tick() and set_price() while
# alice's session holds its rows; each within BOUND seconds
victims() {
	local scenario=$1 kind=$2 call=$3 t
	t=$(timed "${R}_bob" "$call")
	check_true "$scenario: bob's $kind finishes within ${BOUND}s (${t}s; ${base[$kind]}s without the sleeper, ratio $(echo "scale=1; $t / ${base[$kind]}" | bc))" \
		"$(echo "$t < $BOUND" | bc | sed 's/1/t/')" "took ${t}s"
	t=$(timed_super "$TICK")
	check_true "$scenario: tick() finishes within ${BOUND}s (${t}s; ${base[tick]}s without, ratio $(echo "scale=1; $t / ${base[tick]}" | bc))" \
		"$(echo "$t < $BOUND" | bc | sed 's/1/t/')" "took ${t}s"
	t=$(timed_super "$PRICE")
	check_true "$scenario: set_price() finishes within ${BOUND}s (${t}s; ${base[price]}s without, ratio $(echo "scale=1; $t / ${base[price]}" | bc))" \
		"$(echo "$t < $BOUND" | bc | sed 's/1/t/')" "took ${t}s"
}

# ---------------------------------------------------------------------------
echo "# A. a transaction block that sleeps after a swap"
before=$(balances)
as_role "${R}_alice" -v ON_ERROR_STOP=0 >"$TMP/a.out" 2>&1 <<-EOF &
	$NO_TIMEOUTS
	BEGIN;
	SELECT xphere.swap('$ALICE', 'USDT', 1);
	SELECT pg_sleep(12);
	\echo sleep :SQLSTATE
	COMMIT;
EOF
BG_PIDS+=($!)
pid_a=$!
wait_holding || not_ok "A: alice's session started sleeping"
victims A swap "$BOB_SWAP"
wait "$pid_a" || true
check "A: alice's sleep was cancelled (57014)" "$(sed -n 's/^sleep //p' "$TMP/a.out")" 57014
check_true "A: the WARNING names xphere.untrusted_lease" \
	"$(grep -q 'WARNING:.*xphere.untrusted_lease' "$TMP/a.out" && echo t)" "$(head -5 "$TMP/a.out")"
check "A: alice's swap was rolled back" "$(balances)" "$before"

# ---------------------------------------------------------------------------
echo "# B. one statement: a supply, then a sleep in the same statement"
as_role "${R}_alice" -v ON_ERROR_STOP=0 >"$TMP/b.out" 2>&1 <<-EOF &
	$NO_TIMEOUTS
	SELECT xphere.supply('$ALICE', 'lp-xp', 1), pg_sleep(6);
	\echo statement :SQLSTATE
EOF
BG_PIDS+=($!)
pid_b=$!
wait_holding || not_ok "B: alice's statement started sleeping"
victims B supply "$BOB_SUPPLY"
wait "$pid_b" || true
check "B: alice's statement was cancelled (57014)" "$(sed -n 's/^statement //p' "$TMP/b.out")" 57014
check "B: alice's supply was rolled back" "$(supplied)" 0
check "B: alice's balances are unchanged" "$(balances)" "$before"

# ---------------------------------------------------------------------------
echo "# C. idle in a transaction after a swap"
as_role "${R}_alice" -v ON_ERROR_STOP=0 >"$TMP/c.out" 2>&1 <<-EOF &
	$NO_TIMEOUTS
	BEGIN;
	SELECT xphere.swap('$ALICE', 'USDT', 1);
	\! sleep 6
	SELECT 1;
	\echo after :SQLSTATE
	COMMIT;
EOF
BG_PIDS+=($!)
pid_c=$!
wait_holding || not_ok "C: alice's session went idle in its transaction"
victims C swap "$BOB_SWAP"
wait "$pid_c" || true
check_true "C: alice's idle session was terminated" \
	"$(grep -Eq 'terminating connection|server closed the connection|connection to server was lost' "$TMP/c.out" && echo t)" \
	"$(head -5 "$TMP/c.out")"
check "C: alice's swap was rolled back" "$(balances)" "$before"

# ---------------------------------------------------------------------------
echo "# controls"
# scenario A with a 3 s lease: bob's swap does wait for alice's session,
# so the bound above is the lease's doing
super -c "ALTER ROLE ${R}_alice SET xphere.untrusted_lease = 3000" >/dev/null
as_role "${R}_alice" -v ON_ERROR_STOP=0 >"$TMP/a2.out" 2>&1 <<-EOF &
	$NO_TIMEOUTS
	BEGIN;
	SELECT xphere.swap('$ALICE', 'USDT', 1);
	SELECT pg_sleep(12);
	COMMIT;
EOF
BG_PIDS+=($!)
pid_a=$!
wait_holding || not_ok "control: alice's session started sleeping"
t=$(timed "${R}_bob" "$BOB_SWAP")
wait "$pid_a" || true
super -c "ALTER ROLE ${R}_alice RESET xphere.untrusted_lease" >/dev/null
check_true "control: with a 3 s lease bob's swap waits for alice's session (${t}s)" \
	"$(echo "$t > 1.5" | bc | sed 's/1/t/')" "took ${t}s"
check "control: alice's swap was rolled back" "$(balances)" "$before"
t0=$(date +%s%N)
out=$(as_role "${R}_backend" -v ON_ERROR_STOP=0 2>&1 <<-EOF
	BEGIN;
	SELECT xphere.swap('$BOB', 'USDT', 1) IS NOT NULL;
	SELECT pg_sleep(1);
	COMMIT;
EOF
)
check "a trusted backend's transaction that sleeps 1 s after a swap is not cut short" "$(echo $out)" "t"

# D. waiting while holding: alice's swap, then a wait for a lock that
# another session of alice's holds (an advisory lock; that session never
# calls the API, so it has no lease of its own).  Waiting counts against
# the lease, so the waiting transaction is cancelled.
as_role "${R}_alice" >"$TMP/h.out" 2>&1 <<-EOF &
	SELECT pg_advisory_lock(4242);
	SELECT pg_sleep(8);
EOF
BG_PIDS+=($!)
pid_h=$!
for _ in $(seq 100); do
	[ "$(super -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted")" = 1 ] && break
	sleep 0.05
done
as_role "${R}_alice" -v ON_ERROR_STOP=0 >"$TMP/d.out" 2>&1 <<-EOF &
	$NO_TIMEOUTS
	BEGIN;
	SELECT xphere.swap('$ALICE', 'USDT', 1);
	SELECT pg_advisory_lock(4242);
	\echo wait :SQLSTATE
	COMMIT;
EOF
BG_PIDS+=($!)
pid_d=$!
for _ in $(seq 100); do
	[ "$(super -c "SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = '${R}_alice'
		AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_lock(4242)%'")" = t ] && break
	sleep 0.05
done
victims D swap "$BOB_SWAP"
wait "$pid_d" || true
kill "$pid_h" 2>/dev/null || true
check "D: alice's wait while holding the house accounts was cancelled (57014)" "$(sed -n 's/^wait //p' "$TMP/d.out")" 57014
check "D: alice's swap was rolled back" "$(balances)" "$before"

# a call of alice's that waits for its first row lock (the superuser holds
# alice's and bob's accounts for 3 s, so whichever a transfer locks first)
# holds nothing while it waits (no transaction id: no row locked, nothing
# written), so the lease does not run and it succeeds
super >/dev/null <<-EOF &
	BEGIN;
	SELECT 1 FROM xphere.accounts WHERE user_id IN ('$ALICE', '$BOB') FOR UPDATE;
	SELECT pg_sleep(3);
	COMMIT;
EOF
BG_PIDS+=($!)
locker=$!
for _ in $(seq 100); do
	[ "$(super -c "SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()")" = t ] && break
	sleep 0.05
done
# (the wait is what is left of the 3 s: at least twice the lease even on a
# loaded machine, or the check says it did not wait)
t=$(timed "${R}_alice" "SELECT xphere.transfer('$ALICE', '$BOB', 'USDT', 1)")
wait "$locker" || true
check_true "alice's transfer that waited ${t}s for its first account, holding nothing, was not cancelled" \
	"$(echo "$t > 0.5" | bc | sed 's/1/t/')" "took ${t}s: did it wait at all?"
before=$(balances)

# two-phase commit would keep the locks with no session left to cancel
out=$(as_role "${R}_alice" -v ON_ERROR_STOP=0 2>&1 <<-EOF
	BEGIN;
	SELECT xphere.swap('$ALICE', 'USDT', 1) IS NOT NULL;
	PREPARE TRANSACTION 'xpst_hold';
	\echo prepare :SQLSTATE
EOF
)
check "alice cannot PREPARE a transaction that swapped (42501)" "$(echo "$out" | sed -n 's/^prepare //p')" 42501
check "no prepared transaction is left" "$(super -c "SELECT count(*) FROM pg_prepared_xacts WHERE gid = 'xpst_hold'")" 0
check "alice's swap was not kept" "$(balances)" "$before"

# ---------------------------------------------------------------------------
rows=$(super -c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()")
check_empty "check_invariants() returns no rows" "$rows"

finish

#!/usr/bin/env bash
#
# test/scripts/ledger_concurrency.sh - the money model under concurrency.
#
# Run by test/run.sh inside its pg_virtualenv cluster (PGHOST, PGPORT,
# PGUSER = a superuser, ...); by hand:
#     pg_virtualenv -t bash test/scripts/ledger_concurrency.sh
#
# In a database of its own (dropped at the end) it checks:
#   1. exactly-once mining distribution: 50 users with one p1 machine each
#      (1.2 XP/day, ERD 3.1), 4 sessions released at the same moment calling
#      distribute_mining_rewards() one day later: 50 reward rows, 60 XP
#      credited, house XP -60, returned counts sum to 50;
#   2. idempotent deposits: 8 sessions depositing the same tx_hash at once
#      get the same id and the balance is credited once; 8 sessions using
#      one tx_hash with 8 different amounts: one succeeds, 7 get 23505;
#   3. ping-pong: 500 transfers A->B and 500 B->A of 1 XP, run at the
#      same time by two pgbench runs: no client sees a deadlock or
#      serialization failure, A and B end where they started (1000 XP
#      each) and there are 500 outgoing and 500 incoming rows for each;
#   4. ~10 s of mixed pgbench load on shared accounts (transfers in random
#      directions and currencies, withdrawal requests, completions and
#      failures, machine purchases locking the house USDT account, mining
#      distributions): no failed transaction, no deadlock;
#   5. a distribution that meets a user's first machine, bought while it
#      runs, and a transfer of that user: neither gets a deadlock;
#   6. lock_accounts() (C) takes its locks in the global (user_id,
#      currency) order whatever order it is given the pairs in, and opens
#      a missing account once;
# and that check_invariants() returns no rows after each part.
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DB=xphere_conc_$$
TMP=$(mktemp -d -t xphere-conc.XXXXXX)
LOAD_SECONDS=${XPHERE_CONC_SECONDS:-10}

# fixed clocks: purchase day, distribution day, mixed-load day
T0='2027-01-01 00:00:00+00'
T1='2027-01-02 00:00:00+00'
T2='2027-01-03 00:00:00+00'

trap 'cleanup_databases "$DB"' EXIT

# pgbench_clean NAME DESCRIPTION RC: pgbench exited 0 (no client aborted),
# no failed transaction, no error message in its output
pgbench_clean() {
	local name=$1 what=$2 rc=$3 bad
	check "$what: pgbench exits 0" "$rc" 0
	check "$what: no failed transactions" "$(pgbench_value "$name" 'number of failed transactions')" 0
	check "$what: no deadlock failures" "$(pgbench_value "$name" 'number of deadlock failures')" 0
	check "$what: no serialization failures" \
		"$(pgbench_value "$name" 'number of serialization failures')" 0
	bad=$(pgbench_errors "$name")
	check_empty "$what: no error reaches a client" "$bad"
}

started=$SECONDS
"$PGBIN/createdb" "$DB"
sql <<-EOF
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
EOF
echo "# database $DB, xphere $(sql -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")"

# ---------------------------------------------------------------------------
echo "# 1. exactly-once mining distribution, 4 sessions at once"

sql <<-EOF
	SET xphere.clock = '$T0';
	SELECT count(xphere.register_user(format('miner%s@conc.test', i), 'password-' || i,
									  'Miner ' || i))
	FROM generate_series(1, 50) i \g /dev/null
	SELECT count(xphere.deposit(u.id, 'USDT', 100, '0x' || encode(sha256(convert_to('usdt-' || u.email, 'UTF8')), 'hex')))
	FROM xphere.users u WHERE u.email LIKE 'miner%' \g /dev/null
	SELECT count(xphere.purchase_machine(u.id, 'p1'))
	FROM xphere.users u WHERE u.email LIKE 'miner%' \g /dev/null
EOF
check "50 users own one p1 machine each" \
	"$(sql -c "SELECT count(*), count(DISTINCT m.user_id), min(m.daily_return_xp), max(m.daily_return_xp)
		FROM xphere.user_machines m JOIN xphere.users u ON u.id = m.user_id
		WHERE u.email LIKE 'miner%' AND m.plan_id = 'p1'")" "50|50|1.2|1.2"

dist_files=()
for i in 1 2 3 4; do
	f=$TMP/distribute.$i.sql
	{
		echo "SET xphere.clock = '$T1';"
		barrier_sql 4201
		echo "SELECT xphere.distribute_mining_rewards();"
	} >"$f"
	dist_files+=("$f")
done
release_together dist 4201 "${dist_files[@]}" || not_ok "dist: the sessions could not be released together"

sum=0
dist_ok=1
for i in 1 2 3 4; do
	if [ "$(cat "$TMP/dist.$i.rc")" != 0 ]; then
		dist_ok=0
		echo "# session $i failed:"
		diag "$TMP/dist.$i.err"
	else
		sum=$((sum + $(cat "$TMP/dist.$i.out")))
	fi
done
check "all 4 distributing sessions succeed" "$dist_ok" 1
echo "# counts returned: $(cat "$TMP"/dist.[1-4].out | paste -sd' ')"
check "the counts returned by the 4 sessions sum to 50" "$sum" 50
check "exactly 50 mining_rewards rows, one per machine, 1.2 XP each" \
	"$(sql -c "SELECT count(*), count(DISTINCT machine_id), min(amount), max(amount), sum(amount)
		FROM xphere.mining_rewards")" "50|50|1.2|1.2|60"
check "users were credited 60 XP in total, 1.2 each" \
	"$(sql -c "SELECT sum(a.available), min(a.available), max(a.available)
		FROM xphere.accounts a JOIN xphere.users u ON u.id = a.user_id
		WHERE u.email LIKE 'miner%' AND a.currency = 'XP'")" "60|1.2|1.2"
check "house XP account is -60" \
	"$(sql -c "SELECT available FROM xphere.accounts
		WHERE user_id = xphere_internal.house_id() AND currency = 'XP'")" "-60"
check "MINING_REWARD entries: 50 user entries and 1 house entry" \
	"$(sql -c "SELECT count(*) FILTER (WHERE user_id <> xphere_internal.house_id()),
			count(*) FILTER (WHERE user_id = xphere_internal.house_id())
		FROM xphere.transactions WHERE type = 'MINING_REWARD'")" "50|1"
check "a 5th distribution at the same clock pays nothing" \
	"$(sql -c "SET xphere.clock = '$T1'" -c "SELECT xphere.distribute_mining_rewards()")" 0
invariants_ok "after the distribution" "$T1"

# ---------------------------------------------------------------------------
echo "# 2. concurrent deposits with the same tx_hash"

sql <<-EOF
	SET xphere.clock = '$T1';
	SELECT xphere.register_user('depositor@conc.test', 'password-d', 'Depositor') \g /dev/null
EOF
D=$(sql -c "SELECT id FROM xphere.users WHERE email = 'depositor@conc.test'")
HASH_SAME=0x$(printf 'a%.0s' $(seq 64))
HASH_DIFF=0x$(printf 'b%.0s' $(seq 64))

dep_files=()
for i in $(seq 8); do
	f=$TMP/dep_same.$i.sql
	{
		echo "SET xphere.clock = '$T1';"
		barrier_sql 4202
		echo "SELECT xphere.deposit('$D', 'USDT', 250, '$HASH_SAME');"
	} >"$f"
	dep_files+=("$f")
done
release_together dep_same 4202 "${dep_files[@]}" || not_ok "dep_same: the sessions could not be released together"
dep_ok=1
for i in $(seq 8); do
	if [ "$(cat "$TMP/dep_same.$i.rc")" != 0 ]; then
		dep_ok=0
		echo "# session $i failed:"
		diag "$TMP/dep_same.$i.err"
	fi
done
check "8 identical concurrent deposits all succeed" "$dep_ok" 1
check "... and all return the same id, the recorded one" \
	"$(cat "$TMP"/dep_same.[1-8].out | sort -u | paste -sd' ')" \
	"$(sql -c "SELECT id FROM xphere.transactions WHERE type = 'DEPOSIT' AND tx_hash = '$HASH_SAME'")"
check "... one DEPOSIT entry and one history row" \
	"$(sql -c "SELECT count(DISTINCT t.id), count(h.id) FROM xphere.transactions t
		LEFT JOIN xphere.balance_history h ON h.transaction_id = t.id
		WHERE t.type = 'DEPOSIT' AND t.tx_hash = '$HASH_SAME'")" "1|1"
check "... balance credited once (250 USDT)" \
	"$(sql -c "SELECT xphere.balance('$D', 'USDT')")" 250

dep_files=()
for i in $(seq 8); do
	f=$TMP/dep_diff.$i.sql
	{
		echo '\set VERBOSITY sqlstate'
		echo "SET xphere.clock = '$T1';"
		barrier_sql 4203
		echo "SELECT xphere.deposit('$D', 'XP', $((10 + i)), '$HASH_DIFF');"
	} >"$f"
	dep_files+=("$f")
done
release_together dep_diff 4203 "${dep_files[@]}" || not_ok "dep_diff: the sessions could not be released together"
winners=0 conflicts=0 other=0 winner_id='' winner_amount=''
for i in $(seq 8); do
	if [ "$(cat "$TMP/dep_diff.$i.rc")" = 0 ]; then
		winners=$((winners + 1))
		winner_id=$(cat "$TMP/dep_diff.$i.out")
		winner_amount=$((10 + i))
	elif grep -q '23505' "$TMP/dep_diff.$i.err"; then
		conflicts=$((conflicts + 1))
	else
		other=$((other + 1))
		echo "# session $i failed otherwise:"
		diag "$TMP/dep_diff.$i.err"
	fi
done
check "same tx_hash, 8 different amounts at once: 1 succeeds, 7 get 23505" \
	"$winners|$conflicts|$other" "1|7|0"
check "... the one recorded entry is the winner's, credited once" \
	"$(sql -c "SELECT t.id, t.amount, count(h.id), xphere.balance('$D', 'XP')
		FROM xphere.transactions t LEFT JOIN xphere.balance_history h ON h.transaction_id = t.id
		WHERE t.type = 'DEPOSIT' AND t.tx_hash = '$HASH_DIFF' GROUP BY t.id, t.amount")" \
	"$winner_id|$winner_amount|1|$winner_amount"
invariants_ok "after the deposits" "$T1"

# ---------------------------------------------------------------------------
echo "# 3. ping-pong: 500 transfers A->B and 500 B->A at once (two pgbench runs)"

sql <<-EOF
	SET xphere.clock = '$T1';
	SELECT xphere.register_user('alice@conc.test', 'password-a', 'Alice') \g /dev/null
	SELECT xphere.register_user('bob@conc.test', 'password-b', 'Bob') \g /dev/null
	SELECT xphere.deposit(id, 'XP', 1000, '0x' || encode(sha256(convert_to('xp-' || email, 'UTF8')), 'hex')) FROM xphere.users
	WHERE email IN ('alice@conc.test', 'bob@conc.test') \g /dev/null
EOF
A=$(sql -c "SELECT id FROM xphere.users WHERE email = 'alice@conc.test'")
B=$(sql -c "SELECT id FROM xphere.users WHERE email = 'bob@conc.test'")
# (pgbench has no :'var' form: -M prepared passes :a and :b as parameters)
echo "SELECT xphere.transfer(:a, :b, 'XP', 1);" >"$TMP/a2b.sql"
echo "SELECT xphere.transfer(:b, :a, 'XP', 1);" >"$TMP/b2a.sql"
# Both directions at the same time, 2 clients x 250 transfers each.  Every
# transfer locks both accounts; the two runs name them in opposite orders,
# so anything but a fixed lock order would deadlock.
for dir in ab ba; do
	f=$TMP/a2b.sql
	[ "$dir" = ba ] && f=$TMP/b2a.sql
	PGOPTIONS="-c xphere.clock=2027-01-02T00:00:00+00" pgbench_run "pingpong_$dir" \
		-M prepared -f "$f" -c 2 -j 2 -t 250 -D a="$A" -D b="$B" >"$TMP/pingpong_$dir.rc" &
	BG_PIDS+=("$!")
done
wait
for dir in ab ba; do
	diag <(grep -E '^(number of|tps|latency average)' "$TMP/pingpong_$dir.log")
	pgbench_clean "pingpong_$dir" "ping-pong $dir" "$(cat "$TMP/pingpong_$dir.rc")"
	check "ping-pong $dir: all 500 transfers were processed" \
		"$(sed -n 's|^number of transactions actually processed: \([0-9]*\)/.*|\1|p' \
			"$TMP/pingpong_$dir.log")" 500
done
check "A and B end where they started: 1000 XP each" \
	"$(sql -c "SELECT xphere.balance('$A', 'XP') || ' ' || xphere.balance('$B', 'XP')")" \
	"1000 1000"
check "2000 TRANSFER rows: an outgoing and an incoming row per transfer" \
	"$(sql -c "SELECT count(*) FROM xphere.transactions WHERE type = 'TRANSFER'
		AND user_id IN ('$A', '$B')")" 2000
check "A has 500 outgoing and 500 incoming TRANSFER rows" \
	"$(sql -c "SELECT count(*) FILTER (WHERE metadata->>'direction' = 'out') || ' '
			|| count(*) FILTER (WHERE metadata->>'direction' = 'in')
		FROM xphere.transactions WHERE type = 'TRANSFER' AND user_id = '$A'")" "500 500"
invariants_ok "after the ping-pong" "$T1"

# ---------------------------------------------------------------------------
echo "# 4. mixed load on shared accounts with pgbench (${LOAD_SECONDS} s)"

# 10 users with plenty of both currencies and a machine bought at T1, so
# that the distribution at T2 pays them while they trade
sql <<-EOF
	SET xphere.clock = '$T1';
	SELECT count(xphere.register_user(format('m%s@conc.test', i), 'password-' || i, 'Trader ' || i))
	FROM generate_series(1, 10) i \g /dev/null
	SELECT count(xphere.deposit(u.id, c, 1000000, '0x' || encode(sha256(convert_to(c || '-' || u.email, 'UTF8')), 'hex')))
	FROM xphere.users u, unnest(ARRAY['XP', 'USDT']::xphere.currency[]) c
	WHERE u.email ~ '^m[0-9]+@conc\.test$' \g /dev/null
	SELECT count(xphere.purchase_machine(u.id, 'p1'))
	FROM xphere.users u WHERE u.email ~ '^m[0-9]+@conc\.test$' \g /dev/null
EOF
user_expr() { echo "(SELECT id FROM xphere.users WHERE email = 'm' || :$1 || '@conc.test')"; }
cat >"$TMP/mix_transfer.sql" <<-EOF
	\set i random(1, 10)
	\set j 1 + (:i + random(0, 8)) % 10
	\set c random(1, 2)
	\set amount random(1, 5)
	SELECT xphere.transfer($(user_expr i), $(user_expr j),
		(ARRAY['XP', 'USDT']::xphere.currency[])[:c], :amount);
EOF
cat >"$TMP/mix_withdraw.sql" <<-EOF
	\set i random(1, 10)
	\set c random(1, 2)
	SELECT xphere.request_withdrawal($(user_expr i),
		(ARRAY['XP', 'USDT']::xphere.currency[])[:c], 2, '0x' || repeat('ab', 20));
EOF
cat >"$TMP/mix_complete.sql" <<-'EOF'
	SELECT xphere.complete_withdrawal(t.id, '0x' || encode(sha256(convert_to('out-' || t.id, 'UTF8')), 'hex'))
	FROM (SELECT id FROM xphere.transactions
		  WHERE type = 'WITHDRAWAL' AND status = 'PENDING'
		  LIMIT 1 FOR UPDATE SKIP LOCKED) t;
EOF
cat >"$TMP/mix_fail.sql" <<-'EOF'
	SELECT xphere.fail_withdrawal(t.id, 'rejected by the load test')
	FROM (SELECT id FROM xphere.transactions
		  WHERE type = 'WITHDRAWAL' AND status = 'PENDING'
		  LIMIT 1 FOR UPDATE SKIP LOCKED) t;
EOF
cat >"$TMP/mix_purchase.sql" <<-EOF
	\set i random(1, 10)
	SELECT xphere.purchase_machine($(user_expr i), 'p1');
EOF
echo "SELECT xphere.distribute_mining_rewards();" >"$TMP/mix_distribute.sql"

before=$(sql -c "SELECT count(*) FROM xphere.transactions")
rc=$(PGOPTIONS="-c xphere.clock=2027-01-03T00:00:00+00" pgbench_run mixed \
	-f "$TMP/mix_transfer.sql@8" -f "$TMP/mix_withdraw.sql@3" -f "$TMP/mix_complete.sql@1" \
	-f "$TMP/mix_fail.sql@1" -f "$TMP/mix_purchase.sql@3" -f "$TMP/mix_distribute.sql@1" \
	-c 8 -j 2 -T "$LOAD_SECONDS")
diag <(grep -E '^(number of|tps|latency average)' "$TMP/mixed.log")
pgbench_clean mixed "mixed load" "$rc"
echo "# ledger entries written: $(sql -c "SELECT type || ' ' || status || ' ' || count(*)
	FROM xphere.transactions GROUP BY type, status ORDER BY type, status" | paste -sd, | sed 's/,/, /g')"
check "mixed load wrote ledger entries" \
	"$(sql -c "SELECT count(*) > $before + 100 FROM xphere.transactions")" t
check "the machines of part 1 and the traders were paid once more at T2 (1.2 XP each)" \
	"$(sql -c "SELECT count(*), sum(amount) FROM xphere.mining_rewards WHERE calculated_at = '$T2'")" \
	"60|72"
check "house XP = fees of completed XP withdrawals - all mining rewards" \
	"$(sql -c "SELECT available FROM xphere.accounts
		WHERE user_id = xphere_internal.house_id() AND currency = 'XP'")" \
	"$(sql -c "SELECT coalesce((SELECT sum(fee) FROM xphere.transactions WHERE type = 'WITHDRAWAL'
			AND status = 'COMPLETED' AND currency = 'XP'), 0) - 132")"
check "check_invariants() after the mixed load (count)" \
	"$(sql -c "SET xphere.clock = '$T2'" -c "SELECT count(*) FROM xphere.check_invariants()")" 0

# ---------------------------------------------------------------------------
echo "# 5. a distribution meets a first machine bought while it runs"

# distribute_mining_rewards() locks the XP accounts of the users with
# something due, then pays in a second statement.  A machine committed
# in between (bought earlier by the extension's clock, e.g. a purchase
# that started before the distribution) is paid too: its owner's account
# is then locked out of the global order.  Users X < W < Y (uuid order):
# W and Y have machines due; another operation holds Y, so the
# distribution waits there holding W; X buys its first machine; a
# transfer X -> W locks X and waits for W.  Nothing may deadlock.
sql <<-EOF
	SET xphere.clock = '$T2';
	SELECT count(xphere.register_user(format('race%s@conc.test', i), 'password-' || i, 'Racer ' || i))
	FROM generate_series(1, 30) i \g /dev/null
	SELECT count(xphere.deposit(u.id, c, 1000, '0x' || encode(sha256(convert_to('race-' || c || '-' || u.email, 'UTF8')), 'hex')))
	FROM xphere.users u, unnest(ARRAY['XP', 'USDT']::xphere.currency[]) c
	WHERE u.email LIKE 'race%' \g /dev/null
EOF
mapfile -t racers < <(sql -c "SELECT id FROM xphere.users WHERE email LIKE 'race%' ORDER BY id")
X=${racers[0]} W=${racers[14]} Y=${racers[29]}
sql -c "SET xphere.clock = '$T2'" \
	-c "SELECT xphere.purchase_machine('$W', 'p1'), xphere.purchase_machine('$Y', 'p1')" >/dev/null
T3='2027-01-04 00:00:00+00'
# wait_lock APPNAME: until that session waits for a lock (10 s at most)
wait_lock() {
	for _ in $(seq 100); do
		[ "$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND application_name = '$1'")" -ge 1 ] && return 0
		sleep 0.1
	done
	echo "# $1 did not wait for a lock"
	return 1
}
# race_h holds Y's XP account until the distribution and the transfer wait
PGAPPNAME=race_h "$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt -d "$DB" >"$TMP/race_h.out" 2>&1 <<-EOF &
	BEGIN;
	SELECT 1 FROM xphere.accounts WHERE user_id = '$Y' AND currency = 'XP' FOR UPDATE \g /dev/null
	DO \$\$
	DECLARE
		deadline timestamptz := clock_timestamp() + interval '20 s';
	BEGIN
		WHILE (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			   AND wait_event_type = 'Lock'
			   AND application_name IN ('race_d', 'race_t')) < 2
			AND clock_timestamp() < deadline LOOP
			PERFORM pg_sleep(0.01);
			PERFORM pg_stat_clear_snapshot();	-- else the view stays as first read
		END LOOP;
	END \$\$;
	COMMIT;
EOF
race_h=$!
BG_PIDS+=("$race_h")
for _ in $(seq 100); do
	[ "$(sql -c "SELECT count(*) FROM pg_stat_activity
		WHERE application_name = 'race_h' AND query LIKE 'DO%'")" = 1 ] && break
	sleep 0.1
done
(
	rc=0
	PGAPPNAME=race_d sql -c "SET xphere.clock = '$T3'" \
		-c "SELECT xphere.distribute_mining_rewards()" >"$TMP/race_d.out" 2>&1 || rc=$?
	echo "$rc" >"$TMP/race_d.rc"
) &
race_d=$!
BG_PIDS+=("$race_d")
wait_lock race_d || true
# X's first machine, bought at noon of the day before the distribution's clock
sql -c "SET xphere.clock = '2027-01-03 12:00:00+00'" \
	-c "SELECT xphere.purchase_machine('$X', 'p1')" >/dev/null
(
	rc=0
	PGAPPNAME=race_t sql -c "SET xphere.clock = '$T3'" \
		-c "SELECT xphere.transfer('$X', '$W', 'XP', 1)" >"$TMP/race_t.out" 2>&1 || rc=$?
	echo "$rc" >"$TMP/race_t.rc"
) &
race_t=$!
BG_PIDS+=("$race_t")
wait "$race_d" "$race_t" "$race_h" || true
for s in d t; do
	if [ "$(cat "$TMP/race_$s.rc")" != 0 ]; then
		echo "# race_$s failed:"
		head -3 "$TMP/race_$s.out" | sed 's/^/#   /'
	fi
done
check "distribution and transfer both succeed (no deadlock)" \
	"$(cat "$TMP/race_d.rc")|$(cat "$TMP/race_t.rc")" "0|0"
invariants_ok "after the race" "$T3"

# ---------------------------------------------------------------------------
echo "# 6. lock_accounts() locks in the global (user_id, currency) order"

# Given its pairs out of order, lock_accounts() must take the first one in
# (user_id, currency) order, then wait for the second, which another
# session holds: a third session then finds the first one locked.  Once
# with two users (uuid order, bytewise), once with one user's two
# currencies (the enum's order), and it opens a missing account.
mapfile -t pair < <(sql -c "SELECT id FROM xphere.users WHERE email LIKE 'race%' ORDER BY id LIMIT 2")
mapfile -t cur < <(sql -c "SELECT unnest(enum_range(NULL::xphere.currency))")
sql -c "INSERT INTO xphere.accounts (user_id, currency)
	SELECT u, c FROM unnest(ARRAY['${pair[0]}', '${pair[1]}']::uuid[]) AS u,
		unnest(enum_range(NULL::xphere.currency)) AS c
	ON CONFLICT DO NOTHING" >/dev/null
# lock_order FIRST_USER FIRST_CUR SECOND_USER SECOND_CUR: the verdict
lock_order() {
	local rc=0
	PGAPPNAME=order_h "$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt -d "$DB" >"$TMP/order_h.out" 2>&1 <<-EOF &
		BEGIN;
		SELECT 1 FROM xphere.accounts WHERE user_id = '$3' AND currency = '$4' FOR UPDATE \g /dev/null
		SELECT pg_sleep(3) \g /dev/null
		COMMIT;
	EOF
	local holder=$!
	BG_PIDS+=("$holder")
	for _ in $(seq 100); do
		[ "$(sql -c "SELECT count(*) FROM pg_stat_activity
			WHERE application_name = 'order_h' AND query LIKE '%pg_sleep%'")" = 1 ] && break
		sleep 0.1
	done
	# the pairs given second first
	PGAPPNAME=order_l sql -c "SELECT xphere_internal.lock_accounts(ARRAY['$3', '$1']::uuid[],
		ARRAY['$4', '$2']::xphere.currency[])" >/dev/null &
	local locker=$!
	BG_PIDS+=("$locker")
	wait_lock order_l || rc=1
	if sql -c "SET lock_timeout = 0" -c "SELECT 1 FROM xphere.accounts
		WHERE user_id = '$1' AND currency = '$2' FOR UPDATE NOWAIT" >/dev/null 2>"$TMP/order.err"; then
		rc=1
	fi
	grep -q 'could not obtain lock' "$TMP/order.err" || rc=1
	wait "$holder" "$locker" || rc=1
	echo "$rc"
}
check "two users: the smaller uuid is locked first" \
	"$(lock_order "${pair[0]}" XP "${pair[1]}" XP)" 0
check "one user's two currencies: ${cur[0]} (first in the enum) is locked first" \
	"$(lock_order "${pair[0]}" "${cur[0]}" "${pair[0]}" "${cur[1]}")" 0
newcomer=$(sql -c "INSERT INTO xphere.users (email, password_hash, name)
	VALUES ('lock-newcomer@conc.test', '!', 'Newcomer') RETURNING id")
sql -c "SELECT xphere_internal.lock_accounts(ARRAY['$newcomer', '$newcomer']::uuid[],
	ARRAY['XP', 'XP']::xphere.currency[])" >/dev/null
check "a missing account is opened once, without allow_negative" \
	"$(sql -c "SELECT count(*) || ' ' || bool_or(allow_negative) FROM xphere.accounts
		WHERE user_id = '$newcomer'")" "1 false"

# ---------------------------------------------------------------------------
invariants_ok "at the end" "$T3"
finish

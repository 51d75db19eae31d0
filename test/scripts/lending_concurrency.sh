#!/usr/bin/env bash
#
# test/scripts/lending_concurrency.sh - lending pools under concurrency.
#
# Run by test/run.sh inside its pg_virtualenv cluster (PGHOST, PGPORT,
# PGUSER = a superuser, ...); by hand:
#     pg_virtualenv -t bash test/scripts/lending_concurrency.sh
#
# In a database of its own (dropped at the end) it checks:
#   1. concurrent borrowers cannot overdraw the pool's cash: the pool lp-xp
#      has 1 000 XP supplied; 20 borrowers, each with 1 000 USDT of
#      collateral (ample: 100 XP at XP = 1 needs 133.34), are released at
#      the same moment and each borrows 100 XP: exactly 10 succeed, the
#      other 10 get XP002, no other error (no deadlock), the pool's cash is
#      exactly 0 and its account too, 10 OPEN positions of 100 XP each,
#      only the winners received XP and locked collateral;
#   2. concurrent supply / withdraw_supply / repay from 8 pgbench clients
#      on 5 suppliers and the 10 borrowers, in three rounds a day apart so
#      that interest accrues between them: no failed transaction, no
#      deadlock, one ledger entry per pgbench transaction, the pool's
#      scaled totals equal the sums of its positions (and cash its
#      account: check_invariants());
#   3. tick() and a price change lock the pools in the same order (by id):
#      a session holds the first pool (lp-usdt) as set_price() does while
#      it refreshes the positions at risk, a tick starts and waits for it,
#      then the session locks the second pool (lp-xp).  The tick must not
#      have locked lp-xp first, even though it has nothing to accrue in
#      lp-usdt (that pool changed after the tick's clock): the session gets
#      lp-xp, the tick completes once the session commits, no deadlock;
# and that check_invariants() returns no rows after each part.
#
# All sessions run under a fixed xphere.clock (time never runs backwards
# within a part).  Prints "ok - ..." / "not ok - ..." lines; exits 1 if any
# check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DB=xphere_lconc_$$
TMP=$(mktemp -d -t xphere-lconc.XXXXXX)
ROUND_TX=${XPHERE_LCONC_TX:-60}		# pgbench transactions per client and round

# fixed clocks: borrowing race, then three rounds of mixed load
T0='2030-01-01 00:00:00+00'
ROUNDS=('2030-01-02 00:00:00+00' '2030-01-03 00:00:00+00' '2030-01-04 00:00:00+00')

trap 'cleanup_databases "$DB"' EXIT

started=$SECONDS
"$PGBIN/createdb" "$DB"
# created under the clock of part 1, so the pool's last_update is a whole second
sql <<-EOF
	SET xphere.clock = '$T0';
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
EOF
echo "# database $DB, xphere $(sql -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")"

# ---------------------------------------------------------------------------
echo "# 1. 20 borrowers race for 1 000 XP, 100 XP each"

sql <<-EOF
	SET xphere.clock = '$T0';
	SELECT xphere.register_user('lender@lconc.test', 'password-l', 'Lender') \g /dev/null
	SELECT count(xphere.register_user(format('b%s@lconc.test', i), 'password-' || i, 'Borrower ' || i))
	FROM generate_series(1, 20) i \g /dev/null
	SELECT xphere.deposit(id, 'XP', 1000, '0x' || encode(sha256(convert_to('xp-' || email, 'UTF8')), 'hex')) FROM xphere.users
	WHERE email = 'lender@lconc.test' \g /dev/null
	SELECT count(xphere.deposit(id, 'USDT', 1000, '0x' || encode(sha256(convert_to('usdt-' || email, 'UTF8')), 'hex'))) FROM xphere.users
	WHERE email LIKE 'b%@lconc.test' \g /dev/null
	SELECT xphere.set_price('XP', 1);
	SELECT xphere.supply(id, 'lp-xp', 1000) FROM xphere.users WHERE email = 'lender@lconc.test' \g /dev/null
EOF
check "the pool starts with 1 000 XP of cash, no debt" \
	"$(sql -c "SELECT cash, scaled_borrowed FROM xphere.lending_pools WHERE id = 'lp-xp'")" "1000|0"

borrow_files=()
for i in $(seq 20); do
	f=$TMP/borrow.$i.sql
	{
		echo '\set VERBOSITY sqlstate'
		echo "SET xphere.clock = '$T0';"
		barrier_sql 4301
		echo "SELECT xphere.borrow(id, 'lp-xp', 100, 'USDT', 1000) FROM xphere.users
			WHERE email = 'b$i@lconc.test';"
	} >"$f"
	borrow_files+=("$f")
done
release_together borrow 4301 "${borrow_files[@]}" || not_ok "borrow: the sessions could not be released together"

won=0 lost=0 other=0
for i in $(seq 20); do
	if [ "$(cat "$TMP/borrow.$i.rc" 2>/dev/null)" = 0 ]; then
		won=$((won + 1))
	elif grep -q 'XP002' "$TMP/borrow.$i.err"; then
		lost=$((lost + 1))
	else
		other=$((other + 1))
		echo "# session $i failed otherwise:"
		diag "$TMP/borrow.$i.err"
	fi
done
check "20 concurrent borrows of 100 XP: 10 succeed, 10 get XP002, nothing else" \
	"$won|$lost|$other" "10|10|0"
check "no session saw a deadlock" \
	"$(cat "$TMP"/borrow.*.err | grep -ci 'deadlock detected\|40P01' || true)" 0
check "the pool's cash is exactly 0, and so is its account" \
	"$(sql -c "SELECT p.cash, a.available, a.locked FROM xphere.lending_pools p
		JOIN xphere.accounts a ON a.user_id = p.account_id AND a.currency = p.asset
		WHERE p.id = 'lp-xp'")" "0|0|0"
check "10 OPEN positions of 100 XP debt and 1 000 USDT collateral each" \
	"$(sql -c "SET xphere.clock = '$T0'" -c "SELECT count(*), min(xphere.debt(id)), max(xphere.debt(id)),
			min(collateral_amount), max(collateral_amount)
		FROM xphere.borrow_positions WHERE pool_id = 'lp-xp' AND status = 'OPEN'")" "10|100|100|1000|1000"
check "the pool's scaled debt is 1 000 XP (index 1), its positions' too" \
	"$(sql -c "SELECT p.scaled_borrowed, (SELECT sum(scaled_debt) FROM xphere.borrow_positions b
			WHERE b.pool_id = p.id AND b.status = 'OPEN') FROM xphere.lending_pools p WHERE p.id = 'lp-xp'")" \
	"1000|1000"
check "winners hold 100 XP and 1 000 USDT locked, losers 1 000 USDT available" \
	"$(sql -c "SELECT count(*) FILTER (WHERE x.available = 100 AND u.available = 0 AND u.locked = 1000),
			count(*) FILTER (WHERE coalesce(x.available, 0) = 0 AND u.available = 1000 AND u.locked = 0)
		FROM xphere.users s
		JOIN xphere.accounts u ON u.user_id = s.id AND u.currency = 'USDT'
		LEFT JOIN xphere.accounts x ON x.user_id = s.id AND x.currency = 'XP'
		WHERE s.email LIKE 'b%@lconc.test'")" "10|10"
check "the pool is fully utilized: borrow rate base + slope1 + slope2 = 0.04 + 0.09 + 0.75 = 0.88, supply rate 0.88 x 0.9 = 0.792" \
	"$(sql -c "SELECT borrow_rate, liquidity_rate FROM xphere.lending_pools WHERE id = 'lp-xp'")" "0.88|0.792"
invariants_ok "after the borrowing race" "$T0"

# ---------------------------------------------------------------------------
echo "# 2. concurrent supply / withdraw_supply / repay (pgbench, 3 rounds)"

sql <<-EOF
	SET xphere.clock = '$T0';
	SELECT count(xphere.register_user(format('s%s@lconc.test', i), 'password-' || i, 'Supplier ' || i))
	FROM generate_series(1, 5) i \g /dev/null
	SELECT count(xphere.deposit(id, 'XP', 10000, '0x' || encode(sha256(convert_to('xp-' || email, 'UTF8')), 'hex'))) FROM xphere.users
	WHERE email ~ '^s[0-9]+@lconc\.test$' \g /dev/null
	SELECT count(xphere.supply(id, 'lp-xp', 1000)) FROM xphere.users
	WHERE email ~ '^s[0-9]+@lconc\.test$' \g /dev/null
EOF

supplier="(SELECT id FROM xphere.users WHERE email = 's' || :i || '@lconc.test')"
cat >"$TMP/supply.sql" <<-EOF
	\set i random(1, 5)
	SELECT xphere.supply($supplier, 'lp-xp', 2);
EOF
cat >"$TMP/withdraw.sql" <<-EOF
	\set i random(1, 5)
	SELECT xphere.withdraw_supply($supplier, 'lp-xp', 1);
EOF
# a winner of part 1 repays 0.1 XP of its position
cat >"$TMP/repay.sql" <<-'EOF'
	\set k random(0, 9)
	SELECT xphere.repay(b.user_id, b.id, '0.1')
	FROM (SELECT user_id, id FROM xphere.borrow_positions
		  WHERE pool_id = 'lp-xp' AND status = 'OPEN' ORDER BY id OFFSET :k LIMIT 1) b;
EOF

round=0
for clock in "${ROUNDS[@]}"; do
	round=$((round + 1))
	before=$(sql -c "SELECT count(*) FROM xphere.transactions
		WHERE type IN ('LENDING_SUPPLY', 'LENDING_WITHDRAW', 'REPAY')")
	rc=$(PGOPTIONS="-c xphere.clock=${clock// /T}" pgbench_run "mixed$round" \
		-f "$TMP/supply.sql@2" -f "$TMP/withdraw.sql@2" -f "$TMP/repay.sql@1" \
		-c 8 -j 2 -t "$ROUND_TX")
	diag <(grep -E '^(number of|tps|latency average)' "$TMP/mixed$round.log")
	check "round $round ($clock): pgbench exits 0" "$rc" 0
	check "round $round: no failed transactions" \
		"$(pgbench_value "mixed$round" 'number of failed transactions')" 0
	bad=$(pgbench_errors "mixed$round")
	check_empty "round $round: no error reaches a client" "$bad"
	done_tx=$(sed -n 's|^number of transactions actually processed: \([0-9]*\)/.*|\1|p' "$TMP/mixed$round.log")
	check "round $round: all $((8 * ROUND_TX)) transactions processed" "${done_tx:-0}" "$((8 * ROUND_TX))"
	check "round $round: one LENDING_SUPPLY, LENDING_WITHDRAW or REPAY entry per transaction" \
		"$(sql -c "SELECT count(*) - $before FROM xphere.transactions
			WHERE type IN ('LENDING_SUPPLY', 'LENDING_WITHDRAW', 'REPAY')")" "${done_tx:-0}"
	check "round $round: the pool was accrued to the round's clock" \
		"$(sql -c "SELECT last_update = '$clock' FROM xphere.lending_pools WHERE id = 'lp-xp'")" t
	invariants_ok "after round $round" "$clock"
done

check "interest accrued: borrow index above 1, treasury above 0" \
	"$(sql -c "SELECT borrow_index > '1', liquidity_index > '1', treasury_scaled > 0
		FROM xphere.lending_pools WHERE id = 'lp-xp'")" "t|t|t"
check "the 10 positions are still OPEN" \
	"$(sql -c "SELECT count(*) FROM xphere.borrow_positions WHERE pool_id = 'lp-xp' AND status = 'OPEN'")" 10

# ---------------------------------------------------------------------------
echo "# 3. tick() and a session holding the pools lock them in the same order"

# lp-usdt (first by id) created after the tick's clock, lp-xp accrued before it
T_TICK='2030-01-05 00:00:00+00'
T_USDT='2030-01-06 00:00:00+00'
sql -c "SET xphere.clock = '$T_USDT'" -c "SELECT xphere.create_pool('lp-usdt', 'USDT')" >/dev/null
check "lp-usdt changed after the tick's clock, lp-xp before it" \
	"$(sql -c "SELECT string_agg(id || ' ' || (last_update > '$T_TICK'), ',' ORDER BY id)
		FROM xphere.lending_pools")" "lp-usdt true,lp-xp false"
# the holder: lp-usdt, then (once the tick waits for a lock) lp-xp
cat >"$TMP/holder.sql" <<'EOF'
BEGIN;
SELECT 1 FROM xphere.lending_pools WHERE id = 'lp-usdt' FOR UPDATE \g /dev/null
SELECT 'holder has lp-usdt';
DO $$ BEGIN
	FOR i IN 1..200 LOOP
		PERFORM pg_stat_clear_snapshot();	-- pg_stat_activity is read once per transaction otherwise
		EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE application_name = 'xphere_lconc_tick' AND wait_event_type = 'Lock');
		PERFORM pg_sleep(0.05);
	END LOOP;
END $$;
SELECT pg_stat_clear_snapshot() \g /dev/null
SELECT 'tick waiting: ' || count(*) FROM pg_stat_activity
WHERE application_name = 'xphere_lconc_tick' AND wait_event_type = 'Lock';
SET lock_timeout = '20s';
SELECT 'holder has lp-xp' FROM xphere.lending_pools WHERE id = 'lp-xp' FOR UPDATE;
COMMIT;
EOF
for attempt in 1 2 3; do
	sql -f "$TMP/holder.sql" >"$TMP/holder.out" 2>&1 &
	holder=$!
	deadline=$((SECONDS + 10))
	until grep -q '^holder has lp-usdt$' "$TMP/holder.out" || [ $SECONDS -ge $deadline ]; do
		sleep 0.05
	done
	tick_rc=0
	PGAPPNAME=xphere_lconc_tick sql -c "SET xphere.clock = '$T_TICK'" -c "SELECT xphere.tick()" \
		>"$TMP/tick.out" 2>&1 || tick_rc=$?
	holder_rc=0
	wait "$holder" || holder_rc=$?
	# the worker may have been ticking this database: then again
	grep -q '"skipped": true' "$TMP/tick.out" || break
done
diag "$TMP/holder.out" "$TMP/tick.out"
check "the tick waited for lp-usdt while the session held it" \
	"$(grep -c '^tick waiting: 1$' "$TMP/holder.out")" 1
check "the session then locked lp-xp and committed (no deadlock)" \
	"$holder_rc/$(grep -c '^holder has lp-xp$' "$TMP/holder.out")" 0/1
check "the tick completed after it, without error" \
	"$tick_rc/$(grep -c '"machines_paid"' "$TMP/tick.out")/$(grep -c 'ERROR' "$TMP/tick.out")" 0/1/0

# ---------------------------------------------------------------------------
invariants_ok "at the end" "$T_USDT"
finish

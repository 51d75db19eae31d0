#!/usr/bin/env bash
#
# test/scripts/distribution_concurrency.sh - tick()'s mining distribution in
# batches (sql/install/platform/jobs.sql tick, sql/install/mining/mining.sql
# distribute_mining_batch and pay_machines) against concurrent API calls,
# at the real clock.
#
# Run by test/run.sh inside its cluster (PGHOST, PGPORT, PGUSER = a
# superuser, ...); by hand:
#     pg_virtualenv -t -o shared_preload_libraries=xphere bash test/scripts/distribution_concurrency.sh
#
# A platform of 1 100 users, one p1 machine each, bought two days ago, and
# distribution_tick_time = 1 hour: the round's first tick pays a batch of
# 1 000 machines (by id; no rate is known yet), the next one the last 100.
# It checks that:
#   1. the tick takes the accounts in the API's global order, as the README
#      says ("so it never deadlocks with API calls"): a backend transaction
#      that holds user A's XP account (a transfer) and then transfers from A
#      to B, where A < B both own machines of the first batch, meets no
#      deadlock with the tick;
#   2. the same with single transfer() calls between random users, run by
#      pgbench while ticks pay rounds (distribution_interval = 1 second):
#      no deadlock failure;
#   3. a round pays every machine due when it started (doc/operations.md):
#      a machine of the first batch whose status changes while the tick
#      waits to pay it (for an account a transfer in progress holds) is
#      paid by a later tick of the round;
#   4. an extension whose owner is not a superuser (the README's "trusted
#      role: superuser, the extension's owner, ..."; a role demoted after
#      CREATE EXTENSION) still distributes: the tick of the background
#      worker, a superuser session, pays the due machine.
# and that check_invariants() returns no rows after each part.
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DB=xphere_distconc_$$
TPL=${DB}_tpl
DB2=${DB}_2
DB3=${DB}_3
OWNER_DB=${DB}_owner
OWNER_ROLE=xphere_distconc_owner_$$
TMP=$(mktemp -d -t xphere-distconc.XXXXXX)
SOAK_SECONDS=${XPHERE_DISTCONC_SECONDS:-15}

trap 'cleanup_databases "$DB" "$TPL" "$DB2" "$DB3" "$OWNER_DB"; drop_roles "$OWNER_ROLE"; resume_worker' EXIT

started=$SECONDS
# the background worker would tick these databases at the real clock
pause_worker

# wait_until DB CONDITION WHAT: poll (at most 30 s) until the SQL condition
# is true in DB
wait_until() {
	for _ in $(seq 600); do
		[ "$(sql_on "$1" -c "SELECT ($2)::text")" = true ] && return 0
		sleep 0.05
	done
	echo "# timed out waiting for $3"
	return 1
}
# invariants_on DB LABEL: check_invariants() in DB returns no rows at the
# real clock
invariants_on() {
	local rows
	rows=$(sql_on "$1" -c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()")
	check_empty "$2: check_invariants() returns no rows" "$rows"
}
# waiting_for_lock APP: the condition "the session named APP waits for a lock"
waiting_for_lock() {
	echo "EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '$1'
		AND wait_event_type = 'Lock' AND datname = current_database())"
}
# the same, in SQL run by a session of the scenario
sql_wait_for_lock() {
	cat <<-EOF
		DO \$\$
		DECLARE
			deadline timestamptz := clock_timestamp() + interval '30 s';
		BEGIN
			WHILE NOT $(waiting_for_lock "$1") LOOP
				IF clock_timestamp() > deadline THEN
					RAISE EXCEPTION 'timed out waiting for $1 to wait for a lock';
				END IF;
				PERFORM pg_sleep(0.01);
				PERFORM pg_stat_clear_snapshot();	-- (read afresh inside a transaction)
			END LOOP;
		END \$\$;
	EOF
}

# ---------------------------------------------------------------------------
echo "# set-up: 1 100 users with one p1 machine each, bought two days ago"

"$PGBIN/createdb" "$TPL"
sql_on "$TPL" <<-'EOF'
	\o /dev/null
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	SELECT set_config('xphere.clock', (now() - interval '2 days')::text, false);
	CREATE TABLE public.u AS
	SELECT i, xphere.register_user(format('dc%s@example.com', i), 'password-' || i, 'DC ' || i) AS id
	FROM generate_series(1, 1100) AS i;
	SELECT count(xphere.deposit(id, 'USDT', 100,
		'0x' || encode(sha256(convert_to('dc-usdt-' || i, 'UTF8')), 'hex'))) FROM public.u;
	SELECT count(xphere.deposit(id, 'XP', 100,
		'0x' || encode(sha256(convert_to('dc-xp-' || i, 'UTF8')), 'hex'))) FROM public.u;
	SELECT count(xphere.purchase_machine(id, 'p1')) FROM public.u;
	-- the first round, empty, closes at the purchase time
	SELECT xphere.tick();
	SELECT xphere.set_setting('distribution_tick_time', '1 hour');
	-- the machines in id order: the first batch is k <= 1000
	CREATE TABLE public.mk AS
	SELECT row_number() OVER (ORDER BY m.id) AS k, m.id, m.user_id FROM xphere.user_machines m;
EOF
check "set-up: 1 100 machines, round closed two days ago" \
	"$(sql_on "$TPL" -c "SELECT count(*) FROM xphere.user_machines" \
		-c "SELECT distribution_round_start IS NULL AND last_distribution_at < now() - interval '1 day'
			FROM xphere.job_state")" "1100
t"

# ---------------------------------------------------------------------------
echo "# 1. a backend transaction holding A's account, then transferring A -> B, and a due tick"

"$PGBIN/createdb" -T "$TPL" "$DB"
read -r A B Z < <(sql -F' ' -c "
	SELECT (SELECT user_id FROM public.mk WHERE k <= 1000 ORDER BY user_id LIMIT 1),
		(SELECT user_id FROM public.mk WHERE k <= 1000 ORDER BY user_id DESC LIMIT 1),
		(SELECT user_id FROM public.mk WHERE k > 1000 ORDER BY user_id DESC LIMIT 1)")
check "precondition: A < B own machines of the first batch, Z one of the second" \
	"$(sql -c "SELECT '$A'::uuid < '$B'::uuid AND '$Z'::uuid NOT IN ('$A', '$B')")" t

{
	echo "SET application_name = 'distconc_s1';"
	echo "BEGIN;"
	echo "SELECT xphere.transfer('$A', '$Z', 'XP', 1) IS NOT NULL;"
	sql_wait_for_lock distconc_tick
	echo "SELECT xphere.transfer('$A', '$B', 'XP', 1) IS NOT NULL;"
	echo "COMMIT;"
} >"$TMP/s1.sql"
(
	rc=0
	sql -f "$TMP/s1.sql" >"$TMP/s1.out" 2>&1 || rc=$?
	echo "$rc" >"$TMP/s1.rc"
) &
s1=$!
BG_PIDS+=("$s1")
wait_until "$DB" "EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'distconc_s1'
	AND query LIKE 'DO%')" "the first transfer"
rc=0
sql -c "SET application_name = 'distconc_tick'" -c "SELECT xphere.tick() ->> 'machines_paid'" \
	>"$TMP/tick1.out" 2>&1 || rc=$?
wait "$s1" || true
check "1: the tick succeeds and pays its batch of 1 000 machines" \
	"$rc $(grep -m1 -E '^[0-9]+$|ERROR' "$TMP/tick1.out")" "0 1000"
check "1: the backend's transaction (two transfers) commits" "$(cat "$TMP/s1.rc")" 0
[ "$(cat "$TMP/s1.rc")" = 0 ] ||
	grep -v '^\(CONTEXT\|SQL\|PL/pgSQL\)' "$TMP/s1.out" | head -4 | diag
check_empty "1: no deadlock" "$(grep -h -A2 'deadlock detected' "$TMP/s1.out" "$TMP/tick1.out" || true)"
check "1: the next tick pays the last 100 and ends the round" \
	"$(sql -c "SELECT xphere.tick() ->> 'machines_paid'" \
		-c "SELECT distribution_round_start IS NULL FROM xphere.job_state")" "100
t"
invariants_on "$DB" 1

# ---------------------------------------------------------------------------
echo "# 2. ${SOAK_SECONDS} s of random transfers by 4 pgbench clients while ticks pay rounds"

"$PGBIN/createdb" -T "$TPL" "$DB3"
sql_on "$DB3" -c "SELECT xphere.set_setting('distribution_interval', '1 second')" \
	-c "CREATE TABLE public.ul AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM public.u" >/dev/null
cat >"$TMP/transfer.sql" <<-'EOF'
	\set a random(1, 1100)
	\set b random(1, 1100)
	SELECT xphere.transfer((SELECT id FROM public.ul WHERE n = :a), (SELECT id FROM public.ul WHERE n = :b),
		'XP', 0.001) WHERE :a <> :b;
EOF
(
	end=$((SECONDS + SOAK_SECONDS))
	while [ "$SECONDS" -lt "$end" ]; do
		sql_on "$DB3" -c "SELECT coalesce(xphere.tick() ->> 'machines_paid', 'none')" 2>&1 || true
		sleep 0.2
	done >"$TMP/soak_ticks.out"
) &
ticker=$!
BG_PIDS+=("$ticker")
rc=0
"$PGBIN/pgbench" -n -c 4 -j 2 -T "$SOAK_SECONDS" --failures-detailed --verbose-errors \
	-f "$TMP/transfer.sql" "$DB3" >"$TMP/soak.log" 2>&1 || rc=$?
wait "$ticker" || true
paying=$(grep -c -E '^[1-9][0-9]*$' "$TMP/soak_ticks.out" || true)
paid=$(awk '/^[0-9]+$/ { s += $1 } END { print s + 0 }' "$TMP/soak_ticks.out")
echo "# $paying ticks paid $paid machines"
check_true "2: ticks paid machines meanwhile, more than two rounds' worth" \
	"$([ "$paying" -ge 3 ] && [ "${paid:-0}" -gt 2200 ] && echo t || echo f)" \
	"$paying ticks paid ${paid:-0} machines"
check "2: no transfer failed with a deadlock" \
	"$(sed -n 's/^number of deadlock failures: *\([0-9]*\).*/\1/p' "$TMP/soak.log" | head -1)" 0
check_empty "2: no tick failed" "$(grep -v -x -E '[0-9]+|none' "$TMP/soak_ticks.out" || true)"
invariants_on "$DB3" 2

# ---------------------------------------------------------------------------
echo "# 3. a machine of the first batch changes status while the tick waits for an account"

"$PGBIN/createdb" -T "$TPL" "$DB2"
read -r M UM X < <(sql_on "$DB2" -F' ' -c "
	SELECT (SELECT id FROM public.mk WHERE k = 1000), (SELECT user_id FROM public.mk WHERE k = 1000),
		(SELECT user_id FROM public.mk WHERE k = 1099)")
# H: the machine's owner has a transfer in progress (its XP account locked)
# until the machine's status has changed
{
	echo "SET application_name = 'distconc_h';"
	echo "BEGIN;"
	echo "SELECT xphere.transfer('$UM', '$X', 'XP', 1) IS NOT NULL;"
	sql_wait_for_lock distconc_tick2
	cat <<-EOF
		DO \$\$
		DECLARE
			deadline timestamptz := clock_timestamp() + interval '30 s';
		BEGIN
			WHILE (SELECT status FROM xphere.user_machines WHERE id = '$M') = 'ONLINE' LOOP
				IF clock_timestamp() > deadline THEN
					RAISE EXCEPTION 'timed out waiting for the status change';
				END IF;
				PERFORM pg_sleep(0.01);
			END LOOP;
		END \$\$;
	EOF
	echo "COMMIT;"
} >"$TMP/h.sql"
(
	rc=0
	sql_on "$DB2" -f "$TMP/h.sql" >"$TMP/h.out" 2>&1 || rc=$?
	echo "$rc" >"$TMP/h.rc"
) &
h=$!
BG_PIDS+=("$h")
wait_until "$DB2" "EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'distconc_h'
	AND query LIKE 'DO%')" "the owner's transfer"
(
	rc=0
	sql_on "$DB2" -c "SET application_name = 'distconc_tick2'" \
		-c "SELECT xphere.tick() ->> 'machines_paid'" >"$TMP/tick3.out" 2>&1 || rc=$?
	echo "$rc" >"$TMP/tick3.rc"
) &
t3=$!
BG_PIDS+=("$t3")
wait_until "$DB2" "$(waiting_for_lock distconc_tick2)" "the tick to wait for an account"
# an admin takes the machine offline meanwhile (its own transaction, now)
sql_on "$DB2" -c "SELECT xphere.set_machine_status('$M', 'OFFLINE')" >/dev/null
wait "$h" || true
wait "$t3" || true
check "3: the owner's transfer and the tick succeed" "$(cat "$TMP/h.rc") $(cat "$TMP/tick3.rc")" "0 0"
[ "$(cat "$TMP/h.rc") $(cat "$TMP/tick3.rc")" = "0 0" ] ||
	grep -v '^\(CONTEXT\|SQL\|PL/pgSQL\)' "$TMP/h.out" "$TMP/tick3.out" | head -4 | diag
check "3: the tick paid its batch but the machine: 999" "$(head -1 "$TMP/tick3.out")" 999
# later ticks, each in a session of its own, until the round is over
for _ in $(seq 10); do
	[ "$(sql_on "$DB2" -c "SELECT distribution_round_start IS NULL FROM xphere.job_state")" = t ] && break
	sql_on "$DB2" -c "SELECT xphere.tick()" >/dev/null
done
check "3: the round is over" \
	"$(sql_on "$DB2" -c "SELECT distribution_round_start IS NULL FROM xphere.job_state")" t
unpaid=$(sql_on "$DB2" -c "
	SELECT m.k || ' ' || m.id || ': status changed at ' || x.status_changed_at || ', pending '
		|| xphere.pending_mining_rewards(m.user_id) || ' XP'
	FROM public.mk m JOIN xphere.user_machines x USING (id), xphere.job_state j
	WHERE NOT EXISTS (SELECT 1 FROM xphere.mining_rewards r
					  WHERE r.machine_id = m.id AND r.calculated_at >= j.last_distribution_at)")
check_empty "3: every machine due when the round started was paid in it" "$unpaid"
invariants_on "$DB2" 3

# ---------------------------------------------------------------------------
echo "# 4. an extension owner who is no longer a superuser"

sql_on postgres -c "CREATE ROLE $OWNER_ROLE SUPERUSER NOLOGIN" >/dev/null
"$PGBIN/createdb" "$OWNER_DB"
sql_on "$OWNER_DB" <<-EOF
	\o /dev/null
	SET ROLE $OWNER_ROLE;
	CREATE EXTENSION xphere CASCADE;
	RESET ROLE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	SELECT set_config('xphere.clock', (now() - interval '2 days')::text, false);
	SELECT xphere.deposit(xphere.register_user('owner@example.com', 'password-1', 'Owner'), 'USDT', 100,
		'0x' || encode(sha256(convert_to('dc-owner', 'UTF8')), 'hex'));
	SELECT xphere.purchase_machine(id, 'p1') FROM xphere.users WHERE email = 'owner@example.com';
	SELECT xphere.tick();
EOF
check "4: the extension is owned by the role" \
	"$(sql_on "$OWNER_DB" -c "SELECT extowner::regrole FROM pg_extension WHERE extname = 'xphere'")" \
	"$OWNER_ROLE"
sql_on postgres -c "ALTER ROLE $OWNER_ROLE NOSUPERUSER" >/dev/null
rc=0
out=$(sql_on "$OWNER_DB" -c "SELECT xphere.tick() ->> 'machines_paid'" 2>&1) || rc=$?
check "4: a superuser's tick pays the due machine" "$rc $(echo "$out" | head -1)" "0 1"
rc=0
out=$(sql_on "$OWNER_DB" -c "SELECT xphere.distribute_mining_rewards()" 2>&1) || rc=$?
check "4: distribute_mining_rewards() works (nothing left or the machine)" \
	"$rc $(echo "$out" | head -1 | sed 's/^[01]$/n/')" "0 n"

finish

#!/usr/bin/env bash
#
# test/scripts/load.sh - the whole API under concurrent load, with the worker
# ticking.
#
# Run by test/run.sh inside its pg_virtualenv cluster (PGHOST, PGPORT,
# PGUSER = a superuser, ...), which preloads xphere, so the background
# worker runs; by hand:
#     pg_virtualenv -t -o shared_preload_libraries=xphere bash test/scripts/load.sh
# XPHERE_LOAD_SECONDS (default 60) sets the length of the load,
# XPHERE_LOAD_CLIENTS (default 8) the number of pgbench clients,
# XPHERE_LOAD_MIX ("kind:weight ...") replaces the mix of test/load/lib.sh.
#
# In a database of its own (dropped at the end), set up by
# test/load/setup.sql (1 000 users, deposits in XP and USDT, a fresh XP
# price, liquidity in lp-xp and a USDT pool, machines, stakes, loans close
# to liquidation, refresh tokens), with xphere.tick_interval = 1 s (ALTER
# SYSTEM, restored at exit) so that the worker ticks it every second, and
# distribution_interval 3 seconds: pgbench runs a random mix of every API
# call an application or an operator makes (test/load/KIND.sql, weights in
# test/load/lib.sh) on users picked with random_zipfian over 1..1000 (a hot
# set), among them price moves that make loans liquidatable and explicit
# tick() calls besides the worker's.  Each call runs in try() (setup.sql),
# which turns only the business errors that call may legitimately meet
# (XP001 insufficient balance, XP003 over the LTV, XP004 not liquidatable,
# ...) into an outcome; anything else, deadlocks (40P01) and serialization
# failures (40001) included, fails the pgbench transaction (no retries).
# After each acknowledged call the client appends a line to a replay log
# (\shell, so only once the commit was acknowledged).  It checks:
#   1. pgbench exits 0 (no client aborted), no failed transaction, no
#      deadlock or serialization failure, no error in its output;
#   2. every acknowledged call is in the replay log (lines = transactions
#      processed), every kind of call ran and succeeded at least once;
#   3. the replay log against the database (test/load/verify.sql): every
#      acknowledged transaction is committed and the effect of every
#      successful call is there (its ledger entries by xmin, as many as it
#      writes; the rows it returned the ids of; the states it set);
#   4. check_invariants() returns no rows;
#   5. nothing accrued or was distributed twice (test/load/accrual.sql:
#      one reward per machine and distribution, machines paid exactly what
#      they earned by their last payment, staking indexes exact, pool
#      totals at their indexes, job_state sane);
#   6. the worker ticked the database during the run (job_state.ticks,
#      worker_status.runs), none of its ticks failed (a deadlock of a tick
#      counts), and distributions happened during the run.
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=load/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../load/lib.sh"

DB=xphere_load_$$
TMP=$(mktemp -d -t xphere-load.XXXXXX)
LOAD_SECONDS=${XPHERE_LOAD_SECONDS:-60}
CLIENTS=${XPHERE_LOAD_CLIENTS:-8}
USERS=1000
ACKLOG=$TMP/acks.log

load_psql() { sql "$@"; }

# xphere.tick_interval as ALTER SYSTEM left it (empty: not set there),
# restored at exit
old_interval=$(sql_on postgres -c "SELECT setting FROM pg_file_settings
	WHERE name = 'xphere.tick_interval' AND sourcefile LIKE '%postgresql.auto.conf'
	ORDER BY seqno DESC LIMIT 1")
restore_interval() {
	if [ -n "$old_interval" ]; then
		sql_on postgres -c "ALTER SYSTEM SET xphere.tick_interval = '$old_interval'" >/dev/null 2>&1 || true
	else
		sql_on postgres -c "ALTER SYSTEM RESET xphere.tick_interval" >/dev/null 2>&1 || true
	fi
	sql_on postgres -c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
}
trap 'restore_interval; cleanup_databases "$DB"' EXIT
trap 'exit 143' TERM INT HUP	# (so that cleanup runs)

started=$SECONDS
"$PGBIN/createdb" "$DB"
load_setup "$USERS"
echo "# database $DB, xphere $(sql -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'"):" \
	"$USERS users, $(sql -c "SELECT count(*) FROM xphere.user_machines") machines," \
	"$(sql -c "SELECT count(*) FROM xphere.staking_positions") stakes," \
	"$(sql -c "SELECT count(*) FROM xphere.borrow_positions") loans"
invariants=$(sql -c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()")
check_empty "after the set-up: check_invariants() returns no rows" "$invariants"

# the worker: every second, for this database too
sql_on postgres -c "ALTER SYSTEM SET xphere.tick_interval = 1" -c "SELECT pg_reload_conf()" >/dev/null
worker() {	# COLUMN: of worker_status for $DB, 0 if it has no row
	sql -c "SELECT coalesce((SELECT $1 FROM xphere.worker_status WHERE database = current_database()), 0)"
}
deadline=$((SECONDS + 15))
until [ "$(worker runs)" -gt 0 ] || [ $SECONDS -ge $deadline ]; do
	sleep 0.2
done
check_true "the worker ticks the database (shared_preload_libraries must include xphere)" \
	"$([ "$(worker runs)" -gt 0 ] && echo t)" \
	"no worker_status row for $DB after 15 s; shared_preload_libraries = $(sql -c 'SHOW shared_preload_libraries')"

# ---------------------------------------------------------------------------
echo "# the mix: ${#LOAD_MIX[@]} kinds of call, $CLIENTS clients, $LOAD_SECONDS s"

ticks0=$(sql -c "SELECT ticks FROM xphere.job_state")
runs0=$(worker runs)
failures0=$(worker failures)
t0=$(sql -c "SELECT now()")
load_pgbench_args "$USERS" "$ACKLOG"
rc=$(pgbench_run load --max-tries=1 -c "$CLIENTS" -j 2 -T "$LOAD_SECONDS" "${LOAD_ARGS[@]}")
touch "$ACKLOG"
diag <(grep -E '^(number of|tps|latency average)' "$TMP/load.log")
ticks1=$(sql -c "SELECT ticks FROM xphere.job_state")
runs1=$(worker runs)
failures1=$(worker failures)

check "pgbench exits 0 (every client finished)" "$rc" 0
check "no failed transactions" "$(pgbench_value load 'number of failed transactions')" 0
check "no deadlock failures" "$(pgbench_value load 'number of deadlock failures')" 0
check "no serialization failures" "$(pgbench_value load 'number of serialization failures')" 0
bad=$(pgbench_errors load)
check_empty "no error reaches a client" "$bad"

processed=$(sed -n 's|^number of transactions actually processed: \([0-9]*\).*|\1|p' "$TMP/load.log")
acks=$(wc -l <"$ACKLOG")
echo "# $acks calls acknowledged"
check "one replay log line per transaction processed" "$acks" "${processed:-?}"
echo "# outcomes (ok: succeeded, err: expected business error, skip: nothing to act on):"
load_outcomes "$ACKLOG" | diag
missing=''
for kw in "${LOAD_MIX[@]}"; do
	grep -q "^[0-9]* ${kw%%:*} ok " "$ACKLOG" || missing="$missing ${kw%%:*}"
done
check "every kind of call succeeded at least once" "$missing" ''

# ---------------------------------------------------------------------------
echo "# the replay log against the database"

lost=$(load_verify "$ACKLOG")
check_empty "every acknowledged call is committed and its effect is there ($acks calls)" "$lost"
invariants=$(sql -c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()")
check_empty "after the load: check_invariants() returns no rows" "$invariants"
twice=$(load_accrual)
check_empty "nothing accrued or was distributed twice, periodic state sane" "$twice"

echo "# worker: $((ticks1 - ticks0)) ticks, $((runs1 - runs0)) runs, $((failures1 - failures0)) failed during the run"
check_true "the worker ticked during the run (job_state.ticks, worker_status.runs)" \
	"$([ $((ticks1 - ticks0)) -ge 3 ] && [ $((runs1 - runs0)) -ge 3 ] && echo t)" \
	"ticks $ticks0 -> $ticks1, runs $runs0 -> $runs1"
check "no tick of the worker failed during the run" "$((failures1 - failures0))" 0
if [ "$failures1" -gt "$failures0" ]; then
	echo "#   last error: $(sql -c "SELECT last_error FROM xphere.worker_status
		WHERE database = current_database()")"
fi
check "distributions happened during the run" \
	"$(sql -c "SELECT count(DISTINCT calculated_at) > 1 FROM xphere.mining_rewards
		WHERE calculated_at >= '$t0'")" t
echo "# ledger: $(sql -c "SELECT count(*) FROM xphere.transactions") entries," \
	"$(sql -c "SELECT count(*) FROM xphere.mining_rewards") mining rewards," \
	"$(sql -c "SELECT count(*) FROM xphere.borrow_positions WHERE status = 'LIQUIDATED'") positions liquidated," \
	"deficits $(sql -c "SELECT string_agg(id || ' ' || deficit, ', ' ORDER BY id) FROM xphere.lending_pools")"

finish

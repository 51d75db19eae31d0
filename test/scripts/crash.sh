#!/usr/bin/env bash
#
# test/scripts/crash.sh - immediate shutdowns at random moments under load: no
# acknowledged call is lost, nothing is applied twice.
#
# Run by test/run.sh; by hand (as root or as the postgres user):
#     bash test/scripts/crash.sh
# XPHERE_CRASH_ROUNDS (default 10) sets the number of crashes,
# XPHERE_CRASH_CLIENTS (default 6) the number of pgbench clients;
# XPHERE_KEEP_TMP=1 keeps the temporary directory (cluster, logs, replay
# logs).
#
# It makes a throw-away cluster of its own (initdb under a mktemp -d
# directory, unix socket there, no TCP, a port in 55000-55999) with
# shared_preload_libraries = 'xphere' and xphere.tick_interval = 1, so the
# worker ticks every second, and a database set up by test/load/setup.sql
# (1 000 users with money, pools, machines, stakes, loans; distributions
# every 3 seconds).  Then, ROUNDS times: the load of test/scripts/load.sh (every
# API call, zipfian hot set, replay log of acknowledged calls) runs in the
# background, and a random 1 to 4 s after its first acknowledged call the
# server is stopped with pg_ctl stop -m immediate (in the middle of calls,
# ticks, distributions) and started again.  After each restart it checks:
#   1. the crash came under load (calls were acknowledged before it), and
#      no client got an error before it other than the lost connection
#      (no deadlock, no serialization failure, no unexpected error);
#   2. every call acknowledged so far, in every round, is there: its
#      transaction is committed and its effect present
#      (test/load/verify.sql: ledger entries by xmin, as many as the call
#      writes, ids returned, states set);
#   3. check_invariants() returns no rows;
#   4. nothing accrued or was distributed twice (test/load/accrual.sql):
#      one mining reward per machine and distribution time, every machine
#      paid exactly what it earned by its last payment, the house paid
#      exactly the reward rows, staking indexes exact, pool totals at
#      their indexes, job_state sane, and ticks, pool and staking indexes
#      never behind what the previous restart found;
# and at the end that the worker ticks again after the last restart, that
# the rounds together made ticks and distributions, and that the server
# log has no PANIC and no failed tick.
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# the cluster of this script only: ignore run.sh's connection settings
unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGHOSTADDR

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=load/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../load/lib.sh"

ROUNDS=${XPHERE_CRASH_ROUNDS:-10}
CLIENTS=${XPHERE_CRASH_CLIENTS:-6}
USERS=1000
DB=xcrash

cluster_tmp crash
trap cleanup_clusters EXIT
trap 'exit 143' TERM INT HUP	# (so that cleanup runs)

started=$SECONDS
free_port
P=$PORT
new_cluster crash "$P" "shared_preload_libraries = 'xphere'" "xphere.tick_interval = 1" \
	"max_worker_processes = 16"
start_cluster crash
echo "# cluster on port $P, $("$PGBIN/postgres" --version)"

load_psql() { q "$P" "$DB" "$@"; }
ticks() { load_psql -c "SELECT ticks FROM xphere.job_state"; }

q "$P" postgres -c "CREATE DATABASE $DB"
load_setup "$USERS"
echo "# database $DB: $USERS users, $(load_psql -c "SELECT count(*) FROM xphere.user_machines") machines," \
	"$(load_psql -c "SELECT count(*) FROM xphere.staking_positions") stakes," \
	"$(load_psql -c "SELECT count(*) FROM xphere.borrow_positions") loans"
invariants=$(load_psql -c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()")
check_empty "after the set-up: check_invariants() returns no rows" "$invariants"
twice=$(load_accrual)
check_empty "after the set-up: accrual checks find nothing" "$twice"
ticks0=$(ticks)
dist0=$(load_psql -c "SELECT count(DISTINCT calculated_at) FROM xphere.mining_rewards")

# the messages of a pgbench log that tell of an error, except those of
# the connections the immediate shutdown ends
client_errors() {
	grep -E '^(pgbench: |ERROR|FATAL|WARNING)' "$1" |
		grep -v -E 'terminating connection due to immediate shutdown|perhaps the backend died while processing|server closed the connection unexpectedly|terminated abnormally|no connection to the server|could not receive data from server|Run was aborted; the above results are incomplete' ||
		true
}

logs=()
total=0
for round in $(seq "$ROUNDS"); do
	ack=$TMP/acks.$round.log
	: >"$ack"
	logs+=("$ack")
	load_pgbench_args "$USERS" "$ack"
	"$PGBIN/pgbench" -n --max-tries=1 --failures-detailed --verbose-errors -h "$SOCK" -p "$P" -U postgres \
		-c "$CLIENTS" -j 2 -T 600 "${LOAD_ARGS[@]}" "$DB" >"$TMP/pgbench.$round.log" 2>&1 &
	bench=$!
	BG_PIDS+=("$bench")
	# the load has begun: a first call was acknowledged (at most 30 s)
	deadline=$((SECONDS + 30))
	until [ -s "$ack" ] || [ $SECONDS -ge $deadline ]; do
		sleep 0.05
	done
	delay=$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.1f", 1 + 3 * rand() }')
	sleep "$delay"
	as_pg "$PGBIN/pg_ctl" -D "$TMP/crash" -m immediate stop >/dev/null
	wait "$bench" || true
	pg_ctl_do crash start

	n=$(wc -l <"$ack")
	total=$((total + n))
	echo "# round $round: immediate shutdown $delay s into the load, $n calls acknowledged before it ($total in all)"
	check_true "round $round: the crash came under load" "$([ "$n" -gt 0 ] && echo t)" \
		"no call was acknowledged; pgbench said: $(head -5 "$TMP/pgbench.$round.log")"
	bad=$(client_errors "$TMP/pgbench.$round.log")
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$TMP/pgbench.$round.log")
	[ "${failed:-0}" = 0 ] || bad="$failed failed transactions
$bad"
	check_empty "round $round: no client got an error before the crash" "$bad"
	lost=$(load_verify "${logs[@]}" 2>&1) || lost="verify.sql failed: $lost"
	check_empty "round $round: every call acknowledged so far is there ($total)" "$lost"
	invariants=$(load_psql -c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()" 2>&1) ||
		invariants="query failed: $invariants"
	check_empty "round $round: check_invariants() returns no rows" "$invariants"
	twice=$(load_accrual 2>&1) || twice="accrual.sql failed: $twice"
	check_empty "round $round: nothing accrued or was distributed twice" "$twice"
done

echo "# outcomes over all rounds (ok: succeeded, err: expected business error, skip: nothing to act on):"
load_outcomes "${logs[@]}" | diag
t1=$(ticks)
if wait_for "$P" "$DB" "SELECT ticks > $t1 FROM xphere.job_state" 10; then
	ok "the worker ticks again after the last restart"
else
	not_ok "the worker ticks again after the last restart"
fi
ticks1=$(ticks)
dist1=$(load_psql -c "SELECT count(DISTINCT calculated_at) FROM xphere.mining_rewards")
echo "# $((ticks1 - ticks0)) ticks and $((dist1 - dist0)) distributions over the rounds"
check_true "the rounds made ticks and distributions" \
	"$([ $((ticks1 - ticks0)) -gt "$ROUNDS" ] && [ $((dist1 - dist0)) -gt 1 ] && echo t)" \
	"ticks $ticks0 -> $ticks1, distribution times $dist0 -> $dist1"
errs=$(grep -E ' PANIC: |xphere tick .*ERROR: ' "$TMP/crash.log" || true)
check_empty "the server log has no PANIC and no failed tick" "$errs"

finish

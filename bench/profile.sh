#!/usr/bin/env bash
# bench/profile.sh: where an API call's microseconds go.
#
# For each API call of bench/ops (the bench/ops/NAME.sql scripts, over the
# users, pools and positions of bench/ops/setup.sql), pgbench runs the call
# alone with one client for SECONDS seconds, with pg_stat_statements
# counting every statement, those run inside PL/pgSQL and SQL functions
# included (pg_stat_statements.track = all), with their planning
# (track_planning = on).  Per call it prints the client's latency beside
# the server's planning and execution of the statement pgbench sends (the
# baseline: the whole call, 100%), then a table of the statements the call
# ran, ordered by total time: the query (shortened to 70 characters),
# calls per API call, mean microseconds (planning + execution), of which
# planning, and share of the call.  A nested statement's time includes
# that of the statements it runs in turn, so the shares overlap and do not
# add up to 100%.  Then the PL/pgSQL functions the call went through
# (track_functions = pl): calls per API call, mean self and total time; a
# function's self time holds its simple expressions (assignments, IF
# conditions), which PL/pgSQL evaluates without the executor and
# pg_stat_statements does not time.
#
# With perf=1 (or PROFILE_PERF=1), perf records the pgbench backend for the
# run (perf record -g -p PID) and the top 15 symbols by self time are
# printed (perf report --no-children --stdio); perf comes with the Debian
# package linux-perf, and the script fails at once when it is missing.
# That profile is of the same run, so it holds pg_stat_statements' own
# work too; for a profile without it, see bench/README.md (by hand).
#
# Calls: the reads balance pending_rewards pending_staking position_health
# supplied_balance, and the writes transfer deposit supply withdraw_supply
# borrow repay claim stake purchase swap request_withdrawal (the default,
# in this order); the API's own names (purchase_machine,
# claim_staking_rewards, pending_mining_rewards, pending_staking_rewards)
# are accepted.  They run in the order given, on the same database, so
# repay finds the loans an earlier borrow made.  Run through bench/run.sh
# (it preloads pg_stat_statements for this script, see the line below):
#   bash bench/run.sh profile [calls="transfer supply"] [seconds=5] [users=1000]
#                             [perf=1] [rows=20]
# preload: pg_stat_statements
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
# the reads first, on the positions of the set-up (one loan a user; a
# repay run closes loans, and position_health reads only open ones)
calls="balance pending_rewards pending_staking position_health supplied_balance transfer deposit
	supply withdraw_supply borrow repay claim stake purchase swap request_withdrawal"
seconds=5 users=1000 perf=${PROFILE_PERF:-0} rows=20
for kv in "$@"; do eval "${kv%%=*}=\${kv#*=}"; done
export PATH="${XPHERE_PGBIN:-/usr/lib/postgresql/15/bin}:$PATH"

# the bench/ops script of a call
script() {
	case $1 in
		withdraw_supply) echo bench/ops/withdraw.sql ;;
		purchase_machine) echo bench/ops/purchase.sql ;;
		claim_staking_rewards) echo bench/ops/claim.sql ;;
		pending_mining_rewards) echo bench/ops/pending_rewards.sql ;;
		pending_staking_rewards) echo bench/ops/pending_staking.sql ;;
		*) echo "bench/ops/$1.sql" ;;
	esac
}
for c in $calls; do
	[ -f "$(script "$c")" ] || { echo "unknown call $c: no $(script "$c")" >&2; exit 1; }
done
if [ "$perf" = 1 ] && ! command -v perf >/dev/null; then
	echo "perf=1: perf is not installed (Debian package linux-perf: apt-get install linux-perf)" >&2
	exit 1
fi
if ! psql -X -At -d postgres -c 'SHOW shared_preload_libraries' | grep -qw pg_stat_statements; then
	echo "pg_stat_statements is not preloaded: run through bench/run.sh profile, or in a cluster" \
		"started with shared_preload_libraries=xphere,pg_stat_statements" >&2
	exit 1
fi

db=xphere_bench_profile
tmp=$(mktemp -d)
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }
# the background worker's ticks would be counted with the calls
worker() { psql -X -q -d postgres -c "ALTER SYSTEM $1" -c 'SELECT pg_reload_conf()' >/dev/null; }
worker 'SET xphere.worker_enabled = off'
trap 'rm -rf "$tmp"; worker "RESET xphere.worker_enabled"; dropdb --if-exists "$db"' EXIT

dropdb --if-exists "$db"
createdb "$db"
echo "setting up $users users (bench/ops/setup.sql) ..."
q -v users="$users" -f bench/ops/setup.sql >/dev/null
q -c 'CREATE EXTENSION pg_stat_statements' >/dev/null
# for pgbench's session only; every other statement of this script runs in
# database postgres, or is left out of the figures (the resetting one)
counting="-c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on -c track_functions=pl"

# the pid of the backend serving pgbench, once it has connected
backend_pid() {
	local pid i
	for ((i = 0; i < 100; i++)); do
		pid=$(psql -X -At -d postgres -c "SELECT pid FROM pg_stat_activity WHERE datname = '$db'
			AND application_name = 'pgbench' AND backend_type = 'client backend' LIMIT 1")
		[ -z "$pid" ] || { echo "$pid"; return; }
		sleep 0.1
	done
	echo "no pgbench backend found" >&2
	return 1
}
# until the pgbench backend has gone: a backend writes its function
# statistics as it exits, before it leaves pg_stat_activity
pgbench_gone() {
	while [ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'
		AND application_name = 'pgbench'")" != 0 ]; do sleep 0.1; done
}

echo "pgbench, 1 client, $seconds s per call, simple query protocol; µs per API call"
for c in $calls; do
	q -c 'SELECT pg_stat_statements_reset(), pg_stat_reset()' >/dev/null
	rm -f "$tmp/perf.data"
	PGOPTIONS="$counting" pgbench -n -c 1 -j 1 -T "$seconds" -D users="$users" -f "$(script "$c")" "$db" \
		>"$tmp/pgbench.out" 2>&1 &
	bench=$!
	if [ "$perf" = 1 ]; then
		pid=$(backend_pid)
		perf record -q -g -p "$pid" -o "$tmp/perf.data" >/dev/null 2>&1 &
		recorder=$!
	fi
	wait "$bench" || {
		echo "$c: pgbench failed" >&2
		grep -E 'ERROR|aborted' "$tmp/pgbench.out" | head -5 >&2
		exit 1
	}
	if [ "$perf" = 1 ]; then
		# perf stops by itself when the backend exits; SIGINT if it has not yet
		pgbench_gone
		kill -INT "$recorder" 2>/dev/null || true
		wait "$recorder" || true
	fi
	pgbench_gone
	n=$(awk '/^number of transactions actually processed/ {print $6; exit}' "$tmp/pgbench.out")
	latency=$(awk '/^latency average = / {print $4 * 1000; exit}' "$tmp/pgbench.out")
	echo
	q -v call="$c" -v n="$n" -v latency="$latency" -v rows="$rows" <<-'EOF'
		CREATE TEMP TABLE s AS
		SELECT toplevel, regexp_replace(query, '\s+', ' ', 'g') AS query, calls,
			total_plan_time + total_exec_time AS total, total_plan_time AS plan
		FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND query !~ 'pg_stat_statements_reset'
			-- PL/pgSQL's simple expressions, planned once and then evaluated
			-- without the executor (their time is their function's self time)
			AND calls > 0;
		-- the statement pgbench sends: the API call, the baseline of the shares
		CREATE TEMP TABLE api AS
		SELECT sum(calls) AS calls, sum(total) AS total, sum(plan) AS plan FROM s WHERE toplevel;
		SELECT format('### %s: %s transactions of one call; latency %s µs at the client, of which the server'
				' %s µs (planning %s, execution %s) for the statement pgbench sends',
			:'call', calls, round(:latency), round((1000 * total / calls)::numeric),
			round((1000 * plan / calls)::numeric), round((1000 * (total - plan) / calls)::numeric))
		FROM api;
		SELECT format('(pgbench counted %s transactions: the figures hold statements of other sessions)', :n)
		FROM api WHERE calls <> :n;
		\echo
		\echo '| statement | calls per API call | mean µs | of which planning | share of the call |'
		\echo '| --- | ---: | ---: | ---: | ---: |'
		SELECT format('| %s%s | %s | %s | %s | %s%% |',
			replace(CASE WHEN length(query) > 70 THEN left(query, 67) || '...' ELSE query END, '|', '\|'),
			CASE WHEN toplevel THEN ' (the call)' ELSE '' END,
			round(s.calls / api.calls, 2), round((1000 * s.total / s.calls)::numeric, 1),
			round((1000 * s.plan / s.calls)::numeric, 1), round((100 * s.total / api.total)::numeric, 1))
		FROM s, api
		ORDER BY s.total DESC, s.query
		LIMIT :rows;
		SELECT format('(%s more statement%s, the longest %s%% of the call)', count(*) - :rows,
			CASE WHEN count(*) - :rows > 1 THEN 's' ELSE '' END,
			round((100 * max(s.total) FILTER (WHERE r > :rows) / max(api.total))::numeric, 1))
		FROM (SELECT *, row_number() OVER (ORDER BY total DESC, query) AS r FROM s) s, api
		HAVING count(*) > :rows;
		\echo
		\echo '| PL/pgSQL function | calls per API call | mean self µs | mean total µs |'
		\echo '| --- | ---: | ---: | ---: |'
		SELECT format('| %s.%s | %s | %s | %s |', f.schemaname, f.funcname,
			round(f.calls / api.calls, 2), round((1000 * f.self_time / f.calls)::numeric, 1),
			round((1000 * f.total_time / f.calls)::numeric, 1))
		FROM pg_stat_user_functions f, api
		WHERE f.calls > 0
		ORDER BY f.self_time DESC
		LIMIT 10;
	EOF
	if [ "$perf" = 1 ]; then
		echo
		echo "perf, the pgbench backend, top 15 symbols by self time:"
		echo
		# awk reads to the end (head would cut perf off, a failure under
		# pipefail) and drops the IPC columns perf adds without hardware counters
		perf report -i "$tmp/perf.data" --no-children --stdio -g none --percent-limit 0 \
			--sort dso,symbol 2>/dev/null |
			awk '!/^#/ && NF { sub(/ +- +- *$/, ""); if (++n <= 15) print }'
	fi
done
echo
echo "reproduce: bash bench/run.sh profile calls=\"$(echo $calls)\" seconds=$seconds users=$users" \
	"perf=$perf rows=$rows"

#!/usr/bin/env bash
#
# test/scripts/worker.sh - the background worker (src/worker.c) in clusters of its
# own: restarts, crashes, an immediate shutdown and a standby need a server
# nobody else uses, so the cluster run.sh provides is not touched.
#
# Run by test/run.sh; by hand (as root or as the postgres user):
#     bash test/scripts/worker.sh
#
# It makes throw-away clusters with initdb under a mktemp -d directory
# (unix sockets there, no TCP, ports picked in 55000-55999), all with
# shared_preload_libraries = 'xphere' and xphere.tick_interval = 1, and
# checks:
#   1. it ticks: worker_status of a database with the extension shows runs
#      increasing and last_ok, job_state.ticks increases over ~5 s; a
#      database without the extension gets no row and no error;
#   2. reload: xphere.tick_interval = 3 (ALTER SYSTEM + pg_reload_conf())
#      lowers the rate of ticks; xphere.worker_enabled = off stops them
#      (worker_status.enabled false, ticks constant over 3 s); on again,
#      they resume;
#   3. xphere.databases naming a database that does not exist and one
#      without the extension: one WARNING for each (not one per cycle), and
#      one more after the setting changes; xphere.databases = 'xw1' ticks
#      xw1 only (xw2 has the extension too);
#   4. DROP DATABASE (without FORCE) of ticked databases succeeds while the
#      worker runs, and the launcher keeps ticking the others;
#   5. a failing tick (a garbage distribution_interval) is logged, counted
#      in worker_status (failures, last_error), commits nothing and is
#      retried, and recorded in tick_history (ok false, the error, run_by
#      worker); fixed, the next tick is ok;
#   5b. a database whose extension is still 0.1.0 (not updated) is not
#      ticked: worker_status says why, the server log says it once with a
#      hint; after ALTER EXTENSION xphere UPDATE it ticks;
#   6. kill -9 of the launcher, then of a tick worker stopped in the middle
#      of a mining distribution: the server crash-restarts, the launcher
#      comes back, ticks resume, check_invariants() is empty and the
#      machine was paid exactly floor(1.2e18 x online_us / 86400e6) raw
#      units as of its last distribution (no double accrual);
#   7. the same after pg_ctl stop -m immediate in the middle of a
#      distribution and a restart;
#   8. a streaming standby (pg_basebackup -R, preloading xphere) runs no
#      launcher (pg_stat_activity, ps), logs no xphere error, while the
#      primary keeps ticking; promoted, it starts its launcher;
#   9. a cluster started with xphere.worker_enabled = off never ticks (and
#      does once it is turned on).
# Section 4 also checks that worker_status forgets a dropped database and
# that a DROP DATABASE neither wakes the launcher for an extra tick nor
# makes a tick worker fail (checked with tick_interval = 60; the FATAL
# "database N does not exist" of a tick worker is excluded from the final
# scan of the primary's log).
#
# XPHERE_KEEP_TMP=1 keeps the temporary directory (clusters and logs).
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# the clusters of this script only: ignore run.sh's connection settings
unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGHOSTADDR

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

cluster_tmp worker
trap cleanup_clusters EXIT
trap 'exit 143' TERM INT HUP	# (so that cleanup runs)

# the settings of every cluster of this script (new_cluster adds the port,
# socket, cluster_name and log_line_prefix)
XCONF=("shared_preload_libraries = 'xphere'" "xphere.tick_interval = 1" "max_worker_processes = 8")

started=$SECONDS

# ===========================================================================
# the primary: xw1 and xw2 with the extension, xw_noext without
# ===========================================================================
free_port
P1=$PORT
new_cluster primary "$P1" "${XCONF[@]}"
start_cluster primary
echo "# primary on port $P1, $("$PGBIN/postgres" --version)"

ticks() { q "$P1" "${1:-xw1}" -c "SELECT ticks FROM xphere.job_state"; }
launcher_pid() {	# PORT: pid of the launcher, empty if none
	q "$1" postgres -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'xphere launcher'" \
		2>/dev/null || true
}
status() {	# COLUMN [DB]: a column of worker_status for xw1 (seen from xw1)
	q "$P1" xw1 -c "SELECT $1 FROM xphere.worker_status WHERE database = '${2:-xw1}'"
}

for db in xw1 xw2 xw_noext; do
	q "$P1" postgres -c "CREATE DATABASE $db"
done
for db in xw1 xw2; do
	q "$P1" "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION xphere CASCADE"
done

# a miner in xw1: bought now (the real clock), paid by each distribution
MID=$(q "$P1" xw1 <<-'EOF'
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	SELECT xphere.register_user('miner@worker.test', 'password-1', 'Miner') AS uid \gset
	SELECT xphere.deposit(:'uid', 'USDT', '100'::xphere.wad, '0x3777182a758baba47bff157b6dcb86d3503b4a7acd3eb86435979902b1a8706d') AS dep \gset
	SELECT xphere.purchase_machine(:'uid', 'p1');
EOF
)
echo "# machine $MID (plan p1, 1.2 XP/day) in xw1"

# invariants_ok LABEL: check_invariants() in xw1 is empty
invariants_ok() {
	local rows
	rows=$(q "$P1" xw1 -c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()" 2>&1) ||
		rows="query failed: $rows"
	check_empty "$1: check_invariants() returns no rows" "$rows"
}
# exact_pay_ok LABEL: the machine was paid exactly what it earned by its
# last distribution: paid_xp = machine_earned(.., paid_at) =
# floor(1.2e18 x online_us / 86400e6) raw units = its reward rows = the
# miner's XP balance, and the last reward row is at paid_at
exact_pay_ok() {
	local rows
	rows=$(q "$P1" xw1 2>&1 <<-EOF
		SET search_path = public, xphere;
		SELECT format('paid_xp %s, machine_earned at paid_at %s, formula %s raw, reward rows %s (%s), '
			'last calculated_at %s, paid_at %s, balance %s',
			paid_xp, earned, formula, rewards, n, last_calc, paid_at, bal)
		FROM (SELECT m.paid_xp, m.paid_at,
				xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since,
									  m.paid_at) AS earned,
				div(1200000000000000000::numeric * (m.online_us_before
					+ xphere_internal.micros_between(m.online_since, m.paid_at)), 86400000000) AS formula,
				(SELECT sum(r.amount) FROM xphere.mining_rewards r WHERE r.machine_id = m.id) AS rewards,
				(SELECT count(*) FROM xphere.mining_rewards r WHERE r.machine_id = m.id) AS n,
				(SELECT max(r.calculated_at) FROM xphere.mining_rewards r
				 WHERE r.machine_id = m.id) AS last_calc,
				xphere.balance(m.user_id, 'XP') AS bal
			  FROM xphere.user_machines m WHERE m.id = '$MID') x
		WHERE paid_at IS NULL OR n = 0
		   OR NOT (paid_xp = earned AND paid_xp::numeric * 1000000000000000000 = formula
				   AND rewards = paid_xp AND last_calc = paid_at AND bal = paid_xp);
	EOF
	) || rows="query failed: $rows"
	if [ -z "$rows" ]; then
		ok "$1: paid_xp = machine_earned(paid_at) = floor(1.2e18 x online_us / 86400e6), = reward rows"
	else
		not_ok "$1: paid_xp = machine_earned(paid_at) = floor(1.2e18 x online_us / 86400e6), = reward rows"
		printf '%s\n' "$rows" | diag
	fi
}
rewards_count() {
	q "$P1" xw1 -c "SELECT count(*) FROM xphere.mining_rewards WHERE machine_id = '$MID'"
}

# ===========================================================================
echo "# 1. it ticks"
# ===========================================================================
if wait_for "$P1" xw1 "SELECT coalesce((SELECT runs > 0 FROM xphere.worker_status
	WHERE database = 'xw1'), false)" 10; then
	ok "worker_status has a row for xw1 within 10 s"
else
	not_ok "worker_status has a row for xw1 within 10 s"
	q "$P1" xw1 -c "TABLE xphere.worker_status" | diag
fi
r0=$(status runs)
t0=$(ticks)
sleep 5
r1=$(status runs)
t1=$(ticks)
N1=$((t1 - t0))
echo "# interval 1 s: $((r1 - r0)) runs, $N1 ticks in 5 s"
check_true "worker_status.runs increases (tick_interval = 1)" "$([ "$r1" -gt "$r0" ] && echo t)" \
	"runs $r0 -> $r1"
check_true "job_state.ticks increases by 3..6 in 5 s" "$([ "$N1" -ge 3 ] && [ "$N1" -le 6 ] && echo t)" \
	"ticks $t0 -> $t1"
check "last_ok, no failure, last_result is tick()'s jsonb, ticks shown" \
	"$(q "$P1" xw1 -c "SELECT last_ok, failures, last_error IS NULL, last_result ? 'at',
		last_result ? 'pools_accrued', ticks > 0, enabled, launcher_started IS NOT NULL
		FROM xphere.worker_status WHERE database = 'xw1'")" 't|0|t|t|t|t|t|t'
check "worker_status.launcher_pid is the launcher of pg_stat_activity" \
	"$(q "$P1" xw1 -c "SELECT launcher_pid FROM xphere.worker_status WHERE database = 'xw1'")" \
	"$(launcher_pid "$P1")"
check "xw2 (with the extension) ticks too" \
	"$(q "$P1" xw2 -c "SELECT ticks > 0 FROM xphere.job_state")" t
check "no worker_status row for xw_noext nor postgres (no extension)" \
	"$(q "$P1" xw1 -c "SELECT count(*) FROM xphere.worker_status
		WHERE database IN ('xw_noext', 'postgres')")" 0
errs=$(grep -E ' (ERROR|FATAL|PANIC|WARNING): ' "$TMP/primary.log" || true)
check_empty "the server log has no ERROR/FATAL/PANIC/WARNING (xw_noext ticked without errors)" "$errs"

# ===========================================================================
echo "# 2. reload: tick_interval, worker_enabled"
# ===========================================================================
q "$P1" postgres -c "ALTER SYSTEM SET xphere.tick_interval = 3" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1
check "SHOW xphere.tick_interval after reload" "$(q "$P1" xw1 -c "SHOW xphere.tick_interval")" 3s
t0=$(ticks)
sleep 7
t1=$(ticks)
N3=$((t1 - t0))
echo "# interval 3 s: $N3 ticks in 7 s (interval 1 s: $N1 in 5 s)"
check_true "tick_interval 3: 2..3 ticks in 7 s, a lower rate than with 1 s" \
	"$([ "$N3" -ge 2 ] && [ "$N3" -le 3 ] && [ $((N3 * 5)) -lt $((N1 * 7)) ] && echo t)" \
	"$N3 ticks in 7 s with tick_interval 3 ($N1 in 5 s with 1)"

q "$P1" postgres -c "ALTER SYSTEM SET xphere.worker_enabled = off" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1.5	# a tick already running finishes
t0=$(ticks)
r0=$(status runs)
sleep 3
check "worker_enabled off: worker_status.enabled false" "$(status enabled)" f
check "worker_enabled off: ticks and runs constant over 3 s" "$(ticks) $(status runs)" "$t0 $r0"

q "$P1" postgres -c "ALTER SYSTEM RESET xphere.worker_enabled" \
	-c "ALTER SYSTEM RESET xphere.tick_interval" -c "SELECT pg_reload_conf()" >/dev/null
if wait_for "$P1" xw1 "SELECT ticks > $t0 FROM xphere.job_state" 5; then
	ok "worker_enabled on again: ticks resume within 5 s"
else
	not_ok "worker_enabled on again: ticks resume within 5 s"
fi
check "worker_enabled on again: worker_status.enabled true" "$(status enabled)" t

# ===========================================================================
echo "# 3. xphere.databases"
# ===========================================================================
# names that are no database, or a database without the extension: a
# WARNING once per name, not at every cycle (interval 1 s: 3 cycles in 3 s)
logpos=$(log_size primary)
q "$P1" postgres -c "ALTER SYSTEM SET xphere.databases = 'xw1, nosuchdb, postgres'" \
	-c "SELECT pg_reload_conf()" >/dev/null
sleep 3.5
warns() {	# PATTERN: WARNING lines matching PATTERN in the log since $logpos
	log_since primary "$logpos" | grep -c "WARNING:  xphere launcher: database $1" || true
}
check "xphere.databases names nosuchdb: one WARNING that it does not exist, over 3 cycles" \
	"$(warns '"nosuchdb" named in xphere.databases does not exist')" 1
check "xphere.databases names postgres (no extension): one WARNING that it lacks the extension" \
	"$(warns '"postgres" named in xphere.databases does not have the extension xphere')" 1
check "no warning about xw1, which has the extension" "$(warns '"xw1"')" 0
check_true "xw1 is ticked meanwhile" \
	"$(q "$P1" xw1 -c "SELECT last_ok AND last_end > now() - interval '2 seconds' FROM xphere.worker_status
		WHERE database = 'xw1'")" "worker_status of xw1: $(q "$P1" xw1 -c "SELECT * FROM xphere.worker_status")"
# another value of the setting: said again, once
logpos=$(log_size primary)
q "$P1" postgres -c "ALTER SYSTEM SET xphere.databases = 'nosuchdb, xw1, postgres'" \
	-c "SELECT pg_reload_conf()" >/dev/null
sleep 3.5
check "a new value of xphere.databases: the nosuchdb WARNING once more" \
	"$(warns '"nosuchdb" named in xphere.databases does not exist')" 1
check "a new value of xphere.databases: the postgres WARNING once more" \
	"$(warns '"postgres" named in xphere.databases does not have the extension xphere')" 1

q "$P1" postgres -c "ALTER SYSTEM SET xphere.databases = 'xw1'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1.5
a1=$(ticks xw1)
a2=$(ticks xw2)
sleep 3
b1=$(ticks xw1)
b2=$(ticks xw2)
check_true "xphere.databases = 'xw1': xw1 keeps ticking" "$([ "$b1" -gt "$a1" ] && echo t)" \
	"xw1 ticks $a1 -> $b1"
check "xphere.databases = 'xw1': xw2 is not ticked over 3 s" "$b2" "$a2"
q "$P1" postgres -c "ALTER SYSTEM RESET xphere.databases" -c "SELECT pg_reload_conf()" >/dev/null
if wait_for "$P1" xw2 "SELECT ticks > $b2 FROM xphere.job_state" 5; then
	ok "xphere.databases reset: xw2 ticks again"
else
	not_ok "xphere.databases reset: xw2 ticks again"
fi

# ===========================================================================
echo "# 4. DROP DATABASE of a ticked database"
# ===========================================================================
L=$(launcher_pid "$P1")
q "$P1" postgres -c "CREATE DATABASE xw_drop"
q "$P1" xw_drop -c "SET client_min_messages = warning" -c "CREATE EXTENSION xphere CASCADE"
if wait_for "$P1" xw1 "SELECT coalesce((SELECT runs >= 2 FROM xphere.worker_status
	WHERE database = 'xw_drop'), false)" 10; then
	ok "xw_drop (with the extension) is ticked"
else
	not_ok "xw_drop (with the extension) is ticked"
fi
t=$SECONDS
out=$(q "$P1" postgres -c "DROP DATABASE xw_drop" 2>&1) && rc=0 || rc=$?
check "DROP DATABASE xw_drop (no FORCE) succeeds while the worker runs" "$rc $out" "0 "
echo "# (took $((SECONDS - t)) s)"
# databases without the extension are connected to as well: drop some
drops=''
for i in 1 2 3; do
	q "$P1" postgres -c "CREATE DATABASE xw_drop$i"
	sleep 1.2
	out=$(q "$P1" postgres -c "DROP DATABASE xw_drop$i" 2>&1) && rc=0 || rc=$?
	drops="$drops$rc$out "
done
check "DROP DATABASE of 3 ticked databases without the extension succeeds" "$drops" "0 0 0 "
t0=$(ticks)
if wait_for "$P1" xw1 "SELECT ticks >= $t0 + 2 FROM xphere.job_state" 5; then
	ok "after the drops, xw1 keeps ticking"
else
	not_ok "after the drops, xw1 keeps ticking"
fi
check "the launcher is still the same process" "$(launcher_pid "$P1")" "$L"
check "worker_status no longer lists the dropped databases" \
	"$(q "$P1" xw1 -c "SELECT string_agg(database, ',') FROM xphere.worker_status
		WHERE database NOT IN (SELECT datname FROM pg_database)")" ''
# A DROP DATABASE is no reason to tick: with a long interval, it must
# neither start a tick nor make a tick worker fail to connect ("database
# N does not exist", as when a drop wakes the launcher, which then starts
# a worker for the database being dropped).
q "$P1" postgres -c "ALTER SYSTEM SET xphere.tick_interval = 60" -c "SELECT pg_reload_conf()" >/dev/null
sleep 1.5
t0=$(ticks)
logpos=$(log_size primary)
for i in 1 2; do
	q "$P1" postgres -c "CREATE DATABASE xw_wake$i"
	sleep 0.3
	q "$P1" postgres -c "DROP DATABASE xw_wake$i"
	sleep 0.3
done
sleep 1
check "tick_interval 60: DROP DATABASE starts no tick" "$(ticks)" "$t0"
errs=$(log_since primary "$logpos" | grep -E ' (ERROR|FATAL|PANIC): ' || true)
check_empty "tick_interval 60: DROP DATABASE makes no tick worker fail" "$errs" 10
q "$P1" postgres -c "ALTER SYSTEM RESET xphere.tick_interval" -c "SELECT pg_reload_conf()" >/dev/null

# ===========================================================================
echo "# 5. a failing tick is logged and retried"
# ===========================================================================
L=$(launcher_pid "$P1")
logpos=$(log_size primary)
f0=$(status failures)
q "$P1" xw1 -c "UPDATE xphere.settings SET value = 'garbage' WHERE key = 'distribution_interval'"
if wait_for "$P1" xw1 "SELECT failures > $f0 FROM xphere.worker_status WHERE database = 'xw1'" 5; then
	ok "a failing tick counts in worker_status.failures"
else
	not_ok "a failing tick counts in worker_status.failures"
fi
t0=$(ticks)
f1=$(status failures)
if wait_for "$P1" xw1 "SELECT failures >= $f1 + 2 FROM xphere.worker_status WHERE database = 'xw1'" 5; then
	ok "it is retried at each interval (failures keep increasing)"
else
	not_ok "it is retried at each interval (failures keep increasing)"
fi
check "worker_status: last_ok false, last_error says why" \
	"$(q "$P1" xw1 -c "SELECT last_ok, last_error FROM xphere.worker_status WHERE database = 'xw1'")" \
	'f|invalid input syntax for type interval: "garbage"'
check "a failed tick commits nothing (job_state.ticks constant)" "$(ticks)" "$t0"
check_true "the failed ticks are in tick_history (ok false, the error, run_by worker)" \
	"$(q "$P1" xw1 -c "SELECT count(*) >= 2 AND bool_and(error = 'invalid input syntax for type interval: \"garbage\"'
		AND result IS NULL AND duration >= interval '0')
		FROM xphere.tick_history WHERE NOT ok AND run_by = 'worker'")" \
	"$(q "$P1" xw1 -c "SELECT ok, run_by, error FROM xphere.tick_history ORDER BY id DESC LIMIT 5")"
logged=$(log_since primary "$logpos" |
	grep -c 'xphere tick .*ERROR:  invalid input syntax for type interval: "garbage"' || true)
check_true "the server log has the error, from a tick worker" \
	"$([ "$logged" -ge 2 ] && echo t)" "$logged matching lines; the log since: $(log_since primary "$logpos" | head -5)"
check "the launcher survives failing ticks" "$(launcher_pid "$P1")" "$L"
r0=$(status runs)
# fixed; and from now on every tick distributes (for 6 and 7)
q "$P1" xw1 -c "UPDATE xphere.settings SET value = '1 second' WHERE key = 'distribution_interval'"
if wait_for "$P1" xw1 "SELECT last_ok AND runs > $r0 FROM xphere.worker_status
	WHERE database = 'xw1'" 5; then
	ok "fixed: the next tick is ok"
else
	not_ok "fixed: the next tick is ok"
fi
if wait_for "$P1" xw1 "SELECT ticks > $t0 FROM xphere.job_state" 5; then
	ok "fixed: job_state.ticks increases again"
else
	not_ok "fixed: job_state.ticks increases again"
fi
if wait_for "$P1" xw1 "SELECT count(*) >= 2 FROM xphere.mining_rewards WHERE machine_id = '$MID'" 6; then
	ok "distribution_interval 1 second: the ticks pay the machine"
else
	not_ok "distribution_interval 1 second: the ticks pay the machine"
fi
invariants_ok "before any crash"
exact_pay_ok "before any crash"

# ===========================================================================
echo "# 5b. a database still at 0.1.0 is skipped, and said so once"
# ===========================================================================
logpos=$(log_size primary)
q "$P1" postgres -c "CREATE DATABASE xw_old"
q "$P1" xw_old -c "SET client_min_messages = warning" -c "CREATE EXTENSION xphere VERSION '0.1.0' CASCADE"
if wait_for "$P1" xw1 "SELECT coalesce((SELECT last_result ? 'skipped' FROM xphere.worker_status
		WHERE database = 'xw_old'), false)" 10; then
	ok "the launcher visits the 0.1.0 database and skips it (within 10 s)"
else
	not_ok "the launcher visits the 0.1.0 database and skips it (within 10 s)"
	q "$P1" xw1 -c "TABLE xphere.worker_status" | diag
fi
e0=$(q "$P1" xw1 -c "SELECT last_end FROM xphere.worker_status WHERE database = 'xw_old'")
sleep 2.5
check_true "it is visited at every cycle (last_end moves on)" \
	"$(q "$P1" xw1 -c "SELECT last_end > '$e0' FROM xphere.worker_status WHERE database = 'xw_old'")" \
	"last_end stayed $e0"
check "a 0.1.0 database is not ticked: its job_state.ticks stays 0" "$(ticks xw_old)" 0
check "worker_status says why: the version and the command that fixes it" \
	"$(q "$P1" xw1 -c "SELECT last_ok, last_result ->> 'skipped', last_result ->> 'extversion',
		last_result ->> 'library', last_result ->> 'hint' FROM xphere.worker_status WHERE database = 'xw_old'")" \
	"t|true|0.1.0|$(q "$P1" postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'xphere'")|run ALTER EXTENSION xphere UPDATE"
check "the server log says it once, not at every cycle" \
	"$(log_since primary "$logpos" | grep -c 'not ticking database "xw_old": extension xphere is at version 0.1.0' || true)" 1
check "the log line carries the hint" \
	"$(log_since primary "$logpos" | grep -c 'HINT:  Run ALTER EXTENSION xphere UPDATE in that database.' || true)" 1
q "$P1" xw_old -c "SET client_min_messages = warning" -c "ALTER EXTENSION xphere UPDATE"
if wait_for "$P1" xw_old "SELECT ticks > 0 FROM xphere.job_state" 5; then
	ok "updated, the database ticks"
else
	not_ok "updated, the database ticks"
fi
check "worker_status no longer says skipped" \
	"$(q "$P1" xw1 -c "SELECT last_ok, last_result ? 'skipped' FROM xphere.worker_status WHERE database = 'xw_old'")" 't|f'
q "$P1" postgres -c "DROP DATABASE xw_old"

# ===========================================================================
echo "# 6. kill -9 of the launcher, of a tick worker in a distribution"
# ===========================================================================
# wait_launcher_back OLD-PID SECONDS: a launcher with another pid appears
wait_launcher_back() {
	local old=$1 deadline=$((SECONDS + $2)) l
	while [ $SECONDS -lt $deadline ]; do
		l=$(launcher_pid "$P1")
		if [ -n "$l" ] && [ "$l" != "$old" ]; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}
# after_crash LABEL: ticks and payments resume, the money is exact
after_crash() {
	local label=$1 t0=$2 c0=$3
	if wait_for "$P1" xw1 "SELECT ticks >= $t0 + 2 FROM xphere.job_state" 10; then
		ok "$label: ticks resume"
	else
		not_ok "$label: ticks resume"
		q "$P1" xw1 -c "TABLE xphere.worker_status" 2>&1 | diag
	fi
	if wait_for "$P1" xw1 "SELECT count(*) > $c0 FROM xphere.mining_rewards
		WHERE machine_id = '$MID'" 10; then
		ok "$label: distributions resume"
	else
		not_ok "$label: distributions resume"
	fi
	invariants_ok "$label"
	exact_pay_ok "$label"
}
# block_distribution NAME: a session holds a SHARE lock on xphere.events,
# so the next distribution stops at its event insert with its payments
# made and not committed; prints the pid of the blocked tick worker
block_distribution() {
	q "$P1" xw1 >"$TMP/$1.out" 2>&1 <<-'EOF' &
		BEGIN;
		LOCK TABLE xphere.events IN SHARE MODE;
		SELECT pg_sleep(60);
	EOF
	BG_PIDS+=("$!")
	BLOCKER=$!
	local deadline=$((SECONDS + 10)) pid
	while [ $SECONDS -lt $deadline ]; do
		pid=$(q "$P1" xw1 -c "SELECT a.pid FROM pg_stat_activity a
			JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
			WHERE a.backend_type = 'xphere tick' AND a.datname = 'xw1'
			  AND l.relation = 'xphere.events'::regclass" 2>/dev/null || true)
		[ -z "$pid" ] || break
		sleep 0.1
	done
	BLOCKED_TICK=$pid
}

# --- the launcher
L=$(launcher_pid "$P1")
logpos=$(log_size primary)
t0=$(ticks)
c0=$(rewards_count)
t=$SECONDS
[ -n "$L" ] && kill -9 "$L"
if [ -n "$L" ] && wait_launcher_back "$L" 30; then
	ok "kill -9 launcher: a new launcher runs ($((SECONDS - t)) s)"
else
	not_ok "kill -9 launcher: a new launcher runs within 30 s"
	log_since primary "$logpos" | tail -20 | diag
fi
check_true "kill -9 launcher: the postmaster saw it and reinitialized" \
	"$(log_since primary "$logpos" | grep -q "xphere launcher.*(PID $L) was terminated by signal 9" &&
		log_since primary "$logpos" | grep -q 'all server processes terminated; reinitializing' && echo t)" \
	"log: $(log_since primary "$logpos" | head -10)"
after_crash "kill -9 launcher" "$t0" "$c0"

# --- a tick worker in the middle of a distribution
L=$(launcher_pid "$P1")
block_distribution block6
logpos=$(log_size primary)
t0=$(ticks)
c0=$(rewards_count)
if [ -n "$BLOCKED_TICK" ]; then
	ok "a tick worker of xw1 is stopped inside a distribution (pid $BLOCKED_TICK)"
	kill -9 "$BLOCKED_TICK"
	if wait_launcher_back "$L" 30; then
		ok "kill -9 tick worker: the server restarts, a new launcher runs"
	else
		not_ok "kill -9 tick worker: the server restarts, a new launcher runs"
		log_since primary "$logpos" | tail -20 | diag
	fi
	check_true "kill -9 tick worker: the postmaster saw it and reinitialized" \
		"$(log_since primary "$logpos" | grep -q "xphere tick.*(PID $BLOCKED_TICK) was terminated by signal 9" &&
			log_since primary "$logpos" | grep -q 'all server processes terminated; reinitializing' && echo t)" \
		"log: $(log_since primary "$logpos" | head -10)"
else
	not_ok "a tick worker of xw1 is stopped inside a distribution"
	q "$P1" postgres -c "SELECT pid, backend_type, datname, wait_event_type, wait_event, query
		FROM pg_stat_activity" 2>&1 | diag
	kill "$BLOCKER" 2>/dev/null || true
fi
wait "$BLOCKER" 2>/dev/null || true
after_crash "kill -9 tick worker" "$t0" "$c0"

# ===========================================================================
echo "# 7. immediate shutdown in the middle of a distribution"
# ===========================================================================
block_distribution block7
t0=$(ticks)
c0=$(rewards_count)
check_true "a tick worker of xw1 is stopped inside a distribution" "$([ -n "$BLOCKED_TICK" ] && echo t)" \
	"no blocked tick worker found"
as_pg "$PGBIN/pg_ctl" -D "$TMP/primary" -m immediate stop >/dev/null
wait "$BLOCKER" 2>/dev/null || true
start_cluster primary
if wait_launcher_back "" 15; then
	ok "immediate shutdown, restart: the launcher runs"
else
	not_ok "immediate shutdown, restart: the launcher runs"
fi
after_crash "immediate shutdown" "$t0" "$c0"
echo "# machine paid $(q "$P1" xw1 -c "SELECT paid_xp || ' XP in ' || (SELECT count(*)
	FROM xphere.mining_rewards WHERE machine_id = '$MID') || ' distributions, up to ' || paid_at
	FROM xphere.user_machines WHERE id = '$MID'")"

# ===========================================================================
echo "# 8. a streaming standby runs no launcher"
# ===========================================================================
free_port
P2=$PORT
if as_pg "$PGBIN/pg_basebackup" -h "$SOCK" -p "$P1" -U postgres -D "$TMP/standby" -R \
	-X stream -c fast >"$TMP/basebackup.log" 2>&1; then
	printf "port = %s\ncluster_name = 'standby'\n" "$P2" |
		as_pg tee -a "$TMP/standby/postgresql.conf" >/dev/null
	start_cluster standby
	if wait_for "$P2" postgres "SELECT pg_is_in_recovery()" 10; then
		ok "the standby is in recovery"
	else
		not_ok "the standby is in recovery"
	fi
	check "the standby preloads xphere" "$(q "$P2" postgres -c "SHOW shared_preload_libraries")" xphere
	t0=$(ticks)
	sleep 4
	t1=$(ticks)
	check_true "the primary keeps ticking" "$([ "$t1" -ge $((t0 + 2)) ] && echo t)" "ticks $t0 -> $t1"
	if wait_for "$P2" xw1 "SELECT ticks >= $t1 FROM xphere.job_state" 10; then
		ok "the standby replays the primary's ticks"
	else
		not_ok "the standby replays the primary's ticks"
	fi
	check "standby: no xphere process in pg_stat_activity" \
		"$(q "$P2" postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'xphere%'")" 0
	spm=$(head -1 "$TMP/standby/postmaster.pid")
	procs=$(ps -o pid=,args= --ppid "$spm" || true)
	check "standby: ps shows no xphere process among the postmaster's children" \
		"$(printf '%s\n' "$procs" | grep -c xphere || true)" 0
	check_true "standby: ps does list its other processes (startup, walreceiver)" \
		"$(printf '%s\n' "$procs" | grep -q 'walreceiver' && echo t)" "$procs"
	check "standby: worker_status is empty" \
		"$(q "$P2" xw1 -c "SELECT count(*) FROM xphere.worker_status")" 0
	errs=$(grep -i xphere "$TMP/standby.log" | grep -vF "$TMP/" || true)
	check_empty "standby: its log does not mention xphere (no launcher, no error)" "$errs"
	# promoted, recovery is over: the launcher starts
	as_pg "$PGBIN/pg_ctl" -D "$TMP/standby" -w promote >/dev/null 2>&1 || true
	if wait_for "$P2" postgres "SELECT count(*) = 1 FROM pg_stat_activity
		WHERE backend_type = 'xphere launcher'" 10; then
		ok "promoted: the launcher starts"
	else
		not_ok "promoted: the launcher starts"
		tail -20 "$TMP/standby.log" | diag
	fi
	s0=$(q "$P2" xw1 -c "SELECT ticks FROM xphere.job_state")
	if wait_for "$P2" xw1 "SELECT ticks > $s0 FROM xphere.job_state" 5; then
		ok "promoted: it ticks"
	else
		not_ok "promoted: it ticks"
	fi
	as_pg "$PGBIN/pg_ctl" -D "$TMP/standby" -m fast stop >/dev/null 2>&1 || true
else
	not_ok "pg_basebackup of the primary"
	diag "$TMP/basebackup.log"
fi
errs=$(grep -E ' (ERROR|FATAL|PANIC): ' "$TMP/primary.log" |
	grep -v 'xphere tick .*ERROR:  invalid input syntax for type interval: "garbage"' |
	grep -v -E 'the database system is (in recovery mode|starting up|not yet accepting connections)' |
	grep -v -E 'xphere tick : FATAL:  database [0-9]+ does not exist' || true)
check_empty "primary: no unexpected ERROR/FATAL/PANIC in its log" "$errs"
as_pg "$PGBIN/pg_ctl" -D "$TMP/primary" -m fast stop >/dev/null 2>&1 || true

# ===========================================================================
echo "# 9. started with xphere.worker_enabled = off"
# ===========================================================================
free_port
P3=$PORT
new_cluster off "$P3" "${XCONF[@]}" "xphere.worker_enabled = off"
start_cluster off
q "$P3" postgres -c "CREATE DATABASE xw9"
q "$P3" xw9 -c "SET client_min_messages = warning" -c "CREATE EXTENSION xphere CASCADE"
sleep 4
check "worker_enabled off from the start: no tick, no worker_status row" \
	"$(q "$P3" xw9 -c "SELECT (SELECT ticks FROM xphere.job_state), (SELECT count(*) FROM xphere.worker_status)")" \
	'0|0'
check "worker_enabled off from the start: no tick worker in the log" \
	"$(grep -c 'xphere tick' "$TMP/off.log" || true)" 0
q "$P3" postgres -c "ALTER SYSTEM SET xphere.worker_enabled = on" -c "SELECT pg_reload_conf()" >/dev/null
if wait_for "$P3" xw9 "SELECT ticks > 0 FROM xphere.job_state" 5; then
	ok "turned on by a reload, it ticks"
else
	not_ok "turned on by a reload, it ticks"
fi

finish

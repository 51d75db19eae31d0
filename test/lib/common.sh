# shellcheck shell=bash
# test/lib/common.sh - helpers shared by the test/scripts/*.sh scripts.
#
# Sourced, never run: each script does
#     . "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# right after its "set -euo pipefail" / "exec </dev/null".  Sourcing it
# only defines functions and variables (PGBIN, fails, BG_PIDS, CLUSTERS,
# USED_PORTS, ROLE_HOST, WORKER_PAUSED); it makes no directory, sets no
# trap and connects nowhere.
# (test/run.sh runs test/scripts/*.sh only, so this file, elsewhere, is not
# taken for a test.)
#
# What a script may call:
#   ok / not_ok / check / check_true / check_empty / diag / finish
#       TAP-like "ok - ..." / "not ok - ..." lines, "fails" counts the
#       failed checks, finish prints the time and exits 1 if any failed;
#   sql / sql_on / invariants_ok / release_together / barrier_sql /
#   pgbench_run / pgbench_value / cleanup_databases / as_role /
#   drop_roles / pause_worker / resume_worker
#       scripts that test in databases of the cluster the environment
#       (PGHOST, PGPORT, ...) points at: $DB, $TMP, $started (and $PW,
#       the password of the roles they create) set by them;
#   cluster_tmp / as_pg / free_port / new_cluster / start_cluster /
#   pg_ctl_do / q / wait_for / log_size / log_since / cleanup_clusters
#       scripts that make throw-away clusters of their own under $TMP.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "${0##*/}: sourced by the test/scripts/*.sh scripts, not a test of its own" >&2
	exit 2
fi

PGBIN=${XPHERE_PGBIN:-/usr/lib/postgresql/15/bin}

# ---------------------------------------------------------------------------
# checks

fails=0
ok() { echo "ok - $*"; }
not_ok() {
	echo "not ok - $*"
	fails=$((fails + 1))
}
# check DESCRIPTION GOT WANT
check() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '#   got:  %s\n#   want: %s\n' "$2" "$3"
	fi
}
# check_true DESCRIPTION CONDITION-AS-TEXT DETAIL: ok if CONDITION is "t"
check_true() {
	if [ "$2" = t ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '#   %s\n' "$3"
	fi
}
# check_empty DESCRIPTION TEXT [LINES]: ok if TEXT is empty, else not ok
# and its first LINES (default 20) lines as diagnostics.  Compute TEXT
# with "var=$(...)" first, so that a failing command still stops the
# script under set -e.
check_empty() {
	if [ -z "$2" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '%s\n' "$2" | head -"${3:-20}" | diag
	fi
}
diag() { sed 's/^/#   /' "$@"; }

# finish: the run time since $started, then exit 1 if any check failed,
# else 0
finish() {
	echo "# $((SECONDS - started)) s"
	if [ "$fails" -gt 0 ]; then
		echo "# $fails check(s) failed"
		exit 1
	fi
	exit 0
}

# ---------------------------------------------------------------------------
# databases of the cluster run.sh provides

BG_PIDS=()		# background processes to kill on exit

# sql_on DB ARGS...: psql on DB, xphere on the search_path for the wad
# operators and aggregates
sql_on() {
	local db=$1
	shift
	PGOPTIONS="${PGOPTIONS:-} -c search_path=public,xphere" \
		"$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt -d "$db" "$@"
}
# sql ARGS...: the same on $DB
sql() { sql_on "$DB" "$@"; }

# invariants_ok LABEL CLOCK: check_invariants() in $DB returns no rows at
# CLOCK (it compares what machines were paid with what they earned by now)
invariants_ok() {
	local rows
	rows=$(sql -c "SET xphere.clock = '$2'" \
		-c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()")
	check_empty "$1: check_invariants() returns no rows" "$rows"
}

# release_together NAME KEY FILE...: run one psql session per FILE in $DB,
# all released at the same moment.  Each FILE must start by waiting for
# the shared advisory lock KEY (see barrier_sql); this function holds KEY
# exclusively until every session waits for it, then lets them all go.
# Session i writes $TMP/NAME.i.out, .err and .rc.
barrier_sql() {	# KEY: the lines a worker file starts with
	printf '\\o /dev/null\nSELECT pg_advisory_lock_shared(%d);\n\\o\n' "$1"
}
release_together() {
	local name=$1 key=$2 n i pid
	shift 2
	n=$#
	# the holder: take KEY, wait (at most 30 s) for n waiters, release
	"$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt -d "$DB" >"$TMP/$name.holder.out" 2>&1 <<-EOF &
		\o /dev/null
		SELECT pg_advisory_lock($key);
		DO \$\$
		DECLARE
			deadline timestamptz := clock_timestamp() + interval '30 s';
		BEGIN
			WHILE (SELECT count(*) FROM pg_locks
				   WHERE locktype = 'advisory' AND objid = $key AND NOT granted
					 AND database = (SELECT oid FROM pg_database
									 WHERE datname = current_database())) < $n LOOP
				IF clock_timestamp() > deadline THEN
					RAISE EXCEPTION 'barrier: fewer than $n sessions arrived';
				END IF;
				PERFORM pg_sleep(0.005);
			END LOOP;
		END \$\$;
		SELECT pg_advisory_unlock($key);
	EOF
	local holder=$!
	BG_PIDS+=("$holder")
	# start the sessions only once the holder has the lock
	for _ in $(seq 300); do
		[ "$(sql -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
			AND objid = $key AND granted AND mode = 'ExclusiveLock'")" = 1 ] && break
		sleep 0.1
	done
	local pids=()
	i=0
	for f in "$@"; do
		i=$((i + 1))
		(
			rc=0
			"$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt -d "$DB" -f "$f" \
				>"$TMP/$name.$i.out" 2>"$TMP/$name.$i.err" || rc=$?
			echo "$rc" >"$TMP/$name.$i.rc"
		) &
		pids+=("$!")
		BG_PIDS+=("$!")
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || true
	done
	if ! wait "$holder"; then
		echo "# barrier holder failed:"
		diag "$TMP/$name.holder.out"
		return 1
	fi
}

# pgbench_run NAME ARGS...: run pgbench on $DB, output in $TMP/NAME.log;
# prints its exit status
pgbench_run() {
	local name=$1 rc=0
	shift
	"$PGBIN/pgbench" -n --failures-detailed --verbose-errors "$@" "$DB" \
		>"$TMP/$name.log" 2>&1 || rc=$?
	echo "$rc"
}
# pgbench_value NAME LABEL: the first number after "LABEL:" in its output
pgbench_value() {
	sed -n "s/^$2: *\([0-9][0-9]*\).*/\1/p" "$TMP/$1.log" | head -1
}
# pgbench_errors NAME: the lines of its output that tell of an error
pgbench_errors() {
	grep -E -i 'deadlock detected|could not serialize|ERROR|aborted' "$TMP/$1.log" || true
}

# cleanup_databases DB...: (for "trap ... EXIT") kill what runs in the
# background, drop the databases, remove $TMP
cleanup_databases() {
	local pid db
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	for db in "$@"; do
		"$PGBIN/dropdb" --if-exists --force "$db" >/dev/null 2>&1 || true
	done
	rm -rf "$TMP"
}

# Login roles a script creates (cluster-wide names) log in over TCP with a
# password: ROLE_HOST is PGHOST, unless that is a socket directory (pg_hba
# "peer" there), then 127.0.0.1.
case "${PGHOST:-}" in
'' | /*) ROLE_HOST=127.0.0.1 ;;
*) ROLE_HOST=$PGHOST ;;
esac

# as_role ROLE [PSQL ARGS]: psql as ROLE in $DB with password $PW, a new
# session (the role's ALTER ROLE settings apply); ROLE_PGOPTIONS are its
# connection options
as_role() {
	local role=$1
	shift
	PGOPTIONS=${ROLE_PGOPTIONS:-} PGUSER=$role PGPASSWORD=$PW PGHOST=$ROLE_HOST \
		"$PGBIN/psql" -X -qAt -v ON_ERROR_STOP=1 -d "$DB" "$@"
}

# drop_roles ROLE...: DROP ROLE IF EXISTS each (for the EXIT trap, and for
# what a killed run left); quiet, never fails
drop_roles() {
	local r
	for r in "$@"; do
		"$PGBIN/psql" -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true
	done
}

# pause_worker [SECONDS]: when the library is loaded (the background
# worker may be ticking this cluster's databases on the real clock), turn
# the worker off (ALTER SYSTEM, reload) and wait SECONDS, by default a tick
# interval and one more second so that a cycle in flight finishes;
# resume_worker (for the EXIT trap) resets the setting if it was paused
WORKER_PAUSED=
pause_worker() {
	local interval wait
	"$PGBIN/psql" -X -qAt -d postgres -c 'SHOW xphere.tick_interval' >/dev/null 2>&1 || return 0
	interval=$("$PGBIN/psql" -X -qAt -d postgres -c \
		"SELECT setting FROM pg_settings WHERE name = 'xphere.tick_interval'")
	wait=${1:-$((interval + 1))}
	"$PGBIN/psql" -X -q -d postgres -c 'ALTER SYSTEM SET xphere.worker_enabled = off' \
		-c 'SELECT pg_reload_conf()' >/dev/null
	WORKER_PAUSED=1
	echo "# background worker paused for this test (tick interval ${interval}s)"
	sleep "$wait"
}
resume_worker() {
	[ -n "$WORKER_PAUSED" ] || return 0
	"$PGBIN/psql" -X -q -d postgres -c 'ALTER SYSTEM RESET xphere.worker_enabled' \
		-c 'SELECT pg_reload_conf()' >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------
# throw-away clusters of a script's own, under $TMP

CLUSTERS=()		# data directories started by the script

# cluster_tmp NAME: TMP = a new mktemp -d directory (xphere-NAME.XXXXXX),
# SOCK = its sock/ subdirectory for the unix sockets; owned by postgres
# when run as root
cluster_tmp() {
	TMP=$(mktemp -d -t "xphere-$1.XXXXXX")
	SOCK=$TMP/sock
	mkdir "$SOCK"
	if [ "$(id -u)" = 0 ]; then
		chown -R postgres: "$TMP"
	fi
}

# run a server program as the postgres user (the server refuses root)
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# free_port: sets PORT to an unused port in 55000-55999
USED_PORTS=' '
free_port() {
	local p
	for _ in $(seq 500); do
		p=$((55000 + RANDOM % 1000))
		case "$USED_PORTS" in *" $p "*) continue ;; esac
		if [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ] &&
			[ ! -e "/tmp/.s.PGSQL.$p" ] && [ ! -e "/var/run/postgresql/.s.PGSQL.$p" ]; then
			USED_PORTS="$USED_PORTS$p "
			PORT=$p
			return 0
		fi
	done
	echo "# no free port in 55000-55999" >&2
	return 1
}

# new_cluster NAME PORT [CONF-LINE...]: initdb $TMP/NAME (cluster_name
# NAME, on PORT, no TCP, unix socket in $SOCK), then the CONF-LINEs
new_cluster() {
	local name=$1 port=$2 line
	shift 2
	if ! as_pg "$PGBIN/initdb" -D "$TMP/$name" -U postgres --auth=trust --no-sync \
		-E UTF8 --locale=C >"$TMP/$name.initdb.log" 2>&1; then
		echo "# initdb $name failed:"
		diag "$TMP/$name.initdb.log"
		exit 1
	fi
	{
		echo "port = $port"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$SOCK'"
		echo "cluster_name = '$name'"
		echo "log_line_prefix = '%m [%p] %b %d: '"
		for line in "$@"; do
			echo "$line"
		done
	} | as_pg tee -a "$TMP/$name/postgresql.conf" >/dev/null
}

# pg_ctl_do NAME ARGS...: pg_ctl ARGS (waiting, at most 60 s) on $TMP/NAME,
# log in $TMP/NAME.log; exits the script if it fails
pg_ctl_do() {
	local name=$1
	shift
	if ! as_pg "$PGBIN/pg_ctl" -D "$TMP/$name" -l "$TMP/$name.log" -w -t 60 "$@" >/dev/null 2>&1; then
		echo "# cluster $name: pg_ctl $* failed:"
		tail -30 "$TMP/$name.log" | diag
		exit 1
	fi
}
# start_cluster NAME: pg_ctl start, log in $TMP/NAME.log (stopped on exit)
start_cluster() {
	CLUSTERS+=("$TMP/$1")
	pg_ctl_do "$1" start
}

# q PORT DB [psql args]: psql to one of our clusters
q() {
	local port=$1 db=$2
	shift 2
	"$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt -h "$SOCK" -p "$port" -U postgres -d "$db" "$@"
}

# wait_for PORT DB SQL SECONDS [POLL]: poll (every POLL seconds, default
# 0.2) until SQL returns "t" (errors, as while a server restarts, count as
# "not yet"); returns 1 on timeout
wait_for() {
	local port=$1 db=$2 sql=$3 deadline=$((SECONDS + $4))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(q "$port" "$db" -c "$sql" 2>/dev/null || true)" = t ] && return 0
		sleep "${5:-0.2}"
	done
	return 1
}

# log_size NAME / log_since NAME OFFSET: the server log from a byte offset
log_size() { stat -c %s "$TMP/$1.log"; }
log_since() { tail -c +"$(($2 + 1))" "$TMP/$1.log"; }

# cleanup_clusters: (for "trap ... EXIT") kill what runs in the
# background, stop our clusters (immediate), remove $TMP unless
# XPHERE_KEEP_TMP is set
cleanup_clusters() {
	local pid d
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for d in "${CLUSTERS[@]}"; do
		[ -f "$d/postmaster.pid" ] &&
			as_pg "$PGBIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true
	done
	wait 2>/dev/null || true
	if [ -n "${XPHERE_KEEP_TMP:-}" ]; then
		echo "# kept $TMP"
	else
		rm -rf "$TMP"
	fi
}

#!/usr/bin/env bash
#
# test/pg_cron.sh - xphere.tick() scheduled by pg_cron instead of the
# background worker, in a throw-away cluster of its own (pg_cron must be
# in shared_preload_libraries, and cron.database_name is fixed at start).
#
# Run by test/run.sh; by hand (as root or as the postgres user):
#     bash test/pg_cron.sh
#
# The cluster (initdb under a mktemp -d directory, unix socket there, no
# TCP, a port in 55000-55999) preloads pg_cron and xphere, with the xphere
# worker off (xphere.worker_enabled = off) so that every tick comes from
# pg_cron; cron.database_name is the test database xc, cron.host the
# socket directory.  It checks:
#   1. cron.schedule('xphere-tick', '1 seconds', 'SELECT xphere.tick()')
#      (pg_cron 1.5+; with an older pg_cron, which has no seconds, the
#      schedule '* * * * *' and a wait of up to 75 s);
#   2. cron.job_run_details shows succeeded runs of it (and no failed one),
#      and xphere.job_state.ticks increased, last_tick_at recent;
#   3. cron.unschedule('xphere-tick') removes it (and, with a seconds
#      schedule, no run follows).
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
# XPHERE_KEEP_TMP=1 keeps the temporary directory (cluster and log).
#
set -euo pipefail
exec </dev/null

# the cluster of this script only: ignore run.sh's connection settings
unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGHOSTADDR

PGBIN=${XPHERE_PGBIN:-/usr/lib/postgresql/15/bin}
TMP=$(mktemp -d -t xphere-cron.XXXXXX)
SOCK=$TMP/sock
DATA=$TMP/data
DB=xc
mkdir "$SOCK"
if [ "$(id -u)" = 0 ]; then
	chown -R postgres: "$TMP"
fi

cleanup() {
	[ -f "$DATA/postmaster.pid" ] &&
		as_pg "$PGBIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
	if [ -n "${XPHERE_KEEP_TMP:-}" ]; then
		echo "# kept $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP	# (so that cleanup runs)

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
diag() { sed 's/^/#   /' "$@"; }

# run a server program as the postgres user (the server refuses root)
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# an unused port in 55000-55999
PORT=
for _ in $(seq 500); do
	p=$((55000 + RANDOM % 1000))
	if [ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ] &&
		[ ! -e "/tmp/.s.PGSQL.$p" ] && [ ! -e "/var/run/postgresql/.s.PGSQL.$p" ]; then
		PORT=$p
		break
	fi
done
if [ -z "$PORT" ]; then
	echo "# no free port in 55000-55999"
	exit 1
fi

q() {
	local db=$1
	shift
	"$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt -h "$SOCK" -p "$PORT" -U postgres -d "$db" "$@"
}
# wait_for SQL SECONDS: poll until SQL (in $DB) returns "t"
wait_for() {
	local deadline=$((SECONDS + $2))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(q "$DB" -c "$1" 2>/dev/null || true)" = t ] && return 0
		sleep 0.5
	done
	return 1
}
pg_ctl_do() {
	if ! as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$TMP/server.log" -w -t 60 "$@" >/dev/null 2>&1; then
		echo "# pg_ctl $* failed:"
		tail -30 "$TMP/server.log" | diag
		exit 1
	fi
}

started=$SECONDS
if ! as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust --no-sync -E UTF8 --locale=C \
	>"$TMP/initdb.log" 2>&1; then
	echo "# initdb failed:"
	diag "$TMP/initdb.log"
	exit 1
fi
cat <<-EOF | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
	port = $PORT
	listen_addresses = ''
	unix_socket_directories = '$SOCK'
	cluster_name = 'xphere_cron'
	shared_preload_libraries = 'pg_cron,xphere'
	xphere.worker_enabled = off
	cron.database_name = '$DB'
	cron.host = '$SOCK'
	log_line_prefix = '%m [%p] %b %d: '
EOF
pg_ctl_do start
q postgres -c "CREATE DATABASE $DB"
# pg_cron's launcher connects to cron.database_name when it starts
pg_ctl_do restart
q "$DB" -c "SET client_min_messages = warning" -c "CREATE EXTENSION pg_cron" \
	-c "CREATE EXTENSION xphere CASCADE"
echo "# pg_cron $(q "$DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'"), xphere $(q "$DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'"), port $PORT"

check "no tick before the schedule (the xphere worker is off)" \
	"$(q "$DB" -c "SELECT ticks FROM xphere.job_state")" 0

# 1. the schedule: every second if pg_cron knows seconds, else every minute
SCHEDULE='1 seconds'
if JOBID=$(q "$DB" -c "SELECT cron.schedule('xphere-tick', '1 seconds', 'SELECT xphere.tick()')" 2>"$TMP/schedule.err"); then
	WAIT=15
else
	echo "# this pg_cron has no seconds schedules ($(head -1 "$TMP/schedule.err")): every minute"
	SCHEDULE='* * * * *'
	JOBID=$(q "$DB" -c "SELECT cron.schedule('xphere-tick', '* * * * *', 'SELECT xphere.tick()')")
	WAIT=75
fi
logpos=$(stat -c %s "$TMP/server.log")	# (an old pg_cron logged the refused schedule)
check "cron.schedule('xphere-tick', '$SCHEDULE', 'SELECT xphere.tick()') is in cron.job" \
	"$(q "$DB" -c "SELECT schedule, command, database, username, active FROM cron.job WHERE jobid = $JOBID")" \
	"$SCHEDULE|SELECT xphere.tick()|$DB|postgres|t"

# 2. it runs and ticks
t=$SECONDS
if wait_for "SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $JOBID AND status = 'succeeded'" "$WAIT"; then
	ok "cron.job_run_details has a succeeded run within $WAIT s ($((SECONDS - t)) s)"
else
	not_ok "cron.job_run_details has a succeeded run within $WAIT s"
	q "$DB" -c "SELECT status, return_message FROM cron.job_run_details WHERE jobid = $JOBID" | diag
	grep -E 'cron|ERROR|FATAL' "$TMP/server.log" | tail -20 | diag
fi
if [ "$SCHEDULE" = '1 seconds' ]; then
	sleep 3	# a few more runs
fi
# (pg_cron 1.4 reports "1 row", later versions "SELECT 1")
check "the succeeded runs returned one row" \
	"$(q "$DB" -c "SELECT bool_and(return_message IN ('1 row', 'SELECT 1')) FROM cron.job_run_details
		WHERE jobid = $JOBID AND status = 'succeeded'")" t
failed=$(q "$DB" -c "SELECT string_agg(status || ': ' || coalesce(return_message, ''), E'\n')
	FROM cron.job_run_details WHERE jobid = $JOBID AND status = 'failed'")
if [ -z "$failed" ]; then
	ok "no failed run"
else
	not_ok "no failed run"
	printf '%s\n' "$failed" | head -10 | diag
fi
runs=$(q "$DB" -c "SELECT count(*) FROM cron.job_run_details WHERE jobid = $JOBID AND status = 'succeeded'")
ticks=$(q "$DB" -c "SELECT ticks FROM xphere.job_state")
echo "# $runs succeeded runs, job_state.ticks = $ticks"
if [ "$ticks" -ge 1 ] && [ "$ticks" -ge "$runs" ]; then
	ok "xphere.job_state.ticks increased with the runs"
else
	not_ok "xphere.job_state.ticks increased with the runs"
	printf '#   ticks %s after %s succeeded runs\n' "$ticks" "$runs"
fi
check "xphere.job_state.last_tick_at is recent (within 2 minutes)" \
	"$(q "$DB" -c "SELECT last_tick_at > now() - interval '2 minutes' FROM xphere.job_state")" t

# 3. unschedule
check "cron.unschedule('xphere-tick')" "$(q "$DB" -c "SELECT cron.unschedule('xphere-tick')")" t
check "cron.job is empty" "$(q "$DB" -c "SELECT count(*) FROM cron.job")" 0
if [ "$SCHEDULE" = '1 seconds' ]; then
	sleep 1.5	# a run already started ends
	t0=$(q "$DB" -c "SELECT ticks FROM xphere.job_state")
	sleep 3
	check "unscheduled: no more ticks over 3 s" "$(q "$DB" -c "SELECT ticks FROM xphere.job_state")" "$t0"
fi

errs=$(tail -c +"$((logpos + 1))" "$TMP/server.log" | grep -E ' (ERROR|FATAL|PANIC): ' || true)
if [ -z "$errs" ]; then
	ok "the server log has no ERROR/FATAL/PANIC once scheduled"
else
	not_ok "the server log has no ERROR/FATAL/PANIC once scheduled"
	printf '%s\n' "$errs" | head -20 | diag
fi

echo "# $((SECONDS - started)) s"
if [ "$fails" -gt 0 ]; then
	echo "# $fails check(s) failed"
	exit 1
fi
exit 0

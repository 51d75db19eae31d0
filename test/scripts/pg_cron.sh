#!/usr/bin/env bash
#
# test/scripts/pg_cron.sh - xphere.tick() scheduled by pg_cron instead of the
# background worker, in a throw-away cluster of its own (pg_cron must be
# in shared_preload_libraries, and cron.database_name is fixed at start).
#
# Run by test/run.sh; by hand (as root or as the postgres user):
#     bash test/scripts/pg_cron.sh
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

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

cluster_tmp cron
NAME=xphere_cron	# the cluster: $TMP/$NAME, its log $TMP/$NAME.log
DB=xc
trap cleanup_clusters EXIT
trap 'exit 143' TERM INT HUP	# (so that cleanup runs)

free_port

started=$SECONDS
new_cluster "$NAME" "$PORT" "shared_preload_libraries = 'pg_cron,xphere'" \
	"xphere.worker_enabled = off" "cron.database_name = '$DB'" "cron.host = '$SOCK'"
start_cluster "$NAME"
q "$PORT" postgres -c "CREATE DATABASE $DB"
# pg_cron's launcher connects to cron.database_name when it starts
pg_ctl_do "$NAME" restart
q "$PORT" "$DB" -c "SET client_min_messages = warning" -c "CREATE EXTENSION pg_cron" \
	-c "CREATE EXTENSION xphere CASCADE"
echo "# pg_cron $(q "$PORT" "$DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'"), xphere $(q "$PORT" "$DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'"), port $PORT"

check "no tick before the schedule (the xphere worker is off)" \
	"$(q "$PORT" "$DB" -c "SELECT ticks FROM xphere.job_state")" 0

# 1. the schedule: every second if pg_cron knows seconds, else every minute
SCHEDULE='1 seconds'
if JOBID=$(q "$PORT" "$DB" -c "SELECT cron.schedule('xphere-tick', '1 seconds', 'SELECT xphere.tick()')" 2>"$TMP/schedule.err"); then
	WAIT=15
else
	echo "# this pg_cron has no seconds schedules ($(head -1 "$TMP/schedule.err")): every minute"
	SCHEDULE='* * * * *'
	JOBID=$(q "$PORT" "$DB" -c "SELECT cron.schedule('xphere-tick', '* * * * *', 'SELECT xphere.tick()')")
	WAIT=75
fi
logpos=$(log_size "$NAME")	# (an old pg_cron logged the refused schedule)
check "cron.schedule('xphere-tick', '$SCHEDULE', 'SELECT xphere.tick()') is in cron.job" \
	"$(q "$PORT" "$DB" -c "SELECT schedule, command, database, username, active FROM cron.job WHERE jobid = $JOBID")" \
	"$SCHEDULE|SELECT xphere.tick()|$DB|postgres|t"

# 2. it runs and ticks
t=$SECONDS
if wait_for "$PORT" "$DB" "SELECT count(*) > 0 FROM cron.job_run_details WHERE jobid = $JOBID AND status = 'succeeded'" \
	"$WAIT" 0.5; then
	ok "cron.job_run_details has a succeeded run within $WAIT s ($((SECONDS - t)) s)"
else
	not_ok "cron.job_run_details has a succeeded run within $WAIT s"
	q "$PORT" "$DB" -c "SELECT status, return_message FROM cron.job_run_details WHERE jobid = $JOBID" | diag
	grep -E 'cron|ERROR|FATAL' "$TMP/$NAME.log" | tail -20 | diag
fi
if [ "$SCHEDULE" = '1 seconds' ]; then
	sleep 3	# a few more runs
fi
# (pg_cron 1.4 reports "1 row", later versions "SELECT 1")
check "the succeeded runs returned one row" \
	"$(q "$PORT" "$DB" -c "SELECT bool_and(return_message IN ('1 row', 'SELECT 1')) FROM cron.job_run_details
		WHERE jobid = $JOBID AND status = 'succeeded'")" t
failed=$(q "$PORT" "$DB" -c "SELECT string_agg(status || ': ' || coalesce(return_message, ''), E'\n')
	FROM cron.job_run_details WHERE jobid = $JOBID AND status = 'failed'")
check_empty "no failed run" "$failed" 10
runs=$(q "$PORT" "$DB" -c "SELECT count(*) FROM cron.job_run_details WHERE jobid = $JOBID AND status = 'succeeded'")
ticks=$(q "$PORT" "$DB" -c "SELECT ticks FROM xphere.job_state")
echo "# $runs succeeded runs, job_state.ticks = $ticks"
if [ "$ticks" -ge 1 ] && [ "$ticks" -ge "$runs" ]; then
	ok "xphere.job_state.ticks increased with the runs"
else
	not_ok "xphere.job_state.ticks increased with the runs"
	printf '#   ticks %s after %s succeeded runs\n' "$ticks" "$runs"
fi
check "xphere.job_state.last_tick_at is recent (within 2 minutes)" \
	"$(q "$PORT" "$DB" -c "SELECT last_tick_at > now() - interval '2 minutes' FROM xphere.job_state")" t

# 3. unschedule
check "cron.unschedule('xphere-tick')" "$(q "$PORT" "$DB" -c "SELECT cron.unschedule('xphere-tick')")" t
check "cron.job is empty" "$(q "$PORT" "$DB" -c "SELECT count(*) FROM cron.job")" 0
if [ "$SCHEDULE" = '1 seconds' ]; then
	sleep 1.5	# a run already started ends
	t0=$(q "$PORT" "$DB" -c "SELECT ticks FROM xphere.job_state")
	sleep 3
	check "unscheduled: no more ticks over 3 s" "$(q "$PORT" "$DB" -c "SELECT ticks FROM xphere.job_state")" "$t0"
fi

errs=$(log_since "$NAME" "$logpos" | grep -E ' (ERROR|FATAL|PANIC): ' || true)
check_empty "the server log has no ERROR/FATAL/PANIC once scheduled" "$errs"

finish

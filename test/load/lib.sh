# shellcheck shell=bash
# test/load/lib.sh - the load workload shared by test/scripts/load.sh and
# test/scripts/crash.sh.  Sourced after test/lib/common.sh; the sourcing script
# defines load_psql ARGS... (psql -X -qAt -v ON_ERROR_STOP=1 on its
# database).
#
#   LOAD_MIX           kind:weight of every call of the mix (one pgbench
#                      script test/load/KIND.sql each); XPHERE_LOAD_MIX
#                      ("kind:weight ...") replaces it, to load a few calls
#                      harder while chasing a lock-order problem
#   load_setup USERS   test/load/setup.sql: helpers and starting data
#   load_pgbench_args USERS ACKLOG
#                      sets LOAD_ARGS to pgbench's -f/-D arguments for the
#                      mix; each script appends its acknowledged calls to
#                      ACKLOG, one line "client kind outcome sub value xid"
#   load_verify LOG... copies the logs into load_acks and runs
#                      test/load/verify.sql: prints one line per
#                      acknowledged call whose effect is missing
#   load_accrual       test/load/accrual.sql: prints one line per double
#                      accrual or distribution, or state gone backwards
#   load_outcomes LOG...
#                      "kind ok/err/skip counts" per kind, for the output

LOAD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# weights: mostly the user-facing calls, the operator's among them
LOAD_MIX=(
	deposit:4 request_withdrawal:3 complete_withdrawal:2 fail_withdrawal:1 transfer:6
	balance:3 swap:3
	purchase_machine:2 set_machine_status:2 pending_mining_rewards:2 distribute_mining_rewards:1
	supply:3 withdraw_supply:2 supplied_balance:2 borrow:3 repay:2 add_collateral:1
	remove_collateral:1 debt:1 position_health:1 liquidate:3 liquidatable_positions:1 set_price:1
	stake:2 pending_staking_rewards:1 claim_staking_rewards:2 unstake:1 withdraw_stake:1
	issue_refresh_token:1 rotate_refresh_token:1 revoke_refresh_tokens:1 authenticate:1
	register_user:1 tick:1
)
if [ -n "${XPHERE_LOAD_MIX:-}" ]; then
	read -ra LOAD_MIX <<<"$XPHERE_LOAD_MIX"
fi

load_setup() {
	local i
	# The worker's ticks skip while another session holds tick()'s lock,
	# the job_state row; one is held while the set-up runs.  Its statements
	# make many calls each in one transaction (a pool's borrowers, a pool
	# created between two statements of a tick), an order of locks that
	# tick() is entitled not to meet and may deadlock with; the mix that
	# follows makes one call per transaction.
	load_psql -c "CREATE EXTENSION IF NOT EXISTS xphere CASCADE" >/dev/null 2>&1
	PGAPPNAME=xphere_load_setup_lock load_psql -c "BEGIN" \
		-c "SELECT 1 FROM xphere.job_state FOR UPDATE" -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
	for i in $(seq 100); do
		[ "$(load_psql -c "SELECT count(*) FROM pg_stat_activity
			WHERE application_name = 'xphere_load_setup_lock' AND wait_event = 'PgSleep'")" = 1 ] && break
		sleep 0.1
	done
	load_psql -v users="$1" -f "$LOAD_DIR/setup.sql" >/dev/null
	load_psql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'xphere_load_setup_lock'" >/dev/null
	wait $! 2>/dev/null || true
}

load_pgbench_args() {
	local kw
	LOAD_ARGS=(-D users="$1" -D acklog="$2")
	for kw in "${LOAD_MIX[@]}"; do
		LOAD_ARGS+=(-f "$LOAD_DIR/${kw%%:*}.sql@${kw#*:}")
	done
}

load_verify() {
	load_psql -c 'TRUNCATE load_acks' >/dev/null
	cat "$@" | load_psql -c "\\copy load_acks FROM STDIN (DELIMITER ' ')" >/dev/null
	load_psql -f "$LOAD_DIR/verify.sql"
}

load_accrual() {
	load_psql -f "$LOAD_DIR/accrual.sql"
}

load_outcomes() {
	cat "$@" | awk '{ n[$2 " " $3]++; k[$2] = 1 }
		END { for (x in k) printf "%s ok %d, err %d, skip %d\n", x, n[x " ok"], n[x " err"], n[x " skip"] }' |
		sort
}

#!/usr/bin/env bash
# bench/ops.sh: TPS of xphere's API under pgbench, against pgbench's
# built-in tpcb-like and simple-update on the same cluster, at 1, 2, 4 and
# 8 clients (DURATION seconds per run).  Run through bench/run.sh (a
# throw-away cluster):
#   bash bench/run.sh ops [users=10000] [clients="1 2 4 8"] [duration=20]
#                         [pgledger=/path/to/pgledger.sql]
#
# Workloads (one API call per transaction, users drawn uniformly):
#   mixed API   what an application sends: half reads, half writes
#               reads  50: balance 15, pending_mining_rewards 10,
#                          position_health + debt 10, supplied_balance 5,
#                          pending_staking_rewards 5
#               writes 50: transfer 16, supply 7, withdraw_supply 5,
#                          borrow 5, repay 5, deposit 4, claim 2,
#                          request_withdrawal 2, swap 2, purchase 1, stake 1
#   lending     writes only, all on the one pool row: supply 30,
#               withdraw_supply 20, borrow 30, repay 20
#   single-row  the lending mix's baseline: UPDATE of one row of a one-row
#               table, one statement per transaction (bench/ops/single_row.sql,
#               in the tpcb-like database); every client waits for that row
#               as every lending write waits for the pool's row
#   transfer    xphere.transfer() alone between two random users
#   pgledger transfer   with pgledger=FILE only: the same transfer through
#               pgr0ss/pgledger's pgledger_create_transfer(), installed from
#               FILE (with the vendor/scoville-pgsql-ulid/ files beside it,
#               if there) in a database of its own, between USERS accounts
#               (bench/ops/pgledger_setup.sql, bench/ops/pgledger_transfer.sql);
#               pgledger's code is not part of this repository, bench/README.md
#               says how to get it
#   tpcb-like, simple-update   pgbench's own, scale 10
set -euo pipefail
cd "$(dirname "$0")/.."
users=10000 clients="1 2 4 8" duration=20 pgledger=
for kv in "$@"; do eval "${kv%%=*}=\${kv#*=}"; done
export PATH="${XPHERE_PGBIN:-/usr/lib/postgresql/15/bin}:$PATH"
if [ -n "$pgledger" ] && [ ! -f "$pgledger" ]; then
	echo "pgledger=$pgledger: no such file (bench/README.md says how to get pgledger.sql)" >&2
	exit 1
fi

db_ops=xphere_bench_ops db_tpcb=xphere_bench_tpcb db_ledger=xphere_bench_pgledger
dropdb --if-exists "$db_ops"; dropdb --if-exists "$db_tpcb"; dropdb --if-exists "$db_ledger"
createdb "$db_ops"; createdb "$db_tpcb"
echo "setting up $users users ..."
psql -X -q -d "$db_ops" -v users="$users" -f bench/ops/setup.sql >/dev/null
pgbench -q -i -s 10 "$db_tpcb" >/dev/null 2>&1
psql -X -q -v ON_ERROR_STOP=1 -d "$db_tpcb" >/dev/null <<-'EOF'
	CREATE TABLE bench_single_row (id integer PRIMARY KEY, n bigint NOT NULL);
	INSERT INTO bench_single_row VALUES (1, 0);
	VACUUM ANALYZE bench_single_row;
EOF
if [ -n "$pgledger" ]; then
	echo "installing pgledger from $pgledger, $users accounts ..."
	createdb "$db_ledger"
	# pgledger.sql calls uuid_to_ulid(), which its repository vendors from
	# scoville/pgsql-ulid; load those files first when they are beside it
	ulid=$(dirname "$pgledger")/vendor/scoville-pgsql-ulid
	files=()
	for f in "$ulid/ulid-to-uuid.sql" "$ulid/uuid-to-ulid.sql"; do
		[ ! -f "$f" ] || files+=(-f "$f")
	done
	psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$db_ledger" "${files[@]}" \
		-f "$pgledger" >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d "$db_ledger" -v accounts="$users" \
		-f bench/ops/pgledger_setup.sql >/dev/null
	pgledger_version="sha256 $(sha256sum "$pgledger" | cut -c1-12)"
	if commit=$(git -C "$(dirname "$pgledger")" rev-parse --short=12 HEAD 2>/dev/null); then
		pgledger_version+=", commit $commit"
	fi
fi

o=bench/ops
mixed=(-f $o/balance.sql@15 -f $o/pending_rewards.sql@10 -f $o/position_health.sql@10
	-f $o/supplied_balance.sql@5 -f $o/pending_staking.sql@5 -f $o/transfer.sql@16
	-f $o/supply.sql@7 -f $o/withdraw.sql@5 -f $o/borrow.sql@5 -f $o/repay.sql@5
	-f $o/deposit.sql@4 -f $o/claim.sql@2 -f $o/request_withdrawal.sql@2 -f $o/swap.sql@2
	-f $o/purchase.sql@1 -f $o/stake.sql@1)
lending=(-f $o/supply.sql@3 -f $o/withdraw.sql@2 -f $o/borrow.sql@3 -f $o/repay.sql@2)
ledger_cols= ledger_head= ledger_rule=
if [ -n "$pgledger" ]; then
	ledger_head=" pgledger transfer | xphere transfer / pgledger transfer |" ledger_rule=" ---: | ---: |"
fi

failed_total=0
# run NAME CLIENTS PGBENCH-ARGS...: prints the TPS, adds failed transactions
run() {
	local name=$1 c=$2 out tps failed
	shift 2
	out=$(pgbench -n -c "$c" -j "$((c < 2 ? c : 2))" -T "$duration" "$@" 2>&1) || {
		echo "$name, $c clients: pgbench failed" >&2
		grep -E 'ERROR|aborted' <<<"$out" | head -5 >&2
		exit 1
	}
	failed=$(awk '/^number of failed transactions/ {print $5; exit}' <<<"$out")
	failed_total=$((failed_total + ${failed:-0}))
	awk '/^tps = / {printf "%.0f", $3}' <<<"$out"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }

rows=()
for c in $clients; do
	echo "$c clients ..."
	m=$(run mixed "$c" -D users="$users" "${mixed[@]}" "$db_ops")
	l=$(run lending "$c" -D users="$users" "${lending[@]}" "$db_ops")
	t=$(run tpcb-like "$c" -b tpcb-like "$db_tpcb")
	s=$(run simple-update "$c" -b simple-update "$db_tpcb")
	r=$(run single-row "$c" -f $o/single_row.sql "$db_tpcb")
	x=$(run transfer "$c" -D users="$users" -f $o/transfer.sql "$db_ops")
	if [ -n "$pgledger" ]; then
		g=$(run pgledger-transfer "$c" -D accounts="$users" -f $o/pgledger_transfer.sql "$db_ledger")
		ledger_cols=" $g | $(ratio "$x" "$g") |"
	fi
	rows+=("| $c | $m | $l | $t | $s | $(ratio "$m" "$t") | $(ratio "$m" "$s") | $(ratio "$l" "$t") | $r | $(ratio "$l" "$r") | $x |$ledger_cols")
done
invariants=$(psql -X -qAt -d "$db_ops" -c 'SELECT count(*) FROM xphere.check_invariants()')

echo
echo "TPS, ${duration} s per run, $users users; targets: mixed >= 1.0x tpcb-like, >= 0.5x simple-update;"
echo "lending / single-row >= 0.9x; xphere transfer / pgledger transfer >= 2x"
echo
echo "| clients | mixed API | lending | tpcb-like | simple-update | mixed / tpcb-like | mixed / simple-update | lending / tpcb-like | single-row | lending / single-row | transfer |$ledger_head"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |$ledger_rule"
printf '%s\n' "${rows[@]}"
echo
if [ -n "$pgledger" ]; then
	echo "pgledger: $pgledger ($pgledger_version), $users accounts"
else
	echo "pgledger transfer: skipped; to compare, add pgledger=/path/to/pgledger.sql (see bench/README.md)"
fi
echo "failed transactions: $failed_total; check_invariants() afterwards: $invariants violations"
echo "reproduce: bash bench/run.sh ops users=$users clients=\"$clients\" duration=$duration${pgledger:+ pgledger=$pgledger}"
dropdb "$db_ops"; dropdb "$db_tpcb"; [ -z "$pgledger" ] || dropdb "$db_ledger"

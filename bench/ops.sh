#!/usr/bin/env bash
# bench/ops.sh: TPS of a mix of lending calls (supply 30%, withdraw 20%,
# borrow 30%, repay 20%) over USERS users, against pgbench's built-in
# tpcb-like and simple-update on the same cluster, CLIENTS clients, DURATION
# seconds each.  Run through bench/run.sh (a throw-away cluster):
#   bash bench/run.sh ops [users=10000] [clients=4] [duration=30]
set -euo pipefail
cd "$(dirname "$0")/.."
users=10000 clients=4 duration=30
for kv in "$@"; do eval "${kv%%=*}=${kv#*=}"; done
export PATH="/usr/lib/postgresql/15/bin:$PATH"

db_ops=xphere_bench_ops db_tpcb=xphere_bench_tpcb
dropdb --if-exists "$db_ops"; dropdb --if-exists "$db_tpcb"
createdb "$db_ops"; createdb "$db_tpcb"
echo "setting up $users users ..."
psql -X -q -d "$db_ops" -v users="$users" -f bench/ops/setup.sql >/dev/null
pgbench -q -i -s 10 "$db_tpcb" >/dev/null 2>&1

tps() { awk '/^tps = / {printf "%.0f", $3}'; }
failed() { awk '/^number of failed transactions/ {print $5; exit}'; }

ops_out=$(pgbench -n -c "$clients" -j 2 -T "$duration" -D users="$users" \
	-f bench/ops/supply.sql@3 -f bench/ops/withdraw.sql@2 \
	-f bench/ops/borrow.sql@3 -f bench/ops/repay.sql@2 "$db_ops" 2>&1)
tpcb_out=$(pgbench -n -c "$clients" -j 2 -T "$duration" -b tpcb-like "$db_tpcb" 2>&1)
su_out=$(pgbench -n -c "$clients" -j 2 -T "$duration" -b simple-update "$db_tpcb" 2>&1)
ops=$(tps <<<"$ops_out") tpcb=$(tps <<<"$tpcb_out") su=$(tps <<<"$su_out")
invariants=$(psql -X -qAt -d "$db_ops" -c 'SELECT count(*) FROM xphere.check_invariants()')

echo
echo "| workload ($clients clients, ${duration} s) | TPS | xphere lending / it | target |"
echo "| --- | ---: | ---: | --- |"
echo "| xphere lending mix, $users users | $ops | | |"
echo "| pgbench tpcb-like, scale 10 | $tpcb | $(awk -v a="$ops" -v b="$tpcb" 'BEGIN {printf "%.2fx", a / b}') | >= 1.0x |"
echo "| pgbench simple-update, scale 10 | $su | $(awk -v a="$ops" -v b="$su" 'BEGIN {printf "%.2fx", a / b}') | |"
echo
echo "lending mix: $(failed <<<"$ops_out") failed transactions; check_invariants() afterwards: $invariants violations"
dropdb "$db_ops"; dropdb "$db_tpcb"

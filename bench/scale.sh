#!/usr/bin/env bash
# bench/scale.sh: does the periodic work stay flat as the platform grows?
# Sets up SMALL and then N users, each with one machine and one stake
# (bench/scale/setup.sql), and at each size times:
#   - tick() when nothing is due (pool accrual, staking checkpoint, health
#     refresh): median of TICKS ticks;
#   - tick() when a distribution is due: the round's first tick (it pays at
#     most distribution_batch machines), the whole round, and one tick with
#     distribution_batch = EQUAL_BATCH, so both sizes pay as many machines;
#     every tick in a session of its own, as the background worker runs it
#     (bench/scale/prepare.sql has the timing procedures);
#   - distribute_mining_rewards() paying every machine, against a plain
#     INSERT ... SELECT of as many rows of mining_rewards' column types, the
#     same with mining_rewards' indexes, and distribute's own statement on
#     copies of its tables without foreign keys and triggers
#     (bench/scale/distribute.sql).
# Below the table it prints the three targets on their own lines:
# distribution / same-indexes insert (<= 3x), the due tick at N against
# the one at SMALL when both pay EQUAL_BATCH machines (< 1.5x), and one due
# tick transaction at N at the default distribution_batch (<= 1 s); and
# check_invariants(), which must be 0 after each set-up and at the end
# (the script fails otherwise).
# Then, with LIQUIDATION=1, bench/liquidation.sql with N positions.
# check_invariants() is run after each set-up and at the end.  EXPLAIN=1
# adds, at size N, the plans (auto_explain) of the slow statements inside a
# due tick, a full distribution, and a due tick on generic plans
# (bench/scale/explain.sql).  Run through bench/run.sh:
#   bash bench/run.sh scale [n=1000000] [small=1000] [ticks=5] [equal_batch=1000]
#                           [liquidation=1] [explain=0]
set -euo pipefail
cd "$(dirname "$0")/.."
n=1000000 small=1000 ticks=5 equal_batch=1000 liquidation=1 explain=0
for kv in "$@"; do eval "${kv%%=*}=${kv#*=}"; done
export PATH="${XPHERE_PGBIN:-/usr/lib/postgresql/15/bin}:$PATH"
if [ "$small" -lt 101 ] || [ "$n" -lt "$small" ] || [ "$ticks" -gt 9 ]; then
	echo "need 101 <= small <= n (the loan book uses users 1-101) and ticks <= 9" >&2
	exit 1
fi

db=xphere_bench_scale
results=$(mktemp)
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
# tick FIGURE START [SECONDS]: one timed tick at START + SECONDS, in a new
# session; prints t while a distribution round is still open
tick() {
	PGOPTIONS='-c jit=off' psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" \
		-c "CALL scale_tick('$1', timestamptz '$2' + interval '${3:-0} seconds')"
}
# the background worker would tick the database at the real time meanwhile
worker() { psql -X -q -d postgres -c "ALTER SYSTEM $1" -c 'SELECT pg_reload_conf()' >/dev/null; }
worker 'SET xphere.worker_enabled = off'
trap 'rm -f "$results"; worker "RESET xphere.worker_enabled"' EXIT

for size in "$small" "$n"; do
	dropdb --if-exists "$db"
	createdb "$db"
	echo "setting up $size users, machines and stakes ..."
	t0=$(date +%s)
	psql_db -v n="$size" -f bench/scale/setup.sql >/dev/null
	echo "  set-up: $(( $(date +%s) - t0 )) s; measuring ..."
	# the extension's default, put back after the equal-batch tick
	batch=$(psql_db -At -c "SELECT value FROM xphere.settings WHERE key = 'distribution_batch'")
	t0=$(date +%s)
	psql_db -v n="$size" -f bench/scale/prepare.sql >>"$results"
	# each tick in a session of its own, as the background worker runs it
	for i in $(seq 1 "$ticks"); do
		tick steady "2027-01-01 00:0$i:00+00" >/dev/null
	done
	psql_db -c 'VACUUM ANALYZE'
	i=0
	while [ "$(tick due "2027-01-02 00:00:00+00" "$i")" = t ]; do i=$((i + 1)); done
	psql_db -c 'VACUUM ANALYZE' -c "SET xphere.clock = '2027-01-03 00:00:00+00'" \
		-c "SELECT xphere.set_setting('distribution_batch', '$equal_batch')" >/dev/null
	tick due_equal "2027-01-03 00:00:00+00" >/dev/null
	psql_db -c "SET xphere.clock = '2027-01-03 00:00:01+00'" \
		-c "SELECT xphere.set_setting('distribution_batch', '$batch')" >/dev/null
	psql_db -v n="$size" -f bench/scale/distribute.sql >>"$results"
	echo "  measurements: $(( $(date +%s) - t0 )) s"
	if [ "$size" = "$n" ] && [ "$explain" = 1 ]; then
		echo
		echo "plans of the slow statements in a due tick and in distribute_mining_rewards(), N = $n:"
		psql_db -f bench/scale/explain.sql 2>&1 | cut -c1-240
	fi
done
[ "$n" = "$small" ] || dropdb "$db"

# figure values: get N FIGURE [field], field 3 = ms (default), 4 = details
get() { awk -F'\t' -v n="$1" -v f="$2" -v c="${3:-3}" '$1 == n && $2 == f { print $c }' "$results"; }
median() { get "$1" "$2" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { get "$1" "$2" | sort -g | head -1; }
first() { get "$1" "$2" "${3:-3}" | head -1; }
total() { get "$1" "$2" | awk '{ s += $1 } END { print s }'; }
count() { get "$1" "$2" | wc -l; }
paid() { get "$1" "$2" 4 | head -1 | sed -n 's/.*"machines_paid": \([0-9]*\).*/\1/p'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
verdict() { awk -v a="$1" -v b="$2" -v op="$3" -v t="$4" \
	'BEGIN { r = a / b; print ((op == "<" ? r < t : r <= t) ? "met" : "missed") }'; }

s_steady=$(median "$small" steady) l_steady=$(median "$n" steady)
s_due=$(first "$small" due) l_due=$(first "$n" due)
s_round=$(total "$small" due) l_round=$(total "$n" due)
s_eq=$(first "$small" due_equal) l_eq=$(first "$n" due_equal)
dist=$(first "$n" distribute) plain=$(best "$n" plain_insert)
indexed=$(best "$n" indexed_insert) same=$(first "$n" same_writes)

echo
echo "| figure | ms | baseline | baseline ms | ratio | target | met/missed |"
echo "| --- | ---: | --- | ---: | ---: | --- | --- |"
echo "| tick(), nothing due, N = $n (median of $ticks) | $(ms "$l_steady") | the same, N = $small | $(ms "$s_steady") | $(ratio "$l_steady" "$s_steady") | < 2x | $(verdict "$l_steady" "$s_steady" "<" 2) |"
echo "| tick(), distribution due, N = $n: first tick, pays $(paid "$n" due) | $(ms "$l_due") | the same, N = $small, pays $(paid "$small" due) | $(ms "$s_due") | $(ratio "$l_due" "$s_due") | < 2x | $(verdict "$l_due" "$s_due" "<" 2) |"
echo "| tick(), distribution due, N = $n: both pay $equal_batch (distribution_batch = $equal_batch) | $(ms "$l_eq") | the same, N = $small | $(ms "$s_eq") | $(ratio "$l_eq" "$s_eq") | < 1.5x | $(verdict "$l_eq" "$s_eq" "<" 1.5) |"
echo "| whole distribution round through tick(), N = $n ($(count "$n" due) ticks) | $(ms "$l_round") | the same, N = $small ($(count "$small" due) ticks) | $(ms "$s_round") | $(ratio "$l_round" "$s_round") | | |"
echo "| distribute_mining_rewards(), $(first "$n" distribute 4) machines | $(ms "$dist") | plain INSERT ... SELECT of $n rows (best of 3) | $(ms "$plain") | $(ratio "$dist" "$plain") | <= 3x | $(verdict "$dist" "$plain" "<=" 3) |"
echo "| distribute_mining_rewards(), $(first "$n" distribute 4) machines | $(ms "$dist") | the same into a table with mining_rewards' indexes (best of 3) | $(ms "$indexed") | $(ratio "$dist" "$indexed") | <= 3x | $(verdict "$dist" "$indexed" "<=" 3) |"
echo "| distribute_mining_rewards(), $(first "$n" distribute 4) machines | $(ms "$dist") | its own statement on copies without foreign keys and triggers | $(ms "$same") | $(ratio "$dist" "$same") | | |"
echo
# 1000000 -> 1 000 000
spaced() { sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\| \)/\1 \2\3/; ta' <<<"$1"; }
echo "distribution / same-indexes insert, $(spaced "$n") machines: $(ratio "$dist" "$indexed") ($(ms "$dist") / $(ms "$indexed") ms); target <= 3x: $(verdict "$dist" "$indexed" "<=" 3)"
echo "due tick, $(spaced "$n") vs $(spaced "$small") machines, both paying $(spaced "$equal_batch"): $(ratio "$l_eq" "$s_eq") ($(ms "$l_eq") / $(ms "$s_eq") ms); target < 1.5x: $(verdict "$l_eq" "$s_eq" "<" 1.5)"
l_paid=$(paid "$n" due)
echo "one due tick transaction at the default batch (distribution_batch = $(spaced "$batch")), $(spaced "$n") machines, pays $(spaced "$l_paid")$([ "$l_paid" -ge "$batch" ] || echo " (all: fewer machines than a batch)"): $(ms "$l_due") ms; target <= 1000 ms: $(verdict "$l_due" 1000 "<=" 1)"
bad=0 checks=
for size in "$small" "$n"; do
	for f in invariants_setup invariants_after; do
		checks+=" $(first "$size" "$f")"
		[ "$(first "$size" "$f")" = 0 ] || bad=1
	done
done
echo "check_invariants(), rows after each set-up and at the end (N = $small, then $n):$checks; must be 0: $([ "$bad" = 0 ] && echo met || echo MISSED)"
echo
for size in "$small" "$n"; do
	echo "N = $size: first due tick returned $(first "$size" due 4)"
	echo "N = $size: a steady tick returned $(first "$size" steady 4)"
	echo "N = $size: check_invariants() after the set-up: $(first "$size" invariants_setup) rows $(first "$size" invariants_setup 4)"
	echo "N = $size: check_invariants() at the end: $(first "$size" invariants_after) rows $(first "$size" invariants_after 4)"
done

if [ "$liquidation" = 1 ]; then
	echo
	echo "liquidation scan (bench/liquidation.sql), $n positions:"
	createdb "$db"
	psql_db -v positions="$n" -f bench/liquidation.sql
	dropdb "$db"
fi
if [ "$bad" = 1 ]; then
	echo "check_invariants() was not empty (above): these figures do not count" >&2
	exit 1
fi

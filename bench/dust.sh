#!/usr/bin/env bash
# bench/dust.sh: what loans at the minimum size cost the periodic work.
# In two databases, one with the current extension and one with 0.1.0
# (CREATE EXTENSION xphere VERSION '0.1.0': health factors rewritten on
# every pass, no minimum), the same loan book grows from 0 to SMALL to
# LARGE loans of 10 XP (min_borrow_usdt at XP = 1) at the loan-to-value
# limit (13.333333333333333334 USDT each, health factor 1.0666...: all in
# the band refresh_positions_at_risk() watches, the worst case), 10 per
# user.  At each size, with xphere.clock fixed and fresh statistics, it
# times (median of RUNS runs after 2 untimed ones, each committed, in one
# session per figure):
#   - tick();
#   - set_price() posting the unchanged price;
#   - set_price() moving XP between 1 and 1.001 (each at-risk health
#     factor changes, so each is written: the cost follows the loans at
#     risk by design).
# It prints each figure beside its baseline from the same run: the same
# figure with no loans, and, for the current version, the same figure on
# 0.1.0.  check_invariants() is run at the end in both databases.
# Run through bench/run.sh:
#   bash bench/run.sh dust [small=3000] [large=30000] [runs=7]
set -euo pipefail
cd "$(dirname "$0")/.."
small=3000 large=30000 runs=7
for kv in "$@"; do eval "${kv%%=*}=${kv#*=}"; done
export PATH="${XPHERE_PGBIN:-/usr/lib/postgresql/15/bin}:$PATH"
if [ $((small % 10)) != 0 ] || [ $((large % 10)) != 0 ] || [ "$large" -lt "$small" ]; then
	echo "need small and large multiples of 10, small <= large" >&2
	exit 1
fi

new=xphere_bench_dust
old=xphere_bench_dust_010
T0='2027-01-01 00:00:00+00'
T1='2027-01-02 00:00:00+00'
results=$(mktemp)
worker() { psql -X -q -d postgres -c "ALTER SYSTEM $1" -c 'SELECT pg_reload_conf()' >/dev/null; }
worker 'SET xphere.worker_enabled = off'
trap 'rm -f "$results"; worker "RESET xphere.worker_enabled"; dropdb --if-exists "$new"; dropdb --if-exists "$old"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }

for db in "$new" "$old"; do
	dropdb --if-exists "$db"
	createdb "$db"
	version=$([ "$db" = "$old" ] && echo "VERSION '0.1.0'" || true)
	q "$db" >/dev/null <<-EOF
		SET client_min_messages = warning;
		SET xphere.clock = '$T0';
		CREATE EXTENSION xphere $version CASCADE;
		UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
		SELECT xphere.register_user('whale@dust.bench', 'password-whale', 'Whale') AS whale \gset
		SELECT xphere.deposit(:'whale', 'XP', 10000000, '0x' || encode(sha256('tx-whale'), 'hex'));
		SELECT xphere.set_price('XP', 1);
		SELECT xphere.supply(:'whale', 'lp-xp', 10000000);
		CREATE TABLE public.borrowers AS
			SELECT i, xphere.register_user('b' || i || '@dust.bench', 'password-b', 'B' || i) AS id
			FROM generate_series(1, $large / 10) i;
		SELECT count(xphere.deposit(id, 'USDT', 1000, '0x' || encode(sha256(('tx-b' || i)::bytea), 'hex'))) FROM public.borrowers;
		CREATE TABLE public.timings (seq serial, figure text, ms float8);
		CREATE PROCEDURE public.timed(p_figure text, p_sql text) LANGUAGE plpgsql AS \$\$
		DECLARE
			t0 timestamptz;
		BEGIN
			COMMIT;
			t0 := clock_timestamp();
			EXECUTE p_sql;
			COMMIT;
			INSERT INTO public.timings (figure, ms)
			VALUES (p_figure, extract(epoch FROM clock_timestamp() - t0) * 1000);
			COMMIT;
		END \$\$;
	EOF
done

# measure DB SIZE FIGURE SQL [SQL2]: runs + 2 in one session at T1, the
# first two untimed, alternating SQL and SQL2; appends the median
measure() {
	local db=$1 size=$2 figure=$3 a=$4 b=${5:-$4} i s
	{
		echo "SET xphere.clock = '$T1';"
		echo "SET jit = off;"
		for i in $(seq 1 $((runs + 2))); do
			if [ $((i % 2)) = 1 ]; then s=$a; else s=$b; fi
			printf "CALL public.timed('%s', \$q\$%s\$q\$);\n" "$([ "$i" -le 2 ] && echo warm-up || echo "$size $figure")" "$s"
		done
		echo "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) FROM public.timings WHERE figure = '$size $figure';"
	} | q "$db" | tail -1 | sed "s/^/$db\t$size\t$figure\t/" >>"$results"
}

have=0
for size in 0 "$small" "$large"; do
	for db in "$new" "$old"; do
		if [ "$size" -gt "$have" ]; then
			echo "$db: loans $have -> $size ..."
			q "$db" -c "SET xphere.clock = '$T1'" -c "SELECT xphere.set_price('XP', 1)" \
				-c "SELECT count(xphere.borrow(b.id, 'lp-xp', 10, 'USDT', '13.333333333333333334'))
					FROM public.borrowers b, generate_series(1, 10)
					WHERE b.i > $have / 10 AND b.i <= $size / 10" -c "ANALYZE" >/dev/null
		fi
		q "$db" -c "SET xphere.clock = '$T1'" -c "SELECT xphere.set_price('XP', 1)" -c "ANALYZE" >/dev/null
		measure "$db" "$size" tick "SELECT xphere.tick()"
		measure "$db" "$size" price_same "SELECT xphere.set_price('XP', '1')"
		measure "$db" "$size" price_moved "SELECT xphere.set_price('XP', '1.001')" "SELECT xphere.set_price('XP', '1')"
	done
	have=$size
done

get() { awk -F'\t' -v d="$1" -v n="$2" -v f="$3" '$1 == d && $2 == n && $3 == f { print $4 }' "$results"; }
ms() { awk -v a="$1" 'BEGIN { printf "%.2f", a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
row() {	# FIGURE-TEXT DB SIZE FIGURE BASE-TEXT BASE-DB BASE-SIZE
	local a b
	a=$(get "$2" "$3" "$4")
	b=$(get "$6" "$7" "$4")
	echo "| $1 | $(ms "$a") | $5 | $(ms "$b") | $(ratio "$a" "$b") |"
}

declare -A names=([tick]="tick()" [price_same]="set_price(), unchanged price" [price_moved]="set_price(), XP 1 <-> 1.001")
echo
echo "loans of 10 XP at the LTV limit, xphere.clock fixed, medians of $runs runs"
echo
echo "| figure | ms | baseline | baseline ms | ratio |"
echo "| --- | ---: | --- | ---: | ---: |"
for f in tick price_same price_moved; do
	for size in "$small" "$large"; do
		row "${names[$f]}, $size loans" "$new" "$size" "$f" "the same, no loans" "$new" 0
	done
	for size in "$small" "$large"; do
		row "${names[$f]}, $size loans" "$new" "$size" "$f" "the same on 0.1.0" "$old" "$size"
	done
	row "${names[$f]}, $large loans, on 0.1.0" "$old" "$large" "$f" "the same on 0.1.0, no loans" "$old" 0
done
echo
for db in "$new" "$old"; do
	echo "$db: check_invariants(): $(q "$db" -c "SET xphere.clock = '$T1'" \
		-c "SELECT count(*) FROM xphere.check_invariants()") rows"
done
echo
echo "reproduce: bash bench/run.sh dust small=$small large=$large runs=$runs"

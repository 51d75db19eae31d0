#!/usr/bin/env bash
#
# test/scripts/dust.sh - tiny loans are refused, and loans at the minimum size do
# not make tick() or set_price() pay a write per position.
#
# Run by test/run.sh inside its cluster (PGHOST, PGPORT, PGUSER = a
# superuser, ...); by hand, in a throw-away cluster:
#     pg_virtualenv -t -o shared_preload_libraries=xphere bash test/scripts/dust.sh
#
# What it ensures:
#   - a loan of 1 wei of XP against 10 wei of USDT, the attack of old (it
#     used to be accepted and flagged dust), is refused with 22023 and
#     leaves every table of schema xphere as it was;
#   - tick() and set_price() cost less than twice as much after 3 000
#     loans of the minimum size (min_borrow_usdt, 10 USDT of XP at XP = 1)
#     from 300 users as before them, in two shapes:
#       A. against 20 USDT (health factor 1.6, outside the at-risk band):
#          tick() at a fixed clock, and set_price() moving XP between 1
#          and 1.01;
#       B. 3 000 more at the loan-to-value limit (13.333333333333333334
#          USDT, health factor 1.0666...: every one inside the band
#          refresh_positions_at_risk() watches): tick() at a fixed clock,
#          and set_price() posting the unchanged price; nothing they depend
#          on moved, so no position may be read again nor written.  (A
#          price that moves does change their stored health factors, and
#          each is written once: the script prints that figure and checks
#          that exactly the 3 000 are written, but bounds nothing there.)
#     "Before" is a second database set up alike without the loans; the
#     two take turns, 7 sessions each per figure (2 untimed runs, then 3
#     timed ones, each committed on its own), so that a busy machine slows
#     both alike; each figure is the median of its 21 runs, with
#     xphere.clock fixed (the ticks accrue nothing and are comparable) and
#     fresh statistics (ANALYZE after each set-up, as autovacuum does soon
#     after a bulk change); the figures and the ratios are printed;
#   - after the loans, a tick writes no position (positions_refreshed 0
#     in what it returns);
#   - check_invariants() is empty at the end.
#
# The background worker, when preloaded, is paused meanwhile (as in
# test/scripts/dump_restore.sh): a tick at the real time would move the indexes.
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DB0=xphere_dust0_$$	# no loans: the baseline
DB1=xphere_dust1_$$	# the loans
DB=$DB1
TMP=$(mktemp -d -t xphere-dust.XXXXXX)
T0='2027-01-01 00:00:00+00'
T1='2027-01-02 00:00:00+00'
ROUNDS=7	# each figure: ROUNDS sessions per database, alternating ...
PER=3		# ... of 2 untimed runs and PER timed ones

cleanup() {
	resume_worker
	cleanup_databases "$DB0" "$DB1"
}
trap cleanup EXIT

started=$SECONDS

pause_worker

# ---------------------------------------------------------------------------
echo "# set-up, in two databases: a pool with 1 000 000 XP, XP = 1, 300 users with 1 000 USDT each"

for db in "$DB0" "$DB1"; do
	"$PGBIN/createdb" "$db"
	sql_on "$db" -v snapshot_schema=public -f "$(dirname "${BASH_SOURCE[0]}")/../lib/snapshot.sql"
	sql_on "$db" <<-EOF
		SET client_min_messages = warning;
		SET xphere.clock = '$T0';
		CREATE EXTENSION xphere CASCADE;
		UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
		SELECT xphere.set_price('XP', 1) \g /dev/null
		SELECT xphere.register_user('whale@dust.test', 'password-whale', 'Whale') AS whale \gset
		SELECT xphere.deposit(:'whale', 'XP', 1000000, '0x' || encode(sha256('tx-whale'), 'hex')) \g /dev/null
		SELECT xphere.supply(:'whale', 'lp-xp', 1000000) \g /dev/null
		CREATE TABLE public.attackers AS
			SELECT i, xphere.register_user('a' || i || '@dust.test', 'password-a', 'Attacker ' || i) AS id
			FROM generate_series(1, 300) i;
		SELECT count(xphere.deposit(id, 'USDT', 1000, '0x' || encode(sha256(('tx-a' || i)::bytea), 'hex'))) FROM public.attackers \g /dev/null
		SET xphere.clock = '$T1';
		SELECT xphere.set_price('XP', 1) \g /dev/null
		ANALYZE;

		-- one run of a statement, committed on its own and timed
		CREATE TABLE public.timings (seq serial, figure text, ms float8, result text);
		CREATE PROCEDURE public.timed(p_figure text, p_sql text) LANGUAGE plpgsql AS \$\$
		DECLARE
			t0 timestamptz;
			r text;
		BEGIN
			COMMIT;
			t0 := clock_timestamp();
			EXECUTE p_sql INTO r;
			COMMIT;
			INSERT INTO public.timings (figure, ms, result)
			VALUES (p_figure, extract(epoch FROM clock_timestamp() - t0) * 1000, r);
			COMMIT;
		END \$\$;
	EOF
done

# ---------------------------------------------------------------------------
echo "# 1. the dust loan of old is refused"

before=$(sql -c "SELECT public.snapshot()")
state=$(sql <<-EOF
	SET xphere.clock = '$T1';
	CREATE FUNCTION pg_temp.sqlstate(q text) RETURNS text LANGUAGE plpgsql AS \$\$
	BEGIN
		EXECUTE q;
		RETURN 'no error';
	EXCEPTION WHEN OTHERS THEN
		RETURN SQLSTATE;
	END \$\$;
	SELECT pg_temp.sqlstate(format(\$q\$SELECT xphere.borrow(%L, 'lp-xp', '0.000000000000000001', 'USDT',
		'0.00000000000000001')\$q\$, (SELECT id FROM public.attackers WHERE i = 1)));
EOF
)
check "a 1-wei loan against 10 wei of collateral: SQLSTATE" "$state" 22023
after=$(sql -c "SELECT public.snapshot()")
check "the refused loan changed no table" "$after" "$before"

# ---------------------------------------------------------------------------
# time_runs FIGURE SQL [SQL2]: ROUNDS sessions in each database, taking
# turns (so that a busy machine slows both alike), each at T1: 2 untimed
# runs, then PER timed ones, alternating SQL and SQL2 (default SQL)
time_runs() {
	local figure=$1 a=$2 b=${3:-$2} i r db q f
	for r in $(seq 1 "$ROUNDS"); do
		for db in "$DB0" "$DB1"; do
			{
				echo "SET xphere.clock = '$T1';"
				echo "SET jit = off;"
				for i in $(seq 1 $((PER + 2))); do
					if [ $(((i + r) % 2)) = 1 ]; then q=$a; else q=$b; fi
					if [ "$i" -le 2 ]; then f="warm-up"; else f=$figure; fi
					printf 'CALL public.timed(%s, %s);\n' "'$f'" "\$q\$$q\$q\$"
				done
			} | sql_on "$db" >/dev/null
		done
	done
}
median() {
	sql_on "$1" -c "SELECT round(percentile_disc(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3)
					FROM public.timings WHERE figure = '$2'"
}
# bound NAME FIGURE: the medians without and with the loans and their
# ratio, printed; ok if the ratio is below 2
bound() {
	local b a r
	b=$(median "$DB0" "$2")
	a=$(median "$DB1" "$2")
	r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
	echo "# $1: before $b ms, after $a ms, ratio ${r}x (bound: < 2x; medians of $((ROUNDS * PER)))"
	check_true "$1 costs less than twice as much after the loans" \
		"$(awk -v r="$r" 'BEGIN { print (r < 2) ? "t" : "f" }')" "ratio ${r}x"
}
# wrote FIGURE: the distinct positions_refreshed of the ticks of FIGURE in $DB1
wrote() {
	sql -c "SELECT string_agg(DISTINCT result::jsonb->>'positions_refreshed', ',')
			FROM public.timings WHERE figure = '$1'"
}

TICK="SELECT xphere.tick()::text"
PRICE1="SELECT xphere.set_price('XP', '1.01')::text"
PRICE0="SELECT xphere.set_price('XP', '1')::text"

echo "# 2. A: 3 000 loans of the minimum size, health factor 1.6"
sql -c "SET xphere.clock = '$T1'" -c "SELECT count(xphere.borrow(a.id, 'lp-xp', 10, 'USDT', 20))
	FROM public.attackers a, generate_series(1, 10)" -c "ANALYZE" >/dev/null
check "3 000 loans of 10 XP opened" \
	"$(sql -c "SELECT count(*) FROM xphere.borrow_positions WHERE status = 'OPEN' AND scaled_debt <= 10")" 3000
time_runs tick_a "$TICK"
time_runs price_a "$PRICE1" "$PRICE0"
bound "tick(), A" tick_a
bound "set_price() moving XP 1 <-> 1.01, A" price_a
check "the ticks after A wrote no position" "$(wrote tick_a)" 0

echo "# 3. B: 3 000 more at the loan-to-value limit, health factor 1.0666..."
for db in "$DB0" "$DB1"; do
	sql_on "$db" -c "SET xphere.clock = '$T1'" -c "SELECT xphere.set_price('XP', '1')" >/dev/null
done
sql -c "SET xphere.clock = '$T1'" \
	-c "SELECT count(xphere.borrow(a.id, 'lp-xp', 10, 'USDT', '13.333333333333333334'))
		FROM public.attackers a, generate_series(1, 10)" -c "ANALYZE" >/dev/null
check "3 000 loans at the limit opened, all inside the at-risk band (HF < 1.1)" \
	"$(sql -c "SELECT count(*) FROM xphere.borrow_positions WHERE status = 'OPEN' AND health_factor < '1.1'")" 3000
time_runs tick_b "$TICK"
time_runs price_same_b "$PRICE0"
bound "tick(), A and B" tick_b
bound "set_price() posting the unchanged price, A and B" price_same_b
check "the ticks after B wrote no position" "$(wrote tick_b)" 0

# a moved price changes the stored health factor of each of the 3 000
moved=$(sql -c "SET xphere.clock = '$T1'" -c "SET jit = off" \
	-c "CALL public.timed('price_moved_b', \$q\$SELECT xphere.set_price('XP', '1.001')::text\$q\$)" \
	-c "SELECT round(ms::numeric, 3) FROM public.timings WHERE figure = 'price_moved_b'")
echo "# set_price() moving XP to 1.001 with B at risk: $moved ms (not bounded: each of the 3 000 health factors changes)"
written=$(sql -c "SET xphere.clock = '$T1'" -c "BEGIN" -c "SELECT xphere.set_price('XP', '1.002')" \
	-c "SELECT pg_stat_get_xact_tuples_updated('xphere.borrow_positions'::regclass)" -c "COMMIT" | sed -n 2p)
check "moving the price again writes the 3 000 positions at risk and no other" "$written" 3000
check "then a refresh, and one without its marks, write nothing" \
	"$(sql -c "SET xphere.clock = '$T1'" -c "SELECT xphere.refresh_positions_at_risk()" \
		-c "DELETE FROM xphere.risk_refresh_marks" -c "SELECT xphere.refresh_positions_at_risk()")" "0
0"

invariants_ok "at the end" "$T1"

finish

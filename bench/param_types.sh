#!/usr/bin/env bash
# bench/param_types.sh [seconds=5] [rounds=5] [clients=1]: the cost of the text
# overloads (sql/install/platform/param_types.sql).  xphere.balance(id, 'XP') with
# the id bound as uuid (the original, the baseline) and bound untyped or as
# text (the overload, inlined into the original by the planner), with
# pgbench in simple mode (planned at every call) and prepared mode, the two
# alternating for the given rounds; prints the median transactions per
# second of each and overload / direct as a ratio.
# Run: bash bench/run.sh param_types seconds=5 rounds=5
set -euo pipefail
seconds=5
rounds=5
clients=1
for a in "$@"; do
	case $a in
		seconds=*) seconds=${a#seconds=} ;;
		clients=*) clients=${a#clients=} ;;
		rounds=*) rounds=${a#rounds=} ;;
	esac
done
PGBIN=${XPHERE_PGBIN:-$(dirname "$(command -v pg_config)")}
DB=xphere_bench_params
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; "$PGBIN/dropdb" --if-exists "$DB" >/dev/null 2>&1 || true' EXIT

"$PGBIN/createdb" "$DB"
uid=$("$PGBIN/psql" -X -qAt -d "$DB" <<-'EOF'
	SET client_min_messages = warning;
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	SELECT xphere.register_user('bench@example.com', 'password-bench', 'Bench') AS u \gset
	SELECT xphere.deposit(:'u', 'XP', 100, '0x' || repeat('ab', 32)) \g /dev/null
	SELECT :'u';
EOF
)
echo "SELECT xphere.balance('$uid'::uuid, 'XP');" >"$TMP/direct_simple.sql"
echo "SELECT xphere.balance('$uid', 'XP');" >"$TMP/overload_simple.sql"
echo "SELECT xphere.balance(:uid::uuid, 'XP');" >"$TMP/direct_prepared.sql"
echo "SELECT xphere.balance(:uid, 'XP');" >"$TMP/overload_prepared.sql"
"$PGBIN/psql" -X -qAt -d "$DB" -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT xphere.balance('$uid', 'XP')" |
	sed 's/^/# plan of the overloaded call: /'

tps() {	# MODE FILE
	"$PGBIN/pgbench" -n -M "$1" -c "$clients" -j "$clients" -T "$seconds" -D uid="$uid" \
		-f "$TMP/$2.sql" "$DB" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
printf '%-9s %14s %14s %8s\n' mode "direct tps" "overload tps" ratio
for mode in simple prepared; do
	: >"$TMP/d" && : >"$TMP/o"
	for r in $(seq "$rounds"); do		# (which goes first alternates)
		if [ $((r % 2)) -eq 1 ]; then
			tps "$mode" "direct_$mode" >>"$TMP/d"
			tps "$mode" "overload_$mode" >>"$TMP/o"
		else
			tps "$mode" "overload_$mode" >>"$TMP/o"
			tps "$mode" "direct_$mode" >>"$TMP/d"
		fi
	done
	d=$(median <"$TMP/d")
	o=$(median <"$TMP/o")
	printf '%-9s %14.0f %14.0f %8.3f\n' "$mode" "$d" "$o" "$(echo "$o / $d" | bc -l)"
done

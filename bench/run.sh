#!/usr/bin/env bash
# bench/run.sh NAME [variables...]: runs bench/NAME.sql (psql variables) or
# bench/NAME.sh (arguments) in a throw-away cluster (pg_virtualenv).
# Examples: bash bench/run.sh types rows=300000
#           bash bench/run.sh ops users=10000 clients=4 duration=30
# The cluster preloads xphere.  A bench that needs more preloaded
# libraries says so in a line of its own, "# preload: LIB[,LIB...]" in
# bench/NAME.sh or "-- preload: LIB[,LIB...]" in bench/NAME.sql (e.g.
# bench/profile.sh, pg_stat_statements); XPHERE_BENCH_PRELOAD=LIB[,LIB...]
# adds libraries to any run.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: bench/run.sh NAME [var=value ...]}
shift
vars=()
for v in "$@"; do vars+=(-v "$v"); done

run() {
	echo "# bench/$name on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(psql -XAtc 'SHOW server_version')"
	if [ -f "bench/$name.sh" ]; then
		bash "bench/$name.sh" "$@"
	else
		psql -X -q -d "${PGDATABASE:-postgres}" "${vars[@]}" -f "bench/$name.sql"
	fi
}

if [ -n "${XPHERE_BENCH_IN_CLUSTER:-}" ]; then
	run "$@"
else
	export XPHERE_BENCH_IN_CLUSTER=1
	preload=xphere
	for f in "bench/$name.sh" "bench/$name.sql"; do
		[ ! -f "$f" ] || preload+=$(sed -n 's/^\(#\|--\) preload: \([A-Za-z0-9_,]*\)$/,\2/p' "$f" | tr -d '\n')
	done
	preload+=${XPHERE_BENCH_PRELOAD:+,$XPHERE_BENCH_PRELOAD}
	exec pg_virtualenv -t -o shared_buffers=1GB -o max_wal_size=4GB \
		-o shared_preload_libraries="$preload" bash "$0" "$name" "$@"
fi

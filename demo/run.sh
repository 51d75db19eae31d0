#!/usr/bin/env bash
#
# demo/run.sh - "make demo": a compressed month of the Xphere platform.
#
# On a fresh Debian 12 machine, as root (or with sudo):
#   1. test/deps.sh installs whatever Debian packages are missing;
#   2. make && make install;
#   3. pg_virtualenv starts a throw-away PostgreSQL 15 cluster with the
#      extension preloaded, so its background worker runs (it ticks every
#      database that has the extension, once a second here);
#   4. demo/month.sql plays 30 days in one psql session, moving the clock
#      with the superuser-only setting xphere.clock and calling
#      xphere.tick() once a day, and prints a report as it goes;
#      It ends with a proof-of-liabilities snapshot; alice's proof and the
#      published XP root are written to $XPHERE_DEMO_OUT, and
#      examples/python/verify_liability_proof.py checks them (and refuses
#      a copy that claims one wei more);
#   5. demo/chart_data.sql writes the month's data as TSV files and
#      demo/chart.sh draws them with gnuplot: $XPHERE_DEMO_OUT/month.png.
# The cluster is removed at the end.  Exits non-zero if any step fails or
# check_invariants() reports anything.
#
# Knobs: PG_CONFIG (default /usr/lib/postgresql/15/bin/pg_config),
#        XPHERE_DEMO_PORT (default: a random free port in 55320-55919),
#        XPHERE_DEMO_OUT (directory of the chart and its data, default
#        demo-out/ in the repository).
#
set -euo pipefail
exec </dev/null

SELF=$(readlink -f "${BASH_SOURCE[0]}")
DEMO_DIR=$(dirname "$SELF")
ROOT=$(dirname "$DEMO_DIR")
PG_MAJOR=15
DB=xphere_demo

# ---------------------------------------------------------------------------
# Inside the cluster (PGHOST, PGPORT, PGUSER, PGPASSWORD set by pg_virtualenv)

if [ "${1:-}" = "--in-cluster" ]; then
	cd "$ROOT"
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB"
	out=${XPHERE_DEMO_OUT:-$ROOT/demo-out}
	mkdir -p "$out"
	psql -X -v ON_ERROR_STOP=1 -v out="$out" -d "$DB" -f demo/month.sql
	echo
	echo "==> alice verifies her proof of liabilities outside the database"
	echo "    \$ python3 examples/python/verify_liability_proof.py proof-alice-XP.json root-XP.json"
	python3 examples/python/verify_liability_proof.py "$out/proof-alice-XP.json" "$out/root-XP.json" |
		sed 's/^/    /'
	echo "    a proof that claims one wei more for her:"
	python3 -c 'import json, sys
p = json.load(open(sys.argv[1])); p["leaf"]["amount"] = str(int(p["leaf"]["amount"]) + 1)
json.dump(p, open(sys.argv[2], "w"))' "$out/proof-alice-XP.json" "$out/proof-alice-XP-forged.json"
	if python3 examples/python/verify_liability_proof.py "$out/proof-alice-XP-forged.json" \
		"$out/root-XP.json" >"$out/forged.txt"; then
		echo "the verifier accepted a forged proof" >&2
		exit 1
	fi
	sed 's/^/    /' "$out/forged.txt"
	rm -f "$out/proof-alice-XP-forged.json" "$out/forged.txt"
	psql -X -q -v ON_ERROR_STOP=1 -v out="$out" -d "$DB" -f demo/chart_data.sql
	echo
	echo "==> the chart of the month (demo/chart.sh, gnuplot)"
	bash demo/chart.sh "$out"
	exit 0
fi

# ---------------------------------------------------------------------------
# Outside: dependencies, build, cluster

start=$(date +%s)
XPHERE_DEMO_OUT=$(readlink -m "${XPHERE_DEMO_OUT:-$ROOT/demo-out}")
export XPHERE_DEMO_OUT
cd "$ROOT"

echo "==> dependencies (test/deps.sh)"
bash test/deps.sh

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR/bin/pg_config}
export PG_CONFIG
SUDO=()
if [ "$(id -u)" -ne 0 ] && [ ! -w "$("$PG_CONFIG" --pkglibdir)" ] &&
	command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo -n)
fi

echo "==> build and install (make && make install)"
make -s PG_CONFIG="$PG_CONFIG"
"${SUDO[@]}" make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

# A port nobody listens on, away from the test suite's range; a pid file of
# our own (every pg_virtualenv cluster is called "regress" and would share
# /var/run/postgresql/15-regress.pid with a test run going on meanwhile).
pick_port() {
	local port
	for _ in {1..50}; do
		port=$((55320 + RANDOM % 600))
		[ -e "/var/run/postgresql/.s.PGSQL.$port" ] && continue
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
		echo "$port"
		return 0
	done
	return 1
}
PGPORT=${XPHERE_DEMO_PORT:-$(pick_port)}
export PGPORT

echo "==> throw-away cluster (pg_virtualenv, PostgreSQL $PG_MAJOR, port $PGPORT," \
	"shared_preload_libraries=xphere, xphere.tick_interval=1)"
echo
TMPDIR=/tmp pg_virtualenv -t -v "$PG_MAJOR" -c "--locale=C.UTF-8 --encoding=UTF8" \
	-o shared_preload_libraries=xphere -o xphere.tick_interval=1 \
	-o max_worker_processes=16 \
	-o "external_pid_file=/var/run/postgresql/$PG_MAJOR-xphere-demo-$PGPORT.pid" \
	bash "$SELF" --in-cluster

echo
echo "==> the chart of the month: $XPHERE_DEMO_OUT/month.png (its data: the .tsv files beside it)"
echo "==> demo finished in $(($(date +%s) - start)) s (dependencies, build, cluster and the month)"

#!/usr/bin/env bash
# bench/memory.sh: bytes on disk per user, ledger entry, machine, mining
# reward and position, N of each made through the API, broken down by
# table (bench/memory/run.sql).  Run through bench/run.sh:
#   bash bench/run.sh memory [n=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
n=10000
for kv in "$@"; do eval "${kv%%=*}=${kv#*=}"; done
export PATH="${XPHERE_PGBIN:-/usr/lib/postgresql/15/bin}:$PATH"

db=xphere_bench_memory
# the background worker would tick the database at the real time meanwhile
worker() { psql -X -q -d postgres -c "ALTER SYSTEM $1" -c 'SELECT pg_reload_conf()' >/dev/null; }
worker 'SET xphere.worker_enabled = off'
trap 'worker "RESET xphere.worker_enabled"' EXIT
dropdb --if-exists "$db"
createdb "$db"
echo "making $n of each object through the API ..."
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v n="$n" -f bench/memory/run.sql
dropdb "$db"

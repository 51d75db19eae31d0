#!/usr/bin/env bash
# bench/liabilities.sh: what a proof-of-liabilities snapshot and a proof
# cost, beside the plain sums over the same balances, in the same run.
#
# Fixture: USERS platform users, each with an XP and a USDT balance
# booked as the ledger books them (a DEPOSIT entry, its balance_history
# row, the account), written in bulk; then, through the API, EXTRAS of
# them buy a p1 machine, EXTRAS stake 100 XP and EXTRAS supply 50 XP, so
# every part of liabilities_at() has rows.  check_invariants() must be
# empty before and after.
#
# Figures (median of RUNS, each after one untimed run; fresh statistics):
#   - the baselines: SELECT sum(available + locked) FROM xphere.accounts
#     (the balances alone), and sum(amount) over liabilities_at(now())
#     (every part of the liabilities, valued as a snapshot values them);
#   - take_liability_snapshot(), committed, as the ratio to each;
#   - one liability_proof(), in the server (a loop of PROOFS random users,
#     the average) and through pgbench (-M prepared, 1 client, 10 s: the
#     average latency a client sees);
#   - the size of one snapshot on disk.
# Run through bench/run.sh:
#   bash bench/run.sh liabilities [users=1000000] [extras=10000] [runs=3] [proofs=2000]
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
users=1000000 extras=10000 runs=3 proofs=2000
for kv in "$@"; do eval "${kv%%=*}=${kv#*=}"; done
export PATH="${XPHERE_PGBIN:-/usr/lib/postgresql/15/bin}:$PATH"
db=xphere_bench_liabilities
T0='2027-01-01 00:00:00+00'
tmp=$(mktemp -d)
worker() { psql -X -q -d postgres -c "ALTER SYSTEM $1" -c 'SELECT pg_reload_conf()' >/dev/null; }
worker 'SET xphere.worker_enabled = off'
trap 'rm -rf "$tmp"; worker "RESET xphere.worker_enabled"; dropdb --if-exists "$db"' EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

dropdb --if-exists "$db"
createdb "$db"
psql -X -q -d postgres -c "ALTER DATABASE $db SET search_path = xphere, public" >/dev/null
started=$SECONDS
q >/dev/null <<-EOF
	SET client_min_messages = warning;
	SET xphere.clock = '$T0';
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	-- the balances, as deposits would book them
	CREATE TABLE public.u AS
		SELECT i, gen_random_uuid() AS id, (200 + i % 997)::text::xphere.wad AS xp,
			(200 + i % 9973)::text::xphere.wad AS usdt
		FROM generate_series(1, $users) i;
	INSERT INTO xphere.users (id, email, password_hash, name)
		SELECT id, 'u' || i || '@bench.invalid', '!', 'U' || i FROM u;
	CREATE TEMP TABLE d AS
		SELECT gen_random_uuid() AS tx, u.id, c.cur,
			CASE c.cur WHEN 'XP' THEN u.xp ELSE u.usdt END AS amount
		FROM u CROSS JOIN (VALUES ('XP'::xphere.currency), ('USDT')) c(cur);
	INSERT INTO xphere.transactions (id, user_id, type, amount, currency, status)
		SELECT tx, id, 'DEPOSIT', amount, cur, 'COMPLETED' FROM d;
	INSERT INTO xphere.accounts (user_id, currency, available)
		SELECT id, cur, amount FROM d;
	INSERT INTO xphere.balance_history (user_id, currency, transaction_id, available_before,
			available_change, available_after, locked_before, locked_change, locked_after)
		SELECT id, cur, tx, 0, amount, amount, 0, 0, 0 FROM d;
	-- every other part of the liabilities, through the API
	SELECT xphere.set_price('XP', 1);
	SELECT count(xphere.purchase_machine(id, 'p1')) FROM u WHERE i <= $extras;
	SELECT count(xphere.stake(id, 100, 'explorer')) FROM u WHERE i > $extras AND i <= 2 * $extras;
	SELECT count(xphere.supply(id, 'lp-xp', 50)) FROM u WHERE i > 2 * $extras AND i <= 3 * $extras;
EOF
q -c "VACUUM ANALYZE" >/dev/null
echo "fixture: $users users ($((3 * extras)) with a machine, a stake or a supply) in $((SECONDS - started)) s"
bad=$(q -c "SET xphere.clock = '2027-01-01 12:00:00+00'; SELECT count(*) FROM xphere.check_invariants()" | tail -1)
echo "check_invariants() before: $bad rows"

# median of the timed runs of one statement, in ms, each in its own transaction
timed() {
	local sql=$1 i t
	q -c "SET xphere.clock = '2027-01-01 12:00:00+00'" -c "$sql" >/dev/null		# untimed
	for ((i = 0; i < runs; i++)); do
		q -c "SET xphere.clock = '2027-01-01 12:00:00+00'" -c '\timing on' -c "$sql" |
			sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
	done | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
accounts=$(timed "SELECT currency, sum(available + locked) FROM xphere.accounts GROUP BY currency")
sums=$(timed "SELECT currency, sum(amount) FROM xphere_internal.liabilities_at(xphere.now()) GROUP BY currency")
snap=$(timed "SELECT count(*) FROM xphere.take_liability_snapshot()")
size=$(q -c "SELECT pg_size_pretty(sum(pg_total_relation_size(c))::bigint / $((runs + 1)))
	FROM unnest(ARRAY['xphere.liability_nodes', 'xphere.liability_salts', 'xphere.liability_trees',
		'xphere.liability_secrets', 'xphere.liability_snapshots']::regclass[]) c")
# the proofs' users, chosen at random among those of the last snapshot
q >/dev/null <<-EOF
	CREATE TABLE public.proof_users AS
		SELECT row_number() OVER () AS n, id FROM (SELECT id FROM public.u ORDER BY random() LIMIT $proofs) x;
EOF
q -c "SELECT 1" >/dev/null
in_server=$(q <<-EOF | tail -1
	SET xphere.clock = '2027-01-01 12:00:00+00';
	DO \$\$ DECLARE r record; BEGIN
		FOR r IN SELECT id FROM public.proof_users LOOP PERFORM xphere.liability_proof(r.id, 'XP'); END LOOP;
	END \$\$;
	SELECT clock_timestamp() AS t0 \gset
	DO \$\$ DECLARE r record; BEGIN
		FOR r IN SELECT id FROM public.proof_users LOOP PERFORM xphere.liability_proof(r.id, 'XP'); END LOOP;
	END \$\$;
	SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1e6 / $proofs)::text;
EOF
)
cat >"$tmp/proof.sql" <<-EOF
	\set n random(1, $proofs)
	SELECT xphere.liability_proof((SELECT id FROM public.proof_users WHERE n = :n), 'XP');
EOF
q -c "CREATE INDEX ON public.proof_users (n)" >/dev/null
pgbench_ms=$(PGOPTIONS="-c xphere.clock=2027-01-01T12:00:00+00" pgbench -n -M prepared -c 1 -T 10 \
	-f "$tmp/proof.sql" "$db" 2>&1 | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
bad_after=$(q -c "SET xphere.clock = '2027-01-01 12:00:00+00'; SELECT count(*) FROM xphere.check_invariants()" | tail -1)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
echo
echo "| measure ($users users) | ms | ratio |"
echo "| --- | --- | --- |"
echo "| sum(available + locked) over accounts (baseline) | $accounts | 1.00x |"
echo "| sum(amount) over liabilities_at() (baseline) | $sums | $(ratio "$sums" "$accounts") of accounts |"
echo "| take_liability_snapshot() | $snap | $(ratio "$snap" "$sums") of liabilities_at(), $(ratio "$snap" "$accounts") of accounts |"
echo "| liability_proof(), in the server | $(awk -v u="$in_server" 'BEGIN {printf "%.3f", u / 1000}') | |"
echo "| liability_proof(), pgbench latency | $pgbench_ms | |"
echo
echo "one snapshot on disk: $size; check_invariants(): $bad rows before, $bad_after after"
echo "reproduce: bash bench/run.sh liabilities users=$users extras=$extras runs=$runs proofs=$proofs"

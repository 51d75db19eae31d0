#!/usr/bin/env bash
#
# test/scripts/upgrade.sh - ALTER EXTENSION xphere UPDATE keeps every row, and an
# updated database equals a fresh install.
#
# Run by test/run.sh inside its cluster (PGHOST, PGPORT, PGUSER = a
# superuser, ...), with the extension installed; by hand, after make
# install:
#     pg_virtualenv -t bash test/scripts/upgrade.sh
#     pg_virtualenv -t -o shared_preload_libraries=xphere bash test/scripts/upgrade.sh
#
# FROM is the released version 0.1.0 (its frozen script sql/xphere--0.1.0.sql),
# TO the default_version of the installed extension (the script assembled
# from sql/install/).  In the cluster of the environment:
#   1. database A: CREATE EXTENSION xphere VERSION FROM, then a platform
#      built through FROM's API, with a row in every table of schema
#      xphere: users, deposits, a completed, a failed and a pending
#      withdrawal, transfers, a swap, machines (one paused) with rewards
#      distributed by tick(), stakes (active, unbonding, withdrawn, one
#      claimed), supply, borrows, a repay, added collateral, a liquidation,
#      refresh tokens (one rotated), prices, settings, plans created and
#      updated, events, audit_log, job_state.  Every table must have rows.
#   2. A is updated to TO: extversion is TO; every table of FROM holds the
#      same rows on FROM's columns (the md5 of the sorted rows projected
#      onto them; TO may add columns and tables) and every sequence the same
#      state; at the update's clock the API gives every balance, supply,
#      debt, health factor and pending reward as before the update;
#      check_invariants() returns no rows; then a deposit, a
#      transfer and a tick() succeed and the invariants still hold.
#      A column the update migrates (an enum label renamed, a seeded plan
#      given new values) is compared with what test/upgrade/expect_*.sql
#      say it becomes: each file inserts rows (tbl, col, expr) into the
#      temporary table upgrade_expect, expr an SQL expression over FROM's
#      row, evaluated in A before the update, written from the release's
#      rules and not from the update script.  Then every
#      test/upgrade/check_*.sql runs in A at the update's clock and prints
#      "ok - ..." / "not ok - ..." lines about what the update put into the
#      columns and tables it adds.
#   3. database B: a fresh CREATE EXTENSION xphere (TO).  The catalog
#      fingerprint of test/lib/catalog.sql (every object of the extension
#      and in schema xphere: definitions, owners, privileges, comments,
#      column order, enum label order, RLS, ...; no oids) of A equals
#      B's; a unified diff shows what differs.
#   4. database C: CREATE EXTENSION xphere VERSION FROM, nothing else, then
#      the update: every table of C holds exactly B's rows, all columns
#      (the seeded settings, plans, pools, system users, job_state), and
#      every sequence B's state; C's catalog fingerprint equals B's too.
#      B and C are made at the same xphere.clock, so the seeded timestamps
#      match; the seeded ids are constants (house_id(), md5-based pool and
#      staking accounts), nothing random, so no column is left out.
#      Then the pgTAP suites (test/pgtap/*.sql that begin with
#      test/lib/preamble.sql or otherwise CREATE EXTENSION IF NOT
#      EXISTS xphere) run on C and pass.
# Roles and parameter privileges are global: in one cluster, B would see
# whatever A's update made.  So at last the same comparison of catalog
# fingerprints, global objects included (roles the extension makes, their
# memberships, pg_parameter_acl rows of xphere.*), runs between two
# throw-away clusters of this script's own (one initdb and a copy of it,
# under a mktemp -d directory, unix sockets only, ports in 55000-55999,
# the environment's shared_preload_libraries, the worker off): one where
# FROM was installed and updated, one with a fresh install.
#
# When xphere is preloaded, the background worker is paused for the run
# (it would tick these databases on the real clock).
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)
UPGRADE_DIR=$(dirname "$LIB")/upgrade
FROM=0.1.0
DBA=xphere_upgrade_a_$$
DBB=xphere_upgrade_b_$$
DBC=xphere_upgrade_c_$$

T0='2027-01-01 00:00:00+00'
T1='2027-01-02 00:00:00+00'
T2='2027-01-03 00:00:00+00'
T3='2027-01-04 00:00:00+00'

# $TMP (also for the throw-away clusters, hence owned by postgres as root)
cluster_tmp upgrade
cleanup() {
	resume_worker
	local d
	for d in "${CLUSTERS[@]}"; do
		as_pg "$PGBIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true
	done
	cleanup_databases "$DBA" "$DBB" "$DBC"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP	# (so that cleanup runs)

started=$SECONDS

# The background worker (when preloaded) would tick these databases on the
# real clock.  A cycle of the worker lists its databases when it starts
# and reads reloaded settings before the next one, so once it has read
# worker_enabled = off (given a second) no cycle includes a database made
# afterwards.
pause_worker 1

TO=$(sql_on postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'xphere'")
echo "# update $FROM -> $TO"
check "the installed extension has an update path $FROM -> $TO" \
	"$(sql_on postgres -c "SELECT path FROM pg_extension_update_paths('xphere')
		WHERE source = '$FROM' AND target = '$TO'")" "$FROM--$TO"

# fingerprint DB FILE: test/lib/catalog.sql on DB, into FILE
fingerprint() { sql_on "$1" -f "$LIB/catalog.sql" >"$2"; }
# rows DB COLUMNS-JSON [EACH-ROW [EXPRS-JSON]]: test/lib/rows.sql's
# table_rows on DB
rows() {
	sql_on "$1" -v rows_schema=pg_temp -f "$LIB/rows.sql" \
		-c "SELECT pg_temp.table_rows(\$json\$$2\$json\$::jsonb, ${3:-false}, \$json\$${4:-"{}"}\$json\$::jsonb)"
}
# expected DB: the JSON of test/upgrade/expect_*.sql, evaluated in DB:
# what the update turns each migrated column of 0.1.0 into
expected() {
	local f args=()
	for f in "$UPGRADE_DIR"/expect_*.sql; do
		[ -e "$f" ] && args+=(-f "$f")
	done
	sql_on "$1" -c "CREATE TEMP TABLE upgrade_expect (tbl text, col text, expr text NOT NULL,
			PRIMARY KEY (tbl, col))" "${args[@]}" \
		-c "SELECT coalesce(jsonb_object_agg(tbl, cols), '{}') FROM (
			SELECT tbl, jsonb_object_agg(col, expr) AS cols FROM pg_temp.upgrade_expect GROUP BY tbl) x"
}
columns() { sql_on "$1" -v rows_schema=pg_temp -f "$LIB/rows.sql" -c "SELECT pg_temp.table_columns()"; }
# same_text DESCRIPTION FILE-A FILE-B LABEL-A LABEL-B: ok if equal, else the
# unified diff (at most 80 lines) as diagnostics
same_text() {
	local d
	d=$(diff -u --label "$4" --label "$5" "$2" "$3" || true)
	if [ -z "$d" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '%s\n' "$d" | head -80 | diag
		[ "$(printf '%s\n' "$d" | wc -l)" -le 80 ] ||
			echo "#   ... $(printf '%s\n' "$d" | wc -l) lines of diff in all"
	fi
}
# values DB CLOCK: what the API says at CLOCK: every user's balances and
# pending mining rewards, every supply's balance, every loan's debt and
# health factor, every stake's pending rewards
values() {
	sql_on "$1" -c "SET xphere.clock = '$2'" -c "
		SELECT 'balance ' || u.email || ' ' || c || ' ' || xphere.balance(u.id, c::xphere.currency)
		FROM xphere.users u, unnest(ARRAY['XP', 'USDT']) c WHERE u.email LIKE '%@example.com'
		UNION ALL
		SELECT 'mining ' || u.email || ' ' || xphere.pending_mining_rewards(u.id)
		FROM xphere.users u WHERE u.email LIKE '%@example.com'
		UNION ALL
		SELECT 'supply ' || u.email || ' ' || s.pool_id || ' ' || xphere.supplied_balance(u.id, s.pool_id)
		FROM xphere.supply_positions s JOIN xphere.users u ON u.id = s.user_id
		UNION ALL
		SELECT 'loan ' || b.id || ' debt ' || xphere.debt(b.id) || ' hf ' || xphere.position_health(b.id)
		FROM xphere.borrow_positions b
		UNION ALL
		SELECT 'stake ' || s.id || ' ' || s.status || ' pending ' ||
			CASE WHEN s.status = 'WITHDRAWN' THEN '-' ELSE xphere.pending_staking_rewards(s.id)::text END
		FROM xphere.staking_positions s
		ORDER BY 1"
}
invariants() {	# DB CLOCK: check_invariants() at CLOCK, one line per violation
	sql_on "$1" -c "SET xphere.clock = '$2'" \
		-c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()"
}

# ---------------------------------------------------------------------------
echo "# database A: a platform built on $FROM"

"$PGBIN/createdb" "$DBA"
sql_on "$DBA" <<-EOF
	SET client_min_messages = warning;
	SET xphere.clock = '$T0';
	CREATE EXTENSION xphere VERSION '$FROM' CASCADE;
	SELECT xphere.set_setting('password_hash_cost', '4') \g /dev/null
	SELECT xphere.set_setting('withdrawal_fee_xp', '0.25') \g /dev/null
	SELECT xphere.set_setting('unbonding_period', '1 day') \g /dev/null
	SELECT xphere.create_plan('p9', '{"name": "Titan", "machine_name": "Xphere T9",
		"price_usdt": "250", "hashrate": "300 TH/s", "daily_return_xp": "4.2",
		"description": "Test plan"}') \g /dev/null
	SELECT xphere.update_plan('p1', '{"name": "Starter Plus", "price_usdt": 120,
		"daily_return_xp": "1.75", "image_url": "https://example.invalid/s1.png"}') \g /dev/null
	SELECT xphere.set_price('XP', 1) \g /dev/null

	CREATE TEMP TABLE u (name text PRIMARY KEY, id uuid);
	INSERT INTO u SELECT n, xphere.register_user(n || '@example.com', n || '-secret-1', initcap(n),
		CASE n WHEN 'alice' THEN '0x' || repeat('a1', 20) END)
	FROM unnest(ARRAY['alice', 'bob', 'carol', 'dave', 'liz']) n;
	CREATE TEMP TABLE k (name text PRIMARY KEY, id uuid);	-- machines, positions, stakes

	SELECT xphere.deposit(u.id, d.cur::xphere.currency, d.amount::xphere.wad, '0xdep-' || d.n)
	FROM (VALUES (1, 'alice', 'USDT', '1000'), (2, 'alice', 'XP', '1500'), (3, 'bob', 'USDT', '20000'),
				 (4, 'carol', 'XP', '6000'), (5, 'dave', 'USDT', '1000'), (6, 'liz', 'XP', '2000'),
				 (7, 'carol', 'USDT', '50.5')) d(n, who, cur, amount)
	JOIN u ON u.name = d.who ORDER BY d.n \g /dev/null

	INSERT INTO k SELECT 'm1', xphere.purchase_machine((SELECT id FROM u WHERE name = 'alice'), 'p1');
	INSERT INTO k SELECT 'm2', xphere.purchase_machine((SELECT id FROM u WHERE name = 'alice'), 'p9');
	INSERT INTO k SELECT 'm3', xphere.purchase_machine((SELECT id FROM u WHERE name = 'bob'), 'p1');

	SELECT xphere.complete_withdrawal(xphere.request_withdrawal(
		(SELECT id FROM u WHERE name = 'alice'), 'XP', 100, '0x' || repeat('b2', 20)), '0xout1') \g /dev/null
	SELECT xphere.fail_withdrawal(xphere.request_withdrawal(
		(SELECT id FROM u WHERE name = 'carol'), 'XP', 10, '0x' || repeat('c3', 20)),
		'address blocked') \g /dev/null
	SELECT xphere.request_withdrawal((SELECT id FROM u WHERE name = 'bob'), 'USDT', 20,
		'0x' || repeat('d4', 20)) \g /dev/null
	SELECT xphere.transfer((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM u WHERE name = 'carol'),
		'XP', 25, 'thanks') \g /dev/null
	SELECT xphere.swap((SELECT id FROM u WHERE name = 'alice'), 'USDT', 100) \g /dev/null

	SELECT xphere.issue_refresh_token((SELECT id FROM u WHERE name = 'bob')) \g /dev/null
	SELECT xphere.rotate_refresh_token(xphere.issue_refresh_token((SELECT id FROM u WHERE name = 'alice'))) \g /dev/null
	SELECT xphere.issue_refresh_token((SELECT id FROM u WHERE name = 'carol')) \g /dev/null
	SELECT xphere.revoke_refresh_tokens((SELECT id FROM u WHERE name = 'carol')) \g /dev/null

	INSERT INTO k SELECT 's1', xphere.stake((SELECT id FROM u WHERE name = 'alice'), 200, 'explorer');
	INSERT INTO k SELECT 's2', xphere.stake((SELECT id FROM u WHERE name = 'alice'), 300, 'explorer');
	INSERT INTO k SELECT 's3', xphere.stake((SELECT id FROM u WHERE name = 'alice'), 150, 'explorer');
	INSERT INTO k SELECT 's4', xphere.stake((SELECT id FROM u WHERE name = 'alice'), 500, 'pathfinder');

	SELECT xphere.supply((SELECT id FROM u WHERE name = 'carol'), 'lp-xp', 5000) \g /dev/null
	INSERT INTO k SELECT 'b1', xphere.borrow((SELECT id FROM u WHERE name = 'bob'), 'lp-xp', 600, 'USDT', 1000);
	SELECT xphere.add_collateral((SELECT id FROM u WHERE name = 'bob'), (SELECT id FROM k WHERE name = 'b1'), 100) \g /dev/null
	-- dave borrows at the LTV limit: XP at 1.2 makes him liquidatable
	INSERT INTO k SELECT 'b2', xphere.borrow((SELECT id FROM u WHERE name = 'dave'), 'lp-xp', 750, 'USDT', 1000);

	SET xphere.clock = '$T1';
	SELECT xphere.set_price('XP', '1.2') \g /dev/null
	SELECT xphere.tick() \g /dev/null
	SELECT xphere.liquidate((SELECT id FROM u WHERE name = 'liz'), (SELECT id FROM k WHERE name = 'b2')) \g /dev/null
	SELECT xphere.repay((SELECT id FROM u WHERE name = 'bob'), (SELECT id FROM k WHERE name = 'b1'), 100) \g /dev/null
	SELECT xphere.withdraw_supply((SELECT id FROM u WHERE name = 'carol'), 'lp-xp', 100) \g /dev/null
	SELECT xphere.claim_staking_rewards((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM k WHERE name = 's1')) \g /dev/null
	SELECT xphere.unstake((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM k WHERE name = 's2')) \g /dev/null
	SELECT xphere.unstake((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM k WHERE name = 's3')) \g /dev/null
	SELECT xphere.set_machine_status((SELECT id FROM k WHERE name = 'm3'), 'MAINTENANCE') \g /dev/null

	SET xphere.clock = '$T2';
	SELECT xphere.set_price('XP', '1.1') \g /dev/null
	SELECT xphere.withdraw_stake((SELECT id FROM u WHERE name = 'alice'), (SELECT id FROM k WHERE name = 's2')) \g /dev/null
	SELECT xphere.tick() \g /dev/null
EOF

# every table has rows: the tables are listed from the catalog, so a table
# nobody filled (or a new one of FROM) fails here
counts=$(sql_on "$DBA" -c "SELECT c.relname || '=' || (xpath('/row/n/text()',
		query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text
	FROM pg_class c WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p')
	ORDER BY c.relname")
echo "# A: $(printf '%s\n' "$counts" | paste -sd' ')"
check_true "A has tables in schema xphere" "$([ -n "$counts" ] && echo t || echo f)" "none found"
check_empty "every table of A has rows" "$(printf '%s\n' "$counts" | grep '=0$' || true)"
check_empty "A is consistent before the update: check_invariants() returns no rows" \
	"$(invariants "$DBA" "$T2")"
check "A has the liquidated, the open, the unbonding and the withdrawn states" \
	"$(sql_on "$DBA" -c "SELECT (SELECT count(*) FROM xphere.transactions WHERE type = 'LIQUIDATION') > 0,
		(SELECT string_agg(DISTINCT status::text, ',' ORDER BY status::text) FROM xphere.staking_positions),
		(SELECT string_agg(DISTINCT status::text, ',' ORDER BY status::text) FROM xphere.transactions)")" \
	"t|ACTIVE,UNBONDING,WITHDRAWN|COMPLETED,FAILED,PENDING"

# ---------------------------------------------------------------------------
echo "# ALTER EXTENSION xphere UPDATE TO '$TO' in A"

cols=$(columns "$DBA")
expect=$(expected "$DBA")
echo "# columns the update migrates: $(printf '%s' "$expect" | sql_on "$DBA" -c "SELECT coalesce(string_agg(t.key || '.' || c.key, ' ' ORDER BY 1), 'none')
	FROM jsonb_each(\$json\$$expect\$json\$::jsonb) t, jsonb_each(t.value) c")"
values "$DBA" "$T2" >"$TMP/a.values.before"
rows "$DBA" "$cols" false "$expect" >"$TMP/a.before"
rows "$DBA" "$cols" true "$expect" >"$TMP/a.before.rows"
rc=0
sql_on "$DBA" -c "SET client_min_messages = warning" -c "SET xphere.clock = '$T2'" \
	-c "ALTER EXTENSION xphere UPDATE TO '$TO'" >"$TMP/update.out" 2>&1 || rc=$?
check "ALTER EXTENSION xphere UPDATE succeeds" "$rc" 0
[ "$rc" = 0 ] || diag "$TMP/update.out"
check "extversion is $TO" \
	"$(sql_on "$DBA" -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")" "$TO"

rows "$DBA" "$cols" >"$TMP/a.after"
rows "$DBA" "$cols" true >"$TMP/a.after.rows"
# every row and sequence state of 0.1.0 is still there, unchanged; the
# update may add rows only to the configuration tables it seeds (new
# settings, say), and those are what a fresh install seeds (database C
# below compares an updated empty 0.1.0 database with a fresh one); the
# identity sequence of a new table, never used, is no row
gone=$(comm -23 <(sort "$TMP/a.before.rows") <(sort "$TMP/a.after.rows"))
if [ -z "$gone" ]; then
	ok "every table keeps its rows on its $FROM columns, every sequence its state ($(wc -l <"$TMP/a.before") tables and sequences)"
else
	not_ok "every table keeps its rows on its $FROM columns, every sequence its state"
	printf '%s\n' "$gone" | head -40 | cut -c1-400 | diag
	diff "$TMP/a.before" "$TMP/a.after" | grep '^[<>]' | diag || true
fi
new_rows=$(comm -13 <(sort "$TMP/a.before.rows") <(sort "$TMP/a.after.rows"))
check_empty "the update adds rows only to the seeded configuration tables (settings, machine_plans, staking_pools, lending_pools)" \
	"$(printf '%s\n' "$new_rows" | grep -v '^$' | grep -Ev '^(settings|machine_plans|staking_pools|lending_pools): ' |
		grep -Ev '^sequence [a-z_.]+: 1, false$' || true)" 20
[ -z "$new_rows" ] || echo "# rows $TO seeds: $(printf '%s\n' "$new_rows" | cut -d'(' -f2 | cut -d, -f1 | paste -sd' ')"
added=$(sql_on "$DBA" -v rows_schema=pg_temp -f "$LIB/rows.sql" -c "
	SELECT t.key || coalesce('.' || c.col, ' (new table)')
	FROM jsonb_each(pg_temp.table_columns()) t
	LEFT JOIN LATERAL jsonb_array_elements_text(t.value) c(col)
		ON NOT (\$json\$$cols\$json\$::jsonb -> t.key) ? c.col
	WHERE (\$json\$$cols\$json\$::jsonb -> t.key) IS NULL OR c.col IS NOT NULL
	ORDER BY 1")
[ -z "$added" ] || echo "# columns and tables $TO adds: $(printf '%s\n' "$added" | paste -sd' ')"
check_empty "A after the update: check_invariants() returns no rows" "$(invariants "$DBA" "$T2")"
values "$DBA" "$T2" >"$TMP/a.values.after"
same_text "at the update's clock the API reports the same balances, debts, health factors and pending rewards ($(wc -l <"$TMP/a.values.before") values)" \
	"$TMP/a.values.before" "$TMP/a.values.after" "$FROM" "$TO"

# test/upgrade/check_*.sql: what the update made of A's data in the
# columns and tables it adds, at the update's clock; each prints TAP lines
for f in "$UPGRADE_DIR"/check_*.sql; do
	[ -e "$f" ] || continue
	out=$(sql_on "$DBA" -c "SET xphere.clock = '$T2'" -f "$f" 2>&1) || true
	if ! printf '%s\n' "$out" | grep -Eq '^(not )?ok - '; then
		not_ok "$(basename "$f") prints its checks"
		printf '%s\n' "$out" | head -20 | diag
		continue
	fi
	while IFS= read -r line; do
		case $line in
		'ok - '*) ok "${line#ok - }" ;;
		'not ok - '*) not_ok "${line#not ok - }" ;;
		*) printf '%s\n' "$line" | diag ;;
		esac
	done <<<"$out"
done

try() {	# DESCRIPTION PSQL-ARGS...: the statements succeed in A at clock T3
	local what=$1 out
	shift
	if out=$(sql_on "$DBA" -c "SET xphere.clock = '$T3'" "$@" 2>&1); then
		ok "$what"
	else
		not_ok "$what"
		printf '%s\n' "$out" | head -5 | diag
	fi
}
ALICE=$(sql_on "$DBA" -c "SELECT id FROM xphere.users WHERE email = 'alice@example.com'")
CAROL=$(sql_on "$DBA" -c "SELECT id FROM xphere.users WHERE email = 'carol@example.com'")
try "A after the update: a deposit" -c "SELECT xphere.deposit('$ALICE', 'XP', 7, '0x' || encode(sha256('dep-after'), 'hex'))"
try "A after the update: a transfer" -c "SELECT xphere.transfer('$CAROL', '$ALICE', 'XP', 1)"
try "A after the update: a price" -c "SELECT xphere.set_price('XP', '1.05')"
try "A after the update: tick()" -c "SELECT xphere.tick()"
check_empty "A after new activity: check_invariants() returns no rows" "$(invariants "$DBA" "$T3")"

# ---------------------------------------------------------------------------
echo "# database B: a fresh CREATE EXTENSION xphere ($TO); A's catalog equals B's"

"$PGBIN/createdb" "$DBB"
sql_on "$DBB" -c "SET client_min_messages = warning" -c "SET xphere.clock = '$T0'" \
	-c "CREATE EXTENSION xphere CASCADE"
check "B's extversion is $TO" \
	"$(sql_on "$DBB" -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")" "$TO"
fingerprint "$DBA" "$TMP/a.catalog"
fingerprint "$DBB" "$TMP/b.catalog"
check_true "the catalog fingerprint has the extension's objects" \
	"$(grep -q '^member ' "$TMP/b.catalog" && grep -q '^relation xphere\.users: column 1 ' "$TMP/b.catalog" &&
		echo t || echo f)" "test/lib/catalog.sql found no member or no column of xphere.users"
same_text "updated A has the catalog of fresh B ($(wc -l <"$TMP/b.catalog") lines)" \
	"$TMP/b.catalog" "$TMP/a.catalog" "fresh $TO (B)" "updated $FROM -> $TO (A)"

# ---------------------------------------------------------------------------
echo "# database C: $FROM without data, updated; its rows equal fresh B's"

"$PGBIN/createdb" "$DBC"
sql_on "$DBC" -c "SET client_min_messages = warning" -c "SET xphere.clock = '$T0'" \
	-c "CREATE EXTENSION xphere VERSION '$FROM' CASCADE" -c "ALTER EXTENSION xphere UPDATE TO '$TO'"
rows "$DBB" "$(columns "$DBB")" true >"$TMP/b.rows"
rows "$DBC" "$(columns "$DBC")" true >"$TMP/c.rows"
same_text "updated C has the rows of fresh B, every column ($(wc -l <"$TMP/b.rows") rows and sequences)" \
	"$TMP/b.rows" "$TMP/c.rows" "fresh $TO (B)" "updated $FROM -> $TO (C)"
fingerprint "$DBC" "$TMP/c.catalog"
same_text "updated C has the catalog of fresh B" \
	"$TMP/b.catalog" "$TMP/c.catalog" "fresh $TO (B)" "updated $FROM -> $TO (C)"

# The functional suites on C: every pgTAP file that uses the installed
# extension as it finds it (CREATE EXTENSION IF NOT EXISTS xphere) runs on
# the updated database exactly as test/run.sh runs it on a fresh one.
suites=()
for f in "$(dirname "$LIB")"/pgtap/*.sql; do
	grep -qE '^(CREATE EXTENSION IF NOT EXISTS xphere|\\ir \.\./lib/preamble\.sql)' "$f" && suites+=("$f")
done
check_true "pgTAP files that run on an existing install are found" \
	"$([ "${#suites[@]}" -ge 10 ] && echo t || echo f)" "${#suites[@]} found"
rc=0
pg_prove --norc --nocolor --failures -d "$DBC" --psql-bin "$PGBIN/psql" "${suites[@]}" \
	>"$TMP/pgtap.out" 2>&1 || rc=$?
if [ "$rc" = 0 ] && grep -q '^Result: PASS' "$TMP/pgtap.out"; then
	ok "the pgTAP suites pass on updated C ($(grep -Eo 'Files=[0-9]+, Tests=[0-9]+' "$TMP/pgtap.out"))"
else
	not_ok "the pgTAP suites pass on updated C"
	grep -Ev '^(ok|\s*$)' "$TMP/pgtap.out" | head -40 | diag
fi

# ---------------------------------------------------------------------------
echo "# two clusters of our own: the global objects"

# the same preloading as the environment's cluster (none when it has none)
preload=$(sql_on postgres -c "SHOW shared_preload_libraries")
conf=("shared_preload_libraries = '$preload'" "xphere.worker_enabled = off")
free_port
PU=$PORT
free_port
PF=$PORT
# (one initdb; the second cluster is its copy, on its own port: the
# later lines of postgresql.conf win)
new_cluster updated "$PU" "${conf[@]}"
as_pg cp -a "$TMP/updated" "$TMP/fresh"
printf '%s\n' "port = $PF" "cluster_name = 'fresh'" | as_pg tee -a "$TMP/fresh/postgresql.conf" >/dev/null
start_cluster updated
start_cluster fresh
q "$PU" postgres -c "SET client_min_messages = warning" \
	-c "CREATE EXTENSION xphere VERSION '$FROM' CASCADE" -c "ALTER EXTENSION xphere UPDATE TO '$TO'"
q "$PF" postgres -c "SET client_min_messages = warning" -c "CREATE EXTENSION xphere CASCADE"
q "$PU" postgres -f "$LIB/catalog.sql" >"$TMP/updated.catalog"
q "$PF" postgres -f "$LIB/catalog.sql" >"$TMP/fresh.catalog"
check_true "the fingerprint of a cluster of its own has the extension's roles" \
	"$(grep -q '^role xphere_app: ' "$TMP/fresh.catalog" && echo t || echo f)" \
	"no line 'role xphere_app' in the fresh cluster's fingerprint"
same_text "an updated cluster has the catalog and global objects of a fresh one" \
	"$TMP/fresh.catalog" "$TMP/updated.catalog" "fresh $TO" "updated $FROM -> $TO"

finish

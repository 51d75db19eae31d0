#!/usr/bin/env bash
#
# test/scripts/bad_input.sh - a corpus of malformed calls, each refused with its
# documented SQLSTATE and changing nothing.
#
# Run by test/run.sh inside its pg_virtualenv cluster (PGHOST, PGPORT,
# PGUSER = a superuser, ...); by hand:
#     pg_virtualenv -t -o shared_preload_libraries=xphere bash test/scripts/bad_input.sh
#
# The corpus is test/bad_input/*.tsv, one call a line: the role that makes
# it, the SQLSTATE that API.md (or the README where the contract is
# silent) prescribes, and the statement.  It covers the three types'
# input, arithmetic and casts, and every function of the API with NULL in
# each required argument, zero and negative amounts, amounts beyond the
# wad range, unknown ids, plans and pools, wrong currency text (22P02) and
# wrong but valid currencies (22023), 1 MB strings and strings with
# control characters, over-long text, another user's ids (a session
# acting for user A through xphere.user_id, 42501), the wrong state
# (XP001 ... XP007), bad jsonb parameters of the operator functions, and
# roles that may not make the call at all.
#
# In a database of its own (dropped at the end), at a fixed clock, it
# builds a fixture through the API: users A, B, C (a liquidatable loan)
# and D (no money), deposits, machines, supplies, loans (one repaid),
# stakes (active, locked, unbonding), withdrawals (pending, completed,
# failed), refresh tokens (live and revoked), an XP price, a liability
# snapshot, and user E registered after it.  Then one
# psql session runs the corpus, each call its own autocommit statement,
# made for real by login roles created for the test: a member of
# xphere_backend (a trusted backend, acting for anyone or for A, and
# with the clock two
# hours later or one hour earlier), a member of xphere_admin and a role
# with no xphere role.  After each call it records the SQLSTATE and a
# checksum of every table of schema xphere (row count and md5 of the
# sorted rows, tables taken from the catalog); it checks:
#   * each call gets exactly the SQLSTATE of its corpus line;
#   * no call changes any table (named with the call if one does);
#   * each call ran as the intended role and acting user;
#   * the corpus holds at least 300 calls, and check_invariants() is
#     empty at the end.
# Sequence positions are not compared: nextval() is not transactional, so
# a refused call may use up a value without changing any table.
#
# While the corpus runs, a session holds the lock that tick() takes (the
# job_state row), so that the background worker's ticks skip this database
# and write nothing in it.  The app role is granted SET on the parameter
# xphere.user_id, as an application's backend role would be.
#
# Prints one "ok - ..." line per function or group of the corpus and one
# "not ok - ..." line per failing call; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

CORPUS_DIR=$(dirname "${BASH_SOURCE[0]}")/../bad_input
DB=xphere_bad_$$
TMP=$(mktemp -d -t xphere-bad.XXXXXX)
MIN_CALLS=300

# the fixture's clock; "late" sees the XP price stale (price_max_age is 1
# hour), "early" comes before the pool's last update
T0='2027-01-01 00:00:00+00'
T_LATE='2027-01-01 02:00:00+00'
T_EARLY='2026-12-31 23:00:00+00'

# login roles of the test (roles are cluster-wide: suffixed by the pid)
R_APP=xp_bad_app_$$
R_ADMIN=xp_bad_admin_$$
R_NOBODY=xp_bad_nobody_$$
R_LATE=xp_bad_late_$$
R_EARLY=xp_bad_early_$$
ROLES=("$R_APP" "$R_ADMIN" "$R_NOBODY" "$R_LATE" "$R_EARLY")

cleanup() {
	cleanup_databases "$DB"
	local r
	for r in "${ROLES[@]}"; do
		"$PGBIN/psql" -X -qAt -d postgres \
			-c "REVOKE ALL ON PARAMETER xphere.user_id FROM $r" \
			-c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT

started=$SECONDS
"$PGBIN/createdb" "$DB"

# the clock and search_path of every session of the database, the
# worker's ticks included; a hung call fails instead of blocking the run
sql_on postgres <<-EOF
	ALTER DATABASE $DB SET xphere.clock = '$T0';
	ALTER DATABASE $DB SET search_path = public, xphere;
	ALTER DATABASE $DB SET statement_timeout = '60s';
EOF

sql -c "SET client_min_messages = warning" -c "CREATE EXTENSION xphere CASCADE"
echo "# database $DB, xphere $(sql -c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'")"

# hold tick()'s lock, the job_state row, in this database until the end
# (dropdb --force ends the session), so that the worker's ticks skip it
"$PGBIN/psql" -X -qAt -d "$DB" -c "BEGIN" \
	-c "SELECT 1 FROM xphere.job_state FOR UPDATE" \
	-c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
BG_PIDS+=("$!")
for _ in $(seq 100); do
	[ "$(sql -c "SELECT count(*) FROM (SELECT 1 FROM xphere.job_state FOR UPDATE SKIP LOCKED) s")" = 0 ] && break
	sleep 0.1
done
check "a session holds tick()'s lock (the job_state row) in the test database" \
	"$(sql -c "SELECT count(*) FROM (SELECT 1 FROM xphere.job_state FOR UPDATE SKIP LOCKED) s")" 0

# the roles; under pg_virtualenv connections need a password: the
# superuser's, which psql finds in PGPASSWORD for any user
pw=${PGPASSWORD:+"PASSWORD '$PGPASSWORD'"}
sql <<-EOF
	CREATE ROLE $R_APP LOGIN $pw IN ROLE xphere_backend;
	CREATE ROLE $R_ADMIN LOGIN $pw IN ROLE xphere_admin;
	CREATE ROLE $R_NOBODY LOGIN $pw;
	CREATE ROLE $R_LATE LOGIN $pw IN ROLE xphere_backend;
	CREATE ROLE $R_EARLY LOGIN $pw IN ROLE xphere_backend;
	ALTER ROLE $R_LATE IN DATABASE $DB SET xphere.clock = '$T_LATE';
	ALTER ROLE $R_EARLY IN DATABASE $DB SET xphere.clock = '$T_EARLY';
	GRANT SET ON PARAMETER xphere.user_id TO $R_APP;
EOF

# checksum(): every table of schema xphere as 'name=rows:md5' words, the
# md5 over the sorted row texts; SECURITY DEFINER (a superuser's), so that
# every test role can call it and row-level security hides nothing
sql -c "CREATE SCHEMA bad_input"
sql -v snapshot_schema=bad_input -f test/lib/snapshot.sql
sql <<-'EOF'
	CREATE FUNCTION bad_input.checksum() RETURNS text
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	RETURN replace(bad_input.snapshot(), E'\n', ' ');
	REVOKE ALL ON FUNCTION bad_input.snapshot(text[]) FROM PUBLIC;
	REVOKE ALL ON FUNCTION bad_input.checksum() FROM PUBLIC;
EOF
sql -c "GRANT USAGE ON SCHEMA bad_input TO $(IFS=,; echo "${ROLES[*]}")" \
	-c "GRANT EXECUTE ON FUNCTION bad_input.checksum() TO $(IFS=,; echo "${ROLES[*]}")"

# ---------------------------------------------------------------------------
echo "# the fixture, at $T0"

# A, B: money, a machine, a supply, a loan, stakes, withdrawals, tokens;
# C: a loan that the XP price rise of the end makes liquidatable (HF
# 300 x 0.8 / (110 x 2.5) = 0.87), its XP given away; D: nothing.
# posClosed is a loan of A repaid in full.  Pool cash: 2000 supplied
# - 100 - 100 - 110 lent = 1690.
sql >"$TMP/fixture.vars" <<-'EOF'
	\o /dev/null
	SELECT xphere.set_setting('password_hash_cost', '4');
	SELECT '0x' || repeat('ab', 20) AS addr \gset
	SELECT xphere.register_user('alice@bad.test', 'password-a', 'Alice') AS "A" \gset
	SELECT xphere.register_user('bob@bad.test', 'password-b', 'Bob') AS "B" \gset
	SELECT xphere.register_user('carol@bad.test', 'password-c', 'Carol') AS "C" \gset
	SELECT xphere.register_user('dave@bad.test', 'password-d', 'Dave') AS "D" \gset
	SELECT xphere.deposit(:'A', 'USDT', 5000, '0x737ce276a2afd9f59bee308f16d7a12b9aee09f81bdab6bfde541dba489a73cf');
	SELECT xphere.deposit(:'A', 'XP', 3000, '0xaa74e35573c9054ae6499cc5a1510c3c812e14293520f73dcf4471923adfee07') AS "depA" \gset
	SELECT xphere.deposit(:'B', 'USDT', 20000, '0x9a2c3b978efdda78ed26009486db6e1e454cd6a5a3916ff0b99db897ae85e57b');
	SELECT xphere.deposit(:'B', 'XP', 3000, '0x0ca9f0e5392cc92305a4dca86b92edb697d22c1b15a6d032d6fd4d68ac6c116d');
	SELECT xphere.deposit(:'C', 'USDT', 300, '0xe2d936166b083b1603bd1e0a767827ae93006348d11b3c61817e4e48e430da6d');
	SELECT xphere.set_price('XP', 2);
	SELECT xphere.purchase_machine(:'A', 'p1') AS "mA" \gset
	SELECT xphere.purchase_machine(:'B', 'p1') AS "mB" \gset
	SELECT xphere.supply(:'A', 'lp-xp', 1000);
	SELECT xphere.supply(:'B', 'lp-xp', 1000);
	SELECT xphere.borrow(:'A', 'lp-xp', 100, 'USDT', 1000) AS "posA" \gset
	SELECT xphere.borrow(:'B', 'lp-xp', 100, 'USDT', 1000) AS "posB" \gset
	SELECT xphere.borrow(:'C', 'lp-xp', 110, 'USDT', 300) AS "posC" \gset
	SELECT xphere.borrow(:'A', 'lp-xp', 10, 'USDT', 100) AS "posClosed" \gset
	SELECT xphere.repay(:'A', :'posClosed');
	SELECT xphere.transfer(:'C', :'A', 'XP', 110);
	SELECT xphere.transfer(:'A', :'B', 'XP', 1) AS "tfA" \gset
	SELECT xphere.stake(:'A', 200) AS "stA" \gset
	SELECT xphere.stake(:'A', 600, 'pathfinder') AS "stLocked" \gset
	SELECT xphere.stake(:'A', 100) AS "stUnb" \gset
	SELECT xphere.unstake(:'A', :'stUnb');
	SELECT xphere.stake(:'B', 100) AS "stB" \gset
	SELECT xphere.request_withdrawal(:'A', 'XP', 10, :'addr') AS "wA" \gset
	SELECT xphere.request_withdrawal(:'B', 'USDT', 10, :'addr') AS "wB" \gset
	SELECT xphere.request_withdrawal(:'A', 'USDT', 10, :'addr') AS "wDone" \gset
	SELECT xphere.complete_withdrawal(:'wDone', '0x' || repeat('d', 64));
	SELECT xphere.request_withdrawal(:'A', 'USDT', 10, :'addr') AS "wFail" \gset
	SELECT xphere.fail_withdrawal(:'wFail', 'bad_input fixture');
	SELECT xphere.issue_refresh_token(:'A') AS "tokA" \gset
	SELECT xphere.issue_refresh_token(:'B') AS "tokDead" \gset
	SELECT xphere.revoke_refresh_tokens(:'B');
	SELECT xphere.issue_refresh_token(:'B') AS "tokB" \gset
	SELECT xphere.set_price('XP', '2.5');
	SELECT count(*) FROM xphere.take_liability_snapshot();
	SELECT xphere.register_user('erin@bad.test', 'password-e', 'Erin') AS "E" \gset
	\o
	SELECT format('\set %s %s', k, v) FROM (VALUES
		('A', :'A'), ('B', :'B'), ('C', :'C'), ('D', :'D'), ('E', :'E'), ('addr', :'addr'),
		('depA', :'depA'), ('mA', :'mA'), ('mB', :'mB'),
		('posA', :'posA'), ('posB', :'posB'), ('posC', :'posC'), ('posClosed', :'posClosed'),
		('tfA', :'tfA'), ('stA', :'stA'), ('stLocked', :'stLocked'), ('stUnb', :'stUnb'),
		('stB', :'stB'), ('wA', :'wA'), ('wB', :'wB'), ('wDone', :'wDone'), ('wFail', :'wFail'),
		('tokA', :'tokA'), ('tokDead', :'tokDead'), ('tokB', :'tokB')) v(k, v);
EOF
A=$(sed -n 's/^\\set A //p' "$TMP/fixture.vars")
posC=$(sed -n 's/^\\set posC //p' "$TMP/fixture.vars")
check "the fixture: C's loan, and only it, is liquidatable" \
	"$(sql -c "SELECT string_agg(id::text, ',') FROM xphere.liquidatable_positions()")" "$posC"
check "the fixture: A's balances (XP available, USDT available/locked)" \
	"$(sql -c "SELECT xphere.balance('$A', 'XP') || ' ' || a.available || '/' || a.locked
		FROM xphere.accounts a WHERE a.user_id = '$A' AND a.currency = 'USDT'")" \
	"1298.5 3889/1000"
invariants_ok "the fixture" "$T0"

# ---------------------------------------------------------------------------
echo "# the corpus"

# calls.tsv: FILE:LINE, ROLE, SQLSTATE, SQL of every call of the corpus
for f in "$CORPUS_DIR"/*.tsv; do
	awk -F'\t' -v file="${f##*/}" '
		/^#/ || /^[ \t]*$/ { next }
		NF != 3 { printf "%s:%d: malformed line (%d fields)\n", file, FNR, NF > "/dev/stderr"; exit 1 }
		{ printf "%s:%d\t%s\t%s\t%s\n", file, FNR, $1, $2, $3 }' "$f"
done >"$TMP/calls.tsv"
ncalls=$(wc -l <"$TMP/calls.tsv")

# role key -> login role, acting user (a psql variable name or "-")
login_of() {
	case $1 in
	app | appA) echo "$R_APP" ;;
	admin) echo "$R_ADMIN" ;;
	nobody) echo "$R_NOBODY" ;;
	late) echo "$R_LATE" ;;
	early) echo "$R_EARLY" ;;
	*) return 1 ;;
	esac
}
acting_of() {
	case $1 in
	appA) echo A ;;
	*) echo - ;;
	esac
}

# The psql script: the fixture's variables and the constants of the
# corpus, a first checksum, then per call: connect as its role when that
# changes, run it with its output thrown away, and print one line
#     @@|N|SQLSTATE|current_user|xphere.user_id|checksum|error message
{
	cat "$TMP/fixture.vars"
	echo "\\set ghost '5a1e0000-dead-4bad-8bad-000000000000'"
	# the largest wad and ray, and one raw unit more (2^127)
	echo "\\set MAXW '170141183460469231731.687303715884105727'"
	echo "\\set OVW '170141183460469231731.687303715884105728'"
	echo "\\set MAXR '170141183460.469231731687303715884105727'"
	echo "\\set OVR '170141183460.469231731687303715884105728'"
	# a complete, valid params object of a new plan
	echo "\\set plan '{\"name\": \"Bad\", \"machine_name\": \"Xphere B1\", \"price_usdt\": \"10\", \"hashrate\": 1, \"daily_return_xp\": \"0.1\", \"description\": \"d\", \"image_url\": \"https://example.com/b.png\", \"is_active\": true}'"
	echo "SELECT format('@@|0|00000|%s|-|%s|', current_user, bad_input.checksum());"
	n=0
	prev=''
	while IFS=$'\t' read -r where role _want stmt; do
		n=$((n + 1))
		if [ "$role" != "$prev" ]; then
			login=$(login_of "$role") || {
				echo "$where: unknown role $role" >&2
				exit 1
			}
			echo "\\c - $login"
			acting=$(acting_of "$role")
			if [ "$acting" != - ]; then
				echo "SET xphere.user_id = :'$acting';"
			fi
			prev=$role
		fi
		echo '\o /dev/null'
		printf '%s;\n' "$stmt"
		echo '\set st :SQLSTATE'
		echo '\o'
		echo "SELECT format('@@|%s|%s|%s|%s|%s|%s', $n, :'st', current_user,
			coalesce(nullif(current_setting('xphere.user_id', true), ''), '-'), bad_input.checksum(),
			CASE WHEN :'st' <> '00000' THEN left(regexp_replace(:'LAST_ERROR_MESSAGE', '\\s+', ' ', 'g'), 150) END);"
	done <"$TMP/calls.tsv"
} >"$TMP/corpus.sql"

corpus_started=$SECONDS
"$PGBIN/psql" -X -qAt -d "$DB" -f "$TMP/corpus.sql" >"$TMP/corpus.out" 2>"$TMP/corpus.err" || true
echo "# $ncalls calls in $((SECONDS - corpus_started)) s"

# the expected role and acting user of each call, by number
awk -F'\t' '{ print $2 }' "$TMP/calls.tsv" | while read -r role; do
	acting=$(acting_of "$role")
	if [ "$acting" = - ]; then
		echo "$(login_of "$role")|-"
	else
		echo "$(login_of "$role")|$(sed -n "s/^\\\\set $acting //p" "$TMP/fixture.vars")"
	fi
done >"$TMP/who.txt"

# Compare: one "not ok" per failing call; per group (the function
# called, or the corpus file for the types and statements calling none),
# the number of calls and of failures
grep '^@@|' "$TMP/corpus.out" >"$TMP/results.txt" || true
awk -F'\t' -v results="$TMP/results.txt" -v who="$TMP/who.txt" -v ncalls="$ncalls" '
	BEGIN {
		i = 0
		while ((getline line < who) > 0)
			want_who[++i] = line
		while ((getline line < results) > 0) {
			split(line, f, "|")
			n = f[2] + 0
			got[n] = f[3]; user[n] = f[4]; acting[n] = f[5]; sum[n] = f[6]
			msg[n] = f[7]
			for (k = 8; k in f; k++)
				msg[n] = msg[n] "|" f[k]
			seen[n] = 1
		}
		if (!(0 in seen)) {
			print "not ok - the first checksum was not taken"
			bad++
		}
	}
	{
		n = NR
		where = $1; role = $2; want = $3; stmt = $4
		group = stmt
		if (match(stmt, /xphere\.[a-z_]+\(/)) {
			group = substr(stmt, RSTART + 7, RLENGTH - 8) "()"
		} else {
			group = where
			sub(/:.*/, "", group)
		}
		if (!(group in order)) {
			order[group] = ++ngroups
			names[ngroups] = group
		}
		calls[group]++
		short = stmt
		if (length(short) > 110)
			short = substr(short, 1, 107) "..."
		label = where " [" role "] " short
		if (!(n in seen)) {
			printf "not ok - %s: no result (the session stopped?)\n", label
			failed[group]++; bad++
			next
		}
		if (user[n] "|" acting[n] != want_who[n]) {
			printf "not ok - %s: ran as %s|%s, not %s\n", label, user[n], acting[n], want_who[n]
			failed[group]++; bad++
			next
		}
		if (got[n] != want) {
			printf "not ok - %s: SQLSTATE %s, want %s\n", label, got[n], want
			if (got[n] != "00000")
				printf "#   %s\n", msg[n]
			failed[group]++; bad++; wrongstate++
		}
		# the tables before this call: the checksum after the previous one
		if ((n - 1) in seen && sum[n] != sum[n - 1]) {
			split(sum[n - 1], a, " "); split(sum[n], b, " ")
			changed = ""
			for (k = 1; k in a || k in b; k++)
				if (a[k] != b[k]) {
					t = (k in b) ? b[k] : a[k]
					sub(/=.*/, "", t)
					changed = changed (changed == "" ? "" : ", ") t
				}
			printf "not ok - %s: changed the tables: %s\n", label, changed
			if (got[n] == want)
				failed[group]++
			bad++; changedcalls++
		}
	}
	END {
		for (g = 1; g <= ngroups; g++) {
			name = names[g]
			if (failed[name] == 0)
				printf "ok - %s: %d calls refused as documented, nothing changed\n", name, calls[name]
		}
		printf "# %d calls in %d groups: %d with another SQLSTATE than documented, %d changed a table\n",
			ncalls, ngroups, wrongstate + 0, changedcalls + 0
	}' "$TMP/calls.tsv" >"$TMP/report.txt"
cat "$TMP/report.txt"
fails=$((fails + $(grep -c '^not ok' "$TMP/report.txt" || true)))

if grep -q -E 'FATAL|could not connect|connection to server' "$TMP/corpus.err"; then
	not_ok "the corpus session kept its connections"
	grep -E 'FATAL|could not connect|connection to server' "$TMP/corpus.err" | head -5 | diag
fi
check_true "the corpus holds at least $MIN_CALLS calls ($ncalls)" \
	"$([ "$ncalls" -ge "$MIN_CALLS" ] && echo t || echo f)" "only $ncalls calls"
check "every call reported a result" "$(grep -c '^@@|' "$TMP/corpus.out" || true)" "$((ncalls + 1))"
invariants_ok "after the corpus" "$T0"
finish

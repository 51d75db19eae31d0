#!/usr/bin/env bash
#
# test/security/roles.sh - security of xphere for real logins: one LOGIN
# role per platform user.
#
# Run by test/run.sh inside its pg_virtualenv cluster (PGHOST, PGPORT,
# PGUSER = a superuser, PGPASSWORD, ...); by hand:
#     PGPORT=$((54000 + RANDOM % 900)) pg_virtualenv -t \
#         -o shared_preload_libraries=xphere bash test/security/roles.sh
# It makes a database (xphere_security_roles_PID) and roles (xpsr_*) of its
# own and drops them on exit.
#
# The deployment pattern it tests: a role per platform user.
#     CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE xphere_app;
#     ALTER ROLE alice SET xphere.user_id = '<alice''s users.id>';
# Every session of that role acts for that platform user only: row-level
# security shows it that user's rows, and every API function refuses to act
# for anyone else (42501).  The roles log in by password over the
# connection PGHOST names (pg_virtualenv: TCP on localhost, scram-sha-256),
# so each check below is a real new session in which the role's settings
# apply.  (test/pgtap/security.sql checks the same catalog rules inside one
# transaction with SET ROLE.)
#
# With users alice, bob, carol (deposits, transfers between them, machines,
# mining rewards, a supply, borrow positions, stakes, a swap, refresh tokens,
# pending, completed and failed withdrawals) and dave (registered only), it
# checks:
#   1. each role logs in and acts for its user (xphere.current_user_id());
#   2. row-level security: in every table with relrowsecurity (read from
#      pg_class, so new tables are covered) each role sees exactly the rows
#      the superuser counts for its user and no other, also through COPY TO
#      and through a leaky function in WHERE (it only ever sees the role's
#      own user id); pg_stats shows it nothing of those tables;
#   3. acting for another user: every user-facing SECURITY DEFINER function
#      granted to xphere_app that takes a uuid or a token (read from
#      pg_proc) fails with 42501 when called for another user, with another
#      user's position, stake or token, or with its own id and another
#      user's position; nothing changes;
#   4. xphere.user_id cannot be escaped: SET, SET LOCAL, set_config, a
#      function's SET clause, ALTER ROLE itself (SET, RESET, IN DATABASE)
#      and a connection option (PGOPTIONS) that name another user or no
#      user (the "trusted backend") fail with 42501 and leave the session
#      acting for its own user only; RESET, SET TO DEFAULT, RESET ALL,
#      DISCARD ALL and SET ROLE xphere_app return to / keep its own user;
#   5. no direct writes: INSERT, UPDATE, DELETE, TRUNCATE, SELECT ... FOR
#      UPDATE, LOCK ... IN EXCLUSIVE MODE and ALTER TABLE ... DISABLE
#      TRIGGER ALL on every xphere table, DISABLE ROW LEVEL SECURITY, DROP
#      POLICY and CREATE POLICY on the RLS tables, nextval/setval on every
#      sequence: 42501 for every role; nothing changes;
#   6. every function of the extension that xphere_app is not granted
#      (operator functions, internal helpers; read from pg_proc through
#      pg_depend) fails with 42501 when a user role calls it;
#   7. PUBLIC can execute no function or procedure of the extension (no
#      proacl entry for grantee 0, no NULL proacl); a role with no xphere
#      grant, and a role with only USAGE on schema xphere, can execute none
#      of them (has_function_privilege, and a real call: 42501);
#   8. search_path and operator hijack: carol's role owns a schema first on
#      its search_path (after pg_temp) with look-alikes of = + - * / < <= >
#      >= <> on wad, = on uuid and text, now, lower, btrim, length, crypt,
#      gen_salt, digest, sha256, gen_random_uuid, current_setting,
#      clock_timestamp and of xphere's own helpers (current_user_id,
#      authorize_user, house_id, setting, ...), plus pg_temp functions and
#      temporary tables shadowing settings, users, accounts, transactions;
#      authenticate, register_user, transfer, swap, request_withdrawal,
#      stake, issue/rotate_refresh_token and balance give exact results,
#      and no look-alike is ever reached (each would record its call and
#      raise a notice), while an unqualified call in carol's own session
#      does reach them (control);
#   9. the xphere_events channel: a user role that LISTENs does not
#      receive another user's ledger entry (user id, amount);
#  10. a user role holding the advisory lock tick() uses cannot make
#      tick() skip its work;
#  12. trust is held by the role: a role only in xphere_app, with no user
#      pinned, acts for nobody (every call of check 3 is 42501, no row
#      visible); a member of xphere_backend acts for anyone and sees every
#      row, and SET LOCAL xphere.user_id confines one of its transactions;
#      liquidatable_positions() shows a user role only its own positions;
#  11. check_invariants() is empty at the end.
#
# XPHERE_DEPLOYMENT (preload, session, none: how the library is loaded;
# test/scripts/security_deployments.sh runs this script in all three) relaxes
# what cannot hold without preloading: before the library loads,
# xphere.user_id is a placeholder that SET accepts, and loading drops the
# value again; a connection option naming a user is dropped with a
# WARNING instead of refusing the login, and the session then acts for
# nobody.
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DB=xphere_security_roles_$$
# how the library is loaded (test/scripts/security_deployments.sh): preload,
# session or none
DEPLOYMENT=${XPHERE_DEPLOYMENT:-preload}
TMP=$(mktemp -d -t xphere-security-roles.XXXXXX)
R=xpsr			# prefix of the roles (cluster-wide names)
USERS=(alice bob carol dave)
ROLES=()
for u in "${USERS[@]}"; do ROLES+=("${R}_$u"); done
ROLES+=("${R}_nobody" "${R}_usage" "${R}_apponly" "${R}_backend")
# the roles' password, new for each run
PW=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

cleanup() {
	cleanup_databases "$DB"
	drop_roles "${ROLES[@]}"
}
trap cleanup EXIT
drop_roles "${ROLES[@]}"	# (what a killed run may have left)

# super ARGS...: psql as the superuser in $DB
super() { sql "$@"; }

# id NAME: a kept id (user, position, token) of the fixture
id() { super -c "SELECT xpsr_fixture.id('$1')"; }

# the try() a role session defines: runs a statement, returns its SQLSTATE,
# or "ran" when it ran (then undone: its subtransaction is rolled back)
TRY_SQL=$(
	cat <<-'EOF'
		CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
		DECLARE
			st text;
		BEGIN
			BEGIN
				EXECUTE q;
				RAISE EXCEPTION 'ran' USING ERRCODE = 'ZXRAN';
			EXCEPTION WHEN OTHERS THEN
				st := SQLSTATE;
			END;
			RETURN CASE st WHEN 'ZXRAN' THEN 'ran' ELSE st END;
		END $$;
	EOF
)

# run_tries ROLE NAME GENERATOR-SQL: the generator (run by the superuser)
# returns "SELECT format(...pg_temp.try(...))" lines; ROLE runs them, each
# printing "label|SQLSTATE"; prints the lines whose SQLSTATE is not 42501,
# or what went wrong
run_tries() {
	local role=$1 name=$2 gen=$3 n got rc=0
	super -c "$gen" >"$TMP/$name.sql"
	n=$(wc -l <"$TMP/$name.sql")
	{
		echo "$TRY_SQL"
		cat "$TMP/$name.sql"
	} | as_role "$role" -f - >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
	got=$(grep -c '|' "$TMP/$name.out" || true)
	if [ "$rc" -ne 0 ] || [ "$got" -ne "$n" ]; then
		echo "session failed (exit $rc, $got of $n statements ran): $(head -c 400 "$TMP/$name.err")"
	fi
	awk -F'|' '$NF != "42501" { print $1 ": " $NF }' "$TMP/$name.out"
}

started=$SECONDS
"$PGBIN/createdb" "$DB"

# ---------------------------------------------------------------------------
echo "# fixture: alice, bob, carol, dave; one login role each"

super >/dev/null <<-'EOF'
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	-- the background worker ticks this database too: one distribution now
	-- (no machine yet), then none for ten years, so only the fixture pays
	SELECT xphere.set_setting('distribution_interval', '3650 days');
	SELECT xphere.tick();

	-- the fixture's ids and helpers: the superuser's only
	CREATE SCHEMA xpsr_fixture;
	REVOKE ALL ON SCHEMA xpsr_fixture FROM PUBLIC;
	CREATE TABLE xpsr_fixture.ids (name text PRIMARY KEY, v text NOT NULL);
	CREATE FUNCTION xpsr_fixture.id(p text) RETURNS text LANGUAGE sql STABLE
		AS $$ SELECT v FROM xpsr_fixture.ids WHERE name = p $$;
	CREATE FUNCTION xpsr_fixture.uid(p text) RETURNS uuid LANGUAGE sql STABLE
		AS $$ SELECT v::uuid FROM xpsr_fixture.ids WHERE name = p $$;
	-- rows of table rel (of schema xphere) whose column col is v (all rows: col NULL)
	CREATE FUNCTION xpsr_fixture.count(rel text, col text DEFAULT NULL, v text DEFAULT NULL)
	RETURNS bigint LANGUAGE plpgsql STABLE AS $$
	DECLARE
		n bigint;
	BEGIN
		IF col IS NULL THEN
			EXECUTE format('SELECT count(*) FROM xphere.%I', rel) INTO n;
		ELSE
			EXECUTE format('SELECT count(*) FROM xphere.%I WHERE %I = %L', rel, col, v) INTO n;
		END IF;
		RETURN n;
	END $$;
	CREATE FUNCTION xpsr_fixture.keep(p text, v anyelement) RETURNS void LANGUAGE sql
		AS $$ INSERT INTO xpsr_fixture.ids VALUES (p, v::text) $$;

	SELECT xpsr_fixture.keep(n, xphere.register_user(n || '@roles.test', 'password-' || n, initcap(n)))
	  FROM unnest(ARRAY['alice', 'bob', 'carol', 'dave']) n;
	SELECT xphere.set_price('XP', '0.5');
	SELECT xphere.deposit(xpsr_fixture.uid('alice'), 'USDT', 2000, '0x89566bd242b10ac2bba46255e5827d567618f5935e0e5239b5fefe2f5c1c29e0');
	SELECT xphere.deposit(xpsr_fixture.uid('alice'), 'XP', 1000, '0xf5bf20327702895c3c77974ea1f708f3b63b1b30c3132169b289e2042e147f93');
	SELECT xphere.deposit(xpsr_fixture.uid('bob'), 'USDT', 1000, '0x905d79ecf69bf8dbfeeb6a19e26af4071239f2ddffd80f3b332ff7b19e82ef6f');
	SELECT xphere.deposit(xpsr_fixture.uid('carol'), 'XP', 500, '0x7a52fee926d5b3ea59f2e1291a448951e6b0a8c0f867fb12ae563735a0b52a95');
	SELECT xphere.deposit(xpsr_fixture.uid('carol'), 'USDT', 100, '0x8b7643afb6cd204d41cd3f91a05111455b49a74308a7ad1ddbed5c27f88a6c96');
	SELECT xphere.purchase_machine(xpsr_fixture.uid('alice'), 'p1');
	SELECT xphere.purchase_machine(xpsr_fixture.uid('bob'), 'p2');
	SELECT xphere.transfer(xpsr_fixture.uid('alice'), xpsr_fixture.uid('bob'), 'USDT', 50, 'a->b');
	SELECT xphere.transfer(xpsr_fixture.uid('bob'), xpsr_fixture.uid('carol'), 'USDT', 20, 'b->c');
	SELECT xphere.transfer(xpsr_fixture.uid('carol'), xpsr_fixture.uid('alice'), 'XP', 5, 'c->a');
	SELECT xphere.supply(xpsr_fixture.uid('alice'), 'lp-xp', 300);
	SELECT xpsr_fixture.keep('stake_alice', xphere.stake(xpsr_fixture.uid('alice'), 200, 'explorer'));
	SELECT xpsr_fixture.keep('stake_carol', xphere.stake(xpsr_fixture.uid('carol'), 150, 'explorer'));
	SELECT xpsr_fixture.keep('borrow_bob',
		xphere.borrow(xpsr_fixture.uid('bob'), 'lp-xp', 100, 'USDT', 300));
	SELECT xpsr_fixture.keep('borrow_alice',
		xphere.borrow(xpsr_fixture.uid('alice'), 'lp-xp', 50, 'USDT', 200));
	-- refresh tokens: alice's first one rotated, carol's first one revoked
	SELECT xpsr_fixture.keep('token_alice',
		xphere.rotate_refresh_token(xphere.issue_refresh_token(xpsr_fixture.uid('alice'))));
	SELECT xpsr_fixture.keep('token_bob', xphere.issue_refresh_token(xpsr_fixture.uid('bob')));
	SELECT xphere.issue_refresh_token(xpsr_fixture.uid('carol'));
	SELECT xphere.revoke_refresh_tokens(xpsr_fixture.uid('carol'));
	SELECT xpsr_fixture.keep('token_carol', xphere.issue_refresh_token(xpsr_fixture.uid('carol')));
	SELECT xpsr_fixture.keep('token_dave', xphere.issue_refresh_token(xpsr_fixture.uid('dave')));
	-- withdrawals: alice's pending, bob's completed, carol's failed
	SELECT xpsr_fixture.keep('withdrawal_alice',
		xphere.request_withdrawal(xpsr_fixture.uid('alice'), 'USDT', 10, '0x' || repeat('a', 40)));
	SELECT xphere.complete_withdrawal(
		xphere.request_withdrawal(xpsr_fixture.uid('bob'), 'USDT', 30, '0x' || repeat('b', 40)),
		'0x' || repeat('b', 64));
	SELECT xphere.fail_withdrawal(
		xphere.request_withdrawal(xpsr_fixture.uid('carol'), 'XP', 5, '0x' || repeat('c', 40)),
		'rejected');
	SELECT xphere.swap(xpsr_fixture.uid('carol'), 'XP', 20);
	-- the machines have run for a second at least: mining rewards
	SELECT pg_sleep(1.1);
	SELECT xphere.distribute_mining_rewards();
	SELECT xphere.set_price('XP', '0.5');
	ANALYZE;

	-- the tables with row-level security and the column naming their user
	CREATE VIEW xpsr_fixture.rls_tables AS
	SELECT c.relname::text AS rel,
		   CASE WHEN EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
							   AND a.attname = 'user_id' AND NOT a.attisdropped) THEN 'user_id'
				WHEN c.oid = 'xphere.users'::regclass THEN 'id' END AS col
	  FROM pg_class c
	 WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p') AND c.relrowsecurity;

	-- the functions of the extension, with their input arguments
	CREATE VIEW xpsr_fixture.functions AS
	SELECT p.oid, p.proname::text, p.prokind, p.prosecdef, p.proacl,
		   quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS qname,
		   p.oid::regprocedure::text AS sig,
		   coalesce((SELECT array_agg(a.name ORDER BY a.k) FROM unnest(
						coalesce(p.proallargtypes, p.proargtypes::oid[]),
						coalesce(p.proargnames, array_fill(''::text, ARRAY[cardinality(
							coalesce(p.proallargtypes, p.proargtypes::oid[]))])),
						coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[cardinality(
							p.proargtypes::oid[])])))
						WITH ORDINALITY AS a(typ, name, mode, k) WHERE a.mode IN ('i', 'b', 'v')),
					 '{}') AS names,
		   coalesce((SELECT array_agg(a.typ ORDER BY a.k) FROM unnest(
						coalesce(p.proallargtypes, p.proargtypes::oid[]),
						coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[cardinality(
							p.proargtypes::oid[])])))
						WITH ORDINALITY AS a(typ, mode, k) WHERE a.mode IN ('i', 'b', 'v')),
					 '{}') AS types
	  FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	   AND d.refclassid = 'pg_extension'::regclass
	   AND d.refobjid = (SELECT e.oid FROM pg_extension e WHERE e.extname = 'xphere');

	-- a call of a function with NULL arguments that the planner cannot
	-- fold away (a strict function of a constant NULL is never called, so
	-- its EXECUTE privilege would never be checked); NULL if an argument
	-- is of a pseudo-type such as internal
	CREATE FUNCTION xpsr_fixture.null_call(f xpsr_fixture.functions) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
		SELECT CASE WHEN EXISTS (SELECT 1 FROM unnest(f.types) t JOIN pg_type y ON y.oid = t
								  WHERE y.typtype = 'p' AND t <> 'cstring'::regtype) THEN NULL
			ELSE CASE f.prokind WHEN 'p' THEN 'CALL ' ELSE 'SELECT ' END || f.qname || '('
				|| coalesce((SELECT string_agg(format('(SELECT NULL::%s)', format_type(t, NULL)), ', '
											   ORDER BY k) FROM unnest(f.types) WITH ORDINALITY AS x(t, k)), '')
				|| ')' END
	$$;
EOF
# every xphere table but those the worker's ticks change (pools, staking
# pools, job_state, events, risk_refresh_marks, tick_history), each as
# 'table=rows:md5'
# (test/lib/snapshot.sql)
super -v snapshot_schema=xpsr_fixture -f "$(dirname "${BASH_SOURCE[0]}")/../lib/snapshot.sql"
snapshot() { super -c "SELECT xpsr_fixture.snapshot('{lending_pools,staking_pools,job_state,events,risk_refresh_marks,tick_history}')"; }

for u in "${USERS[@]}"; do
	super >/dev/null <<-EOF
		CREATE ROLE ${R}_$u LOGIN PASSWORD '$PW' IN ROLE xphere_app;
		ALTER ROLE ${R}_$u SET xphere.user_id = '$(id "$u")';
	EOF
done
super >/dev/null <<-EOF
	CREATE ROLE ${R}_nobody LOGIN PASSWORD '$PW';
	-- the application role without a pin, and a trusted shared backend
	CREATE ROLE ${R}_apponly LOGIN PASSWORD '$PW' IN ROLE xphere_app;
	CREATE ROLE ${R}_backend LOGIN PASSWORD '$PW' IN ROLE xphere_backend;
	CREATE ROLE ${R}_usage LOGIN PASSWORD '$PW';
	GRANT USAGE ON SCHEMA xphere TO ${R}_usage;
	-- carol's own schema, first on her search_path ("\$user")
	CREATE SCHEMA ${R}_carol AUTHORIZATION ${R}_carol;
EOF

rows=$(super -c "SELECT string_agg(rel || ' ' || coalesce(col, '?'), ', ' ORDER BY rel) FROM xpsr_fixture.rls_tables")
echo "# tables with row-level security: $rows"
bad=$(super -c "SELECT rel FROM xpsr_fixture.rls_tables WHERE col IS NULL")
check_empty "every RLS table has a user_id column (users: id), so its owner is known" "$bad"
bad=$(super -c "SELECT r.rel FROM xpsr_fixture.rls_tables r
	WHERE NOT EXISTS (SELECT 1 FROM xpsr_fixture.ids i
		WHERE i.name IN ('alice', 'bob', 'carol', 'dave')
		  AND xpsr_fixture.count(r.rel, r.col, i.v) > 0)")
check_empty "the fixture has rows of some user in every RLS table" "$bad"

# ---------------------------------------------------------------------------
echo "# 1. logins"

for u in "${USERS[@]}"; do
	got=$(as_role "${R}_$u" -c "SELECT current_user || ' ' || coalesce(xphere.current_user_id()::text, 'none')" 2>&1) || true
	check "role ${R}_$u logs in (password, new session) and acts for $u" "$got" "${R}_$u $(id "$u")"
done
got=$(as_role "${R}_nobody" -c "SELECT current_user" 2>&1) || true
check "role ${R}_nobody (no xphere grant) logs in" "$got" "${R}_nobody"

# ---------------------------------------------------------------------------
echo "# 2. row-level security, each role in its own session"

for u in "${USERS[@]}"; do
	me=$(id "$u")
	want=$(super -c "SELECT format('%s|%s|0', rel, xpsr_fixture.count(rel, col, '$me'))
			FROM xpsr_fixture.rls_tables ORDER BY rel")
	total=$(super -c "SELECT string_agg(format('%s %s', rel, xpsr_fixture.count(rel)), ', ' ORDER BY rel)
			FROM xpsr_fixture.rls_tables")
	super -c "SELECT format('SELECT format(%L, %L, count(*), count(*) FILTER (WHERE %I IS DISTINCT FROM %L)) FROM xphere.%I;',
			'%s|%s|%s', rel, col, '$me', rel) FROM xpsr_fixture.rls_tables ORDER BY rel" >"$TMP/rls.$u.sql"
	got=$(as_role "${R}_$u" -f "$TMP/rls.$u.sql" 2>&1) || true
	if [ "$got" = "$want" ]; then
		ok "$u's role sees exactly $u's rows in every RLS table (table|rows|others' rows: $(echo "$want" | tr '\n' ' ')of $total)"
	else
		not_ok "$u's role sees exactly $u's rows in every RLS table"
		diff <(echo "$want") <(echo "$got") | diag || true
	fi

	# COPY TO applies the policies too
	want=$(super -c "SELECT count(*) FROM xphere.transactions WHERE user_id = '$me'")
	got=$(as_role "${R}_$u" -c "COPY xphere.transactions TO STDOUT" 2>&1 | wc -l) || true
	check "$u's role: COPY xphere.transactions TO STDOUT gives $u's $want entries only" "$got" "$want"

	# a leaky function in WHERE sees only the rows the policy lets through
	{
		echo "CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0001 AS
			\$\$BEGIN RAISE NOTICE 'leak:%', \$1; RETURN true; END\$\$;"
		super -c "SELECT format('SELECT count(*) FROM xphere.%I WHERE pg_temp.leak(%I::text);', rel, col)
			FROM xpsr_fixture.rls_tables ORDER BY rel"
	} >"$TMP/leak.$u.sql"
	as_role "${R}_$u" -f "$TMP/leak.$u.sql" >/dev/null 2>"$TMP/leak.$u.err" || true
	n=$(grep -c 'leak:' "$TMP/leak.$u.err" || true)
	bad=$(grep -v "leak:$me\$" "$TMP/leak.$u.err" || true)
	check_empty "$u's role: a leaky function in WHERE over every RLS table sees $u's id only ($n rows)" "$bad"

	got=$(as_role "${R}_$u" -c "SELECT count(*) FROM pg_stats WHERE schemaname = 'xphere'
		AND tablename IN (SELECT c.relname FROM pg_class c
			WHERE c.relnamespace = 'xphere'::regnamespace AND c.relrowsecurity)" 2>&1) || true
	check "$u's role: pg_stats shows nothing of the RLS tables (values of other users)" "$got" 0
done
got=$(super -c "SELECT count(*) > 0 FROM pg_stats WHERE schemaname = 'xphere'
	AND tablename IN (SELECT rel FROM xpsr_fixture.rls_tables)")
check "control: the superuser does see pg_stats rows of the RLS tables" "$got" t

# statistics: after ANALYZE, alice's EXPLAIN estimates on amounts must not
# depend on other users' balances (the planner may use statistics under
# RLS for LEAKPROOF operators, so amounts carry none)
super -c "ANALYZE xphere.accounts" >/dev/null
bal=$(super -c "SELECT max(available) FROM xphere.accounts WHERE user_id <> '$(id alice)'")
est() {
	as_role "${R}_alice" -c "EXPLAIN (FORMAT JSON) SELECT * FROM xphere.accounts WHERE available OPERATOR(xphere.<) '$1'" |
		sed -n 's/.*"Plan Rows": \([0-9]*\).*/\1/p' | head -1
}
below=$(est "$(super -c "SELECT '$bal'::xphere.wad - '0.000000000000000001'")")
above=$(est "$(super -c "SELECT '$bal'::xphere.wad + '0.000000000000000001'")")
check "alice's row estimates on available are the same just below and above another user's balance ($bal)" \
	"$below" "$above"
bad=$(super -c "SELECT string_agg(a.attrelid::regclass || '.' || a.attname, ' ')
	FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid
	WHERE r.relnamespace = 'xphere'::regnamespace AND r.relrowsecurity AND a.attnum > 0
	  AND a.atttypid IN ('xphere.wad'::regtype, 'xphere.ray'::regtype)
	  AND a.attstattarget <> 0")
check_empty "no wad or ray column (an amount) of a row-level security table keeps statistics" "$bad"

# ---------------------------------------------------------------------------
echo "# 3. acting for another user through the API: 42501"

super >/dev/null <<-'EOF'
	-- calls of every user-facing function taking a uuid or a token, for
	-- user p_me acting for (or on a position of) each other user
	CREATE FUNCTION xpsr_fixture.act_for_others(p_me text) RETURNS SETOF text
	LANGUAGE plpgsql SET search_path = pg_catalog AS $$
	DECLARE
		f xpsr_fixture.functions;
		o text;
		v int;
		k int;
		n text;
		val text;
		pos text;
		args text[];
		label text;
		bad text;
		calls int;
	BEGIN
		FOR f IN SELECT * FROM xpsr_fixture.functions x
				  WHERE x.prosecdef AND x.prokind = 'f'
					AND EXISTS (SELECT 1 FROM aclexplode(x.proacl) a
								 WHERE a.grantee = 'xphere_app'::regrole AND a.privilege_type = 'EXECUTE')
					AND ('uuid'::regtype = ANY (x.types) OR 'token' = ANY (x.names))
				  ORDER BY x.sig
		LOOP
			calls := 0;
			FOREACH o IN ARRAY ARRAY['alice', 'bob', 'carol', 'dave'] LOOP
				CONTINUE WHEN o = p_me;
				pos := xpsr_fixture.id(CASE WHEN f.proname ~ 'stak' THEN 'stake_' ELSE 'borrow_' END || o);
				-- variant 1: everything the other user's; variant 2: one's own
				-- user_id with the other user's position
				FOR v IN 1 .. CASE WHEN 'position_id' = ANY (f.names) AND 'user_id' = ANY (f.names)
								   THEN 2 ELSE 1 END LOOP
					args := '{}';
					bad := NULL;
					FOR k IN 1 .. cardinality(f.names) LOOP
						n := f.names[k];
						val := CASE n
							WHEN 'user_id' THEN xpsr_fixture.id(CASE v WHEN 1 THEN o ELSE p_me END)
							WHEN 'from_user' THEN xpsr_fixture.id(o)
							WHEN 'liquidator_id' THEN xpsr_fixture.id(o)
							WHEN 'to_user' THEN xpsr_fixture.id(p_me)
							WHEN 'position_id' THEN pos
							WHEN 'token' THEN xpsr_fixture.id('token_' || o)
							WHEN 'currency' THEN 'USDT'
							WHEN 'from_currency' THEN 'USDT'
							WHEN 'collateral_asset' THEN 'USDT'
							WHEN 'amount' THEN '100'
							WHEN 'collateral_amount' THEN '300'
							WHEN 'debt_to_cover' THEN '1'
							WHEN 'pool_id' THEN 'lp-xp'
							WHEN 'plan_id' THEN 'p1'
							WHEN 'staking_pool' THEN 'explorer'
							WHEN 'to_address' THEN '0x' || repeat('1', 40)
							WHEN 'tx_hash' THEN '0x' || repeat('2', 64)
							WHEN 'memo' THEN 'memo'
							WHEN 'ttl' THEN '1 day'
							WHEN 'verified' THEN 'true'
							WHEN 'snapshot_id' THEN '1'
						END;
						IF val IS NULL THEN
							IF n IN ('position_id', 'token') THEN
								bad := 'skip';		-- o has none
							ELSE
								bad := coalesce(bad, format('no test value for argument "%s"', n));
							END IF;
						END IF;
						args := args || format('%L::%s', val, format_type(f.types[k], NULL));
					END LOOP;
					IF bad = 'skip' THEN
						CONTINUE;
					ELSIF bad IS NOT NULL THEN
						RETURN NEXT format('SELECT %L;', f.sig || ' (' || bad || ')|untested');
						CONTINUE;
					END IF;
					label := format('%s for %s%s', f.proname, o,
									CASE v WHEN 2 THEN ' (own user_id, ' || o || '''s position)' ELSE '' END);
					RETURN NEXT format('SELECT format(%L, %L, pg_temp.try(%L));', '%s|%s', label,
									   format('SELECT %s(%s)', f.qname, array_to_string(args, ', ')));
					calls := calls + 1;
				END LOOP;
			END LOOP;
			IF calls = 0 THEN
				RETURN NEXT format('SELECT %L;', f.sig || ' (no other user has what it needs)|untested');
			END IF;
		END LOOP;
	END $$;
EOF

fns=$(super -c "SELECT string_agg(x.proname, ' ' ORDER BY x.proname) FROM xpsr_fixture.functions x
	WHERE x.prosecdef AND x.prokind = 'f'
	  AND EXISTS (SELECT 1 FROM aclexplode(x.proacl) a
				   WHERE a.grantee = 'xphere_app'::regrole AND a.privilege_type = 'EXECUTE')
	  AND ('uuid'::regtype = ANY (x.types) OR 'token' = ANY (x.names))")
echo "# user-facing functions taking a uuid or a token: $fns"
before=$(snapshot)
for u in "${USERS[@]}"; do
	bad=$(run_tries "${R}_$u" "act.$u" "SELECT * FROM xpsr_fixture.act_for_others('$u')")
	n=$(wc -l <"$TMP/act.$u.sql")
	check_empty "$u's role: all $n calls for other users, their positions, stakes or tokens fail with 42501" "$bad" 40
done
after=$(snapshot)
check "the refused calls changed no table" "$after" "$before"

# ---------------------------------------------------------------------------
echo "# 4. xphere.user_id: no escape for a role bound to a user"

ME=$(id alice)
OTHER=$(id bob)
probe_sql() {
	echo "SELECT 'acting=' || coalesce(xphere.current_user_id()::text, 'none');"
	echo "SELECT 'others_rows=' || ($(super -c "SELECT string_agg(format('(SELECT count(*) FROM xphere.%I WHERE %I IS DISTINCT FROM %L)',
		rel, col, '$ME'), ' + ' ORDER BY rel) FROM xpsr_fixture.rls_tables"));"
	echo '\o /dev/null'
	echo "SELECT xphere.balance('$OTHER', 'USDT');"
	echo '\o'
	echo '\echo act_for_bob :SQLSTATE'
}
PROBE=$(probe_sql)
CONFINED="acting=$ME
others_rows=0
act_for_bob 42501"
NOBODY="acting=none
others_rows=0
act_for_bob 42501"

# escape KIND DESCRIPTION STATEMENT...: alice's role runs the statements
# (kind "now": then the probe in the same session; "tx": all in one
# transaction with the probe; "login": the probe in a new session), each
# followed by its SQLSTATE.  A "refuse" description: the statements must
# fail with 42501 (the last one must not succeed); in every case alice's
# role must still act for alice only.
escape() {
	local kind=$1 what=$2 out states s
	shift 2
	{
		echo '\set ON_ERROR_STOP 0'
		[ "$kind" = tx ] && echo 'BEGIN;'
		for s in "$@"; do
			printf '\\o /dev/null\n%s;\n\\o\n\\echo attempt :SQLSTATE\n' "$s"
		done
		if [ "$kind" = tx ]; then
			printf '\\if :ERROR\nROLLBACK;\nBEGIN;\n\\endif\n'
		fi
		[ "$kind" = login ] || echo "$PROBE"
		[ "$kind" = tx ] && echo 'COMMIT;'
	} >"$TMP/escape.sql"
	as_role "${R}_alice" -f "$TMP/escape.sql" >"$TMP/escape.out" 2>"$TMP/escape.err" || true
	if [ "$kind" = login ]; then
		echo "$PROBE" | as_role "${R}_alice" -v ON_ERROR_STOP=0 -f - >>"$TMP/escape.out" 2>>"$TMP/escape.err" || true
		# the superuser puts the role's settings back as they were
		super >/dev/null <<-EOF
			ALTER ROLE ${R}_alice RESET ALL;
			ALTER ROLE ${R}_alice IN DATABASE $DB RESET ALL;
			ALTER ROLE ${R}_alice SET xphere.user_id = '$ME';
		EOF
	fi
	states=$(sed -n 's/^attempt //p' "$TMP/escape.out" | tr '\n' ' ')
	out=$(grep -v '^attempt ' "$TMP/escape.out" || true)
	case $what in
	refuse*)
		if [ "$DEPLOYMENT" = none ] && [[ "$states" != *42501* ]]; then
			# not preloaded: until the library loads (on the first call of
			# one of its functions) xphere.user_id is a placeholder that
			# anybody may set; loading then drops what an unprivileged role
			# set, which the check below shows
			ok "alice's role: $what: a placeholder until the library loads (SQLSTATEs: $states)"
		elif [[ " $states" == *" 42501 "* && "$states" != *"00000 " ]]; then
			ok "alice's role: $what: 42501 (SQLSTATEs: $states)"
		else
			not_ok "alice's role: $what: 42501"
			printf '#   SQLSTATEs: %s(00000 = it worked)\n' "$states"
		fi
		;;
	esac
	if [ "$out" = "$CONFINED" ]; then
		ok "alice's role after $what: still acts for alice only"
	else
		not_ok "alice's role after $what: still acts for alice only"
		printf '%s\n' "$out" | diag
		diag "$TMP/escape.err" | head -5
		echo "#   want: acting=alice, others_rows=0, act_for_bob 42501"
	fi
}

escape now "control" "SELECT 1"
escape now "refuse SET to another user" "SET xphere.user_id = '$OTHER'"
escape now "refuse SET to no user (trusted backend)" "SET xphere.user_id = ''"
escape now "refuse set_config to another user" "SELECT set_config('xphere.user_id', '$OTHER', false)"
escape tx "refuse SET LOCAL to another user" "SET LOCAL xphere.user_id = '$OTHER'"
escape tx "refuse set_config(is_local) to no user" "SELECT set_config('xphere.user_id', '', true)"
escape now "refuse a function's SET clause naming another user" \
	"CREATE FUNCTION pg_temp.as_bob() RETURNS text LANGUAGE sql SET xphere.user_id = '$OTHER'
		AS \$\$ SELECT xphere.balance('$OTHER', 'USDT')::text \$\$" \
	"SELECT pg_temp.as_bob()"
escape login "refuse ALTER ROLE itself SET to another user" \
	"ALTER ROLE CURRENT_USER SET xphere.user_id = '$OTHER'"
escape login "refuse ALTER ROLE itself RESET (no user at the next login)" \
	"ALTER ROLE CURRENT_USER RESET xphere.user_id"
escape login "refuse ALTER ROLE itself IN DATABASE SET to no user" \
	"ALTER ROLE CURRENT_USER IN DATABASE $DB SET xphere.user_id = ''"
escape now "RESET returns to the role's user" "RESET xphere.user_id"
escape now "SET TO DEFAULT returns to the role's user" "SET xphere.user_id TO DEFAULT"
escape now "RESET ALL returns to the role's user" "RESET ALL"
escape now "DISCARD ALL returns to the role's user" "DISCARD ALL"
escape now "SET ROLE xphere_app keeps the role's user" "SET ROLE xphere_app"

for opt in "$OTHER" ""; do
	what="another user"
	[ -z "$opt" ] && what="no user"
	rc=0
	echo "$PROBE" | ROLE_PGOPTIONS="-c xphere.user_id=$opt" as_role "${R}_alice" -v ON_ERROR_STOP=0 -f - \
		>"$TMP/opt.out" 2>"$TMP/opt.err" || rc=$?
	out=$(cat "$TMP/opt.out")
	if [ "$rc" -ne 0 ] && grep -q 'permission denied' "$TMP/opt.err"; then
		ok "alice's role: a connection option xphere.user_id naming $what is refused (42501)"
	elif [ "$DEPLOYMENT" != preload ] && [ "$out" = "$NOBODY" ] &&
		grep -q 'WARNING:  permission denied to set parameter "xphere.user_id"' "$TMP/opt.err"; then
		# loaded after the login, the library drops the option with a
		# WARNING, and with it the role's pin: the session acts for nobody
		ok "alice's role: a connection option xphere.user_id naming $what is dropped; the session acts for nobody"
	else
		not_ok "alice's role: a connection option xphere.user_id naming $what is refused (42501)"
		{ echo "connected, exit $rc:"; echo "$out"; head -3 "$TMP/opt.err"; } | diag
	fi
done

# ---------------------------------------------------------------------------
echo "# 5. no direct writes to any table or sequence"

GEN_WRITES="SELECT format('SELECT format(%L, %L, pg_temp.try(%L));', '%s|%s', w.label, w.q)
	FROM pg_class c
	CROSS JOIN LATERAL (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
						AND NOT a.attisdropped AND a.attidentity = '' AND a.attgenerated = ''
						ORDER BY a.attnum LIMIT 1) first_col
	CROSS JOIN LATERAL (VALUES
		('INSERT', format('INSERT INTO xphere.%I DEFAULT VALUES', c.relname)),
		('UPDATE', format('UPDATE xphere.%I SET %I = %I', c.relname, first_col.attname, first_col.attname)),
		('DELETE', format('DELETE FROM xphere.%I', c.relname)),
		('TRUNCATE', format('TRUNCATE xphere.%I CASCADE', c.relname)),
		('SELECT FOR UPDATE', format('SELECT 1 FROM xphere.%I FOR UPDATE', c.relname)),
		('LOCK EXCLUSIVE', format('LOCK TABLE xphere.%I IN EXCLUSIVE MODE', c.relname)),
		('DISABLE TRIGGER ALL', format('ALTER TABLE xphere.%I DISABLE TRIGGER ALL', c.relname)),
		('DISABLE ROW LEVEL SECURITY', CASE WHEN c.relrowsecurity THEN
			format('ALTER TABLE xphere.%I DISABLE ROW LEVEL SECURITY', c.relname) END),
		('DROP POLICY', CASE WHEN c.relrowsecurity THEN format('DROP POLICY own_rows ON xphere.%I', c.relname) END),
		('CREATE POLICY', CASE WHEN c.relrowsecurity THEN
			format('CREATE POLICY xpsr_all ON xphere.%I FOR SELECT USING (true)', c.relname) END)
	) AS v(what, q)
	CROSS JOIN LATERAL (SELECT c.relname || ' ' || v.what AS label, v.q) w
	WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p') AND v.q IS NOT NULL
	UNION ALL
	SELECT format('SELECT format(%L, %L, pg_temp.try(%L));', '%s|%s', c.relname || ' ' || v.what, v.q)
	FROM pg_class c
	CROSS JOIN LATERAL (VALUES
		('nextval', format('SELECT nextval(%L)', 'xphere.' || quote_ident(c.relname))),
		('setval', format('SELECT setval(%L, 1)', 'xphere.' || quote_ident(c.relname)))) AS v(what, q)
	WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind = 'S'"
tables=$(super -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'xphere'::regnamespace AND relkind IN ('r', 'p')")
seqs=$(super -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'xphere'::regnamespace AND relkind = 'S'")
before=$(snapshot)
for u in "${USERS[@]}"; do
	bad=$(run_tries "${R}_$u" "write.$u" "$GEN_WRITES")
	n=$(wc -l <"$TMP/write.$u.sql")
	check_empty "$u's role: all $n writes, row locks and DDL on the $tables xphere tables and $seqs sequences fail with 42501" "$bad" 40
done
after=$(snapshot)
check "the refused writes changed no table" "$after" "$before"

# ---------------------------------------------------------------------------
echo "# 6. operator functions and internal helpers: not for a user role"

GEN_NOT_APP="SELECT format('SELECT format(%L, %L, pg_temp.try(%L));', '%s|%s', f.sig, xpsr_fixture.null_call(f))
	FROM xpsr_fixture.functions f
	WHERE NOT has_function_privilege('xphere_app', f.oid, 'EXECUTE') AND xpsr_fixture.null_call(f) IS NOT NULL
	ORDER BY f.sig"
nf=$(super -c "SELECT count(*) FROM xpsr_fixture.functions f WHERE NOT has_function_privilege('xphere_app', f.oid, 'EXECUTE')")
ops=$(super -c "SELECT string_agg(f.proname, ' ' ORDER BY f.proname) FROM xpsr_fixture.functions f
	WHERE has_function_privilege('xphere_admin', f.oid, 'EXECUTE')
	  AND NOT has_function_privilege('xphere_app', f.oid, 'EXECUTE')")
echo "# operator functions: $ops"
bad=$(super -c "SELECT f.sig FROM xpsr_fixture.functions f
	WHERE NOT has_function_privilege('xphere_app', f.oid, 'EXECUTE') AND xpsr_fixture.null_call(f) IS NULL")
check_empty "every function not granted to xphere_app can be called with NULL arguments (none takes internal)" "$bad"
before=$(snapshot)
for u in "${USERS[@]}"; do
	bad=$(super -c "SELECT u.r || ' ' || f.sig FROM xpsr_fixture.functions f, (VALUES ('${R}_$u')) u(r)
		WHERE NOT has_function_privilege('xphere_app', f.oid, 'EXECUTE')
		  AND has_function_privilege(u.r, f.oid, 'EXECUTE')")
	check_empty "$u's role holds EXECUTE on none of the $nf functions xphere_app is not granted" "$bad"
	bad=$(run_tries "${R}_$u" "ops.$u" "$GEN_NOT_APP")
	check_empty "$u's role: calling each of the $nf operator and internal functions fails with 42501" "$bad" 40
done
after=$(snapshot)
check "the refused calls changed no table" "$after" "$before"

# ---------------------------------------------------------------------------
echo "# 7. PUBLIC and roles without grants execute nothing"

nall=$(super -c "SELECT count(*) FROM xpsr_fixture.functions")
nproc=$(super -c "SELECT count(*) FROM xpsr_fixture.functions WHERE prokind = 'p'")
bad=$(super -c "SELECT f.sig || ' ' || coalesce(f.proacl::text, 'NULL (the default: PUBLIC may execute)')
	FROM xpsr_fixture.functions f
	WHERE f.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(f.proacl) a WHERE a.grantee = 0)")
check_empty "no function or procedure of the extension ($nall, $nproc procedures) is executable by PUBLIC (proacl: no '=X', not NULL)" "$bad"
for r in nobody usage; do
	bad=$(super -c "SELECT f.sig FROM xpsr_fixture.functions f WHERE has_function_privilege('${R}_$r', f.oid, 'EXECUTE')")
	check_empty "role ${R}_$r holds EXECUTE on none of the extension's $nall functions" "$bad"
	GEN_ALL="SELECT format('SELECT format(%L, %L, pg_temp.try(%L));', '%s|%s', f.sig, xpsr_fixture.null_call(f))
		FROM xpsr_fixture.functions f WHERE xpsr_fixture.null_call(f) IS NOT NULL ORDER BY f.sig"
	n=$(super -c "SELECT count(*) FROM xpsr_fixture.functions f WHERE xpsr_fixture.null_call(f) IS NOT NULL")
	bad=$(run_tries "${R}_$r" "all.$r" "$GEN_ALL")
	check_empty "role ${R}_$r: calling each of the $n functions without an internal argument fails with 42501" "$bad" 40
done
# the usage-only role is refused by EXECUTE itself, not by the schema
got=$(as_role "${R}_usage" -v ON_ERROR_STOP=0 -c "SELECT xphere.balance((SELECT NULL::uuid), 'XP')" 2>&1 || true)
check "role ${R}_usage: balance() is refused by its EXECUTE privilege (not the schema)" \
	"$(echo "$got" | grep -c 'permission denied for function balance')" 1

# ---------------------------------------------------------------------------
echo "# 8. search_path and operator hijack by carol's role"

CAROL=$(id carol)
ALICE=$(id alice)
HIJACK_PATH="pg_temp, ${R}_carol, pg_catalog, xphere, public"
# carol's look-alikes: each records its call and raises a notice; some
# return a subtly wrong value
rc=0
as_role "${R}_carol" >"$TMP/evil.out" 2>&1 <<-EOF || rc=$?
	SET search_path = ${R}_carol, pg_catalog;
	CREATE TABLE calls (fn text);
	CREATE FUNCTION hit(fn text) RETURNS void LANGUAGE plpgsql AS
		\$\$BEGIN INSERT INTO ${R}_carol.calls VALUES (fn); RAISE NOTICE 'HIJACK %', fn; END\$\$;
	CREATE FUNCTION lower(text) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('lower'); RETURN pg_catalog.lower(\$1); END\$\$;
	CREATE FUNCTION btrim(text) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('btrim'); RETURN \$1; END\$\$;
	CREATE FUNCTION length(text) RETURNS integer LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('length'); RETURN 1; END\$\$;
	CREATE FUNCTION now() RETURNS timestamptz LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('now'); RETURN '2000-01-01 00:00:00+00'; END\$\$;
	CREATE FUNCTION clock_timestamp() RETURNS timestamptz LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('clock_timestamp'); RETURN '2000-01-01 00:00:00+00'; END\$\$;
	CREATE FUNCTION current_setting(text) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('current_setting'); RETURN ''; END\$\$;
	CREATE FUNCTION current_setting(text, boolean) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('current_setting'); RETURN ''; END\$\$;
	CREATE FUNCTION gen_random_uuid() RETURNS uuid LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('gen_random_uuid'); RETURN '00000000-0000-0000-0000-0000000000ee'; END\$\$;
	CREATE FUNCTION sha256(bytea) RETURNS bytea LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('sha256'); RETURN \$1; END\$\$;
	CREATE FUNCTION digest(bytea, text) RETURNS bytea LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('digest'); RETURN \$1; END\$\$;
	CREATE FUNCTION digest(text, text) RETURNS bytea LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('digest'); RETURN convert_to(\$1, 'UTF8'); END\$\$;
	CREATE FUNCTION crypt(text, text) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('crypt'); RETURN \$2; END\$\$;
	CREATE FUNCTION gen_salt(text) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('gen_salt'); RETURN 'salt'; END\$\$;
	CREATE FUNCTION gen_salt(text, integer) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('gen_salt'); RETURN 'salt'; END\$\$;
	-- look-alikes of xphere's own helpers
	CREATE FUNCTION current_user_id() RETURNS uuid LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('current_user_id'); RETURN NULL; END\$\$;
	CREATE FUNCTION house_id() RETURNS uuid LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('house_id'); RETURN '$CAROL'; END\$\$;
	CREATE FUNCTION authorize_user(uuid, text DEFAULT 'user_id') RETURNS void LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('authorize_user'); END\$\$;
	CREATE FUNCTION authorize_acting(uuid) RETURNS void LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('authorize_acting'); END\$\$;
	CREATE FUNCTION require_user(uuid) RETURNS void LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('require_user'); END\$\$;
	CREATE FUNCTION setting(text) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('setting'); RETURN '0'; END\$\$;
	CREATE FUNCTION withdrawal_fee(xphere.currency) RETURNS xphere.wad LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('withdrawal_fee'); RETURN '0'; END\$\$;
	-- operators on wad: + adds one wei more, the others record and answer right
	CREATE FUNCTION wad_plus(xphere.wad, xphere.wad) RETURNS xphere.wad LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('+'); RETURN \$1 OPERATOR(xphere.+) \$2 OPERATOR(xphere.+) '0.000000000000000001'::xphere.wad; END\$\$;
	CREATE OPERATOR + (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_plus);
	CREATE FUNCTION wad_minus(xphere.wad, xphere.wad) RETURNS xphere.wad LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('-'); RETURN \$1 OPERATOR(xphere.-) \$2; END\$\$;
	CREATE OPERATOR - (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_minus);
	CREATE FUNCTION wad_mul(xphere.wad, xphere.wad) RETURNS xphere.wad LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('*'); RETURN \$1 OPERATOR(xphere.*) \$2; END\$\$;
	CREATE OPERATOR * (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_mul);
	CREATE FUNCTION wad_div(xphere.wad, xphere.wad) RETURNS xphere.wad LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('/'); RETURN \$1 OPERATOR(xphere./) \$2; END\$\$;
	CREATE OPERATOR / (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_div);
	CREATE FUNCTION wad_eq(xphere.wad, xphere.wad) RETURNS boolean LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('='); RETURN \$1 OPERATOR(xphere.=) \$2; END\$\$;
	CREATE OPERATOR = (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_eq);
	CREATE FUNCTION wad_ne(xphere.wad, xphere.wad) RETURNS boolean LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('<>'); RETURN \$1 OPERATOR(xphere.<>) \$2; END\$\$;
	CREATE OPERATOR <> (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_ne);
	CREATE FUNCTION wad_lt(xphere.wad, xphere.wad) RETURNS boolean LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('<'); RETURN false; END\$\$;
	CREATE OPERATOR < (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_lt);
	CREATE FUNCTION wad_le(xphere.wad, xphere.wad) RETURNS boolean LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('<='); RETURN false; END\$\$;
	CREATE OPERATOR <= (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_le);
	CREATE FUNCTION wad_gt(xphere.wad, xphere.wad) RETURNS boolean LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('>'); RETURN true; END\$\$;
	CREATE OPERATOR > (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_gt);
	CREATE FUNCTION wad_ge(xphere.wad, xphere.wad) RETURNS boolean LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('>='); RETURN true; END\$\$;
	CREATE OPERATOR >= (LEFTARG = xphere.wad, RIGHTARG = xphere.wad, FUNCTION = wad_ge);
	CREATE FUNCTION uuid_eq(uuid, uuid) RETURNS boolean LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('uuid ='); RETURN true; END\$\$;
	CREATE OPERATOR = (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = uuid_eq);
	CREATE FUNCTION text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS
		\$\$BEGIN PERFORM ${R}_carol.hit('text ='); RETURN pg_catalog.texteq(\$1, \$2); END\$\$;
	CREATE OPERATOR = (LEFTARG = text, RIGHTARG = text, FUNCTION = text_eq);
EOF
check "carol's role creates its look-alikes in its own schema ${R}_carol" "$rc $(cat "$TMP/evil.out")" "0 "

# the state before, as the superuser sees it
read -r c_usdt c_xp a_usdt < <(super -F ' ' -c "SELECT xphere.balance('$CAROL', 'USDT'), xphere.balance('$CAROL', 'XP'),
	xphere.balance('$ALICE', 'USDT')")
# the attack: temporary tables and functions first, then carol's schema
as_role "${R}_carol" >"$TMP/hijack.out" 2>"$TMP/hijack.err" <<-EOF || true
	CREATE TEMP TABLE settings (key text, value text, kind text, description text);
	INSERT INTO settings VALUES ('password_hash_cost', '31', 'integer', 'x'),
		('withdrawal_fee_usdt', '0', 'wad', 'x'), ('swap_fee_bps', '0', 'integer', 'x');
	CREATE TEMP TABLE users (id uuid, email text, password_hash text, role text, is_active boolean);
	CREATE TEMP TABLE accounts (user_id uuid, currency text, available numeric, locked numeric);
	CREATE TEMP TABLE transactions (id uuid, user_id uuid, amount numeric);
	CREATE FUNCTION pg_temp.lower(text) RETURNS text LANGUAGE plpgsql AS
		\$\$BEGIN RAISE NOTICE 'HIJACK pg_temp.lower'; RETURN \$1; END\$\$;
	CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE plpgsql AS
		\$\$BEGIN RAISE NOTICE 'HIJACK pg_temp.now'; RETURN '2000-01-01 00:00:00+00'; END\$\$;
	CREATE FUNCTION pg_temp.current_user_id() RETURNS uuid LANGUAGE plpgsql AS
		\$\$BEGIN RAISE NOTICE 'HIJACK pg_temp.current_user_id'; RETURN NULL; END\$\$;
	SET search_path = $HIJACK_PATH;
	SELECT 'auth=' || xphere.authenticate('  CAROL@Roles.TEST ', 'password-carol');
	SELECT 'new=' || xphere.register_user('  Hijack.Victim@Roles.TEST ', 'hijack-password', 'Victim');
	SELECT 'new_auth=' || xphere.authenticate('hijack.victim@roles.test', 'hijack-password');
	SELECT 'transfer=' || (xphere.transfer('$CAROL', '$ALICE', 'USDT', '1.5', 'hijack') IS NOT NULL);
	SELECT 'swap=' || xphere.swap('$CAROL', 'XP', '10');
	SELECT 'withdrawal=' || (xphere.request_withdrawal('$CAROL', 'USDT', '2', '0x' || pg_catalog.repeat('c', 40)) IS NOT NULL);
	SELECT 'stake=' || (xphere.stake('$CAROL', '100', 'explorer') IS NOT NULL);
	SELECT xphere.issue_refresh_token('$CAROL') AS tok \gset
	SELECT 'tok=' || :'tok';
	SELECT 'rotated=' || xphere.rotate_refresh_token(:'tok');
	SELECT 'usdt=' || xphere.balance('$CAROL', 'USDT');
	SELECT 'xp=' || xphere.balance('$CAROL', 'XP');
EOF
val() { sed -n "s/^$1=//p" "$TMP/hijack.out"; }
errs=$(grep -E 'ERROR|FATAL' "$TMP/hijack.err" || true)
check_empty "under the hijacked search_path every API call of carol's role works" "$errs"
calls=$(super -c "SELECT string_agg(DISTINCT fn, ' ') FROM ${R}_carol.calls")
check_empty "no look-alike of carol's was ever reached by the API (${R}_carol.calls is empty)" "$calls"
notices=$(grep HIJACK "$TMP/hijack.err" || true)
check_empty "no look-alike raised its notice in carol's session (pg_temp ones included)" "$notices"
check "authenticate('  CAROL@Roles.TEST ') finds carol (real lower and btrim)" "$(val auth)" "$CAROL"
check "register_user stored the trimmed, lower-cased email" \
	"$(super -c "SELECT email FROM xphere.users WHERE id = '$(val new)'")" "hijack.victim@roles.test"
check "the new user authenticates with its password" "$(val new_auth)" "$(val new)"
check "its password is a real bcrypt hash of cost 4 (not the temporary table's 31, not crypt's look-alike)" \
	"$(super -c "SELECT password_hash ~ '^bcrypt-sha256\\\$\\\$2[ab]\\\$04\\\$'
		AND crypt(encode(sha256(convert_to('hijack-password', 'UTF8')), 'base64'), substr(password_hash, 15))
			= substr(password_hash, 15)
		FROM xphere.users WHERE id = '$(val new)'")" t
# swap: 10 XP at 0.5 USDT, fee 30 bps: 10 * 0.5 * 9970 / 10000 = 4.985
check "swap(10 XP) gives exactly 4.985 USDT (price 0.5, the real 30 bps fee)" "$(val swap)" 4.985
want=$(super -c "SELECT ($c_usdt::numeric - 1.5 + 4.985 - 2 - 1)::xphere.wad")
check "carol's USDT: $c_usdt - 1.5 sent + 4.985 swapped - (2 + 1 fee) withdrawn = $want" "$(val usdt)" "$want"
want=$(super -c "SELECT ($c_xp::numeric - 10 - 100)::xphere.wad")
check "carol's XP: $c_xp - 10 swapped - 100 staked = $want" "$(val xp)" "$want"
want=$(super -c "SELECT ($a_usdt::numeric + 1.5)::xphere.wad")
check "alice's USDT: $a_usdt + 1.5 received from carol = $want" \
	"$(super -c "SELECT xphere.balance('$ALICE', 'USDT')")" "$want"
check "the withdrawal locked 2 + the real 1 USDT fee" \
	"$(super -c "SELECT fee FROM xphere.transactions WHERE user_id = '$CAROL' AND type = 'WITHDRAWAL' AND status = 'PENDING'")" 1
tok=$(val tok)
rot=$(val rotated)
check "tokens issued and rotated under the hijack are stored as their real SHA-256" \
	"$(super -c "SELECT count(*) FROM xphere.refresh_tokens WHERE user_id = '$CAROL'
		AND token_hash IN (sha256(convert_to('$tok', 'UTF8')), sha256(convert_to('$rot', 'UTF8')))")" 2
# control: where a search_path reaches them, the look-alikes do shadow
got=$(as_role "${R}_carol" -c "SET search_path = $HIJACK_PATH" \
	-c "SELECT lower('X') || ' ' || ('1'::xphere.wad + '2'::xphere.wad)::text" 2>/dev/null) || true
check "control: in carol's own session, unqualified lower and wad + reach her look-alikes" \
	"$got|$(super -c "SELECT string_agg(DISTINCT fn, ' ' ORDER BY fn) FROM ${R}_carol.calls")" \
	"x 3.000000000000000001|+ lower"

# ---------------------------------------------------------------------------
echo "# 9. the xphere_events channel"

BOB=$(id bob)
as_role "${R}_alice" >"$TMP/listen.out" 2>&1 <<-'EOF' &
	LISTEN xphere_events;
	SELECT pg_sleep(3);
	SELECT 'listened';
EOF
listener=$!
BG_PIDS+=("$listener")
for _ in $(seq 50); do
	[ "$(super -c "SELECT count(*) FROM pg_stat_activity WHERE usename = '${R}_alice'
		AND query LIKE '%pg_sleep(3)%' AND state = 'active'")" = 1 ] && break
	sleep 0.1
done
# a large deposit of bob's (large_transaction_usdt: 10000) raises an event
super -c "SELECT xphere.deposit('$BOB', 'USDT', 20000, '0x6e5965ee4e7dc7da10c6646fc29a5d28ae0991e188881fa8954832712d74cae0')" >/dev/null
wait "$listener" || true
check "control: bob's 20000 USDT deposit raised a large_transaction event" \
	"$(super -c "SELECT count(*) FROM xphere.events WHERE kind = 'large_transaction' AND payload->>'user_id' = '$BOB'")" 1
got=$(grep -c 'listened' "$TMP/listen.out" || true)
check "alice's role listened on xphere_events while it happened" "$got" 1
leak=$(grep -F -e "$BOB" -e '20000' "$TMP/listen.out" || true)
check_empty "alice's role, listening on xphere_events, receives nothing of bob's ledger entry (user id, amount)" "$leak"

# ---------------------------------------------------------------------------
echo "# 10. tick() cannot be stopped by a user role"

as_role "${R}_alice" >"$TMP/lock.out" 2>&1 <<-'EOF' &
	SELECT pg_advisory_lock(hashtext('xphere.tick'));
	SELECT pg_sleep(30);
EOF
locker=$!
BG_PIDS+=("$locker")
for _ in $(seq 50); do
	[ "$(super -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND a.usename = '${R}_alice'")" = 1 ] && break
	sleep 0.1
done
check "alice's role holds the advisory lock on hashtext('xphere.tick')" \
	"$(super -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND a.usename = '${R}_alice'")" 1
ran=f
for _ in 1 2 3; do
	res=$(super -c "SELECT xphere.tick()")
	if [ "$(super -c "SELECT NOT ('$res'::jsonb ? 'skipped')")" = t ]; then
		ran=t
		break
	fi
	sleep 0.5
done
check_true "tick() does its work while a user role holds that advisory lock" "$ran" "tick() returned $res"
super -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${R}_alice'" >/dev/null
wait "$locker" 2>/dev/null || true

# ---------------------------------------------------------------------------
echo "# 12. trust is held by the role: xphere_app alone acts for nobody"

# a role only in xphere_app, with no user pinned: every user-scoped call
# is 42501 and row-level security shows it no row
before=$(snapshot)
bad=$(run_tries "${R}_apponly" "act.apponly" "SELECT * FROM xpsr_fixture.act_for_others('dave')")
n=$(wc -l <"$TMP/act.apponly.sql")
check_empty "xphere_app without a pin: all $n calls for alice, bob and carol fail with 42501" "$bad" 40
after=$(snapshot)
check "the refused calls changed no table" "$after" "$before"
counts=$(super -c "SELECT string_agg(format('(%L, (SELECT count(*) FROM xphere.%I))', rel, rel), ', ')
	FROM xpsr_fixture.rls_tables")
got=$(as_role "${R}_apponly" -c "SELECT coalesce(string_agg(v.rel || '=' || v.n, ' ' ORDER BY v.rel), '')
	FROM (VALUES $counts) AS v(rel, n) WHERE v.n > 0" 2>&1)
check "xphere_app without a pin: row-level security shows no row of any table" "$got" ""
got=$(as_role "${R}_backend" -c "SELECT count(*) FROM (VALUES $counts) AS v(rel, n) WHERE v.n > 0")
check "control: xphere_backend sees rows in every RLS table" "$got" \
	"$(super -c "SELECT count(*) FROM xpsr_fixture.rls_tables")"
got=$(as_role "${R}_apponly" -c "SELECT xphere.session_is_trusted()::text || ' ' || xphere.sees_all_users()::text")
check "xphere_app without a pin: not trusted, sees no user" "$got" "false false"

# a member of xphere_backend acts for anyone and sees every row, unless it
# confines itself with xphere.user_id (a session, or SET LOCAL for one
# transaction: what a shared backend does per request behind a pooler)
got=$(as_role "${R}_backend" -c "SELECT xphere.balance('$(id alice)', 'USDT') IS NOT NULL,
	xphere.balance('$(id bob)', 'USDT') IS NOT NULL, xphere.session_is_trusted()" | tr '|' ' ')
check "xphere_backend: acts for alice and bob, trusted" "$got" "t t t"
want=$(super -c "SELECT count(*) FROM xphere.accounts")
got=$(as_role "${R}_backend" -v ON_ERROR_STOP=0 2>/dev/null <<-EOF
	BEGIN;
	SET LOCAL xphere.user_id = '$(id alice)';
	SELECT count(DISTINCT user_id) FROM xphere.accounts;
	\o /dev/null
	SELECT xphere.balance('$(id bob)', 'USDT');
	\o
	\echo :SQLSTATE
	ROLLBACK;
	SELECT count(*) FROM xphere.accounts;
EOF
)
check "xphere_backend: SET LOCAL xphere.user_id confines one transaction (one user's rows, 42501 for another), then all rows again" \
	"$(echo $got)" "1 42501 $want"

# liquidatable positions: a platform user sees only their own; the backend
# and the admin see all.  A higher XP price makes every XP debt unhealthy.
super -c "SELECT xphere.set_price('XP', '50')" >/dev/null
all=$(super -c "SELECT string_agg(id::text, ' ' ORDER BY id) FROM xphere.liquidatable_positions()")
check_true "fixture: positions of several users are liquidatable" \
	"$(super -c "SELECT count(DISTINCT user_id) > 1 FROM xphere.liquidatable_positions()")" "want at least two users"
for u in "${USERS[@]}"; do
	want=$(super -c "SELECT count(*) FROM xphere.liquidatable_positions() WHERE user_id = '$(id "$u")'")
	got=$(as_role "${R}_$u" -c "SELECT count(*) || ' ' || count(*) FILTER (WHERE user_id <> '$(id "$u")')
		FROM xphere.liquidatable_positions()")
	check "$u's role: liquidatable_positions() lists only its own ($want)" "$got" "$want 0"
done
got=$(as_role "${R}_apponly" -c "SELECT count(*) FROM xphere.liquidatable_positions()")
check "xphere_app without a pin: liquidatable_positions() lists none" "$got" 0
got=$(as_role "${R}_backend" -c "SELECT string_agg(id::text, ' ' ORDER BY id) FROM xphere.liquidatable_positions()")
check "xphere_backend: liquidatable_positions() lists all" "$got" "$all"
super -c "SELECT xphere.set_price('XP', '0.5')" >/dev/null

# ---------------------------------------------------------------------------
echo "# 11. invariants"

rows=$(super -c "SELECT invariant || ': ' || detail FROM xphere.check_invariants()")
check_empty "check_invariants() returns no rows" "$rows"

finish

#!/usr/bin/env bash
#
# test/scripts/drop_extension.sh - what DROP EXTENSION xphere leaves behind, and how
# to remove it.
#
# Runs in a throw-away cluster of its own (it drops the cluster-wide roles
# xphere_app, xphere_backend and xphere_admin, which a shared cluster's
# other databases may use), with the library preloaded:
#   1. CREATE EXTENSION xphere CASCADE in database d1, some activity (a
#      user, a deposit, a tick), a login role api IN ROLE xphere_backend;
#      then DROP EXTENSION xphere.  Nothing of the extension's objects
#      remains: no relation, function, type, operator, operator class or
#      family, cast, event trigger or policy in schema xphere or made of its
#      types; what remains is exactly what the README lists: the schema
#      xphere (empty: PostgreSQL 15 cannot make the schema an extension
#      lives in a member of it), pgcrypto (installed by CASCADE), the three
#      roles (global objects: an extension script cannot drop them with the
#      extension) and the grant of SET on the parameter xphere.user_id to
#      xphere_backend (a global object too);
#   2. CREATE EXTENSION xphere again over the leftovers works, and ticks;
#   3. DROP EXTENSION again, then the documented removal: DROP SCHEMA
#      xphere (without CASCADE: it is empty), REVOKE SET ON PARAMETER,
#      DROP ROLE of the three roles; afterwards no schema, role or
#      parameter grant of xphere is left in the cluster, and api still
#      exists (its membership is gone with the roles).
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null
unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGHOSTADDR

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

cluster_tmp drop
trap cleanup_clusters EXIT
trap 'exit 143' TERM INT HUP	# (so that cleanup runs)
started=$SECONDS

free_port
P=$PORT
new_cluster main "$P" "shared_preload_libraries = 'xphere'" "xphere.tick_interval = 3600"
start_cluster main
echo "# cluster on port $P, $("$PGBIN/postgres" --version)"

q "$P" postgres -c "CREATE DATABASE d1"
q "$P" d1 >/dev/null <<-'EOF'
	SET client_min_messages = warning;
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	SELECT xphere.deposit(xphere.register_user('alice@example.com', 'alice-secret-1', 'Alice'),
		'USDT', 20000, '0x' || repeat('ab', 32));
	SELECT xphere.tick();
	CREATE ROLE api LOGIN IN ROLE xphere_backend;
EOF

# what is left of xphere in d1 and in the cluster, one line per object
leftovers() {
	q "$P" "${1:-d1}" <<-'EOF'
		SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = 'xphere'
		UNION ALL
		SELECT 'relation ' || oid::regclass FROM pg_class WHERE relnamespace::regnamespace::text = 'xphere'
		UNION ALL
		SELECT 'function ' || oid::regprocedure FROM pg_proc WHERE pronamespace::regnamespace::text = 'xphere'
		UNION ALL
		SELECT 'type ' || oid::regtype FROM pg_type WHERE typnamespace::regnamespace::text = 'xphere'
		UNION ALL
		SELECT 'operator ' || oid::regoperator FROM pg_operator WHERE oprnamespace::regnamespace::text = 'xphere'
		UNION ALL
		SELECT 'operator class ' || opcname FROM pg_opclass WHERE opcnamespace::regnamespace::text = 'xphere'
		UNION ALL
		SELECT 'operator family ' || opfname FROM pg_opfamily WHERE opfnamespace::regnamespace::text = 'xphere'
		UNION ALL
		SELECT 'cast ' || castsource::regtype || ' -> ' || casttarget::regtype FROM pg_cast
		WHERE castsource::regtype::text LIKE 'xphere.%' OR casttarget::regtype::text LIKE 'xphere.%'
		UNION ALL
		SELECT 'event trigger ' || evtname FROM pg_event_trigger WHERE evtname LIKE '%xphere%'
		UNION ALL
		SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
		UNION ALL
		SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'xphere%'
		UNION ALL
		SELECT 'parameter ' || parname || ' ' || array_to_string(paracl, ',') FROM pg_parameter_acl
		WHERE parname LIKE 'xphere.%' AND cardinality(paracl) > 0
		ORDER BY 1;
	EOF
}

# ---------------------------------------------------------------------------
echo "# 1. DROP EXTENSION xphere"
rc=0
out=$(q "$P" d1 -c "DROP EXTENSION xphere" 2>&1) || rc=$?
check "DROP EXTENSION xphere succeeds (no CASCADE needed)" "$rc|$out" "0|"
check "what remains: the empty schema, pgcrypto, the three roles, the grant on xphere.user_id" \
	"$(leftovers | paste -sd';')" \
	"extension pgcrypto;parameter xphere.user_id postgres=sA/postgres,xphere_backend=s/postgres;role xphere_admin;role xphere_app;role xphere_backend;schema xphere"
check "no default privileges of xphere's roles remain" \
	"$(q "$P" d1 -c "SELECT count(*) FROM pg_default_acl d
		WHERE array_to_string(d.defaclacl, ',') LIKE '%xphere%'")" 0
check "initial privileges (pg_init_privs) remain only for the leftover schema and parameter" \
	"$(q "$P" d1 -c "SELECT coalesce(string_agg(DISTINCT i.classoid::regclass::text, ','), '') FROM pg_init_privs i
		WHERE array_to_string(i.initprivs, ',') LIKE '%xphere_%'")" pg_namespace,pg_parameter_acl

# ---------------------------------------------------------------------------
echo "# 2. CREATE EXTENSION again over the leftovers"
rc=0
out=$(q "$P" d1 -c "SET client_min_messages = warning" -c "CREATE EXTENSION xphere" \
	-c "SELECT (xphere.tick() ? 'at') AND (SELECT count(*) FROM xphere.users WHERE role <> 'system') = 0" 2>&1) || rc=$?
check "CREATE EXTENSION xphere works again, empty, and ticks" "$rc|$out" "0|t"

# ---------------------------------------------------------------------------
echo "# 3. removing what stays"
rc=0
out=$(q "$P" d1 -c "DROP EXTENSION xphere" -c "DROP SCHEMA xphere" \
	-c "DROP EXTENSION pgcrypto" 2>&1) || rc=$?
check "DROP EXTENSION, then DROP SCHEMA xphere (no CASCADE) and DROP EXTENSION pgcrypto succeed" \
	"$rc|$out" "0|"
rc=0
out=$(q "$P" postgres -c "REVOKE SET ON PARAMETER xphere.user_id FROM xphere_backend" \
	-c "DROP ROLE xphere_admin, xphere_backend, xphere_app" 2>&1) || rc=$?
check "REVOKE SET ON PARAMETER xphere.user_id, then DROP ROLE of the three roles succeed" "$rc|$out" "0|"
check "nothing of xphere is left in the cluster" "$(leftovers | paste -sd';')" ""
check "no initial privileges naming xphere's roles are left in d1" \
	"$(q "$P" d1 -c "SELECT count(*) FROM pg_init_privs i WHERE array_to_string(i.initprivs, ',') LIKE '%xphere_%'")" 0
check "the login role api stays, a member of nothing" \
	"$(q "$P" postgres -c "SELECT count(*) FROM pg_roles r WHERE r.rolname = 'api'
		AND NOT EXISTS (SELECT FROM pg_auth_members m WHERE m.member = r.oid)")" 1

finish

#!/usr/bin/env bash
#
# test/scripts/script_search_path.sh - CREATE EXTENSION and ALTER EXTENSION
# UPDATE run no function a user planted in a schema on their search_path.
#
# While an extension script runs, PostgreSQL puts on its search_path the
# schemas of the extensions it requires: pgcrypto's, public with CASCADE.
# A role that may create in public (the default before PostgreSQL 15, and
# in databases created by then) could plant a function that a call written
# without its schema resolves to because it matches better than
# pg_catalog's (format(text, regprocedure) beats format(text, VARIADIC
# "any")), and have it run as the superuser installing.  The scripts call
# pg_catalog.format() by its schema (a SET search_path in a script would
# outlive it, in the caller's session).  It checks, with such functions
# planted in public by a plain role (each writes a row to a log when
# called):
#   1. CREATE EXTENSION xphere CASCADE calls none of them, and leaves the
#      session's search_path as it was;
#   2. on a database created at 0.1.0 before they were planted, ALTER
#      EXTENSION xphere UPDATE calls none of them;
#   3. the planted functions do work when called (so the checks above can
#      fail).
#
# Run by test/run.sh in its cluster (PGHOST, PGPORT, PGUSER a superuser);
# by hand: pg_virtualenv -t bash test/scripts/script_search_path.sh
#
set -euo pipefail
exec </dev/null

# shellcheck source=../lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DB=xphere_ssp_$$
DB2=xphere_ssp2_$$
ROLE=xphere_ssp_mallory_$$
TMP=$(mktemp -d -t xphere-ssp.XXXXXX)
trap 'cleanup_databases "$DB" "$DB2"; drop_roles "$ROLE"; rm -rf "$TMP"' EXIT
started=$SECONDS

sql_on postgres -c "CREATE ROLE $ROLE NOLOGIN" >/dev/null

# plant DB: the log and the look-alikes, made by the plain role
plant() {
	sql_on "$1" >/dev/null <<-EOF
		GRANT CREATE, USAGE ON SCHEMA public TO $ROLE;
		SET ROLE $ROLE;
		CREATE TABLE public.hijack_log (by_role name, called text);
		GRANT INSERT ON public.hijack_log TO PUBLIC;
		CREATE FUNCTION public.format(text, regprocedure) RETURNS text LANGUAGE sql AS
			\$\$ INSERT INTO public.hijack_log VALUES (current_user, 'format(text, regprocedure)');
			SELECT pg_catalog.format(\$1, \$2) \$\$;
		CREATE FUNCTION public.format(text, regclass, name) RETURNS text LANGUAGE sql AS
			\$\$ INSERT INTO public.hijack_log VALUES (current_user, 'format(text, regclass, name)');
			SELECT pg_catalog.format(\$1, \$2, \$3) \$\$;
		CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE sql AS
			\$\$ INSERT INTO public.hijack_log VALUES (current_user, 'format(text, text)');
			SELECT pg_catalog.format(\$1, \$2) \$\$;
		GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO PUBLIC;
		RESET ROLE;
	EOF
}
calls() { sql_on "$1" -c "SELECT count(*) || ' (' || coalesce(string_agg(DISTINCT called, ', '), '') || ')'
	FROM public.hijack_log WHERE by_role <> '$ROLE'"; }

# 1. a fresh install
"$PGBIN/createdb" "$DB"
sql_on "$DB" -c "CREATE EXTENSION pgcrypto SCHEMA public" >/dev/null
plant "$DB"
path=$(sql_on "$DB" -c "SET client_min_messages = warning" -c "SET search_path = public, pg_temp" \
	-c "CREATE EXTENSION xphere CASCADE" -c "SHOW search_path")
check "CREATE EXTENSION xphere runs no function planted in public" "$(calls "$DB")" "0 ()"
check "the session's search_path is as it was before CREATE EXTENSION" "$path" "public, pg_temp"

# 2. an update
"$PGBIN/createdb" "$DB2"
sql_on "$DB2" -c "SET client_min_messages = warning" \
	-c "CREATE EXTENSION xphere VERSION '0.1.0' CASCADE" >/dev/null
plant "$DB2"
sql_on "$DB2" -c "SET client_min_messages = warning" -c "ALTER EXTENSION xphere UPDATE" >/dev/null
check "ALTER EXTENSION xphere UPDATE (0.1.0 -> $(sql_on "$DB2" -c "SELECT extversion FROM pg_extension
	WHERE extname = 'xphere'")) runs no function planted in public" "$(calls "$DB2")" "0 ()"

# 3. the trap works: a superuser's call of format() with these types lands in it
sql_on "$DB2" -c "SELECT format('%s', 'xphere.tick()'::regprocedure)" \
	-c "SELECT format('%s %I', 'xphere.users'::regclass, 'id'::name)" \
	-c "SELECT format('%s', 'x'::text)" >/dev/null
check "the planted functions log a superuser's unqualified calls (the checks above can fail)" \
	"$(calls "$DB2")" "3 (format(text, regclass, name), format(text, regprocedure), format(text, text))"
finish

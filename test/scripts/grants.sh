#!/usr/bin/env bash
#
# test/scripts/grants.sh - the API roles can execute exactly what the README
# documents for them, and nothing else.
#
# EXECUTE is granted by intent (sql/install/platform/security.sql), so this compares
# two independent lists: what the catalog says each role may execute
# (has_function_privilege over every function of schema xphere, in a fresh
# database), and what README.md documents:
#   - functions in the tables whose role column is "app" or "admin";
#   - the math of "Operators and functions" and of the lending section
#     ("The math is callable on its own ...").
# Type support (input/output, operators, casts, aggregates and their
# support functions, index support; test/lib/type_support.sql) is every
# role's and is left out of the comparison.  Checks:
#   - xphere_app may execute exactly the app functions and the math;
#   - xphere_admin may execute exactly those and the admin functions;
#   - xphere_backend exactly what xphere_app may;
#   - every function the README names exists;
#   - PUBLIC may execute nothing of the extension;
#   - xphere_app may execute every type support function.
# A function added later without a README row (or documented without a
# grant) fails here.
#
# Run by test/run.sh (PGHOST, PGPORT, PGUSER = a superuser); by hand:
#     pg_virtualenv -t bash test/scripts/grants.sh
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DB=xphere_grants_$$
TMP=$(mktemp -d -t xphere-grants.XXXXXX)
trap 'cleanup_databases "$DB"' EXIT
started=$SECONDS

"$PGBIN/createdb" "$DB"
sql -c "CREATE EXTENSION xphere CASCADE" >/dev/null 2>&1

# README: "role name" lines
python3 - "$ROOT/README.md" >"$TMP/readme" <<-'PYEOF'
	import re, sys
	text = open(sys.argv[1], encoding="utf-8").read()
	def names(fragment):
	    out = set()
	    for span in re.findall(r"`([^`]*)`", fragment):
	        m = re.match(r"^([a-z_][a-z0-9_]*)((?:\[[^\]]*\])*)\s*(\(|$)", span)
	        if not m:
	            continue
	        base, brackets = m.group(1), m.group(2)
	        forms = [base]
	        for alt in re.findall(r"\[([^\]]*)\]", brackets):
	            forms = [f + a for f in forms for a in [""] + alt.split("|")]
	        out.update(forms)
	    return out
	found = set()
	for line in text.splitlines():
	    cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("| `") else []
	    if len(cells) >= 2 and cells[1] in ("app", "admin", "owner"):
	        for n in names(cells[0]):
	            found.add((cells[1], n))
	ops = text[text.index("## Operators and functions"):text.index("### Casts")]
	for line in ops.splitlines():
	    if line.startswith("| `"):
	        for n in names(line.split("|")[1]):
	            found.add(("app", n))
	i = text.index("The math is callable on its own")
	for n in names(text[i:text.index("\n\n", i)]):
	    found.add(("app", n))
	for role, n in sorted(found):
	    print(role, n)
PYEOF
n_doc=$(wc -l <"$TMP/readme")
check_true "the README documents at least 60 functions ($n_doc)" "$([ "$n_doc" -ge 60 ] && echo t)" "parsed $n_doc"

# the catalog: "role name" lines for functions that are not type support
sql -v type_support_schema=pg_temp -f "$ROOT/test/lib/type_support.sql" -f - >"$TMP/catalog" <<-'EOF'
	WITH support(oid) AS (
		SELECT pg_temp.type_support()
	), fns AS (
		SELECT p.oid, p.proname FROM pg_proc p
		WHERE p.pronamespace = 'xphere'::regnamespace AND p.oid NOT IN (SELECT oid FROM support)
	)
	SELECT DISTINCT r.role || ' ' || f.proname
	FROM fns f CROSS JOIN (VALUES ('xphere_app'), ('xphere_backend'), ('xphere_admin')) r(role)
	WHERE has_function_privilege(r.role, f.oid, 'EXECUTE')
	UNION
	SELECT DISTINCT 'exists ' || proname FROM pg_proc WHERE pronamespace = 'xphere'::regnamespace
	UNION
	SELECT DISTINCT 'nonsupport ' || proname FROM fns
	UNION
	SELECT DISTINCT 'support ' || p.proname FROM pg_proc p WHERE p.oid IN (SELECT oid FROM support)
	  AND p.pronamespace = 'xphere'::regnamespace
	UNION
	SELECT 'ungranted_support ' || p.oid::regprocedure::text FROM pg_proc p
	WHERE p.oid IN (SELECT oid FROM support) AND p.pronamespace = 'xphere'::regnamespace
	  AND NOT has_function_privilege('xphere_app', p.oid, 'EXECUTE')
	UNION
	SELECT 'public ' || p.oid::regprocedure::text FROM pg_proc p
	WHERE p.pronamespace = 'xphere'::regnamespace
	  AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))
	ORDER BY 1;
EOF

doc() { awk -v r="$1" '$1 == r { print $2 }' "$TMP/readme" | sort -u; }
cat_() { awk -v r="$1" '$1 == r { print $2 }' "$TMP/catalog" | sort -u; }
# documented names that are type support (sum, wad_mul behind *, ...) are
# checked by the type-support check below instead
app_doc=$(comm -12 <(doc app) <(cat_ nonsupport))
admin_doc=$(comm -12 <(sort -u <(doc app) <(doc admin)) <(cat_ nonsupport))
got=$(cat_ ungranted_support)
check_empty "xphere_app may execute every function the types, operators, casts and aggregates are made of" "$got"
check_true "the catalog lists type support functions ($(cat_ support | wc -l))" \
	"$([ "$(cat_ support | wc -l)" -ge 50 ] && echo t)" "too few: the query saw nothing?"
got=$(diff <(echo "$app_doc") <(cat_ xphere_app) || true)
check_empty "xphere_app may execute exactly the README's app functions and math (< documented only, > granted only)" "$got" 40
got=$(diff <(echo "$app_doc") <(cat_ xphere_backend) || true)
check_empty "xphere_backend may execute exactly what xphere_app may" "$got" 40
got=$(diff <(echo "$admin_doc") <(cat_ xphere_admin) || true)
check_empty "xphere_admin may execute exactly the README's app and admin functions (< documented only, > granted only)" "$got" 40
got=$(comm -23 <(awk '{ print $2 }' "$TMP/readme" | sort -u) <(cat_ exists))
check_empty "every function the README names exists in schema xphere" "$got"
got=$(cat_ public)
check_empty "PUBLIC may execute no function of the extension" "$got"
check_true "the catalog lists functions for xphere_app ($(cat_ xphere_app | wc -l))" \
	"$([ "$(cat_ xphere_app | wc -l)" -ge 40 ] && echo t)" "too few: the query saw nothing?"

finish

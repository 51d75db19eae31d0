#!/usr/bin/env bash
#
# test/scripts/param_types.sh - a real driver (psycopg 3) calls the API with the
# types it binds, and a session without xphere on its search_path reads
# amounts as the README says.
#
# psycopg binds a Decimal as numeric, a UUID as uuid, an int as the
# smallest integer type that holds it, and a str untyped (unknown) by
# default, or as text or varchar when the application registers
# StrDumper / StrDumperVarchar; each of the three str modes runs once.
# test/pgtap/param_types.sql covers every function with those types through
# PREPARE; this checks it through the wire, with the statements prepared
# on the server (prepare=True), as a login role that is a member of
# xphere_admin (so of xphere_backend and xphere_app):
#   * the parameter types the server saw are the ones named (from
#     pg_prepared_statements), so the checks below are not made with
#     untyped parameters by mistake;
#   * deposit / balance / transfer / set_machine_status with Decimal, str
#     and UUID ids give the amounts worked out by hand; a Decimal with 19
#     decimals rounds half away from zero as wad text input does;
#   * a bad uuid str (22P02), an unknown currency (22P02), a negative
#     amount (22023) and an amount beyond the wad range (22003) are refused
#     with their SQLSTATE and change no table;
#   * with search_path "$user", public (the default): sum(amount) and
#     balance(...) > 100 are 42883 (operators and aggregates are found
#     through the search_path only), and the README's ways around it work:
#     amount::numeric, OPERATOR(xphere.>);
#   * after ALTER DATABASE ... SET search_path = xphere, pg_catalog, "$user"
#     (the README's setting), a new session runs sum(amount),
#     balance(...) > 100 and amount > a Decimal as they are written.
#
# Needs Debian's python3-psycopg (XPHERE_PYTHON, default /usr/bin/python3).
# Run by hand (PGHOST, PGPORT, PGUSER = a superuser):
#     pg_virtualenv -t bash test/scripts/param_types.sh
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

PYTHON=${XPHERE_PYTHON:-/usr/bin/python3}
DB=xphere_params_$$
ROLE=xp_params_$$
TMP=$(mktemp -d -t xphere-params.XXXXXX)
cleanup() {
	cleanup_databases "$DB"
	"$PGBIN/psql" -X -qAt -d postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
started=$SECONDS

if ! "$PYTHON" -c 'import psycopg' 2>/dev/null; then
	not_ok "$PYTHON can import psycopg (python3-psycopg, test/deps.sh)"
	finish
fi

"$PGBIN/createdb" "$DB"
sql -c "CREATE EXTENSION xphere CASCADE" >/dev/null 2>&1
# (under pg_virtualenv connections need a password: the superuser's, which
# libpq finds in PGPASSWORD for any user)
pw=${PGPASSWORD:+"PASSWORD '$PGPASSWORD'"}
sql -c "CREATE ROLE $ROLE LOGIN $pw IN ROLE xphere_admin" \
	-c "UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost'" >/dev/null

export XP_DB=$DB XP_ROLE=$ROLE
"$PYTHON" - <<-'PYEOF' || fails=$((fails + 1))
	import os, sys, uuid
	from decimal import Decimal
	import psycopg

	db, role = os.environ["XP_DB"], os.environ["XP_ROLE"]
	failed = 0

	def check(what, got, want):
	    global failed
	    if got == want:
	        print(f"ok - {what}")
	    else:
	        failed += 1
	        print(f"not ok - {what}\n#   got:  {got!r}\n#   want: {want!r}")

	def connect(user, search_path=None):
	    opts = f"-c search_path={search_path}" if search_path else None
	    kw = {"options": opts} if opts else {}
	    return psycopg.connect(dbname=db, user=user, autocommit=True, **kw)

	def sqlstate(conn, query, params):
	    try:
	        conn.execute(query, params, prepare=True)
	    except psycopg.Error as e:
	        return e.sqlstate
	    return "00000"

	def tables(conn):
	    # every table of schema xphere: row count and md5 of the sorted rows
	    out = []
	    for (t,) in conn.execute("SELECT relname FROM pg_class WHERE relnamespace = 'xphere'::regnamespace AND relkind = 'r' ORDER BY 1").fetchall():
	        out.append((t, conn.execute(f"SELECT count(*), md5(string_agg(t::text, '' ORDER BY t::text)) FROM xphere.{t} t").fetchone()))
	    return out

	def txh(label):
	    import hashlib
	    return "0x" + hashlib.sha256(label.encode()).hexdigest()

	DEP = "SELECT xphere.deposit(%s, %s, %s, %s)"
	BAL = "SELECT xphere.balance(%s, %s)::text"
	PREPARED = "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE statement LIKE %s ORDER BY 1"
	su = connect(os.environ.get("PGUSER", "postgres"))
	dumpers = {"unknown": None, "text": psycopg.types.string.StrDumper,
	           "varchar": psycopg.types.string.StrDumperVarchar}
	# what the server resolves a str to: the function's own type when psycopg
	# leaves it untyped (its default), else the type it names
	str_as = {"unknown": None, "text": "text", "varchar": "character varying"}
	for mode, dumper in dumpers.items():
	    app = connect(role, '"$user",public')
	    if dumper:
	        app.adapters.register_dumper(str, dumper)
	    s = lambda own: str_as[mode] or own
	    alice, bob = (app.execute("SELECT xphere.register_user(%s, %s, %s)",
	                              (f"{n}-{mode}@example.com", f"password-{n}", n), prepare=True).fetchone()[0]
	                  for n in ("alice", "bob"))
	    check(f"[str as {mode}] register_user returns a uuid (psycopg reads it as UUID)", type(alice), uuid.UUID)

	    app.execute(DEP, (alice, "XP", Decimal("12.5"), txh(mode + "d1")), prepare=True)
	    app.execute(DEP, (str(bob), "USDT", Decimal("0.0000000000000000005"), txh(mode + "d2")), prepare=True)
	    app.execute(DEP, (str(alice), "XP", 5, txh(mode + "d3")), prepare=True)
	    check(f"[str as {mode}] the server saw deposit's parameters typed as psycopg binds them",
	          [r[0] for r in app.execute(PREPARED, ("%xphere.deposit%",))],
	          sorted([[s("text"), s("xphere.currency"), "numeric", s("text")],
	                  [s("text"), s("xphere.currency"), "smallint", s("text")],
	                  ["uuid", s("xphere.currency"), "numeric", s("text")]]))
	    check(f"[str as {mode}] alice's XP: 12.5 + 5 (Decimal and int amounts, UUID and str ids)",
	          app.execute(BAL, (alice, "XP"), prepare=True).fetchone()[0], "17.5")
	    check(f"[str as {mode}] bob's USDT: 0.0000000000000000005 rounds half away from zero to 1 wei",
	          app.execute(BAL, (str(bob), "USDT"), prepare=True).fetchone()[0], "0.000000000000000001")

	    t = app.execute("SELECT xphere.transfer(%s, %s, %s, %s, %s)",
	                    (alice, str(bob), "XP", Decimal("2.25"), "thanks"), prepare=True).fetchone()[0]
	    check(f"[str as {mode}] transfer with one id as UUID and one as str returns a uuid", type(t), uuid.UUID)
	    check(f"[str as {mode}] after the transfer: alice 15.25 XP, bob 2.25 XP",
	          [app.execute(BAL, (u, "XP"), prepare=True).fetchone()[0] for u in (str(alice), bob)], ["15.25", "2.25"])

	    app.execute(DEP, (alice, "USDT", 500, txh(mode + "d4")), prepare=True)
	    m = app.execute("SELECT xphere.purchase_machine(%s, %s)", (str(alice), "p1"), prepare=True).fetchone()[0]
	    app.execute("SELECT xphere.set_machine_status(%s, %s)", (str(m), "MAINTENANCE"), prepare=True)
	    check(f"[str as {mode}] set_machine_status with the id and the status as str",
	          app.execute("SELECT status::text FROM xphere.user_machines WHERE id = %s", (m,)).fetchone()[0], "MAINTENANCE")

	    before = tables(su)
	    for what, params, want in [
	            ("a bad uuid str", ("alice", "XP", Decimal("1"), txh("b1")), "22P02"),
	            ("an unknown currency", (alice, "EUR", Decimal("1"), txh("b2")), "22P02"),
	            ("a negative Decimal", (alice, "XP", Decimal("-1"), txh("b3")), "22023"),
	            ("a Decimal beyond the wad range", (alice, "XP", Decimal("1e30"), txh("b4")), "22003"),
	            ("a Decimal with 19 decimals that rounds to 0", (alice, "XP", Decimal("0.0000000000000000004"), txh("b5")), "22023")]:
	        check(f"[str as {mode}] deposit with {what} is {want}", sqlstate(app, DEP, params), want)
	    check(f"[str as {mode}] ... and no table changed", tables(su), before)
	    app.close()

	# the default search_path: operators and aggregates of xphere are not found
	app = connect(role, '"$user",public')
	check('search_path "$user", public: sum(amount) is 42883',
	      sqlstate(app, "SELECT sum(amount) FROM xphere.transactions", None), "42883")
	check('search_path "$user", public: balance(...) > 100 is 42883',
	      sqlstate(app, "SELECT xphere.balance(%s, 'XP') > 100", (alice,)), "42883")
	check("... sum(amount::numeric) works: the deposits, 3 times 12.5 + 0.000000000000000001 + 5 + 500",
	      app.execute("SELECT sum(amount::numeric) = 3 * 517.500000000000000001 FROM xphere.transactions WHERE type = 'DEPOSIT'").fetchone()[0], True)
	check("... balance(...)::numeric > 100 and OPERATOR(xphere.>) work",
	      app.execute("SELECT xphere.balance(%s, 'XP')::numeric > 100, xphere.balance(%s, 'XP') OPERATOR(xphere.>) 10", (alice, alice)).fetchone(), (False, True))
	app.close()

	su.execute(f'ALTER DATABASE {db} SET search_path = xphere, pg_catalog, "$user"')
	su.close()
	app = connect(role)
	check("a new session has the database's search_path",
	      app.execute("SHOW search_path").fetchone()[0], 'xphere, pg_catalog, "$user"')
	check("... sum(amount) over the deposits of USDT is a wad: 3 times 0.000000000000000001 + 500",
	      app.execute("SELECT sum(amount)::text, pg_typeof(sum(amount))::text FROM transactions WHERE type = 'DEPOSIT' AND currency = 'USDT'").fetchone(),
	      ("1500.000000000000000003", "wad"))
	check("... balance(...) > 100 (alice: 15.25 XP) and > 10",
	      app.execute("SELECT xphere.balance(%s, 'XP') > 100, xphere.balance(%s, 'XP') > 10", (alice, alice)).fetchone(), (False, True))
	check("... amount > a Decimal: the deposits above 12.4 (12.5 and 500, 3 times)",
	      app.execute("SELECT count(*) FROM transactions WHERE type = 'DEPOSIT' AND amount > %s", (Decimal("12.4"),), prepare=True).fetchone()[0], 6)
	app.close()
	sys.exit(1 if failed else 0)
PYEOF

finish

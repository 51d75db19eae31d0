#!/usr/bin/env bash
#
# test/scripts/pgbouncer.sh - a shared backend behind PgBouncer in transaction mode
# keeps every request on its own platform user when it sets the user with
# SET LOCAL (per transaction), and a session-level SET is unsafe there.
#
# A real PgBouncer (Debian's pgbouncer), started here as the postgres user on
# a free port of 127.0.0.1, pool_mode = transaction, SCRAM for its clients
# and the plaintext password of userlist.txt for the server, in front of the
# cluster the environment names (PGHOST, PGPORT).  The backend role is in
# xphere_backend.  Server-side prepared statements are off in psycopg
# (prepare_threshold = None): PgBouncer 1.18 in transaction mode does not
# keep them.  It ensures:
#   1. the documented pattern is safe under concurrency: 12 clients, 8
#      platform users, pool_size 2 (so the server connections are shared and
#      a client's transactions move between them), 25 transactions each of
#          BEGIN; SELECT set_config('xphere.user_id', <user>, true);
#          current_user_id(); pg_sleep(0.002); the user ids of the
#          accounts RLS shows; xphere.balance(<user>, 'USDT'); COMMIT;
#      every transaction sees its own user, only that user's two accounts,
#      and the balance deposited for that user (100 x the user's number);
#      a statement outside any transaction sees no user (the pin did not
#      stay on the server connection); the 12 clients used at most 2
#      server connections and at least one client's transactions ran on
#      both;
#   2. DANGER, demonstrated on purpose: with pool_size 1, client A runs a
#      session-level SET xphere.user_id = alice and disconnects; client B,
#      which never set anything, then runs a transaction on the same server
#      connection and acts as alice: current_user_id() is alice's, row-level
#      security shows B alice's accounts, and B's call for bob's balance is
#      refused (42501).  The test asserts that the leak happens;
#   3. control: the same sequence with SET LOCAL inside A's transaction
#      (through another pool of one server connection) leaves B with no
#      user (every user's rows, bob's balance readable).
#
# Run by test/run.sh (PGHOST, PGPORT, PGUSER = a superuser); by hand:
#     pg_virtualenv -t bash test/scripts/pgbouncer.sh
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DB=xphere_pgbouncer_$$
TMP=$(mktemp -d -t xphere-pgbouncer.XXXXXX)
R=xppb$$
PW=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
PGBOUNCER=${XPHERE_PGBOUNCER:-/usr/sbin/pgbouncer}
cleanup() {
	if [ -s "$TMP/pgbouncer.pid" ]; then
		kill "$(cat "$TMP/pgbouncer.pid")" 2>/dev/null || true
		sleep 0.2
	fi
	cleanup_databases "$DB"
	drop_roles "${R}_api"
}
trap cleanup EXIT
started=$SECONDS

PYTHON=${XPHERE_PYTHON:-/usr/bin/python3}   # Debian's, where python3-psycopg is
[ -x "$PGBOUNCER" ] || { not_ok "pgbouncer is installed (test/deps.sh)"; finish; }
"$PYTHON" -c 'import psycopg' 2>/dev/null || { not_ok "python3 can import psycopg (python3-psycopg, test/deps.sh)"; finish; }

"$PGBIN/createdb" "$DB"
drop_roles "${R}_api"
sql >/dev/null <<-EOF
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	CREATE ROLE ${R}_api LOGIN PASSWORD '$PW' IN ROLE xphere_backend;
EOF
# 8 users, user i with 100 x i USDT
USERS=()
for i in $(seq 8); do
	u=$(sql -c "SELECT xphere.register_user('u$i@example.com', 'password-$i', 'U$i')")
	sql -c "SELECT xphere.deposit('$u', 'USDT', 100 * $i, '0x$(printf '%064x' "$i")')" >/dev/null
	USERS+=("$u")
done

free_port
BPORT=$PORT
if [ "$(id -u)" = 0 ]; then chown postgres: "$TMP"; fi
cat >"$TMP/userlist.txt" <<-EOF
	"${R}_api" "$PW"
EOF
cat >"$TMP/pgbouncer.ini" <<-EOF
	[databases]
	app = host=$ROLE_HOST port=${PGPORT:-5432} dbname=$DB
	single = host=$ROLE_HOST port=${PGPORT:-5432} dbname=$DB pool_size=1
	single2 = host=$ROLE_HOST port=${PGPORT:-5432} dbname=$DB pool_size=1
	[pgbouncer]
	listen_addr = 127.0.0.1
	listen_port = $BPORT
	unix_socket_dir =
	auth_type = scram-sha-256
	auth_file = $TMP/userlist.txt
	pool_mode = transaction
	default_pool_size = 2
	max_client_conn = 100
	pidfile = $TMP/pgbouncer.pid
	logfile = $TMP/pgbouncer.log
EOF
if [ "$(id -u)" = 0 ]; then chown postgres: "$TMP"/*; fi
chmod 600 "$TMP/userlist.txt"
as_pg "$PGBOUNCER" -d "$TMP/pgbouncer.ini" >"$TMP/pgbouncer.out" 2>&1 || {
	not_ok "pgbouncer starts"
	diag "$TMP/pgbouncer.out"
	finish
}
for _ in $(seq 100); do
	PGPASSWORD=$PW "$PGBIN/psql" -X -qAt -h 127.0.0.1 -p "$BPORT" -U "${R}_api" -d app -c 'SELECT 1' \
		>/dev/null 2>&1 && break
	sleep 0.1
done
check "pgbouncer answers in transaction mode on port $BPORT" \
	"$(PGPASSWORD=$PW "$PGBIN/psql" -X -qAt -h 127.0.0.1 -p "$BPORT" -U "${R}_api" -d app \
		-c 'SELECT xphere.session_is_trusted()' 2>&1)" t

export BOUNCER="host=127.0.0.1 port=$BPORT user=${R}_api password=$PW"
"$PYTHON" - "${USERS[@]}" >"$TMP/result" 2>"$TMP/err" <<-'PYEOF' || true
	import os, sys, threading
	from decimal import Decimal
	import psycopg

	users = sys.argv[1:]
	expected = {u: Decimal(100 * (i + 1)) for i, u in enumerate(users)}

	def connect(db):
	    # prepare_threshold=None: no server-side prepared statements
	    return psycopg.connect(os.environ["BOUNCER"] + " dbname=" + db,
	                           autocommit=True, prepare_threshold=None)

	# 1. the documented pattern, 12 clients interleaving
	bad, pids, pids_of = [], set(), {}
	lock = threading.Lock()

	def client(n):
	    mine = set()
	    with connect("app") as conn:
	        for k in range(25):
	            user = users[(n + k) % len(users)]
	            with conn.transaction():
	                conn.execute("SELECT set_config('xphere.user_id', %s, true)", (user,))
	                pid, cur = conn.execute(
	                    "SELECT pg_backend_pid(), xphere.current_user_id()::text").fetchone()
	                conn.execute("SELECT pg_sleep(0.002)")
	                seen = conn.execute(
	                    "SELECT array_agg(DISTINCT user_id::text), count(*) FROM xphere.accounts").fetchone()
	                bal = conn.execute("SELECT xphere.balance(%s, 'USDT')::numeric", (user,)).fetchone()[0]
	            mine.add(pid)
	            if cur != user or seen != ([user], 2) or bal != expected[user]:
	                with lock:
	                    bad.append((n, k, user, cur, seen, bal))
	            after = conn.execute("SELECT xphere.current_user_id()::text").fetchone()[0]
	            if after is not None:
	                with lock:
	                    bad.append((n, k, "after commit", after))
	    with lock:
	        pids.update(mine)
	        pids_of[n] = mine

	threads = [threading.Thread(target=client, args=(n,)) for n in range(12)]
	for t in threads:
	    t.start()
	for t in threads:
	    t.join()
	print("safe: wrong=%d first=%s" % (len(bad), bad[:3]))
	print("safe: server connections=%d" % len(pids))
	print("safe: a client on both=%s" % any(len(p) > 1 for p in pids_of.values()))

	# 2. and 3. A sets the user, then B (who never does) runs a transaction
	alice, bob = users[0], users[1]
	def a_then_b(how, db):
	    with connect(db) as a:
	        pid_a = a.execute("SELECT pg_backend_pid()").fetchone()[0]
	        if how == "session":
	            a.execute("SELECT set_config('xphere.user_id', %s, false)", (alice,))  # = SET
	        else:
	            with a.transaction():
	                a.execute("SELECT set_config('xphere.user_id', %s, true)", (alice,))  # = SET LOCAL
	                a.execute("SELECT xphere.balance(%s, 'USDT')", (alice,))
	    with connect(db) as b:
	        with b.transaction():
	            pid_b, cur = b.execute(
	                "SELECT pg_backend_pid(), xphere.current_user_id()::text").fetchone()
	            seen = b.execute("SELECT array_agg(DISTINCT user_id::text ORDER BY user_id::text)"
	                             " FROM xphere.accounts").fetchone()[0]
	        try:
	            with b.transaction():
	                bob_balance = str(b.execute("SELECT xphere.balance(%s, 'USDT')::numeric",
	                                            (bob,)).fetchone()[0])
	        except psycopg.Error as e:
	            bob_balance = e.sqlstate
	    return pid_a == pid_b, cur, seen, bob_balance

	same, cur, seen, bobs = a_then_b("session", "single")
	print("leak: same server connection=%s" % same)
	print("leak: B acts as=%s" % ("alice" if cur == alice else cur))
	print("leak: B sees the accounts of=%s" % ("alice only" if seen == [alice] else seen))
	print("leak: B asks bob's balance=%s" % bobs)
	same, cur, seen, bobs = a_then_b("local", "single2")
	print("local: same server connection=%s" % same)
	print("local: B acts as=%s" % cur)
	print("local: B sees the accounts of=%s users" % (len(seen) if seen else 0))
	print("local: B asks bob's balance=%s" % bobs)
PYEOF
[ -s "$TMP/err" ] && diag "$TMP/err"
line() { sed -n "s/^$1=//p" "$TMP/result"; }

echo "# 1. SET LOCAL per transaction, 12 clients, pool_size 2"
check "every transaction acted for its own user, saw only its accounts and its balance" \
	"$(line 'safe: wrong')" "0 first=[]"
check_true "the clients shared at most 2 server connections" \
	"$([ -n "$(line 'safe: server connections')" ] && [ "$(line 'safe: server connections')" -le 2 ] && echo t)" \
	"$(line 'safe: server connections') server connections"
check "a client's transactions ran on more than one server connection" "$(line 'safe: a client on both')" True

echo "# 2. DANGER: a session-level SET leaks to the next client of the server connection"
check "B ran on the server connection A used" "$(line 'leak: same server connection')" True
check "B, which set nothing, acts as alice: the leak happens" "$(line 'leak: B acts as')" alice
check "B sees alice's accounts through row-level security" "$(line 'leak: B sees the accounts of')" "alice only"
check "B's call for bob is refused (42501)" "$(line "leak: B asks bob's balance")" 42501

echo "# 3. control: SET LOCAL in A's transaction does not leak"
check "B ran on the server connection A used" "$(line 'local: same server connection')" True
check "B acts for no user" "$(line 'local: B acts as')" None
check "B (a trusted backend, unpinned) sees every user's accounts" \
	"$(line 'local: B sees the accounts of')" "$(sql -c "SELECT count(DISTINCT user_id) || ' users' FROM xphere.accounts")"
check "B reads bob's balance" "$(line "local: B asks bob's balance")" 200

finish

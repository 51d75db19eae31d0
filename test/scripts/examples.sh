#!/usr/bin/env bash
#
# test/scripts/examples.sh - the client programs of examples/ work as the README
# says, against a real server.
#
# examples/python/events_listener.py: NOTIFY cannot be restricted, so a
# listener must take only the id from a notification and read the event
# from xphere.events.  With the listener running as a member of
# xphere_admin, a role with no xphere privilege sends
#   - a notification for an id the outbox does not hold,
#   - one that names a real event's id with another kind,
#   - one that is not JSON;
# then a real deposit of 20 000 USDT raises a large_transaction event.
# Checks: the listener ignores the first and the third, reports the second
# with the kind the outbox holds (not the forged one), reports the real
# event exactly once (its id, kind and user from xphere.events), and
# reports nothing else.
#
# Run by test/run.sh (PGHOST, PGPORT, PGUSER = a superuser); by hand:
#     pg_virtualenv -t bash test/scripts/examples.sh
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DB=xphere_examples_$$
TMP=$(mktemp -d -t xphere-examples.XXXXXX)
R=xpex
PW=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
cleanup() {
	cleanup_databases "$DB"
	drop_roles "${R}_ops" "${R}_anyone"
}
trap cleanup EXIT
started=$SECONDS

PYTHON=${XPHERE_PYTHON:-/usr/bin/python3}   # Debian's, where python3-psycopg is
if ! "$PYTHON" -c 'import psycopg' 2>/dev/null; then
	not_ok "python3 can import psycopg (python3-psycopg, test/deps.sh)"
	finish
fi

"$PGBIN/createdb" "$DB"
drop_roles "${R}_ops" "${R}_anyone"
sql >/dev/null <<-EOF
	CREATE EXTENSION xphere CASCADE;
	UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
	CREATE ROLE ${R}_ops LOGIN PASSWORD '$PW' IN ROLE xphere_admin;
	CREATE ROLE ${R}_anyone LOGIN PASSWORD '$PW';
EOF
USER_ID=$(sql -c "SELECT xphere.register_user('ex@example.com', 'password-ex', 'Ex')")
# an event that exists before the listener starts: its id is forged below
OLD=$(sql -c "SELECT xphere.deposit('$USER_ID', 'USDT', 15000, '0x$(printf 'a%.0s' {1..64})')" >/dev/null &&
	sql -c "SELECT max(id) FROM xphere.events")
check "fixture: the first large deposit raised a large_transaction event" \
	"$(sql -c "SELECT kind FROM xphere.events WHERE id = $OLD")" large_transaction

conninfo="host=$ROLE_HOST port=${PGPORT:-5432} dbname=$DB user=${R}_ops password=$PW"
"$PYTHON" "$ROOT/examples/python/events_listener.py" "$conninfo" --exit-after 8 >"$TMP/out" 2>"$TMP/err" &
BG_PIDS+=($!)
listener=$!
for _ in $(seq 100); do
	grep -q '"listening"' "$TMP/out" 2>/dev/null && break
	sleep 0.05
done

as_anyone() { as_role "${R}_anyone" "$@"; }
as_anyone -c "NOTIFY xphere_events, '{\"id\": 999999, \"kind\": \"liquidation\"}'"
as_anyone -c "NOTIFY xphere_events, '{\"id\": $OLD, \"kind\": \"liquidation\"}'"
as_anyone -c "NOTIFY xphere_events, 'liquidate everything'"
sql -c "SELECT xphere.deposit('$USER_ID', 'USDT', 20000, '0x$(printf 'b%.0s' {1..64})')" >/dev/null
NEW=$(sql -c "SELECT max(id) FROM xphere.events")
wait "$listener" || true

out=$(cat "$TMP/out")
check_true "the listener ran" "$(grep -q '"listening"' "$TMP/out" && echo t)" "$(head -5 "$TMP/err")"
got=$("$PYTHON" - "$TMP/out" "$OLD" "$NEW" "$USER_ID" <<-'PYEOF'
	import json, sys
	lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
	old, new, user = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
	ignored = [l["ignored"] for l in lines if "ignored" in l]
	events = [l for l in lines if "id" in l and "kind" in l]
	print("ignored=%d" % len(ignored))
	print("unknown id ignored=%s" % any('999999' in i for i in ignored))
	print("not json ignored=%s" % ("liquidate everything" in ignored))
	print("forged kind reported as=%s" % [e["kind"] for e in events if e["id"] == old])
	print("real event=%s" % [(e["kind"], e["payload"].get("user_id") == user) for e in events if e["id"] == new])
	print("others=%d" % len([e for e in events if e["id"] not in (old, new)]))
PYEOF
)
check "the listener trusts only xphere.events" "$(echo "$got" | tr '\n' ' ')" \
	"ignored=2 unknown id ignored=True not json ignored=True forged kind reported as=['large_transaction'] real event=[('large_transaction', True)] others=0 "
[ "$fails" -eq 0 ] || diag "$TMP/out"

finish

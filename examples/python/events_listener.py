#!/usr/bin/env python3
"""Listen for xphere events and act only on what the outbox says.

    python3 examples/python/events_listener.py "dbname=app user=ops" [--exit-after SECONDS]

NOTIFY has no privileges: any role that can connect to the database may
send `NOTIFY xphere_events, '{"id": 1, "kind": "liquidation"}'`.  So a
notification is only a hint that something may have happened.  This
listener takes nothing from the payload but the id, reads the event from
`xphere.events` (readable by xphere_admin only, written only by the
extension), and ignores ids the outbox does not hold: forged, or already
pruned.  It prints one JSON line per event, from the table:

    {"id": 7, "kind": "large_transaction", "payload": {...}, "created_at": "..."}

and one line per ignored notification:

    {"ignored": "<payload as received>", "reason": "..."}

Needs psycopg 3 (Debian: python3-psycopg).  The role must be able to read
xphere.events (a member of xphere_admin).  test/scripts/examples.sh runs it
against forged and real notifications.
"""
import argparse
import json
import select
import sys
import time

import psycopg

CHANNEL = "xphere_events"


def event_by_id(conn, payload):
    """The event a notification points at, or (None, reason)."""
    try:
        event_id = int(json.loads(payload)["id"])
    except (ValueError, KeyError, TypeError):
        return None, "not a notification of the extension"
    row = conn.execute(
        "SELECT id, kind, payload, created_at FROM xphere.events WHERE id = %s",
        (event_id,),
    ).fetchone()
    if row is None:
        return None, "no such event in xphere.events (forged or pruned)"
    return {"id": row[0], "kind": row[1], "payload": row[2],
            "created_at": row[3].isoformat()}, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("conninfo", help="libpq connection string")
    parser.add_argument("--exit-after", type=float, default=None,
                        help="stop after this many seconds (default: run forever)")
    args = parser.parse_args()

    received = []
    with psycopg.connect(args.conninfo, autocommit=True) as conn:
        conn.add_notify_handler(lambda n: received.append(n.payload))
        conn.execute("LISTEN " + CHANNEL)
        print(json.dumps({"listening": CHANNEL}), flush=True)
        deadline = None if args.exit_after is None else time.monotonic() + args.exit_after
        while deadline is None or time.monotonic() < deadline:
            wait = 1.0 if deadline is None else max(0.0, min(1.0, deadline - time.monotonic()))
            if select.select([conn.fileno()], [], [], wait)[0]:
                conn.execute("SELECT 1")      # lets psycopg read the notifications
            while received:
                payload = received.pop(0)
                event, reason = event_by_id(conn, payload)
                if event is None:
                    print(json.dumps({"ignored": payload, "reason": reason}), flush=True)
                else:
                    print(json.dumps(event, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

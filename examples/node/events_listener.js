#!/usr/bin/env node
'use strict';
// Listen for xphere events and act only on what the outbox says.
//
//   node examples/node/events_listener.js postgresql://ops:...@host/app [--exit-after SECONDS]
//
// NOTIFY has no privileges: any role that can connect may send
// NOTIFY xphere_events, '{"id": 1, "kind": "liquidation"}'.  So a
// notification is only a hint: this listener takes nothing from the payload
// but the id, reads the event from xphere.events (readable by xphere_admin
// only, written only by the extension) and ignores ids the outbox does not
// hold.  One JSON line per event, from the table:
//   {"id": 7, "kind": "liquidation", "payload": {...}, "created_at": "..."}
// and one per ignored notification:
//   {"ignored": "<payload as received>", "reason": "..."}
// The same as examples/python/events_listener.py.

const { Client } = require('pg');

const CHANNEL = 'xphere_events';

async function eventById(client, payload) {
  let id;
  try {
    id = JSON.parse(payload).id;
  } catch (e) {
    id = undefined;
  }
  if (!Number.isSafeInteger(id)) return [null, 'not a notification of the extension'];
  const { rows } = await client.query(
    'SELECT id, kind, payload, created_at FROM xphere.events WHERE id = $1', [id]);
  if (rows.length === 0) return [null, 'no such event in xphere.events (forged or pruned)'];
  const e = rows[0];
  return [{ id: Number(e.id), kind: e.kind, payload: e.payload, created_at: e.created_at.toISOString() }, null];
}

async function main() {
  const args = process.argv.slice(2);
  const i = args.indexOf('--exit-after');
  const exitAfter = i >= 0 ? Number(args.splice(i, 2)[1]) : null;
  if (args.length !== 1) {
    process.stderr.write('usage: events_listener.js CONNECTION_STRING [--exit-after SECONDS]\n');
    return 2;
  }
  const client = new Client({ connectionString: args[0] });
  await client.connect();
  // notifications are handled one at a time, in the order they arrived
  let queue = Promise.resolve();
  client.on('notification', (n) => {
    queue = queue.then(async () => {
      const [event, reason] = await eventById(client, n.payload);
      console.log(JSON.stringify(event || { ignored: n.payload, reason }));
    });
  });
  await client.query(`LISTEN ${CHANNEL}`);
  console.log(JSON.stringify({ listening: CHANNEL }));
  let timer = null;
  await new Promise((resolve) => {
    if (exitAfter !== null) timer = setTimeout(resolve, exitAfter * 1000);
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  clearTimeout(timer);
  await queue;
  await client.end();
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exitCode = 1;
});

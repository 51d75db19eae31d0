#!/usr/bin/env node
'use strict';
// Run the functions of backend.js from the command line; the same commands
// and output as examples/python/cli.py.
//
//   export XPHERE_APP_DSN=postgresql://api:...@host/app      # a role in xphere_backend
//   (or a libpq string: "dbname=app user=api host=/run/postgresql")
//   export XPHERE_ADMIN_DSN=postgresql://ops:...@host/app    # a role in xphere_admin
//   node examples/node/cli.js register alice@example.com 'correct horse' Alice
//   node examples/node/cli.js deposit USER_ID USDT 1000 0x<64 hex digits>
//   node examples/node/cli.js liquidator LIQUIDATOR_ID --rounds 10 --interval 5
//
// Each command prints one JSON object (the liquidator one per round).  An
// error of the API prints {"error": {"status": <HTTP>, "sqlstate": ..., "message": ...}}
// and exits with status 3.

const { Backend, ApiError } = require('./backend');

const COMMANDS = {
  // name: [required argument count, optional argument count, method]
  register: [3, 0, 'register'],
  login: [2, 0, 'login'],
  refresh: [1, 0, 'refresh'],
  deposit: [4, 0, 'deposit'],
  'set-price': [2, 0, 'setPrice'],
  accounts: [1, 0, 'accounts'],
  balance: [2, 1, 'balance'],
  buy: [2, 0, 'buyMachine'],
  pending: [1, 0, 'pendingRewards'],
  supply: [3, 0, 'supply'],
  borrow: [5, 0, 'borrow'],
  repay: [2, 1, 'repay'],
  debt: [2, 0, 'debt'],
  stake: [2, 1, 'stake'],
  'staking-pending': [2, 0, 'pendingStakingRewards'],
  snapshot: [0, 0, 'snapshot'],
  proof: [2, 1, 'liabilityProof'],
};

function out(obj) {
  const sorted = (v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]))
    : Array.isArray(v) ? v.map(sorted) : v);
  process.stdout.write(JSON.stringify(sorted(obj)) + '\n');
}

function usage(msg) {
  process.stderr.write(`${msg}\nusage: cli.js {${Object.keys(COMMANDS).join(',')},liquidator} ARGS...\n`);
  process.exit(2);
}

function option(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) usage('no command');
  if (!process.env.XPHERE_APP_DSN) usage('XPHERE_APP_DSN is not set');
  const backend = new Backend(process.env.XPHERE_APP_DSN, process.env.XPHERE_ADMIN_DSN);
  try {
    if (command === 'liquidator') {
      const pool = option(args, '--pool', null);
      const rounds = Number(option(args, '--rounds', Infinity));
      const interval = Number(option(args, '--interval', 5));
      if (args.length !== 1) usage('liquidator LIQUIDATOR_ID [--pool P] [--rounds N] [--interval S]');
      for (let n = 1; n <= rounds; n++) {
        if (n > 1) await new Promise((r) => setTimeout(r, interval * 1000));
        out({ ...(await backend.liquidateAll(args[0], pool)), round: n });
      }
      return 0;
    }
    const spec = COMMANDS[command];
    if (!spec) usage(`unknown command ${command}`);
    const [required, optional, method] = spec;
    if (args.length < required || args.length > required + optional) usage(`${command}: wrong number of arguments`);
    out(await backend[method](...args));
    return 0;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    out({ error: err.toJSON() });
    return 3;
  } finally {
    await backend.close();
  }
}

main().then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exitCode = 1;
});

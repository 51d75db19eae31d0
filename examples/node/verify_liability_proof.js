#!/usr/bin/env node
// Verify an xphere proof of liabilities outside the database.
//
// A user fetches their inclusion proof (xphere.liability_proof) and the
// published root record (xphere.liability_root, or the page where the
// platform publishes it) as two JSON files, then runs
//
//     node examples/node/verify_liability_proof.js PROOF.json ROOT.json
//
// Either file may be "-" for standard input.  On success it prints one line,
//
//     OK: user <uuid> holds 12.5 XP in snapshot 12 (leaf 3 of 5; root <hex>, total 1234.5 XP)
//
// and exits 0; a proof that does not hold prints "FAILED: <reason>" and
// exits 1; a file that cannot be read or is not JSON, or a wrong command
// line, exits 2 with a message on standard error.
//
//     node examples/node/verify_liability_proof.js --batch CASES.jsonl
//
// checks many pairs at once: each non-blank line of CASES.jsonl is a JSON
// object {"proof": ..., "root": ...}; one line is printed per case, the
// OK/FAILED line above, or "ERROR: line N is not a JSON object with proof
// and root".  The exit status is 2 if any line was an ERROR, else 1 if any
// case FAILED, else 0.
//
// The checks are those of doc/liabilities.md, "The hash construction
// (version 1)"; examples/python/verify_liability_proof.py makes the same
// ones in the same order and prints the same lines.  Node >= 18, built-in
// modules only; amounts are BigInt in wei throughout, never Numbers.
//
// As a module: verify(proof, root) takes the two records as parsed JSON and
// returns the verified leaf, or throws a ProofError whose message is the
// one-line reason.  parse() is the strict JSON parser of the command line:
// JSON.parse turns 12.0 and 1e1 into integers and keeps the last of
// duplicate keys, parse() refuses both (a number that is not an integer
// literal from 0 to 2^53-1 becomes a NotAnInteger, which every integer
// check rejects).
'use strict';

const crypto = require('crypto');
const fs = require('fs');

const PROOF_FORMAT = 'xphere-liability-proof-v1';
const ROOT_FORMAT = 'xphere-liability-root-v1';
const LIMIT = 1n << 127n;       // every amount and sum is below 2^127
const WEI = 10n ** 18n;
const EMPTY_HASH = Buffer.alloc(32);    // the empty node pads a level on the right

const PROOF_FIELDS = ['format', 'snapshot_id', 'taken_at', 'currency', 'leaf_count',
  'root', 'total', 'user_id', 'leaf', 'path'];
const ROOT_FIELDS = ['format', 'snapshot_id', 'taken_at', 'currency', 'leaf_count',
  'root', 'total'];
const LEAF_FIELDS = ['index', 'salt', 'amount', 'hash'];
const PATH_FIELDS = ['hash', 'sum'];

const HEX64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^(0|[1-9][0-9]{0,38})$/;      // 2^127 has 39 digits
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURRENCY = /^[A-Z0-9]{1,8}$/;
const SAFE_NAME = /^[A-Za-z0-9_]{1,32}$/;
const BLANK = /^[ \t\r]*$/;

class ProofError extends Error {}

// 12500000000000000000n -> "12.5": the exact decimal, no trailing zeros.
function formatWei(wei) {
  const whole = wei / WEI;
  const frac = wei % WEI;
  if (frac === 0n) return whole.toString();
  return `${whole}.${frac.toString().padStart(18, '0')}`.replace(/0+$/, '');
}

function line(v) {
  return `OK: user ${v.user_id} holds ${formatWei(v.amount)} ${v.currency}` +
    ` in snapshot ${v.snapshot_id} (leaf ${v.index} of ${v.leaf_count};` +
    ` root ${v.root}, total ${formatWei(v.total)} ${v.currency})`;
}

// ---------------------------------------------------------------------------
// strict JSON

class NotAnInteger {
  constructor(text) { this.text = text; }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WS = /[ \t\n\r]*/y;

function parse(text) {
  let pos = 0;
  const fail = (what) => { throw new SyntaxError(`${what} at offset ${pos}`); };
  const ws = () => { WS.lastIndex = pos; WS.exec(text); pos = WS.lastIndex; };
  const match = (re) => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return null;
    pos = re.lastIndex;
    return m[0];
  };
  const value = () => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const obj = {};
      ws();
      if (text[pos] === '}') { pos++; return obj; }
      for (;;) {
        ws();
        const k = match(STRING);
        if (k === null) fail('expected a key');
        const key = JSON.parse(k);
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`duplicate key ${k}`);
        ws();
        if (text[pos] !== ':') fail('expected ":"');
        pos++;
        Object.defineProperty(obj, key,
          { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[pos] === ',') { pos++; continue; }
        if (text[pos] === '}') { pos++; return obj; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      const arr = [];
      ws();
      if (text[pos] === ']') { pos++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        if (text[pos] === ',') { pos++; continue; }
        if (text[pos] === ']') { pos++; return arr; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      const s = match(STRING);
      if (s === null) fail('bad string');
      return JSON.parse(s);
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(word, pos)) { pos += word.length; return v; }
    }
    const n = match(NUMBER);
    if (n === null) fail('unexpected character');
    if (/^(0|[1-9][0-9]{0,15})$/.test(n) && Number.isSafeInteger(Number(n))) return Number(n);
    return new NotAnInteger(n);
  };
  let v;
  try {
    v = value();
  } catch (e) {
    if (e instanceof RangeError) fail('nested too deeply');
    throw e;
  }
  ws();
  if (pos !== text.length) fail('unexpected text after the value');
  return v;
}

// ---------------------------------------------------------------------------
// field checks

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) &&
  !(v instanceof NotAnInteger);
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

// code-point order, as Python sorts strings
const byCodePoint = (a, b) => {
  const x = Array.from(a, (ch) => ch.codePointAt(0));
  const y = Array.from(b, (ch) => ch.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
};

function fields(obj, names, what) {
  if (!isObject(obj)) throw new ProofError(`${what} is not a JSON object`);
  for (const name of names) {
    if (!has(obj, name)) throw new ProofError(`${what} lacks field "${name}"`);
  }
  const extra = Object.keys(obj).filter((k) => !names.includes(k)).sort(byCodePoint);
  if (extra.length) {
    if (SAFE_NAME.test(extra[0])) throw new ProofError(`${what} has unknown field "${extra[0]}"`);
    throw new ProofError(`${what} has an unknown field`);
  }
}

function integer(v, what) {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || Object.is(v, -0)) {
    throw new ProofError(`${what} is not a JSON integer from 0 to 2^53-1`);
  }
  return v;
}

function hash(v, what) {
  if (typeof v !== 'string' || !HEX64.test(v)) {
    throw new ProofError(`${what} is not 64 lower-case hex digits`);
  }
  return Buffer.from(v, 'hex');
}

function amount(v, what) {
  if (typeof v !== 'string' || !DECIMAL.test(v) || BigInt(v) >= LIMIT) {
    throw new ProofError(`${what} is not a decimal integer string from 0 to 2^127-1`);
  }
  return BigInt(v);
}

function currency(v, what) {
  if (typeof v !== 'string' || !CURRENCY.test(v)) {
    throw new ProofError(`${what} is not 1 to 8 upper-case ASCII letters or digits`);
  }
  return v;
}

function string(v, what) {
  if (typeof v !== 'string') throw new ProofError(`${what} is not a string`);
  return v;
}

// the fields a proof shares with a root record: its keys, its format, and the
// published snapshot id, time, currency, leaf count, root and total
function checkRecord(obj, fieldSet, format, what) {
  fields(obj, fieldSet, what);
  if (obj.format !== format) throw new ProofError(`${what} format is not "${format}"`);
  return {
    snapshot_id: integer(obj.snapshot_id, `${what} snapshot_id`),
    taken_at: string(obj.taken_at, `${what} taken_at`),
    currency: currency(obj.currency, `${what} currency`),
    leaf_count: integer(obj.leaf_count, `${what} leaf_count`),
    root: hash(obj.root, `${what} root`),
    total: amount(obj.total, `${what} total`),
  };
}

function checkProof(proof) {
  const p = checkRecord(proof, PROOF_FIELDS, PROOF_FORMAT, 'proof');
  if (typeof proof.user_id !== 'string' || !UUID.test(proof.user_id)) {
    throw new ProofError('proof user_id is not a lower-case UUID with hyphens');
  }
  p.user_id = proof.user_id;
  const leaf = proof.leaf;
  fields(leaf, LEAF_FIELDS, 'proof leaf');
  p.index = integer(leaf.index, 'proof leaf.index');
  p.salt = hash(leaf.salt, 'proof leaf.salt');
  p.amount = amount(leaf.amount, 'proof leaf.amount');
  p.leaf_hash = hash(leaf.hash, 'proof leaf.hash');
  if (!Array.isArray(proof.path)) throw new ProofError('proof path is not a JSON array');
  p.path = proof.path.map((entry, k) => {
    const what = `proof path[${k}]`;
    fields(entry, PATH_FIELDS, what);
    return [hash(entry.hash, `${what}.hash`), amount(entry.sum, `${what}.sum`)];
  });
  return p;
}

function checkRoot(root) {
  return checkRecord(root, ROOT_FIELDS, ROOT_FORMAT, 'root record');
}

// ---------------------------------------------------------------------------
// hashing

function wei16(v) {
  return Buffer.from(v.toString(16).padStart(32, '0'), 'hex');
}

const sha256 = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();

// H(0x00 || salt || user_id || currency || amount): 73 bytes hashed
function leafHash(salt, userId, cur, amt) {
  const uid = Buffer.from(userId.replace(/-/g, ''), 'hex');
  const c = Buffer.alloc(8);
  c.write(cur, 'ascii');
  return sha256(Buffer.from([0]), salt, uid, c, wei16(amt));
}

// H(0x01 || lh || ls || rh || rs): 97 bytes hashed
function nodeHash(lh, ls, rh, rs) {
  return sha256(Buffer.from([1]), lh, wei16(ls), rh, wei16(rs));
}

// ceil(log2(n)) for n >= 1: 0 for one leaf
function depthOf(n) {
  let d = 0;
  while (2 ** d < n) d++;
  return d;
}

// Check proof against the published root record; return the verified leaf
// {user_id, currency, amount (BigInt wei), snapshot_id, index, leaf_count,
// root, total (BigInt wei)} or throw a ProofError.
function verify(proof, root) {
  const p = checkProof(proof);
  const r = checkRoot(root);
  if (p.snapshot_id !== r.snapshot_id) {
    throw new ProofError('proof and root record are of different snapshots' +
      ` (${p.snapshot_id} and ${r.snapshot_id})`);
  }
  if (p.currency !== r.currency) {
    throw new ProofError('proof and root record are of different currencies' +
      ` (${p.currency} and ${r.currency})`);
  }
  if (p.taken_at !== r.taken_at) throw new ProofError('proof and root record differ in taken_at');
  const n = r.leaf_count;
  if (p.leaf_count !== n) {
    throw new ProofError(`proof leaf_count ${p.leaf_count} is not the published leaf count ${n}`);
  }
  if (!p.root.equals(r.root)) throw new ProofError('proof root is not the published root');
  if (p.total !== r.total) throw new ProofError('proof total is not the published total');
  const index = p.index;
  if (index >= n) throw new ProofError(`leaf index ${index} is out of range for ${n} leaves`);
  const depth = depthOf(n);
  if (p.path.length !== depth) {
    throw new ProofError(`path has ${p.path.length} entries, ${n} leaves need ${depth}`);
  }
  let h = leafHash(p.salt, p.user_id, p.currency, p.amount);
  if (!h.equals(p.leaf_hash)) {
    throw new ProofError('leaf hash does not match salt, user_id, currency and amount');
  }
  let s = p.amount;
  let width = n;        // nodes on the current level
  let i = index;        // the user's node on the current level (index >> k)
  p.path.forEach(([sh, ss], k) => {
    const sibling = i % 2 === 1 ? i - 1 : i + 1;
    if (sibling >= width && (!sh.equals(EMPTY_HASH) || ss !== 0n)) {
      throw new ProofError(`path[${k}] stands for padding but is not the empty node`);
    }
    if (sibling < width && sh.equals(EMPTY_HASH)) {
      throw new ProofError(`path[${k}] is the empty node where a real node stands`);
    }
    if (i % 2 === 1) {
      h = nodeHash(sh, ss, h, s);
    } else {
      h = nodeHash(h, s, sh, ss);
    }
    s += ss;
    if (s >= LIMIT) throw new ProofError(`the sum at level ${k + 1} reaches 2^127`);
    width = Math.ceil(width / 2);
    i = Math.floor(i / 2);
  });
  if (!h.equals(r.root)) throw new ProofError('path does not lead to the published root');
  if (s !== r.total) {
    throw new ProofError(`path sums to ${s} wei, the published total is ${r.total} wei`);
  }
  return {
    user_id: p.user_id, currency: p.currency, amount: p.amount, snapshot_id: p.snapshot_id,
    index, leaf_count: n, root: root.root, total: r.total,
  };
}

// The line the command line prints for a pair: OK: ... or FAILED: ...
function verdict(proof, root) {
  try {
    return line(verify(proof, root));
  } catch (e) {
    if (e instanceof ProofError) return `FAILED: ${e.message}`;
    throw e;
  }
}

// ---------------------------------------------------------------------------
// command line

class InputError extends Error {}

function read(name) {
  let data;
  try {
    data = fs.readFileSync(name === '-' ? 0 : name);
  } catch (e) {
    throw new InputError(`${name}: cannot read: ${e.message}`);
  }
  try {
    // fatal: invalid UTF-8 is an error; ignoreBOM: a BOM stays and is not JSON
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch (e) {
    throw new InputError(`${name}: cannot read: not UTF-8`);
  }
}

function readJson(name) {
  const text = read(name);
  try {
    return parse(text);
  } catch (e) {
    throw new InputError(`${name}: not valid JSON: ${e.message}`);
  }
}

function batch(name) {
  let status = 0;
  const out = [];
  read(name).split('\n').forEach((text, k) => {
    if (BLANK.test(text)) return;
    let c = null;
    try {
      c = parse(text);
    } catch (e) {
      c = null;
    }
    const keys = isObject(c) ? Object.keys(c).sort() : [];
    if (keys.length !== 2 || keys[0] !== 'proof' || keys[1] !== 'root') {
      out.push(`ERROR: line ${k + 1} is not a JSON object with proof and root`);
      status = 2;
      return;
    }
    const v = verdict(c.proof, c.root);
    out.push(v);
    if (v.startsWith('FAILED') && status === 0) status = 1;
  });
  process.stdout.write(out.length ? out.join('\n') + '\n' : '');
  return status;
}

const USAGE = 'usage: verify_liability_proof.js [-h] [--batch FILE.jsonl] [proof] [root]';

function main(argv) {
  const usage = (msg) => {
    process.stderr.write(`${USAGE}\nverify_liability_proof.js: error: ${msg}\n`);
    return 2;
  };
  const args = [];
  let batchFile = null;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n\nVerify an xphere proof of liabilities against a` +
        ' published root record.\n');
      return 0;
    }
    if (a === '--batch') {
      if (k + 1 >= argv.length) return usage('--batch needs a file');
      batchFile = argv[++k];
    } else if (a.startsWith('--batch=')) {
      batchFile = a.slice('--batch='.length);
    } else if (a.startsWith('-') && a !== '-') {
      return usage(`unknown option ${a}`);
    } else {
      args.push(a);
    }
  }
  try {
    if (batchFile !== null) {
      if (args.length) return usage('--batch takes no other argument');
      return batch(batchFile);
    }
    if (args.length !== 2) return usage('PROOF and ROOT are required');
    if (args[0] === '-' && args[1] === '-') {
      return usage('only one of PROOF and ROOT can be standard input');
    }
    const proof = readJson(args[0]);
    const root = readJson(args[1]);
    const v = verdict(proof, root);
    process.stdout.write(v + '\n');
    return v.startsWith('OK') ? 0 : 1;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
}

module.exports = { verify, verdict, parse, formatWei, ProofError, NotAnInteger };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

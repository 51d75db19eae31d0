'use strict';
// A small backend on xphere with node-postgres (pg).
//
// The pool logs in as a role in xphere_backend (trusted: it may act for any
// platform user) and confines every request to the user it serves:
//
//   BEGIN;
//   SELECT set_config('xphere.user_id', $1, true);   -- = SET LOCAL
//   ... the calls, which row-level security and the functions confine ...
//   COMMIT;
//
// The setting ends with the transaction, so it never outlives the request,
// even behind a transaction-mode pooler (a session-level SET would).
// Operator calls (deposit, setPrice) go through a second pool whose role is
// in xphere_admin.  Errors become ApiError with the HTTP status from
// HTTP_STATUS, the one table that maps xphere's SQLSTATEs.
//
// node-postgres sends every parameter as text of unknown type, so amounts
// travel as exact decimal strings ('1.5') and wad results come back as
// strings: never let a JavaScript number (a double) hold an amount.

const { Pool } = require('pg');

// SQLSTATE -> HTTP status (doc/errors.md).  Anything else is 500: a
// failure of the backend itself, not of the request.
const HTTP_STATUS = Object.freeze({
  '22004': 422, // a required argument is NULL
  '22023': 422, // invalid argument: amount <= 0, unknown plan/pool, bad address
  '22P02': 422, // bad text input (a malformed amount or uuid, unknown currency)
  '22003': 422, // amount out of range
  '22012': 422, // division by zero
  '23505': 409, // duplicate email, a tx_hash replayed with other details
  '28P01': 401, // wrong email or password, dead or expired refresh token
  '42501': 403, // acting for another user, or another user's position
  'P0002': 404, // user, position, machine or transaction not found
  'XP001': 409, // insufficient balance
  'XP002': 409, // insufficient pool liquidity
  'XP003': 422, // the borrow or change would leave health factor < 1
  'XP004': 409, // position is not liquidatable
  'XP005': 503, // price missing or stale: retry when the oracle has one
  'XP006': 409, // wrong status for this action (stake still locked, ...)
  'XP007': 422, // a partial liquidation would leave dust
  '40001': 503, // serialization failure: retry
  '40P01': 503, // deadlock: retry
});

class ApiError extends Error {
  constructor(status, sqlstate, message) {
    super(message);
    this.status = status;
    this.sqlstate = sqlstate;
  }

  toJSON() {
    return { status: this.status, sqlstate: this.sqlstate, message: this.message };
  }
}

function apiError(err) {
  if (err instanceof ApiError) return err;
  const state = err.code || null;
  return new ApiError(HTTP_STATUS[state] || 500, state, err.message);
}

// node-postgres reads URLs (postgresql://...); a libpq key=value string
// ("dbname=app user=api host=/run/postgresql") becomes its config object.
function connectionConfig(conninfo) {
  if (/^postgres(ql)?:\/\//.test(conninfo)) return { connectionString: conninfo };
  const names = { dbname: 'database', user: 'user', password: 'password', host: 'host', port: 'port' };
  const config = {};
  const re = /(\w+)\s*=\s*('((?:[^'\\]|\\.)*)'|\S+)/g;
  let m;
  while ((m = re.exec(conninfo)) !== null) {
    const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[2];
    if (names[m[1]]) config[names[m[1]]] = m[1] === 'port' ? Number(value) : value;
  }
  return config;
}

class Backend {
  constructor(appConnection, adminConnection) {
    this.pool = new Pool({ ...connectionConfig(appConnection), max: 4 });
    this.admin = adminConnection ? new Pool({ ...connectionConfig(adminConnection), max: 2 }) : null;
  }

  async close() {
    await this.pool.end();
    if (this.admin) await this.admin.end();
  }

  // fn(client) in one transaction; with userId, confined to that user
  async tx(userId, fn, pool = this.pool) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (userId != null) {
        await client.query("SELECT set_config('xphere.user_id', $1, true)", [userId]);
      }
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw apiError(err);
    } finally {
      client.release();
    }
  }

  async one(userId, sql, args, pool) {
    return this.tx(userId, async (c) => Object.values((await c.query(sql, args)).rows[0])[0], pool);
  }

  adminPool() {
    if (!this.admin) throw new ApiError(500, null, 'no operator connection configured');
    return this.admin;
  }

  // users and tokens --------------------------------------------------------
  async register(email, password, name) {
    return this.tx(null, async (c) => {
      const user = (await c.query('SELECT xphere.register_user($1, $2, $3) AS v', [email, password, name])).rows[0].v;
      const token = (await c.query('SELECT xphere.issue_refresh_token($1) AS v', [user])).rows[0].v;
      return { user_id: user, refresh_token: token };
    });
  }

  async login(email, password) {
    return this.tx(null, async (c) => {
      const user = (await c.query('SELECT xphere.authenticate($1, $2) AS v', [email, password])).rows[0].v;
      const token = (await c.query('SELECT xphere.issue_refresh_token($1) AS v', [user])).rows[0].v;
      return { user_id: user, refresh_token: token };
    });
  }

  // A new refresh token for a live one.  A token presented again after it
  // was rotated means it was stolen: xphere revokes every token of that user
  // (committed) and the client must log in again.
  async refresh(token) {
    const next = await this.one(null, 'SELECT xphere.rotate_refresh_token($1)', [token]);
    if (next === null) {
      throw new ApiError(401, null, 'refresh token reused: every session of this user is revoked');
    }
    return { refresh_token: next };
  }

  // wallet and mining -------------------------------------------------------
  async deposit(userId, currency, amount, txHash) {
    const tx = await this.one(null, 'SELECT xphere.deposit($1, $2, $3, $4)',
      [userId, currency, amount, txHash], this.adminPool());
    return { transaction_id: tx };
  }

  async setPrice(asset, price) {
    await this.one(null, 'SELECT xphere.set_price($1, $2)', [asset, price], this.adminPool());
    return { asset, price_usdt: price };
  }

  // the user's accounts, read through row-level security only
  async accounts(userId) {
    const rows = await this.tx(userId, async (c) => (await c.query(
      'SELECT user_id, currency::text AS currency, available::text, locked::text FROM xphere.accounts ORDER BY 2')).rows);
    return { accounts: rows };
  }

  async balance(userId, currency, ofUser) {
    return { balance: await this.one(userId, 'SELECT xphere.balance($1, $2)', [ofUser || userId, currency]) };
  }

  async buyMachine(userId, planId) {
    return { machine_id: await this.one(userId, 'SELECT xphere.purchase_machine($1, $2)', [userId, planId]) };
  }

  async pendingRewards(userId) {
    return { pending: await this.one(userId, 'SELECT xphere.pending_mining_rewards($1)', [userId]) };
  }

  // lending -----------------------------------------------------------------
  async supply(userId, poolId, amount) {
    return { supplied: await this.one(userId, 'SELECT xphere.supply($1, $2, $3)', [userId, poolId, amount]) };
  }

  async borrow(userId, poolId, amount, collateralAsset, collateralAmount) {
    const pos = await this.one(userId, 'SELECT xphere.borrow($1, $2, $3, $4, $5)',
      [userId, poolId, amount, collateralAsset, collateralAmount]);
    return { position_id: pos };
  }

  async repay(userId, positionId, amount) {
    return { repaid: await this.one(userId, 'SELECT xphere.repay($1, $2, $3)', [userId, positionId, amount ?? null]) };
  }

  async debt(userId, positionId) {
    return { debt: await this.one(userId, 'SELECT xphere.debt($1)', [positionId]) };
  }

  // One round of a liquidator: list what is liquidatable (the backend is
  // trusted, so it sees every user's positions), then liquidate each in a
  // transaction of its own, confined to the liquidator.
  async liquidateAll(liquidatorId, poolId) {
    const ids = await this.tx(null, async (c) => (await c.query(
      'SELECT id FROM xphere.liquidatable_positions($1) ORDER BY id', [poolId ?? null])).rows.map((r) => r.id));
    const done = [];
    for (const pos of ids) {
      try {
        const r = await this.tx(liquidatorId, async (c) => (await c.query(
          'SELECT debt_repaid, collateral_seized FROM xphere.liquidate($1, $2)', [liquidatorId, pos])).rows[0]);
        done.push({ position_id: pos, debt_repaid: r.debt_repaid, collateral_seized: r.collateral_seized });
      } catch (err) { // repaid or liquidated by someone else meanwhile
        done.push({ position_id: pos, error: apiError(err).toJSON() });
      }
    }
    return { liquidations: done };
  }

  // staking -----------------------------------------------------------------
  async stake(userId, amount, tier = 'explorer') {
    return { stake_id: await this.one(userId, 'SELECT xphere.stake($1, $2, $3)', [userId, amount, tier]) };
  }

  async pendingStakingRewards(userId, stakeId) {
    return { pending: await this.one(userId, 'SELECT xphere.pending_staking_rewards($1)', [stakeId]) };
  }

  // proof of liabilities ----------------------------------------------------
  // operator: snapshot what the platform owes every user, one Merkle sum tree
  // per currency; the roots, totals and leaf counts to publish
  async snapshot() {
    const rows = await this.tx(null, async (c) => (await c.query(
      'SELECT snapshot_id::integer AS snapshot_id, currency::text AS currency, root, total::text AS total, leaf_count'
      + ' FROM xphere.take_liability_snapshot()')).rows, this.adminPool());
    return { snapshot: rows };
  }

  // the user's inclusion proof in the latest snapshot, with that snapshot's
  // root record, read in one statement: the pair verify_liability_proof.js
  // --batch checks (users should also compare the root with the published one)
  async liabilityProof(userId, currency, ofUser) {
    return this.tx(userId, async (c) => (await c.query(
      'SELECT xphere.liability_proof($1, $2) AS proof, xphere.liability_root($3) AS root',
      [ofUser || userId, currency, currency])).rows[0]);
  }
}

module.exports = { Backend, ApiError, HTTP_STATUS, apiError };

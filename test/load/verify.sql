--
-- test/load/verify.sql - what the replay logs say against the database:
-- one line per acknowledged call whose effect is missing, nothing when
-- every one is there.  Run after the logs were copied into load_acks
-- (test/load/lib.sh, load_verify).
--
-- An acknowledged call is a line of a replay log: the pgbench client
-- wrote it with \shell after the server acknowledged the commit of its
-- statement.  For every line:
--   - its top-level transaction is committed (pg_xact_status; try() makes
--     every call write, so that its commit is durable once acknowledged);
-- for every call that succeeded ('ok', with the xid of the subtransaction
-- try() ran it in, which its rows carry as xmin):
--   - the ledger entries it wrote are there, as many as the call writes
--     (transactions rows with that xmin; WITHDRAWAL rows excepted, their
--     status changes later); a call applied twice would show more;
--   - a distribution (distribute_mining_rewards, tick) has one
--     mining_rewards row per machine it said it paid;
--   - the rows it returned the id of exist (entries, machines, loans,
--     stakes, users), the state it set is there when no later call can
--     undo it (a completed or failed withdrawal, an unstaked or withdrawn
--     stake), the refresh token it returned exists, the tokens it revoked
--     and the price it set carry its xid.
-- Calls that ended with an expected business error changed nothing and
-- are only checked for their commit.
--
SET search_path = public, xphere;
WITH ok AS (
	SELECT a.*, a.sub::bigint AS subx, a.val ~ '^[0-9]+$' AS val_int
	FROM load_acks a WHERE a.outcome = 'ok'
), subs AS (
	SELECT DISTINCT subx FROM ok
), entries AS (
	SELECT t.xmin::text::bigint AS subx, count(*) AS n
	FROM xphere.transactions t
	WHERE t.type <> 'WITHDRAWAL' AND t.xmin::text::bigint IN (SELECT subx FROM subs)
	GROUP BY 1
), rewards AS (
	SELECT r.xmin::text::bigint AS subx, count(*) AS n
	FROM xphere.mining_rewards r WHERE r.xmin::text::bigint IN (SELECT subx FROM subs)
	GROUP BY 1
), tokens AS (
	SELECT t.xmin::text::bigint AS subx, count(*) AS n
	FROM xphere.refresh_tokens t WHERE t.xmin::text::bigint IN (SELECT subx FROM subs)
	GROUP BY 1
), prices AS (
	SELECT p.xmin::text::bigint AS subx, count(*) AS n, min(p.price_usdt::text) AS price
	FROM xphere.prices p WHERE p.xmin::text::bigint IN (SELECT subx FROM subs)
	GROUP BY 1
), want(kind, lo, hi) AS (VALUES
	-- ledger entries (transactions rows) one successful call writes
	('deposit', 1, 1), ('transfer', 2, 2),
	('swap', 2, 3),					-- a third, the house's FEE entry, when the fee is a wei or more
	('purchase_machine', 1, 1),
	('supply', 1, 1), ('withdraw_supply', 1, 1), ('borrow', 2, 2),
	('repay', 1, 2),				-- a second one when the collateral is released
	('add_collateral', 1, 1), ('remove_collateral', 1, 1),
	('liquidate', 3, 3), ('stake', 1, 1),
	('withdraw_stake', 1, 2)		-- a second one for unclaimed rewards
)
SELECT format('%s by client %s: transaction %s is %s', a.kind, a.client, a.xid, a.status)
FROM (SELECT a.*,
		-- (an xid not assigned again after a crash is "in the future": an error for pg_xact_status)
		CASE WHEN a.xid >= pg_snapshot_xmax(pg_current_snapshot()) THEN 'unknown after the restart'
			 ELSE coalesce(pg_xact_status(a.xid), 'unknown') END AS status
	  FROM load_acks a) a
WHERE a.status <> 'committed'
UNION ALL
SELECT format('%s by client %s (xid %s, returned %s): %s ledger entries with its xmin %s, want %s',
			  o.kind, o.client, o.xid, o.val, coalesce(e.n, 0), o.subx,
			  CASE WHEN w.lo = w.hi THEN w.lo::text ELSE w.lo || '..' || w.hi END)
FROM ok o
JOIN (SELECT * FROM want
	  UNION ALL SELECT 'claim_staking_rewards', 0, 1
	  UNION ALL SELECT 'distribute_mining_rewards', 0, 1000000
	  UNION ALL SELECT 'tick', 0, 1000000) w USING (kind)
LEFT JOIN entries e USING (subx)
WHERE coalesce(e.n, 0) NOT BETWEEN w.lo AND w.hi
   -- a claim of something wrote one entry, of nothing none
   OR (o.kind = 'claim_staking_rewards' AND coalesce(e.n, 0) <> CASE WHEN o.val::numeric > 0 THEN 1 ELSE 0 END)
   -- a distribution that paid machines wrote the users' entries and the house's
   OR (o.kind IN ('distribute_mining_rewards', 'tick') AND o.val_int AND o.val::bigint > 0
	   AND coalesce(e.n, 0) < 2)
UNION ALL
SELECT format('%s by client %s (xid %s): paid %s machines, %s mining_rewards rows with its xmin %s',
			  o.kind, o.client, o.xid, o.val, coalesce(r.n, 0), o.subx)
FROM ok o LEFT JOIN rewards r USING (subx)
WHERE o.kind IN ('distribute_mining_rewards', 'tick') AND o.val_int
  AND coalesce(r.n, 0) <> o.val::bigint
UNION ALL
SELECT format('%s by client %s (xid %s): %s %s is missing or wrong', o.kind, o.client, o.xid,
			  CASE WHEN o.kind IN ('deposit', 'request_withdrawal', 'transfer', 'complete_withdrawal',
								   'fail_withdrawal') THEN 'ledger entry'
				   WHEN o.kind IN ('purchase_machine', 'set_machine_status') THEN 'machine'
				   WHEN o.kind = 'borrow' THEN 'borrow position'
				   WHEN o.kind = 'register_user' THEN 'user'
				   ELSE 'staking position' END, o.val)
FROM ok o
WHERE CASE o.kind
	WHEN 'deposit' THEN NOT EXISTS (SELECT 1 FROM xphere.transactions t
		WHERE t.id = o.val::uuid AND t.type = 'DEPOSIT' AND t.xmin::text::bigint = o.subx)
	WHEN 'transfer' THEN NOT EXISTS (SELECT 1 FROM xphere.transactions t
		WHERE t.id = o.val::uuid AND t.type = 'TRANSFER' AND t.xmin::text::bigint = o.subx)
	WHEN 'request_withdrawal' THEN NOT EXISTS (SELECT 1 FROM xphere.transactions t
		WHERE t.id = o.val::uuid AND t.type = 'WITHDRAWAL')
	WHEN 'complete_withdrawal' THEN NOT EXISTS (SELECT 1 FROM xphere.transactions t
		WHERE t.id = o.val::uuid AND t.status = 'COMPLETED' AND t.xmin::text::bigint = o.subx)
	WHEN 'fail_withdrawal' THEN NOT EXISTS (SELECT 1 FROM xphere.transactions t
		WHERE t.id = o.val::uuid AND t.status = 'FAILED' AND t.xmin::text::bigint = o.subx)
	WHEN 'purchase_machine' THEN NOT EXISTS (SELECT 1 FROM xphere.user_machines m WHERE m.id = o.val::uuid)
	WHEN 'set_machine_status' THEN NOT EXISTS (SELECT 1 FROM xphere.user_machines m WHERE m.id = o.val::uuid)
	WHEN 'borrow' THEN NOT EXISTS (SELECT 1 FROM xphere.borrow_positions b WHERE b.id = o.val::uuid)
	WHEN 'stake' THEN NOT EXISTS (SELECT 1 FROM xphere.staking_positions s WHERE s.id = o.val::uuid)
	WHEN 'unstake' THEN NOT EXISTS (SELECT 1 FROM xphere.staking_positions s
		WHERE s.id = o.val::uuid AND s.status IN ('UNBONDING', 'WITHDRAWN'))
	WHEN 'withdraw_stake' THEN NOT EXISTS (SELECT 1 FROM xphere.staking_positions s
		WHERE s.id = o.val::uuid AND s.status = 'WITHDRAWN')
	WHEN 'register_user' THEN NOT EXISTS (SELECT 1 FROM xphere.users u WHERE u.id = o.val::uuid)
	ELSE false END
UNION ALL
SELECT format('%s by client %s (xid %s): the token it returned is not stored', o.kind, o.client, o.xid)
FROM ok o
WHERE o.kind IN ('issue_refresh_token', 'rotate_refresh_token') AND o.val <> 'null'
  AND NOT EXISTS (SELECT 1 FROM xphere.refresh_tokens t WHERE t.token_hash = xphere_internal.token_digest(o.val))
UNION ALL
SELECT format('%s by client %s (xid %s): revoked %s tokens, %s carry its xmin %s', o.kind, o.client,
			  o.xid, o.val, coalesce(t.n, 0), o.subx)
FROM ok o LEFT JOIN tokens t USING (subx)
WHERE o.kind = 'revoke_refresh_tokens' AND coalesce(t.n, 0) <> o.val::bigint
UNION ALL
SELECT format('%s by client %s (xid %s): price %s, %s price rows with its xmin %s (%s)', o.kind,
			  o.client, o.xid, o.val, coalesce(p.n, 0), o.subx, p.price)
FROM ok o LEFT JOIN prices p USING (subx)
WHERE o.kind = 'set_price' AND (coalesce(p.n, 0) <> 1 OR p.price::numeric <> o.val::numeric);

/*
 * check_invariants(): every rule that keeps the money consistent, checked
 * against the stored rows.  No rows means healthy.  It reads everything,
 * so it is for tests, audits and after-crash checks, not for every call.
 */
CREATE FUNCTION check_invariants() RETURNS TABLE (invariant text, detail text)
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp
BEGIN ATOMIC
	-- each account equals the sum of its history, and its last after-values
	SELECT 'account equals its history',
		pg_catalog.format('%s %s: available %s, locked %s; history sums to %s, %s',
			a.user_id, a.currency, a.available, a.locked,
			coalesce(h.avail, 0), coalesce(h.lock, 0))
	FROM xphere.accounts a
	LEFT JOIN (SELECT user_id, currency, sum(available_change) AS avail,
					  sum(locked_change) AS lock
			   FROM xphere.balance_history GROUP BY user_id, currency) h
		USING (user_id, currency)
	WHERE a.available <> coalesce(h.avail, 0) OR a.locked <> coalesce(h.lock, 0)
	UNION ALL
	-- history rows chain: each before equals the previous after
	SELECT 'history rows chain',
		pg_catalog.format('%s %s: row %s starts at %s/%s, the previous one ended at %s/%s',
			user_id, currency, id, available_before, locked_before, prev_avail, prev_lock)
	FROM (SELECT h.*, lag(available_after) OVER w AS prev_avail,
				 lag(locked_after) OVER w AS prev_lock
		  FROM xphere.balance_history h
		  WINDOW w AS (PARTITION BY user_id, currency ORDER BY id)) c
	WHERE (prev_avail IS NULL AND (available_before <> 0 OR locked_before <> 0))
	   OR (prev_avail IS NOT NULL AND (available_before <> prev_avail OR locked_before <> prev_lock))
	UNION ALL
	-- nobody but the house is below zero
	SELECT 'no negative balance',
		pg_catalog.format('%s %s: available %s, locked %s', user_id, currency, available, locked)
	FROM xphere.accounts
	WHERE (available < 0 AND NOT allow_negative) OR locked < 0
	UNION ALL
	SELECT 'only house accounts may go negative',
		pg_catalog.format('%s %s allows a negative balance', user_id, currency)
	FROM xphere.accounts WHERE allow_negative AND user_id <> xphere_internal.house_id()
	UNION ALL
	-- locked funds are exactly pending withdrawals plus collateral
	SELECT 'locked equals pending withdrawals and collateral',
		pg_catalog.format('%s %s: locked %s, pending withdrawals %s, collateral %s',
			a.user_id, a.currency, a.locked, coalesce(w.total, 0), coalesce(c.total, 0))
	FROM xphere.accounts a
	LEFT JOIN (SELECT user_id, currency, sum(amount + fee) AS total
			   FROM xphere.transactions
			   WHERE type = 'WITHDRAWAL' AND status = 'PENDING'
			   GROUP BY user_id, currency) w USING (user_id, currency)
	LEFT JOIN (SELECT user_id, collateral_asset AS currency, sum(collateral_amount) AS total
			   FROM xphere.borrow_positions WHERE status = 'OPEN'
			   GROUP BY user_id, collateral_asset) c USING (user_id, currency)
	WHERE a.locked <> coalesce(w.total, 0) + coalesce(c.total, 0)
	UNION ALL
	-- per currency, all accounts together hold deposits minus withdrawals
	SELECT 'money is conserved',
		pg_catalog.format('%s: accounts hold %s, completed deposits minus withdrawals are %s',
			cur, coalesce(held, 0), coalesce(dep, 0) - coalesce(wd, 0))
	FROM (SELECT c AS cur,
				 (SELECT sum(available + locked) FROM xphere.accounts WHERE currency = c) AS held,
				 (SELECT sum(amount) FROM xphere.transactions
				  WHERE currency = c AND type = 'DEPOSIT' AND status = 'COMPLETED') AS dep,
				 (SELECT sum(amount) FROM xphere.transactions
				  WHERE currency = c AND type = 'WITHDRAWAL' AND status = 'COMPLETED') AS wd
		  FROM unnest(enum_range(NULL::xphere.currency)) AS c) m
	WHERE coalesce(held, 0) <> coalesce(dep, 0) - coalesce(wd, 0)
	UNION ALL
	-- every history row belongs to an entry of the same currency
	SELECT 'history matches its ledger entry',
		pg_catalog.format('history row %s (%s) refers to %s entry %s', h.id, h.currency, t.currency, t.id)
	FROM xphere.balance_history h JOIN xphere.transactions t ON t.id = h.transaction_id
	WHERE t.currency <> h.currency
	UNION ALL
	-- a machine was paid exactly its reward rows, and never more than it earned
	SELECT 'machine paid equals its rewards',
		pg_catalog.format('machine %s: paid %s, reward rows sum to %s', m.id, m.paid_xp, coalesce(r.total, 0))
	FROM xphere.user_machines m
	LEFT JOIN (SELECT machine_id, sum(amount) AS total FROM xphere.mining_rewards
			   GROUP BY machine_id) r ON r.machine_id = m.id
	WHERE m.paid_xp <> coalesce(r.total, 0)
	   OR m.paid_xp > xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before,
										   m.online_since, greatest(xphere.now(), m.status_changed_at))
	UNION ALL
	-- reward entries credit exactly their reward rows
	SELECT 'reward entry equals its rows',
		pg_catalog.format('entry %s: %s, rows sum to %s', t.id, t.amount, r.total)
	FROM xphere.transactions t
	JOIN (SELECT distribution_tx, sum(amount) AS total FROM xphere.mining_rewards
		  GROUP BY distribution_tx) r ON r.distribution_tx = t.id
	WHERE t.amount <> r.total
	UNION ALL
	-- a pool's cash is its account's balance
	SELECT 'pool cash equals its account',
		pg_catalog.format('pool %s: cash %s, account %s', p.id, p.cash, coalesce(a.available, 0))
	FROM xphere.lending_pools p
	LEFT JOIN xphere.accounts a ON a.user_id = p.account_id AND a.currency = p.asset
	WHERE p.cash <> coalesce(a.available, 0) OR coalesce(a.locked, 0) <> 0
	UNION ALL
	-- a pool's scaled totals are the sums of its positions
	SELECT 'pool totals equal its positions',
		pg_catalog.format('pool %s: scaled supplied %s (positions %s), scaled borrowed %s (positions %s)',
			p.id, p.scaled_supplied, coalesce(s.total, 0), p.scaled_borrowed, coalesce(b.total, 0))
	FROM xphere.lending_pools p
	LEFT JOIN (SELECT pool_id, sum(scaled_amount) AS total FROM xphere.supply_positions
			   GROUP BY pool_id) s ON s.pool_id = p.id
	LEFT JOIN (SELECT pool_id, sum(scaled_debt) AS total FROM xphere.borrow_positions
			   WHERE status = 'OPEN' GROUP BY pool_id) b ON b.pool_id = p.id
	WHERE p.scaled_supplied <> coalesce(s.total, 0) OR p.scaled_borrowed <> coalesce(b.total, 0)
	UNION ALL
	-- what the pool has and is owed (plus the written-off deficit) covers what it owes
	SELECT 'pool covers its suppliers',
		pg_catalog.format('pool %s: cash %s + debt %s + deficit %s < supplied %s + treasury %s', p.id, p.cash,
			xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index), p.deficit,
			xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index),
			xphere.ray_mul_floor(p.treasury_scaled, p.liquidity_index))
	FROM xphere.lending_pools p
	WHERE p.cash + xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index) + p.deficit
		< xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index)
		  + xphere.ray_mul_floor(p.treasury_scaled, p.liquidity_index)
	UNION ALL
	-- indexes start at 1 and only grow
	SELECT 'pool indexes never decrease',
		pg_catalog.format('pool %s: liquidity index %s, borrow index %s', p.id, p.liquidity_index, p.borrow_index)
	FROM xphere.lending_pools p
	WHERE p.liquidity_index < '1' OR p.borrow_index < '1' OR p.cash < 0 OR p.deficit < 0
		OR p.treasury_scaled < 0
	UNION ALL
	-- a staking tier's total is its live positions, held in its account
	SELECT 'staking tier total equals its positions and account',
		pg_catalog.format('tier %s: total_staked %s, active and unbonding positions %s, account %s/%s', p.id,
			p.total_staked, coalesce(s.total, 0), coalesce(a.available, 0), coalesce(a.locked, 0))
	FROM xphere.staking_pools p
	LEFT JOIN (SELECT staking_pool, sum(amount) AS total FROM xphere.staking_positions
			   WHERE status IN ('ACTIVE', 'UNBONDING') GROUP BY staking_pool) s ON s.staking_pool = p.id
	LEFT JOIN xphere.accounts a ON a.user_id = xphere_internal.staking_account(p.id) AND a.currency = 'XP'
	WHERE p.total_staked <> coalesce(s.total, 0) OR p.total_staked <> coalesce(a.available, 0)
		OR coalesce(a.locked, 0) <> 0
	UNION ALL
	-- a stake is never paid more than it earned; a withdrawn one was paid all of it
	SELECT 'staking rewards claimed within earned',
		pg_catalog.format('position %s (%s): claimed %s, accumulated %s, earned %s', s.id, s.status,
			s.claimed_rewards, s.accumulated_rewards,
			xphere_internal.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at)))
	FROM xphere.staking_positions s JOIN xphere.staking_pools p ON p.id = s.staking_pool
	WHERE s.claimed_rewards < 0
		OR s.claimed_rewards > xphere_internal.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at))
		OR (s.status = 'WITHDRAWN' AND s.claimed_rewards <> s.accumulated_rewards)
	UNION ALL
	-- the house paid exactly the claimed staking rewards
	SELECT 'staking reward entries equal claims',
		pg_catalog.format('STAKING_REWARD entries sum to %s, positions claimed %s', coalesce(t.total, 0),
			coalesce(c.total, 0))
	FROM (SELECT sum(amount) AS total FROM xphere.transactions WHERE type = 'STAKING_REWARD') t,
		 (SELECT sum(claimed_rewards) AS total FROM xphere.staking_positions) c
	WHERE coalesce(t.total, 0) <> coalesce(c.total, 0)
	UNION ALL
	-- a FEE entry books the fee of its source entry, credited to the house
	SELECT 'fee entry books its source''s fee',
		pg_catalog.format('FEE entry %s: %s %s; source %s charged %s %s; house credited %s', f.id, f.amount,
			f.currency, s.id, s.fee, s.currency, h.change)
	FROM xphere.transactions f
	LEFT JOIN xphere.transactions s ON s.id = (f.metadata ->> 'transaction_id')::uuid
	LEFT JOIN (SELECT transaction_id, sum(available_change) AS change FROM xphere.balance_history
			   WHERE user_id = xphere_internal.house_id() GROUP BY transaction_id) h ON h.transaction_id = f.id
	WHERE f.type = 'FEE'
	  AND (f.user_id <> xphere_internal.house_id() OR s.id IS NULL OR s.fee <> f.amount
		   OR s.currency <> f.currency OR s.status <> 'COMPLETED' OR h.change IS DISTINCT FROM f.amount)
	UNION ALL
	-- since FEE entries exist, every fee charged has one (0.1.0 booked fees on the source entry)
	SELECT 'fee charged has its FEE entry',
		pg_catalog.format('%s entry %s charged %s %s without a FEE entry', s.type, s.id, s.fee, s.currency)
	FROM xphere.transactions s
	WHERE s.status = 'COMPLETED' AND s.fee > 0
	  AND s.created_at >= (SELECT min(f.created_at) FROM xphere.transactions f WHERE f.type = 'FEE')
	  AND NOT EXISTS (SELECT 1 FROM xphere.transactions f
					  WHERE f.type = 'FEE' AND f.metadata ->> 'transaction_id' = s.id::text);
END;
COMMENT ON FUNCTION check_invariants() IS 'every violated money invariant, one row each; no rows means healthy';

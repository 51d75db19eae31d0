--
-- test/load/accrual.sql - nothing accrued or was distributed twice, the
-- periodic state is sane: one line per violation, nothing when healthy.
-- Then it records the state it checked (load_state), so that the next run
-- can tell that nothing went backwards (test/scripts/crash.sh runs it after every
-- restart).  check_invariants() is checked separately; this adds:
--   - no machine has two mining_rewards rows for one distribution time;
--   - a machine's latest reward row is at its paid_at and is its
--     last_reward; a machine whose status did not change since it was
--     last paid was paid exactly machine_earned(paid_at): not a wei more
--     (a distribution applied twice) nor less;
--   - per distribution time, the house paid exactly the reward rows;
--   - a staking tier's reward index is exactly apy x (time since the tier
--     began) at index_updated_at: checkpoints never add a step twice;
--   - pools: stored totals are their scaled totals at the stored indexes,
--     last_update is not in the future;
--   - job_state: the last tick and distribution are not in the future,
--     a distribution round started after the last one;
--   - against the previous run: ticks, pool indexes and last_update,
--     staking indexes and their times never decrease (a committed accrual
--     lost or undone).
--
SET client_min_messages = warning;
SET search_path = public, xphere;
CREATE TABLE IF NOT EXISTS load_state (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	taken_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	ticks		bigint NOT NULL,
	pools		jsonb NOT NULL,
	staking		jsonb NOT NULL
);

WITH prev AS (
	SELECT * FROM load_state ORDER BY id DESC LIMIT 1
)
SELECT format('machine %s paid %s times at %s', r.machine_id, count(*), r.calculated_at)
FROM xphere.mining_rewards r GROUP BY r.machine_id, r.calculated_at HAVING count(*) > 1
UNION ALL
SELECT format('machine %s: paid_at %s, last_reward %s, latest reward row %s at %s',
			  m.id, m.paid_at, m.last_reward, l.amount, l.calculated_at)
FROM xphere.user_machines m
LEFT JOIN (SELECT DISTINCT ON (r.machine_id) r.machine_id, r.amount, r.calculated_at
		   FROM xphere.mining_rewards r ORDER BY r.machine_id, r.calculated_at DESC) l
	ON l.machine_id = m.id
WHERE m.paid_at IS DISTINCT FROM l.calculated_at
   OR (l.machine_id IS NOT NULL AND m.last_reward <> l.amount)
UNION ALL
SELECT format('machine %s: paid %s, earned %s by its paid_at %s', m.id, m.paid_xp,
			  xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, m.paid_at),
			  m.paid_at)
FROM xphere.user_machines m
WHERE m.paid_at IS NOT NULL AND m.status_changed_at <= m.paid_at
  AND m.paid_xp <> xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, m.paid_at)
UNION ALL
SELECT format('distribution at %s: the house paid %s, reward rows sum to %s', at, h.total, r.total)
FROM (SELECT (t.metadata->>'calculated_at')::timestamptz AS at, sum(t.amount) AS total
	  FROM xphere.transactions t
	  WHERE t.type = 'MINING_REWARD' AND t.user_id = xphere_internal.house_id() GROUP BY 1) h
FULL JOIN (SELECT r.calculated_at AS at, sum(r.amount) AS total
		   FROM xphere.mining_rewards r GROUP BY 1) r USING (at)
WHERE h.total IS DISTINCT FROM r.total
UNION ALL
SELECT format('staking tier %s: reward index %s at %s, apy x time since %s is %s', p.id,
			  p.reward_index, p.index_updated_at, p.created_at,
			  xphere.prorate_floor(p.apy, xphere_internal.micros_between(p.created_at, p.index_updated_at),
								   31536000000000))
FROM xphere.staking_pools p
WHERE p.reward_index <> xphere.prorate_floor(p.apy,
		xphere_internal.micros_between(p.created_at, p.index_updated_at), 31536000000000)
   OR p.index_updated_at > clock_timestamp()
UNION ALL
SELECT format('pool %s: total_supplied %s, total_borrowed %s at indexes %s, %s (scaled %s, %s); last_update %s',
			  p.id, p.total_supplied, p.total_borrowed, p.liquidity_index, p.borrow_index,
			  p.scaled_supplied, p.scaled_borrowed, p.last_update)
FROM xphere.lending_pools p
WHERE p.total_supplied <> xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index)
   OR p.total_borrowed <> xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index)
   OR p.last_update > clock_timestamp()
UNION ALL
SELECT format('job_state: last tick %s, last distribution %s, round started %s, now %s',
			  j.last_tick_at, j.last_distribution_at, j.distribution_round_start, clock_timestamp())
FROM xphere.job_state j
WHERE j.last_tick_at > clock_timestamp() OR j.last_distribution_at > j.last_tick_at
   OR j.distribution_round_start < j.last_distribution_at
   OR j.distribution_round_start > j.last_tick_at
UNION ALL
SELECT format('job_state: ticks %s, %s at the previous check', j.ticks, prev.ticks)
FROM xphere.job_state j, prev WHERE j.ticks < prev.ticks
UNION ALL
SELECT format('pool %s went backwards: now %s, at the previous check %s', p.id,
			  jsonb_build_object('liquidity_index', p.liquidity_index::text, 'borrow_index',
								 p.borrow_index::text, 'last_update', p.last_update),
			  prev.pools -> p.id)
FROM xphere.lending_pools p, prev
WHERE prev.pools ? p.id
  AND (p.liquidity_index < (prev.pools -> p.id ->> 'liquidity_index')::xphere.ray
	   OR p.borrow_index < (prev.pools -> p.id ->> 'borrow_index')::xphere.ray
	   OR p.last_update < (prev.pools -> p.id ->> 'last_update')::timestamptz)
UNION ALL
SELECT format('staking tier %s went backwards: index %s at %s, at the previous check %s', p.id,
			  p.reward_index, p.index_updated_at, prev.staking -> p.id)
FROM xphere.staking_pools p, prev
WHERE prev.staking ? p.id
  AND (p.reward_index < (prev.staking -> p.id ->> 'reward_index')::xphere.ray
	   OR p.index_updated_at < (prev.staking -> p.id ->> 'index_updated_at')::timestamptz);

INSERT INTO load_state (ticks, pools, staking)
SELECT (SELECT ticks FROM xphere.job_state),
	(SELECT jsonb_object_agg(p.id, jsonb_build_object('liquidity_index', p.liquidity_index::text,
		'borrow_index', p.borrow_index::text, 'last_update', p.last_update))
	 FROM xphere.lending_pools p),
	(SELECT jsonb_object_agg(p.id, jsonb_build_object('reward_index', p.reward_index::text,
		'index_updated_at', p.index_updated_at))
	 FROM xphere.staking_pools p);

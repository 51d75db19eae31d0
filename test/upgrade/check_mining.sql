-- test/upgrade/check_mining.sql: what ALTER EXTENSION xphere UPDATE put
-- into the columns it adds to user_machines, mining_rewards,
-- staking_pools and staking_positions of test/scripts/upgrade.sh's database A
-- (run there at the update's clock, 2027-01-03 00:00 UTC).  Each line
-- says what it ensures.
\pset format unaligned
\pset tuples_only true

SELECT CASE WHEN count(*) = 3 AND count(tx_hash) = 0 THEN 'ok - ' ELSE 'not ok - ' END
	|| 'user_machines.tx_hash: the three machines bought under 0.1.0 were paid from the balance (NULL)'
FROM xphere.user_machines;

SELECT CASE WHEN count(*) > 0 AND bool_and(created_at = calculated_at) THEN 'ok - ' ELSE 'not ok - ' END
	|| 'mining_rewards.created_at: each 0.1.0 row was written when it was paid, at its calculated_at'
FROM xphere.mining_rewards;

SELECT CASE WHEN count(*) > 0 AND bool_and(distributed) AND count(distribution_tx) = count(*)
	THEN 'ok - ' ELSE 'not ok - ' END
	|| 'mining_rewards: every 0.1.0 row is distributed and names its distribution_tx'
FROM xphere.mining_rewards;

SELECT CASE WHEN count(*) > 0 AND bool_and(t.type = 'MINING_REWARD' AND t.user_id = r.user_id
		AND t.amount = r.total AND t.created_at = r.calculated_at) THEN 'ok - ' ELSE 'not ok - ' END
	|| 'mining_rewards.distribution_tx: the MINING_REWARD entry of the row''s user, of the rows'' sum, at their time'
FROM (SELECT distribution_tx, user_id, calculated_at, sum(amount) AS total
	  FROM xphere.mining_rewards GROUP BY 1, 2, 3) r
LEFT JOIN xphere.transactions t ON t.id = r.distribution_tx;

SELECT CASE WHEN string_agg(format('%s|%s|%s', id, description, benefits), ';' ORDER BY min_stake)
	= 'explorer|Basic staking for early adopters|["priority_support"];'
	  'pathfinder|Committed stakers with premium access|["premium_features", "2x_vote_weight"];'
	  'founder|Founding members with maximum benefits|["all_features", "3x_vote_weight", "founder_badge"]'
	THEN 'ok - ' ELSE 'not ok - ' END
	|| 'staking_pools: description and benefits of the three tiers as the VIBEUP schema (004) gives them'
FROM xphere.staking_pools;

-- test/scripts/upgrade.sh staked at 2027-01-01: s1-s3 in explorer (no lock), s4 in pathfinder (30 days)
SELECT CASE WHEN count(*) = 4 AND bool_and(locked_until = timestamptz '2027-01-01 00:00:00+00'
		+ CASE staking_pool WHEN 'explorer' THEN interval '0' WHEN 'pathfinder' THEN interval '30 days' END)
	THEN 'ok - ' ELSE 'not ok - ' END
	|| 'staking_positions.locked_until: start (2027-01-01) + the tier''s lock (explorer 0, pathfinder 30 days), whatever the status'
FROM xphere.staking_positions;

SELECT CASE WHEN string_agg(format('%s:%s', status, coalesce(unlock_date::text, 'null')), ',' ORDER BY status, unlock_date)
	= 'ACTIVE:null,ACTIVE:null,UNBONDING:' || (timestamptz '2027-01-03 00:00:00+00')::text
	  || ',WITHDRAWN:' || (timestamptz '2027-01-03 00:00:00+00')::text
	THEN 'ok - ' ELSE 'not ok - ' END
	|| 'staking_positions.unlock_date: NULL for the two ACTIVE stakes; unstaked at 2027-01-02 with 1 day of unbonding: 2027-01-03'
FROM xphere.staking_positions;

-- after the update the stakes work by the new columns (rolled back)
BEGIN;
CREATE TEMP TABLE unstaked ON COMMIT DROP AS
SELECT s.id, xphere.unstake(s.user_id, s.id) AS returned
FROM xphere.staking_positions s WHERE s.status = 'ACTIVE' AND s.staking_pool = 'explorer';
SELECT CASE WHEN count(*) = 1 AND bool_and(u.returned = timestamptz '2027-01-04 00:00:00+00'
		AND s.status = 'UNBONDING' AND s.unlock_date = timestamptz '2027-01-04 00:00:00+00')
	THEN 'ok - ' ELSE 'not ok - ' END
	|| 'the ACTIVE explorer stake of 0.1.0 unstakes after the update; unlock_date = now + 1 day of unbonding'
FROM unstaked u JOIN xphere.staking_positions s ON s.id = u.id;
SELECT CASE WHEN count(*) = 1 THEN 'ok - ' ELSE 'not ok - ' END
	|| 'the pathfinder stake of 0.1.0 is still locked after the update (XP006 until 2027-01-31)'
FROM (SELECT 1) x
WHERE EXISTS (SELECT 1 FROM xphere.staking_positions s
			  WHERE s.status = 'ACTIVE' AND s.staking_pool = 'pathfinder' AND s.locked_until > xphere.now());
ROLLBACK;

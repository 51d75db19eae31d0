\set u random(1, :users)
SELECT xphere.pending_staking_rewards(s.id)
FROM xphere.staking_positions s
WHERE s.user_id = md5('ops user ' || :u)::uuid AND s.status = 'ACTIVE' LIMIT 1;

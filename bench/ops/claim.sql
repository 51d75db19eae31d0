\set u random(1, :users)
SELECT xphere.claim_staking_rewards(s.user_id, s.id)
FROM (SELECT user_id, id FROM xphere.staking_positions
      WHERE user_id = md5('ops user ' || :u)::uuid AND status = 'ACTIVE'
      LIMIT 1 FOR UPDATE SKIP LOCKED) s;

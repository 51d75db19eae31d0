\set u random(1, :users)
SELECT xphere.pending_mining_rewards(md5('ops user ' || :u)::uuid);

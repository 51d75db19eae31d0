\set u random(1, :users)
SELECT xphere.supply(md5('ops user ' || :u)::uuid, 'lp-xp', 10);

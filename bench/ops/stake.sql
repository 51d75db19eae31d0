\set u random(1, :users)
SELECT xphere.stake(md5('ops user ' || :u)::uuid, 100);

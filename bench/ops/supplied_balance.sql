\set u random(1, :users)
SELECT xphere.supplied_balance(md5('ops user ' || :u)::uuid, 'lp-xp');

\set u random(1, :users)
SELECT xphere.withdraw_supply(md5('ops user ' || :u)::uuid, 'lp-xp', 5);

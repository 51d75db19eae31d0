\set u random(1, :users)
SELECT xphere.borrow(md5('ops user ' || :u)::uuid, 'lp-xp', 10, 'USDT', 20);

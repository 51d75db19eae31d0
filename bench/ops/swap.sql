\set u random(1, :users)
SELECT xphere.swap(md5('ops user ' || :u)::uuid, 'USDT', 10);

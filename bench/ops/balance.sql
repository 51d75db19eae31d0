\set u random(1, :users)
SELECT xphere.balance(md5('ops user ' || :u)::uuid, 'XP');

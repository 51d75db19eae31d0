\set u random(1, :users)
\set v random(1, :users)
SELECT xphere.transfer(md5('ops user ' || :u)::uuid, md5('ops user ' || :v)::uuid, 'XP', 1)
WHERE :u <> :v;

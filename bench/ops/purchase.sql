\set u random(1, :users)
SELECT xphere.purchase_machine(md5('ops user ' || :u)::uuid, 'p1');

\set u random(1, :users)
SELECT xphere.position_health(b.id), xphere.debt(b.id)
FROM xphere.borrow_positions b
WHERE b.user_id = md5('ops user ' || :u)::uuid AND b.status = 'OPEN' LIMIT 1;

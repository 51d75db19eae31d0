\set u random(1, :users)
SELECT xphere.repay(b.user_id, b.id)
FROM (SELECT user_id, id FROM xphere.borrow_positions
      WHERE user_id = md5('ops user ' || :u)::uuid AND status = 'OPEN'
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) b;

\set u random(1, :users)
SELECT xphere.request_withdrawal(md5('ops user ' || :u)::uuid, 'XP', 1,
	'0x' || repeat('ab', 20));

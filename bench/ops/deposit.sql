\set u random(1, :users)
\set h random(1, 9000000000000000)
SELECT xphere.deposit(md5('ops user ' || :u)::uuid, 'USDT', 100, '0x' || encode(sha256(convert_to('bench-' || :client_id || '-' || :h, 'UTF8')), 'hex'));

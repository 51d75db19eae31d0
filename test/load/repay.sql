-- load mix: repay (see setup.sql, load_repay); one line to the replay log :acklog once acknowledged
\set u random_zipfian(1, :users, 1.1)
\set v random_zipfian(1, :users, 1.1)
\set r random(1, 1000000)
SELECT load_repay(:u, :v, :r) AS res, pg_current_xact_id() AS xid \gset ack_
\shell echo :client_id repay :ack_res :ack_xid >> :acklog

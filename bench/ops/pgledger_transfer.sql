-- pgledger's transfer between two random accounts, the counterpart of
-- transfer.sql (same draw, same amount; the amount is an untyped literal,
-- as pgledger's amount has been money and numeric in its versions)
\set u random(1, :accounts)
\set v random(1, :accounts)
SELECT count(*)
FROM pgledger_create_transfer((SELECT id FROM bench_pgledger_accounts WHERE n = :u),
	(SELECT id FROM bench_pgledger_accounts WHERE n = :v), '1')
WHERE :u <> :v;

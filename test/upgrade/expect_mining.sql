-- test/upgrade/expect_mining.sql: what ALTER EXTENSION xphere UPDATE makes
-- of the 0.1.0 columns of machine_plans and staking_positions (see
-- test/scripts/upgrade.sh).  Each expr is over the 0.1.0 row, from the rules of
-- 0.2.0:
--   * a seeded plan (p1-p4) that no administrator changed (no update_plan
--     row for it in audit_log) takes the values of the ERD's section 3.1,
--     and updated_at becomes the time of the update (test/scripts/upgrade.sh
--     updates at 2027-01-03 00:00 UTC); a plan an administrator changed
--     keeps every value it was given;
--   * hashrate, text in 0.1.0 ('10 TH/s'), becomes the integer number of
--     TH/s (for those plans that keep their values);
--   * staking_positions.unlock_date is NULL while ACTIVE and keeps the end
--     of unbonding otherwise.
-- A seeded plan no administrator changed:
--   id IN ('p1', 'p2', 'p3', 'p4') AND NOT EXISTS (SELECT 1 FROM xphere.audit_log a
--       WHERE a.action = 'update_plan' AND a.object_id = machine_plans.id)

INSERT INTO upgrade_expect (tbl, col, expr)
SELECT 'machine_plans', c.col, format($f$CASE WHEN id IN ('p1', 'p2', 'p3', 'p4') AND NOT EXISTS (
		SELECT 1 FROM xphere.audit_log a WHERE a.action = 'update_plan' AND a.object_id = machine_plans.id)
	THEN (CASE id %s END)::text ELSE %s END$f$, c.erd, c.kept)
FROM (VALUES
	('name', $$WHEN 'p1' THEN 'Starter Node' WHEN 'p2' THEN 'Standard Node'
		WHEN 'p3' THEN 'Pro Cluster' WHEN 'p4' THEN 'Xphere Master Node'$$, 'name'),
	('machine_name', $$WHEN 'p1' THEN 'ASIC XP1 Mini' WHEN 'p2' THEN 'ASIC XP1 Standard'
		WHEN 'p3' THEN 'ASIC XP1 Cluster' WHEN 'p4' THEN 'ASIC XP1 Ultra'$$, 'machine_name'),
	('price_usdt', $$WHEN 'p1' THEN '100' WHEN 'p2' THEN '500' WHEN 'p3' THEN '2000' WHEN 'p4' THEN '5000'$$,
	 'price_usdt::text'),
	('hashrate', $$WHEN 'p1' THEN '10' WHEN 'p2' THEN '55' WHEN 'p3' THEN '230' WHEN 'p4' THEN '650'$$,
	 $$(regexp_match(hashrate, '^\s*([0-9]+)\s*TH/s\s*$', 'i'))[1]$$),
	('daily_return_xp', $$WHEN 'p1' THEN '1.2' WHEN 'p2' THEN '7.5' WHEN 'p3' THEN '32' WHEN 'p4' THEN '92.5'$$,
	 'daily_return_xp::text'),
	('description', $$WHEN 'p1' THEN 'Entry-level mining power for beginners.'
		WHEN 'p2' THEN 'Most popular plan with stable mining output.'
		WHEN 'p3' THEN 'High-capacity cluster for professional miners.'
		WHEN 'p4' THEN 'Enterprise-grade performance with maximum efficiency.'$$, 'description'),
	('image_url', $$WHEN 'p1' THEN 'https://picsum.photos/400/300?random=1'
		WHEN 'p2' THEN 'https://picsum.photos/400/300?random=2'
		WHEN 'p3' THEN 'https://picsum.photos/400/300?random=3'
		WHEN 'p4' THEN 'https://picsum.photos/400/300?random=4'$$, 'image_url'),
	('updated_at', $$WHEN 'p1' THEN timestamptz '2027-01-03 00:00:00+00' WHEN 'p2' THEN timestamptz '2027-01-03 00:00:00+00'
		WHEN 'p3' THEN timestamptz '2027-01-03 00:00:00+00' WHEN 'p4' THEN timestamptz '2027-01-03 00:00:00+00'$$,
	 'updated_at::text')
) AS c(col, erd, kept);

INSERT INTO upgrade_expect (tbl, col, expr) VALUES
	('staking_positions', 'unlock_date', $$CASE WHEN status = 'ACTIVE' THEN NULL ELSE unlock_date END$$);

--
-- demo/report.sql: the weekly report (included by month.sql): balances,
-- the lending pool, loans, stakes and the events since the last report.
--
\echo
SELECT format('=== %s: %s ===', :'title', to_char(xphere.now(), 'Dy DD Mon YYYY'));
\pset format aligned
\t off

\echo 'Balances (XP / USDT available; USDT locked = collateral; supplied and debt with interest to now)'
SELECT w.name AS "user",
	pg_temp.n(a_usdt.available) AS "USDT",
	pg_temp.n(a_usdt.locked) AS "USDT locked",
	pg_temp.n(a_xp.available) AS "XP",
	(SELECT count(*) FROM xphere.user_machines m WHERE m.user_id = w.id) AS machines,
	pg_temp.n((SELECT sum(s.amount) FROM xphere.staking_positions s
			   WHERE s.user_id = w.id AND s.status IN ('ACTIVE', 'UNBONDING'))) AS "XP staked",
	CASE WHEN w.ord < 1000 THEN pg_temp.n(nullif(xphere.supplied_balance(w.id, 'lp-xp'), 0)) END
		AS "XP supplied",
	pg_temp.n((SELECT sum(xphere.debt(b.id)) FROM xphere.borrow_positions b
			   WHERE b.user_id = w.id AND b.status = 'OPEN')) AS "XP debt"
FROM (SELECT w.ord, w.name, w.id FROM pg_temp.who w
	  UNION ALL SELECT 1000, '(the house)', xphere_internal.house_id()) w
LEFT JOIN xphere.accounts a_usdt ON a_usdt.user_id = w.id AND a_usdt.currency = 'USDT'
LEFT JOIN xphere.accounts a_xp ON a_xp.user_id = w.id AND a_xp.currency = 'XP'
ORDER BY w.ord;

\echo 'Lending pool (rates per year; treasury = reserve factor share, deficit = bad debt written off)'
SELECT p.id AS pool,
	pg_temp.n(p.cash) AS "cash XP",
	pg_temp.n(xphere.ray_mul_floor(p.scaled_supplied, p.liquidity_index)) AS "supplied XP",
	pg_temp.n(xphere.ray_mul_ceil(p.scaled_borrowed, p.borrow_index)) AS "borrowed XP",
	pg_temp.pct(xphere.utilization(p.scaled_borrowed, p.borrow_index, p.cash)::numeric * 100)
		AS utilization,
	pg_temp.pct(p.borrow_apy) AS "borrow APY",
	pg_temp.pct(p.supply_apy) AS "supply APY",
	round(p.liquidity_index::numeric, 9) AS "liquidity index",
	round(p.borrow_index::numeric, 9) AS "borrow index",
	pg_temp.n(xphere.ray_mul_floor(p.treasury_scaled, p.liquidity_index)) AS "treasury XP",
	pg_temp.n(p.deficit) AS "deficit XP"
FROM xphere_internal.pool_now('lp-xp') p;

\echo 'Loans (XP borrowed against USDT; liquidatable when the health factor is below 1)'
SELECT l.name AS borrower, b.status,
	pg_temp.n(b.borrowed_amount) AS "borrowed XP",
	pg_temp.n(CASE WHEN b.status = 'OPEN' THEN xphere.debt(b.id) END) AS "debt XP",
	pg_temp.n(b.collateral_amount) AS "collateral USDT",
	CASE WHEN b.status = 'OPEN' THEN round(xphere.position_health(b.id)::numeric, 4)::text
		 ELSE '-' END AS "health factor",
	coalesce(pg_temp.xp_at_hf1(b.id), '-') AS "XP price at HF 1"
FROM pg_temp.loans l JOIN xphere.borrow_positions b ON b.id = l.id
ORDER BY l.ord;

\echo 'Stakes'
SELECT w.name AS "user", s.staking_pool AS tier,
	pg_temp.pct(sp.apy::numeric * 100) AS apy, pg_temp.n(s.amount) AS "XP",
	s.status, pg_temp.n(xphere.pending_staking_rewards(s.id), 6) AS "pending reward XP",
	pg_temp.n(s.claimed_rewards, 6) AS "claimed XP",
	to_char(coalesce(s.unlock_date, s.locked_until), 'DD Mon') AS "unlock"
FROM xphere.staking_positions s
JOIN pg_temp.who w ON w.id = s.user_id
JOIN xphere.staking_pools sp ON sp.id = s.staking_pool
ORDER BY s.start_date, w.ord;

\echo 'Events since the last report (xphere.events; also sent with NOTIFY xphere_events)'
SELECT e.id, to_char(e.created_at, 'DD Mon HH24:MI') AS "at", e.kind,
	pg_temp.event_text(e.kind, e.payload, e.n) AS what
FROM (SELECT e.id, e.kind, e.payload, e.created_at, NULL::integer AS n FROM xphere.events e
	  WHERE e.id > :last_event AND e.kind <> 'distribution'
	  UNION ALL
	  SELECT max(e.id), 'distribution',
		  jsonb_build_object('total_xp', sum((e.payload ->> 'total_xp')::numeric)),
		  max(e.created_at), count(*)::integer
	  FROM xphere.events e WHERE e.id > :last_event AND e.kind = 'distribution'
	  HAVING count(*) > 0) e
ORDER BY e.id;
SELECT coalesce(max(id), 0) AS last_event FROM xphere.events \gset
\pset format unaligned
\t on

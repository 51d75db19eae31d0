--
-- test/pgtap/admin.sql: pgTAP tests of the administration API (API.md,
-- "Administration"): set_setting, create_plan, update_plan, set_price.
--
-- What this file ensures:
--   * set_setting: a valid value is stored, takes effect (the withdrawal
--     fee) and is audited with its old and new value; an unknown key, a
--     value that is not of the setting's kind or out of its range ('abc',
--     '-1', bps 10001, a zero or negative price_max_age) is 22023 and
--     changes nothing; boundaries (bps 0 and 10000) are accepted;
--   * create_plan: every key is stored, the plan can be bought, the audit
--     row carries the new values; a missing required key, an unknown key, an
--     invalid price ('0', '-1', 'abc', numbers too, 0.4 wei which rounds
--     to 0), an invalid return or
--     flag is 22023, an existing id 23505, and nothing changes;
--   * update_plan: only the given keys change; machines already bought keep
--     their daily_return_xp; audited with old and new values; an unknown
--     plan or invalid value is 22023;
--   * set_price: a price row with its source and time, audited; USDT or an
--     unknown asset, a price <= 0 are 22023;
--   * NULL for any required argument is 22004;
--   * check_invariants() stays empty.
--
\ir ../lib/preamble.sql
-- the wad operators live in schema xphere
SET LOCAL search_path = public, xphere;

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

-- the shared helpers (test/lib/helpers.sql): snapshot(), run(), register_users(),
-- id(), fails(), acct()
\ir ../lib/helpers.sql

SELECT plan(187);

-- ===================================================================
-- Helpers
-- ===================================================================

-- a plan as 'name|machine_name|price|hashrate|daily|description|image_url|is_active'
CREATE FUNCTION pg_temp.plan_row(p_id text) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT concat_ws('|', p.name, p.machine_name, p.price_usdt, p.hashrate, p.daily_return_xp,
					 coalesce(p.description, '<null>'), coalesce(p.image_url, '<null>'), p.is_active::text)
	FROM xphere.machine_plans p WHERE p.id = p_id
$$;

-- the latest audit row, and the number of rows
CREATE FUNCTION pg_temp.last_audit() RETURNS xphere.audit_log LANGUAGE sql STABLE AS $$
	SELECT a FROM xphere.audit_log a ORDER BY a.id DESC LIMIT 1
$$;
CREATE FUNCTION pg_temp.audits() RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT count(*) FROM xphere.audit_log
$$;

-- the full parameter set of a valid new plan, minus some keys / with some changes
CREATE FUNCTION pg_temp.plan_params(p_without text[] DEFAULT '{}', p_with jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT ('{"name": "Titan", "machine_name": "Xphere T1", "price_usdt": "250.75",
			  "hashrate": "300", "daily_return_xp": 3.25, "description": "Test machine",
			  "image_url": "https://example.com/t1.png", "is_active": true}'::jsonb - p_without) || p_with
$$;

-- ===================================================================
-- Users and money
-- ===================================================================

SELECT pg_temp.register_users(ARRAY['buyer', 'holder']);
SELECT pg_temp.run(NULL, $$SELECT xphere.deposit(pg_temp.id('buyer'), 'XP', 10, pg_temp.txh('buyer-xp'))$$,
				   'buyer deposits 10 XP');
SELECT pg_temp.run(NULL, $$SELECT xphere.deposit(pg_temp.id('buyer'), 'USDT', '250.75', pg_temp.txh('buyer-usdt'))$$,
				   'buyer deposits 250.75 USDT');
SELECT pg_temp.run(NULL, $$SELECT xphere.deposit(pg_temp.id('holder'), 'USDT', 220, pg_temp.txh('holder-usdt'))$$,
				   'holder deposits 220 USDT');
SELECT is(pg_temp.audits(), 0::bigint, 'nothing is audited before the first administrative change');

-- ===================================================================
-- set_setting
-- ===================================================================

SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('withdrawal_fee_xp', '0.25')$$,
				   'withdrawal_fee_xp is set to 0.25');
SELECT is((SELECT value::xphere.wad FROM xphere.settings WHERE key = 'withdrawal_fee_xp'),
		  '0.25'::xphere.wad, 'the new value is stored');
SELECT is(pg_temp.audits(), 1::bigint, 'the change writes one audit row');
SELECT is((SELECT format('%s -> %s', (a).old_value ->> 'value', (a).new_value ->> 'value')
			 FROM pg_temp.last_audit() a),
		  '0.5 -> 0.25', 'the audit row has the old value 0.5 and the new value 0.25');
SELECT ok((SELECT a::text LIKE '%withdrawal_fee_xp%' FROM pg_temp.last_audit() a),
		  'the audit row names the setting');
-- the new fee applies: 1 XP withdrawn locks 1 + 0.25 = 1.25; 10 - 1.25 = 8.75
SELECT pg_temp.run(NULL, $$SELECT xphere.request_withdrawal(pg_temp.id('buyer'), 'XP', 1,
						   '0xabababababababababababababababababababab')$$,
				   'buyer requests a withdrawal of 1 XP');
SELECT is(pg_temp.acct(pg_temp.id('buyer'), 'XP'), '8.75/1.25',
		  'the withdrawal uses the new fee: 1 + 0.25 locked, 8.75 available');
SELECT is((SELECT t.fee FROM xphere.transactions t WHERE t.type = 'WITHDRAWAL'), '0.25'::xphere.wad,
		  'the withdrawal''s fee column is the new 0.25');
-- a later fee change does not touch a pending withdrawal: completing it
-- still releases 1.25 and pays the house the 0.25 it was requested with
SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('withdrawal_fee_xp', '2')$$,
				   'withdrawal_fee_xp is set to 2 while the withdrawal is pending');
SELECT is((SELECT format('%s -> %s', (a).old_value ->> 'value', (a).new_value ->> 'value')
			 FROM pg_temp.last_audit() a),
		  '0.25 -> 2', 'the audit row has 0.25 -> 2');
SELECT pg_temp.run(NULL, $$SELECT xphere.complete_withdrawal((SELECT t.id FROM xphere.transactions t
						   WHERE t.type = 'WITHDRAWAL'), pg_temp.txh('sent'))$$,
				   'the pending withdrawal completes');
SELECT is(ARRAY[pg_temp.acct(pg_temp.id('buyer'), 'XP'), pg_temp.acct(xphere_internal.house_id(), 'XP')],
		  ARRAY['8.75/0', '0.25/0'],
		  'completion uses the fee stored with the withdrawal (0.25), not the new setting (2)');

-- boundaries of bps, and an interval
SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('swap_fee_bps', '10000')$$,
				   'swap_fee_bps 10000 (100%) is the upper limit and accepted');
SELECT is((SELECT value::integer FROM xphere.settings WHERE key = 'swap_fee_bps'), 10000,
		  'swap_fee_bps is 10000');
SELECT is((SELECT format('%s -> %s', (a).old_value ->> 'value', (a).new_value ->> 'value')
			 FROM pg_temp.last_audit() a),
		  '30 -> 10000', 'the audit row has 30 -> 10000');
SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('swap_fee_bps', '0')$$,
				   'swap_fee_bps 0 is the lower limit and accepted');
SELECT is((SELECT value::integer FROM xphere.settings WHERE key = 'swap_fee_bps'), 0, 'swap_fee_bps is 0');
SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('price_max_age', '30 minutes')$$,
				   'price_max_age is set to 30 minutes');
SELECT is((SELECT value::interval FROM xphere.settings WHERE key = 'price_max_age'), interval '30 minutes',
		  'price_max_age is 30 minutes');
SELECT is((SELECT format('%s -> %s', ((a).old_value ->> 'value')::interval, ((a).new_value ->> 'value')::interval)
			 FROM pg_temp.last_audit() a),
		  format('%s -> %s', interval '1 hour', interval '30 minutes'),
		  'the audit row has 1 hour -> 30 minutes');
SELECT is(pg_temp.audits(), 5::bigint, 'five changes, five audit rows');

-- invalid
SELECT pg_temp.fails($$SELECT xphere.set_setting('withdrawal_fee_btc', '1')$$,
					 '22023', 'an unknown setting is refused');
SELECT pg_temp.fails($$SELECT xphere.set_setting('withdrawal_fee_xp', 'abc')$$,
					 '22023', 'a wad setting refuses ''abc''');
SELECT pg_temp.fails($$SELECT xphere.set_setting('withdrawal_fee_xp', '-1')$$,
					 '22023', 'a wad setting refuses -1');
SELECT pg_temp.fails($$SELECT xphere.set_setting('withdrawal_fee_usdt', '')$$,
					 '22023', 'a wad setting refuses an empty value');
SELECT pg_temp.fails($$SELECT xphere.set_setting('withdrawal_fee_usdt', '1e400')$$,
					 '22023', 'a wad setting refuses a value out of range');
SELECT pg_temp.fails($$SELECT xphere.set_setting('swap_fee_bps', '10001')$$,
					 '22023', 'bps refuses 10001');
SELECT pg_temp.fails($$SELECT xphere.set_setting('swap_fee_bps', '-1')$$,
					 '22023', 'bps refuses -1');
SELECT pg_temp.fails($$SELECT xphere.set_setting('swap_fee_bps', 'abc')$$,
					 '22023', 'bps refuses ''abc''');
SELECT pg_temp.fails($$SELECT xphere.set_setting('swap_fee_bps', '1.5')$$,
					 '22023', 'bps refuses a fraction');
SELECT pg_temp.fails($$SELECT xphere.set_setting('price_max_age', '0')$$,
					 '22023', 'price_max_age refuses a zero interval');
SELECT pg_temp.fails($$SELECT xphere.set_setting('price_max_age', '0 seconds')$$,
					 '22023', 'price_max_age refuses 0 seconds');
SELECT pg_temp.fails($$SELECT xphere.set_setting('price_max_age', '-1 hour')$$,
					 '22023', 'price_max_age refuses a negative interval');
SELECT pg_temp.fails($$SELECT xphere.set_setting('price_max_age', 'abc')$$,
					 '22023', 'price_max_age refuses ''abc''');
SELECT pg_temp.fails($$SELECT xphere.set_setting('distribution_interval', '0')$$,
					 '22023', 'distribution_interval refuses a zero interval');
SELECT pg_temp.fails($$SELECT xphere.set_setting('unbonding_period', '-7 days')$$,
					 '22023', 'unbonding_period refuses a negative interval');
SELECT pg_temp.fails($$SELECT xphere.set_setting(NULL, '1')$$,
					 '22004', 'a NULL key is refused');
SELECT pg_temp.fails($$SELECT xphere.set_setting('withdrawal_fee_xp', NULL)$$,
					 '22004', 'a NULL value is refused');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the settings');

-- ===================================================================
-- create_plan
-- ===================================================================

SELECT pg_temp.run(NULL, $$SELECT xphere.create_plan('p5', pg_temp.plan_params())$$,
				   'plan p5 is created with every key');
SELECT is(pg_temp.plan_row('p5'),
		  'Titan|Xphere T1|250.75|300|3.25|Test machine|https://example.com/t1.png|true',
		  'every key is stored, decimal strings and JSON numbers alike');
SELECT is(pg_temp.audits(), 6::bigint, 'the creation writes one audit row');
SELECT is((SELECT format('%s|%s|%s|%s|%s|%s|%s|%s|%s', ((a).old_value IS NULL)::text,
				(a).new_value ->> 'name', (a).new_value ->> 'machine_name',
				((a).new_value ->> 'price_usdt')::xphere.wad, (a).new_value ->> 'hashrate',
				((a).new_value ->> 'daily_return_xp')::xphere.wad, (a).new_value ->> 'description',
				(a).new_value ->> 'image_url', (a).new_value ->> 'is_active')
			 FROM pg_temp.last_audit() a),
		  'true|Titan|Xphere T1|250.75|300|3.25|Test machine|https://example.com/t1.png|true',
		  'the audit row has no old value and every new value');
-- the new plan can be bought: 250.75 USDT exactly
SELECT pg_temp.run('m5', $$SELECT xphere.purchase_machine(pg_temp.id('buyer'), 'p5')$$,
				   'buyer buys the new plan');
SELECT is(pg_temp.acct(pg_temp.id('buyer'), 'USDT'), '0/0', 'the new plan costs its 250.75 USDT');
SELECT is((SELECT daily_return_xp FROM xphere.user_machines WHERE id = pg_temp.id('m5')), '3.25'::xphere.wad,
		  'the machine of the new plan returns its 3.25 XP a day');

-- only the required keys: optional ones get their defaults
SELECT pg_temp.run(NULL, $$SELECT xphere.create_plan('p6', pg_temp.plan_params(ARRAY['description', 'image_url', 'is_active'],
						   '{"price_usdt": 1, "daily_return_xp": "0.01"}'))$$,
				   'plan p6 is created with the required keys only');
SELECT is(pg_temp.plan_row('p6'), 'Titan|Xphere T1|1|300|0.01|<null>|<null>|true',
		  'without optional keys: no description, no image, active');
SELECT pg_temp.run(NULL, $$SELECT xphere.create_plan('p7', pg_temp.plan_params(p_with => '{"is_active": false}'))$$,
				   'plan p7 is created inactive');
SELECT is(pg_temp.plan_row('p7'),
		  'Titan|Xphere T1|250.75|300|3.25|Test machine|https://example.com/t1.png|false',
		  'is_active false is stored');

-- invalid
SELECT pg_temp.fails(format('SELECT xphere.create_plan(''p8'', pg_temp.plan_params(ARRAY[%L]))', k),
					 '22023', 'a plan without ' || k || ' is refused')
  FROM unnest(ARRAY['name', 'machine_name', 'price_usdt', 'hashrate', 'daily_return_xp']) AS k;
SELECT pg_temp.fails($$SELECT xphere.create_plan('p8', pg_temp.plan_params(p_with => '{"colour": "red"}'))$$,
					 '22023', 'a plan with an unknown key is refused');
SELECT pg_temp.fails(format('SELECT xphere.create_plan(''p8'', pg_temp.plan_params(p_with => %L))',
							jsonb_build_object('price_usdt', v)),
					 '22023', 'a plan priced ' || v::text || ' is refused')
  FROM unnest(ARRAY['"0"', '"-1"', '"abc"', '0', '-1', '""', 'null',
					 '"0.0000000000000000004"']::jsonb[]) AS v;
SELECT pg_temp.fails($$SELECT xphere.create_plan('p8', pg_temp.plan_params(p_with => '{"daily_return_xp": "-1"}'))$$,
					 '22023', 'a plan with a negative daily return is refused');
SELECT pg_temp.fails($$SELECT xphere.create_plan('p8', pg_temp.plan_params(p_with => '{"daily_return_xp": "abc"}'))$$,
					 '22023', 'a plan with a daily return ''abc'' is refused');
SELECT pg_temp.fails($$SELECT xphere.create_plan('p8', pg_temp.plan_params(p_with => '{"is_active": "maybe"}'))$$,
					 '22023', 'a plan with is_active ''maybe'' is refused');
SELECT pg_temp.fails($$SELECT xphere.create_plan('p8', pg_temp.plan_params(p_with => '{"name": ""}'))$$,
					 '22023', 'a plan with an empty name is refused');
SELECT pg_temp.fails(format('SELECT xphere.create_plan(''p8'', pg_temp.plan_params(p_with => %L))',
							jsonb_build_object('name', repeat('n', 101))),
					 '22023', 'a plan with a 101-character name is refused');
SELECT pg_temp.fails($$SELECT xphere.create_plan('p8', '[]')$$,
					 '22023', 'params that are not an object are refused');
SELECT pg_temp.fails($$SELECT xphere.create_plan('Bad Id', pg_temp.plan_params())$$,
					 '22023', 'an invalid plan id is refused');
SELECT pg_temp.fails($$SELECT xphere.create_plan('p1', pg_temp.plan_params())$$,
					 '23505', 'creating a plan whose id exists is refused');
SELECT pg_temp.fails($$SELECT xphere.create_plan(NULL, pg_temp.plan_params())$$,
					 '22004', 'create_plan with a NULL id is refused');
SELECT pg_temp.fails($$SELECT xphere.create_plan('p8', NULL)$$,
					 '22004', 'create_plan with NULL params is refused');
SELECT pg_temp.fails($$SELECT xphere.purchase_machine(pg_temp.id('holder'), 'p7')$$,
					 '22023', 'a plan created inactive cannot be bought');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the plans');

-- ===================================================================
-- update_plan
-- ===================================================================

-- holder buys p1 at 100 (1.2 XP a day, ERD 3.1) before the change: 220 - 100 = 120
SELECT pg_temp.run('h1', $$SELECT xphere.purchase_machine(pg_temp.id('holder'), 'p1')$$,
				   'holder buys p1 before the change');
SELECT pg_temp.run(NULL, $$SELECT xphere.update_plan('p1', '{"daily_return_xp": "2", "price_usdt": 120}')$$,
				   'p1 is changed to 120 USDT and 2 XP a day');
SELECT is(pg_temp.plan_row('p1'), 'Starter Node|ASIC XP1 Mini|120|10|2|Entry-level mining power for beginners.|https://picsum.photos/400/300?random=1|true',
		  'only price and daily return changed; name, machine, hashrate, description, flag kept');
SELECT is(pg_temp.audits(), 9::bigint, 'the update writes one audit row');
SELECT is((SELECT format('%s %s -> %s %s; %s -> %s',
				((a).old_value ->> 'price_usdt')::xphere.wad, ((a).old_value ->> 'daily_return_xp')::xphere.wad,
				((a).new_value ->> 'price_usdt')::xphere.wad, ((a).new_value ->> 'daily_return_xp')::xphere.wad,
				(a).old_value ->> 'name', (a).new_value ->> 'name')
			 FROM pg_temp.last_audit() a),
		  '100 1.2 -> 120 2; Starter Node -> Starter Node',
		  'the audit row has the old (100, 1.2) and new (120, 2) values');
SELECT is((SELECT daily_return_xp FROM xphere.user_machines WHERE id = pg_temp.id('h1')), '1.2'::xphere.wad,
		  'the machine bought before keeps its 1.2 XP a day');
-- holder buys p1 again at the new price: 120 - 120 = 0
SELECT pg_temp.run('h2', $$SELECT xphere.purchase_machine(pg_temp.id('holder'), 'p1')$$,
				   'holder buys p1 after the change');
SELECT is(pg_temp.acct(pg_temp.id('holder'), 'USDT'), '0/0', 'the new price 120 is charged: 220 - 100 - 120 = 0');
SELECT is((SELECT daily_return_xp FROM xphere.user_machines WHERE id = pg_temp.id('h2')), '2'::xphere.wad,
		  'a machine bought after the change gets 2 XP a day');
-- one day later: old machine 1.2 + new machine 2 = 3.2
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT is(xphere.pending_mining_rewards(pg_temp.id('holder')), '3.2'::xphere.wad,
		  'after a day the old machine earned 1.2 and the new one 2: 3.2 XP');

SELECT pg_temp.run(NULL, $$SELECT xphere.update_plan('p2', '{"is_active": false}')$$,
				   'p2 is deactivated');
SELECT is(pg_temp.plan_row('p2'), 'Standard Node|ASIC XP1 Standard|500|55|7.5|Most popular plan with stable mining output.|https://picsum.photos/400/300?random=2|false',
		  'deactivating changes only is_active');

SELECT pg_temp.fails($$SELECT xphere.update_plan('p9', '{"price_usdt": 1}')$$,
					 '22023', 'updating an unknown plan is refused');
SELECT pg_temp.fails(format('SELECT xphere.update_plan(''p3'', %L)', jsonb_build_object('price_usdt', v)),
					 '22023', 'updating a price to ' || v::text || ' is refused')
  FROM unnest(ARRAY['"0"', '"-1"', '"abc"', '0']::jsonb[]) AS v;
SELECT pg_temp.fails($$SELECT xphere.update_plan('p3', '{"colour": "red"}')$$,
					 '22023', 'updating an unknown key is refused');
SELECT pg_temp.fails($$SELECT xphere.update_plan('p3', '{"price_usdt": 2000, "colour": "red"}')$$,
					 '22023', 'an unknown key refuses the whole update, valid keys included');
SELECT pg_temp.fails($$SELECT xphere.update_plan('p3', '{"daily_return_xp": "-0.000000000000000001"}')$$,
					 '22023', 'updating the daily return below zero is refused');
SELECT pg_temp.fails($$SELECT xphere.update_plan('p3', '{"name": ""}')$$,
					 '22023', 'updating the name to empty is refused');
SELECT pg_temp.fails($$SELECT xphere.update_plan('p3', '{"is_active": "x"}')$$,
					 '22023', 'updating is_active to ''x'' is refused');
SELECT pg_temp.fails($$SELECT xphere.update_plan(NULL, '{"price_usdt": 1}')$$,
					 '22004', 'update_plan with a NULL id is refused');
SELECT pg_temp.fails($$SELECT xphere.update_plan('p3', NULL)$$,
					 '22004', 'update_plan with NULL params is refused');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the plan updates');

-- ===================================================================
-- set_price
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-02 12:00:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_price('XP', '0.25')$$, 'the XP price is set to 0.25');
SELECT is((SELECT format('%s|%s|%s|%s', p.asset, p.price_usdt, p.source,
						 (p.created_at = '2027-01-02 12:00:00+00'::timestamptz)::text)
			 FROM xphere.prices p ORDER BY p.id DESC LIMIT 1),
		  'XP|0.25|manual|true', 'a price row: XP at 0.25 USDT, source manual, at the clock');
SELECT is((SELECT format('%s -> %s', coalesce((a).old_value ->> 'price_usdt', '<none>'),
						 ((a).new_value ->> 'price_usdt')::xphere.wad)
			 FROM pg_temp.last_audit() a),
		  '<none> -> 0.25', 'the audit row has no old price and the new price 0.25');
SET LOCAL xphere.clock = '2027-01-02 13:00:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_price('XP', '0.3', 'oracle')$$, 'the XP price is set to 0.3 by the oracle');
SELECT is(ARRAY(SELECT format('%s|%s|%s', p.asset, p.price_usdt, p.source) FROM xphere.prices p ORDER BY p.id),
		  ARRAY['XP|0.25|manual', 'XP|0.3|oracle'], 'prices keep their history: 0.25 then 0.3');
SELECT is((SELECT format('%s -> %s', ((a).old_value ->> 'price_usdt')::xphere.wad,
						 ((a).new_value ->> 'price_usdt')::xphere.wad)
			 FROM pg_temp.last_audit() a),
		  '0.25 -> 0.3', 'the audit row has the old price 0.25 and the new price 0.3');
SELECT is(pg_temp.audits(), 12::bigint, 'every administrative change wrote exactly one audit row');

SELECT pg_temp.fails($$SELECT xphere.set_price('USDT', 1)$$, '22023', 'a price for USDT is refused');
SELECT pg_temp.fails($$SELECT xphere.set_price('BTC', 1)$$, '22023', 'a price for an unknown asset is refused');
SELECT pg_temp.fails($$SELECT xphere.set_price('XP', 0)$$, '22023', 'a price of 0 is refused');
SELECT pg_temp.fails($$SELECT xphere.set_price('XP', -1)$$, '22023', 'a negative price is refused');
SELECT pg_temp.fails($$SELECT xphere.set_price('XP', 1, '')$$, '22023', 'an empty source is refused');
SELECT pg_temp.fails(format('SELECT xphere.set_price(''XP'', 1, %L)', repeat('s', 101)),
					 '22023', 'a 101-character source is refused');
SELECT pg_temp.fails($$SELECT xphere.set_price(NULL, 1)$$, '22004', 'a NULL asset is refused');
SELECT pg_temp.fails($$SELECT xphere.set_price('XP', NULL)$$, '22004', 'a NULL price is refused');
SELECT pg_temp.fails($$SELECT xphere.set_price('XP', 1, NULL)$$, '22004',
					 'a NULL source is refused (its default is not NULL)');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold at the end');

SELECT * FROM finish();
ROLLBACK;

--
-- test/pgtap/swap.sql: pgTAP tests of swap() (API.md "Wallet", "Rules", "Errors").
--
-- What this file ensures:
--   * the amount received is floor(amount x price_from / price_to x
--     (10000 - swap_fee_bps) / 10000) to the wei, one exact floor, in both
--     directions (XP -> USDT and USDT -> XP), at prices whose quotient is
--     not a finite decimal, with fees of 30, 0 and 1 bp;
--   * the house is the counterparty: the user pays the amount to the house
--     in one currency and receives from the house in the other; the fee
--     stays with the house; one SWAP entry per currency (the received
--     side's fee column holds the fee to the wei), four history rows,
--     each referring to an entry of its own currency;
--   * a swap that would buy less than one wei is 22023 (and one that buys
--     exactly one wei works); a fee of 10 000 bps makes every swap 22023;
--   * a missing price, or one older than price_max_age (1 hour) by one
--     microsecond, is XP005 in both directions, before XP001; a price
--     exactly 1 hour old is fresh;
--   * swapping one wei more than the available balance is XP001, all of it
--     works; NULLs 22004, amounts <= 0 22023, unknown currency 22P02,
--     unknown or system user P0002, acting for another user 42501;
--   * every error changes nothing; a round trip never gains; per currency
--     all accounts together still hold the deposits; check_invariants()
--     is empty after every group.
--
-- Expected values: from the model (python3 test/model/staking.py --sql,
-- the test/pgtap/swap.sql block, verbatim), never from the extension's output.
--
-- Time line (T0 = 2027-01-01 00:00:00+00):
--   T0          no price: XP005; XP = 0.5: s1, s2, tiny amounts
--   T0 + 1 min  XP = 0.123456789012345678: s3, s4
--   T0 + 2 min  XP = 3: s5, tiny USDT, fees 0 / 10000 / 1 bp (s6, s7), s8
--   T0 + 62 min the price is exactly 1 hour old: s9, s10, XP001
--   T0 + 62 min + 1 us   stale: XP005
--
\set clock '2027-01-01 00:00:00+00'
\ir ../lib/preamble.sql
SET LOCAL TimeZone = 'UTC';
-- the wad operators live in schema xphere
SET LOCAL search_path = public, xphere;

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';

-- the shared helpers (test/lib/helpers.sql): expected, x(), xw(), snapshot(), run(),
-- register_users(), id(), fails(), who()
\ir ../lib/helpers.sql

SELECT plan(98);

-- ===================================================================
-- Helpers
-- ===================================================================

-- the model's values (python3 test/model/staking.py --sql)
INSERT INTO expected (k, v) VALUES
	('s1_received', '49.85'),
	('s1_fee', '0.15'),
	('s1_alice_USDT', '1049.85'),
	('s1_alice_XP', '9900'),
	('s1_house_USDT', '-49.85'),
	('s1_house_XP', '100'),
	('s2_received', '19.94'),
	('s2_fee', '0.06'),
	('s2_alice_USDT', '1039.85'),
	('s2_alice_XP', '9919.94'),
	('s2_house_USDT', '-39.85'),
	('s2_house_XP', '80.06'),
	('s_tiny_xp_received', '0.000000000000000001'),
	('s_tiny_xp_fee', '0'),
	('s_tiny_xp_alice_USDT', '1039.850000000000000001'),
	('s_tiny_xp_alice_XP', '9919.939999999999999997'),
	('s_tiny_xp_house_USDT', '-39.850000000000000001'),
	('s_tiny_xp_house_XP', '80.060000000000000003'),
	('s3_received', '151.958540169791201291'),
	('s3_fee', '0.457247362597165099'),
	('s3_alice_USDT', '1191.808540169791201292'),
	('s3_alice_XP', '8685.372109876543210997'),
	('s3_house_USDT', '-191.808540169791201292'),
	('s3_house_XP', '1314.627890123456789003'),
	('s4_received', '627.481895647337065971'),
	('s4_fee', '1.888110016992990168'),
	('s4_alice_USDT', '1114.108540169791201292'),
	('s4_alice_XP', '9312.854005523880276968'),
	('s4_house_USDT', '-114.108540169791201292'),
	('s4_house_XP', '687.145994476119723032'),
	('s5_received', '0.332333333333333333'),
	('s5_fee', '0.001'),
	('s5_alice_USDT', '1113.108540169791201292'),
	('s5_alice_XP', '9313.186338857213610301'),
	('s5_house_USDT', '-113.108540169791201292'),
	('s5_house_XP', '686.813661142786389699'),
	('s_tiny_usdt_received', '0.000000000000000001'),
	('s_tiny_usdt_fee', '0'),
	('s_tiny_usdt_bob_USDT', '4.999999999999999996'),
	('s_tiny_usdt_bob_XP', '0.000000000000000001'),
	('s_tiny_usdt_house_USDT', '-113.108540169791201288'),
	('s_tiny_usdt_house_XP', '686.813661142786389698'),
	('s6_received', '30'),
	('s6_fee', '0'),
	('s6_alice_USDT', '1143.108540169791201292'),
	('s6_alice_XP', '9303.186338857213610301'),
	('s6_house_USDT', '-143.108540169791201288'),
	('s6_house_XP', '696.813661142786389698'),
	('s7_received', '0.000000000000002'),
	('s7_fee', '0.000000000000000001'),
	('s7_alice_USDT', '1143.108540169791203292'),
	('s7_alice_XP', '9303.186338857213609634'),
	('s7_house_USDT', '-143.108540169791203288'),
	('s7_house_XP', '696.813661142786390365'),
	('s8_received', '1.661666666666666665'),
	('s8_fee', '0.005'),
	('s8_bob_USDT', '0'),
	('s8_bob_XP', '1.661666666666666666'),
	('s8_house_USDT', '-138.108540169791203292'),
	('s8_house_XP', '695.1519944761197237'),
	('s8_xp', '1.661666666666666665'),
	('s9_received', '4.970044999999999995'),
	('s9_fee', '0.014955'),
	('s9_bob_USDT', '4.970044999999999995'),
	('s9_bob_XP', '0.000000000000000001'),
	('s9_house_USDT', '-143.078585169791203287'),
	('s9_house_XP', '696.813661142786390365'),
	('alice_xp_before_all', '9303.186338857213609634'),
	('s10_received', '27825.830339521925906415'),
	('s10_fee', '83.728677049714922487'),
	('s10_alice_USDT', '28968.938879691717109707'),
	('s10_alice_XP', '0'),
	('s10_house_USDT', '-27968.908924691717109702'),
	('s10_house_XP', '9999.999999999999999999'),
	('total_xp', '10000'),
	('total_usdt', '1005');

-- the user's and the house's accounts after swap KEY, as the model names
-- them ('KEY_alice_USDT', ...), compared with the accounts (available;
-- nothing is ever locked here)
CREATE FUNCTION pg_temp.balances_are(p_key text, p_user text) RETURNS text LANGUAGE sql AS $$
	SELECT is(ARRAY(SELECT format('%s %s %s/%s', w, c, a.available, a.locked)
					FROM unnest(ARRAY[p_user, 'house']) AS w,
						 unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c,
						 xphere.accounts a
					WHERE a.user_id = CASE w WHEN 'house' THEN xphere_internal.house_id() ELSE pg_temp.id(w) END
					  AND a.currency = c
					ORDER BY w = 'house', c),
			  ARRAY(SELECT format('%s %s %s/0', w, c, pg_temp.x(format('%s_%s_%s', p_key, w, c)))
					FROM unnest(ARRAY[p_user, 'house']) AS w,
						 unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c
					ORDER BY w = 'house', c),
			  p_key || ': ' || p_user || '''s and the house''s balances are the model''s')
$$;

-- the paid ("out") entry of the user's latest swap: the one whose history
-- rows came last
CREATE FUNCTION pg_temp.last_swap_id(p_user text) RETURNS uuid LANGUAGE sql STABLE AS $$
	SELECT t.id FROM xphere.transactions t JOIN xphere.balance_history h ON h.transaction_id = t.id
	WHERE t.type = 'SWAP' AND t.user_id = pg_temp.id(p_user) AND t.metadata ->> 'direction' = 'out'
	ORDER BY h.id DESC LIMIT 1
$$;

-- the two entries of the user's latest swap, as 'CUR amount fee F direction'
CREATE FUNCTION pg_temp.last_swap(p_user text) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT format('%s %s fee %s %s', t.currency, t.amount, t.fee, t.metadata ->> 'direction')
				 FROM xphere.transactions t
				 WHERE t.id = pg_temp.last_swap_id(p_user)
					OR t.metadata ->> 'swap_id' = pg_temp.last_swap_id(p_user)::text
				 ORDER BY t.metadata ->> 'direction' DESC)
$$;

-- the history rows of the user's latest swap, as 'who CUR: before change after'
CREATE FUNCTION pg_temp.last_swap_hist(p_user text) RETURNS text[] LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT format('%s %s: %s %s %s', pg_temp.who(h.user_id), h.currency,
							   h.available_before, h.available_change, h.available_after)
				 FROM xphere.balance_history h JOIN xphere.transactions t ON t.id = h.transaction_id
				 WHERE t.id = pg_temp.last_swap_id(p_user)
					OR t.metadata ->> 'swap_id' = pg_temp.last_swap_id(p_user)::text
				 ORDER BY h.id)
$$;

-- ===================================================================
-- Users, money, no price
-- ===================================================================

SELECT pg_temp.register_users(ARRAY['alice', 'bob']);
SELECT pg_temp.run(NULL, $$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 10000, pg_temp.txh('sw-a-xp'))$$,
				   'alice deposits 10000 XP');
SELECT pg_temp.run(NULL, $$SELECT xphere.deposit(pg_temp.id('alice'), 'USDT', 1000, pg_temp.txh('sw-a-usdt'))$$,
				   'alice deposits 1000 USDT');
SELECT pg_temp.run(NULL, $$SELECT xphere.deposit(pg_temp.id('bob'), 'USDT', 5, pg_temp.txh('sw-b-usdt'))$$,
				   'bob deposits 5 USDT');

SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'XP', 100)$$,
					 'XP005', 'XP -> USDT without any XP price is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'USDT', 10)$$,
					 'XP005', 'USDT -> XP without any XP price is refused');

-- ===================================================================
-- XP = 0.5
-- ===================================================================

SELECT pg_temp.run(NULL, $$SELECT xphere.set_price('XP', '0.5')$$, 'XP is set to 0.5 USDT');

SELECT is(xphere.swap(pg_temp.id('alice'), 'XP', 100), pg_temp.xw('s1_received'),
		  's1: 100 XP at 0.5 less 0.3% = 49.85 USDT');
SELECT pg_temp.balances_are('s1', 'alice');
SELECT is(pg_temp.last_swap('alice'),
		  ARRAY['XP 100 fee 0 out', 'USDT ' || pg_temp.x('s1_received') || ' fee ' || pg_temp.x('s1_fee') || ' in'],
		  's1: one SWAP entry per currency; the received side records the fee 0.15 USDT');
SELECT is(pg_temp.last_swap_hist('alice'),
		  ARRAY['alice XP: 10000 -100 9900', 'house XP: 0 100 100',
				'house USDT: 0 -50 -50', 'alice USDT: 1000 49.85 1049.85'],
		  's1: alice pays the house 100 XP; the house owes 100 x 0.5 = 50 USDT and pays alice 49.85');
-- the 0.15 USDT the house keeps is its income: a FEE entry of the house
-- naming the received side, with its own history row (-50 + 0.15 = -49.85)
SELECT is(ARRAY(SELECT format('%s %s %s fee %s %s', pg_temp.who(f.user_id), f.type, f.currency, f.amount,
							  f.metadata ->> 'source')
				FROM xphere.transactions f
				WHERE f.type = 'FEE' AND f.metadata ->> 'transaction_id' =
					(SELECT t.id::text FROM xphere.transactions t
					 WHERE t.metadata ->> 'swap_id' = pg_temp.last_swap_id('alice')::text)),
		  ARRAY['house FEE USDT fee 0.15 SWAP'],
		  's1: the fee 0.15 USDT is booked as one FEE entry of the house, source SWAP');
SELECT is(ARRAY(SELECT format('%s %s: %s %s %s', pg_temp.who(h.user_id), h.currency,
							  h.available_before, h.available_change, h.available_after)
				FROM xphere.balance_history h JOIN xphere.transactions f ON f.id = h.transaction_id
				WHERE f.type = 'FEE'),
		  ARRAY['house USDT: -50 0.15 -49.85'],
		  's1: the FEE entry credits the house 0.15 USDT: -50 + 0.15 = -49.85');
SELECT is((SELECT count(*)::int FROM xphere.transactions o JOIN xphere.transactions i
			 ON i.metadata ->> 'swap_id' = o.id::text
			WHERE o.type = 'SWAP' AND i.type = 'SWAP' AND o.currency = 'XP' AND i.currency = 'USDT'
			  AND o.metadata ->> 'to_currency' = 'USDT' AND i.metadata ->> 'from_currency' = 'XP'),
		  1, 's1: the received side''s entry names the paid side''s (swap_id)');

SELECT is(xphere.swap(pg_temp.id('alice'), 'USDT', 10), pg_temp.xw('s2_received'),
		  's2: 10 USDT at 0.5 = 20 XP, less 0.3% = 19.94 XP');
SELECT pg_temp.balances_are('s2', 'alice');
SELECT is(pg_temp.last_swap('alice'),
		  ARRAY['USDT 10 fee 0 out', 'XP ' || pg_temp.x('s2_received') || ' fee ' || pg_temp.x('s2_fee') || ' in'],
		  's2: the entries of a USDT -> XP swap');

-- tiny amounts: 2 wei x 0.5 x 0.997 = 0.997 wei -> nothing; 3 wei -> 1.4955 -> 1 wei
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'XP', '0.000000000000000001')$$,
					 '22023', 'swapping 1 wei of XP (0.4985 wei of USDT) is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'XP', '0.000000000000000002')$$,
					 '22023', 'swapping 2 wei of XP (0.997 wei of USDT) is refused');
SELECT is(xphere.swap(pg_temp.id('alice'), 'XP', '0.000000000000000003'), pg_temp.xw('s_tiny_xp_received'),
		  '3 wei of XP buy exactly 1 wei of USDT');
SELECT pg_temp.balances_are('s_tiny_xp', 'alice');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the swaps at 0.5');

-- ===================================================================
-- XP = 0.123456789012345678: quotients that are not finite decimals
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-01 00:01:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_price('XP', '0.123456789012345678')$$,
				   'XP is set to 0.123456789012345678 USDT');
SELECT is(xphere.swap(pg_temp.id('alice'), 'XP', '1234.567890123456789'), pg_temp.xw('s3_received'),
		  's3: 1234.567890123456789 XP -> the model''s USDT, floored to the wei');
SELECT pg_temp.balances_are('s3', 'alice');
SELECT is(pg_temp.last_swap('alice'),
		  ARRAY['XP 1234.567890123456789 fee 0 out',
				'USDT ' || pg_temp.x('s3_received') || ' fee ' || pg_temp.x('s3_fee') || ' in'],
		  's3: the entries');
SELECT is(xphere.swap(pg_temp.id('alice'), 'USDT', '77.7'), pg_temp.xw('s4_received'),
		  's4: 77.7 USDT / 0.123456789012345678 x 0.997 -> the model''s XP, floored to the wei');
SELECT pg_temp.balances_are('s4', 'alice');

-- ===================================================================
-- XP = 3; fees
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-01 00:02:00+00';
SELECT pg_temp.run(NULL, $$SELECT xphere.set_price('XP', 3)$$, 'XP is set to 3 USDT');
SELECT is(xphere.swap(pg_temp.id('alice'), 'USDT', 1), pg_temp.xw('s5_received'),
		  's5: 1 USDT / 3 x 0.997 = 0.332333333333333333 XP (one floor of the whole expression)');
SELECT pg_temp.balances_are('s5', 'alice');
SELECT is(pg_temp.last_swap('alice'),
		  ARRAY['USDT 1 fee 0 out', 'XP ' || pg_temp.x('s5_received') || ' fee ' || pg_temp.x('s5_fee') || ' in'],
		  's5: the fee recorded is floor(1/3) - floor(1/3 x 0.997) = 0.001 XP');

SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('bob'), 'USDT', '0.000000000000000001')$$,
					 '22023', '1 wei of USDT (0.33 wei of XP) is refused');
SELECT is(xphere.swap(pg_temp.id('bob'), 'USDT', '0.000000000000000004'), pg_temp.xw('s_tiny_usdt_received'),
		  '4 wei of USDT buy exactly 1 wei of XP');
SELECT pg_temp.balances_are('s_tiny_usdt', 'bob');

SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('swap_fee_bps', '0')$$, 'the swap fee is set to 0');
SELECT is(xphere.swap(pg_temp.id('alice'), 'XP', 10), pg_temp.xw('s6_received'),
		  's6: without a fee, 10 XP at 3 are exactly 30 USDT');
SELECT pg_temp.balances_are('s6', 'alice');
SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('swap_fee_bps', '10000')$$, 'the swap fee is set to 100%');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'XP', 10)$$,
					 '22023', 'with a 100% fee nothing would be received: refused');
SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('swap_fee_bps', '1')$$, 'the swap fee is set to 1 bp');
SELECT is(xphere.swap(pg_temp.id('alice'), 'XP', '0.000000000000000667'), pg_temp.xw('s7_received'),
		  's7: 667 wei of XP at 3 less 1 bp: 2000.7999 -> 2000 wei of USDT');
SELECT pg_temp.balances_are('s7', 'alice');
SELECT pg_temp.run(NULL, $$SELECT xphere.set_setting('swap_fee_bps', '30')$$, 'the swap fee is back at 30 bps');

SELECT is(xphere.swap(pg_temp.id('bob'), 'USDT', '4.999999999999999996'), pg_temp.xw('s8_received'),
		  's8: bob swaps all his USDT to XP');
SELECT pg_temp.balances_are('s8', 'bob');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the swaps at 3');

-- ===================================================================
-- freshness: the price of T0 + 2 min is fresh until T0 + 62 min
-- ===================================================================

SET LOCAL xphere.clock = '2027-01-01 01:02:00+00';
SELECT is(xphere.swap(pg_temp.id('bob'), 'XP', pg_temp.xw('s8_xp')), pg_temp.xw('s9_received'),
		  's9: a price exactly 1 hour old is fresh; bob swaps his XP back');
SELECT pg_temp.balances_are('s9', 'bob');
SELECT cmp_ok(pg_temp.xw('s9_bob_USDT'), '<', '4.999999999999999996'::xphere.wad,
			  'the round trip left bob with less USDT than he started with');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'XP', pg_temp.xw('alice_xp_before_all') + '0.000000000000000001')$$,
					 'XP001', 'swapping one wei more XP than available is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('bob'), 'USDT', 5)$$,
					 'XP001', 'swapping more USDT than available is refused');
SELECT is(xphere.balance(pg_temp.id('alice'), 'XP'), pg_temp.xw('alice_xp_before_all'),
		  'alice''s XP before swapping all of it');
SELECT is(xphere.swap(pg_temp.id('alice'), 'XP', pg_temp.xw('alice_xp_before_all')), pg_temp.xw('s10_received'),
		  's10: alice swaps all her XP');
SELECT pg_temp.balances_are('s10', 'alice');

SET LOCAL xphere.clock = '2027-01-01 01:02:00.000001+00';
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'USDT', 10)$$,
					 'XP005', 'USDT -> XP with a price 1 hour and 1 us old is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('bob'), 'XP', '0.000000000000000001')$$,
					 'XP005', 'XP -> USDT with a stale price is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('bob'), 'XP', 1000000)$$,
					 'XP005', 'order of checks: a stale price before an insufficient balance');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the freshness checks');

-- ===================================================================
-- arguments and permissions (with a fresh price)
-- ===================================================================

SELECT pg_temp.run(NULL, $$SELECT xphere.set_price('XP', 3)$$, 'XP is set to 3 USDT again');
SELECT pg_temp.fails($$SELECT xphere.swap(NULL, 'XP', 1)$$, '22004', 'a NULL user is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), NULL, 1)$$, '22004', 'a NULL currency is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'USDT', NULL)$$, '22004', 'a NULL amount is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'USDT', 0)$$, '22023', 'an amount of 0 is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'USDT', -1)$$, '22023', 'a negative amount is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'BTC', 1)$$,
					 '22P02', 'an unknown currency is refused by the enum');
SELECT pg_temp.fails($$SELECT xphere.swap('11111111-1111-1111-1111-111111111111', 'USDT', 1)$$,
					 'P0002', 'an unknown user is refused');
SELECT pg_temp.fails($$SELECT xphere.swap(xphere_internal.house_id(), 'USDT', 1)$$,
					 'P0002', 'the house (system) does not count as a user');
SELECT pg_temp.fails($$SELECT xphere.swap('11111111-1111-1111-1111-111111111111', 'USDT', 0)$$,
					 '22023', 'order of checks: an invalid amount before an unknown user');
SELECT set_config('xphere.user_id', pg_temp.id('bob')::text, true) AS acting \gset
SELECT pg_temp.fails($$SELECT xphere.swap(pg_temp.id('alice'), 'USDT', 1)$$,
					 '42501', 'a session acting for bob cannot swap for alice');
SELECT set_config('xphere.user_id', '', true) AS acting \gset

-- ===================================================================
-- conservation
-- ===================================================================

SELECT is(ARRAY(SELECT format('%s %s', c, (SELECT sum(a.available + a.locked) FROM xphere.accounts a
											WHERE a.currency = c))
				FROM unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c),
		  ARRAY['XP ' || pg_temp.x('total_xp'), 'USDT ' || pg_temp.x('total_usdt')],
		  'all accounts together still hold the deposits: 10000 XP and 1005 USDT');
SELECT is((SELECT count(*)::int FROM xphere.transactions WHERE type = 'SWAP'), 2 * 12,
		  'twelve swaps wrote two SWAP entries each');
SELECT is_empty($$SELECT h.id FROM xphere.balance_history h JOIN xphere.transactions t ON t.id = h.transaction_id
				 WHERE t.type = 'SWAP' AND t.currency <> h.currency$$,
				'every history row of a swap refers to the entry of its own currency');
SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold at the end');

-- fee income: the FEE entries sum, per currency, to the fees the SWAP
-- entries record (each checked against the model above)
SELECT is(ARRAY(SELECT format('%s %s', c, (SELECT coalesce(sum(amount), 0) FROM xphere.transactions
											  WHERE type = 'FEE' AND currency = c))
				FROM unnest(enum_range(NULL::xphere.currency)) c ORDER BY c),
		  ARRAY(SELECT format('%s %s', c, (SELECT coalesce(sum(fee), 0) FROM xphere.transactions
											  WHERE type = 'SWAP' AND currency = c))
				FROM unnest(enum_range(NULL::xphere.currency)) c ORDER BY c),
		  'the FEE entries of the house sum to the swap fees charged, per currency');
SELECT is((SELECT count(*)::int FROM xphere.transactions WHERE type = 'FEE' AND user_id <> xphere_internal.house_id()), 0,
		  'every FEE entry is the house''s');

SELECT * FROM finish();
ROLLBACK;

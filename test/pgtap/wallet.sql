--
-- test/pgtap/wallet.sql: pgTAP tests of the wallet API (API.md, "Wallet").
--
-- What this file ensures:
--   * deposit: credits the exact amount with one DEPOSIT entry and one
--     balance_history row; is idempotent on tx_hash (a replay with the same
--     user, currency and amount returns the first id and changes nothing, a
--     replay with anything different is 23505); bad arguments are 22004 /
--     22023 / 22P02, an unknown user P0002;
--   * tx_hash is 0x and 64 hex digits, compared and stored trimmed and
--     lower-cased: the same hash in upper case, with 0X, or with spaces,
--     tabs or line breaks around is the same deposit (one entry, credited
--     once); any other format (short, long, no 0x, non-hex, inner space)
--     is 22023 and changes nothing; complete_withdrawal stores its tx_hash
--     normalised the same way and refuses the same bad formats;
--   * request_withdrawal: a PENDING entry whose amount excludes the fee,
--     amount + fee moved from available to locked; overdrawing (by one wei,
--     or by the fee alone) is XP001; bad addresses are 22023;
--   * complete_withdrawal: the locked amount leaves, the fee goes to the
--     house, the entry is COMPLETED with its tx_hash; anything that is not a
--     PENDING withdrawal is XP006, an unknown id P0002;
--   * fail_withdrawal: amount + fee back to available, FAILED with the
--     reason in metadata; a failed withdrawal cannot be completed (XP006);
--   * transfer: exact amounts both sides, no fee, two TRANSFER entries;
--     to oneself 22023, overdraw XP001, unknown receiver P0002, memo limit;
--   * balance: available only, P0002 / 22004;
--   * a session acting for a user (xphere.user_id) may not act for another
--     (42501), an unknown user still being P0002;
--   * every error leaves every table exactly as it was (snapshot compare),
--     check_invariants() stays empty, and money is conserved: per currency
--     all accounts sum to completed deposits minus completed withdrawals;
--   * a balance at the largest wad overflows by one more wei with 22003.
--
-- Amounts are chosen so that every expected value is a short decimal
-- worked out by hand (comments give the arithmetic); default fees:
-- withdrawal_fee_xp 0.5, withdrawal_fee_usdt 1.
--
\ir ../lib/preamble.sql
-- the wad operators live in schema xphere
SET LOCAL search_path = public, xphere;

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';

-- the shared helpers (test/lib/helpers.sql): snapshot(), run(), register_users(),
-- id(), fails(), who(), acct(), tx(), hist()
\ir ../lib/helpers.sql

SELECT plan(255);

-- ===================================================================
-- Helpers
-- ===================================================================

-- valid addresses: 0x + 40 hex digits (mixed case is allowed)
\set addr1 '0xabababababababababababababababababababab'
\set addr2 '0xAb12Ab12Ab12Ab12Ab12Ab12Ab12Ab12Ab12Ab12'

-- ===================================================================
-- Users
-- ===================================================================

SELECT pg_temp.snapshot() AS snap_empty \gset
SELECT pg_temp.register_users(ARRAY['alice', 'bob', 'carol']);
SELECT isnt(pg_temp.snapshot(), :'snap_empty', 'the snapshot helper sees a change (self-check)');

-- ===================================================================
-- deposit
-- ===================================================================

SELECT pg_temp.run('d1', $$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 100, pg_temp.txh('d1'))$$,
				   'deposit of 100 XP to alice succeeds');
SELECT isnt(pg_temp.id('d1'), NULL, 'deposit returns the id of its entry');
SELECT is(pg_temp.acct(pg_temp.id('alice'), 'XP'), '100/0',
		  'deposit credits exactly 100 XP to available, nothing locked');
SELECT is(pg_temp.tx(pg_temp.id('d1')), 'alice DEPOSIT XP 100 fee 0 COMPLETED',
		  'deposit writes a COMPLETED DEPOSIT entry of 100 XP without fee');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = pg_temp.id('d1')), pg_temp.txh('d1'),
		  'the deposit entry carries the chain tx_hash');
SELECT is(pg_temp.hist(pg_temp.id('d1')), ARRAY['alice XP: 0 100 100 | 0 0 0'],
		  'deposit writes one history row: 0 + 100 = 100');
SELECT is(xphere.balance(pg_temp.id('alice'), 'XP'), '100'::xphere.wad,
		  'balance() shows the deposit');

SELECT pg_temp.run('d2', $$SELECT xphere.deposit(pg_temp.id('alice'), 'USDT', '250.5', pg_temp.txh('usdt-1'))$$,
				   'deposit of 250.5 USDT to alice succeeds');
SELECT is(pg_temp.acct(pg_temp.id('alice'), 'USDT'), '250.5/0',
		  'a USDT deposit credits the USDT account only');
SELECT is(pg_temp.acct(pg_temp.id('alice'), 'XP'), '100/0',
		  'a USDT deposit leaves the XP account alone');

-- tx_hash of exactly 66 characters ('0x' + 64 hex) is the limit and accepted
SELECT pg_temp.run('d3', format('SELECT xphere.deposit(pg_temp.id(''carol''), ''XP'', 5, %L)',
							   '0x' || repeat('c', 64)),
				   'a deposit with a 66-character tx_hash is accepted');
SELECT is(pg_temp.acct(pg_temp.id('carol'), 'XP'), '5/0', 'carol holds the 5 XP deposited');

-- replay: same user, currency and amount
SELECT pg_temp.snapshot() AS snap_before_replay \gset
SELECT is(xphere.deposit(pg_temp.id('alice'), 'XP', 100, pg_temp.txh('d1')), pg_temp.id('d1'),
		  'a replayed deposit returns the id of the first one');
SELECT is(pg_temp.snapshot(), :'snap_before_replay',
		  'a replayed deposit changes nothing (no entry, no history, same balance)');
SELECT is(xphere.deposit(pg_temp.id('alice'), 'XP', '100.000', pg_temp.txh('d1')), pg_temp.id('d1'),
		  'a replay with the same amount written differently is still a replay');
SELECT is(pg_temp.snapshot(), :'snap_before_replay',
		  'that replay changes nothing either');

-- replay with different details
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 101, pg_temp.txh('d1'))$$,
					 '23505', 'a replayed tx_hash with another amount is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', '100.000000000000000001', pg_temp.txh('d1'))$$,
					 '23505', 'a replayed tx_hash with an amount one wei larger is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('bob'), 'XP', 100, pg_temp.txh('d1'))$$,
					 '23505', 'a replayed tx_hash for another user is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'USDT', 100, pg_temp.txh('d1'))$$,
					 '23505', 'a replayed tx_hash in another currency is refused');

-- invalid arguments
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 0, pg_temp.txh('zero'))$$,
					 '22023', 'a deposit of 0 is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', -1, pg_temp.txh('neg'))$$,
					 '22023', 'a negative deposit is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', '-0.000000000000000001', pg_temp.txh('neg2'))$$,
					 '22023', 'a deposit of minus one wei is refused');
-- 0.4 wei rounds half away from zero to 0 (API.md, Types): not positive
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', '0.0000000000000000004', pg_temp.txh('tiny'))$$,
					 '22023', 'a deposit that rounds to 0 wei is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(NULL, 'XP', 1, pg_temp.txh('null1'))$$,
					 '22004', 'a deposit with a NULL user is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), NULL, 1, pg_temp.txh('null2'))$$,
					 '22004', 'a deposit with a NULL currency is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', NULL, pg_temp.txh('null3'))$$,
					 '22004', 'a deposit with a NULL amount is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 1, NULL)$$,
					 '22004', 'a deposit with a NULL tx_hash is refused');
SELECT pg_temp.fails(format('SELECT xphere.deposit(pg_temp.id(''alice''), ''XP'', 1, %L)',
							'0x' || repeat('c', 65)),
					 '22023', 'a deposit with a 67-character tx_hash is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 1, '')$$,
					 '22023', 'a deposit with an empty tx_hash is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 1, '   ')$$,
					 '22023', 'a deposit with a blank tx_hash is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit('11111111-1111-1111-1111-111111111111', 'XP', 1, pg_temp.txh('ghost'))$$,
					 'P0002', 'a deposit to an unknown user is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'BTC', 1, pg_temp.txh('btc'))$$,
					 '22P02', 'a deposit in an unknown currency is refused by the enum');
-- order of checks: argument validity before existence
SELECT pg_temp.fails($$SELECT xphere.deposit('11111111-1111-1111-1111-111111111111', 'XP', 0, pg_temp.txh('ghost2'))$$,
					 '22023', 'an invalid amount is reported before an unknown user');

-- one chain transaction, several spellings: one deposit (to dora, 7 XP)
SELECT pg_temp.register_users(ARRAY['dora']);
\set hx '0xabcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789'
SELECT pg_temp.run('dn', format('SELECT xphere.deposit(pg_temp.id(''dora''), ''XP'', 7, %L)', upper(:'hx')),
				   'a deposit with an upper-case tx_hash (0X and hex digits) succeeds');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = pg_temp.id('dn')), :'hx',
		  'its tx_hash is stored in lower case, 0x included');
SELECT pg_temp.snapshot() AS snap_before_spellings \gset
SELECT is(xphere.deposit(pg_temp.id('dora'), 'XP', 7, :'hx'), pg_temp.id('dn'),
		  'the same hash in lower case is a replay: the first id');
SELECT is(xphere.deposit(pg_temp.id('dora'), 'XP', 7, '0x' || upper(substr(:'hx', 3))), pg_temp.id('dn'),
		  'the same hash with 0x and upper-case digits is a replay');
SELECT is(xphere.deposit(pg_temp.id('dora'), 'XP', 7, :'hx' || ' '), pg_temp.id('dn'),
		  'the same hash with a trailing space is a replay');
SELECT is(xphere.deposit(pg_temp.id('dora'), 'XP', 7, E' \t' || :'hx' || E'\r\n'), pg_temp.id('dn'),
		  'the same hash with spaces, a tab and a line break around is a replay');
SELECT is(pg_temp.snapshot(), :'snap_before_spellings',
		  'the replays in other spellings changed nothing');
SELECT is(pg_temp.acct(pg_temp.id('dora'), 'XP'), '7/0', 'dora was credited 7 XP once');
SELECT is((SELECT count(*)::int FROM xphere.transactions WHERE type = 'DEPOSIT' AND user_id = pg_temp.id('dora')), 1,
		  'dora has one DEPOSIT entry');
SELECT pg_temp.fails(format('SELECT xphere.deposit(pg_temp.id(''dora''), ''XP'', 8, %L)', ' ' || upper(:'hx')),
					 '23505', 'the same hash in another spelling with another amount is refused');
-- formats that are not a chain hash
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 1, '0xABCDEF0123')$$,
					 '22023', 'a tx_hash of 10 hex digits is refused');
SELECT pg_temp.fails(format('SELECT xphere.deposit(pg_temp.id(''alice''), ''XP'', 1, %L)', left(:'hx', 65)),
					 '22023', 'a tx_hash of 63 hex digits is refused');
SELECT pg_temp.fails(format('SELECT xphere.deposit(pg_temp.id(''alice''), ''XP'', 1, %L)', :'hx' || 'a'),
					 '22023', 'a tx_hash of 65 hex digits is refused');
SELECT pg_temp.fails(format('SELECT xphere.deposit(pg_temp.id(''alice''), ''XP'', 1, %L)', substr(:'hx', 3)),
					 '22023', 'a tx_hash of 64 hex digits without 0x is refused');
SELECT pg_temp.fails(format('SELECT xphere.deposit(pg_temp.id(''alice''), ''XP'', 1, %L)', '0x' || repeat('g', 64)),
					 '22023', 'a tx_hash with non-hex digits is refused');
SELECT pg_temp.fails(format('SELECT xphere.deposit(pg_temp.id(''alice''), ''XP'', 1, %L)', overlay(:'hx' placing ' ' from 30 for 1)),
					 '22023', 'a tx_hash with a space inside is refused');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 1, 'dep-alice-1')$$,
					 '22023', 'a label that is not a hash is refused');
SELECT pg_temp.fails(format('SELECT xphere.deposit(''11111111-1111-1111-1111-111111111111'', ''XP'', 1, %L)', '0xabc'),
					 '22023', 'an invalid tx_hash is reported before an unknown user');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after the deposits');

-- ===================================================================
-- request_withdrawal
-- ===================================================================

-- alice: 100 XP.  Withdraw 40, fee 0.5: 40.5 moves to locked;
-- available 100 - 40.5 = 59.5, locked 40.5.
SELECT pg_temp.run('w1', format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', 40, %L)', :'addr1'),
				   'alice requests a withdrawal of 40 XP');
SELECT is(pg_temp.tx(pg_temp.id('w1')), 'alice WITHDRAWAL XP 40 fee 0.5 PENDING',
		  'the withdrawal is PENDING, amount 40 excluding the fee 0.5 held in the fee column');
SELECT is((SELECT format('%s|%s', to_address, coalesce(tx_hash, '<null>')) FROM xphere.transactions
			WHERE id = pg_temp.id('w1')),
		  :'addr1' || '|<null>', 'the withdrawal records its address and has no tx_hash yet');
SELECT is(pg_temp.acct(pg_temp.id('alice'), 'XP'), '59.5/40.5',
		  'amount + fee (40.5) moved from available to locked: 59.5/40.5');
SELECT is(pg_temp.hist(pg_temp.id('w1')), ARRAY['alice XP: 100 -40.5 59.5 | 0 40.5 40.5'],
		  'the request writes one history row moving 40.5 to locked');
SELECT is(xphere.balance(pg_temp.id('alice'), 'XP'), '59.5'::xphere.wad,
		  'balance() shows available only, not the locked 40.5');
SELECT is(pg_temp.acct(xphere_internal.house_id(), 'XP'), 'none',
		  'the house gets nothing while the withdrawal is pending');

-- insufficient: 59.2 + 0.5 = 59.7 > 59.5 (the amount alone would fit)
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', ''59.2'', %L)', :'addr1'),
					 'XP001', 'a withdrawal whose amount fits but amount + fee does not is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', 100, %L)', :'addr1'),
					 'XP001', 'a withdrawal larger than the available balance is refused');

-- USDT, exact boundary: 249.5 + fee 1 = 250.5 = all of alice's USDT
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''USDT'', ''249.500000000000000001'', %L)', :'addr2'),
					 'XP001', 'a USDT withdrawal one wei over available - fee is refused');
SELECT pg_temp.run('w2', format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''USDT'', ''249.5'', %L)', :'addr2'),
				   'a USDT withdrawal of exactly available - fee (249.5) is accepted');
SELECT is(pg_temp.tx(pg_temp.id('w2')), 'alice WITHDRAWAL USDT 249.5 fee 1 PENDING',
		  'the USDT withdrawal carries the USDT fee 1');
SELECT is(pg_temp.acct(pg_temp.id('alice'), 'USDT'), '0/250.5',
		  'all 250.5 USDT are locked, 0 available');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''USDT'', ''0.000000000000000001'', %L)', :'addr2'),
					 'XP001', 'with nothing available even one wei cannot be withdrawn');

-- bad addresses
SELECT pg_temp.fails($$SELECT xphere.request_withdrawal(pg_temp.id('alice'), 'XP', 1, '0x1234')$$,
					 '22023', 'a too short address is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', 1, %L)', :'addr1' || 'a'),
					 '22023', 'an address with 41 hex digits is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', 1, %L)', '0x' || repeat('g', 40)),
					 '22023', 'an address with non-hex digits is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', 1, %L)', repeat('ab', 21)),
					 '22023', 'an address without the 0x prefix is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', 1, %L)', ' ' || :'addr1'),
					 '22023', 'an address with a leading space is refused');
-- other invalid arguments
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', 0, %L)', :'addr1'),
					 '22023', 'a withdrawal of 0 is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', -5, %L)', :'addr1'),
					 '22023', 'a negative withdrawal is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(NULL, ''XP'', 1, %L)', :'addr1'),
					 '22004', 'a withdrawal with a NULL user is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), NULL, 1, %L)', :'addr1'),
					 '22004', 'a withdrawal with a NULL currency is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', NULL, %L)', :'addr1'),
					 '22004', 'a withdrawal with a NULL amount is refused');
SELECT pg_temp.fails($$SELECT xphere.request_withdrawal(pg_temp.id('alice'), 'XP', 1, NULL)$$,
					 '22004', 'a withdrawal with a NULL address is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(''11111111-1111-1111-1111-111111111111'', ''XP'', 1, %L)', :'addr1'),
					 'P0002', 'a withdrawal for an unknown user is refused');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''DOGE'', 1, %L)', :'addr1'),
					 '22P02', 'a withdrawal in an unknown currency is refused by the enum');
SELECT pg_temp.fails($$SELECT xphere.request_withdrawal('11111111-1111-1111-1111-111111111111', 'XP', 1, '0x12')$$,
					 '22023', 'a bad address is reported before an unknown user');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold with pending withdrawals');

-- ===================================================================
-- complete_withdrawal
-- ===================================================================

-- w1: alice locked 40.5 -> 0 (40 leaves, 0.5 to the house); available stays 59.5
SELECT pg_temp.run(NULL, $$SELECT xphere.complete_withdrawal(pg_temp.id('w1'), pg_temp.txh('w1sent'))$$,
				   'the XP withdrawal completes');
SELECT is(pg_temp.tx(pg_temp.id('w1')), 'alice WITHDRAWAL XP 40 fee 0.5 COMPLETED',
		  'the withdrawal entry is COMPLETED with amount and fee unchanged');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = pg_temp.id('w1')), pg_temp.txh('w1sent'),
		  'the completed withdrawal carries the chain tx_hash');
SELECT is(pg_temp.acct(pg_temp.id('alice'), 'XP'), '59.5/0',
		  'completion releases the 40.5 locked; available stays 59.5');
SELECT is(pg_temp.acct(xphere_internal.house_id(), 'XP'), '0.5/0', 'the fee 0.5 goes to the house');
SELECT is(pg_temp.hist(pg_temp.id('w1')),
		  ARRAY['alice XP: 100 -40.5 59.5 | 0 40.5 40.5',
				'alice XP: 59.5 0 59.5 | 40.5 -40.5 0'],
		  'completion writes the unlock row for alice under the withdrawal entry');
-- the house's income is an entry of its own: FEE, 0.5 XP, naming its source
SELECT is((SELECT string_agg(pg_temp.tx(f.id) || ' ' || (f.metadata ->> 'source') || ' '
							 || (f.metadata ->> 'user_id' = pg_temp.id('alice')::text), ',')
		   FROM xphere.transactions f
		   WHERE f.type = 'FEE' AND f.metadata ->> 'transaction_id' = pg_temp.id('w1')::text),
		  'house FEE XP 0.5 fee 0 COMPLETED WITHDRAWAL true',
		  'completion books the 0.5 XP fee as one COMPLETED FEE entry of the house, naming the withdrawal and alice');
SELECT is(pg_temp.hist((SELECT f.id FROM xphere.transactions f
						WHERE f.type = 'FEE' AND f.metadata ->> 'transaction_id' = pg_temp.id('w1')::text)),
		  ARRAY['house XP: 0 0.5 0.5 | 0 0 0'],
		  'the FEE entry carries the house''s history row: 0 + 0.5 = 0.5 available');

SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.id('w1'), pg_temp.txh('w1again'))$$,
					 'XP006', 'completing a withdrawal twice is refused');
SELECT pg_temp.fails($$SELECT xphere.fail_withdrawal(pg_temp.id('w1'), 'too late')$$,
					 'XP006', 'failing a completed withdrawal is refused');
SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal('22222222-2222-2222-2222-222222222222', pg_temp.txh('none'))$$,
					 'P0002', 'completing an unknown transaction is refused');
SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.id('d1'), pg_temp.txh('dep'))$$,
					 'XP006', 'completing a DEPOSIT entry is refused');
SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(NULL, pg_temp.txh('null'))$$,
					 '22004', 'completing with a NULL transaction id is refused');
SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.id('w2'), NULL)$$,
					 '22004', 'completing with a NULL tx_hash is refused');
SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.id('w2'), '')$$,
					 '22023', 'completing with an empty tx_hash is refused');
SELECT pg_temp.fails(format('SELECT xphere.complete_withdrawal(pg_temp.id(''w2''), %L)', repeat('f', 67)),
					 '22023', 'completing with a 67-character tx_hash is refused');
SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.id('w2'), '0xw2sent')$$,
					 '22023', 'completing with a tx_hash that is not 0x and 64 hex digits is refused');
SELECT pg_temp.fails(format('SELECT xphere.complete_withdrawal(pg_temp.id(''w2''), %L)', ' ' || upper(pg_temp.txh('w1sent'))),
					 '23505', 'completing with the hash of another completed withdrawal, in another spelling, is refused');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after a completed withdrawal');

-- ===================================================================
-- fail_withdrawal
-- ===================================================================

SELECT pg_temp.fails($$SELECT xphere.fail_withdrawal(pg_temp.id('w2'), NULL)$$,
					 '22004', 'failing with a NULL reason is refused');
SELECT pg_temp.fails(format('SELECT xphere.fail_withdrawal(pg_temp.id(''w2''), %L)', repeat('r', 1001)),
					 '22023', 'failing with a 1001-character reason is refused');
SELECT pg_temp.fails($$SELECT xphere.fail_withdrawal(NULL, 'x')$$,
					 '22004', 'failing with a NULL transaction id is refused');
SELECT pg_temp.fails($$SELECT xphere.fail_withdrawal('22222222-2222-2222-2222-222222222222', 'x')$$,
					 'P0002', 'failing an unknown transaction is refused');
SELECT pg_temp.fails($$SELECT xphere.fail_withdrawal(pg_temp.id('d2'), 'x')$$,
					 'XP006', 'failing a DEPOSIT entry is refused');

-- w2: alice USDT 0/250.5 -> 250.5/0; the house gets no fee
SELECT pg_temp.run(NULL, $$SELECT xphere.fail_withdrawal(pg_temp.id('w2'), 'chain congested')$$,
				   'the USDT withdrawal fails');
SELECT is(pg_temp.tx(pg_temp.id('w2')), 'alice WITHDRAWAL USDT 249.5 fee 1 FAILED',
		  'the failed withdrawal entry is FAILED');
SELECT is((SELECT metadata ->> 'reason' FROM xphere.transactions WHERE id = pg_temp.id('w2')),
		  'chain congested', 'the reason is kept in the entry''s metadata');
SELECT is(pg_temp.acct(pg_temp.id('alice'), 'USDT'), '250.5/0',
		  'failure returns amount + fee (250.5) from locked to available');
SELECT is(pg_temp.hist(pg_temp.id('w2')),
		  ARRAY['alice USDT: 250.5 -250.5 0 | 0 250.5 250.5',
				'alice USDT: 0 250.5 250.5 | 250.5 -250.5 0'],
		  'failure writes one unlock row and nothing for the house');
SELECT is(pg_temp.acct(xphere_internal.house_id(), 'USDT'), 'none', 'a failed withdrawal pays no fee to the house');

SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.id('w2'), pg_temp.txh('late'))$$,
					 'XP006', 'completing a failed withdrawal is refused');
SELECT pg_temp.fails($$SELECT xphere.fail_withdrawal(pg_temp.id('w2'), 'again')$$,
					 'XP006', 'failing a withdrawal twice is refused');

-- a reason of exactly 1000 characters is the limit: carol withdraws 1 XP
-- (5 -> 3.5/1.5) and the withdrawal fails back to 5/0
SELECT pg_temp.run('w3', format('SELECT xphere.request_withdrawal(pg_temp.id(''carol''), ''XP'', 1, %L)', :'addr2'),
				   'carol requests a withdrawal of 1 XP');
SELECT is(pg_temp.acct(pg_temp.id('carol'), 'XP'), '3.5/1.5', 'carol: 5 - 1.5 = 3.5 available, 1.5 locked');
SELECT pg_temp.run(NULL, format('SELECT xphere.fail_withdrawal(pg_temp.id(''w3''), %L)', repeat('r', 1000)),
				   'a 1000-character reason is accepted');
SELECT is(pg_temp.acct(pg_temp.id('carol'), 'XP'), '5/0', 'carol is back to 5/0');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after failed withdrawals');

-- ===================================================================
-- transfer
-- ===================================================================

-- alice 59.5 XP -> bob 20.25: alice 39.25, bob 20.25, no fee
SELECT pg_temp.run('t1', $$SELECT xphere.transfer(pg_temp.id('alice'), pg_temp.id('bob'), 'XP', '20.25', 'rent')$$,
				   'alice transfers 20.25 XP to bob');
SELECT is(pg_temp.tx(pg_temp.id('t1')), 'alice TRANSFER XP 20.25 fee 0 COMPLETED',
		  'transfer returns the sender''s entry: COMPLETED, 20.25, no fee');
SELECT is(pg_temp.acct(pg_temp.id('alice'), 'XP'), '39.25/0', 'the sender loses exactly 20.25: 59.5 - 20.25 = 39.25');
SELECT is(pg_temp.acct(pg_temp.id('bob'), 'XP'), '20.25/0', 'the receiver gets exactly 20.25');
SELECT is(pg_temp.acct(xphere_internal.house_id(), 'XP'), '0.5/0', 'a transfer pays no fee to the house');
SELECT is(ARRAY(SELECT pg_temp.tx(t.id) FROM xphere.transactions t WHERE t.type = 'TRANSFER'
				ORDER BY pg_temp.who(t.user_id)),
		  ARRAY['alice TRANSFER XP 20.25 fee 0 COMPLETED', 'bob TRANSFER XP 20.25 fee 0 COMPLETED'],
		  'a transfer writes two TRANSFER entries, one per side, both without fee');
SELECT is(ARRAY(SELECT x.h FROM xphere.transactions t, unnest(pg_temp.hist(t.id)) AS x(h)
				WHERE t.type = 'TRANSFER' ORDER BY x.h),
		  ARRAY['alice XP: 59.5 -20.25 39.25 | 0 0 0', 'bob XP: 0 20.25 20.25 | 0 0 0'],
		  'the two sides'' history rows: 59.5 - 20.25 = 39.25 and 0 + 20.25 = 20.25');
SELECT is((SELECT count(*) FROM xphere.transactions t WHERE t.type = 'TRANSFER'
			AND t.metadata ->> 'memo' = 'rent'), 2::bigint,
		  'the memo is kept with both entries');

SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), pg_temp.id('alice'), 'XP', 1)$$,
					 '22023', 'a transfer to oneself is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), pg_temp.id('bob'), 'XP', '39.250000000000000001')$$,
					 'XP001', 'a transfer one wei over the available balance is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('bob'), pg_temp.id('alice'), 'USDT', 1)$$,
					 'XP001', 'a transfer from an empty account is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), '11111111-1111-1111-1111-111111111111', 'XP', 1)$$,
					 'P0002', 'a transfer to an unknown user is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer('11111111-1111-1111-1111-111111111111', pg_temp.id('alice'), 'XP', 1)$$,
					 'P0002', 'a transfer from an unknown user is refused');
SELECT pg_temp.fails(format('SELECT xphere.transfer(pg_temp.id(''alice''), pg_temp.id(''bob''), ''XP'', 1, %L)', repeat('m', 1001)),
					 '22023', 'a transfer with a 1001-character memo is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), pg_temp.id('bob'), 'XP', 0)$$,
					 '22023', 'a transfer of 0 is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), pg_temp.id('bob'), 'XP', -1)$$,
					 '22023', 'a negative transfer is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(NULL, pg_temp.id('bob'), 'XP', 1)$$,
					 '22004', 'a transfer with a NULL sender is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), NULL, 'XP', 1)$$,
					 '22004', 'a transfer with a NULL receiver is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), pg_temp.id('bob'), NULL, 1)$$,
					 '22004', 'a transfer with a NULL currency is refused');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), pg_temp.id('bob'), 'XP', NULL)$$,
					 '22004', 'a transfer with a NULL amount is refused');
SELECT pg_temp.fails($$SELECT xphere.complete_withdrawal(pg_temp.id('t1'), pg_temp.txh('transfer'))$$,
					 'XP006', 'completing a TRANSFER entry as a withdrawal is refused');

-- the whole available balance with a 1000-character memo: bob 20.25 -> carol
SELECT pg_temp.run('t2', format('SELECT xphere.transfer(pg_temp.id(''bob''), pg_temp.id(''carol''), ''XP'', ''20.25'', %L)', repeat('m', 1000)),
				   'a transfer of the whole balance with a 1000-character memo is accepted');
SELECT is(pg_temp.acct(pg_temp.id('bob'), 'XP'), '0/0', 'bob sent everything: 0 left');
SELECT is(pg_temp.acct(pg_temp.id('carol'), 'XP'), '25.25/0', 'carol: 5 + 20.25 = 25.25');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold after transfers');

-- ===================================================================
-- balance
-- ===================================================================

SELECT is(xphere.balance(pg_temp.id('alice'), 'XP'), '39.25'::xphere.wad, 'balance: alice has 39.25 XP');
SELECT is(xphere.balance(pg_temp.id('alice'), 'USDT'), '250.5'::xphere.wad, 'balance: alice has 250.5 USDT');
SELECT is(xphere.balance(pg_temp.id('bob'), 'USDT'), '0'::xphere.wad, 'balance of an empty account is 0');
SELECT pg_temp.fails($$SELECT xphere.balance('11111111-1111-1111-1111-111111111111', 'XP')$$,
					 'P0002', 'balance of an unknown user is refused');
SELECT pg_temp.fails($$SELECT xphere.balance(NULL, 'XP')$$, '22004', 'balance with a NULL user is refused');
SELECT pg_temp.fails($$SELECT xphere.balance(pg_temp.id('alice'), NULL)$$, '22004', 'balance with a NULL currency is refused');

-- ===================================================================
-- Acting for a user (xphere.user_id): only for oneself
-- ===================================================================

SELECT set_config('xphere.user_id', pg_temp.id('bob')::text, true) AS acting \gset
SELECT is(xphere.balance(pg_temp.id('bob'), 'XP'), '0'::xphere.wad, 'a session acting for bob reads bob''s balance');
SELECT pg_temp.fails($$SELECT xphere.balance(pg_temp.id('alice'), 'XP')$$,
					 '42501', 'a session acting for bob cannot read alice''s balance');
SELECT pg_temp.fails(format('SELECT xphere.request_withdrawal(pg_temp.id(''alice''), ''XP'', 1, %L)', :'addr1'),
					 '42501', 'a session acting for bob cannot withdraw from alice');
SELECT pg_temp.fails($$SELECT xphere.transfer(pg_temp.id('alice'), pg_temp.id('bob'), 'XP', 1)$$,
					 '42501', 'a session acting for bob cannot transfer from alice');
SELECT pg_temp.fails($$SELECT xphere.balance('11111111-1111-1111-1111-111111111111', 'XP')$$,
					 'P0002', 'an unknown user is reported before the permission check');
SELECT set_config('xphere.user_id', '', true) AS acting \gset

-- ===================================================================
-- Overflow
-- ===================================================================

-- A balance at the largest wad (2^127 - 1 units) cannot take one more
-- unit: 22003, nothing changed.  In a savepoint: such a balance is not a
-- state the rest of the file is about.
SAVEPOINT overflow;
SELECT pg_temp.run(NULL, $$SELECT xphere.deposit(pg_temp.id('carol'), 'USDT', '170141183460469231731.687303715884105727', pg_temp.txh('max-1'))$$,
				   'a deposit of the largest wad is accepted');
SELECT pg_temp.fails($$SELECT xphere.deposit(pg_temp.id('carol'), 'USDT', '0.000000000000000001', pg_temp.txh('max-2'))$$,
					 '22003', 'one more wei on a balance at the largest wad overflows');
ROLLBACK TO SAVEPOINT overflow;

-- ===================================================================
-- Money is conserved
-- ===================================================================

-- one more completed withdrawal and one left pending:
-- carol 25.25 XP withdraws 10 (fee 0.5) -> completed: carol 14.75, house 1;
-- bob gets 5 USDT and asks for 3 (fee 1): bob USDT 1/4 pending.
SELECT pg_temp.run('w4', format('SELECT xphere.request_withdrawal(pg_temp.id(''carol''), ''XP'', 10, %L)', :'addr1'),
				   'carol requests 10 XP');
SELECT pg_temp.run(NULL, $$SELECT xphere.complete_withdrawal(pg_temp.id('w4'), E'\t' || upper(pg_temp.txh('w4sent')) || ' ')$$,
				   'carol''s withdrawal completes (tx_hash in upper case, a tab and a space around)');
SELECT is((SELECT tx_hash FROM xphere.transactions WHERE id = pg_temp.id('w4')), pg_temp.txh('w4sent'),
		  'the completed withdrawal''s tx_hash is stored trimmed and in lower case');
SELECT pg_temp.run('d4', $$SELECT xphere.deposit(pg_temp.id('bob'), 'USDT', 5, pg_temp.txh('usdt-2'))$$,
				   'bob deposits 5 USDT');
SELECT pg_temp.run('w5', format('SELECT xphere.request_withdrawal(pg_temp.id(''bob''), ''USDT'', 3, %L)', :'addr2'),
				   'bob requests 3 USDT and it stays pending');
SELECT is(ARRAY[pg_temp.acct(pg_temp.id('carol'), 'XP'), pg_temp.acct(xphere_internal.house_id(), 'XP'),
				pg_temp.acct(pg_temp.id('bob'), 'USDT')],
		  ARRAY['14.75/0', '1/0', '1/4'],
		  'carol 25.25 - 10.5 = 14.75, house 0.5 + 0.5 = 1 XP, bob USDT 5 - 4 = 1 available, 4 locked');

-- XP: deposits 100 + 5 + 7 = 112, completed withdrawals 40 + 10 = 50 -> 62
--   held: alice 39.25 + bob 0 + carol 14.75 + dora 7 + house 1 = 62
-- USDT: deposits 250.5 + 5 = 255.5, completed withdrawals none -> 255.5
--   held: alice 250.5 + bob 1 + 4 locked = 255.5
SELECT is(ARRAY(SELECT format('%s %s', c, (SELECT sum(a.available + a.locked) FROM xphere.accounts a
											WHERE a.currency = c))
				FROM unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c),
		  ARRAY['XP 62', 'USDT 255.5'],
		  'all accounts together hold exactly 62 XP and 255.5 USDT');
SELECT is(ARRAY(SELECT format('%s %s', c,
				coalesce((SELECT sum(t.amount) FROM xphere.transactions t WHERE t.currency = c
						  AND t.type = 'DEPOSIT' AND t.status = 'COMPLETED'), 0)
			  - coalesce((SELECT sum(t.amount) FROM xphere.transactions t WHERE t.currency = c
						  AND t.type = 'WITHDRAWAL' AND t.status = 'COMPLETED'), 0))
				FROM unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c),
		  ARRAY['XP 62', 'USDT 255.5'],
		  'money is conserved: per currency, accounts = completed deposits - completed withdrawals');
SELECT is((SELECT sum(h.available_change + h.locked_change) FROM xphere.balance_history h
			JOIN xphere.transactions t ON t.id = h.transaction_id WHERE t.type = 'TRANSFER'),
		  '0'::xphere.wad, 'transfers move money without creating or destroying any');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'invariants hold at the end');

SELECT * FROM finish();
ROLLBACK;

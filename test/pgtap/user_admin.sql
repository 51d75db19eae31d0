--
-- test/pgtap/user_admin.sql: pgTAP tests of the ERD's users (roles, email_verified,
-- indexes), admins, and deactivating or anonymising a user.
--
-- What this file ensures:
--   * user_role has the ERD's labels user, admin, system, in that order;
--     users has email_verified (false) and anonymised_at (NULL); the ERD's
--     indexes of users, refresh_tokens and transactions exist;
--   * set_email_verified: a trusted session sets and clears it; a session
--     of an untrusted role acting for the user itself is 42501; NULL
--     22004, unknown or system user P0002; refused calls change nothing;
--   * set_user_role: a superuser makes a user an admin and back, each
--     audited with old and new role; the same role again changes and
--     audits nothing; xphere_admin cannot call it (42501), not even when
--     granted EXECUTE (the body checks for superuser or owner); the label
--     system and a system user 22023; unknown user P0002; NULL 22004;
--   * the two layers: an operator role unpinned may deposit; pinned to an
--     admin user it may deposit for another user; pinned to a plain user,
--     or to a deactivated admin, deposit, set_setting, set_price,
--     complete_withdrawal and deactivate_user are 42501; a role without
--     xphere_admin pinned to an admin user cannot call them (42501):
--     users.role grants no database privilege; every refusal changes
--     nothing;
--   * deactivate_user: login refused (28P01); refresh tokens revoked
--     (rotate 28P01); every user-scoped call for the user, and a transfer
--     to them, is XP006 and changes nothing (repaying, changing the
--     loan's collateral, claiming, unstaking and withdrawing the stake
--     included); the machine is OFFLINE with
--     its 12 hours settled, and the 0.6 XP it earned is still
--     distributed; stake, supply and loan stay open; the loan stays
--     liquidatable; the pending withdrawal is completed by the operator;
--     no ledger entry or history row is written; audited; a second call
--     is XP006; reactivate_user lets the user log in again (machine stays
--     OFFLINE); DELETE of a user is 42501;
--   * deactivate_user(..., true): email, name, password, wallet address
--     replaced, email_verified false, anonymised_at set, the audit row
--     holds none of the old personal data, the money rows stay, the
--     email can be registered again; reactivating or deactivating again is
--     XP006;
--   * bad input: NULLs 22004, unknown and system users P0002, nothing
--     changed; check_invariants() is empty at the end.
--
-- Numbers (by hand): p1 earns the ERD's 1.2 XP a day; ONLINE from T0 to
-- T0 + 12 h: 43 200 000 000 us, 1.2 x 12 / 24 = 0.6 XP.  bob: 500 XP deposited,
-- 100 staked, 50 supplied, 20 borrowed: 370 XP available; plus 0.6:
-- 370.6.  Withdrawal of 50 USDT with the 1 USDT fee: 51 locked; the
-- house's FEE entry is 1 USDT.
--
\ir ../lib/preamble.sql
\ir ../lib/helpers.sql

SELECT plan(148);

UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';
SET LOCAL TimeZone = 'UTC';

-- roles of this test (gone with the rollback)
CREATE ROLE xp_ua_ops LOGIN;
GRANT xphere_admin TO xp_ua_ops;
CREATE ROLE xp_ua_backend LOGIN;
GRANT xphere_backend TO xp_ua_backend;
CREATE ROLE xp_ua_user LOGIN;
GRANT xphere_app TO xp_ua_user;

SELECT pg_temp.register_users(ARRAY['alice', 'bob', 'carol', 'dave']);
-- (as psql variables too, for the statements run under the test roles)
SELECT pg_temp.r('alice') AS alice, pg_temp.r('bob') AS bob, pg_temp.r('carol') AS carol \gset

-- ===================================================================
-- The ERD's users
-- ===================================================================

SELECT is(enum_range(NULL::xphere.user_role)::text, '{user,admin,system}',
		  'user_role has the ERD''s labels user and admin, then system, in that order');
SELECT is((SELECT format('%s %s %s', role, email_verified, anonymised_at IS NULL)
		   FROM xphere.users WHERE id = pg_temp.id('alice')),
		  'user f t', 'a new user has role user, email_verified false, no anonymised_at');
SELECT is((SELECT role::text FROM xphere.users WHERE id = xphere_internal.house_id()), 'system',
		  'the house is a system user');
SELECT is(ARRAY(SELECT indexdef FROM pg_indexes WHERE schemaname = 'xphere'
				AND indexname IN ('users_email_key', 'users_wallet_address_idx', 'refresh_tokens_user_idx',
								  'refresh_tokens_expires_idx', 'transactions_user_type_idx',
								  'transactions_status_created_idx', 'transactions_created_idx',
								  'transactions_user_created_idx')
				ORDER BY indexname),
		  ARRAY['CREATE INDEX refresh_tokens_expires_idx ON xphere.refresh_tokens USING btree (expires_at)',
				'CREATE INDEX refresh_tokens_user_idx ON xphere.refresh_tokens USING btree (user_id) WHERE (revoked_at IS NULL)',
				'CREATE INDEX transactions_created_idx ON xphere.transactions USING btree (created_at)',
				'CREATE INDEX transactions_status_created_idx ON xphere.transactions USING btree (status, created_at)',
				'CREATE INDEX transactions_user_created_idx ON xphere.transactions USING btree (user_id, created_at)',
				'CREATE INDEX transactions_user_type_idx ON xphere.transactions USING btree (user_id, type)',
				'CREATE UNIQUE INDEX users_email_key ON xphere.users USING btree (email)',
				'CREATE INDEX users_wallet_address_idx ON xphere.users USING btree (wallet_address) WHERE (wallet_address IS NOT NULL)'],
		  'the ERD''s indexes: idx_email, idx_wallet, idx_user, idx_expires, idx_user_type, idx_status, idx_created, idx_transactions_user_created');
SELECT hasnt_index('xphere', 'transactions', 'transactions_pending_idx',
				   'transactions_status_created_idx replaces the partial index of PENDING entries');

-- ===================================================================
-- set_email_verified
-- ===================================================================

SET LOCAL ROLE xp_ua_backend;
SELECT lives_ok(format('SELECT xphere.set_email_verified(%L)', :'alice'),
				'a trusted backend confirms alice''s email address');
RESET ROLE;
SELECT is((SELECT email_verified FROM xphere.users WHERE id = pg_temp.id('alice')), true,
		  'alice''s email_verified is true');
SELECT lives_ok(format('SELECT xphere.set_email_verified(%L, false)', pg_temp.r('alice')),
				'set_email_verified(alice, false) clears it');
SELECT is((SELECT email_verified FROM xphere.users WHERE id = pg_temp.id('alice')), false,
		  'alice''s email_verified is false again');

SELECT pg_temp.snapshot() AS s0 \gset
SELECT set_config('xphere.user_id', pg_temp.r('bob'), true);
SET LOCAL ROLE xp_ua_user;
SELECT throws_ok(format('SELECT xphere.set_email_verified(%L)', :'bob'), '42501', NULL,
				 'bob''s own untrusted role, pinned to bob, cannot mark bob''s email verified (42501)');
RESET ROLE;
RESET xphere.user_id;
SELECT is(pg_temp.snapshot(), :'s0', 'the refused set_email_verified changed nothing');
SELECT * FROM pg_temp.fails(format('SELECT xphere.set_email_verified(%L, NULL)', pg_temp.r('bob')),
							'22004', 'set_email_verified with verified NULL');
SELECT * FROM pg_temp.fails($$SELECT xphere.set_email_verified('11111111-1111-1111-1111-111111111111')$$,
							'P0002', 'set_email_verified for an unknown user');
SELECT * FROM pg_temp.fails($$SELECT xphere.set_email_verified(xphere_internal.house_id())$$,
							'P0002', 'set_email_verified for the house (a system user)');

-- ===================================================================
-- set_user_role
-- ===================================================================

SELECT lives_ok(format('SELECT xphere.set_user_role(%L, %L)', pg_temp.r('alice'), 'admin'),
				'a superuser makes alice an admin');
SELECT is((SELECT role::text FROM xphere.users WHERE id = pg_temp.id('alice')), 'admin', 'alice is an admin');
SELECT is((SELECT format('%s %s %s %s', action, object_type, old_value, new_value) FROM xphere.audit_log
		   WHERE object_id = pg_temp.r('alice') ORDER BY id DESC LIMIT 1),
		  'set_user_role user {"role": "user"} {"role": "admin"}',
		  'the change is audited with the old and the new role');
SELECT lives_ok(format('SELECT xphere.set_user_role(%L, %L)', pg_temp.r('carol'), 'admin'),
				'carol is made an admin');
SELECT lives_ok(format('SELECT xphere.set_user_role(%L, %L)', pg_temp.r('carol'), 'user'),
				'and a user again');
SELECT is((SELECT string_agg(format('%s>%s', old_value ->> 'role', new_value ->> 'role'), ',' ORDER BY id)
		   FROM xphere.audit_log WHERE object_id = pg_temp.r('carol')),
		  'user>admin,admin>user', 'both of carol''s changes are audited');
SELECT pg_temp.snapshot() AS s0 \gset
SELECT lives_ok(format('SELECT xphere.set_user_role(%L, %L)', pg_temp.r('alice'), 'admin'),
				'giving alice the role she has succeeds');
SELECT is(pg_temp.snapshot(), :'s0', 'and changes and audits nothing');

SELECT * FROM pg_temp.fails(format('SELECT xphere.set_user_role(%L, %L)', pg_temp.r('bob'), 'system'),
							'22023', 'set_user_role to the label system');
SELECT * FROM pg_temp.fails($$SELECT xphere.set_user_role(xphere_internal.house_id(), 'admin')$$,
							'22023', 'set_user_role of the house (a system user)');
SELECT * FROM pg_temp.fails($$SELECT xphere.set_user_role('11111111-1111-1111-1111-111111111111', 'admin')$$,
							'P0002', 'set_user_role of an unknown user');
SELECT * FROM pg_temp.fails(format('SELECT xphere.set_user_role(%L, NULL)', pg_temp.r('bob')),
							'22004', 'set_user_role with role NULL');
SELECT * FROM pg_temp.fails($$SELECT xphere.set_user_role(NULL, 'admin')$$,
							'22004', 'set_user_role with user_id NULL');

SELECT pg_temp.snapshot() AS s0 \gset
SET LOCAL ROLE xp_ua_ops;
SELECT throws_ok(format('SELECT xphere.set_user_role(%L, %L)', :'bob', 'admin'), '42501', NULL,
				 'xphere_admin may not execute set_user_role (42501)');
RESET ROLE;
GRANT EXECUTE ON FUNCTION xphere.set_user_role(uuid, xphere.user_role) TO xp_ua_ops;
SET LOCAL ROLE xp_ua_ops;
SELECT throws_ok(format('SELECT xphere.set_user_role(%L, %L)', :'bob', 'admin'), '42501',
				 'permission denied to set a user''s role',
				 'even granted EXECUTE, a role that is neither superuser nor owner is refused by the function (42501)');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION xphere.set_user_role(uuid, xphere.user_role) FROM xp_ua_ops;
SELECT is(pg_temp.snapshot(), :'s0', 'the refused set_user_role calls changed nothing');

-- ===================================================================
-- Database role x users.role
-- ===================================================================

SET LOCAL ROLE xp_ua_ops;
SELECT lives_ok(format('SELECT xphere.deposit(%L, %L, 500, %L)', :'bob', 'XP', pg_temp.txh('b-xp')),
				'xphere_admin, unpinned: deposits 500 XP for bob');
RESET ROLE;
SELECT set_config('xphere.user_id', pg_temp.r('alice'), true);
SET LOCAL ROLE xp_ua_ops;
SELECT lives_ok(format('SELECT xphere.deposit(%L, %L, 1000, %L)', :'bob', 'USDT', pg_temp.txh('b-usdt')),
				'xphere_admin pinned to alice (an admin): deposits 1000 USDT for bob');
RESET ROLE;
RESET xphere.user_id;
SELECT is(pg_temp.acct(pg_temp.id('bob'), 'XP') || ' ' || pg_temp.acct(pg_temp.id('bob'), 'USDT'),
		  '500/0 1000/0', 'bob holds 500 XP and 1000 USDT');
SELECT xphere.request_withdrawal(pg_temp.id('bob'), 'USDT', 50, '0x' || repeat('b0', 20)) AS wd_bob \gset

SELECT pg_temp.snapshot() AS s0 \gset
SELECT set_config('xphere.user_id', pg_temp.r('bob'), true);
SET LOCAL ROLE xp_ua_ops;
SELECT throws_ok(format('SELECT xphere.deposit(%L, %L, 1, %L)', :'carol', 'XP', pg_temp.txh('c-1')),
				 '42501', 'permission denied for an operator function',
				 'xphere_admin pinned to bob (a plain user): deposit is 42501');
SELECT throws_ok($$SELECT xphere.set_setting('swap_fee_bps', '40')$$, '42501', NULL,
				 'xphere_admin pinned to bob: set_setting is 42501');
SELECT throws_ok($$SELECT xphere.set_price('XP', 2)$$, '42501', NULL,
				 'xphere_admin pinned to bob: set_price is 42501');
SELECT throws_ok(format('SELECT xphere.complete_withdrawal(%L, %L)', :'wd_bob', pg_temp.txh('wd-bob')), '42501', NULL,
				 'xphere_admin pinned to bob: complete_withdrawal (even of bob''s own withdrawal) is 42501');
SELECT throws_ok(format('SELECT xphere.deactivate_user(%L)', :'carol'), '42501', NULL,
				 'xphere_admin pinned to bob: deactivate_user is 42501');
RESET ROLE;
SELECT set_config('xphere.user_id', pg_temp.r('alice'), true);
SET LOCAL ROLE xp_ua_backend;
SELECT throws_ok(format('SELECT xphere.deposit(%L, %L, 1, %L)', :'carol', 'XP', pg_temp.txh('c-2')),
				 '42501', NULL,
				 'xphere_backend pinned to alice (an admin): deposit is 42501, users.role grants no database privilege');
RESET ROLE;
RESET xphere.user_id;
SELECT is(pg_temp.snapshot(), :'s0', 'the refused operator calls changed nothing');

-- ===================================================================
-- bob's platform, then deactivate_user(bob) twelve hours later
-- ===================================================================

SELECT xphere.deposit(pg_temp.id('carol'), 'XP', 1000, pg_temp.txh('c-xp')) \g /dev/null
SELECT xphere.deposit(pg_temp.id('alice'), 'XP', 1000, pg_temp.txh('a-xp')) \g /dev/null
SELECT xphere.set_price('XP', 1) \g /dev/null
SELECT xphere.supply(pg_temp.id('carol'), 'lp-xp', 1000) \g /dev/null
SELECT pg_temp.run('m_bob', format('SELECT xphere.purchase_machine(%L, %L)', pg_temp.r('bob'), 'p1'),
				   'bob buys a p1 machine (ONLINE)');
SELECT pg_temp.run('st_bob', format('SELECT xphere.stake(%L, 100)', pg_temp.r('bob')), 'bob stakes 100 XP');
SELECT lives_ok(format('SELECT xphere.supply(%L, %L, 50)', pg_temp.r('bob'), 'lp-xp'), 'bob supplies 50 XP');
SELECT pg_temp.run('loan_bob', format('SELECT xphere.borrow(%L, %L, 20, %L, 100)', pg_temp.r('bob'), 'lp-xp', 'USDT'),
				   'bob borrows 20 XP against 100 USDT');
SELECT xphere.issue_refresh_token(pg_temp.id('bob')) AS tok_b1 \gset
SELECT xphere.issue_refresh_token(pg_temp.id('bob')) AS tok_b2 \gset
SELECT is(pg_temp.acct(pg_temp.id('bob'), 'XP'), '370/0',
		  'bob: 500 XP - 100 staked - 50 supplied + 20 borrowed = 370');

SET LOCAL xphere.clock = '2027-01-01 12:00:00+00';
SELECT (SELECT count(*) FROM xphere.transactions) || '/' || (SELECT count(*) FROM xphere.balance_history) AS ledger0 \gset
SET LOCAL ROLE xp_ua_ops;
SELECT lives_ok(format('SELECT xphere.deactivate_user(%L)', :'bob'),
				'xphere_admin, unpinned, deactivates bob');
RESET ROLE;
SELECT is((SELECT count(*) FROM xphere.transactions) || '/' || (SELECT count(*) FROM xphere.balance_history),
		  :'ledger0', 'deactivation writes no ledger entry and no history row');
SELECT is((SELECT format('%s %s', is_active, anonymised_at IS NULL) FROM xphere.users WHERE id = pg_temp.id('bob')),
		  'f t', 'bob is inactive, not anonymised');
SELECT is((SELECT format('%s %s', action, new_value) FROM xphere.audit_log
		   WHERE object_id = pg_temp.r('bob') ORDER BY id DESC LIMIT 1),
		  'deactivate_user {"is_active": false, "anonymised": false, "machines_offline": 1, "refresh_tokens_revoked": 2}',
		  'audited: one machine taken offline, two refresh tokens revoked');
SELECT is((SELECT string_agg(revoked_at::text, ',') FROM xphere.refresh_tokens WHERE user_id = pg_temp.id('bob')),
		  '2027-01-01 12:00:00+00,2027-01-01 12:00:00+00', 'both of bob''s refresh tokens are revoked at 12:00');
SELECT is((SELECT format('%s %s %s', status, online_us_before, online_since) FROM xphere.user_machines
		   WHERE id = pg_temp.id('m_bob')),
		  'OFFLINE 43200000000 ', 'the machine is OFFLINE with its 12 hours (43 200 000 000 us) settled');

SELECT pg_temp.snapshot() AS s0 \gset
SELECT throws_ok($$SELECT xphere.authenticate('bob@example.com', 'password-bob')$$, '28P01', NULL,
				 'bob cannot log in (28P01)');
SELECT throws_ok(format('SELECT xphere.rotate_refresh_token(%L)', :'tok_b2'), '28P01', NULL,
				 'bob''s refresh token is refused (28P01)');
SELECT is(pg_temp.snapshot(), :'s0', 'the refused login and rotation changed nothing');
SELECT * FROM pg_temp.fails(format('SELECT xphere.balance(%L, %L)', pg_temp.r('bob'), 'XP'),
							'XP006', 'balance for deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.transfer(%L, %L, %L, 1)', pg_temp.r('bob'), pg_temp.r('alice'), 'XP'),
							'XP006', 'a transfer from deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.transfer(%L, %L, %L, 1)', pg_temp.r('alice'), pg_temp.r('bob'), 'XP'),
							'XP006', 'a transfer to deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.request_withdrawal(%L, %L, 1, %L)', pg_temp.r('bob'), 'XP',
								   '0x' || repeat('b0', 20)),
							'XP006', 'a withdrawal request of deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.stake(%L, 100)', pg_temp.r('bob')),
							'XP006', 'a stake of deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.issue_refresh_token(%L)', pg_temp.r('bob')),
							'XP006', 'a new refresh token for deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.deposit(%L, %L, 1, %L)', pg_temp.r('bob'), 'XP', pg_temp.txh('b-late')),
							'XP006', 'a deposit for deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.deactivate_user(%L)', pg_temp.r('bob')),
							'XP006', 'deactivating bob twice');
-- the loan and the stake are frozen too: only others' liquidations move them
SELECT * FROM pg_temp.fails(format('SELECT xphere.repay(%L, %L, 1)', pg_temp.r('bob'), pg_temp.r('loan_bob')),
							'XP006', 'a repayment by deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.add_collateral(%L, %L, 1)', pg_temp.r('bob'), pg_temp.r('loan_bob')),
							'XP006', 'collateral added by deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.remove_collateral(%L, %L, 1)', pg_temp.r('bob'), pg_temp.r('loan_bob')),
							'XP006', 'collateral removed by deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.claim_staking_rewards(%L, %L)', pg_temp.r('bob'), pg_temp.r('st_bob')),
							'XP006', 'a reward claim of deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.unstake(%L, %L)', pg_temp.r('bob'), pg_temp.r('st_bob')),
							'XP006', 'an unstake of deactivated bob');
SELECT * FROM pg_temp.fails(format('SELECT xphere.withdraw_stake(%L, %L)', pg_temp.r('bob'), pg_temp.r('st_bob')),
							'XP006', 'a stake withdrawal of deactivated bob');
SELECT * FROM pg_temp.fails(format('DELETE FROM xphere.users WHERE id = %L', pg_temp.r('bob')),
							'42501', 'deleting bob''s row');
SELECT * FROM pg_temp.fails(format('DELETE FROM xphere.users WHERE id = %L', pg_temp.r('alice')),
							'42501', 'deleting an active user''s row');

-- a day after T0: what the machine earned is paid; the loan is liquidatable
SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT lives_ok('SELECT xphere.distribute_mining_rewards()', 'rewards are distributed a day after T0');
SELECT is((SELECT xphere.sum(amount)::text FROM xphere.mining_rewards WHERE machine_id = pg_temp.id('m_bob')), '0.6',
		  'bob''s machine is paid the 0.6 XP of its 12 ONLINE hours, no more');
SELECT is(pg_temp.acct(pg_temp.id('bob'), 'XP'), '370.6/0', 'bob''s XP account: 370 + 0.6');
SELECT is((SELECT status::text FROM xphere.staking_positions WHERE id = pg_temp.id('st_bob')), 'ACTIVE',
		  'bob''s stake stays ACTIVE');
SELECT is((SELECT count(*)::int FROM xphere.supply_positions WHERE user_id = pg_temp.id('bob') AND scaled_amount OPERATOR(xphere.>) '0'::xphere.wad), 1,
		  'bob''s supply position stays');
SELECT is((SELECT status::text FROM xphere.borrow_positions WHERE id = pg_temp.id('loan_bob')), 'OPEN',
		  'bob''s loan stays OPEN');
SELECT lives_ok($$SELECT xphere.set_price('XP', 5)$$, 'XP rises to 5 USDT: 100 x 0.8 / (20 x 5) = 0.8 < 1');
SELECT is((SELECT count(*)::int FROM xphere.liquidatable_positions('lp-xp') WHERE id = pg_temp.id('loan_bob')), 1,
		  'deactivated bob''s loan is listed as liquidatable');
SELECT lives_ok(format('SELECT xphere.liquidate(%L, %L)', pg_temp.r('alice'), pg_temp.r('loan_bob')),
				'alice liquidates deactivated bob''s loan');
SELECT lives_ok(format('SELECT xphere.complete_withdrawal(%L, %L)', :'wd_bob', pg_temp.txh('wd-bob')),
				'the operator completes bob''s pending withdrawal');
SELECT is((SELECT format('%s %s %s', pg_temp.tx(f.id), f.metadata ->> 'source', f.metadata ->> 'transaction_id' = :'wd_bob')
		   FROM xphere.transactions f WHERE f.type = 'FEE'),
		  'house FEE USDT 1 fee 0 COMPLETED WITHDRAWAL t', 'the 1 USDT fee is the house''s FEE entry');

SELECT lives_ok(format('SELECT xphere.reactivate_user(%L)', pg_temp.r('bob')), 'bob is reactivated');
SELECT is((SELECT format('%s %s', action, new_value) FROM xphere.audit_log
		   WHERE object_id = pg_temp.r('bob') ORDER BY id DESC LIMIT 1),
		  'reactivate_user {"is_active": true}', 'the reactivation is audited');
SELECT is(xphere.authenticate('bob@example.com', 'password-bob'), pg_temp.id('bob'), 'bob logs in again');
SELECT is((SELECT status::text FROM xphere.user_machines WHERE id = pg_temp.id('m_bob')), 'OFFLINE',
		  'the machine stays OFFLINE until the operator sets it ONLINE');
SELECT * FROM pg_temp.fails(format('SELECT xphere.reactivate_user(%L)', pg_temp.r('bob')),
							'XP006', 'reactivating an active user');

-- an admin loses the operator functions with the account
SELECT lives_ok(format('SELECT xphere.deactivate_user(%L)', pg_temp.r('alice')), 'alice (an admin) is deactivated');
SELECT pg_temp.snapshot() AS s0 \gset
SELECT set_config('xphere.user_id', pg_temp.r('alice'), true);
SET LOCAL ROLE xp_ua_ops;
SELECT throws_ok(format('SELECT xphere.deposit(%L, %L, 1, %L)', :'carol', 'XP', pg_temp.txh('c-3')),
				 '42501', NULL, 'xphere_admin pinned to deactivated admin alice: deposit is 42501');
RESET ROLE;
RESET xphere.user_id;
SELECT is(pg_temp.snapshot(), :'s0', 'and changes nothing');

-- ===================================================================
-- deactivate_user(dave, true): anonymised
-- ===================================================================

UPDATE xphere.users SET wallet_address = '0x' || repeat('d0', 20) WHERE id = pg_temp.id('dave');
SELECT xphere.set_email_verified(pg_temp.id('dave')) \g /dev/null
SELECT xphere.deposit(pg_temp.id('dave'), 'USDT', 10, pg_temp.txh('d-usdt')) \g /dev/null
SELECT (SELECT count(*) FROM xphere.transactions) || '/' || (SELECT count(*) FROM xphere.balance_history) AS ledger0 \gset
SELECT lives_ok(format('SELECT xphere.deactivate_user(%L, true)', pg_temp.r('dave')), 'dave is anonymised');
SELECT is((SELECT format('%s|%s|%s|%s|%s|%s|%s', email, name, password_hash, wallet_address, email_verified,
						 is_active, anonymised_at)
		   FROM xphere.users WHERE id = pg_temp.id('dave')),
		  format('anonymised-%s@xphere.invalid|anonymised user|!||f|f|2027-01-02 00:00:00+00', pg_temp.r('dave')),
		  'email, name, password hash and wallet address are replaced; not verified, inactive, anonymised now');
SELECT is((SELECT count(*)::int FROM xphere.audit_log
		   WHERE object_id = pg_temp.r('dave') AND action = 'anonymise_user'
			 AND (old_value::text || new_value::text) !~* 'dave|d0d0'), 1,
		  'the audit row of the anonymisation keeps none of the personal data');
SELECT is((SELECT count(*) FROM xphere.transactions) || '/' || (SELECT count(*) FROM xphere.balance_history),
		  :'ledger0', 'anonymising writes no ledger entry and no history row');
SELECT is(pg_temp.acct(pg_temp.id('dave'), 'USDT'), '10/0', 'dave''s 10 USDT stay, still owed');
SELECT throws_ok(format('SELECT xphere.authenticate(%L, %L)', 'anonymised-' || pg_temp.r('dave') || '@xphere.invalid',
						'password-dave'), '28P01', NULL, 'the placeholder email cannot log in (28P01)');
SELECT throws_ok($$SELECT xphere.authenticate('dave@example.com', 'password-dave')$$, '28P01', NULL,
				 'the old email cannot log in (28P01)');
SELECT isnt(xphere.register_user('dave@example.com', 'password-dave2', 'Dave'), pg_temp.id('dave'),
			'the old email can be registered again, as a new user');
SELECT * FROM pg_temp.fails(format('SELECT xphere.reactivate_user(%L)', pg_temp.r('dave')),
							'XP006', 'reactivating an anonymised user');
SELECT * FROM pg_temp.fails(format('SELECT xphere.deactivate_user(%L, true)', pg_temp.r('dave')),
							'XP006', 'anonymising twice');
SELECT * FROM pg_temp.fails(format('SELECT xphere.deactivate_user(%L)', pg_temp.r('dave')),
							'XP006', 'deactivating an anonymised user');
SELECT lives_ok(format('SELECT xphere.deactivate_user(%L, true)', pg_temp.r('alice')),
				'a deactivated user (alice) can be anonymised afterwards');

-- ===================================================================
-- bad input
-- ===================================================================

SELECT * FROM pg_temp.fails('SELECT xphere.deactivate_user(NULL)', '22004', 'deactivate_user(NULL)');
SELECT * FROM pg_temp.fails(format('SELECT xphere.deactivate_user(%L, NULL)', pg_temp.r('carol')),
							'22004', 'deactivate_user with anonymise NULL');
SELECT * FROM pg_temp.fails($$SELECT xphere.deactivate_user('11111111-1111-1111-1111-111111111111')$$,
							'P0002', 'deactivate_user of an unknown user');
SELECT * FROM pg_temp.fails('SELECT xphere.deactivate_user(xphere_internal.house_id())', 'P0002',
							'deactivate_user of the house (a system user)');
SELECT * FROM pg_temp.fails('SELECT xphere.reactivate_user(NULL)', '22004', 'reactivate_user(NULL)');
SELECT * FROM pg_temp.fails($$SELECT xphere.reactivate_user('11111111-1111-1111-1111-111111111111')$$,
							'P0002', 'reactivate_user of an unknown user');
SELECT * FROM pg_temp.fails('SELECT xphere.reactivate_user(xphere_internal.house_id())', 'P0002',
							'reactivate_user of the house (a system user)');

SELECT is_empty('SELECT * FROM xphere.check_invariants()', 'check_invariants() is empty at the end');

SELECT * FROM finish();
ROLLBACK;

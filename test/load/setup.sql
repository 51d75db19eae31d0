--
-- test/load/setup.sql - the database of the load workload (test/scripts/load.sh,
-- test/scripts/crash.sh): the extension, the call helpers the pgbench scripts of
-- this folder use, and the starting data.
--
--     psql -v users=1000 -d DB -f test/load/setup.sql
--
-- Everything it adds outside the extension lives in schema public:
--   try(call, expected)   runs one API call (a SELECT returning one value)
--                         in a subtransaction; returns one line of three
--                         words for the replay log:
--                           'ok SUBXID VALUE'  it succeeded: SUBXID is the
--                                              xid its rows carry as xmin,
--                                              VALUE its result (shell-safe)
--                           'err SQLSTATE -'   it failed with one of the
--                                              expected business errors and
--                                              changed nothing
--                           'skip - -'         nothing to call (no row of
--                                              the kind the call needs)
--                         any other error (a deadlock, a serialization
--                         failure, a bug) propagates to the caller;
--   load_uid(i)           uuid of load user i (1..users);
--   load_<kind>(u, v, r)  one call of each kind of the mix for user u
--                         (v: a second user, r: a random number), through
--                         try();
--   load_tokens           refresh tokens issued, for the rotations;
--   load_probe            a row per call: written in the subtransaction of
--                         a successful call to learn its xid, and so that
--                         every call's commit is flushed before it is
--                         acknowledged, whatever the call wrote;
--   load_acks             the replay logs, copied in by load_verify
--                         (test/load/lib.sh) for test/load/verify.sql.
--
-- Data: users load1..loadN@load.test inserted in bulk with one bcrypt hash
-- of cost 4 (password 'load-password'); money enters only through the
-- API: deposits of 100 000 XP and USDT (300 each for the last 10 %, who
-- run short), supply to lp-xp and to a USDT pool lp-usdt, p1 machines,
-- stakes, loans close to the liquidation threshold both ways (XP against
-- USDT, USDT against XP), refresh tokens; XP at 1 USDT.  Settings:
-- password_hash_cost 4, unbonding_period 2 seconds, distribution_interval
-- 3 seconds, so that withdrawals of stakes and distributions happen within
-- a short run.
--
\set ON_ERROR_STOP 1
\if :{?users}
\else
	\set users 1000
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS xphere CASCADE;

-- ---------------------------------------------------------------------------
-- the call wrapper

CREATE TABLE load_probe (x integer NOT NULL DEFAULT 0);

CREATE FUNCTION try(call text, expected text[] DEFAULT '{}') RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	res text;
	sub xid;
	outcome text := 'skip - -';
BEGIN
	IF call IS NOT NULL THEN
		BEGIN
			EXECUTE call INTO res;
			/* same subtransaction as the call's writes: its xmin is theirs */
			INSERT INTO public.load_probe DEFAULT VALUES RETURNING xmin INTO sub;
			RETURN 'ok ' || sub::text || ' '
				|| coalesce(nullif(regexp_replace(res, '[^A-Za-z0-9._:+-]', '_', 'g'), ''), 'null');
		EXCEPTION WHEN OTHERS THEN
			IF NOT SQLSTATE = ANY (expected) THEN
				RAISE;
			END IF;
			outcome := 'err ' || SQLSTATE || ' -';
		END;
	END IF;
	/*
	 * A write of its own: a transaction that wrote no WAL commits without
	 * waiting for its commit record to reach the disk (it has nothing to
	 * lose), so after a crash its xid would not be found committed.
	 */
	INSERT INTO public.load_probe DEFAULT VALUES;
	RETURN outcome;
END $$;
COMMENT ON FUNCTION try(text, text[]) IS
	'load test: one API call; ok SUBXID VALUE, err SQLSTATE - for an expected error, skip - -; other errors propagate';

CREATE FUNCTION load_uid(i integer) RETURNS uuid
	LANGUAGE sql IMMUTABLE RETURN md5('load user ' || i)::uuid;

CREATE FUNCTION load_cur(r integer) RETURNS text
	LANGUAGE sql IMMUTABLE RETURN CASE WHEN r % 2 = 0 THEN 'XP' ELSE 'USDT' END;

CREATE TABLE load_tokens (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_no		integer NOT NULL,
	token		text NOT NULL
);
CREATE INDEX ON load_tokens (user_no);

CREATE TABLE load_acks (
	client		integer NOT NULL,
	kind		text NOT NULL,
	outcome		text NOT NULL,	-- ok, err, skip
	sub			text NOT NULL,	-- ok: the call's (sub)transaction xid; err: the SQLSTATE
	val			text NOT NULL,	-- ok: the value returned (or the id acted on)
	xid			xid8 NOT NULL	-- the top-level transaction
);

-- ---------------------------------------------------------------------------
-- one function per kind of call: (u, v, r) = user, second user, random

-- wallet
CREATE FUNCTION load_deposit(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.deposit(%L, %L, %s, %L)', load_uid(u),
		load_cur(r), 10 + r % 991, '0x' || encode(sha256(convert_to('load-' || gen_random_uuid(), 'UTF8')), 'hex')));

CREATE FUNCTION load_request_withdrawal(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.request_withdrawal(%L, %L, %s, %L)', load_uid(u),
		load_cur(r), 1 + r % 50, '0x' || repeat('ab', 20)), '{XP001}');

/* operator: the oldest pending withdrawal nobody else is handling */
CREATE FUNCTION load_complete_withdrawal(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT %L FROM xphere.complete_withdrawal(%L, %L)',
		t.id, t.id, '0x' || encode(sha256(convert_to('out-' || t.id, 'UTF8')), 'hex'))
	FROM xphere.transactions t WHERE t.status = 'PENDING' AND t.type = 'WITHDRAWAL'
	ORDER BY t.created_at LIMIT 1 FOR UPDATE SKIP LOCKED), '{XP006}');

CREATE FUNCTION load_fail_withdrawal(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT %L FROM xphere.fail_withdrawal(%L, %L)',
		t.id, t.id, 'rejected by the load test')
	FROM xphere.transactions t WHERE t.status = 'PENDING' AND t.type = 'WITHDRAWAL'
	ORDER BY t.created_at LIMIT 1 FOR UPDATE SKIP LOCKED), '{XP006}');

CREATE FUNCTION load_transfer(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.transfer(%L, %L, %L, %s, %L)', load_uid(u),
		load_uid(CASE WHEN v <> u THEN v WHEN u = 1 THEN 2 ELSE u - 1 END), load_cur(r), 1 + r % 100,
		'load ' || r), '{XP001}');

CREATE FUNCTION load_balance(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.balance(%L, %L)', load_uid(u), load_cur(r)));

CREATE FUNCTION load_swap(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.swap(%L, %L, %s)', load_uid(u), load_cur(r),
		1 + r % 100), '{XP001,XP005}');

-- mining
CREATE FUNCTION load_purchase_machine(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.purchase_machine(%L, %L)', load_uid(u),
		CASE WHEN r % 5 = 0 THEN 'p2' ELSE 'p1' END), '{XP001}');

CREATE FUNCTION load_set_machine_status(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT %L FROM xphere.set_machine_status(%L, %L)',
		m.id, m.id, (ARRAY['ONLINE', 'ONLINE', 'MAINTENANCE', 'OFFLINE'])[1 + r % 4])
	FROM xphere.user_machines m WHERE m.user_id = load_uid(u) ORDER BY random() LIMIT 1));

CREATE FUNCTION load_pending_mining_rewards(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.pending_mining_rewards(%L)', load_uid(u)));

CREATE FUNCTION load_distribute_mining_rewards(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try('SELECT xphere.distribute_mining_rewards()');

-- lending
CREATE FUNCTION load_pool(r integer) RETURNS text
	LANGUAGE sql IMMUTABLE RETURN CASE WHEN r % 2 = 0 THEN 'lp-xp' ELSE 'lp-usdt' END;

CREATE FUNCTION load_supply(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.supply(%L, %L, %s)', load_uid(u), load_pool(r),
		10 + r % 200), '{XP001}');

CREATE FUNCTION load_withdraw_supply(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.withdraw_supply(%L, %L, %s)', load_uid(u),
		load_pool(r), CASE WHEN r % 10 = 1 THEN 'NULL' ELSE (1 + r % 100)::text END),
		'{XP001,XP002}');

CREATE FUNCTION load_supplied_balance(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.supplied_balance(%L, %L)', load_uid(u), load_pool(r)));

/*
 * A loan with collateral worth 1.30 to 1.79 times the debt: below 1/0.75
 * the LTV refuses it (XP003), just above it a price move of a few percent
 * makes it liquidatable.  lp-xp lends XP against USDT, lp-usdt USDT
 * against XP.
 */
CREATE FUNCTION load_borrow(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.borrow(%L, %L, %s, %L, %L)', load_uid(u),
		load_pool(r), 20 + r % 200, CASE WHEN r % 2 = 0 THEN 'USDT' ELSE 'XP' END,
		round((20 + r % 200) * (1.30 + (r / 7) % 50 / 100.0)
			* CASE WHEN r % 2 = 0 THEN xphere_internal.latest_price('XP')::numeric
				   ELSE 1 / xphere_internal.latest_price('XP')::numeric END, 6)::text),
		-- (22023: after a price move the loan may be worth less than the
		-- minimum position size)
		'{XP001,XP002,XP003,22023}');

CREATE FUNCTION load_open_position(u integer) RETURNS uuid
	LANGUAGE sql RETURN (SELECT b.id FROM xphere.borrow_positions b
		WHERE b.user_id = load_uid(u) AND b.status = 'OPEN' ORDER BY random() LIMIT 1);

/* a partial repayment that would leave less than min_borrow_usdt is refused (22023) */
CREATE FUNCTION load_repay(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT xphere.repay(%L, %L, %s)', load_uid(u), b.id,
		CASE WHEN r % 5 = 0 THEN 'NULL' ELSE (10 + r % 100)::text END)
	FROM (SELECT load_open_position(u) AS id) b WHERE b.id IS NOT NULL), '{XP001,XP006,22023}');

CREATE FUNCTION load_add_collateral(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT xphere.add_collateral(%L, %L, %s)', load_uid(u),
		b.id, 10 + r % 50)
	FROM (SELECT load_open_position(u) AS id) b WHERE b.id IS NOT NULL), '{XP001,XP006}');

CREATE FUNCTION load_remove_collateral(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT xphere.remove_collateral(%L, %L, %s)', load_uid(u),
		b.id, 1 + r % 30)
	-- (22023: what is left would be worth less than min_collateral_usdt)
	FROM (SELECT load_open_position(u) AS id) b WHERE b.id IS NOT NULL), '{XP001,XP003,XP006,22023}');

CREATE FUNCTION load_debt(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT xphere.debt(%L)', b.id)
	FROM xphere.borrow_positions b WHERE b.user_id = load_uid(u) ORDER BY random() LIMIT 1));

CREATE FUNCTION load_position_health(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT xphere.position_health(%L)', b.id)
	FROM xphere.borrow_positions b WHERE b.user_id = load_uid(u) ORDER BY random() LIMIT 1));

/* a liquidatable position of someone else, or (1 in 20) one's own: 42501 */
CREATE FUNCTION load_liquidate(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format(
		'SELECT debt_repaid::text || %L || collateral_seized::text FROM xphere.liquidate(%L, %L)',
		'/', load_uid(u), x.id)
	FROM (SELECT b.id FROM xphere.liquidatable_positions() b
		  WHERE r % 20 <> 0 AND b.user_id <> load_uid(u)
		  UNION ALL
		  SELECT load_open_position(u) WHERE r % 20 = 0) x
	WHERE x.id IS NOT NULL ORDER BY random() LIMIT 1), '{XP001,XP004,XP007,42501}');

CREATE FUNCTION load_liquidatable_positions(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try('SELECT count(*) FROM xphere.liquidatable_positions()');

/* XP between 0.80 and 1.40 USDT: loans of both pools become liquidatable */
CREATE FUNCTION load_set_price(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT %L FROM xphere.set_price(%L, %L, %L)',
		(0.80 + r % 61 / 100.0)::xphere.wad, 'XP', (0.80 + r % 61 / 100.0)::xphere.wad, 'load'));

-- staking
CREATE FUNCTION load_stake(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.stake(%L, %s, %L)', load_uid(u),
		CASE WHEN r % 5 = 0 THEN 500 + r % 100 ELSE 100 + r % 200 END,
		CASE WHEN r % 5 = 0 THEN 'pathfinder' ELSE 'explorer' END), '{XP001}');

CREATE FUNCTION load_stake_of(u integer, statuses text[]) RETURNS uuid
	LANGUAGE sql RETURN (SELECT s.id FROM xphere.staking_positions s
		WHERE s.user_id = load_uid(u) AND s.status::text = ANY (statuses) ORDER BY random() LIMIT 1);

CREATE FUNCTION load_pending_staking_rewards(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT xphere.pending_staking_rewards(%L)', s.id)
	FROM xphere.staking_positions s WHERE s.user_id = load_uid(u) ORDER BY random() LIMIT 1));

CREATE FUNCTION load_claim_staking_rewards(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT xphere.claim_staking_rewards(%L, %L)',
		load_uid(u), s.id) FROM (SELECT load_stake_of(u, '{ACTIVE,UNBONDING}') AS id) s
	WHERE s.id IS NOT NULL));

CREATE FUNCTION load_unstake(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT %L FROM xphere.unstake(%L, %L)', s.id,
		load_uid(u), s.id) FROM (SELECT load_stake_of(u, '{ACTIVE}') AS id) s
	WHERE s.id IS NOT NULL), '{XP006}');

CREATE FUNCTION load_withdraw_stake(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try((SELECT format('SELECT %L FROM xphere.withdraw_stake(%L, %L)', s.id,
		load_uid(u), s.id) FROM (SELECT load_stake_of(u, '{UNBONDING}') AS id) s
	WHERE s.id IS NOT NULL), '{XP006}');

-- users and tokens
CREATE FUNCTION load_register_user(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.register_user(%L, %L, %L)',
		'new-' || gen_random_uuid() || '@load.test', 'password-' || r, 'New user ' || r));

CREATE FUNCTION load_authenticate(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.authenticate(%L, %L)', 'load' || u || '@load.test',
		CASE WHEN r % 10 = 0 THEN 'wrong-password' ELSE 'load-password' END), '{28P01}');

CREATE FUNCTION load_keep_token(u integer, res text) RETURNS text
	LANGUAGE plpgsql AS $$
BEGIN
	IF res LIKE 'ok %' AND split_part(res, ' ', 3) <> 'null' THEN
		INSERT INTO public.load_tokens (user_no, token) VALUES (u, split_part(res, ' ', 3));
	END IF;
	RETURN res;
END $$;

CREATE FUNCTION load_issue_refresh_token(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN load_keep_token(u,
		try(format('SELECT xphere.issue_refresh_token(%L)', load_uid(u))));

/* any token ever issued to the user: a live one rotates, a rotated one revokes all, a dead one is 28P01 */
CREATE FUNCTION load_rotate_refresh_token(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN load_keep_token(u, try((SELECT format('SELECT xphere.rotate_refresh_token(%L)',
		t.token) FROM public.load_tokens t WHERE t.user_no = u ORDER BY t.id DESC
	OFFSET CASE WHEN r % 4 = 0 THEN 1 ELSE 0 END LIMIT 1), '{28P01}'));

CREATE FUNCTION load_revoke_refresh_tokens(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try(format('SELECT xphere.revoke_refresh_tokens(%L)', load_uid(u)));

-- periodic work, as pg_cron would call it besides the worker
CREATE FUNCTION load_tick(u integer, v integer, r integer) RETURNS text
	LANGUAGE sql RETURN try('SELECT CASE WHEN t ? ''skipped'' THEN ''skip''
		ELSE coalesce(t->>''machines_paid'', ''0'') END FROM xphere.tick() t');

-- ---------------------------------------------------------------------------
-- the data

SELECT xphere.set_setting('password_hash_cost', '4');
SELECT xphere.set_setting('unbonding_period', '2 seconds');
SELECT xphere.set_setting('distribution_interval', '3 seconds');
SELECT xphere.create_pool('lp-usdt', 'USDT');
SELECT xphere.set_price('XP', 1);

INSERT INTO xphere.users (id, email, password_hash, name)
SELECT load_uid(i), 'load' || i || '@load.test', h.hash, 'Load user ' || i
FROM generate_series(1, :users) AS i,
	 (SELECT xphere_internal.bcrypt_hash('load-password', 4) AS hash) h;
INSERT INTO xphere.accounts (user_id, currency)
SELECT load_uid(i), c
FROM generate_series(1, :users) AS i, unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c;

SELECT count(xphere.deposit(load_uid(i), c, CASE WHEN i > :users * 0.9 THEN 300 ELSE 100000 END,
							'0x' || encode(sha256(convert_to('setup-' || c || '-' || i, 'UTF8')), 'hex')))
FROM generate_series(1, :users) AS i, unnest(ARRAY['XP', 'USDT']::xphere.currency[]) AS c;
-- (the last 10 % only buy machines)
\set rich :users * 9 / 10
SELECT count(xphere.supply(load_uid(i), 'lp-xp', 2000)) FROM generate_series(1, :rich) AS i;
SELECT count(xphere.supply(load_uid(i), 'lp-usdt', 2000)) FROM generate_series(1, :rich) AS i;
SELECT count(xphere.purchase_machine(load_uid(i), 'p1')) FROM generate_series(3, :users, 3) AS i;
SELECT count(xphere.stake(load_uid(i), 200)) FROM generate_series(2, :rich, 2) AS i;
SELECT count(xphere.stake(load_uid(i), 500, 'pathfinder')) FROM generate_series(10, :rich, 10) AS i;
-- liquidatable when XP rises above 1.12 (lp-xp) or falls below 0.90 (lp-usdt)
SELECT count(xphere.borrow(load_uid(i), 'lp-xp', 300, 'USDT', 420)) FROM generate_series(4, :rich, 4) AS i;
SELECT count(xphere.borrow(load_uid(i), 'lp-usdt', 300, 'XP', 420)) FROM generate_series(1, :rich, 4) AS i;
SELECT count(load_issue_refresh_token(i, 0, 0)) FROM generate_series(1, :users / 10) AS i;
TRUNCATE load_probe;
VACUUM ANALYZE;

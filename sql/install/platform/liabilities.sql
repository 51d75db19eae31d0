/*
 * Proof of liabilities (doc/liabilities.md).
 *
 * An administrator takes a snapshot: every platform user's liability per
 * currency, valued at one instant, becomes a leaf of a Merkle sum tree per
 * currency.  The roots, totals and leaf counts are published
 * (liability_roots, liability_root()); a user fetches an inclusion proof
 * (liability_proof()) and checks it outside the database with
 * examples/python/verify_liability_proof.py or its Node twin.
 *
 * Storage per snapshot: the published trees (liability_trees), a secret
 * the salts derive from (liability_secrets, readable by nobody but the
 * owner), the sorted salts (liability_salts) and every level of every
 * tree (liability_nodes), in chunks that stay in the heap row.  The bulk
 * tables are written only by xphere_internal.liability_build() (liabilities.c) in
 * the transaction that creates the snapshot, and have no foreign keys:
 * a snapshot of a million users writes some 150 000 rows.
 * prune_liability_snapshot() drops what proofs need and keeps what was
 * published.
 */

CREATE TABLE liability_snapshots (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	taken_at		timestamptz NOT NULL,
	leaf_count		integer NOT NULL CHECK (leaf_count >= 0),
	taken_by		text NOT NULL DEFAULT session_user,
	pruned_at		timestamptz
);
COMMENT ON TABLE liability_snapshots IS
	'proof-of-liabilities snapshots: when the liabilities were valued, how many users, whether proofs were pruned';
COMMENT ON COLUMN liability_snapshots.taken_at IS 'the extension''s clock (xphere.now()) the liabilities are valued at';
COMMENT ON COLUMN liability_snapshots.leaf_count IS 'platform users in the snapshot: the leaves of each currency''s tree';
COMMENT ON COLUMN liability_snapshots.pruned_at IS 'when prune_liability_snapshot() dropped the data proofs need; NULL while proofs can be given';

CREATE TABLE liability_trees (
	snapshot_id		bigint NOT NULL REFERENCES liability_snapshots,
	currency		currency NOT NULL,
	root_hash		bytea NOT NULL CHECK (length(root_hash) = 32),
	total			wad NOT NULL CHECK (total >= 0),
	leaf_count		integer NOT NULL CHECK (leaf_count >= 0),
	depth			integer NOT NULL CHECK (depth BETWEEN 0 AND 31),
	available		wad NOT NULL CHECK (available >= 0),
	locked			wad NOT NULL CHECK (locked >= 0),
	supplied		wad NOT NULL CHECK (supplied >= 0),
	staked			wad NOT NULL CHECK (staked >= 0),
	staking_rewards	wad NOT NULL CHECK (staking_rewards >= 0),
	mining_rewards	wad NOT NULL CHECK (mining_rewards >= 0),
	PRIMARY KEY (snapshot_id, currency),
	CHECK (total = available + locked + supplied + staked + staking_rewards + mining_rewards)
);
COMMENT ON TABLE liability_trees IS
	'one Merkle sum tree per snapshot and currency: the published root, total and leaf count, and the total of each part of the liabilities';
COMMENT ON COLUMN liability_trees.root_hash IS 'SHA-256 of the root node (doc/liabilities.md, the hash construction)';
COMMENT ON COLUMN liability_trees.total IS 'the root''s sum: every user''s liability in the currency';
COMMENT ON COLUMN liability_trees.depth IS 'levels above the leaves: ceil(log2(leaf_count)), the length of every proof''s path';

CREATE TABLE liability_secrets (
	snapshot_id		bigint PRIMARY KEY REFERENCES liability_snapshots,
	secret			bytea NOT NULL CHECK (length(secret) = 32)
);
COMMENT ON TABLE liability_secrets IS
	'each snapshot''s 32 random bytes; a user''s salt is SHA-256(secret || user id).  Readable by the owner only';

CREATE TABLE liability_salts (
	snapshot_id		bigint NOT NULL,
	chunk			integer NOT NULL,
	first_salt		bytea NOT NULL,
	salts			bytea NOT NULL,
	PRIMARY KEY (snapshot_id, chunk)
);
CREATE INDEX liability_salts_first_salt_idx ON liability_salts (snapshot_id, first_salt);
COMMENT ON TABLE liability_salts IS
	'a snapshot''s salts in leaf order, 48 to a chunk: the leaf of a user is the position of their salt';
COMMENT ON INDEX liability_salts_first_salt_idx IS 'finds the chunk that holds a salt';

CREATE TABLE liability_nodes (
	snapshot_id		bigint NOT NULL,
	currency		currency NOT NULL,
	level			smallint NOT NULL,
	chunk			integer NOT NULL,
	nodes			bytea NOT NULL,
	PRIMARY KEY (snapshot_id, currency, level, chunk)
);
COMMENT ON TABLE liability_nodes IS
	'every node of every tree, 32 to a chunk, each as its hash (32 bytes) and sum (16 bytes, unsigned big-endian wei)';

/*
 * What the platform owes each platform user (system users excluded), per
 * currency, valued at time t: the account (available and locked), the
 * supply to the lending pool of that currency at the pool's index
 * projected to t (rounded down, as withdraw_supply() pays it), and, in
 * XP, the principal staked until withdrawn, the staking rewards earned and
 * not claimed, and the mining rewards earned and not yet paid.  Each
 * object that a committed transaction already moved past t (a pool
 * accrued, a tier checkpointed, a machine paid) is valued at its own last
 * update instead, as portfolio() does.  One row per user and currency,
 * zeros included; amount is the sum of the six parts.
 */
CREATE FUNCTION xphere_internal.liabilities_at(t timestamptz) RETURNS TABLE (user_id uuid, currency currency,
		available wad, locked wad, supplied wad, staked wad, staking_rewards wad,
		mining_rewards wad, amount wad)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	WITH pools AS MATERIALIZED (
		SELECT p.asset, (xphere_internal.pool_at(p, greatest(t, p.last_update))).liquidity_index AS liquidity_index,
			p.id
		FROM xphere.lending_pools p
	), supply AS (
		SELECT s.user_id, p.asset AS currency,
			sum(xphere.ray_mul_floor(s.scaled_amount, p.liquidity_index)) AS supplied
		FROM xphere.supply_positions s JOIN pools p ON p.id = s.pool_id
		GROUP BY s.user_id, p.asset
	), stakes AS (
		SELECT s.user_id, sum(s.amount) AS staked,
			sum(xphere_internal.stake_earned(s, p, greatest(t, p.index_updated_at)) - s.claimed_rewards) AS rewards
		FROM xphere.staking_positions s JOIN xphere.staking_pools p ON p.id = s.staking_pool
		WHERE s.status <> 'WITHDRAWN'
		GROUP BY s.user_id
	), machines AS (
		SELECT m.user_id,
			sum(greatest(xphere_internal.machine_earned(m.daily_return_xp, m.online_us_before, m.online_since, t)
				- m.paid_xp, '0'::xphere.wad)) AS owed
		FROM xphere.user_machines m
		GROUP BY m.user_id
	), parts AS (
		SELECT u.id AS user_id, c.c AS currency,
			coalesce(a.available, '0'::xphere.wad) AS available,
			coalesce(a.locked, '0'::xphere.wad) AS locked,
			coalesce(sp.supplied, '0'::xphere.wad) AS supplied,
			CASE WHEN c.c = 'XP' THEN coalesce(st.staked, '0'::xphere.wad) ELSE '0'::xphere.wad END AS staked,
			CASE WHEN c.c = 'XP' THEN coalesce(st.rewards, '0'::xphere.wad) ELSE '0'::xphere.wad END
				AS staking_rewards,
			CASE WHEN c.c = 'XP' THEN coalesce(m.owed, '0'::xphere.wad) ELSE '0'::xphere.wad END
				AS mining_rewards
		FROM xphere.users u
		CROSS JOIN unnest(enum_range(NULL::xphere.currency)) c(c)
		LEFT JOIN xphere.accounts a ON a.user_id = u.id AND a.currency = c.c
		LEFT JOIN supply sp ON sp.user_id = u.id AND sp.currency = c.c
		LEFT JOIN stakes st ON st.user_id = u.id
		LEFT JOIN machines m ON m.user_id = u.id
		WHERE u.role <> 'system'
	)
	SELECT x.user_id, x.currency, x.available, x.locked, x.supplied, x.staked, x.staking_rewards,
		x.mining_rewards,
		x.available + x.locked + x.supplied + x.staked + x.staking_rewards + x.mining_rewards
	FROM parts x;
END;
COMMENT ON FUNCTION xphere_internal.liabilities_at(timestamptz) IS
	'what the platform owes each user per currency at a time: available, locked, supplied, staked, staking and mining rewards, and their sum';

CREATE FUNCTION xphere_internal.liability_build(snapshot_id bigint, secret bytea, t timestamptz)
	RETURNS TABLE (currency text, root bytea, total wad, leaf_count integer, depth integer,
		available wad, locked wad, supplied wad, staked wad, staking_rewards wad, mining_rewards wad)
	AS 'MODULE_PATHNAME', 'xphere_liability_build' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION xphere_internal.liability_build(bigint, bytea, timestamptz) IS
	'reads liabilities_at(t) in one snapshot, stores the salts and every tree''s nodes, returns each currency''s root';

CREATE FUNCTION xphere_internal.liability_proof_parts(snapshot_id bigint, currency text, user_id uuid, secret bytea,
		leaf_count integer, depth integer) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'xphere_liability_proof' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION xphere_internal.liability_proof_parts(bigint, text, uuid, bytea, integer, integer) IS
	'a user''s leaf and path in a stored tree, as {"leaf": ..., "path": [...]}; NULL when the user has no leaf';

/* an amount in wei: the wad's raw integer, in decimal */
CREATE FUNCTION xphere_internal.wad_wei(w wad) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN ((w::numeric * 1000000000000000000)::numeric(40, 0))::text;
COMMENT ON FUNCTION xphere_internal.wad_wei(wad) IS 'an amount in wei (10^-18 units), the wad''s raw integer, as decimal text';

/* a time as the JSON of proofs writes it: UTC, to the microsecond */
CREATE FUNCTION xphere_internal.liability_time(t timestamptz) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
COMMENT ON FUNCTION xphere_internal.liability_time(timestamptz) IS 'a time in UTC, ISO 8601 to the microsecond, as proofs and roots write it';

/*
 * The published record of one tree.  Amounts in wei (the wad's raw
 * integer) as JSON strings; the root as hex.
 */
CREATE FUNCTION xphere_internal.liability_root_json(s liability_snapshots, r liability_trees) RETURNS jsonb
	LANGUAGE sql IMMUTABLE
	RETURN jsonb_build_object('format', 'xphere-liability-root-v1', 'snapshot_id', s.id,
		'taken_at', xphere_internal.liability_time(s.taken_at), 'currency', r.currency,
		'leaf_count', r.leaf_count, 'root', encode(r.root_hash, 'hex'),
		'total', xphere_internal.wad_wei(r.total));
COMMENT ON FUNCTION xphere_internal.liability_root_json(liability_snapshots, liability_trees) IS
	'a tree''s published record: format, snapshot id, time, currency, leaf count, root and total in wei';

/* a snapshot by id (NULL: the latest): P0002 when there is none */
CREATE FUNCTION xphere_internal.liability_snapshot(p_snapshot bigint) RETURNS liability_snapshots
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s xphere.liability_snapshots;
BEGIN
	IF p_snapshot IS NULL THEN
		SELECT * INTO s FROM xphere.liability_snapshots ORDER BY id DESC LIMIT 1;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no liability snapshot has been taken' USING ERRCODE = 'no_data_found',
				HINT = 'An administrator takes one with xphere.take_liability_snapshot().';
		END IF;
	ELSE
		SELECT * INTO s FROM xphere.liability_snapshots WHERE id = p_snapshot;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'liability snapshot % does not exist', p_snapshot USING ERRCODE = 'no_data_found';
		END IF;
	END IF;
	RETURN s;
END $$;
COMMENT ON FUNCTION xphere_internal.liability_snapshot(bigint) IS 'a liability snapshot by id, the latest for NULL; P0002 if there is none';

/*
 * Takes a snapshot of every user's liabilities: one Merkle sum tree per
 * currency, stored with what proofs need.  The liabilities are read by one
 * statement, so they are one MVCC snapshot; nothing is locked and the
 * platform keeps running.  The instant they are valued at, taken_at, is
 * xphere.clock when a superuser fixed it, else the wall-clock time just
 * before that statement, not the transaction's start: in a transaction
 * that ran a while before the call, xphere.now() would be older than the
 * data the statement sees.  Operator function: audited.
 */
CREATE FUNCTION take_liability_snapshot()
	RETURNS TABLE (snapshot_id bigint, currency currency, root text, total wad, leaf_count integer)
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_at timestamptz;
	v_id bigint;
	v_secret bytea := decode(xphere_internal.random_token(), 'hex');
	v_users integer;
BEGIN
	PERFORM xphere_internal.authorize_admin();
	v_at := CASE WHEN coalesce(current_setting('xphere.clock', true), '') <> '' THEN xphere.now()
		ELSE clock_timestamp() END;
	INSERT INTO xphere.liability_snapshots (taken_at, leaf_count) VALUES (v_at, 0) RETURNING id INTO v_id;
	INSERT INTO xphere.liability_secrets (snapshot_id, secret) VALUES (v_id, v_secret);
	INSERT INTO xphere.liability_trees (snapshot_id, currency, root_hash, total, leaf_count, depth,
		available, locked, supplied, staked, staking_rewards, mining_rewards)
	SELECT v_id, c.c, coalesce(b.root, '\x0000000000000000000000000000000000000000000000000000000000000000'),
		coalesce(b.total, '0'), coalesce(b.leaf_count, 0), coalesce(b.depth, 0),
		coalesce(b.available, '0'), coalesce(b.locked, '0'), coalesce(b.supplied, '0'),
		coalesce(b.staked, '0'), coalesce(b.staking_rewards, '0'), coalesce(b.mining_rewards, '0')
	FROM unnest(enum_range(NULL::xphere.currency)) c(c)
	LEFT JOIN xphere_internal.liability_build(v_id, v_secret, v_at) b ON b.currency = c.c::text;
	SELECT max(x.leaf_count) INTO v_users FROM xphere.liability_trees x WHERE x.snapshot_id = v_id;
	UPDATE xphere.liability_snapshots SET leaf_count = v_users WHERE id = v_id;
	PERFORM xphere_internal.audit('take_liability_snapshot', 'liability_snapshot', v_id::text, NULL,
		(SELECT jsonb_agg(xphere_internal.liability_root_json(s, r) ORDER BY r.currency)
		 FROM xphere.liability_snapshots s JOIN xphere.liability_trees r ON r.snapshot_id = s.id
		 WHERE s.id = v_id));
	RETURN QUERY
	SELECT r.snapshot_id, r.currency, encode(r.root_hash, 'hex'), r.total, r.leaf_count
	FROM xphere.liability_trees r WHERE r.snapshot_id = v_id ORDER BY r.currency;
END $$;
COMMENT ON FUNCTION take_liability_snapshot() IS
	'operator: snapshots every user''s liabilities now as one Merkle sum tree per currency; returns the roots to publish';

/*
 * The published record of a snapshot's tree of one currency (NULL
 * snapshot: the latest), as JSON: what a verifier checks a proof against.
 */
CREATE FUNCTION liability_root(currency currency, snapshot_id bigint DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	s xphere.liability_snapshots;
	r xphere.liability_trees;
BEGIN
	IF liability_root.currency IS NULL THEN PERFORM xphere_internal.raise_null('currency'); END IF;
	s := xphere_internal.liability_snapshot(liability_root.snapshot_id);
	SELECT * INTO STRICT r FROM xphere.liability_trees x
	WHERE x.snapshot_id = s.id AND x.currency = liability_root.currency;
	RETURN xphere_internal.liability_root_json(s, r);
END $$;
COMMENT ON FUNCTION liability_root(currency, bigint) IS
	'the published record (root, total, leaf count) of a snapshot''s tree of a currency, the latest snapshot for NULL';

/*
 * A user's inclusion proof in a snapshot's tree of one currency (NULL
 * snapshot: the latest), as JSON (doc/liabilities.md).  The trust rules
 * apply: a session pinned to a user gets only that user's proof.  A
 * deactivated user gets theirs too: their balances are still owed, their
 * leaf is in the tree, and a proof changes nothing.
 */
CREATE FUNCTION liability_proof(user_id uuid, currency currency, snapshot_id bigint DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	v_user uuid := liability_proof.user_id;
	s xphere.liability_snapshots;
	r xphere.liability_trees;
	v_secret bytea;
	v_parts jsonb;
BEGIN
	IF v_user IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF liability_proof.currency IS NULL THEN PERFORM xphere_internal.raise_null('currency'); END IF;
	PERFORM xphere_internal.require_user(v_user);
	PERFORM xphere_internal.authorize_acting(v_user);
	s := xphere_internal.liability_snapshot(liability_proof.snapshot_id);
	IF s.pruned_at IS NOT NULL THEN
		RAISE EXCEPTION 'the proofs of liability snapshot % were pruned', s.id USING ERRCODE = xphere_internal.errcode('wrong_state'),
			DETAIL = pg_catalog.format('prune_liability_snapshot() dropped them at %s; the root stays published.', s.pruned_at);
	END IF;
	SELECT * INTO STRICT r FROM xphere.liability_trees x
	WHERE x.snapshot_id = s.id AND x.currency = liability_proof.currency;
	SELECT x.secret INTO STRICT v_secret FROM xphere.liability_secrets x WHERE x.snapshot_id = s.id;
	v_parts := xphere_internal.liability_proof_parts(s.id, r.currency::text, v_user, v_secret, r.leaf_count, r.depth);
	IF v_parts IS NULL THEN
		RAISE EXCEPTION 'user % has no leaf in liability snapshot %', v_user, s.id USING ERRCODE = 'no_data_found',
			DETAIL = pg_catalog.format('The snapshot was taken at %s, before the user registered.', s.taken_at);
	END IF;
	RETURN jsonb_build_object('format', 'xphere-liability-proof-v1', 'snapshot_id', s.id,
		'taken_at', xphere_internal.liability_time(s.taken_at), 'currency', r.currency,
		'leaf_count', r.leaf_count, 'root', encode(r.root_hash, 'hex'),
		'total', xphere_internal.wad_wei(r.total), 'user_id', v_user) || v_parts;
END $$;
COMMENT ON FUNCTION liability_proof(uuid, currency, bigint) IS
	'a user''s inclusion proof in a liability snapshot''s tree of a currency (the latest snapshot for NULL), as JSON';

/*
 * Drops what proofs of a snapshot need (salts, nodes, secret) and keeps
 * the published roots and totals.  Operator function: audited.
 */
CREATE FUNCTION prune_liability_snapshot(snapshot_id bigint) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	s xphere.liability_snapshots;
BEGIN
	PERFORM xphere_internal.authorize_admin();
	IF prune_liability_snapshot.snapshot_id IS NULL THEN PERFORM xphere_internal.raise_null('snapshot_id'); END IF;
	s := xphere_internal.liability_snapshot(prune_liability_snapshot.snapshot_id);
	IF s.pruned_at IS NOT NULL THEN
		RETURN;
	END IF;
	DELETE FROM xphere.liability_nodes x WHERE x.snapshot_id = s.id;
	DELETE FROM xphere.liability_salts x WHERE x.snapshot_id = s.id;
	DELETE FROM xphere.liability_secrets x WHERE x.snapshot_id = s.id;
	UPDATE xphere.liability_snapshots SET pruned_at = xphere.now() WHERE id = s.id;
	PERFORM xphere_internal.audit('prune_liability_snapshot', 'liability_snapshot', s.id::text, NULL, NULL);
END $$;
COMMENT ON FUNCTION prune_liability_snapshot(bigint) IS
	'operator: drops the data a snapshot''s proofs need, keeping its published roots; idempotent';

/* what is published: every snapshot's roots, totals and leaf counts */
CREATE VIEW liability_roots AS
	SELECT s.id AS snapshot_id, s.taken_at, r.currency, r.leaf_count, encode(r.root_hash, 'hex') AS root,
		r.total, s.pruned_at IS NULL AS proofs_available
	FROM xphere.liability_snapshots s JOIN xphere.liability_trees r ON r.snapshot_id = s.id;
COMMENT ON VIEW liability_roots IS
	'the published root, total and leaf count of every liability snapshot''s tree per currency';

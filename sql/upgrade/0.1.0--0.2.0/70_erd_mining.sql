/*
 * Machine plans, machines, mining rewards and staking as the ERD has them.
 *
 * - machine_plans: hashrate becomes an integer (TH/s); the seeded plans
 *   p1-p4 take the ERD's values (section 3.1) unless an administrator
 *   changed them with update_plan(); index on is_active.
 * - user_machines: tx_hash, the chain transaction that paid for the
 *   machine (purchase_machine() takes it as an optional third argument);
 *   index on status.
 * - mining_rewards: created_at; distribution_tx always set; the ERD's
 *   indexes, the user index folded into one of them.
 * - staking_pools: description and benefits of the tiers.
 * - staking_positions: unlock_date is NULL while ACTIVE (the end of the
 *   lock period moves to locked_until); index on (user_id, status).
 */

-- machine_plans ----------------------------------------------------------------

/*
 * 0.1.0 kept the hashrate as free text ('10 TH/s').  A whole number of
 * TH/s or PH/s (1 PH/s = 1000 TH/s), with or without the unit, any case,
 * becomes the integer number of TH/s.  Anything else stops the update,
 * naming the plans: an administrator sets them with update_plan() under
 * 0.1.0 (e.g. {"hashrate": "120 TH/s"}) and runs the update again.
 */
CREATE FUNCTION pg_temp.hashrate_th(t text) RETURNS bigint
	LANGUAGE sql IMMUTABLE
	RETURN CASE
		WHEN t ~* '^\s*[0-9]{1,12}\s*(TH/s|TH)?\s*$' THEN substring(t FROM '[0-9]+')::bigint
		WHEN t ~* '^\s*[0-9]{1,9}\s*PH/s\s*$' THEN substring(t FROM '[0-9]+')::bigint * 1000
	END;

DO $$
DECLARE
	bad text;
BEGIN
	SELECT string_agg(pg_catalog.format('%s (%L)', p.id, p.hashrate), ', ' ORDER BY p.id) INTO bad
	FROM xphere.machine_plans p
	WHERE coalesce(pg_temp.hashrate_th(p.hashrate) NOT BETWEEN 1 AND 2147483647, true);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'machine plans with a hashrate that is not a whole number of TH/s: %', bad
			USING ERRCODE = '22023',
			DETAIL = '0.2.0 stores the hashrate as an integer number of TH/s.',
			HINT = 'Before updating, set each of them with update_plan(plan_id, ''{"hashrate": "55 TH/s"}''), then run ALTER EXTENSION xphere UPDATE again.';
	END IF;
END $$;

ALTER TABLE machine_plans DROP CONSTRAINT machine_plans_hashrate_check;
ALTER TABLE machine_plans ALTER COLUMN hashrate TYPE integer USING pg_temp.hashrate_th(hashrate);
ALTER TABLE machine_plans ADD CONSTRAINT machine_plans_hashrate_check CHECK (hashrate > 0);
DROP FUNCTION pg_temp.hashrate_th(text);

/*
 * The seeded plans take the ERD's values, unless an administrator changed
 * them (an update_plan row in audit_log): those keep every value they were
 * given.  updated_at becomes the time of the update.  Machines already
 * bought keep the daily return they were sold with (user_machines).
 */
UPDATE machine_plans p SET name = e.name, machine_name = e.machine_name, price_usdt = e.price_usdt,
	hashrate = e.hashrate, daily_return_xp = e.daily_return_xp, description = e.description,
	image_url = e.image_url
FROM (VALUES
	('p1', 'Starter Node', 'ASIC XP1 Mini', 100, 10, '1.2',
	 'Entry-level mining power for beginners.', 'https://picsum.photos/400/300?random=1'),
	('p2', 'Standard Node', 'ASIC XP1 Standard', 500, 55, '7.5',
	 'Most popular plan with stable mining output.', 'https://picsum.photos/400/300?random=2'),
	('p3', 'Pro Cluster', 'ASIC XP1 Cluster', 2000, 230, '32',
	 'High-capacity cluster for professional miners.', 'https://picsum.photos/400/300?random=3'),
	('p4', 'Xphere Master Node', 'ASIC XP1 Ultra', 5000, 650, '92.5',
	 'Enterprise-grade performance with maximum efficiency.', 'https://picsum.photos/400/300?random=4')
) AS e(id, name, machine_name, price_usdt, hashrate, daily_return_xp, description, image_url)
WHERE p.id = e.id
  AND NOT EXISTS (SELECT 1 FROM audit_log a
				  WHERE a.action = 'update_plan' AND a.object_type = 'machine_plan' AND a.object_id = p.id);

CREATE INDEX machine_plans_active_idx ON machine_plans (is_active);
COMMENT ON COLUMN machine_plans.hashrate IS 'TH/s';
COMMENT ON INDEX machine_plans_active_idx IS 'the ERD''s idx_active (is_active): the plans on sale';

-- user_machines ----------------------------------------------------------------

ALTER TABLE user_machines ADD COLUMN tx_hash text CHECK (tx_hash ~ '^0x[0-9a-f]{64}$');
CREATE UNIQUE INDEX user_machines_tx_hash_key ON user_machines (tx_hash) WHERE tx_hash IS NOT NULL;
COMMENT ON COLUMN user_machines.tx_hash IS
	'purchase transaction hash: the chain transaction that paid for the machine, 0x and 64 lower-case hex digits; NULL when it was paid from the platform balance alone';
COMMENT ON INDEX user_machines_tx_hash_key IS 'a chain transaction pays for one machine';
CREATE INDEX user_machines_status_idx ON user_machines (status);
COMMENT ON INDEX user_machines_user_idx IS 'the ERD''s idx_user (user_id): a user''s machines';
COMMENT ON INDEX user_machines_status_idx IS 'the ERD''s idx_status (status): machines by status';

-- purchase_machine(user_id, plan_id) becomes (user_id, plan_id, tx_hash DEFAULT NULL):
-- the old signature goes (0.1.0 had no driver overloads; 99_end.sql makes
-- the new one's)
DROP FUNCTION purchase_machine(uuid, text);
/*
 * The price is always paid from the user's USDT balance.  tx_hash names
 * the chain transaction that paid for it, when the user paid on chain (the
 * application credits it with deposit() first): normalised like a
 * deposit's, it belongs to one machine.  A replay with the same user, plan
 * and hash returns the first machine and pays nothing; the hash with
 * another user or plan is 23505.
 */
CREATE FUNCTION purchase_machine(user_id uuid, plan_id text, tx_hash text DEFAULT NULL) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.machine_plans;
	v_now timestamptz := xphere.now();
	v_hash text;
	v_tx uuid;
	v_machine uuid := gen_random_uuid();
	v_first xphere.user_machines;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	PERFORM xphere.check_text(plan_id, 'plan_id', 32);
	IF tx_hash IS NOT NULL THEN
		v_hash := xphere.tx_hash_norm(tx_hash);
	END IF;
	SELECT * INTO p FROM xphere.machine_plans mp WHERE mp.id = plan_id;
	IF NOT FOUND OR NOT p.is_active THEN
		RAISE EXCEPTION 'unknown or inactive machine plan "%"', plan_id USING ERRCODE = '22023';
	END IF;
	PERFORM xphere.authorize_user(user_id);

	PERFORM xphere.lock_accounts(ARRAY[xphere.house_id(), user_id], ARRAY['USDT', 'USDT']::xphere.currency[]);
	IF v_hash IS NOT NULL THEN
		/* (a concurrent purchase with this hash waits for the house's lock above) */
		SELECT * INTO v_first FROM xphere.user_machines um WHERE um.tx_hash = v_hash;
		IF FOUND THEN
			IF v_first.user_id = purchase_machine.user_id AND v_first.plan_id = p.id THEN
				RETURN v_first.id;
			END IF;
			RAISE EXCEPTION 'tx_hash "%" already paid for another machine', v_hash
				USING ERRCODE = '23505',
				DETAIL = 'A chain transaction pays for one machine.';
		END IF;
	END IF;
	v_tx := xphere.new_transaction(user_id, 'PURCHASE', p.price_usdt, 'USDT', 'COMPLETED', 0,
		jsonb_build_object('plan_id', p.id, 'machine_id', v_machine));
	PERFORM xphere.post(user_id, 'USDT', -p.price_usdt, 0, v_tx);
	PERFORM xphere.post(xphere.house_id(), 'USDT', p.price_usdt, 0, v_tx);
	INSERT INTO xphere.user_machines (id, user_id, plan_id, status, daily_return_xp,
		purchase_date, online_since, status_changed_at, tx_hash)
	VALUES (v_machine, purchase_machine.user_id, p.id, 'ONLINE', p.daily_return_xp,
		v_now, v_now, v_now, v_hash);
	RETURN v_machine;
END $$;
COMMENT ON FUNCTION purchase_machine(uuid, text, text) IS
	'buys a machine of a plan for its price in USDT (to the house), with the chain transaction that paid for it if any; the machine starts ONLINE';
GRANT EXECUTE ON FUNCTION purchase_machine(uuid, text, text) TO xphere_app;
-- (its text overload: 99_end.sql)

-- mining_rewards ---------------------------------------------------------------

/*
 * A row is written when a machine is paid, so it was created at its
 * calculated_at.  (The append-only trigger is disabled for this only.)
 */
ALTER TABLE mining_rewards ADD COLUMN created_at timestamptz;
ALTER TABLE mining_rewards DISABLE TRIGGER mining_rewards_append_only;
UPDATE mining_rewards SET created_at = calculated_at;
ALTER TABLE mining_rewards ENABLE TRIGGER mining_rewards_append_only;
ALTER TABLE mining_rewards ALTER COLUMN created_at SET DEFAULT xphere.now();
ALTER TABLE mining_rewards ALTER COLUMN created_at SET NOT NULL;
ALTER TABLE mining_rewards ALTER COLUMN distribution_tx SET NOT NULL;

DROP INDEX mining_rewards_user_idx;
CREATE INDEX mining_rewards_user_distributed_idx ON mining_rewards (user_id, distributed, calculated_at);
CREATE INDEX mining_rewards_calculated_idx ON mining_rewards (calculated_at);
CREATE INDEX mining_rewards_pending_idx ON mining_rewards (distributed, calculated_at) WHERE NOT distributed;
COMMENT ON TABLE mining_rewards IS 'one row per machine per distribution, written when it is paid';
COMMENT ON INDEX mining_rewards_machine_idx IS 'a machine''s rewards (check_invariants() sums them per machine)';
COMMENT ON INDEX mining_rewards_user_distributed_idx IS
	'the ERD''s idx_user_distributed (user_id, distributed), ending with calculated_at: a user''s rewards in time order';
COMMENT ON INDEX mining_rewards_calculated_idx IS 'the ERD''s idx_calculated (calculated_at): rewards by time';
COMMENT ON INDEX mining_rewards_pending_idx IS
	'the ERD''s idx_rewards_pending (distributed, calculated_at), over the undistributed rows only: rows are written when paid, so it stays empty and costs a distribution nothing';

-- staking_pools ----------------------------------------------------------------

/*
 * staking_index_at() and stake_earned() take the tiers' and positions' row
 * types in SQL-standard bodies, which forbid adding columns to those
 * tables: they get a body in a string while the columns are added, and
 * their own body back afterwards.
 */
CREATE OR REPLACE FUNCTION staking_index_at(p staking_pools, t timestamptz) RETURNS ray
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT $1.reward_index + xphere.prorate_floor($1.apy,
		greatest(xphere.micros_between($1.index_updated_at, $2), 0), 31536000000000)';
CREATE OR REPLACE FUNCTION stake_earned(s staking_positions, p staking_pools, t timestamptz) RETURNS wad
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT CASE WHEN $1.status = ''ACTIVE''
		THEN greatest(xphere.ray_mul_floor($1.amount,
				 greatest(xphere.staking_index_at($2, $3) - $1.index_at_entry, ''0''::xphere.ray)),
			 $1.accumulated_rewards)
		ELSE $1.accumulated_rewards END';

/* the tiers' texts of the VIBEUP schema (not a change of their terms: updated_at is kept) */
ALTER TABLE staking_pools ADD COLUMN description text CHECK (length(description) <= 1000);
ALTER TABLE staking_pools ADD COLUMN benefits jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(benefits) = 'array');
ALTER TABLE staking_pools DISABLE TRIGGER staking_pools_updated_at;
UPDATE staking_pools p SET description = e.description, benefits = e.benefits::jsonb
FROM (VALUES
	('explorer', 'Basic staking for early adopters', '["priority_support"]'),
	('pathfinder', 'Committed stakers with premium access', '["premium_features", "2x_vote_weight"]'),
	('founder', 'Founding members with maximum benefits', '["all_features", "3x_vote_weight", "founder_badge"]')
) AS e(id, description, benefits)
WHERE p.id = e.id;
ALTER TABLE staking_pools ENABLE TRIGGER staking_pools_updated_at;
COMMENT ON COLUMN staking_pools.description IS 'what the tier is, for display';
COMMENT ON COLUMN staking_pools.benefits IS 'what the tier unlocks in the applications: a JSON array of feature names';

-- staking_positions ------------------------------------------------------------

/*
 * 0.1.0's unlock_date was the end of the lock period while ACTIVE and the
 * end of unbonding afterwards.  The end of the lock period moves to
 * locked_until (for an ACTIVE stake 0.1.0's unlock_date, for the others
 * start_date + the tier's lock period, as stake() computed it), and
 * unlock_date becomes NULL while ACTIVE.  The positions keep their
 * updated_at (the trigger is disabled for this only).
 */
ALTER TABLE staking_positions ADD COLUMN locked_until timestamptz;
ALTER TABLE staking_positions DISABLE TRIGGER staking_positions_updated_at;
UPDATE staking_positions s SET
	locked_until = CASE WHEN s.status = 'ACTIVE' THEN s.unlock_date
		ELSE s.start_date + xphere.absolute_interval(p.lock_period) END,
	unlock_date = CASE WHEN s.status = 'ACTIVE' THEN NULL ELSE s.unlock_date END
FROM staking_pools p
WHERE p.id = s.staking_pool;
ALTER TABLE staking_positions ENABLE TRIGGER staking_positions_updated_at;
ALTER TABLE staking_positions ALTER COLUMN locked_until SET NOT NULL;
ALTER TABLE staking_positions ADD CONSTRAINT staking_positions_check
	CHECK ((status = 'ACTIVE') = (unlock_date IS NULL));
DROP INDEX staking_positions_user_idx;
CREATE INDEX staking_positions_user_status_idx ON staking_positions (user_id, status);
COMMENT ON INDEX staking_positions_user_status_idx IS
	'the ERD''s idx_user_status (user_id, status): a user''s positions, by status';
COMMENT ON COLUMN staking_positions.unlock_date IS
	'NULL while ACTIVE (not unbonding); once unstaked, the end of unbonding: withdrawal is allowed from then';
COMMENT ON COLUMN staking_positions.locked_until IS
	'end of the tier''s lock period: the stake can be unstaked from then';

-- their own bodies again


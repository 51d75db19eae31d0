/*
 * Staking and swaps.
 *
 * Staking tiers (staking_pools) accrue through a reward index (ray) that is
 * a pure function of time, so nothing has to advance it:
 *
 *	  index(t) = reward_index + floor(apy x us(t - index_updated_at) / (31 536 000 x 10^6))
 *
 * on raw ray units (us = microseconds, exact).  A position stores the
 * index when it was opened and has earned rayMulFloor(amount, index(t) -
 * index_at_entry); unstake freezes that into accumulated_rewards (nothing
 * accrues while unbonding).  Pending = earned - claimed_rewards, whenever
 * and however often it is claimed.
 *
 * checkpoint_staking_pools() (called by tick()) moves (reward_index,
 * index_updated_at) forward without changing index(t) for any t: it
 * advances by the largest whole number of the tier's exact steps (a time
 * for which apy x us is a multiple of the divisor, at most a few
 * milliseconds for the seeded rates), so the floor never drops a remainder
 * and the rewards never depend on how often the tick runs.  The index of a
 * tier therefore needs no lock to be read; only total_staked is updated.
 *
 * Money: staked XP moves from the user to the account of the tier's own
 * system user (staking_account(), like a lending pool's cash account) and
 * back at withdrawal; rewards are paid by the house.  Locks follow the
 * global order: accounts (lock_accounts), then the tier, then the position.
 *
 * Swaps exchange XP and USDT with the house at the fresh oracle price:
 * received = floor(amount x price_from / price_to x (10000 - fee_bps) / 10000)
 * to the wei, one exact floor computed with numeric; the fee stays with
 * the house, booked as a FEE entry of the house in the currency received.
 * One SWAP entry per currency side.
 */

-- staking -----------------------------------------------------------------

CREATE TABLE staking_pools (
	id				text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	name			text NOT NULL,
	min_stake		wad NOT NULL CHECK (min_stake > 0),
	apy				ray NOT NULL CHECK (apy >= '0'),
	lock_period		interval NOT NULL CHECK (lock_period >= '0'),
	reward_index	ray NOT NULL DEFAULT '0',
	index_updated_at timestamptz NOT NULL DEFAULT xphere.now(),
	total_staked	wad NOT NULL DEFAULT 0,
	is_active		boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	description		text CHECK (length(description) <= 1000),
	benefits		jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(benefits) = 'array')
);
COMMENT ON TABLE staking_pools IS 'staking tiers: minimum stake, APY and lock period';

CREATE TABLE staking_positions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	staking_pool	text NOT NULL REFERENCES staking_pools,
	amount			wad NOT NULL CHECK (amount > 0),
	start_date		timestamptz NOT NULL,
	unlock_date		timestamptz,
	index_at_entry	ray NOT NULL,
	accumulated_rewards wad NOT NULL DEFAULT 0,
	claimed_rewards	wad NOT NULL DEFAULT 0,
	status			staking_status NOT NULL DEFAULT 'ACTIVE',
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	locked_until	timestamptz NOT NULL,
	CHECK ((status = 'ACTIVE') = (unlock_date IS NULL))
);
CREATE INDEX staking_positions_user_status_idx ON staking_positions (user_id, status);
COMMENT ON INDEX staking_positions_user_status_idx IS
	'the ERD''s idx_user_status (user_id, status): a user''s positions, by status';
COMMENT ON TABLE staking_positions IS 'XP staked in a tier';

CREATE TRIGGER staking_pools_updated_at BEFORE UPDATE ON staking_pools
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();
CREATE TRIGGER staking_positions_updated_at BEFORE UPDATE ON staking_positions
	FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
	EXECUTE FUNCTION xphere_internal.touch_updated_at();

INSERT INTO staking_pools (id, name, min_stake, apy, lock_period, description, benefits) VALUES
	('explorer', 'Explorer', 100, '0.05', '0',
	 'Basic staking for early adopters', '["priority_support"]'),
	('pathfinder', 'Pathfinder', 500, '0.08', '30 days',
	 'Committed stakers with premium access', '["premium_features", "2x_vote_weight"]'),
	('founder', 'Founder', 2000, '0.12', '90 days',
	 'Founding members with maximum benefits', '["all_features", "3x_vote_weight", "founder_badge"]');


/* floor(value x part / whole) on raw ray units: the C function behind prorate_floor(wad, ...) */
CREATE FUNCTION prorate_floor(amount ray, part bigint, whole bigint) RETURNS ray
	AS 'MODULE_PATHNAME', 'xphere_prorate_floor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prorate_floor(ray, bigint, bigint) IS
	'floor(rate * part / whole), exact: the share of a per-period rate earned over part of a period';

CREATE FUNCTION xphere_internal.staking_account(p_pool text) RETURNS uuid
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN md5('xphere staking ' || p_pool)::uuid;
COMMENT ON FUNCTION xphere_internal.staking_account(text) IS 'owner of the account holding a staking tier''s staked XP';

CREATE FUNCTION xphere_internal.create_staking_account(p_pool text) RETURNS uuid
	LANGUAGE sql
BEGIN ATOMIC
	INSERT INTO xphere.users (id, email, password_hash, name, role, is_active)
	VALUES (xphere_internal.staking_account(p_pool), 'staking-' || p_pool || '@xphere.invalid', '!',
			'Staking tier ' || p_pool, 'system', false)
	ON CONFLICT (id) DO NOTHING;
	SELECT xphere_internal.staking_account(p_pool);
END;
COMMENT ON FUNCTION xphere_internal.create_staking_account(text) IS 'creates the system user of a staking tier';

SELECT xphere_internal.create_staking_account(id) FROM staking_pools ORDER BY id;

COMMENT ON COLUMN staking_pools.reward_index IS
	'rewards per staked XP since the tier began (ray), as of index_updated_at';
COMMENT ON COLUMN staking_pools.index_updated_at IS
	'time of reward_index; the index grows by apy per year from there, exactly';
COMMENT ON COLUMN staking_pools.total_staked IS 'XP of the ACTIVE and UNBONDING positions, held in the tier''s account';
COMMENT ON COLUMN staking_pools.description IS 'what the tier is, for display';
COMMENT ON COLUMN staking_pools.benefits IS 'what the tier unlocks in the applications: a JSON array of feature names';
COMMENT ON COLUMN staking_positions.unlock_date IS
	'NULL while ACTIVE (not unbonding); once unstaked, the end of unbonding: withdrawal is allowed from then';
COMMENT ON COLUMN staking_positions.locked_until IS
	'end of the tier''s lock period: the stake can be unstaked from then';
COMMENT ON COLUMN staking_positions.index_at_entry IS 'the tier''s reward index when the stake was made';
COMMENT ON COLUMN staking_positions.accumulated_rewards IS
	'rewards earned as of the last claim, or in total once unstaked (frozen)';
COMMENT ON COLUMN staking_positions.claimed_rewards IS 'rewards paid out so far (by claims and at withdrawal)';

-- time and the reward index ---------------------------------------------------

/* an interval as an absolute duration (days of 24 h, whatever the time zone) */
CREATE FUNCTION xphere_internal.absolute_interval(i interval) RETURNS interval
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN interval '1 microsecond' * (extract(epoch FROM i) * 1000000)::bigint;
COMMENT ON FUNCTION xphere_internal.absolute_interval(interval) IS
	'the interval as microseconds (a day = 24 hours), so adding it does not depend on the session''s time zone';

CREATE FUNCTION xphere_internal.staking_index_at(p staking_pools, t timestamptz) RETURNS ray
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN p.reward_index + xphere.prorate_floor(p.apy,
		greatest(xphere_internal.micros_between(p.index_updated_at, t), 0), 31536000000000);
COMMENT ON FUNCTION xphere_internal.staking_index_at(staking_pools, timestamptz) IS
	'a tier''s reward index at a time: reward_index + floor(apy x elapsed / year), exact to the microsecond';

/* rewards a position has earned in total by time t (frozen once unstaked) */
CREATE FUNCTION xphere_internal.stake_earned(s staking_positions, p staking_pools, t timestamptz) RETURNS wad
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN s.status = 'ACTIVE'
		THEN greatest(xphere.ray_mul_floor(s.amount,
				 greatest(xphere_internal.staking_index_at(p, t) - s.index_at_entry, '0'::xphere.ray)),
			 s.accumulated_rewards)
		ELSE s.accumulated_rewards END;
COMMENT ON FUNCTION xphere_internal.stake_earned(staking_positions, staking_pools, timestamptz) IS
	'rewards a position has earned by a time: rayMulFloor(amount, index - index at entry), frozen after unstake';

/*
 * Moves every tier's (reward_index, index_updated_at) as close to now as
 * it can without rounding: by a whole number of steps of
 * 31 536 000 x 10^6 / gcd(apy raw, 31 536 000 x 10^6) microseconds, over
 * which the increase of the index is exact.  index(t) is unchanged for
 * every t.  Returns the number of tiers moved.
 */
CREATE FUNCTION checkpoint_staking_pools() RETURNS integer
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.staking_pools;
	v_whole CONSTANT bigint := 31536000000000;
	v_us bigint;
	v_step bigint;
	n integer := 0;
BEGIN
	PERFORM xphere_internal.authorize_admin();
	FOR p IN SELECT * FROM xphere.staking_pools x ORDER BY x.id FOR UPDATE LOOP
		v_us := greatest(xphere_internal.micros_between(p.index_updated_at, xphere.now()), 0);
		v_step := (v_whole / gcd(trunc(p.apy::numeric * 1e27), v_whole::numeric))::bigint;
		v_us := v_us - v_us % v_step;
		CONTINUE WHEN v_us = 0;
		UPDATE xphere.staking_pools x SET
			reward_index = p.reward_index + xphere.prorate_floor(p.apy, v_us, v_whole),
			index_updated_at = p.index_updated_at + interval '1 microsecond' * v_us
		WHERE x.id = p.id;
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;
COMMENT ON FUNCTION checkpoint_staking_pools() IS
	'moves the staking reward indexes forward towards now without changing their values; returns the tiers moved';

-- checks ------------------------------------------------------------------------

CREATE FUNCTION xphere_internal.open_staking_pool(p_pool text) RETURNS staking_pools
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	p xphere.staking_pools;
BEGIN
	PERFORM xphere_internal.check_text(p_pool, 'staking_pool', 32);
	SELECT * INTO p FROM xphere.staking_pools x WHERE x.id = p_pool;
	IF NOT FOUND OR NOT p.is_active THEN
		RAISE EXCEPTION 'unknown or inactive staking pool "%"', p_pool USING ERRCODE = 'invalid_parameter_value',
			HINT = (SELECT 'Staking pools: ' || string_agg(x.id, ', ' ORDER BY x.min_stake) || '.'
					FROM xphere.staking_pools x WHERE x.is_active);
	END IF;
	RETURN p;
END $$;
COMMENT ON FUNCTION xphere_internal.open_staking_pool(text) IS 'the staking tier; 22023 if unknown or inactive';

/*
 * The staking position of a user: 22004 for NULLs, P0002 for an unknown
 * user or position, 42501 when the session acts for another user or the
 * position is another user's.  Not locked.
 */
CREATE FUNCTION xphere_internal.owned_stake(p_user uuid, p_position uuid) RETURNS staking_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	s xphere.staking_positions;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF p_position IS NULL THEN PERFORM xphere_internal.raise_null('position_id'); END IF;
	PERFORM xphere_internal.require_user(p_user);
	SELECT * INTO s FROM xphere.staking_positions x WHERE x.id = p_position;
	PERFORM xphere_internal.check_owner(p_user, 'staking position', p_position, s.user_id);
	RETURN s;
END $$;
COMMENT ON FUNCTION xphere_internal.owned_stake(uuid, uuid) IS
	'a staking position of the user; P0002 if the user or position is missing, 42501 if another''s, XP006 if the user was deactivated';

-- the API -----------------------------------------------------------------------

CREATE FUNCTION stake(user_id uuid, amount wad, staking_pool text DEFAULT 'explorer') RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p xphere.staking_pools;
	v_account uuid;
	v_now timestamptz;
	v_tx uuid;
	v_id uuid := gen_random_uuid();
BEGIN
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	PERFORM xphere_internal.check_amount(amount);
	p := xphere_internal.open_staking_pool(staking_pool);
	IF amount < p.min_stake THEN
		RAISE EXCEPTION 'amount is below the minimum stake of staking pool "%"', p.id
			USING ERRCODE = 'invalid_parameter_value',
			DETAIL = pg_catalog.format('The minimum is %s XP, %s XP were given.', p.min_stake, amount);
	END IF;
	PERFORM xphere_internal.authorize_user(user_id);

	v_account := xphere_internal.staking_account(p.id);
	IF NOT EXISTS (SELECT 1 FROM xphere.users u WHERE u.id = v_account) THEN
		/* a tier whose SYSTEM user is missing (a partial restore): recreate it */
		PERFORM xphere_internal.create_staking_account(p.id);
	END IF;
	PERFORM xphere_internal.lock_accounts(ARRAY[stake.user_id, v_account], ARRAY['XP', 'XP']::xphere.currency[]);
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = p.id FOR UPDATE;
	v_now := xphere_internal.not_before(p.index_updated_at, 'staking pool ' || p.id);
	v_tx := xphere_internal.new_transaction(stake.user_id, 'STAKE', stake.amount, 'XP', 'COMPLETED', 0,
		jsonb_build_object('staking_pool', p.id, 'position_id', v_id));
	PERFORM xphere_internal.post(stake.user_id, 'XP', -stake.amount, 0, v_tx);
	PERFORM xphere_internal.post(v_account, 'XP', stake.amount, 0, v_tx);
	INSERT INTO xphere.staking_positions (id, user_id, staking_pool, amount, start_date,
		locked_until, index_at_entry)
	VALUES (v_id, stake.user_id, p.id, stake.amount, v_now,
		v_now + xphere_internal.absolute_interval(p.lock_period), xphere_internal.staking_index_at(p, v_now));
	UPDATE xphere.staking_pools x SET total_staked = x.total_staked + stake.amount,
		updated_at = xphere.now()
	WHERE x.id = p.id;
	RETURN v_id;
END $$;
COMMENT ON FUNCTION stake(uuid, wad, text) IS
	'stakes XP in a tier (at least its minimum); returns the position id; XP001 if not enough XP';

CREATE FUNCTION pending_staking_rewards(position_id uuid) RETURNS wad
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.staking_positions;
	p xphere.staking_pools;
BEGIN
	IF position_id IS NULL THEN PERFORM xphere_internal.raise_null('position_id'); END IF;
	SELECT * INTO s FROM xphere.staking_positions x WHERE x.id = position_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'staking position % does not exist', position_id USING ERRCODE = 'no_data_found';
	END IF;
	PERFORM xphere_internal.authorize_user(s.user_id);
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = s.staking_pool;
	RETURN xphere_internal.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at)) - s.claimed_rewards;
END $$;
COMMENT ON FUNCTION pending_staking_rewards(uuid) IS
	'rewards of a staking position earned and not yet paid (0 once withdrawn)';

CREATE FUNCTION claim_staking_rewards(user_id uuid, position_id uuid) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.staking_positions;
	p xphere.staking_pools;
	v_now timestamptz;
	v_earned xphere.wad;
	v_pending xphere.wad;
	v_tx uuid;
BEGIN
	s := xphere_internal.owned_stake(user_id, position_id);
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = s.staking_pool;
	IF xphere_internal.stake_earned(s, p, greatest(xphere.now(), p.index_updated_at)) <= s.claimed_rewards THEN
		RETURN 0;	-- nothing to pay: no entry, nothing changes
	END IF;

	PERFORM xphere_internal.lock_accounts(ARRAY[s.user_id, xphere_internal.house_id()], ARRAY['XP', 'XP']::xphere.currency[]);
	SELECT * INTO STRICT s FROM xphere.staking_positions x WHERE x.id = s.id FOR UPDATE;
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = s.staking_pool;
	v_now := xphere_internal.not_before(greatest(p.index_updated_at, s.updated_at), 'staking position ' || s.id);
	v_earned := xphere_internal.stake_earned(s, p, v_now);
	v_pending := v_earned - s.claimed_rewards;
	IF v_pending <= 0 THEN
		RETURN 0;	-- a concurrent claim paid it
	END IF;
	v_tx := xphere_internal.new_transaction(s.user_id, 'STAKING_REWARD', v_pending, 'XP', 'COMPLETED', 0,
		jsonb_build_object('staking_pool', s.staking_pool, 'position_id', s.id));
	PERFORM xphere_internal.post(xphere_internal.house_id(), 'XP', -v_pending, 0, v_tx);
	PERFORM xphere_internal.post(s.user_id, 'XP', v_pending, 0, v_tx);
	UPDATE xphere.staking_positions x SET accumulated_rewards = v_earned, claimed_rewards = v_earned
	WHERE x.id = s.id;
	RETURN v_pending;
END $$;
COMMENT ON FUNCTION claim_staking_rewards(uuid, uuid) IS
	'pays a staking position''s pending rewards from the house; returns the amount (0 when nothing is pending)';

CREATE FUNCTION unstake(user_id uuid, position_id uuid) RETURNS timestamptz
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.staking_positions;
	p xphere.staking_pools;
	v_now timestamptz;
	v_unlock timestamptz;
BEGIN
	s := xphere_internal.owned_stake(user_id, position_id);
	SELECT * INTO STRICT s FROM xphere.staking_positions x WHERE x.id = s.id FOR UPDATE;
	SELECT * INTO STRICT p FROM xphere.staking_pools x WHERE x.id = s.staking_pool;
	IF s.status <> 'ACTIVE' THEN
		RAISE EXCEPTION 'staking position % is not active', s.id USING ERRCODE = xphere_internal.errcode('wrong_state'),
			DETAIL = pg_catalog.format('It is %s.', s.status);
	END IF;
	v_now := xphere_internal.not_before(greatest(p.index_updated_at, s.updated_at), 'staking position ' || s.id);
	IF v_now < s.locked_until THEN
		RAISE EXCEPTION 'staking position % is locked until %', s.id, s.locked_until
			USING ERRCODE = xphere_internal.errcode('wrong_state'),
			DETAIL = pg_catalog.format('Staking pool %s has a lock period of %s.', p.id, p.lock_period);
	END IF;
	v_unlock := v_now + xphere_internal.absolute_interval(xphere_internal.setting('unbonding_period')::interval);
	UPDATE xphere.staking_positions x SET status = 'UNBONDING', unlock_date = v_unlock,
		accumulated_rewards = xphere_internal.stake_earned(s, p, v_now)
	WHERE x.id = s.id;
	RETURN v_unlock;
END $$;
COMMENT ON FUNCTION unstake(uuid, uuid) IS
	'ends a stake after its lock period: rewards stop, unbonding starts; returns when it can be withdrawn';

CREATE FUNCTION withdraw_stake(user_id uuid, position_id uuid) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	s xphere.staking_positions;
	v_account uuid;
	v_now timestamptz;
	v_unclaimed xphere.wad;
	v_tx uuid;
BEGIN
	s := xphere_internal.owned_stake(user_id, position_id);
	v_account := xphere_internal.staking_account(s.staking_pool);
	PERFORM xphere_internal.lock_accounts(ARRAY[s.user_id, v_account, xphere_internal.house_id()],
								 ARRAY['XP', 'XP', 'XP']::xphere.currency[]);
	PERFORM 1 FROM xphere.staking_pools x WHERE x.id = s.staking_pool FOR UPDATE;
	SELECT * INTO STRICT s FROM xphere.staking_positions x WHERE x.id = s.id FOR UPDATE;
	IF s.status = 'ACTIVE' THEN
		RAISE EXCEPTION 'staking position % is not unbonding', s.id USING ERRCODE = xphere_internal.errcode('wrong_state'),
			DETAIL = 'It is ACTIVE.', HINT = 'Unstake it first.';
	ELSIF s.status <> 'UNBONDING' THEN
		RAISE EXCEPTION 'staking position % is not unbonding', s.id USING ERRCODE = xphere_internal.errcode('wrong_state'),
			DETAIL = pg_catalog.format('It is %s.', s.status);
	END IF;
	v_now := xphere_internal.not_before(s.updated_at, 'staking position ' || s.id);
	IF v_now < s.unlock_date THEN
		RAISE EXCEPTION 'staking position % is unbonding until %', s.id, s.unlock_date
			USING ERRCODE = xphere_internal.errcode('wrong_state');
	END IF;

	v_tx := xphere_internal.new_transaction(s.user_id, 'UNSTAKE', s.amount, 'XP', 'COMPLETED', 0,
		jsonb_build_object('staking_pool', s.staking_pool, 'position_id', s.id));
	PERFORM xphere_internal.post(v_account, 'XP', -s.amount, 0, v_tx);
	PERFORM xphere_internal.post(s.user_id, 'XP', s.amount, 0, v_tx);
	v_unclaimed := s.accumulated_rewards - s.claimed_rewards;
	IF v_unclaimed > 0 THEN
		v_tx := xphere_internal.new_transaction(s.user_id, 'STAKING_REWARD', v_unclaimed, 'XP', 'COMPLETED', 0,
			jsonb_build_object('staking_pool', s.staking_pool, 'position_id', s.id));
		PERFORM xphere_internal.post(xphere_internal.house_id(), 'XP', -v_unclaimed, 0, v_tx);
		PERFORM xphere_internal.post(s.user_id, 'XP', v_unclaimed, 0, v_tx);
	END IF;
	UPDATE xphere.staking_positions x SET status = 'WITHDRAWN', claimed_rewards = s.accumulated_rewards
	WHERE x.id = s.id;
	UPDATE xphere.staking_pools x SET total_staked = x.total_staked - s.amount WHERE x.id = s.staking_pool;
	RETURN s.amount + v_unclaimed;
END $$;
COMMENT ON FUNCTION withdraw_stake(uuid, uuid) IS
	'after unbonding: returns the principal and pays the unclaimed rewards; returns their sum';

-- swap --------------------------------------------------------------------------

CREATE FUNCTION swap(user_id uuid, from_currency currency, amount wad) RETURNS wad
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = xphere, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	v_to xphere.currency;
	v_price_from xphere.wad;
	v_price_to xphere.wad;
	v_fee_bps integer;
	v_received xphere.wad;
	v_gross xphere.wad;
	v_out uuid;
	v_in uuid;
	v_fee_tx uuid;
BEGIN
	IF user_id IS NULL THEN PERFORM xphere_internal.raise_null('user_id'); END IF;
	IF from_currency IS NULL THEN PERFORM xphere_internal.raise_null('from_currency'); END IF;
	PERFORM xphere_internal.check_amount(amount);
	PERFORM xphere_internal.authorize_user(user_id);

	v_to := CASE from_currency WHEN 'XP' THEN 'USDT' ELSE 'XP' END;
	v_price_from := xphere_internal.fresh_price(from_currency);
	v_price_to := xphere_internal.fresh_price(v_to);
	v_fee_bps := xphere_internal.setting('swap_fee_bps')::integer;
	/* raw units: amount x 10^18 x price_from / price_to, exact integers in numeric; div truncates */
	v_received := div(amount::numeric * 1000000000000000000 * v_price_from::numeric * (10000 - v_fee_bps),
					  v_price_to::numeric * 10000) * 0.000000000000000001;
	v_gross := div(amount::numeric * 1000000000000000000 * v_price_from::numeric,
				   v_price_to::numeric) * 0.000000000000000001;
	IF v_received = 0 THEN
		RAISE EXCEPTION 'amount % % is too small to swap', amount, from_currency USING ERRCODE = 'invalid_parameter_value',
			DETAIL = pg_catalog.format('At %s %s per %s and a fee of %s bps it buys less than one wei.',
							v_price_from / v_price_to, v_to, from_currency, v_fee_bps);
	END IF;

	PERFORM xphere_internal.lock_accounts(ARRAY[swap.user_id, swap.user_id, xphere_internal.house_id(), xphere_internal.house_id()],
								 ARRAY[from_currency, v_to, from_currency, v_to]);
	v_out := xphere_internal.new_transaction(swap.user_id, 'SWAP', amount, from_currency, 'COMPLETED', 0,
		jsonb_build_object('direction', 'out', 'to_currency', v_to, 'received', v_received,
						   'price_from', v_price_from, 'price_to', v_price_to, 'fee_bps', v_fee_bps));
	v_in := xphere_internal.new_transaction(swap.user_id, 'SWAP', v_received, v_to, 'COMPLETED',
		v_gross - v_received,
		jsonb_build_object('direction', 'in', 'from_currency', from_currency, 'paid', amount,
						   'swap_id', v_out));
	PERFORM xphere_internal.post(swap.user_id, from_currency, -amount, 0, v_out);
	PERFORM xphere_internal.post(xphere_internal.house_id(), from_currency, amount, 0, v_out);
	PERFORM xphere_internal.post(xphere_internal.house_id(), v_to, -v_gross, 0, v_in);
	PERFORM xphere_internal.post(swap.user_id, v_to, v_received, 0, v_in);
	/* the house keeps the fee out of what it owed: its income, as a FEE entry */
	IF v_gross > v_received THEN
		v_fee_tx := xphere_internal.new_transaction(xphere_internal.house_id(), 'FEE', v_gross - v_received, v_to,
			'COMPLETED', 0, jsonb_build_object('source', 'SWAP', 'transaction_id', v_in,
											   'user_id', swap.user_id));
		PERFORM xphere_internal.post(xphere_internal.house_id(), v_to, v_gross - v_received, 0, v_fee_tx);
	END IF;
	RETURN v_received;
END $$;
COMMENT ON FUNCTION swap(uuid, currency, wad) IS
	'exchanges XP and USDT with the house at the fresh price, less swap_fee_bps; returns the amount received';

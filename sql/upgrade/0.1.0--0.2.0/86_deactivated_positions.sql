/*
 * A deactivated user's loans and stakes are frozen like the rest of their
 * API: repay, add_collateral, remove_collateral, claim_staking_rewards,
 * unstake and withdraw_stake find the position through owned_position() or
 * owned_stake(), which refuse a deactivated user (XP006).  Liquidations
 * by others do not go through them and go on.
 */

CREATE OR REPLACE FUNCTION owned_position(p_user uuid, p_position uuid) RETURNS borrow_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	b xphere.borrow_positions;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF p_position IS NULL THEN PERFORM xphere.raise_null('position_id'); END IF;
	/* existence of the user and the position (P0002), then permission (42501) */
	PERFORM xphere.require_user(p_user);
	SELECT * INTO b FROM xphere.borrow_positions x WHERE x.id = p_position;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'borrow position % does not exist', p_position USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_acting(p_user);
	IF b.user_id <> p_user THEN
		RAISE EXCEPTION 'borrow position % belongs to another user', p_position
			USING ERRCODE = '42501';
	END IF;
	PERFORM xphere.require_active_user(p_user);
	RETURN b;
END $$;
COMMENT ON FUNCTION owned_position(uuid, uuid) IS 'a borrow position of the user; P0002 if missing, 42501 if another''s, XP006 if the user was deactivated';

CREATE OR REPLACE FUNCTION owned_stake(p_user uuid, p_position uuid) RETURNS staking_positions
	LANGUAGE plpgsql STABLE SET search_path = xphere, pg_catalog, pg_temp AS $$
DECLARE
	s xphere.staking_positions;
BEGIN
	IF p_user IS NULL THEN PERFORM xphere.raise_null('user_id'); END IF;
	IF p_position IS NULL THEN PERFORM xphere.raise_null('position_id'); END IF;
	PERFORM xphere.require_user(p_user);
	SELECT * INTO s FROM xphere.staking_positions x WHERE x.id = p_position;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'staking position % does not exist', p_position USING ERRCODE = 'P0002';
	END IF;
	PERFORM xphere.authorize_acting(p_user);
	IF s.user_id <> p_user THEN
		RAISE EXCEPTION 'staking position % belongs to another user', p_position
			USING ERRCODE = '42501';
	END IF;
	PERFORM xphere.require_active_user(p_user);
	RETURN s;
END $$;
COMMENT ON FUNCTION owned_stake(uuid, uuid) IS
	'a staking position of the user; P0002 if the user or position is missing, 42501 if another''s, XP006 if the user was deactivated';

/*
 * A deactivated user's loans and stakes are frozen like the rest of their
 * API: repay, add_collateral, remove_collateral, claim_staking_rewards,
 * unstake and withdraw_stake find the position through owned_position() or
 * owned_stake(), which refuse a deactivated user (XP006).  Liquidations
 * by others do not go through them and go on.
 */


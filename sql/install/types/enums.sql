/*
 * The enum types of the ERD, with the labels the applications were
 * written against.  Every domain's tables use them, so they come first.
 */

CREATE TYPE currency AS ENUM ('XP', 'USDT');
COMMENT ON TYPE currency IS 'the platform''s currencies';
CREATE TYPE user_role AS ENUM ('user', 'admin', 'system');
COMMENT ON TYPE user_role IS
	'user and admin as in the ERD (an admin''s session may run the operator functions its database role allows); system owns the house, pool and treasury accounts';
CREATE TYPE machine_status AS ENUM ('ONLINE', 'MAINTENANCE', 'OFFLINE');
COMMENT ON TYPE machine_status IS 'a machine earns only while ONLINE';
CREATE TYPE transaction_type AS ENUM (
	'DEPOSIT', 'WITHDRAWAL', 'PURCHASE', 'MINING_REWARD', 'STAKE', 'UNSTAKE',
	'LENDING_SUPPLY', 'LENDING_WITHDRAW', 'BORROW', 'REPAY', 'SWAP',
	'TRANSFER', 'LIQUIDATION', 'STAKING_REWARD', 'FEE',
	'COLLATERAL_DEPOSIT', 'COLLATERAL_WITHDRAW');
COMMENT ON TYPE transaction_type IS
	'what a ledger entry records; collateral locked or released by 0.1.0 was booked as BORROW or REPAY (metadata "collateral")';
CREATE TYPE transaction_status AS ENUM ('PENDING', 'COMPLETED', 'FAILED');
COMMENT ON TYPE transaction_status IS 'only PENDING may change, once, to COMPLETED or FAILED';
CREATE TYPE staking_status AS ENUM ('ACTIVE', 'UNBONDING', 'WITHDRAWN');
COMMENT ON TYPE staking_status IS 'a stake earns while ACTIVE, waits while UNBONDING';
CREATE TYPE position_status AS ENUM ('OPEN', 'CLOSED', 'LIQUIDATED');
COMMENT ON TYPE position_status IS 'state of a lending position';

/*
 * The Xphere schema: the ten tables of the ERD (users, machine_plans,
 * user_machines, transactions, lending_pools, supply_positions,
 * borrow_positions, staking_positions, mining_rewards, refresh_tokens) in
 * PostgreSQL form, plus accounts, balance_history, prices, settings,
 * audit_log and staking_pools.
 *
 * Amounts are wad, indexes and rates ray, times timestamptz.  Every
 * user-owned table carries user_id (the distribution key if the schema is
 * ever spread with Citus).  Money columns are changed only by the API
 * functions; see 45_ledger.sql for the rules that keep them consistent.
 */

-- (xphere.now() is qualified below: pg_catalog comes first while CREATE EXTENSION runs)
CREATE FUNCTION now() RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'xphere_now' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION xphere.now() IS
	'the extension''s clock: xphere.clock when a superuser set it, else the transaction start time';
CREATE FUNCTION current_user_id() RETURNS uuid
	AS 'MODULE_PATHNAME', 'xphere_current_user_id' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION current_user_id() IS
	'the user named by the xphere.user_id setting, or NULL when it is unset';
CREATE FUNCTION session_is_trusted() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_session_is_trusted' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION session_is_trusted() IS
	'whether the session''s role may act for any user: superuser, the extension''s owner, or a member of xphere_backend';
CREATE FUNCTION sees_all_users() RETURNS boolean
	AS 'MODULE_PATHNAME', 'xphere_sees_all_users' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION sees_all_users() IS
	'whether the session sees every user''s rows: trusted and not pinned to a user by xphere.user_id';
CREATE FUNCTION prorate_floor(amount wad, part bigint, whole bigint) RETURNS wad
	AS 'MODULE_PATHNAME', 'xphere_prorate_floor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prorate_floor(wad, bigint, bigint) IS
	'floor(amount * part / whole), exact: the share of an amount earned over part of a period';

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

-- users -------------------------------------------------------------------

CREATE TABLE users (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email			text NOT NULL CHECK (email = lower(email) AND length(email) <= 255),
	password_hash	text NOT NULL,
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	wallet_address	text CHECK (wallet_address ~ '^0x[0-9a-fA-F]{40}$'),
	role			user_role NOT NULL DEFAULT 'user',
	is_active		boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	email_verified	boolean NOT NULL DEFAULT false,
	anonymised_at	timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_wallet_address_idx ON users (wallet_address) WHERE wallet_address IS NOT NULL;
COMMENT ON INDEX users_email_key IS 'the ERD''s idx_email (unique)';
COMMENT ON INDEX users_wallet_address_idx IS 'the ERD''s idx_wallet, without the rows that have no address';
COMMENT ON TABLE users IS 'platform users; emails lower-cased and unique, passwords as bcrypt hashes';
COMMENT ON COLUMN users.password_hash IS
	'''bcrypt-sha256$'' and the bcrypt (pgcrypto, bf salt) of base64(sha256(password)), or a plain bcrypt from 0.1.0; never the password';
COMMENT ON COLUMN users.role IS
	'user or admin (set_user_role); system rows own the house and pool accounts and cannot log in';
COMMENT ON COLUMN users.is_active IS
	'false once deactivate_user() ran: no login, no user-scoped call; the money rows stay';
COMMENT ON COLUMN users.email_verified IS 'whether the user confirmed the email address (set_email_verified)';
COMMENT ON COLUMN users.anonymised_at IS
	'when deactivate_user(..., true) replaced the personal data by placeholders; such a user is never reactivated';

CREATE TABLE refresh_tokens (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	family_id		uuid NOT NULL,
	token_hash		bytea NOT NULL UNIQUE,
	expires_at		timestamptz NOT NULL,
	revoked_at		timestamptz,
	replaced_by		uuid REFERENCES refresh_tokens,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);
COMMENT ON INDEX refresh_tokens_user_idx IS 'the ERD''s idx_user, over the live (unrevoked) tokens';
COMMENT ON INDEX refresh_tokens_expires_idx IS 'the ERD''s idx_expires: finding expired tokens';
COMMENT ON TABLE refresh_tokens IS 'refresh tokens by SHA-256; the token itself is returned once and never stored';
COMMENT ON COLUMN refresh_tokens.family_id IS 'the chain of rotations a token belongs to';
COMMENT ON COLUMN refresh_tokens.replaced_by IS 'set when rotated: presenting a rotated token again revokes every token of the user';

-- money -------------------------------------------------------------------

CREATE TABLE accounts (
	user_id			uuid NOT NULL REFERENCES users,
	currency		currency NOT NULL,
	available		wad NOT NULL DEFAULT 0,
	locked			wad NOT NULL DEFAULT 0,
	allow_negative	boolean NOT NULL DEFAULT false,
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	PRIMARY KEY (user_id, currency),
	CHECK (locked >= 0),
	CHECK (available >= 0 OR allow_negative)
);
COMMENT ON TABLE accounts IS 'one balance per user and currency; changed only together with a ledger entry and balance_history';
COMMENT ON COLUMN accounts.available IS 'spendable';
COMMENT ON COLUMN accounts.locked IS 'held for pending withdrawals and as loan collateral';
COMMENT ON COLUMN accounts.allow_negative IS 'true only for the platform''s house accounts, the counterparty of rewards and swaps';

CREATE TABLE transactions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	type			transaction_type NOT NULL,
	amount			wad NOT NULL CHECK (amount >= 0),
	fee				wad NOT NULL DEFAULT 0 CHECK (fee >= 0),
	currency		currency NOT NULL,
	status			transaction_status NOT NULL DEFAULT 'COMPLETED',
	tx_hash			text CHECK (length(tx_hash) <= 66),
	to_address		text,
	metadata		jsonb NOT NULL DEFAULT '{}',
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE UNIQUE INDEX transactions_type_tx_hash_key ON transactions (type, tx_hash) WHERE tx_hash IS NOT NULL;
CREATE INDEX transactions_user_created_idx ON transactions (user_id, created_at);
CREATE INDEX transactions_user_type_idx ON transactions (user_id, type);
CREATE INDEX transactions_status_created_idx ON transactions (status, created_at);
CREATE INDEX transactions_created_idx ON transactions (created_at);
COMMENT ON INDEX transactions_user_created_idx IS
	'the ERD''s idx_transactions_user_created (user_id, created_at DESC): a backward scan serves the newest first';
COMMENT ON INDEX transactions_user_type_idx IS 'the ERD''s idx_user_type';
COMMENT ON INDEX transactions_status_created_idx IS
	'the ERD''s idx_status, with created_at: also the oldest PENDING entries first';
COMMENT ON INDEX transactions_created_idx IS 'the ERD''s idx_created';
COMMENT ON TABLE transactions IS 'the ledger: append-only, except a PENDING entry becoming COMPLETED or FAILED once';
COMMENT ON COLUMN transactions.amount IS 'the amount moved, excluding the fee';
COMMENT ON COLUMN transactions.tx_hash IS
	'chain transaction hash, 0x and 64 lower-case hex digits (rows from 0.1.0 may differ): unique per type; a deposit''s makes it idempotent';

CREATE TABLE balance_history (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id			uuid NOT NULL,
	currency		currency NOT NULL,
	transaction_id	uuid NOT NULL REFERENCES transactions,
	available_before wad NOT NULL,
	available_change wad NOT NULL,
	available_after	wad NOT NULL,
	locked_before	wad NOT NULL,
	locked_change	wad NOT NULL,
	locked_after	wad NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	FOREIGN KEY (user_id, currency) REFERENCES accounts,
	CHECK (available_after = available_before + available_change),
	CHECK (locked_after = locked_before + locked_change)
);
CREATE INDEX balance_history_account_idx ON balance_history (user_id, currency, id);
CREATE INDEX balance_history_transaction_idx ON balance_history (transaction_id);
COMMENT ON TABLE balance_history IS 'every change of every account, with its before and after values; append-only';

CREATE TABLE prices (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	asset			text NOT NULL CHECK (asset IN ('XP', 'USDT')),
	price_usdt		wad NOT NULL CHECK (price_usdt > 0),
	source			text NOT NULL DEFAULT 'manual' CHECK (length(source) BETWEEN 1 AND 100),
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX prices_asset_created_idx ON prices (asset, created_at DESC, id DESC);
COMMENT ON TABLE prices IS 'price history in USDT, the oracle: the latest row per asset is its price; USDT is always 1';

CREATE TABLE settings (
	key				text PRIMARY KEY,
	value			text NOT NULL,
	kind			text NOT NULL CHECK (kind IN ('wad', 'bps', 'interval', 'integer')),
	description		text NOT NULL,
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
COMMENT ON TABLE settings IS 'platform settings, typed and validated by set_setting()';

CREATE TABLE audit_log (
	id				bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	actor			text NOT NULL DEFAULT session_user,
	action			text NOT NULL,
	object_type		text NOT NULL,
	object_id		text NOT NULL,
	old_value		jsonb,
	new_value		jsonb,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, id);
COMMENT ON TABLE audit_log IS 'every administrative change with its old and new values; append-only';

-- mining ------------------------------------------------------------------

CREATE TABLE machine_plans (
	id				text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	machine_name	text NOT NULL CHECK (length(machine_name) BETWEEN 1 AND 100),
	price_usdt		wad NOT NULL CHECK (price_usdt > 0),
	hashrate		integer NOT NULL CHECK (hashrate > 0),
	daily_return_xp	wad NOT NULL CHECK (daily_return_xp >= 0),
	description		text CHECK (length(description) <= 1000),
	image_url		text CHECK (length(image_url) <= 1000),
	is_active		boolean NOT NULL DEFAULT true,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX machine_plans_active_idx ON machine_plans (is_active);
COMMENT ON TABLE machine_plans IS 'cloud-mining machines for sale';
COMMENT ON COLUMN machine_plans.hashrate IS 'TH/s';
COMMENT ON INDEX machine_plans_active_idx IS 'the ERD''s idx_active (is_active): the plans on sale';

CREATE TABLE user_machines (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	plan_id			text NOT NULL REFERENCES machine_plans,
	status			machine_status NOT NULL DEFAULT 'ONLINE',
	daily_return_xp	wad NOT NULL,
	purchase_date	timestamptz NOT NULL,
	online_since	timestamptz,
	online_us_before bigint NOT NULL DEFAULT 0 CHECK (online_us_before >= 0),
	status_changed_at timestamptz NOT NULL,
	paid_xp			wad NOT NULL DEFAULT 0,
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	CHECK ((status = 'ONLINE') = (online_since IS NOT NULL))
);
CREATE INDEX user_machines_user_idx ON user_machines (user_id);
CREATE INDEX user_machines_plan_idx ON user_machines (plan_id);
CREATE INDEX user_machines_status_idx ON user_machines (status);
COMMENT ON INDEX user_machines_user_idx IS 'the ERD''s idx_user (user_id): a user''s machines';
COMMENT ON INDEX user_machines_status_idx IS 'the ERD''s idx_status (status): machines by status';
COMMENT ON TABLE user_machines IS 'machines owned by users; rewards are computed from online time, not stored per tick';
COMMENT ON COLUMN user_machines.daily_return_xp IS 'the plan''s daily return when bought';
COMMENT ON COLUMN user_machines.online_since IS 'start of the current ONLINE period, NULL while paused';
COMMENT ON COLUMN user_machines.online_us_before IS 'microseconds ONLINE before online_since';
COMMENT ON COLUMN user_machines.paid_xp IS 'XP already distributed for this machine';

CREATE TABLE mining_rewards (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	machine_id		uuid NOT NULL REFERENCES user_machines,
	amount			wad NOT NULL CHECK (amount > 0),
	calculated_at	timestamptz NOT NULL,
	distributed		boolean NOT NULL DEFAULT true,
	distribution_tx	uuid NOT NULL REFERENCES transactions,
	created_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX mining_rewards_machine_idx ON mining_rewards (machine_id);
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

-- lending -----------------------------------------------------------------

CREATE TABLE lending_pools (
	id				text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	asset			currency NOT NULL UNIQUE,
	total_supplied	wad NOT NULL DEFAULT 0,
	total_borrowed	wad NOT NULL DEFAULT 0,
	scaled_supplied	wad NOT NULL DEFAULT 0,
	scaled_borrowed	wad NOT NULL DEFAULT 0,
	cash			wad NOT NULL DEFAULT 0,
	treasury_scaled	wad NOT NULL DEFAULT 0,
	deficit			wad NOT NULL DEFAULT 0,
	liquidity_index	ray NOT NULL DEFAULT '1',
	borrow_index	ray NOT NULL DEFAULT '1',
	liquidity_rate	ray NOT NULL DEFAULT '0',
	borrow_rate		ray NOT NULL DEFAULT '0',
	supply_apy		numeric NOT NULL DEFAULT 0,
	borrow_apy		numeric NOT NULL DEFAULT 0,
	ltv_ratio		numeric(5,4) NOT NULL DEFAULT 0.7500,
	liquidation_threshold numeric(5,4) NOT NULL DEFAULT 0.8000,
	liquidation_bonus numeric(5,4) NOT NULL DEFAULT 0.0500,
	reserve_factor	numeric(5,4) NOT NULL DEFAULT 0.1000,
	base_rate		ray NOT NULL DEFAULT '0.04',
	slope1			ray NOT NULL DEFAULT '0.09',
	slope2			ray NOT NULL DEFAULT '0.75',
	optimal_utilization ray NOT NULL DEFAULT '0.80',
	close_factor_min_base wad NOT NULL DEFAULT 2000,
	min_leftover_base wad NOT NULL DEFAULT 1000,
	is_active		boolean NOT NULL DEFAULT true,
	last_update		timestamptz NOT NULL DEFAULT xphere.now(),
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
COMMENT ON TABLE lending_pools IS 'one lending pool per asset, Aave V3 style: scaled balances and indexes';
COMMENT ON COLUMN lending_pools.supply_apy IS 'current supply rate, percent per year';
COMMENT ON COLUMN lending_pools.borrow_apy IS 'current borrow rate, percent per year';
COMMENT ON COLUMN lending_pools.deficit IS 'bad debt written off';
COMMENT ON INDEX lending_pools_asset_key IS 'one pool per asset: the ERD''s idx_asset (unique)';

CREATE TABLE supply_positions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	pool_id			text NOT NULL REFERENCES lending_pools,
	scaled_amount	wad NOT NULL DEFAULT 0 CHECK (scaled_amount >= 0),
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now(),
	supplied_amount	wad NOT NULL DEFAULT 0 CHECK (supplied_amount >= 0),
	xpx_balance		wad GENERATED ALWAYS AS (scaled_amount) STORED,
	entry_index		ray NOT NULL DEFAULT '1',
	UNIQUE (user_id, pool_id)
);
COMMENT ON TABLE supply_positions IS 'a user''s supply to a pool, as a scaled balance';
COMMENT ON COLUMN supply_positions.scaled_amount IS
	'the scaled balance (the truth): the balance is scaled_amount x liquidity index, rounded down';
COMMENT ON COLUMN supply_positions.supplied_amount IS
	'principal: + amount on supply; a withdrawal keeps the share of it the scaled balance keeps (rounded down); 0 when all is withdrawn';
COMMENT ON COLUMN supply_positions.xpx_balance IS
	'the interest-bearing xpX token balance (ERD): scaled_amount; worth xpx_balance x liquidity index in the pool''s asset';
COMMENT ON COLUMN supply_positions.entry_index IS
	'liquidity index of the first supply; after a top-up the average index, supplied_amount / xpx_balance (rayDiv); unchanged by withdrawals';
COMMENT ON INDEX supply_positions_user_id_pool_id_key IS 'one position per user and pool: the ERD''s idx_user_pool';

CREATE TABLE borrow_positions (
	id				uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id			uuid NOT NULL REFERENCES users,
	pool_id			text NOT NULL REFERENCES lending_pools,
	borrowed_amount	wad NOT NULL DEFAULT 0,
	scaled_debt		wad NOT NULL DEFAULT 0 CHECK (scaled_debt >= 0),
	collateral_asset currency NOT NULL,
	collateral_amount wad NOT NULL DEFAULT 0 CHECK (collateral_amount >= 0),
	health_factor	health_factor NOT NULL DEFAULT 'infinity',
	liquidation_price wad,
	status			position_status NOT NULL DEFAULT 'OPEN',
	created_at		timestamptz NOT NULL DEFAULT xphere.now(),
	updated_at		timestamptz NOT NULL DEFAULT xphere.now()
);
CREATE INDEX borrow_positions_user_idx ON borrow_positions (user_id);
CREATE INDEX borrow_positions_at_risk_idx ON borrow_positions (health_factor) WHERE health_factor < 1;
CREATE INDEX borrow_positions_health_idx ON borrow_positions (health_factor);
COMMENT ON INDEX borrow_positions_user_idx IS 'a user''s loans: the ERD''s idx_user';
COMMENT ON INDEX borrow_positions_at_risk_idx IS
	'the positions last seen liquidatable: the ERD''s idx_borrow_health (health_factor < 1.0)';
COMMENT ON INDEX borrow_positions_health_idx IS 'loans by stored health factor: the ERD''s idx_health';
COMMENT ON TABLE borrow_positions IS 'loans against one collateral asset each, as a scaled debt';
COMMENT ON COLUMN borrow_positions.borrowed_amount IS
	'principal borrowed when the position opened, never changed; the debt is scaled_debt x borrow index';
COMMENT ON COLUMN borrow_positions.health_factor IS 'stored health factor, refreshed on every change and for positions at risk';

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

-- updated_at --------------------------------------------------------------

CREATE FUNCTION touch_updated_at() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	/* an update made by a trigger (a restore merging a seeded row) keeps its value */
	IF pg_trigger_depth() = 1 THEN
		NEW.updated_at := xphere.now();
	END IF;
	RETURN NEW;
END $$;
COMMENT ON FUNCTION touch_updated_at() IS 'trigger: keeps updated_at current';

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'accounts', 'transactions', 'settings',
		'machine_plans', 'user_machines', 'lending_pools', 'supply_positions',
		'borrow_positions', 'staking_pools', 'staking_positions']
	LOOP
		/*
		 * An UPDATE that sets updated_at itself (the API's frequent ones
		 * do) skips the trigger: the condition is checked without calling
		 * a function.
		 */
		EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON xphere.%I
			FOR EACH ROW WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at)
			EXECUTE FUNCTION xphere.touch_updated_at()',
			t || '_updated_at', t);
	END LOOP;
END $$;

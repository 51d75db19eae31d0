/*
 * Mining distribution at scale: one batch's writes in one statement
 * (pay_machines), without the per-row foreign-key checks when the owner
 * may set session_replication_role (pay_machines_unchecked); the price and
 * threshold of large_transaction read once per batch; a tick pays one
 * batch sized to take about distribution_tick_time (a new setting,
 * validated by set_setting()) at the rate of the last one, kept in
 * job_state.distribution_chunk.  The functions (set_setting(),
 * pay_machines(), pay_machines_unchecked(), distribute_mining_batch(),
 * tick()) come from the install sources (sql/upgrade/functions.awk); new
 * ones are left without a PUBLIC grant by 99_end.sql.
 */
INSERT INTO settings (key, value, kind, description) VALUES
	('distribution_tick_time', '500 milliseconds', 'interval',
	 'about how long one tick spends paying machines; a round goes on over the next ticks');
ALTER TABLE job_state ADD COLUMN distribution_chunk integer CHECK (distribution_chunk > 0);
COMMENT ON COLUMN job_state.distribution_chunk IS
	'machines the next due tick pays (at most distribution_batch): distribution_tick_time at the rate of the last full batch; NULL: 1 000';

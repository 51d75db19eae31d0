/*
 * bench/scale diagnostics, after measure.sql: the plans, with actual times
 * and trigger times, of every statement over 20 ms inside a tick that
 * pays a distribution batch and inside distribute_mining_rewards() paying
 * every machine (auto_explain, nested statements included); then a due
 * tick in a session that asks for generic plans, as plpgsql's plan cache
 * would settle on after five calls, with distribution_batch = 5000:
 * distribute_mining_batch() sets plan_cache_mode = force_custom_plan for
 * itself, so its batch plans stay those of the batch at hand.
 * Timing every plan node slows the statements down; these runs are not
 * the figures.
 */
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, xphere;
SET jit = off;

-- close the round measure.sql left open, so that the next tick starts a new one
SET xphere.clock = '2027-01-05 00:00:00+00';
SELECT xphere.tick() \g /dev/null
VACUUM ANALYZE;

LOAD 'auto_explain';
SET auto_explain.log_min_duration = '20ms';
SET auto_explain.log_analyze = on;
SET auto_explain.log_triggers = on;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_level = notice;
SET client_min_messages = notice;

\echo
\echo '--- tick(), a distribution due (a new round) ---'
SET xphere.clock = '2027-01-05 00:00:01+00';
SELECT xphere.tick();

\echo
\echo '--- distribute_mining_rewards(), every machine ---'
SET xphere.clock = '2027-01-06 00:00:00+00';
SELECT xphere.distribute_mining_rewards();

\echo
\echo '--- tick(), a distribution due, generic plans (plan_cache_mode = force_generic_plan), distribution_batch = 5000 ---'
SET auto_explain.log_min_duration = -1;
-- closes the round opened above (distribute_mining_rewards() has paid everything since),
-- or pays a first batch of a new one: either way the next tick pays 5000 machines
SET xphere.clock = '2027-01-07 00:00:00+00';
SELECT xphere.set_setting('distribution_batch', '5000') \g /dev/null
SELECT xphere.tick() \g /dev/null
SET plan_cache_mode = force_generic_plan;
SET auto_explain.log_min_duration = '200ms';
SET xphere.clock = '2027-01-09 00:00:00+00';
SELECT xphere.tick();

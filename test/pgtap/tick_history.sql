-- test/pgtap/tick_history.sql: every tick() that completes leaves one row in
-- xphere.tick_history, and tick() deletes the rows older than the setting
-- tick_history_retention (default 7 days).
--
-- Ticks at T, T + 1 day, T + 3 days: three rows, each started at its tick's
-- clock, ok, with what tick() returned, run by 'sql' as the session's role.
-- At T + 8 days the retention (7 days) reaches back to T + 1 day: the row of
-- T goes (older), the one of T + 1 day stays (exactly 7 days old), so three
-- rows (T + 1, T + 3, T + 8).  With the retention set to 1 day, a tick at
-- T + 9 days keeps the rows from T + 8 days on: two.  A tick that fails
-- rolls back and leaves no row; record_failed_tick() (what the background
-- worker calls after a failure) writes ok = false with the error, and
-- prunes too (at T + 10.5 days, just before, the rows of T + 8 and T + 9
-- days are more than a day old and go).  Invalid
-- retentions are 22023 and change nothing; an app role cannot read the
-- table (42501), an admin can.
\ir ../lib/preamble.sql
SET LOCAL search_path = public, xphere;

SELECT plan(22);

SELECT is(xphere_internal.setting('tick_history_retention'), '7 days', 'tick_history_retention defaults to 7 days');
SELECT is((SELECT count(*) FROM xphere.tick_history), 0::bigint, 'no row before the first tick');

SET LOCAL xphere.clock = '2027-01-01 00:00:00+00';
CREATE TEMP TABLE r AS SELECT xphere.tick() AS result;
SELECT is((SELECT count(*) FROM xphere.tick_history), 1::bigint, 'one tick, one row');
SELECT is((SELECT started_at FROM xphere.tick_history), '2027-01-01 00:00:00+00'::timestamptz,
	'started_at is the tick''s clock');
SELECT ok((SELECT duration >= interval '0' AND ended_at = started_at + duration FROM xphere.tick_history),
	'duration is not negative and ended_at = started_at + duration');
SELECT is((SELECT result FROM xphere.tick_history), (SELECT result FROM r),
	'result is what tick() returned');
SELECT is((SELECT ok::text || ' ' || coalesce(error, '-') || ' ' || run_by || ' ' || role_name
		FROM xphere.tick_history), 'true - sql ' || session_user,
	'ok, no error, run by a SQL call, as the session''s role');

SET LOCAL xphere.clock = '2027-01-02 00:00:00+00';
SELECT xphere.tick() \g /dev/null
SET LOCAL xphere.clock = '2027-01-04 00:00:00+00';
SELECT xphere.tick() \g /dev/null
SELECT is((SELECT count(*) FROM xphere.tick_history), 3::bigint, 'three ticks, three rows');

SET LOCAL xphere.clock = '2027-01-09 00:00:00+00';
SELECT xphere.tick() \g /dev/null
SELECT is((SELECT string_agg(to_char(started_at AT TIME ZONE 'UTC', 'MM-DD'), ',' ORDER BY id)
		FROM xphere.tick_history), '01-02,01-04,01-09',
	'at T + 8 days: the row of T is deleted, the one exactly 7 days old is kept');

-- invalid retentions: 22023, settings unchanged
CREATE TEMP TABLE before AS SELECT * FROM xphere.settings;
SELECT throws_ok($$SELECT xphere.set_setting('tick_history_retention', 'forever')$$, '22023',
	NULL, 'a retention that is no interval is 22023');
SELECT throws_ok($$SELECT xphere.set_setting('tick_history_retention', '-1 day')$$, '22023',
	NULL, 'a negative retention is 22023');
SELECT throws_ok($$SELECT xphere.set_setting('tick_history_retention', NULL)$$, '22004',
	NULL, 'a NULL retention is 22004');
SELECT is((SELECT count(*) FROM (SELECT * FROM xphere.settings EXCEPT SELECT * FROM before) x), 0::bigint,
	'the refused values changed no setting');

SELECT lives_ok($$SELECT xphere.set_setting('tick_history_retention', '1 day')$$,
	'the retention can be set to 1 day');
SET LOCAL xphere.clock = '2027-01-10 00:00:00+00';
SELECT xphere.tick() \g /dev/null
SELECT is((SELECT string_agg(to_char(started_at AT TIME ZONE 'UTC', 'MM-DD'), ',' ORDER BY id)
		FROM xphere.tick_history), '01-09,01-10',
	'retention 1 day, at T + 9 days: the rows from T + 8 days on remain');

-- a failing tick rolls back its row; the worker records failures itself
UPDATE xphere.settings SET value = 'garbage' WHERE key = 'distribution_interval';
SET LOCAL xphere.clock = '2027-01-11 12:00:00+00';
SELECT throws_ok($$SELECT xphere.tick()$$, '22007', NULL, 'a tick with a broken setting fails');
SELECT is((SELECT count(*) FROM xphere.tick_history), 2::bigint, 'the failed tick left no row');
UPDATE xphere.settings SET value = '1 day' WHERE key = 'distribution_interval';
SELECT xphere_internal.record_failed_tick(clock_timestamp(), 'boom');
SELECT is((SELECT ok::text || ' ' || error || ' ' || (result IS NULL)::text || ' ' || run_by
		FROM xphere.tick_history ORDER BY id DESC LIMIT 1), 'false boom true sql',
	'record_failed_tick() writes ok false, the error and no result');
SELECT is((SELECT string_agg(to_char(started_at AT TIME ZONE 'UTC', 'MM-DD'), ',' ORDER BY id)
		FROM xphere.tick_history), '01-11',
	'it prunes too: at T + 10.5 days (retention 1 day) the rows of T + 8 and T + 9 days go');

-- who may read it
SET LOCAL ROLE xphere_app;
SELECT throws_ok($$SELECT count(*) FROM xphere.tick_history$$, '42501', NULL,
	'an app role cannot read tick_history');
RESET ROLE;
SET LOCAL ROLE xphere_backend;
SELECT throws_ok($$SELECT count(*) FROM xphere.tick_history$$, '42501', NULL,
	'a backend role cannot read tick_history');
RESET ROLE;
SET LOCAL ROLE xphere_admin;
SELECT is((SELECT count(*) FROM xphere.tick_history), 1::bigint, 'an admin reads tick_history');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;

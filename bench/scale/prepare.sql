/*
 * bench/scale measurements, first part (psql variable n): the results
 * table, the procedures that time a tick or a statement, and
 * check_invariants() after the set-up.  Every tick and every timed
 * statement commits on its own, so the figures include writing the WAL,
 * as a real tick does.  bench/scale.sh then runs each tick in a session of
 * its own, as the background worker does (a fresh worker per tick), and
 * distribute.sql does the rest.
 */
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, xphere;
SET jit = off;

CREATE TABLE scale_results (seq serial, figure text, ms float8, info text);

/* one tick at p_at, committed, timed; returns whether a distribution round is still open */
CREATE PROCEDURE scale_tick(p_figure text, p_at timestamptz, INOUT round_open boolean DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	ms float8;
	r jsonb;
BEGIN
	PERFORM set_config('xphere.clock', p_at::text, false);
	COMMIT;
	t0 := clock_timestamp();
	r := xphere.tick();
	COMMIT;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
	INSERT INTO public.scale_results (figure, ms, info) VALUES (p_figure, ms, r::text);
	COMMIT;
	round_open := (SELECT distribution_round_start IS NOT NULL FROM xphere.job_state);
END $$;

/* one statement, committed, timed; p_reset (not timed) runs before it */
CREATE PROCEDURE scale_time(p_figure text, p_sql text, p_reset text DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	ms float8;
	r text;
	n bigint;
BEGIN
	IF p_reset IS NOT NULL THEN
		EXECUTE p_reset;
		COMMIT;
	END IF;
	t0 := clock_timestamp();
	IF p_sql ~* '^\s*(SELECT|WITH)' THEN
		EXECUTE p_sql INTO r;
	ELSE
		EXECUTE p_sql;
		GET DIAGNOSTICS n = ROW_COUNT;
		r := n::text;
	END IF;
	COMMIT;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
	INSERT INTO public.scale_results (figure, ms, info) VALUES (p_figure, ms, r);
	COMMIT;
END $$;

WITH v AS MATERIALIZED (SELECT * FROM xphere.check_invariants())
SELECT :n, 'invariants_setup', count(*),
	coalesce(array_to_string((array_agg(invariant || ': ' || detail))[1:5], '; '), '')
FROM v \g (tuples_only=on format=unaligned fieldsep='\t')


-- test/lib/regress.sql - helpers of the pg_regress files (test/regress/sql),
-- read by "\ir test/lib/regress.sql" (pg_regress feeds psql the file on
-- standard input, so the path is relative to the repository root).
-- pg_temp.try(q): the text of expression q, or 'ERROR <sqlstate>: <message>'
-- if it fails, so that the expected output shows every message
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN EXECUTE 'SELECT (' || q || ')::text' INTO r; RETURN r;
EXCEPTION WHEN OTHERS THEN RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM; END $$;
-- pg_temp.agrees(got, want): got is want; a want of 'ERROR <sqlstate>' is
-- met by that error whatever its message, a want of 'ERROR' by any error
CREATE FUNCTION pg_temp.agrees(got text, want text) RETURNS boolean LANGUAGE sql AS $$
SELECT CASE WHEN want = 'ERROR' THEN got LIKE 'ERROR %'
            WHEN want LIKE 'ERROR _____' THEN got LIKE want || ': %'
            ELSE got IS NOT DISTINCT FROM want END $$;
-- pg_temp.sqlstate_of(q): 'ok' if statement q succeeds, else its SQLSTATE
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN EXECUTE q; RETURN 'ok'; EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE; END $$;

-- test/lib/snapshot.sql: SCHEMA.snapshot(except text[] DEFAULT '{}'), the
-- one table checksum the tests compare before and after a call.
--
-- Include it with the psql variable snapshot_schema naming the schema to
-- create the function in (it must exist):
--     \set snapshot_schema pg_temp
--     \ir lib/snapshot.sql
-- or, from a script, psql -v snapshot_schema=NAME -f test/lib/snapshot.sql.
--
-- The result has one line 'table=rows:md5' per table of schema xphere
-- (ordinary and partitioned), in name order, the md5 over the table's
-- sorted row texts ('empty' for none), so that a failing comparison shows
-- which table changed.  Tables named in except are left out (those a
-- background tick may change meanwhile).  SECURITY DEFINER: whoever calls
-- it, the owner's view counts, so row-level security hides nothing.

CREATE FUNCTION :"snapshot_schema".snapshot(p_except text[] DEFAULT '{}') RETURNS text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record;
	h text;
	acc text[] := '{}';
BEGIN
	FOR t IN SELECT c.oid::regclass AS rel, c.relname FROM pg_class c
			  WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p')
				AND c.relname <> ALL (p_except)
			  ORDER BY c.relname
	LOOP
		EXECUTE format('SELECT count(*) || %L || coalesce(md5(string_agg(x::text, %L ORDER BY x::text)), %L) FROM %s x',
					   ':', E'\n', 'empty', t.rel) INTO h;
		acc := acc || (t.relname || '=' || h);
	END LOOP;
	RETURN array_to_string(acc, E'\n');
END $$;

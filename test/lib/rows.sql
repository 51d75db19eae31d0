-- test/lib/rows.sql: the rows of every table of schema xphere, on given
-- columns, for comparing a database before and after a change of its
-- tables (test/scripts/upgrade.sh: ALTER EXTENSION xphere UPDATE) or two databases.
--
-- Include it with the psql variable rows_schema naming the schema to create
-- the functions in (it must exist):
--     psql -v rows_schema=pg_temp -f test/lib/rows.sql -c 'SELECT ...'
--
-- SCHEMA.table_columns() RETURNS jsonb
--     {"table": ["column", ...], ...}: every table of schema xphere
--     (ordinary and partitioned) with its columns in order.
-- SCHEMA.table_rows(p_columns jsonb, p_each_row boolean DEFAULT false,
--                    p_exprs jsonb DEFAULT '{}')
--     RETURNS SETOF text
--     the tables of p_columns (table_columns() for all of them as they
--     are now), each projected
--     onto its listed columns, in table name order: one line
--     'table=rows:md5' per table (the md5 over the sorted row texts,
--     'empty' for none), or with p_each_row one line 'table: (row text)'
--     per row, sorted, for showing what differs.  A table or a column of
--     p_columns that no longer exists gives a line saying so instead.
--     p_exprs {"table": {"column": "SQL expression"}} projects a column
--     through an expression over the row instead (what a change is
--     expected to turn the column into); its text is what is compared.
--     Then one line 'sequence NAME: last_value, is_called' per sequence
--     of schema xphere.
-- Both are SECURITY DEFINER: whoever calls them, the owner's view counts,
-- so row-level security hides nothing.

CREATE FUNCTION :"rows_schema".table_columns() RETURNS jsonb
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN (SELECT coalesce(jsonb_object_agg(c.relname, (
			SELECT jsonb_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
			WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)), '{}')
		FROM pg_class c
		WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind IN ('r', 'p'));

CREATE FUNCTION :"rows_schema".table_rows(p_columns jsonb, p_each_row boolean DEFAULT false,
		p_exprs jsonb DEFAULT '{}')
	RETURNS SETOF text
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t record;
	rel regclass;
	cols text;
	gone text;
	line text;
BEGIN
	FOR t IN SELECT key AS relname, value AS columns FROM jsonb_each(p_columns) ORDER BY key LOOP
		rel := to_regclass(format('xphere.%I', t.relname));
		IF rel IS NULL THEN
			RETURN NEXT t.relname || ': the table is gone';
			CONTINUE;
		END IF;
		SELECT string_agg(coalesce('(' || (p_exprs -> t.relname ->> c) || ')::text',
							   format('%I', c)), ', ' ORDER BY n),
			   string_agg(c, ', ' ORDER BY n) FILTER (WHERE NOT EXISTS (
				   SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = c
					 AND a.attnum > 0 AND NOT a.attisdropped))
		INTO cols, gone
		FROM jsonb_array_elements_text(t.columns) WITH ORDINALITY AS x(c, n);
		IF gone IS NOT NULL THEN
			RETURN NEXT t.relname || ': columns gone: ' || gone;
			CONTINUE;
		END IF;
		IF p_each_row THEN
			FOR line IN EXECUTE format('SELECT %L || '': '' || r FROM (SELECT (ROW(%s))::text AS r FROM %s) x ORDER BY r',
									   t.relname, cols, rel) LOOP
				RETURN NEXT line;
			END LOOP;
		ELSE
			EXECUTE format('SELECT %L || ''='' || count(*) || '':'' || coalesce(md5(string_agg(r, E''\n'' ORDER BY r)), ''empty'')
							FROM (SELECT (ROW(%s))::text AS r FROM %s) x', t.relname, cols, rel)
			INTO line;
			RETURN NEXT line;
		END IF;
	END LOOP;
	FOR t IN SELECT c.oid::regclass AS seq FROM pg_class c
			 WHERE c.relnamespace = 'xphere'::regnamespace AND c.relkind = 'S' ORDER BY c.relname LOOP
		EXECUTE format('SELECT %L || '': '' || last_value || '', '' || is_called FROM %s',
					   'sequence ' || t.seq::text, t.seq) INTO line;
		RETURN NEXT line;
	END LOOP;
END $$;

-- the driver overloads (text for uuid, jsonb and interval) of every API
-- function, the ones the update added included, with their comments as
-- the install sources now have them (sql/install/platform/param_types.sql)
SELECT xphere_internal.make_driver_overloads();

/*
 * Whatever the update created keeps no default PUBLIC grant (as at the end
 * of a fresh install's sql/install/platform/security.sql).  Only those
 * functions: a GRANT or REVOKE in an extension script records the whole
 * resulting access list as the extension's initial privileges, which
 * pg_dump leaves out, so a grant a DBA made on an older function would
 * vanish from dumps.
 */
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN
		SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
		WHERE p.pronamespace IN ('xphere'::regnamespace, 'xphere_internal'::regnamespace)
		  AND EXISTS (SELECT 1 FROM pg_catalog.aclexplode(
				coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) a
			WHERE a.grantee = 0)
		ORDER BY 1
	LOOP
		EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
	END LOOP;
END $$;

/*
 * No statistics on the amounts of user-owned tables.  The comparison
 * operators of wad and ray are LEAKPROOF, which lets the planner apply a
 * session's own conditions early and use the column statistics for its
 * estimates even under row-level security; a platform user could then
 * read other users' balances off EXPLAIN estimates (histogram bounds).
 * Without statistics on these columns the estimates use defaults, which
 * reveal nothing; the API's plans use keys and ids, not amounts.
 * health_factor is not an amount, and refresh_positions_at_risk() needs
 * its statistics: without them the estimate of its "health_factor < 1"
 * branch makes the generic plan look dear, and every call re-plans.
 */
DO $$
DECLARE
	c record;
BEGIN
	FOR c IN
		SELECT a.attrelid::regclass AS rel, a.attname
		FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class r ON r.oid = a.attrelid
		WHERE r.relnamespace = 'xphere'::regnamespace AND r.relrowsecurity
		  AND a.attnum > 0 AND NOT a.attisdropped
		  AND a.atttypid IN ('xphere.wad'::regtype, 'xphere.ray'::regtype)
		ORDER BY 1, 2
	LOOP
		EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS 0', c.rel, c.attname);
	END LOOP;
END $$;

-- test/lib/type_support.sql: SCHEMA.type_support() RETURNS SETOF oid, the
-- functions the extension's types are made of: input/output, operators,
-- casts, aggregates and their support functions, index support.  Read
-- from the catalogs, so a new operator or cast is covered.  Tests leave
-- these out where they compare the API (they are every role's).
--
-- Include it with the psql variable type_support_schema naming the schema
-- to create the function in (it must exist):
--     \set type_support_schema pg_temp
--     \ir lib/type_support.sql
-- or, from a script, psql -v type_support_schema=NAME -f test/lib/type_support.sql.

CREATE FUNCTION :"type_support_schema".type_support() RETURNS SETOF oid
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	WITH ext_types AS (
		SELECT t.oid FROM pg_type t WHERE t.typnamespace = 'xphere'::regnamespace
	), support(oid) AS (
		SELECT unnest(ARRAY[t.typinput, t.typoutput, t.typreceive, t.typsend,
							t.typmodin, t.typmodout, t.typanalyze]::oid[])
		FROM pg_type t WHERE t.oid IN (SELECT oid FROM ext_types)
		UNION ALL SELECT o.oprcode FROM pg_operator o WHERE o.oprnamespace = 'xphere'::regnamespace
		UNION ALL SELECT c.castfunc FROM pg_cast c
		WHERE c.castsource IN (SELECT oid FROM ext_types) OR c.casttarget IN (SELECT oid FROM ext_types)
		UNION ALL SELECT unnest(ARRAY[a.aggfnoid, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
							a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn,
							a.aggmfinalfn]::oid[])
		FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
		WHERE p.pronamespace = 'xphere'::regnamespace
		UNION ALL SELECT ap.amproc FROM pg_amproc ap JOIN pg_opfamily f ON f.oid = ap.amprocfamily
		WHERE f.opfnamespace = 'xphere'::regnamespace
	)
	SELECT DISTINCT oid FROM support WHERE oid IS NOT NULL AND oid <> 0
$$;

/*
 * Parameters of the types drivers send (see sql/install/platform/param_types.sql,
 * which this repeats for a 0.1.0 database): numeric -> wad becomes
 * implicit; implicit casts from text and varchar into wad and the enums;
 * the overloads of the API functions taking text in place of uuid, jsonb
 * and interval.  It runs after the fragments that change grants, so the
 * overloads copy the final ones; a later fragment that adds an API
 * function calls xphere.make_driver_overloads() again.
 */

DROP CAST (numeric AS xphere.wad);
CREATE CAST (numeric AS xphere.wad) WITH FUNCTION xphere.wad(numeric) AS IMPLICIT;

CREATE CAST (text AS xphere.wad) WITH INOUT AS IMPLICIT;
CREATE CAST (character varying AS xphere.wad) WITH INOUT AS IMPLICIT;

CREATE FUNCTION xphere.make_driver_overloads() RETURNS integer
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t regtype;
	src regtype;
	f record;
	pos integer[];			-- 0-based positions of uuid/jsonb/interval parameters
	k integer;
	mask integer;
	last_text integer;
	params text[];
	args text[];
	d text;
	sig text;
	g record;
	made integer := 0;
BEGIN
	-- text and varchar into every enum of the extension
	FOR t IN SELECT ty.oid::regtype FROM pg_type ty
			 WHERE ty.typnamespace = 'xphere'::regnamespace AND ty.typtype = 'e'
			 ORDER BY ty.typname
	LOOP
		FOREACH src IN ARRAY ARRAY['text', 'character varying']::regtype[] LOOP
			IF NOT EXISTS (SELECT 1 FROM pg_cast c WHERE c.castsource = src AND c.casttarget = t) THEN
				EXECUTE pg_catalog.format('CREATE CAST (%s AS %s) WITH INOUT AS IMPLICIT', src, t);
			END IF;
		END LOOP;
	END LOOP;

	-- the API functions (not the overloads made here, which call a function
	-- of their own name) with parameters of a type that text cannot reach
	FOR f IN
		SELECT p.oid, p.proname, ARRAY(SELECT unnest(p.proargtypes::oid[])) AS types, p.proargnames, p.proargmodes,
			   p.provolatile, p.proisstrict, p.proparallel, p.proretset, p.proacl,
			   pg_get_function_result(p.oid) AS result
		FROM pg_proc p
		WHERE p.pronamespace = 'xphere'::regnamespace AND p.prokind = 'f'
		  AND p.proargtypes::oid[] && ARRAY['uuid', 'jsonb', 'interval']::regtype[]::oid[]
		  AND EXISTS (SELECT 1 FROM aclexplode(p.proacl) a
					  WHERE a.privilege_type = 'EXECUTE'
						AND a.grantee IN ('xphere_app'::regrole, 'xphere_admin'::regrole))
		  AND NOT EXISTS (SELECT 1 FROM pg_depend dp JOIN pg_proc o ON o.oid = dp.refobjid
						  WHERE dp.classid = 'pg_proc'::regclass AND dp.objid = p.oid
							AND dp.refclassid = 'pg_proc'::regclass AND o.proname = p.proname
							AND o.pronamespace = p.pronamespace)
		ORDER BY p.oid::regprocedure::text
	LOOP
		IF f.proargmodes IS NOT NULL
		   AND EXISTS (SELECT 1 FROM unnest(f.proargmodes) m WHERE m NOT IN ('i', 't')) THEN
			RAISE EXCEPTION 'make_driver_overloads: %: only IN parameters and RETURNS TABLE are supported',
				f.oid::regprocedure;
		END IF;
		SELECT array_agg(i - 1 ORDER BY i) INTO pos
		FROM unnest(f.types) WITH ORDINALITY u(ty, i)
		WHERE u.ty = ANY (ARRAY['uuid', 'jsonb', 'interval']::regtype[]::oid[]);
		k := cardinality(pos);
		IF k > 3 THEN
			RAISE EXCEPTION 'make_driver_overloads: %: more than 3 such parameters', f.oid::regprocedure;
		END IF;
		FOR mask IN 1 .. (1 << k) - 1 LOOP
			params := '{}';
			args := '{}';
			last_text := -1;
			FOR j IN 0 .. k - 1 LOOP
				IF mask & (1 << j) <> 0 THEN
					last_text := pos[j + 1];
				END IF;
			END LOOP;
			FOR i IN 0 .. cardinality(f.types) - 1 LOOP
				IF i = ANY (pos) AND mask & (1 << array_position(pos, i) - 1) <> 0 THEN
					params := params || concat_ws(' ', quote_ident(nullif(f.proargnames[i + 1], '')), 'text');
					args := args || pg_catalog.format('$%s::%s', i + 1, format_type(f.types[i + 1], NULL));
				ELSE
					d := CASE WHEN i > last_text THEN pg_get_function_arg_default(f.oid, i + 1) END;
					params := params || concat_ws(' ', quote_ident(nullif(f.proargnames[i + 1], '')),
												  format_type(f.types[i + 1], NULL),
												  'DEFAULT ' || d);
					args := args || pg_catalog.format('$%s', i + 1);
				END IF;
			END LOOP;
			sig := pg_catalog.format('xphere.%I(%s)', f.proname, array_to_string(params, ', '));
			EXECUTE pg_catalog.format('CREATE OR REPLACE FUNCTION %s RETURNS %s LANGUAGE sql %s %s PARALLEL %s '
						   'BEGIN ATOMIC SELECT %s xphere.%I(%s); END',
						   sig, f.result,
						   CASE f.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
						   CASE WHEN f.proisstrict THEN 'STRICT' ELSE 'CALLED ON NULL INPUT' END,
						   CASE f.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END,
						   CASE WHEN f.proretset THEN '* FROM' ELSE '' END,
						   f.proname, array_to_string(args, ', '));
			-- the identity signature (names and defaults dropped) for GRANT and COMMENT
			sig := pg_catalog.format('xphere.%I(%s)', f.proname,
						  (SELECT string_agg(CASE WHEN i - 1 = ANY (pos)
												   AND mask & (1 << array_position(pos, i - 1) - 1) <> 0
											  THEN 'text' ELSE format_type(ty, NULL) END, ', ' ORDER BY i)
						   FROM unnest(f.types) WITH ORDINALITY u(ty, i)));
			EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', sig);
			FOR g IN SELECT a.grantee, a.is_grantable FROM aclexplode(f.proacl) a
					 WHERE a.privilege_type = 'EXECUTE'
					   AND a.grantee <> (SELECT proowner FROM pg_proc WHERE oid = f.oid)
					 ORDER BY a.grantee
			LOOP
				EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO %s%s', sig,
							   CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE g.grantee::regrole::text END,
							   CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
			END LOOP;
			EXECUTE pg_catalog.format('COMMENT ON FUNCTION %s IS %L', sig, obj_description(f.oid, 'pg_proc'));
			made := made + 1;
		END LOOP;
	END LOOP;
	RETURN made;
END $$;
COMMENT ON FUNCTION xphere.make_driver_overloads() IS
	'implicit casts from text and varchar into the extension''s enums, and the overloads of the API functions taking text in place of uuid, jsonb and interval (see sql/install/platform/param_types.sql); returns how many overloads it made or replaced';
REVOKE ALL ON FUNCTION xphere.make_driver_overloads() FROM PUBLIC;

SELECT xphere.make_driver_overloads();

/*
 * The types drivers send.  A driver that prepares
 *     SELECT xphere.deposit($1, $2, $3, $4)
 * declares its parameters with the types of the values it was given:
 * psycopg binds a Decimal as numeric and a str as text, JDBC's
 * setBigDecimal/setString bind numeric and varchar, node-postgres sends
 * text or leaves the type unknown.  PostgreSQL then resolves the function
 * with implicit casts only, so every API function must be reachable from
 * those types; results, SQLSTATEs and "a failed call changes nothing" are
 * the same whichever way a value is bound.
 *
 * Where we own one of the two types, an implicit cast does it:
 *   - numeric -> wad (the template, sql/install/types/fixed_type.sql.in): rounds half away
 *     from zero to 18 decimals and is 22003 out of range, exactly as text
 *     input; numeric -> ray stays an assignment cast, or wad * 1.5 and
 *     ray_mul(1.5, 1.5) would be ambiguous between wad and ray.
 *   - text and varchar -> wad (I/O: wad_in, the same rounding and the same
 *     22P02/22003 as a literal); none into ray or health_factor, or
 *     wad * $1::text would be ambiguous with wad * ray.
 *   - text and varchar -> every enum of the extension (currency,
 *     machine_status, ...; I/O: enum_in, 22P02 for an unknown label).
 * These casts can fail, against the rule of keeping implicit only what
 * never fails; the price is that expressions which were 42883 now resolve
 * and may raise 22P02/22003 instead: wad_col = 1.5, wad_col > $1::numeric,
 * wad_col + text_col, sum(text_col) with xphere on the search_path (as
 * sum(wad)), a numeric literal rounded to 18 decimals when compared with a
 * wad (wad_col > 0.0000000000000000004 is wad_col > 0).  There is no
 * other way to accept numeric: an overload taking numeric next to the one
 * taking wad makes every integer amount ambiguous (int -> wad and
 * int -> numeric are both implicit, neither type preferred), and
 * wad -> numeric stays an assignment cast: both directions implicit would
 * make wad_col * 1.5 and wad_col > $1::numeric ambiguous.
 *
 * Where we own neither type (uuid, and jsonb and interval, which drivers
 * also send as strings), no cast is possible; instead each API function
 * (EXECUTE granted to xphere_app or xphere_admin) taking such parameters
 * gets overloads with text in their place, one per non-empty subset of
 * them (an id bound as uuid next to one bound as text), made from the
 * catalog by make_driver_overloads() below, so that a function added later
 * is covered by calling it again.  varchar reaches them through the
 * implicit varchar -> text.  An overload:
 *   - has the original's parameter names, volatility, strictness,
 *     parallel safety, result, comment and EXECUTE grants, and keeps the
 *     original's defaults only after its last text parameter, so that no
 *     two overloads match the same shortened call;
 *   - is SECURITY INVOKER, LANGUAGE sql with a BEGIN ATOMIC body that
 *     casts and calls the original: names are bound when it is made (no
 *     search_path needed, so none is set: a SET clause would stop the
 *     planner from inlining it), the original cannot be dropped without
 *     it, and a scalar call is inlined into a direct call of the original;
 *   - is what an unknown literal resolves to (PostgreSQL prefers the
 *     string category), so xphere.balance('...', 'XP') now goes through
 *     it: a bad uuid is still 22P02 and NULL still reaches the original's
 *     22004 check.  One difference: with several bad arguments, the uuid
 *     is cast last, so deposit('bad', 'XP', 1e30, 'h') is 22003 where it
 *     was 22P02 (argument validity comes first either way).
 *
 * Operators and aggregates (sum(amount), amount > 100) are found through
 * the search_path only, like any function; the README asks for xphere on
 * it, first (ALTER DATABASE ... SET search_path = xphere, pg_catalog,
 * "$user": a schema before it could shadow its operators), and
 * without it amount::numeric (exact) or OPERATOR(xphere.>) work.  Making
 * wad -> numeric implicit instead would let pg_catalog's numeric operators
 * answer without xphere on the path, but then amount * price would be
 * numeric or wad arithmetic (different rounding) depending on the session's
 * search_path, and wad against numeric would be ambiguous with it.
 */

CREATE CAST (text AS xphere.wad) WITH INOUT AS IMPLICIT;
CREATE CAST (character varying AS xphere.wad) WITH INOUT AS IMPLICIT;

CREATE FUNCTION xphere_internal.make_driver_overloads() RETURNS integer
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
COMMENT ON FUNCTION xphere_internal.make_driver_overloads() IS
	'implicit casts from text and varchar into the extension''s enums, and the overloads of the API functions taking text in place of uuid, jsonb and interval (see sql/install/platform/param_types.sql); returns how many overloads it made or replaced';
REVOKE ALL ON FUNCTION xphere_internal.make_driver_overloads() FROM PUBLIC;

SELECT xphere_internal.make_driver_overloads();

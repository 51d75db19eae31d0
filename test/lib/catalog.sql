-- test/lib/catalog.sql: the catalog fingerprint of the xphere extension in
-- the current database, as sorted text lines; two databases whose
-- extension was made the same way print the same lines.
--
--     psql -X -qAt -d DB -f test/lib/catalog.sql > DB.catalog
--
-- test/scripts/upgrade.sh compares an updated database with a fresh install by it.
-- In scope: the extension itself (version, schema, owner, its
-- pg_extension_config_dump tables by name with their conditions), every
-- object that belongs to it (pg_depend deptype 'e') and everything in
-- schema xphere:
--   functions and procedures (pg_get_functiondef, kind, language, owner,
--   volatility, strict, security definer, leakproof, parallel, cost, rows,
--   support, proconfig, ACL), aggregates (every pg_aggregate field), types
--   (every pg_type field that is no oid, by name; enum labels in their sort
--   order; domain constraints), relations (kind, owner, persistence,
--   access method, options, RLS and forced RLS, replica identity,
--   partitioning, ACL), their columns in order (position among the
--   non-dropped columns, name, type and typmod, not null, default,
--   generated, identity, collation, storage, compression, statistics
--   target, options, ACL), constraints, indexes, triggers (not the
--   internal ones of foreign keys, whose names carry oids) with their
--   enabled state, policies, rules, view definitions, sequences
--   (parameters and owning column), casts, operators, operator classes and
--   families with their members, extended statistics, event triggers,
--   pg_init_privs (the privileges pg_dump takes as the extension's own),
--   default privileges, comments on all of these, and the global objects the
--   extension uses: the roles whose names start with xphere or that appear
--   in an ACL in scope (attributes, memberships, comments) and the
--   pg_parameter_acl rows of xphere.* parameters.
--
-- Objects are named by regclass / regprocedure / regtype / regoperator
-- text, never by oid, and ACLs are sorted, so that the lines do not depend
-- on the order in which objects or grants were made.  Everything lives in
-- the one query below; it creates nothing, so it can be run on any
-- database, also by a role that is not a superuser (but then it sees only
-- what that role may read).
--
-- Left out on purpose: "pg_attver=N" entries of attoptions.  The
-- PostgreSQL 15 server builds this was developed with report one for every
-- column of every relation, catalog views included, with an N that differs
-- between databases for the same table; no statement of the extension sets
-- it, so it says nothing about how the extension was made.

-- (names qualified whatever the caller's search_path; the query is large
-- enough for JIT, whose compilation takes seconds)
SET search_path = pg_catalog;
SET jit = off;

WITH
ext AS (
	SELECT e.*, e.oid AS ext_oid FROM pg_catalog.pg_extension e WHERE e.extname = 'xphere'
),
ns AS (
	SELECT n.oid AS ns_oid FROM pg_catalog.pg_namespace n WHERE n.nspname IN ('xphere', 'xphere_internal')
),
member AS (
	SELECT d.classid, d.objid, d.objsubid FROM pg_catalog.pg_depend d, ext
	WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = ext.ext_oid
	  AND d.deptype = 'e'
),
rel AS (
	SELECT c.* FROM pg_catalog.pg_class c
	WHERE c.relnamespace IN (SELECT ns_oid FROM ns)
	   OR c.oid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_class'::regclass)
),
fn AS (
	SELECT p.* FROM pg_catalog.pg_proc p
	WHERE p.pronamespace IN (SELECT ns_oid FROM ns)
	   OR p.oid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_proc'::regclass)
),
typ AS (
	SELECT t.* FROM pg_catalog.pg_type t
	WHERE t.typnamespace IN (SELECT ns_oid FROM ns)
	   OR t.oid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_type'::regclass)
),
opr AS (
	SELECT o.* FROM pg_catalog.pg_operator o
	WHERE o.oprnamespace IN (SELECT ns_oid FROM ns)
	   OR o.oid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_operator'::regclass)
),
opf AS (
	SELECT f.* FROM pg_catalog.pg_opfamily f
	WHERE f.opfnamespace IN (SELECT ns_oid FROM ns)
	   OR f.oid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_opfamily'::regclass)
),
opc AS (
	SELECT c.* FROM pg_catalog.pg_opclass c
	WHERE c.opcnamespace IN (SELECT ns_oid FROM ns)
	   OR c.oid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_opclass'::regclass)
),
cst AS (
	SELECT c.* FROM pg_catalog.pg_cast c
	WHERE c.oid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_cast'::regclass)
	   OR c.castsource IN (SELECT oid FROM typ) OR c.casttarget IN (SELECT oid FROM typ)
	   OR c.castfunc IN (SELECT oid FROM fn)
),
con AS (
	SELECT c.*,
		coalesce(c.conrelid::regclass::text, 'domain ' || c.contypid::regtype::text) AS parent
	FROM pg_catalog.pg_constraint c
	WHERE c.conrelid IN (SELECT oid FROM rel) OR c.contypid IN (SELECT oid FROM typ)
),
trg AS (
	SELECT t.* FROM pg_catalog.pg_trigger t
	WHERE t.tgrelid IN (SELECT oid FROM rel) AND NOT t.tgisinternal
),
pol AS (
	SELECT p.* FROM pg_catalog.pg_policy p WHERE p.polrelid IN (SELECT oid FROM rel)
),
rul AS (
	SELECT r.* FROM pg_catalog.pg_rewrite r
	WHERE r.ev_class IN (SELECT oid FROM rel) AND r.rulename <> '_RETURN'
),
evt AS (
	SELECT e.* FROM pg_catalog.pg_event_trigger e
	WHERE e.oid IN (SELECT objid FROM member WHERE classid = 'pg_catalog.pg_event_trigger'::regclass)
),
stx AS (
	SELECT s.* FROM pg_catalog.pg_statistic_ext s
	WHERE s.stxnamespace IN (SELECT ns_oid FROM ns) OR s.stxrelid IN (SELECT oid FROM rel)
),
-- every object in scope as (classid, objid): comments and initial privileges
obj AS (
	SELECT classid, objid FROM member
	UNION SELECT 'pg_catalog.pg_extension'::regclass, ext_oid FROM ext
	UNION SELECT 'pg_catalog.pg_namespace'::regclass, ns_oid FROM ns
	UNION SELECT 'pg_catalog.pg_class'::regclass, oid FROM rel
	UNION SELECT 'pg_catalog.pg_proc'::regclass, oid FROM fn
	UNION SELECT 'pg_catalog.pg_type'::regclass, oid FROM typ
	UNION SELECT 'pg_catalog.pg_operator'::regclass, oid FROM opr
	UNION SELECT 'pg_catalog.pg_opfamily'::regclass, oid FROM opf
	UNION SELECT 'pg_catalog.pg_opclass'::regclass, oid FROM opc
	UNION SELECT 'pg_catalog.pg_cast'::regclass, oid FROM cst
	UNION SELECT 'pg_catalog.pg_constraint'::regclass, oid FROM con
	UNION SELECT 'pg_catalog.pg_trigger'::regclass, oid FROM trg
	UNION SELECT 'pg_catalog.pg_policy'::regclass, oid FROM pol
	UNION SELECT 'pg_catalog.pg_rewrite'::regclass, oid FROM rul
	UNION SELECT 'pg_catalog.pg_event_trigger'::regclass, oid FROM evt
	UNION SELECT 'pg_catalog.pg_statistic_ext'::regclass, oid FROM stx
),
-- every ACL in scope, for the roles it names
acl AS (
	SELECT proacl AS a FROM fn UNION ALL SELECT relacl FROM rel
	UNION ALL SELECT typacl FROM typ
	UNION ALL SELECT a.attacl FROM pg_catalog.pg_attribute a WHERE a.attrelid IN (SELECT oid FROM rel)
	UNION ALL SELECT n.nspacl FROM pg_catalog.pg_namespace n WHERE n.oid IN (SELECT ns_oid FROM ns)
	UNION ALL SELECT p.paracl FROM pg_catalog.pg_parameter_acl p WHERE p.parname LIKE 'xphere.%'
	UNION ALL SELECT i.initprivs FROM pg_catalog.pg_init_privs i
		WHERE (i.classoid, i.objoid) IN (SELECT classid, objid FROM obj)
),
rol AS (
	SELECT r.* FROM pg_catalog.pg_roles r
	WHERE r.rolname LIKE 'xphere%'
	   OR r.oid IN (SELECT (pg_catalog.aclexplode(a)).grantee FROM acl WHERE a IS NOT NULL)
),
lines(section, ident, n, line) AS (
	-- the extension
	SELECT 'extension', extname, 0, format('version %s, schema %s, owner %s, relocatable %s',
			extversion, extnamespace::regnamespace, pg_catalog.pg_get_userbyid(extowner), extrelocatable)
	FROM ext
	UNION ALL
	SELECT 'extension', extname, 1, format('config_dump %s condition %L', c.tbl::regclass, c.cond)
	FROM ext, unnest(extconfig, extcondition) AS c(tbl, cond)
	-- membership
	UNION ALL
	SELECT 'member', pg_catalog.pg_describe_object(classid, objid, objsubid), 0, ''
	FROM member
	-- the schema
	UNION ALL
	SELECT 'schema', n.nspname, 0, format('owner %s, acl %s',
			pg_catalog.pg_get_userbyid(n.nspowner),
			(SELECT coalesce(string_agg(x::text, ',' ORDER BY x::text), '(none)')
					|| CASE WHEN n.nspacl IS NULL THEN ' (default)' ELSE '' END
			 FROM unnest(n.nspacl) x))
	FROM pg_catalog.pg_namespace n
	WHERE n.oid IN (SELECT ns_oid FROM ns)
	-- functions
	UNION ALL
	SELECT 'function', f.oid::regprocedure::text, 0,
		format('kind %s, language %s, owner %s, volatility %s, strict %s, security definer %s, '
			   'leakproof %s, parallel %s, cost %s, rows %s, support %s, returns %s%s, config %s, acl %s',
			   f.prokind, l.lanname, pg_catalog.pg_get_userbyid(f.proowner), f.provolatile,
			   f.proisstrict, f.prosecdef, f.proleakproof, f.proparallel, f.procost, f.prorows,
			   f.prosupport, CASE WHEN f.proretset THEN 'setof ' ELSE '' END, f.prorettype::regtype,
			   coalesce(array_to_string(ARRAY(SELECT x FROM unnest(f.proconfig) x ORDER BY x), ','), '(none)'),
			   (SELECT coalesce(string_agg(x::text, ',' ORDER BY x::text), '(none)')
					   || CASE WHEN f.proacl IS NULL THEN ' (default)' ELSE '' END
				FROM unnest(f.proacl) x))
	FROM fn f JOIN pg_catalog.pg_language l ON l.oid = f.prolang
	UNION ALL
	SELECT 'function', f.oid::regprocedure::text, d.n, 'def ' || d.line
	FROM fn f,
		 LATERAL regexp_split_to_table(pg_catalog.pg_get_functiondef(f.oid), E'\n')
			 WITH ORDINALITY AS d(line, n)
	WHERE f.prokind <> 'a'
	-- aggregates
	UNION ALL
	SELECT 'aggregate', a.aggfnoid::oid::regprocedure::text, 0,
		format('kind %s, direct args %s, transfn %s, finalfn %s, combinefn %s, serialfn %s, '
			   'deserialfn %s, mtransfn %s, minvtransfn %s, mfinalfn %s, finalextra %s, '
			   'mfinalextra %s, finalmodify %s, mfinalmodify %s, sortop %s, transtype %s, '
			   'transspace %s, mtranstype %s, mtransspace %s, initval %s, minitval %s',
			   a.aggkind, a.aggnumdirectargs, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
			   a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn,
			   a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
			   nullif(a.aggsortop, 0)::regoperator, a.aggtranstype::regtype, a.aggtransspace,
			   nullif(a.aggmtranstype, 0)::regtype, a.aggmtransspace, a.agginitval, a.aggminitval)
	FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid IN (SELECT oid FROM fn)
	-- types
	UNION ALL
	SELECT 'type', t.oid::regtype::text, 0,
		format('type %s, owner %s, len %s, byval %s, category %s, preferred %s, delim %s, '
			   'relation %s, subscript %s, elem %s, array %s, input %s, output %s, receive %s, '
			   'send %s, modin %s, modout %s, analyze %s, align %s, storage %s, not null %s, '
			   'base %s, typmod %s, ndims %s, collation %s, default %s, acl %s',
			   t.typtype, pg_catalog.pg_get_userbyid(t.typowner), t.typlen, t.typbyval,
			   t.typcategory, t.typispreferred, t.typdelim, nullif(t.typrelid, 0)::regclass,
			   t.typsubscript, nullif(t.typelem, 0)::regtype, nullif(t.typarray, 0)::regtype,
			   t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout,
			   t.typanalyze, t.typalign, t.typstorage, t.typnotnull, nullif(t.typbasetype, 0)::regtype,
			   t.typtypmod, t.typndims, nullif(t.typcollation, 0)::regcollation, t.typdefault,
			   (SELECT coalesce(string_agg(x::text, ',' ORDER BY x::text), '(none)')
					   || CASE WHEN t.typacl IS NULL THEN ' (default)' ELSE '' END
				FROM unnest(t.typacl) x))
	FROM typ t
	UNION ALL
	SELECT 'type', e.enumtypid::regtype::text,
		100 + row_number() OVER (PARTITION BY e.enumtypid ORDER BY e.enumsortorder),
		format('label %s %L', row_number() OVER (PARTITION BY e.enumtypid ORDER BY e.enumsortorder),
			   e.enumlabel)
	FROM pg_catalog.pg_enum e WHERE e.enumtypid IN (SELECT oid FROM typ)
	-- relations
	UNION ALL
	SELECT 'relation', c.oid::regclass::text, 0,
		format('kind %s, owner %s, persistence %s, access method %s, options %s, rls %s, '
			   'force rls %s, replica identity %s, partition %s %s, partition key %s, inherits %s, acl %s',
			   c.relkind, pg_catalog.pg_get_userbyid(c.relowner), c.relpersistence,
			   (SELECT amname FROM pg_catalog.pg_am WHERE oid = c.relam), c.reloptions,
			   c.relrowsecurity, c.relforcerowsecurity, c.relreplident, c.relispartition,
			   pg_catalog.pg_get_expr(c.relpartbound, c.oid),
			   CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
			   (SELECT string_agg(i.inhparent::regclass::text, ',' ORDER BY i.inhseqno)
				FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid),
			   (SELECT coalesce(string_agg(x::text, ',' ORDER BY x::text), '(none)')
					   || CASE WHEN c.relacl IS NULL THEN ' (default)' ELSE '' END
				FROM unnest(c.relacl) x))
	FROM rel c
	-- columns, numbered by their position among the non-dropped columns
	UNION ALL
	SELECT 'relation', a.attrelid::regclass::text,
		1000 + row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
		format('column %s %s: type %s, not null %s, default %s, generated %L, identity %L, '
			   'collation %s, storage %s, compression %L, statistics %s, options %s, local %s, '
			   'inherited %s, acl %s',
			   row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum), quote_ident(a.attname),
			   pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
			   pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attgenerated, a.attidentity,
			   nullif(a.attcollation, 0)::regcollation, a.attstorage, a.attcompression,
			   a.attstattarget,
			   ARRAY(SELECT o FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg\_attver=%' ORDER BY o),
			   a.attislocal, a.attinhcount,
			   (SELECT coalesce(string_agg(x::text, ',' ORDER BY x::text), '(none)')
					   || CASE WHEN a.attacl IS NULL THEN ' (default)' ELSE '' END
				FROM unnest(a.attacl) x))
	FROM pg_catalog.pg_attribute a
	JOIN rel c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')
	LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
	WHERE a.attnum > 0 AND NOT a.attisdropped
	-- views
	UNION ALL
	SELECT 'relation', c.oid::regclass::text, 2000 + d.n, 'view ' || d.line
	FROM rel c,
		 LATERAL regexp_split_to_table(pg_catalog.pg_get_viewdef(c.oid, true), E'\n')
			 WITH ORDINALITY AS d(line, n)
	WHERE c.relkind IN ('v', 'm')
	-- indexes
	UNION ALL
	SELECT 'relation', i.indexrelid::regclass::text, 1,
		format('index %s, clustered %s, replica identity %s, valid %s',
			   pg_catalog.pg_get_indexdef(i.indexrelid), i.indisclustered, i.indisreplident,
			   i.indisvalid)
	FROM pg_catalog.pg_index i WHERE i.indexrelid IN (SELECT oid FROM rel)
	-- sequences
	UNION ALL
	SELECT 'relation', s.seqrelid::regclass::text, 1,
		format('sequence %s start %s increment %s min %s max %s cache %s cycle %s, owned by %s',
			   s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
			   s.seqcycle,
			   (SELECT string_agg(format('%s.%s (%s)', d.refobjid::regclass,
											 quote_ident(a.attname), d.deptype), ',')
				FROM pg_catalog.pg_depend d
				JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
				WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = s.seqrelid
				  AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')))
	FROM pg_catalog.pg_sequence s WHERE s.seqrelid IN (SELECT oid FROM rel)
	-- constraints, of tables and of domains
	UNION ALL
	SELECT 'constraint', c.parent || ' ' || quote_ident(c.conname), 0,
		format('%s, type %s, deferrable %s, deferred %s, validated %s, local %s, no inherit %s',
			   pg_catalog.pg_get_constraintdef(c.oid), c.contype, c.condeferrable, c.condeferred,
			   c.convalidated, c.conislocal, c.connoinherit)
	FROM con c
	-- triggers
	UNION ALL
	SELECT 'trigger', t.tgrelid::regclass::text || ' ' || quote_ident(t.tgname), 0,
		format('%s, enabled %s', pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled)
	FROM trg t
	-- row-level security policies
	UNION ALL
	SELECT 'policy', p.polrelid::regclass::text || ' ' || quote_ident(p.polname), 0,
		format('cmd %s, permissive %s, roles %s, using %s, with check %s', p.polcmd, p.polpermissive,
			   (SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r) END,
								  ',' ORDER BY 1)
				FROM unnest(p.polroles) r),
			   pg_catalog.pg_get_expr(p.polqual, p.polrelid),
			   pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid))
	FROM pol p
	-- rules (other than the views' own)
	UNION ALL
	SELECT 'rule', r.ev_class::regclass::text || ' ' || quote_ident(r.rulename), 0,
		format('%s, enabled %s', pg_catalog.pg_get_ruledef(r.oid), r.ev_enabled)
	FROM rul r
	-- casts
	UNION ALL
	SELECT 'cast', format('(%s AS %s)', c.castsource::regtype, c.casttarget::regtype), 0,
		format('function %s, context %s, method %s', nullif(c.castfunc, 0)::regprocedure,
			   c.castcontext, c.castmethod)
	FROM cst c
	-- operators
	UNION ALL
	SELECT 'operator', o.oid::regoperator::text, 0,
		format('kind %s, owner %s, result %s, code %s, commutator %s, negator %s, restrict %s, '
			   'join %s, merges %s, hashes %s',
			   o.oprkind, pg_catalog.pg_get_userbyid(o.oprowner), o.oprresult::regtype,
			   o.oprcode::oid::regprocedure, nullif(o.oprcom, 0)::regoperator,
			   nullif(o.oprnegate, 0)::regoperator, o.oprrest, o.oprjoin, o.oprcanmerge,
			   o.oprcanhash)
	FROM opr o
	-- operator families and their members, operator classes
	UNION ALL
	SELECT 'opfamily', format('%s.%s using %s', f.opfnamespace::regnamespace,
							  quote_ident(f.opfname), m.amname), 0,
		'owner ' || pg_catalog.pg_get_userbyid(f.opfowner)
	FROM opf f JOIN pg_catalog.pg_am m ON m.oid = f.opfmethod
	UNION ALL
	SELECT 'opfamily', format('%s.%s using %s', f.opfnamespace::regnamespace,
							  quote_ident(f.opfname), m.amname), 1,
		format('operator %s (%s, %s) %s purpose %s sortfamily %s', o.amopstrategy,
			   o.amoplefttype::regtype, o.amoprighttype::regtype, o.amopopr::regoperator,
			   o.amoppurpose, (SELECT opfname FROM pg_catalog.pg_opfamily WHERE oid = o.amopsortfamily))
	FROM opf f JOIN pg_catalog.pg_am m ON m.oid = f.opfmethod
	JOIN pg_catalog.pg_amop o ON o.amopfamily = f.oid
	UNION ALL
	SELECT 'opfamily', format('%s.%s using %s', f.opfnamespace::regnamespace,
							  quote_ident(f.opfname), m.amname), 2,
		format('function %s (%s, %s) %s', p.amprocnum, p.amproclefttype::regtype,
			   p.amprocrighttype::regtype, p.amproc::oid::regprocedure)
	FROM opf f JOIN pg_catalog.pg_am m ON m.oid = f.opfmethod
	JOIN pg_catalog.pg_amproc p ON p.amprocfamily = f.oid
	UNION ALL
	SELECT 'opclass', format('%s.%s using %s', c.opcnamespace::regnamespace,
							 quote_ident(c.opcname), m.amname), 0,
		format('owner %s, family %s.%s, input type %s, default %s, key type %s',
			   pg_catalog.pg_get_userbyid(c.opcowner), f.opfnamespace::regnamespace,
			   quote_ident(f.opfname), c.opcintype::regtype, c.opcdefault,
			   nullif(c.opckeytype, 0)::regtype)
	FROM opc c JOIN pg_catalog.pg_am m ON m.oid = c.opcmethod
	JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
	-- extended statistics
	UNION ALL
	SELECT 'statistics', s.stxnamespace::regnamespace::text || '.' || quote_ident(s.stxname), 0,
		format('%s, owner %s, target %s', pg_catalog.pg_get_statisticsobjdef(s.oid),
			   pg_catalog.pg_get_userbyid(s.stxowner), s.stxstattarget)
	FROM stx s
	-- event triggers
	UNION ALL
	SELECT 'event trigger', quote_ident(e.evtname), 0,
		format('event %s, function %s, owner %s, enabled %s, tags %s', e.evtevent,
			   e.evtfoid::regprocedure, pg_catalog.pg_get_userbyid(e.evtowner), e.evtenabled,
			   e.evttags)
	FROM evt e
	-- comments on everything in scope
	UNION ALL
	SELECT 'comment', pg_catalog.pg_describe_object(d.classoid, d.objoid, d.objsubid), 0,
		quote_literal(d.description)
	FROM pg_catalog.pg_description d
	WHERE (d.classoid, d.objoid) IN (SELECT classid, objid FROM obj)
	-- the privileges pg_dump takes as the extension's own
	UNION ALL
	SELECT 'init privs', pg_catalog.pg_describe_object(i.classoid, i.objoid, i.objsubid), 0,
		format('type %s: %s', i.privtype,
			   (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(i.initprivs) x))
	FROM pg_catalog.pg_init_privs i
	WHERE (i.classoid, i.objoid) IN (SELECT classid, objid FROM obj)
	-- default privileges in the schema, or for the roles in scope
	UNION ALL
	SELECT 'default acl', format('for %s in %s on %s', pg_catalog.pg_get_userbyid(d.defaclrole),
								 coalesce(d.defaclnamespace::regnamespace::text, '(all schemas)'),
								 d.defaclobjtype), 0,
		(SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(d.defaclacl) x)
	FROM pg_catalog.pg_default_acl d
	WHERE d.defaclnamespace IN (SELECT ns_oid FROM ns)
	   OR (d.defaclnamespace = 0 AND d.defaclrole IN (SELECT oid FROM rol))
	-- global: roles, their memberships and comments; parameter privileges
	UNION ALL
	SELECT 'role', r.rolname, 0,
		format('superuser %s, inherit %s, createrole %s, createdb %s, login %s, replication %s, '
			   'bypassrls %s, connection limit %s, valid until %s, config %s',
			   r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
			   r.rolreplication, r.rolbypassrls, r.rolconnlimit, r.rolvaliduntil, r.rolconfig)
	FROM rol r
	UNION ALL
	SELECT 'role', r.rolname, 1,
		format('member of %s, admin option %s, granted by %s', pg_catalog.pg_get_userbyid(m.roleid),
			   m.admin_option, pg_catalog.pg_get_userbyid(m.grantor))
	FROM rol r JOIN pg_catalog.pg_auth_members m ON m.member = r.oid
	UNION ALL
	SELECT 'role', r.rolname, 2,
		format('has member %s, admin option %s', pg_catalog.pg_get_userbyid(m.member), m.admin_option)
	FROM rol r JOIN pg_catalog.pg_auth_members m ON m.roleid = r.oid
	UNION ALL
	SELECT 'role', r.rolname, 3, 'comment ' || quote_literal(d.description)
	FROM rol r JOIN pg_catalog.pg_shdescription d
		ON d.classoid = 'pg_catalog.pg_authid'::regclass AND d.objoid = r.oid
	UNION ALL
	SELECT 'parameter acl', p.parname, 0,
		(SELECT coalesce(string_agg(x::text, ',' ORDER BY x::text), '(none)') FROM unnest(p.paracl) x)
	FROM pg_catalog.pg_parameter_acl p WHERE p.parname LIKE 'xphere.%'
)
SELECT section || ' ' || ident || CASE WHEN line = '' THEN '' ELSE ': ' || line END
FROM lines
ORDER BY section COLLATE "C", ident COLLATE "C", n, line COLLATE "C";

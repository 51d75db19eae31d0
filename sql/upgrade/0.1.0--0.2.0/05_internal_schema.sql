/*
 * The schema of the internal helpers, first: the functions 0.1.0 had move
 * there in 89_internal_functions.sql, after the fragments that replace
 * them in schema xphere; the proof of liabilities (90, the install source
 * itself) creates its helpers there directly.
 */
CREATE SCHEMA xphere_internal;
COMMENT ON SCHEMA xphere_internal IS
	'xphere''s internal helpers: not part of the API, executable by the extension''s owner only';
REVOKE ALL ON SCHEMA xphere_internal FROM PUBLIC;


/*
 * Proof of liabilities: 90_liabilities.sql is the install fragment itself
 * (sql/install/platform/liabilities.sql: new objects only).  Here, what a fresh
 * install grants and registers for them in sql/install/platform/security.sql.
 */
REVOKE ALL ON liability_snapshots, liability_trees, liability_secrets, liability_salts, liability_nodes,
	liability_roots FROM PUBLIC;
REVOKE ALL ON SEQUENCE liability_snapshots_id_seq FROM PUBLIC;
GRANT EXECUTE ON FUNCTION liability_root(currency, bigint), liability_proof(uuid, currency, bigint)
	TO xphere_app;
GRANT SELECT ON liability_roots TO xphere_app;
GRANT EXECUTE ON FUNCTION take_liability_snapshot(), prune_liability_snapshot(bigint) TO xphere_admin;
GRANT SELECT ON liability_snapshots, liability_trees TO xphere_admin;
SELECT pg_catalog.pg_extension_config_dump('liability_snapshots', '');
SELECT pg_catalog.pg_extension_config_dump('liability_snapshots_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('liability_trees', '');
SELECT pg_catalog.pg_extension_config_dump('liability_secrets', '');
SELECT pg_catalog.pg_extension_config_dump('liability_salts', '');
SELECT pg_catalog.pg_extension_config_dump('liability_nodes', '');
-- liability_proof() takes a uuid: its text overload, for drivers, is made
-- with the others by 99_end.sql

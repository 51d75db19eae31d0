/*
 * 0.1.0 -> 0.2.0.  Every catalog change of 0.2.0 is made twice: in the
 * install fragments of sql/install/ (what a fresh CREATE EXTENSION runs) and
 * here, as a change to a 0.1.0 database.  test/scripts/upgrade.sh proves that the
 * two end equal, object by object, and that the update keeps every row.
 * Fragments run in file-name order; each one starts with what it changes.
 * A function that several fragments change is replaced once, in its final
 * form, by the last of them (deposit() in 80_ops.sql, tick() and
 * create_pool() in 85_admin_rule.sql, ...): an earlier copy would be
 * overwritten unseen.
 */

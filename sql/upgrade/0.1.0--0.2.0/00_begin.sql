/*
 * 0.1.0 -> 0.2.0.  The fragments here make what a 0.1.0 database needs to
 * become a fresh 0.2.0 one and CREATE OR REPLACE FUNCTION cannot: new
 * tables, columns, labels, seed rows and data migrations, dropped or
 * re-signed functions, new functions the fragments themselves call or
 * grant, and the move of the internal helpers to xphere_internal (89).
 * Every function body and comment then comes from the install sources
 * (sql/upgrade/functions.awk, before 99_end.sql), so a function defined
 * here is the body a later fragment needs, replaced at the end.
 * test/scripts/upgrade.sh proves that an updated database equals a fresh
 * one, object by object, and that the update keeps every row.  Fragments
 * run in file-name order; each one starts with what it changes.
 */

/*
 * xphere: the financial core of the Xphere Mining Cloud platform.
 * This script is assembled by the Makefile from the fragments in src/sql/.
 */
\echo Use "CREATE EXTENSION xphere" to load this file. \quit

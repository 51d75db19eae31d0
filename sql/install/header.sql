/*
 * xphere: the financial core of the Xphere Mining Cloud platform.
 * This script is assembled by the Makefile from the sources in sql/install/
 * (INSTALL_SOURCES, in that order).
 */
\echo Use "CREATE EXTENSION xphere" to load this file. \quit

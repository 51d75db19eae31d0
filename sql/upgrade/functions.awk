# sql/upgrade/functions.awk - every function of the install sources it is
# given, as CREATE OR REPLACE FUNCTION, with its comment (COMMENT ON
# FUNCTION), in the order of the sources.  The Makefile puts its output in
# the upgrade script before the last fragment (99_end.sql): an update
# takes its function bodies and comments from the install sources, so a
# function whose body or comment changes needs no fragment.  A fragment
# still makes what CREATE OR REPLACE cannot: new tables and columns, data
# migrations, a changed signature, return type or parameter name (drop the
# old function there), functions made by DO blocks, grants of new API
# functions.  Each function is marked "-- source: FILE:LINE (function)",
# the line it starts at, for "make locate".
#
# Re-creating a function resets what ALTER FUNCTION set on it (grants and
# comments survive).  A function an index or constraint uses would need a
# fragment to rebuild them: none does (those are all C).
#
# A statement starts with a line "CREATE FUNCTION" or "COMMENT ON FUNCTION"
# and ends with the first line ending in ";" outside dollar quotes ($$,
# $tag$) and line comments, and for a BEGIN ATOMIC body at the line
# "END;".  Exits 1, naming the file, when a source ends inside a statement
# or writes a function this would miss (CREATE OR REPLACE, lower case or
# indented outside a DO block).
FNR == 1 {
	indo = 0; doquoted = 0
	if (infn) {
		printf "functions.awk: %s ends inside a statement\n", prev > "/dev/stderr"
		failed = 1
		exit 1
	}
	prev = FILENAME
}
!infn && !indo && /^(CREATE|COMMENT ON) FUNCTION / {
	infn = 1; atomic = 0; quoted = 0; tag = ""
	print "-- source: " FILENAME ":" FNR " (function)"
	sub(/^CREATE FUNCTION /, "CREATE OR REPLACE FUNCTION ")
}
# install sources write CREATE FUNCTION, upper case, at the start of a line
!infn && /^[ \t]*([Cc][Rr][Ee][Aa][Tt][Ee]|create)[ \t]+([Oo][Rr][ \t]+[Rr][Ee][Pp][Ll][Aa][Cc][Ee][ \t]+)?[Ff][Uu][Nn][Cc][Tt][Ii][Oo][Nn]([ \t]|$)/ && !/^CREATE FUNCTION / {
	if (!indo) {
		printf "functions.awk: %s:%d: write CREATE FUNCTION at the start of the line\n", FILENAME, FNR > "/dev/stderr"
		failed = 1
		exit 1
	}
}
infn {
	print
	line = $0
	# dollar quotes opened and closed on this line (a line comment outside
	# them ends the scan)
	while (match(line, /\$([A-Za-z_][A-Za-z_0-9]*)?\$|--/)) {
		t = substr(line, RSTART, RLENGTH)
		if (t == "--") {
			if (!quoted) break
			line = substr(line, RSTART + RLENGTH)
			continue
		}
		if (!quoted) { quoted = 1; tag = t }
		else if (t == tag) { quoted = 0 }
		line = substr(line, RSTART + RLENGTH)
	}
	if (!quoted && $0 ~ /BEGIN ATOMIC[ \t]*$/) atomic = 1
	if (quoted || $0 ~ /^[ \t]*--/) next
	if (atomic) { if ($0 ~ /^END[ \t]*;[ \t]*$/) infn = 0; next }
	if ($0 ~ /;[ \t]*(--.*)?$/) infn = 0
	next
}
# DO blocks make functions of their own (format strings): not copied; a
# block ends at the first line ending in ";" outside its dollar quotes
!indo && /^DO[ \t]/ { indo = 1; doquoted = 0; dotag = "" }
indo {
	line = $0
	while (match(line, /\$([A-Za-z_][A-Za-z_0-9]*)?\$/)) {
		t = substr(line, RSTART, RLENGTH)
		if (!doquoted) { doquoted = 1; dotag = t }
		else if (t == dotag) { doquoted = 0 }
		line = substr(line, RSTART + RLENGTH)
	}
	if (!doquoted && $0 ~ /;[ \t]*(--.*)?$/) indo = 0
}
END {
	if (!failed && infn) {
		printf "functions.awk: %s ends inside a statement\n", prev > "/dev/stderr"
		exit 1
	}
}

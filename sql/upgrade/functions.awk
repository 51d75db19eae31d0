# sql/upgrade/functions.awk - the functions of the install sources it is
# given, each as CREATE OR REPLACE FUNCTION, with a "-- source: FILE" line
# before each file's first one.  The Makefile appends its output to every
# upgrade script (before the fragment 99_end.sql), so a function whose body
# changes needs no fragment of its own: the update takes the body of the
# install sources.  Each function is marked "-- source: FILE:LINE
# (function)", the line it starts at, for "make locate".  A fragment still makes whatever CREATE OR REPLACE
# cannot: new tables and columns, a changed signature, return type or
# parameter name (drop the old function there), functions made by DO
# blocks.
#
# A statement starts with a line "CREATE FUNCTION" and ends with the first
# line ending in ";" outside dollar quotes ($$ or $tag$) and, for a
# BEGIN ATOMIC body, at the line "END;".
!infn && /^CREATE FUNCTION / {
	infn = 1; atomic = 0; quoted = 0; tag = ""
	print "-- source: " FILENAME ":" FNR " (function)"
	sub(/^CREATE FUNCTION /, "CREATE OR REPLACE FUNCTION ")
}
infn {
	print
	line = $0
	# dollar quotes opened and closed on this line
	while (match(line, /\$[A-Za-z_]*\$/)) {
		t = substr(line, RSTART, RLENGTH)
		if (!quoted) { quoted = 1; tag = t }
		else if (t == tag) { quoted = 0 }
		line = substr(line, RSTART + RLENGTH)
	}
	if (!quoted && $0 ~ /BEGIN ATOMIC[ \t]*$/) atomic = 1
	if (quoted) next
	if (atomic) { if ($0 ~ /^END;[ \t]*$/) infn = 0; next }
	if ($0 ~ /;[ \t]*(--.*)?$/) infn = 0
}

#!/usr/bin/env bash
#
# test/lib/locate.sh SCRIPT LINE
# test/lib/locate.sh SCRIPT --char N
#     the source of a line of an assembled script (sql/xphere--VERSION.sql
#     or sql/xphere--FROM--TO.sql), which the Makefile writes with a
#     "-- source: FILE" line before each source.  Prints "FILE:N: text"
#     (N counted in FILE), or the marker itself when LINE is one.
#
# PostgreSQL 15 names no line when CREATE EXTENSION or ALTER EXTENSION
# UPDATE fails.  A syntax error's position is in the server log, "at
# character N" of the script as PostgreSQL ran it; --char N turns it into
# the line.  An error in a function body shows at the function's first
# call, naming the function: its source is in sql/install (grep for
# "FUNCTION name(").  Run as "make locate LINE=N" or "make locate CHAR=N"
# [SCRIPT=...].
#
set -euo pipefail
script=${1:?usage: locate.sh SCRIPT LINE | locate.sh SCRIPT --char N}
line=${2:-}
if [ "$line" = --char ]; then
	char=${3:-}
	case $char in
	'' | *[!0-9]* | 0) echo "locate: CHAR must be the character position PostgreSQL logged (make locate CHAR=N)" >&2; exit 2 ;;
	esac
	[ -r "$script" ] || { echo "locate: cannot read $script" >&2; exit 2; }
	# what PostgreSQL 15's execute_extension_script() runs: \echo lines
	# emptied, MODULE_PATHNAME and @extschema@ replaced; N counts characters
	line=$(python3 -c '
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
text = re.sub(r"(?m)^\\echo.*$", "", text)
text = text.replace("MODULE_PATHNAME", "$libdir/xphere").replace("@extschema@", "xphere")
n = int(sys.argv[2])
if n > len(text):
    sys.exit("locate: %s has %d characters, not %d" % (sys.argv[1], len(text), n))
print(text.count("\n", 0, n - 1) + 1)
' "$script" "$char") || exit 2
fi
case $line in
'' | *[!0-9]* | 0) echo "locate: LINE must be a line number of $script (make locate LINE=N)" >&2; exit 2 ;;
esac
[ -r "$script" ] || { echo "locate: cannot read $script" >&2; exit 2; }
awk -v want="$line" -v script="$script" '
	/^-- source: / { src = substr($0, 12); start = NR }
	NR == want {
		if (start == NR) { print script ":" NR ": the marker of " src; found = 1; exit }
		if (src == "") { print script ":" NR ": before the first source: " $0; found = 1; exit }
		file = src; sub(/ \(.*\)$/, "", file)
		base = 0; note = ""
		if (src ~ /:[0-9]+ \(function\)$/) {
			# a function copied by sql/upgrade/functions.awk from FILE:LINE
			base = file; sub(/.*:/, "", base); base -= 1
			sub(/:[0-9]+$/, "", file)
			note = "   (copied as CREATE OR REPLACE FUNCTION)"
		} else if (file != src) {
			note = "   (" substr(src, length(file) + 3, length(src) - length(file) - 3) " instance)"
		}
		print file ":" base + NR - start ": " $0 note
		found = 1; exit
	}
	END { if (!found) { print "locate: " script " has " NR " lines, not " want > "/dev/stderr"; exit 2 } }
' "$script"

#!/usr/bin/env bash
#
# test/lib/locate.sh SCRIPT LINE: the source of line LINE of an assembled
# script (sql/xphere--VERSION.sql or sql/xphere--FROM--TO.sql), which the
# Makefile writes with a "-- source: FILE" line before each source.
# Prints "FILE:N: text" (N counted in FILE), or the marker itself when
# LINE is one.  Run as "make locate LINE=N [SCRIPT=...]".
#
set -euo pipefail
script=${1:?usage: locate.sh SCRIPT LINE}
line=${2:-}
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

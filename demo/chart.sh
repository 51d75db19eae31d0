#!/usr/bin/env bash
#
# demo/chart.sh - the chart of the month: DIR/month.png from the TSV files
# that demo/chart_data.sql wrote into DIR (run by demo/run.sh; tested by
# test/scripts/demo_chart.sh).
#
#   price.tsv   day, xp_price_usdt
#   pool.tsv    day, utilization_pct, supply_apy_pct, borrow_apy_pct
#   health.tsv  day, borrower, health_factor, recorded (rows per loan in
#               the order to draw them)
#   mining.tsv  day, xp_mined
#
# Each file must have its header line and at least one data row whose
# numbers are numbers; otherwise, or without gnuplot, it exits 1 with a
# message saying what is missing, before drawing anything (an old
# DIR/month.png is removed first).  On success it prints one line with the
# number of points of each series and one with the PNG's path, after
# checking that the PNG has the signature and the size asked for.
#
# Usage: bash demo/chart.sh DIR
# Knobs: GNUPLOT (default gnuplot; Debian package gnuplot-nox)
#
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
DEMO_DIR=$(dirname "$SELF")
GNUPLOT=${GNUPLOT:-gnuplot}
WIDTH=1200
HEIGHT=900

die() {
	echo "chart: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: chart.sh DIR"
DIR=$(readlink -f "$1") || die "no directory $1"
[ -d "$DIR" ] || die "no directory $1"
out=$DIR/month.png
rm -f "$out"
command -v "$GNUPLOT" >/dev/null 2>&1 ||
	die "gnuplot not found ($GNUPLOT): install the Debian package gnuplot-nox (test/deps.sh)"

# check FILE HEADER NUMERIC_COLUMNS...: the header line must be HEADER
# (tab-separated) and every data row must have numbers in the columns
# given; prints the number of data rows, fails if there is none.
check() {
	local name=$1 file=$DIR/$1 header=$2 rows
	shift 2
	[ -s "$file" ] || die "$name: missing or empty"
	[ "$(head -n 1 "$file")" = "$header" ] ||
		die "$name: the header line is not \"${header//$'\t'/\\t}\""
	rows=$(awk -F '\t' -v cols="$*" -v f="$name" '
		BEGIN { n = split(cols, c, " ") }
		NR == 1 { next }
		{
			for (i = 1; i <= n; i++)
				if ($c[i] !~ /^-?[0-9]+(\.[0-9]+)?$/) {
					printf "chart: %s, line %d: column %d is not a number: \"%s\"\n",
						f, NR, c[i], $c[i] > "/dev/stderr"
					bad = 1
					exit 1
				}
			rows++
		}
		END { if (!bad) print rows + 0; exit bad }' "$file") || exit 1
	[ "$rows" -gt 0 ] || die "$name: no data rows"
	echo "$rows"
}

n_price=$(check price.tsv $'day\txp_price_usdt' 1 2)
n_pool=$(check pool.tsv $'day\tutilization_pct\tsupply_apy_pct\tborrow_apy_pct' 1 2 3 4)
n_health=$(check health.tsv $'day\tborrower\thealth_factor\trecorded' 1 3)
n_mining=$(check mining.tsv $'day\txp_mined' 1 2)
ndays=$(awk -F '\t' 'FNR > 1 && $1 + 0 > max { max = $1 } END { print max + 0 }' \
	"$DIR/price.tsv" "$DIR/pool.tsv" "$DIR/mining.tsv")

# health.tsv, one block per borrower for gnuplot's "index": a header line
# (the borrower, the key's title), the borrower's rows, two blank lines.
blocks=$(mktemp -t xphere-chart.XXXXXX)
trap 'rm -f "$blocks"' EXIT
nloans=$(awk -F '\t' -v out="$blocks" '
	NR == 1 { next }
	!($2 in seen) { seen[$2] = ++n; name[n] = $2 }
	{ rows[seen[$2]] = rows[seen[$2]] $1 "\t" $3 "\n" }
	END {
		for (i = 1; i <= n; i++)
			printf "%s\n%s\n\n", name[i], rows[i] > out
		print n + 0
	}' "$DIR/health.tsv")

gp_str() { printf "'%s'" "${1//\'/\'\'}"; }
"$GNUPLOT" -e "dir=$(gp_str "$DIR"); health=$(gp_str "$blocks"); nloans=$nloans; ndays=$ndays; out=$(gp_str "$out")" \
	"$DEMO_DIR/chart.gp" || die "gnuplot failed"

# The PNG signature, then the IHDR chunk: width and height, big-endian.
[ -s "$out" ] || die "gnuplot wrote no $out"
read -r -d '' -a hdr < <(od -An -v -tu1 -N24 "$out") || true
[ "${hdr[*]:0:8}" = "137 80 78 71 13 10 26 10" ] && [ "${hdr[*]:12:4}" = "73 72 68 82" ] ||
	die "$out is not a PNG"
w=$(( (hdr[16] << 24) | (hdr[17] << 16) | (hdr[18] << 8) | hdr[19] ))
h=$(( (hdr[20] << 24) | (hdr[21] << 16) | (hdr[22] << 8) | hdr[23] ))
[ "$w" -eq "$WIDTH" ] && [ "$h" -eq "$HEIGHT" ] ||
	die "$out is ${w}x${h}, not ${WIDTH}x${HEIGHT}"

echo "chart: XP price, $n_price days; pool, $n_pool days; health factors, $n_health points of $nloans loans; mining, $n_mining days"
echo "chart: $out (${w}x${h} PNG)"

#!/usr/bin/env bash
#
# test/scripts/demo_chart.sh - the chart step of "make demo" (demo/chart.sh and
# demo/chart.gp) on a small synthetic month written here: 6 days, two
# loans, one liquidated in a tick (two rows on its last day), a day
# without mining.  No server needed; a few seconds.
#
# What it ensures:
#   * gnuplot is installed (a missing gnuplot fails this test: the demo
#     needs it; test/deps.sh installs gnuplot-nox);
#   * from the synthetic TSV files, demo/chart.sh writes a valid PNG
#     (signature, IHDR chunk, CRCs and a decodable image, read here with
#     Python's zlib) of 1200 x 900 pixels, in a directory whose name has a
#     space and a quote, and reports every series with the number of
#     points the data set has (6 days of price, pool and mining, 8 health
#     factor points of 2 loans);
#   * the image is not blank: every panel (quarter of the image) has
#     pixels of its series' colour (the price line, the borrow and supply
#     APY lines, the mining boxes, the liquidation line);
#   * a series without data (header only), a missing file, a wrong header
#     or a value that is not a number makes demo/chart.sh exit 1 with a
#     message naming the file, and leaves no month.png behind (not even
#     one from an earlier run); so does a gnuplot that cannot be found.
#
set -euo pipefail
exec </dev/null

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

fails=0
ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	fails=$((fails + 1))
}
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

for tool in gnuplot python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "not ok - the tool $tool is missing (test/deps.sh installs it)"
		exit 1
	fi
done
ok "gnuplot is installed ($(gnuplot --version))"

tmp=$(mktemp -d -t xphere-chart-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
dir="$tmp/chart data 'o"
mkdir -p "$dir"

# the synthetic month
write_data() {
	printf 'day\txp_price_usdt\n1\t1.000000\n2\t1.050000\n3\t1.200000\n4\t1.400000\n5\t1.250000\n6\t1.100000\n' \
		>"$dir/price.tsv"
	printf 'day\tutilization_pct\tsupply_apy_pct\tborrow_apy_pct\n' >"$dir/pool.tsv"
	printf '%s\t%s\t%s\t%s\n' 1 0.0000 0.0000 4.0000 2 45.0000 3.6000 9.0000 \
		3 85.0000 20.0000 26.0000 4 85.0100 20.0000 26.0000 5 40.0000 3.2000 8.5000 \
		6 10.0000 0.5000 5.2000 >>"$dir/pool.tsv"
	printf 'day\tborrower\thealth_factor\trecorded\n' >"$dir/health.tsv"
	printf '%s\t%s\t%s\t%s\n' 2 Carol 1.300000 'after tick' 3 Carol 1.100000 'after tick' \
		4 Carol 0.950000 'liquidatable event' 4 Carol 1.080000 'after tick' \
		5 Carol 1.150000 'after tick' 6 Carol 1.250000 'after tick' \
		3 'Gina Smith' 1.200000 'after tick' 4 'Gina Smith' 0.940000 'liquidatable event' \
		>>"$dir/health.tsv"
	printf 'day\txp_mined\n1\t0.000000\n2\t127.500000\n3\t127.500000\n4\t130.000000\n5\t127.500000\n6\t127.500000\n' \
		>"$dir/mining.tsv"
}

write_data
log=$tmp/chart.log
rc=0
bash demo/chart.sh "$dir" >"$log" 2>&1 || rc=$?
check "demo/chart.sh succeeds on the synthetic month" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$log"
check "it reports every series with its number of points" \
	grep -qxF 'chart: XP price, 6 days; pool, 6 days; health factors, 8 points of 2 loans; mining, 6 days' "$log"

# An independent reading of the PNG: chunks and CRCs, the IHDR size, the
# image data inflated and unfiltered (8-bit RGB or RGBA, not interlaced),
# then the colours of the series counted per quarter of the image.
python3 - "$dir/month.png" <<'PY' || fails=$((fails + 1))
import struct, sys, zlib

def report(ok, desc):
    print(("ok - " if ok else "not ok - ") + desc)
    return ok

path = sys.argv[1]
try:
    data = open(path, "rb").read()
except OSError as e:
    report(False, "month.png exists (%s)" % e)
    sys.exit(1)
bad = not data.startswith(b"\x89PNG\r\n\x1a\n")
chunks, pos = [], 8
while not bad and pos < len(data):
    (n,) = struct.unpack(">I", data[pos:pos + 4])
    kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
    (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
    bad = len(body) != n or zlib.crc32(kind + body) != crc
    chunks.append((kind, body))
    pos += 12 + n
ok = report(not bad and chunks and chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND",
            "month.png is a PNG: signature, IHDR first, IEND last, every CRC right")
if not ok:
    sys.exit(1)
w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
report(w == 1200 and h == 900, "month.png is 1200 x 900 pixels (%d x %d)" % (w, h))
if depth != 8 or ctype not in (2, 6) or interlace != 0:
    report(False, "month.png is 8-bit RGB or RGBA, not interlaced (depth %d, type %d)"
           % (depth, ctype))
    sys.exit(1)
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
stride = w * bpp
rows, prev, i = [], bytearray(stride), 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
report(i == len(raw), "the image data decodes to exactly 900 rows")

def count(colour, x0, x1, y0, y1):
    want = bytes.fromhex(colour)
    return sum(1 for y in range(y0, y1) for x in range(x0, x1)
               if rows[y][x * bpp:x * bpp + 3] == want)

# (panel, series, colour as chart.gp draws it, quarter of the image)
series = [
    ("XP price", "the price line", "1f77b4", (0, 600, 0, 450)),
    ("lending pool", "the borrow APY line", "d62728", (600, 1200, 0, 450)),
    ("lending pool", "the supply APY line", "2ca02c", (600, 1200, 0, 450)),
    ("health factor", "the liquidation line", "d62728", (0, 600, 450, 900)),
]
for panel, what, colour, box in series:
    n = count(colour, *box)
    # the key's sample line alone is about 40 pixels
    report(n > 150, "the %s panel draws %s (%d pixels of #%s)" % (panel, what, n, colour))
# the mining boxes: orange at 60 % on white
n = sum(1 for y in range(450, 900) for x in range(600, 1200)
        if rows[y][x * bpp] > 240 and 150 < rows[y][x * bpp + 1] < 200 and rows[y][x * bpp + 2] < 140)
report(n > 5000, "the mining panel draws the daily boxes (%d orange pixels)" % n)
PY

# Bad inputs: each makes chart.sh fail with a message naming the file, and
# leaves no month.png (the good one of the first run is still there when
# each case starts).
bad_case() {
	local desc=$1 file=$2 expect=$3 rc=0
	bash demo/chart.sh "$dir" >"$log" 2>&1 || rc=$?
	if [ "$rc" -eq 1 ] && grep -q "^chart: $file.*$expect" "$log" && [ ! -e "$dir/month.png" ]; then
		ok "$desc: exit 1, \"$(grep -m1 '^chart: ' "$log")\", no month.png"
	else
		not_ok "$desc (exit $rc)"
		sed 's/^/#   /' "$log"
	fi
	write_data
	bash demo/chart.sh "$dir" >/dev/null 2>&1 || not_ok "the synthetic month draws again"
}
for f in price pool health mining; do
	head -n 1 "$dir/$f.tsv" >"$dir/$f.tmp" && mv "$dir/$f.tmp" "$dir/$f.tsv"
	bad_case "$f.tsv with its header only" "$f.tsv" "no data rows"
done
rm "$dir/pool.tsv"
bad_case "a missing pool.tsv" "pool.tsv" "missing or empty"
sed -i '1s/.*/day\tprice/' "$dir/price.tsv"
bad_case "price.tsv with another header" "price.tsv" "the header line is not"
sed -i '3s/\t[^\t]*\t/\tCarol\tabc\t/' "$dir/health.tsv"
bad_case "health.tsv with a health factor that is not a number" "health.tsv" "line 3: column 3 is not a number"
rc=0
GNUPLOT=/nonexistent/gnuplot bash demo/chart.sh "$dir" >"$log" 2>&1 || rc=$?
check "without gnuplot demo/chart.sh exits 1 saying to install gnuplot-nox, and leaves no month.png" \
	eval '[ "$rc" -eq 1 ] && grep -q "gnuplot not found.*gnuplot-nox" "$log" && [ ! -e "$dir/month.png" ]'

if [ "$fails" -ne 0 ]; then
	echo "demo_chart: $fails failed"
	exit 1
fi

#
# demo/chart.gp: the chart of the month (gnuplot; run by demo/chart.sh,
# which checks the data first and sets the variables below).
#
#   dir     directory of price.tsv, pool.tsv and mining.tsv
#   health  health factors, one block per loan (two blank lines between
#           blocks), each block opening with a header line: the borrower
#   nloans  number of blocks in health
#   ndays   days of the month (the x axis runs from 1 to ndays)
#   out     the PNG to write, 1200 x 900 pixels
#
set terminal pngcairo size 1200,900 enhanced font "DejaVu Sans,10" linewidth 1.5
set output out
set datafile separator "\t"
set key top left opaque box
set grid
set xrange [0.5:ndays + 0.5]
set xtics 1, 2, ndays
set mxtics 2
set xlabel "day of the month"

set multiplot layout 2,2 title "The demo month: XP price, lending pool lp-xp, loans and mining" font ",13"

# 1. the oracle's XP price
set title "XP price"
set ylabel "USDT per XP"
set format y "%.2f"
plot dir."/price.tsv" using 1:2 skip 1 with linespoints pt 7 ps 0.6 lc rgb "#1f77b4" title "XP price (USDT)"

# 2. utilization (left axis) and the two rates (right axis)
set title "Lending pool lp-xp: utilization and rates"
set ylabel "utilization (%)"
set y2label "APY (% a year)"
set format y "%.0f"
set format y2 "%.1f"
set yrange [0:100]
set y2range [0:*]
set key top right
set ytics nomirror
set y2tics
plot dir."/pool.tsv" using 1:2 skip 1 with filledcurves x1 fs transparent solid 0.25 lc rgb "#7f7f7f" axes x1y1 title "utilization (%)", \
     ""               using 1:4 skip 1 with linespoints pt 7 ps 0.6 lc rgb "#d62728" axes x1y2 title "borrow APY (%)", \
     ""               using 1:3 skip 1 with linespoints pt 7 ps 0.6 lc rgb "#2ca02c" axes x1y2 title "supply APY (%)"
unset y2label
unset y2tics
set ytics mirror
set autoscale y
set key top left

# 3. each loan's health factor, the liquidation line at 1
set title "Health factor of each loan (liquidatable below 1)"
set ylabel "health factor"
set format y "%.2f"
set yrange [0.8:*]
set key bottom left
plot for [i = 0:nloans - 1] health index i using 1:2 with linespoints pt 7 ps 0.6 title columnheader(1), \
     1 with lines dt 2 lw 1.5 lc rgb "#d62728" title "liquidation (HF = 1)"
set autoscale y
set key top left

# 4. the XP the machines earned each day
set title "Mining output"
set ylabel "XP mined per day"
set format y "%.0f"
set yrange [0:*]
set style fill solid 0.6
set boxwidth 0.7
plot dir."/mining.tsv" using 1:2 skip 1 with boxes lc rgb "#ff7f0e" title "XP distributed (XP per day)"

unset multiplot

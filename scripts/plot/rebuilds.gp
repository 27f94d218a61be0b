# Shadow pages rebuilt against the page limit, one line per eviction
# order (tracesim.sh).  Set by gnuplot -e: dat (limit, then a column per
# order), out, title.
set terminal pngcairo size 900,500 noenhanced
set output out
set title title
set xlabel "KVM_SET_NR_MMU_PAGES limit"
set ylabel "rebuilds"
set key outside right
plot for [c=2:6] dat using 1:c with linespoints title columnheader(c)

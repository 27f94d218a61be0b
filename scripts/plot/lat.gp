# Iteration latency and KVM stats over time of one plot key (plot.sh).
# Set by gnuplot -e: res, key, pend (seconds from pressure start to its
# end) and the plot lists lat, st1, st2 (one element per variant).
set terminal pngcairo size 900,500 noenhanced
set datafile separator ","
set datafile columnheaders
set output res . "/lat-" . key . ".png"
set title "Iteration latency, " . key . " (pressure window shaded)"
set xlabel "seconds since pressure start"
set ylabel "ms per iteration (log)"
set logscale y
set key outside right
set object 1 rect from 0, graph 0 to pend, graph 1 fc rgb '#eeeeee' behind
plot @lat
unset logscale y
set output res . "/stats-" . key . ".png"
set multiplot layout 2,1 title "KVM stats, " . key
set title ""
set ylabel "mmu_cache_miss"
plot @st1
set ylabel "pf_taken"
plot @st2
unset multiplot

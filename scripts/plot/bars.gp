# Bar chart of mean, min and max per group and variant (plot.sh bars).
# Set by gnuplot -e: dat (a row per group: name, then mean min max per
# variant), out, title, ylabel, ncols (columns of dat).
set terminal pngcairo size 900,500 noenhanced
set output out
set title title
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set ylabel ylabel
set yrange [0:*]
set key outside right
plot for [c=2:ncols:3] dat using (column(c)):(column(c+1)):(column(c+2)):xtic(1) title columnheader(c)

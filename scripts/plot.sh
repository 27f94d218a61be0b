#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# plot.sh <results dir>: gnuplot PNGs of a bench run.
#   lat-<mode>-<pressure>.png    iteration latency over time, first rep of
#                                each variant, pressure window shaded
#   stats-<mode>-<pressure>.png  mmu_cache_miss and pf_taken over time
#   slowdown.png                 mean slowdown (pressure/steady) per
#                                variant and pressure
set -eu
. "$(dirname "$0")/lib.sh"
res=${1:?usage: plot.sh <results dir>}
command -v gnuplot >/dev/null || die "gnuplot missing: run scripts/deps.sh"
field() { sed -n "s/^$2=//p" "$1/meta.txt"; }
# Time axis: seconds since the start of the pressure phase.
pstart() { awk -F, '$1 == "pressure" { print $2 }' "$1/phases.csv"; }
pend() { awk -F, '$1 == "pressure" { print $3 }' "$1/phases.csv"; }

for key in $(for d in "$res"/runs/*/; do
		[ "$(field "$d" scenario)" = degradation ] && [ "$(field "$d" rep)" = 1 ] &&
			[ "$(field "$d" status)" = ok ] && echo "$(field "$d" mode)-$(field "$d" pressure)"
	done | sort -u); do
	lat="" st1="" st2="" shade=""
	for d in "$res"/runs/*/; do
		[ "$(field "$d" scenario)" = degradation ] && [ "$(field "$d" rep)" = 1 ] &&
			[ "$(field "$d" status)" = ok ] &&
			[ "$(field "$d" mode)-$(field "$d" pressure)" = "$key" ] || continue
		v=$(field "$d" variant)
		s=$(pstart "$d")
		shade="set object 1 rect from 0, graph 0 to $(awk -v e="$(pend "$d")" -v s="$s" 'BEGIN { print (e - s) / 1000 }'), graph 1 fc rgb '#eeeeee' behind"
		lat="$lat${lat:+, }'${d}iter.csv' using ((column('t_ms')-$s)/1000):(column('lat_us')/1000) with points pt 7 ps 0.5 title '$v'"
		st1="$st1${st1:+, }'${d}stats.csv' using ((column('t_ms')-$s)/1000):'mmu_cache_miss' with lines title '$v'"
		st2="$st2${st2:+, }'${d}stats.csv' using ((column('t_ms')-$s)/1000):'pf_taken' with lines title '$v'"
	done
	gnuplot <<-GP
	set terminal pngcairo size 900,500 noenhanced
	set datafile separator ","
	set datafile columnheaders
	set output "$res/lat-$key.png"
	set title "Iteration latency, $key (pressure window shaded)"
	set xlabel "seconds since pressure start"
	set ylabel "ms per iteration (log)"
	set logscale y
	set key outside right
	$shade
	plot $lat
	unset logscale y
	set output "$res/stats-$key.png"
	set multiplot layout 2,1 title "KVM stats, $key"
	set title ""
	set ylabel "mmu_cache_miss"
	plot $st1
	set ylabel "pf_taken"
	plot $st2
	unset multiplot
	GP
done

# Bar chart of the mean slowdown per pressure (rows) and variant (columns).
awk -F, '$4 == "slowdown" && $1 ~ /^degradation\// {
		split($1, g, "/"); k = g[2] "/" g[3]; s[k, $2] += $5; n[k, $2]++
		if (!(k in gs)) { gs[k] = 1; go[++ng] = k }
		if (!($2 in vs)) { vs[$2] = 1; vo[++nv] = $2 }
	}
	END {
		if (!ng) exit
		printf "pressure"; for (j = 1; j <= nv; j++) printf " %s", vo[j]; print ""
		for (i = 1; i <= ng; i++) {
			printf "%s", go[i]
			for (j = 1; j <= nv; j++)
				printf " %s", n[go[i], vo[j]] ? s[go[i], vo[j]] / n[go[i], vo[j]] : "NaN"
			print ""
		}
	}' "$res/metrics.csv" >"$res/slowdown.dat"
if [ -s "$res/slowdown.dat" ]; then
	nv=$(head -n1 "$res/slowdown.dat" | awk '{ print NF }')
	gnuplot <<-GP
	set terminal pngcairo size 900,500 noenhanced
	set output "$res/slowdown.png"
	set title "Slowdown under pressure (pressure / steady iteration time), mean of reps"
	set style data histograms
	set style histogram clustered gap 1
	set style fill solid 0.8 border -1
	set ylabel "slowdown"
	set yrange [0:*]
	set key outside right
	plot for [c=2:$nv] "$res/slowdown.dat" using c:xtic(1) title columnheader(c)
	GP
fi

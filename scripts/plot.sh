#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# plot.sh <results dir> [baseline variant]: gnuplot PNGs of a bench run.
#   lat-<key>.png    iteration latency over time, first rep of each
#                    variant, pressure window shaded; key =
#                    <scenario>-<mode>-<pressure>[-<param>]
#   stats-<key>.png  mmu_cache_miss and pf_taken over time
#   slowdown.png     mean slowdown (pressure/steady) per variant and
#                    pressure (degradation), min and max as error bars
#   realguest-slowdown.png  the same for the realguest scenario
#   scan-time.png    mean of the per-run max time of one shrinker scan per
#                    variant and VM shape (scale)
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
res=${1:?usage: plot.sh <results dir> [baseline variant]}
base=${2:-base}
command -v gnuplot >/dev/null || die "gnuplot missing: run scripts/deps.sh"
gp=$TOP/scripts/plot
field() { sed -n "s/^$2=//p" "$1/meta.txt"; }
# gpset <name> <value>: a gnuplot assignment of a string, for gnuplot -e.
gpset() { printf '%s="%s"; ' "$1" "$(printf '%s' "$2" | sed 's/[\\"]/\\&/g')"; }
# Time axis: seconds since the start of the pressure phase.
pstart() { awk -F, '$1 == "pressure" { print $2 }' "$1/phases.csv"; }
pend() { awk -F, '$1 == "pressure" { print $3 }' "$1/phases.csv"; }
# The plot key of a run directory, empty unless it is a good first rep of
# a run over time (not the overhead scenario: its runs have no pressure
# phase, and the upstream tests among them no time series).
key() {
	[ "$(field "$1" rep)" = 1 ] && [ "$(field "$1" status)" = ok ] || return 0
	[ "$(field "$1" scenario)" != overhead ] || return 0
	echo "$(field "$1" scenario)-$(field "$1" mode)-$(field "$1" pressure)$(field "$1" param | sed 's/^./-&/')"
}

for key in $(for d in "$res"/runs/*/; do key "$d"; done | sort -u); do
	lat="" st1="" st2="" wend=0
	for d in "$res"/runs/*/; do
		[ "$(key "$d")" = "$key" ] || continue
		v=$(field "$d" variant)
		s=$(pstart "$d")
		wend=$(awk -v e="$(pend "$d")" -v s="$s" 'BEGIN { print (e - s) / 1000 }')
		lat="$lat${lat:+, }'${d}iter.csv' using ((column('t_ms')-$s)/1000):(column('lat_us')/1000) with points pt 7 ps 0.5 title '$v'"
		st1="$st1${st1:+, }'${d}stats.csv' using ((column('t_ms')-$s)/1000):'mmu_cache_miss' with lines title '$v'"
		st2="$st2${st2:+, }'${d}stats.csv' using ((column('t_ms')-$s)/1000):'pf_taken' with lines title '$v'"
	done
	gnuplot -e "$(gpset res "$res")$(gpset key "$key")pend=$wend; $(gpset lat "$lat")$(gpset st1 "$st1")$(gpset st2 "$st2")" "$gp/lat.gp"
done

# bars <scenario> <metric> <out> <title> <ylabel>: bar chart of the mean
# of <metric> per group of <scenario> (the group less its scenario, e.g.
# shadow/scan) and variant, with min and max as error bars.  The numbers
# are mmstat's (compare --dat); this only lays them out, a row per group
# and a mean, min, max triple per variant.
bars() {
	"$BUILD/report/mmstat" compare --base "$base" --dat "$2" "$res/metrics.csv" |
		awk -v sc="$1" 'index($1, sc "/") == 1 {
			k = substr($1, length(sc) + 2)
			if (!(k in gs)) { gs[k] = 1; go[++ng] = k }
			if (!($2 in vs)) { vs[$2] = 1; vo[++nv] = $2 }
			c[k, $2] = $4 " " $5 " " $6
		}
		END {
			if (!ng) exit
			printf "group"
			for (j = 1; j <= nv; j++) printf " %s %s_min %s_max", vo[j], vo[j], vo[j]
			print ""
			for (i = 1; i <= ng; i++) {
				printf "%s", go[i]
				for (j = 1; j <= nv; j++)
					printf " %s", (go[i], vo[j]) in c ? c[go[i], vo[j]] : "NaN NaN NaN"
				print ""
			}
		}' >"$res/$3.dat"
	if [ ! -s "$res/$3.dat" ]; then
		rm -f "$res/$3.dat"
		return 0
	fi
	gnuplot -e "$(gpset dat "$res/$3.dat")$(gpset out "$res/$3.png")$(gpset title "$4")$(gpset ylabel "$5")ncols=$(head -n1 "$res/$3.dat" | awk '{ print NF }')" "$gp/bars.gp"
}

bars degradation slowdown slowdown \
	"Pressure / steady iteration time (mean; bars: min to max)" slowdown
bars realguest slowdown realguest-slowdown \
	"Real guest: pressure / steady time per operation (mean; bars: min to max)" slowdown
bars scale scan_us_max scan-time \
	"Longest shrinker scan per run, VMs x vCPUs faulting (mean; bars: min to max)" "us"

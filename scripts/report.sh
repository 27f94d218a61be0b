#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# report.sh <results dir> [baseline variant]: metrics.csv, report.md,
# summary.json and PNG plots from the runs/ of a bench results directory.
set -eu
. "$(dirname "$0")/lib.sh"
res=${1:?usage: report.sh <results dir> [baseline]}
base=${2:-base}
[ -d "$res/runs" ] || die "$res has no runs/: not a bench results directory"
make -s -C "$TOP/scripts/report" O="$BUILD/report" >/dev/null
mmstat=$BUILD/report/mmstat

metrics=$res/metrics.csv
echo "group,variant,rep,metric,value" >"$metrics"
for d in "$res"/runs/*/; do
	"$mmstat" extract --csv "$d" >>"$metrics" || die "mmstat extract failed on $d"
done
"$mmstat" compare --base "$base" --json "$metrics" >"$res/summary.json"
"$TOP/scripts/plot.sh" "$res"

# ratios: the overhead scenario's paired ratios (same rep) vs the base,
# with a 95 % confidence interval, against the goal of <= 1 % overhead.
ratios() {
	local g v m out
	for g in $(awk -F, '$1 ~ /^overhead\// { print $1 }' "$metrics" | sort -u); do
		echo
		echo "## Fault-path overhead: $g, paired ratio vs $base"
		echo
		echo "populate_ms is the vCPUs' first pass, which faults in every page;"
		echo "populate_rel the same in units of the run's own fault-free steady"
		echo "pass (it cancels the boot's speed); steady_lat_ms the fault-free"
		echo "pass.  Goal: the upper end of the 95 % CI at most 1.01 (met); a"
		echo "lower end above 1.01 misses it."
		echo
		echo "| variant | metric | n | ratio | 95 % CI | change | goal <= 1 % |"
		echo "| --- | --- | --- | --- | --- | --- | --- |"
		for v in $(awk -F, -v g="$g" -v b="$base" '$1 == g && $2 != b { print $2 }' "$metrics" | sort -u); do
			for m in populate_ms populate_rel steady_lat_ms; do
				if ! out=$("$mmstat" ratio --base "$base" -g "$g" -m "$m" -v "$v" "$metrics" 2>&1); then
					echo "| $v | $m | | | | | no ratio: $(echo "$out" | tail -n1) |"
					continue
				fi
				echo "$out" | awk -F= -v v="$v" -v m="$m" '{ x[$1] = $2 }
					END {
						verdict = x["ci_hi"] <= 1.01 ? "met" : x["ci_lo"] > 1.01 ? "missed" : "inconclusive"
						printf "| %s | %s | %d | %.4f | %.4f .. %.4f | %+.2f %% | %s |\n", v, m, x["n"],
							x["mean"], x["ci_lo"], x["ci_hi"], x["change_pct"], verdict
					}'
			done
		done
	done
}

{
	echo "# make bench report"
	echo
	sed 's/^/    /' "$res/info.txt"
	if [ -f "$res/boot.txt" ]; then
		echo
		echo "## Boot summary"
		echo
		sed 's/^/    /' "$res/boot.txt"
	fi
	echo
	echo "## Tables"
	echo
	echo "Per group (scenario/mode/pressure[/limit]) and metric: n runs, failed runs,"
	echo "min, amean, stddev, coeffvar, max, and % change of the mean vs $base with"
	echo "a Welch t-test mark (* p<0.05, ** p<0.01).  Definitions: Documentation/harness.md."
	echo
	"$mmstat" compare --base "$base" --md "$metrics"
	ratios
	echo
	echo "## Plots"
	echo
	for p in "$res"/*.png; do
		[ -f "$p" ] && echo "![$(basename "$p" .png)]($(basename "$p"))"
	done
} >"$res/report.md"
"$mmstat" compare --base "$base" "$metrics"
echo "report: $res/report.md"

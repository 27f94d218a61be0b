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
	echo
	echo "## Plots"
	echo
	for p in "$res"/*.png; do
		[ -f "$p" ] && echo "![$(basename "$p" .png)]($(basename "$p"))"
	done
} >"$res/report.md"
"$mmstat" compare --base "$base" "$metrics"
echo "report: $res/report.md"

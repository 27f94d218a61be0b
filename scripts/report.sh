#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# report.sh <results dir> [baseline variant]: metrics.csv, report.md,
# summary.json and PNG plots from the runs/ of a bench results directory.
set -eu
# shellcheck source=scripts/lib.sh
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
"$TOP/scripts/plot.sh" "$res" "$base"

# ratios: the overhead scenario's paired ratios (same rep) vs the base, per
# MMU mode, with a 95 % confidence interval and the verdict on "<= 1 %".
ratios() {
	local mode g v m out cell vs
	vs=$(awk -F, -v b="$base" 'NR > 1 && $1 ~ /^overhead\// && $2 != b { print $2 }' "$metrics" |
		awk '!seen[$0]++')
	[ -n "$vs" ] || return 0
	awk -F, '$1 ~ /^overhead\// { split($1, p, "/"); print p[2] }' "$metrics" | sort -u |
	while read -r mode; do
		echo
		echo "## Fault-path overhead ($mode): paired ratio vs $base"
		echo
		echo "Each cell: variant / $base of the same repetition, mean [95 % CI] over the"
		echo "repetitions, then the verdict on \"costs <= 1 %\": yes (CI <= 1.01), no"
		echo "(CI > 1.01) or undecided (with the repetitions that would decide it at"
		echo "this mean and spread).  populate_ms: mmu_reclaim_perf's first pass;"
		echo "dp_exec_ms: demand_paging_test; dl_populate_ms, dl_dirty_ms:"
		echo "dirty_log_perf_test.  Timing: see the header (icount measures"
		echo "instruction path length, not cycles, cache misses or lock contention)."
		echo
		printf '| workload | metric | shrinker |'
		for v in $vs; do printf ' %s |' "$v"; done
		echo
		printf '| --- | --- | --- |'
		for v in $vs; do printf ' --- |'; done
		echo
		awk -F, -v p="overhead/$mode/" 'index($1, p) == 1 { print $1 }' "$metrics" |
			sort -u | sort -t/ -k4,4 -k3,3 |
		while read -r g; do
			awk -F, -v g="$g" '$1 == g && $4 ~ /^(populate_ms|dp_exec_ms|dl_populate_ms|dl_dirty_ms)$/ { print $4 }' \
				"$metrics" | sort -u |
			while read -r m; do
				printf '| %s | %s | %s |' "${g##*/}" "$m" "$(echo "$g" | cut -d/ -f3)"
				for v in $vs; do
					if ! out=$("$mmstat" ratio --goal 1.01 --base "$base" -g "$g" -m "$m" -v "$v" "$metrics" 2>&1); then
						printf ' no ratio: %s |' "$(echo "$out" | tail -n1 | sed 's/^error: //')"
						continue
					fi
					cell=$(echo "$out" | awk -F= '{ x[$1] = $2 }
						END {
							d = x["verdict"] == "undecided" ? (x["n_decide"] > 0 ? " (n=" x["n_decide"] ")" : " (never)") : ""
							printf "%.4f [%.4f, %.4f] %s%s", x["mean"], x["ci_lo"], x["ci_hi"], x["verdict"], d
						}')
					printf ' %s |' "$cell"
				done
				echo
			done
		done
	done
}

# The headline rows: the guest's loss, the shadow pages the pressure
# destroyed and rebuilt, what stayed freed, how reclaim called the
# shrinker, and the host's reclaim (a group shows the ones it has).
headline=slowdown,recover_s,zapped,recycled,rebuilds,extra_faults,freed_kb
headline=$headline,count_before,count_after,shrinker_calls,shrinker_to_scan
headline=$headline,shrinker_freed,shrinker_min_prio,pgscan_kswapd,pgscan_direct
headline=$headline,reclaim_eff,pswpout,pswpin,psi_some_ms,psi_full_ms,oom_kills
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
	echo "## Headline"
	echo
	echo "Per group, what the pressure cost the guest and what reclaim did, the"
	echo "variants as columns: amean ±stddev, % change vs $base and Welch mark."
	echo
	"$mmstat" compare --base "$base" --md --headline "$headline" "$metrics"
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

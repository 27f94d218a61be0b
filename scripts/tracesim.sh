#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make tracesim: how close is each eviction order to the best possible?
# Boots each variant, runs the page-limit workload (mmu_reclaim_perf, hot/
# cold, 512 MiB, 1 vCPU) at each limit with the kvmmmu:kvm_mmu_get_page
# tracepoint on, and replays every recorded lookup stream with mmusim
# (scripts/sim/) under FIFO, LRU, LRU + parent promotion and Belady's OPT
# at the limit it was recorded at.  The simulator is checked against the
# kernel: for the variant's own order its misses must match the kernel's
# mmu_cache_miss within TOL percent.
#
#   VARIANTS  default "base lru" (their kvm/variants order column says
#             which policy is the kernel's own)
#   LIMITS    default "64 128 192 256"
#   TOL       default 10 (percent).  The kernel zaps in batches once per
#             fault before the walk and takes unsync children along with
#             a zapped page; the simulator evicts page by page, so it
#             misses less, the more so the smaller the limit (first run:
#             -0.7 % to -3.3 % at limits 128-256, -5.4 % and -9.0 % at 64)
#   OUT       default results/tracesim-<timestamp>
# Output: OUT/<variant>-<limit>/ (trace.csv.gz, stats.csv, sim.csv),
# OUT/sim.csv (all), OUT/report.md, OUT/rebuilds.png.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# = 0 ] || die "tracesim.sh takes no arguments (got '$*'): set VARIANTS, LIMITS, TOL or OUT"
VARIANTS=${VARIANTS:-"base lru"}
LIMITS=${LIMITS:-"64 128 192 256"}
TOL=${TOL:-10}
check_variants "$VARIANTS"
for l in $LIMITS; do
	case "$l" in '' | *[!0-9]*) die "page limit '$l' is not a number" ;; esac
	[ "$l" -ge 64 ] || die "page limit $l is below KVM's minimum of 64"
done
case "$TOL" in '' | *[!0-9.]*) die "TOL='$TOL' is not a number" ;; esac

"$TOP/scripts/deps.sh"
for v in $VARIANTS; do "$TOP/scripts/kernel.sh" "$v" host; done
"$TOP/scripts/initramfs.sh"
make -s -C "$TOP/scripts/sim" O="$BUILD/sim" >/dev/null || die "building mmusim failed"
sim=$BUILD/sim/mmusim
res=${OUT:-$TOP/results/tracesim-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$res"

# Guest job: one traced workload run per limit.  The trace buffer must hold
# every event: a lost one would make the replay wrong, so it is checked.
job=$(mktemp)
trap 'rm -f "$job"' EXIT
cat >"$job" <<SH
t=/sys/kernel/tracing
echo 65536 >\$t/buffer_size_kb
for l in $LIMITS; do
	d=\$RESULTS/\$l
	mkdir -p \$d
	echo 0 >\$t/tracing_on; echo >\$t/trace
	echo 1 >\$t/events/kvmmmu/kvm_mmu_get_page/enable
	echo 1 >\$t/tracing_on
	/kvm/mmu_reclaim_perf -v 1 -b 512M -W 2 -S 10 -P 0 -R 0 -i 250 -H 10 -C 4 \\
		-n \$l -o \$d >\$d/stdout.log 2>&1 || { echo "workload at limit \$l failed"; exit 1; }
	echo 0 >\$t/tracing_on
	grep -m1 'entries-in-buffer' \$t/trace >\$d/entries.txt
	grep -v '^#' \$t/trace | gzip -1 >\$d/trace.txt.gz
	echo "limit \$l: \$(cat \$d/entries.txt)"
done
SH

echo "tracesim: $(kernel_version), variants $VARIANTS, limits $LIMITS"
echo "policy,limit,lookups,misses,rebuilds,evictions,over,variant,kernel_misses,trace_created" >"$res/sim.csv"
for v in $VARIANTS; do
	out=$res/boot-$v
	"$TOP/scripts/run.sh" -v "$v" -m shadow -t 1800 -o "$out" "$job" >"$out.log" 2>&1 ||
		die "traced run on $v failed: $(grep -m1 '^error:' "$out.log" || tail -n1 "$out.log")" "$out.log"
	for l in $LIMITS; do
		d=$res/$v-$l
		mkdir -p "$d"
		cp "$out/$l/stats.csv" "$out/$l/stdout.log" "$d/"
		# "# entries-in-buffer/entries-written: 12/12   #P:1"
		read -r kept written < <(sed -n 's|.*: \([0-9]*\)/\([0-9]*\).*|\1 \2|p' "$out/$l/entries.txt")
		[ -n "$kept" ] && [ "$kept" = "$written" ] ||
			die "$v limit $l: the trace buffer lost events ($(cat "$out/$l/entries.txt"))" "$out/$l/entries.txt"
		zcat "$out/$l/trace.txt.gz" | "$TOP/scripts/sim/trace2sim.sh" | gzip -1 >"$d/trace.csv.gz"
		zcat "$d/trace.csv.gz" | "$sim" -l "$l" --csv - >"$d/sim.csv" ||
			die "mmusim failed on $v limit $l" "$d/sim.csv"
		kmiss=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "mmu_cache_miss") c = i; next }
			{ v = $c } END { print v }' "$d/stats.csv")
		created=$(sed -n 's/.*trace_created=\([0-9]*\).*/\1/p' "$d/sim.csv")
		grep -v '^#' "$d/sim.csv" | tail -n +2 |
			sed "s/\$/,$v,$kmiss,$created/" >>"$res/sim.csv"
	done
done

# The check: each variant's own order replayed at its limit vs the kernel.
n=0 bad=0
{
	echo "# tracesim report"
	echo
	echo "Command: make tracesim VARIANTS=\"$VARIANTS\" LIMITS=\"$LIMITS\"; $(kernel_version);"
	echo "workload mmu_reclaim_perf -v 1 -b 512M -W 2 -S 10 -H 10 -C 4 -n <limit>, shadow paging."
	echo
	echo "## Simulator vs kernel (the variant's own order, tolerance $TOL %)"
	echo
	echo "| variant | order | limit | kernel mmu_cache_miss | trace created | simulated misses | difference |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
} >"$res/report.md"
for v in $VARIANTS; do
	order=$(variant_field "$v" 4)
	for l in $LIMITS; do
		n=$((n + 1))
		line=$(awk -F, -v p="$order" -v l="$l" -v v="$v" '$1 == p && $2 == l && $8 == v' "$res/sim.csv")
		diff=$(echo "$line" | awk -F, '{ printf "%.2f", $9 ? ($4 - $9) * 100 / $9 : 0 }')
		echo "$line" | awk -F, -v d="$diff" '{ printf "| %s | %s | %s | %s | %s | %s | %+.2f %% |\n", $8, $1, $2, $9, $10, $4, d }' >>"$res/report.md"
		awk -v d="$diff" -v t="$TOL" 'BEGIN { exit !(d <= t && d >= -t) }' || bad=$((bad + 1))
	done
done
{
	echo
	echo "## Rebuilds (misses of pages seen before) per order, traces of each variant"
	echo
	echo "| variant | limit | fifo | lru | lru-parent | opt | lru vs opt |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	awk -F, 'NR > 1 { r[$8 "," $2 "," $1] = $5; if (!seen[$8 "," $2]++) k[++n] = $8 "," $2 }
		END {
			for (i = 1; i <= n; i++) {
				split(k[i], a, ",")
				o = r[k[i] ",opt"]; l = r[k[i] ",lru"]
				printf "| %s | %s | %s | %s | %s | %s | %s |\n", a[1], a[2], r[k[i] ",fifo"], l,
					r[k[i] ",lru-parent"], o, o ? sprintf("%.2fx", l / o) : "-"
			}
		}' "$res/sim.csv"
	echo
	echo "![rebuilds](rebuilds.png)"
} >>"$res/report.md"

# Rebuilds against the limit, one line per order, from the last variant's
# traces (the full series).
last=$(echo "$VARIANTS" | awk '{ print $NF }')
awk -F, -v v="$last" 'NR > 1 && $8 == v { r[$2, $1] = $5; if (!s[$2]++) l[++n] = $2 }
	END { print "limit fifo lru lru-parent opt"
		for (i = 1; i <= n; i++) print l[i], r[l[i], "fifo"], r[l[i], "lru"], r[l[i], "lru-parent"], r[l[i], "opt"] }' \
	"$res/sim.csv" >"$res/rebuilds.dat"
gnuplot <<GP
set terminal pngcairo size 900,500 noenhanced
set output "$res/rebuilds.png"
set title "Shadow pages rebuilt vs page limit, lookup streams of $last, by eviction order"
set xlabel "KVM_SET_NR_MMU_PAGES limit"
set ylabel "rebuilds"
set key outside right
plot for [c=2:5] "$res/rebuilds.dat" using 1:c with linespoints title columnheader(c)
GP
cat "$res/report.md"
echo "# results: $res"
[ $bad = 0 ] || die "$bad of $n simulator/kernel comparisons differ by more than $TOL %" "$res/report.md"

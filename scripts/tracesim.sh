#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make tracesim: how close is each eviction order to the best possible?
# Boots each variant and, at each page limit, records the
# kvmmmu:kvm_mmu_get_page tracepoint (every shadow page lookup) of two
# workloads under shadow paging:
#   perf  mmu_reclaim_perf hot/cold, 512 MiB, 1 vCPU, with -n <limit>
#   rg    the realguest guest (a Linux running rgload, QEMU with KVM, see
#         scripts/realguest/), its VM limited by run-guest's
#         RG_NR_MMU_PAGES, traced from before QEMU starts until RG_SECS
#         after its first report, then stopped (SIGSTOP) so that the trace
#         and the VM's counters end at the same point
# and replays every stream with mmusim (scripts/sim/) under FIFO, LRU,
# LRU + parent promotion, segmented LRU and Belady's OPT at the limit it
# was recorded at.
# The simulator is checked against the kernel: for the variant's own order
# its misses must match the kernel's mmu_cache_miss within the tolerance
# (where mmusim has that order: not for abit's Accessed bits).  Each
# setting below is a flag, --name=value (--rg-limits='512 1024'); make
# tracesim NAME=value passes it as one.
#
#   VARIANTS   default "base lru" (their kvm/variants order column says
#              which policy is the kernel's own)
#   WORKLOADS  default "perf rg"
#   LIMITS     perf's limits, default "64 128 192 256"
#   RG_LIMITS  rg's limits, default "512 1024 2048 4096"
#   RG_SECS    rg's seconds of workload per limit, default 20
#   TOL        perf's tolerance, default 10 (percent).  The kernel zaps in
#              batches once per fault before the walk and takes unsync
#              children along with a zapped page; the simulator evicts
#              page by page, so it misses less, the more so the smaller
#              the limit (first run: -0.7 % to -3.3 % at limits 128-256,
#              -5.4 % and -9.0 % at 64)
#   RG_TOL     rg's tolerance, default 25 (percent), checked only where the
#              limit bit (mmu_recycled > 0).  LRU replays came within 2 %
#              of the kernel at 512-2048 (first run), FIFO within 2 % at
#              512 and 1024 but -20 % at 2048, just under the guest's
#              working set, where FIFO's choice hangs on what the model
#              approximates (batches per fault, roots it cannot see) and
#              the two disagree both ways (hit_built / miss_found)
# A row of either workload is not checked where the replay itself moves
# by more than its tolerance between 1 % below and 1 % above the limit
# (scripts/sim/spread.sh): FIFO's at 2048 moved by 35 % on 2026-12-03,
# when it was 47 % off the kernel; every other row moved by 3 % or less.
#   ACCEL      default auto; tcg-single runs every CPU on one host thread
#              (see run.sh -a)
#   TIMEOUT    seconds per boot, default 3600 (a boot runs every limit of
#              every workload)
#   OUT        default results/tracesim-<timestamp>
# Output: OUT/<variant>-<workload>-<limit>/ (trace.csv.gz, sim.csv, and
# stats.csv or vmstat.txt + guest.log), OUT/sim.csv (all), OUT/rg.csv (the
# real guest's operations and counters per run), OUT/report.md,
# OUT/rebuilds-<workload>.png.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

parse_flags "KSRC VARIANTS WORKLOADS LIMITS RG_LIMITS RG_SECS TOL RG_TOL ACCEL TIMEOUT OUT" "$@"
VARIANTS=${VARIANTS:-"base lru"}
WORKLOADS=${WORKLOADS:-"perf rg"}
LIMITS=${LIMITS:-"64 128 192 256"}
RG_LIMITS=${RG_LIMITS:-"512 1024 2048 4096"}
RG_SECS=${RG_SECS:-20}
TOL=${TOL:-10}
RG_TOL=${RG_TOL:-25}
ACCEL=${ACCEL:-auto}
TIMEOUT=${TIMEOUT:-3600}
check_accel "$ACCEL" ""
check_variants "$VARIANTS"
for w in $WORKLOADS; do
	case "$w" in perf | rg) ;; *) die "unknown workload '$w' (known: perf rg)" ;; esac
done
for l in $LIMITS $RG_LIMITS; do
	case "$l" in '' | *[!0-9]*) die "page limit '$l' is not a number" ;; esac
	[ "$l" -ge 64 ] || die "page limit $l is below KVM's minimum of 64"
done
for x in "TOL=$TOL" "RG_TOL=$RG_TOL" "RG_SECS=$RG_SECS"; do
	case "${x#*=}" in '' | *[!0-9.]*) die "$x is not a number" ;; esac
done

case "$TIMEOUT" in '' | *[!0-9]*) die "TIMEOUT=$TIMEOUT is not a number of seconds" ;; esac

# limits_of <workload>
limits_of() { if [ "$1" = perf ]; then echo "$LIMITS"; else echo "$RG_LIMITS"; fi; }
has_rg() { case " $WORKLOADS " in *" rg "*) return 0 ;; esac; return 1; }

"$TOP/scripts/deps.sh"
for v in $VARIANTS; do "$TOP/scripts/kernel.sh" "$v" host; done
"$TOP/scripts/initramfs.sh"
first=$(echo "$VARIANTS" | awk '{ print $1 }')
files=""
if has_rg; then
	# The guest's kernel is the first variant's: only the host's KVM varies.
	"$TOP/scripts/realguest.sh" "$(kernel_obj "$first")/arch/x86/boot/bzImage"
	files=$BUILD/realguest
fi
make -s -C "$TOP/scripts/sim" O="$BUILD/sim" >/dev/null || die "building mmusim failed"
make -s -C "$TOP/scripts/report" O="$BUILD/report" >/dev/null || die "building mmstat failed"
sim=$BUILD/sim/mmusim
res=${OUT:-$TOP/results/tracesim-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$res"

# The traced runs of each boot, "<workload>-<limit>", in order: the guest
# job runs them, the host reads their results back.
runs=$(for w in $WORKLOADS; do for l in $(limits_of "$w"); do printf '%s ' "$w-$l"; done; done)

# Guest job: scripts/guest/tracesim-job.sh, one traced run per workload
# and limit.
job=$(mktemp)
trap 'rm -f "$job"' EXIT
echo "sh ./tracesim-job.sh '$runs' $RG_SECS" >"$job"

echo "tracesim: $(kernel_version), variants $VARIANTS, workloads $WORKLOADS"
echo "policy,limit,lookups,misses,rebuilds,evictions,over,hit_built,miss_found,variant,kernel_misses,trace_created,workload" >"$res/sim.csv"
echo "variant,limit,secs,ops,mmu_cache_miss,mmu_recycled,mmu_shadow_zapped,pf_taken,zap_events,zap_unsync" >"$res/rg.csv"
for v in $VARIANTS; do
	out=$res/boot-$v
	# shellcheck disable=SC2086 # $files: empty or one path
	"$TOP/scripts/run.sh" -v "$v" -m shadow -a "$ACCEL" -t "$TIMEOUT" -o "$out" "$job" \
		"$TOP/scripts/guest/tracesim-job.sh" $files >"$out.log" 2>&1 ||
		die "traced run on $v failed: $(grep -m1 '^error:' "$out.log" || tail -n1 "$out.log")" "$out.log"
	for r in $runs; do
		w=${r%-*} l=${r#*-}
		src=$out/$r d=$res/$v-$r
		mkdir -p "$d"
		if [ "$w" = perf ]; then
			cp "$src/stats.csv" "$src/stdout.log" "$d/"
			kmiss=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "mmu_cache_miss") c = i; next }
				{ v = $c } END { print v }' "$d/stats.csv")
		else
			cp "$src/vmstat.txt" "$src/guest.log" "$d/"
			kmiss=$(awk '$1 == "mmu_cache_miss" { print $2 }' "$d/vmstat.txt")
			# Zaps as traced: how many took an unsync page (the
			# simulator does not model those, see RG_TOL).
			zaps=$(zcat "$src/trace.txt.gz" | awk '/kvm_mmu_prepare_zap_page:/ { z++; if (/ unsync( |$)/) u++ }
				END { print z + 0 "," u + 0 }')
			awk -v v="$v" -v l="$l" -v s="$RG_SECS" -v z="$zaps" '{ c[$1] = $2 }
				END { print v "," l "," s "," c["ops"] "," c["mmu_cache_miss"] "," c["mmu_recycled"] "," c["mmu_shadow_zapped"] "," c["pf_taken"] "," z }' \
				"$d/vmstat.txt" >>"$res/rg.csv"
		fi
		# "# entries-in-buffer/entries-written: 12/12   #P:1"
		read -r kept written < <(sed -n 's|.*: \([0-9]*\)/\([0-9]*\).*|\1 \2|p' "$src/entries.txt")
		{ [ -n "$kept" ] && [ "$kept" = "$written" ]; } ||
			die "$v $w limit $l: the trace buffer lost events ($(cat "$src/entries.txt"))" "$src/entries.txt"
		zcat "$src/trace.txt.gz" | "$TOP/scripts/sim/trace2sim.sh" | gzip -1 >"$d/trace.csv.gz"
		zcat "$d/trace.csv.gz" | "$sim" -l "$l" --csv - >"$d/sim.csv" ||
			die "mmusim failed on $v $w limit $l" "$d/sim.csv"
		created=$(sed -n 's/.*trace_created=\([0-9]*\).*/\1/p' "$d/sim.csv")
		grep -v '^#' "$d/sim.csv" | tail -n +2 |
			sed "s/\$/,$v,$kmiss,$created,$w/" >>"$res/sim.csv"
	done
done

# The check: each variant's own order replayed at its limit vs the kernel.
n=0 bad=0
{
	echo "# tracesim report"
	echo
	echo "Command: make tracesim VARIANTS=\"$VARIANTS\" WORKLOADS=\"$WORKLOADS\" LIMITS=\"$LIMITS\""
	echo "RG_LIMITS=\"$RG_LIMITS\" RG_SECS=$RG_SECS; $(kernel_version); shadow paging. Workloads:"
	echo "perf = mmu_reclaim_perf -v 1 -b 512M -W 2 -S 10 -H 10 -C 4 -n <limit>;"
	echo "rg = the realguest guest (rgload -w 2 -s 1024 -m 1 -r 4, 256 MiB, 1 vCPU,"
	echo "guest kernel of $first), traced from QEMU's start to $RG_SECS s after its first report."
	echo
	echo "## Simulator vs kernel (the variant's own order; tolerance perf $TOL %, rg $RG_TOL %)"
	echo
	echo "| workload | variant | order | limit | kernel mmu_cache_miss | trace created | simulated misses | difference | hit_built | miss_found | simulated at -1 % / +1 % of the limit |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} >"$res/report.md"
for w in $WORKLOADS; do
	tol=$TOL
	[ "$w" = perf ] || tol=$RG_TOL
	for v in $VARIANTS; do
		order=$(variant_field "$v" 4)
		for l in $(limits_of "$w"); do
			# An order that a lookup stream cannot show (abit reads
			# the parent SPTEs' Accessed bits) has no replay to check.
			if ! awk -F, -v p="$order" '$1 == p { f = 1 } END { exit !f }' "$res/sim.csv"; then
				kmiss=$(awk -F, -v l="$l" -v v="$v" -v w="$w" '$2 == l && $10 == v && $13 == w { print $11; exit }' "$res/sim.csv")
				echo "| $w | $v | $order | $l | $kmiss | - | - | - (not an order of mmusim) | - | - | - |" >>"$res/report.md"
				continue
			fi
			n=$((n + 1))
			line=$(awk -F, -v p="$order" -v l="$l" -v v="$v" -v w="$w" \
				'$1 == p && $2 == l && $10 == v && $13 == w' "$res/sim.csv")
			diff=$(echo "$line" | awk -F, '{ printf "%.2f", $11 ? ($4 - $11) * 100 / $11 : 0 }')
			# rg: where the limit was never reached, every kernel miss
			# is a first build or a rebuild after a zap the model has
			# no event for (a guest write): nothing to compare.
			note=""
			if [ "$w" = rg ] && [ "$(awk -F, -v v="$v" -v l="$l" '$1 == v && $2 == l { print $6 }' "$res/rg.csv")" = 0 ]; then
				note=" (limit not reached, not checked)"
			fi
			# Where the replay itself moves by more than the tolerance
			# when the limit moves by 1 %, no difference from the
			# kernel, whose batches and zaps the model only
			# approximates, can be held against the model.
			read -r lo _ hi spread < <("$TOP/scripts/sim/spread.sh" "$sim" "$order" "$l" "$res/$v-$w-$l/trace.csv.gz") ||
				die "spread.sh failed on $v $w limit $l"
			if [ -z "$note" ] && awk -v s="$spread" -v t="$tol" 'BEGIN { exit !(s > t) }'; then
				note=" (the replay moves $spread % within 1 % of the limit, not checked)"
			fi
			echo "$line" | awk -F, -v d="$diff" -v x="$note" -v r="$lo / $hi" '{ printf "| %s | %s | %s | %s | %s | %s | %s | %+.2f %%%s | %s | %s | %s |\n", $13, $10, $1, $2, $11, $12, $4, d, x, $8, $9, r }' >>"$res/report.md"
			[ -z "$note" ] || continue
			awk -v d="$diff" -v t="$tol" 'BEGIN { exit !(d <= t && d >= -t) }' || bad=$((bad + 1))
		done
	done
done
{
	echo
	echo "## Rebuilds (misses of pages seen before) per order, traces of each variant"
	echo
	echo "One table per workload and traced variant (mmstat compare --headline),"
	echo "the orders as columns, % vs fifo; one replay per cell, so no marks."
	echo
	# The replays as mmstat's long format: group <workload>/<variant>,
	# the order as the variant, a metric rebuilds_<limit> per limit.
	awk -F, 'NR > 1 { print $13 "/" $10 "," $1 ",1,status,ok"; print $13 "/" $10 "," $1 ",1,rebuilds_" $2 "," $5 }' \
		"$res/sim.csv" | awk '!seen[$0]++' >"$res/orders.csv"
	ms=$(awk -F, 'NR > 1 && !s[$2]++ { printf "%s%s", n++ ? "," : "", "rebuilds_" $2 }' "$res/sim.csv")
	"$BUILD/report/mmstat" compare --base fifo --md --headline "$ms" "$res/orders.csv" ||
		die "mmstat compare failed on $res/orders.csv"
	if has_rg; then
		echo
		echo "## The real guest under each limit, as run (one run per cell)"
		echo
		echo "| variant | limit | operations in $RG_SECS s | ops/s | mmu_cache_miss | mmu_recycled | mmu_shadow_zapped | pf_taken | zaps traced | of them unsync |"
		echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
		awk -F, 'NR > 1 { printf "| %s | %s | %s | %.2f | %s | %s | %s | %s | %s | %s |\n", $1, $2, $4, $4 / $3, $5, $6, $7, $8, $9, $10 }' "$res/rg.csv"
	fi
	echo
	for w in $WORKLOADS; do echo "![rebuilds $w](rebuilds-$w.png)"; done
} >>"$res/report.md"

# Rebuilds against the limit, one line per order, from the last variant's
# traces, one plot per workload.
last=$(echo "$VARIANTS" | awk '{ print $NF }')
for w in $WORKLOADS; do
	awk -F, -v v="$last" -v w="$w" 'NR > 1 && $10 == v && $13 == w { r[$2, $1] = $5; if (!s[$2]++) l[++n] = $2 }
		END { print "limit fifo lru lru-parent slru opt"
			for (i = 1; i <= n; i++) print l[i], r[l[i], "fifo"], r[l[i], "lru"], r[l[i], "lru-parent"], r[l[i], "slru"], r[l[i], "opt"] }' \
		"$res/sim.csv" >"$res/rebuilds-$w.dat"
	gnuplot -e "dat=\"$res/rebuilds-$w.dat\"; out=\"$res/rebuilds-$w.png\"; title=\"Shadow pages rebuilt vs page limit, $w lookup streams of $last, by eviction order\"" \
		"$TOP/scripts/plot/rebuilds.gp"
done
cat "$res/report.md"
echo "# results: $res"
[ $bad = 0 ] || die "$bad of $n simulator/kernel comparisons differ by more than the tolerance" "$res/report.md"

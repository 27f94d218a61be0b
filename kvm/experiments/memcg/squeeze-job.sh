#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job (run.sh): squeeze-job.sh [floor], a VM charged to a memory
# cgroup whose memory.max is squeezed to floor (default 60 %, as make
# bench's memcg case does).  Records the x86-mmu
# shrinker's count files before and after, and each call memcg reclaim
# made to it (vmscan's mm_shrink_slab_start/end for mmu_shrink_scan).
t=/sys/kernel/tracing
floor=${1:-60%}
# The root's line of the count file: every cached page (a memcg-aware
# shrinker has a line per memory cgroup).
root_count() {
	awk '$1 == 1 { print $2; found = 1 } END { if (!found) print 0 }' \
		/sys/kernel/debug/shrinker/x86-mmu-*/count
}
# Anonymous memory, the VM's included, can leave the cgroup only to swap.
/mm/overcommit -Z
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/bench
echo $$ >/sys/fs/cgroup/bench/cgroup.procs
echo "cgroup: bench, ino $(stat -c %i /sys/fs/cgroup/bench)"
echo >$t/trace
echo 1 >$t/events/vmscan/mm_shrink_slab_start/enable
echo 1 >$t/events/vmscan/mm_shrink_slab_end/enable
echo 1 >$t/tracing_on
/kvm/mmu_reclaim_perf -v 2 -b 32M -W 2 -S 6 -P 6 -R 8 -i 250 -H 25 -C 2000 \
	-p "/mm/memcg-squeeze -g bench -f $floor -s 10%" -o "$RESULTS/perf" \
	>"$RESULTS/perf.log" 2>&1 &
pid=$!
# Every 0.25 s until the VM exits: the cached pages, as the VM refills
# them after the squeeze (the pressure phase starts at 8 s).
while kill -0 $pid 2>/dev/null; do
	echo "$(cut -d' ' -f1 /proc/uptime) $(root_count)"
	sleep 0.25
done >"$RESULTS/count.txt"
wait $pid
rc=$?
echo 0 >$t/tracing_on
echo $$ >/sys/fs/cgroup/cgroup.procs
grep 'mmu_shrink_scan' $t/trace >"$RESULTS/shrink.trace"
start=$(grep -c 'mm_shrink_slab_start: mmu_shrink_scan' "$RESULTS/shrink.trace")
freed=$(sed -n 's/.*mm_shrink_slab_end: mmu_shrink_scan.*last shrinker return val \([0-9-]*\).*/\1/p' \
	"$RESULTS/shrink.trace" | awk '$1 > 0 { s += $1 } END { print s + 0 }')
prios=$(sed -n 's/.*mm_shrink_slab_start: mmu_shrink_scan.*priority \([0-9]*\).*/\1/p' \
	"$RESULTS/shrink.trace" | sort -n | uniq -c | awk '{ printf "%s%s:%s", (NR > 1 ? "," : ""), $2, $1 }')
# Cached pages: at the end of the steady phase (8 s), the lowest in the
# squeeze (8 to 14 s), and at the end of the recovery phase.
cached=$(awk 'NR == 1 { t0 = $1 } $1 - t0 < 8 { steady = $2 }
	$1 - t0 >= 8 && $1 - t0 < 14 && (min == "" || $2 < min) { min = $2 }
	$1 - t0 < 22 { last = $2 } END { print steady "/" min "/" last }' "$RESULTS/count.txt")
echo "memcg-job: shrinker_calls=$start pages_freed=$freed priorities=${prios:-none} cached_steady_min_end=$cached perf_exit=$rc"
tail -n 12 "$RESULTS/perf.log"
exit $rc

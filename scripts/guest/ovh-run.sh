#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of the overhead scenario (bench.sh):
#
#   ovh-run.sh [-s 'command'] <workload> [args...] -o <dir>
#
# Runs one fault-path workload from /kvm.  With -s, the command (the
# shrinker scanning at a fixed rate) runs from before the workload starts
# until it ends, and must have scanned: a "scan" case whose scanner never
# ran would measure the idle shrinker.  Output in <dir>:
#   mmu_reclaim_perf     its own CSVs (it gets -o <dir>); mmstat reads
#                        populate_ms, the vCPUs' first faulting pass
#   demand_paging_test   metrics.txt: dp_exec_ms, "Total guest execution
#                        time" (every vCPU faults in its memory once)
#   dirty_log_perf_test  metrics.txt: dl_populate_ms ("Populate memory
#                        time") and dl_dirty_ms, the mean "dirty memory
#                        time" of its iterations, which take write-protection
#                        faults under dirty logging
# and bg.log, the command's output.  Exit status: the workload's, or 1.
bg=""
if [ "$1" = -s ]; then
	bg=$2
	shift 2
fi
wl=$1
shift
# The last two arguments are "-o <dir>" (bench-run.sh's run_case): take
# them off the workload's.
o="" dir=""
[ $# -lt 2 ] || eval "o=\${$(($# - 1))} dir=\${$#}"
if [ "$o" != -o ] || [ -z "$dir" ]; then
	echo "ovh-run.sh: no -o <dir> at the end"
	exit 1
fi
n=$#
i=0
for a; do
	i=$((i + 1))
	[ $i -le $((n - 2)) ] && set -- "$@" "$a"
done
shift "$n"
mkdir -p "$dir"

if [ -n "$bg" ]; then
	sh -c "exec $bg" >"$dir/bg.log" 2>&1 &
	bgpid=$!
fi
rc=0
case $wl in
mmu_reclaim_perf)
	"/kvm/$wl" "$@" -o "$dir" || rc=$? ;;
demand_paging_test | dirty_log_perf_test)
	"/kvm/$wl" "$@" >"$dir/$wl.log" 2>&1 || rc=$?
	cat "$dir/$wl.log" ;;
*)
	echo "ovh-run.sh: unknown workload '$wl'"
	rc=1 ;;
esac
if [ -n "$bg" ]; then
	kill "$bgpid" 2>/dev/null
	wait "$bgpid"
	# shrinkscan's summary: "shrinkscan: <dir>: <n> scans of ..."
	scans=$(sed -n 's/^shrinkscan: .*: \([0-9]*\) scans .*/\1/p' "$dir/bg.log")
	if [ "${scans:-0}" -lt 1 ]; then
		echo "ovh-run.sh: the command beside $wl did not scan: $(tail -n 1 "$dir/bg.log")"
		[ $rc != 0 ] || rc=1
	fi
fi
[ $rc = 0 ] || exit $rc

# "<label>: 1.234567890s" -> 1234.567890 (ms)
secs_ms() { sed -n "s/^$1:[[:space:]]*\([0-9.]*\)s.*/\1/p" "$dir/$wl.log" | awk '{ print $1 * 1000 }'; }
case $wl in
demand_paging_test)
	v=$(secs_ms 'Total guest execution time')
	[ -n "$v" ] || { echo "ovh-run.sh: no execution time in $wl's output"; exit 1; }
	echo "dp_exec_ms=$v" >"$dir/metrics.txt" ;;
dirty_log_perf_test)
	p=$(secs_ms 'Populate memory time')
	d=$(sed -n 's/^Iteration [0-9]* dirty memory time:[[:space:]]*\([0-9.]*\)s.*/\1/p' "$dir/$wl.log" |
		awk '{ s += $1; n++ } END { if (n) print s / n * 1000 }')
	if [ -z "$p" ] || [ -z "$d" ]; then
		echo "ovh-run.sh: no populate or dirty time in $wl's output"
		exit 1
	fi
	printf 'dl_populate_ms=%s\ndl_dirty_ms=%s\n' "$p" "$d" >"$dir/metrics.txt" ;;
esac
exit 0

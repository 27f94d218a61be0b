#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of make tracesim (scripts/tracesim.sh):
#
#   tracesim-job.sh '<runs>' <rg_secs>
#
# One traced run per "<workload>-<limit>" of <runs>, in order, each in
# $RESULTS/<run>/: "perf-<l>" is mmu_reclaim_perf's hot/cold sweep under a
# limit of <l> shadow pages, "rg-<l>" the real guest (./realguest/, the
# realguest bundle) under that limit for <rg_secs> seconds after its first
# report.  The kvmmmu:kvm_mmu_get_page and kvm_mmu_prepare_zap_page events
# go to trace.txt.gz and the buffer's entries line to entries.txt: a lost
# event would make the replay wrong, so the host checks it.  Exit 1, with
# a line saying why, when a run fails.
RUNS=$1 RG_SECS=$2
t=/sys/kernel/tracing
echo 131072 >$t/buffer_size_kb
trace_start() {
	echo 0 >$t/tracing_on; echo >$t/trace
	echo 1 >$t/events/kvmmmu/kvm_mmu_get_page/enable
	echo 1 >$t/events/kvmmmu/kvm_mmu_prepare_zap_page/enable
	echo 1 >$t/tracing_on
}
# trace_save <dir>
trace_save() {
	echo 0 >$t/tracing_on
	grep -m1 'entries-in-buffer' $t/trace >"$1/entries.txt"
	grep -v '^#' $t/trace | gzip -1 >"$1/trace.txt.gz"
	echo "$1: $(cat "$1/entries.txt")"
}
# all_stopped <pid>: every thread is in state T (the field after "(comm)").
# A QEMU that exited (a zombie, or gone) ends the job.
all_stopped() {
	for s in /proc/"$1"/task/*/stat; do
		case "$(sed 's/.*) //' "$s" 2>/dev/null | cut -d' ' -f1)" in
		T) ;;
		Z | X | '') echo "rg: QEMU exited before the end of its window (log: $d/guest.log)"; exit 1 ;;
		*) return 1 ;;
		esac
	done
}
# rg_run <limit> <dir>: the real guest under the limit, traced.
rg_run() {
	d=$2
	trace_start
	RG_NR_MMU_PAGES=$1 ./realguest/run-guest -w 2 -s 1024 -m 1 -r 4 >"$d/guest.log" 2>&1 &
	pid=$!
	i=0
	until grep -q 'realguest: ops' "$d/guest.log"; do
		i=$((i + 1))
		if [ $i -gt 1800 ] || ! kill -0 $pid 2>/dev/null; then
			kill -9 "$pid" 2>/dev/null
			echo "rg at limit $1: no report from the guest in 180 s (log: $d/guest.log)"
			return 1
		fi
		sleep 0.1
	done
	sleep "$RG_SECS"
	kill -STOP $pid
	until all_stopped $pid; do sleep 0.01; done
	echo 0 >$t/tracing_on
	# shellcheck disable=SC2012 # debugfs names: <pid>-<fd>
	vm=$(ls -d /sys/kernel/debug/kvm/"$pid"-* | tail -n1)
	for f in mmu_cache_miss mmu_recycled mmu_shadow_zapped pf_taken; do
		echo "$f $(cat "$vm/$f")"
	done >"$d/vmstat.txt"
	kill -9 $pid
	wait $pid
	echo "ops $(grep -o 'realguest: ops [0-9]*' "$d/guest.log" | tail -n1 | cut -d' ' -f3)" >>"$d/vmstat.txt"
	grep -q 'rglimit: KVM_SET_NR_MMU_PAGES' "$d/guest.log" ||
		{ echo "rg at limit $1: the limit was not set (log: $d/guest.log)"; return 1; }
	trace_save "$d"
}
for r in $RUNS; do
	l=${r#*-} d=$RESULTS/$r
	mkdir -p "$d"
	if [ "${r%-*}" = rg ]; then
		rg_run "$l" "$d" || exit 1
		continue
	fi
	trace_start
	/kvm/mmu_reclaim_perf -v 1 -b 512M -W 2 -S 10 -P 0 -R 0 -i 250 -H 10 -C 4 \
		-n "$l" -o "$d" >"$d/stdout.log" 2>&1 || { echo "workload at limit $l failed"; exit 1; }
	trace_save "$d"
done

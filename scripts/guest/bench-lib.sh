#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of the bench (bench-run.sh's job sources this, then calls
# run_case once per case):
#
#   run_case <id> [in_cgroup <name>] [with_vms <n>] <workload> [args...]
#
# runs the workload with -o $RESULTS/<id> and leaves next to its files:
#   freed.txt    objects_freed=<n>: what the x86-mmu shrinker's scans
#                returned, from vmscan's mm_shrink_slab_end (debugfs scans
#                bypass the tracepoint: the workload's shrinker_count
#                samples cover those); only if it freed something
#   reclaim.txt  how reclaim went during the case (name=value, for mmstat):
#                shrinker_calls, shrinker_to_scan, shrinker_freed and
#                shrinker_min_prio (mm_shrink_slab_start/_end of x86-mmu:
#                reclaim calls it only when its count is not 0; priority 12
#                is the first pass, 0 drop_caches or the last), the
#                /proc/vmstat deltas pgscan_kswapd, pgscan_direct, pgsteal,
#                pswpin, pswpout, oom_kills, reclaim_eff (pgsteal per page
#                scanned) and the /proc/pressure/memory stall psi_some_ms,
#                psi_full_ms
#   oom          the kernel's "Killed process" lines of the case, if any
#   exit_status  the workload's
t=/sys/kernel/tracing

# in_cgroup <name> <command...>: run the command (the workload, and the
# QEMU of a real guest: its child; a shell function too) in a subshell
# charged to cgroup <name>.  The job's shell stays in the root cgroup,
# out of reach of the cgroup's OOM killer.
in_cgroup() {
	c=/sys/fs/cgroup/$1
	shift
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p "$c"
	(
		read -r self _ </proc/self/stat
		echo "$self" >"$c/cgroup.procs"
		"$@"
	)
}

# with_vms <n> <command...>: run the command (the workload, one VM) with
# n - 1 more VMs of the same shape in the background: the command without
# its -p and -o, with a recovery phase that outlasts it.  They are stopped
# when it ends; one that exited early with an error fails the case.
with_vms() {
	n=$1
	shift
	pids=""
	i=1
	while [ "$i" -lt "$n" ]; do
		mkdir -p /tmp/bg-$i
		(
			skip=""
			for a; do
				shift
				[ -z "$skip" ] || { skip=""; continue; }
				case $a in -p | -o) skip=1; continue ;; esac
				set -- "$@" "$a"
			done
			exec "$@" -R 600 -o /tmp/bg-$i >/tmp/bg-$i/stdout.log 2>&1
		) &
		pids="$pids $!:$i"
		i=$((i + 1))
	done
	"$@"
	rc=$?
	for pi in $pids; do
		p=${pi%:*}
		if kill -0 "$p" 2>/dev/null; then
			kill "$p"
			wait "$p"
		elif ! wait "$p"; then
			echo "with_vms: background VM ${pi#*:} failed early:"
			tail -n 3 "/tmp/bg-${pi#*:}/stdout.log"
			rc=1
		fi
	done
	rm -rf /tmp/bg-*
	return $rc
}

# snap <file>: the counters reclaim.txt is made of, one "name value" a line.
snap() {
	awk '$1 ~ /^(pgscan_kswapd|pgscan_direct|pgsteal_kswapd|pgsteal_direct|pswpin|pswpout|oom_kill)$/' \
		/proc/vmstat >"$1"
	awk '{ sub(/total=/, "", $5); print "psi_" $1, $5 }' /proc/pressure/memory >>"$1" 2>/dev/null || true
}

# reclaim_txt <before> <after> <trace>: reclaim.txt from two snaps and the
# x86-mmu lines of the trace.
reclaim_txt() {
	awk -v tr="$3" '
	FNR == 1 { f++ }
	f == 1 { b[$1] = $2; next }
	f == 2 { d[$1] = $2 - b[$1]; next }
	/mm_shrink_slab_start:/ {
		calls++
		for (i = 1; i < NF; i++) {
			if ($i == "total_scan") scan += $(i + 1)
			if ($i == "priority" && (prio == "" || $(i + 1) < prio)) prio = $(i + 1)
		}
	}
	/mm_shrink_slab_end:/ && match($0, /return val -?[0-9]+/) {
		v = substr($0, RSTART + 11, RLENGTH - 11)
		if (v > 0) freed += v
	}
	END {
		printf "shrinker_calls=%d\nshrinker_to_scan=%d\nshrinker_freed=%d\n", calls, scan, freed
		if (prio != "") print "shrinker_min_prio=" prio
		scanned = d["pgscan_kswapd"] + d["pgscan_direct"]
		stolen = d["pgsteal_kswapd"] + d["pgsteal_direct"]
		printf "pgscan_kswapd=%d\npgscan_direct=%d\npgsteal=%d\n", d["pgscan_kswapd"], d["pgscan_direct"], stolen
		printf "pswpin=%d\npswpout=%d\noom_kills=%d\n", d["pswpin"], d["pswpout"], d["oom_kill"]
		if (scanned > 0) printf "reclaim_eff=%.4f\n", stolen / scanned
		if ("psi_some" in d) printf "psi_some_ms=%.1f\npsi_full_ms=%.1f\n", d["psi_some"] / 1000, d["psi_full"] / 1000
	}' "$1" "$2" "$3"
}

run_case() {
	id=$1
	shift
	d=$RESULTS/$id
	mkdir -p "$d"
	echo 0 >$t/tracing_on
	echo >$t/trace
	echo 4096 >$t/buffer_size_kb
	echo 1 >$t/events/vmscan/mm_shrink_slab_start/enable
	echo 1 >$t/events/vmscan/mm_shrink_slab_end/enable
	snap /tmp/snap0
	echo 1 >$t/tracing_on
	"$@" -o "$d" >"$d/stdout.log" 2>&1
	echo $? >"$d/exit_status"
	echo 0 >$t/tracing_on
	snap /tmp/snap1
	grep mmu_shrink_scan $t/trace >/tmp/trace.mmu || true
	reclaim_txt /tmp/snap0 /tmp/snap1 /tmp/trace.mmu >"$d/reclaim.txt"
	sed -n 's/^shrinker_freed=\([1-9][0-9]*\)$/objects_freed=\1/p' "$d/reclaim.txt" >"$d/freed.txt"
	[ -s "$d/freed.txt" ] || rm "$d/freed.txt"
	k=$(sed -n 's/^oom_kills=//p' "$d/reclaim.txt")
	[ "${k:-0}" = 0 ] || dmesg | grep 'Killed process' | tail -n "$k" >"$d/oom"
	tail -n 3 "$d/stdout.log"
}

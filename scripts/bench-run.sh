#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-run.sh <results> <variant> <mode> <rep> <cases>: one boot of a
# variant (with MEM and TIMING) running the bench cases
# ("id|group|pressure|param|args|mem|timing" lines) in order.
# Each case lands in <results>/runs/<mode>-<variant>-r<rep>-<id>/ with a
# meta.txt; a case whose boot failed is kept with status=failed.
# BENCH_FILES: files or directories put next to the job (run.sh's extra
# files), e.g. the realguest bundle as /job/realguest.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
res=$1 v=$2 mode=$3 rep=$4 cases=$5
timing=${TIMING:-real}
check_timing "$timing"
out=$res/boots/$mode-$v-r$rep-${MEM:-4G}-$timing
# icount runs the CPUs round-robin on one host thread: slower.
tmo=900
[ "$timing" = real ] || tmo=1800
job=$(mktemp)
trap 'rm -f "$job"' EXIT

# The guest side: the workload per case, with the shrinker's own tracepoint
# counting what reclaim freed (debugfs scans bypass it: the workload's
# shrinker_count samples cover those).
cat >"$job" <<'SH'
t=/sys/kernel/tracing
# in_cgroup <name> <command...>: run the command (the workload) charged to
# cgroup <name>, then move this shell back to the root cgroup.
in_cgroup() {
	c=/sys/fs/cgroup/$1
	shift
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p "$c"
	echo $$ >"$c/cgroup.procs"
	"$@"
	rc=$?
	echo $$ >/sys/fs/cgroup/cgroup.procs
	return $rc
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
run_case() {
	id=$1
	shift
	d=$RESULTS/$id
	mkdir -p "$d"
	echo 0 >$t/tracing_on; echo >$t/trace
	echo 1 >$t/events/vmscan/mm_shrink_slab_end/enable; echo 1 >$t/tracing_on
	"$@" -o "$d" >"$d/stdout.log" 2>&1
	echo $? >"$d/exit_status"
	echo 0 >$t/tracing_on
	grep mmu_shrink_scan $t/trace |
		sed -n 's/.*last shrinker return val \([0-9-]*\).*/\1/p' |
		awk '$1 > 0 { s += $1 } END { if (s > 0) print "objects_freed=" s }' >"$d/freed.txt"
	[ -s "$d/freed.txt" ] || rm "$d/freed.txt"
	dmesg | grep -q 'invoked oom-killer' && echo oom >"$d/oom"
	tail -n 3 "$d/stdout.log"
}
SH
echo "$cases" | while IFS='|' read -r id group pressure param args _; do
	case $args in
	in_cgroup* | with_vms*)
		# shellcheck disable=SC2086 # the wrapper and its argument
		set -- $args
		echo "echo \"== $id\"; run_case $id $1 $2 /kvm/mmu_reclaim_perf ${args#"$1 $2 "}" ;;
	ovh\ *) echo "echo \"== $id\"; run_case $id sh ./ovh-run.sh ${args#ovh }" ;;
	*) echo "echo \"== $id\"; run_case $id /kvm/mmu_reclaim_perf $args" ;;
	esac
done >>"$job"

echo "bench: $v, $mode, rep $rep: $(echo "$cases" | cut -d'|' -f1 | tr '\n' ' ')"
rc=0
# shellcheck disable=SC2086
"$TOP/scripts/run.sh" -v "$v" -m "$mode" -t "${TIMEOUT:-$tmo}" -T "$timing" -o "$out" "$job" \
	"$TOP/scripts/guest/ovh-run.sh" ${BENCH_FILES:-} \
	>"$out.log" 2>&1 || rc=$?
reason=$(grep -m1 '^error:' "$out.log" || true)
# A splat, a CPU missing or the wrong MMU mode fails every case of the
# boot, whose results may still have come back.
boot_err=$(grep '^error:' "$out.log" | grep -v -m1 '^error: guest job exited' || true)
echo "$cases" | while IFS='|' read -r id group pressure param args _; do
	d=$res/runs/$mode-$v-r$rep-$id
	mkdir -p "$d"
	status=ok
	if [ -f "$out/$id/exit_status" ]; then
		cp "$out/$id"/* "$d/"
		st=$(cat "$out/$id/exit_status")
		if [ "$st" != 0 ]; then
			status=failed
			reason="workload exit $st: $(grep -m1 '^result=' "$d/run.txt" 2>/dev/null || tail -n1 "$d/stdout.log")"
		fi
	else
		status=failed
		[ $rc = 0 ] && reason="no result for case $id"
	fi
	if [ -n "$boot_err" ]; then
		status=failed
		reason=$boot_err
	fi
	{
		echo "scenario=$group"
		echo "variant=$v"
		echo "mode=$mode"
		echo "pressure=$pressure"
		[ -z "$param" ] || echo "param=$param"
		echo "rep=$rep"
		echo "timing=$timing"
		echo "status=$status"
		[ "$status" = ok ] || echo "reason=$reason (log: $out.log)"
		echo "kernel=$(kernel_version)"
	} >"$d/meta.txt"
	[ "$status" = ok ] || echo "bench: $v/$mode rep $rep $id FAILED: $reason (log: $out.log)" >&2
done

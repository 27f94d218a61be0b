#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-run.sh <results> <variant> <mode> <rep> <case file>: one boot of a
# variant (with MEM and TIMING) running the bench cases of the file
# ("id|group|pressure|param|args|mem|timing" lines) in order.
# Each case lands in <results>/runs/<mode>-<variant>-r<rep>-<id>/ (moved
# there from the boot's directory) with a meta.txt; a case whose boot
# failed is kept with status=failed.
# BENCH_FILES: files or directories put next to the job (run.sh's extra
# files), e.g. the realguest bundle as /job/realguest.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
res=$1 v=$2 mode=$3 rep=$4
cases=$(cat "$5") || die "bench-run: no case file $5"
timing=${TIMING:-real}
check_timing "$timing"
out=$res/boots/$mode-$v-r$rep-${MEM:-4G}-$timing
# icount runs the CPUs round-robin on one host thread: slower.
tmo=900
[ "$timing" = real ] || tmo=1800
job=$(mktemp)
trap 'rm -f "$job"' EXIT

# The guest side: scripts/guest/bench-lib.sh's run_case per case.
echo ". ./bench-lib.sh" >"$job"
echo "$cases" | while IFS='|' read -r id group pressure param args _; do
	echo "echo \"== $id\""
	# memcg reclaim swaps out the cgroup's anonymous memory: zram first.
	[ "$pressure" != memcg ] ||
		echo "/mm/overcommit -Z >/dev/null || echo 'bench: no zram swap for $id'"
	# Wrappers (in_cgroup <name>, with_vms <n>) lead, in that order.
	wrap=""
	# shellcheck disable=SC2086 # the case's arguments, word by word
	set -- $args
	while [ $# -ge 2 ] && { [ "$1" = in_cgroup ] || [ "$1" = with_vms ]; }; do
		wrap="$wrap$1 $2 "
		args=${args#"$1 $2 "}
		shift 2
	done
	case $args in
	ovh\ *) echo "run_case $id sh ./ovh-run.sh ${args#ovh }" ;;
	# A workload that names its program (mmu_realguest_perf).
	mmu_*) echo "run_case $id $wrap/kvm/$args" ;;
	*) echo "run_case $id $wrap/kvm/mmu_reclaim_perf $args" ;;
	esac
done >>"$job"

echo "bench: $v, $mode, rep $rep: $(echo "$cases" | cut -d'|' -f1 | tr '\n' ' ')"
# shellcheck disable=SC2206 # BENCH_FILES: a list of paths
args=(-v "$v" -m "$mode" -t "${TIMEOUT:-$tmo}" -T "$timing" -o "$out" "$job"
	"$TOP/scripts/guest/bench-lib.sh" "$TOP/scripts/guest/ovh-run.sh" ${BENCH_FILES:-})
if [ "${DRY_RUN:-0}" = 1 ]; then
	grep -v '^\. ' "$job" | sed 's/^/  job: /'
	"$TOP/scripts/run.sh" -n "${args[@]}" | grep '^qemu:' | sed 's/^/  /'
	exit "${PIPESTATUS[0]}"
fi
rc=0
"$TOP/scripts/run.sh" "${args[@]}" >"$out.log" 2>&1 || rc=$?
first_err=$(grep -m1 '^error:' "$out.log" || true)
# A splat, a CPU missing or the wrong MMU mode fails every case of the
# boot, whose results may still have come back.
boot_err=$(grep '^error:' "$out.log" | grep -v -m1 '^error: guest job exited' || true)
# A global OOM kill fails the boot (dmesg-check.sh); when it is the only
# splat, only the cases it happened in can fail (their oom file).
oom_only=0
if [ -n "$boot_err" ] && [ -f "$out/dmesg-check.txt" ]; then
	kinds=$(awk -F': ' '$1 !~ /^dmesg-check/ && NF > 1 { sub(/.*:/, "", $1); print $1 }' \
		"$out/dmesg-check.txt" | sort -u | tr '\n' ' ')
	[ "$kinds" != "oom " ] || oom_only=1
fi
echo "$cases" | while IFS='|' read -r id group pressure param args _; do
	d=$res/runs/$mode-$v-r$rep-$id
	mkdir -p "$d"
	status=ok
	reason=$first_err
	if [ -f "$out/$id/exit_status" ]; then
		mv "$out/$id"/* "$d/"
		rmdir "$out/$id"
		st=$(cat "$d/exit_status")
		if [ "$st" != 0 ]; then
			status=failed
			reason="workload exit $st: $(grep -m1 '^result=' "$d/run.txt" 2>/dev/null || tail -n1 "$d/stdout.log")"
		fi
	else
		status=failed
		[ $rc = 0 ] && reason="no result for case $id"
	fi
	# stress-ng makes its workers the OOM killer's first choice
	# (oom_score_adj 1000) and restarts them: that kill is part of its
	# overcommit.  Any other victim (a guest, the workload) fails the case.
	victim="" note=""
	if [ -f "$d/oom" ]; then
		victim=$(grep -v -m1 'Killed process [0-9]* (stress-ng' "$d/oom" || true)
		[ -n "$victim" ] ||
			note="the OOM killer took $(grep -c . "$d/oom") stress-ng worker(s), which stress-ng restarted"
	fi
	if [ -n "$boot_err" ] && [ $oom_only = 0 ]; then
		status=failed
		reason=$boot_err
	fi
	if [ -n "$victim" ]; then
		status=failed
		reason="OOM kill during the case: ${victim#\[*\] }"
	fi
	# A reclaim pressure that scanned no page and stalled no task measured
	# nothing: the case is invalid, not a pass.
	case $pressure in
	overcommit | stressng | memcg)
		if [ $status = ok ] && [ -f "$d/reclaim.txt" ] &&
			awk -F= '{ v[$1] = $2 } END { exit !(v["pgscan_kswapd"] + v["pgscan_direct"] == 0 &&
				v["psi_some_ms"] + 0 == 0) }' "$d/reclaim.txt"; then
			status=failed
			reason="invalid: the $pressure pressure never reached reclaim (no page scanned, no memory stall)"
		fi ;;
	esac
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
		[ -z "$note" ] || echo "note=$note"
		echo "kernel=$(kernel_version)"
	} >"$d/meta.txt"
	[ "$status" = ok ] || echo "bench: $v/$mode rep $rep $id FAILED: $reason (log: $out.log)" >&2
done

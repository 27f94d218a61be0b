#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the variants under QEMU, run the workload
# (selftests/kvm/perf/mmu_reclaim_perf) under memory pressure, and report
# old vs new side by side in results/<timestamp>/.
#
#   SCENARIO  boot | degradation | pagelimit | overhead | default (boot,
#             degradation, pagelimit)
#   FULL=1    every pressure kind, both MMU modes, more page limits
#   REPS      repetitions of each run (default 3; interleaved ABAB)
#   VARIANTS  variants to compare (default: all; the first is the baseline)
set -eu
. "$(dirname "$0")/lib.sh"

SCENARIO=${SCENARIO:-default}
FULL=${FULL:-0}
REPS=${REPS:-3}
VARIANTS=${VARIANTS:-$(variant_names | tr '\n' ' ')}
check_variants "$VARIANTS"
case "$REPS" in '' | *[!0-9]* | 0) die "REPS='$REPS' is not a positive number" ;; esac
case "$FULL" in 0 | 1) ;; *) die "FULL='$FULL' must be 0 or 1" ;; esac

if [ "$FULL" = 1 ]; then
	modes=${MODES:-"shadow tdp-legacy"}
	pressures=${PRESSURES:-"scan dropcaches overcommit memcg"}
	limits=${LIMITS:-"64 128 256"}
else
	modes=${MODES:-shadow}
	pressures=${PRESSURES:-"scan dropcaches"}
	limits=${LIMITS:-"128"}
fi
for m in $modes; do check_mode "$m"; done
case "$SCENARIO" in
default) scenarios="boot degradation pagelimit" ;;
all) scenarios="boot degradation pagelimit overhead" ;;
boot | degradation | pagelimit | overhead) scenarios=$SCENARIO ;;
*) die "unknown SCENARIO '$SCENARIO' (known: default all boot degradation pagelimit overhead)" ;;
esac

# The workload: vCPUs x memory, phases in seconds.  Sized so that one run
# takes about 30 s of guest time under TCG.
WL=${WL:-"-v 2 -b 32M -W 2 -S 6 -P 6 -R 8 -i 250"}
pressure_cmd() {
	case "$1" in
	scan) echo "/mm/shrinkscan -n 500 -r 5" ;;
	dropcaches) echo "/mm/dropcaches -r 2" ;;
	overcommit) echo "/mm/overcommit -p 110" ;;
	memcg) echo "/mm/memcg-squeeze -g bench -f 60% -s 10%" ;;
	*) die "unknown pressure '$1' (known: scan dropcaches overcommit memcg)" ;;
	esac
}
for p in $pressures; do pressure_cmd "$p" >/dev/null; done
for l in $limits; do
	case "$l" in '' | *[!0-9]*) die "page limit '$l' is not a number" ;; esac
	[ "$l" -ge 64 ] || die "page limit $l is below KVM's minimum of 64"
done

# cases <scenario>: "id|group|pressure|param|workload args" lines.
cases() {
	local p l
	case "$1" in
	degradation)
		# overcommit needs a long pressure phase to reach reclaim under
		# TCG; memcg needs the VM charged to the cgroup it squeezes, and a
		# cold set so that the squeeze reclaims instead of OOM-killing.
		for p in $pressures; do
			case $p in
			overcommit) echo "deg-$p|degradation|$p||$WL -P 30 -p '$(pressure_cmd "$p")'" ;;
			memcg) echo "deg-$p|degradation|$p||in_cgroup bench $WL -H 25 -C 2000 -p '$(pressure_cmd "$p")'" ;;
			*) echo "deg-$p|degradation|$p||$WL -p '$(pressure_cmd "$p")'" ;;
			esac
		done ;;
	pagelimit)
		for l in $limits; do
			# 512 MiB needs 256 last-level shadow pages: over every limit.
			echo "lim-$l|pagelimit|none|$l|-v 1 -b 512M -W 2 -S 10 -P 0 -R 0 -i 250 -H 10 -C 4 -n $l"
		done ;;
	overhead)
		echo "ovh|overhead|none||-v 2 -b 64M -W 0 -S 4 -P 0 -R 0" ;;
	esac
}

"$TOP/scripts/deps.sh"
for v in $VARIANTS; do "$TOP/scripts/kernel.sh" "$v" host; done
"$TOP/scripts/initramfs.sh"
make -s -C "$TOP/scripts/report" O="$BUILD/report" >/dev/null
mmstat=$BUILD/report/mmstat

res=$TOP/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$res/runs" "$res/boots"
kver=$(kernel_version)
start=$(date +%s)
{
	echo "command: make bench SCENARIO=$SCENARIO FULL=$FULL REPS=$REPS VARIANTS=\"$VARIANTS\""
	echo "kernel: $kver; variants: $VARIANTS; modes: $modes"
	echo "machine: $(nproc) CPUs, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(uname -m), accel: $("$TOP/scripts/accel.sh")"
	echo "workload: mmu_reclaim_perf $WL"
} | tee "$res/info.txt"

for s in $scenarios; do
	[ "$s" = boot ] || continue
	for m in $modes; do
		MODE=$m "$TOP/scripts/bench-boot.sh" "$res/boots" $VARIANTS | tee -a "$res/boot.txt"
	done
done

# One boot per (rep, mode, variant), variants interleaved within a rep.
jobs=$(for s in $scenarios; do cases "$s"; done)
[ -n "$jobs" ] || { echo "results: $res"; exit 0; }
for rep in $(seq 1 "$REPS"); do
	for m in $modes; do
		for v in $VARIANTS; do
			"$TOP/scripts/bench-run.sh" "$res" "$v" "$m" "$rep" "$jobs"
		done
	done
done
echo "bench: runs took $(($(date +%s) - start)) s"
"$TOP/scripts/report.sh" "$res" "$(echo "$VARIANTS" | awk '{ print $1 }')"

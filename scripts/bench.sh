#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the variants under QEMU, run the workload
# (selftests/kvm/perf/mmu_reclaim_perf) under memory pressure, and report
# old vs new side by side in results/<timestamp>/ (or OUT).
#
#   SCENARIO  default (boot degradation pagelimit overhead scale) | all
#             (the same) | boot | degradation | pagelimit | overhead |
#             scale | smoke (one short scan case, for make check) |
#             realguest (a real guest OS run by QEMU with KVM inside the
#             booted kernel; not part of default/all)
#   FULL=1    every pressure kind, both MMU modes, more page limits and
#             VM x vCPU shapes, all variants
#   REPS      repetitions of each run (default 3, realguest 5;
#             interleaved ABAB)
#   VARIANTS  variants to compare (default: base cache lru, FULL=1: all;
#             the first is the baseline)
#   MEM       memory of the booted kernel (default 4G)
#   MODES, PRESSURES, LIMITS, SHAPES  override the lists FULL picks
#             (modes: shadow tdp-legacy tdp; default shadow, FULL=1 all)
#   RG_VMS, RG_HOSTMEM  realguest: guests at once (default 2, 1-4) and the
#             booted kernel's memory for its cases (default 1536M)
#   TIMING    real or icount for every case (default: icount for the
#             overhead scenario, which measures instruction path length,
#             real for the others); icount runs QEMU with -icount
#   ACCEL     auto (default), kvm, tcg or tcg-single; icount needs TCG
#   OUT       results directory (default results/<timestamp>)
#   PREBUILT=1  use the kernels in build/obj as they are (no kernel.sh,
#             e.g. in a second worktree sharing them); missing one fails
#   DRY_RUN=1 print the case matrix, each boot's cases and its QEMU
#             command, and stop: nothing is installed, built or booted
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# = 0 ] || die "bench.sh takes no arguments (got '$*'): set SCENARIO, FULL, REPS, VARIANTS, MODES, MEM or OUT"
no_mode_var
[ -z "${TIMING:-}" ] || check_timing "$TIMING"
check_accel "${ACCEL:-auto}" "${TIMING:-}"
SCENARIO=${SCENARIO:-default}
FULL=${FULL:-0}
# realguest: n = 5 for Welch's test on boots that differ by tens of %.
[ "$SCENARIO" != realguest ] || REPS=${REPS:-5}
REPS=${REPS:-3}
case "$REPS" in '' | *[!0-9]* | 0) die "REPS='$REPS' is not a positive number" ;; esac
case "$FULL" in 0 | 1) ;; *) die "FULL='$FULL' must be 0 or 1" ;; esac

if [ "$FULL" = 1 ]; then
	VARIANTS=${VARIANTS:-$(variant_names | tr '\n' ' ')}
	modes=${MODES:-$ALL_MODES}
	pressures=${PRESSURES:-"scan dropcaches overcommit memcg"}
	limits=${LIMITS:-"64 128 256"}
	# 32x8 needs MEM=8G, too much for the overcommit case to reach reclaim.
	shapes=${SHAPES:-"1x1 4x2 8x4 16x8"}
	export MEM=${MEM:-4G}
else
	# noop (no shrinker at all) is a step of the series; FULL=1 has it.
	VARIANTS=${VARIANTS:-"base cache lru"}
	# The overhead scenario alone measures every mode, as reviewers asked.
	modes=${MODES:-shadow}
	[ "$SCENARIO" != overhead ] || modes=${MODES:-$ALL_MODES}
	pressures=${PRESSURES:-"scan dropcaches"}
	[ "$SCENARIO" != realguest ] || pressures=${PRESSURES:-"dropcaches3 stressng memcg"}
	limits=${LIMITS:-"128"}
	shapes=${SHAPES:-"1x1 4x4"}
	export MEM=${MEM:-4G}
fi
check_variants "$VARIANTS"
baseline=$(echo "$VARIANTS" | awk '{ print $1 }')
for m in $modes; do check_mode "$m"; done
case "$SCENARIO" in
default | all) scenarios="boot degradation pagelimit overhead scale" ;;
boot | degradation | pagelimit | overhead | scale | smoke | realguest) scenarios=$SCENARIO ;;
*) die "unknown SCENARIO '$SCENARIO' (known: default all boot degradation pagelimit overhead scale smoke realguest)" ;;
esac
case "${PREBUILT:-0}" in 0 | 1) ;; *) die "PREBUILT='$PREBUILT' must be 0 or 1" ;; esac
DRY_RUN=${DRY_RUN:-0}
case "$DRY_RUN" in 0 | 1) ;; *) die "DRY_RUN='$DRY_RUN' must be 0 or 1" ;; esac
export DRY_RUN

# The workload: vCPUs x memory, phases in seconds.  Sized so that one run
# takes about 30 s of guest time under TCG.
WL=${WL:-"-v 2 -b 32M -W 2 -S 6 -P 6 -R 8 -i 250"}
# The realguest workload: mmu_reclaim_perf measuring a real guest (a
# 256 MiB, 1-vCPU Linux running rgload, see scripts/realguest/) that
# boots in 5-15 s of the warmup; it reports every 4 operations.  RG_VMS
# guests run at once (the others the same, unmeasured), so that the
# shadow MMU reclaim sees holds thousands of pages; the booted kernel has
# RG_HOSTMEM, small enough for stress-ng to overcommit it in seconds.
RG=${RG:-"-x '/job/realguest/run-guest -w 2 -s 1024 -m 1 -r 4' -B 180 -W 3 -S 10 -P 10 -R 10 -i 500"}
RG_VMS=${RG_VMS:-2}
RG_HOSTMEM=${RG_HOSTMEM:-1536M}
case "$RG_VMS" in [1-4]) ;; *) die "RG_VMS='$RG_VMS' is not 1 to 4 guests" ;; esac
pressure_cmd() {
	case "$1" in
	scan) echo "/mm/shrinkscan -n 500 -r 5" ;;
	dropcaches) echo "/mm/dropcaches -r 2" ;;
	dropcaches3) echo "/mm/dropcaches -r 2 -v 3" ;;
	overcommit) echo "/mm/overcommit -p 110" ;;
	stressng) echo "/mm/overcommit -e stress-ng -P -n 2 -p 110" ;;
	memcg) echo "/mm/memcg-squeeze -g bench -f 60% -s 10%" ;;
	*) die "unknown pressure '$1' (known: scan dropcaches dropcaches3 overcommit stressng memcg)" ;;
	esac
}
for p in $pressures; do pressure_cmd "$p" >/dev/null; done
for l in $limits; do
	case "$l" in '' | *[!0-9]*) die "page limit '$l' is not a number" ;; esac
	[ "$l" -ge 64 ] || die "page limit $l is below KVM's minimum of 64"
done
for s in $shapes; do
	case "$s" in
	[1-9]x[1-8] | [1-9][0-9]x[1-8]) ;;
	*) die "VM shape '$s' is not <VMs>x<vCPUs> with 1-99 VMs and 1-8 vCPUs" ;;
	esac
done

# cases <scenario>: "id|group|pressure|param|workload args|[mem]|timing"
# lines.  Args may start with a guest wrapper (in_cgroup <name>, with_vms
# <n>).  mem: the booted kernel's memory for that case (default MEM);
# cases of another size or timing boot on their own.
cases() {
	local p l s k v
	case "$1" in
	degradation)
		# overcommit needs a long pressure phase and a small booted kernel
		# (1G) to reach reclaim under TCG; memcg needs the VM charged to
		# the cgroup it squeezes, and a cold set so that the squeeze
		# reclaims instead of OOM-killing.
		for p in $pressures; do
			case $p in
			overcommit) echo "deg-$p|degradation|$p||$WL -P 30 -p '$(pressure_cmd "$p")'|1G" ;;
			memcg) echo "deg-$p|degradation|$p||in_cgroup bench $WL -H 25 -C 2000 -p '$(pressure_cmd "$p")'|1G" ;;
			*) echo "deg-$p|degradation|$p||$WL -p '$(pressure_cmd "$p")'" ;;
			esac
		done ;;
	pagelimit)
		for l in $limits; do
			# 512 MiB needs 256 last-level shadow pages: over every limit.
			echo "lim-$l|pagelimit|none|$l|-v 1 -b 512M -W 2 -S 10 -P 0 -R 0 -i 250 -H 10 -C 4 -n $l"
		done ;;
	overhead)
		# The fault path (Documentation/harness.md): three workloads at 1,
		# 2 and 4 vCPUs of 16 MiB each, with the shrinker idle and with
		# it scanning (one 128-object scan_objects call, drop_caches'
		# batch, 10 times a guest second), under icount by default.
		for k in idle scan; do
			bg=""
			[ $k = idle ] || bg="-s '/mm/shrinkscan -n 128 -r 10'"
			for v in 1 2 4; do
				echo "ovh-rp-${v}v-$k|overhead|$k|reclaim_perf-${v}v|ovh $bg mmu_reclaim_perf -v $v -b 16M -W 0 -S 1 -P 0 -R 0"
				echo "ovh-dp-${v}v-$k|overhead|$k|demand_paging-${v}v|ovh $bg demand_paging_test -v $v -b 16M"
				echo "ovh-dl-${v}v-$k|overhead|$k|dirty_log-${v}v|ovh $bg dirty_log_perf_test -v $v -b 16M -i 3"
			done
		done ;;
	scale)
		# <n> VMs of <v> vCPUs, 160 MiB each under a 64-page limit, so
		# every vCPU keeps refaulting (80 leaf shadow pages > 64) while
		# the first VM's pressure phase times count and scan.
		for s in $shapes; do
			k=${s%x*} v=${s#*x}
			echo "scale-$s|scale|scan|$s|with_vms $k -v $v -b $((160 / v))M -n 64 -W 3 -S 4 -P 6 -R 2 -i 500 -p '/mm/shrinkscan -n 500 -r 10 -o \$RESULTS/scale-$s/scan.csv'"
		done ;;
	smoke)
		echo "smoke|smoke|scan||-v 1 -b 8M -W 1 -S 2 -P 2 -R 2 -i 100 -p '$(pressure_cmd scan)'" ;;
	realguest)
		# memcg: every guest's QEMU in the squeezed cgroup, to 85 % of
		# what it holds (a real guest's memory is hot: at 75 % one of
		# three squeezes OOM-killed a guest).  The reclaim pressures get 20 s: stress-ng's populate and
		# the squeeze's steps take some of it.
		for p in $pressures; do
			w="with_vms $RG_VMS" ph="" cmd=$(pressure_cmd "$p")
			case $p in
			memcg)
				w="in_cgroup bench $w" ph=" -P 20"
				cmd="/mm/memcg-squeeze -g bench -f 85% -s 5%" ;;
			overcommit) ph=" -P 20" ;;
			# stress-ng stops itself after 12 s: freeing 1.3 GiB, much
			# of it in swap, took over the 5 s grace after SIGTERM.
			stressng) ph=" -P 20" cmd="$cmd -d 12" ;;
			esac
			echo "rg-$p|realguest|$p||$w $RG$ph -p '$cmd'|$RG_HOSTMEM"
		done ;;
	esac
}
# timing: TIMING, else icount for the overhead cases and real for the rest.
jobs=$(for s in $scenarios; do cases "$s"; done) || exit 1
jobs=$(echo "$jobs" | awk -F'|' -v t="${TIMING:-}" -v OFS='|' 'NF {
	$7 = t != "" ? t : ($2 == "overhead" ? "icount" : "real"); print }')

# Fail before anything runs when a case does not fit in the booted kernel:
# its guest memory (vCPUs x bytes x VMs) plus 512 MiB for the kernel,
# initramfs and tools must fit in MEM.
mib() {	# mib <size>: 512M, 4G, 1024 (MiB) -> MiB
	case "$1" in
	*[Gg]) echo $((${1%[Gg]} * 1024)) ;;
	*[Mm]) echo "${1%[Mm]}" ;;
	*[!0-9]* | '') die "size '$1' is not <n>, <n>M or <n>G" ;;
	*) echo "$1" ;;
	esac
}
echo "$jobs" | while IFS='|' read -r id _ _ _ args mem _; do
	[ -n "$id" ] || continue
	memmib=$(mib "${mem:-$MEM}")
	# The case's arguments word by word, without the quoted commands
	# (-x, -p), whose own flags are not the workload's.
	# shellcheck disable=SC2046,SC2001 # words wanted; a regex, not a glob
	set -- $(echo "$args" | sed "s/'[^']*'//g")
	v=1 b="" k=1
	while [ $# -gt 0 ]; do
		case $1 in
		with_vms) k=$2 ;;
		-v) v=$2 ;;
		-b) b=$2 ;;
		# A real guest: run-guest's RG_MEM default.
		-x) b=${RG_MEM:-256M} ;;
		esac
		shift
	done
	need=$((k * v * $(mib "${b:-32M}") + 512))
	[ "$need" -le "$memmib" ] ||
		die "case $id needs $need MiB (guest memory + 512 MiB), more than MEM=${mem:-$MEM}: raise MEM or shrink the case"
done

if [ "$DRY_RUN" = 1 ]; then
	echo "dry run: the cases (id|group|pressure|param|workload|mem|timing):"
	# shellcheck disable=SC2001 # a prefix on every line
	echo "$jobs" | sed 's/^/  /'
fi
[ "$DRY_RUN" = 1 ] || "$TOP/scripts/deps.sh"
for v in $VARIANTS; do
	[ "$DRY_RUN" = 0 ] || continue
	if [ "${PREBUILT:-0}" = 1 ]; then
		[ -f "$(kernel_obj "$v")/arch/x86/boot/bzImage" ] ||
			die "PREBUILT=1 but there is no kernel for $v in $(kernel_obj "$v")"
	else
		"$TOP/scripts/kernel.sh" "$v" host
	fi
done
# The real guest runs the baseline's kernel in every variant's boot.
case " $scenarios " in
*" realguest "*)
	[ "$DRY_RUN" = 1 ] ||
		"$TOP/scripts/realguest.sh" "$(kernel_obj "$baseline")/arch/x86/boot/bzImage"
	export BENCH_FILES=$BUILD/realguest ;;
esac
if [ "$DRY_RUN" = 0 ]; then
	"$TOP/scripts/initramfs.sh"
	make -s -C "$TOP/scripts/report" O="$BUILD/report" >/dev/null
fi

res=${OUT:-$TOP/results/$(date +%Y%m%d-%H%M%S)}
info=$res/info.txt
if [ "$DRY_RUN" = 1 ]; then
	info=/dev/null
else
	mkdir -p "$res/runs" "$res/boots"
fi
kver=$(kernel_version || true)
start=$(date +%s)
{
	echo "command: make bench SCENARIO=$SCENARIO FULL=$FULL REPS=$REPS VARIANTS=\"$VARIANTS\" MODES=\"$modes\" MEM=$MEM${TIMING:+ TIMING=$TIMING}"
	echo "kernel: $kver; variants: $VARIANTS; modes: $modes"
	echo "timing: $(echo "$jobs" | awk -F'|' -v s="$ICOUNT_SHIFT" '$1 != "" {
		k = $7 == "icount" ? "icount shift=" s : $7
		if (!seen[k, $2]++) t[k] = t[k] " " $2 }
		END { for (k in t) printf "%s%s (%s)", n++ ? "; " : "", k, substr(t[k], 2) }')"
	echo "machine: $(nproc) CPUs, $(free -g | awk '/^Mem:/ { print $2 }') GiB, $(uname -m), accel: $("$TOP/scripts/accel.sh")"
	case " $scenarios " in
	*" realguest "*) echo "workload: mmu_reclaim_perf $RG; $RG_VMS guests at once, booted kernel $RG_HOSTMEM" ;;
	" overhead ") echo "workload: the overhead cases (scripts/guest/ovh-run.sh; Documentation/harness.md)" ;;
	*) echo "workload: mmu_reclaim_perf $WL" ;;
	esac
} | tee "$info"

for s in $scenarios; do
	[ "$s" = boot ] || continue
	for m in $modes; do
		# shellcheck disable=SC2086 # a list of variants
		if [ "$DRY_RUN" = 1 ]; then
			"$TOP/scripts/bench-boot.sh" "$res/boots" "$m" $VARIANTS
		else
			"$TOP/scripts/bench-boot.sh" "$res/boots" "$m" $VARIANTS | tee -a "$res/boot.txt"
		fi
	done
done

# One boot per (rep, mode, variant, memory size, timing), variants
# interleaved within a rep.
jobs=$(echo "$jobs" | grep -v '^|*$' || true)
[ -n "$jobs" ] || { echo "results: $res"; exit 0; }
groups=$(echo "$jobs" | awk -F'|' '{ print $6 "|" $7 }' | sort -u)
for rep in $(seq 1 "$REPS"); do
	for m in $modes; do
		for v in $VARIANTS; do
			for g in $groups; do
				mem=${g%|*} timing=${g#*|}
				sel=$(echo "$jobs" | awk -F'|' -v g="$g" '$6 "|" $7 == g')
				MEM=${mem:-$MEM} TIMING=$timing "$TOP/scripts/bench-run.sh" "$res" "$v" "$m" "$rep" "$sel"
			done
		done
	done
done
[ "$DRY_RUN" = 0 ] || { echo "dry run: nothing booted"; exit 0; }
echo "bench: runs took $(($(date +%s) - start)) s"
"$TOP/scripts/report.sh" "$res" "$baseline"
# The last line says how the cases went; any failed case fails the bench.
total=$(find "$res/runs" -name meta.txt | wc -l)
bad=$(grep -l '^status=failed' "$res"/runs/*/meta.txt 2>/dev/null | xargs -r -n1 dirname |
	xargs -r -n1 basename | tr '\n' ' ')
nbad=$(echo "$bad" | wc -w)
echo "bench: $total cases, $((total - nbad)) ok, $nbad failed${bad:+: $bad}; results: $res"
[ "$nbad" = 0 ] || die "$nbad of $total bench cases failed: ${bad% }" "$res/report.md"

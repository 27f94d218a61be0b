#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot the variants under QEMU, run the workload
# (selftests/kvm/perf/mmu_reclaim_perf) under memory pressure, and report
# old vs new side by side in results/<timestamp>/ (or OUT).  Each setting
# below is a flag, --name=value (--rg-vms=2; --full, --prebuilt and
# --dry-run alone mean 1); make bench NAME=value passes it as one.
#
#   SCENARIO  default (boot degradation pagelimit overhead scale) | all
#             (the same) | boot | a file of scripts/scenarios/: its cases,
#             one a line (degradation, pagelimit, overhead, scale, smoke:
#             one short scan case for make check, realguest: real guests
#             run by QEMU with KVM inside the booted kernel, not part of
#             default/all); adding a scenario is adding a file
#   FULL=1    every pressure kind, both MMU modes, more page limits and
#             VM x vCPU shapes, all variants
#   REPS      repetitions of each run (default 3, or the scenario's @reps;
#             interleaved ABAB)
#   VARIANTS  variants to compare (default: base cache lru, FULL=1: all;
#             the first is the baseline)
#   MEM       memory of the booted kernel (default 4G)
#   MODES, PRESSURES, LIMITS, SHAPES  override the lists FULL picks
#             (modes: shadow tdp-legacy tdp; default shadow, FULL=1 all)
#   RG_VMS, RG_HOSTMEM  realguest: guests at once (default 2, 1-4) and the
#             booted kernel's memory for its cases (default 1536M)
#   WL, RG    the workload of the scenarios whose cases say {WL}
#             (mmu_reclaim_perf's options: its own VM) or {RG}
#             (mmu_realguest_perf and its options: a real guest); defaults
#             below
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

parse_flags "KSRC VARIANTS MODES TIMING ACCEL SCENARIO FULL? REPS OUT MEM PRESSURES LIMITS SHAPES \
	PREBUILT? TIMEOUT RG_VMS RG_HOSTMEM WL RG DRY_RUN?" "$@"
no_mode_var
[ -z "${TIMING:-}" ] || check_timing "$TIMING"
check_accel "${ACCEL:-auto}" "${TIMING:-}"
SCENARIO=${SCENARIO:-default}
FULL=${FULL:-0}
# The scenarios: one file each in scripts/scenarios/ (boot is the boot
# summary, default and all the usual set).
sdir=$TOP/scripts/scenarios
known=""
for f in "$sdir"/*; do
	[ "${f##*/}" = pressures ] || known="$known${f##*/} "
done
case " default all boot $known" in
*" $SCENARIO "*) ;;
*) die "unknown SCENARIO '$SCENARIO' (known: default all boot ${known% })" ;;
esac
# directive <name>: the "@<name> value" line of the scenario's file, when
# SCENARIO names one: its default REPS, modes and pressures.
directive() {
	[ -f "$sdir/$SCENARIO" ] || return 0
	sed -n "s/^@$1 //p" "$sdir/$SCENARIO"
}
d=$(directive reps)
REPS=${REPS:-${d:-3}}
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
	d=$(directive modes)
	[ "$d" != all ] || d=$ALL_MODES
	modes=${MODES:-${d:-shadow}}
	d=$(directive pressures)
	pressures=${PRESSURES:-${d:-"scan dropcaches"}}
	limits=${LIMITS:-"128"}
	shapes=${SHAPES:-"1x1 4x4"}
	export MEM=${MEM:-4G}
fi
check_variants "$VARIANTS"
baseline=$(echo "$VARIANTS" | awk '{ print $1 }')
for m in $modes; do check_mode "$m"; done
case "$SCENARIO" in
default | all) scenarios="boot degradation pagelimit overhead scale" ;;
*) scenarios=$SCENARIO ;;
esac
# A setting that no selected scenario uses is an error, not ignored:
# applies <setting> <pattern>: the scenarios whose file has the pattern.
applies() {
	local v=$1 pat=$2 s users=""
	[ -n "${!v:-}" ] || return 0
	for s in $scenarios; do
		[ ! -f "$sdir/$s" ] || ! grep -v '^#' "$sdir/$s" | grep -qF -- "$pat" || return 0
	done
	for s in $known; do
		! grep -v '^#' "$sdir/$s" | grep -qF -- "$pat" || users="$users $s"
	done
	die "$v does not apply to SCENARIO=$SCENARIO (it applies to:$users)"
}
applies PRESSURES '|*|'
applies LIMITS '{l}'
applies SHAPES '{s}'
applies WL '{WL}'
applies RG '{RG}'
applies RG_VMS '{RG_VMS}'
applies RG_HOSTMEM '{RG_HOSTMEM}'
case "${PREBUILT:-0}" in 0 | 1) ;; *) die "PREBUILT='$PREBUILT' must be 0 or 1" ;; esac
DRY_RUN=${DRY_RUN:-0}
case "$DRY_RUN" in 0 | 1) ;; *) die "DRY_RUN='$DRY_RUN' must be 0 or 1" ;; esac
export DRY_RUN

# The workload: vCPUs x memory, phases in seconds.  Sized so that one run
# takes about 30 s of guest time under TCG.
WL=${WL:-"-v 2 -b 32M -W 2 -S 6 -P 6 -R 8 -i 250"}
# The realguest workload: mmu_realguest_perf measuring a real guest (a
# 256 MiB, 1-vCPU Linux running rgload, see scripts/realguest/) that
# boots in 5-15 s of the warmup; it reports every 4 operations.  RG_VMS
# guests run at once (the others the same, unmeasured), so that the
# shadow MMU reclaim sees holds thousands of pages; the booted kernel has
# RG_HOSTMEM, small enough for stress-ng to overcommit it in seconds.
RG=${RG:-"mmu_realguest_perf -c '/job/realguest/run-guest -w 2 -s 1024 -m 1 -r 4' -B 180 -W 3 -S 10 -P 10 -R 10 -i 500"}
RG_VMS=${RG_VMS:-2}
RG_HOSTMEM=${RG_HOSTMEM:-1536M}
case "$RG_VMS" in [1-4]) ;; *) die "RG_VMS='$RG_VMS' is not 1 to 4 guests" ;; esac
for p in $pressures; do
	grep -q "^$p|" "$sdir/pressures" ||
		die "unknown pressure '$p' (known: $(sed -n 's/^\([a-z0-9]*\)|.*/\1/p' "$sdir/pressures" | tr '\n' ' '| sed 's/ $//'))"
done
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

# cases <scenario>: its file's lines (id|pressure|param|mem|workload) as
# "id|group|pressure|param|workload args|mem" lines.  A file with a line of
# pressure * has one case per pressure of PRESSURES: the pressure's own
# line, else the * line; {l} lines are one case per limit of LIMITS, {s}
# lines one per VM shape of SHAPES ({k} VMs of {v} vCPUs, {vmib} = 160 /
# {v}).  {p} is the pressure, {press} its command; {WL}, {RG}, {RG_VMS}
# and {RG_HOSTMEM} the settings.  Args may start with guest wrappers
# (in_cgroup <name>, with_vms <n>).  mem: the booted kernel's memory for
# the case (default MEM); cases of another size or timing boot on their
# own.
cases() {
	[ "$1" != boot ] || return 0
	awk -F'|' -v g="$1" -v P="$pressures" -v L="$limits" -v S="$shapes" \
		-v WL="$WL" -v RG="$RG" -v RGV="$RG_VMS" -v RGM="$RG_HOSTMEM" '
	function put(s, k, v,  i) {	# s with every {k} replaced by v, literally
		while ((i = index(s, "{" k "}")) > 0)
			s = substr(s, 1, i - 1) v substr(s, i + length(k) + 2)
		return s
	}
	function emit(line, p,  f, n, a, i) {
		n = split(line, f, "|")
		if (p == "")
			p = f[2]
		a = line			# the workload: all after field 4
		for (i = 0; i < 4; i++)
			a = substr(a, index(a, "|") + 1)
		a = put(put(put(put(a, "WL", WL), "RG", RG), "RG_VMS", RGV), "press", cmd[p])
		print put(f[1], "p", p) "|" g "|" p "|" f[3] "|" put(a, "p", p) "|" put(f[4], "RG_HOSTMEM", RGM)
	}
	FNR == NR { cmd[$1] = substr($0, length($1) + 2); next }
	/^#/ || /^@/ || !NF { next }
	{ line[++nl] = $0; pr[nl] = $2; if ($2 == "*") star = nl }
	END {
		if (star) {
			np = split(P, ps, " ")
			for (i = 1; i <= np; i++) {
				for (j = 1; j <= nl && pr[j] != ps[i]; j++)
					;
				emit(j <= nl ? line[j] : line[star], ps[i])
			}
			exit
		}
		nlim = split(L, ls, " ")
		nsh = split(S, ss, " ")
		for (j = 1; j <= nl; j++) {
			if (index(line[j], "{l}")) {
				for (i = 1; i <= nlim; i++)
					emit(put(line[j], "l", ls[i]))
			} else if (index(line[j], "{s}")) {
				for (i = 1; i <= nsh; i++) {
					split(ss[i], kv, "x")
					emit(put(put(put(put(line[j], "s", ss[i]), "k", kv[1]), "v", kv[2]),
						"vmib", int(160 / kv[2])))
				}
			} else {
				emit(line[j])
			}
		}
	}' "$sdir/pressures" "$sdir/$1"
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
	# (-c, -p), whose own flags are not the workload's.
	# shellcheck disable=SC2046,SC2001 # words wanted; a regex, not a glob
	set -- $(echo "$args" | sed "s/'[^']*'//g")
	v=1 b="" k=1
	while [ $# -gt 0 ]; do
		case $1 in
		with_vms) k=$2 ;;
		-v) v=$2 ;;
		-b) b=$2 ;;
		# A real guest: run-guest's RG_MEM default.
		mmu_realguest_perf) b=${RG_MEM:-256M} ;;
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
	*" realguest "*) echo "workload: $RG; $RG_VMS guests at once, booted kernel $RG_HOSTMEM" ;;
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
# The matrix, and the case file of each boot in turn.
[ "$DRY_RUN" = 1 ] || echo "$jobs" >"$res/cases.txt"
cf=$(mktemp)
trap 'rm -f "$cf"' EXIT
for rep in $(seq 1 "$REPS"); do
	for m in $modes; do
		for v in $VARIANTS; do
			for g in $groups; do
				mem=${g%|*} timing=${g#*|}
				echo "$jobs" | awk -F'|' -v g="$g" '$6 "|" $7 == g' >"$cf"
				MEM=${mem:-$MEM} TIMING=$timing "$TOP/scripts/bench-run.sh" "$res" "$v" "$m" "$rep" "$cf"
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

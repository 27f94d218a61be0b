#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot a variant's kernel under QEMU and run a job inside it.
#
#   run.sh [-n] [-v variant] [-m mode] [-f flavour] [-t timeout_s] [-M mem]
#          [-s smp] [-T timing] [-a accel] [-k bzImage] [-o outdir]
#          (-c 'commands' | job.sh) [files...]
#
#   -n  dry run: print the QEMU command (and the job) and exit 0 without
#       booting; a kernel or initramfs not built yet is no error
#
#   -m  MMU mode: shadow, tdp-legacy or tdp (default shadow)
#   -s  CPUs of the booted kernel (default 2, 1 with -T icount); all must
#       come up
#   -T  timing: real (default) or icount (guest time counts instructions:
#       a run repeats to the instruction; TCG only).  icount runs the CPUs
#       round-robin on one host thread and switches them on a host-time
#       kick, so two CPUs bring back a run-to-run spread (22 % in a vCPU's
#       first faulting pass, against 0.03 % on one CPU): its default is one.
#   -a  accelerator: auto (default: KVM when /dev/kvm runs a guest), kvm,
#       tcg (MTTCG: a host thread per CPU) or tcg-single (every CPU on one
#       host thread, interleaved: QEMU 7.2's and 10.0's MTTCG break a
#       nested SVM host on two CPUs, Documentation/results.md, section 5)
#   -k  boot this kernel image instead of the variant's, e.g. an earlier
#       version of the series; the variant is then only a label
#
# The job (a shell script) runs in the guest with RESULTS pointing at a
# directory whose contents come back to <outdir>, together with
# output.log and exit_status, through a tar stream on a second virtio
# disk.  The guest's exit status becomes ours.  A splat that
# scripts/dmesg-check.sh finds (a warning, BUG, lockdep report, lockup,
# oops, panic, OOM, ...), a hang or a missing result is a non-zero exit
# with the console log's path.
# Extra files are put next to job.sh in the guest's working directory.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

no_mode_var
variant=base mode=shadow flavour=${FLAVOUR:-host} timing=${TIMING:-real}
accel_opt=${ACCEL:-auto} timeout=${TIMEOUT:-600} mem=${MEM:-4G} smp=""
out="" cmd="" image="" dry=0
usage="usage: run.sh [-n] [-v variant] [-m mode] [-f flavour] [-t timeout] [-M mem] [-s smp] [-T timing] [-a accel] [-k bzImage] [-o outdir] (-c cmds | job.sh) [files...]"
while getopts "nv:m:f:t:M:s:T:a:k:o:c:" o; do
	case $o in
	n) dry=1 ;;
	v) variant=$OPTARG ;;
	m) mode=$OPTARG ;;
	f) flavour=$OPTARG ;;
	t) timeout=$OPTARG ;;
	M) mem=$OPTARG ;;
	s) smp=$OPTARG ;;
	T) timing=$OPTARG ;;
	a) accel_opt=$OPTARG ;;
	k) image=$OPTARG ;;
	o) out=$OPTARG ;;
	c) cmd=$OPTARG ;;
	*) die "$usage" ;;
	esac
done
shift $((OPTIND - 1))
variant_count "$variant" >/dev/null
check_mode "$mode"
check_timing "$timing"
if [ -z "$smp" ]; then
	smp=2
	[ "$timing" = real ] || smp=1
fi
case "$timeout" in '' | *[!0-9]*) die "timeout '$timeout' is not a number of seconds" ;; esac
case "$smp" in [1-8]) ;; *) die "smp '$smp' is not a number of CPUs from 1 to 8 (CONFIG_NR_CPUS)" ;; esac
check_accel "$accel_opt" "$timing"
qemu=$(command -v "${QEMU:-qemu-system-x86_64}") ||
	die "${QEMU:-qemu-system-x86_64} not found: run scripts/deps.sh (package qemu-system-x86) or set QEMU"

kernel=$(kernel_obj "$variant" "$flavour")/arch/x86/boot/bzImage
initrd=$BUILD/initramfs.cpio.gz
if [ -n "$image" ]; then
	[ -f "$image" ] || die "-k $image: no such kernel image"
	kernel=$(realpath "$image")
fi
if [ $dry = 0 ]; then
	[ -f "$kernel" ] || die "no kernel for $variant ($flavour): run 'make kernels VARIANTS=$variant'"
	[ -f "$initrd" ] || die "no initramfs: run scripts/initramfs.sh"
fi
case "$accel_opt" in
auto) accel=$("$TOP/scripts/accel.sh") ;;
kvm) accel="-accel kvm -cpu host" ;;
tcg) accel="-accel tcg -cpu max" ;;
tcg-single) accel="-accel tcg,thread=single -cpu max" ;;
esac
# icount: no host randomness either (RDRAND seeds the kernel's RNG, which
# places the kernel, the stacks and mmaps), so that boots repeat.
norand=""
if [ "$timing" = icount ]; then
	accel="-accel tcg -cpu max,-rdrand,-rdseed -icount shift=$ICOUNT_SHIFT,sleep=off,align=off"
	norand="nokaslr norandmaps"
fi

[ -n "$out" ] || out=$BUILD/runs/$variant-$mode-$(date +%Y%m%d-%H%M%S)-$$
if [ $dry = 1 ]; then
	# Nothing is written: the command names the files it would use.
	work="<tmp>"
	{ [ -n "$cmd" ] || [ -f "${1:-}" ]; } || die "run.sh needs -c 'commands' or a job script"
	echo "job: ${cmd:-$*}"
else
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	work=$(mktemp -d "$BUILD/.run.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	mkdir "$work/job"
	if [ -n "$cmd" ]; then
		printf '%s\n' "$cmd" >"$work/job/job.sh"
	else
		{ [ $# -ge 1 ] && [ -f "$1" ]; } || die "run.sh needs -c 'commands' or a job script"
		cp "$1" "$work/job/job.sh"
		shift
	fi
	for f in "$@"; do cp -a "$f" "$work/job/"; done
	tar -C "$work/job" -cf "$work/in.tar" .
	# The input disk is padded to whole sectors; the output disk is sparse.
	truncate -s %512 "$work/in.tar"
	truncate -s 1G "$work/out.img"
fi

mmu=$(mode_params "$mode")
console=$out/console.log
# Under TCG on a loaded host the PIT calibration of the TSC can fail, which
# leaves KVM without a TSC frequency (KVM_GET_TSC_KHZ returns 0 and every
# selftest fails).  TCG's TSC runs at the host's rate: give it.  Under
# icount the TSC and the PIT both count instructions, so the kernel's own
# calibration is exact and a host rate would be wrong.
tsc=""
[ "$timing" = icount ] ||
	tsc=$(awk '/^cpu MHz/ { printf "tsc_early_khz=%d", $4 * 1000; exit }' /proc/cpuinfo)
# KASAN and 5-level paging (-cpu max has LA57) race at boot: identify_cpu()
# clears boot_cpu_data's capabilities before alternatives are patched, so a
# timer interrupt in that window sees pgtable_l5_enabled() false and KASAN
# reports its ff11... direct-map lock as a wild access (seen once in about
# 20 debug boots, before KVM loads).  Debug kernels run on 4-level paging.
l4=""
[ "$flavour" != debug ] || l4=no5lvl
# Under TCG with real timing the emulated CPUs lag the host clock, and a
# debug kernel (PREEMPT_NONE, KASAN) can hold one for over 20 s at boot: in one CI run the soft lockup watchdog (20 s) fired
# in three of the four debug boots, on PID 1 or migration/1, before /init
# ran.  syzkaller's x86_64 kernel configs set the same soft lockup and
# workqueue limits (three times these for emulated machines); a soft lockup
# (now 110 s), an RCU stall (100 s) or a workqueue stall (140 s) that
# does not end still shows within a boot's timeout.
stall=""
case $accel in
*tcg*) stall="watchdog_thresh=55 rcupdate.rcu_cpu_stall_timeout=100 workqueue.watchdog_thresh=140" ;;
esac
append="console=ttyS0 panic=-1 oops=panic printk.time=1 $tsc tsc=reliable $mmu $l4 $norand $stall ${GUEST_APPEND:-}"
read -ra accel_opts <<<"$accel"
qcmd=("$qemu" "${accel_opts[@]}" -smp "$smp" -m "$mem" -nodefaults -nographic -no-reboot
	-display none -serial "file:$console"
	-kernel "$kernel" -initrd "$initrd" -append "$append"
	-drive "file=$work/in.tar,if=virtio,format=raw,readonly=on"
	-drive "file=$work/out.img,if=virtio,format=raw")
echo "qemu: ${qcmd[*]}" | sed "s|$work|<tmp>|g"
if [ $dry = 1 ]; then
	echo "dry run: not booted"
	exit 0
fi
echo "kernel: $variant ($flavour, $mode), $(kernel_version)"
if [ "$timing" = icount ]; then
	echo "timing: icount shift=$ICOUNT_SHIFT (guest time counts instructions)"
else
	echo "timing: real"
fi

start=$(date +%s)
rc=0
timeout --kill-after=10 "$timeout" "${qcmd[@]}" </dev/null >"$out/qemu.log" 2>&1 || rc=$?
echo "run: $variant/$mode took $(($(date +%s) - start)) s"
if [ $rc = 124 ] || [ $rc = 137 ]; then
	die "guest timed out after $timeout s ($variant, $mode)" "$console"
elif [ $rc != 0 ]; then
	die "qemu exited with $rc: $(tail -n1 "$out/qemu.log")" "$out/qemu.log"
fi
tar -C "$out" -xf "$work/out.img" 2>/dev/null || true
# Any splat fails the run, and the first one in the log is named.
# dmesg-check.sh prints "<log>:<kind>: <line number>:<text>" per splat.
drc=0
"$TOP/scripts/dmesg-check.sh" "$console" >"$out/dmesg-check.txt" 2>&1 || drc=$?
[ $drc != 2 ] || die "the guest printed nothing on its console ($variant, $mode)" "$console"
if [ $drc != 0 ]; then
	line=$(awk -v c="$console:" 'index($0, c) == 1 {
			r = substr($0, length(c) + 1); sub(/^[a-z]*: /, "", r)
			n = r; sub(/:.*/, "", n); print n " " substr(r, length(n) + 2) }' \
		"$out/dmesg-check.txt" | sort -n | head -n1 | cut -d' ' -f2-)
	die "guest kernel: $line" "$console"
fi
[ -f "$out/exit_status" ] || die "guest returned no result ($variant, $mode)" "$console"
# What the booted kernel really ran on: every CPU asked for, the MMU mode.
cpus=$(sed -n 's/^cpus=//p' "$out/guest.txt" 2>/dev/null)
[ "$cpus" = "$smp" ] ||
	die "guest brought up ${cpus:-no} CPUs of -smp $smp ($variant, $mode)" "$console"
got=$(awk -F= '$1 == "tdp_mmu" { t = $2 } $1 == "npt" || $1 == "ept" { n = $2 }
	END { print t, n }' "$out/guest.txt")
[ "$got" = "$(mode_expect "$mode")" ] ||
	die "MMU mode $mode did not apply: kvm.tdp_mmu and npt/ept read '$got', want '$(mode_expect "$mode")'" "$console"
status=$(cat "$out/exit_status")
echo "guest: exit status $status, results in $out"
[ "$status" = 0 ] || echo "error: guest job exited $status ($variant, $mode) (log: $out/output.log)" >&2
exit "$status"

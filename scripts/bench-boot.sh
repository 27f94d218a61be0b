#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot summary (bench scenario "boot"): boot each variant in an MMU mode
# and print its kernel release, CPUs, KVM MMU parameters and the
# shrinker's debugfs name.  DRY_RUN=1: print each boot's QEMU command.
# Usage: bench-boot.sh <outdir> <mode> <variants...>
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
outdir=$1 mode=$2
shift 2
check_mode "$mode"
printf '%-8s %-10s %-38s %-s\n' variant mode release "kvm parameters / shrinker"
for v in "$@"; do
	if [ "${DRY_RUN:-0}" = 1 ]; then
		"$TOP/scripts/run.sh" -n -v "$v" -m "$mode" -T real -c 'boot summary' | grep '^qemu:'
		continue
	fi
	# shellcheck disable=SC2016 # the job's $(...) expand in the guest
	"$TOP/scripts/run.sh" -v "$v" -m "$mode" -t "${TIMEOUT:-300}" -T real -o "$outdir/$v-$mode" -c '
		echo "release=$(uname -r) ($(nproc) CPUs)"
		for p in /sys/module/kvm/parameters/tdp_mmu /sys/module/kvm_amd/parameters/npt \
			/sys/module/kvm_intel/parameters/ept; do
			[ -f $p ] && echo "param=${p#/sys/module/}=$(cat $p)"
		done
		echo "shrinker=$(ls -d /sys/kernel/debug/shrinker/x86-mmu-* 2>/dev/null | sed "s|.*/||")"
	' >"$outdir/$v-$mode.log" 2>&1 || die "boot of $v ($mode) failed" "$outdir/$v-$mode.log"
	o=$outdir/$v-$mode/output.log
	printf '%-8s %-10s %-38s %s; shrinker %s\n' "$v" "$mode" \
		"$(sed -n 's/^release=//p' "$o")" \
		"$(sed -n 's|^param=\([^/]*\)/parameters/|\1.|p' "$o" | tr '\n' ' ')" \
		"$(sed -n 's/^shrinker=//p' "$o")"
done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the QEMU accelerator options: KVM only when /dev/kvm really runs a
# guest (a short boot that must reach the BIOS's kernel loader), else TCG.
# The answer is cached in $BUILD/accel.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cache=$BUILD/accel
if [ ! -f "$cache" ]; then
	opt="-accel tcg -cpu max"
	if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
		# The probe: a guest that prints through the BIOS and exits.
		if timeout 20 "${QEMU:-qemu-system-x86_64}" -accel kvm -cpu host -nodefaults \
			-nographic -m 64 -serial stdio -no-reboot -kernel /dev/null 2>&1 |
			grep -q SeaBIOS; then
			opt="-accel kvm -cpu host"
		fi
	fi
	mkdir -p "$BUILD"
	echo "$opt" >"$cache"
fi
cat "$cache"

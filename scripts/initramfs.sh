#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs shared by all variants: busybox-static, the
# KVM selftests (upstream and ours, static) and the kernel's selftest
# runner, the mm/ tools, stress-ng and timeout with their shared
# libraries.  Output: $BUILD/initramfs.cpio.gz
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

root=$BUILD/initramfs
out=$BUILD/initramfs.cpio.gz
# Two runs at once (bench, stress) would share $root and $out.tmp; the
# image itself is replaced by a rename, which a boot in progress survives.
build_lock
log=$LOGS/initramfs.log
mkdir -p "$LOGS"
: >"$log"

"$TOP/scripts/selftests.sh"
make -s -C "$TOP/mm" O="$BUILD/mm" >>"$log" 2>&1 || die "building mm/ tools failed" "$log"

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,proc,sys,dev,tmp,kvm,mm,etc,lib,lib64,root}
cp /bin/busybox "$root/bin/busybox" || die "busybox-static missing: run scripts/deps.sh"
install -m 755 "$TOP/scripts/guest/init" "$root/init"
cp -a "$BUILD/selftests/kvm/bin/." "$root/kvm/"
mkdir -p "$BUILD/mm/bin"
cp -a "$BUILD/mm/bin/." "$root/mm/"

# The kernel's selftest runner, as the tree installs it
# (scripts/guest/run-tests.sh sets up a collection "kvm" beside it).
ksft=$BUILD/selftests-src/tools/testing/selftests
mkdir -p "$root/ksft"
cp -R "$ksft/run_kselftest.sh" "$ksft/kselftest" "$root/ksft/" ||
	die "no kselftest runner in $ksft"

# with_libs <program>: copy a dynamic program to /usr/bin with every
# library ldd names.  stress-ng; coreutils' timeout, which the runner
# looks for as /usr/bin/timeout (busybox's lacks --foreground).
with_libs() {
	local bin l
	bin=$(command -v "$1") || die "$1 missing: run scripts/deps.sh"
	cp "$bin" "$root/usr/bin/"
	for l in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$l")"
		cp -L "$l" "$root$l"
	done
}
with_libs stress-ng
with_libs timeout
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
info "initramfs: $out ($(du -h "$out" | cut -f1))"

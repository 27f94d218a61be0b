#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# realguest.sh <guest bzImage>: build the bundle of the realguest bench
# scenario in $BUILD/realguest/, which bench-run.sh hands to the booted
# kernel as a job file (it is not part of the shared initramfs):
#   bin/qemu-system-x86_64, lib/ (its shared libraries and loader, and
#   rglimit.so, which sets the VM's shadow page limit for run-guest),
#   share/ (qboot.rom, linuxboot_dma.bin, kvmvapic.bin), run-guest,
#   bzImage (the guest kernel), initrd.cpio.gz (busybox, rgload, init).
# QEMU (default: the host's qemu-system-x86_64, or QEMU) must be there.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: realguest.sh <guest bzImage>}
[ -f "$kernel" ] || die "realguest: no guest kernel $kernel"
qemu=$(command -v "${QEMU:-qemu-system-x86_64}") ||
	die "realguest: ${QEMU:-qemu-system-x86_64} not found: run scripts/deps.sh (package qemu-system-x86) or set QEMU"
out=$BUILD/realguest
log=$LOGS/realguest.log
mkdir -p "$LOGS"
: >"$log"

rm -rf "$out" "$out.tmp"
mkdir -p "$out.tmp"/{bin,lib,share} "$out.tmp/root"/{bin,proc,dev}
cp "$qemu" "$out.tmp/bin/qemu-system-x86_64"
ldd "$qemu" >>"$log" 2>&1 || die "realguest: ldd $qemu failed" "$log"
for l in $(ldd "$qemu" | grep -o '/[^ ]*'); do
	cp -L "$l" "$out.tmp/lib/"
done
[ -f "$out.tmp/lib/ld-linux-x86-64.so.2" ] || die "realguest: ldd names no ld-linux-x86-64.so.2 for $qemu" "$log"
for f in qboot.rom linuxboot_dma.bin kvmvapic.bin; do
	p=""
	for c in /usr/share/qemu/$f /usr/share/seabios/$f; do
		[ -n "$p" ] || [ ! -e "$c" ] || p=$c
	done
	[ -n "$p" ] || die "realguest: QEMU firmware $f missing (package qemu-system-data or seabios)"
	cp -L "$p" "$out.tmp/share/"
done
gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$out.tmp/lib/rglimit.so" \
	"$TOP/scripts/realguest/rglimit.c" >>"$log" 2>&1 ||
	die "realguest: building rglimit.so failed" "$log"
install -m 755 "$TOP/scripts/realguest/run-guest" "$out.tmp/"
cp "$kernel" "$out.tmp/bzImage"

# The guest's initramfs: busybox, rgload, /init, and the console node
# (the kernel opens /dev/console before init runs).
r=$out.tmp/root
cp /bin/busybox "$r/bin/busybox" || die "busybox-static missing: run scripts/deps.sh"
gcc -O2 -Wall -Wextra -Werror -static -o "$r/rgload" "$TOP/scripts/realguest/rgload.c" >>"$log" 2>&1 ||
	die "realguest: building rgload failed" "$log"
install -m 755 "$TOP/scripts/realguest/init" "$r/init"
mknod "$r/dev/console" c 5 1 2>>"$log" || die "realguest: mknod /dev/console failed (needs root)" "$log"
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp/initrd.cpio.gz"
rm -rf "$r"
mv "$out.tmp" "$out"
info "realguest: bundle $out ($(du -sh "$out" | cut -f1))"

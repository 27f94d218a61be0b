#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs shared by all variants: busybox-static, the
# KVM selftests (upstream and ours, static), the mm/ tools, stress-ng with
# its shared libraries.  Output: $BUILD/initramfs.cpio.gz
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

# stress-ng is dynamic: copy it with every library ldd names.
sng=$(command -v stress-ng) || die "stress-ng missing: run scripts/deps.sh"
cp "$sng" "$root/usr/bin/"
for l in $(ldd "$sng" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$l")"
	cp -L "$l" "$root$l"
done
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
info "initramfs: $out ($(du -h "$out" | cut -f1))"

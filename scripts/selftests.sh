#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the tree's KVM selftests plus ours (selftests/kvm/, the master copy)
# statically.  Output: $BUILD/selftests/kvm/bin/<test>, and the list of
# upstream x86 tests in $BUILD/selftests/kvm/upstream.list.
#
# The series and the orders do not touch the uapi headers (checked here),
# so one build against the pristine headers serves every variant.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/source.sh"
build_lock
for b in series $(git -C "$SRC" for-each-ref --format='%(refname:short)' refs/heads/variant/); do
	git -C "$SRC" diff --quiet pristine "$b" -- include/uapi arch/x86/include/uapi ||
		die "$b changes uapi headers: build selftests per variant"
done

wt=$BUILD/selftests-src
out=$BUILD/selftests/kvm
log=$LOGS/selftests-build.log
mkdir -p "$LOGS" "$out/bin"
[ -d "$wt" ] || git -C "$SRC" worktree add -q --detach "$wt" pristine
git -C "$wt" checkout -q -f --detach pristine
git -C "$wt" clean -q -fdx tools/testing/selftests/kvm
kdir=$wt/tools/testing/selftests/kvm
"$TOP/scripts/selftests-overlay.sh" --all "$wt" >/dev/null

: >"$log"
make -C "$wt" headers_install >>"$log" 2>&1 || die "headers_install failed" "$log"
make -C "$kdir" OUTPUT="$out/obj" LDFLAGS=-static -j"$(nproc)" >>"$log" 2>&1 ||
	die "building the KVM selftests failed: $(grep -m1 -E 'error' "$log")" "$log"
grep -hE "^TEST_GEN_PROGS_x86_64 \+?=" "$kdir/Makefile" | awk '{print $3}' >"$out/all.list"
rm -rf "${out:?}/bin"
mkdir -p "$out/bin"
while read -r t; do
	[ -x "$out/obj/$t" ] || die "selftest $t was not built" "$log"
	strip -o "$out/bin/$(basename "$t")" "$out/obj/$t"
done <"$out/all.list"
info "selftests: $(wc -l <"$out/all.list") x86 KVM selftests in $out/bin"

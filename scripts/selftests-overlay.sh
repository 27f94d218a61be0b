#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftests-overlay.sh [--all] <kernel tree>: put the project's KVM
# selftests (the master copy in selftests/kvm/x86_64/) into a kernel tree and
# its Makefile.  Used both to build them and to generate the selftests patch
# of the series.  --all also adds what is not part of the series (patches.sh
# never passes it): the tests of the reclaim orders of kvm/orders/
# (selftests/kvm/orders/, as x86_64/<name>.c) and the perf programs of
# selftests/kvm/perf/ at the top level of the KVM selftests, as <name>.c,
# with their header in include/.  Prints the paths it touched, relative to
# the tree.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
all=0
if [ "${1:-}" = --all ]; then
	all=1
	shift
fi
tree=${1:?usage: selftests-overlay.sh [--all] <kernel tree>}
kdir=tools/testing/selftests/kvm
mk=$tree/$kdir/Makefile

# add <dir> <prefix>: copy <dir>/*.c to $kdir/<prefix><name>.c and list each
# in TEST_GEN_PROGS_x86_64 after the last entry that starts with <prefix>
# (for the top level: after the last entry without a directory).
add() {
	local f t last
	for f in "$1"/*.c; do
		[ -f "$f" ] || continue
		t=$2$(basename "$f" .c)
		cp "$f" "$tree/$kdir/$t.c"
		echo "$kdir/$t.c"
		grep -q "^TEST_GEN_PROGS_x86_64 += $t\$" "$mk" && continue
		if [ -n "$2" ]; then
			last=$(grep -n "^TEST_GEN_PROGS_x86_64 += $2" "$mk" | tail -n1 | cut -d: -f1)
		else
			last=$(grep -n '^TEST_GEN_PROGS_x86_64 += [^/]*$' "$mk" | tail -n1 | cut -d: -f1)
		fi
		[ -n "$last" ] || die "$mk has no ${2:-top-level} x86_64 test list"
		sed "${last}a TEST_GEN_PROGS_x86_64 += $t" "$mk" >"$mk.new"
		mv "$mk.new" "$mk"
	done
}

add "$TOP/selftests/kvm/x86_64" x86_64/
if [ $all = 1 ]; then
	add "$TOP/selftests/kvm/orders" x86_64/
	add "$TOP/selftests/kvm/perf" ""
	# Their shared header-only helpers (reclaim_util.h).
	for f in "$TOP/selftests/kvm/perf"/*.h; do
		cp "$f" "$tree/$kdir/include/"
		echo "$kdir/include/$(basename "$f")"
	done
fi
echo "$kdir/Makefile"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftests-overlay.sh <kernel tree>: put the project's KVM selftests (the
# master copy in selftests/kvm/) into a kernel tree and its Makefile.  Used
# both to build them and to generate the selftests patch of the series.
# Prints the paths it touched, relative to the tree.
set -eu
. "$(dirname "$0")/lib.sh"
tree=${1:?usage: selftests-overlay.sh <kernel tree>}
kdir=tools/testing/selftests/kvm
mk=$tree/$kdir/Makefile
for f in "$TOP"/selftests/kvm/x86_64/*.c; do
	[ -f "$f" ] || continue
	t=x86_64/$(basename "$f" .c)
	cp "$f" "$tree/$kdir/$t.c"
	echo "$kdir/$t.c"
	grep -q "^TEST_GEN_PROGS_x86_64 += $t\$" "$mk" && continue
	# Add it after the last x86_64/ test of the list.
	last=$(grep -n '^TEST_GEN_PROGS_x86_64 += x86_64/' "$mk" | tail -n1 | cut -d: -f1)
	[ -n "$last" ] || die "$mk has no x86_64 test list"
	sed "${last}a TEST_GEN_PROGS_x86_64 += $t" "$mk" >"$mk.new"
	mv "$mk.new" "$mk"
done
echo "$kdir/Makefile"

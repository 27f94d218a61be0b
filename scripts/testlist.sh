#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# testlist.sh <variant>: the guest test list (run-tests.sh format) for a
# variant: the upstream x86 KVM selftests less kvm/selftests-exclude, then
# the project's tests with the behaviour kvm/variants expects.  Upstream
# tests take the arguments kvm/selftests-args gives them; those in
# kvm/selftests-retry are run again once when they fail.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
v=${1:?usage: testlist.sh <variant>}
shrinker=$(variant_field "$v" 3)
order=$(variant_field "$v" 4)
all=$BUILD/selftests/kvm/all.list
[ -f "$all" ] || die "no selftests built: run scripts/initramfs.sh"
ours=$(cd "$TOP/selftests/kvm" && for f in x86_64/*.c perf/*.c; do [ ! -f "$f" ] || basename "$f" .c; done)
# listed <file> <test>: the test has a line in kvm/<file>.
listed() {
	awk -v t="$2" '!/^#/ && $1 == t { found = 1 } END { exit !found }' "$TOP/kvm/$1"
}
sed 's|.*/||' "$all" | while read -r t; do
	echo "$ours" | grep -qx "$t" && continue
	listed selftests-exclude "$t" && continue
	args=$(awk -v t="$t" '!/^#/ && $1 == t { sub(/ *#.*/, ""); sub(/^[^ ]+ +/, ""); print }' \
		"$TOP/kvm/selftests-args")
	retry=""
	listed selftests-retry "$t" && retry="retry1 "
	echo "$t $retry/kvm/$t $args"
done
while read -r t args; do
	echo "$t /kvm/$t $(echo "$args" | sed "s/@SHRINKER@/$shrinker/; s/@ORDER@/$order/")"
done < <(grep -v '^#' "$TOP/selftests/kvm/project.list" | grep .)

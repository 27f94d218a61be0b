#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# testlist.sh <variant> <mode> [ours]: the guest test list (run-tests.sh
# format) for a variant booted in an MMU mode: the upstream x86 KVM
# selftests less kvm/selftests-exclude (not with "ours"), then the
# project's tests.  Upstream tests take the arguments kvm/selftests-args
# gives them, and each is run again once when it fails; of the project's
# tests only those in kvm/selftests-retry are (with xfail subtests, when
# the first run is not the expected failure).  A project test gets
# "xfail:<must>[/<may>]" when kvm/selftests-xfail says those subtests must
# (or may) fail on the variant's shrinker or order in this mode.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
v=${1:?usage: testlist.sh <variant> <mode> [ours]}
m=${2:?usage: testlist.sh <variant> <mode> [ours]}
check_mode "$m"
case "${3:-}" in '' | ours) ;; *) die "testlist.sh: unknown argument '$3' (known: ours)" ;; esac
shrinker=$(variant_field "$v" 3)
order=$(variant_field "$v" 4)
all=$BUILD/selftests/kvm/all.list
[ -f "$all" ] || die "no selftests built: run scripts/initramfs.sh"
ours=$(cd "$TOP/selftests/kvm" && for f in x86_64/*.c orders/*.c perf/*.c; do [ ! -f "$f" ] || basename "$f" .c; done)
# listed <file> <test>: the test has a line in kvm/<file>.
listed() {
	awk -v t="$2" '!/^#/ && $1 == t { found = 1 } END { exit !found }' "$TOP/kvm/$1"
}
[ "${3:-}" = ours ] || sed 's|.*/||' "$all" | while read -r t; do
	echo "$ours" | grep -qx "$t" && continue
	listed selftests-exclude "$t" && continue
	args=$(awk -v t="$t" '!/^#/ && $1 == t { sub(/ *#.*/, ""); sub(/^[^ ]+ +/, ""); print }' \
		"$TOP/kvm/selftests-args")
	echo "$t retry1 /kvm/$t $args"
done
while read -r t args; do
	xfail=$(awk -v t="$t" -v s="$shrinker" -v o="$order" -v m="$m" \
		'!/^#/ && $1 == t && ($2 == s || $2 == o) && ($3 == "*" || index("," $3 ",", "," m ",")) { print $4 ($5 ? "/" $5 : "") }' \
		"$TOP/kvm/selftests-xfail")
	retry=""
	! listed selftests-retry "$t" || retry="retry1 "
	echo "$t $retry${xfail:+xfail:$xfail }/kvm/$t $args"
done < <(grep -v '^#' "$TOP/selftests/kvm/project.list" | grep .)

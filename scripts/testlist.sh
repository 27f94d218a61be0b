#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# testlist.sh <variant> <mode> <dir> [ours]: the inputs of the kernel's
# selftest runner for a variant booted in an MMU mode, written to <dir>
# for scripts/guest/run-tests.sh: kselftest-list.txt (the upstream x86 KVM
# selftests less kvm/selftests-exclude, not with "ours", then the
# project's tests), settings (kvm/selftests-settings), args.env
# (KSELFTEST_<TEST>_ARGS from kvm/selftests-args and
# selftests/kvm/project.list) and wrap.list.  Every upstream test is run
# again once when it fails; of the project's tests only those in
# kvm/selftests-retry are (with xfail subtests, when the first run is not
# the expected failure).  A project test gets "xfail:<must>[/<may>]" when
# kvm/selftests-xfail says those subtests must (or may) fail on the
# variant's shrinker or order in this mode.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
usage="usage: testlist.sh <variant> <mode> <dir> [ours]"
{ [ $# -ge 3 ] && [ $# -le 4 ]; } || die "$usage"
v=$1 m=$2 dir=$3
check_mode "$m"
case "${4:-}" in '' | ours) ;; *) die "testlist.sh: unknown argument '$4' (known: ours)" ;; esac
shrinker=$(variant_field "$v" 3)
order=$(variant_field "$v" 4)
all=$BUILD/selftests/kvm/all.list
[ -f "$all" ] || die "no selftests built: run scripts/initramfs.sh"
ours=$(cd "$TOP/selftests/kvm" && for f in x86_64/*.c orders/*.c perf/*.c; do [ ! -f "$f" ] || basename "$f" .c; done)
mkdir -p "$dir"
list=$dir/kselftest-list.txt args=$dir/args.env wrap=$dir/wrap.list
: >"$list"
: >"$args"
: >"$wrap"
# kvm/selftests-settings: 600 s per test, a rerun by ksft-wrap included
# (two runs of the 300 s the slowest need under TCG on a loaded host).
# No comment lines in it: runner.sh forks a grep for each line, per test.
cp "$TOP/kvm/selftests-settings" "$dir/settings"

# listed <file> <test>: the test has a line in kvm/<file>.
listed() {
	awk -v t="$2" '!/^#/ && $1 == t { found = 1 } END { exit !found }' "$TOP/kvm/$1"
}
# add <test> <args> <wrap words>: one test of the list.
add() {
	local var=${1^^}
	echo "kvm:$1" >>"$list"
	var=KSELFTEST_${var//[^A-Z0-9_]/_}_ARGS
	[ -z "$2" ] || echo "export $var='$2'" >>"$args"
	[ -z "$3" ] || echo "$1 $3" >>"$wrap"
}

if [ "${4:-}" != ours ]; then
	while read -r t; do
		echo "$ours" | grep -qx "$t" && continue
		listed selftests-exclude "$t" && continue
		a=$(awk -v t="$t" '!/^#/ && $1 == t { sub(/ *#.*/, ""); sub(/^[^ ]+ +/, ""); print }' \
			"$TOP/kvm/selftests-args")
		add "$t" "$a" retry
	done < <(sed 's|.*/||' "$all")
fi
while read -r t a; do
	xfail=$(awk -v t="$t" -v s="$shrinker" -v o="$order" -v m="$m" \
		'!/^#/ && $1 == t && ($2 == s || $2 == o) && ($3 == "*" || index("," $3 ",", "," m ",")) { print $4 ($5 ? "/" $5 : "") }' \
		"$TOP/kvm/selftests-xfail")
	w=""
	! listed selftests-retry "$t" || w=retry
	[ -z "$xfail" ] || w="${w:+$w }xfail:$xfail"
	add "$t" "$a" "$w"
done < <(grep -v '^#' "$TOP/selftests/kvm/project.list" | grep .)

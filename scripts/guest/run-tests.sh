#!/bin/sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# Guest side of make check: run-tests.sh [-k <kselftest>] [-b <bin>]
# [-w <work>] [<list dir>].  Runs the KVM selftests through the kernel's
# own runner: run_kselftest.sh and kselftest/ of <kselftest> (default
# /ksft, copied from the tree by scripts/initramfs.sh) are set up in
# <work> (default /tmp/ksft) with a collection "kvm" made of <list dir>'s
# inputs, which scripts/testlist.sh writes:
#   kselftest-list.txt  the tests, "kvm:<test>" per line, in order
#   settings            the runner's settings of the collection (timeout)
#   args.env            KSELFTEST_<TEST>_ARGS, the tests' arguments
#   wrap.list           the tests to retry and the expected failures
# Every kvm/<test> is a link to ksft-wrap (next to this script), which
# runs <bin>/<test> (default /kvm).  Prints the runner's KTAP; exit 1 when
# a test is "not ok".
set -eu
ksft=/ksft bin=/kvm work=/tmp/ksft
usage="usage: run-tests.sh [-k kselftest] [-b bin] [-w work] [list dir]"
while getopts "k:b:w:" o; do
	case $o in
	k) ksft=$OPTARG ;;
	b) bin=$OPTARG ;;
	w) work=$OPTARG ;;
	*) echo "$usage"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || { echo "$usage"; exit 2; }
dir=$(cd "${1:-.}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
for f in kselftest-list.txt settings args.env wrap.list; do
	[ -f "$dir/$f" ] || { echo "run-tests.sh: $dir/$f is missing"; exit 1; }
done
[ -x "$ksft/run_kselftest.sh" ] || { echo "run-tests.sh: no $ksft/run_kselftest.sh"; exit 1; }
# runner.sh appends the tests' output to /dev/stdout: without the link
# that output would go to a file of that name, and ksft-wrap's lines too.
[ -L /dev/stdout ] || [ -c /dev/stdout ] ||
	{ echo "run-tests.sh: /dev/stdout is not a link or device: the tests' output would be lost"; exit 1; }

rm -rf "$work"
mkdir -p "$work/kvm"
cp -R "$ksft/run_kselftest.sh" "$ksft/kselftest" "$work/"
cp "$dir/kselftest-list.txt" "$work/"
cp "$dir/settings" "$dir/wrap.list" "$work/kvm/"
echo "$bin" >"$work/kvm/bin"
cp "$here/ksft-wrap" "$work/kvm-wrap"
chmod +x "$work/kvm-wrap"
sed -n 's/^kvm://p' "$dir/kselftest-list.txt" | while read -r t; do
	ln -s ../kvm-wrap "$work/kvm/$t"
done
# shellcheck source=/dev/null # written by scripts/testlist.sh
. "$dir/args.env"
"$work/run_kselftest.sh" -c kvm 2>&1 | tee "$work/output"
grep -q '^ok ' "$work/output" || exit 1
! grep -q '^not ok ' "$work/output"

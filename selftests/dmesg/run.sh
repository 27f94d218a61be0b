#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of scripts/dmesg-check.sh on saved guest console logs (data/):
# synthetic-*.log are upstream splat formats, trimmed; lkdtm-*.log and
# stress-*.log are real console logs of the debug kernel (LKDTM-injected
# splats and a clean stress run, see data/README).  Each case names the
# exit status and the exact set of splat kinds the checker must report.
# TAP output.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$TOP/selftests/dmesg/data
chk=$TOP/scripts/dmesg-check.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$TOP/selftests/tap.sh"

# expect <log> <exit status> <kinds, sorted, space separated or "">
expect() {
	local kinds
	run "$chk" "$DATA/$1"
	kinds=$(echo "$out" | sed -n "s|^$DATA/$1:\([a-z]*\): .*|\1|p" | sort -u | tr '\n' ' ')
	kinds=${kinds% }
	[ "$rc" = "$2" ] || fail "exit $rc, want $2"
	[ "$kinds" = "$3" ] || fail "kinds '$kinds', want '$3'"
	result "$1: ${3:-clean}"
}

expect synthetic-clean.log 0 ""
expect synthetic-lockdep.log 1 "lockdep warning"
expect synthetic-list.log 1 "bug list"
expect synthetic-lockup.log 1 "bug hung rcu softlockup"
expect synthetic-oops.log 1 "oops panic"
expect synthetic-oom.log 1 "oom"
for f in "$DATA"/lkdtm-*.log "$DATA"/stress-*.log; do
	[ -f "$f" ] || continue
	f=$(basename "$f")
	case $f in
	lkdtm-warning.log) expect "$f" 1 "warning" ;;
	lkdtm-list.log) expect "$f" 1 "list warning" ;;
	lkdtm-kasan.log) expect "$f" 1 "bug kasan" ;;
	stress-*.log) expect "$f" 0 "" ;;
	*) fail "no expectation for this log"; result "$f" ;;
	esac
done

# Live: inject real splats with LKDTM into the booted debug kernel; the
# checker must report each kind.  Needs the debug flavour of $DEBUG_VARIANT.
v=${DEBUG_VARIANT:-lru}
if [ -f "$TOP/build/obj/$v-debug/arch/x86/boot/bzImage" ] && [ -f "$TOP/build/initramfs.cpio.gz" ]; then
	live=$(mktemp -d)
	# shellcheck disable=SC2016 # expands in the guest
	"$TOP/scripts/run.sh" -v "$v" -f debug -t 300 -o "$live" -c '
		for t in WARNING CORRUPT_LIST_ADD READ_AFTER_FREE; do
			echo $t >/sys/kernel/debug/provoke-crash/DIRECT
		done' >"$live/run.log" 2>&1
	run "$chk" "$live/console.log"
	kinds=$(echo "$out" | sed -n 's|^[^ ]*console.log:\([a-z]*\): .*|\1|p' | sort -u | tr '\n' ' ')
	want="bug kasan list warning "
	# run.sh itself fails the boot and names the first splat, the WARNING.
	first=$(grep -m1 '^error: guest kernel: ' "$live/run.log" || true)
	if [ $rc = 1 ] && [ "$kinds" = "$want" ] && echo "$first" | grep -q 'WARNING:'; then
		rm -rf "$live"
	else
		fail "exit $rc, kinds '$kinds', want '$want'; run.sh said '${first:-no error}' (log: $live/console.log)"
	fi
	result "LKDTM WARNING, CORRUPT_LIST_ADD, READ_AFTER_FREE on $v-debug: caught, and run.sh fails the boot"
else
	skip_test "LKDTM splats on $v-debug" "debug kernel not built"
fi

# A missing log is not a clean one.
run "$chk" "$DATA/nonexistent.log"
[ $rc = 2 ] || fail "exit $rc, want 2"
result "a missing log: exit 2"

totals
[ $failed = 0 ]

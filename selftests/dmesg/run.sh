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
n=0 failed=0

# expect <log> <exit status> <kinds, sorted, space separated or "">
expect() {
	local out rc=0 kinds why=""
	out=$("$chk" "$DATA/$1" 2>&1) || rc=$?
	kinds=$(echo "$out" | sed -n "s|^$DATA/$1:\([a-z]*\): .*|\1|p" | sort -u | tr '\n' ' ')
	kinds=${kinds% }
	[ "$rc" = "$2" ] || why="exit $rc, want $2"
	[ "$kinds" = "$3" ] || why="$why${why:+; }kinds '$kinds', want '$3'"
	n=$((n + 1))
	if [ -z "$why" ]; then
		echo "ok $n $1: ${3:-clean}"
	else
		echo "not ok $n $1 # $why"
		failed=$((failed + 1))
	fi
}

expect synthetic-clean.log 0 ""
expect synthetic-lockdep.log 1 "lockdep warning"
expect synthetic-list.log 1 "bug list"
expect synthetic-lockup.log 1 "bug hung rcu softlockup"
expect synthetic-oops.log 1 "oops panic"
for f in "$DATA"/lkdtm-*.log "$DATA"/stress-*.log; do
	[ -f "$f" ] || continue
	f=$(basename "$f")
	case $f in
	lkdtm-warning.log) expect "$f" 1 "warning" ;;
	lkdtm-list.log) expect "$f" 1 "list warning" ;;
	lkdtm-kasan.log) expect "$f" 1 "bug kasan" ;;
	stress-*.log) expect "$f" 0 "" ;;
	*) n=$((n + 1)); echo "not ok $n $f # no expectation for this log"; failed=$((failed + 1)) ;;
	esac
done

# Live: inject real splats with LKDTM into the booted debug kernel; the
# checker must report each kind.  Needs the debug flavour of $DEBUG_VARIANT.
v=${DEBUG_VARIANT:-lru}
n=$((n + 1))
if [ -f "$TOP/build/obj/$v-debug/arch/x86/boot/bzImage" ] && [ -f "$TOP/build/initramfs.cpio.gz" ]; then
	live=$(mktemp -d)
	"$TOP/scripts/run.sh" -v "$v" -f debug -t 300 -o "$live" -c '
		for t in WARNING CORRUPT_LIST_ADD READ_AFTER_FREE; do
			echo $t >/sys/kernel/debug/provoke-crash/DIRECT
		done' >"$live/run.log" 2>&1
	rc=0
	out=$("$chk" "$live/console.log" 2>&1) || rc=$?
	kinds=$(echo "$out" | sed -n 's|^[^ ]*console.log:\([a-z]*\): .*|\1|p' | sort -u | tr '\n' ' ')
	want="bug kasan list warning "
	if [ $rc = 1 ] && [ "$kinds" = "$want" ]; then
		rm -rf "$live"
		echo "ok $n LKDTM WARNING, CORRUPT_LIST_ADD, READ_AFTER_FREE on $v-debug: caught"
	else
		echo "not ok $n LKDTM splats on $v-debug # exit $rc, kinds '$kinds', want '$want' (log: $live/console.log)"
		failed=$((failed + 1))
	fi
else
	echo "ok $n LKDTM splats on $v-debug # SKIP debug kernel not built"
fi

# A missing log is not a clean one.
rc=0
"$chk" "$DATA/nonexistent.log" >/dev/null 2>&1 || rc=$?
n=$((n + 1))
if [ $rc = 2 ]; then echo "ok $n a missing log: exit 2"; else
	echo "not ok $n a missing log # exit $rc, want 2"; failed=$((failed + 1)); fi

echo "# Totals: pass:$((n - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
[ $failed = 0 ]

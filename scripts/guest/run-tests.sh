#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side: run-tests.sh <list> [timeout_s].  Each line of <list> is
# "<name> <command...>"; runs them in order and prints kselftest TAP.
# Exit status 4 from a test is a skip.  Per-test output: $RESULTS/logs/.
list=$1
tmo=${2:-120}
[ -s "$list" ] || { echo "run-tests.sh: no test list '$list'"; exit 1; }
mkdir -p "$RESULTS/logs"
n=$(grep -c . "$list")
echo "TAP version 13"
echo "1..$n"
i=0 pass=0 fail=0 skip=0
while read -r name cmd; do
	[ -n "$name" ] || continue
	i=$((i + 1))
	t0=$(cut -d' ' -f1 /proc/uptime)
	timeout "$tmo" sh -c "$cmd" >"$RESULTS/logs/$name.log" 2>&1 </dev/null
	rc=$?
	t=$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }')
	case $rc in
	0) echo "ok $i $name # ${t}s"; pass=$((pass + 1)) ;;
	4) echo "ok $i $name # SKIP $(grep -m1 -o 'SKIP.*' "$RESULTS/logs/$name.log" | sed 's/^SKIP[ :-]*//' | cut -c1-100)"
	   skip=$((skip + 1)) ;;
	124|143) echo "not ok $i $name # TIMEOUT ${tmo}s"; fail=$((fail + 1)) ;;
	*) echo "not ok $i $name # exit $rc, ${t}s"; fail=$((fail + 1))
	   tail -n 5 "$RESULTS/logs/$name.log" | sed 's/^/#   /' ;;
	esac
done <"$list"
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ $fail = 0 ]

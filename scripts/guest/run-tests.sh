#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side: run-tests.sh <list> [timeout_s].  Each line of <list> is
# "<name> <command...>"; runs them in order and prints kselftest TAP.
# Exit status 4 from a test is a skip.  Per-test output: $RESULTS/logs/.
# A command "retry1 <command...>" is run a second time when it fails (not
# on a skip or a timeout), or with xfail when it does not fail as
# expected; the first run's output is kept in logs/<name>.first.log.
# A command "xfail:<must>[/<may>] <command...>", with comma-separated KTAP
# subtest numbers, must fail with every subtest of <must> "not ok" and no
# other but those of <may>: then it is "ok ... # XFAIL", else "not ok".
list=$1
tmo=${2:-120}
[ -s "$list" ] || { echo "run-tests.sh: no test list '$list'"; exit 1; }
mkdir -p "$RESULTS/logs"
n=$(grep -c . "$list")
echo "TAP version 13"
echo "1..$n"
i=0 pass=0 fail=0 skip=0 xfail=0
# xfail_ok <log> <rc> <want>: the run failed in exactly the expected subtests
# (got: the failed ones).
xfail_ok() {
	got=$(sed -n 's/^not ok \([0-9]*\) .*/\1/p' "$1" | paste -sd, -)
	must=${3%%/*} may=""
	case $3 in */*) may=${3#*/} ;; esac
	[ "$2" != 0 ] && [ -n "$got" ] || return 1
	for s in $(echo "$must" | tr , ' '); do
		case ",$got," in *,"$s",*) ;; *) return 1 ;; esac
	done
	for s in $(echo "$got" | tr , ' '); do
		case ",$must,$may," in *,"$s",*) ;; *) return 1 ;; esac
	done
}
while read -r name cmd; do
	[ -n "$name" ] || continue
	i=$((i + 1))
	t0=$(cut -d' ' -f1 /proc/uptime)
	log=$RESULTS/logs/$name.log
	retry="" want=""
	case $cmd in retry1\ *) cmd=${cmd#retry1 } retry=1 ;; esac
	case $cmd in xfail:*)
		want=${cmd%% *} cmd=${cmd#* }
		want=${want#xfail:} ;;
	esac
	timeout "$tmo" sh -c "$cmd" >"$log" 2>&1 </dev/null
	rc=$?
	note=""
	# A failure is rerun: not a skip, and not a timeout (a hung test would
	# cost its timeout twice); with xfail, a run that is not the expected
	# failure.
	again=""
	if [ -n "$retry" ] && [ $rc != 4 ] && [ $rc != 124 ] && [ $rc != 143 ]; then
		if [ -n "$want" ]; then
			xfail_ok "$log" $rc "$want" || again=1
		elif [ $rc != 0 ]; then
			again=1
		fi
	fi
	if [ -n "$again" ]; then
		mv "$log" "$RESULTS/logs/$name.first.log"
		note=", retried: first run exit $rc"
		timeout "$tmo" sh -c "$cmd" >"$log" 2>&1 </dev/null
		rc=$?
	fi
	t=$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }')
	if [ -n "$want" ] && [ $rc != 4 ] && [ $rc != 124 ] && [ $rc != 143 ]; then
		if xfail_ok "$log" $rc "$want"; then
			echo "ok $i $name # XFAIL subtests $got fail as kvm/selftests-xfail expects, ${t}s$note"
			xfail=$((xfail + 1))
		else
			echo "not ok $i $name # exit $rc, subtests failed: ${got:-none}, expected: $must${may:+ (and maybe $may)}$note"
			fail=$((fail + 1))
			grep '^not ok' "$log" | sed 's/^/#   /'
		fi
		continue
	fi
	case $rc in
	0) echo "ok $i $name # ${t}s$note"; pass=$((pass + 1)) ;;
	4) echo "ok $i $name # SKIP $(grep -m1 -o 'SKIP.*' "$RESULTS/logs/$name.log" | sed 's/^SKIP[ :-]*//' | cut -c1-100)"
	   skip=$((skip + 1)) ;;
	124|143) echo "not ok $i $name # TIMEOUT ${tmo}s"; fail=$((fail + 1)) ;;
	*) echo "not ok $i $name # exit $rc, ${t}s$note"; fail=$((fail + 1))
	   tail -n 5 "$RESULTS/logs/$name.log" | sed 's/^/#   /' ;;
	esac
done <"$list"
echo "# Totals: pass:$pass fail:$fail xfail:$xfail xpass:0 skip:$skip error:0"
[ $fail = 0 ]

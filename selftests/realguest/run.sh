#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the realguest scenario's measuring side, on the machine itself
# (no boot, about 20 s): mmu_realguest_perf runs fake-guest in place of
# QEMU, and the files it writes must be what mmstat reads, with lat_us the
# time per guest operation; a guest that never reports, exits early or
# goes silent must fail the run.  Needs the selftests built
# (scripts/selftests.sh); skips otherwise.  TAP output.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$TOP/scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$TOP/selftests/tap.sh"
perf=$BUILD/selftests/kvm/bin/mmu_realguest_perf
fake=$TOP/selftests/realguest/fake-guest

if [ ! -x "$perf" ]; then
	skip_test realguest "$perf not built (scripts/selftests.sh)"
	totals
	exit 0
fi
make -s -C "$TOP/scripts/report" O="$BUILD/report" >/dev/null || exit 1

# rg <how> [options]: one run of 0.4 + 1 + 1 + 1 s into $tmp/<how>.
rg() {
	local how=$1
	shift
	run "$perf" -c "$fake $how" -B 5 -W 0.4 -S 1 -P 1 -R 1 -i 100 \
		-p 'sleep 30' -o "$tmp/$how" "$@"
}
key() { sed -n "s/^$1=//p" "$2/run.txt"; }

rg ok
d=$tmp/ok
[ "$rc" = 0 ] || fail "exit status $rc: $(tail -n1 "$tmp/err") $out"
[ "$(key result "$d")" = pass ] || fail "result '$(key result "$d")'"
result "a reporting guest passes"

[ "$(head -n1 "$d/iter.csv")" = "t_ms,vcpu,iter,phase,lat_us" ] || fail "iter.csv header"
[ "$(head -n1 "$d/stats.csv")" = "t_ms,phase,mmu_shadow_zapped,mmu_recycled,mmu_cache_miss,pages_4k,pf_taken,pf_fixed,pf_spurious,shrinker_count,memfree_kb,secpagetables_kb" ] ||
	fail "stats.csv header"
got=$(awk -F, 'NR > 1 { printf "%s ", $1 }' "$d/phases.csv")
[ "$got" = "warmup steady pressure recovery " ] || fail "phases '$got'"
grep -q 'fake guest booting' "$d/guest.log" || fail "guest.log lacks the console"
result "iter.csv, stats.csv, phases.csv and guest.log written"

# 0.2 s per report, 2 operations per report: about 100 ms per operation
# (200 ms if it were per report).  The mean: a busy machine delays a few.
m=$(awk -F, 'NR > 1 { s += $5; n++ } END { if (n) printf "%d", s / n / 1000 }' "$d/iter.csv")
{ [ "${m:-0}" -ge 90 ] && [ "${m:-0}" -le 160 ]; } || fail "mean lat_us ${m:-none} ms, want about 100 per operation"
awk -F, 'NR > 1 && $3 % 2 { bad = 1 } END { exit bad }' "$d/iter.csv" ||
	fail "a count that went back became a row"
for p in steady pressure recovery; do
	[ "$(key "guest_reports_$p" "$d")" -ge 3 ] 2>/dev/null || fail "guest_reports_$p=$(key "guest_reports_$p" "$d")"
done
result "lat_us is the time per operation, iter the operation count"

[ "$(key guest_cmd_early "$d")" = no ] || fail "guest_cmd_early=$(key guest_cmd_early "$d")"
[ "$(key pressure_cmd_ok "$d")" = yes ] || fail "pressure_cmd_ok=$(key pressure_cmd_ok "$d")"
result "the guest and the pressure command are stopped at the end"

printf 'scenario=realguest\nvariant=base\nmode=shadow\npressure=scan\nrep=1\nstatus=ok\n' >"$d/meta.txt"
s=$("$BUILD/report/mmstat" extract "$d" 2>&1 | sed -n 's/^slowdown=//p')
awk -v s="$s" 'BEGIN { exit !(s > 0.7 && s < 1.4) }' || fail "slowdown '$s', want about 1"
result "mmstat extract reads the run (slowdown about 1)"

# expect_fail <how> <pattern> [options]: exit 1, result=fail matching.
expect_fail() {
	local how=$1 pat=$2
	shift 2
	rg "$how" "$@"
	[ "$rc" = 1 ] || fail "exit status $rc, want 1"
	key result "$tmp/$how" | grep -qE -- "^fail: .*$pat" ||
		fail "result '$(key result "$tmp/$how" 2>/dev/null)' does not match /$pat/"
	result "$how: $(printf '%s' "$pat" | tr -d '\134')"
}
expect_fail silent "printed no report within -B" -B 1
expect_fail exits "exited before the end of recovery \(exit 3\)"
expect_fail stalls "invalid run: no report in the pressure phase"
# Without -c there is no guest: a usage error naming the option.
run "$perf" -S 1 -o "$tmp/nocmd"
[ "$rc" = 1 ] || fail "exit status $rc, want 1"
grep -qxF "$perf: -c cmd is required: the guest command to run" "$tmp/err" ||
	fail "stderr: $(head -n1 "$tmp/err")"
result "no -c: a usage error"
totals
[ "$failed" = 0 ]

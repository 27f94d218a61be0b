#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make tracesim end to end on the real guest, one boot: the realguest VM
# under a shadow page limit of 512 (run-guest's RG_NR_MMU_PAGES, which
# rglimit.so sets inside QEMU), its lookups traced and replayed by mmusim.
# Checks what the pipeline must give on any variant: the run passes (no
# event lost, the limit set, the replay of the kernel's own order within
# RG_TOL of the kernel), the limit bites (mmu_recycled > 0), the trace
# holds every page the kernel built, and the simulator's disagreement
# counters add up.  TAP output.
# Usage: selftests/tracesim/run.sh [results dir] [variant] (default: a
# temporary directory, lru).  Needs that kernel built (one boot, ~1 min).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$(mktemp -d)}
v=${2:-lru}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$TOP/selftests/tap.sh"

# The boot takes about a minute (63 s in a cold make check).  Under MTTCG
# a boot has hung with CPU 0's timer lost (RCU stalls, the guest never
# ends): such a boot is stopped at TIMEOUT and, only then, run once more;
# any other failure fails at once.
tmo=900
log=$out.log
name="make tracesim VARIANTS=$v WORKLOADS=rg RG_LIMITS=512 RG_SECS=8 TIMEOUT=$tmo"
for try in 1 2; do
	rm -rf "$out"
	rc=0
	"$TOP/scripts/tracesim.sh" --variants="$v" --workloads=rg --rg-limits=512 --rg-secs=8 \
		--timeout=$tmo --out="$out" >"$log" 2>&1 || rc=$?
	if [ "$rc" = 0 ] || [ "$try" = 2 ] || ! grep -q "guest timed out after $tmo s" "$log"; then
		break
	fi
	rm -rf "$out.timeout" "$out.timeout.log"
	mv "$out" "$out.timeout"
	mv "$log" "$out.timeout.log"
	echo "# the boot timed out after $tmo s (log: $out.timeout.log): booting once more"
done
[ "$rc" = 0 ] ||
	fail "exit status $rc: $(grep -m1 '^error:' "$log" || tail -n1 "$log") (log: $log)"
result "$name"

d=$out/$v-rg-512
grep -q 'rglimit: KVM_SET_NR_MMU_PAGES 512 ' "$d/guest.log" 2>/dev/null ||
	fail "no 'rglimit: KVM_SET_NR_MMU_PAGES 512' in $d/guest.log"
result "rglimit.so set the VM's limit inside QEMU"

row=$(awk -F, -v v="$v" '$1 == v && $2 == 512' "$out/rg.csv" 2>/dev/null)
IFS=, read -r _ _ _ ops miss recycled _ <<<"$row"
[ "${ops:-0}" -gt 0 ] 2>/dev/null || fail "no operation of the guest in the window: '$row'"
[ "${recycled:-0}" -gt 0 ] 2>/dev/null || fail "mmu_recycled is 0 at limit 512: the limit did not bite ('$row')"
result "the guest ran ($ops operations) and the limit bit (mmu_recycled $recycled)"

# sim.csv: policy,limit,lookups,misses,rebuilds,evictions,over,hit_built,
# miss_found,variant,kernel_misses,trace_created,workload
bad=$(awk -F, 'NR > 1 && ($11 != $12 || $11 == 0)' "$out/sim.csv" 2>/dev/null)
{ [ -s "$out/sim.csv" ] && [ -z "$bad" ]; } ||
	fail "trace created != kernel mmu_cache_miss ($miss): ${bad:-no sim.csv}"
result "the trace holds every shadow page the kernel built ($miss)"

bad=$(awk -F, 'NR > 1 && $4 - $12 != $9 - $8' "$out/sim.csv" 2>/dev/null)
[ "$(grep -c ',rg$' "$out/sim.csv" 2>/dev/null)" = 5 ] ||
	fail "want 5 policies in sim.csv (fifo lru lru-parent slru opt)"
[ -z "$bad" ] || fail "misses - created != miss_found - hit_built: $bad"
result "every order's replay: misses - created = miss_found - hit_built"

[ -s "$out/rebuilds-rg.png" ] || fail "no rebuilds-rg.png"
grep -q "^| rg | $v | .* | 512 | $miss | $miss |" "$out/report.md" 2>/dev/null ||
	fail "no rg row for $v at 512 in report.md"
{ grep -qx "#### rg/$v" "$out/report.md" 2>/dev/null &&
	grep -q '^| metric | fifo | lru | lru-parent | slru | opt |$' "$out/report.md" &&
	grep -q '^| rebuilds\\_512 | [0-9.]* | ' "$out/report.md"; } ||
	fail "no rebuild table of rg/$v with every order in report.md (mmstat --headline)"
result "report.md and rebuilds-rg.png"

totals
[ "$failed" = 0 ]

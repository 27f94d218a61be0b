#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bench smoke test: "make bench SCENARIO=smoke" (two short cases: a 8 MiB
# guest under debugfs shrinker scans, and the same without a pressure
# phase) on two variants, then checks what it wrote: the CSVs' columns,
# the phases in order, the statuses, the report, what the shrinker did as
# kvm/variants says (zap: in-use shadow pages zapped during the scans;
# none/cache: none), and no pressure metric without a pressure phase;
# first, without a boot, the guest's reclaim.txt against a known answer.
# TAP output.
# Usage: selftests/bench/run.sh [results dir] [variants] (default: a
# temporary directory, "base lru").  Needs those kernels built (two boots).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$TOP/scripts/lib.sh"
out=${1:-$(mktemp -d)}
variants=${2:-"base lru"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$TOP/selftests/tap.sh"

# header <csv> <columns>: the first line of <csv> is exactly <columns>.
header() {
	[ -f "$1" ] || { fail "no $(basename "$1")"; return; }
	[ "$(head -n1 "$1")" = "$2" ] || fail "$(basename "$1") header '$(head -n1 "$1")', want '$2'"
}

# status_ok <run dir>: its meta.txt says status=ok, else fail with the reason.
status_ok() {
	local st
	st=$(sed -n 's/^status=//p' "$1/meta.txt" 2>/dev/null)
	[ "$st" = ok ] || fail "status '$st': $(sed -n 's/^reason=//p' "$1/meta.txt" 2>/dev/null)"
}

# metric <pressure> <variant> <name>: the value of a metric in metrics.csv
# of the case of that pressure (scan, none).
metric() { awk -F, -v p="/$1" -v v="$2" -v m="$3" 'substr($1, length($1) - length(p) + 1) == p && $2 == v && $4 == m { print $5 }' "$out/metrics.csv"; }

# bench-lib.sh's reclaim.txt from two counter snapshots and x86-mmu lines
# in 6.12's mm_shrink_slab_start/_end format (SHRINK_STOP, -1, is not
# freed): a known answer, no boot.
data=$TOP/selftests/bench/data
got=$(. "$TOP/scripts/guest/bench-lib.sh" && reclaim_txt "$data/snap0" "$data/snap1" "$data/trace.mmu")
[ "$got" = "$(cat "$data/reclaim.expected")" ] ||
	fail "reclaim.txt differs: $(echo "$got" | diff - "$data/reclaim.expected" | grep '^[<>]' | tr '\n' ' ')"
result "bench-lib: reclaim.txt from vmstat, PSI and the shrinker's tracepoints"

rm -rf "$out"
log=$out.log
if "$TOP/scripts/bench.sh" --scenario=smoke --reps=1 --variants="$variants" --out="$out" \
	--modes=shadow >"$log" 2>&1; then
	result "make bench SCENARIO=smoke VARIANTS=\"$variants\""
else
	fail "exit status non-zero: $(grep -m1 -E '^error:|FAILED' "$log") (log: $log)"
	result "make bench SCENARIO=smoke VARIANTS=\"$variants\""
fi

for v in $variants; do
	d=$out/runs/shadow-$v-r1-smoke
	status_ok "$d"
	result "$v: run status ok"

	header "$d/iter.csv" "t_ms,vcpu,iter,phase,lat_us"
	header "$d/stats.csv" "t_ms,phase,mmu_shadow_zapped,mmu_recycled,mmu_cache_miss,pages_4k,pf_taken,pf_fixed,pf_spurious,shrinker_count,memfree_kb,secpagetables_kb"
	header "$d/phases.csv" "phase,start_ms,end_ms"
	result "$v: iter.csv, stats.csv, phases.csv columns"

	got=$(awk -F, 'NR > 1 { printf "%s ", $1 }' "$d/phases.csv" 2>/dev/null)
	[ "$got" = "warmup steady pressure recovery " ] || fail "phases '$got'"
	awk -F, 'NR > 1 { if ($3 < $2 || $2 < prev) bad = 1; prev = $3 } END { exit bad }' \
		"$d/phases.csv" 2>/dev/null || fail "phase times not in order"
	for p in steady pressure recovery; do
		awk -F, -v p="$p" '$4 == p { f = 1 } END { exit !f }' "$d/iter.csv" 2>/dev/null ||
			fail "no iteration in phase $p"
		awk -F, -v p="$p" '$2 == p { f = 1 } END { exit !f }' "$d/stats.csv" 2>/dev/null ||
			fail "no stats sample in phase $p"
	done
	result "$v: four phases in order, iterations and samples in each"

	z=$(metric scan "$v" zapped)
	case $(variant_field "$v" 3) in
	zap) { [ -n "$z" ] && [ "${z%.*}" -gt 0 ]; } || fail "zapped '$z', want > 0 (old shrinker)" ;;
	*) [ "$z" = 0 ] || fail "zapped '$z', want 0 (the shrinker must not zap)" ;;
	esac
	result "$v: in-use shadow pages zapped under scans as kvm/variants says ($z)"

	for m in shrinker_calls pgscan_kswapd pswpout psi_some_ms; do
		[ -n "$(metric scan "$v" "$m")" ] || fail "no $m in metrics.csv (reclaim.txt)"
	done
	result "$v: the case's reclaim counters in metrics.csv"
done

# The case without a pressure phase (-P 0 -R 0): its pressure and recovery
# phases end where they start, and the report has none of the metrics of
# what a pressure did (a 1 ms "pressure" window once gave the page-limit
# case -0.26 rebuilds).
for v in $variants; do
	d=$out/runs/shadow-$v-r1-smoke-nopress
	status_ok "$d"
	awk -F, '($1 == "pressure" || $1 == "recovery") && $2 != $3 { bad = 1 } END { exit bad }' "$d/phases.csv" 2>/dev/null ||
		fail "pressure or recovery with a length: $(grep -E '^(pressure|recovery),' "$d/phases.csv" 2>/dev/null | tr '\n' ' ')"
	[ -n "$(metric none "$v" steady_misses)" ] || fail "no steady_misses in metrics.csv"
	for m in slowdown rebuilds zapped recycled extra_faults recover_s freed_kb; do
		[ -z "$(metric none "$v" "$m")" ] || fail "$m=$(metric none "$v" "$m") reported without a pressure phase"
	done
	result "$v: a case of -P 0 -R 0 has no pressure window and no pressure metrics"
done

for f in metrics.csv summary.json report.md lat-smoke-shadow-scan.png stats-smoke-shadow-scan.png; do
	[ -s "$out/$f" ] || fail "no $f"
done
grep -q '^## Tables' "$out/report.md" 2>/dev/null || fail "report.md has no tables"
result "report.md, summary.json, metrics.csv and plots written"

echo "# results: $out"
totals
[ $failed = 0 ]

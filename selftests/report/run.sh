#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit tests of scripts/report/mmstat, the benchmark's statistics tool.
# KTAP output (selftests/tap.sh), ending with the plan and a "# Totals:" line;
# non-zero exit on any failure.  Builds the tool itself (O=<tmp>, or
# REPORT_O from the environment) with -Werror.  Takes about 2 s.
#
# Known answers come from outside mmstat: python3's statistics module for
# means and deviations, Welch's t and df by their formulas, p-values by
# Simpson integration of the t density (no incomplete beta function), the
# closed forms of the t CDF for df=1 (0.5 + atan(t)/pi) and df=2
# (0.5 + t/(2 sqrt(2 + t^2))), textbook t quantiles, and Wikipedia's three
# Welch's t-test examples.  data/README says how the run data was built
# and what it must give.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$TOP/selftests/report/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
O=${REPORT_O:-$tmp/build}
M=$O/mmstat
# shellcheck source=selftests/tap.sh
. "$TOP/selftests/tap.sh"

# want <text> <key> <expected> [tol]: the key=value line of <text> has
# <expected>: within <tol> if given, the same string otherwise.
want() {
	local got="" line
	while IFS= read -r line; do
		if [ "${line%%=*}" = "$2" ]; then
			got=${line#*=}
			break
		fi
	done <<<"$1"
	if [ -z "$got" ]; then
		fail "no $2= line"
	elif [ $# -ge 4 ]; then
		case $got in
		*[!0-9eE.+-]*) fail "$2=$got, want $3" ;;
		*) awk -v g="$got" -v w="$3" -v t="$4" \
			'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= t) }' ||
			fail "$2=$got, want $3 +- $4" ;;
		esac
	elif [ "$got" != "$3" ]; then
		fail "$2=$got, want $3"
	fi
}

# row <text> <title> <variant>: the fields of <variant>'s row in the text
# table titled <title>.
row() {
	printf '%s\n' "$1" | awk -v t="$2" -v v="$3" '
		$0 == t { f = 1; next }
		f && /^$/ { exit }
		f && $1 == v { $1 = $1; print; exit }'
}

# want_row <text> <title> <variant> <expected fields>
want_row() {
	local got
	got=$(row "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$2 / $3: '$got', want '$4'"
}

start=$(date +%s%N)

# ------------------------------------------------------------------ build
build_tool report mmstat

run "$M" --help
[ "$rc" = 0 ] || fail "exit $rc"
for w in "mmstat extract" "mmstat compare" "mmstat welch" "mmstat ratio" \
	steady_lat_ms pressure_lat_ms recovery_lat_ms slowdown extra_faults \
	rebuilds zapped recycled recover_s recovered count_before count_after \
	freed_kb memfree_delta_kb secpt_delta_kb iterations scans scan_us_mean \
	scan_us_max count_us_mean count_us_max populate_ms populate_rel; do
	printf '%s\n' "$out" | grep -q -- "$w" || fail "no '$w'"
done
result "--help gives every subcommand and metric"

# ------------------------------------------------------------- statistics
run "$M" stats 2,4,4,4,5,5,7,9
want "$out" n 8
want "$out" min 2
want "$out" max 9
want "$out" mean 5
want "$out" stddev 2.138089935299395 1e-9	# statistics.stdev
want "$out" coeffvar 42.76179870598791 1e-7
result "stats: n min max mean stddev(n-1) coeffvar of 2,4,4,4,5,5,7,9"

run "$M" stats -1.5,0.25,3e2
want "$out" min -1.5
want "$out" max 300
want "$out" mean 99.58333333333333 1e-9
want "$out" stddev 173.56813023517114 1e-9
result "stats: negative and exponent inputs"

run "$M" stats 7
want "$out" mean 7
want "$out" stddev nan
result "stats: one value has no stddev"

run "$M" tcdf 1 1
want "cdf=$out" cdf 0.75 1e-12
run "$M" tcdf -1 1
want "cdf=$out" cdf 0.25 1e-12
run "$M" tcdf 12.70620474 1		# 0.5 + atan(t)/pi
want "cdf=$out" cdf 0.9750000000074954 1e-11
result "tcdf: df=1 is Cauchy"

run "$M" tcdf 1 2			# 0.5 + t / (2 sqrt(2 + t^2))
want "cdf=$out" cdf 0.7886751345948129 1e-12
run "$M" tcdf -3 2
want "cdf=$out" cdf 0.0477329831 1e-10
run "$M" tcdf 0 3.5
want "cdf=$out" cdf 0.5 1e-15
result "tcdf: df=2 closed form, t=0 with fractional df"

run "$M" tcdf 2.228138852 10
want "cdf=$out" cdf 0.975 1e-9
run "$M" tcdf 1.812461123 10
want "cdf=$out" cdf 0.95 1e-9
run "$M" tcdf -2.776445105 4
want "cdf=$out" cdf 0.025 1e-9
result "tcdf: textbook quantiles of df=10 and df=4"

run "$M" tcdf 2 1e6
want "cdf=$out" cdf 0.9772498680518208 1e-6	# normal
run "$M" tcdf 2 inf
want "cdf=$out" cdf 0.9772498680518208 1e-12
run "$M" tcdf -1.5 1e8
want "cdf=$out" cdf 0.0668072012688581 1e-7
result "tcdf: large df tends to the normal"

run "$M" tinv 0.975 10
want "q=$out" q 2.228138852 1e-8
run "$M" tinv 0.975 1
want "q=$out" q 12.70620474 1e-7
run "$M" tinv 0.995 30
want "q=$out" q 2.749995654 1e-8
run "$M" tinv 0.025 4
want "q=$out" q -2.776445105 1e-8
run "$M" tinv 0.5 7
want "q=$out" q 0 1e-12
result "tinv: textbook quantiles"

# Wikipedia, Welch's t-test, examples 1-3; p from Simpson integration.
run "$M" welch 27.5,21.0,19.0,23.6,17.0,17.9,16.9,20.1,21.9,22.6,23.1,19.6,19.0,21.7,21.4 \
	27.1,22.0,20.8,23.4,23.4,23.5,25.8,22.0,24.8,20.2,21.9,22.1,22.9,20.5,24.4
want "$out" t -2.455356398286006 1e-8
want "$out" df 24.98852929023142 1e-7
want "$out" p 0.021378001462861285 1e-9
result "welch: example 1 (t=-2.46 df=25.0 p=0.021)"

run "$M" welch 17.2,20.9,22.6,18.1,21.7,21.4,23.5,24.2,14.7,21.8 \
	21.5,22.8,21.0,23.0,21.6,23.6,22.5,20.7,23.4,21.8,20.7,21.7,21.5,22.5,23.6,21.5,22.5,23.5,21.5,21.8
want "$out" t -1.5654335235985073 1e-8
want "$out" df 9.904741248650831 1e-7
want "$out" p 0.14884169660532542 1e-9
result "welch: example 2 (t=-1.57 df=9.9 p=0.149)"

run "$M" welch 19.8,20.4,19.6,17.8,18.5,18.9,18.3,18.9,19.5,22.0 \
	28.2,26.6,20.1,23.3,25.2,22.1,17.7,27.6,20.6,13.7,23.2,17.5,20.6,18.0,23.9,21.6,24.3,20.4,23.9,13.3
want "$out" t -2.225512039969852 1e-8
want "$out" df 24.524634944257343 1e-7
want "$out" p 0.03548453083001313 1e-9
result "welch: example 3 (t=-2.22 df=24.5 p=0.036)"

run "$M" welch 1.5,1.6,1.4,1.55,1.45 1.0,1.1,0.9,1.05,0.95
want "$out" t 10 1e-9
want "$out" df 8 1e-9
want "$out" p 8.48818151810704e-06 1e-12
run "$M" welch 3,3,3 3,3
want "$out" p 1
run "$M" welch 3,3,3 4,4
want "$out" p 0
want "$out" t -inf
result "welch: tiny p, zero variances (equal means p=1, else p=0)"

expect_error "welch: one value in a sample is an error" "at least 2 values" \
	"$M" welch 1 2,3
expect_error "welch: a bad number is an error" "'x' is not a number" \
	"$M" welch 1,x 2,3

# ---------------------------------------------------------------- extract
# A run without a pressure phase (a page limit): no metric of what the
# pressure did, the steady ones still there.
cp -r "$DATA/run-ok" "$tmp/nopress"
printf 'phase,end_ms,start_ms\nwarmup,1000,0\nsteady,5000,1000\npressure,5000,5000\nrecovery,5000,5000\n' \
	>"$tmp/nopress/phases.csv"
run "$M" extract "$tmp/nopress"
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$tmp/err")"
for k in slowdown rebuilds zapped recycled extra_faults recover_s freed_kb; do
	printf '%s\n' "$out" | grep -q "^$k=" && fail "$k reported without a pressure phase"
done
printf '%s\n' "$out" | grep -q '^steady_misses=' || fail "no steady_misses"
result "extract: no pressure metrics without a pressure phase"

run "$M" extract "$DATA/run-ok"
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$tmp/err")"
want "$out" status ok
want "$out" steady_lat_ms 200
want "$out" pressure_lat_ms 600
want "$out" recovery_lat_ms 219.444444444 1e-6	# 7900 / 36
want "$out" slowdown 3
want "$out" iterations 47.5
result "extract: latency means, slowdown, iterations"

want "$out" extra_faults 5500
want "$out" rebuilds 400
want "$out" zapped 11000
want "$out" recycled 440
result "extract: extra_faults, rebuilds, zapped, recycled"

want "$out" recover_s 1
want "$out" recovered 1
result "extract: recover_s (k=3 rule skips a lone good iteration)"

# Window of S: samples 850..5100, intervals j = 3..19 (data/README).
want "$out" warmup_lat_ms 250
want "$out" steady_misses 34		# 17 x 2
want "$out" steady_recycled 0
want "$out" steady_faults 1800		# j = 3: +200, j = 4..19: 16 x 100
result "extract: warmup latency and steady-phase counters"

want "$out" count_before 5000
want "$out" count_after 1200
want "$out" freed_kb 15600
want "$out" memfree_delta_kb 50000
want "$out" secpt_delta_kb -16000
[ "$(printf '%s\n' "$out" | grep -c =)" = 23 ] || fail "not 23 lines"
result "extract: shrinker count, freed_kb from freed.txt, memory deltas"

cp -r "$DATA/run-ok" "$tmp/nofreed"
rm "$tmp/nofreed/freed.txt"
run "$M" extract "$tmp/nofreed"
want "$out" freed_kb 15200
result "extract: freed_kb from the shrinker count without freed.txt"

# First passes (iter 1): both vCPUs' take 250 ms in run-ok; make vCPU 1's
# 450 ms: mean 350, / steady 200 = 1.75.
cp -r "$DATA/run-ok" "$tmp/pop"
awk -F, -v OFS=, '$1 == 1 && $4 == 1 { $5 = 450000 } 1' "$DATA/run-ok/iter.csv" >"$tmp/pop/iter.csv"
run "$M" extract "$tmp/pop"
want "$out" populate_ms 350
want "$out" populate_rel 1.75
result "extract: populate_ms and populate_rel from the first passes"

# scan.csv (scale scenario): mean/max by hand, 3 rows.
cp -r "$DATA/run-ok" "$tmp/scan"
printf '%s\n' t_ms,count_before,count_after,scan_us,count_us \
	100,50,0,40,7 200,60,10,250,3 300,10,10,10,20 >"$tmp/scan/scan.csv"
run "$M" extract "$tmp/scan"
want "$out" scans 3
want "$out" scan_us_mean 100
want "$out" scan_us_max 250
want "$out" count_us_mean 10
want "$out" count_us_max 20
[ "$(printf '%s\n' "$out" | grep -c =)" = 28 ] || fail "not 28 lines"
result "extract: scan/count times from scan.csv"

printf 't_ms,count_before,count_after,scan_us\n1,2,3,4\n' >"$tmp/scan/scan.csv"
expect_error "extract: scan.csv without count_us" "scan.csv: missing column 'count_us'" \
	"$M" extract "$tmp/scan"
printf 't_ms,count_before,count_after,scan_us,count_us\n' >"$tmp/scan/scan.csv"
expect_error "extract: scan.csv without a scan" "scan.csv: no scan recorded" \
	"$M" extract "$tmp/scan"

# metrics.txt (an upstream selftest's numbers): taken as they are, the
# CSVs not read; names and values checked.
mkdir -p "$tmp/mtxt"
cp "$DATA/run-ok/meta.txt" "$tmp/mtxt/"
printf '%s\n' dl_populate_ms=812.5 dl_dirty_ms=97 >"$tmp/mtxt/metrics.txt"
run "$M" extract "$tmp/mtxt"
want "$out" dl_populate_ms 812.5
want "$out" dl_dirty_ms 97
[ "$(printf '%s\n' "$out" | grep -c =)" = 3 ] || fail "not status + 2 lines: $out"
result "extract: metrics.txt instead of the CSVs"
echo dl_dirty_ms=fast >"$tmp/mtxt/metrics.txt"
expect_error "extract: metrics.txt with a value that is not a number" \
	"metrics.txt: dl_dirty_ms='fast' is not a number" "$M" extract "$tmp/mtxt"
echo Dirty-ms=1 >"$tmp/mtxt/metrics.txt"
expect_error "extract: metrics.txt with a bad name" \
	"metric name 'Dirty-ms' is not \[a-z0-9_\]" "$M" extract "$tmp/mtxt"
: >"$tmp/mtxt/metrics.txt"
expect_error "extract: an empty metrics.txt" "metrics.txt: no metric" "$M" extract "$tmp/mtxt"

cp -r "$DATA/run-ok" "$tmp/norec"
awk -F, -v OFS=, '$1 == 1 && $3 == "recovery" { $5 = 300000 } 1' \
	"$DATA/run-ok/iter.csv" >"$tmp/norec/iter.csv"
run "$M" extract "$tmp/norec"
want "$out" recover_s 4
want "$out" recovered 0
result "extract: never recovered gives the recovery length, recovered=0"

cp -r "$DATA/run-ok" "$tmp/nophase"
grep -v '^recovery' "$DATA/run-ok/phases.csv" >"$tmp/nophase/phases.csv"
run "$M" extract "$tmp/nophase"
want "$out" rebuilds 400
want "$out" recover_s 1
want "$out" recovery_lat_ms 219.444444444 1e-6
result "extract: without a recovery row, recovery runs to the last sample"

run "$M" extract --csv "$DATA/run-ok"
g=degradation/shadow/scan/limit4096,cache,2
printf '%s\n' "$out" | grep -qx "$g,status,ok" || fail "no status line"
printf '%s\n' "$out" | grep -qx "$g,slowdown,3" || fail "no slowdown line"
printf '%s\n' "$out" | grep -qx "$g,recover_s,1" || fail "no recover_s line"
[ "$(printf '%s\n' "$out" | grep -c "^$g,")" = 23 ] || fail "not 23 lines"
run "$M" extract --csv --group my/group "$DATA/run-ok"
printf '%s\n' "$out" | grep -qx "my/group,cache,2,zapped,11000" ||
	fail "--group not used"
result "extract --csv: long-format lines, group from meta.txt or --group"

run "$M" extract "$DATA/run-failed"
[ "$rc" = 0 ] || fail "exit $rc"
[ "$out" = "status=failed reason=timeout: guest did not finish in 600 s" ] ||
	fail "got '$out'"
run "$M" extract --csv "$DATA/run-failed"
[ "$out" = "degradation/shadow/scan,noop,1,status,failed" ] || fail "got '$out'"
mkdir "$tmp/panic"
printf 'status=failed\nreason=guest panic\n' >"$tmp/panic/meta.txt"
run "$M" extract "$tmp/panic"
[ "$out" = "status=failed reason=guest panic" ] || fail "got '$out'"
result "extract: a failed run prints status=failed reason=..., exit 0"

cp -r "$DATA/run-ok" "$tmp/badcol"
sed -i '1s/lat_us/latency/' "$tmp/badcol/iter.csv"
expect_error "extract: missing iter.csv column" \
	"badcol/iter.csv: missing column 'lat_us'" "$M" extract "$tmp/badcol"
cp -r "$DATA/run-ok" "$tmp/badcol2"
sed -i '1s/,mmu_cache_miss,/,cache_miss,/' "$tmp/badcol2/stats.csv"
expect_error "extract: missing stats.csv column" \
	"badcol2/stats.csv: missing column 'mmu_cache_miss'" \
	"$M" extract "$tmp/badcol2"
cp -r "$DATA/run-ok" "$tmp/badcol3"
sed -i '1s/end_ms/stop_ms/' "$tmp/badcol3/phases.csv"
expect_error "extract: missing phases.csv column" \
	"badcol3/phases.csv: missing column 'end_ms'" "$M" extract "$tmp/badcol3"
cp -r "$DATA/run-ok" "$tmp/badnum"
sed -i '0,/,600000,/s/,600000,/,6x0,/' "$tmp/badnum/iter.csv"
expect_error "extract: a bad number names file, line and column" \
	"badnum/iter.csv:[0-9]+: column 'lat_us': '6x0' is not a number" \
	"$M" extract "$tmp/badnum"
cp -r "$DATA/run-ok" "$tmp/short"
echo "1,2,3" >>"$tmp/short/stats.csv"
expect_error "extract: a short line is an error" \
	"short/stats.csv:51: 3 fields, the header has 13" "$M" extract "$tmp/short"
cp -r "$DATA/run-ok" "$tmp/nopress"
grep -v '^pressure' "$DATA/run-ok/phases.csv" >"$tmp/nopress/phases.csv"
expect_error "extract: no pressure phase is an error" "no 'pressure' phase" \
	"$M" extract "$tmp/nopress"
mkdir "$tmp/nostatus"
echo "variant=base" >"$tmp/nostatus/meta.txt"
expect_error "extract: meta.txt without status is an error" \
	"meta.txt: missing key 'status'" "$M" extract "$tmp/nostatus"
expect_error "extract: a missing run directory is an error" \
	"nothere/meta.txt: No such file" "$M" extract "$tmp/nothere"

# ---------------------------------------------------------------- compare
# want_line <line> <why>: $out has exactly this line, else fail with why.
want_line() { printf '%s\n' "$out" | grep -qxF -- "$1" || fail "$2"; }
run "$M" compare "$DATA/metrics.csv"
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$tmp/err")"
T="degradation/shadow/scan: slowdown"
want_row "$out" "$T" base "base 5 0 0.9000 1.0000 0.0791 7.91 1.1000 base"
want_row "$out" "$T" cache "cache 5 0 1.4000 1.5000 0.0791 5.27 1.6000 +50.00% **"
want_row "$out" "$T" lru "lru 5 0 0.9000 1.0000 0.0721 7.21 1.1000 +0.00%"
want_row "$out" "$T" noop "noop 1 2 1.2000 1.2000 - - 1.2000 +20.00% (n<2)"
result "compare: slowdown table, ** mark, blank mark, (n<2), failed count"

T="degradation/shadow/scan: recover_s"
want_row "$out" "$T" base "base 10 0 17.800 19.370 1.204 6.21 22.000 base"
want_row "$out" "$T" cache "cache 20 0 13.300 21.590 4.123 19.10 28.200 +11.46% *"
want_row "$out" "$T" noop "noop 0 2 - - - - - - (n<2)"
result "compare: * mark at p=0.035 (Welch example 3)"

T="overhead/tdp-legacy/none: fault_ns"
want_row "$out" "$T" lru "lru 4 0 100.00 101.12 0.85 0.84 102.00 +1.00%"
printf '%s\n' "$out" | grep -q "^no metrics; failed runs: base=1 lru=1$" ||
	fail "no failed-only group"
result "compare: nan skipped, failed-only group listed"

run "$M" compare --md "$DATA/metrics.csv"
want_line '#### degradation/shadow/scan: slowdown' \
	"no heading"
want_line '| variant | n | failed | min | amean | stddev | coeffvar % | max | % change | sig |' \
	"no header row"
want_line '| cache | 5 | 0 | 1.4000 | 1.5000 | 0.0791 | 5.27 | 1.6000 | +50.00% | \*\* |' \
	"no cache row"
want_line '| cache | 20 | 0 | 13.300 | 21.590 | 4.123 | 19.10 | 28.200 | +11.46% | \* |' \
	"no recover_s cache row"
result "compare --md: markdown tables with escaped marks"

run "$M" compare --md --headline slowdown,recover_s,absent "$DATA/metrics.csv"
want_line '| metric | base | cache | lru | noop |' \
	"no header row of variants"
want_line '| runs ok (failed) | 5 (0) | 5 (0) | 5 (0) | 1 (2) |' \
	"no runs row"
want_line '| slowdown | 1.0000 ±0.0791 | 1.5000 ±0.0791 (+50% \*\*) | 1.0000 ±0.0721 (+0%) | 1.2000 (+20% (n<2)) |' \
	"no slowdown row"
printf '%s\n' "$out" | grep -q '^| absent ' && fail "a metric the data lacks has a row"
result "compare --headline: variants as columns, change and mark per cell"
run "$M" compare --dat slowdown "$DATA/metrics.csv"
[ "$out" = "degradation/shadow/scan base 5 1 0.9 1.1
degradation/shadow/scan cache 5 1.5 1.4 1.6
degradation/shadow/scan lru 5 1 0.9 1.1
degradation/shadow/scan noop 1 1.2 1.2 1.2" ] || fail "got: $out"
result "compare --dat: n, amean, min and max per group and variant, for plots"
expect_error "compare: --headline without --md is an error" \
	"--headline needs --md" "$M" compare --headline slowdown "$DATA/metrics.csv"

run "$M" compare --json "$DATA/metrics.csv"
if command -v python3 >/dev/null; then
	printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
g = {x["group"]: x for x in d["groups"]}
m = {x["metric"]: x for x in g["degradation/shadow/scan"]["metrics"]}
r = {x["variant"]: x for x in m["recover_s"]["rows"]}
assert d["base"] == "base"
assert abs(r["cache"]["p"] - 0.03548453083) < 1e-10, r["cache"]
assert abs(r["cache"]["df"] - 24.52463494) < 1e-7
assert r["cache"]["sig"] == "*" and r["base"]["base"] is True
assert r["noop"]["amean"] is None and r["noop"]["failed"] == 2
s = {x["variant"]: x for x in m["slowdown"]["rows"]}
assert s["cache"]["sig"] == "**" and s["cache"]["change_pct"] == 50
assert g["oom/shadow/balloon"]["failed"] == {"base": 1, "lru": 1}
' 2>"$tmp/py" || fail "$(tail -n1 "$tmp/py")"
else
	printf '%s\n' "$out" | grep -q '"p": 0.03548453083, "sig": "\*"' ||
		fail "no p of recover_s"
fi
result "compare --json: valid JSON with the same numbers"

run "$M" compare --base lru "$DATA/metrics.csv"
T="degradation/shadow/scan: slowdown"
want_row "$out" "$T" lru "lru 5 0 0.9000 1.0000 0.0721 7.21 1.1000 base"
want_row "$out" "$T" base "base 5 0 0.9000 1.0000 0.0791 7.91 1.1000 +0.00%"
[ "$(printf '%s\n' "$out" | awk -v t="$T" '$0 == t { getline; getline; print $1 }')" = lru ] ||
	fail "base variant not first"
result "compare --base: another base variant, listed first"

# Two files, as from two machines: labels prefix the variants.
cat >"$tmp/m2.csv" <<'EOF'
g,base,1,x,2.0
g,base,2,x,2.2
g,base,3,x,1.8
g,lru,1,status,failed
EOF
printf 'group,variant,rep,metric,value\ng,base,1,x,1.0\ng,base,2,x,1.1\ng,base,3,x,0.9\n' >"$tmp/m1.csv"
run "$M" compare --base m1:base -l m1 "$tmp/m1.csv" -l m2 "$tmp/m2.csv"
want_row "$out" "g: x" m1:base "m1:base 3 0 0.9000 1.0000 0.1000 10.00 1.1000 base"
want_row "$out" "g: x" m2:base "m2:base 3 0 1.8000 2.0000 0.2000 10.00 2.2000 +100.00% **"
want_row "$out" "g: x" m2:lru "m2:lru 0 1 - - - - - - (n<2)"
result "compare -l: labelled files, header optional"

run "$M" compare - <"$tmp/m1.csv"
want_row "$out" "g: x" base "base 3 0 0.9000 1.0000 0.1000 10.00 1.1000 base"
result "compare: reads stdin"

printf 'group,variant,metric,value\ng,base,x,1\n' >"$tmp/nocol.csv"
expect_error "compare: a missing column is an error" \
	"nocol.csv: missing column 'rep'" "$M" compare "$tmp/nocol.csv"
printf 'g,base,1,x,1\ng,base,2,x\n' >"$tmp/short.csv"
expect_error "compare: a short line is an error" \
	"short.csv:2: 4 fields, the header has 5" "$M" compare "$tmp/short.csv"
printf 'g,base,1,x,1\ng,base,2,x,1,2\n' >"$tmp/long.csv"
expect_error "compare: a long line is an error" \
	"long.csv:2: 6 fields, the header has 5" "$M" compare "$tmp/long.csv"
printf 'g,base,1,x,1\ng,base,2,x,abc\n' >"$tmp/nan.csv"
expect_error "compare: a value that is not a number is an error" \
	"nan.csv:2: column 'value': 'abc' is not a number" "$M" compare "$tmp/nan.csv"
printf 'g,base,1,,1\n' >"$tmp/empty.csv"
expect_error "compare: an empty cell is an error" "empty.csv:1: empty 'metric'" \
	"$M" compare "$tmp/empty.csv"
expect_error "compare: -l without a file is an error" "-l m1 is not followed" \
	"$M" compare "$tmp/m1.csv" -l m1
expect_error "compare: a missing file is an error" "nothere.csv: No such file" \
	"$M" compare "$tmp/nothere.csv"

# ------------------------------------------------------------------ ratio
# Ratios by python3's statistics, t quantile t(0.975, 3) = 3.182446305.
run "$M" ratio 100,101,99,100.5 101,102,100,101.5
want "$out" n 4
want "$out" mean 1.0099880622390598 1e-9
want "$out" stddev 8.546177842141728e-05 1e-12
want "$out" t_crit 3.182446305 1e-8
want "$out" ci_lo 1.0098520734785696 1e-9
want "$out" ci_hi 1.01012405099955 1e-9
want "$out" change_pct 0.99880622390598 1e-7
result "ratio: paired ratios with a 95% t interval"

run "$M" ratio -c 0.9 1,2,4 1.1,2.1,4.1
want "$out" level 0.9
want "$out" t_crit 2.919985580 1e-8	# t(0.95, 2)
result "ratio -c: another confidence level"

run "$M" ratio -g overhead/tdp-legacy/none -m fault_ns -v lru "$DATA/metrics.csv"
want "$out" n 3
want "$out" n_unpaired 2
want "$out" mean 1.0049752885736334 1e-9
want "$out" ci_lo 0.9835683496101929 1e-9
want "$out" ci_hi 1.0263822275370738 1e-9
result "ratio: pairs by rep from a metrics file"

# --goal 1.01: the verdict and the pairs that would decide it.  Ratios
# 1.01, 1.03, 1.05 (mean 1.03, stddev 0.02): CI 1.03 -/+ 4.303 x 0.02 /
# sqrt(3) holds 1.01; the distance 0.02 needs t(m - 1) / sqrt(m) < 1, first
# met at m = 7 (t(0.975, 6) = 2.447, / 2.646 = 0.925; m = 6: 2.571 / 2.449).
run "$M" ratio --goal 1.01 100,100,100 101,103,105
want "$out" verdict undecided
want "$out" n_decide 7
result "ratio --goal: undecided, with the pairs that would decide"
run "$M" ratio --goal 1.01 100,100,100 100.5,100.6,100.4
want "$out" verdict yes
want "$out" n_decide 3
result "ratio --goal: yes when the CI lies at or below the goal"
run "$M" ratio --goal 1.01 100,100,100 102,102.1,101.9
want "$out" verdict no
result "ratio --goal: no when the CI lies above the goal"
run "$M" ratio --goal 1.01 100,100 100,102
want "$out" verdict undecided
want "$out" n_decide 0
result "ratio --goal: a mean on the goal is never decided (n_decide 0)"

expect_error "ratio: lists of different lengths are an error" \
	"2 base values but 1 variant" "$M" ratio 1,2 1
expect_error "ratio: a zero base is an error" "base value 0 in pair 2" \
	"$M" ratio 1,0 1,1

# ----------------------------------------------------------------- usage
expect_error "no subcommand is an error" "no subcommand" "$M"
expect_error "an unknown subcommand is an error" "unknown subcommand 'frob'" \
	"$M" frob

ms=$((($(date +%s%N) - start) / 1000000))
echo "# took ${ms} ms"
totals
[ "$failed" = 0 ]

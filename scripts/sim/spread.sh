#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# spread.sh: how far one order's replay moves when the page limit moves by
# 1 %.  A stream that loops over about as many pages as the limit can
# make FIFO's misses jump by a third between limits 8 pages apart (the
# real guest at 2048, 2026-12-03), while LRU's move by a page or two: no
# comparison of the kernel with the model can be decided there.
#
#   spread.sh MMUSIM POLICY LIMIT <trace.csv[.gz] | ->
#
# Replays the stream at LIMIT - 1 %, LIMIT and LIMIT + 1 % (rounded, at
# least one page apart, the lower one at least 1) with mmusim's default
# batch rules and prints one line:
#   <misses at the lower limit> <misses at LIMIT> <misses at the upper>
#   <spread>
# spread is the larger of the two changes from LIMIT's misses, in percent
# of them, two decimals, without a sign.
set -eu

usage="usage: spread.sh MMUSIM POLICY LIMIT <trace.csv[.gz] | -> (see its header)"
die() { echo "error: spread: $*" >&2; exit 1; }
case "${1:-}" in -h | --help) echo "$usage"; exit 0 ;; esac
[ $# = 4 ] || die "$usage"
sim=$1 policy=$2 limit=$3 in=$4
[ -x "$sim" ] || die "$sim: not an executable"
case "$limit" in '' | *[!0-9]* | 0) die "limit '$limit' is not a number >= 1" ;; esac
d=$(((limit + 50) / 100))
[ "$d" -ge 1 ] || d=1
lo=$((limit - d)) hi=$((limit + d))
[ "$lo" -ge 1 ] || lo=1

if [ "$in" = - ]; then
	cat
elif [ "${in%.gz}" != "$in" ]; then
	zcat -- "$in"
else
	cat -- "$in"
fi | "$sim" -l "$lo,$limit,$hi" -p "$policy" --csv - |
	awk -F, -v p="$policy" -v lo="$lo" -v l="$limit" -v hi="$hi" '
	$1 == p { m[$2] = $4 }
	END {
		if (!(lo in m) || !(l in m) || !(hi in m))
			exit 1
		a = m[lo] - m[l]; if (a < 0) a = -a
		b = m[hi] - m[l]; if (b < 0) b = -b
		if (b > a) a = b
		printf "%d %d %d %.2f\n", m[lo], m[l], m[hi], m[l] ? a * 100 / m[l] : 0
	}' || die "mmusim gave no $policy rows at $lo, $limit and $hi for $in"

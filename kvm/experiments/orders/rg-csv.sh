#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rg-csv.sh <secs> <label> <boot-dir>...: the real-guest runs of the
# tracesim-job.sh boots of one kernel (<boot-dir>/rg-<limit>/vmstat.txt),
# the boots being its repetitions in the order given, as long-format lines
# rg-<limit>,<label>,<rep>,<metric>,<value> for "mmstat compare":
# ops_per_s (rgload operations over the <secs> seconds), mmu_cache_miss,
# misses_per_op (the guest does more operations when faster, and each
# builds pages), mmu_recycled and pf_taken.  A run without vmstat.txt
# gives a status line "failed".
set -eu
[ $# -gt 2 ] || { echo "usage: rg-csv.sh <secs> <label> <boot-dir>..." >&2; exit 2; }
secs=$1 label=$2
shift 2
n=0
for dir in "$@"; do
	n=$((n + 1))
	[ -d "$dir" ] || { echo "rg-csv.sh: no directory '$dir'" >&2; exit 1; }
	found=""
	for d in "$dir"/rg-*; do
		[ -d "$d" ] || continue
		found=1
		g="$(basename "$d"),$label,$n"
		if [ ! -s "$d/vmstat.txt" ]; then
			echo "$g,status,failed"
			continue
		fi
		awk -v g="$g" -v s="$secs" '{ c[$1] = $2 }
			END {
				print g ",status,ok"
				printf "%s,ops_per_s,%.3f\n", g, c["ops"] / s
				print g ",mmu_cache_miss," c["mmu_cache_miss"]
				if (c["ops"] > 0)
					printf "%s,misses_per_op,%.1f\n", g, c["mmu_cache_miss"] / c["ops"]
				print g ",mmu_recycled," c["mmu_recycled"]
				print g ",pf_taken," c["pf_taken"]
			}' "$d/vmstat.txt"
	done
	[ -n "$found" ] || { echo "rg-csv.sh: no rg-* run in '$dir'" >&2; exit 1; }
done

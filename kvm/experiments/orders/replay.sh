#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# replay.sh <label> <boot-dir>...: replay the traced real-guest runs of
# tracesim-job.sh boots (<boot-dir>/rg-<limit>/trace.txt.gz) with mmusim
# under every order at the limit each ran with, as long-format lines
# rg-<limit>,<label>-<order>,<rep>,misses,<n> for "mmstat compare".
# Needs build/sim/mmusim (make -C scripts/sim O=$PWD/build/sim).
set -eu
top=$(cd "$(dirname "$0")/../../.." && pwd)
sim=$top/build/sim/mmusim
[ -x "$sim" ] || { echo "replay.sh: no $sim (make -C scripts/sim O=$top/build/sim)" >&2; exit 1; }
[ $# -gt 1 ] || { echo "usage: replay.sh <label> <boot-dir>..." >&2; exit 2; }
label=$1
shift
n=0
for dir in "$@"; do
	n=$((n + 1))
	for d in "$dir"/rg-*; do
		[ -f "$d/trace.txt.gz" ] || { echo "replay.sh: no trace in '$d'" >&2; exit 1; }
		r=$(basename "$d")
		# the pipeline's status is mmusim's
		csv=$(zcat "$d/trace.txt.gz" | "$top/scripts/sim/trace2sim.sh" |
			"$sim" -l "${r#rg-}" --csv -) ||
			{ echo "replay.sh: mmusim failed on '$d'" >&2; exit 1; }
		printf '%s\n' "$csv" | awk -F, -v g="$r" -v lb="$label" -v n="$n" \
			'!/^#/ && $1 != "policy" { print g "," lb "-" $1 "," n ",misses," $4 }'
	done
done

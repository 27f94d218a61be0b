#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# compare.sh [--base label:variant] <results dir>...: the tables of several
# bench results side by side; each directory's variants are labelled with
# the directory's name (label:variant).
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
base=""
if [ "${1:-}" = --base ]; then
	base=$2
	shift 2
fi
[ $# -ge 1 ] || die "usage: compare.sh [--base label:variant] <results dir>..."
make -s -C "$TOP/scripts/report" O="$BUILD/report" >/dev/null
args=()
for d in "$@"; do
	[ -f "$d/metrics.csv" ] || die "$d has no metrics.csv: not a bench results directory (run scripts/report.sh on it)"
	args+=(-l "$(basename "$d")" "$d/metrics.csv")
done
[ -n "$base" ] || base=$(basename "$1"):base
exec "$BUILD/report/mmstat" compare --base "$base" "${args[@]}"

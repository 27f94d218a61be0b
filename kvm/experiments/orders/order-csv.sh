#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# order-csv.sh <label>=<output.log>...: the order-job lines of each boot as
# long-format lines limit-<n>,<label>,<rep>,<metric>,<value> for
# "mmstat compare" (misses, iters, misses_per_iter, second_chances).  A
# sweep that did not exit 0 or printed no steady phase gives a status
# line "failed".
set -eu
[ $# -gt 0 ] || { echo "usage: order-csv.sh <label>=<output.log>..." >&2; exit 2; }
for a in "$@"; do
	label=${a%%=*} f=${a#*=}
	[ -f "$f" ] || { echo "order-csv.sh: no file '$f'" >&2; exit 1; }
	grep -q '^order-job: ' "$f" || { echo "order-csv.sh: no order-job line in '$f'" >&2; exit 1; }
	awk -v lb="$label" '
	/^order-job: / {
		delete kv
		for (i = 2; i <= NF; i++) {
			split($i, p, "=")
			kv[p[1]] = p[2]
		}
		g = "limit-" kv["limit"] "," lb "," kv["rep"]
		# a sweep that failed or printed no steady phase
		if (kv["rc"] != 0 || kv["steady_misses"] !~ /^[0-9]+$/ ||
		    kv["iters"] !~ /^[0-9.]+$/ || kv["iters"] + 0 == 0) {
			print g ",status,failed"
			next
		}
		print g ",status,ok"
		print g ",misses," kv["steady_misses"]
		print g ",iters," kv["iters"]
		printf "%s,misses_per_iter,%.3f\n", g, kv["steady_misses"] / kv["iters"]
		if (kv["second_chances"] != "n/a")
			print g ",second_chances," kv["second_chances"]
	}' "$f"
done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kconfig-check.sh <.config> <fragment>...: fail, naming the option, when a
# fragment's request did not survive olddefconfig.  Later fragments win.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
config=$1
shift
bad=$(awk '
	FNR == NR { have[$0] = 1; next }
	/^CONFIG_[A-Za-z0-9_]+=/ { split($0, kv, "="); want[kv[1]] = $0; next }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { want[$2] = $0; next }
	END {
		for (o in want) {
			w = want[o]
			if (w ~ /is not set$/) {
				if ((o "=y") in have || (o "=m") in have) print o
			} else if (!(w in have)) print o
		}
	}' "$config" "$@" | sort)
[ -z "$bad" ] || die "kernel config options not set as requested: ${bad//$'\n'/ } (check their dependencies in Kconfig)" "$config"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dmesg-check.sh <log>...: scan guest kernel logs (console.log of a run)
# for splats: warnings, BUGs, KASAN, lockdep, list corruption, lockups,
# hung tasks, RCU stalls, oopses, panics and global OOM kills (not a
# memory cgroup's: its limit doing its job).  Only kernel lines count, the
# ones with a printk timestamp ("[   12.345678] "): the console also
# carries the job's own output.  Prints every offending line with its file,
# line number and kind, then one summary line per log.
# Exit: 0 all clean, 1 a splat was found, 2 a log is missing or empty.
set -eu

# One extended regex per kind of splat; the kind names the line.
splats=(
	"warning|WARNING:"
	"bug|BUG:|kernel BUG at"
	"kasan|KASAN:"
	"lockdep|possible circular locking|inconsistent lock state|possible recursive locking|suspicious RCU usage|lock held when returning|bad unlock balance"
	"list|list_add corruption|list_del corruption"
	"softlockup|soft lockup"
	"hardlockup|hard LOCKUP"
	"hung|blocked for more than [0-9]+ seconds"
	"rcu|rcu_(preempt|sched) (self-)?detected( expedited)? stall|RCU stall"
	"oops|Oops:|general protection fault|Unable to handle kernel"
	"panic|Kernel panic"
	"ubsan|UBSAN:"
	"oom|Out of memory"
)

[ $# -gt 0 ] || { echo "usage: dmesg-check.sh <log>..." >&2; exit 2; }
rc=0
for log in "$@"; do
	if [ ! -s "$log" ]; then
		echo "error: dmesg-check: $log is missing or empty" >&2
		rc=2
		continue
	fi
	all=""
	for s in "${splats[@]}"; do
		kind=${s%%|*}
		hits=$(grep -naE -- "^\[ *[0-9]+\.[0-9]+\] .*(${s#*|})" "$log" | tr -d '\r' || true)
		[ -n "$hits" ] || continue
		# shellcheck disable=SC2001 # a prefix on every line
		echo "$hits" | sed "s|^|$log:$kind: |"
		all="$all$hits"$'\n'
	done
	# A line can be of two kinds ("BUG: KASAN: ..."): count it once.
	found=$(echo -n "$all" | cut -d: -f1 | sort -u | grep -c . || true)
	if [ "$found" = 0 ]; then
		echo "dmesg-check: $log: clean ($(grep -c '' "$log") lines)"
	else
		echo "dmesg-check: $log: $found splat lines"
		[ $rc = 2 ] || rc=1
	fi
done
exit $rc

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# trace2sim.sh [<trace.txt> | -]: turn tracefs text of the
# kvmmmu:kvm_mmu_get_page tracepoint (one event per shadow page lookup in
# the fault path; from tracefs "trace" or "trace_pipe", read from stdin
# without an argument) into the input of mmusim, on stdout:
#
#   key,level,created,root
#
# one line per kvm_mmu_get_page event, in trace order.  The event prints
# (arch/x86/kvm/mmu/mmutrace.h)
#
#   sp gen %u gfn %llx l%u %u-byte q%u[ direct] %s[ invalid] [!]nxe [!]ad
#   root %u sync|unsync new|existing
#
# key names the shadow page: gfn, level, gpte size, quadrant, direct or
# indirect, access, nxe, ad, joined by ':' (e.g.
# "1a2b:l1:8:q0:indirect:wux:nxe:ad").  It is only as precise as the event:
# role bits the event does not print (smm, guest_mode, cr0_wp, ...) are not
# in it, and neither is gen, so a page zapped by a fast zap (memslot
# change) and rebuilt under a new generation reads as the same page.
# "invalid" is left out too: lookups skip invalid pages.  level is the l
# number, created 1 for "new" and 0 for "existing", root 1 if the root
# count is > 0.  Pages of the TDP MMU emit the event too (always "new");
# trace with the shadow MMU (tdp_mmu=0 or npt/ept=0) only.
#
# Lines starting with '#' (tracefs' header; the task column is right-aligned
# in 16 characters, so an event line never starts with '#') and other
# events are skipped.  A task name may hold spaces ("CPU 0/KVM"): the event
# is found by its name, not by column.  Exit 1 with one "error: ..." line
# on stderr if a kvm_mmu_get_page line cannot be parsed or if there is no
# such event at all.
set -eu

case "${1:-}" in
-h | --help)
	sed -n '3,/^set -eu/{/^set -eu/d;s/^# \{0,1\}//;p}' "$0"
	exit 0
	;;
esac
[ $# -le 1 ] || { echo "error: trace2sim: one trace file expected" >&2; exit 1; }
in=${1:--}
if [ "$in" = - ]; then
	name="<stdin>"
else
	if [ ! -r "$in" ] || [ -d "$in" ]; then
		echo "error: trace2sim: $in: no such readable file" >&2
		exit 1
	fi
	name=$in
fi

# awk exits 2 on a bad event line (after its error line), 3 without events.
rc=0
LC_ALL=C awk -v name="$name" '
function bad(why) {
	printf "error: trace2sim: %s:%d: %s: %s\n", name, NR, why, $0 > "/dev/stderr"
	failed = 1
	exit 2
}
/^#/ { next }
{
	at = index($0, " kvm_mmu_get_page: ")
	if (!at)
		next
	n = split(substr($0, at + 19), t, " ")
	if (t[1] != "sp" || t[2] != "gen" || t[4] != "gfn")
		bad("not a kvm_mmu_get_page event")
	if (t[5] !~ /^[0-9a-f]+$/ || t[6] !~ /^l[0-9]+$/ ||
	    t[7] !~ /^[0-9]+-byte$/ || t[8] !~ /^q[0-9]+$/)
		bad("bad gfn, level, size or quadrant")
	i = 9
	dir = "indirect"
	if (t[i] == "direct") {
		dir = "direct"
		i++
	}
	acc = t[i++]
	if (acc !~ /^[-w][-u][-x]$/)
		bad("bad access \"" acc "\"")
	if (t[i] == "invalid")
		i++
	if (n != i + 5 || t[i] !~ /^!?nxe$/ || t[i + 1] !~ /^!?ad$/ ||
	    t[i + 2] != "root" || t[i + 3] !~ /^[0-9]+$/ ||
	    t[i + 4] !~ /^(sync|unsync)$/ || t[i + 5] !~ /^(new|existing)$/)
		bad("bad flags, root count or new/existing")
	level = substr(t[6], 2)
	if (!events++)
		print "key,level,created,root"
	created = t[i + 5] == "new"
	root = t[i + 3] + 0 > 0
	printf "%s:%s:%s:%s:%s:%s:%s:%s,%d,%d,%d\n", t[5], t[6],
		substr(t[7], 1, length(t[7]) - 5), t[8], dir, acc, t[i],
		t[i + 1], level, created, root
}
END {
	if (failed)
		exit 2
	if (!events) {
		printf "error: trace2sim: %s: no kvm_mmu_get_page event\n", name > "/dev/stderr"
		exit 3
	}
}' "$in" || rc=$?
[ "$rc" = 0 ] || exit 1

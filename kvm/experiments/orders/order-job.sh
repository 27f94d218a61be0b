#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# order-job.sh [limits]: guest job that measured the reclaim orders
# (README.md).  The bench's hot/cold sweep (its pagelimit case:
# mmu_reclaim_perf -v 1 -b 512M -H 10 -C 4) at each KVM_SET_NR_MMU_PAGES
# limit (default "64 128 192 256"; a limit given twice is a second
# repetition), then mmu_lru_test.  One line per sweep:
#   order-job: limit=<n> rep=<i> rc=<exit> steady_misses=<n> iters=<n>
#              second_chances=<n>
# steady_misses: mmu_cache_miss over the 10 s steady phase (rebuilt shadow
# pages); iters: the phase's iterations per vCPU (the phase is timed, so
# misses are compared per iteration); second_chances: the VM's
# mmu_second_chance, which only the abit orders have ("n/a" elsewhere),
# read from debugfs while the sweep runs.
set -u
for l in ${1:-64 128 192 256}; do
	i=1
	while [ -d "/tmp/order-$l-$i" ]; do i=$((i + 1)); done
	d=/tmp/order-$l-$i
	mkdir -p "$d"
	(
		while sleep 0.5; do
			v=$(cat /sys/kernel/debug/kvm/*/mmu_second_chance 2>/dev/null | tail -n 1)
			[ -z "$v" ] || echo "$v" >"$d/chances"
		done
	) &
	poll=$!
	/kvm/mmu_reclaim_perf -v 1 -b 512M -W 2 -S 10 -P 0 -R 0 -i 250 -H 10 -C 4 \
		-n "$l" -o "$d" >"$d/stdout.log" 2>&1
	rc=$?
	kill "$poll"
	m=$(sed -n 's/^steady:.*cache_miss +\([0-9]*\).*/\1/p' "$d/stdout.log")
	it=$(sed -n 's/^steady: [0-9.]* s, \([0-9.]*\) iterations.*/\1/p' "$d/stdout.log")
	c=$(cat "$d/chances" 2>/dev/null || echo n/a)
	echo "order-job: limit=$l rep=$i rc=$rc steady_misses=${m:-none} iters=${it:-none} second_chances=$c"
done
/kvm/mmu_lru_test 2>&1 | grep -E '^(ok|not ok|#)'

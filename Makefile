# SPDX-License-Identifier: GPL-2.0
# kvm-mmu-reclaim: see README.md.
#
#   make bench     the main job: boot the variants, measure (results/)
#   make check     the tests: build every variant, boot, run selftests
#   make stress    lockdep/KASAN stress of the reclaim paths (DURATION=s)
#   make tracesim  eviction orders replayed on recorded lookup streams
#   make kernels   build the kernels of VARIANTS (default: all)
#   make patches   apply kvm/patches to the source tree (REFRESH=1: regenerate
#                  them from the branch FROM, default dev)
#   make compare RESULTS="results/A results/B"  put bench results side by side
#   make clean     remove build outputs, keep the source tree and ccache
#   make distclean remove build/ and results/ entirely
#
# Variables: KSRC, VARIANTS, MODE, FLAVOUR, TIMEOUT, MEM, and for bench
# SCENARIO, FULL, REPS, OUT; see README.md.

SHELL := /bin/bash
# Unset, each script picks its own default (bench: base cache lru).
ALL_VARIANTS := $(shell awk '!/^\#/ && NF { print $$1 }' kvm/variants)
MODE ?= shadow
FLAVOUR ?= host
FROM ?= dev
export KSRC MODE FLAVOUR TIMEOUT MEM VARIANTS SCENARIO FULL REPS OUT \
	DURATION MODES LIMITS TOL PREBUILT

.PHONY: bench check stress tracesim kernels patches compare deps clean distclean

deps:
	@scripts/deps.sh

bench: deps
	@scripts/bench.sh

check: deps
	@scripts/check.sh

tracesim: deps
	@scripts/tracesim.sh

# The stress test runs the debug flavour unless FLAVOUR is given.
stress: deps
	@FLAVOUR=$(if $(filter file,$(origin FLAVOUR)),debug,$(FLAVOUR)) scripts/stress.sh

kernels: deps
	@for v in $(or $(VARIANTS),$(ALL_VARIANTS)); do \
		scripts/kernel.sh $$v $(FLAVOUR) || exit 1; done

patches: deps
ifeq ($(REFRESH),1)
	@scripts/patches.sh refresh $(FROM)
else
	@scripts/patches.sh apply
endif

compare:
	@scripts/compare.sh $(RESULTS)

clean:
	rm -rf build/obj build/runs build/initramfs build/initramfs.cpio.gz \
		build/selftests build/mm build/logs build/accel

distclean:
	rm -rf build results

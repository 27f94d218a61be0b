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
# Settings: see README.md.  Each target takes the NAME=value settings
# listed below; any other one on the command line (a misspelling, MODE for
# MODES, a setting of another target) stops make with one line.

SHELL := /bin/bash
# Unset, each script picks its own default (bench: base cache lru).
ALL_VARIANTS := $(shell awk '!/^\#/ && NF { print $$1 }' kvm/variants)
FLAVOUR ?= host
FROM ?= dev

bench_SETTINGS := KSRC VARIANTS MODES TIMING ACCEL SCENARIO FULL REPS OUT \
	MEM PRESSURES LIMITS SHAPES PREBUILT TIMEOUT RG_VMS RG_HOSTMEM DRY_RUN
check_SETTINGS := KSRC VARIANTS MODES TIMEOUT
stress_SETTINGS := KSRC VARIANTS MODES FLAVOUR DURATION CPUS TIMING ACCEL OUT TIMEOUT MEM \
	STRESS_ARGS KERNEL
tracesim_SETTINGS := KSRC VARIANTS WORKLOADS LIMITS RG_LIMITS RG_SECS TOL \
	RG_TOL OUT
kernels_SETTINGS := KSRC VARIANTS FLAVOUR
patches_SETTINGS := KSRC REFRESH FROM
compare_SETTINGS := RESULTS
deps_SETTINGS :=
clean_SETTINGS :=
distclean_SETTINGS :=

# Only for the make run by hand: a script's own "make -C" inherits the
# outer command line.
ifeq ($(MAKELEVEL),0)
given := $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $v)),$v))
bad := $(firstword $(foreach g,$(or $(MAKECMDGOALS),deps),$(foreach v,$(given),\
	$(if $(filter $v,$($(g)_SETTINGS)),,$v:$(g)))))
endif

export KSRC FLAVOUR TIMEOUT MEM VARIANTS SCENARIO FULL REPS OUT DURATION \
	MODES TIMING ACCEL PRESSURES LIMITS SHAPES TOL PREBUILT WORKLOADS CPUS \
	RG_LIMITS RG_SECS RG_TOL RG_VMS RG_HOSTMEM DRY_RUN

.PHONY: bench check stress tracesim kernels patches compare deps clean distclean \
	settings

# Every target's first prerequisite: refuse a setting it does not take.
settings:
	@$(if $(bad),echo "error: $(word 1,$(subst :, ,$(bad))) is not a setting of \
	'make $(word 2,$(subst :, ,$(bad)))' (its settings: \
	$(or $($(word 2,$(subst :, ,$(bad)))_SETTINGS),none))" >&2; exit 1,:)

deps: settings
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

patches: settings deps
ifeq ($(REFRESH),1)
	@scripts/patches.sh refresh $(FROM)
else
	@scripts/patches.sh apply
endif

compare: settings
	@scripts/compare.sh $(RESULTS)

clean: settings
	rm -rf build/obj build/runs build/initramfs build/initramfs.cpio.gz \
		build/selftests build/mm build/logs build/accel

distclean: settings
	rm -rf build results

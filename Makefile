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
# listed below, which reach its script as flags (--name=value, below);
# any other one on the command line (a misspelling, MODE for MODES, a
# setting of another target) stops make with one line.

SHELL := /bin/bash
# Unset, each script picks its own default (bench: base cache lru).
ALL_VARIANTS := $(shell awk '!/^\#/ && NF { print $$1 }' kvm/variants)
FLAVOUR ?= host
FROM ?= dev

# The settings of bench, check, stress and tracesim are their scripts'
# flags, which each script lists itself.
settings_of = $(shell scripts/$(1).sh --settings)
bench_SETTINGS := $(call settings_of,bench)
check_SETTINGS := $(call settings_of,check)
stress_SETTINGS := $(call settings_of,stress)
tracesim_SETTINGS := $(call settings_of,tracesim)
kernels_SETTINGS := KSRC VARIANTS FLAVOUR
patches_SETTINGS := KSRC REFRESH FROM
compare_SETTINGS := RESULTS
deps_SETTINGS :=
clean_SETTINGS :=
distclean_SETTINGS :=

given := $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $v)),$v))
# Only for the make run by hand: a script's own "make -C" inherits the
# outer command line.
ifeq ($(MAKELEVEL),0)
bad := $(firstword $(foreach g,$(or $(MAKECMDGOALS),deps),$(foreach v,$(given),\
	$(if $(filter $v,$($(g)_SETTINGS)),,$v:$(g)))))
endif

# The one place where settings become flags: $(call flags,<target>) is
# --name='value' for each of the target's settings given to make (RG_VMS:
# --rg-vms), which the target's script parses (scripts/lib.sh parse_flags).
flags = $(foreach v,$(filter $(given),$($(1)_SETTINGS)),\
	--$(shell echo $v | tr A-Z_ a-z-)='$(subst ','\'',$($v))')

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
	@scripts/bench.sh $(call flags,bench)

check: deps
	@scripts/check.sh $(call flags,check)

tracesim: deps
	@scripts/tracesim.sh $(call flags,tracesim)

# The stress test runs the debug flavour unless FLAVOUR is given.
stress: deps
	@scripts/stress.sh $(call flags,stress)

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

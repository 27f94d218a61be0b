# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # LOGS, ICOUNT_SHIFT: read by the scripts
# Common helpers for the kvm-mmu-reclaim scripts.  Source it, do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# The tree we build is always a git repository under $BUILD: Debian's source
# by default, or an import of KSRC (which is never modified).
set_src() {
	if [ -n "${KSRC:-}" ]; then
		SRC=$BUILD/ksrc-$(echo "$KSRC" | sha256sum | cut -c1-8)
	else
		SRC=$BUILD/linux
	fi
}
set_src
LOGS=$BUILD/logs
# Shared by every clone on the machine: a second clone rebuilds from cache.
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-mmu-reclaim/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Paths under $BUILD hash as relative ones, and the working directory not
# at all, so that a clone in another directory (CI's) hits the same cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD}
[ -n "${CCACHE_HASHDIR:-}" ] || export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}

# die "what went wrong" ["log path"]: one line on stderr, non-zero exit.
die() {
	if [ $# -gt 1 ]; then
		echo "error: $1 (log: $2)" >&2
	else
		echo "error: $1" >&2
	fi
	exit 1
}

info() { echo ">> $*" >&2; }

# parse_flags "<settings>" "$@": an entry script's command line.  Setting
# NAME is the flag --name=value or --name value, lower case with '-' for
# '_' (RG_VMS: --rg-vms); a setting written NAME? is a switch, --name
# alone meaning 1.  Each flag sets and exports NAME, so that the scripts
# it runs see it too.  --help lists the flags, --settings the names (for
# the Makefile, which maps make's variables to these flags); anything
# else stops with one line.  Flags are the only way in: a setting found
# in the environment and not given as a flag stops the script, unless
# an entry script that started it passed it on (KMR_FLAGS lists those).
parse_flags() {
	local settings=$1 arg name val v f found list="" names="" inenv="" given=" "
	shift
	for v in $settings; do
		list="$list $(flag_of "$v")"
		names="$names ${v%\?}"
		f=${v%\?}
		[ -z "${!f+set}" ] || inenv="$inenv $f"
	done
	while [ $# -gt 0 ]; do
		arg=$1
		shift
		[ "$arg" != --help ] || { echo "usage: ${0##*/} [flags]; flags:$list"; exit 0; }
		[ "$arg" != --settings ] || { echo "${names# }"; exit 0; }
		case $arg in
		--*=*) name=${arg%%=*} val=${arg#*=} ;;
		--*) name=$arg val="" ;;
		*) die "${0##*/}: '$arg' is not a flag (flags:$list)" ;;
		esac
		found=""
		for v in $settings; do
			[ "$(flag_of "$v")" != "$name" ] || found=$v
		done
		[ -n "$found" ] || die "${0##*/}: unknown flag '$name' (flags:$list)"
		f=${found%\?}
		if [ "$arg" = "$name" ]; then
			# No "=": a switch is 1, any other flag takes the next word.
			if [ "$f" != "$found" ]; then
				val=1
			else
				[ $# -gt 0 ] || die "${0##*/}: $name needs a value"
				val=$1
				shift
			fi
		fi
		printf -v "$f" '%s' "$val"
		export "${f?}"
		given="$given$f "
	done
	for f in $inenv; do
		case "$given ${KMR_FLAGS:-} " in *" $f "*) continue ;; esac
		die "${0##*/}: $f is set in the environment: give it as $(flag_of "$f") (make ... $f=value)"
	done
	KMR_FLAGS="${KMR_FLAGS:-}${given% }"
	export KMR_FLAGS
	set_src
}

# flag_of <setting>: its flag (RG_VMS: --rg-vms).
flag_of() {
	local n=${1%\?}
	n=${n,,}
	echo "--${n//_/-}"
}

# Variants are named in kvm/variants: a prefix of kvm/series ("4"), or a
# prefix with reclaim orders of kvm/orders/ applied on top ("4+abit+lru").
variant_names() { awk '!/^#/ && NF { print $1 }' "$TOP/kvm/variants"; }

variant_patches() {
	local p
	p=$(awk -v v="$1" '!/^#/ && $1 == v { print $2 }' "$TOP/kvm/variants")
	[ -n "$p" ] || die "unknown variant '$1' (known: $(variant_names | tr '\n' ' '))"
	echo "$p"
}

# variant_count <variant>: how many patches of kvm/series it applies.
variant_count() {
	local p
	# A command substitution does not inherit set -e: stop on die here.
	p=$(variant_patches "$1") || exit 1
	echo "${p%%+*}"
}

# variant_orders <variant>: the kvm/orders/<name>.patch files it applies
# after them, in order (none for a prefix of the series).
variant_orders() {
	local p
	p=$(variant_patches "$1") || exit 1
	case $p in *+*) echo "${p#*+}" | tr '+' ' ' ;; esac
}

# check_variants "list": fail before anything runs on an unknown name.
check_variants() {
	local v
	for v in $1; do variant_patches "$v" >/dev/null; done
}

# The MMU modes: shadow paging, the legacy (shadow-MMU) TDP code, and the
# TDP MMU (KVM's default).  mode_params <mode> prints the host kernel's
# command line for it; mode_expect <mode> what the booted kernel's
# kvm.tdp_mmu and kvm_amd.npt / kvm_intel.ept must then read.
ALL_MODES="shadow tdp-legacy tdp"

check_mode() {
	case "$1" in
	shadow | tdp-legacy | tdp) ;;
	*) die "unknown MMU mode '$1' (known: $ALL_MODES)" ;;
	esac
}

mode_params() {
	case "$1" in
	shadow) echo "kvm_amd.npt=0 kvm_intel.ept=0" ;;
	tdp-legacy) echo "kvm_amd.npt=1 kvm_intel.ept=1 kvm.tdp_mmu=0" ;;
	tdp) echo "kvm_amd.npt=1 kvm_intel.ept=1 kvm.tdp_mmu=1" ;;
	esac
}

mode_expect() {	# "<tdp_mmu> <npt or ept>"
	case "$1" in
	shadow) echo "N N" ;;
	tdp-legacy) echo "N Y" ;;
	tdp) echo "Y Y" ;;
	esac
}

# Modes are a list everywhere (MODES); MODE was the old name of some
# scripts and is refused rather than silently ignored.
no_mode_var() {
	[ -z "${MODE+set}" ] || die "MODE is not a setting (MODE=$MODE): use MODES, a list of MMU modes ($ALL_MODES)"
}

# Guest timing: "real" runs QEMU as it is (MTTCG or KVM); "icount" makes
# guest time a count of executed instructions (-icount, TCG only), so a
# run repeats to the instruction.  Each instruction counts 2^ICOUNT_SHIFT
# ns.  Measured with a 2x64M first pass (Documentation/harness.md): shift
# 2 halves the wall time of shift 0 and adds 1.3 % of timer-tick
# instructions to it; shift 3 saves little more and adds 2 %.
ICOUNT_SHIFT=2
check_timing() {
	case "$1" in
	real | icount) ;;
	*) die "unknown TIMING '$1' (known: real icount)" ;;
	esac
}

# check_accel <accel> <timing>: a known accelerator that the timing can use.
check_accel() {
	case "$1" in auto | kvm | tcg | tcg-single) ;; *) die "unknown accelerator '$1' (known: auto kvm tcg tcg-single)" ;; esac
	[ "$2" != icount ] || [ "$1" != kvm ] ||
		die "TIMING=icount needs TCG: QEMU's -icount does not work with -accel kvm (use ACCEL=auto or tcg)"
}

# Serialise kernel builds and source checkouts: never two at once.
build_lock() {
	# A child of the holder (initramfs.sh runs selftests.sh) inherits fd 9
	# and the lock with it; locking again would wait for itself.
	[ -z "${BUILD_LOCKED:-}" ] || return 0
	mkdir -p "$BUILD"
	exec 9>"$BUILD/.build.lock"
	flock 9
	export BUILD_LOCKED=1
}

# kernel_obj <variant> [flavour]: the O= directory of a kernel build; its
# image is <dir>/arch/x86/boot/bzImage.
kernel_obj() {
	if [ "${2:-host}" = host ]; then
		echo "$BUILD/obj/$1"
	else
		echo "$BUILD/obj/$1-$2"
	fi
}

kernel_version() { make -s -C "$SRC" kernelversion 2>/dev/null; }

# variant_field <variant> <column>: 3 = shrinker behaviour, 4 = list order.
variant_field() {
	variant_patches "$1" >/dev/null
	awk -v v="$1" -v c="$2" '!/^#/ && $1 == v { print $c }' "$TOP/kvm/variants"
}

# SPDX-License-Identifier: GPL-2.0
# Common helpers for the kvm-mmu-reclaim scripts.  Source it, do not run it.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# The tree we build is always a git repository under $BUILD: Debian's source
# by default, or an import of KSRC (which is never modified).
if [ -n "${KSRC:-}" ]; then
	SRC=$BUILD/ksrc-$(echo "$KSRC" | sha256sum | cut -c1-8)
else
	SRC=$BUILD/linux
fi
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

# Variants are named prefixes of kvm/series: "name count" in kvm/variants.
variant_names() { awk '!/^#/ && NF { print $1 }' "$TOP/kvm/variants"; }

variant_count() {
	local n
	n=$(awk -v v="$1" '!/^#/ && $1 == v { print $2 }' "$TOP/kvm/variants")
	[ -n "$n" ] || die "unknown variant '$1' (known: $(variant_names | tr '\n' ' '))"
	echo "$n"
}

# check_variants "list": fail before anything runs on an unknown name.
check_variants() {
	local v
	for v in $1; do variant_count "$v" >/dev/null; done
}

check_mode() {
	case "$1" in
	shadow|tdp-legacy) ;;
	*) die "unknown MMU mode '$1' (known: shadow tdp-legacy)" ;;
	esac
}

# Serialise kernel builds and source checkouts: never two at once.
build_lock() {
	mkdir -p "$BUILD"
	exec 9>"$BUILD/.build.lock"
	flock 9
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
	variant_count "$1" >/dev/null
	awk -v v="$1" -v c="$2" '!/^#/ && $1 == v { print $c }' "$TOP/kvm/variants"
}

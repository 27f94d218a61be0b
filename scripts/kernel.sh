#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build one variant of the host kernel: kernel.sh <variant> [flavour]
#   flavour host (default): tinyconfig + kvm/configs/host.config -> bzImage
#   flavour debug: host + kvm/configs/debug.config (lockdep, KASAN, ...)
#   flavour modules: host + kvm/configs/modules.config; compiles KVM only
# Output: $BUILD/obj/<variant>[-<flavour>]/arch/x86/boot/bzImage
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: kernel.sh <variant> [host|debug|modules]}
flavour=${2:-host}
n=$(variant_count "$variant")
case "$flavour" in
host) frags="host" target=bzImage ;;
debug) frags="host debug" target=bzImage ;;
modules) frags="host modules" target=arch/x86/kvm/ ;;
*) die "unknown flavour '$flavour' (known: host debug modules)" ;;
esac
obj=$(kernel_obj "$variant" "$flavour")

"$TOP/scripts/source.sh"
build_lock
commit=$(git -C "$SRC" rev-parse pristine)
if [ -n "$(variant_orders "$variant")" ]; then
	commit=$(git -C "$SRC" rev-parse -q --verify "variant/$variant") ||
		die "variant $variant needs $n patches but kvm/series has fewer"
elif [ "$n" -gt 0 ]; then
	commit=$(git -C "$SRC" rev-list --reverse pristine..series | sed -n "${n}p")
	[ -n "$commit" ] || die "variant $variant needs $n patches but kvm/series has fewer"
fi
# Only files that differ change, so each O= directory rebuilds only them.
git -C "$SRC" checkout -q -f --detach "$commit"

mkdir -p "$obj" "$LOGS"
log=$LOGS/build-$variant-$flavour.log
: >"$log"
mk() { make -C "$SRC" O="$obj" CC="ccache gcc" HOSTCC="ccache gcc" "$@" >>"$log" 2>&1; }

# Re-make .config only when a fragment changed.
fragfiles=()
for f in $frags; do fragfiles+=("$TOP/kvm/configs/$f.config"); done
sum=$(cat "${fragfiles[@]}" | sha256sum | cut -d' ' -f1)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.frag.sum" 2>/dev/null)" != "$sum" ]; then
	mk tinyconfig || die "make tinyconfig failed" "$log"
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "${fragfiles[@]}" >>"$log" 2>&1 ||
		die "merge_config.sh failed" "$log"
	mk olddefconfig || die "make olddefconfig failed" "$log"
	"$TOP/scripts/kconfig-check.sh" "$obj/.config" "${fragfiles[@]}"
	echo "$sum" >"$obj/.frag.sum"
fi

info "building $variant ($flavour, $(git -C "$SRC" log -1 --format=%s "$commit" | cut -c1-60)) in $obj"
start=$(date +%s)
if ! mk -j"$(nproc)" $target; then
	grep -E 'error|Error' "$log" | tail -n 15 >&2 || tail -n 15 "$log" >&2
	die "build of $variant ($flavour) failed" "$log"
fi
info "built $variant ($flavour) in $(($(date +%s) - start)) s"

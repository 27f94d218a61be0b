#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare the kernel source: a git repository whose first commit (branch
# "pristine") is the untouched tree, and a branch "series" holding
# kvm/series applied with git am, plus a branch "variant/<name>" for each
# variant with reclaim orders (kvm/orders/).  Default source: Debian's
# linux-source-6.12; KSRC=/path imports any other 6.12-based tree instead.
# Usage: source.sh [--print-dir]
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

ident=(-c user.name="kvm-mmu-reclaim" -c user.email="kvm-mmu-reclaim@example.org")

is_612() {
	[ -f "$1/Makefile" ] && [ -f "$1/arch/x86/kvm/mmu/mmu.c" ] || return 1
	grep -q '^VERSION = 6$' "$1/Makefile" && grep -q '^PATCHLEVEL = 12$' "$1/Makefile"
}

import_tree() {	# import_tree <description>: commit $SRC as it is
	git -C "$SRC" init -q -b pristine
	# git am would start "gc --auto", repacking ~80k objects for minutes.
	git -C "$SRC" config gc.auto 0
	git -C "$SRC" config maintenance.auto false
	# Debian's .gitignore ignores the whole top level: add with -f.
	git -C "$SRC" add -A -f
	git -C "$SRC" "${ident[@]}" commit -q -m "$1 (pristine)"
}

prepare_tree() {
	local tmp
	if git -C "$SRC" rev-parse -q --verify pristine >/dev/null 2>&1; then
		return 0
	fi
	if [ -n "${KSRC:-}" ]; then
		is_612 "$KSRC" || die "KSRC=$KSRC is not a Linux 6.12 tree (need Makefile with VERSION 6, PATCHLEVEL 12, and arch/x86/kvm); set KSRC to a 6.12 source tree or unset it"
		info "importing $KSRC into $SRC"
		rm -rf "$SRC"
		mkdir -p "$SRC"
		tar -C "$KSRC" --exclude=.git -cf - . | tar -C "$SRC" -xf -
		import_tree "Linux $(kernel_version) imported from $KSRC"
		return 0
	fi
	local tarball=/usr/src/linux-source-6.12.tar.xz
	[ -f "$tarball" ] || die "$tarball missing: run scripts/deps.sh (installs linux-source-6.12) or set KSRC"
	info "unpacking $tarball into $SRC"
	tmp=$BUILD/.unpack.$$
	rm -rf "$tmp" "$SRC"
	mkdir -p "$tmp"
	tar -C "$tmp" -xf "$tarball"
	mv "$tmp"/linux-source-6.12 "$SRC"
	rmdir "$tmp"
	is_612 "$SRC" || die "$tarball did not unpack to a 6.12 tree"
	import_tree "Linux $(kernel_version) from Debian linux-source-6.12"
}

series_files() { awk '!/^#/ && NF { print $1 }' "$TOP/kvm/series"; }

# The series branch is re-made whenever kvm/series or a patch changes.
apply_series() {
	local stamp sum p log
	stamp=$SRC/.git/kvm-series.sum
	sum=$( (cat "$TOP/kvm/series"; for p in $(series_files); do cat "$TOP/kvm/patches/$p"; done) | sha256sum | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] &&
	   git -C "$SRC" rev-parse -q --verify series >/dev/null; then
		return 0
	fi
	log=$LOGS/git-am.log
	mkdir -p "$LOGS"
	git -C "$SRC" am --abort >/dev/null 2>&1 || true
	git -C "$SRC" checkout -q -f -B series pristine
	: >"$log"
	for p in $(series_files); do
		[ -f "$TOP/kvm/patches/$p" ] || die "kvm/series names $p, which is not in kvm/patches"
		if ! git -C "$SRC" "${ident[@]}" am -q --keep-cr "$TOP/kvm/patches/$p" >>"$log" 2>&1; then
			local f
			f=$(sed -n 's/^error: patch failed: \(.*\):[0-9]*$/\1/p; s/^error: \(.*\): does not exist in index$/\1/p' "$log" | head -n1)
			git -C "$SRC" am --abort >/dev/null 2>&1 || true
			die "patch $p does not apply to $SRC${f:+ (file $f)}; refresh it with 'make patches'" "$log"
		fi
	done
	echo "$sum" >"$stamp"
}

# A variant with reclaim orders (kvm/variants: "4+abit") gets a branch
# "variant/<name>": its prefix of the series, then kvm/orders/<order>.patch
# for each order, re-made whenever they change.
apply_orders() {
	local v n o sum stamp base log
	log=$LOGS/git-am.log
	for v in $(variant_names); do
		[ -n "$(variant_orders "$v")" ] || continue
		n=$(variant_count "$v")
		base=$(git -C "$SRC" rev-list --reverse pristine..series | sed -n "${n}p")
		if [ -z "$base" ]; then
			# No such prefix: kernel.sh fails for it, should it be built.
			git -C "$SRC" update-ref -d "refs/heads/variant/$v"
			continue
		fi
		sum=$( (echo "$base"; for o in $(variant_orders "$v"); do
			[ -f "$TOP/kvm/orders/$o.patch" ] || die "variant $v names order $o, which is not in kvm/orders"
			cat "$TOP/kvm/orders/$o.patch"
		done) | sha256sum | cut -d' ' -f1)
		stamp=$SRC/.git/kvm-variant-$v.sum
		if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] &&
		   git -C "$SRC" rev-parse -q --verify "variant/$v" >/dev/null; then
			continue
		fi
		git -C "$SRC" checkout -q -f -B "variant/$v" "$base"
		: >"$log"
		for o in $(variant_orders "$v"); do
			if ! git -C "$SRC" "${ident[@]}" am -q --keep-cr "$TOP/kvm/orders/$o.patch" >>"$log" 2>&1; then
				git -C "$SRC" am --abort >/dev/null 2>&1 || true
				die "order $o of variant $v does not apply to patch $n of the series" "$log"
			fi
		done
		echo "$sum" >"$stamp"
	done
}

build_lock
prepare_tree
apply_series
apply_orders
if [ "${1:-}" = --print-dir ]; then echo "$SRC"; fi

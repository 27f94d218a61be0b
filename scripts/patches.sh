#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# patches.sh apply            apply kvm/patches (order: kvm/series) to the
#                             source tree's "series" branch
# patches.sh refresh [BRANCH] regenerate kvm/patches from BRANCH (default
#                             dev): its kernel commits, plus a selftests
#                             commit made from selftests/kvm/ (the master
#                             copy), plus the cover letter kvm/cover-letter
# patches.sh verify           the selftests patch matches selftests/kvm/
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

ident=(-c user.name=kvm-mmu-reclaim -c user.email=kvm-mmu-reclaim@example.org)
st_subject=$(head -n1 "$TOP/kvm/selftests-changelog")

refresh() {
	local branch=$1 wt tmp n
	git -C "$SRC" rev-parse -q --verify "$branch" >/dev/null ||
		die "no branch '$branch' in $SRC"
	wt=$BUILD/.refresh-wt
	rm -rf "$wt"
	git -C "$SRC" worktree prune
	git -C "$SRC" worktree add -q -f -B series-out "$wt" "$branch"
	# Drop an earlier selftests commit: it is always made anew.
	if [ "$(git -C "$wt" log -1 --format=%s)" = "$st_subject" ]; then
		git -C "$wt" reset -q --hard HEAD~1
	fi
	"$TOP/scripts/selftests-overlay.sh" "$wt" | xargs git -C "$wt" add -f
	git -C "$wt" diff --cached --quiet ||
	git -C "$wt" "${ident[@]}" commit -q -s -F "$TOP/kvm/selftests-changelog"
	tmp=$(mktemp -d)
	git -C "$wt" config branch.series-out.description "$(cat "$TOP/kvm/cover-letter")"
	git -C "$wt" "${ident[@]}" format-patch -q --cover-letter --cover-from-description=subject \
		--subject-prefix="PATCH v$(cat "$TOP/kvm/version")" -o "$tmp" pristine..series-out
	rm -f "$TOP"/kvm/patches/*.patch
	mkdir -p "$TOP/kvm/patches"
	cp "$tmp"/*.patch "$TOP/kvm/patches/"
	(cd "$tmp" && printf '%s\n' ./*.patch | sed 's|^\./||' | grep -v '^0000-') >"$TOP/kvm/series"
	rm -rf "$tmp" "$wt"
	git -C "$SRC" worktree prune
	n=$(wc -l <"$TOP/kvm/series")
	info "kvm/patches: cover letter + $n patches from $branch"
}

# Compare the selftests patch of the applied series with the master copy.
verify() {
	local f bad=""
	for f in "$TOP"/selftests/kvm/x86_64/*.c; do
		git -C "$SRC" show "series:tools/testing/selftests/kvm/x86_64/$(basename "$f")" 2>/dev/null |
			cmp -s - "$f" || bad="$bad $(basename "$f")"
	done
	[ -z "$bad" ] || die "kvm/patches differ from selftests/kvm/ for:$bad; run 'make patches REFRESH=1'"
	echo "selftests patch matches selftests/kvm/"
}

case "${1:-apply}" in
apply) "$TOP/scripts/source.sh" ;;
refresh) "$TOP/scripts/source.sh"; build_lock; refresh "${2:-dev}" ;;
verify) "$TOP/scripts/source.sh"; verify ;;
*) die "usage: patches.sh apply|refresh [branch]|verify" ;;
esac

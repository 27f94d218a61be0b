#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lint every shell script of the project with shellcheck (the
# pipeline, the guest jobs, the tests), run from the top directory so that
# the "source=" directives resolve.  Prints its findings; exit 1 on any.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
command -v shellcheck >/dev/null || die "shellcheck missing: run scripts/deps.sh"
cd "$TOP"
files=()
while read -r f; do
	case $f in
	*.sh) files+=("$f") ;;
	*) head -n1 "$f" | grep -qE '^#!.*(/|busybox )(ba|da)?sh' && files+=("$f") ;;
	esac
done < <(find scripts selftests kvm .ci -type f ! -path '*/data/*' | sort)
[ ${#files[@]} -gt 0 ] || die "no shell scripts found under $TOP"
shellcheck -x -f gcc "${files[@]}" || die "shellcheck found problems in the files above"
echo "shellcheck: ${#files[@]} files clean"

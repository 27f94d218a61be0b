#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the project needs, printing what it installs.
# Idempotent: does nothing when everything is there.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

pkgs="linux-source-6.12 qemu-system-x86 busybox-static stress-ng ccache
gnuplot-nox flex bison bc libelf-dev libssl-dev cpio gcc make git xz-utils
python3 rsync shellcheck libgsl-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "deps: installing:$missing"
[ "$(id -u)" = 0 ] || die "missing packages:$missing; run as root or install them"
mkdir -p "$LOGS"
log=$LOGS/deps.log
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >"$log" 2>&1 || die "apt-get update failed" "$log"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >>"$log" 2>&1 ||
	die "apt-get install$missing failed" "$log"

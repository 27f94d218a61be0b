# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # out is for the caller, tmp its own
# KTAP helpers of the project's test scripts, on the kernel tree's own
# kselftest/ktap_helpers.sh (scripts/source.sh unpacks the tree).  Source
# it after setting $TOP and $tmp (a scratch directory); it prints the
# version line.  Then, per test: fail "why" for each problem found, and
# result "name" prints "ok N name" or "not ok N name # why"; skip_test
# "name" "why" a skip.  totals prints the plan and the "# Totals:" line;
# the script's exit status is then that of [ "$failed" = 0 ].
n=0 failed=0 why=""
ktap=$(bash -c '. "$1/scripts/lib.sh" && echo "$SRC"' _ "$TOP")/tools/testing/selftests/kselftest/ktap_helpers.sh
if [ ! -f "$ktap" ]; then
	echo "Bail out! no $ktap (run scripts/source.sh)"
	exit 1
fi
# shellcheck source=/dev/null # the tree's
. "$ktap"
ktap_print_header

# ktap_helpers.sh prints the description unquoted: no globbing of a "**".
# result <name>: one KTAP line; the test failed if $why is not empty.
result() {
	n=$((n + 1))
	set -f
	if [ -z "$why" ]; then
		ktap_test_pass "$1"
	else
		ktap_test_fail "$1 # ${why#; }"
		failed=$((failed + 1))
	fi
	set +f
	why=""
}

# skip_test <name> <why>: a skipped test.
skip_test() {
	n=$((n + 1))
	set -f
	ktap_test_skip "$1 ($2)"
	set +f
}

fail() { why="$why; $*"; }

# run <command...>: stdout in $out, exit status in $rc, stderr in $tmp/err.
run() {
	rc=0
	out=$("$@" 2>"$tmp/err") || rc=$?
}

# expect_error <name> <pattern> <command...>: exit 1 and exactly one
# "error:" line on stderr, matching <pattern>.
expect_error() {
	local name=$1 pat=$2 err
	shift 2
	run "$@"
	err=$(grep '^error:' "$tmp/err")
	if [ "$rc" != 1 ]; then
		fail "exit status $rc, want 1"
	elif [ "$(printf '%s\n' "$err" | grep -c .)" != 1 ]; then
		fail "want one error: line, got: $(head -c 300 "$tmp/err")"
	elif ! printf '%s\n' "$err" | grep -qE -- "$pat"; then
		fail "error line does not match /$pat/: $err"
	fi
	result "$name"
}

# build_tool <dir> <binary>: make scripts/<dir> into $O with -Werror, one
# TAP line; bail out of the whole script when it does not build.
build_tool() {
	local name="build $2 (make -C scripts/$1 O=..., -Werror)"
	if make -s -C "$TOP/scripts/$1" O="$O" CFLAGS=-O2 WERROR=1 >"$tmp/build.log" 2>&1 &&
		[ -x "$O/$2" ]; then
		result "$name"
		return
	fi
	fail "$(grep -m1 -E 'error|warning' "$tmp/build.log" || tail -n 1 "$tmp/build.log")" \
		"(no $O/$2)"
	result "$name"
	echo "Bail out! $2 did not build"
	exit 1
}

totals() {
	echo "1..$n"
	ktap_print_totals
}

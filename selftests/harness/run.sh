#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the pipeline's own shell code: feed it bad input and check that
# it fails with one clear "error:" line, a non-zero exit and, where there
# is one, a log path that exists.  TAP output.
#
# Cases that need no kernel run on a throw-away copy of the project with a
# fake kernel tree (FAKE), so they take seconds.  The injected-failure
# cases (make stress, and a realguest bench whose guest never reports)
# boot the real base kernel when it has been built, and skip otherwise.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/tap.sh
. "$TOP/selftests/tap.sh"
# The kernel tree (scripts/source.sh unpacks it), for its selftest runner.
SRC=$(bash -c '. "$1/scripts/lib.sh" && echo "$SRC"' _ "$TOP")

# expect_fail <name> <pattern> <command...>: the command must exit non-zero
# and print exactly one "error:" line matching <pattern> on stderr.
expect_fail() {
	local name=$1 pat=$2 rc=0 err log
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	err=$(grep '^error:' "$tmp/err")
	log=$(echo "$err" | sed -n 's/.*(log: \(.*\))$/\1/p')
	if [ $rc = 0 ]; then
		fail "exit status 0"
	elif [ "$(echo "$err" | grep -c .)" != 1 ]; then
		fail "expected one error: line, got: $(head -c 300 "$tmp/err")"
	elif ! echo "$err" | grep -qE "$pat"; then
		fail "error line does not match /$pat/: $err"
	elif [ -n "$log" ] && [ ! -e "$log" ]; then
		fail "log $log does not exist"
	fi
	result "$name"
}

# A throw-away copy of the project whose build dir holds a fake kernel
# repository, so source/patch/build errors happen in seconds.
fake=$tmp/proj
mkdir -p "$fake"
cp -a "$TOP/scripts" "$TOP/kvm" "$fake/"
make_fake_tree() {	# make_fake_tree <dir> <patchlevel>
	mkdir -p "$1/arch/x86/kvm/mmu" "$1/scripts/kconfig"
	printf 'VERSION = 6\nPATCHLEVEL = %s\n' "$2" >"$1/Makefile"
	# (heredoc "<<-" strips tabs: the recipes use another prefix)
	cat >>"$1/Makefile" <<-'MK'
	.RECIPEPREFIX = >
	kernelversion:
	> @echo 6.$(PATCHLEVEL).0-fake
	tinyconfig olddefconfig:
	> @mkdir -p $(O) && touch $(O)/.config
	bzImage arch/x86/kvm/:
	> @echo "arch/x86/kvm/mmu/mmu.c:1:1: error: fake build failure"; exit 2
	MK
	cat >"$1/scripts/kconfig/merge_config.sh" <<-'SH'
	#!/bin/sh
	# merge_config.sh -m -O <dir> <base> <fragments...>
	o=$3; shift 4; grep -h '^CONFIG_' "$@" >>"$o/.config"
	SH
	chmod +x "$1/scripts/kconfig/merge_config.sh"
	echo 'int x;' >"$1/arch/x86/kvm/mmu/mmu.c"
}
make_fake_tree "$tmp/k611" 11
make_fake_tree "$tmp/k612" 12
mkdir -p "$tmp/notakernel"

expect_fail "KSRC that is not a kernel tree" "KSRC=.*not a Linux 6.12 tree" \
	env BUILD="$tmp/b1" KSRC="$tmp/notakernel" "$fake/scripts/source.sh"
expect_fail "KSRC that is not 6.12" "KSRC=.*not a Linux 6.12 tree" \
	env BUILD="$tmp/b2" KSRC="$tmp/k611" "$fake/scripts/source.sh"

# A patch that does not apply: name the patch and the file.
cat >"$fake/kvm/patches/9999-broken.patch" <<'EOF2'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: kvm-mmu-reclaim <kvm-mmu-reclaim@example.org>
Date: Sun, 22 Nov 2026 00:00:00 +0000
Subject: [PATCH] broken

---
 arch/x86/kvm/mmu/mmu.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/arch/x86/kvm/mmu/mmu.c b/arch/x86/kvm/mmu/mmu.c
--- a/arch/x86/kvm/mmu/mmu.c
+++ b/arch/x86/kvm/mmu/mmu.c
@@ -1 +1 @@
-int this_line_is_not_there;
+int y;
-- 
2.39.5
EOF2
# The fake tree has none of the files the real patches touch: only this one.
echo 9999-broken.patch >"$fake/kvm/series"
expect_fail "a patch that does not apply" "patch 9999-broken.patch does not apply.*file arch/x86/kvm/mmu/mmu.c" \
	env BUILD="$tmp/b3" KSRC="$tmp/k612" "$fake/scripts/source.sh"
# A script with an unquoted variable: shellcheck.sh fails with one error line.
mkdir -p "$fake/selftests" "$fake/.ci"
# shellcheck disable=SC2016 # the unquoted $1 is the point
printf '#!/bin/sh\nrm -rf $1/x\n' >"$fake/scripts/lint-me.sh"
expect_fail "shellcheck finds a problem" "shellcheck found problems" \
	"$fake/scripts/shellcheck.sh"
rm "$fake/scripts/lint-me.sh"
# The base variant needs no patch.
: >"$fake/kvm/series"
expect_fail "a build that fails" "build of base \(host\) failed" \
	env BUILD="$tmp/b4" KSRC="$tmp/k612" "$fake/scripts/kernel.sh" base host
# A variant with an order (kvm/orders/) on a prefix: the order must apply
# on it, and the prefix must exist.  good.patch applies to the fake tree.
sed 's/^-int this_line_is_not_there;$/-int x;/' "$fake/kvm/patches/9999-broken.patch" \
	>"$fake/kvm/patches/0001-good.patch"
echo 0001-good.patch >"$fake/kvm/series"
mkdir -p "$fake/kvm/orders"
cp "$fake/kvm/patches/9999-broken.patch" "$fake/kvm/orders/broken.patch"
printf 'base 0 zap fifo\nbad 1+broken cache fifo\n' >"$fake/kvm/variants"
expect_fail "an order that does not apply" "order broken of variant bad does not apply to patch 1 of the series" \
	env BUILD="$tmp/b5" KSRC="$tmp/k612" "$fake/scripts/source.sh"
cp "$fake/kvm/patches/0001-good.patch" "$fake/kvm/orders/good.patch"
printf 'base 0 zap fifo\nlong 2+good cache fifo\n' >"$fake/kvm/variants"
expect_fail "an order on a prefix the series lacks" "variant long needs 2 patches but kvm/series has fewer" \
	env BUILD="$tmp/b5" KSRC="$tmp/k612" "$fake/scripts/kernel.sh" long host
cp "$TOP/kvm/variants" "$fake/kvm/variants"
: >"$fake/kvm/series"
expect_fail "an unknown variant (kernel.sh)" "unknown variant 'nosuch'" \
	env BUILD="$tmp/b4" KSRC="$tmp/k612" "$fake/scripts/kernel.sh" nosuch
expect_fail "an unknown flavour" "unknown flavour 'fancy'" \
	env BUILD="$tmp/b4" KSRC="$tmp/k612" "$fake/scripts/kernel.sh" base fancy
expect_fail "an unknown variant (run.sh)" "unknown variant 'nosuch'" \
	"$TOP/scripts/run.sh" -v nosuch -c true
expect_fail "an unknown MMU mode" "unknown MMU mode 'ept'" \
	"$TOP/scripts/run.sh" -v base -m ept -c true
expect_fail "a timeout that is not a number" "timeout '1m' is not a number" \
	"$TOP/scripts/run.sh" -v base -t 1m -c true
expect_fail "an unknown timing (run.sh)" "unknown TIMING 'exact'" \
	"$TOP/scripts/run.sh" -v base -T exact -c true
expect_fail "icount with KVM acceleration (run.sh)" "TIMING=icount needs TCG" \
	"$TOP/scripts/run.sh" -v base -T icount -a kvm -c true
expect_fail "an unknown accelerator" "unknown accelerator 'hvf'" \
	"$TOP/scripts/run.sh" -v base -a hvf -c true
expect_fail "more CPUs than the kernel has" "smp '16' is not a number of CPUs from 1 to 8" \
	"$TOP/scripts/run.sh" -v base -s 16 -c true
expect_fail "MODE instead of MODES (run.sh)" "MODE is not a setting \(MODE=tdp\): use MODES" \
	env MODE=tdp "$TOP/scripts/run.sh" -v base -c true
expect_fail "qemu missing" "qemu-system-x86_64 not found" \
	env QEMU=/nonexistent/qemu-system-x86_64 "$TOP/scripts/run.sh" -v base -c true
expect_fail "a variant whose kernel is not built" "no kernel for base" \
	env BUILD="$tmp/b5" "$TOP/scripts/run.sh" -v base -c true
expect_fail "make kernels with an unknown variant" "unknown variant 'nosuch'" \
	env -u MAKELEVEL -u MAKEFLAGS make -s -C "$TOP" kernels VARIANTS=nosuch
# A setting a target does not take stops make at once, before any script.
expect_fail "make bench MODE=tdp (the old name)" "MODE is not a setting of 'make bench'" \
	env -u MAKELEVEL -u MAKEFLAGS make -s -C "$TOP" bench MODE=tdp
expect_fail "make check with a misspelt setting" "VARIANT is not a setting of 'make check'" \
	env -u MAKELEVEL -u MAKEFLAGS make -s -C "$TOP" check VARIANT=base
expect_fail "make stress with another target's setting" "SCENARIO is not a setting of 'make stress'" \
	env -u MAKELEVEL -u MAKEFLAGS make -s -C "$TOP" stress SCENARIO=smoke

# The entry scripts take flags, and make maps its settings to them.
expect_fail "bench: an unknown flag" "bench.sh: unknown flag '--mode' \(flags: --ksrc" \
	"$TOP/scripts/bench.sh" --mode=tdp
expect_fail "stress: a flag without its value" "stress.sh: --variants needs a value" \
	"$TOP/scripts/stress.sh" --variants
expect_fail "tracesim: an argument that is not a flag" "tracesim.sh: 'lru' is not a flag" \
	"$TOP/scripts/tracesim.sh" lru
expect_fail "tracesim: a timeout that is not a number" "TIMEOUT=soon is not a number of seconds" \
	"$TOP/scripts/tracesim.sh" --timeout=soon
expect_fail "check: an unknown flag" "check.sh: unknown flag '--variant'" \
	"$TOP/scripts/check.sh" --variant=base
# Settings come in as flags only: one in the environment is an error.
# Here from the top: without KMR_FLAGS and the settings make check itself
# may have been given, which it passes on.
top=(env -u KMR_FLAGS -u MAKELEVEL -u MAKEFLAGS)
for v in $("$TOP/scripts/check.sh" --settings); do top+=(-u "$v"); done
expect_fail "bench: a setting in the environment" \
	"bench.sh: VARIANTS is set in the environment: give it as --variants" \
	"${top[@]}" VARIANTS=base "$TOP/scripts/bench.sh" --dry-run
expect_fail "make bench with a setting in the environment" \
	"bench.sh: SCENARIO is set in the environment: give it as --scenario" \
	"${top[@]}" SCENARIO=smoke make -s -C "$TOP" bench DRY_RUN=1
out=$(env -u MAKELEVEL -u MAKEFLAGS make -n -s -C "$TOP" bench VARIANTS="base lru" RG_VMS=2 \
	DRY_RUN=1 2>&1) || true
echo "$out" | grep -qxF "scripts/bench.sh  --variants='base lru'  --rg-vms='2'  --dry-run='1'" ||
	fail "$(echo "$out" | tail -n1)"
result "make bench: its settings reach bench.sh as flags"
# make bench refuses bad settings before it installs, builds or boots.
expect_fail "bench: an unknown scenario" "unknown SCENARIO 'nope'" \
	"$TOP/scripts/bench.sh" --scenario=nope
expect_fail "bench: an unknown variant" "unknown variant 'nosuch'" \
	"$TOP/scripts/bench.sh" --variants="base nosuch"
expect_fail "bench: an argument that is not a flag" "bench.sh: 'fast' is not a flag" \
	"$TOP/scripts/bench.sh" fast
expect_fail "bench: REPS that is not a number" "REPS='two' is not a positive number" \
	"$TOP/scripts/bench.sh" --reps=two
expect_fail "bench: a page limit below KVM's minimum" "page limit 32 is below KVM's minimum of 64" \
	"$TOP/scripts/bench.sh" --scenario=pagelimit --limits=32
expect_fail "bench: a case larger than the booted kernel" "case lim-128 needs 1024 MiB .*MEM=768M" \
	"$TOP/scripts/bench.sh" --mem=768M
expect_fail "bench: a VM shape out of range" "VM shape '4x16' is not" \
	"$TOP/scripts/bench.sh" --scenario=scale --shapes=4x16
expect_fail "bench: PREBUILT that is not 0 or 1" "PREBUILT='yes' must be 0 or 1" \
	"$TOP/scripts/bench.sh" --prebuilt=yes
expect_fail "bench: an unknown MMU mode" "unknown MMU mode 'ept'" \
	"$TOP/scripts/bench.sh" --modes="shadow ept"
expect_fail "bench: MODE instead of MODES" "MODE is not a setting \(MODE=tdp-legacy\): use MODES" \
	env MODE=tdp-legacy "$TOP/scripts/bench.sh"
expect_fail "bench: an unknown timing" "unknown TIMING 'exact'" \
	"$TOP/scripts/bench.sh" --timing=exact
expect_fail "bench: icount with KVM acceleration" "TIMING=icount needs TCG" \
	"$TOP/scripts/bench.sh" --timing=icount --accel=kvm
expect_fail "stress: an unknown MMU mode" "unknown MMU mode 'npt'" \
	"$TOP/scripts/stress.sh" --modes=npt
expect_fail "stress: CPUS out of range" "CPUS='0' is not a number of CPUs" \
	"$TOP/scripts/stress.sh" --cpus=0
expect_fail "check: an unknown MMU mode" "unknown MMU mode 'ept'" \
	env BUILD="$tmp/b7" "$TOP/scripts/check.sh" --modes=ept
# make bench DRY_RUN=1: the case matrix and one QEMU command per boot,
# with nothing installed, built, booted or written (the fake project has
# no kernel at all).
rc=0
out=$(cd "$fake" && env BUILD="$tmp/b8" scripts/bench.sh --out="$tmp/dry" --dry-run \
	--scenario=realguest --reps 2 --modes=shadow --variants="base lru" 2>&1 </dev/null) || rc=$?
q=$(echo "$out" | grep -c '^  qemu: .*-m 1536M .*obj/\(base\|lru\)/arch/x86/boot/bzImage' || true)
if [ $rc != 0 ]; then
	fail "exit $rc: $(echo "$out" | tail -n1)"
elif [ "$q" != 4 ]; then
	fail "$q QEMU commands, want 4"
elif ! echo "$out" | grep -q '^  rg-stressng|realguest|stressng|'; then
	fail "no case matrix"
elif [ -e "$tmp/dry" ]; then
	fail "it wrote $tmp/dry"
fi
result "bench: DRY_RUN=1 prints the matrix and the QEMU commands"
# A scenario is a file: one added to scripts/scenarios/ runs as SCENARIO=.
echo "x1|scan|||-v 1 -b 8M -p '{press}'" >"$fake/scripts/scenarios/extra"
out=$(cd "$fake" && env BUILD="$tmp/b8" scripts/bench.sh --dry-run --scenario=extra --reps=1 \
	--variants=base 2>&1 </dev/null) || true
echo "$out" | grep -qxF "  x1|extra|scan||-v 1 -b 8M -p '/mm/shrinkscan -n 500 -r 5'||real" ||
	fail "$(echo "$out" | grep -m1 -E 'error|x1')"
result "bench: a new file in scripts/scenarios/ is a scenario"
rm "$fake/scripts/scenarios/extra"
expect_fail "bench: a setting no selected scenario uses" \
	"LIMITS does not apply to SCENARIO=overhead \(it applies to: pagelimit\)" \
	"$TOP/scripts/bench.sh" --scenario=overhead --limits=64
expect_fail "bench: DRY_RUN not 0 or 1" "DRY_RUN='yes' must be 0 or 1" \
	"$TOP/scripts/bench.sh" --dry-run=yes
expect_fail "run.sh -n without a job" "run.sh needs -c 'commands' or a job script" \
	"$TOP/scripts/run.sh" -n -v base
expect_fail "bench: realguest with too many guests" "RG_VMS='9' is not 1 to 4 guests" \
	"$TOP/scripts/bench.sh" --scenario=realguest --rg-vms=9
expect_fail "bench: an unknown pressure" "unknown pressure 'dropcaches4'" \
	"$TOP/scripts/bench.sh" --scenario=realguest --pressures="dropcaches3 dropcaches4"
# The realguest bundle: no QEMU to put in it, no guest kernel.
expect_fail "realguest: qemu missing" "realguest: /nonexistent/qemu-system-x86_64 not found" \
	env BUILD="$tmp/b6" QEMU=/nonexistent/qemu-system-x86_64 "$TOP/scripts/realguest.sh" "$TOP/README.md"
expect_fail "realguest: no guest kernel" "realguest: no guest kernel /nonexistent/bzImage" \
	env BUILD="$tmp/b6" "$TOP/scripts/realguest.sh" /nonexistent/bzImage

# The tracesim suite boots once more only when its boot timed out (an
# MTTCG hang), and says so; another failure, or a second timeout, fails.
# scripts/tracesim.sh is a stand-in that fails call N with line N of a
# file in data/tracesim/.  ts_case <file> <calls> <pattern of the failure>
ts_case() {
	local ts=$tmp/ts out calls
	rm -rf "$ts"
	mkdir -p "$ts/selftests/tracesim" "$ts/scripts" "$ts/build"
	cp "$TOP/selftests/tracesim/run.sh" "$ts/selftests/tracesim/"
	cp "$TOP/selftests/tap.sh" "$ts/selftests/"
	cp "$TOP/scripts/lib.sh" "$TOP/selftests/harness/data/tracesim/tracesim.sh" "$ts/scripts/"
	cp "$TOP/selftests/harness/data/tracesim/$1" "$ts/errors"
	ln -s "$SRC" "$ts/build/linux"
	out=$(bash "$ts/selftests/tracesim/run.sh" "$ts/res" lru 2>&1)
	calls=$(grep -c . "$ts/calls" 2>/dev/null)
	if [ "$calls" != "$2" ]; then
		fail "tracesim.sh ran ${calls:-0} times, want $2"
	elif ! echo "$out" | grep -m1 '^not ok 1 ' | grep -qE "$3"; then
		fail "first result: $(echo "$out" | grep -m1 -E '^(not )?ok 1 ')"
	elif [ "$2" = 2 ] && ! echo "$out" | grep -qF "# the boot timed out after 900 s (log: $ts/res.timeout.log): booting once more"; then
		fail "no line saying it boots once more"
	elif [ "$2" = 2 ] && [ ! -s "$ts/res.timeout.log" ]; then
		fail "the timed-out boot's log is gone"
	elif ! grep -q -- '--timeout=900 ' "$ts/calls"; then
		fail "tracesim.sh got no --timeout=900: $(head -n1 "$ts/calls")"
	fi
}
if [ ! -f "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh" ]; then
	for c in "a timeout, then another failure" "another failure" "two timeouts"; do
		skip_test "tracesim suite: $c" "no kernel tree in $SRC (scripts/source.sh)"
	done
else
	ts_case timeout-then-fail 2 "exit status 1: .*error: no report"
	result "tracesim suite: a timeout boots once more, then fails on the next error"
	ts_case fail 1 "exit status 1: .*error: no report"
	result "tracesim suite: another failure fails at once"
	ts_case timeout-twice 2 "exit status 1: .*guest timed out after 900 s"
	result "tracesim suite: two timeouts fail"
fi

# The runner's inputs for base in shadow paging from a fixed list of
# built tests (data/testlist/all.list): kvm/selftests-exclude drops
# xapic_ipi_test and the perf program, kvm/selftests-args gives
# dirty_log_test its arguments, every upstream test is retried, and
# mmu_shrinker_test gets base's expected failures (kvm/selftests-xfail).
tl=$tmp/tl
mkdir -p "$tmp/b9/selftests/kvm"
cp "$TOP/selftests/harness/data/testlist/all.list" "$tmp/b9/selftests/kvm/"
if ! env BUILD="$tmp/b9" "$TOP/scripts/testlist.sh" base shadow "$tl" >"$tmp/out" 2>&1; then
	fail "$(tail -n1 "$tmp/out")"
elif ! (cd "$TOP/selftests/harness/data/testlist" &&
	diff -u kselftest-list.txt "$tl/kselftest-list.txt" && diff -u args.env "$tl/args.env" &&
	diff -u wrap.list "$tl/wrap.list") >"$tmp/out" 2>&1; then
	fail "$(head -c 300 "$tmp/out" | tr '\n' '|')"
fi
result "testlist: the runner's inputs of base (shadow)"

# The guest's tests through the kernel's runner (run_kselftest.sh of the
# tree) and ksft-wrap: "retry" reruns a failed test once and says so; a
# test without it, a skip, a timeout and a test failing twice are not
# rescued; xfail passes exactly the expected failure.  The fake tests and
# the runner's inputs are in data/ksft/ (as scripts/testlist.sh writes
# them); scripts/ksft-results.sh makes the lines make check reports.
# expect_res <name> <pattern> <test> <runs>: one result line matches, and
# the test ran that many times.
if [ ! -x "$SRC/tools/testing/selftests/run_kselftest.sh" ]; then
	skip_test "run-tests: the guest's tests through run_kselftest.sh" "no kernel tree in $SRC (scripts/source.sh)"
else
	rt=$tmp/rt
	mkdir -p "$rt/runs"
	rt_rc=0
	RUNS=$rt/runs sh "$TOP/scripts/guest/run-tests.sh" -k "$SRC/tools/testing/selftests" \
		-b "$TOP/selftests/harness/data/ksft/bin" -w "$rt/work" \
		"$TOP/selftests/harness/data/ksft" >"$rt/tap" 2>&1 || rt_rc=$?
	"$TOP/scripts/ksft-results.sh" "$rt/tap" >"$rt/results" 2>&1 || true
	# runs <test>: how often the fake test ran.
	runs() { if [ -f "$rt/runs/$1.runs" ]; then grep -c '' "$rt/runs/$1.runs"; else echo 0; fi; }
	expect_res() {
		if ! grep -qE "$2" "$rt/results"; then
			fail "no line /$2/ in: $(tr '\n' '|' <"$rt/results" | head -c 300)"
		elif [ "$(runs "$3")" != "$4" ]; then
			fail "ran $(runs "$3") times, want $4"
		fi
		result "$1"
	}
	expect_res "run-tests: a flaky retried test passes on retry, and says so" \
		'^ok flaky # retried: first run exit 1$' flaky 2
	expect_res "run-tests: a retried test failing twice fails" \
		'^not ok broken # exit 3, retried: first run exit 3$' broken 2
	expect_res "run-tests: a test without retry runs once" '^not ok plain # exit 3$' plain 1
	expect_res "run-tests: a skip is not retried" '^ok skipped # SKIP no such feature$' skipped 1
	expect_res "run-tests: xfail, the listed subtests and some of the optional ones fail" \
		'^ok xfok # XFAIL subtests 2,3,5 fail as kvm/selftests-xfail expects$' xfok 1
	expect_res "run-tests: xfail, a listed subtest passed" \
		'^not ok xfmissing # exit 1, subtests failed: 2, expected: 2,3$' xfmissing 1
	expect_res "run-tests: xfail, an unlisted subtest failed" \
		'^not ok xfextra # exit 1, subtests failed: 2,4, expected: 2$' xfextra 1
	expect_res "run-tests: xfail, the test passed" \
		'^not ok xfpass # exit 0, subtests failed: none, expected: 2$' xfpass 1
	expect_res "run-tests: a retried test that times out (settings) is not retried" \
		'^not ok hung # TIMEOUT 3 seconds$' hung 1
	expect_res "run-tests: xfail retry, cut short first, the expected failure on retry" \
		'^ok xfcut # XFAIL subtests 2,3 fail as kvm/selftests-xfail expects, retried: first run exit 1$' xfcut 2
	expect_res "run-tests: xfail retry, the expected failure at once, runs once" \
		'^ok xfonce # XFAIL subtests 2 fail as kvm/selftests-xfail expects$' xfonce 1
	expect_res "run-tests: a test gets KSELFTEST_<TEST>_ARGS" '^ok args-test$' args-test 1
	{ [ "$rt_rc" = 1 ] && [ "$(grep -c '' "$rt/results")" = 12 ] &&
		grep -qx '1\.\.12' "$rt/tap"; } ||
		fail "exit $rt_rc, $(grep -c '' "$rt/results") results, see $rt/tap"
	result "run-tests: the runner's plan, a result per test, exit status 1"
fi

# Inside a run: make stress with a failure injected (test-only switch
# STRESS_FAULT) on the real base kernel, host flavour, 10 s of stress.
if [ -f "$TOP/build/obj/base/arch/x86/boot/bzImage" ] && [ -f "$TOP/build/initramfs.cpio.gz" ]; then
	# st <fault> [--flag=value...]: make stress with that fault injected.
	st() { "$TOP/scripts/stress.sh" --stress-fault="$1" --variants=base --modes=shadow \
		--flavour=host --duration=10 --out="$tmp/st-$1" "${@:2}"; }
	expect_fail "a guest kernel panic" "stress runs failed; first: base shadow: guest kernel: .*Kernel panic" \
		st panic
	expect_fail "a guest that hangs (timeout fires)" "stress runs failed; first: base shadow: guest timed out after 45 s" \
		st hang --timeout=45
	expect_fail "OOM inside the guest" "stress runs failed; first: base shadow: guest kernel: .*Out of memory" \
		st oom --mem=512M
	expect_fail "a stress worker that dies" "stress runs failed; first: base shadow: guest job exited 137" \
		st kill
	# A boot that hangs before /init (a 1 s timeout cuts every boot
	# short) is booted once more with its logs kept; a second one fails.
	expect_fail "a boot that hangs before /init, twice" \
		"stress runs failed; first: base shadow: guest timed out after 1 s" st "" --timeout=1
	if ! grep -q '^# base shadow: the boot hung before /init (log: .*/base-shadow.hung-boot/console.log): booting once more$' \
		"$tmp/out"; then
		fail "no 'booting once more' line: $(grep -m1 '^#' "$tmp/out")"
	elif [ ! -f "$tmp/st-/base-shadow.hung-boot.log" ] || [ ! -f "$tmp/st-/base-shadow.log" ]; then
		fail "the first boot's log was not kept beside the second's"
	fi
	result "a boot that hangs before /init: booted once more, the first kept"
	# The booted kernel must bring up every CPU and run the MMU mode asked
	# for: a command line that undoes either fails the run (one boot each).
	expect_fail "a guest with fewer CPUs online than -smp" "guest brought up 1 CPUs of -smp 2 .*" \
		env GUEST_APPEND=nr_cpus=1 "$TOP/scripts/run.sh" -v base -s 2 -o "$tmp/cpus" -c true
	expect_fail "an MMU mode that did not apply" "MMU mode tdp did not apply: .* read 'N Y', want 'Y Y'" \
		env GUEST_APPEND=kvm.tdp_mmu=0 "$TOP/scripts/run.sh" -v base -m tdp -o "$tmp/mode" -c true
	# make bench SCENARIO=realguest whose guest never reports (a command
	# that only sleeps): one boot, about 50 s with the builds.  The case
	# must be failed with the reason and the log path, not passed.
	rg=$tmp/rg
	"$TOP/scripts/bench.sh" --rg="mmu_realguest_perf -c 'sleep 600' -B 10 -W 1 -S 1 -P 1 -R 1" \
		--scenario=realguest --variants=base --reps=1 --pressures=scan --rg-vms=1 \
		--prebuilt --out="$rg" >"$tmp/rg.out" 2>&1 </dev/null
	meta=$rg/runs/shadow-base-r1-rg-scan/meta.txt
	log=$(sed -n 's/^reason=.*(log: \(.*\))$/\1/p' "$meta" 2>/dev/null)
	if ! grep -q '^status=failed$' "$meta" 2>/dev/null; then
		fail "status not failed: $(grep -m1 -E '^error:|^status=' "$tmp/rg.out" "$meta" 2>/dev/null)"
	elif ! grep -q '^reason=.*printed no report within -B' "$meta"; then
		fail "reason: $(grep '^reason=' "$meta")"
	elif [ -z "$log" ] || [ ! -e "$log" ]; then
		fail "log '$log' does not exist"
	fi
	result "realguest: a guest that never reports"
else
	for c in "a guest kernel panic" "a guest that hangs (timeout fires)" \
		"OOM inside the guest" "a stress worker that dies" \
		"a boot that hangs before /init, twice" \
		"a boot that hangs before /init: booted once more, the first kept" \
		"a guest with fewer CPUs online than -smp" "an MMU mode that did not apply" \
		"realguest: a guest that never reports"; do
		skip_test "$c" "base kernel not built"
	done
fi

totals
[ $failed = 0 ]

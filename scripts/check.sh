#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test of the project, in TAP, ending with one line
# "N passed, N failed".  Stages: harness self-tests, the series (apply,
# checkpatch, selftests patch), kernels of every variant (built in and
# modules), then each variant booted with the upstream x86 KVM selftests
# and ours, after a bench smoke run, a traced real guest under a page
# limit and a short lockdep/KASAN stress run.  A test that passes on base
# and fails on a variant is a regression.  Results: $BUILD/check/.
# Flags (make check NAME=value passes them): --variants, --modes, --ksrc,
# --timeout (of each boot, default 1800 s), --stress-duration (seconds of
# each stress run, default 60).
#
# MODES (default "shadow tdp-legacy tdp"): the stress runs in each, and
# every variant boots in each.  The upstream selftests run on base and on
# the series as proposed (the last variant without an order) in the first
# mode and in tdp (the TDP MMU, KVM's default) when MODES has it, and on
# the last variant (an order of kvm/orders/) in the first mode; the other
# boots (the series' shorter prefixes, the other orders, tdp-legacy) run
# the project's tests only.  Every prefix is built with KVM_WERROR.
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

parse_flags "KSRC VARIANTS MODES TIMEOUT STRESS_DURATION" "$@"
VARIANTS=${VARIANTS:-$(variant_names | tr '\n' ' ')}
check_variants "$VARIANTS"
no_mode_var
MODES=${MODES:-$ALL_MODES}
for m in $MODES; do check_mode "$m"; done
first_mode=$(echo "$MODES" | awk '{ print $1 }')
dir=$BUILD/check
rm -rf "$dir"
mkdir -p "$dir"
tap=$dir/results.tap
# The results of the host suites' tests, which count in the totals.
leaves=$dir/suites.tap
: >"$tap"
: >"$leaves"
n=0

# result <ok|fail> <name> [detail]: one TAP line, kept in $tap.
result() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n $2${3:+ # $3}" | tee -a "$tap"
	else
		echo "not ok $n $2${3:+ # $3}" | tee -a "$tap"
	fi
}

# stage <name> <command...>: one TAP line for a command's exit status.
stage() {
	local name=$1 log
	shift
	log=$dir/$(echo "$name" | tr ' /' '__').log
	if "$@" >"$log" 2>&1; then
		result ok "$name"
	else
		result fail "$name" "$(grep -m1 '^error:' "$log" || tail -n1 "$log")"
	fi
}

echo "TAP version 13"
echo "# variants: $VARIANTS, modes: $MODES"
start=$(date +%s)

# suite <label> <command...>: a KTAP-printing test suite, nested as a
# subtest (its lines indented two spaces), then one result for the whole.
# Its tests count in the totals (kept in $leaves); the suite's own line
# counts only for a failure its tests do not show: no KTAP at all, or a
# non-zero exit with every test passed.
suite() {
	local label=$1 rc=0
	shift
	"$@" >"$dir/$label.tap" 2>&1 || rc=$?
	suite_report "$label" "$rc"
}

# suite_start <label> <command...>: the same suite in the background, its
# pid in $suite_pid; suite_wait <label> <pid> waits for it and reports it
# where suite would have.
suite_start() {
	local label=$1
	shift
	"$@" >"$dir/$label.tap" 2>&1 &
	suite_pid=$!
}

suite_wait() {
	local rc=0
	wait "$2" || rc=$?
	suite_report "$1" "$rc"
}

suite_report() {
	local label=$1 rc=$2 log=$dir/$1.tap all failed skipped line
	echo "  # Subtest: $label"
	sed 's/^/  /' "$log"
	sed -nE "s/^(ok|not ok) [0-9]+ /\1 $label: /p" "$log" >>"$leaves"
	all=$(grep -cE '^(ok|not ok) ' "$log" || true)
	failed=$(grep -c '^not ok ' "$log" || true)
	skipped=$(grep -c '^ok .*# SKIP' "$log" || true)
	n=$((n + 1))
	if [ "$all" = 0 ]; then
		line="not ok $n $label # no KTAP output, see $log"
		echo "$line" >>"$tap"
	elif [ "$failed" != 0 ]; then
		line="not ok $n $label # $failed of $all failed"
	elif [ "$rc" != 0 ]; then
		line="not ok $n $label # exit $rc with no test failed, see $log"
		echo "$line" >>"$tap"
	else
		line="ok $n $label # $((all - skipped)) passed, $skipped skipped"
	fi
	echo "$line"
}

# 1. Host-side code: every shell script through shellcheck, the statistics
# tool and the simulator on fixed inputs (their KTAP helpers are the
# tree's, so the tree comes first).
stage "shellcheck (pipeline, guest jobs, tests)" "$TOP/scripts/shellcheck.sh"
stage "series applies (git am kvm/patches)" "$TOP/scripts/source.sh"
suite report "$TOP/selftests/report/run.sh"
# The eviction-order simulator (scripts/sim/) on known-answer traces.
suite sim "$TOP/selftests/sim/run.sh"

# 2. The series.
echo "# kernel: $(kernel_version)"
stage "selftests patch matches selftests/kvm" "$TOP/scripts/patches.sh" verify
cp=$SRC/scripts/checkpatch.pl
while read -r p; do
	# From the kernel tree: run elsewhere, checkpatch may take the patch
	# for a source file of the surrounding git tree.  FILE_PATH_CHANGES
	# (new files: MAINTAINERS?) is ignored: tools/testing/selftests/kvm/
	# is already in the KVM entry, as the cover letter says.
	stage "checkpatch --strict $p" env -C "$SRC" "$cp" --strict --no-tree -q \
		--ignore FILE_PATH_CHANGES "$TOP/kvm/patches/$p"
done <"$TOP/kvm/series"

# 3. Kernels: every variant built in (booted below) and as modules.
for v in $VARIANTS; do
	stage "build $v (KVM built in, KVM_WERROR)" "$TOP/scripts/kernel.sh" "$v" host
	stage "build $v (KVM modules, KVM_WERROR)" "$TOP/scripts/kernel.sh" "$v" modules
done
# The debug flavour (lockdep, KASAN, KVM_PROVE_MMU) of the last variant
# (of kvm/variants: an order of kvm/orders/ that moves shadow pages, so
# that KVM_PROVE_MMU checks its moves), for the stress test below.
dbg=$(echo "$VARIANTS" | awk '{ print $NF }')
stage "build $dbg (debug: lockdep, KASAN, KVM_PROVE_MMU)" "$TOP/scripts/kernel.sh" "$dbg" debug
echo "# builds done after $(($(date +%s) - start)) s"
stage "initramfs (busybox, selftests and their runner, mm tools, stress-ng)" "$TOP/scripts/initramfs.sh"
# The stress adds real reclaim (-R: kswapd calls the shrinker with
# fs_reclaim held) and nx_huge_pages writes (-X: kvm_lock -> slots_lock),
# so that lockdep sees the shrinker's locks from reclaim context.  One
# CPU, 4 MiB per worker vCPU.  With two CPUs the stress failed on this
# platform whatever the accelerator, on the unpatched kernel as on the
# series (Documentation/results.md, section 5): under MTTCG worker guests
# shut down (KVM_EXIT_SHUTDOWN) or vCPUs never stopped; with both CPUs on
# one QEMU thread (tcg-single) debug boots stalled or the workers made no
# pass in 60 s.  One CPU is one host thread without the round-robin; the
# smaller memory lets a shadow-paging worker finish its passes there.
# That one host thread runs beside the harness, realguest and bench
# suites (5 of its 6.5 min), whose results do not depend on the host's
# speed; tracesim (a real guest that must report in time) and the boots
# run without it.
suite_start stress "$TOP/scripts/stress.sh" --variants="$dbg" --modes="$MODES" --flavour=debug --cpus=1 \
	--accel=tcg --mem=1G --stress-args="-R -X -b 4M" --duration="${STRESS_DURATION:-60}" \
	--out="$dir/stress"
# The pipeline's own shell code fed bad input (boots base for the injected
# failures, and once, about 50 s, for a realguest bench whose guest never
# reports).
suite harness "$TOP/selftests/harness/run.sh"
# The realguest measuring side with a fake guest (no boot, ~20 s).
suite realguest "$TOP/selftests/realguest/run.sh"
# make bench end to end: base and the last variant, one short case each.
smoke=$(echo "$VARIANTS" | awk '{ print "base" ($NF == "base" ? "" : " " $NF) }')
suite bench "$TOP/selftests/bench/run.sh" "$dir/bench" "$smoke"
suite_wait stress "$suite_pid"
# make tracesim end to end: the real guest under a page limit, traced and
# replayed (one boot, about a minute), on the last variant whose order
# mmusim replays, so that the replay is checked against the kernel.
tsv=$dbg
for v in $VARIANTS; do
	case $(variant_field "$v" 4) in fifo | lru) tsv=$v ;; esac
done
suite tracesim "$TOP/selftests/tracesim/run.sh" "$dir/tracesim" "$tsv"
# The splat checker on saved logs and on LKDTM splats in the debug kernel.
suite dmesg env DEBUG_VARIANT="$dbg" "$TOP/selftests/dmesg/run.sh"

# 4. Boot each variant in each mode and run the selftests inside, with the
# kernel's runner (scripts/guest/run-tests.sh): all of
# them where "full" (see the top), the project's tests elsewhere.
last=$(echo "$VARIANTS" | awk '{ print $NF }')
top=""
for v in $VARIANTS; do [ -n "$(variant_orders "$v")" ] || top=$v; done
boots=""
for m in $MODES; do
	for v in $VARIANTS; do
		what=ours
		# A shorter prefix only adds to base what the series' top has,
		# and an order only changes which shadow page reclaim takes: the
		# upstream tests (a boot of about 220 s each) run on base and
		# the top, and on the last order in the first mode.
		case $m in "$first_mode" | tdp)
			case $v in base | "$top") what=full ;; esac ;;
		esac
		[ "$m" = "$first_mode" ] && [ "$v" = "$last" ] && what=full
		boots="$boots $v/$m/$what"
	done
done
# boot <v> <m> <what>: one boot, its log in run-<v>-<m>.log and the
# exit status of run.sh in run-<v>-<m>.rc.
boot() {
	local v=$1 m=$2 what=$3 job=$dir/$1-$2.job out=$dir/run-$1-$2 ours=ours accel=tcg-single rc=0
	mkdir -p "$job"
	[ "$what" = full ] && ours="" accel=auto
	"$TOP/scripts/testlist.sh" "$v" "$m" "$job" $ours >"$out.log" 2>&1 || {
		echo 1 >"$out.rc"
		return 0
	}
	# The boots of the project's tests alone run their CPUs on one QEMU
	# thread, as the stress does: under MTTCG a vCPU of mmu_shrinker_test's
	# race phase on base (tdp-legacy) shut down or hung in two of the last
	# five fresh-clone runs, the emulator failure of
	# Documentation/results.md, section 5.  The full boots stay on MTTCG.
	"$TOP/scripts/run.sh" -v "$v" -m "$m" -a "$accel" -t "${TIMEOUT:-1800}" -T real -o "$out" \
		-c 'sh ./run-tests.sh' "$TOP/scripts/guest/run-tests.sh" "$TOP/scripts/guest/ksft-wrap" \
		"$job"/{kselftest-list.txt,settings,args.env,wrap.list} >>"$out.log" 2>&1 || rc=$?
	echo "$rc" >"$out.rc"
}

# A full boot has MTTCG's two host threads to itself; a boot of the
# project's tests alone takes one, so two of them run at a time (of 19
# boots of about 22 s each).
for b in $boots; do
	v=${b%%/*} m=${b#*/} what=${b##*/}
	m=${m%/*}
	if [ "$what" = full ]; then
		wait
		boot "$v" "$m" "$what"
	else
		[ "$(jobs -rp | wc -l)" -lt 2 ] || wait -n || true
		boot "$v" "$m" "$what" &
	fi
done
wait

for b in $boots; do
	v=${b%%/*} m=${b#*/}
	m=${m%/*}
	job=$dir/$v-$m.job
	out=$dir/run-$v-$m
	rc=$(cat "$out.rc" 2>/dev/null || echo 1)
	if [ ! -f "$out/output.log" ]; then
		result fail "boot $v ($m)" "$(grep -m1 '^error:' "$out.log" || echo "no result (see $out.log)")"
		continue
	fi
	# A splat, a CPU missing or the wrong MMU mode fails the boot even
	# though the tests' results came back (run.sh names it).
	err=$(grep '^error:' "$out.log" | grep -v -m1 '^error: guest job exited' || true)
	if [ -n "$err" ]; then
		result fail "boot $v ($m)" "${err#error: }"
	else
		result ok "boot $v ($m)" "$(grep -m1 'took' "$out.log" | sed 's/^run: //')"
	fi
	"$TOP/scripts/ksft-results.sh" "$out/output.log" >"$dir/$v-$m.results"
	# Every listed test must have a result: a missing one is a failure.
	want=$(grep -c . "$job/kselftest-list.txt")
	got=$(grep -c . "$dir/$v-$m.results" || true)
	[ "$got" = "$want" ] ||
		result fail "selftests on $v ($m)" "$got of $want tests reported (exit $rc, see $out/output.log)"
	while read -r line; do
		case $line in
		"ok "*) result ok "$v ($m): ${line#ok }" ;;
		*) result fail "$v ($m): ${line#not ok }" ;;
		esac
	done <"$dir/$v-$m.results"
done

# 5. Regressions: passed on base, failed on a variant, in the same mode.
for b in $boots; do
	v=${b%%/*} m=${b#*/}
	m=${m%/*}
	{ [ "$v" = base ] || [ ! -f "$dir/base-$m.results" ] || [ ! -f "$dir/$v-$m.results" ]; } && continue
	reg=$(awk 'FNR == NR { if ($1 == "ok" && $0 !~ /# SKIP/) pass[$2] = 1; next }
		$1 == "not" && ($3 in pass) { print $3 }' "$dir/base-$m.results" "$dir/$v-$m.results")
	if [ -z "$reg" ]; then
		result ok "no regression vs base on $v ($m)"
	else
		result fail "no regression vs base on $v ($m)" "regressed: ${reg//$'\n'/ }"
	fi
done

echo "#"
echo "# per boot: pass / skip / fail / passed on retry"
for b in $boots; do
	v=${b%%/*} m=${b#*/}
	m=${m%/*}
	f=$dir/$v-$m.results
	[ -f "$f" ] || { printf '#   %-8s %-10s no result\n' "$v" "$m"; continue; }
	printf '#   %-8s %-10s %4d %4d %4d %4d\n' "$v" "$m" \
		"$(grep '^ok ' "$f" | grep -vc '# SKIP')" "$(grep -c '# SKIP' "$f")" \
		"$(grep -c '^not ok' "$f")" "$(grep -c '^ok .*retried: ' "$f")"
done
pass=$(cat "$tap" "$leaves" | grep -c '^ok ' || true)
fail=$(cat "$tap" "$leaves" | grep -c '^not ok ' || true)
skip=$(cat "$tap" "$leaves" | grep -c '^ok .*# SKIP' || true)
echo "1..$n"
echo "# Totals: pass:$((pass - skip)) fail:$fail xfail:0 xpass:0 skip:$skip error:0"
echo "# check took $(($(date +%s) - start)) s; results in $dir"
echo "$((pass - skip)) passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make stress: boot each variant's kernel in each MMU mode and run
# mmu_reclaim_stress (selftests/kvm/perf/) for DURATION seconds: VMs
# faulting and verifying memory, shrinker scans and drop_caches, memslot
# churn, page-limit churn, VM and vCPU creation, dirty logging, all at
# once.  Then scripts/dmesg-check.sh scans the guest's console for splats.
# One TAP line per (variant, mode) with its counters; a run passes only if
# the program passed and the console is clean.  Each setting below is a
# flag, --name=value (--stress-args='-R -X'); make stress NAME=value
# passes it as one.
#
#   VARIANTS  default lru          MODES    default "shadow tdp-legacy tdp"
#   FLAVOUR   default debug        DURATION default 600 (seconds per run)
#   CPUS      default 2: CPUs of the booted kernel
#   ACCEL     default auto; tcg-single runs every CPU on one host thread
#             (see run.sh -a)
#   TIMING    default real; icount makes guest time a count of instructions
#             (one CPU), so that latencies the program reports, e.g. of
#             drop_caches, do not depend on the host's load
#   OUT       default results/stress-<timestamp>
#   STRESS_ARGS   extra mmu_reclaim_stress options
#   KERNEL    boot this kernel image (e.g. an earlier version of the
#             series) instead of building VARIANTS, which must then name
#             one variant, used as the label
#   STRESS_FAULT  test only: inject a failure into the run: panic (sysrq
#                 crash), hang (the job never ends), oom (a memory hog with
#                 no swap), kill (SIGKILL the stress program midway)
set -eu
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

parse_flags "KSRC VARIANTS MODES FLAVOUR DURATION CPUS TIMING ACCEL OUT TIMEOUT MEM STRESS_ARGS \
	KERNEL STRESS_FAULT" "$@"
no_mode_var
VARIANTS=${VARIANTS:-lru}
MODES=${MODES:-$ALL_MODES}
FLAVOUR=${FLAVOUR:-debug}
DURATION=${DURATION:-600}
CPUS=${CPUS:-2}
TIMING=${TIMING:-real}
check_timing "$TIMING"
ACCEL=${ACCEL:-auto}
check_accel "$ACCEL" "$TIMING"
STRESS_FAULT=${STRESS_FAULT:-}
check_variants "$VARIANTS"
KERNEL=${KERNEL:-}
if [ -n "$KERNEL" ]; then
	[ -f "$KERNEL" ] || die "KERNEL=$KERNEL: no such kernel image"
	[ "$(echo "$VARIANTS" | wc -w)" = 1 ] || die "KERNEL= needs one variant name as its label (VARIANTS='$VARIANTS')"
fi
for m in $MODES; do check_mode "$m"; done
case "$DURATION" in '' | *[!0-9]* | 0) die "DURATION='$DURATION' is not a positive number of seconds" ;; esac
case "$CPUS" in [1-8]) ;; *) die "CPUS='$CPUS' is not a number of CPUs from 1 to 8" ;; esac
case "$STRESS_FAULT" in '' | panic | hang | oom | kill) ;;
*) die "unknown STRESS_FAULT '$STRESS_FAULT' (known: panic hang oom kill)" ;;
esac

stress="/kvm/mmu_reclaim_stress -d $DURATION ${STRESS_ARGS:-}"
case "$STRESS_FAULT" in
'') job="$stress" ;;
panic) job="$stress & sleep 5; echo c >/proc/sysrq-trigger; wait" ;;
hang) job="$stress; sleep 100000" ;;
oom) job="$stress & sleep 5; tail /dev/zero; wait" ;;
kill) job="$stress & sleep 5; kill -9 \$!; wait \$!" ;;
esac
# A hung run is cut off at DURATION plus the boot, setup and teardown of
# a debug kernel under TCG.
tmo=${TIMEOUT:-$((DURATION + 300))}
# icount runs a guest second in about 3.5 s at shift 2: allow 6.
[ "$TIMING" = real ] || tmo=${TIMEOUT:-$((DURATION * 6 + 600))}
[ -z "$STRESS_FAULT" ] || tmo=${TIMEOUT:-$((DURATION + 60))}

"$TOP/scripts/deps.sh"
[ -n "$KERNEL" ] || for v in $VARIANTS; do "$TOP/scripts/kernel.sh" "$v" "$FLAVOUR"; done
"$TOP/scripts/initramfs.sh"
res=${OUT:-$TOP/results/stress-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$res"

echo "TAP version 13"
echo "# stress: $(kernel_version), $FLAVOUR, $CPUS CPUs, accel $ACCEL, timing $TIMING, $DURATION s per run: $stress"
n=0 failed=0 first=""
for v in $VARIANTS; do
	for m in $MODES; do
		n=$((n + 1))
		out=$res/$v-$m
		for boot in 1 2; do
			rc=0
			"$TOP/scripts/run.sh" -v "$v" -m "$m" -f "$FLAVOUR" -t "$tmo" -T "$TIMING" -a "$ACCEL" \
				-s "$CPUS" ${KERNEL:+-k "$KERNEL"} \
				-o "$out" -c "$job" >"$out.log" 2>&1 || rc=$?
			# A boot that hung before /init ran nothing of the stress (a
			# debug kernel's boot stalls so about once in ten here,
			# Documentation/stress.md): boot once more, keeping its logs.
			if [ $boot = 2 ] || [ "$rc" = 0 ] || ! grep -q '^error: guest timed out' "$out.log" ||
				grep -aq '^guest: .* up at ' "$out/console.log" 2>/dev/null; then
				break
			fi
			rm -rf "$out.hung-boot" && mv "$out" "$out.hung-boot" && mv "$out.log" "$out.hung-boot.log"
			echo "# $v $m: the boot hung before /init (log: $out.hung-boot/console.log): booting once more"
		done
		"$TOP/scripts/dmesg-check.sh" "$out/console.log" >"$out/dmesg-check.txt" 2>&1 &&
			splats=0 || splats=$(grep -c "^$out/console.log:" "$out/dmesg-check.txt" || true)
		# The program's counters: key=value words of its "stress:" lines.
		counts=$(grep -ah '^stress:' "$out/output.log" 2>/dev/null |
			grep -o '[a-z0-9_]*=[0-9]*' | tr '\n' ' ' || true)
		# Its verdict, e.g. "result=fail VM 1 vCPU 2 completed no pass".
		verdict=$(grep -a -m1 '^result=fail' "$out/output.log" 2>/dev/null | sed 's/^result=fail //' || true)
		why=""
		if [ "$rc" != 0 ]; then
			why=$(grep -m1 '^error:' "$out.log" | sed 's/^error: //')
			[ -n "$why" ] || why="run.sh exit $rc (log: $out.log)"
		fi
		[ -z "$verdict" ] || why="mmu_reclaim_stress: $verdict${why:+; $why}"
		[ "$splats" = 0 ] || why="$why${why:+; }$splats splat lines in the console (log: $out/dmesg-check.txt)"
		[ -n "$why" ] || grep -q 'result=pass' "$out/output.log" ||
			why="no result=pass from mmu_reclaim_stress (log: $out/output.log)"
		if [ -z "$why" ]; then
			echo "ok $n stress $v $m ($FLAVOUR): ${counts}splats=0"
		else
			echo "not ok $n stress $v $m ($FLAVOUR) # $why"
			[ -z "$counts" ] || echo "#   ${counts% }"
			grep "^$out/console.log:" "$out/dmesg-check.txt" 2>/dev/null | head -n 5 | sed 's/^/#   /'
			failed=$((failed + 1))
			[ -n "$first" ] || first="$v $m: $why"
		fi
	done
done
echo "# results: $res"
echo "# Totals: pass:$((n - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
[ $failed = 0 ] || die "$failed of $n stress runs failed; first: $first"

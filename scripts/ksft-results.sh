#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ksft-results.sh <output.log>: the results of one boot's selftests, run
# by the kernel's runner (scripts/guest/run-tests.sh), one line per test:
# "ok <test>[ # <note>]" or "not ok <test> # <reason>".  The note is
# ksft-wrap's line (a pass on retry, an expected failure) or the skip's
# reason, the test's first line that says SKIP; a failure says the
# runner's exit status or timeout, or ksft-wrap's reason.
set -eu
log=${1:?usage: ksft-results.sh <output.log>}
[ -f "$log" ] || { echo "error: ksft-results.sh: no $log" >&2; exit 1; }
awk '
/^# selftests: [^ ]+: / { t = $4; note = ""; skip = ""; next }
/^# kvm-wrap: / {
	sub(/^# kvm-wrap: [^ ]+: /, "")
	if ($0 !~ /running it again$/)
		note = $0
	next
}
/^# .*SKIP/ && skip == "" {
	skip = $0
	sub(/.*SKIP[ :-]*/, "", skip)
	skip = substr(skip, 1, 100)
	next
}
/^(ok|not ok) [0-9]+ selftests: [^ ]+: / {
	res = $1 == "ok" ? "ok" : "not ok"
	name = $0
	sub(/^(ok|not ok) [0-9]+ selftests: [^ ]+: /, "", name)
	dir = ""
	if (index(name, " # ")) {
		dir = substr(name, index(name, " # ") + 3)
		name = substr(name, 1, index(name, " # ") - 1)
	}
	if (dir ~ /^SKIP/)
		line = res " " name " # SKIP" (skip != "" ? " " skip : "")
	else if (res == "ok")
		line = res " " name (note != "" ? " # " note : "")
	else if (dir ~ /^TIMEOUT/)
		line = res " " name " # " dir
	else {
		sub(/^exit=/, "exit ", dir)
		line = res " " name " # " (note != "" ? note : dir)
	}
	print line
	note = ""; skip = ""
}' "$log"

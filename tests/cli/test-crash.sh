#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Crash reports: a guest that faults three calls deep (bootarg
# crash-fault) or panics there (crash-panic), under arm64 and arm32 (ARM
# and Thumb-2). The report must name the functions in call order with
# file:line from the guest ELF, disassemble the instruction it stopped at,
# list the last hypercalls and replay to the very same report; it also
# goes to --crash-report FILE; without symbols the addresses remain. Run
# from the top of the tree; one line per check, ends "N passed, N failed,
# N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
ZIMAGE_THUMB=${ZIMAGE_THUMB:-build/arm32/zImage-thumb}
BUDGET=${BUDGET:-100000000}
pass=0
fail=0
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() {
	fail=$((fail + 1))
	echo "FAIL $1: $2"
	[ $# -gt 2 ] && [ -s "$3" ] && sed 's/^/     /' "$3" | tail -n 40
}

# The function names of the backtrace, in order, on one line.
chain() {
	sed -n '/^backtrace/,/^last /p' "$1" | grep '^  #' |
		sed -E 's/^  #[0-9]+ +0x[0-9a-f]+ ([A-Za-z_0-9.]+)\+0x[0-9a-f]+ at .*/\1/' |
		grep -v '^  #' | tr '\n' ' '
}

# crash NAME KERNEL BOOTARG WANT-CHAIN INSN-RE
crash() {
	name=$1 kernel=$2 arg=$3 want=$4 insn=$5
	"$XENSIM" run --max-insns "$BUDGET" --crash-report "$W/$name.file" \
		--bootargs "$arg" "$kernel" >"$W/$name.out" 2>"$W/$name.err"
	rc=$?
	sed -n '/^---- xensim crash report/,/^---- end of crash report/p' \
		"$W/$name.err" >"$W/$name.report"
	got=$(chain "$W/$name.report")
	if [ "$rc" -ne 2 ]; then
		bad "$name" "exit $rc, want 2" "$W/$name.err"
	elif [ ! -s "$W/$name.report" ]; then
		bad "$name" "no crash report" "$W/$name.err"
	elif ! printf '%s\n' "$got" | grep -q "$want"; then
		bad "$name" "backtrace \"$got\", want \"$want\" in order" \
			"$W/$name.report"
	elif ! grep -A1 -E '^(faulting instruction|stopped at the hypercall): 0x[0-9a-f]+ [a-z_]+\+0x[0-9a-f]+ at [^ ]+\.[cS]:[0-9]+:$' \
		"$W/$name.report" | grep -Eq "^    $insn"; then
		bad "$name" "the instruction is not named and disassembled" \
			"$W/$name.report"
	elif ! grep -Eq '^  #[0-9 ]+0x[0-9a-f]+ crash_inner\+0x[0-9a-f]+ at .*guest/kern/crash_test\.c:[0-9]+$' \
		"$W/$name.report"; then
		bad "$name" "no file:line for crash_inner" "$W/$name.report"
	elif ! grep -Eq '^  \[ *[0-9]+\.[0-9]{3} ms\] d1 v0 [a-z_]+\(' "$W/$name.report"; then
		bad "$name" "no recent hypercalls" "$W/$name.report"
	elif ! cmp -s "$W/$name.report" "$W/$name.file"; then
		bad "$name" "--crash-report FILE differs from the report" \
			"$W/$name.file"
	else
		ok "$name: $got"
	fi
}

crash "arm64 fault" "$IMAGE" crash-fault \
	'crash_inner crash_middle crash_outer crash_test_run kern_main' 'str '
crash "arm64 panic" "$IMAGE" crash-panic \
	'panic crash_inner crash_middle crash_outer crash_test_run kern_main' 'hvc '
crash "arm32 fault" "$ZIMAGE" crash-fault \
	'crash_inner crash_middle crash_outer crash_test_run kern_main' 'str'
crash "arm32 panic" "$ZIMAGE" crash-panic \
	'panic crash_inner crash_middle crash_outer crash_test_run kern_main' 'hvc'
crash "thumb fault" "$ZIMAGE_THUMB" crash-fault \
	'crash_inner crash_middle crash_outer crash_test_run kern_main' 'str'
crash "thumb panic" "$ZIMAGE_THUMB" crash-panic \
	'panic crash_inner crash_middle crash_outer crash_test_run kern_main' 'hvc'

# The replay line runs the same command: the same report comes back.
replay=$(sed -n 's/^replay (seed [0-9]*): //p' "$W/arm64 fault.report")
if [ -z "$replay" ]; then
	bad "replay" "no replay line" "$W/arm64 fault.report"
else
	case $replay in
	*--bootargs\ crash-fault*) ;;
	*) bad "replay" "the line lacks the run's options: $replay" ;;
	esac
	(cd "$W" && true)
	eval "$replay" >/dev/null 2>"$W/replay.err"
	sed -n '/^---- xensim crash report/,/^---- end of crash report/p' \
		"$W/replay.err" >"$W/replay.report"
	if cmp -s "$W/replay.report" "$W/arm64 fault.report"; then
		ok "replay: the same report again"
	else
		bad "replay" "a different report" "$W/replay.report"
	fi
fi

# Without symbols: addresses only, and the reason why.
"$XENSIM" run --max-insns "$BUDGET" --symbols "$W/nothing.elf" \
	--bootargs crash-fault "$IMAGE" >/dev/null 2>"$W/nosym.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q '^symbols: none (' "$W/nosym.err" &&
	grep -Eq '^  #1  0x[0-9a-f]{16}$' "$W/nosym.err"; then
	ok "no symbols: addresses only, and why"
else
	bad "no symbols" "exit $rc" "$W/nosym.err"
fi

# A run that ends well has no report.
"$XENSIM" run --max-insns "$BUDGET" "$IMAGE" >/dev/null 2>"$W/clean.err"
if grep -q 'crash report' "$W/clean.err"; then
	bad "a clean run has no report" "a report came" "$W/clean.err"
else
	ok "a clean run has no report"
fi

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

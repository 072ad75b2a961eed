#!/bin/sh
# The xensim command line as a user meets it: help, bad arguments, exit
# codes and messages. Run from the top of the tree; one line per check,
# ends "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/xensim}
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# expect NAME WANTED_EXIT PATTERN -- ARGS...: exit code and a line of output.
expect() {
	name=$1 want=$2 pattern=$3
	shift 4
	"$XENSIM" "$@" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -q -- "$pattern" "$out"; then
		pass=$((pass + 1))
		echo "ok $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $rc (want $want), output:"
		sed 's/^/     /' "$out"
	fi
}

expect "help documents usage" 0 "usage: xensim run" -- --help
expect "help lists exit codes" 0 "exit status: 0 poweroff" -- run --help
expect "no arguments is usage error" 1 "usage:" --
expect "unknown command" 1 'unknown command "frobnicate"' -- frobnicate
expect "unknown option" 1 "usage:" -- run --no-such-option
expect "memory not a number" 1 'memory wants a number from 16 to 3072, not "lots"' -- run -m lots
expect "memory too small" 1 "memory wants a number" -- run -m 8
expect "negative vcpus" 1 "vcpus wants a number" -- run --vcpus -1
expect "gic version 4" 1 "gic wants a number from 2 to 3" -- run --gic 4
expect "native boot powers off" 0 "powering off" -- run --native
expect "native boot banner" 0 "(d1) xensim guest: running on Xen 4.17" -- run
expect "verbose shows shutdown" 0 "(XEN) Domain 1 shutdown: reason 0 (poweroff)" -- run -v
expect "missing dtb file" 1 "cannot read device tree /nonexistent.dtb" -- run --dtb /nonexistent.dtb

# Kernels: what is not one is refused before anything runs.
IMAGE=${IMAGE:-build/arm64/Image}
printf 'junk\n' >"$out.junk"
head -c 100 "$IMAGE" >"$out.short"
expect "missing kernel" 1 "/nonexistent.img: cannot open" -- run /nonexistent.img
expect "junk kernel" 1 "shorter than an arm64 Image header and without zImage magic" -- run "$out.junk"
expect "native and a kernel" 1 "choose one" -- run --native "$IMAGE"
expect "arm64 Image boots" 0 "powering off" -- run "$IMAGE"
expect "cut-off Image faults, naming PC and instruction" 2 "undefined instruction .* at PC 0x4000" -- run "$out.short"
expect "socket without xenstore" 1 "needs xenstore" -- run --no-xenstore --xenstore-socket "$out.sock" "$IMAGE"
rm -f "$out.junk" "$out.short"

# Limits: a run that would never end stops with exit 6, saying what ran out
# and where the guest was.
UCG=${UCG:-build/unicorn-guests}
expect "help lists the limits" 0 "6 timeout or instruction budget used up" -- run --help
expect "timeout not a duration" 1 'timeout wants a whole number with ns, us, ms, s or min (e.g. 500ms), not "5x"' -- run --timeout 5x
expect "timeout overflowing" 1 "timeout wants a whole number" -- run --timeout 99999999999999999999s
expect "negative budget" 1 "max-insns wants a number from 0" -- run --max-insns -1
expect "native run past its timeout" 6 "limit reached: d1: virtual time limit of 5 ms reached (--timeout) at a wait for an interrupt (native guest: no PC)" -- run --native --timeout 5ms
expect "native run past its budget" 6 "instruction budget of 100000 used up (--max-insns) at a read of the clock (native guest: no PC)" -- run --native --max-insns 100000
expect "Image past its timeout" 6 "virtual time limit of 5 ms reached (--timeout) at PC 0x4000.*waiting after a wfi: instruction 0x" -- run --timeout 5ms "$IMAGE"
expect "spinning guest ends at its budget" 6 "instruction budget of 1000000 used up (--max-insns) at PC 0x40080040: instruction 0x14000000" -- run --max-insns 1000000 "$UCG/a64_spin.Image"
expect "no limits still ends a good guest" 0 "powering off" -- run --timeout 0 --max-insns 0 "$IMAGE"

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

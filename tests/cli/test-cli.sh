#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The xensim command line as a user meets it: help, bad arguments, exit
# codes and messages. Run from the top of the tree; one line per check,
# ends "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

expect "help documents usage" 0 "usage: xensim run" -- --help
expect "help lists exit codes" 0 "exit status: 0 poweroff" -- run --help
expect "no arguments is usage error" 1 "usage:" --
expect "unknown command" 1 'unknown command "frobnicate"' -- frobnicate
expect "unknown option" 1 "usage:" -- run --no-such-option
expect "memory not a number" 1 'memory wants a number from 16 to 16384, not "lots"' -- run -m lots
expect "memory too small" 1 "memory wants a number" -- run -m 8
expect "negative vcpus" 1 "vcpus wants a number" -- run --vcpus -1
expect "nine vcpus" 1 "vcpus wants a number from 1 to 8" -- run --vcpus 9
expect "eight vcpus boot" 0 "powering off" -- run --native --vcpus 8
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

# Xen's build: release by default (debug hypercalls undefined, the guest
# takes the exception), debug with --xen-debug.
expect "help documents --xen-debug" 0 "--xen-debug     act as a debug build of Xen" -- run --help
expect "arm64: debug hypercalls of a release Xen are undefined" 2 \
	"(XEN) d1v0 Invalid HVC imm 0xffe1" -- run --bootargs debug-hvc "$IMAGE"
expect "arm64: debug hypercalls of a debug Xen act" 0 \
	"(XEN) DOM1: R1 = 0x0000000000001234 at 0x" -- run --xen-debug --bootargs debug-hvc "$IMAGE"

# Two builders: by default the domain is built as Xen builds a dom0less
# domU; --xl builds it as xl does, and the battery holds each to what Xen
# 4.17 gives it (guest/selftest/domain_kind.c).
expect "help documents --xl" 0 "--xl            build the domain as xl 4.17 builds a domU" -- run --help
expect "native --xl: the battery passes as an xl domU" 0 \
	"(d1) selftest: [0-9]* passed, 0 failed, 0 skipped" -- \
	run --native --xl --xen-debug --bootargs "keep-going debug-hvc"
expect "native --xl: console_io is refused before its buffer is read" 0 \
	"conf: guest_va: console_io(write, unmapped) = -1$" -- run --native --xl
expect "native --xl: the handle is the UUID /vm names" 0 \
	"conf: xen_version: guest_handle is the UUID in /vm = 1" -- run --native --xl
expect "native --xl: 4 magic pages owned, the maximum 1 MiB above the RAM" 0 \
	"conf: memory_op: increase_reservation(up to maximum) = 252" -- run --native --xl -m 64
expect "arm64 --xl: the battery passes as an xl domU" 0 \
	"(d1) selftest: [0-9]* passed, 0 failed, 0 skipped" -- \
	run --xl --xen-debug --bootargs "keep-going debug-hvc" "$IMAGE"

# Limits: a run that would never end stops with exit 6, saying what ran out
# and where the guest was.
UCG=${UCG:-build/unicorn-guests}
expect "help lists the limits" 0 "6 timeout or instruction budget used up" -- run --help
expect "timeout not a duration" 1 'timeout wants a whole number with ns, us, ms, s or min (e.g. 500ms), not "5x"' -- run --timeout 5x
expect "timeout overflowing" 1 "timeout wants a whole number" -- run --timeout 99999999999999999999s
expect "negative budget" 1 "max-insns wants a number from 0" -- run --max-insns -1
expect "native run past its timeout" 6 "limit reached: d1: virtual time limit of 5 ms reached (--timeout) at a wait for an interrupt (native guest: no PC)" -- run --native --timeout 5ms
expect "native run past its budget" 6 "instruction budget of 100000 used up (--max-insns) at a read of the clock (native guest: no PC)" -- run --native --max-insns 100000
expect "Image past its timeout" 6 "virtual time limit of 5 ms reached (--timeout) at PC 0x400[0-9a-f]*, waiting after a wfi: instruction 0x" -- run --timeout 5ms "$IMAGE"
expect "spinning guest ends at its budget" 6 "instruction budget of 1000000 used up (--max-insns) at PC 0x40080040: instruction 0x14000000" -- run --max-insns 1000000 "$UCG/a64_spin.Image"
expect "no limits still ends a good guest" 0 "powering off" -- run --timeout 0 --max-insns 0 "$IMAGE"
expect "help: run has no instruction budget by default" 0 "limit (default: none, as with QEMU and xl" -- run --help

# xensim run has no instruction budget unless given one: a guest whose
# work counts past the test harness's 100 million (a64_loop patched to
# make 120000 hypercalls, 1000 each, then power off) ends by itself; given
# that budget, the same guest stops at it. (Run directly: expect gives
# every run the test budget.)
cp "$UCG/a64_loop.Image" "$out.loop"
printf '\300\324\001\000' |      # 120000, little-endian, at 0x44
	dd of="$out.loop" bs=1 seek=68 conv=notrunc 2>/dev/null
timeout "${LIMIT:-120}" "$XENSIM" run -v "$out.loop" >"$out" 2>&1 </dev/null
rc=$?
if [ "$rc" -eq 0 ] && grep -q "made 120001 hypercalls" "$out" &&
   ! grep -q "Sanitizer" "$out"; then
	ok "run without --max-insns: 120 million instructions and power off"
else
	bad_showing "run without --max-insns: 120 million instructions and power off" "exit $rc (want 0), output:"
fi
expect "the same guest stops at a budget it is given" 6 "instruction budget of 100000000 used up (--max-insns) at PC 0x4008" -- run --max-insns 100000000 "$out.loop"
rm -f "$out.loop"

# Hostile input: each ends with a message and an exit status, never a
# sanitizer report, a signal or a hang (a hang is cut off by timeout and
# fails as exit 124).
bounded() { expect "$@"; }

# set_be32 FILE OFFSET VALUE: a big-endian header field of a device tree.
set_be32() {
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($3 >> 24 & 255)) \
		$(($3 >> 16 & 255)) $(($3 >> 8 & 255)) $(($3 & 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

"$XENSIM" run --dump-dtb "$out.dtb" >/dev/null 2>&1
dtb_len=$(wc -c <"$out.dtb")
cp "$out.dtb" "$out.big.dtb"
set_be32 "$out.big.dtb" 4 200000
cp "$out.dtb" "$out.over.dtb"
set_be32 "$out.over.dtb" 4 $((dtb_len + 4096))
bounded "dtb totalsize over 64 KiB beyond the file" 1 \
	"its header says 200000 bytes, the file has $dtb_len" -- run --dtb "$out.big.dtb"
bounded "dtb totalsize under 64 KiB beyond the file" 1 \
	"its header says $((dtb_len + 4096)) bytes, the file has $dtb_len" -- run --dtb "$out.over.dtb"
head -c 20 "$out.dtb" >"$out.tiny.dtb"
bounded "dtb shorter than its header" 1 "shorter than its header" -- run --dtb "$out.tiny.dtb"
# A property length of -12 loops libfdt 1.6.1's fdt_check_full for ever.
bounded "dtb property length wrapping back" 1 "FDT_ERR_BADSTRUCTURE" -- \
	run --dtb tests/fuzz/seeds/fuzz_dt/prop-len-minus-12-hang

mkfifo "$out.fifo"
bounded "FIFO as kernel" 1 "a FIFO, not a regular file" -- run "$out.fifo"
bounded "FIFO as dtb" 1 "cannot read device tree $out.fifo: a FIFO" -- run --dtb "$out.fifo"
bounded "FIFO without reader as dump-dtb" 1 "a FIFO with no reader" -- run --dump-dtb "$out.fifo"
bounded "directory as dtb" 1 "a directory, not a regular file" -- run --dtb /tmp
bounded "device as dtb" 1 "a character device, not a regular file" -- run --dtb /dev/null
bounded "directory as kernel" 1 "a directory, not a regular file" -- run /tmp

bounded "dump-dtb into a missing directory" 1 \
	"cannot write /nonexistent/x.dtb: no such directory: /nonexistent" -- run --dump-dtb /nonexistent/x.dtb
bounded "socket in a missing directory" 1 \
	"cannot listen on /nonexistent/dir/sock: no such directory: /nonexistent/dir" -- run --xenstore-socket /nonexistent/dir/sock
long=$(printf '%02048d' 0)
bounded "bootargs too long" 1 "bootargs too long: 2048 bytes, the limit is 2047" -- run --bootargs "$long"
bounded "dtb and bootargs" 1 "the tree from --dtb has its own /chosen/bootargs; choose one" -- \
	run --dtb "$out.dtb" --bootargs debug-hvc
rm -f "$out.dtb" "$out.big.dtb" "$out.over.dtb" "$out.tiny.dtb" "$out.fifo"

# A device tree whose /memory is not the machine's RAM: the guest uses
# only RAM it can map, and says so; none at all is a clean panic.
"$XENSIM" run --dump-dtb "$out.dtb" >/dev/null 2>&1
cp "$out.dtb" "$out.memout.dtb"
fdtput -t x "$out.memout.dtb" /memory@40000000 reg 0 0x80000000 0 0x8000000
cp "$out.dtb" "$out.mem8t.dtb"
fdtput -t x "$out.mem8t.dtb" /memory@40000000 reg 0 0x40000000 0x800 0
bounded "native: memory outside RAM is a guest panic" 2 \
	"panic: RAM bank \[0x80000000, 0x88000000) from the device tree lies outside the RAM this guest can map" -- \
	run --native --dtb "$out.memout.dtb"
bounded "native: 8 TiB of memory is cut to RAM" 0 \
	"using \[0x40000000, 0x48000000)" -- run --native --dtb "$out.mem8t.dtb"
bounded "arm64: 8 TiB of memory is cut to the mapped RAM" 0 \
	"using \[0x40000000, 0x8000000000)" -- run --dtb "$out.mem8t.dtb" "$IMAGE"
bounded "arm64: memory outside RAM faults in the emulator" 2 \
	"data abort: .* unmapped address 0x80000000" -- run --dtb "$out.memout.dtb" "$IMAGE"
# bootargs in a --dtb tree longer than the guest keeps: said, not silent.
cp "$out.dtb" "$out.longargs.dtb"
fdtput -t s "$out.longargs.dtb" /chosen bootargs \
	"console=hvc0 $(head -c 2100 /dev/zero | tr '\0' 'x')"
bounded "native: bootargs cut by the guest say so" 0 \
	"bootargs longer than 2047 bytes: the rest is ignored" -- \
	run --native --dtb "$out.longargs.dtb"
bounded "arm64: bootargs cut by the guest say so" 0 \
	"bootargs longer than 2047 bytes: the rest is ignored" -- \
	run --dtb "$out.longargs.dtb" "$IMAGE"
rm -f "$out.dtb" "$out.memout.dtb" "$out.mem8t.dtb" "$out.longargs.dtb"

# A live xenstore socket is never taken over, and SIGINT/SIGTERM end a run
# with a message, 128 + the signal number, and the socket removed. The
# signal goes once the socket exists (a bounded wait for the file).
wait_for_socket() {
	i=0
	while [ ! -S "$1" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$1" ]
}

check() {
	if eval "$2"; then
		ok "$1"
	else
		bad "$1" "$3"
	fi
}

for signum in TERM:15 INT:2; do
	sig=${signum%:*}
	sock="$out.sock"
	rm -f "$sock"
	"$XENSIM" run --xenstore-socket "$sock" --bootargs wait-shutdown \
		>"$out.first" 2>&1 </dev/null &
	first=$!
	if ! wait_for_socket "$sock"; then
		check "SIG$sig: first instance serves its socket" false "no socket after 60 s"
		kill -KILL $first 2>/dev/null
		wait $first
		continue
	fi
	bounded "SIG$sig: a live socket is refused" 1 \
		"cannot listen on $sock: a live socket: another program is listening on it" -- \
		run --xenstore-socket "$sock"
	check "SIG$sig: the live socket survives the refusal" '[ -S "$sock" ]' "socket gone"
	kill -$sig $first
	# Bounded: a run that ignored the signal is killed after 60 s.
	i=0
	while kill -0 $first 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL $first 2>/dev/null
	wait $first
	rc=$?
	want=$((128 + ${signum#*:}))
	check "SIG$sig: the run ends with exit $want and says so" \
		'[ $rc -eq $want ] && grep -q "xensim: interrupted: d1 stopped: interrupted by SIG$sig" "$out.first"' \
		"exit $rc, output: $(tail -3 "$out.first")"
	check "SIG$sig: the socket is removed" '[ ! -e "$sock" ]' "still there"
done
rm -f "$out.first" "$out.sock"

# A guest that loops on its own exceptions never calls the hypervisor: one
# SIGTERM still ends its run. The signal goes once it says it is ready (a
# bounded wait); a run that ignores it is killed after 60 s.
STORM=${STORM:-build/unicorn-guests/a64_svc_storm.Image}
"$XENSIM" run "$STORM" >"$out.storm" 2>&1 </dev/null &
storm=$!
i=0
while ! grep -q "svc storm: ready" "$out.storm" && kill -0 $storm 2>/dev/null &&
	[ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -TERM $storm 2>/dev/null
i=0
while kill -0 $storm 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -KILL $storm 2>/dev/null
wait $storm
rc=$?
check "SIGTERM ends a guest looping on its exceptions" \
	'[ $rc -eq 143 ] && grep -q "xensim: interrupted: d1 stopped: interrupted by SIGTERM" "$out.storm"' \
	"exit $rc, output: $(tail -3 "$out.storm")"
rm -f "$out.storm"

# A deadlock says what the guest waited on, and whose tree it had.
"$XENSIM" run --dump-dtb "$out.dtb" >/dev/null 2>&1
fdtput -r "$out.dtb" /timer
bounded "deadlock names the wait and the tree" 5 \
	"idle with nothing to wake it: no event pending; the timer fired, its line (PPI 27) up; device tree from --dtb $out.dtb" -- \
	run --dtb "$out.dtb" "$IMAGE"
rm -f "$out.dtb"

# A zImage longer than its header's end: only [start, end) is loaded.
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
cp "$ZIMAGE" "$out.zimage"
head -c 4096 /dev/zero >>"$out.zimage"
bounded "zImage tail past its end is not loaded, and said so" 0 \
	"the file's last 4096 bytes are not loaded" -- run "$out.zimage"
rm -f "$out.zimage"

# Same seed, same log: -v -v of the native guest names guest addresses,
# never host ones (which move from run to run).
"$XENSIM" run -v -v --seed 7 >"$out.log1" 2>&1
"$XENSIM" run -v -v --seed 7 >"$out.log2" 2>&1
check "native -v -v: two runs of one seed log the same bytes" \
	'cmp -s "$out.log1" "$out.log2"' "$(diff "$out.log1" "$out.log2" | head -4)"
check "native -v -v: hypercall pointers are guest addresses" \
	'grep -q "memory_op(0x7, (host), 0)" "$out.log1" && ! grep -q "0x[0-9a-f]\{11\}" "$out.log1"' \
	"$(grep -m2 "memory_op" "$out.log1")"
rm -f "$out.log1" "$out.log2"

finish

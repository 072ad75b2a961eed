#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# xensim --gdb: Debian's gdb-multiarch, in batch mode, debugs the arm64
# Image and the arm32 zImage (ARM and Thumb-2) with their ELF files: held
# at the first instruction (--gdb-wait), a breakpoint on xenstore_init,
# next and stepi, a variable and registers, a hardware watchpoint on a
# global, the thread list, then on to the guest's poweroff; xensim's exit
# status and the guest's console must be those of a run without gdb.
# Two domains make two threads; a guest that faults stops in gdb.
# Bad --gdb arguments are refused. Unix sockets in a private directory:
# parallel runs never clash. One line per check, ends "N passed, N
# failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
GDB=${GDB:-gdb-multiarch}
LIMIT=${LIMIT:-120}
tmp=$(mktemp -d /tmp/test-gdb.XXXXXX)
out=$tmp/out
trap 'rm -f "$tmp"/*; rmdir "$tmp"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# The batch session; MARK lines split its output into the checks' parts.
cat >"$tmp/session.gdb" <<'GDB'
set pagination off
set confirm off
set remotetimeout 60
echo MARK attach\n
target remote SOCKET
echo MARK break\n
break xenstore_init
continue
printf "stopped-at %#x\n", $pc
echo MARK next\n
next
printf "next-at %#x\n", $pc
echo MARK stepi\n
stepi
printf "stepi-at %#x\n", $pc
echo MARK print\n
print init_result
info registers pc sp
echo MARK watch\n
watch store_port
continue
echo MARK threads\n
info threads
delete
echo MARK end\n
continue
GDB

# part NAME: the session's output from MARK NAME to the next MARK.
part() {
	awk -v want="MARK $1" '/^MARK / { on = ($0 == want); next } on' \
		"$tmp/gdb.out"
}

# has PART PATTERN: whether that part of the session shows PATTERN.
has() {
	part "$1" | grep -q -- "$2"
}

hexval() {
	part "$1" | sed -n "s/^$2 \(0x[0-9a-f]*\)$/\1/p"
}

# debug SCRIPT ELF KERNEL...: xensim runs the kernels held for gdb on a
# unix socket, gdb-multiarch runs SCRIPT (SOCKET in it is replaced) with
# ELF's symbols (none: ""). Sets rc and gdb_rc, the exit statuses; gdb's
# output in $tmp/gdb.out, xensim's in $tmp/run.out and run.err, both in
# $out.
debug() {
	script=$1 elf=$2
	shift 2
	sock=$tmp/gdb.sock
	rm -f "$sock" "$tmp/run.out" "$tmp/run.err" "$tmp/gdb.out"
	timeout "$LIMIT" "$XENSIM" run --max-insns "$BUDGET" \
		--gdb "unix:$sock" --gdb-wait "$@" \
		>"$tmp/run.out" 2>"$tmp/run.err" </dev/null &
	pid=$!
	# xensim listens before it says so; a bounded wait for the line.
	tries=0
	until grep -q '^xensim: gdb: listening on' "$tmp/run.err" 2>/dev/null ||
	      [ "$tries" -ge 600 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	sed "s#SOCKET#$sock#" "$script" >"$tmp/session.run"
	if [ -n "$elf" ]; then
		set -- -ex "file $elf"
	else
		set --
	fi
	timeout "$LIMIT" "$GDB" -batch -nx "$@" -x "$tmp/session.run" \
		>"$tmp/gdb.out" 2>&1 </dev/null
	gdb_rc=$?
	wait "$pid"
	rc=$?
	cp "$tmp/gdb.out" "$out"
	cat "$tmp/run.err" >>"$out"
}

# session NAME IMAGE ELF ARCH: the whole session against one guest.
session() {
	name=$1 image=$2 elf=$3 arch=$4
	timeout "$LIMIT" "$XENSIM" run --max-insns "$BUDGET" "$image" \
		>"$tmp/ref.out" 2>"$tmp/ref.err" </dev/null
	ref_rc=$?
	debug "$tmp/session.gdb" "$elf" "$image"

	if has attach '^_head () at guest/arch/'; then
		ok "$name: --gdb-wait holds the guest at its first instruction"
	else
		bad_showing "$name: --gdb-wait holds the guest at its first instruction" "gdb saw:"
	fi
	if has break '^Breakpoint 1\(\.[0-9][0-9]*\)\{0,1\}, xenstore_init () at guest/xen/xenstore.c:'; then
		ok "$name: a breakpoint on xenstore_init stops there"
	else
		bad_showing "$name: a breakpoint on xenstore_init stops there" "gdb saw:"
	fi
	at=$(hexval break stopped-at) next=$(hexval next next-at)
	step=$(hexval stepi stepi-at)
	if [ -n "$at" ] && [ -n "$next" ] && [ -n "$step" ] &&
	   [ "$at" != "$next" ] && [ "$next" != "$step" ]; then
		ok "$name: next and stepi move the PC ($at, $next, $step)"
	else
		bad_showing "$name: next and stepi move the PC" "PCs '$at' '$next' '$step'"
	fi
	if has print '^\$1 = -19$' &&
	   has print '^pc  *0x[0-9a-f]* .*<[a-z_]*' &&
	   has print '^sp  *0x[0-9a-f]'; then
		ok "$name: a variable and the registers read back"
	else
		bad_showing "$name: a variable and the registers read back" "gdb saw:"
	fi
	if has watch '^Hardware watchpoint 2: store_port$' &&
	   has watch '^Old value = 0$' && has watch '^New value = 1$'; then
		ok "$name: a hardware watchpoint on store_port triggers"
	else
		bad_showing "$name: a hardware watchpoint on store_port triggers" "gdb saw:"
	fi
	if has threads "^\\* 1 *Thread 1 (d1 guest vCPU0 ($arch))"; then
		ok "$name: info threads lists the vCPU"
	else
		bad_showing "$name: info threads lists the vCPU" "gdb saw:"
	fi
	if has end '^\[Inferior 1 (Remote target) exited normally\]' &&
	   [ "$rc" -eq 0 ] && [ "$ref_rc" -eq 0 ] && [ "$gdb_rc" -eq 0 ] &&
	   ! grep -q Sanitizer "$tmp/run.err"; then
		ok "$name: the guest powers off, xensim exits 0"
	else
		bad_showing "$name: the guest powers off, xensim exits 0" "xensim exit $rc, gdb exit $gdb_rc, without gdb $ref_rc:"
	fi
	if [ -s "$tmp/ref.out" ] && cmp -s "$tmp/ref.out" "$tmp/run.out"; then
		ok "$name: the console is the same as without gdb"
	else
		diff "$tmp/ref.out" "$tmp/run.out" >"$out"
		bad_showing "$name: the console is the same as without gdb" "diff:"
	fi
}

session arm64 build/arm64/Image build/arm64/Image.elf arm64
session "arm32 ARM" build/arm32/zImage build/arm32/zImage.elf arm32
session "arm32 Thumb-2" build/arm32/zImage-thumb build/arm32/zImage-thumb.elf arm32

# Two domains of one run: a gdb thread each, named by domain id; the
# breakpoint stops each in turn; both power off.
cat >"$tmp/multi.gdb" <<'GDB'
set pagination off
set confirm off
set remotetimeout 60
target remote SOCKET
info threads
break xenstore_init
continue
continue
delete
continue
GDB
debug "$tmp/multi.gdb" build/arm64/Image.elf build/arm64/Image \
	build/arm64/Image
if grep -q '^\* 1 *Thread 1 (d1 guest-1 vCPU0 (arm64))' "$out" &&
   grep -q '^  2 *Thread 2 (d2 guest-2 vCPU0 (arm64))' "$out" &&
   grep -q '^Thread 1 hit Breakpoint 1\(\.[0-9][0-9]*\)\{0,1\}, xenstore_init ()' "$out" &&
   grep -q '^Thread 2 hit Breakpoint 1\(\.[0-9][0-9]*\)\{0,1\}, xenstore_init ()' "$out" &&
   grep -q '^\[Inferior 1 (Remote target) exited normally\]' "$out" &&
   [ "$rc" -eq 0 ] && ! grep -q Sanitizer "$out"; then
	ok "two domains: a thread each, the breakpoint stops both, both power off"
else
	bad_showing "two domains: a thread each, the breakpoint stops both, both power off" "xensim exit $rc, gdb saw:"
fi

# A guest that faults: gdb is shown the fault, at the faulting load,
# before the run ends with the fault's exit status.
cat >"$tmp/fault.gdb" <<'GDB'
set pagination off
set remotetimeout 60
target remote SOCKET
continue
printf "fault-pc %#x\n", $pc
continue
GDB
debug "$tmp/fault.gdb" "" build/unicorn-guests/a64_abort.Image
if grep -q '^Program received signal SIGSEGV' "$out" &&
   grep -q '^fault-pc 0x40080044$' "$out" &&
   grep -q '^\[Inferior 1 (Remote target) exited with code 02\]' "$out" &&
   grep -q '^xensim: fault: d1: data abort: read of unmapped address 0x10' "$out" &&
   [ "$rc" -eq 2 ] && ! grep -q Sanitizer "$out"; then
	ok "a faulting guest stops in gdb at the faulting load, then exits 2"
else
	bad_showing "a faulting guest stops in gdb at the faulting load, then exits 2" "xensim exit $rc, gdb saw:"
fi

# Refusals: a clear message and exit status 1, before anything runs.
expect "--gdb refuses an address off the loopback" 1 \
	"want tcp:127.0.0.1:PORT or unix:PATH" -- run --gdb tcp:0.0.0.0:1234 \
	build/arm64/Image
expect "--gdb refuses a bad port" 1 "not a number from 0 to 65535" -- \
	run --gdb tcp:127.0.0.1:65536 build/arm64/Image
expect "--gdb refuses an empty socket path" 1 "no socket path" -- \
	run --gdb unix: build/arm64/Image
expect "--gdb says why it cannot listen" 1 "No such file or directory" -- \
	run --gdb "unix:$tmp/none/gdb.sock" build/arm64/Image
expect "--gdb-wait wants --gdb" 1 "goes with --gdb" -- \
	run --gdb-wait build/arm64/Image
expect "--gdb sends the native guest to gdb itself" 1 \
	"run that under gdb directly" -- run --native --gdb tcp:127.0.0.1:0
expect "--gdb refuses --seeds" 1 "debugs one run" -- \
	run --gdb tcp:127.0.0.1:0 --seeds 1-2 build/arm64/Image
# Port 0: a free port, printed; nobody attaches and the guest runs on.
expect "--gdb tcp port 0 prints the port and runs the guest" 0 \
	"^xensim: gdb: listening on tcp:127.0.0.1:[1-9]" -- \
	run --gdb tcp:127.0.0.1:0 build/arm64/Image

finish

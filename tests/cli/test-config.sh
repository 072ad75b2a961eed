#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Domain config files as a user writes them for `xensim run FILE.cfg`:
# the example configs boot, options override the file, a bad file is
# refused naming file, line and key, and on_* actions restart or end the
# domain. Run from the top of the tree; one line per check, then
# "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# count NAME WANTED PATTERN: how many lines of the last output match.
count() {
	got=$(grep -c -- "$3" "$out")
	if [ "$got" -eq "$2" ]; then
		ok "$1"
	else
		bad_showing "$1" "$got lines match \"$3\", want $2"
	fi
}

cfg() { # NAME LINES...: write $dir/NAME.cfg
	f=$dir/$1.cfg
	shift
	printf '%s\n' "$@" >"$f"
}

expect "example arm64 config boots under the arm64 runtime" 0 \
	"(d1) xensim guest: powering off" -- run --dump-dtb "$dir/arm64.dtb" \
	fixtures/domains/arm64.cfg
if grep -aq "arm,gic-v3" "$dir/arm64.dtb"; then
	ok "the example's gic_version reaches the device tree"
else
	bad "the example's gic_version reaches the device tree" "no arm,gic-v3"
fi

cfg native 'name = "cfg-native"' 'memory = 64' 'vcpus = 1' \
	'extra = "console=hvc0 debug-hvc"' 'gic_version = "v2"'
expect "config without kernel runs the native guest" 0 \
	"(d1) selftest: ok debug_hypercalls" -- run --xen-debug "$dir/native.cfg"
expect "a release Xen answers the config's debug hypercalls as undefined" 2 \
	"(XEN) d1v0 Invalid HVC imm 0xffe1" -- run "$dir/native.cfg"
expect "config name names the domain" 0 'created "cfg-native", 64 MiB' -- run --xen-debug -v -v "$dir/native.cfg"
expect "memory from the config" 0 "RAM 64 MiB at 0x40000000" -- run --xen-debug "$dir/native.cfg"
expect "command line overrides the config's memory" 0 \
	"RAM 96 MiB at 0x40000000" -- run --xen-debug -m 96 "$dir/native.cfg"
expect "command line overrides the config's bootargs" 0 \
	"skip debug_hypercalls" -- run --bootargs console=hvc0 "$dir/native.cfg"

cfg unknown 'memory = 64' '' 'colour = "red"'
expect "unknown key names file, line and key" 1 \
	"unknown.cfg:3: colour: unknown key" -- run "$dir/unknown.cfg"
cfg badvalue 'memory = 99999'
expect "bad value names the key and the range" 1 \
	"badvalue.cfg:1: memory: wants a number from 16 to 16384" -- run "$dir/badvalue.cfg"
cfg syntax 'name = unquoted'
expect "syntax error names the line" 1 "syntax.cfg:1: unquoted word" -- run "$dir/syntax.cfg"
cfg baddisk 'disk = [ "x.img,qcow2,xvda" ]'
expect "qcow2 disk refused" 1 "xensim serves raw images only" -- run "$dir/baddisk.cfg"
cfg nokernel 'kernel = "/nonexistent/Image"'
expect "missing kernel in config" 1 "/nonexistent/Image: cannot open" -- run "$dir/nokernel.cfg"
expect "missing config file" 1 "/nonexistent.cfg: No such file" -- run /nonexistent.cfg
mkfifo "$dir/fifo.cfg"
expect "a FIFO as config is refused, not read" 1 "not a regular file" -- run "$dir/fifo.cfg"
cfg twokernels 'kernel = "build/arm64/Image"'
expect "--native with a config kernel" 1 "choose one" -- run --native "$dir/twokernels.cfg"

cfg restart 'memory = 32' 'on_poweroff = "restart"'
expect "on_poweroff=restart boots again, bounded" 0 \
	"restarted 3 times; not restarted again: --max-restarts 3 reached" -- run "$dir/restart.cfg"
count "the domain booted 4 times" 4 ") xensim guest: powering off"
# Each restart is a new domain, with the next domid, as xl gives it.
count "each boot under the next domid" 1 "^(d4) xensim guest: powering off"
count "restarts are announced" 1 "^xensim: d3 guest: poweroff: restarting (on_poweroff = \"restart\", restart 3 of at most 3)"
expect "--max-restarts bounds the restarts" 0 "restarted 1 time; not restarted again: --max-restarts 1 reached" \
	-- run --max-restarts 1 "$dir/restart.cfg"
count "--max-restarts 1: booted twice" 2 ") xensim guest: powering off"
cfg preserve 'memory = 32' 'on_poweroff = "preserve"'
expect "on_poweroff=preserve ends the run and says so" 0 \
	'poweroff: d1 shut down: poweroff; preserved (on_poweroff = "preserve")' -- run "$dir/preserve.cfg"
cfg coredump 'on_crash = "coredump-restart"'
expect "coredump-restart refused by name" 1 \
	'on_crash: "coredump-restart" is not supported by xensim: it does destroy, restart and preserve' -- run "$dir/coredump.cfg"
cfg destroy 'memory = 32' 'on_poweroff = "destroy"'
expect "on_poweroff=destroy ends the run" 0 "powering off" -- run "$dir/destroy.cfg"
count "the domain booted once" 1 "(d1) xensim guest: powering off"

# ramdisk: loaded below the device tree, named in /chosen as xl names it
# (64-bit cells), from the config or --ramdisk; what cannot be loaded is
# refused before the guest runs.
IMAGE=${IMAGE:-build/arm64/Image}
head -c 12345 /dev/urandom >"$dir/initrd"
: >"$dir/empty"
# initrd_is NAME: the dumped tree's initrd is 12345 bytes, page aligned,
# ending below the tree's 2 MiB slot under 128 MiB (0x47e00000).
initrd_is() {
	s=$(fdtget -tx "$dir/rd.dtb" /chosen linux,initrd-start 2>&1)
	e=$(fdtget -tx "$dir/rd.dtb" /chosen linux,initrd-end 2>&1)
	s=$(printf '%d' "0x${s#0 }" 2>/dev/null) e=$(printf '%d' "0x${e#0 }" 2>/dev/null)
	if [ -n "$s" ] && [ -n "$e" ] && [ $((e - s)) -eq 12345 ] &&
	   [ $((s % 4096)) -eq 0 ] && [ "$e" -le $((0x47e00000)) ] &&
	   [ "$e" -gt $((0x47e00000 - 4096)) ]; then
		ok "$1"
	else
		bad "$1" "initrd [$s, $e) in the tree"
	fi
}
cfg ramdisk 'memory = 128' "kernel = \"$IMAGE\"" "ramdisk = \"$dir/initrd\""
expect "a config's ramdisk boots" 0 "(d1) xensim guest: powering off" -- \
	run --dump-dtb "$dir/rd.dtb" "$dir/ramdisk.cfg"
initrd_is "a config's ramdisk is in /chosen"
expect "--ramdisk boots" 0 "(d1) xensim guest: powering off" -- \
	run --ramdisk "$dir/initrd" --dump-dtb "$dir/rd.dtb" "$IMAGE"
initrd_is "--ramdisk is in /chosen"
if fdtget "$dir/arm64.dtb" /chosen linux,initrd-start >/dev/null 2>&1; then
	bad "no ramdisk, no initrd in /chosen" "linux,initrd-start is there"
else
	ok "no ramdisk, no initrd in /chosen"
fi
cfg rd_empty 'ramdisk = ""'
expect "an empty ramdisk key is refused" 1 "rd_empty.cfg:1: ramdisk: empty" -- run "$dir/rd_empty.cfg"
expect "a missing ramdisk is refused" 1 "cannot read ramdisk $dir/nothing" -- run --ramdisk "$dir/nothing" "$IMAGE"
expect "an empty ramdisk file is refused" 1 "ramdisk $dir/empty is empty" -- run --ramdisk "$dir/empty" "$IMAGE"
head -c $((15 << 20)) /dev/zero >"$dir/big"
expect "a ramdisk larger than RAM below the tree is refused" 1 \
	"ramdisk $dir/big (15728640 bytes) does not fit below the device tree in 16 MiB of RAM" -- \
	run -m 16 --ramdisk "$dir/big" "$IMAGE"
head -c $((14 << 20)) /dev/zero >"$dir/big"
expect "a ramdisk the kernel would overwrite is refused" 1 \
	"would overlap the ramdisk at \[0x40000000, " -- run -m 16 --ramdisk "$dir/big" "$IMAGE"
expect "a ramdisk and --dtb are refused" 1 "a ramdisk and --dtb" -- \
	run --ramdisk "$dir/initrd" --dtb "$dir/arm64.dtb" "$IMAGE"
expect "--ramdisk is refused in a run of several domains" 1 "--ramdisk" -- \
	run --ramdisk "$dir/initrd" "$IMAGE" "$IMAGE"

finish

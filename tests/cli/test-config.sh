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

finish

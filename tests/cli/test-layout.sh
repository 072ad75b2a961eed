#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# --layout: the guest memory map of Xen 4.4 and of Xen 4.5+ (4.17). The
# battery runs under --layout 4.4 in every runtime (natively, arm64, arm32
# ARM and Thumb-2); the device tree xensim writes places RAM, the grant
# window and the GIC as each version does; a 4.5 domain larger than bank 0
# spills into bank 1, where the guest writes and reads pages both ways with
# the model (natively and on arm64: the arm32 emulator cannot reach RAM
# above 4 GiB, which is refused with a message). Run from the top of the
# tree; one line per check, ends "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
ZIMAGE_THUMB=${ZIMAGE_THUMB:-build/arm32/zImage-thumb}
BUDGET=${BUDGET:-400000000}
out=$(mktemp)
trap 'rm -f "$out" "$out.dtb"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# battery NAME ARGS...: a run of the whole battery that powers off with
# every check passed and none skipped (a debug Xen and debug-hvc: nothing
# is left out).
battery() {
	name=$1
	shift
	timeout "${LIMIT:-300}" "$XENSIM" run --max-insns "$BUDGET" \
		--xen-debug --bootargs "selftest debug-hvc" "$@" \
		>"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] &&
	   grep -q "selftest: [0-9]* passed, 0 failed, 0 skipped" "$out" &&
	   ! grep -q "Sanitizer" "$out"; then
		ok "$name"
	else
		bad_showing "$name" "exit $rc, output:"
	fi
}

# has NAME PATTERN: the last run printed a line matching PATTERN.
has() {
	if grep -q -- "$2" "$out"; then
		ok "$1"
	else
		bad_showing "$1" "no line matching '$2' in:"
	fi
}

# dt NAME PATH PROP WANT: the dumped tree's PROP of PATH, as fdtget -tx
# prints it, is WANT.
dt() {
	got=$(fdtget -tx "$out.dtb" "$2" "$3" 2>&1)
	if [ "$got" = "$4" ]; then
		ok "$1"
	else
		bad "$1" "$2 $3 is '$got', want '$4'"
	fi
}

for rt in native:--native arm64:$IMAGE arm32:$ZIMAGE thumb:$ZIMAGE_THUMB; do
	battery "layout 4.4: the battery passes (${rt%%:*})" \
		--layout 4.4 -m 256 "${rt#*:}"
	has "layout 4.4: RAM at 2 GiB (${rt%%:*})" \
		"RAM 256 MiB at 0x80000000"
	has "layout 4.4: 32-frame grant window at 0xb0000000 (${rt%%:*})" \
		"grant table 0xb0000000+0x20000 event channel INTID 31"
done

# The trees as each version's toolstack writes them.
expect "layout 4.4: the tree is written" 0 "powering off" -- run --layout 4.4 -m 256 --dump-dtb "$out.dtb"
dt "layout 4.4: memory node" /memory@80000000 reg "0 80000000 0 10000000"
dt "layout 4.4: grant window" /hypervisor reg "0 b0000000 0 20000"
dt "layout 4.4: GICv2 distributor and CPU interface" /interrupt-controller@2c001000 reg "0 2c001000 0 1000 0 2c002000 0 2000"
expect "layout 4.5: the tree is written" 0 "powering off" -- run -m 3200 --gic 3 --dump-dtb "$out.dtb"
dt "layout 4.5: bank 0 full" /memory@40000000 reg "0 40000000 0 c0000000"
dt "layout 4.5: the rest in bank 1" /memory@200000000 reg "2 0 0 8000000"
dt "layout 4.5: grant window" /hypervisor reg "0 38000000 0 1000000"
dt "layout 4.5: GICv3 distributor and redistributors" /interrupt-controller@3001000 reg "0 3001000 0 10000 0 3020000 0 1000000"

# A domain whose memory spills into bank 1: the guest touches it.
for rt in native:--native arm64:$IMAGE; do
	battery "layout 4.5: 3200 MiB, the battery passes (${rt%%:*})" \
		-m 3200 "${rt#*:}"
	has "layout 4.5: a page at each end of bank 1 is read and written (${rt%%:*})" \
		"memory: RAM bank 1 \[0x200000000, 0x208000000): first and last page written and read both ways with Xen"
done

# What a layout cannot give is refused before anything runs.
expect "layout 4.4 has no GICv3" 1 "the layout of Xen 4.4 has no GICv3" -- run --layout 4.4 --gic 3
expect "layout 4.4 holds 768 MiB" 1 "memory 1024 MiB: the layout of Xen 4.4 gives a guest 16..768 MiB" -- run --layout 4.4 -m 1024
expect "arm32 RAM above 4 GiB is refused" 1 "RAM would reach above 4 GiB, where the arm32 emulator cannot go" -- run -m 3200 "$ZIMAGE"
expect "unknown layout" 1 'layout wants 4.4|4.5, not "4.6"' -- run --layout 4.6
# A tree whose regions the guest cannot map stops the boot with a message
# naming the region: a GIC inside a RAM block, more regions than its page
# tables hold.
expect "layout: the tree is written for editing" 0 "powering off" -- run -m 256 --dump-dtb "$out.dtb"
fdtput -t x "$out.dtb" /interrupt-controller@3001000 reg 0 0x40001000 0 0x1000 0 0x40002000 0 0x2000
expect "a GIC inside a RAM block is refused by the guest" 2 "panic: device tree: GIC distributor \[0x40001000, 0x40002000) shares a 2 MiB block with a region of other memory attributes" -- run -m 256 --dtb "$out.dtb" "$IMAGE"
finish

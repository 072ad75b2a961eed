#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Boots the guest images on the real Xen 4.17 (Debian's arm64 build) under
# qemu-system-aarch64 and judges each run by its transcript:
#   dom0          arm64 Image as dom0, GICv3 (Xen halts QEMU at poweroff)
#   domu          arm64 Image as a dom0less domU, GICv3
#   domu-gicv2    the same on a GICv2 machine
#   domu-arm32    arm32 zImage (ARM) as a 32-bit dom0less domU
#   domu-thumb    arm32 zImage (Thumb-2) as a 32-bit dom0less domU
#   domu-bank1    arm64 Image as a domU of 3136 MiB: past bank 0's 3 GiB,
#                 Xen gives the rest at 8 GiB, where the battery's ram_banks
#                 check writes and reads pages both ways with Xen (QEMU
#                 -m 4096, Xen's bootscrub=0)
#   fault-arm64, fault-thumb   bootarg arm-fault-test: the exception report
#   domu-smp, domu-smp-arm32, domu-smp-thumb   each image as a dom0less
#                 domU with cpus = <2> on a QEMU of two CPUs: the battery
#                 with its SMP checks (CPU_ON, IPIs, an event bound to CPU 1,
#                 CPU_OFF and on again; a ring both CPUs produce into)
#   domu-smp-fifo the same arm64 run with bootarg evtchn-fifo
#   domu-smp4     arm64 with cpus = <4> on a QEMU of four CPUs
# Each run is bounded by a timeout, and QEMU is ended by its PID (a domU's
# shutdown does not stop it). Writes build/interop/NAME.console (the whole
# serial line), NAME.log (the guest's lines as printed), NAME.norm.log
# (without the "(XEN) " / "(d1) " prefixes) and NAME.dtb (a domU's host
# tree). Prints one line per run and, for a battery run, one line per check
# (tests/results/battery.sh: named xen-NAME/CHECK, every skip held to
# tests/expected-skips). tests/transcript/compare-real-xen.sh then holds
# the transcripts to xensim's. Run from the top of the tree; ends with
# "N passed, N failed, N skipped".
set -u

XEN=${XEN:-build/xen/boot/xen-4.17-arm64}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
ZIMAGE_THUMB=${ZIMAGE_THUMB:-build/arm32/zImage-thumb}
OUT=${OUT:-build/interop}
# Upper bound for one boot, in tenths of a second (a run takes under 1 s).
LIMIT=${LIMIT:-300}
QEMU=qemu-system-aarch64
XEN_ARGS="console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all"
KERNEL_ADDR=0x4a000000
# QEMU's RAM in MiB and CPUs, the domU's memory in KiB (as the domain
# node takes it) and vCPUs, and words added to Xen's command line; some
# runs change them.
qemu_mib=1024
qemu_cpus=1
domu_kib=0x10000
domu_cpus=1
xen_extra=

pass=0
fail=0
skipped=0
mkdir -p "$OUT"
# Runs work in a private directory on private copies of the images (the
# tree may be rebuilding them, or running this script, meanwhile) and
# publish their files to $OUT when judged.
W=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

machine() { # GIC version -> QEMU -M argument
	echo "virt,virtualization=on,gic-version=$1"
}

# boot NAME MARKER ARGS...: run QEMU until it exits or MARKER (an ERE)
# appears on the console, then end it. Sets $rc to QEMU's exit status, or
# "killed" when this script ended it.
boot() {
	name=$1 marker=$2
	shift 2
	console=$W/$name.console
	: >"$console"
	"$QEMU" -cpu cortex-a57 -smp "$qemu_cpus" -m "$qemu_mib" -nographic -no-reboot \
		-nic none "$@" >"$console" 2>&1 </dev/null &
	pid=$!
	ticks=0
	rc=killed
	while kill -0 "$pid" 2>/dev/null; do
		if [ -n "$marker" ] && grep -Eq "$marker" "$console"; then
			break
		fi
		if [ "$ticks" -ge "$LIMIT" ]; then
			echo "$name: no end after $((LIMIT / 10)) s" >>"$console"
			break
		fi
		sleep 0.1
		ticks=$((ticks + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	else
		wait "$pid"
		rc=$?
	fi
	pid=
	tr -d '\r' <"$console" >"$console.tmp" && mv "$console.tmp" "$console"
}

# transcript NAME dom0|domu: split the guest's lines out of the console.
transcript() {
	console=$W/$1.console
	if [ "$2" = dom0 ]; then
		# dom0 writes unprefixed; keep what follows Xen's boot.
		sed -n '/Freed .* init memory/,$p' "$console" |
			grep -v '^(XEN)' | grep -v '^qemu-system' >"$W/$1.log"
		cp "$W/$1.log" "$W/$1.norm.log"
	else
		grep -E '^\(d1\) |^\(XEN\) DOM1: ' "$console" >"$W/$1.log"
		sed -E 's/^\(d1\) //; s/^\(XEN\) //' "$W/$1.log" >"$W/$1.norm.log"
	fi
}

# dtb NAME GIC IMAGE BOOTARGS: QEMU's own tree plus a dom0less domU whose
# kernel module is IMAGE at KERNEL_ADDR ("no-xenstore": Xen 4.17 needs a
# dom0 for xenstore, but still gives the domU its /hypervisor node).
dtb() {
	tree=$W/$1.dtb
	size=$(stat -c %s "$3")
	"$QEMU" -M "$(machine "$2"),dumpdtb=$tree" -cpu cortex-a57 -smp "$qemu_cpus" \
		-m "$qemu_mib" -nographic -nic none >/dev/null 2>&1 || return 1
	dom=/chosen/domU1
	mod=$dom/module@${KERNEL_ADDR#0x}
	fdtput -t i "$tree" /chosen '#address-cells' 2 &&
	fdtput -t i "$tree" /chosen '#size-cells' 2 &&
	fdtput -t s "$tree" /chosen xen,xen-bootargs "$XEN_ARGS${xen_extra:+ $xen_extra}" &&
	fdtput -c "$tree" "$dom" &&
	fdtput -t s "$tree" "$dom" compatible xen,domain &&
	fdtput -t i "$tree" "$dom" '#address-cells' 2 &&
	fdtput -t i "$tree" "$dom" '#size-cells' 2 &&
	fdtput -t x "$tree" "$dom" memory 0 "$domu_kib" &&
	fdtput -t i "$tree" "$dom" cpus "$domu_cpus" &&
	fdtput -t s "$tree" "$dom" xen,enhanced no-xenstore &&
	fdtput -c "$tree" "$mod" &&
	fdtput -t s "$tree" "$mod" compatible multiboot,kernel multiboot,module &&
	fdtput -t x "$tree" "$mod" reg 0 "$KERNEL_ADDR" 0 "$(printf %x "$size")" &&
	fdtput -t s "$tree" "$mod" bootargs "$4"
}

verdict() { # NAME OK WHY
	for f in console log norm.log dtb; do
		[ -f "$W/$1.$f" ] && cp "$W/$1.$f" "$OUT/$1.$f"
	done
	if [ "$2" = yes ]; then
		pass=$((pass + 1))
		echo "ok $1"
	else
		fail=$((fail + 1))
		echo "FAIL $1: $3"
		tail -n 25 "$W/$1.console" | sed 's/^/     /'
	fi
}

has() { # FILE ERE
	grep -Eq "$2" "$1"
}

# battery_ok RUN TRANSCRIPT: each check of the battery judged and printed
# (one line each, counted here); true when every check ended as
# tests/expected-skips wants and the guest then powered off.
battery_ok() {
	verdicts=$W/$1.battery
	sh tests/results/battery.sh "xen-$1" "$2" >"$verdicts"
	judged=$?
	sed '$d' "$verdicts"
	set -- $(sed -n '$s/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$verdicts") "$2"
	if [ $# -ne 4 ]; then
		echo "ERROR battery: no totals from tests/results/battery.sh"
		fail=$((fail + 1))
		return 1
	fi
	pass=$((pass + $1)) fail=$((fail + $2)) skipped=$((skipped + $3))
	[ "$judged" -eq 0 ] && has "$4" '^xensim guest: powering off$'
}

run_dom0() {
	boot dom0 "" -M "$(machine 3)" -kernel "$XEN" -append \
		"dom0_mem=128M $XEN_ARGS" -device \
		"guest-loader,addr=0x49000000,kernel=$IMAGE,bootargs=console=hvc0"
	transcript dom0 dom0
	ok=no
	if battery_ok dom0 "$W/dom0.norm.log" &&
		has "$W/dom0.console" 'Hardware Dom0 halted' && [ "$rc" = 0 ]; then
		ok=yes
	fi
	verdict dom0 $ok "battery did not pass or Xen did not halt (QEMU: $rc)"
}

# run_domu NAME GIC IMAGE BOOTARGS MARKER CHECK...: each CHECK is an ERE
# the normalised transcript must match, or "battery" for battery_ok.
run_domu() {
	name=$1 gic=$2 image=$3 args=$4 marker=$5
	shift 5
	if ! dtb "$name" "$gic" "$image" "$args"; then
		echo "cannot build the device tree" >"$W/$name.console"
		verdict "$name" no "device tree"
		return
	fi
	boot "$name" "$marker|Panic on CPU" -M "$(machine "$gic")" \
		-kernel "$XEN" -dtb "$W/$name.dtb" -device \
		"loader,file=$image,addr=$KERNEL_ADDR,force-raw=on"
	transcript "$name" domu
	ok=yes
	for want in "$@"; do
		if [ "$want" = battery ]; then
			battery_ok "$name" "$W/$name.norm.log" || ok=no
		else
			has "$W/$name.norm.log" "$want" || ok=no
		fi
	done
	verdict "$name" $ok "transcript lacks an expected line"
}

for f in "$XEN" "$IMAGE" "$ZIMAGE" "$ZIMAGE_THUMB"; do
	if [ ! -f "$f" ]; then
		echo "     missing $f: run \`make interop\`"
		echo "FAIL inputs: missing $f"
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
	cp "$f" "$W/"
done
XEN=$W/${XEN##*/} IMAGE=$W/${IMAGE##*/}
ZIMAGE=$W/${ZIMAGE##*/} ZIMAGE_THUMB=$W/${ZIMAGE_THUMB##*/}

done_re='^\(d1\) (xensim guest: powering off|panic: )'
run_dom0
run_domu domu 3 "$IMAGE" console=hvc0 "$done_re" battery
run_domu domu-gicv2 2 "$IMAGE" console=hvc0 "$done_re" battery
run_domu domu-arm32 3 "$ZIMAGE" console=hvc0 "$done_re" battery
run_domu domu-thumb 3 "$ZIMAGE_THUMB" console=hvc0 "$done_re" battery
# Past bank 0: QEMU holds the domU and 256 MiB for Xen, in whole GiB (as
# xensim sizes its host); Xen need not clear that RAM at boot; the boot
# takes longer (measured in the README), so it gets a longer bound.
qemu_mib=4096 domu_kib=0x310000 xen_extra=bootscrub=0 limit_was=$LIMIT
LIMIT=$((LIMIT * 3))
run_domu domu-bank1 3 "$IMAGE" console=hvc0 "$done_re" battery \
	'^memory: RAM bank 1 \[0x200000000, 0x204000000\): first and last page written and read both ways with Xen$'
qemu_mib=1024 domu_kib=0x10000 xen_extra= LIMIT=$limit_was
run_domu fault-arm64 3 "$IMAGE" "console=hvc0 arm-fault-test" \
	'^\(d1\) arm64: x30 ' \
	'^arm64: unexpected synchronous exception from EL1$' \
	'^arm64: ESR 0x96000046 \(EC 0x25\) FAR 0x0000000000000010$' \
	'^arm64: ELR 0x00000000400[0-9a-f]{5} '
# SPSR: Thumb state (T, bit 5) in SVC mode (0x13).
run_domu fault-thumb 3 "$ZIMAGE_THUMB" "console=hvc0 arm-fault-test" \
	'^\(d1\) arm32: r12 ' \
	'^arm32: unexpected data abort exception$' \
	'^arm32: DFSR 0x00000a06 DFAR 0x00000010 ' \
	'^arm32: PC 0x[0-9a-f]{8} SPSR 0x[0-9a-f]{6}[37bf]3 '
# Two vCPUs on two CPUs: the battery adds its SMP check.
qemu_cpus=2 domu_cpus=2
smp_re='^selftest: ok smp_two_cpus$' ring_re='^selftest: ok smp_shared_ring$'
run_domu domu-smp 3 "$IMAGE" console=hvc0 "$done_re" battery "$smp_re" \
	"$ring_re"
run_domu domu-smp-arm32 3 "$ZIMAGE" console=hvc0 "$done_re" battery \
	"$smp_re" "$ring_re"
run_domu domu-smp-thumb 3 "$ZIMAGE_THUMB" console=hvc0 "$done_re" battery \
	"$smp_re" "$ring_re"
# The FIFO event ABI: CPU 1 needs a control block of its own.
run_domu domu-smp-fifo 3 "$IMAGE" "console=hvc0 evtchn-fifo" "$done_re" \
	battery "$smp_re" "$ring_re" \
	'^xensim guest: event channels FIFO ABI'
# Four vCPUs on four CPUs.
qemu_cpus=4 domu_cpus=4
run_domu domu-smp4 3 "$IMAGE" console=hvc0 "$done_re" battery "$smp_re" \
	"$ring_re"
qemu_cpus=1 domu_cpus=1

echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]

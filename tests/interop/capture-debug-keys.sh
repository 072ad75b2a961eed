#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Captures real Xen 4.17's debug-key dumps, the fixture xensim's own dumps
# are compared with (tests/cli/test-keys.sh): Debian's Xen boots under
# qemu-system-aarch64 with our arm64 Image, which holds still for a while
# (bootarg hold=N; hold-spin keeps its vCPU running, so that 'd' shows a
# guest's registers); once it does, Ctrl-a three times switches the serial
# input to Xen and each key is typed, a pause apart. MODE domu runs the
# Image as a dom0less domU (domu-idle: asleep, not busy), MODE dom0 as
# dom0 (for '0'). Writes the
# serial line, from the switch on, to OUT. Run from the top of the tree:
#   sh tests/interop/capture-debug-keys.sh [domu|domu-idle|dom0 [OUT]]
# (default domu, fixtures/xen-debug-keys/MODE.console; needs `make
# interop`'s build/xen and build/arm64/Image).
set -eu

XEN=${XEN:-build/xen/boot/xen-4.17-arm64}
IMAGE=${IMAGE:-build/arm64/Image}
MODE=${1:-domu}
OUT=${2:-fixtures/xen-debug-keys/$MODE.console}
KEYS=${KEYS:-"h q e g d 0 a t w"}
GUEST_ARGS="console=hvc0 hold=60 hold-spin"
# domu-idle: the domU asleep in its wait (its timer is in Xen's queue).
[ "$MODE" = domu-idle ] && GUEST_ARGS="console=hvc0 hold=60"
KERNEL_ADDR=0x4a000000
XEN_ARGS="console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all"
MACHINE=virt,virtualization=on,gic-version=3

case $MODE in
domu|domu-idle|dom0) ;;
*) echo "usage: $0 [domu|domu-idle|dom0 [OUT]]" >&2; exit 1 ;;
esac

W=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for ERE TENTHS: until the serial line shows ERE (false on timeout).
wait_for() {
	n=0
	while ! grep -Eq "$1" "$W/console"; do
		[ "$n" -ge "$2" ] && return 1
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
		n=$((n + 1))
	done
}

# domu: QEMU's tree plus a dom0less domU whose kernel module is the Image.
domu_tree() {
	tree=$W/host.dtb
	qemu-system-aarch64 -M "$MACHINE,dumpdtb=$tree" -cpu cortex-a57 -smp 1 \
		-m 1024 -nographic -nic none >/dev/null 2>&1
	dom=/chosen/domU1
	mod=$dom/module@${KERNEL_ADDR#0x}
	fdtput -t i "$tree" /chosen '#address-cells' 2
	fdtput -t i "$tree" /chosen '#size-cells' 2
	fdtput -t s "$tree" /chosen xen,xen-bootargs "$XEN_ARGS"
	fdtput -c "$tree" "$dom"
	fdtput -t s "$tree" "$dom" compatible xen,domain
	fdtput -t i "$tree" "$dom" '#address-cells' 2
	fdtput -t i "$tree" "$dom" '#size-cells' 2
	fdtput -t x "$tree" "$dom" memory 0 0x10000
	fdtput -t i "$tree" "$dom" cpus 1
	fdtput -t s "$tree" "$dom" xen,enhanced no-xenstore
	fdtput -c "$tree" "$mod"
	fdtput -t s "$tree" "$mod" compatible multiboot,kernel multiboot,module
	fdtput -t x "$tree" "$mod" reg 0 "$KERNEL_ADDR" 0 \
		"$(printf %x "$(stat -c %s "$IMAGE")")"
	fdtput -t s "$tree" "$mod" bootargs "$GUEST_ARGS"
}

# The serial port alone on stdio (no QEMU monitor multiplexed on it, so
# Ctrl-a reaches Xen), fed from a FIFO this script writes.
mkfifo "$W/in"
if [ "$MODE" != dom0 ]; then
	domu_tree
	set -- -dtb "$W/host.dtb" \
		-device "loader,file=$IMAGE,addr=$KERNEL_ADDR,force-raw=on"
	marker='^\(d1\) xensim guest: holding for'
else
	set -- -append "dom0_mem=128M $XEN_ARGS" \
		-device "guest-loader,addr=0x49000000,kernel=$IMAGE,bootargs=$GUEST_ARGS"
	marker='^xensim guest: holding for'
fi
qemu-system-aarch64 -M "$MACHINE" -cpu cortex-a57 -smp 1 -m 1024 \
	-display none -monitor none -serial stdio -no-reboot -nic none \
	-kernel "$XEN" "$@" <"$W/in" >"$W/console" 2>&1 &
pid=$!
exec 3>"$W/in"

wait_for "$marker" 600 ||
	{ echo "capture: the guest never held" >&2; cat "$W/console" >&2; exit 1; }
# Ctrl-a three times until the input is Xen's.
for try in 1 2 3 4; do
	printf '\001\001\001' >&3
	sleep 1
	grep -q 'Serial input to Xen' "$W/console" && break
done
for k in $KEYS; do
	printf '%s' "$k" >&3
	sleep 2
done
exec 3>&-
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null || true
pid=
mkdir -p "$(dirname "$OUT")"
{
	echo "# Xen 4.17 (Debian's xen-hypervisor-4.17-arm64) under QEMU; our arm64"
	echo "# Image as $MODE, bootargs \"$GUEST_ARGS\"; keys typed: $KEYS"
	echo "# captured by: sh tests/interop/capture-debug-keys.sh $MODE"
	tr -d '\r' <"$W/console" | sed -n '/Serial input to Xen/,$p' |
		grep -v '^qemu-system-aarch64: terminating'
} >"$OUT"
echo "capture: $(wc -l <"$OUT") lines in $OUT"

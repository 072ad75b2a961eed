#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The arm64 guest as a domU of a Linux dom0 on real Xen 4.17 under
# qemu-system-aarch64 (TCG): Debian's arm64 kernel as dom0 with the
# initramfs tests/interop/dom0-initramfs.sh assembles (xenstored,
# xenconsoled, xl, Linux's blkback and netback), plus a run archive with
# the guest Image, its xl.cfg, the disk images and the plan
# (tests/interop/dom0/plan). dom0 creates the guest with xl: a disk on a
# loop device, a vif on a bridge, the console through xenconsoled. The
# guest runs its battery (keep-going), the block
# self-check against blkback and the network test against netback; dom0
# pings it, shuts it down with xl shutdown and checks the
# disk byte for byte. Each battery check is judged (what Xen gives an xl
# domU the battery expects of one), and its conformance answers must be
# xensim --xl's, line for line. One line per check, then the totals. Writes
# build/interop/dom0-linux.console (the whole serial line). Bounded by
# LIMIT tenths of a second; QEMU is ended by its PID. Run from the top of
# the tree.
set -u

XEN=${XEN:-build/xen/boot/xen-4.17-arm64}
IMAGE=${IMAGE:-build/arm64/Image}
XENSIM=${XENSIM:-build/san/xensim}
DOM0=${DOM0:-build/dom0}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
OUT=${OUT:-build/interop}
LIMIT=${LIMIT:-1800}
DISK_BYTES=4194304
XEN_ARGS="dom0_mem=384M console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all"

pass=0 fail=0 skip=0
W=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for f in "$XEN" "$IMAGE" "$DOM0/vmlinuz" "$DOM0/base.cpio.gz" "$BLKPATTERN"; do
	if [ ! -f "$f" ]; then
		echo "FAIL inputs: missing $f: run \`make interop\`"
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
done

# The run archive, unpacked by the kernel over the base one.
mkdir -p "$W/guest" "$OUT"
cp "$IMAGE" "$W/guest/Image"
cp tests/interop/dom0/plan "$W/guest/plan"
"$BLKPATTERN" make "$W/guest/disk.img" $DISK_BYTES &&
	"$BLKPATTERN" want "$W/guest/disk.want" $DISK_BYTES || exit 1
cat >"$W/guest/domu.cfg" <<CFG
name = "xensim"
kernel = "/guest/Image"
memory = 64
vcpus = 1
extra = "console=hvc0 keep-going blk-selftest net-test net-ip=2 net-linger=8000 wait-shutdown"
disk = [ 'phy:/dev/loop0,xvda,w' ]
vif = [ 'bridge=xenbr0' ]
CFG
(cd "$W" && find guest | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$W/run.cpio.gz"
cat "$DOM0/base.cpio.gz" "$W/run.cpio.gz" >"$W/initrd.gz"

console=$W/dom0-linux.console
start=$(date +%s%N)
qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 \
	-smp 1 -m 1024 -nographic -no-reboot -nic none -kernel "$XEN" \
	-append "$XEN_ARGS" \
	-device guest-loader,addr=0x49000000,kernel="$DOM0/vmlinuz",bootargs="console=hvc0 quiet" \
	-device guest-loader,addr=0x50000000,initrd="$W/initrd.gz" \
	>"$console" 2>&1 </dev/null &
pid=$!
ticks=0 rc=killed init_at=
while kill -0 "$pid" 2>/dev/null; do
	# Wall time to dom0's init, for the README's figures (never judged).
	if [ -z "$init_at" ] && grep -q '^dom0: init started' "$console"; then
		init_at=$(( ($(date +%s%N) - start) / 1000000 ))
	fi
	if [ "$ticks" -ge "$LIMIT" ]; then
		echo "dom0-linux: no end after $((LIMIT / 10)) s" >>"$console"
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
total=$(( ($(date +%s%N) - start) / 1000000 ))
tr -d '\r' <"$console" >"$OUT/dom0-linux.console"
console=$OUT/dom0-linux.console
echo "     dom0 init after ${init_at:-?} ms of wall time, the whole run ${total} ms (QEMU: $rc)"

# check NAME ERE WHY: ok when the console has a line matching ERE.
check() {
	if grep -Eq "$2" "$console"; then
		pass=$((pass + 1))
		echo "ok dom0-linux/$1"
	else
		fail=$((fail + 1))
		echo "FAIL dom0-linux/$1: $3"
	fi
}

check init '^dom0: init started' "dom0's init never ran"
check toolstack '^dom0: toolstack up' "xenstored, xen-init-dom0 or xenconsoled failed"
check xl-create '^dom0: domU created' "xl create failed"
check console '^\(d1\) xensim guest: xenstore connected' \
	"no guest line through xenconsoled's log"
check battery '^\(d1\) selftest: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' \
	"the battery did not reach its summary"
check blkback '^\(d1\) blk-selftest: [0-9]+ passed, 0 failed, 0 skipped$' \
	"the block self-check against Linux's blkback failed"
check netback '^\(d1\) net-test: answered 3 echo request\(s\)' \
	"the guest did not answer dom0's 3 pings through Linux's netback"
check ping '^dom0: ping 10\.0\.0\.2: 3 of 3 replies$' "dom0's ping went unanswered"
check xl-shutdown '^\(d1\) xensim guest: poweroff requested$' \
	"xl shutdown did not reach the guest"
check domain-gone '^dom0: domU gone' "the domain did not go away"
check disk '^dom0: disk holds the pattern, byte for byte$' \
	"the loop device does not hold what the guest wrote"
if [ "$rc" = 0 ] && grep -q 'Hardware Dom0 halted' "$console"; then
	pass=$((pass + 1))
	echo "ok dom0-linux/halt"
else
	fail=$((fail + 1))
	echo "FAIL dom0-linux/halt: dom0 did not power the machine off (QEMU: $rc)"
fi
if [ "$fail" -ne 0 ]; then
	grep -E '^dom0: |^\(d1\) .*(FAIL|panic)' "$console" | tail -n 25 | sed 's/^/     /'
fi
# The battery, check by check (tests/results/battery.sh; its skips are
# rows "xen-xl-domu ..." of tests/expected-skips), then its conformance
# answers held to xensim's for a domain built as xl builds it (--xl):
# the same lines, value for value.
sh tests/results/battery.sh xen-xl-domu "$console" >"$W/battery" 2>&1
sed '$d' "$W/battery"
set -- $(tail -n 1 "$W/battery")
pass=$((pass + ${1:-0})) fail=$((fail + ${3:-1})) skip=$((skip + ${5:-0}))
sed -nE 's/^\(d1\) (conf: )/\1/p' "$console" >"$W/conf.xen"
"$XENSIM" run --xl -m 64 --gic 3 --max-insns 100000000 \
	--bootargs "console=hvc0 keep-going" "$IMAGE" </dev/null 2>&1 |
	sed -nE 's/^\(d1\) (conf: )/\1/p' >"$W/conf.sim"
if [ ! -s "$W/conf.xen" ]; then
	fail=$((fail + 1))
	echo "FAIL dom0-linux/conf-as-xensim-xl: no conformance answers on the console"
elif diff -u "$W/conf.xen" "$W/conf.sim" >"$W/conf.diff"; then
	pass=$((pass + 1))
	echo "ok dom0-linux/conf-as-xensim-xl"
else
	fail=$((fail + 1))
	echo "FAIL dom0-linux/conf-as-xensim-xl: the answers differ (- xl on Xen, + xensim --xl):"
	tail -n +3 "$W/conf.diff" | grep '^[-+]' | sed 's/^/     /'
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]

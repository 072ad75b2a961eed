#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The guest as a domU of a Linux dom0 on real Xen 4.17 under
# qemu-system-aarch64 (TCG): Debian's arm64 kernel as dom0 with the
# initramfs tests/interop/dom0-initramfs.sh assembles (xenstored,
# xenconsoled, xl, Linux's blkback and netback), plus a run archive with
# the arm64 Image and the arm32 zImage, an xl.cfg for each, the disk
# images, dom0's UDP echo client and the plan (tests/interop/dom0/plan).
# dom0 creates each guest in turn with xl: a disk on a loop device, a vif
# on a bridge, the console through xenconsoled. Each runs its battery
# (keep-going), the block self-check against blkback and the network test
# against netback, and has its disk taken away (xl block-detach) while
# it reads and given back (xl block-attach), running the block self-check
# again on it; dom0 pings it and exchanges UDP echo with it, ends the
# arm64 one with xl shutdown and the arm32 one with xl destroy while it
# runs, and checks the disk byte for byte. Each battery check is judged
# (what Xen gives an xl domU the battery expects of one), and the
# conformance answers must be xensim --xl's, line for line. One line per
# check, then the totals. Writes build/interop/dom0-linux.console (the
# whole serial line). Bounded by LIMIT tenths of a second; QEMU is ended
# by its PID. Run from the top of the tree.
set -u

XEN=${XEN:-build/xen/boot/xen-4.17-arm64}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
UDP_ECHO=${UDP_ECHO:-build/dom0-tools/udp-echo}
XENSIM=${XENSIM:-build/san/xensim}
DOM0=${DOM0:-build/dom0}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
OUT=${OUT:-build/interop}
LIMIT=${LIMIT:-4000}
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

for f in "$XEN" "$IMAGE" "$ZIMAGE" "$DOM0/vmlinuz" "$DOM0/base.cpio.gz" \
	"$UDP_ECHO" "$BLKPATTERN"; do
	if [ ! -f "$f" ]; then
		echo "FAIL inputs: missing $f: run \`make interop\`"
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
done

# The run archive, unpacked by the kernel over the base one.
mkdir -p "$W/guest" "$OUT"
cp "$IMAGE" "$W/guest/Image"
cp "$ZIMAGE" "$W/guest/zImage"
cp "$UDP_ECHO" "$W/guest/udp-echo"
cp tests/interop/dom0/plan "$W/guest/plan"
"$BLKPATTERN" make "$W/guest/disk.img" $DISK_BYTES &&
	"$BLKPATTERN" want "$W/guest/disk.want" $DISK_BYTES || exit 1
# domu_cfg NAME KERNEL IP: an xl.cfg as a user writes one.
domu_cfg() {
	cat >"$W/guest/$1.cfg" <<CFG
name = "$1"
kernel = "/guest/$2"
memory = 64
vcpus = 1
extra = "console=hvc0 keep-going blk-selftest blk-reattach net-test net-ip=$3 net-linger=8000 console-echo wait-shutdown"
disk = [ 'phy:/dev/loop0,xvda,w' ]
vif = [ 'bridge=xenbr0' ]
CFG
}
domu_cfg xensim Image 2
domu_cfg xensim32 zImage 3
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

# judge_guest NAME IP RUNTIME KERNEL END: one guest's checks, named
# NAME/..., on the lines of its domain (dN, from xl create's line);
# RUNTIME names its battery run in tests/expected-skips.
judge_guest() {
	name=$1 ip="10\\.0\\.0\\.$2" runtime=$3 kernel=$4 end=$5
	d=$(sed -n "s/^dom0: $name: domU created as d\([0-9]*\) .*/\1/p" "$console")
	check "$name/xl-create" "^dom0: $name: domU created as d[0-9]+ " "xl create failed"
	d=${d:-0}
	check "$name/console" "^\\(d$d\\) xensim guest: xenstore connected" \
		"no guest line through xenconsoled's log"
	check "$name/battery" "^\\(d$d\\) selftest: [0-9]+ passed, 0 failed, [0-9]+ skipped\$" \
		"the battery did not pass"
	check "$name/blkback" "^\\(d$d\\) blk-selftest: [0-9]+ passed, 0 failed, 0 skipped\$" \
		"the block self-check against Linux's blkback failed"
	check "$name/blk-multi-queue" "^\\(d$d\\) blk-selftest: device/vbd/51712: .* 2 queue\\(s\\) of 4 ring page\\(s\\)" \
		"blkfront did not use two queues of four ring pages against Linux's blkback (max_queues=2)"
	check "$name/block-detach" "^\\(d$d\\) blk-reattach: ok detach-ended-all: " \
		"xl block-detach: the guest's requests did not all end"
	check "$name/block-detach-in-flight" "^\\(d$d\\) blk-reattach: ok detach-met-reads: [1-9]" \
		"xl block-detach met no read in flight"
	check "$name/block-attach" "^\\(d$d\\) blk-reattach: ok selftest-after-attach: " \
		"xl block-attach: no passing block self-check on the new vbd"
	check "$name/block-reattach" "^\\(d$d\\) blk-reattach: [0-9]+ passed, 0 failed, 0 skipped\$" \
		"the detach and attach cycle did not pass"
	check "$name/netback" "^\\(d$d\\) net-test: answered 3 echo request\\(s\\)" \
		"the guest did not answer dom0's 3 pings through Linux's netback"
	check "$name/console-input" "^\\(d$d\\) console: echo hello from dom0 through xenconsoled\$" \
		"the line dom0 wrote to the console did not reach the guest"
	check "$name/ping" "^dom0: $name: ping $ip: 3 of 3 replies\$" \
		"dom0's ping went unanswered"
	check "$name/udp-echo" "^dom0: $name: udp-echo $ip: 5/5 datagrams of 0\\.\\.1472 bytes came back intact\$" \
		"dom0's UDP echo through netback failed"
	if [ "$end" = shutdown ]; then
		check "$name/xl-shutdown" "^\\(d$d\\) xensim guest: poweroff requested\$" \
			"xl shutdown did not reach the guest"
	else
		check "$name/xl-destroy" "^dom0: $name: xl destroy at " \
			"the guest never waited to be destroyed"
	fi
	check "$name/domain-gone" "^dom0: $name: domU gone" "the domain did not go away"
	check "$name/vif-gone" "^dom0: $name: vif$d\\.0 gone\$" "its vif stayed after the domain"
	check "$name/disk" "^dom0: $name: disk holds the pattern, byte for byte\$" \
		"the loop device does not hold what the guest wrote"

	# The battery, check by check (tests/results/battery.sh), then its
	# conformance answers held to xensim's for a domain built as xl
	# builds it (--xl): the same lines, value for value.
	grep "^(d$d) " "$console" >"$W/$name.log"
	sh tests/results/battery.sh "$runtime" "$W/$name.log" >"$W/battery" 2>&1
	sed '$d' "$W/battery"
	set -- $(tail -n 1 "$W/battery")
	pass=$((pass + ${1:-0})) fail=$((fail + ${3:-1})) skip=$((skip + ${5:-0}))
	sed -nE 's/^\(d[0-9]+\) (conf: )/\1/p' "$W/$name.log" >"$W/conf.xen"
	"$XENSIM" run --xl -m 64 --gic 3 --max-insns 100000000 \
		--bootargs "console=hvc0 keep-going" "$kernel" </dev/null 2>&1 |
		sed -nE 's/^\(d[0-9]+\) (conf: )/\1/p' >"$W/conf.sim"
	if [ ! -s "$W/conf.xen" ]; then
		fail=$((fail + 1))
		echo "FAIL dom0-linux/$name/conf-as-xensim-xl: no conformance answers"
	elif diff -u "$W/conf.xen" "$W/conf.sim" >"$W/conf.diff"; then
		pass=$((pass + 1))
		echo "ok dom0-linux/$name/conf-as-xensim-xl"
	else
		fail=$((fail + 1))
		echo "FAIL dom0-linux/$name/conf-as-xensim-xl: the answers differ (- xl on Xen, + xensim --xl):"
		tail -n +3 "$W/conf.diff" | grep '^[-+]' | sed 's/^/     /'
	fi
}

# compare_store: the first guest's xenstore directories as xl and Linux's
# backends wrote them (dumped by dom0 while the domain was paused and the
# backends at InitWait) against xensim --xl's for the same config, read
# with Debian's xenstore-ls through --xenstore-socket once the guest waits
# (the model's own xensim-test device left out: the battery has used it
# by then and xl has no backend for it). The differences
# (tests/interop/xs-compare.awk) must be the ones
# tests/interop/xenstore-xl.diffs lists with their reasons.
compare_store() {
	sed -n 's/^dom0: xs: //p' "$console" |
		grep -E "^/local/domain/$1/|^/local/domain/0/backend/(vbd|vif)/$1/" \
		>"$W/xs.xl"
	truncate -s $DISK_BYTES "$W/xs.img"
	cat >"$W/xs.cfg" <<CFG
name = "xensim"
kernel = "$PWD/$IMAGE"
memory = 64
vcpus = 1
extra = "console=hvc0 keep-going wait-shutdown"
disk = [ 'format=raw, vdev=xvda, access=rw, target=$W/xs.img' ]
vif = [ 'bridge=xensim0, queues=1' ]
CFG
	# dom0's backends as Linux's offer them on the one-CPU dom0 above:
	# netback a queue per CPU, blkback the max_queues=2 it was loaded with.
	"$XENSIM" run --xl --gic 3 --max-insns 100000000 --blkback max-queues=2 \
		--xenstore-socket "$W/xs.sock" "$W/xs.cfg" >"$W/xs.run" 2>&1 </dev/null &
	xs_pid=$!
	n=0
	while ! grep -q 'waiting for control/shutdown' "$W/xs.run" &&
		kill -0 "$xs_pid" 2>/dev/null && [ "$n" -lt 300 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	for dir in /local/domain/1 /local/domain/0/backend/vbd/1 \
		/local/domain/0/backend/vif/1; do
		XENSTORED_PATH=$W/xs.sock timeout 20 xenstore-ls -fp "$dir" 2>&1
	done | grep -v '^/local/domain/1/device/xensim-test' >"$W/xs.sim"
	XENSTORED_PATH=$W/xs.sock timeout 20 \
		xenstore-write /local/domain/1/control/shutdown poweroff
	wait "$xs_pid"
	awk -f tests/interop/xs-compare.awk "$W/xs.xl" "$W/xs.sim" | LC_ALL=C sort \
		>"$W/xs.diffs"
	grep -v '^#' tests/interop/xenstore-xl.diffs >"$W/xs.want"
	if [ ! -s "$W/xs.xl" ] || ! grep -q '^/local/domain/1/name ' "$W/xs.sim"; then
		fail=$((fail + 1))
		echo "FAIL dom0-linux/xenstore-as-xensim-xl: a dump is missing" \
			"($(wc -l <"$W/xs.xl") lines under xl, $(wc -l <"$W/xs.sim") under xensim)"
	elif diff -u "$W/xs.want" "$W/xs.diffs" >"$W/xs.diff"; then
		pass=$((pass + 1))
		echo "ok dom0-linux/xenstore-as-xensim-xl: $(wc -l <"$W/xs.xl") nodes under xl, $(wc -l <"$W/xs.diffs") listed differences"
	else
		fail=$((fail + 1))
		echo "FAIL dom0-linux/xenstore-as-xensim-xl: differences not in tests/interop/xenstore-xl.diffs (- listed, + found):"
		tail -n +3 "$W/xs.diff" | grep '^[-+]' | sed 's/^/     /'
	fi
}

judge_guest xensim 2 xen-xl-domu "$IMAGE" shutdown
d=$(sed -n "s/^dom0: xensim: domU created as d\([0-9]*\) .*/\1/p" "$console")
compare_store "${d:-1}"
judge_guest xensim32 3 xen-xl-domu-arm32 "$ZIMAGE" destroy

if [ "$rc" = 0 ] && grep -q 'Hardware Dom0 halted' "$console"; then
	pass=$((pass + 1))
	echo "ok dom0-linux/halt"
else
	fail=$((fail + 1))
	echo "FAIL dom0-linux/halt: dom0 did not power the machine off (QEMU: $rc)"
fi
if [ "$fail" -ne 0 ]; then
	grep -E '^dom0: |^\(d[0-9]+\) .*(FAIL|panic)' "$console" | tail -n 25 |
		sed 's/^/     /'
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]

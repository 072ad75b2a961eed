#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run-linux-xen.sh: the kernel and initramfs xensim boots (build/linux)
# as an xl domU of a Linux dom0 on real Xen 4.17 under qemu-system-aarch64
# (TCG), with the xl.cfg of fixtures/domains/linux-arm64.cfg (256 MiB,
# one vCPU, "console=hvc0 earlycon=xenboot linux.shell") and the same
# commands typed at its shell as make linux types (then poweroff -f).
# dom0 is tests/interop's (dom0-initramfs.sh); its plan is
# tests/linux/xen-dom0-plan. An xl domU, as a user runs Linux on Xen:
# its hvc0 is xenconsoled's ring. A dom0less domU cannot have one (Xen
# 4.17 gives xenstore only with a dom0, "no-xenstore" leaves the console
# ring out): booted that way with "earlycon=xenboot" the kernel reaches
# /init on its boot console (console_io, which Xen allows a dom0less
# domain) but says "Warning: unable to open an initial console" first:
# the shell has no terminal. Prints one line per milestone, "milestone
# NAME SECONDS": the guest's (hvc0, /init, the shell, power down, the
# console closed) in dom0's uptime since it ran xl create, stamped by
# dom0 as each line reached it; dom0's boot to its toolstack as the host
# saw it since QEMU started ("dom0-ready"); the whole QEMU run
# ("qemu-run"). Then the last lines of the guest.
# Writes the whole serial line to OUT/linux-xen.console. Exit status 0
# once the guest answered at its shell and powered off. Bounded by LIMIT
# seconds; QEMU is ended by its PID. Run from the top of the tree.
set -u

XEN=${XEN:-build/xen/boot/xen-4.17-arm64}
DOM0=${DOM0:-build/dom0}
LINUX=${LINUX:-build/linux}
OUT=${OUT:-build/interop}
LIMIT=${LIMIT:-400}
XEN_ARGS="dom0_mem=384M console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all"

for f in "$XEN" "$DOM0/vmlinuz" "$DOM0/base.cpio.gz" "$LINUX/Image" \
	"$LINUX/initramfs.cpio.gz"; do
	[ -f "$f" ] || { echo "run-linux-xen: no $f (make bench builds it)" >&2; exit 1; }
done

W=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The run archive, unpacked by dom0's kernel over its base one.
mkdir -p "$W/guest" "$OUT"
cp "$LINUX/Image" "$LINUX/initramfs.cpio.gz" "$W/guest/"
cp tests/linux/xen-dom0-plan "$W/guest/plan"
cat >"$W/guest/linux.cfg" <<'CFG'
name = "linux"
kernel = "/guest/Image"
ramdisk = "/guest/initramfs.cpio.gz"
memory = 256
vcpus = 1
extra = "console=hvc0 earlycon=xenboot linux.shell"
CFG
printf '%s\n' 'echo shell: $(cat /sys/hypervisor/type) $(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)' \
	'poweroff -f' >"$W/guest/commands"
(cd "$W" && find guest | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$W/run.cpio.gz"
cat "$DOM0/base.cpio.gz" "$W/run.cpio.gz" >"$W/initrd.gz"

console=$W/console
: >"$console"
start=$(date +%s%N)
qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 \
	-smp 1 -m 1024 -nographic -no-reboot -nic none -kernel "$XEN" \
	-append "$XEN_ARGS" \
	-device guest-loader,addr=0x49000000,kernel="$DOM0/vmlinuz",bootargs="console=hvc0 quiet" \
	-device guest-loader,addr=0x50000000,initrd="$W/initrd.gz" \
	>"$console" 2>&1 </dev/null &
pid=$!
( sleep "$LIMIT" & s=$!
	trap 'kill $s; exit 0' TERM
	wait $s && kill "$pid" 2>/dev/null ) &
watchdog=$!
# dom0's boot as the host sees it, since QEMU started (GNU tail follows
# the file by inotify and ends with QEMU).
tail -n +1 -f --pid="$pid" "$console" | awk -v start="$start" '
/^dom0: toolstack up/ {
	cmd = "date +%s%N"; cmd | getline t; close(cmd)
	printf "milestone dom0-ready %.3f\n", (t - start) / 1e9
	exit
}' >"$W/times"
wait "$pid"
rc=$?
pid=
kill "$watchdog" 2>/dev/null
total=$(( ($(date +%s%N) - start) / 1000000 ))
tr -d '\r' <"$console" >"$OUT/linux-xen.console"
cat "$W/times"
# The guest's milestones, stamped by dom0 in its uptime: since xl create.
sed -n 's/^dom0: linux: milestone //p' "$OUT/linux-xen.console" | awk '
$1 == "xl-create" { t0 = $2; next }
t0 != "" { printf "milestone %s %.3f\n", $1, $2 - t0 }'
echo "milestone qemu-run $(echo "$total" | awk '{ printf "%.3f", $1 / 1000 }')"
echo "--- the guest's last lines ($OUT/linux-xen.console):"
grep -E '^\(d[0-9]+( live)?\) |^dom0: ' "$OUT/linux-xen.console" | tail -n 8
echo "--- QEMU exit status: $rc"
grep -q '^(d[0-9]* live) shell: xen 4\.17$' "$OUT/linux-xen.console" &&
	grep -q '^dom0: linux: milestone console-closed' "$OUT/linux-xen.console"

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Debian's arm64 Linux to its shell: the same kernel and initramfs
# (build/linux) and xl.cfg (fixtures/domains/linux-arm64.cfg) as a domU of
# build/xensim, and as an xl domU of a Linux dom0 on real Xen 4.17 under
# qemu-system-aarch64 (tests/linux/run-linux-xen.sh), in the same run.
# Both get the same commands at the shell, then poweroff -f. Wall time to
# the console moving to hvc0 ("printk: console [hvc0] enabled": on Xen
# the earlier lines go to the boot console, console_io, which a release
# Xen refuses to an xl domU), /init, the shell's prompt and the power down:
# for xensim since the process started, for Xen since dom0 ran xl create
# (dom0's own boot is given apart). min/median/max of RUNS runs each
# (LINUX_BENCH_RUNS, default 5; LINUX_BENCH_XEN_RUNS, default 3), and the
# ratio of the medians, and the load average before and after (wall times
# stretch with it). Prints figures, asserts nothing on time.
set -u
XENSIM=${XENSIM:-build/xensim}
CFG=${LINUX_CFG:-fixtures/domains/linux-arm64.cfg}
RUNS=${LINUX_BENCH_RUNS:-5}
XEN_RUNS=${LINUX_BENCH_XEN_RUNS:-3}
tmp=$(mktemp -d /tmp/linux-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# One xensim run: "milestone NAME SECONDS" lines on stdout.
xensim_run() {
	start=$(date +%s%N)
	printf '%s\n' 'echo shell: $(cat /sys/hypervisor/type) $(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)' \
		'poweroff -f' |
		"$XENSIM" run --console stdio --timeout 10min "$CFG" 2>"$tmp/err" |
		tee "$tmp/xensim.console" | awk -v start="$start" '
	function at(what,   cmd, t) {
		cmd = "date +%s%N"; cmd | getline t; close(cmd)
		printf "milestone %s %.3f\n", what, (t - start) / 1e9; fflush()
	}
	!hvc0 && /printk: console \[hvc0\] enabled/ { hvc0 = 1; at("hvc0") }
	!init && /Run \/init as init process/ { init = 1; at("init") }
	!shell && /built-in shell \(ash\)/ { shell = 1; at("shell") }
	!down && /reboot: Power down/ { down = 1; at("power-down") }
	'
	grep -q '^(d1) shell: xen 4\.17$' "$tmp/xensim.console"
}

# stats FILE NAME: "min median max" of NAME's figures in FILE, or "- - -".
stats() {
	sed -n "s/^milestone $2 //p" "$1" | sort -n | awk '
	{ v[NR] = $1 }
	END {
		if (NR == 0) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f\n", v[1], m, v[NR]
	}'
}

load0=$(cut -d" " -f1-3 /proc/loadavg)
: >"$tmp/xensim"
for i in $(seq "$RUNS"); do
	if ! xensim_run >>"$tmp/xensim"; then
		echo "linux-bench: xensim run $i did not reach the shell's answer:" >&2
		tail -n 5 "$tmp/xensim.console" "$tmp/err" >&2
		exit 1
	fi
done
: >"$tmp/xen"
xen_ok=0
for i in $(seq "$XEN_RUNS"); do
	if sh tests/linux/run-linux-xen.sh >"$tmp/xen.out" 2>&1; then
		grep '^milestone ' "$tmp/xen.out" >>"$tmp/xen"
		xen_ok=$((xen_ok + 1))
	else
		echo "linux-bench: real Xen run $i failed:" >&2
		tail -n 12 "$tmp/xen.out" >&2
	fi
done

echo "Debian's arm64 Linux ($(cat build/linux/kernel-package 2>/dev/null)) to its busybox shell, wall seconds, min/median/max"
echo "  xensim: $RUNS runs, since the process started; real Xen 4.17 under QEMU TCG: $xen_ok of $XEN_RUNS runs, since xl create"
printf '  %-20s %-26s %-26s %s\n' milestone "xensim" "real Xen under QEMU" "Xen/xensim (medians)"
for m in hvc0 init shell power-down; do
	set -- $(stats "$tmp/xensim" $m) $(stats "$tmp/xen" $m)
	ratio=$(echo "$2 $5" | awk '$1 != "-" && $2 != "-" && $1 > 0 { printf "%.1fx", $2 / $1; exit } { print "-" }')
	printf '  %-20s %-26s %-26s %s\n' "$m" "$1/$2/$3" "$4/$5/$6" "$ratio"
done
set -- $(stats "$tmp/xen" domain-built)
echo "  real Xen: xl create built the domain (its share of the figures above) in $1/$2/$3 s"
set -- $(stats "$tmp/xen" dom0-ready)
echo "  real Xen: dom0 booted to its toolstack (before xl create) in $1/$2/$3 s after QEMU started"
set -- $(stats "$tmp/xen" qemu-run)
echo "  real Xen: whole QEMU run (Xen, dom0, the domU, halt) $1/$2/$3 s"
echo "  load average (1, 5, 15 min): $load0 before, $(cut -d" " -f1-3 /proc/loadavg) after (wall times stretch with it)"
[ "$xen_ok" -gt 0 ]

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run-linux.sh: boots Debian's arm64 Linux (build/linux, made by
# linux-initramfs.sh) as a domU of build/xensim from
# fixtures/domains/linux-arm64.cfg, types a few commands at its busybox
# shell on hvc0 and then poweroff, and prints the console's last lines,
# the wall-clock time at which each milestone appeared (first console
# line, GIC up, /init started, the shell's prompt, power down) and
# xensim's exit status. Run from the top of the tree (make linux).
# XENSIM, LINUX_CFG, LINUX_TIMEOUT (virtual time, default 10min) and
# LINUX_WALL (seconds, default 600) override the defaults.
set -u
XENSIM=${XENSIM:-build/xensim}
cfg=${LINUX_CFG:-fixtures/domains/linux-arm64.cfg}
log=${LINUX_LOG:-build/linux/console.log}

for f in "$XENSIM" build/linux/Image build/linux/initramfs.cpio.gz; do
	[ -f "$f" ] || { echo "run-linux: no $f (make linux builds it)" >&2; exit 1; }
done

# What is typed at the shell; it reaches the guest whenever it waits, and
# the kernel's tty keeps it until the shell reads it.
commands() {
	printf '%s\n' 'echo shell: $(cat /proc/version)' \
		'echo shell: $(cat /sys/hypervisor/type) $(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)' \
		'poweroff -f'
}

# stamp: each console line as it comes, the milestones with the time since
# the start (one date call each, not one a line).
start=$(date +%s%N)
stamp() {
	awk -v start="$start" -v times="$log.times" '
	function at(what,   cmd, now) {
		cmd = "date +%s%N"; cmd | getline now; close(cmd)
		printf "%-22s %8.3f s\n", what ":", (now - start) / 1e9 >times
	}
	{ print; fflush() }
	!first && /^\(d1\) / { first = 1; at("first console line") }
	!gic && /GICv[23]: CPU0: found|GIC: Using split EOI|GICv2m|GIC: .* CPU interface/ { gic = 1; at("GIC up") }
	!init && /Run \/init as init process/ { init = 1; at("/init") }
	!shell && /built-in shell \(ash\)/ { shell = 1; at("shell") }
	!down && /reboot: Power down/ { down = 1; at("power down") }
	'
}

rm -f "$log.rc" "$log.times"
commands | {
	timeout "${LINUX_WALL:-600}" "$XENSIM" run --console stdio \
		--timeout "${LINUX_TIMEOUT:-10min}" "$cfg" 2>"$log.err"
	echo $? >"$log.rc"
} | stamp >"$log"
end=$(date +%s%N)
rc=$(cat "$log.rc")
echo "--- last console lines ($log):"
grep -v '^(XEN)   ' "$log" | tail -n 15
if [ -s "$log.err" ]; then
	echo "--- xensim's last words ($log.err):"
	tail -n 3 "$log.err"
fi
echo "--- milestones (wall clock since the start):"
cat "$log.times" 2>/dev/null
printf '%-22s %8.3f s\n' "whole run:" "$(echo "$start $end" | awk '{ print ($2 - $1) / 1e9 }')"
echo "CPU time (user, system; the shell's, then xensim's and the rest):"
times
echo "xensim exit status:    $rc"
exit "$rc"

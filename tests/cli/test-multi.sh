#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Several domains in one run: `xensim run A B ...` boots each as domain
# 1, 2, ... of one machine. Each runs its battery to the end whatever
# the others do (arm64, arm32 ARM and Thumb-2, mixed); one that crashes,
# faults, deadlocks or spins does not end the others; Debian's xenstore
# tools see each domain's subtree and its release; the same seed gives
# the same run. One line per check, ends "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
THUMB=${THUMB:-build/arm32/zImage-thumb}
UCG=${UCG:-build/unicorn-guests}
BUDGET=${BUDGET:-100000000}
tmp=$(mktemp -d /tmp/test-multi.XXXXXX)
out=$tmp/out
run_pid=
cleanup() {
	[ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../lib/checks.sh"

# many NAME WANTED_EXIT -- ARGS...: xensim run with the test budget; then
# the checks below look at $out. Returns non-zero (and fails NAME) when
# the exit status differs or a sanitizer spoke.
many() {
	name=$1 want=$2
	shift 3
	timeout "${LIMIT:-300}" "$XENSIM" run --max-insns "$BUDGET" "$@" \
		>"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -ne "$want" ] || grep -q "Sanitizer" "$out"; then
		bad_showing "$name" "exit $rc (want $want), output:"
		return 1
	fi
	return 0
}

# has NAME PATTERN...: every pattern matches a line of $out.
has() {
	name=$1
	shift
	for p in "$@"; do
		if ! grep -q -- "$p" "$out"; then
			bad_showing "$name" "no line matching [$p] in:"
			return
		fi
	done
	ok "$name"
}

# battery N: domain N ran the whole battery with nothing failed.
battery() {
	echo "^(d$1) selftest: [0-9][0-9]* passed, 0 failed, 1 skipped$"
}

# Two of each runtime, and the two architectures together.
for pair in "arm64 arm64:$IMAGE:$IMAGE" "arm32 arm32:$ZIMAGE:$ZIMAGE" \
	    "thumb thumb:$THUMB:$THUMB" "arm64 arm32:$IMAGE:$ZIMAGE" \
	    "arm32 thumb arm64:$ZIMAGE:$THUMB:$IMAGE"; do
	what=${pair%%:*}
	files=$(echo "${pair#*:}" | tr ':' ' ')
	# shellcheck disable=SC2086
	if many "$what: every domain runs its battery" 0 -- $files; then
		n=0
		pats=
		for f in $files; do
			n=$((n + 1))
			pats="$pats $(battery $n)"
		done
		# shellcheck disable=SC2086
		has "$what: every domain runs its battery" $pats \
			"^xensim: d$n guest-$n: poweroff: d$n shut down: poweroff$"
	fi
done

# The domains take turns: the second one's first line comes before the
# first one's battery ends.
many "domains interleave" 0 -- "$IMAGE" "$ZIMAGE" &&
if [ "$(grep -n '^(d2) xensim guest: running on' "$out" | cut -d: -f1)" -lt \
     "$(grep -n '^(d1) selftest: [0-9]* passed' "$out" | cut -d: -f1)" ]; then
	ok "domains interleave"
else
	bad_showing "domains interleave" "d2 started only after d1's battery:"
fi

# Five domains: d5 lives while the others' batteries look for an absent
# domid (for the checks that want -ESRCH), so they must find one that is.
many "five domains: each battery finds a domid that is absent" 0 -- \
	"$XENSIM" "$XENSIM" "$XENSIM" "$XENSIM" "$IMAGE" &&
has "five domains: each battery finds a domid that is absent" \
	"$(battery 1)" "$(battery 4)" "$(battery 5)" \
	"^(d4) conf: sched_op: remote_shutdown(an absent domain) = -3$" \
	"^(d5) conf: toolstack_ops: domctl(an absent domain) = -3$" \
	"^xensim: d5 guest-5: poweroff"

# Each domain has its own event channels and grant table: both find the
# same first free port and grant reference, as a lone domain does.
many "own event channels and grants" 0 -- "$IMAGE" "$IMAGE" &&
if [ "$(grep '^(d1) selftest: ok' "$out" | sed 's/^(d1)//')" = \
     "$(grep '^(d2) selftest: ok' "$out" | sed 's/^(d2)//')" ]; then
	ok "own event channels and grants: the same checks pass in each"
else
	bad_showing "own event channels and grants: the same checks pass in each" "the two batteries differ:"
fi

# One domain ending badly leaves the others running to their end; the
# exit status is the first one's that did not power off.
many "a faulting domain ends alone" 2 -- "$IMAGE" "$UCG/a64_abort.Image" "$ZIMAGE" &&
has "a faulting domain ends alone" "$(battery 1)" "$(battery 3)" \
	"^xensim: d2 guest-2: fault: d2: data abort: read of unmapped address 0x10" \
	"^xensim: d1 guest-1: poweroff" "^xensim: d3 guest-3: poweroff"
many "a deadlocked domain ends alone" 5 -- "$UCG/a64_wfi.Image" "$IMAGE" &&
has "a deadlocked domain ends alone" "$(battery 2)" \
	"^xensim: d1 guest-1: deadlock: d1 idle with nothing to wake it" \
	"^xensim: d2 guest-2: poweroff"
# A domain in SCHEDOP_poll without a timeout sleeps until another sends
# on the port it polls, 1 ms of virtual time on; both then power off.
for seed in 0 7; do
	name="a domain polling wakes at another's send (seed $seed)"
	many "$name" 0 -- --seed $seed --xen-debug \
		"$UCG/a64_poll_waiter.Image" "$UCG/a64_poll_sender.Image" &&
	has "$name" "^(XEN) DOM2: R13 = 0x0000000000000000 " \
		"^(XEN) DOM1: R12 = 0x0000000000000000 " \
		"^(XEN) DOM1: R13 = 0x0000000000000001 " \
		"^xensim: d1 guest-1: poweroff" "^xensim: d2 guest-2: poweroff"
done
# Beside a domain that polls its own port until a timeout and ends
# without waking it: a deadlock that names the wait, the other domain
# unharmed (its poll took 62500 ticks, as alone).
many "a domain left polling deadlocks alone" 5 -- --xen-debug \
	"$UCG/a64_poll_waiter.Image" "$UCG/a64_poll.Image" &&
has "a domain left polling deadlocks alone" \
	"^(XEN) DOM2: R13 = 0x000000000000f424 " \
	"^xensim: d1 guest-1: deadlock: d1 idle with nothing to wake it: in SCHEDOP_poll without a timeout" \
	"^xensim: d2 guest-2: poweroff"
# A guest that never traps keeps its vCPU until its own instruction
# budget ends it; that ends only it.
many "a spinning domain ends alone at its budget" 6 -- --max-insns 30000000 \
	"$UCG/a64_spin.Image" "$THUMB" &&
has "a spinning domain ends alone at its budget" "$(battery 2)" \
	"^xensim: d1 guest-1: limit reached: d1: instruction budget of 30000000 used up" \
	"^xensim: d2 guest-2: poweroff"
many "the timeout ends every domain" 6 -- --timeout 2ms "$IMAGE" "$ZIMAGE" &&
has "the timeout ends every domain" \
	"^xensim: d1 guest-1: limit reached: d1: virtual time limit of 2 ms" \
	"^xensim: d2 guest-2: limit reached: d2: virtual time limit of 2 ms"

# Configs: names, memory and command lines per domain.
cat >"$tmp/a.cfg" <<EOF
name = "alpha"
memory = 64
kernel = "$IMAGE"
extra = "wait-shutdown"
EOF
cat >"$tmp/b.cfg" <<EOF
name = "beta"
memory = 48
kernel = "$ZIMAGE"
extra = "wait-shutdown"
EOF
cat >"$tmp/c.cfg" <<EOF
name = "gamma"
memory = 32
kernel = "$THUMB"
EOF
cat >"$tmp/native.cfg" <<EOF
name = "native"
EOF
cp "$tmp/c.cfg" "$tmp/c2.cfg"

many "configs: names and memory per domain" 0 -- "$tmp/c.cfg" "$IMAGE" &&
has "configs: names and memory per domain" \
	"^(d1) xensim guest: RAM 32 MiB at 0x40000000" \
	"^(d2) xensim guest: RAM 128 MiB at 0x40000000" \
	"^xensim: d1 gamma: poweroff" "^xensim: d2 guest-2: poweroff"

# The same seed gives the same run, byte for byte; another seed another
# interleaving, still correct.
many "seed 7 runs" 0 -- --seed 7 "$IMAGE" "$ZIMAGE" "$THUMB" &&
cp "$out" "$tmp/seed7a" &&
many "seed 7 runs again" 0 -- --seed 7 "$IMAGE" "$ZIMAGE" "$THUMB" &&
if cmp -s "$out" "$tmp/seed7a"; then
	ok "the same seed gives the same run"
else
	bad "the same seed gives the same run" "$(diff "$tmp/seed7a" "$out" | head -5)"
fi
many "seed 0 runs" 0 -- "$IMAGE" "$ZIMAGE" "$THUMB" &&
if ! cmp -s "$out" "$tmp/seed7a"; then
	has "another seed interleaves otherwise" "$(battery 1)" "$(battery 2)" "$(battery 3)"
else
	bad "another seed interleaves otherwise" "seed 0 and seed 7 gave the same transcript"
fi

# Native domains: the guest built into xensim, each a coroutine with
# its own copy of the guest's globals, alone, two of them, and mixed with
# both emulated architectures.
many "native: a native domain alone" 0 -- --native &&
grep '^(d1)' "$out" >"$tmp/native-alone"
many "native: two native domains" 0 -- "$XENSIM" "$XENSIM" &&
has "native: two native domains run their batteries" "$(battery 1)" \
	"$(battery 2)" "^xensim: d2 guest-2: poweroff: d2 shut down: poweroff"
if [ "$(grep -n '^(d2) xensim guest: running on' "$out" | cut -d: -f1)" -lt \
     "$(grep -n '^(d1) selftest: [0-9]* passed' "$out" | cut -d: -f1)" ]; then
	ok "native: two native domains interleave"
else
	bad_showing "native: two native domains interleave" "d2 started only after d1's battery:"
fi
if grep '^(d1)' "$out" | cmp -s - "$tmp/native-alone"; then
	ok "native: d1's console is a lone native guest's, byte for byte"
else
	bad "native: d1's console is a lone native guest's, byte for byte" \
		"$(grep '^(d1)' "$out" | diff "$tmp/native-alone" - | head -5)"
fi
many "native: mixed with arm64 and arm32" 0 -- "$XENSIM" "$IMAGE" "$THUMB" "$tmp/native.cfg" &&
has "native: mixed with arm64 and arm32" "$(battery 1)" "$(battery 2)" \
	"$(battery 3)" "$(battery 4)" "^xensim: d4 native: poweroff"
many "native: seed 9 runs" 0 -- --seed 9 "$XENSIM" "$IMAGE" "$XENSIM" &&
cp "$out" "$tmp/seed9a" &&
many "native: seed 9 runs again" 0 -- --seed 9 "$XENSIM" "$IMAGE" "$XENSIM" &&
if cmp -s "$out" "$tmp/seed9a"; then
	ok "native: the same seed gives the same run"
else
	bad "native: the same seed gives the same run" "$(diff "$tmp/seed9a" "$out" | head -5)"
fi
# A native guest that panics (its network test has no device) crashes
# its domain alone; the other native one and the arm64 one run on.
cat >"$tmp/native-crash.cfg" <<CFG
name = "crasher"
extra = "net-test net-ip=1 net-peer=2"
CFG
many "native: a crashing native domain ends alone" 2 -- "$tmp/native.cfg" \
	"$tmp/native-crash.cfg" "$IMAGE" &&
has "native: a crashing native domain ends alone" "$(battery 1)" \
	"$(battery 3)" "^(d2) panic: the network test failed" \
	"^xensim: d1 native: poweroff" \
	"^xensim: d2 crasher: crash: d2 shut down: crash" \
	"^xensim: d3 guest-3: poweroff"
# One that idles with nothing to wake it deadlocks alone.
cat >"$tmp/native-wait.cfg" <<CFG
name = "waiter"
extra = "wait-shutdown"
CFG
many "native: a deadlocked native domain ends alone" 5 -- "$tmp/native-wait.cfg" "$XENSIM" &&
has "native: a deadlocked native domain ends alone" "$(battery 2)" \
	"^xensim: d1 waiter: deadlock: d1 idle with nothing to wake it" \
	"^xensim: d2 guest-2: poweroff"
many "native: the timeout ends native domains too" 6 -- --timeout 2ms "$XENSIM" "$IMAGE" &&
has "native: the timeout ends native domains too" \
	"^xensim: d1 guest-1: limit reached: d1: virtual time limit of 2 ms reached (--timeout) at .*(native guest: no PC)" \
	"^xensim: d2 guest-2: limit reached: d2: virtual time limit of 2 ms"

# on_crash = "restart": the domain is built again under the next free
# domid (after the last handed out, as Xen allocates), at most
# --max-restarts times; the others run on. "preserve" keeps it as it
# stopped; the last lines say what each domain went through.
cat >"$tmp/crash-loop.cfg" <<CFG
name = "looper"
extra = "net-test net-ip=1 net-peer=2"
on_crash = "restart"
CFG
many "on_crash=restart: a crash loop ends at --max-restarts" 2 -- \
	--max-restarts 2 "$IMAGE" "$tmp/crash-loop.cfg" &&
has "on_crash=restart: a crash loop ends at --max-restarts" \
	"$(battery 1)" "^(d2) panic: the network test failed" \
	"$(battery 3)" "^(d3) panic: the network test failed" \
	"$(battery 4)" "^(d4) panic: the network test failed" \
	'^xensim: d2 looper: crash: restarting (on_crash = "restart", restart 1 of at most 2)' \
	"^xensim: d2 looper: restarted as d3$" "^xensim: d3 looper: restarted as d4$" \
	"^xensim: d4 looper: crash: not restarted: 2 restarts, the most --max-restarts allows" \
	"^xensim: d4 looper: crash: d4 shut down: crash; restarted 2 times; not restarted again: --max-restarts 2 reached$" \
	"^xensim: d1 guest-1: poweroff"
cat >"$tmp/fault-restart.cfg" <<CFG
name = "faulty"
kernel = "$UCG/a64_abort.Image"
on_crash = "restart"
CFG
many "on_crash=restart takes a fault too, and --max-restarts 0 none" 2 -- \
	--max-restarts 0 "$tmp/fault-restart.cfg" "$ZIMAGE" &&
has "on_crash=restart takes a fault too, and --max-restarts 0 none" \
	"$(battery 2)" "^xensim: d1 faulty: fault: not restarted: 0 restarts" \
	"^xensim: d2 guest-2: poweroff"
cat >"$tmp/keep.cfg" <<CFG
name = "keeper"
kernel = "$UCG/a64_abort.Image"
on_crash = "preserve"
CFG
many "on_crash=preserve keeps the domain" 2 -- "$tmp/keep.cfg" "$XENSIM" &&
has "on_crash=preserve keeps the domain" "$(battery 2)" \
	'^xensim: d1 keeper: fault: preserved (on_crash = "preserve"): its memory and xenstore entries stay until the run ends' \
	'^xensim: d1 keeper: fault: d1: data abort: .*; preserved (on_crash = "preserve")$' \
	"^xensim: d2 guest-2: poweroff"
many "a restart loop replays from its seed" 2 -- --seed 4 --max-restarts 1 \
	"$tmp/crash-loop.cfg" "$IMAGE" "$XENSIM" && cp "$out" "$tmp/loop4a" &&
many "a restart loop replays from its seed, again" 2 -- --seed 4 --max-restarts 1 \
	"$tmp/crash-loop.cfg" "$IMAGE" "$XENSIM" &&
if cmp -s "$out" "$tmp/loop4a"; then
	ok "a restart loop replays from its seed, byte for byte"
else
	bad "a restart loop replays from its seed, byte for byte" "$(diff "$tmp/loop4a" "$out" | head -5)"
fi

# Refusals, before anything runs.
expect "per-domain option refused" 1 "memory describes one domain; with several domains give it in each domain's config" -- run -m 64 "$IMAGE" "$IMAGE"
expect "same name refused" 1 'both name their domain "gamma"; names must differ' -- run "$tmp/c.cfg" "$tmp/c2.cfg"
expect "too many domains refused" 1 "8 domains given; a run takes at most 7" -- run "$IMAGE" "$IMAGE" "$IMAGE" "$IMAGE" "$IMAGE" "$IMAGE" "$IMAGE" "$IMAGE"
expect "no sweep of several domains" 1 "seeds and --transcripts sweep one domain" -- run --seeds 1-2 "$IMAGE" "$IMAGE"
expect "a bad kernel among several" 1 "/nonexistent.img: cannot open" -- run "$IMAGE" /nonexistent.img

# Debian's xenstore tools see both domains as xl would, and the release of
# one that crashed while the other still runs.
if ! command -v xenstore-ls >/dev/null 2>&1; then
	bad "xenstore-ls is installed" "apt-get install xenstore-utils"
	finish
	exit $?
fi
export XENSTORED_PATH="$tmp/sock"
# await PATTERN FILE: until a line of FILE matches (30 s at most), while
# the run lives.
await() {
	tries=0
	while [ "$tries" -lt 600 ] && kill -0 "$run_pid" 2>/dev/null &&
	      ! grep -q -- "$1" "$2"; do
		tries=$((tries + 1))
		sleep 0.05
	done
}
cat >"$tmp/hold.cfg" <<CFG
name = "holder"
extra = "wait-shutdown"
on_crash = "preserve"
CFG
timeout "${LIMIT:-300}" "$XENSIM" run --timeout 0 --max-insns "$BUDGET" \
	--xenstore-socket "$XENSTORED_PATH" "$tmp/a.cfg" "$tmp/b.cfg" \
	"$tmp/hold.cfg" >"$out" 2>&1 </dev/null &
run_pid=$!
for d in 1 2 3; do
	await "^(d$d) xensim guest: waiting for control/shutdown" "$out"
done
T="timeout 20"
ls_both=$($T xenstore-ls -f /local/domain 2>&1)
ls_both="$ls_both
$($T xenstore-ls -f /local/domain/0/backend 2>&1)"
for want in '/local/domain/1/name = "alpha"' '/local/domain/1/domid = "1"' \
	    '/local/domain/1/memory/target = "65536"' \
	    '/local/domain/2/name = "beta"' '/local/domain/2/domid = "2"' \
	    '/local/domain/2/memory/target = "49152"' \
	    '/local/domain/2/console/ring-ref' \
	    '/local/domain/1/control/feature-poweroff = "1"' \
	    '/local/domain/1/control/feature-suspend = "1"' \
	    '/local/domain/2/control/platform-feature-xs_reset_watches = "1"' \
	    '/local/domain/1/store/port = ' '/local/domain/2/store/ring-ref = ' \
	    '/local/domain/3/device/suspend/event-channel = ""' \
	    '/local/domain/3/name = "holder"' '/local/domain/3/domid = "3"' \
	    '/local/domain/0/backend/xensim-test/2/0/frontend-id = "2"'; do
	if echo "$ls_both" | grep -qF "$want"; then
		ok "xenstore-ls shows $want"
	else
		bad "xenstore-ls shows $want" "$(echo "$ls_both" | head -20)"
	fi
done
# vm names the domain's /vm/UUID, which holds its uuid and name, as xl
# writes them.
vm_of() {
	vm=$($T xenstore-read "/local/domain/$1/vm" 2>&1)
	case $vm in
	/vm/????????-????-4???-????-????????????) ;;
	*) echo "vm = $vm"; return 1 ;;
	esac
	[ "$($T xenstore-read "$vm/uuid" 2>&1)" = "${vm#/vm/}" ] &&
	[ "$($T xenstore-read "$vm/name" 2>&1)" = "$2" ] ||
		{ echo "$vm: $($T xenstore-ls -f "$vm" 2>&1)"; return 1; }
	echo "$vm"
}
for dn in 1:alpha 2:beta 3:holder; do
	if why=$(vm_of "${dn%%:*}" "${dn#*:}"); then
		ok "xenstore: d${dn%%:*}'s vm is $why with its uuid and name"
	else
		bad "xenstore: d${dn%%:*}'s vm names /vm/UUID with its uuid and name" "$why"
	fi
done
vm1=$(vm_of 1 alpha)
vm2=$(vm_of 2 beta)
$T xenstore-watch -n 2 @releaseDomain >"$tmp/watch" 2>&1 &
watch_pid=$!
sleep 0.5
$T xenstore-write /local/domain/2/control/shutdown crash
wait "$watch_pid"
if [ "$(grep -c '^@releaseDomain' "$tmp/watch")" -eq 2 ]; then
	ok "@releaseDomain fires when a domain ends"
else
	bad "@releaseDomain fires when a domain ends" "watch saw: $(cat "$tmp/watch")"
fi
if $T xenstore-exists /local/domain/2 2>/dev/null ||
   $T xenstore-exists "$vm2" 2>/dev/null; then
	bad "the ended domain leaves xenstore" "/local/domain/2 or $vm2 still there"
elif [ "$($T xenstore-read /local/domain/1/name 2>&1)" = alpha ]; then
	ok "the ended domain leaves xenstore, the other stays"
else
	bad "the ended domain leaves xenstore, the other stays" "/local/domain/1/name: $($T xenstore-read /local/domain/1/name 2>&1)"
fi
# A reboot, with on_reboot's default "restart": alpha is built again as
# d4, the next domid after the last one handed out, and xenstored fires
#  for it (the watch fires once when set, then for d4).
$T xenstore-watch -n 2 @introduceDomain >"$tmp/iwatch" 2>&1 &
iwatch_pid=$!
$T xenstore-watch -n 2 @releaseDomain >"$tmp/rwatch" 2>&1 &
rwatch_pid=$!
await '^@introduceDomain' "$tmp/iwatch"
await '^@releaseDomain' "$tmp/rwatch"
$T xenstore-write /local/domain/1/control/shutdown reboot
wait "$iwatch_pid"
wait "$rwatch_pid"
if [ "$(grep -c '^@releaseDomain' "$tmp/rwatch")" -eq 2 ]; then
	ok "@releaseDomain fires for a domain restarted"
else
	bad "@releaseDomain fires for a domain restarted" "watch saw: $(cat "$tmp/rwatch")"
fi
if [ "$(grep -c '^@introduceDomain' "$tmp/iwatch")" -eq 2 ]; then
	ok "@introduceDomain fires for a restarted domain"
else
	bad "@introduceDomain fires for a restarted domain" "watch saw: $(cat "$tmp/iwatch")"
fi
await '^(d4) xensim guest: waiting for control/shutdown' "$out"
if [ "$($T xenstore-read /local/domain/4/name 2>&1)" = alpha ] &&
   ! $T xenstore-exists /local/domain/1 2>/dev/null; then
	ok "on_reboot=restart: alpha comes back as d4, d1 is gone"
else
	bad "on_reboot=restart: alpha comes back as d4, d1 is gone" "$($T xenstore-ls -f /local/domain 2>&1 | grep '/name =')"
fi
if [ "$(vm_of 4 alpha)" = "$vm1" ]; then
	ok "a restarted domain keeps its uuid, as xl keeps it"
else
	bad "a restarted domain keeps its uuid, as xl keeps it" "d1 had $vm1, d4: $(vm_of 4 alpha)"
fi
# on_crash = "preserve": the crashed domain keeps its xenstore entries.
$T xenstore-write /local/domain/3/control/shutdown crash
await '^xensim: d3 holder: crash: preserved' "$out"
if [ "$($T xenstore-read /local/domain/3/name 2>&1)" = holder ]; then
	ok "on_crash=preserve: the crashed domain stays in xenstore"
else
	bad "on_crash=preserve: the crashed domain stays in xenstore" "/local/domain/3/name: $($T xenstore-read /local/domain/3/name 2>&1)"
fi
$T xenstore-write /local/domain/4/control/shutdown poweroff
wait "$run_pid"
rc=$?
run_pid=
if [ "$rc" -eq 2 ] && ! grep -q Sanitizer "$out"; then
	has "after a crash the other domain still powers off" \
		"^(d2) xensim guest: crash requested" \
		"^(d1) xensim guest: reboot requested" \
		"^(d4) xensim guest: powering off" \
		"^xensim: d1 alpha: reboot: restarting (on_reboot = \"restart\", restart 1 of at most 3)" \
		"^xensim: d4 alpha: poweroff: d4 shut down: poweroff; restarted 1 time$" \
		"^xensim: d2 beta: crash: d2 shut down: crash$" \
		"^xensim: d3 holder: crash: d3 shut down: crash; preserved (on_crash = \"preserve\")$"
else
	bad_showing "after a crash the other domain still powers off" "exit $rc (want 2), output:"
fi

# SHUTDOWN_suspend: Xen 4.17 on ARM cannot save or resume a domain, and xl
# leaves a suspended one as it stopped: a native and an arm64 guest asked
# to suspend through control/shutdown quiesce and suspend; both stay in
# xenstore while the third runs on; the exit status is 7.
cat >"$tmp/sleep-native.cfg" <<CFG
name = "sleeper"
extra = "wait-shutdown"
on_poweroff = "restart"
CFG
cat >"$tmp/sleep-arm.cfg" <<CFG
name = "dozer"
kernel = "$IMAGE"
extra = "wait-shutdown"
CFG
timeout "${LIMIT:-300}" "$XENSIM" run --timeout 0 --max-insns "$BUDGET" \
	--xenstore-socket "$XENSTORED_PATH" "$tmp/sleep-native.cfg" \
	"$tmp/sleep-arm.cfg" "$tmp/a.cfg" >"$out" 2>&1 </dev/null &
run_pid=$!
for d in 1 2 3; do
	await "^(d$d) xensim guest: waiting for control/shutdown" "$out"
done
for d in 1 2; do
	$T xenstore-write /local/domain/$d/control/shutdown suspend
	await "^xensim: d$d [a-z]*: suspend: kept suspended" "$out"
done
if [ "$($T xenstore-read /local/domain/1/name 2>&1)" = sleeper ] &&
   [ "$($T xenstore-read /local/domain/2/name 2>&1)" = dozer ] &&
   [ "$($T xenstore-read /local/domain/2/control/shutdown 2>&1)" = "" ]; then
	ok "suspend: both domains stay in xenstore, the request acknowledged"
else
	bad "suspend: both domains stay in xenstore, the request acknowledged" "$($T xenstore-ls -f /local/domain 2>&1 | grep '/name =\|control/shutdown')"
fi
$T xenstore-write /local/domain/3/control/shutdown poweroff
wait "$run_pid"
rc=$?
run_pid=
if [ "$rc" -eq 7 ] && ! grep -q Sanitizer "$out"; then
	has "suspend: native and arm64 guests suspend, the other runs on" \
		"^(d1) xensim guest: suspend requested" \
		"^(d1) xensim guest: suspending: events masked, timer stopped" \
		"^(d2) xensim guest: suspend requested" \
		"^(d2) xensim guest: suspending: events masked, timer stopped" \
		"^(d3) xensim guest: powering off" \
		"^xensim: d1 sleeper: suspend: kept suspended, as xl leaves it" \
		"^xensim: d1 sleeper: suspend: d1 shut down: suspend; kept suspended (Xen 4.17 on ARM cannot resume it)$" \
		"^xensim: d2 dozer: suspend: d2 shut down: suspend; kept suspended (Xen 4.17 on ARM cannot resume it)$" \
		"^xensim: d3 alpha: poweroff: d3 shut down: poweroff$"
	if grep -q 'suspend refused\|restarting' "$out"; then
		bad_showing "suspend: the guests never come back, no on_* action" "in:"
	else
		ok "suspend: the guests never come back, no on_* action"
	fi
else
	bad_showing "suspend: native and arm64 guests suspend, the other runs on" "exit $rc (want 7), output:"
fi
# Alone in its run, the domain's suspend ends the run, exit status 7.
timeout "${LIMIT:-300}" "$XENSIM" run --timeout 0 --max-insns "$BUDGET" \
	--xenstore-socket "$XENSTORED_PATH" "$tmp/sleep-native.cfg" \
	>"$out" 2>&1 </dev/null &
run_pid=$!
await "^(d1) xensim guest: waiting for control/shutdown" "$out"
$T xenstore-write /local/domain/1/control/shutdown suspend
wait "$run_pid"
rc=$?
run_pid=
if [ "$rc" -eq 7 ] && ! grep -q Sanitizer "$out"; then
	has "suspend alone: the run ends with exit status 7" \
		"^(d1) xensim guest: suspending: events masked, timer stopped" \
		"^xensim: suspend: d1 shut down: suspend; kept suspended (Xen 4.17 on ARM cannot resume it)$"
else
	bad_showing "suspend alone: the run ends with exit status 7" "exit $rc (want 7), output:"
fi

finish

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# PV network across suspend and resume (--suspend-resume, --suspend-cycles)
# in a run of two domains on the xensim0 bridge. Each guest (bootarg
# net-suspend) pings its peer and takes each of its toolstack's suspends
# with a ping and a UDP echo request sent just before and the peer's
# frames coming in; in a new domain its netfront resumes (what the old
# backend never answered is dropped and counted) and the pings and a UDP
# echo must be answered again. Both suspending, natively over a range of
# seeds, under arm64, native beside arm64, Thumb-2 beside arm64; one
# suspending beside a peer that never does (its vif is left alone); a
# disk domain suspending beside the pair; the suspends cancelled (nothing
# reconnects); the same seed, the same transcript; a channel across the
# resumes of one of two domains. One line per check, ends "N passed, N
# failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
THUMB=${THUMB:-build/arm32/zImage-thumb}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
CLIENT=${CONSOLE_CLIENT:-build/console/console_client}
NET_SUSPEND_SEEDS=${NET_SUSPEND_SEEDS:-1 2 3 4 5 6 7 8}
tmp=$(mktemp -d /tmp/test-suspend-net.XXXXXX)
out=$tmp/out
trap 'rm -f "$tmp"/*; rmdir "$tmp"' EXIT
. "$(dirname "$0")/../lib/checks.sh"
SHOW_LINES=25

# domain FILE NAME KERNEL IP PEER [BOOTARGS [VIF]]: a config on the
# bridge (KERNEL empty: the guest built into xensim).
domain() {
	{
		echo "name = \"$2\""
		echo "memory = 64"
		[ -n "$3" ] && echo "kernel = \"$3\""
		echo "extra = \"net-test net-ip=$4 net-peer=$5 ${6:-net-suspend}\""
		echo "vif = [ '${7:-bridge=xensim0}' ]"
	} >"$1"
}

# run ARGS...: the two domains of $tmp/a.cfg and $tmp/b.cfg into $out.
run() {
	timeout "${LIMIT:-300}" "$XENSIM" run --max-insns 2000000000 "$@" \
		"$tmp/a.cfg" "$tmp/b.cfg" >"$out" 2>&1 </dev/null
}

# summary_ok D N RESUMED CANCELLED: domain D's net-suspend summary says N
# suspends of which RESUMED in a new domain, every phase answered, and
# its netfront resumed RESUMED times.
summary_ok() {
	grep -q "^(d$1) net-suspend: $2 suspend(s): $3 resumed in a new domain, $4 cancelled; $(($2 + 1)) of $(($2 + 1)) phase(s) answered; .* the netfront resumed $3 time(s)" "$out"
}

# same_features D: every set of features domain D's netfront negotiated
# after a resume, and its mac, are those it had at boot.
same_features() {
	want=$(grep "^(d$1) net-test: features " "$out" | sed 's/net-test: //')
	wantrx=$(grep "^(d$1) net-test: rx features " "$out" | sed 's/net-test: //')
	[ -n "$want" ] && ! grep -q "^(d$1) netfront: .*across the resume\|^(d$1) netfront: .*other features" "$out" &&
	! grep "^(d$1) net-suspend: features " "$out" | sed 's/net-suspend: //' | grep -vqxF "$want" &&
	! grep "^(d$1) net-suspend: rx features " "$out" | sed 's/net-suspend: //' | grep -vqxF "$wantrx"
}

# figures: "TX_DROPPED RX_DROPPED PINGS LOST" over both domains of $out.
figures() {
	awk '/net-suspend: [0-9]+ suspend\(s\)/ {
		for (i = 1; i <= NF; i++) {
			if ($i == "ping(s),") { p += $(i - 1); l += $(i + 1) }
			if ($i == "tx") t += $(i - 1)
			if ($i == "rx") r += $(i - 1)
		}
	} END { printf "%d %d %d %d\n", t, r, p, l }' "$out"
}

# both NAME N KERNEL_A KERNEL_B ARGS...: both domains suspend N times and
# are resumed in new domains; each answers every phase, negotiates again
# what it had at boot, and powers off. $vif_a/$args_a ($vif_b/$args_b), when
# set, give domain a's (b's) vif and bootargs.
both() {
	name=$1 n=$2
	domain "$tmp/a.cfg" alpha "$3" 1 2 "net-suspend ${args_a:-}" "${vif_a:-}"
	domain "$tmp/b.cfg" beta "$4" 2 1 "net-suspend ${args_b:-}" "${vif_b:-}"
	shift 4
	run --suspend-resume --suspend-cycles "$n" "$@"
	rc=$?
	if [ "$rc" -ne 0 ] || grep -q "Sanitizer\|FAIL" "$out" ||
	   ! summary_ok 1 "$n" "$n" 0 || ! summary_ok 2 "$n" "$n" 0 ||
	   ! same_features 1 || ! same_features 2 ||
	   [ "$(grep -c '^(d[12]) net-suspend: features ' "$out")" -ne $((2 * n)) ] ||
	   [ "$(grep -c '^(d[12]) netfront: device/vif/0: resumed: ' "$out")" -ne $((2 * n)) ]; then
		bad_showing "$name" "exit $rc (want 0), or a phase unanswered, features changed or grants lost at a resume:"
		return 1
	fi
	set -- $(figures)
	ok "$name: $((2 * n)) resumes, pings answered again after each; $1 tx request(s) and $2 rx response(s) dropped, $4 of $3 pings lost"
}

# The sweep: over the seeds, some suspends came with tx requests the old
# backend never took and some with rx responses left unread.
sweep_tx=0 sweep_rx=0 sweep_pings=0 sweep_lost=0 sweep_runs=0 sweep_bad=0
for seed in $NET_SUSPEND_SEEDS; do
	if both "native seed $seed" 3 "" "" --seed "$seed"; then
		set -- $(figures)
		sweep_tx=$((sweep_tx + $1)) sweep_rx=$((sweep_rx + $2))
		sweep_pings=$((sweep_pings + $3)) sweep_lost=$((sweep_lost + $4))
		sweep_runs=$((sweep_runs + 1))
	else
		sweep_bad=$((sweep_bad + 1))
	fi
done
if [ "$sweep_bad" -eq 0 ] && [ "$sweep_tx" -gt 0 ] && [ "$sweep_rx" -gt 0 ]; then
	ok "native sweep: $sweep_runs seeds, $((sweep_runs * 6)) resumes: $sweep_tx tx request(s) and $sweep_rx rx response(s) dropped, $sweep_lost of $sweep_pings pings lost"
else
	bad "native sweep" "$sweep_bad run(s) failed; $sweep_tx tx and $sweep_rx rx dropped (want some of each)"
fi
both "native seed 0" 2 "" "" --seed 0
both "arm64 seed 7" 2 "$IMAGE" "$IMAGE" --seed 7
both "native and arm64 seed 9" 2 "" "$IMAGE" --seed 9
both "arm64 and Thumb-2 seed 4" 2 "$IMAGE" "$THUMB" --seed 4
# Two queues each: split channels and FIFO events under arm64, one
# channel a queue natively.
vif_a='bridge=xensim0, queues=2' vif_b='bridge=xensim0, queues=2'
args_a='net-queues=2 evtchn-fifo' args_b='net-queues=2 net-split=0'
both "2 queues: arm64 with FIFO and split channels, native on one channel a queue, seed 6" \
	2 "$IMAGE" "" --seed 6
vif_a= vif_b= args_a= args_b=

# One suspends, its peer never takes a request (plain net-test, lingering
# 3 s): the peer's vif and traffic go on untouched by the resumes.
domain "$tmp/a.cfg" alpha "" 1 2
domain "$tmp/b.cfg" beta "" 2 1 net-linger=3000
run --suspend-resume --suspend-cycles 2 --seed 5
rc=$?
if [ "$rc" -eq 0 ] && ! grep -q "Sanitizer\|FAIL" "$out" && summary_ok 1 2 2 0 &&
   ! grep -q '^(d2) netfront: .*resumed' "$out" &&
   grep -q '^(d2) net-test: ping 10.0.0.1: 4/4 replies$' "$out" &&
   grep -q '^(d2) net-test: udp echo 10.0.0.1: 5/5 datagrams' "$out"; then
	ok "one suspends: its peer keeps its vif and answers across both resumes"
else
	bad_showing "one suspends" "exit $rc (want 0), output:"
fi

# Three domains: a disk domain (bootarg blk-suspend) beside the pair, each
# resumed on its own; the disk's I/O in flight crosses its suspends and
# the image holds the pattern at the end.
domain "$tmp/a.cfg" alpha "" 1 2
domain "$tmp/b.cfg" beta "" 2 1
rm -f "$tmp/d.img"
"$BLKPATTERN" make "$tmp/d.img" 1048576
printf '%s\n' 'name = "disk"' 'memory = 64' 'cmdline = "blk-suspend"' \
	"disk = [ \"format=raw, vdev=xvda, access=rw, target=$tmp/d.img\" ]" \
	>"$tmp/d.cfg"
timeout "${LIMIT:-300}" "$XENSIM" run --max-insns 2000000000 --suspend-resume \
	--suspend-cycles 2 --seed 8 "$tmp/a.cfg" "$tmp/b.cfg" "$tmp/d.cfg" \
	>"$out" 2>&1 </dev/null
rc=$?
if [ "$rc" -eq 0 ] && ! grep -q "Sanitizer\|FAIL" "$out" &&
   summary_ok 1 2 2 0 && summary_ok 2 2 2 0 &&
   grep -q '^(d3) blk-suspend: [1-9][0-9]* passed, 0 failed' "$out" &&
   [ "$(grep -c '^(d3) blkfront: .*resumed: ' "$out")" -eq 2 ] &&
   "$BLKPATTERN" check "$tmp/d.img" >/dev/null 2>&1; then
	ok "three domains: a disk domain resumed beside the pair, its image whole"
else
	bad_showing "three domains" "exit $rc (want 0), output:"
fi

# Cancelled: the same rings go on; nothing resumes, nothing is dropped.
domain "$tmp/a.cfg" alpha "" 1 2
domain "$tmp/b.cfg" beta "$IMAGE" 2 1
run --suspend-resume=cancel --suspend-cycles 2 --seed 3
rc=$?
if [ "$rc" -eq 0 ] && ! grep -q "Sanitizer\|FAIL" "$out" &&
   summary_ok 1 2 0 2 && summary_ok 2 2 0 2 &&
   [ "$(grep -c 'resumed 0 time(s), dropped 0 tx request(s) and 0 rx response(s)$' "$out")" -eq 2 ] &&
   ! grep -q 'netfront: .*resumed:' "$out"; then
	ok "cancelled: 4 suspends, no reconnect, nothing dropped"
else
	bad_showing "cancelled" "exit $rc (want 0), output:"
fi

# The same seed, the same transcript (each domain's toolstack asks at the
# times of its own stream).
domain "$tmp/a.cfg" alpha "" 1 2
domain "$tmp/b.cfg" beta "" 2 1
run --suspend-resume --suspend-cycles 2 --seed 11
cp "$out" "$tmp/first"
run --suspend-resume --suspend-cycles 2 --seed 11
if cmp -s "$tmp/first" "$out" && summary_ok 1 2 2 0; then
	ok "same seed, same transcript"
else
	bad_showing "same seed, same transcript" "the two runs differ"
fi

# A channel in a run of two domains: resumed, gamma's channel device is
# written again in its new tree while the end and its client stay; what
# it says before and after each suspend, and a line typed after the
# first, go through (bootarg channel-suspend).
printf 'name = "gamma"\nmemory = 64\nextra = "channel-suspend"\nchannel = [ "name=c, connection=socket, path=%s" ]\n' \
	"$tmp/c.sock" >"$tmp/c.cfg"
printf 'name = "delta"\nmemory = 64\nextra = "wait-shutdown"\n' >"$tmp/d.cfg"
timeout "${LIMIT:-300}" "$CLIENT" --on " channel c on " \
	--prompt "channel c: type a line" "typed after" -- "$XENSIM" run \
	--max-insns 2000000000 --suspend-resume --suspend-cycles 2 --seed 3 \
	"$tmp/c.cfg" "$tmp/d.cfg" >"$tmp/chan" 2>"$out"
rc=$?
if [ "$rc" -eq 0 ] && grep -qx "channel c: before the suspend" "$tmp/chan" &&
   grep -qx "channel c: echo typed after" "$tmp/chan" &&
   grep -qx "channel c: resumed 2" "$tmp/chan" &&
   grep -q "^(d1) channel-suspend: 8 passed, 0 failed" "$out" &&
   ! grep -q "Sanitizer" "$out"; then
	ok "a channel across two resumes beside another domain"
else
	bad_showing "a channel across two resumes beside another domain" "exit $rc (want 0), or the channel missed a line:"
fi

finish

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# PV network between domains of one run: two guests on the xensim0 bridge
# resolve each other with ARP and exchange ICMP echo through their
# netfronts, dom0's netbacks and the virtual switch, under arm64, arm32
# ARM and Thumb-2, natively and mixed; then with features switched on
# and off on both sides (two queues with and without split event
# channels, every offload off; GSO and checksum offload carrying a UDP
# datagram and 8000 TCP-like bytes, on and off, taken whole by a receiver
# that asks for rx sg and GSO or as segments by one that does not); bad
# vif specs are refused before anything runs. One line per check, ends
# "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
THUMB=${THUMB:-build/arm32/zImage-thumb}
BUDGET=${BUDGET:-300000000}
tmp=$(mktemp -d /tmp/test-net.XXXXXX)
out=$tmp/out
trap 'rm -f "$tmp"/*; rmdir "$tmp"' EXIT
. "$(dirname "$0")/../lib/checks.sh"

# domain FILE NAME KERNEL IP PEER [VIF [BOOTARGS]]: a config on the bridge.
domain() {
	cat >"$1" <<CFG
name = "$2"
memory = 64
kernel = "$3"
extra = "net-test net-ip=$4 net-peer=$5${7:+ $7}"
vif = [ '${6:-bridge=xensim0}' ]
CFG
}

# pair NAME KERNEL1 KERNEL2: each pings the other; both get every reply.
pair() {
	domain "$tmp/a.cfg" alpha "$2" 1 2 'mac=00:16:3e:0a:00:01, bridge=xensim0'
	domain "$tmp/b.cfg" beta "$3" 2 1
	timeout "${LIMIT:-300}" "$XENSIM" run --max-insns "$BUDGET" \
		"$tmp/a.cfg" "$tmp/b.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q Sanitizer "$out" &&
	   grep -q '^(d1) net-test: ping 10.0.0.2: 4/4 replies$' "$out" &&
	   grep -q '^(d2) net-test: ping 10.0.0.1: 4/4 replies$' "$out" &&
	   grep -q '^(d1) net-test: udp echo 10.0.0.2: 5/5 datagrams of 0..1472 bytes came back intact$' "$out" &&
	   grep -q '^(d2) net-test: udp echo 10.0.0.1: 5/5 datagrams of 0..1472 bytes came back intact$' "$out" &&
	   grep -q '^(d1) net-test: 10.0.0.2 is at 00:16:3e:00:02:00$' "$out" &&
	   grep -q '^(d2) net-test: 10.0.0.1 is at 00:16:3e:0a:00:01$' "$out" &&
	   grep -q '^(d1) net-test: answered 4 echo request(s), 5 udp echo(es)$' "$out" &&
	   grep -q '^(d2) net-test: answered 4 echo request(s), 5 udp echo(es)$' "$out"; then
		ok "$1: two guests ping each other and echo UDP"
	else
		bad_showing "$1: two guests ping each other and echo UDP" "exit $rc (want 0), output:"
	fi
}

pair "arm64" "$IMAGE" "$IMAGE"
pair "arm32 and Thumb-2" "$ZIMAGE" "$THUMB"
pair "arm64 and arm32" "$IMAGE" "$ZIMAGE"
# The guest built into xensim (named as the kernel), natively: two of them,
# each with its own globals, and one beside an arm64 guest.
pair "native" "$XENSIM" "$XENSIM"
pair "native and arm64" "$XENSIM" "$IMAGE"
pair "arm32 and native" "$ZIMAGE" "$XENSIM"

# features NAME KERNEL1 VIF1 ARGS1 WANT1 KERNEL2 VIF2 ARGS2 WANT2: the two
# guests ping each other with what each backend offers (VIF) and each
# frontend wants (ARGS); each says what was negotiated (WANT).
features() {
	domain "$tmp/a.cfg" alpha "$2" 1 2 "$3" "$4"
	domain "$tmp/b.cfg" beta "$6" 2 1 "$7" "$8"
	timeout "${LIMIT:-300}" "$XENSIM" run --max-insns "$BUDGET" \
		"$tmp/a.cfg" "$tmp/b.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q Sanitizer "$out" &&
	   grep -q "^(d1) net-test: features $5\$" "$out" &&
	   grep -q "^(d2) net-test: features $9\$" "$out" &&
	   grep -q '^(d1) net-test: ping 10.0.0.2: 4/4 replies$' "$out" &&
	   grep -q '^(d2) net-test: ping 10.0.0.1: 4/4 replies$' "$out"; then
		ok "$1"
	else
		bad_showing "$1" "exit $rc (want 0), output:"
	fi
}

all_on="sg=1 gso-tcpv4=1 gso-tcpv6=1 csum=1 ipv6-csum=1 mcast=1 mtu=1500"
features "arm64: 2 queues with split event channels, 1 queue" \
	"$IMAGE" 'bridge=xensim0, queues=2, split-evtchn=1' "net-queues=2" \
	"queues=2 split-evtchn=1 $all_on" \
	"$IMAGE" 'bridge=xensim0' "" "queues=1 split-evtchn=1 $all_on"
features "arm32: 2 queues on one event channel each, 3 wanted of 2" \
	"$ZIMAGE" 'bridge=xensim0, queues=2, split-evtchn=0' "net-queues=2" \
	"queues=2 split-evtchn=0 $all_on" \
	"$THUMB" 'bridge=xensim0, queues=2' "net-queues=3" \
	"queues=2 split-evtchn=1 $all_on"
features "arm64 and arm32: every feature off, by the frontend and by the backend" \
	"$IMAGE" 'bridge=xensim0' \
	"net-split=0 net-sg=0 net-gso=0 net-csum=0 net-ipv6-csum=0 net-mcast=0" \
	"queues=1 split-evtchn=0 sg=0 gso-tcpv4=0 gso-tcpv6=0 csum=0 ipv6-csum=0 mcast=0 mtu=1500" \
	"$ZIMAGE" 'bridge=xensim0, split-evtchn=0, sg=0, gso=0, csum=0, ipv6-csum=0, mcast=0' "" \
	"queues=1 split-evtchn=0 sg=0 gso-tcpv4=0 gso-tcpv6=0 csum=0 ipv6-csum=0 mcast=0 mtu=1500"

# offload NAME KERNEL1 VIF1 ARGS1 KERNEL2 ARGS2 HOW_UDP HOW_TCP SEGMENTS
# GSO_RX RX_FEATURES: guest 1 sends guest 2 a UDP datagram and 8000
# TCP-like bytes (net-offload); its checksum and segments come from the
# backend or the guest (HOW); guest 2 (asking on rx for RX_FEATURES)
# finds every checksum good and the bytes in order in SEGMENTS frames,
# GSO_RX saying what came as one GSO frame.
offload() {
	cat >"$tmp/a.cfg" <<CFG
name = "sender"
memory = 64
kernel = "$2"
extra = "net-offload=1${4:+ $4}"
vif = [ '$3' ]
CFG
	cat >"$tmp/b.cfg" <<CFG
name = "receiver"
memory = 64
kernel = "$5"
extra = "net-offload=2${6:+ $6}"
vif = [ 'bridge=xensim0' ]
CFG
	timeout "${LIMIT:-300}" "$XENSIM" run --max-insns "$BUDGET" \
		"$tmp/a.cfg" "$tmp/b.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q Sanitizer "$out" &&
	   grep -q "^(d1) net-offload: udp 200 bytes sent, checksum $7\$" "$out" &&
	   grep -q "^(d1) net-offload: tcp 8000 bytes sent as $8\$" "$out" &&
	   grep -q "^(d2) net-offload: rx features ${11}\$" "$out" &&
	   grep -q '^(d2) net-offload: udp 1 datagram(s) with good checksums$' "$out" &&
	   grep -q "^(d2) net-offload: tcp 8000 bytes in $9 segment(s) in order, 0 bad checksum(s)\$" "$out" &&
	   grep -q "^(d2) net-offload: tcp ${10}\$" "$out" &&
	   grep -q '^(d2) net-offload: done$' "$out"; then
		ok "$1"
	else
		bad_showing "$1" "exit $rc (want 0), output:"
	fi
}

rx_all="sg=1 gso-tcpv4=1 gso-tcpv6=1 csum=1"
whole="1 GSO frame(s) received over 3 slot(s), 0 with a wrong type or mss"
offload "arm64 to arm32: GSO and checksum offload on, arm32 takes the GSO frame whole over 3 rx slots" \
	"$IMAGE" 'bridge=xensim0' "" "$ZIMAGE" "" "left to the backend" \
	"one GSO frame (mss 1000)" 1 "$whole" "$rx_all"
offload "Thumb-2 to arm64: arm64 takes the GSO frame whole over 3 rx slots" \
	"$THUMB" 'bridge=xensim0' "" "$IMAGE" "" "left to the backend" \
	"one GSO frame (mss 1000)" 1 "$whole" "$rx_all"
offload "arm64 to arm32: rx GSO off by the receiver, the backend segments" \
	"$IMAGE" 'bridge=xensim0' "" "$ZIMAGE" "net-rx-gso=0" \
	"left to the backend" "one GSO frame (mss 1000)" 8 \
	"no GSO frame received" "sg=1 gso-tcpv4=0 gso-tcpv6=0 csum=1"
offload "arm32 to arm64: rx sg off by the receiver, the backend segments" \
	"$ZIMAGE" 'bridge=xensim0' "" "$IMAGE" "net-rx-sg=0" \
	"left to the backend" "one GSO frame (mss 1000)" 8 \
	"no GSO frame received" "sg=0 gso-tcpv4=0 gso-tcpv6=0 csum=1"
offload "arm32 to arm64: GSO and checksum offload off by the guest" \
	"$THUMB" 'bridge=xensim0' "net-gso=0 net-csum=0" "$IMAGE" "" \
	"computed here" "8 segments cut here" 8 "no GSO frame received" \
	"$rx_all"
offload "arm64 to arm64: GSO and checksum offload off by the backend" \
	"$IMAGE" 'bridge=xensim0, gso=0, csum=0' "" "$IMAGE" "" \
	"computed here" "8 segments cut here" 8 "no GSO frame received" \
	"$rx_all"

# A guest with nobody answering: its pings fail, the run says so.
domain "$tmp/a.cfg" alpha "$IMAGE" 1 9
domain "$tmp/b.cfg" beta "$ZIMAGE" 2 0
timeout "${LIMIT:-300}" "$XENSIM" run --max-insns "$BUDGET" \
	"$tmp/a.cfg" "$tmp/b.cfg" >"$out" 2>&1 </dev/null
rc=$?
if [ "$rc" -eq 2 ] && grep -q '^(d1) net-test: no ARP reply from 10.0.0.9$' "$out" &&
   grep -q '^xensim: d2 beta: poweroff' "$out" && ! grep -q Sanitizer "$out"; then
	ok "no peer: ARP unanswered, the guest fails alone"
else
	bad_showing "no peer: ARP unanswered, the guest fails alone" "exit $rc (want 2), output:"
fi

domain "$tmp/a.cfg" alpha "$IMAGE" 1 2 'bridge=br9'
expect "unknown bridge refused" 1 'bridge "br9": the only bridge is xensim0' -- run "$tmp/a.cfg"
domain "$tmp/a.cfg" alpha "$IMAGE" 1 2 'mac=01:00:5e:00:00:01'
expect "multicast mac refused" 1 'mac "01:00:5e:00:00:01" is not a unicast address' -- run "$tmp/a.cfg"
domain "$tmp/a.cfg" alpha "$IMAGE" 1 2 'mac=00:16:3e:zz:00:01'
expect "malformed mac refused" 1 'is not a unicast address aa:bb:cc:dd:ee:ff' -- run "$tmp/a.cfg"
domain "$tmp/a.cfg" alpha "$IMAGE" 1 2 'bridge=xensim0, queues=9'
expect "queues=9 refused" 1 'queues="9": want 1 to 8' -- run "$tmp/a.cfg"
domain "$tmp/a.cfg" alpha "$IMAGE" 1 2 'bridge=xensim0, split-evtchn=2'
expect "split-evtchn=2 refused" 1 'split-evtchn="2": want 0 to 1' -- run "$tmp/a.cfg"
domain "$tmp/a.cfg" alpha "$IMAGE" 1 2 'bridge=xensim0, mtu=9000'
expect "mtu=9000 refused" 1 'mtu="9000": want 68 to 1500' -- run "$tmp/a.cfg"
expect "vif without xenstore refused" 1 "PV network devices need xenstore" -- run --no-xenstore "$tmp/a.cfg"

finish

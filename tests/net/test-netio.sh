#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The network seen from the host. --net-socket: a guest (native, arm64,
# arm32) resolves, pings and UDP-echoes tests/net/net_peer through the
# switch's UDP tunnel; the peer's runt and oversized datagrams are dropped,
# counted and logged. --pcap: the switch's and one vif's captures, read
# back with tshark, hold the ARP, ICMP and UDP frames with the right
# addresses, counts, checksums and payloads, and the same run writes the
# same file; two guests (arm64 and arm32, and two native ones) captured
# at the switch and at one vif. Bad --pcap and --net-socket arguments are refused. One line
# per check, ends "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
NET_PEER=${NET_PEER:-build/net/net_peer}
BUDGET=${BUDGET:-300000000}
tmp=$(mktemp -d /tmp/test-netio.XXXXXX)
out=$tmp/out
peer_pid=
cleanup() {
	[ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null
	rm -f "$tmp"/*
	rmdir "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../lib/checks.sh"

# domain FILE NAME KERNEL IP PEER: a config on the bridge ("" KERNEL: the
# native guest built into xensim).
domain() {
	{
		echo "name = \"$2\""
		echo "memory = 64"
		[ -n "$3" ] && echo "kernel = \"$3\""
		echo "extra = \"net-test net-ip=$4 net-peer=$5\""
		echo "vif = [ 'bridge=xensim0' ]"
	} >"$1"
}

# start_peer [ARGS]: net_peer on a free port, its number in $peer_port.
start_peer() {
	rm -f "$tmp/port"
	"$NET_PEER" --port-file "$tmp/port" --max-time 300 "$@" \
		>"$tmp/peer.out" 2>&1 &
	peer_pid=$!
	for i in $(seq 100); do
		[ -s "$tmp/port" ] && break
		sleep 0.05
	done
	peer_port=$(cat "$tmp/port" 2>/dev/null)
}

stop_peer() {
	kill "$peer_pid" 2>/dev/null
	wait "$peer_pid" 2>/dev/null
	peer_pid=
}

# fields FILE FIELDS...: tshark's fields of every frame, tab-separated,
# with checksums verified (1 good, 0 bad).
fields() {
	f=$1
	shift
	for x in "$@"; do
		set -- "$@" -e "$x"
		shift
	done
	tshark -r "$f" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-T fields "$@" 2>/dev/null
}

# expected_udp: the lines fields(frame.number... udp, echo.data) must
# give for the guest's five UDP echoes (each datagram and its echo).
expected_payload() {
	awk -v len="$1" -v round="$2" 'BEGIN {
		for (k = 0; k < len; k++) printf "%02x", (k * 13 + round) % 256
		printf "\n" }'
}

# check_capture NAME FILE GUEST_MAC: the tunnel run's capture, frame by
# frame: ARP request and reply, 4 pings and replies, 5 UDP echoes and
# their answers, every checksum good, every payload the one sent.
check_capture() {
	fields "$2" eth.src eth.dst arp.opcode ip.src ip.dst icmp.type \
		udp.srcport udp.dstport ip.checksum.status \
		icmp.checksum.status udp.checksum.status >"$tmp/got"
	g=$3 h=02:00:00:00:00:fe
	{
		printf '%s\tff:ff:ff:ff:ff:ff\t1\t\t\t\t\t\t\t\t\n' "$g"
		printf '%s\t%s\t2\t\t\t\t\t\t\t\t\n' "$h" "$g"
		for i in 1 2 3 4; do
			printf '%s\t%s\t\t10.0.0.1\t10.0.0.254\t8\t\t\t1\t1\t\n' "$g" "$h"
			printf '%s\t%s\t\t10.0.0.254\t10.0.0.1\t0\t\t\t1\t1\t\n' "$h" "$g"
		done
		for i in 1 2 3 4 5; do
			printf '%s\t%s\t\t10.0.0.1\t10.0.0.254\t\t40007\t7\t1\t\t1\n' "$g" "$h"
			printf '%s\t%s\t\t10.0.0.254\t10.0.0.1\t\t7\t40007\t1\t\t1\n' "$h" "$g"
		done
	} >"$tmp/want"
	fields "$2" udp.length echo.data | awk 'NR > 10' >"$tmp/got-data"
	: >"$tmp/want-data"
	round=0
	for len in 0 1 63 700 1472; do
		d=$(expected_payload "$len" "$round")
		printf '%s\t%s\n%s\t%s\n' $((len + 8)) "$d" $((len + 8)) "$d" \
			>>"$tmp/want-data"
		round=$((round + 1))
	done
	if cmp -s "$tmp/got" "$tmp/want" && cmp -s "$tmp/got-data" "$tmp/want-data"; then
		ok "$1"
	else
		bad "$1" "tshark read back (want, got):"
		diff "$tmp/want" "$tmp/got" | head -20 | sed 's/^/     /'
		diff "$tmp/want-data" "$tmp/got-data" | cut -c1-100 | head -6 |
			sed 's/^/     /'
	fi
}

# tunnel NAME KERNEL GUEST_MAC: the guest against the host peer.
tunnel() {
	domain "$tmp/g.cfg" guest "$2" 1 254
	start_peer --malformed
	timeout "${LIMIT:-300}" "$XENSIM" run --max-insns "$BUDGET" \
		--net-socket "udp:127.0.0.1:$peer_port" \
		--pcap "$tmp/sw.pcap" --pcap "vif1.0=$tmp/vif.pcap" \
		"$tmp/g.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	stop_peer
	if [ "$rc" -eq 0 ] && ! grep -q Sanitizer "$out" &&
	   grep -q '^(d1) net-test: 10.0.0.254 is at 02:00:00:00:00:fe$' "$out" &&
	   grep -q '^(d1) net-test: ping 10.0.0.254: 4/4 replies$' "$out" &&
	   grep -q '^(d1) net-test: udp echo 10.0.0.254: 5/5 datagrams of 0..1472 bytes came back intact$' "$out" &&
	   grep -q '^net_peer: [0-9]* frames in, 0 bad; answered 1 arp, 4 icmp echo, 5 udp echo; 0 discard$' "$tmp/peer.out"; then
		ok "$1: ping and UDP echo with the host through --net-socket"
	else
		bad_showing "$1: ping and UDP echo with the host through --net-socket" \
			"exit $rc (want 0), peer: $(cat "$tmp/peer.out"), output:"
	fi
	if grep -q "^(XEN) net-socket: dropped a 10-byte datagram from 127.0.0.1:$peer_port: shorter than an Ethernet header (14 bytes) (1 dropped so far)$" "$out" &&
	   grep -q "^(XEN) net-socket: dropped a 1600-byte datagram from 127.0.0.1:$peer_port: longer than a 1514-byte frame (2 dropped so far)$" "$out" &&
	   [ "$(grep -c 'net-socket: dropped' "$out")" -eq 2 ]; then
		ok "$1: the host's runt and oversized datagrams dropped, counted, logged"
	else
		bad_showing "$1: the host's runt and oversized datagrams dropped, counted, logged" "output:"
	fi
	check_capture "$1: --pcap of the switch read back by tshark" "$tmp/sw.pcap" "$3"
	check_capture "$1: --pcap of vif1.0 read back by tshark" "$tmp/vif.pcap" "$3"
}

tunnel native "" 00:16:3e:00:01:00
cp "$tmp/sw.pcap" "$tmp/first.pcap"
tunnel arm64 "$IMAGE" 00:16:3e:00:01:00
tunnel arm32 "$ZIMAGE" 00:16:3e:00:01:00

# The same native run again: the same capture, byte for byte (virtual
# time stamps every frame).
tunnel "native again" "" 00:16:3e:00:01:00
if cmp -s "$tmp/first.pcap" "$tmp/sw.pcap"; then
	ok "the same run writes the same capture"
else
	bad "the same run writes the same capture" "the two native captures differ"
fi

# two_guests NAME KERNEL1 KERNEL2: a switch and a vif capture of two
# guests pinging and echoing each other; the switch sees both, vif2.0
# only what d2 sent and was given.
two_guests() {
	domain "$tmp/a.cfg" alpha "$2" 1 2
	domain "$tmp/b.cfg" beta "$3" 2 1
	timeout "${LIMIT:-300}" "$XENSIM" run --max-insns "$BUDGET" \
		--pcap "$tmp/sw.pcap" --pcap "vif2.0=$tmp/vif.pcap" \
		"$tmp/a.cfg" "$tmp/b.cfg" >"$out" 2>&1 </dev/null
	rc=$?
	fields "$tmp/sw.pcap" _ws.col.Protocol | sort | uniq -c |
		awk '{ printf "%s %s,", $2, $1 }' >"$tmp/sw-count"
	fields "$tmp/vif.pcap" eth.src eth.dst | sort -u >"$tmp/vif-macs"
	# Each guest: ARP request and reply (once each way at least), 4
	# pings and 4 replies each way, 5 UDP echoes each way (ECHO: all but
	# the empty one).
	if [ "$rc" -eq 0 ] && ! grep -q Sanitizer "$out" &&
	   grep -q '^ARP [2-4],ECHO 16,ICMP 16,UDP 4,$' "$tmp/sw-count" &&
	   ! grep -qv '00:16:3e:00:02:00' "$tmp/vif-macs" &&
	   [ "$(fields "$tmp/vif.pcap" frame.number | wc -l)" -lt \
	     "$(fields "$tmp/sw.pcap" frame.number | wc -l)" ]; then
		ok "$1: the switch's capture holds both guests, vif2.0's only d2's frames"
	else
		bad_showing "$1: the switch's capture holds both guests, vif2.0's only d2's frames" \
			"exit $rc, counts $(cat "$tmp/sw-count"), vif macs $(cat "$tmp/vif-macs" | tr '\n' ' '), output:"
	fi
}

two_guests "arm64 and arm32" "$IMAGE" "$ZIMAGE"
# Two native guests, each on its own thread with its own globals.
two_guests "two native" "" ""

domain "$tmp/g.cfg" guest "$IMAGE" 1 254
expect "--pcap to a path that cannot be created refused" 1 \
	"--pcap $tmp/no/such/dir/x.pcap: cannot create it: No such file or directory" \
	-- run --pcap "$tmp/no/such/dir/x.pcap" "$tmp/g.cfg"
expect "--pcap of a vif the run lacks refused" 1 \
	"--pcap vif1.3=$tmp/x.pcap: the run has no such vif" \
	-- run --pcap "vif1.3=$tmp/x.pcap" "$tmp/g.cfg"
expect "--pcap with a malformed vif name refused" 1 \
	"is not vifD.N" -- run --pcap "vif1=$tmp/x.pcap" "$tmp/g.cfg"
expect "--pcap of the switch twice refused" 1 "captured twice" \
	-- run --pcap "$tmp/x.pcap" --pcap "xensim0=$tmp/y.pcap" "$tmp/g.cfg"
expect "--net-socket other than udp refused" 1 \
	"only udp:HOST:PORT\[,local=HOST:PORT\] is known" \
	-- run --net-socket tcp:127.0.0.1:9 "$tmp/g.cfg"
expect "--net-socket with port 0 refused" 1 "a PORT from 1 to 65535" \
	-- run --net-socket udp:127.0.0.1:0 "$tmp/g.cfg"
expect "--net-socket with a host name refused" 1 "an IPv4 HOST" \
	-- run --net-socket udp:localhost:9 "$tmp/g.cfg"
expect "--net-socket with a local address that cannot be bound refused" 1 \
	"cannot bind the local address or reach the host" \
	-- run --net-socket udp:127.0.0.1:9,local=192.0.2.1:0 "$tmp/g.cfg"

finish

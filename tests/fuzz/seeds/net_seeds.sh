#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Seed inputs for the network fuzz targets, one per path: the frontend's
# data path against a hostile backend (fuzz_netfront), its handshake
# (fuzz_netfront_xs) and the model's netback against a hostile frontend
# (fuzz_netback). The encodings are the ones at the top of each target.
# Usage: net_seeds.sh CORPUS   (writes CORPUS/fuzz_netfront, ...)
set -eu
corpus=$1

# Raw bytes, given as numbers: each becomes an octal escape in the format.
b() {
	for v in "$@"; do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' $((v & 255)))"
	done
}
le16() { b $(($1)) $(($1 >> 8)); }
le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16)); }

# ---- fuzz_netfront: device (0 every feature, two queues; 1 none, one
# queue: the tx seeds that break the device use it, so dom0 reads the
# queue the frame went to), then moves ----
SEND=0 MCAST=1 TX_TAKE=2 TX_ANSWER=3 TX_RAW=4 TX_PUSH=5 TX_PROD=6
RX_DATA=7 RX_EXTRA=8 RX_PUSH=9 RX_PROD=10 RECV=11 REWRITE=12 STORM=13
IDLE=14 QUEUE=15
nf=$corpus/fuzz_netfront
mkdir -p "$nf"
# dom0 answers whatever it read on both queues, well.
answer_all() {
	for q in 0 1; do
		b $QUEUE $q $TX_TAKE 32
		for _ in 1 2 3 4 5 6; do b $TX_ANSWER 0; done
		b $TX_PUSH
	done
	b $IDLE
}
# An rx slot: how 0 (id as asked, offset 0, no flags), size = n * 6.
rx() { b $RX_DATA 0 "$1"; }

{ b 0 $SEND; le16 60; b 0; answer_all; } >"$nf/tx-frame-answered"
{ b 0 $SEND; le16 8192; b 0x84 181; answer_all; } >"$nf/tx-gso-answered"
{ b 0 $SEND; le16 3000; b 0x80; answer_all; } >"$nf/tx-sg-answered"
{ b 0 $SEND; le16 60; b 2; answer_all; } >"$nf/tx-csum-blank"
{ b 0 $MCAST 1 $MCAST 0; answer_all; } >"$nf/tx-mcast-add-del"
{ b 1 $SEND; le16 3000; b 0x80 $SEND; le16 60; b 0x84 10; answer_all; } \
	>"$nf/tx-offloads-not-negotiated"
{ b 1 $SEND; le16 60; b 0 $TX_TAKE 4 $TX_ANSWER 0x40; le16 7;
  b $TX_PUSH $IDLE; } >"$nf/tx-unknown-status"
{ b 1 $SEND; le16 60; b 0 $TX_TAKE 4 $TX_ANSWER 0x80 3 $TX_PUSH $IDLE; } \
	>"$nf/tx-id-not-pending"
{ b 1 $SEND; le16 60; b 0 $TX_TAKE 4 $TX_RAW 0 1 $TX_PUSH $IDLE; } \
	>"$nf/tx-null-without-extra"
{ b 1 $SEND; le16 60; b 0 $TX_PROD 0x7f; le32 0x40000000; b $IDLE; } \
	>"$nf/tx-rsp-prod-far-ahead"
{ b 1 $SEND; le16 60; b 0 $TX_PROD 0xf0 $IDLE; } \
	>"$nf/tx-rsp-prod-backwards"
{ b 0; rx 10; b $RX_PUSH $RECV; } >"$nf/rx-frame"
{ b 1; rx 10; rx 0; b $RX_PUSH $RECV $RECV; } >"$nf/rx-frame-and-empty"
# A GSO chain: more data + extra info, a GSO extra (TCPv4, 1448), two more.
{ b 0 $RX_DATA 0x0c 250 $RX_EXTRA 0x08 $RX_DATA 0x04 250; rx 100;
  b $RX_PUSH $RECV; } >"$nf/rx-gso-chain"
{ b 0 $RX_DATA 0x04 200; rx 50; b $RX_PUSH $RECV; } >"$nf/rx-sg-chain"
{ b 0 $RX_DATA 0x04 250 $RX_PUSH $RECV; } >"$nf/rx-chain-unfinished"
{ b 0 $RX_DATA 0x08 100 $RX_EXTRA 0x80 7 $RX_PUSH $RECV; } \
	>"$nf/rx-extra-unknown-type"
{ b 0 $RX_DATA 0x08 100 $RX_EXTRA 0x01 $RX_PUSH $RECV; } \
	>"$nf/rx-extra-mcast"
{ b 0 $RX_DATA 0x08 100 $RX_EXTRA 0x2c $RX_EXTRA 0x08 $RX_PUSH $RECV; } \
	>"$nf/rx-gso-size-0-then-twice"
{ b 0 $RX_DATA 0x80; le16 99; b 10 $RX_PUSH $RECV; } >"$nf/rx-bad-id"
{ b 0 $RX_DATA 0x40; le16 4090; b 10 $RX_PUSH $RECV; } >"$nf/rx-over-page"
{ b 0 $RX_DATA 0x20; le16 3000; b $RX_PUSH $RECV; } >"$nf/rx-too-long"
{ b 0 $RX_DATA 0x20; le16 65535; b $RX_PUSH $RECV; } >"$nf/rx-error-status"
{ b 1 $RX_DATA 0x0c 10 $RX_PUSH $RECV $SEND; le16 60; b 0; } \
	>"$nf/rx-flags-not-negotiated"
{ b 1 $RX_DATA 0x10 10; le16 2; b $RX_PUSH $RECV; } >"$nf/rx-csum-blank"
{ b 0; i=0; while [ $i -lt 19 ]; do b $RX_DATA 0x04 200; i=$((i + 1)); done
  rx 10; b $RX_PUSH $RECV; } >"$nf/rx-chain-19-slots"
{ b 0 $RX_PROD 0xf0 $RECV; } >"$nf/rx-rsp-prod-backwards"
{ b 0 $RX_PROD 0x80 $RECV; } >"$nf/rx-rsp-prod-far-ahead"
{ b 0 $RX_PROD 40 $RECV; } >"$nf/rx-rsp-prod-past-posted"
{ b 0; rx 10; b $RX_PUSH $REWRITE 0 0x63 0 0 0 0 0 10 0 $RECV; } \
	>"$nf/rx-rewrite-after-push"
{ b 0 $STORM 63 $SEND; le16 60; b 0 $STORM 63; rx 10; b $RX_PUSH $RECV; } \
	>"$nf/storm-then-answer"
{ b 0 $QUEUE 1; rx 10; b $RX_PUSH $QUEUE 0; rx 20; b $RX_PUSH $RECV $RECV; } \
	>"$nf/rx-both-queues"

# ---- fuzz_netfront_xs: offers, wants, then the backend's moves ----
STATE=0 HONEST=1 KEY=2 RM_KEY=3 MAP=4 UNMAP=5 EVENT=6 NOTHING=7
xs=$corpus/fuzz_netfront_xs
mkdir -p "$xs"
b 0xef 0x7f >"$xs/every-feature-honest"
b 0xef 0x00 >"$xs/no-feature-honest"
b 0xee 0x1f >"$xs/no-rx-copy"
b 0xef 0xff $RM_KEY 0 $KEY 0 7 >"$xs/rx-copy-removed-then-bad"
b 0xef 0x1f $STATE 4 $STATE 6 $STATE 5 $STATE 2 $STATE 1 >"$xs/state-flips"
b 0xef 0x1f $KEY 8 9 $KEY 8 7 $KEY 8 13 >"$xs/bad-queue-counts"
b 0xef 0x1f $KEY 9 4 $KEY 1 11 $KEY 6 12 >"$xs/garbage-values"
{ b 0xef 0x1f; i=0; while [ $i -lt 12 ]; do b $NOTHING; i=$((i + 1)); done
  b $MAP $STATE 4 $EVENT 15 $STATE 6 $NOTHING $NOTHING; } \
	>"$xs/map-and-hold-through-close"
b 0xef 0x1f $EVENT 15 $HONEST $EVENT 15 $HONEST $UNMAP $STATE 6 \
	>"$xs/events-and-unmap"

# ---- fuzz_netback: offers, queues offered, the frontend's shape, a node
# to spoil (255: none) with its length and value, then moves: the move
# in the low nibble, the queue in bits 4-5 ----
TX_REQ=0 TX_EXTRA=1 TX_RAW=2 TX_PUSH=3 TX_PROD=4 RX_POST=5 RX_RAW=6
RX_PROD=7 HOST_FRAME=8 HOST_GSO=9 RUN=10 TAKE=11 FE_STATE=12 GRANT=13
DATA=14 NB_STORM=15
nb=$corpus/fuzz_netback
mkdir -p "$nb"
# Every feature offered, 4 queues; 2 queues wanted with rx sg, GSO,
# checksums and multicast control; nothing spoilt.
start() { b 0x7f 3 0xf1 255 0; }
# A tx slot: ref (a data page), offset, size, flags.
txr() { b $TX_REQ "$1" "$2"; le16 "$3"; le16 "$4"; b "$5"; }
end() { b $TX_PUSH $RUN $TAKE; }

{ start; txr 0 0 0 60 0; end; } >"$nb/tx-frame"
# Alike up to the moves, and first in name order: tests/fuzz/fuzz-reset.sh
# runs them A, B, A, the second A from the connected backend put back
# after B revoked page 0's grant and closed the frontend.
{ start; txr 0 0 0 60 0; end; } >"$nb/a0-tx-frame"
{ start; b $GRANT 0 0 $FE_STATE 5 $RUN; } >"$nb/a1-revoke-and-close"
# Shaped otherwise (one queue, split channels), next in name order: the
# second A starts from its own kept backend (which must hear the store
# again: A closes) after B's, of another shape, revoked page 0's grant
# and closed.
{ start; txr 0 0 0 60 0; txr 1 1 0 60 0; end; b $FE_STATE 6 $RUN; } \
	>"$nb/a2-tx-two-frames-and-close"
{ b 0x7f 3 0xf4 255 0; b $GRANT 0 0 $FE_STATE 5 $RUN; } \
	>"$nb/a3-split-revoke-and-close"
{ start; txr 0 0 0 1400 4; txr 1 1 0 1000 4; txr 2 2 0 200 0; end; } \
	>"$nb/tx-three-slots"
{ start; txr 0 0 0 1000 4; i=1
  while [ $i -lt 18 ]; do txr $i $i 0 50 4; i=$((i + 1)); done
  txr 18 18 0 50 0; end; } >"$nb/tx-19-slots"
{ start; txr 0 0 0 100 4; txr 1 1 0 0 4; txr 2 2 0 40 0; end; } \
	>"$nb/tx-empty-later-fragment"
{ start; txr 0 0 0 60 4; txr 1 1 0 50 0; end; } >"$nb/tx-header-split"
{ start; txr 0 0 4090 60 0; end; } >"$nb/tx-offset-past-page"
{ start; txr 0 0 0 5000 0; end; } >"$nb/tx-size-past-page"
{ start; txr 0 0xf5 0 60 0; end; } >"$nb/tx-bad-grant-ref"
{ start; txr 0 0 0 60 8; b $TX_EXTRA 7 0 0 0 0 0 0 0; end; } \
	>"$nb/tx-extra-unknown-type"
{ start; txr 0 0 0 3000 12; b $TX_EXTRA 1 0 0xa8 5 1 0 0 0
  txr 1 1 0 1000 0; end; } >"$nb/tx-gso"
{ start; txr 0 0 0 60 8; i=0
  while [ $i -lt 6 ]; do b $TX_EXTRA 2 1 1 0 0x5e 0 0 $i; i=$((i + 1)); done
  end; } >"$nb/tx-extras-never-end"
{ start; txr 0 0 0 60 4; end; } >"$nb/tx-chain-unfinished"
{ start; txr 0 0 0 0 8; b $TX_EXTRA 2 0 1 0 0x5e 0 0 1; end
  txr 1 1 0 0 8; b $TX_EXTRA 3 0 1 0 0x5e 0 0 1; end; } >"$nb/tx-mcast-add-del"
{ start; b $TX_PROD 0x80 $RUN $TX_PROD 0x7f; le32 300; b $RUN; } \
	>"$nb/tx-req-prod-impossible"
{ start; b $TX_RAW 1 2 3 4 5 6 7 8 9 10 11 12; end; } >"$nb/tx-raw-slot"
{ start; b $RX_POST 8 $HOST_FRAME 60 0 0 $HOST_FRAME 60 0 1
  b $HOST_FRAME 60 0 2 $RUN $TAKE; } >"$nb/rx-frames"
{ start; i=0; while [ $i -lt 80 ]; do b $HOST_FRAME 60 0 0; i=$((i + 1)); done
  b $RUN $TAKE; } >"$nb/rx-never-posted"
{ start; b $RX_POST 32 $HOST_GSO; le16 8000; le16 912; b 0 $RUN $TAKE; } \
	>"$nb/rx-gso"
{ start; b $RX_RAW; le16 65535; le32 0xdeadbeef; b $RX_PROD 0
  b $HOST_FRAME 60 0 0 $RUN $TAKE; } >"$nb/rx-bad-id-and-ref"
{ start; b $RX_PROD 0x80 $HOST_FRAME 60 0 0 $RUN; } \
	>"$nb/rx-req-prod-impossible"
{ start; b $GRANT 0 0 $GRANT 1 1 $GRANT 2 2 $GRANT 3 3; txr 0 0 0 60 0
  txr 1 1 0 60 0; txr 2 2 0 60 0; txr 3 3 0 60 0; end
  b $RX_POST 4 $HOST_FRAME 60 0 0 $RUN $TAKE; } >"$nb/grants-spoilt"
{ start; b $DATA 0 12 0 0x86 0xdd 0x60 0 0 0 0 0; txr 0 0 0 60 1; end; } \
	>"$nb/tx-csum-blank-ipv6"
{ start; b $FE_STATE 5 $RUN $FE_STATE 6 $RUN $FE_STATE 1 $RUN $FE_STATE 4
  b $RUN; txr 0 0 0 60 0; end; } >"$nb/state-flips"
{ start; b $NB_STORM 63 $RUN $NB_STORM 63 $RUN; } >"$nb/event-storm"
{ b 0x7f 3 0x07 255 0; txr 0 0 0 60 0; b 0x30; le16 0; le16 60; b 0
  b 0x33 $RUN 0x35 4 $HOST_FRAME 60 0 1 $RUN 0x3b; } >"$nb/four-queues-split"
{ b 0x7f 3 0xf1 8 1; printf 9; b $RUN; } >"$nb/spoil-queue-count"
{ b 0x7f 3 0xf1 0 1; printf 0; b $RUN; } >"$nb/spoil-rx-copy"
{ b 0x7f 3 0xf0 11 3; printf abc; b $RUN; } >"$nb/spoil-event-channel"
{ b 0x00 0 0xf1 255 0; txr 0 0 0 3000 12; b $TX_EXTRA 1 0 0xa8 5 1 0 0 0
  txr 1 1 0 1000 0; end; } >"$nb/nothing-offered"

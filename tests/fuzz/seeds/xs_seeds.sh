#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Seed inputs for the xenstored fuzz targets: short sessions of well-formed
# requests (write, read, directory, transactions, watches, perms, the dom0
# ops), so mutation starts past the framing. The encodings are the ones
# described at the top of tests/fuzz/fuzz_xs_requests.c and fuzz_xs_ring.c.
# Usage: xs_seeds.sh CORPUS   (writes CORPUS/fuzz_xs_requests, CORPUS/fuzz_xs_ring)
set -eu
corpus=$1

# Op numbers (xen/io/xs_wire.h).
CONTROL=0 DIRECTORY=1 READ=2 GET_PERMS=3 WATCH=4 UNWATCH=5 TXN_START=6 TXN_END=7
INTRODUCE=8 RELEASE=9 GET_DOMAIN_PATH=10 WRITE=11 MKDIR=12 RM=13 SET_PERMS=14
IS_INTRODUCED=17 RESUME=18 SET_TARGET=19 RESET_WATCHES=21 DIRECTORY_PART=22

# Raw bytes, given as numbers: each becomes an octal escape in the format.
b() {
	for v in "$@"; do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' $((v & 255)))"
	done
}
le16() { b $(($1)) $(($1 >> 8)); }
# Strings, each with its nul.
strs() { [ $# -eq 0 ] || printf '%s\000' "$@"; }
strs_len() {
	n=0
	for s in "$@"; do n=$((n + ${#s} + 1)); done
	echo $n
}

# ---- fuzz_xs_requests: who, [raw tx], type, len, payload ----
# who: peer in bits 0-1 (0 dom0, 1 dom1, 2 dom2); tx in bits 2-3
# (0 none, 1 the peer's last transaction, 2 one past it).
rq() { # who type strings...
	who=$1 type=$2
	shift 2
	b "$who" "$type"
	le16 "$(strs_len "$@")"
	strs "$@"
}
rq_write() { # who path value
	b "$1" $WRITE
	le16 $((${#2} + 1 + ${#3}))
	printf '%s\000%s' "$2" "$3"
}
TX=4 # "in the peer's last transaction"

req=$corpus/fuzz_xs_requests
rm -rf "$req"
mkdir -p "$req"
{
	b 0
	rq_write 1 data/x hello
	rq 1 $READ data/x
	rq 1 $DIRECTORY data
	rq 1 $GET_PERMS data/x
	rq 1 $MKDIR data/dir
	rq 1 $RM data/x
} >"$req/rw"
{
	b 0
	rq 1 $TXN_START ""
	rq_write $((1 | TX)) data/t v
	rq $((1 | TX)) $READ data/t
	rq $((1 | TX)) $DIRECTORY data
	rq $((1 | TX)) $TXN_END T
	rq 2 $TXN_START ""
	rq $((2 | TX)) $RM data
	rq_write 2 data/c x
	rq $((2 | TX)) $TXN_END T
} >"$req/txn"
{
	b 0
	rq 2 $WATCH data tok
	rq 0 $WATCH /local/domain/2 dom0tok
	rq_write 2 data/a b
	rq_write 0 /local/domain/2/data/b c
	rq 0 $RM /local/domain/2/data
	rq 2 $UNWATCH data tok
	rq 0 $RESET_WATCHES ""
} >"$req/watch"
{
	b 0
	rq 0 $SET_PERMS /local/domain/1/data b1 r2
	rq 2 $READ /local/domain/1/data
	rq 1 $SET_PERMS data n1 r2
	rq 1 $GET_PERMS data
	rq 0 $SET_PERMS /local/domain/1/data/q n2
	rq 0 $WATCH @introduceDomain intro
	rq 0 $SET_PERMS @releaseDomain n0 r1
	rq 0 $GET_PERMS @releaseDomain
} >"$req/perms"
{
	b 1
	rq_write 1 data/a 1
	rq_write 1 data/b 2
	rq_write 1 data/c/d/e 3
	rq_write 1 data/big 0123456789012345678901234567890123456789
	rq 1 $WATCH data/a w1
	rq 1 $WATCH data/b w2
	rq 1 $WATCH data/c w3
	rq 1 $WATCH data/d w4
	rq 1 $TXN_START ""
	rq 1 $TXN_START ""
	rq 1 $TXN_START ""
	rq_write $((1 | TX)) data/t1 1
	rq_write $((1 | TX)) data/t2 2
	rq_write $((1 | TX)) data/t3 3
	rq_write $((1 | TX)) data/t4 4
	rq $((1 | TX)) $TXN_END T
} >"$req/quota"
{
	b 1 # small limits: a failed transaction, and one that fails on replay
	rq 1 $TXN_START ""
	rq_write $((1 | TX)) data/t x
	rq $((1 | TX)) $TXN_END F
	rq 1 $TXN_START ""
	for k in a b c d e f g h i j k l m; do
		rq $((1 | TX)) $READ data/$k
	done
	rq_write $((1 | TX)) data/u x
	rq $((1 | TX)) $TXN_END T
	rq 1 $TXN_START ""
	rq_write $((1 | TX)) data/t1 x
	for k in a b c d e f; do
		rq_write 1 drivers/$k x
	done
	rq $((1 | TX)) $TXN_END T
	rq 1 $SET_PERMS data n1 r2 r0
} >"$req/txnfail"
{
	b 0
	rq 1 $WATCH data/a/b below
	rq 1 $WATCH data/a/b/c/d deeper
	rq_write 1 data/a/b/c x
	rq 1 $RM data/a
	rq 0 $WATCH / "$(printf '%4092s' '' | tr ' ' t)"
	rq_write 0 /a b
	rq 0 $TXN_START ""
	rq $TX $SET_PERMS @introduceDomain n0 r1
	rq $TX $TXN_END T
	rq 1 $GET_PERMS @introduceDomain
	rq 2 $GET_PERMS @releaseDomain
	rq_write 1 /local/domain/1/x y
	rq 0 $RM /
	rq 0 $CONTROL help
} >"$req/events"
{
	b 0
	long=$(printf '%1500s' '' | tr ' ' n)
	rq 0 $MKDIR "/big/a$long"
	rq 0 $MKDIR "/big/b$long"
	rq 0 $MKDIR "/big/c$long"
	rq 0 $DIRECTORY /big
	rq 0 $DIRECTORY_PART /big 0
	rq 0 $DIRECTORY_PART /big 1502
} >"$req/big"
{
	b 0
	b 1 $READ # 4096 empty strings: more than a request can hold
	le16 4096
	printf '%4096s' '' | tr ' ' '\000'
} >"$req/nuls"
{
	b 0
	rq 0 $INTRODUCE 5 123 7
	rq 0 $IS_INTRODUCED 5
	rq 0 $SET_TARGET 2 1
	rq 0 $RESUME 5
	rq 0 $RELEASE 5
	rq 0 $GET_DOMAIN_PATH 3
	rq 0 $DIRECTORY_PART /local/domain 0
	rq 0 $MKDIR /tool/x
	rq 0 $CONTROL check
	rq 0 $CONTROL print hello
	rq 2 $READ /local/domain/1/name
	rq 1 $INTRODUCE 6 1 1
} >"$req/dom0"

# ---- fuzz_xs_ring: commands ----
REQUEST=0 RAW=1 KICK=2 TAKE=3 RECONNECT=6 TOOLSTACK=8
rr() { # type tx strings...
	type=$1 tx=$2
	shift 2
	b $REQUEST "$type" "$tx"
	le16 "$(strs_len "$@")"
	strs "$@"
}
rr_write() { # tx path value
	b $REQUEST $WRITE "$1"
	le16 $((${#2} + 1 + ${#3}))
	printf '%s\000%s' "$2" "$3"
}

ring=$corpus/fuzz_xs_ring
rm -rf "$ring"
mkdir -p "$ring"
{
	b 8
	rr_write 0 data/x hello
	rr $READ 0 data/x
	rr $DIRECTORY 0 data
	b $TAKE
	rr $RM 0 data/x
	b $TAKE
} >"$ring/rw"
{
	b 0
	rr $TXN_START 0 ""
	b $TAKE
	rr_write 1 data/t v
	rr $READ 1 data/t
	rr $TXN_END 1 T
	b $TAKE
} >"$ring/txn"
{
	b 2
	rr $WATCH 0 data tok
	rr $WATCH 0 control/shutdown sd
	b $TOOLSTACK 1 $TOOLSTACK 2 $TOOLSTACK 3 $TOOLSTACK 4 $TOOLSTACK 5 $TOOLSTACK 6
	b $TAKE $KICK $TAKE
} >"$ring/watch"
{
	b 1 # small limits: the reply ring fills, then requests wait
	i=0
	while [ $i -lt 16 ]; do
		rr $DIRECTORY 0 /local/domain/1
		i=$((i + 1))
	done
	b $KICK $TAKE $KICK $TAKE $KICK $TAKE
} >"$ring/full"
{
	b 0
	b $RAW 5 1 0 0 0 9
	b $RECONNECT
	rr_write 0 data/long "$(printf '%1500s' '' | tr ' ' x)"
	rr $READ 0 data/long
	b $KICK $TAKE $KICK $TAKE
} >"$ring/reconnect"

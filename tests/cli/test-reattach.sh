#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# xl block-detach and block-attach of a running domain's disk, natively
# and under the emulated arm64 CPU: the guest (bootargs
# blk-selftest blk-reattach) keeps reads in flight on its disk until
# `xensim block-detach` takes it away, checks every request ended and
# the device refuses new ones, then waits for `xensim block-attach` and
# runs the block self-check on the new vbd. The model must have had
# requests in flight at the detach, the run must power off, and the image
# must hold the pattern byte for byte. Then the commands' refusals. Run
# from the top of the tree; one line per check, then the counts.
set -u
XENSIM=${XENSIM:-build/san/xensim}
BLKPATTERN=${BLKPATTERN:-build/blkpattern}
IMAGE=${IMAGE:-build/arm64/Image}
W=$(mktemp -d)
out=$W/out
xpid=
cleanup() {
	[ -n "$xpid" ] && kill "$xpid" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
. "$(dirname "$0")/../lib/checks.sh"
SHOW_LINES=25

# wait_line FILE ERE: true once FILE has a line matching ERE (60 s at
# most: the guest's own progress, not a timing, decides the outcome).
wait_line() {
	n=0
	while ! grep -Eq "$2" "$1" 2>/dev/null; do
		[ "$n" -ge 600 ] && return 1
		kill -0 "$xpid" 2>/dev/null || return 1
		sleep 0.1
		n=$((n + 1))
	done
}

# cycle NAME [KERNEL]: one run, detached and attached again.
cycle() {
	name=$1 kernel=${2:-}
	img=$W/$name.img ctl=$W/$name.ctl
	rm -f "$img"
	truncate -s 1M "$img"
	{
		echo "name = \"$name\""
		echo "memory = 64"
		echo "cmdline = \"blk-selftest blk-reattach\""
		[ -n "$kernel" ] && echo "kernel = \"$kernel\""
		echo "disk = [ \"format=raw, vdev=xvda, access=rw, target=$img\" ]"
	} >"$W/$name.cfg"
	"$XENSIM" run --max-insns 4000000000 --control "$ctl" "$W/$name.cfg" \
		>"$out" 2>&1 </dev/null &
	xpid=$!
	if ! wait_line "$out" '^\(d1\) blk-reattach: .* takes it away'; then
		bad_showing "$name" "the guest never held its disk open"
		kill "$xpid" 2>/dev/null
		wait "$xpid"
		xpid=
		return
	fi
	"$XENSIM" block-detach --control "$ctl" --wait 60 xvda >"$W/detach" 2>&1
	det=$?
	wait_line "$out" '^\(d1\) blk-reattach: detached'
	"$XENSIM" block-attach --control "$ctl" --wait 60 \
		"vdev=xvda, access=rw, target=$img" >"$W/attach" 2>&1
	att=$?
	wait "$xpid"
	rc=$?
	xpid=
	cat "$W/detach" "$W/attach" >>"$out"
	if [ "$det" -ne 0 ] || [ "$att" -ne 0 ] || [ "$rc" -ne 0 ]; then
		bad_showing "$name" "block-detach $det, block-attach $att, run $rc"
	elif ! grep -Eq '^d1: detaching vbd 51712 \(xvda\) with [1-9][0-9]* request\(s\) in flight' "$W/detach"; then
		bad_showing "$name" "no request in flight at the detach"
	elif ! grep -q '^(d1) blk-reattach: [1-9][0-9]* passed, 0 failed' "$out" ||
		[ "$(grep -c '^(d1) blk-selftest: [1-9][0-9]* passed, 0 failed' "$out")" -ne 2 ]; then
		bad_showing "$name" "the reattach check or a self-check did not pass"
	elif grep -q Sanitizer "$out"; then
		bad_showing "$name" "a sanitizer report"
	elif ! "$BLKPATTERN" check "$img" >"$W/check" 2>&1; then
		bad_showing "$name" "image: $(cat "$W/check")"
	else
		ok "$name: detached with $(sed -n 's/.* with \([0-9]*\) request.*/\1/p' "$W/detach") read(s) in flight, attached, self-check passed, image holds the pattern"
	fi
}

cycle native
cycle arm64 "$PWD/$IMAGE"

# ---- refusals ----
# refused NAME PATTERN ARGS...: exit 1 and PATTERN on the output.
refused() {
	name=$1 pattern=$2
	shift 2
	"$XENSIM" "$@" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q -- "$pattern" "$out"; then
		ok "$name"
	else
		bad_showing "$name" "exit $rc (want 1), no \"$pattern\""
	fi
}
refused "block-detach without --control" "usage: xensim block-detach" \
	block-detach xvda
refused "block-attach with no run" "cannot connect" \
	block-attach --control "$W/nobody" "vdev=xvda, target=$W/x.img"

# A run whose guest waits on its console: a disk it has not, a bad spec
# and a second xvda are refused; the run goes on and ends as it would.
truncate -s 1M "$W/plain.img"
cat >"$W/plain.cfg" <<CFG
name = "plain"
memory = 64
cmdline = "console-echo"
disk = [ "format=raw, vdev=xvda, access=rw, target=$W/plain.img" ]
CFG
"$XENSIM" run --max-insns "$BUDGET" --console "unix:$W/cons" \
	--control "$W/ctl" "$W/plain.cfg" >"$W/plain.out" 2>&1 </dev/null &
xpid=$!
n=0
while [ ! -S "$W/ctl" ] && [ "$n" -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
refused "block-detach of a disk the domain has not" "error: no disk xvdb on d1" \
	block-detach --control "$W/ctl" xvdb
refused "block-attach of a bad DISKSPEC" "error: " \
	block-attach --control "$W/ctl" "vdev=, target="
refused "block-attach of a vdev the domain has" "error: d1 already has a disk xvda" \
	block-attach --control "$W/ctl" "vdev=xvda, target=$W/plain.img"
kill "$xpid" 2>/dev/null
wait "$xpid"
xpid=
finish

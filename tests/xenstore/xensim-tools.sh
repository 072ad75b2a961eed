#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Debian's xenstore tools against a guest while it runs in xensim: the
# guest stays up until the toolstack asks it to stop (bootarg
# wait-shutdown), xenstore-ls and -read show what the toolstack and the
# guest wrote, and xenstore-write of control/shutdown ends the run with the
# reason asked for. Native and arm64 (Unicorn). One line per check; ends
# "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
IMAGE=${IMAGE:-build/arm64/Image}
pass=0
fail=0
ok()  { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

tmp=$(mktemp -d /tmp/xensim-tools.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

for tool in xenstore-ls xenstore-read xenstore-write timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		bad "$tool installed"
		echo "$pass passed, $fail failed, 0 skipped"
		exit 1
	fi
done

# wait_for FILE PATTERN: bounded poll until the guest printed PATTERN.
wait_for() {
	tries=0
	while ! grep -q -- "$2" "$1" 2>/dev/null; do
		tries=$((tries + 1))
		if [ "$tries" -ge 400 ] || ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.05
	done
}

# session NAME REQUEST WANT_EXIT KERNEL-ARGS...
session() {
	name=$1 request=$2 want=$3
	shift 3
	sock=$tmp/$name.sock
	out=$tmp/$name.out
	"$XENSIM" run --max-insns 100000000 --xenstore-socket "$sock" \
		--bootargs wait-shutdown "$@" \
		>"$out" 2>&1 &
	pid=$!
	if wait_for "$out" "waiting for control/shutdown" && [ -S "$sock" ]; then
		ok "$name: guest up and waiting, socket there"
	else
		bad "$name: guest up and waiting"; sed 's/^/     /' "$out"
		kill "$pid" 2>/dev/null; pid=; return
	fi
	export XENSTORED_PATH=$sock
	ls=$(timeout 20 xenstore-ls /local/domain/1 2>&1)
	if printf '%s\n' "$ls" | grep -q '^name = "guest"' &&
	   printf '%s\n' "$ls" | grep -q 'feature-poweroff = "1"'; then
		ok "$name: xenstore-ls shows the toolstack's and the guest's nodes"
	else
		bad "$name: xenstore-ls: $ls"
	fi
	if [ "$(timeout 20 xenstore-read /local/domain/1/domid)" = 1 ]; then
		ok "$name: xenstore-read domid"
	else
		bad "$name: xenstore-read domid"
	fi
	timeout 20 xenstore-write /local/domain/1/control/shutdown "$request"
	# The guest acts on the request by itself; bound the wait.
	tries=0
	while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 400 ]; do
		tries=$((tries + 1))
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		bad "$name: guest did not stop after \"$request\""
		kill "$pid"
		pid=
		return
	fi
	wait "$pid"
	rc=$?
	pid=
	if [ "$rc" -eq "$want" ] && grep -q "$request requested" "$out"; then
		ok "$name: \"$request\" ends the run with exit $want"
	else
		bad "$name: \"$request\" gave exit $rc (want $want)"
		sed 's/^/     /' "$out"
	fi
	if [ ! -e "$sock" ]; then
		ok "$name: socket removed at exit"
	else
		bad "$name: socket left behind"
	fi
}

session native poweroff 0 --native
session native-reboot reboot 3 --native
session arm64 poweroff 0 "$IMAGE"

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

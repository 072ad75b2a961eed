#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The guest's PV console end to end: bootarg console-echo makes the guest
# print a prompt after its battery, read one line from its console ring and
# say it back. console_client (tests/console/console_client.c) starts
# xensim, connects where xensim says the console is, waits for the prompt
# and types the line: natively, under arm64 and under arm32 (ARM and
# Thumb-2), over a unix socket, loopback TCP and a pty. Also: what
# --console refuses, a unix socket removed at exit, stdin input in stdio
# mode, and a guest waiting for input that can never come. Run from the
# top of the tree; one line per check, ends "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
CLIENT=${CONSOLE_CLIENT:-build/console/console_client}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
ZIMAGE_THUMB=${ZIMAGE_THUMB:-build/arm32/zImage-thumb}
CLIENT_OPTS=
# xensim run has no instruction budget by default: a test gives one, so
# a guest stuck in a loop ends.
BUDGET=${BUDGET:-100000000}
pass=0
fail=0
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() {
	fail=$((fail + 1))
	echo "FAIL $1: $2"
	for f in "$W/out" "$W/err"; do
		[ -s "$f" ] && sed 's/^/     /' "$f"
	done
}

# echo_run NAME LINE XENSIM-ARGS...: the client types LINE; the guest must
# say it back on the console, pass its battery and power off.
echo_run() {
	name=$1 line=$2
	shift 2
	"$CLIENT" $CLIENT_OPTS "$line" -- "$XENSIM" run --max-insns "$BUDGET" \
		--bootargs console-echo "$@" \
		>"$W/out" 2>"$W/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		bad "$name" "exit $rc"
	elif ! grep -qx "console: echo $line" "$W/out"; then
		bad "$name" "no \"console: echo $line\" on the console"
	elif [ -z "$CLIENT_OPTS" ] &&
		! grep -q '^selftest: .* 0 failed' "$W/out"; then
		bad "$name" "the battery's result did not come over the console"
	elif grep -q '^(d1) ' "$W/out"; then
		bad "$name" "prefixed lines in the raw console stream"
	else
		ok "$name"
	fi
}

echo_run "native over a unix socket" "hello from unix" \
	--console "unix:$W/native.sock" --native
if [ -e "$W/native.sock" ]; then
	bad "unix socket removed at exit" "$W/native.sock is still there"
else
	ok "unix socket removed at exit"
fi
echo_run "arm64 over a unix socket" "typed at arm64" \
	--console "unix:$W/arm64.sock" "$IMAGE"
echo_run "arm32 over a unix socket" "typed at arm32" \
	--console "unix:$W/arm32.sock" "$ZIMAGE"
echo_run "thumb over a pty" "typed at thumb" --console pty "$ZIMAGE_THUMB"
echo_run "native over loopback tcp" "tcp line" --console tcp:127.0.0.1:0 \
	--native
echo_run "native over a pty" "pty line" --console pty --native
echo_run "arm64 over tcp, another seed" "seeded" --console tcp:localhost:0 \
	--seed 7 "$IMAGE"

# The guest's early lines (before its ring was up) stay on stdout.
"$CLIENT" "x" -- "$XENSIM" run --bootargs console-echo \
	--console "unix:$W/early.sock" --native >"$W/out" 2>"$W/err"
if grep -q '^(d1) xensim guest: running on Xen' "$W/err" &&
	! grep -q 'xensim guest: running on Xen' "$W/out"; then
	ok "early console_io lines stay on stdout"
else
	bad "early console_io lines stay on stdout" "banner not on stdout only"
fi

# A client that hangs up and comes back gets the console again (what was
# sent to its first connection is that connection's).
CLIENT_OPTS=--reconnect
echo_run "a client reconnects" "back again" --console "unix:$W/re.sock" \
	--native
echo_run "tcp client reconnects, arm64" "back on tcp" \
	--console tcp:127.0.0.1:0 "$IMAGE"
CLIENT_OPTS=

# A live socket is never replaced.
"$CLIENT" --check-busy "busy" -- "$XENSIM" run --bootargs console-echo \
	--console "unix:$W/busy.sock" --native >"$W/out" 2>"$W/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "is a live socket" "$W/err"; then
	ok "live unix socket not replaced"
else
	bad "live unix socket not replaced" "exit $rc"
fi

# A dead socket (its server killed) is replaced.
"$CLIENT" --make-stale "$W/stale.sock"
echo_run "stale unix socket replaced" "after a crash" \
	--console "unix:$W/stale.sock" --native

# expect NAME WANTED_EXIT PATTERN -- ARGS...: exit code and a message.
expect() {
	name=$1 want=$2 pattern=$3
	shift 4
	"$XENSIM" "$@" >"$W/out" 2>"$W/err" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && cat "$W/out" "$W/err" | grep -q -- "$pattern"
	then
		ok "$name"
	else
		bad "$name" "exit $rc (want $want)"
	fi
}

echo "not a socket" >"$W/file"
expect "a file at the socket path is refused" 1 "exists and is not a socket" \
	-- run --console "unix:$W/file" --native
if [ "$(cat "$W/file")" = "not a socket" ]; then
	ok "the refused file is left alone"
else
	bad "the refused file is left alone" "it changed"
fi
expect "tcp on another address is refused" 1 "loopback address only" \
	-- run --console tcp:0.0.0.0:4000 --native
expect "tcp on a name is refused" 1 "loopback address only" \
	-- run --console tcp:example.org:4000 --native
expect "tcp port out of range" 1 "not a number from 0 to 65535" \
	-- run --console tcp:127.0.0.1:70000 --native
expect "unknown console mode" 1 "wants stdio, pty, unix:PATH" \
	-- run --console serial --native
expect "console-echo with no input source is a deadlock" 5 \
	"idle with nothing to wake it" -- run --bootargs console-echo --native
expect "default console keeps (d1) lines" 0 "^(d1) selftest: .* 0 failed" \
	-- run --native

# stdio mode: the line comes from stdin (a pipe, then a file).
printf 'from a pipe\n' | "$XENSIM" run --console stdio \
	--bootargs console-echo --native >"$W/out" 2>"$W/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -qx '(d1) console: echo from a pipe' "$W/out"; then
	ok "stdio input from a pipe"
else
	bad "stdio input from a pipe" "exit $rc"
fi
printf 'from a file\r\n' >"$W/in"
"$XENSIM" run --max-insns "$BUDGET" --console stdio --bootargs console-echo "$IMAGE" \
	<"$W/in" >"$W/out" 2>"$W/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -qx '(d1) console: echo from a file' "$W/out"; then
	ok "stdio input from a file, arm64"
else
	bad "stdio input from a file, arm64" "exit $rc"
fi

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

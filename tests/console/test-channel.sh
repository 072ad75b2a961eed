#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Channels (secondary PV consoles, xl.cfg `channel` and --channel) end to
# end: bootarg channel-echo makes the guest connect to each
# device/console/N, say "channel NAME: type a line" on it, read a line and
# say it back there. console_client (tests/console/console_client.c)
# starts xensim, connects where xensim says the channel is (a unix socket
# or a pty), waits for the prompt and types the line: natively, under
# arm64 (from a config file) and arm32 (ARM and Thumb-2); two channels at
# once; the xenstore nodes libxl writes for channels, read with Debian's
# xenstore-ls; a channel across suspends and resumes (native, arm64).
# Also: bad specs and clashes, from a file or --channel, are
# refused with the file, line and key or the option named. Run from the top of the tree; one line per check, ends
# "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
CLIENT=${CONSOLE_CLIENT:-build/console/console_client}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
ZIMAGE_THUMB=${ZIMAGE_THUMB:-build/arm32/zImage-thumb}
# xensim run has no instruction budget by default: a test gives one.
BUDGET=${BUDGET:-100000000}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
out=$W/err
. "$(dirname "$0")/../lib/checks.sh"

# channel_run NAME CHANNEL LINE XENSIM-ARGS...: the client types LINE on
# channel CHANNEL; the guest must say it back on the channel and log it on
# console 0, then power off.
channel_run() {
	name=$1 chan=$2 line=$3
	shift 3
	"$CLIENT" --on " channel $chan on " --prompt "channel $chan: type a line" \
		"$line" -- "$XENSIM" run --max-insns "$BUDGET" "$@" \
		>"$W/out" 2>"$W/err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		bad_showing "$name" "exit $rc"
	elif ! grep -qx "channel $chan: echo $line" "$W/out"; then
		bad_showing "$name" "no \"channel $chan: echo $line\" on the channel"
	elif ! grep -q "^(d1) channel: $chan echo $line\$" "$W/err"; then
		bad_showing "$name" "console 0 did not log the echo"
	elif grep -q "selftest\|Sanitizer" "$W/out"; then
		bad_showing "$name" "console 0 or a sanitizer on the channel"
	else
		ok "$name"
	fi
}

channel_run "native over a unix socket (--channel)" org.xensim.native \
	"hello channel" --bootargs channel-echo \
	--channel "name=org.xensim.native,connection=socket,path=$W/n.sock" \
	--native
if [ -e "$W/n.sock" ]; then
	bad "channel socket removed at exit" "$W/n.sock is still there"
else
	ok "channel socket removed at exit"
fi
channel_run "native over a pty" org.xensim.pty "pty line" \
	--bootargs channel-echo --channel name=org.xensim.pty,connection=pty \
	--native

# From a config file, as xl.cfg(5) writes it.
cat >"$W/a64.cfg" <<CFG
kernel = "$IMAGE"
extra = "channel-echo"
channel = [ 'name=org.xensim.cfg, connection=socket, path=$W/a64.sock' ]
CFG
channel_run "arm64 from a config file" org.xensim.cfg "typed at arm64" \
	"$W/a64.cfg"
channel_run "arm32 over a unix socket" org.xensim.a32 "typed at arm32" \
	--bootargs channel-echo \
	--channel "name=org.xensim.a32,connection=socket,path=$W/a32.sock" \
	"$ZIMAGE"
channel_run "thumb over a pty" org.xensim.t32 "typed at thumb" \
	--bootargs channel-echo --channel name=org.xensim.t32,connection=pty \
	"$ZIMAGE_THUMB"

# Across suspends (--suspend-resume, bootarg channel-suspend): the end and
# its client stay, the device is written again in the new domain's tree,
# the guest reconnects after each resume; what it says before, between and
# after reaches the client, and a line typed after the first resume comes
# back.
suspend_run() {
	name=$1 chan=$2
	shift 2
	channel_run "$name" "$chan" "typed after a resume" --suspend-resume \
		--suspend-cycles 2 --bootargs channel-suspend "$@"
	for said in "before the suspend" "resumed 1" "resumed 2"; do
		if ! grep -qx "channel $chan: $said" "$W/out"; then
			bad_showing "$name: across" "no \"channel $chan: $said\" on the channel"
			return
		fi
	done
	if grep -q "channel-suspend: [1-9][0-9]* passed, 0 failed" "$W/err"; then
		ok "$name: across two suspends"
	else
		bad_showing "$name: across" "a channel-suspend step failed"
	fi
}
suspend_run "native across suspends" org.xensim.sr \
	--channel "name=org.xensim.sr,connection=socket,path=$W/sr.sock" --native
suspend_run "arm64 across suspends over a pty" org.xensim.srpty \
	--channel name=org.xensim.srpty,connection=pty "$IMAGE"

# Two channels: the second is device/console/2; the guest echoes on both
# in turn (the first from the file, the second from --channel), a second
# client typing on the second.
printf 'channel = [ "name=first, connection=socket, path=%s" ]\n' \
	"$W/1.sock" >"$W/two.cfg"
"$CLIENT" --prompt "channel second: type a line" --connect "unix:$W/2.sock" \
	two >"$W/out2" 2>"$W/err2" &
second=$!
"$CLIENT" --on " channel first on " --prompt "channel first: type a line" \
	one -- "$XENSIM" run --max-insns "$BUDGET" --bootargs channel-echo \
	--channel "name=second,connection=socket,path=$W/2.sock" --native \
	"$W/two.cfg" >"$W/out" 2>"$W/err"
rc=$?
wait "$second"
rc2=$?
if [ "$rc" -eq 0 ] && [ "$rc2" -eq 0 ] &&
   grep -q "^(d1) channel: first echo one" "$W/err" &&
   grep -q "^(d1) channel: second echo two" "$W/err" &&
   grep -q "device/console/2 (second) connected" "$W/err" &&
   grep -qx "channel second: echo two" "$W/out2"; then
	ok "two channels: device/console/1 and 2, each echoes"
else
	cat "$W/err2" >>"$W/err"
	bad_showing "two channels: device/console/1 and 2, each echoes" \
		"exit $rc and $rc2"
fi

# The nodes libxl writes for channels, read with Debian's xenstore-ls
# while the guest waits for control/shutdown.
rm -f "$W/xs.sock"
"$XENSIM" run --max-insns "$BUDGET" --xenstore-socket "$W/xs.sock" \
	--bootargs wait-shutdown \
	--channel "name=org.xensim.s,connection=socket,path=$W/s.sock" \
	--channel name=org.xensim.p,connection=pty --native \
	>"$W/xs.out" 2>&1 </dev/null &
xensim=$!
tries=0
while ! grep -q "waiting for control/shutdown" "$W/xs.out" 2>/dev/null &&
      kill -0 "$xensim" 2>/dev/null && [ "$tries" -lt 1200 ]; do
	sleep 0.05
	tries=$((tries + 1))
done
pty=$(sed -n 's/^xensim: d1 channel org.xensim.p on //p' "$W/xs.out")
XENSTORED_PATH=$W/xs.sock xenstore-ls -f /local/domain >"$W/ls" 2>&1
XENSTORED_PATH=$W/xs.sock xenstore-write /local/domain/1/control/shutdown \
	poweroff >/dev/null 2>&1
wait "$xensim"
rc=$?
fe=/local/domain/1/device/console be=/local/domain/0/backend/console/1
missing=
for node in "$fe/1/name = \"org.xensim.s\"" "$fe/1/type = \"ioemu\"" \
	    "$fe/1/limit = \"1048576\"" \
	    "$fe/1/output = \"chardev:libxl-channel1\"" "$fe/1/tty = \"\"" \
	    "$be/1/name = \"org.xensim.s\"" "$be/1/connection = \"socket\"" \
	    "$be/1/path = \"$W/s.sock\"" "$fe/2/name = \"org.xensim.p\"" \
	    "$fe/2/output = \"pty\"" "$fe/2/tty = \"$pty\"" \
	    "$be/2/connection = \"pty\""; do
	grep -qxF "$node" "$W/ls" || missing="$missing [$node]"
done
case $pty in /dev/pts/*) ;; *) missing="$missing [a pty named on stderr]" ;; esac
if [ "$rc" -eq 0 ] && [ -z "$missing" ] && ! grep -q "$be/2/path" "$W/ls"
then
	ok "xenstore holds libxl's channel nodes"
else
	cat "$W/xs.out" "$W/ls" >"$W/err"
	bad_showing "xenstore holds libxl's channel nodes" \
		"exit $rc; missing:$missing"
fi

# Refused, with the place named: the file, its line and the key, or the
# option.
printf 'name = "x"\n\nchannel = [ "name=a, connection=tcp" ]\n' >"$W/bad.cfg"
expect "bad connection in a config" 1 "$W/bad.cfg:3: channel: 'name=a, connection=tcp': connection=tcp: want pty or socket" \
	-- run --native "$W/bad.cfg"
printf 'channel = [ "connection=pty" ]\n' >"$W/noname.cfg"
expect "channel without a name" 1 "noname.cfg:1: channel: 'connection=pty': no name" \
	-- run --native "$W/noname.cfg"
printf 'channel = [ "name=a, connection=pty, colour=red" ]\n' >"$W/key.cfg"
expect "unknown channel key" 1 'key.cfg:1: channel: .*unknown key "colour"' \
	-- run --native "$W/key.cfg"
printf 'channel = [ "name=a, connection=pty", "name=a, connection=pty" ]\n' \
	>"$W/dup.cfg"
expect "one name twice" 1 "dup.cfg:1: channel: .*channel name a used twice" \
	-- run --native "$W/dup.cfg"
expect "--channel socket without a path" 1 "\-\-channel 'name=a,connection=socket': connection=socket needs path=PATH" \
	-- run --native --channel name=a,connection=socket
expect "--channel path for a pty" 1 "path= is for connection=socket" \
	-- run --native --channel "name=a,connection=pty,path=$W/p"
printf 'channel = [ "name=a, connection=pty" ]\n' >"$W/one.cfg"
expect "--channel clashes with the file" 1 "channel name a used twice" \
	-- run --native --channel name=a,connection=pty "$W/one.cfg"
expect "channel without xenstore" 1 "PV channels need xenstore" \
	-- run --native --no-xenstore --channel name=a,connection=pty
: >"$W/file"
expect "a file at the socket path" 1 "channel a: .*exists and is not a socket" \
	-- run --native --channel "name=a,connection=socket,path=$W/file"

finish

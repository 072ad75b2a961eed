#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Xen's console keys in xensim: Ctrl-a three times switches the first
# console's input to the model's Xen console and back; the dumps of h q e
# g d 0 a t have the field structure of real Xen 4.17's (the captures in
# fixtures/xen-debug-keys/*.console, from tests/interop/
# capture-debug-keys.sh; shapes the captures lack come from Xen's source,
# fixtures/xen-debug-keys/source.shapes); w, *, R; the same dumps through
# the control socket (xensim debug-keys) and at exit (--dump-on-exit); what
# is refused. Run from the top of the tree; one line per check, ends
# "N passed, N failed, N skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
CLIENT=${CONSOLE_CLIENT:-build/console/console_client}
IMAGE=${IMAGE:-build/arm64/Image}
ZIMAGE=${ZIMAGE:-build/arm32/zImage}
FIX=fixtures/xen-debug-keys
SHAPES="awk -f tests/cli/keys-shapes.awk"
BUDGET=${BUDGET:-100000000}
pass=0
fail=0
W=$(mktemp -d)
xpid=
trap '[ -n "$xpid" ] && kill "$xpid" 2>/dev/null; rm -rf "$W"' EXIT

ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() {
	fail=$((fail + 1))
	echo "FAIL $1: $2"
	[ $# -gt 2 ] && [ -s "$3" ] && tail -n 15 "$3" | sed 's/^/     /'
}

CTRL_A3=$(printf '\001\001\001')

# keys_run OUT KERNEL INPUT: a console-echo guest fed INPUT on stdin.
keys_run() {
	printf '%s' "$3" >"$W/in"
	"$XENSIM" run --max-insns "$BUDGET" --console stdio \
		--bootargs console-echo "$2" <"$W/in" >"$1" 2>&1
}

# ---- switching the input ----
keys_run "$W/a64" "$IMAGE" "${CTRL_A3}hqegd0at${CTRL_A3}hello
"
rc=$?
if [ "$rc" -ne 0 ]; then
	bad "switch: run" "exit $rc" "$W/a64"
elif ! grep -qx "(XEN) \*\*\* Serial input to Xen (type 'CTRL-a' three times to switch input)" "$W/a64" ||
	! grep -qx "(XEN) \*\*\* Serial input to DOM1 (type 'CTRL-a' three times to switch input)" "$W/a64"; then
	bad "switch: Ctrl-a x3 to Xen and back" "no switch lines" "$W/a64"
elif ! grep -qx '(d1) console: echo hello' "$W/a64"; then
	bad "switch: the guest's line is whole" "no \"console: echo hello\"" "$W/a64"
else
	ok "switch: Ctrl-a x3 to Xen and back, the guest's line untouched"
fi

# ---- field structure against real Xen ----
cat "$FIX"/*.console | $SHAPES | sort -u >"$W/real.shapes"
grep -v '^#' "$FIX/source.shapes" | sort -u >"$W/source.shapes"
sort -u "$W/real.shapes" "$W/source.shapes" >"$W/known.shapes"
$SHAPES "$W/a64" | sort -u >"$W/a64.shapes"
for key in h q e g d 0 a t; do
	grep "^$key	" "$W/a64.shapes" >"$W/mine" || true
	if [ ! -s "$W/mine" ]; then
		bad "shape '$key'" "xensim printed no '$key' dump" "$W/a64"
		continue
	fi
	# Every line of ours must be a line Xen prints; the header too.
	comm -23 "$W/mine" "$W/known.shapes" >"$W/extra"
	head=$(cat "$FIX"/*.console | $SHAPES | grep "^$key	" | head -n 1)
	if [ -s "$W/extra" ]; then
		bad "shape '$key'" "lines real Xen 4.17 never prints" "$W/extra"
	elif ! grep -qxF "$head" "$W/mine"; then
		bad "shape '$key'" "no header like Xen's: $head" "$W/mine"
	else
		ok "shape '$key': $(wc -l <"$W/mine") line shapes, each one of Xen 4.17's"
	fi
done
# 'h' lists our keys with Xen's own words, byte for byte.
grep "^(XEN)  key " "$W/a64" | sort -u >"$W/help"
grep -h "^(XEN)  key " "$FIX"/*.console | sort -u >"$W/help.real"
if [ "$(wc -l <"$W/help")" -ne 11 ]; then
	bad "help lists the 11 keys" "$(wc -l <"$W/help") lines" "$W/help"
elif comm -23 "$W/help" "$W/help.real" | grep -q .; then
	bad "help lines are Xen's" "lines Xen does not print" "$W/help"
else
	ok "help lists the 11 keys, each line as Xen 4.17 prints it"
fi
# An arm32 guest's registers: Xen's 32-bit layout.
keys_run "$W/a32" "$ZIMAGE" "${CTRL_A3}d${CTRL_A3}hello
"
$SHAPES "$W/a32" | grep '^d	' | sort -u >"$W/a32.shapes"
comm -23 "$W/a32.shapes" "$W/known.shapes" >"$W/extra"
if ! grep -q "MODE:N-bit Guest SVC" "$W/a32.shapes"; then
	bad "shape 'd' arm32" "no 32-bit register dump" "$W/a32"
elif [ -s "$W/extra" ]; then
	bad "shape 'd' arm32" "lines real Xen 4.17 never prints" "$W/extra"
else
	ok "shape 'd' arm32: Xen's 32-bit register layout"
fi

# ---- determinism: the same input, the same dumps ----
keys_run "$W/a64.again" "$IMAGE" "${CTRL_A3}hqegd0at${CTRL_A3}hello
"
if cmp -s "$W/a64" "$W/a64.again"; then
	ok "same input, same dumps"
else
	bad "same input, same dumps" "the runs differ" "$W/a64.again"
fi

# ---- w, *, R ----
keys_run "$W/w" "$IMAGE" "${CTRL_A3}w${CTRL_A3}hello
"
n=$(grep -c '^(d1) xensim guest: running on Xen' "$W/w")
if grep -q "^(XEN) 'w' pressed -> dumping console ring buffer (dmesg)$" "$W/w" &&
	[ "$n" -eq 2 ]; then
	ok "w: the console ring again"
else
	bad "w: the console ring again" "banner seen $n times" "$W/w"
fi
keys_run "$W/all" "$IMAGE" "${CTRL_A3}*${CTRL_A3}hello
"
order=$(grep -o '^(XEN) \[[0-9a-z]: ' "$W/all" | cut -c8 | tr -d '\n')
if [ "$order" = d0aegqt ]; then
	ok "*: every diagnostic key, IRQ ones first, as Xen orders them"
else
	bad "*: every diagnostic key" "order \"$order\", want d0aegqt" "$W/all"
fi
keys_run "$W/r" "$IMAGE" "${CTRL_A3}R"
rc=$?
if [ "$rc" -eq 3 ] && grep -q "^(XEN) 'R' pressed -> rebooting machine$" "$W/r"; then
	ok "R: the machine reboots (exit 3)"
else
	bad "R: the machine reboots (exit 3)" "exit $rc" "$W/r"
fi

# ---- --dump-on-exit ----
"$XENSIM" run --max-insns "$BUDGET" --dump-on-exit "$IMAGE" >"$W/exit" 2>&1
rc=$?
after=$(sed -n '/^(d1) xensim guest: powering off$/,$p' "$W/exit" |
	grep -c "^(XEN) 'q' pressed\|^(XEN) 'e' pressed\|^(XEN) gnttab_usage_print_all \[")
if [ "$rc" -eq 0 ] && [ "$after" -eq 3 ]; then
	ok "--dump-on-exit: q, e and g after the guest's last line"
else
	bad "--dump-on-exit" "exit $rc, $after dumps after poweroff" "$W/exit"
fi
"$XENSIM" run --dump-on-exit=qx "$IMAGE" >"$W/bad" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q "no debug key 'x'" "$W/bad"; then
	ok "--dump-on-exit=qx refused: no key x"
else
	bad "--dump-on-exit=qx refused" "exit $rc" "$W/bad"
fi

# ---- the control socket ----
"$XENSIM" run --max-insns "$BUDGET" --console "unix:$W/cons" \
	--control "$W/ctl" --bootargs console-echo "$IMAGE" \
	>"$W/ctl.out" 2>"$W/ctl.err" &
xpid=$!
n=0
while [ ! -S "$W/ctl" ] && [ "$n" -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
"$XENSIM" debug-keys --control "$W/ctl" --wait 60 qe >"$W/dk" 2>"$W/dk.err"
dk=$?
"$CLIENT" --connect "unix:$W/cons" hello >"$W/cons.out" 2>&1
wait "$xpid"
rc=$?
xpid=
if [ "$dk" -ne 0 ] || [ "$rc" -ne 0 ]; then
	bad "debug-keys over --control" "debug-keys $dk, run $rc" "$W/dk.err"
elif ! grep -q "^(XEN) 'q' pressed -> dumping domain info" "$W/dk" ||
	! grep -q "^(XEN) Event channel information for domain 1:" "$W/dk"; then
	bad "debug-keys over --control" "no q and e dumps" "$W/dk"
elif ! grep -qx 'console: echo hello' "$W/cons.out"; then
	bad "debug-keys over --control" "the guest did not go on" "$W/cons.out"
elif [ -e "$W/ctl" ]; then
	bad "debug-keys over --control" "socket left behind"
else
	ok "debug-keys over --control: q and e dumps, the guest goes on"
fi
"$XENSIM" debug-keys --control "$W/nobody" q >"$W/dk" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'cannot connect' "$W/dk"; then
	ok "debug-keys without a run: exit 1, cannot connect"
else
	bad "debug-keys without a run" "exit $rc" "$W/dk"
fi
: >"$W/plain"
"$XENSIM" run --control "$W/plain" "$IMAGE" >"$W/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'not a socket' "$W/out"; then
	ok "--control on a plain file refused"
else
	bad "--control on a plain file refused" "exit $rc" "$W/out"
fi

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Real clients against the model's xenstored: Debian's xenstore-utils and
# Xen's own test-xenstore talk to build/san/xenstored-sim over a unix socket
# (XENSTORED_PATH), as a user would. Then xs-guest-peer plays an unprivileged
# guest on a ring the daemon maps from a file (--ring-dir). One line per check; test-xenstore's
# twelve tests are judged one by one, by name, from its own output. Ends
# with "N passed, N failed, N skipped".
#
# Environment (mk/xenstore.mk's wrapper sets them; the defaults suit a
# checkout built with the default BUILD=build):
#   XS_DAEMON  the daemon binary                           (build/san/xenstored-sim)
#   XS_DEBS    test-xenstore in bin/, the libraries it loads in lib/  (build/debs)
#   XS_GUEST_PEER  the guest harness        (build/xenstore/xs-guest-peer)
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
daemon=${XS_DAEMON:-$root/build/san/xenstored-sim}
debs=${XS_DEBS:-$root/build/debs}
test_xenstore=$debs/bin/test-xenstore

pass=0
fail=0
ok()  { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

finish() {
	echo "$pass passed, $fail failed, 0 skipped"
	[ "$fail" -eq 0 ]
	exit $?
}

tmp=$(mktemp -d /tmp/xs-clients.XXXXXX)
sock=$tmp/socket
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

for tool in xenstore-read xenstore-write xenstore-ls xenstore-rm xenstore-watch \
	    xenstore-chmod xenstore-exists xenstore-list timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		bad "$tool is installed (apt-get install xenstore-utils)"
		finish
	fi
done
if [ ! -x "$daemon" ]; then
	bad "daemon $daemon is built"
	finish
fi

# Start the daemon; wait for its socket with a bounded poll.
"$daemon" --socket "$sock" 2>"$tmp/daemon.err" &
daemon_pid=$!
tries=0
while [ ! -S "$sock" ] && [ "$tries" -lt 400 ] && kill -0 "$daemon_pid" 2>/dev/null; do
	tries=$((tries + 1))
	sleep 0.05
done
if [ -S "$sock" ]; then ok "daemon listens on its socket"; else bad "daemon listens on its socket"; finish; fi

export XENSTORED_PATH="$sock"
T="timeout 20"

# check NAME EXPECTED-EXIT EXPECTED-STDOUT CMD...: runs CMD, compares both.
check() {
	name=$1 want_rc=$2 want_out=$3
	shift 3
	out=$("$@" 2>"$tmp/stderr")
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && [ "$out" = "$want_out" ]; then
		ok "$name"
	else
		bad "$name: exit $rc (want $want_rc), output [$out] (want [$want_out]) $(cat "$tmp/stderr")"
	fi
}

# --- read / write ---
check "write a value"                  0 ""          $T xenstore-write /test/a hello
check "read it back"                   0 "hello"     $T xenstore-read /test/a
check "write two keys in one go"       0 ""          $T xenstore-write /test/b 1 /test/c 2
check "read two keys in one go"        0 "1
2"                                                   $T xenstore-read /test/b /test/c
check "read with path prefix"          0 "/test/a: hello" $T xenstore-read -p /test/a
check "read of a missing key fails"    1 ""          $T xenstore-read /test/missing
check "dom0's name from boot"          0 "Domain-0"  $T xenstore-read /local/domain/0/name
check "relative path is dom0's home"   0 ""          $T xenstore-write rel-key here
check "relative key read absolute"     0 "here"      $T xenstore-read /local/domain/0/rel-key
check "escaped value written"          0 ""          $T xenstore-write /test/esc 'tab\there'
check "escaped value read sanitised"   0 'tab\there' $T xenstore-read /test/esc
check "raw read gives the real byte"   0 "$(printf 'tab\there')" $T xenstore-read -R /test/esc

# --- exists ---
check "exists: present node"           0 ""          $T xenstore-exists /test/a
check "exists: missing node"           1 ""          $T xenstore-exists /test/nope

# --- list / ls ---
check "list shows children in order"   0 "a
b
c
esc"                                                 $T xenstore-list /test
check "list with prefix"               0 "/test/a
/test/b
/test/c
/test/esc"                                           $T xenstore-list -p /test
check "ls shows the tree"              0 'a = "hello"
b = "1"
c = "2"
esc = "tab\there"'                                   $T xenstore-ls /test
$T xenstore-write /test/tree/x/y deep >/dev/null 2>&1
check "ls indents subtrees"            0 'x = ""
 y = "deep"'                                         $T xenstore-ls /test/tree
check "ls -f prints full paths"        0 '/test/tree/x = ""
/test/tree/x/y = "deep"'                             $T xenstore-ls -f /test/tree

# --- chmod / permissions ---
check "chmod sets owner and acl"       0 ""          $T xenstore-chmod /test/a b1 r2
out=$($T xenstore-ls -p /test 2>&1)
case "$out" in
*'a = "hello"'*'(b1,r2)'*) ok "ls -p shows the new permissions" ;;
*) bad "ls -p shows the new permissions: [$out]" ;;
esac
case "$out" in
*'b = "1"'*'(n0)'*) ok "ls -p shows inherited permissions" ;;
*) bad "ls -p shows inherited permissions: [$out]" ;;
esac
check "chmod -r recurses"              0 ""          $T xenstore-chmod -r /test/tree r5
out=$($T xenstore-ls -p /test/tree 2>&1)
if [ "$(printf '%s\n' "$out" | grep -c '(r5)')" -eq 2 ]; then
	ok "recursive chmod reached every node"
else
	bad "recursive chmod reached every node: [$out]"
fi

# --- rm ---
check "rm a node"                      0 ""          $T xenstore-rm /test/a
check "it is gone"                     1 ""          $T xenstore-exists /test/a
check "rm of a missing leaf is fine"   0 ""          $T xenstore-rm /test/a
check "rm under a missing parent fails" 1 ""         $T xenstore-rm /test/no/such
$T xenstore-write /test/tidy/p/q leaf >/dev/null 2>&1
check "rm -t removes empty parents"    0 ""          $T xenstore-rm -t /test/tidy/p/q
check "tidied parents are gone"        1 ""          $T xenstore-exists /test/tidy
check "rm a subtree"                   0 ""          $T xenstore-rm /test/tree
check "subtree is gone"                1 ""          $T xenstore-exists /test/tree/x/y

# --- a directory too big for one reply (DIRECTORY_PART) ---
set --
i=0
while [ "$i" -lt 300 ]; do
	set -- "$@" "/big/entry-with-a-long-name-$i" "$i"
	i=$((i + 1))
done
check "write 300 keys in one transaction" 0 ""      $T xenstore-write "$@"
n=$($T xenstore-list /big 2>/dev/null | wc -l)
if [ "$n" -eq 300 ]; then ok "list of 300 children (E2BIG, then DIRECTORY_PART)"; else bad "list of 300 children: got $n"; fi
check "rm the big directory"           0 ""          $T xenstore-rm /big

# --- watch ---
# -n 2: the event at registration, then the one caused by our write.
$T xenstore-watch -n 2 /test/w >"$tmp/watch.out" 2>"$tmp/watch.err" &
watch_pid=$!
tries=0
while [ ! -s "$tmp/watch.out" ] && [ "$tries" -lt 400 ] && kill -0 "$watch_pid" 2>/dev/null; do
	tries=$((tries + 1))
	sleep 0.05
done
if [ "$(cat "$tmp/watch.out")" = "/test/w" ]; then
	ok "watch fires once when registered"
else
	bad "watch fires once when registered: [$(cat "$tmp/watch.out" "$tmp/watch.err")]"
fi
$T xenstore-write /test/w/child x >/dev/null 2>&1
wait "$watch_pid"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(cat "$tmp/watch.out")" = "/test/w
/test/w/child" ]; then
	ok "watch reports a write below it"
else
	bad "watch reports a write below it: exit $rc [$(cat "$tmp/watch.out" "$tmp/watch.err")]"
fi

# --- Xen's own test-xenstore ---
if [ -x "$test_xenstore" ]; then
	LD_LIBRARY_PATH="$debs/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
		$T "$test_xenstore" >"$tmp/tx.out" 2>&1
	rc=$?
	sed 's/^/     | /' "$tmp/tx.out"
	# It prints "NAME: N ns" for each test that passed (NAME padded to
	# ten columns) and something else for one that failed.
	for t in "read 1" "read 2000" "write 1" "write 2000" "dir" "rm node" \
		 "rm dir" "ta empty" "ta empty x" "ta rmw" "ta rmw x" "ta err"; do
		line=$(grep -F "$(printf '%-10s:' "$t")" "$tmp/tx.out")
		if printf '%s\n' "$line" | grep -Eq '^.{10}: [0-9]+ ns$'; then
			ok "test-xenstore $t"
		else
			bad "test-xenstore $t: ${line:-not in its output}"
		fi
	done
	if [ "$rc" -eq 0 ]; then
		ok "test-xenstore exits 0"
	else
		bad "test-xenstore exits 0: exit $rc"
	fi
	check "test-xenstore cleaned up after itself" 1 "" $T xenstore-exists /local/domain/0/xenstore-test
else
	bad "test-xenstore unpacked at $test_xenstore (make $test_xenstore)"
fi

# --- stop the daemon: SIGTERM, clean exit (its leak check included) ---
kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
if [ "$rc" -eq 0 ] && [ ! -e "$sock" ]; then
	ok "daemon exits cleanly on SIGTERM and removes its socket"
else
	bad "daemon exits cleanly on SIGTERM: exit $rc; $(cat "$tmp/daemon.err")"
fi

# --- an unprivileged guest: xs-guest-peer plays domain 5 on a ring the
# daemon maps from a file (--ring-dir), dom0 on the socket ---
guest_peer=${XS_GUEST_PEER:-$root/build/xenstore/xs-guest-peer}
mkdir "$tmp/rings"
"$daemon" --socket "$sock" --ring-dir "$tmp/rings" 2>"$tmp/daemon.err" &
daemon_pid=$!
tries=0
while [ ! -S "$sock" ] && [ "$tries" -lt 400 ] && kill -0 "$daemon_pid" 2>/dev/null; do
	tries=$((tries + 1))
	sleep 0.05
done
if [ ! -x "$guest_peer" ]; then
	bad "xs-guest-peer is built at $guest_peer"
elif [ ! -S "$sock" ]; then
	bad "daemon with --ring-dir listens: $(cat "$tmp/daemon.err")"
else
	timeout 300 "$guest_peer" "$sock" "$tmp/rings" >"$tmp/peer.out" 2>&1
	while read -r word rest; do
		case $word in
		ok) ok "guest ring: $rest" ;;
		FAIL|ERROR) bad "guest ring: $rest" ;;
		esac
	done <"$tmp/peer.out"
	grep -q '^[0-9]* passed, [0-9]* failed, 0 skipped$' "$tmp/peer.out" ||
		bad "guest ring: xs-guest-peer ends with its summary: $(tail -n 3 "$tmp/peer.out")"
fi
kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
if [ "$rc" -eq 0 ]; then
	ok "daemon with a guest ring exits cleanly on SIGTERM"
else
	bad "daemon with a guest ring exits cleanly on SIGTERM: exit $rc; $(cat "$tmp/daemon.err")"
fi

finish

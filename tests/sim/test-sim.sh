#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Seeded fault runs (xensim sim): SIM_SEEDS native seeds (1-200 by
# default) with every fault on, each an "ok seed-N" or "FAIL seed-N" line
# as xensim prints it; SIM_ARM64_SEEDS (1-3) the same under the emulated
# arm64 Image ("arm64-seed-N"); then that a seed run twice gives the same
# trace hash and another seed another one, that a run without faults is
# as it was (no trace hash, no fault), that a failing run names the
# command replaying it, that the watchdog names what a run waited on, and
# that bad options are usage errors. Run from the top of the tree; one
# line per check, then "N passed, N failed, N skipped". Also 40 seeds of
# restart,reclose: a backend closing again while blkfront resubmits.
set -u
XENSIM=${XENSIM:-build/xensim}
ARM64_IMAGE=${ARM64_IMAGE:-build/arm64/Image}
SEEDS=${SIM_SEEDS:-1-200}
ARM64_SEEDS=${SIM_ARM64_SEEDS:-1-3}
FAULTS=${SIM_FAULTS:-all}

pass=0 fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# relay PREFIX FILE: xensim's per-seed lines, renamed with PREFIX, and
# counted; its indented lines (a failing run's console) shown as they are.
relay() {
	while IFS= read -r l; do
		case $l in
		"ok seed-"*) echo "ok $1${l#ok }"; pass=$((pass + 1)) ;;
		"FAIL seed-"*) echo "FAIL $1${l#FAIL }"; fail=$((fail + 1)) ;;
		"    |"*) echo "$l" ;;
		esac
	done <"$2"
}

# seeds NAME PREFIX ARGS...: a block of seeds; its own summary must agree.
seeds() {
	name=$1 prefix=$2
	shift 2
	"$XENSIM" sim "$@" >"$tmp/out" 2>&1 </dev/null
	rc=$?
	relay "$prefix" "$tmp/out"
	n_ok=$(grep -c '^ok seed-' "$tmp/out")
	n_fail=$(grep -c '^FAIL seed-' "$tmp/out")
	if grep -q "^$n_ok passed, $n_fail failed, 0 skipped\$" "$tmp/out" &&
	   [ "$n_fail" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$n_ok" -gt 0 ]; then
		ok "$name: $n_ok seed(s) passed, $n_fail failed"
	else
		bad "$name" "exit $rc, $n_ok ok and $n_fail FAIL lines, summary: $(tail -n 1 "$tmp/out")"
	fi
}

hash_of() {
	sed -n 's/^trace-hash: //p' "$1"
}

seeds native-seeds "" --seeds "$SEEDS" --faults "$FAULTS"
seeds arm64-seeds arm64- --seeds "$ARM64_SEEDS" --faults "$FAULTS" \
	"$ARM64_IMAGE"

# Backends that close again while blkfront reconnects and resubmits after
# a restart: every seed passes, and the reclose is injected in most.
seeds reclose-seeds reclose- --seeds 1-40 --faults restart,reclose
hits=$(grep -c '^ok seed-.*reclose [1-9]' "$tmp/out")
if [ "$hits" -ge 20 ]; then
	ok "reclose-injected: in $hits of 40 seeds"
else
	bad reclose-injected "in $hits of 40 seeds (20 wanted)"
fi

"$XENSIM" sim --seed 7 --faults "$FAULTS" >"$tmp/a" 2>&1
"$XENSIM" sim --seed 7 --faults "$FAULTS" >"$tmp/b" 2>&1
"$XENSIM" sim --seed 8 --faults "$FAULTS" >"$tmp/c" 2>&1
"$XENSIM" sim --seed 7 --faults none >"$tmp/d" 2>&1
a=$(hash_of "$tmp/a") b=$(hash_of "$tmp/b") c=$(hash_of "$tmp/c")
d=$(hash_of "$tmp/d")
if [ -n "$a" ] && [ "$a" = "$b" ] && cmp -s "$tmp/a" "$tmp/b"; then
	ok "same-seed-same-trace: seed 7 twice: trace-hash $a, same console"
else
	bad same-seed-same-trace "seed 7 gave \"$a\" then \"$b\""
fi
if [ -n "$c" ] && [ "$a" != "$c" ] && [ -n "$d" ] && [ "$a" != "$d" ]; then
	ok "other-seed-other-trace: seed 8 $c, seed 7 without faults $d"
else
	bad other-seed-other-trace "seed 7 $a, seed 8 \"$c\", no faults \"$d\""
fi
if grep -q '^ok seed-7: .*faults: none$' "$tmp/d"; then
	ok "faults-none: seed 7 with --faults none injects nothing"
else
	bad faults-none "$(grep '^ok\|^FAIL' "$tmp/d")"
fi

# A plain run has no faults and says nothing of them.
"$XENSIM" run --native --seed 7 --max-insns 100000000 >"$tmp/plain" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -q 'trace-hash\|fault injected' "$tmp/plain"; then
	ok "plain-run-unchanged: xensim run --seed 7 without --faults"
else
	bad plain-run-unchanged "exit $rc; $(grep 'trace-hash\|fault injected' "$tmp/plain" | head -n 2)"
fi
"$XENSIM" run --native --seed 7 --faults all --max-insns 100000000 \
	>"$tmp/run" 2>&1
if grep -q '^trace-hash: [0-9a-f]\{16\}$' "$tmp/run"; then
	ok "run-faults-trace-hash: xensim run --faults all prints its hash"
else
	bad run-faults-trace-hash "$(tail -n 2 "$tmp/run")"
fi

# A run that fails names the command that replays it.
"$XENSIM" sim --seed 3 --max-insns 1000 >"$tmp/fail" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q '^FAIL seed-3: limit reached: .*; replay: build/xensim sim --seed 3 --max-insns 1000$' "$tmp/fail"; then
	ok "failing-seed-replay: the FAIL line ends with the replay command"
else
	bad failing-seed-replay "exit $rc: $(grep '^FAIL' "$tmp/fail")"
fi
# The watchdog (here 1 us of virtual time) says what the run waited on.
"$XENSIM" sim --seed 3 --watchdog 1us >"$tmp/dog" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q '^FAIL seed-3: limit reached: d1: no progress for .* (watchdog), waiting on: vbd 51712: backend state [0-9], frontend state [0-9]' "$tmp/dog"; then
	ok "watchdog-names-the-wait: $(sed -n 's/.*waiting on: \([^;]*\).*/\1/p' "$tmp/dog" | head -n 1)"
else
	bad watchdog-names-the-wait "exit $rc: $(grep '^FAIL' "$tmp/dog")"
fi

for args in "--faults bogus" "--seeds 5-2" "--seed 0" "--watchdog 0"; do
	# shellcheck disable=SC2086
	"$XENSIM" sim $args >"$tmp/usage" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -q '^xensim sim: ' "$tmp/usage"; then
		ok "usage-error: sim $args"
	else
		bad usage-error "sim $args: exit $rc: $(head -n 1 "$tmp/usage")"
	fi
done
"$XENSIM" run --faults bogus >"$tmp/usage" 2>&1
if [ $? -eq 1 ] && grep -q 'unknown fault "bogus"' "$tmp/usage"; then
	ok "usage-error: run --faults bogus"
else
	bad usage-error "run --faults bogus: $(head -n 1 "$tmp/usage")"
fi

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

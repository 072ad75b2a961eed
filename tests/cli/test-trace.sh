#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# xensim run --trace FILE.json and xensim trace-report: a native and an
# arm64 boot with a disk write traces that a strict JSON checker
# (build/trace/trace_check) holds to the Trace Event format (time never
# going back on a track, B/E slices paired) and that show vbd 51712's
# xenbus handshake on both ends, hypercalls, ring traffic both ways,
# block I/O, xenstore requests and events; a seed's trace is the same
# byte for byte; two domains get a process each; a bad path and --seeds
# are refused. trace-report's page is self-contained, has its lanes, and
# headless Chromium lays them out with a size and screenshots it. Run from
# the top of the tree; one line per check, then "N passed, N failed, N
# skipped".
set -u
XENSIM=${XENSIM:-build/san/xensim}
CHECK=${TRACE_CHECK:-build/trace/trace_check}
CHROMIUM=${CHROMIUM:-chromium}
dir=$(mktemp -d)
out=$dir/out
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/../lib/checks.sh"
SHOW_LINES=15
LIMIT=${LIMIT:-180}

disk_cfg() {
	truncate -s 1M "$dir/$1.img"
	{
		echo "name = \"$1\""
		echo "memory = 64"
		echo "cmdline = \"blk-selftest\""
		[ -n "${2:-}" ] && echo "kernel = \"$2\""
		echo "disk = [ \"format=raw, vdev=xvda, access=rw, target=$dir/$1.img\" ]"
	} >"$dir/$1.cfg"
}

# traced NAME TRACE -- RUN_ARGS...: a run that ends 0 and whose trace
# the checker accepts ($dir/NAME.facts holds what it found).
traced() {
	name=$1 trace=$2
	shift 3
	timeout "$LIMIT" "$XENSIM" run --max-insns "$BUDGET" --trace "$trace" \
		"$@" >"$out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -ne 0 ] || grep -q Sanitizer "$out"; then
		bad_showing "$name" "exit $rc"
		return 1
	fi
	if ! "$CHECK" "$trace" >"$dir/$name.facts" 2>"$out"; then
		bad_showing "$name" "the trace is not a valid trace"
		return 1
	fi
	ok "$name"
}

# count FACTS WHAT: the number trace_check counted.
count() {
	sed -n "s/^count $2 //p" "$1"
}

# handshake NAME FACTS: vbd 51712 went 1 .. 4 on the frontend's side and
# InitWait .. Connected on the backend's, hypercalls, both ring
# directions, block I/O, xenstore requests and event sends were seen.
handshake() {
	f=$2
	if ! grep -q "^states 2 vbd 51712 frontend: 1 .*3 4" "$f"; then
		bad "$1-frontend-states" "$(grep 'vbd 51712 frontend' "$f")"
	else
		ok "$1-frontend-states"
	fi
	if ! grep -q "^states 2 vbd 51712 backend: 2 4" "$f"; then
		bad "$1-backend-states" "$(grep 'vbd 51712 backend' "$f")"
	else
		ok "$1-backend-states"
	fi
	why=
	for what in hypercall consume produce io xenstore event; do
		n=$(count "$f" $what)
		[ "${n:-0}" -gt 0 ] || why="$why no $what events;"
	done
	if [ -n "$why" ]; then
		bad "$1-events" "$why"
	else
		ok "$1-events"
	fi
}

disk_cfg native
traced native-trace "$dir/native.json" -- "$dir/native.cfg" &&
	handshake native "$dir/native-trace.facts"

# The same seed twice: the same bytes.
if traced native-trace-again "$dir/native2.json" -- "$dir/native.cfg"; then
	if cmp -s "$dir/native.json" "$dir/native2.json"; then
		ok native-trace-deterministic
	else
		bad native-trace-deterministic "two runs of seed 0 differ"
	fi
fi

disk_cfg arm64 build/arm64/Image
traced arm64-trace "$dir/arm64.json" -- --seed 3 "$dir/arm64.cfg" &&
	handshake arm64 "$dir/arm64-trace.facts"

traced two-domains-trace "$dir/two.json" -- build/arm64/Image \
	build/arm32/zImage-thumb &&
if grep -q "^process 2 d1 guest-1" "$dir/two-domains-trace.facts" &&
   grep -q "^process 3 d2 guest-2" "$dir/two-domains-trace.facts"; then
	ok two-domains-processes
else
	bad two-domains-processes "$(grep ^process "$dir/two-domains-trace.facts")"
fi

expect trace-bad-path 1 "cannot write $dir/no/such/t.json: No such file" \
	-- run --native --trace "$dir/no/such/t.json"
expect trace-with-seeds 1 "not with --trace" \
	-- run --seeds 1-2 --trace "$dir/s.json" --native

# ---- trace-report ----
html=$dir/report.html
if timeout "$LIMIT" "$XENSIM" trace-report "$dir/native.json" -o "$html" \
	>"$out" 2>&1; then
	ok report-written
else
	bad_showing report-written "exit $?"
fi
why=
for want in 'id="lane-p2-vbd-51712-frontend"' 'id="lane-p2-vbd-51712-backend"' \
	'id="lane-p2-vbd-51712"' 'class="state state-Connected"' \
	'class="state state-InitWait"' 'class="ring-consume"' \
	'class="ring-produce"' 'id="hypercalls"'; do
	grep -q "$want" "$html" || why="$why no $want;"
done
if grep -Eq '(src|href)=' "$html"; then
	why="$why it links to something outside;"
fi
if [ -n "$why" ]; then
	bad report-lanes "$why"
else
	ok report-lanes
fi

printf 'not json' >"$dir/bad.json"
expect report-not-json 1 "not JSON: line 1, column 1" \
	-- trace-report "$dir/bad.json" -o "$dir/bad.html"
printf '{"traceEvents": 3}' >"$dir/notrace.json"
expect report-not-trace 1 "not a trace" \
	-- trace-report "$dir/notrace.json" -o "$dir/bad.html"
expect report-missing 1 "cannot read $dir/none.json" \
	-- trace-report "$dir/none.json" -o "$dir/bad.html"

# Headless Chromium, root and no display: --no-sandbox and --headless.
# --dump-dom shows the DOM after the page's load script wrote each lane's
# laid-out size; --screenshot draws it.
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --hide-scrollbars \
		--user-data-dir="$dir/chrome" "$@" 2>>"$dir/chrome.log"
}
if ! command -v "$CHROMIUM" >/dev/null; then
	bad report-layout "$CHROMIUM not installed (scripts/deps.sh installs it)"
else
	chrome --dump-dom "file://$html" >"$dir/dom.html"
	sizes=$(grep -c '^lane-p2-vbd-51712[a-z-]* [1-9][0-9]*x[1-9][0-9]* [1-9][0-9]* rects' "$dir/dom.html")
	if [ "$sizes" -eq 3 ]; then
		ok report-layout
	else
		out=$dir/dom.html
		bad_showing report-layout "$sizes of vbd 51712's 3 lanes drawn with a size"
	fi
	chrome --window-size=1240,900 --screenshot="$dir/report.png" \
		"file://$html" >/dev/null
	# The PNG's IHDR: width and height, big-endian, at bytes 16..23.
	dims=$(od -An -tu1 -j16 -N8 "$dir/report.png" 2>/dev/null |
		awk '{ print $1*16777216 + $2*65536 + $3*256 + $4 "x" \
			$5*16777216 + $6*65536 + $7*256 + $8 }')
	size=$(wc -c <"$dir/report.png" 2>/dev/null || echo 0)
	# A blank page of this size compresses to a few KiB; bars, text and
	# ticks need far more.
	if [ "$dims" = 1240x900 ] && [ "$size" -gt 20000 ]; then
		ok report-screenshot
		[ -n "${TRACE_PNG:-}" ] && cp "$dir/report.png" "$TRACE_PNG"
	else
		bad report-screenshot "png $dims, $size bytes"
	fi
fi
finish

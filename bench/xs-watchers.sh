#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Slow and stuck watchers on the model's xenstored and on Xen's C xenstored:
# each scenario on a fresh daemon, one daemon at a time. Figures only.
# usage: xs-watchers.sh MODEL_DAEMON C_XENSTORED SHIM.so XS_WATCHERS [WRITES]
set -eu
model=$1 cxs=$2 shim=$3 prog=$4 writes=${5:-200000}
distinct=$((writes / 10))

dir=$(mktemp -d /tmp/xs-watchers-XXXXXX)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT INT TERM

start() { # kind
	rm -rf "$dir/run" && mkdir -p "$dir/run"
	if [ "$1" = model ]; then
		"$model" --socket "$dir/run/socket" >"$dir/log" 2>&1 &
	else
		XENSTORED_RUNDIR="$dir/run" XENSTORED_ROOTDIR="$dir/run" LD_PRELOAD="$shim" \
			"$cxs" -N >"$dir/log" 2>&1 &
	fi
	pid=$!
	i=0
	while [ ! -S "$dir/run/socket" ]; do
		i=$((i + 1))
		[ $i -lt 500 ] || { echo "xs-watchers: $1 never listened"; cat "$dir/log"; exit 1; }
		sleep 0.01
	done
}

stop() {
	kill "$pid" && wait "$pid" 2>/dev/null || true
	pid=
}

for kind in model c; do
	# Distinct keys a tenth as many: C xenstored looks through a connection's
	# whole queue for a duplicate at every event, which grows quadratic.
	for scenario in "slow 100 $writes 100" "stuck 1 $writes 100" "stuck 20 $writes 100" \
			"slow 100 $distinct $distinct" "stuck 1 $distinct $distinct"; do
		start $kind
		label=$kind
		[ $kind = c ] && label="C xenstored"
		printf '%s: ' "$label"
		# shellcheck disable=SC2086
		"$prog" "$dir/run/socket" "$pid" $scenario
		stop
	done
done

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Every writable variable of the guest has something that puts it back for
# a new boot: reads the symbol tables of the workstation build's guest
# objects and holds them to tests/guest-state/guest-state.list, whose
# resets must be in guest/kern/reset.c's table. Run from the top of the
# tree; one line per variable, ends "N passed, N failed, N skipped".
set -u
BUILD=${BUILD:-build}
LIST=tests/guest-state/guest-state.list
TABLE=guest/kern/reset.c
pass=0
fail=0
found=$(mktemp)
trap 'rm -f "$found"' EXIT

ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

objs=$(find "$BUILD/host/guest" -name '*.o' 2>/dev/null | sort)
if [ -z "$objs" ]; then
	echo "ERROR guest-objects: none under $BUILD/host/guest (run make)"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

# "source variable" for each symbol in .data or .bss, or the guest_data*
# and guest_bss sections the build renames them to (not .data.rel.ro:
# constants with addresses in them), static locals without their ".N".
for o in $objs; do
	src=${o#"$BUILD/host/"}
	src=${src%.o}.c
	[ -f "$src" ] || continue   # an object left from a deleted source
	objdump -t "$o" | awk -v src="$src" '
		($4 ~ /^\.(data|bss)(\.|$)/ || $4 ~ /^guest_(data|bss)/) &&
		$4 !~ /^\.data\.rel\.ro/ &&
		$NF !~ /^[.$]/ && $NF !~ /^__/ && $NF != $4 {
			name = $NF; sub(/\.[0-9]+$/, "", name); print src, name
		}'
done | sort -u >"$found"

# Every variable is listed, with an owner that exists.
while read -r src var; do
	entry=$(awk -v s="$src" -v v="$var" '$1 == s && $2 == v' "$LIST")
	if [ -z "$entry" ]; then
		bad "$src:$var" "not in $LIST: give it a reset in $TABLE"
		continue
	fi
	set -- $entry
	case "$3" in
	reset)
		if grep -q "^[[:space:]]*$4,[[:space:]]" "$TABLE"; then
			ok "$src:$var reset by $4"
		else
			bad "$src:$var" "$4 is not in $TABLE's table"
		fi ;;
	attach)
		case "$src" in
		guest/arch/host/*) ok "$src:$var set by host_port_attach" ;;
		*) bad "$src:$var" "only the host port is set up by attach" ;;
		esac ;;
	scratch) ok "$src:$var scratch" ;;
	*) bad "$src:$var" "unknown owner \"$3\" in $LIST" ;;
	esac
done <"$found"

# Every entry still names a variable.
grep -v '^#' "$LIST" | while read -r src var owner; do
	[ -n "$src" ] || continue
	grep -qx "$src $var" "$found" || echo "$src:$var"
done >"$found.stale"
while read -r stale; do
	bad "$stale" "listed in $LIST but no longer in the build"
done <"$found.stale"
rm -f "$found.stale"

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]

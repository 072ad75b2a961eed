# SPDX-License-Identifier: BSD-2-Clause
# Two `xenstore-ls -fp` dumps of one domain's directories, key by key:
# the first file is what xl and Linux's backends wrote (the domain paused,
# the backends at InitWait), the second what xensim --xl wrote for the
# same config. Values that belong to one run (UUIDs, MACs, ttys, event
# channel ports and grant refs, the disk's path and device numbers, the
# bridge's name, the guest's own control/feature-* values) are compared
# by presence only. Prints one line per difference, sorted by the caller:
#   xl-only PATH = VALUE PERMS
#   xensim-only PATH = VALUE PERMS
#   differs PATH: xl VALUE PERMS | xensim VALUE PERMS
# Usage: awk -f xs-compare.awk XL.dump XENSIM.dump

# path, value and permissions of one line; false for a line that is not
# a node (an error message).
function parse(line,    eq, rest, p) {
	eq = index(line, " = ")
	if (substr(line, 1, 1) != "/" || eq == 0)
		return 0
	node = substr(line, 1, eq - 1)
	rest = substr(line, eq + 3)
	p = match(rest, /[ \t]+\([^()]*\)[ \t]*$/)
	if (p) {
		perms = substr(rest, p)
		gsub(/[ \t]/, "", perms)
		value = substr(rest, 1, p - 1)
	} else {
		perms = ""
		value = rest
	}
	return 1
}

function normalize(path, v,    leaf) {
	leaf = path
	sub(/.*\//, "", leaf)
	gsub(uuid_re, "UUID", v)
	# the guest writes its control/feature-* nodes as soon as it runs
	if (path ~ /\/control\/feature-/)
		return "\"...\""
	if (leaf ~ /^(mac|tty|ring-ref|port|params|physical-device|physical-device-path|bridge|uuid|vm|limit|target)$/)
		return "\"...\""
	return v
}

# hex digits n times (no interval expressions: mawk may lack them)
function hex(n,    s) {
	s = ""
	while (n-- > 0)
		s = s "[0-9a-f]"
	return s
}

BEGIN {
	uuid_re = hex(8) "-" hex(4) "-" hex(4) "-" hex(4) "-" hex(12)
}

FNR == 1 { side++ }

{
	if (!parse($0))
		next
	gsub(uuid_re, "UUID", node)
	seen[node] = 1
	v = normalize(node, value) " " perms
	if (side == 1)
		xl[node] = v
	else
		sim[node] = v
}

END {
	for (n in seen) {
		if (!(n in sim))
			print "xl-only " n " = " xl[n]
		else if (!(n in xl))
			print "xensim-only " n " = " sim[n]
		else if (xl[n] != sim[n])
			print "differs " n ": xl " xl[n] " | xensim " sim[n]
	}
}

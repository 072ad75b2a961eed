# SPDX-License-Identifier: BSD-2-Clause
# The field structure of Xen's debug-key dumps in a console transcript:
# prints "KEY<TAB>SHAPE" for each line of each key's dump, where SHAPE is
# the line without its "(XEN) " prefix, numbers (decimal or hex) turned into
# N, and runs of spaces into one. Xen's own dumps (the fixtures from
# tests/interop/capture-debug-keys.sh) and xensim's are read alike, so
# their shapes can be compared. A dump ends at the next dump, at a line
# that is not Xen's, or at a switch of the console input; the console
# ring that 'w' prints is not a dump of its own (only its header counts).
#   awk -f tests/cli/keys-shapes.awk TRANSCRIPT

function header(line) {
	if (line ~ /^'h' pressed -> showing installed handlers/) return "h"
	if (line ~ /^'q' pressed -> dumping domain info/) return "q"
	if (line ~ /^'e' pressed -> dumping event-channel info/) return "e"
	if (line ~ /^gnttab_usage_print_all \[ key 'g' pressed/) return "g"
	if (line ~ /^'d' pressed -> dumping registers/) return "d"
	if (line ~ /^'0' pressed -> dumping Dom0's registers/) return "0"
	if (line ~ /^Dumping timer queues:/) return "a"
	if (line ~ /^Synced stime skew/) return "t"
	if (line ~ /^'w' pressed -> dumping console ring/) return "w"
	if (line ~ /^'R' pressed -> rebooting machine/) return "R"
	if (line ~ /^'\*' pressed -> firing all diagnostic keyhandlers/) return "*"
	return ""
}

# Every number, decimal or hex, whatever its width, becomes N: a run of
# hex digits holding a decimal digit (a loop: mawk's gsub misses some).
function numbers(line,    out, tok) {
	out = ""
	while (match(line, /[0-9a-f]+/)) {
		tok = substr(line, RSTART, RLENGTH)
		out = out substr(line, 1, RSTART - 1) (tok ~ /[0-9]/ ? "N" : tok)
		line = substr(line, RSTART + RLENGTH)
	}
	return out line
}

function shape(line) {
	gsub(/Xen-[^ ]+/, "Xen-V", line)
	gsub(/(Not tainted|Tainted: [A-Z ]*) ?\]/, "TAINT]", line)
	gsub(/0x/, "", line)
	line = numbers(line)
	gsub(/ +/, " ", line)
	sub(/ $/, "", line)
	# Rows of stack words: how many a row holds depends on the stack.
	if (line ~ /^( N)+$/) line = " N..."
	return line
}

{
	line = $0
	if (line !~ /^\(XEN\) /) { key = ""; next }
	sub(/^\(XEN\) /, "", line)
	if (line ~ /^\*\*\* Serial input to /) { key = ""; next }
	h = header(line)
	if (h != "") key = h
	if (key == "") next
	print key "\t" shape(line)
	# The ring's contents are earlier lines again, not a dump.
	if (key == "w" || key == "R") key = ""
	if (key == "g" && line ~ /^gnttab_usage_print_all \] done/) key = ""
}

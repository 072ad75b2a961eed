#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Normalises a guest console transcript so that runs of the same battery in
# different places (native, Unicorn arm64/arm32/Thumb, real Xen under QEMU)
# can be compared line for line. Reads the files given (or stdin), writes
# stdout. Each rule stands for one difference in fixtures/transcripts/
# README.md, which says why the difference is legitimate; add nothing here
# without a row there.
#   1. console prefixes: "(d1) " goes; "(XEN) DOMn: " lines (debug
#      hypercalls) stay without "(XEN) "; every other "(XEN)" line is the
#      hypervisor talking, not the guest, and goes; carriage returns go.
#   2. the Xen version's minor and extra version: "4.17.x".
#   3. the free page count after boot.
#   4. code addresses in debug-hypercall lines: " at PC", "Reached PC".
#   5. the vCPU state a debug hypercall dumps (registers differ per ISA).
# With --dom0 first, for a dom0's transcript and the xensim run it is held
# to, also what makes a domain dom0 (README "dom0" rows):
#   D1. the RAM base (the size still has to agree);
#   D2. the grant-table window;
#   D3. the event-channel PPI, 16 for Xen's dom0 and 31 for a domU;
#   D4. the answers of the conformance battery that depend on the role
#       ("conf: ... = VALUE (as dom0)" / "(as domU)").
set -eu
dom0_rules=
if [ "${1:-}" = --dom0 ]; then
	shift
	dom0_rules='s/(RAM [0-9]+ MiB at )0x[0-9a-f]+,/\1BASE,/
s/(grant table )0x[0-9a-f]+\+0x[0-9a-f]+ /\1WINDOW /
s/(event channel INTID )(16|31)$/\1PPI/
s/^(conf: .* = )[^ ]+ \(as dom[0U]\)$/\1ANSWER FOR ROLE/'
fi
sed -E \
	-e 's/\r$//' \
	-e '/^\(XEN\) +[xr][0-9]+ /d' \
	-e '/^\(XEN\) +(sp|pc|elr_el1|cpsr) /d' \
	-e 's/^\(XEN\) (DOM[0-9]+: )/\1/' \
	-e '/^\(XEN\)/d' \
	-e 's/^\(d[0-9]+\) //' \
	-e 's/(running on Xen 4\.17)[^ ]*/\1.x/' \
	-e 's/, [0-9]+ pages free/, N pages free/' \
	-e '/^DOM[0-9]+: /s/ at 0x[0-9a-f]+/ at PC/' \
	-e '/^DOM[0-9]+: /s/Reached [0-9a-f]+$/Reached PC/' \
	-e "$dom0_rules" \
	"$@"

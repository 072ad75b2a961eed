# SPDX-License-Identifier: BSD-2-Clause
# Several domains in one run: batteries side by side on every emulated
# runtime, one domain ending alone, xenstore as xl shows it.
CHECK_PROGRAMS += tests/cli/test-multi.sh
CHECK_DEPS     += $(SAN_XENSIM) $(ARM_IMAGES) $(UCG_ALL)

# PV network between the domains of a run.
CHECK_PROGRAMS += tests/cli/test-net.sh

# PV network and several domains across suspend and resume.
CHECK_PROGRAMS += tests/cli/test-suspend-net.sh

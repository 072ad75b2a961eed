# SPDX-License-Identifier: BSD-2-Clause
# The guest's state across boots: every writable variable of the guest has
# a reset (guest/kern/reset.c) or is listed as set up otherwise
# (tests/guest-state/guest-state.list); checked on the workstation build's
# guest objects.
CHECK_PROGRAMS += tests/guest-state/check-guest-state.sh
CHECK_DEPS     += $(LIBGUEST)

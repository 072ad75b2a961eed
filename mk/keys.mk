# SPDX-License-Identifier: BSD-2-Clause
# Tools a porter reaches for: Xen's console keys (hv-model/keys, sim/keys.c,
# sim/control.c) and their comparison with real Xen's dumps.
CHECK_PROGRAMS += tests/cli/test-keys.sh
CHECK_DEPS     += $(SAN_XENSIM) $(CONSOLE_CLIENT) $(BUILD)/arm64/Image \
		  $(BUILD)/arm32/zImage

# Crash reports (sim/crash.c): Capstone disassembles the instruction the
# guest stopped at, elfutils' libdw symbolizes its backtrace.
CRASH_LIBS := -ldw -lelf -lcapstone
HOST_LIBS  += $(CRASH_LIBS)
OPT_LIBS   += $(CRASH_LIBS)
CHECK_PROGRAMS += tests/cli/test-crash.sh
CHECK_DEPS     += $(BUILD)/arm32/zImage-thumb

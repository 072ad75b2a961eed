# SPDX-License-Identifier: BSD-2-Clause
# Whole-process figures for make bench: bench/proc_time.c times a command
# from fork to exit (min, median, max of N runs); bench/proc-bench.sh runs
# it on build/xensim and on real Xen under QEMU.
PROC_TIME := $(BUILD)/bench/proc_time

$(PROC_TIME): bench/proc_time.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

BENCH_PROGRAMS += bench/proc-bench.sh
BENCH_DEPS     += $(PROC_TIME) $(XENSIM) $(BUILD)/arm64/Image \
		  $(BUILD)/arm32/zImage


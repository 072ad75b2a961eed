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

# The sweep rate (xensim run --seeds): bench/bench_sweep.c on $(BENCH_LIB).
SWEEP_BENCH     := $(BUILD)/bench/bench_sweep
SWEEP_BENCH_OBJ := $(BENCH_OBJ)/bench/bench_sweep.o
$(SWEEP_BENCH_OBJ): BENCH_CFLAGS += -DXENSIM_BUILD='"$(abspath $(BUILD))"'

$(SWEEP_BENCH): $(SWEEP_BENCH_OBJ) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $(SWEEP_BENCH_OBJ) -Wl,--start-group $(BENCH_LIB) \
		-Wl,--end-group $(OPT_LIBS)

.SECONDARY: $(SWEEP_BENCH_OBJ)

BENCH_PROGRAMS += $(SWEEP_BENCH)
BENCH_DEPS     += $(SWEEP_BENCH) $(BUILD)/arm64/Image $(BUILD)/arm32/zImage

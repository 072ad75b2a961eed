# SPDX-License-Identifier: BSD-2-Clause
# Benchmarks of event channels, grant copies and guest xenstore round
# trips, natively: linked with the
# optimised, sanitizer-free library mk/sim.mk builds for the benchmarks
# ($(BENCH_LIB)), driven in-process through the simulator's native runtime
# (sim_native_* in sim/sim.h), the one xensim ships.
# `make bench` runs them; they print figures. Their unit and integration
# tests are built by the top Makefile.

EV_BENCHES := $(BUILD)/bench/bench_evtchn $(BUILD)/bench/bench_gnttab \
	$(BUILD)/bench/bench_xs_ring
$(EV_BENCHES): $(BUILD)/bench/%: $(call bench_obj,bench/%.c) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $(filter %.o,$^) -Wl,--start-group $(BENCH_LIB) \
		-Wl,--end-group $(OPT_LIBS)

BENCH_PROGRAMS += $(EV_BENCHES)
BENCH_DEPS     += $(EV_BENCHES)

# Keep the objects: make would delete them as intermediates.
.SECONDARY: $(call bench_obj,bench/bench_evtchn.c bench/bench_gnttab.c \
	bench/bench_xs_ring.c)

# SPDX-License-Identifier: BSD-2-Clause
# Seeded fault runs (xensim sim, sim/simcmd.c): make check runs
# tests/sim/test-sim.sh (200 native seeds, a few under arm64, the trace
# hash's determinism); make soak runs SEEDS more (from SOAK_FIRST) with a
# progress line and the failing seeds' replay commands (build/xensim,
# optimised: soak is about rate; make check runs the sanitized build).
CHECK_PROGRAMS += tests/sim/test-sim.sh
CHECK_DEPS     += $(SAN_XENSIM) $(BUILD)/arm64/Image

SEEDS      ?= 2000
SOAK_FIRST ?= 1

.PHONY: soak
soak: $(XENSIM)
	$(XENSIM) sim --progress --seeds $(SOAK_FIRST)-$$(($(SOAK_FIRST) + $(SEEDS) - 1))
